"""PMC full text (JATS XML): front matter, body, floats, references, every in-text citation.

The real files are the seven of ``../shared/fulltext`` (beside the repository; its README gives
each file's element counts and the citation shapes it shows). Each test names the files it
reads. The small files of ``tests/data/jats`` show one shape each, named for it.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from reviewbook.errors import Problem, ReadError
from reviewbook.model import Article, Body, Box, Citation, Paragraph, Section
from reviewbook.sources.jats import iter_jats, parse_jats
from tests.conftest import ROOT, TEST_DATA

FULLTEXT = (ROOT / ".." / "shared" / "fulltext").resolve()
"""The real full texts, beside the repository."""
JATS = TEST_DATA / "jats"


@functools.cache
def real(name: str) -> Article:
    """A real full text, read once per session (records are frozen)."""
    path = FULLTEXT / f"{name}.nxml"
    return parse_jats(path.read_bytes(), source_path=str(path))


def body_of(article: Article) -> Body:
    """The article's body, which every full text here has."""
    assert article.body is not None
    return article.body


def example(name: str) -> Article:
    path = JATS / name
    return parse_jats(path.read_bytes(), source_path=str(path))


def paragraphs(body: Body) -> list[Paragraph]:
    """Every paragraph of a body: before the sections, in them, in boxes."""
    return [
        *body.paragraphs,
        *(paragraph for section in body.walk() for paragraph in section.paragraphs),
        *(paragraph for box in body.boxes for paragraph in box.paragraphs),
    ]


def bibr_xrefs(name: str) -> int:
    """How many ``<xref ref-type="bibr">`` the file holds, counted apart from the reader."""
    parser = etree.XMLParser(load_dtd=False, no_network=True, resolve_entities=False)
    tree = etree.parse(str(FULLTEXT / f"{name}.nxml"), parser)
    return sum(1 for xref in tree.iter("xref") if xref.get("ref-type") == "bibr")


# --- counts against the README --------------------------------------------------------------------


@dataclass(frozen=True)
class Counts:
    sections: int
    paragraphs: int
    figures: int
    tables: int
    boxes: int
    references: int
    bibr_xrefs: int
    citations: int
    problems: int


# README counts every element anywhere in <article>; these count the body as read. Where they
# differ (a ``#`` note says so for each file):
# - sections: README counts the <sec>s of a structured abstract and of back matter
#   (declarations, contributions, funding); the body's own are counted here.
# - paragraphs: README counts every <p>; here a paragraph is one of running text or a list
#   item, so <p>s of the abstract, captions, table cells, table footnotes and back matter are
#   not counted, nor a <p> that holds only a float. A list item counts as one paragraph, and a
#   supplementary file's caption as one.
# - citations: two xrefs joined by a dash print one range and are one citation.
COUNTS: dict[str, Counts] = {
    # README: 33 sec, 194 p (1 abstract, 16 caption, 5 back), 751 bibr, one dash-joined pair
    "PMC12311175": Counts(33, 172, 9, 7, 0, 640, 751, 750, 1),
    # README: 16 sec (4 back), 63 p (4 front, 2 caption, 5 back), 6 dash-joined pairs
    "PMC12497837": Counts(12, 52, 0, 2, 0, 133, 165, 159, 0),
    # README: 71 p (3 front, 7 caption, 16 cell, 4 back); its one box is the graphical
    # abstract's image, read as a box after the body's floats (its text is not read)
    "PMC12561478": Counts(23, 41, 5, 2, 1, 146, 173, 173, 0),
    # README: 25 sec (3 back), 159 p (1 front, 7 caption, 8 cell, 83 back, and the box's <p>
    # that holds only its table), 5 table-wrap (one inside the box: `Box.tables`)
    "PMC12578317": Counts(22, 59, 3, 4, 1, 208, 292, 292, 1),
    # README: 10 sec (2 back), 43 p (1 front, 1 caption, 21 back; 3 list items in the box)
    "PMC12599256": Counts(8, 20, 3, 0, 1, 60, 69, 69, 0),
    # README: 23 sec (5 abstract), 48 p (6 front, 6 caption, 3 back)
    "PMC2599765": Counts(18, 33, 3, 0, 0, 58, 82, 82, 0),
    # README: 27 sec (3 abstract, 1 back), 58 p (3 front, 9 caption, 5 footnote, 1 back; the
    # supplementary file's caption is a paragraph), 8 dash-joined pairs
    "PMC3166277": Counts(23, 41, 4, 3, 0, 64, 111, 103, 0),
}


@pytest.mark.parametrize("name", sorted(COUNTS))
def test_real_full_text_counts(name: str) -> None:
    article = real(name)
    body = body_of(article)
    citations = body.citations
    assert (
        Counts(
            sections=len(list(body.walk())),
            paragraphs=len(paragraphs(body)),
            figures=len(body.figures),
            tables=len(body.tables),
            boxes=len(body.boxes),
            references=len(article.references),
            bibr_xrefs=sum(len(citation.ids) for citation in citations),
            citations=len(citations),
            problems=len(article.warnings),
        )
        == COUNTS[name]
    )


