"""Read MEDLINE text (PubMed's "PubMed format", ``.nbib``) into `Article` records.

Records are separated by blank lines; they are read one at a time (`iter_medline`), each into
its tagged fields (``PMID-``, ``TI  -``, ``AU  -`` ...; a line opening with six spaces continues
the value above it), which this module maps onto the model, the mapping kept as data in
``TEXT_TAGS`` and ``LIST_TAGS``. MEDLINE carries no reference list, so every article's
``references`` is empty. A record missing its PMID or title, a last record cut short inside its
title or abstract, and lines out of place (a continuation line with no field above it, a blank
line inside a field) get a problem; nothing a record holds makes the reader raise.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from reviewbook.errors import Problem
from reviewbook.model import Article, MeshHeading
from reviewbook.sources.citation import expand_page_range, page_range_problem
from reviewbook.sources.decoding import TextLine
from reviewbook.sources.page_layout import MONTHS

TEXT_TAGS: dict[str, str] = {
    "pmid": "PMID",
    "title": "TI",
    "journal": "TA",
    "pub_date": "DP",
    "volume": "VI",
    "issue": "IP",
    "pages": "PG",
    "pmcid": "PMC",
    "copyright": "CI",
    "abstract": "AB",
}
"""Article fields read as they stand from one MEDLINE tag each."""
TEXT_FIELDS: dict[str, str] = {tag: name for name, tag in TEXT_TAGS.items()}
"""`TEXT_TAGS` the other way round: the field each tag fills."""
LIST_TAGS: dict[str, str] = {"article_types": "PT", "keywords": "OT"}
"""Article fields read from a repeated MEDLINE tag, in order."""
DOI_TAGS: tuple[str, ...] = ("AID", "LID")
"""Tags whose ``10.xxx [doi]`` values give the article's DOI, in order of preference."""
PROSE_TAGS: dict[str, str] = {"TI": "title", "AB": "abstract", "CI": "copyright", "OAB": "abstract"}
"""Tags holding sentences, by what they are: one that ends a file mid-sentence was cut."""
MESH_TAG = "MH"
"""MeSH headings: ``Neoplasm Metastasis/*immunology``, a ``*`` before a major topic."""
CONTINUATION = " " * 6
"""How a MEDLINE line that continues the field above it opens."""
CUT_QUOTE_CHARS = 30
"""How much of a cut field's end a "cut" problem quotes."""
BLANK_INSIDE_FIELD = "a blank line inside the field above it; read as part of it"
"""The problem of blank lines followed by a continuation line: an editor that trims trailing
spaces makes a blank continuation line (six spaces) empty, which would end the record."""
STRAY_CONTINUATION = "a continuation line with no field above it: {text!r}"
"""The problem of a record that opens with a continuation line: it continues nothing."""

_TAGGED_DOI = re.compile(r"(?P<doi>10\.\S+)\s+\[doi\]")
_ABSTRACT_LABEL = re.compile(r"(?:^|(?<=[.?!])\s+)(?P<label>[A-Z][A-Z0-9 ,&/()\-]{1,60}):\s+")
_COMPACT_DATE = re.compile(r"^(?P<year>\d{4})(?P<month>\d{2})(?P<day>\d{2})$")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_SENTENCE_END = re.compile(r"[.?!)\]\"'”’]$")


@dataclass
class _RecordLines:
    """The lines of one record as read: where it starts, its text, the lines' problems."""

    start: int
    lines: list[str] = field(default_factory=list)
    """Each line of the record in the file, without its line break (blank ones inside it too)."""
    problems: list[Problem] = field(default_factory=list)
    last_field_line: int = 0

    def add(self, line: TextLine) -> None:
        """Add the record's next line, keeping its decoding problem."""
        self.lines.append(line.text)
        if line.problem:
            self.problems.append(line.problem)
        if not line.text.startswith(CONTINUATION):
            self.last_field_line = len(self.lines) - 1


def parse_medline(text: str, *, source_path: str | None = None) -> list[Article]:
    """Every record of a MEDLINE text, in order (see `iter_medline`)."""
    sha256 = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    lines = (
        TextLine(number, line)
        for number, line in enumerate(_LINE_BREAK.split(text.removeprefix("\ufeff")), start=1)
    )
    return list(iter_medline(lines, source_path=source_path, sha256=sha256))


