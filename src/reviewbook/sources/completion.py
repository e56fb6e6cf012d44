"""Complete a review's references from the cited works' own PubMed records.

A PubMed XML record often prints a reference as its source alone (``Radiology. 2015
Jan;274(1):250-9``) with the cited work's PMID in ``ArticleIdList``; a saved page prints DOIs.
Completion looks those works up and fills what the printed citation left out:

1. `fetch_cited` asks NCBI's PMC ID converter for the PMIDs of references known only by DOI or
   PMCID, then ``efetch`` for the records of every cited PMID, in batches (`EutilsClient`).
   What it gets is stored beside the review (`CitedData`), so the review loads complete offline.
2. `complete_references` (pure) fills each reference from its record through
   `sources.merge.merge_reference`, the one field-by-field merge: the printed values stay, the
   record fills the gaps, the record's identifiers win and a disagreement is noted. Each field
   filled is named in ``Reference.provenance`` with where it came from; ``raw`` keeps the
   printed citation. A reference that has an identifier but no record gets a `Problem` saying
   how to complete it.
3. `reference_counts` says how complete a review's list is, from data: how many references the
   source shows, how many the review has (or at least has), how many are complete.
"""

from __future__ import annotations

import dataclasses
import json
import operator
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from reviewbook.errors import Problem
from reviewbook.model import Article, FieldSource, Reference, is_pmid
from reviewbook.sources.citation import journal_key
from reviewbook.sources.merge import merge_reference
from reviewbook.sources.ncbi import (
    EutilsClient,
    NcbiError,
    id_type,
    idconv_records,
    records_set,
    split_records,
)
from reviewbook.sources.pubmed_xml import ID_LINK_LABELS, parse_pubmed_xml

COMPLETE_FIELDS: tuple[str, ...] = ("authors", "title", "journal", "year")
"""What a reference needs to count as complete: who, what, where, when."""
_complete_fields = operator.attrgetter(*COMPLETE_FIELDS)
RECORD_SOURCE = "PubMed {pmid}"
"""How `FieldSource.source` names a field taken from a cited work's PubMed record."""
IDCONV_SOURCE = "PMC ID converter"
"""How `FieldSource.source` names an identifier taken from NCBI's ID converter."""
RECORD_KIND = "pubmed"
"""``Reference.source`` of a reference read from the cited work's own record."""
PAGE_REFERENCES_SHOWN = 5
"""A saved PubMed page lists the first five references only (``Show all`` is not saved)."""
LIST_ORIGINS: dict[str, str] = {
    "record": "the PubMed record's full reference list",
    "full-text": "the PMC full text's whole reference list",
    "page": "the saved page, which shows only the first {shown}",
    "page-whole": "the saved page, which shows its whole list",
    "none": "the source has no reference list (a MEDLINE record carries none)",
}
"""What a review's reference list was read from, as `ReferenceCounts` says it."""


# --- what to look up --------------------------------------------------------------------------


def cited_pmids(article: Article) -> list[str]:
    """The PMIDs of the review's references, each once, in list order."""
    return list(
        dict.fromkeys(
            reference.pmid
            for reference in article.references
            if reference.pmid and is_pmid(reference.pmid)
        )
    )


def convertible_ids(article: Article) -> list[str]:
    """DOIs and PMCIDs of references without a PMID: what the ID converter may resolve."""
    found: list[str] = []
    for reference in article.references:
        if reference.pmid:
            continue
        found.extend(value for value in (reference.pmcid, reference.doi) if value)
    return list(dict.fromkeys(found))


# --- fetching and storing ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CitedData:
    """The cited works' records and ID conversions of one review, as stored beside it.

    ``records`` are one-record PubMed XML documents by PMID; ``conversions`` the ID converter's
    JSON records. ``failed`` names each identifier NCBI could not be asked about (network,
    server) with the error; ``unknown`` the PMIDs PubMed has no record of.
    """

    records: dict[str, bytes] = field(default_factory=dict)
    conversions: tuple[dict[str, object], ...] = ()
    failed: dict[str, NcbiError] = field(default_factory=dict)
    unknown: tuple[str, ...] = ()

    def records_xml(self) -> bytes | None:
        """The records as one ``<PubmedArticleSet>``, or None without any."""
        return records_set(self.records.values()) if self.records else None

    def conversions_json(self) -> bytes | None:
        """The conversions in the converter's own reply shape, or None without any."""
        if not self.conversions:
            return None
        reply = {"status": "ok", "records": list(self.conversions)}
        return (json.dumps(reply, indent=1, ensure_ascii=False) + "\n").encode("utf-8")

    def with_stored(self, stored: CitedData) -> CitedData:
        """These fetched data over what was stored before (fetched ones win)."""
        requested = {_requested(record) for record in self.conversions}
        kept = tuple(record for record in stored.conversions if _requested(record) not in requested)
        return dataclasses.replace(
            self,
            records=stored.records | self.records,
            conversions=kept + self.conversions,
        )


