"""PubMed XML from E-utilities efetch, read into articles and their reference lists."""

from __future__ import annotations

import io

import pytest
from lxml import etree

from reviewbook import Reference
from reviewbook.errors import Problem, PubMedPageError, ReadError
from reviewbook.sources.pubmed_xml import (
    _forget,
    iter_pubmed_entries,
    iter_pubmed_xml,
    parse_pubmed_xml,
)
from tests.conftest import TEST_DATA


def read(name: str) -> list:
    path = TEST_DATA / name
    return parse_pubmed_xml(path.read_bytes(), source_path=str(path))


def test_janssen_record_fields() -> None:
    [article] = read("pubmed_29037250_reference_list.xml")
    assert article.pmid == "29037250"
    assert article.title == "The immune system in cancer metastasis: friend or foe?"
    assert article.article_types == ("Journal Article", "Review")
    assert article.journal == "J Immunother Cancer"
    assert (article.pub_date, article.year) == ("2017 Oct 17", 2017)
    assert (article.volume, article.issue, article.pages) == ("5", "1", "79")
    assert (article.first_page, article.last_page) == ("79", None)
    assert article.doi == "10.1186/s40425-017-0283-9"
    assert article.pmcid == "PMC5644253"
    assert article.epub_date == "2017 Oct 17"
    assert article.authors_display == "Janssen LME, Ramsay EE, Logsdon CD, Overwijk WW"
    assert article.first_author == "Janssen LME"
    assert article.keywords == ("Cancer", "Immune system", "Metastasis")
    assert article.abstract_sections[0][0] == ""
    assert article.abstract.startswith("Metastatic disease is the leading cause")
    assert article.warnings == ()
    assert article.source_path.endswith("pubmed_29037250_reference_list.xml")
    assert len(article.sha256) == 64


def test_reference_list_carries_ncbi_identifiers_and_parsed_citation() -> None:
    [article] = read("pubmed_29037250_reference_list.xml")
    assert len(article.references) == 9
    assert article.references[2] == Reference(
        index=3,
        raw="van Zijl F, Krupitza G, Mikulits W. Initial steps of metastasis: cell invasion and "
        "endothelial transmigration. Mutat Res. 2011;728(1-2):23-34. "
        "doi: 10.1016/j.mrrev.2011.05.002.",
        authors=("van Zijl F", "Krupitza G", "Mikulits W"),
        title="Initial steps of metastasis: cell invasion and endothelial transmigration",
        journal="Mutat Res",
        journal_key="mutat res",
        year=2011,
        volume="728",
        issue="1-2",
        first_page="23",
        last_page="34",
        doi="10.1016/j.mrrev.2011.05.002",
        pmid="21605699",
        pmcid="PMC4028085",
        links=frozenset({"DOI", "PMC", "PubMed"}),
        source="xml",
    )


def test_reference_without_identifiers_has_no_links() -> None:
    [article] = read("pubmed_29037250_reference_list.xml")
    ehrlich = article.references[-1]
    assert (ehrlich.index, ehrlich.authors, ehrlich.year) == (9, ("Ehrlich P",), 1906)
    assert (ehrlich.doi, ehrlich.pmid, ehrlich.pmcid, ehrlich.links) == (
        None,
        None,
        None,
        frozenset(),
    )


def test_medline_date_start_end_pages_markup_and_collective_author() -> None:
    first, _ = read("pubmed_dates_pages_and_markup.xml")
    assert first.title == "Natural killer cells restrain Kras-driven lung metastasis."
    assert (first.pub_date, first.year) == ("1998 Dec-1999 Jan", 1998)
    assert (first.pages, first.first_page, first.last_page) == ("201-209", "201", "209")
    assert first.authors_display == "Smith JA Jr, Metastasis Immunology Consortium"
    assert first.abstract_sections == (
        ("BACKGROUND", "NK cells patrol the blood."),
        ("RESULTS", "Depletion raised nodules 3-fold."),
    )
    assert first.abstract == (
        "BACKGROUND: NK cells patrol the blood.\n\nRESULTS: Depletion raised nodules 3-fold."
    )
    assert first.copyright == "© 1999 Example Press."
    assert first.journal == "Clin Exp Metastasis"


def test_numeric_month_electronic_location_and_epub_date() -> None:
    _, second = read("pubmed_dates_pages_and_markup.xml")
    assert (second.pub_date, second.epub_date) == ("2018 Jul 5", "2018 Jun 20")
    assert (second.pages, second.first_page) == ("e1234", "e1234")
    assert second.doi == "10.3389/fimmu.2018.01234"
    assert second.journal == "Front Immunol"
    assert (second.authors_display, second.first_author, second.abstract) == (None, None, None)


def test_reference_without_citation_text_is_kept_with_a_warning() -> None:
    first, _ = read("pubmed_dates_pages_and_markup.xml")
    assert first.references == (
        Reference(
            index=1,
            raw="",
            pmid="9999999",
            links=frozenset({"PubMed"}),
            kind="unknown",
            warnings=(Problem(None, "citation", "no citation text"),),
            source="xml",
        ),
    )
    assert first.warnings == (Problem(59, "citation", "no citation text"),)


