"""Train the relation scorer on the train split with gold entities and write
``models/relations.json`` (JSON weights, no pickle).

    python tools/train_relations.py [--annotations annotations] [--out models/relations.json]

Deterministic: the documents are read in split order, features are sorted,
the solver (liblinear) has a fixed random state, and the regularization
strength and the candidate window are chosen by grouped cross-validation over
the train documents only (folds by document, in order); the decision
threshold is 0.5.  Dev and test
documents are never read.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import LogisticRegression

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from extractor.corpus import load_split  # noqa: E402
from extractor.evaluate import doc_with_gold_entities  # noqa: E402
from extractor.extensions import get_entities  # noqa: E402
from extractor.relations import (  # noqa: E402
    MODEL_FILE, RelationScorer, _DocContext, _given_line_heads, _label_line_heads, apply_layout_rules,
    candidate_pairs, pair_features, stage_two_features,
)
from extractor.schema import RELATION_FOR_ATTRIBUTE  # noqa: E402

DISTANCES = (60, 80, 120)  # candidate windows in tokens, chosen by cross-validation
C_GRID = (0.1, 0.3, 1.0)
# The second stage keeps the strongest regularization: on 265 documents
# cross-validation preferred C=1.0 (0.910 against 0.901), but the C=1.0 model
# was worse on both held-out sets, dev (gold entities 0.934 against 0.942) and
# the then-unseen batch 12 (0.896 against 0.907); its rank features are built
# from out-of-fold probabilities, which flatter a weakly regularized fit.
C_GRID_STAGE_TWO = (0.1,)
THRESHOLDS = tuple(round(x, 2) for x in np.arange(0.3, 0.71, 0.05))
FOLDS = 5
C_TOLERANCE = 0.002  # cross-validated micro F1 gain needed to take a weaker regularization
WINDOW_TOLERANCE = 0.005  # cross-validated micro F1 gain needed to take a narrower candidate window
# Relation types whose second stage may weigh a pair against its rivals (the
# other heads of its attribute, the other attributes of its head): a dose or
# route is mostly stated for one drug, a time frame for the endpoints of its
# line.  A schedule or duration is stated for every drug of its clause or
# paragraph (the guide), so for them the second stage only recalibrates the
# first stage's probability (with the rank features the model trained on 95
# documents kept fewer drugs per schedule and duration than the one trained
# on 70, and lost dev links like "Courses repeat every 21 days" -> carboplatin).
RANKED_TYPES = ("Dose-Drug", "Route-Drug", "Timeframe-Endpoint")


def build_examples(nlp, documents, max_distance, predicted=False):
    """Per document: (id, [(features, label, relation key)], gold relation keys, pairs).

    With ``predicted`` the entities are the pipeline's own and a pair is
    positive only when both its spans match a gold relation exactly; this
    teaches the scorer what spurious attributes look like."""
    rows = []
    for document in documents:
        if predicted:
            doc = nlp(document.text)
            back = {(e.start_char, e.end_char): (e.start_char, e.end_char) for e in get_entities(doc)}
        else:
            doc, offsets = doc_with_gold_entities(nlp, document, relations=False)
            back = {k: v for k, v in offsets.items()}
        by_id = {e.id: e for e in document.entities}
        gold = {
            (r.label, (by_id[r.arg1].start, by_id[r.arg1].end), (by_id[r.arg2].start, by_id[r.arg2].end))
            for r in document.relations
        }
        ents = get_entities(doc)
        ctx = _DocContext(doc, ents)
        examples = []
        pairs = candidate_pairs(doc, ents, max_distance)
        for attr, head in pairs:
            key = (
                RELATION_FOR_ATTRIBUTE[attr.label_],
                back[(attr.start_char, attr.end_char)],
                back[(head.start_char, head.end_char)],
            )
            feats = {f: 1.0 for f in pair_features(ctx, attr, head)}
            examples.append((feats, int(key in gold), key))
        rows.append((document.id, examples, gold, pairs))
    return rows


def per_type_f1(nlp, documents, rows, probabilities, threshold=0.5):
    """Strict F1 per relation type of the given (cross-validated) probabilities,
    with all the linker's layout rules applied as at run time."""
    counts = {}
    for document, (_, examples, gold, pairs), probs in zip(documents, rows, probabilities):
        doc, offsets = doc_with_gold_entities(nlp, document, relations=False)
        ents = get_entities(doc)
        given = {**_label_line_heads(doc, ents), **_given_line_heads(doc, ents)}
        owners = {key: {(h.start, h.end) for h in heads} for key, heads in given.items()}
        ctx = _DocContext(doc, ents)
        scored = [(attr, head, p) for (attr, head), p in zip(pairs, probs)]
        scored = apply_layout_rules(ctx, scored, threshold, given)
        predicted = set()
        for (_, _, key), (attr, head, p) in zip(examples, scored):
            if (attr.start, attr.end) in owners:
                p = 1.0 if (head.start, head.end) in owners[(attr.start, attr.end)] else 0.0
            if p >= threshold:
                predicted.add(key)
        for attr, head, p in scored[len(examples):]:  # pairs a layout rule adds (no candidates)
            if p >= threshold:
                predicted.add((RELATION_FOR_ATTRIBUTE[attr.label_], offsets[(attr.start_char, attr.end_char)],
                               offsets[(head.start_char, head.end_char)]))
        for label in sorted({k[0] for k in gold | predicted}):
            g = {k for k in gold if k[0] == label}
            pr = {k for k in predicted if k[0] == label}
            row = counts.setdefault(label, [0, 0, 0])
            row[0] += len(g & pr)
            row[1] += len(pr - g)
            row[2] += len(g - pr)
    totals = [sum(row[i] for row in counts.values()) for i in range(3)]
    return {
        label: round(2 * tp / (2 * tp + fp + fn), 3) if tp else 0.0
        for label, (tp, fp, fn) in [*sorted(counts.items()), ("micro", totals)]
    }


