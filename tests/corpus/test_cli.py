"""``reviewbook corpus build``: what it prints, and a corrupt file through the command."""

from __future__ import annotations

from pathlib import Path

import pytest

from reviewbook.cli import main
from tests.corpus.conftest import write_update
from tests.corpus.test_build import content


def test_build_says_what_the_corpus_holds(
    baseline: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_update(baseline.parent)
    out = tmp_path / "corpus"
    status = main(["corpus", "build", str(baseline.parent), "--out", str(out), "--workers", "2"])
    assert status == 0
    assert capsys.readouterr().out == (
        f"{out}: 4 records from 3 files (1 earlier versions replaced, 1 deleted); "
        "3 of 3 files read (6 records), 0 unchanged and reused\n"
    )


def test_a_corrupt_gzip_file_fails_the_build_and_names_the_file(
    baseline: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "corpus"
    assert main(["corpus", "build", str(baseline), "--out", str(out)]) == 0
    before = content(out)
    capsys.readouterr()
    corrupt = baseline / "pubmed26n0004.xml.gz"
    corrupt.write_bytes((baseline / "pubmed26n0001.xml.gz").read_bytes()[:150])
    write_update(baseline.parent)
    status = main(["corpus", "build", str(baseline.parent), "--out", str(out), "--workers", "2"])
    captured = capsys.readouterr()
    assert status == 2
    assert captured.out == ""
    assert captured.err.splitlines() == [
        f"reviewbook: {corrupt}: cut short: the compressed data ends before its end marker",
        "reviewbook: corpus not built: 1 of 4 files could not be read; 1 of 2 files read "
        f"(1 records), 2 unchanged and reused; nothing published, {out} left as it was",
    ]
    assert content(out) == before


def test_sources_that_are_not_there_are_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "baseline"
    assert main(["corpus", "build", str(missing), "--out", str(tmp_path / "c")]) == 2
    assert capsys.readouterr().err == f"reviewbook: {missing}: no such file or folder\n"
