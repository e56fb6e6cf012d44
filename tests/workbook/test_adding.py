"""``reviewbook add``: a new review's source, manifest row, notes file and executed notebook.

Each test works on a copy of the seed workbook in a temporary folder.
Adding executes two notebooks (the new one and the index), about 5 s each, so the tests that
do so are few; the others stop before execution or replace it.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import shutil
from pathlib import Path

import pytest

from reviewbook.annotations.loading import load_annotations
from reviewbook.annotations.validation import validate_annotations
from reviewbook.errors import PubMedPageError, ReadError
from reviewbook.model import Article
from reviewbook.notebook.annotated import HIGHLIGHT
from reviewbook.sources.completion import reference_counts
from reviewbook.sources.ncbi import EutilsClient
from reviewbook.sources.records import SeveralRecords
from reviewbook.workbook import adding
from reviewbook.workbook.adding import AddedReview, AddError, add_review, notebook_number
from reviewbook.workbook.checking import manifest_problems
from reviewbook.workbook.manifest import ManifestEntry, manifest_with
from reviewbook.workbook.notebooks import check_notebook, execute_notebook
from reviewbook.workbook.paths import WORKBOOK_ENV, Workbook
from reviewbook.workbook.reviews import load_review
from tests.conftest import EXPECTED, PUBMED, ROOT, SEED_WORKBOOK, TEST_DATA
from tests.sources.test_ncbi import (
    IDCONV_PATH,
    JANSSEN_STAND_IN,
    NO_BODY,
    FakeEutils,
    record_xml,
    serving_fake_eutils,
)
from tests.workbook.conftest import (
    make_workbook,
    manifest_pmids,
    manifest_row,
    next_notebook,
    run_nbval,
    snapshot,
)

FIXTURES = ROOT.parent / "shared" / "fixtures"
PUBMED7 = FIXTURES / "pubmed_xml" / "pubmed7.xml"
"""One PubMed XML record (PMID 29963580) with a reference list of 49."""
PUBMED7_PMID = "29963580"
PUBMED7_NOTEBOOK = next_notebook("guo2018_development_pulmonary_imaging")
needs_fixtures = pytest.mark.skipif(
    not FIXTURES.is_dir(), reason=f"the shared PubMed fixtures are not at {FIXTURES}"
)


@pytest.fixture(scope="module")
def added_xml(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, AddedReview]:
    """The workbook after ``reviewbook add pubmed7.xml``."""
    if not FIXTURES.is_dir():
        pytest.skip(f"the shared PubMed fixtures are not at {FIXTURES}")
    root = make_workbook(tmp_path_factory.mktemp("workbook"))
    with serving_fake_eutils() as fake:
        client = EutilsClient(
            base_url=fake.base_url,
            idconv_url=fake.base_url.replace("/entrez/eutils/", IDCONV_PATH),
            cache=False,
            environ={},
        )
        return root, add_review(str(PUBMED7), root=root, client=client)


def test_new_notebooks_take_the_next_number_and_a_replaced_one_keeps_its_own() -> None:
    folder = SEED_WORKBOOK / "notebooks"
    highest = max(int(path.name[:2]) for path in folder.glob("[0-9][0-9]_*.ipynb"))
    assert notebook_number(folder, "guo2018_development_pulmonary_imaging") == highest + 1
    assert notebook_number(folder, "erez2011_leukocytes") == 2


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
                "2018 Apr;5(2):026002. doi:10.1117/1.JMI.5.2.026002"
            ),
        )
    ]
    assert added.not_completed == ()
    review = load_review(PUBMED7_PMID, root / "data" / "pubmed")
    assert [reference.title for reference in review.references[:2]] == [
        "Cited work 25144646",
        "Cited work 8028666",
    ]
    assert str(reference_counts(review)) == (
        "49 of 49 references, from the PubMed record's full reference list; "
        "49 complete, 49 with a PMID, DOI or PMCID"
    )
    notes = load_annotations(added.annotations)
    assert (notes.pmid, notes.claims, notes.references) == (PUBMED7_PMID, (), ())
    assert validate_annotations(notes) == []
    assert [path.relative_to(root).as_posix() for path in added.files] == [
        f"data/pubmed/{PUBMED7_PMID}.xml",
        "data/pubmed/manifest.csv",
        f"data/pubmed/{PUBMED7_PMID}.cited.xml",
        f"data/annotations/{PUBMED7_PMID}.yaml",
        f"notebooks/{PUBMED7_NOTEBOOK}.md",
        f"notebooks/{PUBMED7_NOTEBOOK}.ipynb",
        "notebooks/00_index.ipynb",
        "notebooks/00_index.md",
        "notebooks/03_compare_reviews.ipynb",
        "notebooks/03_compare_reviews.md",
        "notebooks/field_corpus.ipynb",
        "notebooks/field_corpus.md",
    ]


@needs_fixtures
def test_the_new_notebook_and_the_index_pass_the_workbook_checks(
    added_xml: tuple[Path, AddedReview],
) -> None:
    root, added = added_xml
    index = root / "notebooks" / "00_index.ipynb"
    assert [str(problem) for problem in check_notebook(added.notebook, data=root / "data")] == []
    assert [str(problem) for problem in check_notebook(index, data=root / "data")] == []
    outputs = index.read_text(encoding="utf-8")
    assert f"{PUBMED7_NOTEBOOK}.ipynb" in outputs
    assert f"{len(manifest_pmids()) + 1} reviews" in outputs
    result = run_nbval(root, added.notebook, index)
    assert result.returncode == 0, result.stdout[-3000:]


def code_outputs(notebook: Path) -> dict[str, list[dict[str, str]]]:
    """Each code cell's outputs (their ``data``, or the stream's text), by the cell's last line."""
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    return {
        "".join(cell["source"]).splitlines()[-1]: [
            {kind: "".join(value) for kind, value in output.get("data", {}).items()}
            or {"text": "".join(output.get("text", ""))}
            for output in cell["outputs"]
        ]
        for cell in cells
        if cell["cell_type"] == "code"
    }


