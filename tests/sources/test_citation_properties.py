"""Property tests: a reference printed in NLM style reads back to the fields it was printed from.

The strategies below build the fields of a realistic journal reference (authors, title, journal,
date, volume, issue, pages, DOI, link labels), print them the way PubMed prints a reference
list entry, and check that `parse_citation` recovers every field. A second property checks
that `journal_key` ignores how a journal's name is abbreviated and punctuated.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from hypothesis import example, given, settings
from hypothesis import strategies as st

from reviewbook import journal_key, parse_citation
from reviewbook.model import LINK_LABELS, Notice

# Reproducible in CI: the same 300 examples on every run, nothing remembered between runs.
REPRODUCIBLE = settings(max_examples=300, deadline=None, derandomize=True, database=None)

# --- authors -------------------------------------------------------------------------------------

LOWER = "abcdefghijklmnopqrstuvwxyzáàâäãåçéèêëíìîïñóòôöøúùûüýß"
UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZÁÂÄÅÇÉÈÍÎÑÓÖØÚÜŁŠŽ"

# Initials are ASCII capitals: MEDLINE prints initials without diacritics.
INITIALS = st.text("ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=1, max_size=3)
NAME_SUFFIXES = st.sampled_from(["", "", "", "", " Jr", " Sr", " II", " III", " 2nd"])
PARTICLES = st.sampled_from(["van", "van der", "van den", "de", "de la", "del", "von", "da", "dos"])
APOSTROPHES = st.sampled_from(["'", "’", "‘"])


@st.composite
def name_words(draw: st.DrawFn) -> str:
    """One capitalised name word: ``Müller``, ``Ångström``, ``Nuñez``."""
    return draw(st.sampled_from(UPPER)) + draw(st.text(LOWER, min_size=1, max_size=10))


@st.composite
def surnames(draw: st.DrawFn) -> str:
    """A surname as PubMed prints it: plain, hyphenated, Irish, Scottish, Dutch or Iberian."""
    form = draw(st.sampled_from(["plain", "hyphen", "o", "mac", "particle", "tussenvoegsel"]))
    word = draw(name_words())
    if form == "hyphen":
        return f"{word}-{draw(name_words())}"
    if form == "o":  # O'Brien, D'Amico
        return f"{draw(st.sampled_from(['O', 'D']))}{draw(APOSTROPHES)}{word}"
    if form == "mac":  # MacDonald, McLeod
        return draw(st.sampled_from(["Mac", "Mc"])) + word
    if form == "particle":  # van Zijl, de la Cruz, Van der Berg
        particle = draw(PARTICLES)
        if draw(st.booleans()):
            particle = particle[0].upper() + particle[1:]
        return f"{particle} {word}"
    if form == "tussenvoegsel":  # van 't Hoff, and as the Janssen seed prints it: Van ‘t veer
        van = draw(st.sampled_from(["van", "Van"]))
        last = word if draw(st.booleans()) else word.lower()
        return f"{van} {draw(APOSTROPHES)}t {last}"
    return word


@st.composite
def authors(draw: st.DrawFn) -> str:
    """``Surname INITIALS`` with an occasional generational suffix: ``Smith AB Jr``."""
    return f"{draw(surnames())} {draw(INITIALS)}{draw(NAME_SUFFIXES)}"


# --- title ---------------------------------------------------------------------------------------

TITLE_VOCABULARY = """
metastasis metastatic tumor tumour cancer cells cell immune immunity response the of in and
by for with from to a an role new old markers models niche colonization dissemination
organ-specific pre-metastatic T NK CD8+ CD4+ IL-6 TGF-β IFN-γ 2 3 10 p53 mice human breast
lung melanoma myeloid-derived suppressor macrophages neutrophils platelets dormancy invasion
extravasation circulating next generation hallmarks friend foe evidence 2011 (CTCs) (review)
cells, tumours, models; 1.5-fold 2.0 [metastasis] β-catenin
"""
TITLE_WORDS = tuple(TITLE_VOCABULARY.split())


def _reads_as_journal_abbreviation(title: str) -> bool:
    """A title of at most three capitalised words, like ``The NK Cell`` or ``Metastasis``.

    Printed before a dotted journal (``The NK Cell. Nat. Rev. Cancer.``) such a title cannot be
    told from the journal's first abbreviated words, so the reader may take it as part of the
    journal: genuinely ambiguous, and left out here. A title ending in ``?`` is kept, since no
    journal abbreviation ends with one.
    """
    words = title.split()
    return not title.endswith("?") and len(words) <= 3 and all(w[:1].isupper() for w in words)


@st.composite
def titles(draw: st.DrawFn) -> str:
    """A title of 2–12 words; it may hold a colon, and may end with a question mark."""
    words = draw(st.lists(st.sampled_from(TITLE_WORDS), min_size=2, max_size=12))
    words[0] = words[0][0].upper() + words[0][1:]
    if draw(st.booleans()) and len(words) > 3:
        at = draw(st.integers(1, len(words) - 2))
        words[at] += ":"
    title = " ".join(words)
    if draw(st.integers(0, 4)) == 0:
        title += "?"
    return title


def unambiguous_titles() -> st.SearchStrategy[str]:
    return titles().filter(lambda title: not _reads_as_journal_abbreviation(title))


# --- source: journal, date, volume, issue, pages -------------------------------------------------

JOURNALS = (
    "Nat Rev Cancer",
    "Nat. Rev. Cancer",
    "Cell",
    "Nature",
    "Science",
    "J Immunol",
    "J. Immunol",
    "Proc Natl Acad Sci U S A",
    "Proc. Natl. Acad. Sci. U.S.A",
    "Cancer Res",
    "Nat. Immunol",
    "Int J Cancer",
    "Int. J. Cancer",
    "J Immunother Cancer",
    "J Exp Med",
    "J. Exp. Med",
    "N Engl J Med",
    "Nat Immunol",
    "Cancer Cell",
    "Mutat Res",
    "Clin Exp Metastasis",
    "Cancer Immunol Immunother",
    "Semin Cancer Biol",
    "Oncoimmunology",
    "Lancet",
    "JAMA",
    "Blood",
    "Immunity",
    "PLoS One",
    "Front Immunol",
    "Br J Cancer",
    "Cancer Metastasis Rev",
    "J Clin Invest",
    "Nat. Med",
    "Sci Transl Med",
    "EMBO J",
)
"""Journals as printed in reference lists, each without its closing period."""

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@st.composite
def dates(draw: st.DrawFn) -> tuple[str, int]:
    """``2011``, ``2011 Mar``, ``2011 Mar 4`` or ``2011 Jan-Feb``, and the year."""
    year = draw(st.integers(1950, 2025))
    form = draw(st.sampled_from(["year", "month", "day", "months"]))
    month = draw(st.sampled_from(MONTHS))
    printed = {
        "year": f"{year}",
        "month": f"{year} {month}",
        "day": f"{year} {month} {draw(st.integers(1, 31))}",
        "months": f"{year} {month}-{draw(st.sampled_from(MONTHS))}",
    }[form]
    return printed, year


@st.composite
def volumes(draw: st.DrawFn) -> str:
    volume = str(draw(st.integers(1, 9999)))
    return volume + draw(st.sampled_from(["", "", "", " Suppl 1", " Suppl 2", " Pt 1"]))


@st.composite
def issues(draw: st.DrawFn) -> str | None:
    number = draw(st.integers(1, 52))
    return draw(
        st.sampled_from([None, str(number), f"{number}-{number + 1}", f"{number}–{number + 1}"])
    )


@st.composite
def page_ranges(draw: st.DrawFn) -> tuple[str, str, str | None]:
    """Pages as printed, then the first and last page expected after expansion.

    Ranges are printed in full (``646–674``) or abbreviated MEDLINE-style by dropping leading
    digits the last page shares with the first (``2536-44`` for 2536 to 2544).
    """
    form = draw(st.sampled_from(["single", "range", "elocation", "supplement"]))
    dash = draw(st.sampled_from(["-", "–"]))
    if form == "elocation":
        location = f"e{draw(st.integers(1, 999999))}"
        return location, location, None
    first = draw(st.integers(1, 99999))
    if form == "single":
        return str(first), str(first), None
    last = first + draw(st.integers(1, 999))
    first_text, last_text = str(first), str(last)
    shared = 0
    if len(first_text) == len(last_text):
        while shared < len(first_text) - 1 and first_text[shared] == last_text[shared]:
            shared += 1
    dropped = draw(st.integers(0, shared))
    printed_last = last_text[dropped:]
    if form == "supplement":  # S12-5 or S12-S15: the S of the first page carries over
        printed_last = draw(st.sampled_from(["", "S"])) + printed_last
        return f"S{first_text}{dash}{printed_last}", f"S{first_text}", f"S{last_text}"
    return f"{first_text}{dash}{printed_last}", first_text, last_text


DOI_SUFFIX_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"


@st.composite
def dois(draw: st.DrawFn) -> str:
    """``10.1016/j.cell.2011.02.013``-like DOIs; inner ``.-_/()`` but never a trailing one."""
    prefix = draw(st.integers(1000, 99999))
    pieces = draw(
        st.lists(st.text(DOI_SUFFIX_CHARS, min_size=1, max_size=8), min_size=1, max_size=4)
    )
    separators = draw(
        st.lists(
            st.sampled_from([".", "-", "_", "/"]),
            min_size=len(pieces) - 1,
            max_size=len(pieces) - 1,
        )
    )
    suffix = pieces[0] + "".join(
        sep + piece for sep, piece in zip(separators, pieces[1:], strict=True)
    )
    if draw(st.booleans()):  # Lancet-style: 10.1016/S0140-6736(11)60000-0
        suffix = f"S{draw(st.integers(1000, 9999))}-6736({draw(st.integers(10, 99))}){suffix}"
    return f"10.{prefix}/{suffix}"


# --- a whole reference ---------------------------------------------------------------------------


@dataclass(frozen=True)
class PrintedReference:
    """The fields a reference was printed from, and the line PubMed would print."""

    line: str
    authors: tuple[str, ...]
    title: str
    journal: str
    year: int
    volume: str
    issue: str | None
    first_page: str
    last_page: str | None
    doi: str | None
    links: frozenset[str]


@st.composite
def nlm_references(draw: st.DrawFn) -> PrintedReference:
    names = tuple(draw(st.lists(authors(), min_size=1, max_size=6)))
    et_al = draw(st.booleans())
    title = draw(unambiguous_titles())
    journal = draw(st.sampled_from(JOURNALS))
    date, year = draw(dates())
    volume = draw(volumes())
    issue = draw(issues())
    pages, first_page, last_page = draw(page_ranges())
    doi = draw(st.none() | dois())
    links = draw(st.sets(st.sampled_from(LINK_LABELS)))

    author_list = ", ".join(names) + (", et al." if et_al else ".")
    title_end = "" if title.endswith("?") else "."
    issue_part = f"({issue})" if issue else ""
    line = f"{author_list} {title}{title_end} {journal}. {date};{volume}{issue_part}:{pages}."
    if doi:
        line += f" doi: {doi}."
    line += "".join(f" - {label}" for label in LINK_LABELS if label in links)
    return PrintedReference(
        line=line,
        authors=names,
        title=title,
        journal=journal,
        year=year,
        volume=volume,
        issue=issue,
        first_page=first_page,
        last_page=last_page,
        doi=doi,
        links=frozenset(links),
    )


# Found by this property: a short capitalised title ending in "?" before an undotted journal.
QUESTION_TITLE = PrintedReference(
    line="Smith AB, Jones C. Is NK Key? Nat Rev Cancer. 2004;4(6):448-56. - DOI - PubMed",
    authors=("Smith AB", "Jones C"),
    title="Is NK Key?",
    journal="Nat Rev Cancer",
    year=2004,
    volume="4",
    issue="6",
    first_page="448",
    last_page="456",
    doi=None,
    links=frozenset({"DOI", "PubMed"}),
)


@REPRODUCIBLE
@given(nlm_references())
@example(QUESTION_TITLE)
def test_nlm_reference_reads_back_to_the_fields_it_was_printed_from(printed: PrintedReference):
    reference = parse_citation(printed.line, index=7)

    assert reference.index == 7
    assert reference.raw == printed.line
    assert reference.authors == printed.authors
    assert reference.title == printed.title
    assert reference.journal == printed.journal
    assert reference.journal_key == journal_key(printed.journal)
    assert reference.year == printed.year
    assert reference.volume == printed.volume
    assert reference.issue == printed.issue
    assert reference.first_page == printed.first_page
    assert reference.last_page == printed.last_page
    assert reference.doi == printed.doi
    assert reference.pmid is None
    assert reference.pmcid is None
    assert reference.links == printed.links
    assert reference.kind == "article-journal"
    assert reference.warnings == ()


# --- journal keys --------------------------------------------------------------------------------

# Each journal word as (abbreviation, full word); the abbreviation is what NLM prints.
JOURNAL_WORDS: tuple[tuple[tuple[str, str], ...], ...] = (
    (("Nat", "Nature"), ("Rev", "Reviews"), ("Cancer", "Cancer")),
    (("J", "Journal of"), ("Immunol", "Immunology")),
    (("Int", "International"), ("J", "Journal of"), ("Cancer", "Cancer")),
    (("Cancer", "Cancer"), ("Res", "Research")),
    (("J", "Journal of"), ("Exp", "Experimental"), ("Med", "Medicine")),
    (("Nat", "Nature"), ("Immunol", "Immunology")),
    (("J", "Journal for"), ("Immunother", "Immunotherapy of"), ("Cancer", "Cancer")),
    (("Clin", "Clinical &"), ("Exp", "Experimental"), ("Metastasis", "Metastasis")),
    (("Mutat", "Mutation"), ("Res", "Research")),
    (("Cancer", "Cancer"), ("Immunol", "Immunology"), ("Immunother", "Immunotherapy")),
    (
        ("Proc", "Proceedings of the"),
        ("Natl", "National"),
        ("Acad", "Academy of"),
        ("Sci", "Sciences"),
    ),
)


@st.composite
def journal_spellings(draw: st.DrawFn) -> tuple[str, str]:
    """A journal's plain NLM abbreviation, and the same journal spelled some other way.

    Each word is abbreviated with or without its period, or written in full; the whole name
    may end with a period, as it does before the date in a reference.
    """
    words = draw(st.sampled_from(JOURNAL_WORDS))
    spelled = []
    for abbreviation, full in words:
        form = draw(st.sampled_from(["abbreviated", "dotted", "full"]))
        if form == "full":
            spelled.append(full)
        elif form == "dotted" and abbreviation != full:
            spelled.append(abbreviation + ".")
        else:
            spelled.append(abbreviation)
    spelling = " ".join(spelled)
    if draw(st.booleans()) and not spelling.endswith("."):
        spelling += "."
    return " ".join(abbreviation for abbreviation, _ in words), spelling


def test_journal_key_of_the_seed_spellings_of_nature_reviews_cancer():
    assert journal_key("Nat. Rev. Cancer.") == "nat rev cancer"
    assert journal_key("Nat Rev Cancer") == "nat rev cancer"
    assert journal_key("Nature Rev. Cancer") == "nat rev cancer"
    assert journal_key("Nature Reviews Cancer") == "nat rev cancer"


@REPRODUCIBLE
@given(journal_spellings())
def test_journal_key_ignores_periods_and_abbreviation(spellings: tuple[str, str]):
    plain, spelled = spellings
    assert journal_key(spelled) == journal_key(plain)


@REPRODUCIBLE
@given(st.sampled_from(JOURNALS), st.booleans())
def test_journal_key_is_the_same_with_and_without_periods(journal: str, closing_period: bool):
    undotted = re.sub(r"\.\s*", " ", journal).strip()
    dotted = journal + "." if closing_period else journal
    assert journal_key(dotted) == journal_key(undotted)


# --- the forms around a reference: groups, notes, notices, chapters ------------------------------

# Fewer examples for the wider forms: each draws many parts, and the cases repeat quickly.
REPRODUCIBLE_FORMS = settings(max_examples=150, deadline=None, derandomize=True, database=None)

GROUP_NAMES = (
    "WHO Collaborative Group",
    "ACTG 5202 Study Team",
    "CheckMate 067 Investigators",
    "Cancer Genome Atlas Network",
    "Early Breast Cancer Trialists' Collaborative Group",
)
LANGUAGE_NOTES = ("Spanish", "French", "German", "Chinese", "Japanese", "Italian")
TYPE_NOTES = ("Review", "Editorial", "Comment", "Letter", "Systematic Review")
NOTICE_LABELS = ("Erratum in", "Comment in", "Retraction in", "Update in", "Comment on")


@dataclass(frozen=True)
class PrintedForm:
    """A reference printed with the forms around it, and every field it must read as."""

    line: str
    expected: dict[str, object]


@st.composite
def elocators(draw: st.DrawFn) -> str:
    """``e1234`` and PLoS's zero-padded ``e0123456``."""
    return f"e{draw(st.integers(1, 9999999)):0{draw(st.sampled_from([1, 7]))}d}"


