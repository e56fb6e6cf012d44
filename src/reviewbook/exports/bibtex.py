"""BibTeX and biblatex: written from the CSL hub, read back into it.

Two flavours of one writer (`FLAVOURS`): ``bibtex`` for BibTeX styles (``plain``, ``unsrt``…)
and ``biblatex`` for biblatex with biber. Both are UTF-8 and need this preamble under pdflatex::

    \\usepackage[T1]{fontenc}
    \\usepackage[utf8]{inputenc}   % the default since LaTeX 2018; harmless to state

and nothing else: text is written as it is wherever pdflatex can typeset it
(`PDFLATEX_TEXT`), Greek letters and a few mathematical signs as mathematics (``{$\\gamma$}``,
`MATH_MACROS`, which biber, pandoc and citation-js read too), and LaTeX's special characters
escaped (`TEXT_ESCAPES`). A character none of these covers (Chinese, say) is written as it is
and noted: xelatex or lualatex typeset it. What a file needs beyond that:

- capitals: a title word holding a capital past the title's first letter is braced (``{MRI}``,
  ``{PD-1}``, ``{Cancer}``), so BibTeX styles that lower-case titles keep it;
- ranges: pages and issues take ``--`` (``591--602``, ``1--2``), as BibTeX, biber and pandoc
  read a range;
- PubMed: ``pmid`` and ``pmcid`` fields, as Better BibTeX writes them; biblatex also gets
  ``eprint = {PMID}`` with ``eprinttype = {pubmed}``, the one place biber keeps a PMID (and
  biblatex links it);
- names: ``family, given`` (``van 't Veer, L. J.``), which BibTeX, pandoc and citation-js split
  at the particle; biber takes a particle opening with a quote (``'t``) for part of the family
  name, so biblatex writes such a name in biber's own form
  (``family=Veer, given=L. J., prefix=van 't``).

Braces in values are written as macros (``{\\textbraceleft}``): BibTeX and biber count ``\\{``
as a brace too, so a title could otherwise close its field and forge the next ones.

``loads`` reads back what ``dumps`` writes: every escape undone, protecting braces dropped,
``--`` read as ``-``. It is the mirror of the writer, not a general LaTeX decoder: other BibTeX
is read with its LaTeX left as written.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import bibtexparser

from reviewbook.errors import ReadError
from reviewbook.exports.csl import CslItem, CslName, issued, item_names, item_year
from reviewbook.exports.notes import Export, ExportNote
from reviewbook.files import write_atomically
from reviewbook.text import LOOKALIKES

# --- knowledge: entry types, fields, flavours --------------------------------------------------

BIBTEX_TYPES: dict[str, str] = {
    "article-journal": "article",
    "book": "book",
    "chapter": "incollection",
    "article": "misc",
}
"""BibTeX entry type for each CSL type (the same in both flavours)."""
CSL_TYPES_OF_ENTRIES: dict[str, str] = {entry: csl for csl, entry in BIBTEX_TYPES.items()}
"""CSL type for each entry type, when reading."""

TEXT, TITLE, RANGE, IDENTIFIER = "text", "title", "range", "identifier"
"""How a field's value is written: escaped text, escaped text with capitals protected, a range
(``--``), or an identifier biblatex reads verbatim (only braces and backslashes escaped)."""


@dataclass(frozen=True, slots=True)
class BibtexFlavour:
    """What one flavour of BibTeX names each CSL variable, and how it writes PubMed ids."""

    name: str
    """The export format's name: ``bibtex`` or ``biblatex``."""
    fields: dict[str, str]
    """Field for each CSL variable written as it stands (authors, year and ids aside)."""
    year_field: str
    """``year`` (BibTeX) or ``date`` (biblatex)."""
    pubmed_eprint: bool
    """Whether the PMID also goes in ``eprint`` with ``eprinttype = {pubmed}`` (biblatex)."""
    biber_names: bool
    """Whether a name whose particle opens with a quote is written in biber's
    ``family=…, given=…, prefix=…`` form."""


