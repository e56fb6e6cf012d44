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

import csv
import hashlib
import io
import os
import re
import tempfile
import unicodedata
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from string import Template

from nbclient.exceptions import CellExecutionError

from reviewbook.model import Article, pubmed_url
from reviewbook.sources.formats import file_format, read_article
from reviewbook.sources.ncbi import EutilsClient
from reviewbook.sources.pubmed_xml import parse_pubmed_xml
from reviewbook.workbook.notebooks import check_notebook, execute_notebook, notebooks_dir, twin_path
from reviewbook.workbook.paths import DATA_ENV, data_dir
from reviewbook.workbook.reviews import (
    MANIFEST_COLUMNS,
    MANIFEST_NAME,
    ManifestEntry,
    read_manifest,
    saved_files,
)

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
SLUG_WORDS = 3
"""Significant title words in a notebook's name."""
# fmt: off
TITLE_STOPWORDS: frozenset[str] = frozenset({
    "a", "an", "and", "are", "as", "at", "by", "can", "do", "does", "for", "from", "how", "in",
    "into", "is", "it", "its", "of", "on", "or", "the", "their", "this", "to", "versus", "via",
    "vs", "what", "when", "where", "which", "who", "why", "with",
})
# fmt: on
"""Words left out of a notebook's name."""
NAME_SUFFIXES: frozenset[str] = frozenset({"Jr", "Sr", "II", "III", "IV", "2nd", "3rd"})
"""Generational suffixes after a surname, ignored when naming a first author."""
MARKDOWN_SPECIALS = "\\`*_[]<>$|~"
"""Characters escaped with a backslash when article text goes into Markdown."""
NEW_FILE_MODE = 0o644

_PMID = re.compile(r"^[1-9]\d{0,8}$")
_INITIALS = re.compile(r"^[A-Z]{1,4}$")
_NUMBERED = re.compile(r"^(\d+)_")


class AddError(ValueError):
    """The review cannot be added: refused, or a step failed (the workbook is unchanged)."""


# --- where things go --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Workbook:
    """The folders a review is added to."""

    data: Path
    notebooks: Path

    @classmethod
    def at(cls, root: Path | None) -> Workbook:
        """``root/data`` and ``root/notebooks``; without a root, `data_dir` and `notebooks_dir`."""
        if root is None:
            return cls(data_dir().resolve(), notebooks_dir())
        return cls((root / "data").resolve(), root / "notebooks")

    @property
    def pubmed(self) -> Path:
        """Saved sources and their manifest."""
        return self.data / "pubmed"

    @property
    def annotations(self) -> Path:
        """Our annotation files."""
        return self.data / "annotations"

    @property
    def manifest(self) -> Path:
        """``manifest.csv``, one row per review."""
        return self.pubmed / MANIFEST_NAME


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


# --- names and text from the article ----------------------------------------------------------


def surname(name: str) -> str:
    """The surname in ``Janssen LME`` (PubMed's form) or ``Louise M E Janssen`` (the page's)."""
    words = [word for word in name.split() if word not in NAME_SUFFIXES]
    if len(words) > 1 and _INITIALS.match(words[-1]):
        return " ".join(words[:-1])
    return words[-1] if words else ""


def nlm_name(name: str) -> str:
    """An author as PubMed cites them: ``Louise M E Janssen`` gives ``Janssen LME``."""
    words = [word for word in name.split() if word not in NAME_SUFFIXES]
    if len(words) < 2 or _INITIALS.match(words[-1]):
        return " ".join(words)
    return f"{words[-1]} {''.join(word[0].upper() for word in words[:-1])}"


def author_names(article: Article) -> tuple[tuple[str, ...], bool]:
    """The authors the record names, and whether it says there are more (``et al.``)."""
    shown = (article.authors_display or "").strip()
    more = shown.endswith("et al.")
    names = tuple(name.strip() for name in shown.removesuffix("et al.").split(",") if name.strip())
    if article.first_author and not names:
        names = (article.first_author,)
    return names, more


def author_label(article: Article) -> str:
    """``Guo et al.``, ``Erez & Coussens`` or ``Olivero``, for headings."""
    names, more = author_names(article)
    if not names:
        return "Anonymous"
    if len(names) == 2 and not more:
        return f"{surname(names[0])} & {surname(names[1])}"
    return surname(names[0]) + (" et al." if more or len(names) > 2 else "")


def review_citation(article: Article) -> str:
    """The manifest's citation: ``Janssen LME et al. Title? Journal. 2017;5(1):79. doi:...``."""
    names, more = author_names(article)
    cited = [nlm_name(name) for name in names]
    authors = f"{cited[0]} et al." if len(cited) > 2 or (cited and more) else ", ".join(cited)
    source = f"{article.journal or 'Unknown journal'}. {article.year or 'n.d.'}"
    if article.volume:
        source += f";{article.volume}" + (f"({article.issue})" if article.issue else "")
    if article.pages:
        source += f":{article.pages}"
    parts = [_sentence(authors), _sentence(article.title), _sentence(source)]
    if article.doi:
        parts.append(f"doi:{article.doi}")
    return " ".join(part for part in parts if part)


