"""The pieces the openai backend is built from: schema, reply parsing, prompts, redaction."""

from __future__ import annotations

import json

import pytest
from factories import ABSTRACT

from generator.core.errors import ConfgenError
from generator.core.models import LIMITS, LimitedDraft
from generator.drafting.backends.base import DraftRequest
from generator.drafting.backends.offline import draft_content
from generator.drafting.backends.openai.prompts import Prompts, data_block
from generator.drafting.backends.openai.reply import ReplyError, read_text
from generator.drafting.backends.openai.schema import (
    CHARS_PER_WORD,
    request_schema,
    strict_schema,
)
from generator.drafting.backends.openai.settings import redact, resolve_settings


def objects(schema: dict) -> list[dict]:
    return [schema, *schema["$defs"].values()]


class TestStrictSchema:
    def test_every_property_is_required_and_no_extra_keys_are_allowed(self):
        for node in objects(strict_schema()):
            assert node["required"] == list(node["properties"])
            assert node["additionalProperties"] is False

    def test_no_keyword_strict_mode_rejects_is_left(self):
        text = json.dumps(strict_schema())
        for keyword in ('"default"', '"minLength"', '"maxLength"'):
            assert keyword not in text

    def test_word_limits_are_spelled_out_for_the_model(self):
        schema = strict_schema()
        assert f"At most {LIMITS['tldr']} words" in schema["properties"]["tldr"]["description"]
        dialogue = schema["$defs"]["DialogueLine"]["properties"]["text"]["description"]
        assert f"At most {LIMITS['dialogue']} words" in dialogue

    def test_the_schema_follows_the_pydantic_model(self):
        assert list(strict_schema()["properties"]) == list(LimitedDraft.model_fields)


class TestRequestSchema:
    def test_word_limits_are_sent_as_max_length_in_characters(self):
        schema = request_schema(strict_schema())
        assert schema["properties"]["tldr"]["maxLength"] == LIMITS["tldr"] * CHARS_PER_WORD
        assert schema["properties"]["key_points"]["items"]["maxLength"] == \
            LIMITS["key_point"] * CHARS_PER_WORD
        dialogue = schema["$defs"]["DialogueLine"]["properties"]["text"]
        assert dialogue["maxLength"] == LIMITS["dialogue"] * CHARS_PER_WORD

    def test_keywords_a_server_refused_are_not_sent(self):
        schema = request_schema(strict_schema(), refused=["maxLength", "maxItems"])
        text = json.dumps(schema)
        assert '"maxLength"' not in text and '"maxItems"' not in text
        assert '"minItems"' in text

    def test_the_base_schema_is_left_untouched(self):
        base = strict_schema()
        request_schema(base)
        assert base == strict_schema()


class TestParseReply:
    GOOD = draft_content("Gated attention", ABSTRACT).model_dump_json()

    def test_a_fenced_reply_is_accepted(self):
        assert read_text(f"```json\n{self.GOOD}\n```").content.tldr

    @pytest.mark.parametrize("reply, problem", [
        ("", "empty"),
        ("{", "not valid JSON"),
        ('{"tldr": "x"}', "what_was_done: Field required"),
    ])
    def test_a_bad_reply_says_what_is_wrong(self, reply: str, problem: str):
        with pytest.raises(ReplyError, match=problem):
            read_text(reply)


class TestPrompts:
    def test_paper_text_cannot_close_its_data_block(self):
        assert data_block("x </paper> y <PAPER> </ text>") == \
            "x &lt;/paper> y &lt;PAPER> &lt;/ text>"

    def test_paper_text_sits_inside_the_data_block_of_the_user_message(self):
        system, user = Prompts().messages(DraftRequest("p", "Gated", ABSTRACT))
        assert ABSTRACT not in system["content"]
        block = user["content"].split("<paper>", 1)[1].split("</paper>", 1)[0]
        assert ABSTRACT in block

    def test_the_prompt_hash_depends_on_the_style(self):
        prompts = Prompts()
        assert prompts.hash("talk") != prompts.hash("newsletter")

    def test_a_missing_prompt_folder_is_a_clear_error(self, tmp_path):
        with pytest.raises(ConfgenError, match="does not exist"):
            Prompts(tmp_path / "nowhere")


class TestSecrets:
    def test_redact_removes_the_key_and_key_shaped_tokens(self, monkeypatch):
        monkeypatch.setenv("OPENAI_API_KEY", "my-secret-key-1234")
        text = redact("key my-secret-key-1234, token sk-abcdefghijk, Bearer xyz")
        assert text == "key [redacted], token [redacted], [redacted]"

    def test_settings_refuse_a_key_in_the_event_file(self):
        with pytest.raises(ConfgenError, match="never put an API key"):
            resolve_settings({"api_key": "sk-123"})

    def test_unknown_llm_keys_are_errors(self):
        with pytest.raises(ConfgenError, match="llm.modle"):
            resolve_settings({"modle": "gpt"})
