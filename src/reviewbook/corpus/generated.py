"""Records in PubMed's XML shape, made up, for building a corpus where no baseline is at hand.

The workbook's notebook and the corpus benchmark need a field of reviews to query offline.
`generate_field` makes one, deterministically from a seed: reviews and research papers with
titles, journals, years, authors, publication types, MeSH headings (major topics marked) and
reference lists, each reference a citation line with the cited PMID as NCBI attaches it.
Reviews cite a shared pool with a popularity skew, as real reviews do, so that a canon
emerges; the pool can include real PMIDs (the workbook reviews' references) so a workbook
review has neighbours in the field.

Every generated record is labelled twice: its PMID is in `GENERATED_PMIDS` (above any PMID
PubMed will assign for decades) and its title opens with ``[Generated]``. The XML is written
as PubMed's baseline and update files are (`pubmed_file_xml`), ``<DeleteCitation>`` included.
"""

from __future__ import annotations

import gzip
import itertools
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from html import escape
from pathlib import Path

from reviewbook.model import Article, MeshHeading

GENERATED_PMIDS = range(900_000_000, 1_000_000_000)
"""PMIDs generated records take: far above PubMed's (about 41 million in 2026)."""
GENERATED_TITLE_MARK = "[Generated]"
"""How every generated title opens."""

JOURNALS: tuple[tuple[str, str], ...] = (
    ("Nat Rev Cancer", "Nature reviews. Cancer"),
    ("Nat Rev Immunol", "Nature reviews. Immunology"),
    ("Cancer Cell", "Cancer cell"),
    ("Immunity", "Immunity"),
    ("J Immunother Cancer", "Journal for immunotherapy of cancer"),
    ("Cancer Res", "Cancer research"),
    ("Front Immunol", "Frontiers in immunology"),
    ("Trends Immunol", "Trends in immunology"),
)
"""(MedlineTA, journal title) pairs generated records appear in."""
TOPICS: tuple[str, ...] = (
    "Neoplasm Metastasis",
    "Immune System",
    "Tumor Microenvironment",
    "T-Lymphocytes",
    "Macrophages",
    "Neutrophils",
    "Killer Cells, Natural",
    "Immunotherapy",
    "Lymphatic Metastasis",
    "Immune Evasion",
)
"""MeSH descriptors generated records are indexed with."""
QUALIFIERS: tuple[str, ...] = ("immunology", "pathology", "secondary", "therapy", "metabolism")
WORDS: tuple[str, ...] = (
    "immune", "metastatic", "niche", "tumour", "cells", "dissemination", "myeloid", "T cell",
    "escape", "colonization", "inflammation", "surveillance", "dormancy", "circulating",
    "neutrophil", "macrophage", "cytokine", "signalling", "premetastatic", "checkpoint",
)  # fmt: skip
SURNAMES: tuple[str, ...] = (
    "Garcia", "Chen", "Muller", "Rossi", "Kim", "Novak", "Silva", "Okafor", "Larsen", "Ito",
    "Dubois", "Kowalski", "Haddad", "Andersson", "Moreau", "Tanaka",
)  # fmt: skip


def is_generated(pmid: str | int | None) -> bool:
    """Whether a PMID is one `generate_field` gives out (see `GENERATED_PMIDS`)."""
    return pmid is not None and str(pmid).isdigit() and int(pmid) in GENERATED_PMIDS


@dataclass(frozen=True, slots=True)
class CitedWork:
    """A reference of a generated record: its citation line and the PMID NCBI links, if any."""

    citation: str
    pmid: str | None = None
    doi: str | None = None


@dataclass(frozen=True, slots=True)
class GeneratedRecord:
    """One made-up PubMed record, with what its XML will say."""

    pmid: str
    title: str
    journal: tuple[str, str]
    """(MedlineTA, journal title)."""
    year: int
    publication_types: tuple[str, ...]
    authors: tuple[tuple[str, str], ...]
    """(LastName, Initials) pairs."""
    mesh_headings: tuple[MeshHeading, ...]
    references: tuple[CitedWork, ...]
    abstract: str
    version: int = 1
    """The record's version: an update file carries a revised record with a higher one."""


