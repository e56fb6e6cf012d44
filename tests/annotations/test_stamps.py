"""When claims and reference notes were created and changed: read, checked, set by the store."""

from __future__ import annotations

import dataclasses
import re
import shutil
from pathlib import Path

import pytest

from reviewbook.annotations import store
from reviewbook.annotations.anchoring import Quote
from reviewbook.annotations.loading import load_annotations, loads_annotations
from reviewbook.annotations.model import (
    STAMP_PATTERN,
    Agent,
    AnnotationsInvalid,
    Claim,
    stamp_date_exists,
    stamp_instant,
)
from reviewbook.annotations.store import save_annotations, update_reference_note, upsert_claim
from tests.annotations.conftest import ANNOTATIONS, JANSSEN, file_errors

LATER = "2026-12-08T09:15:00Z"


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The store's clock: each save takes the next time of the list (the last one repeats)."""
    times = ["2026-12-07T12:00:00Z", LATER]

    def next_time() -> str:
        return times.pop(0) if len(times) > 1 else times[0]

    monkeypatch.setattr(store, "current_stamp", next_time)
    return times


def test_the_seed_files_stamp_every_claim_and_note_and_name_their_creator() -> None:
    annotations = load_annotations(ANNOTATIONS / "29037250.yaml")
    entries = (*annotations.claims, *annotations.references)
    assert len(entries) == 12
    assert {(entry.created, entry.modified) for entry in entries} == {
        ("2026-11-23T10:35:06Z", "2026-11-23T10:35:06Z")
    }
    assert annotations.creator == Agent("The reviewbook developers", "Organization")
    assert annotations.line_of("claims[0].created") == 22


def test_stamps_and_creator_round_trip_through_a_save_byte_for_byte(tmp_path: Path) -> None:
    path = tmp_path / "29037250.yaml"
    shutil.copy(ANNOTATIONS / "29037250.yaml", path)
    before = path.read_bytes()
    saved = save_annotations(load_annotations(path), article=JANSSEN)
    assert path.read_bytes() == before
    assert saved.claims == load_annotations(ANNOTATIONS / "29037250.yaml").claims


def test_the_store_stamps_a_new_claim_and_restamps_only_the_one_that_changed(
    copy_of, clock: list[str]
) -> None:
    path = copy_of("valid_with_comments.yaml")
    new = Claim(
        "host-cells",
        "Host cells shape every step.",
        Quote("influenced by non-malignant host cells"),
        "abstract",
    )
    upsert_claim(path, new, article=JANSSEN)
    assert "    created: '2026-12-07T12:00:00Z'\n    modified: '2026-12-07T12:00:00Z'\n" in (
        path.read_text(encoding="utf-8")
    )
    first = load_annotations(path)
    changed = dataclasses.replace(first.claims[2], statement="Host cells shape each step.")
    saved = save_annotations(dataclasses.replace(first, claims=(*first.claims[:2], changed)), path)
    assert [(claim.created, claim.modified) for claim in saved.claims] == [
        (None, None),
        (None, None),
        ("2026-12-07T12:00:00Z", LATER),
    ]
    assert load_annotations(path).claims == saved.claims


def test_a_changed_entry_without_stamps_gets_modified_but_no_invented_created(
    copy_of, clock: list[str]
) -> None:
    path = copy_of("valid_with_comments.yaml")
    saved = update_reference_note(path, 2, tags=["hallmarks"])
    assert (saved.references[0].created, saved.references[0].modified) == (
        None,
        "2026-12-07T12:00:00Z",
    )
    again = update_reference_note(path, 2, tags=["hallmarks"])
    assert again.references[0].modified == "2026-12-07T12:00:00Z"


def test_a_creator_is_saved_after_the_pmid(copy_of) -> None:
    path = copy_of("valid_with_comments.yaml")
    annotations = load_annotations(path)
    save_annotations(dataclasses.replace(annotations, creator=Agent("A. Reader")), path)
    text = path.read_text(encoding="utf-8")
    assert "# the Janssen review\ncreator:\n  name: A. Reader\n  type: Person\nclaims:\n" in text
    assert load_annotations(path).creator == Agent("A. Reader")


def test_malformed_stamps_are_reported_with_file_line_and_field() -> None:
    assert file_errors("malformed_stamps.yaml") == [
        (
            9,
            "claims[0].created",
            "a date and time with its time zone, like 2026-12-07T14:30:00Z (quoted), "
            "not '2026-12-07 14:30'",
        ),
        (
            10,
            "claims[0].modified",
            "'2026-02-30T10:00:00Z' names no real day: the date does not exist",
        ),
        (
            14,
            "references[0].created",
            "a date and time with its time zone, like 2026-12-07T14:30:00Z (quoted), "
            "not '2026-12-07T14:30:00'",
        ),
    ]


def test_an_unquoted_stamp_is_refused_with_its_line() -> None:
    text = 'pmid: "29037250"\nreferences:\n  - index: 2\n    note: x\n'
    text += "    created: 2026-12-07T14:30:00Z\n"
    with pytest.raises(AnnotationsInvalid) as refused:
        loads_annotations(text, "notes.yaml")
    assert str(refused.value) == (
        "notes.yaml:5: yaml: tag !!timestamp is not allowed: only mappings, lists, strings, "
        "numbers, booleans and null (quote a value to keep it as text)"
    )


@pytest.mark.parametrize(
    ("stamp", "valid"),
    [
        ("2026-12-07T14:30:00Z", True),
        ("2026-12-07T14:30:00.250+01:00", True),
        ("2024-02-29T23:59:59-05:00", True),
        ("2026-02-29T00:00:00Z", False),
        ("2026-04-31T00:00:00Z", False),
        ("2026-12-07T24:00:00Z", False),
        ("2026-12-07T14:30:00Z\n", False),
    ],
)
def test_a_stamp_is_a_real_date_and_time_with_its_time_zone(stamp: str, valid: bool) -> None:
    assert stamp_date_exists(stamp) is valid


def test_the_store_clock_writes_utc_to_the_second() -> None:
    assert re.fullmatch(STAMP_PATTERN, store.current_stamp())
    assert store.current_stamp().endswith("Z")


def test_the_latest_of_stamps_in_several_time_zones_is_the_latest_moment() -> None:
    stamps = ["2026-12-07T10:00:00+02:00", "2026-12-07T09:30:00Z", "2026-12-07T09:00:00.5Z"]
    assert max(stamps, key=stamp_instant) == "2026-12-07T09:30:00Z"
    assert max(stamps) == "2026-12-07T10:00:00+02:00"  # what comparing the text would pick
    assert stamp_instant("2026-12-07T09:00:00.5Z") > stamp_instant("2026-12-07T09:00:00.25Z")