_COMMON_FIELDS: dict[str, str] = {
    "title": "title",
    "publisher": "publisher",
    "volume": "volume",
    "issue": "number",
    "page": "pages",
    "DOI": "doi",
    "PMID": "pmid",
    "PMCID": "pmcid",
    "URL": "url",
    "note": "note",
}
FLAVOURS: dict[str, BibtexFlavour] = {
    "bibtex": BibtexFlavour(
        "bibtex", {**_COMMON_FIELDS, "container-title": "journal"}, "year", False, False
    ),
    "biblatex": BibtexFlavour(
        "biblatex", {**_COMMON_FIELDS, "container-title": "journaltitle"}, "date", True, True
    ),
}
"""The two flavours, by name."""
VARIABLES_OF_FIELDS: dict[str, str] = {
    field: variable for flavour in FLAVOURS.values() for variable, field in flavour.fields.items()
} | {"booktitle": "container-title"}
"""The CSL variable each field of either flavour is read into."""
CONTAINER_FIELDS: dict[str, str] = {"incollection": "booktitle"}
"""Entry types whose CSL ``container-title`` is not the journal."""
FIELD_KINDS: dict[str, str] = {
    "title": TITLE,
    "booktitle": TITLE,
    "pages": RANGE,
    "number": RANGE,
    "doi": IDENTIFIER,
    "pmid": IDENTIFIER,
    "pmcid": IDENTIFIER,
    "url": IDENTIFIER,
    "eprint": IDENTIFIER,
}
"""How each field is written (`TEXT` when not listed)."""
FIELD_ORDER: tuple[str, ...] = (
    "author",
    "title",
    "journal",
    "journaltitle",
    "booktitle",
    "publisher",
    "year",
    "date",
    "volume",
    "number",
    "pages",
    "doi",
    "eprint",
    "eprinttype",
    "pmid",
    "pmcid",
    "url",
    "note",
)
"""The order fields are written in."""
PUBMED_EPRINT_TYPE = "pubmed"

