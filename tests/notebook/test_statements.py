"""Suggested statements in the notebook (``reviewbook.notebook.statements``): reviewing them into
claims through the store, browsing them by cell type, and the heatmap keeping them apart."""

from __future__ import annotations

import sys
from html import escape
from pathlib import Path

import pytest

from reviewbook.annotations import store
from reviewbook.annotations.anchoring import Quote
from reviewbook.annotations.loading import load_annotations
from reviewbook.annotations.model import Annotations, Claim, StatementDecision
from reviewbook.notebook.charts import SUGGESTED_MARK, evidence_heatmap
from reviewbook.notebook.editor import RERUN_HINT
from reviewbook.notebook.html import LINK_STYLE
from reviewbook.notebook.statements import (
    NO_STATEMENTS,
    StatementBrowser,
    StatementReview,
    citation_html,
    statement_html,
)
from tests.annotations.statement_frames import (
    CD8,
    COX,
    PGE2,
    PROTAC_PMID,
    RECRUITERS,
    protac_review,
    protac_statements,
    statement,
    statements_of,
)
from tests.annotations.test_store import THEIRS, write_during_the_swap

ARTICLE = protac_review()
PROTAC_FILE = 'pmid: "41032705"\n'
HOSTILE = '<script>alert(1)</script><img src=x onerror="alert(2)">'


@pytest.fixture
def notes(tmp_path: Path) -> Path:
    """An annotation file of PMID 41032705 with nothing decided yet."""
    path = tmp_path / f"{PROTAC_PMID}.yaml"
    path.write_text(PROTAC_FILE, encoding="utf-8")
    return path


def _pubmed_link(number: int, pmid: str) -> str:
    title = escape(ARTICLE.references[number - 1].raw)
    return (
        f'<a class="reviewbook-cited" href="https://pubmed.ncbi.nlm.nih.gov/{pmid}/" '
        f'title="{title}" target="_blank" rel="noopener" style="{LINK_STYLE}">[{number}]</a>'
    )


# --- citations and one statement ----------------------------------------------------------------


def test_a_citation_links_to_its_references_own_record_titled_with_its_printed_citation() -> None:
    assert citation_html(53, ARTICLE) == _pubmed_link(53, "26343581")
    doi_only = ARTICLE.references[6]  # reference 7 has a DOI and no PMID
    assert citation_html(7, ARTICLE) == (
        f'<a class="reviewbook-cited" href="https://doi.org/{escape(doi_only.doi)}" '
        f'title="{escape(doi_only.raw)}" target="_blank" rel="noopener" '
        f'style="{LINK_STYLE}">[7]</a>'
    )
    assert citation_html(99, ARTICLE) == "[99]"  # not in the list
    assert citation_html(53, None) == "[53]"  # no article to look it up in


def test_a_statement_shows_the_suggestion_the_sentence_and_each_citation() -> None:
    row = protac_statements().iloc[0]
    assert statement_html(row, ARTICLE) == (
        '<div class="reviewbook-statement">'
        "<p><b>Suggested:</b> regulatory T cell · primary tumour growth and invasion · "
        "role: promotes</p>"
        f'<blockquote style="margin:4px 0 4px 1em">{escape(PGE2)}</blockquote>'
        f"<p><small>In {COX} · tagged from: regulatory T cells; promote</small></p>"
        '<ul class="reviewbook-citations" style="font-size:12px">'
        f"<li>{_pubmed_link(53, '26343581')} {escape(ARTICLE.references[52].raw)}</li>"
        f"<li>{_pubmed_link(14, '37308665')} {escape(ARTICLE.references[13].raw)}</li></ul>"
        "</div>"
    )


def test_hostile_text_in_a_statement_is_shown_as_text() -> None:
    row = statement(HOSTILE, HOSTILE, HOSTILE, (HOSTILE,), HOSTILE, (), HOSTILE)
    shown = statement_html(row, ARTICLE)
    assert "<script" not in shown and "<img" not in shown
    assert shown.count("&lt;script&gt;alert(1)&lt;/script&gt;") == 6
    assert "The sentence cites no reference." in shown


# --- reviewing: accept, reject, not again ---------------------------------------------------------


