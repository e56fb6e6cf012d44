"""The JSON Schema of an annotation file, and its errors worded for people editing YAML.

``annotations.schema.json`` (package data) fixes the shape and types of a file; what it cannot
see (vocabulary, unique ids, quotes against the page) is `validation`'s job. A file is first
checked a column at a time (`column_check`: every note's text in one pass, however many notes),
and only one that may break the schema goes to jsonschema, which words its errors.
"""

from __future__ import annotations

import functools
import json
import operator
import re
from collections.abc import Callable, Collection, Mapping, Sequence
from importlib import resources
from itertools import chain, repeat
from typing import TYPE_CHECKING, Any

from reviewbook.annotations.model import (
    DECISIONS,
    STAMP_FORM,
    AnnotationError,
    field_line,
    stamp_date_exists,
)
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
def schema_surely_holds() -> ColumnCheck:
    """`column_check` of `annotations_schema`: ``check([document])`` is True for a document
    that surely holds to the schema.

    Valid files, the usual case, need nothing more; jsonschema, which words every error for
    the person editing the file, takes seconds to import, so it is loaded only for a file that
    may fail.
    """
    return column_check(annotations_schema())


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
    A stamp (``created``, ``modified``) of the right form must also name a real day
    (`stamp_errors`).
    """
    if schema_surely_holds()([document]):
        return stamp_errors(document, path, lines)
    if lines is None:
        lines = document_lines(document)
    errors: list[AnnotationError] = stamp_errors(document, path, lines)
    for error in _schema_validator().iter_errors(document):
        base = _field_name(error.absolute_path)
        for name, message in _schema_messages(error, base):
            errors.append(
                AnnotationError(path, field_line(lines, name), name or "document", message)
            )
    return sorted(errors, key=lambda error: (error.line or 0, error.field, error.message))


STAMP_KEYS: tuple[str, ...] = ("created", "modified")
"""The stamps a claim or a reference note may carry (`model.STAMP_PATTERN`)."""
STAMP_EXAMPLE = "2026-12-07T14:30:00Z"


def stamp_errors(
    document: object, path: str = "<text>", lines: Mapping[str, int] | None = None
) -> list[AnnotationError]:
    """Stamps of the right form that name no real day (``2026-02-30T...``): the schema's
    pattern cannot count the days of a month. A stamp of the wrong form is the schema's to
    report, and a document that is not a mapping of lists has none to check."""
    if not isinstance(document, Mapping):
        return []
    errors: list[AnnotationError] = []
    for list_name in ("claims", "references"):
        entries = document.get(list_name)
        if not isinstance(entries, list):
            continue
        for position, entry in enumerate(entries):
            if not isinstance(entry, Mapping) or not (entry.keys() & set(STAMP_KEYS)):
                continue
            for key in STAMP_KEYS:
                stamp = entry.get(key)
                if (
                    isinstance(stamp, str)
                    and STAMP_FORM.search(stamp)
                    and not stamp_date_exists(stamp)
                ):
                    name = f"{list_name}[{position}].{key}"
                    if lines is None:
                        lines = document_lines(document)
                    message = f"{stamp!r} names no real day: the date does not exist"
                    errors.append(AnnotationError(path, field_line(lines, name), name, message))
    return errors


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
    if error.validator == "pattern" and base.endswith(tuple(f".{key}" for key in STAMP_KEYS)):
        return [
            (
                base,
                f"a date and time with its time zone, like {STAMP_EXAMPLE} (quoted), "
                f"not {instance!r}",
            )
        ]
    if error.validator == "pattern" and base == "creator.type":
        return [(base, f"a creator is a Person or an Organization, not {instance!r}")]
    if (
        error.validator == "pattern"
        and base.startswith("statements[")
        and base.endswith(".decision")
    ):
        return [(base, f"a decision is {' or '.join(DECISIONS)}, not {instance!r}")]
    return [(base, error.message)]


# --- the quick check: the schema checked a column at a time --------------------------------------

ColumnCheck = Callable[[Collection[Any]], bool]
"""A check of a *column*: the values one schema applies to, across a whole document (every
reference's ``note``, say). True means every value surely holds to the schema; False that one
may not."""

JSON_KINDS: tuple[tuple[type, str], ...] = (
    (bool, "boolean"),
    (int, "integer"),
    (float, "number"),
    (str, "string"),
    (list, "array"),
    (dict, "object"),
    (type(None), "null"),
)
"""The JSON type of a Python value, by the first class it is an instance of (a bool is also an
int), as jsonschema decides it. A float is a ``number`` only: jsonschema also takes ``3.0`` as an
``integer``, which the quick check leaves to it."""
_TYPE_KINDS: dict[str, frozenset[str]] = {
    "boolean": frozenset({"boolean"}),
    "integer": frozenset({"integer"}),
    "number": frozenset({"integer", "number"}),
    "string": frozenset({"string"}),
    "array": frozenset({"array"}),
    "object": frozenset({"object"}),
    "null": frozenset({"null"}),
}
"""The kinds of value (`JSON_KINDS`) each schema ``type`` takes."""
_NUMBERS = _TYPE_KINDS["number"]
_STRINGS = _TYPE_KINDS["string"]
_NOT_CHECKED = frozenset({"$schema", "$id", "$defs", "title", "description"})
"""Keywords that say nothing about a value (``$defs`` are checked where ``$ref`` names them)."""
_TYPE = "type"


@functools.cache
def _kind(value_type: type) -> str | None:
    """The JSON type of values of ``value_type`` (`JSON_KINDS`); None for any other value."""
    return next((kind for base, kind in JSON_KINDS if issubclass(value_type, base)), None)


def column_check(schema: Mapping[str, Any]) -> ColumnCheck:
    """A quick check of values against ``schema``, a column at a time.

    Each keyword is checked over all the values it applies to at once, with builtins working
    in C (``min(map(len, notes))``, ``allowed.issuperset(keys)``), so a file's hundred
    thousand reference notes cost a few passes over lists instead of a hundred thousand calls
    of a compiled validator. It is sure, not exact: it never calls an invalid document valid,
    and gives up (False) on what it does not decide alike (``3.0`` as an integer, ``[1, true]``
    as unique items), leaving that to jsonschema. A keyword it does not know raises
    ``ValueError`` here, when the schema is read, so none is ever skipped.
    """
    definitions = schema.get("$defs", {})
    compiled: dict[str, ColumnCheck] = {}
    for name in definitions:  # named first, so that a ``$ref`` knows what it may name
        compiled[name] = _unready
    for name, definition in definitions.items():
        compiled[name] = _schema_check(definition, compiled)
    return _schema_check(schema, compiled)


def _unready(values: Collection[Any]) -> bool:
    """Stands for a definition while the definitions are built; never called after."""
    raise AssertionError("a definition was checked before it was built")


def _schema_check(schema: Mapping[str, Any], definitions: dict[str, ColumnCheck]) -> ColumnCheck:
    """The `ColumnCheck` of one schema; ``$ref`` names one of ``definitions``."""
    unknown = sorted(set(schema) - set(_KEYWORDS) - _NOT_CHECKED - {_TYPE})
    if unknown:
        raise ValueError(f"the quick schema check does not know keywords {unknown}")
    wanted = schema.get(_TYPE)
    allowed = (
        None
        if wanted is None
        else frozenset().union(
            *(_TYPE_KINDS[name] for name in ([wanted] if isinstance(wanted, str) else wanted))
        )
    )
    checks: list[tuple[frozenset[str] | None, ColumnCheck]] = []
    for keyword, (kinds, build) in _KEYWORDS.items():
        if keyword in schema and (check := build(schema[keyword], schema, definitions)):
            checks.append((kinds, check))

    def check(values: Collection[Any]) -> bool:
        kinds = {_kind(value_type) for value_type in set(map(type, values))}
        if None in kinds or (allowed is not None and not kinds <= allowed):
            return False
        strings: set[str] | None = None
        for applies_to, keyword_check in checks:
            if applies_to is None or kinds <= applies_to:
                column = values
            elif kinds & applies_to:
                column = [value for value in values if _kind(type(value)) in applies_to]
            else:
                continue
            if applies_to is _STRINGS:  # judged by their text alone: each text once
                column = strings = set(column) if strings is None else strings
            if not keyword_check(column):
                return False
        return True

    return check


Build = Callable[[Any, Mapping[str, Any], dict[str, ColumnCheck]], ColumnCheck | None]
"""Makes a keyword's `ColumnCheck` from its value, its schema and the named definitions
(None: the keyword asks nothing, as ``uniqueItems: false``)."""


def _reference(
    target: str, _schema: Mapping[str, Any], definitions: dict[str, ColumnCheck]
) -> ColumnCheck:
    name = target.removeprefix("#/$defs/")
    if name == target or name not in definitions:
        raise ValueError(f"the quick schema check follows only #/$defs/ references: {target}")
    return lambda values: definitions[name](values)


def _required(keys: list[str], *_: object) -> ColumnCheck:
    return lambda objects: all(all(map(operator.contains, objects, repeat(key))) for key in keys)


def _properties(
    properties: Mapping[str, Any], _schema: object, definitions: dict[str, ColumnCheck]
) -> ColumnCheck:
    checks = {key: _schema_check(schema, definitions) for key, schema in properties.items()}

    def check(objects: Collection[Any]) -> bool:
        return all(
            field_check([entry[key] for entry in objects if key in entry])
            for key, field_check in checks.items()
        )

    return check


def _additional_properties(
    additional: object, schema: Mapping[str, Any], _definitions: object
) -> ColumnCheck | None:
    if additional is True:
        return None
    if additional is not False:
        raise ValueError("the quick schema check reads additionalProperties true or false only")
    known = frozenset(schema.get("properties", ()))
    return lambda objects: known.issuperset(chain.from_iterable(objects))


def _min_properties(least: int, *_: object) -> ColumnCheck:
    return lambda objects: min(map(len, objects), default=least) >= least


def _items(
    items: Mapping[str, Any], _schema: object, definitions: dict[str, ColumnCheck]
) -> ColumnCheck:
    item_check = _schema_check(items, definitions)
    return lambda arrays: item_check(list(chain.from_iterable(arrays)))


def _unique_items(unique: bool, *_: object) -> ColumnCheck | None:
    def check(arrays: Collection[Any]) -> bool:
        """Python's equality is JSON's for hashable JSON values, but for 1 == true."""
        try:
            return list(map(len, map(set, arrays))) == list(map(len, arrays))
        except TypeError:  # a list or mapping among the items
            return False

    return check if unique else None


def _min_length(least: int, *_: object) -> ColumnCheck:
    return lambda strings: min(map(len, strings), default=least) >= least


def _max_length(most: int, *_: object) -> ColumnCheck:
    return lambda strings: max(map(len, strings), default=most) <= most


def _pattern(pattern: str, *_: object) -> ColumnCheck:
    search = re.compile(pattern).search
    return lambda strings: all(map(search, strings))


def _minimum(least: float, *_: object) -> ColumnCheck:
    """The least value is at least ``least``. ``min`` passes over a NaN, as jsonschema does,
    unless it comes first: then the least is NaN, the check fails, and jsonschema judges."""
    return lambda numbers: min(numbers, default=least) >= least


_KEYWORDS: dict[str, tuple[frozenset[str] | None, Build]] = {
    "$ref": (None, _reference),
    "required": (_TYPE_KINDS["object"], _required),
    "properties": (_TYPE_KINDS["object"], _properties),
    "additionalProperties": (_TYPE_KINDS["object"], _additional_properties),
    "minProperties": (_TYPE_KINDS["object"], _min_properties),
    "items": (_TYPE_KINDS["array"], _items),
    "uniqueItems": (_TYPE_KINDS["array"], _unique_items),
    "minLength": (_STRINGS, _min_length),
    "maxLength": (_STRINGS, _max_length),
    "pattern": (_STRINGS, _pattern),
    "minimum": (_NUMBERS, _minimum),
}
"""The keywords the quick check reads (besides ``type``): the kinds of value each applies to
(None: every value) and how its check is built."""
