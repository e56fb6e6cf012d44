"""What each review says about each immune cell: cells, steps and roles of citing sentences."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from reviewbook import statements_frame, unknown_cells
from reviewbook.model import Article, Body, Citation, Paragraph, Section
from reviewbook.tables.statements import (
    STATEMENT_COLUMNS,
    UNKNOWN_COLUMNS,
    Matcher,
    Statement,
    article_matcher,
    score_statements,
    tag_sentence,
    vocabulary_matcher,
)
from reviewbook.tables.statements import LabelledSentence as Label

PLACE = "Immunity › Metastasis"

Cited = tuple[str, Sequence[int] | None]
"""A sentence and the reference positions it cites (None: it cites nothing)."""


def review(*paragraphs: Sequence[Cited], pmid: str = "20000001") -> Article:
    """A review whose one section holds these paragraphs, each sentence with one citation per
    reference it cites (a sentence that cites nothing carries none)."""
    built = []
    for sentences in paragraphs:
        text = " ".join(sentence for sentence, _ in sentences)
        citations = []
        for sentence, references in sentences:
            start = text.index(sentence)
            for position in references or ():
                citations.append(
                    Citation(str(position), (position,), sentence, PLACE, start, start + 1)
                )
        built.append(Paragraph(text, tuple(citations)))
    section = Section("Metastasis", paragraphs=tuple(built), path=tuple(PLACE.split(" › ")))
    return Article(pmid=pmid, title="A made-up review", body=Body(sections=(section,)))


def rows(frame: pd.DataFrame) -> list[dict[str, object]]:
    """The frame's rows as dicts, ``<NA>`` as None."""
    return frame.astype(object).where(frame.notna(), None).to_dict("records")


def tagged(sentence: str, matcher: Matcher | None = None) -> list[tuple[str, str | None, str]]:
    """``(cell, role, evidence)`` of each cell the sentence names."""
    statement = tag_sentence(sentence, matcher)
    return [(cell.cell, cell.role, statement.evidence[cell.cell]) for cell in statement.cells]


# --- finding the cells ---------------------------------------------------------------------------


def test_plural_and_american_spelling_name_the_vocabulary_cell() -> None:
    assert tagged("Tumor-associated macrophages promote metastasis.") == [
        (
            "macrophage",
            "promotes",
            'cell: "Tumor-associated macrophages"; role: "promote" + "metastasis"',
        )
    ]


def test_longest_form_wins_so_cd8_t_cells_are_not_t_cells() -> None:
    statement = tag_sentence("CD8+ T cells kill tumour cells, unlike T cells in general.")
    assert [cell.cell for cell in statement.cells] == ["CD8+ T cell"]
    assert [(m.name, m.text) for m in statement.unlisted] == [
        ("T cell (kind not given)", "T cells")
    ]


def test_longest_form_wins_so_m2_macrophages_are_one_name() -> None:
    assert tagged("M2 macrophages promote metastasis.") == [
        ("macrophage", "promotes", 'cell: "M2 macrophages"; role: "M2"')
    ]
    assert tagged("M1 macrophages were counted.") == [
        ("macrophage", "inhibits", 'cell: "M1 macrophages"; role: "M1"')
    ]


def test_a_molecule_named_after_a_cell_names_no_cell() -> None:
    assert tagged("Blocking cytotoxic T lymphocyte antigen 4 and DC-SIGN helps.") == []


def test_abbreviations_keep_their_case_and_words_do_not() -> None:
    assert tagged("Here tams and dcs are no abbreviations, but TAMs and DCs are.") == [
        ("macrophage", None, 'cell: "TAMs"'),
        ("dendritic cell", None, 'cell: "DCs"'),
    ]


def test_a_review_defines_its_own_abbreviation() -> None:
    article = review(
        [
            ("Tumour-infiltrating neutrophils (TINs) gather in the lung.", None),
            ("TINs promote extravasation.", [1]),
        ]
    )
    assert tagged("TINs promote extravasation.") == []
    assert tagged("TINs promote extravasation.", article_matcher(article)) == [
        (
            "neutrophil",
            "promotes",
            'cell: "TINs"; step: "extravasation"; role: "promote" + "extravasation"',
        )
    ]
    assert article_matcher(review([("No abbreviation here.", [1])])) is vocabulary_matcher()


def test_a_general_name_gives_way_to_the_kinds_it_lists() -> None:
    assert [cell for cell, _, _ in tagged("Immune cells such as Tregs suppress immunity.")] == [
        "regulatory T cell"
    ]


