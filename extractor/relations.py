"""Regimen relations: attributes linked to drugs, time frames to endpoints.

Two steps:

1. Candidates.  Every DOSE, ROUTE, SCHEDULE or DURATION is paired with each
   DRUG or DRUG_CLASS mention of its section within ``max_distance`` tokens,
   every TIMEFRAME with each ENDPOINT of its section within that distance.
2. A learned scorer.  Each pair is described by binary features (direction,
   token distance, how many heads and same-label attributes lie between,
   same sentence / line / ``|`` item / paragraph / section, punctuation and
   coordination words between, whether the head heads a coordination
   ``A and B`` just before the attribute, whether the attribute's sentence
   names any drug, the section category, the head's label and role, and
   whether the first release's hand rules would link the pair) and
   scored by a logistic regression; a second logistic regression adds how
   the pair ranks against the other heads of its attribute (and the other
   same-label attributes of its head) under the first, and a pair is linked
   when its final probability is at least ``threshold``.  Pairs are
   scored independently, so one attribute links to every drug it is stated for (``atezolizumab and
   bevacizumab will be administered every 21 days`` gives two Schedule-Drug
   links) and a drugless sentence (``Courses repeat every 21 days``) can link
   to the drugs of its paragraph.

Two layout rules override the scorer where the layout leaves no doubt: in ``Atezolizumab`` / ``Given IV`` intervention lists the attribute
belongs to the drug on the line above, and in list items ``* Bevacizumab:
15mg/kg every 3 weeks`` the attributes of the line belong to the drug that
opens it when the rest of the line names no drug (all 6 such items of the
train split agree).

The model is a JSON file (``relations.json``: feature -> weight, bias,
threshold; no pickle) trained on the ``train`` split with gold entities by
``tools/train_relations.py``.  ``initialize`` reads the copy bundled with the
package (``extractor/models``, mapped from the repository's ``models/``
folder), ``to_disk``/``from_disk`` write and read it next to the pipeline.

Output: ``doc._.extractor_relations``, a list of ``{"label", "arg1": [start,
end], "arg2": [start, end], "score"}`` with character offsets (plain data);
``arg1`` is the attribute, ``arg2`` the drug or endpoint.
"""

import bisect
import functools
import json
import math
import re
from importlib import resources
from itertools import repeat
from pathlib import Path
from typing import Iterable, Optional

import numpy
from spacy.attrs import IS_SPACE, LOWER
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import ensure_path

from .extensions import Lines, doc_lines, doc_text, ensure_extensions, get_entities, sentence_bounds, sentence_starts
from .resources import read_data
from .schema import RELATION_FOR_ATTRIBUTE
from .sections import SPANS_KEY as SECTIONS_KEY

MODEL_FILE = "relations.json"
MODEL_FORMAT = "extractor-relations-logreg-v1"
DRUG_LABELS = ("DRUG", "DRUG_CLASS")
DRUG_ATTRIBUTES = ("DOSE", "ROUTE", "SCHEDULE", "DURATION")
COORDINATORS = frozenset(
    {"and", "or", "plus", "+", ",", "/", "with", "&", "in", "combination", "combined", "together", "followed",
     "by", "then", "and/or", "-", "(", ")", ";"}
)
CUE_WORDS = frozenset(
    {"and", "or", "plus", "+", "with", "followed", "then", "versus", "vs", "vs.", "arm", "group", "cohort",
     "of", "at", "every", "for", "on", "in", "after", "before", "than", "from", "to", "receive", "receives",
     "received", "given", "administered", "daily", "dose", "placebo", "combination", "each", "cycle", "cycles",
     "courses", "repeat", "until", "alone", "or", "either"}
)
# the coordination words counted between far-apart pairs
_FAR_CUE_WORDS = frozenset({"and", "or", "plus", "followed", "then", "versus", "vs"}) & CUE_WORDS
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*(?=\n)|\n(?=\S)")
_TIME_FRAME_LINE = re.compile(r"\s*time ?frame\s*:\s*", re.IGNORECASE)  # a whole line up to a time frame
_OUTCOME_HEADER = re.compile(r"Outcome Measurement:", re.IGNORECASE)
_GIVEN_LINE = re.compile(r"\s*Given\s*")
_PIPE = re.compile(r"\|")
REPORT_OUTCOME_DISTANCE = 600


def _line_before_is(pattern: re.Pattern, text: str, lines: Lines, char: int) -> bool:
    """The line holding ``char``, up to ``char``, is all ``pattern`` (matched
    in place: one long line is not copied per mention)."""
    return pattern.fullmatch(text, lines.start(char), char) is not None


def model_path():
    """The model bundled with the package."""
    return resources.files("extractor.models").joinpath(MODEL_FILE)


def _bucket(value: int, edges: Iterable[int]) -> str:
    for edge in edges:
        if value <= edge:
            return f"<={edge}"
    return f">{edge}"


class _DocContext:
    """Per-document lookups shared by the features of all pairs."""

    def __init__(self, doc: Doc, ents: list[Span]):
        self.doc = doc
        self.ents = ents
        self.text = text = doc_text(doc)
        self.lines = doc_lines(doc)
        self.newlines = self.lines.newlines
        self.pipes = [m.start() for m in _PIPE.finditer(text)]
        self.paragraph_breaks = [m.start() for m in _PARAGRAPH_BREAK.finditer(text)]
        self.sentence_starts = sentence_starts(doc)
        self.sent_of = [0] * len(doc)
        if self.sentence_starts is not None:
            bounds = self.sentence_starts + [len(doc)]
            sent_of = []
            for index in range(len(self.sentence_starts)):
                sent_of.extend(repeat(index, bounds[index + 1] - bounds[index]))
            self.sent_of = sent_of
        self.section_of = [None] * len(doc)
        self.section_index = [-1] * len(doc)
        for index, section in enumerate(doc.spans.get(SECTIONS_KEY, [])):
            start, end, label = section.start, section.end, section.label_
            self.section_of[start:end] = repeat(label, end - start)
            self.section_index[start:end] = repeat(index, end - start)
        # lowercase forms of the tokens, None for whitespace tokens
        self.lowers = _lowers(doc)
        self.labelled = [(e, e.label_) for e in ents]
        self.starts = [e.start for e in ents]
        self.names = {}
        self.roles = {}
        self._drugless_ends = None
        self.rule_links = rule_links(doc, ents, self.sentence_starts, text, self.lowers)
        # sorted like the entities (callers may pass them in any order); the
        # layout rules bisect over their token and character starts
        self.heads = sorted((e for e in ents if e.label_ in DRUG_LABELS), key=lambda h: (h.start, h.end))
        self.head_chars = [h.start_char for h in self.heads]
        self.endpoints = [e for e in ents if e.label_ == "ENDPOINT"]
        self.sent_has_head = set(self.sent_of[h.start] for h in self.heads)
        # sentence -> smallest end of a head starting in it
        self.first_head_end: dict[int, int] = {}
        for h in self.heads:
            sentence = self.sent_of[h.start]
            if h.end < self.first_head_end.get(sentence, h.end + 1):
                self.first_head_end[sentence] = h.end
        self.texts: dict[tuple[int, int], str] = {}
        self.sent_has_head_sorted = sorted(self.sent_has_head)
        self.lines_with_head = {self.line_of(h.start_char) for h in self.heads}
        self.head_starts = [h.start for h in self.heads]
        self._line_texts: dict[int, str] = {}
        self._bare_lines: dict[int, str] = {}
        self._head_facts: dict[tuple[int, int], tuple] = {}

    @functools.cached_property
    def codes(self) -> str:
        """The relation tables' one-character-per-token codes of the document."""
        return _tables().codes(self.lowers)

    def head_between(self, start_char: int, end_char: int) -> bool:
        """Whether a drug or class mention starts in ``[start_char, end_char)``."""
        return bisect.bisect_left(self.head_chars, start_char) < bisect.bisect_left(self.head_chars, end_char)

    def previous_drugless_end(self, attr: Span) -> int:
        """End of the previous attribute of ``attr``'s label in a sentence without
        a drug (0 when none): "Courses repeat every 21 days" closes a block."""
        if self._drugless_ends is None:
            self._drugless_ends = {}
            for e in self.ents:
                if e.label_ != "TIMEFRAME" and e.label_ not in DRUG_LABELS and self.sent_of[e.start] not in self.sent_has_head:
                    self._drugless_ends.setdefault(e.label_, []).append((e.start_char, e.end_char))
        ends = self._drugless_ends.get(attr.label_, [])
        # entities do not overlap, so their ends are sorted like their starts
        index = bisect.bisect_right(ends, attr.start_char, key=lambda pair: pair[1])
        return ends[index - 1][1] if index else 0

    def role(self, span: Span) -> str | None:
        key = (span.start, span.end)
        if key not in self.roles:
            self.roles[key] = _role(span)
        return self.roles[key]

    def span_text(self, span: Span) -> str:
        """``span.text``: the doc's text between its first and last characters."""
        key = (span.start, span.end)
        if key not in self.texts:
            self.texts[key] = self.text[span.start_char:span.end_char]
        return self.texts[key]

    def coordinated(self, start: int, end: int) -> bool:
        """Every token of ``doc[start:end]`` is a coordinator or whitespace."""
        lowers = self.lowers
        return all(lowers[i] is None or lowers[i] in COORDINATORS for i in range(start, end))

    def head_facts(self, head: Span) -> tuple:
        """What the features of a drug head say of it alone, once per head:
        its role feature, whether it is an acronym, ``named_again=...`` when
        a colon follows it (else ``None``), whether it is alone on its line,
        and its name."""
        key = (head.start, head.end)
        facts = self._head_facts.get(key)
        if facts is None:
            head_text = self.span_text(head)
            colon = head.end < len(self.doc) and self.lowers[head.end] == ":"
            facts = self._head_facts[key] = (
                f"role={self.role(head)}",
                head.label_ == "DRUG" and len(head_text) <= 6 and head_text.isupper(),
                f"named_again={self.named_again_on_line(head)}" if colon else None,
                self.bare_line(head.start_char) == head_text.lower(),
                self.name(head),
            )
        return facts

    def name(self, span: Span) -> str:
        key = (span.start, span.end)
        if key not in self.names:
            self.names[key] = _name(span)
        return self.names[key]

    def line_of(self, char: int) -> int:
        return bisect.bisect_left(self.newlines, char)

    def line_text(self, char: int) -> str:
        """The text of the line holding ``char`` (cached: one long line would
        otherwise be copied for every pair)."""
        line = self.line_of(char)
        if line not in self._line_texts:
            self._line_texts[line] = self.text[self.lines.start(char):self.lines.end(char)]
        return self._line_texts[line]

    def bare_line(self, char: int) -> str:
        """The line holding ``char``, lowercase, without list marks around it."""
        line = self.line_of(char)
        if line not in self._bare_lines:
            self._bare_lines[line] = self.line_text(char).strip(" \t*-:•").lower()
        return self._bare_lines[line]

    def previous_head_sentence(self, sentence: int) -> int | None:
        """The last sentence before ``sentence`` that names a head."""
        index = bisect.bisect_left(self.sent_has_head_sorted, sentence)
        return self.sent_has_head_sorted[index - 1] if index else None

    def named_again_on_line(self, head: Span) -> bool:
        """A later head on ``head``'s line has the same name."""
        line, name = self.line_of(head.start_char), self.name(head)
        for index in range(bisect.bisect_right(self.head_starts, head.end - 1), len(self.heads)):
            other = self.heads[index]
            if self.line_of(other.start_char) != line:
                return False
            if other.start > head.end and self.name(other) == name:
                return True
        return False


# string of each LOWER hash seen (a hash names one string in every vocab);
# 0 stands for a whitespace token
_LOWER_STRINGS: dict[int, str | None] = {0: None}


def _lowers(doc: Doc) -> list[str | None]:
    """``[None if t.is_space else t.lower_ for t in doc]`` from two attribute
    arrays, without making a ``Token`` per token."""
    if not len(doc):
        return []
    array = doc.to_array([LOWER, IS_SPACE])
    ids = numpy.where(array[:, 1] != 0, 0, array[:, 0])
    try:
        return list(map(_LOWER_STRINGS.__getitem__, ids.tolist()))
    except KeyError:
        pass
    if len(_LOWER_STRINGS) > 200_000:
        _LOWER_STRINGS.clear()
        _LOWER_STRINGS[0] = None
    strings = doc.vocab.strings
    # the distinct hashes, found in C (a Python set of every token's hash
    # cost twice as much)
    for key in numpy.unique(ids).tolist():
        if key not in _LOWER_STRINGS:
            _LOWER_STRINGS[key] = strings[key]
    return list(map(_LOWER_STRINGS.__getitem__, ids.tolist()))


def _role(span: Span) -> str | None:
    return getattr(span._, "extractor_role", None)


def _name(span: Span) -> str:
    return (getattr(span._, "extractor_normalized", None) or span.text).lower()


def pair_features(ctx: _DocContext, attr: Span, head: Span) -> list[str]:
    """Binary features of one (attribute, head) candidate pair, as training
    sees them: each feature of :func:`_fast_parts` once prefixed with the
    attribute's label and once plain (the plain bias is the model's own)."""
    feats = _fast_features(ctx, _tables(), ctx.codes, attr, head, attr.label_)
    prefix = attr.label_ + "|"
    return [prefix + f for f in feats] + [f for f in feats if f != "bias"]


