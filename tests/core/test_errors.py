"""Problems are records that print as people read them; read errors name file and line."""

from __future__ import annotations

import pytest

from reviewbook.errors import PROBLEM_KINDS, Problem, PubMedPageError, ReadError


def test_a_problem_prints_its_line_then_its_message() -> None:
    assert str(Problem(12, "citation", "reference 3: empty citation")) == (
        "line 12: reference 3: empty citation"
    )


def test_a_problem_without_a_line_prints_its_message() -> None:
    assert str(Problem(None, "identifier", "the page gives pmid 1")) == "the page gives pmid 1"


def test_a_problem_from_another_file_names_it_first() -> None:
    problem = Problem(3, "record", "odd", source="29037250.xml")
    assert str(problem) == "29037250.xml: line 3: odd"


def test_an_unknown_problem_kind_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown problem kind 'oops'"):
        Problem(1, "oops", "x")
    assert "citation" in PROBLEM_KINDS


def test_a_page_error_is_a_read_error_naming_file_and_line() -> None:
    error = PubMedPageError("no article title found", path="page.txt", line=40)
    assert isinstance(error, ReadError)
    assert str(error) == "page.txt:40: no article title found"
    assert (error.reason, error.path, error.line) == ("no article title found", "page.txt", 40)
    assert str(ReadError("empty")) == "<text>: empty"
