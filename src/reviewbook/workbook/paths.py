"""Where the project's data lives: ``data/`` of the repository, or ``$REVIEWBOOK_DATA``."""

from __future__ import annotations

import os
from pathlib import Path

DATA_ENV = "REVIEWBOOK_DATA"
"""Environment variable naming a data folder to use instead of the repository's."""


def project_root() -> Path:
    """The checkout the package runs from (three levels above this file)."""
    return Path(__file__).resolve().parents[3]


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
