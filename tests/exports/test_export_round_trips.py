"""Exports read back by their own readers give what was written, value by value.

Each format's reader mirrors its writer (as rispy's and ``json``'s do): CSL-JSON is read by
``json``, BibTeX (both flavours) by `reviewbook.exports.bibtex.loads`, RIS by rispy with our tag
table and by `reviewbook.exports.ris.loads`. Each is compared with the hub it was written from,
`csl_items`, with what the format cannot carry restated independently here: BibTeX writes line
breaks as spaces, text in Unicode's composed form and a range's dash as ``--``; RIS writes line
breaks as spaces, drops spaces at a value's ends and writes ``;`` in an address as ``%3B``.
Every such change is named by an `ExportNote`; nothing changes silently.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import re
import unicodedata
from collections.abc import Callable

import bibtexparser
import pytest
import rispy
from hypothesis import example, given, settings
from hypothesis import strategies as st

from reviewbook import Article, Reference
from reviewbook.exports import (
    ExportNote,
    bibtex,
    csl_items,
    export_text,
    export_with_notes,
    ris,
    ris_export,
    to_biblatex,
    to_bibtex,
    to_csl_json,
    to_ris,
)
from reviewbook.exports.csl import CslItem, CslName
from reviewbook.exports.ris import RIS_FIELDS, RIS_LIST_TAGS, RIS_TAGS, RIS_TYPES

ROUND_TRIPS = settings(max_examples=80)
"""Bounded; the test profile (tests/conftest.py) makes them derandomized and untimed."""

HOSTILE_PIECES = (
    '"',
    "''",
    "``",
    "'",
    "`",
    "{",
    "}",
    "\\",
    "%",
    "&",
    "#",
    "_",
    "~",
    "^",
    "$",
    "@",
    "--",
    "---",
    "!`",
    "?`",
    ",",
    ";",
    " and ",
    "\n",
    "\r\n",
    "\r",
    "\t",
    "\u2028",
    "\x0c",
    "\n@article{x,\n",
    "\nER  - ",
    "\nTY  - JOUR",
    "ER  - ",
    "  ",
    "\u00a0",
    "Massagué",
    "Müller",
    "Ødegård",
    "Łukasz",
    "ß",
    "ı",
    "e\u0301",
    "α-β",
    "—",
    "“quoted”",
    "中文",
    "\\textbf{x}",
    "$x^2$",
    "\\\\",
)
"""Pieces hostile to one format or another; the strategy strings them together."""

hostile_text = st.lists(
    st.one_of(
        st.sampled_from(HOSTILE_PIECES),
        st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=4),
    ),
    max_size=6,
).map("".join)
optional_text = st.none() | hostile_text
identifier = st.none() | st.from_regex(r"[0-9]{1,8}", fullmatch=True) | hostile_text


@st.composite
def references(draw: st.DrawFn) -> Reference:
    """A reference whose every exported field may hold hostile text."""
    return Reference(
        index=1,
        raw=draw(hostile_text) or "raw",
        authors=tuple(draw(st.lists(hostile_text, max_size=3))),
        title=draw(optional_text),
        journal=draw(optional_text),
        book_title=draw(optional_text),
        publisher=draw(optional_text),
        year=draw(st.none() | st.integers(min_value=1800, max_value=2100)),
        volume=draw(optional_text),
        issue=draw(optional_text),
        first_page=draw(optional_text),
        last_page=draw(optional_text),
        doi=draw(st.none() | st.just("10.1002/(SICI)1097-0142;2-#") | hostile_text),
        pmid=draw(identifier),
        pmcid=draw(identifier),
        kind=draw(st.sampled_from(["article-journal", "book", "chapter", "unknown"])),
    )


articles = st.lists(references(), min_size=1, max_size=4).map(
    lambda found: Article(
        pmid="1",
        title="T",
        references=tuple(
            dataclasses.replace(reference, index=position)
            for position, reference in enumerate(found, start=1)
        ),
    )
)


def article_of(*found: Reference) -> Article:
    return Article(pmid="1", title="T", references=found)


# --- what each format must give back, restated ---------------------------------------------------

CSL_TYPES_BACK = {"article-journal": "article-journal", "book": "book", "chapter": "chapter"}
BIBTEX_TEXT = ("title", "container-title", "publisher", "volume", "DOI", "PMID", "PMCID", "URL")
RANGE = re.compile(r"^([^\s\-‐‑‒–—]+)\s*[-‐‑‒–—]{1,2}\s*([^\s\-‐‑‒–—]+)$")


def bibtex_carried(value: str) -> str:
    """What BibTeX carries of a value: composed, line breaks and control characters as spaces,
    look-alikes as the letters they stand for (`bibtex.LOOKALIKES`)."""
    composed = unicodedata.normalize("NFC", value)
    return "".join(
        " "
        if c != "\t" and unicodedata.category(c) in ("Cc", "Zl", "Zp")
        else bibtex.LOOKALIKES.get(c, c)
        for c in composed
    )


def bibtex_range(value: str) -> str:
    """A range as BibTeX carries it: ``first-last`` whatever its dash; other text as text."""
    carried = bibtex_carried(value)
    match = RANGE.match(unicodedata.normalize("NFC", value).strip())
    return f"{bibtex_carried(match[1])}-{bibtex_carried(match[2])}" if match else carried


def bibtex_name(name: CslName) -> CslName:
    """A name as BibTeX carries it: each part carried and, but for a literal name (braced
    whole), spaces at its ends dropped (BibTeX splits names at commas and white space)."""
    if "literal" in name:
        return {"literal": bibtex_carried(name["literal"])}
    return {part: bibtex_carried(value).strip() for part, value in name.items()}


def bibtex_expected(item: CslItem) -> CslItem:
    """The item BibTeX's reader must give back."""
    expected: CslItem = {"id": item["id"], "type": CSL_TYPES_BACK.get(str(item["type"]), "article")}
    if item.get("author"):
        expected["author"] = [bibtex_name(name) for name in item["author"]]  # type: ignore[attr-defined]
    for variable in (*BIBTEX_TEXT, "note"):
        if variable in item:
            expected[variable] = bibtex_carried(str(item[variable]))
    if "issue" in item:
        expected["issue"] = bibtex_range(str(item["issue"]))
    if "issued" in item:
        expected["issued"] = item["issued"]
    if "page" in item:
        expected["page"] = bibtex_range(str(item["page"]))
        expected["page-first"] = str(expected["page"]).split("-")[0]
    return expected


