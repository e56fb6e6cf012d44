"""The vocabularies of cell types, metastatic steps and roles, and the forms running text
writes them in."""

from __future__ import annotations

from reviewbook.annotations.vocabulary import (
    CELL_SIDES,
    CELL_TYPES,
    METASTATIC_STEPS,
    ROLES,
    UNLISTED_CELLS,
    VOCABULARIES,
    Form,
    abbreviations,
    countable,
    exact,
    spellings,
    suggest_term,
    term_names,
)
from reviewbook.tables.statements import plain_text, tag_sentence


def test_vocabulary_names_and_synonyms_are_unambiguous() -> None:
    for terms in VOCABULARIES.values():
        spellings = [name.casefold() for term in terms for name in (term.name, *term.synonyms)]
        assert len(spellings) == len(set(spellings))
        assert all(term.definition.endswith(".") for term in terms)


def test_suggest_term_maps_synonyms_and_case_to_the_canonical_name() -> None:
    cells = VOCABULARIES["cells"]
    assert suggest_term(cells, "Tregs") == "regulatory T cell"
    assert suggest_term(cells, "Macrophage") == "macrophage"
    assert suggest_term(cells, "wizard") is None


# --- forms: how running text writes each term ----------------------------------------------------


def test_spellings_give_british_and_american_forms_of_each_word() -> None:
    assert spellings("tumour-associated macrophage") == (
        "tumour-associated macrophage",
        "tumor-associated macrophage",
    )
    assert spellings("anti-tumour immunity") == (
        "anti-tumour immunity",
        "antitumour immunity",
        "anti-tumor immunity",
        "antitumor immunity",
    )
    assert spellings("NK cell") == ("NK cell",)


def test_countable_nouns_come_in_both_numbers_and_any_case() -> None:
    assert countable("myeloid-derived suppressor cell") == (
        Form("myeloid-derived suppressor cell"),
        Form("myeloid-derived suppressor cells"),
    )


def test_abbreviations_keep_their_case_in_both_numbers() -> None:
    assert abbreviations("TAM") == (Form("TAM", exact_case=True), Form("TAMs", exact_case=True))
    assert exact("EMT") == (Form("EMT", exact_case=True),)


def test_every_cell_type_has_its_cell_ontology_id() -> None:
    assert {term.name: term.ontology_id for term in CELL_TYPES} == {
        "leukocyte": "CL:0000738",
        "CD8+ T cell": "CL:0000625",
        "CD4+ Th1 cell": "CL:0000545",
        "CD4+ Th2 cell": "CL:0000546",
        "regulatory T cell": "CL:0000815",
        "NK cell": "CL:0000623",
        "B cell": "CL:0000236",
        "macrophage": "CL:0000235",
        "monocyte": "CL:0000576",
        "neutrophil": "CL:0000775",
        "MDSC": "CL:0000889",
        "dendritic cell": "CL:0000451",
        "mast cell": "CL:0000097",
        "platelet": "CL:0000233",
        "osteoclast": "CL:0000092",
        "glial cell": "CL:0000125",
        "CAF": "CL:0000057",
    }
    notes = {term.name: term.ontology_note for term in CELL_TYPES if term.ontology_note}
    assert notes == {
        "CAF": "The Cell Ontology has no class for cancer-associated fibroblasts: "
        "CL:0000057 is fibroblast."
    }


def test_no_text_form_names_two_cells() -> None:
    named: dict[tuple[str, bool], set[str]] = {}
    for term in (*CELL_TYPES, *UNLISTED_CELLS):
        assert term.forms, term.name
        for form in term.forms:
            text = plain_text(form.text)
            key = (text if form.exact_case else text.lower(), form.exact_case)
            named.setdefault(key, set()).add(term.name)
    assert {key: names for key, names in named.items() if len(names) > 1} == {}


def test_every_cell_type_and_step_is_found_under_its_own_name() -> None:
    for term in CELL_TYPES:
        assert [cell.cell for cell in tag_sentence(f"Here {term.name}s act.").cells] == [term.name]
    for term in METASTATIC_STEPS:
        assert tag_sentence(f"Cells act in {term.name}.").steps == (term.name,)


def test_roles_have_role_words_and_sides_name_known_cells() -> None:
    assert all(term.forms for term in ROLES)
    known = {*term_names(CELL_TYPES), *term_names(UNLISTED_CELLS)}
    assert set(CELL_SIDES) <= known
    assert set(CELL_SIDES.values()) == {-1, +1}
