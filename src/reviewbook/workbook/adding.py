"""Add a review to the workbook: its source, manifest row, notes file and executed notebook.

`add_review` takes a PMID (fetched from NCBI as PubMed XML), a PMCID (its PMC full text fetched
from NCBI as JATS XML) or a file reviewbook reads (a saved page, a MEDLINE ``.nbib``, PubMed XML
or a PMC full text), and writes:

- ``data/pubmed/<pmid>.txt|.nbib|.xml|.nxml``: the source's bytes, named for its format (of a
  file of several records, the bytes of the one chosen by its PMID);
- for a PMID, ``data/pubmed/<pmid>.nxml`` beside its record as well: the review's PMC full text,
  when the review has a PMCID (its record's, else the PMC ID converter's) and PMC sends its
  body (`review_full_text`); without one the review is added all the same, and
  `AddedReview.full_text_error` says why;
- ``data/pubmed/<pmid>.cited.xml`` and ``<pmid>.idconv.json``: the cited works' PubMed records
  and ID conversions (`sources.completion.fetch_cited`), so the review loads complete offline;
- a row of ``data/pubmed/manifest.csv``;
- ``data/annotations/<pmid>.yaml``: an empty annotation file (an existing one is kept);
- ``notebooks/NN_<author><year>_<slug>.md`` from ``templates/review.md``, then executed, which
  writes its ``.ipynb`` twin with outputs;
- ``notebooks/00_index``, re-executed so that the new review is listed.

Looking up the cited works needs NCBI; without it the review is still added, its references as
printed, and `AddedReview.not_completed` says which and why (``reviewbook refresh <pmid>``
completes them later). When a full text is stored, the cited works looked up are those of the
review as the workbook will read it: the full text's reference list
(`sources.merge.merge_full_text`). A review already in the workbook is refused unless
``force`` is given.

The whole addition is one `transaction.Transaction` under the workbook lock: files are staged
and the notebooks run outside the live tree, then published together, so the workbook is either
extended or left as it was, even when the process is killed (the next command finishes or rolls
back the rest).
"""

from __future__ import annotations

import hashlib
import io
import json
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from string import Template

from reviewbook.errors import ReadError
from reviewbook.model import REVIEW_TYPES, Article, is_pmid, pubmed_url
from reviewbook.progress import progress
from reviewbook.sources.completion import CitedData, fetch_cited
from reviewbook.sources.formats import file_format, iter_entries, iter_stream_articles
from reviewbook.sources.merge import merge_full_text
from reviewbook.sources.ncbi import (
    EXIT_BAD_REPLY,
    EutilsClient,
    FullText,
    NcbiError,
    NoFullText,
    is_pmcid,
)
from reviewbook.sources.opening import open_input
from reviewbook.sources.pubmed_xml import parse_pubmed_xml
from reviewbook.sources.records import chosen_record, split_records
from reviewbook.text import JOINED_SEPARATOR, markdown_text
from reviewbook.workbook.manifest import (
    FULLTEXT_SUFFIX,
    ManifestEntry,
    completion_files,
    manifest_with,
    read_manifest,
    saved_files,
)
from reviewbook.workbook.naming import (
    notebook_heading,
    notebook_key,
    review_citation,
)
from reviewbook.workbook.notebooks import check_notebook, twin_path
from reviewbook.workbook.paths import (
    DATA_ENV,
    INDEX_NOTEBOOK,
    NOTEBOOKS_ENV,
    WORKBOOK_ENV,
    Workbook,
)
from reviewbook.workbook.provenance import DATA_LABEL, recorded_inputs, trust_kept
from reviewbook.workbook.runner import NotebookRunError, run_notebooks
from reviewbook.workbook.transaction import Report, Transaction, checkpoint, workbook_lock