TEXT_ESCAPES: dict[str, str] = {
    "\\": r"{\textbackslash}",
    "{": r"{\textbraceleft}",
    "}": r"{\textbraceright}",
    "%": r"\%",
    "&": r"\&",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"{\textasciitilde}",
    "^": r"{\textasciicircum}",
    "@": "{@}",
}
"""What LaTeX would not typeset as itself, and what BibTeX readers would misread: braces
(written as macros, see the module's text), ``%`` (a comment), ``&``, ``$``, ``#``, ``_``,
``~``, ``^`` (LaTeX syntax), ``@`` (an entry's start, for some readers). biber, pandoc and
citation-js read every one back as the character."""
IDENTIFIER_ESCAPES: dict[str, str] = {character: TEXT_ESCAPES[character] for character in "\\{}"}
"""The escapes of identifiers, which biblatex reads verbatim: only what could unbalance the
entry (``%`` or ``_`` in a DOI stay as they are, as biblatex prints them)."""
LIGATURES: frozenset[str] = frozenset({"``", "''", "--", "!`", "?`", ",,", "<<", ">>"})
"""Pairs T1-encoded LaTeX typesets as one sign (``''`` as ``”``, ``--`` as ``–``): written with
``{}`` between them, so each character stays itself."""
MATH_NAMES: dict[str, str] = {
    "α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "ε": "varepsilon", "ζ": "zeta",
    "η": "eta", "θ": "theta", "ι": "iota", "κ": "kappa", "λ": "lambda", "μ": "mu", "ν": "nu",
    "ξ": "xi", "π": "pi", "ρ": "rho", "ς": "varsigma", "σ": "sigma", "τ": "tau",
    "υ": "upsilon", "φ": "varphi", "χ": "chi", "ψ": "psi", "ω": "omega",
    "ϕ": "phi", "ϵ": "epsilon", "ϑ": "vartheta", "ϖ": "varpi", "ϱ": "varrho",
    "Γ": "Gamma", "Δ": "Delta", "Θ": "Theta", "Λ": "Lambda", "Ξ": "Xi", "Π": "Pi",
    "Σ": "Sigma", "Υ": "Upsilon", "Φ": "Phi", "Ψ": "Psi", "Ω": "Omega",
    "≤": "leq", "≥": "geq", "≠": "neq", "≈": "approx", "∞": "infty", "∓": "mp",
}  # fmt: skip
"""LaTeX's name for each character written as mathematics (see `MATH_MACROS`)."""
MATH_MACROS: dict[str, str] = {
    **{character: f"{{$\\{name}$}}" for character, name in MATH_NAMES.items()},
    "\u2212": "{$-$}",
}
"""Characters pdflatex cannot typeset as text, written as mathematics that biber keeps, pandoc
reads as mathematics and citation-js decodes (its table has the Greek letters; it leaves the
other signs' macros as written). ``\\phi``/``\\epsilon`` are the letter forms ϕ/ϵ, as
Unicode has them; Greek capitals that look Latin (Α, Β…) have no macro and are noted."""
PDFLATEX_TEXT: tuple[tuple[int, int], ...] = (
    (0x00A0, 0x0125), (0x0128, 0x0137), (0x0139, 0x013E), (0x0141, 0x0148), (0x014A, 0x0165),
    (0x0168, 0x017E), (0x0192, 0x0192), (0x01C4, 0x01D4), (0x01E2, 0x01E3), (0x01E6, 0x01EB),
    (0x01F0, 0x01F0), (0x01F4, 0x01F5), (0x0218, 0x021B), (0x0232, 0x0233), (0x0237, 0x0237),
    (0x02C6, 0x02C7), (0x02D8, 0x02D9), (0x02DB, 0x02DD), (0x0E3F, 0x0E3F), (0x1E02, 0x1E03),
    (0x1E0D, 0x1E0D), (0x1E1E, 0x1E21), (0x1E25, 0x1E25), (0x1E30, 0x1E31), (0x1E37, 0x1E37),
    (0x1E43, 0x1E43), (0x1E45, 0x1E45), (0x1E47, 0x1E47), (0x1E5B, 0x1E5B), (0x1E63, 0x1E63),
    (0x1E6D, 0x1E6D), (0x1E8E, 0x1E91), (0x1E9E, 0x1E9E), (0x1EF2, 0x1EF3), (0x2010, 0x2016),
    (0x2018, 0x201A), (0x201C, 0x201E), (0x2020, 0x2022), (0x2026, 0x2026), (0x2030, 0x2031),
    (0x2039, 0x203B), (0x203D, 0x203D), (0x2044, 0x2044), (0x204E, 0x204E), (0x2052, 0x2052),
    (0x20A1, 0x20A1), (0x20A4, 0x20A4), (0x20A6, 0x20A6), (0x20A9, 0x20A9), (0x20AB, 0x20AC),
    (0x20B1, 0x20B1), (0x2103, 0x2103), (0x2116, 0x2117), (0x211E, 0x211E), (0x2120, 0x2120),
    (0x2122, 0x2122), (0x2126, 0x2127), (0x212E, 0x212E), (0x2190, 0x2193), (0x2329, 0x232A),
    (0x2422, 0x2423), (0x25E6, 0x25E6), (0x25EF, 0x25EF), (0x266A, 0x266A), (0x27E8, 0x27E9),
    (0x3008, 0x3009), (0xFB00, 0xFB06),
)  # fmt: skip
"""Non-ASCII characters pdflatex typesets from UTF-8 with ``[T1]{fontenc}``: those the LaTeX
kernel declares for the T1, TS1, OT1 and OMS encodings and in ``utf8enc.dfu`` (TeX Live 2022),
less the Cyrillic ones, which need T2A."""
LINE_BREAK_CHANGE = "line break or control character written as a space"
COMPOSED_CHANGE = "written in Unicode's composed form (NFC)"
RANGE_CHANGE = "range dash written as --"
"""What an `ExportNote` says of each change the writer makes."""

_RANGE = re.compile(r"^(?P<first>[^\s\-‐‑‒–—]+)\s*[-‐‑‒–—]{1,2}\s*(?P<last>[^\s\-‐‑‒–—]+)$")
_NAME_BREAKS = re.compile(r",|=|(?:^|\s)and(?:\s|$)", re.IGNORECASE)
_BIBER_NAME_PART = re.compile(r"^(?:family|given|prefix|suffix)=")
_QUOTES = "'’‘`"


