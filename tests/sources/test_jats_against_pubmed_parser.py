"""The JATS reader against pubmed_parser: on each shared full text, pubmed_parser finds no
reference, paragraph, figure caption or table that reviewbook misses.

pubmed_parser (``parse_pubmed_references``, ``parse_pubmed_paragraph``,
``parse_pubmed_caption``, ``parse_pubmed_table``) reads the same files with other rules, so the
comparison is made where both can be held to the same thing:

- **text** is compared as a *subsequence*: both texts are folded (`fold`: transliterated to
  ASCII as pubmed_parser's tables are, letters and digits only, lower case), and every
  character of pubmed_parser's text must appear, in order, in reviewbook's. pubmed_parser
  strings an element one level deep (its text, its children's text and tails), so it drops
  the text of grandchildren (``<xref><sup>1</sup></xref>``, ``<italic><sub>2</sub></italic>``)
  and its text is a subsequence of the full one, never more;
- **references** by their ``<ref id>``: the reference of ours at that id's position has the
  DOI and PMID pubmed_parser gives (when it gives one), the year it gives (its four digits:
  ``. 2008`` is 2008), and its article title and source within our printed citation;
- **paragraphs**: every ``<p>`` under ``<body>`` (``all_paragraph=True``: with or without
  citations) is within one passage of ours, which holds a citation of each reference id the
  paragraph's children name (pubmed_parser's ``reference_ids``, less the ids of figures and
  tables). A passage of ours is a paragraph (body, section, box), a section's heading, a
  figure's or table's title or caption, a table cell or footnote, a box's title;
- **figures** by label: caption and image file the same;
- **tables** by label: caption, header cells and each body row within ours.

What pubmed_parser reads and reviewbook leaves out, on purpose, is said where it applies:
the abstract is not compared (`parse_pubmed_xml` joins every abstract, the graphical one's
text too; reviewbook keeps the article's abstract in ``Article.abstract`` and the graphical
abstract's text as its box's title); and pubmed_parser reads fewer references than there are
(only ``<ref>``s whose first child citation is tagged ``publication-type``: none in a
``<citation-alternatives>``), so the count of its references is a floor, not a target.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

import pubmed_parser
import pytest
from lxml import etree
from unidecode import unidecode

from reviewbook.model import Article, Body, Citation
from reviewbook.sources.jats import parse_jats
from reviewbook.sources.jats_references import read_references
from tests.sources.test_jats import FULLTEXT

NAMES = sorted(path.stem for path in FULLTEXT.glob("*.nxml"))
_YEAR = re.compile(r"\d{4}")


def fold(text: str | None) -> str:
    """Text as both readers can be held to it: ASCII, letters and digits only, lower case."""
    return "".join(character for character in unidecode(text or "") if character.isalnum()).lower()


def within(part: str, whole: str) -> bool:
    """Whether every character of ``part`` appears in ``whole`` in the same order."""
    position = 0
    for character in part:
        position = whole.find(character, position) + 1
        if not position:
            return False
    return True


def path_of(name: str) -> str:
    return str(FULLTEXT / f"{name}.nxml")


@functools.cache
def ours(name: str) -> Article:
    return parse_jats(Path(path_of(name)).read_bytes(), source_path=path_of(name))


def body_of(name: str) -> Body:
    body = ours(name).body
    assert body is not None
    return body


@dataclass(frozen=True)
class Passage:
    """A passage of ours, folded, with the reference ids its citations name."""

    where: str
    text: str
    ids: frozenset[str]


def _ids(citations: tuple[Citation, ...] | list[Citation]) -> frozenset[str]:
    return frozenset(reference_id for citation in citations for reference_id in citation.ids)


@functools.cache
def passages(name: str) -> tuple[Passage, ...]:
    """Every passage of our reading of a file."""
    body = body_of(name)
    found = [Passage("body", fold(p.text), _ids(p.citations)) for p in body.paragraphs]
    for section in body.walk():
        found.append(Passage(section.place, fold(section.title), frozenset()))
        found += [
            Passage(section.place, fold(p.text), _ids(p.citations)) for p in section.paragraphs
        ]
    for figure in body.figures:
        found.append(
            Passage(figure.label, fold(figure.title + figure.caption), _ids(figure.citations))
        )
    for box in body.boxes:
        found.append(Passage(box.label or "box", fold(box.title), frozenset()))
        found += [
            Passage(box.label or "box", fold(p.text), _ids(p.citations)) for p in box.paragraphs
        ]
    for table in (*body.tables, *(table for box in body.boxes for table in box.tables)):
        outside_cells = _ids([c for c in table.citations if c.cell is None])
        for text in (table.title, table.caption, *table.footnotes):
            found.append(Passage(table.label, fold(text), outside_cells))
        for row, cells in enumerate((*table.columns, *table.rows)):
            for column, text in enumerate(cells):
                cited = _ids([c for c in table.citations if c.cell == (row, column)])
                found.append(Passage(table.label, fold(text), cited))
    return tuple(found)


@functools.cache
def reference_positions(name: str) -> dict[str, int]:
    """Each reference's position of ours, by its ``<ref id>``."""
    parser = etree.XMLParser(load_dtd=False, no_network=True, resolve_entities=False)
    root = etree.parse(path_of(name), parser).getroot()
    return read_references(root)[1]


