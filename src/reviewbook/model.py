"""The records every part of reviewbook speaks: articles, their figures and references, and
the body of a full text with its in-text citations."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from reviewbook.errors import Problem

PMID_PATTERN = re.compile(r"[1-9][0-9]{0,8}")
"""A PubMed identifier: 1 to 9 ASCII digits, no leading zero."""

LINK_LABELS: tuple[str, ...] = ("DOI", "PMC", "PubMed")
"""Link labels PubMed prints after a reference, in the page's order."""


NOTICE_KINDS: tuple[str, ...] = (
    "Erratum in",
    "Erratum for",
    "Comment in",
    "Comment on",
    "Retraction in",
    "Retraction of",
    "Partial retraction in",
    "Partial retraction of",
    "Retracted and republished in",
    "Retracted and republished from",
    "Expression of concern in",
    "Expression of concern for",
    "Corrected and republished in",
    "Corrected and republished from",
    "Republished in",
    "Republished from",
    "Update in",
    "Update of",
    "Reprint in",
    "Reprint of",
    "Summary for patients in",
    "Original report in",
)
"""The labels PubMed prints before a linked notice (``Erratum in: Lancet. 2005;...``)."""

REVIEW_TYPES: frozenset[str] = frozenset(
    {
        "Review",
        "Systematic Review",
        "Meta-Analysis",
        "Network Meta-Analysis",
        "Scoping Review",
        "review-article",
    }
)
"""PubMed publication types that make a record a review: any one of them is enough."""


@dataclass(frozen=True, slots=True)
class Notice:
    """A notice linked to a cited work: an erratum, comment, retraction or update.

    The notice's own citation is kept as printed and never supplies the cited work's fields.
    """

    kind: str
    """One of `NOTICE_KINDS`, as printed: ``Erratum in``, ``Comment on``."""
    citation: str
    """The notice's citation as printed, without its label: ``Lancet. 2005;365:1234.``"""
    pmid: str | None = None
    """The notice's PMID, when its citation prints one."""

    def __str__(self) -> str:
        return f"{self.kind}: {self.citation}"


@dataclass(frozen=True, slots=True)
class FieldSource:
    """Where one field of a reference was filled from, when not from its printed citation."""

    field: str
    """The `Reference` field filled: ``authors``, ``title``, ``pmid``..."""
    source: str
    """What gave it: ``PubMed 25560111`` (that PMID's record) or ``PMC ID converter``."""

    def __str__(self) -> str:
        return f"{self.field} from {self.source}"


@dataclass(frozen=True, slots=True)
class Reference:
    """One entry of a review's reference list, as printed and as understood."""

    index: int
    """1-based position in the page's list (the page prints every number as ``1.``)."""
    raw: str
    """The line as printed, numbering removed, link labels kept."""
    authors: tuple[str, ...] = ()
    title: str | None = None
    journal: str | None = None
    """The journal (or book series) as printed, without its closing period."""
    journal_key: str | None = None
    """``journal`` normalised for matching across citation styles."""
    year: int | None = None
    volume: str | None = None
    issue: str | None = None
    first_page: str | None = None
    last_page: str | None = None
    """Expanded from abbreviated ranges: ``2536-44`` gives ``2544``."""
    doi: str | None = None
    pmid: str | None = None
    pmcid: str | None = None
    links: frozenset[str] = frozenset()
    """Which of ``DOI``, ``PMC``, ``PubMed`` the page links for this reference."""
    kind: str = "article-journal"
    """CSL item type: ``article-journal``, ``book``, ``chapter`` or ``unknown``.

    ``unknown`` is a line no style explains (kept in ``raw`` with a warning), or a line that
    holds only notices.
    """
    publisher: str | None = None
    book_title: str | None = None
    """For a chapter, the book it appears in."""
    editors: tuple[str, ...] = ()
    """For a chapter, the book's editors as printed (``"Brown A"``), without ``editor(s)``."""
    place: str | None = None
    """For a book or chapter, the place of publication: ``New York``, ``Bethesda (MD)``."""
    edition: str | None = None
    """For a book or chapter, the edition as printed without ``ed``: ``4th``, ``2nd``."""
    elocator: str | None = None
    """An electronic location (``e1234``, ``e0123456``) printed in place of pages.

    It is kept here *and*, as before, in ``first_page``, so a reference's source key (journal,
    year, volume, first page) stays the same whichever way the location was printed.
    """
    collective: tuple[str, ...] = ()
    """Which of ``authors`` are groups (``WHO Collaborative Group``), not persons.

    Group names stay in ``authors`` in the order printed; this names them again, so a reader
    who wants persons only takes ``authors`` minus ``collective``.
    """
    in_press: bool = False
    """Printed as accepted but not yet published (``2019. In press.``)."""
    epub_date: str | None = None
    """The electronic publication date of an ``Epub 2021 Jan 13.`` note: ``2021 Jan 13``."""
    pub_status: tuple[str, ...] = ()
    """Publication-status notes as printed, without their periods: ``eCollection 2021``,
    ``Epub 2021 Jan 13``, ``Epub ahead of print``, ``In press``."""
    language: str | None = None
    """The language of a work not in English, from ``[Article in Spanish]`` or a ``Spanish.``
    note: ``Spanish``."""
    publication_types: tuple[str, ...] = ()
    """Types printed after the citation (``Review.``, ``Editorial.``), in order."""
    notices: tuple[Notice, ...] = ()
    """Erratum, comment, retraction and update notices printed after the citation."""
    warnings: tuple[Problem, ...] = ()
    source: str = "page"
    """Where the reference was read: ``page``, ``xml``, or ``page+xml`` once merged; ``+pubmed``
    when completed from the cited work's own PubMed record."""
    provenance: tuple[FieldSource, ...] = ()
    """The fields filled in after reading (`reviewbook.sources.completion`), each with where it
    came from; ``raw`` still holds the citation as printed."""


