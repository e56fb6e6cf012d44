"""Read PubMed XML (E-utilities ``efetch``, ``db=pubmed``, ``retmode=xml``) into `Article` records.

A ``<PubmedArticleSet>`` holds any number of ``<PubmedArticle>`` (and ``<PubmedBookArticle>``)
records; each becomes one `Article`, with its ``<ReferenceList>`` read into `Reference` records
that carry the PMID, DOI and PMCID NCBI attaches to each cited work.

The XML is streamed (`iter_pubmed_xml`): lxml's ``iterparse`` hands over one record at a time,
which is read and then cleared and dropped from the tree with the records before it, so
memory stays flat however many records a file holds (PubMed's baseline files hold 30,000).
The parser neither resolves entities nor loads or fetches the DTD the file names; an entity
left unexpanded in a record's text is reported as a problem on it.

A record is read in one walk down the paths its fields sit at (`PATH_STEPS`, and one pass over
each ``<Reference>``), finding what ElementPath would, in the same order: an ElementPath query
starts again from the record for every field, and reading is most of what a corpus build
(`reviewbook.corpus`) spends its time on. The walk visits only elements on those paths, so a
record costs little more than its size, however small it is.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from itertools import product
from typing import Any

from lxml import etree

from reviewbook.errors import Problem, ReadError
from reviewbook.model import Article, Deletion, MeshHeading, Reference
from reviewbook.sources.citation import expand_page_range, page_range_problem, parse_citation
from reviewbook.sources.page_layout import MONTHS

Element = etree._Element


RECORD_TAGS: frozenset[str] = frozenset({"PubmedArticle", "PubmedBookArticle"})
"""Elements that each hold one PubMed record."""
DELETION_TAG = "DeleteCitation"
"""The element of an update file listing the PMIDs of records withdrawn since."""
ROOT_TAGS: frozenset[str] = frozenset({"PubmedArticleSet"}) | RECORD_TAGS
"""Root elements of a PubMed XML document (a lone record is accepted as well as a set)."""
SAFE_PARSER_OPTIONS: dict[str, Any] = {
    "resolve_entities": False,
    "no_network": True,
    "load_dtd": False,
    "huge_tree": False,
    "remove_comments": True,
    "remove_pis": True,
}
"""lxml parser options: no DTD loaded, no entity resolved, no network, libxml2's size limits."""
ROOT_SCAN_BYTES = 64 * 2**10
"""How much of the opening is parsed first to refuse XML that is not PubMed's before reading on."""

ARTICLE_ID_FIELDS: dict[str, str] = {"pubmed": "pmid", "doi": "doi", "pmc": "pmcid"}
"""``ArticleId/@IdType`` values and the record field each fills."""
ID_LINK_LABELS: dict[str, str] = {"doi": "DOI", "pmcid": "PMC", "pmid": "PubMed"}
"""The link label (see `reviewbook.model.LINK_LABELS`) an identifier stands for."""
ID_LINKS: dict[tuple[bool, ...], frozenset[str]] = {
    present: frozenset(
        label for label, there in zip(ID_LINK_LABELS.values(), present, strict=True) if there
    )
    for present in product((False, True), repeat=len(ID_LINK_LABELS))
}
"""A reference's links by which identifiers it has, in `ID_LINK_LABELS` order (DOI, PMCID,
PMID): made once and shared, not a new frozenset for every reference."""
NO_CITATION_TEXT: tuple[Problem, ...] = (Problem(None, "citation", "no citation text"),)
"""The warning of a ``<Reference>`` without citation text (its line added on the record)."""

