import spacy

from extractor.sentences import TrialSentencizer


def sents(text):
    nlp = spacy.blank("en")
    return [s.text.strip() for s in TrialSentencizer()(nlp(text)).sents]


def test_field_lines_are_sentences():
    assert sents("Title of study\nDRUG: Bevacizumab\nPFS, Time to progression, up to 2 years") == [
        "Title of study",
        "DRUG: Bevacizumab",
        "PFS, Time to progression, up to 2 years",
    ]


def test_hard_wrap_does_not_break_sentence():
    text = "Patients receive cisplatin IV on day 1 and\r\n      etoposide IV on days 1-3. Courses repeat."
    assert sents(text) == [
        "Patients receive cisplatin IV on day 1 and\r\n      etoposide IV on days 1-3.",
        "Courses repeat.",
    ]


def test_bullets_start_sentences():
    assert sents("Treatment Regimen:\n\n* PD-L1 antibody: 1200mg every 3 weeks\n* Bevacizumab: 15mg/kg") == [
        "Treatment Regimen:",
        "* PD-L1 antibody: 1200mg every 3 weeks",
        "* Bevacizumab: 15mg/kg",
    ]


def test_roman_numeral_items_stay_with_their_text():
    assert sents("OBJECTIVES: I. Assess survival. II. Compare toxicity.") == [
        "OBJECTIVES: I. Assess survival.",
        "II. Compare toxicity.",
    ]