TEMPLATE = "templates/review.md"
"""The notebook template, package data beside this module."""
STORED_SUFFIXES: dict[str, str] = {
    "pubmed-xml": ".xml",
    "medline": ".nbib",
    "pubmed-page": ".txt",
    "pmc-jats": FULLTEXT_SUFFIX,
}
"""File suffix a source is stored under, by the format `file_format` recognises."""
SOURCE_KINDS: dict[str, str] = {
    ".xml": "PubMed XML record",
    ".nbib": "MEDLINE record",
    ".txt": "saved PubMed page",
    ".nxml": "PMC full text (JATS XML)",
}
"""How the notebook names its source, by stored suffix."""
_NUMBERED = re.compile(r"^(\d+)_")
_LOADS = re.compile(r"""load_review\(\s*["']([0-9]+)["']""")


class AddError(ValueError):
    """The review cannot be added: refused, or a step failed (the workbook is unchanged)."""


@dataclass(frozen=True, slots=True)
class AddedReview:
    """What `add_review` wrote for one review."""

    pmid: str
    source_file: Path
    notebook: Path
    twin: Path
    annotations: Path
    files: tuple[Path, ...]
    """Every file written or replaced, in the order written."""
    not_completed: tuple[int, ...] = ()
    """Indices of references whose cited work could not be looked up (NCBI failed)."""
    lookup_errors: tuple[NcbiError, ...] = ()
    """Why, one of each distinct error."""
    not_a_review: tuple[str, ...] = ()
    """The record's publication types when none is a review type (`not_review_types`)."""
    full_text: Path | None = None
    """``<pmid>.nxml`` stored beside the record of a review added by PMID, if any."""
    full_text_error: NcbiError | None = None
    """Why a review added by PMID has no full text stored (`NoFullText`: PMC has none to give;
    another `NcbiError`: it could not be asked)."""


# --- text of the new files -------------------------------------------------------------------


def not_review_types(article: Article) -> tuple[str, ...]:
    """The record's publication types when it has some and none is a review (`REVIEW_TYPES`);
    empty for a review, and for a record whose types are unknown."""
    types = article.article_types
    return types if types and REVIEW_TYPES.isdisjoint(types) else ()


def notebook_text(article: Article, source_file: str) -> str:
    """The review notebook's MyST Markdown, from the package's template; a note under its
    heading says so when PubMed does not type the record as a review."""
    template = resources.files("reviewbook.workbook").joinpath(TEMPLATE).read_text(encoding="utf-8")
    types = not_review_types(article)
    listed = JOINED_SEPARATOR.join(markdown_text(name) for name in types)
    return Template(template).substitute(
        heading=notebook_heading(article),
        review_note=(
            f"> **Not a review.** None of this record's publication types in PubMed ({listed}) "
            "is a review; it was added to the workbook anyway.\n\n"
            if types
            else ""
        ),
        source_kind=SOURCE_KINDS[Path(source_file).suffix],
        source_file=source_file,
        pmid=article.pmid,
    )


def empty_annotations(article: Article) -> str:
    """An annotation file with no claims and no reference notes yet, headed by the citation."""
    return (
        f"# reviewbook annotations of PMID {article.pmid}:\n"
        f"#   {review_citation(article)}\n"
        "# Written by us. Each claim restates one passage in our words and anchors it with an\n"
        "# exact quote of the review; reference notes say why the review cites a reference.\n"
        "# Created empty by `reviewbook add`.\n"
        f'pmid: "{article.pmid}"\n'
        "claims: []\n"
        "references: []\n"
    )


# --- reading the source -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Source:
    """A review's source as it will be stored: its record, its bytes and their file suffix."""

    article: Article
    data: bytes
    suffix: str


