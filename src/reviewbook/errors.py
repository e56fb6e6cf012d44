"""How reviewbook reports trouble: `ReadError` for input it cannot read at all, `Problem` for
anything it read but did not understand (kept on the record, never dropped)."""

from __future__ import annotations

from dataclasses import dataclass

PROBLEM_KINDS: dict[str, str] = {
    "encoding": "bytes that had to be guessed or repaired to read as text",
    "header": "a line of a page's header (types, title, authors, citation) not understood",
    "abstract": "an abstract paragraph that could not be read as written",
    "figure": "figure text without a figure to belong to",
    "reference-list": "a line of the reference list that is not a reference",
    "citation": "a printed reference whose style was not recognised",
    "identifier": "an identifier not understood, or two sources disagreeing on one",
    "record": "a MEDLINE or XML record missing something every record has",
    "cut": "text that ends mid-field: the page or record was cut short",
    "implausible": "a value read as printed but unlikely to be right (last page before first)",
    "input": "something about the file as a whole: several pages in one, odd line endings",
    "incomplete": "a reference whose record could not be fetched to complete it",
    "in-text": "an in-text citation naming no reference of the list, or one outside the text read",
    "markup": "an element of a full text the reader does not know, read as well as it could be",
}
"""Every kind of `Problem`, with what it means."""


@dataclass(frozen=True, slots=True)
class Problem:
    """Something a reader saw but did not understand: where, what kind, what.

    ``str()`` gives the form people read: ``line 12: reference 3: citation style not
    recognised``, led by ``source`` when the problem comes from another file.
    """

    line: int | None
    kind: str
    message: str
    source: str | None = None
    """The file the problem was found in, when it is not the record's own file."""

    def __post_init__(self) -> None:
        if self.kind not in PROBLEM_KINDS:
            raise ValueError(f"unknown problem kind {self.kind!r}; known: {list(PROBLEM_KINDS)}")

    def __str__(self) -> str:
        parts = [self.source] if self.source else []
        if self.line is not None:
            parts.append(f"line {self.line}")
        return ": ".join([*parts, self.message])


class ReadError(ValueError):
    """The input cannot be read at all: empty, binary, unreadable, or in no known format.

    ``path`` and ``line`` say where the reader gave up; either may be None.
    """

    def __init__(self, message: str, *, path: str | None = None, line: int | None = None) -> None:
        self.reason = message
        self.path = path
        self.line = line
        where = path or "<text>"
        if line is not None:
            where = f"{where}:{line}"
        super().__init__(f"{where}: {message}")


class PubMedPageError(ReadError):
    """Text that is not a PubMed abstract page (HTML source, another site, no title)."""
