"""Merge a review read from its PubMed page with its record read from PubMed XML (or MEDLINE),
and either with its PMC full text.

The page is what a reader reads, so its text stays: title, abstract, sections, figures. The
record is what NCBI curates, so it brings identifiers and the full reference list. Each
reference of the merged list says where it came from in ``Reference.source``: ``page+xml``
when both had it, otherwise the one source that did. A full text (`merge_full_text`) is the
review itself: it brings the body, figures, licence and its own reference list, the one its
in-text citations count in.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from pathlib import Path

from reviewbook.errors import Problem
from reviewbook.identity import PaperKey, paper_keys
from reviewbook.model import Article, Reference

ARTICLE_IDENTIFIERS: tuple[str, ...] = ("doi", "pmcid")
"""Article identifiers the record's value wins for (NCBI's, not the page's printed ones)."""
ARTICLE_OWN_FIELDS: frozenset[str] = frozenset(
    {"pmid", "article_types", "authors", "authors_display", "first_author", "references"}
    | {"warnings"}
    | {"source_path", "sha256"}
)
"""Fields merged by their own rule; every other field is the page's, else the record's."""
REFERENCE_IDENTIFIERS: tuple[str, ...] = ("doi", "pmid", "pmcid")
"""Reference identifiers; the record's value wins, a disagreement is noted on the reference."""


def merge_page_and_record(page: Article, record: Article) -> Article:
    """The page's article with the record's identifiers, authors and full reference list.

    Raises ``ValueError`` when the two name different PMIDs. Where the two disagree on an
    identifier, the record's value is kept and a warning says what the page printed.
    """
    if page.pmid and record.pmid and page.pmid != record.pmid:
        raise ValueError(f"cannot merge PMID {page.pmid} (page) with PMID {record.pmid} (record)")
    warnings = list(page.warnings)
    origin = Path(record.source_path).name if record.source_path else "record"
    warnings.extend(dataclasses.replace(problem, source=origin) for problem in record.warnings)
    merged: dict[str, object] = {
        field.name: _page_else_record(getattr(page, field.name), getattr(record, field.name))
        for field in dataclasses.fields(Article)
        if field.name not in ARTICLE_OWN_FIELDS
    }
    identifiers, disagreements = _identifiers(page, record, ARTICLE_IDENTIFIERS, origin)
    merged.update(identifiers)
    warnings.extend(disagreements)
    authors_from = record if _fuller_authors(record, page) else page
    return dataclasses.replace(
        page,
        **merged,
        pmid=page.pmid or record.pmid,
        article_types=tuple(dict.fromkeys((*page.article_types, *record.article_types))),
        authors=record.authors or page.authors,
        authors_display=authors_from.authors_display,
        first_author=authors_from.first_author,
        references=merge_references(page.references, record.references),
        warnings=tuple(dict.fromkeys(warnings)),
    )


def merge_full_text(article: Article, full_text: Article) -> Article:
    """``article`` (read from its page and/or record) with its full text's body, figures,
    licence and reference list; its abstract and identifiers stay, missing ones filled.

    Raises ``ValueError`` when the two name different PMIDs.
    """
    if article.pmid and full_text.pmid and article.pmid != full_text.pmid:
        raise ValueError(
            f"cannot merge PMID {article.pmid} with the full text of PMID {full_text.pmid}"
        )
    origin = Path(full_text.source_path).name if full_text.source_path else "full text"
    warnings = (
        *article.warnings,
        *(dataclasses.replace(problem, source=origin) for problem in full_text.warnings),
    )
    return dataclasses.replace(
        article,
        pmid=article.pmid or full_text.pmid,
        pmcid=article.pmcid or full_text.pmcid,
        doi=article.doi or full_text.doi,
        abstract=article.abstract or full_text.abstract,
        abstract_sections=article.abstract_sections or full_text.abstract_sections,
        keywords=article.keywords or full_text.keywords,
        article_types=tuple(dict.fromkeys((*article.article_types, *full_text.article_types))),
        figures=full_text.figures or article.figures,
        references=full_text.references,
        body=full_text.body,
        license=full_text.license,
        warnings=tuple(dict.fromkeys(warnings)),
    )


def merge_references(
    page_references: Iterable[Reference], record_references: Iterable[Reference]
) -> tuple[Reference, ...]:
    """The record's list in its order, each entry merged with the page entry for the same work.

    Entries match when they are the same paper (`reviewbook.identity.paper_keys`), strongest
    key first. Page entries the record lacks follow at the end; every entry is renumbered from
    1 in the merged order.
    """
    page_list, record_list = list(page_references), list(record_references)
    if not record_list:
        return tuple(page_list)
    by_key: dict[PaperKey, int] = {}
    for position, reference in enumerate(record_list):
        for key in paper_keys(reference):
            by_key.setdefault(key, position)
    partners: dict[int, Reference] = {}
    unmatched: list[Reference] = []
    for reference in page_list:
        position = next(
            (
                by_key[key]
                for key in paper_keys(reference)
                if key in by_key and by_key[key] not in partners
            ),
            None,
        )
        if position is None:
            unmatched.append(reference)
        else:
            partners[position] = reference
    merged = [
        merge_reference(partners[position], reference) if position in partners else reference
        for position, reference in enumerate(record_list)
    ]
    merged.extend(unmatched)
    return tuple(
        dataclasses.replace(reference, index=index)
        for index, reference in enumerate(merged, start=1)
    )


def merge_reference(page: Reference, record: Reference) -> Reference:
    """One work as both print it: the page's text, the record's identifiers, both links."""
    identifiers, disagreements = _identifiers(
        page, record, REFERENCE_IDENTIFIERS, f"the {record.source}"
    )
    warnings = [*page.warnings, *disagreements]
    filled = {
        field.name: _page_else_record(getattr(page, field.name), getattr(record, field.name))
        for field in dataclasses.fields(Reference)
        if field.name not in {"index", "raw", "links", "warnings", "source", "kind"}
        and field.name not in identifiers
    }
    return dataclasses.replace(
        page,
        **filled,
        **identifiers,
        links=page.links | record.links,
        kind=record.kind if page.kind == "unknown" else page.kind,
        warnings=tuple(dict.fromkeys(warnings)),
        source=f"{page.source}+{record.source}",
    )


def _identifiers(
    page: Article | Reference, record: Article | Reference, names: tuple[str, ...], origin: str
) -> tuple[dict[str, str | None], list[Problem]]:
    """The record's identifiers, else the page's; a problem for each one they disagree on."""
    values: dict[str, str | None] = {}
    problems: list[Problem] = []
    for name in names:
        page_value, record_value = getattr(page, name), getattr(record, name)
        if page_value and record_value and not _same(name, page_value, record_value):
            message = f"the page gives {name} {page_value}, {origin} {record_value}"
            problems.append(Problem(None, "identifier", message))
        values[name] = record_value or page_value
    return values, problems


def _page_else_record(page_value: object, record_value: object) -> object:
    """The page's value unless it is missing or empty."""
    return page_value if page_value not in (None, "", ()) else record_value


def _same(name: str, first: str, second: str) -> bool:
    """Identifiers compare as NCBI does: DOIs without regard to case."""
    return first.lower() == second.lower() if name == "doi" else first == second


def _fuller_authors(record: Article, page: Article) -> bool:
    """Whether the record names more authors than the page (which may print ``X et al.``)."""
    if not record.authors_display:
        return False
    shown = page.authors_display or ""
    return not shown or shown.endswith("et al.")