def iter_medline(
    lines: Iterable[TextLine], *, source_path: str | None, sha256: str | None
) -> Iterator[Article]:
    """The records of MEDLINE text given line by line, one at a time, in order.

    A record missing its PMID or title gets a "record" problem naming its first line; the last
    record gets a "cut" problem when it ends inside a title or abstract that ends mid-sentence.
    """
    previous: _RecordLines | None = None
    index = 0
    for record in record_lines(lines):
        if previous is not None:
            yield _article(
                previous, index=index, last=False, source_path=source_path, sha256=sha256
            )
        previous, index = record, index + 1
    if previous is not None:
        yield _article(previous, index=index, last=True, source_path=source_path, sha256=sha256)


def record_lines(lines: Iterable[TextLine]) -> Iterator[_RecordLines]:
    """Lines grouped into records at blank lines. A blank continuation line (six spaces) is not
    one, nor are blank lines followed by a continuation line: the field above goes on through
    them (`BLANK_INSIDE_FIELD`)."""
    record: _RecordLines | None = None
    blank_count = first_blank = 0  # the blank lines since the last line read, counted
    blank_problems: list[Problem] = []
    for line in lines:
        text = line.text
        if not text.strip() and not text.startswith(CONTINUATION):
            first_blank = first_blank if blank_count else line.number
            blank_count += 1
            blank_problems.extend([line.problem] if line.problem else [])
            continue
        if blank_count and record is not None:
            if text.startswith(CONTINUATION):
                record.problems.append(Problem(first_blank, "input", BLANK_INSIDE_FIELD))
                record.lines.extend([""] * blank_count)
            else:
                yield record
                record = None
        if record is None:
            record = _RecordLines(start=line.number)
        if blank_count:
            record.problems.extend(blank_problems)
            blank_count, blank_problems = 0, []
        record.add(line)
    if record is not None:
        yield record


def tagged_fields(lines: _RecordLines) -> tuple[dict[str, list[str]], list[Problem]]:
    """A record's values by tag, in order (``{"PMID": ["29037250"], "AU": [...], ...}``), and
    the problems of its lines.

    A continuation line (six spaces, or blank inside the record) continues the value above
    it, joined by a space; one with no field above it is a problem, quoting it.
    """
    fields: dict[str, list[str]] = {}
    problems: list[Problem] = []
    values: list[str] | None = None
    parts: list[str] = []
    for offset, line in enumerate(lines.lines):
        if line.startswith(CONTINUATION) or not line.strip():
            if values is not None:
                parts.append(line[6:])
            elif text := line.strip():
                message = STRAY_CONTINUATION.format(text=_clip(text))
                problems.append(Problem(lines.start + offset, "input", message))
            continue
        if values is not None:
            values.append(" ".join(parts))
        values = fields.setdefault(line[:4].rstrip(), [])
        parts = [line[6:]]
    if values is not None:
        values.append(" ".join(parts))
    return fields, problems


def _article(
    lines: _RecordLines, *, index: int, last: bool, source_path: str | None, sha256: str | None
) -> Article:
    record, line_problems = tagged_fields(lines)
    fields: dict[str, str | None] = dict.fromkeys(TEXT_TAGS)
    for tag, values in record.items():  # the tags a record holds, not every tag there is
        if (name := TEXT_FIELDS.get(tag)) is not None:
            fields[name] = _clean(values)
    lists = {name: _values(record, tag) for name, tag in LIST_TAGS.items()}
    warnings = [*lines.problems, *line_problems]
    if not fields["pmid"]:
        warnings.append(Problem(lines.start, "record", f"record {index} has no PMID (PMID-)"))
    if not fields["title"]:
        message = f"record {fields['pmid'] or index} has no title (TI)"
        warnings.append(Problem(lines.start, "record", message))
    if last and (cut := _cut_field(lines)):
        warnings.append(cut)
    authors = _values(record, "AU") or _values(record, "CN")
    first_page, last_page = expand_page_range(fields["pages"])
    if problem := page_range_problem(first_page, last_page):
        warnings.append(Problem(lines.start, "implausible", f"pages (PG): {problem}"))
    year = (fields["pub_date"] or "")[:4]
    sections = abstract_sections(fields["abstract"])
    abstract = "\n\n".join(f"{label}: {text}" if label else text for label, text in sections)
    return Article(
        **{**fields, "title": fields["title"] or "", "abstract": abstract or None},
        **lists,  # type: ignore[arg-type]
        year=int(year) if year.isdecimal() else None,  # "2¹17".isdigit(), but not int
        first_page=first_page,
        last_page=last_page,
        doi=_doi(record),
        epub_date=_compact_date(_clean(record.get("DEP"))),
        authors_display=", ".join(authors) or None,
        first_author=authors[0] if authors else None,
        authors=authors,
        mesh_headings=tuple(mesh_heading(value) for value in _values(record, MESH_TAG)),
        abstract_sections=sections,
        warnings=tuple(warnings),
        source_path=source_path,
        sha256=sha256,
    )


