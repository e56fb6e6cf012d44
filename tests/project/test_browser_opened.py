"""Each notebook as a reader opens it in JupyterLab, trusted as `make lab` leaves it, touching
nothing: it changes nothing, asks nothing, and shows nothing that looks live but does nothing.

JupyterLab runs over a copy of the workbook (`WORKBOOK`) with private Jupyter folders, its
notebooks trusted as ``jupyter trust`` does. Each notebook is opened in a workspace of its own;
once its outputs are drawn and its kernel is idle, the page is watched for `OBSERVE_SECONDS`
at least, touching nothing: its tab never shows the unsaved-changes mark (so closing it asks
nothing), and its outputs hold no widget (connected, broken-link or "model not found") and no
form control, only each explorer's and editor's snapshot. Then Ctrl+S over a newer run of a
notebook on disk is refused, and the reader's way out, File > Reload Notebook from Disk, works.

Screenshots go to ``test-artifacts/browser/opened/``: one per notebook (at its first snapshot),
and one of each snapshot alone.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from reviewbook.workbook import provenance
from reviewbook.workbook.notebooks import twin_path
from tests.conftest import ROOT, SEED_WORKBOOK
from tests.project.browsing import (
    CHROMIUM,
    CHROMIUM_ARGS,
    OPEN_MS,
    UNSAVED,
    copy_workbook,
    lab_environment,
    live_looking,
    open_notebook,
    require_browser,
    running_lab,
    save_over_newer_run,
    saved_snapshots,
    trust,
)

WORKBOOK = SEED_WORKBOOK
"""The workbook whose ``data/`` and ``notebooks/`` the tests open a copy of."""
NOTEBOOKS = sorted(path.name for path in (WORKBOOK / "notebooks").glob("*.ipynb"))
ARTIFACTS = ROOT / "test-artifacts" / "browser" / "opened"
OBSERVE_SECONDS = 15
"""How long an opened notebook is watched, at least, once its kernel is idle: JupyterLab
writes the kernel's details into the notebook a few seconds after it connects."""
SAMPLE_MS = 250

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """A private JupyterLab over a trusted copy of the workbook, and Chromium."""
    require_browser("the opened-notebook browser test")
    from playwright.sync_api import sync_playwright

    folder = tmp_path_factory.mktemp("opened")
    root = folder / "workbook"
    environment = copy_workbook(WORKBOOK, root)
    trust(sorted((root / "notebooks").glob("*.ipynb")), lab_environment(folder, environment))
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with (
        running_lab(folder, root, environment) as (base, token, _settings),
        sync_playwright() as playwright,
    ):
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield {"base": base, "token": token, "root": root, "browser": browser}
        finally:
            browser.close()


@pytest.fixture
def page(lab: dict[str, Any]) -> Iterator[Any]:
    """A fresh browser page (its own context: no state carried between notebooks)."""
    context = lab["browser"].new_context(viewport={"width": 1400, "height": 1000})
    try:
        yield context.new_page()
    finally:
        context.close()


def _unsaved_marks(page: Any, seconds: float) -> list[float]:
    """Watch the page for at least ``seconds``: when (seconds in) a tab showed unsaved
    changes."""
    marks = []
    for sample in range(int(seconds * 1000 / SAMPLE_MS) + 1):
        if page.locator(UNSAVED).count():
            marks.append(sample * SAMPLE_MS / 1000)
        page.wait_for_timeout(SAMPLE_MS)
    return marks


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_an_opened_notebook_changes_nothing_and_shows_no_dead_control(
    lab: dict[str, Any], page: Any, name: str
) -> None:
    from playwright.sync_api import expect

    notebook = lab["root"] / "notebooks" / name
    before = (notebook.read_bytes(), twin_path(notebook).read_bytes())
    open_notebook(page, lab["base"], lab["token"], f"notebooks/{name}", Path(name).stem)
    trusted = page.locator("#jp-main-statusbar [title^='Notebook trusted']")
    expect(trusted).to_have_count(1, timeout=OPEN_MS)

    marks = _unsaved_marks(page, OBSERVE_SECONDS)

    stem = Path(name).stem
    shown = page.locator(".jp-OutputArea-output [class^='reviewbook-'][class$='-snapshot']")
    expect(shown).to_have_count(len(saved_snapshots(notebook)))
    for number in range(shown.count()):  # each snapshot alone, for a person to look at
        shown.nth(number).screenshot(path=str(ARTIFACTS / f"{stem}-snapshot-{number + 1}.png"))
    if shown.count():
        shown.first.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / f"{stem}.png"))
    assert marks == [], f"{name} showed unsaved changes, untouched, {marks} s after opening"
    assert live_looking(page) == []
    assert (notebook.read_bytes(), twin_path(notebook).read_bytes()) == before


def _file_menu(page: Any, item: str) -> None:
    """Choose ``item`` (its exact label) from JupyterLab's File menu."""
    page.locator("#jp-MainMenu").get_by_text("File", exact=True).click()
    page.locator(".lm-Menu-item .lm-Menu-itemLabel", has_text=item).filter(
        has_text=re.compile(f"^{re.escape(item)}$")
    ).first.click()


def test_ctrl_s_never_saves_over_a_newer_run_on_disk(lab: dict[str, Any], page: Any) -> None:
    """The annotation editor's re-run rewrites a notebook the reader has open; JupyterLab's
    "File Changed" dialog offers Overwrite first. The save is refused, saying what to do; doing
    it (File > Reload Notebook from Disk) shows the new run, which then saves as usual."""
    from playwright.sync_api import expect

    notebook = lab["root"] / "notebooks" / "00_index.ipynb"
    open_notebook(page, lab["base"], lab["token"], "notebooks/00_index.ipynb", "rerun")
    rerun = json.loads(notebook.read_text(encoding="utf-8"))
    rerun["metadata"][provenance.METADATA_KEY][provenance.RUN_FROM]["data/new.yaml"] = "0" * 64
    notebook.write_text(json.dumps(rerun, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    on_disk = (notebook.read_bytes(), twin_path(notebook).read_bytes())

    refused = save_over_newer_run(page, ARTIFACTS / "save-refused.png")
    assert refused.startswith("00_index.ipynb was re-run on disk after you opened it"), refused
    assert "File > Reload Notebook from Disk" in refused
    assert (notebook.read_bytes(), twin_path(notebook).read_bytes()) == on_disk

    _file_menu(page, "Reload Notebook from Disk")
    expect(page.locator(UNSAVED)).to_have_count(0, timeout=OPEN_MS)
    stamp = notebook.stat().st_mtime_ns
    deadline = time.monotonic() + OPEN_MS / 1000
    while notebook.stat().st_mtime_ns == stamp and time.monotonic() < deadline:
        # The reload ends out of sight: a save made before it has ended is asked about again
        # ("File Changed"); cancel that one and save once more, until the save goes through.
        _file_menu(page, "Save Notebook")
        asked = page.locator(".jp-Dialog", has_text="File Changed")
        for _ in range(40):
            if notebook.stat().st_mtime_ns != stamp or asked.count():
                break
            page.wait_for_timeout(SAMPLE_MS)
        if asked.count():
            asked.get_by_role("button", name="Cancel").click()
            expect(asked).to_have_count(0, timeout=OPEN_MS)
    assert notebook.stat().st_mtime_ns != stamp, "the reloaded notebook was not saved"
    assert page.locator(".jp-Dialog").count() == 0
    saved = json.loads(notebook.read_text(encoding="utf-8"))
    assert provenance.recorded_inputs(saved) == provenance.recorded_inputs(rerun)
