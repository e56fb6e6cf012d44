"""What the browser tests share: Debian's Chromium, how it is launched, when the tests skip."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

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
