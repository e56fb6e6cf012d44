"""Safe edits of annotation files: comments kept, invalid edits refused, no edit lost or torn.

Concurrent and killed saves run in child processes (``spawn``) whose bodies are in
`tests.annotations.store_workers`.
"""

from __future__ import annotations

import dataclasses
import hashlib
import multiprocessing
import os
import shutil
import signal
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from ruamel.yaml.comments import CommentedMap

from reviewbook.annotations import store
from reviewbook.annotations.anchoring import Quote
from reviewbook.annotations.loading import annotation_files, load_annotations, loads_annotations
from reviewbook.annotations.model import Annotations, AnnotationsInvalid, Claim, ReferenceNote
from reviewbook.annotations.store import (
    AnnotationsChanged,
    AnnotationsConflict,
    edit_annotations,
    save_annotations,
    update_reference_note,
    upsert_claim,
)
from reviewbook.annotations.validation import validate_annotations
from reviewbook.files import temp_prefix
from tests.annotations import store_workers
from tests.annotations.conftest import JANSSEN, MINIMAL, STAMP
from tests.conftest import EXAMPLES


def test_saving_unchanged_annotations_keeps_the_file_byte_for_byte(copy_of) -> None:
    path = copy_of("valid_with_comments.yaml")
    before = path.read_bytes()
    save_annotations(load_annotations(path), article=JANSSEN)
    assert path.read_bytes() == before


def test_editing_a_note_keeps_comments_key_order_and_quotes(copy_of, frozen_clock) -> None:
    path = copy_of("valid_with_comments.yaml")
    update_reference_note(path, 2, note="The hallmarks of cancer, 2011 edition.", article=JANSSEN)
    expected = (EXAMPLES / "valid_with_comments.yaml").read_text(encoding="utf-8")
    expected = expected.replace(
        "note: Hallmarks framework.", "note: The hallmarks of cancer, 2011 edition."
    )
    assert path.read_text(encoding="utf-8") == expected + f"    modified: '{STAMP}'\n"


def test_new_reference_note_goes_in_index_order_with_flow_tags(copy_of, frozen_clock) -> None:
    path = copy_of("valid_with_comments.yaml")
    update_reference_note(path, 1, note="Breast cancer models.", tags=["models", " review "])
    update_reference_note(path, 5, tags=["inefficiency"])
    text = path.read_text(encoding="utf-8")
    assert text.endswith(
        "references:\n"
        "  - index: 1\n"
        "    note: Breast cancer models.\n"
        "    tags: [models, review]\n"
        f"    created: '{STAMP}'\n"
        f"    modified: '{STAMP}'\n"
        "  - index: 2  # Hanahan & Weinberg\n"
        "    note: Hallmarks framework.\n"
        "    tags: [hallmarks, review]\n"
        "  - index: 5\n"
        "    tags: [inefficiency]\n"
        f"    created: '{STAMP}'\n"
        f"    modified: '{STAMP}'\n"
    )


def test_clearing_note_and_tags_removes_the_entry(copy_of) -> None:
    path = copy_of("valid_with_comments.yaml")
    annotations = update_reference_note(path, 2, note="", tags=[])
    assert annotations.references == ()
    assert load_annotations(path).references == ()


def test_invalid_edits_are_refused_and_write_nothing(copy_of) -> None:
    path = copy_of("valid_with_comments.yaml")
    before = path.read_bytes()
    with pytest.raises(AnnotationsInvalid) as out_of_range:
        update_reference_note(path, 9, note="Not on the page.", article=JANSSEN)
    assert "reference 9 out of range: the page lists references 1-5" in str(out_of_range.value)
    with pytest.raises(AnnotationsInvalid) as long_tag:
        update_reference_note(path, 2, tags=["x" * 41])
    assert long_tag.value.errors[0].field == "references[0].tags[0]"
    bad_claim = Claim("concomitant", "Changed.", Quote("not in the abstract"), "abstract")
    with pytest.raises(AnnotationsInvalid, match="quote not found"):
        upsert_claim(path, bad_claim, article=JANSSEN)
    assert path.read_bytes() == before
    assert list(path.parent.glob(temp_prefix(path) + "*")) == []


