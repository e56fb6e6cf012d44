"""The JSON Schema of an annotation file, and its errors worded for people editing YAML.

``annotations.schema.json`` (package data) fixes the shape and types of a file; what it cannot
see (vocabulary, unique ids, quotes against the page) is `validation`'s job.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Mapping, Sequence
from importlib import resources
from typing import TYPE_CHECKING, Any

from reviewbook.annotations.model import AnnotationError, field_line
from reviewbook.annotations.yaml_io import document_lines

if TYPE_CHECKING:
    import jsonschema

SCHEMA_RESOURCE = "annotations.schema.json"
_YAML_TYPE_NAMES: dict[type, str] = {
    bool: "a boolean",
    int: "an integer",
    float: "a number",
    str: "a string",
    type(None): "null",
    dict: "a mapping",
    list: "a list",
}
_SCHEMA_TYPE_NAMES: dict[str, str] = {
    "string": "a string",
    "integer": "an integer",
    "array": "a list",
    "object": "a mapping",
    "null": "null",
}


@functools.cache
def annotations_schema() -> dict[str, Any]:
    """The JSON Schema of an annotation file (package data ``annotations.schema.json``)."""
    text = (
        resources.files("reviewbook.annotations")
        .joinpath(SCHEMA_RESOURCE)
        .read_text(encoding="utf-8")
    )
    return json.loads(text)


@functools.cache
def _quick_schema_check() -> Callable[[object], object]:
    """The schema compiled by fastjsonschema, which raises on the first error it meets.

    Valid files, the usual case, need nothing more; jsonschema, which words every error for
    the person editing the file, takes seconds to import, so it is loaded only for a file that
    fails. The schema uses draft-7 keywords only, which both validators read alike.
    """
    import fastjsonschema

    schema = dict(annotations_schema())
    schema.pop("$id", None)
    schema["$schema"] = "http://json-schema.org/draft-07/schema#"
    return fastjsonschema.compile(schema)


@functools.cache
def _schema_validator() -> jsonschema.protocols.Validator:
    """A validator for `annotations_schema`, built once."""
    import jsonschema

    schema = annotations_schema()
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema)


def schema_errors(
    document: object, path: str = "<text>", lines: Mapping[str, int] | None = None
) -> list[AnnotationError]:
    """Where a document breaks the schema: missing, unknown or mistyped fields.

    ``lines`` name the line of each field; without them, those of a round-trip document.
    """
    import fastjsonschema

    try:
        _quick_schema_check()(document)
        return []
    except fastjsonschema.JsonSchemaException:
        pass
    if lines is None:
        lines = document_lines(document)
    errors: list[AnnotationError] = []
    for error in _schema_validator().iter_errors(document):
        base = _field_name(error.absolute_path)
        for name, message in _schema_messages(error, base):
            errors.append(
                AnnotationError(path, field_line(lines, name), name or "document", message)
            )
    return sorted(errors, key=lambda error: (error.line or 0, error.field, error.message))


def _field_name(parts: Sequence[str | int]) -> str:
    """``("claims", 2, "cells", 0)`` as ``claims[2].cells[0]``."""
    name = ""
    for part in parts:
        name += f"[{part}]" if isinstance(part, int) else (f".{part}" if name else str(part))
    return name


def _child(base: str, key: str) -> str:
    return f"{base}.{key}" if base else key


def _schema_messages(error: jsonschema.ValidationError, base: str) -> list[tuple[str, str]]:
    """``(field, message)`` pairs for one schema error, worded for people editing YAML."""
    instance = error.instance
    if error.validator == "required":
        missing = [key for key in error.validator_value if key not in instance]
        return [(_child(base, key), "missing required field") for key in missing]
    if error.validator == "additionalProperties":
        allowed = ", ".join(error.schema.get("properties", {}))
        extra = [key for key in instance if key not in error.schema.get("properties", {})]
        return [
            (_child(base, str(key)), f"unknown field (expected one of: {allowed})") for key in extra
        ]
    if error.validator == "type":
        wanted = error.validator_value
        wanted_names = [wanted] if isinstance(wanted, str) else list(wanted)
        expected = " or ".join(_SCHEMA_TYPE_NAMES.get(name, name) for name in wanted_names)
        got = next(
            (name for kind, name in _YAML_TYPE_NAMES.items() if isinstance(instance, kind)),
            type(instance).__name__,
        )
        if instance is None and not base:
            return [
                ("document", "the file is empty: expected a mapping with pmid, claims, references")
            ]
        return [(base, f"expected {expected}, got {got}")]
    if error.validator == "minProperties" and base.startswith("references"):
        if "index" not in instance:  # reported as a missing field already
            return []
        return [(base, "a reference entry needs a note or tags besides its index")]
    if error.validator == "uniqueItems":
        return [(base, "lists the same item twice")]
    if error.validator == "pattern" and ".tags[" in base:
        return [(base, "a tag is one short phrase without ',' or ';' or line breaks")]
    return [(base, error.message)]
