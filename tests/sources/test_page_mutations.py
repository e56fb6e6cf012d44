"""Mutation tests: damaged copies of the seed pages never crash the reader or lose a reference.

A saved page can reach reviewbook cut short, re-encoded, with Windows line endings, with stray
markup or with lines lost or repeated. Two promises must hold for any such damage:

* `parse_pubmed_page` returns an `Article` or raises `PubMedPageError`, never anything else;
* a reference line that survives intact under the "References" heading is read as a reference.

The first half of this file applies thousands of random mutations (reproducibly seeded) to the two
seed pages and checks both promises; the second half pins down, mutation by mutation, exactly
what the reader makes of one damaged page.
"""

from __future__ import annotations

import dataclasses
import random
import re
import traceback
from collections import Counter
from collections.abc import Callable

import pytest

from reviewbook import Article, PubMedPageError, Reference, parse_pubmed_page
from reviewbook.errors import Problem
from reviewbook.sources.page_layout import SECTION_HEADINGS
from tests.conftest import PUBMED

PUBMED_DIR = PUBMED
SEED_PMIDS = ("29037250", "21387299")
SEEDS = {pmid: (PUBMED_DIR / f"{pmid}.txt").read_text(encoding="utf-8") for pmid in SEED_PMIDS}

REFERENCE_PREFIX = "    1. "
"""How the seeds print every reference line: indented, and always numbered ``1.``."""


def reference_lines(text: str) -> list[str]:
    return [line for line in text.split("\n") if line.startswith(REFERENCE_PREFIX)]


def printed_reference(line: str) -> str:
    """A reference line as `Reference.raw` should hold it: stripped, numbering removed."""
    return line.strip().removeprefix("1. ").strip()


# --- mutations -----------------------------------------------------------------------------------
# Each takes the page text and a seeded random source, and returns the damaged text.

Mutation = Callable[[str, random.Random], str]

HTML_TAGS = (
    "<p>",
    "</p>",
    "<b>",
    "</span>",
    "<br/>",
    '<a href="https://pubmed.ncbi.nlm.nih.gov/">',
    "<div class='abstract'>",
    "<!DOCTYPE html>",
    "<html>",
)


def truncate(text: str, rng: random.Random) -> str:
    return text[: rng.randrange(len(text) + 1)]


def delete_lines(text: str, rng: random.Random) -> str:
    lines = text.split("\n")
    for _ in range(rng.randint(1, 3)):
        if lines:
            del lines[rng.randrange(len(lines))]
    return "\n".join(lines)


def duplicate_lines(text: str, rng: random.Random) -> str:
    lines = text.split("\n")
    for _ in range(rng.randint(1, 3)):
        source = rng.randrange(len(lines))
        target = source + 1 if rng.random() < 0.5 else rng.randrange(len(lines) + 1)
        lines.insert(target, lines[source])
    return "\n".join(lines)


def swap_adjacent_lines(text: str, rng: random.Random) -> str:
    lines = text.split("\n")
    if len(lines) > 1:
        at = rng.randrange(len(lines) - 1)
        lines[at], lines[at + 1] = lines[at + 1], lines[at]
    return "\n".join(lines)


def reencode_line(text: str, rng: random.Random) -> str:
    """One line's bytes in another encoding read back as UTF-8, or UTF-8 read as Windows-1252."""
    lines = text.split("\n")
    at = rng.randrange(len(lines))
    codec = rng.choice(["latin-1", "cp1252", "utf-16", "mojibake"])
    if codec == "mojibake":
        lines[at] = lines[at].encode("utf-8").decode("cp1252", errors="replace")
    else:
        lines[at] = lines[at].encode(codec, errors="replace").decode("utf-8", errors="replace")
    return "\n".join(lines)


def crlf_line_endings(text: str, rng: random.Random) -> str:
    if rng.random() < 0.5:
        return text.replace("\n", "\r\n")
    lines = text.split("\n")
    return "".join(line + rng.choice(["\n", "\r\n", "\r"]) for line in lines[:-1]) + lines[-1]


def byte_order_mark(text: str, rng: random.Random) -> str:
    return "\ufeff" + text


def nul_byte(text: str, rng: random.Random) -> str:
    at = rng.randrange(len(text) + 1)
    return text[:at] + "\x00" + text[at:]