@dataclass(frozen=True, slots=True)
class Field:
    """A generated field: its reviews and research papers, in PMID order."""

    reviews: tuple[GeneratedRecord, ...]
    papers: tuple[GeneratedRecord, ...]

    @property
    def records(self) -> tuple[GeneratedRecord, ...]:
        return tuple(sorted((*self.reviews, *self.papers), key=lambda record: int(record.pmid)))


def generate_field(
    *,
    reviews: int,
    papers: int,
    seed: int = 0,
    cited: Sequence[CitedWork] = (),
    first_pmid: int = GENERATED_PMIDS.start + 1,
    references_per_review: tuple[int, int] = (20, 40),
    references_per_paper: tuple[int, int] = (5, 15),
    abstract_sentences: int = 6,
) -> Field:
    """A deterministic field of ``reviews`` reviews and ``papers`` research papers.

    Reviews cite the works of ``cited`` (real ones, printed as their own reference lists print
    them, say) and the field's papers, more often the earlier a work is in that pool (a
    Zipf-like skew), so that some works become the field's canon. Papers cite a few earlier
    papers. Two of every three reviews are indexed with both ``Neoplasm Metastasis`` and
    ``Immune System``, the first as a major topic.
    """
    chooser = random.Random(seed)
    made_papers: list[GeneratedRecord] = []
    paper_works: list[CitedWork] = []
    for number in range(papers):
        pmid = str(first_pmid + reviews + number)
        earlier = _sample(chooser, paper_works, references_per_paper, limit=number)
        paper = _record(chooser, pmid, review=False, cited=earlier, sentences=abstract_sentences)
        made_papers.append(paper)
        paper_works.append(CitedWork(citation_of(paper), pmid))
    pool = [*cited, *paper_works]
    cumulative = list(itertools.accumulate(1 / (rank + 1) for rank in range(len(pool))))
    made_reviews = tuple(
        _record(
            chooser,
            str(first_pmid + number),
            review=True,
            cited=_sample(chooser, pool, references_per_review, cumulative_weights=cumulative),
            sentences=abstract_sentences,
            in_field=number % 3 != 2,
        )
        for number in range(reviews)
    )
    return Field(reviews=made_reviews, papers=tuple(made_papers))


def _sample(
    chooser: random.Random,
    pool: Sequence[CitedWork],
    size: tuple[int, int],
    *,
    limit: int | None = None,
    cumulative_weights: Sequence[float] | None = None,
) -> tuple[CitedWork, ...]:
    """Distinct works of the first ``limit`` of ``pool``, as many as drawn from ``size``, in
    the pool's order; weighted when ``cumulative_weights`` are given."""
    limit = len(pool) if limit is None else limit
    wanted = min(chooser.randint(*size), limit)
    if cumulative_weights is None:
        chosen = set(chooser.sample(range(limit), wanted))
    else:
        drawn: dict[int, None] = {}
        while len(drawn) < wanted:
            picks = chooser.choices(range(limit), cum_weights=cumulative_weights, k=wanted)
            drawn.update(dict.fromkeys(picks))
        chosen = set(list(drawn)[:wanted])
    return tuple(pool[index] for index in sorted(chosen))


def citation_of(record: GeneratedRecord) -> str:
    """How a reference list prints ``record``: ``Garcia AB, Chen J. Title. J. 2011;21:5.``"""
    names = ", ".join(f"{last} {initials}" for last, initials in record.authors[:3])
    more = ", et al" if len(record.authors) > 3 else ""
    return (
        f"{names}{more}. {record.title} {record.journal[0]}. {record.year};"
        f"{record.year - 1990}:{int(record.pmid) % 900 + 1}."
    )


