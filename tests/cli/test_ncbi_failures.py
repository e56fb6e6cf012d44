"""``reviewbook add PMID|PMCID`` and ``reviewbook refresh [--full-text]`` against an NCBI that
misbehaves or cannot be reached.

The environment points the commands at the fake E-utilities of `tests.sources.test_ncbi`
(``REVIEWBOOK_EUTILS_URL``, ``REVIEWBOOK_IDCONV_URL``). Whatever the fake does (busy for good or
a reply dripping a byte at a time, under a deadline of 2 s set by ``REVIEWBOOK_NCBI_DEADLINE``;
a reply far too large or a redirect to another host, under the default deadline), the command
ends within the deadline with exit status 69, says why in one line, and leaves the workbook as
it was. Time here is the real clock: each test asserts only a generous bound on what the
deadline bounds.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from reviewbook.cli import main
from reviewbook.sources.ncbi import EXIT_UNAVAILABLE
from tests.sources.test_ncbi import (
    BUSY_FOR_GOOD,
    DRIPPING,
    HUGE_DECLARED,
    HUGE_STREAMED,
    IDCONV_PATH,
    REDIRECTED_AWAY,
    FakeEutils,
)
from tests.workbook.conftest import offline_client, snapshot

DEADLINE = 2
WALL_CLOCK_BOUND = 60.0
"""Seconds a command with a deadline of `DEADLINE` must end within, however loaded the machine."""
ANNOUNCED = (
    "reviewbook: adding 12345678 (looks up its cited works, runs its notebook and the index)"
)


def failure(fake: FakeEutils, misbehaving: str) -> str:
    """What ``add`` says, after its name for the source, when every request misbehaves so."""
    service = f"NCBI E-utilities at {fake.base_url}"
    port = fake.base_url.split(":")[2].split("/")[0]
    return {
        BUSY_FOR_GOOD: f"{service} did not finish within the {DEADLINE} s deadline (HTTP 429 Too "
        "Many Requests, asked to wait 3600 s): try again later, or give it longer with "
        "REVIEWBOOK_NCBI_DEADLINE",
        HUGE_DECLARED: f"{service} sent a reply of more than 64 MiB, far more than 200 records "
        "take: refused",
        HUGE_STREAMED: f"{service} sent a reply of more than 64 MiB, far more than 200 records "
        "take: refused",
        REDIRECTED_AWAY: f"{service} redirected the request to another host, "
        f"http://localhost:{port}: refused (a redirect is followed only to the same scheme, "
        "host and port)",
    }[misbehaving]


def unavailable(
    workbook: Path, command: list[str], capsys: pytest.CaptureFixture[str]
) -> list[str]:
    """Run ``command`` on ``workbook``: it must end with status 69 within the wall-clock bound,
    print nothing on stdout and change nothing; its stderr lines."""
    before = snapshot(workbook)
    started = time.monotonic()
    assert main(["--workbook", str(workbook), *command]) == EXIT_UNAVAILABLE
    assert time.monotonic() - started < WALL_CLOCK_BOUND
    captured = capsys.readouterr()
    assert captured.out == ""
    assert snapshot(workbook) == before
    return captured.err.splitlines()


@pytest.mark.parametrize(
    "misbehaving", [BUSY_FOR_GOOD, HUGE_DECLARED, HUGE_STREAMED, REDIRECTED_AWAY]
)
def test_add_of_a_pmid_ends_in_one_line_with_status_69(
    workbook: Path,
    ncbi: FakeEutils,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    misbehaving: str,
) -> None:
    ncbi.every_request = misbehaving
    ncbi.redirect_to = ncbi.base_url.replace("127.0.0.1", "localhost") + "efetch.fcgi?id=1"
    if misbehaving == BUSY_FOR_GOOD:  # the others are refused long before any deadline
        monkeypatch.setenv("REVIEWBOOK_NCBI_DEADLINE", str(DEADLINE))
    assert unavailable(workbook, ["add", "12345678"], capsys) == [
        ANNOUNCED,
        f"reviewbook: 12345678: {failure(ncbi, misbehaving)}",
    ]


def test_add_of_a_pmid_whose_reply_drips_ends_at_the_deadline(
    workbook: Path,
    ncbi: FakeEutils,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("REVIEWBOOK_NCBI_DEADLINE", str(DEADLINE))
    ncbi.every_request = DRIPPING
    announced, said = unavailable(workbook, ["add", "12345678"], capsys)
    assert announced == ANNOUNCED
    assert said.startswith(
        f"reviewbook: 12345678: NCBI E-utilities at {ncbi.base_url} did not finish within the "
        f"{DEADLINE} s deadline ("
    )


def test_refresh_of_a_busy_ncbi_ends_in_one_line_with_status_69(
    workbook: Path,
    ncbi: FakeEutils,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("REVIEWBOOK_NCBI_DEADLINE", str(DEADLINE))
    ncbi.every_request = BUSY_FOR_GOOD
    announced, said = unavailable(workbook, ["refresh"], capsys)
    assert announced == "reviewbook: refreshing every review (looks up cited works at NCBI)"
    assert said.startswith("reviewbook: every review: ")
    assert f"within the {DEADLINE} s deadline (HTTP 429 Too Many Requests" in said


# --- full texts ---------------------------------------------------------------------------------

FULL_TEXT_COMMANDS: dict[str, tuple[list[str], str]] = {
    "add PMCID": (
        ["add", "PMC12599256"],
        "reviewbook: adding PMC12599256 (looks up its cited works, runs its notebook and the "
        "index)",
    ),
    "refresh --full-text": (
        ["refresh", "--full-text", "29037250"],
        "reviewbook: fetching the full text of 29037250 from PMC (re-runs the notebooks that "
        "read it)",
    ),
}
"""The commands that fetch a full text, and the line each announces itself with."""


@pytest.mark.parametrize("command", FULL_TEXT_COMMANDS)
@pytest.mark.parametrize("misbehaving", [BUSY_FOR_GOOD, HUGE_DECLARED, REDIRECTED_AWAY])
def test_fetching_a_full_text_from_an_ncbi_that_misbehaves_ends_in_one_line_with_status_69(
    workbook: Path,
    ncbi: FakeEutils,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    misbehaving: str,
    command: str,
) -> None:
    """``add PMC...`` asks efetch first, ``refresh --full-text`` of the seed page (no PMCID)
    the ID converter: the same limits hold for both."""
    arguments, announced = FULL_TEXT_COMMANDS[command]
    ncbi.every_request = misbehaving
    ncbi.redirect_to = ncbi.base_url.replace("127.0.0.1", "localhost") + "efetch.fcgi?id=1"
    if misbehaving == BUSY_FOR_GOOD:
        monkeypatch.setenv("REVIEWBOOK_NCBI_DEADLINE", str(DEADLINE))
    said = failure(ncbi, misbehaving)
    if command == "refresh --full-text":
        idconv = ncbi.base_url.replace("/entrez/eutils/", IDCONV_PATH)
        said = said.replace(
            f"NCBI E-utilities at {ncbi.base_url}", f"the NCBI PMC ID converter at {idconv}"
        )
    assert unavailable(workbook, arguments, capsys) == [
        announced,
        f"reviewbook: {arguments[-1]}: {said}",
    ]


@pytest.mark.parametrize("command", FULL_TEXT_COMMANDS)
def test_fetching_a_full_text_offline_ends_in_one_line_with_status_69(
    workbook: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    command: str,
) -> None:
    """NCBI on a closed port of 127.0.0.1: nothing answers."""
    closed = offline_client()
    monkeypatch.setenv("REVIEWBOOK_EUTILS_URL", closed.base_url)
    monkeypatch.setenv("REVIEWBOOK_IDCONV_URL", closed.idconv_base)
    arguments, announced = FULL_TEXT_COMMANDS[command]
    service = (
        f"NCBI E-utilities at {closed.base_url}"
        if command == "add PMCID"
        else f"the NCBI PMC ID converter at {closed.idconv_base}"
    )
    announcement, said = unavailable(workbook, arguments, capsys)
    assert announcement == announced
    assert said.startswith(f"reviewbook: {arguments[-1]}: cannot reach {service} (")
    assert said.endswith("): check your network")
