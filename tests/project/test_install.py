"""Installed as a user installs it: the wheel, in a fresh venv outside the repository.

``pip install reviewbook`` (lean) reads files and exports them anywhere without JupyterLab, Dask,
pyarrow or DuckDB; a workbook command there names the extra it needs in one line. With the
``notebook`` extra, ``reviewbook init`` then ``reviewbook add`` make a workbook that passes its
own check, and nothing is written inside the venv. Versions are the lock's (``-c
requirements/lock.txt``), as ``make test`` installs them. Slow (a few minutes: two venvs),
shared by the module's tests.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import ROOT, SEED_WORKBOOK

LOCK = ROOT / "requirements" / "lock.txt"
SHARED_FIXTURE = ROOT.parent / "shared" / "fixtures" / "pubmed_xml" / "pubmed-29768149.xml"
"""A PubMed XML record from outside the project; the seed workbook's saved page stands in
where it is missing."""
HEAVY = ("jupyterlab", "ipywidgets", "nbformat", "jupytext", "dask", "distributed", "pyarrow")
HEAVY += ("duckdb",)
PIP_OPTIONS = ("--disable-pip-version-check", "-c", str(LOCK))
"""Every install takes the lock's versions, as `make test` does."""
NOT_INSIDE = (
    "reviewbook: not inside a reviewbook workbook (no data/pubmed/manifest.csv here or above); "
    "run `reviewbook init DIR` or pass --workbook DIR\n"
)


