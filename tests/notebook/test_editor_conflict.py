"""The annotation editor when a text editor writes the file while a save replaces it: the save
stands, the other version is kept beside the file, and the status line says where."""

from __future__ import annotations

import hashlib
import sys

import pytest

from reviewbook.annotations.loading import load_annotations
from reviewbook.notebook.editor import ReferenceNoteEditor
from tests.annotations.test_store import THEIRS, write_during_the_swap
from tests.conftest import expected_article

JANSSEN = expected_article("29037250")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="renameat2 is Linux's")
def test_editor_says_its_save_displaced_another_programs_write_and_where_it_is_kept(
    copy_of, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = copy_of("valid_with_comments.yaml")
    editor = ReferenceNoteEditor(path, JANSSEN)
    editor.reference.value = 2
    editor.note.value = "Our edit."
    write_during_the_swap(monkeypatch, path, "rename")
    editor.save.click()
    [kept] = path.parent.glob(f"{path.name}.conflict-*")
    assert editor.status.value == (
        '<div class="reviewbook-status reviewbook-saved" style="color: green">'
        f"Saved reference 2 to {path.name}, but another program wrote {path.name} at the "
        f"same moment; its version is kept as {kept.name}: merge it by hand</div>"
    )
    assert kept.read_text(encoding="utf-8") == THEIRS
    assert load_annotations(path).reference_note(2).note == "Our edit."  # type: ignore[union-attr]
    assert editor.version.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    editor.note.value = "Our next edit."  # the version saved is the one read: saving goes on
    editor.save.click()
    assert "Saved reference 2" in editor.status.value
    assert load_annotations(path).reference_note(2).note == "Our next edit."  # type: ignore[union-attr]