def test_upsert_claim_replaces_fields_in_place_and_appends_new_claims(
    copy_of, frozen_clock
) -> None:
    path = copy_of("valid_with_comments.yaml")
    changed = Claim(
        id="concomitant",
        statement="Concomitant immunity stops metastases from growing.",
        quote=Quote("prevents the growth of a secondary tumor or metastases"),
        location="abstract",
        steps=("colonisation and outgrowth", "dormancy"),
        role="inhibits",
    )
    new = Claim(
        id="host-cells",
        statement="Host cells shape every step.",
        quote=Quote("influenced by non-malignant host cells"),
        location="abstract",
        role="context-dependent",
    )
    upsert_claim(path, changed, article=JANSSEN)
    annotations = upsert_claim(path, new, article=JANSSEN)
    assert annotations.claims[0] == dataclasses.replace(changed, modified=STAMP)
    assert annotations.claims[2] == dataclasses.replace(new, created=STAMP, modified=STAMP)
    text = path.read_text(encoding="utf-8")
    assert "  # The second claim below shows a prefix making a repeated phrase unique.\n" in text
    assert "    steps: [colonisation and outgrowth, dormancy]\n" in text
    assert "      prefix: 'sufficient to destroy '\n" in text


def test_save_annotations_updates_reorders_and_removes_entries(copy_of, frozen_clock) -> None:
    path = copy_of("valid_with_comments.yaml")
    annotations = load_annotations(path)
    reordered = Annotations(
        pmid=annotations.pmid,
        claims=(annotations.claims[1],),
        references=(ReferenceNote(1, "New."), annotations.references[0]),
    )
    saved = save_annotations(reordered, path, article=JANSSEN)
    new_note = ReferenceNote(1, "New.", created=STAMP, modified=STAMP)
    assert saved == Annotations(
        pmid="29037250",
        claims=reordered.claims,
        references=(new_note, annotations.references[0]),
        path=str(path),
    )
    assert "# Hanahan & Weinberg" in path.read_text(encoding="utf-8")


def _spawn() -> multiprocessing.context.SpawnContext:
    return multiprocessing.get_context("spawn")


def test_four_processes_saving_at_once_lose_no_edit(tmp_path: Path) -> None:
    path = tmp_path / "29037250.yaml"
    path.write_text(MINIMAL, encoding="utf-8")
    saves = 100
    context = _spawn()
    workers = [
        context.Process(
            target=store_workers.count_edits, args=(str(path), worker + 1, worker, saves)
        )
        for worker in range(4)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=300)
        assert worker.exitcode == 0
    annotations = load_annotations(path)
    unstamped = tuple(
        dataclasses.replace(note, created=None, modified=None) for note in annotations.references
    )
    assert unstamped == tuple(
        ReferenceNote(worker + 1, f"{saves} edits", (f"worker {worker}",)) for worker in range(4)
    )
    assert "# notes are added below by the tests" in path.read_text(encoding="utf-8")


def _hidden_files(folder: Path) -> list[Path]:
    """Temporary and swap files: what a save leaves only when killed."""
    return sorted(path for path in folder.iterdir() if path.name.startswith("."))


