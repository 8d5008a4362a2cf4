"""Score predicted annotations against gold, as ANNOTATION_GUIDE.md defines it.

- Entities, strict: same label and same offsets.  Lenient: same label and
  overlapping offsets.  In lenient scoring ``tp`` counts gold mentions found
  (recall = tp / gold), ``fp`` predictions overlapping no gold mention of their
  label, and precision is the share of predicted mentions that overlap a gold
  mention of their label (so it is not always tp / (tp + fp)): one prediction
  spanning two gold mentions is one correct prediction and two found gold
  mentions; two predictions inside one gold mention are two correct
  predictions and one found gold mention.
- Relations: same type and both arguments matched (strict: exact spans and
  labels; lenient: overlapping spans of the same labels).
- Normalization: over gold DRUG mentions matched leniently by a predicted
  DRUG, the share whose predicted name equals the gold name.
- Role: over gold DRUG/DRUG_CLASS mentions matched leniently, the share with
  the same role.

All functions take and return plain data.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Iterable

from .brat import BratDocument, Entity
from .schema import DRUG_LABELS, ENTITY_LABELS, RELATION_TYPES


def prf(tp: int, fp: int, fn: int, correct_pred: int | None = None) -> dict:
    """Precision, recall and F1.  ``correct_pred`` is the number of correct
    predictions when it differs from ``tp`` (lenient scoring, where ``tp``
    counts gold mentions found): precision is then ``correct_pred / (correct_pred + fp)``,
    the share of predictions that are correct."""
    correct = tp if correct_pred is None else correct_pred
    precision = correct / (correct + fp) if correct + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "tp": tp, "fp": fp, "fn": fn}


class _Counts:
    def __init__(self, labels: Iterable[str]):
        self.counts = {label: [0, 0, 0, 0] for label in labels}

    def add(self, label: str, tp: int = 0, fp: int = 0, fn: int = 0, correct_pred: int | None = None) -> None:
        row = self.counts.setdefault(label, [0, 0, 0, 0])
        row[0] += tp
        row[1] += fp
        row[2] += fn
        row[3] += tp if correct_pred is None else correct_pred

    def result(self) -> dict:
        total = [sum(row[i] for row in self.counts.values()) for i in range(4)]
        return {"micro": prf(*total), "per_label": {label: prf(*row) for label, row in sorted(self.counts.items())}}


def _overlap(a: Entity, b: Entity) -> bool:
    return a.label == b.label and a.start < b.end and b.start < a.end


def _strict_key(e: Entity) -> tuple:
    return (e.label, e.start, e.end)


def match_entities(gold: list[Entity], pred: list[Entity]) -> dict:
    """For each gold entity, the predicted entities matching it leniently (same label, overlap)."""
    by_label = defaultdict(list)
    for p in pred:
        by_label[p.label].append(p)
    return {g.id: [p for p in by_label[g.label] if _overlap(g, p)] for g in gold}


def score_pair(gold: BratDocument, pred: BratDocument, acc: dict | None = None) -> dict:
    """Add one document's counts to ``acc`` (created when None) and return it."""
    if acc is None:
        acc = new_accumulator()
    gold_keys = {_strict_key(e) for e in gold.entities}
    pred_keys = {_strict_key(e) for e in pred.entities}
    for label in ENTITY_LABELS:
        g = {k for k in gold_keys if k[0] == label}
        p = {k for k in pred_keys if k[0] == label}
        acc["entities_strict"].add(label, len(g & p), len(p - g), len(g - p))
        gold_l = [e for e in gold.entities if e.label == label]
        pred_l = [e for e in pred.entities if e.label == label]
        found = sum(1 for e in gold_l if any(_overlap(e, q) for q in pred_l))
        correct_pred = sum(1 for q in pred_l if any(_overlap(e, q) for e in gold_l))
        acc["entities_lenient"].add(label, found, len(pred_l) - correct_pred, len(gold_l) - found, correct_pred)

    matches = match_entities(gold.entities, pred.entities)
    for g in gold.entities:
        candidates = matches[g.id]
        if not candidates:
            continue
        best = next((p for p in candidates if (p.start, p.end) == (g.start, g.end)), candidates[0])
        if g.label == "DRUG" and g.normalized is not None:
            acc["normalization"][1] += 1
            acc["normalization"][0] += int(best.normalized == g.normalized)
        if g.label in DRUG_LABELS and g.role is not None:
            acc["role"][1] += 1
            acc["role"][0] += int(best.role == g.role)

    gold_by_id = {e.id: e for e in gold.entities}
    pred_by_id = {e.id: e for e in pred.entities}
    gold_rel = [(r.label, gold_by_id[r.arg1], gold_by_id[r.arg2]) for r in gold.relations]
    pred_rel = [(r.label, pred_by_id[r.arg1], pred_by_id[r.arg2]) for r in pred.relations]
    for label in RELATION_TYPES:
        g = {(l, _strict_key(a), _strict_key(b)) for l, a, b in gold_rel if l == label}
        p = {(l, _strict_key(a), _strict_key(b)) for l, a, b in pred_rel if l == label}
        acc["relations_strict"].add(label, len(g & p), len(p - g), len(g - p))
        g_l = [r for r in gold_rel if r[0] == label]
        p_l = [r for r in pred_rel if r[0] == label]
        found = sum(1 for _, a, b in g_l if any(_overlap(a, x) and _overlap(b, y) for _, x, y in p_l))
        correct = sum(1 for _, x, y in p_l if any(_overlap(a, x) and _overlap(b, y) for _, a, b in g_l))
        acc["relations_lenient"].add(label, found, len(p_l) - correct, len(g_l) - found, correct)
    acc["documents"] += 1
    return acc


