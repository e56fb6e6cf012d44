"""Annotation files as YAML: a fast reader for checking and loading, a round-trip one for edits.

`read_document` reads a file with libyaml's parser (PyYAML's C extension), event by event, into
plain dicts, lists and scalars, and notes the line of every field (`FieldLines`); its time and
memory grow linearly with the file. Plain scalars are typed by YAML 1.2's rules as ruamel.yaml
applies them (`IMPLICIT_TYPES`): ``yes``, ``on`` and ``1:30`` stay text. `round_trip_yaml` keeps
comments, order and quoting, for `store` to edit a file in place.

Both readers build only plain maps, lists and scalars (`CORE_TAGS`); any other tag, such as
``!!python/object``, is refused before anything is built. Anchors and aliases (``&name``,
``*name``) are refused as the parser meets them, before any node is built, so a few hundred
bytes of nested aliases (a "billion laughs") cannot grow into gigabytes; and a file larger than
`MAX_FILE_BYTES` is refused before it is parsed. Errors are worded as ruamel.yaml words them,
the same whichever reader met them.

Lists and mappings nested deeper than `MAX_DEPTH` are refused by libyaml's events alone
(`NestingTooDeep`), and such a text never reaches ruamel.yaml, whose scanner takes time
quadratic in the depth (80 s for 20,000 levels in 40 kB). Merge keys (``<<: {...}``) are
refused by both readers, so the editor never saves one it read. The writer quotes what
libyaml would not read back as the same text (`LibyamlSafeEmitter`).
"""

from __future__ import annotations

import contextlib
import io
import math
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import yaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.composer import Composer, ComposerError
from ruamel.yaml.constructor import ConstructorError, RoundTripConstructor
from ruamel.yaml.emitter import RoundTripEmitter, ScalarAnalysis
from ruamel.yaml.error import YAMLError
from ruamel.yaml.events import AliasEvent
from ruamel.yaml.nodes import Node

from reviewbook.annotations.model import AnnotationError, AnnotationsInvalid
from reviewbook.collector import collector_paused

YAML_WIDTH = 4096
"""Emitter line width: long strings stay on one line unless we fold them ourselves."""
CORE_TAGS: frozenset[str] = frozenset(
    f"tag:yaml.org,2002:{name}" for name in ("map", "seq", "str", "int", "float", "bool", "null")
)
"""The only YAML types an annotation file may contain."""
MAX_FILE_BYTES = 32 * 1024 * 1024
"""The largest annotation file read (32 MiB, about a hundred times our largest review's
notes); a larger one is refused with a message instead of being parsed."""
MAX_DEPTH = 64
"""The deepest nesting of lists and mappings read (a file needs four levels); deeper input is
refused at the first level too many, before ruamel.yaml (quadratic in the depth, recursive)
or any later step sees it."""
LIBYAML_TOO_DEEP = "exceeded maximum nesting depth"
"""libyaml's words when nesting passes its own limit of 1,000 levels (libyaml 0.2.6, in
PyYAML's wheels): its scanner looks ahead along a line, so ``[[[...`` on one line meets that
limit before the reader sees `MAX_DEPTH` levels of events."""
WORDED_ERROR_CHARS = 256 * 1024
"""A refused text of up to this many characters is read again by ruamel.yaml (about 300 kB a
second), whose errors are reported, as they always were; a longer one keeps the fast reader's
words, and ruamel.yaml's for a syntax error in its first `WORDED_ERROR_CHARS`."""
ALIASES_REFUSED = (
    "anchors and aliases (&name, *name) are not allowed in annotation files: write each value out"
)


