"""Questions to a built corpus, asked with DuckDB over its Parquet files.

`open_corpus` gives a `Corpus`: an in-memory DuckDB connection whose views ``articles``,
``references`` and ``authors`` hold the current version of each live record (see
`build.write_current`); the raw partitions stay readable as ``read_parquet`` of the folder.
The functions below answer the field-wide questions a reader of one review asks:

- `field_reviews`: the reviews in the corpus, optionally indexed with given MeSH descriptors;
- `most_cited`: the works those reviews cite most (the field's canon);
- `co_cited_pairs`: pairs of works cited together by the most reviews;
- `cited_by_reviews`: for each reference of a workbook review, the corpus reviews citing it;
- `canon_overlap`: the canon, and which of it a workbook review cites;
- `coupled_reviews`: the corpus reviews sharing the most references with a workbook review;
- `corpus_year_counts`: records and reviews per year;
- `workbook_in_field`: all of that, one row per workbook review.

A cited work is known by one key (``work``): its PMID when NCBI linked one, else its DOI
(lower-cased), else its source as `identity.paper_keys` makes it (journal, year, volume, first
page: ``SOURCE nat rev cancer|2009|9|239``). A reference with none of them cannot be matched
across reviews and is counted by none of these; two printings of one work keyed differently
(a PMID in one list, only a DOI in another) count as two works.
Every result is a pandas DataFrame with a stable order (ties broken by PMID or key).
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pyarrow as pa

from reviewbook.corpus.build import CURRENT_NAME, LEDGER_NAME, CorpusError, read_ledger
from reviewbook.corpus.partitions import source_key
from reviewbook.model import Article, Reference, is_pmid
from reviewbook.text import JOINED_SEPARATOR

REVIEW_TYPE = "Review"
"""The publication type that makes a record a review."""
FIELD_MESH: tuple[str, ...] = ("Neoplasm Metastasis", "Immune System")
"""The MeSH descriptors of the field this workbook reads: immunity and metastasis."""

_VIEWS = {
    "current": "SELECT * FROM read_parquet({current})",
    "articles": """SELECT a.* EXCLUDE (entry) FROM read_parquet({articles}) a
        SEMI JOIN current c
        ON a.pmid = c.pmid AND a.source_file = c.source_file AND a.entry = c.entry""",
    "references": """SELECT r.* EXCLUDE (entry),
            CASE WHEN r.cited_pmid IS NOT NULL THEN 'PMID ' || r.cited_pmid
                 WHEN r.cited_doi IS NOT NULL THEN 'DOI ' || lower(r.cited_doi)
                 WHEN r.cited_source IS NOT NULL THEN 'SOURCE ' || r.cited_source END AS work
        FROM read_parquet({references}) r
        SEMI JOIN current c
        ON r.citing_pmid = c.pmid AND r.source_file = c.source_file AND r.entry = c.entry""",
    "authors": """SELECT w.* EXCLUDE (entry) FROM read_parquet({authors}) w
        SEMI JOIN current c
        ON w.pmid = c.pmid AND w.source_file = c.source_file AND w.entry = c.entry""",
    "problems": "SELECT * FROM read_parquet({problems})",
}
"""The views of a corpus, in the order they are made; ``work`` keys a cited work."""
_names = itertools.count(1)
_NULLABLE = {
    pa.int8(): pd.Int8Dtype(),
    pa.int16(): pd.Int16Dtype(),
    pa.int32(): pd.Int32Dtype(),
    pa.int64(): pd.Int64Dtype(),
    pa.bool_(): pd.BooleanDtype(),
    pa.string(): pd.StringDtype(),
    pa.large_string(): pd.StringDtype(),
}
"""Arrow types read as pandas' nullable types (`Corpus.sql`): a missing value is ``<NA>``
with pandas 2 and 3 alike."""


@dataclass(frozen=True)
class Corpus:
    """A built corpus opened for queries: its folder and a DuckDB connection to it."""

    folder: Path
    connection: duckdb.DuckDBPyConnection = field(repr=False, compare=False)

    def sql(self, query: str, parameters: Sequence[object] = ()) -> pd.DataFrame:
        """Run SQL over the corpus's views; the result as a DataFrame of pandas' nullable types
        (whole numbers stay whole: ``2019``, never ``2019.0``), the same with every DuckDB and
        pandas version."""
        table = self.connection.sql(query, params=list(parameters)).to_arrow_table()
        return table.to_pandas(types_mapper=_NULLABLE.get)

    def close(self) -> None:
        self.connection.close()

    def __repr__(self) -> str:
        return f"<Corpus: {len(read_ledger(self.folder))} files>"


def open_corpus(folder: str | os.PathLike[str]) -> Corpus:
    """Open the corpus built at ``folder``; `CorpusError` when there is none."""
    path = Path(folder).absolute()
    if not (path / LEDGER_NAME).is_file() or not (path / CURRENT_NAME).is_file():
        raise CorpusError(f"{path}: not a corpus (run `reviewbook corpus build ... --out` first)")
    connection = duckdb.connect()
    sources = {
        "current": _quoted(path / CURRENT_NAME),
        **{name: _quoted(path / name / "*.parquet") for name in _VIEWS if name != "current"},
    }
    for name, query in _VIEWS.items():
        connection.execute(f'CREATE VIEW "{name}" AS {query.format(**sources)}')
    return Corpus(path, connection)


def _quoted(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


@contextmanager
def _registered(corpus: Corpus, frame: pa.Table) -> Iterator[str]:
    """A table made visible to the corpus's SQL under a fresh name for the block."""
    name = f"given_{next(_names)}"
    corpus.connection.register(name, frame)
    try:
        yield name
    finally:
        corpus.connection.unregister(name)