@st.composite
def printed_forms(draw: st.DrawFn) -> PrintedForm:
    """An NLM reference with group authors, an e-locator, status notes, a language, a
    publication type or linked notices, each drawn or not, in the order PubMed prints them."""
    names = tuple(draw(st.lists(authors(), min_size=0, max_size=3)))
    group = draw(st.none() | st.sampled_from(GROUP_NAMES))
    if not names and group is None:
        group = GROUP_NAMES[0]
    title = draw(unambiguous_titles())
    journal = draw(st.sampled_from(JOURNALS))
    date, year = draw(dates())
    volume = draw(volumes())
    elocator = draw(st.none() | elocators())
    pages, first_page, last_page = (elocator, elocator, None) if elocator else draw(page_ranges())
    if first_page.startswith("e"):
        elocator = first_page  # page_ranges draws electronic locations too
    in_press = draw(st.integers(0, 9)) == 0
    epub_date = None if in_press else draw(st.none() | st.sampled_from(["2020 Jan 13", "2019"]))
    collection = None if in_press else draw(st.none() | st.sampled_from(["2020", "2019 May"]))
    publication_type = draw(st.none() | st.sampled_from(TYPE_NOTES))
    language = draw(st.none() | st.sampled_from(LANGUAGE_NOTES))
    notices = tuple(
        (draw(st.sampled_from(NOTICE_LABELS)), f"{draw(st.sampled_from(JOURNALS))}. 2021;1:2.")
        for _ in range(draw(st.integers(0, 2)))
    )

    author_text = "; ".join(part for part in (", ".join(names), group or "") if part)
    title_end = "" if title.endswith("?") else "."
    source = f"{year}. In press." if in_press else f"{date};{volume}:{pages}."
    line = f"{author_text}. {title}{title_end} {journal}. {source}"
    statuses = []
    if epub_date:
        line += f" Epub {epub_date}."
        statuses.append(f"Epub {epub_date}")
    if collection:
        line += f" eCollection {collection}."
        statuses.append(f"eCollection {collection}")
    if in_press:
        statuses.append("In press")
    line += f" {publication_type}." if publication_type else ""
    line += f" {language}." if language else ""
    line += "".join(f" {label}: {citation}" for label, citation in notices)
    expected: dict[str, object] = {
        "authors": (*names, group) if group else names,
        "collective": (group,) if group else (),
        "title": title,
        "journal": journal,
        "year": year,
        "volume": None if in_press else volume,
        "first_page": None if in_press else first_page,
        "last_page": None if in_press else last_page,
        "elocator": None if in_press else elocator,
        "in_press": in_press,
        "epub_date": epub_date,
        "pub_status": tuple(statuses),
        "publication_types": (publication_type,) if publication_type else (),
        "language": language,
        "notices": tuple(Notice(label, citation) for label, citation in notices),
        "kind": "article-journal",
        "warnings": (),
    }
    return PrintedForm(line, expected)


