"""Loading and validating annotation files: every kind of error names its line, field and reason.

Each example file under ``tests/data/annotations/`` shows one kind of error; its quotes are
checked against the seed pages.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from reviewbook.annotations.anchoring import Quote
from reviewbook.annotations.loading import (
    annotations_from_document,
    load_annotations,
    loads_annotations,
)
from reviewbook.annotations.model import AnnotationError, AnnotationsInvalid, Claim, ReferenceNote
from reviewbook.annotations.schema import schema_errors
from reviewbook.annotations.validation import validate_annotations
from reviewbook.annotations.yaml_io import parse_document
from reviewbook.model import Article
from tests.annotations.conftest import ANNOTATIONS, EREZ, JANSSEN, MINIMAL, file_errors
from tests.conftest import EXAMPLES


def test_valid_file_loads_into_records() -> None:
    annotations = load_annotations(EXAMPLES / "valid_with_comments.yaml")
    assert annotations.pmid == "29037250"
    assert annotations.claims[1] == Claim(
        id="not-destroyed",
        statement="That response may not be enough to destroy the primary tumour.",
        quote=Quote(exact="the primary tumor", prefix="sufficient to destroy "),
        location="abstract",
        refs=(2,),
    )
    assert annotations.references == (
        ReferenceNote(index=2, note="Hallmarks framework.", tags=("hallmarks", "review")),
    )
    assert annotations.line_of("claims[1].quote.exact") == 15
    assert validate_annotations(annotations, JANSSEN) == []


def test_error_prints_as_file_line_field_message() -> None:
    error = AnnotationError("data/annotations/1.yaml", 12, "claims[0].cells[1]", "unknown term")
    assert str(error) == "data/annotations/1.yaml:12: claims[0].cells[1]: unknown term"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (
            "not_yaml.yaml",
            [
                (
                    5,
                    "yaml",
                    "not valid YAML: while parsing a flow sequence; expected ',' or ']', "
                    "but got ':'",
                )
            ],
        ),
        (
            "empty.yaml",
            [
                (
                    1,
                    "document",
                    "the file is empty: expected a mapping with pmid, claims, references",
                )
            ],
        ),
        (
            "missing_field.yaml",
            [
                (3, "claims[0].statement", "missing required field"),
                (4, "claims[0].quote.exact", "missing required field"),
                (8, "references[0].index", "missing required field"),
                (9, "references[1]", "a reference entry needs a note or tags besides its index"),
            ],
        ),
        (
            "unknown_field.yaml",
            [
                (
                    8,
                    "claims[0].cell",
                    "unknown field (expected one of: id, statement, quote, location, cells, "
                    "steps, role, refs, created, modified)",
                )
            ],
        ),
        (
            "wrong_type.yaml",
            [
                (3, "claims[0].id", "expected a string, got an integer"),
                (5, "claims[0].quote", "expected a mapping, got a string"),
                (7, "claims[0].refs", "expected a list, got a string"),
            ],
        ),
        (
            "duplicate_ids.yaml",
            [
                (8, "claims[1].id", "duplicate claim id 'same' (first on line 3)"),
                (16, "references[1].index", "reference 1 is annotated twice (first on line 14)"),
            ],
        ),
        (
            "ref_out_of_range.yaml",
            [
                (8, "claims[0].refs[1]", "reference 7 out of range: the page lists references 1-5"),
                (
                    10,
                    "references[0].index",
                    "reference 9 out of range: the page lists references 1-5",
                ),
            ],
        ),
        (
            "quote_not_found.yaml",
            [
                (6, "claims[0].quote.exact", "quote not found in the review's text"),
                (
                    11,
                    "claims[1].quote.exact",
                    "quote not found exactly; abstract has it with other quotes, dashes, "
                    "spacing or case: copy it character for character",
                ),
                (16, "claims[2].quote.exact", "quote found, but not with the given prefix/suffix"),
            ],
        ),
        (
            "ambiguous_quote.yaml",
            [
                (
                    6,
                    "claims[0].quote.exact",
                    "quote occurs 2 times (abstract x2); add a prefix or suffix",
                )
            ],
        ),
        (
            "wrong_location.yaml",
            [
                (7, "claims[0].location", "the quote is in figure:Figure, not abstract"),
                (
                    12,
                    "claims[1].location",
                    "'section:Results' is not a part of the review "
                    "(parts: title, abstract, figure:Figure)",
                ),
            ],
        ),
    ],
)
def test_each_kind_of_error_names_line_field_and_reason(
    name: str, expected: list[tuple[int, str, str]]
) -> None:
    assert file_errors(name) == expected


def test_unknown_terms_suggest_the_canonical_name_or_list_the_vocabulary() -> None:
    errors = file_errors("unknown_cell.yaml")
    assert [(line, field) for line, field, _ in errors] == [
        (8, "claims[0].cells[1]"),
        (8, "claims[0].cells[2]"),
        (9, "claims[0].steps[0]"),
        (10, "claims[0].role"),
    ]
    assert errors[0][2] == "unknown term 'Treg'; write 'regulatory T cell'"
    assert errors[1][2].startswith(
        "unknown term 'wizard cell'; known terms: leukocyte, CD8+ T cell"
    )
    assert (
        errors[3][2]
        == "unknown term 'helps'; known terms: promotes, inhibits, both, context-dependent"
    )


def test_pmid_must_match_the_file_name_and_the_page(tmp_path: Path) -> None:
    path = tmp_path / "21387299.yaml"
    path.write_text(MINIMAL, encoding="utf-8")
    errors = validate_annotations(load_annotations(path), EREZ)
    assert [(error.field, error.message) for error in errors] == [
        ("pmid", "29037250 does not match the file name"),
        ("pmid", "29037250 but the page is PMID 21387299"),
    ]


def test_a_quote_lost_after_a_data_change_fails_the_check(tmp_path: Path) -> None:
    changed = Article(
        pmid="29037250",
        title=JANSSEN.title,
        abstract=JANSSEN.abstract.replace("concomitant immunity", "concurrent immunity"),
        references=JANSSEN.references,
    )
    path = tmp_path / "29037250.yaml"
    shutil.copyfile(ANNOTATIONS / "29037250.yaml", path)
    errors = validate_annotations(load_annotations(path), changed)
    assert [error.field for error in errors] == ["claims[4].quote.exact"]
    assert errors[0].message == "quote not found in the review's text"


# --- lines as read by libyaml, lines as ruamel.yaml records them ---------------------------------

CLAIM_FORMS = (
    "  - id: {id}\n"
    "    statement: Claim {n}.\n"
    "    quote:\n"
    '      exact: "prevents the growth of a secondary tumor or metastases"\n'
    "    location: {location}\n"
    "    cells: [{cell}]\n"
    "    refs: [{ref}]\n",
    "  - {{id: {id}, statement: 'Claim {n}.', quote: {{exact: the primary tumor,\n"
    "      prefix: 'sufficient to destroy '}}, location: {location}, cells: [{cell}],\n"
    "      refs: [{ref}]}}\n",
    "  # a claim written out at length\n"
    "  -\n"
    "    id: {id}\n"
    "    statement: >-\n"
    "      Claim\n"
    "      {n}.\n"
    "    quote: {{exact: {quote}}}\n"
    "    location: {location}\n"
    "    cells:\n"
    "      - {cell}\n"
    "    refs:\n"
    "      - {ref}\n",
)
NOTE_FORMS = (
    "  - index: {index}\n    note: Note {n}.\n    tags: [{tag}]\n",
    "  - {{index: {index}, note: 'Note {n}.'}}\n",
    "  -\n    # a note over lines\n    index: {index}\n    note: |\n      Note\n      {n}.\n",
)


def many_errors_file(count: int) -> str:
    """A file of ``count`` claims and notes in every form, with errors of every kind that
    validation finds, first, last and between."""
    wrong = {0, 1, count // 2, count - 2, count - 1}
    claims = [
        CLAIM_FORMS[n % len(CLAIM_FORMS)].format(
            n=n,
            id="c0" if n in wrong else f"c{n}",
            location="title" if n % 7 == 3 else "abstract",
            cell="Treg" if n in wrong else "leukocyte",
            ref=7 if n in wrong else 2,
            quote="not in the review" if n % 5 == 4 else "the primary tumor",
        )
        for n in range(count)
    ]
    notes = [
        NOTE_FORMS[n % len(NOTE_FORMS)].format(
            n=n, index=1 if n in wrong else n + 1, tag="review" if n % 2 else "hallmarks"
        )
        for n in range(count)
    ]
    return 'pmid: "29037250"\nclaims:\n' + "".join(claims) + "references:\n" + "".join(notes)


def test_errors_name_the_lines_ruamel_yaml_records_for_them() -> None:
    """The fast reader's lines (`FieldLines`) and the round-trip reader's (`document_lines`)
    agree for every error, whatever its kind and wherever it is in the file."""
    text = many_errors_file(40)
    fast = validate_annotations(loads_annotations(text, "29037250.yaml"), JANSSEN)
    round_trip = annotations_from_document(parse_document(text), "29037250.yaml")
    assert fast == validate_annotations(round_trip, JANSSEN)
    kinds = {error.message.split(" ")[0] + " " + error.field.split(".")[-1] for error in fast}
    assert {
        "duplicate id",
        "unknown cells[0]",
        "reference refs[0]",
        "reference index",
        "quote exact",
        "the location",
    } <= kinds
    assert [error.line for error in fast[:3]] == [8, 9, 10]


def test_schema_errors_name_the_lines_ruamel_yaml_records_for_them() -> None:
    text = many_errors_file(12).replace("'Note 4.'", "' '").replace("    index: 6\n", "")
    text = text.replace("[review]", "[review, review]").replace("refs: [2]}", "refs: [2], x: 1}")
    text = text.replace("id: c9", "id: [c9]")
    with pytest.raises(AnnotationsInvalid) as refused:
        loads_annotations(text, "29037250.yaml")
    fast = list(refused.value.errors)
    assert fast == schema_errors(parse_document(text), "29037250.yaml")
    assert [(error.line, error.field) for error in fast] == [
        (34, "claims[4].x"),
        (56, "claims[7].x"),
        (69, "claims[9].id"),
        (104, "references[3].tags"),
        (105, "references[4].note"),
        (108, "references[5].index"),
        (123, "references[9].tags"),
    ]
