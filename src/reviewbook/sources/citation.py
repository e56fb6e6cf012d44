"""Read one printed reference into a `Reference`, whatever citation style it uses.

The reader peels a citation from both ends, one step per kind of thing printed there:

1. link labels (``- DOI - PMC - PubMed``) come off the end;
2. linked notices (``Erratum in: ...``, ``Comment on: ...``) are cut off and kept as `Notice`
   records, so they never supply the cited work's journal, volume or pages;
3. bracketed notes (``[Article in Spanish]``, ``[No authors listed]``) and identifiers (DOI,
   PMID, PMCID) are taken out wherever they are;
4. notes after the source (``Epub 2021 Jan 13.``, ``eCollection 2021.``, ``Review.``,
   ``Spanish.``, ``In press.``) come off the end;
5. the source (journal, date, volume, pages) is matched at the end by a table of styles, or
   else the publication line of a book or chapter;
6. the authors (persons and groups) are read at the start; what is left is the title.

What no style explains is kept in ``raw`` with a warning, never dropped; a value read as
printed but unlikely (a last page before the first) is kept with an ``implausible`` warning.

Every pattern here runs in time linear in the length of the line: whitespace runs are folded
to one space before any pattern looks at the text, patterns that only need the end of a line
see only its last few hundred characters, and no pattern nests quantifiers that can match the
same text two ways (``benchmarks/pathological.py`` measures this on 100,000-character lines).
"""

from __future__ import annotations

import functools
import re

from reviewbook.errors import Problem
from reviewbook.model import LINK_LABELS, NOTICE_KINDS, PMID_PATTERN, Notice, Reference
from reviewbook.sources.page_layout import PUBLICATION_TYPES, UNDATED_PUBLICATION_NOTES
from reviewbook.text import fold

# --- knowledge: labels, identifiers, notes, styles ------------------------------------------

_LINK_LABEL = {label.lower(): label for label in LINK_LABELS}
_TRAILING_LABELS: dict[str, str | None] = {
    **_LINK_LABEL,
    "free pmc article": None,
    "free article": None,
    "google scholar": None,
    "crossref": None,
    "pmc free article": None,
}
"""Labels PubMed prints after a reference, lower-cased; the link each stands for, if any."""
_LONGEST_LABEL = max(len(label) for label in _TRAILING_LABELS)

_DOI = re.compile(
    r"(?:\bdoi:\s*|\bDOI\s+|https?://(?:dx\.)?doi\.org/)(?P<doi>10\.\d{4,9}/\S+?)[.,;]?(?=\s|$)",
    re.IGNORECASE,
)
_PMID = re.compile(rf"\bPMID:?\s*(?P<pmid>{PMID_PATTERN.pattern})\b\.?")
_PMCID = re.compile(r"\b(?:PMCID:?\s*)?(?P<pmcid>PMC\d{3,9})\b\.?")

_YEAR = r"(?:1[5-9]|20)\d{2}"
_MONTH = r"[A-Z][a-z]{2,8}"
DATE_PATTERN = (
    rf"(?P<year>{_YEAR})[a-z]?"
    r"(?P<date_rest>"
    # across a year end: "2019 Dec-2020 Jan", "2019 Dec 30-2020 Jan 5"
    rf"\s{_MONTH}(?:\s\d{{1,2}})?-{_YEAR}\s{_MONTH}(?:\s\d{{1,2}})?"
    # a span of years: "2019-2020"
    rf"|-{_YEAR}"
    # "2011", "2011 Mar", "2011 Jan-Feb", "2011 Mar 4", "2011 Mar 4-10"
    rf"|(?:\s{_MONTH}(?:[-/]{_MONTH})?)?(?:\s\d{{1,2}}(?:-\d{{1,2}})?)?"
    r")"
)
PAGE_RANGE = (
    r"(?:[A-Za-z]*\d\w*(?:\s?[-–—]\s?[A-Za-z]*\d\w*)?(?:\.e\d+)?"
    r"|[ivxlc]+(?:[-–][ivxlc]+)?)"
)
"""One printed range: ``787``, ``2536-44``, ``S12-8``, ``e1234``, ``1234-45.e6`` (Cell),
``xi-xii``."""
PAGES_PATTERN = rf"(?P<pages>{PAGE_RANGE})"
"""Printed pages, one range."""
PAGE_LIST_PATTERN = rf"(?P<pages>{PAGE_RANGE}(?:,\s?{PAGE_RANGE})*)"
"""Printed pages, one range or several, as NLM prints an article with a page in the issue's
front matter too: ``243-55, vii``. The first range is the article's (`expand_page_range`)."""
VOLUME_PATTERN = r"(?P<volume>[^\s;:(),]+(?:\s(?:Suppl|Pt)\s?\d*)?)"
ISSUE_PATTERN = r"(?:\s?\((?P<issue>[^)]*)\))"

_NLM_TAIL = re.compile(
    # "<journal>. 2004;4(6):448-456." and book series "<series>. 2016:35:298-308."; the journal
    # is whatever precedes the date. After "2019:" with no second colon the number is pages.
    DATE_PATTERN
    + r"(?:(?P<separator>[;:])\s?"
    + VOLUME_PATTERN
    + r"?"
    + ISSUE_PATTERN
    + r"?(?::\s?"
    + PAGE_LIST_PATTERN
    + r")?)?\.?$"
)
_YEAR_START = re.compile(rf"(?<![\w.]){_YEAR}")
_NATURE_TAIL = re.compile(
    # "<journal> 3, 453-458 (2003)."
    r"\s"
    + VOLUME_PATTERN
    + ISSUE_PATTERN
    + r"?,\s"
    + PAGES_PATTERN
    + r"\s\("
    + DATE_PATTERN
    + r"\)$"
)
_APA_TAIL = re.compile(
    # after "Authors (2003). Title. ": "<journal>, 3(6), 453-458."
    r",\s" + VOLUME_PATTERN + ISSUE_PATTERN + r"?,\s" + PAGES_PATTERN + r"$"
)
_SOURCE_REACH = 300
"""How far from the end of a citation its source can start; tail patterns look no further."""

