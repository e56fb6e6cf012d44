"""What the editor saves, the check accepts and reads back exactly.

The editor saves through `store.upsert_claim` and `store.update_reference_note`; the check
reads with `loading.load_annotations`. Texts full of YAML's own marks (``<<``, ``&a``, ``? ``,
``#`` ...) are written into files whose entries are block or flow mappings, then read back.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from reviewbook.annotations.anchoring import Quote
from reviewbook.annotations.loading import load_annotations
from reviewbook.annotations.model import Annotations, AnnotationsInvalid, Claim
from reviewbook.annotations.schema import annotations_schema
from reviewbook.annotations.store import update_reference_note, upsert_claim
from reviewbook.annotations.yaml_io import MAX_DEPTH
from tests.conftest import EXAMPLES

STARTS = {
    "block": 'pmid: "29037250"\nclaims: []\nreferences: []\n',
    "flow": (
        'pmid: "29037250"\n'
        "claims: [{id: c1, statement: s, quote: {exact: q, prefix: p}, location: abstract}]\n"
        "references: [{index: 1, note: n, tags: [t]}]\n"
    ),
}
"""Files the editor saves into: new entries are written as blocks; entries already written
as flow mappings stay flow mappings, where YAML reads plain text by stricter rules."""
MARKS = [
    "<<", "<< ", "<<: ", "&a", "*a", "!tag", "!!str ", "? ", "?", "- ", "-", ": ", ":", "#",
    " #", "'", '"', "[", "]", "{", "}", ",", "|", ">", "%", "@", "`", "---", "...", "=", "~",
    "null", "yes", "1", "0x1F", "1e3", ".inf", "2020-01-01", " ", "  ", "\t", "\n", "\r\n",
    "\x85", "\u2028", "é", "\u00a0", "\ufeff", "\U0001f9ec", "a", "cell",
]  # fmt: skip
"""Pieces of text with a meaning in YAML, and ordinary ones around them."""
TEXTS = st.lists(st.sampled_from(MARKS) | st.text(max_size=3), max_size=6).map("".join)
TAG_SCHEMA = annotations_schema()["$defs"]["reference"]["properties"]["tags"]["items"]


def as_tag(text: str) -> str | None:
    """``text`` as the editor saves it as a tag (spaces collapsed), if it may be one."""
    tag = " ".join(text.split())
    fits = len(tag) <= TAG_SCHEMA["maxLength"] and re.search(TAG_SCHEMA["pattern"], tag)
    return tag if fits else None


def saved(start: str, path: Path, text: str, other: str) -> Annotations:
    """``text`` saved as the editor saves it, into a file holding ``start``: a claim's
    statement and quote (``other`` as its prefix and suffix), then a reference's note and tag,
    each save reading the file the one before wrote; then the file as the check reads it."""
    path.write_text(start, encoding="utf-8")
    if text.strip():
        claim = Claim("c1", text, Quote(text, other, other), "abstract")
        upsert_claim(path, claim)
    tags = [text] if as_tag(text) else None
    if text.strip() or tags:
        update_reference_note(path, 1, note=text, tags=tags)
    return load_annotations(path)


def assert_read_back(annotations: Annotations, text: str, other: str) -> None:
    """The check reads back the exact texts saved (a note is saved stripped, a tag with its
    spaces collapsed, as the editor's own cleaning does)."""
    if text.strip():
        claim = annotations.claims[0]
        assert (claim.statement, claim.quote) == (text, Quote(text, other, other))
        assert annotations.references[0].note == text.strip()
    if (tag := as_tag(text)) is not None:
        assert annotations.references[0].tags == (tag,)


HOSTILE = [
    "<<", "<< x", "<<: {a: 1}", "x: <<", "? <<", "?a", ":a", ": a", "- <<", "&a <<", "*a",
    "!tag x", "!!merge <<", "# not a comment", "a # b", "  leading and trailing  ", "",
    "é\u2028ü", "a\x85b", "line\nbreak", "\ttab", "---", "[a, b]", "{a: b}", "'q'", '"q"',
]  # fmt: skip


@pytest.mark.parametrize("start", STARTS)
@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_texts_saved_by_the_editor_pass_the_check_and_read_back(
    tmp_path: Path, start: str, text: str
) -> None:
    """Before, ``? <<`` (and ``?a``, ``:a``) in a flow mapping was written plain, which libyaml
    does not read as text: ``{note: ? <<}``."""
    annotations = saved(STARTS[start], tmp_path / "29037250.yaml", text, text[::-1])
    assert_read_back(annotations, text, text[::-1])


@pytest.mark.parametrize("start", STARTS)
@settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(text=TEXTS, other=TEXTS)
@example(text="<<", other="")
@example(text="? <<", other="<<: x")
def test_any_text_saved_by_the_editor_passes_the_check_and_reads_back(
    tmp_path: Path, start: str, text: str, other: str
) -> None:
    annotations = saved(STARTS[start], tmp_path / "29037250.yaml", text, other)
    assert_read_back(annotations, text, other)


# --- files the editor must not save as it found them ---------------------------------------------


def refusal(path: Path) -> list[tuple[int | None, str, str]]:
    """The errors of a save into ``path``, which must leave the file as it was."""
    before = path.read_bytes()
    with pytest.raises(AnnotationsInvalid) as refused:
        update_reference_note(path, 1, note="A note.")
    assert path.read_bytes() == before
    return [(error.line, error.field, error.message) for error in refused.value.errors]


def test_a_file_with_a_merge_key_is_refused_not_saved_with_it(tmp_path: Path) -> None:
    """ruamel.yaml merged ``<<: {index: 1}`` in, the editor validated the merged entry and saved
    the ``<<:`` back, and the check refused the file it wrote. Now the save is refused as the
    check refuses the file, at the same line."""
    path = tmp_path / "29037250.yaml"
    path.write_bytes((EXAMPLES / "merge_key_in_reference.yaml").read_bytes())
    with pytest.raises(AnnotationsInvalid) as checked:
        load_annotations(path)
    expected = [(error.line, error.field, error.message) for error in checked.value.errors]
    assert expected == [
        (
            3,
            "yaml",
            "tag !!merge is not allowed: only mappings, lists, strings, numbers, booleans and "
            "null (quote a value to keep it as text)",
        )
    ]
    assert refusal(path) == expected


def test_a_file_nested_20000_deep_is_refused_without_ruamel_reading_it(
    tmp_path: Path, round_trip_calls: list[str]
) -> None:
    path = tmp_path / "29037250.yaml"
    path.write_text('pmid: "29037250"\nclaims: ' + "[" * 20_000 + "\n", encoding="utf-8")
    assert refusal(path) == [(2, "yaml", f"lists and mappings nest more than {MAX_DEPTH} deep")]
    assert round_trip_calls == []
