"""Read PMC full text (JATS XML, as PMC and Europe PMC give it) into `Article` records.

A full text is one ``<article>`` (or several in a ``<pmc-articleset>``). Its front matter gives
the bibliographic fields, as PubMed would print them (authors as ``Janssen LME``, dates as
``2017 Oct 17``); its ``<ref-list>`` the references (`reviewbook.sources.jats_references`);
its ``<body>`` (and ``<floats-group>``) a `Body`: nested sections of paragraphs, and the
figures, tables and boxes wherever they sit (a graphical abstract's image too, after the
body's floats).

Reading runs in three steps, each testable alone:

1. the reference list first, so that each reference id has its position;
2. the body, passage by passage: a passage (a paragraph, a caption, a table cell) is its text
   with markup dropped and white space collapsed, and the citation marks in it
   (``<xref ref-type="bibr">``) as `CitationMark`\\ s;
3. each passage's marks resolved to `Citation`\\ s (`reviewbook.sources.in_text`).

What the reader knows of JATS element names is kept in the tables below. What it meets and
cannot place becomes a `Problem` on the article, with its line: an element it does not know
(its text read as a paragraph), a citation naming no reference, a citation outside the text it
reads (in an abstract, an appendix), a table too large to lay out (`MAX_TABLE_CELLS`), an
article with no body text (no ``<body>``: ``body`` is None). Only input that is not JATS at all
raises `ReadError`.

The parser loads no DTD, resolves no entity and reaches no network
(`reviewbook.sources.pubmed_xml.SAFE_PARSER_OPTIONS`): the DOCTYPE PMC's files carry is read
offline. libxml2 refuses elements nested more than 256 deep, so a hostile document fails fast
as not well-formed; below that depth, the reader's own recursion (sections in sections, boxes
in paragraphs) stays well inside Python's limit.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import BinaryIO

from lxml import etree

from reviewbook.errors import Problem, ReadError
from reviewbook.model import (
    BODY_PLACE,
    PLACE_SEPARATOR,
    Article,
    Body,
    Box,
    Citation,
    Figure,
    Paragraph,
    Section,
    TableFloat,
)
from reviewbook.sources.citation import expand_page_range, page_range_problem
from reviewbook.sources.in_text import CitationMark, ReferenceIndex, resolve_citations
from reviewbook.sources.jats_references import flat_text, person_name, read_references
from reviewbook.sources.page_layout import MONTHS
from reviewbook.sources.pubmed_xml import SAFE_PARSER_OPTIONS, _not_well_formed

Element = etree._Element

# --- knowledge: element names and what they mean ----------------------------------------------

ARTICLE_TAG = "article"
"""The element of one full text."""
ROOT_TAGS: frozenset[str] = frozenset({ARTICLE_TAG, "pmc-articleset"})
"""Root elements of a full-text document: one article, or PMC's set of articles."""
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
ALI_LICENSE_REF = "{http://www.niso.org/schemas/ali/1.0/}license_ref"

ARTICLE_ID_FIELDS: dict[str, str] = {"pmid": "pmid", "doi": "doi", "pmcid": "pmcid", "pmc": "pmcid"}
"""``article-id/@pub-id-type`` values read, and the `Article` field each fills."""
JOURNAL_ID_TYPES: tuple[str, ...] = ("nlm-ta", "iso-abbrev")
"""``journal-id`` types tried in order for the journal's name; then ``journal-title``."""
PUB_DATE_CHOICE: tuple[tuple[str, bool], ...] = (
    ("ppub", False),
    ("collection", True),
    ("epub", False),
    ("collection", False),
)
"""Which ``pub-date`` gives ``pub_date``, first found: the print date; an issue's date when it
names a month; the electronic date; an issue's year. ``True`` asks for a month."""
OTHER_ABSTRACT_TYPES: frozenset[str] = frozenset(
    {"graphical", "teaser", "toc", "web-summary", "precis", "editor-summary"}
)
"""``abstract-type`` values of abstracts that are not the article's abstract: their text is not
read, their floats are (a graphical abstract's image is a figure or box of the article)."""

FLOAT_TAGS: frozenset[str] = frozenset(
    {"fig", "fig-group", "table-wrap", "table-wrap-group", "boxed-text"}
)
"""Elements read as floats (figures, tables, boxes) wherever they sit, even inside a
paragraph: they are not part of the paragraph's text."""
LIST_ITEMS: dict[str, str] = {"list": "list-item", "def-list": "def-item"}
"""Lists, and their items; a list at block level gives one paragraph per item."""
PARAGRAPH_TAGS: frozenset[str] = frozenset(
    {"p", "disp-formula", "preformat", "code", "speech", "verse-group", "array", "graphic"}
)
"""Block elements read as one paragraph each (an image alone gives none: it has no text)."""
CONTAINER_TAGS: frozenset[str] = frozenset({"disp-quote", "statement", "sec"})
"""Block elements whose children are read as blocks of the same place (a ``<sec>`` inside a
box; sections of the body are read as `Section`\\ s)."""
IGNORED_BLOCK_TAGS: frozenset[str] = frozenset(
    {"label", "title", "caption", "sec-meta", "ref-list", "alternatives", "media", "object-id"}
)
"""Block elements read elsewhere (headings, captions, references) or that carry no text."""
SUPPLEMENT_TAGS: frozenset[str] = frozenset({"supplementary-material"})
"""Blocks read as one paragraph of their caption: ``Additional file 1. Sample sizes ...``."""

