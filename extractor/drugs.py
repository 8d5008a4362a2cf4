"""DRUG and DRUG_CLASS mentions: recognition, normalization to the INN, and role.

How a mention is found and named (``span._.extractor_resolution`` and
``span._.extractor_confidence``):

- ``exact`` / ``synonym``: a lexicon name (generic, brand or code) matched by
  spaCy's ``PhraseMatcher`` on lowercase text; salt and formulation words
  around it stay in the span (``doxorubicin HCl liposome``);
- ``acronym``: a regimen acronym from the lexicon (``FOLFOX``) or one defined
  in the text (``bevacizumab plus atezolizumab plus carboplatin plus
  etoposide (ABCE)``), normalized to its components sorted and joined by ``+``;
- ``fuzzy``: a word with an INN stem (``-tinib``, ``-mab``...), or a long word
  listed with a drug, close in spelling to a lexicon name (``Amlotinib`` ->
  anlotinib, ``pentoxyfylline`` -> pentoxifylline); fuzzy matching runs on
  these candidate words only;
- ``stem``: a word with an INN stem found in no lexicon, named by itself;
- ``context``: an unknown name the text gives like a drug: a registry
  intervention entry (``DRUG: R744``), a development code with a dose or
  route after it or listed with a drug (``BAY60-4552 + Vardenafil``), and
  their other mentions; an unknown word in a drug slot (``Durvalumab +
  chemotherapy + ernesto``, ``Amlotinib/ernesto``), named after the drug the
  document combines with the slot's drugs (``Anlotinib combined with
  Durvalumab``);
- ``pattern`` (DRUG_CLASS only): a class phrase from the grammar in
  ``drug_class_grammar.json`` (``HIV protease inhibitors``, ``strong
  inhibitors of CYP3A4``); listed class names are ``exact``.

Role (``span._.extractor_role``): ConText-style rules read from
``drug_context.jsonl`` (cue, direction, strength; clause terminators end a
cue's scope) rather than medspaCy's ConText, which would cost about a second
of import time.  Strong cues (``prior``, ``history of``, another trial's
``NCT`` id) make a mention ``other``; weak ones (``concurrent``,
``allergy``) only for drugs the trial does not give.  Eligibility text is
``other`` unless it names a drug of the trial; titles listed next to a bare
NCT id line are other trials; items under an eligibility header such as
``Allowed:`` or ``Excluded:`` (``block`` cues) are outside use, ``other``,
unless an allergy cue (``own``) precedes the mention.  A JSON logistic-regression role model
(``tools/train_drugs.py``) can replace the rules via ``initialize(role_model=
...)``; none is bundled because it did not beat the rules on dev.
"""


import bisect
import hashlib
import itertools
import re
import weakref
from typing import Iterable, Iterator

import numpy
import srsly
from rapidfuzz import fuzz, process
from spacy.attrs import IDX, IS_ALPHA, IS_UPPER, LENGTH, LOWER, ORTH
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import ensure_path, filter_spans

from .extensions import doc_text, get_entities, sentence_bounds, sentence_starts, set_entities, set_span_data
from .regexscan import parsed_pattern, start_scanner, stored_analysis
from .resources import data_path, read_data, read_data_text
from .sections import SPANS_KEY as SECTIONS_KEY
from .sections import section_at
from .tokenizer import TrialTokenizer

# characters other than ASCII letters that an ASCII letter class matches under re.I
_ODD_CASE = re.compile("[\u0130\u0131\u017f\u212a]")
OTHER_SECTIONS = frozenset({"eligibility", "inclusion_criteria", "exclusion_criteria", "prior_therapy"})
STUDY_SECTIONS = frozenset({"title", "interventions", "arms", "outline"})
INTERVENTION_ENTRY = re.compile(r"(?:^|\|)\s*(DRUG|BIOLOGICAL|GENETIC|DIETARY_SUPPLEMENT|Drug|Biological): ([^|\n]+)",
                                re.M)
ENTRY_TRIM = re.compile(r"(?:\s+\d[\d.,]*\s*(?:mg|g|mcg|µg|ug|ml|iu|units?|%|mg/kg|mg/m2)\b.*|\s*\(.*)$", re.I)
ENTRY_LEAD = re.compile(r"(?:(?:using|use of|with|oral|iv|intravenous|low[- ]dose|high[- ]dose|active)\s+)*", re.I)
COMBINATION = re.compile(r"\b(?:and|plus|or|vs|versus|with|followed by|then)\b|[+&/]")
CLASS_HEADS = ("agents", "agent", "inhibitors", "inhibitor", "drugs", "therapy", "therapies", "medications",
               "medication", "blockers", "antagonists", "agonists", "vaccines", "immunotherapy")
FORM_WORDS = frozenset({"gits", "isetionate", "enanthate", "liposome", "liposomes", "extract", "biosimilar"})
PRE_FORM_WORDS = frozenset({"liposomal", "pegylated", "recombinant"})  # recombinant: 10 of 10 train gold drugs it precedes keep it
COMBINED = re.compile(r"\s*(?:combined with|in combination with|plus|\+|with)\s*", re.I)
OBJECT_OF_STUDY = frozenset({"efficacy", "safety", "effect", "effects", "tolerability", "activity"})
NOT_DRUG_WORDS = frozenset({"chemotherapy", "placebo", "radiotherapy", "surgery", "radiation", "observation"})
LIST_WORDS = frozenset({"or", "and", "plus", "+", "/", ",", "versus", "vs", "vs.", "with", "("})
# (a title is at most 300 characters: the corpus's longest is 100; unbounded,
# one long line made each title run to the end of the text)
ARM_TITLE = re.compile(r"(?:Arm/Group Title|INTERVENTION \d+):[ \t]+(?:Phase \d+[^:\n]{0,20}:\s*)?([^\n]{1,300}?)(?=[ \t]{2,}|\n|$)")
ARM_PARTS = re.compile(r"[^/+]+?(?=\s*(?:/|\+|\band\b|\bwith\b|\bin combination with\b|\bplus\b|$))", re.I)
CODE_SPACING = re.compile(r"[\s\-\u2010\u2011]+")  # spellings of one code: "BAY 38-9456", "BAY38-9456"
HYPHENS = frozenset({"-", "\u2010", "\u2011"})
SLOT_SEPARATORS = frozenset({"+", "/", "plus", "and", "with", ","})
SALT_WORDS = frozenset(
    "hydrochloride hcl sodium potassium citrate mesylate maleate tartrate sulfate sulphate phosphate acetate "
    "besylate succinate fumarate bromide chloride calcium dihydrochloride malate tosylate liposome liposomal "
    "glucuronate gluconate disodium dipropionate propionate valerate hyclate monohydrate trihydrate hydrobromide "
    "bitartrate meglumine dimesylate lactate undecanoate cypionate decanoate".split()
)
# a drug name followed by these words names something else: a condition
# (``insulin-dependent diabetes``, ``vitamin D deficiency``), a lab value
# (``testosterone level``), a biomarker (``interferon gamma expression``),
# an antibody against the drug
DRUG_NOT_AFTER = frozenset({"dependent", "level", "levels", "expression", "resistant", "resistance",
                            "antibody", "antibodies", "receptor", "receptors", "deficiency", "deficient"})
SALT_OR_FORM_WORDS = SALT_WORDS | FORM_WORDS
# ... and a drug name after these words is a measured level (``free
# testosterone``, ``plasma level of montelukast``)
# tokens looked at on each side of a line wrap inside a lexicon name (three
# words with hyphens: "granulocyte-macrophage | colony-stimulating factor")
WRAP_SIDE_TOKENS = 7
LEVEL_BEFORE = frozenset({"free", "total", "bioavailable", "breath"})
# words joining drug names in a list of measured substances ("B12 and folic acid levels")
MEASURE_LIST_WORDS = frozenset({",", "and", "or", "/", "&"})
ANALOGUE_WORDS = frozenset({"analogue", "analogues", "analog", "analogs"})
ANTIBODY_ADJECTIVES = frozenset({"chimeric", "humanized", "humanised", "human", "murine", "radiolabeled",
                                 "radiolabelled"})


# a hard line wrap between two words (legacy registry text): group 1 is the whitespace
WRAP = re.compile(r"(?<=\S)([ \t]*\r?\n[ \t]*)(?=\S)")

FEATURES_KEY = "extractor_drug_role_features"


class LinearRoleModel:
    """A logistic-regression role classifier stored as JSON (feature weights,
    intercept): ``study`` when the weighted feature sum is positive."""

    def __init__(self, weights: dict[str, float], intercept: float, meta: dict | None = None):
        self.weights = weights
        self.intercept = intercept
        self.meta = meta or {}

    def score(self, features: dict[str, float]) -> float:
        return self.intercept + sum(self.weights.get(name, 0.0) * value for name, value in features.items())

    def predict(self, features: dict[str, float]) -> str:
        return "study" if self.score(features) > 0 else "other"

    def to_json(self) -> dict:
        return {"type": "logistic_regression", "positive_class": "study", "intercept": self.intercept,
                "weights": self.weights, "meta": self.meta}

    @classmethod
    def from_json(cls, data: dict) -> "LinearRoleModel":
        if data.get("type") != "logistic_regression" or data.get("positive_class") != "study":
            raise ValueError("not a drug role model (expected a logistic_regression with positive_class study)")
        return cls({k: float(v) for k, v in data["weights"].items()}, float(data["intercept"]), data.get("meta"))


def _remembered(cache: dict, key, make):
    """``cache[key]``, made by ``make()`` the first time; the cache is emptied
    when it holds 50,000 entries, so a long run's memory stays bounded."""
    try:
        return cache[key]
    except KeyError:
        pass
    if len(cache) >= 50_000:
        cache.clear()
    value = cache[key] = make()
    return value


