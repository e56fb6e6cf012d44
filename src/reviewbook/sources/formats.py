"""Read any PubMed file reviewbook knows, telling its format from its content.

Three formats are known, each recognised by how its text opens (``FORMATS``): PubMed XML from
E-utilities, MEDLINE text (``.nbib``), and an abstract page saved as text, the fallback. The
file is read once; its bytes go to the XML parser, its decoded text to the others.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from reviewbook.errors import Problem, PubMedPageError, ReadError
from reviewbook.model import Article
from reviewbook.sources.decoding import UNICODE_BOMS, decode_text, read_bytes
from reviewbook.sources.medline import parse_medline
from reviewbook.sources.page import parse_pubmed_page
from reviewbook.sources.pubmed_xml import parse_pubmed_xml

KNOWN_FORMATS_HINT = (
    "reviewbook reads PubMed pages saved as text, MEDLINE (.nbib) files and PubMed XML"
)
"""Appended to the error for a file in none of the known formats."""


@dataclass(frozen=True)
class FileFormat:
    """A format reviewbook reads: its name, how its opening looks, how its bytes are read."""

    name: str
    opens_like: Callable[[str], bool]
    """Whether the first kilobyte of the file, as text, opens like this format."""
    read: Callable[[bytes, str], list[Article]]
    """The file's bytes and path to its records."""


_XML_OPENING = re.compile(r"^\s*<(?:\?xml|!DOCTYPE\s+Pubmed|Pubmed(?:Book)?Article)", re.IGNORECASE)
_MEDLINE_OPENING = re.compile(r"^\s*PMID-\s*\d")
_HEAD_BYTES = 1024


def _read_xml(data: bytes, path: str) -> list[Article]:
    return parse_pubmed_xml(data, source_path=path)


def _read_medline(data: bytes, path: str) -> list[Article]:
    text, warnings = decode_text(data, path=path)
    digest = hashlib.sha256(data).hexdigest()
    return [
        _with_file(article, digest, warnings) for article in parse_medline(text, source_path=path)
    ]


def _read_page(data: bytes, path: str) -> list[Article]:
    text, warnings = decode_text(data, path=path)
    stem = Path(path).stem
    try:
        article = parse_pubmed_page(text, pmid=stem if stem.isdigit() else None, source_path=path)
    except PubMedPageError as error:
        raise PubMedPageError(
            f"{error.reason}; {KNOWN_FORMATS_HINT}", path=error.path, line=error.line
        ) from None
    return [_with_file(article, hashlib.sha256(data).hexdigest(), warnings)]


def _with_file(article: Article, digest: str, warnings: tuple[Problem, ...]) -> Article:
    """The record with the file's digest and the file's decoding warnings before its own."""
    return replace(article, sha256=digest, warnings=warnings + article.warnings)


FORMATS: tuple[FileFormat, ...] = (
    FileFormat("pubmed-xml", lambda head: bool(_XML_OPENING.match(head)), _read_xml),
    FileFormat("medline", lambda head: bool(_MEDLINE_OPENING.match(head)), _read_medline),
    FileFormat("pubmed-page", lambda head: True, _read_page),
)
"""Known formats, tried in order; the page reader takes whatever the others do not."""


def file_format(data: bytes) -> FileFormat:
    """The format a file's bytes open like (the page format when no other fits)."""
    head = _head_text(data)
    return next(known for known in FORMATS if known.opens_like(head))


def read_articles(path: str | os.PathLike[str]) -> list[Article]:
    """Every record in a PubMed page, MEDLINE or PubMed XML file, whatever its name says.

    Raises `ReadError`, naming the file, for one that cannot be read or is in none of
    these formats.
    """
    name = os.fspath(path)
    data = read_bytes(path)
    if not data.strip():
        raise ReadError(f"empty: no text to read; {KNOWN_FORMATS_HINT}", path=name, line=1)
    return file_format(data).read(data, name)


def read_article(path: str | os.PathLike[str]) -> Article:
    """The one record in a file (see `read_articles`); raises unless there is exactly one."""
    articles = read_articles(path)
    if len(articles) != 1:
        raise ReadError(
            f"holds {len(articles)} records, not one; read_articles reads them all",
            path=os.fspath(path),
        )
    return articles[0]


def _head_text(data: bytes) -> str:
    """The opening of the file as text, for recognising its format only."""
    head = data[:_HEAD_BYTES]
    encoding = next((name for bom, name in UNICODE_BOMS if head.startswith(bom)), "utf-8")
    return head.decode(encoding, errors="ignore")
