"""``reviewbook add``: a new review's source, manifest row, notes file and executed notebook.

Each test works on a copy of the workbook (``data/`` and ``notebooks/``) in a temporary folder.
Adding executes two notebooks (the new one and the index), about 5 s each, so the tests that
do so are few; the others stop before execution or replace it.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import threading
import urllib.parse
from collections.abc import Iterator
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import nbformat
import pytest

from reviewbook.annotations.records import load_annotations, validate_annotations
from reviewbook.cli.main import main
from reviewbook.errors import PubMedPageError
from reviewbook.model import Article
from reviewbook.notebook.cards import heading_html, notebook_index
from reviewbook.notebook.charts import plot_journals, plot_reference_years
from reviewbook.sources.ncbi import EutilsClient, NcbiError
from reviewbook.tables.frames import references_frame
from reviewbook.workbook import adding
from reviewbook.workbook.adding import (
    AddedReview,
    AddError,
    add_review,
    manifest_with,
    markdown_text,
    nlm_name,
    notebook_heading,
    notebook_key,
    notebook_number,
    review_citation,
    surname,
)
from reviewbook.workbook.notebooks import check_notebook
from reviewbook.workbook.paths import DATA_ENV
from reviewbook.workbook.reviews import ManifestEntry, load_review, read_manifest

from .conftest import ROOT, TEST_DATA
from .test_ncbi import record_xml
from .test_page_seeds import JANSSEN

FIXTURES = ROOT.parent / "shared" / "fixtures"
PUBMED7 = FIXTURES / "pubmed_xml" / "pubmed7.xml"
"""One PubMed XML record (PMID 29963580) with a reference list of 49."""
PUBMED7_PMID = "29963580"
PUBMED7_NOTEBOOK = "04_guo2018_development_pulmonary_imaging"
needs_fixtures = pytest.mark.skipif(
    not FIXTURES.is_dir(), reason=f"the shared PubMed fixtures are not at {FIXTURES}"
)


def make_workbook(folder: Path) -> Path:
    """A copy of the project's data and notebooks in ``folder``."""
    for name in ("data", "notebooks"):
        shutil.copytree(ROOT / name, folder / name, ignore=shutil.ignore_patterns(".*"))
    return folder


def snapshot(root: Path) -> dict[str, tuple[str, int] | None]:
    """Every file (hash and mode) and folder under ``root``."""
    return {
        str(path.relative_to(root)): (
            (hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mode)
            if path.is_file()
            else None
        )
        for path in sorted(root.rglob("*"))
    }


def run_nbval(root: Path, *notebooks: Path) -> subprocess.CompletedProcess[str]:
    """Strict nbval, as the project runs it, on notebooks of the workbook at ``root``."""
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "no:cacheprovider",
            "-o",
            "addopts=",
            "--nbval",
            "--nbval-current-env",
            "--nbval-sanitize-with",
            str(ROOT / "tests" / "nbval" / "sanitize.cfg"),
            *map(str, notebooks),
        ],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, DATA_ENV: str(root / "data"), "PYTHONWARNINGS": "ignore"},
    )


def manifest_row(root: Path, pmid: str) -> list[ManifestEntry]:
    return [entry for entry in read_manifest(root / "data" / "pubmed") if entry.pmid == pmid]


@pytest.fixture
def workbook(tmp_path: Path) -> Path:
    return make_workbook(tmp_path / "workbook")


@pytest.fixture(scope="module")
def added_xml(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, AddedReview]:
    """The workbook after ``reviewbook add pubmed7.xml``."""
    if not FIXTURES.is_dir():
        pytest.skip(f"the shared PubMed fixtures are not at {FIXTURES}")
    root = make_workbook(tmp_path_factory.mktemp("workbook"))
    return root, add_review(str(PUBMED7), root=root)


# --- names and text -------------------------------------------------------------------------


def test_first_author_surname_in_pubmed_or_page_form() -> None:
    assert [surname(name) for name in ("Janssen LME", "Louise M E Janssen", "de Hoon MJ")] == [
        "Janssen",
        "Janssen",
        "de Hoon",
    ]
    assert surname("Smith J Jr") == "Smith"
    assert nlm_name("Louise M E Janssen") == "Janssen LME"
    assert nlm_name("Janssen LME") == "Janssen LME"


