"""The manifest of saved reviews, ``data/pubmed/manifest.csv``: reading it, and the text of
it with one row added, replaced or removed (writing is a transaction's step: `adding`,
`removing`).

Beside each review's source, ``data/pubmed/`` may hold what completes its references (written
by ``reviewbook add`` and ``reviewbook refresh``, read by `reviews.load_review`), so the review
loads complete offline:

- ``<pmid>.cited.xml``: the cited works' PubMed records, one ``<PubmedArticleSet>``;
- ``<pmid>.idconv.json``: NCBI's PMC ID converter's records for references known only by DOI
  or PMCID, in the converter's own JSON shape.

They are not manifest rows: the manifest lists the reviews' sources; these are NCBI's data about
the works a review cites, rebuilt at any time by ``reviewbook refresh <pmid>``.
"""

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
FULLTEXT_SUFFIX = ".nxml"
"""``<pmid>.nxml``: a review's PMC full text (JATS XML)."""
CITED_RECORDS_SUFFIX = ".cited.xml"
"""``<pmid>.cited.xml``: the PubMed records of the works a review cites."""
CONVERSIONS_SUFFIX = ".idconv.json"
"""``<pmid>.idconv.json``: the ID converter's records for a review's DOIs and PMCIDs."""


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
    """The files saved for a PMID in ``folder``: its page first, then its records, then its
    full text."""
    folder = folder or pubmed_dir()
    suffixes = (PAGE_SUFFIX, *RECORD_SUFFIXES, FULLTEXT_SUFFIX)
    return [
        folder / f"{pmid}{suffix}" for suffix in suffixes if (folder / f"{pmid}{suffix}").exists()
    ]


def record_files(folder: Path | None = None) -> list[Path]:
    """The PubMed records the workbook holds, in manifest order: each review saved as a record
    (PubMed XML or MEDLINE, not a saved page) and the records of the works it cites. Listed
    from the manifest, so what a notebook builds from them follows the workbook alone."""
    folder = folder or pubmed_dir()
    found = []
    for entry in read_manifest(folder):
        cited = completion_files(entry.pmid, folder)[0]
        if Path(entry.file).suffix in RECORD_SUFFIXES:
            found.append(folder / entry.file)
        if cited.is_file():
            found.append(cited)
    return found


def completion_files(pmid: str, folder: Path | None = None) -> tuple[Path, Path]:
    """Where a review's cited records and ID conversions are stored (they may not exist)."""
    folder = folder or pubmed_dir()
    return folder / f"{pmid}{CITED_RECORDS_SUFFIX}", folder / f"{pmid}{CONVERSIONS_SUFFIX}"


def manifest_without(existing: str, pmid: str) -> str:
    """The manifest's text without the row of ``pmid`` (unchanged when it has none)."""
    lines = existing.splitlines(keepends=True)
    return "".join([*lines[:1], *(line for line in lines[1:] if line.split(",", 1)[0] != pmid)])


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
