"""Shared helpers for the workbook tests: a copy of the workbook, and snapshots of it.

Each test that changes the workbook works on a copy (``data/`` and ``notebooks/``) in a
temporary folder; a snapshot before and after shows that a refused or failed addition
changed nothing.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from reviewbook.sources.ncbi import EutilsClient
from reviewbook.workbook import adding, refreshing
from reviewbook.workbook.manifest import ManifestEntry, read_manifest
from reviewbook.workbook.paths import DATA_ENV
from tests.conftest import ROOT


def make_workbook(folder: Path) -> Path:
    """A copy of the project's data and notebooks in ``folder``."""
    for name in ("data", "notebooks"):
        shutil.copytree(ROOT / name, folder / name, ignore=shutil.ignore_patterns(".*"))
    return folder


WORKBOOK_LOCK = Path("data") / ".reviewbook" / "workbook.lock"
"""The workbook lock's file, which stays (empty) once made; all else under it must go."""


def snapshot(root: Path) -> dict[str, tuple[str, int] | None]:
    """Every file (hash and mode) and folder under ``root``, the workbook lock's aside."""
    lock = root / WORKBOOK_LOCK
    return {
        str(path.relative_to(root)): (
            (hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mode)
            if path.is_file()
            else None
        )
        for path in sorted(root.rglob("*"))
        if path not in (lock, lock.parent)
    }


def next_notebook(key: str) -> str:
    """The name the checkout's next added notebook gets for ``key``: ``NN_<key>``, NN one more
    than the highest number in use (so tests follow whatever reviews the workbook holds)."""
    from reviewbook.workbook.adding import notebook_number

    return f"{notebook_number(ROOT / 'notebooks', key):02d}_{key}"


def manifest_pmids() -> list[str]:
    """The PMIDs the checkout's manifest lists, in order."""
    return [entry.pmid for entry in read_manifest(ROOT / "data" / "pubmed")]


def manifest_row(root: Path, pmid: str) -> list[ManifestEntry]:
    return [entry for entry in read_manifest(root / "data" / "pubmed") if entry.pmid == pmid]


def offline_client() -> EutilsClient:
    """A client of an NCBI that cannot be reached (a closed port on 127.0.0.1), not retrying."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{probe.getsockname()[1]}"
    return EutilsClient(
        base_url=f"{closed}/entrez/eutils/",
        idconv_url=f"{closed}/tools/idconv/api/v1/articles/",
        cache=False,
        retries=0,
        environ={},
    )


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Adds and refreshes that are given no client reach no real NCBI: they are offline."""
    monkeypatch.setattr(adding, "EutilsClient", offline_client)
    monkeypatch.setattr(refreshing, "EutilsClient", offline_client)


@pytest.fixture
def workbook(tmp_path: Path) -> Path:
    """A copy of the workbook to change."""
    return make_workbook(tmp_path / "workbook")


def run_nbval(
    folder: Path, *notebooks: Path, data: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """Strict nbval, as the project runs it, on ``notebooks`` from ``folder``; ``data`` is the
    data folder they read (default: the checkout's)."""
    environment = {DATA_ENV: str(data)} if data is not None else {}
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "no:cacheprovider",
            "-o",
            "addopts=",
            "--nbval",
            "--nbval-current-env",
            "--nbval-sanitize-with",
            str(ROOT / "tests" / "nbval" / "sanitize.cfg"),
            *map(str, notebooks),
        ],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, **environment, "PYTHONWARNINGS": "ignore"},
    )