def ris_carried(value: str, variable: str = "title") -> str:
    """What RIS carries of a value: line breaks as spaces, no spaces at the ends, and in an
    address ``;`` as ``%3B``."""
    carried = " ".join(value.splitlines()).strip()
    return carried.replace(";", "%3B") if variable == "URL" else carried


def ris_name(name: CslName) -> str:
    if "literal" in name:
        return name["literal"]
    return ", ".join(name[part] for part in ("family", "given", "suffix") if name.get(part))


def ris_expected(item: CslItem) -> dict[str, object]:
    """The record rispy must read an item's RIS back as."""
    expected: dict[str, object] = {
        "type_of_reference": RIS_TYPES[str(item["type"])],
        "id": str(item["id"]),
    }
    if item.get("author"):
        expected["authors"] = [ris_carried(ris_name(name)) for name in item["author"]]  # type: ignore[attr-defined]
    for variable, key in RIS_FIELDS.items():
        if variable in item:
            value = ris_carried(str(item[variable]), variable)
            expected[key] = [value] if key in ("urls", "notes") else value
    if "issued" in item:
        expected["year"] = str(item["issued"]["date-parts"][0][0])  # type: ignore[index]
    if "page" in item:
        first = str(item["page-first"])
        expected["start_page"] = ris_carried(first)
        if last := str(item["page"])[len(first) + 1 :]:
            expected["end_page"] = ris_carried(last)
    extra = [
        f"{label}: {ris_carried(str(item[variable]))}".strip()
        for variable, label in (("PMID", "PMID"), ("PMCID", "PMCID"))
        if variable in item
    ]
    if extra:
        expected["extra"] = extra
    return expected


def ris_changed(item: CslItem) -> set[tuple[str, str]]:
    """The (key, CSL variable) pairs of an item whose value RIS had to change."""
    values: list[tuple[str, str]] = [
        ("author", ris_name(name))
        for name in item.get("author", [])  # type: ignore[attr-defined]
    ]
    values += [(variable, str(item[variable])) for variable in RIS_FIELDS if variable in item]
    if "page" in item:
        first = str(item["page-first"])
        values += [("page-first", first), ("page", str(item["page"])[len(first) + 1 :])]
    return {
        (str(item["id"]), variable)
        for variable, value in values
        if ris_carried(value, variable) != value
    }


