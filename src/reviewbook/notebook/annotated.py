"""Annotations shown for reading: passages highlighted beside their claims, the evidence heatmap.

All text is escaped; only the markup built here is HTML.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape
from itertools import pairwise

import ipywidgets as widgets
import pandas as pd

from reviewbook.annotations.anchoring import locate_quote, text_parts
from reviewbook.annotations.records import Annotations, Claim
from reviewbook.annotations.tables import claims_frame, evidence_frame, reference_tags_frame
from reviewbook.annotations.vocabulary import CELL_TYPES, METASTATIC_STEPS, term_names
from reviewbook.model import Article
from reviewbook.notebook.cards import Html

HIGHLIGHT = "background:#fff3b0;padding:0 1px"
HEAT_COLOURS = ("#ffffff", "#fde6c8", "#fbc98e", "#f7a35c", "#e8743b", "#c4481c")
"""Heatmap fill by number of claims: none, 1, 2, 3, 4, 5 or more."""


def anchored_claims(
    article: Article, annotations: Annotations, location: str
) -> list[tuple[Claim, int, int]]:
    """Claims anchored in one part of the review (``abstract``, ``figure:<label>``, ...),
    with the character span of their quote, in text order."""
    spans = []
    for claim in annotations.claims:
        anchor = locate_quote(article, claim.quote)
        if anchor.location == location:
            spans.append((claim, anchor.start, anchor.end))
    return sorted(spans, key=lambda item: (item[1], item[2]))


def annotated_text(article: Article, annotations: Annotations, location: str = "abstract") -> Html:
    """The text of one part with every anchored passage highlighted and numbered, and the
    claims beside it: our statement, cells, steps and role."""
    text = text_parts(article).get(location, "")
    spans = anchored_claims(article, annotations, location)
    numbers = {claim.id: number for number, (claim, _, _) in enumerate(spans, start=1)}
    cuts = sorted({0, len(text), *(s for _, s, _ in spans), *(e for _, _, e in spans)})
    pieces = []
    for start, end in pairwise(cuts):
        piece = escape(text[start:end]).replace("\n", "<br>")
        if any(s <= start and end <= e for _, s, e in spans):
            piece = f'<mark style="{HIGHLIGHT}">{piece}</mark>'
        pieces.append(piece)
        ending = [numbers[claim.id] for claim, _, e in spans if e == end]
        if ending:
            pieces.append(f"<sup>[{','.join(str(n) for n in ending)}]</sup>")
    claims = "".join(
        f"<li value='{numbers[claim.id]}'><b>{escape(claim.statement)}</b>"
        f"<br><small>{escape(_terms(claim))} · <code>{escape(claim.id)}</code></small></li>"
        for claim, _, _ in spans
    )
    markup = (
        '<table class="reviewbook-annotated" style="width:100%"><tr>'
        f'<td style="vertical-align:top;width:50%;text-align:left">{"".join(pieces)}</td>'
        f'<td style="vertical-align:top;text-align:left"><ol>{claims}</ol></td></tr></table>'
    )
    covered = sum(end - start for start, end in _merged((s, e) for _, s, e in spans))
    share = covered / len(text) if text else 0.0
    return Html(markup, f"{location}: {len(spans)} claims covering {share:.0%} of the text")


def _terms(claim: Claim) -> str:
    parts = [
        f"cells: {', '.join(claim.cells)}" if claim.cells else "",
        f"steps: {', '.join(claim.steps)}" if claim.steps else "",
        f"role: {claim.role}" if claim.role else "",
        f"cites: {', '.join(str(index) for index in claim.refs)}" if claim.refs else "",
    ]
    return " · ".join(part for part in parts if part) or "no cells or steps named"


def _merged(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def claims_by_sentence(article: Article, annotations: Annotations, location: str) -> pd.DataFrame:
    """One row per claim anchored in ``location``: the quoted words, cells, steps, role."""
    rows = [
        {
            "quote": claim.quote.exact,
            "steps": "; ".join(claim.steps),
            "cells": "; ".join(claim.cells),
            "role": claim.role or "",
            "claim": claim.statement,
        }
        for claim, _, _ in anchored_claims(article, annotations, location)
    ]
    columns = ["quote", "steps", "cells", "role", "claim"]
    return pd.DataFrame(rows, columns=columns, dtype="string")


def with_tags(references: pd.DataFrame, annotations: Iterable[Annotations]) -> pd.DataFrame:
    """``references`` (a `references_frame`) with our ``note`` and ``tags`` columns added."""
    notes = reference_tags_frame(list(annotations))
    keys = ["review_pmid", "index"]
    merged = references.merge(notes.astype({"index": "Int64"}), on=keys, how="left")
    merged.index = references.index
    return merged


def coverage(annotations: Iterable[Annotations], field: str) -> pd.DataFrame:
    """Claims per review naming each term of ``field`` (``cell`` or ``step``), vocabulary order."""
    items = list(annotations)
    evidence = evidence_frame(items).dropna(subset=[field])
    evidence = evidence.drop_duplicates(["review_pmid", "claim_id", field])
    table = pd.crosstab(evidence[field], evidence["review_pmid"])
    table = table[[item.pmid for item in items if item.pmid in table.columns]]
    order = term_names(CELL_TYPES if field == "cell" else METASTATIC_STEPS)
    table = table.reindex([name for name in order if name in table.index]).fillna(0).astype(int)
    table.columns.name, table.index.name = "review_pmid", field
    return table


def claims_behind(annotations: Iterable[Annotations], cell: str, step: str) -> pd.DataFrame:
    """The claims behind one entry of the evidence matrix."""
    items = list(annotations)
    evidence = evidence_frame(items)
    chosen = evidence[(evidence["cell"] == cell) & (evidence["step"] == step)]
    claims = claims_frame(items)
    keys = set(zip(chosen["review_pmid"], chosen["claim_id"], strict=True))
    mask = [
        (pmid, claim_id) in keys
        for pmid, claim_id in zip(claims["review_pmid"], claims["id"], strict=True)
    ]
    return claims.loc[mask, ["review_pmid", "id", "statement", "exact", "role"]].reset_index(
        drop=True
    )


def evidence_heatmap(annotations: Iterable[Annotations]) -> Html:
    """Cell type x metastatic step as a coloured table: claims per entry, with their roles."""
    evidence = evidence_frame(list(annotations)).dropna(subset=["cell", "step"])
    cells = [name for name in term_names(CELL_TYPES) if name in set(evidence["cell"])]
    steps = list(term_names(METASTATIC_STEPS))
    header = "".join(
        f'<th style="writing-mode:vertical-rl;transform:rotate(180deg);font-weight:normal">'
        f"{escape(step)}</th>"
        for step in steps
    )
    rows = []
    for cell in cells:
        entries = []
        for step in steps:
            group = evidence[(evidence["cell"] == cell) & (evidence["step"] == step)]
            count = len(group)
            colour = HEAT_COLOURS[min(count, len(HEAT_COLOURS) - 1)]
            roles = ", ".join(sorted({str(role) for role in group["role"].dropna()}))
            title = escape(f"{cell} / {step}: {count} claims" + (f" ({roles})" if roles else ""))
            label = str(count) if count else ""
            entries.append(
                f'<td title="{title}" style="background:{colour};text-align:center;'
                f'min-width:2em">{label}</td>'
            )
        rows.append(f'<tr><th style="text-align:left">{escape(cell)}</th>{"".join(entries)}</tr>')
    markup = (
        '<table class="reviewbook-heatmap" style="border-collapse:collapse">'
        f"<tr><th></th>{header}</tr>{''.join(rows)}</table>"
    )
    return Html(markup, f"evidence heatmap: {len(cells)} cell types x {len(steps)} steps")


class EvidenceBrowser(widgets.VBox):
    """Pick a cell type and a step; see the claims behind that entry of the matrix."""

    def __init__(self, annotations: Iterable[Annotations]) -> None:
        self.annotations = list(annotations)
        evidence = evidence_frame(self.annotations).dropna(subset=["cell", "step"])
        cells = [name for name in term_names(CELL_TYPES) if name in set(evidence["cell"])]
        self.cell = widgets.Dropdown(options=cells, description="Cell type")
        self.step = widgets.Dropdown(options=list(term_names(METASTATIC_STEPS)), description="Step")
        self.claims = widgets.HTML()
        for control in (self.cell, self.step):
            control.observe(self._update, names="value")
        super().__init__([widgets.HBox([self.cell, self.step]), self.claims])
        self._update()

    @property
    def shown(self) -> pd.DataFrame:
        """The claims behind the chosen cell type and step."""
        return claims_behind(self.annotations, self.cell.value, self.step.value)

    def _update(self, _change: object = None) -> None:
        shown = self.shown
        if shown.empty:
            self.claims.value = "<p><em>No claim names this cell type at this step.</em></p>"
        else:
            self.claims.value = shown.to_html(index=False, escape=True)
