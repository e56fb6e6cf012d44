"""The package's layers depend one way only, and the heavy edges stay in their layer.

Layers, lowest first (docs/architecture.md draws them): the core modules, ``sources``,
``annotations``, ``tables`` and ``corpus`` (side by side), ``exports``, ``notebook``,
``workbook``, ``cli``. A
module may import its own layer and the ones below; the public face (``reviewbook/__init__.py``)
may name anything, lazily.
"""

from __future__ import annotations

import ast
import importlib
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, SEED_WORKBOOK

PACKAGE = ROOT / "src" / "reviewbook"
LAYERS: dict[str, int] = {
    "model": 0,
    "errors": 0,
    "text": 0,
    "files": 0,
    "identity": 0,
    "progress": 0,
    "collector": 0,
    "sources": 1,
    "annotations": 2,
    "tables": 3,
    "corpus": 3,
    "exports": 4,
    "notebook": 5,
    "workbook": 6,
    "cli": 7,
}
"""Rank of each top-level module or subpackage of ``reviewbook``."""
FACE = {"__init__", "__main__"}
ONLY_IN: dict[str, str] = {
    "ipywidgets": "notebook",
    "IPython": "notebook",
    "nbclient": "workbook",
    "nbformat": "workbook",
    "jupytext": "workbook",
    "dask": "corpus",
    "distributed": "corpus",
    "duckdb": "corpus",
    "pyarrow": "corpus",
}
"""Third-party packages that only one layer may import."""


def _modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def _layer_of(path: Path) -> str:
    return path.relative_to(PACKAGE).parts[0].removesuffix(".py")


def _imports(path: Path) -> list[tuple[int, str]]:
    """``(line, module)`` of every import in the file, nested ones included."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "reviewbook":
                found += [(node.lineno, f"reviewbook.{alias.name}") for alias in node.names]
            else:
                found.append((node.lineno, node.module))
    return found


def test_every_module_belongs_to_a_known_layer() -> None:
    unknown = {_layer_of(path) for path in _modules()} - set(LAYERS) - FACE
    assert not unknown, f"add these to LAYERS and docs/architecture.md: {sorted(unknown)}"


def test_imports_only_go_down_the_layers() -> None:
    upward: list[str] = []
    for path in _modules():
        layer = _layer_of(path)
        if layer in FACE:
            continue
        for line, module in _imports(path):
            parts = module.split(".")
            if parts[0] != "reviewbook":
                continue
            if len(parts) == 1:
                upward.append(f"{path.relative_to(ROOT)}:{line}: imports the public face")
                continue
            target = parts[1]
            if LAYERS[target] > LAYERS[layer]:
                upward.append(f"{path.relative_to(ROOT)}:{line}: {layer} imports {module}")
    assert not upward, "\n".join(upward)


@pytest.mark.parametrize(("package", "layer"), sorted(ONLY_IN.items()))
def test_heavy_packages_stay_in_their_layer(package: str, layer: str) -> None:
    outside = [
        f"{path.relative_to(ROOT)}:{line}"
        for path in _modules()
        if _layer_of(path) != layer
        for line, module in _imports(path)
        if module.split(".")[0] == package
    ]
    assert not outside, f"only {layer}/ may import {package}: {outside}"


def test_only_the_workbook_knows_where_the_checkout_is() -> None:
    knowing = [
        str(path.relative_to(ROOT))
        for path in _modules()
        if "__file__" in path.read_text(encoding="utf-8") and _layer_of(path) != "workbook"
    ]
    assert not knowing


def test_the_face_loads_no_widget_or_notebook_machinery() -> None:
    """``import reviewbook`` gives the readers; tables (pandas), widgets, exports, YAML and the
    notebook tools load when first used, so the command line and the readers start quickly."""
    heavy = (
        *("ipywidgets", "IPython", "nbformat", "nbclient", "jupytext", "bibtexparser", "ruamel"),
        "pandas",
        *("dask", "distributed", "duckdb", "pyarrow"),
    )
    script = f"import sys, reviewbook; print(sorted(set({heavy!r}) & set(sys.modules)))"
    loaded = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    ).stdout
    assert loaded.strip() == "[]"


def test_loading_reviews_draws_no_progress_bar_machinery() -> None:
    """A notebook kernel loads reviews (and with them the NCBI client) but never draws a bar:
    tqdm, which looks its own version up among the installed packages, stays unloaded."""
    script = "import sys, reviewbook; reviewbook.load_reviews; print('tqdm' in sys.modules)"
    loaded = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    ).stdout
    assert loaded.strip() == "False"


def test_every_public_name_resolves_to_its_module() -> None:
    import reviewbook

    for name, module in reviewbook.LAZY_NAMES.items():
        value = getattr(reviewbook, name)
        assert value is getattr(importlib.import_module(module), name)
    assert sorted(dir(reviewbook)) == sorted(set(dir(reviewbook)) | set(reviewbook.__all__))
    with pytest.raises(AttributeError, match="has no attribute 'nothing'"):
        reviewbook.nothing  # noqa: B018


def test_the_notebooks_import_only_the_public_face() -> None:
    """Notebook code imports ``reviewbook`` (and pandas), never a module behind the face."""
    notebooks = sorted((SEED_WORKBOOK / "notebooks").glob("*.md"))
    sources = [*notebooks, PACKAGE / "workbook/templates/review.md"]
    deep = [
        f"{path.name}: {line.strip()}"
        for path in sources
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.startswith(("from reviewbook.", "import reviewbook."))
    ]
    assert not deep
