"""Edit annotation files safely: locked, re-read, validated, written atomically, comments kept.

Every edit runs the same steps (`edit_annotations`):

1. take the lock ``<file>.lock`` (so two kernels saving at once queue instead of racing);
2. re-read the file as it is now, as a round-trip YAML document, noting its SHA-256; if the
   caller says which version it read (``expected_sha256``) and the file is no longer that,
   refuse with `AnnotationsChanged`;
3. apply the change to that document, so comments, key order and quoting survive;
4. validate the result (schema, vocabulary, ids; quotes and reference indices when the
   article is given); if anything is wrong, raise `AnnotationsInvalid` and write nothing;
5. read the file's bytes once more: a program that does not take the lock (a text editor)
   may have written it meanwhile; then refuse with `AnnotationsChanged`, never overwriting;
   Claims and reference notes are stamped on the way (`stamped`): an entry added gets
   ``created`` and ``modified``, an entry changed a new ``modified``, both the time of the
   edit (`current_stamp`, UTC); an entry left as it was keeps its stamps;
6. swap the new version in (`swap_in`): written and synced beside the file, then exchanged
   with it in one atomic rename, so a reader (or a crash) sees the old file or the new one,
   never half of one; then look at the file the swap displaced. If it is not the version
   checked in step 5, another program wrote in between: its version is kept beside the file
   as ``<name>.conflict-<UTC time>`` and the save raises `AnnotationsConflict` (the edit is
   saved; the other version is to merge by hand).

What is guaranteed against a program that does not take the lock (on Linux, where
``renameat2(RENAME_EXCHANGE)`` swaps the files):

- **An editor that saves by renaming a new file over this one** (most editors' safe write,
  and `write_atomically`): a rename before the swap is displaced by it, seen, and kept; a
  rename after the swap replaces the saved edit, as any later write does. Its write is never
  lost.
- **An editor that writes in place** (opens the file, truncating it, and writes): if it opened
  the file before the swap, the truncation or its bytes are in the displaced file when it is
  read, so it is kept, and the rest of the write lands in the kept copy; if it opens the file
  after the swap, it writes over the saved edit. The one write not seen: one whose ``open``
  was under way at the very instant of the swap but had not yet truncated the file when the
  displaced copy was read, or a program holding the file open that writes without truncating
  only after that read; such a write lands in a copy that is deleted.

Elsewhere (no ``renameat2``, or a file system without the exchange) step 6 is the re-read of
step 5 followed by an ordinary rename, which leaves a window of microseconds between them.

Only a writer holding the lock creates temporary and swap files, so any found while holding
it were left by a writer that died: temporary files are removed, and a swap file is removed
if it holds the new or the checked version, else kept as a conflict file (`settle_leftovers`).
"""

from __future__ import annotations

import contextlib
import ctypes
import dataclasses
import datetime
import errno
import functools
import glob
import hashlib
import os
import re
import stat
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from filelock import FileLock
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString, FoldedScalarString

from reviewbook.annotations.loading import (
    annotation_text,
    annotations_from_document,
    loads_annotations,
)
from reviewbook.annotations.model import (
    ACCEPTED,
    Agent,
    AnnotationError,
    Annotations,
    AnnotationsInvalid,
    Claim,
    ReferenceNote,
    StatementDecision,
)
from reviewbook.annotations.schema import STAMP_KEYS, schema_errors
from reviewbook.annotations.validation import validate_annotations
from reviewbook.annotations.yaml_io import dump_document, parse_document
from reviewbook.files import NEW_FILE_MODE, fsync_folder, temp_prefix, write_atomically
from reviewbook.model import Article

