import json
import xml.etree.ElementTree as ET

import pytest

from extractor.inputs import InputDocument, InputError, iter_inputs, record_to_document
from extractor.records import ctgov_v2_to_record, ctgov_xml_to_record, render_ctgov
from tests.conftest import ROOT

DATA = ROOT / "tests" / "data"


def corpus_record(nct_id):
    for line in (DATA / "corpus_records.jsonl").read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        if record["nct_id"] == nct_id:
            return record
    raise KeyError(nct_id)


def items(*paths, **kwargs):
    return list(iter_inputs(paths, **kwargs))


def errors(result):
    return [str(i) for i in result if isinstance(i, InputError)]


# --- registry shapes render like the corpus records ------------------------


@pytest.mark.parametrize("full", [False, True])
def test_v2_study_renders_like_the_corpus_record(full):
    study = json.loads((DATA / "ctgov_v2_study.json").read_text(encoding="utf-8"))
    ours = render_ctgov(ctgov_v2_to_record(study), full=full)
    theirs = render_ctgov(corpus_record("NCT00547599"), full=full)
    assert ours.id == "NCT00547599"
    assert ours.text == theirs.text and ours.fields == theirs.fields


@pytest.mark.parametrize("full", [False, True])
def test_legacy_xml_renders_like_the_corpus_record(full):
    # an XML parser turns the file's CRLF into LF; the corpus kept CRLF
    study = ET.parse(DATA / "NCT00461617.xml").getroot()
    ours = render_ctgov(ctgov_xml_to_record(study), full=full)
    theirs = render_ctgov(corpus_record("NCT00461617"), full=full)
    assert ours.id == "NCT00461617"
    assert ours.text == theirs.text.replace("\r\n", "\n")
    assert [f.name for f in ours.fields] == [f.name for f in theirs.fields]


def test_v2_mapping_fields():
    record = ctgov_v2_to_record(json.loads((DATA / "ctgov_v2_study.json").read_text(encoding="utf-8")))
    assert record["interventions"] == [{
        "type": "DRUG", "name": "tadalafil",
        "description": "20 mg tadalafil tablet by mouth as needed, no more than once a day for 8 weeks.",
        "other_names": ["LY450190", "Cialis", "IC351"], "arm_group_labels": ["1"],
    }]
    assert record["primary_outcomes"] == [
        {"measure": "Change In Spontaneity Domain of PAIRS scale scores", "description": None, "time_frame": "8 weeks"}
    ]
    assert record["eligibility"].startswith("Inclusion Criteria:")


def test_xml_mapping_fields():
    record = ctgov_xml_to_record(ET.parse(DATA / "NCT00461617.xml").getroot())
    assert record["interventions"] == [{
        "type": "Drug", "name": "Mitiglinide", "description": "10mg tablet, 10mg TID",
        "other_names": ["Glufast"], "arm_group_labels": ["2"],
    }]
    assert record["arm_groups"] == [{"label": "2", "type": "Active Comparator", "description": "Nateglinide 120 mg TID"}]
    assert [o["time_frame"] for o in record["secondary_outcomes"]] == [
        "0, 4, 8, 12, 16, 20 week", "0, 12, 20 week", "0, 12, 20 week"
    ]


# --- every input kind -------------------------------------------------------


def test_text_file(tmp_path):
    path = tmp_path / "trial note.txt"
    path.write_text("Give cisplatin 75 mg/m2.", encoding="utf-8")
    (doc,) = items(path)
    assert (doc.id, doc.text, doc.source, doc.fields) == ("trial note", "Give cisplatin 75 mg/m2.", str(path), None)


def test_folder_is_read_recursively_in_order_skipping_hidden_and_other_files(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "two.txt").write_text("two", encoding="utf-8")
    (tmp_path / "a.txt").write_text("one", encoding="utf-8")
    (tmp_path / "notes.md").write_text("ignored", encoding="utf-8")
    (tmp_path / "x.ann").write_text("T1\tDRUG 0 1\tx\n", encoding="utf-8")
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "three.txt").write_text("hidden", encoding="utf-8")
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "old.txt").write_text("previous output", encoding="utf-8")
    result = items(tmp_path, exclude=[tmp_path / "out"])
    assert [(d.id, d.text) for d in result] == [("a", "one"), ("two", "two")]


