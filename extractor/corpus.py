"""The gold corpus as data: splits, statistics, a ``datasets.DatasetDict`` in the
BigBIO KB schema, and spaCy ``DocBin`` files for training."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from .brat import BratDocument, BratError, read_directory
from .schema import ENTITY_LABELS, RELATION_TYPES

SPLITS_FILE = "splits.json"
DOCS_DIR = "docs"


def read_splits(root: str | Path) -> dict[str, list[str]]:
    path = Path(root) / SPLITS_FILE
    try:
        splits = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as err:
        raise BratError([f"{path}: cannot read splits ({err})"]) from None
    seen: dict[str, str] = {}
    problems = []
    for split, names in splits.items():
        for name in names:
            if name in seen:
                problems.append(f"{path}: {name} is in both {seen[name]} and {split}")
            seen[name] = split
    if problems:
        raise BratError(problems)
    return splits


def load_split(root: str | Path, split: str | None = None, require_complete: bool = True) -> list[BratDocument]:
    """Documents of one split (all documents when ``split`` is None)."""
    root = Path(root)
    docs_dir = root / DOCS_DIR if (root / DOCS_DIR).is_dir() else root
    if split is None:
        return read_directory(docs_dir, require_complete=require_complete)
    splits = read_splits(root)
    if split not in splits:
        raise BratError([f"{root / SPLITS_FILE}: no split named {split!r} (have: {', '.join(splits)})"])
    return read_directory(docs_dir, splits[split], require_complete=require_complete)


def statistics(root: str | Path) -> dict:
    """Documents, entities per label and relations per type, per split and in all."""
    splits = read_splits(root)
    result = {}
    for split, names in list(splits.items()) + [("all", [n for v in splits.values() for n in v])]:
        docs = load_split(root, split) if split != "all" else load_split(root)
        docs = [d for d in docs if d.id in set(names)]
        labels = Counter(e.label for d in docs for e in d.entities)
        relations = Counter(r.label for d in docs for r in d.relations)
        result[split] = {
            "documents": len(docs),
            "characters": sum(len(d.text) for d in docs),
            "entities": {label: labels.get(label, 0) for label in ENTITY_LABELS},
            "relations": {label: relations.get(label, 0) for label in RELATION_TYPES},
        }
    return result


def to_bigbio(doc: BratDocument) -> dict:
    """One document in the BigBIO KB schema."""
    entities = []
    for ent in doc.entities:
        normalized = [{"db_name": "INN", "db_id": ent.normalized}] if ent.normalized else []
        entities.append(
            {
                "id": f"{doc.id}_{ent.id}",
                "type": ent.label,
                "text": [ent.text],
                "offsets": [[ent.start, ent.end]],
                "normalized": normalized,
                "role": ent.role or "",
            }
        )
    relations = [
        {
            "id": f"{doc.id}_{rel.id}",
            "type": rel.label,
            "arg1_id": f"{doc.id}_{rel.arg1}",
            "arg2_id": f"{doc.id}_{rel.arg2}",
            "normalized": [],
        }
        for rel in doc.relations
    ]
    return {
        "id": doc.id,
        "document_id": doc.id,
        "passages": [{"id": f"{doc.id}_p0", "type": "document", "text": [doc.text], "offsets": [[0, len(doc.text)]]}],
        "entities": entities,
        "events": [],
        "coreferences": [],
        "relations": relations,
    }


def load_dataset_dict(root: str | Path):
    """The annotation folder as a ``datasets.DatasetDict``, one split per entry
    of ``splits.json``; built from local files only (no network)."""
    import datasets

    features = datasets.Features(
        {
            "id": datasets.Value("string"),
            "document_id": datasets.Value("string"),
            "passages": [
                {
                    "id": datasets.Value("string"),
                    "type": datasets.Value("string"),
                    "text": datasets.Sequence(datasets.Value("string")),
                    "offsets": datasets.Sequence([datasets.Value("int32")]),
                }
            ],
            "entities": [
                {
                    "id": datasets.Value("string"),
                    "type": datasets.Value("string"),
                    "text": datasets.Sequence(datasets.Value("string")),
                    "offsets": datasets.Sequence([datasets.Value("int32")]),
                    "normalized": [{"db_name": datasets.Value("string"), "db_id": datasets.Value("string")}],
                    "role": datasets.Value("string"),
                }
            ],
            "events": [{"id": datasets.Value("string")}],
            "coreferences": [{"id": datasets.Value("string")}],
            "relations": [
                {
                    "id": datasets.Value("string"),
                    "type": datasets.Value("string"),
                    "arg1_id": datasets.Value("string"),
                    "arg2_id": datasets.Value("string"),
                    "normalized": [{"db_name": datasets.Value("string"), "db_id": datasets.Value("string")}],
                }
            ],
        }
    )
    splits = read_splits(root)
    return datasets.DatasetDict(
        {
            split: datasets.Dataset.from_list([to_bigbio(d) for d in load_split(root, split)], features=features)
            for split in splits
        }
    )


def to_docbin(documents: list[BratDocument], nlp=None):
    """A spaCy ``DocBin`` with gold entities in ``doc.ents``, normalization and
    role in span extensions, relations in ``doc._.extractor_relations``."""
    from spacy.tokens import DocBin

    from .extensions import ensure_extensions, set_span_data

    if nlp is None:
        import spacy

        from .tokenizer import make_trial_tokenizer

        nlp = spacy.blank("en")
        nlp.tokenizer = make_trial_tokenizer(nlp)
    ensure_extensions()
    docbin = DocBin(store_user_data=True)
    problems = []
    for document in documents:
        doc = nlp.make_doc(document.text)
        spans = []
        for ent in document.entities:
            span = doc.char_span(ent.start, ent.end, label=ent.label)
            if span is None:
                problems.append(f"{document.id}: {ent.id} {ent.text!r} does not start and end on token boundaries")
                continue
            spans.append(span)
            set_span_data(span, normalized=ent.normalized, role=ent.role)
        doc.ents = spans
        by_id = {e.id: e for e in document.entities}
        doc._.extractor_relations = [
            {
                "label": r.label,
                "arg1": [by_id[r.arg1].start, by_id[r.arg1].end],
                "arg2": [by_id[r.arg2].start, by_id[r.arg2].end],
            }
            for r in document.relations
        ]
        doc.user_data["extractor_id"] = document.id
        docbin.add(doc)
    if problems:
        raise BratError(problems)
    return docbin
