"""Make a workbook of one's own (``reviewbook init DIR``): empty, executed, checked as it is.

`create_workbook` writes what a workbook is made of, from ``templates/workbook/``:

- ``data/pubmed/manifest.csv``, its header only (what makes the folder a workbook), and
  ``data/annotations/`` with a README saying what goes there;
- ``notebooks/00_index`` and ``notebooks/01_compare_reviews``, each a Markdown twin and its
  ``.ipynb`` executed with outputs: with no review yet, they show empty tables, as
  ``reviewbook check`` wants them; ``reviewbook add`` runs them again with each review;
- ``jupytext.toml`` (how the twins are written), a ``Makefile`` (``make lab``, ``make
  check``), a ``README.md``, a ``.gitignore``, ``requirements.txt`` naming this very version
  of reviewbook, and ``.github/workflows/check.yml``, which installs that and runs
  ``reviewbook check`` on the Python the workbook was made with.

Everything is built in a hidden folder beside ``DIR`` and moved in when the notebooks have
run, so a failure leaves ``DIR`` as it was. A folder that already holds any of these names
(a workbook, say) is refused: nothing is ever overwritten.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from dataclasses import dataclass
from importlib import metadata, resources
from pathlib import Path

from reviewbook.workbook.manifest import MANIFEST_COLUMNS
from reviewbook.workbook.paths import (
    DATA_ENV,
    MARKER,
    NOTEBOOKS_ENV,
    WORKBOOK_ENV,
    is_workbook,
)
from reviewbook.workbook.provenance import PACKAGE_NAME

TEMPLATES = "templates/workbook"
"""The files of a new workbook, package data beside this module."""
WORKBOOK_FILES: tuple[tuple[str, str], ...] = (
    ("README.md", "README.md"),
    ("Makefile", "Makefile"),
    ("gitignore", ".gitignore"),
    ("jupytext.toml", "jupytext.toml"),
    ("requirements.txt", "requirements.txt"),
    ("check.yml", ".github/workflows/check.yml"),
    ("annotations_README.md", "data/annotations/README.md"),
    ("00_index.md", "notebooks/00_index.md"),
    ("01_compare_reviews.md", "notebooks/01_compare_reviews.md"),
)
"""Template name → where it goes in the workbook."""
NOTEBOOKS: tuple[str, ...] = ("notebooks/01_compare_reviews.ipynb", "notebooks/00_index.ipynb")
"""The notebooks a new workbook starts with, in the order they run: the index last, since it
lists the notebooks there are."""


class InitError(ValueError):
    """The workbook cannot be made there (the folder is left as it was)."""


@dataclass(frozen=True, slots=True)
class CreatedWorkbook:
    """What `create_workbook` made: its folder and every file in it, relative to it."""

    root: Path
    files: tuple[str, ...]


def reviewbook_requirement(version: str | None = None) -> str:
    """What a workbook's ``requirements.txt`` names: this reviewbook, with the ``notebook``
    extra its commands and notebooks need (``reviewbook[notebook]==0.1.0``)."""
    return f"{PACKAGE_NAME}[notebook]=={version or installed_version()}"


def installed_version() -> str:
    """The version of reviewbook running now, as its installed metadata says."""
    return metadata.version(PACKAGE_NAME)


def python_version() -> str:
    """This Python's ``major.minor``: the workbook's CI runs the same."""
    return f"{sys.version_info.major}.{sys.version_info.minor}"


def filled(text: str, values: dict[str, str]) -> str:
    """A template's text with each ``@NAME@`` replaced by ``values[NAME]``."""
    for name, value in values.items():
        text = text.replace(f"@{name}@", value)
    return text


def in_the_way(folder: Path) -> list[str]:
    """The names a new workbook would write that ``folder`` already holds, sorted."""
    tops = {destination.split("/", 1)[0] for _, destination in WORKBOOK_FILES}
    tops |= {MARKER.parts[0]}
    return sorted(name for name in tops if os.path.lexists(folder / name))


def create_workbook(folder: Path, *, version: str | None = None) -> CreatedWorkbook:
    """Make an empty workbook in ``folder`` (created if missing; see the module's doc).

    Raises `InitError` when ``folder`` is a workbook already, holds any name a workbook is
    made of, or is not a folder; `runner.NotebookRunError` when a notebook fails to run
    (``folder`` is then left as it was). ``version`` is the reviewbook ``requirements.txt``
    names (default: the one running).
    """
    folder = folder.absolute()
    if is_workbook(folder):
        raise InitError(
            f"{folder}: already a reviewbook workbook ({MARKER.as_posix()} is there); "
            "`reviewbook add` adds reviews to it"
        )
    if folder.exists() and not folder.is_dir():
        raise InitError(f"{folder}: not a folder")
    taken = in_the_way(folder)
    if taken:
        raise InitError(
            f"{folder}: already holds {', '.join(taken)}; a workbook is made in an empty "
            "folder or a new one"
        )
    folder.parent.mkdir(parents=True, exist_ok=True)
    version = version or installed_version()
    values = {
        "REQUIREMENT": reviewbook_requirement(version),
        "VERSION": version,
        "PYTHON_VERSION": python_version(),
    }
    with tempfile.TemporaryDirectory(prefix=f".{folder.name}.init-", dir=folder.parent) as stage:
        staged = Path(stage) / folder.name
        staged.mkdir()  # as mkdir makes a folder, not private as the temporary one is
        written = write_files(staged, values)
        run_new_notebooks(staged)
        written += list(NOTEBOOKS)
        publish(staged, folder)
    trust_new_notebooks(folder)
    return CreatedWorkbook(folder, tuple(sorted(written)))


def write_files(root: Path, values: dict[str, str]) -> list[str]:
    """Write the manifest and every template into ``root``; the names written."""
    templates = resources.files("reviewbook.workbook").joinpath(TEMPLATES)
    manifest = root / MARKER
    manifest.parent.mkdir(parents=True)
    manifest.write_text(",".join(MANIFEST_COLUMNS) + "\n", encoding="utf-8")
    for template, destination in WORKBOOK_FILES:
        path = root / destination
        path.parent.mkdir(parents=True, exist_ok=True)
        text = templates.joinpath(template).read_text(encoding="utf-8")
        path.write_text(filled(text, values), encoding="utf-8")
    return [MARKER.as_posix(), *(destination for _, destination in WORKBOOK_FILES)]


def run_new_notebooks(root: Path) -> None:
    """Execute the new workbook's notebooks from their twins, with ``root`` as their workbook
    (whatever workbook this process has), writing each ``.ipynb`` beside its twin."""
    from reviewbook.workbook.runner import run_notebooks

    environment = {
        WORKBOOK_ENV: str(root),
        DATA_ENV: str(root / "data"),
        NOTEBOOKS_ENV: str(root / "notebooks"),
    }
    run_notebooks([root / name for name in NOTEBOOKS], environment=environment)


def publish(stage: Path, folder: Path) -> None:
    """Move what ``stage`` holds into ``folder``: in one rename when ``folder`` is new, else
    name by name (`in_the_way` made sure none is there)."""
    if not folder.exists():
        os.rename(stage, folder)
        return
    for entry in sorted(stage.iterdir()):
        shutil.move(str(entry), folder / entry.name)


def trust_new_notebooks(folder: Path) -> None:
    """Sign the new notebooks as trusted for this user's Jupyter: they are the package's own,
    made by this user, and a trusted index makes `reviewbook add` trust each new review's
    notebook too (`provenance.trust_kept`)."""
    from reviewbook.workbook.provenance import trust_notebooks

    trust_notebooks(folder / name for name in NOTEBOOKS)
