from extractor.extensions import span_data


def drugs(nlp, text):
    return [(e.text, e.label_, span_data(e)["normalized"], span_data(e)["resolution"], span_data(e)["role"])
            for e in nlp(text).ents if e.label_ in ("DRUG", "DRUG_CLASS")]


def test_defined_acronym_keeps_all_components(nlp):
    text = ("This study evaluates bevacizumab plus atezolizumab plus carboplatin plus etoposide (ABCE) "
            "followed by bevacizumab plus atezolizumab (AB) maintenance. Induction ABCE is given first.")
    found = {(t, n, r) for t, _, n, r, _ in drugs(nlp, text) if t in ("ABCE", "AB")}
    assert found == {
        ("ABCE", "atezolizumab+bevacizumab+carboplatin+etoposide", "acronym"),
        ("AB", "atezolizumab+bevacizumab", "acronym"),
    }


def test_misspelled_and_mistranslated_names(nlp):
    text = "Amlotinib is a multi-target drug. We designed the Durvalumab + chemotherapy + ernesto regimen."
    found = drugs(nlp, text)
    assert ("Amlotinib", "DRUG", "anlotinib", "fuzzy", "study") in found
    assert ("ernesto", "DRUG", "anlotinib", "context", "study") in found
    assert ("chemotherapy", "DRUG_CLASS", None, "exact", "study") in found


def test_regimen_acronym_and_brand(nlp):
    found = drugs(nlp, "HAIC with FOLFOX regimen. Tecentriq 1200 mg.")
    assert ("FOLFOX", "DRUG", "fluorouracil+leucovorin+oxaliplatin", "acronym", "study") in found
    assert ("Tecentriq", "DRUG", "atezolizumab", "synonym", "study") in found


def test_unknown_drug_from_inn_stem(nlp):
    found = drugs(nlp, "Patients receive zanvelitinib orally.")
    assert found == [("zanvelitinib", "DRUG", "zanvelitinib", "stem", "study")]


def test_prior_therapy_is_other(nlp):
    text = "Exclusion Criteria:\n\n* Prior treatment with sorafenib\nDRUG: atezolizumab"
    roles = {t: role for t, _, _, _, role in drugs(nlp, text)}
    assert roles == {"sorafenib": "other", "atezolizumab": "study"}


def test_salt_form_keeps_span_drops_salt(nlp):
    found = drugs(nlp, "Patients receive doxorubicin hydrochloride IV on day 1.")
    assert found[0][:3] == ("doxorubicin hydrochloride", "DRUG", "doxorubicin")
