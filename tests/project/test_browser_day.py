"""A day in the life of the workbook, in JupyterLab in headless Chromium, on a copy of it.

A reader opens every notebook without running anything, first untrusted (as any notebook from
git is), then after `make lab`'s trust step: charts are drawn, each explorer and editor shows
as its snapshot (never as its Python repr, nor as a control that does nothing before the kernel
runs), and saving an unchanged notebook changes no byte. In the dark theme, the text of every
output and the charts' labels keep a contrast of at least 4.5 to 1, measured in the page. Then
the reader filters the references, downloads an export, saves a note in the annotation editor
and follows its offer to re-run the notebooks; Ctrl+S then cannot save the notebook over its
fresh outputs; afterwards every notebook check passes.

Screenshots go to ``test-artifacts/browser/day/`` (CI keeps them).
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from reviewbook import (
    filter_references,
    load_annotations,
    load_review,
    references_frame,
    with_tags,
)
from reviewbook.workbook.notebooks import check_notebook, twin_path
from tests.conftest import ROOT, SEED_WORKBOOK
from tests.project.browsing import (
    CHROMIUM,
    CHROMIUM_ARGS,
    copy_workbook,
    lab_environment,
    live_looking,
    open_notebook,
    require_browser,
    running_lab,
    save_over_newer_run,
    trust,
    write_lab_settings,
)

ARTIFACTS = ROOT / "test-artifacts" / "browser" / "day"
NOTEBOOKS = (
    "00_index.ipynb",
    "01_janssen2017_friend_or_foe.ipynb",
    "02_erez2011_leukocytes.ipynb",
    "03_compare_reviews.ipynb",
    "field_corpus.ipynb",
)
CHARTS = {NOTEBOOKS[0]: 0, NOTEBOOKS[1]: 3, NOTEBOOKS[2]: 3, NOTEBOOKS[3]: 3, NOTEBOOKS[4]: 0}
WITH_WIDGETS = set(NOTEBOOKS[1:4])
"""The notebooks with an explorer or editor (the index and the corpus notebook have none)."""
"""Chart images each notebook shows as saved (its charts, and each explorer's histogram)."""
WIDGET_REPRS = ("ReferenceExplorer(", "EvidenceBrowser(", "Tab(children", "VBox(children")
"""Text that shows a widget drawn as its Python repr instead of a view or a snapshot."""
WAIT_MS = 120_000
MIN_CONTRAST = 4.5

pytestmark = pytest.mark.browser

CONTRAST_SCRIPT = """
(root) => {
  const parse = (colour) => {
    const parts = colour.match(/[\\d.]+/g) || ['0', '0', '0', '0'];
    return parts.map(Number).concat(parts.length === 3 ? [1] : []);
  };
  const luminance = ([r, g, b]) => {
    const linear = [r, g, b].map((c) => {
      c /= 255;
      return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2];
  };
  const background = (element) => {
    for (let node = element; node; node = node.parentElement) {
      const colour = parse(getComputedStyle(node).backgroundColor);
      if (colour[3] > 0.5) return colour;
    }
    return parse(getComputedStyle(document.body).backgroundColor);
  };
  const worst = [];
  for (const element of root.querySelectorAll('.jp-OutputArea-output *')) {
    const ownText = [...element.childNodes].some(
      (node) => node.nodeType === 3 && node.textContent.trim());
    const box = element.getBoundingClientRect();
    if (!ownText || box.width === 0 || box.height === 0) continue;
    const text = luminance(parse(getComputedStyle(element).color));
    const ground = luminance(background(element));
    const ratio = (Math.max(text, ground) + 0.05) / (Math.min(text, ground) + 0.05);
    worst.push([Math.round(ratio * 100) / 100, element.textContent.trim().slice(0, 40)]);
  }
  worst.sort((a, b) => a[0] - b[0]);
  return worst.slice(0, 5);
}
"""
"""The five lowest text contrasts (WCAG ratio, text) among the outputs' elements with text."""

CHART_CONTRAST_SCRIPT = """
async (image) => {
  await image.decode();
  const canvas = document.createElement('canvas');
  canvas.width = image.naturalWidth;
  canvas.height = image.naturalHeight;
  const context = canvas.getContext('2d');
  context.drawImage(image, 0, 0);
  const pixels = context.getImageData(0, 0, canvas.width, canvas.height).data;
  const luminance = (r, g, b) => {
    const linear = [r, g, b].map((c) => {
      c /= 255;
      return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2];
  };
  const counts = new Map();
  let darkest = 1;
  for (let i = 0; i < pixels.length; i += 4) {
    const key = (pixels[i] << 16) | (pixels[i + 1] << 8) | pixels[i + 2];
    counts.set(key, (counts.get(key) || 0) + 1);
    darkest = Math.min(darkest, luminance(pixels[i], pixels[i + 1], pixels[i + 2]));
  }
  const common = [...counts.entries()].sort((a, b) => b[1] - a[1])[0][0];
  const panel = luminance(common >> 16, (common >> 8) & 255, common & 255);
  return (Math.max(panel, darkest) + 0.05) / (Math.min(panel, darkest) + 0.05);
}
"""
"""The contrast between a chart's panel (its most common colour) and its darkest ink."""


@pytest.fixture
def day(tmp_path: Path) -> Iterator[dict[str, Any]]:
    """A private JupyterLab over a copy of the workbook (data, notebooks, jupytext.toml), its
    kernels reading that copy."""
    require_browser("the day-in-the-life browser test")
    root = tmp_path / "workbook"
    environment = copy_workbook(SEED_WORKBOOK, root)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with running_lab(tmp_path, root, environment) as (base, token, settings):
        yield {
            "base": base,
            "token": token,
            "root": root,
            "settings": settings,
            "environment": lab_environment(tmp_path, environment),
        }


def _open(page: Any, day: dict[str, Any], name: str, workspace: str) -> None:
    """Open ``notebooks/name`` in a workspace of its own and wait for its outputs."""
    open_notebook(page, day["base"], day["token"], f"notebooks/{name}", workspace)


def _matching_references(root: Path, pmid: str, text: str) -> int:
    """How many of a review's references the explorer keeps for ``text`` (as notebook 01
    builds its table: the references with our tags)."""
    review = load_review(pmid, root / "data" / "pubmed")
    notes = load_annotations(root / "data" / "annotations" / f"{pmid}.yaml")
    references = with_tags(references_frame(review), [notes])
    return len(filter_references(references, text=text))


def _charts_drawn(page: Any, expected: int) -> list[tuple[float, float]]:
    """The rendered size of each chart image, once all of them have loaded."""
    images = page.locator(".jp-NotebookPanel img.reviewbook-chart-image")
    assert images.count() == expected
    sizes = []
    for number in range(expected):
        image = images.nth(number)
        image.scroll_into_view_if_needed()
        assert image.evaluate("(image) => image.decode().then(() => image.naturalWidth)") > 0
        box = image.bounding_box()
        sizes.append((box["width"], box["height"]))
    return sizes


def _no_widget_repr(page: Any) -> None:
    text = "\n".join(page.locator(".jp-NotebookPanel .jp-OutputArea-output").all_inner_texts())
    assert [shown for shown in WIDGET_REPRS if shown in text] == []


def _snapshots_not_controls(page: Any, name: str) -> None:
    """Before the kernel runs: each explorer and editor as its snapshot, nothing that looks
    live (a widget, a broken-link widget, a form control)."""
    from playwright.sync_api import expect

    if name in WITH_WIDGETS:
        expect(
            page.locator(".reviewbook-explorer-snapshot, .reviewbook-evidence-snapshot").first
        ).to_be_attached()
    assert live_looking(page) == []


def _save_changes_nothing(page: Any, day: dict[str, Any], name: str) -> None:
    """Ctrl+S on the opened, unchanged notebook leaves it and its twin byte for byte."""
    notebook = day["root"] / "notebooks" / name
    before = (notebook.read_bytes(), twin_path(notebook).read_bytes())
    stamp = notebook.stat().st_mtime_ns
    page.locator(".jp-NotebookPanel .jp-Notebook").first.click(position={"x": 5, "y": 5})
    page.keyboard.press("Control+s")
    deadline = time.monotonic() + 30
    while notebook.stat().st_mtime_ns == stamp and time.monotonic() < deadline:
        time.sleep(0.2)
    assert notebook.stat().st_mtime_ns != stamp, f"{name} was not saved"
    time.sleep(0.5)  # the twin is written just after
    assert (notebook.read_bytes(), twin_path(notebook).read_bytes()) == before, name


def _trust(day: dict[str, Any]) -> None:
    """`make lab`'s trust step, for this server's user."""
    trust(sorted((day["root"] / "notebooks").glob("*.ipynb")), day["environment"])


def _problems(root: Path) -> dict[str, list[str]]:
    """What `reviewbook notebooks check` says of each notebook of the copy."""
    return {
        path.name: [problem.message for problem in check_notebook(path, data=root / "data")]
        for path in sorted((root / "notebooks").glob("*.ipynb"))
    }


def test_a_day_in_the_life_of_the_workbook(day: dict[str, Any]) -> None:
    from playwright.sync_api import expect, sync_playwright

    root = day["root"]
    figures: dict[str, Any] = {}
    before = _problems(root)  # none in a clean checkout; a stale one stays named below
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        context = browser.new_context(
            viewport={"width": 1400, "height": 1000}, accept_downloads=True
        )
        page = context.new_page()
        try:
            # 1. As opened from git: untrusted. Charts drawn, snapshots instead of reprs.
            for number, name in enumerate(NOTEBOOKS):
                _open(page, day, name, f"untrusted{number}")
                figures[f"untrusted {name} chart sizes"] = _charts_drawn(page, CHARTS[name])
                _no_widget_repr(page)
                _snapshots_not_controls(page, name)
                page.screenshot(path=str(ARTIFACTS / f"1-untrusted-{name}.png"), full_page=True)
                _save_changes_nothing(page, day, name)

            # 2. After `make lab`'s trust step: the same snapshots, charts drawn.
            _trust(day)
            for number, name in enumerate(NOTEBOOKS):
                _open(page, day, name, f"trusted{number}")
                _charts_drawn(page, CHARTS[name])
                _no_widget_repr(page)
                _snapshots_not_controls(page, name)
                page.screenshot(path=str(ARTIFACTS / f"2-trusted-{name}.png"), full_page=True)
                _save_changes_nothing(page, day, name)

            # 3. Dark theme: text and chart labels stay legible, measured from the page.
            write_lab_settings(day["settings"], "JupyterLab Dark")
            for number, name in enumerate((NOTEBOOKS[1], NOTEBOOKS[3])):
                _open(page, day, name, f"dark{number}")
                expect(page.locator(".reviewbook-explorer-snapshot").first).to_be_visible(
                    timeout=WAIT_MS
                )
                _charts_drawn(page, CHARTS[name])
                lowest = page.locator(".jp-NotebookPanel").evaluate(CONTRAST_SCRIPT)
                figures[f"dark {name} lowest text contrasts"] = lowest
                assert lowest[0][0] >= MIN_CONTRAST, lowest
                images = page.locator(".jp-NotebookPanel img.reviewbook-chart-image")
                charts = [
                    images.nth(i).evaluate(CHART_CONTRAST_SCRIPT) for i in range(images.count())
                ]
                figures[f"dark {name} chart contrasts"] = [round(ratio, 1) for ratio in charts]
                assert min(charts) >= MIN_CONTRAST
                page.screenshot(path=str(ARTIFACTS / f"3-dark-{name}.png"), full_page=True)
            write_lab_settings(day["settings"], "JupyterLab Light")

            # 4. Work: filter the references, download an export, save a note, re-run.
            name = NOTEBOOKS[1]
            _open(page, day, name, "work")
            page.locator("#jp-MainMenu").get_by_text("Run", exact=True).click()
            page.locator(".lm-Menu-item", has_text="Run All Cells").first.click()
            explorer = page.locator(".reviewbook-explorer").first
            count = explorer.locator(".reviewbook-count")
            expect(count).to_have_text("5 of 5 references", timeout=WAIT_MS)
            search = explorer.locator(".reviewbook-search input")
            search.click()
            search.press_sequentially("metastasis", delay=30)
            # Each keystroke filters; wait for the whole word's rows, as the package finds them.
            matching = _matching_references(root, "29037250", "metastasis")
            assert 0 < matching < 5
            expect(count).to_have_text(f"{matching} of 5 references", timeout=30_000)
            explorer.locator(".reviewbook-export-csv").click()
            link = explorer.locator(".reviewbook-download")
            expect(link).to_be_visible(timeout=30_000)
            with page.expect_download() as download_info:
                link.click()
            download = download_info.value
            downloaded = Path(download.path()).read_text(encoding="utf-8")
            saved = sorted((root / "notebooks" / "exports").glob("references-*.csv"))
            assert len(saved) == 1 and download.suggested_filename == saved[0].name
            assert downloaded == saved[0].read_text(encoding="utf-8")
            assert len(downloaded.strip().splitlines()) == 1 + matching  # heading and rows
            page.screenshot(path=str(ARTIFACTS / "4-exported.png"), full_page=True)
            search.fill("")
            expect(count).to_have_text("5 of 5 references", timeout=30_000)
            expect(explorer.locator(".reviewbook-export-message")).to_have_text("", timeout=30_000)

            editor = page.locator(".reviewbook-editor").first
            editor.scroll_into_view_if_needed()
            note = editor.locator("textarea").first
            note.fill("Read again on a day in the life.")
            editor.get_by_role("button", name="Save").first.click()
            expect(editor.locator(".reviewbook-saved").first).to_contain_text(
                "Saved reference 1", timeout=30_000
            )
            rerun = editor.locator(".reviewbook-rerun")
            expect(rerun).to_be_visible(timeout=30_000)
            page.screenshot(path=str(ARTIFACTS / "5-note-saved.png"), full_page=True)
            rerun.click()
            expect(editor.locator(".reviewbook-rerun-message")).to_contain_text(
                "Re-ran 01_janssen2017_friend_or_foe.ipynb, 03_compare_reviews.ipynb",
                timeout=WAIT_MS * 2,
            )
            page.screenshot(path=str(ARTIFACTS / "6-rerun.png"), full_page=True)

            # 5. Ctrl+S now would put the old outputs back: JupyterLab asks, the server refuses.
            rerun_on_disk = (root / "notebooks" / name).read_bytes()
            refused = save_over_newer_run(page, ARTIFACTS / "7-save-refused.png")
            assert "Reload Notebook from Disk" in refused, refused
            assert (root / "notebooks" / name).read_bytes() == rerun_on_disk
        except Exception:
            page.screenshot(path=str(ARTIFACTS / "failure.png"), full_page=True)
            raise
        finally:
            browser.close()

    after = _problems(root)
    assert after[NOTEBOOKS[1]] == after[NOTEBOOKS[3]] == []  # re-run: up to date
    assert after == before | {NOTEBOOKS[1]: [], NOTEBOOKS[3]: []}
    (ARTIFACTS / "figures.json").write_text(json.dumps(figures, indent=1), encoding="utf-8")
    print(json.dumps(figures), file=sys.stderr)