def rule_links(doc: Doc, ents: list[Span], starts: list[int] | None = None,
               text: str | None = None, lowers: list | None = None) -> set[tuple[int, int, int, int]]:
    """The first release's hand rules, kept as one feature of the scorer:
    (attribute start, end, head start, end) token offsets they would link.

    A drug attribute goes to the nearest drug before it in its sentence (a
    SCHEDULE or DURATION to the whole coordination ``A and B`` ending there),
    else to a drug right after it; in a sentence without a drug, a SCHEDULE or
    DURATION goes to the study drugs of the 120 tokens before it in its
    section; a TIMEFRAME goes to the endpoints of its line item or sentence."""
    text = doc_text(doc) if text is None else text
    starts = sentence_starts(doc) if starts is None else starts
    lowers = _lowers(doc) if lowers is None else lowers
    sections = list(doc.spans.get(SECTIONS_KEY, []))
    heads = [e for e in ents if e.label_ in DRUG_LABELS]
    endpoints = [e for e in ents if e.label_ == "ENDPOINT"]
    endpoint_chars = [e.start_char for e in endpoints]
    endpoint_starts = [e.start for e in endpoints]
    head_starts = [h.start for h in heads]
    links = set()
    lines = pipes = None
    for ent in ents:
        if ent.label_ not in RELATION_FOR_ATTRIBUTE:
            continue
        sent = sentence_bounds(starts, len(doc), ent.start, ent.end) if starts is not None else (0, len(doc))
        if ent.label_ == "TIMEFRAME":
            if pipes is None:
                lines, pipes = doc_lines(doc), [m.start() for m in _PIPE.finditer(text)]
            before = bisect.bisect_left(pipes, ent.start_char)
            line_start = max(lines.start(ent.start_char), pipes[before - 1] + 1 if before else 0)
            found = _in_range(endpoints, endpoint_chars, line_start, ent.start_char)
            if not found:
                found = _in_range(endpoints, endpoint_starts, *sent)
        else:
            found = _rule_drugs(lowers, ent, sent, heads, sections, head_starts)
        links.update((ent.start, ent.end, h.start, h.end) for h in found)
    return links


def _in_range(spans: list[Span], keys: list[int], low: int, high: int) -> list[Span]:
    """The ``spans`` whose sorted ``keys`` lie in ``[low, high)``, in order."""
    return spans[bisect.bisect_left(keys, low):bisect.bisect_left(keys, high)]


def _rule_drugs(lowers, ent, sent, heads, sections, head_starts=None) -> list[Span]:
    """``sent``: the (start, end) tokens of ``ent``'s sentence; ``lowers``:
    :func:`_lowers` of the doc."""
    head_starts = [d.start for d in heads] if head_starts is None else head_starts
    drugs = _in_range(heads, head_starts, *sent)
    if not drugs:
        if ent.label_ not in ("SCHEDULE", "DURATION"):
            return []
        section = next((s for s in sections if s.start <= ent.start < s.end), None)
        if section is None or section.label_ not in ("arms", "outline", "interventions", "description", "summary"):
            return []
        window_start = max(section.start, ent.start - 120)
        return [d for d in _in_range(heads, head_starts, window_start, ent.start) if _role(d) != "other"]
    before = [d for d in drugs if d.end <= ent.start and ent.start - d.end <= 40]
    if before:
        nearest = before[-1]
        group = [nearest]
        index = drugs.index(nearest)
        while index > 0:
            previous = drugs[index - 1]
            between = lowers[previous.end:group[0].start]
            if len(between) <= 3 and all(w is None or w in COORDINATORS for w in between):
                group.insert(0, previous)
                index -= 1
            else:
                break
        if ent.label_ in ("DOSE", "ROUTE"):
            return [nearest]
        return group
    return [d for d in drugs if d.start >= ent.end and d.start - ent.end <= 6][:1]


def stage_two_features(pairs: list[tuple[Span, Span]], probabilities: list[float]) -> list[list[str]]:
    """Features of each pair relative to its competitors, from first-stage probabilities:
    its rank among the heads of its attribute, and its attribute's rank among
    the same-label attributes of its head."""
    by_attr: dict[tuple, list[int]] = {}
    by_head: dict[tuple, list[int]] = {}
    for index, (attr, head) in enumerate(pairs):
        by_attr.setdefault((attr.start, attr.end), []).append(index)
        by_head.setdefault((head.start, head.end, attr.label_), []).append(index)
    result = []
    for index, (attr, head) in enumerate(pairs):
        p = probabilities[index]
        rivals = sorted((probabilities[i] for i in by_attr[(attr.start, attr.end)] if i != index), reverse=True)
        attr_rank = sum(1 for q in rivals if q > p)
        best_rival = rivals[0] if rivals else 0.0
        others = sorted(
            (probabilities[i] for i in by_head[(head.start, head.end, attr.label_)] if i != index), reverse=True
        )
        head_rank = sum(1 for q in others if q > p)
        label = attr.label_
        feats = [
            f"s2|p={_bucket(int(p * 10), (0, 1, 2, 3, 4, 5, 6, 7, 8, 9))}",
            f"s2|attr_rank={min(attr_rank, 3)}",
            f"s2|head_rank={min(head_rank, 3)}",
            f"s2|gap={_bucket(int((p - best_rival) * 10), (-6, -3, -1, 0, 1, 3, 6))}",
            f"s2|rivals_above_half={min(sum(1 for q in rivals if q >= 0.5), 3)}",
        ]
        result.append([f"{label}|{f}" for f in feats] + feats)
    return result


def _share_drugless_timing(ctx: "_DocContext", scored: list, threshold: float, given: dict) -> list:
    """A DURATION in a sentence without a drug (``Courses repeat every 21
    days for 4 courses``) that the model links to a drug of an earlier
    sentence links to every drug of that sentence (the guide: it is stated
    for the drugs of its paragraph), not to some of them."""
    sent_of = ctx.sent_of
    linked_sentences: dict[tuple[int, int], set[int]] = {}
    for attr, head, probability in scored:
        # (schedules too cost Schedule-Drug F1 on train and dev: annotators link
        # a drugless schedule to fewer drugs than the guide's rule would)
        if (attr.label_ == "DURATION" and probability >= threshold
                and (attr.start, attr.end) not in given and sent_of[attr.start] not in ctx.sent_has_head):
            linked_sentences.setdefault((attr.start, attr.end), set()).add(sent_of[head.start])
    if not linked_sentences:
        return scored
    shared = []
    for attr, head, probability in scored:
        if probability < threshold and head.label_ == "DRUG" and sent_of[head.start] in linked_sentences.get(
                (attr.start, attr.end), ()):
            probability = threshold
        shared.append((attr, head, probability))
    return shared


_BLANK_LINE = re.compile(r"\n[ \t\r]*\n")


def _share_cycle_schedule(ctx: "_DocContext", scored: list, threshold: float, given: dict) -> list:
    """A SCHEDULE in a sentence without a drug that also states a DURATION
    (``Courses repeat every 21 days for 4 courses``) is stated for the same
    drugs of its paragraph as that duration: the guide links both to every
    drug of the paragraph. Only the drugs the duration is linked to get the
    schedule (never across a blank line), so
    a drugless schedule alone (which annotators link to fewer drugs) is left
    to the model."""
    sent_of = ctx.sent_of
    duration_heads: dict[int, set[tuple[int, int]]] = {}
    for attr, head, probability in scored:
        if (attr.label_ == "DURATION" and probability >= threshold and (attr.start, attr.end) not in given
                and sent_of[attr.start] not in ctx.sent_has_head):
            duration_heads.setdefault(sent_of[attr.start], set()).add((head.start, head.end))
    if not duration_heads:
        return scored
    shared = []
    for attr, head, probability in scored:
        if (probability < threshold and attr.label_ == "SCHEDULE" and (attr.start, attr.end) not in given
                and (head.start, head.end) in duration_heads.get(sent_of[attr.start], ())
                and not _BLANK_LINE.search(ctx.text, head.end_char, attr.start_char)):
            probability = threshold
        shared.append((attr, head, probability))
    return shared


def _fill_drugless_gaps(ctx: "_DocContext", scored: list, threshold: float, given: dict) -> list:
    """A SCHEDULE or DURATION in a sentence without a drug (``Courses repeat
    every 21 days``, ``* Treatment continues ... up to 24 months``) that the
    model links to two or more drugs of its section also links to the study
    drugs between them: the guide links such a sentence to every drug of its
    paragraph or arm, and a skipped mention in the middle of the linked ones
    is a scorer miss, not a convention."""
    sent_of = ctx.sent_of
    linked: dict[tuple[int, int], list[int]] = {}
    for attr, head, probability in scored:
        key = (attr.start, attr.end)
        if (attr.label_ in ("SCHEDULE", "DURATION") and probability >= threshold and key not in given
                and sent_of[attr.start] not in ctx.sent_has_head):
            linked.setdefault(key, []).append(head.start)
    spans = {key: (min(starts), max(starts)) for key, starts in linked.items() if len(starts) > 1}
    if not spans:
        return scored
    filled = []
    for attr, head, probability in scored:
        bounds = spans.get((attr.start, attr.end))
        if (probability < threshold and bounds is not None and bounds[0] < head.start < bounds[1]
                and ctx.section_index[head.start] == ctx.section_index[attr.start] and ctx.role(head) != "other"):
            probability = threshold
        filled.append((attr, head, probability))
    return filled


def _phrases(items: Iterable[str]) -> str:
    """An alternation of ``items``, longest first, any whitespace run between
    their words (registry text wraps lines inside phrases)."""
    return "|".join(r"\s+".join(re.escape(w) for w in item.split()) for item in sorted(items, key=len, reverse=True))


@functools.lru_cache(maxsize=1)
def _phase_pattern() -> "re.Pattern":
    """``<duration> of intensification therapy``: a duration followed by the
    treatment phase it counts (words from data/relation_phases.json)."""
    data = read_data("relation_phases.json")
    phases = "|".join(re.escape(p) for p in sorted(data["phases"], key=len, reverse=True))
    nouns = "|".join(re.escape(n) for n in data["nouns"])
    return re.compile(rf"\s*(?:of|in|during)\s+(?:the\s+|an?\s+)?(?P<phase>{phases})\s+(?:{nouns})\b", re.IGNORECASE)


def _phase_own_timing(ctx: "_DocContext", scored: list, threshold: float, given: dict) -> list:
    """A sentence without a drug that counts the courses or time of a named
    treatment phase (``Patients who achieve remission after induction therapy
    receive 2 courses of intensification therapy, for approximately 4
    months. During the first course, patients receive cytarabine ...``)
    states the length of that phase: when the model links its durations to
    drugs of a later sentence (the phase's own drugs), they do not also link
    to the drugs of an earlier sentence (the induction drugs) unless that
    sentence names the same phase. With no later drugs (``receive a second
    28 day course of consolidation therapy``) the earlier drugs keep it. The guide links an attribute to the mentions it is
    stated for, in the arm or outline paragraph it belongs to."""
    sent_of = ctx.sent_of
    pattern = _phase_pattern()
    text = ctx.text
    phase_of: dict[int, str] = {}
    for attr, head, probability in scored:
        sentence = sent_of[attr.start]
        if (attr.label_ == "DURATION" and sentence not in ctx.sent_has_head and sentence not in phase_of
                and (attr.start, attr.end) not in given):
            found = pattern.match(text, attr.end_char)
            if found:
                phase_of[sentence] = found.group("phase").lower()
    if not phase_of:
        return scored
    starts = ctx.sentence_starts or [0]
    bounds = starts + [len(ctx.doc)]

    def names_phase(sentence: int, phase: str) -> bool:
        span = ctx.doc[bounds[sentence]:bounds[sentence + 1]]
        return re.search(rf"\b{re.escape(phase)}\b", text[span.start_char:span.end_char], re.IGNORECASE) is not None

    later: set[tuple[int, int]] = set()  # durations also linked to drugs of a later sentence (the phase's own)
    for attr, head, probability in scored:
        if (probability >= threshold and sent_of[attr.start] in phase_of and attr.label_ == "DURATION"
                and sent_of[head.start] > sent_of[attr.start]):
            later.add((attr.start, attr.end))
    result = []
    for attr, head, probability in scored:
        phase = phase_of.get(sent_of[attr.start])
        if (phase is not None and attr.label_ == "DURATION" and probability >= threshold
                and (attr.start, attr.end) in later and sent_of[head.start] < sent_of[attr.start]
                and not names_phase(sent_of[head.start], phase)):
            probability = min(probability, threshold / 2)
        result.append((attr, head, probability))
    return result


@functools.lru_cache(maxsize=1)
def _next_phase_pattern() -> "re.Pattern":
    data = read_data("relation_phases.json")
    return re.compile(rf"\b(?:{_phrases(data['next_phase'])})\s+(?:(?:a|an|another)\s+)?$", re.IGNORECASE)


