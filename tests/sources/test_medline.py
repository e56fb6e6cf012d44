"""MEDLINE text (PubMed's "PubMed format", .nbib) read into articles."""

from __future__ import annotations

from dataclasses import replace

import pytest

from reviewbook import Article
from reviewbook.errors import Problem
from reviewbook.sources.decoding import TextLine
from reviewbook.sources.medline import abstract_sections, iter_medline, parse_medline
from tests.conftest import TEST_DATA

NBIB = TEST_DATA / "medline_three_records.nbib"


def records() -> list[Article]:
    return parse_medline(NBIB.read_text(encoding="utf-8"), source_path=str(NBIB))


def test_a_file_holds_every_record_in_order() -> None:
    assert [article.pmid for article in records()] == ["29037250", "10000004", "10000005"]


def test_janssen_record_fields() -> None:
    janssen = records()[0]
    assert janssen.title == "The immune system in cancer metastasis: friend or foe?"
    assert janssen.article_types == ("Journal Article", "Review")
    assert janssen.journal == "J Immunother Cancer"
    assert (janssen.pub_date, janssen.year) == ("2017 Oct 17", 2017)
    assert (janssen.volume, janssen.issue, janssen.pages) == ("5", "1", "79")
    assert (janssen.first_page, janssen.last_page) == ("79", None)
    assert janssen.doi == "10.1186/s40425-017-0283-9"
    assert janssen.pmcid == "PMC5644253"
    assert janssen.epub_date == "2017 Oct 17"
    assert janssen.authors_display == "Janssen LME, Ramsay EE, Logsdon CD, Overwijk WW"
    assert janssen.first_author == "Janssen LME"
    assert janssen.keywords == ("Cancer", "Immune system", "Metastasis")
    assert janssen.references == ()
    assert janssen.warnings == ()
    assert janssen.source_path == str(NBIB)


def test_wrapped_abstract_lines_are_joined() -> None:
    assert records()[0].abstract == (
        "Metastatic disease is the leading cause of death among cancer patients and involves "
        "a complex and inefficient process. Here we review classic and new observations, "
        "describing the links between the immune system and metastasis that inform the "
        "development of cancer therapies."
    )


def test_structured_abstract_is_split_at_its_labels() -> None:
    structured = records()[1]
    assert structured.abstract_sections == (
        ("BACKGROUND", "Tumour cells spread."),
        ("METHODS", "We counted them."),
        ("CONCLUSIONS", "Fewer spread with T cells."),
    )
    assert structured.abstract == (
        "BACKGROUND: Tumour cells spread.\n\nMETHODS: We counted them.\n\n"
        "CONCLUSIONS: Fewer spread with T cells."
    )
    assert (structured.authors_display, structured.first_author) == (None, None)


def test_record_without_title_is_kept_with_a_warning_naming_its_line() -> None:
    untitled = records()[2]
    assert (untitled.pmid, untitled.title, untitled.article_types) == ("10000005", "", ("Letter",))
    assert untitled.warnings == (Problem(54, "record", "record 10000005 has no title (TI)"),)


def test_every_record_carries_the_digest_of_the_whole_text() -> None:
    assert len({article.sha256 for article in records()}) == 1


def test_lower_case_label_like_text_is_not_a_section() -> None:
    text = "We asked: does it spread? It does."
    assert abstract_sections(text) == (("", text),)
    assert abstract_sections(None) == ()


def test_collective_author_stands_in_when_no_person_is_named() -> None:
    [article] = parse_medline("PMID- 1\nTI  - T.\nCN  - Cancer Genome Atlas Network\n")
    assert (article.authors_display, article.first_author) == (
        "Cancer Genome Atlas Network",
        "Cancer Genome Atlas Network",
    )


def test_doi_from_location_identifier_when_no_article_identifier() -> None:
    [article] = parse_medline("PMID- 1\nTI  - T.\nLID - e1234 [pii]\nLID - 10.1000/x.1 [doi]\n")
    assert article.doi == "10.1000/x.1"


# --- cut, incomplete and odd files ------------------------------------------------------------


def test_record_cut_mid_abstract_is_named_with_the_words_it_ends_on() -> None:
    path = TEST_DATA / "medline_cut_mid_abstract.nbib"
    [article] = parse_medline(path.read_text(encoding="utf-8"))
    assert article.pmid == "10000011"
    assert article.abstract.endswith("how the tumour microenvi")
    assert article.warnings == (
        Problem(9, "cut", 'abstract cut at "..., and how the tumour microenvi"'),
    )


