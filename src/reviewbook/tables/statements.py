"""What each review says about each immune cell: the cells, steps and roles of its citing
sentences, found in one pass over each sentence.

The pipeline, each step a pure function:

1. `Matcher`: every form of every table of `reviewbook.annotations.vocabulary` (cells, cells the
   vocabulary lacks, steps, cue words, and the phrases that only look like them), in one
   Aho-Corasick automaton, built once. `Matcher.find` reads a sentence in one pass and keeps
   whole words that obey their form's case rule; where found words overlap, the longest wins,
   within each layer (`LAYERS`: names, steps, cues; only a role word may sit inside a name).
2. `defined_abbreviations`: a review that writes ``tumour-associated macrophages (TAMs)``
   defines ``TAMs`` for itself; the matcher of that review learns them (`Matcher.extended`).
3. `tag_sentences`: one `Statement` per citing sentence of the body (a sentence cited several
   times is one, its references the union), with its cells (each with a role, `cell_role`),
   steps and the unlisted cells it names.
4. `statements_frame` and `unknown_cells`: the records as tables.

`score_statements` measures the tagger against hand labels (`read_labels`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

from reviewbook.annotations.vocabulary import (
    ACTIONS,
    CELL_SIDES,
    CELL_TYPES,
    CLAUSE_BREAKS,
    GENERAL_CELLS,
    HEDGES,
    LISTING_WORDS,
    METASTATIC_STEPS,
    NEGATIONS,
    NOT_CELLS,
    NOT_CUES,
    NOT_STEPS,
    PURPOSE_WORDS,
    ROLES,
    TARGETS,
    UNLISTED_CELLS,
    Form,
    abbreviations,
    term_names,
)
from reviewbook.model import Article, Body
from reviewbook.tables.frames import _as_articles

# --- knowledge: kinds, layers, columns ---------------------------------------------------------

LAYERS: dict[str, str] = {
    "cell": "name",
    "unlisted": "name",
    "not cell": "name",
    "step": "step",
    "not step": "step",
    "action": "cue",
    "target": "cue",
    "role": "cue",
    "negation": "cue",
    "hedge": "cue",
    "break": "cue",
    "listing": "cue",
    "purpose": "cue",
    "not cue": "cue",
}
"""Each kind of found words, and the layer in which the longest of overlapping finds wins.
Layers are independent, except that a cue inside a name is no cue (``tumour`` in
``tumour-associated macrophages``) unless it is a role word (``immunosuppressive cells``)."""
LAYER_ORDER: dict[str, int] = {"name": 0, "step": 1, "cue": 2}
"""The order layers are settled in: names first, so cues know where the names are."""
STOP_KINDS = frozenset({"not cell", "not step", "not cue"})
"""Kinds found only so that the shorter words inside them are not: never reported."""

PLAIN_CHARACTERS = str.maketrans(
    {
        **dict.fromkeys("-\u2010\u2011\u2012\u2013\u2014\u2212", " "),
        **dict.fromkeys("\u00a0\u2009\u202f\u2007", " "),
        "\u207a": "+",
        "\u2019": "'",
        "\u2018": "'",
    }
)
"""How text is read for matching, one character for one so offsets hold: every dash and
hyphen a space (``T‐cell``, ``T-cell`` and ``T cell`` are one), hard spaces plain,
superscript plus a plus (``CD8⁺``), curly quotes straight."""

ROLE_OF_SIGN: dict[int, str] = {+1: "promotes", -1: "inhibits"}
"""A cue's direction as a role: helping the tumour promotes it, hindering it inhibits it."""
FLIPPED: dict[str, str] = {"promotes": "inhibits", "inhibits": "promotes"}
"""What negation makes of a role (``both`` and ``context-dependent`` stay)."""
CLAUSE_ROLE = "context-dependent"
"""The role whose words (``depending on``) speak for every cell of their clause."""
SENTENCE_ROLE = "both"
"""The role whose words (``dual role``) speak for the cells of their sentence that get no
other role."""
TABLE_COLUMN = " | "
"""What joins the cells of a table row in a citing sentence (`reviewbook.model.Citation`)."""
NEAR_WORDS = 2
"""A role word qualifies a cell at most this many words before it (``anti-tumour NK cells``)."""
OBJECT_WORDS = 4
"""An action acts on a cell at most this many words before it (``suppress the function of
CD8+ T cells``)."""