def new_accumulator() -> dict:
    return {
        "documents": 0,
        "entities_strict": _Counts(ENTITY_LABELS),
        "entities_lenient": _Counts(ENTITY_LABELS),
        "relations_strict": _Counts(RELATION_TYPES),
        "relations_lenient": _Counts(RELATION_TYPES),
        "normalization": [0, 0],
        "role": [0, 0],
    }


def finish(acc: dict) -> dict:
    """The evaluator's JSON shape from accumulated counts."""
    correct_norm, n_norm = acc["normalization"]
    correct_role, n_role = acc["role"]
    return {
        "documents": acc["documents"],
        "entities": {"strict": acc["entities_strict"].result(), "lenient": acc["entities_lenient"].result()},
        "relations": {"strict": acc["relations_strict"].result(), "lenient": acc["relations_lenient"].result()},
        "normalization": {"accuracy": correct_norm / n_norm if n_norm else 0.0, "n": n_norm},
        "role": {"accuracy": correct_role / n_role if n_role else 0.0, "n": n_role},
    }


def score_documents(gold: list[BratDocument], pred: list[BratDocument]) -> dict:
    """Score documents paired by id; a gold document without prediction counts as empty."""
    pred_by_id = {d.id: d for d in pred}
    acc = new_accumulator()
    for g in gold:
        p = pred_by_id.get(g.id, BratDocument(g.id, g.text))
        score_pair(g, p, acc)
    return finish(acc)


# --- Per-document scores and error lists (for the evaluation report) -------


def pair_documents(gold: list[BratDocument], pred: list[BratDocument]) -> list[tuple[BratDocument, BratDocument]]:
    """Gold documents with their predictions, paired by id as in :func:`score_documents`."""
    pred_by_id = {d.id: d for d in pred}
    return [(g, pred_by_id.get(g.id, BratDocument(g.id, g.text))) for g in gold]


def document_scores(gold: list[BratDocument], pred: list[BratDocument]) -> list[dict]:
    """One row per gold document, in gold order::

        {"id", "gold_entities", "pred_entities", "gold_relations", "pred_relations",
         "entities": {"strict": PRF, "lenient": PRF},
         "relations": {"strict": PRF, "lenient": PRF}}

    where PRF is the micro ``{precision, recall, f1, tp, fp, fn}`` of that
    document alone, counted exactly as :func:`score_documents` counts them.
    """
    rows = []
    for g, p in pair_documents(gold, pred):
        scores = finish(score_pair(g, p))
        rows.append(
            {
                "id": g.id,
                "gold_entities": len(g.entities),
                "pred_entities": len(p.entities),
                "gold_relations": len(g.relations),
                "pred_relations": len(p.relations),
                "entities": {mode: scores["entities"][mode]["micro"] for mode in ("strict", "lenient")},
                "relations": {mode: scores["relations"][mode]["micro"] for mode in ("strict", "lenient")},
            }
        )
    return rows


def document_badness(row: dict) -> float:
    """Sort key of a :func:`document_scores` row, worst document first: the mean
    strict F1 over entities and relations, leaving out a part with nothing in
    gold and nothing predicted (an empty part is not an error)."""
    values = []
    for part in ("entities", "relations"):
        micro = row[part]["strict"]
        if micro["tp"] + micro["fp"] + micro["fn"]:
            values.append(micro["f1"])
    return sum(values) / len(values) if values else 1.0


def _entity_data(e: Entity) -> dict:
    return {"id": e.id, "label": e.label, "start": e.start, "end": e.end, "text": e.text}


def context(text: str, start: int, end: int, width: int = 60) -> dict:
    """``{"left", "middle", "right"}`` around ``text[start:end]``, about
    ``width`` characters each side, line breaks and tabs shown as spaces."""
    left = text[max(0, start - width):start]
    right = text[end:end + width]
    return {
        "left": ("…" if start > width else "") + _flat(left),
        "middle": text[start:end],
        "right": _flat(right) + ("…" if end + width < len(text) else ""),
    }


def _flat(s: str) -> str:
    """Runs of whitespace (line breaks, hard-wrap indents) as one space."""
    return re.sub(r"\s+", " ", s)


ERROR_KINDS = ("false_positive", "false_negative", "label_confusion", "boundary")