# Paths inside one record, for journal articles and for books (``PubmedBookArticle``).
ARTICLE_PATHS: dict[str, str] = {
    "pmid": "MedlineCitation/PMID",
    "title": "MedlineCitation/Article/ArticleTitle",
    "types": "MedlineCitation/Article/PublicationTypeList/PublicationType",
    "journal": "MedlineCitation/MedlineJournalInfo/MedlineTA",
    "journal_iso": "MedlineCitation/Article/Journal/ISOAbbreviation",
    "journal_title": "MedlineCitation/Article/Journal/Title",
    "issue_node": "MedlineCitation/Article/Journal/JournalIssue",
    "pagination": "MedlineCitation/Article/Pagination",
    "elocation": "MedlineCitation/Article/ELocationID",
    "epub": "MedlineCitation/Article/ArticleDate",  # the first of DateType Electronic
    "authors": "MedlineCitation/Article/AuthorList/Author",
    "abstract": "MedlineCitation/Article/Abstract",
    "keywords": "MedlineCitation/KeywordList/Keyword",
    "mesh": "MedlineCitation/MeshHeadingList/MeshHeading",
    "ids": "PubmedData/ArticleIdList/ArticleId",
    "references": "PubmedData/ReferenceList",
}
ISSUE_PARTS: frozenset[str] = frozenset({"Volume", "Issue", "PubDate"})
"""Children of ``<JournalIssue>`` (or ``<Book>``) read into the record."""
BOOK_PATHS: dict[str, str] = {
    "pmid": "BookDocument/PMID",
    "title": "BookDocument/ArticleTitle",
    "book_title": "BookDocument/Book/BookTitle",
    "journal_title": "BookDocument/Book/BookTitle",
    "types": "BookDocument/PublicationType",
    "issue_node": "BookDocument/Book",
    "pagination": "BookDocument/Pagination",
    "elocation": "BookDocument/ELocationID",
    "authors": "BookDocument/AuthorList/Author",
    "abstract": "BookDocument/Abstract",
    "keywords": "BookDocument/KeywordList/Keyword",
    "ids": "PubmedBookData/ArticleIdList/ArticleId",
    "references": "BookDocument/ReferenceList",
}


def parse_pubmed_xml(data: bytes | str, *, source_path: str | None = None) -> list[Article]:
    """Every record of a PubMed XML document held in memory, in document order.

    Raises `ReadError` when the input is not well-formed XML, is an E-utilities error
    reply, or is XML of another kind; a record that lacks something becomes a warning on it.
    """
    raw = data.encode("utf-8") if isinstance(data, str) else data
    content = io.BufferedReader(io.BytesIO(raw), buffer_size=ROOT_SCAN_BYTES)  # type: ignore[arg-type]
    records = iter_pubmed_xml(
        content,
        source_path=source_path,
        sha256=hashlib.sha256(raw).hexdigest(),
        encoding="UTF-8" if isinstance(data, str) else None,
    )
    return list(records)


def iter_pubmed_xml(
    content: io.BufferedReader,
    *,
    source_path: str | None,
    sha256: str | None,
    encoding: str | None = None,
) -> Iterator[Article]:
    """The records of a PubMed XML stream, one at a time, in document order.

    ``encoding`` (a libxml2 name such as ``UTF-16LE``) overrides what the document declares.
    Raises `ReadError` as `parse_pubmed_xml` does: for XML that is not PubMed's, before any
    record; for XML that stops being well-formed, when the parser reaches that point.
    """
    entries = iter_pubmed_entries(
        content, source_path=source_path, sha256=sha256, encoding=encoding
    )
    return (entry for entry in entries if isinstance(entry, Article))


def iter_pubmed_entries(
    content: io.BufferedReader,
    *,
    source_path: str | None,
    sha256: str | None,
    encoding: str | None = None,
    citations: bool = True,
) -> Iterator[Article | Deletion]:
    """The records of a PubMed XML stream and, as `Deletion`s, the PMIDs its
    ``<DeleteCitation>`` withdraws (update files), one at a time, in document order.

    With ``citations=False`` each reference keeps its citation text (``raw``) and NCBI's
    identifiers but is not read as a citation (``kind`` ``unknown``): for bulk reading, where
    reading every citation would take most of the time.
    """
    _refuse_other_xml(content.peek(ROOT_SCAN_BYTES)[:ROOT_SCAN_BYTES], encoding, source_path)
    records = etree.iterparse(
        content,
        events=("end",),
        tag=RECORD_TAGS | {DELETION_TAG},
        encoding=encoding,
        **SAFE_PARSER_OPTIONS,
    )
    try:
        for _, record in records:
            if record.tag == DELETION_TAG:
                yield from _deletions(record, source_path)
            else:
                yield _read_record(
                    record, source_path=source_path, sha256=sha256, citations=citations
                )
            _forget(record)
    except etree.XMLSyntaxError as error:
        raise _not_well_formed(error, source_path) from None
    _refuse_root(records.root, source_path)


