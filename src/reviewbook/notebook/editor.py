"""Notebook editors for an annotation file: notes and tags on references, and claims.

Each editor is a few ipywidgets and a Save button that calls `update_reference_note` or
`upsert_claim`, so every save is locked, validated and atomic. The ``status`` line says what
was saved or why the edit was refused (nothing is written then). Everything shown as HTML is
escaped first: a note containing ``<script>`` shows as text and never runs.

Each save names the version of the file the editor read (its SHA-256); if another program
changed the file since, the save is refused (`AnnotationsChanged`), the status says so, and a
Reload button appears that shows the file as it now is.

In a notebook::

    editor = AnnotationEditor("data/annotations/21387299.yaml", article)
    editor            # shows both editors in tabs

After a save, the notebooks that show the file's annotations show old outputs. The editor says
so and, when given ``rerun`` (a function that re-executes the notebooks reading a file and
returns what it did, e.g. `reviewbook.workbook.provenance.rerun_notebooks_reading`), offers a
button that runs it in the background.

Until its cell runs in a kernel, a page shows a summary of the file as HTML instead of the
editor (`reviewbook.notebook.html.snapshot_bundle`).

Headless (tests): set ``editor.references.note.value`` etc., then ``.save.click()``.
"""

from __future__ import annotations

import html
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import ipywidgets as widgets
from filelock import Timeout

from reviewbook.annotations.anchoring import Quote, text_parts
from reviewbook.annotations.loading import load_annotations
from reviewbook.annotations.model import AnnotationError, Annotations, AnnotationsInvalid, Claim
from reviewbook.annotations.store import (
    AnnotationsChanged,
    AnnotationsConflict,
    clean_tags,
    update_reference_note,
    upsert_claim,
)
from reviewbook.annotations.vocabulary import CELL_TYPES, METASTATIC_STEPS, ROLES, term_names
from reviewbook.model import Article
from reviewbook.notebook.html import snapshot_bundle
from reviewbook.notebook.html_widget import HtmlWidget

NEW_CLAIM = ""
"""The claim dropdown's value for "a new claim"."""
NO_ROLE = ""
"""The role dropdown's value for "not stated" (a string: a ``None`` value would leave the
dropdown's index undecided between "not stated" and no choice at all)."""
NEW_CLAIM_LOCATION = "abstract"
"""Where a new claim's quote is looked for until another part is chosen."""
MULTIPLE_CHOICE_HINT = (
    "Cells and steps: hold Ctrl (Cmd on a Mac) and click to choose several, or to drop one; "
    "Shift-click chooses a run of them."
)
RERUN_HINT = (
    "The notebooks that show this file's annotations now show old outputs: run "
    "`make notebooks` (or `reviewbook notebooks run`) to bring them up to date."
)
"""What the editor says after a save when it cannot re-run the notebooks itself."""
Rerun = Callable[[Path], str]
"""Re-executes the notebooks that read an annotation file; returns what it did, to show."""
_LIST_SEPARATORS = re.compile(r"[,;\n]")


def _wide() -> widgets.Layout:
    return widgets.Layout(width="95%")


def split_list(text: str) -> list[str]:
    """Items of a comma-, semicolon- or line-separated text box, stripped, empties dropped."""
    return clean_tags(_LIST_SEPARATORS.split(text))


def status_html(
    kind: str, message: str, errors: tuple[AnnotationError, ...] = (), *, located: bool = True
) -> str:
    """A status line (``kind`` is ``saved`` or ``refused``) with escaped message and errors;
    ``located=False`` leaves out the errors' file and line (of an edit never written)."""
    colour = "green" if kind == "saved" else "firebrick"
    texts = (str(error) if located else f"{error.field}: {error.message}" for error in errors)
    lines = "".join(f"<li>{html.escape(text)}</li>" for text in texts)
    listing = f"<ul>{lines}</ul>" if lines else ""
    return (
        f'<div class="reviewbook-status reviewbook-{kind}" style="color: {colour}">'
        f"{html.escape(message)}{listing}</div>"
    )


