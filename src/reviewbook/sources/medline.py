"""Read MEDLINE text (PubMed's "PubMed format", ``.nbib``) into `Article` records.

Records are separated by blank lines; they are read one at a time (`iter_medline`), each by
Biopython's `Bio.Medline` into its tagged fields (``PMID-``, ``TI  -``, ``AU  -`` ...), which
this module maps onto the model, the mapping kept as data in ``TEXT_TAGS`` and ``LIST_TAGS``.
MEDLINE carries no reference list, so every article's ``references`` is empty. A record missing
its PMID or title, and a last record cut short inside its title or abstract, get a problem.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from Bio import Medline

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
    """Each line with a ``\\n`` ending, as `Bio.Medline` reads them."""
    problems: list[Problem] = field(default_factory=list)
    last_field_line: int = 0


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
    for record in _records(lines):
        if previous is not None:
            yield _article(
                previous, index=index, last=False, source_path=source_path, sha256=sha256
            )
        previous, index = record, index + 1
    if previous is not None:
        yield _article(previous, index=index, last=True, source_path=source_path, sha256=sha256)


def _records(lines: Iterable[TextLine]) -> Iterator[_RecordLines]:
    """Lines grouped into records at blank lines (a blank continuation line is not one)."""
    record: _RecordLines | None = None
    for line in lines:
        if not line.text.strip() and not line.text.startswith(CONTINUATION):
            if record is not None:
                yield record
            record = None
            continue
        record = record or _RecordLines(start=line.number)
        record.lines.append(line.text + "\n")
        if line.problem:
            record.problems.append(line.problem)
        if not line.text.startswith(CONTINUATION):
            record.last_field_line = len(record.lines) - 1
    if record is not None:
        yield record


def _article(
    lines: _RecordLines, *, index: int, last: bool, source_path: str | None, sha256: str | None
) -> Article:
    record: dict[str, object] = next(Medline.parse(lines.lines))
    fields = {name: _clean(record.get(tag)) for name, tag in TEXT_TAGS.items()}
    lists = {name: _values(record, tag) for name, tag in LIST_TAGS.items()}
    warnings = list(lines.problems)
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
        year=int(year) if year.isdigit() else None,
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


def _clean(value: object) -> str | None:
    """A tag's text with MEDLINE's line wrapping undone; None when absent or blank."""
    if isinstance(value, list):
        value = " ".join(str(item) for item in value)
    return " ".join(str(value).split()) or None if value is not None else None


def _values(record: dict[str, object], tag: str) -> tuple[str, ...]:
    value = record.get(tag)
    items = value if isinstance(value, list) else [value] if value else []
    return tuple(text for item in items if (text := _clean(item)))


def _doi(record: dict[str, object]) -> str | None:
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
