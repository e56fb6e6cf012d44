"""Reading annotation files into records: YAML, then the schema, then `Annotations`.

Both readers raise `AnnotationsInvalid` when the text is not YAML or breaks the schema; what
the schema cannot see is checked by `validation.validate_annotations`. Files are read by
`yaml_io.read_document` (libyaml), in time and memory linear in their size.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from reviewbook.annotations.anchoring import Quote
from reviewbook.annotations.model import (
    AnnotationError,
    Annotations,
    AnnotationsInvalid,
    Claim,
    ReferenceNote,
)
from reviewbook.annotations.schema import schema_errors
from reviewbook.annotations.yaml_io import (
    MAX_FILE_BYTES,
    check_size,
    document_lines,
    read_document,
)
from reviewbook.collector import collector_paused


def loads_annotations(text: str, path: str = "<text>") -> Annotations:
    """Annotations from YAML text; raise `AnnotationsInvalid` if YAML or schema is broken."""
    check_size(text.encode("utf-8"), path)
    return _annotations(text, path)


def load_annotations(path: str | Path) -> Annotations:
    """Read an annotation file; raise `AnnotationsInvalid` if it is not valid YAML or schema."""
    name = str(path)
    data = check_size(_read_bytes(Path(path)), name)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise AnnotationsInvalid([AnnotationError(name, line, "yaml", "not UTF-8 text")]) from None
    sha256 = hashlib.sha256(data).hexdigest()
    del data  # a large file's bytes need not stay while it is read
    return dataclasses.replace(_annotations(text, name), sha256=sha256)


def _annotations(text: str, path: str) -> Annotations:
    """Records from text no larger than `MAX_FILE_BYTES`: read, checked against the schema."""
    with collector_paused():
        read = read_document(text, path)
        errors = schema_errors(read.document, path, read.lines)
        if errors:
            raise AnnotationsInvalid(errors)
        return annotations_from_document(read.document, path, read.lines)


def _read_bytes(path: Path) -> bytes:
    """The file's bytes, read no further than one byte past `MAX_FILE_BYTES`."""
    with path.open("rb") as handle:
        return handle.read(MAX_FILE_BYTES + 1)


def annotations_from_document(
    document: Mapping[str, Any], path: str | None, lines: Mapping[str, int] | None = None
) -> Annotations:
    """Records from a document that passed the schema (values copied as plain Python).

    ``lines`` are the fields' lines as read; without them, those ruamel.yaml recorded in a
    round-trip document (`yaml_io.document_lines`).
    """
    return Annotations(
        pmid=str(document["pmid"]),
        claims=tuple(_claim(entry) for entry in document.get("claims") or ()),
        references=tuple(_reference_note(entry) for entry in document.get("references") or ()),
        path=path,
        lines=document_lines(document) if lines is None else lines,
    )


def _claim(entry: Mapping[str, Any]) -> Claim:
    quote = entry["quote"]
    role = entry.get("role")
    return Claim(
        id=str(entry["id"]),
        statement=str(entry["statement"]),
        quote=Quote(
            exact=str(quote["exact"]),
            prefix=str(quote.get("prefix") or ""),
            suffix=str(quote.get("suffix") or ""),
        ),
        location=str(entry["location"]),
        cells=tuple(map(str, entry.get("cells") or ())),
        steps=tuple(map(str, entry.get("steps") or ())),
        role=None if role is None else str(role),
        refs=tuple(map(int, entry.get("refs") or ())),
    )


def _reference_note(entry: Mapping[str, Any]) -> ReferenceNote:
    note = entry.get("note")
    return ReferenceNote(
        index=int(entry["index"]),
        note=None if note is None else str(note),
        tags=tuple(map(str, entry.get("tags") or ())),
    )


def annotation_files(folder: str | Path) -> list[Path]:
    """The annotation files in ``folder``, sorted; hidden files (temporary saves) are skipped."""
    return sorted(path for path in Path(folder).glob("*.yaml") if not path.name.startswith("."))
