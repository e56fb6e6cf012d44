"""Child-process bodies for the annotation store tests (importable, so ``spawn`` can run them)."""

from __future__ import annotations

import os
import time
from pathlib import Path

import yaml

from reviewbook import files
from reviewbook.annotations.store import update_reference_note
from reviewbook.files import write_atomically


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