STATEMENT_COLUMNS: dict[str, str] = {
    "review_pmid": "string",
    "sentence": "string",
    "section": "string",
    "cell": "string",
    "steps": "object",
    "role": "string",
    "references": "object",
    "evidence": "string",
}
"""``statements_frame`` columns and their dtypes (``steps`` and ``references`` hold tuples)."""
UNKNOWN_COLUMNS: dict[str, str] = {
    "review_pmid": "string",
    "cell": "string",
    "sentences": "Int64",
    "forms": "string",
    "example": "string",
}
"""``unknown_cells`` columns and their dtypes."""

ABBREVIATION = re.compile(r"\(([A-Za-z][^\s()]{1,11})\)")
"""A parenthesised abbreviation after its long form: ``(TAMs)``, ``(MDSCs)``, ``(PMN-MDSCs)``."""
DEFINING_KINDS = frozenset({"cell", "unlisted", "step"})
"""Kinds of long form whose abbreviation a review may define."""


# --- the matcher -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Meaning:
    """What found words stand for: a kind (`LAYERS`), the canonical name, and for cues their
    sign; ``exact`` is the form as written when letter case must match."""

    kind: str
    name: str = ""
    sign: int = 0
    implied: int = 0
    exact: str | None = None


@dataclass(frozen=True, slots=True)
class Mention:
    """Words found in a text: where, as written, and what they stand for."""

    start: int
    end: int
    text: str
    kind: str
    name: str = ""
    sign: int = 0
    implied: int = 0


def plain_text(text: str) -> str:
    """``text`` as matching reads it (`PLAIN_CHARACTERS`), letter case kept, same length."""
    return text.translate(PLAIN_CHARACTERS)


def _lowered(plain: str) -> str:
    """Lower case, one character for one (the few letters whose lower case is longer stay)."""
    lowered = plain.lower()
    if len(lowered) == len(plain):
        return lowered
    return "".join(low if len(low := char.lower()) == 1 else char for char in plain)


def vocabulary_entries() -> tuple[tuple[Form, Meaning], ...]:
    """Every form of the vocabulary's tables with what it means, tables in a fixed order."""
    entries: list[tuple[Form, Meaning]] = []
    for kind, terms in (("cell", CELL_TYPES), ("unlisted", UNLISTED_CELLS)):
        entries += [(form, Meaning(kind, term.name)) for term in terms for form in term.forms]
    entries += [
        (form, Meaning("step", term.name)) for term in METASTATIC_STEPS for form in term.forms
    ]
    entries += [(form, Meaning("role", term.name)) for term in ROLES for form in term.forms]
    for kind, cues in (("action", ACTIONS), ("target", TARGETS)):
        entries += [
            (form, Meaning(kind, cue.name, cue.sign, cue.implied))
            for cue in cues
            for form in cue.forms
        ]
    for kind, forms in (
        ("negation", NEGATIONS),
        ("hedge", HEDGES),
        ("break", CLAUSE_BREAKS),
        ("listing", LISTING_WORDS),
        ("purpose", PURPOSE_WORDS),
        ("not cell", NOT_CELLS),
        ("not step", NOT_STEPS),
        ("not cue", NOT_CUES),
    ):
        entries += [(form, Meaning(kind)) for form in forms]
    return tuple(entries)