README_COLUMNS = ("fig", "table-wrap", "boxed-text", "ref")
"""The README's columns of elements every one of which is read: each figure (wherever it
sits: the body, ``<floats-group>``, a graphical abstract), each table (in the body or in a
box), each box, each reference."""


@functools.cache
def readme_counts() -> dict[str, dict[str, int]]:
    """The README's `README_COLUMNS` of each file, by name (``PMC12311175``), read from its
    tables of counts (the ones whose header has a ``ref`` column)."""
    counts: dict[str, dict[str, int]] = {}
    header: list[str] = []
    for line in (FULLTEXT / "README.md").read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if cells[0] == "file":
            header = cells
        elif cells[0].endswith(".nxml") and "ref" in header:
            row = dict(zip(header, cells, strict=True))
            name = cells[0].removesuffix(".nxml")
            counts[name] = {column: int(row[column].replace(",", "")) for column in README_COLUMNS}
    return counts


def test_the_readme_counts_every_file_tested() -> None:
    assert sorted(readme_counts()) == sorted(COUNTS)


@pytest.mark.parametrize("name", sorted(COUNTS))
def test_every_figure_table_box_and_reference_the_readme_counts_is_read(name: str) -> None:
    article = real(name)
    body = body_of(article)
    box_tables = sum(len(box.tables) for box in body.boxes)
    assert {
        "fig": len(body.figures),
        "table-wrap": len(body.tables) + box_tables,
        "boxed-text": len(body.boxes),
        "ref": len(article.references),
    } == readme_counts()[name]
    assert article.figures == body.figures


def test_the_box_s_table_counts_with_the_body_s() -> None:
    body = body_of(real("PMC12578317"))
    assert (len(body.tables), [len(box.tables) for box in body.boxes]) == (4, [1])
    assert readme_counts()["PMC12578317"]["table-wrap"] == 5


def test_the_graphical_abstract_s_image_is_a_box_titled_by_its_text() -> None:
    [box] = body_of(real("PMC12561478")).boxes
    assert box == Box(
        title="Strategies for TME‐responsive Nanomaterials to Potentiate Cancer Immunotherapy.",
        graphic="ADVS-12-e13567-g006.jpg",
        line=75,
    )


@pytest.mark.parametrize(
    ("name", "cited", "named"),
    [("PMC12578317", 208, 164), ("PMC3166277", 64, 47), ("PMC12599256", 60, 52)],
)
def test_ranges_cite_every_reference_inside_them_not_only_those_an_id_names(
    name: str, cited: int, named: int
) -> None:
    # PMC12578317 and PMC12599256 print ranges inside one xref (106–109), PMC3166277 joins two
    # xrefs with a dash (1-9): the references in between are cited though no rid names them
    article = real(name)
    citations = body_of(article).citations
    positions = {position for citation in citations for position in citation.references}
    ids = {reference_id for citation in citations for reference_id in citation.ids}
    assert (len(positions), len(ids)) == (cited, named)
    assert positions == set(range(1, len(article.references) + 1))


@pytest.mark.parametrize("name", sorted(COUNTS))
def test_every_bibr_xref_is_part_of_exactly_one_citation(name: str) -> None:
    citations = body_of(real(name)).citations
    # every real rid names one id, so the ids of the citations are their xrefs
    assert sum(len(citation.ids) for citation in citations) == bibr_xrefs(name)
    assert not [problem for problem in real(name).warnings if problem.kind == "in-text"]


@pytest.mark.parametrize("name", sorted(COUNTS))
def test_every_position_cited_exists_and_every_reference_is_cited(name: str) -> None:
    article = real(name)
    cited = {position for c in body_of(article).citations for position in c.references}
    assert cited == set(range(1, len(article.references) + 1))


@pytest.mark.parametrize("name", sorted(COUNTS))
def test_each_citation_is_its_text_at_its_offsets_within_its_sentence(name: str) -> None:
    body = body_of(real(name))
    for paragraph in paragraphs(body):
        for citation in paragraph.citations:
            assert paragraph.text[citation.start : citation.end] == citation.text
            assert citation.sentence in paragraph.text
            assert citation.text in citation.sentence
    for figure in body.figures:
        for citation in figure.citations:
            assert figure.caption[citation.start : citation.end] == citation.text
    for table in body.tables:
        grid = [*table.columns, *table.rows]
        for citation in table.citations:
            if citation.cell:
                row, column = citation.cell
                assert grid[row][column][citation.start : citation.end] == citation.text
            else:
                texts = [table.caption, *table.footnotes]
                assert any(text[citation.start : citation.end] == citation.text for text in texts)


# --- each citation shape, on the files that show it -----------------------------------------------


def first(name: str, text: str) -> Citation:
    return next(c for c in body_of(real(name)).citations if c.text == text)