# --- references -----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_every_reference_pubmed_parser_reads_is_ours_with_its_fields(name: str) -> None:
    theirs = pubmed_parser.parse_pubmed_references(path_of(name)) or []
    positions = reference_positions(name)
    references = ours(name).references
    assert len(references) >= len(theirs) > 0
    missed = []
    for found in theirs:
        position = positions.get(found["ref_id"])
        if position is None:
            missed.append((found["ref_id"], "no reference of ours has this id"))
            continue
        reference = references[position - 1]
        printed = fold(reference.raw)
        year = _YEAR.search(found["year"])
        checks = {
            "pmid": not found["pmid_cited"] or found["pmid_cited"] == reference.pmid,
            "doi": not found["doi_cited"] or found["doi_cited"] == reference.doi,
            "year": year is None or int(year.group()) == reference.year,
            "title": within(fold(found["article_title"]), printed),
            "source": within(fold(found["journal"]), printed),
        }
        missed += [(found["ref_id"], field) for field, agrees in checks.items() if not agrees]
    assert missed == []


def test_pubmed_parser_skips_references_given_as_citation_alternatives() -> None:
    # 490 of PMC12311175's 640 refs hold a <citation-alternatives>: pubmed_parser reads none
    theirs = pubmed_parser.parse_pubmed_references(path_of("PMC12311175")) or []
    assert (len(theirs), len(ours("PMC12311175").references)) == (150, 640)


# --- paragraphs -----------------------------------------------------------------------------------


def segments(paragraph: etree._Element) -> list[str]:
    """The pieces pubmed_parser strings a ``<p>`` from (``stringify_children``): its text, each
    child's text and tail, its own tail; each piece is a run of the paragraph's text."""
    pieces = [paragraph.text]
    for child in paragraph:
        pieces += [child.text, child.tail]
    return [piece or "" for piece in (*pieces, paragraph.tail)]


def article_segments(paragraph: etree._Element) -> list[str]:
    """`segments` less what is not the article's text: a comment's text, and the paragraph's
    tail (the text after ``</p>``, outside it)."""
    pieces = [paragraph.text]
    for child in paragraph:
        pieces += [child.text if isinstance(child.tag, str) else "", child.tail]
    return [folded for piece in pieces if (folded := fold(piece))]


LEFT_OUT: dict[str, str] = {
    "media": "the caption of a supplementary file's link: 'Click here for file', not article text",
}
"""Elements whose ``<p>``s pubmed_parser reads and reviewbook leaves out, and why."""


def left_out(paragraph: etree._Element) -> bool:
    return any(ancestor.tag in LEFT_OUT for ancestor in paragraph.iterancestors())


def runs_within(runs: list[str], whole: str) -> bool:
    """Whether each run appears in ``whole`` unbroken, one after the other."""
    position = 0
    for run in runs:
        found = whole.find(run, position)
        if found < 0:
            return False
        position = found + len(run)
    return True


