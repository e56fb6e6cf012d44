"""Exporting claims as W3C Web Annotations (JSON-LD)."""

from __future__ import annotations

import dataclasses

import pytest

from reviewbook import read_article
from reviewbook.annotations.anchoring import Quote
from reviewbook.annotations.loading import load_annotations
from reviewbook.annotations.model import Annotations, AnnotationsInvalid, Claim
from reviewbook.annotations.validation import validate_annotations
from reviewbook.annotations.web_annotation import ANNOTATION_CONTEXT, to_web_annotations
from tests.annotations.conftest import ANNOTATIONS, EREZ, JANSSEN
from tests.conftest import EXAMPLES
from tests.sources.test_jats import FULLTEXT


def test_export_is_a_web_annotation_collection_with_required_fields() -> None:
    annotations = load_annotations(ANNOTATIONS / "21387299.yaml")
    document = to_web_annotations(annotations, EREZ)
    assert document["@context"] == ANNOTATION_CONTEXT
    assert document["type"] == "AnnotationCollection"
    assert document["id"].startswith("urn:uuid:")
    assert document["total"] == len(annotations.claims)
    page = document["first"]
    assert page["type"] == "AnnotationPage"
    assert page["partOf"] == document["id"]
    items = page["items"]
    assert len({item["id"] for item in items}) == len(items)
    for item, claim in zip(items, annotations.claims, strict=True):
        assert {"id", "type", "target"} <= set(item)
        assert item["type"] == "Annotation"
        assert item["id"].startswith("urn:uuid:")
        assert item["target"]["source"] == "https://pubmed.ncbi.nlm.nih.gov/21387299/"
        selector = item["target"]["selector"]
        assert selector["type"] == "TextQuoteSelector"
        assert selector["exact"] == claim.quote.exact
        describing, *tags = item["body"]
        assert describing == {
            "type": "TextualBody",
            "value": claim.statement,
            "format": "text/plain",
            "language": "en",
            "purpose": "describing",
        }
        assert all(tag["type"] == "TextualBody" and tag["purpose"] == "tagging" for tag in tags)
    ctc = items[[claim.id for claim in annotations.claims].index("erez-figure-ctc-survival")]
    assert [tag["value"] for tag in ctc["body"][1:]] == [
        "cell: platelet",
        "cell: neutrophil",
        "step: survival in circulation",
        "role: promotes",
    ]


def test_export_keeps_prefix_and_suffix_and_links_cited_references() -> None:
    annotations = load_annotations(EXAMPLES / "valid_with_comments.yaml")
    item = to_web_annotations(annotations, JANSSEN)["first"]["items"][1]
    assert item["target"]["selector"] == {
        "type": "TextQuoteSelector",
        "exact": "the primary tumor",
        "prefix": "sufficient to destroy ",
    }
    assert item["body"][-1] == {
        "id": "https://doi.org/10.1016/j.cell.2011.02.013",
        "purpose": "linking",
    }


def test_export_ids_are_stable() -> None:
    annotations = load_annotations(EXAMPLES / "valid_with_comments.yaml")
    assert to_web_annotations(annotations, JANSSEN) == to_web_annotations(annotations, JANSSEN)


def test_export_refuses_annotations_that_do_not_anchor() -> None:
    annotations = load_annotations(EXAMPLES / "ambiguous_quote.yaml")
    with pytest.raises(AnnotationsInvalid, match="add a prefix or suffix"):
        to_web_annotations(annotations, JANSSEN)


def test_a_claim_on_the_body_of_a_full_text_anchors_there_and_targets_the_full_text() -> None:
    """A full text's sections, boxes and tables are parts a claim may quote; its export
    targets the review in PMC, while a claim on the title still targets PubMed."""
    review = read_article(FULLTEXT / "PMC12599256.nxml")
    body_claim = Claim(
        id="pdl1-hard-target",
        statement="Few small molecules bind PD-L1, so it is hard to degrade with PROTACs.",
        quote=Quote(exact="PD-L1 is a challenging target for PROTACs"),
        location="section:Overcoming tumor immune suppression › PD-L1-PROTACs",
        refs=(38,),
    )
    title_claim = Claim(
        id="title", statement="A minireview.", quote=Quote(exact="a minireview"), location="title"
    )
    annotations = Annotations(pmid="41032705", claims=(body_claim, title_claim))
    assert validate_annotations(annotations, review) == []
    items = to_web_annotations(annotations, review)["first"]["items"]
    assert [item["target"]["source"] for item in items] == [
        "https://pmc.ncbi.nlm.nih.gov/articles/PMC12599256/",
        "https://pubmed.ncbi.nlm.nih.gov/41032705/",
    ]
    misplaced = dataclasses.replace(body_claim, location="box:Perspectives")
    [error] = validate_annotations(Annotations(pmid="41032705", claims=(misplaced,)), review)
    assert error.message == (
        "the quote is in section:Overcoming tumor immune suppression › PD-L1-PROTACs, "
        "not box:Perspectives"
    )