def test_a_range_inside_one_xref_names_every_reference_of_the_range() -> None:
    # <xref rid="cit0106" ref-type="bibr">106&#x02013;109</xref> in a cell of Table 1, line 37
    assert first("PMC12578317", "106–109") == Citation(
        text="106–109",
        references=(106, 107, 108, 109),
        sentence=(
            "Dectin -1 | DCs | Anti-tumoral | upregulation of IL-33 via SYK/Raf-1/NF-κB, leading"
            " to Th9 differentiation and IL-9 production | unspecified | mouse, B16 and B16-OVA,"
            " MPC-11 cell lines, | [106–109]"
        ),
        place="Table 1",
        start=1,
        end=8,
        line=37,
        ids=("cit0106",),
        cell=(10, 6),
    )
    assert first("PMC12578317", "11-15").references == (11, 12, 13, 14, 15)
    assert first("PMC12599256", "5–8").references == (5, 6, 7, 8)


@pytest.mark.parametrize(("name", "ranges", "reached"), [("PMC12578317", 32, 44)])
def test_ranges_inside_xrefs_reach_the_references_no_rid_names(
    name: str, ranges: int, reached: int
) -> None:
    article = real(name)
    citations = body_of(article).citations
    inside = [c for c in citations if len(c.ids) == 1 and len(c.references) > 1]
    assert len(inside) == ranges
    positions = {f"cit{n:04d}": n for n in range(1, len(article.references) + 1)}
    named = {positions[reference_id] for c in citations for reference_id in c.ids}
    assert len({p for c in citations for p in c.references} - named) == reached


def test_six_ranges_inside_xrefs_in_the_protac_minireview() -> None:
    citations = body_of(real("PMC12599256")).citations
    inside = [c.text for c in citations if len(c.ids) == 1 and len(c.references) > 1]
    assert inside == ["5–8", "30–32", "33–35", "20–22", "23–25", "23–25"]


def test_two_xrefs_joined_by_a_hyphen_are_one_citation_of_the_range() -> None:
    # [<xref ref-type="bibr" rid="B1">1</xref>-<xref ref-type="bibr" rid="B9">9</xref>], line 2
    assert first("PMC3166277", "1-9") == Citation(
        text="1-9",
        references=(1, 2, 3, 4, 5, 6, 7, 8, 9),
        sentence=(
            "Some phenotypic variation arises from randomness in cellular processes despite "
            "identical environments and genotypes [1-9]."
        ),
        place="Background",
        start=117,
        end=120,
        line=2,
        ids=("B1", "B9"),
    )
    joined = [c.text for c in body_of(real("PMC3166277")).citations if len(c.ids) == 2]
    assert joined == ["1-9", "10-13", "14-16", "19-24", "30-32", "33-35", "41-43", "57-61"]


def test_two_xrefs_joined_by_an_en_dash_are_one_citation_of_the_range() -> None:
    citation = first("PMC12497837", "26–28")
    assert (citation.references, citation.ids, citation.place) == (
        (26, 27, 28),
        ("B26", "B28"),
        "Adoptive immunotherapy types › CIK cell therapy",
    )
    assert citation.sentence.endswith(
        "both hematologic malignancies and solid tumors (25) (26–28)."
    )


def test_a_dash_joined_range_in_a_table_cell() -> None:
    citation = first("PMC12311175", "545–547")
    assert (citation.references, citation.place, citation.cell) == (
        (545, 546, 547),
        "Table 1",
        (2, 3),
    )
    assert citation.sentence == (
        "miR-155 | Oncogenic | Modulates macrophage polarization to an M2 phenotype, enhancing "
        "immune evasion in the TME. | 545–547"
    )


def test_author_year_citations_resolve_by_their_rid() -> None:
    citation = first("PMC2599765", "Hites 2004")
    assert (citation.references, citation.place, citation.line) == ((21,), "Body", 3)
    assert citation.sentence == (
        "Recently, concerns have arisen about possible health impacts of PBDE exposure because "
        "studies have revealed rising PBDE levels in the tissues of humans and wildlife "
        "(Hites 2004; Law et al. 2003)."
    )
    assert real("PMC2599765").references[20].authors == ("Hites RA",)


def test_xref_text_with_surrounding_newlines_prints_as_the_page_does() -> None:
    # <sup>[</sup>\n<xref ...>\n<sup>28b</sup>\n</xref>\n<sup>]</sup>, line 225
    citation = first("PMC12561478", "28b")
    assert (citation.references, citation.line) == ((28,), 225)
    assert citation.sentence.endswith(
        "particularly the extracellular matrix of aggressive tumors.[28b]"
    )
    assert citation.place == (
        "Design Principles of TME‐Responsive Nanomaterials › Redox‐Induced Responsive Delivery"
    )


