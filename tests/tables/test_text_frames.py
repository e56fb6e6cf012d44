"""A review's text as tables: sentences and figures, numbered from 1."""

from __future__ import annotations

import pandas as pd

from reviewbook.model import Article, Figure
from reviewbook.tables.text_frames import figures_frame, sentences_frame
from tests.conftest import expected_article

EREZ = expected_article("21387299")


def test_sentences_frame_numbers_sentences_from_one() -> None:
    frame = sentences_frame(EREZ.abstract)
    assert list(frame.index) == [1, 2, 3]
    assert frame.loc[3, "sentence"].startswith("This review focuses")


def test_sentences_frame_of_no_text_is_empty_with_its_column() -> None:
    frame = sentences_frame(None)
    assert frame.empty
    assert list(frame.columns) == ["sentence"]
    assert frame.index.name == "n"


def test_figures_frame_has_one_string_row_per_figure() -> None:
    article = Article(
        pmid="1",
        title="T",
        figures=(Figure("Fig. 1", "Cascade", "Steps."), Figure("Fig. 2", "Niche", "Cells.")),
    )
    frame = figures_frame(article)
    assert frame.to_dict("index") == {
        1: {"label": "Fig. 1", "title": "Cascade", "caption": "Steps."},
        2: {"label": "Fig. 2", "title": "Niche", "caption": "Cells."},
    }
    assert set(frame.dtypes) == {pd.StringDtype()}
    assert figures_frame(Article(pmid="1", title="T")).empty
