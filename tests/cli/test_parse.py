"""The ``reviewbook parse`` command: formats, failures as one stderr line, exit status.

These tests read the seed pages with the real parser (``reviewbook.sources.page``).
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from reviewbook.cli import main
from reviewbook.model import Article
from reviewbook.sources.page import read_pubmed_page
from reviewbook.tables.frames import ARTICLE_COLUMNS, REFERENCE_COLUMNS
from tests.conftest import PUBMED, ROOT, TEST_DATA

JANSSEN = str(PUBMED / "29037250.txt")
EREZ = str(PUBMED / "21387299.txt")


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """Run ``reviewbook`` in-process; return exit status, stdout and stderr."""
    status = main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


@pytest.fixture
def empty_file(tmp_path: Path) -> str:
    path = tmp_path / "empty.txt"
    path.write_text("")
    return str(path)


@pytest.fixture
def html_file(tmp_path: Path) -> str:
    path = tmp_path / "12345.html"
    path.write_text(
        "<!DOCTYPE html>\n<html><head><title>PubMed</title></head><body></body></html>\n"
    )
    return str(path)


# --- output formats -------------------------------------------------------------------------


def test_table_prints_one_row_per_article(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = _run(capsys, "parse", JANSSEN, EREZ)
    assert (status, err) == (0, "")
    lines = out.splitlines()
    assert lines[0].split() == [
        "pmid",
        "year",
        "journal",
        "first_author",
        "n_references",
        "n_warnings",
        "title",
    ]
    assert [line.split()[0] for line in lines[1:]] == ["29037250", "21387299"]
    assert "J Immunother Cancer" in lines[1]


def test_table_with_references_prints_one_row_per_reference(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status, out, _ = _run(capsys, "parse", JANSSEN, "--references")
    assert status == 0
    lines = out.splitlines()
    assert lines[0].split()[:3] == ["review_pmid", "index", "authors"]
    assert len(lines) == 1 + len(read_pubmed_page(JANSSEN).references)
    assert "Hanahan D; Weinberg RA" in out


def test_csv_header_is_exactly_the_article_columns(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = _run(capsys, "parse", JANSSEN, EREZ, "--format", "csv")
    assert status == 0
    rows = list(csv.reader(io.StringIO(out)))
    assert out.splitlines()[0] == ",".join(ARTICLE_COLUMNS)
    assert [row[0] for row in rows[1:]] == ["29037250", "21387299"]


def test_csv_with_references_has_reference_columns_and_joined_authors(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status, out, _ = _run(capsys, "parse", JANSSEN, "--format", "csv", "--references")
    assert status == 0
    assert out.splitlines()[0] == ",".join(REFERENCE_COLUMNS)
    records = list(csv.DictReader(io.StringIO(out)))
    article = read_pubmed_page(JANSSEN)
    assert [tuple(record["authors"].split("; ")) for record in records] == [
        reference.authors for reference in article.references
    ]
    assert {record["review_pmid"] for record in records} == {"29037250"}


def test_json_round_trips_every_article_field(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = _run(capsys, "parse", JANSSEN, "--format", "json")
    assert status == 0
    [record] = json.loads(out)
    article = read_pubmed_page(JANSSEN)
    assert set(record) == set(Article.__dataclass_fields__)
    assert record["pmid"] == "29037250"
    assert record["title"] == article.title
    assert record["year"] == article.year
    assert record["article_types"] == list(article.article_types)
    assert record["abstract_sections"] == [list(pair) for pair in article.abstract_sections]
    assert record["source_path"] == article.source_path
    assert record["sha256"] == article.sha256
    assert len(record["references"]) == len(article.references)
    for nested, reference in zip(record["references"], article.references, strict=True):
        assert nested["authors"] == list(reference.authors)
        assert nested["links"] == sorted(reference.links)
        assert nested["year"] == reference.year
        assert nested["doi"] == reference.doi


def test_json_with_references_lists_them_flat_with_review_pmid(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status, out, _ = _run(capsys, "parse", JANSSEN, EREZ, "--format", "json", "--references")
    assert status == 0
    records = json.loads(out)
    assert [record["review_pmid"] for record in records] == ["29037250"] * 5 + ["21387299"] * 5
    assert list(records[0])[:3] == ["review_pmid", "index", "raw"]
    assert records[1]["authors"] == ["Hanahan D", "Weinberg RA"]


# --- failures -------------------------------------------------------------------------------


@pytest.mark.parametrize("bad", ["empty_file", "html_file", "missing", "directory"])
def test_bad_file_costs_one_stderr_line_and_status_2_but_good_file_is_printed(
    bad: str,
    request: pytest.FixtureRequest,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    paths = {"missing": str(tmp_path / "missing.txt"), "directory": str(tmp_path)}
    path = paths[bad] if bad in paths else request.getfixturevalue(bad)
    status, out, err = _run(capsys, "parse", path, JANSSEN, "--format", "json")
    assert status == 2
    assert [record["pmid"] for record in json.loads(out)] == ["29037250"]
    [line] = err.splitlines()
    assert line.startswith(f"reviewbook: {path}")
    assert line != f"reviewbook: {path}:"


def test_empty_file_line_names_path_line_and_reason(
    empty_file: str, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = _run(capsys, "parse", empty_file, "--format", "csv")
    assert status == 2
    assert out.splitlines() == [",".join(ARTICLE_COLUMNS)]
    assert err.startswith(f"reviewbook: {empty_file}:1: ")
    assert err.count("\n") == 1


def test_warnings_are_summarised_per_file_and_listed_on_request(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page = Path(JANSSEN).read_text(encoding="utf-8")
    odd = "    1. ???\n    1. !!!\n"
    path = tmp_path / "29037250.txt"
    path.write_text(page.replace("\nLinkOut", odd + "\nLinkOut"), encoding="utf-8")
    warnings = read_pubmed_page(path).warnings
    assert warnings, "the odd reference lines should be reported by the parser"

    status, _, err = _run(capsys, "parse", str(path))
    assert status == 0
    noun = "warning" if len(warnings) == 1 else "warnings"
    assert err == f"reviewbook: {path}: {len(warnings)} {noun} (use --warnings to list them)\n"

    status, _, err = _run(capsys, "parse", str(path), "--warnings")
    assert status == 0
    assert err.splitlines() == [f"reviewbook: {path}: warning: {text}" for text in warnings]


def test_many_files_show_no_progress_bar_when_stderr_is_not_a_terminal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page = Path(EREZ).read_bytes()
    paths = [tmp_path / f"{21387299 + number}.txt" for number in range(25)]
    for path in paths:
        path.write_bytes(page)
    status, out, err = _run(capsys, "parse", *map(str, paths), "--format", "csv")
    assert (status, err) == (0, "")
    assert len(out.splitlines()) == 1 + len(paths)


def test_no_files_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["parse"])
    assert exit_info.value.code == 2
    assert "FILE" in capsys.readouterr().err


# --- as a program ---------------------------------------------------------------------------


def test_python_m_reviewbook_prints_records_and_reports_failures(tmp_path: Path) -> None:
    missing = str(tmp_path / "missing.txt")
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    done = subprocess.run(
        [sys.executable, "-m", "reviewbook", "parse", EREZ, missing, "--format", "csv"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert done.returncode == 2
    assert done.stdout.splitlines()[0] == ",".join(ARTICLE_COLUMNS)
    assert done.stdout.splitlines()[1].startswith("21387299,")
    [line] = done.stderr.splitlines()
    assert line.startswith(f"reviewbook: {missing}")


# --- every format read_articles reads -------------------------------------------------------

XML = str(TEST_DATA / "pubmed_29037250_reference_list.xml")
NBIB = str(TEST_DATA / "medline_three_records.nbib")


def test_pubmed_xml_medline_and_pages_are_all_read(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = _run(capsys, "parse", XML, NBIB, EREZ, "--format", "csv")
    assert (status, err.splitlines()) == (
        0,
        [f"reviewbook: {NBIB}: 1 warning (use --warnings to list them)"],
    )
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [row["pmid"] for row in rows] == [
        "29037250",
        "29037250",
        "10000004",
        "10000005",
        "21387299",
    ]


def test_gzip_compressed_files_are_read(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    paths = []
    for source in (XML, NBIB, JANSSEN):
        path = tmp_path / (Path(source).name + ".gz")
        path.write_bytes(gzip.compress(Path(source).read_bytes()))
        paths.append(str(path))
    status, out, _ = _run(capsys, "parse", *paths, "--format", "json")
    assert status == 0
    assert [record["pmid"] for record in json.loads(out)] == [
        "29037250",
        "29037250",
        "10000004",
        "10000005",
        "29037250",
    ]


def test_references_of_pubmed_xml(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = _run(capsys, "parse", XML, "--references", "--format", "json")
    assert status == 0
    records = json.loads(out)
    assert len(records) == 9
    assert {record["source"] for record in records} == {"xml"}


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes on this system")
def test_named_pipe_costs_one_line_and_does_not_block(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    status, out, err = _run(capsys, "parse", str(fifo), JANSSEN, "--format", "csv")
    assert status == 2
    assert err == f"reviewbook: {fifo}: is a named pipe (FIFO), not a regular file\n"
    assert out.splitlines()[1].startswith("29037250,")


def test_dash_reads_standard_input(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    done = subprocess.run(
        [sys.executable, "-m", "reviewbook", "parse", "-", "--format", "csv"],
        input=gzip.compress(Path(NBIB).read_bytes()),
        capture_output=True,
        env=env,
        check=False,
    )
    assert done.returncode == 0
    rows = list(csv.DictReader(io.StringIO(done.stdout.decode("utf-8"))))
    assert [(row["pmid"], row["source_path"]) for row in rows] == [
        ("29037250", "<stdin>"),
        ("10000004", "<stdin>"),
        ("10000005", "<stdin>"),
    ]


def test_help_names_every_format(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["parse", "--help"])
    help_text = " ".join(capsys.readouterr().out.split())
    for words in ("MEDLINE (.nbib)", "PubMed XML", "gzip", "'-' reads standard input"):
        assert words in help_text


def test_ctrl_c_outside_a_change_is_one_line_and_the_shells_status(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Ctrl-C while a command reads (no change under way): no traceback, status 130."""

    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("reviewbook.cli.parse.iter_articles", interrupted)
    assert main(["parse", str(PUBMED / "29037250.txt")]) == 130
    assert capsys.readouterr().err == "reviewbook: interrupted\n"
