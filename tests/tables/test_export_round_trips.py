"""Exports read back by the libraries that read them give what was written, value by value.

CSL-JSON is read by ``json``, BibTeX by bibtexparser with its LaTeX-decoding middleware (as a
user reading our file would), RIS by rispy. Each is compared with the hub it was written from,
`csl_items`. What RIS cannot carry (line breaks, spaces at a value's ends, ``;`` in an address)
is changed in the documented way and named by an `ExportNote`; nothing changes silently.
Property tests are bounded and, in CI (``CI=true``), derandomized.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import os
from collections.abc import Callable

import bibtexparser
import pytest
import rispy
from bibtexparser.middlewares import LatexDecodingMiddleware
from bibtexparser.middlewares.names import split_multiple_persons_names
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from reviewbook import Article, Reference
from reviewbook.tables.exports import (
    BIBTEX_CONTAINER,
    BIBTEX_DECODER,
    BIBTEX_FIELDS,
    BIBTEX_TYPES,
    RIS_FIELDS,
    RIS_TYPES,
    CslItem,
    ExportNote,
    csl_items,
    export_text,
    export_with_notes,
    latex_escaped,
    ris_export,
    to_bibtex,
    to_csl_json,
    to_ris,
)

ROUND_TRIPS = settings(
    max_examples=80,
    deadline=None,  # no timed assertions; the size bounds keep each example small
    derandomize=os.environ.get("CI") == "true",
    suppress_health_check=[HealthCheck.too_slow],
)

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


# --- what each reader gives back -----------------------------------------------------------------


def bibtex_read_back(text: str, *, decode: bool = True) -> list[dict[str, str]]:
    """Every entry as bibtexparser reads it, LaTeX decoded as a user would; no failed block."""
    middleware = [LatexDecodingMiddleware(decoder=BIBTEX_DECODER)] if decode else []
    library = bibtexparser.parse_string(text, append_middleware=middleware)
    assert library.failed_blocks == []
    return [
        {"ENTRYTYPE": entry.entry_type, "ID": entry.key}
        | {field.key: field.value for field in entry.fields}
        for entry in library.entries
    ]


def bibtex_name(name: dict[str, str]) -> str:
    """A CSL name as BibTeX's ``family, suffix, given`` (or the literal name)."""
    if "literal" in name:
        return name["literal"]
    return ", ".join(name[part] for part in ("family", "suffix", "given") if name.get(part))


def bibtex_expected(item: CslItem) -> dict[str, str]:
    """The fields an item's BibTeX entry must read back as."""
    entry_type = BIBTEX_TYPES[str(item["type"])]
    expected = {"ENTRYTYPE": entry_type, "ID": str(item["id"])}
    if item.get("author"):
        expected["author"] = " and ".join(bibtex_name(name) for name in item["author"])  # type: ignore[attr-defined]
    for variable, field in BIBTEX_FIELDS.items():
        if variable in item:
            if variable == "container-title":
                field = BIBTEX_CONTAINER.get(entry_type, field)
            expected[field] = str(item[variable])
    if "issued" in item:
        expected["year"] = str(item["issued"]["date-parts"][0][0])  # type: ignore[index]
    return expected


def ris_carried(value: str, variable: str = "title") -> str:
    """What RIS carries of a value: line breaks as spaces, no spaces at the ends, and in an
    address ``;`` as ``%3B`` (the documented changes, restated independently here)."""
    carried = " ".join(value.splitlines()).strip()
    return carried.replace(";", "%3B") if variable == "URL" else carried


def ris_name(name: dict[str, str]) -> str:
    if "literal" in name:
        return name["literal"]
    return ", ".join(name[part] for part in ("family", "given", "suffix") if name.get(part))


def ris_expected(item: CslItem) -> dict[str, object]:
    """The record an item's RIS must read back as."""
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


# --- the findings of issue 11 --------------------------------------------------------------------


def test_a_doi_with_braces_reads_back_from_bibtex() -> None:
    doi = "10.1000/a}b{c"
    reference = Reference(index=1, raw="r", title="T", doi=doi)
    (entry,) = bibtex_read_back(to_bibtex(article_of(reference)))
    assert (entry["doi"], entry["url"]) == (doi, f"https://doi.org/{doi}")


def test_a_ris_title_holding_a_line_break_and_an_end_tag_keeps_twenty_records() -> None:
    found = [
        Reference(index=n, raw="r", title=f"Title {n}", doi=f"10.1000/{n}") for n in range(1, 21)
    ]
    found[4] = Reference(index=5, raw="r", title="Before\nER  - after", doi="10.1000/5")
    records = rispy.loads(to_ris(article_of(*found)))
    assert [record["doi"] for record in records] == [f"10.1000/{n}" for n in range(1, 21)]
    assert records[4]["title"] == "Before ER  - after"


def test_a_line_break_in_a_ris_title_becomes_a_space_and_says_so() -> None:
    reference = Reference(index=1, raw="r", title="Two\nlines ")
    export = ris_export(article_of(reference))
    assert rispy.loads(export.text)[0]["title"] == "Two lines"
    assert export.notes == (
        ExportNote(
            "ris", "two", "title", "Two\nlines ", "Two lines", "line break written as a space"
        ),
        ExportNote(
            "ris", "two", "title", "Two\nlines ", "Two lines", "spaces at the ends left out"
        ),
    )
    assert str(export.notes[0]) == "two: ris title: line break written as a space"


