"""Counts shown with what they were counted over: the lines under figures and tables."""

from __future__ import annotations

from dataclasses import replace

from reviewbook.annotations.model import Annotations
from reviewbook.notebook.completeness import claims_note, completeness_note, count_note
from tests.conftest import expected_article

JANSSEN = expected_article("29037250")
EREZ = expected_article("21387299")
PARTIAL_PAIR = (
    "over 10 references of 2 reviews; both lists are partial (PMID 29037250: 5 of at least 5; "
    "PMID 21387299: 5 of at least 5); counts over the whole lists can only be larger"
)


def test_completeness_note_prints_and_renders_the_same_sentence() -> None:
    note = completeness_note([JANSSEN, EREZ])
    assert repr(note) == f"Counted {PARTIAL_PAIR}."
    assert note.markup == (
        f'<p class="reviewbook-extent"><small>Counted {PARTIAL_PAIR}.</small></p>'
    )


def test_completeness_note_of_one_review() -> None:
    assert repr(completeness_note(JANSSEN)) == (
        "Counted over 5 of at least 5 references of PMID 29037250: the saved page, which shows "
        "only the first 5; counts over the whole list can only be larger."
    )


def test_count_note_gives_the_count_with_what_it_was_counted_over() -> None:
    note = count_note("Papers cited by more than one review", 1, [JANSSEN, EREZ])
    assert repr(note) == f"Papers cited by more than one review: 1, counted {PARTIAL_PAIR}."
    assert note.markup == (
        '<p class="reviewbook-count">Papers cited by more than one review: <b>1</b>, '
        f"counted {PARTIAL_PAIR}.</p>"
    )


def test_count_note_escapes_its_label() -> None:
    note = count_note("<b>papers</b>", 2, JANSSEN)
    assert note.markup.startswith('<p class="reviewbook-count">&lt;b&gt;papers&lt;/b&gt;:')


def test_claims_note_names_the_reviews_without_claims() -> None:
    claimed = Annotations("1", claims=(object(),))  # type: ignore[arg-type]
    empty = [Annotations(str(pmid)) for pmid in range(2, 9)]
    assert repr(claims_note([claimed, claimed])) == "Over the claims of both reviews."
    assert repr(claims_note([claimed, *empty[:1]])) == (
        "Over the claims of 1 of the 2 reviews; no claim yet on PMID 2."
    )
    assert repr(claims_note([claimed, *empty])) == (
        "Over the claims of 1 of the 8 reviews; no claim yet on PMID 2, PMID 3, PMID 4, "
        "PMID 5, PMID 6 and 2 more."
    )
    assert claims_note([]).markup == (
        '<p class="reviewbook-extent"><small>Over the claims of 0 of the 0 reviews.</small></p>'
    )


def test_a_review_without_pmid_is_not_named_by_one() -> None:
    anonymous = replace(JANSSEN, pmid=None)
    assert repr(completeness_note(anonymous)).startswith(
        "Counted over 5 of at least 5 references: the saved page"
    )
    assert "(PMID unknown: 5 of at least 5; PMID 21387299" in repr(
        completeness_note([anonymous, EREZ])
    )
