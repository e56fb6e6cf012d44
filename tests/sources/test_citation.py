"""Printed references in the styles review pages use, read field by field."""

from __future__ import annotations

import pytest

from reviewbook import Reference, expand_page_range, journal_key, parse_citation
from reviewbook.errors import Problem


def fields(reference: Reference) -> dict[str, object]:
    """The fields a test states, leaving out raw text and the defaults."""
    defaults = Reference(index=reference.index, raw=reference.raw)
    return {
        name: getattr(reference, name)
        for name in Reference.__slots__
        if name not in ("index", "raw") and getattr(reference, name) != getattr(defaults, name)
    }


def test_folkman_example_from_the_api() -> None:
    ref = parse_citation(
        "Folkman J, Kalluri R. Cancer without disease. Nature. 2004;427:787. - PubMed"
    )
    assert fields(ref) == {
        "authors": ("Folkman J", "Kalluri R"),
        "title": "Cancer without disease",
        "journal": "Nature",
        "journal_key": "nat",
        "year": 2004,
        "volume": "427",
        "first_page": "787",
        "links": frozenset({"PubMed"}),
    }


def test_nature_style_without_period_after_authors() -> None:
    ref = parse_citation(
        "Fidler IJ The pathogenesis of cancer metastasis: the 'seed and soil' hypothesis "
        "revisited. Nature Rev. Cancer 3, 453–458 (2003)."
    )
    assert fields(ref) == {
        "authors": ("Fidler IJ",),
        "title": "The pathogenesis of cancer metastasis: the 'seed and soil' hypothesis revisited",
        "journal": "Nature Rev. Cancer",
        "journal_key": "nat rev cancer",
        "year": 2003,
        "volume": "3",
        "first_page": "453",
        "last_page": "458",
    }


def test_apa_style() -> None:
    ref = parse_citation(
        "Fidler, I. J., & Kripke, M. L. (2003). The pathogenesis of cancer metastasis. "
        "Nature Reviews Cancer, 3(6), 453–458. https://doi.org/10.1038/nrc1098"
    )
    assert fields(ref) == {
        "authors": ("Fidler, I. J.", "Kripke, M. L."),
        "title": "The pathogenesis of cancer metastasis",
        "journal": "Nature Reviews Cancer",
        "journal_key": "nat rev cancer",
        "year": 2003,
        "volume": "3",
        "issue": "6",
        "first_page": "453",
        "last_page": "458",
        "doi": "10.1038/nrc1098",
    }


def test_bare_journal_and_date_when_pubmed_knows_only_the_pmid() -> None:
    ref = parse_citation("J Immunol. 2009 Jan 1;182(1):604-12 - PubMed")
    assert fields(ref) == {
        "journal": "J Immunol",
        "journal_key": "j immunol",
        "year": 2009,
        "volume": "182",
        "issue": "1",
        "first_page": "604",
        "last_page": "612",
        "links": frozenset({"PubMed"}),
    }


def test_book() -> None:
    ref = parse_citation(
        "Weinberg RA. The biology of cancer. 2nd ed. New York: Garland Science; 2013."
    )
    assert fields(ref) == {
        "authors": ("Weinberg RA",),
        "title": "The biology of cancer",
        "year": 2013,
        "kind": "book",
        "publisher": "Garland Science",
        "place": "New York",
        "edition": "2nd",
    }


def test_chapter_in_a_book() -> None:
    ref = parse_citation(
        "Smith J, Jones K. Immune cells in metastasis. In: Brown A, editor. Metastasis biology. "
        "New York: Springer; 2010. p. 12-30."
    )
    assert fields(ref) == {
        "authors": ("Smith J", "Jones K"),
        "title": "Immune cells in metastasis",
        "year": 2010,
        "first_page": "12",
        "last_page": "30",
        "kind": "chapter",
        "publisher": "Springer",
        "book_title": "Metastasis biology",
        "editors": ("Brown A",),
        "place": "New York",
    }


def test_book_series_with_colon_after_year() -> None:
    ref = parse_citation("Kim R. Cancer immunoediting. Adv Exp Med Biol. 2016:35:298-308.")
    assert fields(ref) == {
        "authors": ("Kim R",),
        "title": "Cancer immunoediting",
        "journal": "Adv Exp Med Biol",
        "journal_key": "adv exp med biol",
        "year": 2016,
        "volume": "35",
        "first_page": "298",
        "last_page": "308",
    }


