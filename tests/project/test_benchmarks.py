"""The benchmark runner and its corpus: a quick run writes a complete report (no timing checks).

These tests use the real parser (``reviewbook.sources.page``) through the parse_pages benchmark.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
from dataclasses import replace
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from tests.conftest import ROOT, SEED_WORKBOOK

REPO = ROOT


def _import(name: str) -> ModuleType:
    """Import a module of the repository's ``benchmarks`` package, wherever pytest was started."""
    if importlib.util.find_spec("benchmarks") is None:
        sys.path.insert(0, str(REPO))
    return importlib.import_module(name)


@pytest.fixture(scope="module")
def quick_report(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    """The report of a quick parse_pages run: as returned and as written to a temp file."""
    runner = _import("benchmarks.__main__")
    output = tmp_path_factory.mktemp("bench") / "report" / "benchmarks.md"
    returned = runner.run_benchmarks(["parse_pages"], quick=True, output=output)
    return returned, output.read_text(encoding="utf-8")


def test_quick_run_writes_the_report_it_returns(quick_report: tuple[str, str]) -> None:
    returned, written = quick_report
    assert returned == written
    assert written.startswith("# Benchmarks\n")
    assert "python -m benchmarks" in written
    assert "same run on this machine" in written


def test_parse_pages_section_has_every_metric_row(quick_report: tuple[str, str]) -> None:
    _, written = quick_report
    assert "## parse_pages: parsing saved PubMed pages" in written
    assert "| metric | value | target | met? |" in written
    rows = [line for line in written.splitlines() if line.startswith("| ")][2:]
    names = [row.split(" | ")[0].removeprefix("| ") for row in rows]
    assert names == [
        "parse throughput, best of 1 run",
        "parse throughput, median of 1 run",
        "floor (one regex match per line), best of 1 run",
        "floor, median of 1 run",
        "parse time / floor time (best)",
        "references_frame of the parsed corpus",
        "references read as generated",
    ]
    verdicts = [row.rstrip(" |").rsplit(" | ", 1)[1] for row in rows]
    assert verdicts[0] in {"PASS", "MISS"}
    assert verdicts[4] in {"PASS", "MISS"}
    assert ">= 20,000 refs/s" in rows[0]
    assert "<= 10x" in rows[4]


def test_report_names_the_corpus_and_the_versions(quick_report: tuple[str, str]) -> None:
    _, written = quick_report
    assert "10 pages x 20 references = 200 references" in written
    assert "Python 3." in written
    assert "pandas " in written


def test_quick_run_without_output_writes_no_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    runner = _import("benchmarks.__main__")
    monkeypatch.setattr(runner, "DEFAULT_OUTPUT", tmp_path / "benchmarks.md")
    assert runner.main(["parse_pages", "--quick"]) == 0
    assert "## parse_pages" in capsys.readouterr().out
    assert not (tmp_path / "benchmarks.md").exists()


def test_unknown_benchmark_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    runner = _import("benchmarks.__main__")
    with pytest.raises(SystemExit) as exit_info:
        runner.main(["no_such_benchmark", "--quick"])
    assert exit_info.value.code == 2
    assert "parse_pages" in capsys.readouterr().err


def test_corpus_is_deterministic_for_a_seed_and_varies_across_seeds() -> None:
    corpus = _import("benchmarks.corpus")
    first = corpus.generate_corpus(3, 10, seed=7)
    assert [page.text for page in first] == [
        page.text for page in corpus.generate_corpus(3, 10, seed=7)
    ]
    assert first[0].text != corpus.generate_corpus(3, 10, seed=8)[0].text
    assert [len(page.expected.references) for page in first] == [10, 10, 10]


def test_corpus_pages_follow_the_saved_page_layout() -> None:
    corpus = _import("benchmarks.corpus")
    [page] = corpus.generate_corpus(1, 5, seed=0)
    lines = page.text.splitlines()
    access = lines.index("Access keys NCBI Homepage MyNCBI Homepage Main Content Main Navigation")
    assert lines[access + 1] == "Review"
    assert lines[access + 2].startswith(". ")
    assert lines[access + 3].startswith("doi: 10.")
    assert "\u00a0et al. " in page.text
    for heading in ("Abstract", "PubMed Disclaimer", "References", "LinkOut - more resources"):
        assert heading in lines
    reference_lines = [line for line in lines if line.startswith("    1. ")]
    assert [line.removeprefix("    1. ") for line in reference_lines] == [
        reference.raw for reference in page.expected.references
    ]


def test_parser_reads_the_corpus_as_generated() -> None:
    corpus = _import("benchmarks.corpus")
    from reviewbook.sources.page import parse_pubmed_page

    article_fields = ("pmid", "title", "journal", "pub_date", "year", "doi", "first_author")
    for page in corpus.generate_corpus(5, 40, seed=3):
        article = parse_pubmed_page(page.text, pmid=page.pmid)
        expected = page.expected
        for name in (*article_fields, "authors_display", "abstract"):
            assert getattr(article, name) == getattr(expected, name), name
        # journal_key is the parser's own normalisation, so the generator does not predict it.
        assert article.references == tuple(
            replace(reference, journal_key=parsed.journal_key)
            for reference, parsed in zip(expected.references, article.references, strict=True)
        )
        assert article.warnings == ()


@pytest.fixture(scope="module")
def notebook_suite_report(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, bool]:
    """A quick notebook_suite report (one notebook, one kernel of each kind), and whether the
    notebooks on disk were left byte for byte as they were."""
    runner = _import("benchmarks.__main__")

    def contents() -> dict[Path, bytes]:
        # Files only: JupyterLab's .ipynb_checkpoints/ and the explorer's exports/ live here too.
        return {
            path: path.read_bytes()
            for path in sorted((SEED_WORKBOOK / "notebooks").glob("*"))
            if path.is_file()
        }

    before = contents()
    output = tmp_path_factory.mktemp("bench") / "benchmarks.md"
    runner.run_benchmarks(["notebook_suite"], quick=True, output=output)
    return output.read_text(encoding="utf-8"), contents() == before


def test_notebook_suite_section_has_every_metric_row(
    notebook_suite_report: tuple[str, bool],
) -> None:
    written, _ = notebook_suite_report
    assert "## notebook_suite: executing the notebook suite" in written
    rows = [line for line in written.splitlines() if line.startswith("| ")][2:]
    names = [row.split(" | ")[0].removeprefix("| ") for row in rows]
    assert names == [
        "suite (1 notebook), best of 1 run",
        "suite, median of 1 run",
        "floor (1 kernel running `import pandas, reviewbook`), best of 1 run",
        "floor, median of 1 run",
        "suite time / floor time (best)",
        "time inside the suite's code cells (best run)",
        "time inside the floor's `import pandas, reviewbook` cells (best run)",
        "kernel start, shutdown and messaging per kernel (floor minus its cells)",
        "00_index.ipynb, best of 1 run",
    ]
    verdicts = [row.rstrip(" |").rsplit(" | ", 1)[1] for row in rows]
    assert verdicts[4] in {"PASS", "MISS"}
    assert "<= 1.5x" in rows[4]
    assert all(row.split(" | ")[1].endswith(" s") for row in rows[:4])


def test_notebook_suite_names_its_notebooks_and_slowest_cells(
    notebook_suite_report: tuple[str, bool],
) -> None:
    written, _ = notebook_suite_report
    assert "Notebooks (quick: the first notebook only): 00_index.ipynb;" in written
    assert "Slowest cells of the suite (best of the repeats): 00_index.ipynb cell 1 `" in written


def test_notebook_suite_leaves_the_notebooks_unchanged(
    notebook_suite_report: tuple[str, bool],
) -> None:
    _, unchanged = notebook_suite_report
    assert unchanged


def test_notebook_suite_splits_cells_into_statements() -> None:
    suite = _import("benchmarks.notebook_suite")
    assert suite.split_statements("import a\nx = f(\n    1,\n)\nx") == [
        "import a",
        "x = f(\n    1,\n)",
        "x",
    ]
    assert suite.split_statements("%timeit f()") == ["%timeit f()"]


def test_rerunning_one_benchmark_keeps_the_other_sections(tmp_path: Path) -> None:
    report = _import("benchmarks.report")
    path = tmp_path / "benchmarks.md"

    def section(name: str, value: str) -> Any:
        return report.Section(name, "a title", "What it measures.", (report.Metric("m", value),))

    order = ["first", "second", "third"]
    report.write_report([section("third", "3"), section("first", "1")], path, order=order)
    report.write_report([section("second", "2"), section("first", "one")], path, order=order)
    written = path.read_text(encoding="utf-8")
    assert written.startswith(report.HEADER)
    assert [line for line in written.splitlines() if line.startswith("## ")] == [
        "## first: a title",
        "## second: a title",
        "## third: a title",
    ]
    assert [line for line in written.splitlines() if line.startswith("| m |")] == [
        "| m | one | \u2014 | \u2014 |",
        "| m | 2 | \u2014 | \u2014 |",
        "| m | 3 | \u2014 | \u2014 |",
    ]
    assert "\n\n\n" not in written
    report.write_report([section("first", "1")], path)
    assert [line for line in path.read_text().splitlines() if line.startswith("## ")] == [
        "## first: a title"
    ]


def test_corpus_build_quick_run_reports_every_metric(tmp_path: Path) -> None:
    """The corpus benchmark on its quick input: every row, each target with a verdict."""
    runner = _import("benchmarks.__main__")
    output = tmp_path / "benchmarks.md"
    runner.run_benchmarks(["corpus_build"], quick=True, output=output)
    rows = [line for line in output.read_text().splitlines() if line.startswith("| ")][2:]
    names = [row.split(" | ")[0].removeprefix("| ") for row in rows]
    baseline = [
        "pubmed_parser, plain loop: wall time (best)",
        "pubmed_parser, plain loop: throughput",
        "build (1 worker) records/s / pubmed_parser's",
        "reader alone (parsing, nothing written) records/s / pubmed_parser's",
        "pubmed_parser, plain loop: peak memory",
    ]
    with_baseline = importlib.util.find_spec("pubmed_parser") is not None
    assert names == [
        "records",
        "build, 1 worker: wall time (best)",
        "build, 1 worker: throughput",
        "build, 2 workers: wall time (best)",
        "build, 2 workers: throughput",
        *(baseline if with_baseline else []),
        "speed-up, 1 to 2 worker processes",
        "peak memory per worker (highest)",
        "co-citation query: 20 top pairs over every review (best of 3)",
    ]
    assert all(row.rstrip(" |").rsplit(" | ", 1)[1] in {"PASS", "MISS"} for row in rows[-3:])
    assert "Projection for a full baseline (~36 M records in ~1,300 files)" in output.read_text()


def test_fulltext_quick_run_reports_every_metric(tmp_path: Path) -> None:
    """The full-text benchmark on one run of each reader: every row, the ratio with a verdict."""
    runner = _import("benchmarks.__main__")
    output = tmp_path / "benchmarks.md"
    runner.run_benchmarks(["fulltext"], quick=True, output=output)
    written = output.read_text()
    rows = [line for line in written.splitlines() if line.startswith("| ")][2:]
    names = [row.split(" | ")[0].removeprefix("| ") for row in rows]
    baseline = [
        "pubmed_parser: five functions, best of 1",
        "pubmed_parser: median",
        "time / pubmed_parser's (best)",
        "CPU time / pubmed_parser's (best)",
    ]
    with_baseline = importlib.util.find_spec("pubmed_parser") is not None
    assert names == [
        "reviewbook: read + citations_frame, best of 1",
        "reviewbook: median",
        "reviewbook: throughput (best)",
        *(baseline if with_baseline else []),
    ]
    if with_baseline:
        assert rows[5].rstrip(" |").rsplit(" | ", 1)[1] in {"PASS", "MISS"}
    assert "## fulltext: reading PMC full texts (JATS XML)" in written


def test_fulltext_notebook_quick_run_reports_the_ratio_to_the_floor(tmp_path: Path) -> None:
    """The full-text review's notebook, once, against one import-only kernel."""
    runner = _import("benchmarks.__main__")
    output = tmp_path / "benchmarks.md"
    runner.run_benchmarks(["fulltext_notebook"], quick=True, output=output)
    written = output.read_text()
    rows = [line for line in written.splitlines() if line.startswith("| ")][2:]
    names = [row.split(" | ")[0].removeprefix("| ") for row in rows]
    assert names == [
        "notebook, best of 1 run",
        "notebook, median of 1 run",
        "floor, best of 1 run",
        "notebook time / floor time (best)",
    ]
    assert rows[-1].rstrip(" |").rsplit(" | ", 1)[1] in {"PASS", "MISS"}


def test_statements_quick_run_reports_speed_and_quality(tmp_path: Path) -> None:
    """The statements benchmark, once: the speed rows against the regex baseline, then one row
    per quality figure of the labelled set, each with a verdict."""
    runner = _import("benchmarks.__main__")
    output = tmp_path / "benchmarks.md"
    runner.run_benchmarks(["statements"], quick=True, output=output)
    written = output.read_text()
    rows = [line for line in written.splitlines() if line.startswith("| ")][2:]
    names = [row.split(" | ")[0].removeprefix("| ") for row in rows]
    assert "## statements: what each review says about each immune cell" in written
    assert names[:6] == [
        "statements_frame of PMC12311175, best of 1",
        "statements_frame, median",
        "automaton pass alone over 512 sentences, best",
        f"baseline: {names[3].split()[1]} regexes, one per term, best",
        "automaton pass / baseline (best)",
        "statements_frame / baseline (best)",
    ]
    assert names[6:] == [
        f"{figure} on the labelled set"
        for figure in ("cell precision", "cell recall", "step precision", "step recall")
    ] + ["role accuracy on the labelled set"]
    assert all(row.rstrip(" |").rsplit(" | ", 1)[1] in {"PASS", "MISS"} for row in rows[5:])
