"""What an export gives: its text, and a note for each value its format could not carry."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ExportNote:
    """A value a format could not carry as it stands, and what the export wrote instead."""

    export_format: str
    """The format's name in ``EXPORT_FORMATS``: ``ris``."""
    key: str
    """The reference's citation key (its CSL ``id``)."""
    variable: str
    """The CSL variable the value belongs to: ``title``, ``author``, ``URL``..."""
    value: str
    """The value as the hub (`csl_items`) holds it."""
    written: str
    """What the file holds instead."""
    change: str
    """What changed, in words: ``line break written as a space``."""

    def __str__(self) -> str:
        return f"{self.key}: {self.export_format} {self.variable}: {self.change}"


@dataclass(frozen=True, slots=True)
class Export:
    """The text of an export and its notes, empty when every value is carried exactly."""

    text: str
    notes: tuple[ExportNote, ...] = ()
