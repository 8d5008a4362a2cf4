import csv
import io
import json

import pytest

from extractor.annotate import annotate_records
from extractor.brat import read_document, write_document
from extractor.formats import (
    CSV_COLUMNS,
    BratSink,
    OutputError,
    StreamSink,
    brat_name,
    csv_rows,
    jsonl_line,
    partial_path,
    read_done_ids,
    record_to_brat,
    record_to_html,
    render_text,
)
from extractor.inputs import InputDocument

TEXT = (
    "Patients receive bevacizumab 15mg/kg IV every 3 weeks.\n"
    "Cisplatin 75 mg/m2 IV on day 1 for 4 cycles <b>.\n"
)


@pytest.fixture(scope="module")
def record(nlp):
    (rec,) = annotate_records(nlp, [InputDocument("doc-1", TEXT, "mem")])
    return rec


def linked(record, drug_id, label):
    by_id = {e["id"]: e for e in record["entities"]}
    return sorted(by_id[r["arg1"]]["text"] for r in record["relations"]
                  if r["arg2"] == drug_id and by_id[r["arg1"]]["label"] == label)


def test_jsonl_line_is_the_record_without_text(record):
    line = jsonl_line(record)
    assert line.endswith("\n") and line.count("\n") == 1
    assert json.loads(line) == {k: v for k, v in record.items() if k != "text"}


def test_brat_round_trip(record, tmp_path):
    write_document(record_to_brat(record), tmp_path)
    doc = read_document(tmp_path / "doc-1.txt")
    assert doc.text == TEXT
    assert [(e.id, e.label, e.start, e.end, e.text) for e in doc.entities] == [
        (e["id"], e["label"], e["start"], e["end"], e["text"]) for e in record["entities"]
    ]
    assert [(e.normalized, e.role) for e in doc.entities if e.label == "DRUG"] == [
        (e["normalized"], e["role"]) for e in record["entities"] if e["label"] == "DRUG"
    ]
    assert [(r.label, r.arg1, r.arg2) for r in doc.relations] == [
        (r["label"], r["arg1"], r["arg2"]) for r in record["relations"]
    ]


def test_brat_names_are_safe_file_names():
    assert brat_name("NCT00461617") == "NCT00461617"
    assert brat_name("../etc/passwd") == "_etc_passwd"
    assert brat_name("a b:c") == "a_b_c"
    assert brat_name("...") == "_"


def test_csv_rows_join_attributes_and_round_trip(record):
    rows = list(csv_rows(record))
    drugs = [e for e in record["entities"] if e["label"] in ("DRUG", "DRUG_CLASS")]
    assert [r["text"] for r in rows] == [e["text"] for e in drugs] == ["bevacizumab", "Cisplatin"]
    assert rows[0]["dose"] == "15mg/kg" and rows[0]["route"] == "IV" and rows[0]["schedule"] == "every 3 weeks"
    for row, drug in zip(rows, drugs):
        for column, label in (("dose", "DOSE"), ("route", "ROUTE"), ("schedule", "SCHEDULE"), ("duration", "DURATION")):
            assert row[column] == " | ".join(linked(record, drug["id"], label))
    text = render_text("csv", [record])
    read = list(csv.DictReader(io.StringIO(text)))
    assert tuple(read[0]) == CSV_COLUMNS
    assert read == [{k: str(v) for k, v in row.items()} for row in rows]
    assert read[1]["normalized"] == "cisplatin" and read[1]["document_id"] == "doc-1"


def test_html_is_self_contained_and_shows_entities_and_arcs(record):
    page = render_text("html", [record])
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    section = record_to_html(record)
    assert section.split("<svg")[0] in page  # arcs carry a random id per render
    assert "bevacizumab" in section and ">DRUG<" in section.replace("\n", "").replace(" ", "")
    assert section.count("<svg") >= 1 and "Dose-Drug" in section
    assert "&lt;b&gt;" in section and "<b>" not in section
    lowered = page.lower()
    assert "<script" not in lowered and "<link" not in lowered and "@import" not in lowered
    assert "src=" not in lowered
    assert [u for u in lowered.split('"') if u.startswith("http") and "w3.org" not in u] == []


def test_read_done_ids_drops_a_cut_last_line(tmp_path):
    path = tmp_path / "out.jsonl"
    path.write_bytes(b'{"id": "a", "entities": []}\n{"id": "b", "entities": []}\n{"id": "c", "ent')
    assert read_done_ids(path) == ({"a", "b"}, 56, True)


def test_read_done_ids_refuses_a_corrupt_line_in_the_middle(tmp_path):
    path = tmp_path / "out.jsonl"
    path.write_bytes(b'{"id": "a"}\nnot json\n{"id": "c"}\n')
    with pytest.raises(OutputError, match="out.jsonl:2: not a JSON record"):
        read_done_ids(path)


def test_jsonl_sink_writes_atomically_and_resumes(tmp_path):
    out = tmp_path / "out.jsonl"
    sink = StreamSink("jsonl", out)
    sink.write({"id": "a", "text": "x", "entities": [], "relations": []})
    assert not out.exists() and partial_path(out).exists()
    sink.abort()  # interrupted: the partial file stays for --resume
    with open(partial_path(out), "a", encoding="utf-8") as handle:
        handle.write('{"id": "b", "entit')  # a line cut by a kill
    sink = StreamSink("jsonl", out, resume=True)
    assert sink.resumed == 1 and sink.is_done("a") and not sink.is_done("b")
    sink.write({"id": "b", "text": "y", "entities": [], "relations": []})
    sink.commit()
    assert not partial_path(out).exists()
    assert [json.loads(line)["id"] for line in out.read_text(encoding="utf-8").splitlines()] == ["a", "b"]
    sink = StreamSink("jsonl", out, resume=True)  # resuming a finished run appends to it
    assert sink.is_done("a") and sink.is_done("b")
    sink.commit()
    assert [json.loads(line)["id"] for line in out.read_text(encoding="utf-8").splitlines()] == ["a", "b"]


def test_csv_and_html_cannot_resume_and_leave_no_partial(tmp_path):
    with pytest.raises(OutputError, match="--resume works with jsonl and brat"):
        StreamSink("csv", tmp_path / "o.csv", resume=True)
    sink = StreamSink("html", tmp_path / "o.html")
    sink.abort()
    assert list(tmp_path.iterdir()) == []


def test_brat_sink_resume_and_name_clash(tmp_path, record):
    sink = BratSink(tmp_path)
    sink.write(record)
    assert not sink.is_done("doc-1")  # only a resumed run skips
    sink.write({**record, "id": "a b"})
    with pytest.raises(OutputError, match="would both be written as a_b.ann"):
        sink.write({**record, "id": "a/b"})
    resumed = BratSink(tmp_path, resume=True)
    assert resumed.is_done("doc-1") and resumed.is_done("a b") and not resumed.is_done("other")
