"""A review's full text in a notebook: its outline, its text with every in-text citation linked
to the reference it names, and the sentences that cite a reference.

The text is built passage by passage from the passage and the spans of its citations
(`Citation.start` and ``end`` index into the passage): the text between spans is escaped, each
span becomes a link to the reference's row of the list printed at the end of the same output.
Nothing is found by searching the text. Anchors carry the article's key (`article_key`), and a
section's text its number too, so the texts of several reviews, or sections of one, shown in
one notebook do not point into each other's lists.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Sequence
from html import escape

import pandas as pd

from reviewbook.model import (
    Article,
    Body,
    Box,
    Citation,
    Figure,
    Paragraph,
    Reference,
    Section,
    TableFloat,
)
from reviewbook.notebook.html import Html, link_html, record_links
from reviewbook.sources.jats import CAPTION_BREAK
from reviewbook.tables.filters import strings
from reviewbook.tables.fulltext import citations_frame, sections_frame
from reviewbook.text import ascii_key, fold

# --- knowledge: anchors, headings, looks ------------------------------------------------------

REFERENCE_ANCHOR = "ref-{article}-{position}"
"""The ``id`` of a reference's row in a full text's reference list: the article's key
(`article_key`; for the text of one section, the key and ``s`` with the section's number in
document order: ``41032705-s3``) and the reference's 1-based position."""
ANCHOR_UNSAFE = re.compile(r"[^A-Za-z0-9_-]+")
"""What an article key may not hold inside an ``id`` (every run becomes one ``-``)."""
HEADING_TAGS: dict[int, str] = {1: "h3", 2: "h4", 3: "h5"}
"""The HTML heading of a section by level (deeper levels take ``h6``)."""
BOX_STYLE = "border:1px solid #8c959f;border-radius:6px;padding:0.3em 1em;margin:1em 0"
"""How a box is set off from the running text."""
FLOAT_STYLE = "margin:1em 0;padding-left:0.8em;border-left:3px solid #d0d7de"
"""How a figure or table is set off from the running text."""
TABLE_STYLE = "border-collapse:collapse;font-size:90%"
CELL_STYLE = "border:1px solid #d0d7de;padding:2px 6px;text-align:left;vertical-align:top"
"""How a full text's table and its cells look, written on each: JupyterLab right-aligns cells
of rendered HTML, and drops ``<style>`` from the outputs of a notebook it does not trust."""
TARGET_STYLE = "<style>.reviewbook-references li:target{background:#fff8c5;color:#1f2328}</style>"
"""On a static page, the reference a citation's link jumps to is highlighted. (JupyterLab
keeps an ``id`` as ``data-jupyter-id`` and scrolls to it itself, without a target.)"""
CONTEXT_COLUMNS: tuple[str, ...] = ("section", "citation", "sentence")
"""`citation_contexts` columns: where, the citation as printed, the sentence carrying it."""
OPENING_TEXT = "Text before the first section"
"""How the outline and charts name the body's text before its first heading (its place in the
tables is `reviewbook.model.BODY_PLACE`)."""
NO_FULL_TEXT = "{name} has no full text here: only its record and reference list were read."
"""What the outline and the text say for an article without a body."""


def article_key(article: Article) -> str:
    """The article in an anchor: its PMID, else PMCID, else DOI, else its title's letters, with
    anything but ASCII letters, digits, ``_`` and ``-`` made ``-``."""
    name = article.pmid or article.pmcid or article.doi or ascii_key(article.title)[:40]
    return ANCHOR_UNSAFE.sub("-", name).strip("-") or "article"


def reference_anchor(article: Article, position: int) -> str:
    """The ``id`` of reference ``position`` in the list ending ``article``'s full text."""
    return REFERENCE_ANCHOR.format(article=article_key(article), position=position)


# --- the outline ------------------------------------------------------------------------------


def outline_html(article: Article) -> Html:
    """The sections as a nested list, each with its own citations and the references they name
    (`sections_frame`), then the boxes, figures and tables by label."""
    body = article.body
    if body is None:
        return _no_full_text(article)
    sections = sections_frame(article)
    citations = body.citations
    cited = {position for citation in citations for position in citation.references}
    summary = (
        f"{_count(len(list(body.walk())), 'section')}, "
        f"{_count(len(citations), 'citation')} of {_count(len(cited), 'reference')}"
    )
    floats = "".join(
        f"<p><b>{kind}:</b> {'; '.join(escape(name) for name in names)}</p>"
        for kind, names in _float_names(body).items()
        if names
    )
    markup = (
        '<div class="reviewbook-outline">'
        f"<p><b>{escape(summary)}</b></p>{_nested_list(sections)}{floats}</div>"
    )
    return Html(markup, summary)


