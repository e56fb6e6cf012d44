"""The build on a dask.distributed LocalCluster (two worker processes) gives the tables the
local scheduler gives, and names a corrupt file while the others finish."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from reviewbook.corpus.build import CorpusCounts, build_corpus
from tests.corpus.conftest import write_update
from tests.corpus.test_build import content, plain_loop

distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def cluster() -> Iterator[str]:
    """Two single-threaded worker processes, no dashboard; closed when the module is done."""
    with (
        distributed.LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            worker_dashboard_address=None,
        ) as local,
        distributed.Client(local, timeout="60s") as client,
    ):
        client.wait_for_workers(2, timeout=60)
        yield local.scheduler_address


def test_the_cluster_builds_what_the_local_scheduler_builds(
    cluster: str, baseline: Path, tmp_path: Path
) -> None:
    write_update(baseline.parent)
    on_cluster = build_corpus([baseline.parent], tmp_path / "cluster", scheduler=cluster)
    assert on_cluster.published
    assert on_cluster.corpus == CorpusCounts(records=4, replaced=1, deleted=1)
    build_corpus([baseline.parent], tmp_path / "local", scheduler="processes", workers=2)
    plain_loop([baseline.parent], tmp_path / "loop")
    assert content(tmp_path / "cluster") == content(tmp_path / "local")
    assert content(tmp_path / "cluster") == content(tmp_path / "loop")


def test_a_corrupt_file_fails_alone_on_the_cluster(
    cluster: str, baseline: Path, tmp_path: Path
) -> None:
    corrupt = baseline / "pubmed26n0005.xml.gz"
    corrupt.write_bytes(b"\x1f\x8b" + b"\x00" * 64)
    heard: list[str] = []
    report = build_corpus(
        [baseline],
        tmp_path / "corpus",
        scheduler=cluster,
        on_done=lambda done: heard.append(done.name),
    )
    assert not report.published and not (tmp_path / "corpus").exists()
    assert sorted(heard) == ["pubmed26n0001.xml.gz", "pubmed26n0002.xml.gz", "pubmed26n0005.xml.gz"]
    assert [outcome.name for outcome in report.failures] == ["pubmed26n0005.xml.gz"]
    assert report.records_read == 5
    assert str(corrupt) in str(report.failures[0].error)
