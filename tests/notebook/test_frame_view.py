"""Tables as a reader sees them best: text left, numbers right, one index column, escaped."""

from __future__ import annotations

import pandas as pd

from reviewbook.notebook.frame_view import frame_view

LEFT = "text-align:left;vertical-align:top;padding:2px 8px"
RIGHT = "text-align:right;vertical-align:top;padding:2px 8px"


def test_text_is_left_aligned_numbers_right_and_the_default_index_hidden() -> None:
    frame = pd.DataFrame(
        {"index": pd.array([1], dtype="Int64"), "title": pd.array(["<b>T</b>"], dtype="string")}
    )
    view = frame_view(frame)
    assert view.markup == (
        '<table class="reviewbook-frame"><thead><tr>'
        f'<th style="{RIGHT}">index</th><th style="{LEFT}">title</th></tr></thead>'
        f'<tbody><tr><td style="{RIGHT}">1</td><td style="{LEFT}">&lt;b&gt;T&lt;/b&gt;</td></tr>'
        "</tbody></table>"
    )
    assert repr(view) == repr(frame)


def test_a_meaningful_index_is_one_column_and_missing_values_are_blank() -> None:
    frame = pd.DataFrame(
        {"doi": pd.array([None], dtype="string")}, index=pd.RangeIndex(1, 2, name="n")
    )
    assert frame_view(frame).markup == (
        '<table class="reviewbook-frame"><thead><tr>'
        f'<th style="{LEFT}">n</th><th style="{LEFT}">doi</th></tr></thead>'
        f'<tbody><tr><th style="{LEFT}">1</th><td style="{LEFT}"></td></tr></tbody></table>'
    )


def test_value_counts_become_a_table_with_their_index_levels() -> None:
    counts = pd.DataFrame({"journal": ["Cell", "Cell", "Nature"], "key": ["cell"] * 2 + ["n"]})
    view = frame_view(counts.value_counts().sort_index())
    assert view.markup.count("<tr>") == 3
    assert f'<th style="{LEFT}">journal</th><th style="{LEFT}">key</th>' in view.markup
    assert f'<th style="{RIGHT}">count</th>' in view.markup
    assert (
        f'<tr><th style="{LEFT}">Cell</th><th style="{LEFT}">cell</th>'
        f'<td style="{RIGHT}">2</td></tr>'
    ) in view.markup
