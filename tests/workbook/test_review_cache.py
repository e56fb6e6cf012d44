"""Loaded reviews come back from the cache only while every file they were read from, and the
package's code, is unchanged; a damaged or unwritable cache only costs a new reading."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from reviewbook.workbook import review_cache, reviews
from reviewbook.workbook.review_cache import CACHE_ENV, cache_dir, entry_name
from reviewbook.workbook.reviews import load_review, read_saved_review
from tests.conftest import PUBMED, expected_article


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv(CACHE_ENV, str(folder))
    return folder


@pytest.fixture
def readings(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Every review read from its files rather than from the cache."""
    read: list[Path] = []
    real = reviews._read

    def counted(path: Path):  # type: ignore[no-untyped-def]
        read.append(path)
        return real(path)

    monkeypatch.setattr(reviews, "_read", counted)
    return read


@pytest.fixture
def pubmed(tmp_path: Path) -> Path:
    folder = tmp_path / "pubmed"
    shutil.copytree(PUBMED, folder)
    return folder


def test_a_review_read_again_comes_from_the_cache_and_equals_the_first(
    cache: Path, readings: list[Path], pubmed: Path
) -> None:
    first = load_review("29037250", pubmed)
    again = load_review("29037250", pubmed)
    assert readings == [pubmed / "29037250.txt"]
    assert again == first
    assert again.warnings == first.warnings
    assert [path.name for path in cache.iterdir()] == [
        entry_name("29037250", [pubmed / "29037250.txt", *_completion(pubmed, "29037250")])
    ]


def _completion(folder: Path, pmid: str) -> list[Path]:
    return [folder / f"{pmid}.cited.xml", folder / f"{pmid}.idconv.json"]


def test_the_cached_review_is_the_one_the_reader_gives(cache: Path, pubmed: Path) -> None:
    load_review("21387299", pubmed)
    cached = load_review("21387299", pubmed)
    read = reviews._read(pubmed / "21387299.txt")
    assert cached == read
    assert [str(problem) for problem in cached.warnings] == [str(p) for p in read.warnings]
    assert cached.title == expected_article("21387299").title


def test_a_changed_source_is_read_again_and_its_old_entry_removed(
    cache: Path, readings: list[Path], pubmed: Path
) -> None:
    page = pubmed / "29037250.txt"
    load_review("29037250", pubmed)
    old_entries = sorted(cache.iterdir())
    page.write_text(page.read_text(encoding="utf-8").replace("friend or foe", "friend or fiend"))
    changed = load_review("29037250", pubmed)
    assert readings == [page, page]
    assert "fiend" in changed.title
    entries = sorted(cache.iterdir())
    assert len(entries) == 1 and entries != old_entries


def test_stored_cited_records_appearing_are_a_change(
    cache: Path, readings: list[Path], pubmed: Path
) -> None:
    load_review("29037250", pubmed)
    (pubmed / "29037250.idconv.json").write_text('{"records": []}', encoding="utf-8")
    load_review("29037250", pubmed)
    assert len(readings) == 2


def test_new_package_code_retires_every_entry(
    cache: Path, readings: list[Path], pubmed: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    load_review("29037250", pubmed)
    monkeypatch.setattr(review_cache, "code_digest", lambda: "a newer reviewbook")
    load_review("29037250", pubmed)
    assert len(readings) == 2


@pytest.mark.parametrize("damage", [b"", b"not a pickle", b"\x80\x05K\x01."])
def test_a_damaged_or_foreign_entry_is_read_again_and_replaced(
    cache: Path, readings: list[Path], pubmed: Path, damage: bytes
) -> None:
    first = load_review("29037250", pubmed)
    (entry,) = cache.iterdir()
    entry.write_bytes(damage)
    assert load_review("29037250", pubmed) == first
    assert load_review("29037250", pubmed) == first
    assert len(readings) == 2
    assert entry.read_bytes() != damage


def test_a_cache_folder_that_is_a_file_costs_only_a_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, readings: list[Path], pubmed: Path
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    monkeypatch.setenv(CACHE_ENV, str(blocker))
    first = read_saved_review(pubmed / "29037250.txt")
    assert read_saved_review(pubmed / "29037250.txt") == first
    assert len(readings) == 2
    assert blocker.read_text() == ""


def test_the_cache_folder_follows_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(CACHE_ENV)
    monkeypatch.setenv("XDG_CACHE_HOME", "/somewhere/cache")
    assert cache_dir() == Path("/somewhere/cache/reviewbook/reviews")
    monkeypatch.setenv(CACHE_ENV, "/elsewhere")
    assert cache_dir() == Path("/elsewhere")