def _pip(venv: Path, *arguments: str) -> None:
    subprocess.run(
        [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", *PIP_OPTIONS, *arguments],
        check=True,
        capture_output=True,
    )


def _venv(folder: Path) -> Path:
    subprocess.run([sys.executable, "-m", "venv", str(folder)], check=True)
    return folder


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project's wheel, built as a release builds it (isolated, by its build backend)."""
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(out), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (built,) = out.glob("reviewbook-*.whl")
    return built


@pytest.fixture(scope="module")
def lean(tmp_path_factory: pytest.TempPathFactory, wheel: Path) -> Path:
    """A venv with ``pip install reviewbook`` (the wheel, no extra)."""
    venv = _venv(tmp_path_factory.mktemp("lean") / "venv")
    _pip(venv, str(wheel))
    return venv


@pytest.fixture(scope="module")
def with_notebook(tmp_path_factory: pytest.TempPathFactory, wheel: Path) -> Path:
    """A venv with ``pip install 'reviewbook[notebook]'``."""
    venv = _venv(tmp_path_factory.mktemp("notebook") / "venv")
    _pip(venv, f"reviewbook[notebook] @ {wheel.as_uri()}")
    return venv


def _user_environment(venv: Path, home: Path) -> dict[str, str]:
    """A user's shell with the venv activated: no workbook named, a home of its own, and NCBI
    at a closed port (so `add` is offline and quick, whatever the machine)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{probe.getsockname()[1]}"
    home.mkdir(exist_ok=True)
    environment = {
        name: value for name, value in os.environ.items() if not name.startswith("REVIEWBOOK_")
    }
    return environment | {
        "PATH": f"{venv / 'bin'}{os.pathsep}{environment.get('PATH', '')}",
        "VIRTUAL_ENV": str(venv),
        "HOME": str(home),
        "XDG_CACHE_HOME": str(home / ".cache"),
        "XDG_DATA_HOME": str(home / ".local" / "share"),
        "JUPYTER_DATA_DIR": str(home / ".local" / "share" / "jupyter"),
        "REVIEWBOOK_EUTILS_URL": f"{closed}/entrez/eutils/",
        "REVIEWBOOK_IDCONV_URL": f"{closed}/tools/idconv/api/v1/articles/",
    }


def _reviewbook(
    venv: Path, home: Path, cwd: Path, *arguments: str
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(venv / "bin" / "reviewbook"), *arguments],
        cwd=cwd,
        env=_user_environment(venv, home),
        capture_output=True,
        text=True,
        timeout=1800,
    )


def _installed(venv: Path, modules: tuple[str, ...]) -> list[str]:
    script = (
        "import importlib.util, sys; "
        "print(' '.join(m for m in sys.argv[1:] if importlib.util.find_spec(m)))"
    )
    found = subprocess.run(
        [str(venv / "bin" / "python"), "-c", script, *modules],
        check=True,
        capture_output=True,
        text=True,
    )
    return found.stdout.split()


def _venv_files(venv: Path) -> dict[str, int]:
    """Every file of the venv but bytecode caches (Python writes those as it imports), with
    its size."""
    return {
        str(path.relative_to(venv)): path.stat().st_size
        for path in venv.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    }


def _source(folder: Path) -> Path:
    """A review file to add, copied into ``folder``."""
    original = SHARED_FIXTURE
    if not original.is_file():
        original = SEED_WORKBOOK / "data" / "pubmed" / "29037250.txt"
    return Path(shutil.copy(original, folder / original.name))


def test_the_wheel_holds_every_file_of_the_package(wheel: Path) -> None:
    """Nothing of ``src/reviewbook`` is left out (a ``.gitignore`` pattern would do it)."""
    package = ROOT / "src"
    expected = {
        path.relative_to(package).as_posix()
        for path in (package / "reviewbook").rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    }
    with zipfile.ZipFile(wheel) as archive:
        held = {name for name in archive.namelist() if name.startswith("reviewbook/")}
    assert sorted(expected - held) == []


def test_the_lean_install_reads_and_exports_without_the_notebook_machinery(
    lean: Path, tmp_path: Path
) -> None:
    assert _installed(lean, HEAVY) == []
    page = Path(shutil.copy(SEED_WORKBOOK / "data" / "pubmed" / "29037250.txt", tmp_path))
    parsed = _reviewbook(lean, tmp_path / "home", tmp_path, "parse", page.name, "--format", "json")
    assert parsed.returncode == 0, parsed.stderr
    assert '"pmid": "29037250"' in parsed.stdout
    references = _reviewbook(
        lean, tmp_path / "home", tmp_path, "parse", page.name, "--references", "--format", "csv"
    )
    assert references.returncode == 0, references.stderr
    assert references.stdout.splitlines()[0].startswith("review_pmid,index,raw,")
    assert len(references.stdout.splitlines()) == 6  # the header and the page's 5 references
    for export_format, opening in (("ris", "TY  - "), ("bibtex", "@")):
        exported = _reviewbook(
            lean, tmp_path / "home", tmp_path, "export", page.name, "--format", export_format
        )
        assert exported.returncode == 0, exported.stderr
        assert sum(line.startswith(opening) for line in exported.stdout.splitlines()) == 5
    assert sorted(path.name for path in tmp_path.iterdir()) == ["29037250.txt", "home"]


@pytest.mark.parametrize("command", [["init", "ws"], ["check"], ["notebooks", "check"]])
def test_a_workbook_command_of_the_lean_install_names_the_extra_it_needs(
    lean: Path, tmp_path: Path, command: list[str]
) -> None:
    workbook = shutil.copytree(SEED_WORKBOOK, tmp_path / "workbook")
    before = sorted(path.name for path in Path(workbook).rglob("*"))
    result = _reviewbook(lean, tmp_path / "home", Path(workbook), *command)
    assert result.returncode == 2
    assert result.stdout == ""
    missing = result.stderr.split("(", 1)[1].split(" ", 1)[0]
    assert result.stderr == (
        f"reviewbook: `reviewbook {command[0]}` needs the 'notebook' extra ({missing} is not "
        "installed): pip install 'reviewbook[notebook]'\n"
    )
    assert sorted(path.name for path in Path(workbook).rglob("*")) == before


def test_with_the_notebook_extra_a_new_workbook_grows_and_passes_its_check(
    with_notebook: Path, tmp_path: Path
) -> None:
    installed = _venv_files(with_notebook)
    home = tmp_path / "home"
    source = _source(tmp_path)
    made = _reviewbook(with_notebook, home, tmp_path, "init", "ws")
    assert made.returncode == 0, made.stderr
    workbook = tmp_path / "ws"
    added = _reviewbook(with_notebook, home, workbook, "add", str(source))
    assert added.returncode == 0, added.stderr
    assert added.stdout.startswith("added PMID ")
    checked = _reviewbook(with_notebook, home, workbook / "notebooks", "check")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert checked.stderr.splitlines()[-1].startswith("checked 1 review, 1 annotation file and 3 ")
    assert sorted(path.name for path in (workbook / "notebooks").glob("*.ipynb"))[:2] == [
        "00_index.ipynb",
        "01_compare_reviews.ipynb",
    ]
    assert _venv_files(with_notebook) == installed


def test_outside_a_workbook_add_says_how_to_make_one(with_notebook: Path, tmp_path: Path) -> None:
    source = _source(tmp_path)
    result = _reviewbook(with_notebook, tmp_path / "home", tmp_path, "add", source.name)
    assert (result.returncode, result.stdout, result.stderr) == (2, "", NOT_INSIDE)
    assert sorted(path.name for path in tmp_path.iterdir()) == ["home", source.name]
