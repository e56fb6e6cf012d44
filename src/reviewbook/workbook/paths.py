"""Where the workbook lives: ``data/`` of the checkout (or ``$REVIEWBOOK_DATA``) and its
``notebooks/``; `Workbook` names the folders a review is added to."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

MANIFEST_NAME = "manifest.csv"
"""The list of saved reviews in the PubMed folder, one row per review."""
DATA_ENV = "REVIEWBOOK_DATA"
"""Environment variable naming a data folder to use instead of the repository's."""
NOTEBOOKS_ENV = "REVIEWBOOK_NOTEBOOKS"
"""Environment variable naming a notebooks folder to use instead of the checkout's."""


def project_root() -> Path:
    """The checkout the package runs from (three levels above this file)."""
    return Path(__file__).resolve().parents[3]


def notebooks_dir() -> Path:
    """The notebooks folder: ``$REVIEWBOOK_NOTEBOOKS``, else the checkout's ``notebooks/``."""
    override = os.environ.get(NOTEBOOKS_ENV)
    return Path(override) if override else project_root() / "notebooks"


_REPOSITORY_DATA = project_root() / "data"
"""``data/`` next to ``src/`` when the package runs from a checkout (editable install)."""


def data_dir() -> Path:
    """The data folder: ``$REVIEWBOOK_DATA``, else the checkout's ``data/``, else ``./data``."""
    override = os.environ.get(DATA_ENV)
    if override:
        return Path(override)
    if _REPOSITORY_DATA.is_dir():
        return _REPOSITORY_DATA
    return Path.cwd() / "data"


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