def safe_parser(encoding: str | None = None) -> etree.XMLParser:
    """An lxml parser that loads no DTD, resolves no entity and reaches no network."""
    return etree.XMLParser(encoding=encoding, **SAFE_PARSER_OPTIONS)


def _forget(record: Element) -> None:
    """Free a record that has been read: clear it, and drop from the tree everything before it,
    its elder siblings and those of each element it sits in (records wrapped in elements of
    their own would otherwise pile up, each wrapper holding its cleared record)."""
    record.clear(keep_tail=True)
    node, parent = record, record.getparent()
    while parent is not None:
        while node.getprevious() is not None:
            del parent[0]
        node, parent = parent, parent.getparent()


def _refuse_other_xml(head: bytes, encoding: str | None, path: str | None) -> None:
    """Raise for a document whose root, in its opening bytes, is not PubMed's.

    Openings that are not well-formed, or hold no root yet, are left to the streaming parse,
    which reports them where it meets them.
    """
    parser = etree.XMLPullParser(events=("start",), encoding=encoding, **SAFE_PARSER_OPTIONS)
    try:
        parser.feed(head)
    except etree.XMLSyntaxError:
        return
    root = next((element for _, element in parser.read_events()), None)
    if root is not None:
        _refuse_root(root, path)


def _refuse_root(root: Element | None, path: str | None) -> None:
    """Raise unless ``root`` is PubMed's, quoting an E-utilities error reply's messages."""
    if root is None or root.tag in ROOT_TAGS:
        return
    errors = [" ".join(node.itertext()).strip() for node in root.iter("ERROR")]
    if errors:
        raise ReadError(
            f"an E-utilities error reply, not records: {'; '.join(errors)}",
            path=path,
            line=root.sourceline,
        )
    raise ReadError(
        f"XML, but not PubMed XML: the root element is <{root.tag}>, not <PubmedArticleSet>",
        path=path,
        line=root.sourceline,
    )


def _not_well_formed(error: etree.XMLSyntaxError, path: str | None) -> ReadError:
    """The `ReadError` for a syntax error, from libxml2's latest error when it says more."""
    message, line = error.msg, error.lineno
    latest = error.error_log.last_error
    if not line and latest is not None:
        message, line = latest.message, latest.line
    return ReadError(f"not well-formed XML: {message}", path=path, line=max(line or 1, 1))


# --- one record ------------------------------------------------------------------------------


def _deletions(element: Element, source_path: str | None) -> Iterator[Deletion]:
    """One `Deletion` per ``<PMID>`` of a ``<DeleteCitation>``."""
    for pmid in element.iterfind("PMID"):
        if text := _flat_text(pmid):
            yield Deletion(pmid=text, line=pmid.sourceline, source_path=source_path)


NOTHING: list[Element] = []
"""No elements (shared: never changed)."""


@dataclass(frozen=True, slots=True)
class _PathStep:
    """One tag along the paths of a record's fields: the fields whose path ends at it, and the
    steps below it, by tag."""

    fields: tuple[str, ...]
    below: dict[str, _PathStep]


def path_steps(paths: dict[str, str]) -> dict[str, _PathStep]:
    """The paths of ``paths`` (field → ``A/B/C``) as a tree of steps from the record, by tag."""
    fields: dict[str, list[str]] = {}
    below: dict[str, dict[str, str]] = {}
    for name, path in paths.items():
        tag, _, rest = path.partition("/")
        if rest:
            below.setdefault(tag, {})[name] = rest
        else:
            fields.setdefault(tag, []).append(name)
    return {
        tag: _PathStep(tuple(fields.get(tag, ())), path_steps(below.get(tag, {})))
        for tag in fields.keys() | below.keys()
    }


