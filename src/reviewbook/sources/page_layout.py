"""What a saved PubMed abstract page is made of: its chrome, headings and labels, as data."""

from __future__ import annotations

BANNER_LINES: frozenset[str] = frozenset(
    {
        "Skip to main page content",
        "U.S. flag",
        "An official website of the United States government",
        "Here's how you know",
        "Dot gov",
        "The .gov means it’s official.",
        "The .gov means it's official.",
        "Federal government websites often end in .gov or .mil. Before sharing sensitive "
        "information, make sure you’re on a federal government site.",
        "Federal government websites often end in .gov or .mil. Before sharing sensitive "
        "information, make sure you're on a federal government site.",
        "Https",
        "The site is secure.",
        "The https:// ensures that you are connecting to the official website and that any "
        "information you provide is encrypted and transmitted securely.",
        "Log in",
        "Show account info",
        "Close",
        "Account",
        "Logged in as:",
        "Dashboard",
        "Publications",
        "Account settings",
        "Log out",
        "Search:",
        "Search",
        "Advanced",
        "Clipboard",
        "User Guide",
        "Save",
        "Email",
        "Send to",
        "Display options",
        "Display options format",
        "Cite",
        "Share",
        "Page navigation",
        "Title & authors",
        "Full text links",
        "Actions",
    }
)
"""Site chrome printed around the article, skipped wherever it appears."""

BANNER_END_PREFIX = "Access keys"
"""The navigation line that closes the site banner."""

PAGE_CONTROLS: frozenset[str] = frozenset(
    {
        "PubMed Disclaimer",
        "Affiliations",
        "Expand",
        "Collapse",
        "Item in Clipboard",
        "Free article",
        "Free PMC article",
        "Free full text",
        "Show all",
        "Show less",
        "Load all",
        "See all",
        "Similar articles in PubMed",
        "No abstract available",
    }
)
"""Labels of buttons and toggles in the article body: they carry no content."""

NOTICE_SECTIONS: tuple[str, ...] = (
    "Comment in",
    "Comment on",
    "Erratum in",
    "Erratum for",
    "Update of",
    "Update in",
    "Retraction in",
    "Retraction of",
    "Expression of concern in",
)
"""Sections listing notices linked to the article: each entry is a citation."""

LIST_SECTIONS: tuple[str, ...] = (
    "Publication types",
    "MeSH terms",
    "Substances",
    "Supplementary concepts",
    "Associated data",
    "Supplementary info",
    "Grants and funding",
    "Related information",
    "LinkOut - more resources",
    "Keywords",
    "Full text sources",
    "Other Literature Sources",
    "Medical",
    "Research Materials",
    "Miscellaneous",
)
"""Sections whose items are names, not sentences: an item cut short cannot be told from a
short item, so a page ending in one of them is taken as complete."""

SECTION_HEADINGS: dict[str, str] = {
    heading.lower(): heading
    for heading in (
        "Abstract",
        "Figures",
        "References",
        "Conflict of interest statement",
        *NOTICE_SECTIONS,
        "Similar articles",
        "Cited by",
        *LIST_SECTIONS,
    )
}
"""Section headings of the article body, keyed by lower case."""

NEVER_EMPTY_SECTIONS: frozenset[str] = frozenset(
    {"Abstract", "Figures", "References", "Keywords", "Conflict of interest statement"}
).union(NOTICE_SECTIONS)
"""Headings a saved page always prints with text below: a page ending on one was cut."""

COMPLETE_LINE_ENDS: tuple[str, ...] = (".", "?", "!", ")", "]", "}", '"', "'", "”", "’", "»")
"""Marks a finished sentence, caption or reference ends with."""

COMPLETE_LINE_TAILS: tuple[str, ...] = (
    "- PubMed",
    "- DOI",
    "- PMC",
    "- Google Scholar",
    "- Crossref",
    "Free PMC article",
    "Free article",
    "No abstract available",
)
"""Link labels and notes a reference or list entry ends with instead of a full stop."""

PUBLICATION_NOTES: tuple[str, ...] = ("Epub", "eCollection", "Print")
"""Dated notes PubMed prints after the DOI: ``Epub 2012 Jul 22.``, ``eCollection 2017.``"""

UNDATED_PUBLICATION_NOTES: tuple[str, ...] = ("Online ahead of print",)
"""Notes after the DOI that carry no date."""

UNPRINTED_FIGURE_LABEL = "None"
"""What the page prints in place of the label of a figure that has none (``None``, then
``None. <title>``): such a figure is kept, with an empty label."""

ABSTRACT_HEADING = "Abstract"
FIGURES_HEADING = "Figures"
REFERENCES_HEADING = "References"
KEYWORDS_HEADING = "Keywords"

PUBLICATION_TYPES: frozenset[str] = frozenset(
    {
        "Review",
        "Systematic Review",
        "Meta-Analysis",
        "Editorial",
        "Comment",
        "Letter",
        "News",
        "Case Reports",
        "Clinical Trial",
        "Clinical Trial, Phase I",
        "Clinical Trial, Phase II",
        "Clinical Trial, Phase III",
        "Randomized Controlled Trial",
        "Observational Study",
        "Comparative Study",
        "Multicenter Study",
        "Practice Guideline",
        "Guideline",
        "Consensus Statement",
        "Published Erratum",
        "Retracted Publication",
        "Retraction of Publication",
        "Preprint",
        "Historical Article",
        "Biography",
        "Lecture",
        "Introductory Journal Article",
        "Journal Article",
        "Research Support, Non-U.S. Gov't",
        "Research Support, N.I.H., Extramural",
        "Research Support, U.S. Gov't, P.H.S.",
    }
)
"""PubMed publication types, used to tell an article-type line from a title."""

MONTHS: tuple[str, ...] = (
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
)  # fmt: skip
"""Month abbreviations as PubMed prints dates (``2017 Oct 17``)."""
