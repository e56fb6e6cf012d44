"""CSV: the references frame itself, every column, as spreadsheets and CSV readers take it.

Lines end as RFC 4180 says (CRLF, so a cell holding any line break is quoted), and a text cell
that opens like a formula (`CSV_FORMULA_STARTS`) is written after a ``'``, so spreadsheets show
it as the text it is; each such cell is noted. Read it back with pandas
(``pd.read_csv(..., keep_default_na=False, na_values=[""])``).
"""

from __future__ import annotations

import pandas as pd

from reviewbook.exports.csl import ReferenceSource, citation_keys, reference_table, row_values
from reviewbook.exports.notes import Export, ExportNote

CSV_FORMULA_STARTS: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")
"""How a cell opens that Excel, LibreOffice or Google Sheets would run as a formula
(``=HYPERLINK(…)``, ``+cmd|…``, ``@SUM(…)``): such a text cell is written after a ``'``."""
CSV_FORMULA_CHANGE = "written after a ' so spreadsheets show it as text, not a formula"
"""What an `ExportNote` says of such a cell."""


def csv_export(source: ReferenceSource) -> Export:
    """CSV of the references frame and its notes: one for each cell a spreadsheet would have
    run as a formula."""
    frame = reference_table(source)
    text, changed = _csv_text(frame)
    keys = citation_keys(row_values(row) for row in frame.to_dict("records")) if changed else []
    notes = tuple(
        ExportNote("csv", keys[row], column, value, written, CSV_FORMULA_CHANGE)
        for row, column, value, written in changed
    )
    return Export(text, notes)


def csv_text(frame: pd.DataFrame) -> str:
    """``frame`` as CSV (see the module's text)."""
    return _csv_text(frame)[0]


def _csv_text(frame: pd.DataFrame) -> tuple[str, list[tuple[int, str, str, str]]]:
    """The CSV text and each changed cell: (row position, column, value, written)."""
    shown = frame.copy()
    changed: list[tuple[int, str, str, str]] = []
    for column in frame.columns:
        values = list(frame[column])
        opens = [
            isinstance(value, str) and value.startswith(CSV_FORMULA_STARTS) for value in values
        ]
        if not any(opens):
            continue
        written = [
            "'" + value if formula else value for value, formula in zip(values, opens, strict=True)
        ]
        shown[column] = pd.Series(written, index=frame.index, dtype=frame[column].dtype)
        changed.extend(
            (row, str(column), values[row], written[row])
            for row, formula in enumerate(opens)
            if formula
        )
    return shown.to_csv(index=False, lineterminator="\r\n"), sorted(changed)
