"""Regimen objects: the study treatments of a document grouped by arm and
phase, and its endpoints with their time frames, as plain data.

The component ``extractor_regimens`` runs after ``extractor_relations`` and
sets two ``Doc`` extensions:

``doc._.extractor_regimens`` - a list, in order of first mention, of::

    {"arm": "Arm A" | None, "phase": "induction" | "maintenance" | ... | None,
     "drugs":   [DRUG entry, ...],        # specific drugs, by normalized name
     "classes": [DRUG_CLASS entry, ...]}  # classes stated as treatment

    entry = {"name": "atezolizumab", "label": "DRUG", "mentions": [[start, end], ...],
             "doses": [...], "routes": [...], "schedules": [...], "durations": [...],
             "same_as": "Arm II" | None}  # given "as in arm II" (see below)

``doc._.extractor_endpoints`` - a list of::

    {"name": "Overall Survival (OS)", "kind": "primary" | "secondary" | "other" | None,
     "time_frames": [...], "mentions": [[start, end], ...]}

Attribute values are the texts of the linked DOSE/ROUTE/SCHEDULE/DURATION
mentions, whitespace collapsed, each once, in text order.

How mentions are grouped:

- only DRUG/DRUG_CLASS mentions whose role is ``study`` are used;
- the arm of a mention is the last arm marker before it in its section
  (``ARM A:``, ``Arm I:``, ``Arm A (atezolizumab, ...)`` on its own line,
  ``Arm/Group Title: ...``); ``ARM A`` and ``Arm A`` are the same arm;
  when the Doc carries its record's field layout
  (:func:`extractor.extensions.set_fields`, done by ``extractor annotate``
  for registry records), each arm-group line ``label: description`` is the
  arm ``label``, and markers do not reach across record fields;
- the phase comes from a phase header before it on its line or paragraph
  (``Induction phase: ...``, ``* Maintenance: ...``), or from a phase word
  right before or after the mention (``maintenance AB``, ``(AB) maintenance``);
- a regimen acronym (a DRUG normalized to ``a+b+c``) stands for its
  components, which inherit its attributes;
- a SCHEDULE or DURATION stated for two or more treatment mentions of a
  group is the group's: drugs of the group without one of that kind get it
  (``bevacizumab ... with atezolizumab and chemotherapy on a 21-day cycle
  for four cycles`` also times carboplatin and etoposide of ``induction
  ABCE``); one in a sentence without a drug name (``Cycles repeat every 21
  days``) goes to every treatment of the group that has attributes of its
  own;
- the group without arm and phase is kept only when there are no other
  groups, or when it has a drug none of them has;
- a mention followed by ``as in arm II`` (``Patients receive GM-CSF as in
  arm II``; pattern ``same_as`` of the markers file) names that arm in
  ``same_as`` and adds the attributes of the same drug in that arm's
  regimen to its own (a reference to an arm the text never defines keeps
  the name as written and adds nothing).

Example, seed 000 (``examples/000_a991cd9fedb848fc.txt``)::

    [{"arm": None, "phase": "induction",
      "drugs": [bevacizumab, atezolizumab, carboplatin, etoposide]   # each:
                # "schedules": ["21-day cycle"], "durations": ["four cycles"]
      "classes": [chemotherapy]},
     {"arm": None, "phase": "maintenance",
      "drugs": [atezolizumab, bevacizumab]                           # each:
                # "schedules": ["every 21 days"], "durations": ["up to 12 months"]
      "classes": []}]

and endpoints such as ``{"name": "Overall Survival (OS)", "kind":
"secondary", "time_frames": ["From time of first dose until death from any
cause, assessed up to approximately 48 months"], ...}``.
"""

import re
from bisect import bisect_right

import srsly
from spacy.attrs import ORTH
from spacy.language import Language
from spacy.strings import get_string_id
from spacy.tokens import Doc, Span
from spacy.util import ensure_path

