"""Plain-text helpers for reading a review closely: sentences, quotes, their places."""

from __future__ import annotations

import re

NON_FINAL_ABBREVIATIONS: frozenset[str] = frozenset(
    {"e.g", "i.e", "al", "vs", "fig", "figs", "ref", "refs", "approx", "cf", "ca", "resp", "no"}
)
"""Words whose period does not end a sentence (compared in lower case, final period removed)."""

_BOUNDARY = re.compile(r"(?<=[.?!])[\"”’)\]]?\s+(?=[\"“‘(\[]?[A-Z0-9])")


def split_sentences(text: str) -> tuple[str, ...]:
    """Split prose into sentences at ``.``, ``?`` or ``!`` followed by a capital or digit.

    Abbreviations such as ``e.g.``, ``et al.`` and ``Fig.``, and single-letter initials, do
    not end a sentence. The sentences, joined by single spaces, give back the text with its
    white space collapsed.
    """
    text = " ".join(text.split())
    sentences: list[str] = []
    start = 0
    for boundary in _BOUNDARY.finditer(text):
        candidate = text[start : boundary.start()].strip()
        last_word = candidate.rsplit(" ", 1)[-1].strip('.?!"“”‘’()[]').lower()
        if candidate.endswith(".") and (
            last_word in NON_FINAL_ABBREVIATIONS or (len(last_word) == 1 and last_word.isalpha())
        ):
            continue
        sentences.append(candidate)
        start = boundary.end()
    if text[start:].strip():
        sentences.append(text[start:].strip())
    return tuple(sentences)
