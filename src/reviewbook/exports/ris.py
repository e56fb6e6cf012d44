"""RIS: written from the CSL hub with rispy, read back into it.

RIS is one value a line under a two-letter tag (``TI  - title``); which tag a reader files where
differs between programs, so the tags chosen are those the readers agree on (`RIS_TAGS`). A
PubMed id travels three ways, because no one tag reaches every reader:

- ``M2  - PMID: 16056258`` and ``M2  - PMCID: PMC4028085``: Zotero's RIS import puts ``M2``
  in Extra, one line each, which is where Zotero itself keeps PMIDs and PMCIDs;
- ``AN  - 16056258``: the accession number, where EndNote keeps a PubMed record's PMID (Zotero
  files it as "Loc. in Archive");
- ``C2  - PMC4028085``: where EndNote and citation-js read a journal article's PMCID.

citation-js's RIS reader maps no tag to a PMID: it reads ``M2`` of a journal article as its first
page (CSL ``page-first``) and ignores ``AN``; its page range (``SP``/``EP``), DOI, title and
year are read exactly.

What RIS cannot carry (`RIS_CHANGES`: line breaks, spaces at a value's ends, ``;`` in an
address) is changed and noted (`ExportNote`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import rispy

from reviewbook.exports.csl import (
    CslItem,
    CslName,
    issued,
    item_names,
    item_year,
    page_range,
)
from reviewbook.exports.notes import Export, ExportNote
from reviewbook.files import write_atomically

# --- knowledge: types, tags, changes -----------------------------------------------------------

RIS_TYPES: dict[str, str] = {
    "article-journal": "JOUR",
    "book": "BOOK",
    "chapter": "CHAP",
    "article": "GEN",
}
"""RIS reference type (``TY``) for each CSL type."""
CSL_TYPES_OF_RIS: dict[str, str] = {ris: csl for csl, ris in RIS_TYPES.items()}
"""CSL type for each ``TY``, when reading."""
RIS_TAGS: dict[str, str] = rispy.TAG_KEY_MAPPING | {"M2": "extra"}
"""rispy's tag → key table, with ``M2`` (not in the RIS specification, but Zotero's) as
``extra``."""
RIS_LIST_TAGS: tuple[str, ...] = (*rispy.LIST_TYPE_TAGS, "M2")
"""Tags a record may repeat (authors, keywords, notes, addresses, Extra lines)."""
RIS_FIELDS: dict[str, str] = {
    "title": "title",
    "container-title": "secondary_title",
    "publisher": "publisher",
    "volume": "volume",
    "issue": "number",
    "DOI": "doi",
    "PMID": "accession_number",
    "PMCID": "custom2",
    "URL": "urls",
    "note": "notes",
}
"""rispy key for each CSL variable (tags ``TI``, ``T2``, ``PB``, ``VL``, ``IS``, ``DO``, ``AN``,
``C2``, ``UR``, ``N1``)."""
EXTRA_LINES: dict[str, str] = {"PMID": "PMID: ", "PMCID": "PMCID: "}
"""The ids written as Zotero's Extra lines (``M2``), and how each line opens."""


@dataclass(frozen=True, slots=True)
class RisChange:
    """One thing RIS cannot carry, and what the export writes instead."""

    change: str
    """What an `ExportNote` says: ``line break written as a space``."""
    pattern: re.Pattern[str]
    """What is replaced."""
    replacement: str
    variables: frozenset[str] = frozenset()
    """The CSL variables it applies to; empty for every one."""


RIS_CHANGES: tuple[RisChange, ...] = (
    RisChange(
        "line break written as a space",
        re.compile(r"\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]"),
        " ",
    ),
    RisChange("spaces at the ends left out", re.compile(r"^\s+|\s+$"), ""),
    RisChange(
        "';' written as '%3B' (RIS separates addresses with ';')",
        re.compile(";"),
        "%3B",
        frozenset({"URL"}),
    ),
)
"""What RIS cannot carry, in the order applied. RIS is one value a line: rispy joins a
continuation line to the value with a space, or reads it as a tag (``ER  - `` would end the
record), and strips each value's ends; ``UR`` holds addresses separated by ``;``. The line
breaks are those of ``str.splitlines``, since readers other than rispy break lines there."""


# --- writing -----------------------------------------------------------------------------------


class _UnnumberedRisWriter(rispy.RisWriter):
    """rispy's writer without the ``1.`` line it puts before each record (not RIS)."""

    def set_header(self, count: int) -> str:
        return ""


def dumps(items: Iterable[CslItem]) -> str:
    """RIS records of ``items`` (``TY`` … ``ER``)."""
    return ris_export(items).text