@dataclass
class ReadVersion:
    """The SHA-256 of the file as the editors last read or saved it (shared by both tabs)."""

    sha256: str | None = None


def read_status(path: Path, version: ReadVersion | None = None) -> tuple[Annotations | None, str]:
    """The file's annotations, or None and an escaped status saying why they cannot be read;
    ``version`` learns which version was read."""
    try:
        annotations = load_annotations(path)
        if version is not None:
            version.sha256 = annotations.sha256
        return annotations, ""
    except AnnotationsInvalid as invalid:
        return None, status_html("refused", "The file does not validate:", invalid.errors)
    except OSError as error:
        return None, status_html("refused", f"Cannot read {path}: {error.strerror or error}")


def reload_button() -> widgets.Button:
    """The Reload button, hidden until a save finds the file changed by another program."""
    return widgets.Button(
        description="Reload", icon="refresh", layout=widgets.Layout(display="none")
    )


def save_status(
    path: Path, action: Any, success: str, version: ReadVersion, reload: widgets.Button
) -> tuple[Annotations | None, str]:
    """Run a save; the new annotations and a success status, or None and the refusal.

    A file changed by another program shows the ``reload`` button.
    """
    try:
        saved = action()
        version.sha256 = saved.sha256
        return saved, status_html("saved", success)
    except AnnotationsConflict as conflict:  # saved; another program's version kept beside
        version.sha256 = conflict.saved.sha256
        return conflict.saved, status_html("saved", f"{success}, but {conflict.reason}")
    except AnnotationsChanged as changed:
        reload.layout.display = None
        return None, status_html("refused", f"Not saved: {changed}")
    except AnnotationsInvalid as invalid:  # found in the edit, which was not written
        return None, status_html("refused", "Not saved:", invalid.errors, located=False)
    except Timeout:
        return None, status_html("refused", f"Not saved: {path} is locked by another save")
    except OSError as error:
        return None, status_html("refused", f"Not saved: {error.strerror or error}")


def term_controls() -> tuple[widgets.SelectMultiple, widgets.SelectMultiple, widgets.Dropdown]:
    """A claim's cells, steps and role as the editors choose them: from the vocabulary, with
    "(not stated)" (`NO_ROLE`) for a role the text does not give."""
    cells = widgets.SelectMultiple(options=term_names(CELL_TYPES), description="Cells", rows=8)
    steps = widgets.SelectMultiple(
        options=term_names(METASTATIC_STEPS), description="Steps", rows=7
    )
    role = widgets.Dropdown(
        options=[("(not stated)", NO_ROLE), *((name, name) for name in term_names(ROLES))],
        description="Role",
    )
    return cells, steps, role


def chosen_terms(select: widgets.SelectMultiple, terms: tuple[str, ...]) -> tuple[str, ...]:
    """The ``terms`` a vocabulary list can show, to set as its value (others are dropped)."""
    return tuple(term for term in terms if term in select.options)


class _FileEditor:
    """What both editors share: the file, the review it annotates, the version read, a Reload
    button, what to do after a save, and showing their widget."""

    widget: widgets.Widget

    def __init__(
        self,
        path: str | Path,
        article: Article | None = None,
        version: ReadVersion | None = None,
        on_saved: Callable[[], None] | None = None,
    ) -> None:
        self.path = Path(path)
        self.article = article
        self.version = version or ReadVersion()
        self.on_saved = on_saved
        self.reload = reload_button()

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)


