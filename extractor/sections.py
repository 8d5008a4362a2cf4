"""Sections of trial text: headers from rules, plus the one-field-per-line layout.

Header rules live in ``data/sections.jsonl`` (``category`` + ``pattern``, a
regular expression for the header words).  A header counts only at the start
of a line (after an optional bullet) and when it ends the line or is followed
by a colon, so ``outline`` in prose is not a header.  medspaCy's Sectionizer
would do the header part, but importing medspaCy costs about 1.1 s (measured
here), more than half the pipeline's load budget, so the same rules run on a
single compiled regular expression instead.

For records rendered one field per line (``extractor.records``), the layout
itself gives sections: the ``TYPE: name|TYPE: name`` interventions line, the
outcome lines after it (``measure, description, time frame``), and the
description after those.

Output: ``doc.spans["extractor_sections"]``, non-overlapping spans labelled
with the category, covering the document from each header to the next.
"""


import re
from bisect import bisect_right
from typing import Iterable

import srsly
from spacy.attrs import IDX, LENGTH
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import ensure_path

from .extensions import doc_text
from .regexscan import Scanner, plain_lower
from .resources import read_data

SPANS_KEY = "extractor_sections"

INTERVENTION_TYPES = (
    "DRUG|BIOLOGICAL|DEVICE|PROCEDURE|RADIATION|OTHER|BEHAVIORAL|GENETIC|DIETARY_SUPPLEMENT|"
    "COMBINATION_PRODUCT|DIAGNOSTIC_TEST|Drug|Biological|Device|Procedure|Radiation|Other|Behavioral|Genetic|"
    "Dietary Supplement"
)
# arm labels inside a paragraph: "... two treatment arms. Arm I: Patients receive ..."
_INLINE_ARM = re.compile(
    r"(?<![A-Za-z])(?:ARM|Arm|GROUP|Group|COHORT|Cohort|REGIMEN|Regimen) (?:[A-Z]|[IVX]{1,4}|\d{1,2})"
    r"(?: \([^)\n]{0,80}\))?:"
)
_INTERVENTIONS_LINE = re.compile(rf"^(?:{INTERVENTION_TYPES}): [^\n]*$", re.MULTILINE)
# "measure, description, time frame": two comma-separated parts at least
_OUTCOME_LINE = re.compile(r"[^\n]{2,}?, [^\n]*$")


