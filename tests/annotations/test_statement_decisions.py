"""Decisions on suggested statements in the annotation file (``statements:``): read, checked,
written back in place, and saved with their claim in one edit."""

from __future__ import annotations

import dataclasses
import re
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reviewbook import read_article
from reviewbook.annotations.anchoring import Quote
from reviewbook.annotations.loading import (
    annotations_from_document,
    load_annotations,
    loads_annotations,
)
from reviewbook.annotations.model import (
    DECISIONS,
    Annotations,
    AnnotationsInvalid,
    Claim,
    StatementDecision,
)
from reviewbook.annotations.schema import annotations_schema
from reviewbook.annotations.store import (
    AnnotationsChanged,
    decide_statement,
    save_annotations,
)
from reviewbook.annotations.validation import validate_annotations
from reviewbook.annotations.vocabulary import CELL_TYPES, term_names
from reviewbook.annotations.yaml_io import parse_document
from tests.annotations.conftest import JANSSEN, MINIMAL, STAMP, file_errors
from tests.annotations.statement_frames import COX, PGE2, protac_review
from tests.conftest import EXAMPLES
from tests.sources.test_jats import FULLTEXT

CONCOMITANT = (
    "This phenomenon, called concomitant immunity, indicates that the primary tumor induces an "
    "immune response, which may not be sufficient to destroy the primary tumor, but prevents "
    "the growth of a secondary tumor or metastases."
)
CENTURY = (
    "Over a century ago, experiments first indicated a link between the immune system and "
    "metastasis."
)


def test_decisions_load_into_records_in_file_order() -> None:
    annotations = load_annotations(EXAMPLES / "statements_decided.yaml")
    assert annotations.statements == (
        StatementDecision(CONCOMITANT, "leukocyte", "accepted", "concomitant"),
        StatementDecision(CENTURY, "leukocyte", "rejected"),
    )
    assert annotations.decision_on(CENTURY, "leukocyte") == annotations.statements[1]
    assert annotations.decision_on(CENTURY, "macrophage") is None
    assert validate_annotations(annotations, JANSSEN) == []
    assert [annotations.line_of(f"statements[{n}].cell") for n in (0, 1)] == [17, 21]


def test_saving_decisions_unchanged_keeps_the_file_byte_for_byte(copy_of) -> None:
    path = copy_of("statements_decided.yaml")
    before = path.read_bytes()
    save_annotations(load_annotations(path), article=JANSSEN)
    assert path.read_bytes() == before


def test_save_annotations_rewrites_changed_decisions_in_place_and_drops_removed_ones(
    copy_of,
) -> None:
    path = copy_of("statements_decided.yaml")
    read = load_annotations(path)
    changed = Annotations(
        read.pmid,
        read.claims,
        statements=(StatementDecision(CENTURY, "leukocyte", "accepted", "concomitant"),),
        path=read.path,
        sha256=read.sha256,
    )
    save_annotations(changed, article=JANSSEN)
    text = path.read_text(encoding="utf-8")
    assert text.endswith(
        "statements:\n"
        "  # accepted: the claim restates the sentence in our words\n"
        '  - sentence: "Over a century ago, experiments first indicated a link between the '
        'immune system and metastasis."\n'
        "    cell: leukocyte  # too general to be a claim of ours\n"
        "    decision: accepted\n"
        "    claim: concomitant\n"
    )
    assert "cell: leukocyte\n" not in text  # the accepted entry is gone (its comment, on
    # the list, stays)
    assert load_annotations(path).statements == changed.statements


@settings(max_examples=60)
@given(
    sentence=st.text(
        st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=120
    ).filter(lambda text: text.strip()),
    cell=st.sampled_from(term_names(CELL_TYPES)),
)
def test_any_sentence_is_written_and_read_back_exactly(sentence: str, cell: str) -> None:
    decision = StatementDecision(sentence, cell, "rejected")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "29037250.yaml"
        path.write_text(MINIMAL, encoding="utf-8")
        saved = save_annotations(Annotations("29037250", statements=(decision,)), path)
        assert saved.statements == (decision,)
        assert load_annotations(path).statements == (decision,)