LOCK_TIMEOUT = 60.0
"""Seconds to wait for another writer before giving up (``filelock.Timeout``)."""
LOCK_POLL_INTERVAL = 0.005
"""Seconds between attempts to take a busy lock (saves take milliseconds)."""
FOLD_WIDTH = 80
"""Longer single-line texts are written as folded (``>-``) blocks of lines this wide."""
TOP_KEYS: tuple[str, ...] = ("pmid", "creator", "claims", "references", "statements")
AGENT_KEYS: tuple[str, ...] = ("name", "type", "homepage")
CLAIM_KEYS: tuple[str, ...] = (
    "id",
    "statement",
    "quote",
    "location",
    "cells",
    "steps",
    "role",
    "refs",
    *STAMP_KEYS,
)
QUOTE_KEYS: tuple[str, ...] = ("exact", "prefix", "suffix")
REFERENCE_KEYS: tuple[str, ...] = ("index", "note", "tags", *STAMP_KEYS)
DECISION_KEYS: tuple[str, ...] = ("sentence", "cell", "decision", "claim")
KEY_ORDER: dict[str, tuple[str, ...]] = {
    "": TOP_KEYS,
    "creator": AGENT_KEYS,
    "claim": CLAIM_KEYS,
    "quote": QUOTE_KEYS,
    "reference": REFERENCE_KEYS,
    "statement_decision": DECISION_KEYS,
}
"""The order in which new keys are placed, per kind of mapping."""
SWAP_INFIX = ".swap-"
"""``.<name>.swap-<checked>-<new>``: a new version about to be swapped in, then the version it
displaced (each named by the first 16 hex digits of its SHA-256)."""
CONFLICT_INFIX = ".conflict-"
"""``<name>.conflict-<UTC time>``: another program's version, displaced by a save."""
RENAME_NOREPLACE, RENAME_EXCHANGE = 1, 2
"""``renameat2`` flags (linux/fs.h)."""
_AT_FDCWD = -100
_DIGEST_LENGTH = 16
_LINE_BREAKS = frozenset("\n\r\x85\u2028\u2029")
_FLOW_PLAIN = re.compile(r"[^\W_][\w .'()/-]*(?<! )")

Document = CommentedMap


# --- the lock, and changes made without it -------------------------------------------------------


class AnnotationsChanged(RuntimeError):
    """The file changed on disk since it was read (by a program that does not take the lock);
    nothing was written. Reload it to see the other change."""

    def __init__(self, path: Path, data: bytes | None, when: str) -> None:
        now = "is gone" if data is None else f"now holds {len(data)} bytes"
        super().__init__(
            f"{path} changed on disk since it was {when} (by another program; it {now}); "
            "reload to see it"
        )
        self.path = path


class AnnotationsConflict(RuntimeError):
    """The edit was saved, but another program wrote the file at the same moment: its version,
    displaced by the save, is kept beside the file (``kept``), to merge by hand. ``saved`` is
    what the edit returns otherwise."""

    def __init__(self, path: Path, kept: Path, saved: Annotations) -> None:
        self.reason = (
            f"another program wrote {path.name} at the same moment; its version is kept as "
            f"{kept.name}: merge it by hand"
        )
        super().__init__(f"{path} was saved, but {self.reason}")
        self.path = path
        self.kept = kept
        self.saved = saved


