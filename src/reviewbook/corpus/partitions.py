"""The corpus's tables as data: their Parquet schemas, and one file's records as rows.

Every input file gives one Parquet file per table (``articles/<key>.parquet`` ...), written as
its records stream past in row groups of `ROWS_PER_GROUP` records, so a worker's memory stays
flat however large the file. Rows keep the file they came from (``source_file``) and their
place in it (``entry``, counting records and deletions alike): which version of a record is
current is decided from those at the end of a build, never by rewriting a partition.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType

import pyarrow as pa
import pyarrow.parquet as pq

from reviewbook.corpus.generated import is_generated
from reviewbook.identity import paper_keys
from reviewbook.model import Article, Deletion, Reference, is_pmid
from reviewbook.sources.citation import parse_citation

MESH_TYPE = pa.struct(
    [("descriptor", pa.string()), ("major", pa.bool_()), ("qualifiers", pa.list_(pa.string()))]
)
SCHEMAS: dict[str, pa.Schema] = {
    "articles": pa.schema(
        [
            ("pmid", pa.int64()),
            ("entry", pa.int32()),
            ("title", pa.string()),
            ("journal", pa.string()),
            ("year", pa.int32()),
            ("publication_types", pa.list_(pa.string())),
            ("mesh", pa.list_(MESH_TYPE)),
            ("doi", pa.string()),
            ("pmcid", pa.string()),
            ("n_references", pa.int32()),
            ("n_authors", pa.int32()),
            ("n_warnings", pa.int32()),
            ("generated", pa.bool_()),
            ("source_file", pa.string()),
        ]
    ),
    "references": pa.schema(
        [
            ("citing_pmid", pa.int64()),
            ("entry", pa.int32()),
            ("position", pa.int32()),
            ("cited_pmid", pa.int64()),
            ("cited_doi", pa.string()),
            ("cited_source", pa.string()),
            ("citation", pa.string()),
            ("source_file", pa.string()),
        ]
    ),
    "authors": pa.schema(
        [
            ("pmid", pa.int64()),
            ("entry", pa.int32()),
            ("position", pa.int32()),
            ("name", pa.string()),
            ("source_file", pa.string()),
        ]
    ),
    "deletions": pa.schema(
        [("pmid", pa.int64()), ("entry", pa.int32()), ("source_file", pa.string())]
    ),
    "problems": pa.schema(
        [
            ("source_file", pa.string()),
            ("pmid", pa.string()),
            ("line", pa.int32()),
            ("kind", pa.string()),
            ("message", pa.string()),
        ]
    ),
}
"""Every table of a corpus, by name: one Parquet file per input file under ``<name>/``."""
RECORD_TABLES: tuple[str, ...] = ("articles", "references", "authors")
"""The tables a query sees through the current version of each record."""
ROWS_PER_GROUP = 5_000
"""Records gathered before their rows are written as one row group of each table."""
PARQUET_COMPRESSION = "zstd"


def source_key(reference: Reference) -> str | None:
    """The reference's source as `identity.paper_keys` keys it: journal, year, volume, first
    page (``nat rev cancer|2009|9|239``), or None when the citation lacks one of them. A
    reference whose text was left unread (``kind`` ``unknown``) is read for it here."""
    if reference.kind == "unknown" and reference.raw:
        reference = parse_citation(reference.raw, index=reference.index)
    return next((key for kind, key in paper_keys(reference) if kind == "source"), None)


def partition_path(folder: Path, table: str, key: str) -> Path:
    """Where one input file's rows of ``table`` are written."""
    return folder / table / f"{key}.parquet"


@dataclass(frozen=True, slots=True)
class FileCounts:
    """What one input file held: records, deletions, references, authors, problems."""

    records: int = 0
    deletions: int = 0
    references: int = 0
    authors: int = 0
    problems: int = 0


