"""Build the workbook's static website: ``python site/build.py OUT`` (or ``make site``).

The site is made from what the repository holds, with nothing re-executed:

- every notebook in ``notebooks/`` becomes a page, with its saved outputs (tables, charts,
  highlighted annotations, and each explorer and editor as the snapshot it was saved as: the
  notebooks keep no widget state, whose controls would do nothing on a page);
- ``references.html``: the reference lists of every review in one table, each identifier linked
  to its record, filtered and sorted in the browser by ``_static/reference-table.js`` (a classic
  script of ours, so it works from ``file://`` too), since widgets cannot filter without a kernel;
- an output too heavy for its notebook's page (`OWN_PAGE_BYTES`) on a page of its own, and the
  styles the outputs repeat on every cell swapped for classes (`STYLE_CLASSES`);
- ``annotations/<pmid>.html``: a page per annotation file, with its claims and reference notes
  and a link to the same annotations as W3C Web Annotation JSON-LD (``<pmid>.jsonld``).

Sphinx and myst-nb do the rendering (``site/conf.py``). This script stages their sources in a
temporary folder: the configuration, the notebooks, and the generated pages.
"""

from __future__ import annotations

import argparse
import html
import json
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from urllib.parse import quote

import pandas as pd

from reviewbook import load_annotations, load_review, load_reviews, references_frame
from reviewbook.annotations.loading import annotation_files
from reviewbook.cli.annotations import run_export
from reviewbook.notebook import frame_view, fulltext
from reviewbook.notebook.html import LINK_STYLE, link_html, record_links
from reviewbook.tables.claims import claims_frame, reference_tags_frame
from reviewbook.text import LOOKALIKES, PLAIN_PUNCTUATION, fold, markdown_text
from reviewbook.workbook.paths import annotations_dir, notebooks_dir

SITE = Path(__file__).resolve().parent
ROOT = SITE.parent
REFERENCE_TABLE_COLUMNS = {
    "review_pmid": "Review",
    "index": "No.",
    "authors": "Authors",
    "title": "Title",
    "journal": "Journal",
    "year": "Year",
    "doi": "DOI",
    "pmid": "PMID",
    "pmcid": "PMCID",
}
"""Columns of ``references_frame`` the site's reference table shows, and their headings."""
REFERENCE_TABLE_KINDS = {
    "review_pmid": "number",
    "index": "number",
    "year": "number",
    "pmid": "number",
}
"""Columns sorted by value (1, 2, 10); the others sort as text."""
REFERENCE_TABLE_LINKS = {"doi": "DOI", "pmid": "PubMed", "pmcid": "PMC"}
"""Columns whose identifier links to its record: the `record_links` label of its address."""
REFERENCE_TABLE_ID = "references"
STYLE_CLASSES = {
    frame_view.CELL_STYLE.format(align="left"): "",
    frame_view.CELL_STYLE.format(align="right"): "number",
    fulltext.CELL_STYLE: "",
    LINK_STYLE: "",
}
"""Inline styles the notebooks' outputs repeat on every cell or link, and the class the site
gives instead (``site/_static/site.css`` styles ``.reviewbook-frame``'s and
``.reviewbook-cells``' cells and every link; empty: the attribute is dropped). A table of 1,000
rows carries 50 bytes of style per cell otherwise."""
OWN_PAGE_BYTES = 250_000
"""A notebook output heavier than this (a review's whole full text, a table of every citation)
gets a page of its own, so that each page stays well under 2 MB with what it loads."""
_TAG_NAME = re.compile(r"<[a-z][a-z0-9]*")
_STYLED_TAG = re.compile(r'<[a-z][a-z0-9]*[^<>]*?\sstyle="(?P<style>[^"<>]*)"[^<>]*>')


# --- staging the sources ------------------------------------------------------------------------


def stage_sources(source: Path) -> None:
    """Copy the Sphinx configuration, the landing page, the notebooks and the annotation format
    into ``source``."""
    for name in ("conf.py", "index.md"):
        shutil.copy2(SITE / name, source / name)
    for folder in ("_static", "_templates"):
        shutil.copytree(SITE / folder, source / folder)
    (source / "_extra").mkdir(exist_ok=True)
    pages = source / "notebooks"
    pages.mkdir()
    for notebook in sorted(notebooks_dir().glob("*.ipynb")):
        stage_notebook(notebook, pages / notebook.name)
    # The annotation file format, where the notebooks' links (``../docs/annotations.md``) find it.
    (source / "docs").mkdir()
    shutil.copy2(ROOT / "docs" / "annotations.md", source / "docs" / "annotations.md")


