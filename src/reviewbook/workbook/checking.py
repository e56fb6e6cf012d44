"""The workbook's own check (``reviewbook check``): the workbook as it is now, whatever it holds.

The package's tests check the package; this checks a researcher's workbook, two reviews or two
hundred, by following its manifest:

- `manifest_problems`: every saved source listed, every row's file there with its checksum, and
  a full text stored beside a review's source (``<pmid>.nxml``) read as that review's;
- `annotation_errors`: every annotation file valid, its quotes anchored in its review;
- `notebook_problems`: every notebook fresh (nothing it read changed since it ran), run top to
  bottom, in step with its twin;
- `machine_path_problems`: no file the workbook would commit names a path of this machine;
- `nbval_failures`: every notebook, executed afresh, gives the outputs it carries (nbval, strict).

Each returns one line per problem, ``<path as the workbook names it>: <what is wrong>``.
"""

from __future__ import annotations

import csv
import hashlib
import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import replace
from pathlib import Path
from xml.etree import ElementTree

from reviewbook.annotations.loading import annotation_files, load_annotations
from reviewbook.annotations.model import AnnotationError, AnnotationsInvalid
from reviewbook.annotations.validation import validate_annotations
from reviewbook.collector import collector_paused
from reviewbook.errors import ReadError
from reviewbook.model import pubmed_url
from reviewbook.sources.formats import file_format, read_article
from reviewbook.workbook.manifest import (
    CITED_RECORDS_SUFFIX,
    CONVERSIONS_SUFFIX,
    FULLTEXT_SUFFIX,
    MANIFEST_COLUMNS,
    PAGE_SUFFIX,
    RECORD_SUFFIXES,
    read_manifest,
    saved_files,
)
from reviewbook.workbook.paths import (
    DATA_ENV,
    MANIFEST_NAME,
    NOTEBOOKS_ENV,
    WORKBOOK_ENV,
    Workbook,
)
from reviewbook.workbook.reviews import load_review

NBVAL_SANITIZE = Path(__file__).with_name("nbval_sanitize.cfg")
"""What nbval normalises before comparing outputs (memory addresses, Styler ids...)."""
NBVAL_SECONDS = 1800
"""How long the notebooks may take to run under nbval, all together."""
_SAVED_SOURCE = re.compile(
    r"^[1-9][0-9]{0,8}(?:"
    + "|".join(
        re.escape(suffix)
        for suffix in (
            *(PAGE_SUFFIX, *RECORD_SUFFIXES, FULLTEXT_SUFFIX),
            *(CITED_RECORDS_SUFFIX, CONVERSIONS_SUFFIX),
        )
    )
    + r")$"
)
"""A file of ``data/pubmed`` that belongs to a review: ``<pmid>.txt``, ``<pmid>.cited.xml``..."""
_PMID_OF_FILE = re.compile(r"^[0-9]+")
HOME_FOLDERS = re.compile(r"(?<![\w.:/\\-])(?:/home/|/Users/|[A-Za-z]:\\+Users\\+)[\w.-]+")
"""Home folders of any machine: ``/home/ada``, ``/Users/ada``, ``C:\\Users\\ada``."""
WORKBOOK_FOLDERS = ("data/", "notebooks/")
"""Where the workbook's own files are: any machine's home folder is out of place there."""
_LEFT_ALONE = ("data/.reviewbook/",)
"""The workbook's own bookkeeping (lock, journal, stage): never committed."""


# --- the manifest ---------------------------------------------------------------------------


def manifest_problems(workbook: Workbook) -> list[str]:
    """What is wrong with the manifest and the sources it lists."""
    manifest = workbook.manifest
    shown = workbook.shown(manifest)
    if not manifest.is_file():
        return [f"{shown}: missing: a workbook lists its reviews there"]
    with manifest.open(encoding="utf-8", newline="") as handle:
        columns = next(csv.reader(handle), [])
    if tuple(columns) != MANIFEST_COLUMNS:
        return [f"{shown}: columns are {columns}, expected {list(MANIFEST_COLUMNS)}"]
    problems = []
    seen: set[str] = set()
    for line, entry in enumerate(read_manifest(workbook.pubmed), start=2):
        where = f"{shown}:{line}"
        if entry.pmid in seen:
            problems.append(f"{where}: PMID {entry.pmid} is listed twice")
        seen.add(entry.pmid)
        if entry.pubmed_url != str(pubmed_url(entry.pmid)):
            problems.append(f"{where}: {entry.pubmed_url!r} is not PMID {entry.pmid}'s address")
        if not entry.review.strip():
            problems.append(f"{where}: PMID {entry.pmid} has no citation")
        path = workbook.pubmed / entry.file
        if not path.is_file():
            problems.append(f"{where}: {entry.file} does not exist")
        elif hashlib.sha256(path.read_bytes()).hexdigest() != entry.sha256:
            problems.append(
                f"{workbook.shown(path)}: its SHA-256 is not the one {MANIFEST_NAME} lists: "
                "the file changed since it was added (`reviewbook add --force` stores it anew)"
            )
    listed = {entry.file for entry in read_manifest(workbook.pubmed)}
    for path in sorted(workbook.pubmed.iterdir()):
        pmid = _PMID_OF_FILE.match(path.name)
        if not _SAVED_SOURCE.match(path.name) or path.name in listed or pmid is None:
            continue
        if pmid.group(0) in seen and path.name.endswith((CITED_RECORDS_SUFFIX, CONVERSIONS_SUFFIX)):
            continue
        if pmid.group(0) in seen and path.suffix == FULLTEXT_SUFFIX:
            problems += full_text_problems(workbook, path, pmid.group(0))
            continue
        problems.append(
            f"{workbook.shown(path)}: not listed in {MANIFEST_NAME} "
            f"(`reviewbook add {workbook.shown(path)}` adds it)"
        )
    return problems