class Matcher:
    """Finds the forms of a vocabulary in text, in one pass of one automaton."""

    __slots__ = ("_automaton", "entries", "meanings", "patterns")

    def __init__(self, entries: Iterable[tuple[Form, Meaning]]) -> None:
        import ahocorasick_rs

        self.entries: tuple[tuple[Form, Meaning], ...] = tuple(entries)
        by_pattern: dict[str, list[Meaning]] = {}
        for form, meaning in self.entries:
            plain = plain_text(form.text)
            if form.exact_case:
                meaning = Meaning(meaning.kind, meaning.name, meaning.sign, meaning.implied, plain)
            found = by_pattern.setdefault(_lowered(plain), [])
            if meaning not in found:
                found.append(meaning)
        self.patterns: tuple[str, ...] = tuple(by_pattern)
        self.meanings: tuple[tuple[Meaning, ...], ...] = tuple(map(tuple, by_pattern.values()))
        self._automaton: Any = ahocorasick_rs.AhoCorasick(self.patterns)

    def extended(self, entries: Iterable[tuple[Form, Meaning]]) -> Matcher:
        """A matcher that also finds ``entries`` (itself when there are none)."""
        extra = tuple(entries)
        return Matcher(self.entries + extra) if extra else self

    def find(self, text: str) -> tuple[Mention, ...]:
        """The words of ``text`` the vocabulary names, in text order (stop phrases left out).

        Found words must be whole (no letter or digit just outside a form's letter or digit)
        and, for a form whose case matters, written letter for letter. Of overlapping finds in
        one layer the longest wins, then the leftmost.
        """
        plain = plain_text(text)
        lowered = _lowered(plain)
        size = len(lowered)
        candidates: list[tuple[int, int, int, Meaning]] = []
        for index, start, end in self._automaton.find_matches_as_indexes(lowered, overlapping=True):
            if lowered[start].isalnum() and start and lowered[start - 1].isalnum():
                continue
            if lowered[end - 1].isalnum() and end < size and lowered[end].isalnum():
                continue
            for meaning in self.meanings[index]:
                if meaning.exact is None or plain[start:end] == meaning.exact:
                    candidates.append((start - end, start, end, meaning))
        candidates.sort(key=lambda found: (LAYER_ORDER[LAYERS[found[3].kind]], *found[:2]))
        taken: dict[str, list[tuple[int, int]]] = {"name": [], "step": [], "cue": []}
        chosen: list[tuple[int, int, Meaning]] = []
        for _, start, end, meaning in candidates:
            layer = LAYERS[meaning.kind]
            spans = taken[layer]
            if (start, end) not in spans and _overlaps(spans, start, end):
                continue
            if layer == "cue" and meaning.kind != "role" and _overlaps(taken["name"], start, end):
                continue
            spans.append((start, end))
            chosen.append((start, end, meaning))
        chosen.sort(key=lambda found: (found[0], found[1]))
        return tuple(
            Mention(
                start,
                end,
                text[start:end],
                meaning.kind,
                meaning.name,
                meaning.sign,
                meaning.implied,
            )
            for start, end, meaning in chosen
            if meaning.kind not in STOP_KINDS
        )


