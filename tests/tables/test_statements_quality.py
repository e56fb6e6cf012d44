"""The tagger against the hand-labelled sentences (tests/data/statements, see its README):
every figure must stay at or above its target (`benchmarks.statements.QUALITY_TARGETS`)."""

from __future__ import annotations

import pytest
from benchmarks.statements import LABELS, QUALITY_TARGETS, SHARED, labelled_scores, quality_figures

pytestmark = pytest.mark.skipif(
    not (LABELS.is_file() and SHARED.is_dir()),
    reason=f"needs {LABELS} and the shared full texts at {SHARED}",
)


@pytest.fixture(scope="module")
def figures() -> dict[str, tuple[float, str]]:
    labelled, scores = labelled_scores()
    assert scores.found == scores.sentences == len(labelled), "a labelled sentence went unread"
    return quality_figures(scores)


@pytest.mark.parametrize("name", list(QUALITY_TARGETS))
def test_figure_stays_at_or_above_its_target(
    name: str, figures: dict[str, tuple[float, str]]
) -> None:
    value, counts = figures[name]
    assert value >= QUALITY_TARGETS[name], f"{name}: {value:.3f} ({counts})"
