"""Read the reference list of a PMC full text (JATS ``<ref-list>``) into `Reference` records.

One `Reference` per ``<ref>``, in order, numbered from 1. A ``<ref>`` may hold its citation in
three ways, and all are read the same:

- ``<mixed-citation>``: the citation as printed, punctuation and all, with its parts tagged;
- ``<element-citation>``: the tagged parts only, no punctuation;
- ``<citation-alternatives>``: both, for one work.

``raw`` is the citation as printed, from the mixed citations (several in one ``<ref>``, the
lettered sub-references ``a)`` ``b)`` of some journals, are joined with a space). A citation
with no punctuation of its own (an element citation, or a mixed one that is tagged parts
only) is printed in NLM's style from its parts. The fields come from the tagged parts, of the
element citation when there is one; a citation whose parts are not tagged is read from its
printed text by `reviewbook.sources.citation.parse_citation`, as a printed reference list is.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace

from lxml import etree

from reviewbook.model import Reference
from reviewbook.sources.citation import (
    expand_page_range,
    initials_of,
    journal_key,
    parse_citation,
)
from reviewbook.sources.pubmed_xml import ID_LINKS

Element = etree._Element

CITATION_TAGS: frozenset[str] = frozenset(
    {"mixed-citation", "element-citation", "nlm-citation", "citation"}
)
"""Elements that hold one cited work's citation."""
PRINTED_TAGS: frozenset[str] = frozenset({"mixed-citation", "citation"})
"""Citation elements that carry the citation's punctuation, as printed."""
NAME_TAGS: frozenset[str] = frozenset({"name", "string-name"})
"""Elements that hold one person's name."""
LISTED_NAME_TAGS: frozenset[str] = NAME_TAGS | {"collab"}
"""Elements that each name one author of a list, persons or groups."""
PERSON_GROUP_ROLES: dict[str, str] = {"author": "authors", "editor": "editors"}
"""``person-group/@person-group-type`` values read, and the field each fills."""
PUB_ID_FIELDS: dict[str, str] = {"doi": "doi", "pmid": "pmid", "pmcid": "pmcid", "pmc": "pmcid"}
"""``pub-id/@pub-id-type`` values read, and the field each fills."""
TEXT_FIELDS: dict[str, str] = {
    "article-title": "article_title",
    "chapter-title": "chapter_title",
    "source": "source",
    "volume": "volume",
    "issue": "issue",
    "fpage": "fpage",
    "lpage": "lpage",
    "page-range": "page_range",
    "elocation-id": "elocation",
    "publisher-name": "publisher",
    "publisher-loc": "place",
    "edition": "edition",
}
"""Tagged parts of a citation read as text, and the `_Parts` field each fills (first wins)."""
LOCATOR_FIELDS: frozenset[str] = frozenset(
    {"volume", "issue", "fpage", "lpage", "page_range", "elocation"}
)
"""`_Parts` fields that locate the work in its source, read without the punctuation some
publishers tag with them (``<volume>;28</volume>``, ``<elocation-id>:392</elocation-id>``)."""
LOCATOR_EDGES = " .,;:()"
"""Punctuation stripped from both ends of a `LOCATOR_FIELDS` part."""
STYLE_TAGS: frozenset[str] = frozenset({"italic", "bold"})
"""Elements that set printed text in a style."""
PART_TAGS: tuple[str, ...] = (*NAME_TAGS, "collab", "etal", "year", "pub-id", *TEXT_FIELDS)
"""The elements `read_parts` reads (lxml passes over the others, the parts of a name)."""
_YEAR = re.compile(r"(?<!\d)\d{4}(?!\d)")
"""A year in a ``<year>`` part: ``2008`` in ``. 2008``, ``2024`` in ``2024a``."""
_ID_LABEL = re.compile(r"(?:\b(?:doi|pmid|pmcid|pmc|pubmed)\s*:?|doi\.org/)\s*$", re.IGNORECASE)
"""Text that prints the identifier after it (``doi: 10.1/x``, ``PMID: 123``): an identifier
without it is a link the publisher's page shows as a button, not printed text."""
KINDS: dict[str, str] = {"journal": "article-journal", "book": "book"}
"""``publication-type`` values and the `Reference.kind` each gives (a book with a chapter
title is a ``chapter``); other types are journal articles when they name a volume or pages."""
ETAL_TEXT = "et al."
"""What an empty ``<etal/>`` prints."""


