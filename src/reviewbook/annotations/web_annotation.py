"""Our claims and reference notes as W3C Web Annotations (JSON-LD).

One ``Annotation`` per claim and one per reference note (claims first, each in file order),
gathered in an ``AnnotationCollection`` whose one ``AnnotationPage`` holds them all; the page
embeds the collection it is part of (``partOf``), as the W3C test suite reads it.

**A claim** (``motivation: describing``) targets the review's page: PubMed, or the full text in
PMC for a quote of a full text's body. Its bodies are our statement (``describing``), one
``tagging`` body per cell type, step and role (``cell: macrophage``, ``step: dormancy``,
``role: promotes``) and one link per cited reference with a DOI or PubMed address.

**A reference note** (``motivation: commenting``, or ``tagging`` for tags alone) targets the
entry of the review's reference list it is about, quoted whole (`Reference.raw`, the line as
printed) on the page the list was read from (the full text in PMC for a review read in full,
else its PubMed page). Its bodies are the note (``commenting``), one ``tagging`` body per tag
as written, and a link to the cited work when its DOI or PMID is known.

**Selectors.** Each target carries two selectors of the same passage: a
``TextQuoteSelector`` (the quote, with up to `QUOTE_CONTEXT` characters of ``prefix`` and
``suffix``, as the Hypothesis client records them) and a ``TextPositionSelector``. Both are
measured in *the text the quote is anchored in*: for a claim, the text of the part its
``location`` names, as `anchoring.text_parts` gives it (the title, the abstract, a figure's
title and caption, a section...); for a reference note, the reference list as text, each
entry's printed line in order, joined by line breaks (`reference_list_text`). Positions are
therefore offsets into that part, not into the whole HTML page: a client anchors by the
quote and takes the position as a hint.

**Links** to cited works are ``SpecificResource`` bodies (``source`` the DOI or PubMed
address, ``purpose: linking``): the model allows a purpose on a specific resource, never on a
bare external resource (assertion 3.3.5).

**Provenance.** ``created`` and ``modified`` are the stamps saved with each claim and note
(`store.stamped`); an entry without stamps exports none, never the time of the export, so the
same files always export the same bytes. ``creator`` is the file's ``creator:`` (an Agent)
when it names one; ``generator`` is reviewbook itself (`reviewbook_agent`). Identifiers are
``urn:uuid:`` names derived from the page address and the claim id or reference number, so an
entry always exports with the same id.
"""

from __future__ import annotations

import functools
import importlib.metadata
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from reviewbook.annotations.anchoring import locate_quote, page_parts, text_parts
from reviewbook.annotations.model import (
    Agent,
    Annotations,
    AnnotationsInvalid,
    Claim,
    ReferenceNote,
)
from reviewbook.annotations.validation import validate_annotations
from reviewbook.model import Article, Reference, doi_url, pmc_url, pubmed_url

ANNOTATION_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
LANGUAGE = "en"
QUOTE_CONTEXT = 32
"""Characters of ``prefix`` and ``suffix`` a quote selector carries (as many as Hypothesis)."""
PACKAGE = "reviewbook"
HOMEPAGE_LABELS: tuple[str, ...] = ("homepage", "source", "repository")
"""``Project-URL`` labels of the installed package taken as its homepage, in this order."""


def stable_id(*parts: str) -> str:
    """A ``urn:uuid:`` IRI that depends only on ``parts``."""
    return uuid.uuid5(uuid.NAMESPACE_URL, "#".join(parts)).urn


@dataclass(frozen=True, slots=True)
class Anchored:
    """Where an exported quote sits: the page it is on, the text it is measured in, and its
    start and end offsets in that text."""

    source: str
    text: str
    start: int
    end: int

    @property
    def exact(self) -> str:
        return self.text[self.start : self.end]

    @property
    def prefix(self) -> str:
        return self.text[max(0, self.start - QUOTE_CONTEXT) : self.start]

    @property
    def suffix(self) -> str:
        return self.text[self.end : self.end + QUOTE_CONTEXT]

    def selectors(self) -> list[dict[str, Any]]:
        """A ``TextQuoteSelector`` and a ``TextPositionSelector`` of the same passage."""
        return [
            {
                "type": "TextQuoteSelector",
                "exact": self.exact,
                "prefix": self.prefix,
                "suffix": self.suffix,
            },
            {"type": "TextPositionSelector", "start": self.start, "end": self.end},
        ]