def test_review_citation_is_the_seed_manifest_row() -> None:
    assert review_citation(JANSSEN) == (
        "Janssen LME et al. The immune system in cancer metastasis: friend or foe? "
        "J Immunother Cancer. 2017;5(1):79. doi:10.1186/s40425-017-0283-9"
    )


def test_review_citation_of_a_bare_record_names_what_is_missing() -> None:
    assert review_citation(Article(pmid="1", title="Record 1.")) == (
        "Record 1. Unknown journal. n.d."
    )


def test_notebook_key_is_ascii_author_year_and_three_title_words() -> None:
    article = Article(
        pmid="1",
        title="Ça va? The Über-study of T cells in metastasis.",
        authors_display="Núñez-O'Brien AB, Smith C, Jones D",
        year=2020,
    )
    assert notebook_key(article) == "nunezobrien2020_ca_va_uber"
    assert notebook_key(JANSSEN) == "janssen2017_immune_system_cancer"
    assert notebook_key(Article(pmid="1", title="")) == "anonymousnd_review"


def test_heading_escapes_markdown_in_article_text() -> None:
    article = Article(
        pmid="1", title="*Bold* claims_about [links] <b>x</b>.", authors_display="Smith J"
    )
    heading = notebook_heading(article)
    assert heading == r"Smith n.d.: *\*Bold\* claims\_about \[links\] \<b\>x\</b\>*"
    assert heading_html(heading) == (
        "Smith n.d.: <em>*Bold* claims_about [links] &lt;b&gt;x&lt;/b&gt;</em>"
    )
    assert markdown_text("a\n  $b$ | `c`") == r"a \$b\$ \| \`c\`"


def test_manifest_gains_a_row_and_keeps_the_others_byte_for_byte() -> None:
    existing = (ROOT / "data" / "pubmed" / "manifest.csv").read_text(encoding="utf-8")
    entry = ManifestEntry("123", "https://pubmed.ncbi.nlm.nih.gov/123/", "ab", "123.xml", "A, B.")
    extended = manifest_with(existing, entry)
    assert extended == existing + '123,https://pubmed.ncbi.nlm.nih.gov/123/,ab,123.xml,"A, B."\n'
    replaced = manifest_with(extended, replace(entry, sha256="cd"))
    assert replaced == existing + '123,https://pubmed.ncbi.nlm.nih.gov/123/,cd,123.xml,"A, B."\n'


def test_new_notebooks_take_the_next_number_and_a_replaced_one_keeps_its_own() -> None:
    folder = ROOT / "notebooks"
    assert notebook_number(folder, "guo2018_development_pulmonary_imaging") == 4
    assert notebook_number(folder, "erez2011_leukocytes") == 2


# --- loading, listing and plotting ----------------------------------------------------------


def test_a_page_and_a_record_saved_together_load_merged(tmp_path: Path) -> None:
    shutil.copy(ROOT / "data" / "pubmed" / "29037250.txt", tmp_path / "29037250.txt")
    shutil.copy(TEST_DATA / "pubmed_29037250_reference_list.xml", tmp_path / "29037250.xml")
    review = load_review("29037250", tmp_path)
    assert (review.title, review.abstract) == (JANSSEN.title, JANSSEN.abstract)
    assert len(review.references) == 9
    assert {reference.source for reference in review.references} == {"page+xml", "xml"}


def test_a_record_saved_alone_loads_by_pmid(tmp_path: Path) -> None:
    shutil.copy(TEST_DATA / "pubmed_29037250_reference_list.xml", tmp_path / "29037250.xml")
    review = load_review("29037250", tmp_path)
    assert (review.first_author, len(review.references)) == ("Janssen LME", 9)


def test_notebook_index_links_each_notebook_with_its_title_escaped(tmp_path: Path) -> None:
    for name, heading in [
        ("00_index", "# The index"),
        ("02_b", "# B et al. 2020: *A \\<script\\> & more*"),
        ("01_a", "# A 2019"),
    ]:
        notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(heading)])
        nbformat.write(notebook, tmp_path / f"{name}.ipynb")
    index = notebook_index(tmp_path)
    assert repr(index) == "2 notebooks: 01_a, 02_b"
    assert index._repr_html_() == (
        '<ul class="reviewbook-notebooks">'
        '<li><a href="01_a.ipynb">01_a</a>: A 2019</li>'
        '<li><a href="02_b.ipynb">02_b</a>: '
        "B et al. 2020: <em>A &lt;script&gt; &amp; more</em></li>"
        "</ul>"
    )


