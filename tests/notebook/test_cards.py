"""Cards and tables of a review as HTML: escaped page text, links built from identifiers."""

from __future__ import annotations

from dataclasses import replace

from reviewbook.model import Article
from reviewbook.notebook.cards import bibliographic_card, reviews_table, sections_html
from reviewbook.notebook.html import (
    Html,
    download_html,
    link_html,
    record_links,
    reference_links,
)
from tests.conftest import expected_article

JANSSEN = expected_article("29037250")
EREZ = expected_article("21387299")


def test_bibliographic_card_escapes_page_text_and_links_identifiers() -> None:
    hostile = replace(JANSSEN, title="<script>alert(1)</script>", authors_display="A & B")
    card = bibliographic_card(hostile)
    assert "<script>" not in card._repr_html_()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in card._repr_html_()
    assert "A &amp; B" in card._repr_html_()
    assert '<a href="https://doi.org/10.1186/s40425-017-0283-9"' in card._repr_html_()
    assert '<a href="https://pubmed.ncbi.nlm.nih.gov/29037250/"' in card._repr_html_()
    assert repr(card) == "Louise M E Janssen (2017) <script>alert(1)</script>"


def test_bibliographic_card_prints_the_nlm_source() -> None:
    card = bibliographic_card(JANSSEN)._repr_html_()
    assert "<td>J Immunother Cancer. 2017 Oct 17;5(1):79.</td>" in card


def test_card_of_an_article_without_identifiers_links_nothing() -> None:
    card = bibliographic_card(Article(pmid=None, title="Untitled"))._repr_html_()
    assert "<a " not in card
    assert "<td>unknown</td>" in card
    assert "<td>none printed</td>" in card


def test_reviews_table_lists_each_review_with_links() -> None:
    table = reviews_table([JANSSEN, EREZ])
    assert repr(table) == "2 reviews"
    assert table._repr_html_().count("<tr>") == 3
    assert "PubMed 21387299" in table._repr_html_()


def test_reviews_table_links_pubmed_then_the_doi() -> None:
    row = reviews_table([JANSSEN])._repr_html_()
    assert (
        '<td><a href="https://pubmed.ncbi.nlm.nih.gov/29037250/" target="_blank" '
        'rel="noopener">PubMed 29037250</a> · <a href="https://doi.org/10.1186/s40425-017-0283-9"'
        ' target="_blank" rel="noopener">DOI</a></td>'
    ) in row


def test_sections_html_shows_paragraphs_or_says_absent() -> None:
    declarations = sections_html(JANSSEN, "Conflict of interest statement")
    assert repr(declarations) == "Conflict of interest statement: 10 paragraphs"
    assert (
        '<h4 style="margin:0.8em 0 0.2em">Authors’ information</h4><p>Not applicable.</p>'
    ) in declarations._repr_html_()
    assert declarations._repr_html_().count("<h4") == 5
    assert "<em>absent</em>" in sections_html(EREZ, "Conflict of interest statement")._repr_html_()


# --- the shared markup ------------------------------------------------------------------------


def test_html_renders_its_markup_and_prints_its_summary() -> None:
    shown = Html("<b>bold</b>", "bold text")
    assert shown._repr_html_() == '<div class="mathjax_ignore tex2jax_ignore"><b>bold</b></div>'
    assert repr(shown) == "bold text"


def test_link_html_escapes_the_address_and_the_text() -> None:
    assert link_html('https://x/"><script>', "<i>") == (
        '<a href="https://x/&quot;&gt;&lt;script&gt;" target="_blank" rel="noopener">&lt;i&gt;</a>'
    )
    assert link_html(None, "A & B") == "A &amp; B"
    assert link_html("", "plain") == "plain"


def test_record_links_in_pubmed_doi_pmc_order_for_known_identifiers_only() -> None:
    assert record_links(pmcid="PMC1", doi="10.1/x", pmid="2") == {
        "PubMed": "https://pubmed.ncbi.nlm.nih.gov/2/",
        "DOI": "https://doi.org/10.1/x",
        "PMC": "https://pmc.ncbi.nlm.nih.gov/articles/PMC1/",
    }
    assert list(record_links(pmcid="PMC1", doi="10.1/x", pmid="2")) == ["PubMed", "DOI", "PMC"]
    assert record_links(pmid="", doi=None) == {}


def test_reference_links_search_by_title_for_links_the_page_offers_without_an_identifier() -> None:
    assert reference_links(offered={"PubMed", "PMC"}, title="Cancer & <metastasis>") == {
        "PubMed": "https://pubmed.ncbi.nlm.nih.gov/?term=Cancer+%26+%3Cmetastasis%3E",
        "PMC": "https://pmc.ncbi.nlm.nih.gov/search/?term=Cancer+%26+%3Cmetastasis%3E",
    }
    assert reference_links(pmid="2", doi="10.1/x", offered={"PubMed", "DOI"}, title="T") == {
        "PubMed": "https://pubmed.ncbi.nlm.nih.gov/2/",
        "DOI": "https://doi.org/10.1/x",
    }
    assert reference_links(offered={"PubMed"}, title=" ") == {}


def test_link_html_can_look_like_a_link_where_the_page_would_not() -> None:
    assert link_html("https://x/", "x", style="color:blue") == (
        '<a href="https://x/" target="_blank" rel="noopener" style="color:blue">x</a>'
    )


def test_download_html_carries_the_file_in_the_link() -> None:
    assert download_html("a,b\n", 'refs "1".csv', "text/csv", "Download <it>") == (
        '<a class="reviewbook-download" download="refs &quot;1&quot;.csv" '
        'href="data:text/csv;charset=utf-8;base64,YSxiCg==" '
        'style="color:var(--jp-content-link-color,#0969da);text-decoration:underline">'
        "Download &lt;it&gt;</a>"
    )


def test_card_says_how_much_of_the_reference_list_there_is() -> None:
    card = bibliographic_card(JANSSEN)._repr_html_()
    assert (
        '<tr><th style="text-align:left;padding-right:1em">References</th>'
        "<td>5 of at least 5 (the saved page, which shows only the first 5)</td></tr>"
    ) in card


def test_reviews_table_gives_each_reviews_share_of_its_reference_list() -> None:
    table = reviews_table([JANSSEN])._repr_html_()
    assert (
        "<th>First author</th><th>Year</th><th>Title</th><th>Journal</th><th>References</th>"
        "<th>Reference list from</th><th>Links</th>"
    ) in table
    assert (
        "<td>5 of at least 5</td><td>the saved page, which shows only the first 5</td>"
    ) in table
    whole = replace(
        JANSSEN, references=tuple(replace(ref, source="xml") for ref in JANSSEN.references)
    )
    assert (
        "<td>all 5</td><td>the PubMed record&#x27;s full reference list</td>"
        in reviews_table([whole])._repr_html_()
    )
