"""The markup every view shares: an `Html` result, escaped links, a record's addresses.

Every piece of text is escaped here; addresses are built only from identifiers.
"""

from __future__ import annotations

from html import escape

from reviewbook.model import doi_url, pmc_url, pubmed_url


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


def record_links(
    *, pmid: str | None = None, doi: str | None = None, pmcid: str | None = None
) -> dict[str, str]:
    """The addresses of an article or reference by link label, for the identifiers it has, in
    the order ``PubMed``, ``DOI``, ``PMC``."""
    links = {"PubMed": pubmed_url(pmid), "DOI": doi_url(doi), "PMC": pmc_url(pmcid)}
    return {label: url for label, url in links.items() if url}