def _nested_list(sections: pd.DataFrame) -> str:
    """The rows of a `sections_frame` as nested ``<ul>``s, by ``level``."""
    parts: list[str] = []
    depth = 0
    for row in sections.itertuples(index=False):
        level = max(int(row.level), 1)
        if level > depth:
            parts.append("<ul>" * (level - depth))
        else:
            parts.append("</li>" + "</ul></li>" * (depth - level))
        depth = level
        heading = (
            OPENING_TEXT
            if row.level == 0
            else " ".join(str(part) for part in (row.label, row.title) if not pd.isna(part))
        )
        cited = _count(int(row.references), "reference")
        counts = f"{_count(int(row.citations), 'citation')} of {cited}"
        parts.append(f"<li>{escape(heading)} <small>({escape(counts)})</small>")
    if depth:
        parts.append("</li>" + "</ul></li>" * (depth - 1) + "</ul>")
    return "".join(parts)


def _float_names(body: Body) -> dict[str, list[str]]:
    """The boxes, figures and tables of a body by kind, each by its label (or kind and number)
    and title for a box, with its count of citations."""
    boxes = [
        f"{_box_name(box, number)} ({_count(len(box.citations), 'citation')})"
        for number, box in enumerate(body.boxes, 1)
    ]
    floats: dict[str, list[str]] = {"Boxes": boxes}
    for kind, items in (("Figure", body.figures), ("Table", body.tables)):
        floats[f"{kind}s"] = [
            f"{item.label or f'{kind} {number}'} ({_count(len(item.citations), 'citation')})"
            for number, item in enumerate(items, 1)
        ]
    return floats


# --- the text ----------------------------------------------------------------------------------


def full_text_html(article: Article, section: str | None = None) -> Html:
    """The body section by section, then its figures, tables and boxes, then the references it
    cites; each in-text citation links to its reference's row, its ``title`` the reference as
    printed. ``section`` (a title, label or path, any case) shows that section alone, with its
    subsections; a name that is no section is a ``ValueError`` listing the sections."""
    body = article.body
    if body is None:
        return _no_full_text(article)
    if section is None:
        writer = _TextWriter(article, article_key(article))
        parts = [writer.paragraphs(body.paragraphs)]
        parts += [writer.section(top) for top in body.sections]
        parts += [writer.figure(figure, number) for number, figure in enumerate(body.figures, 1)]
        parts += [writer.table(table, number) for number, table in enumerate(body.tables, 1)]
        parts += [writer.box(box, number) for number, box in enumerate(body.boxes, 1)]
        positions = range(1, len(article.references) + 1)
        shown = f"{_count(len(list(body.walk())), 'section')}"
    else:
        chosen = find_section(body, section)
        number = next(n for n, found in enumerate(body.walk(), 1) if found is chosen)
        writer = _TextWriter(article, f"{article_key(article)}-s{number}")
        parts = [writer.section(chosen)]
        positions = sorted(writer.cited)
        shown = f"{chosen.place}: {_count(len(list(chosen.walk())), 'section')}"
    cited = _count(len(writer.cited), "reference")
    summary = f"{shown}, {_count(writer.citations, 'citation')} of {cited}"
    markup = (
        f'{TARGET_STYLE}<div class="reviewbook-fulltext" style="max-width:52em;'
        f'line-height:1.5">{"".join(parts)}{writer.reference_list(positions)}</div>'
    )
    return Html(markup, summary)


def find_section(body: Body, name: str) -> Section:
    """The section whose path, title or label is ``name`` (compared as `fold` does); a name
    that is no section, or the title of several, is a ``ValueError`` naming them."""
    wanted = fold(name)
    sections = list(body.walk())
    by_path = [section for section in sections if fold(section.place) == wanted]
    found = by_path or [
        section
        for section in sections
        if wanted in (fold(section.title), fold(section.label or ""))
    ]
    if len(found) == 1:
        return found[0]
    if found:
        paths = "; ".join(section.place for section in found)
        raise ValueError(f"{len(found)} sections are named {name!r}: give the path of one: {paths}")
    titles = "; ".join(section.place for section in sections)
    raise ValueError(f"no section is named {name!r}; the sections are: {titles}")