def _pmid_table(pmids: Sequence[int]) -> pa.Table:
    return pa.table({"pmid": pa.array(sorted(set(pmids)), pa.int64())})


def _selected(corpus: Corpus, reviews: pd.DataFrame | Sequence[int] | None) -> pa.Table:
    """The PMIDs of the chosen reviews: a frame's ``pmid`` column, a list, or all reviews."""
    if reviews is None:
        reviews = field_reviews(corpus)
    if isinstance(reviews, pd.DataFrame):
        reviews = [int(pmid) for pmid in reviews["pmid"]]
    return _pmid_table([int(pmid) for pmid in reviews])


# --- the reviews of the field -----------------------------------------------------------------


def field_reviews(corpus: Corpus, *, mesh: Sequence[str] = (), major: bool = False) -> pd.DataFrame:
    """The reviews in the corpus (publication type Review), indexed with every descriptor of
    ``mesh`` (as a major topic when ``major``); by year, then PMID."""
    column = "[m.descriptor for m in mesh if m.major]" if major else "[m.descriptor for m in mesh]"
    conditions = "".join(f" AND list_contains({column}, ?)" for _ in mesh)
    return corpus.sql(
        f"""SELECT pmid, year, journal, title, n_references, generated FROM articles
        WHERE list_contains(publication_types, ?){conditions}
        ORDER BY year, pmid""",
        [REVIEW_TYPE, *mesh],
    )


def corpus_year_counts(
    corpus: Corpus, reviews: pd.DataFrame | Sequence[int] | None = None
) -> pd.DataFrame:
    """Per year: records in the corpus, and how many are among ``reviews`` (default: every
    review)."""
    with _registered(corpus, _selected(corpus, reviews)) as chosen:
        return corpus.sql(
            f"""SELECT year, count(*) AS records,
                count(*) FILTER (WHERE pmid IN (SELECT pmid FROM {chosen})) AS reviews
            FROM articles GROUP BY year ORDER BY year NULLS LAST"""
        )


# --- what the field cites ---------------------------------------------------------------------


def _cited_works(chosen: str) -> str:
    """SQL of the distinct (review, work) pairs of the chosen reviews' references."""
    return f"""SELECT DISTINCT citing_pmid, work, cited_pmid FROM "references"
        WHERE work IS NOT NULL AND citing_pmid IN (SELECT pmid FROM {chosen})"""