def _next_phase_timing(ctx: "_DocContext", scored: list, threshold: float, given: dict) -> list:
    """A drug linked to a duration of its own (``vardenafil or placebo for 4
    weeks``) does not also get a later duration of its sentence written after
    ``followed by`` (``... followed by an 8 week period when the dose of
    vardenafil may be reduced``, ``... followed by 13 weeks of
    observation``): that duration is the next phase's, stated for what is
    given in it, not a second length of the first phase. Only a duration
    right after the cue: ``followed by 32 mg/day for 4 weeks`` or ``followed
    by maintenance for 22 weeks`` continue the drug and keep their links."""
    sent_of = ctx.sent_of
    own: dict[tuple[int, int], list[Span]] = {}
    for attr, head, probability in scored:
        if attr.label_ == "DURATION" and probability >= threshold and head.end <= attr.start:
            own.setdefault((head.start, head.end), []).append(attr)
    if not any(len(durations) > 1 for durations in own.values()):
        return scored
    pattern = _next_phase_pattern()
    text = ctx.text
    result = []
    for attr, head, probability in scored:
        if (attr.label_ == "DURATION" and probability >= threshold and (attr.start, attr.end) not in given
                and head.end <= attr.start and sent_of[head.start] == sent_of[attr.start]
                and pattern.search(text, max(0, attr.start_char - 40), attr.start_char)
                and any(head.end <= first.start and first.end <= attr.start
                        for first in own.get((head.start, head.end), ()))):
            probability = min(probability, threshold / 2)
        result.append((attr, head, probability))
    return result


_COORDINATION_GAP = re.compile(r"[\s,]*(?:(?P<word>and\s*/\s*or|and|or|plus)\s+|(?P<slash>/))?")
_GAP_FILLERS = re.compile(
    r"\([^()]{0,60}\)|\bover\s+(?:a\s+)?\d+(?:\.\d+)?(?:\s*(?:-|to)\s*\d+(?:\.\d+)?)?\s*-?\s*(?:minutes?|mins?|hours?|hrs?|h)\b",
    re.IGNORECASE)
_SHARED_AFTER_COORDINATION = ("SCHEDULE", "DURATION", "ROUTE")
_COORDINATION_STEPS = 12  # drugs followed along one coordination


def _coordination_gap(ctx: "_DocContext", left: Span, right: Span, ents: list[Span],
                      ent_starts: list[int]) -> tuple[set[str], str] | None:
    """The attribute labels between two drugs joined only by a comma or a
    conjunction (``cytarabine IV over 3 hours, and oral thioguanine``) and the
    conjunction, or None when something else stands between them. ``ents``
    are sorted by their start character, ``ent_starts`` their starts."""
    text = ctx.text
    start, end = left.end_char, right.start_char
    if end - start > 160:
        return None
    chars = list(text[start:end])
    labels = set()
    for index in range(bisect.bisect_left(ent_starts, start), bisect.bisect_left(ent_starts, end)):
        ent = ents[index]
        if ent.end_char > end:
            return None
        if ent.label_ in DRUG_LABELS:
            # a parenthesised short form (``trastuzumab (Herceptin)``) is removed with its brackets below
            if not (text.rfind("(", start, ent.start_char) > text.rfind(")", start, ent.start_char)):
                return None
        else:
            labels.add(ent.label_)
        chars[ent.start_char - start:ent.end_char - start] = " " * (ent.end_char - ent.start_char)
    joined = _COORDINATION_GAP.fullmatch(_GAP_FILLERS.sub(" ", "".join(chars)))
    if joined is None or (joined.group("word") is None and not joined.group("slash") and "," not in joined.group(0)):
        return None  # adjacent mentions (``4mg IV Zoledronic acid``) are not a coordination
    return labels, re.sub(r"\s+", "", (joined.group("word") or ",").lower())


def _own_attribute(attr: Span, joined: tuple[set[str], str] | None) -> bool:
    """Whether the earlier of two coordinated drugs states its own attribute
    of ``attr``'s kind (None: not a coordination). A duration stays with the
    schedule it ends unless the drugs are alternatives (``and/or``, ``or``)."""
    if joined is None:
        return True
    labels, word = joined
    if attr.label_ in labels:
        return True
    return attr.label_ == "DURATION" and "SCHEDULE" in labels and word not in ("or", "and/or")


def _share_after_coordination(ctx: "_DocContext", scored: list, threshold: float, given: dict) -> list:
    """A schedule, duration or route after the last of coordinated drugs
    (``cytarabine IV, hydrocortisone IT, and methotrexate IT on days 0, 7,
    and 14``; ``AZT every 4 hours and/or SMX/TMP every 8 hours by mouth for 4
    days``) that the model links to that last drug also holds for the drugs
    before it in the coordination that state no attribute of that label of
    their own. A duration stays with the schedule it ends (``3TC twice daily
    plus Viramune once daily for 2 weeks``) unless the drugs are
    alternatives (``and/or``, ``or``); a route written before the next drug
    (``oral calcineurin inhibitors``) is that drug's."""
    sent_of = ctx.sent_of
    heads = ctx.heads
    head_chars = ctx.head_chars
    position = {(h.start, h.end): i for i, h in enumerate(heads)}
    ents: list[Span] | None = None
    ent_starts: list[int] = []
    extra: set[tuple[int, int, int]] = set()
    for attr, head, probability in scored:
        if (attr.label_ not in _SHARED_AFTER_COORDINATION or probability < threshold
                or (attr.start, attr.end) in given or head.end > attr.start
                or sent_of[head.start] != sent_of[attr.start]):
            continue
        index = position.get((head.start, head.end))
        if index is None:
            continue
        if attr.label_ == "ROUTE":
            after = bisect.bisect_left(head_chars, attr.end_char)
            if after < len(heads) and head_chars[after] - attr.end_char <= 2:
                continue  # ``oral calcineurin inhibitors``: the route of the next drug
        if ents is None:
            ents = sorted(ctx.ents, key=lambda e: e.start_char)
            ent_starts = [e.start_char for e in ents]
        last = index  # later drugs joined to the linked one before the attribute (``SMX/TMP ... by mouth``)
        while (last + 1 < len(heads) and last - index < _COORDINATION_STEPS and heads[last + 1].start >= heads[last].end
               and heads[last + 1].end <= attr.start):
            if _own_attribute(attr, _coordination_gap(ctx, heads[last], heads[last + 1], ents, ent_starts)):
                break
            last += 1
        if last + 1 < len(heads) and heads[last + 1].start >= heads[last].end and heads[last + 1].end <= attr.start:
            continue  # the attribute follows a later drug
        for later in heads[index + 1:last + 1]:
            if ctx.role(later) == ctx.role(head):
                extra.add((attr.start, attr.end, later.start))
        right, first = head, index
        while index > 0 and first - index < _COORDINATION_STEPS:
            left = heads[index - 1]
            if sent_of[left.start] != sent_of[head.start]:
                break
            joined = _coordination_gap(ctx, left, right, ents, ent_starts)
            if joined is None:
                break
            if not _own_attribute(attr, joined) and ctx.role(left) == ctx.role(head):
                extra.add((attr.start, attr.end, left.start))
            right, index = left, index - 1
    if not extra:
        return scored
    return [(attr, head, threshold if probability < threshold and (attr.start, attr.end, head.start) in extra
             else probability) for attr, head, probability in scored]


_SLASH_DOSE = re.compile(r"\d(?:\.\d+)?\s*/\s*\d")
_SLASH_JOIN = re.compile(r"\s*(?:/|\(\+\)|\+)\s*")


def _share_slash_doses(ctx: "_DocContext", scored: list, threshold: float, given: dict) -> list:
    """A dose written as one amount per drug (``ezetimibe/simvastatin
    10/40mg``) that the model links to the last of drugs joined by a slash or
    a plus also links to the drugs joined before it, as many as the dose has
    amounts."""
    text = ctx.text
    heads = ctx.heads
    position = {(h.start, h.end): i for i, h in enumerate(heads)}
    extra: set[tuple[int, int, int]] = set()
    for attr, head, probability in scored:
        if attr.label_ != "DOSE" or probability < threshold or (attr.start, attr.end) in given:
            continue
        amounts = text[attr.start_char:attr.end_char]
        if not _SLASH_DOSE.search(amounts):
            continue
        index = position.get((head.start, head.end))
        wanted = amounts.count("/") - (1 if re.search(r"/\s*(?:kg|m\^?2|m²|dose)", amounts, re.IGNORECASE) else 0)
        while index and wanted > 0:
            left = heads[index - 1]
            if not _SLASH_JOIN.fullmatch(text, left.end_char, heads[index].start_char):
                break
            extra.add((attr.start, attr.end, left.start))
            index, wanted = index - 1, wanted - 1
    if not extra:
        return scored
    return [(attr, head, threshold if probability < threshold and (attr.start, attr.end, head.start) in extra
             else probability) for attr, head, probability in scored]


def _own_paragraph_drugs(ctx: "_DocContext", scored: list, threshold: float, given: dict) -> list:
    """An attribute in a sentence without a drug (``Treatment repeats every
    3-4 weeks for 4 courses.``) whose paragraph names drugs before it links
    to the drugs of its paragraph, not to those of an earlier paragraph (the
    guide: it is stated for the drugs of its paragraph; in the train and dev
    splits 3 of 232 such attributes link back past a blank line)."""
    text = ctx.text
    sent_of = ctx.sent_of
    result = []
    for attr, head, probability in scored:
        if (probability >= threshold and attr.label_ in DRUG_ATTRIBUTES and head.end <= attr.start
                and sent_of[attr.start] not in ctx.sent_has_head and (attr.start, attr.end) not in given):
            breaks = list(_BLANK_LINE.finditer(text, head.end_char, attr.start_char))
            if breaks and ctx.head_between(breaks[-1].end(), attr.start_char):
                probability = min(probability, threshold / 2)
        result.append((attr, head, probability))
    return result


def _single_head_sentence_before(ctx: "_DocContext", scored: list, threshold: float, given: dict) -> list:
    """A drug attribute in a sentence without a drug right after a sentence
    naming exactly one drug or class, with no blank line between (``Patients
    receive atezolizumab IV every 3 weeks. Treatment continues until disease
    progression or up to 24 months.``), is stated for that drug: the guide's
    example, and in the train split 58 of 64 such attributes link to it
    (DURATION 19 of 21, SCHEDULE 21 of 25, DOSE 14 of 14, ROUTE 4 of 4)."""
    starts = ctx.sentence_starts
    if not starts:
        return scored
    sent_of = ctx.sent_of
    head_starts = ctx.head_starts
    result = []
    for attr, head, probability in scored:
        if (probability < threshold and attr.label_ in DRUG_ATTRIBUTES and head.end <= attr.start
                and (attr.start, attr.end) not in given):
            sentence = sent_of[attr.start]
            if (sentence > 0 and sentence not in ctx.sent_has_head and sent_of[head.start] == sentence - 1
                    and not _BLANK_LINE.search(ctx.text, head.end_char, attr.start_char)):
                end = starts[sentence]
                count = bisect.bisect_left(head_starts, end) - bisect.bisect_left(head_starts, starts[sentence - 1])
                if count == 1:
                    probability = threshold
        result.append((attr, head, probability))
    return result


@functools.lru_cache(maxsize=1)
def _closing_pattern() -> "re.Pattern":
    """``Courses repeat``, ``Treatment continues``: the opening of a drugless
    closing sentence (words from data/relation_closing.json)."""
    data = read_data("relation_closing.json")
    return re.compile(rf"[\s*•-]*(?:{_phrases(data['subjects'])})\s+(?:{_phrases(data['verbs'])})\b", re.IGNORECASE)


def _label_nouns(key: str) -> str:
    return "|".join(rf"{re.escape(noun)}s?" for noun in read_data("relation_closing.json")[key])


@functools.lru_cache(maxsize=1)
def _arm_label_pattern() -> "re.Pattern":
    """A label line of an arm or phase list (``- Arm II:``, ``Stages 1-2:``)."""
    return re.compile(rf"(?:^|\n)[ \t]*(?:[-*•][ \t]*)?(?:{_label_nouns('arm_label_nouns')})\b[^:\n.]{{0,40}}:",
                      re.IGNORECASE)


@functools.lru_cache(maxsize=1)
def _inline_arm_label_pattern() -> "re.Pattern":
    """A numbered arm label inside a line (``Arm I: ... Arm II: ...``)."""
    return re.compile(rf"\b(?:{_label_nouns('inline_arm_label_nouns')})[ \t]+(?:[IVX]+|\d+|[A-Z])[ \t]*:", re.IGNORECASE)


