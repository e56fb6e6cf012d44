"""Annotation files: reading, validation errors, anchoring, safe edits, export, tables, editor.

Example files under ``tests/data/annotations/`` are named for what they show; their quotes
are checked against the seed pages in ``data/pubmed/``.
"""

from __future__ import annotations

import io
import json
import multiprocessing
import os
import shutil
import signal
import sys
import time
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reviewbook.annotations.anchoring import (
    AmbiguousQuoteError,
    Anchor,
    Quote,
    QuoteNotFoundError,
    locate_quote,
    text_parts,
)
from reviewbook.annotations.records import (
    AnnotationError,
    Annotations,
    AnnotationsInvalid,
    Claim,
    ReferenceNote,
    annotation_files,
    check_annotations,
    load_annotations,
    loads_annotations,
    parse_document,
    validate_annotations,
)
from reviewbook.annotations.store import (
    dump_document,
    save_annotations,
    temp_prefix,
    text_node,
    update_reference_note,
    upsert_claim,
)
from reviewbook.annotations.tables import (
    claims_frame,
    evidence_frame,
    evidence_matrix,
    reference_tags_frame,
)
from reviewbook.annotations.vocabulary import VOCABULARIES, suggest_term, term_names
from reviewbook.annotations.web_annotation import ANNOTATION_CONTEXT, to_web_annotations
from reviewbook.cli.annotations import run_check, run_export
from reviewbook.model import Article, Figure
from reviewbook.notebook.editor import AnnotationEditor, ClaimEditor, ReferenceNoteEditor
from reviewbook.sources.page import read_pubmed_page
from reviewbook.workbook import paths
from tests import annotation_workers
from tests.conftest import PUBMED, TEST_DATA

EXAMPLES = TEST_DATA / "annotations"
JANSSEN = read_pubmed_page(PUBMED / "29037250.txt")
EREZ = read_pubmed_page(PUBMED / "21387299.txt")
PAGES = {"29037250": JANSSEN, "21387299": EREZ}

MINIMAL = 'pmid: "29037250"\n# notes are added below by the tests\nreferences: []\n'


def _errors(name: str) -> list[tuple[int | None, str, str]]:
    """``(line, field, message)`` of every error in an example file, checked against its page."""
    path = EXAMPLES / name
    try:
        annotations = load_annotations(path)
    except AnnotationsInvalid as invalid:
        found = list(invalid.errors)
    else:
        found = validate_annotations(annotations, PAGES[annotations.pmid])
    return [(error.line, error.field, error.message) for error in found]


@pytest.fixture
def copy_of(tmp_path: Path):
    """Copy an example file into a fresh folder, named as the real files are: ``<pmid>.yaml``."""

    def copy(name: str, pmid: str = "29037250") -> Path:
        target = tmp_path / f"{pmid}.yaml"
        shutil.copyfile(EXAMPLES / name, target)
        return target

    return copy


# --- reading ----------------------------------------------------------------------------------


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


def test_python_tags_are_refused_before_anything_is_built() -> None:
    assert _errors("python_tag.yaml") == [
        (
            2,
            "yaml",
            "tag !!python/object/apply:os.system is not allowed: only mappings, lists, strings, "
            "numbers, booleans and null (quote a value to keep it as text)",
        )
    ]


def test_other_non_core_types_are_refused_too() -> None:
    for text, tag in [
        ('pmid: "1"\nwhen: 2020-01-01\n', "!!timestamp"),
        ('pmid: "1"\nblob: !!binary aGVsbG8=\n', "!!binary"),
        ('pmid: "1"\nx: !custom 3\n', "!custom"),
        ('pmid: "1"\nx: !!set {a: null}\n', "!!set"),
    ]:
        with pytest.raises(AnnotationsInvalid) as raised:
            parse_document(text)
        assert raised.value.errors[0].message.startswith(f"tag {tag} is not allowed")
        assert raised.value.errors[0].line == 2


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
                    "steps, role, refs)",
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
    assert _errors(name) == expected


