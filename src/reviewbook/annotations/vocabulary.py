"""The controlled vocabulary of annotations: immune cell types, metastatic steps and roles.

Every term an annotation file may use is listed here, once, with a short definition and the
synonyms a reader is likely to type. Files must use the canonical ``name``; a synonym is an
error whose message names the term to use instead (see `suggest_term`).

The same tables let a program find the terms in running text (`reviewbook.tables.statements`):
each term also lists its ``forms``, the ways reviews write it (plurals, British and American
spellings, abbreviations, each with its own case rule), and each cell type its Cell Ontology
id. What a sentence says a cell does is read from cue words kept here too: actions and what
they act on (`ACTIONS`, `TARGETS`), role words (the ``forms`` of `ROLES`), negations, hedges
and the words that end a clause. Names that look like cells but are not (`NOT_CELLS`), and
immune cells the vocabulary lacks (`UNLISTED_CELLS`), are tables as well: nothing about a
particular word lives in code.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from reviewbook.text import fold

# --- how running text writes a term ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Form:
    """One way running text writes a term, and whether its letter case must match.

    Abbreviations are matched as written (``DCs``, ``NK``, ``TAMs``: ``dcs`` or ``tams`` in
    lower case are other words); words and phrases in any case. Either way a form is found
    only as whole words, with typeset dashes read as hyphens and hyphens as spaces
    (``T‐cell`` is ``T cell``).
    """

    text: str
    exact_case: bool = False


SPELLINGS: tuple[tuple[str, str], ...] = (
    ("anti-tumour", "antitumour"),
    ("pro-tumour", "protumour"),
    ("pre-metastatic", "premetastatic"),
    ("epithelial-mesenchymal", "epithelial-to-mesenchymal"),
    ("tumour", "tumor"),
    ("colonisation", "colonization"),
    ("colonise", "colonize"),
    ("polarised", "polarized"),
    ("leukaemia", "leukemia"),
    ("favour", "favor"),
)
"""Pairs of spellings of one word: a form written with either is found with both. Applied in
this order, so a pair naming a whole phrase (``anti-tumour``) comes before its words'."""


def spellings(text: str) -> tuple[str, ...]:
    """``text`` in every spelling `SPELLINGS` allows, itself first."""
    found = [text]
    for one, other in SPELLINGS:
        for known in tuple(found):
            for old, new in ((one, other), (other, one)):
                if old in known and (variant := known.replace(old, new)) not in found:
                    found.append(variant)
    return tuple(found)


def phrases(*texts: str) -> tuple[Form, ...]:
    """Words or phrases found in any letter case, in every spelling, as written."""
    return tuple(Form(variant) for text in texts for variant in spellings(text))


def countable(*nouns: str) -> tuple[Form, ...]:
    """Nouns found in any letter case and spelling, singular and plural (``-s``)."""
    return phrases(*(form for noun in nouns for form in (noun, noun + "s")))


def abbreviations(*texts: str) -> tuple[Form, ...]:
    """Abbreviations found as written, singular and plural (``TAM``, ``TAMs``)."""
    return tuple(Form(form, exact_case=True) for text in texts for form in (text, text + "s"))


def exact(*texts: str) -> tuple[Form, ...]:
    """Forms found only as written, letter for letter (``NK``, ``EMT``), in every spelling."""
    return tuple(Form(variant, exact_case=True) for text in texts for variant in spellings(text))


# --- the terms ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Term:
    """One vocabulary entry: the name files use, what it means, and other names for it.

    ``synonyms`` are what an annotation file may write by mistake (`suggest_term`); ``forms``
    are how running text writes the term, for finding it in a review's sentences.
    """

    name: str
    definition: str
    synonyms: tuple[str, ...] = ()
    forms: tuple[Form, ...] = ()
    ontology_id: str | None = None
    """The term's Cell Ontology id (``CL:0000625``), for a cell type."""
    ontology_note: str = ""
    """Why the id is not the term's own, when it is not."""