def fetch_cited(
    article: Article, client: EutilsClient, *, stored: CitedData | None = None
) -> CitedData:
    """Look up the review's cited works at NCBI: what `CitedData` holds, with what failed.

    References whose record is in ``stored`` are not asked again. Never raises for NCBI's
    failures (they are in ``failed``); a reference stays as printed when its lookup fails.
    """
    stored = stored or CitedData()
    asked = {_requested(record) for record in stored.conversions}
    converted = client.convert_ids(
        identifier for identifier in convertible_ids(article) if identifier not in asked
    )
    conversions = converted.records
    pmids_by_id = _pmids_by_id((*stored.conversions, *conversions))
    wanted = [*cited_pmids(article)]
    for identifier in convertible_ids(article):
        if (pmid := pmids_by_id.get(_id_key(identifier))) is not None:
            wanted.append(pmid)
    fetched = client.fetch_records(pmid for pmid in wanted if pmid not in stored.records)
    return CitedData(
        fetched.records, conversions, {**converted.failed, **fetched.failed}, fetched.unknown
    )


def read_cited(records_xml: bytes | None, conversions_json: bytes | None) -> CitedData:
    """Stored cited data read back (either part may be missing), e.g. to add to it."""
    records = split_records(records_xml, origin="stored records") if records_xml else {}
    return CitedData(records, read_conversions(conversions_json))


def read_conversions(conversions_json: bytes | None) -> tuple[dict[str, object], ...]:
    """The ID converter's records stored as its JSON reply (none without one)."""
    if not conversions_json:
        return ()
    return tuple(idconv_records(conversions_json, origin="stored conversions"))


# --- completing -------------------------------------------------------------------------------


def records_by_pmid(records_xml: bytes | None) -> dict[str, Article]:
    """The cited works' records in a stored ``<PubmedArticleSet>``, by PMID."""
    if not records_xml:
        return {}
    return {
        record.pmid: record
        for record in parse_pubmed_xml(records_xml, source_path="cited records")
        if record.pmid
    }


def complete_references(
    article: Article,
    records: Mapping[str, Article],
    conversions: Iterable[Mapping[str, object]] = (),
    *,
    refresh_hint: str | None = None,
) -> Article:
    """The article with each reference completed from its cited work's record (pure).

    ``records`` are the cited works' records by PMID (`records_by_pmid`), ``conversions`` the
    ID converter's records. ``refresh_hint`` ends the problem of a reference that has a PMID
    but no record, e.g. ``run `reviewbook refresh 29963580` to fetch it``.
    """
    by_id = _conversions_by_id(conversions)
    references = tuple(
        complete_reference(reference, records, by_id, refresh_hint=refresh_hint)
        for reference in article.references
    )
    return dataclasses.replace(article, references=references)


def complete_reference(
    reference: Reference,
    records: Mapping[str, Article],
    conversions: Mapping[str, Mapping[str, object]],
    *,
    refresh_hint: str | None = None,
) -> Reference:
    """One reference filled from its PubMed record, found by PMID or through a conversion."""
    provenance = list(reference.provenance)
    completed = reference
    if not reference.pmid:
        completed, converted = _with_conversion(reference, conversions)
        provenance += [FieldSource(name, IDCONV_SOURCE) for name in converted]
    record = records.get(completed.pmid or "")
    if record is None:
        problem = _incomplete_problem(completed, refresh_hint)
        warnings = (*completed.warnings, problem) if problem else completed.warnings
        return dataclasses.replace(completed, provenance=tuple(provenance), warnings=warnings)
    merged = merge_reference(completed, reference_of_record(record))
    source = RECORD_SOURCE.format(pmid=record.pmid)
    provenance += [
        FieldSource(name, source)
        for name in _FILLABLE
        if _empty(getattr(completed, name)) and not _empty(getattr(merged, name))
    ]
    return dataclasses.replace(merged, provenance=tuple(provenance))


def reference_of_record(record: Article) -> Reference:
    """A cited work's PubMed record as a reference entry (``source`` ``pubmed``)."""
    identifiers = {"doi": record.doi, "pmid": record.pmid, "pmcid": record.pmcid}
    authors = tuple(
        name.strip() for name in (record.authors_display or "").split(", ") if name.strip()
    )
    title = record.title.strip()
    return Reference(
        index=0,
        raw="",
        authors=authors,
        title=(title[:-1] if title.endswith(".") else title) or None,
        journal=record.journal,
        journal_key=journal_key(record.journal) if record.journal else None,
        year=record.year,
        volume=record.volume,
        issue=record.issue,
        first_page=record.first_page,
        last_page=record.last_page,
        links=frozenset(ID_LINK_LABELS[name] for name, value in identifiers.items() if value),
        source=RECORD_KIND,
        **identifiers,
    )


def is_complete(reference: Reference) -> bool:
    """Whether the reference names its authors, title, journal and year."""
    return not any(map(_empty, _complete_fields(reference)))


