"""Check labelled.yaml: it loads with yaml.safe_load, uses only the agreed vocabularies, and every
sentence is found verbatim, with its section, in citations_frame(read_article(...)) of its file.
Also prints the counts quoted in README.md. Run: .venv/bin/python tests/data/statements/check_labelled.py
(This checks the file's shape; it does not label anything.)"""
from collections import Counter
from pathlib import Path

import yaml
from reviewbook import citations_frame, read_article

HERE = Path(__file__).parent
FULLTEXT = HERE.parents[2] / ".." / "shared" / "fulltext"
CELLS = {"leukocyte", "CD8+ T cell", "CD4+ Th1 cell", "CD4+ Th2 cell", "regulatory T cell", "NK cell",
         "B cell", "macrophage", "monocyte", "neutrophil", "MDSC", "dendritic cell", "mast cell",
         "platelet", "osteoclast", "glial cell", "CAF"}
ROLES = {"promotes", "inhibits", "both", "context-dependent", None}
STEPS = {"primary tumour growth and invasion", "intravasation", "survival in circulation",
         "arrest and extravasation", "pre-metastatic niche", "colonisation and outgrowth", "dormancy"}


def main() -> None:
    text = (HERE / "labelled.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    assert set(data) == {"method", "sentences"}, set(data)
    assert isinstance(data["method"], str) and data["method"].strip()
    items = data["sentences"]
    frames = {}
    seen = set()
    for n, it in enumerate(items):
        where = f"item {n} ({it.get('file')})"
        assert set(it) == {"file", "rank", "stratum", "section", "sentence", "cells", "other_cells",
                           "steps", "note"}, (where, set(it))
        assert isinstance(it["sentence"], str) and isinstance(it["section"], str), where
        assert it["stratum"] in {"cell", "other"}, where
        assert (it["file"], it["sentence"]) not in seen, f"{where}: duplicate sentence"
        seen.add((it["file"], it["sentence"]))
        names = [c["cell"] for c in it["cells"]]
        assert len(names) == len(set(names)), f"{where}: a cell listed twice"
        for c in it["cells"]:
            assert set(c) == {"cell", "role"}, where
            assert c["cell"] in CELLS, (where, c)
            assert c["role"] in ROLES, (where, c)
        assert all(isinstance(o, str) and o for o in it["other_cells"]), where
        assert all(s in STEPS for s in it["steps"]), (where, it["steps"])
        assert len(it["steps"]) == len(set(it["steps"])), where
        assert isinstance(it["note"], str), where
        # the stratum says whether the sentence names a cell to label
        assert (it["stratum"] == "cell") == bool(it["cells"] or it["other_cells"]), where
        f = it["file"]
        if f not in frames:
            frames[f] = citations_frame(read_article(str(FULLTEXT / f"{f}.nxml")))
        fr = frames[f]
        hit = fr[(fr["sentence"] == it["sentence"]) & (fr["section"] == it["section"])]
        assert len(hit) >= 1, f"{where}: sentence not found verbatim with its section"

    # counts
    per_file = Counter(it["file"] for it in items)
    with_cell = sum(bool(it["cells"]) for it in items)
    with_any = sum(bool(it["cells"] or it["other_cells"]) for it in items)
    cells = Counter(c["cell"] for it in items for c in it["cells"])
    roles = Counter(str(c["role"]) if c["role"] else "null" for it in items for c in it["cells"])
    role_by_cell = Counter((c["cell"], str(c["role"]) if c["role"] else "null")
                           for it in items for c in it["cells"])
    steps = Counter(s for it in items for s in it["steps"])
    other = Counter(o for it in items for o in it["other_cells"])
    print(f"sentences: {len(items)}")
    for f, k in per_file.items():
        print(f"  {f}: {k} (cell stratum {sum(1 for it in items if it['file'] == f and it['stratum'] == 'cell')})")
    print(f"with >=1 vocabulary cell: {with_cell}; with any cell (cells or other_cells): {with_any}")
    print(f"with >=1 step: {sum(bool(it['steps']) for it in items)}; with a note: {sum(bool(it['note']) for it in items)}")
    print(f"cell labels: {sum(cells.values())}")
    for c, k in cells.most_common():
        rs = ", ".join(f"{r} {role_by_cell[(c, r)]}" for r in ["promotes", "inhibits", "both", "context-dependent", "null"] if role_by_cell[(c, r)])
        print(f"  {c}: {k} ({rs})")
    print("roles:", dict(roles))
    print("steps:", dict(steps))
    print(f"other_cells mentions: {sum(other.values())}:", dict(other.most_common()))
    print("OK")


if __name__ == "__main__":
    main()