def markdown_text(notebook: Path) -> str:
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    return "\n".join("".join(cell["source"]) for cell in cells if cell["cell_type"] == "markdown")


@needs_fixtures
def test_the_new_notebook_says_how_complete_its_list_is_and_how_to_annotate(
    added_xml: tuple[Path, AddedReview],
) -> None:
    _, added = added_xml
    outputs = code_outputs(added.notebook)
    [table] = outputs["frame_view(completeness_frame(review))"]
    assert table["text/html"].count("<tr>") == 2
    assert (
        '<td style="text-align:left;vertical-align:top;padding:2px 8px">29963580</td>'
        '<td style="text-align:right;vertical-align:top;padding:2px 8px">49</td>'
        '<td style="text-align:left;vertical-align:top;padding:2px 8px">49</td>'
    ) in table["text/html"]
    assert ">the PubMed record&#x27;s full reference list</td>" in table["text/html"]
    [note] = outputs["completeness_note(review)"]
    assert note["text/plain"] == (
        "Counted over all 49 references of PMID 29963580 (the PubMed record's full reference list)."
    )
    [card] = outputs["bibliographic_card(review)"]
    assert "<td>all 49 (the PubMed record&#x27;s full reference list)</td>" in card["text/html"]
    [highlighted] = outputs['annotated_text(review, notes, "abstract")']
    assert highlighted["text/plain"] == "abstract: 0 claims covering 0% of the text"
    claims_cell = 'frame_view(claims_frame(notes)[["id", "statement", "location", "exact", '
    claims_cell += '"cells", "steps", "role"]])'
    [claims] = outputs[claims_cell]
    assert claims["text/plain"].startswith("Empty DataFrame")
    guide = markdown_text(added.notebook)
    assert "[docs/annotations.md](../docs/annotations.md)" in guide
    assert (ROOT / "docs" / "annotations.md").is_file()
    assert "    role: promotes            # optional:" in guide