def _adds_to_name(word: str, name: str) -> bool:
    """``word`` is ``name`` with letters added before or after it: another
    drug (fosamprenavir, valganciclovir, esomeprazole), not a misspelling;
    or the other way round, ``name`` is ``word`` with letters added
    (``ketamine`` is not ``esketamine``, ``interleukin`` not
    ``interleukin-1``): a whole name of its own or a part, not a misspelling."""
    if len(word) >= len(name) + 2 and (word.endswith(name) or word.startswith(name)):
        return True
    return len(name) >= len(word) + 2 and (name.endswith(word) or name.startswith(word))


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
        self.stoplist: frozenset[str] = frozenset()
        self.class_grammar: dict = {}
        self.context_rules: list[dict] = []
        self.code_slots: dict = {}
        self.role_model: LinearRoleModel | None = None
        self.collect_features = False
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
        stoplist: Iterable[dict] | None = None,
        class_grammar: dict | None = None,
        context_rules: Iterable[dict] | None = None,
        role_model: str | None = None,
        code_slots: dict | None = None,
    ) -> None:
        """Load the bundled data (or the given data).  ``role_model``: path of
        a JSON role model written by ``tools/train_drugs.py``; without it the
        role rules decide (the bundled pipeline ships none: on dev the model
        did not beat the rules)."""
        if role_model is not None:
            self.role_model = LinearRoleModel.from_json(srsly.read_json(role_model))
        if lexicon is None:
            lexicon = list(read_data("drug_lexicon.jsonl")) + list(read_data("drug_curated.jsonl"))
        self.set_data(
            lexicon,
            regimens if regimens is not None else read_data("regimens.jsonl"),
            classes if classes is not None else read_data("drug_classes.jsonl"),
            stems if stems is not None else read_data("inn_stems.json")["unknown_drug_stems"],
            stoplist if stoplist is not None else read_data("drug_stoplist.jsonl"),
            class_grammar if class_grammar is not None else read_data("drug_class_grammar.json"),
            context_rules if context_rules is not None else read_data("drug_context.jsonl"),
            code_slots if code_slots is not None else read_data("drug_code_slots.json"),
        )

    def set_data(self, lexicon, regimens, classes, stems, stoplist=(), class_grammar=None, context_rules=(),
                 code_slots=None) -> None:
        self.code_slots = dict(code_slots or {})
        self.context_rules = [dict(rule) for rule in context_rules]
        self.class_grammar = dict(class_grammar or {})
        self._regimen_therapy_words = frozenset(self.class_grammar.get("regimen_therapy_words", ()))
        self.stoplist = frozenset(entry["name"].lower() for entry in stoplist)
        regimens = list(regimens)
        regimen_names = {entry["name"].lower() for entry in regimens}
        names = {entry["name"].lower(): entry["inn"] for entry in lexicon if entry["name"].lower() not in regimen_names}
        names = _usable_names(names, self.stoplist, frozenset(self.code_slots.get("dosage_forms", ())),
                              frozenset(self.code_slots.get("name_route_words", ())))
        # one hop: a name whose canonical is itself renamed (apap -> acetaminophen -> paracetamol)
        self.lexicon = {name: names.get(inn, inn) for name, inn in names.items()}
        self._name_rules = _name_rules(self.code_slots)
        self.lexicon = _canonical_lexicon(self.lexicon, self._name_rules)
        self.lexicon = _unified_spellings(self.lexicon)
        self._canonical_inns = frozenset(self.lexicon.values())
        self._name_initials = _name_initials(self.lexicon)
        self._canonical_cache: dict[str, str] = {}
        # listed codes by their letters and digits alone ("BAY 38-9456" is the
        # listed "bay38-9456"); a key two drugs share names neither
        code_inns: dict[str, set[str]] = {}
        for name, inn in self.lexicon.items():
            if any(c.isdigit() for c in name) and any(c.isalpha() for c in name):
                code_inns.setdefault(CODE_SPACING.sub("", name), set()).add(inn)
        self._code_inns = {key: next(iter(inns)) for key, inns in code_inns.items() if len(inns) == 1}
        self.regimens = {entry["name"]: sorted(entry["components"]) for entry in regimens}
        self._set_spelling_variants()
        # adjacent words of multi-word names: {second word: {first words}}
        # (a hard line wrap may fall between them: _wrapped_names)
        self._wrap_pairs: dict[str, set[str]] = {}
        classes = list(classes)
        self._wrap_classes = frozenset(entry["name"].lower() for entry in classes if " " in entry["name"])
        for name in (*self.lexicon, *self._wrap_classes):
            words = name.split()
            for left, right in zip(words, words[1:]):
                self._wrap_pairs.setdefault(right, set()).add(left)
        # second words by their first two characters (the wrap test's index)
        self._wrap_rights: dict[str, list[str]] = {}
        for right in sorted(self._wrap_pairs):
            self._wrap_rights.setdefault(right[:2], []).append(right)
        self._wrap_lefts = {right: tuple(sorted(lefts)) for right, lefts in self._wrap_pairs.items()}
        # a line end followed by one of those (lowercase text)
        self._wrap_next = re.compile(rf"\n[ \t]*(?={_trie_alternatives(self._wrap_rights)})")
        self.classes = sorted({entry["name"].lower() for entry in classes})
        self._class_names = frozenset(self.classes)
        self.stems = tuple(stems)
        make = self.nlp.make_doc
        self._names = PhraseMatcher(self.nlp.vocab, attr="LOWER")
        # the tokens of the bundled names, read instead of tokenizing them
        name_tokens = read_data(NAME_TOKENS) if data_path(NAME_TOKENS).is_file() else None
        self._names.add("DRUG", _case_variants(self.nlp, sorted(self.lexicon), name_tokens))
        self._class_matcher = PhraseMatcher(self.nlp.vocab, attr="LOWER")
        self._class_matcher.add("DRUG_CLASS", _case_variants(self.nlp, self.classes, name_tokens))
        self._regimen_matcher = PhraseMatcher(self.nlp.vocab, attr="ORTH")
        self._regimen_matcher.add("DRUG", [make(r) for r in self.regimens])
        self._inns = sorted({inn for inn in self.lexicon.values() if " " not in inn and "+" not in inn})
        self._class_regex = _class_regex(self.class_grammar)
        self._mechanism_heads = frozenset(self.class_grammar.get("mechanism_heads", ()))
        self._coordinated_target_heads = frozenset(self.class_grammar.get("coordinable_target_heads", ()))
        head_keys = ("heads", "of_heads", "bare_heads", "word_heads")  # every class phrase holds one of these
        self._class_search = _RunSearch(
            self._class_regex, [word for key in head_keys for word in self.class_grammar.get(key, ())])
        self._mechanism_search = _RunSearch(_class_regex(self.class_grammar, mechanism=True),
                                            list(self.class_grammar.get("mechanism_heads", ())))
        self._code_rules = {
            "code": re.compile(self.code_slots.get("code", r"(?!x)x")),
            "not_codes": frozenset(self.code_slots.get("not_codes", ())),
            "dose": re.compile(self.code_slots.get("dose", r"(?!x)x"), re.I),
            "routes": frozenset(self.code_slots.get("routes", ())),
            "givers": frozenset(self.code_slots.get("givers", ())),
            "list_words": frozenset(self.code_slots.get("list_words", ())),
        }
        # the role rules only ask whether any cue of a (direction, strength)
        # finds a match: one alternation per pair instead of one search per cue
        grouped: dict[tuple[str, str], list[str]] = {}
        for c in self.context_rules:
            if c["category"] == "other":
                grouped.setdefault((c["direction"], c["strength"]), []).append(rf"\b(?:{c['cue']})")
        self._cues = {key: re.compile("|".join(cues), re.I) for key, cues in grouped.items()}
        given = [c["cue"] for c in self.context_rules if c["category"] == "given"] or ["(?!x)x"]
        self._given = re.compile("|".join(f"(?:{cue})" for cue in given), re.I)
        terminators = [c["cue"] for c in self.context_rules if c["category"] == "terminate"] or ["(?!x)x"]
        self._terminate = re.compile("|".join(terminators), re.I)
        # literals one of which each match holds (a window without any needs no search)
        self._cue_literals = {key: _required_literals(cue) for key, cue in self._cues.items()}
        self._given_literals = _required_literals(self._given)
        self._terminate_literals = _required_literals(self._terminate)
        self._block_cues = _block_cues(self.context_rules)
        self._stem_regex = re.compile(rf"^[A-Za-z][A-Za-z\-]{{2,}}(?:{'|'.join(map(re.escape, self.stems))})$", re.I)
        self._lower_stems = tuple(sorted({stem.lower() for stem in self.stems}))
        self._fuzzy_cache: dict[str, tuple | None] = {}
        self._slot_not_words = frozenset(self.code_slots.get("slot_not_words", ()))
        self._slot_not_suffixes = tuple(self.code_slots.get("slot_not_suffixes", ()))
        self._entry_not_heads = frozenset(self.code_slots.get("not_drug_entry_heads", ()))
        self._entry_not_tails = frozenset(self.code_slots.get("not_drug_entry_tails", ()))
        self._ready = True

    def to_disk(self, path, exclude=tuple()):
        path = ensure_path(path)
        path.mkdir(parents=True, exist_ok=True)
        srsly.write_jsonl(path / "lexicon.jsonl", [{"name": k, "inn": v} for k, v in sorted(self.lexicon.items())])
        srsly.write_jsonl(path / "regimens.jsonl", [{"name": k, "components": v} for k, v in self.regimens.items()])
        srsly.write_jsonl(path / "classes.jsonl", [{"name": c} for c in self.classes])
        srsly.write_jsonl(path / "stoplist.jsonl", [{"name": n} for n in sorted(self.stoplist)])
        srsly.write_json(path / "class_grammar.json", self.class_grammar)
        srsly.write_jsonl(path / "context.jsonl", self.context_rules)
        srsly.write_json(path / "code_slots.json", self.code_slots)
        if self.role_model is not None:
            srsly.write_json(path / "role_model.json", self.role_model.to_json())
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
            srsly.read_jsonl(path / "stoplist.jsonl") if (path / "stoplist.jsonl").exists() else (),
            srsly.read_json(path / "class_grammar.json") if (path / "class_grammar.json").exists() else None,
            srsly.read_jsonl(path / "context.jsonl") if (path / "context.jsonl").exists() else (),
            srsly.read_json(path / "code_slots.json") if (path / "code_slots.json").exists() else None,
        )
        if (path / "role_model.json").exists():
            self.role_model = LinearRoleModel.from_json(srsly.read_json(path / "role_model.json"))
        return self

    def _canonical_name(self, name: str) -> str:
        """:func:`canonical_name` of a name found outside the lexicon (a
        code or stem name with a salt word), remembered."""
        return _remembered(self._canonical_cache, name,
                           lambda: canonical_name(name, self.lexicon, self._canonical_inns, self._name_rules))

    def _closest_inn(self, lower: str):
        """``process.extractOne`` of a lowercase word against the INNs,
        remembered (the lexicon does not change between documents)."""
        def closest():
            match = process.extractOne(lower, self._inns, scorer=fuzz.ratio, score_cutoff=self.fuzzy_threshold)
            return None if match and _adds_to_name(lower, match[0]) else match

        return _remembered(self._fuzzy_cache, lower, closest)

    # ---- recognition ------------------------------------------------------
    def __call__(self, doc: Doc) -> Doc:
        if not self._ready:
            self.initialize()
        # the token texts' hashes, read once for the whole call (the rules
        # below do not change the tokens)
        _ORTHS[doc] = doc.to_array(ORTH)
        try:
            return self._tag(doc)
        finally:
            _ORTHS.pop(doc, None)

    def _tag(self, doc: Doc) -> Doc:
        found: dict[tuple[int, int], tuple[str, str | None, str, float]] = {}
        for _, start, end in self._names(doc):
            surface = doc[start:end].text.lower()
            inn = self.lexicon.get(surface)
            if inn is None:  # whitespace inside the match differs from the lexicon's
                inn = self.lexicon.get(" ".join(surface.split()), surface)
            resolution = "exact" if _base(surface) == inn else "synonym"
            found[(start, end)] = ("DRUG", inn, resolution, 0.95 if resolution == "exact" else 0.9)
        self._wrapped_names(doc, found)
        self._spelled_variants(doc, found)
        found = self._extend_forms(doc, found)
        for start, end in self._class_phrases(doc):
            found[(start, end)] = ("DRUG_CLASS", None, "pattern", 0.7)
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
        self._intervention_slots(doc, info, others)
        self._code_slots(doc, info, others)
        self._define_acronyms(doc, kept_drugs, info)
        self._spelled_out_short_forms(doc, info)
        self._stated_variants(doc, info)
        self._code_spellings(doc, info, others)
        self._strain_suffixes(doc, info, others)
        self._strain_prefixes(doc, info, others)
        self._class_acronyms(doc, info)
        self._containing_classes(doc, info)
        self._drop_measured_classes(doc, info)
        _drop_regimen_therapy_words(doc, info, self._regimen_therapy_words)
        self._parenthesized_brands(doc, info)
        self._fill_slots(doc, info)
        self._merge_placebos(doc, info)
        self._drop_non_drug_uses(doc, info)
        _radiolabel_prefixes(doc, info, self.code_slots.get("radionuclides", ()))
        self._moab_names(doc, info)
        kept = set_entities(
            doc, [Span(doc, s, e, label=v[0]) for (s, e), v in info.items()] + others, self.write_ents
        )
        study = self._study_names(doc, info)
        listed = self._listed_trials(doc)
        layout = _Layout(doc)
        layout.study_classes = self._study_classes(doc, info)
        study_parts = {n for s in study for n in s.split("+")}
        blocks = None
        for span in kept:
            if span.label_ not in ("DRUG", "DRUG_CLASS"):
                continue
            label, inn, resolution, confidence = info[(span.start, span.end)]
            if label == "DRUG" and inn and inn not in self.lexicon and any(c.isdigit() for c in inn):
                listed_code = self._code_inns.get(CODE_SPACING.sub("", inn))
                if listed_code and listed_code != inn:  # a listed code spaced or hyphenated otherwise
                    inn, resolution, confidence = listed_code, "synonym", 0.8
            if label == "DRUG" and inn and inn not in self._canonical_inns:
                inn = self._canonical_name(inn)
            in_listing = any(s <= span.start_char < e for s, e in listed)
            role = "other" if in_listing else self._role(doc, span, inn, study, layout, study_parts)
            if role == "study" and blocks is None:
                blocks = _medication_blocks(doc, self._block_cues)
            if role == "study" and _in_medication_block(doc, span, blocks, self._block_cues):
                role = "other"
            if self.role_model is not None or self.collect_features:
                features = self.role_features(doc, span, inn, study, role, resolution, in_listing)
                if self.collect_features:
                    doc.user_data.setdefault(FEATURES_KEY, []).append((span.start_char, span.end_char, features))
                if self.role_model is not None:
                    role = self.role_model.predict(features)
            set_span_data(span, normalized=inn, resolution=resolution, confidence=confidence, role=role)
        return doc

    def _set_spelling_variants(self) -> None:
        """European spellings of one-word INNs, with a final ``e`` dropped or
        added (``Pyrazinamid``, ``cyclophosphamid``, ``doxorubicine``): the
        lower-case hashes to look for and the name each stands for."""
        variants = {}
        for name, inn in self.lexicon.items():
            if inn != name or len(name) < 7 or not name.isalpha():
                continue
            variant = name[:-1] if name.endswith("e") else name + "e"
            if variant not in self.lexicon and variant not in self.stoplist:
                variants[self.nlp.vocab.strings.add(variant)] = name
        self._variants = variants
        self._variant_hashes = numpy.array(sorted(variants), dtype=numpy.uint64)

    def _spelled_variants(self, doc: Doc, found: dict) -> None:
        """Mentions spelled as in ``_set_spelling_variants`` that no name
        matched."""
        if not len(doc) or not len(self._variant_hashes):
            return
        lowers = doc.to_array(LOWER)
        where = numpy.searchsorted(self._variant_hashes, lowers)
        where[where == len(self._variant_hashes)] = 0
        hits = numpy.flatnonzero(self._variant_hashes[where] == lowers).tolist()
        if not hits:
            return
        covered = {i for s, e in found for i in range(s, e)}
        for i in hits:
            if i not in covered:
                found[(i, i + 1)] = ("DRUG", self.lexicon[self._variants[doc[i].lower]], "fuzzy", 0.8)

    def role_features(self, doc: Doc, span: Span, inn, study: set[str], rule_role: str, resolution: str,
                      in_listing: bool) -> dict[str, float]:
        """Sparse features of a mention for the learned role model."""
        section = section_at(doc, span.start_char) or "none"
        sentence = span.sent if doc.has_annotation("SENT_START") else doc[max(0, span.start - 12):span.end]
        features = {
            f"rule={rule_role}": 1.0,
            f"section={section}": 1.0,
            f"label={span.label_}": 1.0,
            f"is_study={self._is_study(span, inn, study)}": 1.0,
            f"resolution={resolution}": 1.0,
            f"listing={in_listing}": 1.0,
            f"rule={rule_role}&section={section}": 1.0,
        }
        for token in doc[max(sentence.start, span.start - 6):span.start]:
            if not token.is_space and not token.is_punct:
                features[f"before={token.lower_}"] = 1.0
        for token in doc[span.end:min(sentence.end, span.end + 4)]:
            if not token.is_space and not token.is_punct:
                features[f"after={token.lower_}"] = 1.0
        return features

    def _class_phrases(self, doc: Doc) -> list[tuple[int, int]]:
        """Token ranges of class phrases (``HIV protease inhibitors``,
        ``strong inhibitors of CYP3A4``) from the class grammar."""
        spans = []
        text = doc_text(doc)
        for match in itertools.chain(self._class_search.finditer(text), self._mechanism_search.finditer(text)):
            span = doc.char_span(match.start(), match.end(), alignment_mode="contract")
            if span is not None and len(span) > 1:
                span = doc[max(_coordinated_target_start(span, self._coordinated_target_heads),
                               _label_start(span, doc_text(doc)),
                               _descriptive_lead_start(span, self.class_grammar)):span.end]
            core = _without_therapy_tail(span, self.class_grammar) if span is not None else None
            if (core is not None and len(core) > 1
                    and (core[:-1].text.lower() in self.lexicon or core[:-1].text in self.regimens)
                    and core[-1].lower_ not in self._mechanism_heads):
                continue  # a drug's therapy (AZT therapy) is the drug; LHRH agonists (therapy) are a class
            if span is not None and _slash_joins_drugs(span, self.lexicon):
                continue  # APV/EFV drug combination: two drugs, not a class
            if span is not None and len(span):
                spans.append((span.start, span.end))
        return spans

    def _wrapped_names(self, doc: Doc, found: dict) -> None:
        """Lexicon names and class names broken by a hard line wrap
        (``Motexafin\\r\\n gadolinium``, ``monoclonal\\r\\n antibody``),
        which the phrase matchers cannot see: the words on
        either side of each wrap (up to three words each; a hyphen or a
        parenthesis is a token, ``colony-stimulating factor`` five) are
        looked up joined by one space."""
        text = doc_text(doc)
        if "\n" not in text:
            return
        for wrap_start, wrap_end in self._wrap_candidates(text):
            wrap = doc.char_span(wrap_start, wrap_end, alignment_mode="expand")
            if wrap is None or len(wrap) != 1 or not wrap[0].is_space:
                continue
            i = wrap.start
            best = None
            for k in range(1, WRAP_SIDE_TOKENS + 1):
                start = i - k
                if start < 0 or doc[start].is_space:
                    break
                for m in range(1, WRAP_SIDE_TOKENS + 1):
                    end = i + 1 + m
                    if end > len(doc) or doc[end - 1].is_space:
                        break
                    surface = " ".join(f"{doc[start:i].text} {doc[i + 1:end].text}".lower().split())
                    inn = self.lexicon.get(surface)
                    if inn is None and surface in self._wrap_classes:
                        inn = ""  # a class name ("monoclonal\r\n antibody")
                    if inn is not None and (best is None or end - start > best[1] - best[0]):
                        best = (start, end, inn, surface)
            if best is not None:
                start, end, inn, surface = best
                if not inn:
                    found[(start, end)] = ("DRUG_CLASS", None, "exact", 0.9)
                    continue
                resolution = "exact" if _base(surface) == inn else "synonym"
                found[(start, end)] = ("DRUG", inn, resolution, 0.95 if resolution == "exact" else 0.9)

    def _wrap_candidates(self, text: str) -> Iterator[tuple[int, int]]:
        """Character ranges of the wraps (``WRAP``, group 1) where the runs of
        text touching the wrap end and start with two adjacent words of a
        multi-word lexicon name (a cheap test before looking at tokens)."""
        pairs = self._wrap_pairs
        if not pairs:
            return
        lower = text.lower()
        if len(lower) != len(text) or "\u03a3" in text:
            # lowercasing changes lengths or depends on context (final sigma):
            # lowercase each run apart
            for match in WRAP.finditer(text):
                start = match.start(1)
                while start > 0 and not text[start - 1].isspace():
                    start -= 1
                end = match.end(1)
                while end < len(text) and not text[end].isspace():
                    end += 1
                before, after = text[start:match.start(1)].lower(), text[match.end(1):end].lower()
                if any(before.endswith(left) for cut in range(1, len(after) + 1)
                       for left in pairs.get(after[:cut], ())):
                    yield match.start(1), match.end(1)
            return
        # the lowercase text aligns with the text: the words (without spaces)
        # are compared in place, at the line ends followed by the first
        # characters of a second word (WRAP's matches among them, in order)
        rights, lefts = self._wrap_rights, self._wrap_lefts
        for match in self._wrap_next.finditer(lower):
            start, end = match.start(), match.end()
            if start > 0 and lower[start - 1] == "\r":
                start -= 1
            while start > 0 and lower[start - 1] in " \t":
                start -= 1
            if start == 0 or lower[start - 1].isspace():
                continue
            head = lower[end:end + 2]
            candidates = rights.get(head, ())
            if len(head) == 2:
                candidates = (*rights.get(head[0], ()), *candidates)
            for right in candidates:
                if lower.startswith(right, end) and lower.endswith(lefts[right], 0, start):
                    yield start, end
                    break

    def _extend_forms(self, doc: Doc, found: dict) -> dict:
        """Salt and formulation words stay in the span (``doxorubicin HCl
        liposome``, ``liposomal doxorubicin``, ``doxazosin GITS``)."""
        extended = {}
        for (start, end), value in found.items():
            key = (start, end)
            while end < len(doc) and (doc[end].is_space or doc[end].lower_ in SALT_OR_FORM_WORDS):
                end += 1
            while end > start and doc[end - 1].is_space:
                end -= 1
            while start > 0 and (doc[start - 1].lower_ in PRE_FORM_WORDS or (
                    doc[start - 1].is_space and start > 1 and doc[start - 2].lower_ in PRE_FORM_WORDS)):
                start -= 1
            if start > 1 and doc[start - 1].lower_ == "human" and doc[start - 2].lower_ == "recombinant":
                start -= 2  # recombinant human interleukin-10
            if any(c.isdigit() for c in doc[start:end].text):
                start = _antibody_descriptor_start(doc, start)
                if doc[start].lower_ == "monoclonal":  # a lexicon name "monoclonal antibody a33"
                    start = _moab_adjective_start(doc, start, set())
            if (start, end) != key and (start, end) in found:
                continue  # a name of the whole extended span wins ("pegylated ifn alfa-2a" over "ifn alfa-2a")
            extended[(start, end)] = value
        return extended

    def _stem_candidates(self, doc: Doc):
        """Tokens that may end with an INN stem: those ending where a stem
        ends in the lowercase text (every token when lowercasing could
        misalign the text or when a character only ``re.I`` maps to ASCII
        occurs)."""
        text = doc_text(doc)
        lower = text.lower()
        if len(lower) != len(text) or _ODD_CASE.search(text):
            return iter(doc)
        ends = set()
        for stem in self._lower_stems:
            find = lower.find
            position = find(stem)
            while position != -1:
                ends.add(position + len(stem))
                position = find(stem, position + 1)
        if not ends:
            return iter(())
        starts = doc.to_array(IDX)
        token_ends = (starts + doc.to_array(LENGTH)).tolist()
        hits = sorted(i for i, end in enumerate(token_ends) if end in ends)
        return (doc[i] for i in hits)

    def _find_by_stem(self, doc: Doc, found: dict) -> None:
        covered = set()
        for start, end in found:
            covered.update(range(start, end))
        for token in self._stem_candidates(doc):
            if token.i in covered or not token.is_alpha or len(token) < 6:
                continue
            if not self._stem_regex.match(token.text):
                continue
            lower = token.text.lower()
            match = self._closest_inn(lower)
            if match:
                found[(token.i, token.i + 1)] = ("DRUG", match[0], "fuzzy", round(match[1] / 100 * 0.8, 3))
            else:
                found[(token.i, token.i + 1)] = ("DRUG", lower, "stem", 0.6)

    def _intervention_slots(self, doc: Doc, info: dict, others: list[Span]) -> None:
        """A registry intervention entry (``DRUG: R744``) that no rule tagged
        names a drug (or a class, ``BIOLOGICAL: dendritic cell vaccine
        therapy``); its other mentions in the document are tagged too."""
        taken = {i for s, e in info for i in range(s, e)} | {i for o in others for i in range(o.start, o.end)}
        names: dict[str, tuple[str, str | None]] = {}
        text = doc_text(doc)
        for match in ARM_TITLE.finditer(text):
            self._arm_title_names(doc, match, taken, names)
        for match in INTERVENTION_ENTRY.finditer(text):
            start, end = match.span(2)
            text = match.group(2)
            trimmed = ENTRY_TRIM.sub("", text).rstrip(" .,;:")
            lead = len(text) - len(text.lstrip())
            lead += len(ENTRY_LEAD.match(text[lead:]).group(0))
            trimmed = trimmed[lead:] if len(trimmed) > lead else ""
            span = doc.char_span(start + lead, start + lead + len(trimmed), alignment_mode="contract")
            if span is None or len(span) == 0 or len(span) > 6 or any(t.i in taken for t in span):
                continue
            lower = " ".join(span.text.lower().split())
            if (COMBINATION.search(lower) or lower in self.stoplist or not any(c.isalpha() for c in lower)
                    or len(lower) < 3):
                continue
            words = lower.split()
            while len(words) > 1 and words[-1] in self._entry_not_tails:
                words.pop()
            if words[-1] in self._entry_not_heads and lower not in self.lexicon:
                continue  # an unnamed cell product or a laboratory test (GUIDE: not tagged)
            if lower.endswith(CLASS_HEADS):
                names[lower] = ("DRUG_CLASS", None)
            else:
                names[lower] = ("DRUG", _base(lower) or lower)
        # a mention may be spaced otherwise than the entry ("Dynorphin 1 - 13" of "Dynorphin 1-13")
        squeezed = {name.replace(" ", ""): value for name, value in names.items()}
        for start, end, surface in self._mentions_of(doc, names, "LOWER", taken):
            label, inn = names.get(surface) or squeezed[surface.replace(" ", "")]
            info[(start, end)] = (label, inn, "context", 0.5)

    def _arm_title_names(self, doc: Doc, match: re.Match, taken: set[int], names: dict) -> None:
        """A one-word (or coded) part of a report's arm title (``Arm/Group
        Title: Vinflunine/Trastuzumab``, ``INTERVENTION 1: ECGC and Breast
        Cancer``) names a drug."""
        offset = match.start(1)
        for part in ARM_PARTS.finditer(match.group(1)):
            piece = ENTRY_TRIM.sub("", part.group()).strip(" .,;:")
            if not piece:
                continue
            start = offset + part.start() + part.group().index(piece)
            span = doc.char_span(start, start + len(piece), alignment_mode="contract")
            if span is None or any(t.i in taken for t in span):
                continue
            lower = " ".join(span.text.lower().split())
            coded = bool(self._code_rules["code"].fullmatch(span.text))
            if not (coded or (len(span) == 1 and span[0].is_alpha and len(span[0]) >= 4
                              and (span[0].is_title or span[0].is_upper))):
                continue
            if lower in self.stoplist or lower in NOT_DRUG_WORDS or span[0].is_stop or lower in self._class_names:
                continue
            if not coded and lower not in self.lexicon and not self._slot_candidate(span[0], set()):
                continue  # an English word (Exercise, Device, Escalation), not a drug
            names.setdefault(lower, ("DRUG", self.lexicon.get(lower, lower)))

    def _code_slots(self, doc: Doc, info: dict, others: list[Span]) -> None:
        """Unknown development codes given like drugs (``BAY60-4552 +
        Vardenafil``, ``F-627, 20 mg``, ``receive 17-AAG IV``), and their
        other mentions in the document."""
        if not self.code_slots:
            return
        taken = {i for s, e in info for i in range(s, e)} | {i for o in others for i in range(o.start, o.end)}
        drug_tokens = {i for (s, e), v in info.items() if v[0] == "DRUG" for i in range(s, e)}
        rules = self._code_rules
        names: set[str] = set()
        text = doc_text(doc)
        codes = self._code_spans(doc, text)
        synonyms = self._parenthesized_synonyms(doc, info, codes)
        for span in codes:
            if any(t.i in taken for t in span):
                continue
            words = [t for t in doc[max(0, span.start - 2):span.start] if not t.is_space]
            after = [t for t in doc[span.end:span.end + 3] if not t.is_space]
            given = (
                bool(rules["dose"].match(text[span.end_char:span.end_char + 30]))
                or (after and after[0].lower_ in rules["routes"])
                or (words and words[-1].lower_ in rules["givers"])
                or (len(words) == 2 and words[-1].lower_ in rules["list_words"] and words[0].i in drug_tokens)
                or (len(after) >= 2 and after[0].lower_ in rules["list_words"] and after[1].i in drug_tokens)
            )
            if given or span.start in synonyms:
                names.add(" ".join(span.text.split()))
        defined = {" ".join(doc[i:e].text.lower().split()): inn for i, (e, inn) in synonyms.items()}
        for (start, end), (label, inn, resolution, confidence) in list(info.items()):
            surface = " ".join(doc[start:end].text.lower().split())
            if resolution == "context" and surface in defined:  # "XYZ-4521 (zanubrutinib)"
                info[(start, end)] = (label, defined[surface], "synonym", 0.8)
        for start, end, surface in self._mentions_of(doc, names, "ORTH", taken):
            if surface in self.lexicon:
                info[(start, end)] = ("DRUG", self.lexicon[surface], "context", 0.5)
            elif surface in defined:
                info[(start, end)] = ("DRUG", defined[surface], "synonym", 0.8)
            else:
                info[(start, end)] = ("DRUG", surface, "context", 0.5)

    def _mentions_of(self, doc: Doc, names, attr: str, taken: set[int]) -> Iterator[tuple[int, int, str]]:
        """Every untaken mention of ``names`` in ``doc`` (matched on ``attr``),
        longest first where they overlap: (start, end, lowercase surface with
        single spaces).  The tokens of each mention yielded become taken."""
        if not names:
            return
        matcher = PhraseMatcher(self.nlp.vocab, attr=attr)
        matcher.add("NAME", list(self.nlp.tokenizer.pipe(sorted(names))))
        for _, start, end in filter_spans_tuples(matcher(doc)):
            if any(i in taken for i in range(start, end)):
                continue
            yield start, end, " ".join(doc[start:end].text.lower().split())
            taken.update(range(start, end))

    def _code_spans(self, doc: Doc, text: str) -> list[Span]:
        """The development-code-shaped words of ``text`` (``BAY60-4552``),
        less those whose letters name something else (``NCT``, ``CYP``) and
        stoplisted ones."""
        rules = self._code_rules
        spans = []
        for match in rules["code"].finditer(text):
            prefix = re.match(r"[A-Za-z]*", match.group()).group()
            if prefix in rules["not_codes"] or match.group().lower() in self.stoplist:
                continue
            span = doc.char_span(match.start(), match.end(), alignment_mode="contract")
            if span is not None and len(span):
                spans.append(span)
        return spans

    @staticmethod
    def _parenthesized_synonyms(doc: Doc, info: dict, codes: list[Span]) -> dict[int, tuple[int, str]]:
        """Codes the text defines as another name of a known drug, either way
        round: ``zanubrutinib (BGB-3111)``, ``XYZ-4521 (zanubrutinib)``.

        Returns {first token of the code: (end token, the drug's INN)}.
        """
        known = {}
        for (start, end), (label, inn, resolution, _) in info.items():
            if label == "DRUG" and inn and "+" not in inn and resolution != "context":
                known[start] = known[end - 1] = inn
        if not known:
            return {}
        found: dict[int, tuple[int, str]] = {}
        for span in codes:
            before = [t for t in doc[max(0, span.start - 2):span.start] if not t.is_space]
            after = [t for t in doc[span.end:span.end + 2] if not t.is_space]
            inn = None
            if len(before) == 2 and before[1].text == "(" and after[:1] and after[0].text in (")", ","):
                inn = known.get(before[0].i)
            elif len(after) == 2 and after[0].text == "(":
                inn = known.get(after[1].i)
            if inn and inn != span.text.lower():
                found[span.start] = (span.end, inn)
        return found

    def _define_acronyms(self, doc: Doc, drugs: list[Span], info: dict) -> None:
        """``A plus B plus C (ABC)``: the acronym names the drugs before it."""
        by_end = {s.end: s for s in drugs}
        definitions: dict[str, str] = {}
        spelled: dict[str, dict[str, str]] = {}  # acronym: {letter: the drug it stands for}
        for token in _tokens_with_orth(doc, "("):
            if token.i + 2 >= len(doc) or doc[token.i + 2].text not in (")", ";"):
                continue
            acronym = doc[token.i + 1]
            if not (acronym.is_upper and acronym.is_alpha and 2 <= len(acronym) <= 8):
                continue
            if acronym.lower_ in self._code_rules["routes"]:  # "Cidofovir IV (Intravenous)"
                continue
            components: list[Span] = []
            cursor = _skip_space_back(doc, token.i)  # a line wrap before the parenthesis
            while cursor in by_end:
                span = by_end[cursor]
                components.insert(0, span)
                cursor = span.start
                back = _skip_space_back(doc, cursor)  # a line wrap inside the list, before a connector only
                # step back over one connector: "plus", "+", "and", ","
                if back > 0 and doc[back - 1].lower_ in SLOT_SEPARATORS:
                    cursor = back - 1
                    comma = _skip_space_back(doc, cursor)  # a line wrap may fall after the comma
                    if comma > 0 and doc[cursor].lower_ != "," and doc[comma - 1].text == ",":
                        cursor = comma - 1  # a serial comma: "mitoxantrone, etoposide, and cytarabine (MEC)"
                    cursor = _skip_space_back(doc, cursor)
                elif (cursor > 1 and doc[cursor - 1].text in HYPHENS and not doc[cursor - 2].whitespace_
                      and not doc[cursor - 1].whitespace_ and cursor - 1 in by_end):
                    cursor -= 1  # two names joined by a hyphen: "sulfadoxine-pyrimethamine (SP)"
            names = [info[(s.start, s.end)][1] for s in components if info[(s.start, s.end)][0] == "DRUG"]
            letters = _acronym_letters(acronym.text.lower(), names, self._name_initials) if len(names) >= 2 else None
            if letters:
                definitions[acronym.text] = "+".join(sorted(names))
                spelled[acronym.text] = letters
            elif (len(components) == len(names) == 2 and names[-1]
                  and _stands_for(acronym.text.lower()[0], names[-1], self._name_initials)
                  and not any(_measured_level(doc, span.start) for span in components)):
                # two drugs the letters do not spell, the last one alone: "methotrexate and
                # mycophenolate mofetil (MPM)", "acetylcholine and bradykinin (BK)"
                definitions.setdefault(acronym.text, names[-1])
            elif len(names) == 1 and not definitions.get(acronym.text) and not _measured_level(doc, components[-1].start):
                definitions[acronym.text] = names[0]  # "filgrastim (G-CSF)", not "fasting plasma insulin (FPI)"
        self._letter_short_forms(doc, by_end, info)
        if not definitions:
            return
        covered = {i for s, e in info for i in range(s, e)}
        for token in _tokens_with_orth(doc, *definitions):
            if (token.i, token.i + 1) not in info:
                if token.i not in covered:
                    info[(token.i, token.i + 1)] = ("DRUG", definitions[token.text], "acronym", 0.85)
            elif info[(token.i, token.i + 1)][1] == token.lower_ and definitions[token.text]:
                # a short form the lexicon knows only as itself ("rmp") names the drug defined here
                info[(token.i, token.i + 1)] = ("DRUG", definitions[token.text], "acronym", 0.85)
            elif token.text in spelled and info[(token.i, token.i + 1)][2] == "acronym":
                # the text spells its own regimen: "epirubicin and cyclophosphamide (EC)" is not
                # the regimen list's EC (carboplatin+etoposide)
                info[(token.i, token.i + 1)] = ("DRUG", definitions[token.text], "acronym", 0.85)
        # a sub-acronym (AB) of a defined one (ABCE) with its drugs in the text:
        # uppercase alphabetic tokens of 2 to 6 characters (from the doc's arrays)
        flags = doc.to_array([IS_UPPER, IS_ALPHA, LENGTH])
        shaped = (flags[:, 0] == 1) & (flags[:, 1] == 1) & (flags[:, 2] >= 2) & (flags[:, 2] <= 6)
        for i in numpy.flatnonzero(shaped).tolist():
            token = doc[i]
            text = token.text
            if (token.i, token.i + 1) in info or not _may_be_sub_acronym(text, self.stoplist):
                continue
            for acronym, names in definitions.items():
                if (len(text) < len(acronym) and _in_order(text, acronym) and len(set(text)) == len(text)
                        and all(acronym.count(c) == 1 for c in text)):  # COPP's P: procarbazine or prednisone
                    letters = spelled.get(acronym, {})
                    chosen = sorted({letters[c] for c in text.lower() if c in letters})
                    if len(chosen) == len(text) and not any(s <= token.i < e for s, e in info):
                        info[(token.i, token.i + 1)] = ("DRUG", "+".join(chosen), "acronym", 0.7)
                        break

    def _spelled_out_short_forms(self, doc: Doc, info: dict) -> None:
        """A short form the lexicon names only as itself, spelled out in
        parentheses next to one of its mentions (``SLPI (Secretory Leukocyte
        Protease Inhibitor)``, ``secretory leukocyte protease inhibitor
        (SLPI)``: the words' initials are its letters), names in all its
        mentions the long form (the lexicon's name of it, else the long form
        in lowercase), as the guide names a short form by what it stands for.
        The spelled-out words are one DRUG of that name too (train gold), not a
        class found inside them (``Leukocyte Protease Inhibitor``)."""
        alone = {}
        for (start, end), (label, inn, *_rest) in info.items():
            token = doc[start]
            if (label == "DRUG" and end - start == 1 and inn == token.lower_ and token.is_upper
                    and token.is_alpha and 2 <= len(token) <= 8):
                alone.setdefault(token.text, []).append(start)
        if not alone:
            return
        for text, starts in alone.items():
            letters = text.lower()
            long_form = words_span = None
            for i in starts:
                after = [t for t in doc[i + 1:i + len(letters) + 4] if not t.is_space]
                before = [t for t in doc[max(0, i - len(letters) * 2 - 2):i] if not t.is_space]
                if after[:1] and after[0].text == "(" and len(after) >= len(letters) + 2 \
                        and after[len(letters) + 1].text == ")":
                    words = after[1:len(letters) + 1]
                elif (before[-1:] and before[-1].text == "(" and i + 1 < len(doc) and doc[i + 1].text == ")"
                      and len(before) >= len(letters) + 1):
                    words = before[-len(letters) - 1:-1]
                else:
                    continue
                if all(w.is_alpha for w in words) and "".join(w.lower_[0] for w in words) == letters:
                    long_form = " ".join(w.lower_ for w in words)
                    words_span = (words[0].i, words[-1].i + 1)
                    break
            if long_form is None:
                continue
            name = self.lexicon.get(long_form, long_form)
            for i in starts:
                label, _, _, confidence = info[(i, i + 1)]
                info[(i, i + 1)] = (label, name, "acronym", confidence)
            first, last = words_span
            inside = [k for k in info if first <= k[0] and k[1] <= last]
            if not any(k[0] < last and k[1] > first for k in info if k not in inside):
                for key in inside:
                    del info[key]
                info[words_span] = ("DRUG", name, "exact" if long_form in self.lexicon else "context", 0.8)

    @staticmethod
    def _stated_variants(doc: Doc, info: dict) -> None:
        """A short form defined after a named variant of its drug
        (``interferon alfa-2b (IFN-A)``, where the lexicon knows ``IFN-A`` only
        as interferon alfa) names that variant in all its mentions in the
        document (the guide, version 1.1)."""
        by_end = {end: (start, value) for (start, end), value in info.items() if value[0] == "DRUG"}
        stated: dict[str, tuple[str, str]] = {}
        for token in _tokens_with_orth(doc, "("):
            before = by_end.get(token.i)
            short = info.get((token.i + 1, token.i + 2))
            if (before is None or short is None or short[0] != "DRUG" or token.i + 2 >= len(doc)
                    or doc[token.i + 2].text != ")"):
                continue
            variant, base = before[1][1], short[1]
            if not variant or not base or "+" in variant:
                continue
            base = base[len("recombinant "):] if base.startswith("recombinant ") else base
            if variant != base and variant.startswith(base) and variant[len(base)] in "- ":
                stated[doc[token.i + 1].text] = (short[1], variant)
        if not stated:
            return
        for (start, end), value in list(info.items()):
            if end - start == 1 and value[0] == "DRUG" and doc[start].text in stated:
                base, variant = stated[doc[start].text]
                if value[1] == base:
                    info[(start, end)] = ("DRUG", variant, "acronym", value[3])

    @staticmethod
    def _code_spellings(doc: Doc, info: dict, others: list[Span]) -> None:
        """A coded drug the document names (``DRUG: WR 279396``, ``Vardenafil,
        BAY38-9456``) is the same drug where another mention spaces or
        hyphenates its code differently (``WR279396``, ``BAY 38-9456``)."""
        keys: dict[str, str | None] = {}
        forms: set[str] = set()
        for (start, end), value in info.items():
            text = doc[start:end].text
            if value[0] != "DRUG" or end - start > 3 or not any(c.isdigit() for c in text):
                continue
            surface = " ".join(text.lower().split())
            key = CODE_SPACING.sub("", surface)
            cut = re.match(r"[a-z]*", key).end()
            if len(key) < 4 or not 0 < cut < len(key):  # mf59 is MF-59
                continue
            keys.setdefault(key, value[1])
            letters = re.match(r"[a-z]*", surface).group()
            for digits in {surface[len(letters):].lstrip(" -"), key[cut:]}:
                forms.update(letters + gap + digits for gap in ("", " ", "-"))
        if not keys:
            return
        covered = {i for s, e in info for i in range(s, e)} | {i for o in others for i in range(o.start, o.end)}
        pattern = "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True))
        for match in re.finditer(rf"(?<![\w-])(?:{pattern})(?![\w-])", doc_text(doc), re.I):
            span = doc.char_span(match.start(), match.end())
            if span is None or any(t.i in covered for t in span):
                continue
            info[(span.start, span.end)] = ("DRUG", keys[CODE_SPACING.sub("", match.group().lower())], "synonym", 0.7)
            covered.update(range(span.start, span.end))

    def _strain_suffixes(self, doc: Doc, info: dict, others: list[Span]) -> None:
        """An envelope protein named with its virus strain after a slash
        (``rgp120/HIV-1IIIB``, ``rgp120/HIV-1 SF-2``) is one drug named by the
        whole: the strain tells the products apart (``strain_suffix`` in
        drug_code_slots.json)."""
        rules = self.code_slots.get("strain_suffix")
        if not rules or not _tokens_with_orth(doc, "/"):
            return
        names, virus, strain = (re.compile(rules[k]) for k in ("names", "virus", "strain"))
        not_strains, trailing = frozenset(rules.get("not_strains", ())), frozenset(rules.get("trailing", ()))
        candidates = [(key, value) for key, value in info.items()
                      if value[0] == "DRUG" and key[1] + 1 < len(doc) and doc[key[1]].text == "/"
                      and not doc[key[1] - 1].whitespace_ and virus.match(doc[key[1] + 1].text)
                      and names.match(doc[key[0]:key[1]].text.lower())]
        if not candidates:
            return
        blocked = {i for o in others for i in range(o.start, o.end)}
        owner = {i: key for key in info for i in range(*key)}  # the entity holding each token
        for (start, end), value in candidates:
            stop = end + 2
            if (stop < len(doc) and doc[end + 1].text[-1].isdigit() and doc[end + 1].whitespace_ == " "
                    and strain.match(doc[stop].text) and doc[stop].text not in not_strains):
                stop += 1
            if stop < len(doc) and doc[stop - 1].whitespace_ and doc[stop].lower_ in trailing:
                stop += 1
            # the entities over the strain (looked up by token: scanning info per name was quadratic)
            inside = list(dict.fromkeys(owner[i] for i in range(end, stop) if i in owner and owner[i] != (start, end)))
            if any(key[0] < start or key[1] > stop for key in inside) or any(i in blocked for i in range(end, stop)):
                continue
            for key in inside:
                del info[key]
            name = "".join(doc[start:end].text.lower().split()) + " ".join(doc[end:stop].text.lower().split())
            del info[(start, end)]
            owner.update(dict.fromkeys(range(start, stop), (start, stop)))
            info[(start, stop)] = ("DRUG", name, "synonym", value[3])

    def _strain_prefixes(self, doc: Doc, info: dict, others: list[Span]) -> None:
        """The same envelope protein with its virus strain written before it
        (``HIV-1 SF-2 rgp120``, ``HIV-1MN rgp120``) is one drug, named as the
        slash form (``rgp120/hiv-1 sf-2``; ``strain_suffix`` in
        drug_code_slots.json)."""
        rules = self.code_slots.get("strain_suffix")
        if not rules:
            return
        names, virus, strain = (re.compile(rules[k]) for k in ("names", "virus", "strain"))
        candidates = [(key, value) for key, value in info.items()
                      if value[0] == "DRUG" and names.match(" ".join(doc[key[0]:key[1]].text.lower().split()))]
        if not candidates:  # most documents: no envelope protein, nothing more to build
            return
        not_strains = frozenset(rules.get("not_strains", ()))
        blocked = {i for o in others for i in range(o.start, o.end)}
        # the entity holding each token (a lookup per strain: linear in the
        # number of names, where scanning ``info`` for each was quadratic)
        owner = {i: key for key in info for i in range(*key)}
        for (start, end), value in candidates:
            cursor = _skip_space_back(doc, start)
            if cursor < 1 or not (doc[cursor - 1].whitespace_ or cursor < start):
                continue
            before = doc[cursor - 1].text
            if virus.match(before) and before[-1].isalpha():  # the strain glued to the virus: HIV-1MN
                first, label = cursor - 1, before.lower()
            else:
                lead = _skip_space_back(doc, cursor - 1) - 1
                if (lead < 0 or not strain.match(before) or before in not_strains or not virus.match(doc[lead].text)
                        or not doc[lead].text[-1].isdigit() or not (doc[lead].whitespace_ or lead + 1 < cursor - 1)):
                    continue
                first, label = lead, f"{doc[lead].text.lower()} {before.lower()}"
            if any(i in blocked or owner.get(i, (start, end)) != (start, end) for i in range(first, start)):
                continue
            del info[(start, end)]
            owner.update(dict.fromkeys(range(first, end), (first, end)))
            info[(first, end)] = ("DRUG", "".join(doc[start:end].text.lower().split()) + "/" + label, "synonym", value[3])

    def _drop_measured_classes(self, doc: Doc, info: dict) -> None:
        """A listed class name before a word of what is measured or found
        (``immunoglobulin levels``) is not a therapy: the grammar's
        ``excluded_heads_after`` rule, for listed names."""
        after = frozenset(self.class_grammar.get("excluded_heads_after", ()))
        for (start, end), value in list(info.items()):
            if value[0] == "DRUG_CLASS" and value[2] == "exact" and end < len(doc) and doc[end].lower_ in after:
                del info[(start, end)]

    def _containing_classes(self, doc: Doc, info: dict) -> None:
        """``cyclophosphamide-containing chemotherapy``, ``platinum-containing
        regimens``: a drug or class, a hyphen, ``containing`` and a therapy
        word make one class mention (the drug inside is not tagged alone)."""
        heads = frozenset(self.class_grammar.get("containing_heads", ()))
        if not heads:
            return
        space_heads = frozenset(self.class_grammar.get("containing_space_heads", ()))
        starts = {s: e for s, e in info}
        for token in _tokens_with_orth(doc, *self.class_grammar.get("containing_words", ("containing",))):
            i = token.i
            if i < 2 or i + 1 >= len(doc):
                continue
            hyphen = doc[i - 1].text == "-"
            if doc[i + 1].lower_ not in heads:
                # fluorouracil-based adjuvant chemotherapy: a class phrase ending in a head follows
                if not hyphen or i + 1 not in starts or doc[starts[i + 1] - 1].lower_ not in heads:
                    continue
            elif not hyphen and doc[i + 1].lower_ not in space_heads:
                continue  # irinotecan based chemotherapy, not Nevirapine based therapy
            before = [(s, e) for s, e in info if e == (i - 1 if hyphen else i)]
            if not before:
                continue
            start = before[0][0]
            end = starts.get(i + 1, i + 2)
            if any(s < end and start < e and not (start <= s and e <= end) for s, e in info):
                continue  # a mention crossing the phrase's edges
            for key in [k for k in info if start <= k[0] and k[1] <= end]:
                del info[key]
            info[(start, end)] = ("DRUG_CLASS", None, "pattern", 0.7)

    @staticmethod
    def _class_acronyms(doc: Doc, info: dict) -> None:
        """``Anti Retroviral Therapy (ART)``: a short form given in parentheses
        right after a class phrase names that class in the rest of the
        document."""
        ends = {e: s for (s, e), v in info.items() if v[0] == "DRUG_CLASS"}
        if not ends:
            return
        covered = {i for s, e in info for i in range(s, e)}
        defined = set()
        for token in _tokens_with_orth(doc, "("):
            i = token.i
            if i not in ends or i + 2 >= len(doc) or doc[i + 2].text not in (")", ";") or i + 1 in covered:
                continue
            word = doc[i + 1].text
            initials = "".join(w[0] for w in re.split(r"[\s-]+", doc[ends[i]:i].text.lower()) if w)
            capitals = "".join(c for c in word if c.isupper()).lower()
            if word.isalpha() and 2 <= len(word) <= 8 and len(capitals) >= 2 and capitals == initials:
                defined.add(word)  # the short form spells the whole phrase (not HAIC for chemotherapy)
        if not defined:
            return
        for token in _tokens_with_orth(doc, *defined):
            if token.i not in covered:
                info[(token.i, token.i + 1)] = ("DRUG_CLASS", None, "acronym", 0.7)

    @staticmethod
    def _letter_short_forms(doc: Doc, by_end: dict, info: dict) -> None:
        """``Ethambutol (E) Isoniazid (H)``: one-letter short forms given in
        parentheses after drug names are drugs where they are defined, when
        the document defines at least two of them (a list of short forms, not
        an item letter like ``arm (A)``).  Other one-letter mentions are left
        alone: a lone capital is too ambiguous."""
        found = []
        for token in _tokens_with_orth(doc, "("):
            i = token.i
            if i not in by_end or i + 2 >= len(doc) or doc[i + 2].text not in (")", "]"):
                continue
            letter = doc[i + 1]
            span = by_end[i]
            value = info.get((span.start, span.end))
            if (len(letter) == 1 and letter.is_upper and value and value[0] == "DRUG" and value[1]
                    and (i + 1, i + 2) not in info):
                found.append((i + 1, value[1]))
        if len({doc[i].text for i, _ in found}) >= 2:
            for i, inn in found:
                info[(i, i + 1)] = ("DRUG", inn, "acronym", 0.7)

    def _parenthesized_brands(self, doc: Doc, info: dict) -> None:
        """``diazepam (Valium)``: a title-case word the text gives in
        parentheses right after a drug's name is another name of that drug (a
        brand); so are its other mentions in the document.  Company and
        design words are in the stoplist."""
        ends = {e: v[1] for (s, e), v in info.items()
                if v[0] == "DRUG" and v[1] and "+" not in v[1] and v[2] not in ("context", "acronym")}
        if not ends:
            return
        covered = {i for s, e in info for i in range(s, e)}
        names: dict[str, str] = {}
        for token in _tokens_with_orth(doc, "("):
            i = token.i
            if i not in ends or i + 2 >= len(doc) or doc[i + 2].text != ")" or i + 1 in covered:
                continue
            word = doc[i + 1]
            lower = word.lower_
            if not (word.is_alpha and word.is_title and len(word) >= 4) or word.is_stop or lower in self.stoplist \
                    or lower in NOT_DRUG_WORDS or lower in self._class_names:
                continue
            names.setdefault(lower, ends[i])
        for start, end, surface in self._mentions_of(doc, names, "LOWER", covered):
            info[(start, end)] = ("DRUG", names[surface], "synonym", 0.7)

    def _moab_names(self, doc: Doc, info: dict) -> None:
        """PDQ short forms ``MOAB X`` of ``monoclonal antibody X`` (``MOAB
        VEGF``, ``MOAB Lym-1``), with a short radiolabel before them (``Y90
        MOAB Lym-1``, ``In111 MOAB m170``): one DRUG named as the long form
        (the lexicon's name of ``monoclonal antibody x``, else that name; the
        label's element, symbol and mass number before it)."""
        symbols = self.code_slots.get("radionuclide_symbols", {})
        covered = None
        for token in _tokens_with_orth(doc, "MOAB", "antibody"):
            i = token.i
            wrapped = i + 2 < len(doc) and doc[i + 1].is_space  # "MOAB\n   HuM195"
            if i + 1 >= len(doc) or not (token.whitespace_ or wrapped):
                continue
            first = i - 2 if i > 1 and doc[i - 1].is_space else i - 1  # "monoclonal\r\n antibody"
            if token.text == "antibody":  # "monoclonal antibody VEGF", tagged a class
                if not (i > 0 and doc[first].lower_ == "monoclonal" and info.get((first, i + 1), ("",))[0] == "DRUG_CLASS"):
                    continue
            name = doc[i + 2] if wrapped else doc[i + 1]
            if not (any(c.isdigit() for c in name.text) or any(c.isupper() for c in name.text[1:])
                    or name.text[:1].isupper() and not name.is_title) or name.lower_ in self._code_rules["routes"]:
                continue  # "MOAB IV", "MOAB until"
            if covered is None:
                covered = {k for s, e in info for k in range(s, e)}
            known = None  # the name a drug tagged alone after MOAB already had ("MOAB C225": cetuximab)
            if (token.text == "MOAB" and i not in covered
                    and info.get((name.i, name.i + 1), ("",))[0] == "DRUG"):  # "MOAB A33", A33 tagged alone
                known = info.pop((name.i, name.i + 1))[1]
                known = None if known == name.lower_ else known  # a code named as itself says nothing
                covered.discard(name.i)
            if name.i in covered or token.text == "MOAB" and i in covered:
                continue
            if token.text == "antibody":
                del info[(first, i + 1)]
                i = first
            long_form = f"monoclonal antibody {name.lower_}"
            inn = self.lexicon.get(long_form) or self.lexicon.get(f"moab {name.lower_}") or known or long_form
            start, end = i, name.i + 1
            label = _RADIOLABEL_SHORT.fullmatch(doc[i - 1].text) if i > 0 and doc[i - 1].whitespace_ else None
            unknown = info.get((i - 1, i), ("", ""))[1] == doc[i - 1].lower_  # "I131" taken for a code
            if label and label.group(1) in symbols and (i - 1 not in covered or unknown):
                info.pop((i - 1, i), None)
                start = i - 1
                inn = f"{symbols[label.group(1)]} {label.group(1).lower()} {label.group(2)} {inn}"
            start = _moab_adjective_start(doc, start, covered)
            info[(start, end)] = ("DRUG", inn, "synonym", 0.7)
            covered.update(range(start, end))

    def _fill_slots(self, doc: Doc, info: dict) -> None:
        """Unknown words listed with drugs (``X + Y + Z``) are drugs too; a
        word across a slash from a misspelled drug name is another spelling of
        it (``Amlotinib/ernesto``), from another drug it is not (``IRB/EC``,
        ``Doppler/trimix``); a word in a ``+`` list is
        named after the drug the document combines with the list's other
        drugs (``Anlotinib combined with Durvalumab`` ... ``Durvalumab +
        chemotherapy + ernesto``).  In a sentence holding such a word, the
        drug whose ``efficacy and safety of X`` is studied is that drug too."""
        misspelled = [v[1] for v in info.values() if v[2] in ("fuzzy", "stem")]
        starts = {s: (s, e) for s, e in info}
        ends = {e: (s, e) for s, e in info}
        partners = self._partners(doc, info)
        covered = {i for s, e in info for i in range(s, e)}
        # only a word next to a "/" or "+" can fill a slot
        slots = {t.i + step for t in _tokens_with_orth(doc, "/", "+") for step in (-1, 1)}
        for i in sorted(slots):
            if not 0 <= i < len(doc):
                continue
            token = doc[i]
            if not self._slot_candidate(token, covered):
                continue
            left = doc[i - 1].text if i > 0 else ""
            right = doc[i + 1].text if i + 1 < len(doc) else ""
            paired = None
            if left == "/" and (i - 1) in ends:
                paired = info[ends[i - 1]]
            elif right == "/" and (i + 2) in starts:
                paired = info[starts[i + 2]]
            if paired and paired[0] == "DRUG":
                # "X/Y" beside a drug is mostly not its synonym (IRB/EC, Doppler/trimix,
                # cremophor/paclitaxel, ARA-C/DHAD); beside a misspelled name it is
                # another spelling of it (Amlotinib/ernesto)
                if paired[2] in ("fuzzy", "stem"):
                    info[(i, i + 1)] = ("DRUG", paired[1], "context", 0.6)
                    covered.add(i)
                continue
            in_plus_list = (left == "+" and (i - 1) in ends) or (right == "+" and (i + 2) in starts)
            if in_plus_list and (token.is_title or token.is_lower) and not token.is_upper or (
                in_plus_list and token.is_upper and len(token) <= 4
            ):
                companions = {info[k][1] for k in self._plus_chain(doc, i, starts, ends) if info[k][0] == "DRUG"}
                votes: dict[str, int] = {}
                for companion in companions:
                    for partner in partners.get(companion, []):
                        if partner not in companions:
                            votes[partner] = votes.get(partner, 0) + 1
                if votes:
                    name = max(sorted(votes), key=votes.get)
                else:
                    name = misspelled[0] if misspelled else "unknown"
                info[(i, i + 1)] = ("DRUG", name, "context", 0.5)
                covered.add(i)
        self._fuzzy_in_lists(doc, info)
        starts = None
        for (start, end), value in list(info.items()):
            if value[2] != "context" or value[0] != "DRUG":
                continue
            if starts is None:
                starts = sentence_starts(doc) or []
            if not starts:
                continue
            sentence = doc[slice(*sentence_bounds(starts, len(doc), start, start + 1))]
            for token in sentence:
                i = token.i
                if (token.is_title or token.is_upper) and i >= 2 and doc[i - 1].lower_ == "of" \
                        and doc[i - 2].lower_ in OBJECT_OF_STUDY and self._slot_candidate(token, covered):
                    info[(i, i + 1)] = ("DRUG", value[1], "context", 0.4)
                    covered.add(i)

    @staticmethod
    def _merge_placebos(doc: Doc, info: dict) -> None:
        """A placebo named after the drug it imitates is one mention of
        ``placebo`` (``Tadalafil placebo``, ``Enalapril matching placebo``;
        GUIDE_ISSUES 10)."""
        placebos = {s: (s, e) for (s, e), v in info.items() if v[0] == "DRUG" and v[1] == "placebo"}
        if not placebos:
            return
        for (start, end), value in sorted(info.items()):
            if value[0] != "DRUG" or value[1] == "placebo":
                continue
            cursor = end
            if cursor < len(doc) and doc[cursor].lower_ == "matching" and doc[cursor - 1].whitespace_:
                cursor += 1
            # on the same line, one space apart ("Vardenafil\nPlacebo" are two)
            if cursor in placebos and (start, end) in info and doc[cursor - 1].whitespace_:
                placebo = placebos.pop(cursor)
                del info[(start, end)]
                del info[placebo]
                info[(start, placebo[1])] = ("DRUG", "placebo", "synonym", 0.9)

    def _drop_non_drug_uses(self, doc: Doc, info: dict) -> None:
        """A drug name that names something else is not a DRUG: ``non-insulin-
        dependent diabetes``, ``Testosterone level``, ``interferon gamma
        expression``, ``anti-Epoetin beta antibody``.  A drug name before
        ``analogue`` names a family (``liposomal-cisplatin analogue``): the
        phrase is a DRUG_CLASS (GUIDE_ISSUES 12)."""
        class_not_after = frozenset(self.class_grammar.get("not_after", ()))
        after_words = frozenset(self.code_slots.get("measured_after", ()))
        before_words = LEVEL_BEFORE | frozenset(self.code_slots.get("measured_before", ()))
        drugs = sorted(k for k, v in info.items() if v[0] == "DRUG" and v[2] not in ("context", "acronym"))
        measured_after: set[int] = set()  # starts of names dropped for the word after them
        measured_before: set[int] = set()  # ... for the words before them
        for (start, end), value in list(info.items()):
            if value[0] == "DRUG_CLASS" and end < len(doc) and _next_word(doc, end) in class_not_after:
                del info[(start, end)]  # "surface immunoglobulin expression": a biomarker
                continue
            if value[0] == "DRUG_CLASS" and self._class_event(doc, start, end, info):
                del info[(start, end)]  # "the second vaccination": one administration
                continue
            if value[0] != "DRUG" or value[2] in ("context", "acronym"):
                continue
            cursor = end
            if cursor < len(doc) and doc[cursor].text in ("-", "\u2010", "\u2011"):
                cursor += 1
            following = doc[cursor].lower_ if cursor < len(doc) else ""
            anti = start >= 2 and doc[start - 1].text == "-" and doc[start - 2].lower_ == "anti"
            if doc[end - 1].lower_ in ANALOGUE_WORDS:  # a listed name: "rebeccamycin analogue"
                info[(start, end)] = ("DRUG_CLASS", None, "exact", 0.7)
            elif following in ANALOGUE_WORDS:
                first = start
                while first >= 2 and doc[first - 1].text == "-" and doc[first - 2].lower_ in PRE_FORM_WORDS:
                    first -= 2
                del info[(start, end)]
                if not any(s < cursor + 1 and first < e for s, e in info):
                    info[(first, cursor + 1)] = ("DRUG_CLASS", None, "pattern", 0.6)
            elif following in DRUG_NOT_AFTER and (following not in ("antibody", "antibodies") or anti):
                del info[(start, end)]
                measured_after.add(start)
            elif following in after_words and value[1] != "placebo":  # not "a vaccine-to-placebo ratio"
                del info[(start, end)]
                measured_after.add(start)
            elif _measured_level(doc, start, before_words if value[1] != "placebo" else LEVEL_BEFORE):
                del info[(start, end)]
                measured_before.add(start)
            elif _substance_use(doc, start, cursor, value[1], self.code_slots):
                del info[(start, end)]
        if measured_after or measured_before:
            _drop_listed_measures(doc, info, drugs, measured_after, measured_before)

    def _class_event(self, doc: Doc, start: int, end: int, info: dict) -> bool:
        """Whether the class name ``doc[start:end]`` names one administration
        as an event (``the second vaccination``, ``vCP205 vaccination``,
        ``Vaccination Schedules``): word lists ``event_*`` of
        ``drug_class_grammar.json``."""
        grammar = self.class_grammar
        if doc[start:end].text.lower() not in grammar.get("event_classes", ()):
            return False
        if _next_word(doc, end) in grammar.get("event_after", ()):
            return True
        before = start - 1
        while before >= 0 and doc[before].is_space:
            before -= 1
        if before > 0 and doc[before].text == "-":
            before -= 1  # post-vaccination
        if before < 0:
            return False
        if doc[before].lower_ in grammar.get("event_before", ()):
            return True
        # a drug mention ending just before it (names are at most a few tokens)
        return any(info.get((first, before + 1), ("",))[0] == "DRUG"
                   for first in range(max(0, before - 8), before + 1))

    def _fuzzy_in_lists(self, doc: Doc, info: dict) -> None:
        """A long unknown word listed with a drug (``either Sildenafil citrate
        or pentoxyfylline``) that is spelled like a lexicon name is that drug."""
        drug_tokens = {i for (s, e), v in info.items() if v[0] == "DRUG" for i in range(s, e)}
        covered = {i for s, e in info for i in range(s, e)}
        # a listed word has a drug token within 3 tokens of it
        near = {d + step for d in drug_tokens for step in range(-3, 4)}
        lengths = doc.to_array(LENGTH).tolist() if near else []
        for i in sorted(near):
            if not 0 <= i < len(doc) or lengths[i] < 7 or i in covered:
                continue
            token = doc[i]
            if not self._slot_candidate(token, covered):
                continue
            words = [t for t in doc[max(0, i - 3):min(len(doc), i + 4)] if not t.is_space]
            position = next(k for k, t in enumerate(words) if t.i == i)
            left = words[position - 2:position]
            right = words[position + 1:position + 3]
            listed = (len(left) == 2 and left[1].lower_ in LIST_WORDS and left[0].i in drug_tokens) or (
                len(right) == 2 and right[0].lower_ in LIST_WORDS and right[1].i in drug_tokens)
            if not listed:
                continue
            match = self._closest_inn(token.lower_)
            if match:
                info[(i, i + 1)] = ("DRUG", match[0], "fuzzy", round(match[1] / 100 * 0.8, 3))
                covered.add(i)

    def _slot_candidate(self, token, covered: set[int]) -> bool:
        """An alphabetic word outside every entity, not a stop or stoplist word."""
        if token.i in covered or not token.is_alpha or len(token) < 3:
            return False
        lower = token.lower_
        return not (token.is_stop or lower in self.stoplist or lower in NOT_DRUG_WORDS
                    or lower in self._slot_not_words or lower.endswith(self._slot_not_suffixes))

    @staticmethod
    def _plus_chain(doc: Doc, i: int, starts: dict, ends: dict) -> list[tuple[int, int]]:
        """Entities of the ``A + B + C`` list that token ``i`` sits in."""
        chain = []
        cursor = i
        while cursor - 1 >= 0 and doc[cursor - 1].text == "+" and (cursor - 1) in ends:
            key = ends[cursor - 1]
            chain.append(key)
            cursor = key[0]
        cursor = i + 1
        while cursor < len(doc) and doc[cursor].text == "+" and (cursor + 1) in starts:
            key = starts[cursor + 1]
            chain.append(key)
            cursor = key[1]
        return chain

    @staticmethod
    def _partners(doc: Doc, info: dict) -> dict[str, list[str]]:
        """Drugs the text combines: ``A combined with B``, ``A plus B``."""
        drugs = sorted((s, e, v[1]) for (s, e), v in info.items()
                       if v[0] == "DRUG" and v[1] and v[2] not in ("context", "acronym"))
        partners: dict[str, list[str]] = {}
        text = doc_text(doc)
        for (s1, e1, a), (s2, e2, b) in zip(drugs, drugs[1:]):
            between = text[doc[e1 - 1].idx + len(doc[e1 - 1]):doc[s2].idx]
            if a != b and COMBINED.fullmatch(between):
                partners.setdefault(a, []).append(b)
                partners.setdefault(b, []).append(a)
        return partners

    def _study_names(self, doc: Doc, info: dict) -> set[str]:
        # sections are sorted and do not overlap
        sections = [(s.start, s.end) for s in doc.spans.get(SECTIONS_KEY, []) if s.label_ in STUDY_SECTIONS]
        section_starts = [start for start, _end in sections]
        names = set()
        for (start, _end), value in info.items():
            index = bisect.bisect_right(section_starts, start) - 1
            if value[1] and index >= 0 and start < sections[index][1]:
                names.add(value[1])
        components = {n for name in names for n in name.split("+")}
        for value in info.values():  # a regimen holding a study drug is studied whole
            if value[2] == "acronym" and value[1] and components & set(value[1].split("+")):
                names.add(value[1])
                names.update(value[1].split("+"))
        return names

    @staticmethod
    def _study_classes(doc: Doc, info: dict) -> frozenset[str]:
        """The lowercase texts of the class mentions in the trial's title,
        interventions and arms (an outline also names excluded co-medication)."""
        sections = [s for s in doc.spans.get(SECTIONS_KEY, []) if s.label_ in ("title", "interventions", "arms")]
        return frozenset(
            doc[start:end].text.lower() for (start, end), value in info.items()
            if value[0] == "DRUG_CLASS" and any(s.start <= start < s.end for s in sections))

    @staticmethod
    def _listed_trials(doc: Doc) -> list[tuple[int, int]]:
        """Lines next to a bare ``NCT01234567`` line: other trials' titles."""
        lines, offset = [], 0
        text = doc_text(doc)
        if "NCT" not in text:
            return []
        for line in text.split("\n"):
            lines.append((offset, offset + len(line)))
            offset += len(line) + 1
        ranges = []
        for index, (start, end) in enumerate(lines):
            if re.fullmatch(r"\s*NCT\d{8}\s*", text[start:end]):
                ranges.extend(lines[other] for other in (index - 1, index + 1) if 0 <= other < len(lines))
        return ranges

    def _role(self, doc: Doc, span: Span, inn: str | None, study: set[str], layout: "_Layout | None" = None,
              study_parts: set[str] | None = None) -> str:
        """ConText-style: cues from ``drug_context.jsonl`` act within the
        mention's clause (up to a terminator) in their direction; strong
        cues make the mention ``other``, weak ones only for drugs the trial
        does not give; eligibility text is ``other`` unless it names a drug
        of the trial; drugs the trial does not give are ``other``."""
        is_study = self._is_study(span, inn, study, study_parts)
        layout = layout or _Layout(doc)
        start_char, end_char = span.start_char, span.end_char
        sentence_start, sentence_end = layout.sentence_chars(span.start, span.end)
        # the sentence's text is the doc's text between its first and last
        # characters; each window is searched only when it holds a literal
        # its regex needs (``_Layout.may_hold``)
        text = layout.text
        before_start, before_end = max(sentence_start, start_char - 80), max(sentence_start, start_char)
        after_start, after_end = min(end_char, sentence_end), min(end_char + 60, sentence_end)
        before = text[before_start:before_end]
        after = text[after_start:after_end]
        if layout.may_hold(self._terminate_literals, before_start, before_end):
            before = self._terminate.split(before)[-1]
            before_start = before_end - len(before)
        if layout.may_hold(self._terminate_literals, after_start, after_end):
            stop = self._terminate.search(after)  # the text before the first terminator
            if stop is not None:
                after = after[:stop.start()]
                after_end = after_start + stop.start()
        weak_applies = not is_study or _unlisted_class(span, layout)
        for key, cue in self._cues.items():
            direction, strength = key
            if strength == "strong" or weak_applies:
                if direction == "backward":
                    window, low, high = before, before_start, before_end
                else:
                    window, low, high = after, after_start, after_end
                if layout.may_hold(self._cue_literals[key], low, high) and cue.search(window):
                    return "other"
        section = layout.section_at(start_char)
        if section in OTHER_SECTIONS:  # (a trial that names no drug of its own gives none listed there)
            return "study" if is_study and study and span.label_ == "DRUG" else "other"
        if not is_study:
            # a drug the trial's lists do not name is the trial's when its
            # sentence gives it ("Cholestyramine or gemfibrozil is administered")
            low, high = max(sentence_start, start_char - 60), min(end_char + 60, sentence_end)
            given = layout.may_hold(self._given_literals, low, high) and self._given.search(text[low:high])
            return "study" if given else "other"
        return "study"

    @staticmethod
    def _is_study(span: Span, inn: str | None, study: set[str], study_parts: set[str] | None = None) -> bool:
        """``study_parts``: the components of ``study``'s names, when the
        caller has them already."""
        if not study or span.label_ != "DRUG" or not inn or inn == "placebo":
            return True  # nothing to compare with: assume the trial's
        if study_parts is None:
            study_parts = {n for s in study for n in s.split("+")}
        return not study_parts.isdisjoint(inn.split("+"))


