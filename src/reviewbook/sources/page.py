"""Read a PubMed abstract page, saved as text, into an `Article`.

The page is recognised by what its lines say, not where they sit: the site banner is skipped,
the header (article types, citation, DOI, title, authors) is read line by line, and the body is
cut at known section headings. Whatever is not understood becomes a warning naming its line.

**One page per file.** A page opens with the banner's ``Access keys`` line and prints one bare
citation line (``. 2017 Oct 17;5(1):79.``). When one of these comes a second time after a
section heading, a second page has begun: the file is refused with `PubMedPageError` at the
line where that page starts, saying how many pages the file holds.

**Cut pages.** Only the page's last non-blank line can be cut short, so only it is judged:

* a proper prefix of a heading, page control or publication type (``PubMed D``) is a cut
  heading: it is dropped, not read as text, and named (``heading cut at "PubMed D"``);
* a heading that is never printed without text below it (``Abstract``, ``References``,
  `NEVER_EMPTY_SECTIONS`) ends a cut page;
* a line of a section of sentences (abstract, caption, reference, conflict statement, "Comment
  in" and the other notices, similar and citing articles) is complete when it ends as a
  sentence, citation or list entry does (`COMPLETE_LINE_ENDS`, `COMPLETE_LINE_TAILS`, or
  ``PMID: <digits>``); otherwise that field was cut (``abstract cut at "...tumour microenvi"``).
  A cut reference keeps its printed text and the fields that end before the cut (its journal,
  year, volume...: `_read_cut_reference`), never the field the cut falls in;
* items of list sections (MeSH terms, LinkOut, `LIST_SECTIONS`) are never called cut: a cut
  item cannot be told from a short one;
* a page that ends in its header lacks its abstract and every section: one problem says so.
  The header's last line is read only when it is a known line, a repeat of an earlier line, or
  ends complete, so a cut citation or authors line gives no invented value; a page whose last
  line is (or would be) its title raises `PubMedPageError`, as the title may be cut.

Each cut page gets exactly one ``cut`` problem. A complete page ends with a heading, a control,
a list item or a finished sentence, so it gets none.

**Linear time.** Every pattern applied to page text is bounded: no two unbounded repeats can
trade the same characters, and the authors line is split with string methods, not a pattern.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

import ftfy

from reviewbook.errors import Problem, PubMedPageError
from reviewbook.model import LINK_LABELS, Article, Figure, Reference, is_pmid
from reviewbook.sources.citation import (
    DATE_PATTERN,
    ISSUE_PATTERN,
    PAGE_LIST_PATTERN,
    VOLUME_PATTERN,
    expand_page_range,
    page_range_problem,
    parse_citation,
)
from reviewbook.sources.decoding import read_text_file
from reviewbook.sources.page_layout import (
    ABSTRACT_HEADING,
    BANNER_END_PREFIX,
    BANNER_LINES,
    COMPLETE_LINE_ENDS,
    COMPLETE_LINE_TAILS,
    FIGURES_HEADING,
    KEYWORDS_HEADING,
    LIST_SECTIONS,
    NEVER_EMPTY_SECTIONS,
    PAGE_CONTROLS,
    PUBLICATION_NOTES,
    PUBLICATION_TYPES,
    REFERENCES_HEADING,
    SECTION_HEADINGS,
    UNDATED_PUBLICATION_NOTES,
    UNPRINTED_FIGURE_LABEL,
)

Line = tuple[int, str]
"""A line of the page: its 1-based number and its text."""

_CITATION_LINE = re.compile(
    r"^(?P<journal>[^.;]{0,100}?)\.?\s*(?P<pub_date>"
    + DATE_PATTERN
    + r")(?:[;:]\s?"
    + VOLUME_PATTERN
    + r"?"
    + ISSUE_PATTERN
    + r"?(?::\s?"
    + PAGE_LIST_PATTERN
    + r")?)?\.?(?:\s+(?P<tail>.*))?$"
)
_DOI_LINE = re.compile(r"^doi:\s*(?P<doi>10\.\S+?)\.?(?:\s+(?P<tail>.*))?$", re.IGNORECASE)
_PUBLICATION_NOTE = re.compile(
    rf"(?P<note>{'|'.join(PUBLICATION_NOTES)})\s(?P<date>{DATE_PATTERN})\.?\s*"
    rf"|(?:{'|'.join(UNDATED_PUBLICATION_NOTES)})\.?\s*"
)
"""``Epub 2012 Jul 22.``, ``eCollection 2017.``, ``Online ahead of print.``, after a DOI."""
_HEADER_DATE = re.compile(DATE_PATTERN)
_LONGEST_DATE = 40
_LABEL_WORDS = tuple(f" {label}" for label in LINK_LABELS)
"""A link label ending a line, after the space before it (``- PMC``)."""
_CUT_READ_REACH = 400
"""How far from a cut reference's end the places its fields end are looked for: a source is
printed near the end of its citation."""
_LONGEST_AUTHORS_LINE = 500
"""The header's authors line names one to three authors or a group: never longer than this."""
_IDENTIFIER = re.compile(r"\b(?P<kind>PMID|PMCID|DOI):\s*(?P<value>\S+?)[.;,]?(?=\s|$)")
_IDENTIFIER_NOTE = re.compile(_IDENTIFIER.pattern + r"\s*")
"""An identifier after the citation or DOI: ``doi: 10.1/x. PMID: 29037250; PMCID: PMC5644253.``"""
_IDENTIFIER_LINE = re.compile(r"^(?:-\s*)?(?:PMID|PMCID|DOI):\s*\S")
_ET_AL = " et al. "
_PMID_TAIL = re.compile(r"PMID:\s?\d+$")
_PERSON = r"[A-Z][\w'’‘-]*\.?(?:\s[A-Za-z][\w'’‘-]*\.?){0,5}(?:\s\d+(?:\s\d+)*)?"
_AUTHOR_LIST_LINE = re.compile(rf"^{_PERSON}(?:,\s{_PERSON})+$")
_SHOW_ALL = re.compile(r"(?:Show|See|Load) all \d* ?references?")
_LIST_MARKER = re.compile(r"\d+\.\s+|[-*•]\s+")
_EMPTY_BULLETS = frozenset({"-", "*", "•"})
_STRUCTURED_LABEL = re.compile(
    r"^(?P<label>[A-Z][A-Z0-9 ,&/()\-]{1,60}|[A-Z][a-z]+(?:\s[A-Za-z]+){0,4}):\s*(?P<text>.*)$"
)
_KEYWORDS = re.compile(r"^Keywords:\s*(?P<keywords>.*)$", re.IGNORECASE)
_COPYRIGHT = re.compile(r"^(?:©|\(c\)\s|Copyright\b)", re.IGNORECASE)
_FIGURE_LABEL = re.compile(
    rf"^(?P<label>(?:Figure|Fig\.?)(?:\s*S?\d+[A-Za-z]?)?|{UNPRINTED_FIGURE_LABEL})\.?$"
)
_FIGURE_TITLE = re.compile(
    r"^(?:(?P<label>(?:Figure|Fig\.?)(?:\s*S?\d+[A-Za-z]?)?)(?:[.:]\s*|\s+)"
    rf"|{UNPRINTED_FIGURE_LABEL}[.:]\s*)(?P<title>\S.*)$"
)
"""``Figure 1. Title``; ``None. Title`` for a figure without a label (its label group empty),
never ``None of the cells...``, a caption's sentence."""
_HTML = re.compile(r"<(?:!DOCTYPE|html|head|body|div|meta|script|p|span|a)\b", re.IGNORECASE)
_MOJIBAKE_HINT = re.compile(r"[ÃÂâ][\x80-\xbf€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ]")
_MOJIBAKE_MARKS = ("Ã", "Â", "â")
_CONTROL_CHARS_SET = tuple(chr(code) for code in (*range(0x00, 0x09), *range(0x0E, 0x20)))
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0e-\x1f]")
_KNOWN_LINES = frozenset({*SECTION_HEADINGS.values(), *PAGE_CONTROLS, *PUBLICATION_TYPES})
_HEADING_PREFIXES = (
    frozenset(known[:end].rstrip() for known in _KNOWN_LINES for end in range(1, len(known)))
    - _KNOWN_LINES
)
"""Every heading, page control and publication type cut short: how a cut heading looks."""


