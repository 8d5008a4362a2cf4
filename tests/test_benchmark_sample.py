"""The benchmark's shipped sample: big enough, real records, no gold documents."""

import gzip
import json
import re

from extractor.records import render_ctgov
from tests.conftest import ANNOTATIONS, ROOT

SAMPLE = ROOT / "evaluation" / "sample_ctgov.jsonl.gz"


def test_sample_has_2000_distinct_records_none_from_annotations():
    with gzip.open(SAMPLE, "rt", encoding="utf-8") as handle:
        ids = [json.loads(line)["nct_id"] for line in handle]
    annotated = {m for path in (ANNOTATIONS / "docs").iterdir() for m in re.findall(r"NCT\d{8}", path.name)}
    assert len(ids) >= 2000
    assert len(set(ids)) == len(ids)
    assert annotated and not annotated & set(ids)


def test_sample_records_render_to_text():
    with gzip.open(SAMPLE, "rt", encoding="utf-8") as handle:
        record = json.loads(handle.readline())
    rendered = render_ctgov(record)
    assert rendered.id == record["nct_id"]
    assert rendered.text.startswith(record["title"])
    assert rendered.fields[0].name == "title"
