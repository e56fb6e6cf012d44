"""Round-trip YAML: only core types are built; any other tag is refused with its line.

Also what every reader shares: anchors, aliases and size refused; the cycle collector paused."""

from __future__ import annotations

import gc
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reviewbook.annotations import loading
from reviewbook.annotations.loading import load_annotations
from reviewbook.annotations.model import Annotations, AnnotationsInvalid
from reviewbook.annotations.store import text_node
from reviewbook.annotations.yaml_io import (
    MAX_FILE_BYTES,
    dump_document,
    parse_document,
)
from tests.annotations.conftest import MINIMAL, file_errors


def test_python_tags_are_refused_before_anything_is_built() -> None:
    assert file_errors("python_tag.yaml") == [
        (
            2,
            "yaml",
            "tag !!python/object/apply:os.system is not allowed: only mappings, lists, strings, "
            "numbers, booleans and null (quote a value to keep it as text)",
        )
    ]


def test_other_non_core_types_are_refused_too() -> None:
    for text, tag in [
        ('pmid: "1"\nwhen: 2020-01-01\n', "!!timestamp"),
        ('pmid: "1"\nblob: !!binary aGVsbG8=\n', "!!binary"),
        ('pmid: "1"\nx: !custom 3\n', "!custom"),
        ('pmid: "1"\nx: !!set {a: null}\n', "!!set"),
    ]:
        with pytest.raises(AnnotationsInvalid) as raised:
            parse_document(text)
        assert raised.value.errors[0].message.startswith(f"tag {tag} is not allowed")
        assert raised.value.errors[0].line == 2


@given(st.text(min_size=1, max_size=300).filter(lambda text: text.strip()))
def test_any_note_text_reads_back_exactly(note: str) -> None:
    document = parse_document(MINIMAL)
    document["references"].append({"index": 1, "note": text_node(note)})
    assert parse_document(dump_document(document))["references"][0]["note"] == note


def test_long_notes_are_folded_at_spaces() -> None:
    note = " ".join(["metastasis"] * 30)
    document = parse_document(MINIMAL)
    document["references"].append({"index": 1, "note": text_node(note)})
    text = dump_document(document)
    assert "note: >-\n" in text
    assert max(len(line) for line in text.splitlines()) <= 90


# --- anchors, aliases and size ------------------------------------------------------------------

ALIASES_REFUSED = (
    "anchors and aliases (&name, *name) are not allowed in annotation files: write each value out"
)


def test_an_alias_bomb_is_refused_at_its_first_anchor_before_anything_grows() -> None:
    """Nine levels of nine aliases would expand to 9**9 strings; the first anchor stops it."""
    assert file_errors("alias_bomb_nine_levels.yaml") == [(1, "yaml", ALIASES_REFUSED)]


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ('pmid: &p "1"\nclaims: []\n', 1),
        ('pmid: "1"\nreferences:\n  - &r {index: 1, note: x}\n', 3),
        ('pmid: "1"\nnote: *undefined\n', 2),
    ],
)
def test_any_anchor_or_alias_is_refused_with_its_line(text: str, line: int) -> None:
    with pytest.raises(AnnotationsInvalid) as refused:
        parse_document(text, "notes.yaml")
    assert [(e.line, e.field, e.message) for e in refused.value.errors] == [
        (line, "yaml", ALIASES_REFUSED)
    ]


def test_a_file_larger_than_the_limit_is_refused_unparsed(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    path.write_bytes(b'pmid: "1"\n' + b"#" * MAX_FILE_BYTES)
    with pytest.raises(AnnotationsInvalid) as refused:
        load_annotations(path)
    assert [str(error) for error in refused.value.errors] == [
        f"{path}: file: the file is {MAX_FILE_BYTES + 1} bytes, more than the {MAX_FILE_BYTES} "
        "an annotation file may hold; split the notes or trim them"
    ]


# --- the cycle collector ------------------------------------------------------------------------


def test_the_collector_waits_while_a_file_is_read_and_checked_then_resumes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A large file's hundreds of thousands of dicts and lists are not walked by collections
    while they are built; the collector resumes afterwards, also when the file is refused."""
    collecting: list[bool] = []
    build = loading.annotations_from_document

    def spy(*args: Any, **kwargs: Any) -> Annotations:
        collecting.append(gc.isenabled())
        return build(*args, **kwargs)

    monkeypatch.setattr(loading, "annotations_from_document", spy)
    assert gc.isenabled()
    loading.loads_annotations(MINIMAL)
    assert collecting == [False]
    assert gc.isenabled()
    with pytest.raises(AnnotationsInvalid):
        loading.loads_annotations("pmid: [1]\n")
    assert gc.isenabled()
