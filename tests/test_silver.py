import json
import re

import pytest
import spacy
from spacy.language import Language
from typer.testing import CliRunner

from extractor.cli import app
from extractor.extensions import set_entities
from extractor.records import render_ctgov
from extractor.silver import evaluate_silver, occurrences, read_records, record_targets, score_record
from extractor.tokenizer import make_trial_tokenizer

RECORD = {
    "nct_id": "NCT00000001",
    "source": {"format": "ctgov_legacy_xml"},
    "title": "Cisplatin and EC in Lung Cancer",
    "brief_summary": "Patients receive cisplatin IV on day 1. Survival is assessed.",
    "detailed_description": None,
    "conditions": ["Lung Cancer"],
    "interventions": [
        {"type": "Drug", "name": "cisplatin", "description": None, "other_names": ["CDDP", "Platinol", "Cisplatin"]},
        {"type": "Biological", "name": "EC", "description": None, "other_names": []},
        {"type": "Procedure", "name": "surgery", "description": None, "other_names": []},
    ],
    "primary_outcomes": [{"measure": "Overall survival", "description": None, "time_frame": "up to 5 years"}],
    "secondary_outcomes": [{"measure": "Toxicity", "description": None, "time_frame": "Up to 5 years"}],
    "other_outcomes": [],
}
RENDERED = (
    "Cisplatin and EC in Lung Cancer\n"
    "Patients receive cisplatin IV on day 1. Survival is assessed.\n"
    "Lung Cancer\n"
    "DRUG: cisplatin|BIOLOGICAL: EC|PROCEDURE: surgery\n"
    "Overall survival, up to 5 years\n"
    "Toxicity, Up to 5 years"
)

# a stand-in pipeline with known output, so the expectations below are exact
PATTERNS = [("DRUG", r"(?i)\bcisplatin\b"), ("ENDPOINT", r"Overall survival,"), ("TIMEFRAME", r"up to 5 years")]


@Language.component("test_silver_regex_tagger")
def regex_tagger(doc):
    spans = []
    for label, pattern in PATTERNS:
        for m in re.finditer(pattern, doc.text):
            spans.append(doc.char_span(m.start(), m.end(), label=label, alignment_mode="expand"))
    set_entities(doc, spans)
    return doc


@pytest.fixture(scope="module")
def fake_nlp():
    nlp = spacy.blank("en")
    nlp.tokenizer = make_trial_tokenizer(nlp)  # splits "cisplatin|BIOLOGICAL" as the pipeline does
    nlp.add_pipe("test_silver_regex_tagger")
    return nlp


def test_rendering_is_the_annotate_layout():
    assert render_ctgov(RECORD).text == RENDERED


def test_record_targets():
    targets = [(t["kind"], t["name"], t["type"]) for t in record_targets(RECORD)]
    assert targets == [
        ("drugs", "cisplatin", "drug"),
        ("drugs", "CDDP", "drug"),
        ("drugs", "Platinol", "drug"),
        ("drugs", "EC", "biological"),
        ("endpoints", "Overall survival", "primary_outcomes"),
        ("timeframes", "up to 5 years", "primary_outcomes"),
        ("endpoints", "Toxicity", "secondary_outcomes"),
    ]


def test_occurrences_are_case_insensitive_whole_words():
    assert occurrences(RENDERED, "EC") == [(14, 16), (RENDERED.index("EC|"), RENDERED.index("EC|") + 2)]
    assert occurrences("Receive 5-FU, 5-FUDR", "5-FU") == [(8, 12)]
    assert occurrences("AC-T or AC", "AC") == [(0, 2), (8, 10)]  # a hyphen is a boundary
    blank = {"interventions": [{"type": "DRUG", "name": "  ", "other_names": [""]}], "primary_outcomes": [{}]}
    assert record_targets(blank) == []  # empty names never become targets


def test_score_record_strict_and_lenient():
    rendered = render_ctgov(RECORD)
    start = RENDERED.index("DRUG: cisplatin") + 6
    entities = [("DRUG", start, start + 9), ("DRUG_CLASS", 14, 20), ("ENDPOINT", RENDERED.index("Toxicity"),
                                                                      RENDERED.index("Toxicity") + 5)]
    scored = {t["name"]: t for t in score_record(rendered, entities, record_targets(RECORD))}
    assert (scored["cisplatin"]["strict"], scored["cisplatin"]["lenient"]) == (True, True)
    assert [o["field"] for o in scored["cisplatin"]["occurrences"]] == ["title", "brief_summary", "interventions"]
    assert [o["strict"] for o in scored["cisplatin"]["occurrences"]] == [False, False, True]
    # a DRUG_CLASS prediction overlapping "EC" counts leniently, not strictly
    assert (scored["EC"]["strict"], scored["EC"]["lenient"]) == (False, True)
    assert scored["CDDP"]["occurrences"] == [] and not scored["CDDP"]["lenient"]
    assert (scored["Toxicity"]["strict"], scored["Toxicity"]["lenient"]) == (False, True)
    assert not scored["Overall survival"]["lenient"]


def write_records(path, lines):
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


BAD_LINES = [
    "{broken",
    "[1, 2]",
    "",
    json.dumps({"nct_id": "NCT2", "interventions": "cisplatin"}),
    json.dumps({"title": "no id"}),
    json.dumps({"nct_id": "NCT3"}),
]