def test_printed_pmid_and_pmcid_and_electronic_location() -> None:
    ref = parse_citation(
        "Janssen LME, Ramsay EE, Logsdon CD, Overwijk WW. The immune system in cancer "
        "metastasis: friend or foe? J Immunother Cancer. 2017 Oct 17;5(1):e79. "
        "PMID: 29037250. PMCID: PMC5644253. - PMC - PubMed"
    )
    assert fields(ref) == {
        "authors": ("Janssen LME", "Ramsay EE", "Logsdon CD", "Overwijk WW"),
        "title": "The immune system in cancer metastasis: friend or foe?",
        "journal": "J Immunother Cancer",
        "journal_key": "j immunother cancer",
        "year": 2017,
        "volume": "5",
        "issue": "1",
        "first_page": "e79",
        "elocator": "e79",
        "pmid": "29037250",
        "pmcid": "PMC5644253",
        "links": frozenset({"PMC", "PubMed"}),
    }


def test_et_al_ends_the_author_list() -> None:
    ref = parse_citation(
        "Gupta GP, Massagué J, et al. Cancer metastasis: building a framework. "
        "Cell. 2006;127:679-95."
    )
    assert ref.authors == ("Gupta GP", "Massagué J")
    assert (ref.title, ref.first_page, ref.last_page) == (
        "Cancer metastasis: building a framework",
        "679",
        "695",
    )


def test_unrecognised_citation_is_kept_with_a_warning() -> None:
    ref = parse_citation("Personal communication from a colleague", index=7)
    assert ref.raw == "Personal communication from a colleague"
    assert (ref.kind, ref.title, ref.warnings) == (
        "unknown",
        None,
        (Problem(None, "citation", "reference 7: citation style not recognised; kept as printed"),),
    )


def test_reference_with_only_link_labels() -> None:
    ref = parse_citation("- PubMed", index=3)
    assert (ref.links, ref.warnings) == (
        frozenset({"PubMed"}),
        (Problem(None, "citation", "reference 3: empty citation"),),
    )


def test_reference_without_doi_keeps_pmc_link() -> None:
    ref = parse_citation(
        "Joyce JA, Pollard JW. Microenvironmental regulation of metastasis. "
        "Nat Rev Cancer. 2009;9:239–52. - PMC - PubMed"
    )
    assert (ref.doi, ref.links) == (None, frozenset({"PMC", "PubMed"}))


@pytest.mark.parametrize(
    ("printed", "expected"),
    [
        ("2536-44", ("2536", "2544")),
        ("591–602", ("591", "602")),
        ("860–7", ("860", "867")),
        ("1199-201", ("1199", "1201")),
        ("787", ("787", None)),
        ("e1234", ("e1234", None)),
        ("S12-8", ("S12", "S18")),
        ("vii14-8", ("vii14", "vii18")),
        ("R123-R130", ("R123", "R130")),
        ("2\u00b96-302", ("2\u00b96", "302")),
        ("243-55, vii", ("243", "255")),  # the first range: the article, then front matter
        (None, (None, None)),
    ],
)
def test_expand_page_range(printed: str | None, expected: tuple[str | None, str | None]) -> None:
    assert expand_page_range(printed) == expected


@pytest.mark.parametrize(
    "printed",
    [
        "Nat. Rev. Cancer.",
        "Nat Rev Cancer",
        "Nature Rev. Cancer",
        "Nature Reviews Cancer",
        "NAT REV CANCER",
    ],
)
def test_journal_key_matches_across_styles(printed: str) -> None:
    assert journal_key(printed) == "nat rev cancer"


