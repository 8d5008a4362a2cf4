import pytest

from extractor.brat import BratDocument, Entity, Relation
from extractor.scoring import score_documents

TEXT = "x" * 100


def doc(entities, relations=(), name="d"):
    return BratDocument(name, TEXT, [Entity(*e) for e in entities], [Relation(*r) for r in relations])


def test_exact_and_partial_overlap():
    gold = doc([("T1", "DRUG", 0, 10, "x" * 10), ("T2", "DOSE", 20, 25, "x" * 5)])
    pred = doc([("T1", "DRUG", 0, 10, "x" * 10), ("T2", "DOSE", 21, 25, "x" * 4)])
    s = score_documents([gold], [pred])
    assert s["entities"]["strict"]["micro"]["tp"] == 1
    assert s["entities"]["strict"]["micro"]["fp"] == 1
    assert s["entities"]["strict"]["micro"]["fn"] == 1
    assert s["entities"]["lenient"]["micro"]["f1"] == 1.0


def test_one_prediction_over_two_gold_spans():
    gold = doc([("T1", "ENDPOINT", 0, 10, ""), ("T2", "ENDPOINT", 12, 20, "")])
    pred = doc([("T1", "ENDPOINT", 0, 20, "")])
    lenient = score_documents([gold], [pred])["entities"]["lenient"]["per_label"]["ENDPOINT"]
    assert (lenient["tp"], lenient["fp"], lenient["fn"]) == (2, 0, 0)
    strict = score_documents([gold], [pred])["entities"]["strict"]["per_label"]["ENDPOINT"]
    assert (strict["tp"], strict["fp"], strict["fn"]) == (0, 1, 2)


def test_relation_with_mismatched_argument():
    gold = doc(
        [("T1", "DRUG", 0, 5, ""), ("T2", "DRUG", 10, 15, ""), ("T3", "DOSE", 20, 25, "")],
        [("R1", "Dose-Drug", "T3", "T1")],
    )
    pred = doc(
        [("T1", "DRUG", 0, 5, ""), ("T2", "DRUG", 10, 15, ""), ("T3", "DOSE", 20, 25, "")],
        [("R1", "Dose-Drug", "T3", "T2")],
    )
    rel = score_documents([gold], [pred])["relations"]["strict"]["micro"]
    assert (rel["tp"], rel["fp"], rel["fn"]) == (0, 1, 1)
    assert rel["f1"] == 0.0


def test_empty_documents_and_absent_labels():
    s = score_documents([doc([])], [doc([])])
    assert s["documents"] == 1
    assert s["entities"]["strict"]["micro"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0, "tp": 0, "fp": 0, "fn": 0}
    pred = doc([("T1", "ROUTE", 0, 2, "")])
    s = score_documents([doc([])], [pred])
    assert s["entities"]["strict"]["per_label"]["ROUTE"]["fp"] == 1
    assert s["entities"]["strict"]["per_label"]["ROUTE"]["precision"] == 0.0


def test_normalization_and_role_over_matched_mentions():
    gold = doc([("T1", "DRUG", 0, 5, "", "anlotinib", "study"), ("T2", "DRUG", 10, 15, "", "durvalumab", "study")])
    pred = doc([("T1", "DRUG", 0, 6, "", "anlotinib", "other")])
    s = score_documents([gold], [pred])
    assert s["normalization"] == {"accuracy": 1.0, "n": 1}
    assert s["role"] == {"accuracy": 0.0, "n": 1}


def test_precision_recall_values():
    gold = doc([("T1", "DRUG", 0, 5, ""), ("T2", "DRUG", 10, 15, ""), ("T3", "DRUG", 20, 25, "")])
    pred = doc([("T1", "DRUG", 0, 5, ""), ("T2", "DRUG", 30, 35, "")])
    m = score_documents([gold], [pred])["entities"]["strict"]["micro"]
    assert m["precision"] == pytest.approx(0.5)
    assert m["recall"] == pytest.approx(1 / 3)
    assert m["f1"] == pytest.approx(0.4)


