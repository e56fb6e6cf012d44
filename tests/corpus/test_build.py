"""Building a corpus: tables, update and delete semantics, reuse, staging, schedulers."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from reviewbook.corpus import build
from reviewbook.corpus.build import (
    CorpusCounts,
    CorpusError,
    build_corpus,
    write_current,
)
from reviewbook.corpus.generated import write_pubmed_file
from reviewbook.corpus.inputs import find_inputs
from reviewbook.corpus.partitions import SCHEMAS, FileCounts, write_partitions
from reviewbook.model import Article, Deletion
from reviewbook.sources.formats import iter_entries
from tests.corpus.conftest import record, write_update

TABLES = (*SCHEMAS, "current")


def content(folder: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table of a corpus, sorted: what two builds must agree on."""
    tables = {name: pq.read_table(folder / name) for name in SCHEMAS}
    tables["current"] = pq.read_table(folder / "current.parquet")
    return {
        name: sorted(tuple(map(repr, row.values())) for row in table.to_pylist())
        for name, table in tables.items()
    }


def current(folder: Path) -> list[tuple[int, str]]:
    rows = pq.read_table(folder / "current.parquet").to_pylist()
    return [(row["pmid"], row["source_file"]) for row in rows]


def test_a_baseline_becomes_the_tables_of_its_records(baseline: Path, tmp_path: Path) -> None:
    report = build_corpus([baseline], tmp_path / "corpus", scheduler="synchronous")
    assert report.published and report.failures == ()
    assert report.corpus == CorpusCounts(records=5, replaced=0, deleted=0)
    articles = pq.read_table(tmp_path / "corpus" / "articles").to_pylist()
    first = next(row for row in articles if row["pmid"] == 900000001)
    assert first["publication_types"] == ["Journal Article", "Review"]
    assert first["mesh"] == [
        {"descriptor": "Neoplasm Metastasis", "major": True, "qualifiers": ["immunology"]},
        {"descriptor": "Immune System", "major": False, "qualifiers": []},
    ]
    assert (first["year"], first["journal"], first["doi"], first["generated"]) == (
        2018, "Nat Rev Cancer", "10.99999/generated.900000001", True,
    )  # fmt: skip
    references = pq.read_table(tmp_path / "corpus" / "references").to_pylist()
    cited = [
        (row["citing_pmid"], row["position"], row["cited_pmid"], row["cited_doi"])
        for row in references
        if row["citing_pmid"] == 900000001
    ]
    assert cited == [
        (900000001, 1, 900000020, None),
        (900000001, 2, 123, None),
        (900000001, 3, None, "10.1000/Only-DOI"),
    ]
    authors = pq.read_table(tmp_path / "corpus" / "authors").to_pylist()
    assert [row["name"] for row in authors if row["pmid"] == 900000001] == ["Garcia AB", "Chen J"]
    ledger = json.loads((tmp_path / "corpus" / "ledger.json").read_text())
    assert [(entry["name"], entry["counts"]["records"]) for entry in ledger["files"]] == [
        ("pubmed26n0001.xml.gz", 3),
        ("pubmed26n0002.xml.gz", 2),
    ]


def test_an_update_file_replaces_a_record_and_deletes_another(
    baseline: Path, tmp_path: Path
) -> None:
    write_update(baseline.parent)
    report = build_corpus([baseline.parent], tmp_path / "corpus", scheduler="synchronous")
    assert report.corpus == CorpusCounts(records=4, replaced=1, deleted=1)
    assert current(tmp_path / "corpus") == [
        (900000001, "pubmed26n0001.xml.gz"),
        (900000002, "pubmed26n0003.xml.gz"),
        (900000003, "pubmed26n0002.xml.gz"),
        (900000020, "pubmed26n0001.xml.gz"),
    ]


