"""Registry records for the data builders under ``tools/``.

The builders derive data files from ``ctgov_records.jsonl`` and leave out the
records that are sources of ``test``-split gold documents, so that the test
split measures how the derived data generalizes.
"""

from __future__ import annotations

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def held_out_sources() -> set[str]:
    """NCT ids of the records behind the ``test``-split gold documents."""
    splits = json.loads((ROOT / "annotations" / "splits.json").read_text())
    return {name.split("_", 1)[1] for name in splits["test"] if not name.startswith("seed_")}


def records_without_test_sources(path: str) -> tuple[list[dict], set[str]]:
    """The records of the JSONL file ``path`` but the test-split sources, and those sources."""
    held_out = held_out_sources()
    records = []
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            if record["nct_id"] not in held_out:
                records.append(record)
    return records, held_out
