"""DOSE, ROUTE, SCHEDULE, DURATION, ENDPOINT and TIMEFRAME mentions.

Surface patterns are regular expressions in ``data/attribute_patterns.jsonl``
and endpoint names in ``data/endpoint_terms.jsonl``; context decides what the
surface cannot:

- a DOSE after a comparator (``<``, ``\\>=``, ``less than``) or before a lab
  unit (``/L``, ``/dL``, ``/mm3``) is a threshold, not a dose;
- a SCHEDULE or DURATION in a sentence about assessments or follow-up
  (``tumor assessments every 6 weeks``) with no drug in it is not tagged;
- in ``measure, description, time frame`` outcome lines the measure is an
  ENDPOINT and the time-frame field a TIMEFRAME;
- in prose, endpoint names (with a directly following parenthesised
  abbreviation and qualifiers such as ``median`` or ``6-month``) are ENDPOINTs.

Attribute entities never overwrite DRUG/DRUG_CLASS entities.
"""

import re
from bisect import bisect_left
from typing import Iterable

import srsly
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import ensure_path

from .extensions import get_entities, set_entities
from .resources import read_data
from .sections import SPANS_KEY as SECTIONS_KEY

COMPARATOR_BEFORE = re.compile(
    r"(?:[<>≤≥=]|\\[<>]|=\\<|less than|greater than|more than|at least|above|below|exceed\w*|"
    r"higher than|lower than|under|over|ULN|within)\s*(?:or equal to\s*)?$",
    re.I,
)
LAB_UNIT_AFTER = re.compile(r"^\s*/\s*(?:L|dL|dl|mL|ml|mm3|mm\\\^3|mm\^3|uL|µL|day|24 ?h)\b|^\s*(?:/|per)\s*(?:L|dL|dl|ml|mL|mm)", re.I)
ASSESSMENT_WORDS = re.compile(
    r"\b(?:assess\w*|evaluat\w*|follow(?:ed|-up| up)|scans?|imaging|visits?|blood tests?|monitor\w*|measur\w*|"
    r"collected|samples?|questionnaires?|survey\w*|contact\w*|observ\w*)\b",
    re.I,
)
TREATMENT_WORDS = re.compile(
    r"\b(?:receiv\w*|administ\w*|given|treat\w*|dos\w*|infus\w*|inject\w*|take|taking|cycles?|courses?|repeat\w*|"
    r"therapy|regimen|maintenance|induction)\b",
    re.I,
)
TIMEFRAME_START = re.compile(
    r"(?:up to|from|baseline|at |week|day|month|year|\d|through|throughout|interval|start|every|during|measured|"
    r"assessed|approximately|time|until|after|before|prior|screening|end|cycle|disease evaluation|within|pre-|"
    r"post|over|first|last|one|two|three|four|five|six|twelve|24|48)",
    re.I,
)
QUALIFIER_BEFORE = re.compile(
    r"(?:median|mean|\d+[- ]?(?:month|year|week|day)s?|one[- ]year|two[- ]year|three[- ]year|five[- ]year|"
    r"6- month|grade 3 or higher|grade [1-5](?: or higher)?|overall|objective|best overall|confirmed)[ \t]*$",
    re.I,
)


