"""What the browser tests share: Debian's Chromium, how it is launched, when the tests skip; a
private JupyterLab over a copy of a workbook, opening a notebook in it as a reader does, and
what a notebook opened without running anything must not show."""

from __future__ import annotations

import contextlib
import json
import os
import re
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
from typing import Any

import pytest

from reviewbook.workbook.paths import DATA_ENV, NOTEBOOKS_ENV, WORKBOOK_ENV

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
"""Headless, and no connection of Chromium's own: this machine reaches no network."""


def require_browser(what: str) -> None:
    """Skip ``what`` without Chromium or Playwright, except in CI, where that is a failure."""
    missing = []
    if not CHROMIUM.exists():
        missing.append(f"{CHROMIUM} (apt-get install chromium)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing.append("the playwright package (pip install playwright)")
    if not missing:
        return
    message = f"{what} needs " + " and ".join(missing)
    if os.environ.get("CI") == "true":
        pytest.fail(message + "; CI must run it", pytrace=False)
    pytest.skip(message)


# --- a private JupyterLab ---------------------------------------------------------------------

JUPYTER = Path(sys.executable).parent / "jupyter"
SERVER_START_SECONDS = 60
OPEN_MS = 180_000
"""Opening a notebook until its kernel is idle, on a slow, loaded CI machine (a deadline for a
condition, not a pause)."""


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


def write_lab_settings(settings: Path, theme: str = "JupyterLab Light") -> None:
    """No news or update toasts over the screenshots; every cell rendered (no windowing), so
    every output can be inspected; the ``theme``."""
    entries = {
        "@jupyterlab/apputils-extension/notification": {
            "fetchNews": "false",
            "checkForUpdates": False,
        },
        "@jupyterlab/notebook-extension/tracker": {"windowingMode": "none"},
        "@jupyterlab/apputils-extension/themes": {"theme": theme},
    }
    for name, values in entries.items():
        package, plugin = name.rsplit("/", 1)
        folder = settings / package
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{plugin}.jupyterlab-settings").write_text(json.dumps(values))


def lab_environment(tmp_path: Path, environment: dict[str, str] | None = None) -> dict[str, str]:
    """This process's environment with private Jupyter folders under ``tmp_path/jupyter`` (its
    own trust database among them) and ``environment`` added: the server's, and `trust`'s."""
    home = tmp_path / "jupyter"
    return {
        **os.environ,
        "JUPYTER_CONFIG_DIR": str(home / "config"),
        "JUPYTER_DATA_DIR": str(home / "data"),
        "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
        "JUPYTERLAB_SETTINGS_DIR": str(home / "settings"),
        "JUPYTERLAB_WORKSPACES_DIR": str(home / "workspaces"),
        "PYTHONUNBUFFERED": "1",
        **(environment or {}),
    }


@contextlib.contextmanager
def running_lab(
    tmp_path: Path, root: Path, environment: dict[str, str] | None = None
) -> Iterator[tuple[str, str, Path]]:
    """A private JupyterLab over ``root`` (`lab_environment`, `write_lab_settings`): yields
    its base URL, its token and its settings folder."""
    full_environment = lab_environment(tmp_path, environment)
    settings = Path(full_environment["JUPYTERLAB_SETTINGS_DIR"])
    write_lab_settings(settings)
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
            yield base, token, settings
        finally:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


def copy_workbook(source: Path, root: Path) -> dict[str, str]:
    """Copy the workbook at ``source`` (``data/``, ``notebooks/``, ``jupytext.toml``) to
    ``root``; the environment that points the package and its kernels at the copy."""
    for name in ("data", "notebooks"):
        shutil.copytree(source / name, root / name, ignore=shutil.ignore_patterns(".*", "exports"))
    shutil.copy2(source / "jupytext.toml", root / "jupytext.toml")
    return {
        WORKBOOK_ENV: str(root),
        DATA_ENV: str(root / "data"),
        NOTEBOOKS_ENV: str(root / "notebooks"),
    }


def trust(notebooks: list[Path], environment: dict[str, str]) -> None:
    """`make lab`'s trust step (``jupyter trust``), for the user of ``environment``."""
    subprocess.run(
        [str(JUPYTER), "trust", *map(str, notebooks)],
        env=environment,
        check=True,
        capture_output=True,
    )


def open_notebook(page: Any, base: str, token: str, path: str, workspace: str) -> None:
    """Open ``path`` (under the server's root) in a workspace of its own, as a reader does, and
    wait for its outputs and its kernel to be idle."""
    from playwright.sync_api import expect

    page.goto(f"{base}/lab/workspaces/{workspace}/tree/{path}?reset&token={token}")
    expect(page.locator(".jp-NotebookPanel .jp-OutputArea-output").first).to_be_visible(
        timeout=OPEN_MS
    )
    expect(page.locator("#jp-main-statusbar")).to_contain_text("Idle", timeout=OPEN_MS)


# --- what a notebook shows before it runs -----------------------------------------------------

SNAPSHOT = re.compile(r'class="(reviewbook-[\w-]+-snapshot)"')
"""How a widget's saved snapshot starts (`reviewbook.notebook.html.snapshot_bundle`)."""
LIVE_LOOKING = ":is(.jupyter-widgets, input, select, textarea, button)"
"""What looks live in an output and does nothing without a kernel: a widget (connected,
broken-link or "model not found"), or a form control."""
UNSAVED = ".lm-DockPanel-tabBar .lm-TabBar-tab.jp-mod-dirty"
"""A notebook tab's unsaved-changes mark."""


def saved_snapshots(notebook: Path) -> list[str]:
    """The class of each widget snapshot among ``notebook``'s saved outputs, in order."""
    snapshots = []
    for cell in json.loads(notebook.read_text(encoding="utf-8"))["cells"]:
        for output in cell.get("outputs", []):
            snapshots += SNAPSHOT.findall("".join(output.get("data", {}).get("text/html", "")))
    return snapshots


def live_looking(page: Any) -> list[str]:
    """What looks live in the open notebook's outputs, each named by its tag and classes."""
    return page.locator(f".jp-NotebookPanel .jp-OutputArea-output {LIVE_LOOKING}").evaluate_all(
        "(found) => found.map((element) => `${element.tagName} ${element.className}`)"
    )


def save_over_newer_run(page: Any, screenshot: Path) -> str:
    """Ctrl+S in the open notebook after its file changed on disk: JupyterLab asks ("File
    Changed"), the reader chooses its default, Overwrite; the text of the error it then shows
    (kept in ``screenshot``, then closed)."""
    from playwright.sync_api import expect

    page.locator(".jp-NotebookPanel .jp-Notebook").first.click(position={"x": 5, "y": 5})
    page.keyboard.press("Control+s")
    asked = page.locator(".jp-Dialog", has_text="File Changed")
    expect(asked).to_be_visible(timeout=OPEN_MS)
    asked.get_by_role("button", name="Overwrite").click()
    error = page.locator(".jp-Dialog", has_text="File Save Error")
    expect(error).to_be_visible(timeout=OPEN_MS)
    text = error.locator(".jp-Dialog-body").inner_text()
    page.screenshot(path=str(screenshot))
    error.get_by_role("button", name="Close").click()
    expect(error).to_have_count(0, timeout=OPEN_MS)
    return text