# --- writing -----------------------------------------------------------------------------------


def dumps(items: Iterable[CslItem], flavour: str = "bibtex") -> str:
    """The entries of ``items`` as BibTeX text in ``flavour`` (see `FLAVOURS`)."""
    return bibtex_export(items, flavour).text


def dump(items: Iterable[CslItem], path: str | Path, flavour: str = "bibtex") -> None:
    """Write `dumps` to ``path`` as UTF-8, atomically."""
    write_atomically(path, dumps(items, flavour))


def bibtex_export(items: Iterable[CslItem], flavour: str = "bibtex") -> Export:
    """BibTeX in ``flavour`` and its notes: a note for each value written otherwise than it
    stands (line breaks as spaces, a character pdflatex cannot typeset, a dash as ``--``)."""
    chosen = FLAVOURS[flavour]
    entries: list[str] = []
    notes: list[ExportNote] = []
    for item in items:
        entry, changes = _entry(item, chosen)
        entries.append(entry)
        notes.extend(
            ExportNote(chosen.name, str(item["id"]), variable, value, written, change)
            for variable, value, written, change in changes
        )
    return Export("\n".join(entries), tuple(notes))


_Change = tuple[str, str, str, str]
"""(CSL variable, value, written, change)."""


def _entry(item: CslItem, flavour: BibtexFlavour) -> tuple[str, list[_Change]]:
    entry_type = BIBTEX_TYPES[str(item["type"])]
    fields: dict[str, str] = {}
    changes: list[_Change] = []

    def write(variable: str, value: str, kind: str) -> str:
        written, found = field_value(value, kind)
        changes.extend((variable, value, written, change) for change in found)
        return written

    if names := item_names(item):
        written = [_name(name, flavour, write) for name in names]
        fields["author"] = " and ".join(written)
    for variable, field in flavour.fields.items():
        if variable in item:
            if variable == "container-title":
                field = CONTAINER_FIELDS.get(entry_type, field)
            kind = FIELD_KINDS.get(field, TEXT)
            fields[field] = write(variable, str(item[variable]), kind)
    if year := item_year(item):
        fields[flavour.year_field] = year
    if flavour.pubmed_eprint and "PMID" in item:
        fields["eprint"] = fields["pmid"]
        fields["eprinttype"] = PUBMED_EPRINT_TYPE
    ordered = sorted(fields, key=FIELD_ORDER.index)
    body = "".join(f"  {field} = {{{fields[field]}}},\n" for field in ordered)
    return f"@{entry_type}{{{item['id']},\n{body}}}\n", changes


def _name(name: CslName, flavour: BibtexFlavour, write: Callable[[str, str, str], str]) -> str:
    """One name of the ``author`` field: ``family, suffix, given`` (parts holding a comma or
    ``and`` braced), a literal name braced whole, or biber's form (see the module's text)."""
    if "literal" in name:
        return "{" + write("author", name["literal"], TEXT) + "}"
    family = name["family"]
    if flavour.biber_names and (split := quoted_particle(family)):
        prefix, family = split
        parts = {
            "family": family,
            "given": name.get("given"),
            "prefix": prefix,
            "suffix": name.get("suffix"),
        }
        return ", ".join(
            f"{part}={{{write('author', value, TEXT)}}}" for part, value in parts.items() if value
        )
    parts_in_order = (family, name.get("suffix"), name.get("given"))
    return ", ".join(_name_part(write("author", part, TEXT)) for part in parts_in_order if part)


def _name_part(written: str) -> str:
    return "{" + written + "}" if _NAME_BREAKS.search(written) else written


def quoted_particle(family: str) -> tuple[str, str] | None:
    """``("van 't", "Veer")`` for ``van 't Veer``: the particle (leading lower-case words, BibTeX's
    rule) when one of its words opens with a quote, which biber would misread; else None."""
    words = family.split(" ")
    particle: list[str] = []
    for word in words[:-1]:
        letters = word.lstrip(_QUOTES)
        if not letters[:1].islower():
            break
        particle.append(word)
    if particle and any(word[:1] in _QUOTES for word in particle):
        return " ".join(particle), " ".join(words[len(particle) :])
    return None