# --- Hand-computed cases (expectations from the guide's scoring section) ----

from extractor.schema import ENTITY_LABELS, RELATION_TYPES  # noqa: E402
from extractor.scoring import (  # noqa: E402
    context,
    document_badness,
    document_scores,
    entity_errors,
    error_analysis,
    relation_errors,
)


def counts(block):
    return (block["tp"], block["fp"], block["fn"])


def test_partial_overlaps_strict_versus_lenient_by_hand():
    gold = doc([("T1", "DRUG", 0, 10, ""), ("T2", "DRUG", 20, 30, ""), ("T3", "DOSE", 40, 45, "")])
    pred = doc([("T1", "DRUG", 0, 10, ""), ("T2", "DRUG", 22, 35, ""), ("T3", "DOSE", 50, 55, ""),
                ("T4", "DRUG", 60, 65, "")])
    s = score_documents([gold], [pred])
    strict, lenient = s["entities"]["strict"], s["entities"]["lenient"]
    # strict DRUG: 0-10 right; 22-35 and 60-65 wrong; 20-30 missed
    assert counts(strict["per_label"]["DRUG"]) == (1, 2, 1)
    assert strict["per_label"]["DRUG"]["precision"] == pytest.approx(1 / 3)
    assert strict["per_label"]["DRUG"]["f1"] == pytest.approx(0.4)
    assert counts(strict["per_label"]["DOSE"]) == (0, 1, 1)
    assert counts(strict["micro"]) == (1, 3, 2)
    assert strict["micro"]["f1"] == pytest.approx(2 / 7)
    # lenient DRUG: both gold found, 22-35 overlaps 20-30, only 60-65 wrong
    assert counts(lenient["per_label"]["DRUG"]) == (2, 1, 0)
    assert lenient["per_label"]["DRUG"]["precision"] == pytest.approx(2 / 3)
    assert lenient["per_label"]["DRUG"]["f1"] == pytest.approx(0.8)
    assert counts(lenient["per_label"]["DOSE"]) == (0, 1, 1)
    assert lenient["micro"]["precision"] == pytest.approx(0.5)
    assert lenient["micro"]["recall"] == pytest.approx(2 / 3)
    assert lenient["micro"]["f1"] == pytest.approx(4 / 7)


def test_lenient_precision_is_the_share_of_correct_predictions():
    # one prediction spanning two gold mentions, one spurious prediction:
    # 1 of 2 predictions is right (P 0.5), both gold mentions are found (R 1.0)
    gold = doc([("T1", "ENDPOINT", 0, 10, ""), ("T2", "ENDPOINT", 12, 20, "")])
    pred = doc([("T1", "ENDPOINT", 0, 20, ""), ("T2", "ENDPOINT", 50, 60, "")])
    lenient = score_documents([gold], [pred])["entities"]["lenient"]["micro"]
    assert counts(lenient) == (2, 1, 0)
    assert lenient["precision"] == pytest.approx(0.5)
    assert lenient["recall"] == pytest.approx(1.0)
    assert lenient["f1"] == pytest.approx(2 / 3)


def test_two_predictions_inside_one_gold_mention():
    gold = doc([("T1", "SCHEDULE", 0, 20, "")])
    pred = doc([("T1", "SCHEDULE", 0, 8, ""), ("T2", "SCHEDULE", 10, 20, "")])
    s = score_documents([gold], [pred])["entities"]
    assert counts(s["strict"]["micro"]) == (0, 2, 1)
    assert counts(s["lenient"]["micro"]) == (1, 0, 0)
    assert s["lenient"]["micro"]["precision"] == 1.0 and s["lenient"]["micro"]["recall"] == 1.0


def test_overlap_with_another_label_is_not_a_lenient_match():
    gold = doc([("T1", "DURATION", 0, 10, "")])
    pred = doc([("T1", "SCHEDULE", 0, 10, "")])
    s = score_documents([gold], [pred])["entities"]["lenient"]
    assert counts(s["per_label"]["DURATION"]) == (0, 0, 1)
    assert counts(s["per_label"]["SCHEDULE"]) == (0, 1, 0)