def test_charts_of_a_review_without_references_say_so() -> None:
    empty = references_frame(Article(pmid="1", title="No references"))
    years, journals = plot_reference_years(empty), plot_journals(empty)
    assert repr(years) == "no reference with a known year"
    assert repr(journals) == "no reference with a known journal"


# --- adding a record ------------------------------------------------------------------------


@needs_fixtures
def test_adding_a_pubmed_xml_record_writes_source_manifest_notes_and_notebook(
    added_xml: tuple[Path, AddedReview],
) -> None:
    root, added = added_xml
    notebooks = root / "notebooks"
    assert added.notebook == notebooks / f"{PUBMED7_NOTEBOOK}.ipynb"
    assert added.source_file.read_bytes() == PUBMED7.read_bytes()
    assert added.source_file == root / "data" / "pubmed" / f"{PUBMED7_PMID}.xml"
    assert manifest_row(root, PUBMED7_PMID) == [
        ManifestEntry(
            pmid=PUBMED7_PMID,
            pubmed_url=f"https://pubmed.ncbi.nlm.nih.gov/{PUBMED7_PMID}/",
            sha256=hashlib.sha256(PUBMED7.read_bytes()).hexdigest(),
            file=f"{PUBMED7_PMID}.xml",
            review=(
                "Guo F et al. Development of a pulmonary imaging biomarker pipeline for "
                "phenotyping of chronic lung disease. J Med Imaging (Bellingham). "
                "2018;5(2):026002. doi:10.1117/1.JMI.5.2.026002"
            ),
        )
    ]
    notes = load_annotations(added.annotations)
    assert (notes.pmid, notes.claims, notes.references) == (PUBMED7_PMID, (), ())
    assert validate_annotations(notes) == []
    assert [path.relative_to(root).as_posix() for path in added.files] == [
        f"data/pubmed/{PUBMED7_PMID}.xml",
        "data/pubmed/manifest.csv",
        f"data/annotations/{PUBMED7_PMID}.yaml",
        f"notebooks/{PUBMED7_NOTEBOOK}.md",
        f"notebooks/{PUBMED7_NOTEBOOK}.ipynb",
        "notebooks/00_index.ipynb",
        "notebooks/00_index.md",
    ]


@needs_fixtures
def test_the_new_notebook_and_the_index_pass_the_workbook_checks(
    added_xml: tuple[Path, AddedReview],
) -> None:
    root, added = added_xml
    index = root / "notebooks" / "00_index.ipynb"
    assert [str(problem) for problem in check_notebook(added.notebook)] == []
    assert [str(problem) for problem in check_notebook(index)] == []
    outputs = index.read_text(encoding="utf-8")
    assert f"{PUBMED7_NOTEBOOK}.ipynb" in outputs
    assert "3 reviews" in outputs
    result = run_nbval(root, added.notebook, index)
    assert result.returncode == 0, result.stdout[-3000:]


@needs_fixtures
def test_adding_the_same_review_again_is_refused_and_changes_nothing(
    added_xml: tuple[Path, AddedReview],
) -> None:
    root, _ = added_xml
    before = snapshot(root)
    with pytest.raises(AddError, match=f"PMID {PUBMED7_PMID} is already in the workbook"):
        add_review(str(PUBMED7), root=root)
    assert snapshot(root) == before


def test_adding_by_pmid_fetches_the_pubmed_xml_record(
    workbook: Path, eutils_url: tuple[str, list[str]]
) -> None:
    base_url, requested = eutils_url
    client = EutilsClient(base_url=base_url, cache=False, environ={}, timeout=5.0)
    added = add_review("12345678", root=workbook, client=client)
    assert requested == ["12345678"]
    assert added.source_file.read_bytes() == record_xml("12345678")
    assert added.notebook.name == "04_anonymousnd_record_12345678.ipynb"
    assert [str(problem) for problem in check_notebook(added.notebook)] == []
    assert manifest_row(workbook, "12345678")[0].review == "Record 12345678. Unknown journal. n.d."


