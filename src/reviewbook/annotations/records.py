"""Our annotations of a review: claims anchored to its text, and notes on its references.

One YAML file per review, ``data/annotations/<pmid>.yaml``::

    pmid: "21387299"
    claims:
      - id: erez-ctc-survival
        statement: Platelets and neutrophils help tumour cells survive in the blood.
        quote: {exact: "Survival of circulating tumor cells", prefix: "", suffix: ""}
        location: figure:Figure
        cells: [platelet, neutrophil]
        steps: [survival in circulation]
        role: promotes
        refs: []
    references:
      - index: 3
        note: Why the review cites it.
        tags: [metastatic cascade]

Reading goes YAML (round-trip loader: plain maps, lists and scalars only; any other tag is
refused) → JSON Schema (``annotations.schema.json``: shape and types) → `Annotations`.
`validate_annotations` then checks what the schema cannot: vocabulary terms, unique ids,
reference indices against the page, and that every quote anchors exactly once. Every
problem is an `AnnotationError` naming file, line and field.
"""

from __future__ import annotations

import contextlib
import functools
import io
import json
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.constructor import ConstructorError, RoundTripConstructor
from ruamel.yaml.error import YAMLError
from ruamel.yaml.nodes import Node

from reviewbook.annotations.anchoring import (
    ABSTRACT,
    FIGURE,
    Anchor,
    Quote,
    find_quote,
    near_miss,
    sentence_spans,
    text_parts,
)
from reviewbook.annotations.vocabulary import VOCABULARIES, suggest_term, term_names
from reviewbook.model import Article

if TYPE_CHECKING:
    import jsonschema

SCHEMA_RESOURCE = "annotations.schema.json"
YAML_WIDTH = 4096
"""Emitter line width: long strings stay on one line unless we fold them ourselves."""
CORE_TAGS: frozenset[str] = frozenset(
    f"tag:yaml.org,2002:{name}" for name in ("map", "seq", "str", "int", "float", "bool", "null")
)
"""The only YAML types an annotation file may contain."""
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


# --- the records ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Claim:
    """Our statement of what a passage says, the quote it rests on, and its terms."""

    id: str
    statement: str
    quote: Quote
    location: str
    """``title``, ``abstract``, ``figure:<label>`` or ``section:<heading>``."""
    cells: tuple[str, ...] = ()
    steps: tuple[str, ...] = ()
    role: str | None = None
    """``promotes``, ``inhibits``, ``both``, ``context-dependent``; None if the text is silent."""
    refs: tuple[int, ...] = ()
    """1-based indices of the references the passage cites."""


@dataclass(frozen=True, slots=True)
class ReferenceNote:
    """Why the review cites one of its references, and tags to filter by."""

    index: int
    note: str | None = None
    tags: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Annotations:
    """Everything annotated on one review, and where it was read from."""

    pmid: str
    claims: tuple[Claim, ...] = ()
    references: tuple[ReferenceNote, ...] = ()
    path: str | None = None
    lines: Mapping[str, int] = field(default_factory=dict, compare=False, repr=False)
    """1-based line of each field (``claims[2].cells[0]``) in the file read."""

    def line_of(self, name: str) -> int | None:
        """The line of field ``name``, or of its nearest enclosing field."""
        return _line_of(self.lines, name)

    def reference_note(self, index: int) -> ReferenceNote | None:
        """The note on reference ``index``, if there is one."""
        return next((entry for entry in self.references if entry.index == index), None)


@dataclass(frozen=True, slots=True)
class AnnotationError:
    """One problem in an annotation file; prints as ``path:line: field: message``."""

    path: str
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        return f"{where}: {self.field}: {self.message}"


class AnnotationsInvalid(ValueError):
    """Annotations that cannot be read or would not validate; ``errors`` says why."""

    def __init__(self, errors: Sequence[AnnotationError]) -> None:
        self.errors = tuple(errors)
        more = f" (and {len(self.errors) - 1} more)" if len(self.errors) > 1 else ""
        super().__init__(f"{self.errors[0]}{more}" if self.errors else "invalid annotations")


# --- YAML -------------------------------------------------------------------------------------


def round_trip_yaml() -> YAML:
    """A round-trip YAML reader/writer keeping comments, key order and quoting style."""
    yaml = YAML(typ="rt")
    yaml.Constructor = CoreTypesConstructor
    yaml.preserve_quotes = True
    yaml.width = YAML_WIDTH
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def dump_document(document: object) -> str:
    """A round-trip document as YAML text."""
    out = io.StringIO()
    round_trip_yaml().dump(document, out)
    return out.getvalue()


