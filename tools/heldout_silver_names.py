"""Silver normalization check on records the lexicon never saw.

``drug_lexicon.jsonl`` is built from the same registry records the silver
check reads, so its agreement there is partly circular.  This script builds
the lexicon as ``build_drug_lexicon.py`` does but without every fifth record
(and without the test-split sources), loads the pipeline with it (plus
``drug_curated.jsonl``), and runs :func:`extractor.silver.evaluate_silver` on
those held-out records.  It prints the ``normalization`` block's counts and
writes the whole result as JSON.  Nothing under ``extractor/data`` is written.

    python tools/heldout_silver_names.py ../shared/corpus/ctgov_records.jsonl OUT.json
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main(path: str, out: str, fold: int = 5) -> None:
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "tools"))
    import build_drug_lexicon as lexicon_builder
    from corpus_records import held_out_sources

    import extractor
    from extractor.records import render_ctgov
    from extractor.resources import read_data
    from extractor.silver import evaluate_silver

    test_sources = held_out_sources()
    with open(path, encoding="utf-8") as handle:
        records = [json.loads(line) for line in handle if line.strip()]
    seen = [r for i, r in enumerate(records) if i % fold and r["nct_id"] not in test_sources]
    held = [(f"{path}:{i + 1}", r) for i, r in enumerate(records) if i % fold == 0]
    stoplist = {json.loads(line)["name"] for line in (ROOT / "extractor" / "data" / "drug_stoplist.jsonl").open()}
    entries = lexicon_builder.build(seen, stoplist)
    entries, _ = lexicon_builder.noise_filter(entries, seen, [render_ctgov(r, full=True).text for r in seen])
    nlp = extractor.load()
    nlp.get_pipe("extractor_drugs").initialize(lexicon=list(entries) + list(read_data("drug_curated.jsonl")))
    result = evaluate_silver(nlp, path, records=held)
    Path(out).write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    norm = result["normalization"]
    print(f"{len(held)} held-out records, lexicon from {len(seen)}: "
          + json.dumps({k: v for k, v in norm.items() if not isinstance(v, list)}))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