def _current_bytes(path: Path) -> bytes | None:
    """The file's bytes now, or None if it does not exist."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None


def _text(data: bytes, path: Path) -> str:
    """The file's text (`loading.annotation_text`: size checked, UTF-8 only) with its line ends
    read as ``\\n`` (as ``Path.read_text`` reads them)."""
    return annotation_text(data, str(path)).replace("\r\n", "\n").replace("\r", "\n")


def _sha256(data: bytes | None) -> str | None:
    return None if data is None else hashlib.sha256(data).hexdigest()


def lock_path(path: str | Path) -> Path:
    """The lock file guarding ``path``: ``<file>.lock`` beside it."""
    path = Path(path)
    return path.with_name(path.name + ".lock")


# --- the edits --------------------------------------------------------------------------------


def edit_annotations(
    path: str | Path,
    change: Callable[[Document], None],
    *,
    article: Article | None = None,
    expected_sha256: str | None = None,
) -> Annotations:
    """Apply ``change`` to the file's current document under the lock; validate; save.

    Returns the records as saved, with the SHA-256 of the text saved (without line numbers:
    reload the file for those). Raises `AnnotationsInvalid` (nothing written) when the file as
    it is or the edited result does not validate, `AnnotationsChanged` (nothing written) when
    the file is not the version ``expected_sha256`` names or changes while the edit is made,
    ``filelock.Timeout`` when the lock stays taken too long, and `AnnotationsConflict` (the
    edit saved) when another program wrote the file while it was being replaced.
    """
    path = Path(path)
    lock = FileLock(str(lock_path(path)))
    kept = None
    with lock.acquire(timeout=LOCK_TIMEOUT, poll_interval=LOCK_POLL_INTERVAL):
        settle_leftovers(path)
        old_bytes = _current_bytes(path)
        old_sha256 = _sha256(old_bytes)
        if expected_sha256 is not None and old_sha256 != expected_sha256:
            raise AnnotationsChanged(path, old_bytes, "read")
        old_text = _text(old_bytes, path) if old_bytes else ""
        document = parse_document(old_text, str(path)) if old_text.strip() else None
        if not isinstance(document, CommentedMap):
            document = CommentedMap()
        change(document)
        new_text = dump_document(document)
        annotations, errors = _checked(document, str(path), article)
        if errors:
            # Re-read the text that would have been written, so errors name its lines.
            raise AnnotationsInvalid(_text_errors(new_text, str(path), article) or errors)
        if new_text != old_text:
            now = _current_bytes(path)
            if now != old_bytes:
                raise AnnotationsChanged(path, now, "read for this edit")
            kept = swap_in(path, new_text.encode("utf-8"), old_bytes)
    assert annotations is not None  # no errors means the schema passed
    sha256 = hashlib.sha256(new_text.encode("utf-8")).hexdigest()
    saved = dataclasses.replace(annotations, lines={}, sha256=sha256)
    if kept is not None:
        raise AnnotationsConflict(path, kept, saved)
    return saved


def _checked(
    document: Document, path: str, article: Article | None
) -> tuple[Annotations | None, list[AnnotationError]]:
    """The edited document as records and its errors, checked in memory (no re-parse)."""
    errors = schema_errors(document, path)
    if errors:
        return None, errors
    annotations = annotations_from_document(document, path)
    return annotations, validate_annotations(annotations, article)


def _text_errors(text: str, path: str, article: Article | None) -> list[AnnotationError]:
    """Every error of ``text`` read as a file, with its line numbers."""
    try:
        return validate_annotations(loads_annotations(text, path), article)
    except AnnotationsInvalid as invalid:
        return list(invalid.errors)


def save_annotations(
    annotations: Annotations, path: str | Path | None = None, *, article: Article | None = None
) -> Annotations:
    """Write ``annotations`` to ``path`` (default: where they were read from).

    The file's existing entries are updated in place (claims matched by id, references by
    index, statement decisions by sentence and cell), so comments and key order stay where
    they were; entries no longer present are removed and new ones placed in the records' order.
    """
    target = path if path is not None else annotations.path
    if target is None:
        raise ValueError("save_annotations needs a path: these annotations were not read from one")
    same_file = annotations.path is not None and Path(target) == Path(annotations.path)
    errors = validate_annotations(annotations, article)
    if errors:
        raise AnnotationsInvalid(errors)

    def change(document: Document) -> None:
        top: dict[str, Any] = {"pmid": annotations.pmid}
        if annotations.creator is not None:
            top["creator"] = agent_mapping(annotations.creator)
        _sync_map(document, top, kind="", remove_missing=False)
        now = current_stamp()
        claims = [claim_mapping(claim) for claim in annotations.claims]
        references = [reference_mapping(entry) for entry in annotations.references]
        decisions = [decision_mapping(entry) for entry in annotations.statements]
        _sync_entries(document, "claims", claims, keys=("id",), kind="claim", now=now)
        _sync_entries(
            document, "references", references, keys=("index",), kind="reference", now=now
        )
        _sync_entries(
            document, "statements", decisions, keys=DECISION_KEYS[:2], kind="statement_decision"
        )

    expected = annotations.sha256 if same_file else None
    return edit_annotations(target, change, article=article, expected_sha256=expected)


def update_reference_note(
    path: str | Path,
    index: int,
    note: str | None = None,
    tags: Iterable[str] | None = None,
    *,
    article: Article | None = None,
    expected_sha256: str | None = None,
) -> Annotations:
    """Set the note and/or tags of reference ``index``; None leaves a field as it is.

    An empty note or empty tags remove that field; an entry left with neither is removed.
    A new entry is placed in index order.
    """

    def change(document: Document) -> None:
        entries = _entries(document, "references")
        entry = next(
            (item for item in entries if isinstance(item, Mapping) and item.get("index") == index),
            None,
        )
        existing = None if entry is None else dict(entry)
        if entry is None:
            entry = CommentedMap(index=index)
            position = sum(
                1 for item in entries if isinstance(item, Mapping) and _before(item, index)
            )
            entries.insert(position, entry)
        values = dict(entry)
        if note is not None:
            values["note"] = note.strip()
        if tags is not None:
            values["tags"] = clean_tags(tags)
        values = {key: value for key, value in values.items() if value not in ("", [], None)}
        if set(values) - set(STAMP_KEYS) == {"index"}:
            entries.remove(entry)
        else:
            _sync_map(entry, stamped(existing, values, current_stamp()), kind="reference")

    return edit_annotations(path, change, article=article, expected_sha256=expected_sha256)


def upsert_claim(
    path: str | Path,
    claim: Claim,
    *,
    article: Article | None = None,
    expected_sha256: str | None = None,
) -> Annotations:
    """Replace the claim with ``claim.id`` field by field, or append it if it is new."""

    def change(document: Document) -> None:
        entries = _entries(document, "claims")
        values = claim_mapping(claim)
        now = current_stamp()
        for item in entries:
            if isinstance(item, CommentedMap) and item.get("id") == claim.id:
                _sync_map(item, stamped(item, values, now), kind="claim")
                return
        entries.append(_new_value(stamped(None, values, now), kind="claim"))

    return edit_annotations(path, change, article=article, expected_sha256=expected_sha256)


def decide_statement(
    path: str | Path,
    decision: StatementDecision,
    claim: Claim | None = None,
    *,
    article: Article | None = None,
    expected_sha256: str | None = None,
) -> Annotations:
    """Record ``decision`` on a suggested statement and, for one accepted as a new claim, add
    ``claim`` (whose id the decision names): both in one edit, so the file never holds the
    claim without the decision or the decision without the claim.

    A decision on the same sentence and cell replaces the earlier one, field by field; a new
    one is appended; a new file takes the article's PMID. A claim whose id is taken is refused
    (`AnnotationsInvalid`, a duplicate claim id), never written over. ``ValueError`` when
    ``claim`` does not go with ``decision``.
    """
    if claim is not None and (decision.decision != ACCEPTED or decision.claim != claim.id):
        raise ValueError(
            f"claim {claim.id!r} goes with an accepted decision naming it, not "
            f"{decision.decision} ({decision.claim!r})"
        )

    def change(document: Document) -> None:
        if "pmid" not in document and article is not None and article.pmid:
            _sync_map(document, {"pmid": article.pmid}, kind="", remove_missing=False)
        if claim is not None:
            claims = _entries(document, "claims")
            values = stamped(None, claim_mapping(claim), current_stamp())
            claims.append(_new_value(values, kind="claim"))
        entries = _entries(document, "statements")
        values = decision_mapping(decision)
        for item in entries:
            if isinstance(item, CommentedMap) and _entry_key(item, DECISION_KEYS[:2]) == (
                decision.key
            ):
                _sync_map(item, values, kind="statement_decision")
                return
        entries.append(_new_value(values, kind="statement_decision"))

    return edit_annotations(path, change, article=article, expected_sha256=expected_sha256)


def current_stamp() -> str:
    """Now, in UTC to the second, as a stamp (`model.STAMP_PATTERN`): ``2026-12-07T14:30:00Z``."""
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def stamped(
    existing: Mapping[str, Any] | None, values: Mapping[str, Any], now: str
) -> dict[str, Any]:
    """``values`` (a claim's or note's mapping) with the stamps it should be saved with.

    A new entry (``existing`` None) is created and modified ``now``, unless ``values`` carry
    stamps of their own. An entry already in the file keeps the file's stamps (else those of
    ``values``) and is modified ``now`` only if its content differs from ``existing``; an entry
    that never had a ``created`` stamp gets none, since when it was created is not known.
    """
    content = {key: value for key, value in values.items() if key not in STAMP_KEYS}
    if existing is None:
        return {
            **content,
            "created": values.get("created") or now,
            "modified": values.get("modified") or now,
        }
    stamps = {key: existing.get(key) or values.get(key) for key in STAMP_KEYS}
    if _content(existing) != _content(content):
        stamps["modified"] = now
    return {**content, **{key: stamp for key, stamp in stamps.items() if stamp}}


def _content(value: Any) -> Any:
    """A mapping's content to compare: plain values, stamps and empty fields left out."""
    if isinstance(value, Mapping):
        return {
            str(key): _content(item)
            for key, item in value.items()
            if key not in STAMP_KEYS and item not in ("", [], None)
        }
    if isinstance(value, list):
        return [_content(item) for item in value]
    if isinstance(value, str):
        return str(value)
    return value


