"""The JSON Schema of annotation files: both validators agree, and it matches the code."""

from __future__ import annotations

from reviewbook.annotations.anchoring import LOCATION_PATTERN
from reviewbook.annotations.schema import (
    _quick_schema_check,
    _schema_validator,
    annotations_schema,
)
from reviewbook.annotations.yaml_io import parse_document
from tests.annotations.conftest import ANNOTATIONS
from tests.conftest import EXAMPLES


def test_quick_schema_check_agrees_with_jsonschema_on_every_example() -> None:
    """Valid files skip jsonschema (slow to import); both validators must judge alike."""
    import fastjsonschema

    judged = 0
    for path in sorted(EXAMPLES.glob("*.yaml")) + sorted(ANNOTATIONS.glob("*.yaml")):
        try:
            document = parse_document(path.read_text(encoding="utf-8"), str(path))
        except Exception:
            continue  # not YAML at all: no schema to judge
        try:
            _quick_schema_check()(document)
            quick_valid = True
        except fastjsonschema.JsonSchemaException:
            quick_valid = False
        assert quick_valid == (not list(_schema_validator().iter_errors(document))), path
        judged += 1
    assert judged >= 10


def test_schema_location_pattern_is_the_anchoring_pattern() -> None:
    """The schema's copy of `LOCATION_PATTERN` must not drift from the one anchoring uses."""
    claim = annotations_schema()["$defs"]["claim"]
    assert claim["properties"]["location"]["pattern"] == LOCATION_PATTERN