def test_relation_mismatched_argument_lenient_and_boundary_argument():
    ents = [("T1", "DRUG", 0, 5, ""), ("T2", "DRUG", 10, 15, ""), ("T3", "DOSE", 20, 25, "")]
    gold = doc(ents, [("R1", "Dose-Drug", "T3", "T1")])
    wrong_head = doc(ents, [("R1", "Dose-Drug", "T3", "T2")])
    rel = score_documents([gold], [wrong_head])["relations"]
    assert counts(rel["lenient"]["micro"]) == (0, 1, 1)
    # the dose span is too long but the pair is right: strict miss, lenient hit
    longer = doc(ents[:2] + [("T3", "DOSE", 20, 27, "")], [("R1", "Dose-Drug", "T3", "T1")])
    rel = score_documents([gold], [longer])["relations"]
    assert counts(rel["strict"]["micro"]) == (0, 1, 1)
    assert counts(rel["lenient"]["micro"]) == (1, 0, 0)
    # same spans but the head predicted as DRUG_CLASS: an argument is not matched
    other_label = doc([("T1", "DRUG_CLASS", 0, 5, ""), ("T3", "DOSE", 20, 25, "")], [("R1", "Dose-Drug", "T3", "T1")])
    rel = score_documents([gold], [other_label])["relations"]
    assert counts(rel["strict"]["per_label"]["Dose-Drug"]) == (0, 1, 1)
    assert counts(rel["lenient"]["per_label"]["Dose-Drug"]) == (0, 1, 1)


def test_missing_prediction_document_counts_as_empty():
    gold = doc([("T1", "DRUG", 0, 5, ""), ("T2", "DOSE", 6, 9, "")], [("R1", "Dose-Drug", "T2", "T1")])
    s = score_documents([gold], [])
    assert s["documents"] == 1
    assert counts(s["entities"]["strict"]["micro"]) == (0, 0, 2)
    assert counts(s["relations"]["lenient"]["micro"]) == (0, 0, 1)
    assert score_documents([], [])["documents"] == 0


def test_documents_are_paired_by_id_not_by_position():
    gold = [doc([("T1", "DRUG", 0, 5, "")], name="a"), doc([], name="b")]
    pred = [doc([], name="a"), doc([("T1", "DRUG", 0, 5, "")], name="b")]
    s = score_documents(gold, pred)
    assert counts(s["entities"]["strict"]["micro"]) == (0, 1, 1)
    assert s["documents"] == 2


def test_labels_absent_from_gold_are_listed_and_count_in_micro():
    gold = doc([("T1", "DRUG", 0, 5, "")])
    pred = doc([("T1", "DRUG", 0, 5, ""), ("T2", "TIMEFRAME", 10, 20, "")])
    s = score_documents([gold], [pred])
    for mode in ("strict", "lenient"):
        per_label = s["entities"][mode]["per_label"]
        assert set(per_label) == set(ENTITY_LABELS)
        assert per_label["TIMEFRAME"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0, "tp": 0, "fp": 1, "fn": 0}
        assert per_label["ROUTE"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0, "tp": 0, "fp": 0, "fn": 0}
        assert s["entities"][mode]["micro"]["precision"] == pytest.approx(0.5)
        assert s["entities"][mode]["micro"]["recall"] == pytest.approx(1.0)
    assert set(s["relations"]["strict"]["per_label"]) == set(RELATION_TYPES)


# --- Per-document scores and error lists -----------------------------------

SENT = "Give cisplatin 75 mg/m2 IV on day 1 with placebo\nand chemotherapy."


def sdoc(entities, relations=(), name="s"):
    ents = [Entity(i, label, s, e, SENT[s:e]) for i, label, s, e in entities]
    return BratDocument(name, SENT, ents, [Relation(*r) for r in relations])


