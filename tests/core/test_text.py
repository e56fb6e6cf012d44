"""Sentence splitting for reading abstracts and captions sentence by sentence."""

from __future__ import annotations

import pytest

from reviewbook.text import split_sentences


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        ("One. Two? Three!", ("One.", "Two?", "Three!")),
        ("Cells (e.g. NK cells) kill. Next.", ("Cells (e.g. NK cells) kill.", "Next.")),
        ("Smith et al. showed it. Next.", ("Smith et al. showed it.", "Next.")),
        ("See Fig. 2 for J. Smith. Next.", ("See Fig. 2 for J. Smith.", "Next.")),
        ("It rose 2.5 fold. In 2010 it fell.", ("It rose 2.5 fold.", "In 2010 it fell.")),
        ("lower case. after a period stays", ("lower case. after a period stays",)),
        ("  spaced\n  out.  Text. ", ("spaced out.", "Text.")),
        ("", ()),
    ],
)
def test_split_sentences(text: str, sentences: tuple[str, ...]) -> None:
    assert split_sentences(text) == sentences


def test_seed_abstracts_and_caption_split_into_their_sentences(janssen_text, erez_text) -> None:
    from reviewbook import parse_pubmed_page

    janssen = parse_pubmed_page(janssen_text)
    erez = parse_pubmed_page(erez_text)
    assert [len(split_sentences(t)) for t in (janssen.abstract, erez.abstract)] == [6, 3]
    caption = split_sentences(erez.figures[0].caption)
    assert [sentence.split()[0] for sentence in caption] == [
        "Soluble",
        "Survival",
        "Organ-specific",
        "Colonization",
    ]
    assert " ".join(caption) == erez.figures[0].caption