def entity_errors(gold: BratDocument, pred: BratDocument, width: int = 60) -> list[dict]:
    """Entity errors of one document under strict matching, each once:

    - ``boundary``: a prediction overlapping a gold mention of its label
      without the same offsets (a strict error that lenient scoring forgives);
    - ``label_confusion``: a prediction overlapping (or equal to) a gold
      mention of another label and no gold mention of its own label;
    - ``false_positive``: a prediction overlapping no gold mention;
    - ``false_negative``: a gold mention with no exact prediction that is not
      already part of a boundary or label-confusion error.

    Each error is ``{"doc", "kind", "label", "gold", "pred", "context"}``:
    ``label`` is the gold label when there is a gold mention (the group the
    report lists it under), ``gold``/``pred`` are ``{id, label, start, end,
    text}`` or None, and ``context`` is :func:`context` around both spans.
    """
    exact = {_strict_key(e) for e in gold.entities} & {_strict_key(e) for e in pred.entities}
    errors = []
    explained: set[str] = set()
    for p in sorted(pred.entities, key=lambda e: (e.start, e.end)):
        if _strict_key(p) in exact:
            continue
        overlapping = [g for g in gold.entities if g.overlaps(p)]
        same = [g for g in overlapping if g.label == p.label]
        if same:
            kind, g = "boundary", same[0]
        elif overlapping:
            kind, g = "label_confusion", overlapping[0]
        else:
            kind, g = "false_positive", None
        if g is not None:
            explained.add(g.id)
        errors.append((kind, g, p))
    for g in gold.entities:
        if _strict_key(g) not in exact and g.id not in explained:
            errors.append(("false_negative", g, None))
    result = []
    for kind, g, p in errors:
        spans = [e for e in (g, p) if e is not None]
        start, end = min(e.start for e in spans), max(e.end for e in spans)
        result.append(
            {
                "doc": gold.id,
                "kind": kind,
                "label": (g or p).label,
                "gold": _entity_data(g) if g else None,
                "pred": _entity_data(p) if p else None,
                "context": {**context(gold.text, start, end, width), "start": start, "end": end},
            }
        )
    result.sort(key=lambda e: e["context"]["start"])
    return result


def relation_errors(gold: BratDocument, pred: BratDocument, width: int = 60) -> list[dict]:
    """Relations of one document that are not matched strictly::

        {"doc", "kind": "false_positive"|"false_negative", "label",
         "arg1": entity, "arg2": entity, "lenient_match": bool,
         "gold_arg2": entity or None, "context"}

    ``lenient_match`` says a relation of the other side matches it leniently
    (only span boundaries differ).  For a false positive whose attribute
    (Arg1) gold links elsewhere with the same type, ``gold_arg2`` is the gold
    head: the mismatched-argument case.
    """
    gold_by_id = {e.id: e for e in gold.entities}
    pred_by_id = {e.id: e for e in pred.entities}
    gold_rel = [(r.label, gold_by_id[r.arg1], gold_by_id[r.arg2]) for r in gold.relations]
    pred_rel = [(r.label, pred_by_id[r.arg1], pred_by_id[r.arg2]) for r in pred.relations]

    def key(rel):
        return (rel[0], _strict_key(rel[1]), _strict_key(rel[2]))

    gold_keys, pred_keys = {key(r) for r in gold_rel}, {key(r) for r in pred_rel}
    result = []
    for kind, mine, theirs_keys, theirs in (
        ("false_negative", gold_rel, pred_keys, pred_rel),
        ("false_positive", pred_rel, gold_keys, gold_rel),
    ):
        for rel in mine:
            if key(rel) in theirs_keys:
                continue
            label, a, b = rel
            lenient = any(l == label and _overlap(a, x) and _overlap(b, y) for l, x, y in theirs)
            gold_head = None
            if kind == "false_positive":
                gold_head = next(
                    (y for l, x, y in gold_rel if l == label and _strict_key(x) == _strict_key(a)
                     and _strict_key(y) != _strict_key(b)),
                    None,
                )
            start, end = min(a.start, b.start), max(a.end, b.end)
            result.append(
                {
                    "doc": gold.id,
                    "kind": kind,
                    "label": label,
                    "arg1": _entity_data(a),
                    "arg2": _entity_data(b),
                    "lenient_match": lenient,
                    "gold_arg2": _entity_data(gold_head) if gold_head else None,
                    "context": {**context(gold.text, start, end, width), "start": start, "end": end},
                }
            )
    result.sort(key=lambda e: e["context"]["start"])
    return result


def error_analysis(gold: list[BratDocument], pred: list[BratDocument], width: int = 60) -> dict:
    """``{"entities": [...], "relations": [...]}``: :func:`entity_errors` and
    :func:`relation_errors` of every gold document, in gold order."""
    entities, relations = [], []
    for g, p in pair_documents(gold, pred):
        entities.extend(entity_errors(g, p, width))
        relations.extend(relation_errors(g, p, width))
    return {"entities": entities, "relations": relations}
