"""Add a review to the workbook: its source, manifest row, notes file and executed notebook.

`add_review` takes a PMID (fetched from NCBI as PubMed XML) or a file reviewbook reads (a saved
page, a MEDLINE ``.nbib`` or PubMed XML), and writes:

- ``data/pubmed/<pmid>.txt|.nbib|.xml``: the source's bytes, named for its format;
- a row of ``data/pubmed/manifest.csv``;
- ``data/annotations/<pmid>.yaml``: an empty annotation file (an existing one is kept);
- ``notebooks/NN_<author><year>_<slug>.md`` from ``templates/review.md``, then executed, which
  writes its ``.ipynb`` twin with outputs;
- ``notebooks/00_index``, re-executed so that the new review is listed.

A review already in the workbook is refused unless ``force`` is given. Every change is undone
when any step fails (or is interrupted), so the workbook is either extended or left as it was.
"""

from __future__ import annotations

import hashlib
import re
import stat
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from string import Template

from nbclient.exceptions import CellExecutionError

from reviewbook.files import write_atomically
from reviewbook.model import Article, is_pmid, pubmed_url
from reviewbook.sources.formats import file_format, read_article
from reviewbook.sources.ncbi import EutilsClient
from reviewbook.sources.pubmed_xml import parse_pubmed_xml
from reviewbook.text import JOINED_SEPARATOR
from reviewbook.workbook.manifest import ManifestEntry, manifest_with, read_manifest, saved_files
from reviewbook.workbook.naming import notebook_heading, notebook_key, review_citation
from reviewbook.workbook.notebooks import check_notebook, execute_notebook, twin_path
from reviewbook.workbook.paths import DATA_ENV, Workbook

TEMPLATE = "templates/review.md"
"""The notebook template, package data beside this module."""
INDEX_NOTEBOOK = "00_index.ipynb"
"""The workbook's index, re-executed after each addition."""
STORED_SUFFIXES: dict[str, str] = {"pubmed-xml": ".xml", "medline": ".nbib", "pubmed-page": ".txt"}
"""File suffix a source is stored under, by the format `file_format` recognises."""
SOURCE_KINDS: dict[str, str] = {
    ".xml": "PubMed XML record",
    ".nbib": "MEDLINE record",
    ".txt": "saved PubMed page",
}
"""How the notebook names its source, by stored suffix."""
_NUMBERED = re.compile(r"^(\d+)_")


class AddError(ValueError):
    """The review cannot be added: refused, or a step failed (the workbook is unchanged)."""


@dataclass(frozen=True, slots=True)
class AddedReview:
    """What `add_review` wrote for one review."""

    pmid: str
    source_file: Path
    notebook: Path
    twin: Path
    annotations: Path
    files: tuple[Path, ...]
    """Every file written or replaced, in the order written."""


# --- text of the new files -------------------------------------------------------------------


def notebook_text(article: Article, source_file: str) -> str:
    """The review notebook's MyST Markdown, from the package's template."""
    template = resources.files("reviewbook.workbook").joinpath(TEMPLATE).read_text(encoding="utf-8")
    return Template(template).substitute(
        heading=notebook_heading(article),
        source_kind=SOURCE_KINDS[Path(source_file).suffix],
        source_file=source_file,
        pmid=article.pmid,
    )


def empty_annotations(article: Article) -> str:
    """An annotation file with no claims and no reference notes yet, headed by the citation."""
    return (
        f"# reviewbook annotations of PMID {article.pmid}:\n"
        f"#   {review_citation(article)}\n"
        "# Written by us. Each claim restates one passage in our words and anchors it with an\n"
        "# exact quote of the review; reference notes say why the review cites a reference.\n"
        "# Created empty by `reviewbook add`.\n"
        f'pmid: "{article.pmid}"\n'
        "claims: []\n"
        "references: []\n"
    )


# --- reading the source -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Source:
    """A review's source as it will be stored: its record, its bytes and their file suffix."""

    article: Article
    data: bytes
    suffix: str


def read_source(source: str, *, client: EutilsClient | None = None) -> Source:
    """A PMID's PubMed XML from NCBI, or a file's one record; raises for anything else."""
    if source.isdigit():
        data = (client or EutilsClient()).fetch_pubmed_xml(source)
        articles = [
            article
            for article in parse_pubmed_xml(data, source_path=f"PMID {source}")
            if article.pmid == source
        ]
        return Source(articles[0], data, ".xml")
    article = read_article(source)
    data = Path(source).read_bytes()
    if not article.pmid:
        raise AddError("the page does not give its PMID: save it as <pmid>.txt (e.g. 29037250.txt)")
    if not is_pmid(article.pmid):
        raise AddError(f"{article.pmid!r} is not a PMID")
    return Source(article, data, STORED_SUFFIXES[file_format(data).name])


# --- undoing --------------------------------------------------------------------------------


