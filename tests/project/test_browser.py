"""The explorer in a real browser: JupyterLab, headless Chromium, a reader moving the filters.

The test starts its own JupyterLab on a free loopback port with a random token and private
config, data, settings and workspace folders, opens a notebook that shows Janssen 2017's
references in a `ReferenceExplorer`, runs all cells from the Run menu, then moves the year
slider with the keyboard and types in the search box, checking the count the page shows after
each step. Screenshots go to ``test-artifacts/browser/``.

It needs Debian's ``chromium`` (``.ci/run`` installs it) and the ``playwright`` package; without
them it skips, except in CI (``CI=true``), where it fails instead.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ROOT, SEED_WORKBOOK
from tests.project.browsing import CHROMIUM, CHROMIUM_ARGS, require_browser, running_lab

NOTEBOOK = SEED_WORKBOOK / "notebooks" / "01_janssen2017_friend_or_foe.ipynb"
"""The review notebook a reader opens; its first explorer shows Janssen's five references."""

ARTIFACTS = ROOT / "test-artifacts" / "browser"
WIDGET_SECONDS = 120
"""Opening the notebook, starting the kernel and running every cell, on a slow CI machine."""

pytestmark = pytest.mark.browser


@pytest.fixture
def lab(tmp_path: Path) -> Iterator[tuple[str, str, Path]]:
    """A private JupyterLab: yields its base URL, its token and its root folder."""
    require_browser("the browser test")
    root = tmp_path / "root"
    root.mkdir()
    with running_lab(tmp_path, root) as (base, token, _settings):
        yield base, token, root


def test_reader_filters_the_references_in_jupyterlab(lab: tuple[str, str, Path]) -> None:
    from playwright.sync_api import expect, sync_playwright

    base, token, root = lab
    notebook = Path(shutil.copy2(NOTEBOOK, root / NOTEBOOK.name))
    ARTIFACTS.mkdir(parents=True, exist_ok=True)

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        try:
            page.goto(f"{base}/lab/tree/{notebook.name}?token={token}")
            status = page.locator("#jp-main-statusbar")
            expect(status).to_contain_text("Idle", timeout=WIDGET_SECONDS * 1000)

            page.locator("#jp-MainMenu").get_by_text("Run", exact=True).click()
            page.locator(".lm-Menu-item", has_text="Run All Cells").first.click()

            count = page.locator(".reviewbook-count")
            expect(count).to_have_text("5 of 5 references", timeout=WIDGET_SECONDS * 1000)
            expect(page.locator(".reviewbook-table tbody tr")).to_have_count(5)
            page.screenshot(path=str(ARTIFACTS / "1-all-references.png"), full_page=True)

            # Years 2005, 2011, 2011, 2004, 2002: one step down on the upper handle drops 2011.
            upper = page.locator(".reviewbook-year .noUi-handle-upper")
            upper.focus()
            upper.press("ArrowLeft")
            expect(count).to_have_text("3 of 5 references", timeout=30_000)
            expect(page.locator(".reviewbook-year")).to_contain_text("2002")
            page.screenshot(path=str(ARTIFACTS / "2-year-slider-moved.png"), full_page=True)

            # Of 2002-2010, only "Breast cancer metastasis: markers and models" says metastasis.
            search = page.locator(".reviewbook-search input")
            search.click()
            search.press_sequentially("metastasis", delay=30)
            expect(count).to_have_text("1 of 5 references", timeout=30_000)
            expect(page.locator(".reviewbook-table tbody tr")).to_have_count(1)
            expect(page.locator(".reviewbook-table")).to_contain_text("Breast cancer metastasis")
            page.screenshot(path=str(ARTIFACTS / "3-searched.png"), full_page=True)

            page.locator(".reviewbook-reset").click()
            expect(count).to_have_text("5 of 5 references", timeout=30_000)
        except Exception:
            page.screenshot(path=str(ARTIFACTS / "failure.png"), full_page=True)
            raise
        finally:
            browser.close()
