"""Pages as other tools and other days save them: each variant built here from a seed."""

from __future__ import annotations

import gzip
import io
from dataclasses import replace
from pathlib import Path

import pytest

from reviewbook import Figure, Reference, parse_pubmed_page, read_pubmed_page
from reviewbook.errors import Problem, PubMedPageError, ReadError
from reviewbook.sources.formats import iter_stream_articles, read_articles
from tests.conftest import PUBMED, expected_article

BANNER_END = "Access keys NCBI Homepage MyNCBI Homepage Main Content Main Navigation\n"


def janssen(text: str, **changes: object):
    """The Janssen seed parsed from ``text``, and the seed's expected record with ``changes``."""
    parsed = parse_pubmed_page(text, pmid="29037250")
    expected = replace(
        expected_article("29037250"), source_path=None, sha256=parsed.sha256, **changes
    )
    return parsed, expected


def without_banner(text: str) -> str:
    return text[text.index(BANNER_END) + len(BANNER_END) :]


def test_page_without_site_banner_reads_the_same(janssen_text: str) -> None:
    parsed, expected = janssen(without_banner(janssen_text))
    assert parsed == replace(expected, warnings=())


def test_page_without_banner_names_warnings_by_line_of_the_given_text(janssen_text: str) -> None:
    text = without_banner(janssen_text).replace("Affiliations\n", "Affiliations\nOdd line\n")
    assert parse_pubmed_page(text).warnings == (
        Problem(8, "header", "not understood in the page header: 'Odd line'"),
    )


@pytest.mark.parametrize(
    ("type_lines", "expected_types"),
    [
        ("Review\n", ("Review",)),
        ("Review\nSystematic Review\n", ("Review", "Systematic Review")),
        (
            "Meta-Analysis\nReview\nResearch Support, Non-U.S. Gov't\n",
            ("Meta-Analysis", "Review", "Research Support, Non-U.S. Gov't"),
        ),
        ("", ()),
    ],
)
def test_article_type_lines_before_the_citation(
    janssen_text: str, type_lines: str, expected_types: tuple[str, ...]
) -> None:
    # The page prints the types twice: before the citation and after "Affiliations".
    text = janssen_text.replace(BANNER_END + "Review\n", BANNER_END + type_lines)
    text = text.replace("Affiliations\nReview\n", "Affiliations\n" + type_lines)
    parsed, expected = janssen(text, article_types=expected_types)
    assert parsed == expected


@pytest.mark.parametrize(
    ("citation", "fields"),
    [
        (". 2017 Oct 17;5(1):79.", {}),
        (". 2017 Oct;5(1):79.", {"pub_date": "2017 Oct"}),
        (". 2017;5(1):79.", {"pub_date": "2017"}),
        (". 2017 Oct 17;5:79.", {"issue": None}),
        (
            ". 2017 Oct-Dec;5(4):79-88.",
            {"pub_date": "2017 Oct-Dec", "issue": "4", "pages": "79-88", "last_page": "88"},
        ),
        (
            ". 2016:35:298-308.",
            {
                "pub_date": "2016",
                "year": 2016,
                "volume": "35",
                "issue": None,
                "pages": "298-308",
                "first_page": "298",
                "last_page": "308",
            },
        ),
        (
            ". 2019 Mar 3;10(1):e1234.",
            {
                "pub_date": "2019 Mar 3",
                "year": 2019,
                "volume": "10",
                "pages": "e1234",
                "first_page": "e1234",
            },
        ),
        (
            ". 2011 Jun 1;128(11):2536-44.",
            {
                "pub_date": "2011 Jun 1",
                "year": 2011,
                "volume": "128",
                "issue": "11",
                "pages": "2536-44",
                "first_page": "2536",
                "last_page": "2544",
            },
        ),
        (
            ". 2010;21 Suppl 7:vii14-8.",
            {
                "pub_date": "2010",
                "year": 2010,
                "volume": "21 Suppl 7",
                "issue": None,
                "pages": "vii14-8",
                "first_page": "vii14",
                "last_page": "vii18",
            },
        ),
        (
            # Pages in the issue's front matter too (a preface), printed as a second range.
            ". 2001 Apr;10(2):243-55, vii.",
            {
                "pub_date": "2001 Apr",
                "year": 2001,
                "volume": "10",
                "issue": "2",
                "pages": "243-55, vii",
                "first_page": "243",
                "last_page": "255",
            },
        ),
        (
            ". 2021 Jan 5.",
            {
                "pub_date": "2021 Jan 5",
                "year": 2021,
                "volume": None,
                "issue": None,
                "pages": None,
                "first_page": None,
            },
        ),
    ],
)
def test_citation_line_forms(janssen_text: str, citation: str, fields: dict) -> None:
    parsed, expected = janssen(janssen_text.replace(". 2017 Oct 17;5(1):79.", citation), **fields)
    assert parsed == expected