def test_citations_in_table_cells_figure_captions_and_boxes_name_their_float() -> None:
    def places(name: str) -> dict[str, int]:
        found: dict[str, int] = {}
        for citation in body_of(real(name)).citations:
            if not citation.place.startswith(("Table", "Fig", "Box")):
                continue
            found[citation.place] = found.get(citation.place, 0) + 1
        return found

    assert sum(places("PMC12311175").values()) == 101  # 102 xrefs, one dash-joined pair
    # each count is the float's bibr xrefs in the XML (no dash-joined pairs in these files)
    assert places("PMC12578317") == {"Table 1": 23, "Table 2": 9, "Table 3": 15, "Table 4": 19}
    assert places("PMC12561478") == {
        "Table 1": 24,
        "Table 2": 8,
        "Figure 2": 2,
        "Figure 3": 3,
        "Figure 4": 4,
        "Figure 5": 3,
    }
    cell = [c for c in body_of(real("PMC12561478")).tables[0].citations if c.cell]
    assert cell[0].sentence == "pH responsive | Acetal and ketal bond | [60]"


# --- floats ---------------------------------------------------------------------------------------


def test_figures_keep_label_caption_image_and_citations() -> None:
    figure = body_of(real("PMC12599256")).figures[0]
    assert figure.label == "Figure 1"
    assert figure.title == (
        "PROTACs and covalent strategies can introduce neoantigens targetable with antibodies."
    )
    assert figure.caption.startswith("(A) Jensen et al. [20] and Moser et al. [21] find ")
    assert figure.graphic == "bst-BST20253065-g001"
    assert [c.text for c in figure.citations][:2] == ["20", "21"]
    assert real("PMC12599256").figures == body_of(real("PMC12599256")).figures


def test_figures_of_the_floats_group_are_the_body_s() -> None:
    figures = body_of(real("PMC2599765")).figures
    assert [figure.label for figure in figures] == ["Figure 1", "Figure 2", "Figure 3"]
    assert figures[0].caption.endswith("*p < 0.05 compared with control.")
    assert "\n\n" in figures[0].caption


def test_a_table_keeps_label_caption_header_rows_and_footnotes() -> None:
    table = body_of(real("PMC3166277")).tables[0]
    assert table.label == "Table 1"
    assert table.caption.startswith("Effects of holin allelic sequences on the stochast")
    assert table.columns == (("Strain", "na", "MLT (min)", "SD (min)"),)
    assert table.footnotes[0].startswith("a In some cases, the sample size n is the pooled")


def test_a_textual_box_holds_its_table_and_a_floating_box_its_list() -> None:
    [box] = body_of(real("PMC12578317")).boxes
    assert (box.label, box.title, box.paragraphs) == ("Box", "Context matters for Dectin-1.", ())
    [table] = box.tables
    assert table.rows[1][0] == table.rows[1][1]  # colspan="2": the cell in both columns
    assert table.rows[0][0].startswith("Pro-tumor (immunosuppressive): • Cell type: TAMs, MDSCs •")
    [perspectives] = body_of(real("PMC12599256")).boxes
    assert (perspectives.label, perspectives.title) == ("", "Perspectives")
    assert [p.text[:40] for p in perspectives.paragraphs] == [
        "Targeted protein degradation as well as ",
        "PROTACs offer exciting new possibilities",
        "New and highly advanced molecular design",
    ]


# --- sections -------------------------------------------------------------------------------------


def test_sections_nest_with_labels_titles_and_paths() -> None:
    body = body_of(real("PMC12561478"))
    first_section = body.sections[0]
    assert (first_section.label, first_section.title, first_section.level) == (
        "1",
        "Introduction",
        1,
    )
    nested = next(s for s in body.walk() if s.level == 3)
    assert (nested.label, nested.line) == ("3.2.1", 462)
    assert nested.path == (
        "Mechanisms of TME‐Responsive Nanomaterials Potentiating Antitumor Immunity",
        "Initiation Phase: Spatiotemporal Control of Tumor Antigen Release and Presentation",
        "TME‐Responsive Nanomaterials Induce ICD",
    )
    assert nested.place == " › ".join(nested.path)
    assert [(s.label, s.title) for s in body.sections][-1] == (None, "Conflict of Interest")


def test_text_before_the_first_section_is_the_body_s_own() -> None:
    body = body_of(real("PMC2599765"))
    assert len(body.paragraphs) == 5
    assert body.paragraphs[0].text.startswith("Polybrominated diphenyl ethers (PBDEs) are added")
    assert {c.place for p in body.paragraphs for c in p.citations} == {"Body"}


# --- front matter ---------------------------------------------------------------------------------