def claim_anchor(claim: Claim, article: Article) -> Anchored:
    """Where a claim's quote (which must anchor: `validate_annotations`) sits."""
    anchor = locate_quote(article, claim.quote)
    in_body = anchor.location not in page_parts(article)
    source = pmc_url(article.pmcid) if in_body else None
    return Anchored(
        source=source or review_page(article),
        text=text_parts(article)[anchor.location],
        start=anchor.start,
        end=anchor.end,
    )


@dataclass(frozen=True, slots=True)
class ReferenceList:
    """A review's reference list as reference notes are anchored in it: the page it was read
    from, its text (`reference_list_text`), and each entry's span and cited work's address."""

    source: str
    text: str
    spans: Mapping[int, tuple[int, int]]
    links: Mapping[int, str | None]

    @classmethod
    def of(cls, article: Article) -> ReferenceList:
        source = pmc_url(article.pmcid) if article.body is not None else None
        spans: dict[int, tuple[int, int]] = {}
        start = 0
        for reference in article.references:
            spans.setdefault(reference.index, (start, start + len(reference.raw)))
            start += len(reference.raw) + 1
        links = {index: cited_link(entry) for index, entry in entries_by_number(article).items()}
        text = reference_list_text(article)
        return cls(source or review_page(article), text, spans, links)

    def anchor(self, index: int) -> Anchored:
        """Where entry ``index`` sits; `LookupError` if the list has no such entry."""
        if index not in self.spans:
            raise LookupError(f"reference {index} is not in the review's reference list")
        start, end = self.spans[index]
        return Anchored(self.source, self.text, start, end)


def entries_by_number(article: Article) -> dict[int, Reference]:
    """The reference list's entries by number; where a number repeats, its first entry (as
    a note on that number is anchored)."""
    entries: dict[int, Reference] = {}
    for reference in article.references:
        entries.setdefault(reference.index, reference)
    return entries


def reference_list_text(article: Article) -> str:
    """The review's reference list as text: each entry's printed line, in order, one a line."""
    return "\n".join(reference.raw for reference in article.references)


def review_page(article: Article) -> str:
    """The review's PubMed page."""
    page = pubmed_url(article.pmid)
    if page is None:
        raise ValueError("a review without a PMID has no page to anchor annotations on")
    return page


def cited_link(reference: Reference | None) -> str | None:
    """The address of a cited work: its DOI, else its PubMed page; None if neither is known."""
    if reference is None:
        return None
    return doi_url(reference.doi) or pubmed_url(reference.pmid)


def claim_tags(claim: Claim) -> list[str]:
    """A claim's terms as tags: ``cell: ...``, ``step: ...``, then ``role: ...``."""
    tags = [f"cell: {cell}" for cell in claim.cells] + [f"step: {step}" for step in claim.steps]
    return [*tags, f"role: {claim.role}"] if claim.role else tags


def claim_links(claim: Claim, article: Article) -> list[str]:
    """The addresses of the works a claim's passage cites, in ``refs`` order, each once."""
    entries = entries_by_number(article)
    links = [cited_link(entries.get(index)) for index in claim.refs]
    return list(dict.fromkeys(link for link in links if link))


@functools.cache
def reviewbook_agent() -> dict[str, Any]:
    """reviewbook as the W3C ``generator``: a ``Software`` agent named with its version, and
    its homepage when the installed package's metadata names one (`HOMEPAGE_LABELS`)."""
    try:
        metadata = importlib.metadata.metadata(PACKAGE)
    except importlib.metadata.PackageNotFoundError:  # run from a source tree, not installed
        return software_agent(None, None)
    urls: dict[str, str] = {}
    for entry in metadata.get_all("Project-URL") or ():
        label, _, url = entry.partition(",")
        urls.setdefault(label.strip().lower(), url.strip())
    homepage = next((urls[label] for label in HOMEPAGE_LABELS if label in urls), None)
    return software_agent(metadata["Version"], homepage)


def software_agent(version: str | None, homepage: str | None) -> dict[str, Any]:
    """reviewbook at ``version`` as a ``Software`` agent (with ``homepage`` if given)."""
    agent: dict[str, Any] = {
        "id": stable_id(PACKAGE, "software"),
        "type": "Software",
        "name": f"{PACKAGE} {version}" if version else PACKAGE,
    }
    if homepage:
        agent["homepage"] = homepage
    return agent


