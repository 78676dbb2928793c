"""Reading a summary out of what models really send (drafting/backends/openai/reply.py)."""

from __future__ import annotations

import json

import pytest
from factories import ABSTRACT

from generator.core.models import LIMITS
from generator.drafting.backends.offline import draft_content
from generator.drafting.backends.openai.reply import (
    ReplyError,
    json_candidate,
    read_message,
    read_text,
    shorten_request,
)

GOOD = draft_content("Gated attention", ABSTRACT).model_dump_json()
DATA = json.loads(GOOD)


class DescribeReadText:
    @pytest.mark.parametrize("reply", [
        GOOD,
        "\ufeff" + GOOD,
        f"<think>\nThey want {{tldr}}. Keep it short.\n</think>\n\n{GOOD}",
        f"<reasoning>a {{ b }} c</reasoning>{GOOD}",
        f"The user wants JSON {{like this}}.\n</think>\n{GOOD}",
        f"```json\n{GOOD}\n```",
        f"```JSON\n{GOOD}\n```",
        f"Sure! Here it is:\n\n```\n{GOOD}\n```\n\nWant {{changes}}?",
        f"Here is the summary: {GOOD} Hope this helps {{smile}}.",
        f"Fields {{tldr, key_points}} as asked: {GOOD}",
        f'{{"paper_summary": {GOOD}}}',
        f"[{GOOD}]",
    ], ids=["bare", "bom", "think", "reasoning-tag", "closing-tag-only", "fence",
            "fence-upper", "prose-around-fence", "prose-around-bare", "braces-in-prose",
            "wrapped-in-a-key", "wrapped-in-a-list"])
    def it_finds_the_object_wherever_the_model_put_it(self, reply: str):
        reading = read_text(reply)
        assert reading.data == DATA
        assert reading.repaired is False

    @pytest.mark.parametrize("damaged", [
        GOOD[:-1],  # no closing brace
        GOOD.replace('"]', '",]'),  # trailing commas
        GOOD.replace('"tldr"', "'tldr'"),  # a single-quoted key
    ], ids=["unclosed", "trailing-commas", "single-quotes"])
    def it_repairs_damaged_json_and_says_so(self, damaged: str):
        reading = read_text(damaged)
        assert reading.repaired is True
        assert reading.content.tldr == DATA["tldr"]

    @pytest.mark.parametrize("reply, problem", [
        ("", "empty"),
        ("I cannot summarise this paper.", "holds no JSON object"),
        ("{not json", "not valid JSON"),
        ('{"tldr": "x"', "not valid JSON"),  # repairable, but not a summary: say why
        ('{"tldr": "x"}', "what_was_done: Field required"),
    ])
    def it_says_what_is_wrong_with_a_reply_that_is_not_a_summary(self, reply, problem):
        with pytest.raises(ReplyError, match=problem):
            read_text(reply)

    def it_does_not_fail_on_word_limits_but_counts_the_excess(self):
        long_tldr = " ".join(["word"] * (LIMITS["tldr"] + 4))
        reading = read_text(json.dumps({**DATA, "tldr": long_tldr}))
        assert reading.overshoots == [("tldr", LIMITS["tldr"] + 4, LIMITS["tldr"])]
        assert reading.excess == 4


class DescribeReadMessage:
    def it_reads_the_answer_not_the_reasoning_field(self):
        message = {"content": GOOD, "reasoning_content": '{"tldr": "a draft"}'}
        assert read_message(message).data == DATA

    def it_falls_back_to_json_a_reasoning_field_ended_with(self):
        message = {"content": "", "reasoning": f"Thinking done. {GOOD}"}
        assert read_message(message).data == DATA

    def it_lets_a_partial_reply_amend_the_previous_one(self):
        reading = read_message({"content": '{"tldr": "Shorter."}'}, base=DATA)
        assert reading.content.tldr == "Shorter."
        assert reading.content.key_points == DATA["key_points"]


class DescribeShortenRequest:
    def it_names_each_field_its_words_and_the_cut(self):
        reading = read_text(json.dumps({**DATA, "tldr": " ".join(["w"] * 33)}))
        ask = shorten_request(reading, whole_object=False)
        assert f"- tldr: 33 words; at most {LIMITS['tldr']} (cut 3 or more)" in ask
        assert "only these top-level fields, shortened: tldr" in ask


def test_a_json_candidate_starts_at_the_first_brace_after_the_reasoning():
    assert json_candidate("<think>{x}</think> ok {\"a\": 1}") == '{"a": 1}'
    assert json_candidate("no object here") is None