def stage_two_kept(feature: str, relation: str) -> bool:
    """The second-stage features the model may use: only those of the pair's
    own relation type (the untyped copies would carry the one-drug habit of
    doses over to schedules), and for the types outside ``RANKED_TYPES``
    only the first-stage probability."""
    if feature.startswith("s2|"):
        return False
    return relation in RANKED_TYPES or "|s2|p=" in feature


def with_stage_two(rows, probabilities):
    """Rows whose features add the second-stage features from ``probabilities``."""
    result = []
    for (doc_id, examples, gold, pairs), probs in zip(rows, probabilities):
        extra = stage_two_features(pairs, list(probs))
        examples2 = [
            ({**f, **{x: 1.0 for x in e if stage_two_kept(x, key[0])}}, y, key)
            for (f, y, key), e in zip(examples, extra)
        ]
        result.append((doc_id, examples2, gold, pairs))
    return result


def out_of_fold(rows, c):
    """First-stage probabilities of each row from a model not trained on its fold."""
    # both versions (gold and predicted entities) of a document share its fold
    order = list(dict.fromkeys(row[0] for row in rows))
    fold_of = {doc_id: index % FOLDS for index, doc_id in enumerate(order)}
    folds = [[i for i, row in enumerate(rows) if fold_of[row[0]] == k] for k in range(FOLDS)]
    probabilities = [None] * len(rows)
    for k, fold in enumerate(folds):
        training = [rows[i] for j, other in enumerate(folds) if j != k for i in other]
        vectorizer, model = fit(training, c)
        for i, probs in zip(fold, predict(vectorizer, model, [rows[i] for i in fold])):
            probabilities[i] = probs
    return probabilities


def select(rows, thresholds=THRESHOLDS, c_grid=C_GRID):
    """(cross-validated F1, C, threshold) maximizing micro F1 over the train folds.

    The C grid is walked from the strongest regularization up, and a weaker
    one is taken only when it beats the best so far by ``C_TOLERANCE``:
    smaller gaps are fold noise (with 95 documents the second stage scored
    0.8820 at C=0.1 and 0.8825 at C=1.0, and the C=1.0 model lost schedule
    links on dev)."""
    best = None
    for c in sorted(c_grid):
        probabilities = out_of_fold(rows, c)
        score = threshold = None
        for t in thresholds:
            f1 = micro_f1(rows, probabilities, t)
            if score is None or f1 > score + 1e-9:
                score, threshold = f1, t
        if best is None or score > best[0] + C_TOLERANCE:
            best = (score, c, threshold)
    return best


def micro_f1(rows, probabilities, threshold):
    tp = fp = fn = 0
    for (_, examples, gold, _), probs in zip(rows, probabilities):
        predicted = {key for (_, _, key), p in zip(examples, probs) if p >= threshold}
        tp += len(predicted & gold)
        fp += len(predicted - gold)
        fn += len(gold - predicted)
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def fit(rows, c):
    vectorizer = DictVectorizer(sort=True)
    features = [f for _, examples, _, _ in rows for f, _, _ in examples]
    labels = [y for _, examples, _, _ in rows for _, y, _ in examples]
    x = vectorizer.fit_transform(features).toarray()
    model = LogisticRegression(C=c, solver="liblinear", random_state=0, max_iter=1000)
    model.fit(x, labels)
    return vectorizer, model


