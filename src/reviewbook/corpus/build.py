"""Build a corpus: PubMed files to Parquet tables, one Dask task per file, published whole.

A corpus is a folder::

    ledger.json              every input file: name, size, sha256, what it held
    articles/<key>.parquet   one file per input file, for each table of `partitions.SCHEMAS`
    references/ authors/ deletions/ problems/
    current.parquet          the PMIDs alive after every file applied, and which version

Files apply in order (`inputs.find_inputs`): where several files hold a record, the last
version wins, and a ``<DeleteCitation>`` in a later file removes it; partitions are never
rewritten for that, ``current.parquet`` says which rows count (`queries` reads through it).

A build writes into a staging folder beside the output (``.<name>.building-*``) and only
when every file was read is the staging folder renamed into place (the previous corpus
renamed aside first, then removed): a failed build leaves the published corpus as it was.
Files the ledger already lists with the same name, size and sha256 are not read again:
their partitions are hard-linked (or copied) into the new build. A task reads a private copy
of its file made in the same pass as its digest (`inputs.copy_for_reading`), so the ledger's
size and sha256 are those of the bytes read, whatever happens to the file meanwhile.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

from filelock import FileLock

from reviewbook.corpus.inputs import InputFile, copy_for_reading, find_inputs
from reviewbook.corpus.partitions import SCHEMAS, FileCounts, partition_path, write_partitions
from reviewbook.corpus.running import run_tasks
from reviewbook.errors import ReadError
from reviewbook.sources.formats import iter_entries
from reviewbook.sources.opening import file_sha256

LEDGER_NAME = "ledger.json"
CURRENT_NAME = "current.parquet"
LEDGER_FORMAT = 1
"""Version of the ledger's layout; a corpus of another version is rebuilt from scratch."""
FOLDER_MODE = 0o755
"""Permissions of a published corpus folder (a staging folder starts private)."""
READING_PREFIX = "reviewbook-corpus-reading-"
"""Name of the temporary folder (under ``$TMPDIR``) holding the copy a task reads its file from."""


class CorpusError(Exception):
    """A corpus cannot be built or opened: the message says why and where."""


@dataclass(frozen=True, slots=True)
class LedgerEntry:
    """One input file of a built corpus, and what it held."""

    name: str
    size: int
    sha256: str
    counts: FileCounts


@dataclass(frozen=True, slots=True)
class FileTask:
    """One Dask task: read ``path`` and write its partitions into ``folder``."""

    path: str
    name: str
    key: str
    folder: str


@dataclass(frozen=True, slots=True)
class FileOutcome:
    """What a task did: the file's counts and digest, or why it failed."""

    name: str
    path: str
    size: int
    sha256: str | None = None
    counts: FileCounts | None = None
    error: str | None = None
    """The failure, naming the file (and line): ``pubmed26n0002.xml.gz: cut short: ...``."""
    peak_mib: float | None = None
    """The peak resident memory of the process that ran the task, where Linux says it."""

    @property
    def ok(self) -> bool:
        return self.error is None


@dataclass(frozen=True, slots=True)
class CorpusCounts:
    """The corpus as published: live records, versions replaced, records deleted (a deletion
    of a PMID no file held removed nothing and is not counted)."""

    records: int
    replaced: int
    deleted: int


@dataclass(frozen=True, slots=True)
class BuildReport:
    """The outcome of a build: what was read, reused, failed, and whether it was published."""

    out: Path
    inputs: tuple[InputFile, ...]
    processed: tuple[FileOutcome, ...]
    reused: tuple[LedgerEntry, ...]
    published: bool
    corpus: CorpusCounts | None = None
    problems: tuple[str, ...] = field(default=())

    @property
    def failures(self) -> tuple[FileOutcome, ...]:
        return tuple(outcome for outcome in self.processed if not outcome.ok)

    @property
    def records_read(self) -> int:
        """Records read by this build's tasks (reused files not counted)."""
        return sum(outcome.counts.records for outcome in self.processed if outcome.counts)


# --- the ledger -------------------------------------------------------------------------------


def read_ledger(out: Path) -> dict[str, LedgerEntry]:
    """The ledger of the corpus at ``out`` by file name; empty when there is none (or it is of
    another format, so everything is read again)."""
    path = out / LEDGER_NAME
    if not path.is_file():
        return {}
    try:
        content = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise CorpusError(f"{path}: cannot be read as a corpus ledger: {error}") from None
    if content.get("format") != LEDGER_FORMAT:
        return {}
    return {
        entry["name"]: LedgerEntry(
            name=entry["name"],
            size=entry["size"],
            sha256=entry["sha256"],
            counts=FileCounts(**entry["counts"]),
        )
        for entry in content["files"]
    }


def ledger_json(entries: Sequence[LedgerEntry]) -> str:
    """The ledger's text: its format and every file, in the order the files apply."""
    files = [asdict(entry) for entry in entries]
    return json.dumps({"format": LEDGER_FORMAT, "files": files}, indent=1) + "\n"