PATH_STEPS: dict[str, dict[str, _PathStep]] = {
    "PubmedArticle": path_steps(ARTICLE_PATHS),
    "PubmedBookArticle": path_steps(BOOK_PATHS),
}
"""The paths of each kind of record's fields, as steps walked from the record."""


def elements_at_paths(record: Element) -> dict[str, list[Element]]:
    """Every element at each field's path of the record (`PATH_STEPS`), by field, in document
    order, as ElementPath finds them; found in one walk that enters only elements on a path."""
    found: dict[str, list[Element]] = {}
    _walk(record, PATH_STEPS[record.tag], found)
    return found


def _walk(node: Element, steps: dict[str, _PathStep], found: dict[str, list[Element]]) -> None:
    for child in node:
        step = steps.get(child.tag)
        if step is None:
            continue
        for name in step.fields:
            elements = found.get(name)
            if elements is None:
                found[name] = [child]
            else:
                elements.append(child)
        if step.below:
            _walk(child, step.below, found)


def _first(found: dict[str, list[Element]], name: str) -> Element | None:
    elements = found.get(name)
    return elements[0] if elements else None


def _first_text(found: dict[str, list[Element]], name: str) -> str | None:
    """The flattened text of the first element found for ``name`` (see `_flat_text`)."""
    elements = found.get(name)
    return _flat_text(elements[0]) if elements else None


def _texts(found: dict[str, list[Element]], name: str) -> tuple[str, ...]:
    """The flattened, non-empty texts of every element found for ``name``."""
    return tuple(text for element in found.get(name, NOTHING) if (text := _flat_text(element)))


def _read_record(
    record: Element, *, source_path: str | None, sha256: str | None, citations: bool = True
) -> Article:
    found = elements_at_paths(record)
    warnings = [
        Problem(entity.sourceline, "input", f"entity {entity.text} left as written: not expanded")
        for entity in record.iter(etree.Entity)
    ]
    pmid = _first_text(found, "pmid")
    title = _first_text(found, "title") or _first_text(found, "book_title")
    if not title:
        warnings.append(Problem(record.sourceline, "record", f"record {pmid or '?'} has no title"))
    issue_node = _first(found, "issue_node")
    issue = _first_children(issue_node, ISSUE_PARTS)
    date_node = issue.get("PubDate")
    if date_node is None and issue_node is not None:
        date_node = issue_node.find("JournalIssue/PubDate")
    pub_date = _date(date_node)
    elocations = found.get("elocation", NOTHING)
    pages = _pages(_first(found, "pagination"), elocations)
    first_page, last_page = expand_page_range(pages)
    if problem := page_range_problem(first_page, last_page):
        warnings.append(Problem(record.sourceline, "implausible", f"pagination: {problem}"))
    ids = _article_ids(found.get("ids", NOTHING))
    authors = tuple(
        name for author in found.get("authors", NOTHING) if (name := _author_name(author))
    )
    abstract = _first(found, "abstract")
    abstract_sections = _abstract_sections(abstract)
    references = _references(found.get("references", NOTHING), warnings, citations)
    return Article(
        pmid=pmid or ids.get("pmid"),
        title=title or "",
        article_types=tuple(dict.fromkeys(_texts(found, "types"))),
        journal=_first_text(found, "journal")
        or _first_text(found, "journal_iso")
        or _first_text(found, "journal_title"),
        pub_date=pub_date,
        year=_year(pub_date),
        volume=_flat_text_of(issue.get("Volume")),
        issue=_flat_text_of(issue.get("Issue")),
        pages=pages,
        first_page=first_page,
        last_page=last_page,
        doi=ids.get("doi") or _elocation(elocations, "doi"),
        epub_date=_date(_electronic_date(found.get("epub", NOTHING))),
        pmcid=ids.get("pmcid"),
        authors_display=", ".join(authors) or None,
        first_author=authors[0] if authors else None,
        abstract="\n\n".join(
            f"{label}: {text}" if label else text for label, text in abstract_sections
        )
        or None,
        abstract_sections=abstract_sections,
        keywords=_texts(found, "keywords"),
        mesh_headings=tuple(
            heading for element in found.get("mesh", NOTHING) if (heading := _mesh_heading(element))
        ),
        authors=authors,
        copyright=_text(abstract, "CopyrightInformation"),
        references=references,
        warnings=tuple(warnings),
        source_path=source_path,
        sha256=sha256,
    )


