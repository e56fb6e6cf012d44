"""filter_references: each filter alone, filters combined, and the edges (empty, unknown, tags).

The seed frame holds both reviews: rows 0-4 are Janssen 2017's references (years 2005, 2011,
2011, 2004, 2002), rows 5-9 Erez 2011's (2004, 2009, 2002, 2009, 2002).
"""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest

from reviewbook import read_article, references_frame
from reviewbook.tables.filters import FILTER_NAMES, Filters, ReferenceIndex, filter_references
from reviewbook.text import fold
from tests.conftest import expected_article
from tests.sources.test_jats import FULLTEXT

JANSSEN, EREZ = "29037250", "21387299"


@pytest.fixture(scope="module")
def seeds(seed_references: pd.DataFrame) -> pd.DataFrame:
    """References of both seed reviews, Janssen's first (rows 0-4), then Erez's (rows 5-9)."""
    return seed_references


@pytest.fixture
def tagged(seeds: pd.DataFrame) -> pd.DataFrame:
    """The seeds with an annotation ``tags`` column, some rows untagged, one year unknown."""
    frame = seeds.copy()
    frame["tags"] = pd.array(
        [
            "markers; models",
            None,
            "EMT; invasion",
            "cascade",
            "dormancy",
            None,
            "colonization; niche",
            "dormancy; niche",
            "microenvironment",
            "inflammation",
        ],
        dtype="string",
    )
    frame.loc[9, "year"] = pd.NA
    return frame


def rows(frame: pd.DataFrame) -> list[int]:
    return frame.index.tolist()


def test_no_filter_returns_every_row_with_the_original_columns(seeds: pd.DataFrame) -> None:
    result = filter_references(seeds)
    assert rows(result) == list(range(10))
    assert list(result.columns) == list(seeds.columns)
    assert (result.dtypes == seeds.dtypes).all()


def test_year_range_is_inclusive_at_both_ends(seeds: pd.DataFrame) -> None:
    assert rows(filter_references(seeds, year_range=(2004, 2009))) == [0, 3, 5, 6, 8]


def test_year_range_with_an_open_end(seeds: pd.DataFrame) -> None:
    assert rows(filter_references(seeds, year_range=(2009, None))) == [1, 2, 6, 8]
    assert rows(filter_references(seeds, year_range=(None, 2002))) == [4, 7, 9]


def test_unknown_years_are_kept_unless_excluded(tagged: pd.DataFrame) -> None:
    assert rows(filter_references(tagged, year_range=(2009, 2011))) == [1, 2, 6, 8, 9]
    assert rows(filter_references(tagged, year_range=(2009, 2011), include_unknown_year=False)) == [
        1,
        2,
        6,
        8,
    ]
    assert rows(filter_references(tagged, include_unknown_year=False)) == list(range(9))


def test_journals_match_through_journal_key(seeds: pd.DataFrame) -> None:
    expected = [0, 3, 4, 6, 7, 8]
    assert rows(filter_references(seeds, journals=["Nat Rev Cancer"])) == expected
    assert rows(filter_references(seeds, journals=["Nat. Rev. Cancer."])) == expected
    assert rows(filter_references(seeds, journals=["Nature Reviews Cancer"])) == expected


def test_several_journals_match_any_of_them(seeds: pd.DataFrame) -> None:
    assert rows(filter_references(seeds, journals=["Cell", "Nature"])) == [1, 5, 9]


def test_journal_key_is_computed_when_the_column_is_missing(seeds: pd.DataFrame) -> None:
    frame = seeds.drop(columns=["journal_key"])
    assert rows(filter_references(frame, journals=["nat rev cancer"])) == [0, 3, 4, 6, 7, 8]


def test_author_ignores_case_and_accents(seeds: pd.DataFrame) -> None:
    frame = seeds.copy()
    frame.loc[6, "authors"] = "Nguyen DX; Bos PD; Massagué J"
    assert rows(filter_references(frame, author="massague")) == [6]
    assert rows(filter_references(frame, author="MASSAGUÉ")) == [6]
    assert rows(filter_references(seeds, author="Massagué")) == [6]


def test_author_matches_any_one_author_not_across_two(seeds: pd.DataFrame) -> None:
    assert rows(filter_references(seeds, author="chambers")) == [4, 7]
    assert rows(filter_references(seeds, author="groom ac")) == [4, 7]
    assert rows(filter_references(seeds, author="chambers af; groom")) == []


def test_author_matches_typeset_quotes_typed_plainly(seeds: pd.DataFrame) -> None:
    assert rows(filter_references(seeds, author="van 't veer")) == [0]


