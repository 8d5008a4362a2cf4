"""Annotating inputs with a pipeline, in batches, as plain records."""

from __future__ import annotations

from itertools import islice
from pathlib import Path
from typing import Iterable, Iterator

from .inputs import InputDocument, InputError, iter_inputs
from .output import doc_to_record


def annotate_inputs(nlp, paths: Iterable[str | Path], batch_size: int = 32) -> Iterator[tuple]:
    """Yield ``(item, doc, record)`` per input; ``doc`` and ``record`` are None
    for an :class:`InputError` item.  Texts longer than ``nlp.max_length`` are
    reported as errors rather than dropped silently."""
    stream = iter_inputs(paths)
    while True:
        batch = list(islice(stream, batch_size))
        if not batch:
            return
        good: list[InputDocument] = []
        for item in batch:
            if isinstance(item, InputError):
                yield item, None, None
            elif len(item.text) > nlp.max_length:
                yield InputError(item.source, f"text of {len(item.text)} characters exceeds nlp.max_length"), None, None
            else:
                good.append(item)
        for item, doc in zip(good, nlp.pipe((d.text for d in good), batch_size=batch_size)):
            yield item, doc, doc_to_record(doc, item.id, item.fields)