def test_adding_a_saved_page_named_for_its_pmid(workbook: Path, tmp_path: Path) -> None:
    page = tmp_path / "12345678.txt"
    shutil.copy(ROOT / "data" / "pubmed" / "29037250.txt", page)
    added = add_review(str(page), root=workbook)
    assert added.source_file == workbook / "data" / "pubmed" / "12345678.txt"
    assert added.notebook.name == "04_janssen2017_immune_system_cancer.ipynb"
    assert [str(problem) for problem in check_notebook(added.notebook)] == []
    assert "This notebook reads one review from its saved PubMed page" in added.twin.read_text()


def test_a_page_without_its_pmid_is_refused(workbook: Path, tmp_path: Path) -> None:
    page = tmp_path / "janssen.txt"
    shutil.copy(ROOT / "data" / "pubmed" / "29037250.txt", page)
    before = snapshot(workbook)
    with pytest.raises(AddError, match=r"does not give its PMID: save it as <pmid>\.txt"):
        add_review(str(page), root=workbook)
    assert snapshot(workbook) == before


def test_a_file_that_is_not_from_pubmed_is_refused_with_the_readers_message(
    workbook: Path, tmp_path: Path
) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("Shopping list\n\n- milk\n- eggs\n", encoding="utf-8")
    before = snapshot(workbook)
    with pytest.raises(PubMedPageError) as raised:
        add_review(str(notes), root=workbook)
    assert raised.value.path == str(notes)
    assert "reviewbook reads PubMed pages saved as text" in raised.value.reason
    assert snapshot(workbook) == before


# --- replacing and undoing ------------------------------------------------------------------


def _earlier_review(workbook: Path) -> None:
    """PMID 29963580 as if added before, as a page, with notebook number 07 and our notes."""
    pubmed = workbook / "data" / "pubmed"
    page = pubmed / f"{PUBMED7_PMID}.txt"
    shutil.copy(pubmed / "29037250.txt", page)
    page.chmod(0o444)
    entry = ManifestEntry(PUBMED7_PMID, "https://x/", "00", page.name, "Earlier")
    manifest = pubmed / "manifest.csv"
    manifest.write_text(manifest_with(manifest.read_text(encoding="utf-8"), entry))
    for suffix in (".md", ".ipynb"):
        (workbook / "notebooks" / f"07_guo2018_development_pulmonary_imaging{suffix}").write_text(
            "earlier"
        )
    (workbook / "data" / "annotations" / f"{PUBMED7_PMID}.yaml").write_text(
        f'pmid: "{PUBMED7_PMID}"\n# our notes\n'
    )