class _TextWriter:
    """Writes the passages of one article's body as HTML, linking each citation to its
    reference, and counts what it linked."""

    def __init__(self, article: Article, key: str) -> None:
        self.article = article
        self.key = key
        self.citations = 0
        self.cited: set[int] = set()

    # passages

    def passage(self, text: str, citations: Iterable[Citation]) -> str:
        """``text`` escaped, each citation's span (``start`` to ``end``) a link; a span the
        text cannot hold, or one overlapping the last, is left as text."""
        parts: list[str] = []
        cursor = 0
        for citation in sorted(citations, key=lambda citation: citation.start):
            if not cursor <= citation.start < citation.end <= len(text):
                continue
            parts.append(escape(text[cursor : citation.start]))
            parts.append(self.link(citation, text[citation.start : citation.end]))
            cursor = citation.end
        parts.append(escape(text[cursor:]))
        return "".join(parts)

    def link(self, citation: Citation, printed: str) -> str:
        """A citation as printed, linked to the row of its first reference; its ``title`` the
        references it names as printed in the list."""
        references = self.article.references
        positions = [p for p in citation.references if 1 <= p <= len(references)]
        self.citations += 1
        if not positions:
            return (
                '<span class="reviewbook-citation-unresolved" '
                f'title="names no reference of the list">{escape(printed)}</span>'
            )
        self.cited.update(positions)
        if len(positions) == 1:
            title = references[positions[0] - 1].raw
        else:
            title = "\n".join(f"{p}. {references[p - 1].raw}" for p in positions)
        anchor = REFERENCE_ANCHOR.format(article=self.key, position=positions[0])
        return (
            f'<a class="reviewbook-citation" href="#{anchor}" title="{escape(title)}">'
            f"{escape(printed)}</a>"
        )

    def paragraphs(self, paragraphs: Iterable[Paragraph]) -> str:
        return "".join(f"<p>{self.passage(p.text, p.citations)}</p>" for p in paragraphs)

    def caption(
        self, label: str, title: tuple[str, list[Citation]], caption: tuple[str, list[Citation]]
    ) -> str:
        """A float's ``<figcaption>``: its label in bold, leading its title (when it has one)
        and its caption's paragraphs (separated by `CAPTION_BREAK`), each a ``<p>``."""
        parts = [self.passage(*title)] if title[0] else []
        text, citations = caption
        for start, end in _paragraph_spans(text):
            inside = [
                _shifted(citation, -start)
                for citation in citations
                if start <= citation.start and citation.end <= end
            ]
            parts.append(self.passage(text[start:end], inside))
        lead = f"<b>{escape(label)}.</b>"
        parts[:1] = [f"{lead} {parts[0]}" if parts else lead]
        return "<figcaption>" + "".join(f"<p>{part}</p>" for part in parts) + "</figcaption>"

    # sections and floats

    def section(self, section: Section) -> str:
        """A section's heading, its paragraphs, then its subsections."""
        tag = HEADING_TAGS.get(section.level, "h6")
        heading = " ".join(part for part in (section.label, section.title) if part)
        return (
            f'<section class="reviewbook-section-text"><{tag}>{escape(heading)}</{tag}>'
            f"{self.paragraphs(section.paragraphs)}"
            + "".join(self.section(child) for child in section.sections)
            + "</section>"
        )

    def figure(self, figure: Figure, number: int) -> str:
        """A figure's label, title and caption (its image is not available offline)."""
        title, caption = _split_float_citations((figure.title, figure.caption), figure.citations)
        label = figure.label or f"Figure {number}"
        captions = self.caption(label, (figure.title, title), (figure.caption, caption))
        return f'<figure class="reviewbook-figure" style="{FLOAT_STYLE}">{captions}</figure>'

    def table(self, table: TableFloat, number: int) -> str:
        """A table: label, title, caption, its cells (header rows first), its footnotes."""
        in_cells: dict[tuple[int, int], list[Citation]] = {}
        for citation in table.citations:
            if citation.cell is not None:
                in_cells.setdefault(citation.cell, []).append(citation)
        others = [citation for citation in table.citations if citation.cell is None]
        passages = (table.title, table.caption, *table.footnotes)
        title, caption, *notes = _split_float_citations(passages, others)
        captions = self.caption(
            table.label or f"Table {number}", (table.title, title), (table.caption, caption)
        )
        head = "".join(
            self._row(cells, row, in_cells, "th") for row, cells in enumerate(table.columns)
        )
        rows = "".join(
            self._row(cells, row, in_cells, "td")
            for row, cells in enumerate(table.rows, start=len(table.columns))
        )
        footnotes = "".join(
            f"<p><small>{self.passage(text, cited)}</small></p>"
            for text, cited in zip(table.footnotes, notes, strict=True)
        )
        return (
            f'<figure class="reviewbook-table-float" style="{FLOAT_STYLE}">{captions}'
            f'<div style="overflow-x:auto"><table class="reviewbook-cells" style="{TABLE_STYLE}">'
            f"<thead>{head}</thead><tbody>{rows}</tbody></table></div>{footnotes}</figure>"
        )

    def _row(
        self,
        cells: tuple[str, ...],
        row: int,
        cited: dict[tuple[int, int], list[Citation]],
        tag: str,
    ) -> str:
        entries = "".join(
            f'<{tag} style="{CELL_STYLE}">'
            + self.passage(text, cited.get((row, column), ()))
            + f"</{tag}>"
            for column, text in enumerate(cells)
        )
        return f"<tr>{entries}</tr>"

    def box(self, box: Box, number: int) -> str:
        """A box set off by a border: its label and title, paragraphs and tables."""
        heading = _box_name(box, number)
        tables = "".join(
            self.table(table, position) for position, table in enumerate(box.tables, start=1)
        )
        image = "<p><i>(an image, not available offline)</i></p>" if box.graphic else ""
        return (
            f'<aside class="reviewbook-box" style="{BOX_STYLE}">'
            f'<p style="font-weight:bold">{escape(heading)}</p>'
            f"{self.paragraphs(box.paragraphs)}{tables}{image}</aside>"
        )

    # the references

    def reference_list(self, positions: Iterable[int]) -> str:
        """The references at ``positions``, numbered as in the list, each row the target of the
        citations naming it, with its PubMed and DOI links."""
        references = self.article.references
        items = "".join(
            f'<li id="{REFERENCE_ANCHOR.format(article=self.key, position=position)}" '
            f'value="{position}">{_reference_html(references[position - 1])}</li>'
            for position in positions
            if 1 <= position <= len(references)
        )
        if not items:
            return ""
        return (
            '<h3>References</h3><ol class="reviewbook-references" '
            f'style="font-size:90%">{items}</ol>'
        )


