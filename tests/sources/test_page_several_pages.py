"""A file holding several saved pages is refused at the line where the second page starts."""

from __future__ import annotations

import pytest

from reviewbook import parse_pubmed_page
from reviewbook.errors import PubMedPageError

BANNER_END = "Access keys NCBI Homepage MyNCBI Homepage Main Content Main Navigation\n"


def test_two_saved_pages_in_one_file_are_refused_where_the_second_begins(
    janssen_text: str, erez_text: str
) -> None:
    text = janssen_text + "\n" + erez_text
    with pytest.raises(PubMedPageError) as raised:
        parse_pubmed_page(text)
    assert raised.value.reason == (
        "2 saved pages in one file, the second starting here; "
        "save or read each page as a file of its own"
    )
    # Janssen's page has 70 lines; Erez's "Skip to main page content" is line 71.
    assert raised.value.line == 71


def test_the_count_names_every_page(janssen_text: str, erez_text: str) -> None:
    with pytest.raises(PubMedPageError, match=r"^<text>:71: 4 saved pages in one file"):
        parse_pubmed_page("\n".join([janssen_text, erez_text, janssen_text, erez_text]))


def test_pages_saved_without_their_banner_are_counted_by_their_citation_lines(
    janssen_text: str, erez_text: str
) -> None:
    first = janssen_text[janssen_text.index(BANNER_END) + len(BANNER_END) :]
    second = erez_text[erez_text.index(BANNER_END) + len(BANNER_END) :]
    with pytest.raises(PubMedPageError, match="2 saved pages") as raised:
        parse_pubmed_page(first + "\n" + second)
    # The second page starts at its article type line, "Review", above its citation line.
    assert raised.value.line == first.count("\n") + 2


def test_a_repeated_banner_line_without_a_page_between_is_one_page(janssen_text: str) -> None:
    article = parse_pubmed_page(janssen_text.replace(BANNER_END, BANNER_END * 2))
    assert article.title == "The immune system in cancer metastasis: friend or foe?"
    assert article.warnings == ()