@needs_fixtures
def test_a_claim_in_the_new_reviews_file_is_highlighted_and_tabled(
    added_xml: tuple[Path, AddedReview], tmp_path: Path
) -> None:
    root, added = added_xml
    copy = tmp_path / "workbook"
    for name in ("data", "notebooks"):
        shutil.copytree(root / name, copy / name, ignore=shutil.ignore_patterns(".*"))
    notes = copy / "data" / "annotations" / f"{PUBMED7_PMID}.yaml"
    notes.write_text(
        notes.read_text(encoding="utf-8").replace(
            "claims: []\n",
            "claims:\n"
            "  - id: guo-pipelines\n"
            "    statement: The pipelines are meant for research and the clinic alike.\n"
            "    quote:\n"
            '      exact: "high-throughput research and point-of-care use"\n'
            "    location: abstract\n",
        ),
        encoding="utf-8",
    )
    notebook = copy / "notebooks" / added.notebook.name
    execute_notebook(notebook, environment={WORKBOOK_ENV: str(copy)})
    outputs = code_outputs(notebook)
    [highlighted] = outputs['annotated_text(review, notes, "abstract")']
    assert highlighted["text/plain"] == "abstract: 1 claims covering 3% of the text"
    assert (
        f'<mark style="{HIGHLIGHT}">high-throughput research and point-of-care use</mark>'
        "<sup>[1]</sup>"
    ) in highlighted["text/html"]
    assert (
        "<b>The pipelines are meant for research and the clinic alike.</b>"
        in (highlighted["text/html"])
    )
    claims_cell = 'frame_view(claims_frame(notes)[["id", "statement", "location", "exact", '
    claims_cell += '"cells", "steps", "role"]])'
    [claims] = outputs[claims_cell]
    assert (
        '<td style="text-align:left;vertical-align:top;padding:2px 8px">guo-pipelines</td>'
        '<td style="text-align:left;vertical-align:top;padding:2px 8px">The pipelines are '
        "meant for research and the clinic alike.</td>"
        '<td style="text-align:left;vertical-align:top;padding:2px 8px">abstract</td>'
    ) in claims["text/html"]


@needs_fixtures
def test_the_comparison_over_the_grown_workbook_has_the_added_review(
    added_xml: tuple[Path, AddedReview],
) -> None:
    root, _ = added_xml
    outputs = code_outputs(root / "notebooks" / "03_compare_reviews.ipynb")
    [matrix] = outputs["frame_view(matrix)"]
    assert matrix["text/plain"].splitlines()[0].split() == [
        "review_pmid",
        *manifest_pmids(),
        PUBMED7_PMID,
    ]
    assert matrix["text/plain"].splitlines()[-1].split()[0] == PUBMED7_PMID
    [_, note] = outputs['count_note("Papers cited by more than one review", len(shared), extent)']
    assert note["text/plain"] == (
        "Papers cited by more than one review: 1, counted over 59 references of 3 reviews; "
        "2 of the 3 lists are partial (PMID 29037250: 5 of at least 5; PMID 21387299: 5 of at "
        "least 5); counts over the whole lists can only be larger."
    )
    [_, claims] = outputs["claims_note(notes)"]  # under the evidence heatmap
    assert claims["text/plain"] == (
        "Over the claims of 2 of the 3 reviews; no claim yet on PMID 29963580."
    )


@needs_fixtures
def test_adding_the_same_review_again_is_refused_and_changes_nothing(
    added_xml: tuple[Path, AddedReview],
) -> None:
    root, _ = added_xml
    before = snapshot(root)
    with pytest.raises(AddError, match=f"PMID {PUBMED7_PMID} is already in the workbook"):
        add_review(str(PUBMED7), root=root)
    assert snapshot(root) == before


def test_adding_by_pmid_fetches_the_pubmed_xml_record(workbook: Path) -> None:
    """PMC knows no PMCID of this PMID: the record alone is added, and the reason kept."""
    with serving_fake_eutils() as fake:
        added = add_review("12345678", root=workbook, client=fake_client(fake))
    assert [(params.get("db"), params.get("idtype")) for _, params in fake.requests] == [
        ("pubmed", None),
        (None, "pmid"),
    ]
    assert added.source_file.read_bytes() == record_xml("12345678")
    assert added.notebook.name == f"{next_notebook('anonymousnd_record_12345678')}.ipynb"
    assert [
        str(problem) for problem in check_notebook(added.notebook, data=workbook / "data")
    ] == []
    assert manifest_row(workbook, "12345678")[0].review == "Record 12345678. Unknown journal. n.d."
    assert (added.full_text, str(added.full_text_error)) == (
        None,
        "PMC has no full text of PMID 12345678 (the PMC ID converter knows no PMCID for it)",
    )


