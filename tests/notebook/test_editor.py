"""The notebook's annotation editors (``reviewbook.notebook.editor``): save, refuse, escape.

These test the notebook layer; they belong in ``tests/notebook/`` once that folder exists.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from reviewbook.annotations import store
from reviewbook.annotations.loading import load_annotations
from reviewbook.annotations.model import ReferenceNote
from reviewbook.notebook.editor import AnnotationEditor, ClaimEditor, ReferenceNoteEditor
from reviewbook.tables.claims import reference_tags_frame
from tests.conftest import EXAMPLES, expected_article

JANSSEN = expected_article("29037250")


def test_editor_saves_a_note_and_tags(copy_of, monkeypatch) -> None:
    monkeypatch.setattr(store, "current_stamp", lambda: "2026-12-07T12:00:00Z")
    path = copy_of("valid_with_comments.yaml")
    editor = ReferenceNoteEditor(path, JANSSEN)
    editor.reference.value = 3
    editor.note.value = "Early steps of metastasis."
    editor.tags.value = "invasion; metastatic cascade, review"
    editor.save.click()
    assert "Saved reference 3" in editor.status.value
    assert load_annotations(path).reference_note(3) == ReferenceNote(
        3,
        "Early steps of metastasis.",
        ("invasion", "metastatic cascade", "review"),
        created="2026-12-07T12:00:00Z",
        modified="2026-12-07T12:00:00Z",
    )
    editor.reference.value = 2
    assert editor.note.value == "Hallmarks framework."
    assert editor.tags.value == "hallmarks, review"


def test_editor_refuses_an_invalid_edit_with_the_reason(copy_of) -> None:
    path = copy_of("valid_with_comments.yaml")
    before = path.read_bytes()
    editor = ReferenceNoteEditor(path, JANSSEN)
    editor.reference.value = 2
    editor.tags.value = "hallmarks; a tag far too long to be a tag because it is a sentence"
    editor.save.click()
    assert "Not saved:" in editor.status.value
    assert "references[0].tags[1]" in editor.status.value
    assert path.read_bytes() == before


def test_html_in_a_note_is_shown_as_text(copy_of) -> None:
    path = copy_of("valid_with_comments.yaml")
    script = "<script>alert('x')</script><img src=x onerror=alert(1)>"
    editor = ReferenceNoteEditor(path, JANSSEN)
    editor.reference.value = 2
    editor.note.value = script
    editor.save.click()
    assert load_annotations(path).reference_note(2).note == script
    for shown in (editor.preview.value, editor.status.value):
        assert "<script" not in shown and "<img" not in shown
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in editor.preview.value
    html_table = reference_tags_frame(load_annotations(path)).to_html()
    assert "<script" not in html_table and "&lt;script&gt;" in html_table


def test_claim_editor_adds_a_claim_and_refuses_a_bad_quote(copy_of) -> None:
    path = copy_of("valid_with_comments.yaml")
    editor = ClaimEditor(path, JANSSEN)
    assert editor.claim.value == ""  # a new claim
    editor.claim_id.value = "century"
    editor.statement.value = "The link is over a hundred years old."
    editor.exact.value = "Over a century ago"
    editor.location.value = "abstract"
    editor.cells.value = ("leukocyte",)
    editor.refs.value = "1, 2"
    editor.save.click()
    assert "Saved claim century" in editor.status.value
    assert load_annotations(path).claims[-1].refs == (1, 2)
    assert editor.claim.value == "century"
    before = path.read_bytes()
    editor.exact.value = "Over a millennium ago"
    editor.save.click()
    assert "quote not found" in editor.status.value
    editor.exact.value = "Over a century ago"
    editor.refs.value = "two"
    editor.save.click()
    assert "refs must be reference numbers" in editor.status.value
    assert path.read_bytes() == before


def test_editor_of_an_invalid_file_says_why(tmp_path: Path) -> None:
    path = tmp_path / "21387299.yaml"
    shutil.copyfile(EXAMPLES / "python_tag.yaml", path)
    editor = AnnotationEditor(path)
    assert "does not validate" in editor.references.status.value
    assert "!!python/object/apply:os.system" in editor.claims.status.value


def test_editor_refuses_to_overwrite_another_programs_change_and_offers_to_reload(
    copy_of,
) -> None:
    path = copy_of("valid_with_comments.yaml")
    editor = AnnotationEditor(path, JANSSEN)
    notes = editor.references
    assert notes.reload.layout.display == "none"
    notes.reference.value = 2
    theirs = path.read_text(encoding="utf-8").replace("Hallmarks framework.", "Their edit.")
    path.write_text(theirs, encoding="utf-8")  # a text editor's plain write
    notes.note.value = "Our edit."
    notes.save.click()
    assert notes.status.value == (
        '<div class="reviewbook-status reviewbook-refused" style="color: firebrick">'
        f"Not saved: {path} changed on disk since it was read (by another program; it now "
        f"holds {len(theirs.encode())} bytes); reload to see it</div>"
    )
    assert path.read_text(encoding="utf-8") == theirs
    assert notes.reload.layout.display is None
    notes.reload.click()
    assert notes.note.value == "Their edit."
    assert notes.reload.layout.display == "none"
    assert f"Reloaded {path.name}<" in notes.status.value
    notes.note.value = "Our edit, after reading theirs."
    notes.save.click()
    assert "Saved reference 2" in notes.status.value
    assert load_annotations(path).reference_note(2).note == "Our edit, after reading theirs."  # type: ignore[union-attr]


def test_both_tabs_share_the_version_read_so_a_save_in_one_does_not_block_the_other(
    copy_of,
) -> None:
    path = copy_of("valid_with_comments.yaml")
    editor = AnnotationEditor(path, JANSSEN)
    editor.references.reference.value = 2
    editor.references.note.value = "Saved from the references tab."
    editor.references.save.click()
    claims = editor.claims
    claims.claim.value = claims.claim.options[1][1]
    claims.statement.value = "Restated from the claims tab."
    claims.save.click()
    assert "Saved claim" in claims.status.value
    assert claims.reload.layout.display == "none"


# --- the new-claim defaults, refusals, the re-run offer, the snapshot ---------------------------


def test_a_new_claim_is_looked_for_in_the_abstract_by_default(copy_of) -> None:
    path = copy_of("valid_with_comments.yaml")
    editor = ClaimEditor(path, JANSSEN)
    assert editor.location.value == "abstract"
    editor.claim_id.value = "century"
    editor.statement.value = "The link is over a hundred years old."
    editor.exact.value = "Over a century ago"
    editor.save.click()
    assert "Saved claim century" in editor.status.value


def test_a_refused_edit_cites_no_line_of_a_file_never_written(copy_of) -> None:
    path = copy_of("valid_with_comments.yaml")
    editor = ClaimEditor(path, JANSSEN)
    editor.claim_id.value = "millennium"
    editor.statement.value = "Too old."
    editor.exact.value = "Over a millennium ago"
    editor.save.click()
    assert "Not saved:" in editor.status.value
    assert f"{path.name}:" not in editor.status.value
    assert "<li>claims[" in editor.status.value


def test_tags_box_is_wide_and_multiple_choice_says_how(copy_of) -> None:
    editor = AnnotationEditor(copy_of("valid_with_comments.yaml"), JANSSEN)
    assert editor.references.tags.layout.width == "95%"
    hints = [
        child.value
        for child in editor.claims.widget.children
        if getattr(child, "value", None) and "Ctrl" in str(child.value)
    ]
    assert hints == [
        "<small>Cells and steps: hold Ctrl (Cmd on a Mac) and click to choose several, or to "
        "drop one; Shift-click chooses a run of them.</small>"
    ]


def test_after_a_save_the_editor_offers_to_rerun_the_notebooks(copy_of) -> None:
    path = copy_of("valid_with_comments.yaml")
    reran: list[Path] = []

    def rerun(saved: Path) -> str:
        reran.append(saved)
        return "Re-ran 01_x.ipynb."

    editor = AnnotationEditor(path, JANSSEN, rerun=rerun)
    offer = editor.rerun_offer
    assert offer.button.layout.display == "none"
    editor.references.reference.value = 3
    editor.references.note.value = "Read again."
    editor.references.save.click()
    assert offer.button.layout.display is None
    assert offer.message.value == (
        f"{path.name} changed: the notebooks that read it show old outputs."
    )
    offer.button.click()
    offer.wait(timeout=30)
    assert reran == [path]
    assert offer.button.layout.display == "none"
    assert "Re-ran 01_x.ipynb." in offer.message.value


def test_without_a_rerun_the_editor_says_how_to_bring_the_notebooks_up_to_date(copy_of) -> None:
    editor = AnnotationEditor(copy_of("valid_with_comments.yaml"), JANSSEN)
    editor.references.reference.value = 3
    editor.references.note.value = "Read again."
    editor.references.save.click()
    assert "run `make notebooks`" in editor.rerun_offer.message.value
    assert editor.rerun_offer.button.layout.display == "none"


def test_pages_without_widgets_get_a_summary_of_the_file(copy_of) -> None:
    path = copy_of("valid_with_comments.yaml")
    annotations = load_annotations(path)
    bundle = AnnotationEditor(path, JANSSEN)._repr_mimebundle_()
    assert bundle["text/plain"] == f"AnnotationEditor: {path.name}"
    assert "(run the notebook to edit notes, tags and claims here)" in bundle["text/html"]
    assert f"<p>{len(annotations.claims)} claims: " in bundle["text/html"]
    assert "application/vnd.jupyter.widget-view+json" in bundle