FRONT: dict[str, tuple[object, ...]] = {
    "PMC12311175": (
        ("review-article",),
        "Signal Transduct Target Ther",
        "2025 Jul 31",
        ("10", None, "227"),
        "10.1038/s41392-025-02280-1",
        ("40739089", "PMC12311175"),
        ("Tufail M", "Jiang CH"),
        "https://creativecommons.org/licenses/by/4.0/",
    ),
    "PMC12497837": (
        ("review-article",),
        "Front Immunol",
        "2025 Sep 22",
        ("16", None, "1665488"),
        "10.3389/fimmu.2025.1665488",
        (None, "PMC12497837"),
        ("Qian J", "Liu Y"),
        "https://creativecommons.org/licenses/by/4.0/",
    ),
    "PMC12561478": (
        ("review-article",),
        "Adv Sci (Weinh)",
        "2025 Oct",  # the issue's month, as PubMed prints it; the epub date is 2025 Sep 12
        ("12", "40", "e13567"),
        "10.1002/advs.202513567",
        ("40940640", "PMC12561478"),
        ("Huang Q", "Tong F"),
        "https://creativecommons.org/licenses/by/4.0/",
    ),
    "PMC12578317": (
        ("review-article",),
        "Gut Microbes",
        "2025 Oct 29",
        ("17", "1", "2571433"),
        "10.1080/19490976.2025.2571433",
        ("41163402", "PMC12578317"),
        ("Szóstak N", "Kozłowski P"),
        "https://creativecommons.org/licenses/by/4.0/",
    ),
    "PMC12599256": (
        ("review-article",),
        "Biochem Soc Trans",
        "2025 Oct",
        (None, None, "BST20253065"),
        "10.1042/BST20253065",
        ("41032705", "PMC12599256"),
        # the file swaps surname and given names: <surname>J. E.</surname>
        ("J. E. K", "E. S. CA"),
        "https://creativecommons.org/licenses/by/4.0/",
    ),
    "PMC2599765": (
        ("research-article",),
        "Environ Health Perspect",
        "2008 Dec",
        ("116", "12", "1694-1699"),
        "10.1289/ehp.11570",
        ("19079722", "PMC2599765"),
        ("Lema SC", "Dickey JT"),
        "http://creativecommons.org/publicdomain/mark/1.0/",
    ),
    "PMC3166277": (
        ("research-article",),
        "BMC Microbiol",
        "2011 Aug 2",
        ("11", None, "174"),
        "10.1186/1471-2180-11-174",
        ("21810267", "PMC3166277"),
        ("Dennehy JJ", "Wang IN"),
        "http://creativecommons.org/licenses/by/2.0",
    ),
}


@pytest.mark.parametrize("name", sorted(FRONT))
def test_front_matter_reads_as_pubmed_prints_it(name: str) -> None:
    article = real(name)
    assert (
        article.article_types,
        article.journal,
        article.pub_date,
        (article.volume, article.issue, article.pages),
        article.doi,
        (article.pmid, article.pmcid),
        article.authors[:2],
        article.license,
    ) == FRONT[name]
    assert article.year == int(article.pub_date[:4])  # type: ignore[index]
    assert article.first_author == article.authors[0]


def test_structured_abstracts_keep_their_labels_and_graphical_ones_are_left_out() -> None:
    assert [label for label, _ in real("PMC2599765").abstract_sections] == [
        "Background",
        "Objective",
        "Methods",
        "Results",
        "Conclusions",
    ]
    assert str(real("PMC2599765").abstract).startswith("Background: Polybrominated diphenyl")
    sections = real("PMC12561478").abstract_sections
    assert [label for label, _ in sections] == [""]
    assert "Strategies for TME" not in sections[0][1]  # the graphical abstract's text


def test_keywords_copyright_and_title() -> None:
    article = real("PMC12578317")
    assert article.title == "The role of gut mycobiome in responses to cancer immunotherapy"
    assert article.keywords[:3] == ("Gut mycobiota", "gut fungi", "mycobiome")
    assert article.copyright == (
        "© 2025 The Author(s). Published with license by Taylor & Francis Group, LLC."
    )


# --- references -----------------------------------------------------------------------------------


def test_lettered_sub_references_stay_in_their_reference() -> None:
    article = real("PMC12561478")
    assert len(article.references) == 146
    first_reference = article.references[0]
    assert first_reference.raw.startswith("a) S. W. Linderman, L. DeRidder, L. Sanjurjo,")
    assert " b) K. Pelka, Sci. Transl. Med. 2025, 17, adx7698." in first_reference.raw
    assert (first_reference.authors[0], first_reference.pmid, first_reference.year) == (
        "Linderman SW",
        "40050505",
        2025,
    )


@pytest.mark.parametrize(
    ("pmc", "number", "ending", "pmid"),
    [
        # the PMID is tagged after the full stop, unlabelled: PMC shows it as a link
        ("PMC12311175", 4, "Oncologist 21, 233–243 (2016).", "26834161"),
        ("PMC12578317", 1, "doi: 10.1056/NEJMoa2109970.", "34986285"),
        # labelled, both identifiers are printed text
        ("PMC12497837", 1, "doi: 10.1126/science.aaa4967, PMID: 25838374", "25838374"),
        # the separator printed before an unprinted identifier goes with it
        ("PMC12561478", 6, "Nat. Rev. Immunol. 2025, 25, 353 b) Q. Jia,", "39748116"),
    ],
)
def test_a_printed_citation_holds_the_identifiers_it_prints_and_no_other(
    pmc: str, number: int, ending: str, pmid: str
) -> None:
    reference = real(pmc).references[number - 1]
    assert ending in reference.raw
    assert reference.raw.count(pmid) == ending.count(pmid)
    assert reference.pmid == pmid