def _electronic_date(dates: list[Element]) -> Element | None:
    """The first ``ArticleDate`` of ``DateType="Electronic"``."""
    return next((date for date in dates if date.get("DateType") == "Electronic"), None)


def _references(
    lists: list[Element], warnings: list[Problem], citations: bool = True
) -> tuple[Reference, ...]:
    """Every ``<Reference>`` of the record's reference lists (nested lists included), in order."""
    references: list[Reference] = []
    for reference_list in lists:
        for element in reference_list.iter("Reference"):
            reference = _reference(element, index=len(references) + 1, citations=citations)
            references.append(reference)
            if reference.warnings:
                line = element.sourceline
                warnings.extend(replace(problem, line=line) for problem in reference.warnings)
    return tuple(references)


def _reference(element: Element, *, index: int, citations: bool = True) -> Reference:
    """One cited work: its citation text read like a printed one, NCBI's identifiers on top
    (without ``citations``, the text kept unread).

    The ``Reference``'s children are read in one pass: its first ``Citation``, and the
    ``ArticleId`` of every ``ArticleIdList``, as `_article_ids` takes them.
    """
    citation_node = None
    ids: dict[str, str] = {}
    for child in element:
        tag = child.tag
        if tag == "Citation":
            if citation_node is None:
                citation_node = child
        elif tag == "ArticleIdList":
            _add_article_ids(ids, child.iterchildren("ArticleId"))
    citation = _flat_text(citation_node) if citation_node is not None else None
    if not citations:
        pmid, doi, pmcid = ids.get("pmid"), ids.get("doi"), ids.get("pmcid")
        return Reference(
            index=index,
            raw=citation or "",
            kind="unknown",
            links=ID_LINKS[bool(doi), bool(pmcid), bool(pmid)],
            warnings=() if citation else NO_CITATION_TEXT,
            source="xml",
            pmid=pmid,
            doi=doi,
            pmcid=pmcid,
        )
    if citation:
        parsed = parse_citation(citation, index=index)
    else:
        parsed = Reference(index=index, raw="", kind="unknown", warnings=NO_CITATION_TEXT)
    identifiers = {
        field: ids.get(field) or getattr(parsed, field) for field in ARTICLE_ID_FIELDS.values()
    }
    links = frozenset(ID_LINK_LABELS[field] for field, value in identifiers.items() if value)
    return replace(parsed, **identifiers, links=parsed.links | links, source="xml")


# --- small readers ---------------------------------------------------------------------------


def _text(node: Element | None, tag: str) -> str | None:
    """The whitespace-normalised text of the first ``tag`` child (markup dropped)."""
    if node is None:
        return None
    return _flat_text_of(next(node.iterchildren(tag), None))


def _flat_text(element: Element) -> str | None:
    """The element's text with markup dropped and whitespace runs as one space."""
    text = element.text if len(element) == 0 else "".join(element.itertext())
    return " ".join(text.split()) or None if text else None


def _flat_text_of(element: Element | None) -> str | None:
    """`_flat_text` of an element that may be missing."""
    return _flat_text(element) if element is not None else None


def _first_children(node: Element | None, tags: frozenset[str]) -> dict[str, Element]:
    """The first child of each of ``tags`` under ``node``, by tag, in one pass."""
    found: dict[str, Element] = {}
    if node is not None:
        for child in node:
            tag = child.tag
            if tag in tags and tag not in found:
                found[tag] = child
    return found


def _article_ids(elements: list[Element]) -> dict[str, str]:
    """``{"pmid": ..., "doi": ..., "pmcid": ...}`` from ``ArticleId`` elements, first of each."""
    ids: dict[str, str] = {}
    _add_article_ids(ids, elements)
    return ids


