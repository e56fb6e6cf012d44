"""Exporting claims and reference notes as the file Hypothesis imports.

Every item is checked against ``tests/data/hypothesis/import-file.schema.json``, our
transcription of the h API's create-annotation schema and of the client's import file (the
schema's ``$comment`` names its sources).
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from reviewbook.annotations.hypothesis import PUBLIC_GROUP, to_hypothesis
from reviewbook.annotations.loading import load_annotations
from reviewbook.annotations.model import AnnotationsInvalid
from reviewbook.annotations.web_annotation import reviewbook_agent, to_web_annotations
from reviewbook.cli.annotations import run_export
from tests.annotations.conftest import ANNOTATIONS, JANSSEN, PAGES
from tests.conftest import EXAMPLES, PUBMED, TEST_DATA

SCHEMA = json.loads((TEST_DATA / "hypothesis" / "import-file.schema.json").read_text("utf-8"))


def import_file_errors(document: object) -> list[str]:
    """Where ``document`` breaks the import-file schema (formats checked), as ``path: message``."""
    validator = jsonschema.Draft202012Validator(
        SCHEMA, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    return [
        f"{'/'.join(map(str, error.absolute_path))}: {error.message}"
        for error in validator.iter_errors(document)
    ]


def seed_file(pmid: str) -> dict[str, Any]:
    return to_hypothesis(load_annotations(ANNOTATIONS / f"{pmid}.yaml"), PAGES[pmid])


def test_the_schema_is_a_valid_schema_that_refuses_what_h_refuses() -> None:
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    item = seed_file("29037250")["annotations"][0]
    no_uri = {key: value for key, value in item.items() if key != "uri"}
    bad_reader = {**item, "permissions": {"read": ["everyone"]}}
    protected = {**item, "created": "2026-12-07T12:00:00Z"}
    quote_without_exact = {**item, "target": [{"selector": [{"type": "TextQuoteSelector"}]}]}
    assert import_file_errors({"annotations": [no_uri]}) == [
        "annotations/0: 'uri' is a required property"
    ]
    assert import_file_errors({"annotations": [bad_reader]}) == [
        "annotations/0/permissions/read/0: 'everyone' does not match '^(acct:|group:).+$'"
    ]
    assert len(import_file_errors({"annotations": [protected]})) == 1
    assert import_file_errors({"annotations": [quote_without_exact]}) == [
        "annotations/0/target/0/selector/0: 'exact' is a required property"
    ]
    assert import_file_errors({"rows": []}) == [": 'annotations' is a required property"]


@pytest.mark.parametrize("pmid", sorted(PAGES))
def test_every_seed_item_is_a_create_annotation_request_h_accepts(pmid: str) -> None:
    document = seed_file(pmid)
    assert import_file_errors(document) == []
    claims, notes = {"21387299": (12, 5), "29037250": (7, 5)}[pmid]
    assert len(document["annotations"]) == claims + notes


def test_a_claim_item_holds_statement_tags_links_and_both_selectors() -> None:
    annotations = load_annotations(EXAMPLES / "valid_with_comments.yaml")
    document = to_hypothesis(annotations, JANSSEN)
    w3c = to_web_annotations(annotations, JANSSEN)["first"]["items"][1]
    page = "https://pubmed.ncbi.nlm.nih.gov/29037250/"
    assert document["annotations"][1] == {
        "uri": page,
        "document": {
            "title": ["The immune system in cancer metastasis: friend or foe?"],
            "link": [{"href": page}],
            "highwire": {"doi": [JANSSEN.doi]},
            "dc": {"identifier": [f"https://doi.org/{JANSSEN.doi}"]},
        },
        "text": (
            "That response may not be enough to destroy the primary tumour.\n\n"
            "Cites: https://doi.org/10.1016/j.cell.2011.02.013"
        ),
        "tags": [],
        "target": [{"source": page, "selector": w3c["target"]["selector"]}],
        "group": PUBLIC_GROUP,
        "permissions": {"read": ["group:__world__"]},
    }
    assert document["annotations"][0]["tags"] == [
        "step: colonisation and outgrowth",
        "role: inhibits",
    ]


def test_a_reference_note_item_quotes_the_entry_and_keeps_its_tags() -> None:
    item = seed_file("29037250")["annotations"][8]
    assert item["target"][0]["selector"][0]["exact"] == JANSSEN.references[1].raw
    assert item["tags"] == ["hallmarks", "immune evasion", "inflammation", "review"]
    assert item["text"].endswith("\n\nCites: https://doi.org/10.1016/j.cell.2011.02.013")


def test_the_file_is_dated_by_its_latest_stamp_and_exports_the_same_bytes_twice() -> None:
    document = seed_file("21387299")
    assert document["export_date"] == "2026-11-23T10:35:06Z"
    assert document["export_userid"] == ""
    assert document["client_version"] == reviewbook_agent()["name"]
    assert json.dumps(document) == json.dumps(seed_file("21387299"))
    unstamped = to_hypothesis(load_annotations(EXAMPLES / "valid_with_comments.yaml"), JANSSEN)
    assert unstamped["export_date"] == ""


def test_a_group_can_be_named() -> None:
    annotations = load_annotations(EXAMPLES / "valid_with_comments.yaml")
    item = to_hypothesis(annotations, JANSSEN, group="abc123")["annotations"][0]
    assert (item["group"], item["permissions"]) == ("abc123", {"read": ["group:abc123"]})


def test_unanchored_quotes_are_refused() -> None:
    with pytest.raises(AnnotationsInvalid, match="add a prefix or suffix"):
        to_hypothesis(load_annotations(EXAMPLES / "ambiguous_quote.yaml"), JANSSEN)


def test_the_command_writes_either_format(tmp_path: Path) -> None:
    source = ANNOTATIONS / "29037250.yaml"
    target = tmp_path / "janssen.json"
    status = run_export(
        "29037250", target, annotations=source, pages=PUBMED, export_format="hypothesis"
    )
    assert status == 0
    assert json.loads(target.read_text(encoding="utf-8")) == seed_file("29037250")
    out = io.StringIO()
    assert run_export("29037250", "-", annotations=source, pages=PUBMED, out=out) == 0
    assert json.loads(out.getvalue())["type"] == "AnnotationCollection"
    err = io.StringIO()
    assert (
        run_export("29037250", annotations=source, pages=PUBMED, err=err, export_format="csv") == 2
    )
    assert err.getvalue() == "unknown format 'csv': w3c, hypothesis\n"