def test_text_words_are_and_ed_over_title_journal_and_citation(seeds: pd.DataFrame) -> None:
    assert rows(filter_references(seeds, text="metastasis")) == [0, 2, 6, 8]
    assert rows(filter_references(seeds, text="Metastasis nat")) == [0, 6, 8]
    assert rows(filter_references(seeds, text="cancer cells")) == [4, 7]
    assert rows(filter_references(seeds, text="cancer cells inflammation")) == []


def test_text_searches_the_printed_citation(seeds: pd.DataFrame) -> None:
    assert rows(filter_references(seeds, text="nrc1370")) == [3]


def test_blank_text_and_author_do_not_filter(seeds: pd.DataFrame) -> None:
    assert rows(filter_references(seeds, text="  ", author="")) == list(range(10))


def test_links_match_any_of_the_types_asked(seeds: pd.DataFrame) -> None:
    assert rows(filter_references(seeds, links={"PMC"})) == [2, 8, 9]
    assert rows(filter_references(seeds, links={"DOI"})) == [1, 2, 3, 4]
    assert rows(filter_references(seeds, links=["DOI", "PMC"])) == [1, 2, 3, 4, 8, 9]
    assert rows(filter_references(seeds, links={"DOI", "PMC", "PubMed"})) == list(range(10))


def test_unknown_link_type_is_an_error(seeds: pd.DataFrame) -> None:
    with pytest.raises(ValueError, match="unknown link type"):
        filter_references(seeds, links={"arXiv"})


def test_reviews_accept_pmids_as_text_or_numbers(seeds: pd.DataFrame) -> None:
    assert rows(filter_references(seeds, reviews=[EREZ])) == [5, 6, 7, 8, 9]
    assert rows(filter_references(seeds, reviews=[int(JANSSEN)])) == [0, 1, 2, 3, 4]
    assert rows(filter_references(seeds, reviews=[JANSSEN, EREZ])) == list(range(10))


def test_tags_match_any_of_the_tags_asked(tagged: pd.DataFrame) -> None:
    assert rows(filter_references(tagged, tags=["dormancy"])) == [4, 7]
    assert rows(filter_references(tagged, tags=["niche", "EMT"])) == [2, 6, 7]
    assert rows(filter_references(tagged, tags=["nothing like it"])) == []


def test_tags_on_a_frame_without_tags_is_an_error(seeds: pd.DataFrame) -> None:
    with pytest.raises(ValueError, match="no 'tags' column"):
        filter_references(seeds, tags=["dormancy"])
    assert rows(filter_references(seeds, tags=[])) == list(range(10))


def test_filters_combine_with_and(tagged: pd.DataFrame) -> None:
    result = filter_references(
        tagged,
        year_range=(2002, 2009),
        journals=["Nat Rev Cancer"],
        text="cells",
        links={"PubMed"},
        reviews=[EREZ],
        tags=["niche"],
    )
    assert rows(result) == [7]
    assert result.loc[7, "title"] == "Dissemination and growth of cancer cells in metastatic sites"


def test_rows_keep_their_order_and_index_labels(seeds: pd.DataFrame) -> None:
    shuffled = seeds.iloc[[9, 0, 4, 7]]
    assert rows(filter_references(shuffled, year_range=(2002, 2002))) == [9, 4, 7]


def test_empty_frame_gives_an_empty_frame(seeds: pd.DataFrame) -> None:
    empty = seeds.iloc[0:0]
    result = filter_references(empty, year_range=(2000, 2010), author="x", text="y", links={"DOI"})
    assert result.empty
    assert list(result.columns) == list(seeds.columns)


def test_unknown_keyword_is_a_type_error(seeds: pd.DataFrame) -> None:
    with pytest.raises(TypeError, match=r"unknown filter \['journal'\]"):
        filter_references(seeds, journal=["Cell"])


# --- the Filters value ------------------------------------------------------------------------


def test_filter_names_are_the_fields_of_filters_in_order() -> None:
    assert tuple(field.name for field in dataclasses.fields(Filters)) == FILTER_NAMES
    assert FILTER_NAMES == (
        "year_range",
        "include_unknown_year",
        "journals",
        "author",
        "text",
        "links",
        "reviews",
        "tags",
        "sections",
        "min_times_cited",
    )


def test_no_filters_let_every_row_through() -> None:
    assert Filters().keywords() == {
        "year_range": None,
        "include_unknown_year": True,
        "journals": None,
        "author": None,
        "text": None,
        "links": None,
        "reviews": None,
        "tags": None,
        "sections": None,
        "min_times_cited": None,
    }


def test_filters_are_frozen() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        Filters().author = "chambers"  # type: ignore[misc]