def html_tag(text: str, rng: random.Random) -> str:
    at = rng.randrange(len(text) + 1)
    return text[:at] + rng.choice(HTML_TAGS) + text[at:]


def cut_line_in_half(text: str, rng: random.Random) -> str:
    lines = text.split("\n")
    at = rng.randrange(len(lines))
    line = lines[at]
    cut = rng.randrange(len(line) + 1)
    lines[at : at + 1] = [line[:cut], line[cut:]]
    return "\n".join(lines)


def blank_lines(text: str, rng: random.Random) -> str:
    lines = text.split("\n")
    for _ in range(rng.randint(1, 5)):
        lines.insert(rng.randrange(len(lines) + 1), rng.choice(["", "   ", "\t"]))
    return "\n".join(lines)


MUTATIONS: tuple[Mutation, ...] = (
    truncate,
    delete_lines,
    duplicate_lines,
    swap_adjacent_lines,
    reencode_line,
    crlf_line_endings,
    byte_order_mark,
    nul_byte,
    html_tag,
    cut_line_in_half,
    blank_lines,
)


def mutate(text: str, case: int) -> tuple[str, list[str]]:
    """The page damaged by one to three mutations drawn for this case number, and their names."""
    rng = random.Random(case)
    names = []
    for _ in range(rng.randint(1, 3)):
        mutation = rng.choice(MUTATIONS)
        text = mutation(text, rng)
        names.append(mutation.__name__)
    return text, names


# --- the oracle ----------------------------------------------------------------------------------


def references_that_must_survive(original: str, mutated: str) -> list[str]:
    """Reference lines of the seed still intact, each under a References heading in the damage.

    A line counts when it appears unchanged (trailing whitespace aside) and the nearest section
    heading line above it is "References". Lines are split the way a text reader splits them.
    """
    intact = set(reference_lines(original))
    lines = re.split(r"\r\n|\r|\n", mutated.removeprefix("\ufeff"))
    section = None
    survivors = []
    for line in lines:
        heading = SECTION_HEADINGS.get(line.strip().lower())
        if heading:
            section = heading
        elif section == "References" and line.rstrip() in intact:
            survivors.append(printed_reference(line))
    return survivors


def mutation_failure(pmid: str, mutated: str) -> str | None:
    """What went wrong reading this damaged page, or None if both promises held."""
    try:
        article = parse_pubmed_page(mutated, pmid=pmid)
    except PubMedPageError:
        return None
    except Exception:
        return f"raised {traceback.format_exc(limit=-3)}"
    raws = [reference.raw for reference in article.references]
    # A line printed twice must be read twice: compare as multisets.
    lost = Counter(references_that_must_survive(SEEDS[pmid], mutated)) - Counter(raws)
    if lost:
        return f"lost reference lines {sorted(lost.elements())!r}; read {raws!r}"
    indexes = [reference.index for reference in article.references]
    if indexes != list(range(1, len(indexes) + 1)):
        return f"reference indexes {indexes} do not count 1, 2, 3, ..."
    return None


CASES_PER_SEED = 1500
CHUNK = 100


@pytest.mark.parametrize("first_case", range(0, CASES_PER_SEED, CHUNK), ids=lambda n: f"cases{n}")
@pytest.mark.parametrize("pmid", SEED_PMIDS)
def test_damaged_page_is_read_or_rejected_and_keeps_its_intact_references(
    pmid: str, first_case: int
):
    failures = []
    for case in range(first_case, first_case + CHUNK):
        mutated, names = mutate(SEEDS[pmid], case)
        problem = mutation_failure(pmid, mutated)
        if problem:
            failures.append(f"case {case} ({', '.join(names)}): {problem}\n{mutated!r}")
    assert not failures, (
        f"{len(failures)} of {CHUNK} damaged copies of {pmid} failed; reproduce one with "
        f"mutate(SEEDS[{pmid!r}], case).\n\n" + "\n\n".join(failures)
    )


def test_mutations_are_reproducible_from_the_case_number():
    assert mutate(SEEDS["29037250"], 41) == mutate(SEEDS["29037250"], 41)
    assert mutate(SEEDS["29037250"], 41) != mutate(SEEDS["29037250"], 42)


# --- one damage at a time, with exact expectations ----------------------------------------------

JANSSEN = SEEDS["29037250"]
EREZ = SEEDS["21387299"]
JANSSEN_REFERENCES = reference_lines(JANSSEN)
JANSSEN_RAWS = [printed_reference(line) for line in JANSSEN_REFERENCES]