def test_citation_line_with_journal_name_first(janssen_text: str) -> None:
    text = janssen_text.replace(
        ". 2017 Oct 17;5(1):79.\ndoi: 10.1186/s40425-017-0283-9.",
        "J Immunother Cancer. 2017 Oct 17;5(1):79. doi: 10.1186/s40425-017-0283-9.",
    )
    parsed, expected = janssen(text)
    assert parsed == expected


def test_citation_line_with_journal_first_and_a_second_page_range(janssen_text: str) -> None:
    text = janssen_text.replace(
        ". 2017 Oct 17;5(1):79.\ndoi: 10.1186/s40425-017-0283-9.",
        "Surg Oncol Clin N Am. 2001 Apr;10(2):243-55, vii. doi: 10.1186/s40425-017-0283-9.",
    )
    parsed, expected = janssen(
        text,
        pub_date="2001 Apr",
        year=2001,
        volume="10",
        issue="2",
        pages="243-55, vii",
        first_page="243",
        last_page="255",
    )
    assert parsed == expected


@pytest.mark.parametrize(
    ("doi_line", "fields"),
    [
        ("doi: 10.1186/s40425-017-0283-9.", {}),
        ("doi: 10.1186/s40425-017-0283-9. Epub 2017 Oct 17.", {"epub_date": "2017 Oct 17"}),
        ("doi: 10.1186/s40425-017-0283-9. Epub 2017 Oct.", {"epub_date": "2017 Oct"}),
        ("", {"doi": None}),
    ],
)
def test_doi_line_with_or_without_epub_date(janssen_text: str, doi_line: str, fields: dict) -> None:
    text = janssen_text.replace("doi: 10.1186/s40425-017-0283-9.", doi_line)
    parsed, expected = janssen(text, **fields)
    assert parsed == expected


@pytest.mark.parametrize("label", ["Free article", "Free PMC article"])
def test_free_article_lines_are_page_controls(janssen_text: str, label: str) -> None:
    text = janssen_text.replace(
        "doi: 10.1186/s40425-017-0283-9.\n", f"doi: 10.1186/s40425-017-0283-9.\n{label}\n"
    )
    parsed, expected = janssen(text)
    assert parsed == expected


def test_authors_line_with_plain_space_before_et_al(janssen_text: str) -> None:
    parsed, expected = janssen(janssen_text.replace("Janssen\u00a0et al.", "Janssen et al."))
    assert parsed == expected


def test_single_author_line_without_et_al(janssen_text: str) -> None:
    text = janssen_text.replace("Louise M E Janssen\u00a0et al.", "Louise M E Janssen.")
    parsed, expected = janssen(text, authors_display="Louise M E Janssen")
    assert parsed == expected


STRUCTURED = """Abstract

Background: Metastasis kills most patients with cancer.

Methods: We reviewed the literature.

RESULTS: Immune cells both promote and restrain metastasis.

Conclusions:
Targeting them needs care.

Keywords: Metastasis; Immune system; Concomitant immunity.

© 2017 The Author(s).

PubMed Disclaimer
"""


def test_structured_abstract_keeps_labels_keywords_and_copyright(janssen_text: str) -> None:
    start = janssen_text.index("Abstract\n")
    end = janssen_text.index("PubMed Disclaimer\n") + len("PubMed Disclaimer\n")
    text = janssen_text[:start] + STRUCTURED + janssen_text[end:]
    sections = (
        ("Background", "Metastasis kills most patients with cancer."),
        ("Methods", "We reviewed the literature."),
        ("RESULTS", "Immune cells both promote and restrain metastasis."),
        ("Conclusions", "Targeting them needs care."),
    )
    parsed, expected = janssen(
        text,
        abstract="\n\n".join(f"{label}: {body}" for label, body in sections),
        abstract_sections=sections,
        keywords=("Metastasis", "Immune system", "Concomitant immunity"),
        copyright="© 2017 The Author(s).",
    )
    assert parsed == expected


