"""Exporting claims and reference notes as W3C Web Annotations (JSON-LD).

The W3C Working Group's own assertions (JSON Schema draft 4, ``w3c/web-annotation-tests``) judge
the seeds' exports: every MUST test, and the optional tests of what we claim to implement
(lifecycle stamps, creator and generator agents, quote context, positions, links). The suite is
read from ``W3C_TESTS`` (``../shared/w3c-annotation-tests`` beside the checkout, or the folder
``REVIEWBOOK_W3C_TESTS`` names); those tests are skipped where it is absent, but not in CI.
"""

from __future__ import annotations

import dataclasses
import importlib.metadata
import json
import os
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

from reviewbook import read_article
from reviewbook.annotations.anchoring import Quote, text_parts
from reviewbook.annotations.loading import load_annotations
from reviewbook.annotations.model import (
    Agent,
    Annotations,
    AnnotationsInvalid,
    Claim,
    ReferenceNote,
)
from reviewbook.annotations.validation import validate_annotations
from reviewbook.annotations.web_annotation import (
    ANNOTATION_CONTEXT,
    ReferenceList,
    cited_link,
    claim_links,
    reference_list_text,
    reviewbook_agent,
    software_agent,
    to_web_annotations,
)
from tests.annotations.conftest import ANNOTATIONS, EREZ, JANSSEN, PAGES
from tests.conftest import EXAMPLES, ROOT
from tests.sources.test_jats import FULLTEXT

W3C_TESTS = Path(
    os.environ.get("REVIEWBOOK_W3C_TESTS", ROOT.parent / "shared" / "w3c-annotation-tests")
)
needs_w3c_tests = pytest.mark.skipif(
    not (W3C_TESTS / "definitions").is_dir() and os.environ.get("CI") != "true",
    reason=f"the W3C test suite is not at {W3C_TESTS}",
)
"""Skips where the suite is absent, except in CI (``CI=true``), where ``../shared`` is beside the
checkout and a missing suite fails the tests that need it."""
OPTIONAL_ASSERTIONS_MET: tuple[str, ...] = (
    "annotations/3.3.1-annotationCreatedImplemented.json",
    "annotations/3.3.1-annotationModifiedImplemented.json",
    "annotations/3.3.1-annotationCreatorImplemented.json",
    "annotations/3.3.1-annotationSingleCreatorImplemented.json",
    "annotations/3.3.2-annotationCreatorAgentIdImplemented.json",
    "annotations/3.3.2-annotationCreatorAgentTypeImplemented.json",
    "annotations/3.3.2-annotationCreatorAgentNameImplemented.json",
    "annotations/3.3.2-annotationCreatorAgentSingleNameImplemented.json",
    "annotations/3.3.1-annotationGeneratorImplemented.json",
    "annotations/3.3.2-annotationGeneratorAgentIdImplemented.json",
    "annotations/3.3.2-annotationGeneratorAgentTypeImplemented.json",
    "annotations/3.3.2-annotationGeneratorAgentNameImplemented.json",
    "annotations/3.3.2-annotationGeneratorAgentSingleNameImplemented.json",
    "annotations/3.3.5-annotationMotivationImplemented.json",
    "annotations/3.3.5-annotationSingleMotivationImplemented.json",
    "annotations/3.1-bodyKeyFound.json",
    "annotations/bodiesTargets/3.3.5-bodyPurpose.json",
    "annotations/specificResource/4.2-selectorFound.json",
    "annotations/specificResource/4.2.4-textQuoteSelector.json",
    "annotations/specificResource/4.2.4-prefix.json",
    "annotations/specificResource/4.2.4-suffix.json",
    "annotations/specificResource/4.2.5-textPositionSelector.json",
)
"""The optional assertions (lifecycle, agents, motivation, selectors) every item must meet.
Not claimed: an agent's nickname, email and homepage (our files name none), and a homepage
for the generator, which the installed package's metadata may not give."""
SEED_COUNTS = {"21387299": (12, 5), "29037250": (7, 5)}
"""(claims, reference notes) in each seed's annotation file."""


