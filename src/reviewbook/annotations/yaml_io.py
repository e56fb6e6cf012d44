"""Annotation files as round-trip YAML documents: read keeping comments, order and quoting.

The reader builds only plain maps, lists and scalars (`CORE_TAGS`); any other tag, such as
``!!python/object``, is refused before anything is built. Anchors and aliases (``&name``,
``*name``) are refused as the parser meets them, before any node is built, so a few hundred
bytes of nested aliases (a "billion laughs") cannot grow into gigabytes; and a file larger than
`MAX_FILE_BYTES` is refused before it is parsed. `document_lines` records the line of every
field, so that later errors can name it.
"""

from __future__ import annotations

import contextlib
import io
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.composer import Composer, ComposerError
from ruamel.yaml.constructor import ConstructorError, RoundTripConstructor
from ruamel.yaml.error import YAMLError
from ruamel.yaml.events import AliasEvent
from ruamel.yaml.nodes import Node

from reviewbook.annotations.model import AnnotationError, AnnotationsInvalid

YAML_WIDTH = 4096
"""Emitter line width: long strings stay on one line unless we fold them ourselves."""
CORE_TAGS: frozenset[str] = frozenset(
    f"tag:yaml.org,2002:{name}" for name in ("map", "seq", "str", "int", "float", "bool", "null")
)
"""The only YAML types an annotation file may contain."""
MAX_FILE_BYTES = 32 * 1024 * 1024
"""The largest annotation file read (32 MiB, about a hundred times our largest review's
notes); a larger one is refused with a message instead of being parsed."""


def round_trip_yaml() -> YAML:
    """A round-trip YAML reader/writer keeping comments, key order and quoting style."""
    yaml = YAML(typ="rt")
    yaml.Constructor = CoreTypesConstructor
    yaml.Composer = NoAliasComposer
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


class AliasError(ComposerError):
    """An anchor or alias, refused before the node it names is composed or repeated."""


class NoAliasComposer(Composer):
    """The composer, refusing anchors and aliases as soon as the parser reports one."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.parser.peek_event()
        if isinstance(event, AliasEvent) or getattr(event, "anchor", None) is not None:
            problem = (
                "anchors and aliases (&name, *name) are not allowed in annotation files: "
                "write each value out"
            )
            raise AliasError(None, None, problem, event.start_mark)
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