def clean_tags(tags: Iterable[str]) -> list[str]:
    """Tags stripped of surrounding space, empties and repeats dropped, order kept."""
    cleaned: list[str] = []
    for tag in tags:
        tag = " ".join(str(tag).split())
        if tag and tag not in cleaned:
            cleaned.append(tag)
    return cleaned


# --- records as YAML mappings -----------------------------------------------------------------


def claim_mapping(claim: Claim) -> dict[str, Any]:
    """A claim as the mapping a file holds, optional fields left out when empty."""
    quote = {"exact": claim.quote.exact, "prefix": claim.quote.prefix, "suffix": claim.quote.suffix}
    values: dict[str, Any] = {
        "id": claim.id,
        "statement": claim.statement,
        "quote": {key: value for key, value in quote.items() if key == "exact" or value},
        "location": claim.location,
        "cells": list(claim.cells),
        "steps": list(claim.steps),
        "role": claim.role,
        "refs": list(claim.refs),
        "created": claim.created,
        "modified": claim.modified,
    }
    return {key: value for key, value in values.items() if value not in ([], None)}


def reference_mapping(entry: ReferenceNote) -> dict[str, Any]:
    """A reference note as the mapping a file holds."""
    values: dict[str, Any] = {
        "index": entry.index,
        "note": entry.note,
        "tags": list(entry.tags),
        "created": entry.created,
        "modified": entry.modified,
    }
    return {key: value for key, value in values.items() if value not in ([], None, "")}