def test_complete_last_record_is_not_called_cut() -> None:
    assert [article.warnings for article in records()[:2]] == [(), ()]
    [article] = parse_medline("PMID- 1\nTI  - Does it spread?\n")
    assert article.warnings == ()


def test_record_missing_its_pmid_among_several_is_kept_with_a_problem() -> None:
    path = TEST_DATA / "medline_record_without_pmid.nbib"
    articles = parse_medline(path.read_text(encoding="utf-8"))
    assert [article.pmid for article in articles] == ["10000012", None, "10000014"]
    assert articles[1].title == "A record whose PMID line was lost."
    assert articles[1].warnings == (Problem(6, "record", "record 2 has no PMID (PMID-)"),)
    assert (articles[0].warnings, articles[2].warnings) == ((), ())


def test_old_mac_line_endings_read_like_unix_ones() -> None:
    text = NBIB.read_text(encoding="utf-8")
    from_cr = parse_medline(text.replace("\n", "\r"), source_path=str(NBIB))
    from_crlf = parse_medline(text.replace("\n", "\r\n"), source_path=str(NBIB))
    expected = [replace(article, sha256=None) for article in records()]
    assert [replace(article, sha256=None) for article in from_cr] == expected
    assert [replace(article, sha256=None) for article in from_crlf] == expected


def test_iter_medline_reads_lines_as_they_come_and_keeps_their_problems() -> None:
    lines = iter(
        [
            TextLine(1, "PMID- 1"),
            TextLine(2, "TI  - Caf\u00e9 society.", Problem(2, "encoding", "guessed")),
            TextLine(3, ""),
            TextLine(4, "PMID- 2"),
            TextLine(5, "TI  - Second."),
        ]
    )
    articles = iter_medline(lines, source_path=None, sha256=None)
    first = next(articles)
    assert (first.pmid, first.title, first.warnings) == (
        "1",
        "Caf\u00e9 society.",
        (Problem(2, "encoding", "guessed"),),
    )
    assert [article.pmid for article in articles] == ["2"]


def test_pages_ending_before_they_start_are_kept_and_named() -> None:
    text = "PMID- 7\nTI  - A title.\nPG  - 284-29\nTA  - J Test\nDP  - 2001\n"
    (article,) = parse_medline(text)
    assert (article.first_page, article.last_page) == ("284", "29")
    assert article.warnings == (
        Problem(
            1,
            "implausible",
            "pages (PG): last page 29 comes before first page 284; kept as printed",
        ),
    )


# --- odd lines and odd digits: problems on the record, never another exception ---------------


@pytest.mark.parametrize("blank", ["", "   "])
def test_a_blank_line_inside_a_field_is_read_as_part_of_it_and_named(blank: str) -> None:
    """An editor that trims trailing spaces turns a blank continuation line (six spaces) into
    an empty line: the continuation after it still belongs to the field above."""
    text = f"PMID- 1\nTI  - A title\n{blank}\n      that goes on.\nPG  - 12-4\n"
    (article,) = parse_medline(text)
    assert (article.pmid, article.title, article.pages) == ("1", "A title that goes on.", "12-4")
    assert article.warnings == (
        Problem(3, "input", "a blank line inside the field above it; read as part of it"),
    )


def test_blank_lines_then_a_continuation_line_with_no_record_before_are_a_problem() -> None:
    (article,) = parse_medline("\n      stray words\nPMID- 2\nTI  - Kept.\n")
    assert (article.pmid, article.title) == ("2", "Kept.")
    assert article.warnings == (
        Problem(2, "input", "a continuation line with no field above it: 'stray words'"),
    )


def test_a_continued_mesh_heading_is_one_heading() -> None:
    (article,) = parse_medline(
        "PMID- 3\nTI  - T.\nMH  - Neoplasm Metastasis/*immunology/\n      pathology\nMH  - Mice\n"
    )
    assert [(heading.descriptor, heading.qualifiers) for heading in article.mesh_headings] == [
        ("Neoplasm Metastasis", ("immunology", "pathology")),
        ("Mice", ()),
    ]


def test_superscript_digits_in_pages_and_date_are_kept_as_printed() -> None:
    """``¹`` is a digit to `str.isdigit` but not to `int`: such pages and years are kept as
    printed, never read as numbers."""
    (article,) = parse_medline("PMID- 4\nTI  - T.\nPG  - 2\u00b96-302\nDP  - 2\u00b917 Jan\n")
    assert (article.pages, article.first_page, article.last_page) == (
        "2\u00b96-302",
        "2\u00b96",
        "302",
    )
    assert (article.pub_date, article.year) == ("2\u00b917 Jan", None)
    assert article.warnings == ()
