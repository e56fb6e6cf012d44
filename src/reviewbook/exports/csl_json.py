"""CSL-JSON: the hub itself, as citeproc-js, pandoc, Zotero and citation-js read it."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

from reviewbook.errors import ReadError
from reviewbook.exports.csl import CslItem
from reviewbook.exports.notes import Export
from reviewbook.files import write_atomically


def dumps(items: Iterable[CslItem]) -> str:
    """A JSON list of the items, UTF-8 as it is, one key a line."""
    return json.dumps(list(items), ensure_ascii=False, indent=2) + "\n"


def dump(items: Iterable[CslItem], path: str | Path) -> None:
    """Write `dumps` to ``path`` as UTF-8, atomically."""
    write_atomically(path, dumps(items))


def csl_json_export(items: Iterable[CslItem]) -> Export:
    """CSL-JSON and its notes: none, JSON carries every value."""
    return Export(dumps(items))


def loads(text: str, *, path: str | None = None) -> list[CslItem]:
    """The items of a CSL-JSON list; text that is not one raises `ReadError` naming ``path``
    and the line."""
    try:
        items = json.loads(text)
    except json.JSONDecodeError as error:
        raise ReadError(f"not JSON: {error.msg}", path=path, line=error.lineno) from None
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        raise ReadError("not a CSL-JSON list of items", path=path)
    return items


def load(path: str | Path) -> list[CslItem]:
    """`loads` of a UTF-8 file."""
    return loads(Path(path).read_text(encoding="utf-8"), path=str(path))