@needs_fixtures
def test_force_replaces_source_row_and_notebook_and_keeps_our_notes(
    workbook: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _earlier_review(workbook)
    before = snapshot(workbook)
    with pytest.raises(AddError, match=r"manifest\.csv, data/pubmed/29963580\.txt, notebooks/07"):
        add_review(str(PUBMED7), root=workbook)
    assert snapshot(workbook) == before
    executed: list[str] = []
    monkeypatch.setattr(adding, "_execute", lambda notebook, *_: executed.append(notebook.name))
    added = add_review(str(PUBMED7), root=workbook, force=True)
    pubmed = workbook / "data" / "pubmed"
    assert sorted(path.name for path in pubmed.glob(f"{PUBMED7_PMID}.*")) == ["29963580.xml"]
    assert [entry.file for entry in manifest_row(workbook, PUBMED7_PMID)] == ["29963580.xml"]
    assert added.twin.name == "07_guo2018_development_pulmonary_imaging.md"
    assert 'review = load_review("29963580")' in added.twin.read_text(encoding="utf-8")
    assert not added.notebook.exists()  # removed, to be written again by execution
    assert executed == [added.notebook.name, "00_index.ipynb"]
    assert added.annotations.read_text() == f'pmid: "{PUBMED7_PMID}"\n# our notes\n'


@needs_fixtures
def test_a_failure_after_forcing_puts_back_every_replaced_file(
    workbook: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _earlier_review(workbook)
    before = snapshot(workbook)

    def fail(notebook: Path, **_: object) -> None:
        raise RuntimeError("the kernel died")

    monkeypatch.setattr(adding, "execute_notebook", fail)
    with pytest.raises(RuntimeError, match="the kernel died"):
        add_review(str(PUBMED7), root=workbook, force=True)
    assert snapshot(workbook) == before


@needs_fixtures
def test_a_failure_midway_leaves_the_workbook_as_it_was(
    workbook: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The new notebook runs; the index then fails half-written; everything is undone."""
    before = snapshot(workbook)
    execute = adding.execute_notebook

    def index_fails(notebook: Path, **options: object) -> None:
        if notebook.name != "00_index.ipynb":
            execute(notebook, **options)  # type: ignore[arg-type]
            return
        notebook.write_text("half written")
        raise KeyboardInterrupt

    monkeypatch.setattr(adding, "execute_notebook", index_fails)
    with pytest.raises(KeyboardInterrupt):
        add_review(str(PUBMED7), root=workbook)
    assert snapshot(workbook) == before


@needs_fixtures
def test_a_cell_that_raises_is_named_and_nothing_is_added(
    workbook: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = "---\nkernelspec: {name: python3, display_name: Python 3, language: python}\n---\n"
    broken += '# Broken\n\n```{code-cell} ipython3\nraise ValueError("no such review")\n```\n'
    monkeypatch.setattr(adding, "notebook_text", lambda *_: broken)
    before = snapshot(workbook)
    with pytest.raises(
        AddError,
        match=r"^04_guo2018_development_pulmonary_imaging\.ipynb: a cell raised ValueError: "
        r"no such review$",
    ):
        add_review(str(PUBMED7), root=workbook)
    assert snapshot(workbook) == before


# --- the command line -----------------------------------------------------------------------


@pytest.fixture
def cli_workbook(workbook: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """``reviewbook add`` pointed at the temporary workbook."""
    monkeypatch.setenv(DATA_ENV, str(workbook / "data"))
    monkeypatch.setattr(adding, "notebooks_dir", lambda: workbook / "notebooks")
    return workbook


def test_cli_refuses_a_review_already_there_in_one_line(
    cli_workbook: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page = ROOT / "data" / "pubmed" / "29037250.txt"
    before = snapshot(cli_workbook)
    assert main(["add", str(page)]) == 2
    _, err = capsys.readouterr()
    assert err.splitlines()[-1] == (
        f"reviewbook: {page}: PMID 29037250 is already in the workbook "
        "(data/pubmed/manifest.csv, data/pubmed/29037250.txt); --force replaces it"
    )
    assert snapshot(cli_workbook) == before


def test_cli_names_the_file_and_reason_for_an_unreadable_source(
    cli_workbook: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = tmp_path / "empty.nbib"
    empty.write_bytes(b"")
    assert main(["add", str(empty)]) == 2
    _, err = capsys.readouterr()
    assert err.splitlines()[-1].startswith(f"reviewbook: {empty}:1: empty: no text to read")


def test_cli_passes_on_ncbi_exit_status(
    cli_workbook: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["add", "0"]) == 2
    _, err = capsys.readouterr()
    assert err.splitlines()[-1] == "reviewbook: 0: not a PMID: '0' (a PMID is 1 to 9 digits)"
    with pytest.raises(NcbiError):
        add_review("0", root=cli_workbook)


def test_cli_lists_what_it_wrote(
    cli_workbook: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(cli_workbook)
    files = (Path("data/pubmed/1.xml").resolve(), Path("notebooks/04_x.ipynb").resolve())
    added = AddedReview("1", files[0], files[1], files[1], files[0], files)
    monkeypatch.setattr(adding, "add_review", lambda source, force: added)
    assert main(["add", "1"]) == 0
    out, _ = capsys.readouterr()
    assert out == "added PMID 1:\n  data/pubmed/1.xml\n  notebooks/04_x.ipynb\n"


# --- a fake E-utilities server --------------------------------------------------------------


@pytest.fixture
def eutils_url() -> Iterator[tuple[str, list[str]]]:
    """An efetch on 127.0.0.1 answering any PMID with a minimal record; the PMIDs asked for."""
    requested: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            pmid = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(self.path).query))["id"]
            requested.append(pmid)
            body = record_xml(pmid)
            self.send_response(200)
            self.send_header("Content-Type", "text/xml")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.01,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/entrez/eutils/", requested
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
