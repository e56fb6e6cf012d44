"""Turn a file's bytes into text, saying where anything had to be guessed.

UTF-8 (with or without BOM) and BOM-marked UTF-16/32 are read as such; UTF-16 without a BOM
is told by its NUL bytes at every other position and read with an "encoding" problem; a line
that is not valid UTF-8 is read as Windows-1252 and named in a problem. Other data with NUL
bytes is binary and raises. Text is read whole (`decode_text`, for pages) or line by line
(`iter_text_lines`, for streamed MEDLINE), the same way.
"""

from __future__ import annotations

import codecs
import io
import os
from collections.abc import Iterator
from dataclasses import dataclass

from reviewbook.errors import Problem, ReadError
from reviewbook.sources.opening import InputFile, open_input

UNICODE_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
"""Byte-order marks and the codec each names; UTF-32 first, as its LE mark starts like UTF-16's."""

UTF16_WITHOUT_BOM: dict[int, tuple[str, str]] = {
    1: ("utf-16-le", "little-endian"),
    0: ("utf-16-be", "big-endian"),
}
"""Where NULs fall in BOM-less UTF-16 of mostly ASCII text (odd or even offsets): codec, name."""
SNIFF_BYTES = 4096
"""How much of the opening the UTF-16 test looks at."""
_NUL_SHARE_UTF16 = 0.4
"""Share of the 2-byte units that must have a NUL at one offset (and almost none at the other)."""
_NUL_SHARE_STRAY = 0.02

_UTF8_FAMILY = frozenset({"utf-8", "utf-8-sig"})
_REPAIRED = "not valid UTF-8; read as Windows-1252"


@dataclass(frozen=True, slots=True)
class TextLine:
    """One line of a text file, without its line break, with the problem its decoding had."""

    number: int
    text: str
    problem: Problem | None = None


def text_encoding(head: bytes) -> tuple[str, Problem | None]:
    """The codec the text opening with ``head`` is in, with a problem when it was guessed."""
    for bom, encoding in UNICODE_BOMS:
        if head.startswith(bom):
            return encoding, None
    sample = head[: SNIFF_BYTES - SNIFF_BYTES % 2]
    units = len(sample) // 2
    if units:
        nul_share = {offset: sample[offset::2].count(0) / units for offset in UTF16_WITHOUT_BOM}
        for offset, (codec, order) in UTF16_WITHOUT_BOM.items():
            if nul_share[offset] >= _NUL_SHARE_UTF16 and nul_share[1 - offset] <= _NUL_SHARE_STRAY:
                message = f"UTF-16 ({order}) text without a byte-order mark; read as UTF-16"
                return codec, Problem(None, "encoding", message)
    return "utf-8", None


def read_text_file(path: str | os.PathLike[str]) -> tuple[str, str, tuple[Problem, ...]]:
    """The file's text, the sha256 of its bytes, and problems with its decoding.

    The file is read whole (gunzipped when it is gzip), so it may hold at most
    `reviewbook.sources.opening.MAX_WHOLE_FILE_BYTES`; see `decode_text` for the decoding.
    """
    with open_input(path) as opened:
        data = opened.read_whole()
        text, problems = decode_text(data, path=opened.name)
        return text, opened.sha256, problems


def read_bytes(path: str | os.PathLike[str]) -> bytes:
    """The content of a regular file read whole (gunzipped); `ReadError` naming it otherwise."""
    with open_input(path) as opened:
        return opened.read_whole()


def decode_text(data: bytes, *, path: str | None = None) -> tuple[str, tuple[Problem, ...]]:
    """Decode bytes as described in the module's docstring; binary data raises `ReadError`."""
    encoding, guessed = text_encoding(data[:SNIFF_BYTES])
    problems = (guessed,) if guessed else ()
    if encoding not in _UTF8_FAMILY:
        try:
            return data.decode(encoding), problems
        except UnicodeDecodeError as error:
            line = data.count(b"\n", 0, error.start) + 1
            raise ReadError(f"invalid {encoding} text", path=path, line=line) from None
    if b"\x00" in data:
        line = data.count(b"\n", 0, data.index(b"\x00")) + 1
        raise ReadError("binary data (NUL bytes), not a text file", path=path, line=line)
    try:
        return data.decode(encoding), ()
    except UnicodeDecodeError:
        pass
    decoded: list[str] = []
    repairs: list[Problem] = []
    for number, raw in enumerate(data.split(b"\n"), start=1):
        text, problem = _decode_line(raw, number)
        decoded.append(text)
        repairs.extend([problem] if problem else [])
    return "\n".join(decoded).removeprefix("\ufeff"), tuple(repairs)


def iter_text_lines(opened: InputFile) -> Iterator[TextLine]:
    """The lines of an opened file's content, decoded as `decode_text` does, one at a time.

    ``\\n``, ``\\r\\n`` and a lone ``\\r`` (old Mac files) all end a line. A problem with the
    whole file's encoding (`text_encoding`) is the caller's to report.
    """
    encoding, _ = text_encoding(opened.head(SNIFF_BYTES))
    utf8 = encoding in _UTF8_FAMILY
    lines = io.TextIOWrapper(
        opened.content,
        encoding=encoding,
        errors="surrogateescape" if utf8 else "strict",
        newline=None,
    )
    number = 0
    try:
        for number, line in enumerate(lines, start=1):
            text = line.removesuffix("\n")
            if utf8 and "\x00" in text:
                raise ReadError(
                    "binary data (NUL bytes), not a text file", path=opened.name, line=number
                )
            problem = None
            if utf8 and not text.isascii():
                text, problem = _decode_line(text.encode("utf-8", "surrogateescape"), number)
            yield TextLine(number, text, problem)
    except UnicodeDecodeError:
        raise ReadError(f"invalid {encoding} text", path=opened.name, line=number + 1) from None
    finally:
        lines.detach()


def _decode_line(raw: bytes, number: int) -> tuple[str, Problem | None]:
    """A line as UTF-8, or as Windows-1252 with a problem naming it when it is not UTF-8."""
    try:
        return raw.decode("utf-8"), None
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace"), Problem(number, "encoding", _REPAIRED)
