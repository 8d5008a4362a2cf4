"""Custom attributes the extractor sets, all prefixed ``extractor_`` and holding
plain data (strings, numbers, lists of dicts with character offsets), so docs
survive ``DocBin`` and multiprocessing.

Span attributes are stored by spaCy in ``doc.user_data`` keyed by character
offsets, so they are readable from any ``Span`` over the same characters
(``doc.ents`` creates new ``Span`` objects on each access).

The extractor's entities live in ``doc.spans["extractor_entities"]`` so that a
host pipeline's own ``doc.ents`` is left alone; components copy them into
``doc.ents`` only when configured with ``write_ents = true`` (the bundled
pipeline does, for displaCy and ``Doc.ents`` users).
"""

from __future__ import annotations

import bisect
import re
import weakref
from typing import Iterable

import numpy
from spacy.attrs import SENT_START
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

ENTITIES_KEY = "extractor_entities"
# a registry record's field layout: [[field name, start char, end char], ...]
FIELDS_KEY = "extractor_fields"

SPAN_ATTRIBUTES = ("normalized", "resolution", "confidence", "role", "field")
DOC_ATTRIBUTES = ("relations", "regimens", "endpoints")


_SPAN_NAMES = tuple(f"extractor_{name}" for name in SPAN_ATTRIBUTES)
_DOC_NAMES = tuple(f"extractor_{name}" for name in DOC_ATTRIBUTES)


def ensure_extensions() -> None:
    """Register the extension attributes once; called by each component."""
    for name in _SPAN_NAMES:
        if not Span.has_extension(name):
            Span.set_extension(name, default=None)
    for name in _DOC_NAMES:
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)


def set_span_data(span: Span, **values) -> None:
    ensure_extensions()
    # written where ``span._`` would write it (``doc.user_data`` under the
    # span's character offsets) without building the accessor, unless the
    # extension was re-registered with a setter
    user_data = span.doc.user_data
    start, end = span.start_char, span.end_char
    underscore = None
    for key, value in values.items():
        name = f"extractor_{key}"
        extension = Span.get_extension(name)  # (default, method, getter, setter)
        if extension is not None and extension[3] is None:
            user_data[("._.", name, start, end)] = value
        else:
            if underscore is None:
                underscore = span._
            setattr(underscore, name, value)


def span_data(span: Span) -> dict:
    ensure_extensions()
    underscore = span._
    return {key: getattr(underscore, name) for key, name in zip(SPAN_ATTRIBUTES, _SPAN_NAMES)}


def span_reader(doc: Doc, name: str):
    """A function giving ``span._.extractor_<name>`` for spans of ``doc``,
    read from ``doc.user_data`` where spaCy keeps it (by the span's character
    offsets) without building the ``span._`` accessor each time; through the
    accessor when the extension was re-registered with a getter or method."""
    ensure_extensions()
    attribute = f"extractor_{name}"
    default, method, getter, _setter = Span.get_extension(attribute)
    if getter is not None or method is not None or isinstance(default, (list, dict, set)):
        return lambda span: getattr(span._, attribute)
    get = doc.user_data.get
    return lambda span: get(("._.", attribute, span.start_char, span.end_char), default)


def get_entities(doc: Doc, labels: Iterable[str] | None = None) -> list[Span]:
    """The extractor's entities, sorted, optionally only those of ``labels``."""
    spans = list(doc.spans[ENTITIES_KEY]) if ENTITIES_KEY in doc.spans else []
    if labels is not None:
        wanted = set(labels)
        spans = [s for s in spans if s.label_ in wanted]
    return sorted(spans, key=lambda s: (s.start, s.end))


def set_entities(doc: Doc, spans: Iterable[Span], write_ents: bool = False) -> list[Span]:
    """Store non-overlapping ``spans`` as the extractor's entities.

    With ``write_ents`` they also replace the overlapping part of ``doc.ents``;
    the host's entities elsewhere are kept.
    """
    kept = sorted(filter_spans(list(spans)), key=lambda s: s.start)
    doc.spans[ENTITIES_KEY] = kept
    if write_ents:
        taken = set()
        for span in kept:
            taken.update(range(span.start, span.end))
        host = [e for e in doc.ents if not taken.intersection(range(e.start, e.end))]
        # what ``doc.ents = ...`` does, without first copying each span
        doc.set_ents(sorted(host + kept, key=lambda s: s.start), default="outside")
    return kept


