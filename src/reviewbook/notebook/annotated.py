"""Annotations shown for reading: passages highlighted beside their claims, a claim browser.

All text is escaped; only the markup built here is HTML. The tables behind these views are in
`reviewbook.tables.claims`, the evidence heatmap in `reviewbook.notebook.charts`.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape
from itertools import pairwise

import ipywidgets as widgets
import pandas as pd

from reviewbook.annotations.anchoring import text_parts
from reviewbook.annotations.model import Annotations, Claim
from reviewbook.model import Article
from reviewbook.notebook.html import Html, snapshot_bundle
from reviewbook.notebook.html_widget import HtmlWidget
from reviewbook.tables.claims import anchored_claims, claims_behind, matrix_axes, named_evidence

HIGHLIGHT = "background:#fff3b0;color:#1f2328;padding:0 1px"
"""A quoted passage: dark text on pale yellow, legible in light and dark themes alike."""


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


class EvidenceBrowser(widgets.VBox):
    """Pick a cell type and a step; see the claims behind that entry of the matrix."""

    def __init__(self, annotations: Iterable[Annotations]) -> None:
        self.annotations = list(annotations)
        cells, steps = matrix_axes(named_evidence(self.annotations))
        self.cell = widgets.Dropdown(options=cells, description="Cell type")
        self.step = widgets.Dropdown(options=steps, description="Step")
        self.claims = HtmlWidget()
        for control in (self.cell, self.step):
            control.observe(self._update, names="value")
        super().__init__([widgets.HBox([self.cell, self.step]), self.claims])
        self._update()

    @property
    def shown(self) -> pd.DataFrame:
        """The claims behind the chosen cell type and step."""
        return claims_behind(self.annotations, self.cell.value, self.step.value)

    def snapshot_html(self) -> str:
        """The browser as static HTML: the chosen entry and its claims, said to be a snapshot."""
        return (
            '<div class="reviewbook-evidence-snapshot"><p><b>'
            f"{escape(str(self.cell.value))} / {escape(str(self.step.value))}</b> <i>(a snapshot "
            "of the browser as last run: run the notebook to choose another entry)</i>"
            f"</p>{self.claims.value}</div>"
        )

    def _repr_mimebundle_(self, **kwargs: object) -> dict[str, object]:
        """The widget view, with the snapshot as HTML and one line of plain text beside it."""
        return snapshot_bundle(
            super()._repr_mimebundle_(**kwargs), self.snapshot_html(), repr(self)
        )

    def __repr__(self) -> str:
        """One line (not ipywidgets' listing of every child's traits, slow to build)."""
        return (
            f"EvidenceBrowser: {len(self.shown)} claims behind {self.cell.value} / "
            f"{self.step.value}"
        )

    def _update(self, _change: object = None) -> None:
        shown = self.shown
        if shown.empty:
            self.claims.value = "<p><em>No claim names this cell type at this step.</em></p>"
        else:
            self.claims.value = shown.to_html(index=False, escape=True)