@dataclass
class FileChanges:
    """Files written so far and what each held before, so that all can be undone."""

    before: dict[Path, tuple[bytes, int] | None] = field(default_factory=dict)
    made_folders: list[Path] = field(default_factory=list)

    def keep(self, path: Path) -> None:
        """Remember the file's bytes and permissions (or absence) before its first change."""
        if path not in self.before:
            exists = path.exists()
            mode = stat.S_IMODE(path.stat().st_mode) if exists else 0
            self.before[path] = (path.read_bytes(), mode) if exists else None

    def write(self, path: Path, data: bytes) -> None:
        """Replace the file's bytes atomically (`files.write_atomically`), keeping its mode."""
        self.keep(path)
        for folder in reversed(path.parents):
            if not folder.exists():
                folder.mkdir()
                self.made_folders.append(folder)
        previous = self.before[path]
        write_atomically(path, data, mode=previous[1] if previous else None)

    def remove(self, path: Path) -> None:
        """Delete the file, remembering it first."""
        self.keep(path)
        path.unlink(missing_ok=True)

    def undo(self) -> None:
        """Put every changed file back as it was and remove the folders made."""
        for path, previous in reversed(self.before.items()):
            if previous is None:
                path.unlink(missing_ok=True)
            else:
                data, mode = previous
                write_atomically(path, data, mode=mode)
        for folder in reversed(self.made_folders):
            folder.rmdir()

    @property
    def written(self) -> tuple[Path, ...]:
        """Files changed that exist now (not those removed), in order of first change."""
        return tuple(path for path in self.before if path.exists())


# --- adding ---------------------------------------------------------------------------------


def notebook_number(folder: Path, key: str) -> int:
    """The number of the notebook named for ``key``, else one more than the highest in use."""
    numbers = {
        path.stem.split("_", 1)[1]: int(match.group(1))
        for path in folder.glob("*")
        if path.suffix in (".ipynb", ".md") and (match := _NUMBERED.match(path.stem))
    }
    return numbers.get(key, max(numbers.values(), default=0) + 1)


def in_the_way(workbook: Workbook, pmid: str, key: str) -> list[Path]:
    """Files an addition of this review would replace (the manifest when it lists the PMID)."""
    listed = workbook.manifest.exists() and any(
        entry.pmid == pmid for entry in read_manifest(workbook.pubmed)
    )
    notebooks = [
        path
        for path in sorted(workbook.notebooks.glob(f"*_{key}.*"))
        if path.suffix in (".ipynb", ".md")
        and _NUMBERED.match(path.stem)
        and path.stem.split("_", 1)[1] == key
    ]
    return [
        *([workbook.manifest] if listed else []),
        *saved_files(pmid, workbook.pubmed),
        *notebooks,
    ]


def add_review(
    source: str,
    *,
    root: Path | None = None,
    force: bool = False,
    client: EutilsClient | None = None,
) -> AddedReview:
    """Add a review from a PMID or a file to the workbook at ``root`` (see the module's doc).

    Raises `AddError` (or the reader's `ReadError`, or `NcbiError` for a PMID) and
    leaves the workbook as it was.
    """
    workbook = Workbook.at(root)
    found = read_source(source, client=client)
    article = found.article
    pmid = str(article.pmid)
    key = notebook_key(article)
    existing = in_the_way(workbook, pmid, key)
    if existing and not force:
        names = ", ".join(_shown(path, workbook) for path in existing)
        raise AddError(f"PMID {pmid} is already in the workbook ({names}); --force replaces it")
    stem = f"{notebook_number(workbook.notebooks, key):02d}_{key}"
    source_file = workbook.pubmed / f"{pmid}{found.suffix}"
    notebook = workbook.notebooks / f"{stem}.ipynb"
    annotations = workbook.annotations / f"{pmid}.yaml"
    entry = ManifestEntry(
        pmid=pmid,
        pubmed_url=str(pubmed_url(pmid)),
        sha256=hashlib.sha256(found.data).hexdigest(),
        file=source_file.name,
        review=review_citation(article),
    )
    environment = {DATA_ENV: str(workbook.data)}
    changes = FileChanges()
    try:
        for path in existing:
            if path != workbook.manifest:
                changes.remove(path)
        changes.write(source_file, found.data)
        manifest = (
            workbook.manifest.read_text(encoding="utf-8") if workbook.manifest.exists() else None
        )
        changes.write(workbook.manifest, manifest_with(manifest, entry).encode("utf-8"))
        if not annotations.exists():
            changes.write(annotations, empty_annotations(article).encode("utf-8"))
        changes.write(twin_path(notebook), notebook_text(article, source_file.name).encode("utf-8"))
        _execute(notebook, changes, environment)
        index = workbook.notebooks / INDEX_NOTEBOOK
        if index.exists():
            _execute(index, changes, environment)
    except BaseException:
        changes.undo()
        raise
    return AddedReview(
        pmid, source_file, notebook, twin_path(notebook), annotations, changes.written
    )


def _execute(notebook: Path, changes: FileChanges, environment: dict[str, str]) -> None:
    """Execute a notebook pair (remembered first, for undoing); raise `AddError` if it fails."""
    changes.keep(notebook)
    changes.keep(twin_path(notebook))
    try:
        execute_notebook(notebook, environment=environment)
    except CellExecutionError as error:
        raise AddError(f"{notebook.name}: a cell raised {error.ename}: {error.evalue}") from None
    problems = check_notebook(notebook)
    if problems:
        raise AddError(JOINED_SEPARATOR.join(str(problem) for problem in problems))


def _shown(path: Path, workbook: Workbook) -> str:
    """A path as the workbook names it, e.g. ``data/pubmed/manifest.csv``."""
    for base in (workbook.data.parent, workbook.notebooks.parent):
        if path.is_relative_to(base):
            return str(path.relative_to(base))
    return str(path)