def rispy_records(text: str) -> list[dict[str, object]]:
    return rispy.loads(text, mapping=RIS_TAGS, list_tags=list(RIS_LIST_TAGS))


# --- the findings of issues 11 and 25 -------------------------------------------------------------


def test_a_doi_with_braces_reads_back_from_bibtex() -> None:
    doi = "10.1000/a}b{c"
    (item,) = bibtex.loads(to_bibtex(article_of(Reference(index=1, raw="r", title="T", doi=doi))))
    assert (item["DOI"], item["URL"]) == (doi, f"https://doi.org/{doi}")


def test_a_ris_title_holding_a_line_break_and_an_end_tag_keeps_twenty_records() -> None:
    found = [
        Reference(index=n, raw="r", title=f"Title {n}", doi=f"10.1000/{n}") for n in range(1, 21)
    ]
    found[4] = Reference(index=5, raw="r", title="Before\nER  - after", doi="10.1000/5")
    records = ris.loads(to_ris(article_of(*found)))
    assert [record["DOI"] for record in records] == [f"10.1000/{n}" for n in range(1, 21)]
    assert records[4]["title"] == "Before ER  - after"


def test_a_line_break_in_a_ris_title_becomes_a_space_and_says_so() -> None:
    reference = Reference(index=1, raw="r", title="Two\nlines ")
    export = ris_export(article_of(reference))
    assert ris.loads(export.text)[0]["title"] == "Two lines"
    assert export.notes == (
        ExportNote(
            "ris", "two", "title", "Two\nlines ", "Two lines", "line break written as a space"
        ),
        ExportNote(
            "ris", "two", "title", "Two\nlines ", "Two lines", "spaces at the ends left out"
        ),
    )
    assert str(export.notes[0]) == "two: ris title: line break written as a space"


def test_a_line_break_in_a_bibtex_title_becomes_a_space_and_says_so() -> None:
    export = export_with_notes(article_of(Reference(1, "r", title="Two\nlines")), "bibtex")
    assert bibtex.loads(export.text)[0]["title"] == "Two lines"
    assert [str(note) for note in export.notes] == [
        "two: bibtex title: line break or control character written as a space"
    ]


def test_quotes_and_carets_read_back_from_bibtex_as_typed() -> None:
    title = "The \"seed\" and 10^6 cells: O''Brien's ``view`` -- ~50% of #1 & $2_a"
    (item,) = bibtex.loads(to_bibtex(article_of(Reference(index=1, raw="r", title=title))))
    assert item["title"] == title


def test_ris_records_are_not_numbered() -> None:
    found = [Reference(index=n, raw="r", title=f"Title {n}") for n in (1, 2)]
    text = to_ris(article_of(*found))
    assert text.splitlines()[0] == "TY  - JOUR"
    assert [
        line for line in text.splitlines() if not line.startswith(("TY", "ID", "TI", "ER"))
    ] == [""]


def test_bibtex_and_ris_carry_pmid_pmcid_doi_and_address() -> None:
    reference = Reference(index=1, raw="r", title="T", doi="10.1000/x", pmid="123", pmcid="PMC9")
    for write, read in (
        (to_bibtex, bibtex.loads),
        (to_biblatex, bibtex.loads),
        (to_ris, ris.loads),
    ):
        (item,) = read(write(article_of(reference)))
        assert {name: item[name] for name in ("DOI", "PMID", "PMCID", "URL")} == {
            "DOI": "10.1000/x",
            "PMID": "123",
            "PMCID": "PMC9",
            "URL": "https://doi.org/10.1000/x",
        }
    (record,) = rispy_records(to_ris(article_of(reference)))
    assert (record["accession_number"], record["custom2"], record["extra"]) == (
        "123",
        "PMC9",
        ["PMID: 123", "PMCID: PMC9"],
    )