def agent_mapping(agent: Agent) -> dict[str, Any]:
    """The creator of a file as the mapping it holds (``homepage`` left out when unknown)."""
    values = {"name": agent.name, "type": agent.type, "homepage": agent.homepage}
    return {key: value for key, value in values.items() if value is not None}


def decision_mapping(decision: StatementDecision) -> dict[str, Any]:
    """A decision on a suggested statement as the mapping a file holds (``claim`` left out
    when it names none)."""
    values: dict[str, Any] = {
        "sentence": decision.sentence,
        "cell": decision.cell,
        "decision": decision.decision,
        "claim": decision.claim,
    }
    return {key: value for key, value in values.items() if value is not None}


# --- updating a round-trip document in place ---------------------------------------------------


def _is_bool(value: object) -> bool:
    return isinstance(value, bool)


def _before(item: Mapping[str, Any], index: int) -> bool:
    """Whether a reference entry sorts before reference ``index``."""
    other = item.get("index")
    return isinstance(other, int) and other < index


def _entries(document: Document, key: str) -> CommentedSeq:
    """The list under ``key``, created (in key order) if missing or null."""
    entries = document.get(key)
    if not isinstance(entries, CommentedSeq):
        entries = CommentedSeq()
        _set_key(document, key, entries, kind="")
    return entries


def _set_key(target: CommentedMap, key: str, value: object, *, kind: str) -> None:
    """Set ``key``; a new key goes where ``KEY_ORDER`` puts it among the existing ones."""
    if key in target:
        target[key] = value
        return
    order = KEY_ORDER.get(kind, ())
    rank = order.index(key) if key in order else len(order)
    position = sum(1 for existing in target if existing in order and order.index(existing) < rank)
    target.insert(position, key, value)


def _sync_map(
    target: CommentedMap, values: Mapping[str, Any], *, kind: str, remove_missing: bool = True
) -> None:
    """Make ``target`` hold ``values``, touching only what differs."""
    if remove_missing:
        for key in [key for key in target if key not in values]:
            del target[key]
    for key, value in values.items():
        current = target.get(key)
        if isinstance(value, Mapping):
            if isinstance(current, CommentedMap):
                _sync_map(current, value, kind=key)
            else:
                _set_key(target, key, _new_value(value, kind=key), kind=kind)
        elif isinstance(value, list):
            if isinstance(current, CommentedSeq):
                if list(current) != value:
                    current[:] = [flow_item(item) for item in value]
            else:
                _set_key(target, key, _new_value(value, kind=key), kind=kind)
        elif key not in target or current != value or _is_bool(current) != _is_bool(value):
            _set_key(target, key, _new_value(value, kind=key), kind=kind)


