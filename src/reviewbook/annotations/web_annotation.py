"""Our claims as W3C Web Annotations (JSON-LD), each anchored to the review's PubMed page.

One ``Annotation`` per claim, gathered in an ``AnnotationCollection`` whose first (and only)
``AnnotationPage`` holds them all. Each annotation's target is the PubMed page with a
``TextQuoteSelector``; its bodies are our statement (``describing``), one ``tagging`` body per
cell type, step and role (``cell: macrophage``, ``step: dormancy``, ``role: promotes``) and
one ``linking`` body per cited reference that has a DOI or PubMed address.

Identifiers are ``urn:uuid:`` names derived from the page address and the claim id, so the
same claim always exports with the same id.
"""

from __future__ import annotations

import uuid
from typing import Any

from reviewbook.annotations.anchoring import page_parts, text_parts
from reviewbook.annotations.model import Annotations, AnnotationsInvalid, Claim
from reviewbook.annotations.validation import validate_annotations
from reviewbook.model import Article, doi_url, pmc_url, pubmed_url

ANNOTATION_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
LANGUAGE = "en"


def stable_id(*parts: str) -> str:
    """A ``urn:uuid:`` IRI that depends only on ``parts``."""
    return uuid.uuid5(uuid.NAMESPACE_URL, "#".join(parts)).urn


def to_web_annotations(annotations: Annotations, article: Article) -> dict[str, Any]:
    """The annotations as a JSON-LD ``AnnotationCollection``; invalid annotations raise.

    Raises `AnnotationsInvalid` if any claim fails validation against ``article``, since an
    unanchored quote would export a selector that points nowhere.
    """
    errors = validate_annotations(annotations, article)
    if errors:
        raise AnnotationsInvalid(errors)
    source = pubmed_url(annotations.pmid)
    assert source is not None  # annotations always carry a pmid
    in_body = text_parts(article).keys() - page_parts(article).keys()
    full_text = pmc_url(article.pmcid)
    items = [
        claim_annotation(
            claim, source, article, target=full_text if claim.location in in_body else None
        )
        for claim in annotations.claims
    ]
    collection_id = stable_id(source, "annotations")
    return {
        "@context": ANNOTATION_CONTEXT,
        "id": collection_id,
        "type": "AnnotationCollection",
        "label": f"reviewbook claims on: {article.title}",
        "total": len(items),
        "first": {
            "id": stable_id(source, "annotations", "page-1"),
            "type": "AnnotationPage",
            "partOf": collection_id,
            "startIndex": 0,
            "items": items,
        },
    }


def claim_annotation(
    claim: Claim, source: str, article: Article, *, target: str | None = None
) -> dict[str, Any]:
    """One claim as an ``Annotation`` on ``source`` (the review's PubMed page), targeting
    ``target`` instead when given (the full text in PMC, for a quote of the body)."""
    selector: dict[str, str] = {"type": "TextQuoteSelector", "exact": claim.quote.exact}
    if claim.quote.prefix:
        selector["prefix"] = claim.quote.prefix
    if claim.quote.suffix:
        selector["suffix"] = claim.quote.suffix
    return {
        "id": stable_id(source, claim.id),
        "type": "Annotation",
        "motivation": "describing",
        "body": _bodies(claim, article),
        "target": {"source": target or source, "selector": selector},
    }


def _bodies(claim: Claim, article: Article) -> list[dict[str, str]]:
    """The statement, then tags for cells, steps and role, then links to cited references."""
    bodies: list[dict[str, str]] = [
        {
            "type": "TextualBody",
            "value": claim.statement,
            "format": "text/plain",
            "language": LANGUAGE,
            "purpose": "describing",
        }
    ]
    tags = [f"cell: {cell}" for cell in claim.cells] + [f"step: {step}" for step in claim.steps]
    if claim.role:
        tags.append(f"role: {claim.role}")
    bodies += [{"type": "TextualBody", "value": tag, "purpose": "tagging"} for tag in tags]
    references = {reference.index: reference for reference in article.references}
    for index in claim.refs:
        reference = references.get(index)
        link = reference and (doi_url(reference.doi) or pubmed_url(reference.pmid))
        if link:
            bodies.append({"id": link, "purpose": "linking"})
    return bodies
