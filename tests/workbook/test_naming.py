"""Names and text made from an article: authors, citation, notebook key and heading."""

from __future__ import annotations

from reviewbook.model import Article
from reviewbook.text import markdown_text
from reviewbook.workbook.index import heading_html
from reviewbook.workbook.naming import (
    nlm_name,
    notebook_heading,
    notebook_key,
    review_citation,
    surname,
)
from tests.conftest import expected_article

JANSSEN = expected_article("29037250")


def test_first_author_surname_in_pubmed_or_page_form() -> None:
    assert [surname(name) for name in ("Janssen LME", "Louise M E Janssen", "de Hoon MJ")] == [
        "Janssen",
        "Janssen",
        "de Hoon",
    ]
    assert surname("Smith J Jr") == "Smith"
    assert surname("Kowalczyk Ł") == "Kowalczyk"  # initials of any script, as exports read them
    assert nlm_name("Louise M E Janssen") == "Janssen LME"
    assert nlm_name("Janssen LME") == "Janssen LME"


def test_review_citation_is_nlm_style_with_the_full_publication_date() -> None:
    assert review_citation(JANSSEN) == (
        "Janssen LME et al. The immune system in cancer metastasis: friend or foe? "
        "J Immunother Cancer. 2017 Oct 17;5(1):79. doi:10.1186/s40425-017-0283-9"
    )


def test_review_citation_of_a_bare_record_names_what_is_missing() -> None:
    assert review_citation(Article(pmid="1", title="Record 1.")) == (
        "Record 1. Unknown journal. n.d."
    )


def test_notebook_key_is_ascii_author_year_and_three_title_words() -> None:
    article = Article(
        pmid="1",
        title="Ça va? The Über-study of T cells in metastasis.",
        authors_display="Núñez-O'Brien AB, Smith C, Jones D",
        year=2020,
    )
    assert notebook_key(article) == "nunezobrien2020_ca_va_uber"
    assert notebook_key(JANSSEN) == "janssen2017_immune_system_cancer"
    assert notebook_key(Article(pmid="1", title="")) == "anonymousnd_review"


def test_heading_escapes_markdown_in_article_text() -> None:
    article = Article(
        pmid="1", title="*Bold* claims_about [links] <b>x</b>.", authors_display="Smith J"
    )
    heading = notebook_heading(article)
    assert heading == r"Smith n.d.: *\*Bold\* claims\_about \[links\] \<b\>x\</b\>*"
    assert heading_html(heading) == (
        "Smith n.d.: <em>*Bold* claims_about [links] &lt;b&gt;x&lt;/b&gt;</em>"
    )
    assert markdown_text("a\n  $b$ | `c` & d") == r"a &#36;b&#36; \| \`c\` \& d"


def test_heading_shows_dollars_and_backslashes_as_text_never_as_mathematics() -> None:
    """``$x$`` and ``\\(x\\)`` in a title would be typeset by JupyterLab's and MyST's math
    finders, which run before Markdown's escapes: the heading holds character references."""
    article = Article(
        pmid="1", title="Cost $5 vs $10 and \\(x\\) of $$y$$.", authors_display="Li X"
    )
    heading = notebook_heading(article)
    assert heading == (
        '<span class="mathjax_ignore tex2jax_ignore">'
        "Li n.d.: *Cost &#36;5 vs &#36;10 and &#92;(x&#92;) of &#36;&#36;y&#36;&#36;*</span>"
    )
    assert heading_html(heading) == "Li n.d.: <em>Cost $5 vs $10 and \\(x\\) of $$y$$</em>"
