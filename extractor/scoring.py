"""Score predicted annotations against gold, as ANNOTATION_GUIDE.md defines it.

- Entities, strict: same label and same offsets.  Lenient: same label and
  overlapping offsets.  In lenient scoring ``tp`` counts gold mentions found
  (recall = tp / gold); precision is the share of predicted mentions that
  overlap a gold mention of their label, so one prediction spanning two gold
  mentions is one correct prediction and two found gold mentions.
- Relations: same type and both arguments matched (strict: exact spans and
  labels; lenient: overlapping spans of the same labels).
- Normalization: over gold DRUG mentions matched leniently by a predicted
  DRUG, the share whose predicted name equals the gold name.
- Role: over gold DRUG/DRUG_CLASS mentions matched leniently, the share with
  the same role.

All functions take and return plain data.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Iterable

from .brat import BratDocument, Entity
from .schema import DRUG_LABELS, ENTITY_LABELS, RELATION_TYPES


def prf(tp: int, fp: int, fn: int) -> dict:
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "tp": tp, "fp": fp, "fn": fn}


class _Counts:
    def __init__(self, labels: Iterable[str]):
        self.counts = {label: [0, 0, 0] for label in labels}

    def add(self, label: str, tp: int = 0, fp: int = 0, fn: int = 0) -> None:
        row = self.counts.setdefault(label, [0, 0, 0])
        row[0] += tp
        row[1] += fp
        row[2] += fn

    def result(self) -> dict:
        total = [sum(row[i] for row in self.counts.values()) for i in range(3)]
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
        acc["entities_lenient"].add(label, found, len(pred_l) - correct_pred, len(gold_l) - found)

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
        acc["relations_lenient"].add(label, found, len(p_l) - correct, len(g_l) - found)
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