_RADIOLABEL_SYMBOL = re.compile(r"[A-Z][a-z]?")
_RADIOLABEL_MASS = re.compile(r"\d{1,3}m?")
_RADIOLABEL_SHORT = re.compile(r"([A-Z][a-z]?)(\d{1,3}m?)")


def _skip_space_back(doc: Doc, cursor: int) -> int:
    """``cursor`` moved back over whitespace tokens (a hard line wrap)."""
    while cursor > 0 and doc[cursor - 1].is_space:
        cursor -= 1
    return cursor


BRAND_SHAPE = re.compile(r"[a-z][a-z-]{2,}")
ROMAN_NUMERAL = re.compile(r"[IVX]+")


def _may_be_sub_acronym(text: str, stoplist: frozenset) -> bool:
    """Not an item numeral (``IV.``) nor a stoplisted word (``IV`` the route)."""
    return not ROMAN_NUMERAL.fullmatch(text) and text.lower() not in stoplist


def _in_order(text: str, acronym: str) -> bool:
    """``text``'s letters appear in ``acronym`` in the same order (``TC`` of
    ``TCF``, not ``CT`` the scan)."""
    rest = iter(acronym)
    return all(c in rest for c in text)


def _name_initials(lexicon: dict[str, str]) -> dict[str, frozenset]:
    """{INN: first letters of its one-word alphabetic names} (``adriamycin``
    gives doxorubicin its ``a``, ``bcnu`` carmustine its ``b``): the letters a
    regimen acronym may take for the drug (ABCM, AC, THL)."""
    initials: dict[str, set] = {}
    for name, inn in lexicon.items():
        if BRAND_SHAPE.fullmatch(name):
            initials.setdefault(inn, set()).add(name[0])
    return {inn: frozenset(letters) for inn, letters in initials.items()}


