"""The manifest of saved reviews: a new row appended, a replaced one rewritten, others kept."""

from __future__ import annotations

from dataclasses import replace

from reviewbook.workbook.manifest import ManifestEntry, manifest_with
from tests.conftest import ROOT


def test_manifest_gains_a_row_and_keeps_the_others_byte_for_byte() -> None:
    existing = (ROOT / "data" / "pubmed" / "manifest.csv").read_text(encoding="utf-8")
    entry = ManifestEntry("123", "https://pubmed.ncbi.nlm.nih.gov/123/", "ab", "123.xml", "A, B.")
    extended = manifest_with(existing, entry)
    assert extended == existing + '123,https://pubmed.ncbi.nlm.nih.gov/123/,ab,123.xml,"A, B."\n'
    replaced = manifest_with(extended, replace(entry, sha256="cd"))
    assert replaced == existing + '123,https://pubmed.ncbi.nlm.nih.gov/123/,cd,123.xml,"A, B."\n'
