"""What each review says about each immune cell: `statements_frame` on the largest shared review,
against a plain loop of one regular expression per vocabulary term over the same sentences,
and the tagger's quality on the hand-labelled set.

Speed. The input is PMC12311175 (640 references, 512 citing sentences), read once before the
clock starts. Timed, alternating, best of `FULL.repeats` runs after one warm-up each:

- **statements_frame**: the whole tagging of the article, from its body to the table: the
  abbreviations the review defines (and the matcher that learns them), one automaton pass per
  citing sentence, roles, steps, the frame;
- **automaton pass alone**: `Matcher.find` of that article's matcher over every citing sentence
  (the finding the baseline does, with longest-match and case rules);
- **baseline**: for every term of the same tables (each cell, step, role, action, target, and
  each list of cue words), one compiled regular expression alternating its forms (longest
  first, case-insensitive but for the forms whose case must match, ``(?-i:...)``), each run
  with ``finditer`` over every citing sentence; it finds, it decides nothing.

Quality. `score_statements` against ``tests/data/statements/labelled.yaml`` (see the README
there): precision and recall of (sentence, cell) and (sentence, step) pairs, and role accuracy
over the (sentence, cell) pairs the labels and the tagger both have.
"""

from __future__ import annotations

import re
import statistics
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from benchmarks.report import Metric, Section

if TYPE_CHECKING:
    from reviewbook.annotations.vocabulary import Form
    from reviewbook.tables.statements import LabelledSentence, Meaning, Scores

NAME = "statements"
REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared" / "fulltext"
LARGEST = "PMC12311175"
"""The review timed: the largest of the shared full texts (640 references)."""
LABELS = REPO / "tests" / "data" / "statements" / "labelled.yaml"


@dataclass(frozen=True, slots=True)
class Settings:
    """How often each side runs."""

    repeats: int


FULL = Settings(repeats=15)
QUICK = Settings(repeats=1)

TARGET_SECONDS = 0.25
"""`statements_frame` of the largest review: well under a second."""
TARGET_TIMES_BASELINE = 1.0
"""The whole tagging, against the baseline's finding alone."""
QUALITY_TARGETS: dict[str, float] = {
    "cell precision": 0.90,
    "cell recall": 0.85,
    "step precision": 0.80,
    "step recall": 0.70,
    "role accuracy": 0.80,
}
"""The least each figure on the labelled set may be (tests/tables/test_statements_quality.py
fails below them)."""


def labelled_scores(
    labels: Path = LABELS, fulltext: Path = SHARED
) -> tuple[tuple[LabelledSentence, ...], Scores]:
    """The labelled sentences and the tagger's `Scores` on them."""
    from reviewbook.sources.formats import read_article
    from reviewbook.tables.statements import read_labels, score_statements, tag_sentences

    _, labelled = read_labels(labels)
    files = sorted({label.file for label in labelled})
    tagged = {name: tag_sentences(read_article(fulltext / f"{name}.nxml")) for name in files}
    return labelled, score_statements(labelled, tagged)


def quality_figures(scores: Scores) -> dict[str, tuple[float, str]]:
    """Each quality figure of `QUALITY_TARGETS`: its value and the counts behind it."""
    cells, steps, roles = scores.cells, scores.steps, scores.roles
    return {
        "cell precision": (scores.cell_precision, f"{cells[0]}/{cells[0] + cells[1]}"),
        "cell recall": (scores.cell_recall, f"{cells[0]}/{cells[0] + cells[2]}"),
        "step precision": (scores.step_precision, f"{steps[0]}/{steps[0] + steps[1]}"),
        "step recall": (scores.step_recall, f"{steps[0]}/{steps[0] + steps[2]}"),
        "role accuracy": (scores.role_accuracy, f"{roles[0]}/{roles[1]}"),
    }


def regex_per_term(entries: Iterable[tuple[Form, Meaning]]) -> list[re.Pattern[str]]:
    """The baseline's expressions: one per term (kind and name) of the matcher's entries."""
    by_term: dict[tuple[str, str], list[str]] = {}
    for form, meaning in entries:
        escaped = re.escape(form.text)
        by_term.setdefault((meaning.kind, meaning.name), []).append(
            f"(?-i:{escaped})" if form.exact_case else escaped
        )
    return [
        re.compile(
            r"(?<!\w)(?:" + "|".join(sorted(forms, key=len, reverse=True)) + r")(?!\w)",
            re.IGNORECASE,
        )
        for forms in by_term.values()
    ]


