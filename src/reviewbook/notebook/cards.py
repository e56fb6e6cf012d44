"""HTML for reading a review in a notebook: a bibliographic card, a section's text, the reviews.

Every piece of text from a page is escaped; links are built only from identifiers.
"""

from __future__ import annotations

import re
from html import escape

from reviewbook.model import Article, cited_source, pmc_url
from reviewbook.notebook.html import Html, link_html, record_links
from reviewbook.sources.completion import reference_counts
from reviewbook.tables.completeness import extent_phrase, list_origin
from reviewbook.text import fold

_ADDRESS = re.compile(r"^https?://\S+$")

DECLARATION_HEADINGS: frozenset[str] = frozenset(
    fold(heading)
    for heading in (
        "Abbreviations",
        "Acknowledgements",
        "Authors’ contributions",
        "Authors’ information",
        "Availability of data and materials",
        "Competing interests",
        "Consent for publication",
        "Ethics approval and consent to participate",
        "Funding",
        "Publisher’s Note",
    )
)
"""The headings journals print inside an article's declarations (folded, as `fold` compares
text): a paragraph that is only one of them is shown as a heading."""


def bibliographic_card(article: Article) -> Html:
    """A card with title, authors, source, identifiers and links to PubMed and the DOI."""
    links = record_links(pmid=article.pmid, doi=article.doi)
    rows = [
        ("Authors", escape(article.authors_display or "not shown")),
        ("Source", escape(cited_source(article))),
        ("Published online", escape(article.epub_date or "not shown")),
        ("Article type", escape(", ".join(article.article_types) or "not shown")),
        ("PMID", link_html(links.get("PubMed"), article.pmid or "unknown")),
        ("DOI", link_html(links.get("DOI"), article.doi or "none printed")),
        ("PMCID", escape(article.pmcid or "none printed")),
        ("References", escape(_references_cell(article))),
        ("Figures on the page", str(len(article.figures))),
    ]
    if article.body is not None:
        rows[-1] = ("Figures", str(len(article.figures)))
        rows.append(("Full text", link_html(pmc_url(article.pmcid), "in the workbook (PMC)")))
    if article.license:
        shown = article.license if _ADDRESS.match(article.license) else None
        rows.append(("Licence", link_html(shown, article.license)))
    body = "".join(
        f'<tr><th style="text-align:left;padding-right:1em">{label}</th><td>{value}</td></tr>'
        for label, value in rows
    )
    markup = (
        '<div class="reviewbook-card" style="border:1px solid #ccc;padding:0.6em 1em;'
        'border-radius:6px;max-width:52em">'
        f'<div style="font-size:1.15em;font-weight:bold">{escape(article.title)}</div>'
        f"<table>{body}</table></div>"
    )
    summary = f"{article.first_author or 'Unknown'} ({article.year or 'n.d.'}) {article.title}"
    return Html(markup, summary)


def sections_html(article: Article, heading: str) -> Html:
    """The text of one page section (e.g. the declarations), paragraph by paragraph; the
    headings inside it (`DECLARATION_HEADINGS`) shown as headings."""
    texts = [text for name, text in article.sections if name == heading]
    paragraphs = [part for text in texts for part in text.split("\n\n") if part]
    markup = "".join(
        f'<h4 style="margin:0.8em 0 0.2em">{escape(part)}</h4>'
        if fold(part.strip()) in DECLARATION_HEADINGS
        else f"<p>{escape(part)}</p>"
        for part in paragraphs
    )
    markup = markup or "<p><em>absent</em></p>"
    return Html(
        f'<div class="reviewbook-section">{markup}</div>',
        f"{heading}: {len(paragraphs)} paragraphs",
    )


REVIEWS_TABLE_HEADINGS: tuple[str, ...] = (
    "First author",
    "Year",
    "Title",
    "Journal",
    "References",
    "Reference list from",
    "Links",
)


def reviews_table(articles: list[Article]) -> Html:
    """The workbook's reviews, one row each, linked to PubMed and to the publisher by DOI, with
    how much of each reference list the workbook has (``5 of at least 5``, ``all 49``)."""
    header = "".join(f"<th>{name}</th>" for name in REVIEWS_TABLE_HEADINGS)
    rows = []
    for article in articles:
        counts = reference_counts(article)
        link_texts = {"PubMed": f"PubMed {article.pmid}", "DOI": "DOI"}
        links = " · ".join(
            link_html(url, link_texts[label])
            for label, url in record_links(pmid=article.pmid, doi=article.doi).items()
        )
        cells = (
            escape(article.first_author or ""),
            escape(str(article.year or "")),
            escape(article.title),
            escape(article.journal or ""),
            escape(extent_phrase(counts)),
            escape(list_origin(counts)),
            links,
        )
        rows.append("<tr>" + "".join(f"<td>{cell}</td>" for cell in cells) + "</tr>")
    markup = (
        '<table class="reviewbook-reviews"><thead><tr>'
        + header
        + "</tr></thead><tbody>"
        + "".join(rows)
        + "</tbody></table>"
    )
    return Html(markup, f"{len(articles)} reviews")


def _references_cell(article: Article) -> str:
    """``5 of at least 5 (the saved page, which shows only the first 5)``, from the data."""
    counts = reference_counts(article)
    return f"{extent_phrase(counts)} ({list_origin(counts)})"
