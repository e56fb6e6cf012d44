"""reviewbook: read review articles closely, from their PubMed pages to tables and notes.

The names below are the package's face: notebooks and scripts import from here. The readers
load with the package; everything else (tables and pandas, widgets, charts, exports, the
workbook's own folders and notebooks) loads the first time it is used, so ``import reviewbook``
and the command line start quickly. docs/architecture.md says where each name lives.
"""

from __future__ import annotations

import importlib
from typing import Any

from reviewbook.errors import Problem, PubMedPageError, ReadError
from reviewbook.model import Article, Body, Citation, Figure, Reference, Section
from reviewbook.sources.citation import expand_page_range, journal_key, parse_citation
from reviewbook.sources.formats import iter_articles, read_article, read_articles
from reviewbook.sources.jats import parse_jats
from reviewbook.sources.page import parse_pubmed_page, read_pubmed_page

LAZY_NAMES: dict[str, str] = {
    **dict.fromkeys(("articles_frame", "references_frame"), "reviewbook.tables.frames"),
    **dict.fromkeys(("Filters", "filter_references"), "reviewbook.tables.filters"),
    **dict.fromkeys(
        (
            "cited_where",
            "cocited_printings",
            "most_cocited",
            "overlap_matrix",
            "shared_references",
        ),
        "reviewbook.tables.overlap",
    ),
    "completeness_frame": "reviewbook.tables.completeness",
    "reference_counts": "reviewbook.sources.completion",
    **dict.fromkeys(
        ("claims_note", "completeness_note", "count_note"), "reviewbook.notebook.completeness"
    ),
    **dict.fromkeys(("journal_counts", "year_counts"), "reviewbook.tables.counts"),
    **dict.fromkeys(("figures_frame", "sentences_frame"), "reviewbook.tables.text_frames"),
    **dict.fromkeys(("citations_frame", "sections_frame"), "reviewbook.tables.fulltext"),
    **dict.fromkeys(("statements_frame", "unknown_cells"), "reviewbook.tables.statements"),
    "statement_comparison": "reviewbook.tables.comparison",
    **dict.fromkeys(
        ("named_suggestions", "open_statements", "statements_by_cell"), "reviewbook.tables.claims"
    ),
    **dict.fromkeys(
        ("StatementBrowser", "StatementReview", "statements_note"), "reviewbook.notebook.statements"
    ),
    **dict.fromkeys(
        ("StatementNotQuotable", "claim_from_statement"), "reviewbook.annotations.statements"
    ),
    **dict.fromkeys(("StatementDecision",), "reviewbook.annotations.model"),
    "decide_statement": "reviewbook.annotations.store",
    **dict.fromkeys(
        (
            "claims_by_sentence",
            "claims_frame",
            "coverage",
            "evidence_matrix",
            "reference_tags_frame",
            "with_tags",
        ),
        "reviewbook.tables.claims",
    ),
    **dict.fromkeys(
        (
            "export_text",
            "format_bibliography",
            "to_biblatex",
            "to_bibtex",
            "to_csl_json",
            "to_ris",
            "write_export",
        ),
        "reviewbook.exports",
    ),
    "load_annotations": "reviewbook.annotations.loading",
    "validate_annotations": "reviewbook.annotations.validation",
    **dict.fromkeys(
        ("bibliographic_card", "reviews_table", "sections_html"), "reviewbook.notebook.cards"
    ),
    "frame_view": "reviewbook.notebook.frame_view",
    **dict.fromkeys(
        (
            "evidence_heatmap",
            "overlap_heatmap",
            "plot_citations_by_section",
            "plot_journals",
            "plot_reference_years",
        ),
        "reviewbook.notebook.charts",
    ),
    **dict.fromkeys(
        ("citation_contexts", "full_text_html", "outline_html"), "reviewbook.notebook.fulltext"
    ),
    "ReferenceExplorer": "reviewbook.notebook.explorer",
    **dict.fromkeys(("EvidenceBrowser", "annotated_text"), "reviewbook.notebook.annotated"),
    "AnnotationEditor": "reviewbook.notebook.editor",
    **dict.fromkeys(("load_notes", "load_review", "load_reviews"), "reviewbook.workbook.reviews"),
    "annotations_path": "reviewbook.workbook.paths",
    "record_files": "reviewbook.workbook.manifest",
    "notebook_index": "reviewbook.workbook.index",
    "rerun_notebooks_reading": "reviewbook.workbook.provenance",
    "add_review": "reviewbook.workbook.adding",
    "build_corpus": "reviewbook.corpus.build",
    **dict.fromkeys(
        (
            "FIELD_MESH",
            "canon_overlap",
            "cited_by_reviews",
            "co_cited_pairs",
            "corpus_year_counts",
            "coupled_reviews",
            "field_reviews",
            "most_cited",
            "open_corpus",
            "workbook_in_field",
        ),
        "reviewbook.corpus.queries",
    ),
    **dict.fromkeys(
        (
            "generate_field",
            "revised",
            "works_cited_by",
            "write_baseline",
            "write_pubmed_file",
        ),
        "reviewbook.corpus.generated",
    ),
}
"""Public names loaded on first use, and the module each comes from."""

__all__ = [
    "Article",
    "Body",
    "Citation",
    "Figure",
    "Problem",
    "PubMedPageError",
    "ReadError",
    "Reference",
    "Section",
    "expand_page_range",
    "iter_articles",
    "journal_key",
    "parse_citation",
    "parse_jats",
    "parse_pubmed_page",
    "read_article",
    "read_articles",
    "read_pubmed_page",
    *LAZY_NAMES,
]


def __getattr__(name: str) -> Any:
    """A public name of `LAZY_NAMES`, imported from its module the first time it is asked for."""
    if name not in LAZY_NAMES:
        raise AttributeError(f"module 'reviewbook' has no attribute {name!r}")
    value = getattr(importlib.import_module(LAZY_NAMES[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *LAZY_NAMES})
