"""One record out of a file of several: each record's own bytes, and the choice by PMID.

`reviewbook add` stores a review's record as the bytes it had in its file. A MEDLINE export or
a PubMed XML document may hold many records; `split_records` gives each record's bytes as a
file of its own, in the file's format and encoding, in document order:

- MEDLINE: the record's lines with their line endings, grouped as the MEDLINE reader groups
  them (at blank lines);
- PubMed XML: the file's opening up to and including its ``<PubmedArticleSet>`` start tag
  (the XML declaration and DOCTYPE as written), the record's element as written, and the set's
  end tag: a well-formed document holding that one record.

lxml reports where an element starts only by line, never by byte, so the XML records are cut
at their start and end tags, and every cut is then checked against what lxml reads in the whole
file: each cut holds exactly the record lxml finds in that place, or `split_records` raises.
"""

from __future__ import annotations

import codecs
import io
import re
import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from lxml import etree

from reviewbook.errors import ReadError
from reviewbook.model import Article
from reviewbook.sources.decoding import TextLine, text_encoding
from reviewbook.sources.formats import LIBXML_ENCODINGS, file_format
from reviewbook.sources.medline import record_lines as medline_records
from reviewbook.sources.pubmed_xml import RECORD_TAGS, SAFE_PARSER_OPTIONS, safe_parser
from reviewbook.text import JOINED_SEPARATOR

RECORD_SET_TAG = "PubmedArticleSet"
"""The root element of a PubMed XML document of several records."""
BOM_CODECS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
"""Byte-order marks and the codec of the text after each, byte order explicit, so that a cut
encodes back to the very bytes it was decoded from (UTF-32 first: its LE mark starts UTF-16's)."""
LISTED_RECORDS = 20
"""How many records an error lists by PMID before it counts the rest."""
TITLE_WIDTH = 60
"""How much of a title `record_line` shows."""

_RECORD_ELEMENT = re.compile(
    rf"<!--.*?-->|<(?P<tag>{'|'.join(sorted(RECORD_TAGS))})[\s>].*?</(?P=tag)\s*>", re.DOTALL
)
"""A record element from its start tag to its end tag, or a comment (passed over)."""
_SET_START = re.compile(rf"<!--.*?-->|<{RECORD_SET_TAG}(?:\s[^>]*)?>", re.DOTALL)
"""The record set's start tag, or a comment (passed over)."""


class SeveralRecords(ReadError):
    """A file holds several records where one is wanted, and no PMID says which."""

    def __init__(self, records: Sequence[Article], *, path: str | None) -> None:
        self.records = tuple(records)
        """The file's records, in order (read without their citations)."""
        super().__init__(
            f"holds {len(self.records)} records, not one; choose one by its PMID", path=path
        )


# --- choosing a record ------------------------------------------------------------------------


def chosen_record(articles: Sequence[Article], pmid: str | None, *, path: str) -> int:
    """The position among a file's records of the one with ``pmid``, or of its only record.
    Of several with that PMID, the last: a later version replaces an earlier, as in PubMed's
    update files.

    Raises `ReadError` naming the file for no record, or for a PMID it does not hold (listing
    those it holds), and `SeveralRecords` for several records and no PMID.
    """
    if not articles:
        raise ReadError("holds no PubMed record", path=path)
    if pmid is None:
        if len(articles) > 1:
            raise SeveralRecords(articles, path=path)
        return 0
    for position in reversed(range(len(articles))):
        if articles[position].pmid == pmid:
            return position
    held = [article.pmid or "(none)" for article in articles]
    listed = ", ".join(held[:LISTED_RECORDS])
    if len(held) > LISTED_RECORDS:
        listed += f" and {len(held) - LISTED_RECORDS} more"
    records = "its record has PMID" if len(held) == 1 else f"its {len(held)} records have PMIDs"
    raise ReadError(f"holds no record with PMID {pmid}; {records} {listed}", path=path)


def record_line(article: Article) -> str:
    """One line telling a record from others: PMID, first author, year, types, title.

    ``PMID 29037250 | Janssen LME | 2017 | Journal Article; Review | The immune system in...``
    """
    title = " ".join(article.title.split())
    return " | ".join(
        (
            f"PMID {article.pmid or '(none)'}",
            article.first_author or "no author",
            str(article.year or "n.d."),
            JOINED_SEPARATOR.join(article.article_types) or "types unknown",
            textwrap.shorten(title, TITLE_WIDTH, placeholder=" …") if title else "no title",
        )
    )


# --- cutting a file into its records ----------------------------------------------------------


