"""A review's full text in a notebook: its outline, its text with each citation linked to its
reference, and the sentences citing a reference, on real full texts and small made-up ones."""

from __future__ import annotations

import functools
import re

import pandas as pd
import pytest

from reviewbook.model import Article, Body, Citation, Paragraph, Reference, Section
from reviewbook.notebook.fulltext import (
    CELL_STYLE,
    CONTEXT_COLUMNS,
    TABLE_STYLE,
    article_key,
    citation_contexts,
    full_text_html,
    outline_html,
    reference_anchor,
)
from reviewbook.sources.jats import parse_jats
from tests.conftest import ROOT, expected_article

FULLTEXT = (ROOT / ".." / "shared" / "fulltext").resolve()
"""The real full texts, beside the repository."""
PROTACS, LYSIS, ADOPTIVE = "PMC12599256", "PMC3166277", "PMC12497837"
"""A minireview with a box and cited figure; a research article with tables citing in cells
and footnotes; a review without a PMID, its sections numbered."""


@functools.cache
def real(name: str) -> Article:
    """A real full text, read once per session (records are frozen)."""
    return parse_jats((FULLTEXT / f"{name}.nxml").read_bytes())


@functools.cache
def whole_text(name: str) -> str:
    return full_text_html(real(name)).markup


def cite(text: str, passage: str, start: int, references: tuple[int, ...] = (1,)) -> Citation:
    return Citation(
        text=text,
        references=references,
        sentence=passage,
        place="Results",
        start=start,
        end=start + len(text),
    )


def made_up(paragraph: Paragraph, *sections: Section) -> Article:
    """A review with two references and one section holding ``paragraph``."""
    return Article(
        pmid="10000031",
        title="A made-up review",
        references=(Reference(1, "Smith J. First. 2001."), Reference(2, "Doe A. Second. 2002.")),
        body=Body(
            sections=(Section("Results", paragraphs=(paragraph,), path=("Results",)), *sections)
        ),
    )


# --- the outline ------------------------------------------------------------------------------


def test_outline_nests_the_sections_with_their_counts() -> None:
    outline = outline_html(real(PROTACS))
    assert repr(outline) == "8 sections, 69 citations of 60 references"
    assert (
        "<li>Overcoming tumor immune suppression <small>(1 citation of 1 reference)</small>"
        "<ul><li>PD-L1-PROTACs <small>(6 citations of 4 references)</small></li>"
        "<li>SHP-2 PROTACs <small>(5 citations of 5 references)</small></li>"
        "<li>IDO-1-PROTACs <small>(5 citations of 5 references)</small></li></ul></li>"
        "<li>COX-1/2 PROTACs <small>(5 citations of 5 references)</small></li>"
    ) in outline.markup
    assert outline.markup.count("<ul>") == outline.markup.count("</ul>") == 2


def test_outline_lists_boxes_figures_and_tables_by_label() -> None:
    markup = outline_html(real(PROTACS)).markup
    assert markup.endswith(
        "<p><b>Boxes:</b> Perspectives (0 citations)</p>"
        "<p><b>Figures:</b> Figure 1 (6 citations); Figure 2 (0 citations); "
        "Figure 3 (0 citations)</p></div>"
    )
    assert (
        "<p><b>Tables:</b> Table 1 (0 citations); Table 2 (1 citation); Table 3 (13 citations)</p>"
        in (outline_html(real(LYSIS)).markup)
    )


def test_outline_names_sections_by_label_and_title() -> None:
    outline = outline_html(real(ADOPTIVE))
    assert repr(outline) == "12 sections, 159 citations of 133 references"
    assert "<li>2.1 LAK cell therapy <small>(" in outline.markup


def test_an_article_without_a_body_says_so_in_one_sentence() -> None:
    janssen = expected_article("29037250")
    sentence = "PMID 29037250 has no full text here: only its record and reference list were read."
    for output in (outline_html(janssen), full_text_html(janssen)):
        assert repr(output) == sentence
        assert output.markup == f"<p><i>{sentence}</i></p>"


# --- the text: citations linked to the reference list ----------------------------------------

JENSEN = (
    "Jensen SM, Potts GK, Ready DB, Patterson MJ. Specific MHC-I Peptides Are Induced Using "
    "PROTACs. Front. Immunol. 2018;9:2697. doi: 10.3389/fimmu.2018.02697"
)


def test_a_citation_links_to_its_reference_row_with_the_reference_as_title() -> None:
    markup = whole_text(PROTACS)
    assert (
        'To tackle this question, Jensen et al. [<a class="reviewbook-citation" '
        f'href="#ref-41032705-20" title="{JENSEN}">20</a>] studied the peptide abundance'
    ) in markup
    assert (
        f'<li id="ref-41032705-20" value="20">{JENSEN} · '
        '<a href="https://pubmed.ncbi.nlm.nih.gov/30524438/" target="_blank" rel="noopener">'
        'PubMed</a> · <a href="https://doi.org/10.3389/fimmu.2018.02697" target="_blank" '
        'rel="noopener">DOI</a></li>'
    ) in markup
    assert reference_anchor(real(PROTACS), 20) == "ref-41032705-20"