def test_a_filters_value_and_keywords_pick_the_same_rows(tagged: pd.DataFrame) -> None:
    keywords = {"year_range": (2002, 2009), "journals": ["Nat Rev Cancer"], "tags": ["niche"]}
    filters = Filters(**keywords)
    assert filters.keywords() == {**Filters().keywords(), **keywords}
    assert rows(filter_references(tagged, filters)) == [6, 7]
    assert rows(filter_references(tagged, **keywords)) == [6, 7]
    assert rows(ReferenceIndex(tagged).filter(filters)) == [6, 7]
    assert (
        ReferenceIndex(tagged).mask(filters).tolist()
        == ReferenceIndex(tagged).mask(**keywords).tolist()
    )


def test_keywords_change_the_named_fields_of_a_filters_value(seeds: pd.DataFrame) -> None:
    filters = Filters(year_range=(2004, 2009), author="chambers")
    assert rows(filter_references(seeds, filters)) == []
    assert rows(filter_references(seeds, filters, year_range=None)) == [4, 7]
    assert filters.updated(author="joyce") == Filters(year_range=(2004, 2009), author="joyce")
    assert filters.updated() is filters


def test_updating_an_unknown_filter_names_it() -> None:
    with pytest.raises(TypeError, match=r"unknown filter \['journal', 'year'\]"):
        Filters().updated(journal=["Cell"], year=2002)


def test_index_reuses_the_mask_of_an_unchanged_filter(seeds: pd.DataFrame) -> None:
    index = ReferenceIndex(seeds)
    first = index.mask(text="cancer", year_range=(2002, 2005))
    calls: list[str | None] = []
    original = index.text_mask
    index.text_mask = lambda text: calls.append(text) or original(text)  # type: ignore[method-assign]
    second = index.mask(text="cancer", year_range=(2002, 2009))
    assert calls == []
    assert first.tolist() != second.tolist()
    index.mask(text="cancer cells", year_range=(2002, 2009))
    assert calls == ["cancer cells"]


def test_fold_drops_case_accents_and_typeset_punctuation() -> None:
    assert fold("  Massagué\u00a0J ") == "massague j"
    assert fold("Van ‘t Veer – Straße") == "van 't veer - strasse"


def test_fold_reads_the_kra_some_publishers_print_for_kappa_as_kappa() -> None:
    assert fold("NF-ĸB") == fold("NF-κB") == "nf-kb"


HARD_NAMES: dict[str, str] = {
    "Østergaard": "ostergaard",
    "Ærø": "aero",
    "Łukasiewicz": "lukasiewicz",
    "Straße": "strasse",
    "Þórsdóttir": "thorsdottir",
    "Ðorđević": "dordevic",
    "Øvrebø": "ovrebo",
    "Kjærgaard": "kjaergaard",
    "Şahin": "sahin",
    "Ğündüz": "gunduz",
    "Ḩasan": "hasan",
    "Ñúñez": "nunez",
    "Müller": "muller",
    "Dvořák": "dvorak",
    "Ĳsselmuiden": "ijsselmuiden",
    "Œuvray": "oeuvray",
    "Ålund": "alund",
    "Ħabib": "habib",
}
"""Surnames with letters that carry no accent to drop (ø, æ, ł, ß, þ, đ…) and what a reader
types for them; 12 of these lost letters before folding transliterated."""


@pytest.mark.parametrize(("name", "typed"), HARD_NAMES.items())
def test_fold_transliterates_so_no_letter_disappears(name: str, typed: str) -> None:
    assert fold(name) == typed


def test_searching_ostergaard_finds_ostergaard_with_a_slash(seeds: pd.DataFrame) -> None:
    frame = seeds.copy()
    frame.loc[3, "authors"] = "Østergaard L; Kjærgaard B"
    assert rows(filter_references(frame, author="Ostergaard")) == [3]
    assert rows(filter_references(frame, author="kjaergaard b")) == [3]
    assert rows(filter_references(frame, author="Østergaard")) == [3]


def test_a_letter_no_transliteration_knows_is_kept_as_itself() -> None:
    """anyascii spells no Arabic alef; folding keeps it rather than dropping it."""
    assert fold("a\u0627b") == "a\u0627b"


def test_citing_filters_pick_references_by_where_and_how_often_a_full_text_cites_them() -> None:
    """``sections`` keeps a reference cited in any chosen place, ``min_times_cited`` one cited
    at least so often; a frame read without a full text refuses both."""
    protacs = read_article(FULLTEXT / "PMC12599256.nxml")
    frame = references_frame(protacs)
    conclusion = filter_references(frame, sections=["Conclusion"])
    assert conclusion["index"].tolist() == [55, 56, 57, 58, 59, 60]
    often = filter_references(frame, sections=["Conclusion"], min_times_cited=2)
    assert often["index"].tolist() == [56]
    page_frame = references_frame(expected_article("29037250"))
    with pytest.raises(ValueError, match="no 'cited_in' values"):
        filter_references(page_frame, sections=["Conclusion"])
    with pytest.raises(ValueError, match="no 'times_cited' values"):
        filter_references(page_frame, min_times_cited=1)
