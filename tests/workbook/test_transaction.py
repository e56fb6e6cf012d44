"""``reviewbook add`` as a transaction: killed at any step, stopped by a signal, or run twice at
once, it leaves the old workbook or the new one, never a mixture.

Each test adds a real PubMed XML record to a copy of the workbook, executing its notebook and
the index (a few seconds). ``$REVIEWBOOK_PAUSE_AT`` makes the add stop at a named step
(`transaction.checkpoint`) and wait there to be killed, and ``$REVIEWBOOK_FAIL_AT`` makes it
fail at one, so that it rolls back. The add is killed at every step of staging, publishing,
rolling back and cleaning up (`KILL_POINTS`, checked against the steps an add passes), and the
next commands' recoveries are killed at their own steps too.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from reviewbook.cli import main
from reviewbook.workbook import adding, transaction
from reviewbook.workbook.adding import AddedReview, AddError, add_review
from reviewbook.workbook.paths import DATA_ENV, NOTEBOOKS_ENV, Workbook
from reviewbook.workbook.transaction import (
    BACKUP_NAME,
    FAIL_ENV,
    PAUSE_ENV,
    PUBLISHED,
    PUBLISHING,
    ROLLED_BACK,
    ROLLING_BACK,
    STAGING,
    Change,
    Journal,
    checkpoint,
    journal_path,
    recover,
    stage_folder,
    workbook_lock,
)
from tests.sources.test_ncbi import record_xml
from tests.workbook.conftest import (
    WORKBOOK_LOCK,
    make_workbook,
    manifest_row,
    next_notebook,
    offline_client,
)

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
#
# The kills run on a small workbook (the seed's without the notebooks over all reviews but the
# index), so that each add runs two notebooks: its own and the index.

SMALL_NOTEBOOK = "03_anonymousnd_record_12345678"
"""The notebook an add of the record gets in the small workbook."""
CHANGES = 7
"""What the add publishes: its record, the manifest, its annotation file, its notebook pair and
the index pair (the manifest and the index replace files, backed up; the rest are new)."""
FAIL_AT = "published-4"
"""Where an add is made to fail, to roll back from a mixture of old and new files."""
BEFORE, AFTER = "before", "after"


@dataclass(frozen=True)
class KillPoint:
    """A step an add is killed at, the journal the kill leaves, and how recovery ends it."""

    step: str
    journal: str | None
    """The journal's state on disk after the kill (None: no journal)."""
    ends: str
    """`BEFORE` (rolled back) or `AFTER` (finished)."""
    fail_at: str | None = None
    """A step at which the add fails first (`FAIL_ENV`), so that it is killed rolling back."""


PUBLISHED_STEPS = tuple(f"published-{number}" for number in range(1, CHANGES + 1))
RESTORED_STEPS = tuple(f"restored-{number}" for number in range(1, CHANGES + 1))
CLEAN_UP_STEPS = ("stage-partly-deleted", "stage-deleted", "journal-deleted")
ADD_STEPS: tuple[KillPoint, ...] = (
    KillPoint("journal-staging-written", None, BEFORE),
    KillPoint("journal-staging", STAGING, BEFORE),
    KillPoint("stage-mirrored", STAGING, BEFORE),
    KillPoint("staged-source", STAGING, BEFORE),
    KillPoint(f"executing-{SMALL_NOTEBOOK}", STAGING, BEFORE),
    KillPoint("executing-00_index", STAGING, BEFORE),
    KillPoint("executed", STAGING, BEFORE),
    KillPoint("staged", STAGING, BEFORE),
    KillPoint("backed-up", STAGING, BEFORE),
    KillPoint("journal-publishing-written", STAGING, BEFORE),
    KillPoint("journal-publishing", PUBLISHING, AFTER),
    *(KillPoint(step, PUBLISHING, AFTER) for step in PUBLISHED_STEPS),
    KillPoint("journal-published-written", PUBLISHING, AFTER),
    KillPoint("journal-published", PUBLISHED, AFTER),
    KillPoint("stage-partly-deleted", PUBLISHED, AFTER),
    KillPoint("stage-deleted", PUBLISHED, AFTER),
    KillPoint("journal-deleted", None, AFTER),
)
"""Every step of an add that completes, in order."""
ROLLBACK_STEPS: tuple[KillPoint, ...] = (
    KillPoint("journal-rolling-back-written", PUBLISHING, AFTER, FAIL_AT),
    KillPoint("journal-rolling-back", ROLLING_BACK, BEFORE, FAIL_AT),
    *(KillPoint(step, ROLLING_BACK, BEFORE, FAIL_AT) for step in RESTORED_STEPS),
    KillPoint("journal-rolled-back-written", ROLLING_BACK, BEFORE, FAIL_AT),
    KillPoint("journal-rolled-back", ROLLED_BACK, BEFORE, FAIL_AT),
    KillPoint("stage-partly-deleted", ROLLED_BACK, BEFORE, FAIL_AT),
    KillPoint("stage-deleted", ROLLED_BACK, BEFORE, FAIL_AT),
    KillPoint("journal-deleted", None, BEFORE, FAIL_AT),
)
"""Every step of an add that fails at `FAIL_AT` after it, in order: it rolls back."""
KILL_POINTS = ADD_STEPS + ROLLBACK_STEPS
"""The table: every step of publishing, rolling back and cleaning up, and each of staging."""
RECOVERY_STEPS: dict[str | None, tuple[str, ...]] = {
    None: CLEAN_UP_STEPS,
    STAGING: CLEAN_UP_STEPS,
    PUBLISHING: (
        *PUBLISHED_STEPS,
        "journal-published-written",
        "journal-published",
        *CLEAN_UP_STEPS,
    ),
    PUBLISHED: CLEAN_UP_STEPS,
    ROLLING_BACK: (
        *RESTORED_STEPS,
        "journal-rolled-back-written",
        "journal-rolled-back",
        *CLEAN_UP_STEPS,
    ),
    ROLLED_BACK: CLEAN_UP_STEPS,
}
"""The steps the next command's recovery goes through, by the journal it finds."""
RECOVERY_LINES = {
    "rolled back": "reviewbook: rolled back an interrupted add of PMID 12345678; the workbook "
    "is as it was before",
    "finished": "reviewbook: finished an interrupted add of PMID 12345678 (it had been staged "
    "in full)",
}
ADDING = "reviewbook: adding {source} (looks up its cited works, runs its notebook and the index)"
KILL_SECONDS = 600
"""Upper bound on reaching a step (an add under heavy load); only to stop a hung test."""