@dataclass
class _Parts:
    """The tagged parts of one citation element."""

    publication_type: str | None = None
    authors: list[str] = field(default_factory=list)
    collective: list[str] = field(default_factory=list)
    editors: list[str] = field(default_factory=list)
    etal: bool = False
    article_title: str | None = None
    chapter_title: str | None = None
    source: str | None = None
    year: int | None = None
    volume: str | None = None
    issue: str | None = None
    fpage: str | None = None
    lpage: str | None = None
    page_range: str | None = None
    elocation: str | None = None
    publisher: str | None = None
    place: str | None = None
    edition: str | None = None
    ids: dict[str, str] = field(default_factory=dict)

    @property
    def tagged(self) -> bool:
        """Whether the citation tags enough to be read from its parts."""
        return bool(self.article_title or self.chapter_title or self.source)


def read_references(
    article: Element,
) -> tuple[tuple[Reference, ...], dict[str, int], tuple[int | None, ...]]:
    """Every ``<ref>`` of the article's reference lists, in order; each one's position by its
    id (and by the ids of its citation elements); and each one's source line."""
    references: list[Reference] = []
    positions: dict[str, int] = {}
    lines: list[int | None] = []
    for ref in _refs(article):
        index = len(references) + 1
        references.append(read_reference(ref, index))
        lines.append(ref.sourceline)
        for element in (ref, *ref.iter(*CITATION_TAGS)):
            if (identifier := element.get("id")) and identifier not in positions:
                positions[identifier] = index
    return tuple(references), positions, tuple(lines)


def _refs(article: Element) -> Iterator[Element]:
    """The ``<ref>`` children of every ``<ref-list>`` of the article's back matter (nested
    lists included), in document order."""
    for back in article.iterchildren("back"):
        for ref in back.iter("ref"):
            parent = ref.getparent()
            if parent is not None and parent.tag == "ref-list":
                yield ref


def read_reference(ref: Element, index: int) -> Reference:
    """One ``<ref>`` as a `Reference` numbered ``index``."""
    citations = list(ref.iter(*CITATION_TAGS))
    printed = [citation for citation in citations if citation.tag in PRINTED_TAGS]
    tagged = next((c for c in citations if c.tag not in PRINTED_TAGS), None)
    if tagged is None and printed:
        tagged = printed[0]
    parts = read_parts(tagged) if tagged is not None else _Parts()
    texts = [
        printed_citation(citation, parts if citation is tagged else None) for citation in printed
    ] or ([printed_citation(tagged, parts)] if tagged is not None else [])
    raw = " ".join(text for text in texts if text)
    if not parts.tagged and tagged is not None and (typeset := typeset_parts(tagged)):
        typeset.ids = parts.ids
        return _reference(typeset, index, raw)
    if not parts.tagged and raw:
        parsed = parse_citation(raw, index=index)
        identifiers = {
            name: parts.ids.get(name) or getattr(parsed, name) for name in ("doi", "pmid", "pmcid")
        }
        return replace(parsed, **identifiers, links=_links(identifiers), source="jats")
    return _reference(parts, index, raw)


def _reference(parts: _Parts, index: int, raw: str) -> Reference:
    """A reference from a citation's tagged parts."""
    kind = KINDS.get(parts.publication_type or "")
    if kind is None:
        has_place = parts.volume or parts.fpage or parts.page_range or parts.elocation
        kind = "article-journal" if parts.source and has_place else "unknown"
    if kind == "book" and (parts.chapter_title or parts.article_title):
        kind = "chapter"
    first_page, last_page = _pages(parts)
    journal = _unstopped(parts.source) if kind in ("article-journal", "unknown") else None
    title = _unstopped(
        parts.source if kind == "book" else parts.article_title or parts.chapter_title
    )
    identifiers = {name: parts.ids.get(name) for name in ("doi", "pmid", "pmcid")}
    return Reference(
        index=index,
        raw=raw,
        authors=tuple(parts.authors),
        title=title,
        journal=journal,
        journal_key=journal_key(journal) if journal else None,
        year=parts.year,
        volume=parts.volume,
        issue=parts.issue,
        first_page=first_page,
        last_page=last_page,
        **identifiers,
        links=_links(identifiers),
        kind=kind,
        publisher=parts.publisher,
        book_title=parts.source if kind == "chapter" else None,
        editors=tuple(parts.editors),
        place=parts.place,
        edition=parts.edition,
        elocator=parts.elocation,
        collective=tuple(parts.collective),
        source="jats",
    )


