"""Suggested statements in the notebook: review them into claims, and browse them by cell type.

A statements frame (`reviewbook.tables.statements.statements_frame`) suggests, for each citing
sentence of a full text and each cell type it names, steps and a role. Two widgets show it:

- `StatementReview` offers one review's open suggestions (not yet accepted or rejected), one
  at a time from a list: the sentence, where it stands, the references it cites (each linked
  to its own record), and the suggested cells, steps and role as the claim editor's controls.
  "Accept as claim" saves a claim quoting the sentence, in the reader's own words, together
  with the decision; "Reject" saves the decision alone. Both save through
  `reviewbook.annotations.store.decide_statement` as the claim editor saves (locked, checked,
  atomic, refusing a file changed since it was read, keeping a version written at the same
  moment beside the file), and then offer to re-run the notebooks (`RerunOffer`). A decided
  statement is not offered again, in this widget or the next one reading the file.
- `StatementBrowser` shows every statement naming a chosen cell type (and step): sentence,
  section, role and citations.

Our claims and the tagger's suggestions never mix silently: the suggestions are named as
such everywhere they are shown. Every text is escaped; links are built from identifiers only.
Until its cell runs in a kernel, a page shows each widget's snapshot (`snapshot_bundle`).

In a notebook::

    review = StatementReview("data/annotations/41032705.yaml", article, statements_frame(article))
    review            # the first open statement; choose another from the list

Headless (tests): set ``review.statement.value``, then ``review.accept.click()``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from html import escape
from pathlib import Path
from typing import Any

import ipywidgets as widgets
import pandas as pd

from reviewbook.annotations.anchoring import AmbiguousQuoteError
from reviewbook.annotations.model import ACCEPTED, REJECTED, Annotations, Claim
from reviewbook.annotations.statements import (
    StatementNotQuotable,
    claim_from_statement,
    own_words_problem,
    statement_decision,
)
from reviewbook.annotations.store import decide_statement
from reviewbook.annotations.vocabulary import CELL_TYPES, METASTATIC_STEPS, term_names
from reviewbook.model import Article, Reference
from reviewbook.notebook.editor import (
    NO_ROLE,
    ReadVersion,
    Rerun,
    RerunOffer,
    chosen_terms,
    read_status,
    reload_button,
    save_status,
    status_html,
    term_controls,
)
from reviewbook.notebook.html import LINK_STYLE, Html, record_links, snapshot_bundle
from reviewbook.notebook.html_widget import HtmlWidget
from reviewbook.tables.claims import open_statements

ROLE_NOT_STATED = "not stated"
"""How a statement without a role shows its role."""
ANY_STEP = ""
"""The step list's value for "any step"."""
NO_STATEMENTS = (
    "No suggested statements: they come from the full texts of the reviews, and these were "
    "read without one (see the note above on how to fetch a full text)."
)
"""What the browser shows for a frame without statements."""
CHOICE_LENGTH = 90
"""The most characters of a sentence the list of open statements shows."""
MAX_ROWS = 200
"""Rows the browser's table shows; its count covers every matching statement."""
SNAPSHOT_STATEMENTS = 20
"""Open statements a review's snapshot lists."""
LINK_ORDER: tuple[str, ...] = ("PubMed", "DOI", "PMC")
"""Which of a reference's addresses its citation links to: the first it has."""
OWN_WORDS_PLACEHOLDER = "What the sentence claims, in your own words (required to accept)"
TABLE_STYLE = (
    "<style>.reviewbook-statements table{border-collapse:collapse;font-size:12px;width:100%}"
    ".reviewbook-statements .reviewbook-rows th,.reviewbook-statements .reviewbook-rows td{"
    "border-bottom:1px solid #ddd;padding:2px 6px;text-align:left;vertical-align:top}</style>"
)
"""The browser's table look, live and in the snapshot (two classes, to outweigh JupyterLab's
right-aligned cells in rendered HTML)."""
REVIEW_SNAPSHOT_NOTE = "a snapshot of the statement review: run the notebook to accept or reject"
BROWSER_SNAPSHOT_NOTE = "a snapshot of the statement browser: run the notebook to choose another"


def _wide() -> widgets.Layout:
    return widgets.Layout(width="95%")


# --- citations and one statement as HTML ----------------------------------------------------


def reference_address(reference: Reference) -> str | None:
    """The reference's own address: its PubMed record, else its DOI, else its PMC copy."""
    links = record_links(pmid=reference.pmid, doi=reference.doi, pmcid=reference.pmcid)
    return next((links[label] for label in LINK_ORDER if label in links), None)


