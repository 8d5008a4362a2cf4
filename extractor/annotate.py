"""Annotating documents with a pipeline, as a stream of plain records.

:func:`annotate_records` is the core: documents in, one output dict (or one
:class:`~extractor.inputs.InputError`) out per document, in input order, with
memory bounded by the batch size whatever the number of documents.  The CLI,
and any other engine, is a layer over it.

- Texts longer than ``max_length`` (``nlp.max_length`` by default) are cut into
  pieces at line ends (else sentence ends, else spaces), annotated piece by
  piece, and merged back with offsets shifted to the whole text: entity ids are
  renumbered, relations follow their entities, and list-valued extras
  (``regimens``, ``endpoints``) are concatenated with their ``start``/``end``
  offsets shifted and entity ids remapped.  Relations across a cut are lost.
- With ``n_process > 1`` batches go to a pool of worker processes, each running
  ``nlp.pipe`` on its batch and returning plain records.  This is used instead
  of ``nlp.pipe(n_process=...)``, which tokenizes in the parent and ships
  whole serialized ``Doc`` objects both ways: for this rule-based pipeline that
  doubled the CPU time and left the parent the bottleneck.
- A document the pipeline fails on is retried alone, so it is reported as an
  error without costing the rest of its batch.
"""

from __future__ import annotations

import multiprocessing as mp
import re
import signal
from collections import Counter, deque
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from .extensions import set_fields
from .inputs import InputDocument, InputError, iter_inputs
from .output import doc_to_record

DEFAULT_BATCH_SIZE = 32

_SENTENCE_END = re.compile(r"[.!?;:](?=\s)")


def split_text(text: str, max_length: int) -> list[tuple[int, str]]:
    """``(offset, piece)`` pairs covering ``text``, each piece at most
    ``max_length`` characters, cut after the last newline of the window, else
    after its last sentence end, else after its last space, else hard."""
    if max_length < 1:
        raise ValueError("max_length must be positive")
    pieces: list[tuple[int, str]] = []
    start = 0
    while len(text) - start > max_length:
        window = text[start:start + max_length]
        cut = window.rfind("\n") + 1
        if cut == 0:
            ends = [m.end() for m in _SENTENCE_END.finditer(window)]
            cut = ends[-1] if ends else 0
        if cut == 0:
            cut = max(window.rfind(" "), window.rfind("\t")) + 1
        if cut == 0:
            cut = max_length
        pieces.append((start, window[:cut]))
        start += cut
    pieces.append((start, text[start:]))
    return pieces


