"""The static website (`make site`): built once from the seed workbook's notebooks, then read.

The session fixture builds the site with ``site/build.py`` into a temporary folder. The first
tests read the files: a page per notebook, per annotation file, the JSON-LD beside each
annotation page, saved outputs kept as they are, a description and Open Graph tags on every
page, every identifier of the reference table linked. The browser tests serve the folder on
127.0.0.1 and open every page in headless Chromium with every request off this machine
refused: no page may log an error or fail a request, charts must be drawn with a size, each
explorer and editor must show as its snapshot and no control that does nothing without a kernel,
and the reference table's search box must filter its rows. Then Chromium opens the pages from
disk (``file://``), as the README tells a reader to: the reference table shows every row, filters,
sorts from its headings and fetches nothing; every page offers one search and weighs, with all
it loads, under 2 MB.

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
from html.parser import HTMLParser
from pathlib import Path
from types import ModuleType
from urllib.parse import unquote, urlsplit

import pandas as pd
import pytest

from reviewbook import load_annotations, load_reviews, references_frame
from reviewbook.annotations.loading import annotation_files
from reviewbook.cli.annotations import run_export
from reviewbook.model import doi_url, pmc_url, pubmed_url
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
from tests.project.hostile import HOSTILE_PMID, SCRIPTED, hostile_workbook

BUILD = ROOT / "site" / "build.py"
SITE_URL_ENV = "REVIEWBOOK_SITE_URL"
MAX_PAGE_BYTES = 2_000_000
"""A page with everything it loads (its HTML, styles, scripts, fonts) weighs less than this."""
NOTEBOOKS = sorted((SEED_WORKBOOK / "notebooks").glob("*.ipynb"))
ANNOTATIONS = annotation_files(SEED_WORKBOOK / "data" / "annotations")
ARTIFACTS = ROOT / "test-artifacts" / "site"
IMAGE_TYPES = ("image/png", "image/jpeg", "image/svg+xml")
SITE_MODULES = ("sphinx", "myst_nb", "sphinx_book_theme")


def _page_paths() -> list[str]:
    """Every page a reader reaches, relative to the site's root."""
    notebooks = [f"notebooks/{path.stem}.html" for path in NOTEBOOKS]
    annotations = [f"annotations/{load_annotations(path).pmid}.html" for path in ANNOTATIONS]
    return ["index.html", "references.html", "annotations/index.html", *notebooks, *annotations]


def _built_pages(site: Path) -> list[str]:
    """Every HTML page the build wrote (search and index pages too), relative to ``site``."""
    return sorted(
        page.relative_to(site).as_posix()
        for page in site.rglob("*.html")
        if "_static" not in page.relative_to(site).parts
    )


def _site_module(name: str) -> ModuleType:
    """``site/<name>.py`` imported as a module (the site's scripts are not a package)."""
    path = BUILD.parent / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"reviewbook_site_{name}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class _PageParts(HTMLParser):
    """A page's ``<meta>`` tags (by name or property) and the reference table's rows, each
    cell as its text and its link."""

    def __init__(self) -> None:
        super().__init__()
        self.meta: dict[str, list[str]] = {}
        self.rows: list[list[tuple[str, str | None]]] = []
        self._in_table = False
        self._cell: list[str] | None = None
        self._link: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "meta" and (values.get("name") or values.get("property")):
            key = values.get("name") or values.get("property") or ""
            self.meta.setdefault(key, []).append(values.get("content") or "")
        elif tag == "table" and values.get("id") == "references":
            self._in_table = True
        elif self._in_table and tag == "tr":
            self.rows.append([])
        elif self._in_table and tag == "td":
            self._cell, self._link = [], None
        elif self._cell is not None and tag == "a":
            self._link = values.get("href")

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            self._in_table = False
        elif tag == "td" and self._cell is not None:
            self.rows[-1].append(("".join(self._cell), self._link))
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def _parts(page: Path) -> _PageParts:
    parts = _PageParts()
    parts.feed(page.read_text(encoding="utf-8"))
    return parts


