from collections import Counter

import pytest
import spacy
from spacy.language import Language

from extractor.annotate import annotate_records, merge_records, select_documents, split_text
from extractor.inputs import InputDocument, InputError, iter_inputs
from tests.conftest import ROOT

DATA = ROOT / "tests" / "data"

REGIMEN = (
    "Patients receive bevacizumab 15mg/kg IV every 3 weeks.\n"
    "Cisplatin 75 mg/m2 IV on day 1 for 4 cycles.\n"
    "Etoposide 100 mg/m2 IV on days 1-3.\n"
    "\n"  # copies are separate paragraphs, so no relation crosses them
)


def strip(record):
    return (
        [(e["label"], e["start"], e["end"], e["text"], e.get("normalized")) for e in record["entities"]],
        [(r["label"], r["arg1"], r["arg2"]) for r in record["relations"]],
    )


# --- splitting long texts ------------------------------------------------------


def test_split_prefers_line_ends():
    assert split_text("aaa bbb\nccc\nddd eee", 9) == [(0, "aaa bbb\n"), (8, "ccc\n"), (12, "ddd eee")]


def test_split_falls_back_to_sentence_end_then_space_then_hard_cut():
    assert split_text("One two. Three four five", 14) == [(0, "One two."), (8, " Three four "), (20, "five")]
    assert split_text("abcdefghij", 4) == [(0, "abcd"), (4, "efgh"), (8, "ij")]


@pytest.mark.parametrize("limit", [1, 7, 30, 60])
def test_split_pieces_cover_the_text_in_order(limit):
    pieces = split_text(REGIMEN, limit)
    assert "".join(p for _, p in pieces) == REGIMEN
    assert all(len(p) <= limit for _, p in pieces)
    assert all(REGIMEN[o:o + len(p)] == p for o, p in pieces)


def test_long_text_is_annotated_in_pieces_with_whole_text_offsets(nlp):
    doc = InputDocument("long", REGIMEN * 3, "mem")
    (whole,) = annotate_records(nlp, [doc])
    (pieces,) = annotate_records(nlp, [doc], max_length=60)
    assert len(split_text(doc.text, 60)) > 3
    assert strip(pieces) == strip(whole)
    assert pieces["text"] == doc.text
    assert all(doc.text[e["start"]:e["end"]] == e["text"] for e in pieces["entities"])
    assert [e["id"] for e in pieces["entities"]] == [f"T{i}" for i in range(1, len(pieces["entities"]) + 1)]
    assert ("DOSE", 384, 393, "100 mg/m2", None) in strip(pieces)[0]  # third copy: 2 * 137 + 110


def test_merge_shifts_offsets_and_folds_regimens_and_endpoints():
    def drug(name, mentions, doses):
        return {"name": name, "label": "DRUG", "mentions": mentions, "doses": doses,
                "routes": [], "schedules": [], "durations": []}

    first = {"entities": [{"id": "T1", "label": "DRUG", "start": 0, "end": 9, "text": "cisplatin"}],
             "relations": [],
             "regimens": [{"arm": None, "phase": None, "drugs": [drug("cisplatin", [[0, 9]], [])], "classes": []}],
             "endpoints": [{"name": "ORR", "kind": "primary", "time_frames": ["6 weeks"], "mentions": [[20, 23]]}]}
    second = {
        "entities": [{"id": "T1", "label": "DOSE", "start": 0, "end": 5, "text": "75 mg"},
                     {"id": "T2", "label": "DRUG", "start": 6, "end": 15, "text": "cisplatin"}],
        "relations": [{"label": "Dose-Drug", "arg1": "T1", "arg2": "T2"}],
        "regimens": [{"arm": None, "phase": None, "drugs": [drug("cisplatin", [[6, 15]], ["75 mg"])], "classes": []},
                     {"arm": "Arm B", "phase": None, "drugs": [drug("etoposide", [[0, 3]], [])], "classes": []}],
        "endpoints": [{"name": "ORR", "kind": "primary", "time_frames": ["6 weeks", "1 year"], "mentions": [[0, 3]]}],
    }
    merged = merge_records([(0, first), (10, second)])
    assert [(e["id"], e["start"], e["end"]) for e in merged["entities"]] == [("T1", 0, 9), ("T2", 10, 15), ("T3", 16, 25)]
    assert merged["relations"] == [{"label": "Dose-Drug", "arg1": "T2", "arg2": "T3"}]
    assert merged["regimens"] == [
        {"arm": None, "phase": None, "drugs": [drug("cisplatin", [[0, 9], [16, 25]], ["75 mg"])], "classes": []},
        {"arm": "Arm B", "phase": None, "drugs": [drug("etoposide", [[10, 13]], [])], "classes": []},
    ]
    assert merged["endpoints"] == [
        {"name": "ORR", "kind": "primary", "time_frames": ["6 weeks", "1 year"], "mentions": [[20, 23], [10, 13]]},
    ]