def test_page_without_abstract(janssen_text: str) -> None:
    start = janssen_text.index("Abstract\n")
    end = janssen_text.index("PubMed Disclaimer\n")
    text = janssen_text[:start] + "No abstract available\n\n" + janssen_text[end:]
    parsed, expected = janssen(text, abstract=None, abstract_sections=())
    assert parsed == expected


def test_keywords_as_their_own_section(janssen_text: str) -> None:
    text = janssen_text.replace(
        "PubMed Disclaimer\n", "PubMed Disclaimer\n\nKeywords\n\nMetastasis; NK cells\n"
    )
    parsed, expected = janssen(text, keywords=("Metastasis", "NK cells"))
    assert parsed == expected


def test_several_figures_with_numbered_labels(erez_text: str) -> None:
    figures = (
        "Figures\n\nFig 1\nFig 1. The cascade\nCells leave the tumour.\n\n"
        "Fig 2\nFig 2. The niche\nA niche forms.\nIt attracts cells.\n\nReferences\n"
    )
    start = erez_text.index("Figures\n")
    text = erez_text[:start] + figures + erez_text[erez_text.index("References\n") + 11 :]
    parsed = parse_pubmed_page(text)
    assert parsed.figures == (
        Figure(label="Fig 1", title="The cascade", caption="Cells leave the tumour."),
        Figure(label="Fig 2", title="The niche", caption="A niche forms.\n\nIt attracts cells."),
    )
    assert parsed.warnings == ()


@pytest.mark.parametrize(
    "printed",
    [
        "None\nNone. Immune signaling",  # the label line, and the label before the title
        "None\nImmune signaling",  # the label line only
        "Figure\nNone. Immune signaling",  # the label before the title only
    ],
)
def test_a_figure_whose_label_prints_as_none_is_kept_with_its_caption(
    erez_text: str, printed: str
) -> None:
    """The site prints "None" where a figure has no label: the figure is kept, without one."""
    text = erez_text.replace("Figure\nFigure. Immune signaling", printed)
    parsed = parse_pubmed_page(text)
    [seed] = expected_article("21387299").figures
    if printed == "None\nImmune signaling":  # no label before the title: the caption's start
        seed = replace(seed, title="", caption=f"{seed.title}\n\n{seed.caption}")
    label = "Figure" if printed.startswith("Figure") else ""
    assert parsed.figures == (replace(seed, label=label),)
    assert parsed.warnings == ()


def test_sections_in_another_order_keep_page_order(janssen_text: str) -> None:
    text = janssen_text.replace("Similar articles\n\nCited by\n\n", "") + (
        "\n\nPublication types\n\nReview\n\nMeSH terms\n\nHumans\nNeoplasm Metastasis*\n\n"
        "Grants and funding\n\nP30 CA016672/CA/NCI NIH HHS/United States\n\nCited by\n\n"
        "Substances\n\nCytokines\n"
    )
    parsed, expected = janssen(
        text,
        sections=(
            expected_article("29037250").sections[0],
            ("LinkOut - more resources", ""),
            ("Publication types", "Review"),
            ("MeSH terms", "Humans\n\nNeoplasm Metastasis*"),
            ("Grants and funding", "P30 CA016672/CA/NCI NIH HHS/United States"),
            ("Cited by", ""),
            ("Substances", "Cytokines"),
        ),
    )
    assert parsed == expected


def test_page_with_only_header_and_references(janssen_text: str) -> None:
    start = janssen_text.index("Abstract\n")
    text = janssen_text[:start] + janssen_text[janssen_text.index("References\n") :]
    parsed, expected = janssen(
        text,
        abstract=None,
        abstract_sections=(),
        sections=(("LinkOut - more resources", ""),),
    )
    assert parsed == expected


TITLE_FIRST = """The immune system in cancer metastasis: friend or foe?
Louise M E Janssen 1, Emma E Ramsay 1, Craig D Logsdon 1 2, Willem W Overwijk 3
J Immunother Cancer. 2017 Oct 17;5(1):79.
- PMID: 29037250
- PMCID: PMC5644253
- DOI: 10.1186/s40425-017-0283-9

Abstract
Metastatic disease is the leading cause of death among cancer patients.

References
-
- Fidler IJ The pathogenesis of cancer metastasis: the 'seed and soil' hypothesis revisited. Nature Rev. Cancer 3, 453–458 (2003).
- J Immunol. 2009 Jan 1;182(1):604-12 - PubMed
"""  # noqa: E501