def test_citation_alternatives_print_the_mixed_and_read_the_element_citation() -> None:
    reference = real("PMC12311175").references[0]
    assert reference.raw == (
        "Caner, A. Immune escape mechanism of cancer. Curr. Mol. Biol. Rep. 10, 9–19 (2024)."
    )
    assert (reference.authors, reference.title, reference.journal) == (
        ("Caner A",),
        "Immune escape mechanism of cancer",
        "Curr. Mol. Biol. Rep",
    )
    assert (reference.year, reference.volume, reference.first_page, reference.last_page) == (
        2024,
        "10",
        "9",
        "19",
    )
    assert (reference.index, reference.source, reference.kind) == (1, "jats", "article-journal")


def test_a_mixed_citation_of_names_without_commas_is_printed_with_them() -> None:
    reference = real("PMC12497837").references[0]
    assert reference.raw == (
        "Rosenberg SA, Restifo NP. Adoptive cell transfer as personalized immunotherapy for "
        "human cancer. Science. (2015) 348:62–8. doi: 10.1126/science.aaa4967, PMID: 25838374"
    )
    assert (reference.journal, reference.first_page, reference.last_page) == ("Science", "62", "68")
    assert (reference.doi, reference.pmid, reference.links) == (
        "10.1126/science.aaa4967",
        "25838374",
        frozenset({"DOI", "PubMed"}),
    )
    with_etal = real("PMC12497837").references[100].raw  # <etal/> then ". " in the source
    assert with_etal.startswith(
        "Rea A, Santana-Hernández S, Villanueva J, Sanvicente-García M, Cabo M, Suarez-Olmos J, "
        "et al. Enhancing human NK cell"
    )


def test_citations_without_punctuation_are_printed_in_nlm_style() -> None:
    assert real("PMC3166277").references[0].raw == (
        "Avery SV. Microbial cell individuality and the underlying sources of heterogeneity. "
        "Nat Rev Microbiol. 2006;4:577-587. doi: 10.1038/nrmicro1460"
    )
    assert real("PMC2599765").references[1].raw == (
        "Ankley GT, Villeneuve DL. The fathead minnow in aquatic toxicology: past, present and "
        "future. Aquat Toxicol. 2006;78:91-102."
    )
    assert real("PMC12599256").references[0].authors == ("Ribas A", "Wolchok JD")


def test_untagged_citations_in_natures_style_are_read_from_their_typefaces() -> None:
    """150 references of PMC12311175 tag nothing but the journal (italic) and volume (bold):
    authors and title are read from the roman text before them, pages and year after."""
    article = real("PMC12311175")
    fields = [
        (r.authors, r.title, r.journal, r.volume, r.first_page, r.last_page, r.year, r.kind)
        for r in (article.references[index - 1] for index in (3, 29, 34, 391))
    ]
    assert fields[0] == (
        ("Dutta S",),
        "Targets of immune escape mechanisms in cancer: basis for development and evolution "
        "of cancer immune checkpoint inhibitors",
        "Biology",
        "12",
        "218",
        None,
        2023,
        "article-journal",
    )
    assert fields[1][0] == ("Littwitz-Salomon E", "Malyshkina A", "Schimmer S", "Dittmer U")
    assert fields[1][2:7] == ("Front. Immunol", "9", "1947", None, 2018)
    assert fields[2][0] == ("Aguiar RB", "Moraes JZ")  # "R. B. d.": the particle is dropped
    # A journal printed in roman (no italic) leaves it to the printed-citation reader, which
    # reads Nature's surname-first names as printed, the publisher's slip included
    # ("Ansell Stephen, M." for Stephen M. Ansell).
    assert fields[3][0] == ("Ansell Stephen M",)
    assert fields[3][1] == (
        "PD-1 blockade with nivolumab in relapsed or refractory Hodgkin’s Lymphoma"
    )
    assert fields[3][2:7] == ("N. Engl. J. Med", "372", "311", "319", 2015)
    # Three print no volume or pages: read, but of no known kind (as a printed list's are).
    assert [r.index for r in article.references if r.kind == "unknown"] == [202, 264, 624]
    assert [str(problem) for problem in article.warnings] == [
        "line 672: reference 470: last page 487 comes before first page 836; kept as printed"
    ]


def test_a_book_by_a_group_with_place_and_publisher() -> None:
    book = example("multi_id_rid.xml").references[4]
    assert (book.kind, book.title, book.journal, book.authors, book.collective) == (
        "book",
        "A Book of Fifths",
        None,
        ("WHO Collaborative Group",),
        ("WHO Collaborative Group",),
    )
    assert (book.place, book.publisher, book.year) == ("Geneva", "WHO", 2005)
    assert book.raw == "WHO Collaborative Group. A Book of Fifths. Geneva: WHO. 2005."


