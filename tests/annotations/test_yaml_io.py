"""Round-trip YAML: only core types are built; any other tag is refused with its line."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reviewbook.annotations.model import AnnotationsInvalid
from reviewbook.annotations.store import text_node
from reviewbook.annotations.yaml_io import dump_document, parse_document
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