def _stands_for(letter: str, name: str, initials: dict[str, frozenset]) -> bool:
    """``letter`` is the initial of ``name`` or of one of its one-word names."""
    return name[0] == letter or letter in initials.get(name, ())


def _acronym_letters(acronym: str, names: list[str], initials: dict[str, frozenset]) -> dict[str, str] | None:
    """{letter: drug} when each letter of ``acronym`` stands for a different
    one of ``names`` (all of them) by the initial of its INN or of one of its
    one-word names (``AC``: adriamycin, cyclophosphamide); else None."""
    if sorted(acronym) == sorted(n[0] for n in names if n):
        return {n[0]: n for n in names if n}  # the INNs' own initials
    if len(acronym) != len(names) or not all(names) or len(set(names)) != len(names):
        return None
    options = [[n for n in names if _stands_for(c, n, initials)] for c in acronym]
    chosen: dict[int, str] = {}

    def assign(k: int) -> bool:
        if k == len(acronym):
            return True
        for name in options[k]:
            if name not in chosen.values():
                chosen[k] = name
                if assign(k + 1):
                    return True
                del chosen[k]
        return False

    if not assign(0):
        return None
    letters: dict[str, str] = {}
    for k, c in enumerate(acronym):
        letters.setdefault(c, chosen[k])
    return letters