def citation_html(number: int, article: Article | None) -> str:
    """``[n]``, linked to reference ``n``'s own address when ``article`` has it, its printed
    citation as the link's ``title``; plain ``[n]`` without the article."""
    reference = _reference(article, number)
    if reference is None:
        return f"[{number}]"
    title = escape(reference.raw)
    address = reference_address(reference)
    if address is None:
        return f'<span class="reviewbook-cited" title="{title}">[{number}]</span>'
    return (
        f'<a class="reviewbook-cited" href="{escape(address)}" title="{title}" '
        f'target="_blank" rel="noopener" style="{LINK_STYLE}">[{number}]</a>'
    )


def _reference(article: Article | None, number: int) -> Reference | None:
    if article is None or not 1 <= number <= len(article.references):
        return None
    return article.references[number - 1]


def statement_html(row: Any, article: Article | None) -> str:
    """One suggested statement: the suggestion (cell, steps, role), the sentence, where it
    stands and the words that gave the tags, then each reference it cites, linked, with its
    printed citation."""
    references = _numbers(row["references"])
    cited = "".join(
        f"<li>{citation_html(number, article)} {escape(_printed(article, number))}</li>"
        for number in references
    )
    listing = (
        f'<ul class="reviewbook-citations" style="font-size:12px">{cited}</ul>'
        if cited
        else "<p><i>The sentence cites no reference.</i></p>"
    )
    return (
        '<div class="reviewbook-statement">'
        f"<p><b>Suggested:</b> {escape(_terms(row))}</p>"
        f'<blockquote style="margin:4px 0 4px 1em">{escape(str(row["sentence"]))}</blockquote>'
        f"<p><small>In {escape(str(row['section']))} · tagged from: "
        f"{escape(_text(row['evidence']))}</small></p>{listing}</div>"
    )


def _printed(article: Article | None, number: int) -> str:
    reference = _reference(article, number)
    return reference.raw if reference is not None else "(not in the reference list)"


def _terms(row: Any) -> str:
    steps = ", ".join(_items(row["steps"])) or "no step"
    return f"{row['cell']} · {steps} · role: {_role(row['role'])}"


def _items(value: object) -> tuple[str, ...]:
    return tuple(str(item) for item in value) if isinstance(value, (tuple, list)) else ()


def _numbers(value: object) -> tuple[int, ...]:
    return (
        tuple(dict.fromkeys(int(item) for item in value))
        if isinstance(value, (tuple, list))
        else ()
    )


def _role(value: object) -> str:
    return value if isinstance(value, str) and value else ROLE_NOT_STATED


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


# --- reviewing one review's statements -------------------------------------------------------