@dataclass(frozen=True, slots=True)
class MeshHeading:
    """A MeSH heading of a record: the descriptor, whether it is a major topic, its qualifiers."""

    descriptor: str
    """The descriptor's name: ``Neoplasm Metastasis``."""
    major: bool = False
    """A major topic of the article (PubMed's ``*``): the descriptor or one of its qualifiers
    is marked so (``MajorTopicYN="Y"``), as PubMed's ``[majr]`` search counts it."""
    qualifiers: tuple[str, ...] = ()
    """Subheadings, in order: ``("immunology", "pathology")``."""


@dataclass(frozen=True, slots=True)
class Deletion:
    """A PubMed update file's notice that a record is withdrawn (``<DeleteCitation>``)."""

    pmid: str
    line: int | None = None
    """Where the notice is in its file."""
    source_path: str | None = None


PLACE_SEPARATOR = " › "
"""What joins the titles of a section's path into its place: ``Immune evasion › Neutrophils``."""
BODY_PLACE = "Body"
"""The place of body text that comes before the first section heading."""


@dataclass(frozen=True, slots=True)
class Citation:
    """One in-text citation of a full text, as printed, with the references it names.

    A citation is one citation element of the source (``<xref ref-type="bibr">``), or two
    joined by a dash (``1-9``), which print one range.
    """

    text: str
    """The citation as printed: ``12``, ``106–109``, ``1-9``, ``Hites 2004``."""
    references: tuple[int, ...]
    """The 1-based positions in `Article.references` it names, ranges expanded, ascending;
    empty when none of its ids names a reference (the article's warnings say so)."""
    sentence: str
    """The sentence that carries it, white space collapsed, exactly as the text reads. In a
    table cell that holds nothing but citations, the cell's row, cells joined by `` | ``."""
    place: str
    """Where it is: the section's title path (``Immune evasion › Neutrophils``, see
    `PLACE_SEPARATOR`), `BODY_PLACE`, or a float by its label (``Table 2``, ``Fig. 3``, ``Box``;
    ``Figure 3`` when unlabelled); a table in a box is ``Box › Table 1``."""
    start: int
    end: int
    """``text`` is ``passage[start:end]`` of the passage that carries the citation: its
    `Paragraph`'s ``text``; in a figure or table, its ``caption`` (its ``title`` for a
    citation in the title), the table cell named by ``cell``, or one of the ``footnotes``."""
    line: int | None = None
    """The source line of its (first) citation element."""
    ids: tuple[str, ...] = ()
    """The reference ids its citation elements name, as written (``rid``), in order."""
    cell: tuple[int, int] | None = None
    """For a citation in a table cell: ``(row, column)``, 0-based, in the table's
    ``columns + rows``."""


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A paragraph of running text (or one item of a list), with its citations."""

    text: str
    """The paragraph's text, markup dropped, white space collapsed; the items of a list inside
    it are kept, each after a space."""
    citations: tuple[Citation, ...] = ()
    """Its citations in order; each one's ``start`` and ``end`` are offsets into ``text``."""
    line: int | None = None
    """The source line where the paragraph starts."""