class ReferenceNoteEditor(_FileEditor):
    """Pick a reference, edit its note and tags, save."""

    def __init__(
        self,
        path: str | Path,
        article: Article | None = None,
        version: ReadVersion | None = None,
        on_saved: Callable[[], None] | None = None,
    ) -> None:
        super().__init__(path, article, version, on_saved)
        self.reference = widgets.Dropdown(
            options=self._reference_options(), description="Reference", layout=_wide()
        )
        self.note = widgets.Textarea(description="Note", rows=4, layout=_wide())
        self.tags = widgets.Text(
            description="Tags",
            placeholder="comma-separated, e.g. inflammation, review",
            layout=_wide(),
        )
        self.save = widgets.Button(description="Save", button_style="primary", icon="save")
        self.status = HtmlWidget()
        self.preview = HtmlWidget()
        self.widget = widgets.VBox(
            [
                self.reference,
                self.note,
                self.tags,
                widgets.HBox([self.save, self.reload]),
                self.status,
                self.preview,
            ]
        )
        self.reference.observe(self._show, names="value")
        self.save.on_click(self._save)
        self.reload.on_click(self._reload)
        self._show()

    def _reload(self, button: object = None) -> None:
        """Show the file as it is now (after another program changed it)."""
        self.reload.layout.display = "none"
        self._show()
        if not self.status.value:
            self.status.value = status_html("saved", f"Reloaded {self.path.name}")

    def _reference_options(self) -> list[tuple[str, int]]:
        """Dropdown entries: the page's references, else the indices the file annotates."""
        if self.article is not None:
            return [
                (f"{reference.index}. {reference.raw[:90]}", reference.index)
                for reference in self.article.references
            ]
        annotations, _ = read_status(self.path)
        indices = [entry.index for entry in annotations.references] if annotations else []
        return [(str(index), index) for index in indices]

    def _show(self, change: object = None) -> None:
        """Fill the note and tags from the file for the chosen reference."""
        annotations, problem = read_status(self.path, self.version)
        entry = annotations.reference_note(self.reference.value) if annotations else None
        self.note.value = (entry.note or "") if entry else ""
        self.tags.value = ", ".join(entry.tags) if entry else ""
        self.status.value = problem
        self._preview(annotations)

    def _preview(self, annotations: Annotations | None) -> None:
        """Show the saved note and tags of the chosen reference, escaped."""
        entry = annotations.reference_note(self.reference.value) if annotations else None
        if entry is None:
            self.preview.value = ""
            return
        tags = html.escape(", ".join(entry.tags))
        self.preview.value = (
            f"<p><b>Saved note:</b> {html.escape(entry.note or '')}</p><p><b>Tags:</b> {tags}</p>"
        )

    def _save(self, button: object = None) -> None:
        """Save the note and tags of the chosen reference, or say why not."""
        index = self.reference.value
        if index is None:
            self.status.value = status_html("refused", "Not saved: choose a reference first")
            return

        def action() -> Annotations:
            return update_reference_note(
                self.path,
                index,
                note=self.note.value,
                tags=split_list(self.tags.value),
                article=self.article,
                expected_sha256=self.version.sha256,
            )

        annotations, self.status.value = save_status(
            self.path,
            action,
            f"Saved reference {index} to {self.path.name}",
            self.version,
            self.reload,
        )
        if annotations is not None:
            self._preview(annotations)
            if self.on_saved is not None:
                self.on_saved()


