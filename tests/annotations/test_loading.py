"""An annotation file's bytes: UTF-8 text, or an error naming the file and the line.

UTF-16 and UTF-32 are refused with a message saying to save the file as UTF-8 (why:
`loading.annotation_text`); a NUL byte, bytes that are not UTF-8 and a directory are refused
too, as `AnnotationsInvalid`, never a raw ``UnicodeDecodeError`` or ``IsADirectoryError``.
"""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from reviewbook.annotations.loading import load_annotations
from reviewbook.annotations.model import AnnotationsInvalid
from reviewbook.annotations.store import update_reference_note

TEXT = 'pmid: "29037250"\nreferences:\n  - index: 1\n    note: Cited for the cascade’s steps.\n'
SAVE_AS_UTF8 = "annotation files are UTF-8: save the file as UTF-8"
ENCODED = {
    "UTF-16 LE with a byte-order mark": (
        codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"),
        f"UTF-16 text (with a byte-order mark); {SAVE_AS_UTF8}",
    ),
    "UTF-16 BE with a byte-order mark": (
        codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"),
        f"UTF-16 text (with a byte-order mark); {SAVE_AS_UTF8}",
    ),
    "UTF-16 LE without one": (
        TEXT.encode("utf-16-le"),
        f"UTF-16 text (without a byte-order mark); {SAVE_AS_UTF8}",
    ),
    "UTF-16 BE without one": (
        TEXT.encode("utf-16-be"),
        f"UTF-16 text (without a byte-order mark); {SAVE_AS_UTF8}",
    ),
    "UTF-32 with a byte-order mark": (
        TEXT.encode("utf-32"),
        f"UTF-32 text (with a byte-order mark); {SAVE_AS_UTF8}",
    ),
}


def errors(path: Path) -> list[str]:
    """The errors of reading ``path`` as the check does, as printed."""
    with pytest.raises(AnnotationsInvalid) as refused:
        load_annotations(path)
    return [str(error) for error in refused.value.errors]


@pytest.mark.parametrize("name", ENCODED)
def test_utf16_and_utf32_are_refused_naming_the_file(tmp_path: Path, name: str) -> None:
    """Before: "not UTF-8 text", or libyaml's "unacceptable character #x0000" with no line for
    UTF-16 without a mark (ASCII in UTF-16 is valid UTF-8 with NULs between)."""
    data, message = ENCODED[name]
    path = tmp_path / "29037250.yaml"
    path.write_bytes(data)
    assert errors(path) == [f"{path}:1: file: {message}"]


def test_the_editor_refuses_a_utf16_file_as_the_check_does(tmp_path: Path) -> None:
    data, message = ENCODED["UTF-16 LE with a byte-order mark"]
    path = tmp_path / "29037250.yaml"
    path.write_bytes(data)
    with pytest.raises(AnnotationsInvalid) as refused:
        update_reference_note(path, 1, note="A note.")
    assert [str(error) for error in refused.value.errors] == [f"{path}:1: file: {message}"]
    assert path.read_bytes() == data


def test_utf8_with_a_byte_order_mark_is_read(tmp_path: Path) -> None:
    path = tmp_path / "29037250.yaml"
    path.write_bytes(codecs.BOM_UTF8 + TEXT.encode("utf-8"))
    annotations = load_annotations(path)
    assert annotations.references[0].note == "Cited for the cascade’s steps."
    assert annotations.line_of("references[0].note") == 4


def test_a_nul_byte_is_named_with_its_line(tmp_path: Path) -> None:
    """Before: libyaml's "unacceptable character #x0000", with no line."""
    path = tmp_path / "29037250.yaml"
    path.write_bytes(TEXT.replace("steps", "st\0eps").encode("utf-8"))
    assert errors(path) == [f"{path}:4: file: binary data (a NUL byte), not a text file"]


def test_bytes_that_are_not_utf8_are_named_with_their_line(tmp_path: Path) -> None:
    path = tmp_path / "29037250.yaml"
    path.write_bytes(TEXT.replace("’", "'").encode("utf-8").replace(b"cascade", b"casc\xe9de"))
    assert errors(path) == [
        f"{path}:4: file: not UTF-8 text (byte 0xe9 cannot start or continue a character): "
        "save the file as UTF-8"
    ]


def test_an_empty_file_is_refused_as_empty(tmp_path: Path) -> None:
    path = tmp_path / "29037250.yaml"
    path.write_bytes(b"")
    assert errors(path) == [
        f"{path}:1: document: the file is empty: expected a mapping with pmid, claims, references"
    ]


def test_a_directory_is_refused_not_opened(tmp_path: Path) -> None:
    """Before: a raw ``IsADirectoryError``; a FIFO would have blocked forever."""
    path = tmp_path / "29037250.yaml"
    path.mkdir()
    assert errors(path) == [f"{path}: file: is a directory, not a file"]
