import json
import os
import subprocess
import sys

import pytest

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


# --- issue #8: annotate at scale -------------------------------------------------

DATA = ROOT / "tests" / "data"


@pytest.fixture(autouse=True)
def loaded_once(request, monkeypatch):
    """The annotate command loads the pipeline on each call; share the
    session's (extractor.load itself is tested in test_pipeline)."""
    if "annotate" in request.node.name or "output" in request.node.name or "resume" in request.node.name:
        nlp = request.getfixturevalue("nlp")
        monkeypatch.setattr("extractor.load", lambda *args, **kwargs: nlp)


def jsonl_records(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def stderr_lines(result):
    return [line for line in result.stderr.splitlines() if line.strip()]


def test_annotate_every_input_kind(tmp_path):
    (tmp_path / "note.txt").write_text("Give cisplatin 75 mg/m2 IV.", encoding="utf-8")
    ids = tmp_path / "ids.jsonl"
    ids.write_text('{"id": "r1", "text": "Carboplatin AUC 5 IV on day 1."}\n', encoding="utf-8")
    out = tmp_path / "out" / "all.jsonl"
    result = runner.invoke(app, [
        "annotate", str(tmp_path / "note.txt"), str(ids), str(DATA / "ctgov_v2_page.json"),
        str(DATA / "NCT00461617.xml"), str(ROOT / "examples" / "registry_records.jsonl"), "-o", str(out),
    ])
    assert result.exit_code == 0, result.stderr
    records = jsonl_records(out)
    assert [r["id"] for r in records] == ["note", "r1", "NCT00547599", "NCT05109377", "NCT00461617",
                                          "NCT00002747", "NCT06576635"]
    for record in records:
        assert set(record) >= {"id", "entities", "relations"} and "text" not in record
    assert {e["field"] for e in records[4]["entities"]} >= {"title", "interventions"}
    assert "field" not in records[0]["entities"][0]
    # quiet stderr when it is not a terminal: just the summary
    assert stderr_lines(result) == ["7 documents annotated, 0 failed"]


def test_annotate_folder_with_every_bad_input(tmp_path):
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    (folder / "sub" / "good.txt").write_text("Patients receive bevacizumab 15mg/kg IV.", encoding="utf-8")
    (folder / "binary.txt").write_bytes(b"\x7fELF\x02\x01\x01\x00\x00\x00")
    (folder / "latin1.txt").write_bytes(b"caf\xe9")
    (folder / "empty.json").write_text("", encoding="utf-8")
    (folder / "bomb.xml").write_text('<!DOCTYPE x [<!ENTITY a "aaaa">]><clinical_study>&a;</clinical_study>',
                                     encoding="utf-8")
    (folder / "recs.jsonl").write_text('{"id": "ok", "text": "Give cisplatin."}\n{"id": "bad", "te\n{"id": "none"}\n',
                                       encoding="utf-8")
    before = {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    out = tmp_path / "out.jsonl"
    result = runner.invoke(app, ["annotate", str(folder), "-o", str(out)])
    assert result.exit_code == 1
    assert [r["id"] for r in jsonl_records(out)] == ["ok", "good"]
    assert stderr_lines(result) == [
        f"error: {folder / 'binary.txt'}: binary file, not text",
        f"error: {folder / 'bomb.xml'}:1: DOCTYPE declarations are refused (entity expansion risk)",
        f"error: {folder / 'empty.json'}: empty file",
        f"error: {folder / 'latin1.txt'}: not UTF-8 (byte 3, line 1)",
        f"error: {folder / 'recs.jsonl'}:2: malformed JSON (Unterminated string starting at column 15)",
        f"error: {folder / 'recs.jsonl'}:3: record has no 'text' field and is not a registry record",
        "2 documents annotated, 6 failed",
    ]
    assert {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()} == before  # inputs untouched
    assert not (tmp_path / "out.jsonl.partial").exists()


def test_annotate_refuses_to_overwrite_an_input(tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_text('{"id": "a", "text": "cisplatin"}\n', encoding="utf-8")
    result = runner.invoke(app, ["annotate", str(path), "-o", str(path)])
    assert result.exit_code == 2 and "is also an input" in result.stderr
    assert path.read_text(encoding="utf-8") == '{"id": "a", "text": "cisplatin"}\n'


def test_brat_output_round_trips_to_the_jsonl_entities(tmp_path):
    from extractor.brat import read_directory

    inputs = [str(DATA / "corpus_records.jsonl"), str(DATA / "ctgov_v2_study.json")]
    result = runner.invoke(app, ["annotate", *inputs, "--format", "brat", "-o", str(tmp_path / "brat")])
    assert result.exit_code == 1  # the v2 study repeats NCT00547599 of the corpus file
    assert "ctgov_v2_study.json: duplicate document id 'NCT00547599'" in result.stderr
    result = runner.invoke(app, ["annotate", *inputs, "-o", str(tmp_path / "out.jsonl")])
    records = {r["id"]: r for r in jsonl_records(tmp_path / "out.jsonl")}
    docs = read_directory(tmp_path / "brat")
    assert sorted(d.id for d in docs) == sorted(records)
    for doc in docs:
        record = records[doc.id]
        assert [(e.label, e.start, e.end, e.text, e.normalized, e.role) for e in doc.entities] == [
            (e["label"], e["start"], e["end"], e["text"], e.get("normalized") if e["label"] == "DRUG" else None,
             e.get("role")) for e in record["entities"]
        ]
        assert [(r.label, r.arg1, r.arg2) for r in doc.relations] == [
            (r["label"], r["arg1"], r["arg2"]) for r in record["relations"]
        ]


def test_csv_output_reads_back_with_dictreader(tmp_path):
    import csv

    out = tmp_path / "drugs.csv"
    args = ["annotate", str(DATA / "NCT00461617.xml"), "--full"]
    result = runner.invoke(app, [*args, "--format", "csv", "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    with open(out, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    (record,) = [json.loads(line) for line in runner.invoke(app, args).stdout.splitlines()]
    by_id = {e["id"]: e for e in record["entities"]}
    drugs = [e for e in record["entities"] if e["label"] in ("DRUG", "DRUG_CLASS")]
    assert [(r["document_id"], r["entity_id"], r["text"], r["normalized"], r["role"], r["field"]) for r in rows] == [
        ("NCT00461617", e["id"], e["text"], e.get("normalized") or "", e["role"], e["field"]) for e in drugs
    ]
    for row in rows:
        doses = [by_id[r["arg1"]]["text"] for r in record["relations"]
                 if r["arg2"] == row["entity_id"] and r["label"] == "Dose-Drug"]
        assert row["dose"] == " | ".join(doses)
    described = [r for r in rows if r["field"] == "intervention_descriptions"]
    assert [(r["text"], r["dose"], r["schedule"]) for r in described] == [("Mitiglinide", "10mg | 10mg", "TID")]


def test_html_output_to_stdout(tmp_path):
    result = runner.invoke(app, ["annotate", str(DATA / "ctgov_v2_study.json"), "--format", "html"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("<!DOCTYPE html>") and result.stdout.rstrip().endswith("</html>")
    assert "<h2>NCT00547599</h2>" in result.stdout and "<svg" in result.stdout


def test_resume_jsonl_after_a_cut_run(tmp_path):
    inputs = [str(DATA / "corpus_records.jsonl"), str(DATA / "ctgov_v2_page.json")]
    fresh = tmp_path / "fresh.jsonl"
    result = runner.invoke(app, ["annotate", *inputs, "-o", str(fresh)])
    assert result.exit_code == 1  # the page repeats NCT00547599 and NCT05109377
    expected = jsonl_records(fresh)
    assert [r["id"] for r in expected] == ["NCT00547599", "NCT05109377", "NCT00461617"]
    # a killed run: one whole record, then half a line, and no final file
    out = tmp_path / "out.jsonl"
    whole = fresh.read_text(encoding="utf-8").splitlines(keepends=True)
    (tmp_path / "out.jsonl.partial").write_text(whole[0] + whole[1][:40], encoding="utf-8")
    result = runner.invoke(app, ["annotate", *inputs, "-o", str(out), "--resume"])
    assert "2 documents annotated, 2 failed, 1 skipped (already in the output)" in result.stderr
    assert jsonl_records(out) == expected
    assert not (tmp_path / "out.jsonl.partial").exists()
    # resuming a finished run adds nothing and duplicates nothing
    result = runner.invoke(app, ["annotate", *inputs, "-o", str(out), "--resume"])
    assert "0 documents annotated, 2 failed, 3 skipped" in result.stderr
    assert jsonl_records(out) == expected


def test_resume_brat_skips_documents_with_an_ann(tmp_path):
    pred = tmp_path / "pred"
    first = runner.invoke(app, ["annotate", str(DATA / "NCT00461617.xml"), "--format", "brat", "-o", str(pred)])
    assert first.exit_code == 0, first.stderr
    ann = (pred / "NCT00461617.ann").read_text(encoding="utf-8")
    (pred / "NCT00461617.ann").write_text(ann + "#1\tAnnotatorNotes T1\tkept\n", encoding="utf-8")
    result = runner.invoke(app, ["annotate", str(DATA / "NCT00461617.xml"), str(DATA / "ctgov_v2_study.json"),
                                 "--format", "brat", "-o", str(pred), "--resume"])
    assert result.exit_code == 0, result.stderr
    assert "1 documents annotated, 0 failed, 1 skipped" in result.stderr
    assert sorted(p.name for p in pred.iterdir()) == [
        "NCT00461617.ann", "NCT00461617.txt", "NCT00547599.ann", "NCT00547599.txt",
    ]
    assert (pred / "NCT00461617.ann").read_text(encoding="utf-8").endswith("kept\n")  # not redone


def test_two_processes_same_output(tmp_path):
    inputs = [str(DATA / "corpus_records.jsonl"), str(ROOT / "examples" / "registry_records.jsonl")]
    one = runner.invoke(app, ["annotate", *inputs, "--batch-size", "2"])
    two = runner.invoke(app, ["annotate", *inputs, "--batch-size", "2", "--n-process", "2"])
    assert one.exit_code == two.exit_code == 0, two.stderr
    assert two.stdout == one.stdout and len(one.stdout.splitlines()) == 5


def test_progress_bar_only_on_a_terminal(tmp_path):
    """A pseudo-terminal as stderr gets a documents/s bar; a pipe (the other
    tests) gets only the summary."""
    import fcntl
    import pty
    import struct
    import termios

    primary, secondary = pty.openpty()
    fcntl.ioctl(secondary, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))  # a terminal of 100 columns
    out = tmp_path / "out.jsonl"
    process = subprocess.run(
        [sys.executable, "-m", "extractor.cli", "annotate", str(DATA / "corpus_records.jsonl"), "-o", str(out)],
        stderr=secondary, stdout=subprocess.DEVNULL, cwd=ROOT, timeout=300,
    )
    os.close(secondary)
    chunks = []
    while True:
        try:
            chunk = os.read(primary, 4096)
        except OSError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(primary)
    shown = b"".join(chunks).decode("utf-8", "replace")
    assert process.returncode == 0
    assert "doc/s" in shown and "3doc" in shown.replace(" ", "")
    assert shown.rstrip().endswith("3 documents annotated, 0 failed")


def test_text_longer_than_max_length_is_annotated_in_pieces(tmp_path, nlp, monkeypatch):
    from extractor.annotate import annotate_records
    from extractor.inputs import InputDocument

    line = "Patients receive bevacizumab 15mg/kg IV every 3 weeks and cisplatin 75 mg/m2 IV on day 1.\n"
    path = tmp_path / "long.txt"
    path.write_text(line * 12, encoding="utf-8")
    import extractor

    monkeypatch.setattr(extractor, "load", lambda *args, **kwargs: nlp)  # the CLI's pipeline
    whole = runner.invoke(app, ["annotate", str(path)])
    monkeypatch.setattr(nlp, "max_length", 250)
    pieces = runner.invoke(app, ["annotate", str(path)])
    assert pieces.exit_code == whole.exit_code == 0, pieces.stderr
    (record,) = [json.loads(x) for x in pieces.stdout.splitlines()]
    assert pieces.stdout == whole.stdout
    (one,) = annotate_records(nlp, [InputDocument("one", line, "mem")])
    assert len(one["entities"]) >= 6 and len(one["relations"]) >= 4
    assert len(record["entities"]) == 12 * len(one["entities"]) and len(record["relations"]) == 12 * len(one["relations"])
    assert record["entities"][-1]["start"] == 11 * len(line) + line.index("day 1")


def test_jsonl_from_stdin():
    lines = '{"id": "s1", "text": "Give cisplatin 75 mg/m2."}\n{oops\n'
    result = runner.invoke(app, ["annotate", "-"], input=lines)
    assert result.exit_code == 1
    assert [json.loads(x)["id"] for x in result.stdout.splitlines()] == ["s1"]
    assert stderr_lines(result) == [
        "error: <stdin>:2: malformed JSON (Expecting property name enclosed in double quotes at column 2)",
        "1 documents annotated, 1 failed",
    ]


def test_pretty_output_shows_the_regimens_of_seed_000():
    seed = next((ROOT / "examples").glob("000_*.txt"))
    result = runner.invoke(app, ["annotate", str(seed), "--pretty"])
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    induction, maintenance = lines.index("  [induction]"), lines.index("  [maintenance]")
    assert "    etoposide: 21-day cycle; four cycles" in lines[induction:maintenance]
    assert lines[maintenance + 1:maintenance + 3] == [
        "    atezolizumab: every 21 days; up to 12 months",
        "    bevacizumab: every 21 days; up to 12 months",
    ]