def _site_references(site: Path) -> pd.DataFrame:
    """The references frame of the workbook the ``site`` fixture was built from."""
    return references_frame(load_reviews(site.parent / "workbook" / "data" / "pubmed"))


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
    """Skip without the ``site`` extra (Sphinx, myst-nb, the book theme), except in CI."""
    missing = [name for name in SITE_MODULES if importlib.util.find_spec(name) is None]
    if not missing:
        return
    message = f"the website needs {', '.join(missing)} (pip install -e '.[site]')"
    if os.environ.get("CI") == "true":
        pytest.fail(message + "; CI must build it", pytrace=False)
    pytest.skip(message)


def build_site(
    workbook: Path, out: Path, site_url: str | None = None
) -> subprocess.CompletedProcess[str]:
    """``site/build.py`` run on the workbook at ``workbook``, into ``out``; the pages' ``og:url``
    under ``site_url`` when one is given."""
    environment = {key: value for key, value in os.environ.items() if key != SITE_URL_ENV}
    if site_url is not None:
        environment[SITE_URL_ENV] = site_url
    return subprocess.run(
        [sys.executable, str(BUILD), str(out)],
        capture_output=True,
        text=True,
        check=False,
        env={**environment, WORKBOOK_ENV: str(workbook)},
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


def test_every_page_has_a_description_and_open_graph_tags(site: Path) -> None:
    for path in _built_pages(site):
        meta = _parts(site / path).meta
        assert meta.get("description") == meta.get("og:description"), path
        [description] = meta["description"]
        [title] = meta["og:title"]
        assert description and title, path
        assert meta["og:type"] == ["website"] and meta["og:site_name"] == ["reviewbook"], path
        assert "og:url" not in meta, f"{path}: og:url without a published address"
    index = _parts(site / "index.html").meta
    assert index["og:title"] == ["reviewbook"]
    assert index["description"] == [
        "A close reading of review articles on how the immune system shapes cancer metastasis: "
        "each review’s facts, its reference list, and our commentary as annotations that quote "
        "the review’s exact words."
    ]
    references = _parts(site / "references.html").meta
    assert references["og:title"] == ["References of every review"]
    assert references["description"][0].startswith(
        f"{len(_site_references(site))} references of 2 reviews, as the saved pages list them"
    )


def test_pages_name_their_address_when_the_site_address_is_known(tmp_path: Path) -> None:
    _require_site_tools()
    workbook = copy_seed_workbook(tmp_path / "workbook")
    done = build_site(workbook, tmp_path / "html", site_url="https://example.org/reviewbook")
    assert done.returncode == 0, done.stdout + done.stderr
    for path in ("index.html", "references.html", "notebooks/00_index.html"):
        meta = _parts(tmp_path / "html" / path).meta
        assert meta["og:url"] == [f"https://example.org/reviewbook/{path}"]

    refused = build_site(workbook, tmp_path / "refused", site_url="javascript:alert(1)")
    assert refused.returncode != 0
    assert "REVIEWBOOK_SITE_URL='javascript:alert(1)' is not an http(s) address" in (refused.stderr)


def test_reference_table_links_every_identifier_to_its_record(site: Path) -> None:
    frame = _site_references(site)
    rows = _parts(site / "references.html").rows
    headings = ["Review", "No.", "Authors", "Title", "Journal", "Year", "DOI", "PMID", "PMCID"]
    assert len(rows) == 1 + len(frame)  # the headings' row, then one per reference
    for row, reference in zip(rows[1:], frame.itertuples(), strict=True):
        cells = dict(zip(headings, row, strict=True))
        assert cells["Title"] == (reference.title or "", None)
        for heading, value, address in (
            ("DOI", reference.doi, doi_url),
            ("PMID", reference.pmid, pubmed_url),
            ("PMCID", reference.pmcid, pmc_url),
        ):
            text = "" if pd.isna(value) else value
            assert cells[heading] == (text, address(text) if text else None), heading
    hallmarks = next(row for row in rows[1:] if row[3][0].startswith("Hallmarks of cancer"))
    assert hallmarks[6] == (
        "10.1016/j.cell.2011.02.013",
        "https://doi.org/10.1016/j.cell.2011.02.013",
    )
    assert hallmarks[7] == ("", None)  # the saved page prints no PMID for it


def test_a_reference_row_links_doi_pubmed_and_pmc_and_escapes_its_text() -> None:
    build = _site_module("build")
    row = {
        "review_pmid": "40739089",
        "index": 7,
        "authors": SCRIPTED,
        "title": "<b>T</b> & more",
        "journal": pd.NA,
        "year": 2021,
        "doi": "10.1000/a<b>",
        "pmid": "33854633",
        "pmcid": "PMC8042760",
    }
    assert build.reference_row_html(row) == (
        '<tr data-search="40739089 7 radiology &lt;/script&gt;&lt;img src=x '
        "onerror=alert(document.domain)&gt; &lt;b&gt;t&lt;/b&gt; &amp; more 2021 "
        '10.1000/a&lt;b&gt; 33854633 pmc8042760">'
        "<td>40739089</td><td>7</td>"
        "<td>Radiology &lt;/SCRIPT&gt;&lt;img src=x onerror=alert(document.domain)&gt;</td>"
        "<td>&lt;b&gt;T&lt;/b&gt; &amp; more</td><td></td><td>2021</td>"
        '<td><a href="https://doi.org/10.1000/a&lt;b&gt;" target="_blank" rel="noopener">'
        "10.1000/a&lt;b&gt;</a></td>"
        '<td><a href="https://pubmed.ncbi.nlm.nih.gov/33854633/" target="_blank" '
        'rel="noopener">33854633</a></td>'
        '<td><a href="https://pmc.ncbi.nlm.nih.gov/articles/PMC8042760/" target="_blank" '
        'rel="noopener">PMC8042760</a></td></tr>'
    )


def test_a_reference_row_is_searched_as_the_explorer_folds_it() -> None:
    """Typing "Ostergaard" on the page finds Østergaard: each row carries its text folded by
    `reviewbook.text.fold` (transliterated, lower case), which the page's script searches."""
    build = _site_module("build")
    row = dict.fromkeys(build.REFERENCE_TABLE_COLUMNS, "") | {
        "authors": "Østergaard L; Kjærgaard B",
        "title": "Straße",
    }
    assert 'data-search="ostergaard l; kjaergaard b strasse"' in build.reference_row_html(row)


HARD_ROWS: tuple[dict[str, str], ...] = (
    {"authors": "Østergaard L", "title": "Straße"},
    {"authors": "O’Byrne KJ", "title": "NF-ĸB in γ-secretase"},
    {"authors": "Smith J", "title": "Hallmarks"},
)
"""References whose letters a typed query must fold as `reviewbook.text.fold` does."""


def test_search_spellings_are_folds_of_the_tables_own_characters() -> None:
    build = _site_module("build")
    spellings = build.search_spellings(["Østergaard", "O’Byrne γ"])
    assert {character: spellings[character] for character in "Øøγ’ĸκ\u00a0"} == {
        "Ø": "o",
        "ø": "o",
        "γ": "g",
        "’": "'",
        "ĸ": "k",
        "κ": "k",
        "\u00a0": " ",
    }
    assert all(character.isascii() is False for character in spellings)


@pytest.mark.browser
@pytest.mark.parametrize(
    ("typed", "found"),
    [
        ("Ostergaard", ["Østergaard L"]),
        ("østergaard strasse", ["Østergaard L"]),
        ("O'Byrne", ["O’Byrne KJ"]),
        ("o’byrne nf-κb", ["O’Byrne KJ"]),
        ("NF-kB g-secretase", ["O’Byrne KJ"]),
        ("STRASSE", ["Østergaard L"]),
    ],
)
def test_what_a_reader_types_is_folded_as_the_rows_are(
    browser: object, tmp_path: Path, typed: str, found: list[str]
) -> None:
    from playwright.sync_api import expect

    build = _site_module("build")
    frame = pd.DataFrame(
        [dict.fromkeys(build.REFERENCE_TABLE_COLUMNS, "") | row for row in HARD_ROWS]
    )
    script = (ROOT / "site" / "_static" / "reference-table.js").read_text(encoding="utf-8")
    (tmp_path / "table.html").write_text(
        f'<!DOCTYPE html><meta charset="utf-8">{build.reference_table_html(frame)}'
        f"<script>{script}</script>",
        encoding="utf-8",
    )
    visit = _DiskVisit(browser, tmp_path, "table.html")
    try:
        visit.page.locator("#references-search").fill(typed)
        rows = visit.page.locator("#references tbody tr:not([hidden])")
        expect(rows).to_have_count(len(found))
        assert _cells(visit, 3) == found
        assert not visit.problems, "\n".join(visit.problems)
    finally:
        visit.close()


def test_hostile_references_are_text_in_the_reference_table(hostile_site: Path) -> None:
    rows = _parts(hostile_site / "references.html").rows
    titles = [row[3][0] for row in rows[1:] if row[0][0] == HOSTILE_PMID]
    assert titles and any(SCRIPTED in title for title in titles), titles


def test_no_page_loads_a_module_script_or_itables(site: Path) -> None:
    for path in _built_pages(site):
        text = (site / path).read_text(encoding="utf-8")
        assert 'type="module"' not in text and "itables" not in text.lower(), path


def test_repeated_styles_become_classes_and_text_is_untouched() -> None:
    build = _site_module("build")
    cell = "text-align:{align};vertical-align:top;padding:2px 8px"
    link = "color:var(--jp-content-link-color,#0969da);text-decoration:underline"
    markup = (
        f'<table class="reviewbook-frame"><tr><th style="{cell.format(align="left")}">a</th>'
        f'<td style="{cell.format(align="right")}">2</td>'
        f'<td title="style=&quot;{link}&quot;" style="{cell.format(align="right")}">3</td>'
        f'<td style="color:red">style="{link}"</td></tr></table>'
        f'<a href="https://doi.org/1" class="x" style="{link}">1</a>'
    )
    assert build.shared_styles_as_classes(markup) == (
        '<table class="reviewbook-frame"><tr><th>a</th><td class="number">2</td>'
        f'<td class="number" title="style=&quot;{link}&quot;">3</td>'
        f'<td style="color:red">style="{link}"</td></tr></table>'
        '<a href="https://doi.org/1" class="x">1</a>'
    )


def test_a_heavy_output_gets_a_page_of_its_own(tmp_path: Path) -> None:
    build = _site_module("build")
    heavy = "<p>" + "word " * (build.OWN_PAGE_BYTES // 5) + "</p>"
    cells = [
        {"cell_type": "code", "source": "small()", "outputs": [_html_output("<b>small</b>")]},
        {"cell_type": "code", "source": "full_text_html(review)", "outputs": [_html_output(heavy)]},
    ]
    notebook = tmp_path / "05_x.ipynb"
    notebook.write_text(json.dumps({"cells": cells, "metadata": {}}), encoding="utf-8")
    (tmp_path / "staged").mkdir()
    staged = tmp_path / "staged" / "05_x.ipynb"

    assert build.stage_notebook(notebook, staged) == ["05_x/cell-2-output-1"]
    small, moved = (cell["outputs"][0]["data"] for cell in json.loads(staged.read_text())["cells"])
    assert small == {"text/html": "<b>small</b>", "text/plain": "small"}
    size = len(heavy.encode()) // 1000
    assert moved["text/html"] == (
        f'<p class="reviewbook-moved-output">This output ({size:,} kB) is on '
        '<a href="05_x/cell-2-output-1.html">a page of its own</a>, so that this page opens '
        "quickly.</p>"
    )
    assert (tmp_path / "staged" / "05_x" / "cell-2-output-1.html").read_text() == heavy
    page = (tmp_path / "staged" / "05_x" / "cell-2-output-1.md").read_text()
    assert "[](../05_x.ipynb)" in page and "```python\nfull_text_html(review)\n```" in page


def _html_output(markup: str) -> dict[str, object]:
    plain = markup.removeprefix("<b>").removesuffix("</b>")
    return {
        "output_type": "display_data",
        "data": {"text/html": markup, "text/plain": plain},
        "metadata": {},
    }


def test_meta_tags_are_escaped() -> None:
    conf = _site_module("conf")
    tags = conf.meta_tags(SCRIPTED, 'a "quoted" <b>', "https://example.org/?a=1&b=2", "rb")
    assert "<img" not in tags and "</SCRIPT>" not in tags
    assert tags.splitlines() == [
        '<meta name="description" content="a &quot;quoted&quot; &lt;b&gt;" />',
        '<meta property="og:title" content="Radiology &lt;/SCRIPT&gt;&lt;img src=x '
        'onerror=alert(document.domain)&gt;" />',
        '<meta property="og:description" content="a &quot;quoted&quot; &lt;b&gt;" />',
        '<meta property="og:type" content="website" />',
        '<meta property="og:site_name" content="rb" />',
        '<meta property="og:url" content="https://example.org/?a=1&amp;b=2" />',
    ]


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
        from playwright.sync_api import expect

        rows = visit.page.locator("#references tbody tr:not([hidden])")
        search = visit.page.locator("#references-search")
        expect(search).to_be_enabled()
        everything = rows.count()
        assert everything >= 2

        # A word from one title only: the table keeps the rows that have it.
        search.fill("Hallmarks")
        expect(rows).to_have_count(1)
        assert "Hallmarks of cancer" in rows.first.inner_text()

        search.fill("no reference has these words")
        expect(rows).to_have_count(0)
        expect(visit.page.locator('[data-empty="references"]')).to_be_visible()
        search.fill("")
        expect(rows).to_have_count(everything)
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


# --- from disk (file://), as the README tells a reader to open it --------------------------------

SEARCH_CONTROLS = ".search-button-field, .search-button, form.bd-search"
"""What a page offers to search the site with: the theme's field or button, the search page's
own form (the dialog they open is not counted)."""


class _DiskVisit:
    """One page of the site opened from disk, with every address it asked for and every error
    it logged."""

    def __init__(self, browser: object, site: Path, path: str, width: int = 1300) -> None:
        self.requests: list[str] = []
        self.problems: list[str] = []
        self.context = browser.new_context(viewport={"width": width, "height": 1000})
        self.page = self.context.new_page()
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self.problems.append(f"page error: {error}"))
        self.page.on(
            "requestfailed", lambda request: self.problems.append(f"failed: {request.url}")
        )
        self.page.goto((site / path).as_uri(), wait_until="networkidle")

    def _console(self, message: object) -> None:
        if message.type == "error":
            self.problems.append(f"console error: {message.text}")

    def off_disk(self) -> list[str]:
        return [url for url in self.requests if not url.startswith("file://")]

    def weight(self) -> int:
        """Bytes of the page and of every file it loaded, each counted once."""
        files = {Path(unquote(urlsplit(url).path)) for url in self.requests}
        return sum(path.stat().st_size for path in files)

    def close(self) -> None:
        self.context.close()


def _cells(visit: _DiskVisit, column: int) -> list[str]:
    """The text of one column of the reference table's shown rows, top to bottom."""
    return visit.page.locator(
        f"#references tbody tr:not([hidden]) td:nth-child({column})"
    ).all_inner_texts()


@pytest.mark.browser
def test_reference_table_works_from_disk(browser: object, site: Path) -> None:
    from playwright.sync_api import expect

    frame = _site_references(site)
    visit = _DiskVisit(browser, site, "references.html")
    try:
        page = visit.page
        rows = page.locator("#references tbody tr:not([hidden])")
        search = page.locator("#references-search")
        counts = page.locator('[data-counts="references"]')
        expect(search).to_be_enabled()
        expect(rows).to_have_count(len(frame))
        expect(counts).to_have_text(f"{len(frame)} references")

        search.fill("Hallmarks")
        expect(rows).to_have_count(1)
        assert _cells(visit, 4) == ["Hallmarks of cancer: the next generation"]
        expect(counts).to_have_text(f"1 of {len(frame)} references")
        # Every word must be in the row, in any of its cells and in any case.
        chambers = frame[
            frame["authors"].str.contains("Chambers", na=False) & (frame["year"] == 2002)
        ]
        search.fill("chambers 2002")
        expect(rows).to_have_count(len(chambers))
        assert _cells(visit, 3) == list(chambers["authors"])
        search.fill("no reference has these words")
        expect(rows).to_have_count(0)
        expect(page.locator('[data-empty="references"]')).to_be_visible()
        search.fill("")
        expect(rows).to_have_count(len(frame))

        # A click on the heading sorts by it, a second reverses; years sort as numbers.
        year = page.locator("#references thead th", has_text="Year")
        year.click()
        expect(year).to_have_attribute("aria-sort", "ascending")
        assert _cells(visit, 6)[0] == str(frame["year"].min())
        year.click(position={"x": 3, "y": 3})  # the heading's edge, beside its button
        expect(year).to_have_attribute("aria-sort", "descending")
        assert _cells(visit, 6)[0] == str(frame["year"].max())
        years = [int(text) for text in _cells(visit, 6) if text]
        assert years == sorted(years, reverse=True)

        # From the keyboard: Tab reaches the heading's button, Enter sorts.
        page.locator("#references thead th", has_text="No.").locator("button").focus()
        page.keyboard.press("Enter")
        number = page.locator("#references thead th", has_text="No.")
        expect(number).to_have_attribute("aria-sort", "ascending")
        expect(year).not_to_have_attribute("aria-sort", "descending")
        assert _cells(visit, 2)[:4] == ["1", "1", "2", "2"]  # the two reviews' lists, merged
        page.keyboard.press("Enter")
        expect(number).to_have_attribute("aria-sort", "descending")
        assert _cells(visit, 2)[0] == str(frame["index"].max())

        doi = page.locator('#references a[href^="https://doi.org/"]')
        expect(doi).to_have_count(int(frame["doi"].notna().sum()))
        pubmed = page.locator('#references a[href^="https://pubmed.ncbi.nlm.nih.gov/"]')
        expect(pubmed).to_have_count(int(frame["pmid"].notna().sum()))
        assert visit.off_disk() == []
        assert not visit.problems, "\n".join(visit.problems)
    finally:
        visit.close()


@pytest.mark.browser
def test_every_page_from_disk_is_light_offers_one_search_and_stays_on_disk(
    browser: object, site: Path
) -> None:
    pages = _built_pages(site)
    assert {"index.html", "references.html", "search.html"} <= set(pages)
    for path in pages:
        for width in (1300, 600):
            visit = _DiskVisit(browser, site, path, width)
            try:
                controls = visit.page.locator(SEARCH_CONTROLS).evaluate_all(
                    "found => found.filter(element => element.checkVisibility() && "
                    "!element.closest('dialog')).length"
                )
                assert controls == 1, f"{path} at {width}px: {controls} ways to search"
                assert visit.weight() < MAX_PAGE_BYTES, f"{path}: {visit.weight():,} bytes"
                assert visit.off_disk() == [], path
                assert not visit.problems, f"{path}:\n" + "\n".join(visit.problems)
            finally:
                visit.close()
