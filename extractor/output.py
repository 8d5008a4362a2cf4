"""Plain-data views of a processed ``Doc``: the JSON record of the CLI and a
:class:`~extractor.brat.BratDocument` for brat output and scoring."""

from __future__ import annotations

from spacy.tokens import Doc

from .brat import BratDocument, Entity, Relation
from .extensions import doc_text, ensure_extensions, get_entities, span_data
from .schema import ENTITY_LABELS


def doc_to_record(doc: Doc, doc_id: str = "", fields=None) -> dict:
    """``{"id", "text", "entities", "relations"}`` with character offsets,
    plus ``"regimens"`` and ``"endpoints"`` when the pipeline has the
    ``extractor_regimens`` component (see :mod:`extractor.regimens`).

    ``fields`` (a :class:`~extractor.records.RenderedRecord`) adds the record
    field each entity came from.
    """
    ensure_extensions()
    text = doc_text(doc)  # built from the tokens once per doc, shared with the components
    entities = []
    ids = {}
    for index, ent in enumerate(get_entities(doc, ENTITY_LABELS)):
        entity_id = f"T{index + 1}"
        start, end, label = ent.start_char, ent.end_char, ent.label_
        ids[(start, end)] = entity_id
        item = {"id": entity_id, "label": label, "start": start, "end": end, "text": text[start:end]}
        if label in ("DRUG", "DRUG_CLASS"):
            data = span_data(ent)
            item.update(
                normalized=data["normalized"], role=data["role"],
                resolution=data["resolution"], confidence=data["confidence"],
            )
        if fields is not None:
            item["field"] = fields.field_at(start)
        entities.append(item)
    relations = []
    for rel in doc._.extractor_relations or []:
        arg1, arg2 = ids.get(tuple(rel["arg1"])), ids.get(tuple(rel["arg2"]))
        if arg1 and arg2:
            relations.append({"label": rel["label"], "arg1": arg1, "arg2": arg2})
    record = {"id": doc_id, "text": text, "entities": entities, "relations": relations}
    if doc._.extractor_regimens is not None:
        record["regimens"] = _plain(doc._.extractor_regimens)
    if doc._.extractor_endpoints is not None:
        record["endpoints"] = _plain(doc._.extractor_endpoints)
    return record


def _plain(value):
    """Lists for tuples (a ``DocBin`` round trip reads lists back as tuples)."""
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def doc_to_brat(doc: Doc, doc_id: str) -> BratDocument:
    record = doc_to_record(doc, doc_id)
    entities = [
        Entity(e["id"], e["label"], e["start"], e["end"], e["text"],
               e.get("normalized") if e["label"] == "DRUG" else None, e.get("role"))
        for e in record["entities"]
    ]
    relations = [Relation(f"R{i + 1}", r["label"], r["arg1"], r["arg2"]) for i, r in enumerate(record["relations"])]
    return BratDocument(doc_id, record["text"], entities, relations)
