"""Build the workbook's static website: ``python site/build.py OUT`` (or ``make site``).

The site is made from what the repository holds, with nothing re-executed:

- every notebook in ``notebooks/`` becomes a page, with its saved outputs (tables, charts,
  highlighted annotations, and each explorer and editor as the snapshot it was saved as: the
  notebooks keep no widget state, whose controls would do nothing on a page);
- ``references.html``: the reference lists of every review in one DataTables table (itables),
  searchable and sortable in the browser, since widgets cannot filter without a kernel;
- ``annotations/<pmid>.html``: a page per annotation file, with its claims and reference notes
  and a link to the same annotations as W3C Web Annotation JSON-LD (``<pmid>.jsonld``).

Sphinx and myst-nb do the rendering (``site/conf.py``). This script stages their sources in a
temporary folder: the configuration, the notebooks, and the generated pages.
"""

from __future__ import annotations

import argparse
import html
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

import itables
import pandas as pd

from reviewbook import load_annotations, load_review, load_reviews, references_frame
from reviewbook.annotations.loading import annotation_files
from reviewbook.cli.annotations import run_export
from reviewbook.tables.claims import claims_frame, reference_tags_frame
from reviewbook.text import markdown_text
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
}
"""Columns of ``references_frame`` the site's reference table shows, and their headings."""
REFERENCE_TABLE_ID = "references"


# --- staging the sources ------------------------------------------------------------------------


def stage_sources(source: Path) -> None:
    """Copy the Sphinx configuration, the landing page, the notebooks and the annotation format
    into ``source``."""
    for name in ("conf.py", "index.md"):
        shutil.copy2(SITE / name, source / name)
    shutil.copytree(SITE / "_static", source / "_static")
    (source / "_extra").mkdir(exist_ok=True)
    pages = source / "notebooks"
    pages.mkdir()
    for notebook in sorted(notebooks_dir().glob("*.ipynb")):
        shutil.copy2(notebook, pages / notebook.name)
    # The annotation file format, where the notebooks' links (``../docs/annotations.md``) find it.
    (source / "docs").mkdir()
    shutil.copy2(ROOT / "docs" / "annotations.md", source / "docs" / "annotations.md")


def raw_html_block(html_file: str) -> str:
    """A MyST directive that puts the HTML of ``html_file`` (next to the page) in the page."""
    return f"```{{raw}} html\n:file: {html_file}\n```\n"


def table_html(frame: pd.DataFrame) -> str:
    """A plain HTML table of ``frame``: every cell escaped, missing values empty."""
    return frame.astype("string").fillna("").to_html(index=False, border=0, classes="table")


def write_reference_page(source: Path, static: Path) -> None:
    """``references.md``: every review's references in one searchable, sortable table.

    itables draws the table with the DataTables bundle it ships, copied into ``_static`` and
    loaded from there, so the page needs no network (itables escapes every cell).
    """
    frame = references_frame(load_reviews())[list(REFERENCE_TABLE_COLUMNS)]
    frame = frame.astype("string").fillna("").rename(columns=REFERENCE_TABLE_COLUMNS)
    bundle = Path(itables.__file__).parent / "html" / "dt_bundle.js"
    target = static / "itables"
    target.mkdir(parents=True, exist_ok=True)
    for part in (bundle, bundle.with_suffix(".css")):
        shutil.copy2(part, target / part.name)
    table = itables.to_html_datatable(
        frame,
        table_id=REFERENCE_TABLE_ID,
        connected=True,
        dt_url="./_static/itables/dt_bundle.js",
        paging=False,
        scrollX=True,
        # Always the search box and the count, however few the rows (itables hides them when
        # the table fits on one page).
        layout={"topStart": "info", "topEnd": "search", "bottomStart": None, "bottomEnd": None},
        classes="display compact",
    )
    (source / "references.html").write_text(table, encoding="utf-8")
    (source / "references.md").write_text(
        "# References of every review\n\n"
        f"{len(frame)} references of {frame['Review'].nunique()} reviews, as the saved pages "
        "list them. Type in the search box to filter the rows; click a heading to sort.\n\n"
        + raw_html_block("references.html"),
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
        static, extra = source / "_static", source / "_extra"
        write_reference_page(source, static)
        write_annotation_pages(source, extra)
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
