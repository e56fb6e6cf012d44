"""One ``<ref>`` of a full text's reference list as a `Reference`: fields, and raw as printed.

The real reference lists are tested with their articles in ``test_jats.py``; these are the
shapes they do not show.
"""

from __future__ import annotations

import pytest
from lxml import etree

from reviewbook.sources.jats_references import initials_of, read_reference


def ref(xml: str) -> etree._Element:
    return etree.fromstring(f'<ref id="r1">{xml}</ref>')


@pytest.mark.parametrize(
    ("given_names", "initials"),
    [
        ("Louise M. E.", "LME"),
        ("Can-Hua", "CH"),
        ("Sean C.", "SC"),
        ("S. W.", "SW"),
        ("Muhammad", "M"),
        ("SA", "SA"),
        ("JD", "JD"),
        ("", ""),
    ],
)
def test_initials_of_given_names(given_names: str, initials: str) -> None:
    assert initials_of(given_names) == initials


def test_a_chapter_with_editors_suffix_and_a_page_range() -> None:
    reference = read_reference(
        ref(
            '<element-citation publication-type="book">'
            '<person-group person-group-type="author"><name><surname>Smith</surname>'
            "<given-names>John</given-names><suffix>Jr</suffix></name><etal/></person-group>"
            '<person-group person-group-type="editor"><name-alternatives>'
            "<name><surname>Brown</surname><given-names>Anne</given-names></name>"
            "<string-name>A. Brown</string-name></name-alternatives></person-group>"
            "<chapter-title>Metastasis.</chapter-title><source>Cancer Biology</source>"
            "<edition>4th</edition><year>1999a</year><page-range>12&#8211;19</page-range>"
            "</element-citation>"
        ),
        index=7,
    )
    assert (reference.index, reference.kind, reference.title, reference.book_title) == (
        7,
        "chapter",
        "Metastasis",
        "Cancer Biology",
    )
    assert (reference.authors, reference.editors) == (("Smith J Jr",), ("Brown A",))
    assert (reference.year, reference.first_page, reference.last_page) == (1999, "12", "19")
    assert reference.edition == "4th"
    assert reference.raw == "Smith J Jr, et al. Metastasis. Cancer Biology. 1999:12–19."


def test_identifiers_give_links_and_a_bare_pmc_number_its_prefix() -> None:
    reference = read_reference(
        ref(
            '<mixed-citation publication-type="journal"><person-group><name><surname>Avery'
            "</surname><given-names>SV</given-names></name></person-group>. <article-title>"
            "Individuality</article-title>. <source>Nat Rev Microbiol</source>. <year>2006</year>;"
            '<volume>4</volume>:<elocation-id>e12</elocation-id>. <pub-id pub-id-type="pmc">'
            '1234567</pub-id> <pub-id pub-id-type="doi">10.1/x</pub-id></mixed-citation>'
        ),
        index=1,
    )
    assert (reference.pmcid, reference.doi, reference.pmid) == ("PMC1234567", "10.1/x", None)
    assert reference.links == frozenset({"DOI", "PMC"})
    assert (reference.first_page, reference.elocator) == ("e12", "e12")
    assert reference.raw == "Avery SV. Individuality. Nat Rev Microbiol. 2006;4:e12."


def test_a_journal_and_its_volume_set_in_two_styles_print_apart() -> None:
    reference = read_reference(
        ref(
            '<mixed-citation publication-type="other">Zhang, J. Exercise. <italic>Human Cell'
            "</italic><bold><italic>37</italic></bold><italic>,</italic> 1&#8211;17 (2024)."
            "</mixed-citation>"
        ),
        index=203,
    )
    assert reference.raw == "Zhang, J. Exercise. Human Cell 37, 1–17 (2024)."


def test_a_ref_without_any_citation_element_is_an_empty_unknown_reference() -> None:
    reference = read_reference(ref("<label>3</label>"), index=3)
    assert (reference.raw, reference.kind, reference.source) == ("", "unknown", "jats")


def test_locators_tagged_with_their_punctuation_are_read_without_it() -> None:
    # as in PMC12497837 (ref 30) and PMC12578317 (ref 10): the publisher tagged the year's full
    # stop, the volume's semicolon and the article number's colon with them
    reference = read_reference(
        ref(
            '<mixed-citation publication-type="journal"><person-group><name><surname>Wu'
            "</surname><given-names>C</given-names></name></person-group>. <article-title>"
            "Prospective study</article-title>. <source>Anticancer Res</source>. (<year>. 2008"
            "</year>) <volume>;28</volume><elocation-id>:392</elocation-id>.</mixed-citation>"
        ),
        index=30,
    )
    assert (reference.year, reference.volume, reference.first_page, reference.elocator) == (
        2008,
        "28",
        "392",
        "392",
    )
    assert reference.raw == "Wu C. Prospective study. Anticancer Res. (. 2008) ;28:392."


@pytest.mark.parametrize(("year", "read"), [("2024a", 2024), ("n.d.", None), ("12345", None)])
def test_a_year_is_four_digits_of_its_part(year: str, read: int | None) -> None:
    reference = read_reference(
        ref(
            f"<element-citation><source>J</source><volume>1</volume><year>{year}</year>"
            "</element-citation>"
        ),
        index=1,
    )
    assert reference.year == read
