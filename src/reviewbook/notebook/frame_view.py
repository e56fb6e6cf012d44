"""pandas tables as a reader sees them best: text left, numbers right, one index column.

JupyterLab right-aligns every cell of a DataFrame and shows a default index (0, 1, 2, ...) that
carries no meaning beside a numbered column. `frame_view` returns the same table as escaped HTML
without those flaws, with the frame's own text form as its plain text, so a reader without
HTML (and nbval) still sees every value. A Series (``value_counts``, say) becomes a table of one
column.
"""

from __future__ import annotations

from html import escape

import pandas as pd
from pandas.api.types import is_bool_dtype, is_numeric_dtype

from reviewbook.notebook.html import Html

CELL_STYLE = "text-align:{align};vertical-align:top;padding:2px 8px"
"""The style of every cell; ``align`` is ``left`` for text, ``right`` for numbers."""


def _has_meaning(index: pd.Index) -> bool:
    """Whether an index says something: not the unnamed 0, 1, 2, ... pandas gives by default."""
    return not (
        isinstance(index, pd.RangeIndex)
        and index.name is None
        and index.start == 0
        and index.step == 1
    )


def _text(value: object) -> str:
    """A cell's value as escaped text; missing values are left blank."""
    if not isinstance(value, (list, tuple)) and pd.isna(value):
        return ""
    return escape(str(value))


def _label(name: object) -> str:
    """A column or index name as text; the levels of a MultiIndex name joined by `` / ``."""
    if isinstance(name, tuple):
        return " / ".join(str(part) for part in name if str(part))
    return "" if name is None else str(name)


def frame_view(table: pd.DataFrame | pd.Series) -> Html:
    """``table`` as escaped HTML: text columns left-aligned, numbers right-aligned, its index
    shown only when it means something; its plain text is pandas' own."""
    frame = table.to_frame() if isinstance(table, pd.Series) else table
    show_index = _has_meaning(frame.index)
    index_names = [_label(name) for name in frame.index.names] if show_index else []
    aligns = [
        "right" if is_numeric_dtype(dtype) and not is_bool_dtype(dtype) else "left"
        for dtype in frame.dtypes
    ]
    left = CELL_STYLE.format(align="left")
    head = "".join(f'<th style="{left}">{escape(name)}</th>' for name in index_names) + "".join(
        f'<th style="{CELL_STYLE.format(align=align)}">{escape(_label(name))}</th>'
        for name, align in zip(frame.columns, aligns, strict=True)
    )
    opening = [f'<td style="{CELL_STYLE.format(align=align)}">' for align in aligns]
    rows = []
    for key, values in zip(frame.index, frame.itertuples(index=False, name=None), strict=True):
        keys = (key if isinstance(key, tuple) else (key,)) if show_index else ()
        cells = "".join(f'<th style="{left}">{_text(part)}</th>' for part in keys) + "".join(
            f"{tag}{_text(value)}</td>" for tag, value in zip(opening, values, strict=True)
        )
        rows.append(f"<tr>{cells}</tr>")
    markup = (
        '<table class="reviewbook-frame"><thead><tr>'
        f"{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )
    return Html(markup, repr(table))