def most_cited(
    corpus: Corpus, reviews: pd.DataFrame | Sequence[int] | None = None, *, top: int = 20
) -> pd.DataFrame:
    """The works cited by the most of ``reviews`` (default: every review): the field's canon.

    Columns: ``work`` (``PMID 123`` or ``DOI 10...``), ``cited_pmid``, ``reviews`` (how many
    cite it), ``share`` (of the reviews), and the work's ``year``, ``journal`` and ``title``
    when its own record is in the corpus.
    """
    selected = _selected(corpus, reviews)
    with _registered(corpus, selected) as chosen:
        return corpus.sql(
            f"""WITH cited AS ({_cited_works(chosen)}),
            counted AS (
                SELECT work, any_value(cited_pmid) AS cited_pmid, count(*) AS reviews
                FROM cited GROUP BY work
            )
            SELECT c.work, c.cited_pmid, c.reviews,
                round(c.reviews / greatest(?, 1), 3) AS share,
                a.year, a.journal, a.title
            FROM counted c LEFT JOIN articles a ON a.pmid = c.cited_pmid
            ORDER BY c.reviews DESC, c.cited_pmid NULLS LAST, c.work
            LIMIT ?""",
            [selected.num_rows, top],
        )


def co_cited_pairs(
    corpus: Corpus,
    reviews: pd.DataFrame | Sequence[int] | None = None,
    *,
    top: int = 20,
    min_reviews: int = 2,
) -> pd.DataFrame:
    """Pairs of works cited together by the most of ``reviews`` (at least ``min_reviews``):
    ``first`` and ``second`` (work keys, ``first`` the smaller), ``reviews``."""
    with _registered(corpus, _selected(corpus, reviews)) as chosen:
        return corpus.sql(
            f"""WITH cited AS ({_cited_works(chosen)}),
            frequent AS (
                SELECT * FROM cited WHERE work IN (
                    SELECT work FROM cited GROUP BY work HAVING count(*) >= ?
                )
            )
            SELECT a.work AS first, b.work AS second, count(*) AS reviews
            FROM frequent a JOIN frequent b
                ON a.citing_pmid = b.citing_pmid AND a.work < b.work
            GROUP BY a.work, b.work HAVING count(*) >= ?
            ORDER BY reviews DESC, first, second
            LIMIT ?""",
            [min_reviews, min_reviews, top],
        )


# --- a workbook review among them -------------------------------------------------------------


def _review_references(review: Article) -> pa.Table:
    """A workbook review's references with the key a corpus knows each by (or none)."""
    rows: dict[str, list[Any]] = {"position": [], "citation": [], "work": []}
    for reference in review.references:
        rows["position"].append(reference.index)
        rows["citation"].append(reference.raw)
        rows["work"].append(work_key(reference))
    return pa.table(
        rows, schema=pa.schema([("position", pa.int32()), ("citation", pa.string()),
                                ("work", pa.string())])
    )  # fmt: skip


def work_key(reference: Reference) -> str | None:
    """The key a corpus knows a cited work by (see the module's docstring), or None."""
    if reference.pmid and is_pmid(reference.pmid):
        return f"PMID {reference.pmid}"
    if reference.doi:
        return f"DOI {reference.doi.lower()}"
    source = source_key(reference)
    return f"SOURCE {source}" if source else None


def cited_by_reviews(
    corpus: Corpus, review: Article, reviews: pd.DataFrame | Sequence[int] | None = None
) -> pd.DataFrame:
    """Each reference of ``review`` (a workbook review), with the corpus reviews that cite
    the same work: ``reviews`` (how many) and ``citing`` (their PMIDs, joined); the review
    itself is not counted when it is in the corpus. In the review's order."""
    own = int(review.pmid) if review.pmid and is_pmid(review.pmid) else -1
    with (
        _registered(corpus, _selected(corpus, reviews)) as chosen,
        _registered(corpus, _review_references(review)) as listed,
    ):
        return corpus.sql(
            f"""WITH cited AS ({_cited_works(chosen)} AND citing_pmid <> ?)
            SELECT l.position, l.work, count(c.citing_pmid) AS reviews,
                coalesce(array_to_string(list_sort(
                    list(c.citing_pmid) FILTER (WHERE c.citing_pmid IS NOT NULL)), ?), '')
                    AS citing,
                any_value(l.citation) AS citation
            FROM {listed} l LEFT JOIN cited c ON c.work = l.work
            GROUP BY l.position, l.work ORDER BY l.position""",
            [own, JOINED_SEPARATOR],
        )


