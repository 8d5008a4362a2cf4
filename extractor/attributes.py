"""DOSE, ROUTE, SCHEDULE, DURATION, ENDPOINT and TIMEFRAME mentions.

All surface knowledge is data:

- ``data/attribute_patterns.jsonl``: one regular expression per line
  (``label``, ``name``, ``pattern``, optional ``ignore_case`` and
  ``drug_after`` with ``drug_gap``, the characters the drug may start after), written with the macros of the context file (``{NUM}``,
  ``{UNIT}``, ``{_}`` for a run of white space that may cross a hard line
  wrap, ...);
- ``data/endpoint_terms.jsonl``: endpoint names (``name``); all-capital
  abbreviations match case-sensitively, names in any case, with any white
  space (line wraps) or hyphen between their words;
- ``data/attribute_context.json``: the macros and the context expressions
  that decide what the surface cannot (comparators before a threshold, lab
  units, assessment and procedure words, words that make a number of weeks a
  time point rather than a treatment length, ...).

Context decisions (see ``_keep``):

- a DOSE after a comparator (``<``, ``\\>=``, ``less than``) or before a lab
  unit (``/L``, ``/dL``, ``/min``) is a threshold, not a dose, unless the text
  says it is a dose (``a dose of = or < 600 mg``);
- a SCHEDULE or DURATION about assessments, follow-up or a procedure
  (``tumor assessments every 6 weeks``, ``radiotherapy once daily``) is not
  tagged, nor a length that is a time point or an eligibility window
  (``within 12 weeks before registration``, ``At least 4 weeks since prior``);
- in ``measure, description, time frame`` outcome lines the measure is an
  ENDPOINT and the time-frame field a TIMEFRAME (``_outcome_entities``), and
  in trial reports the ``Outcome Measurement`` title and ``Time frame`` line.
  Outcome lines follow the interventions line of the record layout, or, in
  records without one, the title, summary and conditions lines; items end at
  ``|`` or at a field break, and a time-frame field may be a sentence (``It
  will be measured after 12 weeks``) or one word (``Ongoing``). The layout
  bounds an item: in ``\\r\\n``-wrapped (legacy) text a bare newline is always a
  field break, a paragraph break inside a description does not end an item,
  a measure is one line, and text wrapped as an indented text block or a
  line of several sentences after the outcome lines is the description. A registry
  measure that opens with the measured drug (``Cocaine use``) is an ENDPOINT
  and the drug is not tagged, unless a treatment clause follows the drug;
- in prose, endpoint names (with a directly following parenthesised
  abbreviation and qualifiers such as ``median`` or ``6-month``) are ENDPOINTs,
  and a window right after an assessment verb (``assessed at 3 months and 12
  months``) is a TIMEFRAME, but not a bare ``baseline`` nor the visit
  schedule of the patients (``Patients are evaluated at weeks 1, 2, 4``).

No learned model is used: a logistic-regression fallback for the length
candidates the rules leave undecided (DURATION vs TIMEFRAME vs none) was tried
on the train split (14 positive candidates there) and added no correct entity
on dev, so it does not ship; retried with the 70 train documents
(``tools/experiment_length_classifier.py``: 366 candidates, 100 DURATION, 6
TIMEFRAME) it stays below the rules (DURATION F1 0.905 vs 0.980 in 5-fold
cross-validation on train, 0.829 vs 0.977 on dev). Every decision here is a
rule over the data files.

Adjacent SCHEDULE pieces joined only by connectors (``twice daily on days
1-21``, ``Day 1 of each cycle``) become one span. Attribute entities never
overwrite DRUG/DRUG_CLASS entities. Every expression is compiled once, in
``initialize``/``from_disk``; per document, the work is linear in its length
(sorted offsets and binary search, no per-candidate scans of the document).
"""

import re
from bisect import bisect_left, bisect_right
from typing import Iterable

import numpy
import srsly
from spacy.attrs import IDX, LENGTH, SENT_START
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import ensure_path, filter_spans

from .extensions import doc_text, get_entities, set_entities
from .regexscan import Scanner, ScannerSet, plain_lower
from .resources import read_data
from .sections import SPANS_KEY as SECTIONS_KEY

# a leading article of a field (not a pattern of the domain: part of the layout)
_ARTICLE = re.compile(r"(?:The|the|A|An)\s+")
_SPELLED_ABBREVIATION = re.compile(r"\(\s?[A-Z][A-Za-z0-9-]{1,9}\s?:\s")  # ``(IIEF: international ...``
_BRACKET_CUT = re.compile(r"\s?\(")
LABELS = ("DOSE", "ROUTE", "SCHEDULE", "DURATION", "ENDPOINT", "TIMEFRAME")
# section categories where SCHEDULE/DURATION are about eligibility windows
ELIGIBILITY_SECTIONS = {"eligibility", "inclusion_criteria", "exclusion_criteria", "prior_therapy"}
# how far the context expressions look, in characters
BEFORE = 40
AFTER = 40
SENTENCE_WINDOW = 300
ENDPOINT_WINDOW_GAP = 120  # characters from an ENDPOINT's end to a prose time point stated for it
MAX_LIST_PIECES = 30  # members of a numbered time-frame list walked back over
# record layout without an interventions line: how many field lines to try
MAX_LAYOUT_LINES = 12
# context expressions that find layout lines all over the document
LINE_EXPRESSIONS = ("outcome_prose_line", "endpoint_list_header", "report_outcome_title", "report_time_frame")
# SCHEDULE pieces that only exist attached to another (``of each cycle``, ``(q3w)``)
ATTACHED_SCHEDULE = ("cycle_ref", "abbreviation_paren", "tail", "tolerance", "cycle_prefix")
# pieces that open a timing expression: never joined to the piece before them
# (``... apart\n  Cycles 1 - 8, Day 1``: a new item of a list; ``as needed, no
# more than once a day``: a limit is a schedule of its own in the gold)
# ``relative_with`` (``daily, beginning with the first gemcitabine infusion``) is a
# SCHEDULE of its own in the gold, never joined to the frequency before it
LEADING_SCHEDULE = ("cycle_prefix", "limit", "relative_with")
# durations naming a treatment phase: ``in the first 4 weeks``, ``during the
# 2-4 week equilibration phase`` (``in``/``during`` open the phase, not a window)
PHASE_DURATIONS = ("phase_length", "first_length", "sequence_length")
# attribute_context.json keys of ``_quantity_endpoints`` and
# ``_assessment_list_endpoints``: required
QUANTITY_KEYS = ("endpoint_quantity_lead", "endpoint_quantity_block_before", "endpoint_quantity_stop",
                 "endpoint_quantity_reject", "endpoint_quantity_limits", "endpoint_quantity_new_phrase")
ASSESSMENT_KEYS = ("assessment_list_cue", "assessment_list_term", "assessment_list_stop",
                   "assessment_list_coordinated", "assessment_list_split", "assessment_list_limits")
# how far back a list of follow-up timings may have opened with its assessment word
FOLLOW_UP_WINDOW = 200


def expand_macros(pattern: str, macros: dict[str, str]) -> str:
    """``{NAME}`` placeholders replaced by their (grouped) definitions."""
    def replace(match):
        name = match.group(1)
        if name not in macros:
            return match.group(0)  # a regular-expression quantifier such as {1,3}
        return f"(?:{expand_macros(macros[name], macros)})"

    return re.sub(r"\{([A-Za-z_]+)\}", replace, pattern)