def test_each_wrong_decision_is_named_with_its_line_and_field() -> None:
    assert file_errors("statement_errors.yaml") == [
        (10, "statements[0].cell", "unknown term 'Treg'; write 'regulatory T cell'"),
        (12, "statements[1].claim", "an accepted statement names the claim made from it"),
        (15, "statements[2]", "this sentence is decided twice for 'NK cell' (first on line 12)"),
        (18, "statements[2].claim", "a rejected statement names no claim"),
        (19, "statements[3].sentence", "sentence not found in the review's text"),
        (22, "statements[3].claim", "no claim has id 'no-such-claim'"),
        (
            26,
            "statements[5].sentence",
            "sentence not found exactly; abstract has it with other quotes, dashes, spacing "
            "or case: copy it character for character",
        ),
    ]


def test_errors_print_as_file_line_field_message() -> None:
    annotations = load_annotations(EXAMPLES / "statement_errors.yaml")
    first = validate_annotations(annotations)[0]
    assert str(first) == (
        f"{EXAMPLES / 'statement_errors.yaml'}:10: statements[0].cell: unknown term 'Treg'; "
        "write 'regulatory T cell'"
    )


def test_malformed_entries_are_refused_by_the_schema_with_their_lines() -> None:
    assert file_errors("statement_malformed.yaml") == [
        (5, "statements[0].decision", "a decision is accepted or rejected, not 'maybe'"),
        (6, "statements[1].sentence", "' ' does not match '\\\\S'"),
        (9, "statements[2].cell", "missing required field"),
        (
            11,
            "statements[2].note",
            "unknown field (expected one of: sentence, cell, decision, claim)",
        ),
        (15, "statements[3].claim", "expected a string, got a list"),
        (16, "statements[4]", "expected a mapping, got a string"),
    ]


def test_both_readers_give_decisions_the_same_lines() -> None:
    text = (EXAMPLES / "statement_errors.yaml").read_text(encoding="utf-8")
    fast = validate_annotations(loads_annotations(text, "29037250.yaml"), JANSSEN)
    round_trip = annotations_from_document(parse_document(text), "29037250.yaml")
    assert fast == validate_annotations(round_trip, JANSSEN)


def test_schema_decision_pattern_is_the_models_decisions() -> None:
    definition = annotations_schema()["$defs"]["statement_decision"]
    assert definition["properties"]["decision"]["pattern"] == f"^({'|'.join(DECISIONS)})$"
    assert list(definition["properties"]) == ["sentence", "cell", "decision", "claim"]


# --- saving a decision with its claim -----------------------------------------------------------

PROTAC_FILE = 'pmid: "41032705"\n# decisions on suggested statements follow\n'
OUR_CLAIM = Claim(
    "pge2-suppressive",
    "PGE2 favours suppressive cells.",
    Quote(PGE2),
    f"section:{COX}",
    ("regulatory T cell",),
    role="promotes",
    refs=(53, 14),
)


@pytest.fixture
def protac_file(tmp_path: Path) -> Path:
    path = tmp_path / "41032705.yaml"
    path.write_text(PROTAC_FILE, encoding="utf-8")
    return path


def test_accepting_saves_the_claim_and_the_decision_in_one_edit(
    protac_file: Path, frozen_clock: str
) -> None:
    decision = StatementDecision(PGE2, "regulatory T cell", "accepted", OUR_CLAIM.id)
    saved = decide_statement(protac_file, decision, OUR_CLAIM, article=protac_review())
    stamped = dataclasses.replace(OUR_CLAIM, created=STAMP, modified=STAMP)
    assert (saved.claims, saved.statements) == ((stamped,), (decision,))
    text = protac_file.read_text(encoding="utf-8")
    assert text.startswith(PROTAC_FILE + "claims:\n  - id: pge2-suppressive\n")
    assert text.endswith(
        "statements:\n"
        "  - sentence: >-\n"
        "      PGE2 was found to promote immunosuppressive cells like regulatory T cells or\n"
        "      M2-type macrophages [53] and is further involved in CD8+ T cell exhaustion [14].\n"
        "    cell: regulatory T cell\n"
        "    decision: accepted\n"
        "    claim: pge2-suppressive\n"
    )
    assert load_annotations(protac_file) == saved.__class__(
        "41032705", (stamped,), (), (decision,), str(protac_file)
    )