def _record(
    chooser: random.Random,
    pmid: str,
    *,
    review: bool,
    cited: Sequence[CitedWork],
    sentences: int,
    in_field: bool = False,
) -> GeneratedRecord:
    words = chooser.sample(WORDS, 5)
    kind = "Review" if review else "Journal Article"
    title = f"{GENERATED_TITLE_MARK} {' '.join(words).capitalize()} ({kind.lower()} {pmid})."
    topics = ["Neoplasm Metastasis", "Immune System"] if in_field else chooser.sample(TOPICS[2:], 1)
    topics += [topic for topic in chooser.sample(TOPICS[2:], 2) if topic not in topics]
    headings = tuple(
        MeshHeading(
            descriptor=topic,
            major=number == 0,
            qualifiers=tuple(sorted(chooser.sample(QUALIFIERS, chooser.randint(0, 2)))),
        )
        for number, topic in enumerate(topics)
    )
    authors = tuple(
        (chooser.choice(SURNAMES), chooser.choice("ABCDEFGHJKLMNPRS") + chooser.choice("ABCJMR"))
        for _ in range(chooser.randint(1, 8))
    )
    year = chooser.randint(2005, 2024)
    abstract = " ".join(
        f"{' '.join(chooser.sample(WORDS, 8)).capitalize()}." for _ in range(sentences)
    )
    return GeneratedRecord(
        pmid=pmid,
        title=title,
        journal=chooser.choice(JOURNALS),
        year=year,
        publication_types=("Journal Article", "Review") if review else ("Journal Article",),
        authors=authors,
        mesh_headings=headings,
        references=tuple(cited),
        abstract=abstract,
    )


def revised(record: GeneratedRecord, *, title: str) -> GeneratedRecord:
    """The record as an update file revises it: a new title, the next version."""
    return replace(record, title=title, version=record.version + 1)


# --- XML ------------------------------------------------------------------------------------

XML_OPENING = (
    '<?xml version="1.0" ?>\n'
    '<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, 1st January 2025//EN" '
    '"https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_250101.dtd">\n'
    "<PubmedArticleSet>\n"
)
XML_CLOSING = "</PubmedArticleSet>\n"
PUBLICATION_TYPE_UIS: dict[str, str] = {"Journal Article": "D016428", "Review": "D016454"}


def record_xml(record: GeneratedRecord) -> str:
    """One ``<PubmedArticle>`` as PubMed writes it (the elements reviewbook and
    pubmed_parser read, in the DTD's order)."""
    medline_ta, journal_title = record.journal
    authors = "".join(
        f'<Author ValidYN="Y"><LastName>{escape(last)}</LastName>'
        f"<ForeName>{initials}</ForeName><Initials>{initials}</Initials></Author>"
        for last, initials in record.authors
    )
    types = "".join(
        f'<PublicationType UI="{PUBLICATION_TYPE_UIS[kind]}">{kind}</PublicationType>'
        for kind in record.publication_types
    )
    mesh = "".join(_mesh_xml(heading) for heading in record.mesh_headings)
    references = "".join(
        "<Reference>"
        f"<Citation>{escape(work.citation)}</Citation>" + _reference_ids(work) + "</Reference>"
        for work in record.references
    )
    doi = f"10.99999/generated.{record.pmid}"
    return (
        '<PubmedArticle><MedlineCitation Status="MEDLINE" Owner="NLM">'
        f'<PMID Version="{record.version}">{record.pmid}</PMID>'
        '<Article PubModel="Print"><Journal><ISSN IssnType="Electronic">0000-0000</ISSN>'
        f'<JournalIssue CitedMedium="Internet"><Volume>{record.year - 1990}</Volume>'
        f"<Issue>{int(record.pmid) % 12 + 1}</Issue>"
        f"<PubDate><Year>{record.year}</Year><Month>Jan</Month></PubDate></JournalIssue>"
        f"<Title>{escape(journal_title)}</Title><ISOAbbreviation>{escape(medline_ta)}"
        "</ISOAbbreviation></Journal>"
        f"<ArticleTitle>{escape(record.title)}</ArticleTitle>"
        f"<Pagination><MedlinePgn>{int(record.pmid) % 900 + 1}</MedlinePgn></Pagination>"
        f'<ELocationID EIdType="doi" ValidYN="Y">{doi}</ELocationID>'
        f"<Abstract><AbstractText>{escape(record.abstract)}</AbstractText></Abstract>"
        f'<AuthorList CompleteYN="Y">{authors}</AuthorList><Language>eng</Language>'
        f"<PublicationTypeList>{types}</PublicationTypeList></Article>"
        "<MedlineJournalInfo><Country>England</Country>"
        f"<MedlineTA>{escape(medline_ta)}</MedlineTA><NlmUniqueID>0</NlmUniqueID>"
        "</MedlineJournalInfo>"
        f"<MeshHeadingList>{mesh}</MeshHeadingList></MedlineCitation>"
        "<PubmedData><PublicationStatus>ppublish</PublicationStatus><ArticleIdList>"
        f'<ArticleId IdType="pubmed">{record.pmid}</ArticleId>'
        f'<ArticleId IdType="doi">{doi}</ArticleId></ArticleIdList>'
        f"<ReferenceList>{references}</ReferenceList></PubmedData></PubmedArticle>\n"
    )