CELL_TYPES: tuple[Term, ...] = (
    Term(
        "leukocyte",
        "Immune cells in general, when the text names no particular kind.",
        ("leukocytes", "immune cell", "white blood cell"),
        forms=countable(
            "leukocyte",
            "leucocyte",
            "immune cell",
            "white blood cell",
            "immune effector cell",
            "effector cell",
            "immunosuppressive cell",
            "immunosuppressive population",
            "immune-suppressive cell",
            "suppressive cell",
        ),
        ontology_id="CL:0000738",
    ),
    Term(
        "CD8+ T cell",
        "Cytotoxic T lymphocyte; kills cells that present its antigen on MHC class I.",
        ("CTL", "cytotoxic T cell", "CD8 T cell", "cytotoxic T lymphocyte"),
        forms=countable(
            "CD8+ T cell",
            "CD8+T cell",
            "CD8 + T cell",
            "CD8 T cell",
            "CD8-positive T cell",
            "CD8+ T lymphocyte",
            "CD8 T lymphocyte",
            "CD8+ cytotoxic T cell",
            "CD8+ cytotoxic T lymphocyte",
            "cytotoxic CD8+ T cell",
            "cytotoxic T cell",
            "cytotoxic T lymphocyte",
            "killer T cell",
            "CD8+ cell",
            "CD8+ TIL",
            "CD8+ tumour-infiltrating lymphocyte",
        )
        + phrases("cytotoxic T lymphocytes (CTLs)", "CD8+")
        + abbreviations("CTL", "CD8+ CTL"),
        ontology_id="CL:0000625",
    ),
    Term(
        "CD4+ Th1 cell",
        "Helper T cell making IFN-γ; licenses cytotoxic T cells and tumoricidal macrophages.",
        ("Th1 cell", "T helper 1 cell"),
        forms=countable(
            "Th1 cell",
            "CD4+ Th1 cell",
            "T helper 1 cell",
            "T-helper 1 cell",
            "type 1 helper T cell",
            "Th1 lymphocyte",
        )
        + abbreviations("Th1"),
        ontology_id="CL:0000545",
    ),
    Term(
        "CD4+ Th2 cell",
        "Helper T cell making IL-4 and IL-13; can polarise macrophages towards tissue repair.",
        ("Th2 cell", "T helper 2 cell"),
        forms=countable(
            "Th2 cell",
            "CD4+ Th2 cell",
            "T helper 2 cell",
            "T-helper 2 cell",
            "type 2 helper T cell",
            "Th2 lymphocyte",
        )
        + abbreviations("Th2"),
        ontology_id="CL:0000546",
    ),
    Term(
        "regulatory T cell",
        "FOXP3+ CD4+ T cell that suppresses other immune responses.",
        ("Treg", "Tregs", "T regulatory cell"),
        forms=countable(
            "regulatory T cell",
            "T regulatory cell",
            "regulatory T lymphocyte",
            "Treg cell",
            "FOXP3+ Treg",
            "regulatory T cells (Tregs)",
        )
        + abbreviations("Treg", "iTreg", "eTreg"),
        ontology_id="CL:0000815",
    ),
    Term(
        "NK cell",
        "Natural killer cell; innate lymphocyte that kills cells lacking MHC class I.",
        ("natural killer cell",),
        forms=countable(
            "NK cell",
            "natural killer cell",
            "natural killer (NK) cell",
            "NK lymphocyte",
        )
        + exact("NK"),
        ontology_id="CL:0000623",
    ),
    Term(
        "B cell",
        "Antibody-producing lymphocyte.",
        ("B lymphocyte",),
        forms=countable("B cell", "B lymphocyte"),
        ontology_id="CL:0000236",
    ),
    Term(
        "macrophage",
        "Tissue phagocyte derived from monocytes or embryonic precursors; includes TAMs.",
        ("tumour-associated macrophage", "tumor-associated macrophage", "TAM"),
        forms=countable(
            "macrophage",
            "tumour-associated macrophage",
            "monocyte-derived macrophage",
            "M1 macrophage",
            "M2 macrophage",
            "M1-like macrophage",
            "M2-like macrophage",
            "M1-type macrophage",
            "M2-type macrophage",
            "M1-polarised macrophage",
            "M2-polarised macrophage",
            "Kupffer cell",
            "CAR-M cell",
            "CAR-macrophage",
        )
        + abbreviations("TAM", "CAR-M")
        + exact("Mφ", "MΦ"),
        ontology_id="CL:0000235",
    ),
    Term(
        "monocyte",
        "Circulating myeloid precursor of macrophages and some dendritic cells.",
        forms=countable("monocyte"),
        ontology_id="CL:0000576",
    ),
    Term(
        "neutrophil",
        "Short-lived granulocyte; the most abundant leukocyte in human blood.",
        ("granulocyte", "tumour-associated neutrophil", "TAN"),
        forms=countable(
            "neutrophil",
            "tumour-associated neutrophil",
            "tumour-infiltrating neutrophil",
            "polymorphonuclear neutrophil",
        )
        + abbreviations("TAN"),
        ontology_id="CL:0000775",
    ),
    Term(
        "MDSC",
        "Myeloid-derived suppressor cell; immature myeloid cell that suppresses T cells.",
        ("myeloid-derived suppressor cell",),
        forms=countable(
            "myeloid-derived suppressor cell",
            "myeloid suppressor cell",
            "granulocytic myeloid-derived suppressor cell",
            "monocytic myeloid-derived suppressor cell",
            "polymorphonuclear myeloid-derived suppressor cell",
        )
        + abbreviations("MDSC", "PMN-MDSC", "M-MDSC", "G-MDSC", "e-MDSC"),
        ontology_id="CL:0000889",
    ),
    Term(
        "dendritic cell",
        "Antigen-presenting cell that primes naive T cells.",
        ("DC", "DCs"),
        forms=countable("dendritic cell")
        + abbreviations("DC", "cDC", "cDC1", "cDC2", "pDC", "moDC", "BMDC", "mDC"),
        ontology_id="CL:0000451",
    ),
    Term(
        "mast cell",
        "Granule-rich tissue cell releasing histamine, proteases and cytokines.",
        forms=countable("mast cell"),
        ontology_id="CL:0000097",
    ),
    Term(
        "platelet",
        "Anucleate blood cell fragment; coats and shields tumour cells in the blood.",
        ("thrombocyte",),
        forms=countable("platelet", "thrombocyte"),
        ontology_id="CL:0000233",
    ),
    Term(
        "osteoclast",
        "Bone-resorbing cell of the monocyte–macrophage lineage.",
        forms=countable("osteoclast"),
        ontology_id="CL:0000092",
    ),
    Term(
        "glial cell",
        "Non-neuronal resident cell of the brain (astrocytes, microglia).",
        ("glia",),
        forms=countable("glial cell", "microglial cell", "astrocyte")
        + phrases("glia", "microglia"),
        ontology_id="CL:0000125",
    ),
    Term(
        "CAF",
        "Carcinoma- or cancer-associated fibroblast; stromal, not immune, but signals with them.",
        ("carcinoma-associated fibroblast", "cancer-associated fibroblast"),
        forms=countable(
            "cancer-associated fibroblast",
            "carcinoma-associated fibroblast",
            "tumour-associated fibroblast",
            "fibroblast",
        )
        + phrases("fibroblast activation")
        + abbreviations("CAF"),
        ontology_id="CL:0000057",
        ontology_note="The Cell Ontology has no class for cancer-associated fibroblasts: "
        "CL:0000057 is fibroblast.",
    ),
)
"""Immune (and a few stromal) cell types a claim may name, in the field's ``cells`` list."""