def test_book_chapter_record() -> None:
    [chapter] = read("pubmed_book_article.xml")
    assert (chapter.pmid, chapter.title) == ("20301779", "Immune Surveillance of Metastasis")
    assert (chapter.journal, chapter.pub_date, chapter.year) == (
        "Madame Curie Bioscience Database",
        "2000",
        2000,
    )
    assert chapter.article_types == ("Review",)
    assert chapter.first_author == "Example AB"


def test_entities_are_not_expanded_nor_files_read() -> None:
    [article] = read("xml_entity_expansion.xml")
    assert article.title == "Entities &secret; and &lol2; stay unexpanded."


def test_text_input_is_read_like_bytes() -> None:
    path = TEST_DATA / "pubmed_29037250_reference_list.xml"
    from_text = parse_pubmed_xml(path.read_text(encoding="utf-8"))
    from_bytes = parse_pubmed_xml(path.read_bytes())
    assert from_text == from_bytes


def test_record_without_title_is_kept_with_a_warning() -> None:
    xml = (
        "<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>1</PMID>"
        "</MedlineCitation></PubmedArticle></PubmedArticleSet>"
    )
    [article] = parse_pubmed_xml(xml)
    assert (article.pmid, article.title) == ("1", "")
    assert article.warnings == (Problem(1, "record", "record 1 has no title"),)


def test_empty_article_set_gives_no_records() -> None:
    assert parse_pubmed_xml(b"<PubmedArticleSet></PubmedArticleSet>") == []


def test_efetch_error_reply_raises_with_ncbi_message() -> None:
    with pytest.raises(ReadError, match=r"E-utilities error reply.*Empty id list"):
        read("efetch_error_reply.xml")


@pytest.mark.parametrize(
    ("data", "message", "line"),
    [
        (b"<PubmedArticleSet><PubmedArticle>", "not well-formed XML", 1),
        (b'<?xml version="1.0"?>\n<rss><channel/></rss>', "root element is <rss>", 2),
        (b"", "not well-formed XML", 1),
    ],
)
def test_not_pubmed_xml_raises_naming_the_file(data: bytes, message: str, line: int) -> None:
    with pytest.raises(ReadError, match=message) as raised:
        parse_pubmed_xml(data, source_path="x.xml")
    assert (raised.value.path, raised.value.line) == ("x.xml", line)
    assert not isinstance(raised.value, PubMedPageError), "XML is not a page: no page error"


def test_nested_reference_lists_are_read_once_each() -> None:
    xml = (
        "<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>2</PMID><Article>"
        "<ArticleTitle>T</ArticleTitle></Article></MedlineCitation><PubmedData>"
        "<ReferenceList><Title>References</Title>"
        "<Reference><Citation>Cell. 2011;144(5):646-74.</Citation></Reference>"
        "<ReferenceList><Title>Further reading</Title>"
        "<Reference><Citation>Nature. 2004;427:787.</Citation></Reference>"
        "</ReferenceList></ReferenceList></PubmedData></PubmedArticle></PubmedArticleSet>"
    )
    [article] = parse_pubmed_xml(xml)
    assert [(ref.index, ref.journal, ref.year) for ref in article.references] == [
        (1, "Cell", 2011),
        (2, "Nature", 2004),
    ]


def test_entity_left_unexpanded_is_a_problem_on_its_record() -> None:
    [article] = read("xml_entity_expansion.xml")
    assert article.warnings == (
        Problem(12, "input", "entity &secret; left as written: not expanded"),
        Problem(12, "input", "entity &lol2; left as written: not expanded"),
    )


def test_undeclared_entity_is_not_well_formed_and_names_its_line() -> None:
    xml = b"<PubmedArticleSet>\n<PubmedArticle><T>a &xxe; b</T></PubmedArticle></PubmedArticleSet>"
    with pytest.raises(ReadError, match="not well-formed XML: Entity 'xxe' not defined") as raised:
        parse_pubmed_xml(xml, source_path="x.xml")
    assert raised.value.line == 2


def record_set(*records: str) -> bytes:
    return ("<PubmedArticleSet>\n" + "\n".join(records) + "\n</PubmedArticleSet>").encode()


def titled(pmid: str) -> str:
    return (
        f"<PubmedArticle><MedlineCitation><PMID>{pmid}</PMID><Article>"
        f"<ArticleTitle>Title {pmid}.</ArticleTitle></Article></MedlineCitation></PubmedArticle>"
    )


def test_records_are_streamed_one_at_a_time_before_a_later_fault() -> None:
    broken = record_set(titled("1"), titled("2"), "<PubmedArticle><Oops></PubmedArticle>")
    content = io.BufferedReader(io.BytesIO(broken))
    records = iter_pubmed_xml(content, source_path="x.xml", sha256=None)
    assert [next(records).pmid, next(records).pmid] == ["1", "2"]
    with pytest.raises(ReadError, match="not well-formed XML") as raised:
        next(records)
    assert (raised.value.path, raised.value.line) == ("x.xml", 4)


