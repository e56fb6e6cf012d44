"""Lines of 100,000 characters built to make careless patterns backtrack read as plain text.

Each line is put in the page header, the abstract and a figure of the Erez seed; the exact
result is asserted, so a pattern that went quadratic would show as a test that never ends.
"""

from __future__ import annotations

import pytest

from reviewbook import Figure, parse_pubmed_page
from reviewbook.errors import Problem

LENGTH = 100_000
PATHOLOGICAL_LINES: dict[str, str] = {
    "initials and full stops": "a. " * (LENGTH // 3),
    "et al. look-alikes": "Smith J et al. " * (LENGTH // 15),
    "a run of spaces": "A" + " " * (LENGTH - 2) + ")",
    "open parentheses": "(" * LENGTH,
    "full stops": "." * LENGTH,
    "spaced full stops": ". " * (LENGTH // 2),
    "comma-separated names": "A, " * (LENGTH // 3),
    "years with full stops": "2012. " * (LENGTH // 6),
    "initials and numbers": "A 1" + " 1" * (LENGTH // 2 - 2),
}
TITLE = "Leukocytes as paracrine regulators of metastasis and determinants of organ-specific colonization"  # noqa: E501


@pytest.mark.parametrize("name", PATHOLOGICAL_LINES)
def test_pathological_header_line_is_one_warning(erez_text: str, name: str) -> None:
    line = PATHOLOGICAL_LINES[name]
    article = parse_pubmed_page(erez_text.replace("Affiliations\n", f"Affiliations\n{line}\n"))
    clipped = line.strip()[:79] + "…"
    assert article.warnings == (
        Problem(24, "header", f"not understood in the page header: {clipped!r}"),
    )
    assert (article.title, article.authors_display, article.journal) == (
        TITLE,
        "Neta Erez et al.",
        "Int J Cancer",
    )


@pytest.mark.parametrize("name", PATHOLOGICAL_LINES)
def test_pathological_abstract_paragraph_is_kept_as_printed(erez_text: str, name: str) -> None:
    line = PATHOLOGICAL_LINES[name]
    article = parse_pubmed_page(erez_text.replace("Abstract\n\n", f"Abstract\n\n{line}\n"))
    assert article.abstract_sections[0] == ("", line.strip())
    assert article.warnings == ()


@pytest.mark.parametrize("name", PATHOLOGICAL_LINES)
def test_pathological_figure_caption_is_kept_as_printed(erez_text: str, name: str) -> None:
    line = PATHOLOGICAL_LINES[name]
    article = parse_pubmed_page(erez_text.replace("Figure\n", f"Figure\n{line}\n", 1))
    assert article.figures[0] == Figure(label="Figure", title="", caption=line.strip())
    assert article.warnings == ()


def test_pathological_last_line_is_named_as_cut(erez_text: str) -> None:
    text = erez_text[: erez_text.index("Amongst")] + "a " * (LENGTH // 2)
    article = parse_pubmed_page(text)
    assert article.warnings == (
        Problem(32, "cut", 'abstract cut at "...a a a a a a a a a a a a a a a a"'),
    )