def read_source(
    source: str, *, pmid: str | None = None, client: EutilsClient | None = None
) -> Source:
    """A PMID's PubMed XML from NCBI, a PMCID's full text from NCBI (stored as fetched, as a
    saved full text is), or one record of a file: its only one, or the one with ``pmid``, as
    the bytes it had there (`split_records`); raises for anything else.

    A file of several records and no ``pmid`` raises `SeveralRecords`, which lists them.
    """
    if not source.strip():
        raise AddError("no source given: name a PMID or a file (a saved page, .nbib or .xml)")
    if pmid is not None and not is_pmid(pmid):
        raise AddError(f"--pmid {pmid!r} is not a PMID (1 to 9 ASCII digits, no leading zero)")
    if is_pmcid(source):
        if pmid is not None:
            raise AddError(f"--pmid {pmid} chooses among a file's records, not a PMCID's")
        found = (client or EutilsClient()).fetch_full_text(source)
        if not found.article.pmid or not is_pmid(found.article.pmid):
            raise AddError(f"the full text of {found.pmcid} does not give the article's PMID")
        return Source(found.article, found.data, FULLTEXT_SUFFIX)
    if is_pmid(source):
        if pmid not in (None, source):
            raise AddError(f"--pmid {pmid} chooses among a file's records, not a PMID's")
        data = (client or EutilsClient()).fetch_pubmed_xml(source)
        articles = [
            article
            for article in parse_pubmed_xml(data, source_path=f"PMID {source}")
            if article.pmid == source
        ]
        return Source(articles[0], data, ".xml")
    if source.isdigit() and not Path(source).exists():
        raise AddError(
            f"{source!r} is not a PMID (1 to 9 ASCII digits, no leading zero) nor a file"
        )
    records = [
        entry for entry in iter_entries(source, citations=False) if isinstance(entry, Article)
    ]
    position = chosen_record(records, pmid, path=source)
    with open_input(source) as opened:  # a gzip file is stored as its content
        data = opened.read_whole()
    if len(records) > 1:
        data = split_records(data, path=source)[position]
    article, *others = iter_stream_articles(io.BytesIO(data), name=source)
    if others or article.pmid != records[position].pmid:
        raise ReadError(f"record {position + 1} could not be cut out on its own", path=source)
    if not article.pmid:
        raise AddError("the page does not give its PMID: save it as <pmid>.txt (e.g. 29037250.txt)")
    if not is_pmid(article.pmid):
        raise AddError(f"{article.pmid!r} is not a PMID")
    return Source(article, data, STORED_SUFFIXES[file_format(data).name])


# --- adding ---------------------------------------------------------------------------------


def notebook_number(folder: Path, key: str) -> int:
    """The number of the notebook named for ``key``, else one more than the highest in use."""
    numbers = {
        path.stem.split("_", 1)[1]: int(match.group(1))
        for path in folder.glob("*")
        if path.suffix in (".ipynb", ".md") and (match := _NUMBERED.match(path.stem))
    }
    return numbers.get(key, max(numbers.values(), default=0) + 1)


def in_the_way(workbook: Workbook, pmid: str, key: str) -> list[Path]:
    """Files an addition of this review would replace (the manifest when it lists the PMID)."""
    listed = workbook.manifest.exists() and any(
        entry.pmid == pmid for entry in read_manifest(workbook.pubmed)
    )
    notebooks = [
        path
        for path in sorted(workbook.notebooks.glob(f"*_{key}.*"))
        if path.suffix in (".ipynb", ".md")
        and _NUMBERED.match(path.stem)
        and path.stem.split("_", 1)[1] == key
    ]
    completion = [path for path in completion_files(pmid, workbook.pubmed) if path.exists()]
    return [
        *([workbook.manifest] if listed else []),
        *saved_files(pmid, workbook.pubmed),
        *completion,
        *notebooks,
    ]


