"""How long ``reviewbook annotations check`` takes on a very large annotation file, and its
peak memory.

The file is built here: Janssen 2017's annotation file (``data/annotations/29037250.yaml``)
with its reference notes repeated, each with a distinct index, until the file holds about
20 MB (about 85,000 entries; ``--quick``: 2 MB). Its check runs in a child process, so that its
time and peak resident memory (``ru_maxrss`` of the child) are its own:

- **check**: ``reviewbook annotations check FILE``, the whole command;
- **baseline**: reading the same file's bytes and decoding them (``Path.read_text``) in a
  child process started the same way, the least any check must do.

The file is read by libyaml's parser (`yaml_io.read_document`), checked by fastjsonschema
and validated against Janssen's page; every reference past the page's five is an error, so the
run also measures naming some 100,000 errors by line. Targets (issue 11): a 20 MB file checked in
at most 3 s and at most 300 MiB.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.report import PEAK_MIB_CODE, Metric, Section

NAME = "annotation_check"
REPO = Path(__file__).resolve().parents[1]
SEED = REPO / "data" / "annotations" / "29037250.yaml"
FULL_BYTES = 20_000_000
QUICK_BYTES = 2_000_000
TARGET_SECONDS = 3.0
TARGET_MIB = 300.0


def large_annotation_file(path: Path, size: int) -> int:
    """Write an annotation file of about ``size`` bytes; return its number of reference notes."""
    entry = (
        "  - index: {index}\n"
        "    note: >-\n"
        "      Cited for the hallmarks framework; the review leans on it for the\n"
        "      enabling characteristics, entry {index}.\n"
        "    tags: [hallmarks, review, framework]\n"
    )
    head = 'pmid: "29037250"\nclaims: []\nreferences:\n'
    parts = [head]
    written = len(head)
    index = 0
    while written < size:
        index += 1
        text = entry.format(index=index)
        parts.append(text)
        written += len(text)
    path.write_text("".join(parts), encoding="utf-8")
    return index


def _child(code: str, path: Path) -> tuple[float, float, int]:
    """Seconds, peak MiB and exit status of ``python -c code path`` in a fresh process."""
    reporting = f"{PEAK_MIB_CODE}\nimport atexit, sys\n" + (
        "atexit.register(lambda: print(f'peak_mib={_peak_mib()}', file=sys.stderr))\n"
    )
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", reporting + code, str(path)], capture_output=True, text=True
    )
    seconds = time.perf_counter() - start
    peak = next(
        float(line.removeprefix("peak_mib="))
        for line in reversed(done.stderr.splitlines())
        if line.startswith("peak_mib=")
    )
    return seconds, peak, done.returncode


CHECK = (
    "import sys; from reviewbook.cli import main; "
    "sys.exit(main(['annotations', 'check', sys.argv[1]]))"
)
BASELINE = "import sys, pathlib; pathlib.Path(sys.argv[1]).read_text(encoding='utf-8')"


def run(*, quick: bool) -> Section:
    """Build the file, check it in a child process, and report time and memory."""
    size = QUICK_BYTES if quick else FULL_BYTES
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "29037250.yaml"
        entries = large_annotation_file(path, size)
        megabytes = path.stat().st_size / 1e6
        base_seconds, base_mib, _ = _child(BASELINE, path)
        seconds, mib, status = _child(CHECK, path)
    scale = FULL_BYTES / size
    return Section(
        name=NAME,
        title="Checking a very large annotation file",
        description=__doc__ or "",
        metrics=(
            Metric("file", f"{megabytes:.1f} MB, {entries} reference notes"),
            Metric(
                "check time",
                f"{seconds:.2f} s (baseline {base_seconds:.2f} s)",
                f"\u2264 {TARGET_SECONDS / scale:.1f} s",
                seconds <= TARGET_SECONDS / scale,
            ),
            Metric(
                "check peak memory",
                f"{mib:.0f} MiB (baseline {base_mib:.0f} MiB)",
                f"\u2264 {TARGET_MIB:.0f} MiB",
                mib <= TARGET_MIB,
            ),
            Metric("check exit status", f"{status} (indices past the page's 5 are errors)"),
        ),
    )