def test_quotes_and_carets_read_back_from_bibtex_as_typed() -> None:
    title = "The \"seed\" and 10^6 cells: O''Brien's ``view`` -- ~50% of #1 & $2_a"
    reference = Reference(index=1, raw="r", title=title)
    (entry,) = bibtex_read_back(to_bibtex(article_of(reference)))
    assert entry["title"] == title


def test_bibtex_escapes_what_latex_would_read_differently() -> None:
    assert latex_escaped('"^~\\{}') == (
        '{\\string"}{\\string^}{\\textasciitilde}{\\textbackslash}{\\textbraceleft}{\\textbraceright}'
    )
    assert latex_escaped("''--``") == "'{}'-{}-`{}`"
    assert latex_escaped("Müller") == 'M{\\"u}ller'
    assert latex_escaped("10.1/a_b#c%d", identifier=True) == "10.1/a_b#c\\%d"


def test_ris_records_are_not_numbered() -> None:
    found = [Reference(index=n, raw="r", title=f"Title {n}") for n in (1, 2)]
    text = to_ris(article_of(*found))
    assert text.splitlines()[0] == "TY  - JOUR"
    assert [
        line for line in text.splitlines() if not line.startswith(("TY", "ID", "TI", "ER"))
    ] == [""]


def test_bibtex_and_ris_carry_pmid_pmcid_doi_and_address() -> None:
    reference = Reference(index=1, raw="r", title="T", doi="10.1000/x", pmid="123", pmcid="PMC9")
    (entry,) = bibtex_read_back(to_bibtex(article_of(reference)))
    assert {name: entry[name] for name in ("doi", "pmid", "pmcid", "url")} == {
        "doi": "10.1000/x",
        "pmid": "123",
        "pmcid": "PMC9",
        "url": "https://doi.org/10.1000/x",
    }
    (record,) = rispy.loads(to_ris(article_of(reference)))
    assert {name: record[name] for name in ("doi", "accession_number", "custom2", "urls")} == {
        "doi": "10.1000/x",
        "accession_number": "123",
        "custom2": "PMC9",
        "urls": ["https://doi.org/10.1000/x"],
    }


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
    (record,) = rispy.loads(export.text)
    assert (record["doi"], record["urls"]) == (
        doi,
        ["https://doi.org/10.1002/(SICI)1097-0142%3B2-#"],
    )
    assert [(note.variable, note.change) for note in export.notes] == [
        ("URL", "';' written as '%3B' (RIS separates addresses with ';')")
    ]


def test_an_author_holding_and_or_a_comma_stays_one_bibtex_name() -> None:
    authors = ("Smith and Jones AB", "Doe, Jr, J.", "Lee C")
    reference = Reference(index=1, raw="r", title="T", authors=authors)
    (raw,) = bibtex_read_back(to_bibtex(article_of(reference)), decode=False)
    assert split_multiple_persons_names(raw["author"]) == [
        "{Smith and Jones}, A. B.",
        "Doe, {Jr, J.}",
        "Lee, C.",
    ]


def test_export_text_logs_each_note_and_export_with_notes_returns_them(
    caplog: pytest.LogCaptureFixture,
) -> None:
    article = article_of(Reference(index=1, raw="r", title="A\ttab\rreturn"))
    with caplog.at_level(logging.WARNING, logger="reviewbook.tables.exports"):
        text = export_text(article, "ris")
    assert caplog.messages == ["tab: ris title: line break written as a space"]
    export = export_with_notes(article, "ris")
    assert (export.text, len(export.notes)) == (text, 1)
    assert export_with_notes(article, "bibtex").notes == ()
    assert export_with_notes(article, "csl-json").notes == ()


# --- every format, hostile values ----------------------------------------------------------------

HOSTILE_EXAMPLE = article_of(
    Reference(
        index=1,
        raw="r",
        authors=("Smith and Jones AB", "{TRACERx} Consortium"),
        title='"^ and \\ {} \n@misc{x,\nER  - \nTY  - JOUR\n',
        doi="10.1/a}b{;c",
    )
)


def over_hostile_articles(test: Callable[[Article], None]) -> Callable[..., None]:
    """Run ``test`` on generated articles with hostile values, and on `HOSTILE_EXAMPLE`."""
    return ROUND_TRIPS(given(articles)(example(HOSTILE_EXAMPLE)(test)))


@over_hostile_articles
def test_csl_json_reads_back_as_written(article: Article) -> None:
    assert json.loads(to_csl_json(article)) == csl_items(article)


@over_hostile_articles
def test_bibtex_reads_back_as_written(article: Article) -> None:
    items = csl_items(article)
    text = to_bibtex(article)
    assert bibtex_read_back(text) == [bibtex_expected(item) for item in items]
    names = [
        split_multiple_persons_names(entry.get("author", ""))
        for entry in bibtex_read_back(text, decode=False)
    ]
    authors = [item.get("author", []) for item in items]
    assert [len(entry_names) for entry_names in names] == [len(a) for a in authors]  # type: ignore[arg-type]


@over_hostile_articles
def test_ris_reads_back_as_written_or_noted(article: Article) -> None:
    items = csl_items(article)
    export = ris_export(article)
    assert rispy.loads(export.text) == [ris_expected(item) for item in items]
    noted = {(note.key, note.variable) for note in export.notes}
    assert noted == set().union(*(ris_changed(item) for item in items))
