"""The workbook's own reviews: the manifest of saved pages, loaded into records."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from reviewbook.model import Article
from reviewbook.page import read_pubmed_page
from reviewbook.paths import pubmed_dir

MANIFEST_NAME = "manifest.csv"


@dataclass(frozen=True, slots=True)
class ManifestEntry:
    """One saved review: its PMID, PubMed address, file and checksum."""

    pmid: str
    pubmed_url: str
    sha256: str
    file: str
    review: str


def read_manifest(folder: Path | None = None) -> tuple[ManifestEntry, ...]:
    """The entries of ``manifest.csv`` in ``folder`` (default: the workbook's PubMed folder)."""
    path = (folder or pubmed_dir()) / MANIFEST_NAME
    with path.open(encoding="utf-8", newline="") as handle:
        return tuple(ManifestEntry(**row) for row in csv.DictReader(handle))


def load_review(pmid: str, folder: Path | None = None) -> Article:
    """The review with this PMID, read from its saved page."""
    return read_pubmed_page((folder or pubmed_dir()) / f"{pmid}.txt")


def load_reviews(folder: Path | None = None) -> list[Article]:
    """Every review in the manifest, in manifest order."""
    folder = folder or pubmed_dir()
    return [read_pubmed_page(folder / entry.file) for entry in read_manifest(folder)]
