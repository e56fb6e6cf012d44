"""Find a quoted passage in a review's parsed text, as a W3C TextQuoteSelector would.

A review's text is split into named parts (``LOCATION`` kinds): its ``title``, its
``abstract``, each figure's title and caption (``figure:<label>``) and each section
(``section:<heading>``); a full text adds each section of its body by its title path
(``section:Immune evasion › Neutrophils``, paragraphs separated by blank lines; text before
the first heading is ``section:Body``), each table (``table:<label>``: title, caption, a line
per row with its cells joined by `` | ``, footnotes) and each box (``box:<label or title>``).

A `Quote` is found where its ``exact`` text occurs with ``prefix`` right before it and
``suffix`` right after it; it anchors only if that happens exactly once in the whole review,
so the same quote also picks one place on the PubMed page.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from reviewbook.model import BODY_PLACE, Article, Paragraph, TableFloat
from reviewbook.text import fold

TITLE = "title"
ABSTRACT = "abstract"
FIGURE = "figure:"
SECTION = "section:"
TABLE = "table:"
BOX = "box:"
LOCATION_PATTERN = r"^(title|abstract|figure:.+|section:.+|table:.+|box:.+)$"
"""The forms a claim's ``location`` may take (also in ``annotations.schema.json``)."""


@dataclass(frozen=True, slots=True)
class Quote:
    """The text a claim rests on, with optional context to make it unique."""

    exact: str
    prefix: str = ""
    suffix: str = ""


@dataclass(frozen=True, slots=True)
class Anchor:
    """Where a quote sits: a part of the review and character offsets into its text."""

    location: str
    start: int
    end: int


class QuoteNotFoundError(LookupError):
    """The quote (with its prefix and suffix) does not occur in the review."""


class AmbiguousQuoteError(LookupError):
    """The quote occurs more than once; ``anchors`` lists every occurrence."""

    def __init__(self, message: str, anchors: tuple[Anchor, ...]) -> None:
        super().__init__(message)
        self.anchors = anchors


def text_parts(article: Article) -> dict[str, str]:
    """The review's text by location, in page order; empty parts are left out.

    A figure's part is its title and caption on two lines. A repeated heading gets `` (2)``,
    `` (3)`` ... so every part keeps its own name. The page's parts come first
    (`page_parts`), then the full text's (`body_parts`).
    """
    parts = page_parts(article)
    return parts | body_parts(article, taken=frozenset(parts))


def page_parts(article: Article) -> dict[str, str]:
    """The parts a PubMed page or record has: title, abstract, figures, sections."""
    parts: dict[str, str] = {TITLE: article.title}
    if article.abstract:
        parts[ABSTRACT] = article.abstract
    for figure in article.figures:
        text = "\n".join(piece for piece in (figure.title, figure.caption) if piece)
        _add_part(parts, FIGURE + figure.label, text)
    for heading, text in article.sections:
        _add_part(parts, SECTION + heading, text)
    return parts


def body_parts(article: Article, taken: frozenset[str] = frozenset()) -> dict[str, str]:
    """The parts only a full text has (its body's sections, tables and boxes), named apart
    from the ``taken`` names; empty without a body."""
    parts: dict[str, str] = dict.fromkeys(taken, "")
    if article.body is not None:
        body = article.body
        _add_part(parts, SECTION + BODY_PLACE, _paragraphs_text(body.paragraphs))
        for section in body.walk():
            _add_part(parts, SECTION + section.place, _paragraphs_text(section.paragraphs))
        for table in body.tables:
            _add_part(parts, TABLE + (table.label or "Table"), table_text(table))
        for box in body.boxes:
            text = "\n\n".join(
                [_paragraphs_text(box.paragraphs), *(table_text(table) for table in box.tables)]
            )
            _add_part(parts, BOX + (box.label or box.title or "Box"), text.strip())
    return {name: text for name, text in parts.items() if name not in taken}


def table_text(table: TableFloat) -> str:
    """A table as one part's text: its title and caption, then a line per row, cells joined by
    `` | `` (as a citation's sentence joins a row of cells), then its footnotes."""
    rows = (" | ".join(cell for cell in row if cell) for row in (*table.columns, *table.rows))
    pieces = (table.title, table.caption, *rows, *table.footnotes)
    return "\n".join(piece for piece in pieces if piece)


def _paragraphs_text(paragraphs: Sequence[Paragraph]) -> str:
    return "\n\n".join(paragraph.text for paragraph in paragraphs)


def _add_part(parts: dict[str, str], location: str, text: str) -> None:
    """Add a non-empty part under ``location``, numbered if the name is taken."""
    if not text:
        return
    name, number = location, 1
    while name in parts:
        number += 1
        name = f"{location} ({number})"
    parts[name] = text


def find_quote(article: Article, quote: Quote) -> tuple[Anchor, ...]:
    """Every place in the review where the quote occurs with its prefix and suffix."""
    if not quote.exact:
        return ()
    anchors: list[Anchor] = []
    for location, text in text_parts(article).items():
        start = text.find(quote.exact)
        while start != -1:
            end = start + len(quote.exact)
            if text[:start].endswith(quote.prefix) and text.startswith(quote.suffix, end):
                anchors.append(Anchor(location, start, end))
            start = text.find(quote.exact, start + 1)
    return tuple(anchors)


def locate_quote(article: Article, quote: Quote) -> Anchor:
    """The one place the quote anchors to; raise if it is missing or ambiguous."""
    anchors = find_quote(article, quote)
    if len(anchors) == 1:
        return anchors[0]
    if not anchors:
        raise QuoteNotFoundError(f"quote not found: {quote.exact!r}")
    places = ", ".join(dict.fromkeys(anchor.location for anchor in anchors))
    raise AmbiguousQuoteError(f"quote occurs {len(anchors)} times (in {places})", anchors)


def near_miss(article: Article, quote: Quote) -> str | None:
    """The location where ``quote.exact`` occurs once quotes, dashes, space, case and accents
    are ignored (compared `fold`-ed, as the filters compare)."""
    wanted = fold(quote.exact)
    if not wanted:
        return None
    for location, text in text_parts(article).items():
        if wanted in fold(text):
            return location
    return None
