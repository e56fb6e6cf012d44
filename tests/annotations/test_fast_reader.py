"""The fast reader (`read_document`, libyaml) reads annotation files as the round-trip reader does.

Same values and types (YAML 1.2: ``yes`` stays text), same line for every field, same errors;
the few places where the two part ways are listed, each with what each reader does.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from reviewbook.annotations import yaml_io
from reviewbook.annotations.loading import load_annotations
from reviewbook.annotations.model import AnnotationsInvalid
from reviewbook.annotations.store import text_node
from reviewbook.annotations.yaml_io import (
    ALIASES_REFUSED,
    MAX_DEPTH,
    FieldLines,
    document_lines,
    dump_document,
    parse_document,
    read_document,
)
from tests.annotations.conftest import ANNOTATIONS, MINIMAL
from tests.conftest import EXAMPLES


def plain(value: Any) -> Any:
    """A round-trip value as plain Python (ruamel.yaml's scalar subclasses as their bases)."""
    if isinstance(value, dict):
        return {plain(key): plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [plain(item) for item in value]
    for kind in (bool, int, float, str):
        if isinstance(value, kind):
            return kind(value)
    return value


def typed(value: Any) -> tuple[str, Any]:
    """A scalar with its exact type, NaN made comparable."""
    if isinstance(value, float) and math.isnan(value):
        return ("float", "nan")
    return (type(value).__name__, value)


def errors_of(reader: Any, text: str) -> list[tuple[int | None, str, str]]:
    with pytest.raises(AnnotationsInvalid) as refused:
        reader(text, "notes.yaml")
    return [(error.line, error.field, error.message) for error in refused.value.errors]


def assert_reads_alike(text: str) -> None:
    """Both readers give the same values and the same line for every field."""
    round_trip = parse_document(text)
    read = read_document(text)
    assert plain(read.document) == plain(round_trip)
    if isinstance(round_trip, (CommentedMap, CommentedSeq)):
        assert dict(read.lines) == document_lines(round_trip)


# --- values -------------------------------------------------------------------------------------

SCALARS = [
    # YAML 1.1 forms are text in YAML 1.2
    "yes", "no", "on", "off", "y", "n", "Yes", "1:30", "1:30.5", "0777x",
    # YAML 1.2 core types, with ruamel.yaml's underscores and radix prefixes
    "true", "False", "TRUE", "null", "Null", "~", "", "12", "+12", "-0", "017", "09", "00",
    "0o17", "0x1F", "0x_1", "0b101", "1_000", "12_", "1__2", "-_1", "_1", "1.", ".5", "+.5",
    "1e3", "1E-3", ".5e+3", ".5e3", "1e", "1_0.5", "1.5_", ".inf", "-.INF", "+.Inf", ".NaN",
    "0b", "0x", "0o", "0o8", "08", "1.2.3", "-", "+", ".", "- a", "a: b",
    # digits only: up to 18 are read by int() at once, more as before; other scripts' digits
    "123456789012345678", "1234567890123456789", "\u0661\u0662", "\u00b2",
]  # fmt: skip


@pytest.mark.parametrize("text", SCALARS)
def test_plain_scalars_take_the_round_trip_readers_types(text: str) -> None:
    source = f"x: {text}\n" if text and text[0] not in "-" else f"x: '{text}'\n"
    if text.startswith(("- ", "a:")):
        source = f"x: '{text}'\n"
    expected = plain(parse_document(source)["x"])
    assert typed(read_document(source).document["x"]) == typed(expected)


def test_a_plain_text_met_again_takes_the_same_type_and_shares_one_copy() -> None:
    text = "x: [true, a, 12, '12', 0x1F, null, a, true, 12, 0x1F, ~, '12', 'a']\n"
    values = read_document(text).document["x"]
    assert [typed(value) for value in values] == [
        typed(plain(value)) for value in parse_document(text)["x"]
    ]
    assert values[1] is values[6]


def test_plain_texts_past_the_ones_kept_are_typed_each_time(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(yaml_io, "_PLAIN_TEXTS_KEPT", 1)
    assert_reads_alike("x: [a, b, true, b, null, b, 12]\ny: {b: a, c: true}\n")


@pytest.mark.parametrize("text", ["'yes'", '"12"', "|\n  12\n", ">-\n  true\n", "! 12", '! "12"'])
def test_quoted_and_block_scalars_are_text_and_a_bare_bang_types_as_plain(text: str) -> None:
    assert_reads_alike(f"x: {text}\n")


@pytest.mark.parametrize("name", [path.name for path in sorted(EXAMPLES.glob("*.yaml"))])
def test_every_example_file_reads_alike_or_fails_alike(name: str) -> None:
    text = (EXAMPLES / name).read_text(encoding="utf-8")
    try:
        parse_document(text)
    except AnnotationsInvalid:
        assert errors_of(read_document, text) == errors_of(parse_document, text)
    else:
        assert_reads_alike(text)


@pytest.mark.parametrize("name", [path.name for path in sorted(ANNOTATIONS.glob("*.yaml"))])
def test_the_projects_own_files_read_alike(name: str) -> None:
    assert_reads_alike((ANNOTATIONS / name).read_text(encoding="utf-8"))


@settings(max_examples=150, deadline=None, derandomize=True)
@given(st.text(min_size=1, max_size=200).filter(lambda text: text.strip()))
def test_any_note_the_editor_writes_reads_back_alike(note: str) -> None:
    document = parse_document(MINIMAL)
    document["references"].append({"index": 1, "note": text_node(note), "tags": [note]})
    text = dump_document(document)
    assert read_document(text).document["references"][0]["note"] == note
    assert_reads_alike(text)


# --- refusals: the same errors as the round-trip reader ------------------------------------------

TAG_MERGE = (
    "tag !!merge is not allowed: only mappings, lists, strings, numbers, booleans and null "
    "(quote a value to keep it as text)"
)

REFUSED = [
    'pmid: &p "1"\nclaims: []\n',
    'pmid: "1"\nreferences:\n  - &r {index: 1, note: x}\n',
    'pmid: "1"\nnote: *undefined\n',
    'pmid: "1"\nwhen: 2020-01-01\n',
    'pmid: "1"\nblob: !!binary aGVsbG8=\n',
    'pmid: "1"\nx: !custom 3\n',
    'pmid: "1"\nx: !!set {a: null}\n',
    'pmid: "1"\nx: !!python/object/apply:os.system [ls]\n',
    'pmid: "1"\nx: =\n',
    'pmid: "1"\nx: !!seq {a: 1}\n',
    'pmid: "1"\npmid: "2"\n',
    "a\n---\nb\n",
    'pmid: "1"\nx: [a, b\n',
    'pmid: "1"\nx: a\n y: b\n',
    'pmid: "1"\nx: "\\q"\n',
    'pmid: "1"\nx: \x01\n',
    'pmid: "1"\nx: a\ud800\n',
    'pmid: "1"\nx: @a\n',
    'pmid: "1"\n  - a\n',
    # merge keys (without aliases, which are refused): ruamel.yaml merged them in unbuilt
    "<<: {a: 1}\nb: 2\n",
    'pmid: "1"\nreferences:\n  - <<: {index: 1}\n    note: x\n',
    'pmid: "1"\nreferences:\n  - {note: x, <<: [{index: 1}, {tags: [a]}]}\n',
    # nesting deeper than the limit, counted by the same libyaml events
    "x: " + "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1) + "\n",
    "x:\n" + "  " * MAX_DEPTH + "- " * (MAX_DEPTH + 1) + "a\n",
]


@pytest.mark.parametrize("text", REFUSED)
def test_refused_texts_give_the_round_trip_readers_errors(text: str) -> None:
    assert errors_of(read_document, text) == errors_of(parse_document, text)


def test_a_merge_key_is_refused_by_both_readers_with_its_line() -> None:
    """ruamel.yaml merged ``<<`` in without building its key node, so the editor validated
    the merged entry and saved the ``<<:`` that the check then refused."""
    text = 'pmid: "1"\nreferences:\n  - <<: {index: 1}\n    note: x\n'
    assert errors_of(parse_document, text) == [(3, "yaml", TAG_MERGE)]


def test_an_alias_bomb_is_refused_at_its_first_anchor() -> None:
    text = (EXAMPLES / "alias_bomb_nine_levels.yaml").read_text(encoding="utf-8")
    assert errors_of(read_document, text) == [(1, "yaml", ALIASES_REFUSED)]


def test_a_long_file_keeps_the_fast_readers_words_with_the_same_line(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Past `WORDED_ERROR_CHARS` the round-trip reader does not read the whole file again."""
    monkeypatch.setattr(yaml_io, "WORDED_ERROR_CHARS", 10)
    assert errors_of(read_document, 'pmid: "1"\nx: &a 1\n') == [(2, "yaml", ALIASES_REFUSED)]
    assert errors_of(read_document, 'pmid: "1"\nwhen: 2020-01-01\n')[0][0] == 2
    assert errors_of(read_document, 'pmid: "1"\nx: [a, b\n') == [
        (
            3,
            "yaml",
            "not valid YAML: while parsing a flow sequence; did not find expected ',' or ']'",
        )
    ]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ('pmid: "1"\nx: a\x01\n', "0001"),
        ('pmid: "1"\nx: a\x7f\n', "007f"),
        ('pmid: "1"\nx: "\ufffe"\n', "fffe"),
        ('pmid: "1"\nx: a\udfff\n', "dfff"),
    ],
)
def test_a_character_no_file_may_hold_is_named_in_a_long_file_too(
    monkeypatch: pytest.MonkeyPatch, text: str, code: str
) -> None:
    """libyaml finds it as it reads; the message is the one the round-trip reader gives."""
    monkeypatch.setattr(yaml_io, "WORDED_ERROR_CHARS", 10)
    message = f"not valid YAML: unacceptable character #x{code}: special characters are not allowed"
    assert errors_of(read_document, text) == [(None, "yaml", message)]


def test_a_syntax_error_far_into_a_long_file_is_worded_by_ruamel_up_to_its_line(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(yaml_io, "WORDED_ERROR_CHARS", 60)
    text = 'pmid: "1"\nreferences:\n  - index: 1\n    note: [a: b: c]\n' + "# padding\n" * 20
    assert errors_of(read_document, text) == errors_of(parse_document, text)


TOO_DEEP = f"lists and mappings nest more than {MAX_DEPTH} deep"


def test_nesting_deeper_than_the_limit_is_refused() -> None:
    text = "x: " + "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1) + "\n"
    assert errors_of(read_document, text) == [(1, "yaml", TOO_DEEP)]


LEVELS = 20_000
DEEP_TEXTS = {
    # libyaml's scanner looks ahead along the line and meets its own limit (1,000) first
    "lists on one line": ("claims: " + "[" * LEVELS + "]" * LEVELS + "\n", 1),
    "an unclosed list": ("claims: " + "[" * LEVELS + "\n", 1),
    # the reader counts the levels itself
    "mappings on one line": ("claims: " + "{a: " * LEVELS + "1" + "}" * LEVELS + "\n", 1),
    "a list per line": ("claims: [\n" + " [\n" * LEVELS + " ]\n" * LEVELS + "]\n", MAX_DEPTH),
    "block lists on one line": ('pmid: "1"\nclaims:\n' + "- " * LEVELS + "a\n", 3),
    "explicit keys": ("? " * LEVELS + "a\n", 1),
}


@pytest.fixture
def libyaml_events(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many events libyaml's parser hands out (one count per parser made)."""
    counts: list[int] = []

    class Counting(yaml.CBaseLoader):  # type: ignore[misc]
        def __init__(self, stream: str) -> None:
            super().__init__(stream)
            self.number = len(counts)
            counts.append(0)

        def get_event(self) -> Any:
            counts[self.number] += 1
            return super().get_event()

    monkeypatch.setattr(yaml, "CBaseLoader", Counting)
    return counts


@pytest.mark.parametrize("shape", DEEP_TEXTS)
def test_a_file_nested_20000_deep_is_refused_at_the_limit_without_the_round_trip_reader(
    shape: str, round_trip_calls: list[str], libyaml_events: list[int]
) -> None:
    """About 80 s before: ruamel.yaml, quadratic in the depth, read the text twice to word the
    error. Now the work stops at the first level too many, whatever the depth."""
    text, line = DEEP_TEXTS[shape]
    assert errors_of(read_document, text) == [(line, "yaml", TOO_DEEP)]
    assert round_trip_calls == []
    assert len(libyaml_events) == 1
    assert libyaml_events[0] <= 2 * MAX_DEPTH + 8


@pytest.mark.parametrize("shape", DEEP_TEXTS)
def test_the_round_trip_reader_refuses_it_before_ruamel_reads_anything(
    shape: str, round_trip_calls: list[str]
) -> None:
    """The editor reads a file with `parse_document` before changing it."""
    text, line = DEEP_TEXTS[shape]
    assert errors_of(parse_document, text) == [(line, "yaml", TOO_DEEP)]
    assert round_trip_calls == []


def test_a_file_nested_20000_deep_is_named_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "29037250.yaml"
    path.write_text(DEEP_TEXTS["lists on one line"][0], encoding="utf-8")
    with pytest.raises(AnnotationsInvalid) as refused:
        load_annotations(path)
    assert [str(error) for error in refused.value.errors] == [f"{path}:1: yaml: {TOO_DEEP}"]


def test_another_refusal_before_deep_nesting_keeps_its_words_without_the_round_trip_reader(
    round_trip_calls: list[str],
) -> None:
    """The fast reader stops at the anchor; ruamel.yaml would word it, but not over a text
    nested too deep further on."""
    text = 'pmid: &p "1"\nclaims: ' + "[" * LEVELS + "\n"
    assert errors_of(read_document, text) == [(1, "yaml", ALIASES_REFUSED)]
    assert round_trip_calls == []


# --- where the readers part ways -----------------------------------------------------------------


def outcome(reader: Any, text: str) -> Any:
    """What a reader makes of ``text``: plain values, ``(line, message)`` errors, or the name
    of the exception it stops with."""
    try:
        return plain(reader(text))
    except AnnotationsInvalid as invalid:
        return [(error.line, error.message) for error in invalid.errors]
    except Exception as error:  # ruamel.yaml failing its own way
        return type(error).__name__


@pytest.mark.parametrize(
    ("text", "fast", "round_trip"),
    [
        # ruamel.yaml stops with an exception no caller expects
        ("x: !!int abc\n", [(1, "not valid YAML: 'abc' is not a valid !!int")], "ValueError"),
        ("x: !!int\n", [(1, "not valid YAML: '' is not a valid !!int")], "IndexError"),
        ("x: -_\n", {"x": "-_"}, "IndexError"),
        # ruamel.yaml reads a file marked YAML 1.1 by 1.1's rules (yes is true)
        (
            "%YAML 1.1\n---\nx: yes\n",
            [
                (
                    1,
                    "not valid YAML: annotation files are YAML 1.2, not 1.1: remove the %YAML line",
                )
            ],
            {"x": True},
        ),
        # a list as a key: ruamel.yaml makes a tuple of it
        (
            "? [a]\n: 1\n",
            [
                (
                    1,
                    "not valid YAML: while constructing a mapping; a key must be text, a "
                    "number, a boolean or null, not a list",
                )
            ],
            {("a",): 1},
        ),
        # a tab inside a plain value: YAML allows it, ruamel.yaml does not
        (
            "x: a\tb\n",
            {"x": "a\tb"},
            [
                (
                    1,
                    "not valid YAML: while scanning for the next token; found character '\\t' "
                    "that cannot start any token",
                )
            ],
        ),
        # an empty key: ruamel.yaml reads it as null, libyaml refuses it
        (
            ": x\n",
            [(1, "not valid YAML: while parsing a block mapping; did not find expected key")],
            {None: "x"},
        ),
    ],
)
def test_where_the_readers_part_ways(text: str, fast: Any, round_trip: Any) -> None:
    assert outcome(lambda source: read_document(source).document, text) == fast
    assert outcome(parse_document, text) == round_trip


def test_an_explicit_str_tag_is_text_where_ruamel_keeps_a_tagged_scalar() -> None:
    """The schema then called ruamel.yaml's value "not a string"; now it is one."""
    assert read_document("x: !!str 12\n").document == {"x": "12"}
    assert type(parse_document("x: !!str 12\n")["x"]).__name__ == "TaggedScalar"


# --- field lines --------------------------------------------------------------------------------


def test_field_lines_name_every_field_in_file_order() -> None:
    text = 'pmid: "1"\nclaims:\n  - id: a\n    cells: [x, y]\n    quote:\n      exact: q\n'
    lines = read_document(text).lines
    assert list(lines.items()) == [
        ("pmid", 1),
        ("claims", 2),
        ("claims[0]", 3),
        ("claims[0].id", 3),
        ("claims[0].cells", 4),
        ("claims[0].cells[0]", 4),
        ("claims[0].cells[1]", 4),
        ("claims[0].quote", 5),
        ("claims[0].quote.exact", 6),
    ]
    assert len(lines) == 9


def test_field_lines_find_keys_with_dots_brackets_or_numbers() -> None:
    text = 'pmid: "1"\nx:\n  a.b: 1\n  "c[0]": 2\n  3: 4\n  d:\n    - e\n'
    lines = read_document(text).lines
    assert (lines["x.a.b"], lines["x.c[0]"], lines["x.3"], lines["x.d[0]"]) == (3, 4, 5, 7)
    assert (lines.get("x.a.b"), lines.get("x.d[0]", 0), "x.3" in lines) == (3, 7, True)
    for missing in ("x.zz", "x.d[1]", "x.d.e", "pmid.x", "x[0]", "nothing", "", "x.d[0", "x.d[0]e"):
        assert missing not in lines
        assert (lines.get(missing), lines.get(missing, 0)) == (None, 0)


TRICKY_KEYS = (
    'pmid: "1"\nx:\n  a.b: 1\n  "c[0]": 2\n  3: 4\n  d:\n    - e\n    - [f, {g: h}]\n'
    '  "": 5\n  "k]": {m: n}\nclaims: [{id: a}]\n'
)
NAME_STEPS = [
    "x", "pmid", "claims", ".x", ".a.b", "a.b", ".c[0]", "c[0]", ".3", ".d", ".g", ".id",
    ".k]", ".m", "[0]", "[1]", "[2]", ".", "[", "]x",
]  # fmt: skip


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.lists(st.sampled_from(NAME_STEPS), max_size=5).map("".join))
def test_any_name_finds_the_line_the_round_trip_reader_records(name: str) -> None:
    expected = document_lines(parse_document(TRICKY_KEYS)).get(name)
    lines = read_document(TRICKY_KEYS).lines
    assert lines.get(name) == expected
    assert (name in lines) == (expected is not None)


def test_an_empty_file_has_no_lines() -> None:
    read = read_document("# nothing yet\n")
    assert (read.document, dict(read.lines)) == (None, {})
    assert isinstance(read.lines, FieldLines)
