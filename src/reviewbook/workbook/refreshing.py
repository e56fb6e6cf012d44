"""Complete the references of reviews already in the workbook: ``reviewbook refresh``.

`refresh_reviews` looks up, for each review named (default: every review of the manifest), the
cited works whose records are not stored yet (`sources.completion.fetch_cited`: the ID converter
for DOIs and PMCIDs, then ``efetch`` in batches), adds them to ``<pmid>.cited.xml`` and
``<pmid>.idconv.json`` and re-runs the review's notebook and the notebooks over all reviews, as
one `transaction.Transaction` under the workbook lock. What NCBI could not give is reported,
not raised, unless nothing at all could be fetched (`RefreshError` carries NCBI's error).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from reviewbook.sources.completion import CitedData, fetch_cited, read_cited
from reviewbook.sources.ncbi import EutilsClient, NcbiError
from reviewbook.workbook.adding import (
    execute_in_stage,
    not_completed_references,
    notebooks_over_all_reviews,
    review_notebooks,
    stage_cited,
)
from reviewbook.workbook.manifest import completion_files, read_manifest
from reviewbook.workbook.naming import notebook_key
from reviewbook.workbook.paths import Workbook
from reviewbook.workbook.reviews import load_review
from reviewbook.workbook.transaction import Report, Transaction, checkpoint, workbook_lock


class RefreshError(ValueError):
    """A PMID named is not a review of the workbook (nothing was fetched or changed)."""


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
    listed = [entry.pmid for entry in read_manifest(workbook.pubmed)]
    unknown = [pmid for pmid in pmids if pmid not in listed]
    if unknown:
        raise RefreshError(f"not in the workbook (data/pubmed/manifest.csv): {', '.join(unknown)}")
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