def creator_agent(creator: Agent) -> dict[str, Any]:
    """The file's creator as a W3C Agent; its id is derived from its type and name."""
    agent: dict[str, Any] = {
        "id": stable_id("agent", creator.type, creator.name),
        "type": creator.type,
        "name": creator.name,
    }
    if creator.homepage:
        agent["homepage"] = creator.homepage
    return agent


def to_web_annotations(
    annotations: Annotations, article: Article, *, generator: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """The claims and reference notes as a JSON-LD ``AnnotationCollection``.

    Raises `AnnotationsInvalid` if anything fails validation against ``article``, since an
    unanchored quote would export a selector that points nowhere. ``generator`` defaults to
    `reviewbook_agent`.
    """
    errors = validate_annotations(annotations, article)
    if errors:
        raise AnnotationsInvalid(errors)
    source = review_page(article)
    provenance = _provenance(annotations, generator or reviewbook_agent())
    items = [claim_annotation(claim, article, provenance) for claim in annotations.claims]
    references = ReferenceList.of(article)
    items += [
        note_annotation(note, references, source, provenance) for note in annotations.references
    ]
    collection_id = stable_id(source, "annotations")
    label = f"reviewbook annotations of: {article.title}"
    return {
        "@context": ANNOTATION_CONTEXT,
        "id": collection_id,
        "type": "AnnotationCollection",
        "label": label,
        "total": len(items),
        "first": {
            "id": stable_id(source, "annotations", "page-1"),
            "type": "AnnotationPage",
            "partOf": {"id": collection_id, "label": label, "total": len(items)},
            "startIndex": 0,
            "items": items,
        },
    }


def _provenance(annotations: Annotations, generator: Mapping[str, Any]) -> dict[str, Any]:
    """What every item of one file carries: its creator (if known) and the generator."""
    provenance: dict[str, Any] = {}
    if annotations.creator is not None:
        provenance["creator"] = creator_agent(annotations.creator)
    provenance["generator"] = dict(generator)
    return provenance


def claim_annotation(
    claim: Claim, article: Article, provenance: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """One claim as an ``Annotation`` (see the module's description)."""
    bodies: list[dict[str, Any]] = [_text_body(claim.statement, "describing")]
    bodies += [_tag_body(tag) for tag in claim_tags(claim)]
    bodies += [link_body(link) for link in claim_links(claim, article)]
    return _annotation(
        stable_id(review_page(article), claim.id),
        "describing",
        (claim.created, claim.modified),
        provenance,
        bodies,
        claim_anchor(claim, article),
    )


def note_annotation(
    note: ReferenceNote,
    references: ReferenceList,
    page: str,
    provenance: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """One reference note as an ``Annotation`` (see the module's description); ``page`` is
    the review's PubMed page, which its id is derived from."""
    bodies = [_text_body(note.note, "commenting")] if note.note else []
    bodies += [_tag_body(tag) for tag in note.tags]
    link = references.links.get(note.index)
    if link:
        bodies.append(link_body(link))
    return _annotation(
        stable_id(page, "reference", str(note.index)),
        "commenting" if note.note else "tagging",
        (note.created, note.modified),
        provenance,
        bodies,
        references.anchor(note.index),
    )


def _annotation(
    annotation_id: str,
    motivation: str,
    stamps: tuple[str | None, str | None],
    provenance: Mapping[str, Any] | None,
    bodies: Sequence[dict[str, Any]],
    anchored: Anchored,
) -> dict[str, Any]:
    created, modified = stamps
    annotation: dict[str, Any] = {
        "@context": ANNOTATION_CONTEXT,
        "id": annotation_id,
        "type": "Annotation",
        "motivation": motivation,
    }
    if created:
        annotation["created"] = created
    if modified:
        annotation["modified"] = modified
    annotation.update(provenance or {})
    annotation["body"] = list(bodies)
    annotation["target"] = {"source": anchored.source, "selector": anchored.selectors()}
    return annotation


def _text_body(text: str, purpose: str) -> dict[str, str]:
    return {
        "type": "TextualBody",
        "value": text,
        "format": "text/plain",
        "language": LANGUAGE,
        "purpose": purpose,
    }


def _tag_body(tag: str) -> dict[str, str]:
    return {"type": "TextualBody", "value": tag, "purpose": "tagging"}


def link_body(address: str) -> dict[str, str]:
    """A link to a cited work: a ``SpecificResource`` whose purpose is ``linking``."""
    return {"type": "SpecificResource", "source": address, "purpose": "linking"}
