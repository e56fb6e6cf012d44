"""A fuzz campaign over the readers' and the annotation loader's public entry points.

Whatever bytes or text they are given, they either return records or raise one of the
documented errors (`ReadError` and its subclasses; `AnnotationsInvalid`); an annotation edit
either saves exactly what was asked or writes nothing. Inputs are bounded in size so that a
slow case shows as a slow test, not a hang; in CI (``CI=true``) the examples are derandomized,
so a run is repeatable.
"""

from __future__ import annotations

import os
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from reviewbook import parse_citation, parse_pubmed_page, read_articles
from reviewbook.annotations.loading import load_annotations, loads_annotations
from reviewbook.annotations.model import AnnotationsInvalid
from reviewbook.annotations.store import update_reference_note
from reviewbook.errors import ReadError
from tests.conftest import PUBMED

FUZZ = settings(
    max_examples=60,
    deadline=None,  # no timed assertions; the size bounds keep each example small
    derandomize=os.environ.get("CI") == "true",
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
MAX_TEXT = 2000
"""Characters (or bytes) in one fuzzed input."""

SEED_PAGE = (PUBMED / "29037250.txt").read_text(encoding="utf-8")
OPENINGS = (
    b"",
    b"PMID- 1\n",
    b'<?xml version="1.0"?>\n<PubmedArticleSet><PubmedArticle>',
    SEED_PAGE[:400].encode(),
    b"\xef\xbb\xbf",
    b"\xff\xfe",
)
"""Beginnings that steer the format detection to each reader."""

texts = st.text(max_size=MAX_TEXT)
fuzzed_bytes = st.builds(
    lambda opening, rest: opening + rest,
    st.sampled_from(OPENINGS),
    st.binary(max_size=MAX_TEXT),
)
yaml_like = st.lists(
    st.sampled_from(
        [
            'pmid: "29037250"\n',
            "claims:\n",
            "references:\n",
            "  - index: 1\n",
            "    note: x\n",
            "    tags: [a, b]\n",
            "- &a [1]\n",
            "*a\n",
            "!!python/object:os.system\n",
            "{",
            "]",
            "'",
            '"',
            "\t",
            ": ",
            "- ",
            "\n",
        ]
    )
    | st.text(max_size=20),
    max_size=60,
).map("".join)


@FUZZ
@given(fuzzed_bytes)
@example(b"PMID- 1\nTI  - " + b"A" * 500)
def test_read_articles_returns_records_or_raises_read_error(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "input"
    path.write_bytes(data)
    try:
        articles = read_articles(path)
    except ReadError:
        return
    assert all(article.title is not None for article in articles)


@FUZZ
@given(texts)
@example("A" + " " * 1000 + ")")
def test_parse_citation_always_returns_a_reference(raw: str) -> None:
    assert parse_citation(raw).index == 1


@FUZZ
@given(st.builds(lambda cut, rest: SEED_PAGE[:cut] + rest, st.integers(0, 3000), texts))
def test_parse_pubmed_page_returns_an_article_or_raises_read_error(text: str) -> None:
    try:
        article = parse_pubmed_page(text, pmid="29037250")
    except ReadError:
        return
    assert article.pmid is None or article.pmid.isascii()


@FUZZ
@given(yaml_like | texts)
def test_the_annotation_loader_returns_records_or_raises_annotations_invalid(text: str) -> None:
    try:
        annotations = loads_annotations(text, "fuzz.yaml")
    except AnnotationsInvalid as invalid:
        assert invalid.errors
        return
    assert annotations.pmid


@FUZZ
@given(st.binary(max_size=MAX_TEXT))
def test_loading_any_bytes_returns_records_or_raises_annotations_invalid(
    tmp_path: Path, data: bytes
) -> None:
    path = tmp_path / "fuzz.yaml"
    path.write_bytes(data)
    try:
        load_annotations(path)
    except AnnotationsInvalid as invalid:
        assert invalid.errors


@FUZZ
@given(note=texts, tags=st.lists(st.text(max_size=30), max_size=5))
def test_an_edit_saves_exactly_what_was_asked_or_writes_nothing(
    tmp_path: Path, note: str, tags: list[str]
) -> None:
    path = tmp_path / "notes.yaml"
    before = 'pmid: "29037250"\n# ours\nreferences:\n  - index: 2\n    note: kept\n'
    path.write_text(before, encoding="utf-8")
    try:
        saved = update_reference_note(path, 1, note=note, tags=tags)
    except AnnotationsInvalid:
        assert path.read_text(encoding="utf-8") == before
        return
    reread = load_annotations(path)
    assert (
        reread == saved.__class__(saved.pmid, saved.claims, saved.references, str(path))
        or reread.references == saved.references
    )
    assert reread.reference_note(2).note == "kept"  # type: ignore[union-attr]
    assert [temporary.name for temporary in tmp_path.glob(".*")] == []