# --- honest counts ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ReferenceCounts:
    """How complete a review's reference list is, as counts a notebook can print."""

    pmid: str | None
    shown: int
    """References the workbook has for the review."""
    total: int | None
    """How many the review has, when the source gives its whole list; None when unknown."""
    at_least: int
    """A lower bound on the review's references (``total`` when known)."""
    complete: int
    """References with authors, title, journal and year."""
    linked: int
    """References with a PMID, DOI or PMCID (links can be shown)."""
    origin: str
    """A key of `LIST_ORIGINS`: what the list was read from."""

    @property
    def is_partial(self) -> bool:
        """Whether the list may leave out references of the review."""
        return self.total is None or self.shown < self.total

    def __str__(self) -> str:
        of = f"{self.total}" if self.total is not None else f"at least {self.at_least}"
        origin = LIST_ORIGINS[self.origin].format(shown=self.shown)
        return (
            f"{self.shown} of {of} references, from {origin}; "
            f"{self.complete} complete, {self.linked} with a PMID, DOI or PMCID"
        )


def reference_counts(article: Article) -> ReferenceCounts:
    """How many references ``article`` shows, how many the review has, and how complete they are.

    A record's list (PubMed XML) and a full text's (JATS) are the review's whole list. A saved
    page shows the first `PAGE_REFERENCES_SHOWN`: with that many, the review has *at least*
    that many; with fewer, that is all. A MEDLINE record has no list: the count is unknown
    (at least 0).
    """
    references = article.references
    shown = len(references)
    if any(reference.source.startswith("jats") for reference in references):
        origin, total = "full-text", shown
    elif any("xml" in reference.source for reference in references):
        origin, total = "record", shown
    elif references and shown < PAGE_REFERENCES_SHOWN:
        origin, total = "page-whole", shown
    elif references:
        origin, total = "page", None
    else:
        origin, total = "none", None
    return ReferenceCounts(
        pmid=article.pmid,
        shown=shown,
        total=total,
        at_least=shown if total is None else total,
        complete=sum(1 for reference in references if is_complete(reference)),
        linked=sum(
            1 for reference in references if reference.pmid or reference.doi or reference.pmcid
        ),
        origin=origin,
    )


# --- small helpers ----------------------------------------------------------------------------

_FILLABLE: tuple[str, ...] = (
    *("authors", "title", "journal", "journal_key", "year", "volume", "issue"),
    *("first_page", "last_page", "doi", "pmid", "pmcid"),
)
"""Fields a cited work's record may fill, each named in the reference's provenance."""


def _empty(value: object) -> bool:
    return value in (None, "", ())


def _requested(record: Mapping[str, object]) -> str:
    return _id_key(str(record.get("requested-id") or ""))


def _id_key(identifier: str) -> str:
    """DOIs compare without regard to case, PMCIDs in capitals."""
    return identifier.strip().upper() if id_type(identifier) == "pmcid" else identifier.lower()


def _conversions_by_id(
    records: Iterable[Mapping[str, object]],
) -> dict[str, Mapping[str, object]]:
    """Successful converter records by each identifier they hold (requested, DOI, PMCID)."""
    found: dict[str, Mapping[str, object]] = {}
    for record in records:
        if record.get("status") == "error":
            continue
        for name in ("requested-id", "doi", "pmcid"):
            if value := record.get(name):
                found.setdefault(_id_key(str(value)), record)
    return found


def _pmids_by_id(records: Iterable[Mapping[str, object]]) -> dict[str, str]:
    return {
        key: pmid
        for key, record in _conversions_by_id(records).items()
        if is_pmid(pmid := str(record.get("pmid") or ""))
    }


def _with_conversion(
    reference: Reference, conversions: Mapping[str, Mapping[str, object]]
) -> tuple[Reference, list[str]]:
    """The reference with the identifiers its conversion adds, and the fields it filled."""
    record = next(
        (
            conversions[_id_key(value)]
            for value in (reference.pmcid, reference.doi)
            if value and _id_key(value) in conversions
        ),
        None,
    )
    if record is None:
        return reference, []
    filled: dict[str, str] = {}
    for name in ("pmid", "pmcid", "doi"):
        value = str(record.get(name) or "").strip()
        if value and not getattr(reference, name) and (name != "pmid" or is_pmid(value)):
            filled[name] = value
    links = frozenset(ID_LINK_LABELS[name] for name in filled)
    return dataclasses.replace(reference, **filled, links=reference.links | links), list(filled)


def _incomplete_problem(reference: Reference, refresh_hint: str | None) -> Problem | None:
    """A problem for a reference that has an identifier but was not completed."""
    if is_complete(reference) or not reference.pmid:
        return None
    message = (
        f"reference {reference.index}: not completed: the record of PMID {reference.pmid} "
        "is not among the saved records"
    )
    return Problem(None, "incomplete", f"{message}; {refresh_hint}" if refresh_hint else message)
