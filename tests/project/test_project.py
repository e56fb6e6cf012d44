"""Checks on the project's own set-up: dependency lists, lock and floors.

(The workbook's manifest is the workbook's own check: `reviewbook.workbook.checking`.)"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import Version

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

from tests.conftest import ROOT

PYPROJECT = ROOT / "pyproject.toml"
ENVIRONMENT = ROOT / "environment.yml"
LOCK = ROOT / "requirements" / "lock.txt"
FLOORS = ROOT / "requirements" / "floors.txt"

EXTRAS = ("notebook", "corpus", "dev", "site")
"""The extras environment.yml, the lock and the floors cover besides the runtime list (``all``
and ``dev`` name the others as ``reviewbook[...]``; ``bench`` repeats one of dev's)."""
LEAN_FORBIDDEN = ("ipywidgets", "jupyterlab", "jupytext", "nbformat", "nbclient", "dask")
LEAN_FORBIDDEN += ("pyarrow", "duckdb", "pytest", "nbval", "sphinx")
"""Packages ``pip install reviewbook`` must not pull in: they belong to an extra."""

# Conda entries that are not Python packages from pyproject.toml.
CONDA_ONLY = {"python", "pip"}
CONDA_NAMES = {"python-duckdb": "duckdb"}
"""conda-forge packages published under another name than on PyPI."""

ON_CONDA_FORGE = {
    # Checked 2026-11-30 against conda-forge's own records: the feedstock's recipe
    # (github.com/conda-forge/NAME-feedstock, recipe/meta.yaml or recipe.yaml) or the
    # channel's package page (anaconda.org/conda-forge/NAME), each at or above our floor.
    "pandas", "numpy", "tqdm", "ipywidgets", "jupyterlab", "jupytext", "nbformat",
    "nbclient", "biopython", "lxml", "filelock", "jsonschema", "pyyaml", "pytest",
    "hypothesis", "ruff", "packaging", "tomli", "sphinx", "ruamel.yaml",  # feedstock recipes
    "nbval",  # channel page: 0.11.0
    "ftfy",  # channel page: 6.3.1
    "check-jsonschema",  # channel page: 0.37.0
    "myst-nb",  # channel page: 1.4.0
    "sphinx-book-theme",  # channel page: 1.2.0
    # Checked 2026-11-30 with the docs search: dask's install guide (docs.dask.org, "conda install
    # dask -c conda-forge" brings distributed too), pyarrow's install guide (arrow.apache.org,
    # "conda install -c conda-forge pyarrow"), the channel page anaconda.org/conda-forge/
    # python-duckdb (1.4.4; PyPI's duckdb; conda-forge's "duckdb" is a noarch wrapper).
    "dask", "pyarrow", "python-duckdb",
    # Checked 2026-12-07 with the docs search: the channel page anaconda.org/conda-forge/
    # anyascii (noarch 0.3.2 and 0.3.3).
    "anyascii",
}  # fmt: skip
"""conda-forge names environment.yml may list, and where each was checked."""

PIP_ONLY = {
    "bibtexparser": "conda-forge has 1.x only (feedstock recipe 1.4.2); we need 2.x",
    "rispy": "no conda-forge feedstock",
    "citeproc-py": "conda-forge has 0.8 to 0.9.3 (channel page, feedstock recipe); we need 0.11",
    "playwright": "conda-forge's playwright is the Node.js tool, not the Python package",
    "pubmed-parser": "no conda-forge feedstock found (checked 2026-12-07); its README uses pip",
    "ahocorasick-rs": (
        "no conda-forge package found (checked 2026-12-08: anaconda.org has pyahocorasick, not "
        "ahocorasick_rs); its README installs with pip"
    ),
}
"""Dependencies environment.yml installs with pip, and why conda cannot provide them."""

# A conda match spec as written in environment.yml: a name, then an optional version spec.
CONDA_SPEC = re.compile(r"^\s*(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)\s*(?P<spec>.*?)\s*$")


# --- dependency lists ---------------------------------------------------------------------------


def _load_pyproject() -> dict:
    with PYPROJECT.open("rb") as handle:
        return tomllib.load(handle)


def _load_environment() -> dict:
    with ENVIRONMENT.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def _specifier_key(spec: str) -> frozenset[str]:
    """The set of single clauses of a version specifier, order- and space-insensitive."""
    return frozenset(str(clause) for clause in SpecifierSet(spec))


def pyproject_requirements() -> dict[str, frozenset[str]]:
    """Runtime dependencies plus the ``EXTRAS``, keyed by normalised name.

    Environment markers are dropped: conda has none, so environment.yml lists such a
    package unconditionally (``tomli`` is only needed before Python 3.11, and harmless after).
    """
    project = _load_pyproject()["project"]
    lines = list(project["dependencies"])
    for extra in EXTRAS:
        lines += project["optional-dependencies"][extra]
    found: dict[str, frozenset[str]] = {}
    for line in lines:
        requirement = Requirement(line)
        name = canonicalize_name(requirement.name)
        if name == "reviewbook":
            continue  # an extra naming other extras, whose packages are listed there
        assert name not in found, f"pyproject.toml lists {name!r} twice"
        found[name] = frozenset(str(clause) for clause in requirement.specifier)
    return found


def _conda_entries() -> list[str]:
    return [str(entry) for entry in _load_environment()["dependencies"] if isinstance(entry, str)]


def _pip_entries() -> list[str]:
    sections = [entry for entry in _load_environment()["dependencies"] if isinstance(entry, dict)]
    assert len(sections) == 1 and list(sections[0]) == ["pip"], (
        f"environment.yml: expected one pip section, found {sections!r}"
    )
    return [str(entry) for entry in sections[0]["pip"]]


def conda_requirements() -> dict[str, frozenset[str]]:
    """Conda dependencies of environment.yml (not python or pip), keyed by their PyPI name."""
    found: dict[str, frozenset[str]] = {}
    for entry in _conda_entries():
        match = CONDA_SPEC.match(entry)
        assert match, f"environment.yml: cannot read the dependency {entry!r}"
        if match["name"] in CONDA_ONLY:
            continue
        name = canonicalize_name(CONDA_NAMES.get(match["name"], match["name"]))
        try:
            key = _specifier_key(match["spec"])
        except InvalidSpecifier:
            pytest.fail(
                f"environment.yml: {entry!r} uses a version spec that is not also valid in "
                "pyproject.toml; write it as a PEP 440 specifier such as 'pandas>=2.2'"
            )
        assert name not in found, f"environment.yml lists {name!r} twice"
        found[name] = key
    return found


def pip_requirements() -> dict[str, frozenset[str]]:
    """The pip section of environment.yml, less the project itself, keyed by name."""
    found: dict[str, frozenset[str]] = {}
    for entry in _pip_entries():
        if entry == "-e .":
            continue
        requirement = Requirement(entry)
        found[canonicalize_name(requirement.name)] = frozenset(map(str, requirement.specifier))
    return found


def _show(spec: frozenset[str]) -> str:
    return ",".join(sorted(spec)) or "(any version)"


def test_environment_yml_matches_pyproject() -> None:
    pip_side = pyproject_requirements()
    conda_side = conda_requirements()
    both = pip_requirements()
    overlap = sorted(conda_side.keys() & both.keys())
    assert not overlap, f"environment.yml installs {overlap} with both conda and pip"
    conda_side |= both

    problems = []
    for name in sorted(pip_side.keys() - conda_side.keys()):
        problems.append(f"only in pyproject.toml: {name} {_show(pip_side[name])}")
    for name in sorted(conda_side.keys() - pip_side.keys()):
        problems.append(f"only in environment.yml: {name} {_show(conda_side[name])}")
    for name in sorted(pip_side.keys() & conda_side.keys()):
        if pip_side[name] != conda_side[name]:
            problems.append(
                f"{name}: pyproject.toml says {_show(pip_side[name])}, "
                f"environment.yml says {_show(conda_side[name])}"
            )
    assert not problems, "environment.yml and pyproject.toml disagree:\n" + "\n".join(problems)


def test_environment_yml_asks_conda_forge_only_for_what_it_has() -> None:
    """conda cannot solve a name conda-forge lacks; those go in the pip section, with a reason."""
    names = {CONDA_SPEC.match(entry)["name"] for entry in _conda_entries()} - CONDA_ONLY
    unknown = sorted(names - ON_CONDA_FORGE)
    assert not unknown, (
        f"environment.yml asks conda-forge for {unknown}: check each there, then list it in "
        "ON_CONDA_FORGE, or move it to the pip section and say why in PIP_ONLY"
    )
    unexplained = sorted(pip_requirements().keys() - PIP_ONLY.keys())
    assert not unexplained, f"environment.yml's pip section has {unexplained} without a reason"
    available = sorted(
        name for name in pip_requirements() if canonicalize_name(name) in ON_CONDA_FORGE
    )
    assert not available, f"{available} are on conda-forge: list them as conda packages"


def test_environment_yml_python_matches_requires_python() -> None:
    requires_python = _specifier_key(_load_pyproject()["project"]["requires-python"])
    matches = [CONDA_SPEC.match(entry) for entry in _conda_entries()]
    pythons = [match for match in matches if match and match["name"] == "python"]
    assert len(pythons) == 1, "environment.yml must list python exactly once"
    assert _specifier_key(pythons[0]["spec"]) == requires_python, (
        f"environment.yml pins {pythons[0].string!r}, but pyproject.toml has "
        f"requires-python {_show(requires_python)}"
    )


def test_environment_yml_installs_the_project_last() -> None:
    assert _pip_entries()[-1] == "-e .", "environment.yml: the pip section must end with '-e .'"


def _extra(name: str) -> list[Requirement]:
    return [
        Requirement(line) for line in _load_pyproject()["project"]["optional-dependencies"][name]
    ]


def test_the_plain_install_is_lean() -> None:
    """``pip install reviewbook`` reads, tables and exports; the notebooks, the workbook
    commands and the corpus come with extras (a missing one is named by the command)."""
    runtime = {
        canonicalize_name(Requirement(line).name)
        for line in _load_pyproject()["project"]["dependencies"]
    }
    assert sorted(runtime & set(LEAN_FORBIDDEN)) == []
    notebook = {canonicalize_name(requirement.name) for requirement in _extra("notebook")}
    assert {"jupyterlab", "ipywidgets", "jupytext", "nbformat", "nbclient"} <= notebook
    assert {"pytest", "nbval"} <= notebook  # `reviewbook check` runs nbval under pytest
    corpus = {canonicalize_name(requirement.name) for requirement in _extra("corpus")}
    assert corpus == {"dask", "pyarrow", "duckdb"}


def test_all_and_dev_name_the_extras_they_include() -> None:
    included = {
        extra: sorted(
            ",".join(sorted(requirement.extras))
            for requirement in _extra(extra)
            if requirement.name == "reviewbook"
        )
        for extra in ("all", "dev")
    }
    assert included == {"all": ["corpus,notebook,site"], "dev": ["corpus,notebook"]}


def test_the_metadata_names_licence_authors_and_topic() -> None:
    project = _load_pyproject()["project"]
    assert project["license"] == "MIT"
    assert project["license-files"] == ["LICENSE"]
    assert project["authors"] == [{"name": "The reviewbook developers"}]  # as CITATION.cff
    assert "Topic :: Scientific/Engineering :: Bio-Informatics" in project["classifiers"]
    pythons = {
        classifier.rsplit(" :: ", 1)[1]
        for classifier in project["classifiers"]
        if re.fullmatch(r"Programming Language :: Python :: 3\.\d+", classifier)
    }
    assert pythons == {"3.10", "3.11", "3.12", "3.13"}
    assert _load_pyproject()["build-system"]["requires"] == ["hatchling>=1.27"]  # PEP 639


# --- lock and floors ----------------------------------------------------------------------------


def _pins(path: Path) -> dict[str, list[Requirement]]:
    """The ``name==version`` lines of a requirements file, by name (markers may repeat one)."""
    pins: dict[str, list[Requirement]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            requirement = Requirement(line)
            pins.setdefault(canonicalize_name(requirement.name), []).append(requirement)
    return pins


def _pinned_version(requirement: Requirement) -> str:
    clauses = list(requirement.specifier)
    assert len(clauses) == 1 and clauses[0].operator == "==", f"not a pin: {requirement}"
    return clauses[0].version


def _applies(requirement: Requirement, environment: dict[str, str]) -> bool:
    return requirement.marker is None or requirement.marker.evaluate(environment)


@pytest.mark.parametrize("python", ["3.10", "3.11", "3.12", "3.13"])
def test_lock_pins_every_dependency_within_its_range(python: str) -> None:
    """requirements/lock.txt (``make lock``) holds one version of each, allowed by pyproject."""
    environment = {"python_version": python, "python_full_version": f"{python}.0"}
    pins = _pins(LOCK)
    problems = []
    for name, spec in pyproject_requirements().items():
        if name == "tomli" and python != "3.10":
            continue
        chosen = [req for req in pins.get(name, []) if _applies(req, environment)]
        if len(chosen) != 1:
            problems.append(f"{name}: {len(chosen)} pins apply on Python {python}")
        elif not SpecifierSet(",".join(spec)).contains(_pinned_version(chosen[0])):
            problems.append(f"{name}: locked {chosen[0]} is outside {_show(spec)}")
    assert not problems, "requirements/lock.txt is stale; run `make lock`:\n" + "\n".join(problems)


def test_floors_pin_each_declared_minimum() -> None:
    """requirements/floors.txt pins exactly the lowest version pyproject.toml allows."""
    floors = {name: reqs[0] for name, reqs in _pins(FLOORS).items()}
    problems = []
    for name, spec in pyproject_requirements().items():
        minimums = [
            clause.version for clause in SpecifierSet(",".join(spec)) if clause.operator == ">="
        ]
        if name not in floors:
            problems.append(f"{name}: no floor")
        elif len(minimums) != 1 or Version(_pinned_version(floors[name])) != Version(minimums[0]):
            problems.append(f"{name}: floor {floors[name]}, pyproject.toml says {_show(spec)}")
    extra = sorted(floors.keys() - pyproject_requirements().keys())
    problems += [f"{name}: floor of a package pyproject.toml does not list" for name in extra]
    assert not problems, "requirements/floors.txt and pyproject.toml disagree:\n" + "\n".join(
        problems
    )
