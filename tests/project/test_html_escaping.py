"""Every public function that returns HTML shows hostile text as text, never as markup.

A review and its annotations are filled with markup in every text field (title, journal,
pages, authors, identifiers, abstract, references, claims, notes), then every HTML the package
makes from them is parsed: it must hold no element and no attribute the hostile text brought.
"""

from __future__ import annotations

import base64
import dataclasses
import json
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest

from reviewbook.annotations.anchoring import Quote
from reviewbook.annotations.model import AnnotationError, Annotations, Claim, ReferenceNote
from reviewbook.exports import format_bibliography
from reviewbook.model import (
    Article,
    Body,
    Box,
    Citation,
    Figure,
    Paragraph,
    Problem,
    Section,
    TableFloat,
)
from reviewbook.notebook.annotated import EvidenceBrowser, annotated_text
from reviewbook.notebook.cards import bibliographic_card, reviews_table, sections_html
from reviewbook.notebook.charts import (
    evidence_heatmap,
    overlap_heatmap,
    plot_citations_by_section,
    plot_journals,
    plot_reference_years,
)
from reviewbook.notebook.completeness import claims_note, completeness_note, count_note
from reviewbook.notebook.editor import status_html
from reviewbook.notebook.explorer import ReferenceExplorer
from reviewbook.notebook.fulltext import full_text_html, outline_html
from reviewbook.notebook.statements import StatementBrowser, StatementReview, statement_html
from reviewbook.tables.frames import references_frame
from reviewbook.tables.fulltext import citations_frame
from reviewbook.tables.overlap import overlap_matrix
from reviewbook.workbook.index import notebook_index
from tests.annotations.statement_frames import statement, statements_of
from tests.conftest import expected_article

HOSTILE = '<script>alert(1)</script><img src=x onerror="alert(2)"><a href="javascript:x">'
"""Markup that would run if it came out live."""
FORBIDDEN_TAGS = frozenset(
    {"script", "img", "image", "iframe", "svg:script", "object", "embed", "foreignobject"}
)
SVG_IMAGE = "data:image/svg+xml;base64,"
"""How the package's charts come: an image holding an SVG the package drew."""


class MarkupFinder(HTMLParser):
    """The tags and attributes of a piece of HTML, as a browser would see them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.live: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        source = dict(attrs).get("src") or ""
        if tag == "img" and source.startswith(SVG_IMAGE):
            # A chart drawn by the package: its SVG is checked like any other markup.
            svg = base64.b64decode(source.removeprefix(SVG_IMAGE)).decode("utf-8")
            self.live.extend(live_markup(svg))
        elif tag in FORBIDDEN_TAGS:
            self.live.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on") or (value or "").strip().lower().startswith("javascript:"):
                self.live.append(f"{tag} {name}={value!r}")


def live_markup(html: str) -> list[str]:
    finder = MarkupFinder()
    finder.feed(html)
    finder.close()
    return finder.live


def hostile(value: object) -> object:
    """``value`` with ``HOSTILE`` added to every text in it (dataclass fields, tuples)."""
    if isinstance(value, str):
        return value + HOSTILE
    if isinstance(value, tuple):
        return tuple(hostile(item) for item in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {
            field.name: hostile(getattr(value, field.name))
            for field in dataclasses.fields(value)
            if field.name not in ("kind", "source", "line")  # choices, not free text
        }
        return dataclasses.replace(value, **changes)
    return value


PLAIN = expected_article("29037250")
ARTICLE = hostile(PLAIN)
REFERENCES = references_frame(ARTICLE)  # type: ignore[arg-type]
CLAIM = Claim(
    id="c1" + HOSTILE,
    statement="A statement " + HOSTILE,
    quote=Quote(exact=HOSTILE, prefix=(PLAIN.abstract or "")[-30:], suffix=""),
    location="abstract",
    cells=("T cells",),
    steps=("intravasation",),
    role="promotes",
    refs=(1,),
)
ANNOTATIONS = Annotations(
    pmid=str(ARTICLE.pmid),  # type: ignore[attr-defined]
    claims=(CLAIM,),
    references=(ReferenceNote(1, "A note " + HOSTILE, ("tag" + HOSTILE,)),),
    path="notes.yaml",
)


def with_full_text(article: Article, extra: str) -> Article:
    """``article`` with a body whose every text carries ``extra``: headings, paragraphs, the
    citations as printed, a figure, a table (header, cell, footnote) and a box holding a table;
    each citation's offsets still give its text, and it names the first two references."""
    cited = f"1{extra}"
    sentence = f"Cells {extra} die [{cited}]."
    start = sentence.index(cited)
    place = f"Results {extra}"

    def cite(at: int = start, cell: tuple[int, int] | None = None) -> Citation:
        passage = cited if cell else sentence
        return Citation(cited, (1, 2), passage, place, at, at + len(cited), cell=cell)

    paragraph = Paragraph(sentence, (cite(),))
    table = TableFloat(
        label=f"Table 1{extra}",
        title=f"Title {extra}",
        caption=sentence,
        columns=((f"Head {extra}", extra),),
        rows=((f"Cell {extra}", cited),),
        footnotes=(sentence,),
        citations=(cite(), cite(0, (1, 1)), cite()),
    )
    body = Body(
        sections=(Section(place, f"2{extra}", (paragraph,), path=(place,)),),
        paragraphs=(paragraph,),
        figures=(Figure(f"Figure 1{extra}", f"Title {extra}", sentence, extra, (cite(),)),),
        tables=(table,),
        boxes=(Box(f"Box 1{extra}", f"Title {extra}", (paragraph,), (table,), extra),),
    )
    return dataclasses.replace(article, body=body)


