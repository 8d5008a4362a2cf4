"""Annotation aid: turn a JSON annotation spec into a validated brat ``.ann``.

Annotators decide the spans by reading the text; this tool only does the
arithmetic (character offsets) and runs the guide's validation, so offsets
are never counted by hand.

Spec (JSON)::

    {"entities": [
        {"key": "bev1", "label": "DRUG", "text": "bevacizumab", "occ": 1,
         "inn": "bevacizumab", "role": "study"},
        {"key": "dose1", "label": "DOSE", "text": "15mg/kg", "occ": 1},
        {"key": "sched1", "label": "SCHEDULE", "start": 812, "end": 825}
     ],
     "relations": [["Dose-Drug", "dose1", "bev1"]],
     "notes": [["bev1", "free text"]]}

``text`` + ``occ`` (1-based, counted over the whole document, case
sensitive) finds a span; any whitespace run in ``text`` matches any
whitespace run in the document, so a span across a hard line wrap can be
written with one space.  An occurrence never starts or ends inside a word
(``IV`` is not found in ``OBJECTIVES``); ``start``/``end`` may be given
instead, also for a span inside a glued word.

    python annotations/tools/spec2ann.py DOC.txt SPEC.json [OUT.ann]
    python annotations/tools/spec2ann.py DOC.txt --find "PFS"   # list occurrences
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from extractor.brat import BratDocument, BratError, Entity, Note, Relation, format_ann, parse_ann  # noqa: E402


def _pattern(surface: str) -> re.Pattern[str]:
    pieces = [re.escape(piece) for piece in surface.split()]
    # never inside a word: "IV" is not the middle of "OBJECTIVES"
    before = r"(?<!\w)" if re.match(r"\w", surface.strip()) else ""
    after = r"(?!\w)" if re.search(r"\w$", surface.strip()) else ""
    return re.compile(before + r"\s+".join(pieces) + after)


def occurrences(text: str, surface: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _pattern(surface).finditer(text)]


def build(text: str, spec: dict, name: str) -> BratDocument:
    problems: list[str] = []
    entities: dict[str, Entity] = {}
    for index, item in enumerate(spec.get("entities", []), start=1):
        key = item.get("key") or f"e{index}"
        if key in entities:
            problems.append(f"entity #{index}: duplicate key {key!r}")
            continue
        if "start" in item:
            start, end = int(item["start"]), int(item["end"])
        else:
            found = occurrences(text, item["text"])
            occ = int(item.get("occ", 1))
            if not 1 <= occ <= len(found):
                problems.append(f"entity {key!r}: {item['text']!r} occurrence {occ} not found ({len(found)} in text)")
                continue
            start, end = found[occ - 1]
        entities[key] = Entity(
            key, item["label"], start, end, text[start:end], item.get("inn"), item.get("role")
        )
    relations = []
    for index, (label, arg1, arg2) in enumerate(spec.get("relations", []), start=1):
        for arg in (arg1, arg2):
            if arg not in entities:
                problems.append(f"relation #{index} {label}: unknown key {arg!r}")
        relations.append(Relation(f"R{index}", label, arg1, arg2))
    notes = [Note(f"#{i}", target, body) for i, (target, body) in enumerate(spec.get("notes", []), 1)]
    if problems:
        raise BratError(problems)
    return BratDocument(name, text, list(entities.values()), relations, notes)


def main(argv: list[str]) -> int:
    txt = Path(argv[0])
    text = txt.read_bytes().decode("utf-8")  # keep \r\n: offsets are into the raw text
    if argv[1] == "--find":
        for start, end in occurrences(text, argv[2]):
            context = text[max(0, start - 40):end + 40].replace("\n", "⏎")
            print(f"{start}\t{end}\t{context}")
        return 0
    spec = json.loads(Path(argv[1]).read_text(encoding="utf-8"))
    out = Path(argv[2]) if len(argv) > 2 else txt.with_suffix(".ann")
    try:
        doc = build(text, spec, txt.stem)
        ann = format_ann(doc)
        parse_ann(ann, text, str(out), require_complete=True)
    except BratError as err:
        print(err, file=sys.stderr)
        return 1
    out.write_text(ann, encoding="utf-8")
    print(f"wrote {out}: {len(doc.entities)} entities, {len(doc.relations)} relations")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