class StatementReview(widgets.VBox):
    """One review's open suggested statements: accept one as a claim in our words, or reject
    it; each decision is saved to the annotation file at ``path`` (see the module's
    docstring; ``rerun`` as for `reviewbook.notebook.editor.AnnotationEditor`)."""

    def __init__(
        self,
        path: str | Path,
        article: Article,
        frame: pd.DataFrame,
        rerun: Rerun | None = None,
    ) -> None:
        super().__init__()
        self.path = Path(path)
        self.article = article
        self.frame = _review_rows(frame, article.pmid)
        """The statements of this review, decided or not."""
        self.version = ReadVersion()
        self.annotations: Annotations | None = None
        self.open = self.frame.iloc[0:0]
        """The statements not yet accepted or rejected, in frame order."""
        self.draft: Claim | None = None
        """The claim the shown statement would become, before the reader's edits."""
        self._choosing = False
        self.rerun_offer = RerunOffer(self.path, rerun)
        self.reload = reload_button()
        self.count = HtmlWidget()
        self.choice = widgets.Dropdown(description="Statement", layout=_wide())
        self.shown = HtmlWidget()
        self.claim_id = widgets.Text(description="Claim id")
        self.statement = widgets.Textarea(
            description="Statement", placeholder=OWN_WORDS_PLACEHOLDER, rows=3, layout=_wide()
        )
        self.cells, self.steps, self.role = term_controls()
        self.accept = widgets.Button(
            description="Accept as claim", button_style="success", icon="check"
        )
        self.reject = widgets.Button(description="Reject", icon="times")
        self.status = HtmlWidget()
        self.children = [
            self.count,
            self.choice,
            self.shown,
            self.claim_id,
            self.statement,
            widgets.HBox([self.cells, self.steps]),
            self.role,
            widgets.HBox([self.accept, self.reject, self.reload]),
            self.status,
            self.rerun_offer.widget,
        ]
        self.add_class("reviewbook-statement-review")
        self.choice.observe(self._show, names="value")
        self.accept.on_click(self._accept)
        self.reject.on_click(self._reject)
        self.reload.on_click(self._reload)
        self.status.value = self._refresh()

    # --- reading ---------------------------------------------------------------------------

    @property
    def row(self) -> pd.Series | None:
        """The statement shown, or None when none is open."""
        position = self.choice.value
        return None if position is None else self.open.iloc[position]

    def _refresh(self, position: int = 0) -> str:
        """Read the file and list the open statements, showing the one at ``position`` (or
        the last); the status of the reading (empty when it went well)."""
        if self.path.exists():
            annotations, problem = read_status(self.path, self.version)
        else:  # no file yet: nothing decided; the first save creates it
            annotations, problem = Annotations(str(self.article.pmid or "")), ""
            self.version.sha256 = None
        self.annotations = annotations
        self.open = (
            self.frame.iloc[0:0]
            if annotations is None
            else open_statements(self.frame, annotations)
        )
        labels = [
            (f"{number}. {row.cell}: {_shortened(str(row.sentence))}", number - 1)
            for number, row in enumerate(self.open.itertuples(index=False), start=1)
        ]
        self._choosing = True
        self.choice.options = labels
        self.choice.value = min(position, len(labels) - 1) if labels else None
        self._choosing = False
        self.count.value = escape(self._count_line())
        self._show()
        return problem

    def _count_line(self) -> str:
        decided = self.annotations.statements if self.annotations else ()
        accepted = sum(decision.decision == ACCEPTED for decision in decided)
        rejected = sum(decision.decision == REJECTED for decision in decided)
        return (
            f"{len(self.open)} open suggested statements of {len(self.frame)} for PMID "
            f"{self.article.pmid} ({accepted} accepted, {rejected} rejected)"
        )

    def _show(self, _change: object = None) -> None:
        """Fill the controls from the statement chosen, or empty them when none is open."""
        if self._choosing:
            return
        row = self.row
        self.draft = None
        if row is None:
            self.shown.value = "<p><i>No open suggested statement: every one is decided.</i></p>"
            for control in (self.accept, self.reject):
                control.disabled = True
            self.claim_id.value = self.statement.value = ""
            self.cells.value = self.steps.value = ()
            self.role.value = NO_ROLE
            return
        ids = [claim.id for claim in self.annotations.claims] if self.annotations else []
        note = ""
        try:
            self.draft = claim_from_statement(row, self.article, ids)
        except (StatementNotQuotable, AmbiguousQuoteError) as problem:
            note = status_html("refused", f"Cannot be accepted as a claim: {problem}")
        self.shown.value = statement_html(row, self.article) + note
        self.accept.disabled = self.draft is None
        self.reject.disabled = False
        self.claim_id.value = self.draft.id if self.draft else ""
        self.statement.value = ""
        self.cells.value = chosen_terms(self.cells, (str(row["cell"]),))
        self.steps.value = chosen_terms(self.steps, _items(row["steps"]))
        roles = [value for _, value in self.role.options]
        role = _text(row["role"])
        self.role.value = role if role in roles else NO_ROLE

    # --- deciding --------------------------------------------------------------------------

    def current_claim(self) -> Claim:
        """The claim the controls describe; ``ValueError`` when none can be made or its
        statement is not in the reader's own words (`own_words_problem`)."""
        row = self.row
        if row is None or self.draft is None:
            raise ValueError("no statement that can be accepted is shown")
        problem = own_words_problem(self.statement.value, str(row["sentence"]))
        if problem is not None:
            raise ValueError(problem)
        return Claim(
            id=self.claim_id.value.strip(),
            statement=self.statement.value.strip(),
            quote=self.draft.quote,
            location=self.draft.location,
            cells=tuple(self.cells.value),
            steps=tuple(self.steps.value),
            role=self.role.value or None,
            refs=self.draft.refs,
        )

    def _accept(self, _button: object = None) -> None:
        """Save the claim and the decision accepting the statement, in one save."""
        row = self.row
        try:
            claim = self.current_claim()
        except ValueError as problem:
            self.status.value = status_html("refused", f"Not saved: {problem}")
            return
        decision = statement_decision(row, claim.id)
        self._save(
            lambda: decide_statement(
                self.path,
                decision,
                claim,
                article=self.article,
                expected_sha256=self.version.sha256,
            ),
            f"Saved claim {claim.id} and the decision to {self.path.name}",
        )

    def _reject(self, _button: object = None) -> None:
        """Save the decision rejecting the statement."""
        row = self.row
        if row is None:
            return
        decision = statement_decision(row)
        self._save(
            lambda: decide_statement(
                self.path, decision, article=self.article, expected_sha256=self.version.sha256
            ),
            f"Saved the rejection ({decision.cell}) to {self.path.name}",
        )

    def _save(self, action: Any, success: str) -> None:
        """Run a save as the claim editor does (`save_status`); after it, show the next open
        statement and offer the re-run."""
        position = self.choice.value or 0
        saved, status = save_status(self.path, action, success, self.version, self.reload)
        if saved is not None:
            problem = self._refresh(position)
            status = problem or status
            self.rerun_offer.offer()
        self.status.value = status

    def _reload(self, _button: object = None) -> None:
        """Show the file as it is now (after another program changed it)."""
        self.reload.layout.display = "none"
        problem = self._refresh(self.choice.value or 0)
        self.status.value = problem or status_html("saved", f"Reloaded {self.path.name}")

    # --- showing ---------------------------------------------------------------------------

    def snapshot_html(self) -> str:
        """The open statements as static HTML, said to be a snapshot."""
        shown = [
            f"<li>{statement_html(row, self.article)}</li>"
            for _, row in self.open.head(SNAPSHOT_STATEMENTS).iterrows()
        ]
        more = len(self.open) - len(shown)
        tail = f"<p><i>and {more} more open statements</i></p>" if more > 0 else ""
        return (
            '<div class="reviewbook-statements-snapshot">'
            f"<p><b>{escape(self._count_line())}</b> <i>({escape(REVIEW_SNAPSHOT_NOTE)})</i></p>"
            f"<ol>{''.join(shown)}</ol>{tail}</div>"
        )

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        return snapshot_bundle(
            super()._repr_mimebundle_(**kwargs), self.snapshot_html(), repr(self)
        )

    def __repr__(self) -> str:
        return f"StatementReview: {self._count_line()}"