class ForbiddenTagError(ConstructorError):
    """A node typed with a tag other than the plain YAML core types."""


class CoreTypesConstructor(RoundTripConstructor):
    """The round-trip constructor, refusing every node whose tag is not in ``CORE_TAGS``.

    The check runs before a node is built, so a ``!!python/...`` tag is never acted on.
    """

    def construct_object(self, node: Node, deep: bool = False) -> Any:
        tag = _tag(node)
        if tag not in CORE_TAGS:
            shown = tag.replace("tag:yaml.org,2002:", "!!")
            problem = (
                f"tag {shown} is not allowed: only mappings, lists, strings, numbers, "
                "booleans and null (quote a value to keep it as text)"
            )
            raise ForbiddenTagError(None, None, problem, node.start_mark)
        return super().construct_object(node, deep=deep)


def parse_document(text: str, path: str = "<text>") -> Any:
    """The round-trip document of ``text``; YAML errors and non-core tags raise."""
    try:
        return round_trip_yaml().load(text)
    except YAMLError as error:
        raise AnnotationsInvalid([_yaml_error(error, path)]) from None


def _tag(node: Node) -> str:
    """A node's tag as text (ruamel versions differ in how they store it)."""
    return node.tag if isinstance(node.tag, str) else str(getattr(node.tag, "value", node.tag))


def _yaml_error(error: YAMLError, path: str) -> AnnotationError:
    """A YAML syntax error as an `AnnotationError` at the line it names."""
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    problem = getattr(error, "problem", None) or str(error).splitlines()[0]
    context = getattr(error, "context", None)
    message = f"{context}; {problem}" if context else str(problem)
    if not isinstance(error, ForbiddenTagError):
        message = f"not valid YAML: {message}"
    return AnnotationError(path, mark.line + 1 if mark else None, "yaml", message)


def document_lines(document: object, prefix: str = "") -> dict[str, int]:
    """1-based line of every field of a round-trip document, by dotted field name."""
    lines: dict[str, int] = {}
    if isinstance(document, CommentedMap):
        for key in document:
            name = f"{prefix}.{key}" if prefix else str(key)
            _record_line(lines, name, document.lc.key, key)
            lines.update(document_lines(document[key], name))
    elif isinstance(document, CommentedSeq):
        for position, item in enumerate(document):
            name = f"{prefix}[{position}]"
            _record_line(lines, name, document.lc.item, position)
            lines.update(document_lines(item, name))
    return lines


def _record_line(lines: dict[str, int], name: str, where: Any, key: object) -> None:
    """Note the line ruamel recorded for ``key``; nodes added in memory have none yet."""
    with contextlib.suppress(KeyError, IndexError, TypeError):
        lines[name] = where(key)[0] + 1


def _line_of(lines: Mapping[str, int], name: str) -> int | None:
    """The line of ``name`` or of the closest field enclosing it."""
    while name:
        if name in lines:
            return lines[name]
        cut = max(name.rfind("."), name.rfind("["))
        name = name[: max(cut, 0)]
    return min(lines.values(), default=1)


# --- schema -----------------------------------------------------------------------------------


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


def schema_errors(document: object, path: str = "<text>") -> list[AnnotationError]:
    """Where a document breaks the schema: missing, unknown or mistyped fields."""
    import fastjsonschema

    try:
        _quick_schema_check()(document)
        return []
    except fastjsonschema.JsonSchemaException:
        pass
    lines = document_lines(document)
    errors: list[AnnotationError] = []
    for error in _schema_validator().iter_errors(document):
        base = _field_name(error.absolute_path)
        for name, message in _schema_messages(error, base):
            errors.append(AnnotationError(path, _line_of(lines, name), name or "document", message))
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


# --- loading ----------------------------------------------------------------------------------


def loads_annotations(text: str, path: str = "<text>") -> Annotations:
    """Annotations from YAML text; raise `AnnotationsInvalid` if YAML or schema is broken."""
    document = parse_document(text, path)
    errors = schema_errors(document, path)
    if errors:
        raise AnnotationsInvalid(errors)
    return annotations_from_document(document, path)


def load_annotations(path: str | Path) -> Annotations:
    """Read an annotation file; raise `AnnotationsInvalid` if it is not valid YAML or schema."""
    name = str(path)
    data = Path(path).read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise AnnotationsInvalid([AnnotationError(name, line, "yaml", "not UTF-8 text")]) from None
    return loads_annotations(text, name)


def annotations_from_document(document: Mapping[str, Any], path: str | None) -> Annotations:
    """Records from a document that passed the schema (values copied as plain Python)."""
    return Annotations(
        pmid=str(document["pmid"]),
        claims=tuple(_claim(entry) for entry in document.get("claims") or ()),
        references=tuple(_reference_note(entry) for entry in document.get("references") or ()),
        path=path,
        lines=document_lines(document),
    )