def _closing_sentence_drugs(ctx: "_DocContext", scored: list, threshold: float, given: dict) -> list:
    """A SCHEDULE or DURATION of a drugless sentence that opens with
    ``Courses repeat`` or ``Treatment continues`` (``Patients receive oral
    capecitabine ... and oral lapatinib ditosylate .... Courses repeat every
    21 days``) closes its arm or outline paragraph and is stated for the
    study drugs written before it there: in the train split all 36 such
    attributes are linked (a sentence is drugless up to the attribute: the
    splitter may join a following ``lapatinib ditosylate: Given PO``). When
    the scorer links it to no drug, it links to
    those drugs, back to the paragraph's start, an ``Arm II:`` label, the
    previous closing sentence or drugless attribute of its label (the close
    of an earlier phase or arm: never across arms or phases)."""
    starts = ctx.sentence_starts
    if not starts:
        return scored
    sent_of = ctx.sent_of
    text = ctx.text
    pattern = _closing_pattern()
    closing: dict[tuple[int, int], Span] = {}  # the attributes of closing sentences
    for attr, head, probability in scored:
        key = (attr.start, attr.end)
        if attr.label_ not in ("SCHEDULE", "DURATION") or key in closing:
            continue
        first = starts[sent_of[attr.start]]
        if bisect.bisect_left(ctx.head_starts, attr.start) != bisect.bisect_left(ctx.head_starts, first):
            continue  # a drug before it in its sentence (one after it, ``... toxicity. lapatinib: Given PO``, is not)
        if pattern.match(text, ctx.doc[first].idx, attr.start_char):
            closing[key] = attr
    if not closing:
        return scored
    linked = {(attr.start, attr.end) for attr, head, probability in scored if probability >= threshold}
    bounds: dict[tuple[int, int], int] = {}  # unlinked closing attribute -> first character of its block
    previous_end = current = 0  # the start of the last closing sentence before this one, of this one
    for key, attr in sorted(closing.items()):
        sentence_char = ctx.doc[starts[sent_of[attr.start]]].idx
        if sentence_char > current:
            previous_end, current = current, sentence_char  # an earlier closing sentence ends the block before it
        if key not in linked and key not in given:
            index = bisect.bisect_left(ctx.paragraph_breaks, attr.start_char)
            start = max(ctx.paragraph_breaks[index - 1] if index else 0, ctx.previous_drugless_end(attr), previous_end)
            for label in _arm_label_pattern().finditer(text, start, sentence_char):
                start = label.start()
            bounds[key] = start
    if not any(start >= 0 for start in bounds.values()):
        return scored
    result = []
    for attr, head, probability in scored:
        start = bounds.get((attr.start, attr.end), -1)
        if (start >= 0 and probability < threshold and start <= head.start_char and head.end <= attr.start
                and ctx.section_index[head.start] == ctx.section_index[attr.start] and ctx.role(head) != "other"):
            probability = threshold
        result.append((attr, head, probability))
    return result


@functools.lru_cache(maxsize=1)
def _all_arms_closing_pattern() -> "re.Pattern":
    """``Treatment in both arms continues``, ``Treatment for both arms
    repeats``: a closing subject that names all arms or phases as its scope
    (words from data/relation_closing.json)."""
    data = read_data("relation_closing.json")
    return re.compile(rf"[\s*•-]*(?:{_phrases(data['subjects'])})\s+(?:{_phrases(data['scope_prepositions'])})\s+"
                      rf"(?:{_phrases(data['scope_quantifiers'])})\s+(?:{_phrases(data['scope_nouns'])})\s+"
                      rf"(?:{_phrases(data['verbs'])})\b", re.IGNORECASE)


_ARM_LIST_LOOKBACK = 4000  # characters searched back for the arm list a closing sentence ends
_FIRST_LABEL_NUMBERS = frozenset({"I", "1", "A", "ONE"})


def _label_noun_and_number(label: str) -> tuple[str, str]:
    """``- Arm II:`` -> (``arm``, ``II``); ``Stages 1-2:`` -> (``stage``, ``1``)."""
    words = re.findall(r"[A-Za-z0-9]+", label)
    return (words[0].lower().rstrip("s") if words else "", words[1].upper() if len(words) > 1 else "")


def _all_arms_closing(ctx: "_DocContext", scored: list, threshold: float, given: dict) -> list:
    """A SCHEDULE or DURATION of a drugless sentence that opens with
    ``Treatment in both arms continues`` or ``Treatment for both arms
    repeats`` (``- Arm I: Patients receive rebeccamycin analogue IV over 1
    hour on day 1. - Arm II: ... on days 1-5. Treatment for both arms repeats
    every 3 weeks for 6-8 courses``) is stated for the study drugs of every
    arm or phase written before it, from the first ``Arm I:`` or ``Phase I:``
    label of the list that ends just before it (items at most two paragraph
    breaks apart, the sentence at most one after the last item): the train
    split's two such sentences link to the drugs of all their arms or phases,
    where ``_closing_sentence_drugs`` stops at the last arm label. A line
    holding two labels or more before it (``becatecarin: Arm I: ... Arm II:
    ... Treatment for both arms repeats``) starts at its first label. Without
    an arm label just before it, the rule does nothing."""
    starts = ctx.sentence_starts
    if not starts or not ctx.heads:
        return scored
    text = ctx.text
    pattern = _all_arms_closing_pattern()
    bounds: dict[tuple[int, int], int] = {}
    for attr in ctx.ents:
        key = (attr.start, attr.end)
        if attr.label_ not in ("SCHEDULE", "DURATION") or key in given or key in bounds:
            continue
        first = starts[ctx.sent_of[attr.start]]
        if bisect.bisect_left(ctx.head_starts, attr.start) != bisect.bisect_left(ctx.head_starts, first):
            continue
        sentence_char = ctx.doc[first].idx
        if not pattern.match(text, sentence_char, attr.start_char):
            continue
        line_start = text.rfind("\n", 0, sentence_char) + 1
        inline = list(_inline_arm_label_pattern().finditer(text, line_start, sentence_char))
        if len(inline) > 1:  # ``Arm I: ... Arm II: ... Treatment for both arms repeats`` on one line
            bounds[key] = inline[0].start()
            continue
        labels = list(_arm_label_pattern().finditer(text, max(0, sentence_char - _ARM_LIST_LOOKBACK), sentence_char))
        if not labels or len(_PARAGRAPH_BREAK.findall(text, labels[-1].end(), sentence_char)) > 1:
            continue  # no arm or phase list just before it
        start = labels[-1].start()
        noun, number = _label_noun_and_number(labels[-1].group())
        for label in reversed(labels[:-1]):  # back over the list's items (a note between two items allowed)
            if number in _FIRST_LABEL_NUMBERS:
                break  # the list's first item: an earlier list (``Stage 1: Arm I ...``) is not in scope
            label_noun, number = _label_noun_and_number(label.group())
            if label_noun != noun or len(_PARAGRAPH_BREAK.findall(text, label.end(), start)) > 2:
                break
            start = label.start()
        bounds[key] = start
    if not bounds:
        return scored
    result = []
    for attr, head, probability in scored:
        start = bounds.get((attr.start, attr.end), -1)
        if (start >= 0 and probability < threshold and start <= head.start_char and head.end <= attr.start
                and ctx.role(head) != "other"):
            probability = threshold
        result.append((attr, head, probability))
    paired = {(attr.start, attr.end, head.start) for attr, head, probability in scored}
    for attr in ctx.ents:  # the arms' drugs beyond the candidate window or in another section (``Arm I:`` opens one)
        start = bounds.get((attr.start, attr.end), -1)
        if start < 0:
            continue
        for head in ctx.heads[bisect.bisect_left(ctx.head_chars, start):bisect.bisect_left(ctx.head_starts, attr.start)]:
            if head.end <= attr.start and (attr.start, attr.end, head.start) not in paired and ctx.role(head) != "other":
                result.append((attr, head, threshold))
    return result


_DURATION_OF = re.compile(r"[ \t]*(?:\r?\n[ \t]*)?of[ \t]*(?:\r?\n[ \t]*)?(?:[\w-]+[ \t]*(?:\r?\n[ \t]*)?){0,2}",
                          re.IGNORECASE)


def _duration_of_drug(ctx: "_DocContext", scored: list, threshold: float, given: dict) -> list:
    """A DURATION written as ``<duration> of <drug>`` with at most two words
    between (``6 days of oral antibiotics``, ``24hr of IV peri-operative
    antibiotics``, ``3 cycles of paclitaxel``, ``10 weeks of flexible-dose
    vardenafil``) counts that drug's treatment: in the train split all 12
    such durations link to the drug after ``of``. The pair is linked
    whatever the scorer says of it; the attribute's other links are left to
    the scorer."""
    heads = ctx.heads
    if not heads:
        return scored
    head_chars = ctx.head_chars
    text = ctx.text
    wanted: set[tuple[int, int, int]] = set()
    for attr in ctx.ents:
        if attr.label_ != "DURATION" or (attr.start, attr.end) in given:
            continue
        index = bisect.bisect_left(head_chars, attr.end_char)
        if index < len(heads) and _DURATION_OF.fullmatch(text, attr.end_char, head_chars[index]):
            wanted.add((attr.start, attr.end, heads[index].start))
    if not wanted:
        return scored
    return [(attr, head, threshold if probability < threshold and (attr.start, attr.end, head.start) in wanted
             else probability) for attr, head, probability in scored]


@functools.lru_cache(maxsize=1)
def _arm_name_pattern() -> "re.Pattern":
    data = read_data("relation_arm_names.json")
    return re.compile(rf"[ \t]*(?:{'|'.join(re.escape(n) for n in data['nouns'])})\b(?![ \t]*[,:])", re.IGNORECASE)


@functools.lru_cache(maxsize=1)
def _phase_name_pattern() -> "re.Pattern":
    data = read_data("relation_arm_names.json")
    return re.compile(rf"\b(?:{_phrases(data['phase_words'])})\s+(?:the\s+)?$", re.IGNORECASE)


_PHASE_NAME_JOIN = re.compile(r"\s*(?:\+|/|,|\(|and\b|plus\b)\s*", re.IGNORECASE)
_PHASE_WORD_REACH = 16  # characters before a drug searched for ``during``


def _arm_name_heads(ctx: "_DocContext", scored: list, threshold: float, given: dict) -> list:
    """A drug written as the name of an arm (``3 times more subjects in the
    vardenafil group than in the placebo group``, ``patients on the
    intravenous Ara-C arm receive daily infusions of Ara-C``) is not given
    the doses, schedules and durations around it: they are stated for the
    drugs the arm receives (in the train split none of 17 such mentions is
    linked; a route naming the arm, ``intravenous Ara-C arm``, is left to
    the scorer). An arm label before a comma or colon (``High-dose
    cidofovir group, 5mg/kg once weekly``) is left to the scorer too: its
    regimen may follow it.

    Drugs naming a treatment phase or time point after ``during``,
    ``after``, ``following`` or ``prior to`` (``lapatinib (modified to 750
    mg during Paclitaxel + Trastuzumab + Lapatinib (PTL) and 1000 mg during
    trastuzumab + lapatinib (TL))``), with the drugs and short form joined
    to them, get no attribute: in the train split none of 14 such mentions
    is linked."""
    arm_pattern = phase_pattern = None
    text = ctx.text
    arm_names: set[int] = set()
    phase_names: set[int] = set()
    heads = ctx.heads
    for index, head in enumerate(heads):
        if arm_pattern is None:
            arm_pattern, phase_pattern = _arm_name_pattern(), _phase_name_pattern()
        if arm_pattern.match(text, head.end_char):
            arm_names.add(head.start)
        if head.start not in phase_names and phase_pattern.search(text, max(0, head.start_char - _PHASE_WORD_REACH),
                                                                  head.start_char):
            phase_names.add(head.start)
            while index + 1 < len(heads) and _PHASE_NAME_JOIN.fullmatch(text, heads[index].end_char,
                                                                        heads[index + 1].start_char):
                index += 1
                phase_names.add(heads[index].start)
    if not arm_names and not phase_names:
        return scored
    return [(attr, head, min(probability, threshold / 2) if probability >= threshold and (attr.start, attr.end) not in given
             and ((head.start in arm_names and attr.label_ in ("DOSE", "SCHEDULE", "DURATION"))
                  or (head.start in phase_names and attr.label_ in DRUG_ATTRIBUTES))
             else probability) for attr, head, probability in scored]


_CLOSING_COUNT = re.compile(r".*\b(?:cycles?|courses?)$", re.IGNORECASE | re.DOTALL)
_SENTENCE_END = re.compile(r"[ \t]*(?:\.|\r?\n|$)")
_TOTAL = re.compile(r"\btotal\b", re.IGNORECASE)


def _semicolon_items(ctx: "_DocContext", scored: list, threshold: float, given: dict) -> list:
    """A sentence listing drugs as semicolon items (``trastuzumab 4 mg/kg IV
    ... until disease progression; doxorubicin 50 mg/m^2 IV once every 3
    weeks for 6 cycles; and paclitaxel ...``): an attribute of an item that
    names a drug before it is stated for that item's drug, not for a drug
    of an earlier item (in the train split none of 60 such pairs is
    linked). A count of cycles or courses closing the sentence (``FEC:
    fluorouracil ...; epirubicin ...; cyclophosphamide ... every 3 weeks for
    4 cycles.``) or a total (``... oral lapatinib daily for 34 weeks (52
    weeks total)``) may count the whole regimen's and is left to the scorer."""
    text = ctx.text
    sent_of = ctx.sent_of
    result = []
    for attr, head, probability in scored:
        if (probability >= threshold and attr.label_ in DRUG_ATTRIBUTES and head.end <= attr.start
                and sent_of[head.start] == sent_of[attr.start] and (attr.start, attr.end) not in given
                and not (attr.label_ == "DURATION" and _CLOSING_COUNT.match(text, attr.start_char, attr.end_char)
                         and _SENTENCE_END.match(text, attr.end_char))
                and not (attr.label_ == "DURATION" and _TOTAL.search(text, attr.start_char, attr.end_char + 7))):
            semicolon = text.rfind(";", head.end_char, attr.start_char)
            if (semicolon != -1 and not _closes_bracket(text, semicolon, attr.start_char)
                    and ctx.head_between(semicolon, attr.start_char)):
                probability = min(probability, threshold / 2)
        result.append((attr, head, probability))
    return result


