"""Our annotations of a review as records: claims, reference notes, and what is wrong with them.

One YAML file per review, ``data/annotations/<pmid>.yaml``::

    pmid: "21387299"
    creator: {name: The reviewbook developers, type: Organization}
    claims:
      - id: erez-ctc-survival
        statement: Platelets and neutrophils help tumour cells survive in the blood.
        quote: {exact: "Survival of circulating tumor cells", prefix: "", suffix: ""}
        location: figure:Figure
        cells: [platelet, neutrophil]
        steps: [survival in circulation]
        role: promotes
        refs: []
        created: "2026-11-23T09:30:00Z"
        modified: "2026-12-01T16:05:00Z"
    references:
      - index: 3
        note: Why the review cites it.
        tags: [metastatic cascade]
        created: "2026-11-23T09:30:00Z"
    statements:
      - sentence: Neutrophils shield tumour cells from NK cells [12].
        cell: NK cell
        decision: rejected

Reading a file is a pipeline: `yaml_io` (text to plain values and the line of each field,
core YAML types only) → `schema` (shape and types) → `loading` (the records below) →
`validation` (what the schema cannot see). Every problem is an `AnnotationError` naming file,
line and field.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from reviewbook.annotations.anchoring import Quote

STAMP_PATTERN = (
    r"^([0-9]{4})-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]"
    r"(\.[0-9]{1,6})?(Z|[+-]([01][0-9]|2[0-3]):[0-5][0-9])$"
)
"""A ``created`` or ``modified`` stamp: an xsd:dateTime with its time zone, as the W3C model
wants it (``2026-12-07T14:30:00Z``; the store writes UTC to the second). Also the pattern in
``annotations.schema.json``; `stamp_date_exists` checks the calendar the pattern cannot."""
STAMP_FORM = re.compile(STAMP_PATTERN)


def stamp_date_exists(stamp: str) -> bool:
    """Whether a stamp matching `STAMP_PATTERN` names a real day (no 30 February)."""
    found = STAMP_FORM.fullmatch(stamp)
    if found is None:
        return False
    try:
        datetime.date(int(found[1]), int(found[2]), int(found[3]))
    except ValueError:
        return False
    return True


def stamp_instant(stamp: str) -> datetime.datetime:
    """The moment a stamp (`STAMP_PATTERN`) names, comparable whatever its time zone."""
    text = re.sub(r"\.([0-9]+)", lambda fraction: "." + fraction[1].ljust(6, "0"), stamp)
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))


@dataclass(frozen=True, slots=True)
class Agent:
    """Who wrote an annotation file: a person or an organization (the W3C ``creator``)."""

    name: str
    type: str = "Person"
    """``Person`` or ``Organization`` (W3C Agent classes; ``Software`` is reviewbook itself,
    the generator of every export)."""
    homepage: str | None = None


@dataclass(frozen=True, slots=True)
class Claim:
    """Our statement of what a passage says, the quote it rests on, and its terms."""

    id: str
    statement: str
    quote: Quote
    location: str
    """``title``, ``abstract``, ``figure:<label>``, ``section:<heading>``; in a full text also
    ``table:<label>`` and ``box:<label>`` (see `reviewbook.annotations.anchoring`)."""
    cells: tuple[str, ...] = ()
    steps: tuple[str, ...] = ()
    role: str | None = None
    """``promotes``, ``inhibits``, ``both``, ``context-dependent``; None if the text is silent."""
    refs: tuple[int, ...] = ()
    """1-based indices of the references the passage cites."""
    created: str | None = None
    """When the claim was first saved (`STAMP_PATTERN`); None if not recorded."""
    modified: str | None = None
    """When it was last changed (`STAMP_PATTERN`); None if not recorded."""


@dataclass(frozen=True, slots=True)
class ReferenceNote:
    """Why the review cites one of its references, and tags to filter by."""

    index: int
    note: str | None = None
    tags: tuple[str, ...] = ()
    created: str | None = None
    """When the note was first saved (`STAMP_PATTERN`); None if not recorded."""
    modified: str | None = None
    """When it was last changed (`STAMP_PATTERN`); None if not recorded."""


ACCEPTED = "accepted"
"""A suggested statement we made a claim of (the decision names the claim)."""
REJECTED = "rejected"
"""A suggested statement we decided not to make a claim of."""
DECISIONS: tuple[str, ...] = (ACCEPTED, REJECTED)
"""What a `StatementDecision` may say (also the pattern in ``annotations.schema.json``)."""


@dataclass(frozen=True, slots=True)
class StatementDecision:
    """What we decided about a statement the tagger suggested: a sentence of the review and
    the cell type it was suggested for, accepted (as the claim ``claim``) or rejected."""

    sentence: str
    """The review's sentence, character for character."""
    cell: str
    """The canonical cell type the suggestion named; with ``sentence``, the decision's key."""
    decision: str
    """`ACCEPTED` or `REJECTED`."""
    claim: str | None = None
    """The id of the claim made from it, for an accepted statement; None for a rejected one."""

    @property
    def key(self) -> tuple[str, str]:
        """``(sentence, cell)``: the suggestion this decision is about."""
        return (self.sentence, self.cell)


@dataclass(frozen=True, slots=True)
class Annotations:
    """Everything annotated on one review, and where it was read from."""

    pmid: str
    claims: tuple[Claim, ...] = ()
    references: tuple[ReferenceNote, ...] = ()
    statements: tuple[StatementDecision, ...] = ()
    """Decisions on suggested statements, so that none is offered twice."""
    path: str | None = None
    lines: Mapping[str, int] = field(default_factory=dict, compare=False, repr=False)
    """1-based line of each field (``claims[2].cells[0]``) in the file read."""
    sha256: str | None = field(default=None, compare=False, repr=False)
    """Hex SHA-256 of the file's bytes as read (or as saved): a save given it refuses to
    replace a file that has changed since (`store.AnnotationsChanged`)."""
    creator: Agent | None = None
    """Who wrote the file's claims and notes (its ``creator:``), if it says."""

    def line_of(self, name: str) -> int | None:
        """The line of field ``name``, or of its nearest enclosing field."""
        return field_line(self.lines, name)

    def reference_note(self, index: int) -> ReferenceNote | None:
        """The note on reference ``index``, if there is one."""
        return next((entry for entry in self.references if entry.index == index), None)

    def decision_on(self, sentence: str, cell: str) -> StatementDecision | None:
        """The decision on the statement ``sentence`` suggested for ``cell``, if one was made."""
        return next((item for item in self.statements if item.key == (sentence, cell)), None)


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


def field_line(lines: Mapping[str, int], name: str) -> int | None:
    """The line of field ``name`` or of the closest field enclosing it (``claims[2]`` for
    ``claims[2].cells[0]``); the first line recorded (lines are recorded in the file's order)
    when none encloses it, so that a lookup never reads every line."""
    while name:
        line = lines.get(name)
        if line is not None:
            return line
        cut = max(name.rfind("."), name.rfind("["))
        name = name[: max(cut, 0)]
    return next(iter(lines.values()), 1)