def test_entity_errors_are_classified_once_each():
    gold = sdoc([("T1", "DRUG", 5, 14), ("T2", "DOSE", 15, 23), ("T3", "ROUTE", 24, 26),
                 ("T4", "SCHEDULE", 30, 35), ("T5", "DRUG_CLASS", 53, 65)])
    pred = sdoc([("T1", "DRUG", 5, 14), ("T2", "DOSE", 15, 20), ("T3", "DURATION", 27, 35),
                 ("T4", "DRUG", 41, 48)])
    errors = entity_errors(gold, pred)
    summary = [(e["kind"], e["label"], e["gold"] and e["gold"]["text"], e["pred"] and e["pred"]["text"])
               for e in errors]
    assert summary == [
        ("boundary", "DOSE", "75 mg/m2", "75 mg"),
        ("false_negative", "ROUTE", "IV", None),
        ("label_confusion", "SCHEDULE", "day 1", "on day 1"),
        ("false_positive", "DRUG", None, "placebo"),
        ("false_negative", "DRUG_CLASS", "chemotherapy", None),
    ]
    fp = errors[3]["context"]
    assert fp["middle"] == "placebo"
    assert fp["left"] == "Give cisplatin 75 mg/m2 IV on day 1 with "
    assert fp["right"] == " and chemotherapy."


def test_relation_errors_name_the_gold_head_of_a_misattached_attribute():
    ents = [("T1", "DRUG", 5, 14), ("T2", "DOSE", 15, 23), ("T3", "DRUG", 41, 48)]
    gold = sdoc(ents, [("R1", "Dose-Drug", "T2", "T1")])
    pred = sdoc(ents, [("R1", "Dose-Drug", "T2", "T3")])
    errors = relation_errors(gold, pred)
    assert [(e["kind"], e["arg1"]["text"], e["arg2"]["text"], e["lenient_match"]) for e in errors] == [
        ("false_negative", "75 mg/m2", "cisplatin", False),
        ("false_positive", "75 mg/m2", "placebo", False),
    ]
    assert errors[1]["gold_arg2"]["text"] == "cisplatin"
    assert errors[0]["gold_arg2"] is None
    shorter = sdoc([("T1", "DRUG", 5, 14), ("T2", "DOSE", 15, 20)], [("R1", "Dose-Drug", "T2", "T1")])
    assert [e["lenient_match"] for e in relation_errors(gold, shorter)] == [True, True]
    assert relation_errors(gold, gold) == []


def test_document_scores_and_worst_first_order():
    good = sdoc([("T1", "DRUG", 5, 14)], name="good")
    bad = sdoc([("T1", "DRUG", 5, 14), ("T2", "DOSE", 15, 23)], name="bad")
    empty = sdoc([], name="empty")
    pred = [sdoc([("T1", "DRUG", 5, 14)], name="good"), sdoc([("T1", "DOSE", 15, 23)], name="bad")]
    rows = document_scores([good, bad, empty], pred)
    assert [r["id"] for r in rows] == ["good", "bad", "empty"]
    assert counts(rows[1]["entities"]["strict"]) == (1, 0, 1)
    assert rows[1]["entities"]["strict"]["recall"] == pytest.approx(0.5)
    assert (rows[1]["gold_entities"], rows[1]["pred_entities"]) == (2, 1)
    # relations are empty everywhere and do not count; an empty document is not bad
    assert document_badness(rows[0]) == 1.0 and document_badness(rows[2]) == 1.0
    assert document_badness(rows[1]) == pytest.approx(2 / 3)
    assert [r["id"] for r in sorted(rows, key=document_badness)] == ["bad", "good", "empty"]
    analysis = error_analysis([good, bad, empty], pred)
    assert [(e["doc"], e["kind"]) for e in analysis["entities"]] == [("bad", "false_negative")]


def test_context_flattens_line_breaks_and_marks_cuts():
    text = "a" * 100 + "\r\n      cisplatin\tgiven" + "b" * 100
    start = text.index("cisplatin")
    c = context(text, start, start + 9, width=20)
    assert c["middle"] == "cisplatin"
    assert c["left"] == "…" + "a" * 12 + " "
    assert c["right"] == " given" + "b" * 14 + "…"