_APA_YEAR = re.compile(r"^(?P<authors>[^()]+?)\s\(" + DATE_PATTERN + r"\)\.\s")

_UPPER = "".join(chr(code) for code in range(0x250) if chr(code).isupper())
"""Capital letters of Latin scripts, for initials: ``A``-``Z``, ``Ø``, ``Ł``, ``Ž``..."""
_INITIALS = rf"[{_UPPER}]{{1,4}}(?:\s(?:Jr|Sr|II|III|IV|2nd|3rd))?"
_APOSTROPHES = "‘’'`′ʼ"
_NAME_WORD = rf"[^\W\d_][\w{_APOSTROPHES}\-]*"
_AUTHOR_NAME = rf"(?:(?:{_NAME_WORD}|[{_APOSTROPHES}][a-z]+)\s)+{_INITIALS}"
_AUTHOR_LIST = re.compile(rf"{_AUTHOR_NAME}(?:, {_AUTHOR_NAME})*")
"""Names joined by ``", "``: one match checks every name of a list at once."""
_APA_INITIALS = re.compile(r"^(?:[A-Z]\.\s?-?)+$")
_AUTHORS_THEN_TITLE = re.compile(
    rf"^(?P<authors>{_AUTHOR_NAME}(?:(?:,\s|,?\s&\s){_AUTHOR_NAME})*)"
    r"(?:,?\s+et al\.?)?,?\s(?P<rest>[A-Z0-9].*)$"
)
_DOTTED_INITIALS = rf"[{_UPPER}][a-z]?\.(?:[\s-]?[{_UPPER}][a-z]?\.)*"
_SURNAME_FIRST_NAME = re.compile(
    rf"(?P<surname>(?:(?:{_NAME_WORD}|[{_APOSTROPHES}][a-z]+)\s)*{_NAME_WORD}),\s"
    rf"(?P<initials>{_DOTTED_INITIALS})(?:,?\s(?P<suffix>Jr|Sr|II|III|IV)\.?)?"
)
"""One name as Nature's journals print it: ``Messerschmidt, J. L.``, ``Smith, J. Jr``."""
_SURNAME_FIRST = re.sub(r"\(\?P<\w+>", "(?:", _SURNAME_FIRST_NAME.pattern)
_SURNAME_FIRST_AUTHORS = re.compile(
    rf"(?P<authors>{_SURNAME_FIRST}(?:,\s{_SURNAME_FIRST})*(?:,?\s&\s{_SURNAME_FIRST})?)"
    r"(?:,?\set\sal\.)?\s(?=\S)"
)
"""Authors as Nature's journals print them, surname first and dotted initials, before the title:
``Messerschmidt, J. L., Prendergast, G. C. & Messerschmidt, G. L. How cancers ...``."""
_ET_AL_ENDINGS: tuple[str, ...] = (", et al.", ", et al", " et al.", " et al", ", et. al.")
"""How an author list ends when names were left out (compared lower-cased)."""

_GROUP_WORDS = frozenset(
    [
        "group",
        "groups",
        "team",
        "consortium",
        "collaboration",
        "collaborators",
        "collaborative",
        "investigators",
        "committee",
        "network",
        "society",
        "association",
        "organization",
        "organisation",
        "trialists",
        "panel",
        "council",
        "initiative",
        "alliance",
        "board",
        "force",
        "agency",
        "institute",
        "commission",
        "study",
        "program",
        "programme",
        "project",
        "centre",
        "center",
        "foundation",
        "federation",
        "college",
        "academy",
        "unit",
        "office",
        "service",
        "members",
        "writing",
    ]
)
"""Words that make a capitalised name a group author: ``WHO Collaborative Group``."""
_GROUP_SMALL_WORDS = frozenset(
    ["of", "for", "the", "and", "on", "in", "to", "with", "behalf", "at", "de", "la", "du", "des"]
)

_NOTICE_LABEL = re.compile(
    r"(?<![^\s.;\]])(?P<kind>"
    + "|".join(re.escape(kind) for kind in sorted(NOTICE_KINDS, key=len, reverse=True))
    + r")\s?:\s?"
)
_MOST_NOTICES = 12
"""More notice labels than this in one line is not a citation; the line is read as it is."""
_BRACKET_NOTES: dict[str, str | None] = {
    "[no authors listed]": None,
    "[in process citation]": None,
    "[epub ahead of print]": "Epub ahead of print",
}
"""Bracketed notes PubMed prints inside a citation, lower-cased; the status each states."""
_ARTICLE_IN = "[article in "

