"""The manifest of saved reviews, ``data/pubmed/manifest.csv``: reading it, and the text of
it with one row added or replaced (writing is `adding`'s, as one step of a transaction)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from reviewbook.workbook.paths import MANIFEST_NAME, pubmed_dir

MANIFEST_COLUMNS: tuple[str, ...] = ("pmid", "pubmed_url", "sha256", "file", "review")
PAGE_SUFFIX = ".txt"
RECORD_SUFFIXES: tuple[str, ...] = (".xml", ".nbib")
"""Suffixes of saved records, the preferred one first."""


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


def saved_files(pmid: str, folder: Path | None = None) -> list[Path]:
    """The files saved for a PMID in ``folder``: its page first, then its records."""
    folder = folder or pubmed_dir()
    suffixes = (PAGE_SUFFIX, *RECORD_SUFFIXES)
    return [
        folder / f"{pmid}{suffix}" for suffix in suffixes if (folder / f"{pmid}{suffix}").exists()
    ]


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