# --- hand-made shapes ----------------------------------------------------------------------------


def test_several_ids_in_one_rid() -> None:
    article = example("multi_id_rid.xml")
    assert [(c.text, c.references, c.ids) for c in body_of(article).citations] == [
        ("2–4", (2, 3, 4), ("B2", "B3", "B4")),
        ("1,5", (1, 5), ("B1", "B5")),
    ]
    assert article.warnings == ()


def test_dash_joined_ranges_with_hyphen_en_dash_space_and_superscripts() -> None:
    article = example("dash_joined_range.xml")
    assert [(c.text, c.references, c.sentence) for c in body_of(article).citations] == [
        ("1-4", (1, 2, 3, 4), "A hyphen joins them [1-4]."),
        ("2 – 5", (2, 3, 4, 5), "An en dash with space (2 – 5)."),
        ("3–6", (3, 4, 5, 6), "Superscripts after the stop.[3–6]"),
        ("1", (1,), "A comma does not join [1,6]."),
        ("6", (6,), "A comma does not join [1,6]."),
    ]


def test_what_cannot_be_placed_is_a_problem_with_its_line() -> None:
    article = example("unresolved_rid.xml")
    assert [(c.text, c.references) for c in body_of(article).citations] == [
        ("9", ()),
        ("2", ()),
        ("2-8", (2, 3)),
    ]
    assert article.warnings == (
        Problem(13, "in-text", 'citation "9" names "C9", which is no reference of the list'),
        Problem(13, "in-text", 'citation "2" names no reference id'),
        Problem(
            14,
            "in-text",
            'citation "2-8" reaches past the reference list (3 references): cut to it',
        ),
        Problem(
            15,
            "markup",
            "<mystery-block> in Results is not an element the reader knows: its text is read as "
            "a paragraph",
        ),
        Problem(
            16,
            "markup",
            "<mystery-empty> in Results is not an element the reader knows: it holds no text",
        ),
        Problem(7, "in-text", 'citation "1" in <abstract> is outside the text read: not resolved'),
    )
    [results] = body_of(article).sections
    assert results.paragraphs[-1].text == "Text in an element no reader knows."


def test_table_spans_repeat_and_cells_carry_their_citations() -> None:
    [table] = body_of(example("table_spans.xml")).tables
    assert (table.label, table.title) == ("Table 1", "Drugs and their targets")
    assert table.columns == (("Drug and target", "Drug and target", "Ref."),)
    assert table.rows == (
        ("Nivolumab", "PD-1", "[2]"),
        ("Nivolumab", "PD-1, again", "As shown by 1."),
        ("Ipilimumab", "CTLA-4", "CTLA-4"),  # colspan="999999" reaches the last column only
    )
    assert table.footnotes == ("Doses from [2].",)
    assert [(c.text, c.cell, c.sentence) for c in table.citations] == [
        ("1", None, "Approved drugs, as reviewed before [1]."),
        ("2", (1, 2), "Nivolumab | PD-1 | [2]"),
        ("1", (2, 2), "As shown by 1."),
        ("2", None, "Doses from [2]."),
    ]


# --- refusals, safety, depth ----------------------------------------------------------------------


def test_a_truncated_full_text_raises_naming_the_file_and_a_line() -> None:
    data = (FULLTEXT / "PMC12599256.nxml").read_bytes()
    with pytest.raises(ReadError, match="not well-formed XML") as raised:
        parse_jats(data[: len(data) // 2], source_path="PMC12599256.nxml")
    assert raised.value.path == "PMC12599256.nxml"
    assert raised.value.line is not None and raised.value.line > 1
    assert str(raised.value).startswith(f"PMC12599256.nxml:{raised.value.line}: not well-formed")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"<html><body><p>Hi</p></body></html>", "root element is <html>, not <article>"),
        (b"<html><article><p>Hi</p></article></html>", "root element is <html>, not <article>"),
        (b"<pmc-articleset/>", "holds 0 articles, not one"),
        ((JATS / "article_set_of_two.xml").read_bytes(), "holds 2 articles, not one"),
        (b"<article><p>", "not well-formed XML"),
    ],
)
def test_input_that_is_not_one_full_text_raises(data: bytes, message: str) -> None:
    with pytest.raises(ReadError, match=message) as raised:
        parse_jats(data, source_path="input.xml")
    assert raised.value.path == "input.xml"
    assert raised.value.line is not None


def test_an_article_set_is_read_article_by_article() -> None:
    path = JATS / "article_set_of_two.xml"
    with path.open("rb") as content:
        articles = list(iter_jats(content, source_path=str(path), sha256=None))  # type: ignore[arg-type]
    assert [(a.pmid, a.pmcid, a.article_types) for a in articles] == [
        ("10000041", "PMC9000041", ("review-article",)),
        ("10000042", None, ("research-article",)),
    ]
    assert [a.body for a in articles] == [None, None]