def _review_rows(frame: pd.DataFrame, pmid: str | None) -> pd.DataFrame:
    """The rows of ``frame`` about review ``pmid`` (all of them without a PMID)."""
    if pmid is None:
        return frame.reset_index(drop=True)
    mine = [str(value) == pmid for value in frame["review_pmid"]]
    return frame.loc[mine].reset_index(drop=True)


def _shortened(text: str, most: int = CHOICE_LENGTH) -> str:
    return text if len(text) <= most else text[: most - 1].rstrip() + "…"


# --- browsing statements by cell type --------------------------------------------------------


class StatementBrowser(widgets.VBox):
    """Choose a cell type (and a step, or any); see the suggested statements naming it: the
    sentence, its section, role and citations (linked when ``articles`` are given)."""

    def __init__(
        self,
        frame: pd.DataFrame,
        articles: Article | Iterable[Article] | None = None,
        *,
        max_rows: int = MAX_ROWS,
    ) -> None:
        super().__init__()
        self.frame = frame.reset_index(drop=True)
        self.articles = _by_pmid(articles)
        self.max_rows = max_rows
        self._several_reviews = self.frame["review_pmid"].nunique(dropna=False) > 1
        counts = self.frame["cell"].value_counts()
        self.cell = widgets.Dropdown(
            options=[
                (f"{name} ({counts[name]})", name)
                for name in term_names(CELL_TYPES)
                if name in counts.index
            ],
            description="Cell type",
        )
        self.step = widgets.Dropdown(description="Step")
        self.table = HtmlWidget()
        self._choosing = False
        self.children = [widgets.HBox([self.cell, self.step]), self.table]
        self.add_class("reviewbook-statement-browser")
        self._step_options()
        self.cell.observe(self._on_cell, names="value")
        self.step.observe(self._update, names="value")
        self._update()

    @property
    def shown(self) -> pd.DataFrame:
        """The statements naming the chosen cell type and step, in frame order."""
        cell, step = self.cell.value, self.step.value
        keep = [
            value == cell and (step == ANY_STEP or step in _items(steps))
            for value, steps in zip(self.frame["cell"], self.frame["steps"], strict=True)
        ]
        return self.frame.loc[keep]

    def _on_cell(self, _change: object = None) -> None:
        self._step_options()
        self._update()

    def _step_options(self) -> None:
        """ "Any step" and the steps the chosen cell type's statements name, with counts."""
        chosen = self.frame[self.frame["cell"] == self.cell.value] if self.cell.value else None
        found: dict[str, int] = {}
        for steps in chosen["steps"] if chosen is not None else ():
            for step in dict.fromkeys(_items(steps)):
                found[step] = found.get(step, 0) + 1
        total = 0 if chosen is None else len(chosen)
        self._choosing = True
        self.step.options = [
            (f"any step ({total})", ANY_STEP),
            *(
                (f"{name} ({found[name]})", name)
                for name in term_names(METASTATIC_STEPS)
                if name in found
            ),
        ]
        self.step.value = ANY_STEP
        self._choosing = False

    def _update(self, _change: object = None) -> None:
        if not self._choosing:
            self.table.value = self._render()

    def _render(self) -> str:
        """The statements shown as an escaped HTML table (the first ``max_rows``)."""
        shown = self.shown
        if self.frame.empty:
            return f"<p><i>{escape(NO_STATEMENTS)}</i></p>"
        if shown.empty:
            return "<p><i>No suggested statement names this cell type at this step.</i></p>"
        columns = ["Review"] if self._several_reviews else []
        columns += ["Sentence", "Section", "Steps", "Role", "Cites"]
        head = "".join(f"<th>{escape(name)}</th>" for name in columns)
        rows = [self._row_html(row) for _, row in shown.head(self.max_rows).iterrows()]
        note = (
            f"<p><i>Showing the first {self.max_rows} of {len(shown)} statements.</i></p>"
            if len(shown) > self.max_rows
            else f"<p>{len(shown)} suggested statements</p>"
        )
        return (
            f'{TABLE_STYLE}<div class="reviewbook-statements">{note}'
            f'<table class="reviewbook-rows"><thead><tr>{head}</tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table></div>"
        )

    def _row_html(self, row: pd.Series) -> str:
        article = self.articles.get(str(row["review_pmid"]))
        cites = " ".join(citation_html(number, article) for number in _numbers(row["references"]))
        cells = [str(row["review_pmid"])] if self._several_reviews else []
        cells += [
            str(row["sentence"]),
            str(row["section"]),
            ", ".join(_items(row["steps"])),
            _role(row["role"]),
        ]
        return (
            "<tr>"
            + "".join(f"<td>{escape(cell)}</td>" for cell in cells)
            + f"<td>{cites}</td></tr>"
        )

    def snapshot_html(self) -> str:
        """The browser as static HTML: the chosen cell type and step and its table."""
        step = self.step.value or "any step"
        chosen = "no statements" if self.frame.empty else f"{self.cell.value} / {step}"
        return (
            '<div class="reviewbook-statement-browser-snapshot"><p><b>'
            f"{escape(chosen)}</b> "
            f"<i>({escape(BROWSER_SNAPSHOT_NOTE)})</i></p>{self.table.value}</div>"
        )

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        return snapshot_bundle(
            super()._repr_mimebundle_(**kwargs), self.snapshot_html(), repr(self)
        )

    def __repr__(self) -> str:
        step = self.step.value or "any step"
        return f"StatementBrowser: {len(self.shown)} statements for {self.cell.value} / {step}"


