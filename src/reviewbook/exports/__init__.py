"""Exports for reference managers: BibTeX, biblatex, RIS, CSL-JSON, CSV, bibliographies.

Every export starts from a references frame (`reviewbook.tables.frames.references_frame`), or
from articles, whose references are tabulated first. Each row becomes one CSL-JSON item
(`csl.csl_items`), the hub every format is written from; one module per format writes it and,
where the format allows, reads it back (``dumps``/``loads``, as rispy and ``json`` do):
`bibtex` (both flavours), `ris`, `csl_json`; `csv` writes the frame itself and `bibliography`
formats it with citeproc-py. docs/exports.md says what each format carries.

``EXPORT_FORMATS`` is the one registry the CLI (``reviewbook export``), the explorer's buttons
and the notebooks share. Where a format cannot carry a value as it stands, the export changes
it in a documented way and says so with an `ExportNote`: ``export_with_notes`` returns them,
``export_text`` logs them.

Only lean libraries are imported here (pandas, bibtexparser, rispy, citeproc-py when a
bibliography is asked for): a plain install of the package can export.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from reviewbook.exports import bibtex, csl_json, ris
from reviewbook.exports.bibliography import format_bibliography, style_path
from reviewbook.exports.csl import (
    CslItem,
    ReferenceSource,
    citation_keys,
    csl_items,
    csl_name,
    reference_table,
)
from reviewbook.exports.csv import csv_export, csv_text
from reviewbook.exports.notes import Export, ExportNote
from reviewbook.files import write_atomically

__all__ = [
    "BIBLIOGRAPHY_FORMAT",
    "EXPORT_FORMATS",
    "CslItem",
    "Export",
    "ExportFormat",
    "ExportNote",
    "ReferenceSource",
    "biblatex_export",
    "bibtex_export",
    "citation_keys",
    "csl_items",
    "csl_json_export",
    "csl_name",
    "csv_export",
    "csv_text",
    "export_format_for",
    "export_text",
    "export_with_notes",
    "format_bibliography",
    "reference_table",
    "ris_export",
    "style_path",
    "to_biblatex",
    "to_bibtex",
    "to_csl_json",
    "to_csv",
    "to_ris",
    "write_export",
]

_LOG = logging.getLogger(__name__)


# --- one function per format: references in, text and notes out ---------------------------------


def bibtex_export(source: ReferenceSource) -> Export:
    """BibTeX for BibTeX styles (``plain``, ``unsrt``…), and its notes (`bibtex`)."""
    return bibtex.bibtex_export(csl_items(source), "bibtex")


def biblatex_export(source: ReferenceSource) -> Export:
    """BibTeX for biblatex with biber, PMIDs as PubMed eprints, and its notes (`bibtex`)."""
    return bibtex.bibtex_export(csl_items(source), "biblatex")


def ris_export(source: ReferenceSource) -> Export:
    """RIS and its notes (`ris`)."""
    return ris.ris_export(csl_items(source))


def csl_json_export(source: ReferenceSource) -> Export:
    """CSL-JSON and its notes: none, JSON carries every value."""
    return csl_json.csl_json_export(csl_items(source))


def to_bibtex(source: ReferenceSource) -> str:
    """The text of `bibtex_export`."""
    return bibtex_export(source).text


def to_biblatex(source: ReferenceSource) -> str:
    """The text of `biblatex_export`."""
    return biblatex_export(source).text


def to_ris(source: ReferenceSource) -> str:
    """The text of `ris_export`."""
    return ris_export(source).text


def to_csl_json(source: ReferenceSource) -> str:
    """The text of `csl_json_export`."""
    return csl_json_export(source).text


def to_csv(source: ReferenceSource) -> str:
    """The text of `csv_export`: the references frame, every column."""
    return csv_export(source).text


# --- the registry --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ExportFormat:
    """A file format references are exported to: its name, button label, suffix and writer."""

    name: str
    """What the CLI and `export_text` call it: ``bibtex``, ``ris``, ``csl-json``, ``csv``."""
    label: str
    """What a button shows: ``BibTeX``, ``RIS``, ``CSL-JSON``, ``CSV``."""
    suffix: str
    """The usual file suffix, dot included: ``.bib``."""
    export: Callable[[ReferenceSource], Export]
    """Turns references (a frame or articles) into the file's text and its notes."""

    def write(self, source: ReferenceSource) -> str:
        """The file's text alone (`export` also says what the format could not carry)."""
        return self.export(source).text


EXPORT_FORMATS: dict[str, ExportFormat] = {
    export_format.name: export_format
    for export_format in (
        ExportFormat("bibtex", "BibTeX", ".bib", bibtex_export),
        ExportFormat("biblatex", "biblatex", ".bib", biblatex_export),
        ExportFormat("ris", "RIS", ".ris", ris_export),
        ExportFormat("csl-json", "CSL-JSON", ".json", csl_json_export),
        ExportFormat("csv", "CSV", ".csv", csv_export),
    )
}
"""The one registry of export formats, by name: the CLI, the explorer and the notebooks use it.
Where two share a suffix (``.bib``), the first is the one a file name asks for."""
BIBLIOGRAPHY_FORMAT = "bibliography"
"""The name ``write_export`` gives a formatted bibliography (``.txt``, one entry a line)."""


def export_format_for(path: str | os.PathLike[str]) -> str:
    """The export format a file name asks for by its suffix (``.txt`` for a bibliography)."""
    suffix = Path(path).suffix.lower()
    by_suffix: dict[str, str] = {}
    for name, export_format in EXPORT_FORMATS.items():
        by_suffix.setdefault(export_format.suffix, name)
    by_suffix[".txt"] = BIBLIOGRAPHY_FORMAT
    if suffix not in by_suffix:
        raise ValueError(
            f"cannot tell the export format from {os.fspath(path)!r}: use one of "
            f"{', '.join(sorted(by_suffix))} or name the format"
        )
    return by_suffix[suffix]


def export_with_notes(
    source: ReferenceSource, export_format: str, *, style: str = "harvard1"
) -> Export:
    """One export and its notes: a name of ``EXPORT_FORMATS`` or ``bibliography`` (in ``style``)."""
    if export_format == BIBLIOGRAPHY_FORMAT:
        return Export("".join(f"{entry}\n" for entry in format_bibliography(source, style)))
    if export_format not in EXPORT_FORMATS:
        known = ", ".join([*EXPORT_FORMATS, BIBLIOGRAPHY_FORMAT])
        raise ValueError(f"unknown export format {export_format!r}: choose one of {known}")
    return EXPORT_FORMATS[export_format].export(source)


def export_text(source: ReferenceSource, export_format: str, *, style: str = "harvard1") -> str:
    """The text of one export (see `export_with_notes`), each note logged as a warning."""
    export = export_with_notes(source, export_format, style=style)
    for note in export.notes:
        _LOG.warning("%s", note)
    return export.text


def write_export(
    source: ReferenceSource,
    path: str | os.PathLike[str],
    export_format: str | None = None,
    *,
    style: str = "harvard1",
) -> Path:
    """Write an export as UTF-8, atomically; without ``export_format`` the suffix names it."""
    text = export_text(source, export_format or export_format_for(path), style=style)
    target = Path(path)
    write_atomically(target, text)
    return target