def test_updates_apply_in_name_order_whatever_the_order_given(
    baseline: Path, tmp_path: Path
) -> None:
    update = write_update(baseline.parent)
    given = [update, *sorted(baseline.iterdir(), reverse=True)]
    assert [entry.name for entry in find_inputs(given)] == [
        "pubmed26n0001.xml.gz",
        "pubmed26n0002.xml.gz",
        "pubmed26n0003.xml.gz",
    ]
    build_corpus(given, tmp_path / "corpus", scheduler="synchronous")
    assert (900000002, "pubmed26n0003.xml.gz") in current(tmp_path / "corpus")


def test_a_record_deleted_then_added_again_later_is_alive(baseline: Path, tmp_path: Path) -> None:
    from reviewbook.corpus.generated import write_pubmed_file
    from tests.corpus.conftest import PAPER_4

    write_update(baseline.parent)
    write_pubmed_file(baseline.parent / "updatefiles" / "pubmed26n0004.xml.gz", [PAPER_4])
    report = build_corpus([baseline.parent], tmp_path / "corpus", scheduler="synchronous")
    assert report.corpus == CorpusCounts(records=5, replaced=2, deleted=0)
    assert (900000004, "pubmed26n0004.xml.gz") in current(tmp_path / "corpus")


def test_rebuilding_with_one_more_file_reads_only_that_file(baseline: Path, tmp_path: Path) -> None:
    out = tmp_path / "corpus"
    build_corpus([baseline.parent], out, scheduler="synchronous")
    before = content(out)
    write_update(baseline.parent)
    report = build_corpus([baseline.parent], out, scheduler="synchronous")
    assert [outcome.name for outcome in report.processed] == ["pubmed26n0003.xml.gz"]
    assert [entry.name for entry in report.reused] == [
        "pubmed26n0001.xml.gz",
        "pubmed26n0002.xml.gz",
    ]
    assert report.corpus == CorpusCounts(records=4, replaced=1, deleted=1)
    assert content(out)["articles"] != before["articles"]
    again = build_corpus([baseline.parent], out, scheduler="synchronous")
    assert again.processed == () and len(again.reused) == 3


def test_a_changed_file_is_read_again(baseline: Path, tmp_path: Path) -> None:
    from reviewbook.corpus.generated import write_pubmed_file
    from tests.corpus.conftest import REVIEW_3

    out = tmp_path / "corpus"
    build_corpus([baseline], out, scheduler="synchronous")
    write_pubmed_file(baseline / "pubmed26n0002.xml.gz", [REVIEW_3])
    report = build_corpus([baseline], out, scheduler="synchronous")
    assert [outcome.name for outcome in report.processed] == ["pubmed26n0002.xml.gz"]
    assert report.corpus == CorpusCounts(records=4, replaced=0, deleted=0)


def test_only_deletions_that_removed_a_record_are_counted(baseline: Path, tmp_path: Path) -> None:
    updates = baseline.parent / "updatefiles"
    # 900000004 is held; 999999999 never was; 900000030 is deleted before it first appears
    write_pubmed_file(
        updates / "pubmed26n0003.xml.gz", [], deleted=["900000004", "999999999", "900000030"]
    )
    # 900000004 deleted again; 900000001 held; 999999999 again never held
    write_pubmed_file(
        updates / "pubmed26n0004.xml.gz",
        [record(900000030)],
        deleted=["900000004", "900000001", "999999999"],
    )
    report = build_corpus([baseline.parent], tmp_path / "corpus", scheduler="synchronous")
    assert report.corpus == CorpusCounts(records=4, replaced=0, deleted=2)
    assert [pmid for pmid, _ in current(tmp_path / "corpus")] == [
        900000002,
        900000003,
        900000020,
        900000030,
    ]