def _drop_regimen_therapy_words(doc: Doc, info: dict, words: frozenset) -> None:
    """``chemotherapy`` right after a regimen acronym (``CHOP chemotherapy``,
    ``FOLFOX chemotherapy``) is that regimen's therapy word, not a class of
    its own (train gold: a therapy word after an uppercase drug acronym is
    never tagged, 11 of 11)."""
    # a regimen: an acronym named by several components (GEM, SLPI are one drug's short forms)
    ends = {e for (s, e), v in info.items() if v[0] == "DRUG" and v[2] == "acronym" and "+" in v[1]}
    if not ends:
        return
    for (start, end), value in list(info.items()):
        if value[0] == "DRUG_CLASS" and end - start == 1 and doc[start].lower_ in words:
            before = start - 1 if start > 0 and not doc[start - 1].is_space else start - 2
            if before + 1 in ends:
                del info[(start, end)]


def _radiolabel_prefixes(doc: Doc, info: dict, elements) -> None:
    """A PDQ radiolabel before a drug name belongs to the mention: ``yttrium
    Y 90 epratuzumab``, ``indium In 111 monoclonal antibody Lym-1`` (element
    word, symbol, mass number).  The normalized name is the labelled drug's:
    the label's words before the drug's name (``yttrium y 90 monoclonal
    antibody lym-1``, as the train gold writes every radiolabelled drug)."""
    elements = frozenset(elements)
    if not elements:
        return
    covered: set[int] | None = None
    for (start, end), value in list(info.items()):
        if value[0] != "DRUG":
            continue
        # the mass number is the last word before the drug: most drugs fail on it alone
        last = start - 1
        while last >= max(0, start - 6) and doc[last].is_space:
            last -= 1
        if last < max(0, start - 6) or not _RADIOLABEL_MASS.fullmatch(doc[last].text):
            continue
        words = [i for i in range(max(0, start - 6), start) if not doc[i].is_space][-3:]
        if covered is None:
            covered = {i for s, e in info for i in range(s, e)}
        if len(words) != 3 or any(i in covered for i in words):
            continue
        element, symbol, mass = (doc[i] for i in words)
        if (element.lower_ not in elements or not _RADIOLABEL_SYMBOL.fullmatch(symbol.text)
                or not _RADIOLABEL_MASS.fullmatch(mass.text) or symbol.lower_ != element.lower_[:len(symbol)]):
            continue
        del info[(start, end)]
        if value[1] and "+" not in value[1]:
            label = f"{element.lower_} {symbol.lower_} {mass.lower_}"
            if not value[1].startswith(label):
                value = (value[0], f"{label} {value[1]}", *value[2:])
        info[(words[0], end)] = value


