import json
import re

import pytest
import spacy
from spacy.language import Language
from typer.testing import CliRunner

from extractor.cli import app
from extractor.extensions import set_entities
from extractor.records import render_ctgov
from extractor.silver import (
    evaluate_silver,
    normalization_record,
    not_inn_reason,
    occurrences,
    read_records,
    record_targets,
    score_record,
    split_kind,
    synonym_sets,
)
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



def test_outcome_targets_leave_out_the_closing_full_stop():
    record = {"interventions": [{"type": "DRUG", "name": "Tab."}],
              "primary_outcomes": [{"measure": "Overall survival.", "time_frame": "Up to 12 weeks ."},
                                   {"measure": ".", "time_frame": "Baseline"}]}
    targets = [(t["kind"], t["name"]) for t in record_targets(record)]
    # the guide's spans stop before a field's last full stop; drug names are kept as written
    assert targets == [("drugs", "Tab."), ("endpoints", "Overall survival"), ("timeframes", "Up to 12 weeks"),
                       ("timeframes", "Baseline")]

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
    assert "normalization synonym sets     2  agreement 1.000" in result.stdout  # cisplatin, EC
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


# ---- normalization agreement inside synonym sets ---------------------------

NAMED = {"cisplatin": "cisplatin", "cddp": "cisplatin", "platinol": "platinol", "ec": "carboplatin+etoposide"}


@Language.component("test_silver_named_tagger")
def named_tagger(doc):
    from extractor.extensions import set_span_data

    spans = []
    for m in re.finditer(r"(?i)\b(?:cisplatin|CDDP|Platinol|EC)\b", doc.text):
        span = doc.char_span(m.start(), m.end(), label="DRUG")
        set_span_data(span, normalized=NAMED[m.group().lower()])
        spans.append(span)
    set_entities(doc, spans)
    return doc


def test_synonym_sets_are_drug_and_biological_interventions():
    assert synonym_sets(RECORD) == [
        {"type": "drug", "names": ["cisplatin", "CDDP", "Platinol"]},  # "Cisplatin" repeats "cisplatin"
        {"type": "biological", "names": ["EC"]},
    ]


def test_normalization_record_groups_mentions_by_set():
    text = "Cisplatin (CDDP) then Platinol; EC."
    drugs = [(0, 9, "cisplatin"), (11, 15, "cisplatin"), (22, 30, "platinol"), (32, 34, "carboplatin+etoposide")]
    checked = normalization_record(text, drugs, synonym_sets(RECORD))
    assert [(c["forms"], c["normalized"], c["agree"]) for c in checked] == [
        (["cddp", "cisplatin", "platinol"], ["cisplatin", "platinol"], False),
        (["ec"], ["carboplatin+etoposide"], True),
    ]
    assert [m["text"] for m in checked[0]["mentions"]] == ["Cisplatin", "CDDP", "Platinol"]


def test_normalization_record_leaves_out_sets_never_mentioned():
    assert normalization_record("Docetaxel alone.", [(0, 9, "docetaxel")], synonym_sets(RECORD)) == []


def test_not_inn_reason():
    rules = {"salts": frozenset({"sodium", "sulfate", "hydrochloride"}), "keep_first": frozenset({"magnesium"})}
    lexicon = {"platinol": "cisplatin", "cisplatin": "cisplatin"}
    assert not_inn_reason("cisplatin", rules, lexicon) is None
    assert not_inn_reason("unknown", rules, lexicon) is None
    assert not_inn_reason("Cisplatin", rules, lexicon) == "uppercase"
    assert not_inn_reason("doxorubicin hydrochloride", rules, lexicon) == "salt"
    assert not_inn_reason("fluvastatin-sodium", rules, lexicon) == "salt"
    assert not_inn_reason("magnesium sulfate", rules, lexicon) is None  # an inorganic salt is the drug
    assert not_inn_reason("etoposide+platinol", rules, lexicon) == "brand"


def test_split_kind():
    canonical = frozenset({"cisplatin", "carboplatin", "posaconazole", "sch 56592"})
    assert split_kind({"ec": "carboplatin+etoposide", "etoposide": "etoposide"}, canonical) == "regimen"
    assert split_kind({"posaconazole": "posaconazole", "sch 56592": "sch 56592"}, canonical) == "code"
    assert split_kind({"cisplatin": "cisplatin", "carboplatin": "carboplatin"}, canonical) == "several_drugs"
    assert split_kind({"platinol": "platinol", "cisplatin": "cisplatin"}, canonical) == "other"


def test_evaluate_silver_normalization_counts_by_hand(tmp_path):
    nlp = spacy.blank("en")
    nlp.tokenizer = make_trial_tokenizer(nlp)
    nlp.add_pipe("test_silver_named_tagger")
    record = dict(RECORD, brief_summary="Patients receive cisplatin (CDDP) IV, or Platinol.")
    path = write_records(tmp_path / "r.jsonl", [json.dumps(record)])
    norm = evaluate_silver(nlp, path)["normalization"]
    # cisplatin x3 (title, summary, interventions line), CDDP, Platinol; EC x2 (title, interventions line)
    assert (norm["sets"], norm["agree"], norm["mentions"], norm["unknown"]) == (2, 1, 7, 0)
    assert norm["multi_form"] == {"sets": 1, "agree": 0, "agreement": 0.0}
    assert norm["split_kinds"] == {"other": 1}
    assert norm["splits"] == [{"record": "NCT00000001", "kind": "other",
                               "names": {"cisplatin": "cisplatin", "cddp": "cisplatin", "platinol": "platinol"}}]


def test_real_pipeline_names_a_synonym_set_once(nlp, tmp_path):
    record = dict(RECORD, brief_summary="Patients receive cisplatin (CDDP) IV, or Platinol.")
    path = write_records(tmp_path / "r.jsonl", [json.dumps(record)])
    norm = evaluate_silver(nlp, path)["normalization"]
    assert norm["splits"] == [] and norm["unknown"] == 0 and norm["not_inn"] == {}
    assert norm["multi_form"]["sets"] == 1 and norm["multi_form"]["agree"] == 1
