"""Changes to the workbook that happen whole or not at all, even when the process is killed.

A change (`reviewbook add`, ``remove``, ``refresh``) runs as a `Transaction` under the workbook
lock:

1. **staging**: the journal ``data/.reviewbook/journal.json`` is written (state ``staging``),
   then every new file is written under ``data/.reviewbook/stage/``, a copy of ``data/`` and
   ``notebooks/``. Notebooks run there, reading the staged data.
   The live workbook is not touched: a kill now leaves the old workbook.
2. **publishing**: the live files about to be replaced are linked into the stage as backups,
   the journal is rewritten (state ``publishing``, listing every change), then each staged
   file is linked over its live target (one rename) and each removal made.
3. **published**: the journal says so (state ``published``); the stage is deleted, then the
   journal.

A transaction stopped by an exception (a signal raises one, see `Interrupted`) rolls itself
back: the stage is discarded, or, once publishing, the journal says ``rolling-back``, the
backups are put back, and the journal says ``rolled-back`` before the stage and the journal go.

`recover` (run by every command that reads or writes the workbook, under the lock) goes on
from the journal: it discards a ``staging`` transaction, finishes a ``publishing`` one (all it
publishes is staged in full), finishes a ``rolling-back`` one, and deletes what a ``published``
or ``rolled-back`` one left. Each step is a rename or a deletion that can be made again, and
the stage is deleted only once the journal no longer needs it, so recovery finishes from a kill
at any step (each is a `checkpoint`), its own kill included, and says what it did in one line.
A journal left by an earlier version, which deleted the stage before the journal, is finished
too: a staged file or backup already deleted had been put in place before the deletion began.

Only one transaction, or ``reviewbook notebooks run``, holds the workbook lock at a time
(``data/.reviewbook/workbook.lock``); a second one waits and says so.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from types import FrameType

from filelock import FileLock, Timeout

from reviewbook.files import link_or_copy, temp_prefix, write_atomically
from reviewbook.workbook.paths import Workbook

STATE_FOLDER = ".reviewbook"
"""The workbook's own bookkeeping, inside the data folder: lock, journal, stage."""
JOURNAL_NAME = "journal.json"
LOCK_NAME = "workbook.lock"
STAGE_NAME = "stage"
BACKUP_NAME = "backup"
LINK_NAME = "link"
"""A staged file's second name in the stage, renamed over its live target to publish it."""
LOCK_WAIT_SECONDS = 3600.0
"""How long a second `add` or ``notebooks run`` waits for the first before giving up."""
PAUSE_ENV = "REVIEWBOOK_PAUSE_AT"
"""Names a step (`checkpoint`) at which the process stops and waits to be killed (for tests)."""
FAIL_ENV = "REVIEWBOOK_FAIL_AT"
"""Names a step (`checkpoint`) at which the process fails with an `OSError` (for tests)."""
STAGING, PUBLISHING, ROLLING_BACK = "staging", "publishing", "rolling-back"
PUBLISHED, ROLLED_BACK = "published", "rolled-back"
"""A journal's states; in the last two every file is in place and only the stage and the
journal remain to delete."""
STOP_SIGNALS: tuple[str, ...] = ("SIGTERM", "SIGHUP")
"""Signals that interrupt a transaction like Ctrl-C (SIGINT) does: by raising `Interrupted`."""

Report = Callable[[str], None]


class WorkbookBusy(RuntimeError):
    """Another `add` or ``notebooks run`` kept the workbook lock longer than we waited."""


class Interrupted(BaseException):
    """A stop signal arrived; the transaction under way rolls back."""

    def __init__(self, signal_name: str) -> None:
        super().__init__(signal_name)
        self.signal_name = signal_name


# --- the journal ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Change:
    """One live file a transaction replaces (``staged``) or removes (``staged`` is None)."""

    target: str
    staged: str | None
    backup: str | None = None
    """Where the live file was linked before publishing; None if it did not exist."""


@dataclass(frozen=True, slots=True)
class Journal:
    """What a transaction is doing, written atomically before each of its phases."""

    action: str
    state: str
    changes: tuple[Change, ...] = ()

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=2) + "\n"

    @classmethod
    def from_json(cls, text: str) -> Journal:
        fields = json.loads(text)
        changes = tuple(Change(**change) for change in fields.pop("changes"))
        return cls(changes=changes, **fields)


