"""The markup every view shares: an `Html` result, escaped links, a record's addresses.

Every piece of text is escaped here; addresses are built only from identifiers.
"""

from __future__ import annotations

import base64
from collections.abc import Collection, Mapping
from html import escape
from typing import Any
from urllib.parse import quote_plus

from reviewbook.model import doi_url, pmc_url, pubmed_url

SEARCH_URLS: dict[str, str] = {
    "PubMed": "https://pubmed.ncbi.nlm.nih.gov/?term={}",
    "PMC": "https://pmc.ncbi.nlm.nih.gov/search/?term={}",
}
"""Where to search for a reference the page links to (by label) without printing its
identifier: the address takes the reference's title."""
LINK_STYLE = "color:var(--jp-content-link-color,#0969da);text-decoration:underline"
"""How a link looks wherever JupyterLab's own styles for rendered HTML do not reach (widgets)."""
MATH_IGNORED = "mathjax_ignore tex2jax_ignore"
"""Classes inside which MathJax typesets nothing (``mathjax_ignore`` for MathJax 3, as JupyterLab,
ipywidgets and Sphinx run it; ``tex2jax_ignore`` for MathJax 2): record text holds ``$`` and
``\\(`` that are not mathematics."""
_MATH_FREE_START = f'<div class="{MATH_IGNORED}">'


class Html:
    """Markup that notebooks render as HTML and print as a one-line summary."""

    __slots__ = ("markup", "summary")

    def __init__(self, markup: str, summary: str) -> None:
        self.markup = markup
        self.summary = summary

    def _repr_html_(self) -> str:
        return math_free(self.markup)

    def __repr__(self) -> str:
        return self.summary


def math_free(markup: str) -> str:
    """``markup`` in a block MathJax leaves alone: every HTML output and widget value the
    package shows passes here, so no text of a record is ever typeset as mathematics."""
    if not markup or markup.startswith(_MATH_FREE_START):
        return markup
    return f"{_MATH_FREE_START}{markup}</div>"


def snapshot_bundle(view: Mapping[str, Any] | None, snapshot: str, line: str) -> dict[str, Any]:
    """A widget's display bundle: its ``view`` (ipywidgets' own bundle), with a static
    ``snapshot`` as HTML and one ``line`` of plain text.

    A kernel shows the live view; the notebook is saved without it
    (`reviewbook.workbook.notebooks.without_widget_views`), so until the cell runs again
    JupyterLab (trusted or not) and the website show the snapshot, which says it is one."""
    return {**(view or {}), "text/html": math_free(snapshot), "text/plain": line}


def link_html(url: str | None, text: str, *, style: str = "") -> str:
    """Escaped text, inside an escaped link that opens in a new tab when there is an address;
    ``style`` (e.g. `LINK_STYLE`) makes it look like a link where the page would not."""
    if not url:
        return escape(text)
    styled = f' style="{escape(style)}"' if style else ""
    return f'<a href="{escape(url)}" target="_blank" rel="noopener"{styled}>{escape(text)}</a>'


def record_links(
    *, pmid: str | None = None, doi: str | None = None, pmcid: str | None = None
) -> dict[str, str]:
    """The addresses of an article or reference by link label, for the identifiers it has, in
    the order ``PubMed``, ``DOI``, ``PMC``."""
    links = {"PubMed": pubmed_url(pmid), "DOI": doi_url(doi), "PMC": pmc_url(pmcid)}
    return {label: url for label, url in links.items() if url}


def reference_links(
    *,
    pmid: str | None = None,
    doi: str | None = None,
    pmcid: str | None = None,
    offered: Collection[str] = (),
    title: str = "",
) -> dict[str, str]:
    """`record_links`, plus a search by ``title`` for each link the page ``offered``
    (``PubMed``, ``PMC``) whose identifier it did not print, in the order PubMed, DOI, PMC."""
    known = record_links(pmid=pmid, doi=doi, pmcid=pmcid)
    searches = {
        label: address.format(quote_plus(title))
        for label, address in SEARCH_URLS.items()
        if label in offered and label not in known and title.strip()
    }
    links = {**known, **searches}
    return {label: links[label] for label in ("PubMed", "DOI", "PMC") if label in links}


def download_html(content: str, filename: str, media_type: str, text: str) -> str:
    """A link that hands ``content`` to the browser as a download named ``filename`` (the file
    travels inside the link, as a ``data:`` address, so it needs no server)."""
    encoded = base64.b64encode(content.encode("utf-8")).decode("ascii")
    return (
        f'<a class="reviewbook-download" download="{escape(filename)}" '
        f'href="data:{escape(media_type)};charset=utf-8;base64,{encoded}" '
        f'style="{LINK_STYLE}">{escape(text)}</a>'
    )