class AttributeTagger:
    def __init__(self, nlp: Language, name: str = "extractor_attributes", write_ents: bool = False):
        self.nlp = nlp
        self.name = name
        self.write_ents = write_ents
        self.patterns: list[dict] = []
        self.endpoint_terms: list[dict] = []
        self._endpoint_names: frozenset[str] = frozenset()
        self.context: dict = {}
        self._compiled: list[tuple[str, dict, re.Pattern[str]]] = []
        self._endpoint_regexes: list[re.Pattern[str]] = []
        self.endpoint_measures: list[dict] = []  # data/endpoint_measures.jsonl
        self._measure_regex: re.Pattern[str] | None = None  # matched only right after a cue
        self._measure_cue_scan: Scanner | None = None  # endpoint_measure_cue
        self._scan: ScannerSet | None = None  # the patterns, then the endpoint names
        self._objective_scan: Scanner | None = None
        self._effect_scan: Scanner | None = None
        self._object_scan: Scanner | None = None  # endpoint_object_lead
        self._passive_scan: Scanner | None = None  # passive_measured
        self._assessment_scan: Scanner | None = None  # assessment_list_cue
        self._quantity_scan: Scanner | None = None  # endpoint_quantity_lead
        self._assessment_limits: dict[str, int] = {}  # assessment_list_limits
        self._quantity_limits: dict[str, int] = {}  # endpoint_quantity_limits
        self._line_scan: ScannerSet | None = None  # LINE_EXPRESSIONS
        self._ctx: dict[str, re.Pattern[str]] = {}

    # -- data ---------------------------------------------------------------
    def initialize(self, get_examples=None, *, nlp=None, patterns: Iterable[dict] | None = None,
                   endpoint_terms: Iterable[dict] | None = None, context: dict | None = None,
                   endpoint_measures: Iterable[dict] | None = None) -> None:
        self.set_data(
            patterns if patterns is not None else read_data("attribute_patterns.jsonl"),
            endpoint_terms if endpoint_terms is not None else read_data("endpoint_terms.jsonl"),
            context if context is not None else read_data("attribute_context.json"),
            endpoint_measures,
        )

    def set_data(self, patterns: Iterable[dict], endpoint_terms: Iterable[dict], context: dict,
                 endpoint_measures: Iterable[dict] | None = None) -> None:
        self.context = dict(context)
        macros = self.context.get("macros", {})
        self.patterns = []
        self._compiled = []
        for index, entry in enumerate(patterns):
            if entry.get("label") not in LABELS or not isinstance(entry.get("pattern"), str):
                raise ValueError(f"attribute pattern {index + 1}: needs a label of {LABELS} and a pattern: {entry!r}")
            self.patterns.append(dict(entry))
            source = expand_macros(entry["pattern"], macros)
            try:
                regex = re.compile(source, re.I if entry.get("ignore_case") else 0)
            except re.error as err:
                raise ValueError(f"attribute pattern {index + 1} ({entry.get('name')}): {err}") from None
            self._compiled.append((entry["label"], entry, regex))
        self._ctx = {}
        for key, value in self.context.items():
            if key == "macros" or isinstance(value, dict):
                continue  # ``endpoint_quantity_limits``: numbers, not an expression
            self._ctx[key] = re.compile(expand_macros(value, macros), re.I)
        self.endpoint_terms = [dict(t) for t in endpoint_terms]
        self._endpoint_names = frozenset(t["name"] for t in self.endpoint_terms)
        self._endpoint_names_lower = frozenset(name.lower() for name in self._endpoint_names)
        names = sorted({t["name"] for t in self.endpoint_terms}, key=lambda name: (-len(name), name))
        exact = [n for n in names if _is_abbreviation(n)]
        words = [n for n in names if not _is_abbreviation(n)]
        # ``maximum tolerated dose\r\n      (MTD)``: a hard-wrapped record keeps its short form
        abbreviation = r"(?:(?:\s?|\r?\n[ \t]{1,12})[（(][A-Za-z0-9\-]{2,8}[)）])?"
        self._endpoint_regexes = []
        if words:
            alternatives = _names_alternation(words)
            self._endpoint_regexes.append(re.compile(rf"(?<!\w)(?<!\w-)(?:{alternatives})s?(?![\w-]){abbreviation}", re.I))
        if exact:
            alternatives = "|".join(re.escape(n) for n in exact)
            self._endpoint_regexes.append(re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])"))
        # each expression tried only where a match can start (the same
        # matches as its finditer), those that share a lookbehind together
        self._scan = ScannerSet([regex for _label, _entry, regex in self._compiled] + self._endpoint_regexes)
        self._objective_scan = Scanner(self._ctx["endpoint_objective"])
        self._objective_list_scan = Scanner(self._ctx["endpoint_objective_list"])
        self._effect_scan = Scanner(self._ctx["endpoint_effect_on"])
        self._set_measures(read_data("endpoint_measures.jsonl") if endpoint_measures is None else endpoint_measures,
                           abbreviation)
        self._object_scan = Scanner(self._ctx["endpoint_object_lead"])
        self._passive_scan = Scanner(self._ctx["passive_measured"])
        missing = [key for key in QUANTITY_KEYS + ASSESSMENT_KEYS if key not in self.context]
        if missing:
            raise KeyError(f"attribute context (attribute_context.json) lacks {', '.join(missing)}: "
                           "the rate/share and assessment-list ENDPOINT rules need them")
        self._assessment_scan = Scanner(self._ctx["assessment_list_cue"])
        self._assessment_limits = {key: int(value) for key, value in self.context["assessment_list_limits"].items()}
        self._quantity_limits = {key: int(value) for key, value in self.context["endpoint_quantity_limits"].items()}
        self._quantity_scan = Scanner(self._ctx["endpoint_quantity_lead"])
        self._line_scan = ScannerSet([self._ctx[key] for key in LINE_EXPRESSIONS])

    def to_disk(self, path, exclude=tuple()):
        path = ensure_path(path)
        path.mkdir(parents=True, exist_ok=True)
        srsly.write_jsonl(path / "patterns.jsonl", self.patterns)
        srsly.write_jsonl(path / "endpoint_terms.jsonl", self.endpoint_terms)
        srsly.write_jsonl(path / "endpoint_measures.jsonl", self.endpoint_measures)
        srsly.write_json(path / "context.json", self.context)

    def from_disk(self, path, exclude=tuple()):
        path = ensure_path(path)
        self.set_data(
            srsly.read_jsonl(path / "patterns.jsonl"),
            srsly.read_jsonl(path / "endpoint_terms.jsonl"),
            srsly.read_json(path / "context.json"),
            srsly.read_jsonl(path / "endpoint_measures.jsonl") if (path / "endpoint_measures.jsonl").exists() else None,
        )
        return self

    # -- tagging ------------------------------------------------------------
    def __call__(self, doc: Doc) -> Doc:
        if not self._compiled:
            self.initialize()
        view = _DocView(doc)
        text = doc_text(doc)
        lowered = plain_lower(text)
        found = self._scan.find_all(text, lowered)
        pattern_matches, endpoint_matches = found[:len(self._compiled)], found[len(self._compiled):]
        candidates: list[tuple[int, int, str, int]] = []  # start, end, label, priority
        lines = dict(zip(LINE_EXPRESSIONS, self._line_scan.find_all(text, lowered)))
        outcome_lines, measures, registry = self._outcome_lines(text, view, lines)
        structured = (
            list(self._outcome_entities(text, outcome_lines, measures, registry, view))
            + list(self._report_outcomes(text, lines))
            + list(self._endpoint_lists(text, lines))
        )
        outcome_blocks = _report_outcome_blocks(lines)
        structured += self._report_description_subjects(text, outcome_blocks)
        structured += self._description_measures(text, structured)
        for start, end, label in structured:
            candidates.append((start, end, label, 3))
        blocked = _Intervals([(s, e) for s, e, _ in structured])
        in_outcome_line = _Intervals(outcome_lines)
        report_blocks = _Intervals(outcome_blocks)
        schedule_atoms: list[tuple[int, int, str]] = []
        endpoint_windows: list[tuple[int, int]] = []
        for (label, entry, _regex), matches in zip(self._compiled, pattern_matches):
            for match in matches:
                start, end = match.span()
                if start == end or blocked.overlaps(start, end):
                    continue
                if label != "DOSE" and in_outcome_line.overlaps(start, end) and not (
                        entry.get("name") == "daily" and _outcome_line_timing(self._ctx, view, start, end)):
                    continue  # outcome lines: only doses are regimen facts
                if label == "TIMEFRAME" and report_blocks.overlaps(start, end):
                    continue  # a report outcome's window is its ``Time frame:`` line alone
                if entry.get("drug_after") and not view.drug_starts_within(end, end + entry.get("drug_gap", 3)):
                    continue
                if entry.get("drug_before") and not view.drug_ends_within(
                        _drug_bound(text, view, start, entry.get("drug_gap", 3), entry.get("drug_bound")), start):
                    continue  # ``G-CSF after transplantation``: the timing of the drug just named
                if entry.get("not_in_criteria") and view.section_at(start) in ELIGIBILITY_SECTIONS:
                    continue  # ``chemotherapy in the first 3 months of ddI treatment``: an exclusion window
                if entry.get("block_before") and self._ctx[entry["block_before"]].search(
                        text, max(0, start - BEFORE), start):
                    continue  # ``suspended for more than 4 weeks``: not how long the drug is given
                if entry.get("drug_inside") and not view.drug_in(start, end):
                    continue  # a timing counted from another drug's dose names that drug
                if entry.get("name") not in ATTACHED_SCHEDULE and not self._keep(view, label, start, end, entry.get("name", "")):
                    if label == "TIMEFRAME" and self._endpoint_window_candidate(view, start, end):
                        endpoint_windows.append((start, end))  # decided once the ENDPOINTs are known
                    continue  # attached pieces are judged with the piece they join
                if label == "SCHEDULE":
                    schedule_atoms.append((start, end, entry.get("name", "")))
                elif label == "TIMEFRAME":
                    candidates.append((start, end, label, 2))
                else:
                    # ``priority`` lets a whole count of cycles (``five 3-week
                    # cycles``) win over the cycle-length SCHEDULE inside it
                    candidates.append((start, end, label, entry.get("priority", 1)))
        merged_schedules = self._merge_schedules(text, schedule_atoms)
        for start, end in merged_schedules:
            candidates.append((start, end, "SCHEDULE", 2))
        for start, end in _schedule_fallbacks(schedule_atoms, merged_schedules):
            candidates.append((start, end, "SCHEDULE", 1))
        for start, end in self._prose_endpoints(text, endpoint_matches, view, blocked):
            candidates.append((start, end, "ENDPOINT", 1))
        for start, end in self._objective_endpoints(text, lowered, view, blocked):
            candidates.append((start, end, "ENDPOINT", 0))
        for start, end in self._effect_endpoints(text, lowered, view, blocked):
            candidates.append((start, end, "ENDPOINT", 0))
        for start, end in self._objective_list_endpoints(text, lowered, view, blocked):
            candidates.append((start, end, "ENDPOINT", 1))  # the whole object over a name inside it
        for start, end in self._object_endpoints(text, lowered, view):
            candidates.append((start, end, "ENDPOINT", 1))  # the whole named quantity over a name inside it
        for start, end in self._passive_endpoints(text, lowered, view, blocked):
            candidates.append((start, end, "ENDPOINT", 0))
        for start, end in self._measure_endpoints(text, lowered, view, blocked):
            candidates.append((start, end, "ENDPOINT", 0))
        for start, end in self._assessment_list_endpoints(text, lowered, view, blocked):
            candidates.append((start, end, "ENDPOINT", 1))
        for start, end in self._defined_abbreviations(text, view, candidates):
            candidates.append((start, end, "ENDPOINT", 1))
        for start, end in self._quantity_endpoints(text, lowered, view, blocked, candidates):
            candidates.append((start, end, "ENDPOINT", 1))  # after: ``incidence of X (ABC)`` defines a condition
        # candidates as token ranges: a ``Span`` is made only for the few that
        # need one (kept, or cut before a drug)
        items: list[tuple[int, int, int, str]] = []  # priority, first token, end token, label
        strip = self._ctx["leading_words"]
        for start, end, label, priority in candidates:
            lead = strip.match(text, start, end)
            if lead and lead.end() < end and label != "TIMEFRAME":
                start = lead.end()
            if label == "ENDPOINT":
                # ``To determine the change from baseline in ...``: the measure, not the aim
                lead = self._ctx["endpoint_lead"].match(text, start, end)
                if lead and lead.end() < end:
                    start = lead.end()
                    # an aim, no measure: ``Prove superiority to placebo``; in prose
                    # also ``evaluate the tolerance`` (a measure field names its measure)
                    if self._ctx["endpoint_aim_claim"].match(text, start, end) or (
                            priority < 3 and self._ctx["endpoint_aim_vague"].match(text, start, end)):
                        continue
                end = _endpoint_trail_end(self._ctx["endpoint_trail"], text, start, end)
            tokens = view.contract(start, end)  # = doc.char_span(..., alignment_mode="contract")
            if tokens is not None and view.has_alnum(tokens[0], tokens[1]):  # never a bare ")"
                items.append((priority, tokens[0], tokens[1], label))
        drugs = sorted(view.drugs, key=lambda ent: ent.start)
        drug_token_starts = [ent.start for ent in drugs]
        occupied = set()
        for ent in drugs:
            occupied.update(range(ent.start, ent.end))
        # higher priority first, then longer: filter_spans keeps the first of equal length
        items.sort(key=lambda item: (-item[0], -(item[2] - item[1]), item[1]))
        kept_spans = []
        taken: set[int] = set(occupied)
        overridden: set[int] = set()  # drug tokens inside a registry measure
        for priority, first, last, label in items:
            span = None
            if label == "ENDPOINT" and not taken.isdisjoint(range(first, last)):
                whole = Span(doc, first, last, label=label)
                span = self._cut_before_drug(doc, text, whole, occupied)
                if priority == 3 and self._drug_is_measured(doc, text, whole, taken, occupied):
                    # a registry measure of a drug (``Cocaine use``, ``Direct
                    # cocaine effects``): the ENDPOINT wins, the drug is not tagged
                    span = whole
                    measured = set(range(whole.start, whole.end))
                    overridden.update(measured)
                    taken.difference_update(measured)
                if span is not None and span is not whole:
                    span, duration = self._cut_duration_clause(doc, text, span)
                    if duration is not None and taken.isdisjoint(range(duration.start, duration.end)):
                        kept_spans.append(duration)  # ``Completion Rate of 1 Year of Bevacizumab Therapy``
                        taken.update(range(duration.start, duration.end))
                if span is None:
                    continue
                first, last = span.start, span.end
            if (label == "TIMEFRAME" and priority == 3 and not taken.isdisjoint(range(first, last))
                    and self._ctx["timeframe_start"].match(text, view.char_start(first))):
                span = Span(doc, first, last, label=label)
                inner = self._mentions_inside(span, drugs, drug_token_starts, taken)
                if inner:
                    # a registry time-frame field is one TIMEFRAME; the drugs it
                    # names (``within 6 hrs after SK3530 or placebo``) are not tagged
                    overridden.update(inner)
                    taken.difference_update(inner)
            if label in ("SCHEDULE", "DURATION", "TIMEFRAME") and not taken.isdisjoint(range(first, last)):
                span = span or Span(doc, first, last, label=label)
                inner = self._mentions_inside(span, drugs, drug_token_starts, taken, self._is_event_class)
                if inner:
                    # ``Day 2 of the first chemotherapy cycle``, ``24 hours after
                    # chemotherapy``: the treatment word names the event of the timing
                    overridden.update(inner)
                    taken.difference_update(inner)
            if taken.isdisjoint(range(first, last)):
                kept_spans.append(span if span is not None else Span(doc, first, last, label=label))
                taken.update(range(first, last))
        kept_spans += self._endpoint_windows(doc, view, kept_spans, endpoint_windows, taken)
        if overridden:
            drugs = [d for d in drugs if overridden.isdisjoint(range(d.start, d.end))]
        kept_spans, drugs = self._absorb_measured_drugs(doc, text, kept_spans, drugs)
        kept_spans, drugs = self._absorb_drug_before_measure(doc, text, kept_spans, drugs)
        set_entities(doc, drugs + filter_spans(kept_spans), self.write_ents)
        return doc

    def _is_event_class(self, ent, span) -> bool:
        """A class mention inside a timing span that only names the treatment
        event (``Day 2 of the first chemotherapy cycle``)."""
        return (ent.label_ == "DRUG_CLASS" and ent.start > span.start
                and self._ctx["schedule_event_class"].fullmatch(ent.text) is not None) or self._is_event_drug(ent, span)

    def _is_event_drug(self, ent, span) -> bool:
        """A drug inside a timing span after ``after``/``before``/``following``
        (``2 hrs after labetalol or placebo treatment``, ``1 week before start
        of cyclophosphamide-containing chemotherapy``): the other drug's dose
        is the event the timing counts from."""
        if ent.start <= span.start:
            return False
        head = doc_text(span.doc)[span.start_char:ent.start_char]
        return self._ctx["schedule_event_drug_before"].search(head) is not None

    @staticmethod
    def _mentions_inside(span, drugs, starts: list[int], taken: set[int], accept=None) -> set[int]:
        """Tokens of the DRUG/DRUG_CLASS mentions lying wholly inside ``span``
        (all of them ``accept``-ed, when given) when nothing else overlaps it."""
        inside: set[int] = set()
        index = max(0, bisect_right(starts, span.start) - 1)
        while index < len(drugs) and drugs[index].start < span.end:
            ent = drugs[index]
            index += 1
            if ent.end <= span.start:
                continue
            if ent.start < span.start or ent.end > span.end or (accept is not None and not accept(ent, span)):
                return set()
            inside.update(range(ent.start, ent.end))
        if not inside or not taken.isdisjoint(set(range(span.start, span.end)) - inside):
            return set()
        return inside

    def _drug_is_measured(self, doc: Doc, text: str, span, taken: set[int], occupied: set[int]) -> bool:
        """A registry measure whose drug mention overlaps no other attribute
        and is the measured quantity: the drug opens the measure or follows its
        first words without a treatment clause (``Serum Magnesium Level``, not
        ``Effects of buprenorphine``), and no treatment clause (``of``,
        ``with``, ``following`` ...) follows it."""
        if any(i in taken and i not in occupied for i in range(span.start, span.end)):
            return False
        position = span.start
        if position not in occupied:
            position = next((i for i in range(span.start, span.end) if i in occupied), span.end)
            if position == span.end:
                return False
            clause = self._ctx["treatment_clause_end"].search(text, span.start_char, doc[position].idx)
            if clause is not None and clause.group(0).strip():
                return False
            while position < span.end and position in occupied:
                position += 1
            if position == span.end:
                return False  # the measure ends with the drug: nothing says it is measured
        while position < span.end and position in occupied:
            position += 1
        if position == span.end:
            return True  # the measure is only the drug's name
        rest = text[doc[position].idx:span.end_char]
        return self._ctx["measured_drug_after"].match(rest) is not None

    def _cut_before_drug(self, doc: Doc, text: str, span, occupied: set[int]):
        """An ENDPOINT that runs into a drug's treatment clause
        (``... Following Oral Administration of Quizartinib``) ends before it."""
        first = next((i for i in range(span.start, span.end) if i in occupied), None)
        if first is None or first == span.start:
            return None
        head = text[span.start_char:doc[first].idx]
        clause = self._ctx["treatment_clause_end"].search(head)
        end_char = span.start_char + (clause.start() if clause else len(head.rstrip()))
        cut = doc.char_span(span.start_char, end_char, label="ENDPOINT", alignment_mode="contract")
        return cut if cut is not None and len(cut) else None

    def _cut_duration_clause(self, doc: Doc, text: str, span):
        """An ENDPOINT cut before a drug that still ends in the treatment's
        length (``Completion Rate of 1 Year`` before ``of Bevacizumab
        Therapy``): the measure ends before ``of``, the length is a DURATION."""
        clause = self._ctx.get("endpoint_duration_clause")
        match = clause.search(text, span.start_char, span.end_char) if clause is not None else None
        if match is None or match.start() == span.start_char:
            return span, None
        cut = doc.char_span(span.start_char, match.start(), label="ENDPOINT", alignment_mode="contract")
        duration = doc.char_span(match.start(1), match.end(1), label="DURATION", alignment_mode="contract")
        if cut is None or not len(cut) or duration is None or not len(duration):
            return span, None
        return cut, duration

    def _absorb_drug_before_measure(self, doc: Doc, text: str, kept_spans: list, drugs: list):
        """A drug named right before a pharmacokinetic ENDPOINT (``rapamycin
        pharmacokinetics``, ``nab-paclitaxel pharmacokinetic parameters``, ``ZDV
        pharmacokinetics``) is the measured drug: the ENDPOINT opens at it and the
        drug is not tagged. Only a gap of spaces or a hard line wrap
        (never the line break between fields) and one drug."""
        head = self._ctx.get("measured_drug_before")
        if head is None or not drugs:
            return kept_spans, drugs
        ends = {d.end: d for d in drugs if d.label_ == "DRUG"}
        removed: set[int] = set()
        replaced: dict[int, Span] = {}
        for span in kept_spans:
            if span.label_ != "ENDPOINT":
                continue
            drug = ends.get(span.start)
            if drug is None and span.start > 0 and doc[span.start - 1].is_space:
                drug = ends.get(span.start - 1)  # a hard line wrap is a whitespace token
            if drug is None or id(drug) in removed or not head.match(text, span.start_char, span.end_char):
                continue
            if _coordinated_drug(doc, drug.start, ends):
                continue  # ``gemcitabine and fluorouracil pharmacokinetics``: the list's drugs stay drugs
            gap = text[drug.end_char:span.start_char]
            if not ((gap and gap.strip(" \t") == "") or re.fullmatch(r"\r\n[ \t]{1,12}", gap)):
                continue
            replaced[id(span)] = Span(doc, drug.start, span.end, label="ENDPOINT")
            removed.add(id(drug))
        if not replaced:
            return kept_spans, drugs
        return [replaced.get(id(s), s) for s in kept_spans], [d for d in drugs if id(d) not in removed]

    def _absorb_measured_drugs(self, doc: Doc, text: str, kept_spans: list, drugs: list):
        """A drug that is the measured quantity of an ENDPOINT (``Clearance of
        BZ371A``, ``Total Amount of Oral Prednisone Required``): the ENDPOINT
        runs over it and the drug (and a route word before it) is not tagged.
        Only a quantity of the drug's own (concentration, level, clearance,
        AUC, amount, pharmacokinetic parameters ...), ``of`` then one drug, and
        nothing of a treatment after it (a dose, a second drug, ``single
        dose``); ``maximum tolerated dose of X`` and ``effects of X`` keep the drug."""
        quantity = self._ctx.get("measured_quantity_end")
        gap_words = self._ctx.get("measured_quantity_gap")
        tail_words = self._ctx.get("measured_drug_tail")
        list_after = self._ctx.get("measured_drug_list_after")
        if quantity is None or gap_words is None or tail_words is None:
            return kept_spans, drugs
        endpoints = [span for span in kept_spans if span.label_ == "ENDPOINT"]
        if not endpoints or not drugs:
            return kept_spans, drugs
        drug_starts = [d.start for d in drugs]
        removed: set[int] = set()  # ids of dropped spans
        replaced: dict[int, Span] = {}
        for span in endpoints:
            # the drug right after ``of`` first: a search of the whole ENDPOINT only then
            index = bisect_right(drug_starts, span.end - 1)
            if index >= len(drugs) or drugs[index].label_ != "DRUG":
                continue
            drug = drugs[index]
            gap = gap_words.match(text, span.end_char, drug.start_char)
            if gap is None or gap.end() != drug.start_char:
                continue
            if not quantity.search(text, span.start_char, span.end_char):
                continue
            between = [s for s in kept_spans if s.start >= span.end and s.end <= drug.start]
            if any(s.label_ != "ROUTE" for s in between):
                continue
            tail = tail_words.match(text, drug.end_char)
            if tail is None:
                continue
            if index + 1 < len(drugs) and list_after is not None and list_after.fullmatch(
                    text, drug.end_char, drugs[index + 1].start_char):
                continue  # ``profiles of indinavir, ZDV (or d4T), and 3TC``: a list of treatments
            end_token = drug.end
            if tail.end() > drug.end_char:
                extended = doc.char_span(span.start_char, tail.end(), alignment_mode="contract")
                if extended is None or extended.end < drug.end:
                    continue
                end_token = extended.end
            if any(s.start < end_token and s.end > drug.end for s in kept_spans):
                continue
            replaced[id(span)] = Span(doc, span.start, end_token, label="ENDPOINT")
            removed.update(id(s) for s in between)
            removed.add(id(drug))
        if not replaced:
            return kept_spans, drugs
        kept = [replaced.get(id(s), s) for s in kept_spans if id(s) not in removed]
        return kept, [d for d in drugs if id(d) not in removed]

    # -- context ------------------------------------------------------------
    def _keep(self, view: "_DocView", label: str, start: int, end: int, name: str) -> bool:
        text = view.text
        ctx = self._ctx
        before = text[max(0, start - BEFORE):start]
        after = text[end:end + AFTER]
        if label == "DOSE":
            if ctx["dose_comparator_before"].search(before) and not ctx["dose_stated_before"].search(before):
                return False
            if ctx["dose_lab_after"].match(after):
                return False
            if ctx["dose_result_before"].search(before) or ctx["dose_total_after"].match(after):
                return False  # ``total daily 3000 mg``, ``(2000 mg/m2 daily dose)``: not one administration
            return True
        if label == "ROUTE":
            if ctx["route_block_before"].search(before) or (
                    name != "after_drug" and ctx["route_block_after"].match(after)):
                return False  # ``PEN aerosol therapy``: right after its drug, the word is the route
            if name == "body_site" and not ctx["route_body_site_before"].search(before):
                return False  # ``injected into a vein``, not ``a catheter inserted into a vein``
            if name == "body_site" and ctx["procedure_before"].search(text, max(0, start - 80), start) \
                    and not view.drug_in(max(0, start - 80), start):
                return False  # ``Radiotherapy will be administered to the tumor bed``: no drug's route
            if name == "body_site" and ctx["route_applied_before"].search(before) \
                    and not view.drug_in(view.sentence_bounds(start)[0], start):
                return False  # ``Electrodes are applied to the muscle``: a device, not a drug, is applied
            if name == "continuous_infusion" and ctx["route_continuous_block_before"].search(before):
                return False  # ``IV by continuous infusion``: the route is already stated
            word = text[start:end].lower()
            if word == "iv" and ctx["enumeration_before"].search(before) and after.startswith("."):
                return False  # a roman-numbered objective: ``IV. Determine ...``
            if ctx["route_adjective_words"].fullmatch(word):  # an adjective: of a drug, not of an organ or a device
                if not (view.drug_starts_within(end, end + 3) or ctx["route_adjective_after"].match(after)):
                    return False
            if word in ("it", "id") and not view.drug_ends_within(start - 30, start):
                return False
            if text[start:end] in ("iv", "po") and not view.drug_ends_within(start - 30, start):
                return False  # lower-case abbreviations only right after their drug (``X: 200mg, iv``)
            return True
        if label in ("SCHEDULE", "DURATION"):
            sent_start, sent_end = view.sentence_bounds(start)
            # a bounded window of the sentence keeps the work per candidate constant
            sent_start, sent_end = max(sent_start, start - SENTENCE_WINDOW), min(sent_end, end + SENTENCE_WINDOW)
            window = (sent_start, sent_end)
            local = text[max(sent_start, start - 60):start]
            has_drug = view.drug_in(sent_start, sent_end)
            if label == "SCHEDULE" and ctx["schedule_daily_dose"].search(before) and ctx["schedule_dose_after"].match(after):
                return False  # ``(2000 mg/m2 daily dose)``: a day's total, not when the drug is given
            if label == "SCHEDULE" and name in ("daily", "times") and _drug_modified(view, text, end):
                return True  # ``daily avanafil``: the timing word modifies the drug
            if label == "SCHEDULE" and name == "periop_drug":
                # ``Preoperative antibiotic``: the pattern made sure a drug follows
                return view.section_at(start) not in ELIGIBILITY_SECTIONS
            if label == "SCHEDULE" and name == "later":
                # ``followed 2 hours later by gemcitabine``: the pattern made sure a drug follows
                return view.section_at(start) not in ELIGIBILITY_SECTIONS
            if ctx["procedure_before"].search(local) and not view.drug_in(max(sent_start, start - 60), start):
                return False
            procedure = ctx["schedule_close_procedure_before"].search(local)
            if procedure and not view.drug_in(start - len(local) + procedure.start(), start):
                return False  # ``exercise sessions per week``: no drug between the procedure and its timing
            assessed = ctx["assessment_before"].search(local)
            if assessed and not view.drug_in(start - len(local) + assessed.start(), start):
                return False  # no drug between the assessment word and the timing
            if label == "SCHEDULE" and _follow_up_chain(ctx, view, sent_start, start):
                return False  # ``followed every month for the first year, every 3 months ...``
            if not has_drug and view.window_has(ctx, "assessment_words", window) \
                    and not view.window_has(ctx, "treatment_words", window):
                return False
            section = view.section_at(start)
            if label == "SCHEDULE":
                if ctx["schedule_block_before"].search(before):
                    return False
                if _schedule_not_drug(ctx, view, start, end):
                    return False
                if name == "days" and _product_day(ctx, view, start, end):
                    return False  # ``CD34+ PBSC are reinfused on day 0``: the day of the graft
                if name == "slash" and _slash_after_threshold(ctx, text, start):
                    return False
                if name in ("times", "daily") and not has_drug and view.window_has(ctx, "assessment_words", window):
                    return False
                if not has_drug and name == "weeks_list" and section not in ELIGIBILITY_SECTIONS \
                        and ctx["schedule_given_before"].search(local):
                    return True  # ``Patients are vaccinated at weeks 0, 4, 8``: the verb gives the product
                if not has_drug and (name == "weeks_list" or section in ELIGIBILITY_SECTIONS):
                    return False  # assessment weeks; eligibility windows
                if name in ("relative_drug", "relative_treatment", "relative_with") and section in ELIGIBILITY_SECTIONS:
                    return False  # ``No antacids ... 90 minutes after topotecan administration``: a restriction
                return True
            if ctx["duration_block_before"].search(before) and not (
                    name in PHASE_DURATIONS and ctx["duration_phase_before"].search(before)) \
                    and not ctx["duration_stated_before"].search(text, max(0, start - 2 * BEFORE), start):
                # ``during the 2-4 week equilibration phase`` names a treatment phase;
                # ``the duration of treatment will be 4 weeks`` states its length
                return False
            if ctx["duration_stable_before"].search(before) and not ctx["duration_count_end"].search(text[start:end]):
                return False  # ``stable for at least 3 months``: a condition, not a treatment length
            blocked_after = ctx["duration_block_after"].match(after)
            if blocked_after and _count_after_event(ctx, text[start:end], blocked_after.group(0)):
                blocked_after = None
            if blocked_after and not (
                has_drug and ctx["duration_bounded_start"].match(text, start)
                and blocked_after.group(0).strip() in ("prior", "before")
                and (ctx["duration_for_before"].search(text, max(0, start - 16), start)
                     or not ctx["duration_window_after"].match(after))
            ):  # ``for at least 21 days prior to``, ``600 mg/day at least 90 days prior to``; not ``completed at least 1 month prior to``
                return False
            if section in ELIGIBILITY_SECTIONS and not has_drug:
                return False
            if not has_drug and not view.window_has(ctx, "treatment_words", window):
                return False
            return True
        if label == "TIMEFRAME":
            # a window in prose: only right after an assessment verb and its preposition
            if not any(char.isdigit() for char in text[start:end]):
                return False  # a bare ``at baseline`` is not a window
            if ctx["timeframe_block_before"].search(text, max(0, start - 60), start):
                return False  # a visit schedule of the patients, no measure
            if ctx["timeframe_block_after"].match(text, end, end + AFTER):
                return False  # an eligibility window (``within 1 month prior to enrollment``)
            return ctx["timeframe_assessment_before"].search(text, max(0, start - 60), start) is not None
        return True

    def _endpoint_window_candidate(self, view: "_DocView", start: int, end: int) -> bool:
        """A prose time point with no assessment verb before it that may still
        be an ENDPOINT's window (``plasma viral loads below 50 copies/ml after
        24 weeks``): a number in it, right after ``at``/``after``/``over``/...,
        outside eligibility sections, not a visit schedule nor a window
        before an event."""
        ctx = self._ctx
        if "timeframe_endpoint_preposition" not in ctx or not any(char.isdigit() for char in view.text[start:end]):
            return False
        if not ctx["timeframe_endpoint_preposition"].search(view.text, max(0, start - 30), start):
            return False
        if ctx["timeframe_block_before"].search(view.text, max(0, start - 60), start):
            return False
        if ctx["timeframe_block_after"].match(view.text, end, end + AFTER):
            return False
        return view.section_at(start) not in ELIGIBILITY_SECTIONS

    def _endpoint_windows(self, doc: Doc, view: "_DocView", kept_spans: list, windows: list[tuple[int, int]],
                          taken: set[int]) -> list:
        """TIMEFRAMEs of :meth:`_endpoint_window_candidate` that follow an
        ENDPOINT the pipeline kept in the same sentence, close and with no
        clause break, recurring timing or giving of a drug between (GUIDE_ISSUES
        23: a time point stated for a named ENDPOINT)."""
        if not windows:
            return []
        ends = sorted(span.end_char for span in kept_spans if span.label_ == "ENDPOINT")
        if not ends:
            return []
        gap_block, block = self._ctx["timeframe_endpoint_gap_block"], self._ctx["timeframe_endpoint_block"]
        decision = self._ctx.get("timeframe_endpoint_decision_after")
        found = []
        for start, end in windows:
            sent_start, _sent_end = view.sentence_bounds(start)
            index = bisect_right(ends, start) - 1
            if index < 0 or ends[index] < max(sent_start, start - ENDPOINT_WINDOW_GAP):
                continue
            if gap_block.search(view.text, ends[index], start):
                continue
            # no recurring timing inside (``weeks 4 and 8, and then every 3
            # months``) nor an interval after (``at 8 week intervals``)
            if block.search(view.text, start, end) or block.match(view.text[end:end + AFTER]):
                continue
            if decision is not None and decision.match(view.text, end, end + 2 * AFTER):
                continue  # ``Patients with ... at 4 weeks receive ...``: a condition of treatment
            span = doc.char_span(start, end, label="TIMEFRAME")
            if span is None or not taken.isdisjoint(range(span.start, span.end)):
                continue
            taken.update(range(span.start, span.end))
            found.append(span)
        return found

    # -- schedules ----------------------------------------------------------
    def _merge_schedules(self, text: str, atoms: list[tuple[int, int, str]]) -> list[tuple[int, int]]:
        """Join schedule pieces separated only by connector words; drop
        pieces that only make sense attached (``of each cycle``)."""
        atoms = sorted(atoms)
        connector = self._ctx["schedule_connector"]
        merged: list[list] = []
        for start, end, name in atoms:
            if merged and start < merged[-1][1]:
                if end > merged[-1][1]:
                    merged[-1][1] = end
                merged[-1][2].append(name)
                continue
            if merged and name not in LEADING_SCHEDULE and connector.fullmatch(text, merged[-1][1], start):
                merged[-1][1] = end
                merged[-1][2].append(name)
                continue
            closed = _parenthesised_schedule(self._ctx, text, merged[-1][1] if merged else -1, start, end)
            if closed:
                merged[-1][1] = closed  # ``weekly (Days 1, 8, and 15)``: the closing bracket too
                merged[-1][2].append(name)
                continue
            merged.append([start, end, [name]])
        result = []
        for start, end, names in merged:
            if all(n in ATTACHED_SCHEDULE for n in names):
                continue
            result.append((start, end))
        return result

    # -- endpoints in prose -------------------------------------------------
    def _prose_endpoints(self, text: str, endpoint_matches: list[list[re.Match[str]]], view: "_DocView",
                         blocked: "_Intervals") -> list[tuple[int, int]]:
        ctx = self._ctx
        found = []
        for matches in endpoint_matches:
            for match in matches:
                start, end = match.span()
                if blocked.overlaps(start, end):
                    continue  # the outcome line's own fields win
                section = view.section_at(start)
                if section in ELIGIBILITY_SECTIONS:
                    continue  # criteria name lab values and conditions, not measures
                if section == "conditions":
                    continue  # the conditions field names diseases (``Radiation Toxicity``), not measures
                before = text[max(0, start - BEFORE):start]
                if ctx["endpoint_block_before"].search(before):
                    continue  # a stopping rule, a count of events, a defined category
                if ctx["endpoint_weak_block_before"].search(before) and not text[start:end].endswith((")", "）")) \
                        and not ctx["endpoint_weak_unblock_after"].match(text, end, min(len(text), end + AFTER)):
                    continue  # ``at the MTD`` is a dose level; ``until the MTD (MTD)`` still names it
                if ctx["endpoint_block_after"].match(text, end, min(len(text), end + AFTER)):
                    continue
                qualifier = ctx["endpoint_qualifier_before"].search(text, max(0, start - 50), start)
                if qualifier:
                    start = qualifier.start()
                tail = ctx["endpoint_tail_after"].match(text, end, min(len(text), end + 60))
                if tail:
                    end = tail.end()
                found.append((start, end))
        return found

    def _defined_abbreviations(self, text: str, view: "_DocView", candidates) -> list[tuple[int, int]]:
        """Later bare uses of an abbreviation that an ENDPOINT defined
        (``Erectile Hardness Score (EHS)`` ... ``The EHS score``)."""
        defined = set()
        for start, end, label, _priority in candidates:
            if label == "ENDPOINT":
                match = self._ctx["defined_abbreviation"].search(text, start, end)
                if match and match.end(1) + 1 >= end:
                    defined.add(match.group(1))
        if not defined:
            return []
        defined -= self._endpoint_names  # already tagged as names
        if not defined:
            return []
        tail = self._ctx["endpoint_tail_after"]
        found = []
        for match in self._ctx["abbreviation_token"].finditer(text):
            if match.group(0) not in defined:
                continue
            start, end = match.span()
            if text[start - 1:start] == "(" or view.section_at(start) in ELIGIBILITY_SECTIONS:
                continue  # the definition itself; criteria
            if self._ctx["abbreviation_block_after"].match(text, end, min(len(text), end + AFTER)):
                continue  # ``An AE is defined as ...``: a definition, not a measure
            extension = tail.match(text, end, min(len(text), end + 40))
            found.append((start, extension.end() if extension else end))
        return found

    def _objective_endpoints(self, text: str, lowered: str | None, view: "_DocView",
                             blocked: "_Intervals") -> list[tuple[int, int]]:
        """``Determine the X`` / ``Evaluate the X`` in objectives: X, up to the
        first preposition, clause or punctuation, unless X is a vague word
        (``safety``, ``efficacy``) or names a drug."""
        ctx = self._ctx
        stop = ctx["endpoint_objective_stop"]
        reject = ctx["endpoint_objective_reject"]
        found = []
        for match in self._objective_scan.finditer(text, lowered):
            start = match.end()
            window_end = min(len(text), start + 90)
            cut = stop.search(text, start, window_end)
            end = cut.start() if cut else window_end
            phrase = text[start:end]
            words = phrase.split()
            if not words or len(words) > 6 or not words[0][:1].islower():
                continue
            end = start + len(phrase.rstrip())
            lowered = [w.lower() for w in words]
            vague = reject.match(lowered[0]) and (len(words) == 1 or reject.match(lowered[0]).end() == len(lowered[0]))
            if len(words) >= 2 and ctx["endpoint_objective_adjective"].fullmatch(lowered[0]):
                vague = vague or reject.match(lowered[1])
            named = ctx.get("endpoint_objective_named_adjective")
            if vague and len(words) >= 2 and named is not None and named.fullmatch(lowered[0]):
                vague = reject.match(lowered[1])  # ``pharmacokinetic properties``, not ``biological effects``
            if vague or view.drug_in(start, end) or blocked.overlaps(start, end):
                continue
            found.append((start, end))
        return found

    def _objective_list_endpoints(self, text: str, lowered: str | None, view: "_DocView",
                                  blocked: "_Intervals") -> list[tuple[int, int]]:
        """The objects of an objective verb (``- Evaluate quality of life and
        performance status in these patients``, ``to assess the safety,
        tolerance, and immunologic effects of interleukin-10``): the noun
        phrase after the verb up to the first clause, population, method or
        punctuation, split into its coordinated measures; each measure ends
        before ``of`` + a treatment or population; vague aims (``safety``),
        treatments and populations are left out. After ``the relationship
        between`` and ``correlate`` the compared quantities are measures too."""
        ctx = self._ctx
        stop = ctx["endpoint_objective_list_stop"]
        split = ctx["endpoint_objective_list_split"]
        found = []
        for match in self._objective_list_scan.finditer(text, lowered):
            start = match.end()
            if view.section_at(start) in ELIGIBILITY_SECTIONS:
                continue
            cut = stop.search(text, start, min(len(text), start + 200))
            if cut is None:
                continue  # runs on: not a list of measures
            end = start + len(text[start:cut.start()].rstrip(" \t\r\n,"))
            relation = ctx["endpoint_objective_list_relation"].search(text, match.start(), start) is not None
            if not relation:
                with_cut = ctx["endpoint_objective_list_with"].search(text, start, end)
                if with_cut:
                    end = with_cut.start()  # ``compare X with Y``: a treatment comparison
            joints = list(split.finditer(text, start, end))
            if relation:
                joints += list(ctx["endpoint_objective_list_with"].finditer(text, start, end))
                joints.sort(key=lambda joint: joint.start())
            position = start
            pieces = []
            for index, joint in enumerate(joints):
                if joint.start() < position:
                    continue
                before = text[position:joint.start()].split()
                if not before or not text[joint.end():joint.end() + 1].islower() \
                        or ctx["endpoint_objective_list_modifier"].fullmatch(before[-1]):
                    continue  # ``quantitative and qualitative toxicity``, ``grades III and IV``: one measure
                following = text[joint.end():joints[index + 1].start() if index + 1 < len(joints) else end].split()
                if "of" in before and len(following) == 1 and before[-1][-1:] == "s" == following[0][-1:]:
                    continue  # ``time to recovery of platelets and neutrophils``: inside the ``of`` phrase
                pieces.append((position, joint.start()))
                position = joint.end()
            if not (pieces and ctx["endpoint_objective_list_clause"].match(text, cut.start())):
                pieces.append((position, end))  # else the subject of a new clause (``, tumor size is measured``)
            for piece_start, piece_end in pieces:
                piece_end, open_end = self._objective_piece_end(text, piece_start, piece_end, view)
                trail = ctx["endpoint_objective_list_trail"].search(text, piece_start, piece_end)
                if trail:
                    piece_end = trail.start()  # ``toxicity of and disease response to``
                lead = ctx["endpoint_objective_list_strip"].match(text, piece_start, piece_end)
                if lead:
                    piece_start = lead.end()
                piece = text[piece_start:piece_end].strip().rstrip(" \t\r\n*")  # ``response\n*`` (a bullet)
                words = piece.split()
                if not words or len(words) > 10 or not words[0][:1].islower():
                    if open_end:
                        break
                    continue
                flat = " ".join(words).lower()
                if not (ctx["endpoint_objective_list_reject"].fullmatch(flat)
                        or ctx["endpoint_objective_list_bare"].fullmatch(flat)
                        or view.drug_in(piece_start, piece_end) or blocked.overlaps(piece_start, piece_end)):
                    found.append((piece_start, piece_start + len(piece)))
                if open_end:
                    break  # the rest of the list is inside the ``of`` phrase
        return found

    def _objective_piece_end(self, text: str, start: int, end: int, view: "_DocView") -> tuple[int, bool]:
        """Where one coordinated object ends: before ``of`` + the treatment
        or population (``toxicity of radiotherapy``, ``duration of response of
        elderly patients``); after a measure noun that takes a complement
        (``quality of life``, ``incidence of graft-versus-host disease``) only
        before a determiner, a population or a drug. The flag says the object
        ended before a bare noun phrase (``merits of silicone oil or gas``):
        what the list coordinates next belongs to that phrase."""
        ctx = self._ctx
        for of in ctx["endpoint_objective_list_of"].finditer(text, start, end):
            word = text[start:of.start()].split()[-1:] or [""]
            after = of.end()
            if not ctx["endpoint_objective_list_complement"].fullmatch(word[0].lower()) \
                    or ctx["endpoint_objective_list_cut"].match(text, after, end) \
                    or view.drug_starts_within(after, after + 1):
                return of.start(), ctx["endpoint_objective_list_open"].match(text, after, end) is not None
        return end, False

    def _effect_endpoints(self, text: str, lowered: str | None, view: "_DocView",
                          blocked: "_Intervals") -> list[tuple[int, int]]:
        """``the effect of X on Y`` / ``the impact of X on Y``: Y is the measured
        quantity, up to the first preposition, clause or punctuation, unless it
        is a population (``on patients``) or a vague word (``on the efficacy``)."""
        ctx = self._ctx
        stop = ctx["endpoint_effect_stop"]
        reject = ctx["endpoint_effect_reject"]
        found = []
        for match in self._effect_scan.finditer(text, lowered):
            start = match.end()
            window_end = min(len(text), start + 90)
            cut = stop.search(text, start, window_end)
            if cut is None:
                continue  # runs on past the window: not a short named quantity
            end = start + len(text[start:cut.start()].rstrip())
            disease = ctx["endpoint_effect_disease"].match(text[start:end])
            if disease:
                # a disease is not a measure (``on early atherosclerosis``);
                # ``on Erectile Dysfunction and Portal Hemodynamics`` keeps the measure
                start += disease.end()
            words = text[start:end].split()
            if not words or len(words) > 8 or reject.fullmatch(words[0]) or (len(words) == 1 and reject.match(words[0])):
                continue
            if view.section_at(start) in ELIGIBILITY_SECTIONS:
                continue
            if view.drug_in(start, end) or blocked.overlaps(start, end):
                continue
            found.append((start, end))
        return found

    def _set_measures(self, measures: Iterable[dict], abbreviation: str) -> None:
        """The registry measure names (tools/build_endpoint_measures.py) as one
        expression, tried only where ``endpoint_measure_cue`` ends."""
        self.endpoint_measures = [dict(m) for m in measures]
        names = sorted({m["name"] for m in self.endpoint_measures}, key=lambda name: (-len(name), name))
        self._measure_regex = None
        if names:
            alternatives = _names_alternation(names)
            self._measure_regex = re.compile(rf"(?:{alternatives})s?(?![\w-]){abbreviation}", re.I)
        self._measure_cue_scan = Scanner(self._ctx["endpoint_measure_cue"])

    def _measure_endpoints(self, text: str, lowered: str | None, view: "_DocView",
                           blocked: "_Intervals") -> list[tuple[int, int]]:
        """A registry measure name right after a cue that says it is changed
        or measured (``reduce the relapse rate``, ``to assess immune
        response``, ``improvement of neurological function``): outside
        criteria and the conditions field, never a drug, never a threshold."""
        if self._measure_regex is None:
            return []
        found = []
        for cue in self._measure_cue_scan.finditer(text, lowered):
            for start, end in self._measure_names(text, cue.end()):
                section = view.section_at(start)
                if section in ELIGIBILITY_SECTIONS or section == "conditions":
                    continue
                if view.drug_in(start, end) or blocked.overlaps(start, end):
                    continue
                found.append((start, end))
        return found

    def _measure_names(self, text: str, position: int) -> list[tuple[int, int]]:
        """The measure names from ``position`` on: one, then any joined to it
        by a comma, ``and`` or ``or`` (``the response rate and duration of
        response``), each ending where its noun phrase ends."""
        ctx = self._ctx
        names = []
        while len(names) < 8:
            term = self._measure_regex.match(text, position)
            if term is None:
                break
            start, end = term.span()
            tail = ctx["endpoint_tail_after"].match(text, end, min(len(text), end + 60))
            if tail:
                end = tail.end()  # ``complete response rate``
            if not ctx["endpoint_measure_end"].match(text, end, min(len(text), end + 40)):
                break  # the name runs on into a longer noun phrase (``height standard deviation score``)
            if ctx["endpoint_block_after"].match(text, end, min(len(text), end + AFTER)):
                break  # a threshold (``blood pressure > 140``)
            names.append((start, end))
            joint = ctx["endpoint_measure_and"].match(text, end, min(len(text), end + 40))
            if joint is None:
                break
            position = joint.end()
        return names

    def _object_endpoints(self, text: str, lowered: str | None, view: "_DocView") -> list[tuple[int, int]]:
        """The quantity named after ``in terms of``, ``by measuring``, ``with
        respect to`` or a comparison's ``regarding``: each coordinated noun
        phrase up to the first clause, population or window
        (``regarding post-treatment NO serum levels and percentage of change
        from baseline``). Inside outcome lines too: a measure field that is
        an aim (``Comparing avanafil with placebo regarding ...``) names its
        measures there; the measure fields themselves win where they overlap."""
        ctx = self._ctx
        stop = ctx["endpoint_object_stop"]
        split = ctx["endpoint_object_split"]
        reject = ctx["endpoint_object_reject"]
        found = []
        for match in self._object_scan.finditer(text, lowered):
            start = match.end()
            cut = stop.search(text, start, min(len(text), start + 160))
            if cut is None:
                continue  # runs on: not a short named quantity
            end = start + len(text[start:cut.start()].rstrip(" \t\r\n,"))
            if view.section_at(start) in ELIGIBILITY_SECTIONS or view.drug_in(start, end):
                continue
            position = start
            pieces = []
            for joint in split.finditer(text, start, end):
                last = text.rfind(" ", position, joint.start()) + 1 or position
                if ctx["endpoint_object_modifier"].fullmatch(text, max(last, position), joint.start()):
                    continue  # ``complete and partial response rate``, ``incidence of acute and chronic ...``
                pieces.append((position, joint.start()))
                position = joint.end()
            pieces.append((position, end))
            for piece_start, piece_end in pieces:
                piece = text[piece_start:piece_end]
                if piece.count("(") > piece.count(")"):
                    piece_end = piece_start + len(piece[:piece.rfind("(")].rstrip())  # ``drug resistance (i.e.``
                words = text[piece_start:piece_end].split()
                if not words or len(words) > 12 or reject.fullmatch(words[0]) \
                        or (len(words) == 1 and reject.match(words[0])):
                    continue
                found.append((piece_start, piece_end))
        return found

    def _quantity_endpoints(self, text: str, lowered: str | None, view: "_DocView",
                            blocked: "_Intervals", candidates=()) -> list[tuple[int, int]]:
        """A rate or share of something in prose (``the incidence of
        side-effects``, ``rate of healing``, ``probability of overall
        survival``, ``proportion of patients who complete therapy``): the
        quantity word with its ``of`` phrase, up to the first clause,
        preposition or punctuation; a coordinated known measure name after
        ``and``/``or`` is its own mention (``probability of overall survival
        and local control``). Not after a number (``30 percent of patients``),
        a definition (``defined as the proportion of``) or a compound head
        (``heart rate of``); never in criteria or the conditions field. Where
        another rule already ends a measure inside the ``of`` phrase
        (``reduce the incidence of cancer and ...``) at a priority this one
        does not beat, that rule decides."""
        scan = self._quantity_scan
        ctx = self._ctx
        limits = self._quantity_limits
        trail = ctx["endpoint_objective_list_trail"]
        decided: dict[int, int] = {}
        for c_start, c_end, label, priority in candidates:
            if label == "ENDPOINT" and priority >= 1 and c_end > decided.get(c_start, -1):
                decided[c_start] = c_end
        stop = ctx["endpoint_quantity_stop"]
        found = []
        for match in scan.finditer(text, lowered):
            start, body = match.start(), match.end()
            if decided.get(start, -1) > body:
                continue
            section = view.section_at(start)
            if section in ELIGIBILITY_SECTIONS or section == "conditions":
                continue
            if ctx["endpoint_quantity_block_before"].search(text, max(0, start - limits["block_before"]), start):
                continue
            if ctx["endpoint_quantity_reject"].match(text, body):
                continue  # ``rate of the study drug``, ``percent of patients``: no measure
            window_end = min(len(text), body + limits["window"])
            cut = stop.search(text, body, window_end)
            if cut is not None and cut.group().startswith("(") and text[start].isupper():
                # ``Rate of Opportunistic (AIDS-Related) Infections``: a bracket inside a title
                closing = text.find(")", cut.start(), cut.start() + limits["title_bracket"])
                if closing >= 0 and text[closing + 1:closing + 3].strip()[:1].isupper():
                    cut = stop.search(text, closing + 1, window_end)
            if cut is None:
                continue  # runs on: not a short named quantity
            end = body + len(text[body:cut.start()].rstrip())
            closing = text.find(")", body, end)
            if closing >= 0 and text.count("(", start, closing) == 0:
                end = body + len(text[body:closing].rstrip())  # ``(including incidence of infection)``
            for joint in ctx["endpoint_objective_list_split"].finditer(text, body, end):
                if ctx["endpoint_quantity_new_phrase"].search(joint.group()) or ctx["endpoint_quantity_lead"].match(
                        text, joint.end()) or any(
                        regex.match(text, joint.end()) for regex in self._endpoint_regexes):
                    end = joint.start()  # the known name or quantity after the joint is its own mention
                    break
            joined = trail.search(text, body, end)
            if joined:
                end = joined.start()  # ``rate of resistance development and``: no trailing joining word
            if end <= body or len(text[start:end].split()) > limits["max_words"]:
                continue
            if blocked.overlaps(start, end) or view.drug_in(start, end):
                continue  # a drug inside: cut before it, only the bare quantity word would be left
            qualifier = ctx["endpoint_qualifier_before"].search(text, max(0, start - limits["qualifier_before"]), start)
            if qualifier:
                start = qualifier.start()  # ``24-month rate of change in ...``
            found.append((start, end))
        return found

    def _passive_endpoints(self, text: str, lowered: str | None, view: "_DocView",
                           blocked: "_Intervals") -> list[tuple[int, int]]:
        """The subject of a sentence that says it is measured (``Quality of
        life is assessed several times``, ``Alcohol levels using a
        breathalyzer will be measured``): the phrase from the sentence start
        to the verb, cut by ``measure_cut``, unless it is a population, a
        sample or a vague word."""
        ctx = self._ctx
        opening = ctx["passive_sentence_open"]
        reject = ctx["passive_subject_reject"]
        found = []
        for match in self._passive_scan.finditer(text, lowered):
            end = match.start()
            base = max(0, end - 90)
            prefix = "\n" if base == 0 else ""  # the document's start opens a sentence
            head = None
            for head in opening.finditer(prefix + text[base:end]):
                pass  # the last sentence opening before the verb
            if head is None:
                continue
            start = base + head.end() - len(prefix)
            phrase = text[start:end]
            words = phrase.split()
            if not words or len(words) > 10 or not words[0][:1].isupper() or reject.match(phrase) or "," in phrase \
                    or ctx["passive_subject_reject_end"].search(phrase):
                continue  # a comma: an adverbial opening (``In addition, a blood sample ...``)
            cut = ctx["measure_cut"].search(text, start + 1, end)
            if cut:
                end = cut.start()
            if view.section_at(start) in ELIGIBILITY_SECTIONS or view.drug_in(start, end) or blocked.overlaps(start, end):
                continue
            pair = ctx["passive_word_pair"].fullmatch(text, start, end)
            if pair:
                found.extend([pair.span(1), pair.span(2)])  # ``Temperature and symptoms``
                continue
            found.append((start, end))
        return found

    def _assessment_list_endpoints(self, text: str, lowered: str | None, view: "_DocView",
                                   blocked: "_Intervals") -> list[tuple[int, int]]:
        """The list of safety assessments after ``as assessed by`` / ``by
        assessing`` / ``assessments will include`` (``adverse events,
        physical examinations, hematology, ECG and urinalysis``): each short
        item an ENDPOINT, when one of them names a safety assessment
        (``assessment_list_term``); not in eligibility criteria."""
        ctx = self._ctx
        limits = self._assessment_limits
        term, stop, split = ctx["assessment_list_term"], ctx["assessment_list_stop"], ctx["assessment_list_split"]
        coordinated, bare = ctx["assessment_list_coordinated"], ctx["endpoint_objective_list_bare"]
        found = []
        for match in self._assessment_scan.finditer(text, lowered):
            start = match.end()
            window_end = min(len(text), start + limits["window"])
            cut = stop.search(text, start, window_end)
            end = cut.start() if cut else window_end
            items = []
            position = start
            for separator in [*split.finditer(text, start, end), None]:
                item_end = separator.start() if separator else end
                item = text[position:item_end]
                if separator is None:  # ``and`` just before the stop word: ``imaging and was``
                    trail = ctx["endpoint_objective_list_trail"].search(item)
                    item = item[:trail.start()] if trail else item
                opening = item.find("(")
                if opening >= 0:  # a short abbreviation only: ``electrocardiograms (ECGs)``
                    closing = item.find(")", opening)
                    if closing < 0 or closing - opening > limits["max_abbreviation"]:
                        break
                words = item.split()
                if not words or len(words) > limits["max_item_words"] or not words[0][:1].isalpha() or ")" in (item[:opening] if opening >= 0 else item):
                    break
                if separator is not None and coordinated.fullmatch(words[-1]) and (
                        "," not in separator.group() or words[-1].endswith("-")):
                    items = []  # ``clinical and laboratory examinations``: one measure, not a list
                    break
                if not (len(words) == 1 and bare.fullmatch(words[0])):
                    items.append((position, position + len(item.rstrip())))
                if separator is None:
                    break
                position = separator.end()
            if len(items) < 2 or not any(term.search(text, s, e) for s, e in items):
                continue
            if view.section_at(start) in ELIGIBILITY_SECTIONS:
                continue
            found.extend((s, e) for s, e in items if not view.drug_in(s, e) and not blocked.overlaps(s, e))
        return found

    # -- registry outcome lines --------------------------------------------
    def _outcome_entities(self, text: str, lines: list[tuple[int, int]], measures: list[tuple[int, int]],
                          registry: set[tuple[int, int]], view: "_DocView | None" = None) -> Iterable[tuple[int, int, str]]:
        """ENDPOINT = measure, TIMEFRAME = time-frame field of each outcome item."""
        timeframe_start = self._ctx["timeframe_start"]
        continuation = self._ctx["timeframe_continuation"]
        measure_cut = self._ctx["measure_cut"]
        for start, end in measures:
            lead = len(text[start:end]) - len(text[start:end].lstrip())
            cut = _cut_outside_parentheses(measure_cut, text, start + lead + 1, end)
            if cut:
                end = cut.start()  # a measure alone keeps no method clause or window either
            stripped = text[start + lead:end].rstrip(" \t\r;:")
            for piece_start, piece_end in _split_measure(text, start + lead, start + lead + len(stripped),
                                                         self._ctx.get("measure_split")):
                yield piece_start, piece_end, "ENDPOINT"
        field_end = self._ctx["timeframe_field"]
        for line_start, line_end in lines:
            line = text[line_start:line_end]
            item_offset = line_start
            for item in line.split("|"):
                tf_start = (_timeframe_start(item, timeframe_start, continuation, self._ctx["timeframe_lead_point"],
                                             loose=self._ctx.get("timeframe_loose"),
                                             window_open=self._ctx.get("timeframe_window_open"),
                                             stop=self._ctx.get("timeframe_stop_abbreviation"))
                            if ", " in item else None)
                if tf_start is not None and not item.rstrip().endswith(":") and (
                    (line_start, line_end) in registry or field_end.match(item[tf_start:].rstrip(" ."))
                ):
                    for start, end, label in _outcome_item(item, item_offset, timeframe_start, continuation,
                                                           measure_cut, self._ctx["outcome_list_part"],
                                                           self._ctx["outcome_list_object"],
                                                           self._ctx["timeframe_lead_point"],
                                                           self._ctx.get("timeframe_list_item"),
                                                           self._ctx.get("measure_split"),
                                                           self._ctx.get("measure_shared_head"),
                                                           self._ctx.get("measure_piece"),
                                                           self._ctx.get("measure_effect_lead"),
                                                           loose=self._ctx.get("timeframe_loose"),
                                                           window_open=self._ctx.get("timeframe_window_open"),
                                                           stop=self._ctx.get("timeframe_stop_abbreviation"),
                                                           list_head=self._ctx.get("measure_list_head"),
                                                           list_stop=self._ctx.get("measure_list_stop"),
                                                           drug_in=view.drug_in if view is not None else None,
                                                           names=self._endpoint_names_lower):
                        if (label == "ENDPOINT" and view is not None and start > item_offset + item.find(", ")
                                and view.drug_in(start, end)):
                            continue  # a list of drugs (``toxicity of carboplatin, etoposide``)
                        yield start, end, label
                item_offset += len(item) + 1

    def _description_measures(self, text: str, structured: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
        """An outcome description that opens by naming the measure again in
        other words (``Physical Exam, Number of participants with abnormal
        physical exam findings, Baseline and 1 week``; ``Maximum Flow Rate
        (Qmax), Change of the maximum flow rate (Qmax) to assess ...``; ``T1/2,
        Terminal half-life of BZ371A, 0 (Pre-dose) ...``) restates it (guide
        1.1): its opening phrase, up to a verb, method, purpose or threshold
        clause, is an ENDPOINT linked to the line's time frame. Only items whose
        description has no ENDPOINT yet; the opening must be a measure phrase
        (``description_measure_open``), share a content word with the measure,
        or be the whole short description after an abbreviated measure."""
        opening = self._ctx.get("description_measure_open")
        stop = self._ctx.get("description_measure_stop")
        generic = self._ctx.get("description_generic_word")
        if opening is None or stop is None:
            return []
        found = []
        endpoints: list[tuple[int, int]] = []
        for start, end, label in sorted(structured):
            if label == "ENDPOINT":
                endpoints.append((start, end))
                continue
            inside, endpoints = [span for span in endpoints if text.find("|", span[0], start) == -1], []
            if label != "TIMEFRAME" or len(inside) != 1:
                continue  # none, or the description already names one
            measure_start, measure_end = inside[0]
            comma = text.find(", ", measure_end, start)
            if comma == -1 or start - comma > 1500 or text.find("\n", measure_end, comma) != -1:
                continue  # a report's title line is no ``measure, description`` item
            position = comma + 2
            article = _ARTICLE.match(text, position, start)
            head = opening.match(text, position, start) or self._ctx["endpoint_lead"].match(text, position, start)
            if head is None and article:
                position = article.end()
            cut = stop.search(text, position, start)
            method = self._ctx["measure_cut"].search(text, position + 1, cut.start() if cut else start)
            cut = method or cut  # ``in patients treated with ...``, ``as assessed by ...``
            phrase_end = position + len(text[position:cut.start() if cut else start].rstrip(" \t\r\n.;:"))
            phrase = text[position:phrase_end]
            if phrase.count("(") > phrase.count(")"):
                phrase_end = position + len(phrase[:phrase.rfind("(")].rstrip())
                phrase = text[position:phrase_end]
            if cut is not None and self._ctx["description_method_after"].match(text, cut.start(), start):
                continue  # ``The IIEF-15 was used to assess ...``: the instrument is the method
            words = phrase.split()
            if not words or len(words) > 20 or not phrase[:1].isalpha() or phrase.count(")") > phrase.count("("):
                continue
            if self._ctx["description_measure_dangling"].fullmatch(words[-1]) or (
                    head is None and self._ctx["description_measure_reject_first"].fullmatch(words[0])):
                continue  # cut inside a clause (``Percent of patients who``); a sentence (``This table ...``)
            if head is not None and (phrase_end <= head.end() or len(text[head.end():phrase_end].split()) > 14
                                     or (opening.match(text, position, start) is None
                                         and len(text[head.end():phrase_end].split()) > 8)):
                continue  # the opener alone (``Number of participants``); an aim runs on
            measure = text[measure_start:comma]
            if head is not None and self._ctx["description_defined_measure"].search(measure) \
                    and self._ctx["description_count_open"].match(text, position, start):
                continue  # ``Objective Response Rate, Percent of patients who ...`` defines the rate
            if head is None:
                # the phrase's head words name the measure's thing (``Adverse Effects
                # Evaluation, Adverse effect evaluation of ...``), not a word deep inside
                shared = _content_words(" ".join(words[:3]), generic) & _content_words(measure, generic)
                whole = cut is None or cut.start() >= start - 1
                short_name = (" " not in measure.strip() and len(measure.strip()) <= 6 and whole
                              and len(words) <= 8 and phrase[:1].isupper())
                if not shared and not short_name:
                    continue
            found.append((position, phrase_end, "ENDPOINT"))
        return found

    def _outcome_lines(self, text: str, view: "_DocView", lines_found: dict[str, list[re.Match[str]]]):
        """Outcome lines: those of the sectionizer's ``outcomes`` sections, up
        to three lines after a ``TYPE: name|...`` interventions line whose
        items all end in a time-frame field, and prose lines that start with
        an endpoint name and end in a ``, From ...`` window."""
        lines: list[tuple[int, int]] = []
        for range_start, range_end in view.outcome_ranges:
            block = text[range_start:range_end]
            if ", " not in block or block.lstrip().startswith(("Primary", "Secondary", "Outcome")):
                continue
            position = range_start
            for line in block.split("\n"):
                lines.append((position, position + len(line)))
                position += len(line) + 1
        items, measures = self._registry_items(text)
        lines.extend(items)
        lines.extend(measures)
        for match in lines_found["outcome_prose_line"]:
            line_start, line_end = match.start(), match.end()
            head = text[line_start:min(line_end, line_start + 80)]
            if any(regex.match(head) for regex in self._endpoint_regexes):
                end = line_end
                while end > line_start and text[end - 1] in " .\r":
                    end -= 1
                lines.append((line_start, end))
        cut = _description_block_start(text, items + measures, self._ctx["interventions_line"],
                                       self._ctx["description_label_line"], self._ctx["timeframe_field"])
        if cut is not None:
            lines = [(start, end) for start, end in lines if start < cut and end <= cut]
            items = [(start, end) for start, end in items if end <= cut]
            measures = [(start, end) for start, end in measures if end <= cut]
        # the registry items and measures first: they are finer than whole
        # lines of the outcomes section, which only fill the gaps
        registry = _Intervals(items + measures)
        unique = sorted(
            set(items + measures) | {span for span in lines if not registry.overlaps(*span)},
            key=lambda span: (span[0], -span[1]),
        )
        kept: list[tuple[int, int]] = []
        for span in unique:
            if not kept or span[0] >= kept[-1][1]:
                kept.append(span)
        return kept, measures, set(items)

    def _registry_items(self, text: str) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
        """Outcome items after a ``TYPE: name|...`` interventions line.

        An item ends at ``|`` or at a field break (a newline that is not part
        of a ``\\r\\n`` hard wrap) when the text before it ends in a
        ``, time frame`` field; descriptions may span several lines. The
        first text that ends in no time-frame field is the description."""
        match = self._ctx["interventions_line"].search(text)
        field_end = self._ctx["timeframe_field"]
        loose_field = self._ctx["timeframe_loose"]

        def ends_in_timeframe(start: int, end: int) -> bool:
            comma = text.rfind(", ", start, end)
            if comma == -1:
                return False
            comma = _number_list_comma(self._ctx, text, start, comma)  # ``, 1, 3, and 6 months``
            tail = text[comma + 2:end].rstrip(" .\r")
            if "\n" in tail or ". " in tail or len(tail) > 160:
                return False
            return field_end.match(tail) is not None or (len(tail) <= 40 and loose_field.match(tail) is not None)

        def sentence_timeframe(start: int, end: int) -> bool:
            comma = text.rfind(", ", start, end)
            if comma == -1:
                return False
            tail = text[comma + 2:end].rstrip(" .\r")
            return 0 < len(tail) <= 200 and loose_field.match(tail) is not None

        items: list[tuple[int, int]] = []
        measures: list[tuple[int, int]] = []
        if match:
            position = match.end() + 1
        else:
            # no interventions line: the first line after the title, summary
            # and conditions lines whose first item ends in a time-frame field
            position = None
            line_start = text.find("\n") + 1
            for index in range(1, MAX_LAYOUT_LINES):
                if line_start <= 0 or line_start >= len(text):
                    break
                line_end = text.find("\n", line_start)
                while line_end != -1 and text[line_end - 1:line_end] == "\r":
                    line_end = text.find("\n", line_end + 1)  # a hard wrap inside a field
                line_end = len(text) if line_end == -1 else line_end
                bar = text.find("|", line_start, line_end)
                item_end = bar if bar != -1 else line_end
                if index >= 2 and _plain_item(text, line_start, item_end) and (
                    ends_in_timeframe(line_start, item_end) or sentence_timeframe(line_start, item_end)
                ):
                    position = line_start
                    break
                line_start = line_end + 1
            if position is None:
                return [], []
        groups = 0
        in_line = False  # an item of the current line ended at ``|``
        crlf_wrapped = "\r\n" in text  # legacy export layout: in-field breaks are ``\r\n``

        def items_seen_break(start: int) -> bool:
            return text[start:start + 1] in ("", "\n", " ", "\t", "\r")

        while position < len(text) and groups < 3:
            if self._ctx["arm_label_line"].match(text, position):
                break  # ``Label: description`` lines of arms and interventions follow
            bar = text.find("|", position)
            limit = min(len(text), position + 2500)
            label = self._ctx["arm_label_line"].search(text, position, limit)
            if label and not _label_in_paragraphs(text, position, label.start(), bar, ends_in_timeframe) \
                    and not _label_in_definitions(text, position, label.start(), bar, ends_in_timeframe):
                limit = label.start()
            end = None
            if crlf_wrapped:
                bare = _bare_newline(text, position, limit)
                if bare != -1:
                    limit = bare + 1  # a bare newline there is a field break: no item crosses it
            newline = text.find("\n", position, limit)
            while newline != -1 and (bar == -1 or newline < bar):
                if (text[newline - 1:newline] != "\r" and not _paragraph_break(text, newline)
                        and ends_in_timeframe(position, newline)):
                    end = newline
                    break
                newline = text.find("\n", newline + 1, limit)
            if end is None and newline == -1 and limit == len(text) and ends_in_timeframe(position, len(text)):
                end = len(text)
            first_break = text.find("\n", position, limit)
            if first_break == -1 and limit == len(text):
                first_break = len(text)
            if (
                end is None and first_break != -1 and (bar == -1 or first_break < bar)
                and text[first_break - 1:first_break] != "\r" and not _paragraph_break(text, first_break)
                and _plain_item(text, position, first_break) and sentence_timeframe(position, first_break)
            ):
                end = first_break  # a one-line item whose time frame is a sentence
            if end is None and bar != -1 and bar < limit and ends_in_timeframe(position, bar):
                end = bar
            single = text.find("\n", position, bar if bar != -1 else limit) == -1
            if end is None and bar != -1 and bar < limit and single and _plain_item(text, position, bar):
                # an item of a ``|`` list whose time-frame field is a sentence
                # (``It will be measured after 12 weeks``), or a measure alone
                if ", " in text[position:bar]:
                    end = bar
                else:
                    measures.append((position, bar))
                    position = bar + 1
                    in_line = True
                    continue
            if end is None and in_line and not items_seen_break(position):
                line_end = text.find("\n", position)
                line_end = len(text) if line_end == -1 else line_end
                if (line_end < limit or limit == len(text)) and _plain_item(text, position, line_end):
                    if ", " in text[position:line_end]:
                        end = line_end
                    else:
                        measures.append((position, line_end))
                        groups += 1
                        in_line = False
                        position = line_end + 1
                        continue
            if (end is None and crlf_wrapped and limit <= len(text) and text[limit - 1:limit] == "\n"
                    and (bar == -1 or bar > limit) and ", " in text[position:limit - 1]
                    and _plain_item(text, position, limit - 1)
                    and not _prose_block(text, position, limit - 1, groups > 0 and not in_line)):
                end = limit - 1  # the last item of a field ends at the field break
            if end is not None and _prose_block(text, position, end, groups > 0 and not in_line):
                break  # a narrative field (description) begins: no outcome item
            if end is not None and not _measure_one_line(text, position, end):
                # a measure never spans lines: the line before the first
                # break is an outcome of its own (a measure alone), unless it
                # is a paragraph or sentences of a narrative field
                line_end = text.find("\n", position, end)
                if (_paragraph_break(text, line_end) or bar != -1 and bar < line_end
                        or not _plain_item(text, position, line_end) or line_end - position > 200
                        or _SENTENCE_END.search(text, position, line_end)):
                    break
                measures.append((position, line_end))
                groups += 1
                in_line = False
                position = line_end + 1
                continue
            if end is None:
                line_end = text.find("\n", position)
                line_end = len(text) if line_end == -1 else line_end
                line = text[position:line_end].rstrip("\r ")
                parts = line.split("|")
                if (
                    not items and line and not line[0].isspace() and ", " not in line and not line.endswith(".")
                    and not self._ctx["arm_label_line"].match(line)
                    and all(0 < len(part.strip()) <= 200 for part in parts)
                ):
                    # measure-only outcomes (no description, no time frame)
                    offset = position
                    for part in parts:
                        measures.append((offset, offset + len(part)))
                        offset += len(part) + 1
                    groups += 1
                    position = line_end + 1
                    continue
                break
            items.append((position, end))
            if end == len(text) or text[end] == "\n":
                groups += 1
                in_line = False
            else:
                in_line = True
            position = end + 1
        return items, measures

    def _endpoint_lists(self, text: str, lines_found: dict[str, list[re.Match[str]]]) -> Iterable[tuple[int, int, str]]:
        """Bulleted items under a ``Primary Endpoint:`` / ``Secondary
        Endpoints:`` header: each short item is an ENDPOINT."""
        for match in lines_found["endpoint_list_header"]:
            position = match.end()
            while position < len(text):
                end = text.find("\n", position)
                end = len(text) if end == -1 else end
                line = text[position:end]
                if not line.strip():
                    position = end + 1
                    continue
                bullet = self._ctx["list_bullet"].match(line)
                if not bullet:
                    break
                content = line[bullet.end():].rstrip(" \t\r.;")
                if content and ", " not in content and len(content.split()) <= 10:
                    yield position + bullet.end(), position + bullet.end() + len(content), "ENDPOINT"
                position = end + 1

    def _report_outcomes(self, text: str, lines_found: dict[str, list[re.Match[str]]]) -> Iterable[tuple[int, int, str]]:
        """Trial-report layout: ``Outcome Measurement:`` title line and ``Time frame:`` line."""
        measure_cut = self._ctx["measure_cut"]
        for match in lines_found["report_outcome_title"]:
            start, end = match.span(1)
            title = text[start:end]
            lead = self._ctx["report_title_lead"].match(title)
            start += lead.end()
            title = text[start:end]
            cut = measure_cut.search(title)
            if cut:
                end = start + cut.start()
            end = start + len(text[start:end].rstrip(" ,.;:"))
            if end > start:
                yield start, end, "ENDPOINT"
                next_line = text.find("\n", match.end(1))
                if next_line != -1:
                    indent = len(text[next_line + 1:next_line + 9]) - len(text[next_line + 1:next_line + 9].lstrip(" \t"))
                    restated = _restated(text, next_line + 1 + indent, text[start:end])
                    if restated:
                        yield restated[0], restated[1], "ENDPOINT"
                    else:
                        # ``DFS was measured from ...``, ``FACT-B is used for ...``: the
                        # description names the measure it explains
                        subject = self._ctx["report_description_subject"].match(text, next_line + 1 + indent)
                        if subject:
                            cut = measure_cut.search(text, subject.start(1), subject.end(1))
                            yield subject.start(1), cut.start() if cut else subject.end(1), "ENDPOINT"
        for match in lines_found["report_time_frame"]:
            yield match.start(1), match.end(1), "TIMEFRAME"


    def _report_description_subjects(self, text: str, outcome_blocks: list[tuple[int, int]]
                                     ) -> list[tuple[int, int, str]]:
        """Trial-report outcome descriptions: a sentence whose subject is a
        measure (``Acute side effects are ...``, ``The rate of injection site
        clearance is ...``, ``Percentage of participants with tpCR was
        reported``) restates or names a measure of the outcome: its subject,
        without a trailing ``for each arm`` or ``in blood``, is an ENDPOINT.
        ``outcome_blocks``: :func:`_report_outcome_blocks`."""
        subject = self._ctx.get("report_subject_measure")
        if subject is None:
            return []
        found = []
        for block_start, block_end in outcome_blocks:
            position = text.find("\n", block_start)
            position = text.find("\n", position + 1) if position != -1 else -1  # past the title line
            if position == -1 or position >= block_end:
                continue
            starts = []
            while position != -1 and position < block_end:
                line_start = position + 1
                line_end = text.find("\n", line_start, block_end)
                line_end = block_end if line_end == -1 else line_end
                indent = len(text[line_start:line_end]) - len(text[line_start:line_end].lstrip(" \t"))
                starts.append(line_start + indent)
                stop = text.find(". ", line_start, line_end)
                while stop != -1:
                    starts.append(stop + 2)
                    stop = text.find(". ", stop + 2, line_end)
                position = line_end if line_end < block_end else -1
            for index, start in enumerate(starts):
                if not text[start:start + 1].isupper():
                    continue  # a sentence opens with a capital
                match = subject.match(text, start, block_end)
                if match:
                    cut = _cut_outside_parentheses(self._ctx["measure_cut"], text, match.start(1) + 1, match.end(1))
                    found.append((match.start(1), cut.start() if cut else match.end(1), "ENDPOINT"))
                elif index == 0:
                    span = self._report_description_phrase(text, start, block_end)
                    if span is not None:
                        found.append((span[0], span[1], "ENDPOINT"))
        return found

    def _report_description_phrase(self, text: str, start: int, block_end: int) -> tuple[int, int] | None:
        """A report outcome description that opens with a measure phrase and
        no verb (``Count of study participants who had ... (TEAE) defined as
        ...``, ``Comparison of plasma microparticle concentration between
        baseline and week 4``) restates the measure: the phrase up to a verb,
        method, threshold or window clause is an ENDPOINT."""
        opening = self._ctx.get("report_description_open")
        stop = self._ctx.get("description_measure_stop")
        if opening is None or stop is None:
            return None
        match = opening.match(text, start, block_end)
        if match is None:
            return None
        position = match.end()
        line_end = text.find("\n", position, block_end)
        line_end = block_end if line_end == -1 else line_end
        end = line_end
        for cut in (stop.search(text, position, line_end), self._ctx["report_description_stop"].search(text, position, line_end),
                    _cut_outside_parentheses(self._ctx["measure_cut"], text, position + 1, line_end)):
            if cut is not None and cut.start() < end:
                end = cut.start()
        phrase = text[position:end].rstrip(" \t\r.;:,")
        words = phrase.split()
        if len(words) < 4 or len(words) > 20 or phrase.count("(") != phrase.count(")") \
                or self._ctx["description_measure_dangling"].fullmatch(words[-1]) \
                or self._ctx["report_description_open_clause"].search(phrase):
            return None  # the opener alone, a long run-on, or a cut inside a clause
        counted = self._ctx["description_measure_open"].match(text, position, line_end)
        if counted is not None and counted.end() >= position + len(phrase):
            return None  # ``Number of participants`` alone names no measure
        return position, position + len(phrase)


def _outcome_item(item: str, item_offset: int, timeframe_start, continuation, measure_cut, list_part=None,
                  list_object=None, lead_point=None, list_item=None, split=None, shared_head=None, piece=None,
                  effect_lead=None, loose=None, window_open=None, stop=None, list_head=None, list_stop=None,
                  drug_in=None, names=None):
    parts = item.split(", ")
    if len(parts) < 2 or not parts[0].strip():
        return
    tf_start = _timeframe_start(item, timeframe_start, continuation, lead_point, list_item, loose, window_open, stop)
    shared = shared_head.match(item) if shared_head is not None else None
    if shared and item.startswith(", ", shared.end()) and (tf_start is None or shared.end() < tf_start):
        # ``FSFI Desire, Satisfaction and Arousal Domains``: the list shares one head, one measure
        parts = [item[:shared.end()]] + item[shared.end() + 2:].split(", ")
    parts = _bracketed_measure(parts, tf_start)
    parts = _object_list_measure(parts, tf_start, list_head, list_part, list_stop,
                                 None if drug_in is None else lambda start, end: drug_in(item_offset + start,
                                                                                        item_offset + end),
                                 names)
    clause = measure_cut.search(parts[0])
    if clause and clause.group(0).strip() in (":", ";"):
        clause = None  # ``Pharmacokinetic parameters: AUC, Cmax, ...`` still lists measures
    if list_object is not None and list_object.search(parts[0].rstrip()):
        clause = list_object  # ``fractures of the hip, spine, ...``: the list names places, not measures
    if list_part is not None and not clause and parts[0].count("(") == parts[0].count(")"):
        # a measure field that lists measures (``Pulse, blood pressure``, ``IIEF,
        # SEAR, ..., and Morisky Compliance``) or a description that only names
        # the measure again: each short noun phrase before the time frame
        position = len(parts[0]) + 2
        for part in parts[1:]:
            if tf_start is not None and position >= tf_start:
                break
            named = list_part.fullmatch(part)
            if not named:
                break  # the description proper begins
            yield item_offset + position + named.start(1), item_offset + position + named.end(1), "ENDPOINT"
            position += len(part) + 2
    measure = parts[0]
    lead = len(measure) - len(measure.lstrip())
    if measure.startswith(("- ", "\u2022 "), lead):
        lead = len(measure) - len(measure[lead + 1:].lstrip())  # a bullet (``- Safety and tolerability``)
    article = _ARTICLE.match(measure, lead)
    if article:
        lead = article.end()
    effect = effect_lead.match(measure, lead) if effect_lead is not None else None
    if effect and effect.end() < len(measure.rstrip(" .")):
        lead = effect.end()  # ``Effect of tadalafil on erectile function``: the measure is what is affected
    measure_end = len(measure)
    cut = _cut_outside_parentheses(measure_cut, measure, lead, len(measure))
    if cut and cut.start() > lead:
        measure_end = cut.start()
    measure_end = lead + len(measure[lead:measure_end].rstrip(" ;:.,"))
    for start, end in _split_measure(measure, lead, measure_end, split):
        yield item_offset + start, item_offset + end, "ENDPOINT"
    semicolon = measure.find("; ", lead)
    if piece is not None and semicolon != -1 and measure.count("(", 0, semicolon) == measure.count(")", 0, semicolon):
        for start, end in _measure_pieces(measure, semicolon + 1, measure_cut, piece):
            yield item_offset + start, item_offset + end, "ENDPOINT"
    if measure_end > lead:
        restated = _restated(item, len(measure) + 2, measure[lead:measure_end])
        if restated:
            yield item_offset + restated[0], item_offset + restated[1], "ENDPOINT"
    if tf_start is not None:
        tail = item[tf_start:].rstrip(" \t\r.")
        if tail.endswith("]") and "[" not in tail:
            tail = tail[:-1].rstrip()  # the field's closing bracket (``[measured at baseline, 1 month]``)
        if tail:
            yield item_offset + tf_start, item_offset + tf_start + len(tail), "TIMEFRAME"


def _bracketed_measure(parts: list[str], tf_start: int | None, most: int = 6) -> list[str]:
    """The comma-split parts of an outcome item, with the measure (``parts[0]``)
    joined again to the parts its open bracket spans (``Response Rate
    (Complete, Partial Response and Stable Disease)``, ``sub score (storage,
    voiding)``): a comma inside a bracket ends no measure. The parts stay as
    they are when the bracket is still open after ``most`` parts or would close
    only in the time frame (``tf_start``, an offset in the item)."""
    depth = parts[0].count("(") - parts[0].count(")")
    if depth <= 0:
        return parts
    length = len(parts[0])
    for index in range(1, min(len(parts), most + 1)):
        length += 2 + len(parts[index])
        if tf_start is not None and length >= tf_start:
            break
        depth += parts[index].count("(") - parts[index].count(")")
        if depth <= 0:
            return [", ".join(parts[:index + 1])] + parts[index + 1:]
    return parts


def _object_list_measure(parts: list[str], tf_start: int | None, list_head, list_part, list_stop=None,
                         drug_in=None, names=None, most: int = 8) -> list[str]:
    """The comma-split parts of an outcome item, with a measure whose object is
    a list (``Changes in the satisfaction of intercourse, orgasmic function,
    sexual desire and overall satisfaction``, ``Change in the GAQ, SEP, IIEF,
    SEAR, and RSE scores``) joined again into one measure: ``parts[0]`` ends in
    a preposition and its object (``list_head``), the next parts are short noun
    phrases (``list_part``) and the list closes with ``and``/``or`` before the
    time frame (``tf_start``). Any other item keeps its parts, and so does a
    list of examples (``list_stop``: ``including IL-6, ...``), of drugs
    (``drug_in(start, end)`` over offsets in the item) or of measures named on
    their own (a piece ending in an endpoint term of ``names``, lower case:
    ``Rates of premature termination, adverse events, ..., and ...``)."""
    if list_head is None or list_part is None or len(parts) < 2 or not list_head.search(parts[0].rstrip()):
        return parts
    length = len(parts[0])
    for index in range(1, min(len(parts), most + 1)):
        part = parts[index]
        length += 2 + len(part)
        if tf_start is not None and length >= tf_start:
            break
        if list_stop is not None and list_stop.match(part):
            break
        last = part.startswith(("and ", "or "))
        pieces = [part[3:] if part.startswith("or ") else part]
        if not last and part.count(" and ") == 1:
            pieces = part.split(" and ")  # ``Graft Loss and Death``
            last = True
        if not all(list_part.fullmatch(piece) for piece in pieces):
            break
        if names and any(_ends_in_name(piece, names) for piece in pieces):
            break
        if last:
            if drug_in is not None and drug_in(len(parts[0]), length):
                break
            return [", ".join(parts[:index + 1])] + parts[index + 1:]
    return parts


def _ends_in_name(phrase: str, names: frozenset[str], most: int = 4) -> bool:
    """``phrase`` (lower-cased) or one of its last ``most`` words alone or
    together is one of ``names`` (``ECG abnormalities`` ... ``adverse events``)."""
    words = phrase.lower().strip(" .;").split()
    if words and words[0] == "and":
        words = words[1:]
    return any(" ".join(words[-count:]) in names for count in range(1, min(len(words), most) + 1))


def _report_outcome_blocks(lines_found: dict[str, list[re.Match[str]]]) -> list[tuple[int, int]]:
    """Trial-report outcome blocks: from each ``Outcome Measurement:`` title
    to the first ``Time frame:`` line after it. The description between them
    explains the measure; its window is the ``Time frame:`` line, so a window
    in the description (``measured at baseline and week 4``) is no TIMEFRAME."""
    frames = [match.start() for match in lines_found["report_time_frame"]]
    titles = [match.start() for match in lines_found["report_outcome_title"]]
    blocks = []
    for number, start in enumerate(titles):
        index = bisect_right(frames, start)
        if index < len(frames) and (number + 1 == len(titles) or frames[index] < titles[number + 1]):
            blocks.append((start, frames[index]))  # blocks never overlap: the work stays linear
    return blocks


def _cut_outside_parentheses(measure_cut, text: str, start: int, end: int):
    """The first ``measure_cut`` match in ``text[start:end]``, never one
    inside a parenthesis: an abbreviation spelled out there (``Erectile
    function score (IIEF: international index of erectile function) after
    ...``) stays with the name, any other aside (``Response rate (complete
    response [CR] and partial response [PR])``, ``(OR; Assessed by RECIST)``)
    is cut off at its bracket."""
    position = start
    while True:
        cut = measure_cut.search(text, position, end)
        if cut is None:
            return None
        opened = text.rfind("(", start, cut.start())
        if opened == -1 or text.find(")", opened, cut.start()) != -1:
            return cut
        closing = text.find(")", cut.start(), end)
        if closing == -1:
            return cut  # never closed: the bracket is no aside
        if closing - opened > 80 or not _SPELLED_ABBREVIATION.match(text, opened):
            return _BRACKET_CUT.search(text, opened - 1 if opened > start else opened, opened + 1)
        position = closing + 1


def _split_measure(text: str, start: int, end: int, split) -> list[tuple[int, int]]:
    """A measure naming what it measures (``Number of Participants with
    Adverse Events as a Measure of Safety and Tolerability``) is two
    ENDPOINTs, the count and the measured quality; any other is one."""
    if end <= start:
        return []
    found = split.search(text, start, end) if split is not None else None
    if found is None or found.start() == start or found.end() >= end:
        return [(start, end)]
    return [(start, found.start()), (found.end(), end)]


def _measure_pieces(measure: str, position: int, measure_cut, piece) -> list[tuple[int, int]]:
    """The measures after the first ``; `` of a measure field (``Changes in
    erectile function ...; assessment of safety``): each piece up to the next
    ``;``, cut by ``measure_cut``, that ``piece`` accepts as a short measure
    name (its group 1 is the name, after any lead such as ``Assess``)."""
    found = []
    while position < len(measure):
        semicolon = measure.find(";", position)
        end = len(measure) if semicolon == -1 else semicolon
        start = position + len(measure[position:end]) - len(measure[position:end].lstrip())
        cut = _cut_outside_parentheses(measure_cut, measure, start + 1, end)
        stop = cut.start() if cut else end
        named = piece.fullmatch(measure[start:stop].rstrip(" .,:"))
        if named:
            found.append((start + named.start(1), start + named.end(1)))
        position = end + 1
    return found


def _content_words(phrase: str, generic) -> set[str]:
    """The stems (first five letters) of a phrase's words of four or more
    letters that are not generic measure words (``generic``)."""
    words = re.findall(r"[A-Za-z][A-Za-z-]{3,}", phrase)
    return {w.lower()[:5] for w in words if generic is None or not generic.fullmatch(w)}


def _number_list_comma(ctx: dict, text: str, start: int, comma: int) -> int:
    """The comma before a time-frame field that is a list of numbers
    (``measure, 1, 3, 6, 12, and 18 months post surgery``): the last ``, ``
    of such a field is inside it, before ``and 18 months``. Returns
    ``comma`` unchanged when the text after it is no list's last member."""
    if not ctx["timeframe_list_last"].match(text, comma + 2):
        return comma
    piece_re = ctx["timeframe_list_piece"]
    chosen = comma
    for _ in range(MAX_LIST_PIECES):
        previous = text.rfind(", ", start, chosen)
        if previous == -1 or not piece_re.fullmatch(text, previous + 2, chosen):
            break
        chosen = previous
        if not text[chosen + 2].isdigit():
            break  # ``Weeks 0, 6, and 14``: the word opens the list
    return chosen


def _schedule_fallbacks(atoms: list[tuple[int, int, str]], merged: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Leading parts of a joined schedule, tried when the whole loses to a
    drug it names (``once every 4 weeks beginning 1 week before start of
    cyclophosphamide-containing chemotherapy``): the longest part before the
    drug stays (``once every 4 weeks``)."""
    pieces = []
    atoms = sorted(atoms)
    atom_starts = [s for s, _, _ in atoms]
    for m_start, m_end in merged:
        inside = [(s, e, n) for s, e, n in atoms[bisect_left(atom_starts, m_start):bisect_left(atom_starts, m_end)]
                  if e <= m_end]
        if len(inside) < 2:
            continue
        reach, free = m_start, False
        for s, e, name in inside[:-1]:
            reach = max(reach, e)
            free = free or name not in ATTACHED_SCHEDULE
            if free and reach < m_end:
                pieces.append((m_start, reach))
    return pieces


def _parenthesised_schedule(ctx: dict, text: str, previous_end: int, start: int, end: int) -> int:
    """End of the closing bracket when the piece ``start``-``end`` is all a
    bracket holds right after the schedule ending at ``previous_end``
    (``weekly (Days 1, 8, and 15)``, ``twice weekly (on days 1 and 4)``); 0
    otherwise. The train gold keeps such brackets inside the schedule."""
    if previous_end < 0 or not ctx["schedule_paren_open"].fullmatch(text, previous_end, start):
        return 0
    close = ctx["schedule_paren_close"].match(text, end, end + 4)
    return close.end() if close else 0


def _schedule_not_drug(ctx: dict, view: "_DocView", start: int, end: int) -> bool:
    """A timing of something else: a record, visit or session (``a daily
    record of symptoms``), or, in a sentence without a drug, of a procedure
    named before it (``Bone marrow transplantation occurs on day 0``)."""
    text = view.text
    if ctx["schedule_block_after"].match(text, end, end + AFTER):
        return True
    while start < end and text[start].isspace():
        start += 1
    sent_start, sent_end = view.sentence_bounds(start)
    sent_start, sent_end = max(sent_start, start - SENTENCE_WINDOW), min(sent_end, end + SENTENCE_WINDOW)
    if view.drug_in(sent_start, sent_end):
        return False
    return ctx["procedure_words"].search(text, sent_start, start) is not None


def _product_day(ctx: dict, view: "_DocView", start: int, end: int) -> bool:
    """A day timing of a stem-cell, marrow or cord-blood infusion, not of a
    drug: the product is named before it in its clause with no drug between
    (``CD34+ PBSC are reinfused on day 0``), or the timing opens its sentence
    and the product comes before any drug (``On day 0, patients receive
    umbilical cord blood``). The train gold never tags these days."""
    text = view.text
    sent_start, sent_end = view.sentence_bounds(start)
    low = max(sent_start, start - FOLLOW_UP_WINDOW)
    low = max(low, text.rfind(";", low, start) + 1)
    product = None
    for match in ctx["schedule_infused_product"].finditer(text, low, start):
        if not _closed_before(text, match.end(), start):
            product = match  # the last one, nearest the timing, not inside a closed parenthesis
    if product is not None and not view.drug_in(product.end(), start):
        return True
    if ctx["schedule_sentence_opening"].fullmatch(text, sent_start, start):
        product = ctx["schedule_infused_product"].search(text, end, min(sent_end, end + FOLLOW_UP_WINDOW))
        return product is not None and not view.drug_in(end, product.start())
    return False


def _closed_before(text: str, position: int, end: int) -> bool:
    """A parenthesis open at ``position`` closes before ``end``: what stands
    at ``position`` is an aside (``days 1-3 (if allogeneic bone marrow
    transplantation is planned) or days 1-4``), not the subject of ``end``."""
    depth = 0
    for char in text[position:end]:
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth < 0:
                return True
    return False


def _coordinated_drug(doc: Doc, start: int, ends: dict) -> bool:
    """The drug starting at token ``start`` is the last of a list of drugs
    (``gemcitabine and fluorouracil``, ``A, B, and C``, ``A/B``)."""
    k = start - 1
    while k >= 0 and doc[k].is_space:
        k -= 1
    if k < 0 or doc[k].lower_ not in ("and", "or", ",", "/", "&", "and/or"):
        return False
    if doc[k].lower_ in ("and", "or") and k > 0 and doc[k - 1].text == ",":
        k -= 1  # a serial comma
    return k in ends


def _drug_modified(view: "_DocView", text: str, end: int) -> bool:
    """A timing word right before a drug of the same phrase (``daily
    avanafil``), not one ending a sentence before the next names a drug
    (``sessions per week. PDE-5 inhibitors``)."""
    return view.drug_starts_within(end, end + 3) and not any(char in ".;:,()" for char in text[end:end + 2])


def _outcome_line_timing(ctx: dict, view: "_DocView", start: int, end: int) -> bool:
    """A frequency word of an outcome line that times the drug named with it:
    right before the drug (``Effect of daily tadalafil 5 mg``) or right after
    the drug's dose (``tadalafil in dose 5 mg daily``). The train gold tags
    every such word (84 of 84)."""
    text = view.text
    if _drug_modified(view, text, end):
        return True
    dose = ctx["schedule_outcome_dose_before"].search(text, max(0, start - 24), start)
    return dose is not None and view.drug_ends_within(dose.start() - 40, dose.start())


def _follow_up_chain(ctx: dict, view: "_DocView", sent_start: int, start: int) -> bool:
    """A timing later in a list of assessment timings: the sentence opens the
    list with an assessment or follow-up word and no drug comes after it."""
    low = max(sent_start, start - FOLLOW_UP_WINDOW)
    chain = ctx["follow_up_chain_before"].search(view.text, low, start)
    return chain is not None and not view.drug_in(chain.start(), start)


def _slash_after_threshold(ctx: dict, text: str, start: int) -> bool:
    """``/day`` after a lab threshold (``urine output less than 50 mL/day``)."""
    amount = ctx["slash_amount_before"].search(text, max(0, start - 30), start)
    if amount is None:
        return False
    before = text[max(0, amount.start() - 40):amount.start()]
    return ctx["dose_comparator_before"].search(before) is not None and not ctx["dose_stated_before"].search(before)


def _count_after_event(ctx: dict, span_text: str, blocked: str) -> bool:
    """A number of cycles or doses before ``after``/``following`` (``up to 4
    more courses after achieving CR``) is still a treatment length."""
    return (ctx["duration_count_end"].search(span_text) is not None
            and ctx["duration_count_after_ok"].fullmatch(blocked.strip()) is not None)


def _plain_item(text: str, start: int, end: int) -> bool:
    """An outcome item of a ``|`` list: starts with a word, not blank, not a
    markdown table cell, at most 1,500 characters."""
    if end - start > 1500 or end <= start:
        return False
    first = text[start]
    return not first.isspace() and first not in "|-*#>" and bool(text[start:end].strip(" \r\t.;:"))


_TEXTBLOCK_WRAP = re.compile(r"\r\n {4}")
_SENTENCE_END = re.compile(r"[.?!] +[A-Z]")


def _endpoint_trail_end(trail, text: str, start: int, end: int) -> int:
    """Where an ENDPOINT candidate ends once the function words and verbs it
    trails are dropped (``Ulcer healing trajectories will be``, ``Maximum
    grade of radiation dermatitis as``): a measure's name never ends in them."""
    match = trail.search(text, start, end)
    return match.start() if match is not None and match.start() > start else end


def _bare_newline(text: str, start: int, end: int) -> int:
    """First newline in ``text[start:end]`` that is not the end of a ``\\r\\n``
    hard wrap, or -1."""
    position = text.find("\n", start, end)
    while position != -1 and text[position - 1:position] == "\r":
        position = text.find("\n", position + 1, end)
    return position


def _prose_block(text: str, start: int, end: int, after_lines: bool = True) -> bool:
    """A candidate outcome item wrapped as a text block (``\\r\\n`` and an
    indent, as legacy descriptions are; outcome fields never are), or whose
    measure (the text before its first ``, ``) is sentences of prose (two
    sentence ends or more; a registry measure is a name) on a line after
    outcome lines (``after_lines``)."""
    if _TEXTBLOCK_WRAP.search(text, start, end) is not None:
        return True
    if not after_lines:
        return False
    comma = text.find(", ", start, end)
    sentences = _SENTENCE_END.finditer(text, start, comma if comma != -1 else end)
    return next(sentences, None) is not None and next(sentences, None) is not None


def _label_in_paragraphs(text: str, start: int, label: int, bar: int, ends_in_timeframe) -> bool:
    """A ``Label: text`` line inside an outcome description of paragraphs
    (``Grade 4, Life-threatening consequences: urgent intervention ...``
    after a blank line) rather than an arm line: a paragraph break comes
    before it in the item, and the item still ends in a time-frame field at
    its ``|``. Arm lines follow the description one per line, never after a
    blank line inside an item."""
    return (bar != -1 and label < bar and text.find("\n\n", start, label) != -1
            and text.find("|", start, label) == -1 and ends_in_timeframe(start, bar))


def _label_in_definitions(text: str, start: int, label: int, bar: int, ends_in_timeframe) -> bool:
    """A ``Label: text`` line among the definitions of an outcome description
    (``CR: total disappearance ...;\nREGR: Definite decrease ..., During
    Treatment``) rather than an arm line: the item holds a ``measure,
    description`` comma on its first line, and its text up to its end (the
    next ``|`` or blank line) still ends in a time-frame field. Arm lines end
    in no time-frame field."""
    first_line = text.find("\n", start, label)
    if first_line == -1 or text.find(", ", start, first_line) == -1 or text.find("|", start, label) != -1:
        return False
    blank = text.find("\n\n", label, bar if bar != -1 else label + 2000)
    end = blank if blank != -1 else bar
    if end == -1:
        end = min(len(text), label + 2000)
        if end != len(text):
            return False
    return end - start <= 2500 and ends_in_timeframe(start, end)


def _measure_one_line(text: str, start: int, end: int) -> bool:
    """The measure of a ``measure, description, time frame`` item (the text
    before its first ``, ``) holds no line break: registry measures are
    one line, so a break before the first ``, `` means the item runs over
    into another field."""
    comma = text.find(", ", start, end)
    newline = text.find("\n", start, end)
    return newline == -1 or (comma != -1 and comma < newline)


def _paragraph_break(text: str, newline: int) -> bool:
    """The newline at ``newline`` ends a paragraph inside a field: a blank
    line and an unindented line follow (an outcome field ends at ``|`` or
    right before the next field; an indented legacy text block opens with a
    blank line)."""
    following = text[newline + 1:newline + 3]
    return following[:1] == "\n" and following[1:] not in ("", " ", "\t", "\r", "\n")


def _restated(text: str, position: int, measure: str) -> tuple[int, int] | None:
    """A description that opens by restating the measure (``The`` allowed):
    the restatement's offsets."""
    article = _ARTICLE.match(text, position, position + 5)
    if article:
        position = article.end()
    candidate = text[position:position + len(measure)]
    after = text[position + len(measure):position + len(measure) + 1]
    if measure and candidate.lower() == measure.lower() and not (after.isalnum() or after == "-"):
        return position, position + len(measure)
    return None


def _timeframe_start(item: str, timeframe_start, continuation, lead_point=None, list_item=None,
                     loose=None, window_open=None, stop=None) -> int | None:
    """Start of the time-frame field: the last ``, `` after the description's
    last full stop that is followed by a time-frame word, stepping back over
    continuations (``, up to approximately 2 years``) of an earlier one and
    over the earlier points of a list of time points (``At 4, 8, 12 weeks``)."""
    first_comma = item.find(", ")
    if first_comma == -1:
        return None
    last_stop = max(item.rfind(". "), item.rfind("., "))
    search_from = max(first_comma, last_stop)
    candidates = []
    position = item.find(", ", search_from)
    while position != -1:
        field = position + 3 if item.startswith("[", position + 2) else position + 2  # ``, [measured at ...]``
        if timeframe_start.match(item, field):
            candidates.append(field)
        position = item.find(", ", position + 2)
    if not candidates:
        parts = item.split(", ")
        if len(parts) < 2:
            return None
        chosen = _timeframe_list_start(item, len(item) - len(parts[-1]), max(first_comma, last_stop), list_item)
        return _description_stop(item, chosen, first_comma, timeframe_start, window_open, stop)
    chosen = candidates[-1]
    for position in reversed(candidates[:-1]):
        segment_end = item.find(", ", chosen)
        segment = item[chosen:segment_end if segment_end != -1 else len(item)].rstrip(" .")
        earlier_end = item.find(", ", position)
        opens = lead_point is not None and earlier_end + 2 == chosen and lead_point.fullmatch(item[position:earlier_end])
        if not continuation.fullmatch(segment) and not opens:
            break  # ``Baseline, 12 weeks``: a bare start point opens the field
        if not opens and not _names_time(item[position:earlier_end], loose, window_open):
            break  # ``Time to use implant for sexual activity, up to 3 months``: a measure, then the field
        chosen = position
    chosen = _timeframe_list_start(item, chosen, search_from, list_item)
    opened = _timeframe_list_opener(item, chosen, search_from, timeframe_start)
    chosen = chosen if opened == chosen else _timeframe_list_start(item, opened, search_from, list_item)
    return _description_stop(item, chosen, first_comma, timeframe_start, window_open, stop)


def _description_stop(item: str, chosen: int, first_comma: int, timeframe_start, window_open, stop) -> int:
    """The field start after a description's closing full stop (``... the
    logrank statistic., Length of time between response and progression,
    assessed up to 5 years``): a field whose own commas or sentences put the
    chosen start inside it begins at the last ``., `` after the measure
    when the text there opens like a time frame; ``stop`` names the
    abbreviations (``i.e., ``, ``et al., ``) whose full stop ends nothing."""
    if stop is None:
        return chosen
    dot = item.rfind("., ", first_comma, chosen)
    if dot == -1 or dot + 3 >= chosen or stop.search(item, max(0, dot - 8), dot + 1) or "\n" in item[dot:chosen]:
        return chosen
    field = dot + 3
    if timeframe_start.match(item, field) or window_open is not None and window_open.match(item, field):
        return field
    return chosen


def _names_time(segment: str, loose, window_open=None) -> bool:
    """Whether a segment that a continuation (``, up to 3 months``) follows
    is a window itself: it opens like one (``From randomization until
    progression``: ``window_open``) or names a time (a number, a time unit, a
    visit, baseline: ``loose``), unlike a measure (``Time to use implant``)."""
    if loose is None or any(char.isdigit() for char in segment) or loose.match(segment) is not None:
        return True
    return window_open is not None and window_open.match(segment) is not None


_BARE_NUMBER_START = re.compile(r"\d{1,4}(?:\.\d{1,2})?(?:,|\s(?:and|or|&)\s|$)")
_NUMBER_END = re.compile(r"(?<![\w.])\d{1,4}(?:\.\d{1,2})?$")


def _timeframe_list_opener(item: str, chosen: int, first_comma: int, timeframe_start) -> int:
    """A field that lists time points after a lead (``After vaccinations
    administered at 0, 1, 2, 3 and 5 months``, ``0, 20, 40 minutes and 1, 1.5,
    2 hours post dose``): when the chosen start is a bare number of the list,
    the segment before it that opens like a time frame and ends in the list's
    first number is the field's start."""
    if not _BARE_NUMBER_START.match(item, chosen) or chosen - 2 <= first_comma:
        return chosen
    comma = item.rfind(", ", first_comma, chosen - 2)
    start = comma + 2 if comma != -1 else first_comma + 2
    if start >= chosen - 2 or comma == -1 and start != first_comma + 2:
        return chosen
    segment = item[start:chosen - 2]
    if _NUMBER_END.search(segment) and timeframe_start.match(segment) and len(segment) <= 80:
        return start
    return chosen


def _timeframe_list_start(item: str, chosen: int, first_comma: int, list_item) -> int:
    """Step back from the chosen field start over the ``, ``-separated
    segments before it that are time points or timings themselves
    (``At 4, 8, 12 weeks``, ``visits 2, 3, 4``, ``Baseline, Day 8``,
    ``every 3 months for 2 years, every 6 months ...``): a list of time
    points is one field. Never into the measure (before ``first_comma``)."""
    if list_item is None:
        return chosen
    while chosen - 2 > first_comma:
        comma = item.rfind(", ", first_comma, chosen - 2)
        if comma == -1 or not list_item.fullmatch(item, comma + 2, chosen - 2):
            break
        segment = item[comma + 2:chosen - 2]
        if _LIST_CLOSED.search(segment):
            break  # ``at weeks 4, 8 and 12, 12 weeks``: the description's own list ended
        if segment.replace(".", "").isdigit() and not item[chosen:chosen + 1].isdigit():
            break  # a bare number only before another number (``3, 6 and 12 months``)
        chosen = comma + 2
    return chosen


_LIST_CLOSED = re.compile(r"\s(?:and|or)\s|&")


def _is_abbreviation(name: str) -> bool:
    letters = [c for c in name if c.isalpha()]
    return len(name) <= 6 and sum(c.isupper() for c in letters) >= max(2, len(letters) - 1)


_NAME_SEPARATOR = r"(?:\s{1,24}|\s{0,3}-\s{0,24})"


def _name_pattern(name: str) -> str:
    """A name's words with any white space (hard line wraps) or hyphen between them."""
    words = re.split(r"[\s-]+", name.strip())
    return _NAME_SEPARATOR.join(re.escape(w) for w in words)


def _names_alternation(names: list[str]) -> str:
    """``"|".join(_name_pattern(n) for n in names)`` for a case-insensitive
    expression, the same language and preferences written prefix-factored
    (a trie: ``survival|surgery`` -> ``sur(?:vival|gery)``), which ``re``
    parses and compiles several times faster (issue #9: load time).

    Exact: a common prefix of literal characters and separators matches in
    at most one way (a separator is always followed by a letter, which no
    shorter or longer white-space run lets match), so ``PA|PB`` is
    ``P(?:A|B)``; branches of a node opening with different units (another
    letter, or a separator against a letter) cannot both match, so their
    order is free; and a name ending at a node comes, as in the flat list,
    before or after each branch's names, never between them (else the flat
    form is returned).  Names holding a non-ASCII character or an empty word
    are written flat."""
    flat = "|".join(_name_pattern(n) for n in names)
    root: dict = {"end": None, "next": {}}
    for index, name in enumerate(names):
        words = re.split(r"[\s-]+", name.strip())
        if not name.isascii() or not all(words):
            return flat
        node = root
        for position, word in enumerate(words):
            units = ([_NAME_SEPARATOR] if position else []) + [re.escape(char) for char in word.lower()]
            for unit in units:
                node = node["next"].setdefault(unit, {"end": None, "next": {}})
        if node["end"] is None:
            node["end"] = index

    def emit(node: dict) -> tuple[str, int, int] | None:
        """The node's expression and the first and last index of its names."""
        options = []  # (first index, last index, expression)
        for unit, child in node["next"].items():
            found = emit(child)
            if found is None:
                return None
            options.append((found[1], found[2], unit + found[0]))
        end = node["end"]
        if end is not None:
            if any(low < end < high for low, high, _ in options):
                return None  # the flat list tries this name between a branch's names
            options.append((end, end, ""))
        options.sort(key=lambda option: option[0])
        low, high = min(o[0] for o in options), max(o[1] for o in options)
        if len(options) == 1:
            return options[0][2], low, high
        return "(?:" + "|".join(o[2] for o in options) + ")", low, high

    if not names:
        return flat
    found = emit(root)
    return flat if found is None else found[0]


class _Intervals:
    """Non-overlapping-agnostic interval set with an O(log n) overlap test."""

    def __init__(self, intervals: list[tuple[int, int]]):
        merged: list[list[int]] = []
        for start, end in sorted(intervals):
            if merged and start <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], end)
            else:
                merged.append([start, end])
        self.starts = [s for s, _ in merged]
        self.ends = [e for _, e in merged]

    def overlaps(self, start: int, end: int) -> bool:
        index = bisect_right(self.starts, end - 1) - 1
        return index >= 0 and self.ends[index] > start