def raws(article: Article) -> list[str]:
    return [reference.raw for reference in article.references]


def indexes(article: Article) -> list[int]:
    return [reference.index for reference in article.references]


def line_number(text: str, line: str) -> int:
    return text.split("\n").index(line) + 1


def without_sha256(article: Article) -> Article:
    return dataclasses.replace(article, sha256=None)


def test_seed_pages_have_five_reference_lines_each():
    assert len(JANSSEN_REFERENCES) == 5
    assert len(reference_lines(EREZ)) == 5
    assert raws(parse_pubmed_page(JANSSEN)) == JANSSEN_RAWS


def test_page_cut_after_its_third_reference_keeps_three_references():
    third = JANSSEN_REFERENCES[2]
    cut = JANSSEN[: JANSSEN.index(third) + len(third)]

    article = parse_pubmed_page(cut)

    assert raws(article) == JANSSEN_RAWS[:3]
    assert article.references[2].raw == (
        "van Zijl F, Krupitza G, Mikulits W. Initial steps of metastasis: cell invasion and "
        "endothelial transmigration. Mutat Res. 2011;728(1–2):23–34. "
        "doi: 10.1016/j.mrrev.2011.05.002. - DOI - PMC - PubMed"
    )
    assert article.references[2].doi == "10.1016/j.mrrev.2011.05.002"
    assert article.title == "The immune system in cancer metastasis: friend or foe?"


def test_page_cut_inside_a_reference_keeps_the_partial_reference_as_printed():
    fourth = JANSSEN_REFERENCES[3]
    cut = JANSSEN[: JANSSEN.index(fourth) + len("    1. Pantel K, Brakenhoff RH. Dissecting")]

    article = parse_pubmed_page(cut)

    assert raws(article) == [*JANSSEN_RAWS[:3], "Pantel K, Brakenhoff RH. Dissecting"]
    assert article.references[3].index == 4
    assert article.references[3].year is None
    assert article.references[3].doi is None


def test_page_cut_before_its_title_is_rejected():
    cut = JANSSEN[: JANSSEN.index("The immune system in cancer metastasis")]

    with pytest.raises(PubMedPageError, match="no article title found"):
        parse_pubmed_page(cut)


def test_stray_section_heading_above_the_title_still_reads_the_article():
    # Found by the random mutations (29037250 case 628, 21387299 case 847): a heading line
    # repeated into the page header hides the title, and the whole page is rejected.
    damaged = JANSSEN.replace("\n. 2017 Oct 17", "\nCited by\n. 2017 Oct 17", 1)

    article = parse_pubmed_page(damaged)

    assert article.title == "The immune system in cancer metastasis: friend or foe?"
    assert article.doi == "10.1186/s40425-017-0283-9"
    assert raws(article) == JANSSEN_RAWS


def test_deleted_reference_line_leaves_the_others_renumbered():
    damaged = JANSSEN.replace(JANSSEN_REFERENCES[1] + "\n", "")

    article = parse_pubmed_page(damaged)

    assert raws(article) == [JANSSEN_RAWS[0], *JANSSEN_RAWS[2:]]
    assert indexes(article) == [1, 2, 3, 4]


def test_duplicated_references_heading_still_gives_five_references_in_order():
    damaged = JANSSEN.replace("\nReferences\n", "\nReferences\nReferences\n")

    article = parse_pubmed_page(damaged)

    assert raws(article) == JANSSEN_RAWS
    assert indexes(article) == [1, 2, 3, 4, 5]


def test_duplicated_reference_line_is_read_twice():
    first = JANSSEN_REFERENCES[0]
    damaged = JANSSEN.replace(first, f"{first}\n{first}")

    article = parse_pubmed_page(damaged)

    assert raws(article) == [JANSSEN_RAWS[0], *JANSSEN_RAWS]
    assert indexes(article) == [1, 2, 3, 4, 5, 6]


def test_swapped_reference_lines_are_read_in_their_new_order():
    first, second = JANSSEN_REFERENCES[:2]
    damaged = JANSSEN.replace(f"{first}\n{second}", f"{second}\n{first}")

    article = parse_pubmed_page(damaged)

    assert raws(article) == [JANSSEN_RAWS[1], JANSSEN_RAWS[0], *JANSSEN_RAWS[2:]]
    assert article.references[0].authors == ("Hanahan D", "Weinberg RA")
    assert article.references[0].index == 1


