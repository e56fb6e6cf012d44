"""Python's cycle collector, kept out of the way while records are built in bulk.

Parsed documents and loaded reviews are hundreds of thousands of dicts, tuples and frozen
records, none part of a cycle. The collector walks each of them again and again as they pile
up, and once more when their number alone brings a full collection forward: a fifth of the
time of reading a large annotation file, and of loading a workbook of a hundred reviews.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cycle collector while records are built (and checked).

    Whatever is freed while it is paused is freed as usual; only cycles wait for it to resume.
    A collector paused before stays paused.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@contextlib.contextmanager
def built_to_keep() -> Iterator[None]:
    """Build records that will be kept for the rest of the session, with the collector paused,
    then move them to its oldest generation unexamined (`gc.freeze`, then `gc.unfreeze`).

    They would otherwise be walked by two collections before they got there, and their
    number, newly arrived, would set off a full collection of everything at once. They stay
    collectable: only a full collection, when one comes, looks at them again.
    """
    with collector_paused():
        yield
        gc.freeze()
        gc.unfreeze()