def test_jsonl_of_id_text_records(tmp_path):
    path = tmp_path / "r.jsonl"
    path.write_text('{"id": "r1", "text": "cisplatin"}\n\n{"text": "no id here"}\n', encoding="utf-8")
    result = items(path)
    assert [(d.id, d.text) for d in result] == [("r1", "cisplatin"), (f"{path}:3", "no id here")]


def test_corpus_jsonl_records_are_rendered_with_fields():
    result = items(DATA / "corpus_records.jsonl")
    assert [d.id for d in result] == ["NCT00547599", "NCT05109377", "NCT00461617"]
    assert result[0].text == render_ctgov(corpus_record("NCT00547599")).text
    assert result[0].fields.field_at(result[0].text.index("DRUG: tadalafil")) == "interventions"


def test_v2_single_study_page_and_list(tmp_path):
    (single,) = items(DATA / "ctgov_v2_study.json")
    assert single.id == "NCT00547599" and single.source == str(DATA / "ctgov_v2_study.json")
    page = items(DATA / "ctgov_v2_page.json")
    assert [(d.id, d.source) for d in page] == [
        ("NCT00547599", f"{DATA / 'ctgov_v2_page.json'} studies[0]"),
        ("NCT05109377", f"{DATA / 'ctgov_v2_page.json'} studies[1]"),
    ]
    studies = json.loads((DATA / "ctgov_v2_page.json").read_text(encoding="utf-8"))["studies"]
    listed = tmp_path / "list.json"
    listed.write_text(json.dumps(studies), encoding="utf-8")
    assert [(d.id, d.source) for d in items(listed)] == [
        ("NCT00547599", f"{listed}[0]"), ("NCT05109377", f"{listed}[1]"),
    ]
    assert page[0].text == single.text


def test_v2_studies_as_jsonl_lines(tmp_path):
    studies = json.loads((DATA / "ctgov_v2_page.json").read_text(encoding="utf-8"))["studies"]
    path = tmp_path / "studies.jsonl"
    path.write_text("".join(json.dumps(s) + "\n" for s in studies), encoding="utf-8")
    assert [(d.id, d.source) for d in items(path)] == [("NCT00547599", f"{path}:1"), ("NCT05109377", f"{path}:2")]


def test_full_rendering_adds_arms_interventions_and_eligibility():
    (short,) = items(DATA / "NCT00461617.xml")
    (full,) = items(DATA / "NCT00461617.xml", full=True)
    assert "Nateglinide 120 mg TID" not in short.text
    assert "2: Nateglinide 120 mg TID" in full.text
    offset = full.text.index("Mitiglinide: 10mg tablet")
    assert full.fields.field_at(offset) == "intervention_descriptions"
    assert full.fields.field_at(full.text.index("Inclusion Criteria")) == "eligibility"


def test_xml_file_holding_several_studies(tmp_path):
    study = (DATA / "NCT00461617.xml").read_text(encoding="utf-8").split("\n", 1)[1]
    path = tmp_path / "two.xml"
    path.write_text(f"<studies>{study}{study.replace('NCT00461617', 'NCT00000001')}</studies>", encoding="utf-8")
    assert [(d.id, d.source) for d in items(path)] == [
        ("NCT00461617", f"{path} clinical_study[0]"), ("NCT00000001", f"{path} clinical_study[1]"),
    ]


# --- bad inputs: named, and the rest carries on ------------------------------