FULL_TEXT = with_full_text(ARTICLE, HOSTILE)  # type: ignore[arg-type]


def suggested_statements(article: Article, extra: str) -> pd.DataFrame:
    """Statements suggested on the first sentence of a `with_full_text` body: one in the
    vocabulary, one whose every text carries ``extra``."""
    assert article.body is not None
    section = article.body.sections[0]
    sentence, place = section.paragraphs[0].text, section.place
    pmid = str(article.pmid)
    return statements_of(
        statement(
            sentence, place, "macrophage", ("intravasation",), "promotes", (1, 2), extra, pmid
        ),
        statement(sentence, place, f"cell{extra}", (f"step{extra}",), extra, (1,), extra, pmid),
    )


STATEMENTS = suggested_statements(FULL_TEXT, HOSTILE)


def _statement_review_html(folder: Path) -> str:
    review = StatementReview(folder / "29037250.yaml", FULL_TEXT, STATEMENTS)
    # the sentence is the whole of a section and of a box: no claim can tell them apart
    assert "Cannot be accepted as a claim: " in review.shown.value
    shown = review.shown.value + review.count.value + review.status.value
    return shown + review._repr_mimebundle_()["text/html"]


def _statement_browser_html() -> str:
    browser = StatementBrowser(STATEMENTS, [FULL_TEXT])
    assert len(browser.shown) == 1
    return browser.table.value + browser._repr_mimebundle_()["text/html"]


def _full_text_explorer_html() -> str:
    explorer = ReferenceExplorer(references_frame(FULL_TEXT), citations=citations_frame(FULL_TEXT))
    explorer.apply(sections=[f"Results {HOSTILE}"])
    assert len(explorer.filtered) == 2
    return explorer.contexts.value + explorer._repr_mimebundle_()["text/html"]


def _index_html(folder: Path) -> str:
    notebook = {"cells": [{"cell_type": "markdown", "source": f"# *Title* {HOSTILE}"}]}
    (folder / f"01_x{HOSTILE.replace('/', '')}.ipynb").write_text(json.dumps(notebook))
    return notebook_index(folder).markup


def _explorer_html() -> str:
    explorer = ReferenceExplorer(REFERENCES)
    return explorer.table.value + explorer.histogram.value + explorer.count_label.value


HTML_MAKERS = {
    "format_bibliography": lambda _: "".join(format_bibliography(REFERENCES, output="html")),
    "bibliographic_card": lambda _: bibliographic_card(ARTICLE).markup,
    "sections_html": lambda _: sections_html(ARTICLE, HOSTILE).markup,
    "reviews_table": lambda _: reviews_table([ARTICLE]).markup,
    "annotated_text": lambda _: annotated_text(ARTICLE, ANNOTATIONS).markup,
    "plot_reference_years": lambda _: plot_reference_years(REFERENCES).markup,
    "plot_journals": lambda _: plot_journals(REFERENCES).markup,
    "evidence_heatmap": lambda _: evidence_heatmap([ANNOTATIONS]).markup,
    "evidence_browser": lambda _: EvidenceBrowser([ANNOTATIONS]).claims.value,
    "explorer": lambda _: _explorer_html(),
    "status_html": lambda _: status_html(
        "refused", HOSTILE, (AnnotationError(HOSTILE, 1, HOSTILE, HOSTILE),)
    ),
    "notebook_index": _index_html,
    "overlap_heatmap": lambda _: overlap_heatmap(overlap_matrix(REFERENCES)).markup,
    "completeness_note": lambda _: completeness_note(ARTICLE).markup,  # type: ignore[arg-type]
    "count_note": lambda _: count_note(HOSTILE, 1, [ARTICLE]).markup,  # type: ignore[list-item]
    "claims_note": lambda _: claims_note([ANNOTATIONS, Annotations(HOSTILE)]).markup,
    "outline_html": lambda _: outline_html(FULL_TEXT).markup,
    "full_text_html": lambda _: full_text_html(FULL_TEXT).markup,
    "full_text_html section": lambda _: full_text_html(FULL_TEXT, f"Results {HOSTILE}").markup,
    "plot_citations_by_section": lambda _: plot_citations_by_section(FULL_TEXT).markup,
    "explorer with full text": lambda _: _full_text_explorer_html(),
    "statement_html": lambda _: statement_html(STATEMENTS.iloc[1], FULL_TEXT),
    "statement review": _statement_review_html,
    "statement browser": lambda _: _statement_browser_html(),
    "evidence_heatmap with statements": lambda _: (
        evidence_heatmap([ANNOTATIONS], STATEMENTS).markup
    ),
}


