"""Rewriting notebooks leaves them as trusted as it found them (`provenance.trust_kept`)."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from reviewbook.workbook.provenance import trust_kept, trust_notebooks, trusted


@pytest.fixture(autouse=True)
def own_trust_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """This test's Jupyter data folder: its own signing key and trust database."""
    monkeypatch.setenv("JUPYTER_DATA_DIR", str(tmp_path / "jupyter"))


def _write(path: Path, text: str) -> Path:
    """A notebook whose one cell printed ``text`` (outputs are what trust is about)."""
    cell = nbformat.v4.new_code_cell("print(text)", execution_count=1)
    cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=text)]
    nbformat.write(nbformat.v4.new_notebook(cells=[cell]), path)
    return path


def test_trusted_names_the_notebooks_signed_as_they_are_now(tmp_path: Path) -> None:
    signed, rewritten, unsigned = (
        _write(tmp_path / f"{name}.ipynb", name) for name in ("signed", "rewritten", "unsigned")
    )
    trust_notebooks([signed, rewritten])
    _write(rewritten, "rewritten since")
    missing = tmp_path / "missing.ipynb"
    broken = tmp_path / "broken.ipynb"
    broken.write_text("not a notebook", encoding="utf-8")
    assert trusted([signed, rewritten, unsigned, missing, broken]) == {signed}


def test_rewritten_notebooks_keep_the_trust_they_had(tmp_path: Path) -> None:
    index, review, corpus = (
        _write(tmp_path / f"{name}.ipynb", name) for name in ("00_index", "01_review", "corpus")
    )
    trust_notebooks([index, review])
    with trust_kept([index, review, corpus], index=index):
        for path in (index, review, corpus):
            _write(path, f"{path.stem} re-run")
    assert trusted([index, review, corpus]) == {index, review}


@pytest.mark.parametrize("index_trusted", [True, False])
def test_a_new_notebook_is_trusted_as_the_index_was(tmp_path: Path, index_trusted: bool) -> None:
    index = _write(tmp_path / "00_index.ipynb", "index")
    if index_trusted:
        trust_notebooks([index])
    added = tmp_path / "04_new_review.ipynb"
    with trust_kept([index, added], index=index):
        _write(index, "index re-run")
        _write(added, "new review")
    assert trusted([index, added]) == ({index, added} if index_trusted else set())


def test_a_rewrite_that_fails_signs_nothing(tmp_path: Path) -> None:
    index = _write(tmp_path / "00_index.ipynb", "index")
    trust_notebooks([index])
    added = tmp_path / "04_new_review.ipynb"
    with pytest.raises(RuntimeError), trust_kept([added], index=index):
        _write(added, "half-made review")
        raise RuntimeError("the add failed")
    assert trusted([index, added]) == {index}


def test_a_removed_notebook_is_not_signed(tmp_path: Path) -> None:
    index = _write(tmp_path / "00_index.ipynb", "index")
    removed = _write(tmp_path / "02_review.ipynb", "review")
    trust_notebooks([index, removed])
    with trust_kept([index, removed], index=index):
        removed.unlink()
        _write(index, "index re-run")
    assert trusted([index, removed]) == {index}
    assert not removed.exists()