class AttributeTagger:
    def __init__(self, nlp: Language, name: str = "extractor_attributes", write_ents: bool = False):
        self.nlp = nlp
        self.name = name
        self.write_ents = write_ents
        self.patterns: list[dict] = []
        self.endpoint_terms: list[str] = []
        self._compiled: list[tuple[str, re.Pattern[str]]] = []
        self._endpoint_regex: re.Pattern[str] | None = None

    def initialize(self, get_examples=None, *, nlp=None, patterns: Iterable[dict] | None = None,
                   endpoint_terms: Iterable[dict] | None = None) -> None:
        self.set_data(
            patterns if patterns is not None else read_data("attribute_patterns.jsonl"),
            endpoint_terms if endpoint_terms is not None else read_data("endpoint_terms.jsonl"),
        )

    def set_data(self, patterns: Iterable[dict], endpoint_terms: Iterable[dict]) -> None:
        self.patterns = [{"label": p["label"], "pattern": p["pattern"]} for p in patterns]
        self.endpoint_terms = sorted({t["name"] for t in endpoint_terms}, key=len, reverse=True)
        self._compiled = [(p["label"], re.compile(p["pattern"])) for p in self.patterns]
        names = "|".join(re.escape(t) for t in self.endpoint_terms)
        # a name, optionally followed by its parenthesised abbreviation
        self._endpoint_regex = re.compile(
            rf"(?<![\w-])(?:{names})(?![\w-])(?:\s?[（(][A-Za-z0-9\-]{{2,8}}[)）])?",
            re.I,
        )

    def to_disk(self, path, exclude=tuple()):
        path = ensure_path(path)
        path.mkdir(parents=True, exist_ok=True)
        srsly.write_jsonl(path / "patterns.jsonl", self.patterns)
        srsly.write_jsonl(path / "endpoint_terms.jsonl", [{"name": t} for t in self.endpoint_terms])

    def from_disk(self, path, exclude=tuple()):
        path = ensure_path(path)
        self.set_data(srsly.read_jsonl(path / "patterns.jsonl"), srsly.read_jsonl(path / "endpoint_terms.jsonl"))
        return self

    def __call__(self, doc: Doc) -> Doc:
        if self._endpoint_regex is None:
            self.initialize()
        text = doc.text
        candidates: list[tuple[int, int, str]] = []
        outcome_ranges = self._outcome_lines(doc)
        for start, end, label in self._outcome_entities(text, outcome_ranges):
            candidates.append((start, end, label))
        current = get_entities(doc)  # sorted once, not per candidate
        for label, regex in self._compiled:
            for match in regex.finditer(text):
                start, end = match.span()
                if self._keep(doc, label, start, end, outcome_ranges, text, current):
                    candidates.append((start, end, label))
        structured = [(s, e) for s, e, _ in candidates]
        for match in self._endpoint_regex.finditer(text):
            start, end = match.span()
            if any(s < end and start < e for s, e in structured):
                continue  # the outcome line's own fields win
            if re.search(r"(?:unacceptable|intolerable|excessive)\s+$", text[max(0, start - 15):start], re.I):
                continue  # a stopping rule, not a measure
            if match.group(0).isupper() is False and match.group(0).lower() in {"os", "dor"}:
                continue
            qualifier = QUALIFIER_BEFORE.search(text, max(0, start - 25), start)
            if qualifier:
                start = qualifier.start()
            candidates.append((start, end, "ENDPOINT"))
        spans = []
        for start, end, label in candidates:
            # leading prepositions and articles are not part of a span
            lead = re.match(r"(?:(?:on|for|at|in|of|a|the|with)\s+)+", text[start:end], re.I)
            if lead and label not in ("ENDPOINT", "TIMEFRAME") and not text[start:end].lower().startswith("on a "):
                start += lead.end()
            span = doc.char_span(start, end, label=label, alignment_mode="contract")
            if span is not None and len(span):
                spans.append(span)
        drugs = get_entities(doc, ("DRUG", "DRUG_CLASS"))
        occupied = set()
        for ent in drugs:
            occupied.update(range(ent.start, ent.end))
        spans = [s for s in spans if not any(i in occupied for i in range(s.start, s.end))]
        set_entities(doc, drugs + spans, self.write_ents)
        return doc

    @staticmethod
    def _outcome_lines(doc: Doc) -> list[tuple[int, int]]:
        ranges = []
        for span in doc.spans.get(SECTIONS_KEY, []):
            if span.label_ == "outcomes":
                ranges.append((span.start_char, span.end_char))
        return ranges

    @staticmethod
    def _outcome_entities(text: str, ranges: list[tuple[int, int]]) -> Iterable[tuple[int, int, str]]:
        """ENDPOINT = measure, TIMEFRAME = time-frame field of each outcome item."""
        for range_start, range_end in ranges:
            block = text[range_start:range_end]
            if not re.search(r", ", block) or block.lstrip().startswith(("Primary", "Secondary", "Outcome")):
                continue
            offset = range_start
            for line in block.split("\n"):
                item_offset = offset
                for item in line.split("|"):
                    parts = item.split(", ")
                    if len(parts) >= 2 and parts[0].strip():
                        measure_end = item_offset + len(parts[0])
                        lead = len(parts[0]) - len(parts[0].lstrip())
                        yield item_offset + lead, measure_end, "ENDPOINT"
                        tf_start = _timeframe_start(item)
                        if tf_start is not None:
                            tail = item[tf_start:].rstrip()
                            yield item_offset + tf_start, item_offset + tf_start + len(tail), "TIMEFRAME"
                    item_offset += len(item) + 1
                offset += len(line) + 1

    def _keep(self, doc: Doc, label: str, start: int, end: int, outcome_ranges, text: str | None = None,
              ents: list[Span] | None = None) -> bool:
        text = doc.text if text is None else text  # doc.text is rebuilt on each access: O(document)
        if any(s <= start < e for s, e in outcome_ranges) and label in ("SCHEDULE", "DURATION", "DOSE"):
            return False
        if label == "DOSE":
            if COMPARATOR_BEFORE.search(text[max(0, start - 30):start]):
                return False
            if LAB_UNIT_AFTER.match(text[end:end + 12]):
                return False
            return True
        if label in ("SCHEDULE", "DURATION"):
            sentence = _sentence_text(doc, start)
            has_drug = any(e.label_ in ("DRUG", "DRUG_CLASS") for e in _sentence_ents(doc, start, ents))
            if not has_drug and ASSESSMENT_WORDS.search(sentence) and not TREATMENT_WORDS.search(sentence):
                return False
            if label == "DURATION" and not has_drug and not TREATMENT_WORDS.search(sentence):
                return False
            if label == "SCHEDULE" and not has_drug and ASSESSMENT_WORDS.search(sentence):
                return False
        if label == "ROUTE" and text[start:end].lower() in ("oral", "infusion"):
            following = text[end:end + 20].lower()
            if not re.match(r"\s*(?:administration|dose|doses|dosing|tablets?|capsules?|\(|,|\.)", following):
                return False
        return True