METASTATIC_STEPS: tuple[Term, ...] = (
    Term(
        "primary tumour growth and invasion",
        "Growth at the primary site and invasion of the surrounding tissue.",
        ("primary tumor growth and invasion", "invasion", "local invasion"),
        forms=phrases(
            "primary tumour growth",
            "tumour growth",
            "invasion",
            "invasiveness",
            "invade",
            "invades",
            "invading",
            "cell migration",
            "epithelial-mesenchymal transition",
            "epithelial to mesenchymal transition",
        )
        + exact("EMT"),
    ),
    Term(
        "intravasation",
        "Entry of tumour cells into blood or lymphatic vessels.",
        forms=phrases("intravasation", "intravasate", "intravasates", "intravasating"),
    ),
    Term(
        "survival in circulation",
        "Survival of circulating tumour cells against shear stress and immune attack.",
        ("circulation", "CTC survival"),
        forms=countable("circulating tumour cell")
        + phrases("in the circulation", "in circulation", "bloodstream", "shear stress")
        + abbreviations("CTC"),
    ),
    Term(
        "arrest and extravasation",
        "Arrest in the capillaries of a distant organ and exit from the vessel.",
        ("extravasation", "arrest"),
        forms=phrases("extravasation", "extravasate", "extravasates", "extravasating"),
    ),
    Term(
        "pre-metastatic niche",
        "Preparation of a distant organ, before tumour cells arrive, to receive them.",
        ("premetastatic niche",),
        forms=countable("pre-metastatic niche"),
    ),
    Term(
        "colonisation and outgrowth",
        "Survival and growth of disseminated cells into macroscopic metastases.",
        ("colonization and outgrowth", "colonisation", "colonization", "outgrowth"),
        forms=phrases(
            "metastatic colonisation",
            "colonisation",
            "colonise",
            "colonises",
            "outgrowth",
            "metastatic growth",
            "metastatic reactivation",
        ),
    ),
    Term(
        "dormancy",
        "Disseminated cells persisting without growing, sometimes for years.",
        ("tumour dormancy", "tumor dormancy"),
        forms=phrases("dormancy", "dormant"),
    ),
)
"""Steps of the metastatic cascade, in cascade order, for a claim's ``steps`` list."""