# --- the core stream -----------------------------------------------------------


def test_errors_pass_through_in_input_order(nlp):
    stream = [
        InputDocument("a", "Give cisplatin 75 mg/m2.", "s1"),
        InputError("s2", "malformed JSON"),
        InputDocument("b", "Give carboplatin.", "s3"),
    ]
    out = list(annotate_records(nlp, stream, batch_size=1))
    assert [o["id"] if isinstance(o, dict) else str(o) for o in out] == ["a", "s2: malformed JSON", "b"]
    assert [(e["label"], e["text"]) for e in out[0]["entities"]] == [("DRUG", "cisplatin"), ("DOSE", "75 mg/m2")]


def test_registry_entities_report_their_field(nlp):
    (record,) = annotate_records(nlp, iter_inputs([DATA / "ctgov_v2_study.json"]))
    by_text = {(e["text"], e["field"]) for e in record["entities"]}
    assert ("Tadalafil", "title") in by_text
    assert ("tadalafil", "interventions") in by_text
    for ent in record["entities"]:
        assert record["text"][ent["start"]:ent["end"]] == ent["text"]


def test_two_processes_give_the_same_records(nlp):
    docs = list(iter_inputs([DATA / "corpus_records.jsonl", DATA / "ctgov_v2_page.json"])) + [
        InputError("x", "bad"), InputDocument("long", REGIMEN * 2, "mem")
    ]
    one = list(annotate_records(nlp, docs, batch_size=2, max_length=70))
    two = list(annotate_records(nlp, docs, batch_size=2, max_length=70, n_process=2))
    assert [o if isinstance(o, dict) else str(o) for o in two] == [o if isinstance(o, dict) else str(o) for o in one]
    assert len(one) == 7 and str(one[5]) == "x: bad"


@Language.component("test_annotate_boom")
def _boom(doc):
    if "BOOM" in doc.text:
        raise RuntimeError("component failed")
    return doc


def test_a_pipeline_failure_costs_only_its_document():
    nlp = spacy.blank("en")
    nlp.add_pipe("test_annotate_boom")
    docs = [InputDocument("a", "fine", "s1"), InputDocument("b", "BOOM here", "s2"), InputDocument("c", "fine too", "s3")]
    out = list(annotate_records(nlp, docs, batch_size=8))
    assert [o["id"] if isinstance(o, dict) else str(o) for o in out] == [
        "a", "s2: pipeline error: RuntimeError: component failed", "c",
    ]


def test_select_documents_skips_done_and_rejects_repeated_ids():
    counts = Counter()
    docs = [InputDocument("a", "x", "s1"), InputDocument("b", "x", "s2"), InputDocument("a", "y", "s3"),
            InputDocument("c", "x", "s4")]
    out = list(select_documents(docs, is_done=lambda i: i == "b", counts=counts))
    assert [o.id if isinstance(o, InputDocument) else str(o) for o in out] == [
        "a", "s3: duplicate document id 'a' (an earlier input has it); skipped", "c",
    ]
    assert counts["skipped"] == 1
