"""A fuzz campaign over the readers' and the annotation loader's public entry points.

Whatever bytes or text they are given, they either return records or raise one of the
documented errors (`ReadError` and its subclasses; `AnnotationsInvalid`); an annotation edit
either saves exactly what was asked or writes nothing. Inputs are bounded in size so that a
slow case shows as a slow test, not a hang; in CI (``CI=true``) the examples are derandomized,
so a run is repeatable.
"""

from __future__ import annotations

import gzip
import os
import re
from pathlib import Path
from xml.sax.saxutils import escape

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from reviewbook import parse_citation, parse_pubmed_page, read_articles
from reviewbook.annotations.loading import load_annotations, loads_annotations
from reviewbook.annotations.model import AnnotationsInvalid
from reviewbook.annotations.store import update_reference_note
from reviewbook.errors import Problem, ReadError
from reviewbook.model import Article
from reviewbook.sources.medline import parse_medline
from reviewbook.sources.pubmed_xml import parse_pubmed_xml
from tests.conftest import PUBMED, TEST_DATA

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


# --- mutated MEDLINE and XML records: a record's oddities are problems on it ------------------

MUTATIONS = settings(FUZZ, max_examples=150, derandomize=True)
"""Mutated records are derandomized everywhere: a failure found once is found on every run."""
MEDLINE_LINES = (TEST_DATA / "medline_three_records.nbib").read_text(encoding="utf-8").split("\n")
XML_TEXT = (TEST_DATA / "pubmed_three_records.xml").read_text(encoding="utf-8")
XML_VALUES = [match.span(1) for match in re.finditer(r">([^<>]*)<", XML_TEXT)]
"""Where the XML's text values sit (between a tag's end and the next tag's start)."""
ODD_PIECES = (
    "",
    "      ",
    "      carried on",
    "PMID- ",
    "PG  - ",
    "DP  - ",
    "MH  - Mice/",
    "2\u00b96-302",  # a superscript digit: str.isdigit says yes, int says no
    "\u00b9",
    "\u0663\u0661",  # Arabic-Indic digits
    "\uff12\uff10\uff11\uff17",  # full-width digits
    "12-4",
    "e1234",
    "-",
    "\u2013",
    ".",
    "10.1000/x [doi]",
    "\t",
    "\ufeff",
)
odd_text = st.sampled_from(ODD_PIECES) | st.text(max_size=12)
medline_edits = st.lists(
    st.tuples(st.integers(0, len(MEDLINE_LINES)), st.sampled_from("rivwd"), odd_text),
    max_size=8,
)
"""Line edits: ``r`` replace a line's value, ``i`` insert a line, ``v`` insert a continuation
line, ``w`` replace the whole line, ``d`` delete the line."""
xml_edits = st.lists(st.tuples(st.integers(0, len(XML_VALUES) - 1), odd_text), max_size=8)
"""Text edits: a value of the XML replaced (escaped, so the XML stays well-formed)."""
raw_edits = st.lists(
    st.tuples(
        st.integers(0, len(XML_TEXT)),
        st.integers(0, 6),
        st.sampled_from(("<", ">", "&", "/", '"', "")),
    ),
    max_size=2,
)
"""Raw edits, which may leave the XML not well-formed: characters cut, markup put in."""


def mutated_medline(edits: list[tuple[int, str, str]]) -> str:
    lines = list(MEDLINE_LINES)
    for position, kind, piece in edits:
        at = min(position, len(lines) - 1) if lines else 0
        if kind == "r" and lines:
            lines[at] = lines[at][:6] + piece
        elif kind == "i":
            lines.insert(position, piece)
        elif kind == "v":
            lines.insert(position, "      " + piece)
        elif kind == "w" and lines:
            lines[at] = piece
        elif kind == "d" and lines:
            del lines[at]
    return "\n".join(lines)


def mutated_xml(edits: list[tuple[int, str]], raw: list[tuple[int, int, str]]) -> str:
    values = dict(edits)
    text, end = [], 0
    for number, (start, stop) in enumerate(XML_VALUES):
        if number in values:
            text += [XML_TEXT[end:start], escape(values[number])]
            end = stop
    text.append(XML_TEXT[end:])
    mutated = "".join(text)
    for position, cut, piece in raw:
        mutated = mutated[:position] + piece + mutated[position + cut :]
    return mutated


def assert_records(articles: list[Article]) -> None:
    """Records as the model has them: a title string, each warning a `Problem`."""
    for article in articles:
        assert isinstance(article.title, str)
        assert all(isinstance(problem, Problem) for problem in article.warnings)


@MUTATIONS
@given(medline_edits)
@example([(2, "i", ""), (3, "v", "cont")])  # a blank line, then a continuation line
@example([(0, "i", "      stray")])  # a continuation line with no field above it
@example([(10, "r", "2\u00b96-302"), (8, "r", "2\u00b917")])  # superscript pages and year
def test_mutated_medline_gives_records_or_read_error(edits: list[tuple[int, str, str]]) -> None:
    text = mutated_medline(edits)
    try:
        articles = parse_medline(text, source_path="fuzz.nbib")
    except ReadError as error:
        assert error.path == "fuzz.nbib"
        return
    assert_records(articles)


@MUTATIONS
@given(xml_edits, raw_edits)
@example([(30, "2\u00b96-302"), (16, "2\u00b917")], [])  # superscript pages and year
def test_mutated_pubmed_xml_gives_records_or_read_error(
    edits: list[tuple[int, str]], raw: list[tuple[int, int, str]]
) -> None:
    data = mutated_xml(edits, raw).encode("utf-8", "surrogatepass")
    try:
        articles = parse_pubmed_xml(data, source_path="fuzz.xml")
    except ReadError as error:
        assert error.path == "fuzz.xml"
        return
    assert_records(articles)


@MUTATIONS
@given(medline_edits, xml_edits)
@example([(2, "i", ""), (3, "v", "cont")], [(30, "2\u00b96-302")])
def test_mutated_files_read_from_gzip_give_records_or_read_error(
    tmp_path: Path, medline: list[tuple[int, str, str]], xml: list[tuple[int, str]]
) -> None:
    for name, text in (("m.nbib.gz", mutated_medline(medline)), ("x.xml.gz", mutated_xml(xml, []))):
        path = tmp_path / name
        path.write_bytes(gzip.compress(text.encode("utf-8", "surrogatepass")))
        try:
            assert_records(read_articles(path))
        except ReadError as error:
            assert error.path == str(path)