def state_folder(workbook: Workbook) -> Path:
    """``data/.reviewbook``."""
    return workbook.data / STATE_FOLDER


def journal_path(workbook: Workbook) -> Path:
    return state_folder(workbook) / JOURNAL_NAME


def stage_folder(workbook: Workbook) -> Path:
    return state_folder(workbook) / STAGE_NAME


def checkpoint(step: str) -> None:
    """A named step of a transaction; with ``$REVIEWBOOK_PAUSE_AT`` naming it, stop here.

    The process says ``reviewbook: paused at STEP`` on stderr and waits to be killed, so that
    tests can kill a transaction at an exact point. With ``$REVIEWBOOK_FAIL_AT`` naming it, the
    step fails instead (`OSError`), as a full disk would, so that tests can make one roll back.
    """
    if os.environ.get(FAIL_ENV) == step:
        raise OSError(f"failed at step {step} (${FAIL_ENV})")
    if os.environ.get(PAUSE_ENV) == step:
        print(f"reviewbook: paused at {step}", file=sys.stderr, flush=True)
        while True:
            time.sleep(60)


# --- the lock and recovery ----------------------------------------------------------------------


@contextlib.contextmanager
def workbook_lock(workbook: Workbook, *, report: Report | None = None) -> Iterator[None]:
    """Hold the workbook lock (waiting, with a message, while another holds it); recover first."""
    lock = FileLock(str(state_folder(workbook) / LOCK_NAME))
    state_folder(workbook).mkdir(parents=True, exist_ok=True)
    try:
        lock.acquire(timeout=0)
    except Timeout:
        if report:
            report(
                "waiting for another `reviewbook add` or `notebooks run` to finish "
                f"(lock {state_folder(workbook) / LOCK_NAME})"
            )
        try:
            lock.acquire(timeout=LOCK_WAIT_SECONDS)
        except Timeout:
            raise WorkbookBusy(
                f"the workbook stayed locked by another `reviewbook add` or `notebooks run` "
                f"for {LOCK_WAIT_SECONDS:.0f} s ({state_folder(workbook) / LOCK_NAME})"
            ) from None
    try:
        message = _recover_locked(workbook)
        if message and report:
            report(message)
        yield
    finally:
        lock.release()


def recover(workbook: Workbook) -> str | None:
    """Finish or roll back a transaction a killed process left; say what was done, in one line.

    Does nothing (returns None) when nothing was left, or when another process holds the lock:
    then that transaction is still running. A failure to recover (a full disk, say) is said in
    the line too; the journal stays, and the next command tries again.
    """
    if not _left_over(workbook):
        return None
    lock = FileLock(str(state_folder(workbook) / LOCK_NAME))
    try:
        lock.acquire(timeout=0)
    except Timeout:
        return None
    try:
        return _recover_locked(workbook)
    except OSError as error:
        return f"could not recover from an interrupted change ({error}); the next command retries"
    finally:
        lock.release()


def _left_over(workbook: Workbook) -> bool:
    """Whether a transaction left anything: a journal, a stage, or a journal's temporary file."""
    path = journal_path(workbook)
    return (
        path.exists()
        or stage_folder(workbook).exists()
        or any(path.parent.glob(temp_prefix(path) + "*"))
    )


def _recover_locked(workbook: Workbook) -> str | None:
    """`recover`'s work, under the lock."""
    if not _left_over(workbook):
        return None
    journal = _read_journal(workbook)
    with signals_deferred():
        if journal is None:
            _clean_up(workbook)  # what a kill before the journal was written, or after, left
            return None
        published = _finish(workbook, journal)
    if published:
        return f"finished an interrupted {journal.action} (it had been staged in full)"
    return f"rolled back an interrupted {journal.action}; the workbook is as it was before"


