"""Rebuild ``extractor/data/regex_analyses.json``: the scan plans and other
analyses of the bundled expressions that the pipeline would otherwise work
out by parsing them at every load (issue #9).

    python tools/build_regex_analyses.py

Loads the bundled pipeline with every analysis computed afresh and writes
what was computed.  Run it after changing any pattern, lexicon or grammar
file the drug or attribute components compile (``tests/test_regexscan.py``
fails until the table is in sync).  Deterministic: the same data and Python
version give the same file.
"""

import json
import sys
from pathlib import Path

import extractor
from extractor.regexscan import ANALYSES_FILE, analyses_document, record_analyses


def build() -> dict:
    with record_analyses() as table:
        extractor.load()
    return analyses_document(table)


def main() -> int:
    target = Path(__file__).resolve().parent.parent / "extractor" / "data" / ANALYSES_FILE
    document = build()
    target.write_text(json.dumps(document, ensure_ascii=True, separators=(",", ":"), sort_keys=True) + "\n",
                      encoding="utf-8")
    print(f"{target}: {len(document['analyses'])} analyses (Python {document['python']})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