LANGUAGES = frozenset(
    [
        "Afrikaans",
        "Arabic",
        "Bulgarian",
        "Catalan",
        "Chinese",
        "Croatian",
        "Czech",
        "Danish",
        "Dutch",
        "English",
        "Estonian",
        "Finnish",
        "French",
        "German",
        "Greek",
        "Hebrew",
        "Hungarian",
        "Icelandic",
        "Indonesian",
        "Italian",
        "Japanese",
        "Korean",
        "Latvian",
        "Lithuanian",
        "Malay",
        "Norwegian",
        "Persian",
        "Polish",
        "Portuguese",
        "Romanian",
        "Russian",
        "Serbian",
        "Slovak",
        "Slovenian",
        "Spanish",
        "Swedish",
        "Thai",
        "Turkish",
        "Ukrainian",
        "Vietnamese",
    ]
)
"""Languages PubMed names after a citation (``Spanish.``) or in ``[Article in Spanish]``."""
PUBLICATION_TYPE_NOTES = PUBLICATION_TYPES
"""Publication types PubMed prints after a citation in its lists (``... 2019. Review.``): the
page's own table of types."""
_LABEL_NOTES = frozenset({"free pmc article", "free article", "free books & documents"})
"""Access labels PubMed prints after ``PMID: ...`` in its lists; they hold no field."""
_STATUS_NOTES = (
    (re.compile(rf"Epub (?P<epub>{DATE_PATTERN})"), True),
    (re.compile(rf"eCollection {DATE_PATTERN}"), False),
    (
        re.compile(
            "(?i:"
            + "|".join(map(re.escape, ("Epub ahead of print", *UNDATED_PUBLICATION_NOTES)))
            + ")"
        ),
        False,
    ),
)
"""Status notes after a citation (``Epub 2021 Jan 13``); whether the note dates the epub."""
_IN_PRESS_ENDINGS: tuple[str, ...] = ("(in press)", "in press")

_JOURNAL_WORDS: dict[str, str] = {
    "nature": "nat",
    "reviews": "rev",
    "review": "rev",
    "journal": "j",
    "research": "res",
    "international": "int",
    "immunology": "immunol",
    "proceedings": "proc",
    "national": "natl",
    "academy": "acad",
    "sciences": "sci",
    "science": "sci",
    "american": "am",
    "medicine": "med",
    "medical": "med",
    "clinical": "clin",
    "biology": "biol",
    "cellular": "cell",
    "molecular": "mol",
    "experimental": "exp",
    "investigation": "invest",
    "oncology": "oncol",
    "genetics": "genet",
    "biochemistry": "biochem",
    "communications": "commun",
    "letters": "lett",
    "annual": "annu",
    "european": "eur",
    "british": "br",
    "therapy": "ther",
    "therapeutics": "ther",
    "immunotherapy": "immunother",
    "mutation": "mutat",
    "metastasis": "metastasis",
    "developmental": "dev",
    "development": "dev",
    "pathology": "pathol",
    "physiology": "physiol",
    "pharmacology": "pharmacol",
    "microbiology": "microbiol",
    "translational": "transl",
    "discovery": "discov",
    "opinion": "opin",
    "current": "curr",
    "trends": "trends",
    "biotechnology": "biotechnol",
    "advanced": "adv",
    "advances": "adv",
    "functional": "funct",
    "materials": "mater",
    "chemistry": "chem",
    "physics": "phys",
    "biomedicine": "biomed",
    "biomedical": "biomed",
    "nanotechnology": "nanotechnol",
    "hematology": "hematol",
    "neurology": "neurol",
    "transduction": "transduct",
    "targeted": "target",
    "signal": "signal",
}
_JOURNAL_STOPWORDS = frozenset({"the", "of", "and", "&", "in", "for", "on", "u", "s", "a"})
_JOURNAL_ABBREVIATIONS = frozenset(_JOURNAL_WORDS) | frozenset(_JOURNAL_WORDS.values())

_SENTENCE_BREAK = re.compile(r"(?<=[?!])\s+|\.\s+")

# books: the publication line, pages, editions and editors
_PUBLICATION = re.compile(
    r"(?:(?P<place>[^:;]+?):\s?)?(?:(?P<publisher>[^:;]+?)[;,]\s?)?" + DATE_PATTERN + r"-?"
)
"""A book's publication segment: ``New York: Springer; 2010``, ``Berlin: 1858``."""
_BOOK_PAGES = re.compile(r"pp?\.?\s?" + PAGES_PATTERN)
_EDITION = re.compile(r"(?P<edition>\d+(?:st|nd|rd|th)|(?:\d+|Rev|Revised|New)(?=\sed))(?:\sed)?")
_EDITOR_ENDINGS: tuple[str, ...] = (", editors", ", editor", ", eds", ", ed", " (eds)", " (ed)")
_CHAPTER_START = "In: "
_ANY_YEAR = re.compile(r"[12](?<!\w[12])(?:(?<=1)[89]|(?<=2)0)\d\d(?!\w)")
"""A year 1800-2099 standing alone; it opens with a character class, which ``re`` scans for
quickly, and checks the word boundary before it afterwards."""

# --- the reader ------------------------------------------------------------------------------


def parse_citation(raw: str, index: int = 1) -> Reference:
    """Read one printed reference (numbering already removed) into a `Reference`."""
    raw = raw.strip()
    return _read_plain_nlm(raw, index) or read_citation_in_full(raw, index)


_PLAIN_NLM = re.compile(
    r"(?P<authors>[^.()]+)\.\s"
    r"(?P<title>[^.?!]+(?:[?!]|(?=\.)))\.?\s"
    r"(?P<journal>[A-Z][^.;:()]*(?:\.\s[A-Z][^.;:()]*)*)\.\s"
    + DATE_PATTERN
    + ";"
    + VOLUME_PATTERN
    + ISSUE_PATTERN
    + "?:"
    + PAGE_LIST_PATTERN
    + r"\.(?:\sdoi:\s(?P<doi>10\.\d{4,9}/\S+?)\.)?"
    rf"(?:\sEpub\s(?P<epub>{_YEAR}(?:\s{_MONTH}(?:\s\d{{1,2}})?)?)\.)?"
    r"(?:\s(?P<review>Review)\.)?"
    r"(?P<labels>(?:\s-\s(?:DOI|PMC|PubMed))*)"
)
_LABELS = re.compile(r"DOI|PMC|PubMed")
_SHORTCUT_REACH = 2_000
"""Lines longer than this skip the shortcut: no plain NLM reference is, and on a hostile line
the one pattern would only scan the whole line to fail."""