def _sentence(text: str) -> str:
    """Text with whitespace collapsed, ending in a full stop unless it ends in ``.?!``."""
    line = " ".join(text.split())
    return line if not line or line.endswith((".", "?", "!")) else line + "."


def ascii_key(text: str) -> str:
    """Lower-case ASCII letters and digits of ``text``: ``O'Byrne`` gives ``obyrne``."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]", "", folded.lower())


def title_slug(title: str, words: int = SLUG_WORDS) -> str:
    """The first significant words of a title, for a file name: ``immune_system_cancer``."""
    folded = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii")
    significant = [
        word for word in re.findall(r"[a-z0-9]+", folded.lower()) if word not in TITLE_STOPWORDS
    ]
    return "_".join(significant[:words]) or "review"


def notebook_key(article: Article) -> str:
    """A review notebook's name without its number: ``janssen2017_immune_system_cancer``."""
    names, _ = author_names(article)
    author = ascii_key(surname(names[0])) if names else "anonymous"
    return f"{author or 'anonymous'}{article.year or 'nd'}_{title_slug(article.title)}"


def markdown_text(text: str) -> str:
    """Text safe inside a Markdown line: whitespace collapsed, specials backslash-escaped."""
    line = " ".join(text.split())
    return "".join(f"\\{char}" if char in MARKDOWN_SPECIALS else char for char in line)


def notebook_heading(article: Article) -> str:
    """``Guo et al. 2018: *Title*`` in Markdown, article text escaped."""
    heading = f"{markdown_text(author_label(article))} {article.year or 'n.d.'}"
    title = " ".join(article.title.split()).removesuffix(".")
    return f"{heading}: *{markdown_text(title)}*" if title else heading


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


def manifest_with(existing: str | None, entry: ManifestEntry) -> str:
    """The manifest's text with ``entry`` as its last row, replacing any row of its PMID."""
    newline = "\r\n" if existing and "\r\n" in existing else "\n"
    lines = (existing or ",".join(MANIFEST_COLUMNS) + newline).splitlines(keepends=True)
    kept = [lines[0], *(line for line in lines[1:] if line.split(",", 1)[0] != entry.pmid)]
    if not kept[-1].endswith("\n"):
        kept[-1] += newline
    row = io.StringIO()
    csv.writer(row, lineterminator=newline).writerow(
        [getattr(entry, column) for column in MANIFEST_COLUMNS]
    )
    return "".join(kept) + row.getvalue()


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
    if not _PMID.match(article.pmid):
        raise AddError(f"{article.pmid!r} is not a PMID")
    return Source(article, data, STORED_SUFFIXES[file_format(data).name])


# --- undoing --------------------------------------------------------------------------------


@dataclass
class FileChanges:
    """Files written so far and what each held before, so that all can be undone."""

    before: dict[Path, tuple[bytes, int] | None] = field(default_factory=dict)
    made_folders: list[Path] = field(default_factory=list)

    def keep(self, path: Path) -> None:
        """Remember the file's bytes and mode (or absence) before its first change."""
        if path not in self.before:
            self.before[path] = (path.read_bytes(), path.stat().st_mode) if path.exists() else None

    def write(self, path: Path, data: bytes) -> None:
        """Replace the file's bytes atomically, keeping its mode."""
        self.keep(path)
        for folder in reversed(path.parents):
            if not folder.exists():
                folder.mkdir()
                self.made_folders.append(folder)
        previous = self.before[path]
        _write_atomically(path, data, previous[1] if previous else NEW_FILE_MODE)

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
                _write_atomically(path, *previous)
        for folder in reversed(self.made_folders):
            folder.rmdir()

    @property
    def written(self) -> tuple[Path, ...]:
        """Files changed that exist now (not those removed), in order of first change."""
        return tuple(path for path in self.before if path.exists())


def _write_atomically(path: Path, data: bytes, mode: int) -> None:
    """Write through a temporary file and a rename, so no reader sees half a file."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


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

    Raises `AddError` (or the reader's `PubMedPageError`, or `NcbiError` for a PMID) and
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
        raise AddError("; ".join(str(problem) for problem in problems))


def _shown(path: Path, workbook: Workbook) -> str:
    """A path as the workbook names it, e.g. ``data/pubmed/manifest.csv``."""
    for base in (workbook.data.parent, workbook.notebooks.parent):
        if path.is_relative_to(base):
            return str(path.relative_to(base))
    return str(path)