def _unlisted_class(span: Span, layout: "_Layout") -> bool:
    """A class mention the trial's own sections do not name
    (``_Layout.study_classes``, when known): like a drug the trial does not
    give, weak cues (``Concomitant therapy with NSAIDs``) make it ``other``."""
    study_classes = layout.study_classes
    return span.label_ == "DRUG_CLASS" and study_classes is not None and span.text.lower() not in study_classes


class _Layout:
    """Per-document tables for the role rules: the text, sentence and
    section boundaries (``span.sent``, ``doc.text`` and ``section_at`` each
    walk the whole doc on every call)."""

    def __init__(self, doc: Doc):
        self.doc = doc
        self.text = doc_text(doc)
        self.starts = sentence_starts(doc)
        # sorted and non-overlapping (the sections component makes them so)
        self.sections = [(s.start_char, s.end_char, s.label_) for s in doc.spans.get(SECTIONS_KEY, [])]
        self._section_starts = [start for start, _end, _label in self.sections]
        # the lowercase text, when it aligns with the text and no character
        # other than an ASCII letter matches an ASCII letter under re.I
        lower = self.text.lower()
        self.lower = lower if len(lower) == len(self.text) and not _ODD_CASE.search(self.text) else None
        self._present: dict[tuple[str, ...], tuple[str, ...]] = {}
        self.study_classes: frozenset[str] | None = None  # set by the caller when known

    def may_hold(self, literals: tuple[str, ...] | None, start: int, end: int) -> bool:
        """Whether ``text[start:end]`` may hold a match of a regex whose
        matches each hold one of ``literals`` (:func:`_required_literals`):
        ``False`` only when the lowercase window holds none of them."""
        if literals is None or self.lower is None:
            return True
        present = self._present.get(literals)
        if present is None:  # the literals found anywhere in the document
            present = self._present[literals] = tuple(lit for lit in literals if lit in self.lower)
        find = self.lower.find
        return any(find(lit, start, end) != -1 for lit in present)

    def sentence_chars(self, start: int, end: int) -> tuple[int, int]:
        """Character range of ``doc[start:end].sent`` (without sentence
        boundaries: the 12 tokens before the span, up to its end)."""
        doc = self.doc
        if self.starts is None:
            first, last = max(0, start - 12), end
        else:
            first, last = sentence_bounds(self.starts, len(doc), start, end)
        token = doc[last - 1]
        return doc[first].idx, token.idx + len(token)

    def section_at(self, char: int) -> str | None:
        index = bisect.bisect_right(self._section_starts, char) - 1
        if index >= 0 and char < self.sections[index][1]:
            return self.sections[index][2]
        return None


def _trie_alternatives(words: Iterable[str]) -> str:
    """A case-insensitive alternation of ``words`` (a space matching any
    whitespace run) written as a prefix tree: the same matches as the plain
    alternation longest first, ``a\\s+b|a|c``, but the engine compares a
    character once per branch point instead of once per word.  Each node
    tries its longer continuations before ending there, like the longest-first
    alternation; two branches of a node start with different characters, so
    at most one of them can match."""
    root: dict = {}
    for word in words:
        node = root
        for char in word.lower():
            node = node.setdefault(r"\s+" if char == " " else re.escape(char), {})
        node[None] = {}

    def pattern(node: dict) -> str:
        branches = [unit + pattern(child) for unit, child in node.items() if unit is not None]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if None in node:
            return body + "?" if len(branches) == 1 and len(branches[0]) == 1 else "(?:" + body + ")?"
        return body

    return pattern(root)


_WORD_CHAR = re.compile(r"\w")
_ASCII_LETTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")


class _RunSearch:
    """``regex.finditer(text)``, searching only the stretches of ``text``
    where a match can be (the class-phrase grammar scanned at every word of
    a document cost about a fifth of the drug component's time).

    Each match of the class-phrase regex holds one of ``words`` (its head
    words), and consists of characters the pattern can consume: word and
    space characters and the punctuation its parsed form names (read off by
    :func:`_consumable_punctuation`).  So a match lies within one run of text
    between two other characters ("breaks"), a run holding a head word.
    Searching those runs in order, each up to and including the break that
    ends it (the pattern cannot consume a break, so its lookaheads read no
    further), gives the matches of a scan of the whole text.  A pattern the
    analysis does not cover, or no words, means a scan of the whole text."""

    def __init__(self, regex: re.Pattern, words: list[str]):
        self.regex = regex
        self._words: re.Pattern | None = None
        self._breaks: re.Pattern | None = None
        punctuation = _consumable_punctuation(regex)
        if words and punctuation is not None:
            self._words = re.compile(_trie_alternatives(words), re.I)
            # the first word of each (a space matches any whitespace run)
            self._needles = sorted({word.lower().split()[0] for word in words if word.split()})
            if not all(_WORD_CHAR.match(needle) for needle in self._needles):
                self._words = None  # a head word opening with a non-word character: scan it all
            self._breaks = re.compile(r"[^\w\s" + "".join(re.escape(c) for c in sorted(punctuation)) + "]")
        # where a match can start (its first characters): the expression is
        # tried only there, not at every word of a run
        self._starts = start_scanner(regex)

    def _search(self, text: str, position: int, limit: int):
        """``regex.search(text, position, limit)``, the expression tried only
        where ``_starts`` stops."""
        scan, match = self._starts.search, self.regex.match
        while True:
            candidate = scan(text, position, limit)
            if candidate is None:
                return None
            position = candidate.start()
            found = match(text, position, limit)
            if found is not None:
                return found
            position += 1

    def _hits(self, text: str) -> list[int]:
        """Positions where a head word may start (a superset): ``str.find`` in
        the lowercase text, or the case-insensitive regex when lowercasing
        could misalign the text or a character only ``re.I`` maps to ASCII
        occurs."""
        lower = text.lower()
        if len(lower) != len(text) or _ODD_CASE.search(text):
            return [m.start() for m in self._words.finditer(text)]
        hits = []
        # every head word of a match starts after a non-word character (a
        # space, ``-``, ``/`` or ``\\b``) and is followed by a non-letter
        # (``(?![A-Za-z])`` or a space): other occurrences (``art`` in
        # ``start``, ``drug`` in ``drugs``) cannot hold a match's head
        word_char, size = _WORD_CHAR.match, len(text)
        for needle in self._needles:
            find = lower.find
            length = len(needle)
            position = find(needle)
            while position != -1:
                after = position + length
                if (position == 0 or word_char(text, position - 1) is None) and (
                        after == size or text[after] not in _ASCII_LETTERS):
                    hits.append(position)
                position = find(needle, position + 1)
        hits.sort()
        return hits

    def finditer(self, text: str):
        if self._words is None:
            yield from self.regex.finditer(text)
            return
        hits = self._hits(text)
        if not hits:
            return
        breaks = [m.start() for m in self._breaks.finditer(text)]
        search = self.regex.search if self._starts is None else self._search
        previous = None
        for hit in hits:
            index = bisect.bisect_right(breaks, hit)
            start = breaks[index - 1] + 1 if index else 0
            if start == previous:
                continue  # this run was searched already
            previous = start
            end = breaks[index] if index < len(breaks) else len(text)
            limit = min(len(text), end + 1)
            position = start
            while position < end:
                match = search(text, position, limit)
                if match is None or match.start() >= end:
                    break
                yield match
                # a match holds a head word: never empty; if it were, step on
                position = match.end() if match.end() > match.start() else match.start() + 1


def _consumable_punctuation(regex: re.Pattern) -> set[str] | None:
    """The characters other than word and space characters that ``regex``
    can consume anywhere, lookarounds included; ``None`` when the parsed
    pattern holds anything not analysed here (``.``, a negated set, ``$``, a
    back reference...)."""
    return stored_analysis("consumable_punctuation", regex.pattern, regex.flags, (),
                           lambda: _computed_consumable_punctuation(regex),
                           lambda found: None if found is None else sorted(found),
                           lambda data: None if data is None else set(data))


def _computed_consumable_punctuation(regex: re.Pattern) -> set[str] | None:
    try:
        from re import _constants as sre
    except ImportError:  # Python < 3.11
        import sre_constants as sre
    found: set[str] = set()
    plain = re.compile(r"[\w\s]")
    seen: set[int] = set()  # the same ranges (A-Z, 0-9) recur thousands of times

    def add(code: int) -> None:
        if code in seen:
            return
        seen.add(code)
        char = chr(code)
        for variant in {char, char.lower(), char.upper(), char.swapcase(), char.casefold()}:
            if len(variant) == 1 and not plain.match(variant):
                found.add(variant)

    def walk(items) -> bool:
        for op, av in items:
            if op is sre.LITERAL:
                add(av)
            elif op is sre.IN:
                for kind, value in av:
                    if kind is sre.LITERAL:
                        add(value)
                    elif kind is sre.RANGE and value[1] - value[0] <= 2000:
                        for code in range(value[0], value[1] + 1):
                            add(code)
                    elif not (kind is sre.CATEGORY and value in (sre.CATEGORY_DIGIT, sre.CATEGORY_WORD,
                                                                  sre.CATEGORY_SPACE)):
                        return False
            elif op is sre.SUBPATTERN:
                if not walk(av[-1]):
                    return False
            elif op is sre.BRANCH:
                if not all(walk(branch) for branch in av[1]):
                    return False
            elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT) or op is getattr(sre, "POSSESSIVE_REPEAT", None):
                if not walk(av[2]):
                    return False
            elif op in (sre.ASSERT, sre.ASSERT_NOT):
                if not walk(av[1]):
                    return False
            elif op is getattr(sre, "ATOMIC_GROUP", None):
                if not walk(av):
                    return False
            elif not (op is sre.AT and av in (sre.AT_BOUNDARY, sre.AT_NON_BOUNDARY)):
                return False
        return True

    try:
        parsed = parsed_pattern(regex.pattern, regex.flags)
    except Exception:  # a private module's interface changed: scan whole texts
        return None
    return found if walk(parsed) else None


def _required_literals(regex: re.Pattern) -> tuple[str, ...] | None:
    """Strings (lowercase ASCII) one of which every match of ``regex`` holds,
    compared without case, read off its parsed form: a run of literal
    characters in a sequence, the union over a group's alternatives, the
    body of a repeat taken at least once; ``None`` when none is found.  In
    text without the characters of ``_ODD_CASE`` a window of text holding
    none of them (lowercased) holds no match, and the regex need not run."""
    try:
        from re import _constants as sre
    except ImportError:  # Python < 3.11
        import sre_constants as sre
    try:
        parsed = parsed_pattern(regex.pattern, regex.flags)
    except Exception:  # a private module's interface changed: no prefilter
        return None

    def sequence(items):
        best = None
        run = []
        options = []
        for op, av in list(items) + [(None, None)]:
            if op is sre.LITERAL:
                run.append(chr(av))
                continue
            if run:
                options.append({"".join(run)})
                run = []
            if op is None:
                break
            found = None
            if op is sre.SUBPATTERN:
                found = sequence(av[-1])
            elif op is sre.BRANCH:
                parts = [sequence(branch) for branch in av[1]]
                if all(parts):
                    found = set().union(*parts)
            elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT) and av[0] >= 1:
                found = sequence(av[2])
            if found:
                options.append(found)
        for option in options:  # the longest shortest string, then the fewest strings
            if best is None or (-min(map(len, option)), len(option)) < (-min(map(len, best)), len(best)):
                best = option
        return best

    found = sequence(parsed)
    if not found or not all(s.isascii() and s for s in found):
        return None
    return tuple(sorted({s.lower() for s in found}))


