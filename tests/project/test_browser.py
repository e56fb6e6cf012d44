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

import contextlib
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.project.browsing import CHROMIUM, CHROMIUM_ARGS, require_browser

NOTEBOOK = ROOT / "notebooks" / "01_janssen2017_friend_or_foe.ipynb"
"""The review notebook a reader opens; its first explorer shows Janssen's five references."""

ARTIFACTS = ROOT / "test-artifacts" / "browser"
JUPYTER = Path(sys.executable).parent / "jupyter"

SERVER_START_SECONDS = 60
WIDGET_SECONDS = 120
"""Opening the notebook, starting the kernel and running every cell, on a slow CI machine."""

pytestmark = pytest.mark.browser


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for_server(url: str, server: subprocess.Popen[bytes], log: Path) -> None:
    """Poll the server's status API until it answers, or fail with the end of its log."""
    deadline = time.monotonic() + SERVER_START_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            break
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.25)
    tail = log.read_text(encoding="utf-8", errors="replace")[-3000:]
    pytest.fail(f"JupyterLab did not start (exit {server.poll()}):\n{tail}", pytrace=False)


def _quiet_lab_settings(settings: Path) -> None:
    """No news or update toasts over the screenshots."""
    folder = settings / "@jupyterlab" / "apputils-extension"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "notification.jupyterlab-settings").write_text(
        '{"fetchNews": "false", "checkForUpdates": false}', encoding="utf-8"
    )


@contextlib.contextmanager
def running_lab(
    tmp_path: Path, root: Path, environment: dict[str, str] | None = None
) -> Iterator[tuple[str, str, Path]]:
    """A private JupyterLab over ``root``, with private config, data, settings and workspace
    folders under ``tmp_path/jupyter`` and ``environment`` added: yields its base URL, its
    token and its settings folder."""
    home = tmp_path / "jupyter"
    full_environment = {
        **os.environ,
        "JUPYTER_CONFIG_DIR": str(home / "config"),
        "JUPYTER_DATA_DIR": str(home / "data"),
        "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
        "JUPYTERLAB_SETTINGS_DIR": str(home / "settings"),
        "JUPYTERLAB_WORKSPACES_DIR": str(home / "workspaces"),
        "PYTHONUNBUFFERED": "1",
        **(environment or {}),
    }
    _quiet_lab_settings(home / "settings")
    port, token = _free_port(), secrets.token_hex(16)
    log = tmp_path / "jupyterlab.log"
    command = [
        str(JUPYTER),
        "lab",
        "--no-browser",
        "--allow-root",
        "--ServerApp.ip=127.0.0.1",
        f"--port={port}",
        "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={root}",
    ]
    with log.open("wb") as output:
        server = subprocess.Popen(
            command, env=full_environment, stdout=output, stderr=subprocess.STDOUT, cwd=root
        )
        try:
            base = f"http://127.0.0.1:{port}"
            _wait_for_server(f"{base}/api/status?token={token}", server, log)
            yield base, token, home / "settings"
        finally:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


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
