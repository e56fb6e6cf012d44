"""Real PubMed exports, read by our readers and by Biopython's, compared field by field.

The files live outside the repository, in ``../shared/fixtures`` (see its README); without
that folder these tests skip and say where they looked.
"""

from __future__ import annotations

import gzip
import hashlib
import re
from dataclasses import replace
from pathlib import Path

import pytest
from Bio import Entrez, Medline

from reviewbook import Article, read_articles
from tests.conftest import ROOT

FIXTURES = ROOT.parent / "shared" / "fixtures"
MEDLINE_FILES = sorted((FIXTURES / "medline").glob("*.txt"))
XML_FILES = sorted((FIXTURES / "pubmed_xml").glob("*.xml"))

pytestmark = pytest.mark.skipif(
    not FIXTURES.is_dir(),
    reason=f"real PubMed files not found at {FIXTURES}; see shared/fixtures/README.md",
)

_TAG = re.compile(r"</?[A-Za-z][\w:.-]*(?:\s[^<>]*)?/?>")
"""Markup Biopython keeps inside text (``<i>``, ``<sub>``, MathML), not a bare ``<`` or ``>``."""


def flat(text: object) -> str | None:
    """Text as our readers give it: markup dropped, whitespace runs as one space."""
    return " ".join(_TAG.sub("", str(text)).split()) or None if text is not None else None


def ids(id_list: object) -> dict[str, str]:
    kinds = {"pubmed": "pmid", "doi": "doi", "pmc": "pmcid"}
    found: dict[str, str] = {}
    for element in id_list or []:  # type: ignore[attr-defined]
        kind = kinds.get(element.attributes.get("IdType", ""))
        if kind:
            found.setdefault(kind, str(element))
    return found


# --- MEDLINE ------------------------------------------------------------------------------------


def medline_expected(record: dict) -> dict[str, object]:
    """Our fields, as Biopython's `Bio.Medline` record states them."""
    dois = [value.split()[0] for value in record.get("AID", []) if value.endswith("[doi]")]
    return {
        "pmid": record["PMID"],
        "title": flat(record.get("TI")),
        "article_types": tuple(record.get("PT", [])),
        "journal": record.get("TA"),
        "pub_date": record.get("DP"),
        "volume": record.get("VI"),
        "issue": record.get("IP"),
        "pages": record.get("PG"),
        "pmcid": record.get("PMC"),
        "doi": dois[0] if dois else None,
        "authors_display": ", ".join(record.get("AU", [])) or None,
        "keywords": tuple(record.get("OT", [])),
        "abstract": flat(record.get("AB")),
    }


def medline_actual(article: Article) -> dict[str, object]:
    fields = {name: getattr(article, name) for name in medline_expected({"PMID": ""})}
    return fields | {"abstract": flat(article.abstract), "title": article.title or None}


@pytest.mark.parametrize("path", MEDLINE_FILES, ids=lambda path: path.name)
def test_medline_file_reads_as_biopython_reads_it(path: Path) -> None:
    with path.open(encoding="utf-8") as handle:
        expected = [medline_expected(record) for record in Medline.parse(handle)]
    actual = [medline_actual(article) for article in read_articles(path)]
    assert actual == expected


def test_medline_record_counts_match_the_readme() -> None:
    counts = {path.name: len(read_articles(path)) for path in MEDLINE_FILES}
    assert counts == {"pubmed_result1.txt": 1, "pubmed_result2.txt": 4, "pubmed_result3.txt": 1}


# --- PubMed XML ---------------------------------------------------------------------------------


def xml_expected(record: dict) -> dict[str, object]:
    """Our fields, as Biopython's `Bio.Entrez` parse of one ``PubmedArticle`` states them."""
    citation = record["MedlineCitation"]
    article = citation["Article"]
    journal_issue = article["Journal"]["JournalIssue"]
    pub_date = journal_issue["PubDate"]
    year = pub_date.get("Year") or pub_date.get("MedlineDate", "")[:4]
    record_ids = ids(record["PubmedData"].get("ArticleIdList"))
    elocation_dois = [
        str(location)
        for location in article.get("ELocationID", [])
        if location.attributes.get("EIdType") == "doi"
    ]
    authors = [
        str(author["CollectiveName"])
        if "CollectiveName" in author
        else " ".join(str(author[part]) for part in ("LastName", "Initials") if part in author)
        for author in article.get("AuthorList", [])
    ]
    abstract = article.get("Abstract", {})
    references = [
        {"raw": flat(reference.get("Citation")) or "", **ids(reference.get("ArticleIdList"))}
        for reference_list in record["PubmedData"].get("ReferenceList", [])
        for reference in reference_list["Reference"]
    ]
    return {
        "pmid": str(citation["PMID"]),
        "title": flat(article["ArticleTitle"]),
        "article_types": tuple(str(kind) for kind in article["PublicationTypeList"]),
        "journal": str(citation["MedlineJournalInfo"]["MedlineTA"]),
        "year": int(year),
        "volume": journal_issue.get("Volume"),
        "issue": journal_issue.get("Issue"),
        "pages": article.get("Pagination", {}).get("MedlinePgn"),
        "doi": record_ids.get("doi") or (elocation_dois[0] if elocation_dois else None),
        "pmcid": record_ids.get("pmcid"),
        "authors_display": ", ".join(authors) or None,
        "abstract_sections": tuple(
            (text.attributes.get("Label", ""), flat(text))
            for text in abstract.get("AbstractText", [])
        ),
        "copyright": flat(abstract.get("CopyrightInformation")),
        "keywords": tuple(flat(word) for words in citation["KeywordList"] for word in words),
        "references": references,
    }