def _token_arrays(doc: Doc) -> tuple[list[int], list[int], list[int] | None]:
    """Character starts and ends of the tokens, and ``[sent.start_char for
    sent in doc.sents]`` (``None`` when the doc has no sentence boundaries),
    read from one token array instead of building a ``Span`` per sentence."""
    if len(doc) == 0:
        return [], [], ([0] if not doc.has_annotation("SENT_START") else [sent.start_char for sent in doc.sents])
    if not doc.has_annotation("SENT_START"):
        values = doc.to_array([IDX, LENGTH])
        idx = values[:, 0]
        return idx.tolist(), (idx + values[:, 1]).tolist(), None
    values = doc.to_array([IDX, LENGTH, SENT_START])
    idx = values[:, 0]
    starts = idx.tolist()
    if "sents" in doc.user_hooks:
        sentences = [sent.start_char for sent in doc.sents]
    else:
        sentences = [starts[0]] + idx[numpy.flatnonzero(values[1:, 2] == 1) + 1].tolist()
    return starts, (idx + values[:, 1]).tolist(), sentences


def _description_block_start(text: str, registry: list[tuple[int, int]], interventions: "re.Pattern[str]",
                             label_line: "re.Pattern[str] | None" = None,
                             field_end: "re.Pattern[str] | None" = None) -> int | None:
    """Offset of the first arm or intervention description line after the
    registry outcome items, or None.

    The rendered layout puts ``name: description`` lines of the listed
    interventions after the outcome fields and the arm lines, so the first
    line after the registry items whose label is the name of an intervention
    of the ``TYPE: name|...`` line (``Levitra (Vardenafil, BAY38-9456): 5,
    10, or 20 mg ...``) starts the descriptions, and so do the one-line
    ``label: description`` arm lines right before it.  A ``label: ...`` line that ends in a
    ``, time frame`` field (``Safety: adverse events, Up to 26 weeks``) may be
    an outcome line and stops the walk back over arm lines."""
    match = interventions.search(text)
    if not match or not registry:
        return None
    names = set()
    for item in match.group().split("|"):
        type_end = item.find(": ")
        name = " ".join(item[type_end + 2:].split()).lower() if type_end != -1 else ""
        if name:
            names.add(name)
    last = max(match.end(), max(end for _, end in registry))
    cut = None
    position = text.find("\n", last)
    while position != -1:
        colon = text.find(": ", position + 1, position + 160)
        line_end = text.find("\n", position + 1)
        if colon != -1 and (line_end == -1 or colon < line_end):
            if " ".join(text[position + 1:colon].split()).lower() in names:
                cut = position + 1
                break
        position = line_end
    if cut is None or label_line is None:
        return cut
    while cut > match.end() + 1:
        start = text.rfind("\n", 0, cut - 1) + 1
        line = text[start:cut - 1]
        if start <= match.end() or "|" in line or not label_line.match(line) or any(
            s < start < e for s, e in registry
        ) or (field_end is not None and ", " in line
              and field_end.match(line[line.rfind(", ") + 2:].rstrip(" .\r"))):
            break  # (a line inside a multi-line outcome item is none)
        cut = start  # an arm line (``Arm label: description``) before the intervention descriptions
    return cut