def seed_export(pmid: str) -> dict[str, Any]:
    return to_web_annotations(load_annotations(ANNOTATIONS / f"{pmid}.yaml"), PAGES[pmid])


def seed_items() -> list[dict[str, Any]]:
    return [item for pmid in sorted(PAGES) for item in seed_export(pmid)["first"]["items"]]


# --- the W3C test suite -------------------------------------------------------------------------


def _registry() -> Registry:
    """Every schema of the suite under its own file name, as its relative ``$ref``s name it."""
    return Registry().with_resources(
        (path.name, Resource(json.loads(path.read_text(encoding="utf-8")), DRAFT4))
        for path in W3C_TESTS.rglob("*.json")
    )


def failed_assertions(instance: object, assertions: tuple[str, ...] | list[str]) -> list[str]:
    """The suite's assertions (paths under `W3C_TESTS`) that ``instance`` fails, formats
    (``date-time``, ``uri``) checked."""
    registry = _registry()
    failed = []
    for name in assertions:
        schema = json.loads((W3C_TESTS / name).read_text(encoding="utf-8"))
        checker = jsonschema.Draft4Validator.FORMAT_CHECKER
        validator = jsonschema.Draft4Validator(schema, registry=registry, format_checker=checker)
        if not validator.is_valid(instance):
            failed.append(name)
    return failed


def must_assertions(test: str) -> list[str]:
    """The assertions a ``.test`` file of the suite lists, each checked to be a MUST."""
    names = json.loads((W3C_TESTS / test).read_text(encoding="utf-8"))["assertions"]
    for name in names:
        assert json.loads((W3C_TESTS / name).read_text())["assertionType"] == "must", name
    return names


@needs_w3c_tests
def test_every_seed_annotation_passes_every_must_test_of_the_w3c_suite() -> None:
    musts = must_assertions("annotations/annotationMusts.test")
    assert len(musts) == 54
    items = seed_items()
    assert len(items) == 29
    assert {item["id"]: failed_assertions(item, musts) for item in items} == {
        item["id"]: [] for item in items
    }


@needs_w3c_tests
def test_every_seed_annotation_has_stamps_agents_and_selectors_the_suite_recognises() -> None:
    items = seed_items()
    assert {item["id"]: failed_assertions(item, OPTIONAL_ASSERTIONS_MET) for item in items} == {
        item["id"]: [] for item in items
    }


@needs_w3c_tests
@pytest.mark.parametrize("pmid", sorted(PAGES))
def test_the_collection_and_its_page_pass_the_w3c_must_tests(pmid: str) -> None:
    document = seed_export(pmid)
    page = {"@context": ANNOTATION_CONTEXT, **document["first"]}
    assert failed_assertions(document, must_assertions("collections/collectionMusts.test")) == []
    assert failed_assertions(page, must_assertions("collections/pages/pageMusts.test")) == []


@needs_w3c_tests
def test_links_to_cited_works_are_specific_resources_that_pass_assertion_3_3_5() -> None:
    annotations = load_annotations(EXAMPLES / "valid_with_comments.yaml")
    item = to_web_annotations(annotations, JANSSEN)["first"]["items"][1]
    assert item["body"][-1] == {
        "type": "SpecificResource",
        "source": "https://doi.org/10.1016/j.cell.2011.02.013",
        "purpose": "linking",
    }
    linking = [
        "annotations/bodiesTargets/3.3.5-bodyEWRNoPurpose.json",
        "annotations/bodiesTargets/4-bodySpecificResource.json",
        "annotations/bodiesTargets/4-bodySpecificResourceNoValue.json",
    ]
    assert failed_assertions(item, linking) == []
    bare_link = {**item, "body": [{"id": item["body"][-1]["source"], "purpose": "linking"}]}
    assert failed_assertions(bare_link, linking[:1]) == linking[:1]


# --- what the export holds ---------------------------------------------------------------------