def read_pubmed_page(path: str | os.PathLike[str]) -> Article:
    """Read a saved PubMed page; a file named for a PMID (``29037250.txt``) gives the PMID of a
    page that prints none (see `parse_pubmed_page`)."""
    name = os.fspath(path)
    text, sha256, decoding_warnings = read_text_file(path)
    article = parse_pubmed_page(text, source_path=name)
    return replace(article, sha256=sha256, warnings=decoding_warnings + article.warnings)


def pmid_in_file_name(path: str | None) -> str | None:
    """The PMID a saved page's file is named for (``29037250.txt``, ``29037250.txt.gz``)."""
    if not path:
        return None
    stem = Path(path.removesuffix(".gz")).stem
    return stem if is_pmid(stem) else None


def parse_pubmed_page(
    text: str, *, pmid: str | None = None, source_path: str | None = None
) -> Article:
    """Parse the text of a PubMed abstract page into an `Article`.

    The PMID is the caller's ``pmid``; else the one the page prints (``PMID: 29037250``);
    else the one its file is named for (`pmid_in_file_name` of ``source_path``). A page that
    prints a PMID other than the caller's or its file name's gets a problem saying so.

    Raises `PubMedPageError` only when the text is not such a page at all; anything else that
    is not understood is kept and reported in ``Article.warnings``.
    """
    lines = _lines(text)
    _check_is_text_page(text, lines, source_path)
    _check_single_page(lines, source_path)
    reader = _PageReader(source_path=source_path)
    if any(mark in text for mark in _MOJIBAKE_MARKS) and _MOJIBAKE_HINT.search(text):
        lines = [reader.repair_mojibake(number, line) for number, line in lines]
    content = [line for line in _without_banner(lines) if line[1].strip()]
    if content and _is_cut_heading(content):
        number, heading = content.pop()
        reader.cut(number, f'heading cut at "{heading.strip()}"')
    reader.last_line = content[-1][0] if content else None
    reader.file_last_line = max((number for number, line in lines if line.strip()), default=0)
    header, sections = _split_at_headings(content)
    reader.read_header(header, ends_page=not sections)
    for heading, number, body in sections:
        reader.read_section(heading, number, body)
    return reader.article(text, pmid=pmid, last_line=len(lines))


