"""Exporting claims as W3C Web Annotations (JSON-LD)."""

from __future__ import annotations

import pytest

from reviewbook.annotations.loading import load_annotations
from reviewbook.annotations.model import AnnotationsInvalid
from reviewbook.annotations.web_annotation import ANNOTATION_CONTEXT, to_web_annotations
from tests.annotations.conftest import ANNOTATIONS, EREZ, JANSSEN
from tests.conftest import EXAMPLES


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
