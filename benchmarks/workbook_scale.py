"""How ``reviewbook add`` scales with the size of the workbook it adds to.

The workbook is built here, in a temporary folder: a copy of the project's ``data/`` and
``notebooks/`` (the two seed reviews), grown to 100 reviews of 150 references each
(``--quick``: 20 × 150) by writing, for each extra review, what ``reviewbook add`` would have
stored: a PubMed XML record in efetch's shape whose ``ReferenceList`` prints every reference as
its source alone with its PMID in ``ArticleIdList`` (as PubMed prints them, e.g. PMID 29963580's
list), the cited works' records (``<pmid>.cited.xml``), a manifest row and an empty annotation
file. Cited PMIDs are drawn from a shared pool, so the reviews overlap.

- **add on the grown workbook**: ``add_review`` of one more such record (150 references),
  running its notebook and the index, which lists every review;
- **baseline**: the same add on the two-review workbook.

NCBI is not asked: the new record's cited works are served from a client cache filled
beforehand, as a second run would find them. Target (issue 13): at most 2× the baseline. The
notebook-execution parts of the issue's benchmark (``03_compare_reviews`` and ``00_index`` over
100 reviews, ``make notebooks`` with nothing stale) are not measured here yet.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import shutil
import tempfile
import time
from pathlib import Path

from benchmarks.report import Metric, Section

NAME = "workbook_scale"
REPO = Path(__file__).resolve().parents[1]
FULL_REVIEWS, QUICK_REVIEWS = 100, 20
REFERENCES = 150
POOL = 3_000
"""Distinct cited works the reviews draw their references from."""
TARGET_RATIO = 2.0
FIRST_PMID = 40_000_001
JOURNALS = ("Radiology", "Nature", "Cancer Res", "J Immunol", "Nat Rev Cancer", "Cell")


def cited_record(pmid: int) -> str:
    """A cited work's ``<PubmedArticle>`` as efetch sends it."""
    journal = JOURNALS[pmid % len(JOURNALS)]
    year = 1990 + pmid % 30
    return (
        "<PubmedArticle>"
        f'<MedlineCitation Status="MEDLINE" Owner="NLM"><PMID Version="1">{pmid}</PMID>'
        '<Article PubModel="Print"><Journal><JournalIssue CitedMedium="Print">'
        f"<Volume>{pmid % 300}</Volume><Issue>{pmid % 12 + 1}</Issue><PubDate><Year>{year}"
        f"</Year></PubDate></JournalIssue><ISOAbbreviation>{journal}</ISOAbbreviation>"
        f"</Journal><ArticleTitle>Cited work number {pmid} on tumour immunity.</ArticleTitle>"
        f"<Pagination><MedlinePgn>{pmid % 900 + 1}-{pmid % 900 + 9}</MedlinePgn></Pagination>"
        '<AuthorList CompleteYN="Y"><Author ValidYN="Y"><LastName>Author'
        f"{pmid % 97}</LastName><Initials>AB</Initials></Author></AuthorList></Article>"
        f"<MedlineJournalInfo><MedlineTA>{journal}</MedlineTA></MedlineJournalInfo>"
        f'</MedlineCitation><PubmedData><ArticleIdList><ArticleId IdType="pubmed">{pmid}'
        "</ArticleId></ArticleIdList></PubmedData></PubmedArticle>"
    )


def review_record(pmid: int, cited: list[int]) -> str:
    """A review's PubMed XML record citing ``cited``, each printed as its source alone."""
    references = "".join(
        f"<Reference><Citation>{JOURNALS[work % len(JOURNALS)]}. {1990 + work % 30};"
        f"{work % 300}({work % 12 + 1}):{work % 900 + 1}-{work % 900 + 9}</Citation>"
        f'<ArticleIdList><ArticleId IdType="pubmed">{work}</ArticleId></ArticleIdList>'
        "</Reference>"
        for work in cited
    )
    return (
        '<?xml version="1.0" ?>\n<PubmedArticleSet><PubmedArticle>'
        f'<MedlineCitation Status="MEDLINE" Owner="NLM"><PMID Version="1">{pmid}</PMID>'
        '<Article PubModel="Print"><Journal><JournalIssue CitedMedium="Print"><Volume>9'
        "</Volume><PubDate><Year>2020</Year></PubDate></JournalIssue><ISOAbbreviation>"
        "Rev Tests</ISOAbbreviation></Journal><ArticleTitle>Review number "
        f"{pmid} of immunity in metastasis.</ArticleTitle>"
        '<AuthorList CompleteYN="Y"><Author ValidYN="Y"><LastName>Reviewer'
        f"{pmid % 89}</LastName><Initials>C</Initials></Author></AuthorList></Article>"
        "<MedlineJournalInfo><MedlineTA>Rev Tests</MedlineTA></MedlineJournalInfo>"
        f'</MedlineCitation><PubmedData><ArticleIdList><ArticleId IdType="pubmed">{pmid}'
        f"</ArticleId></ArticleIdList><ReferenceList>{references}</ReferenceList>"
        "</PubmedData></PubmedArticle></PubmedArticleSet>\n"
    )


