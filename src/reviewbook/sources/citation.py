"""Read one printed reference into a `Reference`, whatever citation style it uses.

The reader peels a citation from both ends: link labels and identifiers come off first,
then the source (journal, date, volume, pages) is matched at the end by a table of styles,
then the authors at the start; what is left is the title. What no style explains is kept in
``raw`` with a warning, never dropped.
"""

from __future__ import annotations

import functools
import re

from reviewbook.errors import Problem
from reviewbook.model import LINK_LABELS, PMID_PATTERN, Reference
from reviewbook.text import fold

# --- knowledge: labels, identifiers, styles -------------------------------------------------

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

DATE_PATTERN = (
    r"(?P<year>(?:1[5-9]|20)\d{2})[a-z]?"
    r"(?P<date_rest>(?:\s[A-Z][a-z]{2,8}(?:[-/][A-Z][a-z]{2,8})?)?(?:\s\d{1,2}(?:-\d{1,2})?)?)"
)
PAGES_PATTERN = r"(?P<pages>[A-Za-z]*\d\w*(?:\s?[-–—]\s?[A-Za-z]*\d\w*)?)"
VOLUME_PATTERN = r"(?P<volume>[^\s;:(),]+(?:\s(?:Suppl|Pt)\s?\d*)?)"
ISSUE_PATTERN = r"(?:\s?\((?P<issue>[^)]*)\))"

_NLM_TAIL = re.compile(
    # "<journal>. 2004;4(6):448-456." and book series "<series>. 2016:35:298-308."; the journal
    # is whatever precedes the date.
    DATE_PATTERN
    + r"(?:[;:]\s?"
    + VOLUME_PATTERN
    + r"?"
    + ISSUE_PATTERN
    + r"?(?::\s?"
    + PAGES_PATTERN
    + r")?)?\.?$"
)
_YEAR_START = re.compile(r"(?<![\w.])(?:1[5-9]|20)\d{2}")
_NATURE_TAIL = re.compile(
    # "<journal> 3, 453-458 (2003)."
    r"\s+"
    + VOLUME_PATTERN
    + ISSUE_PATTERN
    + r"?,\s+"
    + PAGES_PATTERN
    + r"\s+\("
    + DATE_PATTERN
    + r"\)\.?$"
)
_APA_TAIL = re.compile(
    # after "Authors (2003). Title. ": "<journal>, 3(6), 453-458."
    r",\s+" + VOLUME_PATTERN + ISSUE_PATTERN + r"?,\s+" + PAGES_PATTERN + r"\.?$"
)

_BOOK = re.compile(
    r"(?:^|(?<=\.\s))(?P<place>[^.:;]+):\s?(?P<publisher>[^;:]+);\s?"
    + DATE_PATTERN
    + r"(?:\.\s*(?:p{1,2}\.\s?"
    + PAGES_PATTERN
    + r")?)?\.?$"
)
_EDITION = re.compile(r"\.?\s+\d+\w{0,2} ed\.?$")
_CHAPTER = re.compile(r"\.\s+In:\s+(?P<editors>[^.]*?)(?:,\s*editors?)?\.\s+(?P<book>.+?)\.\s+")
_APA_YEAR = re.compile(r"^(?P<authors>.+?)\s\(" + DATE_PATTERN + r"\)\.\s+")

_INITIALS = r"[A-Z]{1,4}(?:\s(?:Jr|Sr|II|III|IV|2nd|3rd))?"
_NAME_WORD = r"[^\W\d_][\w‘’'`\-]*"
_AUTHOR_NAME = rf"(?:(?:{_NAME_WORD}|[‘’'][a-z]+)\s)+{_INITIALS}"
_AUTHOR_LIST = re.compile(rf"{_AUTHOR_NAME}(?:, {_AUTHOR_NAME})*")
"""Names joined by ``", "``: one match checks every name of a list at once."""
_APA_INITIALS = re.compile(r"^(?:[A-Z]\.\s?-?)+$")
_ET_AL = re.compile(r",?\s*et\.? al\.?$", re.IGNORECASE)
_AUTHORS_THEN_TITLE = re.compile(
    rf"^(?P<authors>(?:{_NAME_WORD}\s)+{_INITIALS}(?:,\s(?:{_NAME_WORD}\s)+{_INITIALS})*)"
    r"(?:,?\s+et al\.?)?,?\s+(?P<rest>[A-Z0-9].*)$"
)

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
}
_JOURNAL_STOPWORDS = frozenset({"the", "of", "and", "&", "in", "for", "on", "u", "s", "a"})
_JOURNAL_ABBREVIATIONS = frozenset(_JOURNAL_WORDS) | frozenset(_JOURNAL_WORDS.values())