# --- one file: the Dask task ------------------------------------------------------------------


def process_file(task: FileTask) -> FileOutcome:
    """Read one input file into its partitions; a failure is returned, never raised, so the
    other files' tasks go on and the build can name every file that failed.

    The records are read from a copy digested as it is made, so the outcome's size and sha256
    are those of the bytes read."""
    size, copy = 0, None
    try:
        with tempfile.TemporaryDirectory(prefix=READING_PREFIX) as reading:
            copy = Path(reading) / task.name
            size, digest = copy_for_reading(task.path, copy)
            entries = iter_entries(copy, citations=False)
            counts = write_partitions(entries, Path(task.folder), task.key, task.name)
    except ReadError as error:  # named for the file, not for its copy
        path = task.path if copy is not None and error.path == str(copy) else error.path
        message = str(ReadError(error.reason, path=path, line=error.line))
    except OSError as error:
        message = f"{task.path}: cannot be read: {error.strerror or error}"
    except Exception as error:  # a failure of this file, reported with it, never lost
        message = f"{task.path}: {type(error).__name__}: {error}"
    else:
        return FileOutcome(task.name, task.path, size, digest, counts, peak_mib=_peak_mib())
    for table in SCHEMAS:
        partition_path(Path(task.folder), table, task.key).unlink(missing_ok=True)
    return FileOutcome(task.name, task.path, size, error=message, peak_mib=_peak_mib())


def _lost(task: FileTask, error: BaseException) -> FileOutcome:
    """The outcome of a task lost on a cluster (its workers died, or the scheduler went), in
    one line."""
    reason = " ".join(str(error).split())
    message = f"{task.path}: its task was lost: {type(error).__name__}: {reason}"
    return FileOutcome(task.name, task.path, 0, error=message)


def _peak_mib() -> float | None:
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


# --- the build --------------------------------------------------------------------------------


def build_corpus(
    sources: Sequence[str | os.PathLike[str]],
    out: str | os.PathLike[str],
    *,
    scheduler: str = "processes",
    workers: int | None = None,
    on_done: Callable[[FileOutcome], None] = lambda outcome: None,
) -> BuildReport:
    """Build the corpus of ``sources`` (files, or folders of them) at ``out``.

    The corpus holds exactly these files; those the ledger lists unchanged are reused, the
    others read by Dask (``scheduler``, ``workers``: see `running.run_tasks`), ``on_done``
    hearing of each as it finishes. When any file fails, nothing is published and the report
    names each failure. Raises `ReadError` for sources that are not there, `CorpusError`
    for an output folder that is not a corpus.
    """
    inputs = find_inputs(list(sources))
    target = Path(out).absolute()
    target.parent.mkdir(parents=True, exist_ok=True)
    with FileLock(target.parent / f".{target.name}.lock"):
        _recover(target)
        _refuse_non_corpus(target)
        ledger = read_ledger(target)
        staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.building-", dir=target.parent))
        os.chmod(staging, FOLDER_MODE)
        try:
            return _build(inputs, target, staging, ledger, scheduler, workers, on_done)
        finally:
            shutil.rmtree(staging, ignore_errors=True)


def _build(
    inputs: list[InputFile],
    target: Path,
    staging: Path,
    ledger: dict[str, LedgerEntry],
    scheduler: str,
    workers: int | None,
    on_done: Callable[[FileOutcome], None],
) -> BuildReport:
    for table in SCHEMAS:
        (staging / table).mkdir()
    reused: dict[str, LedgerEntry] = {}
    tasks = []
    for entry in inputs:
        kept = ledger.get(entry.name)
        if kept and _reusable(kept, entry, target):
            _link_partitions(target, staging, entry.key)
            reused[entry.name] = kept
        else:
            tasks.append(FileTask(str(entry.path), entry.name, entry.key, str(staging)))
    outcomes = run_tasks(
        process_file, tasks, scheduler=scheduler, workers=workers, on_done=on_done, on_lost=_lost
    )
    report = BuildReport(target, tuple(inputs), tuple(outcomes), tuple(reused.values()), False)
    if report.failures:
        return report
    read = {outcome.name: outcome for outcome in outcomes}
    entries = [
        reused.get(entry.name)
        or LedgerEntry(
            entry.name,
            read[entry.name].size,
            str(read[entry.name].sha256),
            read[entry.name].counts or FileCounts(),
        )
        for entry in inputs
    ]
    counts = write_current(staging, [entry.name for entry in inputs])
    (staging / LEDGER_NAME).write_text(ledger_json(entries), encoding="utf-8")
    _publish(staging, target)
    return BuildReport(target, tuple(inputs), tuple(outcomes), tuple(reused.values()), True, counts)


