"""Build ``extractor/data/drug_lexicon.jsonl`` from registry records.

Facts used: the structured ``interventions[].name`` / ``other_names`` of the
records in the shared corpus (type Drug or Biological), which give synonym
sets of generic names, brand names and development codes.  Records that are
the source of a ``test``-split gold document are left out, so the test split
measures how the lexicon generalizes.  Curated entries (``drug_curated.jsonl``:
INN spellings, recent oncology drugs, brand names) are merged on top by the
component, not here.

    python tools/build_drug_lexicon.py ../shared/corpus/ctgov_records.jsonl

Each output line: ``{"name": surface (lowercase), "inn": canonical name}``.
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "extractor" / "data"

SALTS = {
    "hydrochloride", "hcl", "sodium", "potassium", "citrate", "mesylate", "maleate", "tartrate", "sulfate",
    "sulphate", "phosphate", "acetate", "besylate", "succinate", "fumarate", "bromide", "chloride", "calcium",
    "dihydrochloride", "malate", "tosylate", "dimesylate", "trihydrate", "disodium", "dipropionate",
    "propionate", "valerate", "magnesium", "lactate", "gluconate", "nitrate", "hyclate", "monohydrate",
    "hydrobromide", "bitartrate", "meglumine", "liposome", "liposomal", "pegylated",
}
FORMS = {
    "tablet", "tablets", "capsule", "capsules", "injection", "injectable", "oral", "iv", "infusion", "solution",
    "cream", "gel", "patch", "ointment", "suspension", "spray", "inhaler", "intravenous", "drops", "implant",
    "therapy", "treatment", "extended-release", "er", "xr", "sr", "dose", "low-dose", "high-dose", "high",
    "low", "and", "plus", "with", "or",
}
DOSE = re.compile(r"\b\d[\d.,]*\s*(?:mg|g|mcg|µg|ug|ml|iu|units?|%|mg/kg|mg/m2)\b.*$", re.I)
CODE = re.compile(r"^[a-z]{1,6}-?\s?\d{2,}[a-z0-9-]*$")
WORD_NAME = re.compile(r"^[a-z][a-z\- ]{2,40}[a-z]$")
INN_STEMS = tuple(json.loads((DATA / "inn_stems.json").read_text())["stems"])


def clean(name: str) -> str:
    name = name.replace("®", "").replace("™", "").replace("(TM)", "").strip()
    name = DOSE.sub("", name).strip(" ,;-")
    return re.sub(r"\s+", " ", name).lower()


def base_name(surface: str) -> str:
    words = [w for w in surface.split() if w not in SALTS]
    while words and words[-1] in FORMS:
        words.pop()
    return " ".join(words)


def looks_generic(surface: str) -> bool:
    return bool(WORD_NAME.match(surface)) and len(surface.split()) <= 3


def synonym_sets(records):
    for record in records:
        for intervention in record.get("interventions") or []:
            if (intervention.get("type") or "").upper() not in ("DRUG", "BIOLOGICAL"):
                continue
            raw = [intervention.get("name") or ""]
            for other in intervention.get("other_names") or []:
                raw.extend(part for part in re.split(r",\s*", other) if part)
            names = []
            for item in raw:
                outer = re.sub(r"\([^)]*\)", "", item)
                inner = re.findall(r"\(([^)]*)\)", item)
                for candidate in [outer, *inner]:
                    surface = clean(candidate)
                    if surface and " and " not in surface and " plus " not in surface and "+" not in surface:
                        names.append(surface)
            if names:
                yield names


NOISE_WORDS = {"of", "against", "controlled", "discontinuation", "therapeutic", "for", "the", "blockade",
               "regimen", "group", "arm", "control", "versus", "vs", "standard"}


def build(records, stoplist: set[str]) -> list[dict]:
    votes: dict[str, Counter] = defaultdict(Counter)
    for names in synonym_sets(records):
        names = [n for n in names if n not in stoplist and len(n) >= 3 and not NOISE_WORDS & set(n.split())
                 and len(n.split()) <= 4]
        bases = list(dict.fromkeys(base_name(n) for n in names))
        stemmed = [b for b in bases if looks_generic(b) and b.endswith(INN_STEMS)]
        if len(stemmed) > 1:
            # several generic names in one set (a combination): trust only each name itself
            for name in stemmed:
                votes[name][name] += 1
            continue
        if stemmed:
            canonical = stemmed[0]
        elif names and looks_generic(bases[0]):
            canonical = bases[0]
        else:
            continue
        for surface in names:
            if looks_generic(surface) or CODE.match(surface) or re.match(r"^[a-z][a-z0-9\- ]{2,40}$", surface):
                votes[surface][canonical] += 1
        votes[canonical][canonical] += 1
    entries = []
    for surface, counter in sorted(votes.items()):
        if surface in stoplist:
            continue
        canonical, _ = counter.most_common(1)[0]
        entries.append({"name": surface, "inn": canonical})
    return entries


def main(path: str) -> None:
    splits = json.loads((ROOT / "annotations" / "splits.json").read_text())
    held_out = {name.split("_", 1)[1] for name in splits["test"] if not name.startswith("seed_")}
    records = []
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            if record["nct_id"] not in held_out:
                records.append(record)
    stoplist = {line["name"] for line in map(json.loads, (DATA / "drug_stoplist.jsonl").read_text().splitlines()) }
    entries = build(records, stoplist)
    with open(DATA / "drug_lexicon.jsonl", "w", encoding="utf-8") as out:
        for entry in entries:
            out.write(json.dumps(entry, ensure_ascii=False) + "\n")
    print(f"{len(entries)} names from {len(records)} records ({len(held_out)} test-split sources left out)")


if __name__ == "__main__":
    main(sys.argv[1])
