"""The offline drafter: extractive, deterministic, grounded, within the layout limits."""

import pytest

from generator.core.errors import DraftError
from generator.core.grounding import ground
from generator.core.models import length_problems
from generator.drafting.backends.offline import draft_content, shorten, split_sentences

ABSTRACT = (
    "Diffusion models generate images that rarely copy their training data. "
    "We show that training has two time scales: a generalization time that does not depend "
    "on the data and a memorization time that grows linearly with the training set size n. "
    "We prove this for a random features model and confirm it on CIFAR-10 with 1,024 to "
    "32,768 images. "
    "This matters because it explains why early stopping gives a wide window for good "
    "generalization, e.g. for large datasets."
)


def test_it_splits_sentences_but_not_abbreviations():
    sentences = split_sentences(ABSTRACT)
    assert len(sentences) == 4
    assert sentences[-1].endswith("e.g. for large datasets.")


def test_what_was_done_comes_from_a_sentence_with_a_done_cue():
    assert draft_content("Why Diffusion Models Don't Memorize", ABSTRACT).what_was_done.startswith(
        "We show that training has two time scales")


def test_why_it_matters_comes_from_a_sentence_with_a_why_cue():
    assert draft_content("T", ABSTRACT).why_it_matters.startswith("This matters because")


def test_numbers_are_copied_with_their_sentence_and_ranges_kept_whole():
    numbers = draft_content("T", ABSTRACT).key_numbers
    assert [(n.value, n.label) for n in numbers] == [("1,024 to 32,768", "images")]
    for number in numbers:
        assert number.value in number.source and number.source in ABSTRACT


def test_every_draft_is_grounded_and_within_limits():
    content = draft_content("T", ABSTRACT)
    assert ground(content, ABSTRACT) == []
    assert length_problems(content) == []


def test_drafting_is_deterministic():
    assert draft_content("T", ABSTRACT) == draft_content("T", ABSTRACT)


def test_a_comic_has_four_frames_with_two_speakers():
    comic = draft_content("T", ABSTRACT).comic
    assert len(comic) == 4
    assert {line.speaker for frame in comic for line in frame.lines} == {"Sam", "Ada"}


@pytest.mark.parametrize("source", ["", "1 2 3", "[12]. (Smith et al., 2023)."])
def test_a_source_without_sentences_gives_no_summary(source):
    with pytest.raises(DraftError, match="no sentence to draft from"):
        draft_content("A Title With Words", source)


def test_shorten_cuts_at_a_clause_boundary():
    sentence = ("We add a gate after attention, which makes outputs sparse, and this removes "
                "the attention sink entirely in every model we trained.")
    assert shorten(sentence, 12) == "We add a gate after attention, which makes outputs sparse…"


def test_names_with_numbers_are_not_key_numbers():
    content = draft_content("T", "We evaluate on CIFAR-10 and GPT-4 outputs with 20x-50x gains.")
    assert [n.value for n in content.key_numbers] == ["20x-50x"]


def test_sentences_survive_abbreviations_and_citations():
    text = ("Sparse testing is well studied (see, e.g., Ingster 1987; Ingster et al. 1990, "
            "Neykov 2023]). We follow Smith et al. (Smith et al., 2023) and J. Doe [12]. "
            "As Fig. 2 and Eq. 3 show, dense vs. sparse models differ, i.e., by 12%. "
            "Results hold for 3 datasets.")
    assert split_sentences(text) == [
        "Sparse testing is well studied (see, e.g., Ingster 1987; Ingster et al. 1990, "
        "Neykov 2023]).",
        "We follow Smith et al. (Smith et al., 2023) and J. Doe [12].",
        "As Fig. 2 and Eq. 3 show, dense vs. sparse models differ, i.e., by 12%.",
        "Results hold for 3 datasets."]
    content = draft_content("T", text)
    assert [n.value for n in content.key_numbers] == ["12%", "3"]
    assert any(s.startswith(content.tldr.rstrip("…")) for s in split_sentences(text))