ROLES: tuple[Term, ...] = (
    Term(
        "promotes",
        "The text says the cells or signals help metastasis.",
        forms=phrases(
            "pro-tumour",
            "pro-tumoural",
            "pro-tumoral",
            "pro-tumorigenic",
            "tumour-promoting",
            "pro-metastatic",
            "prometastatic",
            "immunosuppressive",
            "immune-suppressive",
            "tolerogenic",
            "suppressive activity",
            "suppressive function",
            "suppressive functions",
        )
        + exact("M2", "M2-like", "M2-type", "M2-polarised", "M2 polarisation"),
    ),
    Term(
        "inhibits",
        "The text says the cells or signals restrain metastasis.",
        forms=phrases(
            "anti-tumour",
            "anti-tumoural",
            "anti-tumoral",
            "anti-metastatic",
            "antimetastatic",
            "tumoricidal",
            "tumour-suppressive",
            "tumour-killing",
            "anticancer",
            "anti-cancer",
            "immunostimulatory",
            "anti-tumour immunity",
            "anti-tumour immune response",
            "anti-tumour immune responses",
            "anti-tumour response",
            "anti-tumour responses",
            "anti-tumour activity",
            "anti-tumour effect",
            "anti-tumour effects",
            "anti-tumour immune cycle",
            "tumour killing",
            "tumour cell killing",
            "tumour-specific killing",
            "tumour regression",
            "tumour rejection",
            "tumour eradication",
            "efficacy",
            "against tumours",
            "against tumour",
            "against cancer",
            "against cancers",
        )
        + exact("M1", "M1-like", "M1-type", "M1-polarised", "M1 polarisation"),
    ),
    Term(
        "both",
        "The text says they can help and restrain, without saying when.",
        forms=phrases(
            "dual role",
            "dual roles",
            "double-edged",
            "double-edged sword",
            "both pro- and anti-tumour",
            "pro- or anti-tumour",
            "either promote or inhibit",
            "either promote or suppress",
            "promote or inhibit",
            "promote or suppress",
            "promote or restrain",
            "promoting or inhibiting",
            "both promote and inhibit",
            "both promote and suppress",
        ),
    ),
    Term(
        "context-dependent",
        "The text says the effect depends on the setting: tumour type, activation, timing.",
        forms=phrases(
            "depending on",
            "depends on",
            "depend on",
            "context-dependent",
            "context dependent",
            "context-specific",
        ),
    ),
)
"""What the text says the named cells do to metastasis, for a claim's ``role``. A role word
(``forms``) near a cell says its role outright: ``anti-tumour NK cells``."""

VOCABULARIES: dict[str, tuple[Term, ...]] = {
    "cells": CELL_TYPES,
    "steps": METASTATIC_STEPS,
    "role": ROLES,
}
"""Each claim field checked against the vocabulary, with the terms it accepts."""


# --- what running text says cells do ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Cue:
    """Words that point one way: an action that helps (+1) or hinders (-1) what it acts on,
    or a target on the tumour's side (+1) or immunity's (-1).

    A cell's role is the action's sign times its target's: ``suppress`` (-1) ``anti-tumour
    immunity`` (-1) promotes the tumour (+1). An action may name the side it acts on when the
    sentence names none (``kill``: tumour cells), as ``implied``.
    """

    name: str
    sign: int
    forms: tuple[Form, ...]
    implied: int = 0