def test_reference_line_saved_as_latin1_keeps_question_marks_for_lost_characters():
    first = JANSSEN_REFERENCES[0]
    damaged_line = first.encode("latin-1", errors="replace").decode("utf-8", errors="replace")
    damaged = JANSSEN.replace(first, damaged_line)

    article = parse_pubmed_page(damaged)

    assert article.references[0].raw == (
        "Weigelt B, Peterse JL. Van ?t veer LJ. Breast cancer metastasis: markers and models. "
        "Nat. Rev. Cancer. 2005;5(8):591?602. - PubMed"
    )
    assert raws(article)[1:] == JANSSEN_RAWS[1:]


def test_reference_line_in_utf8_read_as_windows_1252_is_repaired():
    first = JANSSEN_REFERENCES[0]
    damaged = JANSSEN.replace(first, first.encode("utf-8").decode("cp1252", errors="replace"))

    article = parse_pubmed_page(damaged)

    assert raws(article) == JANSSEN_RAWS
    number = line_number(JANSSEN, first)
    assert article.warnings == (
        Problem(number, "encoding", "repaired characters garbled by a wrong text encoding"),
    )


def test_reference_line_in_utf16_is_rejected_as_binary_at_its_line():
    third = JANSSEN_REFERENCES[2]
    damaged = JANSSEN.replace(third, third.encode("utf-16").decode("utf-8", errors="replace"))

    with pytest.raises(PubMedPageError, match="binary data") as raised:
        parse_pubmed_page(damaged)

    assert raised.value.line == line_number(JANSSEN, third)


@pytest.mark.parametrize("pmid", SEED_PMIDS)
def test_crlf_line_endings_and_bom_read_like_the_original(pmid: str):
    original = parse_pubmed_page(SEEDS[pmid], pmid=pmid)
    damaged = parse_pubmed_page("\ufeff" + SEEDS[pmid].replace("\n", "\r\n"), pmid=pmid)

    assert damaged.sha256 != original.sha256
    assert without_sha256(damaged) == without_sha256(original)


def test_nul_byte_is_rejected_as_binary_at_its_line():
    fourth = JANSSEN_REFERENCES[3]
    damaged = JANSSEN.replace(fourth, fourth + "\x00")

    with pytest.raises(PubMedPageError, match="binary data") as raised:
        parse_pubmed_page(damaged)

    assert raised.value.line == line_number(JANSSEN, fourth)


def test_html_source_before_the_page_is_rejected_at_line_one():
    with pytest.raises(PubMedPageError, match="HTML source") as raised:
        parse_pubmed_page("<!DOCTYPE html>\n<html><body>\n" + JANSSEN)

    assert raised.value.line == 1


def test_stray_html_tag_in_the_abstract_keeps_every_reference():
    damaged = JANSSEN.replace("Metastatic disease is", "<p>Metastatic disease is", 1)

    article = parse_pubmed_page(damaged)

    assert article.abstract is not None
    assert article.abstract.startswith("<p>Metastatic disease is")
    assert raws(article) == JANSSEN_RAWS


def test_reference_line_cut_in_half_becomes_two_references():
    second = JANSSEN_REFERENCES[1]
    cut = second.index(" the next generation")
    damaged = JANSSEN.replace(second, f"{second[:cut]}\n{second[cut:]}")

    article = parse_pubmed_page(damaged)

    assert raws(article) == [
        JANSSEN_RAWS[0],
        "Hanahan D, Weinberg RA. Hallmarks of cancer:",
        "the next generation. Cell. 2011;144(5):646–674. doi: 10.1016/j.cell.2011.02.013. "
        "- DOI - PubMed",
        *JANSSEN_RAWS[2:],
    ]
    assert indexes(article) == [1, 2, 3, 4, 5, 6]


@pytest.mark.parametrize("pmid", SEED_PMIDS)
def test_blank_lines_between_every_line_change_nothing_but_the_digest(pmid: str):
    original = parse_pubmed_page(SEEDS[pmid], pmid=pmid)
    damaged = parse_pubmed_page(SEEDS[pmid].replace("\n", "\n\n  \n"), pmid=pmid)

    assert without_sha256(damaged) == without_sha256(original)


