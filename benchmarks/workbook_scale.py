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
beforehand, as a second run would find them. Target (issue 13): at most 2× the baseline.

- **03_compare_reviews** and **00_index** executed over the grown workbook (after the add:
  101 reviews), each against a **floor**: a notebook whose one cell is ``import pandas,
  reviewbook``, run by the same executor (`execute_notebook`, a fresh kernel each, from a
  process that has loaded no reviews, as ``reviewbook notebooks run`` does) in the same
  folder. The floor imports pandas because every notebook does and because ``import
  reviewbook`` itself loaded pandas when the target was set (it now loads it on first use;
  `benchmarks.notebook_suite` uses the same floor); the ratio to a kernel running ``import
  reviewbook`` alone is reported too. The notebooks run as a reader
  re-runs them: loaded reviews are cached (`reviewbook.workbook.review_cache`, in a folder of
  this run), so the best of `REPEATS` reads them from the cache, and the package is
  byte-compiled first (`benchmarks.report.byte_compile_package`). Target (issue 13): each at
  most 2x the floor.
- **make notebooks, nothing changed**: ``reviewbook notebooks run`` on the grown workbook once
  every notebook is current (a first run brings the copied ones up to date), best of
  `REPEATS`, as a child process like ``make`` starts it. Target (issue 13): at most 1 s.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from unittest import mock

from benchmarks.report import SEED_WORKBOOK, Metric, Section, byte_compile_package, run_child
from reviewbook.workbook.review_cache import CACHE_ENV

NAME = "workbook_scale"
REPO = Path(__file__).resolve().parents[1]
FULL_REVIEWS, QUICK_REVIEWS = 100, 20
REFERENCES = 150
POOL = 3_000
"""Distinct cited works the reviews draw their references from."""
TARGET_RATIO = 2.0
REPEATS = 7
"""Executions of each notebook (and of the floor) over the grown workbook; the best counts."""
FLOOR_SOURCE = "import pandas, reviewbook"
BARE_FLOOR_SOURCE = "import reviewbook"
NOTHING_CHANGED_TARGET_SECONDS = 1.0
TIMED_NOTEBOOKS = ("03_compare_reviews.ipynb", "00_index.ipynb")
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
        shutil.copytree(SEED_WORKBOOK / name, root / name, ignore=shutil.ignore_patterns(".*"))
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


def floor_notebook(folder: Path, source: str, name: str) -> Path:
    """A notebook ``name`` in ``folder`` whose one cell is ``source`` (its twin beside it)."""
    import nbformat

    from reviewbook.workbook.notebooks import render_twin, twin_path

    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source)])
    notebook.metadata["jupytext"] = {"formats": "ipynb,md:myst"}
    path = folder / name
    nbformat.write(notebook, path)
    twin_path(path).write_text(render_twin(notebook), encoding="utf-8")
    return path


TIMING_CHILD = (
    "import json, sys\n"
    "from pathlib import Path\n"
    "from benchmarks.workbook_scale import time_notebooks\n"
    "print(json.dumps(time_notebooks(Path(sys.argv[1]), int(sys.argv[2]))))\n"
)
"""`time_notebooks` in a fresh process, as ``reviewbook notebooks run`` runs each notebook
from a child that has loaded no reviews (this process holds the workbooks it added to)."""


def time_notebooks(root: Path, repeats: int) -> dict[str, float]:
    """Best seconds of executing each of `TIMED_NOTEBOOKS` and the floor over the workbook at
    ``root``, interleaved repeat by repeat (the floor's notebook is removed afterwards)."""
    from reviewbook.workbook.notebooks import execute_notebook, twin_path
    from reviewbook.workbook.paths import DATA_ENV

    folder = root / "notebooks"
    floors = {
        "floor": floor_notebook(folder, FLOOR_SOURCE, "99_floor.ipynb"),
        "bare floor": floor_notebook(folder, BARE_FLOOR_SOURCE, "98_bare_floor.ipynb"),
    }
    paths = {**floors, **{name: folder / name for name in TIMED_NOTEBOOKS}}
    best: dict[str, float] = {}
    try:
        for _ in range(repeats):
            for name, path in paths.items():
                start = time.perf_counter()
                execute_notebook(path, environment={DATA_ENV: str(root / "data")})
                seconds = time.perf_counter() - start
                best[name] = min(seconds, best.get(name, seconds))
    finally:
        for floor in floors.values():
            floor.unlink()
            twin_path(floor).unlink()
    return best


def time_nothing_changed(root: Path, repeats: int) -> float:
    """Best seconds of ``reviewbook notebooks run`` on the workbook at ``root`` with every
    notebook current (one run first makes them so)."""
    from reviewbook.workbook.paths import DATA_ENV, NOTEBOOKS_ENV

    command = [sys.executable, "-m", "reviewbook", "notebooks", "run"]
    environment = {
        **os.environ,
        DATA_ENV: str(root / "data"),
        NOTEBOOKS_ENV: str(root / "notebooks"),
    }
    subprocess.run(command, env=environment, check=True, capture_output=True)
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        done = subprocess.run(command, env=environment, check=True, capture_output=True, text=True)
        best = min(best, time.perf_counter() - start)
        if "nothing to run" not in done.stderr:
            raise RuntimeError(f"a second run still ran notebooks: {done.stderr}")
    return best


def run(*, quick: bool) -> Section:
    """Build both workbooks, add the same record to each, and report the ratio."""
    reviews = QUICK_REVIEWS if quick else FULL_REVIEWS
    rng = random.Random(13)
    byte_compile_package()
    with (
        tempfile.TemporaryDirectory() as folder,
        mock.patch.dict(os.environ, {CACHE_ENV: str(Path(folder) / "reviews")}),
    ):
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
        repeats = 1 if quick else REPEATS
        executed = run_child(TIMING_CHILD, str(large), str(repeats))
        unchanged = time_nothing_changed(large, repeats)
    ratio = seconds / baseline
    floor, bare = executed.pop("floor"), executed.pop("bare floor")
    executions = tuple(
        Metric(
            f"{name} over {reviews + 1} reviews",
            f"{took:.2f} s (floor, a kernel running `{FLOOR_SOURCE}`: {floor:.2f} s; "
            f"{took / floor:.2f}\u00d7; running `{BARE_FLOOR_SOURCE}` alone: {bare:.2f} s, "
            f"{took / bare:.2f}\u00d7)",
            f"\u2264 {TARGET_RATIO:.0f}\u00d7 floor",
            took / floor <= TARGET_RATIO,
        )
        for name, took in executed.items()
    )
    return Section(
        name=NAME,
        title="A workbook of a hundred reviews: adding one, comparing all, re-running nothing",
        description=__doc__ or "",
        metrics=(
            Metric("workbook", f"{reviews} reviews \u00d7 {REFERENCES} references"),
            Metric(
                "add on the grown workbook",
                f"{seconds:.2f} s (baseline, two reviews: {baseline:.2f} s; {ratio:.2f}\u00d7)",
                f"\u2264 {TARGET_RATIO:.0f}\u00d7 baseline",
                ratio <= TARGET_RATIO,
            ),
            *executions,
            Metric(
                f"make notebooks with nothing changed ({reviews + 1} reviews)",
                f"{unchanged:.2f} s",
                f"\u2264 {NOTHING_CHANGED_TARGET_SECONDS:.0f} s",
                unchanged <= NOTHING_CHANGED_TARGET_SECONDS,
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
