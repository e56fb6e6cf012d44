"""Where the workbook lives, and `Workbook`, the folders a review is added to.

A workbook is a folder holding ``data/pubmed/manifest.csv`` and ``notebooks/``. The commands
and notebooks find theirs as git finds a repository: ``$REVIEWBOOK_WORKBOOK`` (which
``reviewbook --workbook DIR`` sets), else the nearest folder at or above the current one that
holds a manifest; outside any, `NotInWorkbook` says how to make or name one. There is no
fallback to where the package is installed: an installed package never writes beside itself.
``$REVIEWBOOK_DATA`` and ``$REVIEWBOOK_NOTEBOOKS`` point its two folders elsewhere (a staged
change runs notebooks so).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

MANIFEST_NAME = "manifest.csv"
"""The list of saved reviews in the PubMed folder, one row per review."""
WORKBOOK_ENV = "REVIEWBOOK_WORKBOOK"
"""Environment variable naming the workbook's folder (``reviewbook --workbook``)."""
DATA_ENV = "REVIEWBOOK_DATA"
"""Environment variable naming a data folder to use instead of the workbook's."""
NOTEBOOKS_ENV = "REVIEWBOOK_NOTEBOOKS"
"""Environment variable naming a notebooks folder to use instead of the workbook's."""
MARKER = Path("data") / "pubmed" / MANIFEST_NAME
"""What makes a folder a workbook."""
INDEX_NOTEBOOK = "00_index.ipynb"
"""The workbook's index notebook, in its notebooks folder."""


NOT_IN_WORKBOOK = (
    f"not inside a reviewbook workbook (no {MARKER.as_posix()} here or above); "
    "run `reviewbook init DIR` or pass --workbook DIR"
)
"""What a workbook command says outside any workbook."""


class NotInWorkbook(LookupError):
    """No workbook here: none at or above the current folder, or the one named is not one."""


def is_workbook(folder: Path) -> bool:
    """Whether ``folder`` is a workbook: it holds `MARKER`."""
    return (folder / MARKER).is_file()


def workbook_root(environ: Mapping[str, str] | None = None) -> Path:
    """The workbook's folder: ``$REVIEWBOOK_WORKBOOK``, else the nearest folder at or above
    the current one holding `MARKER`. ``environ`` is the environment to look in (default:
    this process's; a kernel's, say). Raises `NotInWorkbook` when there is none."""
    override = (os.environ if environ is None else environ).get(WORKBOOK_ENV)
    if override:
        return Path(override).absolute()
    here = Path.cwd()
    for folder in (here, *here.parents):
        if is_workbook(folder):
            return folder
    raise NotInWorkbook(NOT_IN_WORKBOOK)


def required_workbook() -> Path:
    """The workbook a command works on (`workbook_root`), checked to be one: raises
    `NotInWorkbook` outside any, or when ``--workbook``/``$REVIEWBOOK_WORKBOOK`` names a
    folder without `MARKER`."""
    root = workbook_root()
    if not is_workbook(root):
        raise NotInWorkbook(
            f"{root}: not a reviewbook workbook (no {MARKER.as_posix()}); "
            "run `reviewbook init DIR` to make one"
        )
    return root


def notebooks_dir(environ: Mapping[str, str] | None = None) -> Path:
    """The notebooks folder: ``$REVIEWBOOK_NOTEBOOKS``, else the workbook's ``notebooks/``."""
    override = (os.environ if environ is None else environ).get(NOTEBOOKS_ENV)
    return Path(override) if override else workbook_root(environ) / "notebooks"


def data_dir(environ: Mapping[str, str] | None = None) -> Path:
    """The data folder: ``$REVIEWBOOK_DATA``, else the workbook's ``data/``."""
    override = (os.environ if environ is None else environ).get(DATA_ENV)
    return Path(override) if override else workbook_root(environ) / "data"


def pubmed_dir() -> Path:
    """Saved PubMed pages, one ``<pmid>.txt`` each."""
    return data_dir() / "pubmed"


def annotations_dir() -> Path:
    """Our annotation files, one ``<pmid>.yaml`` each."""
    return data_dir() / "annotations"


def pubmed_page_path(pmid: str) -> Path:
    """The saved PubMed page of ``pmid``."""
    return pubmed_dir() / f"{pmid}.txt"


def annotations_path(pmid: str) -> Path:
    """The annotation file of the review ``pmid``."""
    return annotations_dir() / f"{pmid}.yaml"


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

    def shown(self, path: Path) -> str:
        """A path as the workbook names it (``data/pubmed/manifest.csv``), never this
        machine's absolute path when it is inside the workbook."""
        for folder in (self.data, self.notebooks):
            base = folder.absolute().parent
            if path.absolute().is_relative_to(base):
                return path.absolute().relative_to(base).as_posix()
        return str(path)
