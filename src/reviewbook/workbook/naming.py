"""Names and text made from an article: authors as PubMed cites them, a notebook's file name
and heading, the manifest's citation. Pure functions of the record."""

from __future__ import annotations

import re

from reviewbook.model import Article, cited_source
from reviewbook.text import NAME_SUFFIXES, ascii_key, fold, is_initials, markdown_text

SLUG_WORDS = 3
"""Significant title words in a notebook's name."""
# fmt: off
TITLE_STOPWORDS: frozenset[str] = frozenset({
    "a", "an", "and", "are", "as", "at", "by", "can", "do", "does", "for", "from", "how", "in",
    "into", "is", "it", "its", "of", "on", "or", "the", "their", "this", "to", "versus", "via",
    "vs", "what", "when", "where", "which", "who", "why", "with",
})
# fmt: on
"""Words left out of a notebook's name."""

MATH_FREE_SPAN = '<span class="mathjax_ignore tex2jax_ignore">'
"""How a notebook heading that holds ``$`` or ``\\`` opens: MathJax reads nothing inside."""


def surname(name: str) -> str:
    """The surname in ``Janssen LME`` (PubMed's form) or ``Louise M E Janssen`` (the page's)."""
    words = [word for word in name.split() if word not in NAME_SUFFIXES]
    if len(words) > 1 and is_initials(words[-1]):
        return " ".join(words[:-1])
    return words[-1] if words else ""


def nlm_name(name: str) -> str:
    """An author as PubMed cites them: ``Louise M E Janssen`` gives ``Janssen LME``."""
    words = [word for word in name.split() if word not in NAME_SUFFIXES]
    if len(words) < 2 or is_initials(words[-1]):
        return " ".join(words)
    return f"{words[-1]} {''.join(word[0].upper() for word in words[:-1])}"


def author_names(article: Article) -> tuple[tuple[str, ...], bool]:
    """The authors the record names, and whether it says there are more (``et al.``)."""
    shown = (article.authors_display or "").strip()
    more = shown.endswith("et al.")
    names = tuple(name.strip() for name in shown.removesuffix("et al.").split(",") if name.strip())
    if article.first_author and not names:
        names = (article.first_author,)
    return names, more


def author_label(article: Article) -> str:
    """``Guo et al.``, ``Erez & Coussens`` or ``Olivero``, for headings."""
    names, more = author_names(article)
    if not names:
        return "Anonymous"
    if len(names) == 2 and not more:
        return f"{surname(names[0])} & {surname(names[1])}"
    return surname(names[0]) + (" et al." if more or len(names) > 2 else "")


def review_citation(article: Article) -> str:
    """The manifest's citation, NLM style: ``Janssen LME et al. Title? J Immunother Cancer.
    2017 Oct 17;5(1):79. doi:...`` (the source part is `cited_source`'s)."""
    names, more = author_names(article)
    cited = [nlm_name(name) for name in names]
    authors = f"{cited[0]} et al." if len(cited) > 2 or (cited and more) else ", ".join(cited)
    source = cited_source(article)
    parts = [_sentence(authors), _sentence(article.title), _sentence(source)]
    if article.doi:
        parts.append(f"doi:{article.doi}")
    return " ".join(part for part in parts if part)


def _sentence(text: str) -> str:
    """Text with whitespace collapsed, ending in a full stop unless it ends in ``.?!``."""
    line = " ".join(text.split())
    return line if not line or line.endswith((".", "?", "!")) else line + "."


def title_slug(title: str, words: int = SLUG_WORDS) -> str:
    """The first significant words of a title, for a file name: ``immune_system_cancer``."""
    significant = [
        word for word in re.findall(r"[a-z0-9]+", fold(title)) if word not in TITLE_STOPWORDS
    ]
    return "_".join(significant[:words]) or "review"


def notebook_key(article: Article) -> str:
    """A review notebook's name without its number: ``janssen2017_immune_system_cancer``."""
    names, _ = author_names(article)
    author = ascii_key(surname(names[0])) if names else "anonymous"
    return f"{author or 'anonymous'}{article.year or 'nd'}_{title_slug(article.title)}"


def notebook_heading(article: Article) -> str:
    """``Guo et al. 2018: *Title*`` in Markdown, article text escaped.

    A heading whose text holds ``$`` or ``\\`` is wrapped in `MATH_FREE_SPAN`: JupyterLab
    typesets a Markdown cell's rendered text too, where the escaped characters are back."""
    author = author_label(article)
    heading = f"{markdown_text(author)} {article.year or 'n.d.'}"
    title = " ".join(article.title.split()).removesuffix(".")
    if title:
        heading = f"{heading}: *{markdown_text(title)}*"
    if any(character in author + title for character in "$\\"):
        return f"{MATH_FREE_SPAN}{heading}</span>"
    return heading