def dump(items: Iterable[CslItem], path: str | Path) -> None:
    """Write `dumps` to ``path`` as UTF-8, atomically."""
    write_atomically(path, dumps(items))


def ris_export(items: Iterable[CslItem]) -> Export:
    """RIS and its notes: a value RIS cannot carry is changed as ``RIS_CHANGES`` say."""
    records: list[dict[str, object]] = []
    notes: list[ExportNote] = []
    for item in items:
        record, item_notes = ris_record(item)
        records.append(record)
        notes.extend(item_notes)
    text = rispy.dumps(
        records,
        implementation=_UnnumberedRisWriter,
        mapping=RIS_TAGS,
        list_tags=list(RIS_LIST_TAGS),
    )
    return Export(text, tuple(notes))


def ris_record(item: CslItem) -> tuple[dict[str, object], list[ExportNote]]:
    """The rispy record of an item, and a note for each value RIS changed."""
    key = str(item["id"])
    notes: list[ExportNote] = []

    def carried(variable: str, value: object) -> str:
        written, changes = ris_value(variable, str(value))
        notes.extend(ExportNote("ris", key, variable, str(value), written, c) for c in changes)
        return written

    record: dict[str, object] = {"type_of_reference": RIS_TYPES[str(item["type"])], "id": key}
    if names := item_names(item):
        record["authors"] = [carried("author", ris_name(name)) for name in names]
    for variable, field in RIS_FIELDS.items():
        if variable in item:
            value = carried(variable, item[variable])
            record[field] = [value] if field in _RIS_LIST_KEYS else value
    if year := item_year(item):
        record["year"] = year
    if "page" in item:
        first = str(item.get("page-first") or item["page"])
        record["start_page"] = carried("page-first", first)
        if last := str(item["page"])[len(first) + 1 :]:
            record["end_page"] = carried("page", last)
    extra = [
        opening + carried(variable, item[variable])
        for variable, opening in EXTRA_LINES.items()
        if variable in item
    ]
    if extra:
        record["extra"] = extra
    return record, notes


def ris_value(variable: str, value: str) -> tuple[str, tuple[str, ...]]:
    """``value`` as RIS carries it for the CSL ``variable``, and what ``RIS_CHANGES`` changed."""
    changes: list[str] = []
    for change in RIS_CHANGES:
        if change.variables and variable not in change.variables:
            continue
        value, count = change.pattern.subn(change.replacement, value)
        if count:
            changes.append(change.change)
    return value, tuple(changes)


_RIS_LIST_KEYS = frozenset(RIS_TAGS[tag] for tag in RIS_LIST_TAGS)


def ris_name(name: CslName) -> str:
    """``family, given, suffix`` (RIS's order), or a literal name as it is."""
    if "literal" in name:
        return name["literal"]
    return ", ".join(
        part for part in (name["family"], name.get("given"), name.get("suffix")) if part
    )


# --- reading -----------------------------------------------------------------------------------


def loads(text: str) -> list[CslItem]:
    """CSL items of RIS text: the variables `ris_record` writes, PubMed ids from the Extra
    lines (``M2``) first, else ``AN`` and ``C2``."""
    records = rispy.loads(text, mapping=RIS_TAGS, list_tags=list(RIS_LIST_TAGS))
    return [_item(record) for record in records]


def load(path: str | Path) -> list[CslItem]:
    """`loads` of a UTF-8 file."""
    return loads(Path(path).read_text(encoding="utf-8"))


def _item(record: dict[str, object]) -> CslItem:
    ris_type = str(record.get("type_of_reference", "GEN"))
    item: CslItem = {
        "id": str(record.get("id", "")),
        "type": CSL_TYPES_OF_RIS.get(ris_type, "article"),
    }
    if authors := record.get("authors"):
        item["author"] = [_read_name(str(name)) for name in authors]  # type: ignore[attr-defined]
    for variable, field in RIS_FIELDS.items():
        if field in record:
            value = record[field]
            item[variable] = value[0] if isinstance(value, list) else value
    if year := record.get("year"):
        item["issued"] = issued(int(str(year)[:4]))
    if first := record.get("start_page"):
        item["page"] = page_range(first, record.get("end_page"))
        item["page-first"] = str(first)
    for line in record.get("extra", []):  # type: ignore[attr-defined]
        for variable, opening in EXTRA_LINES.items():
            if str(line).startswith(opening):
                item[variable] = str(line)[len(opening) :]
    return item


def _read_name(written: str) -> CslName:
    parts = [part.strip() for part in written.split(",")]
    if len(parts) == 1:
        return {"literal": written}
    name = {"family": parts[0], "given": parts[1]}
    return name | ({"suffix": ", ".join(parts[2:])} if len(parts) > 2 else {})