@pytest.mark.parametrize(
    ("raw", "authors", "title"),
    [
        # PubMed's reference list of PMID 40739089 prints them so (Nature's style)
        (
            "Messerschmidt, J. L., Prendergast, G. C. & Messerschmidt, G. L. How cancers escape "
            "immune destruction. Oncologist 21, 233–243 (2016).",
            ("Messerschmidt JL", "Prendergast GC", "Messerschmidt GL"),
            "How cancers escape immune destruction",
        ),
        (
            "O’Connell, P. Uncovering mechanisms underlying complement-mediated cancer immune "
            "evasion. Mol. Ther. 32, 277–278 (2024).",
            ("O’Connell P",),
            "Uncovering mechanisms underlying complement-mediated cancer immune evasion",
        ),
        (
            "van der Berg, A.-M., Jiang, C.-H., Smith, J. Jr & Østergaard, L. et al. Über Krebs. "
            "Nature 1, 2–3 (2001).",
            ("van der Berg AM", "Jiang CH", "Smith J Jr", "Østergaard L"),
            "Über Krebs",
        ),
    ],
)
def test_surname_first_authors_with_dotted_initials_are_read_apart_from_the_title(
    raw: str, authors: tuple[str, ...], title: str
) -> None:
    reference = parse_citation(raw)
    assert (reference.authors, reference.title) == (authors, title)


@pytest.mark.parametrize(
    ("raw", "journal", "key"),
    [
        # as PMC12311175 prints its references 2 and the review itself (Nature's style)
        (
            "Li, Y. et al. Immune cycle-based strategies for cancer immunotherapy. "
            "Adv. Funct. Mater. 31, 2107540 (2021).",
            "Adv. Funct. Mater",
            "adv funct mater",
        ),
        (
            "Tufail M, Jiang CH, Li N. Immune evasion in cancer. "
            "Signal Transduct. Target. Ther. 10, 227 (2025).",
            "Signal Transduct. Target. Ther",
            "signal transduct target ther",
        ),
    ],
)
def test_a_journal_of_abbreviated_words_is_read_whole(raw: str, journal: str, key: str) -> None:
    reference = parse_citation(raw)
    assert (reference.journal, reference.journal_key) == (journal, key)
    assert journal_key("Advanced Functional Materials") == "adv funct mater"
    assert journal_key("Signal Transduction and Targeted Therapy") == "signal transduct target ther"


def test_journal_key_folds_accents_and_drops_little_words() -> None:
    assert journal_key("Journal of Immunology") == journal_key("J. Immunol.") == "j immunol"
    assert journal_key("Médecine/Sciences") == "medecine sci"


def _printed_references() -> list[str]:
    from benchmarks.corpus import generate_corpus

    from tests.conftest import PUBMED

    pages = [path.read_text(encoding="utf-8") for path in sorted(PUBMED.glob("*.txt"))]
    pages += [page.text for page in generate_corpus(20, 100, seed=7)]
    return [line[7:] for page in pages for line in page.splitlines() if line.startswith("    1. ")]


def test_the_shortcut_for_plain_nlm_agrees_with_the_full_reader() -> None:
    from reviewbook.sources.citation import _read_plain_nlm, read_citation_in_full

    printed = _printed_references()
    shortcut = [(raw, _read_plain_nlm(raw, 3)) for raw in printed]
    assert sum(reference is not None for _, reference in shortcut) > 0.9 * len(printed)
    assert [raw for raw, ref in shortcut if ref and ref != read_citation_in_full(raw, 3)] == []


def test_superscript_digits_in_pages_are_kept_as_printed() -> None:
    """``¹`` is a digit to `str.isdigit` but not to `int`: no page number is read from it."""
    reference = parse_citation("Smith J. A title. J Test. 2001;10(2):2\u00b96-302.")
    assert (reference.journal, reference.volume, reference.issue) == ("J Test", "10", "2")
    assert (reference.first_page, reference.last_page) == ("2\u00b96", "302")
    assert reference.warnings == ()


@pytest.mark.parametrize("links", ["", " - PubMed"])
def test_a_second_page_range_in_roman_numerals_keeps_the_source(links: str) -> None:
    raw = "Smith J, Doe A. A title. Surg Oncol Clin N Am. 2001 Apr;10(2):243-55, vii." + links
    reference = parse_citation(raw)
    assert (reference.journal, reference.year, reference.volume, reference.issue) == (
        "Surg Oncol Clin N Am",
        2001,
        "10",
        "2",
    )
    assert (reference.first_page, reference.last_page) == ("243", "255")
    assert (reference.authors, reference.title) == (("Smith J", "Doe A"), "A title")
    assert (reference.raw, reference.warnings) == (raw, ())
