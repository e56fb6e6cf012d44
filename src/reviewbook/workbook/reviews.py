"""The workbook's own reviews: the manifest of saved sources, loaded into records.

A review is saved under ``data/pubmed/`` as its PubMed page (``<pmid>.txt``), its PubMed XML
record (``<pmid>.xml``) or its MEDLINE record (``<pmid>.nbib``). When both a page and a record
are saved, the review is the page merged with the record (see `merge_page_and_record`): the
page's text with the record's identifiers and full reference list.
"""

from __future__ import annotations

from pathlib import Path

from reviewbook.model import Article
from reviewbook.sources.formats import read_article
from reviewbook.sources.merge import merge_page_and_record
from reviewbook.workbook.manifest import PAGE_SUFFIX, RECORD_SUFFIXES, read_manifest, saved_files
from reviewbook.workbook.paths import pubmed_dir


def read_saved_review(path: Path) -> Article:
    """The review saved at ``path``, merged with the page or record saved beside it, if any."""
    partners = [other for other in saved_files(path.stem, path.parent) if other != path]
    if path.suffix == PAGE_SUFFIX:
        record = next((other for other in partners if other.suffix in RECORD_SUFFIXES), None)
        page = path
    else:
        page = next((other for other in partners if other.suffix == PAGE_SUFFIX), None)
        record = path
    if page is None or record is None:
        return read_article(path)
    return merge_page_and_record(read_article(page), read_article(record))


def load_review(pmid: str, folder: Path | None = None) -> Article:
    """The review with this PMID, read from its saved page and/or record."""
    folder = folder or pubmed_dir()
    files = saved_files(pmid, folder)
    return read_saved_review(files[0] if files else folder / f"{pmid}{PAGE_SUFFIX}")


def load_reviews(folder: Path | None = None) -> list[Article]:
    """Every review in the manifest, in manifest order."""
    folder = folder or pubmed_dir()
    return [read_saved_review(folder / entry.file) for entry in read_manifest(folder)]
