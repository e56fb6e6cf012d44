"""A small field written by hand in PubMed's XML shape, so every count below is known.

Reviews 900000001 and 900000002 are indexed with Neoplasm Metastasis (major) and Immune
System; review 900000003 with Macrophages only; 900000004 is a research paper. Works cited:

- ``PMID 900000020`` (a paper whose own record is in the corpus): by 1, 2, 3 and paper 4;
- ``PMID 123`` (not in the corpus): by 1 and 2;
- ``DOI 10.1000/only-doi``: by 1;
- a citation with a source only (Nat Rev Cancer 2009;9:239): by 3.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from reviewbook.corpus.build import build_corpus
from reviewbook.corpus.generated import CitedWork, GeneratedRecord, revised, write_pubmed_file
from reviewbook.model import MeshHeading
from tests.corpus.processes import DaskCluster, dask_cluster

A = CitedWork("Smith A. A paper. Cell. 2010;1:1.", pmid="900000020")
B = CitedWork("Jones B. Another. Nature. 2001;2:2.", pmid="123")
C = CitedWork("Brown C. Doi only. Science. 2003;3:3.", doi="10.1000/Only-DOI")
D = CitedWork("Joyce JA, Pollard JW. Microenvironment. Nat Rev Cancer. 2009;9:239-52.")
FIELD = (MeshHeading("Neoplasm Metastasis", True, ("immunology",)), MeshHeading("Immune System"))


def record(
    pmid: int,
    references: tuple[CitedWork, ...] = (),
    *,
    review: bool = True,
    mesh: tuple[MeshHeading, ...] = FIELD,
    year: int = 2020,
    title: str | None = None,
) -> GeneratedRecord:
    return GeneratedRecord(
        pmid=str(pmid),
        title=title or f"[Generated] Record {pmid}.",
        journal=("Nat Rev Cancer", "Nature reviews. Cancer"),
        year=year,
        publication_types=("Journal Article", "Review") if review else ("Journal Article",),
        authors=(("Garcia", "AB"), ("Chen", "J")),
        mesh_headings=mesh,
        references=references,
        abstract="Generated.",
    )


REVIEW_1 = record(900000001, (A, B, C), year=2018)
REVIEW_2 = record(900000002, (B, A), year=2020)
REVIEW_3 = record(900000003, (A, D), mesh=(MeshHeading("Macrophages", True),), year=2020)
PAPER_4 = record(900000004, (A,), review=False, year=2019)
PAPER_20 = record(900000020, review=False, year=2010, title="[Generated] The canon's paper.")


@pytest.fixture
def baseline(tmp_path: Path) -> Path:
    """Two baseline files, in PubMed's layout."""
    folder = tmp_path / "pubmed" / "baseline"
    write_pubmed_file(folder / "pubmed26n0001.xml.gz", [REVIEW_1, REVIEW_2, PAPER_20])
    write_pubmed_file(folder / "pubmed26n0002.xml.gz", [REVIEW_3, PAPER_4])
    return folder


def write_update(folder: Path) -> Path:
    """An update file: review 2 revised (now citing only A), paper 4 deleted."""
    revision = replace(
        revised(REVIEW_2, title="[Generated] Record 900000002, revised."), references=(A,)
    )
    return write_pubmed_file(
        folder / "updatefiles" / "pubmed26n0003.xml.gz", [revision], deleted=["900000004"]
    )


MANY_FILES = 16
RECORDS_PER_FILE = 2000
"""A file of this many records takes a worker about half a second: a build of `MANY_FILES`
lasts long enough to kill it, or one of its workers, in the middle."""


@pytest.fixture(scope="module")
def many_files(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A baseline of `MANY_FILES` files of `RECORDS_PER_FILE` reviews each."""
    folder = tmp_path_factory.mktemp("many") / "baseline"
    for number in range(1, MANY_FILES + 1):
        first = 910_000_000 + number * RECORDS_PER_FILE
        reviews = [record(first + offset, (A, B, C)) for offset in range(RECORDS_PER_FILE)]
        write_pubmed_file(folder / f"pubmed26n{number:04d}.xml", reviews)
    return folder


@pytest.fixture(scope="module")
def many_files_corpus(many_files: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`many_files` built one file at a time in this process: what other builds must equal."""
    out = tmp_path_factory.mktemp("expected") / "corpus"
    assert build_corpus([many_files], out, scheduler="synchronous").published
    return out


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DaskCluster]:
    """``dask scheduler`` and ``dask worker --nworkers 2 --nthreads 1`` on 127.0.0.1 for the
    module, killed with every process they started when it ends, however its tests went."""
    pytest.importorskip("distributed")
    with dask_cluster(tmp_path_factory.mktemp("cluster")) as running:
        yield running