def _finish(workbook: Workbook, journal: Journal) -> bool:
    """Take the transaction of ``journal`` to its end from wherever it stopped; whether it
    ended published (else rolled back). Safe to repeat after a kill at any point."""
    if journal.state in (PUBLISHING, ROLLING_BACK):
        forward = journal.state == PUBLISHING
        _put_all(workbook, journal, forward=forward)
        journal = replace(journal, state=PUBLISHED if forward else ROLLED_BACK)
        _write_journal(workbook, journal)
    _clean_up(workbook)
    return journal.state == PUBLISHED


# --- signals ---------------------------------------------------------------------------------


def _raise_interrupted(number: int, frame: FrameType | None) -> None:
    raise Interrupted(signal.Signals(number).name)


@contextlib.contextmanager
def stop_signals_interrupt() -> Iterator[None]:
    """SIGTERM and SIGHUP raise `Interrupted` (SIGINT raises KeyboardInterrupt) meanwhile.

    Only the main thread can set handlers; elsewhere this does nothing.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    numbers = [getattr(signal, name) for name in STOP_SIGNALS if hasattr(signal, name)]
    previous = {number: signal.signal(number, _raise_interrupted) for number in numbers}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


@contextlib.contextmanager
def signals_deferred() -> Iterator[list[int]]:
    """Stop signals and SIGINT wait until the block ends (publishing and rolling back are short
    and must not be cut); the signals that arrived are listed, not acted on."""
    arrived: list[int] = []
    if threading.current_thread() is not threading.main_thread():
        yield arrived
        return
    names = (*STOP_SIGNALS, "SIGINT")
    numbers = [getattr(signal, name) for name in names if hasattr(signal, name)]
    previous = {
        number: signal.signal(number, lambda number, frame: arrived.append(number))
        for number in numbers
    }
    try:
        yield arrived
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


# --- a transaction -----------------------------------------------------------------------------


class Transaction:
    """Files staged for the workbook, published together (see the module's doc).

    Use under `workbook_lock`: ``with Transaction(workbook, "add PMID 1") as transaction:``,
    then `write` and `remove` (staged, live files untouched), `staged` to find a file in the
    stage, and `publish`. Leaving the block by an exception rolls everything back.
    """

    def __init__(self, workbook: Workbook, action: str) -> None:
        self.workbook = workbook
        self.action = action
        self._changes: dict[Path, Change] = {}
        self._journal = Journal(action, STAGING)
        self.published = False

    def __enter__(self) -> Transaction:
        _write_journal(self.workbook, self._journal)  # step journal-staging
        stage = stage_folder(self.workbook)
        _mirror(self.workbook.data, stage / "data", skip=state_folder(self.workbook))
        _mirror(self.workbook.notebooks, stage / "notebooks")
        checkpoint("stage-mirrored")
        return self

    def __exit__(self, kind: object, error: object, traceback: object) -> None:
        if error is None and self.published:
            return
        with signals_deferred():
            journal = _read_journal(self.workbook)  # what is on disk, whatever step failed
            if journal is not None and journal.state == PUBLISHING:
                journal = replace(journal, state=ROLLING_BACK)
                _write_journal(self.workbook, journal)
            if journal is None:
                _clean_up(self.workbook)
            else:
                _finish(self.workbook, journal)

    @property
    def data(self) -> Path:
        """The staged data folder (what notebooks run in the stage read)."""
        return stage_folder(self.workbook) / "data"

    def staged(self, target: Path) -> Path:
        """Where the live file ``target`` is mirrored in the stage."""
        for live, name in ((self.workbook.data, "data"), (self.workbook.notebooks, "notebooks")):
            if target.is_relative_to(live):
                return stage_folder(self.workbook) / name / target.relative_to(live)
        raise ValueError(f"{target} is not in the workbook")

    def write(self, target: Path, data: bytes) -> None:
        """Stage new bytes for ``target`` (the live file's permissions are kept on publishing)."""
        staged = self.staged(target)
        mode = target.stat().st_mode & 0o777 if target.exists() else None
        write_atomically(staged, data, mode=mode)
        self.record(target)

    def record(self, target: Path) -> None:
        """Note that the staged copy of ``target`` was (re)written, e.g. by running a notebook."""
        self._changes[target] = Change(str(target), str(self.staged(target)))

    def remove(self, target: Path) -> None:
        """Stage the removal of ``target``."""
        self.staged(target).unlink(missing_ok=True)
        self._changes[target] = Change(str(target), None)

    def publish(self) -> tuple[Path, ...]:
        """Back up, journal, then replace the live files; returns the files written."""
        backups = stage_folder(self.workbook) / BACKUP_NAME
        changes = []
        for number, change in enumerate(self._changes.values()):
            target = Path(change.target)
            if change.staged is not None and not Path(change.staged).is_file():
                raise FileNotFoundError(f"{change.staged}: staged for {target}, but missing")
            backup = None
            if target.exists():
                backup = backups / f"{number}-{target.name}"
                link_or_copy(target, backup)
            changes.append(replace(change, backup=None if backup is None else str(backup)))
        checkpoint("backed-up")
        with signals_deferred():
            self._journal = Journal(self.action, PUBLISHING, tuple(changes))
            _write_journal(self.workbook, self._journal)
            _put_all(self.workbook, self._journal, forward=True)
            self._journal = replace(self._journal, state=PUBLISHED)
            _write_journal(self.workbook, self._journal)
            self.published = True
            _clean_up(self.workbook)
        return tuple(Path(change.target) for change in changes if change.staged is not None)


def _read_journal(workbook: Workbook) -> Journal | None:
    try:
        return Journal.from_json(journal_path(workbook).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None


def _write_journal(workbook: Workbook, journal: Journal) -> None:
    """Replace the journal; steps ``journal-STATE-written`` (not yet in place) and
    ``journal-STATE``."""
    step = f"journal-{journal.state}"
    write_atomically(
        journal_path(workbook),
        journal.to_json(),
        before_replace=lambda: checkpoint(f"{step}-written"),
    )
    checkpoint(step)


def _mirror(live: Path, stage: Path, *, skip: Path | None = None) -> None:
    """Copy every visible file of ``live`` into ``stage``, times kept (`execute_notebook` picks
    the newer of a pair). Copies, not links: whatever runs in the stage may write in place."""
    for path in sorted(live.rglob("*")):
        relative = path.relative_to(live)
        if skip is not None and path.is_relative_to(skip):
            continue
        if any(part.startswith(".") for part in relative.parts) or path.suffix == ".lock":
            continue
        if path.is_file():
            (stage / relative).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, stage / relative)


def _put_all(workbook: Workbook, journal: Journal, *, forward: bool) -> None:
    """Put every target as its staged file (``forward``) or its backup holds it; steps
    ``published-N`` or ``restored-N``, N counting the changes from 1."""
    for number, change in enumerate(journal.changes, start=1):
        _put(workbook, Path(change.target), change.staged if forward else change.backup)
        checkpoint(f"{'published' if forward else 'restored'}-{number}")


def _put(workbook: Workbook, target: Path, source: str | None) -> None:
    """Make ``target`` the file ``source`` (its bytes and permissions) in one rename; no source
    removes it. A source already deleted was put before (the stage goes after every put)."""
    if source is None:
        target.unlink(missing_ok=True)
        return
    copy = Path(source)
    if not copy.exists():
        return
    link = stage_folder(workbook) / LINK_NAME
    try:
        link.unlink(missing_ok=True)
        os.link(copy, link)
        os.replace(link, target)
    except OSError:  # no hard links, or the target on another file system
        write_atomically(target, copy.read_bytes(), mode=copy.stat().st_mode & 0o777)


def _clean_up(workbook: Workbook) -> None:
    """Delete the stage, then the journal (and any journal half written): the transaction is
    over. Steps ``stage-partly-deleted`` (its staged data gone), ``stage-deleted`` and
    ``journal-deleted``."""
    stage = stage_folder(workbook)
    shutil.rmtree(stage / "data", ignore_errors=True)
    checkpoint("stage-partly-deleted")
    shutil.rmtree(stage, ignore_errors=True)
    checkpoint("stage-deleted")
    path = journal_path(workbook)
    for half_written in path.parent.glob(temp_prefix(path) + "*"):
        half_written.unlink(missing_ok=True)
    path.unlink(missing_ok=True)
    checkpoint("journal-deleted")
