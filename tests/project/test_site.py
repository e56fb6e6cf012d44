"""The static website (`make site`): built once from the seed workbook's notebooks, then read.

The session fixture builds the site with ``site/build.py`` into a temporary folder. The first
tests read the files: a page per notebook, per annotation file, the JSON-LD beside each
annotation page, saved outputs kept as they are. The browser tests serve the folder on
127.0.0.1 and open every page in headless Chromium with every request off this machine
refused: no page may log an error or fail a request, charts must be drawn with a size, each
explorer and editor must show as its snapshot and no control that does nothing without a kernel,
and the reference table's search box must filter its rows.

Without Debian's ``chromium`` or the ``playwright`` package the browser tests skip, except in
CI (``CI=true``), where they fail instead.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import importlib.util
import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from reviewbook import load_annotations
from reviewbook.annotations.loading import annotation_files
from reviewbook.cli.annotations import run_export
from reviewbook.workbook.paths import WORKBOOK_ENV
from tests.conftest import ROOT, SEED_WORKBOOK, copy_seed_workbook
from tests.project.browsing import (
    CHROMIUM,
    CHROMIUM_ARGS,
    LIVE_LOOKING,
    SNAPSHOT,
    require_browser,
    saved_snapshots,
)
from tests.project.hostile import HOSTILE_PMID, hostile_workbook

BUILD = ROOT / "site" / "build.py"
NOTEBOOKS = sorted((SEED_WORKBOOK / "notebooks").glob("*.ipynb"))
ANNOTATIONS = annotation_files(SEED_WORKBOOK / "data" / "annotations")
ARTIFACTS = ROOT / "test-artifacts" / "site"
IMAGE_TYPES = ("image/png", "image/jpeg", "image/svg+xml")
SITE_MODULES = ("sphinx", "myst_nb", "sphinx_book_theme", "itables")


def _page_paths() -> list[str]:
    """Every page a reader reaches, relative to the site's root."""
    notebooks = [f"notebooks/{path.stem}.html" for path in NOTEBOOKS]
    annotations = [f"annotations/{load_annotations(path).pmid}.html" for path in ANNOTATIONS]
    return ["index.html", "references.html", "annotations/index.html", *notebooks, *annotations]


def _saved_charts(notebook: Path) -> int:
    """How many outputs of ``notebook`` hold a picture: an image, an <svg> or an <img>."""
    count = 0
    for cell in json.loads(notebook.read_text(encoding="utf-8"))["cells"]:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            html = "".join(data.get("text/html", ""))
            if any(kind in data for kind in IMAGE_TYPES) or "<svg" in html or "<img" in html:
                count += 1
    return count


def _require_site_tools() -> None:
    """Skip without the ``site`` extra (Sphinx, myst-nb, itables), except in CI."""
    missing = [name for name in SITE_MODULES if importlib.util.find_spec(name) is None]
    if not missing:
        return
    message = f"the website needs {', '.join(missing)} (pip install -e '.[site]')"
    if os.environ.get("CI") == "true":
        pytest.fail(message + "; CI must build it", pytrace=False)
    pytest.skip(message)


def build_site(workbook: Path, out: Path) -> subprocess.CompletedProcess[str]:
    """``site/build.py`` run on the workbook at ``workbook``, into ``out``."""
    return subprocess.run(
        [sys.executable, str(BUILD), str(out)],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, WORKBOOK_ENV: str(workbook)},
    )


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The website, built once for the session from a copy of the seed workbook."""
    _require_site_tools()
    workbook = copy_seed_workbook(tmp_path_factory.mktemp("site") / "workbook")
    out = workbook.parent / "html"
    done = build_site(workbook, out)
    assert done.returncode == 0, f"site/build.py failed:\n{done.stdout}\n{done.stderr}"
    return out


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The website of a workbook that holds, besides the seeds, a review added with
    ``reviewbook add`` whose record and our notes on it carry scripts and mathematics."""
    _require_site_tools()
    folder = tmp_path_factory.mktemp("hostile")
    workbook = hostile_workbook(folder / "workbook")
    done = build_site(workbook, folder / "html")
    assert done.returncode == 0, f"site/build.py failed:\n{done.stdout}\n{done.stderr}"
    return folder / "html"


