"""The workbook's own reviews: the manifest of saved sources, loaded into records.

A review is saved under ``data/pubmed/`` as its PubMed page (``<pmid>.txt``), its PubMed XML
record (``<pmid>.xml``) or its MEDLINE record (``<pmid>.nbib``), and its PMC full text
(``<pmid>.nxml``). When both a page and a record are saved, the review is the page merged with
the record (see `merge_page_and_record`): the page's text with the record's identifiers and
full reference list; a full text is merged over them (`merge_full_text`), bringing the body.
Its references are then completed from the cited works' records and ID conversions stored beside it
(``<pmid>.cited.xml``, ``<pmid>.idconv.json``; see `manifest`), with no network: a reference
whose record is not stored says so, and how to fetch it (``reviewbook refresh <pmid>``).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from reviewbook.annotations.loading import load_annotations
from reviewbook.annotations.model import Annotations
from reviewbook.collector import built_to_keep
from reviewbook.model import Article, is_pmid
from reviewbook.sources.completion import (
    ReferenceCounts,
    complete_references,
    read_conversions,
    records_by_pmid,
    reference_counts,
)
from reviewbook.sources.formats import read_article
from reviewbook.sources.merge import merge_full_text, merge_page_and_record
from reviewbook.workbook.manifest import (
    FULLTEXT_SUFFIX,
    PAGE_SUFFIX,
    RECORD_SUFFIXES,
    completion_files,
    read_manifest,
    saved_files,
)
from reviewbook.workbook.paths import annotations_dir, pubmed_dir
from reviewbook.workbook.review_cache import cached_review

REFRESH_HINT = "run `reviewbook refresh {pmid}` to fetch it"
"""How a reference that was not completed says how to complete it."""


def read_saved_review(path: Path) -> Article:
    """The review saved at ``path``, merged with the page or record saved beside it, if any,
    and its references completed from what is stored beside it (through `cached_review`:
    reading a review again from unchanged files costs one unpickling)."""
    inputs = [path, *saved_files(path.stem, path.parent), *completion_files(path.stem, path.parent)]
    return cached_review(path.stem, list(dict.fromkeys(inputs)), lambda: _read(path))


def _read(path: Path) -> Article:
    """The review of ``path`` from every source saved for it: page and record merged, then
    the full text, when saved, merged over them."""
    files = [path, *saved_files(path.stem, path.parent)]
    page = next((file for file in files if file.suffix == PAGE_SUFFIX), None)
    record = next((file for file in files if file.suffix in RECORD_SUFFIXES), None)
    full_text = next((file for file in files if file.suffix == FULLTEXT_SUFFIX), None)
    if page is not None and record is not None:
        article = merge_page_and_record(read_article(page), read_article(record))
    elif page is not None or record is not None:
        article = read_article(page or record)  # type: ignore[arg-type]
    else:
        article = None
    if full_text is not None:
        text = read_article(full_text)
        article = text if article is None else merge_full_text(article, text)
    return completed(article or read_article(path), path.parent)


def completed(article: Article, folder: Path) -> Article:
    """The article's references completed from the cited data stored in ``folder``."""
    if not article.pmid or not article.references:
        return article
    records, conversions = completion_files(article.pmid, folder)
    return complete_references(
        article,
        records_by_pmid(records.read_bytes() if records.is_file() else None),
        read_conversions(conversions.read_bytes() if conversions.is_file() else None),
        refresh_hint=REFRESH_HINT.format(pmid=article.pmid),
    )


def load_review(review: str | os.PathLike[str], folder: Path | None = None) -> Article:
    """A review: by PMID, the workbook's (``folder``, default its ``data/pubmed/``), read from
    every source saved for it; or any file `read_article` reads, by its path, as it is.

    ``"29037250"`` is a PMID; ``"29037250.txt"``, ``"./29037250"`` or a `Path` is a file. A
    PMID outside a workbook raises `paths.NotInWorkbook`, saying how to make or name one.
    """
    with built_to_keep():
        if isinstance(review, str) and is_pmid(review):
            folder = folder or pubmed_dir()
            files = saved_files(review, folder)
            return read_saved_review(files[0] if files else folder / f"{review}{PAGE_SUFFIX}")
        return read_article(Path(review))


def load_reviews(folder: Path | None = None) -> list[Article]:
    """Every review in the manifest, in manifest order."""
    folder = folder or pubmed_dir()
    with built_to_keep():
        return [read_saved_review(folder / entry.file) for entry in read_manifest(folder)]


def completeness(folder: Path | None = None) -> list[ReferenceCounts]:
    """How complete each review's reference list is, in manifest order (see `reference_counts`).

    Each entry prints as ``5 of at least 5 references, from the saved page, which shows only
    the first 5; ...``: what a notebook says beside any count over a partial list.
    """
    return [reference_counts(review) for review in load_reviews(folder)]


def load_notes(reviews: Iterable[Article], folder: Path | None = None) -> list[Annotations]:
    """Our annotations of each review, in the reviews' order, from ``folder`` (the workbook's
    ``data/annotations/`` by default); a review without a file has none (no claims, no notes),
    so comparisons over every review need no special case for one not yet annotated."""
    folder = folder or annotations_dir()
    notes = []
    for review in reviews:
        path = folder / f"{review.pmid}.yaml"
        found = path.is_file()
        notes.append(load_annotations(path) if found else Annotations(str(review.pmid)))
    return notes
