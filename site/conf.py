"""Sphinx configuration of the workbook's website (built by site/build.py, not run directly).

myst-nb reads the committed notebooks and shows their saved outputs as they are: nothing is
executed, so the site shows exactly what the repository holds. Notebooks keep no widget
state: each explorer and editor is shown as the snapshot it saved, which works without a kernel.
"""

from __future__ import annotations

import html
from typing import Any

project = "reviewbook"
author = "the reviewbook authors"
copyright = "the reviewbook authors; code MIT, annotations CC BY 4.0"

extensions = ["myst_nb"]
# The notebooks' saved outputs are the content: never run them here.
nb_execution_mode = "off"
# The index notebook links its siblings as `NAME.ipynb`; the site has them as pages.
myst_heading_anchors = 3
exclude_patterns = ["_build", "**.ipynb_checkpoints"]
suppress_warnings = ["myst.header"]

html_theme = "sphinx_book_theme"
html_title = "reviewbook"
# A favicon of our own, so no browser asks the server for a missing /favicon.ico.
html_favicon = "_static/favicon.svg"
html_static_path = ["_static"]
html_css_files = ["site.css"]
html_extra_path = ["_extra"]
html_theme_options = {
    "show_toc_level": 2,
    "use_download_button": True,
}
# Without a stored choice the theme logs an error for an empty mode; start light.
html_context = {"default_mode": "light"}


def escape_theme_text(
    app: Any, pagename: str, templatename: str, context: dict, doctree: Any
) -> None:
    """Escape the page texts sphinx-book-theme puts into its templates as they are.

    The theme sets ``pagetitle`` (its print heading), ``root_title`` (the sidebar) and
    ``page_description`` from the titles' plain text, and its templates print them unescaped:
    a review titled ``</SCRIPT><img src=x onerror=…>`` would run its script on the page.
    Runs after the theme's own handler and sets them again, escaped, from the same titles.
    """
    titles = app.env.titles
    if pagename in titles:
        context["pagetitle"] = html.escape(titles[pagename].astext())
    root = context.get("root_doc")
    if root in titles:
        context["root_title"] = html.escape(titles[root].astext())
    if isinstance(context.get("page_description"), str):
        context["page_description"] = html.escape(context["page_description"])


def setup(app: Any) -> dict[str, bool]:
    app.connect("html-page-context", escape_theme_text, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