def test_the_seed_exports_hold_every_claim_and_every_reference_note() -> None:
    for pmid, (claims, notes) in SEED_COUNTS.items():
        annotations = load_annotations(ANNOTATIONS / f"{pmid}.yaml")
        assert (len(annotations.claims), len(annotations.references)) == (claims, notes)
        document = seed_export(pmid)
        assert document["total"] == claims + notes
        assert document["first"]["partOf"]["total"] == claims + notes
        motivations = [item["motivation"] for item in document["first"]["items"]]
        assert motivations == ["describing"] * claims + ["commenting"] * notes
    assert sum(claims + notes for claims, notes in SEED_COUNTS.values()) == 29


def test_export_is_a_web_annotation_collection_with_required_fields() -> None:
    annotations = load_annotations(ANNOTATIONS / "21387299.yaml")
    document = to_web_annotations(annotations, EREZ)
    assert document["@context"] == ANNOTATION_CONTEXT
    assert document["type"] == "AnnotationCollection"
    assert document["id"].startswith("urn:uuid:")
    page = document["first"]
    assert page["type"] == "AnnotationPage"
    assert page["partOf"]["id"] == document["id"]
    items = page["items"]
    assert len({item["id"] for item in items}) == len(items) == 17
    for item, claim in zip(items, annotations.claims, strict=False):
        assert item["@context"] == ANNOTATION_CONTEXT
        assert item["type"] == "Annotation"
        assert item["target"]["source"] == "https://pubmed.ncbi.nlm.nih.gov/21387299/"
        assert item["target"]["selector"][0]["exact"] == claim.quote.exact
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


def test_each_quote_has_the_text_around_it_as_prefix_and_suffix_and_its_position() -> None:
    for pmid, article in PAGES.items():
        annotations = load_annotations(ANNOTATIONS / f"{pmid}.yaml")
        items = seed_export(pmid)["first"]["items"]
        parts = text_parts(article)
        texts = [parts[claim.location] for claim in annotations.claims]
        texts += [reference_list_text(article)] * len(annotations.references)
        for item, text in zip(items, texts, strict=True):
            quote, position = item["target"]["selector"]
            start, end = position["start"], position["end"]
            assert position["type"] == "TextPositionSelector"
            assert text[start:end] == quote["exact"]
            assert quote["prefix"] == text[max(0, start - 32) : start]
            assert quote["suffix"] == text[end : end + 32]


def test_a_quote_in_the_abstract_carries_32_characters_each_side() -> None:
    item = seed_export("29037250")["first"]["items"][4]  # janssen-concomitant-immunity
    assert item["target"]["selector"] == [
        {
            "type": "TextQuoteSelector",
            "exact": (
                "This phenomenon, called concomitant immunity, indicates that the primary "
                "tumor induces an immune response, which may not be sufficient to destroy "
                "the primary tumor, but prevents the growth of a secondary tumor or metastases."
            ),
            "prefix": "e immune system and metastasis. ",
            "suffix": " Since that time, many different",
        },
        {"type": "TextPositionSelector", "start": 353, "end": 577},
    ]


def test_a_reference_note_targets_its_entry_in_the_reference_list() -> None:
    item = seed_export("29037250")["first"]["items"][8]  # the note on reference 2
    assert item["motivation"] == "commenting"
    assert item["target"] == {
        "source": "https://pubmed.ncbi.nlm.nih.gov/29037250/",
        "selector": [
            {
                "type": "TextQuoteSelector",
                "exact": JANSSEN.references[1].raw,
                "prefix": "er. 2005;5(8):591–602. - PubMed\n",
                "suffix": "\nvan Zijl F, Krupitza G, Mikulit",
            },
            {"type": "TextPositionSelector", "start": 131, "end": 271},
        ],
    }
    note, *tags, link = item["body"]
    assert note["purpose"] == "commenting"
    assert note["value"].startswith("The 2011 update of the hallmarks of cancer")
    assert [tag["value"] for tag in tags] == [
        "hallmarks",
        "immune evasion",
        "inflammation",
        "review",
    ]
    assert link == {
        "type": "SpecificResource",
        "source": "https://doi.org/10.1016/j.cell.2011.02.013",
        "purpose": "linking",
    }