def split_records(data: bytes, *, path: str | None = None) -> tuple[bytes, ...]:
    """Each record of a file's content (gunzipped) as the bytes of a file of its own, in order.

    MEDLINE and PubMed XML are cut as the module's docstring says; a saved page is one record,
    its whole content. Raises `ReadError` naming ``path`` for XML whose records cannot be cut
    out exactly as lxml reads them.
    """
    split = SPLITTERS.get(file_format(data).name)
    return split(data, path) if split else (data,)


def _medline_records(data: bytes, path: str | None) -> tuple[bytes, ...]:
    """The lines of each record, as `reviewbook.sources.medline` groups them."""
    text = _Text.of(data)
    lines = io.StringIO(text.text, newline="").readlines()  # each keeps its line ending
    numbered = (
        TextLine(number, line.removesuffix("\n").removesuffix("\r"))
        for number, line in enumerate(lines, start=1)
    )
    return tuple(
        text.encoded("".join(lines[record.start - 1 : record.start - 1 + len(record.lines)]))
        for record in medline_records(numbered)
    )


def _xml_records(data: bytes, path: str | None) -> tuple[bytes, ...]:
    """Each record's element, as written, in a document of its own (see the module's doc)."""
    text = _Text.of(data)
    opening = next(
        (found for found in _SET_START.finditer(text.text) if not found.group().startswith("<!")),
        None,
    )
    if opening is None:
        raise ReadError(f"no <{RECORD_SET_TAG}> to cut records out of", path=path, line=1)
    head, tail = text.text[: opening.end()], f"\n</{RECORD_SET_TAG}>\n"
    cuts = tuple(
        text.encoded(f"{head}\n{element.group()}{tail}")
        for element in _RECORD_ELEMENT.finditer(text.text, opening.end())
        if element.group("tag")
    )
    encoding = None if text.bom else LIBXML_ENCODINGS.get(text.codec)
    _check_cuts(data, cuts, encoding=encoding, path=path)
    return cuts


def _check_cuts(
    data: bytes, cuts: tuple[bytes, ...], *, encoding: str | None, path: str | None
) -> None:
    """Raise unless each cut holds, alone, the very record lxml reads in its place in ``data``."""
    parser = safe_parser(encoding)
    records = etree.iterparse(
        io.BytesIO(data), events=("end",), tag=RECORD_TAGS, encoding=encoding, **SAFE_PARSER_OPTIONS
    )
    count = 0
    try:
        for count, (_, record) in enumerate(records, start=1):
            cut = _parsed(cuts[count - 1], parser) if count <= len(cuts) else None
            if cut is None or len(cut) != 1 or _written(cut[0]) != _written(record):
                raise ReadError(
                    f"record {count} cannot be cut out as written",
                    path=path,
                    line=record.sourceline,
                )
            record.clear(keep_tail=True)
    except etree.XMLSyntaxError as error:
        line = max(error.lineno or 1, 1)
        raise ReadError(f"not well-formed XML: {error.msg}", path=path, line=line) from None
    if count != len(cuts):
        raise ReadError(f"{len(cuts)} records found as written, {count} read", path=path)


def _parsed(document: bytes, parser: etree.XMLParser) -> etree._Element | None:
    """The root of a cut document, or None when the cut is not well-formed."""
    try:
        return etree.fromstring(document, parser)
    except etree.XMLSyntaxError:
        return None


def _written(element: etree._Element) -> bytes:
    """An element serialised alone, for comparing the same record read in two documents."""
    return etree.tostring(element, with_tail=False)


SPLITTERS: dict[str, Callable[[bytes, str | None], tuple[bytes, ...]]] = {
    "medline": _medline_records,
    "pubmed-xml": _xml_records,
}
"""How each format of several records is cut, by `FileFormat` name; other formats hold one."""


@dataclass(frozen=True, slots=True)
class _Text:
    """A file's content as text, with what encodes a part of it back to the bytes it was."""

    bom: bytes
    """The byte-order mark the content opens with, or ``b""``; each cut opens with it too."""
    codec: str
    text: str

    @classmethod
    def of(cls, data: bytes) -> _Text:
        """Decode ``data`` losslessly: UTF-8 that is not valid (the readers take such lines as
        Windows-1252) round-trips through ``surrogateescape``, byte for byte."""
        bom, codec = next(
            ((bom, codec) for bom, codec in BOM_CODECS if data.startswith(bom)),
            (b"", text_encoding(data)[0]),
        )
        return cls(bom, codec, data[len(bom) :].decode(codec, _errors(codec)))

    def encoded(self, part: str) -> bytes:
        """A part of the text as a file of its own: the byte-order mark, then its bytes."""
        return self.bom + part.encode(self.codec, _errors(self.codec))


def _errors(codec: str) -> str:
    return "surrogateescape" if codec == "utf-8" else "strict"