def _reference_html(reference: Reference) -> str:
    """A reference as printed, then its links."""
    links = record_links(pmid=reference.pmid, doi=reference.doi, pmcid=reference.pmcid)
    shown = " · ".join(link_html(url, label) for label, url in links.items())
    return escape(reference.raw) + (f" · {shown}" if shown else "")


def _paragraph_spans(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each paragraph of a caption, between `CAPTION_BREAK`s."""
    spans = []
    start = 0
    while True:
        end = text.find(CAPTION_BREAK, start)
        if end < 0:
            break
        spans.append((start, end))
        start = end + len(CAPTION_BREAK)
    spans.append((start, len(text)))
    return [(start, end) for start, end in spans if end > start]


def _shifted(citation: Citation, offset: int) -> Citation:
    return dataclasses.replace(citation, start=citation.start + offset, end=citation.end + offset)


def _split_float_citations(
    passages: Sequence[str], citations: Iterable[Citation]
) -> list[list[Citation]]:
    """The citations of each passage of a float (title, caption, footnotes), given in that
    order: a citation belongs to the first passage, from the last one used on, that prints it
    at its offsets after the citation before it. One that fits none is dropped."""
    found: list[list[Citation]] = [[] for _ in passages]
    current, cursor = 0, 0
    for citation in citations:
        for index in range(current, len(passages)):
            start = cursor if index == current else 0
            text = passages[index]
            if citation.start >= start and text[citation.start : citation.end] == citation.text:
                found[index].append(citation)
                current, cursor = index, citation.end
                break
    return found


# --- the sentences citing a reference ---------------------------------------------------------


def citation_contexts(article: Article, reference: int) -> pd.DataFrame:
    """Every sentence in which ``article`` cites its reference ``reference`` (1-based), in the
    order of `citations_frame`, with its section (or float) and the citation as printed;
    columns `CONTEXT_COLUMNS`. An article without a full text gives no row."""
    if not 1 <= reference <= len(article.references):
        raise ValueError(
            f"reference {reference} is not in the list of {len(article.references)} references"
        )
    return citing_sentences(citations_frame(article), reference)


def citing_sentences(
    citations: pd.DataFrame, reference: int, review: str | None = None
) -> pd.DataFrame:
    """The rows of a `citations_frame` citing ``reference``, one per sentence and place, with
    columns `CONTEXT_COLUMNS`; ``review`` (a PMID, ``""`` for a review without one) keeps only
    that review's citations."""
    chosen = citations["reference"].eq(reference).fillna(False).to_numpy(dtype=bool)
    if review is not None:
        chosen &= pd.Series(strings(citations, "review_pmid")).eq(review).to_numpy()
    rows = citations.loc[chosen, list(CONTEXT_COLUMNS)]
    return rows.drop_duplicates(["section", "sentence"]).reset_index(drop=True)


# --- helpers ----------------------------------------------------------------------------------


def _box_name(box: Box, number: int) -> str:
    """A box by its label and title as printed (``Box 1 Perspectives``), or as ``Box N``."""
    return " ".join(part for part in (box.label, box.title) if part) or f"Box {number}"


def _no_full_text(article: Article) -> Html:
    name = f"PMID {article.pmid}" if article.pmid else (article.title or "This article")
    sentence = NO_FULL_TEXT.format(name=name)
    return Html(f"<p><i>{escape(sentence)}</i></p>", sentence)


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" + ("" if number == 1 else "s")
