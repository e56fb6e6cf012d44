"""Remove a review from the workbook: its sources, manifest row and notebook, as one transaction.

`remove_review` removes, under the workbook lock and as one `transaction.Transaction` (staged,
journaled, recovered after a kill, rolled back on a signal, like `adding.add_review`):

- the review's saved sources (``data/pubmed/<pmid>.txt|.xml|.nbib``) and what completes its
  references (``<pmid>.cited.xml``, ``<pmid>.idconv.json``);
- its row of ``data/pubmed/manifest.csv``;
- its notebook pair (`adding.review_notebooks`);

then re-runs the index and the notebooks over all reviews. Our annotation file
``data/annotations/<pmid>.yaml`` is *kept* by default: it is our own writing, not data we can
fetch again, and adding the review back picks it up. ``delete_annotations`` removes it too, and
so does any removal when the file is still exactly as ``add`` created it (nothing written in
it): removing every added review leaves the workbook as it was.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from reviewbook.model import Article, is_pmid
from reviewbook.sources.formats import read_article
from reviewbook.workbook.adding import (
    INDEX_NOTEBOOK,
    empty_annotations,
    execute_in_stage,
    notebooks_over_all_reviews,
    review_notebooks,
)
from reviewbook.workbook.manifest import (
    completion_files,
    manifest_without,
    read_manifest,
    saved_files,
)
from reviewbook.workbook.naming import notebook_key
from reviewbook.workbook.paths import Workbook
from reviewbook.workbook.provenance import trust_kept
from reviewbook.workbook.transaction import Report, Transaction, checkpoint, workbook_lock


class RemoveError(ValueError):
    """The review cannot be removed: not a PMID, or not in the workbook (nothing changed)."""


@dataclass(frozen=True, slots=True)
class RemovedReview:
    """What `remove_review` did for one review."""

    pmid: str
    removed: tuple[Path, ...]
    """Every file removed."""
    rewritten: tuple[Path, ...]
    """Files written again: the manifest and the re-run notebooks."""
    kept_annotations: Path | None
    """Our annotation file, kept; None when there was none or it was removed too."""


def remove_review(
    pmid: str,
    *,
    root: Path | None = None,
    delete_annotations: bool = False,
    report: Report | None = None,
) -> RemovedReview:
    """Remove the review ``pmid`` from the workbook at ``root`` (see the module's doc).

    Raises `RemoveError` when ``pmid`` is not a PMID or names no review of the workbook, and
    `AddError` when a re-run notebook fails; the workbook is then left as it was.
    """
    pmid = pmid.strip()
    if not is_pmid(pmid):
        raise RemoveError(f"{pmid!r} is not a PMID (1 to 9 ASCII digits, no leading zero)")
    workbook = Workbook.at(root)
    with workbook_lock(workbook, report=report):
        listed = workbook.manifest.exists() and any(
            entry.pmid == pmid for entry in read_manifest(workbook.pubmed)
        )
        sources = saved_files(pmid, workbook.pubmed)
        if not listed and not sources:
            raise RemoveError(f"PMID {pmid} is not in the workbook (data/pubmed/manifest.csv)")
        article = _first_readable(sources)
        key = notebook_key(article) if article is not None else None
        completion = [path for path in completion_files(pmid, workbook.pubmed) if path.exists()]
        annotations = workbook.annotations / f"{pmid}.yaml"
        untouched = (
            article is not None
            and annotations.is_file()
            and annotations.read_bytes() == empty_annotations(article).encode("utf-8")
        )
        doomed = [
            *sources,
            *completion,
            *review_notebooks(workbook, pmid, key),
            *([annotations] if (delete_annotations or untouched) and annotations.exists() else []),
        ]
        rerun = [path for path in notebooks_over_all_reviews(workbook) if path not in doomed]
        with (
            trust_kept(rerun, index=workbook.notebooks / INDEX_NOTEBOOK),
            Transaction(workbook, f"remove of PMID {pmid}") as transaction,
        ):
            for path in doomed:
                transaction.remove(path)
            if listed:
                manifest = workbook.manifest.read_text(encoding="utf-8")
                transaction.write(workbook.manifest, manifest_without(manifest, pmid).encode())
            checkpoint("staged-removal")
            execute_in_stage(rerun, transaction)
            checkpoint("staged")
            rewritten = transaction.publish()
    kept = annotations if annotations.exists() else None
    return RemovedReview(pmid, tuple(doomed), rewritten, kept)


def _first_readable(sources: list[Path]) -> Article | None:
    """The review as read from its first readable source, if any."""
    for path in sources:
        try:
            return read_article(path)
        except (OSError, ValueError):
            continue
    return None
