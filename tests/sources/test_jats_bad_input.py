"""PMC full text (JATS XML) that is cut short, bodiless, not JATS at all, or hostile.

What the reader promises for each (see `reviewbook.sources.jats` and
`reviewbook.sources.formats`):

- XML cut short raises `ReadError` naming the file and the line where the text stops;
- an article with no ``<body>`` reads (front matter and references), ``body`` None, with a
  `Problem` saying it holds no body text; a ``<body>`` without a paragraph reads as an empty
  `Body`, with a problem saying so;
- PMC's (or Europe PMC's) web page of an article, saved as HTML, raises `ReadError` saying it
  is that page and what to save instead; no HTML page is taken for JATS;
- a citation naming an id no reference has is kept, naming nothing, with a problem on its line;
- a 10 MB table reads whole; one that would lay out as more than `MAX_TABLE_CELLS` cells (a
  few kilobytes of ``<col/>`` or one very wide row ask for billions) is read row by row as
  written, with a problem saying so.

Outcomes only: no test here measures time.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from reviewbook.errors import Problem, ReadError
from reviewbook.model import Body
from reviewbook.sources import opening
from reviewbook.sources.formats import file_format, full_text_page_pmcid, read_article
from reviewbook.sources.jats import MAX_TABLE_CELLS, parse_jats
from tests.sources.test_jats import FULLTEXT

TEN_MB = 10 * 2**20

# --- cut short ------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["PMC12599256", "PMC3166277"])
@pytest.mark.parametrize("fraction", [0.1, 0.5, 0.99])
def test_a_full_text_cut_short_raises_naming_the_file_and_the_line_it_stops_on(
    tmp_path: Path, name: str, fraction: float
) -> None:
    data = (FULLTEXT / f"{name}.nxml").read_bytes()
    cut = data[: int(len(data) * fraction)]
    path = tmp_path / f"{name}.nxml"
    path.write_bytes(cut)
    with pytest.raises(ReadError, match="not well-formed XML") as raised:
        read_article(path)
    assert raised.value.path == str(path)
    assert raised.value.line is not None
    assert 1 <= raised.value.line <= cut.count(b"\n") + 1
    assert str(raised.value).startswith(f"{path}:{raised.value.line}: not well-formed XML")


# --- no body --------------------------------------------------------------------------------------


def without_body(name: str) -> bytes:
    """A real full text with its ``<body>`` taken out, as PMC gives an article whose publisher
    does not allow its text to be downloaded."""
    data = (FULLTEXT / f"{name}.nxml").read_bytes()
    return re.sub(rb"<body>.*?</body>", b"", data, count=1, flags=re.DOTALL)


def test_an_article_without_a_body_reads_its_front_and_references_and_says_so() -> None:
    article = parse_jats(without_body("PMC12599256"), source_path="PMC12599256.nxml")
    assert article.body is None
    assert (article.pmid, article.doi, len(article.references)) == (
        "41032705",
        "10.1042/BST20253065",
        60,
    )
    assert article.abstract is not None
    assert article.warnings == (  # on the line of <article>, after the DOCTYPE
        Problem(
            2, "record", "no <body>: the file holds no body text, only front matter and references"
        ),
    )
    assert article.figures == ()


def test_a_file_without_a_body_reads_through_the_format_reader(tmp_path: Path) -> None:
    path = tmp_path / "PMC3166277.nxml"
    path.write_bytes(without_body("PMC3166277"))
    article = read_article(path)
    assert (article.body, len(article.references)) == (None, 64)
    assert [problem.kind for problem in article.warnings] == ["record"]


def test_a_body_without_a_paragraph_is_an_empty_body_and_a_problem() -> None:
    article = parse_jats(
        b"<article><front><article-meta><title-group><article-title>T</article-title>"
        b"</title-group></article-meta></front>\n<body>\n</body></article>"
    )
    assert article.body == Body()
    assert article.warnings == (Problem(2, "record", "the <body> holds no paragraph of text"),)


def test_citations_of_a_bodiless_article_are_outside_the_text_read() -> None:
    article = parse_jats(
        b"<article><front><article-meta><title-group><article-title>T</article-title>"
        b'</title-group><abstract><p>As shown [<xref ref-type="bibr" rid="r1">1</xref>].</p>'
        b'</abstract></article-meta></front><back><ref-list><ref id="r1"><mixed-citation>'
        b"A. B. Title. J. 2001.</mixed-citation></ref></ref-list></back></article>"
    )
    assert article.body is None
    assert [problem.message for problem in article.warnings] == [
        "no <body>: the file holds no body text, only front matter and references",
        'citation "1" in <abstract> is outside the text read: not resolved',
    ]


# --- HTML pages -----------------------------------------------------------------------------------

PMC_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<title>Immune evasion in cancer: mechanisms and cutting-edge therapeutic approaches - PMC</title>
<meta name="citation_pmid" content="40739089">
<link rel="canonical" href="https://pmc.ncbi.nlm.nih.gov/articles/PMC12311175/">
</head>
<body>
<article lang="en">
<section class="body main-article-body">
<h2>Introduction</h2>
<p>Immune evasion is a hallmark of cancer.<sup><a href="#CR1">1</a></sup></p>
</section>
</article>
</body>
</html>
"""
"""PMC's web page of an article as a browser saves it ("Save page as", HTML only), shortened."""
PUBMED_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta property="og:url" content="https://pubmed.ncbi.nlm.nih.gov/40739089/">
<link rel="canonical" href="https://pubmed.ncbi.nlm.nih.gov/40739089/">
</head>
<body><a href="https://pmc.ncbi.nlm.nih.gov/articles/PMC12311175/">Free PMC article</a></body>
</html>
"""
"""PubMed's abstract page saved as HTML: it links to PMC's page, but is not it."""


@pytest.mark.parametrize(
    ("page", "pmcid"),
    [
        (PMC_PAGE, "PMC12311175"),
        (
            PMC_PAGE.replace(
                '<link rel="canonical" href="https://pmc.ncbi.nlm.nih.gov/articles/PMC12311175/">',
                '<link href="https://www.ncbi.nlm.nih.gov/pmc/articles/pmc12311175/" '
                'rel="canonical">',
            ),
            "PMC12311175",
        ),
        (
            PMC_PAGE.replace(
                '<link rel="canonical" href="https://pmc.ncbi.nlm.nih.gov/articles/PMC12311175/">',
                '<meta property="og:url" content="https://europepmc.org/article/PMC/PMC3166277">',
            ),
            "PMC3166277",
        ),
        (PUBMED_PAGE, None),
        ('<?xml version="1.0"?>\n<article article-type="review-article"/>', None),
    ],
    ids=["pmc", "old-pmc-address-first", "europe-pmc", "pubmed-page", "jats"],
)
def test_a_full_text_s_web_page_is_told_by_its_own_address(page: str, pmcid: str | None) -> None:
    assert full_text_page_pmcid(page) == pmcid


def test_pmc_s_web_page_saved_as_html_says_what_it_is_and_what_to_save(tmp_path: Path) -> None:
    path = tmp_path / "PMC12311175.html"
    path.write_text("\ufeff" + PMC_PAGE, encoding="utf-8")
    assert file_format(path.read_bytes()).name != "pmc-jats"
    with pytest.raises(ReadError) as raised:
        read_article(path)
    assert (raised.value.path, raised.value.line) == (str(path), 1)
    assert raised.value.reason == (
        "an HTML page, PMC's web page of PMC12311175, not its full text: reviewbook reads the "
        "article's JATS XML; add the review by its PMCID (reviewbook add PMC12311175) or save "
        "the XML from https://www.ebi.ac.uk/europepmc/webservices/rest/PMC12311175/fullTextXML"
    )


def test_another_html_page_is_html_source_not_a_full_text(tmp_path: Path) -> None:
    path = tmp_path / "40739089.html"
    path.write_text(PUBMED_PAGE, encoding="utf-8")
    assert file_format(path.read_bytes()).name == "pubmed-page"
    with pytest.raises(ReadError, match="HTML source, not the page's text"):
        read_article(path)


@pytest.mark.parametrize(
    "page",
    [
        PMC_PAGE,
        # JATS markup quoted inside an HTML page is still an HTML page
        PMC_PAGE.replace("<article lang", '<article article-type="review-article" lang'),
        "<html>\n" + PMC_PAGE.split('<html lang="en">\n', 1)[1],
    ],
)
def test_no_html_page_is_taken_for_jats(page: str) -> None:
    assert file_format(page.encode()).name == "pubmed-page"
    with pytest.raises(ReadError, match=r"^<text>:[0-9]+: not well-formed XML"):
        parse_jats(page.encode())  # not XML at all: <meta> and <link> are never closed


# --- citations naming nothing ---------------------------------------------------------------------


def test_a_citation_naming_a_missing_id_names_nothing_with_a_problem_on_its_line() -> None:
    data = (FULLTEXT / "PMC12599256.nxml").read_bytes()
    original = parse_jats(data)
    assert original.body is not None
    first = original.body.citations[0]
    [reference_id] = first.ids
    broken = data.replace(f'rid="{reference_id}"'.encode(), b'rid="no-such-ref"', 1)
    article = parse_jats(broken)
    assert article.body is not None
    citation = article.body.citations[0]
    assert (citation.text, citation.references, citation.ids, citation.line) == (
        first.text,
        (),
        ("no-such-ref",),
        first.line,
    )
    assert article.warnings == (
        Problem(
            first.line,
            "in-text",
            f'citation "{first.text}" names "no-such-ref", which is no reference of the list',
        ),
    )
    assert len(article.body.citations) == len(original.body.citations)


def test_a_dash_joined_range_whose_end_names_nothing_keeps_its_start() -> None:
    data = (FULLTEXT / "PMC3166277.nxml").read_bytes()
    article = parse_jats(data.replace(b'rid="B9"', b'rid="B99"', 1))
    assert article.body is not None
    citation = next(c for c in article.body.citations if c.text == "1-9")
    assert (citation.references, citation.ids, citation.line) == ((1,), ("B1", "B99"), 2)
    assert article.warnings == (
        Problem(2, "in-text", 'citation "1-9" names "B99", which is no reference of the list'),
    )


# --- very large tables ----------------------------------------------------------------------------


def with_table(table: bytes) -> bytes:
    """An article whose one section holds a paragraph and ``<table>`` (its inside given)."""
    return (
        b'<article article-type="research-article"><front><article-meta><title-group>'
        b"<article-title>T</article-title>"
        b"</title-group></article-meta></front><body><sec><title>Results</title><p>Text.</p>\n"
        b"<table-wrap><label>Table 1</label><table>" + table + b"</table></table-wrap>"
        b"</sec></body></article>"
    )


def test_a_ten_megabyte_table_reads_whole(tmp_path: Path) -> None:
    cell = b"<td>" + b"Tumour cells meet the immune system. " * 12 + b"</td>"
    row = b"<tr>" + cell * 4 + b"</tr>\n"
    count = TEN_MB // len(row)
    path = tmp_path / "large_table.nxml"
    path.write_bytes(with_table(b"<tbody>" + row * count + b"</tbody>"))
    assert TEN_MB < path.stat().st_size < opening.MAX_RECORD_BYTES
    article = read_article(path)
    assert article.body is not None
    [table] = article.body.tables
    assert (len(table.rows), {len(cells) for cells in table.rows}) == (count, {4})
    assert table.rows[-1][-1] == " ".join(["Tumour cells meet the immune system."] * 12)
    assert article.warnings == ()


def test_ten_megabytes_of_columns_do_not_lay_a_table_out_in_billions_of_cells() -> None:
    columns = b"<col/>" * (TEN_MB // len(b"<col/>"))
    rows = b'<tr><td colspan="99999999">wide</td></tr>' * 1000
    article = parse_jats(with_table(columns + b"<tbody>" + rows + b"</tbody>"))
    assert article.body is not None
    [table] = article.body.tables
    assert table.rows == (("wide",),) * 1000
    assert article.warnings == (
        Problem(
            2,
            "markup",
            f"Table 1 is 1,000 rows by {TEN_MB // 6:,} columns, more than the "
            f"{MAX_TABLE_CELLS:,} cells a table is laid out in: read row by row as written, its "
            "spans not repeated and its rows not padded",
        ),
    )


def test_one_very_wide_row_does_not_pad_every_other_row_to_its_width() -> None:
    wide = b"<tr>" + b"<td>w</td>" * 5_000 + b"</tr>"
    narrow = b'<tr><td rowspan="999999">n</td></tr>' * 1_000
    article = parse_jats(with_table(b"<tbody>" + wide + narrow + b"</tbody>"))
    assert article.body is not None
    [table] = article.body.tables
    assert [len(cells) for cells in table.rows] == [5_000] + [1] * 1_000
    [problem] = article.warnings
    assert (problem.line, problem.kind) == (2, "markup")
    assert problem.message.startswith("Table 1 is 1,001 rows by 5,000 columns, more than the")


def test_a_table_at_the_bound_is_laid_out_spans_repeated() -> None:
    width = 1_000
    rows = MAX_TABLE_CELLS // width
    header = b'<thead><tr><th colspan="1000">All</th></tr></thead>'
    body = b"<tbody>" + b"<tr><td>x</td></tr>" * (rows - 1) + b"</tbody>"
    article = parse_jats(with_table(b"<col/>" * width + header + body))
    assert article.body is not None
    [table] = article.body.tables
    assert table.columns == (("All",) * width,)
    assert table.rows[0] == ("x",) + ("",) * (width - 1)
    assert article.warnings == ()