def _class_regex(grammar: dict, mechanism: bool = False) -> re.Pattern:
    """``[leading]* modifier+ head [of target]`` or ``head of target``; with
    ``mechanism``, the enzyme/receptor phrases over a mechanism head alone
    (:func:`_mechanism_phrase`, searched apart: only runs holding such a head)."""
    if not grammar:
        return re.compile(r"(?!x)x")

    def alternatives(words):
        return _trie_alternatives(words)

    excluded = alternatives(grammar["excluded_anti"])
    target = grammar["targets"]
    modifier = (rf"(?:(?:{alternatives(grammar['modifiers'])})|(?!(?:{excluded})\b)anti-?[A-Za-z0-9][A-Za-z0-9()-]*"
                rf"|(?-i:{target}))")
    heads = alternatives(grammar["heads"])
    leading = alternatives(grammar["leading"])
    after = alternatives(grammar["excluded_heads_after"])
    gap = r"(?:[ \t]+|[ \t]*\r?\n[ \t]{0,16}(?=(?-i:[a-z])))"  # a line wrap only inside a lowercase phrase (case-sensitive look-ahead: the phrase regex ignores case)
    end = rf"(?![A-Za-z])(?!(?:{gap}|-)(?:{after})\b)"  # nor HCV antibody-positive
    of_target = rf"(?:{gap}of{gap}(?-i:{target})(?:\s+(?-i:{target}))*)"
    lead = rf"{_coordinated_lead(grammar, gap)}(?:(?:{leading})(?:{gap}|-))*"
    tail = _class_head_tail(grammar, gap) + _class_therapy_tail(grammar, gap)
    short = _short_form_before_head(grammar, modifier)
    if mechanism:
        alternative = _mechanism_phrase(grammar, modifier, lead, gap, end, tail, of_target, short)
        return re.compile(alternative[1:] if alternative else r"(?!x)x", re.I)
    phrase = (rf"\b{lead}{_coordinated_modifier(grammar, modifier, gap)}(?:{modifier}{short}(?:{gap}|-|/(?=[A-Za-z0-9])(?!(?:{heads})(?![A-Za-z]))))+(?:{heads}){end}{tail}{of_target}?"
              rf"|\b{lead}(?:{alternatives(grammar['of_heads'])}){of_target}"
              rf"|\b{_coordinated_lead(grammar, gap)}(?:(?:{leading}){gap})+(?:{alternatives(grammar['bare_heads'])}){end}"
              rf"(?!{gap}(?:{alternatives(grammar.get('word_heads') or ['(?!x)x'])})\b)")  # adjuvant chemotherapy regimens: the word head stays
    if grammar.get("word_heads"):  # listed modifiers only: no target code (CHOP chemotherapy)
        phrase += (rf"|\b{lead}{_coordinated_modifier(grammar, alternatives(grammar['modifiers']), gap)}"
                   rf"(?:(?:{alternatives(grammar['modifiers'])})(?:{gap}|-))+"
                   rf"(?:{alternatives(grammar['word_heads'])}){end}")
    return re.compile(phrase, re.I)


def _slash_joins_drugs(span: Span, lexicon) -> bool:
    """A class phrase whose modifiers are joined by a slash and name a drug
    (``APV/EFV drug combination``): the names are drugs, the phrase no class."""
    if len(span) < 3 or not any(token.text == "/" for token in span[:-1]):
        return False
    return any(token.lower_ in lexicon for token in span[:-1] if token.text != "/")


def _short_form_before_head(grammar: dict, modifier: str) -> str:
    """An optional parenthesised short form of the modifiers just before the
    head: ``phosphodiesterase type 5 (PDE-5) inhibitors`` and
    ``reverse transcriptase (RT) inhibitors`` are one mention (every such
    phrase in the train gold is one span)."""
    if not grammar.get("short_form_before_head"):
        return ""
    return rf"(?:[ \t]*\((?:{modifier})(?:[ -](?:{modifier}))*\))?"


def _mechanism_phrase(grammar: dict, modifier: str, lead: str, gap: str, end: str, tail: str, of_target: str,
                      short: str) -> str:
    """``[modifier]* [word] (mechanism word | enzyme) [receptor] head`` over a
    mechanism head only (inhibitor, antagonist, agonist, blocker...): an
    enzyme or receptor names the target (``HMG-CoA reductase inhibitor``,
    ``endothelin receptor antagonists``, ``vitamin K antagonist``,
    ``alpha antagonist``); every train gold mechanism head is a class
    mention, its target words included.  The free word comes only before an
    enzyme or a ``free_word_heads`` word.  Empty without ``mechanism_modifiers``."""
    words, enzyme = grammar.get("mechanism_modifiers"), grammar.get("enzyme_word")
    if not words or not enzyme or not grammar.get("mechanism_heads"):
        return ""
    stop = _trie_alternatives(grammar["free_word_stop"]) if grammar.get("free_word_stop") else r"(?!x)x"
    not_enzyme = _trie_alternatives(grammar["not_enzymes"]) if grammar.get("not_enzymes") else r"(?!x)x"
    # one free word (endothelin, histone) only before an enzyme or a free_word_heads word, never a verb
    # form or adverb (changing protease inhibitors)
    free = rf"(?:(?!(?:{stop})\b)(?![A-Za-z0-9-]*(?:ing|ed|ly)\b)[A-Za-z][A-Za-z0-9-]{{2,}}{gap})?"
    free_heads = _trie_alternatives(grammar["free_word_heads"]) if grammar.get("free_word_heads") else r"(?!x)x"
    unit = (rf"(?:{free}(?:{free_heads}|(?!(?:{not_enzyme})\b){enzyme})|{_trie_alternatives(words)})"
            rf"(?![A-Za-z])")
    receptor = rf"(?:{gap}receptors?)?"
    heads = _trie_alternatives(grammar["mechanism_heads"])
    return (rf"|\b{lead}(?:{modifier}(?:{gap}|-))*{unit}{receptor}{short}(?:{gap}|-)"
            rf"(?:{heads}){end}{tail}{of_target}?")


def _class_head_tail(grammar: dict, gap: str) -> str:
    """An optional drug word from ``tail_heads`` after a mechanism head
    (``phosphodiesterase inhibitor drugs``: the head noun stays in the span,
    GUIDE_ISSUES 4); fixed-width lookbehinds check the head just matched."""
    tail, mechanism = grammar.get("tail_heads"), grammar.get("mechanism_heads")
    if not tail or not mechanism:
        return ""
    behind = "|".join(f"(?<={re.escape(word)})" for word in sorted(set(mechanism)))
    return rf"(?:(?:{behind}){gap}(?:{_trie_alternatives(tail)})(?![A-Za-z]))?"


def _class_therapy_tail(grammar: dict, gap: str) -> str:
    """An optional ``therapy``/``treatment`` word after a class head from
    ``therapy_tail_heads`` (``antiplatelet agent therapy``, ``monoclonal
    antibody therapy``: every such train gold class phrase keeps the word);
    fixed-width lookbehinds check the head just matched."""
    tails, heads = grammar.get("therapy_tails"), grammar.get("therapy_tail_heads")
    if not tails or not heads:
        return ""
    behind = "|".join(f"(?<={re.escape(word)})" for word in sorted(set(heads)))
    titles = grammar.get("therapy_tail_not_before")  # ``Inhibitor Treatment Preference``: an instrument title
    title = rf"(?!{gap}(?-i:{'|'.join(map(re.escape, sorted(titles)))})(?![A-Za-z]))" if titles else ""
    return rf"(?:(?:{behind}){gap}(?:{_trie_alternatives(tails)})(?![A-Za-z]){title})?"


def _without_therapy_tail(span: Span, grammar: dict) -> Span:
    """``span`` without the therapy word :func:`_class_therapy_tail` let it
    end in (``LHRH agonist therapy`` is tested as ``LHRH agonist``)."""
    if len(span) < 3 or span[-1].lower_ not in grammar.get("therapy_tails", ()):
        return span
    end = len(span) - 1
    while end > 1 and span[end - 1].is_space:
        end -= 1  # a hard line wrap before the tail
    return span[:end] if span[end - 1].lower_ in grammar.get("therapy_tail_heads", ()) else span


def _coordinated_modifier(grammar: dict, modifier: str, gap: str) -> str:
    """An optional adjective modifier and a conjunction before the modifiers
    of a class phrase: ``hepatotoxic or nephrotoxic drugs`` is one mention
    (the first adjective cannot stand alone, GUIDE_ISSUES 6)."""
    suffixes = grammar.get("coordinable_suffixes")
    if not suffixes:
        return ""
    behind = "|".join(f"(?<={ending})" for ending in suffixes.split("|"))
    target = rf"|(?-i:{grammar['targets']})" if grammar.get("coordinable_targets") else ""
    return rf"(?:(?:{modifier}(?:{behind}){target}){gap}(?:or|and){gap})?"


def _coordinated_lead(grammar: dict, gap: str) -> str:
    """An optional leading word and a conjunction before the leading words of
    a class phrase: ``adjuvant or neoadjuvant chemotherapy`` and ``moderate or
    strong CYP3A4 inhibitors`` are one mention (the first word cannot stand
    alone, GUIDE_ISSUES 6; every such train and dev gold phrase is one span).
    The next word must be a leading word or a listed modifier (``killed or
    subunit vaccines``); ``not_coordinable_leading`` words (potent, selective)
    are never coordinated."""
    if not grammar.get("coordinable_leading"):
        return ""
    leading = _trie_alternatives(grammar["leading"])
    stop = _trie_alternatives(grammar.get("not_coordinable_leading") or ["(?!x)x"])
    word = rf"(?!(?:{stop})\b)(?:{leading})"  # not a descriptive word (a potent and selective inhibitor)
    modifier = _trie_alternatives(grammar["modifiers"])  # or a listed modifier next (killed or subunit vaccines)
    return rf"(?:(?<![-/]){word}{gap}(?:and/or|or|and){gap}(?=(?:{word}|{modifier})(?:{gap}|-)))?"


def _descriptive_lead_start(span: Span, grammar: dict) -> int:
    """Where a class phrase starts when it opens with a word that only
    describes a drug (``a potent V1a receptor antagonist``, ``Glucocorticoids
    are potent anti-inflammatory agents``): after that word, unless the phrase
    names an enzyme the word grades (``potent CYP3A4 inhibitors``, ``potent
    inhibitors of cytochrome P450 3A4``: a strength class in drug-interaction
    criteria).  Train and dev gold: 4 of 4 leave the word out, 4 of 4 keep it
    before a CYP/P450 target."""
    words = grammar.get("descriptive_leading")
    if len(span) < 3 or not words or span[0].lower_ not in words:
        return span.start
    graded = grammar.get("graded_targets")
    if graded and re.search(graded, span.text):
        return span.start
    start = span.start + 1
    while start < span.end - 1 and span.doc[start].is_space:
        start += 1  # potent\r\n antiretroviral therapy: not the line break
    return start


def _capitalized_word(text: str) -> bool:
    """A word with a capital first letter and lowercase rest (``Adjuvant``,
    ``Hepatotoxic``), not a code (``HIV``, ``E7389``)."""
    return text[:1].isupper() and text[1:].islower()


def _coordinated_target_start(span: Span, heads: frozenset) -> int:
    """Where a class phrase starts when its first conjunct is a target code:
    the whole coordination only over a mechanism head (``PD-1 or PD-L1
    inhibitors``); otherwise the code is not a class (``HIV and anti-HIV
    drugs``, ``NO and NO donors``) and the phrase starts after the conjunction."""
    for token in span[:-1]:
        if token.lower_ in ("or", "and"):
            previous = token.doc[token.i - 1]
            if token.i == span.start:  # the code was inside a word (Li-ESWT and PDE-5 Inhibitor)
                return token.i + 1
            if previous.is_lower or _capitalized_word(previous.text) or span[-1].lower_ in heads:
                return span.start
            return token.i + 1
    return span.start


def _label_start(span: Span, text: str) -> int:
    """The first token of a class phrase that runs into a field label:
    ``No other concurrent chemotherapy Endocrine therapy: Not specified``
    holds two mentions; the capitalised word after a lowercase one starts
    the label (``Endocrine therapy``, a header class, GUIDE_ISSUES 4)."""
    if not text[span.end_char:span.end_char + 3].lstrip(" ").startswith(":"):
        return span.start
    for token in span[1:]:
        previous = token.doc[token.i - 1]
        if len(token) > 1 and token.is_title and token.is_alpha and previous.is_lower and previous.is_alpha:
            return token.i
    return span.start


# ``doc.to_array(ORTH)`` of the doc being tagged (see ``DrugRecognizer.__call__``)
_ORTHS: "weakref.WeakKeyDictionary[Doc, numpy.ndarray]" = weakref.WeakKeyDictionary()


def _tokens_with_orth(doc: Doc, *texts: str) -> list:
    """The tokens of ``doc`` whose text is one of ``texts``, in order."""
    strings = doc.vocab.strings
    keys = [strings[t] for t in texts if t in strings]
    if not keys or not len(doc):
        return []
    orths = _ORTHS.get(doc)
    if orths is None:
        orths = doc.to_array(ORTH)
    wanted = orths == keys[0]
    for key in keys[1:]:
        wanted |= orths == key
    return [doc[int(i)] for i in numpy.flatnonzero(wanted)]


def _antibody_descriptor_start(doc: Doc, start: int) -> int:
    """A coded antibody named with its descriptor is one mention: ``chimeric
    anti-CD20 monoclonal antibody IDEC-C2B8``, ``monoclonal antibody 3F8``.
    Returns the descriptor's first token (``start`` when there is none)."""
    words = [i for i in range(max(0, start - 8), start) if not doc[i].is_space]
    if len(words) < 2 or [doc[i].lower_ for i in words[-2:]] != ["monoclonal", "antibody"]:
        return start
    words = words[:-2]
    first = words[-1] + 1 if words else start - 2
    if words and doc[words[-1]].lower_.startswith("anti-") and len(doc[words[-1]]) > 5:
        first = words.pop()
    elif len(words) >= 3 and [doc[i].lower_ for i in words[-2:-1]] == ["-"] and doc[words[-3]].lower_ == "anti":
        first = words[-3]
        words = words[:-3]
    if words and doc[words[-1]].lower_ in ANTIBODY_ADJECTIVES:
        first = words[-1]
    return first


def _moab_adjective_start(doc: Doc, start: int, covered: set[int]) -> int:
    """An antibody adjective before a PDQ MOAB name is part of the mention
    (``humanized MOAB A33``, ``chimeric monoclonal antibody 14.18``: every
    train gold mention keeps it), across a line wrap; returns its token (else
    ``start``)."""
    before = start - 1
    if before > 0 and doc[before].is_space:
        before -= 1
    if before >= 0 and before not in covered and doc[before].lower_ in ANTIBODY_ADJECTIVES:
        return before
    return start


def filter_spans_tuples(matches) -> list[tuple[int, int, int]]:
    """Longest non-overlapping (id, start, end) matches."""
    chosen: list[tuple[int, int, int]] = []
    used: set[int] = set()
    for match in sorted(matches, key=lambda m: (m[1] - m[2], m[1])):
        if not used.intersection(range(match[1], match[2])):
            chosen.append(match)
            used.update(range(match[1], match[2]))
    return sorted(chosen, key=lambda m: m[1])


# a name of lowercase ASCII words one space apart: the trial tokenizer splits
# it at the spaces and nowhere else, unless a word is one of its special cases
_SIMPLE_NAME = re.compile(r"[a-z]+(?: [a-z]+)*")


NAME_TOKENS = "drug_name_tokens.json"


def _tokenizer_fingerprint() -> dict:
    """What a table of name tokens (``NAME_TOKENS``) was made with."""
    from spacy import about

    rules = read_data_text("tokenizer.json")
    return {"spacy": about.__version__, "tokenizer_json": hashlib.sha256(rules.encode("utf-8")).hexdigest()}


def bundled_names() -> list[str]:
    """The lowercase drug and class names of the bundled data files."""
    entries = read_data("drug_lexicon.jsonl") + read_data("drug_curated.jsonl") + read_data("drug_classes.jsonl")
    return sorted({entry["name"].lower() for entry in entries})


def name_token_table(nlp: Language, names: Iterable[str]) -> dict:
    """The tokens the trial tokenizer makes of ``names`` that
    :func:`_word_patterns` cannot split itself, and of their uppercase and
    title-case spellings where these have another number of tokens: the
    derived file ``data/drug_name_tokens.json`` (``tools/
    build_drug_name_tokens.py``; a test checks it matches the tokenizer), read
    at load time instead of tokenizing several thousand strings."""
    marked = sorted({name for name in names if not _SIMPLE_NAME.fullmatch(name)})
    table = {**_tokenizer_fingerprint(), "lower": {}, "upper": {}, "title": {}}
    lowers = list(nlp.tokenizer.pipe(marked))
    for name, doc in zip(marked, lowers):
        table["lower"][name] = [t.text for t in doc]
    for key, case in (("upper", str.upper), ("title", str.title)):
        for name, lower, doc in zip(marked, lowers, nlp.tokenizer.pipe([case(n) for n in marked])):
            if len(doc) != len(lower):
                table[key][name] = [t.text for t in doc]
    return table