class ClaimEditor(_FileEditor):
    """Pick a claim (or a new one), edit its fields, save."""

    def __init__(
        self,
        path: str | Path,
        article: Article | None = None,
        version: ReadVersion | None = None,
        on_saved: Callable[[], None] | None = None,
    ) -> None:
        super().__init__(path, article, version, on_saved)
        self.claim = widgets.Dropdown(description="Claim", layout=_wide())
        self.claim_id = widgets.Text(description="Id")
        self.statement = widgets.Textarea(description="Statement", rows=3, layout=_wide())
        self.exact = widgets.Textarea(description="Quote", rows=3, layout=_wide())
        self.prefix = widgets.Text(description="Prefix", layout=_wide())
        self.suffix = widgets.Text(description="Suffix", layout=_wide())
        parts = list(text_parts(article)) if article is not None else []
        self.location = (
            widgets.Dropdown(options=parts, description="Location")
            if parts
            else widgets.Text(description="Location", placeholder=NEW_CLAIM_LOCATION)
        )
        self.cells, self.steps, self.role = term_controls()
        self.refs = widgets.Text(description="Refs", placeholder="e.g. 2, 5")
        self.save = widgets.Button(description="Save", button_style="primary", icon="save")
        self.status = HtmlWidget()
        self.widget = widgets.VBox(
            [
                self.claim,
                self.claim_id,
                self.statement,
                self.exact,
                self.prefix,
                self.suffix,
                self.location,
                HtmlWidget(f"<small>{html.escape(MULTIPLE_CHOICE_HINT)}</small>"),
                widgets.HBox([self.cells, self.steps]),
                self.role,
                self.refs,
                widgets.HBox([self.save, self.reload]),
                self.status,
            ]
        )
        self._refresh_choices()
        self.claim.observe(self._show, names="value")
        self.save.on_click(self._save)
        self.reload.on_click(self._reload)
        self._show()

    def _reload(self, button: object = None) -> None:
        """Show the file as it is now (after another program changed it)."""
        self.reload.layout.display = "none"
        self._refresh_choices()
        self._show()
        if not self.status.value:
            self.status.value = status_html("saved", f"Reloaded {self.path.name}")

    def _refresh_choices(self, select: str | None = None) -> None:
        """Reload the claim dropdown from the file, keeping or setting the selection."""
        annotations, problem = read_status(self.path, self.version)
        self._annotations = annotations
        ids = [claim.id for claim in annotations.claims] if annotations else []
        current = select if select is not None else self.claim.value
        self.claim.options = [
            ("(new claim)", NEW_CLAIM),
            *((claim_id, claim_id) for claim_id in ids),
        ]
        self.claim.value = current if current in ids else NEW_CLAIM
        self.status.value = problem

    def _show(self, change: object = None) -> None:
        """Fill the fields from the chosen claim, or clear them for a new one."""
        annotations = self._annotations
        claim = (
            next((item for item in annotations.claims if item.id == self.claim.value), None)
            if annotations
            else None
        )
        self.claim_id.value = claim.id if claim else ""
        self.statement.value = claim.statement if claim else ""
        self.exact.value = claim.quote.exact if claim else ""
        self.prefix.value = claim.quote.prefix if claim else ""
        self.suffix.value = claim.quote.suffix if claim else ""
        location = claim.location if claim else NEW_CLAIM_LOCATION
        if isinstance(self.location, widgets.Dropdown):
            options = self.location.options
            self.location.value = location if location in options else (options or (None,))[0]
        else:
            self.location.value = claim.location if claim else ""
        self.cells.value = chosen_terms(self.cells, claim.cells if claim else ())
        self.steps.value = chosen_terms(self.steps, claim.steps if claim else ())
        roles = [value for _, value in self.role.options]
        self.role.value = claim.role if claim and claim.role in roles else NO_ROLE
        self.refs.value = ", ".join(str(index) for index in claim.refs) if claim else ""

    def current_claim(self) -> Claim:
        """The claim the fields describe; ``ValueError`` if ``refs`` is not a list of numbers."""
        refs = split_list(self.refs.value)
        if not all(ref.isdigit() for ref in refs):
            raise ValueError(f"refs must be reference numbers, got {self.refs.value!r}")
        return Claim(
            id=self.claim_id.value.strip(),
            statement=self.statement.value.strip(),
            quote=Quote(self.exact.value, self.prefix.value, self.suffix.value),
            location=str(self.location.value or "").strip(),
            cells=tuple(self.cells.value),
            steps=tuple(self.steps.value),
            role=self.role.value or None,
            refs=tuple(int(ref) for ref in refs),
        )

    def _save(self, button: object = None) -> None:
        """Save the claim (replacing the one with its id), or say why not."""
        try:
            claim = self.current_claim()
        except ValueError as problem:
            self.status.value = status_html("refused", f"Not saved: {problem}")
            return
        if self.claim.value not in (NEW_CLAIM, claim.id):
            message = "Not saved: changing a claim's id is not supported; make a new claim"
            self.status.value = status_html("refused", message)
            return

        def action() -> Annotations:
            return upsert_claim(
                self.path, claim, article=self.article, expected_sha256=self.version.sha256
            )

        annotations, status = save_status(
            self.path,
            action,
            f"Saved claim {claim.id} to {self.path.name}",
            self.version,
            self.reload,
        )
        if annotations is not None:
            self._refresh_choices(select=claim.id)
        self.status.value = status
        if annotations is not None and self.on_saved is not None:
            self.on_saved()


