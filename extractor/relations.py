"""Regimen relations: attributes linked to drugs, time frames to endpoints.

Rules (a learned scorer is future work, see the README):

- DOSE, ROUTE, SCHEDULE, DURATION link within their sentence: to the nearest
  drug before them whose own attribute of that kind is not already stated
  (``cisplatin IV on day 1 and etoposide IV on days 1-3``), or to the first
  drug after them when none precedes; a SCHEDULE or DURATION that follows a
  coordination of drugs with no attribute of its kind in between links to all
  of them (``atezolizumab and bevacizumab will be administered every 21 days``);
- a sentence without a drug (``Courses repeat every 21 days for 4 courses.``)
  links to the study drugs of its section;
- a TIMEFRAME links to the ENDPOINTs of its line item (``measure, description,
  time frame``), or of its sentence in prose.

Output: ``doc._.extractor_relations``, a list of ``{"label", "arg1": [start,
end], "arg2": [start, end]}`` with character offsets (plain data).
"""

from bisect import bisect_left

from spacy.language import Language
from spacy.tokens import Doc, Span

from .extensions import ensure_extensions, get_entities
from .schema import RELATION_FOR_ATTRIBUTE
from .sections import SPANS_KEY as SECTIONS_KEY

DRUG_LABELS = ("DRUG", "DRUG_CLASS")
COORDINATORS = frozenset({"and", "or", "plus", "+", ",", "/", "with", "&", "in", "combination", "combined", "together", "followed", "by"})


class RelationLinker:
    def __init__(self, nlp: Language, name: str = "extractor_relations", max_distance: int = 40):
        self.name = name
        self.max_distance = max_distance
        ensure_extensions()

    def __call__(self, doc: Doc) -> Doc:
        ensure_extensions()
        relations: list[dict] = []
        ents = get_entities(doc)
        text = doc.text  # rebuilt on each access: once per doc
        for ent in ents:
            label = RELATION_FOR_ATTRIBUTE.get(ent.label_)
            if label is None:
                continue
            if ent.label_ == "TIMEFRAME":
                heads = self._endpoints_for(doc, ent, ents, text)
            else:
                heads = self._drugs_for(doc, ent, ents)
            for head in heads:
                relations.append(
                    {"label": label, "arg1": [ent.start_char, ent.end_char], "arg2": [head.start_char, head.end_char]}
                )
        doc._.extractor_relations = relations
        return doc

    def _sentence(self, doc: Doc, ent: Span) -> Span:
        return ent.sent if doc.has_annotation("SENT_START") else doc[:]

    def _drugs_for(self, doc: Doc, ent: Span, ents: list[Span]) -> list[Span]:
        sent = self._sentence(doc, ent)
        in_sentence = _between(ents, sent.start, sent.end)
        drugs = [e for e in in_sentence if e.label_ in DRUG_LABELS]
        if not drugs:
            return self._section_drugs(doc, ent, ents)
        before = [d for d in drugs if d.end <= ent.start and ent.start - d.end <= self.max_distance]
        if before:
            nearest = before[-1]
            group = [nearest]
            # walk back over a coordination "A and B", "A, B and C", "A + B"
            index = drugs.index(nearest)
            while index > 0:
                previous = drugs[index - 1]
                between = doc[previous.end:group[0].start]
                if len(between) <= 3 and all(t.lower_ in COORDINATORS or t.is_space for t in between):
                    group.insert(0, previous)
                    index -= 1
                else:
                    break
            same_kind_between = any(
                e.label_ == ent.label_ for e in in_sentence if nearest.end <= e.start < ent.start
            )
            if ent.label_ in ("SCHEDULE", "DURATION") and not same_kind_between:
                return group
            return [nearest] if ent.label_ in ("DOSE", "ROUTE") else group
        after = [d for d in drugs if d.start >= ent.end and d.start - ent.end <= 6]
        return after[:1]

    def _section_drugs(self, doc: Doc, ent: Span, ents: list[Span]) -> list[Span]:
        if ent.label_ not in ("SCHEDULE", "DURATION"):
            return []
        section = next(
            (s for s in doc.spans.get(SECTIONS_KEY, []) if s.start <= ent.start < s.end), None
        )
        if section is None or section.label_ not in ("arms", "outline", "interventions", "description", "summary"):
            return []
        window_start = max(section.start, ent.start - 120)
        candidates = [
            e for e in _between(ents, window_start, ent.start)
            if e.label_ in DRUG_LABELS and e._.extractor_role != "other"
        ]
        return candidates

    def _endpoints_for(self, doc: Doc, ent: Span, ents: list[Span], text: str | None = None) -> list[Span]:
        text = doc.text if text is None else text
        line_start = max(text.rfind("\n", 0, ent.start_char), text.rfind("|", 0, ent.start_char)) + 1
        on_line = ents[bisect_left(ents, line_start, key=_start_char):bisect_left(ents, ent.start_char, key=_start_char)]
        endpoints = [e for e in on_line if e.label_ == "ENDPOINT"]
        if endpoints:
            return endpoints
        sent = self._sentence(doc, ent)
        return [e for e in _between(ents, sent.start, sent.end) if e.label_ == "ENDPOINT"]


def _between(ents: list[Span], start: int, end: int) -> list[Span]:
    """The entities of ``ents`` (sorted) starting at tokens ``start`` to ``end - 1``."""
    return ents[bisect_left(ents, start, key=_start):bisect_left(ents, end, key=_start)]


def _start(span: Span) -> int:
    return span.start


def _start_char(span: Span) -> int:
    return span.start_char


@Language.factory(
    "extractor_relations",
    assigns=["doc._.extractor_relations"],
    requires=["doc.spans"],
    default_config={"max_distance": 40},
)
def make_relation_linker(nlp: Language, name: str, max_distance: int) -> RelationLinker:
    return RelationLinker(nlp, name, max_distance)