# --- cut pages: at every line and inside words -------------------------------------------------
# What a page cut after each line must give, keyed by its last non-blank line: an exception
# ("raise", reason start, line) or the exact problems. Lines not listed give no problem at all.

NOT_A_PAGE = ("raise", "not a PubMed abstract page", 1)
HEADER_END = "page ends in its header: no abstract or sections follow"
CUT_AFTER_LINE: dict[str, dict[int, object]] = {
    "29037250": {
        **dict.fromkeys(range(1, 16), NOT_A_PAGE),
        **{line: ("raise", "no article title found", line) for line in range(16, 20)},
        21: ("raise", "the page ends in its title line", 21),
        **{line: (Problem(line, "cut", HEADER_END),) for line in (23, 24, 26, 28)},
        30: (Problem(30, "cut", 'page cut after the heading "Abstract"'),),
        36: (Problem(36, "cut", 'page cut after the heading "Conflict of interest statement"'),),
        **{
            line: (
                Problem(line, "cut", f'section "Conflict of interest statement" cut at "{cut}"'),
            )
            for line, cut in (
                (38, "Authors’ information"),
                (42, "...and consent to participate"),
                (46, "Consent for publication"),
                (50, "Competing interests"),
                (54, "Publisher’s Note"),
            )
        },
        62: (Problem(62, "cut", 'page cut after the heading "References"'),),
    },
    "21387299": {
        **dict.fromkeys(range(1, 16), NOT_A_PAGE),
        **{line: ("raise", "no article title found", line) for line in range(16, 20)},
        21: ("raise", "the page ends in its title line", 21),
        **{line: (Problem(line, "cut", HEADER_END),) for line in (23, 24, 26, 28)},
        30: (Problem(30, "cut", 'page cut after the heading "Abstract"'),),
        36: (Problem(36, "cut", 'page cut after the heading "Figures"'),),
        38: (Problem(38, "cut", 'figure "Figure" cut before its title'),),
        39: (Problem(39, "cut", 'figure "Figure" cut before its caption'),),
        42: (Problem(42, "cut", 'page cut after the heading "References"'),),
    },
}


def outcome(text: str) -> object:
    try:
        return parse_pubmed_page(text).warnings
    except PubMedPageError as error:
        reason = next(
            r
            for r in (
                "not a PubMed abstract page",
                "no article title found",
                "the page ends in its title line",
            )
            if error.reason.startswith(r)
        )
        return ("raise", reason, error.line)


@pytest.mark.parametrize("pmid", SEED_PMIDS)
def test_page_cut_after_every_line_gives_exactly_the_named_problems(pmid: str):
    lines = SEEDS[pmid].split("\n")
    for count in range(1, len(lines) + 1):
        last = max(n for n in range(1, count + 1) if lines[n - 1].strip())
        expected = CUT_AFTER_LINE[pmid].get(last, ())
        if isinstance(expected, tuple) and expected[:1] == ("raise",) and last < 16:
            expected = NOT_A_PAGE
        elif isinstance(expected, tuple) and expected[:1] == ("raise",):
            expected = (*expected[:2], count if expected[1] == "no article title found" else last)
        assert outcome("\n".join(lines[:count])) == expected, f"cut after line {count}"


def assert_nothing_invented(cut: Article, whole: Article) -> None:
    """Every field of the cut page is the whole page's value, empty, or a prefix of its text."""
    texts = ("abstract", "abstract_sections", "sections", "figures", "references", "warnings")
    for field in dataclasses.fields(Article):
        if field.name not in (*texts, "article_types", "keywords", "sha256"):
            assert getattr(cut, field.name) in (getattr(whole, field.name), None), field.name
    assert whole.article_types[: len(cut.article_types)] == cut.article_types
    assert (whole.abstract or "").startswith(cut.abstract or "")
    for (heading, text), (whole_heading, whole_text) in zip(
        cut.sections, whole.sections, strict=False
    ):
        assert heading == whole_heading and whole_text.startswith(text)
    for figure, whole_figure in zip(cut.figures, whole.figures, strict=False):
        assert whole_figure.title.startswith(figure.title)
        assert whole_figure.caption.startswith(figure.caption)
    for reference, whole_reference in zip(cut.references[:-1], whole.references, strict=False):
        assert reference == whole_reference
    if cut.references:  # the last one may be cut: what it holds is printed or left empty
        last, whole_last = cut.references[-1], whole.references[len(cut.references) - 1]
        assert f"1. {whole_last.raw}".startswith(last.raw) or whole_last.raw.startswith(last.raw)
        for field in dataclasses.fields(Reference):
            if field.name not in ("index", "raw", "links", "warnings"):
                value = getattr(last, field.name)
                assert value in (getattr(whole_last, field.name), None, (), "unknown"), field.name
        assert last.links <= whole_last.links


