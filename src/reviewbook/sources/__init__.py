"""Readers: a file's bytes to `Article` records (pages, citations, MEDLINE, PubMed XML, PMC
full text).

Everything here is a pure function of the text it is given, except `formats.read_articles`
(which opens the file) and `ncbi` (which asks NCBI for records).
"""