def _reference_ids(work: CitedWork) -> str:
    ids = [("pubmed", work.pmid), ("doi", work.doi)]
    listed = "".join(
        f'<ArticleId IdType="{kind}">{escape(value)}</ArticleId>' for kind, value in ids if value
    )
    return f"<ArticleIdList>{listed}</ArticleIdList>" if listed else ""


def _mesh_xml(heading: MeshHeading) -> str:
    flag = "Y" if heading.major and not heading.qualifiers else "N"
    qualifiers = "".join(
        f'<QualifierName UI="Q0" MajorTopicYN="{"Y" if heading.major and number == 0 else "N"}">'
        f"{escape(qualifier)}</QualifierName>"
        for number, qualifier in enumerate(heading.qualifiers)
    )
    return (
        f'<MeshHeading><DescriptorName UI="D0" MajorTopicYN="{flag}">'
        f"{escape(heading.descriptor)}</DescriptorName>{qualifiers}</MeshHeading>"
    )


def pubmed_file_xml(records: Iterable[GeneratedRecord], *, deleted: Sequence[str] = ()) -> bytes:
    """A whole PubMed XML file: the records, then a ``<DeleteCitation>`` of ``deleted``."""
    deletion = (
        "<DeleteCitation>"
        + "".join(f'<PMID Version="1">{pmid}</PMID>' for pmid in deleted)
        + "</DeleteCitation>\n"
        if deleted
        else ""
    )
    body = "".join(record_xml(record) for record in records)
    return (XML_OPENING + body + deletion + XML_CLOSING).encode("utf-8")


def write_pubmed_file(
    path: Path, records: Iterable[GeneratedRecord], *, deleted: Sequence[str] = ()
) -> Path:
    """Write a PubMed XML file, gzip-compressed when its name ends in ``.gz`` (``mtime`` 0,
    so the same records give the same bytes)."""
    content = pubmed_file_xml(records, deleted=deleted)
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.name.endswith(".gz"):
        path.write_bytes(gzip.compress(content, compresslevel=6, mtime=0))
    else:
        path.write_bytes(content)
    return path


def write_baseline(
    folder: Path, records: Sequence[GeneratedRecord], *, files: int, year: int = 26
) -> list[Path]:
    """The records split into ``files`` baseline files, ``pubmed26n0001.xml.gz`` onwards."""
    size = -(-len(records) // files)
    return [
        write_pubmed_file(
            folder / f"pubmed{year:02d}n{number + 1:04d}.xml.gz",
            records[number * size : (number + 1) * size],
        )
        for number in range(files)
    ]


def works_cited_by(articles: Iterable[Article]) -> tuple[CitedWork, ...]:
    """The references of ``articles`` as works a generated review can cite: printed as their
    lists print them, with the PMID and DOI they carry (first printing of each line kept)."""
    works = {
        reference.raw: CitedWork(reference.raw, reference.pmid, reference.doi)
        for article in articles
        for reference in reversed(article.references)
    }
    return tuple(reversed(works.values()))
