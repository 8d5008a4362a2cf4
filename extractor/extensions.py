"""Custom attributes the extractor sets, all prefixed ``extractor_`` and holding
plain data (strings, numbers, lists of dicts with character offsets), so docs
survive ``DocBin`` and multiprocessing.

Span attributes are stored by spaCy in ``doc.user_data`` keyed by character
offsets, so they are readable from any ``Span`` over the same characters
(``doc.ents`` creates new ``Span`` objects on each access).
"""

from __future__ import annotations

from spacy.tokens import Doc, Span

SPAN_ATTRIBUTES = ("normalized", "resolution", "confidence", "role", "field")
DOC_ATTRIBUTES = ("relations", "regimens", "endpoints")


def ensure_extensions() -> None:
    """Register the extension attributes once; called by each component."""
    for name in SPAN_ATTRIBUTES:
        if not Span.has_extension(f"extractor_{name}"):
            Span.set_extension(f"extractor_{name}", default=None)
    for name in DOC_ATTRIBUTES:
        if not Doc.has_extension(f"extractor_{name}"):
            Doc.set_extension(f"extractor_{name}", default=None)


def set_span_data(span: Span, **values) -> None:
    ensure_extensions()
    for key, value in values.items():
        setattr(span._, f"extractor_{key}", value)


def span_data(span: Span) -> dict:
    ensure_extensions()
    return {key: getattr(span._, f"extractor_{key}") for key in SPAN_ATTRIBUTES}
