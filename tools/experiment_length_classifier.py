"""Experiment (issue #6): a learned decision for length phrases
(``for 26 weeks``, ``up to 12 months``): DURATION, TIMEFRAME or nothing.

Candidates are the matches of the DURATION patterns of
``extractor/data/attribute_patterns.jsonl`` outside registry outcome lines.
Features: the three words either side, the section, whether a drug or class
mention is in the sentence / in the 60 characters before, and the context
expressions of ``attribute_context.json`` (assessment, treatment, procedure
words).  A logistic regression (scikit-learn, lbfgs, deterministic) is
compared with the rules (the pipeline's own output) by 5-fold
cross-validation over the train documents and on dev, counting exact spans
per class.  Nothing is written: the model ships only if it beats the rules.

    python tools/experiment_length_classifier.py annotations
"""

import re
import sys
from collections import Counter

import extractor
from extractor.attributes import LINE_EXPRESSIONS, _DocView
from extractor.regexscan import plain_lower
from extractor.corpus import load_split
from extractor.extensions import get_entities

WORD = re.compile(r"[A-Za-z]+|\d+")


def candidates(nlp, documents):
    comp = nlp.get_pipe("extractor_attributes")
    rows = []
    for document, doc in zip(documents, nlp.pipe(d.text for d in documents)):
        text = document.text
        view = _DocView(doc)
        found = dict(zip(LINE_EXPRESSIONS, comp._line_scan.find_all(text, plain_lower(text))))
        lines, _, _ = comp._outcome_lines(text, view, found)
        gold = {(e.start, e.end): e.label for e in document.entities}
        pred = {(e.start_char, e.end_char): e.label_ for e in get_entities(doc)}
        strip = comp._ctx["leading_words"]
        seen = set()
        for label, entry, regex in comp._compiled:
            if label != "DURATION":
                continue
            for match in regex.finditer(text):
                start, end = match.span()
                if any(s < end and start < e for s, e in lines):
                    continue
                lead = strip.match(text, start, end)
                if lead and lead.end() < end:
                    start = lead.end()
                if (start, end) in seen:
                    continue
                seen.add((start, end))
                y = gold.get((start, end), "none")
                y = y if y in ("DURATION", "TIMEFRAME") else "none"
                rule = pred.get((start, end), "none")
                rule = rule if rule in ("DURATION", "TIMEFRAME") else "none"
                rows.append((document.id, features(comp, view, text, start, end), y, rule))
    return rows


def features(comp, view, text, start, end):
    ctx = comp._ctx
    left = WORD.findall(text[max(0, start - 60):start].lower())[-3:]
    right = WORD.findall(text[end:end + 60].lower())[:3]
    sent_start, sent_end = view.sentence_bounds(start)
    sentence = text[max(sent_start, start - 300):min(sent_end, end + 300)]
    f = {f"l{i}={w}": 1 for i, w in enumerate(reversed(left))}
    f.update({f"r{i}={w}": 1 for i, w in enumerate(right)})
    f.update({f"in={w}": 1 for w in WORD.findall(text[start:end].lower()) if not w.isdigit()})
    f[f"section={view.section_at(start)}"] = 1
    f["drug_sentence"] = int(view.drug_in(sent_start, sent_end))
    f["drug_before"] = int(view.drug_in(max(0, start - 60), start))
    f["assessment_sentence"] = int(bool(ctx["assessment_words"].search(sentence)))
    f["treatment_sentence"] = int(bool(ctx["treatment_words"].search(sentence)))
    f["procedure_before"] = int(bool(ctx["procedure_before"].search(text[max(0, start - 60):start])))
    f["block_before"] = int(bool(ctx["duration_block_before"].search(text[max(0, start - 40):start])))
    f["block_after"] = int(bool(ctx["duration_block_after"].match(text[end:end + 40])))
    return f


def counts(gold, pred):
    c = Counter()
    for g, p in zip(gold, pred):
        for label in ("DURATION", "TIMEFRAME"):
            c[label, "tp"] += g == p == label
            c[label, "fp"] += p == label and g != label
            c[label, "fn"] += g == label and p != label
    return c


def f1(c, label):
    tp, fp, fn = c[label, "tp"], c[label, "fp"], c[label, "fn"]
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def main(gold_dir):
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GroupKFold

    nlp = extractor.load()
    train = candidates(nlp, load_split(gold_dir, "train"))
    dev = candidates(nlp, load_split(gold_dir, "dev"))
    print("train candidates:", Counter(r[2] for r in train), "dev candidates:", Counter(r[2] for r in dev))

    def fit(rows):
        vec = DictVectorizer(sparse=False)
        model = LogisticRegression(C=1.0, solver="lbfgs", max_iter=2000, class_weight="balanced", random_state=0)
        model.fit(vec.fit_transform([r[1] for r in rows]), [r[2] for r in rows])
        return vec, model

    groups = [r[0] for r in train]
    cv_model, cv_rule = Counter(), Counter()
    for fold_train, fold_test in GroupKFold(n_splits=5).split(train, groups=groups):
        vec, model = fit([train[i] for i in fold_train])
        test = [train[i] for i in fold_test]
        predicted = model.predict(vec.transform([r[1] for r in test]))
        cv_model += counts([r[2] for r in test], predicted)
        cv_rule += counts([r[2] for r in test], [r[3] for r in test])
    vec, model = fit(train)
    dev_model = counts([r[2] for r in dev], model.predict(vec.transform([r[1] for r in dev])))
    dev_rule = counts([r[2] for r in dev], [r[3] for r in dev])
    for name, c in (("train 5-fold CV, rules", cv_rule), ("train 5-fold CV, model", cv_model),
                    ("dev, rules", dev_rule), ("dev, model", dev_model)):
        print(f"{name:26}", "  ".join(
            f"{label} F1 {f1(c, label):.3f} (tp {c[label, 'tp']} fp {c[label, 'fp']} fn {c[label, 'fn']})"
            for label in ("DURATION", "TIMEFRAME")))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "annotations")