def test_the_review_offers_the_first_open_statement_prefilled(notes: Path) -> None:
    review = StatementReview(notes, ARTICLE, protac_statements())
    assert repr(review) == (
        "StatementReview: 5 open suggested statements of 5 for PMID 41032705 "
        "(0 accepted, 0 rejected)"
    )
    assert review.status.value == ""
    assert [label for label, _ in review.choice.options] == [
        f"1. regulatory T cell: {PGE2[:89].rstrip()}…",
        f"2. macrophage: {PGE2[:89].rstrip()}…",
        f"3. CD8+ T cell: {PGE2[:89].rstrip()}…",
        f"4. CD8+ T cell: {CD8[:89].rstrip()}…",
        f"5. leukocyte: {RECRUITERS[:89].rstrip()}…",
    ]
    assert review.shown.value == statement_html(protac_statements().iloc[0], ARTICLE)
    assert review.claim_id.value == "regulatory-t-cell-pge2-was-found-to"
    assert review.statement.value == ""
    assert review.cells.value == ("regulatory T cell",)
    assert review.steps.value == ("primary tumour growth and invasion",)
    assert review.role.value == "promotes"
    assert (review.accept.disabled, review.reject.disabled) == (False, False)
    review.choice.value = 3
    assert (review.claim_id.value, review.cells.value, review.role.value) == (
        "cd8-t-cell-once-activated-cd8-t",
        ("CD8+ T cell",),
        "",
    )


@pytest.mark.parametrize(
    ("written", "reason"),
    [
        ("", "write the claim&#x27;s statement in your own words first"),
        ("   ", "write the claim&#x27;s statement in your own words first"),
        (
            PGE2,
            "the statement copies the sentence: write the claim&#x27;s statement in your own words",
        ),
    ],
)
def test_accepting_without_a_statement_of_our_own_is_refused_and_writes_nothing(
    notes: Path, written: str, reason: str
) -> None:
    review = StatementReview(notes, ARTICLE, protac_statements())
    review.statement.value = written
    review.accept.click()
    assert review.status.value == (
        '<div class="reviewbook-status reviewbook-refused" style="color: firebrick">'
        f"Not saved: {reason}</div>"
    )
    assert notes.read_text(encoding="utf-8") == PROTAC_FILE
    assert len(review.open) == 5