class RerunOffer:
    """After a save: says the notebooks' outputs are now old, and re-runs them on request."""

    def __init__(self, path: Path, rerun: Rerun | None) -> None:
        self.path = path
        self.rerun = rerun
        self.button = widgets.Button(
            description="Re-run notebooks",
            icon="play",
            tooltip="Re-execute, in the background, the notebooks that read this file",
            layout=widgets.Layout(display="none", width="auto"),
        )
        self.message = HtmlWidget()
        self.button.on_click(self._start)
        self.widget = widgets.HBox([self.button, self.message])
        self.button.add_class("reviewbook-rerun")
        self.message.add_class("reviewbook-rerun-message")
        self._worker: threading.Thread | None = None

    def offer(self) -> None:
        """Show the offer (or, without ``rerun``, how to bring the notebooks up to date)."""
        if self.rerun is None:
            self.message.value = f"<small>{html.escape(RERUN_HINT)}</small>"
            return
        self.button.layout.display = None
        self.button.disabled = False
        self.message.value = html.escape(
            f"{self.path.name} changed: the notebooks that read it show old outputs."
        )

    def _start(self, _button: object = None) -> None:
        """Button handler: re-run in a background thread, so the notebook stays usable."""
        self.button.disabled = True
        self.message.value = html.escape(
            f"Re-running the notebooks that read {self.path.name} in the background…"
        )
        self._worker = threading.Thread(target=self.run, name="reviewbook-rerun", daemon=True)
        self._worker.start()

    def run(self) -> None:
        """Re-run the notebooks now and say how it went."""
        assert self.rerun is not None
        try:
            outcome = self.rerun(self.path)
        except Exception as error:  # shown to the reader; a thread has no one else to tell
            self.message.value = status_html("refused", f"Re-running failed: {error}")
            self.button.disabled = False
            return
        self.button.layout.display = "none"
        self.message.value = status_html("saved", outcome)

    def wait(self, timeout: float | None = None) -> None:
        """Wait for a re-run started by the button to end (for tests and scripts)."""
        if self._worker is not None:
            self._worker.join(timeout)


class AnnotationEditor:
    """Both editors for one annotation file, in two tabs, and the offer to re-run the notebooks
    after a save (``rerun``: see the module's docstring)."""

    def __init__(
        self, path: str | Path, article: Article | None = None, *, rerun: Rerun | None = None
    ) -> None:
        self.path = Path(path)
        version = ReadVersion()
        self.rerun_offer = RerunOffer(self.path, rerun)
        offer = self.rerun_offer.offer
        self.references = ReferenceNoteEditor(path, article, version, on_saved=offer)
        self.claims = ClaimEditor(path, article, version, on_saved=offer)
        self.tabs = widgets.Tab(children=[self.references.widget, self.claims.widget])
        self.tabs.set_title(0, "References")
        self.tabs.set_title(1, "Claims")
        self.widget = widgets.VBox([self.tabs, self.rerun_offer.widget])
        self.widget.add_class("reviewbook-editor")

    def snapshot_html(self) -> str:
        """What the file holds, as static HTML, for pages that cannot show the editor."""
        annotations, problem = read_status(self.path)
        if annotations is None:
            return problem
        claims = ", ".join(claim.id for claim in annotations.claims) or "none"
        notes = ", ".join(str(entry.index) for entry in annotations.references) or "none"
        return (
            '<div class="reviewbook-editor-snapshot">'
            f"<p><b>Annotation editor for {html.escape(self.path.name)}</b> <i>(run the "
            "notebook to edit notes, tags and claims here)</i></p>"
            f"<p>{len(annotations.claims)} claims: {html.escape(claims)}</p>"
            f"<p>Notes or tags on {len(annotations.references)} references: "
            f"{html.escape(notes)}</p></div>"
        )

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        view = self.widget._repr_mimebundle_(**kwargs)
        return snapshot_bundle(view, self.snapshot_html(), f"AnnotationEditor: {self.path.name}")
