"""The header's authors line, citation line and DOI line in every form PubMed prints them."""

from __future__ import annotations

import pytest

from reviewbook import parse_pubmed_page
from reviewbook.errors import Problem
from tests.conftest import TEST_DATA

SEED_AUTHORS_LINE = "Louise M E Janssen\u00a0et al. J Immunother Cancer. ."
SEED_CITATION_LINE = ". 2017 Oct 17;5(1):79.\n"
SEED_DOI_LINE = "doi: 10.1186/s40425-017-0283-9."


@pytest.mark.parametrize(
    ("authors_line", "authors_display", "first_author", "journal", "pub_date"),
    [
        (
            "Jane Q Smith et al. Nat Med. 2012 Aug.",
            "Jane Q Smith et al.",
            "Jane Q Smith",
            "Nat Med",
            "2012 Aug",
        ),
        (
            "Jane Q Smith et al. Nat Med. 2012 Aug 22.",
            "Jane Q Smith et al.",
            "Jane Q Smith",
            "Nat Med",
            "2012 Aug 22",
        ),
        (
            "Jane Q Smith et al. Nat Med. 2012 Jul-Aug.",
            "Jane Q Smith et al.",
            "Jane Q Smith",
            "Nat Med",
            "2012 Jul-Aug",
        ),
        (
            "Jane Q Smith et al. Nat Med. 2012 Spring.",
            "Jane Q Smith et al.",
            "Jane Q Smith",
            "Nat Med",
            "2012 Spring",
        ),
        (
            "Jane Q Smith et al. Nat Med. 2019 Dec-2020 Jan.",
            "Jane Q Smith et al.",
            "Jane Q Smith",
            "Nat Med",
            "2019 Dec-2020 Jan",
        ),
        (
            "Jane Q Smith et al. Nat Med. 2012.",
            "Jane Q Smith et al.",
            "Jane Q Smith",
            "Nat Med",
            "2012",
        ),
        ("Jane Q Smith et al. Nat Med. .", "Jane Q Smith et al.", "Jane Q Smith", "Nat Med", None),
        (
            "Jane Q Smith, et al. Nat Med. 2012.",
            "Jane Q Smith et al.",
            "Jane Q Smith",
            "Nat Med",
            "2012",
        ),
        (
            "Jane Q Smith, Omar Haddad. Nat Med. 2012 Aug.",
            "Jane Q Smith, Omar Haddad",
            "Jane Q Smith",
            "Nat Med",
            "2012 Aug",
        ),
        (
            "Jane Q Smith, Omar Haddad, Li Wei. Proc Natl Acad Sci U S A. 2012 Aug 22.",
            "Jane Q Smith, Omar Haddad, Li Wei",
            "Jane Q Smith",
            "Proc Natl Acad Sci U S A",
            "2012 Aug 22",
        ),
        ("Jane Q Smith. Nat Med. 2012.", "Jane Q Smith", "Jane Q Smith", "Nat Med", "2012"),
        (
            "Tumour Immunology Study Group. Lancet Oncol. 2012 Winter.",
            "Tumour Immunology Study Group",
            "Tumour Immunology Study Group",
            "Lancet Oncol",
            "2012 Winter",
        ),
        (
            "U.S. Cancer Screening Task Force. JAMA. 2016 Jun 21.",
            "U.S. Cancer Screening Task Force",
            "U.S. Cancer Screening Task Force",
            "JAMA",
            "2016 Jun 21",
        ),
        (
            "Jane Q Smith et al. J Appl Physiol (1985). 2009 Mar.",
            "Jane Q Smith et al.",
            "Jane Q Smith",
            "J Appl Physiol (1985)",
            "2009 Mar",
        ),
    ],
)
def test_authors_line_forms_without_a_citation_line(
    janssen_text: str,
    authors_line: str,
    authors_display: str,
    first_author: str,
    journal: str,
    pub_date: str | None,
) -> None:
    # Without the citation line the authors line's date is the article's date.
    text = janssen_text.replace(SEED_CITATION_LINE, "").replace(SEED_AUTHORS_LINE, authors_line)
    article = parse_pubmed_page(text)
    assert (
        article.authors_display,
        article.first_author,
        article.journal,
        article.pub_date,
        article.year,
    ) == (authors_display, first_author, journal, pub_date, int(pub_date[:4]) if pub_date else None)
    assert article.title == "The immune system in cancer metastasis: friend or foe?"
    assert article.warnings == ()


def test_citation_line_date_wins_over_the_authors_line_date(janssen_text: str) -> None:
    text = janssen_text.replace(
        SEED_AUTHORS_LINE, "Louise M E Janssen et al. J Immunother Cancer. 2017."
    )
    article = parse_pubmed_page(text)
    assert (article.pub_date, article.year, article.volume, article.journal) == (
        "2017 Oct 17",
        2017,
        "5",
        "J Immunother Cancer",
    )


