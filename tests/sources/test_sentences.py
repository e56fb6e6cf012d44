"""Sentences of running text, with citation marks kept with the sentence they close."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reviewbook.sources.sentences import sentence_at, sentence_spans


def sentences(text: str, marks: list[tuple[int, int]] | None = None) -> list[str]:
    return [text[start:end] for start, end in sentence_spans(text, marks or [])]


def number_marks(text: str) -> list[tuple[int, int]]:
    """Every run of digits of ``text`` as a citation mark (for texts whose only numbers are)."""
    return [match.span() for match in re.finditer(r"\d+", text)]


def test_sentences_end_at_full_stops_question_and_exclamation_marks() -> None:
    assert sentences("Tumours grow. Do they spread? They do! Yes.") == [
        "Tumours grow.",
        "Do they spread?",
        "They do!",
        "Yes.",
    ]


@pytest.mark.parametrize(
    "text",
    [
        "As Smith et al. showed, cells die.",
        "Some cells, e.g. T cells, die.",
        "Some cells, i.e. T cells, die.",
        "Cells die (Fig. 2) in the end.",
        "Cells die (Figs. 2 and 3) in the end.",
        "Cells vs. Tumours is a match.",
        "It rose approx. 5 times.",
        "It rose ca. 5 times.",
        "It is dose no. 5 of ten.",
        "As J. Smith and A. B. Jones found, cells die.",
        "It rose 2.5 times in 0.05 of cases.",
        "Made in the U.S. Army labs.",
        "As shown (cf. Table 1) cells die.",
    ],
)
def test_abbreviations_initials_and_decimals_do_not_end_a_sentence(text: str) -> None:
    assert sentences(text) == [text]


def test_a_sentence_opening_in_lower_case_stays_with_the_one_before() -> None:
    assert sentences("Levels fell. mRNA levels rose. Then β-glucans. Done.") == [
        "Levels fell. mRNA levels rose.",
        "Then β-glucans.",
        "Done.",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("It spreads.[12] Then it grows.", ["It spreads.[12]", "Then it grows."]),
        ("It spreads.12 Then it grows.", ["It spreads.12", "Then it grows."]),
        ("It spreads.12,13 Then it grows.", ["It spreads.12,13", "Then it grows."]),
        ("It spreads.12–14 Then it grows.", ["It spreads.12–14", "Then it grows."]),
        ("It spreads. [12, 13] Then it grows.", ["It spreads. [12, 13]", "Then it grows."]),
        ("It spreads (12). Then it grows.", ["It spreads (12).", "Then it grows."]),
        ("It spreads.[12]", ["It spreads.[12]"]),
        ("It acts via Dectin-3.33 Then it grows.", ["It acts via Dectin-3.33", "Then it grows."]),
    ],
)
def test_a_citation_after_the_full_stop_belongs_to_the_sentence_before(
    text: str, expected: list[str]
) -> None:
    assert sentences(text, number_marks(text)) == expected


def test_a_sentence_never_ends_inside_a_citation_mark() -> None:
    text = "Cells die [seen. 1 A] here. Next."
    mark = (text.index("seen"), text.index("]"))
    assert sentences(text) == ["Cells die [seen.", "1 A] here.", "Next."]
    assert sentences(text, [mark]) == ["Cells die [seen. 1 A] here.", "Next."]
    assert sentences("Cells die.145. Next.", [(10, 14)]) == ["Cells die.145.", "Next."]


def test_without_marks_digits_after_a_full_stop_are_a_decimal_or_a_new_sentence() -> None:
    assert sentences("It acts via Dectin-3.33 Then it grows.") == [
        "It acts via Dectin-3.33 Then it grows."
    ]
    assert sentences("It spreads. 12 patients died.") == ["It spreads.", "12 patients died."]


def test_an_author_year_citation_opening_a_sentence_is_not_pulled_back() -> None:
    text = "It was shown in fish. Hites 2004 showed it in rats."
    mark = (text.index("Hites"), text.index(" showed"))
    assert sentences(text, [mark]) == ["It was shown in fish.", "Hites 2004 showed it in rats."]


def test_quotes_and_brackets_closing_a_sentence_stay_with_it() -> None:
    assert sentences('He said "go." Then (see above.) Next... And so on?! Fine') == [
        'He said "go."',
        "Then (see above.)",
        "Next...",
        "And so on?!",
        "Fine",
    ]


def test_empty_and_blank_texts_have_no_sentences() -> None:
    assert sentence_spans("") == ()
    assert sentence_spans("   ") == ()
    assert sentences("No terminator here") == ["No terminator here"]


def test_sentence_at_finds_the_span_holding_an_offset() -> None:
    text = "It spreads.[12] Then it grows."
    spans = sentence_spans(text, number_marks(text))
    assert sentence_at(spans, text.index("12")) == (0, 15)
    assert sentence_at(spans, text.index(" Then")) == (0, 15)  # the space between them
    assert sentence_at(spans, text.index("grows")) == (16, 30)
    assert sentence_at((), 3) is None


@given(st.text(alphabet="ab .?!12[],\n", max_size=60))
def test_sentences_are_ordered_disjoint_and_cover_every_word(text: str) -> None:
    spans = sentence_spans(text, number_marks(text))
    ends = [0]
    for start, end in spans:
        assert ends[-1] <= start < end <= len(text)
        assert text[start:end] == text[start:end].strip()
        ends.append(end)
    starts = [start for start, _ in spans] + [len(text)]
    gaps = [text[end:start] for end, start in zip(ends, starts, strict=True)]
    assert all(not gap.strip() for gap in gaps)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("One. Two? Three!", ["One.", "Two?", "Three!"]),
        ("Cells (e.g. NK cells) kill. Next.", ["Cells (e.g. NK cells) kill.", "Next."]),
        ("Smith et al. showed it. Next.", ["Smith et al. showed it.", "Next."]),
        ("See Fig. 2 for J. Smith. Next.", ["See Fig. 2 for J. Smith.", "Next."]),
        ("It rose 2.5 fold. In 2010 it fell.", ["It rose 2.5 fold.", "In 2010 it fell."]),
        ("lower case. after a period stays", ["lower case. after a period stays"]),
        ("", []),
    ],
)
def test_prose_without_citations_splits_as_a_reader_reads_it(
    text: str, expected: list[str]
) -> None:
    assert sentences(text) == expected


def test_seed_abstracts_and_caption_read_sentence_by_sentence(
    janssen_text: str, erez_text: str
) -> None:
    """The one splitter serves abstracts and captions too (`sentences_frame`, coverage)."""
    from reviewbook import parse_pubmed_page, sentences_frame

    janssen, erez = parse_pubmed_page(janssen_text), parse_pubmed_page(erez_text)
    assert [len(sentences_frame(text)) for text in (janssen.abstract, erez.abstract)] == [6, 3]
    caption = list(sentences_frame(erez.figures[0].caption)["sentence"])
    assert [sentence.split()[0] for sentence in caption] == [
        "Soluble",
        "Survival",
        "Organ-specific",
        "Colonization",
    ]
    assert " ".join(caption) == erez.figures[0].caption
    assert list(sentences_frame("  spaced\n  out.  Text. ")["sentence"]) == ["spaced out.", "Text."]
