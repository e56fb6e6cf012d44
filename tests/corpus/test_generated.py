"""Generated records: deterministic, labelled, and read back as the XML says."""

from __future__ import annotations

from pathlib import Path

from reviewbook.corpus.generated import (
    GENERATED_PMIDS,
    GENERATED_TITLE_MARK,
    CitedWork,
    generate_field,
    is_generated,
    pubmed_file_xml,
    write_baseline,
)
from reviewbook.corpus.inputs import find_inputs, natural_key
from reviewbook.sources.formats import iter_entries

REAL = CitedWork("Chambers AF. Dissemination. Nat Rev Cancer. 2002;2:563-72.", doi="10.1038/nrc865")


def test_the_same_seed_gives_the_same_bytes_and_another_seed_others() -> None:
    first = pubmed_file_xml(generate_field(reviews=5, papers=20, seed=3).records)
    assert first == pubmed_file_xml(generate_field(reviews=5, papers=20, seed=3).records)
    assert first != pubmed_file_xml(generate_field(reviews=5, papers=20, seed=4).records)


def test_every_generated_record_is_labelled() -> None:
    field = generate_field(reviews=6, papers=30, seed=1, cited=(REAL,))
    assert len(field.reviews) == 6 and len(field.papers) == 30
    assert all(int(record.pmid) in GENERATED_PMIDS for record in field.records)
    assert all(record.title.startswith(GENERATED_TITLE_MARK) for record in field.records)
    assert is_generated("900000001") and not is_generated("29037250") and not is_generated(None)


def test_records_read_back_as_written(tmp_path: Path) -> None:
    field = generate_field(reviews=3, papers=10, seed=5, cited=(REAL,))
    [path] = write_baseline(tmp_path, field.records, files=1)
    articles = list(iter_entries(path))
    assert [article.pmid for article in articles] == [record.pmid for record in field.records]
    for article, record in zip(articles, field.records, strict=True):
        assert article.title == record.title
        assert article.article_types == record.publication_types
        assert article.mesh_headings == record.mesh_headings
        assert article.year == record.year
        assert article.authors == tuple(f"{last} {initials}" for last, initials in record.authors)
        assert [(ref.pmid, ref.doi) for ref in article.references] == [
            (work.pmid, work.doi) for work in record.references
        ]
        assert article.warnings == ()
    reviews = articles[:3]
    assert [len(review.references) >= 1 for review in reviews] == [True, True, True]
    assert all(
        heading.descriptor in ("Neoplasm Metastasis", "Immune System")
        for heading in reviews[0].mesh_headings[:2]
    )


def test_files_apply_in_the_natural_order_of_their_names(tmp_path: Path) -> None:
    for name in ("pubmed26n1300.xml.gz", "pubmed26n0002.xml.gz", "batch10.xml", "batch9.xml"):
        (tmp_path / ("updatefiles" if "1300" in name else "baseline")).mkdir(exist_ok=True)
        folder = tmp_path / ("updatefiles" if "1300" in name else "baseline")
        (folder / name).write_bytes(b"")
    (tmp_path / "baseline" / "pubmed26n0002.xml.gz.md5").write_text("checksum")
    assert [entry.name for entry in find_inputs([tmp_path])] == [
        "batch9.xml",
        "batch10.xml",
        "pubmed26n0002.xml.gz",
        "pubmed26n1300.xml.gz",
    ]
    assert natural_key("n2") < natural_key("n10")