def later_recovery_steps(point: KillPoint) -> tuple[str, ...]:
    """Steps at which to kill the next commands' recoveries, one command each, in turn: those
    of the recovery that come after ``point``; all of them for the first step of a journal's
    state, else the next one only."""
    steps = RECOVERY_STEPS[point.journal]
    if point.step == "journal-deleted":
        return ()  # nothing is left to recover
    later = steps[steps.index(point.step) + 1 :] if point.step in steps else steps
    first = point.step in ("journal-staging", "journal-publishing", "journal-rolling-back")
    return later if first else later[:1]


def make_small_workbook(folder: Path) -> Path:
    """A copy of the seed workbook whose only notebook over all reviews is the index."""
    root = make_workbook(folder)
    for stem in ("03_compare_reviews", "field_corpus"):
        for suffix in (".ipynb", ".md"):
            (root / "notebooks" / f"{stem}{suffix}").unlink()
    return root


@dataclass(frozen=True)
class SmallAdd:
    """The small workbook before and after a complete add, and the steps of two adds."""

    before: dict[str, str]
    after: dict[str, str]
    steps: tuple[str, ...]
    """Every `checkpoint` a complete add passes, in order."""
    failed_steps: tuple[str, ...]
    """Every `checkpoint` an add failing at `FAIL_AT` passes, in order."""


@pytest.fixture(scope="module")
def small_add(tmp_path_factory: pytest.TempPathFactory) -> SmallAdd:
    """One complete add and one failing add on the small workbook, in this process, each
    `checkpoint` they pass recorded."""
    passed: list[str] = []

    def record(step: str) -> None:
        passed.append(step)
        checkpoint(step)

    source = record_file(tmp_path_factory.mktemp("source"))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(adding, "EutilsClient", offline_client)
        patch.setattr(adding, "checkpoint", record)
        patch.setattr(transaction, "checkpoint", record)
        patch.setenv("PYTHONWARNINGS", "ignore")
        root = make_small_workbook(tmp_path_factory.mktemp("complete"))
        before = state(root)
        add_review(str(source), root=root)
        after = state(root)
        steps = tuple(passed)
        passed.clear()
        root = make_small_workbook(tmp_path_factory.mktemp("failed"))
        patch.setenv(FAIL_ENV, FAIL_AT)
        with pytest.raises(OSError, match=f"failed at step {FAIL_AT}"):
            add_review(str(source), root=root)
        assert state(root) == before
    return SmallAdd(before, after, steps, tuple(passed))