BREAK_TAGS: frozenset[str] = frozenset(
    {
        "p",
        "list",
        "list-item",
        "def-list",
        "def-item",
        "term",
        "def",
        "label",
        "title",
        "break",
        "disp-formula",
        "disp-quote",
        "td",
        "th",
        "tr",
        "fn",
        "caption",
        "attrib",
        "statement",
    }
)
"""Elements inside a passage whose start and end separate words."""
SILENT_TAGS: frozenset[str] = frozenset(
    {"tex-math", "graphic", "inline-graphic", "media", "object-id", "private-char"}
)
"""Elements inside a passage that print no text (TeX source, images)."""
CITATION_REF_TYPE = "bibr"
"""``xref/@ref-type`` of a citation of the reference list."""

CAPTION_BREAK = "\n\n"
"""What separates the paragraphs of a caption in `Figure.caption` and `TableFloat.caption`."""
MAX_TABLE_CELLS = 1_000_000
"""The most cells a table is laid out in (its rows times its widest row or ``<col>`` count),
spans repeated and rows padded (see `TableFloat`); a real table holds a few thousand. A larger
one is read row by row as written, so that a few kilobytes of ``<col/>`` or of ``rowspan``
cannot ask for billions of cells."""


# --- public face --------------------------------------------------------------------------------


def parse_jats(
    data: bytes, *, source_path: str | None = None, sha256: str | None = None
) -> Article:
    """The one article of a full-text document held in memory.

    Raises `ReadError`, naming ``source_path`` and a line, for XML that is not well-formed, a
    root that is not ``<article>`` (or a ``<pmc-articleset>`` holding exactly one).
    """
    articles = list(
        iter_jats(
            io.BufferedReader(io.BytesIO(data)),  # type: ignore[arg-type]
            source_path=source_path,
            sha256=sha256 or hashlib.sha256(data).hexdigest(),
        )
    )
    if len(articles) != 1:
        raise ReadError(
            f"holds {len(articles)} articles, not one; iter_jats reads them all",
            path=source_path,
            line=1,
        )
    return articles[0]


def iter_jats(
    content: BinaryIO,
    *,
    source_path: str | None,
    sha256: str | None,
    encoding: str | None = None,
) -> Iterator[Article]:
    """The articles of a full-text stream, one at a time, in document order.

    Each ``<article>`` is read once the parser has reached its end, then dropped, so a set of
    many articles is read in the memory of one. ``encoding`` (a libxml2 name) overrides what
    the document declares. Raises `ReadError` as `parse_jats` does.
    """
    events = etree.iterparse(
        content,
        events=("start", "end"),
        tag=tuple(ROOT_TAGS),
        encoding=encoding,
        **SAFE_PARSER_OPTIONS,
    )
    try:
        for event, element in events:
            parent = element.getparent()
            if event == "start":
                if parent is not None:  # inside another element: refused unless in a set
                    _refuse_root(events.root, source_path)
                continue
            nested = parent is not None and parent.getparent() is not None
            if element.tag != ARTICLE_TAG or nested:
                continue  # an article set, or an article inside an article's text
            yield read_article_element(element, source_path=source_path, sha256=sha256)
            if parent is not None:
                element.clear(keep_tail=True)
                while element.getprevious() is not None:
                    del parent[0]
    except etree.XMLSyntaxError as error:
        raise _not_well_formed(error, source_path) from None
    _refuse_root(events.root, source_path)


def _refuse_root(root: Element | None, path: str | None) -> None:
    """Raise unless ``root`` is a full text's (an article or an article set)."""
    if root is None or root.tag in ROOT_TAGS:
        return
    raise ReadError(
        f"XML, but not PMC full text: the root element is <{root.tag}>, not <article>",
        path=path,
        line=root.sourceline,
    )


def read_article_element(
    article: Element, *, source_path: str | None = None, sha256: str | None = None
) -> Article:
    """One ``<article>`` element (parsed whole) as an `Article`, body and references read."""
    references, positions, lines = read_references(article)
    reader = _BodyReader(ReferenceIndex(positions=positions, count=len(references)))
    front = _front(article, reader.warnings)
    body = reader.read(article)
    if body is None or not _has_text(body):
        reader.warnings.append(_no_text_problem(article))
    reader.report_unread_citations(article)
    for reference, line in zip(references, lines, strict=True):
        reader.warnings.extend(replace(problem, line=line) for problem in reference.warnings)
    return Article(
        **front,
        figures=body.figures if body else (),
        references=references,
        warnings=tuple(reader.warnings),
        source_path=source_path,
        sha256=sha256,
        body=body,
    )