def _add_article_ids(ids: dict[str, str], elements: Iterable[Element]) -> None:
    """Add to ``ids`` each field's first ``ArticleId`` with text that ``ids`` lacks."""
    for element in elements:
        field = ARTICLE_ID_FIELDS.get((element.get("IdType") or "").lower())
        if field and field not in ids and (text := _flat_text(element)):
            ids[field] = text


DATE_PARTS: frozenset[str] = frozenset({"MedlineDate", "Year", "Month", "Day", "Season"})
"""Children of a date element that make the date."""


def _date(node: Element | None) -> str | None:
    """``2017 Oct 17`` from ``Year``/``Month``/``Day`` children, or the ``MedlineDate`` text."""
    if node is None:
        return None
    parts = _first_children(node, DATE_PARTS)
    if medline_date := _flat_text_of(parts.get("MedlineDate")):
        return medline_date
    year, month, day = (_flat_text_of(parts.get(part)) for part in ("Year", "Month", "Day"))
    if month and month.isdecimal() and 1 <= int(month) <= len(MONTHS):
        month = MONTHS[int(month) - 1]
    season = _flat_text_of(parts.get("Season"))
    printed = (year, month or season, day.lstrip("0") if day else None)
    return " ".join(part for part in printed if part) or None


def _year(date: str | None) -> int | None:
    digits = date[:4] if date else ""
    return int(digits) if digits.isdecimal() else None  # "2¹17".isdigit(), but not int


PAGINATION_PARTS: frozenset[str] = frozenset({"MedlinePgn", "StartPage", "EndPage"})
"""Children of ``<Pagination>`` that give the pages."""


def _pages(pagination: Element | None, elocations: list[Element]) -> str | None:
    """``MedlinePgn``, else ``StartPage-EndPage``, else a non-DOI electronic location."""
    parts = _first_children(pagination, PAGINATION_PARTS)
    if medline_pages := _flat_text_of(parts.get("MedlinePgn")):
        return medline_pages
    start, end = _flat_text_of(parts.get("StartPage")), _flat_text_of(parts.get("EndPage"))
    if start:
        return f"{start}-{end}" if end else start
    return next(
        (_flat_text(location) for location in elocations if location.get("EIdType") != "doi"),
        None,
    )


def _elocation(elocations: list[Element], kind: str) -> str | None:
    return next(
        (_flat_text(location) for location in elocations if location.get("EIdType") == kind),
        None,
    )


def _author_name(author: Element) -> str | None:
    """``Janssen LME`` as PubMed prints authors (``LastName``, ``Initials``, ``Suffix``, the
    last of each); a group by its collective name."""
    last = initials = suffix = collective = None
    for child in author:
        tag = child.tag
        if tag == "LastName":
            last = child
        elif tag == "Initials":
            initials = child
        elif tag == "Suffix":
            suffix = child
        elif tag == "CollectiveName":
            collective = child
    if collective is not None and (name := _flat_text(collective)):
        return name
    names = [
        name for part in (last, initials, suffix) if part is not None and (name := _flat_text(part))
    ]
    return " ".join(names) or None


def _mesh_heading(element: Element) -> MeshHeading | None:
    """A ``<MeshHeading>``: its descriptor, qualifiers, and whether any is a major topic
    (``MajorTopicYN`` on the descriptor or a qualifier), read in one pass."""
    descriptor_node = None
    major = False
    qualifiers: list[str] = []
    for node in element:
        tag = node.tag
        if tag == "DescriptorName":
            if descriptor_node is None:
                descriptor_node = node
        elif tag == "QualifierName":
            if name := _flat_text(node):
                qualifiers.append(name)
        else:
            continue
        major = major or node.get("MajorTopicYN") == "Y"
    descriptor = _flat_text_of(descriptor_node)
    if not descriptor:
        return None
    return MeshHeading(descriptor=descriptor, major=major, qualifiers=tuple(qualifiers))


def _abstract_sections(abstract: Element | None) -> tuple[tuple[str, str], ...]:
    if abstract is None:
        return ()
    return tuple(
        (element.get("Label") or "", text)
        for element in abstract.iterchildren("AbstractText")
        if (text := _flat_text(element))
    )