def kill_at(command: list[str], root: Path, step: str, **extra: str) -> list[str]:
    """Run a ``reviewbook`` command on the workbook at ``root`` and kill it at ``step``; its
    stderr lines before the step."""
    process = subprocess.Popen(
        [sys.executable, "-m", "reviewbook", *command],
        cwd=root,
        env=environment(root, **{PAUSE_ENV: step}, **extra),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = threading.Timer(KILL_SECONDS, process.kill)  # a hung command ends the wait
    deadline.start()
    try:
        return wait_for_line(process, f"reviewbook: paused at {step}")[:-1]
    finally:
        deadline.cancel()
        process.kill()
        process.communicate()


def journal_state(root: Path) -> str | None:
    path = journal_path(Workbook.at(root))
    return Journal.from_json(path.read_text(encoding="utf-8")).state if path.exists() else None


def test_the_table_lists_every_step_of_an_add_and_of_its_roll_back(small_add: SmallAdd) -> None:
    assert small_add.steps == tuple(point.step for point in ADD_STEPS)
    published = small_add.steps.index(FAIL_AT) + 1
    assert small_add.failed_steps == (
        *small_add.steps[:published],
        *(point.step for point in ROLLBACK_STEPS),
    )


@pytest.mark.parametrize(
    "point",
    KILL_POINTS,
    ids=[
        f"{p.step}" + (f"-after-failing-at-{p.fail_at}" if p.fail_at else "") for p in KILL_POINTS
    ],
)
def test_an_add_killed_at_any_step_is_finished_or_rolled_back_by_the_next_command(
    point: KillPoint,
    tmp_path: Path,
    small_add: SmallAdd,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    root = make_small_workbook(tmp_path / "workbook")
    assert state(root) == small_add.before
    failing = {FAIL_ENV: point.fail_at} if point.fail_at else {}
    source = record_file(tmp_path)
    said_before = kill_at(["add", str(source)], root, point.step, **failing)
    assert said_before == [ADDING.format(source=source)]  # nothing failed but what was asked
    assert journal_state(root) == point.journal
    chain = later_recovery_steps(point)
    for step in chain:
        assert kill_at(["annotations", "check"], root, step) == []
    left = None if chain and chain[-1] == "journal-deleted" else point.journal

    monkeypatch.setenv(DATA_ENV, str(root / "data"))
    monkeypatch.setenv(NOTEBOOKS_ENV, str(root / "notebooks"))
    assert main(["annotations", "check"]) == 0
    _, err = capsys.readouterr()
    finished = point.ends == AFTER
    said = [RECOVERY_LINES["finished" if finished else "rolled back"]] if left else []
    assert err.splitlines() == [*said, f"checked {3 if finished else 2} annotation files: 0 errors"]
    assert state(root) == (small_add.after if finished else small_add.before)
    assert main(["annotations", "check"]) == 0
    assert "interrupted" not in capsys.readouterr().err  # recovered once, and only once
    assert sorted(os.listdir(root / "data" / ".reviewbook")) == ["workbook.lock"]


@pytest.mark.parametrize(
    ("fail_at", "step", "deleted", "ends"),
    [
        (None, PUBLISHED_STEPS[-1], "data", AFTER),
        (FAIL_AT, RESTORED_STEPS[-1], BACKUP_NAME, BEFORE),
    ],
    ids=["publishing", "rolling-back"],
)
def test_a_journal_whose_stage_was_being_deleted_is_finished_not_wedged(
    fail_at: str | None, step: str, deleted: str, ends: str, tmp_path: Path, small_add: SmallAdd
) -> None:
    """What an earlier version left when killed while deleting the stage of a finished add (or
    roll-back), the journal still saying ``publishing`` (``rolling-back``): every later command
    failed with a traceback for want of a staged file, until the journal was deleted by hand."""
    root = make_small_workbook(tmp_path / "workbook")
    failing = {FAIL_ENV: fail_at} if fail_at else {}
    kill_at(["add", str(record_file(tmp_path))], root, step, **failing)
    stage = stage_folder(Workbook.at(root))
    shutil.rmtree(stage / deleted)  # part of the stage deleted, the rest not yet
    for staged in sorted((stage / "notebooks").iterdir())[::2]:
        staged.unlink()
    checked = subprocess.run(
        [sys.executable, "-m", "reviewbook", "notebooks", "check"],
        cwd=root,
        env=environment(root),
        capture_output=True,
        text=True,
        timeout=KILL_SECONDS,
    )
    assert "Traceback" not in checked.stderr
    assert (
        checked.stderr.splitlines()[0]
        == RECOVERY_LINES["finished" if ends == AFTER else "rolled back"]
    )
    assert state(root) == (small_add.after if ends == AFTER else small_add.before)
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


RUNNER_MODULE = b"reviewbook.workbook.runner"
"""What the notebook runner's command line holds (``python -m reviewbook.workbook.runner``)."""


def _wait_for_runner(pid: int) -> int:
    """The pid of the notebook runner the add at ``pid`` starts (Linux: from /proc).

    Only a child running `RUNNER_MODULE` counts: a library may start a short-lived child of its
    own earlier, before the add is inside its change, and a signal sent then would not be one
    the add has promised to roll back.
    """
    children = Path(f"/proc/{pid}/task/{pid}/children")
    if not children.exists():
        pytest.skip("needs /proc to find the notebook runner")
    deadline = time.monotonic() + ADD_SECONDS
    while time.monotonic() < deadline:
        for child in children.read_text().split():
            try:
                command = Path(f"/proc/{child}/cmdline").read_bytes()
            except OSError:  # gone already
                continue
            if RUNNER_MODULE in command:
                return int(child)
        time.sleep(0.02)
    raise AssertionError("the add never started its notebook runner")


def _wait_until_gone(pid: int) -> None:
    """Wait for a process whose parent was killed to exit and be reaped (under a second here;
    `ADD_SECONDS` at most, for a machine under load)."""
    deadline = time.monotonic() + ADD_SECONDS
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
    assert (add.returncode, out) == (128 + getattr(signal, name), ""), err
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
