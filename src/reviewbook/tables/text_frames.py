"""A review's text as tables for close reading: one row per sentence, one row per figure."""

from __future__ import annotations

import pandas as pd

from reviewbook.model import Article
from reviewbook.sources.sentences import sentence_spans

FIGURE_COLUMNS: tuple[str, ...] = ("label", "title", "caption")
"""``figures_frame`` columns, the fields of a `Figure`."""


def sentences_frame(text: str | None) -> pd.DataFrame:
    """One row per sentence of ``text``, numbered from 1, for reading it closely."""
    line = " ".join((text or "").split())
    sentences = [line[start:end] for start, end in sentence_spans(line)]
    return pd.DataFrame(
        {"sentence": pd.array(sentences, dtype="string")},
        index=pd.RangeIndex(1, len(sentences) + 1, name="n"),
    )


def figures_frame(article: Article) -> pd.DataFrame:
    """One row per figure: its label, title and caption, numbered from 1."""
    columns = {
        name: pd.array([getattr(figure, name) for figure in article.figures], dtype="string")
        for name in FIGURE_COLUMNS
    }
    return pd.DataFrame(columns, index=pd.RangeIndex(1, len(article.figures) + 1, name="n"))
