"""Checks on the project's own set-up: dependency lists and the data manifest."""

from __future__ import annotations

import csv
import hashlib
import re
import sys

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.utils import canonicalize_name

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

from tests.conftest import ROOT

PYPROJECT = ROOT / "pyproject.toml"
ENVIRONMENT = ROOT / "environment.yml"
PUBMED_DIR = ROOT / "data" / "pubmed"
MANIFEST = PUBMED_DIR / "manifest.csv"

MANIFEST_COLUMNS = ["pmid", "pubmed_url", "sha256", "file", "review"]
SEED_PMIDS = {"29037250", "21387299"}

# Conda entries that are not Python packages from pyproject.toml.
CONDA_ONLY = {"python", "pip"}
CONDA_NAMES = {"python-fastjsonschema": "fastjsonschema"}
"""conda-forge packages published under another name than on PyPI."""

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
    """Runtime dependencies plus the ``dev`` extra, keyed by normalised name.

    Environment markers are dropped: conda has none, so environment.yml lists such a
    package unconditionally (``tomli`` is only needed before Python 3.11, and harmless after).
    """
    project = _load_pyproject()["project"]
    lines = list(project["dependencies"]) + list(project["optional-dependencies"]["dev"])
    found: dict[str, frozenset[str]] = {}
    for line in lines:
        requirement = Requirement(line)
        name = canonicalize_name(requirement.name)
        assert name not in found, f"pyproject.toml lists {name!r} twice"
        found[name] = frozenset(str(clause) for clause in requirement.specifier)
    return found


def conda_requirements() -> dict[str, frozenset[str]]:
    """Conda dependencies of environment.yml (not python, pip or the pip section)."""
    found: dict[str, frozenset[str]] = {}
    for entry in _load_environment()["dependencies"]:
        if isinstance(entry, dict):  # the nested ``pip:`` section
            continue
        match = CONDA_SPEC.match(str(entry))
        assert match, f"environment.yml: cannot read the dependency {entry!r}"
        name = canonicalize_name(CONDA_NAMES.get(match["name"], match["name"]))
        if name in CONDA_ONLY:
            continue
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


def _show(spec: frozenset[str]) -> str:
    return ",".join(sorted(spec)) or "(any version)"


def test_environment_yml_matches_pyproject() -> None:
    pip_side = pyproject_requirements()
    conda_side = conda_requirements()

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


def test_environment_yml_python_matches_requires_python() -> None:
    requires_python = _specifier_key(_load_pyproject()["project"]["requires-python"])
    matches = [
        CONDA_SPEC.match(entry)
        for entry in _load_environment()["dependencies"]
        if isinstance(entry, str)
    ]
    pythons = [match for match in matches if match and match["name"] == "python"]
    assert len(pythons) == 1, "environment.yml must list python exactly once"
    assert _specifier_key(pythons[0]["spec"]) == requires_python, (
        f"environment.yml pins {pythons[0].string!r}, but pyproject.toml has "
        f"requires-python {_show(requires_python)}"
    )


def test_environment_yml_pip_section_installs_only_the_project() -> None:
    """Everything else comes from conda; a package here would hide from the comparison."""
    sections = [entry for entry in _load_environment()["dependencies"] if isinstance(entry, dict)]
    assert sections == [{"pip": ["-e ."]}], (
        f"environment.yml: expected the pip section to be exactly ['-e .'], found {sections!r}"
    )


# --- data manifest ------------------------------------------------------------------------------


def manifest_rows() -> list[dict[str, str]]:
    with MANIFEST.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        assert reader.fieldnames == MANIFEST_COLUMNS, (
            f"{MANIFEST.name}: columns are {reader.fieldnames}, expected {MANIFEST_COLUMNS}"
        )
        return list(reader)


def test_manifest_lists_the_seed_reviews() -> None:
    pmids = [row["pmid"] for row in manifest_rows()]
    assert len(pmids) == len(set(pmids)), f"{MANIFEST.name}: a PMID appears twice: {pmids}"
    missing = SEED_PMIDS - set(pmids)
    assert not missing, f"{MANIFEST.name} lacks the seed PMIDs {sorted(missing)}"


def test_manifest_urls_point_at_pubmed() -> None:
    wrong = [
        f"{row['pmid']}: {row['pubmed_url']!r}"
        for row in manifest_rows()
        if row["pubmed_url"] != f"https://pubmed.ncbi.nlm.nih.gov/{row['pmid']}/"
    ]
    assert not wrong, "PubMed URLs that do not match their PMID:\n" + "\n".join(wrong)


def test_manifest_rows_name_a_review() -> None:
    blank = [row["pmid"] for row in manifest_rows() if not row["review"].strip()]
    assert not blank, f"{MANIFEST.name}: no review citation for PMIDs {blank}"


def test_manifest_checksums_match_the_files() -> None:
    problems = []
    for row in manifest_rows():
        path = PUBMED_DIR / row["file"]
        if not path.is_file():
            problems.append(f"{row['pmid']}: file {row['file']!r} does not exist")
            continue
        actual = hashlib.sha256(path.read_bytes()).hexdigest()
        if actual != row["sha256"]:
            problems.append(f"{row['file']}: manifest sha256 {row['sha256']}, file has {actual}")
    assert not problems, "\n".join(problems)


def test_every_page_is_in_the_manifest() -> None:
    listed = {row["file"] for row in manifest_rows()}
    on_disk = {path.name for path in PUBMED_DIR.glob("*.txt")}
    unlisted = sorted(on_disk - listed)
    folder = PUBMED_DIR.relative_to(ROOT)
    assert not unlisted, f"pages in {folder} missing from {MANIFEST.name}: {unlisted}"
