"""The controlled vocabulary of annotations: immune cell types, metastatic steps and roles.

Every term an annotation file may use is listed here, once, with a short definition and the
synonyms a reader is likely to type. Files must use the canonical ``name``; a synonym is an
error whose message names the term to use instead (see `suggest_term`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from reviewbook.text import fold


@dataclass(frozen=True, slots=True)
class Term:
    """One vocabulary entry: the name files use, what it means, and other names for it."""

    name: str
    definition: str
    synonyms: tuple[str, ...] = ()


CELL_TYPES: tuple[Term, ...] = (
    Term(
        "leukocyte",
        "Immune cells in general, when the text names no particular kind.",
        ("leukocytes", "immune cell", "white blood cell"),
    ),
    Term(
        "CD8+ T cell",
        "Cytotoxic T lymphocyte; kills cells that present its antigen on MHC class I.",
        ("CTL", "cytotoxic T cell", "CD8 T cell", "cytotoxic T lymphocyte"),
    ),
    Term(
        "CD4+ Th1 cell",
        "Helper T cell making IFN-γ; licenses cytotoxic T cells and tumoricidal macrophages.",
        ("Th1 cell", "T helper 1 cell"),
    ),
    Term(
        "CD4+ Th2 cell",
        "Helper T cell making IL-4 and IL-13; can polarise macrophages towards tissue repair.",
        ("Th2 cell", "T helper 2 cell"),
    ),
    Term(
        "regulatory T cell",
        "FOXP3+ CD4+ T cell that suppresses other immune responses.",
        ("Treg", "Tregs", "T regulatory cell"),
    ),
    Term(
        "NK cell",
        "Natural killer cell; innate lymphocyte that kills cells lacking MHC class I.",
        ("natural killer cell",),
    ),
    Term("B cell", "Antibody-producing lymphocyte.", ("B lymphocyte",)),
    Term(
        "macrophage",
        "Tissue phagocyte derived from monocytes or embryonic precursors; includes TAMs.",
        ("tumour-associated macrophage", "tumor-associated macrophage", "TAM"),
    ),
    Term("monocyte", "Circulating myeloid precursor of macrophages and some dendritic cells."),
    Term(
        "neutrophil",
        "Short-lived granulocyte; the most abundant leukocyte in human blood.",
        ("granulocyte", "tumour-associated neutrophil", "TAN"),
    ),
    Term(
        "MDSC",
        "Myeloid-derived suppressor cell; immature myeloid cell that suppresses T cells.",
        ("myeloid-derived suppressor cell",),
    ),
    Term(
        "dendritic cell",
        "Antigen-presenting cell that primes naive T cells.",
        ("DC", "DCs"),
    ),
    Term("mast cell", "Granule-rich tissue cell releasing histamine, proteases and cytokines."),
    Term(
        "platelet",
        "Anucleate blood cell fragment; coats and shields tumour cells in the blood.",
        ("thrombocyte",),
    ),
    Term(
        "osteoclast",
        "Bone-resorbing cell of the monocyte–macrophage lineage.",
    ),
    Term(
        "glial cell",
        "Non-neuronal resident cell of the brain (astrocytes, microglia).",
        ("glia",),
    ),
    Term(
        "CAF",
        "Carcinoma- or cancer-associated fibroblast; stromal, not immune, but signals with them.",
        ("carcinoma-associated fibroblast", "cancer-associated fibroblast"),
    ),
)
"""Immune (and a few stromal) cell types a claim may name, in the field's ``cells`` list."""

METASTATIC_STEPS: tuple[Term, ...] = (
    Term(
        "primary tumour growth and invasion",
        "Growth at the primary site and invasion of the surrounding tissue.",
        ("primary tumor growth and invasion", "invasion", "local invasion"),
    ),
    Term(
        "intravasation",
        "Entry of tumour cells into blood or lymphatic vessels.",
    ),
    Term(
        "survival in circulation",
        "Survival of circulating tumour cells against shear stress and immune attack.",
        ("circulation", "CTC survival"),
    ),
    Term(
        "arrest and extravasation",
        "Arrest in the capillaries of a distant organ and exit from the vessel.",
        ("extravasation", "arrest"),
    ),
    Term(
        "pre-metastatic niche",
        "Preparation of a distant organ, before tumour cells arrive, to receive them.",
        ("premetastatic niche",),
    ),
    Term(
        "colonisation and outgrowth",
        "Survival and growth of disseminated cells into macroscopic metastases.",
        ("colonization and outgrowth", "colonisation", "colonization", "outgrowth"),
    ),
    Term(
        "dormancy",
        "Disseminated cells persisting without growing, sometimes for years.",
        ("tumour dormancy", "tumor dormancy"),
    ),
)
"""Steps of the metastatic cascade, in cascade order, for a claim's ``steps`` list."""

ROLES: tuple[Term, ...] = (
    Term("promotes", "The text says the cells or signals help metastasis."),
    Term("inhibits", "The text says the cells or signals restrain metastasis."),
    Term("both", "The text says they can help and restrain, without saying when."),
    Term(
        "context-dependent",
        "The text says the effect depends on the setting: tumour type, activation, timing.",
    ),
)
"""What the text says the named cells do to metastasis, for a claim's ``role``."""

VOCABULARIES: dict[str, tuple[Term, ...]] = {
    "cells": CELL_TYPES,
    "steps": METASTATIC_STEPS,
    "role": ROLES,
}
"""Each claim field checked against the vocabulary, with the terms it accepts."""


def term_names(terms: Sequence[Term]) -> tuple[str, ...]:
    """The canonical names of ``terms``, in vocabulary order."""
    return tuple(term.name for term in terms)


def suggest_term(terms: Sequence[Term], word: str) -> str | None:
    """The canonical name ``word`` stands for (a synonym, or a case or typography variant)."""
    folded = fold(word)
    for term in terms:
        if folded in (fold(name) for name in (term.name, *term.synonyms)):
            return term.name
    return None
