"""Open an input file for reading: regular files only, gzip read transparently, sizes bounded.

Every reader gets its bytes through `open_input` (or `spool_input` for a stream such as
stdin). It refuses what is not a regular file before opening it (a FIFO with no writer would
block forever), digests the file's bytes as stored, and hands back a buffered stream of its
content: decompressed when the file is gzip (told by its magic bytes, not its name), and
metered, so that no record and no file grows beyond what a real one could be.

The limits, in bytes of content (after decompression):

- ``MAX_WHOLE_FILE_BYTES`` (8 MiB) for files read whole, saved pages: a review's page with a
  thousand references is under 1 MB.
- ``MAX_RECORD_BYTES`` (16 MiB) for one record of a streamed MEDLINE or PubMed XML file: a
  record with thousands of authors and references is a few hundred kB.
- ``MAX_STREAMED_BYTES`` (4 GiB) for a whole streamed file: PubMed's baseline files are a few
  hundred MB each once decompressed.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import os
import stat
import tempfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import BinaryIO

from reviewbook.errors import ReadError

GZIP_MAGIC = b"\x1f\x8b"
"""The two bytes every gzip file opens with."""
MAX_WHOLE_FILE_BYTES = 8 * 2**20
MAX_RECORD_BYTES = 16 * 2**20
MAX_STREAMED_BYTES = 4 * 2**30
BUFFER_BYTES = 256 * 2**10
"""Read-ahead of the content stream; `head` can see this far without consuming anything."""
_DIGEST_CHUNK_BYTES = 2**20

NOT_REGULAR_FILES: tuple[tuple[Callable[[int], bool], str], ...] = (
    (stat.S_ISDIR, "is a directory, not a file"),
    (stat.S_ISFIFO, "is a named pipe (FIFO), not a regular file"),
    (stat.S_ISSOCK, "is a socket, not a regular file"),
    (stat.S_ISCHR, "is a character device, not a regular file"),
    (stat.S_ISBLK, "is a block device, not a regular file"),
)
"""Kinds of file a reader refuses, each with what it says about one."""


def _megabytes(size: int) -> str:
    return f"{size / 2**20:,.0f} MiB" if size < 2**30 else f"{size / 2**30:,.0f} GiB"


class _Meter(io.RawIOBase):
    """Reads through to a binary stream, counting bytes, refusing more than a real file holds.

    ``start_record`` marks where the current record begins: reading more than
    ``MAX_RECORD_BYTES`` past that mark raises, as does reading more than
    ``MAX_STREAMED_BYTES`` in all. Errors of the stream below (a corrupt or cut gzip member)
    become `ReadError`s naming the file.
    """

    def __init__(self, raw: BinaryIO, *, name: str) -> None:
        super().__init__()
        self._raw = raw
        self._name = name
        self.total = 0
        self._record_start = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        try:
            count = self._raw.readinto(buffer)  # type: ignore[attr-defined]
        except EOFError:
            raise ReadError(
                "cut short: the compressed data ends before its end marker", path=self._name
            ) from None
        except (OSError, zlib.error) as error:
            raise ReadError(f"cannot be read: {error}", path=self._name) from None
        self.total += count
        if self.total - self._record_start > MAX_RECORD_BYTES:
            raise ReadError(
                f"a record larger than {_megabytes(MAX_RECORD_BYTES)}, more than any real "
                "PubMed record holds: refused",
                path=self._name,
            )
        if self.total > MAX_STREAMED_BYTES:
            raise ReadError(
                f"larger than {_megabytes(MAX_STREAMED_BYTES)}, more than any real PubMed "
                "file holds: refused",
                path=self._name,
            )
        return count

    def start_record(self) -> None:
        """Mark the start of a record: its size is counted from the bytes read so far."""
        self._record_start = self.total


@dataclass
class InputFile:
    """An opened input: its name, the sha256 of its bytes as stored, and its content."""

    name: str
    sha256: str
    content: io.BufferedReader
    """The file's content, decompressed when it is gzip, read through the meter."""
    meter: _Meter

    def head(self, size: int) -> bytes:
        """Up to ``size`` bytes of the opening of the content, without consuming them."""
        return self.content.peek(size)[:size]

    def read_whole(self) -> bytes:
        """All the content, for a format read whole; raises past ``MAX_WHOLE_FILE_BYTES``."""
        data = self.content.read(MAX_WHOLE_FILE_BYTES + 1)
        if len(data) > MAX_WHOLE_FILE_BYTES:
            raise ReadError(
                f"larger than {_megabytes(MAX_WHOLE_FILE_BYTES)}, more than any saved PubMed "
                "page holds: refused",
                path=self.name,
            )
        return data


