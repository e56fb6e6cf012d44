"""Child-process bodies for the annotation store tests (importable, so ``spawn`` can run them)."""

from __future__ import annotations

import ctypes
import hashlib
import os
import re
import time
from pathlib import Path

import yaml

from reviewbook import files
from reviewbook.annotations.model import AnnotationsInvalid
from reviewbook.annotations.store import (
    RENAME_EXCHANGE,
    AnnotationsChanged,
    AnnotationsConflict,
    update_reference_note,
)
from reviewbook.files import write_atomically

EDITOR_MARK = re.compile(r"^# editor (?:in-place|rename) (\d+)$", re.MULTILINE)
"""The line each editor write carries, naming the write; a save keeps it (a comment)."""
EDITOR_PAUSE = 0.005
"""Seconds between an editor's writes: often enough to land inside saves."""
EDITOR_LIMIT = 50_000
"""Writes after which an editor stops, whatever happens (bounds a hung test's logs)."""


def write_as_an_editor(path: Path, text: str, kind: str) -> None:
    """Write ``path`` as a text editor that does not take the lock: ``in-place`` (open
    truncating, write) or ``rename`` (a new file renamed over it)."""
    if kind == "in-place":
        path.write_text(text, encoding="utf-8")
    else:
        new = path.with_name(f".{path.name}.editor-new")
        new.write_text(text, encoding="utf-8")
        os.replace(new, path)


def editor_text(kind: str, write: int) -> bytes:
    """What editor write ``write`` puts in the file: valid, distinct, marked."""
    return f'pmid: "29037250"\n# editor {kind} {write}\nreferences: []\n'.encode()


def editor_marks(data: bytes) -> set[int]:
    """The editor writes whose mark ``data`` holds."""
    return {int(number) for number in EDITOR_MARK.findall(data.decode("utf-8", "replace"))}


def edit_until_done(path: str, kind: str, log: str, done: str) -> None:
    """Write the file as a text editor that does not take the lock would, until ``done``
    exists; ``kind`` is ``in-place`` (open truncating, write) or ``rename`` (write a new file,
    rename it over).

    Each write is logged as ``<write> <1 if it replaced the previous write itself, else 0>``,
    known exactly: in place, by keeping the previous write's file open, so that its inode
    cannot be reused, and comparing it with the one opened; by rename, through a
    ``RENAME_EXCHANGE`` (the same atomic replacement as a rename for everyone else) that leaves
    the replaced file to look at before deleting it.
    """
    target = Path(path)
    staged = target.with_name(f".{target.name}.editor-new")
    renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    previous: int | None = None  # in place: the previous write's descriptor
    previous_text = b""
    with open(log, "w", encoding="utf-8") as entries:
        for write in range(1, EDITOR_LIMIT + 1):
            if Path(done).exists():
                break
            text = editor_text(kind, write)
            if kind == "in-place":
                descriptor = os.open(target, os.O_WRONLY | os.O_TRUNC)
                same = (
                    previous is not None
                    and os.fstat(previous).st_ino == os.fstat(descriptor).st_ino
                )
                os.write(descriptor, text)
                if previous is not None:
                    os.close(previous)
                previous = descriptor
            else:
                staged.write_bytes(text)
                if renameat2(-100, bytes(staged), -100, bytes(target), RENAME_EXCHANGE) != 0:
                    raise OSError(ctypes.get_errno(), "renameat2")
                same = staged.read_bytes() == previous_text
                staged.unlink()
            previous_text = text
            entries.write(f"{write} {int(same)}\n")
            entries.flush()
            time.sleep(EDITOR_PAUSE)
    if previous is not None:
        os.close(previous)


def save_against_an_editor(path: str, index: int, worker: int, saves: int, log: str) -> None:
    """Save ``saves`` times a note on reference ``index``, each naming the version read (as
    the editor widget does); log each outcome with the editor writes the version read held.

    A save that goes through (``saved`` or ``conflict``) was made on that version: the store
    checked its SHA-256 under the lock, so the editor writes it held live on in the save.
    """
    with open(log, "w", encoding="utf-8") as entries:
        for save in range(saves):
            base = Path(path).read_bytes()
            try:
                update_reference_note(
                    path,
                    index,
                    note=f"worker {worker} save {save}",
                    expected_sha256=hashlib.sha256(base).hexdigest(),
                )
                outcome = "saved"
            except AnnotationsConflict:
                outcome = "conflict"
            except (AnnotationsChanged, AnnotationsInvalid):
                outcome = "refused"
            marks = " ".join(str(mark) for mark in sorted(editor_marks(base)))
            entries.write(f"{outcome} {marks}".rstrip() + "\n")


def count_edits(path: str, index: int, worker: int, saves: int) -> None:
    """Save ``saves`` times, each counting one more edit in reference ``index``'s note.

    The count is read back from the file before each save (with PyYAML's fast safe loader),
    so an edit lost to another process writing a stale copy would leave the final count short.
    """
    for _ in range(saves):
        document = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
        entry = next((item for item in document["references"] if item["index"] == index), None)
        done = int(entry["note"].split()[0]) if entry else 0
        update_reference_note(path, index, note=f"{done + 1} edits", tags=[f"worker {worker}"])


def save_forever(path: str, versions: tuple[str, str]) -> None:
    """Write the two texts in turn, atomically, until killed."""
    turn = 0
    while True:
        write_atomically(path, versions[turn % 2])
        turn += 1


def save_then_hang(path: str, note: str, marker: str) -> None:
    """Start a save that stops after writing its temporary file, before the rename.

    ``os.fsync`` is replaced in this process only: it announces itself through ``marker``
    and sleeps, so the parent can kill the process while the new text sits in the temporary
    file and the real file is untouched.
    """

    def announce_and_hang(descriptor: int) -> None:
        Path(marker).write_text("in the middle of a save", encoding="utf-8")
        time.sleep(600)

    real_fsync = os.fsync
    files.os.fsync = announce_and_hang  # type: ignore[attr-defined]
    try:
        update_reference_note(path, 1, note=note)
    finally:
        files.os.fsync = real_fsync  # type: ignore[attr-defined]


def swap_then_hang(path: str, meanwhile: str | None, theirs: str, marker: str) -> None:
    """Start a save that stops right after swapping its new version in, before it looks at
    what it displaced; ``meanwhile`` (an editor kind, or None) writes ``theirs`` just before
    the swap, as an editor might.

    ``store._rename`` is replaced in this process only: it writes as the editor, swaps, then
    announces itself through ``marker`` and sleeps, so that the parent can kill it there.
    """
    from reviewbook.annotations import store

    real_rename = store._rename

    def write_swap_and_hang(source: Path, target: Path, flags: int) -> bool:
        if meanwhile is not None:
            write_as_an_editor(target, theirs, meanwhile)
        real_rename(source, target, flags)
        Path(marker).write_text("swapped, not yet looked", encoding="utf-8")
        time.sleep(600)
        return True

    store._rename = write_swap_and_hang  # type: ignore[assignment]
    update_reference_note(path, 1, note="Swapped in.")