class _DocView:
    """Per-document lookups precomputed once: sentences, sections and drug
    mentions as sorted character offsets."""

    def __init__(self, doc: Doc):
        self.text = doc_text(doc)
        self._window_found: dict[tuple[str, tuple[int, int]], bool] = {}
        self._token_starts, self._token_ends, sentences = _token_arrays(doc)
        self.sent_starts = sentences if sentences is not None else [0]
        self.sections = [(s.start_char, s.end_char, s.label_) for s in doc.spans.get(SECTIONS_KEY, [])]
        self.section_starts = [s for s, _, _ in self.sections]
        self.outcome_ranges = [(s, e) for s, e, label in self.sections if label == "outcomes"]
        self.drugs = drugs = get_entities(doc, ("DRUG", "DRUG_CLASS"))
        self.doc = doc
        self.drug_starts = sorted(e.start_char for e in drugs)
        self.drug_ends = sorted(e.end_char for e in drugs)

    def contract(self, start: int, end: int) -> tuple[int, int] | None:
        """Token range of ``doc.char_span(start, end, alignment_mode="contract")``
        (the tokens entirely inside the characters), without making the span."""
        starts, size = self._token_starts, len(self.text)
        # the token holding a character (its trailing white space included)
        first = bisect_right(starts, start) - 1 if 0 <= start < size else -1
        last = bisect_right(starts, end - 1) - 1 if 0 <= end - 1 < size else -1
        if first < 0 or last < 0:
            return None
        if starts[first] < start:
            first += 1
        if end < self._token_ends[last]:
            last -= 1
        if last < first:
            return None
        return first, last + 1

    def char_start(self, token: int) -> int:
        """Character offset of token ``token`` (after :meth:`contract`)."""
        return self._token_starts[token]

    def has_alnum(self, first: int, last: int) -> bool:
        """Whether tokens ``first`` to ``last`` (exclusive) hold a letter or digit."""
        return any(c.isalnum() for c in self.text[self._token_starts[first]:self._token_ends[last - 1]])

    def window_has(self, ctx: dict, key: str, window: tuple[int, int]) -> bool:
        """Whether ``ctx[key]`` finds a match in ``text[window[0]:window[1]]``
        (remembered: the candidates of one sentence often share the window)."""
        found = self._window_found.get((key, window))
        if found is None:
            found = self._window_found[(key, window)] = ctx[key].search(self.text[window[0]:window[1]]) is not None
        return found

    def sentence_bounds(self, char: int) -> tuple[int, int]:
        index = bisect_right(self.sent_starts, char) - 1
        start = self.sent_starts[index] if index >= 0 else 0
        end = self.sent_starts[index + 1] if index + 1 < len(self.sent_starts) else len(self.text)
        return start, end

    def section_at(self, char: int) -> str | None:
        index = bisect_right(self.section_starts, char) - 1
        if index >= 0 and self.sections[index][0] <= char < self.sections[index][1]:
            return self.sections[index][2]
        return None

    def drug_in(self, start: int, end: int) -> bool:
        index = bisect_left(self.drug_starts, start)
        return index < len(self.drug_starts) and self.drug_starts[index] < end

    def drug_starts_within(self, start: int, end: int) -> bool:
        """A drug mention starts in ``[start, end]``, white space and an
        opening parenthesis skipped first."""
        position = start
        limit = min(len(self.text), start + 14)
        while position < limit and self.text[position] in " \t\r\n(":
            position += 1
        return self.drug_in(position, position + (end - start) + 1)

    def drug_ends_within(self, start: int, end: int) -> bool:
        index = bisect_left(self.drug_ends, max(0, start))
        return index < len(self.drug_ends) and self.drug_ends[index] <= end


def _drug_bound(text: str, view: "_DocView", start: int, gap: int, bound: str | None) -> int:
    """Where the drug a ``drug_before`` pattern needs may end at the
    earliest: ``gap`` characters back, and for ``drug_bound`` "sentence" not
    before the sentence, for "clause" not before a comma or semicolon either
    (``resistance to interferon was manifested early, in the first 18
    months``)."""
    low = start - gap
    if bound in ("sentence", "clause"):
        low = max(low, view.sentence_bounds(start)[0])
    if bound == "clause":
        low = max(low, text.rfind(",", max(0, low), start) + 1, text.rfind(";", max(0, low), start) + 1)
    return low


@Language.factory(
    "extractor_attributes",
    assigns=["doc.spans"],
    default_config={"write_ents": False},
)
def make_attribute_tagger(nlp: Language, name: str, write_ents: bool) -> AttributeTagger:
    return AttributeTagger(nlp, name, write_ents)
