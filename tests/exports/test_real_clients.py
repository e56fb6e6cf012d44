"""Exports of 74 references taken whole by the programs researchers feed them to.

pdflatex with BibTeX (``plain``, ``unsrt``) and with biblatex and biber compile a document citing
every key with no error; biber keeps every PMID; pandoc's citeproc renders every CSL-JSON item
with no warning; citation-js reads the BibTeX, RIS and CSL-JSON back with every PMID, DOI,
title, year and page range (RIS aside for the PMID: citation-js maps no RIS tag to one). Each
client runs in ``tmp_path``; a missing one skips (fails in CI, see ``conftest.program``).
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable
from pathlib import Path

import bibtexparser
import pandas as pd
import pytest

from reviewbook import Article, Reference
from reviewbook.exports import (
    bibtex,
    csl_items,
    export_with_notes,
    to_biblatex,
    to_bibtex,
    to_csl_json,
    to_ris,
)
from reviewbook.exports.csl import CslItem, item_year
from tests.exports.conftest import program, run

ReadWithCitationJs = Callable[[str, Path], list[dict[str, object]]]

LATEX_PREAMBLE = (
    "\\documentclass{article}\n\\usepackage[T1]{fontenc}\n\\usepackage[utf8]{inputenc}\n"
)
"""The preamble docs/exports.md gives for our BibTeX under pdflatex."""


def citing_every_key(keys: list[str], bibliography: str) -> str:
    """A LaTeX document citing every key, then printing the bibliography."""
    return (
        f"{LATEX_PREAMBLE}{bibliography.split('|')[0]}\\begin{{document}}\n"
        f"Every reference: \\cite{{{','.join(keys)}}}.\n{bibliography.split('|')[1]}"
        "\\end{document}\n"
    )


def latex_errors(log: str) -> list[str]:
    """The error lines of a LaTeX log (``! ...``) and any citation left undefined."""
    return [
        line
        for line in log.splitlines()
        if line.startswith("!") or ("undefined" in line and "Citation" in line)
    ]


def compiled(tmp_path: Path, document: str, bibliography_run: list[str]) -> str:
    """Run pdflatex, the bibliography program, pdflatex twice; the last log."""
    (tmp_path / "doc.tex").write_text(document, encoding="utf-8")
    pdflatex = [program("pdflatex"), "-interaction=nonstopmode", "doc.tex"]
    first = run(pdflatex, tmp_path)
    assert first.returncode == 0, latex_errors((tmp_path / "doc.log").read_text(errors="replace"))
    built = run(bibliography_run, tmp_path)
    assert built.returncode == 0, built.stdout + built.stderr
    assert "error" not in built.stdout.lower().replace("0 error", ""), built.stdout
    for _ in range(2):
        done = run(pdflatex, tmp_path)
    log = (tmp_path / "doc.log").read_text(encoding="utf-8", errors="replace")
    assert done.returncode == 0 and latex_errors(log) == [], latex_errors(log)
    return log


def essentials(item: dict[str, object]) -> dict[str, object]:
    """What every client must read back: PMID, DOI, title, year and page range."""
    return {
        "PMID": item.get("PMID"),
        "DOI": item.get("DOI"),
        "title": item.get("title"),
        "year": item_year(item),
        "page": item.get("page"),
    }


@pytest.fixture(scope="module")
def items(every_reference: pd.DataFrame) -> list[CslItem]:
    return csl_items(every_reference)


def test_the_references_are_those_of_issue_25(items: list[CslItem]) -> None:
    assert len(items) == 74
    assert len({item["id"] for item in items}) == 74
    assert sum("PMID" in item for item in items) == 49 + 14


# --- LaTeX --------------------------------------------------------------------------------------


@pytest.mark.parametrize("style", ["plain", "unsrt"])
def test_pdflatex_and_bibtex_compile_every_reference(
    tmp_path: Path, every_reference: pd.DataFrame, items: list[CslItem], style: str
) -> None:
    (tmp_path / "refs.bib").write_text(to_bibtex(every_reference), encoding="utf-8")
    keys = [str(item["id"]) for item in items]
    document = citing_every_key(keys, f"|\\bibliographystyle{{{style}}}\n\\bibliography{{refs}}\n")
    compiled(tmp_path, document, [program("bibtex"), "doc"])
    bbl = (tmp_path / "doc.bbl").read_text(encoding="utf-8")
    assert bbl.count("\\bibitem") == 74
    assert "{MRI} of the brain in multiple sclerosis: a {SCOP} study" in bbl


def test_biblatex_and_biber_compile_every_reference_and_keep_every_pmid(
    tmp_path: Path, every_reference: pd.DataFrame, items: list[CslItem]
) -> None:
    (tmp_path / "refs.bib").write_text(to_biblatex(every_reference), encoding="utf-8")
    keys = [str(item["id"]) for item in items]
    document = citing_every_key(
        keys,
        "\\usepackage[backend=biber]{biblatex}\n\\addbibresource{refs.bib}\n|\\printbibliography\n",
    )
    compiled(tmp_path, document, [program("biber"), "doc"])
    tool = run([program("biber"), "--tool", "--output-file=biber.bib", "refs.bib"], tmp_path)
    assert tool.returncode == 0, tool.stdout
    entries = bibtexparser.parse_file(str(tmp_path / "biber.bib")).entries
    kept = {entry.key: entry.fields_dict.get("EPRINT") for entry in entries}
    assert {key: field.value for key, field in kept.items() if field} == {
        str(item["id"]): item["PMID"] for item in items if "PMID" in item
    }


def biber_names(bbl: str, key: str) -> list[dict[str, str]]:
    """The name parts biber gave each author of ``key``, from its .bbl."""
    entry = bbl.split(f"\\entry{{{key}}}", 1)[1].split("\\endentry", 1)[0]
    names = re.findall(r"\{\{hash=[0-9a-f]+\}\{%(.*?)\}\}%", entry, flags=re.DOTALL)
    return [
        {
            part: re.sub(r"\\bibnamedelim[a-z] ", " ", value)
            for part, value in re.findall(r"\b(family|given|prefix|suffix)=\{(.*?)\},?\n", name)
        }
        for name in names
    ]


def test_biber_splits_names_at_their_particles(tmp_path: Path, hard: Article) -> None:
    (tmp_path / "refs.bib").write_text(to_biblatex(hard), encoding="utf-8")
    document = citing_every_key(
        [str(item["id"]) for item in csl_items(hard)],
        "\\usepackage[backend=biber]{biblatex}\n\\addbibresource{refs.bib}\n|\\printbibliography\n",
    )
    compiled(tmp_path, document, [program("biber"), "doc"])
    bbl = (tmp_path / "doc.bbl").read_text(encoding="utf-8")
    assert biber_names(bbl, "vantveer2002gene")[0] == {
        "family": "Veer",
        "given": "L. J.",
        "prefix": "van 't",
    }
    assert biber_names(bbl, "delacruz2010seed")[0] == {
        "family": "Cruz",
        "given": "M.",
        "prefix": "de la",
    }
    assert biber_names(bbl, "obyrne2015ifng")[0] == {"family": "O'Byrne", "given": "K. J."}
    assert biber_names(bbl, "thart2011k")[0] == {"family": "Hart", "given": "B. A.", "prefix": "’t"}
    assert biber_names(bbl, "ostergaard2019mri")[1] == {"family": "Æbelø", "given": "K."}


# --- pandoc -------------------------------------------------------------------------------------


def test_pandoc_renders_every_csl_json_item_without_a_warning(
    tmp_path: Path, every_reference: pd.DataFrame, items: list[CslItem]
) -> None:
    (tmp_path / "refs.json").write_text(to_csl_json(every_reference), encoding="utf-8")
    citations = "; ".join(f"@{item['id']}" for item in items)
    (tmp_path / "doc.md").write_text(f"Every reference [{citations}].\n", encoding="utf-8")
    done = run(
        [program("pandoc"), "--citeproc", "--bibliography=refs.json", "-t", "html", "doc.md"],
        tmp_path,
    )
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.count('class="csl-entry"') == 74


@pytest.mark.parametrize("flavour", ["bibtex", "biblatex"])
def test_pandoc_reads_every_id_year_and_range_of_the_bibtex(
    tmp_path: Path, every_reference: pd.DataFrame, items: list[CslItem], flavour: str
) -> None:
    write = {"bibtex": to_bibtex, "biblatex": to_biblatex}[flavour]
    (tmp_path / "refs.bib").write_text(write(every_reference), encoding="utf-8")
    done = run([program("pandoc"), "-f", "bibtex", "-t", "csljson", "refs.bib"], tmp_path)
    assert (done.returncode, done.stderr) == (0, "")
    read = {item["id"]: item for item in json.loads(done.stdout)}
    for item in items:
        back = read[item["id"]]
        assert (back.get("PMID"), back.get("DOI"), item_year(back)) == (
            item.get("PMID"),
            item.get("DOI"),
            item_year(item),
        )
        assert back.get("page") == item.get("page")
        assert back.get("issue") == _dashed(item.get("issue"))  # 1--2 read as 1–2, not 12


def _dashed(value: object) -> object:
    """An issue range as pandoc gives it back: its dash as an en dash."""
    return re.sub(r"(?<=\w)[-–](?=\w)", "–", value) if isinstance(value, str) else value


# --- citation-js --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("reader", "file_name", "write"),
    [
        ("bibtex", "refs.bib", to_bibtex),
        ("bibtex", "refs.bib", to_biblatex),
        ("csl-json", "refs.json", to_csl_json),
    ],
    ids=["bibtex", "biblatex", "csl-json"],
)
def test_citation_js_reads_every_essential(
    tmp_path: Path,
    every_reference: pd.DataFrame,
    items: list[CslItem],
    citation_js: ReadWithCitationJs,
    reader: str,
    file_name: str,
    write: Callable[[pd.DataFrame], str],
) -> None:
    (tmp_path / file_name).write_text(write(every_reference), encoding="utf-8")
    read = {item["id"]: item for item in citation_js(reader, tmp_path / file_name)}
    assert {key: essentials(read[key]) for key in read} == {
        item["id"]: essentials(item) for item in items
    }


def test_citation_js_reads_the_ris_but_no_pmid(
    tmp_path: Path,
    every_reference: pd.DataFrame,
    items: list[CslItem],
    citation_js: ReadWithCitationJs,
) -> None:
    """Every DOI, title, year, page range and PMCID; citation-js maps no RIS tag to a PMID."""
    (tmp_path / "refs.ris").write_text(to_ris(every_reference), encoding="utf-8")
    read = {item["id"]: item for item in citation_js("ris", tmp_path / "refs.ris")}
    assert {key: essentials(read[key]) | {"PMID": None} for key in read} == {
        item["id"]: essentials(item) | {"PMID": None} for item in items
    }
    assert {key: read[key].get("PMCID") for key in read} == {
        item["id"]: item.get("PMCID") for item in items
    }


def test_every_character_written_as_it_is_or_as_mathematics_compiles(tmp_path: Path) -> None:
    """`PDFLATEX_TEXT` and `MATH_MACROS` hold what pdflatex typesets: a title of every one of
    them compiles with BibTeX and with biber, with no error and nothing noted."""
    codes = [code for start, end in bibtex.PDFLATEX_TEXT for code in range(start, end + 1)]
    text = [chr(code) for code in codes if unicodedata.is_normalized("NFC", chr(code))]
    title = " ".join(["Characters", *text, *bibtex.MATH_MACROS])
    article = Article(pmid="1", title="T", references=(Reference(1, "r", title=title, year=2000),))
    assert export_with_notes(article, "bibtex").notes == ()
    for write, run_bibliography, preamble in (
        (to_bibtex, "bibtex", "|\\bibliographystyle{plain}\n\\bibliography{refs}\n"),
        (
            to_biblatex,
            "biber",
            "\\usepackage[backend=biber]{biblatex}\n\\addbibresource{refs.bib}\n|"
            "\\printbibliography\n",
        ),
    ):
        folder = tmp_path / run_bibliography
        folder.mkdir()
        (folder / "refs.bib").write_text(write(article), encoding="utf-8")
        document = citing_every_key(["characters2000"], preamble)
        compiled(folder, document, [program(run_bibliography), "doc"])