def test_a_note_with_tags_alone_is_tagging_and_a_reference_without_address_links_nothing() -> None:
    annotations = Annotations(pmid="21387299", references=(ReferenceNote(1, tags=("essay",)),))
    [item] = to_web_annotations(annotations, EREZ)["first"]["items"]
    assert item["motivation"] == "tagging"
    assert item["body"] == [{"type": "TextualBody", "value": "essay", "purpose": "tagging"}]


def test_stamps_creator_and_generator_are_exported_as_saved() -> None:
    item = seed_export("21387299")["first"]["items"][0]
    assert item["created"] == item["modified"] == "2026-11-23T10:35:06Z"
    assert item["creator"] == {
        "id": "urn:uuid:2c1f8308-86db-5c8d-a6b9-6d01cbf6d6e8",
        "type": "Organization",
        "name": "The reviewbook developers",
    }
    assert item["generator"] == reviewbook_agent()


def test_the_generator_is_reviewbook_at_its_installed_version() -> None:
    version = importlib.metadata.version("reviewbook")
    assert reviewbook_agent()["name"] == f"reviewbook {version}"
    assert reviewbook_agent()["type"] == "Software"
    assert software_agent("1.2.0", "https://example.org/reviewbook") == {
        "id": software_agent(None, None)["id"],
        "type": "Software",
        "name": "reviewbook 1.2.0",
        "homepage": "https://example.org/reviewbook",
    }


def test_items_without_stamps_or_creator_export_none_and_the_export_is_byte_stable() -> None:
    annotations = load_annotations(EXAMPLES / "valid_with_comments.yaml")
    first = json.dumps(to_web_annotations(annotations, JANSSEN))
    assert first == json.dumps(to_web_annotations(annotations, JANSSEN))
    for item in json.loads(first)["first"]["items"]:
        assert not {"created", "modified", "creator"} & set(item)
    stamped = dataclasses.replace(
        annotations,
        creator=Agent("A. Reader", homepage="https://example.org/~reader"),
        claims=(dataclasses.replace(annotations.claims[0], modified="2026-12-07T14:30:00+01:00"),),
    )
    [claim, _note] = to_web_annotations(stamped, JANSSEN)["first"]["items"]
    assert "created" not in claim
    assert claim["modified"] == "2026-12-07T14:30:00+01:00"
    assert claim["creator"]["type"] == "Person"
    assert claim["creator"]["homepage"] == "https://example.org/~reader"


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
    note = ReferenceNote(38, note="Why PD-L1 is hard to bind.")
    annotations = Annotations(pmid="41032705", claims=(body_claim, title_claim), references=(note,))
    assert validate_annotations(annotations, review) == []
    items = to_web_annotations(annotations, review)["first"]["items"]
    assert [item["target"]["source"] for item in items] == [
        "https://pmc.ncbi.nlm.nih.gov/articles/PMC12599256/",
        "https://pubmed.ncbi.nlm.nih.gov/41032705/",
        "https://pmc.ncbi.nlm.nih.gov/articles/PMC12599256/",
    ]
    assert items[2]["target"]["selector"][0]["exact"] == review.references[37].raw
    misplaced = dataclasses.replace(body_claim, location="box:Perspectives")
    [error] = validate_annotations(Annotations(pmid="41032705", claims=(misplaced,)), review)
    assert error.message == (
        "the quote is in section:Overcoming tumor immune suppression › PD-L1-PROTACs, "
        "not box:Perspectives"
    )


def test_a_repeated_reference_number_links_and_anchors_its_first_entry() -> None:
    first = dataclasses.replace(JANSSEN.references[0], pmid="11111111")
    second = dataclasses.replace(JANSSEN.references[1], index=first.index, pmid="22222222")
    article = dataclasses.replace(JANSSEN, references=(first, second))
    references = ReferenceList.of(article)
    claim = Claim("c", "A claim.", Quote(article.title), "title", refs=(first.index,))
    assert references.links[first.index] == cited_link(first)
    assert claim_links(claim, article) == [cited_link(first)]
    assert references.anchor(first.index).start == 0
