"""Find the papers two or more reviews both cite, however each review printed them.

Two rows are the same paper when `reviewbook.identity` says so, the same rule that merges a
page's references with its PubMed record. `shared_references` lists the papers cited by more
than one review, `overlap_matrix` counts them for every pair of reviews (N×N), and
`most_cocited` ranks papers by how many reviews cite them.
"""

from __future__ import annotations

import pandas as pd

from reviewbook.identity import KEY_KINDS, paper_keys
from reviewbook.text import JOINED_SEPARATOR


def shared_references(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per paper cited by more than one review in ``frame`` (a `references_frame`).

    Columns: ``title``, ``first_author``, ``year``, ``journal``, ``matched_by`` (the kinds of
    key the printings share) and one ``index in <pmid>`` column per review.
    """
    reviews = list(dict.fromkeys(frame["review_pmid"].astype(str)))
    groups = _group_matching_rows(frame)
    rows = []
    for members, kinds in groups:
        cited_by = {str(frame.at[i, "review_pmid"]) for i in members}
        if len(cited_by) < 2:
            continue
        first = frame.loc[members[0]]
        authors = first["authors"]
        row = {
            "title": first["title"],
            "first_author": authors.split(JOINED_SEPARATOR)[0] if _present(authors) else pd.NA,
            "year": first["year"],
            "journal": first["journal"],
            "matched_by": JOINED_SEPARATOR.join(kind for kind in KEY_KINDS if kind in kinds),
        }
        for pmid in reviews:
            indices = [
                int(frame.at[i, "index"]) for i in members if frame.at[i, "review_pmid"] == pmid
            ]
            row[f"index in {pmid}"] = indices[0] if indices else pd.NA
        rows.append(row)
    columns = ["title", "first_author", "year", "journal", "matched_by"]
    columns += [f"index in {pmid}" for pmid in reviews]
    result = pd.DataFrame(rows, columns=columns)
    return result.astype(
        {
            name: "Int64" if name == "year" or name.startswith("index in") else "string"
            for name in columns
        }
    )


def overlap_matrix(frame: pd.DataFrame) -> pd.DataFrame:
    """Papers each pair of reviews both cite: an N×N ``Int64`` frame indexed by review PMID.

    The diagonal holds how many distinct papers each review cites (its own printings of one
    paper count once); reviews are in the order they first appear in ``frame``.
    """
    reviews = list(dict.fromkeys(frame["review_pmid"].astype(str)))
    counts = pd.DataFrame(0, index=reviews, columns=reviews, dtype="Int64")
    for cited_by in _citing_reviews(frame):
        for first in cited_by:
            for second in cited_by:
                counts.at[first, second] += 1
    counts.index.name = counts.columns.name = "review_pmid"
    return counts


def most_cocited(frame: pd.DataFrame, top: int = 10) -> pd.DataFrame:
    """The ``top`` papers cited by the most reviews (at least two), most cited first.

    Columns: ``title``, ``first_author``, ``year``, ``journal``, ``pmid``, ``doi``,
    ``n_reviews`` and ``reviews`` (their PMIDs joined with ``"; "``); ties keep first-seen order.
    """
    rows = []
    for members, _ in _group_matching_rows(frame):
        cited_by = list(dict.fromkeys(str(frame.at[i, "review_pmid"]) for i in members))
        if len(cited_by) < 2:
            continue
        first = frame.loc[members[0]]
        rows.append(
            {
                "title": _first_present(frame, members, "title"),
                "first_author": (
                    first["authors"].split(JOINED_SEPARATOR)[0]
                    if _present(first["authors"])
                    else pd.NA
                ),
                "year": _first_present(frame, members, "year"),
                "journal": _first_present(frame, members, "journal"),
                "pmid": _first_present(frame, members, "pmid"),
                "doi": _first_present(frame, members, "doi"),
                "n_reviews": len(cited_by),
                "reviews": JOINED_SEPARATOR.join(cited_by),
            }
        )
    columns = ["title", "first_author", "year", "journal", "pmid", "doi", "n_reviews", "reviews"]
    result = pd.DataFrame(rows, columns=columns)
    result = result.sort_values("n_reviews", ascending=False, kind="stable").head(top)
    return result.reset_index(drop=True).astype(
        {name: "Int64" if name in ("year", "n_reviews") else "string" for name in columns}
    )


def _citing_reviews(frame: pd.DataFrame) -> list[list[str]]:
    """For each distinct paper in ``frame``, the reviews citing it (each once)."""
    return [
        list(dict.fromkeys(str(frame.at[i, "review_pmid"]) for i in members))
        for members, _ in _group_matching_rows(frame)
    ]


def _first_present(frame: pd.DataFrame, members: list, column: str) -> object:
    """The first printing's value of ``column`` that is not missing."""
    return next((frame.at[i, column] for i in members if _present(frame.at[i, column])), pd.NA)


def _group_matching_rows(frame: pd.DataFrame) -> list[tuple[list, set[str]]]:
    """Rows linked by any shared key, grouped (union-find), with the key kinds that linked them."""
    parent: dict = {label: label for label in frame.index}

    def root(label: object) -> object:
        while parent[label] != label:
            parent[label] = parent[parent[label]]
            label = parent[label]
        return label

    first_with_key: dict[tuple[str, str], object] = {}
    linked_by: dict[object, set[str]] = {}
    for label, row in frame.iterrows():
        for key in paper_keys(row):
            if key in first_with_key:
                other = root(first_with_key[key])
                mine = root(label)
                kinds = linked_by.pop(mine, set()) | linked_by.pop(other, set()) | {key[0]}
                parent[mine] = other
                linked_by[other] = kinds
            else:
                first_with_key[key] = label
    groups: dict[object, list] = {}
    for label in frame.index:
        groups.setdefault(root(label), []).append(label)
    return [(members, linked_by.get(top, set())) for top, members in groups.items()]


def _present(value: object) -> bool:
    return value is not None and not pd.isna(value)