@pytest.mark.parametrize("name", NAMES)
def test_every_body_paragraph_pubmed_parser_reads_is_within_a_passage_of_ours(name: str) -> None:
    # pubmed_parser's paragraphs are the <p>s of `//body//p`, in order: each is matched with its
    # element, so that each run of its text (a piece it strings) is looked for unbroken
    parser = etree.XMLParser(load_dtd=False, no_network=True, resolve_entities=False)
    elements = etree.parse(path_of(name), parser).xpath("//body//p")
    theirs = pubmed_parser.parse_pubmed_paragraph(path_of(name), all_paragraph=True)
    assert [found["text"] for found in theirs] == ["".join(segments(p)) for p in elements]
    positions = reference_positions(name)
    missed = []
    for found, element in zip(theirs, elements, strict=True):
        runs = article_segments(element)
        if not runs or left_out(element):
            continue  # a <p> that holds only a float or an image, or one left out
        cited = {rid for rid in found["reference_ids"] if rid in positions}
        if not any(
            runs_within(runs, passage.text) and cited <= passage.ids for passage in passages(name)
        ):
            missed.append((element.sourceline, found["section"], found["text"][:60]))
    assert missed == []


def test_the_paragraphs_left_out_are_links_to_supplementary_files() -> None:
    parser = etree.XMLParser(load_dtd=False, no_network=True, resolve_entities=False)
    found = [
        (name, fold("".join(p.itertext())))
        for name in NAMES
        for p in etree.parse(path_of(name), parser).xpath("//body//p")
        if left_out(p)
    ]
    assert found == [("PMC3166277", "clickhereforfile")]


# --- figures and tables ---------------------------------------------------------------------------


def cells_within(cells: list[str], row: list[str]) -> bool:
    """Whether each cell is `within` a cell of ``row``, the cells of ``row`` taken in order (a
    cell spanning several columns is repeated in ours, so two may be within one text)."""
    position = 0
    for cell in cells:
        while position < len(row) and not within(cell, row[position]):
            position += 1
        if position == len(row):
            return False
    return True


@pytest.mark.parametrize("name", NAMES)
def test_every_figure_pubmed_parser_reads_is_ours_with_its_caption_and_image(name: str) -> None:
    figures = {fold(figure.label): figure for figure in body_of(name).figures}
    theirs = pubmed_parser.parse_pubmed_caption(path_of(name)) or []
    assert len(figures) == len(body_of(name).figures) >= len(theirs)
    missed = []
    for found in theirs:
        figure = figures.get(fold(found["fig_label"]))
        if figure is None:
            missed.append((found["fig_label"], "no figure of ours has this label"))
        elif not within(fold(found["fig_caption"]), fold(figure.title + figure.caption)):
            missed.append((found["fig_label"], "caption"))
        elif found["graphic_ref"] != figure.graphic:
            missed.append((found["fig_label"], "image"))
    assert missed == []


@pytest.mark.parametrize("name", NAMES)
def test_every_table_pubmed_parser_reads_is_ours_with_its_caption_header_and_rows(
    name: str,
) -> None:
    body = body_of(name)
    tables = {fold(t.label): t for t in (*body.tables, *(t for b in body.boxes for t in b.tables))}
    missed = []
    for found in pubmed_parser.parse_pubmed_table(path_of(name), return_xml=False) or []:
        table = tables.get(fold(found["label"]))
        if table is None:
            missed.append((found["label"], "no table of ours has this label"))
            continue
        if not within(fold(found["caption"]), fold(table.title + table.caption)):
            missed.append((found["label"], "caption"))
        header = fold("".join(cell for row in table.columns for cell in row))
        if not within(fold("".join(found["table_columns"])), header):
            missed.append((found["label"], "header"))
        rows = [[fold(cell) for cell in cells] for cells in table.rows]
        for values in found["table_values"]:
            if not any(cells_within([fold(value) for value in values], row) for row in rows):
                missed.append((found["label"], f"row {values[:2]}"))
    assert missed == []


@pytest.mark.parametrize(
    ("name", "figures", "tables"),
    [("PMC2599765", 3, 0), ("PMC12578317", 3, 5), ("PMC12561478", 5, 2)],
)
def test_pubmed_parser_finds_the_figures_and_tables_ours_are_compared_with(
    name: str, figures: int, tables: int
) -> None:
    # the floats-group's figures, a box's table: pubmed_parser reads them too, so the tests
    # above compare every one (and none of the seven files' comparisons is empty by accident)
    found_figures = pubmed_parser.parse_pubmed_caption(path_of(name)) or []
    found_tables = pubmed_parser.parse_pubmed_table(path_of(name), return_xml=False) or []
    assert (len(found_figures), len(found_tables)) == (figures, tables)