def test_a_new_decision_on_the_same_sentence_and_cell_replaces_the_old(protac_file: Path) -> None:
    article = protac_review()
    decide_statement(
        protac_file, StatementDecision(PGE2, "macrophage", "rejected"), article=article
    )
    decide_statement(
        protac_file, StatementDecision(PGE2, "CD8+ T cell", "rejected"), article=article
    )
    decision = StatementDecision(PGE2, "macrophage", "accepted", OUR_CLAIM.id)
    saved = decide_statement(protac_file, decision, OUR_CLAIM, article=article)
    assert saved.statements == (decision, StatementDecision(PGE2, "CD8+ T cell", "rejected"))


def test_a_taken_claim_id_is_refused_and_nothing_is_written(protac_file: Path) -> None:
    article = protac_review()
    first = StatementDecision(PGE2, "regulatory T cell", "accepted", OUR_CLAIM.id)
    decide_statement(protac_file, first, OUR_CLAIM, article=article)
    before = protac_file.read_bytes()
    again = StatementDecision(PGE2, "macrophage", "accepted", OUR_CLAIM.id)
    with pytest.raises(AnnotationsInvalid) as taken:
        decide_statement(protac_file, again, OUR_CLAIM, article=article)
    assert [(error.field, error.message) for error in taken.value.errors] == [
        ("claims[1].id", "duplicate claim id 'pge2-suppressive' (first on line 4)")
    ]
    assert protac_file.read_bytes() == before


def test_a_claim_that_does_not_go_with_its_decision_is_a_programming_error(
    protac_file: Path,
) -> None:
    rejected = StatementDecision(PGE2, "macrophage", "rejected")
    with pytest.raises(ValueError, match="goes with an accepted decision naming it"):
        decide_statement(protac_file, rejected, OUR_CLAIM)
    other = StatementDecision(PGE2, "macrophage", "accepted", "another-id")
    with pytest.raises(ValueError, match=re.escape("not accepted ('another-id')")):
        decide_statement(protac_file, other, OUR_CLAIM)
    assert protac_file.read_text(encoding="utf-8") == PROTAC_FILE


def test_a_table_row_no_claim_can_quote_can_still_be_rejected(protac_file: Path) -> None:
    """Citing sentences in a table's cells are in no quotable part, but are the review's."""
    article = read_article(FULLTEXT / "PMC12311175.nxml")
    row = next(
        citation.sentence for citation in article.body.citations if citation.place == "Table 1"
    )
    path = protac_file.with_name(f"{article.pmid}.yaml")
    path.write_text(f'pmid: "{article.pmid}"\n', encoding="utf-8")
    decision = StatementDecision(row, "macrophage", "rejected")
    assert decide_statement(path, decision, article=article).statements == (decision,)
    made_up = StatementDecision(row + " (not in the review)", "macrophage", "rejected")
    with pytest.raises(AnnotationsInvalid, match="sentence not found in the review's text"):
        decide_statement(path, made_up, article=article)


def test_a_decision_on_a_file_changed_since_it_was_read_is_refused(protac_file: Path) -> None:
    read = load_annotations(protac_file)
    protac_file.write_text(PROTAC_FILE + "# another program's line\n", encoding="utf-8")
    decision = StatementDecision(PGE2, "macrophage", "rejected")
    with pytest.raises(AnnotationsChanged):
        decide_statement(protac_file, decision, expected_sha256=read.sha256)
    assert "statements:" not in protac_file.read_text(encoding="utf-8")