from .extensions import (
    Lines, doc_lines, doc_text, ensure_extensions, get_entities, get_fields, sentence_bounds, sentence_starts,
    span_reader,
)
from .regexscan import Scanner, line_anchored
from .resources import read_data
from .sections import SPANS_KEY as SECTIONS_KEY

MARKERS_FILE = "regimen_markers.json"
ATTRIBUTE_KEYS = {"DOSE": "doses", "ROUTE": "routes", "SCHEDULE": "schedules", "DURATION": "durations"}
GROUP_KINDS = ("SCHEDULE", "DURATION")
OUTCOME_KINDS = ("primary", "secondary", "other")
_CLOSE_PAREN = get_string_id(")")  # ORTH id of ")"
_UNREAD = object()


def _clean(text: str) -> str:
    return " ".join(text.split())


def _field_arm_label(line: str) -> str | None:
    """The label of an arm-group line, ``label: description`` or a bare label."""
    label = line.split(": ", 1)[0] if ": " in line else line
    label = " ".join(label.split())
    return label if 0 < len(label) <= 120 else None


def _span_text(span: Span) -> str:
    """``span.text``, sliced from the doc's text (``Span.text`` makes a token
    object per token)."""
    return doc_text(span.doc)[span.start_char:span.end_char]


def _inherit_same_as(regimens: list[dict]) -> None:
    """``Patients receive MEP vaccine as in arm I and GM-CSF as in arm II``:
    a drug given as in another arm gets that arm's doses, routes, schedules
    and durations for the same drug (its own first kept, then the others)."""
    by_arm: dict[str, list[dict]] = {}
    for regimen in regimens:
        if regimen["arm"]:
            by_arm.setdefault(regimen["arm"].lower(), []).append(regimen)
    for regimen in regimens:
        for kind in ("drugs", "classes"):
            for item in regimen[kind]:
                if not item["same_as"] or item["same_as"].lower() == (regimen["arm"] or "").lower():
                    continue
                candidates = by_arm.get(item["same_as"].lower(), [])
                if candidates:
                    item["same_as"] = candidates[0]["arm"]  # as the arm is named where it is defined
                # the same phase first (``maintenance as in arm A``), else any phase of that arm
                candidates = sorted(candidates, key=lambda other: other["phase"] != regimen["phase"])
                source = next((other_item for other in candidates for other_item in other[kind]
                               if other_item["name"] == item["name"]), None)
                if source is None:
                    continue
                for key in ATTRIBUTE_KEYS.values():
                    item[key] = list(dict.fromkeys(item[key] + source[key]))


def _attr_key(span: Span) -> tuple[int, int, str]:
    return span.start_char, span.end_char, span.label_


def _arm_key(label: str) -> str:
    """``ARM A`` and ``Arm A`` name the same arm."""
    label = _clean(label)
    words = label.split(" ", 1)
    if words[0].isupper() and len(words[0]) > 1 and words[0] not in ("INTERVENTION",):
        words[0] = words[0].capitalize()
    return " ".join(words)


class _Finder:
    """``finditer`` of one expression, as a list, from where its matches can
    start: line starts for a line-anchored one (Python's ``re`` would try
    every character of the text), else a :class:`~extractor.regexscan.Scanner`."""

    def __init__(self, regex: re.Pattern):
        self.regex = regex
        self.at_lines = line_anchored(regex)
        self.scanner = None if self.at_lines else Scanner(regex)

    def matches(self, text: str, newlines: list[int] | None = None) -> list[re.Match]:
        """The matches of ``regex.finditer(text)``; ``newlines``: the offsets
        of the newlines of ``text``, if at hand."""
        if not self.at_lines:
            return list(self.scanner.finditer(text))
        if newlines is None:
            newlines = Lines(text).newlines
        match = self.regex.match
        found = []
        end = 0
        for start in [0] + [n + 1 for n in newlines]:
            if start < end:
                continue
            hit = match(text, start)
            if hit is not None:
                if hit.end() == start:  # an empty match: leave finditer's rules for those to finditer
                    return list(self.regex.finditer(text))
                found.append(hit)
                end = hit.end()
        return found