def _entry_key(entry: Mapping[str, Any], keys: tuple[str, ...]) -> tuple[Any, ...]:
    """The values of ``keys`` in an entry: what tells it from the list's others."""
    return tuple(entry.get(key) for key in keys)


def _sync_entries(
    document: Document,
    name: str,
    items: Sequence[Mapping[str, Any]],
    *,
    keys: tuple[str, ...],
    kind: str,
    now: str | None = None,
) -> None:
    """Make the list ``name`` hold ``items``, reusing entries with the same values of ``keys``;
    with ``now``, each item stamped against the entry it replaces (`stamped`)."""
    if not items and name not in document:
        return
    entries = _entries(document, name)
    wanted = [_entry_key(item, keys) for item in items]
    for position in reversed(range(len(entries))):
        entry = entries[position]
        if not isinstance(entry, CommentedMap) or _entry_key(entry, keys) not in wanted:
            del entries[position]
    for position, item in enumerate(items):
        key = _entry_key(item, keys)
        existing = next((entry for entry in entries if _entry_key(entry, keys) == key), None)
        if now is not None:
            item = stamped(existing, item, now)
        if existing is None:
            entries.insert(position, _new_value(item, kind=kind))
            continue
        current = next(i for i, entry in enumerate(entries) if entry is existing)
        if current != position:
            entries.pop(current)
            entries.insert(position, existing)
        _sync_map(existing, item, kind=kind)


def _new_value(value: object, *, kind: str) -> object:
    """A plain value as a round-trip node: maps in key order, flow lists, folded long text."""
    if isinstance(value, Mapping):
        mapping = CommentedMap()
        for key, item in value.items():
            _set_key(mapping, key, _new_value(item, kind=key), kind=kind)
        return mapping
    if isinstance(value, list):
        if all(not isinstance(item, (Mapping, list)) for item in value):
            sequence = CommentedSeq(flow_item(item) for item in value)
            sequence.fa.set_flow_style()
            return sequence
        return CommentedSeq(_new_value(item, kind=kind) for item in value)
    if isinstance(value, str):
        return text_node(value)
    return value


def flow_item(value: object) -> object:
    """An item of a flow list (``[a, b]``): text double-quoted unless plainly safe there.

    ruamel writes some text plain that reads back as something else inside brackets (``?0``
    becomes a mapping), so only words, spaces and ``_.'()/-`` stay plain.
    """
    if isinstance(value, str) and not _FLOW_PLAIN.fullmatch(value):
        return DoubleQuotedScalarString(value)
    return value


def text_node(text: str) -> str:
    """Text as it should be written: folded when long, double-quoted when it holds odd breaks.

    ruamel writes ``\x85`` (next line) unescaped in plain style, where it reads back as a
    space; double quotes escape it and the other Unicode line separators.
    """
    if any(char in _LINE_BREAKS and char != "\n" for char in text):
        return DoubleQuotedScalarString(text)
    return folded(text)


def folded(text: str, width: int = FOLD_WIDTH) -> str:
    """``text`` as a folded block scalar broken at spaces, if long and safe to fold; else as is.

    Safe means one line with no leading, trailing or doubled spaces and no characters YAML
    would read as line breaks, so folding gives back exactly the same text.
    """
    if (
        len(text) <= width
        or text != text.strip()
        or "  " in text
        or any(char in _LINE_BREAKS or not char.isprintable() for char in text)
    ):
        return text
    positions: list[int] = []
    line_start = 0
    last_space = -1
    for position, char in enumerate(text):
        if char == " ":
            if position - line_start > width and last_space > line_start:
                positions.append(last_space)
                line_start = last_space + 1
            last_space = position
    if len(text) - line_start > width and last_space > line_start:
        positions.append(last_space)
    if not positions:
        return text
    block = FoldedScalarString(text)
    block.fold_pos = positions  # type: ignore[attr-defined]
    return block


# --- swapping a new version in -----------------------------------------------------------------


