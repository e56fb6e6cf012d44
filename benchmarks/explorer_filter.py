"""How fast `ReferenceExplorer` answers a filter change, against a bare pandas boolean mask.

The frame is synthetic: the references of ``benchmarks.corpus`` pages (500 reviews x 200 =
100,000 rows), with 2% of years blanked and annotation tags on about a third of the rows. A
scripted reader makes 50 filter changes (moving the year slider, typing an author and search
words a few letters at a time, picking journals, reviews, tags and link types, resetting).

- **explorer**: set the widget's value and wait for the explorer to redraw (count, year
  histogram and the first 200 table rows), the whole update a reader waits for;
- **bare mask**: the same filters as one pandas boolean mask over columns prepared beforehand
  (folded authors and text, journal keys, one boolean column per link type and tag), plus the
  count of matching rows: what a notebook cell filtering by hand would do.

Widgets run without a kernel here, so the time to send the new HTML to the browser is not
included in either figure.
"""

from __future__ import annotations

import gc
import random
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from benchmarks.corpus import generate_corpus
from benchmarks.report import Metric, Section
from reviewbook.model import LINK_LABELS
from reviewbook.notebook.explorer import ReferenceExplorer
from reviewbook.sources.citation import journal_key
from reviewbook.tables.filters import FIELD_BREAK, TEXT_COLUMNS, split_joined
from reviewbook.tables.frames import references_frame
from reviewbook.text import fold

NAME = "explorer_filter"


@dataclass(frozen=True, slots=True)
class Settings:
    """Frame size: synthetic review pages, references per page; and the random seed."""

    pages: int
    references: int
    seed: int = 0


FULL = Settings(pages=500, references=200)
QUICK = Settings(pages=10, references=50)

TARGET_MILLISECONDS = 50.0
TARGET_TIMES_MASK = 2.0
"""The explorer's median update may take at most this many times the bare mask's median."""

TAGS: tuple[str, ...] = (
    "dormancy",
    "pre-metastatic niche",
    "NK cells",
    "macrophages",
    "neutrophils",
    "T cells",
    "EMT",
    "platelets",
)
"""Annotation tags scattered over the synthetic frame."""

QUESTIONS: tuple[tuple[str, ...], ...] = (
    ("reset", "year", "text=me", "text=metas", "text=metastatic"),
    ("reset", "author=ma", "author=mass", "author=massagué", "unknown"),
    ("reset", "journals", "links", "year", "text=cells"),
    ("reset", "reviews", "tags", "year", "links"),
    ("reset", "text=imm", "text=immune", "text=immune cel", "journals"),
)
"""What the scripted reader does, question by question: each starts afresh (except the first),
then changes one widget per step; ``text=...`` and ``author=...`` are what the box holds after
a few more letters are typed. Played twice, with fresh random choices: 50 changes."""


# --- the frame ------------------------------------------------------------------------------


def generate_frame(settings: Settings) -> pd.DataFrame:
    """A references frame of ``pages x references`` rows, some years unknown, some rows tagged."""
    pages = generate_corpus(settings.pages, settings.references, seed=settings.seed)
    frame = references_frame([page.expected for page in pages])
    rng = random.Random(settings.seed)
    unknown = [row for row in range(len(frame)) if rng.random() < 0.02]
    frame.loc[unknown, "year"] = pd.NA
    frame["tags"] = pd.array(
        [
            "; ".join(sorted(rng.sample(TAGS, rng.randint(1, 2)))) if rng.random() < 0.35 else None
            for _ in range(len(frame))
        ],
        dtype="string",
    )
    return frame


def prepare_for_pandas(frame: pd.DataFrame) -> pd.DataFrame:
    """The columns the bare mask reads, computed once (not timed), as a hand-written cell would."""
    text = frame[list(TEXT_COLUMNS)].fillna("").astype(str).agg(FIELD_BREAK.join, axis=1)
    columns: dict[str, Any] = {
        "year": frame["year"],
        "review_pmid": frame["review_pmid"],
        "journal_key": frame["journal"].map(
            lambda name: journal_key(name) if isinstance(name, str) else ""
        ),
        "authors_folded": frame["authors"].map(
            lambda cell: FIELD_BREAK.join(fold(name) for name in split_joined(cell))
        ),
        "text_folded": text.map(fold),
    }
    links = frame["links"].map(lambda cell: set(split_joined(cell)))
    tags = frame["tags"].map(lambda cell: set(split_joined(cell)))
    columns |= {f"link {label}": links.map(lambda row, x=label: x in row) for label in LINK_LABELS}
    columns |= {f"tag {tag}": tags.map(lambda row, x=tag: x in row) for tag in TAGS}
    prepared = pd.DataFrame(columns)
    for name in ("journal_key", "authors_folded", "text_folded"):
        prepared[name] = prepared[name].astype("string")
    return prepared


def pandas_mask(prepared: pd.DataFrame, state: dict[str, Any]) -> pd.Series:
    """The explorer's filters (its ``state``) as one pandas boolean mask."""
    low, high = state["year_range"]
    years = prepared["year"]
    mask = years.between(low, high).fillna(False)
    if state["include_unknown_year"]:
        mask |= years.isna()
    if state["journals"]:
        mask &= prepared["journal_key"].isin([journal_key(name) for name in state["journals"]])
    if state["author"]:
        mask &= prepared["authors_folded"].str.contains(fold(state["author"]), regex=False)
    for word in fold(state["text"]).split():
        mask &= prepared["text_folded"].str.contains(word, regex=False)
    if state["links"]:
        mask &= prepared[[f"link {label}" for label in state["links"]]].any(axis=1)
    if state["reviews"]:
        mask &= prepared["review_pmid"].isin(state["reviews"])
    if state["tags"]:
        mask &= prepared[[f"tag {tag}" for tag in state["tags"]]].any(axis=1)
    return mask.astype(bool)


