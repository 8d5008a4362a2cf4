"""Property-based tests of the whole pipeline (issue #11).

Whatever the text, ``extractor.load()`` must not raise, and its output must be
well formed: every entity lies inside the text with ``text[start:end]`` equal
to its text, entities do not overlap, every relation joins two existing
entities with the labels the guide allows, the brat rendering passes the brat
validator, and the same input always gives the same output (the same pipeline
twice, and a freshly loaded pipeline).

Inputs: arbitrary unicode; texts built from trial-text fragments; and real
``train``-split documents mutated (lines deleted or duplicated, separators
swapped, markdown escapes such as ``\\>=`` and ``m\\^2``, fullwidth
punctuation, a very long line).

Runs:

- CI (default profile ``ci``, see ``tests/conftest.py``): derandomized, 40
  examples per test, database off, so every run is the same run::

      pytest tests/test_properties.py

- thorough run (profile ``long``, random seed, 10,000 examples per test unless
  ``EXTRACTOR_HYPOTHESIS_EXAMPLES`` says otherwise)::

      HYPOTHESIS_PROFILE=long pytest tests/test_properties.py
      HYPOTHESIS_PROFILE=long EXTRACTOR_HYPOTHESIS_EXAMPLES=2000 pytest tests/test_properties.py

  ``EXTRACTOR_HYPOTHESIS_EXAMPLES`` also sizes the ``ci`` profile.
"""

import json

import pytest

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import example, given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

import extractor  # noqa: E402
from extractor.brat import format_ann, parse_ann  # noqa: E402
from extractor.output import doc_to_brat, doc_to_record  # noqa: E402
from extractor.schema import ENTITY_LABELS, RELATION_TYPES, ROLE_VALUES  # noqa: E402
from tests.conftest import ANNOTATIONS  # noqa: E402

# a few train documents of each kind (never the test split); cut to keep examples fast
_TRAIN = json.loads((ANNOTATIONS / "splits.json").read_text(encoding="utf-8"))["train"]
_PICKED = [name for kind in ("elig", "modern", "nononc", "outline", "report")
           for name in [n for n in _TRAIN if n.startswith(kind + "_")][:2]]
REAL_TEXTS = [(ANNOTATIONS / "docs" / f"{name}.txt").read_text(encoding="utf-8")[:2500] for name in _PICKED]

FRAGMENTS = [
    "cisplatin", "Carboplatin", "bevacizumab", "pembrolizumab", "FOLFOX", "Amlotinib", "ernesto", "ABCE",
    "anti-PD-1 antibody", "chemotherapy", "placebo", "75", "1.5", "15mg/kg", "mg/m2", "mg/m\\^2", "AUC 5",
    "1200 mg", "IV", "orally", "p.o.", "b.i.d.", "every 3 weeks", "q3w", "daily", "on days 1-14", "of each 21-day cycle",
    "for 6 cycles", "up to 2 years", "Progression-free survival (PFS)", "overall survival", "ORR", "Time Frame:",
    "\\>=", "\\<", "<=", "ULN", "/L", "mm\\^3", "Arm I:", "ARM A:", "OUTLINE:", "Inclusion Criteria:", "Exclusion Criteria:",
    "DRUG: cisplatin|DRUG: etoposide", "PFS, time from randomization to progression, up to 24 months",
    "prior", "previously treated with", "and", "or", "plus", "+", "/", ",", ".", ";", ":", "(", ")", "（", "）", "，",
    "|", "-", "*", "•", "1.", "II.", "\n", "\r\n      ", "\n\n", "\t", " ", "  ", "\u00a0", "\u200b", "é", "µg", "≥", "×",
]
SEPARATORS = [", ", "; ", " | ", "|", "\n", "\t", " / ", "，", "；", "  "]
FULLWIDTH = str.maketrans({"(": "（", ")": "）", ",": "，", ":": "：", ";": "；", "|": "｜", "!": "！", "?": "？", "[": "［", "]": "］"})
ESCAPES = ["\\>=", "\\<=", "\\>", "\\<", "m\\^2", "mm\\^3", "\\*", "\\_", "\\-", "\\[", "\\]", "\\(", "\\)", "\\\\"]


@pytest.fixture(scope="module")
def fresh_nlp():
    """A second, independently loaded pipeline for the determinism property."""
    return extractor.load()