def _has_text(body: Body) -> bool:
    """Whether a body holds running text: a paragraph before its sections or in one."""
    return bool(body.paragraphs) or any(section.paragraphs for section in body.walk())


def _no_text_problem(article: Element) -> Problem:
    """The problem of an article with no body text: no ``<body>`` (an article PMC gives as
    front matter and references only), or one that holds no paragraph."""
    body = article.find("body")
    if body is None:
        return Problem(
            article.sourceline,
            "record",
            "no <body>: the file holds no body text, only front matter and references",
        )
    return Problem(body.sourceline, "record", "the <body> holds no paragraph of text")


# --- front matter -------------------------------------------------------------------------------


def _front(article: Element, warnings: list[Problem]) -> dict[str, object]:
    """The bibliographic fields of ``<front>``, as `Article` keyword arguments."""
    meta = article.find("front/article-meta")
    journal_meta = article.find("front/journal-meta")
    if meta is None:
        warnings.append(Problem(article.sourceline, "record", "no <article-meta>: no title"))
        return {"pmid": None, "title": "", "article_types": _types(article)}
    ids = _article_ids(meta)
    title = flat_text(meta.find("title-group/article-title"))
    if subtitle := flat_text(meta.find("title-group/subtitle")):
        title = f"{title}: {subtitle}"
    if not title:
        warnings.append(Problem(meta.sourceline, "record", "the article has no title"))
    dates = _pub_dates(meta)
    pub_date = _chosen_date(dates)
    pages = _pages(meta)
    first_page, last_page = expand_page_range(pages)
    if problem := page_range_problem(first_page, last_page):
        warnings.append(Problem(meta.sourceline, "implausible", f"pagination: {problem}"))
    authors = _authors(meta)
    sections = _abstract_sections(meta)
    permissions = meta.find("permissions")
    return {
        "pmid": ids.get("pmid"),
        "title": title,
        "article_types": _types(article),
        "journal": _journal(journal_meta),
        "pub_date": pub_date,
        "year": int(pub_date[:4]) if pub_date and pub_date[:4].isdecimal() else None,
        "volume": flat_text(meta.find("volume")) or None,
        "issue": flat_text(meta.find("issue")) or None,
        "pages": pages,
        "first_page": first_page,
        "last_page": last_page,
        "doi": ids.get("doi"),
        "epub_date": dates.get("epub", [None])[0],
        "pmcid": ids.get("pmcid"),
        "authors_display": ", ".join(authors) or None,
        "first_author": authors[0] if authors else None,
        "abstract": "\n\n".join(f"{label}: {text}" if label else text for label, text in sections)
        or None,
        "abstract_sections": sections,
        "keywords": tuple(
            dict.fromkeys(text for kwd in meta.iter("kwd") if (text := flat_text(kwd)))
        ),
        "authors": authors,
        "copyright": flat_text(permissions.find("copyright-statement")) or None
        if permissions is not None
        else None,
        "license": _license(permissions),
    }


def _types(article: Element) -> tuple[str, ...]:
    kind = article.get("article-type")
    return (kind,) if kind else ()


def _article_ids(meta: Element) -> dict[str, str]:
    """``pmid``, ``doi`` and ``pmcid`` (as ``PMC12311175``, however the file writes it)."""
    ids: dict[str, str] = {}
    for element in meta.iterchildren("article-id"):
        name = ARTICLE_ID_FIELDS.get(element.get("pub-id-type") or "")
        if name and name not in ids and (value := flat_text(element)):
            if name == "pmcid" and not value.upper().startswith("PMC"):
                value = f"PMC{value}"
            ids[name] = value
    return ids


def _journal(journal_meta: Element | None) -> str | None:
    """The journal's NLM abbreviation, else its ISO abbreviation, else its title."""
    if journal_meta is None:
        return None
    names = {
        element.get("journal-id-type"): flat_text(element)
        for element in reversed(journal_meta.findall("journal-id"))
    }
    for kind in JOURNAL_ID_TYPES:
        if names.get(kind):
            return names[kind]
    return flat_text(journal_meta.find(".//journal-title")) or None


def _pub_dates(meta: Element) -> dict[str, list[str]]:
    """Each ``pub-date`` as printed (``2017 Oct 17``), by kind (``ppub``, ``epub``,
    ``collection``...), in document order."""
    dates: dict[str, list[str]] = {}
    for element in meta.iterchildren("pub-date"):
        date_type = element.get("date-type")
        kind = element.get("pub-type") or (
            ("epub" if element.get("publication-format") == "electronic" else "ppub")
            if date_type == "pub"
            else date_type
        )
        if kind and (printed := _printed_date(element)):
            dates.setdefault(kind, []).append(printed)
    return dates