# --- the scripted reader ----------------------------------------------------------------------


def filter_changes(explorer: ReferenceExplorer, seed: int) -> list[Callable[[], None]]:
    """The reader's changes (`QUESTIONS`, twice), each setting one widget or pressing reset."""
    rng = random.Random(seed)
    low, high = explorer.year_slider.min, explorer.year_slider.max
    journals = [key for _, key in explorer.journal_select.options]
    reviews = [pmid for _, pmid in explorer.review_select.options]
    tags = [tag for _, tag in explorer.tag_select.options]

    def change(step: str) -> Callable[[], None]:
        kind, _, typed = step.partition("=")
        widget: Any
        if kind == "reset":
            return explorer.reset
        if kind == "links":
            widget = explorer.link_boxes[rng.choice(LINK_LABELS)]
            return lambda: setattr(widget, "value", not widget.value)
        if kind == "year":
            start = rng.randint(low, high - 10)
            widget, value = explorer.year_slider, (start, rng.randint(start + 10, high))
        elif kind == "text":
            widget, value = explorer.text_box, typed
        elif kind == "author":
            widget, value = explorer.author_box, typed
        elif kind == "journals":
            widget, value = explorer.journal_select, tuple(rng.sample(journals, rng.randint(1, 4)))
        elif kind == "reviews":
            count = rng.randint(1, max(1, len(reviews) // 4))
            widget, value = explorer.review_select, tuple(rng.sample(reviews, count))
        elif kind == "tags":
            widget, value = explorer.tag_select, tuple(rng.sample(tags, rng.randint(1, 3)))
        else:
            widget, value = explorer.unknown_year, False
        return lambda: setattr(widget, "value", value)

    return [change(step) for _ in range(2) for question in QUESTIONS for step in question]


def timed(action: Callable[[], object]) -> tuple[float, object]:
    """Milliseconds ``action`` takes, and what it returned."""
    gc.collect()
    start = time.perf_counter()
    result = action()
    return (time.perf_counter() - start) * 1000, result


# --- the report -------------------------------------------------------------------------------


def run(*, quick: bool = False) -> Section:
    """Build the frame, replay the filter changes, and report the median update times."""
    settings = QUICK if quick else FULL
    frame = generate_frame(settings)
    prepared = prepare_for_pandas(frame)
    build_ms, explorer = timed(lambda: ReferenceExplorer(frame))
    assert isinstance(explorer, ReferenceExplorer)

    explorer_ms, mask_ms, agreed, shown = [], [], 0, []
    for change in filter_changes(explorer, settings.seed):
        elapsed, _ = timed(change)
        explorer_ms.append(elapsed)
        state = explorer.state
        elapsed, mask = timed(lambda state=state: (m := pandas_mask(prepared, state), int(m.sum())))
        mask_ms.append(elapsed)
        agreed += int(np.array_equal(mask[0].to_numpy(), explorer.index.mask(**state)))
        shown.append(len(explorer.filtered))

    median, baseline = statistics.median(explorer_ms), statistics.median(mask_ms)
    ratio = median / baseline
    rows = len(frame)
    metrics = (
        Metric(
            f"explorer update, median of {len(explorer_ms)} changes",
            f"{median:.1f} ms",
            f"<= {TARGET_MILLISECONDS:.0f} ms",
            median <= TARGET_MILLISECONDS,
        ),
        Metric("explorer update, slowest change", f"{max(explorer_ms):.1f} ms"),
        Metric(f"bare pandas mask, median of {len(explorer_ms)} changes", f"{baseline:.1f} ms"),
        Metric("bare pandas mask, slowest change", f"{max(mask_ms):.1f} ms"),
        Metric(
            "explorer median / mask median",
            f"{ratio:.2f}x",
            f"<= {TARGET_TIMES_MASK:.0f}x",
            ratio <= TARGET_TIMES_MASK,
        ),
        Metric("building the explorer (folding every row once)", f"{build_ms:,.0f} ms"),
        Metric("changes where explorer and mask chose the same rows", f"{agreed}/{len(mask_ms)}"),
    )
    mode = "quick smoke-test frame" if quick else "full frame"
    notes = (
        f"Frame ({mode}): {rows:,} references from {settings.pages:,} synthetic reviews, "
        f"{int(frame['year'].isna().sum()):,} of unknown year, "
        f"{int(frame['tags'].notna().sum()):,} tagged; seed {settings.seed}.",
        f"Matching rows after each change: median {statistics.median(shown):,.0f}, "
        f"from {min(shown):,} to {max(shown):,}.",
        "The explorer folds text once when built and remembers the last mask of each filter, "
        "so a change recomputes one filter; the bare mask recomputes every active filter.",
    )
    return Section(
        name=NAME,
        title="filtering references in the explorer",
        description=(
            "`ReferenceExplorer` on a synthetic 100,000-reference frame: 50 scripted filter "
            "changes, each timed from setting the widget value to the redrawn count, histogram "
            "and table (first 200 rows), against a bare pandas boolean mask of the same filters "
            "on precomputed columns, in the same run. One process, one thread, no kernel."
        ),
        metrics=metrics,
        notes=notes,
    )