def test_the_hostile_review_really_carries_markup_everywhere() -> None:
    assert live_markup(HOSTILE) == [
        "<script>",
        "<img>",
        "img onerror='alert(2)'",
        "a href='javascript:x'",
    ]
    assert ARTICLE.title.endswith(HOSTILE)  # type: ignore[attr-defined]
    assert REFERENCES["journal"].dropna().str.endswith(HOSTILE).all()
    assert isinstance(hostile(Problem(3, "citation", "m")), Problem)
    assert not pd.isna(REFERENCES["first_page"]).all()
    # every citation of the hostile body is linked, each printing the markup it carries
    text = full_text_html(FULL_TEXT).markup
    assert text.count('class="reviewbook-citation"') == len(FULL_TEXT.body.citations) == 10
    assert ">1&lt;script&gt;alert(1)&lt;/script&gt;" in text


@pytest.mark.parametrize("name", HTML_MAKERS)
def test_every_html_output_shows_hostile_text_as_text(name: str, tmp_path: Path) -> None:
    html = HTML_MAKERS[name](tmp_path)
    assert html
    assert live_markup(html) == []


# --- mathematics: record text is never typeset ----------------------------------------------

MATH = "$x^2$ and \\(y\\) and $$z$$"
"""Text MathJax would typeset in JupyterLab, in ipywidgets and on the website."""
MATH_ARTICLE = dataclasses.replace(
    PLAIN, title=f"A title {MATH}", abstract=f"Text {MATH}.", sections=(("Notes", MATH),)
)


class TypesetText(HTMLParser):
    """The text MathJax 3 would read for mathematics in a piece of HTML: everything outside
    elements of class ``mathjax_ignore`` (and its skipped tags)."""

    SKIPPED = frozenset({"script", "noscript", "style", "textarea", "pre", "code"})
    VOID = frozenset({"br", "img", "hr", "input", "meta", "link", "wbr", "col"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ignored: list[bool] = []
        self.read: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.VOID:
            return
        classes = (dict(attrs).get("class") or "").split()
        inside = bool(self.ignored and self.ignored[-1])
        self.ignored.append(inside or "mathjax_ignore" in classes or tag in self.SKIPPED)

    def handle_endtag(self, tag: str) -> None:
        if tag not in self.VOID and self.ignored:
            self.ignored.pop()

    def handle_data(self, data: str) -> None:
        if not (self.ignored and self.ignored[-1]):
            self.read.append(data)


def typeset_text(html: str) -> str:
    finder = TypesetText()
    finder.feed(html)
    finder.close()
    return "".join(finder.read)


def _page_forms() -> dict[str, str]:
    """What reaches a page from each kind of output: an `Html`'s rendering, a widget's value
    as sent to the browser, a widget's saved snapshot."""
    references = references_frame(
        dataclasses.replace(
            MATH_ARTICLE,
            references=tuple(
                dataclasses.replace(reference, title=f"{reference.title} {MATH}")
                for reference in MATH_ARTICLE.references
            ),
        )
    )
    explorer = ReferenceExplorer(references)
    full_text = with_full_text(MATH_ARTICLE, f" {MATH}")
    cited = ReferenceExplorer(references_frame(full_text), citations=citations_frame(full_text))
    statements = suggested_statements(full_text, f" {MATH}")
    review = StatementReview(Path("/nonexistent") / "1.yaml", full_text, statements)
    browser = StatementBrowser(statements, [full_text])
    return {
        "bibliographic_card": bibliographic_card(MATH_ARTICLE)._repr_html_(),
        "sections_html": sections_html(MATH_ARTICLE, "Notes")._repr_html_(),
        "explorer table": explorer.table.get_state()["value"],
        "explorer snapshot": explorer._repr_mimebundle_()["text/html"],
        "outline_html": outline_html(full_text)._repr_html_(),
        "full_text_html": full_text_html(full_text)._repr_html_(),
        "plot_citations_by_section": plot_citations_by_section(full_text)._repr_html_(),
        "explorer contexts": cited.contexts.get_state()["value"],
        "explorer with full text snapshot": cited._repr_mimebundle_()["text/html"],
        "statement review shown": review.shown.get_state()["value"],
        "statement review snapshot": review._repr_mimebundle_()["text/html"],
        "statement browser table": browser.table.get_state()["value"],
        "statement browser snapshot": browser._repr_mimebundle_()["text/html"],
    }


def test_every_output_keeps_record_text_away_from_mathjax() -> None:
    forms = _page_forms()
    for name, html in forms.items():
        assert "$x^2$" in html, name
        assert typeset_text(html).strip() == "", (
            f"{name}: MathJax would read {typeset_text(html)!r}"
        )
    # The checker sees text MathJax would typeset when nothing guards it.
    assert "$x^2$" in typeset_text(f"<p>{MATH}</p>")