def _printed_date(element: Element) -> str | None:
    """``2017 Oct 17`` from ``year``, ``month``, ``day`` (or ``season``) children."""
    year, month, day, season = (
        flat_text(element.find(part)) for part in ("year", "month", "day", "season")
    )
    if month.isdecimal() and 1 <= int(month) <= len(MONTHS):
        month = MONTHS[int(month) - 1]
    printed = (year, month or season, day.lstrip("0") if day else "")
    return " ".join(part for part in printed if part) or None


def _chosen_date(dates: dict[str, list[str]]) -> str | None:
    """The publication date PubMed would print (`PUB_DATE_CHOICE`), else the first given."""
    for kind, needs_month in PUB_DATE_CHOICE:
        for printed in dates.get(kind, ()):
            if not needs_month or len(printed.split()) > 1:
                return printed
    return next((printed for found in dates.values() for printed in found), None)


def _pages(meta: Element) -> str | None:
    """``fpage-lpage`` (one page when both are the same), else the electronic location."""
    first, last = flat_text(meta.find("fpage")), flat_text(meta.find("lpage"))
    if first:
        return f"{first}-{last}" if last and last != first else first
    return flat_text(meta.find("elocation-id")) or None


def _authors(meta: Element) -> tuple[str, ...]:
    """Each author (``contrib-type="author"``) as ``Surname Initials``; a group by its name."""
    authors: list[str] = []
    for contrib in meta.iterfind("contrib-group/contrib"):
        if contrib.get("contrib-type", "author") != "author":
            continue
        for child in contrib:
            if child.tag in ("name", "string-name"):
                name = person_name(child)
            elif child.tag == "name-alternatives":
                first = next(child.iterchildren("name", "string-name"), None)
                name = person_name(first) if first is not None else None
            elif child.tag == "collab":
                name = flat_text(child) or None
            else:
                continue
            if name:
                authors.append(name)
                break
    return tuple(authors)


def _abstract_sections(meta: Element) -> tuple[tuple[str, str], ...]:
    """``(label, text)`` per paragraph of the article's abstract: a structured abstract's
    section titles as labels, ``""`` for plain paragraphs. Abstracts of `OTHER_ABSTRACT_TYPES`
    (a graphical abstract) are not read."""
    abstract = next(
        (
            element
            for element in meta.iterchildren("abstract")
            if element.get("abstract-type") not in OTHER_ABSTRACT_TYPES
        ),
        None,
    )
    if abstract is None:
        return ()
    sections: list[tuple[str, str]] = []
    for child in abstract:
        if child.tag == "sec":
            label = flat_text(child.find("title"))
            text = " ".join(text for p in child.iter("p") if (text := _passage_text(p)))
            if text:
                sections.append((label, text))
        elif child.tag == "p" and (text := _passage_text(child)):
            sections.append(("", text))
    return tuple(sections)


def _passage_text(element: Element) -> str:
    """A passage's text alone, floats left out (for abstracts, which carry no citations read)."""
    return _Passage.read(element).text


def _license(permissions: Element | None) -> str | None:
    """The licence's address (``<ali:license_ref>``, else ``license/@xlink:href``), else its
    text."""
    if permissions is None:
        return None
    for license_element in permissions.iterchildren("license"):
        for reference in license_element.iter(ALI_LICENSE_REF):
            if text := flat_text(reference):
                return text
        if href := (license_element.get(XLINK_HREF) or "").strip():
            return href
        if text := flat_text(license_element):
            return text
    return None


# --- passages: text with citation marks ---------------------------------------------------------


