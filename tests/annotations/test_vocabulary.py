"""The vocabularies of cell types, metastatic steps and roles."""

from __future__ import annotations

from reviewbook.annotations.vocabulary import VOCABULARIES, suggest_term


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