@pytest.mark.parametrize(
    ("citation_line", "fields"),
    [
        (". 2012 Aug;18(8):1224-31.", ("2012 Aug", "18", "8", "1224-31", "1224", "1231")),
        (". 2012 Jul-Aug;18(4):412-9.", ("2012 Jul-Aug", "18", "4", "412-9", "412", "419")),
        (". 2012 Spring;4(2):1-9.", ("2012 Spring", "4", "2", "1-9", "1", "9")),
        (". 2019 Dec-2020 Jan;10(4):1-9.", ("2019 Dec-2020 Jan", "10", "4", "1-9", "1", "9")),
        (". 2012 Aug 22.", ("2012 Aug 22", None, None, None, None, None)),
    ],
)
def test_citation_line_dates(janssen_text: str, citation_line: str, fields: tuple) -> None:
    article = parse_pubmed_page(janssen_text.replace(SEED_CITATION_LINE, citation_line + "\n"))
    assert (
        article.pub_date,
        article.volume,
        article.issue,
        article.pages,
        article.first_page,
        article.last_page,
    ) == fields
    assert article.warnings == ()


@pytest.mark.parametrize(
    ("doi_line", "epub_date"),
    [
        ("doi: 10.1038/nm.2804. Epub 2012 Jul 22.", "2012 Jul 22"),
        ("doi: 10.1038/nm.2804. Epub 2012 Jul.", "2012 Jul"),
        ("doi: 10.1038/nm.2804. eCollection 2012.", None),
        ("doi: 10.1038/nm.2804. eCollection 2012 Aug.", None),
        ("doi: 10.1038/nm.2804. Epub 2012 Jul 22. eCollection 2012.", "2012 Jul 22"),
        ("doi: 10.1038/nm.2804. Epub 2012 Jul 22. Print 2012 Aug.", "2012 Jul 22"),
        ("doi: 10.1038/nm.2804. Online ahead of print.", None),
    ],
)
def test_notes_after_the_doi(janssen_text: str, doi_line: str, epub_date: str | None) -> None:
    article = parse_pubmed_page(janssen_text.replace(SEED_DOI_LINE, doi_line))
    assert (article.doi, article.epub_date, article.warnings) == ("10.1038/nm.2804", epub_date, ())


def test_unknown_words_after_the_doi_notes_are_a_warning(janssen_text: str) -> None:
    doi_line = "doi: 10.1038/nm.2804. Epub 2012 Jul 22. Withdrawn by the editors."
    article = parse_pubmed_page(janssen_text.replace(SEED_DOI_LINE, doi_line))
    assert (article.doi, article.epub_date) == ("10.1038/nm.2804", "2012 Jul 22")
    assert article.warnings == (
        Problem(19, "header", "not understood after the DOI: 'Withdrawn by the editors.'"),
    )


def test_journal_first_citation_line_with_doi_and_epub_tail(janssen_text: str) -> None:
    text = janssen_text.replace(
        SEED_CITATION_LINE + SEED_DOI_LINE,
        "Nat Med. 2012 Aug;18(8):1224-31. doi: 10.1038/nm.2804. Epub 2012 Jul 22.",
    )
    article = parse_pubmed_page(text)
    assert (article.pub_date, article.volume, article.pages, article.doi, article.epub_date) == (
        "2012 Aug",
        "18",
        "1224-31",
        "10.1038/nm.2804",
        "2012 Jul 22",
    )
    assert article.warnings == ()


def test_complete_page_with_comment_in_and_dated_authors_line_reads_without_warnings() -> None:
    text = (TEST_DATA / "pages" / "comment_in_and_dated_authors_line.txt").read_text("utf-8")
    article = parse_pubmed_page(text)
    assert (
        article.title,
        article.journal,
        article.pub_date,
        article.pages,
        article.last_page,
        article.doi,
        article.epub_date,
        article.authors_display,
        article.first_author,
        article.keywords,
    ) == (
        "Myeloid cells prepare the soil: a review of the pre-metastatic niche",
        "Tumour Microenviron Res",
        "2012 Jul-Aug",
        "412-9",
        "419",
        "10.5555/tmr.2012.0418",
        "2012 Jun 3",
        "Ana B Moreno, Tomas K Lind",
        "Ana B Moreno",
        ("metastasis", "myeloid cells", "pre-metastatic niche"),
    )
    assert article.sections[0] == (
        "Comment in",
        "Soil before seed: who comes first? Okafor CN. Tumour Microenviron Res. 2012 "
        "Nov-Dec;18(6):801. doi: 10.5555/tmr.2012.0801. PMID: 23000001",
    )
    assert article.sections[-1] == ("LinkOut - more resources", "")
    assert article.warnings == ()