def _read_plain_nlm(raw: str, index: int) -> Reference | None:
    """The common case, read by one pattern: ``Authors. Title. Journal. Date;Vol(Issue):Pages.``

    Returns None for anything the pattern does not settle on its own; `read_citation_in_full`
    then reads it, and a test checks both readers agree wherever this one answers.
    """
    if len(raw) > _SHORTCUT_REACH or "  " in raw or "[" in raw:
        return None  # the full reader folds spaces and reads bracketed notes
    match = _PLAIN_NLM.fullmatch(raw)
    if not match or _is_abbreviation(match["title"]):
        return None
    journal = match["journal"]
    if ". " in journal and not all(map(_is_abbreviation, journal.split(". ")[:-1])):
        return None
    authors = _author_list(match["authors"])
    if authors is None:
        return None
    first_page, last_page = expand_page_range(match["pages"])
    if last_page is not None and page_range_problem(first_page, last_page):
        return None  # the full reader warns about it
    epub = match["epub"]
    return Reference(
        index=index,
        raw=raw,
        authors=authors,
        title=match["title"],
        journal=journal,
        journal_key=journal_key(journal),
        year=int(match["year"]),
        volume=match["volume"],
        issue=match["issue"] or None,
        doi=match["doi"],
        links=frozenset(_LABELS.findall(match["labels"])) if match["labels"] else frozenset(),
        first_page=first_page,
        last_page=last_page,
        elocator=first_page if first_page[0] == "e" and _ELOCATOR.fullmatch(first_page) else None,
        epub_date=epub,
        pub_status=(f"Epub {epub}",) if epub else (),
        publication_types=(match["review"],) if match["review"] else (),
    )


def read_citation_in_full(raw: str, index: int = 1) -> Reference:
    """`parse_citation` without its shortcut: every style, identifiers anywhere in the text."""
    raw = raw.strip()
    body, links = _split_link_labels(raw)
    body = " ".join(body.split())
    body, notices, notice_problems = _split_notices(body, index)
    body, bracket_notes = _take_bracket_notes(body)
    body, doi, pmid, pmcid = _take_identifiers(body)
    body, notes = _take_trailing_notes(body)
    body = body.strip().rstrip(" ,;.")
    notes = _merged_notes(bracket_notes, notes)
    common = {"doi": doi, "pmid": pmid, "pmcid": pmcid, "links": links, "notices": notices}
    fields = (_read_article(body) or _read_book(body)) if body else None
    if fields is None:
        problems = notice_problems
        if body or not (doi or pmid or pmcid or notices):
            problem = "citation style not recognised; kept as printed" if body else "empty citation"
            problems = (Problem(None, "citation", f"reference {index}: {problem}"), *problems)
        return Reference(
            index=index,
            raw=raw,
            year=_any_year(body),
            kind="unknown",
            warnings=problems,
            **common,
            **notes,
        )
    page_fields = _page_fields(fields.pop("pages"), index)
    problems = (*page_fields.pop("warnings", ()), *notice_problems)
    journal = fields.get("journal")
    return Reference(
        index=index,
        raw=raw,
        journal_key=journal_key(journal) if journal else None,
        warnings=problems,
        **page_fields,
        **common,
        **notes,
        **fields,
    )


# --- peeling: labels, notices, notes, identifiers -------------------------------------------


def _split_link_labels(raw: str) -> tuple[str, frozenset[str]]:
    """Cut the trailing ``- DOI - PMC - PubMed`` labels off; return the rest and the links."""
    links: set[str] = set()
    body = raw
    while True:
        dash = body.rfind("- ", max(0, len(body) - _LONGEST_LABEL - 3))
        label = body[dash + 2 :].strip().lower() if dash >= 0 else ""
        if label not in _TRAILING_LABELS or (dash > 0 and not body[dash - 1].isspace()):
            return body, frozenset(links)
        if link := _TRAILING_LABELS[label]:
            links.add(link)
        body = body[:dash].rstrip()


def _split_notices(body: str, index: int) -> tuple[str, tuple[Notice, ...], tuple[Problem, ...]]:
    """Cut ``Erratum in: ...`` and the like off the citation; each becomes a `Notice`."""
    labels = list(_NOTICE_LABEL.finditer(body)) if ":" in body else []
    if not labels or len(labels) > _MOST_NOTICES:
        return body, (), ()
    notices: list[Notice] = []
    problems: list[Problem] = []
    ends = [label.start() for label in labels[1:]] + [len(body)]
    for label, end in zip(labels, ends, strict=True):
        citation = body[label.end() : end].strip().rstrip(" ;")
        if not citation:
            message = f"reference {index}: {label['kind']} notice without its citation"
            problems.append(Problem(None, "cut", message))
        pmid = _PMID.search(citation) if "PMID" in citation else None
        notices.append(Notice(label["kind"], citation, pmid["pmid"] if pmid else None))
    return body[: labels[0].start()].rstrip(), tuple(notices), tuple(problems)


