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