def test_adding_by_pmid_stores_record_and_full_text_in_one_transaction(workbook: Path) -> None:
    """PMID 41032705: the fake's record (no references, no PMCID), the ID converter's PMCID,
    and PMC's full text (a real CC BY review, PMC12599256) stored beside it; the cited works
    looked up are the full text's, and the notebook reads the review with its body."""
    pubmed = workbook / "data" / "pubmed"
    with serving_fake_eutils() as fake:
        added = add_review("41032705", root=workbook, client=fake_client(fake))
    assert [(params.get("db"), params.get("idtype")) for _, params in fake.requests][:3] == [
        ("pubmed", None),
        (None, "pmid"),
        ("pmc", None),
    ]
    assert sorted(path.name for path in pubmed.glob("41032705.*")) == [
        "41032705.cited.xml",
        "41032705.idconv.json",
        "41032705.nxml",
        "41032705.xml",
    ]
    assert (added.full_text, added.full_text_error) == (pubmed / "41032705.nxml", None)
    assert added.full_text.read_bytes() == fake.pmc_reply("PMC12599256")
    assert [path.relative_to(workbook).as_posix() for path in added.files][:3] == [
        "data/pubmed/41032705.xml",
        "data/pubmed/41032705.nxml",
        "data/pubmed/manifest.csv",
    ]
    [row] = manifest_row(workbook, "41032705")
    assert (row.file, row.sha256) == (
        "41032705.xml",
        hashlib.sha256(record_xml("41032705")).hexdigest(),
    )
    review = load_review("41032705", pubmed)
    assert review.body is not None
    assert (review.title, len(review.references)) == ("Record 41032705.", 60)
    assert manifest_problems(Workbook.at(workbook)) == []
    assert [
        str(problem) for problem in check_notebook(added.notebook, data=workbook / "data")
    ] == []
    # What a reader sees once it ran: the sections and the box in the outline, the text
    # with its citations, and the sentences citing the references the explorer shows.
    shown = _html_outputs(added.notebook)
    assert "Overcoming tumor immune suppression" in shown["outline_html(review)"]
    assert "Perspectives" in shown["outline_html(review)"]
    assert 'href="#ref-41032705-38"' in shown["full_text_html(review)"]
    assert "Where the text cites" in shown["explorer"]


def _html_outputs(notebook: Path) -> dict[str, str]:
    """Each code cell's HTML outputs by the cell's last line."""
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    return {
        "".join(cell["source"]).strip().splitlines()[-1]: "".join(
            "".join(output.get("data", {}).get("text/html", ""))
            for output in cell.get("outputs", [])
        )
        for cell in cells
        if cell["cell_type"] == "code" and "".join(cell["source"]).strip()
    }


def test_a_failed_add_by_pmid_stores_neither_record_nor_full_text(
    workbook: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail(notebooks: list[Path], **_: object) -> None:
        raise RuntimeError("the kernel died")

    monkeypatch.setattr(adding, "run_notebooks", fail)
    before = snapshot(workbook)
    with serving_fake_eutils() as fake, pytest.raises(RuntimeError, match="the kernel died"):
        add_review("29037250", root=workbook, client=fake_client(fake), force=True)
    assert snapshot(workbook) == before


# --- the workbook's check of a stored full text ------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "problem"),
    [
        ("29037250.nxml", JANSSEN_STAND_IN.read_bytes(), None),
        (
            "29037250.nxml",
            b'<article article-type="review-article"><front>cut short',
            "data/pubmed/29037250.nxml: cannot be read as a PMC full text (",
        ),
        (
            "29037250.nxml",
            NO_BODY.read_bytes(),
            "data/pubmed/29037250.nxml: the full text of PMID 10000061, not of PMID 29037250: "
            "`reviewbook refresh --full-text --force 29037250` fetches it anew",
        ),
        (
            "29037250.nxml",
            record_xml("29037250"),
            "data/pubmed/29037250.nxml: not a PMC full text (JATS XML): "
            "`reviewbook refresh --full-text --force 29037250` fetches it anew",
        ),
        (
            "12345678.nxml",
            JANSSEN_STAND_IN.read_bytes(),
            "data/pubmed/12345678.nxml: not listed in manifest.csv "
            "(`reviewbook add data/pubmed/12345678.nxml` adds it)",
        ),
    ],
)
def test_a_full_text_beside_a_review_is_read_by_the_check_and_one_of_none_is_unlisted(
    workbook: Path, name: str, content: bytes, problem: str | None
) -> None:
    """The manifest holds no checksum of a full text stored beside a review's source, so the
    check reads it: PMC full text of that review, or a problem saying what it is."""
    (workbook / "data" / "pubmed" / name).write_bytes(content)
    problems = manifest_problems(Workbook.at(workbook))
    if problem is None:
        assert problems == []
    else:
        [found] = problems
        assert found.startswith(problem)


def test_adding_a_saved_page_named_for_its_pmid(workbook: Path, tmp_path: Path) -> None:
    page = tmp_path / "12345678.txt"
    shutil.copy(PUBMED / "29037250.txt", page)
    added = add_review(str(page), root=workbook)
    assert added.source_file == workbook / "data" / "pubmed" / "12345678.txt"
    assert added.notebook.name == f"{next_notebook('janssen2017_immune_system_cancer')}.ipynb"
    assert [
        str(problem) for problem in check_notebook(added.notebook, data=workbook / "data")
    ] == []
    assert "This notebook reads one review from its saved PubMed page" in added.twin.read_text()