def _unstopped(text: str | None) -> str | None:
    """Text without its closing full stop, as `Reference` keeps titles and journals."""
    return text[:-1].rstrip() or None if text and text.endswith(".") else text


def _pages(parts: _Parts) -> tuple[str | None, str | None]:
    """First and last page: ``fpage``/``lpage``, else a ``page-range``, else the electronic
    location as first page (as `Reference.elocator` says)."""
    if parts.fpage:
        if parts.lpage:
            return expand_page_range(f"{parts.fpage}-{parts.lpage}")
        return parts.fpage, None
    if parts.page_range:
        return expand_page_range(parts.page_range.replace("\u2013", "-"))
    return parts.elocation, None


def _links(identifiers: dict[str, str | None]) -> frozenset[str]:
    return ID_LINKS[bool(identifiers["doi"]), bool(identifiers["pmcid"]), bool(identifiers["pmid"])]


# --- the tagged parts --------------------------------------------------------------------------


def read_parts(citation: Element) -> _Parts:
    """The tagged parts of a citation element, the first of each kind."""
    parts = _Parts(publication_type=citation.get("publication-type"))
    for child in citation.iter(*PART_TAGS):
        tag = child.tag
        if tag in NAME_TAGS:
            role = _role(child, citation)
            if role and (name := person_name(child)):
                getattr(parts, role).append(name)
        elif tag == "collab":
            role = _role(child, citation)
            if role == "authors" and (name := flat_text(child)):
                parts.authors.append(name)
                parts.collective.append(name)
        elif tag == "etal":
            parts.etal = True
        elif tag == "year":
            if parts.year is None and (year := _YEAR.search(flat_text(child))):
                parts.year = int(year.group())
        elif tag == "pub-id":
            name = PUB_ID_FIELDS.get((child.get("pub-id-type") or "").lower())
            if name and name not in parts.ids and (value := flat_text(child)):
                parts.ids[name] = _pmcid(value) if name == "pmcid" else value
        elif (name := TEXT_FIELDS.get(tag)) and getattr(parts, name) is None:
            text = flat_text(child)
            if name in LOCATOR_FIELDS:
                text = text.strip(LOCATOR_EDGES)
            setattr(parts, name, text or None)
    return parts


def _role(name: Element, citation: Element) -> str | None:
    """The field a name fills: its person group's role (``authors`` when untyped, or outside
    any group); None for a role not read, and for the second form of a ``name-alternatives``."""
    parent = name.getparent()
    alternative = parent is not None and parent.tag == "name-alternatives"
    if alternative and next(parent.iterchildren(*NAME_TAGS), None) is not name:  # type: ignore[union-attr]
        return None
    while parent is not None and parent is not citation:
        if parent.tag == "person-group":
            return PERSON_GROUP_ROLES.get(parent.get("person-group-type") or "author")
        parent = parent.getparent()
    return "authors"


def _pmcid(value: str) -> str:
    return value if value.upper().startswith("PMC") else f"PMC{value}"


