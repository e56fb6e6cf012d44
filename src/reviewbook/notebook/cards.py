"""HTML for reading a review in a notebook: a bibliographic card, a sentence table.

Every piece of text from a page is escaped; links are built only from identifiers.
"""

from __future__ import annotations

import json
import os
import re
from html import escape
from pathlib import Path

import pandas as pd

from reviewbook.model import Article, doi_url
from reviewbook.text import split_sentences


class Html:
    """Markup that notebooks render as HTML and print as a one-line summary."""

    __slots__ = ("markup", "summary")

    def __init__(self, markup: str, summary: str) -> None:
        self.markup = markup
        self.summary = summary

    def _repr_html_(self) -> str:
        return self.markup

    def __repr__(self) -> str:
        return self.summary


def link_html(url: str | None, text: str) -> str:
    """Escaped text, inside an escaped link that opens in a new tab when there is an address."""
    if not url:
        return escape(text)
    return f'<a href="{escape(url)}" target="_blank" rel="noopener">{escape(text)}</a>'


def citation_text(article: Article) -> str:
    """The article's source in NLM form: ``J Immunother Cancer. 2017 Oct 17;5(1):79.``"""
    source = f"{article.journal or 'Unknown journal'}. {article.pub_date or article.year or 'n.d.'}"
    if article.volume:
        source += f";{article.volume}"
        if article.issue:
            source += f"({article.issue})"
    if article.pages:
        source += f":{article.pages}"
    return source + "."


def bibliographic_card(article: Article) -> Html:
    """A card with title, authors, source, identifiers and links to PubMed and the DOI."""
    rows = [
        ("Authors", escape(article.authors_display or "not shown")),
        ("Source", escape(citation_text(article))),
        ("Published online", escape(article.epub_date or "not shown")),
        ("Article type", escape(", ".join(article.article_types) or "not shown")),
        ("PMID", link_html(article.pubmed_url, article.pmid or "unknown")),
        ("DOI", link_html(doi_url(article.doi), article.doi or "none printed")),
        ("PMCID", escape(article.pmcid or "none printed")),
        ("References on the page", str(len(article.references))),
        ("Figures on the page", str(len(article.figures))),
    ]
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


def sentences_frame(text: str | None) -> pd.DataFrame:
    """One row per sentence of ``text``, numbered from 1, for reading it closely."""
    sentences = split_sentences(text or "")
    frame = pd.DataFrame(
        {"sentence": pd.array(sentences, dtype="string")},
        index=pd.RangeIndex(1, len(sentences) + 1, name="n"),
    )
    return frame


def figures_frame(article: Article) -> pd.DataFrame:
    """One row per figure: its label, title and caption, numbered from 1."""
    columns = {
        name: pd.array([getattr(figure, name) for figure in article.figures], dtype="string")
        for name in ("label", "title", "caption")
    }
    return pd.DataFrame(columns, index=pd.RangeIndex(1, len(article.figures) + 1, name="n"))


def sections_html(article: Article, heading: str) -> Html:
    """The text of one page section (e.g. the declarations), paragraph by paragraph."""
    texts = [text for name, text in article.sections if name == heading]
    paragraphs = [part for text in texts for part in text.split("\n\n") if part]
    markup = "".join(f"<p>{escape(part)}</p>" for part in paragraphs) or "<p><em>absent</em></p>"
    return Html(
        f'<div class="reviewbook-section">{markup}</div>',
        f"{heading}: {len(paragraphs)} paragraphs",
    )


def reviews_table(articles: list[Article]) -> Html:
    """The workbook's reviews, one row each, linked to PubMed and to the publisher by DOI."""
    header = "".join(
        f"<th>{name}</th>"
        for name in ("First author", "Year", "Title", "Journal", "References shown", "Links")
    )
    rows = []
    for article in articles:
        links = " · ".join(
            link
            for link in (
                link_html(article.pubmed_url, f"PubMed {article.pmid}") if article.pmid else "",
                link_html(doi_url(article.doi), "DOI") if article.doi else "",
            )
            if link
        )
        cells = (
            escape(article.first_author or ""),
            escape(str(article.year or "")),
            escape(article.title),
            escape(article.journal or ""),
            str(len(article.references)),
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


INDEX_PREFIX = "00_"
"""Notebooks named so are indexes, not listed by `notebook_index`."""
_EMPHASIS = re.compile(r"(?<!\\)\*(.+?)(?<!\\)\*")
_MARKDOWN_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")


def notebook_title(path: str | os.PathLike[str]) -> str:
    """The first level-1 heading of a notebook's Markdown cells (Markdown kept), or ``""``."""
    # Read as plain JSON: an .ipynb file is one, and nbformat takes seconds to import.
    with open(path, encoding="utf-8") as handle:
        cells = json.load(handle).get("cells", [])
    lines = (
        line
        for cell in cells
        if cell.get("cell_type") == "markdown"
        for line in "".join(cell.get("source", "")).splitlines()
    )
    return next((line[2:].strip() for line in lines if line.startswith("# ")), "")


def heading_html(markdown: str) -> str:
    """A one-line Markdown heading as HTML: text escaped, ``*emphasis*`` kept, escapes undone."""
    parts = _EMPHASIS.split(markdown)  # odd positions are the emphasised spans
    return "".join(
        f"<em>{_plain_html(part)}</em>" if number % 2 else _plain_html(part)
        for number, part in enumerate(parts)
    )


def _plain_html(markdown: str) -> str:
    return escape(_MARKDOWN_ESCAPE.sub(r"\1", markdown))


def notebook_index(folder: str | os.PathLike[str]) -> Html:
    """Links to the notebooks in ``folder`` with their titles, indexes (``00_*``) left out."""
    notebooks = sorted(
        path
        for path in Path(folder).glob("*.ipynb")
        if not path.name.startswith((INDEX_PREFIX, "."))
    )
    items = "".join(
        f'<li><a href="{escape(path.name)}">{escape(path.stem)}</a>: '
        f"{heading_html(notebook_title(path))}</li>"
        for path in notebooks
    )
    return Html(
        f'<ul class="reviewbook-notebooks">{items}</ul>',
        f"{len(notebooks)} notebooks: " + ", ".join(path.stem for path in notebooks),
    )
