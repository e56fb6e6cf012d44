"""A widget for browsing a references table: filters, a count, a year histogram, a table, exports.

``ReferenceExplorer(frame, **filters)`` takes a `Filters` value, or its fields as keywords (those
of `filter_references`), as its starting filters and shows itself when displayed. Notebook code
can read ``explorer.filtered`` (the matching rows), ``explorer.filters`` (the filter values) and
``explorer.state`` (the same as a dict, ready for ``filter_references(frame, **explorer.state)``),
and set any widget's ``value``.

A frame from reviews with a full text (``times_cited`` and ``cited_in`` of `references_frame`)
shows two more controls, for the filters ``sections`` (the places citing a reference) and
``min_times_cited`` (how often the text cites it). Given the reviews' `citations_frame`
(``citations=``), the explorer also shows the sentences that cite the first references shown.

Every piece of text from the frame is HTML-escaped before it reaches the page; links are built
only from identifiers (or a title search, for links the page offers without an identifier).

Exports are written under ``export_dir`` and offered to the browser as a download. Until its
cell runs in a kernel, a page shows the explorer's snapshot instead of its controls: the count,
the histogram and the table as HTML, saying so (`reviewbook.notebook.html.snapshot_bundle`).
"""

from __future__ import annotations

import contextlib
import datetime
from collections import Counter
from collections.abc import Callable, Collection, Iterator
from html import escape
from pathlib import Path
from typing import Any

import ipywidgets as widgets
import numpy as np
import pandas as pd

from reviewbook.exports import EXPORT_FORMATS, Export, export_format_for
from reviewbook.files import shown_folder, write_atomically
from reviewbook.model import LINK_LABELS
from reviewbook.notebook.charts import year_histogram
from reviewbook.notebook.fulltext import citing_sentences
from reviewbook.notebook.html import (
    LINK_STYLE,
    download_html,
    link_html,
    reference_links,
    snapshot_bundle,
)
from reviewbook.notebook.html_widget import HtmlWidget
from reviewbook.sources.citation import journal_key
from reviewbook.tables.counts import journal_names
from reviewbook.tables.filters import (
    Filters,
    ReferenceIndex,
    YearRange,
    check_filter_names,
    split_joined,
    strings,
)

# --- knowledge: exports, table columns, sizes -----------------------------------------------

EXPLORER_EXPORTS: tuple[str, ...] = ("csv", "bibtex", "biblatex", "ris", "csl-json")
"""The formats of `reviewbook.exports.EXPORT_FORMATS` the explorer has a button for: all of
them, as `reviewbook export` offers them."""

TABLE_COLUMNS: tuple[tuple[str, str], ...] = (
    ("review_pmid", "Review"),
    ("index", "#"),
    ("authors", "Authors"),
    ("year", "Year"),
    ("title", "Title"),
    ("journal", "Journal"),
    ("volume", "Vol."),
    ("pages", "Pages"),
    ("links", "Links"),
)
"""(column, heading) of the table; ``pages`` joins first and last page, ``review_pmid`` is
shown only when the frame holds several reviews."""

CELL_COLUMNS: tuple[str, ...] = (
    *(column for column, _ in TABLE_COLUMNS if column != "pages"),
    "first_page",
    "last_page",
    "raw",
    "doi",
    "pmid",
    "pmcid",
)
"""Frame columns the table reads, kept as display text once so redrawing it is cheap."""

MAX_TABLE_ROWS = 200
"""Rows the table shows; the count and the exports always cover every matching row."""

TABLE_STYLE = (
    "<style>"
    ".reviewbook-table table{border-collapse:collapse;font-size:12px;width:100%}"
    ".reviewbook-table .reviewbook-rows th,.reviewbook-table .reviewbook-rows td{"
    "border-bottom:1px solid #ddd;padding:2px 6px;text-align:left;vertical-align:top}"
    ".reviewbook-table th{position:sticky;top:0;background:var(--jp-layout-color1,#fff)}"
    "</style>"
)
"""The table's look, live and in the snapshot; its cells' rule names two classes, to outweigh
JupyterLab's for rendered HTML (right-aligned cells), which a snapshot is."""
DOWNLOAD_MEDIA_TYPES: dict[str, str] = {
    ".csv": "text/csv",
    ".bib": "application/x-bibtex",
    ".ris": "application/x-research-info-systems",
    ".json": "application/vnd.citationstyles.csl+json",
}
"""The media type a download of each export suffix is handed to the browser as."""
CONTEXT_REFERENCES = 5
"""How many of the references shown get their citing sentences listed."""
CONTEXTS_PER_REFERENCE = 10
"""The most citing sentences listed for one reference."""
SNAPSHOT_NOTE = "a snapshot of the explorer as last run: run the notebook to filter and export"
"""What the explorer's static HTML says it is."""


