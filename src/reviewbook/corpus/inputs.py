"""Which files a corpus is built from, and the order in which they apply.

PubMed ships an annual baseline (``baseline/pubmed26n0001.xml.gz`` ...) and daily update files
(``updatefiles/pubmed26n1335.xml.gz`` ...) numbered after the baseline's last: applying files
in the natural order of their names (numbers compared as numbers) applies the baseline first,
then each update in turn, whichever folders they sit in. A folder given as a source stands for
every input file under it; checksum files (``.md5``) and anything else are left alone.

A build reads each file through a private copy made in one pass with its digest
(`copy_for_reading`), so what the ledger says of a file is what its records were read from.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

from reviewbook.errors import ReadError
from reviewbook.sources.opening import check_regular_file

INPUT_SUFFIXES: tuple[str, ...] = (
    ".xml",
    ".xml.gz",
    ".nbib",
    ".nbib.gz",
    ".medline",
    ".medline.gz",
    ".txt",
    ".txt.gz",
)
"""File names a folder source contributes: PubMed XML and MEDLINE, plain or gzip."""
_NUMBER = re.compile(r"(\d+)")
COPY_CHUNK_BYTES = 2**20
"""Bytes copied (and digested) at a time by `copy_for_reading`."""


@dataclass(frozen=True, slots=True)
class InputFile:
    """One file of a build: where it is, the name the corpus knows it by, its size."""

    path: Path
    name: str
    """The file's name (``pubmed26n0001.xml.gz``): the key of its partitions and ledger entry."""
    size: int

    @property
    def key(self) -> str:
        """The name without its input suffix: the stem of the file's Parquet partitions."""
        for suffix in sorted(INPUT_SUFFIXES, key=len, reverse=True):
            if self.name.endswith(suffix):
                return self.name.removesuffix(suffix)
        return self.name


def natural_key(name: str) -> tuple[tuple[int, int | str], ...]:
    """A sort key comparing the numbers in a name as numbers: ``n2`` before ``n10``."""
    return tuple(
        (0, int(part)) if part.isdigit() else (1, part) for part in _NUMBER.split(name) if part
    )


def find_inputs(sources: list[str | os.PathLike[str]]) -> list[InputFile]:
    """The input files of ``sources`` (files, or folders searched for `INPUT_SUFFIXES`), in
    the order they apply. Raises `ReadError` naming a source that does not exist, and when two
    files share a name (the corpus keys files by name) or no file is found."""
    found: dict[str, InputFile] = {}
    for source in sources:
        path = Path(source)
        if path.is_dir():
            paths = sorted(
                candidate
                for candidate in path.rglob("*")
                if candidate.is_file() and candidate.name.endswith(INPUT_SUFFIXES)
            )
        elif path.is_file():
            paths = [path]
        else:
            raise ReadError("no such file or folder", path=os.fspath(source))
        for candidate in paths:
            entry = InputFile(candidate, candidate.name, candidate.stat().st_size)
            if entry.name in found and found[entry.name].path.resolve() != candidate.resolve():
                raise ReadError(
                    f"has the same name as {found[entry.name].path}: a corpus keys its files "
                    "by name",
                    path=os.fspath(candidate),
                )
            found[entry.name] = entry
    if not found:
        raise ReadError("no PubMed XML or MEDLINE files found", path=", ".join(map(str, sources)))
    keys = [entry.key for entry in found.values()]
    clashing = sorted({key for key in keys if keys.count(key) > 1})
    if clashing:
        raise ReadError(f"files differ only by suffix: {', '.join(clashing)}", path=str(sources[0]))
    return sorted(found.values(), key=lambda entry: natural_key(entry.name))


def copy_for_reading(source: str | os.PathLike[str], copy: Path) -> tuple[int, str]:
    """Copy ``source`` to ``copy``, digesting the bytes as they are copied: their size and
    sha256.

    A build reads the copy, never the file itself, so the size and sha256 its ledger keeps are
    those of the bytes the records came from, even when the file is replaced while it is read
    (a download or a mirror finishing): the next build sees the change and reads it again.
    Raises `ReadError` for what is not a regular file, `OSError` for one that cannot be read.
    """
    check_regular_file(source)
    digest = hashlib.sha256()
    size = 0
    with open(source, "rb") as stored, open(copy, "xb") as copied:
        while chunk := stored.read(COPY_CHUNK_BYTES):
            digest.update(chunk)
            copied.write(chunk)
            size += len(chunk)
    return size, digest.hexdigest()