def predict(vectorizer, model, rows):
    return [
        model.predict_proba(vectorizer.transform([f for f, _, _ in examples]).toarray())[:, 1] if examples else []
        for _, examples, _, _ in rows
    ]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--annotations", type=Path, default=ROOT / "annotations")
    parser.add_argument("--out", type=Path, default=ROOT / "models" / MODEL_FILE)
    parser.add_argument(
        "--with-pipeline-entities", action="store_true",
        help="Also train on copies of the documents with the pipeline's own entities (measured worse: "
             "gold-entity dev F1 0.84 instead of 0.91, end-to-end about the same).",
    )
    parser.add_argument("--window", type=int, choices=DISTANCES,
                        help="Train with this candidate window instead of choosing it by cross-validation.")
    args = parser.parse_args(argv)

    import extractor

    nlp = extractor.load(exclude=["extractor_relations"])
    documents = load_split(args.annotations, "train")
    best = None
    for max_distance in (args.window,) if args.window else sorted(DISTANCES, reverse=True):
        rows = build_examples(nlp, documents, max_distance)
        if args.with_pipeline_entities:
            rows += build_examples(nlp, documents, max_distance, predicted=True)
        n_gold = sum(len(gold) for _, _, gold, _ in rows)
        covered = sum(len(gold & {key for _, _, key in examples}) for _, examples, gold, _ in rows)
        n_pairs = sum(len(examples) for _, examples, _, _ in rows)
        print(f"window {max_distance} tokens: {len(rows)} documents, {n_pairs} candidate pairs, "
              f"{covered} of {n_gold} gold relations covered ({covered / max(n_gold, 1):.3f})")
        score1, c1, threshold1 = select(rows)
        print(f"  stage 1 cross-validated micro F1 (gold entities, train folds): {score1:.3f} at C={c1}, threshold={threshold1}")
        rows2 = with_stage_two(rows, out_of_fold(rows, c1))
        # the final decision stays at the calibrated 0.5: over the train folds the
        # F1 is flat between 0.4 and 0.7, and a tuned threshold only chases noise
        score, c2, threshold = select(rows2, thresholds=(0.5,), c_grid=C_GRID_STAGE_TWO)
        print(f"  stage 2 cross-validated micro F1 (gold entities, train folds): {score:.3f} at C={c2}, threshold={threshold}")
        # windows are tried from the widest down; a narrower one must win by
        # WINDOW_TOLERANCE, since it drops gold pairs outright (120 documents:
        # coverage 0.963 at 60 tokens, 0.992 at 120) and the cross-validated
        # gaps between windows were within 0.003 (dev, gold entities: 0.916 at
        # 60, 0.908 at 80, 0.920 at 120)
        if best is None or score > best[0] + WINDOW_TOLERANCE:
            best = (score, max_distance, rows, rows2, n_pairs, score1, c1, c2, threshold)
    score, max_distance, rows, rows2, n_pairs, score1, c1, c2, threshold = best
    print(f"chosen: window {max_distance} tokens")
    # the chosen setting again, per relation type and with the layout rules
    cross = per_type_f1(nlp, documents, rows, out_of_fold(with_stage_two(rows, out_of_fold(rows, c1)), c2), threshold)
    print("  cross-validated strict F1 with the layout rules: " + ", ".join(f"{k} {v:.3f}" for k, v in cross.items()))

    def weights_of(vectorizer, model):
        return {
            name: round(float(w), 6)
            for name, w in zip(vectorizer.get_feature_names_out(), model.coef_[0])
            if abs(w) >= 1e-6
        }

    vectorizer1, model1 = fit(rows, c1)
    vectorizer2, model2 = fit(rows2, c2)
    weights = weights_of(vectorizer1, model1)
    scorer = RelationScorer(
        weights, round(float(model1.intercept_[0]), 6), threshold, max_distance,
        meta={
            "trained_on": "annotations train split, gold entities",
            "documents": len(rows), "pairs": n_pairs, "C_stage1": c1, "C_stage2": c2,
            "cv_micro_f1_stage1": round(score1, 4), "cv_micro_f1": round(score, 4),
        },
        weights2=weights_of(vectorizer2, model2), bias2=round(float(model2.intercept_[0]), 6),
    )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    scorer.write(args.out)
    print(f"wrote {args.out} ({len(weights)} + {len(scorer.weights2)} weights)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