def _cut_field(lines: _RecordLines) -> Problem | None:
    """A "cut" problem when the record's last field is prose that stops mid-sentence."""
    field_line = lines.lines[lines.last_field_line]
    name = PROSE_TAGS.get(field_line[:4].rstrip())
    if name is None:
        return None
    text = " ".join(" ".join([field_line[6:], *lines.lines[lines.last_field_line + 1 :]]).split())
    if not text or _SENTENCE_END.search(text):
        return None
    quoted = text if len(text) <= CUT_QUOTE_CHARS else "..." + text[-CUT_QUOTE_CHARS:]
    line = lines.start + len(lines.lines) - 1
    return Problem(line, "cut", f'{name} cut at "{quoted}"')


def mesh_heading(value: str) -> MeshHeading:
    """A MEDLINE ``MH`` value read: ``Lymphatic Metastasis/*immunology/pathology`` gives the
    descriptor, its qualifiers, and whether any part is starred as a major topic."""
    descriptor, *qualifiers = (part.strip() for part in value.split("/"))
    return MeshHeading(
        descriptor=descriptor.lstrip("*"),
        major="*" in value,
        qualifiers=tuple(qualifier.lstrip("*") for qualifier in qualifiers),
    )


def abstract_sections(abstract: str | None) -> tuple[tuple[str, str], ...]:
    """``(label, text)`` pairs of an abstract printed as ``BACKGROUND: ... RESULTS: ...``.

    An abstract that does not open with an upper-case label is one unlabelled section.
    """
    if not abstract:
        return ()
    opening = _ABSTRACT_LABEL.match(abstract)
    if not opening or not opening.group("label").isupper():
        return (("", abstract),)
    labels = [
        match for match in _ABSTRACT_LABEL.finditer(abstract) if match.group("label").isupper()
    ]
    ends = [match.start() for match in labels[1:]] + [len(abstract)]
    return tuple(
        (match.group("label"), abstract[match.end() : end].strip())
        for match, end in zip(labels, ends, strict=True)
    )


def _clean(values: list[str] | None) -> str | None:
    """A tag's values as one text, MEDLINE's line wrapping undone; None when absent or blank."""
    if not values:
        return None
    return " ".join(" ".join(values).split()) or None


def _values(record: dict[str, list[str]], tag: str) -> tuple[str, ...]:
    """Each non-blank value of a repeated tag, its line wrapping undone."""
    values = record.get(tag)
    if not values:
        return ()
    return tuple(text for value in values if (text := " ".join(value.split())))


def _clip(text: str, width: int = 60) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _doi(record: dict[str, list[str]]) -> str | None:
    """The first ``10.xxx [doi]`` among the article identifiers (AID), then the location (LID)."""
    for tag in DOI_TAGS:
        for value in _values(record, tag):
            if match := _TAGGED_DOI.search(value):
                return match.group("doi")
    return None


def _compact_date(date: str | None) -> str | None:
    """``2006 Jan 10`` from MEDLINE's ``20060110``; anything else as it stands."""
    match = _COMPACT_DATE.match(date or "")
    if not match:
        return date
    month = int(match.group("month"))
    parts = [match.group("year")]
    if 1 <= month <= len(MONTHS):
        parts.append(MONTHS[month - 1])
        parts.append(str(int(match.group("day"))))
    return " ".join(parts)
