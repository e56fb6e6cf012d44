"""Loaded reviews kept on disk, so a notebook over a hundred reviews does not parse every saved
record and cited work again each time it runs.

An entry is the pickled `Article` of one review, named by a digest of everything it was read
from: the bytes of each saved file, the package's own code and the Python version. Any change
to any of them is a different name, so an entry is never stale, only unused; the older entries
of a review are removed when a new one is written. A missing, unreadable or foreign entry is a
miss: the review is read from its files, as without a cache. The cache lives outside the
workbook (``$REVIEWBOOK_CACHE``, else the user's cache folder), so it is never committed, never
named as a notebook's input, and shared by every copy of a workbook.
"""

from __future__ import annotations

import copyreg
import dataclasses
import functools
import hashlib
import io
import os
import pickle
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from reviewbook import model
from reviewbook.errors import Problem
from reviewbook.files import write_atomically
from reviewbook.model import Article

CACHE_ENV = "REVIEWBOOK_CACHE"
"""A folder to keep loaded reviews in, instead of ``~/.cache/reviewbook/reviews``."""
FORMAT = b"reviewbook review cache 1"
"""Part of every entry's name: changing it retires every entry written before."""


def cache_dir() -> Path:
    """Where loaded reviews are kept: ``$REVIEWBOOK_CACHE``, else ``$XDG_CACHE_HOME`` or
    ``~/.cache``, under ``reviewbook/reviews``."""
    override = os.environ.get(CACHE_ENV)
    if override:
        return Path(override)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "reviewbook" / "reviews"


@functools.cache
def code_digest() -> str:
    """SHA-256 of the package's modules (names and bytes): what reads the files."""
    package = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256()
    for module in sorted(package.rglob("*.py")):
        digest.update(module.relative_to(package).as_posix().encode() + b"\0")
        digest.update(module.read_bytes() + b"\0")
    return digest.hexdigest()


def entry_name(name: str, inputs: Sequence[Path]) -> str:
    """The entry for review ``name`` read from ``inputs`` (files that do not exist count too):
    ``<name>-<digest>.pickle``."""
    digest = hashlib.sha256(FORMAT + b"\0" + code_digest().encode() + b"\0")
    digest.update(f"{sys.version_info.major}.{sys.version_info.minor}".encode() + b"\0")
    for path in inputs:
        digest.update(path.name.encode() + b"\0")
        digest.update(path.read_bytes() + b"\1" if path.is_file() else b"\2")
    return f"{name}-{digest.hexdigest()[:32]}.pickle"


def dumps(article: Article) -> bytes:
    """``article`` pickled so that each record is rebuilt by its constructor: a third faster
    to load than the default for frozen, slotted dataclasses (which set each field apart)."""
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = _by_constructor()
    pickler.dump(article)
    return buffer.getvalue()


@functools.cache
def _by_constructor() -> dict[type, Callable[[Any], tuple[type, tuple[Any, ...]]]]:
    def reducer(cls: type) -> Callable[[Any], tuple[type, tuple[Any, ...]]]:
        names = [field.name for field in dataclasses.fields(cls)]
        return lambda record: (cls, tuple(getattr(record, name) for name in names))

    records = [value for value in vars(model).values() if dataclasses.is_dataclass(value)]
    return {**copyreg.dispatch_table, **{cls: reducer(cls) for cls in [*records, Problem]}}


def cached_review(name: str, inputs: Sequence[Path], read: Callable[[], Article]) -> Article:
    """The review ``read`` returns, from the cache when ``inputs`` are unchanged since it was
    last read there; the cache is only ever a shortcut, and failing to write it is no error."""
    folder = cache_dir()
    entry = folder / entry_name(name, inputs)
    try:
        with entry.open("rb") as handle:
            found = pickle.load(handle)
        if isinstance(found, Article):
            return found
    except FileNotFoundError:
        pass
    except Exception:  # a damaged or foreign entry is a miss: read the files again
        pass
    article = read()
    try:
        write_atomically(entry, dumps(article))
        for older in folder.glob(f"{name}-*.pickle"):
            if older != entry:
                older.unlink(missing_ok=True)
    except OSError:
        pass
    return article