# --- recognising the page --------------------------------------------------------------------


def _lines(text: str) -> list[Line]:
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    return [(number, line.rstrip()) for number, line in enumerate(text.split("\n"), start=1)]


def _check_is_text_page(text: str, lines: list[Line], path: str | None) -> None:
    """Raise `PubMedPageError` for empty, binary, HTML or clearly foreign input."""
    filled = [(number, line) for number, line in lines if line.strip()]
    if not filled:
        raise PubMedPageError("empty: no text to read", path=path, line=1)
    first_number, first = filled[0]
    if any(char in text for char in _CONTROL_CHARS_SET):
        # Counted in the text as `_lines` splits it: ``rstrip`` would drop \x1c-\x1f.
        normalized = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
        control = _CONTROL_CHARS.search(normalized)
        number = normalized.count("\n", 0, control.start()) + 1 if control else first_number
        raise PubMedPageError("binary data, not a text page", path=path, line=number)
    head = "\n".join(line for _, line in filled[:200])
    if first.lstrip().startswith("<") and _HTML.search(head):
        raise PubMedPageError(
            "HTML source, not the page's text; save the page as text instead",
            path=path,
            line=first_number,
        )
    if not any(_is_pubmed_marker(line) for _, line in filled):
        raise PubMedPageError(
            "not a PubMed abstract page: no citation, DOI, PMID or PubMed section found",
            path=path,
            line=first_number,
        )


def _is_pubmed_marker(line: str) -> bool:
    stripped = line.strip()
    return (
        stripped.startswith(BANNER_END_PREFIX)
        or stripped == "PubMed Disclaimer"
        or bool(_IDENTIFIER_LINE.match(stripped))
        or bool(_DOI_LINE.match(stripped))
        or _is_bare_citation_line(stripped)
        or (stripped.endswith(". .") and _authors_line_parts(stripped) is not None)
    )


def _is_bare_citation_line(line: str) -> bool:
    """The web layout's citation line without its journal: ``. 2017 Oct 17;5(1):79.``"""
    return line.startswith(".") and bool(_CITATION_LINE.match(line[1:].strip()))


def _check_single_page(lines: list[Line], path: str | None) -> None:
    """Raise `PubMedPageError` when the text holds more than one saved page (module docstring)."""
    starts: list[int] = []
    opened: set[str] = set()
    heading_seen = False
    for index, (_, line) in enumerate(lines):
        stripped = line.strip()
        opener = None
        if stripped[:1] == ".":
            opener = "citation" if _is_bare_citation_line(stripped) else None
        elif stripped.startswith(BANNER_END_PREFIX):
            opener = "banner"
        if opener is None:
            heading_seen = heading_seen or stripped.lower() in SECTION_HEADINGS
        elif opener in opened and heading_seen:
            starts.append(index)
            opened, heading_seen = {opener}, False
        else:
            opened.add(opener)
    if starts:
        raise PubMedPageError(
            f"{len(starts) + 1} saved pages in one file, the second starting here; "
            "save or read each page as a file of its own",
            path=path,
            line=lines[_page_start(lines, starts[0])][0],
        )


def _page_start(lines: list[Line], opener: int) -> int:
    """Where the page whose banner end or citation line is ``lines[opener]`` begins."""
    opening = (
        BANNER_LINES
        if lines[opener][1].strip().startswith(BANNER_END_PREFIX)
        else (PUBLICATION_TYPES)
    )
    start = opener
    while start > 0 and (not lines[start - 1][1].strip() or lines[start - 1][1].strip() in opening):
        start -= 1
    while not lines[start][1].strip():
        start += 1
    return start