ACTIONS: tuple[Cue, ...] = (
    Cue("promote", +1, phrases("promote", "promotes", "promoted", "promoting", "promotion of")),
    Cue("support", +1, phrases("support", "supports", "supported", "supporting")),
    Cue("facilitate", +1, phrases("facilitate", "facilitates", "facilitated", "facilitating")),
    Cue("drive", +1, phrases("drive", "drives", "driven", "driving", "drove")),
    Cue(
        "enhance",
        +1,
        phrases("enhance", "enhances", "enhanced", "enhancing", "enhancement of"),
    ),
    Cue("boost", +1, phrases("boost", "boosts", "boosted", "boosting")),
    Cue("increase", +1, phrases("increase", "increases", "increased", "increasing")),
    Cue("foster", +1, phrases("foster", "fosters", "fostered", "fostering")),
    Cue("fuel", +1, phrases("fuel", "fuels", "fuelled", "fueled", "fuelling", "fueling")),
    Cue("favour", +1, phrases("favour", "favours", "favoured", "favouring")),
    Cue("accelerate", +1, phrases("accelerate", "accelerates", "accelerated", "accelerating")),
    Cue("augment", +1, phrases("augment", "augments", "augmented", "augmenting")),
    Cue("potentiate", +1, phrases("potentiate", "potentiates", "potentiated", "potentiating")),
    Cue("stimulate", +1, phrases("stimulate", "stimulates", "stimulated", "stimulating")),
    Cue("activate", +1, phrases("activate", "activates", "activating", "activation of")),
    Cue("amplify", +1, phrases("amplify", "amplifies", "amplified", "amplifying")),
    Cue("exacerbate", +1, phrases("exacerbate", "exacerbates", "exacerbated", "exacerbating")),
    Cue("sustain", +1, phrases("sustain", "sustains", "sustained", "sustaining")),
    Cue("contribute", +1, phrases("contribute to", "contributes to", "contributing to")),
    Cue("aid", +1, phrases("aid", "aids", "aided", "aiding")),
    Cue("prime", +1, phrases("prime", "primes", "primed", "priming")),
    Cue("induce", +1, phrases("induce", "induces", "induced", "inducing")),
    Cue("mediate", +1, phrases("mediate", "mediates", "mediated", "mediating")),
    Cue("improve", +1, phrases("improve", "improves", "improved", "improving")),
    Cue("extend", +1, phrases("extend", "extends", "extended", "extending")),
    Cue(
        "suppress",
        -1,
        phrases("suppress", "suppresses", "suppressed", "suppressing", "suppression of"),
    ),
    Cue("inhibit", -1, phrases("inhibit", "inhibits", "inhibited", "inhibiting", "inhibition of")),
    Cue("restrain", -1, phrases("restrain", "restrains", "restrained", "restraining")),
    Cue("block", -1, phrases("block", "blocks", "blocked", "blocking")),
    Cue("impair", -1, phrases("impair", "impairs", "impairing")),
    Cue("dampen", -1, phrases("dampen", "dampens", "dampened", "dampening")),
    Cue("reduce", -1, phrases("reduce", "reduces", "reduced", "reducing")),
    Cue("limit", -1, phrases("limit", "limits", "limited", "limiting")),
    Cue("prevent", -1, phrases("prevent", "prevents", "prevented", "preventing")),
    Cue("attenuate", -1, phrases("attenuate", "attenuates", "attenuated", "attenuating")),
    Cue("hinder", -1, phrases("hinder", "hinders", "hindered", "hindering")),
    Cue("counteract", -1, phrases("counteract", "counteracts", "counteracted", "counteracting")),
    Cue("abrogate", -1, phrases("abrogate", "abrogates", "abrogated", "abrogating")),
    Cue("blunt", -1, phrases("blunt", "blunts", "blunted", "blunting")),
    Cue("curb", -1, phrases("curb", "curbs", "curbed", "curbing")),
    Cue("restrict", -1, phrases("restrict", "restricts", "restricted", "restricting")),
    Cue("overcome", -1, phrases("overcome", "overcomes", "overcoming")),
    Cue("combat", -1, phrases("combat", "combats", "combating", "combatting")),
    Cue("compromise", -1, phrases("compromise", "compromises", "compromised", "compromising")),
    Cue("impede", -1, phrases("impede", "impedes", "impeded", "impeding")),
    Cue("kill", -1, phrases("kill", "kills", "killed", "killing"), implied=+1),
    Cue(
        "eliminate",
        -1,
        phrases("eliminate", "eliminates", "eliminated", "eliminating", "elimination of"),
        implied=+1,
    ),
    Cue(
        "destroy",
        -1,
        phrases("destroy", "destroys", "destroyed", "destroying", "destruction of"),
        implied=+1,
    ),
    Cue("lyse", -1, phrases("lyse", "lyses", "lysed", "lysing", "lysis of"), implied=+1),
    Cue(
        "eradicate",
        -1,
        phrases("eradicate", "eradicates", "eradicated", "eradicating", "eradication of"),
        implied=+1,
    ),
    Cue(
        "phagocytose",
        -1,
        phrases("phagocytose", "phagocytoses", "phagocytosed", "phagocytosis of"),
        implied=+1,
    ),
    Cue("attack", -1, phrases("attack", "attacks", "attacked", "attacking"), implied=+1),
    Cue("control", -1, phrases("control", "controls", "controlled", "controlling")),
    Cue(
        "modulate",
        0,
        phrases(
            "modulate",
            "modulates",
            "modulating",
            "regulate",
            "regulates",
            "regulating",
            "reprogram",
            "reprogramming of",
        ),
    ),
)
"""Verbs (and their nouns) that say a cell helps or hinders what follows them."""