def cited_set(cited: list[int]) -> str:
    body = "".join(cited_record(work) for work in cited)
    return f'<?xml version="1.0" ?>\n<PubmedArticleSet>{body}</PubmedArticleSet>\n'


def build_workbook(root: Path, reviews: int, rng: random.Random) -> None:
    """The seeds' workbook grown to ``reviews`` reviews, as `add_review` would have stored."""
    from reviewbook.sources.pubmed_xml import parse_pubmed_xml
    from reviewbook.workbook.adding import empty_annotations
    from reviewbook.workbook.manifest import ManifestEntry, manifest_with
    from reviewbook.workbook.naming import review_citation

    for name in ("data", "notebooks"):
        shutil.copytree(REPO / name, root / name, ignore=shutil.ignore_patterns(".*"))
    pubmed = root / "data" / "pubmed"
    manifest = (pubmed / "manifest.csv").read_text(encoding="utf-8")
    existing = manifest.count("\n") - 1
    for number in range(reviews - existing):
        pmid = FIRST_PMID + number
        cited = rng.sample(range(1_000_001, 1_000_001 + POOL), REFERENCES)
        record = review_record(pmid, cited).encode()
        (pubmed / f"{pmid}.xml").write_bytes(record)
        (pubmed / f"{pmid}.cited.xml").write_text(cited_set(cited), encoding="utf-8")
        [article] = parse_pubmed_xml(record)
        (root / "data" / "annotations" / f"{pmid}.yaml").write_text(
            empty_annotations(article), encoding="utf-8"
        )
        entry = ManifestEntry(
            str(pmid),
            f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/",
            hashlib.sha256(record).hexdigest(),
            f"{pmid}.xml",
            review_citation(article),
        )
        manifest = manifest_with(manifest, entry)
    (pubmed / "manifest.csv").write_text(manifest, encoding="utf-8")


def time_add(root: Path, source: Path, cache: Path) -> float:
    """Seconds ``add_review`` takes to add ``source`` to the workbook at ``root``."""
    from reviewbook.sources.ncbi import EutilsClient
    from reviewbook.workbook.adding import add_review

    client = EutilsClient(
        base_url="http://127.0.0.1:9/entrez/eutils/", cache_dir=cache, environ={}, retries=0
    )
    start = time.perf_counter()
    add_review(str(source), root=root, client=client)
    return time.perf_counter() - start


def run(*, quick: bool) -> Section:
    """Build both workbooks, add the same record to each, and report the ratio."""
    reviews = QUICK_REVIEWS if quick else FULL_REVIEWS
    rng = random.Random(13)
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        new_pmid = FIRST_PMID + 10_000
        cited = rng.sample(range(1_000_001, 1_000_001 + POOL), REFERENCES)
        source = base / f"{new_pmid}.xml"
        source.write_text(review_record(new_pmid, cited), encoding="utf-8")
        cache = base / "cache" / "efetch" / "pubmed"
        cache.mkdir(parents=True)
        for work in cited:
            (cache / f"{work}.xml").write_text(cited_set([work]), encoding="utf-8")
        small, large = base / "two", base / "grown"
        build_workbook(small, 2, rng)
        build_workbook(large, reviews, rng)
        baseline = time_add(small, source, base / "cache")
        seconds = time_add(large, source, base / "cache")
    ratio = seconds / baseline
    return Section(
        name=NAME,
        title="Adding a review to a large workbook",
        description=__doc__ or "",
        metrics=(
            Metric("workbook", f"{reviews} reviews \u00d7 {REFERENCES} references"),
            Metric(
                "add on the grown workbook",
                f"{seconds:.2f} s (baseline, two reviews: {baseline:.2f} s; {ratio:.2f}\u00d7)",
                f"\u2264 {TARGET_RATIO:.0f}\u00d7 baseline",
                ratio <= TARGET_RATIO,
            ),
        ),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help=f"{QUICK_REVIEWS} reviews, not 100")
    args = parser.parse_args()
    section = run(quick=args.quick)
    for metric in section.metrics:
        print(f"{metric.name}: {metric.value} (target {metric.target}: {metric.verdict})")


if __name__ == "__main__":
    main()
