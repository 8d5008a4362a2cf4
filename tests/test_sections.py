import spacy

from extractor.sections import SPANS_KEY, TrialSectionizer
from tests.conftest import ANNOTATIONS


def sections(text):
    nlp = spacy.blank("en")
    sectionizer = TrialSectionizer(nlp)
    sectionizer.initialize()
    doc = sectionizer(nlp(text))
    return [(s.label_, s.text.split("\n")[0][:25]) for s in doc.spans[SPANS_KEY]]


def test_registry_layout_of_seed_003():
    text = (ANNOTATIONS / "docs" / "seed_003_06718479ef6d39f2.txt").read_text()
    assert [label for label, _ in sections(text)] == [
        "title", "summary", "conditions", "interventions", "outcomes", "description",
    ]


def test_headers_of_seed_002():
    text = (ANNOTATIONS / "docs" / "seed_002_d21ade92f4d85067.txt").read_text()
    found = sections(text)
    assert ("interventions", "Treatment Regimen:") in found
    assert ("outcomes", "Primary Endpoint:") in found
    assert ("outcomes", "Secondary Endpoints:") in found
    assert ("design", "Study Design Details:") in found


def test_legacy_outline_with_inline_arms():
    text = "OUTLINE: This is a randomized study. Arm I: Patients receive cisplatin IV.\r\n      Arm II: Patients undergo surgery.\nPROJECTED ACCRUAL: 40 patients"
    labels = [label for label, _ in sections(text)]
    assert labels == ["outline", "arms", "arms", "population"]


def test_eligibility_headers_of_seed_004():
    text = (ANNOTATIONS / "docs" / "seed_004_0931282e41e03eee.txt").read_text()
    labels = [label for label, _ in sections(text)]
    assert "inclusion_criteria" in labels and "exclusion_criteria" in labels and "outline" in labels


def test_prose_mention_is_not_a_header():
    assert sections("We outline the plan here.\nNo header") == []


def test_rules_round_trip(tmp_path):
    nlp = spacy.blank("en")
    first = TrialSectionizer(nlp)
    first.initialize()
    first.to_disk(tmp_path)
    second = TrialSectionizer(nlp).from_disk(tmp_path)
    assert second.rules == first.rules


def test_scanned_headers_are_those_of_the_expression():
    """Headers are found by trying the header expression only where one can
    start: the same matches as the expression's own ``finditer``."""
    from extractor.regexscan import plain_lower

    sectionizer = TrialSectionizer(spacy.blank("en"))
    sectionizer.initialize()
    texts = [path.read_text() for path in sorted((ANNOTATIONS / "docs").glob("seed_00*.txt"))]
    texts += ["OUTLINE:\n  * Primary Objectives\nPrimary objectives\n - Outline: x", "Outline", "", "\n\nOUTLINE \r\n"]
    headers_seen = 0
    for text in texts:
        expected = [(m.start(m.lastgroup), m.end()) for m in sectionizer._regex.finditer(text) if m.lastgroup]
        headers_seen += len(expected)
        assert [(start, end) for start, end, _ in sectionizer.headers(text)] == expected
        assert [(start, end) for start, end, _ in sectionizer.headers(text, plain_lower(text))] == expected
    assert headers_seen >= 5


def test_section_spans_run_from_boundary_to_boundary():
    """Each span covers the tokens from its boundary to the next one (the
    line break included), the text before the first boundary in none."""
    nlp = spacy.blank("en")
    sectionizer = TrialSectionizer(nlp)
    sectionizer.initialize()
    doc = sectionizer(nlp("Intro text. Arm A: Patients receive drug X.\nOUTLINE: more"))
    spans = [(s.label_, s.text) for s in doc.spans[SPANS_KEY]]
    assert spans == [("arms", "Arm A: Patients receive drug X.\n"), ("outline", "OUTLINE: more")]