def test_accepting_saves_the_claim_and_the_decision_in_one_save_then_offers_the_next(
    notes: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    swaps: list[Path] = []
    real_swap = store.swap_in

    def counted(path: Path, data: bytes, checked: bytes | None) -> Path | None:
        swaps.append(path)
        return real_swap(path, data, checked)

    monkeypatch.setattr(store, "swap_in", counted)
    monkeypatch.setattr(store, "current_stamp", lambda: "2026-12-07T12:00:00Z")
    review = StatementReview(notes, ARTICLE, protac_statements())
    review.claim_id.value = "pge2-tregs"
    review.statement.value = "PGE2 favours regulatory T cells."
    review.steps.value = ()
    review.accept.click()
    assert swaps == [notes]
    assert review.status.value == (
        '<div class="reviewbook-status reviewbook-saved" style="color: green">'
        f"Saved claim pge2-tregs and the decision to {notes.name}</div>"
    )
    saved = load_annotations(notes)
    assert saved.claims == (
        Claim(
            "pge2-tregs",
            "PGE2 favours regulatory T cells.",
            Quote(PGE2),
            f"section:{COX}",
            ("regulatory T cell",),
            (),
            "promotes",
            (53, 14),
            created="2026-12-07T12:00:00Z",
            modified="2026-12-07T12:00:00Z",
        ),
    )
    assert saved.statements == (
        StatementDecision(PGE2, "regulatory T cell", "accepted", "pge2-tregs"),
    )
    assert review.version.sha256 == saved.sha256
    # the next open statement takes its place; the re-run is offered
    assert [label[:14] for label, _ in review.choice.options] == [
        "1. macrophage:",
        "2. CD8+ T cell",
        "3. CD8+ T cell",
        "4. leukocyte: ",
    ]
    assert review.choice.value == 0
    assert review.cells.value == ("macrophage",)
    assert review.rerun_offer.message.value == f"<small>{escape(RERUN_HINT)}</small>"


def test_rejecting_saves_the_decision_and_the_statement_is_not_offered_again_after_reload(
    notes: Path,
) -> None:
    frame = protac_statements()
    review = StatementReview(notes, ARTICLE, frame, rerun=lambda path: f"re-ran for {path.name}")
    review.choice.value = 1
    review.reject.click()
    assert review.status.value == (
        '<div class="reviewbook-status reviewbook-saved" style="color: green">'
        f"Saved the rejection (macrophage) to {notes.name}</div>"
    )
    assert load_annotations(notes).statements == (
        StatementDecision(PGE2, "macrophage", "rejected"),
    )
    assert review.rerun_offer.button.layout.display is None  # the re-run button shows
    assert review.choice.value == 1  # the statement after the rejected one
    assert review.cells.value == ("CD8+ T cell",)
    again = StatementReview(notes, ARTICLE, frame)
    assert repr(again) == (
        "StatementReview: 4 open suggested statements of 5 for PMID 41032705 "
        "(0 accepted, 1 rejected)"
    )
    assert ("macrophage", PGE2) not in set(
        zip(again.open["cell"], again.open["sentence"], strict=True)
    )


def test_when_every_statement_is_decided_the_review_says_so(notes: Path) -> None:
    frame = protac_statements().iloc[[1]]
    review = StatementReview(notes, ARTICLE, frame)
    review.reject.click()
    assert review.choice.options == ()
    assert review.shown.value == (
        "<p><i>No open suggested statement: every one is decided.</i></p>"
    )
    assert (review.accept.disabled, review.reject.disabled) == (True, True)
    assert repr(review).startswith("StatementReview: 0 open suggested statements of 1")


def test_only_the_reviews_own_statements_are_offered(notes: Path) -> None:
    frame = statements_of(
        statement(PGE2, COX, "macrophage"),
        statement("Another review's sentence.", "Intro", "macrophage", review_pmid="1"),
    )
    review = StatementReview(notes, ARTICLE, frame)
    assert list(review.open["review_pmid"]) == [PROTAC_PMID]


def test_a_statement_no_claim_can_quote_can_be_rejected_not_accepted(notes: Path) -> None:
    frame = statements_of(statement("Not a sentence of this review.", "Table 1", "macrophage"))
    review = StatementReview(notes, ARTICLE, frame)
    assert review.accept.disabled
    assert "Cannot be accepted as a claim:" in review.shown.value
    review.accept.click()  # a click that gets through anyway is refused
    assert "Not saved: no statement that can be accepted is shown" in review.status.value
    review.reject.click()  # not the review's text: the store refuses it, naming the field
    assert "statements[0].sentence: sentence not found in the review" in review.status.value
    assert notes.read_text(encoding="utf-8") == PROTAC_FILE


def test_without_a_file_the_first_decision_creates_it(tmp_path: Path) -> None:
    path = tmp_path / f"{PROTAC_PMID}.yaml"
    review = StatementReview(path, ARTICLE, protac_statements())
    assert len(review.open) == 5
    review.reject.click()
    created = load_annotations(path)
    assert (created.pmid, created.statements) == (
        PROTAC_PMID,
        (StatementDecision(PGE2, "regulatory T cell", "rejected"),),
    )


# --- another program writing the file -----------------------------------------------------------


def test_a_file_changed_since_it_was_read_is_not_overwritten_and_reload_shows_it(
    notes: Path,
) -> None:
    review = StatementReview(notes, ARTICLE, protac_statements())
    elsewhere = (
        PROTAC_FILE + "statements:\n"
        f'  - sentence: "{PGE2}"\n'
        "    cell: regulatory T cell\n"
        "    decision: rejected\n"
    )
    notes.write_text(elsewhere, encoding="utf-8")
    review.choice.value = 1
    review.reject.click()
    assert "Not saved:" in review.status.value
    assert "changed on disk since it was read" in review.status.value
    assert notes.read_text(encoding="utf-8") == elsewhere
    assert review.reload.layout.display is None
    review.reload.click()
    assert review.status.value == (
        '<div class="reviewbook-status reviewbook-saved" style="color: green">'
        f"Reloaded {notes.name}</div>"
    )
    assert review.reload.layout.display == "none"
    assert len(review.open) == 4  # the other program's decision counts
    review.reject.click()
    assert "Saved the rejection" in review.status.value
    assert len(load_annotations(notes).statements) == 2


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="renameat2 is Linux's")
def test_a_write_at_the_moment_of_the_save_is_kept_beside_the_file_and_named(
    notes: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    review = StatementReview(notes, ARTICLE, protac_statements())
    review.statement.value = "PGE2 favours regulatory T cells."
    write_during_the_swap(monkeypatch, notes, "rename")
    review.accept.click()
    [kept] = notes.parent.glob(f"{notes.name}.conflict-*")
    assert kept.read_text(encoding="utf-8") == THEIRS
    assert review.status.value == (
        '<div class="reviewbook-status reviewbook-saved" style="color: green">'
        f"Saved claim regulatory-t-cell-pge2-was-found-to and the decision to {notes.name}, "
        f"but another program wrote {notes.name} at the same moment; its version is kept as "
        f"{kept.name}: merge it by hand</div>"
    )
    assert len(load_annotations(notes).statements) == 1
    assert len(review.open) == 4


# --- the snapshot --------------------------------------------------------------------------------


def test_the_review_snapshot_lists_the_open_statements_and_says_it_is_one(notes: Path) -> None:
    review = StatementReview(notes, ARTICLE, protac_statements().iloc[[0, 3]])
    bundle = review._repr_mimebundle_()
    assert bundle["text/plain"] == repr(review)
    assert "application/vnd.jupyter.widget-view+json" in bundle
    snapshot = bundle["text/html"]
    assert snapshot.startswith(
        '<div class="mathjax_ignore tex2jax_ignore"><div class="reviewbook-statements-snapshot">'
        "<p><b>2 open suggested statements of 2 for PMID 41032705 (0 accepted, 0 rejected)</b> "
        "<i>(a snapshot of the statement review: run the notebook to accept or reject)</i></p>"
    )
    assert snapshot.count('<div class="reviewbook-statement">') == 2


# --- browsing ----------------------------------------------------------------------------------


def test_the_browser_lists_cell_types_and_their_steps_with_counts() -> None:
    frame = statements_of(
        *protac_statements().to_dict("records"),
        statement(CD8, "s", "CD8+ T cell", ("intravasation", "dormancy")),
        statement(RECRUITERS, "s", "CD8+ T cell", ("dormancy",)),
    )
    browser = StatementBrowser(frame, ARTICLE)
    assert browser.cell.options == (
        ("leukocyte (1)", "leukocyte"),
        ("CD8+ T cell (4)", "CD8+ T cell"),
        ("regulatory T cell (1)", "regulatory T cell"),
        ("macrophage (1)", "macrophage"),
    )
    browser.cell.value = "CD8+ T cell"
    assert browser.step.options == (
        ("any step (4)", ""),
        ("intravasation (1)", "intravasation"),
        ("dormancy (2)", "dormancy"),
    )
    assert len(browser.shown) == 4
    browser.step.value = "dormancy"
    assert list(browser.shown["sentence"]) == [CD8, RECRUITERS]
    assert repr(browser) == "StatementBrowser: 2 statements for CD8+ T cell / dormancy"
    browser.cell.value = "macrophage"  # a new cell type starts at any step
    assert browser.step.value == ""
    assert list(browser.shown["sentence"]) == [PGE2]


def test_the_browser_table_shows_sentence_section_steps_role_and_linked_citations() -> None:
    browser = StatementBrowser(protac_statements(), [ARTICLE])
    browser.cell.value = "regulatory T cell"
    table = browser.table.value
    assert (
        "<thead><tr><th>Sentence</th><th>Section</th><th>Steps</th><th>Role</th><th>Cites</th>"
        "</tr></thead>"
    ) in table
    assert (
        f"<tr><td>{escape(PGE2)}</td><td>{COX}</td><td>primary tumour growth and invasion</td>"
        f"<td>promotes</td><td>{_pubmed_link(53, '26343581')} {_pubmed_link(14, '37308665')}"
        "</td></tr>"
    ) in table
    assert "<p>1 suggested statements</p>" in table


def test_without_articles_citations_are_plain_and_several_reviews_show_the_review() -> None:
    frame = statements_of(
        statement(PGE2, COX, "macrophage", references=(53,)),
        statement("Elsewhere.", "Intro", "macrophage", role="inhibits", review_pmid="1"),
    )
    browser = StatementBrowser(frame)
    table = browser.table.value
    assert "<th>Review</th>" in table
    assert (
        "<tr><td>1</td><td>Elsewhere.</td><td>Intro</td><td></td><td>inhibits</td><td></td></tr>"
    ) in table
    assert "<td>not stated</td><td>[53]</td>" in table


def test_the_browser_snapshot_names_its_choice(notes: Path) -> None:
    browser = StatementBrowser(protac_statements(), ARTICLE, max_rows=1)
    browser.cell.value = "CD8+ T cell"
    snapshot = browser._repr_mimebundle_()["text/html"]
    assert (
        '<div class="reviewbook-statement-browser-snapshot"><p><b>CD8+ T cell / any step</b> '
        "<i>(a snapshot of the statement browser: run the notebook to choose another)</i></p>"
    ) in snapshot
    assert "<p><i>Showing the first 1 of 2 statements.</i></p>" in snapshot


def test_an_empty_frame_browses_to_nothing() -> None:
    browser = StatementBrowser(protac_statements().iloc[0:0])
    assert browser.cell.options == ()
    assert browser.table.value == f"<p><i>{NO_STATEMENTS}</i></p>"


# --- the heatmap: ours and suggested apart -----------------------------------------------------

OURS = Annotations(
    PROTAC_PMID,
    claims=tuple(
        Claim(f"c{n}", "S.", Quote("q"), "abstract", ("leukocyte",), ("intravasation",), role)
        for n, role in enumerate(("promotes", "inhibits"))
    ),
)


def test_the_heatmap_shows_suggested_counts_apart_and_marked_with_a_legend() -> None:
    frame = statements_of(
        *protac_statements().to_dict("records"),
        statement(CD8, "s", "leukocyte", ("intravasation",), "promotes"),
    )
    heatmap = evidence_heatmap([OURS], frame)
    markup = heatmap._repr_html_()
    assert repr(heatmap) == ("evidence heatmap: 2 cell types x 7 steps, 3 suggestions apart")
    mark = f'<span class="reviewbook-suggested" style="{SUGGESTED_MARK}">'
    assert (
        '<td title="leukocyte / intravasation: 2 claims (inhibits, promotes); 2 suggested '
        'statements (inhibits, promotes)" style="background:#fbc98e;color:#1f2328;'
        f'text-align:center;min-width:2em">2{mark}2</span></td>'
    ) in markup
    assert (
        '<td title="regulatory T cell / primary tumour growth and invasion: 0 claims; '
        '1 suggested statements (promotes)" style="background:#ffffff;color:#1f2328;'
        f'text-align:center;min-width:2em">{mark}1</span></td>'
    ) in markup
    assert '<p class="reviewbook-heatmap-legend"' in markup
    assert "suggested statements, found by the tagger" in markup


def test_the_heatmap_leaves_decided_statements_out_of_the_suggestions() -> None:
    row = protac_statements().iloc[4]  # leukocyte, intravasation
    decided = Annotations(
        PROTAC_PMID,
        OURS.claims,
        statements=(StatementDecision(RECRUITERS, "leukocyte", "rejected"),),
    )
    frame = statements_of(row.to_dict())
    assert (
        'reviewbook-suggested" style'
        not in evidence_heatmap([decided], frame).markup.split("<p")[0]
    )
    assert "2 suggested statements" not in evidence_heatmap([decided], frame).markup
    assert "1 suggested statements" in evidence_heatmap([OURS], frame).markup


def test_the_heatmap_without_statements_is_as_before() -> None:
    markup = evidence_heatmap([OURS]).markup
    assert "suggested" not in markup
    assert (
        '<td title="leukocyte / intravasation: 2 claims (inhibits, promotes)" '
        'style="background:#fbc98e;color:#1f2328;text-align:center;min-width:2em">2</td>'
    ) in markup


def test_the_real_statements_frame_can_be_reviewed_and_browsed(notes: Path) -> None:
    statements = pytest.importorskip("reviewbook.tables.statements", exc_type=ImportError)
    frame = statements.statements_frame(ARTICLE)
    review = StatementReview(notes, ARTICLE, frame)
    assert len(review.open) == len(frame) > 0
    for position in range(len(review.open)):
        review.choice.value = position
        assert review.draft is not None, review.open.iloc[position]["sentence"]
    review.choice.value = 0
    review.statement.value = "Our own words."
    review.accept.click()
    assert "Saved claim" in review.status.value
    assert len(StatementReview(notes, ARTICLE, frame).open) == len(frame) - 1
    browser = StatementBrowser(frame, ARTICLE)
    assert sum(
        len(browser.frame[browser.frame["cell"] == cell]) for _, cell in browser.cell.options
    ) == len(frame)


def test_a_review_without_its_full_text_says_what_its_statements_need() -> None:
    """No body, no statements: the note says how to fetch the full text, the browser says why
    it is empty."""
    from reviewbook.notebook.statements import statements_note
    from reviewbook.tables.statements import statements_frame
    from tests.conftest import expected_article

    janssen = expected_article("29037250")
    empty = statements_frame(janssen)
    assert repr(statements_note(janssen, empty)) == (
        "PMID 29037250 is read without its full text, so it has no statements: they come "
        "from the review's body. `reviewbook refresh --full-text 29037250` fetches it when "
        "PMC has it (an open-access review), or add a saved PMC full text "
        "(`reviewbook add --force PMC….nxml`)."
    )
    browser = StatementBrowser(empty, janssen)
    assert browser.table.value == f"<p><i>{NO_STATEMENTS}</i></p>"
    assert "<b>no statements</b>" in browser.snapshot_html()
