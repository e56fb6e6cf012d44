"""Progress bars show at a terminal only, so kernels, pipes and nbval's stderr check stay clean."""

from __future__ import annotations

import io

import pytest

from reviewbook.progress import progress, say


class Terminal(io.StringIO):
    """A captured stderr that says it is a terminal."""

    def isatty(self) -> bool:
        return True


def test_items_pass_through_and_nothing_is_drawn_off_a_terminal(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    stderr = io.StringIO()
    monkeypatch.setattr("sys.stderr", stderr)
    assert list(progress(range(3), what="notebooks", unit="notebook")) == [0, 1, 2]
    assert stderr.getvalue() == ""


def test_a_bar_is_drawn_at_a_terminal_and_messages_keep_their_own_lines(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    stderr = Terminal()
    monkeypatch.setattr("sys.stderr", stderr)
    for _ in progress(range(2), what="fetching cited records", unit="batch"):
        say("reviewbook: running 01.ipynb")
    drawn = stderr.getvalue()
    assert "fetching cited records" in drawn and "batch" in drawn
    assert "reviewbook: running 01.ipynb\n" in drawn
