"""The ``reviewbook export`` command: reviews by PMID and files into one export.

An argument is a review of the workbook (the session's copy of the seed workbook, or a copy
named by ``--workbook``) or a file ``reviewbook parse`` reads. Output goes to stdout or, with
``-o``, to a file written atomically whose suffix names the format. Notes and failures are one
line each on stderr; a failure writes nothing and exits 2.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reviewbook import read_article
from reviewbook.cli import main
from reviewbook.exports import (
    EXPORT_FORMATS,
    bibtex,
    export_text,
    export_with_notes,
    ris,
    to_csl_json,
)
from reviewbook.workbook.reviews import load_review
from tests.conftest import PUBMED
from tests.exports.conftest import ADDED_REVIEW

JANSSEN, EREZ = "29037250", "21387299"


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """Run ``reviewbook`` in-process; return exit status, stdout and stderr."""
    status = main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


@pytest.mark.parametrize("name", list(EXPORT_FORMATS))
def test_a_review_by_pmid_goes_to_stdout_in_the_format_named(
    capsys: pytest.CaptureFixture[str], name: str
) -> None:
    status, out, err = _run(capsys, "export", JANSSEN, "--format", name)
    export = export_with_notes(load_review(JANSSEN), name)
    assert (status, out) == (0, export.text)
    assert err == "".join(f"reviewbook: {note}\n" for note in export.notes)


def test_several_arguments_export_all_their_references_in_one_file(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status, out, _ = _run(capsys, "export", JANSSEN, EREZ, str(ADDED_REVIEW), "--format", "ris")
    assert status == 0
    records = ris.loads(out)
    assert len(records) == 5 + 5 + 49
    assert records[-1]["PMID"] == "18216052"
    expected = [load_review(JANSSEN), load_review(EREZ), read_article(ADDED_REVIEW)]
    assert out == export_text(expected, "ris")


def test_output_to_a_file_takes_its_format_from_the_suffix(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    target = tmp_path / "refs.bib"
    status, out, err = _run(capsys, "export", str(ADDED_REVIEW), "-o", str(target))
    assert (status, out, err) == (0, "", "")  # PubMed XML gives hyphens: nothing to note
    items = bibtex.load(target)
    assert [item["id"] for item in items][:3] == ["radiology2015", "nature1994", "magn2009"]
    assert [item["PMID"] for item in items][:3] == ["25144646", "8028666", "19585597"]
    assert sorted(path.name for path in tmp_path.iterdir()) == ["refs.bib"]


def test_dash_o_dash_and_format_beat_the_suffix(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    status, out, _ = _run(capsys, "export", JANSSEN, "--format", "csl-json", "-o", "-")
    assert (status, json.loads(out)) == (0, json.loads(to_csl_json(load_review(JANSSEN))))
    target = tmp_path / "refs.bib"
    assert _run(capsys, "export", JANSSEN, "--format", "biblatex", "-o", str(target))[0] == 0
    assert "eprinttype = {pubmed}" not in target.read_text(encoding="utf-8")  # no PMIDs here
    assert "  journaltitle = {Nat. Rev. Cancer},\n" in target.read_text(encoding="utf-8")


def test_notes_go_to_stderr_one_line_each(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    status, out, err = _run(capsys, "export", str(PUBMED / f"{JANSSEN}.txt"), "--format", "bibtex")
    assert status == 0 and out.startswith("@article{weigelt2005breast,\n")
    assert err.splitlines() == [
        "reviewbook: vanzijl2011initial: bibtex issue: range dash written as --",
    ]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["12345678", "-o", "out.ris"],
            "reviewbook: PMID 12345678 is not a review of this "
            "workbook (`reviewbook add 12345678` adds it)",
        ),
        (
            ["missing.xml", "-o", "out.ris"],
            "reviewbook: missing.xml: cannot be read: No such file or directory",
        ),
        (
            [JANSSEN, "--format", "endnote", "-o", "out.ris"],
            "reviewbook: unknown export format 'endnote': "
            "choose one of bibtex, biblatex, ris, csl-json, csv",
        ),
        (
            [JANSSEN],
            "reviewbook: name the export format with --format "
            "(bibtex, biblatex, ris, csl-json, csv)",
        ),
        (
            [JANSSEN, "-o", "refs.docx"],
            "reviewbook: cannot tell the export format from "
            "'refs.docx': use one of .bib, .csv, .json, .ris, .txt or name the format",
        ),
    ],
)
def test_a_failure_is_one_line_naming_it_and_nothing_is_written(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    argv: list[str],
    message: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    status, out, err = _run(capsys, "export", *argv)
    assert (status, out) == (2, "")
    assert err.splitlines()[0] == message
    assert list(tmp_path.iterdir()) == []


def test_one_unreadable_argument_writes_nothing_of_the_others(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    broken = tmp_path / "broken.xml"
    broken.write_text("<PubmedArticleSet><PubmedArticle>", encoding="utf-8")
    target = tmp_path / "refs.ris"
    status, out, err = _run(capsys, "export", JANSSEN, str(broken), "-o", str(target))
    assert (status, out) == (2, "")
    assert err.splitlines()[0].startswith(f"reviewbook: {broken}")
    assert err.splitlines()[-1] == "reviewbook: nothing was written"
    assert not target.exists()