@dataclass(frozen=True, slots=True)
class Figure:
    """A figure: label, title and caption text (and, from a full text, its image and citations)."""

    label: str
    """As printed, without a closing full stop: ``Figure 1``, ``Fig. 2``; ``""`` when none."""
    title: str
    caption: str
    """The caption's paragraphs, separated by blank lines."""
    graphic: str | None = None
    """The image's file name or address, as the full text gives it (``xlink:href``)."""
    citations: tuple[Citation, ...] = ()
    """The citations in its title and caption, in order."""


@dataclass(frozen=True, slots=True)
class TableFloat:
    """A table of a full text: its caption, cells as text, footnotes and citations.

    Cells spanning rows or columns (``rowspan``, ``colspan``) are repeated in every row and
    column they span, so rows line up; rows shorter than the widest are padded with ``""``. A
    span reaches no further than the table's last column or its row group's last row.
    """

    label: str
    """As printed, without a closing full stop: ``Table 1``; ``""`` when none."""
    title: str = ""
    """The caption's title, when it has one."""
    caption: str = ""
    """The caption's paragraphs, separated by blank lines."""
    columns: tuple[tuple[str, ...], ...] = ()
    """The header rows (``<thead>``, or leading rows of ``<th>`` cells), cells as text."""
    rows: tuple[tuple[str, ...], ...] = ()
    """The body rows, cells as text."""
    footnotes: tuple[str, ...] = ()
    """The table's footnotes (``<table-wrap-foot>``), each as text."""
    citations: tuple[Citation, ...] = ()
    """Every citation of the table, in order: caption, cells, footnotes."""
    line: int | None = None


@dataclass(frozen=True, slots=True)
class Box:
    """A text box (``<boxed-text>``): label, title, paragraphs and tables; a box that is only an
    image keeps its image."""

    label: str = ""
    """As printed, without a closing full stop: ``Box 1``, ``Box``; ``""`` when none."""
    title: str = ""
    paragraphs: tuple[Paragraph, ...] = ()
    tables: tuple[TableFloat, ...] = ()
    """Tables inside the box (they are not in `Body.tables`)."""
    graphic: str | None = None
    """The image of a box that is an image (``content-type="graphic"``)."""
    line: int | None = None

    @property
    def citations(self) -> tuple[Citation, ...]:
        """Its paragraphs' citations, then its tables'."""
        return (
            *(citation for paragraph in self.paragraphs for citation in paragraph.citations),
            *(citation for table in self.tables for citation in table.citations),
        )


@dataclass(frozen=True, slots=True)
class Section:
    """A section of a full text's body: heading, paragraphs, subsections.

    Paragraphs that follow a subsection in the source are kept with the section's others, so
    the order of text and subsections within one section is not kept.
    """

    title: str
    """The heading, without its label: ``Neutrophils``; ``""`` when the section has none."""
    label: str | None = None
    """The number printed before the heading: ``2.1``."""
    paragraphs: tuple[Paragraph, ...] = ()
    sections: tuple[Section, ...] = ()
    """Its subsections, in order."""
    path: tuple[str, ...] = ()
    """The headings from the top-level section down to this one (an untitled section stands
    as its label, else as ``Section N``)."""
    line: int | None = None

    @property
    def place(self) -> str:
        """The path as one text: ``Immune evasion › Neutrophils`` (see `PLACE_SEPARATOR`)."""
        return PLACE_SEPARATOR.join(self.path)

    @property
    def level(self) -> int:
        """1 for a top-level section, 2 for its subsections, and so on."""
        return len(self.path)

    @property
    def citations(self) -> tuple[Citation, ...]:
        """The citations of its own paragraphs (not its subsections'), in order."""
        return tuple(citation for paragraph in self.paragraphs for citation in paragraph.citations)

    def walk(self) -> Iterator[Section]:
        """This section, then every subsection below it, depth first, in document order."""
        stack: list[Section] = [self]
        while stack:
            section = stack.pop()
            yield section
            stack.extend(reversed(section.sections))


