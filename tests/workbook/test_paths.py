"""Where the workbook's data lives, and how to move it."""

from __future__ import annotations

from pathlib import Path

import pytest

from reviewbook.workbook import paths
from tests.conftest import PUBMED


def test_data_folder_can_be_moved_with_an_environment_variable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert paths.data_dir() == PUBMED.parent
    monkeypatch.setenv(paths.DATA_ENV, str(tmp_path))
    assert paths.annotations_path("1") == tmp_path / "annotations" / "1.yaml"
    assert paths.pubmed_page_path("1") == tmp_path / "pubmed" / "1.txt"