TARGETS: tuple[Cue, ...] = (
    Cue(
        "tumour",
        +1,
        countable(
            "tumour",
            "tumour cell",
            "cancer cell",
            "malignant cell",
            "cancer",
            "carcinoma",
        ),
    ),
    Cue(
        "tumour growth and spread",
        +1,
        phrases(
            "tumour growth",
            "tumour progression",
            "cancer progression",
            "tumour development",
            "tumour survival",
            "tumour cell survival",
            "tumour proliferation",
            "tumorigenesis",
            "carcinogenesis",
            "tumour cell proliferation",
            "cancer cell proliferation",
            "metastasis",
            "metastases",
            "metastatic spread",
            "dissemination",
            "invasion",
            "angiogenesis",
            "recurrence",
        ),
    ),
    Cue(
        "metastatic cascade",
        +1,
        phrases(
            "epithelial-mesenchymal transition",
            "intravasation",
            "extravasation",
            "pre-metastatic niche",
            "pre-metastatic niche formation",
            "colonisation",
            "metastatic colonisation",
            "outgrowth",
            "metastatic outgrowth",
            "metastatic seeding",
            "seeding",
        )
        + exact("EMT"),
    ),
    Cue("dormancy", -1, phrases("dormancy", "tumour dormancy")),
    Cue(
        "immune escape",
        +1,
        phrases(
            "immune evasion",
            "immune escape",
            "tumour immune escape",
            "immunosuppression",
            "immune suppression",
            "immune tolerance",
            "T cell exhaustion",
            "resistance to immunotherapy",
        ),
    ),
    Cue(
        "tumour control",
        -1,
        phrases(
            "tumour killing",
            "tumour cell killing",
            "tumour-specific killing",
            "tumour regression",
            "tumour rejection",
            "tumour eradication",
            "tumour clearance",
            "tumour cell apoptosis",
            "tumour cell lysis",
        ),
    ),
    Cue(
        "treatment benefit",
        -1,
        phrases(
            "efficacy",
            "therapeutic efficacy",
            "efficacy of immunotherapy",
            "treatment outcomes",
            "treatment response",
            "response to immunotherapy",
            "survival",
            "progression-free survival",
            "overall survival",
        ),
    ),
    Cue(
        "immunity",
        -1,
        phrases(
            "immunity",
            "anti-tumour immunity",
            "immune response",
            "immune responses",
            "anti-tumour immune response",
            "anti-tumour immune responses",
            "anti-tumour response",
            "anti-tumour responses",
            "anti-tumour activity",
            "anti-tumour effect",
            "anti-tumour effects",
            "immune surveillance",
            "immunosurveillance",
            "immune attack",
            "immune activation",
            "T cell response",
            "T cell responses",
            "T cell activation",
            "T cell function",
            "T cell proliferation",
            "T cell infiltration",
            "cytotoxicity",
            "cytotoxic immunity",
            "tumour antigen presentation",
            "tumour antigen cross-presentation",
            "cross-presentation of tumour antigens",
            "presentation of tumour antigens",
        ),
    ),
)
"""What an action acts on, and on whose side it stands: the tumour's (+1) or immunity's
(-1). A named cell can be the target too (see `CELL_SIDES`)."""