def field_value(value: str, kind: str = TEXT) -> tuple[str, tuple[str, ...]]:
    """``value`` as the inside of a braced BibTeX field of ``kind``, and what changed in it."""
    changes: list[str] = []
    composed = unicodedata.normalize("NFC", value)
    if composed != value:
        changes.append(COMPOSED_CHANGE)
    if kind == IDENTIFIER:
        written = "".join(IDENTIFIER_ESCAPES.get(character, character) for character in composed)
        flat = _flattened(written)
        if flat != written:
            changes.append(LINE_BREAK_CHANGE)
        return flat, tuple(changes)
    if kind == RANGE and (match := _RANGE.match(composed.strip())):
        if match.group(0) != f"{match['first']}-{match['last']}":
            changes.append(RANGE_CHANGE)
        first, first_changes = latex_text(match["first"])
        last, last_changes = latex_text(match["last"])
        changes.extend(dict.fromkeys((*first_changes, *last_changes)))
        return f"{first}--{last}", tuple(changes)
    written, text_changes = latex_text(composed, protect_capitals=kind == TITLE)
    return written, tuple([*changes, *text_changes])


def latex_text(text: str, *, protect_capitals: bool = False) -> tuple[str, tuple[str, ...]]:
    """``text`` written for LaTeX as the module's text says, and what changed in it.

    With ``protect_capitals``, each word holding a capital past the text's first letter is
    braced, so BibTeX styles keep its case (``{MRI}``).
    """
    changes: dict[str, None] = {}
    pieces: list[str] = []
    position = 0
    for word in re.split(r"(\s+)", text):
        if not word:
            continue
        written = "".join(_latex_character(word, offset, changes) for offset in range(len(word)))
        if protect_capitals and _holds_capital(word, skip_first=position == 0):
            written = ("{{}" if written.startswith("\\") else "{") + written + "}"
        pieces.append(written)
        position += len(word)
    return "".join(pieces), tuple(changes)


def _holds_capital(word: str, *, skip_first: bool) -> bool:
    """Whether ``word`` holds a capital; in the first word, past its first letter."""
    if skip_first:
        first = next((offset for offset, c in enumerate(word) if c.isalpha()), len(word))
        word = word[first + 1 :]
    return any(character.isupper() for character in word)


def _latex_character(word: str, offset: int, changes: dict[str, None]) -> str:
    """One character of ``word`` for LaTeX, ``{}`` after it when it opens a ligature."""
    character = word[offset]
    if _breaks_line(character):
        changes[LINE_BREAK_CHANGE] = None
        return " "
    if character in TEXT_ESCAPES:
        written = TEXT_ESCAPES[character]
    elif character.isascii() or _typesets(character):
        written = character
    elif character in MATH_MACROS:
        written = MATH_MACROS[character]
    elif character in LOOKALIKES:
        changes[lookalike_change(character)] = None
        written = MATH_MACROS[LOOKALIKES[character]]
    else:
        changes[untypeset_change(character)] = None
        written = character
    return written + "{}" if word[offset : offset + 2] in LIGATURES else written


def _typesets(character: str) -> bool:
    code = ord(character)
    return any(start <= code <= end for start, end in PDFLATEX_TEXT)


def untypeset_change(character: str) -> str:
    """What a note says of a character pdflatex cannot typeset."""
    return (
        f"pdflatex cannot typeset {character} (U+{ord(character):04X}): written as it is, "
        "for xelatex or lualatex"
    )


def lookalike_change(character: str) -> str:
    """What a note says of a character written as the letter it stands for (`LOOKALIKES`)."""
    return (
        f"pdflatex cannot typeset {character} (U+{ord(character):04X}): written as "
        f"{LOOKALIKES[character]}, the letter it stands for"
    )


def _breaks_line(character: str) -> bool:
    """A line break or control character (a tab is white space to LaTeX, and kept)."""
    return character != "\t" and unicodedata.category(character) in ("Cc", "Zl", "Zp")


def _flattened(text: str) -> str:
    """Line breaks and control characters as spaces."""
    return "".join(" " if _breaks_line(character) else character for character in text)


# --- reading -----------------------------------------------------------------------------------