def _claim(entry: Mapping[str, Any]) -> Claim:
    quote = entry["quote"]
    role = entry.get("role")
    return Claim(
        id=str(entry["id"]),
        statement=str(entry["statement"]),
        quote=Quote(
            exact=str(quote["exact"]),
            prefix=str(quote.get("prefix") or ""),
            suffix=str(quote.get("suffix") or ""),
        ),
        location=str(entry["location"]),
        cells=tuple(str(term) for term in entry.get("cells") or ()),
        steps=tuple(str(term) for term in entry.get("steps") or ()),
        role=None if role is None else str(role),
        refs=tuple(int(index) for index in entry.get("refs") or ()),
    )


def _reference_note(entry: Mapping[str, Any]) -> ReferenceNote:
    note = entry.get("note")
    return ReferenceNote(
        index=int(entry["index"]),
        note=None if note is None else str(note),
        tags=tuple(str(tag) for tag in entry.get("tags") or ()),
    )


def annotation_files(folder: str | Path) -> list[Path]:
    """The annotation files in ``folder``, sorted; hidden files (temporary saves) are skipped."""
    return sorted(path for path in Path(folder).glob("*.yaml") if not path.name.startswith("."))


# --- validation -------------------------------------------------------------------------------


def validate_annotations(
    annotations: Annotations, article: Article | None = None
) -> list[AnnotationError]:
    """Everything wrong with ``annotations`` that the schema cannot see.

    Without the article, checks the file alone: pmid against the file name, unique claim ids
    and reference indices, vocabulary terms. With it, also the pmid, reference indices against
    the page's list, and that every quote anchors exactly once, at the claim's location.
    """
    errors = [
        *_file_name_errors(annotations),
        *_duplicate_errors(annotations),
        *_vocabulary_errors(annotations),
    ]
    if article is not None:
        errors += _article_errors(annotations, article)
    return sorted(errors, key=lambda error: (error.line or 0, error.field))


def _error(annotations: Annotations, name: str, message: str) -> AnnotationError:
    return AnnotationError(annotations.path or "<text>", annotations.line_of(name), name, message)


def _file_name_errors(annotations: Annotations) -> list[AnnotationError]:
    stem = Path(annotations.path).stem if annotations.path else ""
    if stem.isdigit() and stem != annotations.pmid:
        return [_error(annotations, "pmid", f"{annotations.pmid} does not match the file name")]
    return []


def _duplicate_errors(annotations: Annotations) -> list[AnnotationError]:
    errors: list[AnnotationError] = []
    seen_ids: dict[str, int] = {}
    for position, claim in enumerate(annotations.claims):
        name = f"claims[{position}].id"
        if claim.id in seen_ids:
            first = annotations.line_of(f"claims[{seen_ids[claim.id]}].id")
            errors.append(
                _error(
                    annotations, name, f"duplicate claim id {claim.id!r} (first on line {first})"
                )
            )
        else:
            seen_ids[claim.id] = position
    seen_indices: dict[int, int] = {}
    for position, entry in enumerate(annotations.references):
        name = f"references[{position}].index"
        if entry.index in seen_indices:
            first = annotations.line_of(f"references[{seen_indices[entry.index]}].index")
            errors.append(
                _error(
                    annotations,
                    name,
                    f"reference {entry.index} is annotated twice (first on line {first})",
                )
            )
        else:
            seen_indices[entry.index] = position
    return errors


def _vocabulary_errors(annotations: Annotations) -> list[AnnotationError]:
    errors: list[AnnotationError] = []
    for position, claim in enumerate(annotations.claims):
        for key, terms in VOCABULARIES.items():
            value = getattr(claim, key)
            used = value if isinstance(value, tuple) else () if value is None else (value,)
            for item, term in enumerate(used):
                if term in term_names(terms):
                    continue
                name = f"claims[{position}].{key}" + (
                    f"[{item}]" if isinstance(value, tuple) else ""
                )
                suggestion = suggest_term(terms, term)
                hint = (
                    f"; write {suggestion!r}"
                    if suggestion
                    else f"; known terms: {', '.join(term_names(terms))}"
                )
                errors.append(_error(annotations, name, f"unknown term {term!r}{hint}"))
    return errors