class TrialSectionizer:
    def __init__(self, nlp: Language, name: str = "extractor_sections", rules: Iterable[dict] | None = None):
        self.name = name
        self.rules: list[dict] = []
        self._regex: re.Pattern[str] | None = None
        # each expression tried only where a match can start (the same
        # matches as its finditer)
        self._scan: Scanner | None = None
        self._arm_scan = Scanner(_INLINE_ARM, max_length=3)
        if rules is not None:
            self.add_rules(rules)

    def initialize(self, get_examples=None, *, nlp: Language | None = None, rules: Iterable[dict] | None = None):
        self.rules = []
        self.add_rules(rules if rules is not None else read_data("sections.jsonl"))

    def add_rules(self, rules: Iterable[dict]) -> None:
        for rule in rules:
            if set(rule) - {"category", "pattern"} or not {"category", "pattern"} <= set(rule):
                raise ValueError(f"section rule needs exactly 'category' and 'pattern': {rule!r}")
            re.compile(rule["pattern"])
            self.rules.append({"category": rule["category"], "pattern": rule["pattern"]})
        alternatives = "|".join(f"(?P<r{i}>{rule['pattern']})" for i, rule in enumerate(self.rules))
        self._regex = re.compile(
            rf"^[ \t]*(?:[*•\-][ \t]*)?(?:{alternatives})[ \t]*(?::|(?=\r?\n)|$)", re.MULTILINE
        )
        self._scan = Scanner(self._regex, max_length=3)  # a short analysis: a shorter load

    def headers(self, text: str, lowered: str | None = None) -> list[tuple[int, int, str]]:
        """(start, end, category) of every header line in ``text``
        (``lowered``: :func:`~extractor.regexscan.plain_lower` of ``text``, if
        at hand)."""
        if self._regex is None:
            self.initialize()
        found = []
        for match in self._scan.finditer(text, lowered):
            group = match.lastgroup
            if group is None:
                continue
            found.append((match.start(group), match.end(), self.rules[int(group[1:])]["category"]))
        return found

    @staticmethod
    def layout_sections(text: str) -> list[tuple[int, str]]:
        """(start, category) boundaries implied by the one-field-per-line layout."""
        match = _INTERVENTIONS_LINE.search(text)
        if not match:
            return []
        bounds = [(0, "title")]
        first_break = text.find("\n")
        if 0 < first_break < match.start():
            bounds.append((first_break + 1, "summary"))
        previous_break = text.rfind("\n", 0, match.start() - 1)
        if previous_break > first_break:
            bounds.append((previous_break + 1, "conditions"))
        bounds.append((match.start(), "interventions"))
        position = match.end() + 1
        in_outcomes = False
        outcome_lines = 0
        while position < len(text):
            end = text.find("\n", position)
            end = len(text) if end == -1 else end
            line = text[position:end].rstrip()
            # at most three outcome lines (primary, secondary, other); prose
            # description lines end with a full stop, time frames do not
            if (
                outcome_lines < 3
                and _OUTCOME_LINE.match(text, position, end)
                and not line.startswith(" ")
                and not line.endswith(".")
            ):
                outcome_lines += 1
                if not in_outcomes:
                    bounds.append((position, "outcomes"))
                    in_outcomes = True
                position = end + 1
                continue
            bounds.append((position, "description"))
            break
        return bounds

    def __call__(self, doc: Doc) -> Doc:
        text = doc_text(doc)  # built once, shared with the later components
        lowered = plain_lower(text)
        boundaries = {start: category for start, category in self.layout_sections(text)}
        for start, _end, category in self.headers(text, lowered):
            boundaries[start] = category
        for match in self._arm_scan.finditer(text, lowered):
            boundaries.setdefault(match.start(), "arms")
        spans = []
        ordered = sorted(boundaries.items())
        if ordered and len(doc):
            values = doc.to_array([IDX, LENGTH])
            token_starts = values[:, 0].tolist()
            token_ends = (values[:, 0] + values[:, 1]).tolist()
        for index, (start, category) in enumerate(ordered):
            end = ordered[index + 1][0] if index + 1 < len(ordered) else len(text)
            # = doc.char_span(start, end, alignment_mode="expand"), from the token offsets
            first = bisect_right(token_starts, start) - 1 if 0 <= start < len(text) and len(doc) else -1
            last = bisect_right(token_starts, end - 1) - 1 if 0 <= end - 1 < len(text) and len(doc) else -1
            if first < 0 or last < 0:
                continue
            if start == token_ends[first]:
                first += 1  # the trailing white space of a token is not part of it
            if first < last + 1 and (not spans or first >= spans[-1].end):
                spans.append(Span(doc, first, last + 1, label=category))
            elif spans and last + 1 > spans[-1].end:
                spans.append(Span(doc, spans[-1].end, last + 1, label=category))
        doc.spans[SPANS_KEY] = spans
        return doc

    def to_disk(self, path, exclude=tuple()):
        path = ensure_path(path)
        path.mkdir(parents=True, exist_ok=True)
        srsly.write_jsonl(path / "rules.jsonl", self.rules)

    def from_disk(self, path, exclude=tuple()):
        self.rules = []
        self.add_rules(srsly.read_jsonl(ensure_path(path) / "rules.jsonl"))
        return self


def section_at(doc: Doc, char_offset: int) -> str | None:
    """Category of the section holding ``char_offset``, if any."""
    spans = doc.spans.get(SPANS_KEY)
    if not spans:
        return None
    # sections are sorted and disjoint: binary search, not a scan per call
    index = bisect_right(range(len(spans)), char_offset, key=lambda i: spans[i].start_char) - 1
    if index >= 0 and char_offset < spans[index].end_char:
        return spans[index].label_
    return None


@Language.factory("extractor_sections", assigns=[f"doc.spans"], requires=[])
def make_trial_sectionizer(nlp: Language, name: str) -> TrialSectionizer:
    return TrialSectionizer(nlp, name)
