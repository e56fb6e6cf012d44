"""Writing files so that no reader, and no crash, ever sees half of one."""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path

NEW_FILE_MODE = 0o644
"""Permissions of a file that did not exist before (existing files keep theirs)."""


def temp_prefix(path: str | os.PathLike[str]) -> str:
    """Name prefix of the temporary files written for ``path``: ``.<name>.tmp-`` (hidden)."""
    return f".{Path(path).name}.tmp-"


def write_atomically(
    path: str | os.PathLike[str],
    data: bytes | str,
    *,
    mode: int | None = None,
    before_replace: Callable[[], object] | None = None,
) -> None:
    """Replace ``path`` by ``data`` through a synced temporary file and a rename.

    Text is written as UTF-8 with ``\\n`` line ends. The file keeps its permissions (a new one
    gets ``mode``, else `NEW_FILE_MODE`); missing parent folders are made. ``before_replace``
    is called once the temporary file is complete, just before the rename (a transaction names
    that moment as one of its steps).
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    if mode is None:
        mode = stat.S_IMODE(target.stat().st_mode) if target.exists() else NEW_FILE_MODE
    payload = data.encode("utf-8") if isinstance(data, str) else data
    descriptor, temporary = tempfile.mkstemp(dir=target.parent, prefix=temp_prefix(target))
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, mode)
        if before_replace is not None:
            before_replace()
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    fsync_folder(target.parent)


def fsync_folder(folder: Path) -> None:
    """Make a rename durable, where the platform can open a folder (not on Windows)."""
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


def link_or_copy(source: str | os.PathLike[str], target: str | os.PathLike[str]) -> None:
    """Make ``target`` a hard link to ``source`` (a copy, where links cannot be made).

    Safe for files that are only ever replaced (`write_atomically`), never rewritten in place:
    replacing one name leaves the other holding the old bytes.
    """
    destination = Path(target)
    destination.parent.mkdir(parents=True, exist_ok=True)
    destination.unlink(missing_ok=True)
    try:
        os.link(source, destination)
    except OSError:
        shutil.copy2(source, destination)


def shown_folder(folder: str | os.PathLike[str], base: str | os.PathLike[str]) -> str:
    """A folder as a reader anywhere can follow it: relative to ``base`` (the workbook, say
    ``notebooks/exports/``) when inside it, else its name alone; never this machine's absolute
    path, which would travel in every saved output."""
    path = Path(os.path.abspath(folder))
    root = Path(os.path.abspath(base))
    shown = path.relative_to(root).as_posix() if path.is_relative_to(root) else path.name
    return f"{shown}/"
