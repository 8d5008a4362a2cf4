import json

from typer.testing import CliRunner

from extractor import __version__
from extractor.cli import app
from tests.conftest import ANNOTATIONS, ROOT

runner = CliRunner()  # click >= 8.2 keeps stderr apart from stdout


def test_version():
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and result.stdout.strip() == f"extractor {__version__}"


def test_annotate_reports_bad_inputs_and_carries_on(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text("Patients receive bevacizumab 15mg/kg IV every 3 weeks.", encoding="utf-8")
    (tmp_path / "latin1.txt").write_bytes(b"caf\xe9 cisplatin")
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    records = tmp_path / "records.jsonl"
    records.write_text('{"id": "r1", "text": "Give cisplatin 75 mg/m2."}\n{broken\n{"id": "r2"}\n', encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = runner.invoke(app, ["annotate", str(good), str(tmp_path / "latin1.txt"), str(tmp_path / "empty.txt"),
                                 str(records), "-o", str(out)])
    assert result.exit_code == 1
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["id"] for r in lines] == ["good", "r1"]
    assert "latin1.txt: not UTF-8" in result.stderr
    assert "empty.txt: empty file" in result.stderr
    assert "records.jsonl:2: malformed JSON" in result.stderr
    assert "records.jsonl:3: record has no 'text'" in result.stderr
    assert "2 documents annotated, 4 failed" in result.stderr
    first = lines[0]
    assert [(e["label"], e["text"]) for e in first["entities"]] == [
        ("DRUG", "bevacizumab"), ("DOSE", "15mg/kg"), ("ROUTE", "IV"), ("SCHEDULE", "every 3 weeks"),
    ]


def test_annotate_registry_records_reports_fields():
    result = runner.invoke(app, ["annotate", str(ROOT / "examples" / "registry_records.jsonl")])
    assert result.exit_code == 0, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert {r["id"] for r in records} == {"NCT00002747", "NCT06576635"}
    fields = {e["field"] for r in records for e in r["entities"]}
    assert "interventions" in fields


def test_evaluate_writes_json_in_documented_shape(tmp_path):
    out = tmp_path / "scores.json"
    result = runner.invoke(app, ["evaluate", "--gold", str(ANNOTATIONS), "--split", "dev", "--json", str(out)])
    assert result.exit_code == 0, result.stderr
    scores = json.loads(out.read_text())
    assert scores["documents"] == 14
    for part in ("entities", "relations"):
        for mode in ("strict", "lenient"):
            micro = scores[part][mode]["micro"]
            assert set(micro) == {"precision", "recall", "f1", "tp", "fp", "fn"}
            assert 0.0 <= micro["f1"] <= 1.0
    assert set(scores["normalization"]) == {"accuracy", "n"} and set(scores["role"]) == {"accuracy", "n"}


def test_evaluate_stops_on_invalid_gold(tmp_path):
    (tmp_path / "d.txt").write_text("cisplatin", encoding="utf-8")
    (tmp_path / "d.ann").write_text("T1\tDRUG 0 9\tcisplatim\n", encoding="utf-8")
    result = runner.invoke(app, ["evaluate", "--gold", str(tmp_path)])
    assert result.exit_code == 2
    assert "d.ann:1:" in result.stderr


def test_brat_output_is_accepted_by_evaluate(tmp_path):
    pred = tmp_path / "pred"
    gold_docs = ANNOTATIONS / "docs"
    result = runner.invoke(app, ["annotate", str(gold_docs / "seed_003_06718479ef6d39f2.txt"), "--format", "brat", "-o", str(pred)])
    assert result.exit_code == 0, result.stderr
    gold = tmp_path / "gold"
    gold.mkdir()
    for suffix in (".txt", ".ann"):
        (gold / f"seed_003_06718479ef6d39f2{suffix}").write_bytes((gold_docs / f"seed_003_06718479ef6d39f2{suffix}").read_bytes())
    result = runner.invoke(app, ["evaluate", "--gold", str(gold), "--pred", str(pred)])
    assert result.exit_code == 0, result.stderr
    assert "documents: 1" in result.stdout