def _remap(value: Any, ids: dict[str, str], offset: int) -> Any:
    if isinstance(value, dict):
        return {
            key: (item + offset if key in ("start", "end") and isinstance(item, int) and not isinstance(item, bool)
                  else _remap(item, ids, offset))
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [_remap(item, ids, offset) for item in value]
    if isinstance(value, str):
        return ids.get(value, value)
    return value


def _merge_summaries(merged: list[dict], key: str, pieces: list[dict], offset: int) -> None:
    """Fold a piece's regimens (by arm and phase, then drug) or endpoints (by
    name and kind) into ``merged``: mentions shifted by ``offset``, attribute
    values added once each, as one pass over the whole text gives them."""

    def fold(into: dict, item: dict) -> None:
        into["mentions"].extend([start + offset, end + offset] for start, end in item["mentions"])
        for field, values in item.items():
            if field != "mentions" and isinstance(values, list):
                into[field].extend(v for v in values if v not in into[field])

    for item in pieces:
        if key == "endpoints":
            same = next((m for m in merged if (m["name"], m["kind"]) == (item["name"], item["kind"])), None)
            if same is None:
                merged.append({**item, "mentions": [], "time_frames": []})
                same = merged[-1]
            fold(same, item)
            continue
        group = next((g for g in merged if (g["arm"], g["phase"]) == (item["arm"], item["phase"])), None)
        if group is None:
            group = {**item, "drugs": [], "classes": []}
            merged.append(group)
        for kind in ("drugs", "classes"):
            for entry in item[kind]:
                same = next((e for e in group[kind] if (e["name"], e["label"]) == (entry["name"], entry["label"])), None)
                if same is None:
                    same = {**entry, **{f: [] for f, v in entry.items() if isinstance(v, list)}}
                    group[kind].append(same)
                fold(same, entry)


def merge_records(pieces: list[tuple[int, dict]]) -> dict:
    """One record from the records of a text's pieces (``(offset, record)``)."""
    if len(pieces) == 1 and pieces[0][0] == 0:
        return pieces[0][1]
    merged: dict[str, Any] = {"entities": [], "relations": []}
    for offset, record in pieces:
        ids: dict[str, str] = {}
        for ent in record["entities"]:
            new_id = f"T{len(merged['entities']) + 1}"
            ids[ent["id"]] = new_id
            merged["entities"].append({**ent, "id": new_id, "start": ent["start"] + offset, "end": ent["end"] + offset})
        for rel in record["relations"]:
            merged["relations"].append({**rel, "arg1": ids[rel["arg1"]], "arg2": ids[rel["arg2"]]})
        for key, value in record.items():
            if key in ("id", "text", "entities", "relations"):
                continue
            if key in ("regimens", "endpoints"):
                _merge_summaries(merged.setdefault(key, []), key, value, offset)
            elif isinstance(value, list):
                merged.setdefault(key, []).extend(_remap(value, ids, offset))
            else:
                merged.setdefault(key, value)
    return merged


def _doc_record(doc) -> dict:
    record = doc_to_record(doc)
    record.pop("id", None)
    record.pop("text", None)
    return record


def _make_doc(nlp, text: str, fields: list | None):
    """The text as a Doc carrying its field layout; the text itself when there
    is none, or for a pipeline-like object without ``make_doc``."""
    make_doc = getattr(nlp, "make_doc", None)
    if not fields or make_doc is None:
        return text
    return set_fields(make_doc(text), fields)


def annotate_texts(
    nlp, texts: list[str], batch_size: int = DEFAULT_BATCH_SIZE, layouts: list[list | None] | None = None
) -> list[tuple[bool, Any]]:
    """``(True, record)`` or ``(False, message)`` per text, in order.  If the
    pipeline raises, the texts not yet done are retried one by one so only
    the failing one is lost.  ``layouts``: per text, its record field layout
    (``[[name, start, end], ...]``) or None."""
    layouts = layouts or [None] * len(texts)
    results: list[tuple[bool, Any] | None] = [None] * len(texts)
    try:
        docs = ((_make_doc(nlp, text, layouts[index]), index) for index, text in enumerate(texts))
        stream = nlp.pipe(docs, as_tuples=True, batch_size=batch_size)
        for doc, index in stream:
            results[index] = (True, _doc_record(doc))
    except Exception:
        for index, text in enumerate(texts):
            if results[index] is None:
                try:
                    results[index] = (True, _doc_record(nlp(_make_doc(nlp, text, layouts[index]))))
                except Exception as err:  # a pipeline bug must not cost the batch
                    results[index] = (False, f"pipeline error: {type(err).__name__}: {err}")
    return [r if r is not None else (False, "the pipeline returned no document") for r in results]


_WORKER_NLP = None


def _init_worker(nlp) -> None:
    global _WORKER_NLP
    _WORKER_NLP = nlp
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C


def _work(texts: list[str], batch_size: int, layouts: list | None = None) -> list[tuple[bool, Any]]:
    return annotate_texts(_WORKER_NLP, texts, batch_size, layouts)


@dataclass
class _Piece:
    item: InputDocument
    offset: int
    text: str
    last: bool


def _piece_layout(piece: _Piece) -> list | None:
    """The record fields that overlap ``piece``, in the piece's offsets."""
    if piece.item.fields is None:
        return None
    start, end = piece.offset, piece.offset + len(piece.text)
    return [
        [f.name, max(f.start, start) - start, min(f.end, end) - start]
        for f in piece.item.fields.fields
        if f.start < end and f.end > start
    ]


def _batches(items: Iterable[InputDocument | InputError], max_length: int, batch_size: int) -> Iterator[list]:
    """Lists of entries (``InputError`` or ``_Piece``) holding up to
    ``batch_size`` pieces; errors ride along to keep the input order."""
    batch: list = []
    count = 0
    for item in items:
        if isinstance(item, InputError):
            batch.append(item)
        else:
            pieces = split_text(item.text, max_length) if len(item.text) > max_length else [(0, item.text)]
            for index, (offset, text) in enumerate(pieces):
                batch.append(_Piece(item, offset, text, index == len(pieces) - 1))
                count += 1
                if count >= batch_size:
                    yield batch
                    batch, count = [], 0
        if len(batch) >= 8 * batch_size:
            yield batch
            batch, count = [], 0
    if batch:
        yield batch


def _finish(item: InputDocument, parts: list[tuple[int, tuple[bool, Any]]]) -> dict | InputError:
    for _offset, (ok, value) in parts:
        if not ok:
            return InputError(item.source, value)
    record = merge_records([(offset, value) for offset, (_ok, value) in parts])
    if item.fields is not None:
        for ent in record["entities"]:
            ent["field"] = item.fields.field_at(ent["start"])
    return {"id": item.id, "text": item.text, **record}


def annotate_records(
    nlp,
    items: Iterable[InputDocument | InputError],
    batch_size: int = DEFAULT_BATCH_SIZE,
    n_process: int = 1,
    max_length: int | None = None,
) -> Iterator[dict | InputError]:
    """Annotate documents lazily, yielding per input, in input order, either
    its output record ``{"id", "text", "entities", "relations", ...}`` (as
    :func:`~extractor.output.doc_to_record` makes it; entities of registry
    records carry their ``field``) or an :class:`InputError` (passed through,
    or for a document the pipeline failed on).

    ``n_process > 1`` runs batches in that many worker processes (forked where
    the platform allows, so the pipeline is not copied by pickling)."""
    limit = max_length or nlp.max_length
    batches = _batches(items, limit, batch_size)
    parts: list[tuple[int, tuple[bool, Any]]] = []

    def emit(entries: list, results: list[tuple[bool, Any]]) -> Iterator[dict | InputError]:
        results_iter = iter(results)
        for entry in entries:
            if isinstance(entry, InputError):
                yield entry
                continue
            parts.append((entry.offset, next(results_iter)))
            if entry.last:
                yield _finish(entry.item, parts)
                parts.clear()

    def texts_of(entries: list) -> list[str]:
        return [e.text for e in entries if isinstance(e, _Piece)]

    def layouts_of(entries: list) -> list[list | None]:
        return [_piece_layout(e) for e in entries if isinstance(e, _Piece)]

    if n_process <= 1:
        for entries in batches:
            texts = texts_of(entries)
            yield from emit(entries, annotate_texts(nlp, texts, batch_size, layouts_of(entries)) if texts else [])
        return

    method = "fork" if "fork" in mp.get_all_start_methods() else None
    pool = mp.get_context(method).Pool(n_process, initializer=_init_worker, initargs=(nlp,))
    pending: deque = deque()
    try:
        for entries in batches:
            pending.append((entries, pool.apply_async(_work, (texts_of(entries), batch_size, layouts_of(entries)))))
            while len(pending) > 2 * n_process:
                entries, result = pending.popleft()
                yield from emit(entries, result.get())
        while pending:
            entries, result = pending.popleft()
            yield from emit(entries, result.get())
        pool.close()
    finally:
        pool.terminate()
        pool.join()


def select_documents(
    items: Iterable[InputDocument | InputError],
    is_done: Callable[[str], bool] | None = None,
    counts: Counter | None = None,
) -> Iterator[InputDocument | InputError]:
    """Turn a repeated document id into an error, so the output never holds
    two records of one id, then drop documents ``is_done`` says are already
    annotated (counted as ``counts["skipped"]``).  Duplicates are checked
    first, so a resumed run reports the same duplicates as a fresh one.
    Keeps the ids seen (a set of strings, the only state that grows)."""
    seen: set[str] = set()
    for item in items:
        if isinstance(item, InputDocument):
            if item.id in seen:
                yield InputError(item.source, f"duplicate document id {item.id!r} (an earlier input has it); skipped")
                continue
            seen.add(item.id)
            if is_done is not None and is_done(item.id):
                if counts is not None:
                    counts["skipped"] += 1
                continue
        yield item


def annotate_inputs(
    nlp,
    paths: Iterable[str | Path],
    batch_size: int = DEFAULT_BATCH_SIZE,
    n_process: int = 1,
    full: bool = False,
    is_done: Callable[[str], bool] | None = None,
    counts: Counter | None = None,
    exclude: Iterable[str | Path] = (),
) -> Iterator[dict | InputError]:
    """Read files and folders (see :mod:`extractor.inputs`) and annotate them."""
    items = select_documents(iter_inputs(paths, full=full, exclude=exclude), is_done, counts)
    return annotate_records(nlp, items, batch_size=batch_size, n_process=n_process)
