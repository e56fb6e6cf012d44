"""ReferenceExplorer without a browser: set widget values, read the count, the table, the files.

Widgets work without a kernel and their observers run as soon as a value is set, so each test
changes widgets the way a reader would and checks what the explorer shows and holds.
"""

from __future__ import annotations

import base64
import dataclasses
import re
import sys
from collections.abc import Callable
from pathlib import Path

import ipywidgets as widgets
import pandas as pd
import pytest

from reviewbook.exports import EXPORT_FORMATS, Export, ReferenceSource, to_csv
from reviewbook.model import Article
from reviewbook.notebook.charts import image_svg
from reviewbook.notebook.explorer import ReferenceExplorer
from reviewbook.notebook.html import LINK_STYLE, download_html
from reviewbook.sources.jats import parse_jats
from reviewbook.tables.filters import Filters, filter_references
from reviewbook.tables.frames import references_frame
from reviewbook.tables.fulltext import citations_frame
from tests.conftest import ROOT

JANSSEN, EREZ = "29037250", "21387299"


@pytest.fixture(scope="module")
def seeds(seed_references: pd.DataFrame) -> pd.DataFrame:
    """References of both seed reviews, Janssen's first (rows 0-4), then Erez's (rows 5-9)."""
    return seed_references


@pytest.fixture
def explorer(seeds: pd.DataFrame, tmp_path: Path) -> ReferenceExplorer:
    return ReferenceExplorer(seeds, export_dir=tmp_path / "exports")


def rows(frame: pd.DataFrame) -> list[int]:
    return frame.index.tolist()


# --- starting state -------------------------------------------------------------------------


def test_starts_with_every_reference(explorer: ReferenceExplorer) -> None:
    assert explorer.count_label.value == "10 of 10 references"
    assert rows(explorer.filtered) == list(range(10))
    assert explorer.state == {
        "year_range": (2002, 2011),
        "include_unknown_year": True,
        "journals": [],
        "author": "",
        "text": "",
        "links": [],
        "reviews": [],
        "tags": [],
        "sections": None,
        "min_times_cited": None,
    }


def test_year_slider_is_bounded_by_the_data(explorer: ReferenceExplorer) -> None:
    assert (explorer.year_slider.min, explorer.year_slider.max) == (2002, 2011)
    assert explorer.year_slider.value == (2002, 2011)


def test_journal_options_show_normalised_names_with_counts(explorer: ReferenceExplorer) -> None:
    assert explorer.journal_select.options == (
        ("Nat Rev Cancer (6)", "nat rev cancer"),
        ("Nature (2)", "nat"),
        ("Cell (1)", "cell"),
        ("Mutat Res (1)", "mutat res"),
    )


def test_review_choice_is_shown_only_for_several_reviews(
    explorer: ReferenceExplorer, seeds: pd.DataFrame
) -> None:
    assert explorer.review_select.options == ((f"{JANSSEN} (5)", JANSSEN), (f"{EREZ} (5)", EREZ))
    assert explorer.review_select in explorer.children[4].children
    single = ReferenceExplorer(seeds.iloc[:5])
    assert single.review_select not in single.children[4].children
    assert single.tag_select not in single.children[4].children


# --- one widget at a time -------------------------------------------------------------------


def test_year_slider_filters_inclusively(explorer: ReferenceExplorer) -> None:
    explorer.year_slider.value = (2004, 2009)
    assert rows(explorer.filtered) == [0, 3, 5, 6, 8]
    assert explorer.count_label.value == "5 of 10 references"


def test_unknown_year_toggle(seeds: pd.DataFrame) -> None:
    frame = seeds.copy()
    frame.loc[9, "year"] = pd.NA
    explorer = ReferenceExplorer(frame)
    explorer.year_slider.value = (2009, 2011)
    assert rows(explorer.filtered) == [1, 2, 6, 8, 9]
    explorer.unknown_year.value = False
    assert rows(explorer.filtered) == [1, 2, 6, 8]
    assert explorer.count_label.value == "4 of 10 references"


def test_journal_selection(explorer: ReferenceExplorer) -> None:
    explorer.journal_select.value = ("nat", "cell")
    assert rows(explorer.filtered) == [1, 5, 9]
    assert explorer.state["journals"] == ["Nature", "Cell"]