_PLACEBO_OF = re.compile(r"\s+(?:matching|matched\s+to|identical\s+to|to|of|for)\s+(?:the\s+)?", re.IGNORECASE)


def _placebo_of_drug(ctx: "_DocContext", scored: list, threshold: float, given: dict) -> list:
    """``Placebo Matching 50 mg Udenafil: Tablets via oral administration
    before an attempt at sexual intercourse``, ``placebo of vardenafil
    during four weeks``: the drug a placebo is named after is not given, so
    a route, schedule or duration the model links to it is the placebo's
    (in the train split 7 of 8 such attributes link to the placebo and 1 to
    both); the dose stays with the drug it measures (8 of 8)."""
    text = ctx.text
    heads = ctx.heads
    placebo_of: dict[int, Span] = {}  # drug start -> the placebo named after it
    starts = ctx.starts
    for left, right in zip(heads, heads[1:]):
        if "placebo" not in ctx.span_text(left).lower():
            continue
        gap = _PLACEBO_OF.match(text, left.end_char, right.start_char)
        if gap is None:
            continue
        if text[gap.end():right.start_char].strip() and not any(
                e.label_ == "DOSE" and not text[gap.end():e.start_char].strip()
                and e.end_char <= right.start_char and not text[e.end_char:right.start_char].strip()
                for e in ctx.ents[bisect.bisect_left(starts, left.end):bisect.bisect_left(starts, right.start)]):
            continue  # only a dose may stand between (``Placebo to LCZ696 200 mg``: no)
        placebo_of[right.start] = left
    if not placebo_of:
        return scored
    moved = {}
    for attr, head, probability in scored:
        if (probability >= threshold and attr.label_ in ("ROUTE", "SCHEDULE", "DURATION") and head.start in placebo_of
                and (attr.start, attr.end) not in given):
            moved[(attr.start, attr.end, head.start)] = placebo_of[head.start]
    return _move_links(scored, threshold, moved)


def _closes_bracket(text: str, start: int, end: int) -> bool:
    """``text[start:end]`` closes a bracket it does not open: ``start`` is
    inside brackets (``cladribine (2-chlorodeoxyadenosine; 2-CdA) by
    continuous infusion``)."""
    depth = 0
    for char in text[start:end]:
        if char in "([":
            depth += 1
        elif char in ")]":
            depth -= 1
            if depth < 0:
                return True
    return False


def _closed_block(ctx: "_DocContext", scored: list, threshold: float, given: dict) -> list:
    """A SCHEDULE or DURATION in a sentence without a drug (``Treatment
    repeats every 14 days for 5 courses``) does not link to a drug named
    before an earlier drugless attribute of its label that a later drug
    sentence follows (``... paclitaxel IV on day 1. Treatment repeats every
    14 days for 6 courses ... MAINTENANCE THERAPY: Patients receive
    trastuzumab IV on day 1. Treatment repeats every 14 days for 5
    courses``): the earlier attribute closes its drugs' block, and the later
    one is stated for the drugs after it (in the train split 6 of 152
    such duration and 0 of 227 such schedule pairs are linked)."""
    sent_of = ctx.sent_of
    closers: dict[str, list[Span]] | None = None
    result = []
    for attr, head, probability in scored:
        if (probability >= threshold and attr.label_ in ("SCHEDULE", "DURATION") and head.end <= attr.start
                and (attr.start, attr.end) not in given and sent_of[attr.start] not in ctx.sent_has_head):
            previous = ctx.previous_head_sentence(sent_of[attr.start])
            if previous is not None and ctx.sentence_starts and sent_of[head.start] != previous:
                if closers is None:
                    closers = {}
                    for e in ctx.ents:  # entities are sorted and do not overlap
                        if e.label_ in ("SCHEDULE", "DURATION") and sent_of[e.start] not in ctx.sent_has_head:
                            closers.setdefault(e.label_, []).append(e)
                ends = closers.get(attr.label_, [])
                previous_start = ctx.sentence_starts[previous]
                index = bisect.bisect_right(ends, previous_start, key=lambda e: e.end) - 1
                if index >= 0 and ends[index].start >= head.end:
                    probability = min(probability, threshold / 2)
        result.append((attr, head, probability))
    return result


_SHORT_FORM_OPEN = re.compile(r"[ \t]*[(\[][ \t]*")
_SHORT_FORM_CLOSE = re.compile(r"[ \t]*[)\]]")


def _share_short_forms(ctx: "_DocContext", scored: list, threshold: float, given: dict) -> list:
    """A drug and its short form in brackets (``filgrastim (G-CSF)``,
    ``zidovudine (AZT)``) are two mentions of one drug: an attribute the
    scorer links to one links to both (all 64 such attributes of the train
    and dev splits link to both)."""
    text = ctx.text
    heads = ctx.heads
    partner: dict[int, int] = {}  # head start -> its bracketed partner's start, both ways
    for left, right in zip(heads, heads[1:]):
        if (_SHORT_FORM_OPEN.fullmatch(text, left.end_char, right.start_char)
                and _SHORT_FORM_CLOSE.match(text, right.end_char)):
            partner[left.start] = right.start
            partner[right.start] = left.start
    if not partner:
        return scored
    linked = {(attr.start, attr.end, head.start) for attr, head, probability in scored
              if probability >= threshold and head.start in partner and (attr.start, attr.end) not in given}
    if not linked:
        return scored
    return [(attr, head, threshold if probability < threshold and head.start in partner
             and (attr.start, attr.end, partner[head.start]) in linked else probability)
            for attr, head, probability in scored]


_LABEL_COLON_REACH = 60  # characters from a label's last drug to its colon


def _label_named_again(ctx: "_DocContext", scored: list, threshold: float, given: dict) -> list:
    """In a line ``Dapoxetine/Tadalafil 30/20 mg tablet: During 4-weeks
    treatment period, patients will take one Dapoxetine/Tadalafil ...`` or
    ``BZ371A: Single dose topical administration of 1.5 mL ... of BZ371A``
    the attributes of the description belong to the description's mention of
    the drug, not to the label's (the guide: the label gets the links only
    when the description never names the drug; all 100 such attributes of the
    train split agree). A link the scorer gives to the label moves to the
    description's mention of the same name nearest to the attribute."""
    text = ctx.text
    heads = ctx.heads
    head_chars = ctx.head_chars
    moved: dict[tuple[int, int, int], Span] = {}  # (attr, label head) -> the description's mention
    wanted: dict[tuple[int, int], list[tuple[Span, Span]]] = {}
    for attr, head, probability in scored:
        if probability < threshold or head.end > attr.start or (attr.start, attr.end) in given:
            continue
        line = ctx.line_of(head.start_char)
        if ctx.line_of(attr.start_char) != line:
            continue
        line_start = ctx.lines.start(head.start_char)
        colon = text.find(":", head.end_char, min(attr.start_char, head.end_char + _LABEL_COLON_REACH))
        if colon == -1:
            continue
        first = bisect.bisect_left(head_chars, line_start)
        if first == len(heads) or text[line_start:heads[first].start_char].strip(" \t*-•") != "":
            continue  # the line does not open with a drug
        name = ctx.name(head)
        again = [h for h in heads[first:] if colon < h.start_char and ctx.line_of(h.start_char) == line
                 and ctx.name(h) == name]
        if not again:
            continue
        nearest = min(again, key=lambda h: abs(h.start_char - attr.start_char))
        moved[(attr.start, attr.end, head.start)] = nearest
    return _move_links(scored, threshold, moved)


def _move_links(scored: list, threshold: float, moved: dict) -> list:
    """``moved``: (attribute start, end, head start) -> the head the link
    goes to instead (``None``: dropped). Each moved link falls below the
    threshold and its new head's pair rises to it."""
    if not moved:
        return scored
    targets = {(attr_start, attr_end, h.start) for (attr_start, attr_end, _), h in moved.items() if h is not None}
    result = []
    for attr, head, probability in scored:
        key = (attr.start, attr.end, head.start)
        if key in moved:
            probability = min(probability, threshold / 2)
        elif key in targets:
            probability = max(probability, threshold)
        result.append((attr, head, probability))
    return result


_REPORT_BLOCK = re.compile(r"^[ \t]*(?:INTERVENTION|Results)[ \t]+\d+:[ \t]*\r?$", re.MULTILINE)
_REPORT_BLOCK_END = re.compile(
    r"^[ \t]*(?:Overall Number|Measure Type|Outcome Measurement:|Adverse Events|(?:INTERVENTION|Results)[ \t]+\d+:)",
    re.MULTILINE)
_REPORT_TITLE = re.compile(r"[ \t]*(?:Arm/Group Title:)?[ \t]*\S")


def _report_title_blocks(ctx: "_DocContext") -> list[tuple[int, int, int]]:
    """``(title start, title end, block end)`` of each arm block of a trial
    report (``INTERVENTION 1:`` / ``Herceptin (Trastuzumab)`` / description
    lines, or ``Results 1:`` / ``Arm/Group Title: ...`` / ``Arm/Group
    Description: ...``): the title is the first line after the header, the
    description runs to the next header or the block's counts."""
    text = ctx.text
    if "INTERVENTION 1:" not in text and "Results 1:" not in text:
        return []  # not a trial report: no pass over the text
    blocks = []
    for header in _REPORT_BLOCK.finditer(text):
        title_start = header.end() + 1
        if title_start >= len(text) or not _REPORT_TITLE.match(text, title_start):
            continue
        title_end = ctx.lines.end(title_start)
        end = _REPORT_BLOCK_END.search(text, title_end)
        blocks.append((title_start, title_end, end.start() if end else len(text)))
    return blocks


def _title_named_again(ctx: "_DocContext", scored: list, threshold: float, given: dict) -> list:
    """In a trial report's arm block (``INTERVENTION 1:`` / ``Herceptin
    (Trastuzumab)`` / ``Herceptin (trastuzuamb): Intravenous administration``)
    the attributes of the description belong to the description's mentions of
    a drug the title names, not to the title's (the guide: the label gets the
    links only when the description never names the drug; in the train split
    none of 718 such attribute and title-drug pairs is linked). A link the
    scorer gives to the title is dropped, and moves to the description's drug
    the attribute follows (or, with none before it, precedes) when that drug
    has the title drug's name (``irinotecan hydrochloride IV on days 1 and 15
    of a 28 day cycle temozolomide orally``: the schedule is irinotecan's,
    not the title's ``Temozolomide``'s)."""
    blocks = None
    moved: dict[tuple[int, int, int], Span] = {}
    for attr, head, probability in scored:
        if probability < threshold or (attr.start, attr.end) in given or attr.label_ not in DRUG_ATTRIBUTES:
            continue
        if blocks is None:
            blocks = _report_title_blocks(ctx)
            if not blocks:
                return scored
            block_starts = [b[0] for b in blocks]
            heads = ctx.heads
            head_chars = ctx.head_chars
        index = bisect.bisect_right(block_starts, head.start_char) - 1
        if index < 0:
            continue
        title_start, title_end, end = blocks[index]
        if not (head.end_char <= title_end < attr.start_char < end):
            continue
        name = ctx.name(head)
        described = [h for h in _in_range(heads, head_chars, title_end, end) if h.end_char <= end]
        if not any(ctx.name(h) == name for h in described):
            continue
        # the description's drug the attribute is written for: the nearest one
        # before it, else the first one after it; the link moves there only
        # when that drug is the title's
        before = [h for h in described if h.end_char <= attr.start_char]
        after = [h for h in described if h.start_char >= attr.end_char]
        owner = before[-1] if before else after[0] if after else None
        if (owner is not None and ctx.name(owner) != name and before and len(before) > 1
                and _SHORT_FORM_OPEN.fullmatch(ctx.text, before[-2].end_char, owner.start_char)):
            owner = before[-2]  # ``Exemestane (Aromasin) 25 mg``: a drug and its bracketed other name
        moved[(attr.start, attr.end, head.start)] = owner if owner is not None and ctx.name(owner) == name else None
    return _move_links(scored, threshold, moved)


_PRENOMINAL_GAP = re.compile(r"[ \t]{1,3}|(?P<wrap>[ \t]*\r?\n[ \t]*)")
_WRAPPED_LINE = 40  # a route this far into its line, before a line break, is in wrapped prose
_PRENOMINAL_JOINS = ("and", "/")  # ``oral AZT or HIVIG``, ``Topical antifungal agents, clotrimazole`` do not share


def _prenominal_routes(ctx: "_DocContext", scored: list, threshold: float, given: dict) -> list:
    """A route written right before a drug (``intravenous methotrexate and
    fluorouracil``, ``Oral trimethoprim/sulfamethoxazole``) is that drug's,
    and also holds for the drugs joined after it by ``and`` or a slash that
    have no route of their own (in the train split 4 of 5 such drugs get it;
    after ``or`` or a comma none of 3 do); it is not
    a route of the drugs before it (``cyclophosphamide ... and intravenous
    methotrexate``, ``tamoxifen or oral LY353381``): in the train split no
    such route links back, but one closing a dose (``zoledronic acid 4mg IV
    Zoledronic acid administration``), which the rule leaves to the scorer.
    Across a line break the route must be inside wrapped prose, not ending a
    list line (``Given IV`` / ``Cabozantinib``)."""
    return _prenominal_links(ctx, scored, threshold, given, "ROUTE")