TYPESET_AUTHORS_TITLE = re.compile(
    r"^(?P<authors>.+?(?:\bet al\.|\b[A-Z][a-z]?\.(?:[- ]?[A-Z]\.)*(?: [a-z]{1,3}\.)?))"
    r"\s+(?P<title>(?!et al\.)(?!&)(?![A-Z]\.)(?![a-z]{1,3}\.\s)\S.*)$"
)
"""Authors, then title, as an untagged citation prints them before its journal: names end at
``et al.`` or at a name's last initial (``Moraes, J. Z. d.``) followed by a word that is not
another initial, ``&`` or ``et al.``."""
TYPESET_YEAR = re.compile(r"\((?P<year>\d{4})[a-z]?\)")
"""The year in brackets after the journal: ``(2023)``."""
TYPESET_PAGES = re.compile(r"^[\s,.]*(?P<pages>[A-Za-z]?\d\w*(?:\s*[\u2013-]\s*[A-Za-z]?\d\w*)?)\s")
"""The pages or article number after the volume: ``311–319``, ``e009210``, ``218``."""
TYPESET_AUTHOR = re.compile(
    r"^(?P<surname>.+?), (?P<initials>(?:[A-Z][a-z]?\.[- ]?)+)(?: ?[a-z]{1,3}\.)?$"
)
"""One author as such a citation prints them: ``Dutta, S.``, ``Mejía-Guarnizo, L. V.``."""


def typeset_parts(citation: Element) -> _Parts | None:
    """The parts of an untagged citation printed in Nature's style, read from its typefaces:
    authors and title in roman, the journal in italic, the volume in bold, then the pages
    and the year in brackets (``Dutta, S. et al. Title. <italic>Biology</italic>
    <bold>12,</bold> 218 (2023).``); None when it is not printed so."""
    children = list(citation)
    journals = [child for child in children if child.tag == "italic"]
    if len(journals) != 1:
        return None
    journal = journals[0]
    position = children.index(journal)
    before = (citation.text or "") + "".join(
        flat_text(child) + (child.tail or "") for child in children[:position]
    )
    following = children[position + 1 :]
    after = (journal.tail or "") + "".join(flat_text(c) + (c.tail or "") for c in following)
    named = TYPESET_AUTHORS_TITLE.match(" ".join(before.split()))
    year = TYPESET_YEAR.search(after)
    if named is None or year is None:
        return None
    parts = _Parts(
        publication_type=citation.get("publication-type"),
        article_title=named["title"].strip(),
        source=" ".join(flat_text(journal).split()).strip(" ,") or None,
        year=int(year["year"]),
    )
    authors = named["authors"]
    if authors.endswith("et al."):
        parts.etal = True
        authors = authors.removesuffix("et al.").rstrip(" ,")
    for printed in re.split(r"(?<=\.),? & |(?<=\.), ", authors):
        author = TYPESET_AUTHOR.match(printed.strip())
        if author is None:
            return None
        initials = author["initials"].replace(".", "").replace("-", "").replace(" ", "")
        parts.authors.append(f"{author['surname']} {initials}")
    bold = next((child for child in following if child.tag == "bold"), None)
    if bold is not None:
        parts.volume = flat_text(bold).strip(LOCATOR_EDGES) or None
        rest = following[following.index(bold) + 1 :]
        located = (bold.tail or "") + "".join(flat_text(c) + (c.tail or "") for c in rest)
        if pages := TYPESET_PAGES.match(located):
            parts.page_range = pages["pages"]
    return parts


def person_name(element: Element) -> str | None:
    """A person as PubMed prints authors: ``Janssen LME`` (surname, initials, suffix); the
    name's own text when it tags no surname."""
    surname = element.find("surname")
    if surname is None:
        return flat_text(element) or None
    name = flat_text(surname)
    given = element.find("given-names")
    if given is not None:
        initials = given.get("initials")
        if initials is None:
            initials = initials_of(flat_text(given))
        if initials:
            name = f"{name} {initials}" if name else initials
    suffix = element.find("suffix")
    if suffix is not None and (printed := flat_text(suffix)):
        name = f"{name} {printed}" if name else printed
    return name or None


def flat_text(element: Element | None) -> str:
    """The element's text, markup dropped, white space collapsed."""
    if element is None:
        return ""
    if not len(element):  # most are leaves (a surname, a year): their text alone
        return " ".join((element.text or "").split())
    return " ".join("".join(element.itertext()).split())


# --- the citation as printed -------------------------------------------------------------------


