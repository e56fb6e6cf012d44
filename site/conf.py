"""Sphinx configuration of the workbook's website (built by site/build.py, not run directly).

myst-nb reads the committed notebooks and shows their saved outputs as they are: nothing is
executed, so the site shows exactly what the repository holds. Notebooks keep no widget
state: each explorer and editor is shown as the snapshot it saved, which works without a kernel.
"""

from __future__ import annotations

import html
import os
from typing import Any
from urllib.parse import urlsplit

from docutils import nodes

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
# Our _static comes after the theme's: its scripts/fontawesome.js replaces the theme's.
html_static_path = ["_static"]
html_css_files = ["site.css"]
html_extra_path = ["_extra"]
# _templates/layout.html drops the search index from every page but the search page.
templates_path = ["_templates"]
html_theme_options = {
    "show_toc_level": 2,
    "use_download_button": True,
}
# The sidebar without the theme's search field: the header's search button is the one search.
html_sidebars = {"**": ["navbar-logo.html", "icon-links.html", "sbt-sidebar-nav.html"]}
# Without a stored choice the theme logs an error for an empty mode; start light.
html_context = {"default_mode": "light"}

SITE_URL_ENV = "REVIEWBOOK_SITE_URL"
"""Where the site will be published (``https://example.org/reviewbook/``): each page's
``og:url`` is its address there. Unset, pages carry no ``og:url``."""
DESCRIPTION_LENGTH = 200
"""At most this many characters of a page's first paragraph make its description."""
REFERENCE_TABLE_PAGES = {"references"}
"""Pages whose tables ``_static/reference-table.js`` filters and sorts."""


def site_url() -> str | None:
    """The published site's address from `SITE_URL_ENV`, ending in ``/``; None when unset.

    Raises ValueError for anything but an http(s) address, naming the variable."""
    value = os.environ.get(SITE_URL_ENV, "").strip()
    if not value:
        return None
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"{SITE_URL_ENV}={value!r} is not an http(s) address")
    return value if value.endswith("/") else value + "/"


def first_paragraph(doctree: nodes.document) -> str:
    """The page's first paragraph of prose as one line of text, cut at a word to at most
    `DESCRIPTION_LENGTH` characters (ending in ``…`` when cut); ``""`` when it has none.

    Paragraphs inside code, notebook outputs and raw HTML are not prose."""
    for paragraph in doctree.findall(nodes.paragraph):
        if any(
            isinstance(parent, (nodes.literal_block, nodes.raw, nodes.container))
            for parent in _ancestors(paragraph)
        ):
            continue
        text = " ".join(paragraph.astext().split())
        if text:
            return _shortened(text)
    return ""


def _ancestors(node: nodes.Node) -> list[nodes.Node]:
    found = []
    while node.parent is not None:
        node = node.parent
        found.append(node)
    return found


def _shortened(text: str) -> str:
    if len(text) <= DESCRIPTION_LENGTH:
        return text
    cut = text[: DESCRIPTION_LENGTH - 1].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + "…"


def meta_tags(title: str, description: str, url: str | None, site_name: str) -> str:
    """The page's ``description`` and Open Graph tags, every value escaped."""
    values = {
        "og:title": title,
        "og:description": description,
        "og:type": "website",
        "og:site_name": site_name,
    }
    if url:
        values["og:url"] = url
    tags = [f'<meta name="description" content="{html.escape(description)}" />']
    tags += [
        f'<meta property="{name}" content="{html.escape(value)}" />'
        for name, value in values.items()
    ]
    return "\n".join(tags) + "\n"


def add_page_metadata(
    app: Any, pagename: str, templatename: str, context: dict, doctree: Any
) -> None:
    """Give every page a description (its first paragraph; the landing page's on pages without
    prose, such as the search page) and Open Graph tags, so a shared link shows a preview."""
    titles = app.env.titles
    title = titles[pagename].astext() if pagename in titles else context.get("title", "")
    description = first_paragraph(doctree) if doctree is not None else ""
    if not description:
        description = first_paragraph(app.env.get_doctree(app.config.root_doc))
    base = site_url()
    url = base + app.builder.get_target_uri(pagename) if base else None
    context["metatags"] = context.get("metatags", "") + meta_tags(
        title or app.config.project, description, url, app.config.project
    )


def add_table_script(
    app: Any, pagename: str, templatename: str, context: dict, doctree: Any
) -> None:
    """Load the reference table's script (a classic script: it runs from file:// too) on the
    pages that have such a table."""
    if pagename in REFERENCE_TABLE_PAGES:
        app.add_js_file("reference-table.js", loading_method="defer")


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
    site_url()  # a bad address stops the build before any page is written
    app.connect("html-page-context", escape_theme_text, priority=900)
    app.connect("html-page-context", add_page_metadata)
    app.connect("html-page-context", add_table_script)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