def _take_bracket_notes(body: str) -> tuple[str, dict]:
    """Take ``[Article in Spanish]``, ``[No authors listed]`` and the like out of the text."""
    notes: dict = {}
    if "[" not in body:
        return body, notes
    folded = body.lower()
    for note, status in _BRACKET_NOTES.items():
        at = folded.find(note)
        if at >= 0:
            body = _cut(body, at, at + len(note))
            folded = body.lower()
            if status:
                notes["pub_status"] = (status,)
    at = folded.find(_ARTICLE_IN)
    close = folded.find("]", at) if at >= 0 else -1
    if close > at >= 0:
        notes["language"] = body[at + len(_ARTICLE_IN) : close].strip()
        body = _cut(body, at, close + 1)
    return body, notes


def _cut(body: str, start: int, end: int) -> str:
    """``body`` without ``body[start:end]``, spaces kept single; a period after the cut stays
    when it closes the sentence before (``Title [Article in Spanish]. Journal``)."""
    after = body[end:].lstrip()
    before = body[:start].rstrip()
    if after.startswith("."):
        after = after[1:].lstrip()
        if before and not before.endswith("."):
            before += "."
    return f"{before} {after}".strip() if before and after else before or after


def _take_identifiers(body: str) -> tuple[str, str | None, str | None, str | None]:
    """Remove printed DOI, PMID and PMCID from the citation text and return them."""
    found: list[str | None] = []
    for marker, pattern, group in (
        ("10.", _DOI, "doi"),
        ("PMID", _PMID, "pmid"),
        ("PMC", _PMCID, "pmcid"),
    ):
        match = pattern.search(body, max(0, body.find(marker) - 20)) if marker in body else None
        found.append(match.group(group) if match else None)
        if match:
            body = (body[: match.start()].rstrip() + " " + body[match.end() :].lstrip()).strip()
    doi, pmid, pmcid = found
    if doi:
        doi = doi.rstrip(".")
    return body, doi, pmid, pmcid


def _take_trailing_notes(body: str) -> tuple[str, dict]:
    """Peel the notes PubMed prints after a source, last first: status, types, language."""
    statuses: list[str] = []
    types: list[str] = []
    notes: dict = {}
    while body:
        body = body.rstrip(" .;,")
        folded_end = body[-len(_IN_PRESS_ENDINGS[0]) :].lower()
        if ending := next((end for end in _IN_PRESS_ENDINGS if folded_end.endswith(end)), None):
            statuses.append("In press")
            body = body[: -len(ending)]
            continue
        start = body.rfind(". ") + 2 if ". " in body else 0
        note = body[start:]
        if note in PUBLICATION_TYPE_NOTES:
            types.append(note)
        elif note in LANGUAGES and start:
            notes["language"] = note
        elif note.lower() in _LABEL_NOTES:
            pass
        elif status := _status_note(note):
            statuses.append(status[0])
            if status[1]:
                notes["epub_date"] = status[1]
        else:
            break
        body = body[:start]
    if statuses:
        notes["pub_status"] = tuple(reversed(statuses))
        notes["in_press"] = "In press" in statuses
    if types:
        notes["publication_types"] = tuple(reversed(types))
    return body, notes


def _status_note(note: str) -> tuple[str, str | None] | None:
    """A status note as printed and the epub date it gives, or None if ``note`` is none."""
    if len(note) > 40:
        return None
    for pattern, dates_epub in _STATUS_NOTES:
        if match := pattern.fullmatch(note):
            return note, match["epub"] if dates_epub else None
    return None


def _merged_notes(bracketed: dict, trailing: dict) -> dict:
    """Notes from brackets and from the end of the line, statuses of both kept in order."""
    statuses = (*bracketed.get("pub_status", ()), *trailing.get("pub_status", ()))
    merged = {**bracketed, **trailing}
    if statuses:
        merged["pub_status"] = statuses
    if "language" in bracketed:
        merged["language"] = bracketed["language"]
    return merged


# --- journal articles ------------------------------------------------------------------------


def _read_article(body: str) -> dict | None:
    """Fields of a journal article (or a bare journal/date line), or None if no style fits."""
    apa = _APA_YEAR.match(body) if "). " in body else None
    if apa and _looks_like_apa_authors(apa["authors"]):
        source = _match_source(body[apa.end() :], styles=("apa", "nlm"))
        authors = _apa_names(apa["authors"])
        if source is None:
            title = body[apa.end() :].strip().rstrip(".") or None
            return {"authors": authors, "title": title, "year": int(apa["year"]), "pages": None}
        match, front = source
        journal, segments = _journal_from(front)
        return {
            **_source_fields(match, journal),
            "authors": authors,
            "title": _join_sentences(segments) or None,
            "year": int(apa["year"]),
        }
    source = _match_source(body, styles=("nlm", "nature"))
    if source is None:
        return None
    match, front = source
    surname_first = _SURNAME_FIRST_AUTHORS.match(front)
    if surname_first:
        front = front[surname_first.end() :]
    journal, segments = _journal_from(front)
    if journal is not None and not any(map(str.isalpha, journal)):
        return None  # "2019. 2019;1:2" has no journal: no style explains it
    if surname_first:
        title = _join_sentences(segments) or None
        authors = _surname_first_names(surname_first["authors"])
        return {**_source_fields(match, journal), "authors": authors, "title": title}
    return {**_source_fields(match, journal), **_authors_and_title(segments)}


def _looks_like_apa_authors(text: str) -> bool:
    """APA names carry commas or ``&`` (``Fidler, I. J., & Kripke, M. L.``); a journal's
    parenthesised year (``J Appl Physiol (1985)``) does not."""
    return "," in text or "&" in text