def printed_citation(citation: Element, parts: _Parts | None = None) -> str:
    """The citation as printed: a mixed citation's text, with space and commas put back where a
    publisher tagged names without them (``<surname>Ribas</surname><given-names>A</given-names>``
    prints ``Ribas A``) and without the identifiers it tags but does not print (a PMID glued to
    ``(2016).``); a citation without punctuation of its own, printed from its parts (``parts``,
    when already read)."""
    if not _punctuated(citation):
        return composed_citation(parts or read_parts(citation)) or flat_text(citation)
    pieces: list[str] = []
    walker = etree.iterwalk(citation, events=("start", "end"))
    for event, node in walker:
        if node is citation:
            if event == "start":
                pieces.append(node.text or "")
            continue
        if event == "end":
            pieces.append(node.tail or "")
            continue
        if not isinstance(node.tag, str):
            walker.skip_subtree()
            continue
        previous = node.getprevious()
        if node.tag in LISTED_NAME_TAGS or node.tag == "etal":
            if (
                previous is not None
                and previous.tag in LISTED_NAME_TAGS
                and not (previous.tail or "").strip()
            ):
                pieces.append(", ")
            printed = _printed_name(node)
            if printed.endswith(".") and _text_after(node, citation).startswith("."):
                printed = printed[:-1]  # <etal/>. prints "et al.", not "et al.."
            pieces.append(printed)
            walker.skip_subtree()
        elif node.tag == "pub-id" and not _ID_LABEL.search("".join(pieces)):
            walker.skip_subtree()
        else:
            if _styled_after_other_style(node, previous):
                pieces.append(" ")  # <italic>Cancers</italic><bold>15</bold> prints "Cancers 15"
            pieces.append(node.text or "")
    return " ".join("".join(pieces).split()).rstrip(" ;,")


def _styled_after_other_style(node: Element, previous: Element | None) -> bool:
    """Whether ``node`` is set in one style right after a part set in another with nothing
    between, as some publishers tag a journal and its volume."""
    return (
        previous is not None
        and node.tag in STYLE_TAGS
        and previous.tag in STYLE_TAGS
        and previous.tag != node.tag
        and not previous.tail
        and bool(flat_text(previous))
        and flat_text(node)[:1].isalnum()
    )


def _text_after(node: Element, citation: Element) -> str:
    """The printed text right after ``node`` inside ``citation`` (after the groups it ends)."""
    while node is not citation:
        if (node.tail or "").strip():
            return node.tail.lstrip()  # type: ignore[union-attr]
        if node.getnext() is not None:
            return ""
        parent = node.getparent()
        if parent is None:
            return ""
        node = parent
    return ""


def _printed_name(node: Element) -> str:
    """A name as printed; its tagged parts spaced when printed without space between them."""
    if node.tag == "etal":
        return flat_text(node) or ETAL_TEXT
    if node.tag == "collab" or (node.text or "").strip():
        return flat_text(node)
    if all(not (child.tail or "").strip() for child in node):
        return " ".join(text for child in node if (text := flat_text(child)))
    return flat_text(node)


def _punctuated(citation: Element) -> bool:
    """Whether a citation element carries text of its own between its tagged parts."""
    if (citation.text or "").strip():
        return True
    return any((child.tail or "").strip() for child in citation)


def composed_citation(parts: _Parts) -> str:
    """A citation printed from its parts in NLM's style: ``Avery SV. Microbial cell
    individuality. Nat Rev Microbiol. 2006;4(8):577-587. doi: 10.1038/nrmicro1460``."""
    authors = ", ".join(parts.authors)
    if authors and parts.etal:
        authors += ", " + ETAL_TEXT
    title = parts.article_title or parts.chapter_title
    where = str(parts.year or "")
    if parts.volume:
        where += f";{parts.volume}"
        if parts.issue:
            where += f"({parts.issue})"
    pages = parts.page_range or "-".join(page for page in (parts.fpage, parts.lpage) if page)
    pages = pages or parts.elocation or ""
    if pages:
        where += f":{pages}"
    publisher = ": ".join(part for part in (parts.place, parts.publisher) if part)
    segments = [authors, title, parts.source, publisher, where]
    text = ". ".join(segment.rstrip(".") for segment in segments if segment)
    if text:
        text += "."
    if doi := parts.ids.get("doi"):
        text += f" doi: {doi}"
    return text.strip()