def _by_pmid(articles: Article | Iterable[Article] | None) -> Mapping[str, Article]:
    """The articles by PMID (those without one are left out)."""
    if articles is None:
        return {}
    items: Sequence[Article] = [articles] if isinstance(articles, Article) else list(articles)
    return {str(article.pmid): article for article in items if article.pmid}


def statements_note(articles: Article | Iterable[Article], frame: pd.DataFrame) -> Html:
    """What the statements were read from: per review, how many it gave from its full text,
    or, read without one, that they need it and how to fetch it."""
    items: Sequence[Article] = [articles] if isinstance(articles, Article) else list(articles)
    counts = frame["review_pmid"].value_counts()
    lines = []
    for article in items:
        pmid = article.pmid or "without a PMID"
        if article.body is None:
            lines.append(
                f"PMID {pmid} is read without its full text, so it has no statements: they "
                f"come from the review's body. `reviewbook refresh --full-text {pmid}` fetches "
                "it when PMC has it (an open-access review), or add a saved PMC full text "
                f"(`reviewbook add --force PMC….nxml`)."
            )
        else:
            count = int(counts.get(article.pmid, 0))
            lines.append(f"PMID {pmid}: {count} suggested statements from its full text.")
    markup = "".join(f"<p><small>{escape(line)}</small></p>" for line in lines)
    return Html(f'<div class="reviewbook-statements-note">{markup}</div>', " ".join(lines))