def _overlaps(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(start < taken_end and taken_start < end for taken_start, taken_end in spans)


@cache
def vocabulary_matcher() -> Matcher:
    """The matcher of the whole vocabulary, built on first use and kept."""
    return Matcher(vocabulary_entries())


# --- abbreviations a review defines ------------------------------------------------------------


def defined_abbreviations(
    body: Body, matcher: Matcher | None = None
) -> tuple[tuple[Form, Meaning], ...]:
    """Abbreviations the body defines for a term: ``<long form> (<ABBR>)``, the long form a
    cell, unlisted cell or step, ``ABBR`` with two capitals or more, starting with the long
    form's first letter. Each comes with its plural (or singular), found as written."""
    matcher = matcher or vocabulary_matcher()
    known = {
        (pattern, meaning.kind, meaning.name)
        for pattern, meanings in zip(matcher.patterns, matcher.meanings, strict=True)
        for meaning in meanings
    }
    found: list[tuple[Form, Meaning]] = []
    for passage in _passages(body):
        for match in ABBREVIATION.finditer(passage):
            abbreviation = match[1]
            if sum(character.isupper() for character in abbreviation) < 2:
                continue
            before = passage[max(0, match.start() - 120) : match.start()].rstrip()
            mentions = [m for m in matcher.find(before) if m.end == len(before)]
            if not mentions or mentions[-1].kind not in DEFINING_KINDS:
                continue
            long_form = mentions[-1]
            if long_form.text[0].casefold() != abbreviation[0].casefold():
                continue
            singular = abbreviation.removesuffix("s") if abbreviation.endswith("s") else None
            for form in abbreviations(singular) if singular else abbreviations(abbreviation):
                key = (_lowered(plain_text(form.text)), long_form.kind, long_form.name)
                if key not in known:
                    known.add(key)
                    found.append((form, Meaning(long_form.kind, long_form.name)))
    return tuple(found)


def _passages(body: Body) -> Iterable[str]:
    """Every passage of running text of the body: paragraphs, boxes, captions."""
    for paragraph in body.paragraphs:
        yield paragraph.text
    for section in body.walk():
        for paragraph in section.paragraphs:
            yield paragraph.text
    for box in body.boxes:
        for paragraph in box.paragraphs:
            yield paragraph.text
    for float_ in (*body.figures, *body.tables):
        yield float_.caption


def article_matcher(article: Article) -> Matcher:
    """The vocabulary's matcher, plus the abbreviations the article's body defines."""
    matcher = vocabulary_matcher()
    if article.body is None:
        return matcher
    return matcher.extended(defined_abbreviations(article.body, matcher))


# --- statements: one per citing sentence --------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CellRole:
    """One cell type a sentence names: the words that named it, and its role (or None)."""

    cell: str
    words: tuple[str, ...]
    role: str | None = None
    role_evidence: str = ""


@dataclass(frozen=True, slots=True)
class Statement:
    """A citing sentence with what it says: cells and roles, steps, unlisted cells."""

    review_pmid: str | None
    section: str
    sentence: str
    references: tuple[int, ...]
    cells: tuple[CellRole, ...] = ()
    """In vocabulary order."""
    steps: tuple[str, ...] = ()
    """In cascade order."""
    step_words: tuple[str, ...] = ()
    unlisted: tuple[Mention, ...] = ()
    """Mentions of immune cells the vocabulary lacks (`UNLISTED_CELLS`)."""

    @property
    def evidence(self) -> dict[str, str]:
        """Each cell's evidence: the words that gave each of its tags."""
        steps = _quoted(self.step_words)
        return {
            cell.cell: "; ".join(
                part
                for part in (
                    f"cell: {_quoted(cell.words)}",
                    f"step: {steps}" if steps else "",
                    f"role: {cell.role_evidence}" if cell.role else "",
                )
                if part
            )
            for cell in self.cells
        }


def _quoted(words: Iterable[str]) -> str:
    """Distinct words, each in double quotes, joined with commas."""
    return ", ".join(f'"{word}"' for word in dict.fromkeys(words))


def citing_sentences(article: Article) -> tuple[tuple[str, str, tuple[int, ...]], ...]:
    """``(section, sentence, references)`` of each sentence of the body that cites, in
    `Body.citations` order; a sentence cited several times in one place is one, its
    references the union, ascending."""
    if article.body is None:
        return ()
    cited: dict[tuple[str, str], set[int]] = {}
    for citation in article.body.citations:
        cited.setdefault((citation.place, citation.sentence), set()).update(citation.references)
    return tuple(
        (place, sentence, tuple(sorted(refs))) for (place, sentence), refs in cited.items()
    )


def tag_sentences(article: Article, matcher: Matcher | None = None) -> tuple[Statement, ...]:
    """One `Statement` per citing sentence of the article's body, in text order (none
    without a body). ``matcher`` defaults to `article_matcher` of the article."""
    matcher = matcher or article_matcher(article)
    return tuple(
        tag_sentence(
            sentence, matcher, review_pmid=article.pmid, section=section, references=references
        )
        for section, sentence, references in citing_sentences(article)
    )


def tag_sentence(
    sentence: str,
    matcher: Matcher | None = None,
    *,
    review_pmid: str | None = None,
    section: str = "",
    references: tuple[int, ...] = (),
) -> Statement:
    """The cells, roles, steps and unlisted cells one sentence names."""
    mentions = (matcher or vocabulary_matcher()).find(sentence)
    step_order = term_names(METASTATIC_STEPS)
    steps = sorted({m.name for m in mentions if m.kind == "step"}, key=step_order.index)
    return Statement(
        review_pmid=review_pmid,
        section=section,
        sentence=sentence,
        references=references,
        cells=_named_cells(sentence, mentions),
        steps=tuple(steps),
        step_words=tuple(m.text for m in mentions if m.kind == "step"),
        unlisted=tuple(m for m in mentions if m.kind == "unlisted"),
    )


@dataclass(frozen=True, slots=True)
class Clause:
    """The mentions of one clause (between two breaks), with the sentence they are in."""

    text: str
    mentions: tuple[Mention, ...]

    def before(self, mention: Mention) -> tuple[Mention, ...]:
        """The clause's mentions that end before ``mention`` starts."""
        return tuple(m for m in self.mentions if m.end <= mention.start)

    def after(self, mention: Mention) -> tuple[Mention, ...]:
        """The clause's mentions that start after ``mention`` ends."""
        return tuple(m for m in self.mentions if m.start >= mention.end)

    def words_between(self, start: int, end: int) -> int:
        """How many words (tokens with a letter or digit) the sentence has from start to end."""
        return sum(any(char.isalnum() for char in word) for word in self.text[start:end].split())


def clauses(sentence: str, mentions: Sequence[Mention]) -> tuple[Clause, ...]:
    """The sentence's mentions, split at clause breaks (the breaks themselves dropped)."""
    found: list[list[Mention]] = [[]]
    for mention in mentions:
        if mention.kind == "break":
            found.append([])
        else:
            found[-1].append(mention)
    return tuple(Clause(sentence, tuple(part)) for part in found)


def _named_cells(sentence: str, mentions: Sequence[Mention]) -> tuple[CellRole, ...]:
    """Each vocabulary cell named, in vocabulary order, with the role its first mention
    that has one is given (`cell_role`), else the sentence-wide role (`_sentence_role`)."""
    found: dict[str, list[tuple[Mention, str | None, str]]] = {}
    for clause in clauses(sentence, mentions):
        for position, mention in enumerate(clause.mentions):
            if mention.kind != "cell" or _stands_for_listed_kinds(clause, position):
                continue
            role, evidence = cell_role(clause, position)
            found.setdefault(mention.name, []).append((mention, role, evidence))
    order = term_names(CELL_TYPES)
    fallback = _sentence_role(sentence, mentions)
    cells = []
    for name in sorted(found, key=order.index):
        roles = [(role, evidence) for _, role, evidence in found[name] if role]
        role, evidence = roles[0] if roles else fallback
        words = tuple(mention.text for mention, _, _ in found[name])
        cells.append(CellRole(name, words, role, evidence))
    return tuple(cells)


def _stands_for_listed_kinds(clause: Clause, position: int) -> bool:
    """Whether a cell type named in general (`GENERAL_CELLS`: ``immunosuppressive
    populations``) is followed by a listing word and a named kind (``including Tregs``): the
    kinds speak for it."""
    following = clause.mentions[position + 1 : position + 3]
    return (
        clause.mentions[position].name in GENERAL_CELLS
        and len(following) == 2
        and following[0].kind == "listing"
        and following[1].kind == "cell"
    )


def _sentence_role(sentence: str, mentions: Sequence[Mention]) -> tuple[str | None, str]:
    """The role a whole sentence gives cells its clauses leave without one: a role word
    that fills a column of a table row (``| Pro-tumoral |``), else a word for `SENTENCE_ROLE`
    (``dual role``)."""
    roles = [m for m in mentions if m.kind == "role"]
    for mention in roles:
        column = sentence[: mention.start].endswith(TABLE_COLUMN.lstrip())
        if column and sentence[mention.end :].startswith(TABLE_COLUMN.rstrip()):
            return mention.name, f'"{mention.text}" (table column)'
    words = [m.text for m in roles if m.name == SENTENCE_ROLE]
    return (SENTENCE_ROLE, f'"{words[0]}"') if words else (None, "")


Decision = tuple[str, Mention, str]
"""A role, the cue that gave it, and the words to show as evidence."""


def cell_role(clause: Clause, position: int) -> tuple[str | None, str]:
    """The role the clause gives the cell named at ``position``, and the words that gave it.

    The first that applies:

    1. a word for `CLAUSE_ROLE` anywhere in the clause (``depending on``);
    2. a role word inside the cell's name (``M2 macrophages``, ``immunosuppressive cells``)
       or just before it (``anti-tumour NK cells``, ``immunosuppressive cells like Tregs``,
       ``dual role of neutrophils``), see `_role_word_before`;
    3. an action acting on the cell (``suppress CD8+ T cells``), see `_acted_on`;
    4. the first cue after the cell that gives a role: a role word (``promote or inhibit``),
       or an action times its target (``suppress`` + ``anti-tumour immunity``), see
       `_cue_after`.

    Negation words between the cue and the cell, or right before the cell (``loss of NK
    cells``), turn the role round; the clause's hedges are noted in the evidence.
    """
    cell = clause.mentions[position]
    context = [m for m in clause.mentions if m.kind == "role" and m.name == CLAUSE_ROLE]
    if context:
        return CLAUSE_ROLE, _hedged(f'"{context[0].text}"', clause)
    decided = _role_word_inside(clause, position) or _role_word_before(clause, position)
    if decided is None:
        acted_on, decided = _acted_on(clause, position)
        if not acted_on:
            decided = _cue_after(clause, position)
    if decided is None:
        return None, ""
    role, cue, evidence = decided
    negations = [
        m.text for m in clause.mentions if m.kind == "negation" and _negates(clause, m, cell, cue)
    ]
    if len(negations) % 2:
        role = FLIPPED.get(role, role)
    if negations:
        evidence += f" (negated: {_quoted(negations)})"
    return role, _hedged(evidence, clause)


def _role_word_before(clause: Clause, position: int) -> Decision | None:
    """A role word at most `NEAR_WORDS` words before the cell, passing over a list of cells:
    ``immunosuppressive cells like regulatory T cells``."""
    cell = clause.mentions[position]
    edge = cell.start
    for mention in reversed(clause.before(cell)):
        if clause.words_between(mention.end, edge) > NEAR_WORDS:
            return None
        if mention.kind == "role":
            return mention.name, mention, f'"{mention.text}"'
        if mention.kind not in ("cell", "unlisted", "listing", "target"):
            return None
        edge = mention.start
    return None


def _role_word_inside(clause: Clause, position: int) -> Decision | None:
    """A role word inside the cell's name: ``immunosuppressive cells``, ``M2 macrophages``."""
    cell = clause.mentions[position]
    inside = [m for m in clause.mentions if m.kind == "role" and cell.start <= m.start < cell.end]
    return (inside[0].name, inside[0], f'"{inside[0].text}"') if inside else None


def _acted_on(clause: Clause, position: int) -> tuple[bool, Decision | None]:
    """Whether an action acts on the cell (at most `OBJECT_WORDS` words before it, only
    cells between; not when the cell acts itself, right after: ``Treg-mediated``, or when
    helped to act: ``activating NK cells to kill``), and the role that gives: the cell's side
    (`CELL_SIDES`) when the action hinders it (``suppress CD8+ T cells``: they fight the
    tumour) or helps a cell on the tumour's side (``expand Tregs``); helping immune cells
    says nothing yet of the tumour."""
    cell = clause.mentions[position]
    before = [m for m in clause.before(cell) if m.kind not in ("cell", "unlisted", "listing")]
    if not before or before[-1].kind != "action":
        return False, None
    action = before[-1]
    if clause.words_between(action.end, cell.start) > OBJECT_WORDS:
        return False, None
    after = [m for m in clause.after(cell) if m.kind not in ("cell", "unlisted")]
    if after and after[0].kind == "action" and after[0].start - cell.end <= 1:
        return False, None
    purpose = len(after) >= 2 and after[0].kind == "purpose" and after[1].kind == "action"
    if purpose and action.sign > 0:
        return False, None
    side = CELL_SIDES.get(cell.name, 0)
    if side and (action.sign < 0 or side * action.sign > 0):
        return True, (ROLE_OF_SIGN[side], action, f'"{action.text}" (acts on the cell)')
    return True, None


def _cue_after(clause: Clause, position: int) -> Decision | None:
    """The role given by the first cue after the cell that gives one: a role word, or an
    action with a target. An action on a cell gives a role only when it helps the tumour
    (``suppress CD8+ T cells``, ``enhance Treg-mediated ...``): helping immune cells is not
    yet an effect on the tumour."""
    after = clause.after(clause.mentions[position])
    for index, cue in enumerate(after):
        if cue.kind == "role":
            return cue.name, cue, f'"{cue.text}"'
        if cue.kind != "action":
            continue
        target = _target_of(after, index)
        sign = cue.sign * (target.sign if target else cue.implied)
        if target is not None and target.kind != "target" and sign < 0:
            continue
        if sign:
            words = f'"{cue.text}" + "{target.text}"' if target else f'"{cue.text}"'
            return ROLE_OF_SIGN[sign], cue, words
    return None


def _target_of(mentions: Sequence[Mention], index: int) -> Mention | None:
    """What the action at ``index`` acts on: the next target, or cell with a side
    (`CELL_SIDES`), after it and before any other action; a cell comes back as it is (its
    ``sign`` its side)."""
    for mention in mentions[index + 1 :]:
        if mention.kind == "action":
            return None
        if mention.kind == "target":
            return mention
        if mention.kind in ("cell", "unlisted") and mention.name in CELL_SIDES:
            return Mention(
                mention.start,
                mention.end,
                mention.text,
                mention.kind,
                mention.name,
                CELL_SIDES[mention.name],
            )
    return None


def _negates(clause: Clause, negation: Mention, cell: Mention, cue: Mention) -> bool:
    """Whether a negation bears on the cue that gave the cell its role: it stands between
    the cell and the cue, or right before the cell (``loss of NK cells``)."""
    low, high = sorted((cell.end, cue.start)) if cue.start >= cell.end else (cue.end, cell.start)
    if low <= negation.start < high:
        return True
    return negation.end <= cell.start and clause.words_between(negation.end, cell.start) == 0


def _hedged(evidence: str, clause: Clause) -> str:
    """The evidence, with the clause's hedges noted."""
    hedges = [m.text for m in clause.mentions if m.kind == "hedge"]
    return f"{evidence} (hedged: {_quoted(hedges)})" if hedges else evidence


# --- tables ------------------------------------------------------------------------------------


def statements_frame(articles: Article | Iterable[Article]) -> pd.DataFrame:
    """One row per (citing sentence of the body, vocabulary cell type it names), columns
    ``STATEMENT_COLUMNS``: rows in text order, then vocabulary order of cells.

    ``section`` is the citation's place, ``steps`` the cascade steps the sentence speaks of
    (cascade order), ``role`` what it says the cell does (``promotes``, ``inhibits``, ``both``,
    ``context-dependent``, ``<NA>`` when it says nothing), ``references`` the reference
    positions the sentence cites, ``evidence`` the words that gave each tag. An article
    without a body adds no rows.
    """
    rows: dict[str, list[object]] = {column: [] for column in STATEMENT_COLUMNS}
    for article in _as_articles(articles):
        for statement in tag_sentences(article):
            evidence = statement.evidence
            for cell in statement.cells:
                values = {
                    "review_pmid": statement.review_pmid,
                    "sentence": statement.sentence,
                    "section": statement.section,
                    "cell": cell.cell,
                    "steps": statement.steps,
                    "role": cell.role,
                    "references": statement.references,
                    "evidence": evidence[cell.cell],
                }
                for column, value in values.items():
                    rows[column].append(value)
    return _frame(rows, STATEMENT_COLUMNS)


def unknown_cells(articles: Article | Iterable[Article]) -> pd.DataFrame:
    """Immune cells the vocabulary lacks (`UNLISTED_CELLS`), named in citing sentences: one
    row per review and cell, columns ``UNKNOWN_COLUMNS``: how many sentences name it, the
    forms as written (first seen first), the first such sentence. Most named first, then in
    table order."""
    rows: dict[str, list[object]] = {column: [] for column in UNKNOWN_COLUMNS}
    order = term_names(UNLISTED_CELLS)
    for article in _as_articles(articles):
        sentences: dict[str, list[str]] = {}
        forms: dict[str, dict[str, None]] = {}
        for statement in tag_sentences(article):
            for mention in statement.unlisted:
                named_in = sentences.setdefault(mention.name, [])
                if statement.sentence not in named_in:
                    named_in.append(statement.sentence)
                forms.setdefault(mention.name, {})[mention.text] = None
        for name in sorted(sentences, key=lambda name: (-len(sentences[name]), order.index(name))):
            values = {
                "review_pmid": article.pmid,
                "cell": name,
                "sentences": len(sentences[name]),
                "forms": "; ".join(forms[name]),
                "example": sentences[name][0],
            }
            for column, value in values.items():
                rows[column].append(value)
    return _frame(rows, UNKNOWN_COLUMNS)


def _frame(rows: dict[str, list[object]], dtypes: dict[str, str]) -> pd.DataFrame:
    """The rows' columns, in order, each with its dtype; object columns keep their tuples."""
    columns: dict[str, object] = {}
    for column, dtype in dtypes.items():
        if dtype == "object":
            values = np.empty(len(rows[column]), dtype=object)
            for index, value in enumerate(rows[column]):
                values[index] = value
            columns[column] = values
        else:
            columns[column] = pd.array(rows[column], dtype=dtype)
    return pd.DataFrame(columns)


# --- measured against hand labels --------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LabelledSentence:
    """One hand-labelled citing sentence (``tests/data/statements/labelled.yaml``)."""

    file: str
    """The PMC id of the full text (``PMC12311175``)."""
    section: str
    sentence: str
    cells: tuple[tuple[str, str | None], ...]
    """``(cell, role)`` pairs; role None when the sentence gives none."""
    steps: tuple[str, ...] = ()
    other_cells: tuple[str, ...] = ()
    note: str = ""


def read_labels(path: str | Path) -> tuple[str, tuple[LabelledSentence, ...]]:
    """The labelling method and the labelled sentences of a labels file."""
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    labelled = tuple(
        LabelledSentence(
            file=item["file"],
            section=item["section"],
            sentence=item["sentence"],
            cells=tuple((cell["cell"], cell["role"]) for cell in item["cells"]),
            steps=tuple(item["steps"]),
            other_cells=tuple(item["other_cells"]),
            note=item.get("note") or "",
        )
        for item in data["sentences"]
    )
    return str(data["method"]), labelled


@dataclass(frozen=True, slots=True)
class Scores:
    """How the tagger's cells, steps and roles compare with hand labels."""

    sentences: int
    """Labelled sentences."""
    found: int
    """Of them, those the tagger read (a citing sentence with its section)."""
    cells: tuple[int, int, int]
    """True positives, false positives, false negatives over (sentence, cell) pairs."""
    steps: tuple[int, int, int]
    """The same over (sentence, step) pairs."""
    roles: tuple[int, int]
    """Correct roles, and (sentence, cell) pairs both the labels and the tagger have."""

    @property
    def cell_precision(self) -> float:
        return _ratio(self.cells[0], self.cells[0] + self.cells[1])

    @property
    def cell_recall(self) -> float:
        return _ratio(self.cells[0], self.cells[0] + self.cells[2])

    @property
    def step_precision(self) -> float:
        return _ratio(self.steps[0], self.steps[0] + self.steps[1])

    @property
    def step_recall(self) -> float:
        return _ratio(self.steps[0], self.steps[0] + self.steps[2])

    @property
    def role_accuracy(self) -> float:
        return _ratio(*self.roles)


def _ratio(part: int, whole: int) -> float:
    return part / whole if whole else float("nan")


def score_statements(
    labels: Iterable[LabelledSentence], statements: Mapping[str, Iterable[Statement]]
) -> Scores:
    """Precision and recall of cells and steps, and role accuracy, of the tagger's
    ``statements`` (by file: PMC id) against ``labels``. A labelled sentence the tagger did
    not read counts as tagged with nothing; a role is right when it equals the label's
    (None included)."""
    by_sentence = {
        (file, statement.section, statement.sentence): statement
        for file, found in statements.items()
        for statement in found
    }
    labels = tuple(labels)
    cells = [0, 0, 0]
    steps = [0, 0, 0]
    roles = [0, 0]
    found = 0
    for label in labels:
        statement = by_sentence.get((label.file, label.section, label.sentence))
        found += statement is not None
        tagged = {cell.cell: cell.role for cell in statement.cells} if statement else {}
        wanted = dict(label.cells)
        _count(cells, set(tagged), set(wanted))
        _count(steps, set(statement.steps if statement else ()), set(label.steps))
        for cell in tagged.keys() & wanted.keys():
            roles[1] += 1
            roles[0] += tagged[cell] == wanted[cell]
    return Scores(len(labels), found, tuple(cells), tuple(steps), tuple(roles))  # type: ignore[arg-type]


def _count(counts: list[int], tagged: set[str], wanted: set[str]) -> None:
    counts[0] += len(tagged & wanted)
    counts[1] += len(tagged - wanted)
    counts[2] += len(wanted - tagged)