_SENTENCE_BREAK = re.compile(r"(?<=[?!])\s+|\.\s+")

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
    + PAGES_PATTERN
    + r"\.(?:\sdoi:\s(?P<doi>10\.\d{4,9}/\S+?)\.)?"
    r"(?P<labels>(?:\s-\s(?:DOI|PMC|PubMed))*)"
)
_LABELS = re.compile(r"DOI|PMC|PubMed")


def _read_plain_nlm(raw: str, index: int) -> Reference | None:
    """The common case, read by one pattern: ``Authors. Title. Journal. Date;Vol(Issue):Pages.``

    Returns None for anything the pattern does not settle on its own; `read_citation_in_full`
    then reads it, and a test checks both readers agree wherever this one answers.
    """
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
        first_page=first_page,
        last_page=last_page,
        doi=match["doi"],
        links=frozenset(_LABELS.findall(match["labels"])) if match["labels"] else frozenset(),
    )


def read_citation_in_full(raw: str, index: int = 1) -> Reference:
    """`parse_citation` without its shortcut: every style, identifiers anywhere in the text."""
    raw = raw.strip()
    body, links = _split_link_labels(raw)
    body, doi, pmid, pmcid = _take_identifiers(body)
    body = body.strip().rstrip(" ,;.")
    identifiers = {"doi": doi, "pmid": pmid, "pmcid": pmcid, "links": links}
    fields = (_read_article(body) or _read_book(body)) if body else None
    if fields is None:
        problem = "citation style not recognised; kept as printed" if body else "empty citation"
        found_identifier = not body and (doi or pmid or pmcid)
        warnings = (
            ()
            if found_identifier
            else (Problem(None, "citation", f"reference {index}: {problem}"),)
        )
        return Reference(
            index=index,
            raw=raw,
            year=_any_year(body),
            kind="unknown",
            warnings=warnings,
            **identifiers,
        )
    first_page, last_page = expand_page_range(fields.pop("pages"))
    journal = fields.get("journal")
    return Reference(
        index=index,
        raw=raw,
        first_page=first_page,
        last_page=last_page,
        journal_key=journal_key(journal) if journal else None,
        **identifiers,
        **fields,
    )


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


def _read_article(body: str) -> dict | None:
    """Fields of a journal article (or a bare journal/date line), or None if no style fits."""
    apa = _APA_YEAR.match(body) if "). " in body else None
    if apa:
        source = _match_source(body[apa.end() :], styles=("apa", "nlm"))
        authors = _apa_names(apa.group("authors"))
        if source is None:
            title = body[apa.end() :].strip().rstrip(".") or None
            return {
                "authors": authors,
                "title": title,
                "journal": None,
                "year": int(apa["year"]),
                "volume": None,
                "issue": None,
                "pages": None,
            }
        match, front = source
        journal, segments = _journal_from(front)
        return {
            **_source_fields(match, journal),
            "authors": authors,
            "title": ". ".join(segments) or None,
            "year": int(apa["year"]),
        }
    source = _match_source(body, styles=("nlm", "nature"))
    if source is None:
        return None
    match, front = source
    journal, segments = _journal_from(front)
    authors, title = _authors_and_title(segments)
    return {**_source_fields(match, journal), "authors": authors, "title": title}


def _match_source(body: str, styles: tuple[str, ...]) -> tuple[re.Match[str], str] | None:
    """The first style whose source pattern ends the citation, and the text before it."""
    for style in styles:
        if style == "nlm":
            found = _match_nlm_tail(body)
        elif style == "nature":
            found = _NATURE_TAIL.search(body) if body.rstrip(".").endswith(")") else None
        else:
            found = _APA_TAIL.search(body) if "," in body else None
        if isinstance(found, tuple):
            return found
        if found:
            return found, body[: found.start()]
    return None


def _match_nlm_tail(body: str) -> tuple[re.Match[str], str] | None:
    """The NLM source (date; volume(issue):pages) ending the citation, after ``. `` or ``? ``.

    Only the few places where a year starts a sentence are tried, which keeps this fast.
    """
    for candidate in _YEAR_START.finditer(body):
        start = candidate.start()
        before = body[:start].rstrip()
        if before and (before[-1] not in ".?!" or len(before) == start):
            continue
        match = _NLM_TAIL.match(body, start)
        if match:
            return match, before[:-1] if before.endswith(".") else before
    return None


def _source_fields(match: re.Match[str], journal: str | None) -> dict:
    groups = match.groupdict()
    return {
        "journal": journal,
        "year": int(groups["year"]) if groups.get("year") else None,
        "volume": groups.get("volume"),
        "issue": groups.get("issue") or None,
        "pages": groups.get("pages"),
    }


def _journal_from(front: str) -> tuple[str | None, list[str]]:
    """Take the journal off the end of the text before the source; return it and the rest.

    A journal printed with inner periods (``Nat. Rev. Cancer``) spans several sentences: short
    segments made of journal abbreviations are pulled into it.
    """
    segments = _sentences(front)
    if not segments:
        return None, []
    journal = segments.pop()
    while len(segments) > 1 and _is_abbreviation(segments[-1]):
        journal = f"{segments.pop()}. {journal}"
    return journal, segments


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
    parts = _SENTENCE_BREAK.split(text.strip().rstrip("."))
    return [part.strip() for part in parts if part.strip()]