def full_text_problems(workbook: Workbook, path: Path, pmid: str) -> list[str]:
    """What is wrong with a full text stored beside the source of the review ``pmid``
    (by ``reviewbook add PMID`` or ``refresh --full-text``). The manifest holds no checksum of
    it (its row names the review's source), so it is read: it must be PMC full text, of
    ``pmid``."""
    shown = workbook.shown(path)
    anew = f"`reviewbook refresh --full-text --force {pmid}` fetches it anew"
    try:
        if file_format(path.read_bytes()).name != "pmc-jats":
            return [f"{shown}: not a PMC full text (JATS XML): {anew}"]
        article = read_article(path)
    except (OSError, ReadError) as error:
        return [f"{shown}: cannot be read as a PMC full text ({error}): {anew}"]
    if article.pmid and article.pmid != pmid:
        return [f"{shown}: the full text of PMID {article.pmid}, not of PMID {pmid}: {anew}"]
    return []


# --- annotations ----------------------------------------------------------------------------


def annotation_errors(path: Path, pages: Path) -> list[AnnotationError]:
    """Every error of one annotation file, checked against its review as the workbook loads it.

    A file kept for a review no longer in the workbook (`reviewbook remove` keeps our notes) is
    checked on its own: schema, vocabulary, ids; its quotes wait for the review to come back.
    Raises ``OSError`` or `ReadError` when the file or its review cannot be read. The cycle
    collector waits until the check is done and its records are freed: none is in a cycle,
    and a large file's would be walked again by every collection.
    """
    with collector_paused():
        try:
            annotations = load_annotations(path)
        except AnnotationsInvalid as invalid:
            return list(invalid.errors)
        if not in_workbook(annotations.pmid, pages):
            return validate_annotations(annotations)
        return validate_annotations(annotations, load_review(annotations.pmid, pages))


def in_workbook(pmid: str, pages: Path) -> bool:
    """Whether the review is in the workbook: saved in ``pages``, or listed in its manifest
    (a folder without a manifest holds whatever it holds: every review counts as in it)."""
    manifest = pages / MANIFEST_NAME
    if saved_files(pmid, pages) or not manifest.exists():
        return True
    return any(entry.pmid == pmid for entry in read_manifest(pages))


def annotations_problems(workbook: Workbook) -> list[str]:
    """Every error of every annotation file of the workbook."""
    problems = []
    for path in annotation_files(workbook.annotations):
        try:
            errors = annotation_errors(path, workbook.pubmed)
            problems += [str(replace(error, path=workbook.shown(path))) for error in errors]
        except OSError as error:
            problems.append(f"{workbook.shown(path)}: cannot be read: {error.strerror or error}")
        except ValueError as error:  # ReadError: the review it annotates cannot be read
            problems.append(f"{workbook.shown(path)}: its review cannot be read: {error}")
    return problems


# --- notebooks ------------------------------------------------------------------------------


def notebook_problems(workbook: Workbook) -> list[str]:
    """Stale outputs, twins out of step, cells not run in order, of every notebook."""
    from reviewbook.workbook.notebooks import check_notebook

    return [
        f"{workbook.shown(problem.path)}: {problem.message}"
        for notebook in workbook_notebooks(workbook)
        for problem in check_notebook(notebook, data=workbook.data)
    ]


def workbook_notebooks(workbook: Workbook) -> list[Path]:
    """The workbook's notebooks, in order of their names."""
    return sorted(workbook.notebooks.glob("*.ipynb"))


