"""Resolving in-text citation marks to reference positions, one printed shape at a time."""

from __future__ import annotations

import pytest

from reviewbook.errors import Problem
from reviewbook.model import Citation
from reviewbook.sources.in_text import (
    CitationMark,
    ReferenceIndex,
    expand_numbers,
    resolve_citations,
)

INDEX = ReferenceIndex(positions={f"B{n}": n for n in range(1, 21)}, count=20)
"""A list of twenty references, ``B1`` to ``B20``."""


def marks_of(passage: str, *marked: tuple[str, str]) -> list[CitationMark]:
    """A mark for each ``(printed text, rid)``, found in order in ``passage``."""
    marks: list[CitationMark] = []
    cursor = 0
    for printed, rid in marked:
        start = passage.index(printed, cursor)
        cursor = start + len(printed)
        marks.append(CitationMark(start=start, end=cursor, ids=tuple(rid.split()), line=7))
    return marks


def resolve(passage: str, *marked: tuple[str, str]) -> tuple[tuple[Citation, ...], tuple]:
    return resolve_citations(passage, marks_of(passage, *marked), INDEX, place="Results")


@pytest.mark.parametrize(
    ("printed", "offsets"),
    [
        ("12", (0,)),
        ("106–109", (0, 1, 2, 3)),
        ("75-77", (0, 1, 2)),
        ("3, 5-6", (0, 2, 3)),
        ("[3,5]", (0, 2)),
        ("145.", (0,)),
        ("28b", (0,)),
        ("Hites 2004", None),
        ("2005", (0,)),
    ],
)
def test_printed_numbers_expand_to_offsets_from_the_first(
    printed: str, offsets: tuple[int, ...] | None
) -> None:
    assert expand_numbers(printed) == offsets


def test_a_range_of_a_billion_costs_nothing() -> None:
    offsets = expand_numbers("1–999999999")
    assert offsets is not None and len(offsets) == 10_000


def test_one_mark_one_reference() -> None:
    [citation], problems = resolve("Cells die [12].", ("12", "B12"))
    assert citation == Citation(
        text="12",
        references=(12,),
        sentence="Cells die [12].",
        place="Results",
        start=11,
        end=13,
        line=7,
        ids=("B12",),
    )
    assert problems == ()


def test_a_range_inside_one_mark_counts_on_from_its_first_reference() -> None:
    [citation], _ = resolve("Cells die.6–9 Next.", ("6–9", "B6"))
    assert (citation.text, citation.references, citation.sentence) == (
        "6–9",
        (6, 7, 8, 9),
        "Cells die.6–9",
    )


def test_several_ids_in_one_rid_name_each_reference() -> None:
    [citation], problems = resolve("Cells die [2–4].", ("2–4", "B2 B3 B4"))
    assert (citation.references, citation.ids, problems) == ((2, 3, 4), ("B2", "B3", "B4"), ())


@pytest.mark.parametrize("dash", ["-", "–", " – ", "—", "\u2212"])
def test_two_marks_joined_by_a_dash_are_one_citation_of_the_whole_range(dash: str) -> None:
    passage = f"Cells die [1{dash}9]."
    [citation], problems = resolve(passage, ("1", "B1"), ("9", "B9"))
    assert citation.text == f"1{dash}9"
    assert citation.references == tuple(range(1, 10))
    assert citation.ids == ("B1", "B9")
    assert (citation.start, citation.end) == (11, 12 + len(dash) + 1)
    assert problems == ()


def test_marks_joined_by_a_comma_stay_apart() -> None:
    citations, _ = resolve("Cells die [1,9].", ("1", "B1"), ("9", "B9"))
    assert [citation.references for citation in citations] == [(1,), (9,)]


def test_a_range_running_backwards_keeps_both_ends_with_a_problem() -> None:
    [citation], problems = resolve("Cells die [9-1].", ("9", "B9"), ("1", "B1"))
    assert citation.references == (1, 9)
    assert problems == (Problem(7, "in-text", 'citation "9-1" is a range that runs backwards'),)


def test_author_year_citations_are_resolved_by_their_ids_alone() -> None:
    citations, problems = resolve(
        "Levels rose (Hites 2004; Law et al. 2003).",
        ("Hites 2004", "B5"),
        ("Law et al. 2003", "B6"),
    )
    assert [(c.text, c.references) for c in citations] == [
        ("Hites 2004", (5,)),
        ("Law et al. 2003", (6,)),
    ]
    assert {c.sentence for c in citations} == {"Levels rose (Hites 2004; Law et al. 2003)."}
    assert problems == ()


def test_an_id_naming_no_reference_is_a_problem_and_the_citation_is_kept() -> None:
    [citation], problems = resolve("Cells die [99].", ("99", "B99"))
    assert (citation.text, citation.references) == ("99", ())
    assert problems == (
        Problem(7, "in-text", 'citation "99" names "B99", which is no reference of the list'),
    )


def test_a_range_past_the_end_of_the_list_is_cut_to_it() -> None:
    [citation], problems = resolve("Cells die.18-25", ("18-25", "B18"))
    assert citation.references == (18, 19, 20)
    assert problems == (
        Problem(
            7,
            "in-text",
            'citation "18-25" reaches past the reference list (20 references): cut to it',
        ),
    )


def test_each_citation_gets_the_sentence_that_carries_it() -> None:
    passage = "Cells die.1 Tumours grow [2]. Both happen.3,4"
    citations, _ = resolve(passage, ("1", "B1"), ("2", "B2"), ("3", "B3"), ("4", "B4"))
    assert [(c.text, c.sentence) for c in citations] == [
        ("1", "Cells die.1"),
        ("2", "Tumours grow [2]."),
        ("3", "Both happen.3,4"),
        ("4", "Both happen.3,4"),
    ]