def test_a_range_links_to_its_first_reference_and_names_every_one() -> None:
    article = real(PROTACS)
    titles = "\n".join(f"{n}. {article.references[n - 1].raw}" for n in (23, 24, 25))
    assert (
        f'<a class="reviewbook-citation" href="#ref-41032705-23" title="{titles}">23–25</a>'
    ) in whole_text(PROTACS)


def test_every_citation_is_a_link_to_a_row_of_the_same_output() -> None:
    markup = whole_text(PROTACS)
    targets = re.findall(r'class="reviewbook-citation" href="#([^"]+)"', markup)
    rows = re.findall(r'<li id="([^"]+)"', markup)
    assert repr(full_text_html(real(PROTACS))) == "8 sections, 69 citations of 60 references"
    assert len(targets) == 69
    assert set(targets) <= set(rows)
    assert len(rows) == len(set(rows)) == 60


def test_anchors_differ_between_reviews_and_use_the_pmcid_without_a_pmid() -> None:
    assert article_key(real(ADOPTIVE)) == "PMC12497837"
    assert '<li id="ref-PMC12497837-1" value="1">' in whole_text(ADOPTIVE)
    ids = {
        name: set(re.findall(r' id="([^"]+)"', whole_text(name))) for name in (PROTACS, ADOPTIVE)
    }
    assert not ids[PROTACS] & ids[ADOPTIVE]
    assert article_key(Article(pmid='1"><b>', title="x")) == "1-b"


def test_the_link_sits_at_the_citation_offsets_not_the_first_match() -> None:
    text = "Figure 1 shows 1 cell [1]."
    article = made_up(Paragraph(text, (cite("1", text, 23),)))
    assert (
        '<p>Figure 1 shows 1 cell [<a class="reviewbook-citation" href="#ref-10000031-1" '
        'title="Smith J. First. 2001.">1</a>].</p>'
    ) in full_text_html(article).markup


def test_a_span_the_passage_cannot_hold_stays_text_and_an_unresolved_one_is_marked() -> None:
    text = "Cells die [2, 9]."
    article = made_up(
        Paragraph(
            text,
            (cite("2", text, 11, (2,)), cite("9", text, 14, ()), cite("7", text, 40, (1,))),
        )
    )
    assert (
        '<p>Cells die [<a class="reviewbook-citation" href="#ref-10000031-2" '
        'title="Doe A. Second. 2002.">2</a>, <span class="reviewbook-citation-unresolved" '
        'title="names no reference of the list">9</span>].</p>'
    ) in full_text_html(article).markup


# --- the text: headings, floats --------------------------------------------------------------


def test_headings_follow_the_section_levels() -> None:
    markup = whole_text(PROTACS)
    assert "<h3>Overcoming tumor immune suppression</h3><p>" in markup
    assert "<h4>PD-L1-PROTACs</h4><p>" in markup
    assert "<h4>2.1 LAK cell therapy</h4>" in whole_text(ADOPTIVE)


def test_a_box_is_set_off_with_its_title() -> None:
    assert (
        '<aside class="reviewbook-box" style="border:1px solid #8c959f;border-radius:6px;'
        'padding:0.3em 1em;margin:1em 0"><p style="font-weight:bold">Perspectives</p>'
        "<p>Targeted protein degradation as well as immunotherapy are fast-developing fields"
    ) in whole_text(PROTACS)


def test_a_figure_shows_label_title_and_linked_caption_but_no_image() -> None:
    markup = whole_text(PROTACS)
    assert (
        "<figcaption><p><b>Figure 1.</b> PROTACs and covalent strategies can introduce "
        "neoantigens targetable with antibodies.</p><p>(A) Jensen et al. "
        '[<a class="reviewbook-citation" href="#ref-41032705-20"'
    ) in markup
    assert "bst-BST20253065-g001" not in markup
    assert "<img" not in markup


