"""Read any PubMed or PMC file reviewbook knows, telling its format from its content.

Four formats are known, each recognised by how its text opens (``FORMATS``): PMC full text
(JATS XML, one article or a ``<pmc-articleset>``), PubMed XML from E-utilities, MEDLINE text
(``.nbib``), and an abstract page saved as text, the fallback. Any of them may come
gzip-compressed (as PubMed's baseline and update files do): the gzip magic bytes, not the
name, say so. Both XML formats and MEDLINE are streamed record by record (`iter_articles`), so
a file of thousands of records is read in flat memory, each record bounded in size as one
record of a stream; a page is read whole. Only regular files are opened, and sizes are
bounded (see `reviewbook.sources.opening`).

An HTML page is never read as a full text: JATS is told by its DOCTYPE or its root, which no
HTML page has. A full text's web page saved from a browser (PMC's or Europe PMC's page of the
article, told by the address in its ``<head>``) is refused with what to save instead.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from typing import BinaryIO

from reviewbook.errors import Problem, PubMedPageError, ReadError
from reviewbook.model import Article, Deletion
from reviewbook.sources.decoding import SNIFF_BYTES, decode_text, iter_text_lines, text_encoding
from reviewbook.sources.jats import iter_jats
from reviewbook.sources.medline import iter_medline
from reviewbook.sources.opening import InputFile, gunzipped_head, open_input, spool_input
from reviewbook.sources.page import parse_pubmed_page
from reviewbook.sources.pubmed_xml import iter_pubmed_entries

KNOWN_FORMATS_HINT = (
    "reviewbook reads PubMed pages saved as text, MEDLINE (.nbib) files, PubMed XML and "
    "PMC full text (JATS XML), each also gzip-compressed"
)
"""Appended to the error for a file in none of the known formats."""
STDIN_NAME = "<stdin>"
"""What records read from standard input give as their ``source_path``."""


@dataclass(frozen=True)
class FileFormat:
    """A format reviewbook reads: its name, how its opening looks, how its records are read."""

    name: str
    opens_like: Callable[[str], bool]
    """Whether the first kilobyte of the file, as text, opens like this format."""
    read: Callable[..., Iterator[Article | Deletion]]
    """An opened file to its records (and an update file's deletions), one at a time; takes
    ``citations=False`` to leave PubMed XML reference texts unread (see `iter_entries`)."""


_JATS_OPENINGS: tuple[re.Pattern[str], ...] = (
    # PMC's own DTDs, named by the root: <!DOCTYPE article PUBLIC "-//NLM//DTD JATS (Z39.96)...
    re.compile(
        r"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*"
        r"<!DOCTYPE\s+(?:article|pmc-articleset)\s+PUBLIC\s+[\"']-//NLM//DTD",
        re.DOTALL,
    ),
    # An XML document whose root is a JATS <article> or PMC's <pmc-articleset>.
    re.compile(r"^\s*<\?xml[^>]*>\s*(?:<!--.*?-->\s*)*<(?:article|pmc-articleset)[\s>]", re.DOTALL),
    # A bare JATS <article> start tag, told from HTML's by its JATS attributes.
    re.compile(r"^\s*<article\s[^>]*\b(?:article-type|dtd-version|xmlns:(?:xlink|mml))\s*="),
)
"""How a PMC full-text (JATS) file opens; tried before PubMed XML's opening, which ``<?xml``
alone would match."""
_XML_OPENING = re.compile(r"^\s*<(?:\?xml|!DOCTYPE\s+Pubmed|Pubmed(?:Book)?Article)", re.IGNORECASE)
_MEDLINE_OPENING = re.compile(r"^\s*(?=[A-Z][A-Z0-9 ]{3}- )[A-Z][A-Z0-9]{0,3} *- ")
"""A MEDLINE tag line: a tag padded to four columns, then ``- `` (``PMID- ``, ``TI  - ``)."""
_HEAD_BYTES = 1024
_HTML_OPENING = re.compile(r"^\s*(?:<!--.*?-->\s*)*<(?:!DOCTYPE\s+html|html)[\s>]", re.I | re.S)
"""How an HTML page opens (a browser's "Save page as"): ``<!DOCTYPE html>`` or ``<html``."""
_ADDRESS_TAG = re.compile(
    r"<(?:link|meta)\b[^>]*\b(?:rel\s*=\s*[\"']?canonical|property\s*=\s*[\"']?og:url)\b[^>]*>",
    re.I,
)
"""The tag of a saved page that gives its own address: ``<link rel="canonical" href=...>`` or
``<meta property="og:url" content=...>``."""
FULL_TEXT_PAGE_ADDRESSES: tuple[re.Pattern[str], ...] = (
    re.compile(r"//pmc\.ncbi\.nlm\.nih\.gov/articles/(PMC\d+)", re.I),
    re.compile(r"//(?:www\.)?ncbi\.nlm\.nih\.gov/pmc/articles/(PMC\d+)", re.I),
    re.compile(r"//europepmc\.org/(?:article/PMC/|articles/)(PMC\d+)", re.I),
)
"""Addresses of a full text's web page (PMC's, old and new, and Europe PMC's), each with its
PMCID: a saved page whose own address is one of these is the article's page, not its XML."""
_PAGE_SCAN_CHARACTERS = 256 * 1024
"""How far into a saved HTML page its own address is looked for (it is in the ``<head>``)."""
FULL_TEXT_XML_ADDRESS = "https://www.ebi.ac.uk/europepmc/webservices/rest/{pmcid}/fullTextXML"
"""Where the JATS XML of an open-access full text can be saved from, by PMCID."""
LIBXML_ENCODINGS: dict[str, str] = {"utf-16-le": "UTF-16LE", "utf-16-be": "UTF-16BE"}
"""Codecs `text_encoding` guesses without a BOM, by the name libxml2 knows them by."""


def _read_xml(opened: InputFile, *, citations: bool = True) -> Iterator[Article | Deletion]:
    return _read_xml_with(iter_pubmed_entries, opened, citations=citations)


def _read_jats(opened: InputFile, *, citations: bool = True) -> Iterator[Article | Deletion]:
    """The articles of a full text (its references are tagged: ``citations`` changes nothing)."""
    return _read_xml_with(iter_jats, opened)


def _read_xml_with(
    reader: Callable[..., Iterator[Article | Deletion]], opened: InputFile, **options: bool
) -> Iterator[Article | Deletion]:
    """An XML file read by ``reader`` in the encoding its opening shows, each record carrying
    the guess when the encoding had to be guessed."""
    encoding, guessed = text_encoding(opened.head(SNIFF_BYTES))
    records = reader(
        opened.content,
        source_path=opened.name,
        sha256=opened.sha256,
        encoding=LIBXML_ENCODINGS.get(encoding),
        **options,
    )
    return _with_problems(records, (guessed,) if guessed else ())


def _read_medline(opened: InputFile, *, citations: bool = True) -> Iterator[Article | Deletion]:
    _, guessed = text_encoding(opened.head(SNIFF_BYTES))
    records = iter_medline(iter_text_lines(opened), source_path=opened.name, sha256=opened.sha256)
    return _with_problems(records, (guessed,) if guessed else ())


def _read_page(opened: InputFile, *, citations: bool = True) -> Iterator[Article | Deletion]:
    data = opened.read_whole()
    if not data.strip():
        raise ReadError(f"empty: no text to read; {KNOWN_FORMATS_HINT}", path=opened.name, line=1)
    text, problems = decode_text(data, path=opened.name)
    if pmcid := full_text_page_pmcid(text):
        raise ReadError(
            f"an HTML page, PMC's web page of {pmcid}, not its full text: reviewbook reads the "
            f"article's JATS XML; add the review by its PMCID (reviewbook add {pmcid}) or save "
            f"the XML from {FULL_TEXT_XML_ADDRESS.format(pmcid=pmcid)}",
            path=opened.name,
            line=text[: len(text) - len(text.lstrip())].count("\n") + 1,
        )
    try:
        article = parse_pubmed_page(text, source_path=opened.name)  # the name may give the PMID
    except PubMedPageError as error:
        raise PubMedPageError(
            f"{error.reason}; {KNOWN_FORMATS_HINT}", path=error.path, line=error.line
        ) from None
    yield replace(article, sha256=opened.sha256, warnings=problems + article.warnings)


def full_text_page_pmcid(text: str) -> str | None:
    """The PMCID of a full text's web page saved as HTML (its own address, in its ``<head>``,
    is PMC's or Europe PMC's page of the article); None for any other text."""
    text = text.removeprefix("\ufeff")
    if not _HTML_OPENING.match(text[:_HEAD_BYTES]):
        return None
    for tag in _ADDRESS_TAG.finditer(text, 0, _PAGE_SCAN_CHARACTERS):
        for address in FULL_TEXT_PAGE_ADDRESSES:
            if found := address.search(tag.group()):
                return found.group(1).upper()
    return None


def _with_problems(
    entries: Iterator[Article | Deletion], problems: tuple[Problem, ...]
) -> Iterator[Article | Deletion]:
    """The records, each with the file's own problems before its own."""
    if not problems:
        return entries
    return (
        replace(entry, warnings=problems + entry.warnings) if isinstance(entry, Article) else entry
        for entry in entries
    )


FORMATS: tuple[FileFormat, ...] = (
    FileFormat(
        "pmc-jats", lambda head: any(known.match(head) for known in _JATS_OPENINGS), _read_jats
    ),
    FileFormat("pubmed-xml", lambda head: bool(_XML_OPENING.match(head)), _read_xml),
    FileFormat("medline", lambda head: bool(_MEDLINE_OPENING.match(head)), _read_medline),
    FileFormat("pubmed-page", lambda head: True, _read_page),
)
"""Known formats, tried in order; the page reader takes whatever the others do not."""


def file_format(data: bytes) -> FileFormat:
    """The format a file's bytes (or their opening, gzip or not) open like (else the page's)."""
    head = _head_text(gunzipped_head(data, _HEAD_BYTES))
    return next(known for known in FORMATS if known.opens_like(head))


def iter_articles(path: str | os.PathLike[str]) -> Iterator[Article]:
    """Every record in a PubMed page, MEDLINE, PubMed XML or PMC full-text file (or a gzip of
    one), in order; a full text gives one article (one per article of a ``<pmc-articleset>``).

    Records are read one at a time as the iterator is consumed. Raises `ReadError`, naming
    the file, for one that cannot be read or is in none of these formats; in a file that
    goes wrong part-way (XML that stops being well-formed), the records before are yielded
    first.
    """
    with open_input(path) as opened:
        yield from _articles(_records(opened))


def iter_entries(
    path: str | os.PathLike[str], *, citations: bool = True
) -> Iterator[Article | Deletion]:
    """Every record of a file, as `iter_articles` reads them, and, in document order among
    them, a `Deletion` for each PMID an update file's ``<DeleteCitation>`` withdraws.

    ``citations=False`` leaves the citation text of PubMed XML references unread (each keeps
    ``raw`` and NCBI's identifiers): reading citations is most of the time of a bulk read.
    MEDLINE has no references, and a saved page's are always read.
    """
    with open_input(path) as opened:
        yield from _records(opened, citations=citations)


def iter_stream_articles(stream: BinaryIO, *, name: str = STDIN_NAME) -> Iterator[Article]:
    """Every record in a stream (standard input), read as `iter_articles` reads a file."""
    with spool_input(stream, name=name) as opened:
        yield from _articles(_records(opened))


def _articles(entries: Iterator[Article | Deletion]) -> Iterator[Article]:
    return (entry for entry in entries if isinstance(entry, Article))


def read_articles(path: str | os.PathLike[str]) -> list[Article]:
    """Every record of a file, as a list (see `iter_articles`)."""
    return list(iter_articles(path))


def read_article(path: str | os.PathLike[str]) -> Article:
    """The one record in a file (see `read_articles`); raises unless there is exactly one."""
    articles = read_articles(path)
    if len(articles) != 1:
        raise ReadError(
            f"holds {len(articles)} records, not one; read_articles reads them all",
            path=os.fspath(path),
        )
    return articles[0]


def _records(opened: InputFile, *, citations: bool = True) -> Iterator[Article | Deletion]:
    """The records of an opened file in its format, each record's size bounded on its own."""
    head = _head_text(opened.head(_HEAD_BYTES))
    known = next(known for known in FORMATS if known.opens_like(head))
    for entry in known.read(opened, citations=citations):
        opened.meter.start_record()
        yield entry


def _head_text(head: bytes) -> str:
    """The opening of the file as text, for recognising its format only."""
    encoding, _ = text_encoding(head)
    return head.decode(encoding, errors="ignore")