def test_a_file_replaced_while_it_is_read_is_read_again_by_the_next_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The ledger holds the digest of the bytes the records were read from, so a file replaced
    by another of the same size once its records are read is not taken for read."""
    folder = tmp_path / "pubmed"
    read = write_pubmed_file(folder / "pubmed26n0001.xml", [record(900000001, title="First.")])
    first = read.read_bytes()
    second = first.replace(b"First.", b"Again.")
    assert (len(second), second != first) == (len(first), True)
    written = build.write_partitions

    def replaced_once_read(
        entries: Iterable[Article | Deletion], into: Path, key: str, source_file: str
    ) -> FileCounts:
        counts = written(entries, into, key, source_file)
        read.write_bytes(second)  # after the read, before the ledger is written
        return counts

    monkeypatch.setattr(build, "write_partitions", replaced_once_read)
    out = tmp_path / "corpus"
    build_corpus([folder], out, scheduler="synchronous")
    monkeypatch.undo()
    [entry] = json.loads((out / "ledger.json").read_text())["files"]
    assert (entry["size"], entry["sha256"]) == (len(first), hashlib.sha256(first).hexdigest())
    assert [row["title"] for row in pq.read_table(out / "articles").to_pylist()] == ["First."]
    report = build_corpus([folder], out, scheduler="synchronous")
    assert ([outcome.name for outcome in report.processed], report.reused) == (
        ["pubmed26n0001.xml"],
        (),
    )
    assert [row["title"] for row in pq.read_table(out / "articles").to_pylist()] == ["Again."]


def test_a_failed_file_publishes_nothing_and_keeps_the_previous_corpus(
    baseline: Path, tmp_path: Path
) -> None:
    out = tmp_path / "corpus"
    build_corpus([baseline], out, scheduler="synchronous")
    before = content(out)
    corrupt = baseline / "pubmed26n0009.xml.gz"
    corrupt.write_bytes((baseline / "pubmed26n0001.xml.gz").read_bytes()[:200])
    write_update(baseline.parent)
    report = build_corpus([baseline.parent], out, scheduler="threads", workers=2)
    assert not report.published
    assert [(outcome.name, outcome.ok) for outcome in report.processed] == [
        ("pubmed26n0003.xml.gz", True),
        ("pubmed26n0009.xml.gz", False),
    ]
    assert str(corrupt) in str(report.failures[0].error)
    assert content(out) == before
    assert sorted(path.name for path in tmp_path.iterdir()) == [".corpus.lock", "corpus", "pubmed"]


def test_a_folder_that_is_not_a_corpus_is_never_replaced(baseline: Path, tmp_path: Path) -> None:
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "mine.txt").write_text("keep me")
    with pytest.raises(CorpusError, match="is not a corpus"):
        build_corpus([baseline], tmp_path / "notes", scheduler="synchronous")
    assert (tmp_path / "notes" / "mine.txt").read_text() == "keep me"


def test_a_build_killed_while_publishing_is_rolled_back(baseline: Path, tmp_path: Path) -> None:
    out = tmp_path / "corpus"
    build_corpus([baseline], out, scheduler="synchronous")
    before = content(out)
    out.rename(tmp_path / ".corpus.previous-x1")  # killed between its two renames
    (tmp_path / ".corpus.building-x2").mkdir()
    report = build_corpus([baseline], out, scheduler="synchronous")
    assert report.processed == ()  # the recovered corpus was reused
    assert content(out) == before
    assert sorted(path.name for path in tmp_path.iterdir()) == [".corpus.lock", "corpus", "pubmed"]


def plain_loop(sources: list[Path], out: Path) -> None:
    """The build without Dask: each file's partitions in turn, then the current versions."""
    inputs = find_inputs(sources)
    for entry in inputs:
        write_partitions(iter_entries(entry.path, citations=False), out, entry.key, entry.name)
    write_current(out, [entry.name for entry in inputs])


def test_dask_schedulers_and_a_plain_loop_give_the_same_tables(
    baseline: Path, tmp_path: Path
) -> None:
    write_update(baseline.parent)
    sources = [baseline.parent]
    plain_loop(sources, tmp_path / "loop")
    expected = content(tmp_path / "loop")
    for scheduler in ("synchronous", "threads", "processes"):
        build_corpus(sources, tmp_path / scheduler, scheduler=scheduler, workers=2)
        assert content(tmp_path / scheduler) == expected, scheduler
    assert len(expected["articles"]) == 6  # every version read is kept; current picks