def test_bad_files_are_named_and_the_rest_is_read(tmp_path):
    (tmp_path / "a_latin1.txt").write_bytes(b"first line\ncaf\xe9 cisplatin")
    (tmp_path / "b_binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    (tmp_path / "c_empty.txt").write_text("  \n", encoding="utf-8")
    (tmp_path / "d_empty.jsonl").write_text("", encoding="utf-8")
    (tmp_path / "e_good.txt").write_text("cisplatin", encoding="utf-8")
    (tmp_path / "f_broken.json").write_text('{"id": "x",\n "text": }', encoding="utf-8")
    result = items(tmp_path)
    assert [d.id for d in result if isinstance(d, InputDocument)] == ["e_good"]
    assert errors(result) == [
        f"{tmp_path / 'a_latin1.txt'}: not UTF-8 (byte 14, line 2)",
        f"{tmp_path / 'b_binary.txt'}: binary file, not text",
        f"{tmp_path / 'c_empty.txt'}: empty file",
        f"{tmp_path / 'd_empty.jsonl'}: empty file",
        f"{tmp_path / 'f_broken.json'}:2: malformed JSON (Expecting value at column 10)",
    ]


def test_bad_jsonl_lines_are_named_by_line(tmp_path):
    path = tmp_path / "r.jsonl"
    path.write_bytes(
        b'{"id": "ok1", "text": "cisplatin"}\n'
        b"{broken\n"
        b'{"id": "r3"}\n'
        b'{"id": "r4", "text": ""}\n'
        b'{"id": "r5", "text": 7}\n'
        b"[1, 2]\n"
        b'{"id": "r7", "text": "caf\xe9"}\n'
        b'{"nct_id": "NCT1", "interventions": []}\n'
        b'{"id": "ok2", "text": "carboplatin"}\n'
    )
    result = items(path)
    assert [d.id for d in result if isinstance(d, InputDocument)] == ["ok1", "ok2"]
    assert errors(result) == [
        f"{path}:2: malformed JSON (Expecting property name enclosed in double quotes at column 2)",
        f"{path}:3: record has no 'text' field and is not a registry record",
        f"{path}:4: record has no text ('text' is empty)",
        f"{path}:5: 'text' is not a string",
        f"{path}:6[0]: record is not a JSON object",
        f"{path}:6[1]: record is not a JSON object",
        f"{path}:7: not UTF-8 (byte 25 of the line)",
        f"{path}:8: record has no text",
    ]


def test_xml_doctype_and_entities_are_refused(tmp_path):
    laughs = tmp_path / "laughs.xml"
    laughs.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
        ' <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">\n]>\n'
        "<clinical_study><brief_title>&lol2;</brief_title></clinical_study>\n",
        encoding="utf-8",
    )
    external = tmp_path / "external.xml"
    external.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE c SYSTEM "file:///etc/passwd">\n<clinical_study/>\n', encoding="utf-8"
    )
    assert errors(items(laughs)) == [f"{laughs}:2: DOCTYPE declarations are refused (entity expansion risk)"]
    assert errors(items(external)) == [f"{external}:2: DOCTYPE declarations are refused (entity expansion risk)"]


def test_bad_xml_is_named(tmp_path):
    broken = tmp_path / "broken.xml"
    broken.write_text("<clinical_study>\n  <brief_title>x</brief_titel>\n</clinical_study>\n", encoding="utf-8")
    other = tmp_path / "other.xml"
    other.write_text("<catalog><item>cisplatin</item></catalog>", encoding="utf-8")
    no_text = tmp_path / "no_text.xml"
    no_text.write_text("<clinical_study><id_info><nct_id>NCT1</nct_id></id_info></clinical_study>", encoding="utf-8")
    assert errors(items(broken, other, no_text)) == [
        f"{broken}:2: malformed XML (mismatched tag at column 19)",
        f"{other}: no <clinical_study> element (root is <catalog>)",
        f"{no_text}: record has no text",
    ]


def test_missing_path_is_an_error_not_a_crash(tmp_path):
    assert errors(items(tmp_path / "nope.txt")) == [f"{tmp_path / 'nope.txt'}: no such file or directory"]


def test_record_to_document_registry_record_without_text():
    assert str(record_to_document({"protocolSection": {"identificationModule": {"nctId": "NCT9"}}}, "s")) == (
        "s: record has no text"
    )
