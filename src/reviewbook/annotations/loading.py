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
    Agent,
    AnnotationError,
    Annotations,
    AnnotationsInvalid,
    Claim,
    ReferenceNote,
    StatementDecision,
)
from reviewbook.annotations.schema import schema_errors
from reviewbook.annotations.yaml_io import (
    MAX_FILE_BYTES,
    check_size,
    document_lines,
    read_document,
)
from reviewbook.collector import collector_paused
from reviewbook.sources.decoding import SNIFF_BYTES, UNICODE_BOMS, text_encoding
from reviewbook.sources.opening import NOT_REGULAR_FILES


def loads_annotations(text: str, path: str = "<text>") -> Annotations:
    """Annotations from YAML text; raise `AnnotationsInvalid` if YAML or schema is broken."""
    check_size(text.encode("utf-8"), path)
    return _annotations(text, path)


def load_annotations(path: str | Path) -> Annotations:
    """Read an annotation file; raise `AnnotationsInvalid` if it is not a UTF-8 text file
    (`annotation_text`) or not valid YAML or schema."""
    name = str(path)
    data = _read_bytes(Path(path))
    text = annotation_text(data, name)
    sha256 = hashlib.sha256(data).hexdigest()
    del data  # a large file's bytes need not stay while it is read
    return dataclasses.replace(_annotations(text, name), sha256=sha256)


def annotation_text(data: bytes, path: str) -> str:
    """The text of an annotation file's bytes: UTF-8 (a UTF-8 byte-order mark is allowed).

    Anything else raises `AnnotationsInvalid` naming the file and line: a file larger than
    `MAX_FILE_BYTES`, UTF-16 or UTF-32 text with or without a byte-order mark (told as
    `reviewbook.sources.decoding` tells it), a NUL byte, bytes that are not UTF-8.

    Unlike the readers of saved pages, which take what PubMed and browsers give, UTF-16 is
    refused rather than read: these files are written by us and committed, and git shows
    UTF-16 as binary (no diffs, no merges), while the editor saves UTF-8, so reading one would
    turn its next save into a rewrite of every line. Saving it as UTF-8 is the fix.
    """
    check_size(data, path)
    encoding, _ = text_encoding(data[:SNIFF_BYTES])
    if encoding not in ("utf-8", "utf-8-sig"):
        raise AnnotationsInvalid([AnnotationError(path, 1, "file", _not_utf8(encoding, data))])
    if b"\x00" in data:
        line = data.count(b"\n", 0, data.index(b"\x00")) + 1
        message = "binary data (a NUL byte), not a text file"
        raise AnnotationsInvalid([AnnotationError(path, line, "file", message)])
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        message = (
            f"not UTF-8 text (byte 0x{data[error.start]:02x} cannot start or continue a "
            "character): save the file as UTF-8"
        )
        raise AnnotationsInvalid([AnnotationError(path, line, "file", message)]) from None


def _not_utf8(encoding: str, data: bytes) -> str:
    """Why text in ``encoding`` (UTF-16 or UTF-32, `text_encoding`) is refused."""
    marked = any(data.startswith(bom) for bom, _ in UNICODE_BOMS)
    name = encoding.upper().removesuffix("-LE").removesuffix("-BE")
    how = "with a byte-order mark" if marked else "without a byte-order mark"
    return f"{name} text ({how}); annotation files are UTF-8: save the file as UTF-8"


def _annotations(text: str, path: str) -> Annotations:
    """Records from text no larger than `MAX_FILE_BYTES`: read, checked against the schema."""
    with collector_paused():
        read = read_document(text, path)
        errors = schema_errors(read.document, path, read.lines)
        if errors:
            raise AnnotationsInvalid(errors)
        return annotations_from_document(read.document, path, read.lines)


def _read_bytes(path: Path) -> bytes:
    """The file's bytes, read no further than one byte past `MAX_FILE_BYTES`.

    A directory, FIFO or device is refused (`AnnotationsInvalid`) before it is opened: opening
    a FIFO with no writer blocks forever. A missing or unreadable file raises ``OSError``.
    """
    mode = path.stat().st_mode
    for is_kind, message in NOT_REGULAR_FILES:
        if is_kind(mode):
            raise AnnotationsInvalid([AnnotationError(str(path), None, "file", message)])
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
        statements=tuple(_statement_decision(entry) for entry in document.get("statements") or ()),
        path=path,
        lines=document_lines(document) if lines is None else lines,
        creator=_agent(document.get("creator")),
    )


def _agent(entry: Mapping[str, Any] | None) -> Agent | None:
    if entry is None:
        return None
    homepage = entry.get("homepage")
    return Agent(
        name=str(entry["name"]),
        type=str(entry.get("type") or "Person"),
        homepage=None if homepage is None else str(homepage),
    )


def _stamp(entry: Mapping[str, Any], key: str) -> str | None:
    """A ``created`` or ``modified`` stamp as written, or None."""
    stamp = entry.get(key)
    return None if stamp is None else str(stamp)


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
        created=_stamp(entry, "created"),
        modified=_stamp(entry, "modified"),
    )


def _reference_note(entry: Mapping[str, Any]) -> ReferenceNote:
    note = entry.get("note")
    return ReferenceNote(
        index=int(entry["index"]),
        note=None if note is None else str(note),
        tags=tuple(map(str, entry.get("tags") or ())),
        created=_stamp(entry, "created"),
        modified=_stamp(entry, "modified"),
    )


def _statement_decision(entry: Mapping[str, Any]) -> StatementDecision:
    claim = entry.get("claim")
    return StatementDecision(
        sentence=str(entry["sentence"]),
        cell=str(entry["cell"]),
        decision=str(entry["decision"]),
        claim=None if claim is None else str(claim),
    )


def annotation_files(folder: str | Path) -> list[Path]:
    """The annotation files in ``folder``, sorted; hidden files (temporary saves) are skipped."""
    return sorted(path for path in Path(folder).glob("*.yaml") if not path.name.startswith("."))