def add_review(
    source: str,
    *,
    root: Path | None = None,
    force: bool = False,
    client: EutilsClient | None = None,
    report: Report | None = None,
    pmid: str | None = None,
) -> AddedReview:
    """Add a review from a PMID, a PMCID or a file to the workbook at ``root`` (see the
    module's doc); of a file of several records, the one with ``pmid``.

    Runs as one `Transaction` under the workbook lock: ``report`` hears, in one line each,
    that another add holds the lock and what recovery did. Raises `AddError` (or the reader's
    `ReadError`, or `NcbiError` for a PMID or PMCID) and leaves the workbook as it was. Once
    the addition is allowed, a PMID's full text and the cited works are looked up (``client``,
    default a new `EutilsClient`).
    """
    workbook = Workbook.at(root)
    client = client or EutilsClient()
    found = read_source(source, pmid=pmid, client=client)
    article = found.article
    pmid = str(article.pmid)
    key = notebook_key(article)
    with workbook_lock(workbook, report=report):
        existing = in_the_way(workbook, pmid, key)
        if existing and not force:
            names = ", ".join(workbook.shown(path) for path in existing)
            raise AddError(f"PMID {pmid} is already in the workbook ({names}); --force replaces it")
        full_text: FullText | None = None
        full_text_error: NcbiError | None = None
        if is_pmid(source):
            try:
                full_text = review_full_text(article, client)
            except NcbiError as error:
                full_text_error = error
        read_as = article if full_text is None else merge_full_text(article, full_text.article)
        cited = fetch_cited(read_as, client)
        stem = f"{notebook_number(workbook.notebooks, key):02d}_{key}"
        source_file = workbook.pubmed / f"{pmid}{found.suffix}"
        full_text_file = workbook.pubmed / f"{pmid}{FULLTEXT_SUFFIX}"
        notebook = workbook.notebooks / f"{stem}.ipynb"
        annotations = workbook.annotations / f"{pmid}.yaml"
        entry = ManifestEntry(
            pmid=pmid,
            pubmed_url=str(pubmed_url(pmid)),
            sha256=hashlib.sha256(found.data).hexdigest(),
            file=source_file.name,
            review=review_citation(article),
        )
        with (
            trust_kept(
                [notebook, *notebooks_over_all_reviews(workbook)],
                index=workbook.notebooks / INDEX_NOTEBOOK,
            ),
            Transaction(workbook, f"add of PMID {pmid}") as transaction,
        ):
            for path in existing:
                if path != workbook.manifest:
                    transaction.remove(path)
            transaction.write(source_file, found.data)
            if full_text is not None:
                transaction.write(full_text_file, full_text.data)
            manifest = (
                workbook.manifest.read_text(encoding="utf-8")
                if workbook.manifest.exists()
                else None
            )
            transaction.write(workbook.manifest, manifest_with(manifest, entry).encode("utf-8"))
            stage_cited(transaction, cited, completion_files(pmid, workbook.pubmed))
            checkpoint("staged-source")
            if not annotations.exists():
                transaction.write(annotations, empty_annotations(article).encode("utf-8"))
            text = notebook_text(article, source_file.name)
            transaction.write(twin_path(notebook), text.encode("utf-8"))
            execute_in_stage([notebook, *notebooks_over_all_reviews(workbook)], transaction)
            checkpoint("staged")
            written = transaction.publish()
    return AddedReview(
        pmid,
        source_file,
        notebook,
        twin_path(notebook),
        annotations,
        written,
        not_completed_references(read_as, cited),
        tuple({str(error): error for error in cited.failed.values()}.values()),
        not_a_review=not_review_types(article),
        full_text=None if full_text is None else full_text_file,
        full_text_error=full_text_error,
    )


def review_full_text(article: Article, client: EutilsClient) -> FullText:
    """The PMC full text of a review: by the PMCID its source gives, else by the one the PMC ID
    converter gives its PMID.

    Raises `NoFullText` when PMC has none to give (no PMCID, an article sent without its body)
    and `NcbiError` when NCBI cannot be asked or sends the full text of another article.
    """
    pmid = str(article.pmid)
    pmcid = article.pmcid if article.pmcid and is_pmcid(article.pmcid) else None
    pmcid = pmcid or client.find_pmcid(pmid)
    if pmcid is None:
        raise NoFullText(
            f"PMC has no full text of PMID {pmid} (the PMC ID converter knows no PMCID for it)"
        )
    found = client.fetch_full_text(pmcid)
    if found.article.pmid and found.article.pmid != pmid:
        raise NcbiError(
            f"the full text of {found.pmcid} is that of PMID {found.article.pmid}, not {pmid}",
            exit_status=EXIT_BAD_REPLY,
        )
    return found