def _authors_and_title(segments: list[str]) -> tuple[tuple[str, ...], str | None]:
    if not segments:
        return (), None
    authors = _author_list(segments[0])
    if authors is None:
        match = _AUTHORS_THEN_TITLE.match(segments[0])
        if match:
            # Nature style prints no period between authors and title: "Fidler IJ The ..."
            rest = [match.group("rest"), *segments[1:]]
            return _names(match.group("authors")), ". ".join(rest)
        return (), ". ".join(segments)
    rest = segments[1:]
    # An author list can be broken by a stray period: "Weigelt B, Peterse JL. Van 't veer LJ."
    while len(rest) > 1 and (more := _author_list(rest[0])) is not None:
        authors += more
        rest = rest[1:]
    return authors, ". ".join(rest) or None


def _author_list(segment: str) -> tuple[str, ...] | None:
    """The names of an NLM author list, or None if the segment is not one."""
    names = _names(_ET_AL.sub("", segment) if "et" in segment else segment)
    if names and _AUTHOR_LIST.fullmatch(", ".join(names)):
        return names
    return None


def _names(text: str) -> tuple[str, ...]:
    return tuple(name.strip() for name in text.split(",") if name.strip())


def _apa_names(text: str) -> tuple[str, ...]:
    """``Fidler, I. J., & Kripke, M. L.`` → ``("Fidler, I. J.", "Kripke, M. L.")``."""
    parts = [part.strip() for part in re.split(r",\s*(?:&\s*)?|\s&\s", text) if part.strip()]
    names: list[str] = []
    for part in parts:
        if names and _APA_INITIALS.match(part) and "," not in names[-1]:
            names[-1] = f"{names[-1]}, {part}"
        else:
            names.append(part)
    return tuple(names)


def _read_book(body: str) -> dict | None:
    """Fields of a book or chapter ("Place: Publisher; 2007."), or None."""
    if ":" not in body or ";" not in body:
        return None
    match = _BOOK.search(body)
    if not match:
        return None
    front = _EDITION.sub("", body[: match.start()].strip())
    chapter = _CHAPTER.search(front + ". ")
    if chapter:
        segments = _sentences(front[: chapter.start()])
        authors, title = _authors_and_title(segments)
        kind, book_title = "chapter", chapter.group("book").rstrip(".")
    else:
        authors, title = _authors_and_title(_sentences(front))
        kind, book_title = "book", None
    if title is None and not authors:
        return None
    return {
        "authors": authors,
        "title": title,
        "journal": None,
        "year": int(match.group("year")),
        "volume": None,
        "issue": None,
        "pages": match.group("pages"),
        "kind": kind,
        "publisher": match.group("publisher").strip(),
        "book_title": book_title,
    }


def _any_year(body: str) -> int | None:
    match = re.search(r"\b(1[89]\d{2}|20\d{2})\b", body)
    return int(match.group(1)) if match else None


# --- pages and journal keys ------------------------------------------------------------------

_NUMERIC_RANGE = re.compile(r"(\d+)\s?[-–—]\s?(\d+)")
_RANGE_DASH = re.compile(r"\s?[-–—]\s?")
_PAGE = re.compile(r"^(?P<prefix>[A-Za-z]*)(?P<digits>\d+)(?P<suffix>[A-Za-z]*)$")


def expand_page_range(pages: str | None) -> tuple[str | None, str | None]:
    """First and last page of a printed range, expanding abbreviations: ``2536-44`` → 2536, 2544.

    A single page or an electronic location (``e1234``) gives it as first page and None as last.
    """
    if not pages:
        return None, None
    pages = pages.strip().rstrip(".")
    if "-" not in pages and "–" not in pages and "—" not in pages:
        return pages, None
    if numeric := _NUMERIC_RANGE.fullmatch(pages):
        first, last = numeric.groups()
        if len(last) < len(first):
            last = first[: len(first) - len(last)] + last
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
            last_digits = first_digits[: len(first_digits) - len(last_digits)] + last_digits
        prefix = last_match.group("prefix") or first_match.group("prefix")
        last = prefix + last_digits + last_match.group("suffix")
    return first, last


@functools.lru_cache(maxsize=8192)
def journal_key(journal: str) -> str:
    """A key to match journal names across styles: ``Nat. Rev. Cancer.`` → ``nat rev cancer``."""
    words = re.split(r"[\s.,:;()\-/]+", fold(journal))
    return " ".join(
        _JOURNAL_WORDS.get(word, word) for word in words if word and word not in _JOURNAL_STOPWORDS
    )