def _is_cut_heading(content: list[Line]) -> bool:
    """Whether the page's last line is a heading or label cut short (``PubMed D``).

    Under "Figures" a bare ``Fig`` or ``Figure`` is a figure's label, not a cut heading.
    """
    line = content[-1][1].strip()
    if line not in _HEADING_PREFIXES:
        return False
    headings = (SECTION_HEADINGS.get(text.strip().lower()) for _, text in reversed(content))
    return next(filter(None, headings), None) != FIGURES_HEADING or not _FIGURE_LABEL.match(line)


def _without_banner(lines: list[Line]) -> list[Line]:
    """Drop the site banner (known chrome lines, up to ``Access keys ...``) wherever it is."""
    end = next(
        (i for i, (_, line) in enumerate(lines[:80]) if line.startswith(BANNER_END_PREFIX)), -1
    )
    return [
        (number, line)
        for i, (number, line) in enumerate(lines)
        if i > end and line.strip() not in BANNER_LINES
    ]


def _split_at_headings(lines: list[Line]) -> tuple[list[Line], list[tuple[str, int, list[Line]]]]:
    """The header lines, then ``(heading, line number, lines)`` for each section in order."""
    header: list[Line] = []
    sections: list[tuple[str, int, list[Line]]] = []
    seen_title = False
    for number, line in lines:
        heading = SECTION_HEADINGS.get(line.strip().lower())
        # A heading before anything that could be the title is stray: the header goes on.
        if heading and seen_title:
            sections.append((heading, number, []))
        elif sections:
            sections[-1][2].append((number, line))
        else:
            header.append((number, line))
            seen_title = seen_title or _could_be_title(line.strip())
    return header, sections


def _could_be_title(line: str) -> bool:
    """Whether a header line is none of the furniture around the title."""
    return not (
        line in PAGE_CONTROLS
        or line in PUBLICATION_TYPES
        or line.lower() in SECTION_HEADINGS
        or line.startswith(".")
        or _DOI_LINE.match(line)
        or _IDENTIFIER_LINE.match(line)
    )


def _authors_line_parts(line: str) -> tuple[str, str, str, str] | None:
    """``(authors_display, first_author, journal, date)`` of the header's authors line.

    The line is ``<authors>. <journal>. <date>.`` with the date possibly empty (``. .``):
    ``Louise M E Janssen et al. J Immunother Cancer. .``, ``Jane Q Smith, Ann Lee. Nat Med.
    2012 Jul-Aug.``, ``WHO Collaborative Group. Lancet. 2012 Spring.`` It is split from its end
    with string methods, so its length costs no more than one pass.
    """
    if len(line) > _LONGEST_AUTHORS_LINE or not line.endswith("."):
        return None
    words = " ".join(line.split())
    head, separator, date = words[:-1].rpartition(". ")
    if not separator or len(date) > _LONGEST_DATE:
        return None
    if date and not _HEADER_DATE.fullmatch(date):
        return None
    if (et_al := head.find(_ET_AL)) >= 0:
        authors, journal = head[:et_al].rstrip(","), head[et_al + len(_ET_AL) :]
        display = f"{authors} et al."
    else:
        authors, _, journal = head.rpartition(". ")
        display = authors
    if not (authors[:1].isalpha() and journal[:1].isalpha()):
        return None
    return display, authors.split(",", 1)[0].strip(), journal.strip(), date


def _is_trusted_last_header_line(header: list[Line]) -> bool:
    """Whether the header's last line, the page's last, can be read: it cannot have been cut."""
    line = header[-1][1].strip()
    return (
        line in _KNOWN_LINES
        or _ends_complete(line)
        or any(earlier.strip() == line for _, earlier in header[:-1])
    )


def _ends_complete(line: str) -> bool:
    """Whether a line of sentences ends as a finished sentence, citation or entry does."""
    return (
        line.endswith(COMPLETE_LINE_ENDS)
        or line.endswith(COMPLETE_LINE_TAILS)
        or bool(_PMID_TAIL.search(line[-24:]))
    )


def _is_cut_reference(line: str, reference: Reference | None) -> bool:
    """Whether the page's last line, a reference, was cut: it ends mid-field, ends with a full
    stop no citation style explains (``Hanahan D, Weinberg RA.``), or ends in its DOI."""
    if line.endswith(COMPLETE_LINE_TAILS):
        return False
    if reference is None or reference.warnings:
        return True
    # A DOI holds full stops of its own: one ending the line may be a cut inside it.
    return bool(reference.doi) and line.rstrip(".").endswith(reference.doi)


_CUT_FIELD_END = re.compile(r"(?P<separator>[;:(),])|\.\s|(?P<space>\s)|$")
"""Where a field of a cut reference may end: at a separator (``2004;4(6):448``), at the end of
a sentence, or at a space or the cut itself, where only a word that cannot go on is sure to be
whole (`_is_whole_before_space`)."""
_CUT_READINGS = 24
"""How many places before the cut a cut reference is read up to, from the last: each reading
is of the whole line, so their number is bounded."""