def _wait_for(condition, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting for the child process"
        time.sleep(0.01)


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_save_killed_before_the_rename_leaves_the_old_file(tmp_path: Path) -> None:
    path = tmp_path / "29037250.yaml"
    shutil.copyfile(EXAMPLES / "valid_with_comments.yaml", path)
    before = path.read_bytes()
    marker = tmp_path / "marker"
    child = _spawn().Process(
        target=store_workers.save_then_hang, args=(str(path), "Half-saved note.", str(marker))
    )
    child.start()
    _wait_for(marker.exists)
    os.kill(child.pid, signal.SIGKILL)
    child.join(timeout=30)
    assert child.exitcode == -signal.SIGKILL
    assert path.read_bytes() == before
    assert validate_annotations(load_annotations(path), JANSSEN) == []
    leftovers = _hidden_files(tmp_path)
    assert len(leftovers) == 1  # the dead writer's temporary file, complete but never renamed
    assert annotation_files(tmp_path) == [path]  # never taken for an annotation file
    update_reference_note(path, 2, note="Saved after the crash.")  # the next save clears it up
    assert _hidden_files(tmp_path) == []
    assert list(tmp_path.glob(f"{path.name}.conflict-*")) == []
    assert load_annotations(path).references[0].note == "Saved after the crash."


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_save_killed_at_any_moment_leaves_a_whole_valid_file(tmp_path: Path) -> None:
    path = tmp_path / "29037250.yaml"
    base = (EXAMPLES / "valid_with_comments.yaml").read_text(encoding="utf-8")
    filler = "".join(f"  - index: {n}\n    note: {'padding ' * 40}end\n" for n in range(3, 1500))
    versions = (base, base + filler)
    path.write_text(versions[0], encoding="utf-8")
    for delay in (0.02, 0.2):
        child = _spawn().Process(target=store_workers.save_forever, args=(str(path), versions))
        child.start()
        _wait_for(lambda: any(tmp_path.glob(temp_prefix(path) + "*")))
        time.sleep(delay)
        os.kill(child.pid, signal.SIGKILL)
        child.join(timeout=30)
        assert path.read_text(encoding="utf-8") in versions
        assert loads_annotations(path.read_text(encoding="utf-8")).pmid == "29037250"
        assert annotation_files(tmp_path) == [path]


# --- a file changed by a program that does not take the lock ------------------------------------


def test_a_save_refuses_a_file_changed_since_it_was_read_and_keeps_the_other_change(
    copy_of,
) -> None:
    path = copy_of("valid_with_comments.yaml")
    annotations = load_annotations(path)
    theirs = path.read_text(encoding="utf-8").replace("Hallmarks framework.", "Their edit.")
    path.write_text(theirs, encoding="utf-8")  # a text editor's plain write
    with pytest.raises(AnnotationsChanged) as refused:
        save_annotations(annotations, article=JANSSEN)
    assert str(refused.value) == (
        f"{path} changed on disk since it was read (by another program; it now holds "
        f"{len(theirs.encode())} bytes); reload to see it"
    )
    assert path.read_text(encoding="utf-8") == theirs


def test_an_edit_refuses_a_file_written_between_its_read_and_its_replace(copy_of) -> None:
    path = copy_of("valid_with_comments.yaml")
    theirs = path.read_text(encoding="utf-8").replace("Hallmarks framework.", "Their edit.")

    def change_while_another_program_writes(document: CommentedMap) -> None:
        path.write_text(theirs, encoding="utf-8")
        document["references"][0]["note"] = "Our edit."

    with pytest.raises(AnnotationsChanged, match="changed on disk since it was read for this"):
        edit_annotations(path, change_while_another_program_writes)
    assert path.read_text(encoding="utf-8") == theirs


def test_a_save_given_the_version_it_read_goes_through_and_names_the_new_one(copy_of) -> None:
    path = copy_of("valid_with_comments.yaml")
    read = load_annotations(path)
    assert read.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    saved = update_reference_note(path, 2, note="Ours.", expected_sha256=read.sha256)
    assert saved.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    with pytest.raises(AnnotationsChanged):
        update_reference_note(path, 2, note="Stale.", expected_sha256=read.sha256)
    assert load_annotations(path).reference_note(2).note == "Ours."  # type: ignore[union-attr]


@pytest.mark.parametrize("tag", ["?0", "? x", ": y", "x: y", "[x]", "{x}", "#x", "-", "&a", "*a"])
def test_a_tag_that_flow_style_would_misread_is_quoted_and_reads_back(copy_of, tag: str) -> None:
    path = copy_of("valid_with_comments.yaml")
    update_reference_note(path, 1, tags=[tag, "plain words"])
    assert load_annotations(path).reference_note(1).tags == (tag, "plain words")  # type: ignore[union-attr]


# --- a program that writes while a save replaces the file ---------------------------------------

THEIRS = 'pmid: "29037250"\n# written by a text editor\nreferences: []\n'


def write_during_the_swap(monkeypatch: pytest.MonkeyPatch, path: Path, kind: str) -> None:
    """Make the next save's new version, once written beside the file, be followed by an
    editor's write of the file: after the save's last check, before its swap."""
    real = store.write_atomically

    def then_an_editor_writes(target, data, **options) -> None:
        real(target, data, **options)
        monkeypatch.setattr(store, "write_atomically", real)
        store_workers.write_as_an_editor(path, THEIRS, kind)

    monkeypatch.setattr(store, "write_atomically", then_an_editor_writes)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="renameat2 is Linux's")