def _match_source(body: str, styles: tuple[str, ...]) -> tuple[re.Match[str], str] | None:
    """The first style whose source pattern ends the citation, and the text before it."""
    reach = max(0, len(body) - _SOURCE_REACH)
    for style in styles:
        if style == "nlm":
            found = _match_nlm_tail(body)
        elif style == "nature":
            found = _NATURE_TAIL.search(body, reach) if body.endswith(")") else None
        else:
            found = _APA_TAIL.search(body, reach) if "," in body else None
        if isinstance(found, tuple):
            return found
        if found:
            return found, body[: found.start()]
    return None


def _match_nlm_tail(body: str) -> tuple[re.Match[str], str] | None:
    """The NLM source (date; volume(issue):pages) ending the citation, after ``. `` or ``? ``.

    Only the places near the end where a year starts a sentence are tried, which keeps this
    fast whatever the length of the line.
    """
    for candidate in _YEAR_START.finditer(body, max(0, len(body) - _SOURCE_REACH)):
        start = candidate.start()
        if start and not (start >= 2 and body[start - 1] == " " and body[start - 2] in ".?!"):
            continue
        match = _NLM_TAIL.match(body, start)
        if match:
            before = body[: start - 1].rstrip() if start else ""
            return match, before[:-1] if before.endswith(".") else before
    return None


def _source_fields(match: re.Match[str], journal: str | None) -> dict:
    groups = match.groupdict()
    volume, pages = groups.get("volume"), groups.get("pages")
    if groups.get("separator") == ":" and not pages and not groups.get("issue"):
        volume, pages = None, volume  # "J Med Educ. 2019:5-9." prints pages after the year
    return {
        "journal": journal,
        "year": int(groups["year"]) if groups.get("year") else None,
        "volume": volume,
        "issue": groups.get("issue") or None,
        "pages": pages,
    }


def _journal_from(front: str) -> tuple[str | None, list[str]]:
    """Take the journal off the end of the text before the source; return it and the rest.

    A journal printed with inner periods (``Nat. Rev. Cancer``) spans several sentences: short
    segments made of journal abbreviations are pulled into it.
    """
    segments = _sentences(front)
    if not segments:
        return None, []
    journal = [segments.pop()]
    while len(segments) > 1 and _is_abbreviation(segments[-1]):
        journal.append(segments.pop())
    return ". ".join(reversed(journal)), segments


def _is_abbreviation(segment: str) -> bool:
    """A short run of journal-like words (``Nat``, ``Nature Rev``), never a question."""
    if segment.count(" ") > 2 or not segment or segment[-1] in "?!":
        return False
    words = segment.split()
    return 0 < len(words) <= 3 and all(
        word[:1].isupper() and (word.lower() in _JOURNAL_ABBREVIATIONS or len(word) <= 4)
        for word in words
    )


def _sentences(text: str) -> list[str]:
    """Split on a period (or ? or !) followed by a space; ? and ! stay with their sentence."""
    text = text.strip().rstrip(".")
    parts = _SENTENCE_BREAK.split(text) if "?" in text or "!" in text else text.split(". ")
    return [part.strip() for part in parts if part.strip()]


def _join_sentences(segments: list[str]) -> str:
    """Sentences joined back as printed: ``. `` between them, a space after ``?`` or ``!``."""
    joined: list[str] = []
    for segment in segments:
        if joined:
            joined.append(" " if joined[-1][-1] in "?!" else ". ")
        joined.append(segment)
    return "".join(joined)


# --- authors ---------------------------------------------------------------------------------


def _authors_and_title(segments: list[str]) -> dict:
    """Authors (persons and groups) and title of the sentences before the source.

    The authors come first (NLM), or run into the title without a period (Nature), or follow
    the title (PubMed's own lists: ``Title. Smith J, et al. Journal. ...``).
    """
    if not segments:
        return {"authors": (), "title": None}
    first = segments[0]
    authors = _author_list(first)
    if authors is not None:
        rest = segments[1:]
        # An author list can be broken by a stray period: "Weigelt B, Peterse JL. Van 't veer LJ."
        while len(rest) > 1 and not _is_genus(rest) and (more := _author_list(rest[0])):
            authors += more
            rest = rest[1:]
        return {"authors": authors, "title": _join_sentences(rest) or None}
    if len(segments) > 1 and (mixed := _persons_and_groups(first)):
        return {"authors": mixed[0], "collective": mixed[1], "title": _join_sentences(segments[1:])}
    if first[:1].isupper() and (match := _AUTHORS_THEN_TITLE.match(first)):
        # Nature style prints no period between authors and title: "Fidler IJ The ..."
        rest = [match["rest"], *segments[1:]]
        return {"authors": _names(match["authors"]), "title": _join_sentences(rest)}
    if len(segments) > 1:
        last = segments[-1]
        if (authors := _author_list(last)) is not None:
            return {"authors": authors, "title": _join_sentences(segments[:-1])}
        if mixed := _persons_and_groups(last):
            title = _join_sentences(segments[:-1])
            return {"authors": mixed[0], "collective": mixed[1], "title": title}
    return {"authors": (), "title": _join_sentences(segments)}


def _is_genus(segments: list[str]) -> bool:
    """Whether the first sentence ends in an abbreviated genus (``Immunity to E. coli``)."""
    return len(segments) > 1 and segments[0][-2:-1] == " " and segments[1][:1].islower()


def _without_et_al(segment: str) -> str:
    """The author list without its closing ``et al.``."""
    if segment[-3:].lower().rstrip(".")[-2:] != "al":
        return segment
    folded = segment[-9:].lower()
    for ending in _ET_AL_ENDINGS:
        if folded.endswith(ending):
            return segment[: -len(ending)]
    return segment