@pytest.mark.parametrize("pmid", SEED_PMIDS)
def test_page_cut_at_any_character_invents_nothing_and_names_at_most_one_cut(pmid: str):
    whole = parse_pubmed_page(SEEDS[pmid])
    for end in range(len(SEEDS[pmid]) + 1):
        try:
            cut = parse_pubmed_page(SEEDS[pmid][:end])
        except PubMedPageError:
            continue
        assert_nothing_invented(cut, whole)
        assert all(problem.kind == "cut" for problem in cut.warnings), end
        assert len(cut.warnings) <= 1, end


WORD_CUTS: list[tuple[str, str, object]] = [
    (
        "29037250",
        "Over a century ago, experim",
        (Problem(32, "cut", 'abstract cut at "...Over a century ago, experim"'),),
    ),
    ("29037250", "PubMed D", (Problem(34, "cut", 'heading cut at "PubMed D"'),)),
    ("29037250", "Conflict of int", (Problem(36, "cut", 'heading cut at "Conflict of int"'),)),
    (
        "29037250",
        "LinkOut - more res",
        (Problem(70, "cut", 'heading cut at "LinkOut - more res"'),),
    ),
    (
        "29037250",
        "Louise M E Janssen\u00a0et al. J Immunother Ca",
        (Problem(28, "cut", 'page header cut at "...Janssen et al. J Immunother Ca"'),),
    ),
    ("29037250", "Affil", (Problem(23, "cut", 'heading cut at "Affil"'),)),
    ("29037250", "\n. 201", ("raise", "no article title found", 18)),
    ("29037250", "The immune system in canc", ("raise", "the page ends in its title line", 21)),
    (
        "29037250",
        "Brakenhoff RH. Dissecting the metastatic cascade. Nat Rev Cancer. 2004;4(6):448–4",
        (Problem(67, "cut", 'reference 4 cut at "...Nat Rev Cancer. 2004;4(6):448–4"'),),
    ),
    (
        "21387299",
        "recruitment of glial cells in br",
        (Problem(40, "cut", 'figure "Figure" caption cut at "...of glial cells in br"'),),
    ),
    ("21387299", "Publication ty", (Problem(50, "cut", 'heading cut at "Publication ty"'),)),
]


@pytest.mark.parametrize(
    ("pmid", "through", "expected"), WORD_CUTS, ids=[c[1][:24] for c in WORD_CUTS]
)
def test_page_cut_inside_a_word_names_the_cut_field(pmid: str, through: str, expected: object):
    text = SEEDS[pmid]
    cut = text[: text.index(through) + len(through)]
    assert outcome(cut) == expected


def test_cut_authors_line_gives_no_values_and_a_cut_reference_only_its_whole_fields():
    header_cut = JANSSEN[: JANSSEN.index("J Immunother Ca") + len("J Immunother Ca")]
    article = parse_pubmed_page(header_cut)
    assert (article.authors_display, article.first_author, article.journal) == (None, None, None)
    reference_cut = JANSSEN[: JANSSEN.index("2004;4(6):448–4") + len("2004;4(6):448–4")]
    last = parse_pubmed_page(reference_cut).references[-1]
    assert (last.kind, last.journal, last.year, last.volume, last.issue) == (
        "article-journal",
        "Nat Rev Cancer",
        2004,
        "4",
        "6",
    )
    assert (last.first_page, last.last_page, last.doi) == (None, None, None)  # cut in the pages
    assert [problem.kind for problem in last.warnings] == ["cut"]


def test_control_character_python_counts_as_whitespace_is_rejected_as_binary():
    # Found by the fuzz campaign: "\x1f" is stripped by str.rstrip, so no line held it.
    with pytest.raises(PubMedPageError, match="binary data") as raised:
        parse_pubmed_page(JANSSEN.replace("Review\n", "Review\x1f\n", 1))
    assert raised.value.line == 17