def test_the_site_builds_from_a_workbook_with_an_added_review(hostile_site: Path) -> None:
    """A review added with ``reviewbook add`` gets a page, and its notes one too."""
    [page] = (hostile_site / "notebooks").glob("04_*.html")
    assert "Hostile Radiology &lt;/SCRIPT&gt;&lt;img" in page.read_text(encoding="utf-8")
    assert (hostile_site / "annotations" / f"{HOSTILE_PMID}.html").is_file()
    assert (hostile_site / "docs" / "annotations.html").is_file()


def test_no_page_holds_the_hostile_markup_as_markup(hostile_site: Path) -> None:
    for page in sorted(hostile_site.rglob("*.html")):
        text = page.read_text(encoding="utf-8")
        for live in ("<img src=x", "<script>alert", "</SCRIPT><img"):
            assert live not in text, f"{page.relative_to(hostile_site)} holds {live!r}"


# --- the files ----------------------------------------------------------------------------------


def test_every_notebook_and_annotation_file_has_a_page(site: Path) -> None:
    missing = [path for path in _page_paths() if not (site / path).is_file()]
    assert not missing, f"pages missing from the site: {missing}"


def test_annotation_pages_link_the_exported_json_ld(site: Path, tmp_path: Path) -> None:
    for path in ANNOTATIONS:
        pmid = load_annotations(path).pmid
        expected = tmp_path / f"{pmid}.jsonld"
        assert run_export(pmid, expected, annotations=path) == 0
        published = site / "annotations" / f"{pmid}.jsonld"
        assert published.read_text(encoding="utf-8") == expected.read_text(encoding="utf-8")
        page = (site / "annotations" / f"{pmid}.html").read_text(encoding="utf-8")
        assert f'href="{pmid}.jsonld"' in page


def test_notebook_pages_show_each_widget_as_its_snapshot_and_no_widget_state(site: Path) -> None:
    for notebook in NOTEBOOKS:
        page = (site / "notebooks" / f"{notebook.stem}.html").read_text(encoding="utf-8")
        assert SNAPSHOT.findall(page) == saved_snapshots(notebook), notebook.name
        assert "application/vnd.jupyter.widget" not in page, notebook.name
        # Links between notebooks lead to their pages, not to the .ipynb files.
        for other in NOTEBOOKS:
            assert f'href="{other.name}"' not in page, f"{notebook.name} links {other.name}"


# --- in a browser -------------------------------------------------------------------------------


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the site's folder without logging every request to stderr."""

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def served(site: Path) -> Iterator[str]:
    """The site served on a free loopback port; its root address."""
    with _serving(site) as root:
        yield root


@pytest.fixture(scope="module")
def hostile_served(hostile_site: Path) -> Iterator[str]:
    with _serving(hostile_site) as root:
        yield root


@contextlib.contextmanager
def _serving(site: Path) -> Iterator[str]:
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture(scope="module")
def browser(served: str) -> Iterator[object]:
    require_browser("the site browser test")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


class _Visit:
    """One page opened in a fresh context, with everything it logged or failed to fetch."""

    def __init__(self, browser: object, root: str, path: str) -> None:
        self.problems: list[str] = []
        self.context = browser.new_context(viewport={"width": 1300, "height": 1000})
        self.page = self.context.new_page()
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self.problems.append(f"page error: {error}"))
        self.page.on(
            "requestfailed", lambda request: self.problems.append(f"failed: {request.url}")
        )
        self.page.on("response", self._response)
        self.page.route("**/*", functools.partial(self._route, root))
        self.page.goto(root + path, wait_until="networkidle")

    def _console(self, message: object) -> None:
        if message.type == "error":
            self.problems.append(f"console error: {message.text}")

    def _response(self, response: object) -> None:
        if response.status >= 400:
            self.problems.append(f"status {response.status}: {response.url}")

    def _route(self, root: str, route: object) -> None:
        """Requests off this site are refused (and reported): the site must work offline."""
        url = route.request.url
        if url.startswith((root, "data:", "blob:")):
            route.continue_()
        else:
            self.problems.append(f"request off the site: {url}")
            route.abort()

    def screenshot(self, name: str) -> None:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)

    def close(self) -> None:
        self.context.close()