@dataclass
class _Passage:
    """A passage's text as it is built, white space collapsed as it goes, and its citation marks.

    White space that is only a line break between a tag and a citation mark is layout, not a
    word space (``<sup>[</sup>\\n<xref>...</xref>\\n<sup>]</sup>`` prints ``[1]``): it is
    dropped next to a mark; any other white space is one space.
    """

    parts: list[str] = field(default_factory=list)
    length: int = 0
    space: str = ""
    """The white space waiting to be written before the next word: ``""``, ``" "``, or
    ``"\\n"`` for a line break standing alone between tags."""
    after_mark: bool = False
    marks: list[CitationMark] = field(default_factory=list)
    floats: list[Element] = field(default_factory=list)
    """Floats met inside the passage, in order, to be read on their own."""
    cited: list[Element] = field(default_factory=list)
    """The citation elements turned into marks."""
    entities: list[Element] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(self.parts)

    def add(self, text: str | None) -> None:
        """Add text, its white space collapsed."""
        if not text:
            return
        words = " ".join(text.split())
        if not words:
            if self.space != " ":
                self.space = "\n" if "\n" in text else " "
            return
        if text[0].isspace():
            self.space = " "
        self._write(words, mark=False)
        if text[-1].isspace():
            self.space = " "

    def separate(self) -> None:
        """Separate what comes next from what came before (a block boundary)."""
        self.space = " "

    def add_mark(self, element: Element) -> None:
        """Add a citation element's printed text as a mark."""
        printed = flat_text(element)
        if not printed:
            printed = element.get("rid", "").strip() or "?"
        start = self._write(printed, mark=True)
        self.marks.append(
            CitationMark(
                start=start,
                end=self.length,
                ids=tuple((element.get("rid") or "").split()),
                line=element.sourceline,
            )
        )
        self.cited.append(element)
        self.after_mark = True

    def _write(self, words: str, *, mark: bool) -> int:
        """Write ``words`` after the waiting white space; where they start."""
        if self.space and self.length and not (self.space == "\n" and (mark or self.after_mark)):
            self.parts.append(" ")
            self.length += 1
        self.space = ""
        self.after_mark = False
        start = self.length
        self.parts.append(words)
        self.length += len(words)
        return start

    @classmethod
    def read(cls, element: Element) -> _Passage:
        """The passage of ``element``: its text, marks, and the floats inside it."""
        passage = cls()
        walker = etree.iterwalk(element, events=("start", "end"))
        for event, node in walker:
            tag = node.tag
            if node is element:
                if event == "start":
                    passage.add(node.text)
                continue
            if event == "end":
                if tag in BREAK_TAGS:
                    passage.separate()
                passage.add(node.tail)
                continue
            if not isinstance(tag, str):
                if tag is etree.Entity:
                    passage.entities.append(node)
                    passage.add(node.text)
                walker.skip_subtree()
                continue
            if tag in FLOAT_TAGS:
                passage.floats.append(node)
                passage.separate()
                walker.skip_subtree()
            elif tag == "xref" and node.get("ref-type") == CITATION_REF_TYPE:
                passage.add_mark(node)
                walker.skip_subtree()
            elif tag in SILENT_TAGS:
                walker.skip_subtree()
            else:
                if tag in BREAK_TAGS:
                    passage.separate()
                passage.add(node.text)
        return passage


# --- the body -----------------------------------------------------------------------------------


@dataclass
class _Caption:
    """A float's caption read: its title and its paragraphs (joined by blank lines), each with
    its citations."""

    title: str = ""
    title_citations: tuple[Citation, ...] = ()
    text: str = ""
    text_citations: tuple[Citation, ...] = ()

    @property
    def citations(self) -> tuple[Citation, ...]:
        return (*self.title_citations, *self.text_citations)

    def cited_parts(self) -> tuple[Paragraph, ...]:
        """The title and the text, each as a paragraph when it holds citations: how a box keeps
        the citations of its caption."""
        parts = ((self.title, self.title_citations), (self.text, self.text_citations))
        return tuple(Paragraph(text, cited) for text, cited in parts if cited)