def test_unknown_terms_suggest_the_canonical_name_or_list_the_vocabulary() -> None:
    errors = _errors("unknown_cell.yaml")
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
    shutil.copyfile(PUBMED.parent / "annotations" / "29037250.yaml", path)
    errors = check_annotations(path, changed)
    assert [error.field for error in errors] == ["claims[4].quote.exact"]
    assert errors[0].message == "quote not found in the review's text"


# --- anchoring --------------------------------------------------------------------------------


def test_text_parts_name_title_abstract_figures_and_sections() -> None:
    assert list(text_parts(EREZ)) == ["title", "abstract", "figure:Figure"]
    assert text_parts(EREZ)["figure:Figure"].startswith(
        "Immune signaling in tumor microenvironments facilitates all stages of tumorigenesis\n"
        "Soluble mediators"
    )


def test_repeated_section_headings_get_numbered() -> None:
    article = Article(pmid="1", title="T", sections=(("Notes", "a"), ("Notes", "b"), ("Empty", "")))
    assert text_parts(article) == {"title": "T", "section:Notes": "a", "section:Notes (2)": "b"}


def test_prefix_and_suffix_pick_one_of_several_occurrences() -> None:
    with pytest.raises(AmbiguousQuoteError) as raised:
        locate_quote(JANSSEN, Quote("the primary tumor"))
    assert len(raised.value.anchors) == 2
    first = locate_quote(JANSSEN, Quote("the primary tumor", suffix=" induces"))
    second = locate_quote(JANSSEN, Quote("the primary tumor", prefix="destroy "))
    assert first.location == second.location == "abstract"
    assert JANSSEN.abstract[first.start : first.end] == "the primary tumor"
    assert first.start < second.start


def test_quote_in_a_figure_caption_anchors_to_the_figure() -> None:
    anchor = locate_quote(EREZ, Quote("activation of osteoclasts in bone"))
    assert anchor == Anchor("figure:Figure", 775, 808)
    assert text_parts(EREZ)["figure:Figure"][775:808] == "activation of osteoclasts in bone"
    with pytest.raises(QuoteNotFoundError):
        locate_quote(EREZ, Quote("activation of osteoclasts in lung"))


# --- safe edits -------------------------------------------------------------------------------


def test_saving_unchanged_annotations_keeps_the_file_byte_for_byte(copy_of) -> None:
    path = copy_of("valid_with_comments.yaml")
    before = path.read_bytes()
    save_annotations(load_annotations(path), article=JANSSEN)
    assert path.read_bytes() == before


def test_editing_a_note_keeps_comments_key_order_and_quotes(copy_of) -> None:
    path = copy_of("valid_with_comments.yaml")
    update_reference_note(path, 2, note="The hallmarks of cancer, 2011 edition.", article=JANSSEN)
    expected = (EXAMPLES / "valid_with_comments.yaml").read_text(encoding="utf-8")
    expected = expected.replace(
        "note: Hallmarks framework.", "note: The hallmarks of cancer, 2011 edition."
    )
    assert path.read_text(encoding="utf-8") == expected


def test_new_reference_note_goes_in_index_order_with_flow_tags(copy_of) -> None:
    path = copy_of("valid_with_comments.yaml")
    update_reference_note(path, 1, note="Breast cancer models.", tags=["models", " review "])
    update_reference_note(path, 5, tags=["inefficiency"])
    text = path.read_text(encoding="utf-8")
    assert text.endswith(
        "references:\n"
        "  - index: 1\n"
        "    note: Breast cancer models.\n"
        "    tags: [models, review]\n"
        "  - index: 2  # Hanahan & Weinberg\n"
        "    note: Hallmarks framework.\n"
        "    tags: [hallmarks, review]\n"
        "  - index: 5\n"
        "    tags: [inefficiency]\n"
    )