def round_trip_yaml() -> YAML:
    """A round-trip YAML reader/writer keeping comments, key order and quoting style."""
    yaml = YAML(typ="rt")
    yaml.Constructor = CoreTypesConstructor
    yaml.Composer = NoAliasComposer
    yaml.Emitter = LibyamlSafeEmitter
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

    The check runs before a node is built, so a ``!!python/...`` tag is never acted on. A merge
    key (plain ``<<``) is refused too: ruamel.yaml would merge it in without building the key
    node, so the editor validated the merged mapping and wrote ``<<:`` back, which the check
    (`read_document`) refuses.
    """

    def construct_object(self, node: Node, deep: bool = False) -> Any:
        tag = _tag(node)
        if tag not in CORE_TAGS:
            raise ForbiddenTagError(None, None, _forbidden_tag(tag), node.start_mark)
        return super().construct_object(node, deep=deep)

    def flatten_mapping(self, node: Any) -> Any:
        """Refuse a key of another type, such as a merge key, before anything is merged."""
        for key_node, _ in node.value:
            tag = _tag(key_node)
            if tag not in CORE_TAGS:
                raise ForbiddenTagError(None, None, _forbidden_tag(tag), key_node.start_mark)
        return super().flatten_mapping(node)


class LibyamlSafeEmitter(RoundTripEmitter):
    """The round-trip emitter, quoting in flow collections text that starts with ``?`` or ``:``.

    ruamel.yaml writes ``{note: ? a}`` and ``{note: :a}`` plain, as YAML 1.2 allows, but
    libyaml (the check's reader) reads neither back as that text: it follows YAML 1.1 there.
    """

    def analyze_scalar(self, scalar: Any) -> ScalarAnalysis:
        analysis = super().analyze_scalar(scalar)
        if scalar[:1] in ("?", ":"):
            analysis.allow_flow_plain = False
        return analysis


class AliasError(ComposerError):
    """An anchor or alias, refused before the node it names is composed or repeated."""


class NoAliasComposer(Composer):
    """The composer, refusing anchors and aliases as soon as the parser reports one."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.parser.peek_event()
        if isinstance(event, AliasEvent) or getattr(event, "anchor", None) is not None:
            raise AliasError(None, None, ALIASES_REFUSED, event.start_mark)
        return super().compose_node(parent, index)


def check_size(data: bytes, path: str) -> bytes:
    """``data`` itself, if no larger than `MAX_FILE_BYTES`; else `AnnotationsInvalid`."""
    if len(data) > MAX_FILE_BYTES:
        message = (
            f"the file is {len(data)} bytes, more than the {MAX_FILE_BYTES} an annotation "
            "file may hold; split the notes or trim them"
        )
        raise AnnotationsInvalid([AnnotationError(path, None, "file", message)])
    return data


class NestingTooDeep(AnnotationsInvalid):
    """Lists and mappings nested deeper than `MAX_DEPTH`: refused by libyaml's events alone,
    in time linear in the text, and never handed to ruamel.yaml."""

    def __init__(self, path: str, line: int | None) -> None:
        message = f"lists and mappings nest more than {MAX_DEPTH} deep"
        super().__init__([AnnotationError(path, line, "yaml", message)])


def parse_document(text: str, path: str = "<text>") -> Any:
    """The round-trip document of ``text``; YAML errors, non-core tags and nesting deeper
    than `MAX_DEPTH` (`check_nesting`, before ruamel.yaml reads anything) raise."""
    check_nesting(text, path)
    try:
        return round_trip_yaml().load(text)
    except YAMLError as error:
        raise AnnotationsInvalid([_yaml_error(error, path)]) from None


def check_nesting(text: str, path: str = "<text>") -> None:
    """Raise `NestingTooDeep` if ``text`` nests lists and mappings deeper than `MAX_DEPTH`.

    libyaml's events are counted, nothing is built, and the walk stops at the first level too
    many; a syntax error or a character no file may hold ends it quietly, for the caller's
    reader to word.
    """
    try:
        parser = yaml.CBaseLoader(text)
    except UnicodeEncodeError:  # a lone surrogate: the caller's reader words it
        return
    starts = (yaml.MappingStartEvent, yaml.SequenceStartEvent)
    ends = (yaml.MappingEndEvent, yaml.SequenceEndEvent)
    depth = 0
    try:
        while not isinstance(event := parser.get_event(), yaml.StreamEndEvent):
            if isinstance(event, starts):
                depth += 1
                if depth > MAX_DEPTH:
                    raise NestingTooDeep(path, event.start_mark.line + 1)
            elif isinstance(event, ends):
                depth -= 1
    except yaml.MarkedYAMLError as error:
        if _libyaml_too_deep(error):
            raise NestingTooDeep(path, _mark_line(error)) from None
    except yaml.YAMLError:
        pass
    finally:
        parser.dispose()


def _libyaml_too_deep(error: yaml.MarkedYAMLError) -> bool:
    """Whether libyaml stopped at its own nesting limit (`LIBYAML_TOO_DEEP`)."""
    return error.problem == LIBYAML_TOO_DEEP


def _mark_line(error: yaml.MarkedYAMLError) -> int | None:
    """The 1-based line a libyaml error names, if it names one."""
    mark = error.problem_mark or error.context_mark
    return None if mark is None else mark.line + 1


def _forbidden_tag(tag: str) -> str:
    """Why a node tagged ``tag`` (not one of `CORE_TAGS`) is refused."""
    shown = tag.replace("tag:yaml.org,2002:", "!!")
    return (
        f"tag {shown} is not allowed: only mappings, lists, strings, numbers, booleans and "
        "null (quote a value to keep it as text)"
    )


def _tag(node: Node) -> str:
    """A node's tag as text (ruamel versions differ in how they store it)."""
    return node.tag if isinstance(node.tag, str) else str(getattr(node.tag, "value", node.tag))


def _yaml_error(error: YAMLError, path: str) -> AnnotationError:
    """A YAML syntax error as an `AnnotationError` at the line it names."""
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    problem = getattr(error, "problem", None) or str(error).splitlines()[0]
    context = getattr(error, "context", None)
    message = f"{context}; {problem}" if context else str(problem)
    if not isinstance(error, (ForbiddenTagError, AliasError)):
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


# --- the fast reader: libyaml events to plain values ---------------------------------------------


@dataclass(frozen=True, slots=True)
class ImplicitType:
    """The type a plain (unquoted, untagged) scalar takes when its text matches ``pattern``.

    ruamel.yaml tries a type only for texts starting with one of ``first``, in table order.
    """

    name: str
    first: str
    pattern: str


IMPLICIT_TYPES: tuple[ImplicitType, ...] = tuple(
    ImplicitType(name, first, pattern)
    for name, first, pattern in (
        ("bool", "tTfF", r"true|True|TRUE|false|False|FALSE"),
        (
            "float",
            "-+0123456789.",
            r"[-+]?[0-9][0-9_]*\.[0-9_]*(?:[eE][-+]?[0-9]+)?|[-+]?[0-9][0-9_]*[eE][-+]?[0-9]+"
            r"|[-+]?\.[0-9_]+(?:[eE][-+][0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)",
        ),
        (
            "int",
            "-+0123456789",
            r"[-+]?0b[0-1_]+|[-+]?0o?[0-7_]+|[-+]?[0-9_]+|[-+]?0x[0-9a-fA-F_]+",
        ),
        ("merge", "<", r"<<"),
        ("null", "~nN", r"~|null|Null|NULL"),
        (
            "timestamp",
            "0123456789",
            r"[0-9]{4}-[0-9][0-9]-[0-9][0-9]|[0-9]{4}-[0-9][0-9]?-[0-9][0-9]?(?:[Tt]|[ \t]+)"
            r"[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?"
            r"(?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?",
        ),
        ("value", "=", r"="),
    )
)
"""YAML 1.2's implicit types as ruamel.yaml resolves them (its `VersionedResolver` for 1.2):
``yes``, ``on``, ``0777`` octal and ``1:30`` sexagesimals are YAML 1.1 and not read here; ``<<``,
``=`` and dates resolve to types an annotation file may not hold, and are refused."""
_TYPED_BY_FIRST: dict[str, re.Pattern[str]] = {
    first: re.compile(
        "|".join(
            f"(?P<{implicit.name}>{implicit.pattern})"
            for implicit in IMPLICIT_TYPES
            if first in implicit.first
        )
    )
    for first in {character for implicit in IMPLICIT_TYPES for character in implicit.first}
}
"""By first character, one pattern trying the types `IMPLICIT_TYPES` tries, in their order;
the group that matches names the type."""
_INT_BASES = {"0b": 2, "0o": 8, "0x": 16}
_CORE = "tag:yaml.org,2002:"
_MAP, _SEQ = _CORE + "map", _CORE + "seq"
_NON_SPECIFIC = "!"
_NON_PRINTABLE = re.compile(
    "[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
)
"""Characters ruamel.yaml's reader refuses anywhere in a file."""
_LINE_BREAK = re.compile("\r\n|[\n\r\x85\u2028\u2029]")
_INDEX = re.compile(r"\[([0-9]+)\]")
_FIELD_END = re.compile(r"[.\[]")
_AWAITING_KEY: Any = object()
_SHORT_DIGITS = 18
"""A plain scalar of at most this many ASCII digits is an int, built by `int` directly."""
_PLAIN_TEXTS_KEPT = 4096
"""How many distinct plain texts (keys, tags, terms) `read_document` keeps to type them once
and share one copy among all their uses; texts met after that are typed each time."""


def _to_int(text: str) -> int:
    """An integer from YAML 1.2 text (``-1_000``, ``0x1F``, ``0o17``, ``0b101``, ``017`` = 17)."""
    digits = text.replace("_", "")
    sign = -1 if digits[:1] == "-" else 1
    digits = digits[1:] if digits[:1] in ("-", "+") else digits
    base = _INT_BASES.get(digits[:2], 10)
    return sign * int(digits if base == 10 else digits[2:], base)


def _to_float(text: str) -> float:
    """A number from YAML 1.2 text (``1_0.5``, ``1e3``, ``.5``, ``-.inf``, ``.nan``)."""
    digits = text.replace("_", "").lower()
    sign = -1.0 if digits[:1] == "-" else 1.0
    digits = digits[1:] if digits[:1] in ("-", "+") else digits
    if digits == ".nan":
        return math.nan
    return sign * (math.inf if digits == ".inf" else float(digits))


_CONSTRUCTORS: dict[str, Callable[[str], object]] = {
    _CORE + "str": str,
    _CORE + "int": _to_int,
    _CORE + "float": _to_float,
    _CORE + "bool": lambda text: text.lower() == "true",
    _CORE + "null": lambda text: None,
}
"""How each scalar core type is built from its text."""


class _Refused(Exception):
    """A node an annotation file may not hold; the message says why."""


def _implicit_type(text: str) -> str:
    """The tag ruamel.yaml's YAML 1.2 rules give a plain scalar."""
    if not text:
        return _CORE + "null"
    typed = _TYPED_BY_FIRST.get(text[0])
    match = typed.fullmatch(text) if typed is not None else None
    return _CORE + (match.lastgroup or "str" if match is not None else "str")


def _plain_scalar(text: str) -> object:
    """The value of a plain scalar; text that looks like a number but is none (``-_``) stays
    text, where ruamel.yaml stops with a ``ValueError``."""
    return _typed_plain(_implicit_type(text), text)


def _typed_plain(tag: str, text: str) -> object:
    """The value of a plain scalar of type ``tag`` (`_plain_scalar`)."""
    if tag not in _CONSTRUCTORS:
        raise _Refused(_forbidden_tag(tag))
    try:
        return _CONSTRUCTORS[tag](text)
    except ValueError:
        return text


def _tagged_scalar(tag: str, text: str) -> object:
    """The value of a scalar with an explicit core tag (``!!int "3"``), whose text must have
    that type's YAML 1.2 form (``!!float`` also takes an integer's)."""
    if tag not in CORE_TAGS:
        raise _Refused(_forbidden_tag(tag))
    if tag in (_MAP, _SEQ):
        raise _Refused(f"not valid YAML: expected a {_kind(tag)} node, but found scalar")
    implicit = _implicit_type(text)
    if (
        tag != _CORE + "str"
        and implicit != tag
        and (implicit, tag) != (_CORE + "int", _CORE + "float")
    ):
        shown = tag.replace(_CORE, "!!")
        raise _Refused(f"not valid YAML: {text!r} is not a valid {shown}")
    try:
        return _CONSTRUCTORS[tag](text)
    except ValueError:
        raise _Refused(
            f"not valid YAML: {text!r} is not a valid {tag.replace(_CORE, '!!')}"
        ) from None


def _kind(tag: str) -> str:
    """``mapping``, ``sequence`` or ``scalar``: what a node of core tag ``tag`` must be."""
    return {_MAP: "mapping", _SEQ: "sequence"}.get(tag, "scalar")


@dataclass(frozen=True, slots=True)
class ReadDocument:
    """A file's content as plain dicts, lists and scalars, and the line of each of its fields."""

    document: Any
    lines: FieldLines


def read_document(text: str, path: str = "<text>") -> ReadDocument:
    """The plain content of ``text`` and the line of each field, read by libyaml.

    Reads as `parse_document` would (YAML 1.2 types, core tags only, no anchors or aliases)
    and raises `AnnotationsInvalid` with the same errors, in time and memory linear in the
    size of ``text``.
    """
    try:
        parser = yaml.CBaseLoader(text)
    except UnicodeEncodeError:  # a lone surrogate: no file holds one
        raise AnnotationsInvalid([_unprintable(text, path)]) from None
    try:
        with collector_paused():
            document, lines = _compose(parser.get_event, path)
    except NestingTooDeep:
        raise
    except AnnotationsInvalid as invalid:
        raise AnnotationsInvalid(_round_trip_errors(text, path) or invalid.errors) from None
    except yaml.MarkedYAMLError as error:
        if _libyaml_too_deep(error):
            raise NestingTooDeep(path, _mark_line(error)) from None
        errors = _round_trip_errors(text, path) or [_far_syntax_error(error, text, path)]
        raise AnnotationsInvalid(errors) from None
    except yaml.YAMLError as error:  # libyaml's reader: a character no YAML file may hold
        raise AnnotationsInvalid([_unprintable(text, path, error)]) from None
    finally:
        parser.dispose()
    return ReadDocument(document, lines)


def _unprintable(text: str, path: str, error: yaml.YAMLError | None = None) -> AnnotationError:
    """The first character of ``text`` that a YAML file may not hold, worded as ruamel.yaml
    words it (its reader refuses the same characters as libyaml's).

    libyaml finds it as it reads, so a valid file is not scanned twice; ``error``, libyaml's
    own, is reported if the scan finds nothing.
    """
    bad = _NON_PRINTABLE.search(text)
    if bad is None:
        message = f"not valid YAML: {str(error).splitlines()[0]}"
    else:
        message = (
            f"not valid YAML: unacceptable character #x{ord(bad.group()):04x}: "
            "special characters are not allowed"
        )
    return AnnotationError(path, None, "yaml", message)


def _compose(next_event: Callable[[], Any], path: str) -> tuple[Any, FieldLines]:
    """The document of a libyaml event stream, and the line of each of its fields.

    Anchors, aliases and a second document stop the reading at once, as ruamel.yaml's composer
    does, and so does nesting deeper than `MAX_DEPTH` (`NestingTooDeep`, not handed to the
    round-trip reader); a refused tag, type or duplicate key is reported once the whole stream
    has parsed, so that a syntax error further on wins, as it does there.
    """
    stack: list[tuple[Any, Any, Any, int, int]] = []
    root: Any = None
    lines = FieldLines(0, None)
    container: Any = None  # the open collection: a dict, a list, or None at document level
    table: Any = None  # the lines of its keys or items (a `FieldLines` table)
    key: Any = _AWAITING_KEY
    key_line = start_line = 0
    problem: AnnotationError | None = None
    documents = 0
    in_map = False
    plain_texts: dict[str, str] = {}  # plain scalars met before that are text: keys, tags
    scalar_event, alias_event = yaml.ScalarEvent, yaml.AliasEvent
    mapping_start, sequence_start = yaml.MappingStartEvent, yaml.SequenceStartEvent
    collection_ends = (yaml.MappingEndEvent, yaml.SequenceEndEvent)
    while True:
        event = next_event()
        kind = type(event)
        if kind is scalar_event:
            if event.anchor is not None:
                line = event.start_mark.line + 1
                raise AnnotationsInvalid([AnnotationError(path, line, "yaml", ALIASES_REFUSED)])
            value = event.value
            tag = event.tag
            try:
                if tag is None and event.implicit[0]:  # plain: most text is a string
                    if (known := plain_texts.get(value)) is not None:
                        value = known
                    elif value.isdigit() and value.isascii() and len(value) <= _SHORT_DIGITS:
                        value = int(value)
                    else:
                        value = _plain_scalar(value)
                        if type(value) is str and len(plain_texts) < _PLAIN_TEXTS_KEPT:
                            plain_texts[value] = value
                elif tag == _NON_SPECIFIC:  # ``! "12"``: ruamel.yaml types it as if plain
                    value = _plain_scalar(value)
                elif tag is not None:
                    value = _tagged_scalar(tag, value)
            except _Refused as refused:
                line = event.start_mark.line + 1
                problem = problem or AnnotationError(path, line, "yaml", str(refused))
            if in_map:
                if key is _AWAITING_KEY:
                    key = value
                    key_line = event.start_mark.line + 1
                    continue
            elif container is not None:
                container.append(value)
                table.append(event.start_mark.line + 1 - start_line)
                continue
            else:
                root = value
                continue
            if key in container:
                problem = problem or _duplicate(path, key_line, key, value, container[key])
            container[key] = value
            table[key] = key_line - start_line
            key = _AWAITING_KEY
        elif kind is mapping_start or kind is sequence_start:
            line = event.start_mark.line + 1
            if event.anchor is not None:
                raise AnnotationsInvalid([AnnotationError(path, line, "yaml", ALIASES_REFUSED)])
            if len(stack) >= MAX_DEPTH:
                raise NestingTooDeep(path, line)
            is_mapping = kind is mapping_start
            tag = event.tag
            if tag is not None and tag != _NON_SPECIFIC and tag != (_MAP if is_mapping else _SEQ):
                found = "mapping" if is_mapping else "sequence"
                message = (
                    _forbidden_tag(tag)
                    if tag not in CORE_TAGS
                    else f"not valid YAML: expected a {_kind(tag)} node, but found {found}"
                )
                problem = problem or AnnotationError(path, line, "yaml", message)
            stack.append((container, table, key, key_line, start_line))
            container, table = ({}, {}) if is_mapping else ([], [])
            key, start_line, in_map = _AWAITING_KEY, line, is_mapping
        elif kind in collection_ends:
            done, done_table, done_line = container, table, start_line
            container, table, key, key_line, start_line = stack.pop()
            in_map = type(container) is dict
            if container is None:
                root = done
                lines = FieldLines(done_line, done_table)
            elif type(container) is list:
                container.append(done)
                offset = done_line - start_line
                table.append((offset, offset, done_table))
            elif key is _AWAITING_KEY:
                found = "mapping" if type(done) is dict else "list"
                message = (
                    "not valid YAML: while constructing a mapping; a key must be text, a "
                    f"number, a boolean or null, not a {found}"
                )
                problem = problem or AnnotationError(path, done_line, "yaml", message)
                key, key_line = object(), done_line
            else:
                if key in container:
                    problem = problem or _duplicate(path, key_line, key, done, container[key])
                container[key] = done
                table[key] = (key_line - start_line, done_line - start_line, done_table)
                key = _AWAITING_KEY
        elif kind is alias_event:
            line = event.start_mark.line + 1
            raise AnnotationsInvalid([AnnotationError(path, line, "yaml", ALIASES_REFUSED)])
        elif kind is yaml.DocumentStartEvent:
            documents += 1
            line = event.start_mark.line + 1
            if documents > 1:
                message = (
                    "not valid YAML: expected a single document in the stream; "
                    "but found another document"
                )
                raise AnnotationsInvalid([AnnotationError(path, line, "yaml", message)])
            if event.version not in (None, (1, 2)):
                major, minor = event.version
                message = (
                    f"not valid YAML: annotation files are YAML 1.2, not {major}.{minor}: "
                    "remove the %YAML line"
                )
                raise AnnotationsInvalid([AnnotationError(path, line, "yaml", message)])
        elif kind is yaml.StreamEndEvent:
            break
    if problem is not None:
        raise AnnotationsInvalid([problem])
    return root, lines


def _duplicate(path: str, line: int, key: object, value: object, first: object) -> AnnotationError:
    """A key given twice in one mapping, worded as ruamel.yaml words it."""
    message = (
        f'not valid YAML: while constructing a mapping; found duplicate key "{key}" with value '
        f'"{value}" (original value: "{first}")'
    )
    return AnnotationError(path, line, "yaml", message)


def _round_trip_errors(text: str, path: str) -> list[AnnotationError]:
    """The errors `parse_document` finds in a refused text of up to `WORDED_ERROR_CHARS`.

    The two readers refuse the same texts but may word, or order, their findings differently;
    what the round-trip reader says is what editors have always been told. Nothing (so the
    fast reader's own words stand) for a longer text, or one the round-trip reader reads or
    stumbles on in its own way (a ``ValueError`` for ``!!int abc``).
    """
    if len(text) > WORDED_ERROR_CHARS:
        return []
    try:
        parse_document(text, path)
    except NestingTooDeep:  # nested too deep past where the fast reader stopped
        return []
    except AnnotationsInvalid as invalid:
        return list(invalid.errors)
    except Exception:  # ruamel.yaml failing its own way words nothing
        return []
    return []


def _far_syntax_error(error: yaml.MarkedYAMLError, text: str, path: str) -> AnnotationError:
    """libyaml's syntax error in a long text, in ruamel.yaml's words if it can.

    ruamel.yaml's parser reads only through the line of the error, and its words are kept
    only if it finds an error no later than that line (not merely the shortened text's end).
    """
    mark = error.problem_mark or error.context_mark
    prefix = _through_line(text, mark.line, WORDED_ERROR_CHARS) if mark is not None else None
    if mark is not None and prefix is not None:
        worded = _round_trip_syntax_error(prefix, path)
        if worded is not None and (worded.line or 0) <= mark.line + 1:
            return worded
    return _yaml_error(error, path)


def _through_line(text: str, line: int, limit: int) -> str | None:
    """``text`` through the end of 0-based ``line``, or None if that is past ``limit``."""
    for count, found in enumerate(_LINE_BREAK.finditer(text, 0, limit + 2)):
        if count == line:
            return text[: found.end()] if found.end() <= limit else None
    return text if len(text) <= limit else None


def _round_trip_syntax_error(text: str, path: str) -> AnnotationError | None:
    """The first syntax error ruamel.yaml's parser meets in ``text``, if any.

    ``text`` ends on the line where libyaml stopped, and `read_document` has seen its events
    without passing `MAX_DEPTH`, but for libyaml's look-ahead for a key (at most 1,024
    characters): ruamel.yaml's time, quadratic in the depth, stays bounded."""
    try:
        for _ in round_trip_yaml().parse(text):
            pass
    except YAMLError as error:
        return _yaml_error(error, path)
    return None


def _entries(table: LineTable) -> Iterator[tuple[Any, Any]]:
    """``(key or position, entry)`` of a `LineTable`, in order."""
    return iter(table.items()) if isinstance(table, dict) else enumerate(table)


LineTable = dict[Any, Any] | list[Any]
"""The lines of one collection's entries, as offsets from the line the collection starts on:
by key for a mapping, by position for a list. A scalar's entry is its offset; a collection's
is ``(offset, offset of its start, its own table)``; offsets within an entry stay small."""


class FieldLines(Mapping[str, int]):
    """1-based line of each field of a document `read_document` read, by field name
    (``claims[2].cells[0]``; a mapping's field is the line of its key).

    A name is found when asked for, by walking a tree of `LineTable`s, so reading a file spells
    out no names and keeps no second copy of its values.
    """

    def __init__(self, start: int, table: LineTable | None) -> None:
        self._start = start
        self._table = table
        self._spelled: dict[int, dict[str, object]] = {}

    def __getitem__(self, name: str) -> int:
        line = self._find(name)
        if line is None:
            raise KeyError(name)
        return line

    def __iter__(self) -> Iterator[str]:
        """Every field name, in the file's order (a field, then the fields inside it)."""
        pending: list[tuple[Iterator[tuple[Any, Any]], bool, str]] = []
        if self._table is not None:
            pending.append((_entries(self._table), isinstance(self._table, list), ""))
        while pending:
            entries, in_list, prefix = pending[-1]
            step = next(entries, None)
            if step is None:
                pending.pop()
                continue
            key, entry = step
            name = f"{prefix}[{key}]" if in_list else f"{prefix}.{key}" if prefix else str(key)
            yield name
            if type(entry) is tuple:
                pending.append((_entries(entry[2]), isinstance(entry[2], list), name))

    def __len__(self) -> int:
        return sum(1 for _ in self)

    def get(self, name: str, default: Any = None) -> Any:
        """The line of field ``name``, or ``default``: `_find` without a `KeyError` between
        (errors look up one line each, a hundred thousand of them in a large file)."""
        line = self._find(name)
        return default if line is None else line

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and self._find(name) is not None

    def _find(self, name: str) -> int | None:
        """The line of field ``name``, or None if the document has no such field.

        ``name`` is read step by step from ``position`` on, without cutting it into parts.
        """
        table, base, line = self._table, self._start, None
        position, end = 0, len(name)
        while position < end:
            if type(table) is list:
                match = _INDEX.match(name, position)
                if match is None or (index := int(match[1])) >= len(table):
                    return None
                entry, position = table[index], match.end()
            elif table is None:
                return None
            else:
                if position:  # below the top, a key follows a dot
                    if name[position] != ".":
                        return None
                    position += 1
                field_end = _FIELD_END.search(name, position)
                stop = end if field_end is None else field_end.start()
                key: object = name[position:stop]
                if key not in table:
                    found = self._key(table, name, position)
                    if found is None:
                        return None
                    key, stop = found
                entry, position = table[key], stop
            if type(entry) is tuple:
                offset, start, child = entry
                line, base, table = base + offset, base + start, child
            else:
                line, table = base + entry, None
        return line

    def _key(self, table: dict[Any, Any], name: str, position: int) -> tuple[object, int] | None:
        """The key of ``table`` spelled at ``position`` of ``name``, and where it ends.

        A key may itself hold ``.`` or ``[``, so each cut at one of them is tried, shortest
        first; keys that are not text are compared as they print.
        """
        cuts = [found.start() for found in _FIELD_END.finditer(name, position)] + [len(name)]
        names = self._spelled.get(id(table))
        if names is None:
            names = self._spelled[id(table)] = {str(key): key for key in table}
        for cut in cuts:
            if name[position:cut] in names:
                return names[name[position:cut]], cut
        return None