class _BodyReader:
    """Reads one article's body, collecting floats and problems as it goes."""

    def __init__(self, index: ReferenceIndex) -> None:
        self.index = index
        self.warnings: list[Problem] = []
        self.figures: list[Figure] = []
        self.tables: list[TableFloat] = []
        self.boxes: list[Box] = []
        self.cited: set[Element] = set()
        self.box_count = 0

    def read(self, article: Element) -> Body | None:
        """The body, the floats of ``<floats-group>``, then a graphical abstract's; None when
        the article has neither a body nor a floats group."""
        body = article.find("body")
        floats = article.find("floats-group")
        if body is None and floats is None:
            return None
        paragraphs: list[Paragraph] = []
        sections: list[Section] = []
        if body is not None:
            for child in body:
                if child.tag == "sec":
                    sections.append(self._section(child, (), len(sections) + 1))
                else:
                    self._block(child, BODY_PLACE, paragraphs)
        if floats is not None:
            for child in floats:
                if isinstance(child.tag, str):
                    self._float(child, paragraphs)
        self._other_abstract_floats(article)
        return Body(
            sections=tuple(sections),
            paragraphs=tuple(paragraphs),
            figures=tuple(self.figures),
            tables=tuple(self.tables),
            boxes=tuple(self.boxes),
        )

    def _other_abstract_floats(self, article: Element) -> None:
        """The floats of a graphical (or other, `OTHER_ABSTRACT_TYPES`) abstract, after the
        body's: its image in a box, titled by the abstract's text when it has no title."""
        for abstract in article.iterfind("front/article-meta/abstract"):
            if abstract.get("abstract-type") not in OTHER_ABSTRACT_TYPES:
                continue
            text = " ".join(found for p in abstract.iter("p") if (found := _passage_text(p)))
            first_box = len(self.boxes)
            for element in _outermost(abstract, FLOAT_TAGS):
                self._float(element, [])
            self.boxes[first_box:] = [
                box if box.title else replace(box, title=text) for box in self.boxes[first_box:]
            ]

    def report_unread_citations(self, article: Element) -> None:
        """A problem for each citation element the body's text did not hold (in an abstract,
        back matter, a title), naming where it is."""
        for xref in article.iter("xref"):
            if xref.get("ref-type") != CITATION_REF_TYPE or xref in self.cited:
                continue
            where = next((a.tag for a in xref.iterancestors() if a.tag in _REGIONS), "the article")
            self.warnings.append(
                Problem(
                    xref.sourceline,
                    "in-text",
                    f'citation "{flat_text(xref)}" in <{where}> is outside the text read: '
                    "not resolved",
                )
            )

    # sections and blocks

    def _section(self, sec: Element, parent_path: tuple[str, ...], number: int) -> Section:
        label = flat_text(sec.find("label")) or None
        title = flat_text(sec.find("title"))
        path = (*parent_path, title or label or f"Section {number}")
        place = PLACE_SEPARATOR.join(path)
        paragraphs: list[Paragraph] = []
        sections: list[Section] = []
        for child in sec:
            if child.tag == "sec":
                sections.append(self._section(child, path, len(sections) + 1))
            else:
                self._block(child, place, paragraphs)
        return Section(
            title=title,
            label=label,
            paragraphs=tuple(paragraphs),
            sections=tuple(sections),
            path=path,
            line=sec.sourceline,
        )

    def _block(
        self,
        element: Element,
        place: str,
        paragraphs: list[Paragraph],
        box_tables: list[TableFloat] | None = None,
    ) -> None:
        """Read one block-level element into ``paragraphs`` (or as a float)."""
        tag = element.tag
        if not isinstance(tag, str) or tag in IGNORED_BLOCK_TAGS:
            return
        if tag in FLOAT_TAGS:
            self._float(element, paragraphs, box_tables, place)
        elif tag in LIST_ITEMS:
            for item in element.iterchildren(LIST_ITEMS[tag]):
                self._paragraph(item, place, paragraphs, box_tables)
        elif tag in PARAGRAPH_TAGS:
            self._paragraph(element, place, paragraphs, box_tables)
        elif tag in CONTAINER_TAGS:
            for child in element:
                self._block(child, place, paragraphs, box_tables)
        elif tag in SUPPLEMENT_TAGS:
            caption = element.find("caption")
            if caption is not None:
                self._paragraph(caption, place, paragraphs, box_tables)
        else:
            text = flat_text(element)
            self.warnings.append(
                Problem(
                    element.sourceline,
                    "markup",
                    f"<{tag}> in {place} is not an element the reader knows"
                    + (": its text is read as a paragraph" if text else ": it holds no text"),
                )
            )
            if text:
                self._paragraph(element, place, paragraphs, box_tables)

    def _paragraph(
        self,
        element: Element,
        place: str,
        paragraphs: list[Paragraph],
        box_tables: list[TableFloat] | None = None,
    ) -> None:
        """One passage as a paragraph of ``place``, then the floats found inside it."""
        passage = self._passage(element)
        if passage.text:
            citations = self._resolve(passage, place)
            paragraphs.append(
                Paragraph(text=passage.text, citations=citations, line=element.sourceline)
            )
        for float_element in passage.floats:
            self._float(float_element, paragraphs, box_tables, place)

    def _passage(self, element: Element) -> _Passage:
        passage = _Passage.read(element)
        self.cited.update(passage.cited)
        for entity in passage.entities:
            self.warnings.append(
                Problem(entity.sourceline, "input", f"entity {entity.text} left as written")
            )
        return passage

    def _resolve(self, passage: _Passage, place: str) -> tuple[Citation, ...]:
        citations, problems = resolve_citations(
            passage.text, passage.marks, self.index, place=place
        )
        self.warnings.extend(problems)
        return citations

    # floats

    def _float(
        self,
        element: Element,
        paragraphs: list[Paragraph],
        box_tables: list[TableFloat] | None = None,
        place: str = BODY_PLACE,
    ) -> None:
        """A figure, table or box, kept with the others of its kind (a table in a box, with its
        box's); groups of floats are read float by float."""
        tag = element.tag
        if tag == "fig":
            self.figures.append(self._figure(element))
        elif tag == "table-wrap":
            if box_tables is None:
                self.tables.append(self._table(element, len(self.tables) + 1, ""))
            else:
                table = self._table(element, len(box_tables) + 1, place + PLACE_SEPARATOR)
                box_tables.append(table)
        elif tag == "boxed-text":
            self._box(element)
        elif tag in ("fig-group", "table-wrap-group"):
            for child in element:
                if child.tag in FLOAT_TAGS:
                    self._float(child, paragraphs, box_tables, place)
        else:
            self._block(element, place, paragraphs, box_tables)

    def _caption(self, element: Element, place: str) -> _Caption:
        """A float's ``<caption>``: title, paragraphs separated by blank lines, citations (the
        caption's offsets shifted into the joined text)."""
        caption = _Caption()
        node = element.find("caption")
        if node is None:
            return caption
        texts: list[str] = []
        citations: list[Citation] = []
        offset = 0
        for child in node:
            if not isinstance(child.tag, str):
                continue
            passage = self._passage(child)
            if child.tag == "title":
                caption.title = passage.text
                caption.title_citations = self._resolve(passage, place)
            elif passage.text:
                citations.extend(
                    replace(citation, start=citation.start + offset, end=citation.end + offset)
                    for citation in self._resolve(passage, place)
                )
                texts.append(passage.text)
                offset += len(passage.text) + len(CAPTION_BREAK)
        caption.text = CAPTION_BREAK.join(texts)
        caption.text_citations = tuple(citations)
        return caption

    def _figure(self, element: Element) -> Figure:
        label = _label(element)
        place = label or f"Figure {len(self.figures) + 1}"
        caption = self._caption(element, place)
        graphic = next(
            (href for node in element.iter("graphic") if (href := node.get(XLINK_HREF))), None
        )
        return Figure(
            label=label,
            title=caption.title,
            caption=caption.text,
            graphic=graphic,
            citations=caption.citations,
        )

    def _box(self, element: Element) -> None:
        self.box_count += 1
        label = _label(element)
        place = label or f"Box {self.box_count}"
        position = len(self.boxes)  # boxes inside this one are read first, but come after it
        caption = self._caption(element, place)
        paragraphs: list[Paragraph] = []
        tables: list[TableFloat] = []
        graphic = None
        for child in element:
            if child.tag == "graphic":
                graphic = graphic or child.get(XLINK_HREF)
            else:
                self._block(child, place, paragraphs, tables)
        box = Box(
            label=label,
            title=caption.title or caption.text,
            paragraphs=(*caption.cited_parts(), *paragraphs),
            tables=tuple(tables),
            graphic=graphic,
            line=element.sourceline,
        )
        self.boxes.insert(position, box)

    def _table(self, element: Element, number: int, prefix: str) -> TableFloat:
        label = _label(element)
        place = prefix + (label or f"Table {number}")
        caption = self._caption(element, place)
        citations = list(caption.citations)
        table = element.find("table")
        if table is None:
            table = element.find("alternatives/table")
        columns: list[tuple[str, ...]] = []
        rows: list[tuple[str, ...]] = []
        if table is not None:
            columns, rows = self._cells(table, place, citations)
        footnotes: list[str] = []
        for foot in element.iterchildren("table-wrap-foot"):
            for note in _footnote_elements(foot):
                passage = self._passage(note)
                if passage.text:
                    footnotes.append(passage.text)
                    citations.extend(self._resolve(passage, place))
        return TableFloat(
            label=label,
            title=caption.title,
            caption=caption.text,
            columns=tuple(columns),
            rows=tuple(rows),
            footnotes=tuple(footnotes),
            citations=tuple(citations),
            line=element.sourceline,
        )

    def _cells(
        self, table: Element, place: str, citations: list[Citation]
    ) -> tuple[list[tuple[str, ...]], list[tuple[str, ...]]]:
        """Header rows and body rows of a ``<table>``, spans repeated (see `TableFloat`), and
        each cell's citations added to ``citations`` with the cell they are in; a table past
        `MAX_TABLE_CELLS` row by row as written, with a problem saying so."""
        groups: list[tuple[bool, list[Element]]] = []
        for child in table:
            if child.tag in ("thead", "tbody", "tfoot"):
                groups.append((child.tag == "thead", list(child.iterchildren("tr"))))
            elif child.tag == "tr":
                groups.append((False, [child]))
        if groups and not any(header for header, _ in groups):
            first_rows = groups[0][1]
            leading = 0
            while leading < len(first_rows) and _all_header_cells(first_rows[leading]):
                leading += 1
            if leading and (leading < len(first_rows) or len(groups) > 1):
                groups[0:1] = [(True, first_rows[:leading]), (False, first_rows[leading:])]
        grid: list[tuple[bool, list[str]]] = []
        cell_citations: list[Citation] = []
        table_width = max(
            len(table.findall(".//col")),
            *(len(row.findall("td") + row.findall("th")) for _, rows in groups for row in rows),
            1,
        )
        row_count = sum(len(rows) for _, rows in groups)
        laid_out = row_count * table_width <= MAX_TABLE_CELLS
        if not laid_out:
            self.warnings.append(
                Problem(
                    table.sourceline,
                    "markup",
                    f"{place} is {row_count:,} rows by {table_width:,} columns, more than "
                    f"the {MAX_TABLE_CELLS:,} cells a table is laid out in: read row by row as "
                    "written, its spans not repeated and its rows not padded",
                )
            )
        for header, group_rows in groups:
            spanned: dict[int, tuple[str, int]] = {}
            for position, row in enumerate(group_rows):
                cells: list[str] = []
                row_citations: list[Citation] = []
                bare: list[bool] = []
                for cell in row.iterchildren("td", "th"):
                    while len(cells) in spanned:
                        cells.append(_take_span(spanned, len(cells)))
                    passage = self._passage(cell)
                    column = len(cells)
                    found = self._resolve(passage, place)
                    row_citations.extend(
                        replace(citation, cell=(len(grid), column)) for citation in found
                    )
                    bare.extend([_only_citations(passage)] * len(found))
                    width = _span(cell.get("colspan"), max(1, table_width - column))
                    height = _span(cell.get("rowspan"), len(group_rows) - position)
                    if not laid_out:
                        width = height = 1
                    for offset in range(width):
                        cells.append(passage.text)
                        if height > 1:
                            spanned[column + offset] = (passage.text, height - 1)
                while spanned and max(spanned) >= len(cells):
                    cells.append(_take_span(spanned, len(cells)) if len(cells) in spanned else "")
                row_text = _row_text(cells)
                cell_citations.extend(
                    replace(citation, sentence=row_text) if only else citation
                    for citation, only in zip(row_citations, bare, strict=True)
                )
                grid.append((header, cells))
        width = max((len(cells) for _, cells in grid), default=0) if laid_out else 0
        order = [row for row, (header, _) in enumerate(grid) if header]
        order += [row for row, (header, _) in enumerate(grid) if not header]
        renumbered = {old: new for new, old in enumerate(order)}
        citations.extend(
            replace(citation, cell=(renumbered[citation.cell[0]], citation.cell[1]))
            if citation.cell
            else citation
            for citation in cell_citations
        )
        columns = [_padded(grid[row][1], width) for row in order if grid[row][0]]
        rows = [_padded(grid[row][1], width) for row in order if not grid[row][0]]
        return columns, rows


