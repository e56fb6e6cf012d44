"""Find the papers two or more reviews both cite, however each review printed them.

Two rows are the same paper when `reviewbook.identity` says so, the same rule that merges a
page's references with its PubMed record. `paper_groups` numbers the papers of a references
frame once (every row's keys, a column at a time, then each row joined to the rows sharing a
key with it, directly or through others, by array operations); on that numbering,
`shared_references` lists the papers cited by more than one review, `overlap_matrix` counts
them for every pair of reviews (N×N) and `most_cocited` ranks papers by how many reviews cite
them, all with array operations, so a workbook of a hundred reviews takes well under a second.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np
import pandas as pd

from reviewbook.identity import IDENTITY_FIELDS, KEY_KINDS, KEY_RULES
from reviewbook.text import JOINED_SEPARATOR

COCITED_COLUMNS: tuple[str, ...] = (
    "title",
    "first_author",
    "year",
    "journal",
    "pmid",
    "doi",
    "n_reviews",
    "reviews",
)


RECENT_GROUPS_KEPT = 4
"""How many frames' paper numberings `paper_groups` keeps."""


@dataclass(frozen=True, slots=True)
class PaperGroups:
    """The papers of a references frame: which paper each row prints, and who cites it."""

    paper: np.ndarray
    """Per row (by position), the number of the paper it prints, 0, 1, ... by first row."""
    review: np.ndarray
    """Per row, the number of its citing review in `reviews`."""
    reviews: list[str]
    """The citing reviews' PMIDs in the order the frame first lists them."""
    linked_by: list[frozenset[str]]
    """Per paper, the kinds of key its printings share (empty for a paper printed once)."""
    cited: np.ndarray
    """Papers (rows) × reviews (columns): whether the review cites the paper."""

    @property
    def n_reviews(self) -> np.ndarray:
        """Per paper, how many reviews cite it."""
        return self.cited.sum(axis=1)


_RECENT_GROUPS: dict[str, PaperGroups] = {}


def paper_groups(frame: pd.DataFrame) -> PaperGroups:
    """Number the papers of ``frame`` (a `references_frame`): rows linked by any shared key of
    `paper_keys`, directly or through a chain of other rows, are one paper.

    The numbering of the last few frames is kept, by a digest of the columns it reads: a
    notebook asking several questions of one frame numbers its papers once.
    """
    columns = [name for name in (*IDENTITY_FIELDS, "review_pmid") if name in frame.columns]
    hashed = pd.util.hash_pandas_object(frame[columns], index=False).to_numpy()
    key = hashlib.sha256(repr(columns).encode() + hashed.tobytes()).hexdigest()
    found = _RECENT_GROUPS.pop(key, None) or _paper_groups(frame)
    _RECENT_GROUPS[key] = found
    while len(_RECENT_GROUPS) > RECENT_GROUPS_KEPT:
        del _RECENT_GROUPS[next(iter(_RECENT_GROUPS))]
    return found


def _paper_groups(frame: pd.DataFrame) -> PaperGroups:
    size = len(frame)
    paper = np.arange(size)
    keys = _key_codes(frame)
    while True:  # each row takes the least row number among rows sharing a key with it
        before = paper.copy()
        for codes in keys.values():
            keyed = codes >= 0
            least = np.full(codes.max(initial=-1) + 1, size, dtype=paper.dtype)
            np.minimum.at(least, codes[keyed], paper[keyed])
            paper[keyed] = least[codes[keyed]]
            paper = paper[paper]
        if np.array_equal(paper, before):
            break
    numbered, firsts = pd.factorize(paper)
    linked = np.zeros(len(firsts), dtype=np.int64)  # per paper, a bit per kind of shared key
    for bit, codes in enumerate(keys.values()):
        keyed = codes >= 0
        shared = np.bincount(codes[keyed], minlength=codes.max(initial=-1) + 1) >= 2
        linked[numbered[keyed][shared[codes[keyed]]]] |= 1 << bit
    kinds = {
        mask: frozenset(kind for bit, kind in enumerate(keys) if mask >> bit & 1)
        for mask in range(1 << len(keys))
    }
    review, reviews = pd.factorize(frame["review_pmid"].astype(str).to_numpy())
    cited = np.zeros((len(firsts), len(reviews)), dtype=bool)
    cited[numbered, review] = True
    return PaperGroups(
        paper=numbered.astype(np.int64),
        review=review.astype(np.int64),
        reviews=[str(pmid) for pmid in reviews],
        linked_by=[kinds[int(mask)] for mask in linked],
        cited=cited,
    )