def xml_actual(article: Article) -> dict[str, object]:
    fields = {
        name: getattr(article, name)
        for name in (
            "pmid",
            "title",
            "article_types",
            "journal",
            "year",
            "volume",
            "issue",
            "pages",
            "doi",
            "pmcid",
            "authors_display",
            "abstract_sections",
            "copyright",
            "keywords",
        )
    }
    fields["references"] = [
        {
            "raw": reference.raw,
            **{
                name: getattr(reference, name)
                for name in ("pmid", "doi", "pmcid")
                if getattr(reference, name)
            },
        }
        for reference in article.references
    ]
    return fields


@pytest.mark.parametrize("path", XML_FILES, ids=lambda path: path.name)
def test_pubmed_xml_file_reads_as_biopython_reads_it(path: Path) -> None:
    with path.open("rb") as handle:
        expected = [xml_expected(record) for record in Entrez.read(handle)["PubmedArticle"]]
    actual = [xml_actual(article) for article in read_articles(path)]
    assert actual == expected


def test_pubmed7_reference_list() -> None:
    [article] = read_articles(FIXTURES / "pubmed_xml" / "pubmed7.xml")
    assert article.pmid == "29963580"
    assert len(article.references) == 49
    first = article.references[0]
    assert (first.index, first.raw, first.pmid, first.doi, first.pmcid) == (
        1,
        "Radiology. 2015 Jan;274(1):250-9",
        "25144646",
        None,
        None,
    )
    assert (first.journal, first.year, first.volume, first.first_page, first.last_page) == (
        "Radiology",
        2015,
        "274",
        "250",
        "259",
    )
    assert (first.links, first.source) == (frozenset({"PubMed"}), "xml")
    assert all(reference.pmid for reference in article.references)


def test_structured_abstract_of_29768149() -> None:
    [article] = read_articles(FIXTURES / "pubmed_xml" / "pubmed-29768149.xml")
    assert [label for label, _ in article.abstract_sections] == [
        "BACKGROUND",
        "METHODS",
        "RESULTS",
        "CONCLUSIONS",
    ]
    assert article.abstract_sections[0][1] == (
        "In patients with mild asthma, as-needed use of an inhaled glucocorticoid plus a "
        "fast-acting β 2-agonist may be an alternative to conventional treatment strategies."
    )
    assert (article.doi, article.pages, article.pub_date) == (
        "10.1056/NEJMoa1715274",
        "1865-1876",
        "2018 May 17",
    )


@pytest.mark.parametrize("path", MEDLINE_FILES + XML_FILES, ids=lambda path: path.name)
def test_gzip_of_a_real_file_reads_as_the_file(tmp_path: Path, path: Path) -> None:
    compressed = tmp_path / (path.name + ".gz")
    compressed.write_bytes(gzip.compress(path.read_bytes()))
    digest = hashlib.sha256(compressed.read_bytes()).hexdigest()
    assert read_articles(compressed) == [
        replace(article, source_path=str(compressed), sha256=digest)
        for article in read_articles(path)
    ]


@pytest.mark.parametrize("path", MEDLINE_FILES, ids=lambda path: path.name)
def test_real_medline_with_old_mac_line_endings_reads_the_same(tmp_path: Path, path: Path) -> None:
    mac = tmp_path / path.name
    mac.write_bytes(path.read_bytes().replace(b"\r\n", b"\n").replace(b"\n", b"\r"))
    fields = [medline_actual(article) for article in read_articles(mac)]
    assert fields == [medline_actual(article) for article in read_articles(path)]


@pytest.mark.parametrize("path", MEDLINE_FILES + XML_FILES, ids=lambda path: path.name)
def test_real_files_are_not_called_cut_odd_or_incomplete(path: Path) -> None:
    file_kinds = {"cut", "input", "encoding", "record"}
    problems = [
        problem
        for article in read_articles(path)
        for problem in article.warnings
        if problem.kind in file_kinds
    ]
    assert problems == []
