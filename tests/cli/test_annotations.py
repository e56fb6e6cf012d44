"""``reviewbook annotations check|export``: one line per error, exit statuses 0, 1 and 2."""

from __future__ import annotations

import gc
import io
import json
from pathlib import Path
from typing import Any

import pytest

from reviewbook.annotations.loading import load_annotations
from reviewbook.annotations.model import AnnotationError
from reviewbook.cli import annotations as cli_annotations
from reviewbook.cli.annotations import run_check, run_export
from reviewbook.workbook import checking, paths
from tests.annotations.conftest import MINIMAL
from tests.conftest import EXAMPLES, PUBMED


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
    count = len(list(paths.annotations_dir().glob("*.yaml")))
    assert err.getvalue() == f"checked {count} annotation files: 0 errors\n"


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
    annotations = load_annotations(paths.annotations_path("21387299"))
    assert document["total"] == len(annotations.claims) + len(annotations.references)


def test_run_export_of_invalid_annotations_writes_nothing(tmp_path: Path) -> None:
    out, err = io.StringIO(), io.StringIO()
    status = run_export("29037250", annotations=EXAMPLES / "ambiguous_quote.yaml", out=out, err=err)
    assert status == 1
    assert out.getvalue() == ""
    assert "claims[0].quote.exact: quote occurs 2 times" in err.getvalue()


def test_notes_kept_for_a_removed_review_are_checked_alone_and_named(tmp_path: Path) -> None:
    pages = tmp_path / "pubmed"
    pages.mkdir()
    (pages / "manifest.csv").write_text("pmid,pubmed_url,sha256,file,review\n", encoding="utf-8")
    kept = tmp_path / "31000001.yaml"
    kept.write_text('pmid: "31000001"\nclaims: []\nreferences: []\n', encoding="utf-8")
    broken = tmp_path / "31000002.yaml"
    broken.write_text(
        'pmid: "31000002"\nclaims:\n  - id: a\n    statement: S.\n    quote: {exact: "x"}\n'
        "    location: abstract\n    cells: [Treg]\n",
        encoding="utf-8",
    )
    out, err = io.StringIO(), io.StringIO()
    assert run_check([kept, broken], pages=pages, out=out, err=err) == 1
    assert out.getvalue() == (
        f"{broken}:7: claims[0].cells[0]: unknown term 'Treg'; write 'regulatory T cell'\n"
    )
    assert err.getvalue() == (
        f"{kept}: kept for a review not in the workbook: its quotes are not checked\n"
        "checked 2 annotation files: 1 error\n"
    )


def test_a_file_is_checked_with_the_collector_paused_and_it_resumes_after(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    collecting: list[bool] = []
    validate = checking.validate_annotations

    def spy(*args: Any, **kwargs: Any) -> list[AnnotationError]:
        collecting.append(gc.isenabled())
        return validate(*args, **kwargs)

    monkeypatch.setattr(checking, "validate_annotations", spy)
    errors = cli_annotations.check_file(EXAMPLES / "duplicate_ids.yaml", PUBMED)
    assert [error.line for error in errors] == [8, 16]
    assert collecting == [False]
    assert gc.isenabled()
