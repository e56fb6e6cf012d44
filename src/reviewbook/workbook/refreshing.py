"""Complete the references of reviews already in the workbook: ``reviewbook refresh``.

`refresh_reviews` looks up, for each review named (default: every review of the manifest), the
cited works whose records are not stored yet (`sources.completion.fetch_cited`: the ID converter
for DOIs and PMCIDs, then ``efetch`` in batches), adds them to ``<pmid>.cited.xml`` and
``<pmid>.idconv.json`` and re-runs the review's notebook and the notebooks over all reviews, as
one `transaction.Transaction` under the workbook lock. What NCBI could not give is reported,
not raised, unless nothing at all could be fetched (NCBI's `NcbiError` is raised then).

`store_full_texts` (``reviewbook refresh --full-text``) fetches the PMC full text of reviews
already added (`adding.review_full_text`: by the PMCID the review's sources give, else the PMC
ID converter's), stores each as ``<pmid>.nxml`` beside the review's other sources and re-runs
the same notebooks, as one transaction too. It raises on the first review that cannot have
one (already stored, no PMCID, no body, NCBI unreachable) before anything is written.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from reviewbook.model import Article
from reviewbook.sources.completion import CitedData, fetch_cited, read_cited
from reviewbook.sources.formats import read_article
from reviewbook.sources.ncbi import EutilsClient, FullText, NcbiError
from reviewbook.workbook.adding import (
    execute_in_stage,
    not_completed_references,
    notebooks_over_all_reviews,
    review_full_text,
    review_notebooks,
    stage_cited,
)
from reviewbook.workbook.manifest import FULLTEXT_SUFFIX, completion_files, read_manifest
from reviewbook.workbook.naming import notebook_key
from reviewbook.workbook.paths import Workbook
from reviewbook.workbook.reviews import load_review
from reviewbook.workbook.transaction import Report, Transaction, checkpoint, workbook_lock


class RefreshError(ValueError):
    """A PMID named is not a review of the workbook, or its full text is already stored
    (nothing was fetched or changed)."""


@dataclass(frozen=True, slots=True)
class RefreshedReview:
    """What `refresh_reviews` did for one review."""

    pmid: str
    fetched: int
    """Cited records newly stored."""
    stored: int
    """Cited records stored in all, after the refresh."""
    not_completed: tuple[int, ...]
    """Indices of references whose cited work NCBI could not be asked about."""
    errors: tuple[NcbiError, ...]
    """Why, one of each distinct error."""


def refresh_reviews(
    pmids: Sequence[str] = (),
    *,
    root: Path | None = None,
    client: EutilsClient | None = None,
    report: Report | None = None,
) -> list[RefreshedReview]:
    """Fetch and store the cited works' records of the reviews ``pmids`` (default: all).

    Raises `RefreshError` for a PMID the manifest does not list, and NCBI's `NcbiError` when
    lookups were needed and every one failed (then nothing changed).
    """
    workbook = Workbook.at(root)
    listed = listed_pmids(workbook, pmids)
    client = client or EutilsClient()
    lookups: list[tuple[str, CitedData, CitedData]] = []
    for pmid in pmids or listed:
        review = load_review(pmid, workbook.pubmed)
        stored = _stored(workbook, pmid)
        lookups.append((pmid, stored, fetch_cited(review, client, stored=stored)))
    errors = [error for _, _, fetched in lookups for error in fetched.failed.values()]
    if errors and not any(fetched.records or fetched.conversions for _, _, fetched in lookups):
        raise errors[0]
    changed = [lookup for lookup in lookups if lookup[2].records or lookup[2].conversions]
    if changed:
        _store(workbook, changed, report)
    return [
        RefreshedReview(
            pmid,
            len(fetched.records),
            len(fetched.with_stored(stored).records),
            not_completed_references(load_review(pmid, workbook.pubmed), fetched),
            tuple({str(error): error for error in fetched.failed.values()}.values()),
        )
        for pmid, stored, fetched in lookups
    ]


def listed_pmids(workbook: Workbook, pmids: Sequence[str]) -> list[str]:
    """The PMIDs the manifest lists; raises `RefreshError` naming those of ``pmids`` it does
    not."""
    listed = [entry.pmid for entry in read_manifest(workbook.pubmed)]
    unknown = [pmid for pmid in pmids if pmid not in listed]
    if unknown:
        raise RefreshError(f"not in the workbook (data/pubmed/manifest.csv): {', '.join(unknown)}")
    return listed


def _stored(workbook: Workbook, pmid: str) -> CitedData:
    records, conversions = completion_files(pmid, workbook.pubmed)
    return read_cited(
        records.read_bytes() if records.is_file() else None,
        conversions.read_bytes() if conversions.is_file() else None,
    )


def _store(
    workbook: Workbook, changed: list[tuple[str, CitedData, CitedData]], report: Report | None
) -> None:
    """Write the merged cited data of the changed reviews and re-run their notebooks."""
    names = ", ".join(pmid for pmid, _, _ in changed)
    with workbook_lock(workbook, report=report):
        notebooks: list[Path] = []
        with Transaction(workbook, f"refresh of PMID {names}") as transaction:
            for pmid, stored, fetched in changed:
                paths = completion_files(pmid, workbook.pubmed)
                stage_cited(transaction, fetched.with_stored(stored), paths)
                key = notebook_key(load_review(pmid, workbook.pubmed))
                notebooks += review_notebooks(workbook, pmid, key)
            checkpoint("staged-refresh")
            ipynbs = [path for path in notebooks if path.suffix == ".ipynb"]
            execute_in_stage([*ipynbs, *notebooks_over_all_reviews(workbook)], transaction)
            transaction.publish()


# --- full texts -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StoredFullText:
    """A full text `store_full_texts` stored beside a review's other sources."""

    pmid: str
    pmcid: str
    path: Path
    replaced: bool
    """Whether it replaced a full text stored before (``force``)."""


