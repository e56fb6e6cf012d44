"""The hub every export is written from: one CSL-JSON item per reference.

A references frame (`reviewbook.tables.frames.references_frame`), or articles whose references
are tabulated first, becomes a list of CSL-JSON items (``csl_items``), the model citeproc-js,
pandoc and Zotero share. Each item's ``id`` is its citation key (``citation_keys``), the same in
every format, so re-exporting the same list gives the same keys.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import pandas as pd

from reviewbook.model import Article, doi_url, pmc_url, pubmed_url
from reviewbook.tables.frames import references_frame
from reviewbook.text import JOINED_SEPARATOR, NAME_SUFFIXES, ascii_key, is_initials

ReferenceSource = pd.DataFrame | Article | Iterable[Article]
"""What an export takes: a references frame, or articles whose references it exports."""
CslItem = dict[str, object]
"""One CSL-JSON item: ``{"id": ..., "type": ..., "title": ..., "author": [...], ...}``."""
CslName = dict[str, str]
"""One CSL name: ``{"family": ..., "given": ...}`` (with ``suffix``), or ``{"literal": ...}``."""

# --- knowledge: types and keys -----------------------------------------------------------------

CSL_TYPES: dict[str, str] = {
    "article-journal": "article-journal",
    "book": "book",
    "chapter": "chapter",
    "unknown": "article",
}
"""CSL item type for each ``Reference.kind`` (``article`` is CSL's generic type)."""
KEY_STOPWORDS: frozenset[str] = frozenset(
    {"a", "an", "the", "on", "of", "in", "for", "and", "to", "is", "are", "at", "by", "with"}
)
"""Words skipped when choosing the word in a citation key (Better BibTeX skips these too)."""
KEY_FALLBACK = "ref"
"""What a key starts with when nothing of the reference gives a letter to start with."""

_DIGITS = re.compile(r"[0-9]")


# --- items -------------------------------------------------------------------------------------


def reference_table(source: ReferenceSource) -> pd.DataFrame:
    """The references frame of ``source``: the frame itself, or its articles' references."""
    return source if isinstance(source, pd.DataFrame) else references_frame(source)


def row_values(row: dict[str, object]) -> dict[str, object]:
    """A frame row with pandas' missing markers as None."""
    return {column: None if pd.isna(value) else value for column, value in row.items()}


def csl_items(source: ReferenceSource) -> list[CslItem]:
    """One CSL-JSON item per reference, keyed by its citation key, empty variables left out."""
    frame = reference_table(source)
    rows = [row_values(row) for row in frame.to_dict("records")]
    keys = citation_keys(rows)
    return [_csl_item(row, key) for row, key in zip(rows, keys, strict=True)]


def _csl_item(row: dict[str, object], key: str) -> CslItem:
    kind = str(row.get("kind") or "unknown")
    container = row.get("book_title") if kind == "chapter" else row.get("journal")
    year = row.get("year")
    item: CslItem = {
        "id": key,
        "type": CSL_TYPES.get(kind, "article"),
        "author": [csl_name(name) for name in split_authors(row.get("authors"))],
        "title": row.get("title"),
        "container-title": container,
        "publisher": row.get("publisher"),
        "issued": issued(int(str(year))) if year else None,
        "volume": row.get("volume"),
        "issue": row.get("issue"),
        "page": page_range(row.get("first_page"), row.get("last_page")),
        "page-first": row.get("first_page"),
        "DOI": row.get("doi"),
        "PMID": row.get("pmid"),
        "PMCID": row.get("pmcid"),
        "URL": _address(row),
        "note": None if row.get("title") else row.get("raw"),
    }
    return {name: value for name, value in item.items() if value not in (None, "", [])}


def issued(year: int) -> dict[str, list[list[int]]]:
    """A CSL ``issued`` date of a year alone."""
    return {"date-parts": [[year]]}


def item_year(item: CslItem) -> str | None:
    """The year of an item's ``issued`` date, as text; None when it has none."""
    issued = item.get("issued")
    if not isinstance(issued, dict):
        return None
    return str(issued["date-parts"][0][0])


def item_names(item: CslItem) -> list[CslName]:
    """An item's authors (none when it has no ``author``)."""
    names = item.get("author")
    return list(names) if isinstance(names, list) else []


def csl_name(name: str) -> CslName:
    """``Peterse JL`` or ``Peterse, J. L.`` as ``{"family": "Peterse", "given": "J. L."}``.

    NLM initials are capitals of any script (``Kowalczyk Ł``); a suffix may follow them.

    A name in neither form (a consortium, say) is kept whole as ``{"literal": name}``.
    """
    family, _, given = name.partition(",")
    if given.strip() and family.strip():
        return {"family": family.strip(), "given": given.strip()}
    words = name.split()
    suffix = words.pop() if len(words) > 2 and words[-1] in NAME_SUFFIXES else None
    initials = words[-1] if len(words) > 1 else ""
    if is_initials(initials):
        given = " ".join(f"{initial}." for initial in initials)
        parts = {"family": " ".join(words[:-1]), "given": given}
        return parts | ({"suffix": suffix} if suffix else {})
    return {"literal": name.strip()}


def split_authors(authors: object) -> list[str]:
    """The names of an ``authors`` cell (`JOINED_SEPARATOR`-joined); a missing cell has none."""
    return [name for name in str(authors).split(JOINED_SEPARATOR) if name] if authors else []


def page_range(first: object, last: object) -> str | None:
    """``591-602`` (CSL's form: a hyphen, which citeproc typesets as a dash), or one page."""
    if not first:
        return None
    return f"{first}-{last}" if last and last != first else str(first)


def _address(row: dict[str, object]) -> str | None:
    """Where to read the reference: its DOI address, else its PubMed, else its PMC address."""
    doi, pmid, pmcid = (row.get(column) for column in ("doi", "pmid", "pmcid"))
    return (
        doi_url(str(doi) if doi else None)
        or pubmed_url(str(pmid) if pmid else None)
        or pmc_url(str(pmcid) if pmcid else None)
    )


# --- citation keys -----------------------------------------------------------------------------


def citation_keys(rows: Iterable[dict[str, object]]) -> list[str]:
    """One key per row, unique across the rows, in Better BibTeX's short form.

    ``janssen2017immune``: the first author's family name, the year, the first significant word
    of the title (`KEY_STOPWORDS` skipped), in ASCII letters (``Østergaard`` gives
    ``ostergaard``). Without an author the key is the first significant word of the title, else
    of the raw citation, then the year (``radiology2015``): never a bare year, always a letter
    first. A key already given gets ``b``, ``c``… (``radiology2015b``).
    """
    keys: list[str] = []
    taken: set[str] = set()
    for row in rows:
        base = citation_key_base(row)
        key, count = base, 0
        while key in taken:
            count += 1
            key = f"{base}{_key_suffix(count)}"
        taken.add(key)
        keys.append(key)
    return keys


def citation_key_base(row: dict[str, object]) -> str:
    """The key a row asks for before repeats are told apart (see `citation_keys`)."""
    authors = split_authors(row.get("authors"))
    name = csl_name(authors[0]) if authors else {}
    surname = _key_part(name.get("family") or name.get("literal") or "")
    year = str(row.get("year") or "")
    word = _key_word(row.get("title"))
    base = f"{surname}{year}{word}" if surname else f"{word or _key_word(row.get('raw'))}{year}"
    return base if base[:1].isalpha() else f"{KEY_FALLBACK}{base}"


def _key_word(text: object) -> str:
    """The first significant word of ``text`` in key letters, or ``""``."""
    words = (_key_part(word) for word in str(text or "").split())
    return next((word for word in words if word and word not in KEY_STOPWORDS), "")


def _key_suffix(count: int) -> str:
    """``b`` for the second use of a key, ``c`` for the third, … then numbers past ``z``."""
    return chr(ord("a") + count) if count < 26 else str(count + 1)


def _key_part(text: str) -> str:
    """Lower-case ASCII letters only: ``Massagué`` gives ``massague``, ``van Zijl`` ``vanzijl``."""
    return _DIGITS.sub("", ascii_key(text))
