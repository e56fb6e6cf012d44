"""``reviewbook add`` as a transaction: killed at any step, stopped by a signal, or run twice at
once, it leaves the old workbook or the new one, never a mixture.

Each test adds a real PubMed XML record to a copy of the workbook, executing its notebook and
the index (a few seconds), so the kill points are chosen: every phase of staging, and every
few files of publishing. ``$REVIEWBOOK_PAUSE_AT`` makes the add stop at a named step
(`transaction.checkpoint`) and wait there to be killed.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from reviewbook.cli import main
from reviewbook.workbook.adding import AddedReview, AddError, add_review
from reviewbook.workbook.paths import DATA_ENV, NOTEBOOKS_ENV, Workbook
from reviewbook.workbook.transaction import (
    PAUSE_ENV,
    PUBLISHING,
    Change,
    Journal,
    journal_path,
    recover,
    stage_folder,
    workbook_lock,
)
from tests.sources.test_ncbi import record_xml
from tests.workbook.conftest import WORKBOOK_LOCK, make_workbook, manifest_row, next_notebook

PMID = "12345678"
NOTEBOOK = next_notebook("anonymousnd_record_12345678")
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
ADD_SECONDS = 120
"""Upper bound on one add here (it takes a few seconds); only to stop a hung test."""


def state(root: Path) -> dict[str, str]:
    """Every file under ``root`` by content; in notebooks, what each run draws at random (cell
    ids, widget model ids) left out."""
    files: dict[str, str] = {}
    for path in sorted(root.rglob("*")):
        if path.is_file() and path.relative_to(root) != WORKBOOK_LOCK:
            data = path.read_bytes()
            if path.suffix == ".ipynb":
                data = _without_random_ids(data)
            files[path.relative_to(root).as_posix()] = hashlib.sha256(data).hexdigest()
    return files


def _without_random_ids(data: bytes) -> bytes:
    notebook = json.loads(data)
    notebook["metadata"].pop("widgets", None)
    for cell in notebook["cells"]:
        cell.pop("id", None)
        for output in cell.get("outputs", []):
            output.get("data", {}).pop(WIDGET_VIEW, None)
    return json.dumps(notebook, sort_keys=True).encode()


def record_file(folder: Path, pmid: str = PMID) -> Path:
    """A PubMed XML record of ``pmid`` saved as ``<pmid>.xml`` in ``folder``."""
    path = folder / f"{pmid}.xml"
    path.write_bytes(record_xml(pmid))
    return path


def environment(root: Path, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        DATA_ENV: str(root / "data"),
        NOTEBOOKS_ENV: str(root / "notebooks"),
        "PYTHONWARNINGS": "ignore",
        **extra,
    }


def start_add(root: Path, source: Path, **extra: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "reviewbook", "add", str(source)],
        cwd=root,
        env=environment(root, **extra),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_for_line(process: subprocess.Popen[str], wanted: str) -> list[str]:
    """Stderr lines up to the one starting with ``wanted``; fails if the process ends first."""
    lines: list[str] = []
    assert process.stderr is not None
    for line in process.stderr:
        lines.append(line.rstrip("\n"))
        if line.startswith(wanted):
            return lines
    raise AssertionError(f"the add ended before {wanted!r}: {lines}")


@pytest.fixture(scope="module")
def before_and_after(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, dict]:
    """The workbook's files before and after a complete ``reviewbook add`` of the record."""
    root = make_workbook(tmp_path_factory.mktemp("complete"))
    before = state(root)
    source = record_file(tmp_path_factory.mktemp("source"))
    done = subprocess.run(
        [sys.executable, "-m", "reviewbook", "add", str(source)],
        cwd=root,
        env=environment(root),
        capture_output=True,
        text=True,
        timeout=ADD_SECONDS,
    )
    assert done.returncode == 0, done.stderr
    return before, state(root)


# --- killed at every step ------------------------------------------------------------------