def _read_cut_reference(printed: str, *, index: int, cut: Problem) -> Reference:
    """A reference cut short (``Pantel K. Dissecting... Nat Rev Cancer. 2004;4(6):448–4``),
    read up to the last place before the cut where a field ends and a source (journal and
    year) is read whole: the field the cut falls in is left out, so nothing is invented, and
    what is visible is kept (``Nat Rev Cancer``, 2004, volume 4, issue 6). With no source
    visible, only the printed text; either way with the ``cut`` problem.
    """
    reach = max(0, len(printed) - _CUT_READ_REACH)
    ends = list(_CUT_FIELD_END.finditer(printed, reach))
    for end in reversed(ends[-_CUT_READINGS:]):
        visible = printed[: end.start()].rstrip(" .,;:(")
        reading = parse_citation(visible, index=index)
        if not (reading.journal and reading.year):
            continue
        if end.group("space") is not None or end.start() == len(printed):
            if not _is_whole_before_space(visible, reading):
                continue
        elif end.group("separator"):  # an identifier may hold the separator: it may go on
            reading = replace(
                reading,
                **{
                    name: None
                    for name in ("doi", "pmid", "pmcid")
                    if (value := getattr(reading, name)) and visible.endswith(value)
                },
            )
        return replace(reading, raw=printed, warnings=(*reading.warnings, cut))
    return Reference(index=index, raw=printed, kind="unknown", warnings=(cut,))


def _is_whole_before_space(visible: str, reading: Reference) -> bool:
    """Whether the word ending ``visible``, before a space or the cut, cannot go on: a link
    label, or the year ending the source (``2011 Ju`` holds its year; ``21 Sup`` does not
    hold its volume, ``21 Suppl 7``, nor ``:2536`` its pages, ``2536-44``)."""
    if visible.endswith(_LABEL_WORDS):
        return True
    ends_in_year = reading.year is not None and visible.endswith(str(reading.year))
    return ends_in_year and not (reading.volume or reading.issue or reading.first_page)


def _cut_tail(text: str, width: int = 32) -> str:
    """The last words of a cut field, as a warning quotes them: ``...the tumour microenvi``."""
    if len(text) <= width:
        return " ".join(text.split())
    tail = text[-width:]
    if " " in tail[:-1]:
        tail = tail[tail.find(" ") + 1 :]
    return "..." + " ".join(tail.split())


# --- reading the parts -----------------------------------------------------------------------


