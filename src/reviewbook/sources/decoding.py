"""Turn a file's bytes into text, saying where anything had to be guessed."""

from __future__ import annotations

import codecs
import hashlib
import os
from pathlib import Path

from reviewbook.errors import Problem, ReadError

UNICODE_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
"""Byte-order marks and the codec each names; UTF-32 first, as its LE mark starts like UTF-16's."""


def read_text_file(path: str | os.PathLike[str]) -> tuple[str, str, tuple[Problem, ...]]:
    """The file's text, the sha256 of its bytes, and warnings about its decoding.

    UTF-8 (with or without BOM) and BOM-marked UTF-16/32 are read as such; a line that is not
    valid UTF-8 is read as Windows-1252 and named in a warning. Binary data raises.
    """
    name = os.fspath(path)
    data = read_bytes(path)
    text, warnings = decode_text(data, path=name)
    return text, hashlib.sha256(data).hexdigest(), warnings


def read_bytes(path: str | os.PathLike[str]) -> bytes:
    """The file's bytes; `ReadError` naming it if it is a folder or cannot be read."""
    name = os.fspath(path)
    try:
        return Path(path).read_bytes()
    except IsADirectoryError:
        raise ReadError("is a directory, not a file", path=name) from None
    except OSError as error:
        raise ReadError(f"cannot be read: {error.strerror or error}", path=name) from None


def decode_text(data: bytes, *, path: str | None = None) -> tuple[str, tuple[Problem, ...]]:
    """Decode bytes as described in `read_text_file`."""
    for bom, encoding in UNICODE_BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), ()
            except UnicodeDecodeError as error:
                line = data.count(b"\n", 0, error.start) + 1
                raise ReadError(f"invalid {encoding} text", path=path, line=line) from None
    if b"\x00" in data:
        line = data.count(b"\n", 0, data.index(b"\x00")) + 1
        raise ReadError("binary data (NUL bytes), not a text file", path=path, line=line)
    try:
        return data.decode("utf-8"), ()
    except UnicodeDecodeError:
        pass
    lines = data.split(b"\n")
    decoded: list[str] = []
    warnings: list[Problem] = []
    for number, raw in enumerate(lines, start=1):
        try:
            decoded.append(raw.decode("utf-8"))
        except UnicodeDecodeError:
            decoded.append(raw.decode("cp1252", errors="replace"))
            warnings.append(Problem(number, "encoding", "not valid UTF-8; read as Windows-1252"))
    return "\n".join(decoded), tuple(warnings)
