"""Processes the corpus tests start: a real ``dask scheduler`` and ``dask worker`` on
127.0.0.1, and ``reviewbook corpus build`` in a child process, each in its own session so it
can be stopped with everything it started.

Every wait is on a condition with a generous deadline (`DEADLINE`), never a sleep that
assumes a speed: the tests must pass while other processes keep every core busy.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from reviewbook.corpus.build import CURRENT_NAME
from reviewbook.corpus.partitions import SCHEMAS

if TYPE_CHECKING:
    from distributed import Client

DEADLINE = 120.0
"""Seconds any one condition may take to come true, however busy the machine."""
POLL_SECONDS = 0.05
HOST = "127.0.0.1"
LINUX_ONLY = pytest.mark.skipif(sys.platform != "linux", reason="reads process groups in /proc")

Value = TypeVar("Value")


def wait_until(condition: Callable[[], Value], what: str, deadline: float = DEADLINE) -> Value:
    """Poll ``condition`` until it returns something true, and return that; fail after
    ``deadline`` seconds saying ``what`` was awaited."""
    end = time.monotonic() + deadline
    while not (value := condition()):
        if time.monotonic() > end:
            raise AssertionError(f"not within {deadline:.0f} s: {what}")
        time.sleep(POLL_SECONDS)
    return value


# --- processes and their sessions ---------------------------------------------------------------


def start_in_session(command: Sequence[str | os.PathLike[str]], log: Path) -> subprocess.Popen[str]:
    """Start ``command`` in a new session (its process group is its pid), output to ``log``,
    its temporary files in a folder beside it (a task killed in the middle leaves its copy of
    a file there, not in the machine's ``/tmp``)."""
    with open(log, "w", encoding="utf-8") as output:
        return subprocess.Popen(
            list(map(str, command)),
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
            text=True,
            env=_with_temporary_folder(log.with_suffix(".tmp")),
            start_new_session=True,
        )


def _with_temporary_folder(folder: Path, **environment: str) -> dict[str, str]:
    """Our environment, with ``environment`` added and ``folder`` (made) as ``TMPDIR``."""
    folder.mkdir(parents=True, exist_ok=True)
    return {**os.environ, **environment, "TMPDIR": str(folder)}


def live_members(group: int) -> list[int]:
    """The processes of process group ``group`` that are not zombies (read from /proc)."""
    members = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text(encoding="ascii", errors="replace")
        except OSError:  # gone meanwhile
            continue
        state, _parent, process_group = stat.rsplit(")", 1)[1].split()[:3]
        if int(process_group) == group and state != "Z":
            members.append(int(entry.name))
    return members


def stop_session(process: subprocess.Popen[str], *, grace: float = 30.0) -> None:
    """Stop ``process`` and every process of its group: SIGTERM, then SIGKILL for whatever is
    still there after ``grace`` seconds (or at once, for what outlived its leader)."""
    if process.poll() is None:
        _signal_group(process.pid, signal.SIGTERM)
        with suppress(subprocess.TimeoutExpired):
            process.wait(grace)
    _signal_group(process.pid, signal.SIGKILL)
    process.wait(DEADLINE)
    wait_until(lambda: not live_members(process.pid), f"the processes of group {process.pid} gone")


def _signal_group(group: int, number: signal.Signals) -> None:
    with suppress(ProcessLookupError):
        os.killpg(group, number)


@dataclass(frozen=True, slots=True)
class Finished:
    """How a child process ended: its exit status and what it wrote."""

    status: int
    out: str
    err: str


def reviewbook_command(arguments: Sequence[str | os.PathLike[str]]) -> list[str]:
    """``reviewbook ARGUMENTS...`` as a fresh Python process of this environment."""
    return [sys.executable, "-m", "reviewbook", *map(str, arguments)]


@contextmanager
def reviewbook_running(
    arguments: Sequence[str | os.PathLike[str]],
    logs: Path,
    environment: Mapping[str, str] | None = None,
) -> Iterator[subprocess.Popen[str]]:
    """``reviewbook ARGUMENTS...`` started in its own session (stdout, stderr and temporary
    files in ``logs``, ``environment`` added to ours), stopped with everything it started when
    the block ends, whatever happens in it."""
    logs.mkdir(parents=True, exist_ok=True)
    command = reviewbook_command(arguments)
    with open(logs / "out", "w") as out, open(logs / "err", "w") as err:
        child = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=err,
            text=True,
            env=_with_temporary_folder(logs / "tmp", **(environment or {})),
            start_new_session=True,
        )
    try:
        yield child
    finally:
        stop_session(child)