def _prenominal_links(ctx: "_DocContext", scored: list, threshold: float, skip, label: str) -> list:
    """The drugs an attribute of ``label`` written right before a drug is
    stated for (:func:`_prenominal_routes`, :func:`_prenominal_schedules`);
    attributes whose (start, end) is in ``skip`` are left to the scorer."""
    heads = ctx.heads
    if not heads:
        return scored
    head_chars = ctx.head_chars
    text = ctx.text
    ents: list[Span] | None = None
    ent_starts: list[int] = []
    routes: dict[tuple[int, int], set[int]] = {}  # route -> starts of the drugs it is written before
    for attr in ctx.ents:
        key = (attr.start, attr.end)
        if attr.label_ != label or key in skip:
            continue
        index = bisect.bisect_left(head_chars, attr.end_char)
        gap = _PRENOMINAL_GAP.fullmatch(text, attr.end_char, head_chars[index]) if index < len(heads) else None
        if gap is None:
            continue
        if gap.group("wrap") and (label != "ROUTE" or attr.end_char - ctx.lines.start(attr.end_char) < _WRAPPED_LINE
                                  or ctx.sent_of[heads[index].start] != ctx.sent_of[attr.start]):
            continue  # ``Given IV`` / ``Cabozantinib``: a list line ends with the route
        if ents is None:
            ents = sorted(ctx.ents, key=lambda e: e.start_char)
            ent_starts = [e.start_char for e in ents]
        previous = bisect.bisect_left(ent_starts, attr.start_char) - 1
        if (previous >= 0 and ents[previous].label_ == "DOSE"
                and not text[ents[previous].end_char:attr.start_char].strip()):
            continue  # ``4mg IV Zoledronic acid``: the route closes the dose before it
        first = heads[index]
        covered = {first.start}
        while index + 1 < len(heads) and len(covered) <= _COORDINATION_STEPS:
            joined = _coordination_gap(ctx, heads[index], heads[index + 1], ents, ent_starts)
            between = text[heads[index].end_char:heads[index + 1].start_char]
            word = joined and joined[1]
            if word == "," and "/" in between and "," not in between:
                word = "/"  # ``_coordination_gap`` names a slash ","
            if (word not in _PRENOMINAL_JOINS or "ROUTE" in joined[0]
                    or ctx.role(heads[index + 1]) != ctx.role(first)):
                break
            index += 1
            covered.add(heads[index].start)
        routes[key] = covered
    if not routes:
        return scored
    result = []
    for attr, head, probability in scored:
        covered = routes.get((attr.start, attr.end))
        if covered is not None:
            if head.start in covered:
                probability = max(probability, threshold)
            elif head.end <= attr.start:
                probability = min(probability, threshold / 2)
        result.append((attr, head, probability))
    return result


def _prenominal_schedules(ctx: "_DocContext", scored: list, threshold: float, given: dict) -> list:
    """A schedule written right before a drug on the same line (``twice
    weekly EMD 121974``, ``weekly (Days 1, 8, and 15) vinorelbine and
    trastuzumab``, ``post-NSRRP HBO2T``) is that drug's and its ``and``/slash
    partners', not the drugs' before it (``Sildenafil therapy plus post-NSRRP
    HBO2T``): in the train split all 33 such schedules link to the drug after
    them, and of the 459 drugs written before them only the 3 whose dose the
    schedule closes (``97 mg/103 mg bid sacubitril/valsartan``), which the
    rule leaves to the scorer, as it does for routes. Those schedules are all
    frequency or event words (``daily``, ``bid``, ``post-NSRRP``); an interval
    or day list ending an item before the next item's drug (``Days 1-5; q 21
    days Docetaxel, 60mg/m2``) is left to the scorer too."""
    ends_item = {(a.start, a.end) for a in ctx.ents
                 if a.label_ == "SCHEDULE" and _SCHEDULE_ITEM_END.search(ctx.span_text(a))}
    return _prenominal_links(ctx, scored, threshold, set(given) | ends_item, "SCHEDULE")


_SCHEDULE_ITEM_END = re.compile(r"(?:\d|\b(?:hours?|days?|weeks?|months?|cycles?|courses?))\s*$", re.I)


_NAME_SLASH = re.compile(r"\s*/\s*")


def _share_slash_synonyms(ctx: "_DocContext", scored: list, threshold: float, given: dict) -> list:
    """Two names of one drug joined by a slash (``Amlotinib/ernesto``, the
    guide's two DRUG mentions of anlotinib) share what either is linked to:
    the attributes are stated for the one drug both names stand for."""
    text = ctx.text
    heads = sorted((h for h in ctx.heads if h.label_ == "DRUG"), key=lambda h: (h.start, h.end))
    partner: dict[tuple[int, int], tuple[int, int]] = {}
    for left, right in zip(heads, heads[1:]):
        # the slash first: a name is made and cached per head
        if (left.end_char < right.start_char and _NAME_SLASH.fullmatch(text, left.end_char, right.start_char)
                and ctx.name(left) == ctx.name(right)):
            partner[(left.start, left.end)] = (right.start, right.end)
            partner[(right.start, right.end)] = (left.start, left.end)
    if not partner:
        return scored
    linked = {(attr.start, attr.end, head.start, head.end) for attr, head, probability in scored
              if probability >= threshold and (attr.start, attr.end) not in given}
    shared = []
    for attr, head, probability in scored:
        other = partner.get((head.start, head.end))
        if probability < threshold and other is not None and (attr.start, attr.end, *other) in linked:
            probability = threshold
        shared.append((attr, head, probability))
    return shared


def candidate_pairs(doc: Doc, ents: list[Span], max_distance: int) -> list[tuple[Span, Span]]:
    """(attribute, head) pairs worth scoring: same section, within ``max_distance`` tokens."""
    sections = list(doc.spans.get(SECTIONS_KEY, []))
    starts = [s.start for s in sections]

    def section_index(token: int) -> int:
        i = bisect.bisect_right(starts, token) - 1
        return i if i >= 0 and token < sections[i].end else -1

    heads = [e for e in ents if e.label_ in DRUG_LABELS]
    endpoints = [e for e in ents if e.label_ == "ENDPOINT"]
    # entities do not overlap, so sorting by start also sorts by end
    bounds = {id(pool): ([e.start for e in pool], [e.end for e in pool]) for pool in (heads, endpoints)}
    text = doc_text(doc)
    lines = doc_lines(doc)
    pairs = []
    for attr in ents:
        if attr.label_ not in RELATION_FOR_ATTRIBUTE:
            continue
        pool = endpoints if attr.label_ == "TIMEFRAME" else heads
        attr_section = section_index(attr.start)
        limit = max_distance
        if attr.label_ == "TIMEFRAME" and _line_before_is(_TIME_FRAME_LINE, text, lines, attr.start_char):
            # trial-report layout: measure, description, then "Time frame: ..."
            limit = REPORT_OUTCOME_DISTANCE
        pool_starts, pool_ends = bounds[id(pool)]
        # only heads ending at most `limit` tokens before or starting at most `limit` after
        window = pool[bisect.bisect_left(pool_ends, attr.start - limit):bisect.bisect_right(pool_starts, attr.end + limit)]
        for head in window:
            distance = attr.start - head.end if head.end <= attr.start else head.start - attr.end
            if distance > limit or section_index(head.start) != attr_section:
                continue
            pairs.append((attr, head))
    return pairs


def _given_line_heads(doc: Doc, ents: list[Span]) -> dict[tuple[int, int], Span]:
    """Rule for the intervention-list layout ``Atezolizumab`` / ``Given IV``:
    an attribute on a line that starts with ``Given`` belongs to the drug that
    alone makes up the line before."""
    text = doc_text(doc)
    lines = doc_lines(doc)
    heads = [e for e in ents if e.label_ in DRUG_LABELS]
    head_chars = [h.start_char for h in heads]
    result = {}
    for attr in ents:
        if attr.label_ not in DRUG_ATTRIBUTES or not _line_before_is(_GIVEN_LINE, text, lines, attr.start_char):
            continue
        line_start = lines.start(attr.start_char)
        if line_start == 0:
            continue
        previous_start = lines.start(line_start - 1)
        previous = text[previous_start:line_start - 1].strip()
        for head in _in_range(heads, head_chars, previous_start, line_start - 1):
            if head.end_char <= line_start - 1 and text[head.start_char:head.end_char].strip() == previous:
                result[(attr.start, attr.end)] = (head,)
    return result


_LINE_OPENER = re.compile(r"[ \t*\-•]*")  # what may come before a list item's first word
_LABEL_REACH = 300  # characters from a line's first drug to the colon ending its label


def _label_line_heads(doc: Doc, ents: list[Span]) -> dict[tuple[int, int], tuple[Span, ...]]:
    """Rule for list items ``* Bevacizumab: 15mg/kg every 3 weeks`` and
    ``Levitra (Vardenafil, BAY38-9456): 5mg, 10mg or 20mg``: when a drug opens
    its line and the label up to the first colon is made of drug mentions, the
    drug attributes of the rest of the line belong to every drug mention of the
    label, provided that rest names no drug (the guide's arm-label rule)."""
    text = doc_text(doc)
    lines = doc_lines(doc)
    result = {}
    heads = [e for e in ents if e.label_ in DRUG_LABELS]
    head_chars = [h.start_char for h in heads]
    ent_chars = [e.start_char for e in ents]
    for index, head in enumerate(heads):
        line_start = lines.start(head.start_char)
        if not _LINE_OPENER.fullmatch(text, line_start, head.start_char):
            continue
        line_end = lines.end(head.end_char)
        colon = text.find(":", head.end_char, min(line_end, head.end_char + _LABEL_REACH))
        if colon == -1:
            continue
        label = []
        for h in heads[index:]:
            if h.end_char > colon:
                break
            label.append(h)
        rest = text[head.start_char:colon]
        for h in label:
            rest = rest.replace(text[h.start_char:h.end_char], " ", 1)
        if rest.strip(" \t(),+/&") not in ("", "and"):
            continue
        if _in_range(heads, head_chars, colon + 1, line_end):
            continue
        for attr in _in_range(ents, ent_chars, colon + 1, line_end):
            if attr.label_ in DRUG_ATTRIBUTES and attr.end_char <= line_end:
                result[(attr.start, attr.end)] = tuple(label)
    return result


# -- fast scoring ------------------------------------------------------------
# ``pair_features`` + ``RelationScorer.probabilities`` spell every feature of
# every pair as a string twice (with and without its label prefix) and look
# each up in both stages' weights.  At run time :class:`_FastScorer` gives the
# same probabilities with less work: the strings of the count features come
# from tables built once, each unprefixed feature is looked up once in a
# per-label table holding the sum of its prefixed and unprefixed weights for
# both stages, and the words between a pair are read as the distinct
# characters of a one-character-per-token code string.  The features are
# defined once, by :func:`_fast_parts` and :meth:`_Tables.key_features`;
# ``pair_features`` spells them out for training, and a test checks that the
# folded weights give the probabilities the spelled-out features give.

_PUNCTS = (";", ":", "(", ")", ".", ",", "|")
_DIRECTIONS = ("hb", "ha")


def _table(edges: tuple, make) -> list[str]:
    """``make(_bucket(v, edges))`` for ``v`` in ``0 .. edges[-1] + 1`` (index
    with ``min(v, edges[-1] + 1)``)."""
    return [make(_bucket(v, edges)) for v in range(edges[-1] + 2)]