class RegimenBuilder:
    def __init__(self, nlp: Language, name: str = "extractor_regimens"):
        self.name = name
        self.markers: dict | None = None
        self._arm_res: list[re.Pattern] = []
        self._phase_header: re.Pattern | None = None
        self._arm_finders: list[_Finder] = []
        self._phase_finder: _Finder | None = None
        self._phase_word: re.Pattern | None = None
        self._same_as: re.Pattern | None = None
        self._is_phase_word: dict[int, bool] = {}
        ensure_extensions()

    def initialize(self, get_examples=None, *, nlp: Language | None = None, markers: dict | None = None):
        self.set_markers(markers if markers is not None else read_data(MARKERS_FILE))

    def set_markers(self, markers: dict) -> None:
        missing = {"arm", "phase_header", "phase_word"} - set(markers)
        if missing:
            raise ValueError(f"regimen markers need {sorted(missing)}")
        self.markers = dict(markers)
        self._arm_res = [re.compile(p, re.MULTILINE) for p in markers["arm"]]
        self._phase_header = re.compile(markers["phase_header"], re.MULTILINE | re.IGNORECASE)
        self._arm_finders = [_Finder(regex) for regex in self._arm_res]
        self._phase_finder = _Finder(self._phase_header)
        self._phase_word = re.compile(markers["phase_word"], re.IGNORECASE)
        same_as = markers.get("same_as")  # optional: markers saved by older versions lack it
        self._same_as = re.compile(same_as, re.IGNORECASE) if same_as else None
        self._is_phase_word: dict[int, bool] = {}  # by token ORTH id (a hash: the same in every vocab)

    # -- where each mention belongs -------------------------------------------------

    def arm_markers(self, text: str, newlines: list[int] | None = None) -> list[tuple[int, str]]:
        """(offset, arm name) of every arm marker, sorted (``newlines``: the
        offsets of the newlines of ``text``, if at hand)."""
        found = {}
        for finder in self._arm_finders:
            for match in finder.matches(text, newlines):
                found.setdefault(match.start("label"), _arm_key(match.group("label")))
        return sorted(found.items())

    def phase_headers(self, text: str, newlines: list[int] | None = None) -> list[tuple[int, int, str]]:
        """(start, end of scope, phase) of every phase header; the scope ends at
        the next phase header, blank line or arm marker."""
        headers = [(m.start(), m.group("phase").lower()) for m in self._phase_finder.matches(text, newlines)]
        result = []
        for index, (start, phase) in enumerate(headers):
            end = headers[index + 1][0] if index + 1 < len(headers) else len(text)
            blank = re.search(r"\n[ \t]*\n", text[start:end])
            if blank:
                end = start + blank.start()
            result.append((start, end, phase.replace("re-induction", "reinduction")))
        return result

    def _inline_phase(self, doc: Doc, span: Span, orths=None) -> str | None:
        """A phase word right before the mention or after it (past a ``)``);
        ``orths``: ``doc.to_array(ORTH)``, to read token texts without making
        tokens."""
        orths = doc.to_array(ORTH).tolist() if orths is None else orths
        strings = doc.vocab.strings
        is_phase = self._is_phase_word
        before = [span.start - 1] if span.start > 0 else []
        after = [i for i in range(span.end, min(span.end + 2, len(doc))) if orths[i] != _CLOSE_PAREN]
        for i in before + after[:1]:
            orth = orths[i]
            found = is_phase.get(orth)
            if found is None:
                if len(is_phase) > 100_000:
                    is_phase.clear()
                found = is_phase[orth] = bool(self._phase_word.match(strings[orth]))
            if found:
                return doc[i].lower_
        return None

    # -- building ------------------------------------------------------------------

    def __call__(self, doc: Doc) -> Doc:
        ensure_extensions()
        if self.markers is None:
            self.initialize()
        ents = get_entities(doc)
        sections = list(doc.spans.get(SECTIONS_KEY, []))  # (iterating a span group makes its spans anew)
        doc._.extractor_regimens = self.regimens(doc, ents, sections=sections)
        doc._.extractor_endpoints = self.endpoints(doc, ents, sections=sections)
        return doc

    def regimens(self, doc: Doc, ents: list[Span] | None = None, *, sections: list[Span] | None = None) -> list[dict]:
        text = doc_text(doc)
        ents = get_entities(doc) if ents is None else ents
        by_offsets = {(e.start_char, e.end_char): e for e in ents}
        attributes: dict[tuple[int, int], list[Span]] = {}
        for rel in doc._.extractor_relations or []:
            attr = by_offsets.get(tuple(rel["arg1"]))
            if attr is not None and attr.label_ in ATTRIBUTE_KEYS:
                attributes.setdefault(tuple(rel["arg2"]), []).append(attr)
        newlines = doc_lines(doc).newlines  # shared with the other components
        arms = self.arm_markers(text, newlines)
        phases = self.phase_headers(text, newlines)
        orths = doc.to_array(ORTH).tolist()
        if sections is None:
            sections = list(doc.spans.get(SECTIONS_KEY, []))
        sections = [(s.start_char, s.end_char) for s in sections]
        fields = get_fields(doc)
        # a registry arm-group line ("label: description") is one arm
        field_arms = []
        for name, start, end in fields:
            label = _field_arm_label(text[start:end]) if name == "arm_groups" else None
            if label:
                field_arms.append((start, end, _arm_key(label)))

        section_starts = [start for start, _end in sections]  # sorted, not overlapping

        def section_start(char: int) -> int:
            index = bisect_right(section_starts, char) - 1
            floor = section_starts[index] if index >= 0 and char < sections[index][1] else 0
            for _name, start, end in fields:  # markers of another record field don't reach here
                if start <= char < end:
                    return max(floor, start)
            return floor

        arm_offsets = [offset for offset, _name in arms]

        def last_arm_between(low: int, high: int) -> int | None:
            """Index of the last arm marker at an offset in [low, high]
            (bisection: a long document has many markers and many drugs)."""
            index = bisect_right(arm_offsets, high) - 1
            return index if index >= 0 and arm_offsets[index] >= low else None

        groups: dict[tuple, dict] = {}
        order: list[tuple] = []
        role_of = span_reader(doc, "role")
        normalized_of = span_reader(doc, "normalized")
        head_starts = [e.start_char for e in ents if e.label_ in ("DRUG", "DRUG_CLASS")]
        for span in ents:
            if span.label_ not in ("DRUG", "DRUG_CLASS") or role_of(span) != "study":
                continue
            start = span.start_char
            floor = section_start(start)
            arm = next((name for f_start, f_end, name in field_arms if f_start <= start < f_end), None)
            if arm is None:
                index = last_arm_between(floor, start)
                if index is not None:
                    arm = arms[index][1]
            phase = self._inline_phase(doc, span, orths)
            if phase is None:
                for p_start, p_end, name in phases:
                    if p_start <= start < p_end and last_arm_between(p_start + 1, start) is None:
                        phase = name
            key = (arm, phase)
            if key not in groups:
                groups[key] = {"arm": arm, "phase": phase, "entries": {}, "group_attrs": []}
                order.append(key)
            names = self._add_mention(groups[key], span, attributes.get((span.start_char, span.end_char), []),
                                      normalized_of(span))
            reference = self._same_as_reference(text, span, head_starts)
            if reference:
                for name in names:
                    groups[key]["entries"][name].setdefault("same_as", reference)

        labelled = [k for k in order if k != (None, None)]
        result = []
        sentences = None
        for key in order:
            group = groups[key]
            if key == (None, None) and labelled:
                named = {n for k in labelled for n in groups[k]["entries"]}
                if all(name in named for name, e in group["entries"].items() if e["label"] == "DRUG"):
                    continue
            if sentences is None:
                sentences = _Sentences(doc, ents)
            result.append(self._finish(doc, group, sentences))
        _inherit_same_as(result)
        return result

    def _same_as_reference(self, text: str, span: Span, head_starts: list[int]) -> str | None:
        """The arm named by ``as in arm I`` right after a mention (before the
        next drug or class), as written: ``GM-CSF as in arm II``."""
        if self._same_as is None:
            return None
        index = bisect_right(head_starts, span.start_char)
        limit = head_starts[index] if index < len(head_starts) else len(text)
        match = self._same_as.match(text, span.end_char, min(limit, span.end_char + 80))
        return _arm_key(match.group("label")) if match else None

    def _add_mention(self, group: dict, span: Span, attrs: list[Span], normalized=_UNREAD) -> list[str]:
        """Add ``span`` to its entries of ``group``; returns their names."""
        if normalized is _UNREAD:
            normalized = getattr(span._, "extractor_normalized", None)
        if span.label_ == "DRUG" and normalized and normalized != "unknown":
            names = normalized.split("+")
        else:
            names = [_clean(_span_text(span)).lower() if span.label_ == "DRUG_CLASS" or not normalized else normalized]
        for name in names:
            entry = group["entries"].setdefault(
                name, {"name": name, "label": span.label_, "mentions": [], "attrs": []}
            )
            entry["mentions"].append([span.start_char, span.end_char])
            entry["attrs"].extend(attrs)
        for attr in attrs:
            if attr.label_ in GROUP_KINDS:
                group["group_attrs"].append((attr, (span.start_char, span.end_char)))
        return names

    @staticmethod
    def _finish(doc: Doc, group: dict, sentences: "_Sentences | None" = None) -> dict:
        entries = group["entries"]
        sentences = sentences or _Sentences(doc, get_entities(doc))
        # group-level timing: stated for two or more mentions of the group
        holders: dict[tuple[int, int], set] = {}
        for attr, mention in group["group_attrs"]:
            holders.setdefault((attr.start_char, attr.end_char), set()).add(mention)
        drug_sentences = sentences.drug_sentences
        # attributes are kept in dicts keyed by offsets and label (insertion
        # ordered): list membership tests made long documents quadratic
        shared: dict[tuple, Span] = {}
        drugless: dict[tuple, Span] = {}
        for attr, _mention in group["group_attrs"]:
            key = (attr.start_char, attr.end_char)
            if drug_sentences is not None and sentences.start(attr) not in drug_sentences:
                drugless.setdefault(_attr_key(attr), attr)
            elif len(holders.get(key, ())) >= 2:
                shared.setdefault(_attr_key(attr), attr)
        drugs, classes = [], []
        for entry in entries.values():
            attrs = {_attr_key(a): a for a in entry["attrs"]}
            kinds = {a.label_ for a in attrs.values()}
            if entry["label"] == "DRUG":
                for key, attr in shared.items():
                    if attr.label_ not in kinds:
                        attrs.setdefault(key, attr)
            if attrs:
                # "Cycles repeat every 21 days": a sentence without a drug times
                # every treatment of its group
                for key, attr in drugless.items():
                    attrs.setdefault(key, attr)
            item = {"name": entry["name"], "label": entry["label"], "mentions": entry["mentions"]}
            for label, key in ATTRIBUTE_KEYS.items():
                values = []
                for attr in sorted((a for a in attrs.values() if a.label_ == label), key=lambda a: a.start_char):
                    values.append(_clean(_span_text(attr)))
                item[key] = list(dict.fromkeys(values))
            item["same_as"] = entry.get("same_as")
            (drugs if entry["label"] == "DRUG" else classes).append(item)
        return {"arm": group["arm"], "phase": group["phase"], "drugs": drugs, "classes": classes}

    def endpoints(self, doc: Doc, ents: list[Span] | None = None, *, sections: list[Span] | None = None) -> list[dict]:
        ents = get_entities(doc) if ents is None else ents
        by_offsets = {(e.start_char, e.end_char): e for e in ents}
        frames: dict[tuple[int, int], list[Span]] = {}
        for rel in doc._.extractor_relations or []:
            attr = by_offsets.get(tuple(rel["arg1"]))
            if attr is not None and attr.label_ == "TIMEFRAME":
                frames.setdefault(tuple(rel["arg2"]), []).append(attr)
        if sections is None:
            sections = list(doc.spans.get(SECTIONS_KEY, []))
        sections = [s for s in sections if s.label_ == "outcomes"]
        result: dict[str, dict] = {}
        for span in ents:
            if span.label_ != "ENDPOINT":
                continue
            key_offsets = (span.start_char, span.end_char)
            section = next((s for s in sections if s.start_char <= span.start_char < s.end_char), None)
            if section is None and sections and key_offsets not in frames:
                continue
            kind = self._outcome_kind(doc, section, span) if section is not None else None
            name = _clean(_span_text(span))
            key = name.lower()
            item = result.setdefault(key, {"name": name, "kind": kind, "time_frames": [], "mentions": []})
            if item["kind"] is None:
                item["kind"] = kind
            item["mentions"].append([span.start_char, span.end_char])
            for frame in sorted(frames.get(key_offsets, []), key=lambda f: f.start_char):
                value = _clean(_span_text(frame))
                if value not in item["time_frames"]:
                    item["time_frames"].append(value)
        return list(result.values())

    @staticmethod
    def _outcome_kind(doc: Doc, section: Span, span: Span) -> str | None:
        text = doc_text(doc)
        first_line = text[section.start_char:text.find("\n", section.start_char) % (len(text) + 1)].lower()
        header = first_line[:60]
        for kind in OUTCOME_KINDS:
            if header.lstrip(" *-•").startswith(kind):
                return kind
        # one-field-per-line records: primary, secondary, other outcome lines
        if ", " in first_line and len(first_line) > 60:
            line = text.count("\n", section.start_char, span.start_char)
            return OUTCOME_KINDS[line] if line < len(OUTCOME_KINDS) else None
        return None

    # -- serialization -----------------------------------------------------------

    def to_disk(self, path, exclude=tuple()):
        path = ensure_path(path)
        path.mkdir(parents=True, exist_ok=True)
        if self.markers is None:
            self.initialize()
        srsly.write_json(path / MARKERS_FILE, self.markers)

    def from_disk(self, path, exclude=tuple()):
        self.set_markers(srsly.read_json(ensure_path(path) / MARKERS_FILE))
        return self


class _Sentences:
    """Sentence starts of a doc's spans (``span.sent`` walks the doc on each
    call) and the sentences naming a drug or class (``None`` without
    sentence boundaries)."""

    def __init__(self, doc: Doc, ents: list[Span]):
        self.n_tokens = len(doc)
        self.starts = sentence_starts(doc)
        self.drug_sentences = None if self.starts is None else {
            self.start(e) for e in ents if e.label_ in ("DRUG", "DRUG_CLASS")
        }

    def start(self, span: Span) -> int:
        return sentence_bounds(self.starts, self.n_tokens, span.start, span.end)[0]


@Language.factory(
    "extractor_regimens",
    assigns=["doc._.extractor_regimens", "doc._.extractor_endpoints"],
    requires=["doc._.extractor_relations"],
)
def make_regimen_builder(nlp: Language, name: str) -> RegimenBuilder:
    return RegimenBuilder(nlp, name)