def test_a_record_read_is_cleared_and_dropped_with_those_before_it() -> None:
    root = etree.fromstring(record_set(*(titled(str(n)) for n in range(1, 4))))
    third = root[2]
    _forget(third)
    assert list(root) == [third]
    assert (len(third), third.text) == (0, None)


def test_other_xml_is_refused_before_any_record_is_read() -> None:
    xml = b"<feed>" + b"<PubmedArticle/>" * 3 + b"</feed>"
    records = iter_pubmed_xml(io.BufferedReader(io.BytesIO(xml)), source_path="f", sha256=None)
    with pytest.raises(ReadError, match="root element is <feed>"):
        next(records)


def test_pagination_ending_before_it_starts_is_kept_and_named() -> None:
    xml = (
        "<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>7</PMID><Article>"
        "<ArticleTitle>A title.</ArticleTitle><Pagination><MedlinePgn>284-29</MedlinePgn>"
        "</Pagination></Article></MedlineCitation></PubmedArticle></PubmedArticleSet>"
    )
    (article,) = parse_pubmed_xml(xml)
    assert (article.first_page, article.last_page) == ("284", "29")
    assert article.warnings == (
        Problem(
            1,
            "implausible",
            "pagination: last page 29 comes before first page 284; kept as printed",
        ),
    )


def test_fields_are_found_where_elementpath_finds_them_when_elements_repeat() -> None:
    """Fields are read walking the record child by child, not by ElementPath: a repeated
    container or child still gives what the path would (the first match in document order)."""
    xml = (
        "<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>8</PMID>"
        "<Article><Journal><JournalIssue><Volume/><Volume>4</Volume></JournalIssue></Journal>"
        "<AuthorList><Author><LastName>Old</LastName><LastName>Kim</LastName>"
        "<Initials>HJ</Initials></Author></AuthorList>"
        "<ArticleDate DateType='Received'><Year>2001</Year></ArticleDate>"
        "<ArticleDate DateType='Electronic'><Year>2002</Year><Month>3</Month></ArticleDate>"
        "</Article><Article><ArticleTitle>From the second Article.</ArticleTitle></Article>"
        "<MeshHeadingList><MeshHeading><DescriptorName MajorTopicYN='N'>Cells</DescriptorName>"
        "<QualifierName MajorTopicYN='Y'>immunology</QualifierName></MeshHeading>"
        "</MeshHeadingList></MedlineCitation><PubmedData>"
        "<ReferenceList><Reference><Citation>First.</Citation><Citation>Second.</Citation>"
        "<ArticleIdList><ArticleId IdType='pubmed'> </ArticleId></ArticleIdList>"
        "<ArticleIdList><ArticleId IdType='PubMed'>123</ArticleId>"
        "<ArticleId IdType='pmc'>PMC9</ArticleId></ArticleIdList></Reference>"
        "</ReferenceList></PubmedData></PubmedArticle></PubmedArticleSet>"
    )
    [article] = parse_pubmed_xml(xml)
    assert article.title == "From the second Article."
    assert article.volume is None  # the first <Volume>, empty, as find("Volume") gives
    assert article.authors == ("Kim HJ",)  # the last <LastName> of an author, as before
    assert article.epub_date == "2002 Mar"
    assert [(heading.descriptor, heading.major) for heading in article.mesh_headings] == [
        ("Cells", True)
    ]
    for citations in (True, False):
        [reference] = next(
            iter_pubmed_entries(
                io.BufferedReader(io.BytesIO(xml.encode())),
                source_path=None,
                sha256=None,
                citations=citations,
            )
        ).references
        assert (reference.raw, reference.pmid, reference.pmcid) == ("First.", "123", "PMC9")
        assert reference.links == frozenset({"PubMed", "PMC"})


def test_superscript_digits_in_pages_and_date_are_kept_as_printed() -> None:
    """``¹`` is a digit to `str.isdigit` but not to `int`: kept as printed, never a crash."""
    xml = (
        "<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>9</PMID><Article>"
        "<Journal><JournalIssue><PubDate><Year>2\u00b917</Year><Month>\u00b9</Month></PubDate>"
        "</JournalIssue></Journal><ArticleTitle>A title.</ArticleTitle>"
        "<Pagination><MedlinePgn>2\u00b96-302</MedlinePgn></Pagination>"
        "</Article></MedlineCitation></PubmedArticle></PubmedArticleSet>"
    )
    (article,) = parse_pubmed_xml(xml)
    assert (article.pages, article.first_page, article.last_page) == (
        "2\u00b96-302",
        "2\u00b96",
        "302",
    )
    assert (article.pub_date, article.year) == ("2\u00b917 \u00b9", None)
    assert article.warnings == ()


def test_records_wrapped_in_other_elements_are_dropped_with_their_wrappers() -> None:
    """Memory stays flat however records are nested: what comes before a record read, at every
    level above it, is dropped with it."""
    wrapped = (f"<Wrapper>{titled(str(n))}</Wrapper>" for n in range(1, 4))
    root = etree.fromstring(record_set(*wrapped))
    third = root[2][0]
    _forget(third)
    assert list(root) == [third.getparent()]
    assert list(third.getparent()) == [third]
