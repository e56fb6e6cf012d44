"""A synthetic corpus of saved PubMed review pages, deterministic for a given seed.

Each page follows the saved-text layout of ``data/pubmed/29037250.txt`` (site banner,
``Access keys`` line, article type, citation line, DOI, title twice, authors line, abstract,
``PubMed Disclaimer``, ``References``, ``LinkOut``), and its reference list is printed in NLM
style with the variety real lists show: one to six authors or ``et al.``, journals with and
without periods, issues or none, full, abbreviated and en-dash page ranges, electronic
locations, DOIs, and trailing link labels; and, less often, group authors after the persons,
``Epub`` dates and ``Review.`` notes after the source. Alongside the text, every page carries the
`Article` a correct reader should produce, so benchmarks can check what they time and tests
can use the corpus as a specification.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from reviewbook.model import Article, Reference
from reviewbook.sources.page_layout import MONTHS

# --- vocabulary -----------------------------------------------------------------------------

BANNER: tuple[str, ...] = (
    "Skip to main page content",
    "U.S. flag",
    "",
    "An official website of the United States government",
    "",
    "Dot gov",
    "",
    "The .gov means it\u2019s official.",
    "Federal government websites often end in .gov or .mil. Before sharing sensitive "
    "information, make sure you\u2019re on a federal government site.",
    "",
    "Https",
    "",
    "The site is secure.",
    "The https:// ensures that you are connecting to the official website and that any "
    "information you provide is encrypted and transmitted securely.",
    "",
    "Access keys NCBI Homepage MyNCBI Homepage Main Content Main Navigation",
)
"""The lines a saved page opens with, up to the navigation line that ends the banner."""

SURNAMES: tuple[str, ...] = (
    "Hanahan",
    "Weinberg",
    "Chambers",
    "MacDonald",
    "Pantel",
    "van Zijl",
    "De Palma",
    "O'Sullivan",
    "M\u00fcller",
    "Garc\u00eda-S\u00e1nchez",
    "Smith-Jones",
    "Kaplan",
    "Lyden",
    "Coussens",
    "Pollard",
    "Joyce",
    "Massagu\u00e9",
    "Nguyen",
    "Werb",
    "Qian",
    "Li",
    "Zhang",
    "Wang",
    "Kitamura",
    "Gabrilovich",
    "Bronte",
    "Mantovani",
    "Allavena",
    "Sica",
    "Ostrand-Rosenberg",
    "Labelle",
    "Hynes",
    "Psaila",
    "Peinado",
    "Headley",
    "Janssen",
    "Erez",
    "Folkman",
    "Kalluri",
    "Bos",
)
GIVEN_NAMES: tuple[str, ...] = (
    "Louise",
    "Neta",
    "Karin",
    "Douglas",
    "Ann",
    "Raghu",
    "Jeffrey",
    "Mikala",
    "Lisa",
    "Johanna",
    "Hector",
    "Ruth",
)
TITLE_WORDS: tuple[str, ...] = (
    "tumor",
    "metastasis",
    "metastatic",
    "immune",
    "cells",
    "macrophages",
    "neutrophils",
    "platelets",
    "T",
    "NK",
    "regulatory",
    "myeloid-derived",
    "suppressor",
    "niche",
    "pre-metastatic",
    "colonization",
    "dissemination",
    "circulating",
    "invasion",
    "of",
    "the",
    "in",
    "and",
    "by",
    "promote",
    "suppress",
    "cancer",
    "breast",
    "lung",
    "melanoma",
    "microenvironment",
    "signaling",
    "TGF-beta",
    "CCL2",
    "chemokine",
    "exosomes",
    "dormancy",
    "escape",
    "surveillance",
    "inflammation",
    "role",
    "mouse",
    "models",
    "human",
    "2",
)
JOURNALS: tuple[str, ...] = (
    "Nat Rev Cancer",
    "Nat. Rev. Cancer",
    "Cell",
    "Nature",
    "Science",
    "Cancer Res",
    "Cancer Cell",
    "Immunity",
    "J Exp Med",
    "J. Exp. Med",
    "J Clin Invest",
    "J. Immunol",
    "Proc Natl Acad Sci U S A",
    "Int J Cancer",
    "Clin Cancer Res",
    "Clin. Cancer Res",
    "Front Immunol",
    "Oncoimmunology",
    "Mutat Res",
    "Nat Med",
    "Cancer Metastasis Rev",
)
"""Journal names as printed in references, without the closing period."""
GROUPS: tuple[str, ...] = (
    "Metastasis Research Consortium",
    "ACTG 5202 Study Team",
    "CheckMate 067 Investigators",
    "Breast Cancer Immunology Working Group",
)
"""Group authors printed after the persons, NLM style: ``Smith J, Jones K; X Study Team``."""
ARTICLE_JOURNALS: tuple[str, ...] = (
    "J Immunother Cancer",
    "Int J Cancer",
    "Nat Rev Immunol",
    "Front Oncol",
)
EN_DASH = "\u2013"
NBSP = "\u00a0"


# --- the records ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class GeneratedPage:
    """One synthetic page: its text and the article a correct reader gives for it."""

    pmid: str
    text: str
    expected: Article


def generate_corpus(
    n_pages: int = 1_000, n_references: int = 200, *, seed: int = 0
) -> list[GeneratedPage]:
    """``n_pages`` pages of ``n_references`` references each; the same seed, the same pages."""
    rng = random.Random(seed)
    return [_page(rng, 30_000_000 + number, n_references) for number in range(n_pages)]


# --- references -----------------------------------------------------------------------------


def _author(rng: random.Random) -> str:
    """An NLM author: surname and one to three initials, e.g. ``van Zijl F``."""
    initials = "".join(rng.choice("ABCDEFGHJKLMNPRSTW") for _ in range(rng.choice((1, 2, 2, 3))))
    return f"{rng.choice(SURNAMES)} {initials}"


def _title(rng: random.Random, low: int = 4, high: int = 14) -> str:
    """A sentence-case title, sometimes with a subtitle after a colon."""
    words = [rng.choice(TITLE_WORDS) for _ in range(rng.randint(low, high))]
    if len(words) > 6 and rng.random() < 0.3:
        words[3] += ":"
    title = " ".join(words)
    return title[0].upper() + title[1:]


def _pages(rng: random.Random) -> tuple[str, str, str | None]:
    """Printed pages with the first and (expanded) last page they stand for."""
    style = rng.random()
    if style < 0.08:
        location = f"e{rng.randint(1000, 99999)}"
        return location, location, None
    first = str(rng.randint(1, 3_000))
    if style < 0.15:
        return first, first, None
    last = str(int(first) + rng.randint(1, 40))
    if style < 0.55 or len(last) != len(first):
        return f"{first}{EN_DASH}{last}", first, last
    shared = next(i for i, (a, b) in enumerate(zip(first, last, strict=True)) if a != b)
    dash = EN_DASH if style < 0.8 else "-"
    return f"{first}{dash}{last[shared:]}", first, last


def _doi(rng: random.Random, year: int) -> str:
    """A DOI shaped like the ones publishers hand out."""
    registrant = rng.choice(("1038", "1016", "1084", "1158", "1186", "1002", "4049"))
    if registrant == "1016":
        suffix = f"j.ccell.{year}.{rng.randint(1, 12):02d}.{rng.randint(1, 30):03d}"
    else:
        suffix = f"nrc{rng.randint(100, 9999)}"
    return f"10.{registrant}/{suffix}"


def _reference(rng: random.Random, index: int) -> tuple[str, Reference]:
    """One printed reference line (without numbering) and the record it stands for."""
    authors = tuple(_author(rng) for _ in range(rng.randint(1, 6)))
    et_al = len(authors) >= 3 and rng.random() < 0.25
    title = _title(rng)
    end = "?" if rng.random() < 0.05 else "."
    journal = rng.choice(JOURNALS)
    year = rng.randint(1975, 2017)
    date = f"{year} {rng.choice(MONTHS)}" if rng.random() < 0.2 else str(year)
    volume = str(rng.randint(1, 500))
    issue = None
    if rng.random() < 0.7:
        issue = str(rng.randint(1, 24))
        if rng.random() < 0.05:
            issue = f"{issue}{EN_DASH}{int(issue) + 1}"
    printed_pages, first_page, last_page = _pages(rng)
    doi = _doi(rng, year) if rng.random() < 0.6 else None

    group = rng.choice(GROUPS) if rng.random() < 0.02 else None
    epub_date = f"{year} {rng.choice(MONTHS)} {rng.randint(1, 28)}" if rng.random() < 0.04 else None
    types = ("Review",) if rng.random() < 0.03 else ()

    author_text = (
        ", ".join(authors) + (", et al" if et_al else "") + (f"; {group}" if group else "")
    )
    source = f"{date};{volume}" + (f"({issue})" if issue else "") + f":{printed_pages}."
    citation = f"{author_text}. {title}{end} {journal}. {source}"
    if doi:
        citation += f" doi: {doi}."
    if epub_date:
        citation += f" Epub {epub_date}."
    citation += "".join(f" {note}." for note in types)
    links = frozenset(
        label
        for label, present in (
            ("DOI", doi is not None and rng.random() < 0.95),
            ("PMC", rng.random() < 0.3),
            ("PubMed", rng.random() < 0.9),
        )
        if present
    )
    raw = citation + "".join(f" - {label}" for label in sorted(links))
    reference = Reference(
        index=index,
        raw=raw,
        authors=(*authors, group) if group else authors,
        collective=(group,) if group else (),
        elocator=first_page if printed_pages.startswith("e") else None,
        epub_date=epub_date,
        pub_status=(f"Epub {epub_date}",) if epub_date else (),
        publication_types=types,
        title=title + ("?" if end == "?" else ""),
        journal=journal,
        year=year,
        volume=volume,
        issue=issue,
        first_page=first_page,
        last_page=last_page,
        doi=doi,
        links=links,
    )
    return raw, reference


# --- pages ----------------------------------------------------------------------------------


def _abstract(rng: random.Random) -> tuple[str, ...]:
    """One to three paragraphs of a few sentences each."""
    return tuple(
        " ".join(_title(rng, 8, 20) + "." for _ in range(rng.randint(2, 5)))
        for _ in range(rng.randint(1, 3))
    )


def _page(rng: random.Random, pmid: int, n_references: int) -> GeneratedPage:
    """A whole saved page, laid out like ``data/pubmed/29037250.txt``."""
    title = _title(rng, 6, 16) + rng.choice(("", "", "?"))
    year = rng.randint(2005, 2024)
    pub_date = f"{year} {rng.choice(MONTHS)} {rng.randint(1, 28)}"
    volume, issue, pages = (
        str(rng.randint(1, 150)),
        str(rng.randint(1, 12)),
        str(rng.randint(1, 400)),
    )
    doi = f"10.1186/s40425-{year}-{rng.randint(0, 9999):04d}-{rng.randint(0, 9)}"
    journal = rng.choice(ARTICLE_JOURNALS)
    first_author = f"{rng.choice(GIVEN_NAMES)} {rng.choice('ABCDEFGHJKLM')} {rng.choice(SURNAMES)}"
    paragraphs = _abstract(rng)
    lines_and_references = [_reference(rng, index) for index in range(1, n_references + 1)]

    lines = [
        *BANNER,
        "Review",
        f". {pub_date};{volume}({issue}):{pages}.",
        f"doi: {doi}.",
        "",
        title,
        "",
        "Affiliations",
        "Review",
        "",
        title,
        "",
        f"{first_author}{NBSP}et al. {journal}. .",
        "",
        "Abstract",
        "",
        *(line for paragraph in paragraphs for line in (paragraph, "")),
        "PubMed Disclaimer",
        "",
        "References",
        "",
        *(f"    1. {raw}" for raw, _ in lines_and_references),
        "",
        "LinkOut - more resources",
        "",
    ]
    expected = Article(
        pmid=str(pmid),
        title=title,
        article_types=("Review",),
        journal=journal,
        pub_date=pub_date,
        year=year,
        volume=volume,
        issue=issue,
        pages=pages,
        first_page=pages,
        doi=doi,
        authors_display=f"{first_author} et al.",
        first_author=first_author,
        abstract="\n\n".join(paragraphs),
        references=tuple(reference for _, reference in lines_and_references),
    )
    return GeneratedPage(pmid=str(pmid), text="\n".join(lines), expected=expected)