def _author_list(segment: str) -> tuple[str, ...] | None:
    """The names of an NLM author list, or None if the segment is not one."""
    text = _without_et_al(segment)
    if _AUTHOR_LIST.fullmatch(text):  # the usual ``Name AB, Name C`` needs no splitting first
        return tuple(text.split(", "))
    names = _names(text)
    if names and _AUTHOR_LIST.fullmatch(", ".join(names)):
        return names
    return None


def _names(text: str) -> tuple[str, ...]:
    """Names split at commas and at ``&`` (Nature prints ``Smith AB & Jones CD``)."""
    if "&" in text:
        text = text.replace(", & ", ", ").replace(" & ", ", ")
    return tuple(filter(None, [name.strip() for name in text.split(",")]))


def _persons_and_groups(segment: str) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    """Authors when some are groups: ``Smith J, Jones K; ACTG 5202 Study Team``.

    Returns all authors in order and the group names among them, or None unless every part
    is a person or a group and at least one is a group.
    """
    authors: list[str] = []
    groups: list[str] = []
    for part in _without_et_al(segment).split(";"):
        part = _without_et_al(part.strip())
        if not part:
            continue
        if _is_group(part):
            authors.append(part)
            groups.append(part)
        elif (names := _author_list(part)) is not None:
            authors.extend(names)
        else:
            *people, group = part.rsplit(", ", 1) if ", " in part else ("", part)
            names = _author_list(people[0]) if people and people[0] else ()
            if names is None or not _is_group(group):
                return None
            authors.extend((*names, group))
            groups.append(group)
    return (tuple(authors), tuple(groups)) if groups else None


def _is_group(name: str) -> bool:
    """Whether a name is a group author: capitalised words, one of them a group word."""
    words = name.split()
    if not words or not words[0][:1].isupper() or len(words) > 20:
        return False
    has_group_word = False
    for word in words:
        bare = word.strip("()[],'’")
        folded = fold(bare)
        if folded in _GROUP_WORDS and bare[:1].isupper():
            has_group_word = True
        elif bare[:1].islower() and folded not in _GROUP_SMALL_WORDS:
            return False
    return has_group_word


def _surname_first_names(text: str) -> tuple[str, ...]:
    """``Messerschmidt, J. L., Xu, C.-H. & Li, N.`` → ``("Messerschmidt JL", "Xu CH", "Li N")``:
    the names as NLM prints them, as a full text's tagged names are read."""
    names: list[str] = []
    for match in _SURNAME_FIRST_NAME.finditer(text.replace(" & ", ", ")):
        initials = initials_of(match["initials"])
        names.append(" ".join(filter(None, (match["surname"], initials, match["suffix"]))))
    return tuple(names)


def initials_of(given_names: str) -> str:
    """Initials of given names: ``Louise M. E.`` gives ``LME``, ``Can-Hua`` ``CH``; names that
    are initials already (``SA``, ``JD``) are kept."""
    compact = given_names.replace(" ", "").replace(".", "")
    if compact.isalpha() and compact.isupper() and len(compact) <= 4:
        return compact
    words = given_names.replace("-", " ").replace(".", " ").split()
    return "".join(word[0].upper() for word in words if word[0].isalpha())


def _apa_names(text: str) -> tuple[str, ...]:
    """``Fidler, I. J., & Kripke, M. L.`` → ``("Fidler, I. J.", "Kripke, M. L.")``."""
    parts = [part.strip() for part in re.split(r",\s?(?:&\s)?|\s&\s", text) if part.strip()]
    names: list[str] = []
    for part in parts:
        if names and _APA_INITIALS.match(part) and "," not in names[-1]:
            names[-1] = f"{names[-1]}, {part}"
        else:
            names.append(part)
    return tuple(names)


# --- books and chapters ----------------------------------------------------------------------


def _read_book(body: str) -> dict | None:
    """Fields of a book or chapter (``... In: Brown A, editor. Book. Place: Publisher; 2007.``).

    The publication segment (place, publisher, year) anchors the reading: what follows it is
    pages (``p. 12-20``); before it come the authors and title, then after ``In:`` the editors,
    the book's title and its edition, in whichever order the citation prints them.
    """
    pages = None
    at = body.rfind(" p")
    if at > 0 and (found := _BOOK_PAGES.fullmatch(body, at + 1)):
        pages, body = found["pages"], body[:at].rstrip(" .,")
    segments = _sentences(body)
    publication = next(
        (
            (position, match)
            for position in range(len(segments) - 1, max(-1, len(segments) - 9), -1)
            if len(segments[position]) <= _SOURCE_REACH
            and (match := _PUBLICATION.fullmatch(segments[position]))
            and (match["place"] or match["publisher"])
        ),
        None,
    )
    if publication is None:
        return None
    position, match = publication
    front = segments[:position]
    chapter_at = next(
        (i for i, segment in enumerate(front) if segment.startswith(_CHAPTER_START)), None
    )
    if chapter_at is not None:
        in_book = [front[chapter_at][len(_CHAPTER_START) :].strip(), *front[chapter_at + 1 :]]
        editors, edition, book_segments = _book_parts(in_book)
        book_title = _join_sentences(book_segments) or None
        front = front[:chapter_at]
    else:
        editors, edition, front = _book_parts(front)
        book_title = None
    people = _authors_and_title(front) if front else {"authors": (), "title": None}
    if people["title"] is None and not people["authors"] and not book_title:
        return None
    return {
        **people,
        "editors": editors,
        "edition": edition,
        "book_title": book_title,
        "year": int(match["year"]),
        "pages": pages,
        "kind": "chapter" if chapter_at is not None else "book",
        "publisher": (match["publisher"] or "").strip() or None,
        "place": (match["place"] or "").strip() or None,
    }