def _reusable(kept: LedgerEntry, entry: InputFile, target: Path) -> bool:
    """Whether a file's partitions from the last build stand: same size and sha256, all there."""
    return (
        kept.size == entry.size
        and all(partition_path(target, table, entry.key).is_file() for table in SCHEMAS)
        and kept.sha256 == file_sha256(entry.path)
    )


def _link_partitions(target: Path, staging: Path, key: str) -> None:
    for table in SCHEMAS:
        source, copy = partition_path(target, table, key), partition_path(staging, table, key)
        try:
            os.link(source, copy)
        except OSError:
            shutil.copy2(source, copy)


def write_current(folder: Path, order: Sequence[str]) -> CorpusCounts:
    """Write ``current.parquet``: each PMID's newest entry (later file, then later in its
    file) unless that entry is a deletion. Returns how many records are live, how many older
    versions of live records were replaced, and how many records a deletion removed: PMIDs
    whose newest entry is a deletion and that some file held (a deletion of a PMID no file
    held, as update files carry, removed nothing)."""
    import duckdb

    connection = duckdb.connect()
    try:
        # The ranks go in as SQL lists, not an Arrow table: building one would make pyarrow
        # import pandas, a third of a second of every build for two short columns.
        connection.execute(
            """CREATE TABLE file_ranks AS SELECT
                unnest($names::VARCHAR[]) AS source_file, unnest($ranks::BIGINT[]) AS file_rank""",
            {"names": list(order), "ranks": list(range(len(order)))},
        )
        articles = _parquet_glob(folder, "articles")
        deletions = _parquet_glob(folder, "deletions")
        connection.execute(
            f"""
            CREATE TABLE newest AS
            WITH entries AS (
                SELECT pmid, source_file, entry, FALSE AS deleted FROM read_parquet({articles})
                UNION ALL
                SELECT pmid, source_file, entry, TRUE AS deleted FROM read_parquet({deletions})
            )
            SELECT pmid, source_file, entry, deleted,
                row_number() OVER (
                    PARTITION BY pmid ORDER BY file_rank DESC, entry DESC
                ) AS recency
            FROM entries JOIN file_ranks USING (source_file)
            """
        )
        current = _quoted(folder / CURRENT_NAME)
        connection.execute(
            f"""COPY (SELECT pmid, source_file, entry FROM newest
                WHERE recency = 1 AND NOT deleted ORDER BY pmid)
                TO {current} (FORMAT parquet)"""
        )
        live, replaced, deleted = connection.execute(
            """WITH live AS (SELECT pmid FROM newest WHERE recency = 1 AND NOT deleted),
                held AS (SELECT DISTINCT pmid FROM newest WHERE NOT deleted)
            SELECT (SELECT count(*) FROM live),
                count(*) FILTER (
                    WHERE recency > 1 AND NOT deleted AND pmid IN (SELECT pmid FROM live)
                ),
                count(*) FILTER (WHERE recency = 1 AND deleted AND pmid IN (SELECT pmid FROM held))
            FROM newest"""
        ).fetchone()
    finally:
        connection.close()
    return CorpusCounts(records=live, replaced=replaced, deleted=deleted)


def _parquet_glob(folder: Path, table: str) -> str:
    return _quoted(folder / table / "*.parquet")


def _quoted(path: Path) -> str:
    """A path as an SQL string literal."""
    return "'" + str(path).replace("'", "''") + "'"


# --- publishing and recovery ----------------------------------------------------------------


def _previous_prefix(target: Path) -> str:
    return f".{target.name}.previous-"


def _publish(staging: Path, target: Path) -> None:
    """Put the staged corpus in place of the published one: the old one renamed aside, the
    new one renamed in, the old one removed. A crash in between is undone by `_recover`."""
    previous = None
    if target.exists():
        previous = Path(tempfile.mkdtemp(prefix=_previous_prefix(target), dir=target.parent))
        previous.rmdir()
        os.rename(target, previous)
    os.rename(staging, target)
    if previous is not None:
        shutil.rmtree(previous, ignore_errors=True)


def _recover(target: Path) -> None:
    """Undo what a build killed while publishing, or while staging, left beside the corpus."""
    for stale in target.parent.glob(f".{target.name}.building-*"):
        shutil.rmtree(stale, ignore_errors=True)
    previous = sorted(target.parent.glob(f"{_previous_prefix(target)}*"))
    if previous and not target.exists():
        os.rename(previous[-1], target)
        previous = previous[:-1]
    for stale in previous:
        shutil.rmtree(stale, ignore_errors=True)


def _refuse_non_corpus(target: Path) -> None:
    """Refuse to replace a folder that holds something other than a corpus."""
    occupied = target.exists() and (not target.is_dir() or any(target.iterdir()))
    if occupied and not (target / LEDGER_NAME).is_file():
        raise CorpusError(
            f"{target}: exists and is not a corpus (no {LEDGER_NAME}); "
            "choose a new or empty folder for --out"
        )