def finished(child: subprocess.Popen[str], logs: Path) -> Finished:
    """Wait (bounded) for ``child`` started by `reviewbook_running`; what it did."""
    status = child.wait(DEADLINE)
    return Finished(
        status, (logs / "out").read_text(encoding="utf-8"), (logs / "err").read_text("utf-8")
    )


def run_reviewbook(
    arguments: Sequence[str | os.PathLike[str]],
    logs: Path,
    environment: Mapping[str, str] | None = None,
) -> Finished:
    """Run ``reviewbook ARGUMENTS...`` in a child process to its end (bounded in time)."""
    with reviewbook_running(arguments, logs, environment) as child:
        return finished(child, logs)


# --- a dask.distributed cluster of real processes ---------------------------------------------


def free_port() -> int:
    """A TCP port on 127.0.0.1 nothing listens on now."""
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


@dataclass(frozen=True)
class DaskCluster:
    """A running ``dask scheduler`` with its workers, and a client that only watches it (never
    the process's default client: a build must connect its own)."""

    address: str
    watcher: Client
    """Connected with ``set_as_default=False``."""

    def busy_worker(self) -> str | None:
        """The address of a worker the scheduler has a task processing on, if any."""
        processing = self.watcher.processing()
        return next((worker for worker, keys in sorted(processing.items()) if keys), None)

    def worker_pid(self, worker: str) -> int:
        """The process id of the worker at address ``worker``."""
        return int(self.watcher.run(os.getpid, workers=[worker])[worker])

    def task_count(self) -> int:
        """How many tasks the scheduler holds (0: every client's work is done or forgotten)."""
        return int(self.watcher.run_on_scheduler(lambda dask_scheduler: len(dask_scheduler.tasks)))


@contextmanager
def dask_cluster(folder: Path, *, workers: int = 2) -> Iterator[DaskCluster]:
    """``dask scheduler`` and ``dask worker --nworkers N --nthreads 1`` on 127.0.0.1, without
    dashboards, each in its own session; both sessions killed when the block ends."""
    from distributed import Client

    dask = Path(sys.executable).with_name("dask")
    port = free_port()
    address = f"tcp://{HOST}:{port}"
    commands = {
        "scheduler": [
            dask, "scheduler", "--host", HOST, "--port", str(port), "--no-dashboard", "--no-show",
        ],
        "worker": [
            dask, "worker", address, "--host", HOST, "--nworkers", str(workers),
            "--nthreads", "1", "--no-dashboard", "--local-directory", folder / "scratch",
        ],
    }  # fmt: skip
    started: list[subprocess.Popen[str]] = []
    try:
        for name, command in commands.items():
            started.append(start_in_session(command, folder / f"{name}.log"))
        with Client(address, set_as_default=False, timeout=DEADLINE) as watcher:
            watcher.wait_for_workers(workers, timeout=DEADLINE)
            yield DaskCluster(address, watcher)
    finally:
        for process in reversed(started):
            stop_session(process)


# --- comparing corpora ------------------------------------------------------------------------


def corpus_frames(folder: Path) -> dict[str, pd.DataFrame]:
    """Every table of a corpus as a pandas frame (Arrow types, so list columns compare by
    value), rows sorted by every column that is not a list: two builds of the same files must
    give equal frames."""
    tables = {name: pq.read_table(folder / name, schema=schema) for name, schema in SCHEMAS.items()}
    tables["current"] = pq.read_table(folder / CURRENT_NAME)
    frames = {}
    for name, table in tables.items():
        scalar = [field.name for field in table.schema if not pa.types.is_list(field.type)]
        frame = table.to_pandas(types_mapper=pd.ArrowDtype)
        frame = frame.sort_values(scalar, na_position="first", kind="stable")
        frames[name] = frame.reset_index(drop=True)
    return frames


def assert_same_corpus(built: Path, expected: Path) -> None:
    """The corpora at ``built`` and ``expected`` hold exactly the same tables."""
    frames, expected_frames = corpus_frames(built), corpus_frames(expected)
    assert list(frames) == list(expected_frames)
    for name, frame in frames.items():
        pd.testing.assert_frame_equal(frame, expected_frames[name], check_exact=True, obj=name)
