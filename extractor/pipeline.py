"""Assembling, loading and saving the extractor pipeline."""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from importlib import resources
from pathlib import Path
from typing import Any, Iterable, Iterator, Tuple, Union

import spacy
from spacy.language import Language
from spacy.util import load_config, load_model_from_config

DEFAULT_CONFIG = "extractor.cfg"


def default_config_path():
    return resources.files("extractor.pipelines").joinpath(DEFAULT_CONFIG)


def load_pipeline(path: str | Path | None = None, **kwargs) -> Language:
    """The bundled pipeline (``path=None``), or one saved with ``nlp.to_disk``."""
    if path is not None:
        return spacy.load(path, **kwargs)
    config = load_config(default_config_path())
    nlp = load_model_from_config(config, auto_fill=True, validate=True, **kwargs)
    nlp.initialize()
    return nlp


RecordItem = Union[str, Tuple[str, str], Tuple[str, str, Any]]

_worker_nlp: Language | None = None


def pipe_records(
    nlp: Language, items: Iterable[RecordItem], *, n_process: int = 1, batch_size: int = 64
) -> Iterator[dict]:
    """:func:`~extractor.output.doc_to_record` of each item, in input order.

    ``items`` are texts, ``(text, doc_id)`` or ``(text, doc_id, fields)`` (a
    :class:`~extractor.records.RenderedRecord` for ``fields``).

    With ``n_process > 1`` (``-1``: one per CPU) worker processes run the
    pipeline and send back the records, plain data of a few kilobytes, not
    the ``Doc`` objects: ``nlp.pipe(n_process=...)`` serializes every Doc in
    the worker (token array, span groups, extension data) and rebuilds it in
    the parent, which costs about as much as tokenizing it, so it cannot
    scale a pipeline this fast.  Workers are forked where the platform can
    (they share the loaded pipeline); elsewhere ``nlp`` is pickled to each.
    """
    if n_process == -1:
        n_process = os.cpu_count() or 1
    batches = _batches(items, batch_size)
    if n_process <= 1:
        for batch in batches:
            yield from _records_batch(batch, nlp)
        return
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    with context.Pool(n_process, initializer=_init_worker, initargs=(nlp,)) as pool:
        pending: deque = deque()
        for batch in batches:
            pending.append(pool.apply_async(_records_batch, (batch,)))
            if len(pending) >= 2 * n_process:  # a bounded number of batches in flight
                yield from pending.popleft().get()
        while pending:
            yield from pending.popleft().get()


def _batches(items: Iterable[RecordItem], size: int) -> Iterator[list[tuple[str, str, Any]]]:
    batch: list[tuple[str, str, Any]] = []
    for item in items:
        if isinstance(item, str):
            item = (item, "", None)
        elif len(item) == 2:
            item = (item[0], item[1], None)
        batch.append(tuple(item))
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _init_worker(nlp: Language) -> None:
    global _worker_nlp
    _worker_nlp = nlp


def _records_batch(batch: list[tuple[str, str, Any]], nlp: Language | None = None) -> list[dict]:
    from .output import doc_to_record

    nlp = nlp if nlp is not None else _worker_nlp
    docs = nlp.pipe((text for text, _, _ in batch), batch_size=len(batch))
    return [doc_to_record(doc, doc_id, fields) for (_, doc_id, fields), doc in zip(batch, docs)]