def test_clearing_note_and_tags_removes_the_entry(copy_of) -> None:
    path = copy_of("valid_with_comments.yaml")
    annotations = update_reference_note(path, 2, note="", tags=[])
    assert annotations.references == ()
    assert load_annotations(path).references == ()


def test_invalid_edits_are_refused_and_write_nothing(copy_of) -> None:
    path = copy_of("valid_with_comments.yaml")
    before = path.read_bytes()
    with pytest.raises(AnnotationsInvalid) as out_of_range:
        update_reference_note(path, 9, note="Not on the page.", article=JANSSEN)
    assert "reference 9 out of range: the page lists references 1-5" in str(out_of_range.value)
    with pytest.raises(AnnotationsInvalid) as long_tag:
        update_reference_note(path, 2, tags=["x" * 41])
    assert long_tag.value.errors[0].field == "references[0].tags[0]"
    bad_claim = Claim("concomitant", "Changed.", Quote("not in the abstract"), "abstract")
    with pytest.raises(AnnotationsInvalid, match="quote not found"):
        upsert_claim(path, bad_claim, article=JANSSEN)
    assert path.read_bytes() == before
    assert list(path.parent.glob(temp_prefix(path) + "*")) == []


def test_upsert_claim_replaces_fields_in_place_and_appends_new_claims(copy_of) -> None:
    path = copy_of("valid_with_comments.yaml")
    changed = Claim(
        id="concomitant",
        statement="Concomitant immunity stops metastases from growing.",
        quote=Quote("prevents the growth of a secondary tumor or metastases"),
        location="abstract",
        steps=("colonisation and outgrowth", "dormancy"),
        role="inhibits",
    )
    new = Claim(
        id="host-cells",
        statement="Host cells shape every step.",
        quote=Quote("influenced by non-malignant host cells"),
        location="abstract",
        role="context-dependent",
    )
    upsert_claim(path, changed, article=JANSSEN)
    annotations = upsert_claim(path, new, article=JANSSEN)
    assert annotations.claims[0] == changed
    assert annotations.claims[2] == new
    text = path.read_text(encoding="utf-8")
    assert "  # The second claim below shows a prefix making a repeated phrase unique.\n" in text
    assert "    steps: [colonisation and outgrowth, dormancy]\n" in text
    assert "      prefix: 'sufficient to destroy '\n" in text


def test_save_annotations_updates_reorders_and_removes_entries(copy_of) -> None:
    path = copy_of("valid_with_comments.yaml")
    annotations = load_annotations(path)
    reordered = Annotations(
        pmid=annotations.pmid,
        claims=(annotations.claims[1],),
        references=(ReferenceNote(1, "New."), annotations.references[0]),
    )
    saved = save_annotations(reordered, path, article=JANSSEN)
    assert saved == Annotations(
        pmid="29037250", claims=reordered.claims, references=reordered.references, path=str(path)
    )
    assert "# Hanahan & Weinberg" in path.read_text(encoding="utf-8")


@given(st.text(min_size=1, max_size=300).filter(lambda text: text.strip()))
def test_any_note_text_reads_back_exactly(note: str) -> None:
    document = parse_document(MINIMAL)
    document["references"].append({"index": 1, "note": text_node(note)})
    assert parse_document(dump_document(document))["references"][0]["note"] == note


def test_long_notes_are_folded_at_spaces() -> None:
    note = " ".join(["metastasis"] * 30)
    document = parse_document(MINIMAL)
    document["references"].append({"index": 1, "note": text_node(note)})
    text = dump_document(document)
    assert "note: >-\n" in text
    assert max(len(line) for line in text.splitlines()) <= 90


def _spawn() -> multiprocessing.context.SpawnContext:
    return multiprocessing.get_context("spawn")