@dataclass
class PartitionWriter:
    """Rows of one input file, gathered and written to its Parquet partitions in row groups.

    Used as a context manager: leaving it writes what is gathered and closes every file
    (each table gets a file, empty or not, so the corpus always has all its tables). Rows are
    gathered column by column: a record's references and authors extend each column once,
    not one row at a time.
    """

    folder: Path
    key: str
    source_file: str
    _columns: dict[str, dict[str, list[object]]] = field(default_factory=dict)
    _writers: dict[str, pq.ParquetWriter] = field(default_factory=dict)
    _pending: int = 0
    _entry: int = 0
    _counts: dict[str, int] = field(
        default_factory=lambda: dict.fromkeys(FileCounts.__dataclass_fields__, 0)
    )

    @property
    def counts(self) -> FileCounts:
        """What was written so far."""
        return FileCounts(**self._counts)

    def __enter__(self) -> PartitionWriter:
        for table, schema in SCHEMAS.items():
            path = partition_path(self.folder, table, self.key)
            path.parent.mkdir(parents=True, exist_ok=True)
            self._writers[table] = pq.ParquetWriter(path, schema, compression=PARQUET_COMPRESSION)
        self._empty_columns()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if kind is None:
            self._flush()
        for writer in self._writers.values():
            writer.close()

    def add(self, entry: Article | Deletion) -> None:
        """One record's rows (or a deletion's), written once `ROWS_PER_GROUP` are gathered."""
        self._entry += 1
        if isinstance(entry, Deletion):
            self._add_deletion(entry)
        else:
            self._add_article(entry)
        self._pending += 1
        if self._pending >= ROWS_PER_GROUP:
            self._flush()

    def _problem(self, pmid: str | None, line: int | None, kind: str, message: str) -> None:
        columns = self._columns["problems"]
        columns["source_file"].append(self.source_file)
        columns["pmid"].append(pmid)
        columns["line"].append(line)
        columns["kind"].append(kind)
        columns["message"].append(message)
        self._counts["problems"] += 1

    def _add_deletion(self, deletion: Deletion) -> None:
        if not is_pmid(deletion.pmid):
            self._problem(
                None, deletion.line, "record", f"deletion of {deletion.pmid!r}, not a PMID: ignored"
            )
            return
        columns = self._columns["deletions"]
        columns["pmid"].append(int(deletion.pmid))
        columns["entry"].append(self._entry)
        columns["source_file"].append(self.source_file)
        self._counts["deletions"] += 1

    def _add_article(self, article: Article) -> None:
        for problem in article.warnings:
            self._problem(article.pmid, problem.line, problem.kind, problem.message)
        if not article.pmid or not is_pmid(article.pmid):
            self._problem(
                article.pmid,
                None,
                "record",
                f"record {self._entry} has no PMID: left out of the corpus",
            )
            return
        pmid, entry, source_file = int(article.pmid), self._entry, self.source_file
        references, authors = article.references, article.authors
        columns = self._columns["articles"]
        columns["pmid"].append(pmid)
        columns["entry"].append(entry)
        columns["title"].append(article.title)
        columns["journal"].append(article.journal)
        columns["year"].append(article.year)
        columns["publication_types"].append(list(article.article_types))
        columns["mesh"].append(
            [
                {
                    "descriptor": heading.descriptor,
                    "major": heading.major,
                    "qualifiers": list(heading.qualifiers),
                }
                for heading in article.mesh_headings
            ]
        )
        columns["doi"].append(article.doi)
        columns["pmcid"].append(article.pmcid)
        columns["n_references"].append(len(references))
        columns["n_authors"].append(len(authors))
        columns["n_warnings"].append(len(article.warnings))
        columns["generated"].append(is_generated(article.pmid))
        columns["source_file"].append(source_file)
        if references:
            self._add_references(pmid, references)
        if authors:
            columns = self._columns["authors"]
            columns["pmid"].extend([pmid] * len(authors))
            columns["entry"].extend([entry] * len(authors))
            columns["position"].extend(range(1, len(authors) + 1))
            columns["name"].extend(authors)
            columns["source_file"].extend([source_file] * len(authors))
        self._counts["records"] += 1
        self._counts["references"] += len(references)
        self._counts["authors"] += len(authors)

    def _add_references(self, pmid: int, references: tuple[Reference, ...]) -> None:
        """The rows of one record's references, a column at a time."""
        cited = [_pmid_number(reference.pmid) for reference in references]
        columns = self._columns["references"]
        columns["citing_pmid"].extend([pmid] * len(references))
        columns["entry"].extend([self._entry] * len(references))
        columns["position"].extend([reference.index for reference in references])
        columns["cited_pmid"].extend(cited)
        columns["cited_doi"].extend([reference.doi for reference in references])
        columns["cited_source"].extend(
            [
                None if number is not None or reference.doi else source_key(reference)
                for number, reference in zip(cited, references, strict=True)
            ]
        )
        columns["citation"].extend([reference.raw for reference in references])
        columns["source_file"].extend([self.source_file] * len(references))

    def _empty_columns(self) -> None:
        self._columns = {
            table: {name: [] for name in schema.names} for table, schema in SCHEMAS.items()
        }

    def _flush(self) -> None:
        for table, columns in self._columns.items():
            if next(iter(columns.values())):
                batch = pa.table(columns, schema=SCHEMAS[table])
                self._writers[table].write_table(batch)
        self._empty_columns()
        self._pending = 0


def _pmid_number(pmid: str | None) -> int | None:
    """A cited PMID as a number; None when there is none or it is not a PMID."""
    return int(pmid) if pmid and is_pmid(pmid) else None


def write_partitions(
    entries: Iterable[Article | Deletion], folder: Path, key: str, source_file: str
) -> FileCounts:
    """Write the rows of one file's ``entries`` as its partitions under ``folder``."""
    with PartitionWriter(folder, key, source_file) as writer:
        for entry in entries:
            writer.add(entry)
    return writer.counts