def test_an_external_entity_is_neither_fetched_nor_expanded() -> None:
    data = (
        b'<?xml version="1.0"?>\n<!DOCTYPE article [<!ENTITY secret SYSTEM "file:///etc/hostname">]>\n'
        b"<article><front><article-meta><title-group><article-title>T</article-title>"
        b"</title-group></article-meta></front><body><p>Before &secret; after.</p></body></article>"
    )
    article = parse_jats(data)
    assert body_of(article).paragraphs[0].text == "Before &secret; after."
    assert article.warnings == (Problem(3, "input", "entity &secret; left as written"),)


def test_a_document_nested_thousands_deep_is_refused_at_once() -> None:
    deep = b"<article><body>" + b"<sec>" * 5000 + b"</sec>" * 5000 + b"</body></article>"
    with pytest.raises(ReadError, match="Excessive depth in document") as raised:
        parse_jats(deep, source_path="deep.xml")
    assert (raised.value.path, raised.value.line) == ("deep.xml", 1)


def test_nesting_as_deep_as_the_parser_allows_reads_without_recursion_errors() -> None:
    depth = 200
    sections = (
        b"<article><body>"
        + b"<sec><title>S</title>" * depth
        + b'<p>Deep [<xref ref-type="bibr" rid="r1">1</xref>].</p>'
        + b"</sec>" * depth
        + b'</body><back><ref-list><ref id="r1"><mixed-citation>X.</mixed-citation></ref>'
        + b"</ref-list></back></article>"
    )
    deepest: Section = list(body_of(parse_jats(sections)).walk())[-1]
    assert (deepest.level, deepest.paragraphs[0].citations[0].references) == (depth, (1,))
    boxes = b"<article><body>" + b"<boxed-text><p>" * 120 + b"Deep." + b"</p></boxed-text>" * 120
    body = body_of(parse_jats(boxes + b"</body></article>"))
    assert len(body.boxes) == 120
    assert body.boxes[-1].paragraphs == (Paragraph(text="Deep.", line=1),)


FUZZ_TAGS = [
    "sec",
    "p",
    "title",
    "label",
    "xref",
    "fig",
    "caption",
    "table-wrap",
    "table",
    "thead",
    "tbody",
    "tr",
    "td",
    "th",
    "boxed-text",
    "list",
    "list-item",
    "sup",
    "italic",
    "graphic",
    "fn",
    "table-wrap-foot",
    "disp-quote",
    "supplementary-material",
    "mystery",
]
FUZZ_ATTRIBUTES = (
    "",
    ' ref-type="bibr" rid="r1"',
    ' ref-type="bibr" rid="r2"',
    ' ref-type="bibr" rid="r9"',  # names no reference
    ' colspan="3"',
    ' rowspan="99"',
    ' colspan="x"',
)
"""Attributes put on any fuzzed element; each citation's ``rid`` names one id."""
fuzz_text = st.text(alphabet="ab 12.–-[],\n", max_size=12)
fuzz_element = st.recursive(
    fuzz_text,
    lambda children: st.builds(
        lambda tag, attributes, inside: f"<{tag}{attributes}>{''.join(inside)}</{tag}>",
        st.sampled_from(FUZZ_TAGS),
        st.sampled_from(FUZZ_ATTRIBUTES),
        st.lists(children, max_size=4),
    ),
    max_leaves=30,
)


@settings(max_examples=80)
@given(st.lists(fuzz_element, max_size=4))
def test_any_well_formed_body_reads_with_every_citation_where_it_says(blocks: list[str]) -> None:
    document = (
        "<article><front><article-meta><title-group><article-title>T</article-title>"
        "</title-group></article-meta></front><body>" + "".join(blocks) + "</body><back>"
        '<ref-list><ref id="r1"><mixed-citation>A.</mixed-citation></ref>'
        '<ref id="r2"><mixed-citation>B.</mixed-citation></ref></ref-list></back></article>'
    )
    article = parse_jats(document.encode())
    body = body_of(article)
    for paragraph in paragraphs(body):
        for citation in paragraph.citations:
            assert paragraph.text[citation.start : citation.end] == citation.text
            assert citation.text in citation.sentence
            assert set(citation.references) <= {1, 2}
    # every citation element is in exactly one citation, or said to be outside the text read
    unread = [problem for problem in article.warnings if "outside the text read" in problem.message]
    cited = sum(len(citation.ids) for citation in body.citations)
    assert cited + len(unread) == document.count('<xref ref-type="bibr"')


def test_an_article_without_body_or_floats_has_no_body() -> None:
    article = parse_jats(b"<article><front><article-meta/></front></article>")
    assert article.body is None
    assert article.warnings == (
        Problem(1, "record", "the article has no title"),
        Problem(
            1, "record", "no <body>: the file holds no body text, only front matter and references"
        ),
    )