def shared_styles_as_classes(markup: str) -> str:
    """``markup`` with each style of `STYLE_CLASSES` replaced by its class (or dropped).

    Only whole ``style="..."`` attributes of tags are touched: the package escapes every text
    (a ``"`` in a value is ``&quot;``), so such an attribute is always markup it wrote.
    """

    def swap(match: re.Match[str]) -> str:
        tag, style = match[0], match["style"]
        if style not in STYLE_CLASSES:
            return tag
        lighter = tag.replace(f' style="{style}"', "", 1)
        name = STYLE_CLASSES[style]
        if not name:
            return lighter
        if ' class="' in lighter:
            return lighter.replace(' class="', f' class="{name} ', 1)
        after_name = _TAG_NAME.match(lighter).end()  # type: ignore[union-attr]
        return f'{lighter[:after_name]} class="{name}"{lighter[after_name:]}'

    return _STYLED_TAG.sub(swap, markup)


def stage_notebook(notebook: Path, target: Path) -> list[str]:
    """Copy ``notebook`` to ``target`` (the committed notebook is not touched) with its HTML
    outputs made lighter by `shared_styles_as_classes`, and each output heavier than
    `OWN_PAGE_BYTES` moved to a page of its own (`write_output_page`) behind a link.

    Returns the moved outputs' page names, relative to ``target``'s folder."""
    try:
        content = json.loads(notebook.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise SystemExit(f"site: {notebook}: not a notebook ({error})") from error
    moved = []
    for number, cell in enumerate(content.get("cells", []), start=1):
        for position, output in enumerate(cell.get("outputs", []), start=1):
            data = output.get("data", {})
            if "text/html" not in data:
                continue
            markup = data["text/html"]
            lighter = shared_styles_as_classes(
                "".join(markup) if isinstance(markup, list) else markup
            )
            size = len(lighter.encode("utf-8"))
            if size <= OWN_PAGE_BYTES:
                data["text/html"] = lighter
                continue
            name = f"{notebook.stem}/cell-{number}-output-{position}"
            source = cell.get("source", "")
            code = "".join(source) if isinstance(source, list) else source
            write_output_page(target.parent, name, lighter, code, number)
            kilobytes = f"{size // 1000:,} kB"
            output["data"] = {
                "text/html": (
                    f'<p class="reviewbook-moved-output">This output ({kilobytes}) is on '
                    f'<a href="{html.escape(quote(name))}.html">a page of its own</a>, so '
                    "that this page opens quickly.</p>"
                ),
                "text/plain": f"This output ({kilobytes}) is on a page of its own: {name}.html",
            }
            output.pop("metadata", None)
            moved.append(name)
    target.write_text(json.dumps(content, ensure_ascii=False), encoding="utf-8")
    return moved


def write_output_page(folder: Path, name: str, markup: str, code: str, number: int) -> None:
    """``folder/name.md`` (with its HTML beside it): one notebook output on a page of its own,
    under the code that made it, linking back to its notebook (``name`` is
    ``<notebook stem>/cell-<n>-output-<k>``)."""
    stem, page = name.split("/")
    (folder / stem).mkdir(exist_ok=True)
    (folder / f"{name}.html").write_text(markup, encoding="utf-8")
    fence = "`" * max([3, *(len(run) + 1 for run in re.findall(r"`+", code))])
    (folder / f"{name}.md").write_text(
        "---\norphan: true\n---\n\n"
        f"# Output of cell {number} of {markdown_text(stem)}\n\n"
        f"An output of [](../{stem}.ipynb), on a page of its own because it is large: it was "
        "made by this code.\n\n"
        f"{fence}python\n{code}\n{fence}\n\n" + raw_html_block(f"{page}.html"),
        encoding="utf-8",
    )


def raw_html_block(html_file: str) -> str:
    """A MyST directive that puts the HTML of ``html_file`` (next to the page) in the page."""
    return f"```{{raw}} html\n:file: {html_file}\n```\n"


def table_html(frame: pd.DataFrame) -> str:
    """A plain HTML table of ``frame``: every cell escaped, missing values empty."""
    return frame.astype("string").fillna("").to_html(index=False, border=0, classes="table")


def _cell_text(value: object) -> str:
    """A frame value as the text of a cell: missing values empty."""
    return "" if pd.isna(value) else str(value)


def reference_row_html(row: Mapping[str, object]) -> str:
    """One ``<tr>`` of the reference table: every text escaped, identifiers linked to their
    records (`reviewbook.notebook.html.record_links`); ``data-search`` holds its cells folded
    as the explorer folds them (`reviewbook.text.fold`: ``Østergaard`` as ``ostergaard``), so
    the page's search finds what the notebooks' search finds."""
    cells, texts = [], []
    for column in REFERENCE_TABLE_COLUMNS:
        text = _cell_text(row[column])
        texts.append(text)
        label = REFERENCE_TABLE_LINKS.get(column)
        url = record_links(**{column: text}).get(label) if label else None
        cells.append(f"<td>{link_html(url, text)}</td>")
    search = html.escape(fold(" ".join(texts)), quote=True)
    return f'<tr data-search="{search}">' + "".join(cells) + "</tr>"


def search_spellings(texts: Iterable[str]) -> dict[str, str]:
    """How `fold` spells each character of ``texts`` that is not plain ASCII (in both cases),
    and the typeset punctuation and look-alike letters it makes plain: the page's script folds
    what a reader types with this table, so the page's search folds as the explorer's does."""
    found = {character for text in texts for character in text if not character.isascii()}
    found |= {case for character in found for case in (character.lower(), character.upper())}
    found |= {*PLAIN_PUNCTUATION, *LOOKALIKES, *LOOKALIKES.values()}
    # Each folded between two letters, so a hard space stays a space and a mark is dropped.
    return {one: fold(f"a{one}a")[1:-1] for one in sorted(found) if len(one) == 1}


def reference_table_html(frame: pd.DataFrame) -> str:
    """The reference table with its search box and count, for ``site/_static/reference-table.js``
    (which filters and sorts it in the browser, from disk as from a server).

    Every heading is a button (reached with Tab, pressed with Enter or Space); the search box
    stays disabled until the script runs, so a reader without scripts is not offered a box that
    does nothing.
    """
    headings = "".join(
        f'<th data-kind="{REFERENCE_TABLE_KINDS.get(column, "text")}">'
        f'<button type="button">{html.escape(heading)}</button></th>'
        for column, heading in REFERENCE_TABLE_COLUMNS.items()
    )
    records = frame.to_dict("records")
    rows = "\n".join(reference_row_html(row) for row in records)
    texts = (_cell_text(row[column]) for row in records for column in REFERENCE_TABLE_COLUMNS)
    spellings = html.escape(json.dumps(search_spellings(texts), ensure_ascii=False), quote=True)
    table = REFERENCE_TABLE_ID
    return (
        f'<div class="reviewbook-table-tools">'
        f'<label for="{table}-search">Search the references</label> '
        f'<input id="{table}-search" type="search" data-filters="{table}" '
        f'aria-controls="{table}" autocomplete="off" disabled> '
        f'<span data-counts="{table}" aria-live="polite">{len(frame)} references</span></div>\n'
        f'<div class="reviewbook-table-scroll"><table id="{table}" '
        f'class="reviewbook-sortable" data-noun="references" data-fold="{spellings}">\n'
        f"<thead><tr>{headings}</tr></thead>\n<tbody>\n{rows}\n</tbody></table></div>\n"
        f'<p data-empty="{table}" hidden>No reference has all the words searched for.</p>\n'
    )


def write_reference_page(source: Path) -> None:
    """``references.md``: every review's references in one searchable, sortable table."""
    frame = references_frame(load_reviews())
    reviews = frame["review_pmid"].nunique()
    (source / "references.html").write_text(reference_table_html(frame), encoding="utf-8")
    (source / "references.md").write_text(
        "# References of every review\n\n"
        f"{len(frame)} references of {reviews} reviews, as the saved pages list them, each "
        "linked to its DOI, PubMed and PMC records where it has them. Type in the search box "
        "to keep the rows that hold every word; click a heading to sort by it, and again to "
        "reverse.\n\n" + raw_html_block("references.html"),
        encoding="utf-8",
    )


def write_annotation_pages(source: Path, extra: Path) -> list[str]:
    """A page per annotation file, plus ``annotations/index.md`` listing them; their PMIDs.

    Each page links ``<pmid>.jsonld``, the file ``reviewbook annotations export`` writes,
    placed beside the page in the built site.
    """
    pages = source / "annotations"
    pages.mkdir()
    downloads = extra / "annotations"
    downloads.mkdir(parents=True)
    pmids = []
    for path in annotation_files(annotations_dir()):
        annotations = load_annotations(path)
        pmid = annotations.pmid
        status = run_export(pmid, downloads / f"{pmid}.jsonld", annotations=path)
        if status != 0:
            raise SystemExit(f"site: cannot export the annotations of {pmid} (status {status})")
        review = load_review(pmid)
        claims = claims_frame(annotations).drop(columns=["review_pmid"])
        notes = reference_tags_frame(annotations).drop(columns=["review_pmid"])
        link = (
            f'<p><a class="reference download" href="{pmid}.jsonld" type="application/ld+json">'
            f"{pmid}.jsonld</a>: these annotations as W3C Web Annotation JSON-LD.</p>\n"
        )
        (pages / f"{pmid}.html").write_text(
            link
            + f"<h2>Claims ({len(claims)})</h2>\n"
            + table_html(claims)
            + f"\n<h2>Reference notes ({len(notes)})</h2>\n"
            + table_html(notes),
            encoding="utf-8",
        )
        title = markdown_text(review.title or pmid)
        (pages / f"{pmid}.md").write_text(
            f"# Annotations of PMID {pmid}\n\n"
            f"*{title}*\n\n"
            f"Our claims about this review, each resting on an exact quote of the saved page, "
            f"and our notes on its references, from `data/annotations/{html.escape(path.name)}`."
            "\n\n" + raw_html_block(f"{pmid}.html"),
            encoding="utf-8",
        )
        pmids.append(pmid)
    listing = "\n".join(pmids)
    (pages / "index.md").write_text(
        "# Annotations\n\nOne page per annotation file in `data/annotations/`.\n\n"
        f"```{{toctree}}\n:maxdepth: 1\n\n{listing}\n```\n",
        encoding="utf-8",
    )
    return pmids


# --- building -----------------------------------------------------------------------------------


def link_notebook_pages(out: Path) -> None:
    """Point links between notebooks (``NAME.ipynb``) at their pages (``NAME.html``)."""
    for page in (out / "notebooks").glob("*.html"):
        text = page.read_text(encoding="utf-8")

        def to_page(match: re.Match[str], folder: Path = page.parent) -> str:
            stem = match["stem"]
            return f'href="{stem}.html"' if (folder / f"{stem}.html").is_file() else match[0]

        linked = re.sub(r'href="(?P<stem>[\w.-]+)\.ipynb"', to_page, text)
        if linked != text:
            page.write_text(linked, encoding="utf-8")


def build(out: Path) -> Path:
    """Build the website into ``out`` (replaced if it exists); returns its ``index.html``."""
    with tempfile.TemporaryDirectory(prefix="reviewbook-site-") as folder:
        source = Path(folder)
        stage_sources(source)
        write_reference_page(source)
        write_annotation_pages(source, source / "_extra")
        if out.exists():
            shutil.rmtree(out)
        command = [sys.executable, "-m", "sphinx", "-b", "html", "-q", "-W", "--keep-going"]
        command += ["-d", str(source / "_doctrees"), str(source), str(out)]
        subprocess.run(command, check=True)
    link_notebook_pages(out)
    return out / "index.html"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="folder to write the site into (replaced)")
    args = parser.parse_args(argv)
    try:
        index = build(args.out)
    except subprocess.CalledProcessError as failure:
        print(f"site: sphinx-build failed with status {failure.returncode}", file=sys.stderr)
        return 1
    print(f"site: {index}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
