"""Sphinx configuration of the workbook's website (built by site/build.py, not run directly).

myst-nb reads the committed notebooks and shows their saved outputs as they are: nothing is
executed, so the site shows exactly what the repository holds. Notebooks keep no widget
state: each explorer and editor is shown as the snapshot it saved, which works without a kernel.
"""

from __future__ import annotations

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
