"""The build on a real dask.distributed cluster: ``dask scheduler`` and ``dask worker``
processes on 127.0.0.1 (the `cluster` fixture), which the build reaches by its address alone,
with a client of its own: no test here makes a default client in this process.

A build from a fresh process gives the tables the local scheduler gives; a corrupt file fails
alone; a worker killed in the middle of a build changes nothing (Dask runs its tasks again) or
fails the build naming each file lost, in one line, publishing nothing; a build killed in the
middle leaves no process behind, and the cluster forgets its tasks.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
from pathlib import Path
from typing import Any

import pytest

from reviewbook.cli import main
from reviewbook.corpus.build import CorpusCounts, build_corpus
from tests.corpus.conftest import MANY_FILES, RECORDS_PER_FILE, write_update
from tests.corpus.processes import (
    DEADLINE,
    LINUX_ONLY,
    DaskCluster,
    Finished,
    assert_same_corpus,
    finished,
    free_port,
    live_members,
    reviewbook_running,
    run_reviewbook,
    wait_until,
)

pytest.importorskip("distributed")


@pytest.fixture(autouse=True)
def settled(cluster: DaskCluster) -> None:
    """Each test starts on a cluster with both workers up (a killed one is restarted by its
    nanny) and no task left from an earlier test."""
    cluster.watcher.wait_for_workers(2, timeout=DEADLINE)
    wait_until(lambda: cluster.task_count() == 0, "the cluster holding no task")


def test_the_command_on_a_cluster_builds_what_the_local_scheduler_builds(
    cluster: DaskCluster, baseline: Path, tmp_path: Path
) -> None:
    write_update(baseline.parent)
    out = tmp_path / "cluster"
    command = ["corpus", "build", baseline.parent, "--out", out, "--scheduler", cluster.address]
    built = run_reviewbook(command, tmp_path / "logs")
    assert built == Finished(
        0,
        f"{out}: 4 records from 3 files (1 earlier versions replaced, 1 deleted); "
        "3 of 3 files read (6 records), 0 unchanged and reused\n",
        "",
    )
    local = build_corpus([baseline.parent], tmp_path / "local", scheduler="synchronous")
    assert local.corpus == CorpusCounts(records=4, replaced=1, deleted=1)
    assert_same_corpus(out, tmp_path / "local")


def test_a_corrupt_file_fails_alone_on_the_cluster(
    cluster: DaskCluster, baseline: Path, tmp_path: Path
) -> None:
    corrupt = baseline / "pubmed26n0005.xml.gz"
    corrupt.write_bytes(b"\x1f\x8b" + b"\x00" * 64)
    heard: list[str] = []
    report = build_corpus(
        [baseline],
        tmp_path / "corpus",
        scheduler=cluster.address,
        on_done=lambda done: heard.append(done.name),
    )
    assert not report.published and not (tmp_path / "corpus").exists()
    assert sorted(heard) == ["pubmed26n0001.xml.gz", "pubmed26n0002.xml.gz", "pubmed26n0005.xml.gz"]
    assert [outcome.name for outcome in report.failures] == ["pubmed26n0005.xml.gz"]
    assert report.records_read == 5
    assert str(corrupt) in str(report.failures[0].error)


def test_an_unreachable_scheduler_is_said_in_one_line(tmp_path: Path, baseline: Path) -> None:
    address = f"tcp://127.0.0.1:{free_port()}"
    command = ["corpus", "build", baseline, "--out", tmp_path / "corpus", "--scheduler", address]
    patience = {"DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT": "5s"}  # instead of 30 s
    built = run_reviewbook(command, tmp_path / "logs", patience)
    assert built == Finished(
        2, "", f"reviewbook: Timed out trying to connect to {address} after 5 s\n"
    )
    assert not (tmp_path / "corpus").exists()


def test_a_misspelt_scheduler_is_refused_before_anything_is_read(
    tmp_path: Path, baseline: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    command = ["corpus", "build", str(baseline), "--out", str(tmp_path / "c")]
    with pytest.raises(SystemExit) as exited:
        main([*command, "--scheduler", "proceses"])
    assert exited.value.code == 2
    assert capsys.readouterr().err.splitlines()[-1] == (
        "reviewbook corpus build: error: argument --scheduler: 'proceses' is neither processes, "
        "threads, synchronous nor a scheduler's address (tcp://HOST:PORT)"
    )
    assert not (tmp_path / "c").exists()


# --- killed in the middle -------------------------------------------------------------------


def _busy_worker(build: subprocess.Popen[str], cluster: DaskCluster) -> str | None:
    """A worker running a task of ``build``; fails if the build ended before there was one."""
    assert build.poll() is None, "the build ended before a worker was seen busy"
    return cluster.busy_worker()


def _kill_a_busy_worker(build: subprocess.Popen[str], cluster: DaskCluster) -> None:
    worker = wait_until(lambda: _busy_worker(build, cluster), "a task processing on a worker")
    os.kill(cluster.worker_pid(worker), signal.SIGKILL)


def _lost_files_named(built: Finished, sources: Path, out: Path, reason: str = ".+") -> None:
    """The build failed: each lost file named on one line with the ``reason`` (a pattern), then
    the summary; nothing published."""
    *lost, summary = built.err.splitlines()
    assert (built.status, built.out, not out.exists()) == (2, "", True), built
    assert lost, built.err
    named = re.escape(f"reviewbook: {sources}{os.sep}")
    for line in lost:
        assert re.fullmatch(rf"{named}pubmed26n\d{{4}}\.xml: its task was lost: {reason}", line)
    read = MANY_FILES - len(lost)
    assert summary == (
        f"reviewbook: corpus not built: {len(lost)} of {MANY_FILES} files could not be read; "
        f"{read} of {MANY_FILES} files read ({read * RECORDS_PER_FILE:,} records), "
        f"0 unchanged and reused; nothing published, {out} left as it was"
    )


def test_a_worker_killed_mid_build_changes_nothing_or_names_each_file_lost(
    cluster: DaskCluster, many_files: Path, many_files_corpus: Path, tmp_path: Path
) -> None:
    out, logs = tmp_path / "corpus", tmp_path / "logs"
    command = ["corpus", "build", many_files, "--out", out, "--scheduler", cluster.address]
    with reviewbook_running(command, logs) as build:
        _kill_a_busy_worker(build, cluster)
        built = finished(build, logs)
    print(f"after a worker was killed mid-build: exit status {built.status}")
    if built.status == 0:
        assert built.err == "", built.err
        assert_same_corpus(out, many_files_corpus)
    else:
        _lost_files_named(built, many_files, out)


def test_when_the_scheduler_allows_no_worker_death_the_files_lost_are_named(
    cluster: DaskCluster, many_files: Path, tmp_path: Path
) -> None:
    """The failing side of the test above, made certain: a scheduler whose ``allowed-failures``
    is 0 gives up on each task in flight on a worker that died."""

    def allow(failures: int) -> int:
        def set_allowed(dask_scheduler: Any) -> int:
            before = int(dask_scheduler.allowed_failures)
            dask_scheduler.allowed_failures = failures
            return before

        return int(cluster.watcher.run_on_scheduler(set_allowed))

    out, logs = tmp_path / "corpus", tmp_path / "logs"
    command = ["corpus", "build", many_files, "--out", out, "--scheduler", cluster.address]
    allowed = allow(0)
    try:
        with reviewbook_running(command, logs) as build:
            _kill_a_busy_worker(build, cluster)
            built = finished(build, logs)
    finally:
        allow(allowed)
    _lost_files_named(built, many_files, out, reason="KilledWorker: .+ workers died .+")


@LINUX_ONLY
@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGKILL], ids=lambda stop: stop.name)
def test_a_build_killed_mid_way_leaves_no_process_and_no_task_on_the_cluster(
    stop: signal.Signals, cluster: DaskCluster, many_files: Path, tmp_path: Path
) -> None:
    out, logs = tmp_path / "corpus", tmp_path / "logs"
    command = ["corpus", "build", many_files, "--out", out, "--scheduler", cluster.address]
    with reviewbook_running(command, logs) as build:
        wait_until(lambda: _busy_worker(build, cluster), "a task processing on a worker")
        os.kill(build.pid, stop)
        assert build.wait(DEADLINE) == -stop
        wait_until(lambda: not live_members(build.pid), "every process of the build gone")
    wait_until(lambda: cluster.task_count() == 0, "the cluster forgetting the build's tasks")
    assert not out.exists()