def test_a_gzip_compressed_record_is_stored_as_its_content(tmp_path: Path) -> None:
    record = (TEST_DATA / "pubmed_29037250_reference_list.xml").read_bytes()
    compressed = tmp_path / "29037250.xml.gz"
    compressed.write_bytes(gzip.compress(record))
    source = adding.read_source(str(compressed))
    assert (source.article.pmid, source.data, source.suffix) == ("29037250", record, ".xml")


def test_a_page_without_its_pmid_is_refused(workbook: Path, tmp_path: Path) -> None:
    page = tmp_path / "janssen.txt"
    shutil.copy(PUBMED / "29037250.txt", page)
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


# --- one record of several, and records that are not reviews ---------------------------------

THREE_XML = TEST_DATA / "pubmed_three_records.xml"
"""PubMed XML of 10000021 (a review), 10000022 (a research article) and 10000023 (a letter)."""
THREE_NBIB = TEST_DATA / "medline_three_records.nbib"
"""MEDLINE of 29037250 (a review), 10000004 (a journal article) and 10000005 (a letter)."""


def test_pmid_chooses_a_record_of_pubmed_xml_stored_as_written_in_a_set_of_its_own() -> None:
    source = adding.read_source(str(THREE_XML), pmid="10000022")
    assert source.data == (EXPECTED / "pubmed_three_records_10000022.xml").read_bytes()
    assert source.suffix == ".xml"
    article = source.article
    assert (article.pmid, article.title, article.first_author, article.year) == (
        "10000022",
        "CD8 T cells restrain lung colonisation in mice—a time course & its dose response.",
        "Müller J",
        2022,
    )


def test_pmid_chooses_a_record_of_gzip_compressed_medline_stored_as_its_lines(
    tmp_path: Path,
) -> None:
    compressed = tmp_path / "export.nbib.gz"
    compressed.write_bytes(gzip.compress(THREE_NBIB.read_bytes()))
    source = adding.read_source(str(compressed), pmid="10000004")
    assert source.data == (EXPECTED / "medline_three_records_10000004.nbib").read_bytes()
    assert (source.suffix, source.article.pmid, source.article.article_types) == (
        ".nbib",
        "10000004",
        ("Journal Article",),
    )


def test_a_file_of_several_records_and_no_pmid_is_refused_with_its_records(
    workbook: Path,
) -> None:
    before = snapshot(workbook)
    with pytest.raises(SeveralRecords) as raised:
        add_review(str(THREE_XML), root=workbook)
    assert str(raised.value) == (f"{THREE_XML}: holds 3 records, not one; choose one by its PMID")
    assert [record.pmid for record in raised.value.records] == ["10000021", "10000022", "10000023"]
    assert snapshot(workbook) == before


def test_a_pmid_the_file_does_not_hold_is_refused_and_nothing_is_written(workbook: Path) -> None:
    before = snapshot(workbook)
    with pytest.raises(ReadError) as raised:
        add_review(str(THREE_XML), root=workbook, pmid="29037250")
    assert str(raised.value) == (
        f"{THREE_XML}: holds no record with PMID 29037250; "
        "its 3 records have PMIDs 10000021, 10000022, 10000023"
    )
    assert snapshot(workbook) == before


@pytest.mark.parametrize(
    ("source", "pmid", "reason"),
    [
        ("12345678", "87654321", "--pmid 87654321 chooses among a file's records, not a PMID's"),
        (
            str(THREE_XML),
            "0123",
            "--pmid '0123' is not a PMID (1 to 9 ASCII digits, no leading zero)",
        ),
    ],
)
def test_a_pmid_that_cannot_choose_is_refused(source: str, pmid: str, reason: str) -> None:
    with pytest.raises(AddError) as raised:
        adding.read_source(source, pmid=pmid)
    assert str(raised.value) == reason


@pytest.mark.parametrize(
    ("types", "not_a_review"),
    [
        (("Journal Article", "Review"), ()),
        (("Systematic Review", "Meta-Analysis"), ()),
        (("Scoping Review",), ()),
        ((), ()),  # types unknown: nothing to say
        (("Journal Article", "Letter"), ("Journal Article", "Letter")),
    ],
)
def test_a_record_is_not_a_review_when_it_has_types_and_none_is_a_review(
    types: tuple[str, ...], not_a_review: tuple[str, ...]
) -> None:
    record = Article(pmid="10000022", title="A title.", article_types=types)
    assert adding.not_review_types(record) == not_a_review


