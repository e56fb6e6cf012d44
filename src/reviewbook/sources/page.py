"""Read a PubMed abstract page, saved as text, into an `Article`.

The page is recognised by what its lines say, not where they sit: the site banner is skipped,
the header (article types, citation, DOI, title, authors) is read line by line, and the body is
cut at known section headings. Whatever is not understood becomes a warning naming its line.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

import ftfy

from reviewbook.errors import Problem, PubMedPageError
from reviewbook.model import Article, Figure, Reference
from reviewbook.sources.citation import (
    DATE_PATTERN,
    ISSUE_PATTERN,
    PAGES_PATTERN,
    VOLUME_PATTERN,
    expand_page_range,
    parse_citation,
)
from reviewbook.sources.decoding import read_text_file
from reviewbook.sources.page_layout import (
    ABSTRACT_HEADING,
    BANNER_END_PREFIX,
    BANNER_LINES,
    FIGURES_HEADING,
    KEYWORDS_HEADING,
    PAGE_CONTROLS,
    PUBLICATION_TYPES,
    REFERENCES_HEADING,
    SECTION_HEADINGS,
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
    + PAGES_PATTERN
    + r")?)?\.?(?:\s+(?P<tail>.*))?$"
)
_DOI_LINE = re.compile(
    r"^doi:\s*(?P<doi>10\.\S+?)\.?(?:\s+Epub\s+(?P<epub>\d{4}(?:\s[A-Z][a-z]{2})?(?:\s\d{1,2})?)\.?)?"
    r"(?:\s+(?P<tail>.*))?$",
    re.IGNORECASE,
)
_IDENTIFIER = re.compile(r"\b(?P<kind>PMID|PMCID|DOI):\s*(?P<value>\S+?)\.?(?=\s|$)")
_IDENTIFIER_LINE = re.compile(r"^(?:-\s*)?(?:PMID|PMCID|DOI):\s*\S")
_AUTHORS_LINE = re.compile(r"^(?P<core>\S.*?\.\s\S.*?)\.\s*(?:\d{4}\.|\.)$")
_ET_AL = re.compile(r"^(?P<authors>.+?),?\s+et\s+al\.\s+(?P<journal>.+)$")
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
_FIGURE_LABEL = re.compile(r"^(?P<label>(?:Figure|Fig\.?)(?:\s*S?\d+[A-Za-z]?)?)\.?$")
_FIGURE_TITLE = re.compile(
    r"^(?P<label>(?:Figure|Fig\.?)(?:\s*S?\d+[A-Za-z]?)?)(?:[.:]\s*|\s+)(?P<title>\S.*)$"
)
_HTML = re.compile(r"<(?:!DOCTYPE|html|head|body|div|meta|script|p|span|a)\b", re.IGNORECASE)
_MOJIBAKE_HINT = re.compile(r"[ÃÂâ][\x80-\xbf€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ]")
_MOJIBAKE_MARKS = ("Ã", "Â", "â")
_CONTROL_CHARS_SET = tuple(chr(code) for code in (*range(0x00, 0x09), *range(0x0E, 0x20)))
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0e-\x1f]")


def read_pubmed_page(path: str | os.PathLike[str]) -> Article:
    """Read a saved PubMed page; an all-digit file name (``29037250.txt``) gives the PMID."""
    name = os.fspath(path)
    text, sha256, decoding_warnings = read_text_file(path)
    stem = Path(name).stem
    article = parse_pubmed_page(text, pmid=stem if stem.isdigit() else None, source_path=name)
    return replace(article, sha256=sha256, warnings=decoding_warnings + article.warnings)


def parse_pubmed_page(
    text: str, *, pmid: str | None = None, source_path: str | None = None
) -> Article:
    """Parse the text of a PubMed abstract page into an `Article`.

    Raises `PubMedPageError` only when the text is not such a page at all; anything else that
    is not understood is kept and reported in ``Article.warnings``.
    """
    lines = _lines(text)
    _check_is_text_page(text, lines, source_path)
    reader = _PageReader(source_path=source_path)
    if any(mark in text for mark in _MOJIBAKE_MARKS) and _MOJIBAKE_HINT.search(text):
        lines = [reader.repair_mojibake(number, line) for number, line in lines]
    content = [line for line in _without_banner(lines) if line[1].strip()]
    header, sections = _split_at_headings(content)
    reader.read_header(header)
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
    if any(char in text for char in _CONTROL_CHARS_SET):
        number = next(number for number, line in filled if _CONTROL_CHARS.search(line))
        raise PubMedPageError("binary data, not a text page", path=path, line=number)
    first_number, first = filled[0]
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
        or (stripped.startswith(".") and bool(_CITATION_LINE.match(stripped[1:].strip())))
        or bool(stripped.endswith(". .") and _AUTHORS_LINE.match(stripped))
    )


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


# --- reading the parts -----------------------------------------------------------------------


@dataclass
class _PageReader:
    """Collects an article's fields while the page is read, top to bottom."""

    source_path: str | None
    fields: dict[str, object] = field(default_factory=dict)
    identifiers: dict[str, str] = field(default_factory=dict)
    article_types: list[str] = field(default_factory=list)
    abstract_sections: list[tuple[str, str]] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)
    sections: list[tuple[str, str]] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    references: list[Reference] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    title_line: int | None = None

    def warn(self, number: int | None, kind: str, message: str) -> None:
        self.warnings.append(Problem(number, kind, message))

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

    def read_header(self, header: list[Line]) -> None:
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
            elif _AUTHORS_LINE.match(line) and (line.endswith(". .") or "et al." in line):
                self._read_authors_line(number, line)
            elif line.lower() in SECTION_HEADINGS:
                self.warn(
                    number, "header", f"section heading {line!r} above the article title; ignored"
                )
            else:
                others.append((number, line))
        self._read_types_and_title(
            others, anchor_line=None if anchor is None else header[anchor][0]
        )

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
        if groups["tail"]:
            self._read_doi_line(number, groups["tail"].strip()) or self.warn(
                number, "header", f"not understood after the citation: {groups['tail']!r}"
            )
        return True

    def _read_doi_line(self, number: int, line: str) -> bool:
        match = _DOI_LINE.match(line)
        if not match or "doi" in self.fields:
            return False
        self.fields["doi"] = match.group("doi").rstrip(".")
        if match.group("epub"):
            self.fields["epub_date"] = match.group("epub")
        if match.group("tail"):
            self.warn(number, "header", f"not understood after the DOI: {match.group('tail')!r}")
        return True

    def _read_identifiers(self, number: int, line: str) -> None:
        for match in _IDENTIFIER.finditer(line):
            kind, value = match.group("kind").lower(), match.group("value")
            self.identifiers.setdefault(kind, value)
        if not _IDENTIFIER.search(line):
            self.warn(number, "identifier", f"identifier not understood: {line!r}")

    def _read_authors_line(self, number: int, line: str) -> None:
        if "authors_display" in self.fields:
            return
        core = " ".join(_AUTHORS_LINE.match(line).group("core").split())  # type: ignore[union-attr]
        if et_al := _ET_AL.match(core):
            authors, journal = et_al.group("authors"), et_al.group("journal")
            self.fields["authors_display"] = f"{authors} et al."
        else:
            authors, _, journal = core.partition(". ")
            self.fields["authors_display"] = authors
        self.fields["first_author"] = re.split(r",\s*", authors)[0]
        self.fields["journal"] = journal.strip()

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
        if label:
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
                current, caption, pending_label = None, [], bare.group("label")
            elif titled := _FIGURE_TITLE.match(line):
                if current is not None and pending_label is None:
                    close()
                    caption = []
                label = titled.group("label").rstrip(".")
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
            reference = parse_citation(
                line[marker.end() :] if marker else line, index=len(self.references) + 1
            )
            self.references.append(reference)
            if reference.warnings:
                self.warnings.extend(
                    replace(problem, line=number) for problem in reference.warnings
                )

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
        if pmid and page_pmid and page_pmid != pmid:
            message = f"the page says PMID {page_pmid}, the caller gave {pmid}"
            self.warn(None, "identifier", message)
        if page_doi := self.identifiers.get("doi"):
            self.fields.setdefault("doi", page_doi.rstrip("."))
        abstract = "\n\n".join(
            f"{label}: {text}" if label else text for label, text in self.abstract_sections
        )
        return Article(
            pmid=pmid or page_pmid,
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


def _is_label(label: str) -> bool:
    """A structured-abstract label: upper case, or a short capitalised phrase."""
    return label.isupper() or len(label.split()) <= 4


def _clip(line: str, width: int = 80) -> str:
    return line if len(line) <= width else line[: width - 1] + "…"
