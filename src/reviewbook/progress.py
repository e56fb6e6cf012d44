"""Progress bars for long work at a terminal: fetching, re-running notebooks, parsing many files.

Shown only when standard error is a terminal, so kernels, pipes, CI logs and nbval's strict
comparison of stderr never see them. tqdm loads when a bar is first asked for: importing it
looks its own version up among the installed packages (tens of milliseconds), which every
notebook kernel that loads reviews would otherwise pay for bars it never draws.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from tqdm import tqdm

Item = TypeVar("Item")


def progress(items: Iterable[Item], *, what: str, unit: str) -> Iterator[Item]:
    """``items``, drawing a bar on stderr while they are consumed (at a terminal only)."""
    from tqdm import tqdm

    shown = sys.stderr.isatty()
    yield from tqdm(items, desc=what, unit=unit, disable=not shown, leave=False)


@contextmanager
def tally(total: int, *, what: str, unit: str) -> Iterator[tqdm]:
    """A bar advanced by hand (``bar.update(1)``, ``bar.set_postfix(...)``) as work finishes
    elsewhere, e.g. tasks on other processes; drawn at a terminal only."""
    from tqdm import tqdm

    shown = sys.stderr.isatty()
    with tqdm(total=total, desc=what, unit=unit, disable=not shown, leave=False) as bar:
        yield bar


def say(message: str) -> None:
    """Print a line on stderr without breaking a bar being drawn."""
    from tqdm import tqdm

    tqdm.write(message, file=sys.stderr)
