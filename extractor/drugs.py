"""DRUG and DRUG_CLASS mentions: recognition, normalization to the INN, and role.

How a mention is found and named (``span._.extractor_resolution``):

- ``exact`` / ``synonym``: a lexicon name (generic, brand or code) matched by
  spaCy's ``PhraseMatcher`` on lowercase text;
- ``acronym``: a regimen acronym from the lexicon (``FOLFOX``) or one defined
  in the text (``bevacizumab plus atezolizumab plus carboplatin plus
  etoposide (ABCE)``), normalized to its components sorted and joined by ``+``;
- ``fuzzy``: a word with an INN stem (``-tinib``, ``-mab``...) close in
  spelling to a lexicon name (``Amlotinib`` -> anlotinib);
- ``stem``: a word with an INN stem found in no lexicon, named by itself;
- ``context``: an unknown word in a drug slot (``Durvalumab + chemotherapy +
  ernesto``, ``Amlotinib/ernesto``), named after the drug the document pairs
  it with.

Role (``span._.extractor_role``): ``other`` in eligibility sections and after
prior-therapy cues (``prior``, ``previously treated with``...), or for drugs
the document does not give (background, other trials); ``study`` otherwise.
"""


import re
from typing import Iterable

import srsly
from rapidfuzz import fuzz, process
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import ensure_path, filter_spans

from .extensions import get_entities, set_entities, set_span_data
from .resources import read_data
from .sections import section_at

OTHER_SECTIONS = frozenset({"eligibility", "inclusion_criteria", "exclusion_criteria", "prior_therapy", "background"})
STUDY_SECTIONS = frozenset({"title", "interventions", "arms", "outline"})
PRIOR_CUES = re.compile(
    r"\b(?:prior|previous(?:ly)?|history of|pretreated|pre-treated|refractory to|resistant to|failed|failure of|"
    r"progressed (?:on|after)|intolerant|allerg(?:y|ic)|hypersensitivity|no (?:concurrent|concomitant)|"
    r"concurrent|concomitant|received|receiving|taking|within \d+ (?:days|weeks|months)|excluded?|"
    r"contraindicat\w*|standard)\b",
    re.I,
)
SLOT_SEPARATORS = frozenset({"+", "/", "plus", "and", "with", ","})
SALT_WORDS = frozenset(
    "hydrochloride hcl sodium potassium citrate mesylate maleate tartrate sulfate sulphate phosphate acetate "
    "besylate succinate fumarate bromide chloride calcium dihydrochloride malate tosylate liposome liposomal".split()
)


