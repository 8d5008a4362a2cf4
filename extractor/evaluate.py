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


def gold_and_predictions(
    gold_dir: str | Path, pred_dir: str | Path | None = None, split: str | None = None, nlp=None
) -> tuple[list[BratDocument], list[BratDocument]]:
    """The gold documents and their predictions (read from ``pred_dir`` or made
    by the pipeline).  A prediction whose text differs from its gold text
    raises :class:`~extractor.brat.BratError`: its offsets would be meaningless."""
    gold = load_split(gold_dir, split)
    if not gold:
        raise BratError([f"{gold_dir}: no gold documents" + (f" in split {split!r}" if split else "")])
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