# ``Doc.text`` joins the text of every token on each access (a ``Token``
# object per token): components ask for it through ``doc_text`` instead, which
# builds it once per ``Doc`` (a doc's text cannot change: retokenizing keeps it).
_TEXTS: "weakref.WeakKeyDictionary[Doc, str]" = weakref.WeakKeyDictionary()


def doc_text(doc: Doc) -> str:
    """``doc.text``, built once per ``Doc`` object (or not at all when the
    tokenizer that made the doc remembered its input, see
    :func:`remember_text`)."""
    text = _TEXTS.get(doc)
    if text is None:
        text = _TEXTS[doc] = doc.text
    return text


def remember_text(doc: Doc, text: str) -> None:
    """Record ``text`` as ``doc.text``: for a tokenizer, whose output doc
    spells its input exactly (spaCy's tokenization is non-destructive)."""
    _TEXTS[doc] = text


_NEWLINE = re.compile("\n")


class Lines:
    """Bounds of the lines of a text, found by bisection over its newline
    offsets: ``str.rfind("\\n", 0, char)`` scans back over the whole line on
    each call, quadratic over the mentions of one long line."""

    def __init__(self, text: str):
        self.length = len(text)
        self.newlines = [match.start() for match in _NEWLINE.finditer(text)]

    def start(self, char: int) -> int:
        """Offset of the first character of the line holding ``char`` (a
        newline at ``char`` ends that line)."""
        index = bisect.bisect_left(self.newlines, char)
        return self.newlines[index - 1] + 1 if index else 0

    def end(self, char: int) -> int:
        """Offset of the newline ending the line holding ``char`` (the
        text's length on the last line)."""
        index = bisect.bisect_left(self.newlines, char)
        return self.newlines[index] if index < len(self.newlines) else self.length


_LINES: "weakref.WeakKeyDictionary[Doc, Lines]" = weakref.WeakKeyDictionary()


def doc_lines(doc: Doc) -> Lines:
    """The :class:`Lines` of ``doc``'s text, built once per ``Doc`` object."""
    lines = _LINES.get(doc)
    if lines is None:
        lines = _LINES[doc] = Lines(doc_text(doc))
    return lines


def sentence_starts(doc: Doc) -> list[int] | None:
    """Token indices where the sentences of ``doc`` start (``0`` first), as
    ``Span.sent`` reads them; ``None`` when the doc has no sentence
    boundaries.  Use with :func:`sentence_bounds` instead of ``span.sent``,
    which walks the tokens and checks the whole doc's annotation each time."""
    if not doc.has_annotation("SENT_START"):
        return None
    flags = doc.to_array(SENT_START)
    return [0] + [int(i) + 1 for i in numpy.flatnonzero(flags[1:] == 1)]


def sentence_bounds(starts: list[int], n_tokens: int, start: int, end: int) -> tuple[int, int]:
    """Token range of ``doc[start:end].sent`` from :func:`sentence_starts`."""
    first = starts[bisect.bisect_right(starts, start) - 1]
    index = bisect.bisect_left(starts, end)
    return first, starts[index] if index < len(starts) else n_tokens


def set_fields(doc: Doc, fields: Iterable) -> Doc:
    """Tell the components which record field each part of the text is
    (``[(name, start, end), ...]`` or :class:`~extractor.records.FieldSpan`
    items): registry arm-group lines then name the regimens' arms."""
    doc.user_data[FIELDS_KEY] = [
        [f.name, f.start, f.end] if hasattr(f, "name") else [str(f[0]), int(f[1]), int(f[2])] for f in fields
    ]
    return doc


def get_fields(doc: Doc) -> list[list]:
    """The field layout :func:`set_fields` stored, or ``[]``."""
    return doc.user_data.get(FIELDS_KEY) or []
