"""Evaluation against a gold folder: run the pipeline (or read predictions) and score."""

from __future__ import annotations

from pathlib import Path

from .brat import BratDocument, BratError, read_directory
from .corpus import load_split
from .output import doc_to_brat
from .scoring import score_documents


def predict(nlp, documents: list[BratDocument], batch_size: int = 16) -> list[BratDocument]:
    texts = (d.text for d in documents)
    return [doc_to_brat(doc, d.id) for doc, d in zip(nlp.pipe(texts, batch_size=batch_size), documents)]


def evaluate(gold_dir: str | Path, pred_dir: str | Path | None = None, split: str | None = None, nlp=None) -> dict:
    """Scores of the pipeline (or of ``pred_dir`` brat files) against gold.

    Gold files that fail validation raise :class:`~extractor.brat.BratError`;
    no document is skipped.
    """
    return score_documents(*gold_and_predictions(gold_dir, pred_dir, split, nlp))


def _gold_documents(gold_dir: str | Path, split: str | None) -> list[BratDocument]:
    """The gold documents of ``split``; none at all is an error, not a score."""
    gold = load_split(gold_dir, split)
    if not gold:
        raise BratError([f"{gold_dir}: no gold documents" + (f" in split {split!r}" if split else "")])
    return gold


def gold_and_predictions(
    gold_dir: str | Path, pred_dir: str | Path | None = None, split: str | None = None, nlp=None
) -> tuple[list[BratDocument], list[BratDocument]]:
    """The gold documents and their predictions (read from ``pred_dir`` or made
    by the pipeline).  A prediction whose text differs from its gold text
    raises :class:`~extractor.brat.BratError`: its offsets would be meaningless."""
    gold = _gold_documents(gold_dir, split)
    if pred_dir is not None:
        pred = read_directory(pred_dir, names=[d.id for d in gold])
        gold_text = {d.id: d.text for d in gold}
        problems = [
            f"{Path(pred_dir) / (d.id + '.txt')}: text differs from the gold text of {d.id}"
            for d in pred
            if d.text != gold_text[d.id]
        ]
        if problems:
            raise BratError(problems)
    else:
        if nlp is None:
            from . import load

            nlp = load()
        pred = predict(nlp, gold)
    return gold, pred


ENTITY_FACTORIES = frozenset({"extractor_drugs", "extractor_attributes"})


def doc_with_gold_entities(nlp, document: BratDocument, relations: bool = True):
    """Run ``nlp`` on ``document`` with its gold entities (normalization and
    role included) in place of the entity components' output.

    Components made by an entity factory are skipped; the others run in order
    after the gold entities are set (``relations=False`` stops before the
    relation component).  Returns ``(doc, offsets)`` where ``offsets`` maps the
    token-aligned character span of each entity back to its gold offsets (a
    gold span inside a token is widened to the token).
    """
    from .extensions import ensure_extensions

    ensure_extensions()
    doc = nlp.make_doc(document.text)
    gold_set = False
    offsets: dict[tuple[int, int], tuple[int, int]] = {}
    for name, proc in nlp.pipeline:
        factory = nlp.get_pipe_meta(name).factory
        if factory in ENTITY_FACTORIES:
            continue
        if factory == "extractor_relations" and not relations:
            break
        if not gold_set and factory in ("extractor_relations", "extractor_regimens"):
            _set_gold(doc, document, offsets)
            gold_set = True
        doc = proc(doc)
    if not gold_set:
        _set_gold(doc, document, offsets)
    return doc, offsets


def _set_gold(doc, document: BratDocument, offsets: dict) -> None:
    from .extensions import set_entities, set_span_data

    spans, by_span = [], {}
    for ent in document.entities:
        span = doc.char_span(ent.start, ent.end, label=ent.label, alignment_mode="expand")
        if span is None:
            continue
        offsets[(span.start_char, span.end_char)] = (ent.start, ent.end)
        by_span[(span.start_char, span.end_char)] = ent
        spans.append(span)
    for span in set_entities(doc, spans):
        gold = by_span[(span.start_char, span.end_char)]
        set_span_data(span, normalized=gold.normalized, role=gold.role)


def predict_gold_entities(nlp, documents: list[BratDocument]) -> list[BratDocument]:
    """The gold entities with the relations the pipeline's relation component adds."""
    from .brat import Relation

    result = []
    for document in documents:
        doc, offsets = doc_with_gold_entities(nlp, document)
        by_offsets = {(e.start, e.end): e.id for e in document.entities}
        relations = []
        for rel in doc._.extractor_relations or []:
            arg1 = by_offsets.get(offsets.get(tuple(rel["arg1"]), ()))
            arg2 = by_offsets.get(offsets.get(tuple(rel["arg2"]), ()))
            if arg1 and arg2:
                relations.append(Relation(f"R{len(relations) + 1}", rel["label"], arg1, arg2))
        result.append(BratDocument(document.id, document.text, list(document.entities), relations))
    return result


def gold_and_gold_entity_predictions(
    gold_dir: str | Path, split: str | None = None, nlp=None
) -> tuple[list[BratDocument], list[BratDocument]]:
    """The gold documents and, for each, its gold entities with the relations
    the pipeline's relation component adds to them."""
    gold = _gold_documents(gold_dir, split)
    if nlp is None:
        from . import load

        nlp = load()
    return gold, predict_gold_entities(nlp, gold)


def evaluate_gold_entities(gold_dir: str | Path, split: str | None = None, nlp=None) -> dict:
    """Scores of the relation component alone, given the gold entities.

    Entity, normalization and role figures are trivially perfect here; the
    relation figures are the ones to read.
    """
    return score_documents(*gold_and_gold_entity_predictions(gold_dir, split, nlp))