# --- roles ---------------------------------------------------------------------------------------


def test_negation_turns_the_role_round() -> None:
    assert tagged("NK cells fail to restrain metastasis.") == [
        (
            "NK cell",
            "promotes",
            'cell: "NK cells"; role: "restrain" + "metastasis" (negated: "fail to")',
        )
    ]
    assert tagged("Loss of NK cells promotes metastasis.") == [
        (
            "NK cell",
            "inhibits",
            'cell: "NK cells"; role: "promotes" + "metastasis" (negated: "Loss of")',
        )
    ]


def test_hedging_keeps_the_role_and_says_so() -> None:
    assert tagged("Neutrophils may promote colonisation of the lung.") == [
        (
            "neutrophil",
            "promotes",
            'cell: "Neutrophils"; step: "colonisation"; '
            'role: "promote" + "colonisation" (hedged: "may")',
        )
    ]


def test_a_sentence_that_says_nothing_of_a_role_gives_none() -> None:
    assert tagged("Dendritic cells were found in the tumour.") == [
        ("dendritic cell", None, 'cell: "Dendritic cells"')
    ]


def test_an_action_on_a_cell_and_a_role_word_before_it() -> None:
    assert tagged("Tregs suppress CD8+ T cells.") == [
        ("CD8+ T cell", "inhibits", 'cell: "CD8+ T cells"; role: "suppress" (acts on the cell)'),
        ("regulatory T cell", "promotes", 'cell: "Tregs"; role: "suppress" + "CD8+ T cells"'),
    ]
    assert tagged("Anti-tumour NK cells eliminate dormant cells.") == [
        ("NK cell", "inhibits", 'cell: "NK cells"; step: "dormant"; role: "Anti-tumour"')
    ]


def test_both_and_context_dependent_roles() -> None:
    assert tagged("Macrophages play a dual role in metastasis.") == [
        ("macrophage", "both", 'cell: "Macrophages"; role: "dual role"')
    ]
    assert tagged("Neutrophils either promote or inhibit metastasis.") == [
        ("neutrophil", "both", 'cell: "Neutrophils"; role: "either promote or inhibit"')
    ]
    assert tagged("Depending on the cytokines, neutrophils promote metastasis.") == [
        ("neutrophil", "context-dependent", 'cell: "neutrophils"; role: "Depending on"')
    ]


def test_cues_reach_the_cells_of_their_own_clause_only() -> None:
    assert tagged("TAMs promote metastasis, whereas NK cells kill tumour cells.") == [
        ("NK cell", "inhibits", 'cell: "NK cells"; role: "kill" + "tumour cells"'),
        ("macrophage", "promotes", 'cell: "TAMs"; role: "promote" + "metastasis"'),
    ]


def test_a_table_row_marked_pro_tumoral_gives_its_cells_that_role() -> None:
    assert tagged("Mincle | macrophages | Pro-tumoral | senses SAP130 | [1]") == [
        ("macrophage", "promotes", 'cell: "macrophages"; role: "Pro-tumoral" (table column)')
    ]


# --- steps ---------------------------------------------------------------------------------------


def test_steps_come_in_cascade_order_with_their_words() -> None:
    statement = tag_sentence(
        "Platelets aid extravasation and shield circulating tumour cells in the bloodstream."
    )
    assert statement.steps == ("survival in circulation", "arrest and extravasation")
    assert statement.step_words == ("extravasation", "circulating tumour cells", "bloodstream")
    assert tag_sentence("Cell cycle arrest and minimally invasive surgery.").steps == ()


# --- the tables ----------------------------------------------------------------------------------

REVIEW = review(
    [
        ("Tumour-associated macrophages (TAMs) prepare the pre-metastatic niche.", [2]),
        ("TAMs may promote metastasis, whereas NK cells kill tumour cells.", [3, 1]),
        ("Tregs suppress CD8+ T cells.", [4]),
    ],
    [("γδ T cells and T cells infiltrate tumours.", [5]), ("Nothing about cells.", [6])],
)


