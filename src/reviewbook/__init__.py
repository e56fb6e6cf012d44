"""reviewbook: read review articles closely, from their PubMed pages to tables and notes."""

from reviewbook.errors import PubMedPageError
from reviewbook.model import Article, Figure, Reference
from reviewbook.sources.citation import expand_page_range, journal_key, parse_citation
from reviewbook.sources.formats import read_article, read_articles
from reviewbook.sources.page import parse_pubmed_page, read_pubmed_page
from reviewbook.tables.frames import articles_frame, references_frame

__all__ = [
    "Article",
    "Figure",
    "PubMedPageError",
    "Reference",
    "articles_frame",
    "expand_page_range",
    "journal_key",
    "parse_citation",
    "parse_pubmed_page",
    "read_article",
    "read_articles",
    "read_pubmed_page",
    "references_frame",
]
