"""Annotation on a Dask cluster (extractor.distributed, ``annotate --engine dask``).

One LocalCluster of two single-threaded worker processes serves the module;
its output is compared with single-process annotation of the same records.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from extractor.annotate import annotate_inputs
from extractor.cli import app
from extractor.distributed import (
    Partition,
    annotate_bag,
    annotate_dataframe,
    annotate_to_shards,
    plan_partitions,
    read_partition,
    read_shards,
)
from extractor.inputs import InputError
from tests.conftest import ROOT

SAMPLE = ROOT / "tests" / "data" / "ctgov_sample.jsonl"  # 300 ClinicalTrials.gov records
KILL_DIR = "EXTRACTOR_TEST_KILL_DIR"


def single_process(nlp, paths):
    return [{k: v for k, v in record.items() if k != "text"}
            for record in annotate_inputs(nlp, paths) if isinstance(record, dict)]


@pytest.fixture(scope="module")
def expected(nlp):
    return single_process(nlp, [SAMPLE])


@pytest.fixture(scope="module")
def kill_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("kill")


@pytest.fixture(scope="module")
def client(kill_dir):
    distributed = pytest.importorskip("distributed")
    os.environ[KILL_DIR] = str(kill_dir)  # inherited by the worker processes spawned below
    try:
        with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                      dashboard_address=":0") as cluster, distributed.Client(cluster) as client:
            yield client
    finally:
        del os.environ[KILL_DIR]


# -- a pipeline whose worker process dies once, mid-partition -----------------


class KillingPipeline:
    """Wraps the pipeline; the first worker to claim the armed flag file dies
    (``os._exit``) after five documents of its partition, leaving in the flag
    file its pid and the files of the output folder at that moment."""

    def __init__(self, nlp, flags: Path):
        self.nlp, self.flags = nlp, flags

    @property
    def max_length(self):
        return self.nlp.max_length

    def __call__(self, text):
        return self.nlp(text)

    def pipe(self, texts, **kwargs):
        for number, doc in enumerate(self.nlp.pipe(texts, **kwargs)):
            if number == 5:
                try:
                    os.rename(self.flags / "armed", self.flags / "fired")
                except FileNotFoundError:
                    pass
                else:
                    out_dir = Path((self.flags / "fired").read_text())
                    seen = sorted(path.name for path in out_dir.iterdir())
                    (self.flags / "fired").write_text(json.dumps({"pid": os.getpid(), "files": seen}))
                    os._exit(1)
            yield doc


def killing_loader(pipeline):
    from extractor.distributed import worker_pipeline

    return KillingPipeline(worker_pipeline(pipeline)[0], Path(os.environ[KILL_DIR]))


# -- partitions -----------------------------------------------------------------


def test_partitions_cover_each_line_once(tmp_path):
    path = tmp_path / "r.jsonl"
    path.write_text('{"id": "a", "text": "x"}\n\n{bad\n{"id": "d", "text": "y"}\n{"id": "e", "text": "z"}\n',
                    encoding="utf-8")
    parts = plan_partitions([path], size=2)
    assert [(p.first, p.last, p.offset) for p in parts] == [(1, 2, 0), (3, 4, 26), (5, 5, 56)]
    assert [p.name for p in parts] == ["r.00000001-00000002", "r.00000003-00000004", "r.00000005-00000005"]
    items = [item for part in parts for item in read_partition(part)]
    assert [source for source, _ in items] == [f"{path}:1", f"{path}:3", f"{path}:4", f"{path}:5"]
    assert isinstance(items[1][1], InputError) and "malformed JSON" in str(items[1][1])
    assert [r["id"] for _, r in items if isinstance(r, dict)] == ["a", "d", "e"]


def test_parquet_partitions_follow_row_groups(tmp_path):
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    path = tmp_path / "t.parquet"
    pq.write_table(pa.table({"id": [str(i) for i in range(7)], "text": ["x"] * 7}), path, row_group_size=3)
    parts = plan_partitions([path], size=5)
    assert [(p.first, p.last, p.row_groups) for p in parts] == [(1, 3, (0,)), (4, 7, (1, 2))]
    assert [source for source, _ in read_partition(parts[1])] == [f"{path}[row {n}]" for n in (4, 5, 6, 7)]
    assert [record["id"] for _, record in read_partition(parts[1])] == ["3", "4", "5", "6"]


def test_inputs_with_one_stem_or_unknown_suffix_are_refused(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    for folder in ("a", "b"):
        (tmp_path / folder / "r.jsonl").write_text('{"id": "1", "text": "x"}\n', encoding="utf-8")
    with pytest.raises(ValueError, match="same name"):
        plan_partitions([tmp_path / "a", tmp_path / "b"])
    (tmp_path / "notes.txt").write_text("x", encoding="utf-8")
    with pytest.raises(ValueError, match="notes.txt: the dask engine reads"):
        plan_partitions([tmp_path / "notes.txt"])


def test_cli_dask_engine_needs_an_output_folder(tmp_path):
    result = CliRunner().invoke(app, ["annotate", str(SAMPLE), "--engine", "dask"])
    assert result.exit_code == 2 and "give -o FOLDER" in result.stderr
    result = CliRunner().invoke(app, ["annotate", str(tmp_path / "notes.txt"), "--engine", "dask", "-o", str(tmp_path)])
    assert result.exit_code == 2 and "notes.txt: no such file or directory" in result.stderr


def test_import_does_not_load_dask():
    code = "import sys, extractor, extractor.cli, extractor.distributed; print('dask' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert result.stdout.strip() == "False"


# -- on the cluster --------------------------------------------------------------


def test_shards_equal_single_process(client, expected, tmp_path):
    report = annotate_to_shards([SAMPLE], tmp_path, client=client, partition_size=70)
    assert report.shards == [f"ctgov_sample.{a:08d}-{b:08d}.jsonl"
                             for a, b in [(1, 70), (71, 140), (141, 210), (211, 280), (281, 300)]]
    assert report.records == 300 and report.errors == []
    assert sorted(p.name for p in tmp_path.iterdir()) == report.shards
    records = list(read_shards(tmp_path))
    assert len(records) == 300 and sum(len(r["entities"]) for r in records) > 1000
    assert records == expected


def test_parquet_in_and_out_equal_single_process(client, expected, tmp_path):
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    rows = [json.loads(line) for line in SAMPLE.read_text(encoding="utf-8").splitlines()]
    for row in rows:  # a string in legacy records, a list in API v2 ones: one Parquet column needs one type
        row["phase"] = json.dumps(row["phase"])
    source = tmp_path / "in" / "ctgov_sample.parquet"
    source.parent.mkdir()
    pq.write_table(pa.Table.from_pylist(rows), source, row_group_size=50)
    report = annotate_to_shards([source.parent], tmp_path / "out", client=client, partition_size=100,
                                shard_format="parquet")
    assert len(report.shards) == 3 and report.records == 300
    assert list(read_shards(tmp_path / "out")) == expected


def test_bad_records_are_reported_and_cost_only_themselves(client, nlp, tmp_path):
    path = tmp_path / "mixed.jsonl"
    path.write_text(
        '{"id": "r1", "text": "Give cisplatin 75 mg/m2 IV on day 1."}\n{broken\n{"id": "r3"}\n'
        '{"text": "Oral capecitabine 1000 mg/m2 twice daily."}\n', encoding="utf-8")
    report = annotate_to_shards([path], tmp_path / "out", client=client, partition_size=2)
    assert report.records == 2
    assert report.errors == [f"{path}:2: malformed JSON (Expecting property name enclosed in double quotes at column 2)",
                             f"{path}:3: record has no 'text' field and is not a registry record"]
    records = list(read_shards(tmp_path / "out"))
    assert [r["id"] for r in records] == ["r1", f"{path}:4"]
    assert records == single_process(nlp, [path])


def test_resume_rewrites_only_missing_shards(client, expected, tmp_path):
    subset = tmp_path / "subset.jsonl"
    subset.write_text("".join(SAMPLE.read_text(encoding="utf-8").splitlines(keepends=True)[:100]), encoding="utf-8")
    out = tmp_path / "out"
    annotate_to_shards([subset], out, client=client, partition_size=40)
    (out / "subset.00000041-00000080.jsonl").unlink()
    report = annotate_to_shards([subset], out, client=client, partition_size=40, resume=True)
    assert report.shards == ["subset.00000041-00000080.jsonl"]
    assert report.skipped == ["subset.00000001-00000040.jsonl", "subset.00000081-00000100.jsonl"]
    assert list(read_shards(out)) == expected[:100]
    with pytest.raises(ValueError, match="cut into other partitions"):
        annotate_to_shards([subset], out, client=client, partition_size=50)


def test_bag_and_dataframe(client, expected):
    import dask.bag as db
    import dask.dataframe as dd
    import pandas as pd

    rows = [json.loads(line) for line in SAMPLE.read_text(encoding="utf-8").splitlines()]
    bag = annotate_bag(db.from_sequence(rows[:60] + [{"id": "empty"}], npartitions=3))
    records = bag.compute()
    assert records[:60] == expected[:60]
    assert records[60] == {"id": "empty", "error": "record has no 'text' field and is not a registry record"}

    frame = pd.DataFrame({"id": ["a", "b"], "text": ["Give cisplatin 75 mg/m2 IV.", "No drug here."]})
    result = annotate_dataframe(dd.from_pandas(frame, npartitions=2)).compute()
    assert list(result["id"]) == ["a", "b"] and list(result["error"]) == [None, None]
    assert [(e["label"], e["text"]) for e in result["entities"].iloc[0]] == [
        ("DRUG", "cisplatin"), ("DOSE", "75 mg/m2"), ("ROUTE", "IV")]
    assert result["relations"].iloc[0] == [{"label": "Dose-Drug", "arg1": "T2", "arg2": "T1"},
                                           {"label": "Route-Drug", "arg1": "T3", "arg2": "T1"}]
    assert result["entities"].iloc[1] == []


def test_cli_with_scheduler_address(client, expected, tmp_path):
    address = client.scheduler.address
    result = CliRunner().invoke(app, ["annotate", str(SAMPLE), "--engine", "dask", "--scheduler", address,
                                      "--partition-size", "150", "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "300 documents annotated, 0 failed; 2 shards written, 0 skipped" in result.stderr
    assert list(read_shards(tmp_path)) == expected


def test_cli_full_renders_records_as_the_local_engine_does(client, nlp, tmp_path):
    # --full adds arm groups, intervention descriptions and eligibility to the
    # rendered text: shards must hold what single-process --full gives
    sample = tmp_path / "twenty.jsonl"
    with open(SAMPLE, encoding="utf-8") as handle:
        sample.write_text("".join(handle.readline() for _ in range(20)), encoding="utf-8")
    full = [{k: v for k, v in record.items() if k != "text"}
            for record in annotate_inputs(nlp, [sample], full=True) if isinstance(record, dict)]
    assert full != single_process(nlp, [sample])  # the option changes the output of these records
    out = tmp_path / "shards"
    result = CliRunner().invoke(app, ["annotate", str(sample), "--engine", "dask", "--scheduler",
                                      client.scheduler.address, "--full", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert list(read_shards(out)) == full


def test_killed_worker_leaves_complete_output_without_duplicates(client, expected, kill_dir, tmp_path):
    subset = tmp_path / "subset.jsonl"
    subset.write_text("".join(SAMPLE.read_text(encoding="utf-8").splitlines(keepends=True)[:120]), encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    (kill_dir / "armed").write_text(str(out))
    before = set(client.run(os.getpid).values())
    report = annotate_to_shards([subset], out, client=client, partition_size=30, loader=killing_loader)
    fired = json.loads((kill_dir / "fired").read_text())
    assert not (kill_dir / "armed").exists() and fired["pid"] in before
    # when the worker died its partition existed only as a temporary file, not as a shard
    temporaries = [name for name in fired["files"] if name.endswith(".tmp")]
    assert temporaries
    for name in temporaries:
        assert name[1:].split(".jsonl.")[0] + ".jsonl" not in fired["files"]
    client.wait_for_workers(2, timeout=60)
    assert fired["pid"] not in set(client.run(os.getpid).values())  # the nanny replaced the dead process
    assert report.records == 120 and len(report.shards) == 4 and report.errors == []
    assert sorted(p.name for p in out.iterdir()) == sorted(report.shards)  # no temporary left
    records = list(read_shards(out))
    assert len({r["id"] for r in records}) == 120
    assert records == expected[:120]


def test_own_local_cluster_is_started_and_closed(client, expected, tmp_path):
    import multiprocessing

    subset = tmp_path / "subset.jsonl"
    subset.write_text("".join(SAMPLE.read_text(encoding="utf-8").splitlines(keepends=True)[:20]), encoding="utf-8")
    children = {p.pid for p in multiprocessing.active_children()}
    report = annotate_to_shards([subset], tmp_path / "out", n_workers=1, partition_size=10)
    assert report.shards == ["subset.00000001-00000010.jsonl", "subset.00000011-00000020.jsonl"]
    assert list(read_shards(tmp_path / "out")) == expected[:20]
    assert {p.pid for p in multiprocessing.active_children()} == children  # its worker process is gone
