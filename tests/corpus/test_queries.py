"""Queries over the hand-made field of conftest.py, each answer exact."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from reviewbook.corpus.build import CorpusError, build_corpus
from reviewbook.corpus.queries import (
    FIELD_MESH,
    WORKBOOK_IN_FIELD_COLUMNS,
    Corpus,
    canon_overlap,
    cited_by_reviews,
    co_cited_pairs,
    corpus_year_counts,
    coupled_reviews,
    field_reviews,
    most_cited,
    open_corpus,
    workbook_in_field,
)
from reviewbook.model import Article, Reference
from tests.corpus.conftest import write_update

SOURCE_D = "SOURCE nat rev cancer|2009|9|239"


@pytest.fixture
def corpus(baseline: Path, tmp_path: Path) -> Corpus:
    build_corpus([baseline], tmp_path / "corpus", scheduler="synchronous")
    return open_corpus(tmp_path / "corpus")


WORKBOOK_REVIEW = Article(
    pmid="29037250",
    title="A workbook review",
    references=(
        Reference(index=1, raw="Smith A. A paper. Cell. 2010;1:1.", pmid="900000020"),
        Reference(index=2, raw="Brown C. Doi only.", doi="10.1000/ONLY-doi"),
        Reference(
            index=3, raw="Joyce JA.", journal_key="nat rev cancer", year=2009, volume="9",
            first_page="239",
        ),
        Reference(index=4, raw="Nobody. Unmatched."),
    ),
)  # fmt: skip


def test_reviews_are_chosen_by_publication_type_and_mesh(corpus: Corpus) -> None:
    assert list(field_reviews(corpus)["pmid"]) == [900000001, 900000002, 900000003]
    assert list(field_reviews(corpus, mesh=FIELD_MESH)["pmid"]) == [900000001, 900000002]
    assert list(field_reviews(corpus, mesh=["Macrophages"], major=True)["pmid"]) == [900000003]
    assert list(field_reviews(corpus, mesh=["Immune System"], major=True)["pmid"]) == []


def test_the_canon_counts_reviews_per_cited_work(corpus: Corpus) -> None:
    canon = most_cited(corpus)
    assert list(zip(canon["work"], canon["reviews"], canon["share"], strict=True)) == [
        ("PMID 900000020", 3, 1.0),
        ("PMID 123", 2, 0.667),
        ("DOI 10.1000/only-doi", 1, 0.333),
        (SOURCE_D, 1, 0.333),
    ]
    assert canon.loc[0, "title"] == "[Generated] The canon's paper."
    assert pd.isna(canon.loc[1, "title"])
    field = most_cited(corpus, field_reviews(corpus, mesh=FIELD_MESH), top=2)
    assert list(zip(field["work"], field["reviews"], strict=True)) == [
        ("PMID 123", 2),  # a tie: the smaller PMID first
        ("PMID 900000020", 2),
    ]


def test_pairs_cited_together(corpus: Corpus) -> None:
    pairs = co_cited_pairs(corpus)
    assert pairs.to_dict("records") == [
        {"first": "PMID 123", "second": "PMID 900000020", "reviews": 2}
    ]
    assert len(co_cited_pairs(corpus, min_reviews=1)) == 4


def test_each_reference_of_a_workbook_review_with_the_reviews_citing_it(corpus: Corpus) -> None:
    cited = cited_by_reviews(corpus, WORKBOOK_REVIEW)
    assert cited["work"].isna().tolist() == [False, False, False, True]
    assert cited[["position", "work", "reviews", "citing"]].fillna("-").to_dict("records") == [
        {"position": 1, "work": "PMID 900000020", "reviews": 3,
         "citing": "900000001; 900000002; 900000003"},
        {"position": 2, "work": "DOI 10.1000/only-doi", "reviews": 1, "citing": "900000001"},
        {"position": 3, "work": SOURCE_D, "reviews": 1, "citing": "900000003"},
        {"position": 4, "work": "-", "reviews": 0, "citing": ""},
    ]  # fmt: skip


def test_the_canon_with_what_a_workbook_review_cites_of_it(corpus: Corpus) -> None:
    overlap = canon_overlap(corpus, WORKBOOK_REVIEW)
    assert list(overlap["in_review"]) == [1, pd.NA, 2, 3]


def test_reviews_coupled_to_a_workbook_review(corpus: Corpus) -> None:
    coupled = coupled_reviews(corpus, WORKBOOK_REVIEW)
    assert coupled[["pmid", "shared", "share"]].to_dict("records") == [
        {"pmid": 900000001, "shared": 2, "share": 0.667},
        {"pmid": 900000003, "shared": 2, "share": 0.667},
        {"pmid": 900000002, "shared": 1, "share": 0.333},
    ]


def test_counts_by_year(corpus: Corpus) -> None:
    counts = corpus_year_counts(corpus)
    assert counts.to_dict("records") == [
        {"year": 2010, "records": 1, "reviews": 0},
        {"year": 2018, "records": 1, "reviews": 1},
        {"year": 2019, "records": 1, "reviews": 0},
        {"year": 2020, "records": 2, "reviews": 2},
    ]


def test_queries_see_the_current_version_only(baseline: Path, tmp_path: Path) -> None:
    write_update(baseline.parent)
    build_corpus([baseline.parent], tmp_path / "corpus", scheduler="synchronous")
    corpus = open_corpus(tmp_path / "corpus")
    reviews = field_reviews(corpus)
    assert list(reviews["title"]) == [
        "[Generated] Record 900000001.",
        "[Generated] Record 900000002, revised.",
        "[Generated] Record 900000003.",
    ]
    assert list(zip(*most_cited(corpus)[["work", "reviews"]].T.values, strict=True))[:2] == [
        ("PMID 900000020", 3),
        ("PMID 123", 1),
    ]
    assert 900000004 not in set(corpus.sql("SELECT pmid FROM articles")["pmid"])


def test_a_folder_without_a_corpus_is_refused(tmp_path: Path) -> None:
    with pytest.raises(CorpusError, match="not a corpus"):
        open_corpus(tmp_path)


def test_every_workbook_review_placed_in_the_field(corpus: Corpus) -> None:
    unmatched = Article(pmid="21387299", title="Unmatched", references=(Reference(1, "Nobody."),))
    placed = workbook_in_field(corpus, [WORKBOOK_REVIEW, unmatched, Article(pmid="1", title="")])
    assert list(placed.columns) == list(WORKBOOK_IN_FIELD_COLUMNS)
    assert placed.astype(object).where(placed.notna(), None).to_dict("records") == [
        {"pmid": "29037250", "references": 4, "keyed": 3, "cited_in_field": 3, "of_canon": 3,
         "closest": 900000001, "shared": 2},
        {"pmid": "21387299", "references": 1, "keyed": 0, "cited_in_field": 0, "of_canon": 0,
         "closest": None, "shared": 0},
        {"pmid": "1", "references": 0, "keyed": 0, "cited_in_field": 0, "of_canon": 0,
         "closest": None, "shared": 0},
    ]  # fmt: skip
    # Review 900000002 alone: its canon of one is PMID 123 (a tie, the smaller PMID first),
    # which the workbook review does not cite.
    field = workbook_in_field(corpus, [WORKBOOK_REVIEW], [900000002], canon_size=1)
    assert field.loc[0, ["cited_in_field", "of_canon", "closest", "shared"]].tolist() == [
        1, 0, 900000002, 1
    ]  # fmt: skip