def store_full_texts(
    pmids: Sequence[str],
    *,
    root: Path | None = None,
    client: EutilsClient | None = None,
    force: bool = False,
    report: Report | None = None,
) -> list[StoredFullText]:
    """Fetch the PMC full text of each review ``pmids`` names, store it as ``<pmid>.nxml`` and
    re-run the notebooks that read the review, as one transaction.

    A review's PMCID is the one its source (the file its manifest row names) gives, else the
    PMC ID converter's; a full text stored before is not read, so a damaged one can be
    replaced. Raises before anything changes: `RefreshError` for a PMID the manifest does not
    list, for a review whose full text is stored already (unless ``force``) and for one whose
    source is its full text (``reviewbook add --force PMC...`` replaces that); `NoFullText`
    when PMC has none to give; `NcbiError` when NCBI cannot be asked.
    """
    workbook = Workbook.at(root)
    wanted = list(dict.fromkeys(pmids))
    if not wanted:
        raise RefreshError("name the reviews whose full text to fetch (their PMIDs)")
    listed_pmids(workbook, wanted)
    sources = {pmid: _source(workbook, pmid, force) for pmid in wanted}
    client = client or EutilsClient()
    fetched = {pmid: (source, review_full_text(source, client)) for pmid, source in sources.items()}
    return _store_full_texts(workbook, fetched, force, report)


def _source(workbook: Workbook, pmid: str, force: bool) -> Article:
    """The review's source as read from the file its manifest row names; raises
    `RefreshError` when a full text may not be stored for it now."""
    path = workbook.pubmed / f"{pmid}{FULLTEXT_SUFFIX}"
    entry = next((entry for entry in read_manifest(workbook.pubmed) if entry.pmid == pmid), None)
    if entry is None:  # removed meanwhile
        raise RefreshError(f"not in the workbook (data/pubmed/manifest.csv): {pmid}")
    if entry.file == path.name:
        raise RefreshError(
            f"PMID {pmid} was added from its full text ({workbook.shown(path)}): "
            f"`reviewbook add --force PMC...` replaces it"
        )
    if path.exists() and not force:
        raise RefreshError(
            f"PMID {pmid} already has its full text ({workbook.shown(path)}); --force replaces it"
        )
    return read_article(workbook.pubmed / entry.file)


def _store_full_texts(
    workbook: Workbook,
    fetched: dict[str, tuple[Article, FullText]],
    force: bool,
    report: Report | None,
) -> list[StoredFullText]:
    """Write the fetched full texts (each review's source and full text, by PMID) and re-run
    the notebooks reading their reviews."""
    stored = []
    with workbook_lock(workbook, report=report):
        notebooks: list[Path] = []
        with Transaction(workbook, f"full text of PMID {', '.join(fetched)}") as transaction:
            for pmid, (source, full_text) in fetched.items():
                _source(workbook, pmid, force)  # refused as things are now, under the lock
                path = workbook.pubmed / f"{pmid}{FULLTEXT_SUFFIX}"
                stored.append(StoredFullText(pmid, full_text.pmcid, path, path.exists()))
                transaction.write(path, full_text.data)
                notebooks += review_notebooks(workbook, pmid, notebook_key(source))
            checkpoint("staged-full-text")
            ipynbs = [path for path in notebooks if path.suffix == ".ipynb"]
            execute_in_stage([*ipynbs, *notebooks_over_all_reviews(workbook)], transaction)
            transaction.publish()
    return stored
