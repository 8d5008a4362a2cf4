"""The gold corpus itself: validity, size, splits, exports (end-to-end on real documents)."""

import json

from extractor.brat import read_directory
from extractor.corpus import load_dataset_dict, load_split, read_splits, statistics, to_docbin
from tests.conftest import ANNOTATIONS


def test_every_gold_file_validates_with_inn_and_role():
    documents = read_directory(ANNOTATIONS / "docs", require_complete=True)
    assert len(documents) >= 65
    assert {f"seed_{n}" for n in ("000", "001", "002", "003", "004")} <= {d.id[:8] for d in documents}


def test_splits_cover_every_document_once_with_seeds_in_dev():
    splits = read_splits(ANNOTATIONS)
    names = [n for v in splits.values() for n in v]
    assert len(names) == len(set(names))
    assert set(names) == {p.stem for p in (ANNOTATIONS / "docs").glob("*.txt")}
    assert all(n in splits["dev"] for n in names if n.startswith("seed_"))
    assert set(splits) == {"train", "dev", "test"}


def test_statistics_add_up():
    stats = statistics(ANNOTATIONS)
    assert stats["all"]["documents"] == sum(stats[s]["documents"] for s in ("train", "dev", "test"))
    assert stats["all"]["entities"]["DRUG"] == sum(stats[s]["entities"]["DRUG"] for s in ("train", "dev", "test"))


def test_datasets_export_in_bigbio_schema():
    dataset = load_dataset_dict(ANNOTATIONS)
    assert set(dataset) == {"train", "dev", "test"}
    example = dataset["dev"].filter(lambda d: d["id"] == "seed_000_a991cd9fedb848fc")[0]
    text = example["passages"][0]["text"][0]
    for entity in example["entities"]:
        start, end = entity["offsets"][0]
        assert text[start:end] == entity["text"][0]
    drugs = [e for e in example["entities"] if e["type"] == "DRUG"]
    assert all(e["normalized"][0]["db_name"] == "INN" for e in drugs)
    ids = {e["id"] for e in example["entities"]}
    assert all(r["arg1_id"] in ids and r["arg2_id"] in ids for r in example["relations"])


def test_docbin_export_round_trips_entities():
    import spacy

    documents = load_split(ANNOTATIONS, "dev")[:3]
    docbin = to_docbin([d for d in documents])
    docs = list(docbin.get_docs(spacy.blank("en").vocab))
    for document, doc in zip(documents, docs):
        assert [(e.start_char, e.end_char, e.label_) for e in doc.ents] == [
            (e.start, e.end, e.label) for e in document.entities
        ]
        assert len(doc._.extractor_relations) == len(document.relations)