@pytest.mark.parametrize(
    ("identifiers", "address"),
    [
        ({"doi": "10.1000/x", "pmid": "123"}, "https://doi.org/10.1000/x"),
        ({"pmid": "123", "pmcid": "PMC9"}, "https://pubmed.ncbi.nlm.nih.gov/123/"),
        ({"pmcid": "PMC9"}, "https://pmc.ncbi.nlm.nih.gov/articles/PMC9/"),
        ({}, None),
    ],
)
def test_the_address_is_the_doi_else_pubmed_else_pmc(
    identifiers: dict[str, str], address: str | None
) -> None:
    (item,) = csl_items(article_of(Reference(index=1, raw="r", title="T", **identifiers)))
    assert item.get("URL") == address


def test_a_semicolon_in_a_ris_address_is_percent_encoded_and_noted() -> None:
    doi = "10.1002/(SICI)1097-0142;2-#"
    export = ris_export(article_of(Reference(index=1, raw="r", title="T", doi=doi)))
    (item,) = ris.loads(export.text)
    assert (item["DOI"], item["URL"]) == (doi, "https://doi.org/10.1002/(SICI)1097-0142%3B2-#")
    assert [(note.variable, note.change) for note in export.notes] == [
        ("URL", "';' written as '%3B' (RIS separates addresses with ';')")
    ]


def test_an_author_holding_and_or_a_comma_stays_one_bibtex_name() -> None:
    authors = ("Smith and Jones AB", "Doe, Jr, J.", "Lee C")
    reference = Reference(index=1, raw="r", title="T", authors=authors)
    text = to_bibtex(article_of(reference))
    assert "author = {{Smith and Jones}, A. B. and Doe, {Jr, J.} and Lee, C.}" in text
    (entry,) = bibtexparser.parse_string(text).entries
    assert len(bibtexparser.middlewares.names.split_multiple_persons_names(entry["author"])) == 3


def test_export_text_logs_each_note_and_export_with_notes_returns_them(
    caplog: pytest.LogCaptureFixture,
) -> None:
    article = article_of(Reference(index=1, raw="r", title="A\ttab\rreturn"))
    with caplog.at_level(logging.WARNING, logger="reviewbook.exports"):
        text = export_text(article, "ris")
    assert caplog.messages == ["tab: ris title: line break written as a space"]
    export = export_with_notes(article, "ris")
    assert (export.text, len(export.notes)) == (text, 1)
    assert export_with_notes(article, "csl-json").notes == ()


# --- every format, hostile values ----------------------------------------------------------------

HOSTILE_EXAMPLE = article_of(
    Reference(
        index=1,
        raw="r",
        authors=("Smith and Jones AB", "{TRACERx} Consortium", "van 't Veer LJ"),
        title='"^ and \\ {} \n@misc{x,\nER  - \nTY  - JOUR\n',
        doi="10.1/a}b{;c",
        first_page="e1–",
        last_page="x}",
    )
)


def over_hostile_articles(test: Callable[[Article], None]) -> Callable[..., None]:
    """Run ``test`` on generated articles with hostile values, and on `HOSTILE_EXAMPLE`."""
    return ROUND_TRIPS(given(articles)(example(HOSTILE_EXAMPLE)(test)))


@over_hostile_articles
def test_csl_json_reads_back_as_written(article: Article) -> None:
    assert json.loads(to_csl_json(article)) == csl_items(article)


@over_hostile_articles
def test_bibtex_reads_back_as_written_or_noted(article: Article) -> None:
    items = csl_items(article)
    for flavour in ("bibtex", "biblatex"):
        export = export_with_notes(article, flavour)
        assert bibtex.loads(export.text) == [bibtex_expected(item) for item in items]
        changed = {
            (str(item["id"]), variable)
            for item in items
            for variable, value in bibtex_values(item)
            if value != bibtex_carried(value)
        }
        assert changed <= {(note.key, note.variable) for note in export.notes}


def bibtex_values(item: CslItem) -> list[tuple[str, str]]:
    """The text values of an item BibTeX writes, by CSL variable."""
    names = [
        ("author", value)
        for name in item.get("author", [])  # type: ignore[attr-defined]
        for value in name.values()
    ]
    return names + [
        (variable, str(item[variable]))
        for variable in (*BIBTEX_TEXT, "note", "issue", "page")
        if variable in item
    ]


@over_hostile_articles
def test_ris_reads_back_as_written_or_noted(article: Article) -> None:
    items = csl_items(article)
    export = ris_export(article)
    assert rispy_records(export.text) == [ris_expected(item) for item in items]
    noted = {(note.key, note.variable) for note in export.notes}
    assert noted == set().union(*(ris_changed(item) for item in items))