# --- the widget -----------------------------------------------------------------------------


class ReferenceExplorer(widgets.VBox):
    """Filters over a references frame, with a live count, year histogram, table and exports."""

    def __init__(
        self,
        frame: pd.DataFrame,
        filters: Filters | None = None,
        *,
        export_dir: str | Path | None = None,
        export_stem: str = "references",
        max_rows: int = MAX_TABLE_ROWS,
        citations: pd.DataFrame | None = None,
        **keywords: Any,
    ) -> None:
        """Show ``frame`` filtered by ``filters``, its fields changed by ``keywords``;
        ``citations``, the reviews' `citations_frame`, adds the sentences citing the references
        shown."""
        super().__init__()
        start = (filters or Filters()).updated(**keywords)
        self.index = ReferenceIndex(frame)
        self.citations = citations
        self.export_dir = Path(export_dir) if export_dir is not None else Path.cwd() / "exports"
        self.export_stem = export_stem
        self.max_rows = max_rows
        self._holding = False
        self._positions: np.ndarray = np.arange(len(frame))
        self._filtered: pd.DataFrame | None = None
        self._cells = {column: strings(frame, column) for column in CELL_COLUMNS}
        self._several_reviews = len(self.index.review_uniques) > 1
        self._journal_names = journal_names(self.index.journal_keys, self._cells["journal"])
        known_years = self.index.years[self.index.year_known]
        self._year_bounds: tuple[int, int] | None = (
            (int(known_years.min()), int(known_years.max())) if known_years.size else None
        )
        self._year_counts = self._count_years(np.ones(len(frame), dtype=bool))
        self.has_citing = self.index.has_citing
        """Whether the frame says how a full text cites its references (then the explorer
        shows the ``sections`` and ``min_times_cited`` controls)."""
        self._shows_contexts = self.has_citing and citations is not None

        self._build_widgets()
        self._layout()
        self.apply(start)

    # --- reading it ----------------------------------------------------------------------------

    @property
    def frame(self) -> pd.DataFrame:
        """The whole references frame the explorer was given."""
        return self.index.frame

    @property
    def filtered(self) -> pd.DataFrame:
        """The rows passing the current filters, in frame order, with the frame's columns."""
        if self._filtered is None:
            self._filtered = self.frame.iloc[self._positions]
        return self._filtered

    @property
    def filters(self) -> Filters:
        """The current filter values, as the widgets show them."""
        return Filters(
            year_range=tuple(self.year_slider.value) if self._year_bounds else None,
            include_unknown_year=self.unknown_year.value,
            journals=[self._journal_names[key] for key in self.journal_select.value],
            author=self.author_box.value,
            text=self.text_box.value,
            links=[label for label, box in self.link_boxes.items() if box.value],
            reviews=list(self.review_select.value),
            tags=list(self.tag_select.value),
            sections=list(self.section_select.value) if self.has_citing else None,
            min_times_cited=self.times_cited_slider.value if self.has_citing else None,
        )

    @property
    def state(self) -> dict[str, Any]:
        """The current filter values as a dict: keywords of `filter_references`."""
        return self.filters.keywords()

    # --- changing it ---------------------------------------------------------------------------

    def apply(self, filters: Filters | None = None, **keywords: Any) -> None:
        """Set the widgets to every field of ``filters``, then to ``keywords`` (fields of
        `Filters`); the filters not named stay as they are."""
        check_filter_names(keywords)
        values = {**(filters.keywords() if filters is not None else {}), **keywords}
        setters: dict[str, Callable[[Any], None]] = {
            "year_range": self._set_year_range,
            "include_unknown_year": lambda value: setattr(self.unknown_year, "value", bool(value)),
            "journals": self._set_journals,
            "author": lambda value: setattr(self.author_box, "value", value or ""),
            "text": lambda value: setattr(self.text_box, "value", value or ""),
            "links": self._set_links,
            "reviews": self._set_reviews,
            "tags": self._set_tags,
            "sections": self._set_sections,
            "min_times_cited": self._set_min_times_cited,
        }
        with self._batch():
            for name, value in values.items():
                setters[name](value)

    def reset(self, _button: widgets.Button | None = None) -> None:
        """Clear every filter: all years, unknown years kept, no selection, no text."""
        self.apply(Filters())

    def export(self, name: str) -> Path:
        """Write the filtered rows as ``name`` (a format of the registry: ``csv``, ``bibtex``,
        ``biblatex``, ``ris``, ``csl-json``, or its label: ``BibTeX``...) to a new file; return
        its path."""
        return self._export(name)[0]

    def _export(self, name: str) -> tuple[Path, Export]:
        """Write the export ``name`` to a new file: its path, and its text and notes."""
        export_format = EXPORT_FORMATS.get(name) or next(
            (known for known in EXPORT_FORMATS.values() if known.label == name), None
        )
        if export_format is None:
            raise ValueError(f"unknown export format {name!r}; choose from {list(EXPORT_FORMATS)}")
        export = export_format.export(self.filtered)
        stem = self.export_stem
        if export_format_for(f"{stem}{export_format.suffix}") != export_format.name:
            stem += f"-{export_format.name}"  # biblatex beside BibTeX: both are .bib
        path = _new_export_path(self.export_dir, stem, export_format.suffix)
        write_atomically(path, export.text)
        return path, export

    # --- showing it ----------------------------------------------------------------------------

    def snapshot_html(self) -> str:
        """The explorer as static HTML: count, histogram and table (styled as the live one's),
        said to be a snapshot."""
        return (
            '<div class="reviewbook-explorer-snapshot">'
            f"<p><b>{escape(self.count_label.value)}</b> <i>({escape(SNAPSHOT_NOTE)})</i></p>"
            f'{self.histogram.value}<div class="reviewbook-table">{self.table.value}</div>'
            f"{self.contexts.value}</div>"
        )

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        """The widget view, with the snapshot as HTML and a one-line plain text beside it, for
        every page without the live widget (`snapshot_bundle`)."""
        return snapshot_bundle(
            super()._repr_mimebundle_(**kwargs), self.snapshot_html(), repr(self)
        )

    def __repr__(self) -> str:
        """One line (not ipywidgets' listing of every child's traits, slow to build)."""
        return f"ReferenceExplorer: {self.count_label.value}"

    # --- building ------------------------------------------------------------------------------

    def _build_widgets(self) -> None:
        """Create every widget as an attribute and connect it to the update."""
        low, high = self._year_bounds or (0, 0)
        self.year_slider = widgets.IntRangeSlider(
            value=(low, high),
            min=low,
            max=high,
            description="Years",
            disabled=self._year_bounds is None,
            continuous_update=False,
            layout=widgets.Layout(width="420px"),
        )
        self.unknown_year = widgets.Checkbox(
            value=True, description="keep unknown years", indent=False
        )
        journal_counts = Counter(self.index.journal_keys)
        self.journal_select = widgets.SelectMultiple(
            options=[
                (f"{self._journal_names[key]} ({count})", key)
                for key, count in sorted(
                    journal_counts.items(),
                    key=lambda item: (-item[1], self._journal_names[item[0]]),
                )
                if key
            ],
            description="Journals",
            rows=min(6, max(2, len(journal_counts))),
        )
        self.author_box = widgets.Text(
            description="Author", placeholder="any author, e.g. massague", continuous_update=True
        )
        self.text_box = widgets.Text(
            description="Search",
            placeholder="words in title, journal or citation",
            continuous_update=True,
        )
        self.link_boxes = {
            label: widgets.Checkbox(
                value=False, description=label, indent=False, layout=widgets.Layout(width="auto")
            )
            for label in LINK_LABELS
        }
        review_counts = Counter(self.index.review_pmids)
        self.review_select = widgets.SelectMultiple(
            options=[(f"{pmid} ({count})", pmid) for pmid, count in review_counts.items() if pmid],
            description="Reviews",
            rows=min(4, max(2, len(review_counts))),
        )
        tag_counts = Counter(tag for row in self.index.row_tags for tag in row)
        self.tag_select = widgets.SelectMultiple(
            options=[(f"{tag} ({count})", tag) for tag, count in sorted(tag_counts.items())],
            description="Tags",
            rows=min(4, max(2, len(tag_counts))),
        )
        self._build_citing_widgets()
        self.count_label = HtmlWidget()
        self.histogram = HtmlWidget()
        self.table = HtmlWidget()
        self.reset_button = widgets.Button(description="Reset filters", icon="undo")
        labels = [EXPORT_FORMATS[name].label for name in EXPLORER_EXPORTS]
        self.export_buttons = {
            label: widgets.Button(
                description=label, icon="download", layout=widgets.Layout(width="auto")
            )
            for label in labels
        }
        self.export_message = HtmlWidget()
        self.export_hint = HtmlWidget(
            f"<small>Export the matching references: each button saves a file under "
            f"<code>{escape(shown_folder(self.export_dir, Path.cwd().parent))}</code> and "
            "offers it as a download.</small>"
        )

        for control in (
            self.year_slider,
            self.unknown_year,
            self.journal_select,
            self.author_box,
            self.text_box,
            *self.link_boxes.values(),
            self.review_select,
            self.tag_select,
            self.section_select,
            self.times_cited_slider,
        ):
            control.observe(self._on_change, names="value")
        self.reset_button.on_click(self.reset)
        for label, button in self.export_buttons.items():
            button.on_click(lambda _button, label=label: self._on_export(label))

    def _build_citing_widgets(self) -> None:
        """The section choice and times-cited slider, and the citing sentences' view."""
        places = Counter(place for row in self.index.row_places for place in row)
        order = list(places)
        if self.citations is not None:  # the order of the text: sections, then floats
            known = dict.fromkeys(strings(self.citations, "section"))
            order = [place for place in known if place in places] + [
                place for place in order if place not in known
            ]
        self.section_select = widgets.SelectMultiple(
            options=[(f"{place} ({places[place]})", place) for place in order],
            description="Section",
            rows=min(6, max(2, len(order))),
            layout=widgets.Layout(width="520px"),
        )
        known_times = self.index.times_cited[~np.isnan(self.index.times_cited)]
        self.times_cited_slider = widgets.IntSlider(
            value=0,
            min=0,
            max=int(known_times.max()) if known_times.size else 0,
            description="Times cited ≥",
            continuous_update=False,
            style={"description_width": "initial"},
        )
        self.contexts = HtmlWidget()

    def _layout(self) -> None:
        """Arrange the widgets and give each a CSS class the browser tests can find."""
        classes = {
            "reviewbook-year": self.year_slider,
            "reviewbook-unknown-year": self.unknown_year,
            "reviewbook-journals": self.journal_select,
            "reviewbook-author": self.author_box,
            "reviewbook-search": self.text_box,
            "reviewbook-reviews": self.review_select,
            "reviewbook-tags": self.tag_select,
            "reviewbook-sections": self.section_select,
            "reviewbook-times-cited": self.times_cited_slider,
            "reviewbook-contexts": self.contexts,
            "reviewbook-count": self.count_label,
            "reviewbook-histogram": self.histogram,
            "reviewbook-table": self.table,
            "reviewbook-reset": self.reset_button,
            "reviewbook-export-message": self.export_message,
            "reviewbook-export-hint": self.export_hint,
        }
        for css_class, widget in classes.items():
            widget.add_class(css_class)
        for label, box in self.link_boxes.items():
            box.add_class(f"reviewbook-link-{label.lower()}")
        for label, button in self.export_buttons.items():
            button.add_class(f"reviewbook-export-{label.lower()}")
        self.add_class("reviewbook-explorer")

        selects = [self.journal_select]
        if self._several_reviews:
            selects.append(self.review_select)
        if self.index.has_tags:
            selects.append(self.tag_select)
        links = widgets.HBox(
            [widgets.Label("Linked to"), *self.link_boxes.values()],
        )
        links.add_class("reviewbook-links")
        citing = [widgets.HBox([self.section_select, self.times_cited_slider])]
        self.children = [
            widgets.HBox(
                [self.count_label, self.reset_button, *self.export_buttons.values()],
                layout=widgets.Layout(flex_flow="row wrap"),
            ),
            widgets.HBox([self.year_slider, self.unknown_year]),
            widgets.HBox([self.author_box, self.text_box]),
            links,
            widgets.HBox(selects),
            *(citing if self.has_citing else []),
            self.histogram,
            self.export_hint,
            self.export_message,
            self.table,
            *([self.contexts] if self._shows_contexts else []),
        ]

    # --- setting widgets from filter values -------------------------------------------------

    def _set_year_range(self, year_range: YearRange | None) -> None:
        bounds = self._year_bounds
        if bounds is None:
            return
        low, high = year_range if year_range is not None else (None, None)
        low = bounds[0] if low is None else int(low)
        high = bounds[1] if high is None else int(high)
        if low > bounds[1] or high < bounds[0] or low > high:
            raise ValueError(f"year range {(low, high)} has no year of this frame {bounds}")
        self.year_slider.value = (max(low, bounds[0]), min(high, bounds[1]))

    def _set_journals(self, journals: Collection[str] | None) -> None:
        keys = [journal_key(name) for name in journals or ()]
        available = {key for _, key in self.journal_select.options}
        missing = [
            name for name, key in zip(journals or (), keys, strict=True) if key not in available
        ]
        if missing:
            raise ValueError(f"no reference of this frame is in journal {missing}")
        self.journal_select.value = tuple(dict.fromkeys(keys))

    def _set_links(self, links: Collection[str] | None) -> None:
        chosen = set(links or ())
        if chosen - set(LINK_LABELS):
            raise ValueError(f"unknown link type {sorted(chosen - set(LINK_LABELS))}")
        for label, box in self.link_boxes.items():
            box.value = label in chosen

    def _set_reviews(self, reviews: Collection[str | int] | None) -> None:
        self.review_select.value = _chosen_options(self.review_select, reviews, "review")

    def _set_tags(self, tags: Collection[str] | None) -> None:
        if tags and not self.index.has_tags:
            raise ValueError("this references frame has no 'tags' column to filter on")
        self.tag_select.value = _chosen_options(self.tag_select, tags, "tag")

    def _set_sections(self, sections: Collection[str] | None) -> None:
        if sections and not self.has_citing:
            raise ValueError("this references frame has no 'cited_in' values to filter on")
        self.section_select.value = _chosen_options(self.section_select, sections, "section")

    def _set_min_times_cited(self, least: int | None) -> None:
        least = int(least or 0)
        if least and not self.has_citing:
            raise ValueError("this references frame has no 'times_cited' values to filter on")
        most = self.times_cited_slider.max
        if not 0 <= least <= most:
            raise ValueError(f"no reference of this frame is cited {least} times (most: {most})")
        self.times_cited_slider.value = least

    # --- updating ------------------------------------------------------------------------------

    @contextlib.contextmanager
    def _batch(self) -> Iterator[None]:
        """Change several widgets and update the view once, at the end."""
        outer = self._holding
        self._holding = True
        try:
            yield
        finally:
            self._holding = outer
        if not outer:
            self._update()

    def _on_change(self, _change: dict[str, Any]) -> None:
        if not self._holding:
            self._update()

    def _update(self) -> None:
        """Filter, then redraw the count, the histogram and the table."""
        mask = self.index.mask(self.filters)
        self._positions = np.flatnonzero(mask)
        self._filtered = None
        self.export_message.value = ""  # it spoke of the rows before this change
        self.count_label.value = f"{len(self._positions)} of {self.index.size} references"
        self.histogram.value = year_histogram(
            self._year_counts, self._count_years(mask), self._year_bounds
        )
        self.table.value = self._render_table()
        if self._shows_contexts:
            self.contexts.value = self._render_contexts()

    def _count_years(self, mask: np.ndarray) -> np.ndarray:
        """References per year from the first to the last known year, among ``mask`` rows."""
        bounds = self._year_bounds
        if bounds is None:
            return np.zeros(0, dtype=np.int64)
        years = self.index.years[mask & self.index.year_known] - bounds[0]
        return np.bincount(years, minlength=bounds[1] - bounds[0] + 1)

    def _render_table(self) -> str:
        """The first ``max_rows`` matching rows as an escaped HTML table."""
        total = len(self._positions)
        if total == 0:
            return "<p><i>No reference matches these filters.</i></p>"
        columns = [
            (column, heading)
            for column, heading in TABLE_COLUMNS
            if column != "review_pmid" or self._several_reviews
        ]
        head = "".join(f"<th>{escape(heading)}</th>" for _, heading in columns)
        rows = []
        for position in self._positions[: self.max_rows]:
            cells = "".join(
                f"<td>{self._cell_html(column, position)}</td>" for column, _ in columns
            )
            rows.append(f"<tr>{cells}</tr>")
        note = (
            f"<p><i>Showing the first {self.max_rows} of {total} matching references.</i></p>"
            if total > self.max_rows
            else ""
        )
        return (
            f'{TABLE_STYLE}{note}<div style="max-height:480px;overflow:auto">'
            f'<table class="reviewbook-rows"><thead><tr>{head}</tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table></div>"
        )

    def _render_contexts(self) -> str:
        """The sentences citing each of the first `CONTEXT_REFERENCES` rows shown."""
        shown = self._positions[:CONTEXT_REFERENCES]
        if not len(shown) or self.citations is None:
            return ""
        cells = self._cells
        entries = []
        for position in shown:
            review, number = cells["review_pmid"][position], cells["index"][position]
            found = citing_sentences(self.citations, int(number), review) if number else None
            heading = f"[{number}] {cells['title'][position] or cells['raw'][position]}"
            if self._several_reviews:
                heading += f" (review {review or 'without PMID'})"
            if found is None or found.empty:
                sentences = "<li><i>not cited in the full text</i></li>"
            else:
                sentences = "".join(
                    f"<li><i>{escape(str(section))}</i>: {escape(str(sentence))}</li>"
                    for section, sentence in zip(
                        found["section"][:CONTEXTS_PER_REFERENCE],
                        found["sentence"][:CONTEXTS_PER_REFERENCE],
                        strict=True,
                    )
                )
                if len(found) > CONTEXTS_PER_REFERENCE:
                    more = len(found) - CONTEXTS_PER_REFERENCE
                    sentences += f"<li><i>and {more} more</i></li>"
            entries.append(f"<li>{escape(heading)}<ul>{sentences}</ul></li>")
        total = len(self._positions)
        what = (
            f"the first {len(shown)} of the {total} references shown"
            if total > len(shown)
            else ("the reference shown" if total == 1 else f"the {total} references shown")
        )
        return (
            f"<p><b>Where the text cites {what}</b></p>"
            f'<ul style="font-size:12px">{"".join(entries)}</ul>'
        )

    def _links(self, position: int) -> dict[str, str]:
        """The addresses of one reference, by label: PubMed, DOI, PMC, as the page offers."""
        cells = self._cells
        return reference_links(
            pmid=cells["pmid"][position],
            doi=cells["doi"][position],
            pmcid=cells["pmcid"][position],
            offered=split_joined(cells["links"][position]),
            title=cells["title"][position] or cells["raw"][position],
        )

    def _cell_html(self, column: str, position: int) -> str:
        """One escaped table cell; the title links to the DOI or PubMed record when known, and
        the links column shows each link the reference has."""
        cells = self._cells
        if column == "title":
            text = cells["title"][position] or cells["raw"][position]
            links = self._links(position)
            return link_html(links.get("DOI") or links.get("PubMed"), text, style=LINK_STYLE)
        if column == "links":
            return " · ".join(
                link_html(url, label, style=LINK_STYLE)
                for label, url in self._links(position).items()
            )
        if column == "authors":
            return escape(", ".join(split_joined(cells["authors"][position])))
        if column == "pages":
            first, last = cells["first_page"][position], cells["last_page"][position]
            return escape(f"{first}–{last}" if first and last and first != last else first)
        return escape(cells[column][position])

    def _on_export(self, label: str) -> None:
        """Button handler: export, then offer the file as a download and say where it went (or
        why it did not)."""
        try:
            path, export = self._export(label)
        except Exception as error:  # shown to the reader; a widget callback has no traceback
            self.export_message.value = escape(f"{label} export failed: {error}")
            return
        count = len(self._positions)
        media_type = DOWNLOAD_MEDIA_TYPES.get(path.suffix, "text/plain")
        link = download_html(export.text, path.name, media_type, f"Download {path.name}")
        notes = "".join(f"<li>{escape(str(note))}</li>" for note in export.notes)
        what = f"{len(export.notes)} values written differently in {label}:"
        changed = f"<br>{escape(what)}<ul>{notes}</ul>" if notes else ""
        where = shown_folder(path.parent, Path.cwd().parent) + path.name
        saved = escape(f"{count} references; also saved as {where}")
        self.export_message.value = f"{link} ({saved}){changed}"


# --- rendering helpers ----------------------------------------------------------------------


def _chosen_options(
    select: widgets.SelectMultiple, chosen: Collection[object] | None, what: str
) -> tuple[str, ...]:
    """The option values of ``select`` named by ``chosen``; a name it lacks is an error."""
    values = [str(item) for item in chosen or ()]
    available = {value for _, value in select.options}
    missing = [value for value in values if value not in available]
    if missing:
        raise ValueError(f"no reference of this frame has {what} {missing}")
    return tuple(dict.fromkeys(values))


def _new_export_path(folder: Path, stem: str, suffix: str) -> Path:
    """``folder/<stem>-<YYYYmmdd-HHMMSS><suffix>``, numbered when that name is taken."""
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    path = folder / f"{stem}-{stamp}{suffix}"
    number = 2
    while path.exists():
        path = folder / f"{stem}-{stamp}-{number}{suffix}"
        number += 1
    return path