def test_author_box_ignores_case_and_accents(explorer: ReferenceExplorer) -> None:
    explorer.author_box.value = "MASSAGUÉ"
    assert rows(explorer.filtered) == [6]
    assert explorer.count_label.value == "1 of 10 references"


def test_search_box_ands_its_words(explorer: ReferenceExplorer) -> None:
    explorer.text_box.value = "metastasis"
    assert explorer.count_label.value == "4 of 10 references"
    explorer.text_box.value = "metastasis nat rev"
    assert rows(explorer.filtered) == [0, 6, 8]
    assert explorer.count_label.value == "3 of 10 references"


def test_link_boxes_match_any_checked_type(explorer: ReferenceExplorer) -> None:
    explorer.link_boxes["PMC"].value = True
    assert rows(explorer.filtered) == [2, 8, 9]
    explorer.link_boxes["DOI"].value = True
    assert rows(explorer.filtered) == [1, 2, 3, 4, 8, 9]


def test_review_selection(explorer: ReferenceExplorer) -> None:
    explorer.review_select.value = (EREZ,)
    assert rows(explorer.filtered) == [5, 6, 7, 8, 9]


def test_tag_selection_when_the_frame_has_tags(seeds: pd.DataFrame) -> None:
    frame = seeds.copy()
    frame["tags"] = pd.array(["dormancy", None, None, "niche; dormancy", *[None] * 6], "string")
    explorer = ReferenceExplorer(frame)
    assert explorer.tag_select.options == (("dormancy (2)", "dormancy"), ("niche (1)", "niche"))
    assert explorer.tag_select in explorer.children[4].children
    explorer.tag_select.value = ("niche",)
    assert rows(explorer.filtered) == [3]


# --- together ---------------------------------------------------------------------------------


def test_filters_combine_and_state_reproduces_the_rows(
    explorer: ReferenceExplorer, seeds: pd.DataFrame
) -> None:
    explorer.journal_select.value = ("nat rev cancer",)
    explorer.year_slider.value = (2002, 2005)
    explorer.text_box.value = "cancer"
    assert rows(explorer.filtered) == [0, 3, 4, 7]
    explorer.review_select.value = (JANSSEN,)
    assert explorer.count_label.value == "3 of 10 references"
    assert rows(filter_references(seeds, **explorer.state)) == [0, 3, 4]


def test_initial_filters_come_from_keywords(seeds: pd.DataFrame) -> None:
    explorer = ReferenceExplorer(
        seeds, journals=["Nat. Rev. Cancer."], year_range=(2004, None), links={"PubMed"}
    )
    assert explorer.journal_select.value == ("nat rev cancer",)
    assert explorer.year_slider.value == (2004, 2011)
    assert explorer.link_boxes["PubMed"].value is True
    assert rows(explorer.filtered) == [0, 3, 6, 8]
    assert explorer.count_label.value == "4 of 10 references"


def test_state_round_trips_through_a_new_explorer(explorer: ReferenceExplorer) -> None:
    explorer.author_box.value = "chambers"
    explorer.unknown_year.value = False
    copy = ReferenceExplorer(explorer.frame, **explorer.state)
    assert copy.state == explorer.state
    assert rows(copy.filtered) == [4, 7]


def test_initial_filters_outside_the_frame_are_errors(seeds: pd.DataFrame) -> None:
    with pytest.raises(TypeError):
        ReferenceExplorer(seeds, journal=["Cell"])  # type: ignore[call-arg]
    with pytest.raises(ValueError, match="journal"):
        ReferenceExplorer(seeds, journals=["Science"])
    with pytest.raises(ValueError, match="year range"):
        ReferenceExplorer(seeds, year_range=(2015, 2020))
    with pytest.raises(ValueError, match="tags"):
        ReferenceExplorer(seeds, tags=["dormancy"])