_DECODED: dict[str, str] = {
    **{written: character for character, written in TEXT_ESCAPES.items()},
    **{written: character for character, written in MATH_MACROS.items()},
    "{}": "",
}
_DECODE = re.compile(
    "|".join(re.escape(written) for written in sorted(_DECODED, key=len, reverse=True)) + "|[{}]"
)


def latex_decoded(text: str) -> str:
    """Text as `latex_text` wrote it, read back: escapes undone, protecting braces dropped."""
    return _DECODE.sub(lambda match: _DECODED.get(match.group(0), ""), text)


def loads(text: str, *, path: str | None = None) -> list[CslItem]:
    """CSL items of BibTeX text in either flavour; a block that does not parse raises
    `ReadError` naming ``path`` and its line."""
    library = bibtexparser.parse_string(text)
    if library.failed_blocks:
        failed = library.failed_blocks[0]
        line = failed.start_line + 1 if failed.start_line is not None else None
        reason = str(failed.error) or type(failed.error).__name__
        raise ReadError(f"cannot read this BibTeX block: {reason}", path=path, line=line)
    return [
        _item(entry.entry_type.lower(), entry.key, entry.fields_dict) for entry in library.entries
    ]


def load(path: str | Path) -> list[CslItem]:
    """`loads` of a UTF-8 file."""
    return loads(Path(path).read_text(encoding="utf-8"), path=str(path))


def _item(entry_type: str, key: str, fields: dict[str, bibtexparser.model.Field]) -> CslItem:
    values = {name.lower(): str(field.value) for name, field in fields.items()}
    item: CslItem = {"id": key, "type": CSL_TYPES_OF_ENTRIES.get(entry_type, "article")}
    if "author" in values:
        item["author"] = [_read_name(name) for name in _split(values["author"], " and ")]
    for field, value in values.items():
        if variable := VARIABLES_OF_FIELDS.get(field):
            ranged = FIELD_KINDS.get(field, TEXT) == RANGE
            item[variable] = latex_decoded(value.replace("--", "-") if ranged else value)
    year = values.get("year") or values.get("date")
    if year and year[:4].isdigit():
        item["issued"] = issued(int(year[:4]))
    if "PMID" not in item and values.get("eprinttype") == PUBMED_EPRINT_TYPE:
        item["PMID"] = values["eprint"]
    if "page" in item:
        item["page-first"] = str(item["page"]).split("-")[0]
    return item


def _read_name(written: str) -> CslName:
    """One name as `_name` wrote it."""
    stripped = written.strip()
    if stripped.startswith("{") and _closing_brace(stripped) == len(stripped) - 1:
        return {"literal": latex_decoded(stripped)}
    parts = [part.strip() for part in _split(stripped, ",")]
    if all(_BIBER_NAME_PART.match(part) for part in parts):
        named = dict(part.split("=", 1) for part in parts)
        name = {key.strip(): latex_decoded(value) for key, value in named.items()}
        family = f"{name.pop('prefix')} {name['family']}" if "prefix" in name else name["family"]
        return {"family": family} | {k: name[k] for k in ("given", "suffix") if k in name}
    decoded = [latex_decoded(part) for part in parts]
    if len(decoded) == 3:
        return {"family": decoded[0], "given": decoded[2], "suffix": decoded[1]}
    if len(decoded) == 2:
        return {"family": decoded[0], "given": decoded[1]}
    return {"literal": decoded[0]}


def _closing_brace(text: str) -> int:
    """Where the brace opening ``text`` closes."""
    depth = 0
    for position, character in enumerate(text):
        depth += {"{": 1, "}": -1}.get(character, 0)
        if depth == 0:
            return position
    return len(text)


def _split(text: str, separator: str) -> list[str]:
    """``text`` split at ``separator`` where it stands outside braces."""
    pieces: list[str] = []
    depth, start, position = 0, 0, 0
    while position < len(text):
        character = text[position]
        if character in "{}":
            depth += 1 if character == "{" else -1
        elif depth == 0 and text.startswith(separator, position):
            pieces.append(text[start:position])
            position += len(separator)
            start = position
            continue
        position += 1
    pieces.append(text[start:])
    return pieces
