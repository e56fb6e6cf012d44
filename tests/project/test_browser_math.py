"""Record text is never typeset as mathematics in JupyterLab.

A review whose title, abstract and references hold ``$x^2$`` and ``\\(y\\)`` is added to a copy
of the seed workbook (`tests.project.hostile`), its notebook opened, trusted, in a private
JupyterLab. A Markdown cell of real mathematics, appended to the test's copy only, proves that
MathJax runs on the page: once it is typeset, no other element of the notebook may be, and the
heading and outputs show the record's dollars and backslashes as text.

The screenshot goes to ``test-artifacts/browser/math/``.
"""

from __future__ import annotations

from pathlib import Path

import jupytext
import nbformat
import pytest

from tests.conftest import ROOT
from tests.project.browsing import (
    CHROMIUM,
    CHROMIUM_ARGS,
    OPEN_MS,
    lab_environment,
    open_notebook,
    require_browser,
    running_lab,
    trust,
)
from tests.project.hostile import MATH, hostile_workbook

ARTIFACTS = ROOT / "test-artifacts" / "browser" / "math"
CONTROL = "Control: $a^2 + b^2$"
"""Mathematics written as such, which MathJax must typeset."""

pytestmark = pytest.mark.browser


def test_record_text_with_dollars_and_backslashes_shows_as_text(tmp_path: Path) -> None:
    require_browser("the mathematics browser test")
    from playwright.sync_api import expect, sync_playwright

    root = hostile_workbook(tmp_path / "workbook")
    [notebook] = (root / "notebooks").glob("04_*.ipynb")
    opened = nbformat.read(notebook, as_version=4)
    opened.cells.append(nbformat.v4.new_markdown_cell(CONTROL))
    nbformat.write(opened, notebook)
    jupytext.write(opened, notebook.with_suffix(".md"), fmt="md:myst")  # its paired twin
    environment = {"REVIEWBOOK_WORKBOOK": str(root)}
    trust([notebook], lab_environment(tmp_path, environment))
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with (
        running_lab(tmp_path, root, environment) as (base, token, _settings),
        sync_playwright() as playwright,
    ):
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
            open_notebook(page, base, token, f"notebooks/{notebook.name}", "math")
            typeset = page.locator(".jp-Notebook mjx-container")
            control = page.locator(".jp-MarkdownCell", has_text="Control:").last
            control.scroll_into_view_if_needed(timeout=OPEN_MS)
            # MathJax has run on this notebook once the control cell is typeset.
            expect(control.locator("mjx-container")).to_have_count(1, timeout=OPEN_MS)
            page.locator(".jp-RenderedMarkdown h1").first.scroll_into_view_if_needed()
            page.screenshot(path=str(ARTIFACTS / "hostile-review.png"))
            assert typeset.count() == 1
            heading = page.locator(".jp-RenderedMarkdown h1").first.inner_text()
            assert MATH in heading
            outputs = page.locator(".jp-OutputArea-output").all_inner_texts()
            assert any(MATH in text for text in outputs)
        finally:
            browser.close()
