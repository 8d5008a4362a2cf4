"""Train the learned drug role model and compare it with the role rules.

The model is a scikit-learn logistic regression over sparse features of each
DRUG / DRUG_CLASS mention (the rule's decision, section, label, whether the
trial gives the drug, resolution, words around the mention).  Training data:
the mentions the pipeline finds in the ``train`` split that overlap a gold
mention, labelled with the gold role.  The ``dev`` split only measures it.

    python tools/train_drugs.py            # train, print dev accuracy of rules and model
    python tools/train_drugs.py --write    # also write models/drug_role.json

The model is written as JSON (weights by feature name, intercept), never a
pickle; training is deterministic (liblinear solver, fixed data order).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sklearn.feature_extraction import DictVectorizer  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402

import extractor  # noqa: E402
from extractor.corpus import load_split  # noqa: E402
from extractor.drugs import FEATURES_KEY, LinearRoleModel  # noqa: E402
from extractor.extensions import get_entities, span_data  # noqa: E402

LABELS = ("DRUG", "DRUG_CLASS")


def mentions(nlp, split: str):
    """(features, rule role, gold role) of predicted mentions overlapping a gold mention."""
    component = nlp.get_pipe("extractor_drugs")
    component.collect_features = True
    saved, component.role_model = component.role_model, None
    rows = []
    try:
        for gold_doc in load_split(ROOT / "annotations", split):
            doc = nlp(gold_doc.text)
            features = {(s, e): f for s, e, f in doc.user_data.get(FEATURES_KEY, [])}
            gold = [g for g in gold_doc.entities if g.label in LABELS and g.role]
            for ent in get_entities(doc, LABELS):
                match = [g for g in gold if g.start < ent.end_char and ent.start_char < g.end]
                if match:
                    rows.append((features[(ent.start_char, ent.end_char)], span_data(ent)["role"], match[0].role))
    finally:
        component.collect_features = False
        component.role_model = saved
    return rows


def train(rows, c: float) -> LinearRoleModel:
    vectorizer = DictVectorizer(sort=True)
    x = vectorizer.fit_transform([f for f, _, _ in rows]).toarray()  # small: dense is fine
    y = [1 if gold == "study" else 0 for _, _, gold in rows]
    model = LogisticRegression(C=c, solver="liblinear", max_iter=1000)
    model.fit(x, y)
    weights = {name: round(float(w), 6) for name, w in zip(vectorizer.feature_names_, model.coef_[0]) if abs(w) > 1e-6}
    return LinearRoleModel(weights, round(float(model.intercept_[0]), 6),
                           {"trained_on": "train", "examples": len(rows), "C": c})


def accuracy(pairs) -> float:
    return sum(p == g for p, g in pairs) / max(1, len(pairs))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--write", action="store_true", help="write models/drug_role.json")
    parser.add_argument("--c", type=float, default=0.5)
    args = parser.parse_args()
    nlp = extractor.load()
    train_rows = mentions(nlp, "train")
    dev_rows = mentions(nlp, "dev")
    model = train(train_rows, args.c)
    rules_dev = accuracy([(rule, gold) for _, rule, gold in dev_rows])
    model_dev = accuracy([(model.predict(f), gold) for f, _, gold in dev_rows])
    model_train = accuracy([(model.predict(f), gold) for f, _, gold in train_rows])
    model.meta.update({"dev_accuracy_rules": round(rules_dev, 4), "dev_accuracy_model": round(model_dev, 4)})
    print(f"train mentions {len(train_rows)}, dev mentions {len(dev_rows)}")
    print(f"dev role accuracy: rules {rules_dev:.4f}, model {model_dev:.4f} (train {model_train:.4f})")
    if args.write:
        path = ROOT / "models" / "drug_role.json"
        path.parent.mkdir(exist_ok=True)
        path.write_text(json.dumps(model.to_json(), indent=1, sort_keys=True) + "\n", encoding="utf-8")
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
