"""Rebuild the gold documents' ``.txt`` files from the shared corpus.

This is a maintainer's script, run once when the corpus was drawn; nothing in
the package or the tests runs it.  It picks records by category with a fixed
random seed, renders them with :mod:`extractor.records`, writes
``annotations/docs/NAME.txt`` (never overwriting a file that exists, since
annotation offsets depend on it), and prints the source table for
``annotations/README.md``.

    python annotations/make_documents.py ../shared/corpus ../shared/seeds [BATCH]
"""

from __future__ import annotations

import functools
import json
import random
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from extractor.records import render_ctgov, render_nli4ct  # noqa: E402

HERE = Path(__file__).resolve().parent
DOCS = HERE / "docs"
CANCER_WORDS = ("cancer", "carcinoma", "tumor", "tumour", "lymphoma", "leukemia", "melanoma",
                "sarcoma", "myeloma", "neoplasm", "glioma", "blastoma", "malignan")


def _has_drug(record: dict) -> bool:
    return any((i.get("type") or "").upper() in ("DRUG", "BIOLOGICAL") for i in record["interventions"])


def _is_cancer(record: dict) -> bool:
    blob = " ".join(record["conditions"] + [record["title"] or ""]).lower()
    return any(word in blob for word in CANCER_WORDS)


# (random seed, documents per category); batches 2 to 6 were drawn later to add
# training documents, from records no earlier batch had taken.
BATCHES = {
    1: (20261121, [("modern", 14), ("outline", 14), ("report", 12), ("nononc", 11), ("elig", 12)]),
    2: (20271121, [("modern", 8), ("outline", 7), ("report", 5), ("nononc", 5), ("elig", 5)]),
    3: (20281121, [("modern", 6), ("outline", 5), ("report", 5), ("nononc", 4), ("elig", 5)]),
    4: (20291121, [("modern", 6), ("outline", 5), ("report", 5), ("nononc", 4), ("elig", 5)]),
    5: (20301121, [("modern", 6), ("outline", 5), ("report", 5), ("nononc", 4), ("elig", 5)]),
    6: (20311121, [("modern", 5), ("outline", 4), ("report", 4), ("nononc", 3), ("elig", 4)]),
    7: (20321121, [("modern", 5), ("outline", 4), ("report", 4), ("nononc", 3), ("elig", 4)]),
    8: (20331121, [("modern", 5), ("outline", 4), ("report", 4), ("nononc", 3), ("elig", 4)]),
    9: (20341121, [("modern", 5), ("outline", 4), ("report", 4), ("nononc", 3), ("elig", 4)]),
    10: (20351121, [("modern", 5), ("outline", 4), ("report", 4), ("nononc", 3), ("elig", 4)]),
    11: (20361121, [("modern", 5), ("outline", 4), ("report", 4), ("nononc", 3), ("elig", 4)]),
    12: (20371121, [("modern", 5), ("outline", 4), ("report", 4), ("nononc", 3), ("elig", 4)]),
    13: (20381121, [("modern", 5), ("outline", 4), ("report", 4), ("nononc", 3), ("elig", 4)]),
    14: (20391121, [("modern", 5), ("outline", 4), ("report", 4), ("nononc", 3), ("elig", 4)]),
    15: (20401121, [("modern", 5), ("outline", 4), ("report", 4), ("nononc", 3), ("elig", 4)]),
    16: (20411121, [("modern", 5), ("outline", 4), ("report", 4), ("nononc", 3), ("elig", 4)]),
    17: (20421121, [("modern", 5), ("outline", 4), ("report", 4), ("nononc", 3), ("elig", 4)]),
    18: (20431121, [("modern", 5), ("outline", 4), ("report", 4), ("nononc", 3), ("elig", 4)]),
    19: (20441121, [("modern", 5), ("outline", 4), ("report", 4), ("nononc", 3), ("elig", 4)]),
    20: (20451121, [("modern", 5), ("outline", 4), ("report", 4), ("nononc", 3), ("elig", 4)]),
    21: (20461121, [("modern", 5), ("outline", 4), ("report", 4), ("nononc", 3), ("elig", 4)]),
    22: (20471121, [("modern", 5), ("outline", 4), ("report", 4), ("nononc", 3), ("elig", 4)]),
}


@functools.lru_cache(maxsize=None)
def select(corpus: Path, batch: int = 1) -> tuple[tuple[str, str, str, str], ...]:
    """(name, category, source id, text) for every document drawn in ``batch``.

    A later batch never takes a record an earlier batch took.  Cached because
    each batch recomputes every earlier one (uncached, batch N costs 2**N draws).
    """
    if batch > 1:
        earlier = {source for b in range(1, batch) for _, _, source, _ in select(corpus, b)}
    else:
        earlier = set()
    seed, counts = BATCHES[batch]
    rng = random.Random(seed)
    ctgov = [json.loads(line) for line in open(corpus / "ctgov_records.jsonl", encoding="utf-8")]
    reports = [json.loads(line) for line in open(corpus / "nli4ct_ctrs.jsonl", encoding="utf-8")]
    interventional = [r for r in ctgov if _has_drug(r) and (r["study_type"] or "").lower() == "interventional"]

    def sized(records, render, low, high):
        out = []
        for record in records:
            text = render(record).text
            if low <= len(text) <= high:
                out.append((record, text))
        rng.shuffle(out)
        return out

    modern = sized([r for r in interventional if r["source"]["format"] == "ctgov_api_v2_json"
                    and r["primary_outcomes"] and r["primary_outcomes"][0].get("time_frame")],
                   lambda r: render_ctgov(r, full=True), 1200, 4500)
    outline = sized([r for r in interventional if r["source"]["format"] == "ctgov_legacy_xml"
                     and "OUTLINE" in (r["detailed_description"] or "")],
                    render_ctgov, 1200, 4500)
    non_onc = sized([r for r in interventional if not _is_cancer(r)], render_ctgov, 900, 4000)
    eligibility = sized([r for r in interventional if len(r["eligibility"] or "") > 1500],
                        lambda r: render_ctgov(r, full=True), 2500, 6000)
    trial_reports = sized(reports, render_nli4ct, 900, 3200)

    pools = {"modern": modern, "outline": outline, "report": trial_reports,
             "nononc": non_onc, "elig": eligibility}
    chosen: list[tuple[str, str, str, str]] = []
    used: set[str] = set(earlier)
    for category, count in counts:
        pool = pools[category]
        taken = 0
        for record, text in pool:
            if taken == count:
                break
            if record["nct_id"] in used:
                continue
            used.add(record["nct_id"])
            chosen.append((f"{category}_{record['nct_id']}", category, record["nct_id"], text))
            taken += 1
    return tuple(chosen)


def main(corpus: str, seeds: str, batch: str = "1") -> None:
    DOCS.mkdir(parents=True, exist_ok=True)
    for seed in sorted(Path(seeds).glob("*.txt")):
        target = DOCS / f"seed_{seed.name}"
        if not target.exists():
            shutil.copyfile(seed, target)
    for name, category, source_id, text in select(Path(corpus), int(batch)):
        target = DOCS / f"{name}.txt"
        if not target.exists():
            with open(target, "w", encoding="utf-8", newline="") as handle:
                handle.write(text)
        print(f"| {name} | {category} | {source_id} | {len(text)} |")


if __name__ == "__main__":
    main(*sys.argv[1:4])
