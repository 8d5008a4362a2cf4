"""Rebuild the benchmark sample from the shared corpus (a maintainer's script;
the benchmark itself reads only the files this writes).

    python evaluation/make_sample.py /work/shared/corpus

Choice (deterministic): leave out every record whose NCT id names a document
of ``annotations/`` (so the benchmark never runs on gold text), order the rest
by the SHA-1 of the NCT id (which mixes registration years and both export
formats), and keep the first 2,000 registry records and the first 200 NLI4CT
trial reports.  Only the fields the renderers read are kept.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ANNOTATIONS = HERE.parent / "annotations"
CTGOV_OUT = HERE / "sample_ctgov.jsonl.gz"
NLI4CT_OUT = HERE / "sample_nli4ct.jsonl.gz"
N_CTGOV = 2000
N_NLI4CT = 200
CTGOV_FIELDS = (
    "nct_id", "title", "brief_summary", "conditions", "interventions", "primary_outcomes",
    "secondary_outcomes", "other_outcomes", "detailed_description", "arm_groups", "eligibility",
)


def annotated_ids() -> set[str]:
    ids: set[str] = set()
    for path in ANNOTATIONS.rglob("*"):
        ids.update(re.findall(r"NCT\d{8}", path.name))
    return ids


def choose(path: Path, count: int, excluded: set[str]) -> list[dict]:
    with open(path, encoding="utf-8") as handle:
        records = [json.loads(line) for line in handle if line.strip()]
    eligible = [r for r in records if r["nct_id"] not in excluded]
    eligible.sort(key=lambda r: hashlib.sha1(r["nct_id"].encode()).hexdigest())
    return eligible[:count]


def write(path: Path, records: list[dict]) -> None:
    lines = "".join(json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n" for r in records)
    # mtime=0: the same input gives the same bytes
    with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as handle:
        handle.write(lines.encode("utf-8"))


def main(corpus: str) -> None:
    excluded = annotated_ids()
    ctgov = choose(Path(corpus) / "ctgov_records.jsonl", N_CTGOV, excluded)
    write(CTGOV_OUT, [{k: r.get(k) for k in CTGOV_FIELDS} for r in ctgov])
    reports = choose(Path(corpus) / "nli4ct_ctrs.jsonl", N_NLI4CT, excluded)
    write(NLI4CT_OUT, [{"nct_id": r["nct_id"], "ctr": r["ctr"]} for r in reports])
    print(f"{len(ctgov)} registry records -> {CTGOV_OUT.name}; {len(reports)} trial reports -> {NLI4CT_OUT.name}; "
          f"{len(excluded)} annotated NCT ids left out")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "../shared/corpus")