def test_reset_restores_every_filter(explorer: ReferenceExplorer) -> None:
    start = explorer.state
    explorer.year_slider.value = (2009, 2011)
    explorer.journal_select.value = ("nat rev cancer",)
    explorer.author_box.value = "joyce"
    explorer.link_boxes["PMC"].value = True
    explorer.unknown_year.value = False
    assert explorer.count_label.value == "1 of 10 references"
    explorer.reset_button.click()
    assert explorer.state == start
    assert explorer.count_label.value == "10 of 10 references"
    assert rows(explorer.filtered) == list(range(10))


def test_no_match_says_so(explorer: ReferenceExplorer) -> None:
    explorer.text_box.value = "zebrafish"
    assert explorer.count_label.value == "0 of 10 references"
    assert explorer.filtered.empty
    assert "No reference matches" in explorer.table.value


# --- what is drawn ----------------------------------------------------------------------------


def test_table_shows_the_filtered_rows_with_linked_titles(explorer: ReferenceExplorer) -> None:
    explorer.journal_select.value = ("cell",)
    table = explorer.table.value
    assert table.count("<tr>") == 2  # heading and one reference
    assert (
        '<a href="https://doi.org/10.1016/j.cell.2011.02.013" target="_blank" rel="noopener" '
        f'style="{LINK_STYLE}">Hallmarks of cancer: the next generation</a>'
    ) in table
    assert "Hanahan D, Weinberg RA" in table
    assert "646–674" in table


def test_title_links_to_pubmed_when_only_the_pmid_is_known(seeds: pd.DataFrame) -> None:
    frame = seeds.copy()
    frame.loc[0, "pmid"] = "16034440"
    explorer = ReferenceExplorer(frame, year_range=(2005, 2005))
    assert '<a href="https://pubmed.ncbi.nlm.nih.gov/16034440/"' in explorer.table.value


def test_markup_in_the_data_is_rendered_inert(seeds: pd.DataFrame) -> None:
    frame = seeds.copy()
    frame.loc[1, "title"] = '<script>alert("title")</script> and <img src=x onerror=alert(1)>'
    frame.loc[1, "doi"] = '10.1/"><script>alert(2)</script>'
    frame.loc[2, "authors"] = "<b>Bold</b> A; O'Brien <i>B</i>"
    frame.loc[2, "journal"] = "<iframe src=javascript:alert(3)>"
    explorer = ReferenceExplorer(frame)
    table = explorer.table.value
    for tag in ("<script", "<img", "<iframe", "<b>", "<i>"):
        assert tag not in table
    assert "&lt;script&gt;alert(&quot;title&quot;)&lt;/script&gt;" in table
    assert "&lt;img src=x onerror=alert(1)&gt;" in table
    assert 'href="https://doi.org/10.1/&quot;&gt;&lt;script&gt;alert(2)&lt;/script&gt;"' in table
    assert "&lt;b&gt;Bold&lt;/b&gt; A, O&#x27;Brien &lt;i&gt;B&lt;/i&gt;" in table
    explorer.text_box.value = "onerror"
    assert explorer.count_label.value == "1 of 10 references"


def test_table_shows_at_most_max_rows(seeds: pd.DataFrame) -> None:
    explorer = ReferenceExplorer(seeds, max_rows=3)
    assert explorer.table.value.count("<tr>") == 4
    assert "Showing the first 3 of 10 matching references." in explorer.table.value
    assert len(explorer.filtered) == 10


def test_histogram_follows_the_filters(explorer: ReferenceExplorer) -> None:
    assert explorer.histogram.value.startswith("<img")
    bars = _matching_bars(explorer)
    assert (bars[2002], bars[2011]) == (3, 2)
    explorer.review_select.value = (EREZ,)
    bars = _matching_bars(explorer)
    assert (bars[2002], 2011 in bars) == (2, False)


def _matching_bars(explorer: ReferenceExplorer) -> dict[int, int]:
    """The histogram's blue bars, as year (from each bar's place) and count (from its height,
    against the tallest bar: every reference of the busiest year)."""
    svg = image_svg(explorer.histogram.value)
    first, last = explorer._year_bounds or (0, 0)
    bar, plot_height = 640 / (last - first + 1), 90 - 16
    peak = int(explorer._year_counts.max())
    bars = re.findall(
        r'<rect x="([\d.]+)" y="[\d.]+" width="[\d.]+" height="([\d.]+)" '
        r'fill="#1f6feb"/>',
        svg,
    )
    return {first + round(float(x) / bar): round(float(h) * peak / plot_height) for x, h in bars}