def test_statements_frame_has_one_row_per_citing_sentence_and_cell() -> None:
    frame = statements_frame(REVIEW)
    assert dict(frame.dtypes.astype(str)) == STATEMENT_COLUMNS
    assert rows(frame) == [
        {
            "review_pmid": "20000001",
            "sentence": "Tumour-associated macrophages (TAMs) prepare the pre-metastatic niche.",
            "section": PLACE,
            "cell": "macrophage",
            "steps": ("pre-metastatic niche",),
            "role": None,
            "references": (2,),
            "evidence": 'cell: "Tumour-associated macrophages", "TAMs"; '
            'step: "pre-metastatic niche"',
        },
        {
            "review_pmid": "20000001",
            "sentence": "TAMs may promote metastasis, whereas NK cells kill tumour cells.",
            "section": PLACE,
            "cell": "NK cell",
            "steps": (),
            "role": "inhibits",
            "references": (1, 3),
            "evidence": 'cell: "NK cells"; role: "kill" + "tumour cells"',
        },
        {
            "review_pmid": "20000001",
            "sentence": "TAMs may promote metastasis, whereas NK cells kill tumour cells.",
            "section": PLACE,
            "cell": "macrophage",
            "steps": (),
            "role": "promotes",
            "references": (1, 3),
            "evidence": 'cell: "TAMs"; role: "promote" + "metastasis" (hedged: "may")',
        },
        {
            "review_pmid": "20000001",
            "sentence": "Tregs suppress CD8+ T cells.",
            "section": PLACE,
            "cell": "CD8+ T cell",
            "steps": (),
            "role": "inhibits",
            "references": (4,),
            "evidence": 'cell: "CD8+ T cells"; role: "suppress" (acts on the cell)',
        },
        {
            "review_pmid": "20000001",
            "sentence": "Tregs suppress CD8+ T cells.",
            "section": PLACE,
            "cell": "regulatory T cell",
            "steps": (),
            "role": "promotes",
            "references": (4,),
            "evidence": 'cell: "Tregs"; role: "suppress" + "CD8+ T cells"',
        },
    ]


def test_statements_of_several_reviews_stack_and_no_body_gives_no_rows() -> None:
    other = review([("Neutrophils were counted.", [1])], pmid="20000002")
    without_body = Article(pmid="20000003", title="Only a record")
    frame = statements_frame([REVIEW, without_body, other])
    assert list(frame["review_pmid"]) == ["20000001"] * 5 + ["20000002"]
    empty = statements_frame(without_body)
    assert empty.empty
    assert dict(empty.dtypes.astype(str)) == STATEMENT_COLUMNS


def test_unknown_cells_are_counted_and_listed_never_dropped() -> None:
    frame = unknown_cells(
        [REVIEW, review([("T cells and eosinophils die.", [1])], pmid="20000002")]
    )
    assert dict(frame.dtypes.astype(str)) == UNKNOWN_COLUMNS
    assert rows(frame) == [
        {
            "review_pmid": "20000001",
            "cell": "T cell (kind not given)",
            "sentences": 1,
            "forms": "T cells",
            "example": "γδ T cells and T cells infiltrate tumours.",
        },
        {
            "review_pmid": "20000001",
            "cell": "γδ T cell",
            "sentences": 1,
            "forms": "γδ T cells",
            "example": "γδ T cells and T cells infiltrate tumours.",
        },
        {
            "review_pmid": "20000002",
            "cell": "T cell (kind not given)",
            "sentences": 1,
            "forms": "T cells",
            "example": "T cells and eosinophils die.",
        },
        {
            "review_pmid": "20000002",
            "cell": "eosinophil",
            "sentences": 1,
            "forms": "eosinophils",
            "example": "T cells and eosinophils die.",
        },
    ]


# --- measured against labels ---------------------------------------------------------------------


def test_scores_count_cells_and_steps_per_sentence_and_roles_both_have() -> None:
    statements = {
        "PMC1": (
            tag_sentence("TAMs promote EMT.", section="S"),
            tag_sentence("NK cells and DCs were counted.", section="S"),
        )
    }
    labels = [
        Label("PMC1", "S", "TAMs promote EMT.", (("macrophage", "promotes"),), ("dormancy",)),
        Label("PMC1", "S", "NK cells and DCs were counted.", (("NK cell", "inhibits"),)),
        Label("PMC1", "S", "A sentence the tagger never read.", (("B cell", None),)),
    ]
    scores = score_statements(labels, statements)
    assert (scores.sentences, scores.found) == (3, 2)
    assert scores.cells == (2, 1, 1)
    assert scores.steps == (0, 1, 1)
    assert scores.roles == (1, 2)
    assert (scores.cell_precision, scores.cell_recall, scores.role_accuracy) == (2 / 3, 2 / 3, 0.5)


def test_a_statement_is_a_frozen_record() -> None:
    statement = tag_sentence("NK cells kill.")
    assert isinstance(statement, Statement)
    assert statement.cells[0].role == "inhibits"