@dataclass
class _PageReader:
    """Collects an article's fields while the page is read, top to bottom."""

    source_path: str | None
    fields: dict[str, object] = field(default_factory=dict)
    identifiers: dict[str, str] = field(default_factory=dict)
    identifier_lines: dict[str, int] = field(default_factory=dict)
    """The line each identifier was read from."""
    article_types: list[str] = field(default_factory=list)
    abstract_sections: list[tuple[str, str]] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)
    sections: list[tuple[str, str]] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    references: list[Reference] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    title_line: int | None = None
    last_line: int | None = None
    """The number of the page's last line of content: the only line that can be cut."""
    file_last_line: int = 0
    """The number of the file's last non-blank line, a cut heading included."""
    cut_reported: bool = False
    authors_line_date: str | None = None
    """The date the authors line prints, used when the page has no citation line."""

    def warn(self, number: int | None, kind: str, message: str) -> None:
        self.warnings.append(Problem(number, kind, message))

    def cut(self, number: int | None, message: str) -> None:
        """Name the one field the page was cut in (module docstring)."""
        if not self.cut_reported:
            self.warn(number, "cut", message)
            self.cut_reported = True

    def repair_mojibake(self, number: int, line: str) -> Line:
        """Undo UTF-8 read as Windows-1252 (``â€™`` for ``’``), saying so."""
        if _MOJIBAKE_HINT.search(line):
            repaired = ftfy.fix_encoding(line)
            if repaired != line:
                self.warn(
                    number, "encoding", "repaired characters garbled by a wrong text encoding"
                )
                return number, repaired
        return number, line

    # header ----------------------------------------------------------------------------

    def read_header(self, header: list[Line], *, ends_page: bool) -> None:
        cut: Line | None = None
        if ends_page and header and not _is_trusted_last_header_line(header):
            cut = header.pop()
        others: list[Line] = []
        anchor: int | None = None
        for position, (number, raw) in enumerate(header):
            line = raw.strip()
            if line in PAGE_CONTROLS:
                continue
            if self._read_citation_line(number, line) or self._read_doi_line(number, line):
                # Only the web layout's bare citation and DOI lines follow the article types.
                if anchor is None and (line.startswith(".") or line.lower().startswith("doi:")):
                    anchor = position
            elif _IDENTIFIER_LINE.match(line):
                self._read_identifiers(number, line)
            elif (parts := _authors_line_parts(line)) is not None:
                self._read_authors_line(parts)
            elif line.lower() in SECTION_HEADINGS:
                self.warn(
                    number, "header", f"section heading {line!r} above the article title; ignored"
                )
            else:
                others.append((number, line))
        self._read_types_and_title(
            others, anchor_line=None if anchor is None else header[anchor][0]
        )
        if ends_page:
            self._end_in_header(cut)

    def _end_in_header(self, cut: Line | None) -> None:
        """The page ends in its header: refuse a title that may be cut, name the cut otherwise."""
        title_is_last = self.title_line is not None and self.title_line == self.file_last_line
        cut_title = cut is not None and "title" not in self.fields and _could_be_title(cut[1])
        if title_is_last or cut_title:
            raise PubMedPageError(
                "the page ends in its title line, so the title may be cut; no title to read",
                path=self.source_path,
                line=self.file_last_line,
            )
        if "title" not in self.fields or self.cut_reported:
            return
        if cut is not None:
            self.cut(cut[0], f'page header cut at "{_cut_tail(cut[1].strip())}"')
        else:
            self.cut(self.last_line, "page ends in its header: no abstract or sections follow")

    def _read_citation_line(self, number: int, line: str) -> bool:
        """``. 2017 Oct 17;5(1):79.``, or with the journal first as on the full PubMed page."""
        if "pub_date" in self.fields:
            return False
        bare = line.startswith(".")
        match = _CITATION_LINE.match(line[1:].strip() if bare else line)
        if not match or not (bare or (match.group("journal") and match.group("volume"))):
            return False
        groups = match.groupdict()
        if groups["journal"]:
            self.fields.setdefault("journal", groups["journal"].strip())
        self.fields.update(
            pub_date=groups["pub_date"],
            year=int(groups["year"]),
            volume=groups["volume"],
            issue=groups["issue"] or None,
            pages=groups["pages"],
        )
        first_page, last_page = expand_page_range(groups["pages"])
        self.fields.update(first_page=first_page, last_page=last_page)
        if problem := page_range_problem(first_page, last_page):
            self.warn(number, "implausible", f"pages: {problem}")
        tail = (groups["tail"] or "").strip()
        read = not tail or self._read_doi_line(number, tail)
        if not read and (rest := self._read_notes(number, tail)):
            self.warn(number, "header", f"not understood after the citation: {_clip(rest)!r}")
        return True

    def _read_doi_line(self, number: int, line: str) -> bool:
        """``doi: 10.1002/ijc.26032. Epub 2011 Mar 25.``, and the other notes after a DOI."""
        match = _DOI_LINE.match(line)
        if not match or "doi" in self.fields:
            return False
        self.fields["doi"] = match.group("doi").rstrip(".")
        if rest := self._read_notes(number, match.group("tail") or ""):
            self.warn(number, "header", f"not understood after the DOI: {_clip(rest)!r}")
        return True

    def _read_notes(self, number: int, text: str) -> str:
        """Read the notes from the start of ``text`` after a citation or DOI, in any order:
        ``Epub <date>.``-style notes and the page's identifiers (``PMID: 29037250;``); return
        what is left."""
        position = 0
        while True:
            if note := _PUBLICATION_NOTE.match(text, position):
                if note.group("note") == "Epub":
                    self.fields.setdefault("epub_date", note.group("date"))
            elif note := _IDENTIFIER_NOTE.match(text, position):
                self._identify(number, note.group("kind"), note.group("value"))
            else:
                return text[position:].strip()
            position = note.end()

    def _read_identifiers(self, number: int, line: str) -> None:
        for match in _IDENTIFIER.finditer(line):
            self._identify(number, match.group("kind"), match.group("value"))
        if not _IDENTIFIER.search(line):
            self.warn(number, "identifier", f"identifier not understood: {line!r}")

    def _identify(self, number: int, kind: str, value: str) -> None:
        """Keep the first of each identifier the page prints, with its line; a PMID only when
        it is one (`is_pmid`), since it is preferred to the file name's."""
        if kind == "PMID" and not is_pmid(value):
            self.warn(number, "identifier", f"PMID {_clip(value)!r} is not a PMID; not read")
        elif kind.lower() not in self.identifiers:
            self.identifiers[kind.lower()] = value
            self.identifier_lines[kind.lower()] = number

    def _read_authors_line(self, parts: tuple[str, str, str, str]) -> None:
        if "authors_display" in self.fields:
            return
        authors_display, first_author, journal, date = parts
        self.fields.update(authors_display=authors_display, first_author=first_author)
        self.fields["journal"] = journal
        self.authors_line_date = date or None

    def _read_types_and_title(self, others: list[Line], anchor_line: int | None) -> None:
        """Lines before the citation are article types; the first line after it is the title.

        Without a citation line, leading known publication types are the types and the next
        line is the title. Repeats of either (the page prints both twice) are skipped.
        """
        remaining = list(others)
        if anchor_line is not None and remaining and remaining[0][0] < anchor_line:
            while remaining and remaining[0][0] < anchor_line:
                self.article_types.append(remaining.pop(0)[1])
        else:
            while remaining and remaining[0][1] in PUBLICATION_TYPES:
                self.article_types.append(remaining.pop(0)[1])
        if remaining:
            self.title_line, title = remaining.pop(0)
            self.fields["title"] = title
        for number, line in remaining:
            if line == self.fields.get("title") or line in self.article_types:
                continue
            if line in PUBLICATION_TYPES:
                self.article_types.append(line)
            elif _AUTHOR_LIST_LINE.match(line) and "authors_display" not in self.fields:
                authors = re.sub(r"(?<=\D)\s\d+(?:\s\d+)*(?=,|$)", "", line)
                self.fields["authors_display"] = authors
                self.fields["first_author"] = authors.split(", ")[0]
            elif number == self.last_line:  # the page's last line: cut, not a new form
                self.cut(number, f'page header cut at "{_cut_tail(line)}"')
            else:
                self.warn(number, "header", f"not understood in the page header: {_clip(line)!r}")

    # body ------------------------------------------------------------------------------

    def read_section(self, heading: str, number: int, body: list[Line]) -> None:
        if heading == ABSTRACT_HEADING:
            self._read_abstract(body)
        elif heading == FIGURES_HEADING:
            self._read_figures(body)
        elif heading == REFERENCES_HEADING:
            self._read_references(body)
        elif heading == KEYWORDS_HEADING:
            self._add_keywords(" ".join(line.strip() for _, line in body))
        else:
            text = "\n\n".join(
                line.strip() for _, line in body if line.strip() not in PAGE_CONTROLS
            )
            self.sections.append((heading, text))
        if (body[-1][0] if body else number) == self.last_line:
            self._check_last_section(heading, number, body)

    def _check_last_section(self, heading: str, number: int, body: list[Line]) -> None:
        """The page ends in this section: name its last field if that was cut."""
        if not body:
            if heading in NEVER_EMPTY_SECTIONS:
                self.cut(number, f'page cut after the heading "{heading}"')
            return
        last_number, raw = body[-1]
        line = raw.strip()
        if heading in LIST_SECTIONS or line in PAGE_CONTROLS or _ends_complete(line):
            return
        tail = _cut_tail(line)
        if heading == ABSTRACT_HEADING:
            # A copyright or keywords line is a note, not a sentence: it may end without a stop.
            if not (_COPYRIGHT.match(line) or _KEYWORDS.match(line)):
                self.cut(last_number, f'abstract cut at "{tail}"')
        elif heading == FIGURES_HEADING:
            self._check_last_figure(last_number, line)
        elif heading != REFERENCES_HEADING:  # a cut reference is named where it is read
            self.cut(last_number, f'section "{heading}" cut at "{tail}"')

    def _check_last_figure(self, number: int, line: str) -> None:
        if label := _FIGURE_LABEL.match(line):
            self.cut(number, f'figure "{label.group("label")}" cut before its title')
            return
        if not self.figures:
            self.cut(number, f'figure text cut at "{_cut_tail(line)}"')
            return
        figure = self.figures[-1]
        if not figure.caption and _FIGURE_TITLE.match(line):
            self.cut(number, f'figure "{figure.label}" cut before its caption')
        else:
            self.cut(number, f'figure "{figure.label}" caption cut at "{_cut_tail(line)}"')

    def _read_abstract(self, body: list[Line]) -> None:
        label: str | None = None
        for _, raw in body:
            line = raw.strip()
            if line in PAGE_CONTROLS:
                continue
            if keywords := _KEYWORDS.match(line):
                self._add_keywords(keywords.group("keywords"))
            elif _COPYRIGHT.match(line):
                self.fields["copyright"] = line
            elif (structured := _STRUCTURED_LABEL.match(line)) and _is_label(
                structured.group("label")
            ):
                text = structured.group("text").strip()
                if text:
                    self.abstract_sections.append((structured.group("label"), text))
                    label = None
                else:
                    label = structured.group("label")
            else:
                self.abstract_sections.append((label or "", line))
                label = None
        if label and body[-1][0] == self.last_line:
            self.cut(body[-1][0], f'abstract cut after its label "{label}"')
        elif label:
            self.warn(body[-1][0], "abstract", f"abstract label {label!r} has no text")

    def _add_keywords(self, text: str) -> None:
        words = (word.strip().rstrip(".").strip() for word in re.split(r"[;,]", text))
        self.keywords.extend(word for word in words if word)

    def _read_figures(self, body: list[Line]) -> None:
        pending_label: str | None = None
        caption: list[str] = []
        current: dict[str, str] | None = None

        def close() -> None:
            if current is not None:
                self.figures.append(Figure(caption="\n\n".join(caption), **current))

        for number, raw in body:
            line = raw.strip()
            if bare := _FIGURE_LABEL.match(line):
                close()
                current, caption, pending_label = None, [], _figure_label(bare.group("label"))
            elif titled := _FIGURE_TITLE.match(line):
                if current is not None and pending_label is None:
                    close()
                    caption = []
                label = _figure_label(titled.group("label")).rstrip(".") or pending_label or ""
                current = {"label": label, "title": titled.group("title").strip()}
                pending_label = None
            elif current is None and pending_label is not None:
                current, caption = {"label": pending_label, "title": ""}, [line]
                pending_label = None
            elif current is not None:
                caption.append(line)
            else:
                self.warn(number, "figure", f"figure text without a figure label: {_clip(line)!r}")
        close()

    def _read_references(self, body: list[Line]) -> None:
        for number, raw in body:
            line = raw.strip()
            if line in _EMPTY_BULLETS:
                continue  # an empty list item carries nothing to cite
            if line in PAGE_CONTROLS or (
                line[:4] in ("Show", "See ", "Load") and _SHOW_ALL.fullmatch(line)
            ):
                self.warn(
                    number,
                    "reference-list",
                    f"page control in the reference list skipped: {line!r}",
                )
                continue
            marker = _LIST_MARKER.match(line)
            printed = line[marker.end() :] if marker else line
            index = len(self.references) + 1
            if number == self.last_line and (reference := self._last_reference(number, line)):
                self.references.append(reference)
                continue
            reference = parse_citation(printed, index=index)
            self.references.append(reference)
            if reference.warnings:
                self.warnings.extend(
                    replace(problem, line=number) for problem in reference.warnings
                )

    def _last_reference(self, number: int, line: str) -> Reference | None:
        """The page's last line, a reference, when it was cut: its printed text, the fields
        that end before the cut (`_read_cut_reference`), and a "cut" problem on it and on the
        page. None when it is whole."""
        marker = _LIST_MARKER.match(line)
        printed = line[marker.end() :] if marker else line
        index = len(self.references) + 1
        reference = parse_citation(printed, index=index) if _ends_complete(line) else None
        if not _is_cut_reference(line, reference):
            return None
        cut = Problem(number, "cut", f'reference {index} cut at "{_cut_tail(printed)}"')
        self.cut(cut.line, cut.message)
        return _read_cut_reference(printed, index=index, cut=cut)

    # result ----------------------------------------------------------------------------

    def article(self, text: str, *, pmid: str | None, last_line: int) -> Article:
        title = self.fields.pop("title", None)
        if not isinstance(title, str):
            raise PubMedPageError(
                "no article title found; the page may be cut off before it",
                path=self.source_path,
                line=last_line,
            )
        page_pmid = self.identifiers.get("pmid")
        named = pmid_in_file_name(self.source_path)
        if pmid and page_pmid and page_pmid != pmid:
            message = f"the page says PMID {page_pmid}, the caller gave {pmid}"
            self.warn(None, "identifier", message)
        elif not pmid and page_pmid and named and page_pmid != named:
            name = Path(self.source_path or "").name
            message = f"the page says PMID {page_pmid}, its file name {name} says {named}"
            self.warn(self.identifier_lines["pmid"], "identifier", f"{message}: the page's is read")
        if self.authors_line_date and "pub_date" not in self.fields:
            date = self.authors_line_date
            self.fields.update(pub_date=date, year=int(date[:4]))
        if page_doi := self.identifiers.get("doi"):
            self.fields.setdefault("doi", page_doi.rstrip("."))
        abstract = "\n\n".join(
            f"{label}: {text}" if label else text for label, text in self.abstract_sections
        )
        return Article(
            pmid=pmid or page_pmid or named,
            title=title,
            article_types=tuple(dict.fromkeys(self.article_types)),
            pmcid=self.identifiers.get("pmcid"),
            abstract=abstract or None,
            abstract_sections=tuple(self.abstract_sections),
            keywords=tuple(self.keywords),
            sections=tuple(self.sections),
            figures=tuple(self.figures),
            references=tuple(self.references),
            warnings=tuple(self.warnings),
            source_path=self.source_path,
            sha256=hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest(),
            **self.fields,  # type: ignore[arg-type]
        )


def _figure_label(printed: str | None) -> str:
    """A figure's label as printed; empty for a figure without one (`UNPRINTED_FIGURE_LABEL`)."""
    return "" if printed is None or printed == UNPRINTED_FIGURE_LABEL else printed


def _is_label(label: str) -> bool:
    """A structured-abstract label: upper case, or a short capitalised phrase."""
    return label.isupper() or len(label.split()) <= 4


def _clip(line: str, width: int = 80) -> str:
    return line if len(line) <= width else line[: width - 1] + "…"