CELL_SIDES: dict[str, int] = {
    "leukocyte": -1,
    "CD8+ T cell": -1,
    "CD4+ Th1 cell": -1,
    "NK cell": -1,
    "B cell": -1,
    "dendritic cell": -1,
    "regulatory T cell": +1,
    "MDSC": +1,
    "CAF": +1,
    "T cell (kind not given)": -1,
}
"""The side a named cell stands on when an action acts on it. For the cell that acts:
``TAMs suppress CD8+ T cells`` says the macrophages help the tumour. For the cell acted on:
hindered, it shows its side (the CD8+ T cells fight the tumour); helped, only a cell on the
tumour's side shows it (``expand Tregs``). Cells on both sides (macrophages, neutrophils)
have none."""

NEGATIONS: tuple[Form, ...] = phrases(
    "not",
    "do not",
    "does not",
    "did not",
    "no",
    "nor",
    "cannot",
    "fail to",
    "fails to",
    "failed to",
    "failure to",
    "unable to",
    "inability to",
    "loss of",
    "lack of",
    "lacking",
    "absence of",
    "without",
    "depletion of",
    "depleting",
    "insufficient",
    "decline in",
    "decrease in",
    "impaired",
    "dysfunctional",
    "dysfunction of",
)
"""Words that turn a cue round: ``fail to restrain``, ``loss of NK cells promotes``."""

HEDGES: tuple[Form, ...] = phrases(
    "may",
    "might",
    "could",
    "suggest",
    "suggests",
    "suggested",
    "suggesting",
    "possibly",
    "potentially",
    "likely",
    "putative",
    "appear to",
    "appears to",
    "seem to",
    "seems to",
    "presumably",
    "hypothesised",
)
"""Words that hedge a claim: the role stands, and the evidence says it was hedged."""

CLAUSE_BREAKS: tuple[Form, ...] = phrases(
    ";",
    ". ",
    " | ",
    "whereas",
    "while",
    "but",
    "although",
    "though",
    "however",
    "in contrast",
    "conversely",
    "on the other hand",
)
"""Words and marks that end a clause: cues reach the cells of their own clause only."""

LISTING_WORDS: tuple[Form, ...] = phrases(
    "including", "such as", "like", "e.g.", "namely", "particularly", "especially"
)
"""Words that introduce the kinds of a group: ``immunosuppressive populations, including
Tregs``. A cell type named in general (`GENERAL_CELLS`) and followed by them is not labelled:
the kinds named after it are."""

PURPOSE_WORDS: tuple[Form, ...] = phrases("to", "in order to", "so as to")
"""Words that give a cell acted on an action of its own: ``activating NK cells to kill``."""

GENERAL_CELLS: frozenset[str] = frozenset({"leukocyte"})
"""Cell types that name immune cells in general, standing back when the kinds are named."""

NOT_CUES: tuple[Form, ...] = phrases(
    "not only", "whether or not", "no longer than", "tumour cell line", "tumour cell lines"
)
"""Phrases that contain a cue word but say nothing of a role (``not only ... but also``)."""

