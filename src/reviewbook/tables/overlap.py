"""Find the papers two or more reviews both cite, however each review printed them.

Two rows are the same paper when `reviewbook.identity` says so, the same rule that merges a
page's references with its PubMed record.
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