def test_css_classes_name_the_parts(explorer: ReferenceExplorer) -> None:
    assert "reviewbook-explorer" in explorer._dom_classes
    assert "reviewbook-count" in explorer.count_label._dom_classes
    assert "reviewbook-year" in explorer.year_slider._dom_classes
    assert "reviewbook-search" in explorer.text_box._dom_classes


# --- exports ----------------------------------------------------------------------------------


def test_csv_export_writes_the_filtered_rows(explorer: ReferenceExplorer, tmp_path: Path) -> None:
    explorer.review_select.value = (EREZ,)
    explorer.export_buttons["CSV"].click()
    [written] = (tmp_path / "exports").glob("references-*.csv")
    assert explorer.export_message.value == (
        download_html(written.read_bytes().decode("utf-8"), written.name, "text/csv", "")[:-4]
        + f"Download {written.name}</a> (5 references; also saved as exports/{written.name})"
    )
    exported = pd.read_csv(written, dtype=str)
    assert exported["title"].tolist() == explorer.filtered["title"].tolist()
    assert list(exported.columns) == list(explorer.frame.columns)


def test_export_hint_names_the_folder_within_the_workbook_not_the_machine(
    seeds: pd.DataFrame, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    notebooks = tmp_path / "workbook" / "notebooks"
    notebooks.mkdir(parents=True)
    monkeypatch.chdir(notebooks)  # where a notebook's kernel runs
    hint = ReferenceExplorer(seeds).export_hint.value
    assert "<code>notebooks/exports/</code>" in hint
    assert str(tmp_path) not in hint


def test_exports_never_overwrite_each_other(explorer: ReferenceExplorer, tmp_path: Path) -> None:
    first, second = explorer.export("CSV"), explorer.export("CSV")
    assert first != second
    assert sorted(path.name for path in (tmp_path / "exports").iterdir()) == sorted(
        [first.name, second.name]
    )


def _fake_writer(
    monkeypatch: pytest.MonkeyPatch, name: str, write: Callable[[ReferenceSource], str]
) -> None:
    """Register ``write`` for the export format ``name``, for one test."""
    monkeypatch.setitem(
        EXPORT_FORMATS,
        name,
        dataclasses.replace(EXPORT_FORMATS[name], export=lambda frame: Export(write(frame))),
    )


def test_bibtex_and_ris_exports_go_through_the_export_registry(
    explorer: ReferenceExplorer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _fake_writer(monkeypatch, "bibtex", lambda frame: f"% {len(frame)} entries\n")
    _fake_writer(monkeypatch, "ris", lambda frame: f"TY  - JOUR\n% {len(frame)}\n")
    explorer.author_box.value = "chambers"
    explorer.export_buttons["BibTeX"].click()
    [bib] = (tmp_path / "exports").glob("*.bib")
    assert bib.read_text(encoding="utf-8") == "% 2 entries\n"
    assert explorer.export_message.value.endswith(
        f">Download {bib.name}</a> (2 references; also saved as exports/{bib.name})"
    )
    explorer.export_buttons["RIS"].click()
    [ris] = (tmp_path / "exports").glob("*.ris")
    assert ris.read_text(encoding="utf-8") == "TY  - JOUR\n% 2\n"


def test_a_failed_export_is_reported_in_the_message(
    explorer: ReferenceExplorer, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(frame: ReferenceSource) -> str:
        raise RuntimeError("no <entries>")

    _fake_writer(monkeypatch, "bibtex", broken)
    explorer.export_buttons["BibTeX"].click()
    assert explorer.export_message.value == "BibTeX export failed: no &lt;entries&gt;"


def test_every_button_writes_what_reviewbook_export_writes(explorer: ReferenceExplorer) -> None:
    explorer.author_box.value = "chambers"
    for label, start in (
        ("BibTeX", "references-2"),
        ("biblatex", "references-biblatex-2"),
        ("RIS", "references-2"),
        ("CSL-JSON", "references-2"),
    ):
        explorer.export_buttons[label].click()
        export_format = next(known for known in EXPORT_FORMATS.values() if known.label == label)
        [path] = [
            path
            for path in (explorer.export_dir).glob(f"*{export_format.suffix}")
            if path.name.startswith(start)
        ]
        assert path.read_text(encoding="utf-8") == export_format.write(explorer.filtered)
        assert f">Download {path.name}</a> (2 references;" in explorer.export_message.value


def test_csv_export_is_the_registry_csv(explorer: ReferenceExplorer) -> None:
    explorer.review_select.value = (JANSSEN,)
    path = explorer.export("csv")
    assert path.read_bytes().decode("utf-8") == to_csv(explorer.filtered)


def test_buttons_are_the_registry_labels_with_their_css_classes(
    explorer: ReferenceExplorer,
) -> None:
    assert list(explorer.export_buttons) == ["CSV", "BibTeX", "biblatex", "RIS", "CSL-JSON"]
    for label, css_class in (
        ("CSV", "csv"),
        ("BibTeX", "bibtex"),
        ("biblatex", "biblatex"),
        ("RIS", "ris"),
        ("CSL-JSON", "csl-json"),
    ):
        assert f"reviewbook-export-{css_class}" in explorer.export_buttons[label]._dom_classes


def test_unknown_export_format_is_an_error(explorer: ReferenceExplorer) -> None:
    with pytest.raises(ValueError, match="unknown export format 'EndNote'"):
        explorer.export("EndNote")


# --- the Filters value ------------------------------------------------------------------------


def test_filters_give_the_state_as_a_value(explorer: ReferenceExplorer) -> None:
    explorer.author_box.value = "chambers"
    assert explorer.filters == Filters(
        year_range=(2002, 2011),
        journals=[],
        author="chambers",
        text="",
        links=[],
        reviews=[],
        tags=[],
    )
    assert explorer.state == explorer.filters.keywords()


def test_an_explorer_starts_from_a_filters_value_and_keywords(seeds: pd.DataFrame) -> None:
    explorer = ReferenceExplorer(seeds, Filters(author="chambers"), reviews=[EREZ])
    assert rows(explorer.filtered) == [7]
    assert rows(filter_references(seeds, explorer.filters)) == [7]


def test_apply_sets_a_whole_filters_value_or_only_the_keywords(
    explorer: ReferenceExplorer,
) -> None:
    explorer.apply(author="chambers")
    explorer.apply(year_range=(2002, 2002))
    assert rows(explorer.filtered) == [4, 7]
    explorer.apply(Filters(year_range=(2002, 2002)))
    assert explorer.author_box.value == ""
    assert rows(explorer.filtered) == [4, 7, 9]
    with pytest.raises(TypeError, match=r"unknown filter \['year'\]"):
        explorer.apply(year=2002)


# --- the benchmark's scripted reader, as a cross-check --------------------------------------


def test_scripted_reader_of_the_benchmark_agrees_with_a_pandas_mask() -> None:
    """Replay the explorer_filter benchmark's 50 changes; a bare pandas mask agrees on each."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from benchmarks import explorer_filter

    frame = explorer_filter.generate_frame(explorer_filter.QUICK)
    prepared = explorer_filter.prepare_for_pandas(frame)
    explorer = ReferenceExplorer(frame)
    counts = []
    for change in explorer_filter.filter_changes(explorer, seed=0):
        change()
        mask = explorer_filter.pandas_mask(prepared, explorer.state)
        assert rows(explorer.filtered) == rows(frame[mask])
        counts.append(len(explorer.filtered))
    assert len(counts) == 50
    assert len(set(counts)) > 10  # the script explores, it does not sit on one answer


# --- a browser download, links, the snapshot ---------------------------------------------------


def _downloaded(message: str) -> tuple[str, str]:
    """The file name and text a download link in ``message`` hands to the browser."""
    name = re.search(r'download="([^"]+)"', message)
    encoded = re.search(r"base64,([A-Za-z0-9+/=]+)", message)
    assert name and encoded
    return name.group(1), base64.b64decode(encoded.group(1)).decode("utf-8")


def test_an_export_is_offered_as_a_download_of_the_file_it_saved(
    explorer: ReferenceExplorer, tmp_path: Path
) -> None:
    explorer.author_box.value = "chambers"
    explorer.export_buttons["RIS"].click()
    [ris] = (tmp_path / "exports").glob("*.ris")
    assert _downloaded(explorer.export_message.value) == (
        ris.name,
        ris.read_text(encoding="utf-8"),
    )
    assert 'href="data:application/x-research-info-systems;' in explorer.export_message.value


def test_the_export_message_clears_when_the_filters_change(explorer: ReferenceExplorer) -> None:
    explorer.export_buttons["CSV"].click()
    assert explorer.export_message.value
    explorer.text_box.value = "metastasis"
    assert explorer.export_message.value == ""


def test_the_links_column_shows_every_link_the_page_offers(explorer: ReferenceExplorer) -> None:
    explorer.journal_select.value = ("cell",)
    cells = re.findall(r"<td>(.*?)</td>", explorer.table.value)
    assert cells[-1] == " · ".join(
        f'<a href="{url}" target="_blank" rel="noopener" style="{LINK_STYLE}">{label}</a>'
        for label, url in (
            (
                "PubMed",
                "https://pubmed.ncbi.nlm.nih.gov/?term=Hallmarks+of+cancer%3A+the+next+generation",
            ),
            ("DOI", "https://doi.org/10.1016/j.cell.2011.02.013"),
        )
    )


def test_pages_without_the_live_widget_get_a_snapshot_saying_how_to_filter(
    explorer: ReferenceExplorer,
) -> None:
    explorer.author_box.value = "chambers"
    bundle = explorer._repr_mimebundle_()
    assert bundle["text/plain"] == "ReferenceExplorer: 2 of 10 references"
    assert bundle["application/vnd.jupyter.widget-view+json"]["model_id"] == explorer.model_id
    snapshot = bundle["text/html"]
    assert snapshot.startswith(
        '<div class="mathjax_ignore tex2jax_ignore">'
        '<div class="reviewbook-explorer-snapshot"><p><b>2 of 10 references</b> <i>(a snapshot '
        "of the explorer as last run: run the notebook to filter and export)</i></p>"
    )
    assert explorer.histogram.value in snapshot
    assert f'<div class="reviewbook-table">{explorer.table.value}</div>' in snapshot


# --- a review with a full text: where and how often each reference is cited -----------------

FULLTEXT = (ROOT / ".." / "shared" / "fulltext").resolve()
OVERCOMING = "Overcoming tumor immune suppression"


@pytest.fixture(scope="module")
def protacs() -> Article:
    """PMC12599256, a minireview citing its 60 references 69 times."""
    return parse_jats((FULLTEXT / "PMC12599256.nxml").read_bytes())


@pytest.fixture
def cited(protacs: Article) -> ReferenceExplorer:
    return ReferenceExplorer(references_frame(protacs), citations=citations_frame(protacs))


def test_a_frame_without_citing_values_shows_no_citing_filters(
    explorer: ReferenceExplorer,
) -> None:
    assert not explorer.has_citing
    assert (explorer.filters.sections, explorer.filters.min_times_cited) == (None, None)
    assert len(explorer.children) == 9
    assert not any(
        explorer.section_select in row.children
        for row in explorer.children
        if isinstance(row, widgets.HBox)
    )
    assert explorer.contexts not in explorer.children
    with pytest.raises(ValueError, match="no 'cited_in' values"):
        explorer.apply(sections=["Introduction"])
    with pytest.raises(ValueError, match="no 'times_cited' values"):
        explorer.apply(min_times_cited=1)


def test_a_full_text_frame_offers_its_sections_in_text_order(cited: ReferenceExplorer) -> None:
    assert cited.has_citing
    assert cited.section_select.options == (
        ("Introduction (19)", "Introduction"),
        ("Increased and guided immune responses (17)", "Increased and guided immune responses"),
        ("Overcoming tumor immune suppression (1)", "Overcoming tumor immune suppression"),
        *(
            (f"{OVERCOMING} › {name} ({count})", f"{OVERCOMING} › {name}")
            for name, count in (("PD-L1-PROTACs", 4), ("SHP-2 PROTACs", 5), ("IDO-1-PROTACs", 5))
        ),
        ("COX-1/2 PROTACs (5)", "COX-1/2 PROTACs"),
        ("Conclusion (6)", "Conclusion"),
        ("Figure 1 (8)", "Figure 1"),
    )
    assert (cited.times_cited_slider.min, cited.times_cited_slider.max) == (0, 4)
    assert cited.children[5].children == (cited.section_select, cited.times_cited_slider)
    assert cited.children[-1] is cited.contexts


def test_section_filter_keeps_references_cited_in_any_chosen_section(
    cited: ReferenceExplorer,
) -> None:
    cited.section_select.value = (
        "Overcoming tumor immune suppression › SHP-2 PROTACs",
        "COX-1/2 PROTACs",
    )
    assert rows(cited.filtered) == [13, 41, 42, 43, 44, 45, 50, 51, 52, 53]
    assert cited.count_label.value == "10 of 60 references"


def test_times_cited_filter_keeps_references_cited_at_least_so_often(
    cited: ReferenceExplorer,
) -> None:
    cited.times_cited_slider.value = 3
    assert cited.filtered["index"].tolist() == [3, 20, 21, 22]
    cited.section_select.value = ("Figure 1",)
    cited.times_cited_slider.value = 2
    assert rows(cited.filtered) == [19, 20, 21, 22, 23, 24, 25, 26]


def test_citing_filters_are_in_the_state_and_round_trip(
    cited: ReferenceExplorer, protacs: Article
) -> None:
    cited.apply(sections=["Conclusion"], min_times_cited=2, text="oral")
    assert (cited.state["sections"], cited.state["min_times_cited"]) == (["Conclusion"], 2)
    assert cited.state == cited.filters.keywords()
    assert rows(cited.filtered) == [55]
    copy = ReferenceExplorer(cited.frame, **cited.state)
    assert copy.state == cited.state
    assert rows(copy.filtered) == [55]
    assert rows(filter_references(cited.frame, **cited.state)) == [55]
    assert rows(filter_references(cited.frame, text="oral")) == [55, 57, 58, 59]
    cited.reset_button.click()
    assert (cited.state["sections"], cited.state["min_times_cited"]) == ([], 0)
    assert cited.count_label.value == "60 of 60 references"


def test_citing_filters_outside_the_frame_are_errors(cited: ReferenceExplorer) -> None:
    with pytest.raises(ValueError, match=r"no reference of this frame has section \['Methods'\]"):
        cited.apply(sections=["Methods"])
    with pytest.raises(ValueError, match=r"cited 5 times \(most: 4\)"):
        cited.apply(min_times_cited=5)


def test_contexts_show_the_sentences_citing_the_first_references_shown(
    cited: ReferenceExplorer,
) -> None:
    cited.apply(sections=["Conclusion"], min_times_cited=2)
    assert cited.contexts.value == (
        "<p><b>Where the text cites the reference shown</b></p>"
        '<ul style="font-size:12px"><li>[56] Optimising proteolysis-targeting chimeras '
        "(PROTACs) for oral drug delivery: a drug metabolism and pharmacokinetics perspective"
        "<ul><li><i>Conclusion</i>: Thus, establishing a framework and guidelines for "
        "developing and testing PROTACs should be based on in silico, in vitro, and in vivo "
        "methods is a potential solution [55,56].</li><li><i>Conclusion</i>: Next-generation "
        "PROTACs mitigate toxicity with novel CRBN binders excluding the molecular glue "
        "activities [57] and solubility as well as ADME issues with highly ordered rigid "
        "linkers and thorough lead optimization [56,58].</li></ul></li></ul>"
    )
    cited.reset()
    assert cited.contexts.value.startswith(
        "<p><b>Where the text cites the first 5 of the 60 references shown</b></p>"
    )
    assert cited.contexts.value.count("<li>[") == 5
    assert (
        f'<div class="reviewbook-table">{cited.table.value}</div>' + cited.contexts.value
        in (cited._repr_mimebundle_()["text/html"])
    )


def test_contexts_are_shown_only_with_the_citations(protacs: Article) -> None:
    explorer = ReferenceExplorer(references_frame(protacs))
    assert explorer.has_citing
    assert explorer.contexts not in explorer.children
    assert explorer.contexts.value == ""
    assert len(explorer.children) == 10