UNLISTED_CELLS: tuple[Term, ...] = (
    Term(
        "T cell (kind not given)",
        "T cells the text does not say the kind of.",
        forms=countable("T cell", "T lymphocyte", "effector T cell", "memory T cell"),
    ),
    Term(
        "CD4+ T cell",
        "CD4+ or helper T cells, no subset named.",
        forms=countable(
            "CD4+ T cell",
            "CD4 T cell",
            "CD4+T cell",
            "CD4 + T cell",
            "CD4+ T lymphocyte",
            "CD4+ helper T cell",
            "helper T cell",
            "T helper cell",
        )
        + phrases("CD4+"),
    ),
    Term("Th17 cell", "IL-17-making helper T cells.", forms=countable("Th17 cell") + exact("Th17")),
    Term("Th9 cell", "IL-9-making helper T cells.", forms=countable("Th9 cell") + exact("Th9")),
    Term(
        "γδ T cell",
        "T cells with a γδ receptor.",
        forms=countable("γδ T cell", "gamma delta T cell", "gammadelta T cell"),
    ),
    Term(
        "NKT cell",
        "Natural killer T cells, invariant or not.",
        forms=countable("NKT cell", "iNKT cell", "natural killer T cell"),
    ),
    Term(
        "MAIT cell",
        "Mucosal-associated invariant T cells.",
        forms=countable("MAIT cell", "mucosal-associated invariant T cell"),
    ),
    Term(
        "innate lymphoid cell",
        "Innate lymphoid cells of any group.",
        forms=countable("innate lymphoid cell") + abbreviations("ILC", "ILC1", "ILC2", "ILC3"),
    ),
    Term("eosinophil", "Eosinophils.", forms=countable("eosinophil")),
    Term("basophil", "Basophils.", forms=countable("basophil")),
    Term("granulocyte", "Granulocytes, no kind named.", forms=countable("granulocyte")),
    Term("plasma cell", "Antibody-secreting plasma cells.", forms=countable("plasma cell")),
    Term(
        "lymphocyte",
        "Lymphocytes, no kind named.",
        forms=countable("lymphocyte", "cytotoxic lymphocyte", "peripheral blood lymphocyte")
        + abbreviations("PBL"),
    ),
    Term(
        "antigen-presenting cell",
        "Antigen-presenting cells, no kind named.",
        forms=countable("antigen-presenting cell") + abbreviations("APC"),
    ),
    Term(
        "tumour-infiltrating lymphocyte",
        "Lymphocytes found in the tumour, no kind named.",
        forms=countable("tumour-infiltrating lymphocyte") + abbreviations("TIL"),
    ),
    Term(
        "myeloid cell",
        "Myeloid cells, no kind named.",
        forms=countable("myeloid cell", "immature myeloid cell"),
    ),
    Term(
        "CAR T cell",
        "T cells given a chimeric antigen receptor.",
        forms=countable("CAR-T cell", "CAR T cell", "chimeric antigen receptor T cell")
        + exact("CAR-T"),
    ),
    Term("TCR-T cell", "T cells given an engineered receptor.", forms=countable("TCR-T cell")),
    Term(
        "CIK cell",
        "Cytokine-induced killer cells.",
        forms=countable("CIK cell", "cytokine-induced killer cell"),
    ),
    Term(
        "LAK cell",
        "Lymphokine-activated killer cells.",
        forms=countable("LAK cell", "lymphokine-activated killer cell"),
    ),
    Term(
        "peripheral blood mononuclear cell",
        "Mononuclear cells of the blood, unsorted.",
        forms=countable("peripheral blood mononuclear cell") + abbreviations("PBMC"),
    ),
)
"""Immune cells the vocabulary lacks: found, counted and listed (`unknown_cells`), never
dropped. A vocabulary form that contains one wins (``CD8+ T cells`` is not ``T cells``)."""

NOT_CELLS: tuple[Form, ...] = phrases(
    "cytotoxic T lymphocyte antigen",
    "cytotoxic T lymphocyte associated",
    "cytotoxic T-lymphocyte-associated",
    "T cell receptor",
    "T cell engager",
    "T cell immunoglobulin",
    "B cell receptor",
    "B cell lymphoma",
    "B cell acute lymphoblastic leukaemia",
    "B cell ALL",
    "B cell cancer",
    "B cell cancers",
    "B cell malignancy",
    "B cell malignancies",
    "B cell leukaemia",
    "B cell non-Hodgkin",
    "granulocyte-macrophage colony-stimulating factor",
    "granulocyte colony-stimulating factor",
    "macrophage colony-stimulating factor",
    "macrophage migration inhibitory factor",
    "platelet-derived growth factor",
    "natural killer group",
    "fibroblast activation protein",
    "fibroblast growth factor",
) + exact("DC-SIGN")
"""Phrases that contain a cell's form but name no cell (a receptor, a disease, a growth
factor): found like the others, they are longer, so the cell inside them is not."""

NOT_STEPS: tuple[Form, ...] = phrases(
    "minimally invasive",
    "non-invasive",
    "invasive fungal",
    "cell cycle arrest",
    "T cell migration",
    "immune cell migration",
    "dendritic cell migration",
)
"""Phrases that contain a step's form but name no step of the cascade."""


# --- lookups -----------------------------------------------------------------------------------


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
