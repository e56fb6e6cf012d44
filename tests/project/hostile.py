"""A workbook that holds, besides the seeds, a review whose record and our notes on it carry
scripts and mathematics: what the website and JupyterLab must show as text."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from xml.sax.saxutils import escape

from reviewbook.workbook.adding import add_review
from tests.conftest import copy_seed_workbook
from tests.workbook.conftest import offline_client

SCRIPTED = "Radiology </SCRIPT><img src=x onerror=alert(document.domain)>"
"""Text that runs a script wherever it lands unescaped, or in a ``<script>`` that escapes only
``</script>`` in lower case."""
SCRIPT = "</script><script>alert(1)</script>"
MATH = "$x^2$ and \\(y\\)"
HOSTILE_PMID = "12345678"


def hostile_record(folder: Path) -> Path:
    """A PubMed XML review whose title, journal, author, abstract, keyword and references
    carry `SCRIPTED`, `SCRIPT` and `MATH`."""
    references = "".join(
        f"<Reference><Citation>{escape(text)}</Citation></Reference>"
        for text in (f"Smith J. A {SCRIPTED} title. {SCRIPTED}. 2015;1:2-3.", f"Doe A. {SCRIPT}.")
    )
    record = (
        '<?xml version="1.0" ?>\n<PubmedArticleSet><PubmedArticle>'
        f'<MedlineCitation Status="MEDLINE" Owner="NLM"><PMID Version="1">{HOSTILE_PMID}</PMID>'
        '<Article PubModel="Print"><Journal><JournalIssue><Volume>3</Volume>'
        f"<PubDate><Year>2020</Year></PubDate></JournalIssue><Title>{escape(SCRIPTED)}</Title>"
        f"<ISOAbbreviation>{escape(SCRIPTED)}</ISOAbbreviation></Journal>"
        f"<ArticleTitle>Hostile {escape(SCRIPTED)} {escape(SCRIPT)} {escape(MATH)}.</ArticleTitle>"
        f"<Abstract><AbstractText>Abstract {escape(SCRIPTED)} {escape(MATH)}.</AbstractText>"
        f"</Abstract><AuthorList><Author><LastName>{escape(SCRIPT)}</LastName>"
        "<Initials>A</Initials></Author></AuthorList><PublicationTypeList>"
        "<PublicationType>Review</PublicationType></PublicationTypeList></Article>"
        f"<MedlineJournalInfo><MedlineTA>{escape(SCRIPTED)}</MedlineTA></MedlineJournalInfo>"
        f"<KeywordList><Keyword>{escape(SCRIPT)}</Keyword></KeywordList></MedlineCitation>"
        f'<PubmedData><ArticleIdList><ArticleId IdType="pubmed">{HOSTILE_PMID}</ArticleId>'
        f"</ArticleIdList><ReferenceList>{references}</ReferenceList></PubmedData>"
        "</PubmedArticle></PubmedArticleSet>\n"
    )
    path = folder / f"{HOSTILE_PMID}.xml"
    path.write_text(record, encoding="utf-8")
    return path


HOSTILE_NOTES = f"""pmid: "{HOSTILE_PMID}"
claims:
  - id: hostile-claim
    statement: {json.dumps(f"A claim {SCRIPTED} {SCRIPT} {MATH}")}
    quote:
      exact: {json.dumps(f"Hostile {SCRIPTED}")}
    location: title
    cells: [neutrophil]
    role: promotes
references:
  - index: 1
    note: {json.dumps(f"A note {SCRIPTED} {SCRIPT} {MATH}")}
    tags: ["</SCRIPT><img src=x onerror=alert(1)>", "</script><script>alert(2)", "$x$"]
"""
"""Our notes on the hostile review: a claim, a reference note and tags carrying markup."""


def hostile_workbook(root: Path) -> Path:
    """A copy of the seed workbook at ``root`` with the hostile review added by ``add_review``,
    our hostile notes on it, and its notebooks run again."""
    workbook = copy_seed_workbook(root)
    add_review(str(hostile_record(root.parent)), root=workbook, client=offline_client())
    notes = workbook / "data" / "annotations" / f"{HOSTILE_PMID}.yaml"
    notes.write_text(HOSTILE_NOTES, encoding="utf-8")
    rerun = subprocess.run(
        [sys.executable, "-m", "reviewbook", "--workbook", str(workbook), "notebooks", "run"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert rerun.returncode == 0, rerun.stdout + rerun.stderr
    return workbook