def test_a_table_shows_header_cells_rows_and_footnotes_with_their_citations() -> None:
    markup = whole_text(LYSIS)

    def row(tag: str, *cells: str) -> str:
        return "<tr>" + "".join(f'<{tag} style="{CELL_STYLE}">{c}</{tag}>' for c in cells) + "</tr>"

    assert (
        "<figcaption><p><b>Table 2.</b> Effect of late promoter activity, lysogen growth rate "
        "and KCN addition on the stochasticity of lysis time.</p></figcaption>"
        '<div style="overflow-x:auto"><table class="reviewbook-cells" '
        f'style="{TABLE_STYLE}"><thead>'
        + row("th", "Treatment", "nc", "MLT (min)", "SD (min)")
        + "</thead><tbody>"
        + row("td", "pR&#x27; activity", "", "", "")
        + row("td", "IN56 (1)a", "230", "65.1", "3.24")
    ) in markup
    assert (
        "<p><small>a Numbers in the brackets indicate pR&#x27; activity ranking with 1 being "
        'the highest and 5 being the lowest [<a class="reviewbook-citation" '
        'href="#ref-21810267-50" title="Shao Y, Wang IN. Effect of late promoter activity on '
        'bacteriophage λ fitness. Genetics. 2009;181:1467-1475. doi: 10.1534/genetics.108.098624">'
        "50</a>]; IN56 data is from Table 2.</small></p>"
    ) in markup
    assert (
        f'<td style="{CELL_STYLE}">MC4100 (λ cI857 S)</td><td style="{CELL_STYLE}">'
        '[<a class="reviewbook-citation" href="#ref-21810267-46"'
    ) in markup


# --- one section ------------------------------------------------------------------------------


def test_one_section_by_title_in_any_case_with_its_subsections_and_cited_references() -> None:
    text = full_text_html(real(PROTACS), "overcoming TUMOR immune suppression")
    assert repr(text) == (
        "Overcoming tumor immune suppression: 4 sections, 17 citations of 14 references"
    )
    assert "<h3>Overcoming tumor immune suppression</h3>" in text.markup
    assert "<h4>IDO-1-PROTACs</h4>" in text.markup
    assert "<h3>Introduction</h3>" not in text.markup
    rows = re.findall(r'<li id="([^"]+)"', text.markup)
    assert len(rows) == 14
    assert rows[0] == "ref-41032705-s3-37"  # the third section's own anchors


def test_one_section_by_label_or_path() -> None:
    assert repr(full_text_html(real(ADOPTIVE), "2.1")).startswith(
        "Adoptive immunotherapy types › LAK cell therapy: 1 section, "
    )
    path = "Overcoming tumor immune suppression › SHP-2 PROTACs"
    assert repr(full_text_html(real(PROTACS), path)).startswith(f"{path}: 1 section, ")


def test_an_unknown_section_is_an_error_listing_the_sections() -> None:
    with pytest.raises(ValueError) as raised:
        full_text_html(real(PROTACS), "Methods")
    assert str(raised.value) == (
        "no section is named 'Methods'; the sections are: Introduction; Increased and guided "
        "immune responses; Overcoming tumor immune suppression; Overcoming tumor immune "
        "suppression › PD-L1-PROTACs; Overcoming tumor immune suppression › SHP-2 PROTACs; "
        "Overcoming tumor immune suppression › IDO-1-PROTACs; COX-1/2 PROTACs; Conclusion"
    )


def test_a_title_two_sections_share_asks_for_the_path() -> None:
    nested = [
        Section(group, sections=(Section("Methods", path=(group, "Methods")),), path=(group,))
        for group in ("Mice", "Humans")
    ]
    article = made_up(Paragraph("Text."), *nested)
    with pytest.raises(ValueError) as raised:
        full_text_html(article, "methods")
    assert str(raised.value) == (
        "2 sections are named 'methods': give the path of one: Mice › Methods; Humans › Methods"
    )
    assert repr(full_text_html(article, "Humans › Methods")).startswith("Humans › Methods: ")
    assert repr(full_text_html(article, "results")).startswith("Results: ")  # a path wins


# --- the sentences citing a reference -------------------------------------------------------


def test_citation_contexts_give_every_sentence_citing_a_reference() -> None:
    contexts = citation_contexts(real(PROTACS), 20)
    assert list(contexts.columns) == list(CONTEXT_COLUMNS)
    assert contexts["section"].tolist() == [
        "Increased and guided immune responses",
        "Increased and guided immune responses",
        "Increased and guided immune responses",
        "Figure 1",
    ]
    assert contexts["citation"].tolist() == ["20–22", "20", "20", "20"]
    assert contexts["sentence"][1] == (
        "To tackle this question, Jensen et al. [20] studied the peptide abundance on the MHC-I "
        "by LC-MS/MS following the treatment with PROTAC degrading BET-family proteins."
    )


def test_a_sentence_citing_a_reference_twice_is_one_context() -> None:
    text = "Cells die [1] and live [1]."
    article = made_up(Paragraph(text, (cite("1", text, 11), cite("1", text, 24))))
    assert citation_contexts(article, 1).to_dict("list") == {
        "section": ["Results"],
        "citation": ["1"],
        "sentence": [text],
    }


def test_citation_contexts_of_a_reference_not_in_the_list_is_an_error() -> None:
    with pytest.raises(ValueError, match="reference 61 is not in the list of 60 references"):
        citation_contexts(real(PROTACS), 61)
    empty = citation_contexts(expected_article("29037250"), 1)
    assert empty.empty
    assert list(empty.columns) == list(CONTEXT_COLUMNS)
    assert isinstance(empty, pd.DataFrame)