def _usable_name_tokens(nlp: Language, table: dict | None) -> dict | None:
    """``table`` when it was made with this tokenizer and spaCy version."""
    if not table or not isinstance(nlp.tokenizer, TrialTokenizer):
        return None
    fingerprint = _tokenizer_fingerprint()
    return table if all(table.get(key) == value for key, value in fingerprint.items()) else None


def _word_patterns(nlp: Language, names: list[str], table: dict | None = None) -> list:
    """Phrase-matcher patterns (on ``LOWER``) for ``names``: a ``Doc`` from
    the tokenizer, or for a simple name (``_SIMPLE_NAME``, no word a special
    case) under the trial tokenizer the ``LOWER`` ids of its words, which
    is what the tokenizer's ``Doc`` gives without making its lexemes
    (tests/test_drugs.py checks both agree on the bundled names); the same
    for a name whose tokens ``table`` (see :func:`name_token_table`) lists."""
    patterns: list = [None] * len(names)
    if isinstance(nlp.tokenizer, TrialTokenizer):
        rules = nlp.tokenizer.rules or {}
        hash_string = nlp.vocab.strings.add  # a symbol's fixed id (``cc``) or the string's hash
        listed = table["lower"] if table else {}
        for index, name in enumerate(names):
            if _SIMPLE_NAME.fullmatch(name):
                words = name.split(" ")
                if not any(word in rules for word in words):
                    patterns[index] = [hash_string(word) for word in words]
            elif name in listed:
                patterns[index] = [hash_string(token.lower()) for token in listed[name]]
    rest = [index for index, pattern in enumerate(patterns) if pattern is None]
    for index, doc in zip(rest, nlp.tokenizer.pipe([names[index] for index in rest])):
        patterns[index] = doc
    return patterns


def _case_variants(nlp: Language, names: list[str], table: dict | None = None) -> list:
    """Patterns for lowercase, uppercase and title-case spellings: the
    tokenizer splits ``anti-tnf`` but not ``anti-TNF`` (``St.`` unlike
    ``st.``), and matching is on lowercase forms.  ``table``: tokens of the
    names and spellings (:func:`name_token_table`), when it fits the
    tokenizer; names it does not list are tokenized."""
    table = _usable_name_tokens(nlp, table)
    patterns = _word_patterns(nlp, names, table)
    # only names with punctuation can tokenize differently when cased
    marked = [(name, pattern) for name, pattern in zip(names, patterns) if not re.fullmatch(r"[a-z ]+", name)]
    listed = table["lower"] if table else {}
    hash_string = nlp.vocab.strings.add
    variants = []
    for key, case in (("upper", str.upper), ("title", str.title)):
        unlisted = [(name, pattern) for name, pattern in marked if name not in listed]
        cased = iter(nlp.tokenizer.pipe([case(name) for name, _ in unlisted]))
        for name, lower in marked:
            if name in listed:
                tokens = table[key].get(name)
                if tokens is not None:
                    variants.append([hash_string(token.lower()) for token in tokens])
            else:
                other = next(cased)
                if len(other) != len(lower):
                    variants.append(other)
    return patterns + variants


def _next_word(doc: Doc, end: int) -> str:
    """The lowercase word after ``doc[end - 1]``, past a line break or one
    hyphen (``immunoglobulin-expression``)."""
    if end < len(doc) and (doc[end].is_space or doc[end].text in ("-", "\u2010", "\u2011")):
        end += 1
    return doc[end].lower_ if end < len(doc) else ""


def _drop_listed_measures(doc: Doc, info: dict, drugs: list, after: set, before: set) -> None:
    """Drug names listed with a measured one share its reading: the names
    before one dropped for the word after it (``serum vitamin B12 and folic
    acid levels``, ``lactulose/mannitol ratio``) and the names after one
    dropped for the words before it (``levels of folic acid, thiamine and
    vitamin B12``).  ``drugs``: the (start, end) of the DRUG names, sorted."""
    def joined(first: tuple, second: tuple) -> bool:
        if any(info.get(key, ("", ""))[1] == "placebo" for key in (first, second)):
            return False  # a placebo is never measured
        words = [t.lower_ for t in doc[first[1]:second[0]] if not t.is_space]
        return 1 <= len(words) <= 2 and all(w in MEASURE_LIST_WORDS for w in words)
    for index in range(len(drugs) - 2, -1, -1):  # backwards from a name dropped for the word after it
        if drugs[index + 1][0] in after and joined(drugs[index], drugs[index + 1]):
            info.pop(drugs[index], None)
            after.add(drugs[index][0])
    for index in range(1, len(drugs)):  # forwards from a name dropped for the words before it
        if drugs[index - 1][0] in before and joined(drugs[index - 1], drugs[index]):
            info.pop(drugs[index], None)
            before.add(drugs[index][0])


def _measured_level(doc: Doc, start: int, before_words: frozenset = LEVEL_BEFORE) -> bool:
    """Whether the words before ``doc[start]`` make it a measured level, not
    a drug given: ``total testosterone``, ``the plasma level of montelukast``."""
    words = [t.lower_ for t in doc[max(0, start - 5):start] if not t.is_space][-3:]
    if words and words[-1] in before_words:  # not "total BCNU dose"
        return not (start + 1 < len(doc) and doc[start + 1].lower_ in ("dose", "doses", "dosage"))
    # not a dose level ("four dose levels of IL-4": train gold tags the drug)
    return (len(words) >= 2 and words[-1] == "of" and words[-2] in ("level", "levels")
            and (len(words) < 3 or words[-3] not in ("dose", "dosage", "dosing")))


def _substance_use(doc: Doc, start: int, cursor: int, inn: str | None, slots: dict) -> bool:
    """Whether the words from ``doc[cursor]`` on name a substance use, not a
    drug given: ``abuse`` or ``history`` after any drug (``alcohol, or
    substance abuse``: up to three list words between), ``intake`` or
    ``use`` after a substance people use outside medicine (``alcohol
    intake``, ``abuse alcohol or drugs``); word lists from
    ``drug_code_slots.json``."""
    uses = set(slots.get("substance_use", ()))
    between = slots.get("substance_list", ())
    if inn in slots.get("substances", ()):
        uses.update(slots.get("substance_habits", ()))
        before = slots.get("substance_habits_before", ())
        for token in reversed([t for t in doc[max(0, start - 8):start] if not t.is_space][-4:]):
            if token.lower_ in before:
                return True
            if token.lower_ not in between:
                break
    seen = 0  # the first four words of the next eight tokens, one token at a time
    for index in range(cursor, min(cursor + 8, len(doc))):
        token = doc[index]
        if token.is_space:
            continue
        word = token.lower_
        if word in uses:
            return True
        if word not in between:
            return False
        seen += 1
        if seen == 4:
            break
    return False


def _block_cues(rules: list[dict]) -> tuple[re.Pattern, re.Pattern] | None:
    """The header-line regex of eligibility medication blocks (``block``
    cues) and the cues that keep a mention the trial's inside one (``own``)."""
    heads = [c["cue"] for c in rules if c["category"] == "block"]
    if not heads:
        return None
    own = [c["cue"] for c in rules if c["category"] == "own"] or ["(?!x)x"]
    header = re.compile(rf"^([ \t]*)(?:{'|'.join(heads)})[ \t]*\r?$", re.M)
    return header, re.compile("|".join(own), re.I)


def _medication_blocks(doc: Doc, cues) -> list[tuple[int, int]]:
    """Character ranges of the items listed under eligibility headers such
    as ``Allowed:`` or ``Excluded:`` (PDQ layout: the header on its own line,
    its items as ``-`` bullets indented deeper, their continuation lines
    deeper still), which list outside use: prior, concomitant or excluded
    medication (GUIDE_ISSUES 14)."""
    if cues is None:
        return []
    header = cues[0]
    text = doc_text(doc)
    blocks = []
    for match in header.finditer(text):
        depth = len(match.group(1))
        position = match.end()
        end = position
        item = None  # indentation of the current bullet
        while position < len(text):
            next_break = text.find("\n", position + 1)
            line_end = next_break if next_break != -1 else len(text)
            line = text[position:line_end].lstrip("\n")
            stripped = line.strip()
            if stripped:
                indent = len(line) - len(line.lstrip(" \t"))
                if header.match(line):
                    break
                if stripped.startswith(("-", "*", "\u2022")) and indent > depth:
                    item = indent
                elif item is None or indent <= item:
                    break
                end = line_end
            position = line_end
        if end > match.end():
            blocks.append((match.end(), end))
    return blocks


def _in_medication_block(doc: Doc, span: Span, blocks: list[tuple[int, int]], cues) -> bool:
    """Whether ``span`` lies in one of ``blocks`` (:func:`_medication_blocks`)
    with no allergy cue shortly before it on its line: hypersensitivity to
    the trial's drug stays the trial's (GUIDE_ISSUES 13)."""
    start = span.start_char
    if not any(s <= start < e for s, e in blocks):
        return False
    text = doc_text(doc)
    window = max(0, start - 200)  # (an unbounded rfind scans back over the whole line)
    line_start = text.rfind("\n", window, start) + 1 or window
    return not cues[1].search(text, line_start, start)


def _usable_names(names: dict[str, str], stoplist: frozenset, forms: frozenset,
                  routes: frozenset = frozenset()) -> dict[str, str]:
    """The lexicon less names that are not one drug's name: stoplisted words
    (company names, unnamed cell products), a name plus dosage-form words
    (``placebo oral tablet``: forms are never tagged, GUIDE_ISSUES 8) and two
    names of different drugs joined by a hyphen
    (``sulfamethoxazole-trimethoprim``: two mentions, GUIDE_ISSUES 11), and
    names with a registry label before them (``comparator: atorvastatin``),
    and a name with a route word before or after it (``intrathecal
    cytarabine``, ``nitroglycerin iv``: the route is its own mention) when
    the rest is a name."""
    kept = {}
    for name, inn in names.items():
        if name in stoplist:
            continue
        words = name.split()
        rest = words
        while len(rest) > 1 and rest[-1] in forms:
            rest = rest[:-1]
        if len(rest) < len(words) and (" ".join(rest) in names or _base(" ".join(rest)) in names):
            continue
        if len(words) > 1 and (words[0] in routes and " ".join(words[1:]) in names
                               or words[-1] in routes and " ".join(words[:-1]) in names):
            continue
        if ": " in name:  # a registry label before the name ("comparator: atorvastatin")
            continue
        parts = name.split("-")
        if (len(parts) == 2 and len(words) == 1 and all(len(p) >= 5 and p in names for p in parts)
                and names[parts[0]] != names[parts[1]]):
            continue
        kept[name] = inn
    return kept


def _name_rules(code_slots: dict) -> dict:
    """The name-cleaning words of ``drug_code_slots.json`` (see its
    ``_comment_names``)."""
    suffix = code_slots.get("biosimilar_suffix")
    return {
        "salts": frozenset(code_slots.get("name_salt_words", ())),
        "leads": frozenset(code_slots.get("name_lead_words", ())),
        "keep_first": frozenset(code_slots.get("name_keep_first", ())),
        "last": frozenset(code_slots.get("name_last_words", ())),
        "after_leads": frozenset(code_slots.get("name_after_lead_words", ())),
        "suffix": re.compile(suffix) if suffix else None,
        "form_last": frozenset(code_slots.get("dosage_forms", ())) | frozenset(
            code_slots.get("name_canonical_extra_form_words", ())),
        "route_first": frozenset(code_slots.get("name_route_words", ())),
    }


def canonical_name(name: str, names: dict[str, str], inns: frozenset, rules: dict) -> str:
    """``name`` without the salt, ester and formulation words the guide keeps
    out of normalized names (``vinorelbine ditartrate`` -> ``vinorelbine``,
    ``fluvastatin-sodium`` -> ``fluvastatin``, ``recombinant erythropoietin``
    -> the lexicon's name of ``erythropoietin``), a biosimilar's suffix
    dropped when the rest is one of ``inns`` (``pegfilgrastim-jmdb``); a
    shortened name is looked up again in ``names``.  An inorganic salt
    (``magnesium sulfate``) keeps its words; a name ending in a
    ``rules["last"]`` word is that word (``tadalafil placebo`` -> ``placebo``);
    each part of a regimen joined by ``+`` is cleaned alone."""
    if "+" in name:
        return "+".join(canonical_name(part, names, inns, rules) for part in name.split("+"))
    words = name.split()
    if len(words) > 1 and words[-1] in rules.get("last", ()):  # "tadalafil placebo" is a placebo
        return words[-1]
    if len(words) == 1 and "-" in name:
        head, _, tail = name.rpartition("-")
        if tail in rules["salts"] and head and head not in rules["keep_first"]:
            words = [head]
    if words and words[0] not in rules["keep_first"]:
        while len(words) > 1 and words[-1] in rules["salts"]:
            words.pop()
    if len(words) > 1 and words[0] in rules["leads"]:
        while len(words) > 1 and words[0] in rules["leads"]:
            words.pop(0)
        if len(words) > 1 and words[0] in rules.get("after_leads", ()):  # "recombinant human ..."
            words.pop(0)
    rest = " ".join(words)
    if rules["suffix"] is not None:
        match = rules["suffix"].match(rest)
        if match and match.group("base") in inns:
            rest = match.group("base")
    product = _product_rest(rest, names, rules)
    if product is not None:
        return product
    if rest == name:
        return name
    found = names.get(rest, rest)
    # the lexicon may name the shortened name by the salt form itself
    return rest if found.split()[:len(words)] == words else found


def _product_rest(name: str, names: dict[str, str], rules: dict) -> str | None:
    """The lexicon's name of a product name's drug: ``name`` less route words
    before it and dosage-form words after it (``rules["route_first"]``,
    ``rules["form_last"]``: ``oral glycopyrrolate liquid`` ->
    ``glycopyrrolate``'s name, ``bromfenac ophthalmic`` -> ``bromfenac``),
    when the lexicon knows the rest; else None."""
    words = name.split()
    start, end = 0, len(words)
    while end - start > 1 and words[end - 1] in rules.get("form_last", ()):
        end -= 1
    while end - start > 1 and words[start] in rules.get("route_first", ()):
        start += 1
    if end - start == len(words):
        return None
    rest = " ".join(words[start:end])
    return names[rest] if rest in names else None


def _canonical_lexicon(lexicon: dict[str, str], rules: dict) -> dict[str, str]:
    """``lexicon`` with each name's canonical cleaned by :func:`canonical_name`."""
    inns = frozenset(lexicon.values())
    cleaned: dict[str, str] = {}
    for inn in inns:
        cleaned[inn] = canonical_name(inn, lexicon, inns, rules)
    result = {}
    for name, inn in lexicon.items():
        words = name.split()
        # an inorganic salt named by its cation alone (potassium chloride -> potassium) is itself
        if len(words) == 2 and words[0] in rules["keep_first"] and words[1] in rules["salts"] and inn == words[0]:
            result[name] = name
        else:
            result[name] = cleaned[inn]
    return result


SPELLING_GAPS = re.compile(r"[\s\-]")


def _unified_spellings(lexicon: dict[str, str]) -> dict[str, str]:
    """Names spelled alike but for spaces and hyphens (``rhumab vegf`` /
    ``rhumab-vegf``, ``gmcsf`` / ``gm-csf``, ``platelet-rich plasma`` /
    ``platelet rich plasma``) get one canonical: the one most names of the
    lexicon have (ties: fewer hyphens), never a shorter name the spelling
    starts with (``interferon alfa 2a`` is not ``interferon alfa``)."""
    groups: dict[str, list[str]] = {}
    for name in lexicon:
        groups.setdefault(SPELLING_GAPS.sub("", name), []).append(name)
    counts: dict[str, int] = {}
    for inn in lexicon.values():
        counts[inn] = counts.get(inn, 0) + 1
    result = dict(lexicon)
    for names in groups.values():
        inns = {lexicon[name] for name in names}
        if len(inns) < 2:
            continue
        usable = [inn for inn in inns if not any(name != inn and name.startswith(inn + " ") for name in names)]
        if not usable:
            continue
        chosen = max(usable, key=lambda inn: (counts[inn], -inn.count("-"), inn))
        for name in names:
            result[name] = chosen
    return result


def _base(surface: str) -> str:
    return " ".join(w for w in surface.split() if w not in SALT_WORDS)


@Language.factory(
    "extractor_drugs",
    assigns=["doc.spans", "span._.extractor_normalized", "span._.extractor_role"],
    default_config={"fuzzy_threshold": 85.0, "write_ents": False},
)
def make_drug_recognizer(nlp: Language, name: str, fuzzy_threshold: float, write_ents: bool) -> DrugRecognizer:
    return DrugRecognizer(nlp, name, fuzzy_threshold, write_ents)
