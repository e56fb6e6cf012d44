"""MeSH headings, the authors one by one, and an update file's deletions, as the readers give
them (the corpus reads these)."""

from __future__ import annotations

import gzip
from pathlib import Path

from reviewbook.model import Article, Deletion, MeshHeading
from reviewbook.sources.formats import iter_articles, iter_entries
from reviewbook.sources.medline import mesh_heading, parse_medline
from reviewbook.sources.pubmed_xml import parse_pubmed_xml
from tests.conftest import TEST_DATA

UPDATE_FILE = b"""<?xml version="1.0" ?>
<PubmedArticleSet>
<PubmedArticle><MedlineCitation Status="MEDLINE" Owner="NLM"><PMID Version="2">111</PMID>
<Article><ArticleTitle>Revised.</ArticleTitle>
<AuthorList><Author><LastName>Garcia</LastName><Initials>AB</Initials></Author>
<Author><CollectiveName>The Metastasis Consortium, Europe</CollectiveName></Author></AuthorList>
</Article>
<MeshHeadingList>
<MeshHeading><DescriptorName UI="D009362" MajorTopicYN="N">Neoplasm Metastasis</DescriptorName>
<QualifierName UI="Q000276" MajorTopicYN="Y">immunology</QualifierName>
<QualifierName UI="Q000473" MajorTopicYN="N">pathology</QualifierName></MeshHeading>
<MeshHeading><DescriptorName UI="D007107" MajorTopicYN="Y">Immune System</DescriptorName>
</MeshHeading>
<MeshHeading><DescriptorName UI="D006801" MajorTopicYN="N">Humans</DescriptorName></MeshHeading>
</MeshHeadingList></MedlineCitation></PubmedArticle>
<DeleteCitation>
<PMID Version="1">222</PMID>
<PMID Version="1">333</PMID>
</DeleteCitation>
</PubmedArticleSet>
"""


def test_xml_mesh_headings_mark_major_topics_on_descriptor_or_qualifier() -> None:
    [article] = parse_pubmed_xml(UPDATE_FILE)
    assert article.mesh_headings == (
        MeshHeading("Neoplasm Metastasis", major=True, qualifiers=("immunology", "pathology")),
        MeshHeading("Immune System", major=True),
        MeshHeading("Humans", major=False),
    )


def test_xml_authors_one_by_one_with_a_group_whose_name_has_a_comma() -> None:
    [article] = parse_pubmed_xml(UPDATE_FILE)
    assert article.authors == ("Garcia AB", "The Metastasis Consortium, Europe")
    assert article.authors_display == "Garcia AB, The Metastasis Consortium, Europe"


def test_an_update_files_deletions_come_after_its_records(tmp_path: Path) -> None:
    path = tmp_path / "pubmed26n1400.xml.gz"
    path.write_bytes(gzip.compress(UPDATE_FILE))
    entries = list(iter_entries(path))
    assert [type(entry) for entry in entries] == [Article, Deletion, Deletion]
    assert entries[1:] == [
        Deletion("222", line=17, source_path=str(path)),
        Deletion("333", line=18, source_path=str(path)),
    ]
    assert [article.pmid for article in iter_articles(path)] == ["111"]


def test_medline_mesh_headings_read_the_stars() -> None:
    assert mesh_heading("Lymphatic Metastasis/*immunology/pathology") == MeshHeading(
        "Lymphatic Metastasis", major=True, qualifiers=("immunology", "pathology")
    )
    assert mesh_heading("*Computational Biology") == MeshHeading("Computational Biology", True)
    assert mesh_heading("Humans") == MeshHeading("Humans")


def test_medline_records_carry_mesh_and_authors() -> None:
    text = (
        "PMID- 12345\nTI  - A title.\nAU  - Garcia AB\nAU  - Chen J\n"
        "PT  - Review\nMH  - *Neoplasm Metastasis\nMH  - Macrophages/immunology\n"
    )
    [article] = parse_medline(text)
    assert article.authors == ("Garcia AB", "Chen J")
    assert article.mesh_headings == (
        MeshHeading("Neoplasm Metastasis", major=True),
        MeshHeading("Macrophages", qualifiers=("immunology",)),
    )


def test_bulk_reading_keeps_reference_texts_and_identifiers_unread() -> None:
    xml = TEST_DATA / "pubmed_29037250_reference_list.xml"
    [read] = iter_entries(xml)
    [bulk] = iter_entries(xml, citations=False)
    assert isinstance(read, Article) and isinstance(bulk, Article)
    assert [(ref.raw, ref.pmid, ref.doi, ref.pmcid, ref.links) for ref in bulk.references] == [
        (ref.raw, ref.pmid, ref.doi, ref.pmcid, ref.links) for ref in read.references
    ]
    assert {ref.kind for ref in bulk.references} == {"unknown"}
    assert all(ref.authors == () and ref.journal is None for ref in bulk.references)