def check_output(nlp, text):
    """Run the pipeline on ``text`` and check every invariant of its output;
    returns the record for determinism comparisons."""
    doc = nlp(text)
    assert doc.text == text
    record = doc_to_record(doc, "prop")
    entities = record["entities"]
    by_id = {}
    previous_end = 0
    for ent in entities:
        assert ent["label"] in ENTITY_LABELS
        assert 0 <= ent["start"] < ent["end"] <= len(text), ent
        assert text[ent["start"]:ent["end"]] == ent["text"], ent
        assert ent["start"] >= previous_end, f"{ent} overlaps the entity before it"
        previous_end = ent["end"]
        if ent["label"] in ("DRUG", "DRUG_CLASS"):
            assert ent["role"] in ROLE_VALUES, ent
        if ent["label"] == "DRUG":
            assert isinstance(ent["normalized"], str) and ent["normalized"], ent
        by_id[ent["id"]] = ent
    for rel in record["relations"]:
        assert rel["label"] in RELATION_TYPES, rel
        arg1_labels, arg2_labels = RELATION_TYPES[rel["label"]]
        assert by_id[rel["arg1"]]["label"] in arg1_labels, rel
        assert by_id[rel["arg2"]]["label"] in arg2_labels, rel
    # every relation of the component is kept by doc_to_record (none dangles)
    assert len(record["relations"]) == len(doc._.extractor_relations or [])
    # the brat rendering passes the gold-file validator (covered texts, overlaps,
    # relation argument labels, repeated relations, INN names, roles)
    brat = doc_to_brat(doc, "prop")
    entities_back, relations_back, _ = parse_ann(format_ann(brat), text, "prop.ann")
    assert [(e.label, e.start, e.end) for e in entities_back] == [(e["label"], e["start"], e["end"]) for e in entities]
    assert len(relations_back) == len(record["relations"])
    return record


def check_deterministic(nlp, fresh_nlp, text):
    first = check_output(nlp, text)
    assert doc_to_record(nlp(text), "prop") == first
    assert doc_to_record(fresh_nlp(text), "prop") == first


@st.composite
def trial_like(draw):
    parts = draw(st.lists(st.sampled_from(FRAGMENTS) | st.text(max_size=6), max_size=40))
    glue = draw(st.lists(st.sampled_from([" ", "", "\n", ", "]), min_size=len(parts), max_size=len(parts)))
    return "".join(p + g for p, g in zip(parts, glue))


def _mutate(text, draw):
    lines = text.split("\n")
    for _ in range(draw(st.integers(0, 6))):
        op = draw(st.sampled_from(["delete", "duplicate", "separator", "escape", "fullwidth", "long", "insert", "cut"]))
        index = draw(st.integers(0, max(0, len(lines) - 1)))
        if op == "delete" and len(lines) > 1:
            del lines[index]
        elif op == "duplicate":
            lines.insert(index, lines[index])
        elif op == "separator":
            old = draw(st.sampled_from([", ", " ", ": ", "; ", "."]))
            lines[index] = lines[index].replace(old, draw(st.sampled_from(SEPARATORS)))
        elif op == "escape":
            line = lines[index]
            at = draw(st.integers(0, len(line)))
            lines[index] = line[:at] + draw(st.sampled_from(ESCAPES)) + line[at:]
        elif op == "fullwidth":
            lines[index] = lines[index].translate(FULLWIDTH)
        elif op == "long":
            lines[index] = " ".join([lines[index]] * draw(st.integers(2, 40)))
        elif op == "insert":
            line = lines[index]
            at = draw(st.integers(0, len(line)))
            lines[index] = line[:at] + draw(st.text(max_size=8)) + line[at:]
        elif op == "cut":
            line = lines[index]
            lines[index] = line[: draw(st.integers(0, len(line)))]
    return "\n".join(lines)


@st.composite
def mutated_real(draw):
    return _mutate(draw(st.sampled_from(REAL_TEXTS)), draw)


@given(st.text(max_size=400))
@example("")
@example(" ")
@example("\n\n\r\n\t")
@example("\x00\ufeff\u2028\u2029\ud7ff\U0010ffff")
def test_arbitrary_unicode(nlp, text):
    check_output(nlp, text)


@given(trial_like())
@example("bevacizumab 15mg/kg IV every 3 weeks")
@example("cisplatin + ernesto + cisplatin/x (ABCE) ABCE")
def test_trial_like_text(nlp, text):
    check_output(nlp, text)


@given(mutated_real())
def test_mutated_real_records(nlp, text):
    check_output(nlp, text)


@given(st.one_of(trial_like(), mutated_real(), st.text(max_size=200)))
def test_same_input_same_output(nlp, fresh_nlp, text):
    check_deterministic(nlp, fresh_nlp, text)


def test_real_texts_are_train_documents():
    splits = json.loads((ANNOTATIONS / "splits.json").read_text(encoding="utf-8"))
    assert len(REAL_TEXTS) == 10 and set(_PICKED) <= set(splits["train"])
    assert not set(_PICKED) & set(splits["test"])
