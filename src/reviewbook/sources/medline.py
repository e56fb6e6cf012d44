"""Read MEDLINE text (PubMed's "PubMed format", ``.nbib``) into `Article` records.

Biopython's `Bio.Medline` splits the text into tagged records (``PMID-``, ``TI  -``, ``AU  -``
...); this module maps the tags onto the model, the mapping kept as data in ``TEXT_TAGS`` and
``LIST_TAGS``. MEDLINE carries no reference list, so every article's ``references`` is empty.
"""

from __future__ import annotations

import hashlib
import io
import re

from Bio import Medline

from reviewbook.errors import Problem
from reviewbook.model import Article
from reviewbook.sources.citation import expand_page_range
from reviewbook.sources.pubmed_xml import MONTHS

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

_TAGGED_DOI = re.compile(r"(?P<doi>10\.\S+)\s+\[doi\]")
_ABSTRACT_LABEL = re.compile(r"(?:^|(?<=[.?!])\s+)(?P<label>[A-Z][A-Z0-9 ,&/()\-]{1,60}):\s+")
_COMPACT_DATE = re.compile(r"^(?P<year>\d{4})(?P<month>\d{2})(?P<day>\d{2})$")


def parse_medline(text: str, *, source_path: str | None = None) -> list[Article]:
    """Every record of a MEDLINE text, in order; a record missing its title gets a warning."""
    sha256 = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    starts = [
        number for number, line in enumerate(text.splitlines(), start=1) if line.startswith("PMID-")
    ]
    return [
        _article(
            record,
            line=starts[i] if i < len(starts) else None,
            source_path=source_path,
            sha256=sha256,
        )
        for i, record in enumerate(Medline.parse(io.StringIO(text)))
    ]


def _article(
    record: dict[str, object], *, line: int | None, source_path: str | None, sha256: str
) -> Article:
    fields = {field: _clean(record.get(tag)) for field, tag in TEXT_TAGS.items()}
    lists = {field: _values(record, tag) for field, tag in LIST_TAGS.items()}
    warnings: list[Problem] = []
    if not fields["title"]:
        message = f"record {fields['pmid'] or '?'} has no title (TI)"
        warnings.append(Problem(line, "record", message))
    authors = _values(record, "AU") or _values(record, "CN")
    first_page, last_page = expand_page_range(fields["pages"])
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
        abstract_sections=sections,
        warnings=tuple(warnings),
        source_path=source_path,
        sha256=sha256,
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