def check_regular_file(path: str | os.PathLike[str]) -> os.stat_result:
    """The file's status; `ReadError` naming it unless it is a regular file that exists.

    Checked before opening, because opening a FIFO with no writer blocks forever.
    """
    name = os.fspath(path)
    if not name:
        raise ReadError("an empty file name", path=repr(name))
    try:
        status = os.stat(name)
    except OSError as error:
        raise ReadError(f"cannot be read: {error.strerror or error}", path=name) from None
    for is_kind, message in NOT_REGULAR_FILES:
        if is_kind(status.st_mode):
            raise ReadError(message, path=name)
    return status


def file_sha256(path: str | os.PathLike[str]) -> str:
    """The sha256 of a file's bytes as stored, read in chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as stored:
        while chunk := stored.read(_DIGEST_CHUNK_BYTES):
            digest.update(chunk)
    return digest.hexdigest()


@contextmanager
def open_input(path: str | os.PathLike[str]) -> Iterator[InputFile]:
    """Open a regular file for reading (see the module's docstring); raises `ReadError`."""
    name = os.fspath(path)
    check_regular_file(name)
    try:
        digest = file_sha256(name)
        stored = open(name, "rb")  # noqa: SIM115 - closed below, after the caller is done
    except OSError as error:
        raise ReadError(f"cannot be read: {error.strerror or error}", path=name) from None
    with stored:
        yield _content(stored, name=name, sha256=digest)


@contextmanager
def spool_input(stream: BinaryIO, *, name: str) -> Iterator[InputFile]:
    """Read a stream (stdin) to its end into a temporary file, then open that like a file.

    The stream is read once, digested on the way; more than ``MAX_STREAMED_BYTES`` is refused.
    """
    digest = hashlib.sha256()
    with tempfile.TemporaryFile() as spool:
        total = 0
        while chunk := stream.read(_DIGEST_CHUNK_BYTES):
            total += len(chunk)
            if total > MAX_STREAMED_BYTES:
                raise ReadError(f"more than {_megabytes(MAX_STREAMED_BYTES)}: refused", path=name)
            digest.update(chunk)
            spool.write(chunk)
        spool.seek(0)
        yield _content(spool, name=name, sha256=digest.hexdigest())  # type: ignore[arg-type]


def _content(stored: BinaryIO, *, name: str, sha256: str) -> InputFile:
    """The stored bytes as content: gunzipped when they open with the gzip magic bytes."""
    opening = stored.read(len(GZIP_MAGIC))
    stored.seek(0)
    raw: BinaryIO = gzip.GzipFile(fileobj=stored, mode="rb") if opening == GZIP_MAGIC else stored
    meter = _Meter(raw, name=name)
    content = io.BufferedReader(meter, buffer_size=BUFFER_BYTES)
    return InputFile(name=name, sha256=sha256, content=content, meter=meter)


def gunzipped_head(data: bytes, size: int) -> bytes:
    """The first ``size`` bytes of the content of ``data``: decompressed when it is gzip."""
    if not data.startswith(GZIP_MAGIC):
        return data[:size]
    try:
        return zlib.decompressobj(wbits=16 + zlib.MAX_WBITS).decompress(data, size)
    except zlib.error:
        return b""