CONTINUATION_START = re.compile(r"(?:up to|assessed|approximately|or |and |whichever)", re.I)


def _timeframe_start(item: str) -> int | None:
    """Start of the time-frame field: the last ``, `` after the description's
    last full stop that is followed by a time-frame word, stepping back over
    continuations (``, up to approximately 2 years``) of an earlier one."""
    first_comma = item.find(", ")
    if first_comma == -1:
        return None
    last_stop = max(item.rfind(". "), item.rfind("., "))
    search_from = max(first_comma, last_stop)
    candidates = [
        search_from + m.end()
        for m in re.finditer(r", ", item[search_from:])
        if TIMEFRAME_START.match(item, search_from + m.end())
    ]
    if not candidates:
        parts = item.split(", ")
        return len(item) - len(parts[-1]) if len(parts) >= 3 else None
    chosen = candidates[-1]
    for position in reversed(candidates[:-1]):
        if not CONTINUATION_START.match(item, chosen):
            break
        chosen = position
    return chosen


def _sentence_text(doc: Doc, char: int) -> str:
    token = doc.char_span(char, char + 1, alignment_mode="expand")
    if token is None or not doc.has_annotation("SENT_START"):
        return doc.text[max(0, char - 150):char + 150]
    return token[0].sent.text


def _sentence_ents(doc: Doc, char: int, ents: list[Span] | None = None) -> list[Span]:
    token = doc.char_span(char, char + 1, alignment_mode="expand")
    if token is None or not doc.has_annotation("SENT_START"):
        return []
    sent = token[0].sent
    ents = get_entities(doc) if ents is None else ents  # sorted by start: bisect, not a scan
    return ents[bisect_left(ents, sent.start, key=_start):bisect_left(ents, sent.end, key=_start)]


def _start(span: Span) -> int:
    return span.start


@Language.factory(
    "extractor_attributes",
    assigns=["doc.spans"],
    default_config={"write_ents": False},
)
def make_attribute_tagger(nlp: Language, name: str, write_ents: bool) -> AttributeTagger:
    return AttributeTagger(nlp, name, write_ents)
