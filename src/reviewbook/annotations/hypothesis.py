"""Our claims and reference notes in the form Hypothesis takes: its API's annotations, in the
file its client imports.

Each item is the body of a create-annotation request of the h API (``POST /api/annotations``;
the h project's ``AnnotationSchema`` and ``CreateAnnotationSchema`` in ``h/schemas/annotation.py``
and its API reference, ``annotation-create.yaml``):

- ``uri`` and the one ``target``'s ``source``: the page the quote is on, as in the W3C export
  (`web_annotation`): the review's PubMed page, or its full text in PMC;
- ``target[0].selector``: the same two selectors as the W3C export, a ``TextQuoteSelector``
  with 32 characters of context each side and a ``TextPositionSelector``;
- ``text``: a claim's statement, or a reference note's note (Markdown to Hypothesis), then a
  line ``Cites: <address>, ...`` naming the cited works, since Hypothesis has no link bodies;
- ``tags``: a claim's ``cell: ...``, ``step: ...``, ``role: ...``, or a note's tags;
- ``document``: the review's title, its DOI and the page's address;
- ``group`` (`PUBLIC_GROUP` unless another is given) and ``permissions`` (read by that group).

h fills in the user and the times itself; the creator and stamps of our files do not travel.
The items are gathered as the client's export file (``export_date``, ``export_userid``,
``client_version``, ``annotations``): the file Hypothesis' *Import* reads, which posts each
item through the API. ``export_date`` is the latest stamp of any item (never the time of the
export, so the same files export the same bytes), or empty when none has one.
"""

from __future__ import annotations

from typing import Any

from reviewbook.annotations.model import (
    Annotations,
    AnnotationsInvalid,
    Claim,
    ReferenceNote,
    stamp_instant,
)
from reviewbook.annotations.validation import validate_annotations
from reviewbook.annotations.web_annotation import (
    Anchored,
    ReferenceList,
    claim_anchor,
    claim_links,
    claim_tags,
    review_page,
    reviewbook_agent,
)
from reviewbook.model import Article, doi_url

PUBLIC_GROUP = "__world__"
"""Hypothesis' public group, where an annotation is posted unless a group is named."""


def to_hypothesis(
    annotations: Annotations, article: Article, *, group: str = PUBLIC_GROUP
) -> dict[str, Any]:
    """The claims and reference notes as a Hypothesis export file; invalid annotations raise
    `AnnotationsInvalid` (a quote that does not anchor would point nowhere)."""
    errors = validate_annotations(annotations, article)
    if errors:
        raise AnnotationsInvalid(errors)
    items = [claim_item(claim, article, group) for claim in annotations.claims]
    references = ReferenceList.of(article)
    items += [note_item(note, references, article, group) for note in annotations.references]
    stamps = [
        stamp
        for entry in (*annotations.claims, *annotations.references)
        for stamp in (entry.created, entry.modified)
        if stamp
    ]
    return {
        "export_date": max(stamps, key=stamp_instant, default=""),
        "export_userid": "",
        "client_version": reviewbook_agent()["name"],
        "annotations": items,
    }


def claim_item(claim: Claim, article: Article, group: str = PUBLIC_GROUP) -> dict[str, Any]:
    """One claim as a create-annotation request."""
    text = _with_links(claim.statement, claim_links(claim, article))
    return _item(claim_anchor(claim, article), article, text, claim_tags(claim), group)


def note_item(
    note: ReferenceNote, references: ReferenceList, article: Article, group: str = PUBLIC_GROUP
) -> dict[str, Any]:
    """One reference note as a create-annotation request."""
    link = references.links.get(note.index)
    text = _with_links(note.note or "", [link] if link else [])
    return _item(references.anchor(note.index), article, text, list(note.tags), group)


def _with_links(text: str, links: list[str]) -> str:
    """``text``, then a line naming the cited works' addresses."""
    if not links:
        return text
    cites = "Cites: " + ", ".join(links)
    return f"{text}\n\n{cites}" if text else cites


def _item(
    anchored: Anchored, article: Article, text: str, tags: list[str], group: str
) -> dict[str, Any]:
    return {
        "uri": anchored.source,
        "document": _document(article, anchored.source),
        "text": text,
        "tags": tags,
        "target": [{"source": anchored.source, "selector": anchored.selectors()}],
        "group": group,
        "permissions": {"read": [f"group:{group}"]},
    }


def _document(article: Article, address: str) -> dict[str, Any]:
    """What Hypothesis keeps about the annotated document: title, DOI, addresses."""
    links = list(dict.fromkeys((address, review_page(article))))
    document: dict[str, Any] = {
        "title": [article.title],
        "link": [{"href": link} for link in links],
    }
    if article.doi:
        document["highwire"] = {"doi": [article.doi]}
        document["dc"] = {"identifier": [doi_url(article.doi)]}
    return document
