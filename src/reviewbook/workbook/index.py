"""The workbook's index: each notebook of a folder linked with its title.

Titles are read from the notebook files as plain JSON (nbformat takes seconds to import).
"""

from __future__ import annotations

import json
import os
import re
from html import escape
from pathlib import Path

from reviewbook.notebook.html import Html
from reviewbook.workbook.naming import MATH_FREE_SPAN
from reviewbook.workbook.paths import notebooks_dir

INDEX_PREFIX = "00_"
"""Notebooks named so are indexes, not listed by `notebook_index`."""
_EMPHASIS = re.compile(r"(?<!\\)\*(.+?)(?<!\\)\*")
_MARKDOWN_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])|&#([0-9]{1,7});")
"""A backslash escape or a decimal character reference (see `reviewbook.text.markdown_text`)."""


def notebook_title(path: str | os.PathLike[str]) -> str:
    """The first level-1 heading of a notebook's Markdown cells (Markdown kept), or ``""``."""
    with open(path, encoding="utf-8") as handle:
        cells = json.load(handle).get("cells", [])
    lines = (
        line
        for cell in cells
        if cell.get("cell_type") == "markdown"
        for line in "".join(cell.get("source", "")).splitlines()
    )
    return next((line[2:].strip() for line in lines if line.startswith("# ")), "")


def heading_html(markdown: str) -> str:
    """A one-line Markdown heading as HTML: text escaped, ``*emphasis*`` kept, escapes undone
    (and the span `notebook_heading` puts around a heading holding ``$`` or ``\\`` left out)."""
    if markdown.startswith(MATH_FREE_SPAN) and markdown.endswith("</span>"):
        markdown = markdown.removeprefix(MATH_FREE_SPAN).removesuffix("</span>")
    parts = _EMPHASIS.split(markdown)  # odd positions are the emphasised spans
    return "".join(
        f"<em>{_plain_html(part)}</em>" if number % 2 else _plain_html(part)
        for number, part in enumerate(parts)
    )


def _plain_html(markdown: str) -> str:
    """Markdown text without emphasis as escaped HTML, escapes and references undone."""
    return escape(_MARKDOWN_ESCAPE.sub(_unescaped, markdown))


def _unescaped(match: re.Match[str]) -> str:
    escaped, reference = match.groups()
    return escaped or chr(min(int(reference), 0x10FFFF))


def notebook_index(folder: str | os.PathLike[str] | None = None) -> Html:
    """Links to the notebooks in ``folder`` (default: the workbook's) with their titles,
    indexes (``00_*``) left out."""
    notebooks = sorted(
        path
        for path in Path(folder if folder is not None else notebooks_dir()).glob("*.ipynb")
        if not path.name.startswith((INDEX_PREFIX, "."))
    )
    items = "".join(
        f'<li><a href="{escape(path.name)}">{escape(path.stem)}</a>: '
        f"{heading_html(notebook_title(path))}</li>"
        for path in notebooks
    )
    return Html(
        f'<ul class="reviewbook-notebooks">{items}</ul>',
        f"{len(notebooks)} notebooks: " + ", ".join(path.stem for path in notebooks),
    )