class DrugRecognizer:
    """Tags DRUG / DRUG_CLASS entities (``doc.spans["extractor_entities"]``,
    and ``doc.ents`` when ``write_ents``) with normalization and role."""

    def __init__(self, nlp: Language, name: str = "extractor_drugs", fuzzy_threshold: float = 85.0,
                 write_ents: bool = False):
        self.nlp = nlp
        self.name = name
        self.fuzzy_threshold = fuzzy_threshold
        self.write_ents = write_ents
        self.lexicon: dict[str, str] = {}
        self.regimens: dict[str, list[str]] = {}
        self.classes: list[str] = []
        self.stems: tuple[str, ...] = ()
        self._ready = False

    # ---- data lifecycle ---------------------------------------------------
    def initialize(
        self,
        get_examples=None,
        *,
        nlp: Language | None = None,
        lexicon: Iterable[dict] | None = None,
        regimens: Iterable[dict] | None = None,
        classes: Iterable[dict] | None = None,
        stems: Iterable[str] | None = None,
    ) -> None:
        if lexicon is None:
            lexicon = list(read_data("drug_lexicon.jsonl")) + list(read_data("drug_curated.jsonl"))
        self.set_data(
            lexicon,
            regimens if regimens is not None else read_data("regimens.jsonl"),
            classes if classes is not None else read_data("drug_classes.jsonl"),
            stems if stems is not None else read_data("inn_stems.json")["unknown_drug_stems"],
        )

    def set_data(self, lexicon, regimens, classes, stems) -> None:
        self.lexicon = {entry["name"].lower(): entry["inn"] for entry in lexicon}
        self.regimens = {entry["name"]: sorted(entry["components"]) for entry in regimens}
        self.classes = sorted({entry["name"].lower() for entry in classes})
        self.stems = tuple(stems)
        make = self.nlp.make_doc
        self._names = PhraseMatcher(self.nlp.vocab, attr="LOWER")
        self._names.add("DRUG", _case_variants(self.nlp, sorted(self.lexicon)))
        self._class_matcher = PhraseMatcher(self.nlp.vocab, attr="LOWER")
        self._class_matcher.add("DRUG_CLASS", _case_variants(self.nlp, self.classes))
        self._regimen_matcher = PhraseMatcher(self.nlp.vocab, attr="ORTH")
        self._regimen_matcher.add("DRUG", [make(r) for r in self.regimens])
        self._inns = sorted({inn for inn in self.lexicon.values() if " " not in inn and "+" not in inn})
        self._stem_regex = re.compile(rf"^[A-Za-z][A-Za-z\-]{{2,}}(?:{'|'.join(map(re.escape, self.stems))})$", re.I)
        self._ready = True

    def to_disk(self, path, exclude=tuple()):
        path = ensure_path(path)
        path.mkdir(parents=True, exist_ok=True)
        srsly.write_jsonl(path / "lexicon.jsonl", [{"name": k, "inn": v} for k, v in sorted(self.lexicon.items())])
        srsly.write_jsonl(path / "regimens.jsonl", [{"name": k, "components": v} for k, v in self.regimens.items()])
        srsly.write_jsonl(path / "classes.jsonl", [{"name": c} for c in self.classes])
        srsly.write_json(path / "cfg.json", {"stems": list(self.stems), "fuzzy_threshold": self.fuzzy_threshold})

    def from_disk(self, path, exclude=tuple()):
        path = ensure_path(path)
        cfg = srsly.read_json(path / "cfg.json")
        self.fuzzy_threshold = cfg["fuzzy_threshold"]
        self.set_data(
            srsly.read_jsonl(path / "lexicon.jsonl"),
            srsly.read_jsonl(path / "regimens.jsonl"),
            srsly.read_jsonl(path / "classes.jsonl"),
            cfg["stems"],
        )
        return self

    # ---- recognition ------------------------------------------------------
    def __call__(self, doc: Doc) -> Doc:
        if not self._ready:
            self.initialize()
        found: dict[tuple[int, int], tuple[str, str | None, str, float]] = {}
        for _, start, end in self._names(doc):
            surface = doc[start:end].text.lower()
            inn = self.lexicon.get(surface)
            if inn is None:  # whitespace inside the match differs from the lexicon's
                inn = self.lexicon.get(" ".join(surface.split()), surface)
            resolution = "exact" if _base(surface) == inn else "synonym"
            found[(start, end)] = ("DRUG", inn, resolution, 0.95 if resolution == "exact" else 0.9)
        for _, start, end in self._class_matcher(doc):  # a class name wins over a drug name
            found[(start, end)] = ("DRUG_CLASS", None, "exact", 0.9)
        for _, start, end in self._regimen_matcher(doc):
            found[(start, end)] = ("DRUG", "+".join(self.regimens[doc[start:end].text]), "acronym", 0.8)
        self._find_by_stem(doc, found)
        spans = [Span(doc, s, e, label=v[0]) for (s, e), v in found.items()]
        others = [e for e in get_entities(doc) if e.label_ not in ("DRUG", "DRUG_CLASS")]
        kept = filter_spans(spans + others)
        kept_drugs = [s for s in kept if s.label_ in ("DRUG", "DRUG_CLASS")]
        info = {(s.start, s.end): found[(s.start, s.end)] for s in kept_drugs}
        self._define_acronyms(doc, kept_drugs, info)
        self._fill_slots(doc, info)
        kept = set_entities(
            doc, [Span(doc, s, e, label=v[0]) for (s, e), v in info.items()] + others, self.write_ents
        )
        study = self._study_names(doc, info)
        for span in kept:
            if span.label_ not in ("DRUG", "DRUG_CLASS"):
                continue
            label, inn, resolution, confidence = info[(span.start, span.end)]
            set_span_data(
                span,
                normalized=inn,
                resolution=resolution,
                confidence=confidence,
                role=self._role(doc, span, inn, study),
            )
        return doc

    def _find_by_stem(self, doc: Doc, found: dict) -> None:
        covered = set()
        for start, end in found:
            covered.update(range(start, end))
        for token in doc:
            if token.i in covered or not token.is_alpha or len(token) < 6:
                continue
            if not self._stem_regex.match(token.text):
                continue
            lower = token.text.lower()
            match = process.extractOne(lower, self._inns, scorer=fuzz.ratio, score_cutoff=self.fuzzy_threshold)
            if match:
                found[(token.i, token.i + 1)] = ("DRUG", match[0], "fuzzy", round(match[1] / 100 * 0.8, 3))
            else:
                found[(token.i, token.i + 1)] = ("DRUG", lower, "stem", 0.6)

    def _define_acronyms(self, doc: Doc, drugs: list[Span], info: dict) -> None:
        """``A plus B plus C (ABC)``: the acronym names the drugs before it."""
        by_end = {s.end: s for s in drugs}
        definitions: dict[str, str] = {}
        for token in doc:
            if token.text != "(" or token.i + 2 >= len(doc) or doc[token.i + 2].text != ")":
                continue
            acronym = doc[token.i + 1]
            if not (acronym.is_upper and acronym.is_alpha and 2 <= len(acronym) <= 8):
                continue
            components: list[Span] = []
            cursor = token.i
            while cursor in by_end:
                span = by_end[cursor]
                components.insert(0, span)
                cursor = span.start
                # step back over one connector: "plus", "+", "and", ","
                if cursor > 0 and doc[cursor - 1].lower_ in SLOT_SEPARATORS:
                    cursor -= 1
            names = [info[(s.start, s.end)][1] for s in components if info[(s.start, s.end)][0] == "DRUG"]
            initials = sorted(n[0] for n in names if n)
            if len(names) >= 2 and initials == sorted(acronym.text.lower()):
                definitions[acronym.text] = "+".join(sorted(names))
            elif len(names) == 1 and not definitions.get(acronym.text):
                definitions[acronym.text] = names[0]  # "filgrastim (G-CSF)"
        if not definitions:
            return
        for token in doc:
            if token.text in definitions and (token.i, token.i + 1) not in info:
                if not any(s <= token.i < e for s, e in info):
                    info[(token.i, token.i + 1)] = ("DRUG", definitions[token.text], "acronym", 0.85)
        # a sub-acronym (AB) of a defined one (ABCE) with its drugs in the text
        for token in doc:
            text = token.text
            if (token.i, token.i + 1) in info or not (token.is_upper and token.is_alpha and 2 <= len(text) <= 6):
                continue
            for acronym, names in definitions.items():
                parts = names.split("+")
                if len(text) < len(acronym) and all(c in acronym for c in text) and len(set(text)) == len(text):
                    chosen = sorted(p for p in parts if p[0] in text.lower())
                    if len(chosen) == len(text) and not any(s <= token.i < e for s, e in info):
                        info[(token.i, token.i + 1)] = ("DRUG", "+".join(chosen), "acronym", 0.7)
                        break

    def _fill_slots(self, doc: Doc, info: dict) -> None:
        """Unknown words paired with drugs (``X/Y``, ``X + Y + Z``) are drugs too."""
        misspelled = [v[1] for v in info.values() if v[2] in ("fuzzy", "stem")]
        starts = {s: (s, e) for s, e in info}
        ends = {e: (s, e) for s, e in info}
        covered = {i for s, e in info for i in range(s, e)}  # the loop only adds (i, i + 1) for the current i
        for token in doc:
            i = token.i
            if (i, i + 1) in info or i in covered or not token.is_alpha or len(token) < 3:
                continue
            if token.is_stop or token.lower_ in {"chemotherapy", "placebo", "radiotherapy", "surgery"}:
                continue
            left = doc[i - 1].text if i > 0 else ""
            right = doc[i + 1].text if i + 1 < len(doc) else ""
            paired = None
            if left == "/" and (i - 1) in ends:
                paired = info[ends[i - 1]]
            elif right == "/" and (i + 2) in starts:
                paired = info[starts[i + 2]]
            if paired and paired[0] == "DRUG":
                info[(i, i + 1)] = ("DRUG", paired[1], "context", 0.6)
                continue
            in_plus_list = (left == "+" and (i - 1) in ends) or (right == "+" and (i + 2) in starts)
            if in_plus_list and (token.is_title or token.is_lower) and not token.is_upper or (
                in_plus_list and token.is_upper and len(token) <= 4
            ):
                name = misspelled[0] if misspelled else "unknown"
                info[(i, i + 1)] = ("DRUG", name, "context", 0.5)

    def _study_names(self, doc: Doc, info: dict) -> set[str]:
        names = set()
        for (start, end), value in info.items():  # one section lookup per drug, not drugs x sections
            if value[1] and section_at(doc, doc[start].idx) in STUDY_SECTIONS:
                names.add(value[1])
        return names

    def _role(self, doc: Doc, span: Span, inn: str | None, study: set[str]) -> str:
        section = section_at(doc, span.start_char)
        if section in OTHER_SECTIONS:
            return "other"
        sentence = span.sent if doc.has_annotation("SENT_START") else doc[max(0, span.start - 12):span.end]
        before = doc[max(sentence.start, span.start - 8):span.start].text
        if PRIOR_CUES.search(before):
            return "other"
        if study and inn and span.label_ == "DRUG" and inn not in study:
            components = set(inn.split("+"))
            if not components & {n for s in study for n in s.split("+")}:
                return "other"
        return "study"


def _case_variants(nlp: Language, names: list[str]) -> list[Doc]:
    """Patterns for lowercase and uppercase spellings: the tokenizer splits
    ``anti-tnf`` but not ``anti-TNF``, and matching is on lowercase forms."""
    patterns = list(nlp.tokenizer.pipe(names))
    uppercase = nlp.tokenizer.pipe([n.upper() for n in names])
    return patterns + [upper for lower, upper in zip(patterns, uppercase) if len(upper) != len(lower)]


def _base(surface: str) -> str:
    return " ".join(w for w in surface.split() if w not in SALT_WORDS)


@Language.factory(
    "extractor_drugs",
    assigns=["doc.spans", "span._.extractor_normalized", "span._.extractor_role"],
    default_config={"fuzzy_threshold": 85.0, "write_ents": False},
)
def make_drug_recognizer(nlp: Language, name: str, fuzzy_threshold: float, write_ents: bool) -> DrugRecognizer:
    return DrugRecognizer(nlp, name, fuzzy_threshold, write_ents)
