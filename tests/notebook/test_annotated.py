"""Annotated text and the evidence browser: highlighted passages beside their claims, escaped."""

from __future__ import annotations

from reviewbook.annotations.anchoring import Quote
from reviewbook.annotations.model import Annotations, Claim
from reviewbook.notebook.annotated import EvidenceBrowser, annotated_text
from tests.conftest import expected_article

EREZ = expected_article("21387299")
CLAIM = Claim(
    "host",
    "Host <cells> matter.",
    Quote("tumor cell-host interactions"),
    "abstract",
    ("leukocyte",),
    ("dormancy",),
    "promotes",
)
NOTES = Annotations(pmid="21387299", claims=(CLAIM,))


def test_annotated_text_highlights_and_numbers_the_quote() -> None:
    shown = annotated_text(EREZ, NOTES)
    markup = shown._repr_html_()
    highlight = '<mark style="background:#fff3b0;color:#1f2328;padding:0 1px">'
    assert f"{highlight}tumor cell-host interactions</mark>" in markup
    assert "<sup>[1]</sup>" in markup
    assert "<b>Host &lt;cells&gt; matter.</b>" in markup
    assert "cells: leukocyte · steps: dormancy · role: promotes" in markup
    assert repr(shown).startswith("abstract: 1 claims covering ")


def test_evidence_browser_shows_the_claims_behind_the_chosen_entry() -> None:
    browser = EvidenceBrowser([NOTES])
    assert browser.cell.options == ("leukocyte",)
    browser.step.value = "dormancy"
    assert list(browser.shown["id"]) == ["host"]
    assert "Host &lt;cells&gt; matter." in browser.claims.value
    browser.step.value = "intravasation"
    assert "No claim names this cell type at this step." in browser.claims.value


def test_evidence_browser_offers_a_snapshot_to_pages_without_widgets() -> None:
    browser = EvidenceBrowser([NOTES])
    browser.step.value = "dormancy"
    bundle = browser._repr_mimebundle_()
    assert bundle["text/plain"] == "EvidenceBrowser: 1 claims behind leukocyte / dormancy"
    assert bundle["text/html"].startswith(
        '<div class="mathjax_ignore tex2jax_ignore">'
        '<div class="reviewbook-evidence-snapshot"><p><b>leukocyte / dormancy</b> <i>(a snapshot '
        "of the browser as last run: run the notebook to choose another entry)</i></p>"
    )
    assert "Host &lt;cells&gt; matter." in bundle["text/html"]
    assert "application/vnd.jupyter.widget-view+json" in bundle
