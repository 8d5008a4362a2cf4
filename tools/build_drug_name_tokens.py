"""Rebuild ``extractor/data/drug_name_tokens.json``: the tokens the trial
tokenizer makes of the bundled drug and class names (and of their uppercase
and title-case spellings where the token count changes), read at load time
instead of tokenizing them.  Derived data: rerun after changing the lexicon,
the classes, the tokenizer or spaCy (tests/test_drugs.py fails until then).

    python tools/build_drug_name_tokens.py
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from extractor.drugs import NAME_TOKENS, bundled_names, name_token_table  # noqa: E402
from extractor.pipeline import load_pipeline  # noqa: E402


def main() -> None:
    nlp = load_pipeline()
    table = name_token_table(nlp, bundled_names())
    path = ROOT / "extractor" / "data" / NAME_TOKENS
    path.write_text(json.dumps(table, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {path} ({len(table['lower'])} names, {len(table['upper'])} uppercase and "
          f"{len(table['title'])} title-case spellings)")


if __name__ == "__main__":
    main()