def run(*, quick: bool = False) -> Section:
    """Time the tagging and the baseline on the largest review; score the labelled set."""
    from reviewbook.sources.formats import read_article
    from reviewbook.tables.statements import article_matcher, citing_sentences, statements_frame

    settings = QUICK if quick else FULL
    path = SHARED / f"{LARGEST}.nxml"
    notes: list[str] = []
    metrics: list[Metric] = []
    if path.is_file():
        article = read_article(path)
        sentences = [sentence for _, sentence, _ in citing_sentences(article)]
        matcher = article_matcher(article)
        expressions = regex_per_term(matcher.entries)
        found: dict[str, int] = {}

        def tagging() -> None:
            found["rows"] = len(statements_frame(article))

        def automaton() -> None:
            found["automaton"] = sum(len(matcher.find(sentence)) for sentence in sentences)

        def baseline() -> None:
            found["baseline"] = sum(
                1
                for sentence in sentences
                for expression in expressions
                for _ in expression.finditer(sentence)
            )

        times = _alternate((tagging, automaton, baseline), settings.repeats)
        metrics += _speed(times, settings.repeats, len(sentences), len(expressions))
        notes += [
            f"Input: {LARGEST} ({len(article.references)} references, {len(sentences)} citing "
            f"sentences), read before timing; {'quick: ' if quick else ''}{settings.repeats} "
            "run(s) of each side, alternating, after one warm-up run each.",
            f"statements_frame gave {found['rows']} rows; the automaton pass found "
            f"{found['automaton']:,} words (after longest-match and case rules), the baseline "
            f"{found['baseline']:,} matches ({len(expressions)} expressions, every match of "
            "each, overlaps and all).",
        ]
    else:
        notes.append(f"{path} not found: speed not measured.")
    if LABELS.is_file() and SHARED.is_dir():
        labelled, scores = labelled_scores()
        figures = quality_figures(scores)
        metrics += [
            Metric(
                f"{name} on the labelled set",
                f"{value:.3f} ({counts})",
                f">= {QUALITY_TARGETS[name]:.2f}",
                value >= QUALITY_TARGETS[name],
            )
            for name, (value, counts) in figures.items()
        ]
        notes.append(_quality_note(labelled, scores))
    else:
        notes.append(f"{LABELS.relative_to(REPO)} not found: quality not measured.")
    return Section(
        name=NAME,
        title="what each review says about each immune cell",
        description=(
            f"`statements_frame` of {LARGEST}, against one regular expression per vocabulary "
            "term over the same citing sentences in the same run; and the tagger's precision, "
            "recall and role accuracy on the hand-labelled sentences. One process, one thread."
        ),
        metrics=tuple(metrics),
        notes=tuple(notes),
    )


def _alternate(sides: tuple[Callable[[], None], ...], repeats: int) -> list[list[float]]:
    """Each side's wall times: one warm-up run each, then ``repeats`` rounds, the order of
    the sides turned round every other round."""
    for side in sides:
        side()
    times: list[list[float]] = [[] for _ in sides]
    order = list(range(len(sides)))
    for repeat in range(repeats):
        for index in order if repeat % 2 == 0 else order[::-1]:
            start = time.perf_counter()
            sides[index]()
            times[index].append(time.perf_counter() - start)
    return times


def _speed(
    times: list[list[float]], repeats: int, sentences: int, expressions: int
) -> list[Metric]:
    tagging, automaton, baseline = (min(runs) for runs in times)
    return [
        Metric(
            f"statements_frame of {LARGEST}, best of {repeats}",
            f"{tagging * 1000:.0f} ms",
            f"<= {TARGET_SECONDS * 1000:.0f} ms",
            tagging <= TARGET_SECONDS,
        ),
        Metric("statements_frame, median", f"{statistics.median(times[0]) * 1000:.0f} ms"),
        Metric(
            f"automaton pass alone over {sentences} sentences, best",
            f"{automaton * 1000:.1f} ms",
        ),
        Metric(
            f"baseline: {expressions} regexes, one per term, best",
            f"{baseline * 1000:.0f} ms",
        ),
        Metric("automaton pass / baseline (best)", f"{automaton / baseline:.2f}x"),
        Metric(
            "statements_frame / baseline (best)",
            f"{tagging / baseline:.2f}x",
            f"<= {TARGET_TIMES_BASELINE:.1f}x",
            tagging / baseline <= TARGET_TIMES_BASELINE,
        ),
    ]


def _quality_note(labelled: tuple[LabelledSentence, ...], scores: Scores) -> str:
    """How the quality figures were measured, in one paragraph."""
    roles = [role or "null" for label in labelled for _, role in label.cells]
    shown = ", ".join(f"{role} {roles.count(role)}" for role in dict.fromkeys(sorted(roles)))
    files = len({label.file for label in labelled})
    return (
        f"Quality: {scores.sentences} citing sentences of {files} shared full texts "
        "(tests/data/statements/labelled.yaml; its README says how they were drawn: a seeded "
        "shuffle of each file's citing sentences, read from the top with quotas for sentences "
        "that name a cell and sentences that do not), each labelled by hand by reading it, no "
        f"tagger involved: {sum(bool(label.cells) for label in labelled)} sentences name a "
        f"vocabulary cell, {len(roles)} (sentence, cell) labels ({shown}), "
        f"{sum(len(label.steps) for label in labelled)} step labels. The tagger read "
        f"{scores.found} of them (same file, section and sentence). A pair counts when both "
        "name the same canonical cell (or step) for the same sentence: precision is over the "
        "tagger's pairs, recall over the labels'; role accuracy compares the role, null "
        "included, of the pairs both have. Cells outside the vocabulary (the labels' "
        "`other_cells`) are `unknown_cells`' and not scored. The vocabulary's forms and cue "
        "words were written with these sentences in view (that is what the set is for), so "
        "the figures are in-sample: expect less on reviews it has not seen. The set has no "
        "`both` or `context-dependent` label and few steps, so those are barely measured."
    )