def test_the_notebook_of_a_record_that_is_not_a_review_says_so_under_its_heading() -> None:
    record = Article(
        pmid="10000022",
        title="CD8 T cells restrain lung colonisation.",
        article_types=("Journal Article", "Research Support, Non-U.S. Gov't"),
        year=2022,
        first_author="Müller J",
        authors=("Müller J",),
    )
    lines = adding.notebook_text(record, "10000022.xml").splitlines()
    heading = lines.index("# Müller 2022: *CD8 T cells restrain lung colonisation*")
    assert lines[heading + 1 : heading + 4] == [
        "",
        "> **Not a review.** None of this record's publication types in PubMed (Journal "
        "Article; Research Support, Non-U.S. Gov't) is a review; it was added to the workbook "
        "anyway.",
        "",
    ]
    assert lines[heading + 4].startswith("This notebook reads one review from its PubMed XML")


@pytest.mark.parametrize("types", [("Journal Article", "Review"), ()], ids=["review", "unknown"])
def test_the_notebook_of_a_review_or_of_unknown_types_has_no_note(types: tuple[str, ...]) -> None:
    record = Article(pmid="10000021", title="Neutrophils.", article_types=types, year=2021)
    text = adding.notebook_text(record, "10000021.xml")
    assert "Not a review" not in text
    assert "# Anonymous 2021: *Neutrophils*\n\nThis notebook reads one review" in text


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
    monkeypatch.setattr(
        adding,
        "execute_in_stage",
        lambda notebooks, _: executed.extend(path.name for path in notebooks),
    )
    added = add_review(str(PUBMED7), root=workbook, force=True)
    pubmed = workbook / "data" / "pubmed"
    assert sorted(path.name for path in pubmed.glob(f"{PUBMED7_PMID}.*")) == ["29963580.xml"]
    assert [entry.file for entry in manifest_row(workbook, PUBMED7_PMID)] == ["29963580.xml"]
    assert added.twin.name == "07_guo2018_development_pulmonary_imaging.md"
    assert 'review = load_review("29963580")' in added.twin.read_text(encoding="utf-8")
    assert not added.notebook.exists()  # removed, to be written again by execution
    # The new notebook, then every notebook over all of the workbook's reviews.
    assert executed == [
        added.notebook.name,
        "00_index.ipynb",
        "03_compare_reviews.ipynb",
        "field_corpus.ipynb",
    ]
    assert added.annotations.read_text() == f'pmid: "{PUBMED7_PMID}"\n# our notes\n'


@needs_fixtures
def test_a_failure_after_forcing_puts_back_every_replaced_file(
    workbook: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _earlier_review(workbook)
    before = snapshot(workbook)

    def fail(notebooks: list[Path], **_: object) -> None:
        raise RuntimeError("the kernel died")

    monkeypatch.setattr(adding, "run_notebooks", fail)
    with pytest.raises(RuntimeError, match="the kernel died"):
        add_review(str(PUBMED7), root=workbook, force=True)
    assert snapshot(workbook) == before


@needs_fixtures
def test_a_failure_midway_leaves_the_workbook_as_it_was(
    workbook: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The new notebook runs; the index then fails half-written; everything is undone."""
    before = snapshot(workbook)
    run = adding.run_notebooks

    def index_fails(notebooks: list[Path], **options: object) -> None:
        (notebook,) = notebooks  # one at a time, the new review's first
        if notebook.name != "00_index.ipynb":
            run(notebooks, **options)  # type: ignore[arg-type]
            return
        notebook.write_text("half written")
        raise KeyboardInterrupt

    monkeypatch.setattr(adding, "run_notebooks", index_fails)
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
        match=rf"^{PUBMED7_NOTEBOOK}\.ipynb: a cell raised ValueError: "
        r"no such review$",
    ):
        add_review(str(PUBMED7), root=workbook)
    assert snapshot(workbook) == before


def fake_client(fake: FakeEutils) -> EutilsClient:
    """A client of the fake E-utilities and ID converter, without a cache."""
    return EutilsClient(
        base_url=fake.base_url,
        idconv_url=fake.base_url.replace("/entrez/eutils/", IDCONV_PATH),
        cache=False,
        environ={},
        timeout=60.0,
    )