@REPRODUCIBLE_FORMS
@given(printed_forms())
def test_forms_around_a_reference_read_back_to_what_was_printed(printed: PrintedForm):
    reference = parse_citation(printed.line, index=3)

    assert reference.raw == printed.line
    for name, value in printed.expected.items():
        assert getattr(reference, name) == value, name


@st.composite
def printed_chapters(draw: st.DrawFn) -> PrintedForm:
    """A chapter in Citing Medicine form: authors, title, ``In:`` editors, book, edition,
    place, publisher, year, pages; editors and edition drawn or not."""
    names = tuple(draw(st.lists(authors(), min_size=1, max_size=3)))
    title = draw(unambiguous_titles().filter(lambda text: not text.endswith("?")))
    editors = tuple(draw(st.lists(authors(), min_size=0, max_size=2)))
    book = draw(
        st.sampled_from(["Metastasis biology", "Holland-Frei cancer medicine", "Tumour immunology"])
    )
    edition = draw(st.none() | st.sampled_from(["2nd", "4th", "10th"]))
    place = draw(st.sampled_from(["New York", "Berlin", "Hamilton (ON)", "Philadelphia"]))
    publisher = draw(st.none() | st.sampled_from(["Springer", "Garland Science", "BC Decker"]))
    year = draw(st.integers(1850, 2025))
    first = draw(st.integers(1, 900))
    last = first + draw(st.integers(1, 60))

    in_book = ""
    if editors:
        in_book = f"{', '.join(editors)}, editor{'s' if len(editors) > 1 else ''}. "
    in_book += f"{book}. " + (f"{edition} ed. " if edition else "")
    published = f"{place}: {publisher}; {year}" if publisher else f"{place}: {year}"
    line = f"{', '.join(names)}. {title}. In: {in_book}{published}. p. {first}-{last}."
    expected: dict[str, object] = {
        "authors": names,
        "title": title,
        "kind": "chapter",
        "editors": editors,
        "book_title": book,
        "edition": edition,
        "place": place,
        "publisher": publisher,
        "year": year,
        "first_page": str(first),
        "last_page": str(last),
        "journal": None,
        "warnings": (),
    }
    return PrintedForm(line, expected)


@REPRODUCIBLE_FORMS
@given(printed_chapters())
def test_a_chapter_reads_back_to_what_was_printed(printed: PrintedForm):
    reference = parse_citation(printed.line)

    for name, value in printed.expected.items():
        assert getattr(reference, name) == value, name