def test_title_first_layout_with_identifier_lines() -> None:
    parsed = parse_pubmed_page(TITLE_FIRST)
    assert (parsed.pmid, parsed.pmcid, parsed.doi) == (
        "29037250",
        "PMC5644253",
        "10.1186/s40425-017-0283-9",
    )
    assert parsed.title == "The immune system in cancer metastasis: friend or foe?"
    assert parsed.authors_display == (
        "Louise M E Janssen, Emma E Ramsay, Craig D Logsdon, Willem W Overwijk"
    )
    assert parsed.first_author == "Louise M E Janssen"
    assert (parsed.journal, parsed.pub_date, parsed.volume, parsed.issue, parsed.pages) == (
        "J Immunother Cancer",
        "2017 Oct 17",
        "5",
        "1",
        "79",
    )
    assert [
        (r.index, r.authors, r.journal, r.year, r.first_page, r.last_page)
        for r in parsed.references
    ] == [
        (1, ("Fidler IJ",), "Nature Rev. Cancer", 2003, "453", "458"),
        (2, (), "J Immunol", 2009, "604", "612"),
    ]
    assert parsed.warnings == ()


def test_pmid_from_page_and_caller_disagree_is_a_warning() -> None:
    parsed = parse_pubmed_page(TITLE_FIRST, pmid="123")
    assert parsed.pmid == "123"
    assert parsed.warnings == (
        Problem(None, "identifier", "the page says PMID 29037250, the caller gave 123"),
    )


def test_crlf_bom_and_curly_quotes_read_the_same(tmp_path, janssen_text: str) -> None:
    path = tmp_path / "29037250.txt"
    path.write_bytes(b"\xef\xbb\xbf" + janssen_text.replace("\n", "\r\n").encode("utf-8"))
    parsed = read_pubmed_page(path)
    assert parsed == replace(
        expected_article("29037250"), source_path=str(path), sha256=parsed.sha256
    )


def test_utf16_file_with_bom(tmp_path, erez_text: str) -> None:
    path = tmp_path / "21387299.txt"
    path.write_bytes(erez_text.encode("utf-16"))
    parsed = read_pubmed_page(path)
    assert parsed == replace(
        expected_article("21387299"), source_path=str(path), sha256=parsed.sha256
    )


def test_a_windows_1252_line_is_read_and_named(tmp_path, janssen_text: str) -> None:
    data = janssen_text.encode("utf-8").replace(
        "Authors’ information".encode(), "Authors’ information".encode("cp1252")
    )
    path = tmp_path / "29037250.txt"
    path.write_bytes(data)
    parsed = read_pubmed_page(path)
    assert parsed.warnings == (Problem(38, "encoding", "not valid UTF-8; read as Windows-1252"),)
    assert parsed.sections == expected_article("29037250").sections


@pytest.mark.parametrize("cut_after", ["Review\n", "doi: 10.1186/s40425-017-0283-9.\n"])
def test_page_cut_before_the_title_is_an_error_naming_the_last_line(
    janssen_text: str, cut_after: str
) -> None:
    text = janssen_text[: janssen_text.index(cut_after) + len(cut_after)]
    with pytest.raises(PubMedPageError, match="no article title found") as raised:
        parse_pubmed_page(text)
    assert raised.value.line == text.count("\n") + 1


def test_page_cut_inside_a_reference_keeps_the_partial_line(janssen_text: str) -> None:
    text = janssen_text[: janssen_text.index("Dissecting the metastatic") + 10]
    parsed = parse_pubmed_page(text)
    assert [r.raw for r in parsed.references][-1] == "Pantel K, Brakenhoff RH. Dissecting"
    assert parsed.references[:3] == expected_article("29037250").references[:3]
    # No source is visible on the cut line: it is kept as printed and named as cut.
    cut = Problem(67, "cut", 'reference 4 cut at "...K, Brakenhoff RH. Dissecting"')
    assert parsed.references[3] == Reference(
        index=4, raw="Pantel K, Brakenhoff RH. Dissecting", kind="unknown", warnings=(cut,)
    )
    assert parsed.warnings == (cut,)
    assert (
        str(parsed.warnings[0]) == 'line 67: reference 4 cut at "...K, Brakenhoff RH. Dissecting"'
    )