class _Tables:
    """Feature strings of the count features, by direction and clipped value."""

    def __init__(self):
        self.dir = {d: f"dir={d}" for d in _DIRECTIONS}
        self.dist = {d: _table((0, 1, 2, 3, 5, 8, 12, 20, 30, 50, 80), lambda b, d=d: f"dist={d}{b}")
                     for d in _DIRECTIONS}
        self.rank = {d: [f"rank={d}{n}" for n in range(5)] for d in _DIRECTIONS}
        self.same = {d: [f"same_between={d}{n}" for n in range(4)] for d in _DIRECTIONS}
        self.other = _table((0, 1, 2, 4), lambda b: f"other_attr_between={b}")
        self.sentences = _table((0, 1, 2, 3, 5), lambda b: f"sentences={b}")
        self.newlines = _table((0, 1, 2, 4), lambda b: f"newlines={b}")
        self.pipes = [f"pipes={n}" for n in range(3)]
        self.paragraphs = [f"paragraphs={n}" for n in range(3)]
        self.same_section = {b: f"same_section={b}" for b in (True, False)}
        self.ssr = {d: [f"same_sentence_rank={d}{n}" for n in range(4)] for d in _DIRECTIONS}
        self.combo = {
            (d, r, s, t, n): f"combo={d}|rank={r}|same={s}|sent={t}|lines={n}"
            for d in _DIRECTIONS for r in range(3) for s in range(3) for t in range(3) for n in range(2)
        }
        self.combo_dist = {
            (d, r): _table((2, 5, 10, 20, 40), lambda b, d=d, r=r: f"combo_dist={d}|rank={r}|{b}")
            for d in _DIRECTIONS for r in range(3)
        }
        self.alone = {d: _table((0, 1, 2), lambda b, d=d: f"head_alone_on_line={d}|lines={b}") for d in _DIRECTIONS}
        self.has_drug = {b: f"attr_sentence_has_drug={b}" for b in (True, False)}
        self.rule_link = {b: f"rule_link={b}" for b in (True, False)}
        self.head_before = {b: f"sentence_head_before={b}" for b in (True, False)}
        self.same_item = {b: f"endpoint_same_item={b}" for b in (True, False)}
        self.own_line = {d: f"other_line_while_own_line_has_drug={d}" for d in _DIRECTIONS}
        self.same_name = {d: f"same_name_between={d}" for d in _DIRECTIONS}
        self.drugless = {
            (d, after, last, para, prev, sent, same): [
                f"drugless_sentence|{d}|after_previous_same={after}",
                f"drugless_sentence|{d}|last_of_name={last}|paragraphs={para}",
                f"drugless_sentence|{d}",
                f"drugless_sentence|previous_drug_sentence={prev}|{d}",
                f"drugless_sentence|previous_drug_sentence={prev}|paragraphs={para}",
                sent,
                f"drugless_sentence|same_between={same}|{d}",
            ]
            for d in _DIRECTIONS for after in (True, False) for last in (True, False) for para in range(2)
            for prev in (True, False) for sent in _table((1, 2, 3, 5), lambda b: f"drugless_sentence|sentences={b}")
            for same in range(3)
        }
        self.drugless_sentences = _table((1, 2, 3, 5), lambda b: f"drugless_sentence|sentences={b}")
        # one character per distinct word of interest; "_" for any other word
        words = sorted(set(_PUNCTS) | CUE_WORDS)
        self.code = {w: chr(0x100 + i) for i, w in enumerate(words)}
        self.near_words = {}
        self.far_words = {}
        for word, char in self.code.items():
            has = [f"between_has={word}"] if word in _PUNCTS else []
            self.near_words[char] = has + ([f"between_word={word}"] if word in CUE_WORDS else [])
            self.far_words[char] = has + ([f"between_cue_far={word}"] if word in _FAR_CUE_WORDS else [])
        self.near_words["_"] = self.far_words["_"] = []
        self.code[None] = " "
        # token distances that no distance feature tells apart, as one value:
        # the least bucket edge at or above the distance (81 above 80)
        edges = sorted({0, 1, 2, 3, 5, 8, 12, 20, 30, 50, 80} | {2, 5, 10, 20, 40})
        self.distance_class = [next((e for e in edges if d <= e), 81) for d in range(82)]
        self.edge_words: dict[str, str] = {}
        self.features: dict[tuple[str, str], str] = {}

    def feature(self, name: str, value: str) -> str:
        """``name + value``, one string object per distinct feature."""
        key = (name, value)
        feature = self.features.get(key)
        if feature is None:
            feature = self.features[key] = name + value
        return feature

    def key_features(self, key: tuple) -> list[str]:
        """The count features (and the others that depend on the pair's
        numbers alone) that a :func:`_fast_parts` key stands for."""
        (label, direction, distance, n_heads, n_same, n_other, sentences, newlines, pipes, paragraphs,
         same_section, section, head_label, rule_link, own) = key
        n_heads2 = min(n_heads, 2)
        feats = [
            "bias",
            self.dir[direction],
            self.dist[direction][distance],
            self.rank[direction][n_heads],
            self.same[direction][n_same],
            self.other[n_other],
            self.sentences[sentences],
            self.newlines[newlines],
            self.pipes[pipes],
            self.paragraphs[paragraphs],
            self.same_section[same_section],
            section,
            head_label,
            self.combo[direction, n_heads2, min(n_same, 2), min(sentences, 2), min(newlines, 1)],
            self.combo_dist[direction, n_heads2][min(distance, 41)],
            self.rule_link[rule_link],
        ]
        if sentences == 0:
            feats.append(self.ssr[direction][min(n_heads, 3)])
        if label == "TIMEFRAME":
            feats.append(self.same_item[own[0]])
        else:
            has_drug, role, acronym, alone = own
            feats.append(self.has_drug[has_drug])
            feats.append(role)
            if acronym:
                feats.append("head_acronym")
            if alone:
                feats.append(self.alone[direction][min(newlines, 3)])
        return feats

    def edge(self, side: str, word: str) -> str:
        key = side + word
        feature = self.edge_words.get(key)
        if feature is None:
            if len(self.edge_words) > 100_000:
                self.edge_words.clear()
            value = word if word in CUE_WORDS or not word.isalnum() else "W"
            feature = self.edge_words[key] = f"{side}_between={value}"
        return feature

    def codes(self, lowers: list) -> str:
        """One character per token: a space for whitespace, the word's code
        for the words that make features, ``_`` for the others."""
        return "".join(map(self.code.get, lowers, repeat("_")))


@functools.cache
def _tables() -> _Tables:
    """Built on first use, not at import."""
    return _Tables()


_ZERO = (0.0, 0.0)


def _weigh(table, folded: dict):
    """``table`` (feature strings in lists and dicts) with each string
    replaced by its folded weights."""
    if isinstance(table, str):
        return folded.get(table, _ZERO)
    if isinstance(table, dict):
        return {key: _weigh(value, folded) for key, value in table.items()}
    return [_weigh(value, folded) for value in table]


class _FastScorer:
    """A :class:`RelationScorer`'s weights folded per label: for each
    unprefixed feature ``f`` of a pair of label ``L``, the first stage's
    ``w[L|f] + w[f]`` and the second stage's, in one lookup."""

    def __init__(self, scorer: "RelationScorer"):
        self.scorer = scorer
        w1, w2 = scorer.weights, scorer.weights2
        names = {f.split("|", 1)[1] for f in list(w1) + list(w2) if "|" in f and f.split("|", 1)[0] in
                 RELATION_FOR_ATTRIBUTE}
        names |= {f for f in list(w1) + list(w2)}
        self.stage1: dict[str, dict[str, tuple[float, float]]] = {}
        self.stage2: dict[str, dict[str, float]] = {}
        for label in RELATION_FOR_ATTRIBUTE:
            prefix = label + "|"
            folded = {}
            for name in names:
                if name == "bias":
                    one, two = w1.get(prefix + name, 0.0), w2.get(prefix + name, 0.0)
                else:
                    one = w1.get(prefix + name, 0.0) + w1.get(name, 0.0)
                    two = w2.get(prefix + name, 0.0) + w2.get(name, 0.0)
                if one or two:
                    folded[name] = (one, two)
            self.stage1[label] = folded
            self.stage2[label] = {name: two for name, (_one, two) in folded.items() if two}
        # the weights of the words between a pair, by word code; and of
        # whole count-feature keys, as they are met
        tables = _tables()
        self.near = {label: {char: self._sum(self.stage1[label], feats) for char, feats in tables.near_words.items()}
                     for label in RELATION_FOR_ATTRIBUTE}
        self.far = {label: {char: self._sum(self.stage1[label], feats) for char, feats in tables.far_words.items()}
                    for label in RELATION_FOR_ATTRIBUTE}
        names = ("dir", "dist", "rank", "same", "other", "sentences", "newlines", "pipes", "paragraphs",
                 "same_section", "combo", "combo_dist", "rule_link", "ssr", "same_item", "has_drug", "alone")
        self.keyed: dict[tuple, tuple[float, float]] = {}
        self.weight_tables = {
            label: {name: _weigh(getattr(tables, name), self.stage1[label]) for name in names}
            for label in RELATION_FOR_ATTRIBUTE
        }

    def probabilities(self, ctx: "_DocContext", pairs: list[tuple[Span, Span]]) -> list[float]:
        """Final probabilities of ``pairs``, as :meth:`RelationScorer.probabilities`
        gives them from :func:`pair_features` (up to the order of additions)."""
        first, second = self.first_stage(ctx, pairs)
        if not self.scorer.weights2:
            return first
        return self._stage_two(pairs, first, second)

    def first_stage(self, ctx: "_DocContext", pairs: list[tuple[Span, Span]]) -> tuple[list[float], list[float]]:
        """Each pair's first-stage probability, and the second stage's sum of
        weights over the first stage's features.  Sums run in an order fixed by
        the features alone, so pairs with the same features tie exactly."""
        scorer = self.scorer
        sigmoid = scorer._sigmoid
        tables = _tables()
        codes = ctx.codes
        first, second = [], []
        bias = scorer.bias
        keyed = self.keyed  # the weights of each key met so far (many pairs share one)
        if len(keyed) > 100_000:
            keyed.clear()
        for attr, head in pairs:
            label = attr.label_
            folded = self.stage1[label]
            key, chars, near, extra = _fast_parts(ctx, tables, codes, attr, head, label)
            weights = keyed.get(key)
            if weights is None:
                weights = keyed[key] = self._key_weights(key, folded)
            z1 = bias + weights[0]
            z2 = weights[1]
            words = (self.near if near else self.far)[label]
            for char in sorted(chars):
                weights = words.get(char)
                if weights is not None:
                    z1 += weights[0]
                    z2 += weights[1]
            for feature in extra:
                weights = folded.get(feature)
                if weights is not None:
                    z1 += weights[0]
                    z2 += weights[1]
            first.append(sigmoid(z1))
            second.append(z2)
        return first, second

    def _key_weights(self, key: tuple, folded: dict) -> tuple[float, float]:
        """Both stages' weights of :meth:`_Tables.key_features` of ``key``,
        read from the tables of weights."""
        (label, direction, distance, n_heads, n_same, n_other, sentences, newlines, pipes, paragraphs,
         same_section, section, head_label, rule_link, own) = key
        w = self.weight_tables[label]
        n_heads2 = n_heads if n_heads < 2 else 2
        parts = [
            folded.get("bias", _ZERO),
            w["dir"][direction],
            w["dist"][direction][distance],
            w["rank"][direction][n_heads],
            w["same"][direction][n_same],
            w["other"][n_other],
            w["sentences"][sentences],
            w["newlines"][newlines],
            w["pipes"][pipes],
            w["paragraphs"][paragraphs],
            w["same_section"][same_section],
            folded.get(section, _ZERO),
            folded.get(head_label, _ZERO),
            w["combo"][direction, n_heads2, n_same if n_same < 2 else 2, sentences if sentences < 2 else 2,
                        1 if newlines else 0],
            w["combo_dist"][direction, n_heads2][distance if distance < 41 else 41],
            w["rule_link"][rule_link],
        ]
        if sentences == 0:
            parts.append(w["ssr"][direction][n_heads if n_heads < 3 else 3])
        if label == "TIMEFRAME":
            parts.append(w["same_item"][own[0]])
        else:
            has_drug, role, acronym, alone = own
            parts.append(w["has_drug"][has_drug])
            parts.append(folded.get(role, _ZERO))
            if acronym:
                parts.append(folded.get("head_acronym", _ZERO))
            if alone:
                parts.append(w["alone"][direction][newlines if newlines < 3 else 3])
        one = two = 0.0
        for a, b in parts:
            one += a
            two += b
        return one, two

    @staticmethod
    def _sum(folded: dict, features: list[str]) -> tuple[float, float]:
        one = two = 0.0
        for feature in features:
            weights = folded.get(feature)
            if weights is not None:
                one += weights[0]
                two += weights[1]
        return one, two

    def _stage_two(self, pairs, first: list[float], partial: list[float]) -> list[float]:
        """:func:`stage_two_features` scored, from each pair's first-stage
        probability and its second-stage sum over the first-stage features."""
        by_attr: dict[tuple, list[int]] = {}
        by_head: dict[tuple, list[int]] = {}
        labels = []
        for index, (attr, head) in enumerate(pairs):
            label = attr.label_
            labels.append(label)
            by_attr.setdefault((attr.start, attr.end), []).append(index)
            by_head.setdefault((head.start, head.end, label), []).append(index)
        attr_rank = [0] * len(pairs)
        above_half = [0] * len(pairs)
        best_rival = [0.0] * len(pairs)
        for group in by_attr.values():
            if len(group) == 1:
                continue
            for index in group:
                p = first[index]
                rivals = [first[i] for i in group if i != index]
                attr_rank[index] = sum(q > p for q in rivals)
                above_half[index] = sum(q >= 0.5 for q in rivals)
                best_rival[index] = max(rivals)
        head_rank = [0] * len(pairs)
        for group in by_head.values():
            if len(group) == 1:
                continue
            for index in group:
                p = first[index]
                head_rank[index] = sum(first[i] > p for i in group if i != index)
        sigmoid = self.scorer._sigmoid
        bias2 = self.scorer.bias2
        s2 = _stage_two_strings()
        stage2 = self.stage2
        result = []
        for index, p in enumerate(first):
            get = stage2[labels[index]].get
            gap = int((p - best_rival[index]) * 10)
            rank, rank2, half = attr_rank[index], head_rank[index], above_half[index]
            z = (bias2 + partial[index] + get(s2.p[int(p * 10)], 0.0) + get(s2.attr_rank[rank if rank < 3 else 3], 0.0)
                 + get(s2.head_rank[rank2 if rank2 < 3 else 3], 0.0)
                 + get(s2.gap[gap if -7 <= gap <= 7 else (7 if gap > 0 else -7)], 0.0)
                 + get(s2.above_half[half if half < 3 else 3], 0.0))
            result.append(sigmoid(z))
        return result


