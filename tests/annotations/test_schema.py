"""The JSON Schema of annotation files: the quick check never disagrees with jsonschema on a
valid document, and the schema matches the code."""

from __future__ import annotations

import copy
import math
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reviewbook.annotations.anchoring import LOCATION_PATTERN
from reviewbook.annotations.schema import (
    _schema_validator,
    annotations_schema,
    column_check,
    schema_surely_holds,
)
from reviewbook.annotations.yaml_io import parse_document, read_document
from tests.annotations.conftest import ANNOTATIONS
from tests.conftest import EXAMPLES


def jsonschema_valid(document: object) -> bool:
    return not list(_schema_validator().iter_errors(document))


def test_quick_schema_check_agrees_with_jsonschema_on_every_example() -> None:
    """Valid files skip jsonschema (slow to import); both validators must judge alike."""
    judged = 0
    for path in sorted(EXAMPLES.glob("*.yaml")) + sorted(ANNOTATIONS.glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        try:
            documents = [parse_document(text, str(path)), read_document(text).document]
        except Exception:
            continue  # not YAML at all: no schema to judge
        for document in documents:
            assert schema_surely_holds()([document]) == jsonschema_valid(document), path
            judged += 1
    assert judged >= 20


# --- the quick check, keyword by keyword ---------------------------------------------------------

NOTE = {
    "type": "object",
    "required": ["index"],
    "additionalProperties": False,
    "minProperties": 2,
    "properties": {
        "index": {"type": "integer", "minimum": 1},
        "note": {"$ref": "#/$defs/text"},
        "tags": {
            "type": "array",
            "uniqueItems": True,
            "items": {"type": "string", "minLength": 1, "maxLength": 5},
        },
    },
}
SCHEMA = {"$defs": {"text": {"type": "string", "pattern": r"\S"}}, "type": "array", "items": NOTE}


@pytest.mark.parametrize(
    ("notes", "holds"),
    [
        ([], True),
        ([{"index": 1, "note": "a"}, {"index": 2, "tags": ["x", "y"]}], True),
        ([{"index": 1, "note": "a"}, "b"], False),  # type
        ([{"note": "a", "tags": []}], False),  # required
        ([{"index": 1, "note": "a", "other": 1}], False),  # additionalProperties
        ([{"index": 1}], False),  # minProperties
        ([{"index": 0, "note": "a"}], False),  # minimum
        ([{"index": True, "note": "a"}], False),  # a boolean is no integer
        ([{"index": 1, "note": " "}], False),  # pattern, through $ref
        ([{"index": 1, "tags": ["x", "x"]}], False),  # uniqueItems
        ([{"index": 1, "tags": [""]}], False),  # minLength
        ([{"index": 1, "tags": ["longer"]}], False),  # maxLength
        ([{"index": 1, "tags": [1]}], False),  # items' type
    ],
)
def test_each_keyword_is_checked_over_the_whole_column(notes: list[Any], holds: bool) -> None:
    assert column_check(SCHEMA)([notes]) is holds
    assert jsonschema_valid_for(SCHEMA, notes) is holds


def jsonschema_valid_for(schema: dict[str, Any], instance: object) -> bool:
    import jsonschema

    return jsonschema.Draft202012Validator(schema).is_valid(instance)


NUMBERS = {"type": "array", "items": {"type": "number", "minimum": 1}}


@pytest.mark.parametrize(
    ("schema", "instance"),
    [
        (SCHEMA, [{"index": 3.0, "note": "a"}]),  # a whole float is an integer to jsonschema
        (NUMBERS, [math.nan, 2]),  # NaN is not less than the minimum
        ({"type": "array", "uniqueItems": True}, [1, True]),  # unique items, unequal in JSON
    ],
)
def test_what_the_quick_check_does_not_decide_is_left_to_jsonschema(
    schema: dict[str, Any], instance: object
) -> None:
    assert column_check(schema)([instance]) is False
    assert jsonschema_valid_for(schema, instance) is True


def test_a_nan_after_the_first_value_is_passed_over_as_jsonschema_does() -> None:
    assert column_check(NUMBERS)([[2, math.nan]]) is True
    assert column_check(NUMBERS)([[2, math.nan, 0]]) is False


def test_a_keyword_the_quick_check_does_not_know_is_refused_when_the_schema_is_read() -> None:
    with pytest.raises(ValueError, match=r"does not know keywords \['maxItems'\]"):
        column_check({"type": "array", "maxItems": 3})
    with pytest.raises(ValueError, match="follows only #/\\$defs/ references"):
        column_check({"$ref": "#/$defs/missing"})


VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-2, 3)
    | st.floats(allow_nan=True)
    | st.sampled_from(["", " ", "a", "a,b", "x" * 41, "hallmarks", "29037250", "title"]),
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(
            st.sampled_from(["index", "note", "tags", "pmid", "claims", "references", "id", "x"]),
            children,
            max_size=4,
        )
    ),
    max_leaves=12,
)


SEEDS = [
    read_document(path.read_text(encoding="utf-8")).document
    for path in sorted(ANNOTATIONS.glob("*.yaml"))
]
"""The project's own files, as plain values: valid documents to break."""


def places(value: Any) -> list[tuple[Any, Any]]:
    """``(container, key or position)`` of every value inside ``value``."""
    found: list[tuple[Any, Any]] = []
    for key in value if isinstance(value, dict) else range(len(value)):
        found.append((value, key))
        if isinstance(value[key], (dict, list)):
            found += places(value[key])
    return found


@st.composite
def near_valid_documents(draw: st.DrawFn) -> Any:
    """A project file with up to three of its values replaced, dropped or added to."""
    document = copy.deepcopy(draw(st.sampled_from(SEEDS)))
    for _ in range(draw(st.sampled_from([0, 0, 1, 2, 3]))):
        container, key = draw(st.sampled_from(places(document)))
        change = draw(st.sampled_from(["replace", "drop", "add"]))
        if change == "replace":
            container[key] = draw(VALUES)
        elif change == "drop":
            del container[key]
        elif isinstance(container, dict):
            container[draw(st.sampled_from(["x", "note", "tags", "refs"]))] = draw(VALUES)
        else:
            container.append(draw(VALUES))
    return document


@settings(max_examples=400, deadline=None, derandomize=True)
@given(st.one_of(near_valid_documents(), VALUES))
def test_the_quick_check_never_calls_an_invalid_document_valid(document: Any) -> None:
    if schema_surely_holds()([document]):
        assert jsonschema_valid(document)


def test_schema_location_pattern_is_the_anchoring_pattern() -> None:
    """The schema's copy of `LOCATION_PATTERN` must not drift from the one anchoring uses."""
    claim = annotations_schema()["$defs"]["claim"]
    assert claim["properties"]["location"]["pattern"] == LOCATION_PATTERN