def nbval_failures(workbook: Workbook, notebooks: Sequence[Path]) -> tuple[int, list[str]]:
    """How many cells nbval compared, and each whose fresh output differs from the one saved
    (strict), one line each with nbval's account indented below it. The notebooks run with
    the workbook as theirs."""
    if not notebooks:
        return 0, []
    root = workbook.notebooks.parent
    environment = {
        name: value for name, value in os.environ.items() if name not in (DATA_ENV, NOTEBOOKS_ENV)
    }
    environment |= {WORKBOOK_ENV: str(root), DATA_ENV: str(workbook.data)}
    with tempfile.TemporaryDirectory(prefix="reviewbook-nbval-") as folder:
        report = Path(folder) / "nbval.xml"
        result = subprocess.run(
            [
                *nbval_command(notebooks),
                "--rootdir",
                str(root),
                f"--junitxml={report}",
                "-o",
                "junit_family=xunit1",
            ],
            cwd=root,
            env=environment,
            capture_output=True,
            text=True,
            timeout=NBVAL_SECONDS,
        )
        if not report.is_file():
            reason = (result.stderr or result.stdout).strip().splitlines()
            return 0, [f"nbval did not run (exit {result.returncode}): {' '.join(reason[-3:])}"]
        suite = ElementTree.parse(report).getroot()
    return sum(1 for _ in suite.iter("testcase")), _junit_failures(suite)


def nbval_command(notebooks: Iterable[Path]) -> list[str]:
    """pytest with nbval, strict, on ``notebooks``, as the project runs it: this environment's
    kernel, no cache, none of the caller's own pytest options."""
    return [
        sys.executable,
        "-m",
        "pytest",
        "-p",
        "no:cacheprovider",
        "-o",
        "addopts=",
        "-q",
        "--nbval",
        "--nbval-current-env",
        "--nbval-sanitize-with",
        str(NBVAL_SANITIZE),
        *map(str, notebooks),
    ]


def _junit_failures(suite: ElementTree.Element) -> list[str]:
    """Failed and erroring cells of a JUnit report, as problem lines."""
    problems = []
    for case in suite.iter("testcase"):
        for outcome in (*case.findall("failure"), *case.findall("error")):
            where = case.get("file") or case.get("classname") or "?"
            account = (outcome.get("message") or "") + "\n" + (outcome.text or "")
            lines = [line for line in account.strip().splitlines() if line.strip()][:40]
            detail = "".join(f"\n    {line}" for line in lines)
            problems.append(f"{where}: {case.get('name')}: differs from a fresh run{detail}")
    return problems


# --- machine paths --------------------------------------------------------------------------


def machine_path_problems(workbook: Workbook) -> list[str]:
    """Files the workbook would commit that name a path of this machine (its own folder, the
    home and temporary folders, the Python environment), and workbook files (``data/``,
    ``notebooks/``) that name any machine's home folder; one line per file."""
    root = workbook.notebooks.parent
    here = machine_paths(root)
    anywhere = re.compile(f"{here.pattern}|{HOME_FOLDERS.pattern}")
    problems = []
    for path in committable_files(root):
        try:
            data = path.read_bytes()
        except OSError:
            continue
        if b"\0" in data:
            continue  # not text
        text = data.decode("utf-8", "replace")
        name = path.relative_to(root).as_posix()
        found = (anywhere if name.startswith(WORKBOOK_FOLDERS) else here).search(text)
        if found:
            line = text.count("\n", 0, found.start()) + 1
            problems.append(
                f"{name}:{line}: names a path of this machine ({found.group(0)}): a reader "
                "elsewhere has another; name it relative to the workbook"
            )
    return problems


def machine_paths(root: Path) -> re.Pattern[str]:
    """Paths that belong to this machine: the workbook's folder, the home and temporary
    folders and the Python environment, each followed by a name."""
    folders = {
        str(root.absolute()),
        str(root.resolve()),
        os.path.expanduser("~"),
        tempfile.gettempdir(),
        sys.prefix,
    }
    mine = [re.escape(folder.rstrip("/\\")) for folder in folders if len(folder.strip("/\\")) > 1]
    return re.compile(
        "|".join(rf"{folder}[/\\][\w.-]" for folder in sorted(mine, key=len, reverse=True))
    )


def committable_files(root: Path) -> list[Path]:
    """Files git would commit in ``root`` (tracked, or new and not ignored); outside git,
    every file of its ``data/`` and ``notebooks/``. The workbook's bookkeeping is left out."""
    try:
        listed = subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            cwd=root,
            capture_output=True,
            check=True,
        ).stdout.decode("utf-8", "surrogateescape")
        names = sorted({name for name in listed.split("\0") if name})
    except (OSError, subprocess.CalledProcessError):
        names = sorted(
            path.relative_to(root).as_posix()
            for folder in ("data", "notebooks")
            for path in (root / folder).rglob("*")
            if path.is_file()
        )
    return [root / name for name in names if not name.startswith(_LEFT_ALONE)]
