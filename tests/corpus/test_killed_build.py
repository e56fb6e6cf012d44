"""A local build (Dask's ``processes`` scheduler) killed in the middle leaves no process
behind: its pool's worker processes die with it, whether it was stopped by SIGTERM or SIGKILL,
and nothing is published. (On a cluster: `test_cluster`.)"""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest

from tests.corpus.processes import (
    DEADLINE,
    LINUX_ONLY,
    live_members,
    reviewbook_running,
    wait_until,
)


@LINUX_ONLY
@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGKILL], ids=lambda stop: stop.name)
def test_a_local_build_killed_mid_way_leaves_no_process(
    stop: signal.Signals, many_files: Path, tmp_path: Path
) -> None:
    out, logs = tmp_path / "corpus", tmp_path / "logs"
    command = ["corpus", "build", many_files, "--out", out, "--workers", "2"]
    with reviewbook_running(command, logs) as build:

        def writing() -> bool:
            assert build.poll() is None, "the build ended before it was seen writing"
            return any(tmp_path.glob(".corpus.building-*/articles/*.parquet"))

        wait_until(writing, "a task writing its partitions")
        assert len(live_members(build.pid)) > 1  # the build and the processes it started
        os.kill(build.pid, stop)
        assert build.wait(DEADLINE) == -stop
        wait_until(lambda: not live_members(build.pid), "every process of the build gone")
    assert not out.exists()