def test_four_processes_saving_at_once_lose_no_edit(tmp_path: Path) -> None:
    path = tmp_path / "29037250.yaml"
    path.write_text(MINIMAL, encoding="utf-8")
    saves = 100
    context = _spawn()
    workers = [
        context.Process(
            target=annotation_workers.count_edits, args=(str(path), worker + 1, worker, saves)
        )
        for worker in range(4)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=300)
        assert worker.exitcode == 0
    annotations = load_annotations(path)
    assert annotations.references == tuple(
        ReferenceNote(worker + 1, f"{saves} edits", (f"worker {worker}",)) for worker in range(4)
    )
    assert "# notes are added below by the tests" in path.read_text(encoding="utf-8")


def _wait_for(condition, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting for the child process"
        time.sleep(0.01)


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_save_killed_before_the_rename_leaves_the_old_file(tmp_path: Path) -> None:
    path = tmp_path / "29037250.yaml"
    shutil.copyfile(EXAMPLES / "valid_with_comments.yaml", path)
    before = path.read_bytes()
    marker = tmp_path / "marker"
    child = _spawn().Process(
        target=annotation_workers.save_then_hang, args=(str(path), "Half-saved note.", str(marker))
    )
    child.start()
    _wait_for(marker.exists)
    os.kill(child.pid, signal.SIGKILL)
    child.join(timeout=30)
    assert child.exitcode == -signal.SIGKILL
    assert path.read_bytes() == before
    assert validate_annotations(load_annotations(path), JANSSEN) == []
    leftovers = list(tmp_path.glob(temp_prefix(path) + "*"))
    assert len(leftovers) == 1  # the dead writer's temporary file, complete but never renamed
    assert annotation_files(tmp_path) == [path]  # never taken for an annotation file
    update_reference_note(path, 2, note="Saved after the crash.")  # the next save clears it up
    assert list(tmp_path.glob(temp_prefix(path) + "*")) == []
    assert load_annotations(path).references[0].note == "Saved after the crash."


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_save_killed_at_any_moment_leaves_a_whole_valid_file(tmp_path: Path) -> None:
    path = tmp_path / "29037250.yaml"
    base = (EXAMPLES / "valid_with_comments.yaml").read_text(encoding="utf-8")
    filler = "".join(f"  - index: {n}\n    note: {'padding ' * 40}end\n" for n in range(3, 1500))
    versions = (base, base + filler)
    path.write_text(versions[0], encoding="utf-8")
    for delay in (0.02, 0.2):
        child = _spawn().Process(target=annotation_workers.save_forever, args=(str(path), versions))
        child.start()
        _wait_for(lambda: any(tmp_path.glob(temp_prefix(path) + "*")))
        time.sleep(delay)
        os.kill(child.pid, signal.SIGKILL)
        child.join(timeout=30)
        assert path.read_text(encoding="utf-8") in versions
        assert loads_annotations(path.read_text(encoding="utf-8")).pmid == "29037250"
        assert annotation_files(tmp_path) == [path]


# --- export -----------------------------------------------------------------------------------


def test_export_is_a_web_annotation_collection_with_required_fields() -> None:
    annotations = load_annotations(PUBMED.parent / "annotations" / "21387299.yaml")
    document = to_web_annotations(annotations, EREZ)
    assert document["@context"] == ANNOTATION_CONTEXT
    assert document["type"] == "AnnotationCollection"
    assert document["id"].startswith("urn:uuid:")
    assert document["total"] == len(annotations.claims)
    page = document["first"]
    assert page["type"] == "AnnotationPage"
    assert page["partOf"] == document["id"]
    items = page["items"]
    assert len({item["id"] for item in items}) == len(items)
    for item, claim in zip(items, annotations.claims, strict=True):
        assert {"id", "type", "target"} <= set(item)
        assert item["type"] == "Annotation"
        assert item["id"].startswith("urn:uuid:")
        assert item["target"]["source"] == "https://pubmed.ncbi.nlm.nih.gov/21387299/"
        selector = item["target"]["selector"]
        assert selector["type"] == "TextQuoteSelector"
        assert selector["exact"] == claim.quote.exact
        describing, *tags = item["body"]
        assert describing == {
            "type": "TextualBody",
            "value": claim.statement,
            "format": "text/plain",
            "language": "en",
            "purpose": "describing",
        }
        assert all(tag["type"] == "TextualBody" and tag["purpose"] == "tagging" for tag in tags)
    ctc = items[[claim.id for claim in annotations.claims].index("erez-figure-ctc-survival")]
    assert [tag["value"] for tag in ctc["body"][1:]] == [
        "cell: platelet",
        "cell: neutrophil",
        "step: survival in circulation",
        "role: promotes",
    ]


def test_export_keeps_prefix_and_suffix_and_links_cited_references() -> None:
    annotations = load_annotations(EXAMPLES / "valid_with_comments.yaml")
    item = to_web_annotations(annotations, JANSSEN)["first"]["items"][1]
    assert item["target"]["selector"] == {
        "type": "TextQuoteSelector",
        "exact": "the primary tumor",
        "prefix": "sufficient to destroy ",
    }
    assert item["body"][-1] == {
        "id": "https://doi.org/10.1016/j.cell.2011.02.013",
        "purpose": "linking",
    }


def test_export_ids_are_stable() -> None:
    annotations = load_annotations(EXAMPLES / "valid_with_comments.yaml")
    assert to_web_annotations(annotations, JANSSEN) == to_web_annotations(annotations, JANSSEN)


def test_export_refuses_annotations_that_do_not_anchor() -> None:
    annotations = load_annotations(EXAMPLES / "ambiguous_quote.yaml")
    with pytest.raises(AnnotationsInvalid, match="add a prefix or suffix"):
        to_web_annotations(annotations, JANSSEN)


# --- command-line functions -------------------------------------------------------------------


def test_run_check_prints_one_line_per_error_and_returns_1() -> None:
    out, err = io.StringIO(), io.StringIO()
    status = run_check([EXAMPLES / "duplicate_ids.yaml"], pages=PUBMED, out=out, err=err)
    assert status == 1
    path = EXAMPLES / "duplicate_ids.yaml"
    assert out.getvalue().splitlines() == [
        f"{path}:8: claims[1].id: duplicate claim id 'same' (first on line 3)",
        f"{path}:16: references[1].index: reference 1 is annotated twice (first on line 14)",
    ]
    assert err.getvalue() == "checked 1 annotation file: 2 errors\n"


def test_run_check_of_the_project_files_passes() -> None:
    out, err = io.StringIO(), io.StringIO()
    assert run_check(out=out, err=err) == 0
    assert out.getvalue() == ""
    assert err.getvalue() == "checked 2 annotation files: 0 errors\n"


def test_run_check_returns_2_for_a_missing_file_or_page(tmp_path: Path) -> None:
    out, err = io.StringIO(), io.StringIO()
    assert run_check([tmp_path / "nothing.yaml"], out=out, err=err) == 2
    assert "nothing.yaml: cannot be read: No such file or directory" in err.getvalue()
    (tmp_path / "29037250.yaml").write_text(MINIMAL, encoding="utf-8")
    assert run_check([tmp_path], pages=tmp_path, out=out, err=io.StringIO()) == 2


def test_run_export_writes_json_ld(tmp_path: Path) -> None:
    target = tmp_path / "erez.jsonld"
    assert run_export("21387299", target) == 0
    document = json.loads(target.read_text(encoding="utf-8"))
    assert document["total"] == len(load_annotations(paths.annotations_path("21387299")).claims)


def test_run_export_of_invalid_annotations_writes_nothing(tmp_path: Path) -> None:
    out, err = io.StringIO(), io.StringIO()
    status = run_export("29037250", annotations=EXAMPLES / "ambiguous_quote.yaml", out=out, err=err)
    assert status == 1
    assert out.getvalue() == ""
    assert "claims[0].quote.exact: quote occurs 2 times" in err.getvalue()


def test_data_folder_can_be_moved_with_an_environment_variable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert paths.data_dir() == PUBMED.parent
    monkeypatch.setenv(paths.DATA_ENV, str(tmp_path))
    assert paths.annotations_path("1") == tmp_path / "annotations" / "1.yaml"
    assert paths.pubmed_page_path("1") == tmp_path / "pubmed" / "1.txt"


# --- tables -----------------------------------------------------------------------------------

TWO_REVIEWS = [
    Annotations(
        pmid="1",
        claims=(
            Claim(
                "a",
                "A.",
                Quote("a"),
                "abstract",
                ("platelet", "neutrophil"),
                ("survival in circulation",),
                "promotes",
            ),
            Claim("b", "B.", Quote("b"), "abstract", ("neutrophil",), ("survival in circulation",)),
            Claim("c", "C.", Quote("c"), "abstract", (), ("dormancy",), "inhibits"),
        ),
    ),
    Annotations(
        pmid="2",
        claims=(
            Claim(
                "d",
                "D.",
                Quote("d"),
                "abstract",
                ("neutrophil",),
                ("survival in circulation",),
                "both",
            ),
        ),
        references=(ReferenceNote(3, "<b>bold</b>", ("inflammation", "review")),),
    ),
]


def test_evidence_matrix_lists_roles_reviews_and_claims_per_cell_and_step() -> None:
    matrix = evidence_matrix(TWO_REVIEWS)
    assert list(matrix.index) == ["neutrophil", "platelet"]
    assert list(matrix.columns) == list(term_names(VOCABULARIES["steps"]))
    assert matrix.loc["neutrophil", "survival in circulation"] == (
        "promotes (1: a); role not stated (1: b); both (2: d)"
    )
    assert matrix.loc["platelet", "survival in circulation"] == "promotes (1: a)"
    assert matrix.loc["platelet", "dormancy"] == ""


def test_evidence_frame_keeps_claims_without_cells() -> None:
    frame = evidence_frame(TWO_REVIEWS)
    row = frame[frame["claim_id"] == "c"].iloc[0]
    assert row["step"] == "dormancy"
    assert row["cell"] is pd_na()


def pd_na() -> object:
    import pandas as pd

    return pd.NA


def test_reference_tags_frame_joins_tags_for_filtering() -> None:
    frame = reference_tags_frame(TWO_REVIEWS)
    assert frame.to_dict("records") == [
        {"review_pmid": "2", "index": 3, "note": "<b>bold</b>", "tags": "inflammation; review"}
    ]
    assert frame[frame["tags"].str.contains("inflammation")].shape[0] == 1


def test_claims_frame_has_one_row_per_claim() -> None:
    frame = claims_frame(TWO_REVIEWS)
    assert list(frame["id"]) == ["a", "b", "c", "d"]
    assert frame.loc[0, "cells"] == "platelet; neutrophil"


# --- notebook editor --------------------------------------------------------------------------


def test_editor_saves_a_note_and_tags(copy_of) -> None:
    path = copy_of("valid_with_comments.yaml")
    editor = ReferenceNoteEditor(path, JANSSEN)
    editor.reference.value = 3
    editor.note.value = "Early steps of metastasis."
    editor.tags.value = "invasion; metastatic cascade, review"
    editor.save.click()
    assert "Saved reference 3" in editor.status.value
    assert load_annotations(path).reference_note(3) == ReferenceNote(
        3, "Early steps of metastasis.", ("invasion", "metastatic cascade", "review")
    )
    editor.reference.value = 2
    assert editor.note.value == "Hallmarks framework."
    assert editor.tags.value == "hallmarks, review"


def test_editor_refuses_an_invalid_edit_with_the_reason(copy_of) -> None:
    path = copy_of("valid_with_comments.yaml")
    before = path.read_bytes()
    editor = ReferenceNoteEditor(path, JANSSEN)
    editor.reference.value = 2
    editor.tags.value = "hallmarks; a tag far too long to be a tag because it is a sentence"
    editor.save.click()
    assert "Not saved:" in editor.status.value
    assert "references[0].tags[1]" in editor.status.value
    assert path.read_bytes() == before


def test_html_in_a_note_is_shown_as_text(copy_of) -> None:
    path = copy_of("valid_with_comments.yaml")
    script = "<script>alert('x')</script><img src=x onerror=alert(1)>"
    editor = ReferenceNoteEditor(path, JANSSEN)
    editor.reference.value = 2
    editor.note.value = script
    editor.save.click()
    assert load_annotations(path).reference_note(2).note == script
    for shown in (editor.preview.value, editor.status.value):
        assert "<script" not in shown and "<img" not in shown
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in editor.preview.value
    html_table = reference_tags_frame(load_annotations(path)).to_html()
    assert "<script" not in html_table and "&lt;script&gt;" in html_table


def test_claim_editor_adds_a_claim_and_refuses_a_bad_quote(copy_of) -> None:
    path = copy_of("valid_with_comments.yaml")
    editor = ClaimEditor(path, JANSSEN)
    assert editor.claim.value == ""  # a new claim
    editor.claim_id.value = "century"
    editor.statement.value = "The link is over a hundred years old."
    editor.exact.value = "Over a century ago"
    editor.location.value = "abstract"
    editor.cells.value = ("leukocyte",)
    editor.refs.value = "1, 2"
    editor.save.click()
    assert "Saved claim century" in editor.status.value
    assert load_annotations(path).claims[-1].refs == (1, 2)
    assert editor.claim.value == "century"
    before = path.read_bytes()
    editor.exact.value = "Over a millennium ago"
    editor.save.click()
    assert "quote not found" in editor.status.value
    editor.exact.value = "Over a century ago"
    editor.refs.value = "two"
    editor.save.click()
    assert "refs must be reference numbers" in editor.status.value
    assert path.read_bytes() == before


def test_editor_of_an_invalid_file_says_why(tmp_path: Path) -> None:
    path = tmp_path / "21387299.yaml"
    shutil.copyfile(EXAMPLES / "python_tag.yaml", path)
    editor = AnnotationEditor(path)
    assert "does not validate" in editor.references.status.value
    assert "!!python/object/apply:os.system" in editor.claims.status.value


# --- vocabulary -------------------------------------------------------------------------------


def test_vocabulary_names_and_synonyms_are_unambiguous() -> None:
    for terms in VOCABULARIES.values():
        spellings = [name.casefold() for term in terms for name in (term.name, *term.synonyms)]
        assert len(spellings) == len(set(spellings))
        assert all(term.definition.endswith(".") for term in terms)


def test_suggest_term_maps_synonyms_and_case_to_the_canonical_name() -> None:
    cells = VOCABULARIES["cells"]
    assert suggest_term(cells, "Tregs") == "regulatory T cell"
    assert suggest_term(cells, "Macrophage") == "macrophage"
    assert suggest_term(cells, "wizard") is None


def test_figure_title_without_caption_is_its_own_part() -> None:
    article = Article(pmid="1", title="T", figures=(Figure("Fig. 1", "Cascade", ""),))
    assert text_parts(article)["figure:Fig. 1"] == "Cascade"


def test_quick_schema_check_agrees_with_jsonschema_on_every_example() -> None:
    """Valid files skip jsonschema (slow to import); both validators must judge alike."""
    import fastjsonschema

    from reviewbook.annotations.records import (
        _quick_schema_check,
        _schema_validator,
        parse_document,
    )

    judged = 0
    for path in sorted((TEST_DATA / "annotations").glob("*.yaml")) + sorted(
        (PUBMED.parent / "annotations").glob("*.yaml")
    ):
        try:
            document = parse_document(path.read_text(encoding="utf-8"), str(path))
        except Exception:
            continue  # not YAML at all: no schema to judge
        try:
            _quick_schema_check()(document)
            quick_valid = True
        except fastjsonschema.JsonSchemaException:
            quick_valid = False
        assert quick_valid == (not list(_schema_validator().iter_errors(document))), path
        judged += 1
    assert judged >= 10