def test_evaluate_silver_counts_by_hand(tmp_path, fake_nlp):
    path = write_records(tmp_path / "r.jsonl", [json.dumps(RECORD)] + BAD_LINES)
    result = evaluate_silver(fake_nlp, path)
    assert result["records"] == {"read": 6, "scored": 1, "failed": 5}
    assert [f["message"] for f in result["failures"]] == [
        f"{path}:2: malformed JSON (Expecting property name enclosed in double quotes at column 2)",
        f"{path}:3: record is not a JSON object",
        f"{path}:5: interventions is not a list of objects",
        f"{path}:6: record has no nct_id",
        f"{path}:7: record renders to an empty text",
    ]
    drugs = result["drugs"]
    # 4 names (cisplatin, CDDP, Platinol, EC); CDDP and Platinol are not in the text
    assert (drugs["names"], drugs["eligible"]) == (4, 2)
    assert drugs["strict"] == {"found": 1, "recall": 0.5} and drugs["lenient"] == {"found": 1, "recall": 0.5}
    assert drugs["by_format"]["ctgov_legacy_xml"]["records"] == 1
    assert drugs["by_type"]["drug"]["eligible"] == 1 and drugs["by_type"]["biological"]["eligible"] == 1
    assert drugs["by_type"]["biological"]["lenient"]["found"] == 0
    # cisplatin three times (all tagged), EC twice (never)
    assert drugs["mentions"]["n"] == 5 and drugs["mentions"]["strict"]["found"] == 3
    assert drugs["mentions"]["by_field"]["interventions"]["n"] == 2
    assert drugs["mentions"]["by_field"]["interventions"]["strict"]["found"] == 1
    endpoints = result["endpoints"]
    assert (endpoints["eligible"], endpoints["strict"]["found"], endpoints["lenient"]["found"]) == (2, 0, 1)
    timeframes = result["timeframes"]
    assert (timeframes["names"], timeframes["eligible"]) == (1, 1)  # "Up to 5 years" is the same name
    assert timeframes["strict"]["recall"] == 1.0
    assert timeframes["mentions"]["n"] == 2 and timeframes["mentions"]["strict"]["found"] == 1
    misses = [(m["kind"], m["name"], m["field"]) for m in result["misses"]]
    assert misses == [("drugs", "EC", "title"), ("endpoints", "Toxicity", "secondary_outcomes")]
    assert result["misses"][0]["context"]["middle"] == "EC"


def test_limit_counts_records_not_blank_lines(tmp_path, fake_nlp):
    path = write_records(tmp_path / "r.jsonl", [json.dumps(RECORD), "", "{broken", json.dumps(RECORD)])
    result = evaluate_silver(fake_nlp, path, limit=2)
    assert result["records"] == {"read": 2, "scored": 1, "failed": 1}
    assert result["failures"][0]["source"] == f"{path}:3"
    assert [s for s, _ in read_records(path, limit=3)] == [f"{path}:1", f"{path}:3", f"{path}:4"]


def test_unreadable_file_is_a_failure(tmp_path, fake_nlp):
    result = evaluate_silver(fake_nlp, tmp_path / "missing.jsonl")
    assert result["records"]["failed"] == 1
    assert "missing.jsonl: cannot read" in result["failures"][0]["message"]


def test_real_pipeline_finds_the_intervention_drug(nlp, tmp_path):
    path = write_records(tmp_path / "r.jsonl", [json.dumps(RECORD)])
    result = evaluate_silver(nlp, path)
    assert result["records"]["failed"] == 0
    scored_names = result["drugs"]["eligible"]
    assert scored_names == 2
    assert result["drugs"]["lenient"]["found"] >= 1  # cisplatin is in the lexicon


def test_cli_silver_writes_json_and_report_and_fails_on_bad_records(tmp_path):
    path = write_records(tmp_path / "r.jsonl", [json.dumps(RECORD), "{broken"])
    out, report = tmp_path / "s.json", tmp_path / "s.html"
    result = CliRunner().invoke(app, ["evaluate", "--silver", str(path), "--json", str(out), "--report", str(report)])
    assert result.exit_code == 1
    assert f"{path}:2: malformed JSON" in result.stderr
    assert "records: 2 read, 1 scored, 1 failed" in result.stdout
    data = json.loads(out.read_text())
    assert data["records"]["failed"] == 1 and data["drugs"]["eligible"] == 2
    html = report.read_text(encoding="utf-8")
    assert "<table>" in html and "http" not in html


def test_cli_needs_exactly_one_of_gold_and_silver(tmp_path):
    result = CliRunner().invoke(app, ["evaluate"])
    assert result.exit_code == 2 and "exactly one of --gold and --silver" in result.stderr
    result = CliRunner().invoke(app, ["evaluate", "--gold", str(tmp_path), "--silver", str(tmp_path / "r.jsonl")])
    assert result.exit_code == 2
    result = CliRunner().invoke(app, ["evaluate", "--silver", str(tmp_path / "r.jsonl"), "--split", "dev"])
    assert result.exit_code == 2 and "--split, --gold-entities need --gold" in result.stderr
    result = CliRunner().invoke(app, ["evaluate", "--gold", str(tmp_path), "--limit", "3"])
    assert result.exit_code == 2 and "--limit needs --silver" in result.stderr