@dataclass(frozen=True, slots=True)
class Body:
    """The body of a full text: sections, and the figures, tables and boxes wherever they sit."""

    sections: tuple[Section, ...] = ()
    paragraphs: tuple[Paragraph, ...] = ()
    """Paragraphs before the first section (place `BODY_PLACE`)."""
    figures: tuple[Figure, ...] = ()
    tables: tuple[TableFloat, ...] = ()
    """Tables outside boxes, in document order."""
    boxes: tuple[Box, ...] = ()

    def walk(self) -> Iterator[Section]:
        """Every section, nested ones included, depth first, in document order."""
        for section in self.sections:
            yield from section.walk()

    @property
    def citations(self) -> tuple[Citation, ...]:
        """Every citation, running text first, then floats: the paragraphs before the first
        section, each section's paragraphs before its subsections', then figures, tables and
        boxes, each in document order."""
        return (
            *(citation for paragraph in self.paragraphs for citation in paragraph.citations),
            *(citation for section in self.walk() for citation in section.citations),
            *(citation for figure in self.figures for citation in figure.citations),
            *(citation for table in self.tables for citation in table.citations),
            *(citation for box in self.boxes for citation in box.citations),
        )


@dataclass(frozen=True, slots=True)
class Article:
    """A PubMed record or a full text: bibliographic fields, text, figures and references."""

    pmid: str | None
    title: str
    article_types: tuple[str, ...] = ()
    journal: str | None = None
    """Journal abbreviation as in the page's authors line, e.g. ``J Immunother Cancer``."""
    pub_date: str | None = None
    """Publication date as printed, e.g. ``2017 Oct 17``."""
    year: int | None = None
    volume: str | None = None
    issue: str | None = None
    pages: str | None = None
    """Pages or electronic location as printed, e.g. ``2536-44`` or ``e1234``."""
    first_page: str | None = None
    last_page: str | None = None
    doi: str | None = None
    epub_date: str | None = None
    pmcid: str | None = None
    authors_display: str | None = None
    """The authors as the page shows them, e.g. ``Louise M E Janssen et al.``."""
    first_author: str | None = None
    abstract: str | None = None
    """Plain-text abstract, paragraphs separated by blank lines, labels kept."""
    abstract_sections: tuple[tuple[str, str], ...] = ()
    """``(label, text)`` per abstract paragraph; label is ``""`` when unstructured."""
    keywords: tuple[str, ...] = ()
    mesh_headings: tuple[MeshHeading, ...] = ()
    """The record's MeSH headings, in its order (PubMed XML and MEDLINE records only)."""
    authors: tuple[str, ...] = ()
    """Each author as PubMed prints them (``Janssen LME``), a group by its name, in order
    (PubMed XML and MEDLINE records; a saved page gives only ``authors_display``)."""
    copyright: str | None = None
    sections: tuple[tuple[str, str], ...] = ()
    """``(heading, text)`` of every other section, in page order."""
    figures: tuple[Figure, ...] = ()
    """The figures as the page shows them; for a full text, its body's figures."""
    references: tuple[Reference, ...] = ()
    warnings: tuple[Problem, ...] = ()
    """Everything the reader saw but did not understand, each naming its line."""
    source_path: str | None = None
    sha256: str | None = None
    """Hex digest of the source file's bytes (of the text when parsed from a string)."""
    body: Body | None = None
    """The full text's body (PMC full text only); None when the source has no full text."""
    license: str | None = None
    """The article's licence: its address when the source gives one
    (``https://creativecommons.org/licenses/by/4.0/``), else its text."""

    @property
    def pubmed_url(self) -> str | None:
        """The article's PubMed address, when its PMID is known."""
        return pubmed_url(self.pmid)


def is_pmid(text: str) -> bool:
    """Whether ``text`` is a PMID (see `PMID_PATTERN`)."""
    return PMID_PATTERN.fullmatch(text) is not None


def cited_source(article: Article) -> str:
    """The article's source as NLM prints it: ``J Immunother Cancer. 2017 Oct 17;5(1):79.``"""
    source = f"{article.journal or 'Unknown journal'}. {article.pub_date or article.year or 'n.d.'}"
    if article.volume:
        source += f";{article.volume}"
        if article.issue:
            source += f"({article.issue})"
    if article.pages:
        source += f":{article.pages}"
    return source if source.endswith(".") else source + "."


def pubmed_url(pmid: str | None) -> str | None:
    """``https://pubmed.ncbi.nlm.nih.gov/<pmid>/``, or None without a PMID."""
    return f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/" if pmid else None


def doi_url(doi: str | None) -> str | None:
    """``https://doi.org/<doi>``, or None without a DOI."""
    return f"https://doi.org/{doi}" if doi else None


def pmc_url(pmcid: str | None) -> str | None:
    """``https://pmc.ncbi.nlm.nih.gov/articles/<pmcid>/``, or None without a PMCID."""
    return f"https://pmc.ncbi.nlm.nih.gov/articles/{pmcid}/" if pmcid else None
