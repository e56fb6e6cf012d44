"""The index notebook's list of the workbook's notebooks, titles escaped."""

from __future__ import annotations

from pathlib import Path

import nbformat

from reviewbook.workbook.index import notebook_index


def test_notebook_index_links_each_notebook_with_its_title_escaped(tmp_path: Path) -> None:
    for name, heading in [
        ("00_index", "# The index"),
        ("02_b", "# B et al. 2020: *A \\<script\\> & more*"),
        ("01_a", "# A 2019"),
        ("03_c", "# C 2021: *Cost &#36;5 and &#92;(x&#92;)*"),
    ]:
        notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(heading)])
        nbformat.write(notebook, tmp_path / f"{name}.ipynb")
    index = notebook_index(tmp_path)
    assert repr(index) == "3 notebooks: 01_a, 02_b, 03_c"
    assert index.markup == (
        '<ul class="reviewbook-notebooks">'
        '<li><a href="01_a.ipynb">01_a</a>: A 2019</li>'
        '<li><a href="02_b.ipynb">02_b</a>: '
        "B et al. 2020: <em>A &lt;script&gt; &amp; more</em></li>"
        '<li><a href="03_c.ipynb">03_c</a>: C 2021: <em>Cost $5 and \\(x\\)</em></li>'
        "</ul>"
    )