def canon_overlap(
    corpus: Corpus,
    review: Article,
    reviews: pd.DataFrame | Sequence[int] | None = None,
    *,
    top: int = 20,
) -> pd.DataFrame:
    """The ``top`` works of the canon (`most_cited`), each with the number under which
    ``review`` cites it (``in_review``, missing when it does not)."""
    canon = most_cited(corpus, reviews, top=top)
    positions: dict[str, int] = {}
    for row in _review_references(review).to_pylist():
        if row["work"]:
            positions.setdefault(row["work"], row["position"])
    canon.insert(3, "in_review", pd.array([positions.get(work) for work in canon["work"]], "Int64"))
    return canon


def coupled_reviews(
    corpus: Corpus,
    review: Article,
    reviews: pd.DataFrame | Sequence[int] | None = None,
    *,
    top: int = 10,
) -> pd.DataFrame:
    """The corpus reviews sharing the most cited works with ``review`` (bibliographic
    coupling): ``shared`` works, and ``share`` of ``review``'s matchable references."""
    own = int(review.pmid) if review.pmid and is_pmid(review.pmid) else -1
    listed_works = _review_references(review)
    keyed = len({work for work in listed_works.column("work").to_pylist() if work})
    with (
        _registered(corpus, _selected(corpus, reviews)) as chosen,
        _registered(corpus, listed_works) as listed,
    ):
        return corpus.sql(
            f"""WITH cited AS ({_cited_works(chosen)} AND citing_pmid <> ?),
            shared AS (
                SELECT citing_pmid AS pmid, count(DISTINCT work) AS shared FROM cited
                WHERE work IN (SELECT work FROM {listed}) GROUP BY citing_pmid
            )
            SELECT s.pmid, a.year, a.journal, s.shared,
                round(s.shared / greatest(?, 1), 3) AS share, a.n_references, a.title
            FROM shared s JOIN articles a USING (pmid)
            ORDER BY s.shared DESC, s.pmid LIMIT ?""",
            [own, keyed, top],
        )


def workbook_in_field(
    corpus: Corpus,
    workbook_reviews: Sequence[Article],
    reviews: pd.DataFrame | Sequence[int] | None = None,
    *,
    canon_size: int = 20,
) -> pd.DataFrame:
    """Where each of ``workbook_reviews`` sits among the corpus ``reviews``, one row each:
    its ``references``; how many a corpus can know (``keyed``: with a PMID, DOI or source);
    how many of those the corpus reviews also cite (``cited_in_field``); how many of the
    ``canon_size`` most-cited works it cites (``of_canon``); and the corpus review sharing the
    most references with it (``closest``, with ``shared`` works; missing when none shares any).
    """
    canon = set(most_cited(corpus, reviews, top=canon_size)["work"])
    rows = []
    for review in workbook_reviews:
        cited = cited_by_reviews(corpus, review, reviews)
        coupled = coupled_reviews(corpus, review, reviews, top=1)
        rows.append(
            {
                "pmid": review.pmid,
                "references": len(review.references),
                "keyed": int(cited["work"].notna().sum()),
                "cited_in_field": int((cited["reviews"] > 0).sum()),
                "of_canon": len(canon & set(cited["work"].dropna())),
                "closest": coupled["pmid"].iloc[0] if len(coupled) else None,
                "shared": coupled["shared"].iloc[0] if len(coupled) else 0,
            }
        )
    frame = pd.DataFrame(rows, columns=list(WORKBOOK_IN_FIELD_COLUMNS))
    frame["closest"] = frame["closest"].astype("Int64")
    return frame.astype({"shared": "int64"})


WORKBOOK_IN_FIELD_COLUMNS: tuple[str, ...] = (
    "pmid",
    "references",
    "keyed",
    "cited_in_field",
    "of_canon",
    "closest",
    "shared",
)
"""The columns of `workbook_in_field`, in order."""