@pytest.mark.browser
@pytest.mark.parametrize("path", _page_paths())
def test_page_loads_cleanly_offline(browser: object, served: str, path: str) -> None:
    visit = _Visit(browser, served, path)
    try:
        visit.page.wait_for_selector("article", state="visible")
        visit.screenshot(path.replace("/", "_").removesuffix(".html"))
        assert not visit.problems, f"{path}:\n" + "\n".join(visit.problems)
    finally:
        visit.close()


@pytest.mark.browser
@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda path: path.stem)
def test_charts_and_snapshots_are_drawn_and_nothing_looks_live(
    browser: object, served: str, notebook: Path
) -> None:
    visit = _Visit(browser, served, f"notebooks/{notebook.stem}.html")
    try:
        expected = _saved_charts(notebook)
        boxes = [
            element.bounding_box()
            for element in visit.page.locator(".cell_output svg, .cell_output img").all()
        ]
        drawn = [box for box in boxes if box and box["width"] > 40 and box["height"] > 40]
        assert len(drawn) >= expected, (
            f"{notebook.name}: {expected} saved charts, {len(drawn)} drawn with a size"
        )
        for snapshot in saved_snapshots(notebook):
            assert visit.page.locator(f".cell_output .{snapshot}").first.is_visible(), snapshot
        assert visit.page.locator(f".cell_output {LIVE_LOOKING}").count() == 0
        assert not visit.problems, "\n".join(visit.problems)
    finally:
        visit.close()


@pytest.mark.browser
def test_reference_table_search_filters_rows(browser: object, served: str) -> None:
    visit = _Visit(browser, served, "references.html")
    try:
        rows = visit.page.locator("#references tbody tr")
        search = visit.page.locator(".dt-search input")
        search.wait_for(state="visible")
        everything = rows.count()
        assert everything >= 2

        # A word from one title only: the table keeps the rows that have it.
        visit.page.locator("#references tbody tr").first.wait_for()
        search.fill("Hallmarks")
        visit.page.wait_for_function(
            "() => document.querySelectorAll('#references tbody tr').length === 1"
        )
        assert "Hallmarks of cancer" in rows.first.inner_text()

        search.fill("no reference has these words")
        visit.page.wait_for_function(
            "() => document.querySelector('#references tbody td.dt-empty') !== null"
        )
        search.fill("")
        visit.page.wait_for_function(
            f"() => document.querySelectorAll('#references tbody tr').length === {everything}"
        )
        assert not visit.problems, "\n".join(visit.problems)
    finally:
        visit.close()


@pytest.mark.browser
def test_no_script_of_a_hostile_record_or_note_runs_on_any_page(
    browser: object, hostile_served: str, hostile_site: Path
) -> None:
    """Every page of the hostile workbook's site opened in Chromium: no dialog opens, no
    element the record brought exists, nothing fails to load."""
    pages = sorted(
        page.relative_to(hostile_site).as_posix()
        for page in hostile_site.rglob("*.html")
        if "_static" not in page.parts
    )
    assert f"annotations/{HOSTILE_PMID}.html" in pages and "references.html" in pages
    dialogs: list[str] = []
    for path in pages:
        visit = _Visit(browser, hostile_served, path)
        try:
            visit.page.on(
                "dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss())
            )
            visit.page.reload(wait_until="networkidle")
            planted = visit.page.locator('img[src="x"], script:not([src])').evaluate_all(
                "nodes => nodes.filter(node => node.tagName === 'IMG' || "
                "/^\\s*alert\\(\\w*\\)\\s*$/.test(node.textContent)).length"
            )
            assert planted == 0, path
            assert not visit.problems, f"{path}:\n" + "\n".join(visit.problems)
        finally:
            visit.close()
    assert dialogs == []