def test_page_cut_inside_the_abstract(erez_text: str) -> None:
    text = erez_text[: erez_text.index("Amongst the various")]
    parsed = parse_pubmed_page(text)
    assert parsed.abstract == expected_article("21387299").abstract.split(" Amongst")[0]
    assert (parsed.references, parsed.figures) == ((), ())


@pytest.mark.parametrize(
    ("content", "reason", "line"),
    [
        (b"", "empty: no text to read", 1),
        (b"\n  \n\t\n", "empty: no text to read", 1),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary data (NUL bytes), not a text file", 3),
        (
            b"<!DOCTYPE html>\n<html lang='en'>\n<head><title>PubMed</title></head>\n",
            "HTML source, not the page's text; save the page as text instead",
            1,
        ),
        (
            b"\n\nBBC News\nHome\nWorld\nA story about something else entirely.\n",
            "not a PubMed abstract page: no citation, DOI, PMID or PubMed section found",
            3,
        ),
    ],
)
def test_input_that_is_not_a_pubmed_page_raises_naming_file_and_line(
    tmp_path, content: bytes, reason: str, line: int
) -> None:
    path = tmp_path / "page.txt"
    path.write_bytes(content)
    with pytest.raises(ReadError) as raised:
        read_pubmed_page(path)
    assert (raised.value.path, raised.value.line, raised.value.reason) == (str(path), line, reason)
    assert str(raised.value) == f"{path}:{line}: {reason}"
    assert isinstance(raised.value, ValueError)


def test_missing_file_raises_naming_it(tmp_path) -> None:
    path = tmp_path / "nowhere.txt"
    with pytest.raises(ReadError, match=r"nowhere\.txt: cannot be read"):
        read_pubmed_page(path)


def test_pmid_comes_only_from_an_all_digit_file_name(tmp_path, erez_text: str) -> None:
    path = tmp_path / "erez-2011.txt"
    path.write_text(erez_text, encoding="utf-8")
    assert read_pubmed_page(path).pmid is None


def test_seed_file_and_text_parse_to_the_same_record(erez_text: str) -> None:
    from_file = read_pubmed_page(PUBMED / "21387299.txt")
    from_text = parse_pubmed_page(erez_text, pmid="21387299")
    assert replace(from_text, source_path=from_file.source_path) == from_file


def test_mojibake_from_a_wrong_encoding_is_repaired_and_named(janssen_text: str) -> None:
    garbled = "Authors’ information".encode().decode("cp1252")
    assert garbled == "Authorsâ€™ information"
    parsed = parse_pubmed_page(janssen_text.replace("Authors’ information", garbled))
    assert parsed.sections == expected_article("29037250").sections
    assert parsed.warnings == (
        Problem(38, "encoding", "repaired characters garbled by a wrong text encoding"),
    )


def test_article_pages_ending_before_they_start_are_kept_and_named(erez_text: str) -> None:
    text = erez_text.replace(";128(11):2536-44.", ";128(11):284-29.", 1)
    parsed = parse_pubmed_page(text)
    assert (parsed.first_page, parsed.last_page) == ("284", "29")
    assert parsed.warnings == (
        Problem(
            18, "implausible", "pages: last page 29 comes before first page 284; kept as printed"
        ),
    )


# --- the page's own PMID, whatever the file is called -----------------------------------------

SEED_DOI_LINE = "doi: 10.1186/s40425-017-0283-9.\n"
PRINTED_IDENTIFIERS = "doi: 10.1186/s40425-017-0283-9. PMID: 29037250; PMCID: PMC5644253.\n"
"""The DOI line as PubMed prints it with the page's identifiers after the DOI."""


@pytest.mark.parametrize(
    "doi_line",
    [
        PRINTED_IDENTIFIERS,
        "doi: 10.1186/s40425-017-0283-9. Epub 2017 Oct 17. PMID: 29037250; PMCID: PMC5644253.\n",
        SEED_DOI_LINE + "PMID: 29037250\nPMCID: PMC5644253\n",
    ],
)
def test_the_page_gives_its_pmid_whatever_the_file_is_called(
    tmp_path: Path, janssen_text: str, doi_line: str
) -> None:
    text = janssen_text.replace(SEED_DOI_LINE, doi_line)
    path = tmp_path / "saved from the browser.txt"
    path.write_text(text, encoding="utf-8")
    from_stdin = list(iter_stream_articles(io.BytesIO(text.encode())))
    for article in (*read_articles(path), read_pubmed_page(path), *from_stdin):
        assert (article.pmid, article.pmcid, article.doi) == (
            "29037250",
            "PMC5644253",
            "10.1186/s40425-017-0283-9",
        )
        assert article.warnings == ()