def _key_codes(frame: pd.DataFrame) -> dict[str, np.ndarray]:
    """Per kind of key (`KEY_RULES`), each row's key of that kind numbered (-1 for none):
    `paper_keys` of every row, its fields read a column at a time."""
    value = {name: _texts(frame, name) for name in IDENTITY_FIELDS}
    return {
        kind: pd.factorize(np.array(list(map(rule, *(value[name] for name in names))), object))[0]
        for kind, (rule, names) in KEY_RULES.items()
    }


def _texts(frame: pd.DataFrame, name: str) -> list[str | None]:
    """A column's cells as `paper_keys` reads them: text without surrounding space, None for a
    missing or empty one (all None for a column the frame lacks)."""
    if name not in frame.columns:
        return [None] * len(frame)
    text = frame[name].astype("string").str.strip()
    return list(text.mask(text == "").to_numpy(dtype=object, na_value=None))


def shared_references(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per paper cited by more than one review in ``frame`` (a `references_frame`).

    Columns: ``title``, ``first_author``, ``year``, ``journal``, ``matched_by`` (the kinds of
    key the printings share) and one ``index in <pmid>`` column per review (the review's first
    printing of the paper); papers in the order the frame first prints them.
    """
    groups = paper_groups(frame)
    shared = np.flatnonzero(groups.n_reviews >= 2)
    first_rows = _first_rows(groups)[shared]
    firsts = frame.iloc[first_rows]
    result = pd.DataFrame(
        {
            "title": firsts["title"].to_numpy(),
            "first_author": _first_authors(firsts["authors"]),
            "year": firsts["year"].to_numpy(),
            "journal": firsts["journal"].to_numpy(),
            "matched_by": [
                JOINED_SEPARATOR.join(kind for kind in KEY_KINDS if kind in groups.linked_by[p])
                for p in shared
            ],
        }
    )
    indices = _per_review(frame, groups, shared, "index", "index in {pmid}")
    result = pd.concat([result, indices], axis=1)
    columns = list(result.columns)
    return result.astype(
        {
            name: "Int64" if name == "year" or name.startswith("index in") else "string"
            for name in columns
        }
    )


def cited_where(frame: pd.DataFrame) -> pd.DataFrame:
    """Where in their full texts the reviews cite the papers more than one review cites:
    `shared_references`' ``title``, ``first_author`` and ``year``, and one ``cited in <pmid>``
    column per review (the places, `references_frame`'s ``cited_in``; missing for a review
    read without its full text, or that does not cite the paper). Papers no full text places
    are left out."""
    groups = paper_groups(frame)
    shared = np.flatnonzero(groups.n_reviews >= 2)
    firsts = shared_references(frame)[["title", "first_author", "year"]]
    places = _per_review(frame, groups, shared, "cited_in", "cited in {pmid}").astype("string")
    placed = places.notna().any(axis=1).to_numpy()
    return pd.concat([firsts, places], axis=1)[placed].reset_index(drop=True)


def _per_review(
    frame: pd.DataFrame, groups: PaperGroups, papers: np.ndarray, column: str, name: str
) -> pd.DataFrame:
    """``column`` of each review's first printing of each of ``papers``: one column per review,
    named ``name`` with its PMID, one row per paper in the order of ``papers``."""
    printings = pd.DataFrame(
        {
            "paper": groups.paper,
            "review": groups.review,
            "value": frame[column].to_numpy(),
        }
    ).drop_duplicates(["paper", "review"])
    printings = printings[np.isin(printings["paper"].to_numpy(), papers)]
    values = printings.pivot(index="paper", columns="review", values="value")
    values = values.reindex(index=papers, columns=range(len(groups.reviews)))
    values.columns = [name.format(pmid=pmid) for pmid in groups.reviews]
    return values.reset_index(drop=True)


def overlap_matrix(frame: pd.DataFrame) -> pd.DataFrame:
    """Papers each pair of reviews both cite: an N×N ``Int64`` frame indexed by review PMID.

    The diagonal holds how many distinct papers each review cites (its own printings of one
    paper count once); reviews are in the order they first appear in ``frame``.
    """
    groups = paper_groups(frame)
    cited = groups.cited.astype(np.int64)
    counts = pd.DataFrame(cited.T @ cited, index=groups.reviews, columns=groups.reviews)
    counts.index.name = counts.columns.name = "review_pmid"
    return counts.astype("Int64")


def most_cocited(frame: pd.DataFrame, top: int = 10) -> pd.DataFrame:
    """The ``top`` papers cited by the most reviews (at least two), most cited first.

    Columns: ``title``, ``first_author``, ``year``, ``journal``, ``pmid``, ``doi``,
    ``n_reviews`` and ``reviews`` (their PMIDs joined with ``"; "``, in the order the frame
    prints them); a field missing in the first printing comes from a later one; ties keep
    first-seen order.
    """
    groups = paper_groups(frame)
    n_reviews = groups.n_reviews
    order = _ranked(groups, top)
    present = frame[["title", "year", "journal", "pmid", "doi"]].reset_index(drop=True)
    firsts = present.groupby(groups.paper, sort=True).first()
    first_rows = _first_rows(groups)
    rows = []
    for paper in order:
        members = np.flatnonzero(groups.paper == paper)
        citing = dict.fromkeys(groups.reviews[review] for review in groups.review[members])
        rows.append(
            {
                **firsts.loc[paper].to_dict(),
                "first_author": _first_authors(frame["authors"].iloc[[first_rows[paper]]])[0],
                "n_reviews": int(n_reviews[paper]),
                "reviews": JOINED_SEPARATOR.join(citing),
            }
        )
    result = pd.DataFrame(rows, columns=list(COCITED_COLUMNS))
    return result.astype(
        {name: "Int64" if name in ("year", "n_reviews") else "string" for name in COCITED_COLUMNS}
    )


def _first_rows(groups: PaperGroups) -> np.ndarray:
    """Per paper, the position of its first printing in the frame."""
    first = np.full(len(groups.linked_by), len(groups.paper), dtype=np.int64)
    np.minimum.at(first, groups.paper, np.arange(len(groups.paper)))
    return first


def _first_authors(authors: pd.Series) -> list[object]:
    """The first name of each cell of ``authors`` (joined with `JOINED_SEPARATOR`), or NA."""
    return [
        value.split(JOINED_SEPARATOR)[0] if isinstance(value, str) and value else pd.NA
        for value in authors.to_numpy(dtype=object, na_value=None)
    ]


def cocited_printings(frame: pd.DataFrame, top: int = 1) -> pd.DataFrame:
    """Every printing of the ``top`` papers `most_cocited` ranks first, as each review printed
    it: ``rank`` (1 for the most co-cited), ``review_pmid``, ``index`` and ``raw``."""
    groups = paper_groups(frame)
    order = _ranked(groups, top)
    rank = np.zeros(len(groups.linked_by), dtype=np.int64)
    rank[order] = np.arange(1, len(order) + 1)
    ranks = rank[groups.paper]
    chosen = np.flatnonzero(ranks > 0)
    chosen = chosen[np.argsort(ranks[chosen], kind="stable")]
    printings = frame.iloc[chosen][["review_pmid", "index", "raw"]].reset_index(drop=True)
    printings.insert(0, "rank", pd.array(ranks[chosen], dtype="Int64"))
    return printings


def _ranked(groups: PaperGroups, top: int) -> np.ndarray:
    """The ``top`` papers cited by the most reviews (at least two), most first; ties in the
    order the frame first prints them."""
    n_reviews = groups.n_reviews
    candidates = np.flatnonzero(n_reviews >= 2)
    return candidates[np.argsort(-n_reviews[candidates], kind="stable")][:top]