class _StageTwoStrings:
    def __init__(self):
        # index -1 (values below the first edge) is the last element
        self.p = [f"s2|p={_bucket(v, (0, 1, 2, 3, 4, 5, 6, 7, 8, 9))}" for v in range(0, 11)] + [
            f"s2|p={_bucket(-1, (0, 1, 2, 3, 4, 5, 6, 7, 8, 9))}"]
        gaps = {v: f"s2|gap={_bucket(v, (-6, -3, -1, 0, 1, 3, 6))}" for v in range(-7, 8)}
        self.gap = [gaps[v] for v in range(0, 8)] + [gaps[v] for v in range(-7, 0)]
        self.attr_rank = [f"s2|attr_rank={n}" for n in range(4)]
        self.head_rank = [f"s2|head_rank={n}" for n in range(4)]
        self.above_half = [f"s2|rivals_above_half={n}" for n in range(4)]


@functools.cache
def _stage_two_strings() -> _StageTwoStrings:
    """Built on first use, not at import."""
    return _StageTwoStrings()


def _fast_parts(ctx: "_DocContext", t: _Tables, codes: str, attr: Span, head: Span,
                label: str) -> tuple[tuple, set, bool, list[str]]:
    """The features of :func:`pair_features` without their label-prefixed
    copies, in four parts: a key of the values behind the count features
    (spelled out by :meth:`_Tables.key_features`), the codes of the distinct
    words between the pair, whether the pair is near (12 tokens or less: all
    cue words count, else only the far ones), and the other features."""
    attr_start, attr_end, head_start, head_end = attr.start, attr.end, head.start, head.end
    head_before = head_end <= attr_start
    if head_before:
        direction = "hb"
        gap_start, gap_end = head_end, attr_start
        char_start, char_end = head.end_char, attr.start_char
    else:
        direction = "ha"
        gap_start, gap_end = attr_end, head_start
        char_start, char_end = attr.end_char, head.start_char
    token_distance = gap_end - gap_start
    if token_distance < 0:
        token_distance = 0
    # entities within the gap
    starts, labelled = ctx.starts, ctx.labelled
    i = bisect.bisect_left(starts, gap_start)
    n_starts = len(starts)
    timeframe = label == "TIMEFRAME"
    heads_between = []
    same_between = []
    attrs_between = []
    n_other = 0
    while i < n_starts and starts[i] < gap_end:
        span, other = labelled[i]
        if span.end <= gap_end:
            if other in DRUG_LABELS:
                if not timeframe:
                    heads_between.append(span)
            elif other == "ENDPOINT":
                if timeframe:
                    heads_between.append(span)
                else:
                    attrs_between.append(span)
            else:
                attrs_between.append(span)
                if other == label:
                    same_between.append(span)
                else:
                    n_other += 1
        i += 1
    sent_of = ctx.sent_of
    attr_sent = sent_of[attr_start]
    sentences_between = abs(attr_sent - sent_of[head_start])
    count = bisect.bisect_left
    newlines_pos = ctx.newlines
    newlines = count(newlines_pos, char_end) - count(newlines_pos, char_start)
    pipes = count(ctx.pipes, char_end) - count(ctx.pipes, char_start)
    breaks = ctx.paragraph_breaks
    paragraphs = count(breaks, char_end) - count(breaks, char_start)
    n_heads, n_same = len(heads_between), len(same_between)
    chars = set(codes[gap_start:gap_end])
    chars.discard(" ")
    extra = []
    lowers = ctx.lowers
    first = gap_start
    while first < gap_end and lowers[first] is None:
        first += 1
    if first < gap_end:
        last = gap_end - 1
        while lowers[last] is None:
            last -= 1
        extra.append(t.edge("first", lowers[first]))
        extra.append(t.edge("last", lowers[last]))
    rule_link = (attr_start, attr_end, head_start, head_end) in ctx.rule_links
    if not timeframe:
        has_drug = attr_sent in ctx.sent_has_head
        role, acronym, named_again, alone, name = ctx.head_facts(head)
        if named_again is not None:
            extra.append(t.feature(f"head_colon={direction}|", named_again))
        if newlines and ctx.line_of(attr.start_char) in ctx.lines_with_head:
            extra.append(t.own_line[direction])
        named_between = False
        if heads_between:
            name_of = ctx.name
            for h in heads_between:
                if name_of(h) == name:
                    named_between = True
                    break
        if not has_drug:
            previous = ctx.previous_head_sentence(attr_sent)
            cut = ctx.previous_drugless_end(attr)
            in_previous = previous is not None and sent_of[head_start] == previous
            extra.extend(t.drugless[
                direction, head.start_char >= cut, not named_between, 1 if paragraphs else 0, in_previous,
                t.drugless_sentences[sentences_between if sentences_between < 6 else 6], n_same if n_same < 2 else 2
            ])
        if named_between:
            extra.append(t.same_name[direction])
        if head_before:
            if heads_between:
                coordinated = ctx.coordinated
                a = head
                for b in heads_between:
                    if b.start - a.end > 4 or not coordinated(a.end, b.start):
                        break
                    a = b
                else:
                    extra.append("coordinated_chain")
        else:
            if same_between:
                coordinated = ctx.coordinated
                a_end = attr_end
                ok = True
                for b in attrs_between:
                    if not coordinated(a_end, b.start):
                        ok = False
                        break
                    a_end = b.end
                if ok and coordinated(a_end, head_start):
                    extra.append("coordinated_attributes_before_head")
            extra.append(t.head_before[ctx.first_head_end.get(attr_sent, attr_start + 1) <= attr_start])
        own = (has_drug, role, acronym, alone)
    else:
        own = (pipes == 0 and newlines == 0,)
        if _line_before_is(_TIME_FRAME_LINE, ctx.text, ctx.lines, attr.start_char):
            block = not _OUTCOME_HEADER.search(ctx.text, char_start, char_end)
            extra.append(f"report_time_frame|{direction}|same_block={block}")
    key = (
        label, direction, t.distance_class[token_distance if token_distance < 81 else 81], n_heads if n_heads < 4 else 4,
        n_same if n_same < 3 else 3, n_other if n_other < 5 else 5, sentences_between if sentences_between < 6 else 6,
        newlines if newlines < 5 else 5, pipes if pipes < 2 else 2, paragraphs if paragraphs < 2 else 2,
        ctx.section_index[attr_start] == ctx.section_index[head_start],
        t.feature("section=", ctx.section_of[attr_start] or "none"), t.feature("head_label=", head.label_), rule_link,
        own,
    )
    return key, chars, token_distance <= 12, extra


def _fast_features(ctx: "_DocContext", t: _Tables, codes: str, attr: Span, head: Span, label: str) -> list[str]:
    """All the features of :func:`_fast_parts` as strings (for tests)."""
    key, chars, near, extra = _fast_parts(ctx, t, codes, attr, head, label)
    words = t.near_words if near else t.far_words
    return t.key_features(key) + [f for char in chars for f in words[char]] + extra

def apply_layout_rules(ctx: "_DocContext", scored: list, threshold: float, given: dict) -> list:
    """``scored`` (attribute, head, probability) after the rules that read the
    layout the scorer cannot see, in the order the linker runs them (training
    scores its cross-validated predictions through the same chain)."""
    for rule in (_share_drugless_timing, _share_cycle_schedule, _fill_drugless_gaps, _single_head_sentence_before,
                 _share_after_coordination,
                 _share_slash_doses, _share_slash_synonyms, _label_named_again, _title_named_again, _prenominal_routes,
                 _prenominal_schedules, _share_short_forms, _semicolon_items, _own_paragraph_drugs, _closed_block, _phase_own_timing, _next_phase_timing,
                 _placebo_of_drug, _closing_sentence_drugs, _all_arms_closing, _duration_of_drug, _arm_name_heads):
        scored = rule(ctx, scored, threshold, given)
    return scored


class RelationScorer:
    """Two stacked logistic regressions over binary features, as plain data:
    the first scores each pair alone, the second adds how the pair ranks
    against its competitors under the first."""

    def __init__(self, weights: dict[str, float] | None = None, bias: float = 0.0, threshold: float = 0.5,
                 max_distance: int = 120, meta: dict | None = None,
                 weights2: dict[str, float] | None = None, bias2: float = 0.0):
        self.weights = dict(weights or {})
        self.bias = bias
        self.weights2 = dict(weights2 or {})
        self.bias2 = bias2
        self.threshold = threshold
        self.max_distance = max_distance
        self.meta = dict(meta or {})

    @staticmethod
    def _sigmoid(z: float) -> float:
        if z < -30:
            return 0.0
        return 1.0 / (1.0 + math.exp(-z))

    def probability(self, features: Iterable[str]) -> float:
        """First-stage probability of one pair."""
        return self._sigmoid(self.bias + sum(map(self.weights.get, features, repeat(0.0))))

    def probabilities(self, pairs: list[tuple[Span, Span]], features: list[list[str]]) -> list[float]:
        """Final probabilities of all candidate pairs of a document."""
        first = [self.probability(f) for f in features]
        if not self.weights2:
            return first
        second = stage_two_features(pairs, first)
        return [
            self._sigmoid(self.bias2 + sum(map(self.weights2.get, f1 + f2, repeat(0.0))))
            for f1, f2 in zip(features, second)
        ]

    def to_dict(self) -> dict:
        return {
            "format": MODEL_FORMAT,
            "bias": self.bias,
            "threshold": self.threshold,
            "max_distance": self.max_distance,
            "meta": self.meta,
            "weights": dict(sorted(self.weights.items())),
            "bias2": self.bias2,
            "weights2": dict(sorted(self.weights2.items())),
        }

    @classmethod
    def from_dict(cls, data: dict) -> "RelationScorer":
        if data.get("format") != MODEL_FORMAT:
            raise ValueError(f"not a relation model of format {MODEL_FORMAT}: {data.get('format')!r}")
        return cls(
            {str(k): float(v) for k, v in data["weights"].items()}, float(data["bias"]),
            float(data["threshold"]), int(data["max_distance"]), data.get("meta"),
            {str(k): float(v) for k, v in data.get("weights2", {}).items()}, float(data.get("bias2", 0.0)),
        )

    @classmethod
    def read(cls, path) -> "RelationScorer":
        path_text = path.read_text(encoding="utf-8")
        try:
            data = json.loads(path_text)
        except json.JSONDecodeError as err:
            raise ValueError(f"{path}: invalid relation model JSON ({err})") from None
        return cls.from_dict(data)

    def write(self, path) -> None:
        Path(path).write_text(json.dumps(self.to_dict(), indent=1, sort_keys=False) + "\n", encoding="utf-8")


class RelationLinker:
    def __init__(self, nlp: Language, name: str = "extractor_relations", threshold: Optional[float] = None):
        self.name = name
        self.threshold_override = threshold
        self.scorer: RelationScorer | None = None
        self._fast: _FastScorer | None = None
        ensure_extensions()

    def initialize(self, get_examples=None, *, nlp: Language | None = None, model: str | None = None):
        source = Path(model) if model is not None else model_path()
        self.scorer = RelationScorer.read(source)

    @property
    def threshold(self) -> float:
        if self.threshold_override is not None:
            return self.threshold_override
        return self.scorer.threshold if self.scorer is not None else 0.5

    def scored_pairs(self, doc: Doc, ents: list[Span] | None = None) -> list[tuple[Span, Span, float]]:
        """Every candidate pair with its probability."""
        return self._score(doc, get_entities(doc) if ents is None else ents)[1]

    def _score(self, doc: Doc, ents: list[Span]) -> tuple["_DocContext", list[tuple[Span, Span, float]]]:
        if self.scorer is None:
            self.initialize()
        ctx = _DocContext(doc, ents)
        pairs = candidate_pairs(doc, ents, self.scorer.max_distance)
        fast = self._fast
        if fast is None or fast.scorer is not self.scorer:
            fast = self._fast = _FastScorer(self.scorer)
        # the probabilities of pair_features + RelationScorer.probabilities, faster
        probabilities = fast.probabilities(ctx, pairs)
        return ctx, [(attr, head, p) for (attr, head), p in zip(pairs, probabilities)]

    def __call__(self, doc: Doc) -> Doc:
        ensure_extensions()
        relations: list[dict] = []
        threshold = self.threshold
        ents = get_entities(doc)
        given = {**_label_line_heads(doc, ents), **_given_line_heads(doc, ents)}
        ctx, scored = self._score(doc, ents)
        scored = apply_layout_rules(ctx, scored, threshold, given)
        for attr, head, probability in scored:
            key = (attr.start, attr.end)
            if key in given:
                probability = 1.0 if head in given[key] else 0.0
            if probability >= threshold:
                relations.append({
                    "label": RELATION_FOR_ATTRIBUTE[attr.label_],
                    "arg1": [attr.start_char, attr.end_char],
                    "arg2": [head.start_char, head.end_char],
                    "score": round(probability, 4),
                })
        relations.sort(key=lambda r: (r["arg1"], r["arg2"]))
        doc._.extractor_relations = relations
        return doc

    def to_disk(self, path, exclude=tuple()):
        path = ensure_path(path)
        path.mkdir(parents=True, exist_ok=True)
        if self.scorer is None:
            self.initialize()
        self.scorer.write(path / MODEL_FILE)

    def from_disk(self, path, exclude=tuple()):
        self.scorer = RelationScorer.read(ensure_path(path) / MODEL_FILE)
        return self


@Language.factory(
    "extractor_relations",
    assigns=["doc._.extractor_relations"],
    requires=["doc.spans"],
    default_config={"threshold": None},
)
def make_relation_linker(nlp: Language, name: str, threshold: Optional[float]) -> RelationLinker:
    return RelationLinker(nlp, name, threshold)