def test_identifiers_after_the_citation_line_are_read(janssen_text: str) -> None:
    text = janssen_text.replace(
        ". 2017 Oct 17;5(1):79.\n" + SEED_DOI_LINE,
        "J Immunother Cancer. 2017 Oct 17;5(1):79. PMID: 29037250.\n",
    )
    article = parse_pubmed_page(text)
    assert (article.pmid, article.volume, article.pages, article.doi) == (
        "29037250",
        "5",
        "79",
        None,
    )
    assert article.warnings == ()


@pytest.mark.parametrize("name", ["12345.txt", "12345.txt.gz"])
def test_a_file_name_that_disagrees_with_the_page_is_a_problem(
    tmp_path: Path, janssen_text: str, name: str
) -> None:
    path = tmp_path / name
    data = janssen_text.replace(SEED_DOI_LINE, PRINTED_IDENTIFIERS).encode()
    path.write_bytes(gzip.compress(data) if name.endswith(".gz") else data)
    [article] = read_articles(path)
    assert article.pmid == "29037250"
    assert article.warnings == (
        Problem(
            19,
            "identifier",
            f"the page says PMID 29037250, its file name {name} says 12345: the page's is read",
        ),
    )


def test_a_file_name_gives_the_pmid_of_a_page_that_prints_none(
    tmp_path: Path, janssen_text: str
) -> None:
    path = tmp_path / "29037250.txt.gz"
    path.write_bytes(gzip.compress(janssen_text.encode()))
    assert [article.pmid for article in read_articles(path)] == ["29037250"]


# --- a reference cut short: what is visible is read, and it is named cut --------------------

PANTEL = "Pantel K, Brakenhoff RH. Dissecting the metastatic cascade. Nat Rev Cancer. "


@pytest.mark.parametrize(
    ("through", "volume", "issue", "tail"),
    [
        ("2004;4(6):448–4", "4", "6", "Nat Rev Cancer. 2004;4(6):448–4"),  # in the pages
        ("2004;4(6):448–56. doi: 10.10", "4", "6", "2004;4(6):448–56. doi: 10.10"),  # the DOI
        ("2004;4(6", "4", None, "Nat Rev Cancer. 2004;4(6"),  # in the issue
        ("2004;4", None, None, "cascade. Nat Rev Cancer. 2004;4"),  # in the volume
        ("2004", None, None, "cascade. Nat Rev Cancer. 2004"),  # right after the year
    ],
)
def test_a_cut_last_reference_keeps_its_visible_source_and_is_named_cut(
    janssen_text: str, through: str, volume: str | None, issue: str | None, tail: str
) -> None:
    start = janssen_text.index(PANTEL)
    text = janssen_text[:start] + PANTEL + through
    parsed = parse_pubmed_page(text)
    last = parsed.references[-1]
    cut = Problem(67, "cut", f'reference 4 cut at "...{tail}"')
    assert parsed.warnings == (cut,)
    assert (last.kind, last.authors, last.title, last.journal, last.year) == (
        "article-journal",
        ("Pantel K", "Brakenhoff RH"),
        "Dissecting the metastatic cascade",
        "Nat Rev Cancer",
        2004,
    )
    assert (last.volume, last.issue, last.first_page, last.last_page, last.doi) == (
        volume,
        issue,
        "448" if "448–56" in through else None,
        "456" if "448–56" in through else None,
        None,
    )
    assert (last.raw, last.warnings) == (PANTEL + through, (cut,))


def test_a_printed_pmid_that_is_not_one_is_a_problem_and_the_file_name_gives_it(
    tmp_path: Path, janssen_text: str
) -> None:
    path = tmp_path / "29037250.txt"
    text = janssen_text.replace(SEED_DOI_LINE, SEED_DOI_LINE + "PMID: 029037250\n")
    path.write_text(text, encoding="utf-8")
    [article] = read_articles(path)
    assert article.pmid == "29037250"
    assert article.warnings == (
        Problem(20, "identifier", "PMID '029037250' is not a PMID; not read"),
    )