def _article_errors(annotations: Annotations, article: Article) -> list[AnnotationError]:
    errors: list[AnnotationError] = []
    if article.pmid and article.pmid != annotations.pmid:
        errors.append(
            _error(annotations, "pmid", f"{annotations.pmid} but the page is PMID {article.pmid}")
        )
    count = len(article.references)
    listed = f"the page lists references 1-{count}" if count else "the page lists no references"
    for position, entry in enumerate(annotations.references):
        if not 1 <= entry.index <= count:
            name = f"references[{position}].index"
            errors.append(
                _error(annotations, name, f"reference {entry.index} out of range: {listed}")
            )
    parts = text_parts(article)
    for position, claim in enumerate(annotations.claims):
        for item, index in enumerate(claim.refs):
            if not 1 <= index <= count:
                name = f"claims[{position}].refs[{item}]"
                errors.append(
                    _error(annotations, name, f"reference {index} out of range: {listed}")
                )
        errors += _quote_errors(annotations, position, claim, article, parts)
    return errors


def _quote_errors(
    annotations: Annotations,
    position: int,
    claim: Claim,
    article: Article,
    parts: Mapping[str, str],
) -> list[AnnotationError]:
    """Errors for a claim whose quote does not anchor once, at its location."""
    field_name = f"claims[{position}].quote.exact"
    if claim.location not in parts:
        known = ", ".join(parts)
        message = f"{claim.location!r} is not a part of the review (parts: {known})"
        return [_error(annotations, f"claims[{position}].location", message)]
    anchors = find_quote(article, claim.quote)
    if len(anchors) == 1:
        if anchors[0].location != claim.location:
            message = f"the quote is in {anchors[0].location}, not {claim.location}"
            return [_error(annotations, f"claims[{position}].location", message)]
        return []
    if len(anchors) > 1:
        message = f"quote occurs {_places(anchors)}; add a prefix or suffix"
        return [_error(annotations, field_name, message)]
    bare = find_quote(article, Quote(claim.quote.exact))
    if bare:
        message = "quote found, but not with the given prefix/suffix"
    elif (place := near_miss(article, claim.quote)) is not None:
        message = (
            f"quote not found exactly; {place} has it with other quotes, dashes, spacing or "
            "case: copy it character for character"
        )
    else:
        message = "quote not found in the review's text"
    return [_error(annotations, field_name, message)]


def _places(anchors: Sequence[Anchor]) -> str:
    """``3 times (abstract x2, figure:Figure)``: how often and where a quote occurs."""
    counts = Counter(anchor.location for anchor in anchors)
    places = ", ".join(
        f"{where} x{count}" if count > 1 else where for where, count in counts.items()
    )
    return f"{len(anchors)} times ({places})"


def check_annotations(path: str | Path, article: Article | None) -> list[AnnotationError]:
    """Every error of an annotation file, reading problems included; never raises for content."""
    try:
        annotations = load_annotations(path)
    except AnnotationsInvalid as invalid:
        return list(invalid.errors)
    return validate_annotations(annotations, article)


# --- coverage ---------------------------------------------------------------------------------


def anchors_of(annotations: Annotations, article: Article) -> dict[str, Anchor]:
    """Claim id → anchor, for every claim whose quote anchors exactly once."""
    found: dict[str, Anchor] = {}
    for claim in annotations.claims:
        anchors = find_quote(article, claim.quote)
        if len(anchors) == 1:
            found[claim.id] = anchors[0]
    return found


def sentence_units(article: Article) -> list[tuple[str, int, int]]:
    """``(location, start, end)`` of each abstract sentence, figure title and caption sentence."""
    parts = text_parts(article)
    units = [(ABSTRACT, start, end) for start, end in sentence_spans(parts.get(ABSTRACT, ""))]
    for figure in article.figures:
        location = FIGURE + figure.label
        if location not in parts:
            continue
        offset = 0
        if figure.title:
            units.append((location, 0, len(figure.title)))
            offset = len(figure.title) + 1
        units += [(location, offset + s, offset + e) for s, e in sentence_spans(figure.caption)]
    return units


def uncovered_sentences(annotations: Annotations, article: Article) -> list[tuple[str, str]]:
    """``(location, sentence)`` of abstract and figure sentences no claim quotes in full.

    A sentence is covered when every non-space character lies inside some claim's anchored
    quote (one long quote, or several short ones side by side).
    """
    parts = text_parts(article)
    covered: dict[str, set[int]] = {}
    for anchor in anchors_of(annotations, article).values():
        covered.setdefault(anchor.location, set()).update(range(anchor.start, anchor.end))
    missing: list[tuple[str, str]] = []
    for location, start, end in sentence_units(article):
        text = parts[location]
        marks = covered.get(location, set())
        if any(not text[i].isspace() and i not in marks for i in range(start, end)):
            missing.append((location, text[start:end]))
    return missing