def not_completed_references(article: Article, cited: CitedData) -> tuple[int, ...]:
    """Indices of the references whose identifier NCBI could not be asked about."""
    return tuple(
        reference.index
        for reference in article.references
        if any(
            identifier in cited.failed
            for identifier in (reference.pmid, reference.doi, reference.pmcid)
            if identifier
        )
    )


def stage_cited(transaction: Transaction, cited: CitedData, paths: tuple[Path, Path]) -> None:
    """Stage the cited records and conversions; remove stored ones this lookup has none of."""
    for path, data in zip(paths, (cited.records_xml(), cited.conversions_json()), strict=True):
        if data is not None:
            transaction.write(path, data)
        elif path.exists():
            transaction.remove(path)


def notebooks_over_all_reviews(workbook: Workbook) -> list[Path]:
    """The notebooks an added or removed review changes: the index, and every notebook whose
    last run read the manifest (as `provenance` records it), e.g. the comparison of reviews."""
    manifest = f"{DATA_LABEL}/{workbook.manifest.relative_to(workbook.data).as_posix()}"
    index = workbook.notebooks / INDEX_NOTEBOOK
    readers = [
        notebook
        for notebook in sorted(workbook.notebooks.glob("*.ipynb"))
        if notebook != index and manifest in (_recorded_inputs(notebook) or {})
    ]
    return [*([index] if index.exists() else []), *readers]


def review_notebooks(workbook: Workbook, pmid: str, key: str | None) -> list[Path]:
    """A review's notebook pair: named for its key (``NN_<key>``), or, for one written by hand,
    the notebooks whose code loads this review and no other (``load_review("<pmid>")``)."""
    found: set[Path] = set()
    for path in workbook.notebooks.glob("*"):
        match = _NUMBERED.match(path.stem)
        if path.suffix not in (".ipynb", ".md") or not match:
            continue
        if key is not None and path.stem.split("_", 1)[1] == key:
            found.add(path)
        elif path.suffix == ".md" and _loads_only(path.read_text(encoding="utf-8"), pmid):
            found.update({path, path.with_suffix(".ipynb")} & set(workbook.notebooks.glob("*")))
    return sorted(found)


def _loads_only(text: str, pmid: str) -> bool:
    """Whether notebook text loads the review ``pmid`` and no other, nor all of them."""
    loaded = set(_LOADS.findall(text))
    return loaded == {pmid} and "load_reviews(" not in text


def _recorded_inputs(notebook: Path) -> dict[str, str] | None:
    try:
        return recorded_inputs(json.loads(notebook.read_text(encoding="utf-8")))
    except (OSError, ValueError):
        return None


def execute_in_stage(notebooks: list[Path], transaction: Transaction) -> None:
    """Run notebooks of the stage, reading the staged data and notebooks, one by one with a
    progress bar at a terminal; raise `AddError` if one fails. Their kernels run in the live
    notebooks folder, so a notebook's relative paths resolve as they will once published."""
    staged = [transaction.staged(notebook) for notebook in notebooks]
    live = transaction.workbook.notebooks
    environment = {
        WORKBOOK_ENV: str(live.parent.absolute()),
        DATA_ENV: str(transaction.data),
        NOTEBOOKS_ENV: str(transaction.staged(live)),
    }
    for notebook in progress(staged, what="running notebooks", unit="notebook"):
        checkpoint(f"executing-{notebook.stem}")
        try:
            run_notebooks([notebook], environment=environment, folder=live)
        except NotebookRunError as error:
            raise AddError(str(error)) from None
    for notebook, copy in zip(notebooks, staged, strict=True):
        problems = check_notebook(copy, data=transaction.data)
        if problems:
            raise AddError(JOINED_SEPARATOR.join(str(problem) for problem in problems))
        transaction.record(notebook)
        transaction.record(twin_path(notebook))
    checkpoint("executed")