def _book_parts(segments: list[str]) -> tuple[tuple[str, ...], str | None, list[str]]:
    """Sort the sentences of a book's description into editors, edition and the rest."""
    editors: tuple[str, ...] = ()
    edition = None
    title: list[str] = []
    for segment in segments:
        ending = next((end for end in _EDITOR_ENDINGS if segment.endswith(end)), None)
        if ending and (names := _author_list(segment[: -len(ending)])) is not None:
            editors += names
        elif (found := _EDITION.fullmatch(segment)) and (title or editors):
            edition = found["edition"]
        else:
            title.append(segment)
    return editors, edition, title


def _any_year(body: str) -> int | None:
    """The first plausible year printed anywhere in an unrecognised citation."""
    match = _ANY_YEAR.search(body)
    return int(match.group()) if match else None


# --- pages and journal keys ------------------------------------------------------------------

_NUMERIC_RANGE = re.compile(r"(\d+)\s?[-–—]\s?(\d+)")
_RANGE_DASH = re.compile(r"\s?[-–—]\s?")
_PAGE = re.compile(r"^(?P<prefix>[A-Za-z]*)(?P<digits>\d+)(?P<suffix>[A-Za-z]*)$")
_ELOCATOR = re.compile(r"e\d+(?:-\d{2})?")
"""An electronic location: ``e`` and digits (``e1234``, ``e0123456``), or an American Society
for Microbiology one with the year after a hyphen (``e00500-17``)."""
_SUPPLEMENT_PAGES = re.compile(r"\.e\d+$")
"""Cell's supplemental pages after the last page: ``1234-1245.e6``."""


def expand_page_range(pages: str | None) -> tuple[str | None, str | None]:
    """First and last page of a printed range, expanding abbreviations: ``2536-44`` → 2536, 2544.

    A single page or an electronic location (``e1234``) gives it as first page and None as last.
    Cell's supplemental pages stay on the last page (``1234-45.e6`` → 1234, ``1245.e6``). When
    the expanded last page would come before the first (``284-29``), the last page is kept as
    printed; `page_range_problem` says so. Of several ranges (``243-55, vii``), the first is read.
    """
    if not pages:
        return None, None
    pages = pages.strip().rstrip(".")
    if "," in pages:
        pages = pages.partition(",")[0].rstrip()
    if ("-" not in pages and "–" not in pages and "—" not in pages) or (
        pages[0] == "e" and len(pages) > 8 and _ELOCATOR.fullmatch(pages)
    ):
        return pages, None
    supplement = _SUPPLEMENT_PAGES.search(pages) if ".e" in pages else None
    if supplement:
        first, last = expand_page_range(pages[: supplement.start()])
        return first, f"{last or ''}{supplement.group()}" if last else last
    if numeric := _NUMERIC_RANGE.fullmatch(pages):
        first, last = numeric.groups()
        if len(last) < len(first):
            expanded = first[: len(first) - len(last)] + last
            last = expanded if int(expanded) >= int(first) else last
        return first, last
    parts = _RANGE_DASH.split(pages, maxsplit=1)
    first = parts[0]
    if len(parts) == 1 or not parts[1]:
        return first, None
    last = parts[1]
    first_match, last_match = _PAGE.match(first), _PAGE.match(last)
    if first_match and last_match:
        first_digits, last_digits = first_match.group("digits"), last_match.group("digits")
        if len(last_digits) < len(first_digits):
            expanded = first_digits[: len(first_digits) - len(last_digits)] + last_digits
            if int(expanded) >= int(first_digits):
                last_digits = expanded
        prefix = last_match.group("prefix") or first_match.group("prefix")
        last = prefix + last_digits + last_match.group("suffix")
    return first, last


def page_range_problem(first: str | None, last: str | None) -> str | None:
    """Why a page range is implausible (its last page before its first), or None.

    Only decimal digits are numbers here: ``¹`` is a digit to `str.isdigit`, not to `int`.
    """
    if not first or not last:
        return None
    if first.isdecimal() and last.isdecimal():
        return _before_first(first, last) if int(last) < int(first) else None
    first_match, last_match = _PAGE.match(first), _PAGE.match(last.split(".e")[0])
    if first_match and last_match:
        first_number, last_number = int(first_match["digits"]), int(last_match["digits"])
        if last_number < first_number:
            return _before_first(first, last)
    return None


def _before_first(first: str, last: str) -> str:
    return f"last page {last} comes before first page {first}; kept as printed"


def _page_fields(pages: str | None, index: int) -> dict:
    """``first_page``, ``last_page``, ``elocator`` and a warning if the range is implausible."""
    first_page, last_page = expand_page_range(pages)
    fields: dict = {"first_page": first_page, "last_page": last_page}
    if last_page is None:
        if first_page and first_page[0] == "e" and _ELOCATOR.fullmatch(first_page):
            fields["elocator"] = first_page
    elif problem := page_range_problem(first_page, last_page):
        fields["warnings"] = (Problem(None, "implausible", f"reference {index}: {problem}"),)
    return fields


@functools.lru_cache(maxsize=8192)
def journal_key(journal: str) -> str:
    """A key to match journal names across styles: ``Nat. Rev. Cancer.`` → ``nat rev cancer``."""
    words = re.split(r"[\s.,:;()\-/]+", fold(journal))
    return " ".join(
        _JOURNAL_WORDS.get(word, word) for word in words if word and word not in _JOURNAL_STOPWORDS
    )