KILL_POINTS: tuple[tuple[str, ...], ...] = (
    ("journal-staging",),
    ("stage-mirrored",),
    ("staged-source",),
    (f"executing-{NOTEBOOK}",),
    ("backed-up",),
    ("journal-publishing", "published-1", "published-4", "published-7"),
)
"""Steps at which the add is killed: each phase of staging, and the start of publishing; the
later steps of a chain kill the next command's recovery, which publishes the rest, at those
steps of publishing (one run of the notebooks covers them all)."""
RECOVERY_LINES = {
    "rolled back": "reviewbook: rolled back an interrupted add of PMID 12345678; the workbook "
    "is as it was before",
    "finished": "reviewbook: finished an interrupted add of PMID 12345678 (it had been staged "
    "in full)",
}


def kill_at(command: list[str], root: Path, step: str) -> None:
    """Run a ``reviewbook`` command on the workbook at ``root`` and kill it at ``step``."""
    process = subprocess.Popen(
        [sys.executable, "-m", "reviewbook", *command],
        cwd=root,
        env=environment(root, **{PAUSE_ENV: step}),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        wait_for_line(process, f"reviewbook: paused at {step}")
    finally:
        process.kill()
        process.communicate()


@pytest.mark.parametrize("steps", KILL_POINTS, ids="+".join)
def test_an_add_killed_at_any_step_is_finished_or_rolled_back_by_the_next_command(
    steps: tuple[str, ...],
    tmp_path: Path,
    before_and_after: tuple[dict, dict],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    before, after = before_and_after
    root = make_workbook(tmp_path / "workbook")
    assert state(root) == before
    kill_at(["add", str(record_file(tmp_path))], root, steps[0])
    assert journal_path(Workbook.at(root)).exists()
    for step in steps[1:]:
        kill_at(["annotations", "check"], root, step)
        assert journal_path(Workbook.at(root)).exists()

    monkeypatch.setenv(DATA_ENV, str(root / "data"))
    monkeypatch.setenv(NOTEBOOKS_ENV, str(root / "notebooks"))
    assert main(["annotations", "check"]) == 0
    _, err = capsys.readouterr()
    finished = steps[0] == "journal-publishing"
    assert err.splitlines() == [
        RECOVERY_LINES["finished" if finished else "rolled back"],
        f"checked {3 if finished else 2} annotation files: 0 errors",
    ]
    assert state(root) == (after if finished else before)
    assert main(["notebooks", "check"]) == 0
    assert main(["annotations", "check"]) == 0
    assert "interrupted" not in capsys.readouterr().err  # recovered once, and only once
    assert sorted(os.listdir(root / "data" / ".reviewbook")) == ["workbook.lock"]


def test_an_add_killed_while_its_notebooks_run_leaves_no_writer_behind(
    tmp_path: Path, before_and_after: tuple[dict, dict]
) -> None:
    """Killed mid-execution: the notebook runner and its kernel go too, so once the next
    command has recovered, nothing writes into the workbook any more."""
    before, _ = before_and_after
    root = make_workbook(tmp_path / "workbook")
    add = start_add(root, record_file(tmp_path))
    runner = _wait_for_runner(add.pid)
    time.sleep(0.5)  # inside the run; where exactly does not matter
    add.kill()
    add.communicate()
    assert recover(Workbook.at(root)) == RECOVERY_LINES["rolled back"].removeprefix("reviewbook: ")
    _wait_until_gone(runner)
    time.sleep(0.5)
    assert state(root) == before


def _wait_for_runner(pid: int) -> int:
    """The pid of the notebook runner the add at ``pid`` starts (Linux: from /proc)."""
    children = Path(f"/proc/{pid}/task/{pid}/children")
    if not children.exists():
        pytest.skip("needs /proc to find the notebook runner")
    deadline = time.monotonic() + ADD_SECONDS
    while time.monotonic() < deadline:
        found = children.read_text().split()
        if found:
            return int(found[0])
        time.sleep(0.02)
    raise AssertionError("the add never started its notebook runner")


def _wait_until_gone(pid: int) -> None:
    """Wait (10 s at most) for a process whose parent was killed to exit and be reaped."""
    deadline = time.monotonic() + 10
    while Path(f"/proc/{pid}").exists() and time.monotonic() < deadline:
        time.sleep(0.02)
    assert not Path(f"/proc/{pid}").exists()


# --- stopped by a signal -------------------------------------------------------------------


@pytest.mark.parametrize("name", ["SIGTERM", "SIGINT", "SIGHUP"])
def test_a_stop_signal_rolls_the_add_back_with_one_line(
    name: str, tmp_path: Path, before_and_after: tuple[dict, dict]
) -> None:
    before, _ = before_and_after
    root = make_workbook(tmp_path / "workbook")
    source = record_file(tmp_path)
    add = start_add(root, source)
    _wait_for_runner(add.pid)
    time.sleep(0.5)  # inside the run; where exactly does not matter
    add.send_signal(getattr(signal, name))
    out, err = add.communicate(timeout=ADD_SECONDS)
    assert (add.returncode, out) == (128 + getattr(signal, name), "")
    assert err.splitlines() == [
        f"reviewbook: adding {source} (looks up its cited works, runs its notebook and the index)",
        f"reviewbook: {source}: interrupted by {name}; nothing was added (the workbook is as "
        "it was)",
    ]
    assert state(root) == before


# --- two at once ---------------------------------------------------------------------------


def test_adds_started_together_queue_take_their_own_numbers_and_refuse_a_repeat(
    tmp_path: Path,
) -> None:
    root = make_workbook(tmp_path / "workbook")
    sources = [record_file(tmp_path, "12345678"), record_file(tmp_path, "23456789")]
    sources.append(sources[0])
    start = threading.Barrier(len(sources))
    results: list[AddedReview | Exception] = [AddError("not run")] * len(sources)
    waits: list[str] = []

    def add(position: int) -> None:
        start.wait()
        try:
            results[position] = add_review(str(sources[position]), root=root, report=waits.append)
        except AddError as error:
            results[position] = error

    threads = [threading.Thread(target=add, args=(position,)) for position in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(ADD_SECONDS * 3)
    added = [result for result in results if isinstance(result, AddedReview)]
    refused = [str(result) for result in results if isinstance(result, AddError)]
    assert sorted(review.pmid for review in added) == ["12345678", "23456789"]
    first = int(NOTEBOOK[:2])
    assert sorted(review.notebook.name[:3] for review in added) == [
        f"{first:02d}_",
        f"{first + 1:02d}_",
    ]
    assert refused == [
        "PMID 12345678 is already in the workbook (data/pubmed/manifest.csv, "
        "data/pubmed/12345678.xml, notebooks/"
        + next(r.notebook.stem for r in added if r.pmid == "12345678")
        + ".ipynb, notebooks/"
        + next(r.notebook.stem for r in added if r.pmid == "12345678")
        + ".md); --force replaces it"
    ]
    assert all(wait.startswith("waiting for another `reviewbook add`") for wait in waits)
    assert len(waits) >= 1
    for pmid in ("12345678", "23456789"):
        assert [entry.file for entry in manifest_row(root, pmid)] == [f"{pmid}.xml"]


# --- the journal ---------------------------------------------------------------------------


def test_a_journal_round_trips_through_json() -> None:
    journal = Journal("add of PMID 1", PUBLISHING, (Change("/a", "/s/a", None), Change("/b", None)))
    assert Journal.from_json(journal.to_json()) == journal
    assert json.loads(journal.to_json())["state"] == "publishing"


def test_recovery_leaves_a_transaction_alone_while_its_process_holds_the_lock(
    tmp_path: Path,
) -> None:
    workbook = Workbook.at(make_workbook(tmp_path / "workbook"))
    with workbook_lock(workbook):
        journal_path(workbook).write_text(Journal("add of PMID 1", "staging").to_json())
        stage_folder(workbook).mkdir()
        assert recover(workbook) is None
        assert journal_path(workbook).exists()
    assert recover(workbook) == (
        "rolled back an interrupted add of PMID 1; the workbook is as it was before"
    )
    assert not stage_folder(workbook).exists()
    assert not journal_path(workbook).exists()