def swap_in(path: Path, data: bytes, checked: bytes | None) -> Path | None:
    """Replace ``path``, which held ``checked`` (None: did not exist), by ``data``; returns where
    another program's version, displaced meanwhile, is kept (None when there was none).

    Call under the file's lock. Raises `AnnotationsChanged` (nothing written) when the file
    was removed, or created by another program, after it was checked.
    """
    staged = path.with_name(f"{_swap_prefix(path)}{_digest(checked)}-{_digest(data)}")
    try:
        mode = NEW_FILE_MODE if checked is None else stat.S_IMODE(path.stat().st_mode)
        write_atomically(staged, data, mode=mode)
        flags = RENAME_NOREPLACE if checked is None else RENAME_EXCHANGE
        if not _rename(staged, path, flags):
            _replace_if_unchanged(staged, path, checked)
            return None
    except (FileExistsError, FileNotFoundError):
        staged.unlink(missing_ok=True)
        raise AnnotationsChanged(path, _current_bytes(path), "read for this edit") from None
    if checked is None:
        kept = None
    elif staged.read_bytes() == checked:  # the version checked: no one wrote in between
        staged.unlink()
        kept = None
    else:
        kept = _keep_as_conflict(staged, path)
    fsync_folder(path.parent)
    return kept


def _replace_if_unchanged(staged: Path, path: Path, checked: bytes | None) -> None:
    """Without ``renameat2``: re-read ``path``, then rename ``staged`` over it."""
    if _current_bytes(path) != checked:
        raise FileExistsError(path)
    os.replace(staged, path)
    fsync_folder(path.parent)


@functools.cache
def _renameat2() -> Callable[..., int] | None:
    """libc's ``renameat2`` (Linux, glibc 2.28 and later), or None."""
    try:
        function = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError, TypeError):
        return None
    function.argtypes = (
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_uint,
    )
    function.restype = ctypes.c_int
    return function


def _rename(source: Path, target: Path, flags: int) -> bool:
    """``renameat2(source, target, flags)``; False where it, or the flag, is not supported."""
    function = _renameat2()
    if function is None:
        return False
    if function(_AT_FDCWD, os.fsencode(source), _AT_FDCWD, os.fsencode(target), flags) == 0:
        return True
    number = ctypes.get_errno()
    if number in (errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP):
        return False
    raise OSError(number, os.strerror(number), str(source), None, str(target))


def _keep_as_conflict(displaced: Path, path: Path) -> Path:
    """Rename ``displaced`` to ``<name>.conflict-<UTC time>`` beside ``path``; returns it."""
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y%m%dT%H%M%S.%fZ")
    kept = path.with_name(f"{path.name}{CONFLICT_INFIX}{now}")
    number = 1
    while kept.exists():
        number += 1
        kept = path.with_name(f"{path.name}{CONFLICT_INFIX}{now}-{number}")
    os.rename(displaced, kept)
    return kept


def _swap_prefix(path: Path) -> str:
    return f".{path.name}{SWAP_INFIX}"


def _digest(data: bytes | None) -> str:
    return hashlib.sha256(data or b"").hexdigest()[:_DIGEST_LENGTH]


# --- after a writer died ----------------------------------------------------------------------


def settle_leftovers(path: Path) -> list[Path]:
    """Clear what a writer of ``path`` that died left (call under the lock); returns the
    conflict files kept.

    Temporary files never held anyone's version but the writer's: removed. A swap file holds
    the new version (never swapped in) or the one it displaced: removed when its bytes are the
    new or the checked version its name records, else kept as a conflict file.
    """
    swap = _swap_prefix(path)
    for leftover in [
        *path.parent.glob(glob.escape(temp_prefix(path)) + "*"),
        *path.parent.glob(glob.escape(f".{swap}") + "*"),  # a swap file's temporary files
    ]:
        with contextlib.suppress(OSError):
            leftover.unlink()
    kept = []
    for leftover in sorted(path.parent.glob(glob.escape(swap) + "*")):
        named = leftover.name.removeprefix(swap).split("-")
        if _digest(leftover.read_bytes()) in named:
            leftover.unlink()
        else:
            kept.append(_keep_as_conflict(leftover, path))
    if kept:
        fsync_folder(path.parent)
    return kept