@pytest.mark.parametrize("kind", ["in-place", "rename"])
def test_an_editor_writing_during_the_swap_is_kept_beside_the_file_and_the_save_says_so(
    copy_of, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    path = copy_of("valid_with_comments.yaml")
    read = load_annotations(path)
    write_during_the_swap(monkeypatch, path, kind)
    with pytest.raises(AnnotationsConflict) as conflict:
        update_reference_note(path, 2, note="Ours.", expected_sha256=read.sha256)
    kept = conflict.value.kept
    assert str(conflict.value) == (
        f"{path} was saved, but another program wrote {path.name} at the same moment; its "
        f"version is kept as {kept.name}: merge it by hand"
    )
    assert kept.parent == path.parent
    assert kept.name.startswith(f"{path.name}.conflict-")
    assert kept.read_text(encoding="utf-8") == THEIRS
    assert load_annotations(path).reference_note(2).note == "Ours."  # type: ignore[union-attr]
    assert conflict.value.saved.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert annotation_files(path.parent) == [path]  # the kept version is not taken for one
    assert _hidden_files(path.parent) == []


def test_without_renameat2_a_write_before_the_replace_refuses_the_save(
    copy_of, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The fallback (no ``renameat2``): the file is re-read just before the rename."""
    monkeypatch.setattr(store, "_renameat2", lambda: None)
    path = copy_of("valid_with_comments.yaml")
    update_reference_note(path, 2, note="Saved by a plain rename.")
    assert load_annotations(path).reference_note(2).note == "Saved by a plain rename."  # type: ignore[union-attr]
    write_during_the_swap(monkeypatch, path, "rename")
    with pytest.raises(AnnotationsChanged, match="changed on disk since it was read for this"):
        update_reference_note(path, 2, note="Ours.")
    assert path.read_text(encoding="utf-8") == THEIRS
    assert _hidden_files(path.parent) == []


def test_a_new_file_is_created_unless_another_program_created_it_meanwhile(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "29037250.yaml"
    new = Annotations(pmid="29037250", references=(ReferenceNote(1, "First."),))
    saved = save_annotations(new, path)
    assert saved.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    other = tmp_path / "elsewhere" / path.name
    other.parent.mkdir()
    write_during_the_swap(monkeypatch, other, "rename")
    with pytest.raises(AnnotationsChanged, match="changed on disk since it was read for this"):
        save_annotations(new, other)
    assert other.read_text(encoding="utf-8") == THEIRS
    assert _hidden_files(other.parent) == []


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="renameat2 is Linux's")
@pytest.mark.parametrize("meanwhile", [None, "in-place", "rename"])
def test_a_save_killed_after_its_swap_leaves_what_it_displaced_to_the_next_save(
    tmp_path: Path, meanwhile: str | None
) -> None:
    """Killed between the swap and looking at what it displaced: the next save looks, and
    keeps it as a conflict file if another program had written it."""
    path = tmp_path / "29037250.yaml"
    path.write_text(MINIMAL, encoding="utf-8")
    marker = tmp_path / "marker"
    child = _spawn().Process(
        target=store_workers.swap_then_hang, args=(str(path), meanwhile, THEIRS, str(marker))
    )
    child.start()
    _wait_for(marker.exists, timeout=600)
    os.kill(child.pid, signal.SIGKILL)
    child.join(timeout=30)
    assert load_annotations(path).reference_note(1).note == "Swapped in."  # type: ignore[union-attr]
    assert len(_hidden_files(tmp_path)) == 1  # what the swap displaced
    update_reference_note(path, 2, note="Saved after the crash.")
    assert _hidden_files(tmp_path) == []
    kept = [kept.read_text(encoding="utf-8") for kept in tmp_path.glob(f"{path.name}.conflict-*")]
    assert kept == ([] if meanwhile is None else [THEIRS])


SAVERS = 4
SAVES = 60


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="renameat2 is Linux's")
@pytest.mark.parametrize("kind", ["in-place", "rename"])
def test_no_editor_write_is_lost_to_savers_racing_it(
    tmp_path: Path, kind: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """4 processes save 60 times each, naming the version they read, while a text editor's
    process writes the file as fast as it can (`store_workers.edit_until_done`).

    Every editor write must end up in one of: the final file, a conflict file, a save made on
    it (a save that goes through was checked against the version it read, and keeps the
    editor's mark line), or replaced by the editor's own next write (logged exactly). Only a
    write replaced by a save made on another version, and not kept, is lost.
    """
    path = tmp_path / "29037250.yaml"
    path.write_text(MINIMAL, encoding="utf-8")
    done = tmp_path / "done"
    editor_log = tmp_path / "editor.log"
    context = _spawn()
    editor = context.Process(
        target=store_workers.edit_until_done, args=(str(path), kind, str(editor_log), str(done))
    )
    editor.start()
    _wait_for(
        lambda: editor_log.exists() and editor_log.read_text(encoding="utf-8") != "", timeout=600
    )
    saver_logs = [tmp_path / f"saver-{worker}.log" for worker in range(SAVERS)]
    savers = [
        context.Process(
            target=store_workers.save_against_an_editor,
            args=(str(path), worker + 1, worker, SAVES, str(log)),
        )
        for worker, log in enumerate(saver_logs)
    ]
    for saver in savers:
        saver.start()
    for saver in savers:
        saver.join(timeout=600)
        assert saver.exitcode == 0
    done.touch()
    editor.join(timeout=600)
    assert editor.exitcode == 0

    writes = [line.split() for line in editor_log.read_text(encoding="utf-8").splitlines()]
    replaced_by_next = {int(write) - 1 for write, same in writes if same == "1"}
    outcomes: Counter[str] = Counter()
    saved_on: set[int] = set()
    for log in saver_logs:
        for outcome, *marks in (
            line.split() for line in log.read_text(encoding="utf-8").splitlines()
        ):
            outcomes[outcome] += 1
            if outcome != "refused":
                saved_on.update(int(mark) for mark in marks)
    conflicts = sorted(tmp_path.glob(f"{path.name}.conflict-*"))
    kept = {
        mark for conflict in conflicts for mark in store_workers.editor_marks(conflict.read_bytes())
    }
    final = store_workers.editor_marks(path.read_bytes())
    lost = [
        write
        for write in range(1, len(writes) + 1)
        if write not in final | kept | saved_on | replaced_by_next
    ]
    with capsys.disabled():
        print(
            f"\n{kind} editor: {sum(outcomes.values())} saves ({outcomes['saved']} saved, "
            f"{outcomes['conflict']} saved with a conflict kept, {outcomes['refused']} refused), "
            f"{len(writes)} editor writes, {len(lost)} lost, {len(conflicts)} conflict files"
        )
    assert lost == []
    assert sum(outcomes.values()) == SAVERS * SAVES
    assert len(conflicts) == outcomes["conflict"]
    assert all(store_workers.editor_marks(conflict.read_bytes()) for conflict in conflicts)
    assert _hidden_files(tmp_path) == []