_REGIONS: frozenset[str] = frozenset(
    {"abstract", "trans-abstract", "title-group", "back", "app", "ack", "notes", "fn-group"}
)
"""Where a citation outside the body may be, named in its problem (else ``the article``)."""


def _outermost(element: Element, tags: frozenset[str]) -> Iterator[Element]:
    """The elements of ``tags`` inside ``element`` that are inside no other of them, in order."""
    walker = etree.iterwalk(element, events=("start",))
    for _, node in walker:
        if node is not element and node.tag in tags:
            yield node
            walker.skip_subtree()


def _label(element: Element) -> str:
    """A float's label as printed, without a closing full stop or colon: ``Table 1``."""
    return flat_text(element.find("label")).rstrip(".:").strip()


def _footnote_elements(foot: Element) -> Iterator[Element]:
    """The footnotes of a ``<table-wrap-foot>``: its paragraphs and ``<fn>``s, in order."""
    for child in foot:
        if child.tag == "fn-group":
            yield from child.iterchildren("fn")
        elif child.tag in ("p", "fn", "attrib"):
            yield child


def _all_header_cells(row: Element) -> bool:
    cells = list(row.iterchildren("td", "th"))
    return bool(cells) and all(cell.tag == "th" for cell in cells)


def _span(value: str | None, most: int) -> int:
    """A ``colspan``/``rowspan`` as a count from 1 to ``most`` (the columns left in the table,
    the rows left in its group); 1 when not a number."""
    if not value or not value.strip().isdecimal():
        return 1
    return max(1, min(int(value), most))


def _take_span(spanned: dict[int, tuple[str, int]], column: int) -> str:
    """The text of the cell spanning down into ``column``, one row of its span used."""
    text, remaining = spanned[column]
    if remaining > 1:
        spanned[column] = (text, remaining - 1)
    else:
        del spanned[column]
    return text


def _padded(cells: list[str], width: int) -> tuple[str, ...]:
    return (*cells, *[""] * (width - len(cells)))


def _row_text(cells: list[str]) -> str:
    """A row as one line: its non-empty cells joined by `` | ``, a cell spanning several
    columns once."""
    shown: list[str] = []
    for text in cells:
        if text and (not shown or shown[-1] != text):
            shown.append(text)
    return " | ".join(shown)


def _only_citations(passage: _Passage) -> bool:
    """Whether a passage holds nothing but its citation marks (and brackets, commas, dashes)."""
    text = passage.text
    covered = sum(mark.end - mark.start for mark in passage.marks)
    rest = len(text) - covered
    if rest > 8:
        return False
    kept = list(text)
    for mark in passage.marks:
        kept[mark.start : mark.end] = [" "] * (mark.end - mark.start)
    return not any(character.isalnum() for character in kept)
