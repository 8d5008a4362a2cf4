"""Rebuild ``extractor/data/endpoint_measures.jsonl``: measure names taken
from the outcome-measure titles of registry records.

Usage: ``python tools/build_endpoint_measures.py ../shared/corpus/ctgov_records.jsonl``

How the list is derived (deterministic, no hand-typed names):

- every ``measure`` of a record's primary, secondary and other outcomes is
  lower-cased, its parenthesised parts dropped, and its head noun phrase
  kept: a leading ``change from baseline in``, ``number of participants
  with`` and the like is stripped, and the phrase is cut at the first comma,
  bracket or linking word (``as``, ``using``, ``at``, ``in``, ``and`` ...),
  so ``Change From Baseline in Arterial Stiffness at Week 12`` gives
  ``arterial stiffness``;
- a head of one to four words is kept when at least two records name it
  (a head of one word: at least three records);
- heads listed in ``extractor/data/endpoint_measure_stoplist.jsonl`` (vague
  words, modifiers left alone by the cut, conditions) are dropped;
- records that are the source of a ``test``-split gold document
  (``annotations/splits.json``) are left out, so the test split measures how
  the list carries to unseen records.

Each entry is ``{"name": ..., "records": n}`` (n = how many records name it).
The attribute component uses these names only right after a cue that says an
outcome is measured or changed (``reduce the``, ``assess``, ``improvement
of`` ...; ``endpoint_measure_cue`` in ``attribute_context.json``), never alone.
"""
import json
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "extractor" / "data"
OUTCOME_FIELDS = ("primary_outcomes", "secondary_outcomes", "other_outcomes")
LEAD = re.compile(
    r"^(?:(?:mean|median|average|percent(?:age)?|absolute|relative)\s+)?"
    r"(?:change|changes|improvement|reduction|increase|decrease)(?:\s+from\s+baseline)?\s+(?:in|of)\s+"
    r"|^(?:number|percentage|percent|proportion|count|assessment|evaluation|measurement|measures?|levels?"
    r"|determination)\s+of\s+(?:(?:participants|patients|subjects|people|men|women)\s+"
    r"(?:with|who\s+(?:had|have|experienced|achieved|reported)|reporting|achieving|experiencing)\s+)?")
CUT = re.compile(
    r"\s*(?:[,:;(\[]|\b(?:as|using|at|from|by|in|during|after|before|over|measured|assessed|between|within|for"
    r"|with|per|on|defined|according|vs|versus|via|and|or|to|who|that|following|compared|score|scores|among"
    r"|will|due|associated|able)\b)")
HEAD = re.compile(r"[a-z][a-z0-9' -]*[a-z0-9]")
# a head that still opens with an aim, a count or an article is a cut title, not a name
BAD_FIRST = {"a", "an", "the", "of", "any", "all", "their", "its", "number", "percentage", "proportion", "change",
             "time", "mean", "median", "total", "determine", "assess", "evaluate", "compare", "effect", "effects",
             "safety", "efficacy", "evidence", "rate", "percent", "peak", "patients", "grade", "incidence",
             "frequency", "occurrence", "comparison", "characterization", "pk", "other", "yes"}
MAX_WORDS = 4
# a head named by one record only adds conditions (``kidney disease``, ``HIV infection``) on train
MIN_MULTI = 2


def head(title: str) -> str | None:
    text = re.sub(r"\([^)]*\)", " ", title.lower())
    text = re.sub(r"\s+", " ", text).strip()
    for _ in range(3):
        lead = LEAD.match(text)
        if not lead or not lead.end():
            break
        text = text[lead.end():]
    cut = CUT.search(text)
    if cut:
        text = text[:cut.start()]
    text = text.strip(" .-")
    words = text.split()
    if not words or len(words) > MAX_WORDS or words[0] in BAD_FIRST or not HEAD.fullmatch(text):
        return None
    return text


def build(records, stoplist: set[str]) -> list[dict]:
    counts: Counter[str] = Counter()
    for record in records:
        heads = set()
        for field in OUTCOME_FIELDS:
            for outcome in record.get(field) or []:
                name = head(outcome.get("measure") or "")
                if name:
                    heads.add(name)
        counts.update(heads)
    kept = [(name, n) for name, n in counts.items()
            if name not in stoplist and n >= (MIN_MULTI if " " in name else 3)]
    kept.sort(key=lambda item: (-item[1], item[0]))
    return [{"name": name, "records": n} for name, n in kept]


def main(path: str) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from corpus_records import records_without_test_sources

    records, held_out = records_without_test_sources(path)
    stoplist = {json.loads(line)["name"]
                for line in (DATA / "endpoint_measure_stoplist.jsonl").read_text().splitlines() if line.strip()}
    entries = build(records, stoplist)
    with open(DATA / "endpoint_measures.jsonl", "w", encoding="utf-8") as out:
        for entry in entries:
            out.write(json.dumps(entry, ensure_ascii=False) + "\n")
    print(f"{len(entries)} measure names from {len(records)} records ({len(held_out)} test-split sources left out)")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else str(ROOT.parent.parent / "shared" / "corpus" / "ctgov_records.jsonl"))
