from extractor.extensions import span_data

from tests.conftest import ANNOTATIONS


def drugs(nlp, text):
    return [(e.text, e.label_, span_data(e)["normalized"], span_data(e)["resolution"], span_data(e)["role"])
            for e in nlp(text).ents if e.label_ in ("DRUG", "DRUG_CLASS")]


def drug_names(nlp, text):
    """(text, normalized name) of each DRUG mention, in order."""
    return [(t, n) for t, label, n, *_ in drugs(nlp, text) if label == "DRUG"]


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


def test_a_name_with_added_letters_is_another_drug_not_a_misspelling(nlp):
    # levoketoconazole is close to ketoconazole by spelling, but an added
    # prefix makes another drug (fosamprenavir, valganciclovir, esomeprazole)
    found = drugs(nlp, "Patients receive levoketoconazole 150 mg twice daily.")
    assert found == [("levoketoconazole", "DRUG", "levoketoconazole", "stem", "study")]
    found = drugs(nlp, "Patients receive ketaconazole 200 mg daily.")
    assert found == [("ketaconazole", "DRUG", "ketoconazole", "fuzzy", "study")]


def test_prior_therapy_is_other(nlp):
    text = "Exclusion Criteria:\n\n* Prior treatment with sorafenib\nDRUG: atezolizumab"
    roles = {t: role for t, _, _, _, role in drugs(nlp, text)}
    assert roles == {"sorafenib": "other", "atezolizumab": "study"}


def test_salt_form_keeps_span_drops_salt(nlp):
    found = drugs(nlp, "Patients receive doxorubicin hydrochloride IV on day 1.")
    assert found[0][:3] == ("doxorubicin hydrochloride", "DRUG", "doxorubicin")


def test_registry_entry_names_an_unknown_drug_everywhere(nlp):
    text = "Renal Anemia\nDRUG: ZQX-9917|DRUG: Epoetin beta\nPatients receive ZQX-9917 every 2 weeks."
    found = [(t, n, r) for t, _, n, r, _ in drugs(nlp, text) if t == "ZQX-9917"]
    assert found == [("ZQX-9917", "zqx-9917", "context"), ("ZQX-9917", "zqx-9917", "context")]


def test_class_grammar_phrases(nlp):
    text = ("Exclusion Criteria: patients taking potent HIV protease inhibitors or strong inhibitors of CYP3A4, "
            "or anti-platelet agents.")
    classes = {t for t, label, *_ in drugs(nlp, text) if label == "DRUG_CLASS"}
    # 'potent' describes the drugs here (train gold modern_NCT00661700 leaves it out); 'strong' grades CYP3A4
    assert classes == {"HIV protease inhibitors", "strong inhibitors of CYP3A4", "anti-platelet agents"}


def test_treatment_of_a_disease_is_not_a_class(nlp):
    assert drugs(nlp, "A new strategy for the treatment of SCLC.") == []


def test_lab_and_design_words_are_not_drugs(nlp):
    text = "A randomized, double-blind, placebo-controlled study. Serum creatinine and platelet count are normal."
    found = [(t, n) for t, _, n, _, _ in drugs(nlp, text)]
    assert found == [("placebo", "placebo")]


def test_salt_and_formulation_words_extend_the_span(nlp):
    found = drugs(nlp, "Patients receive doxorubicin HCl liposome IV and liposomal doxorubicin.")
    assert [(t, n) for t, _, n, _, _ in found] == [
        ("doxorubicin HCl liposome", "doxorubicin"), ("liposomal doxorubicin", "doxorubicin")
    ]


def test_other_trial_mentions_are_other(nlp):
    text = "DRUG: atezolizumab\nRelated trials: NCT04487067 A Study of Atezolizumab With Lenvatinib."
    roles = [(t, role) for t, _, _, _, role in drugs(nlp, text)]
    assert roles == [("atezolizumab", "study"), ("Atezolizumab", "other"), ("Lenvatinib", "other")]


def test_serialization_keeps_rules(nlp, tmp_path):
    component = nlp.get_pipe("extractor_drugs")
    component.to_disk(tmp_path)
    from extractor.drugs import DrugRecognizer

    restored = DrugRecognizer(nlp).from_disk(tmp_path)
    assert restored.class_grammar == component.class_grammar
    assert restored.context_rules == component.context_rules
    assert restored.stoplist == component.stoplist


def test_garbled_names_take_the_drug_combined_with_the_regimen(nlp):
    text = ("Amlotinib is a multi-target drug. Anlotinib combined with Durvalumab may act together. "
            "We designed the Durvalumab + chemotherapy + ernesto regimen. We study Durvalumab + chemotherapy + ROM "
            "for efficacy and safety of Ann, and biomarkers.")
    found = {(t, n, r) for t, label, n, r, _ in drugs(nlp, text) if t in ("Amlotinib", "ernesto", "ROM", "Ann")}
    assert found == {
        ("Amlotinib", "anlotinib", "fuzzy"),
        ("ernesto", "anlotinib", "context"),
        ("ROM", "anlotinib", "context"),
        ("Ann", "anlotinib", "context"),
    }


def test_seed_001_garbled_anlotinib_mentions(nlp):
    text = (ANNOTATIONS / "docs" / "seed_001_57835aa8589f2fdb.txt").read_text(encoding="utf-8")
    found = {t: (n, r) for t, _, n, r, _ in drugs(nlp, text) if t in ("Amlotinib", "ernesto", "ROM", "Ann")}
    assert found == {"Amlotinib": ("anlotinib", "fuzzy"), "ernesto": ("anlotinib", "context"),
                     "ROM": ("anlotinib", "context"), "Ann": ("anlotinib", "context")}


def test_seed_000_acronyms(nlp):
    text = (ANNOTATIONS / "docs" / "seed_000_a991cd9fedb848fc.txt").read_text(encoding="utf-8")
    found = {(t, n) for t, _, n, _, _ in drugs(nlp, text) if t in ("ABCE", "AB")}
    assert found == {("ABCE", "atezolizumab+bevacizumab+carboplatin+etoposide"), ("AB", "atezolizumab+bevacizumab")}


def test_listed_other_trials_are_other(nlp):
    text = ("Atezolizumab With a Multi-Kinase Inhibitor in Liver Cancer\nNCT ID: NCT05168163\n"
            "Related studies\nA Study of Atezolizumab With Lenvatinib\nNCT04487067\n")
    roles = [(t, role) for t, label, _, _, role in drugs(nlp, text) if label == "DRUG"]
    assert roles == [("Atezolizumab", "study"), ("Atezolizumab", "other"), ("Lenvatinib", "other")]


def test_regimen_acronym_components_share_the_study_role(nlp):
    text = ("Study of Bevacizumab and Atezolizumab\nThis study evaluates bevacizumab plus atezolizumab plus "
            "carboplatin plus etoposide (ABCE).")
    roles = {t: role for t, label, _, _, role in drugs(nlp, text) if label == "DRUG"}
    assert roles["carboplatin"] == "study" and roles["etoposide"] == "study"


def test_json_role_model_decides_when_given(nlp, tmp_path):
    import json

    import pytest

    from extractor.drugs import DrugRecognizer, LinearRoleModel

    with pytest.raises(ValueError):
        LinearRoleModel.from_json({"type": "pickle"})
    path = tmp_path / "role.json"
    path.write_text(json.dumps({"type": "logistic_regression", "positive_class": "study", "intercept": -1.0,
                                "weights": {"rule=study": 0.5}}))
    component = DrugRecognizer(nlp)
    component.initialize(role_model=str(path))
    doc = nlp.make_doc("DRUG: atezolizumab")
    for name, proc in nlp.pipeline:
        doc = component(doc) if name == "extractor_drugs" else proc(doc)
    from extractor.extensions import get_entities

    assert [span_data(e)["role"] for e in get_entities(doc, ["DRUG"])] == ["other"]
    component.to_disk(tmp_path / "saved")
    assert DrugRecognizer(nlp).from_disk(tmp_path / "saved").role_model.weights == {"rule=study": 0.5}


def test_unknown_codes_given_like_drugs(nlp):
    text = ("Patients receive QZ-48213 IV on day 1. Arm B: KX7731 + vardenafil. "
            "The IIEF-15 score at Week 12 and CD137 expression are measured. QZ-48213 is well tolerated.")
    found = [(t, n, r) for t, label, n, r, _ in drugs(nlp, text) if label == "DRUG"]
    assert found == [("QZ-48213", "qz-48213", "context"), ("KX7731", "kx7731", "context"),
                     ("vardenafil", "vardenafil", "exact"), ("QZ-48213", "qz-48213", "context")]


def test_report_arm_titles_name_drugs(nlp):
    text = ("INTERVENTION 1:    ZXCQ and Breast Cancer   Single arm\n"
            "Arm/Group Title: Observation   Arm/Group Description: no treatment\n"
            "Arm/Group Title: Zorbatinix/Trastuzumab   Arm/Group Description: as above\n"
            "Subjects take ZXCQ daily.")
    found = [(t, n, r) for t, label, n, r, _ in drugs(nlp, text) if label == "DRUG"]
    assert found == [("ZXCQ", "zxcq", "context"), ("Zorbatinix", "zorbatinix", "context"),
                     ("Trastuzumab", "trastuzumab", "exact"), ("ZXCQ", "zxcq", "context")]


def test_recent_cancer_drugs_brands_and_codes_normalize(nlp):
    found = drugs(nlp, "Venclexta (ABT-199) with Imbruvica; osimertinib (Tagrisso) 80 mg once daily.")
    assert [(t, n, r) for t, _, n, r, _ in found] == [
        ("Venclexta", "venetoclax", "synonym"),
        ("ABT-199", "venetoclax", "synonym"),
        ("Imbruvica", "ibrutinib", "synonym"),
        ("osimertinib", "osimertinib", "exact"),
        ("Tagrisso", "osimertinib", "synonym"),
    ]


def test_code_defined_in_parentheses_takes_the_drugs_name(nlp):
    found = drugs(nlp, "Zanubrutinib (QZ-4412) 160 mg twice daily. QZ-4412 is well tolerated.")
    assert [(t, n, r) for t, _, n, r, _ in found] == [
        ("Zanubrutinib", "zanubrutinib", "exact"),
        ("QZ-4412", "zanubrutinib", "synonym"),
        ("QZ-4412", "zanubrutinib", "synonym"),
    ]
    found = drugs(nlp, "Patients receive QZ-4412 (pembrolizumab) IV.")
    assert [(t, n, r) for t, _, n, r, _ in found] == [
        ("QZ-4412", "pembrolizumab", "synonym"),
        ("pembrolizumab", "pembrolizumab", "exact"),
    ]


def test_registry_and_scale_ids_in_parentheses_are_not_drug_codes(nlp):
    found = drugs(nlp, "Pembrolizumab (NCT01234567) toxicity graded by cisplatin (CTCAE 5).")
    assert [t for t, *_ in found] == ["Pembrolizumab", "cisplatin"]


def test_recent_drugs_of_other_fields_normalize(nlp):
    found = drugs(nlp, "Ozempic or Jardiance; Eliquis 5 mg twice daily; Humira every other week.")
    assert [(t, n) for t, _, n, _, _ in found] == [
        ("Ozempic", "semaglutide"), ("Jardiance", "empagliflozin"), ("Eliquis", "apixaban"), ("Humira", "adalimumab"),
    ]


def test_class_phrase_does_not_run_across_a_field_line(nlp):
    # a record's conditions line, then its interventions line (NCT04646330)
    found = drugs(nlp, "Secondary end points are overall survival.\nNSCLC\nDRUG: AK104+anlotinib")
    assert [(t, label, n) for t, label, n, _, _ in found] == [
        ("AK104", "DRUG", "cadonilimab"), ("anlotinib", "DRUG", "anlotinib"),
    ]
def test_placebo_named_after_its_drug_is_one_placebo_mention(nlp):
    found = drugs(nlp, "Patients take 3TC twice daily plus Viramune placebo once daily. Arm B: Enalapril matching placebo.")
    assert ("Viramune placebo", "DRUG", "placebo", "synonym", "study") in found
    assert ("Enalapril matching placebo", "DRUG", "placebo", "synonym", "study") in found
    assert not any(t in ("Viramune", "Enalapril") for t, *_ in found)


def test_drug_and_placebo_on_separate_lines_stay_two_mentions(nlp):
    found = [(t, n) for t, _, n, _, _ in drugs(nlp, "DRUG: Vardenafil\nPlacebo: matching tablets")]
    assert found == [("Vardenafil", "vardenafil"), ("Placebo", "placebo")]


def test_drug_names_of_conditions_lab_values_and_biomarkers_are_not_drugs(nlp):
    text = ("Non-insulin-dependent diabetes mellitus. No insulin dependent diabetes. "
            "Testosterone level 300-1000 ng/dL. Extent of local interferon gamma expression. "
            "Anti-Epoetin beta antibody titer. Patients receive insulin glargine daily.")
    found = [(t, n) for t, label, n, _, _ in drugs(nlp, text) if label == "DRUG"]
    assert found == [("insulin glargine", "insulin glargine")]


def test_analogue_of_a_drug_is_a_class(nlp):
    text = "A Liposomal-Cisplatin Analogue (L-NDDP). Patients receive rebeccamycin analogue IV over 1 hour."
    found = [(t, label, n) for t, label, n, _, _ in drugs(nlp, text)]
    assert ("Liposomal-Cisplatin Analogue", "DRUG_CLASS", None) in found
    assert ("rebeccamycin analogue", "DRUG_CLASS", None) in found
    assert ("L-NDDP", "DRUG", "nddp") in found
    assert not any(label == "DRUG" and t.lower() == "cisplatin" for t, label, _ in found)


def test_brands_codes_and_who_spellings_of_batch_two_drugs(nlp):
    text = ("Patients receive Cholestyramine and Viramune with 3TC. DRUG: Premarin and Provera. "
            "Hibiclens wash. SK3530 100 mg. Patients receive IV combretastatin A4 phosphate weekly. "
            "trimetrexate glucuronate orally; recombinant interferon gamma; Rebeccamycin 1 day.")
    found = {t: n for t, label, n, _, _ in drugs(nlp, text) if label == "DRUG"}
    assert found == {
        "Cholestyramine": "colestyramine", "Viramune": "nevirapine", "3TC": "lamivudine",
        "Premarin": "conjugated estrogens", "Provera": "medroxyprogesterone", "Hibiclens": "chlorhexidine",
        "SK3530": "mirodenafil", "combretastatin A4 phosphate": "fosbretabulin",
        "trimetrexate glucuronate": "trimetrexate", "recombinant interferon gamma": "interferon gamma",
        "Rebeccamycin": "becatecarin",
    }


def test_more_salt_and_extract_words_stay_in_the_span(nlp):
    found = [(t, n) for t, label, n, _, _ in drugs(nlp, "fosbretabulin disodium IV; EGCG extract daily")
             if label == "DRUG"]
    assert found == [("fosbretabulin disodium", "fosbretabulin"), ("EGCG extract", "epigallocatechin gallate")]


def test_names_and_codes_next_to_brackets_and_periods(nlp):
    text = "DRUG: Decitabine (DAC)|DRUG: Methotrexate. Patients take antacids with ddI. SK3530(PDE5 inhibitor) is given."
    found = [(t, n) for t, label, n, _, _ in drugs(nlp, text) if label == "DRUG"]
    assert found == [("Decitabine", "decitabine"), ("DAC", "decitabine"), ("Methotrexate", "methotrexate"),
                     ("ddI", "didanosine"), ("SK3530", "mirodenafil")]


def test_names_broken_by_a_hard_line_wrap(nlp):
    text = "Motexafin\r\n      gadolinium may help. Effects of nitrous\r\n      oxide in volunteers."
    found = [(t, n) for t, label, n, _, _ in drugs(nlp, text) if label == "DRUG"]
    assert found == [("Motexafin\r\n      gadolinium", "motexafin gadolinium"), ("nitrous\r\n      oxide", "nitrous oxide")]


def test_arm_titles_naming_patients_are_not_drugs(nlp):
    text = ("  Arm/Group Title: Patients With Bone Metastases\n"
            "  Arm/Group Description: Patients receive zoledronic acid 4mg IV monthly.")
    found = [(t, n) for t, label, n, _, _ in drugs(nlp, text) if label == "DRUG"]
    assert found == [("zoledronic acid", "zoledronic acid")]


def test_a_drug_the_lists_do_not_name_is_the_trials_when_the_sentence_gives_it(nlp):
    text = ("DRUG: Lisinopril|DRUG: Nifedipine\n"
            "The first group receives daily nifedipine. Cholestyramine or gemfibrozil is administered per "
            "guidelines. Diuretics and doxazosin may be given concurrently.\n"
            "Eligibility: No angina pectoris requiring nifedipine.")
    found = [(t, r) for t, label, _, _, r in drugs(nlp, text) if label == "DRUG"]
    assert ("Cholestyramine", "study") in found and ("gemfibrozil", "study") in found
    assert ("doxazosin", "other") in found
    assert found[-1] == ("nifedipine", "other")


def test_drugs_inside_a_registry_time_frame_field_are_not_tagged(nlp):
    text = ("DRUG: SK3530\n"
            "Maximal decrease from baseline in supine SBP, within 6 hrs after SK3530 or placebo"
            "|Event Free Survival, To estimate the toxicity of vinblastine and methotrexate\n"
            "Patients receive SK3530 or placebo on day 7.")
    found = [(t, n) for t, label, n, _, _ in drugs(nlp, text) if label == "DRUG"]
    assert found == [("SK3530", "mirodenafil"), ("vinblastine", "vinblastine"), ("methotrexate", "methotrexate"),
                     ("SK3530", "mirodenafil"), ("placebo", "placebo")]


def test_coded_antibody_with_its_descriptor_is_one_mention(nlp):
    text = "Arm I consists of fludarabine and chimeric anti-CD20 monoclonal antibody IDEC-C2B8 (rituximab) induction."
    found = [(t, n) for t, label, n, _, _ in drugs(nlp, text) if label == "DRUG"]
    assert found == [("fludarabine", "fludarabine"), ("chimeric anti-CD20 monoclonal antibody IDEC-C2B8", "rituximab"),
                     ("rituximab", "rituximab")]


def test_class_names_of_exclusion_lists(nlp):
    # ClinicalTrials.gov NCT00000173 and NCT00000681 (legacy eligibility lists)
    text = ("Use of centrally active beta-blockers, narcotics, methyldopa and clonidine within 4 weeks prior to "
            "screening.\nTherapy for Kaposi's sarcoma, including interferons, immunomodulators, antiretroviral agents.")
    classes = [t for t, label, *_ in drugs(nlp, text) if label == "DRUG_CLASS"]
    assert classes == ["beta-blockers", "narcotics", "interferons", "immunomodulators", "antiretroviral agents"]


def test_class_grammar_mechanism_and_family_phrases(nlp):
    # NCT00000791, NCT00002702, NCT00000747, NCT00000173: the whole noun phrase naming the kind of drug
    text = ("- Prior non-nucleoside reverse transcriptase inhibitors (e.g., NVP, ATV).\n"
            "No concurrent nonsteroidal antiinflammatory drugs, ranitidine, cimetidine, or coumarin.\n"
            "- Glucocorticoids and steroid hormones.\n"
            "b) Estrogen replacement therapy is permissible.")
    classes = [t for t, label, *_ in drugs(nlp, text) if label == "DRUG_CLASS"]
    assert classes == ["non-nucleoside reverse transcriptase inhibitors", "nonsteroidal antiinflammatory drugs",
                       "Glucocorticoids", "steroid hormones", "Estrogen replacement therapy"]


def test_class_word_keeps_its_therapy_head(nlp):
    # NCT00000937: ``steroid therapy`` is one class mention, like ``nitrate therapy``
    found = drugs(nlp, "- Need to be receiving systemic steroid therapy during drug administration.")
    # (``systemic`` stays in the span: GUIDE_ISSUES 1.2)
    assert [(t, label) for t, label, *_ in found] == [("systemic steroid therapy", "DRUG_CLASS")]


def test_greek_letter_alone_makes_no_class(nlp):
    # NCT00001934: ``beta`` belongs to the interferon, ``beta treatment`` is not a class
    found = drugs(nlp, "in whom interferon- beta treatment has not been successful")
    assert all(t != "beta treatment" for t, *_ in found)


def test_class_based_chemotherapy_is_one_class_but_a_regimen_keeps_its_name(nlp):
    # NCT00004207, NCT00000681, NCT00004218
    found = drugs(nlp, "No prior anthracycline based chemotherapy for metastatic disease")
    assert [(t, label) for t, label, *_ in found] == [("anthracycline based chemotherapy", "DRUG_CLASS")]
    found = drugs(nlp, "Patients receive the combination of AZT, antineoplastic chemotherapy, and GM-CSF.")
    assert ("antineoplastic chemotherapy", "DRUG_CLASS") in [(t, label) for t, label, *_ in found]
    # the therapy word after a regimen acronym is not a class (train gold of NCT00004218 itself)
    found = drugs(nlp, "randomized to standard CHOP chemotherapy repeated every 4 weeks")
    assert [(t, label) for t, label, *_ in found] == [("CHOP", "DRUG")]


def test_class_phrase_does_not_run_into_the_next_header(nlp):
    # NCT00004055 (PDQ eligibility): a wrapped line that starts with a capital is a new item
    found = drugs(nlp, "No prior nitrosourea based chemotherapy\r\n      Endocrine therapy: Not specified")
    assert [t for t, *_ in found] == ["nitrosourea based chemotherapy", "Endocrine therapy"]


def test_antimicrobial_and_symptom_drug_families(nlp):
    # NCT00000636, NCT00000791 (exclusion lists)
    text = ("Allowed: - Treatment with quinolones, fluoroquinolones, aminoglycosides, or other agents.\n"
            "- Symptomatic treatment such as antipyretics, analgesics, nonsteroidal anti-inflammatory agents.")
    classes = [t for t, label, *_ in drugs(nlp, text) if label == "DRUG_CLASS"]
    assert classes == ["quinolones", "fluoroquinolones", "aminoglycosides", "antipyretics", "analgesics",
                       "nonsteroidal anti-inflammatory agents"]


def test_setting_adjectives_stay_in_a_class_span(nlp):
    # elig_NCT00003135 and outline_NCT00005804 of the train split
    found = drugs(nlp, "Endocrine therapy: - No adrenal corticosteroids")
    assert [t for t, *_ in found] == ["Endocrine therapy", "adrenal corticosteroids"]
    found = drugs(nlp, "OUTLINE: Beginning at least 3 weeks after completion of cytoreductive combination chemotherapy, "
                       "patients undergo total body irradiation.")
    assert [t for t, *_ in found] == ["cytoreductive combination chemotherapy"]


def test_treatment_a_condition_is_caused_by_is_other(nlp):
    # elig_NCT00003739 (train): the trial treats fever caused by chemotherapy
    text = ("Antibiotics may decrease the side effects of neutropenia and fever caused by chemotherapy. "
            "OUTLINE: Beginning at least 3 weeks after completion of cytoreductive chemotherapy, patients receive "
            "filgrastim daily.")
    roles = {t: role for t, _, _, _, role in drugs(nlp, text)}
    assert roles["chemotherapy"] == "other"
    assert roles["cytoreductive chemotherapy"] == "other"
    assert roles["filgrastim"] == "study"


def test_systemic_stays_in_class_spans_but_systemic_therapy_is_vague(nlp):
    # GUIDE_ISSUES 1.2 wording; seed_004 and elig_NCT00003105 follow it
    found = drugs(nlp, "No prior systemic chemotherapy or systemic therapy; no systemic immunosuppressive medication.")
    assert [(t, label) for t, label, *_ in found] == [
        ("systemic chemotherapy", "DRUG_CLASS"), ("systemic immunosuppressive medication", "DRUG_CLASS"),
    ]


def test_antiretroviral_therapy_types_are_classes(nlp):
    found = drugs(nlp, "Patients on HAART or combination antiretroviral therapy (cART) are eligible.")
    assert [(t, label) for t, label, *_ in found] == [
        ("HAART", "DRUG_CLASS"), ("combination antiretroviral therapy", "DRUG_CLASS"), ("cART", "DRUG_CLASS"),
    ]


def test_class_phrase_search_in_runs_matches_a_whole_scan(nlp):
    from extractor.drugs import _RunSearch

    recognizer = nlp.get_pipe("extractor_drugs")
    regex = recognizer._class_regex
    text = ("Prior anti-PD-1 antibodies; strong inhibitors of CYP3A4. (HIV protease inhibitors), "
            "x.antibodies, live, attenuated vaccines! ſtrong inhibitors of CYP3A4")
    spans = [m.span() for m in recognizer._class_search.finditer(text)]
    assert spans == [m.span() for m in regex.finditer(text)]
    assert [text[s:e] for s, e in spans][:3] == ["anti-PD-1 antibodies", "strong inhibitors of CYP3A4",
                                                 "HIV protease inhibitors"]
    assert [m.span() for m in _RunSearch(regex, []).finditer(text)] == spans  # no words: whole scan


def test_consumable_punctuation_of_patterns():
    import re

    from extractor.drugs import _consumable_punctuation

    assert _consumable_punctuation(re.compile(r"\banti-\w+(?: \(x\))? agents", re.I)) == {"-", "(", ")"}
    assert _consumable_punctuation(re.compile(r"a.b")) is None  # any character
    assert _consumable_punctuation(re.compile(r"[^,]+ agents")) is None  # negated set
    assert _consumable_punctuation(re.compile(r"agents$")) is None  # end of text


def test_class_phrase_search_in_runs_matches_a_whole_scan_on_the_corpus(nlp):
    # the run search assumes every class phrase holds a head word of the
    # grammar ('heads', 'of_heads', 'bare_heads'): a grammar change that
    # breaks this shows here
    recognizer = nlp.get_pipe("extractor_drugs")
    texts = [path.read_text(encoding="utf-8") for path in sorted((ANNOTATIONS / "docs").glob("*.txt"))]
    assert texts
    found = 0
    for text in texts:
        spans = [m.span() for m in recognizer._class_search.finditer(text)]
        assert spans == [m.span() for m in recognizer._class_regex.finditer(text)]
        found += len(spans)
    assert found > 10


def test_word_patterns_agree_with_the_tokenizer_on_the_bundled_names(nlp):
    # simple names skip the tokenizer at load time: their word ids must be
    # what the tokenizer's Doc gives (a symbol such as "cc" has a fixed id)
    from spacy.attrs import LOWER

    from extractor.drugs import _word_patterns

    recognizer = nlp.get_pipe("extractor_drugs")
    for names in (sorted(recognizer.lexicon), recognizer.classes, ["fsme immun cc", "cannot", "anti-tnf"]):
        patterns = _word_patterns(nlp, names)
        shortcut = 0
        for name, pattern, doc in zip(names, patterns, nlp.tokenizer.pipe(names)):
            if not hasattr(pattern, "to_array"):
                shortcut += 1
                pattern_ids = list(pattern)
            else:
                pattern_ids = [int(i) for i in pattern.to_array(LOWER)]
            assert pattern_ids == [int(i) for i in doc.to_array(LOWER)], name
        assert shortcut > 0


def test_wrapped_names_with_and_without_aligned_lowercase(nlp):
    # the wrap test reads the lowercase text in place, or each run apart when
    # lowercasing changes the text's length (U+0130) or depends on context
    for prefix in ("", "\u0130 ", "\u03a3 "):
        text = prefix + "Patients receive motexafin\r\n   gadolinium daily."
        found = [(t, n) for t, label, n, _, _ in drugs(nlp, text) if label == "DRUG"]
        assert found == [("motexafin\r\n   gadolinium", "motexafin gadolinium")], prefix


def test_name_token_table_is_in_sync_with_the_tokenizer(nlp):
    # derived data: rebuild with tools/build_drug_name_tokens.py when this fails
    from extractor.drugs import NAME_TOKENS, bundled_names, name_token_table
    from extractor.resources import read_data

    assert read_data(NAME_TOKENS) == name_token_table(nlp, bundled_names())


def test_case_variants_from_the_table_equal_tokenized_ones(nlp):
    from spacy.attrs import LOWER

    from extractor.drugs import NAME_TOKENS, _case_variants
    from extractor.resources import read_data

    def ids(patterns):
        return sorted(tuple(int(i) for i in (p.to_array(LOWER) if hasattr(p, "to_array") else p)) for p in patterns)

    table = read_data(NAME_TOKENS)
    recognizer = nlp.get_pipe("extractor_drugs")
    for names in (sorted(recognizer.lexicon), recognizer.classes, ["anti-tnf", "st. john's wort", "x-ray 7"]):
        assert ids(_case_variants(nlp, names, table)) == ids(_case_variants(nlp, names))
    # the table's tokens are used when it was made with this tokenizer and
    # spaCy version, and not otherwise
    odd = {**table, "lower": {"anti-tnf": ["zzz"]}, "upper": {}, "title": {}}
    assert ids(_case_variants(nlp, ["anti-tnf"], odd)) == [(nlp.vocab.strings.add("zzz"),)]
    stale = {**odd, "tokenizer_json": "0"}
    assert ids(_case_variants(nlp, ["anti-tnf"], stale)) == ids(_case_variants(nlp, ["anti-tnf"]))


def test_required_literals_of_role_patterns():
    import re

    from extractor.drugs import _required_literals

    assert _required_literals(re.compile(r"\b(?:prior|history of)|[;]", re.I)) == (";", "history of", "prior")
    # a literal inside an optional group or a lookaround is not required
    assert _required_literals(re.compile(r"(?:may )?given(?= now)", re.I)) == ("given",)
    assert _required_literals(re.compile(r"(?:is|are) (?:not )?(?:allowed|permitted)", re.I)) == ("allowed", "permitted")
    assert _required_literals(re.compile(r"\d+|prior", re.I)) is None  # an alternative without a literal
    assert _required_literals(re.compile(r"(?:NCT)+\d", re.I)) == ("nct",)  # repeated at least once


def test_role_windows_without_a_cue_literal_skip_the_search(nlp):
    # the prefilter must not change a role: a cue in the window still counts,
    # in either case, and a cue split by a terminator does not
    found = drugs(nlp, "Patients with PRIOR cisplatin; then receive carboplatin. No CONCOMITANT aspirin.")
    roles = {t: role for t, label, _, _, role in found if label == "DRUG"}
    assert roles == {"cisplatin": "other", "carboplatin": "study", "aspirin": "other"}


def test_hyphenated_pair_of_two_drugs_is_two_mentions(nlp):
    # GUIDE_ISSUES 11: a fixed-dose pair written with a hyphen is two DRUG mentions
    found = drugs(nlp, "HIV Infections DRUG: Sulfamethoxazole-Trimethoprim|DRUG: Zidovudine")
    assert [(t, n) for t, _, n, _, _ in found] == [
        ("Sulfamethoxazole", "sulfamethoxazole"), ("Trimethoprim", "trimethoprim"), ("Zidovudine", "zidovudine")]


def test_dosage_form_words_stay_out_of_lexicon_names(nlp):
    # GUIDE_ISSUES 8: dosage-form words are not tagged, even after a registry name
    found = drugs(nlp, "DRUG: Avanafil 50 MG|DRUG: Placebo oral tablet")
    assert ("Placebo", "DRUG", "placebo", "exact", "study") in found
    found = drugs(nlp, "Conmana (Icotinib Hydrochloride Tablets) and Thalidomide")
    assert ("Icotinib Hydrochloride", "DRUG", "icotinib", "exact", "study") in found


def test_hiv_era_short_forms_and_who_spellings(nlp):
    found = {(t, n) for t, _, n, _, _ in drugs(
        nlp, "Allowed: ddC or DHPG. Patients receive rapamycin and R115777.")}
    assert found == {("ddC", "zalcitabine"), ("DHPG", "ganciclovir"), ("rapamycin", "sirolimus"),
                     ("R115777", "tipifarnib")}


def test_saline_placebo_is_one_placebo(nlp):
    found = drugs(nlp, "Patients inhale heparin twice daily or matched saline placebo in a random order.")
    assert ("saline placebo", "DRUG", "placebo", "synonym", "study") in found


def test_biosimilar_stays_in_the_drug_span_and_misspelling_in_parentheses(nlp):
    found = drugs(nlp, "Herceptin (trastuzuamb): Intravenous administration. SB3 (Proposed Trastuzumab Biosimilar)")
    assert ("trastuzuamb", "DRUG", "trastuzumab", "fuzzy", "study") in found
    assert ("Trastuzumab Biosimilar", "DRUG", "trastuzumab", "exact", "study") in found


def test_stoplisted_names_and_unnamed_cell_products_are_not_drugs(nlp):
    found = drugs(nlp, "BIOLOGICAL: gp160 Vaccine (Immuno-AG). BIOLOGICAL: HUCMSC injection")
    assert [t for t, *_ in found] == ["gp160 Vaccine"]


def test_class_phrases_with_regimen_compounds_and_p450(nlp):
    text = ("No more than 2 prior chemotherapy regimens or other platinum compounds. "
            "Any of potent inhibitors of cytochrome P-450 3A4. History of allergy to imidazoles.")
    found = [t for t, label, *_ in drugs(nlp, text) if label == "DRUG_CLASS"]
    assert found == ["chemotherapy regimens", "platinum compounds", "potent inhibitors of cytochrome P-450 3A4",
                     "imidazoles"]


def test_drugs_under_an_allowed_or_excluded_header_are_other(nlp):
    # PDQ eligibility blocks list outside use (GUIDE_ISSUES 14); allergy to the
    # trial's drug stays study (GUIDE_ISSUES 13)
    text = ("PROTOCOL OUTLINE: Patients receive zidovudine and flucytosine.\n\n"
            "        Prior Medication:\n\n        Allowed:\n\n"
            "          -  Zidovudine (AZT) for patients with AIDS.\n\n"
            "          -  AIDS related complex. The presence of any one finding\n"
            "             within 12 months of zidovudine.\n\n"
            "        Excluded:\n\n"
            "          -  History of allergy to flucytosine.\n\n"
            "        Patients must have:\n\n"
            "          -  Willingness to take zidovudine.\n")
    roles = [(t, r) for t, _, _, _, r in drugs(nlp, text)]
    assert roles == [("zidovudine", "study"), ("flucytosine", "study"), ("Zidovudine", "other"), ("AZT", "other"),
                     ("zidovudine", "other"), ("flucytosine", "study"), ("zidovudine", "study")]


def test_background_use_and_drug_induced_conditions_are_other(nlp):
    text = ("Patients receive AZT and SMX. AZT has been effective in treating HIV infection, "
            "and SMX is an antibiotic. No chemotherapy induced neutropenia.")
    roles = [(t, r) for t, _, _, _, r in drugs(nlp, text)]
    # ``an antibiotic`` is a class mention (19 of 21 train gold occurrences of the word), background: other
    assert roles == [("AZT", "study"), ("SMX", "study"), ("AZT", "other"), ("SMX", "other"), ("antibiotic", "other"),
                     ("chemotherapy", "other")]


def test_measured_levels_of_a_drug_are_not_drugs(nlp):
    text = ("Patients receive testosterone undecanoate to determine the levels of total and free testosterone. "
            "Blood samples determine the plasma level of montelukast given orally.")
    assert [t for t, *_ in drugs(nlp, text)] == ["testosterone undecanoate"]


def test_biosimilar_codes_and_brands_take_the_reference_inn(nlp):
    found = {(t, n) for t, _, n, _, _ in drugs(nlp, "SB3 versus Herceptin; CT-P13 or Remsima; Zirabev.")}
    assert found == {("SB3", "trastuzumab"), ("Herceptin", "trastuzumab"), ("CT-P13", "infliximab"),
                     ("Remsima", "infliximab"), ("Zirabev", "bevacizumab")}


def test_substance_use_is_a_condition_but_a_given_substance_is_a_drug(nlp):
    text = ("History or current drug, alcohol, or substance abuse. Willing to limit alcohol intake. "
            "Treatment B: 0.5 g/kg alcohol. Patient cannot abstain from alcohol or any other drugs.")
    assert [(t, n, r) for t, _, n, _, r in drugs(nlp, text)] == [("alcohol", "ethanol", "study"),
                                                               ("alcohol", "ethanol", "other")]


def test_intake_of_a_medicine_is_still_a_drug(nlp):
    # only substances used outside medicine take the habit words (drug_code_slots.json)
    assert [t for t, *_ in drugs(nlp, "Placebo intake was recorded daily.")] == ["Placebo"]


def test_abuse_before_a_substance_and_total_dose(nlp):
    text = "- Abuse alcohol or drugs. Dependent on both alcohol and tobacco. Maximum total BCNU dose 900 mg/m2."
    assert [(t, n) for t, _, n, _, _ in drugs(nlp, text)] == [("BCNU", "carmustine")]


def test_title_case_word_in_parentheses_after_a_drug_is_its_brand(nlp):
    text = "Patients receive gefitinib (Qulenta) 250 mg daily; QULENTA is well tolerated. Cisplatin (Teva) is given."
    found = [(t, n) for t, _, n, _, _ in drugs(nlp, text)]
    assert found == [("gefitinib", "gefitinib"), ("Qulenta", "gefitinib"), ("QULENTA", "gefitinib"),
                     ("Cisplatin", "cisplatin")]


def test_one_letter_short_forms_in_a_list_of_definitions(nlp):
    text = "DRUG: Rifampicin (RMP) Ethambutol (E) Isoniazid (H) Pyrazinamide (Z) Viral load measure"
    found = [(t, n) for t, _, n, _, _ in drugs(nlp, text)]
    assert found == [("Rifampicin", "rifampicin"), ("RMP", "rifampicin"), ("Ethambutol", "ethambutol"),
                     ("E", "ethambutol"), ("Isoniazid", "isoniazid"), ("H", "isoniazid"),
                     ("Pyrazinamide", "pyrazinamide"), ("Z", "pyrazinamide")]


def test_a_single_letter_after_one_drug_is_not_a_short_form(nlp):
    found = [t for t, *_ in drugs(nlp, "Patients in group (A) receive gemcitabine (G) on day 1.")]
    assert found == ["gemcitabine"]


def test_acronym_defined_before_a_semicolon_and_registry_labels(nlp):
    text = ("Delavirdine Mesylate (DLV; U-90,152S) is studied. DLV is given orally. "
            "DRUG: ezetimibe (+) simvastatin|DRUG: Comparator: atorvastatin")
    found = [(t, n) for t, _, n, _, _ in drugs(nlp, text)]
    assert ("DLV", "delavirdine") in found and found.count(("DLV", "delavirdine")) == 2
    assert ("atorvastatin", "atorvastatin") in found


def test_atc_groups_and_who_inn_spellings(nlp):
    text = "Excluded: - Terfenadine. - Astemizole. - Loratadine. - Trifluoperazine. - Piperazine citrate. - thioguanine"
    found = [(t, n) for t, _, n, _, _ in drugs(nlp, text)]
    assert found == [("Terfenadine", "terfenadine"), ("Astemizole", "astemizole"), ("Loratadine", "loratadine"),
                     ("Trifluoperazine", "trifluoperazine"), ("Piperazine citrate", "piperazine"),
                     ("thioguanine", "tioguanine")]


def test_class_short_form_spelling_the_phrase(nlp):
    text = ("Anti Retroviral Therapy (ART) reduces TB incidence. WHO recommends delaying ART. "
            "Bevacizumab and hepatic arterial infusion chemotherapy (HAIC) are given; adding HAIC helps.")
    found = [(t, l) for t, l, *_ in drugs(nlp, text) if l == "DRUG_CLASS"]
    assert found == [("Anti Retroviral Therapy", "DRUG_CLASS"), ("ART", "DRUG_CLASS"), ("ART", "DRUG_CLASS"),
                     ("chemotherapy", "DRUG_CLASS")]


def test_drug_containing_therapy_is_one_class_and_mechanism_heads(nlp):
    text = ("Patients receive cyclophosphamide-containing chemotherapy alone. "
            "No concurrent hormonal therapy except LHRH agonists. AZT therapy is given.")
    found = [(t, l) for t, l, *_ in drugs(nlp, text)]
    assert ("cyclophosphamide-containing chemotherapy", "DRUG_CLASS") in found
    assert ("LHRH agonists", "DRUG_CLASS") in found and ("AZT", "DRUG") in found
    assert not any(t == "cyclophosphamide" for t, _ in found)


def test_listed_class_before_a_measured_word_is_dropped(nlp):
    text = "Effects on immunoglobulin levels. Blood products or immunoglobulin within 6 months. Factor VIII inhibitors."
    assert [(t, l) for t, l, *_ in drugs(nlp, text)] == [("immunoglobulin", "DRUG_CLASS")]


def test_other_spellings_of_a_named_code(nlp):
    text = ("Levitra (Vardenafil, BAY38-9456): 5 mg. Later BAY 38-9456 was given. "
            "Patients (n=20) had 3-4 events.")
    found = [(t, n) for t, _, n, _, _ in drugs(nlp, text)]
    assert found == [("Levitra", "vardenafil"), ("Vardenafil", "vardenafil"), ("BAY38-9456", "vardenafil"),
                     ("BAY 38-9456", "vardenafil")]


def test_european_spellings_of_an_inn(nlp):
    text = "Patients receive doxorubicine and cyclophosphamid. Routine care is given."
    assert [(t, n, r) for t, _, n, r, _ in drugs(nlp, text)] == [("doxorubicine", "doxorubicin", "fuzzy"),
                                                                  ("cyclophosphamid", "cyclophosphamide", "fuzzy")]


def test_listed_code_spaced_otherwise_takes_its_inn(nlp):
    # registry prose spaces codes the lexicon lists hyphenated or joined
    found = drugs(nlp, "Patients receive ZD 1839 250 mg daily; BAY 38-9456 10 mg on demand.")
    assert [(text, inn, resolution) for text, _, inn, resolution, _ in found] == [
        ("ZD 1839", "gefitinib", "synonym"), ("BAY 38-9456", "vardenafil", "synonym"),
    ]
    # an unlisted code stays itself
    assert [inn for _, _, inn, _, _ in drugs(nlp, "Patients receive XQ 4521 twice daily.")] == ["xq 4521"]


def test_stated_variant_names_the_short_form_everywhere(nlp):
    # corpus: "... following subcutaneous interferon alfa-2b (IFN-A) in patients with ... Determine the effects of IFN-A"
    text = ("Patients receive sargramostim (GM-CSF) and interferon alfa-2b (IFN-A) subcutaneously. "
            "Determine the effects of IFN-A on immune responses.")
    found = [(t, n) for t, _, n, _, _ in drugs(nlp, text) if t == "IFN-A"]
    assert found == [("IFN-A", "interferon alfa-2b"), ("IFN-A", "interferon alfa-2b")]
    # a short form defined after an unnumbered name keeps the lexicon's name
    text = "Patients receive interferon-alfa (IFN-A) subcutaneously. IFN-A is continued."
    assert {n for t, _, n, _, _ in drugs(nlp, text) if t == "IFN-A"} == {"interferon alfa"}


def test_class_phrases_with_coordinated_adjectives_and_line_of_therapy(nlp):
    text = ("Concomitant therapy with hepatotoxic or nephrotoxic drugs (e.g., NSAIDs) is not permitted. "
            "Patients were treated with first-line chemotherapy. Use of tricyclic antidepressant and atypical "
            "antipsychotic drugs, aminoglycoside antibiotics and nucleoside antiretrovirals.")
    classes = [t for t, label, *_ in drugs(nlp, text) if label == "DRUG_CLASS"]
    assert classes == ["hepatotoxic or nephrotoxic drugs", "NSAIDs", "first-line chemotherapy",
                       "tricyclic antidepressant", "atypical antipsychotic drugs", "aminoglycoside antibiotics",
                       "nucleoside antiretrovirals"]


def test_class_phrases_with_hyphenated_lead_target_numbers_and_drug_word_after_the_head(nlp):
    text = ("Allergy to phosphodiesterase inhibitor drugs, Selective-norepinephrine Reuptake Inhibitor (SNRI), "
            "phosphodiesterase 5 inhibitor or phosphodiesterase-5 inhibitors. Prior multi-kinase inhibitor therapy.")
    classes = [t for t, label, *_ in drugs(nlp, text) if label == "DRUG_CLASS"]
    assert classes == ["phosphodiesterase inhibitor drugs", "Selective-norepinephrine Reuptake Inhibitor", "SNRI",
                       "phosphodiesterase 5 inhibitor", "phosphodiesterase-5 inhibitors", "multi-kinase inhibitor therapy"]


def test_history_and_resistance_cues_make_drugs_other(nlp):
    text = ("DRUG: Labetalol\nOccasional responses to either ATG or cyclosporine have been reported, but no study "
            "has used both ATG and cyclosporine. Patients with recurrent or refractory platinum resistant ovarian "
            "cancer. To assess the salvage rate of labetalol - failures.")
    roles = [(t, role) for t, _, _, _, role in drugs(nlp, text)]
    assert roles == [("Labetalol", "study"), ("ATG", "other"), ("cyclosporine", "other"), ("ATG", "other"),
                     ("cyclosporine", "other"), ("platinum", "other"), ("labetalol", "other")]


def test_past_tense_and_applied_drugs_are_given(nlp):
    text = ("DRUG: Labetalol|DRUG: calcitriol\nA single dose of smoked cocaine (0.4 mg/kg) was administered. "
            "Patients apply topical petrolatum (Vaseline) on a lesion daily.")
    found = [(t, n, role) for t, _, n, _, role in drugs(nlp, text) if t in ("cocaine", "petrolatum", "Vaseline")]
    assert found == [("cocaine", "cocaine", "study"), ("petrolatum", "petrolatum", "study"),
                     ("Vaseline", "petrolatum", "study")]


def test_weak_cues_make_a_class_the_trial_does_not_name_other(nlp):
    text = ("DRUG: mitoxantrone\nCHEMOTHERAPY: chemotherapy\nOUTLINE: Patients receive mitoxantrone IV. "
            "Concomitant corticosteroids are not permitted. Concomitant chemotherapy is given.")
    roles = [(t, role) for t, label, _, _, role in drugs(nlp, text) if label == "DRUG_CLASS"]
    assert ("corticosteroids", "other") in roles


def test_related_disorders_schedule_slots_and_radiolabels(nlp):
    text = ("Cocaine-Related Disorders\nPlacebo: placebo/daily for 12 weeks\n"
            "Patients receive yttrium Y 90 epratuzumab IV and CMV hyperimmune immunoglobulin.")
    found = [(t, label, n) for t, label, n, _, _ in drugs(nlp, text)]
    assert found == [("Placebo", "DRUG", "placebo"), ("placebo", "DRUG", "placebo"),
                     ("yttrium Y 90 epratuzumab", "DRUG", "yttrium y 90 epratuzumab"),
                     ("CMV hyperimmune immunoglobulin", "DRUG", "cytomegalovirus immune globulin")]


def test_class_phrase_wrapped_on_an_indented_line_and_bare_class_nouns(nlp):
    text = ("- Symptomatic treatment such as analgesics, nonsteroidal anti-inflammatory\r\n"
            "             agents, and antiemetics. Medications such as antidepressants, anxiolytic, antipsychotic.")
    classes = [t for t, label, *_ in drugs(nlp, text) if label == "DRUG_CLASS"]
    assert classes == ["analgesics", "nonsteroidal anti-inflammatory\r\n             agents", "antiemetics",
                       "antidepressants", "anxiolytic", "antipsychotic"]


# ---- normalized names: salts, esters, lead words, biosimilar suffixes ------

def test_canonical_name_rules():
    from extractor.drugs import _name_rules, canonical_name
    from extractor.resources import read_data

    rules = _name_rules(read_data("drug_code_slots.json"))
    names = {"erythropoietin": "epoetin alfa", "metamizole": "metamizole sodium", "potassium": "potassium"}
    inns = frozenset({"pegfilgrastim", "epoetin alfa", "vinorelbine"})
    assert canonical_name("vinorelbine ditartrate", names, inns, rules) == "vinorelbine"
    assert canonical_name("fluvastatin-sodium", names, inns, rules) == "fluvastatin"
    assert canonical_name("tenofovir disoproxil fumarate", names, inns, rules) == "tenofovir"
    assert canonical_name("recombinant erythropoietin", names, inns, rules) == "epoetin alfa"
    assert canonical_name("autologous platelet rich plasma", names, inns, rules) == "platelet rich plasma"
    assert canonical_name("pegfilgrastim-jmdb", names, inns, rules) == "pegfilgrastim"
    # the lexicon names the shortened name by the salt form: the short name wins
    assert canonical_name("metamizole sodium", names, inns, rules) == "metamizole"
    # inorganic salts are the drug; a hyphenated name that is no biosimilar stays
    assert canonical_name("magnesium sulfate", names, inns, rules) == "magnesium sulfate"
    assert canonical_name("potassium chloride", names, inns, rules) == "potassium chloride"
    assert canonical_name("alvac-hiv", names, inns, rules) == "alvac-hiv"
    assert canonical_name("ab-1234", names, inns, rules) == "ab-1234"
    assert canonical_name("fluorouracil+vinorelbine tartrate", names, inns, rules) == "fluorouracil+vinorelbine"
    assert canonical_name("adefovir dipivoxil placebo", names, inns, rules) == "placebo"
    assert canonical_name("dimethyl fumarate", names, inns, rules) == "dimethyl fumarate"  # the ester is the drug
    assert canonical_name("recombinant human erythropoietin", names, inns, rules) == "epoetin alfa"
    assert canonical_name("human papillomavirus vaccine", names, inns, rules) == "human papillomavirus vaccine"


def test_salt_ester_and_lead_words_leave_the_normalized_name(nlp):
    text = ("Patients receive vinorelbine ditartrate IV, fluvastatin-sodium orally, tenofovir disoproxil fumarate, "
            "metamizole sodium and magnesium sulfate.")
    found = [(t, n) for t, _, n, _, _ in drugs(nlp, text)]
    assert found == [("vinorelbine ditartrate", "vinorelbine"), ("fluvastatin-sodium", "fluvastatin"),
                     ("tenofovir disoproxil fumarate", "tenofovir"), ("metamizole sodium", "metamizole"),
                     ("magnesium sulfate", "magnesium sulfate")]


def test_us_names_and_brands_take_the_who_inn(nlp):
    text = "Valtrex or valacyclovir, indomethacin, Copaxone (glatiramer acetate) and recombinant human erythropoietin."
    found = {(t, n) for t, _, n, _, _ in drugs(nlp, text)}
    assert {("Valtrex", "valaciclovir"), ("valacyclovir", "valaciclovir"), ("indomethacin", "indometacin"),
            ("Copaxone", "glatiramer"), ("glatiramer acetate", "glatiramer")} <= found
    assert any(n == "epoetin alfa" and "erythropoietin" in t for t, n in found)


def test_intervention_entry_spaced_otherwise_in_the_text(nlp):
    # as in NCT00000244 ("Dynorphin 1-13" entry, "Dynorphin 1 - 13" in the summary), which crashed
    # the component with a lexicon that lacks the name
    text = "DRUG: Angiotensin 1-7\nPatients receive Angiotensin 1 - 7 daily."
    found = [(t, n, r) for t, _, n, r, _ in drugs(nlp, text)]
    assert found == [("Angiotensin 1-7", "angiotensin 1-7", "context"), ("Angiotensin 1 - 7", "angiotensin 1-7", "context")]


def test_setting_adjectives_adjuvant_and_traditional_stay_in_class_spans(nlp):
    # elig_NCT00004099, outline_NCT00002920, modern_NCT06489431 (train); GUIDE_ISSUES 4 keeps adjectives
    text = ("Evaluate toxicity of and disease response to neoadjuvant chemotherapy in these patients. "
            "Patients are stratified according to adjuvant chemotherapy (yes vs no). "
            "Irrisept could serve as an alternative to traditional antibiotic therapy. "
            "Docetaxel and cyclophosphamide are established adjuvant chemotherapy regimens for early stage breast cancer.")
    classes = [t for t, label, *_ in drugs(nlp, text) if label == "DRUG_CLASS"]
    assert classes == ["neoadjuvant chemotherapy", "adjuvant chemotherapy", "traditional antibiotic therapy",
                       "adjuvant chemotherapy regimens"]


def test_coordinated_target_codes_share_a_mechanism_head_only(nlp):
    # seed_001 (dev, GUIDE_ISSUES 6) and registry wording: a code alone before 'and' is no class
    text = ("The objective response rate of SCLC using PD-1 or PD-L1 inhibitors is slightly lower. "
            "We will study how immune systems react to HIV and anti-HIV drugs. "
            "We analyzed the metabolism of NO and NO donors.")
    classes = [t for t, label, *_ in drugs(nlp, text) if label == "DRUG_CLASS"]
    assert classes == ["PD-1 or PD-L1 inhibitors", "anti-HIV drugs", "NO donors"]
    # a registry outline: after the conjunction a drug's therapy stays the drug (no GM-CSF therapy class)
    found = drugs(nlp, "after PBSC transplantation, sequential IL-2 and GM-CSF therapy, and interferon alfa")
    assert [(t, label) for t, label, *_ in found] == [("IL-2", "DRUG"), ("GM-CSF", "DRUG"), ("interferon alfa", "DRUG")]


def test_class_phrase_stops_before_a_capitalised_field_label(nlp):
    # elig_NCT00005068 (train): PDQ eligibility headers run on one line
    found = drugs(nlp, "Chemotherapy: No other concurrent chemotherapy Endocrine therapy: Not specified")
    assert [(t, label) for t, label, *_ in found] == [
        ("Chemotherapy", "DRUG_CLASS"), ("chemotherapy", "DRUG_CLASS"), ("Endocrine therapy", "DRUG_CLASS")]


def test_coordination_and_label_rules_keep_codes_and_enzyme_targets(nlp):
    # modern_NCT05043896 and modern_NCT00661700 (train): a code inside a word, a one-letter capital in P 450
    found = drugs(nlp, "Efficacy of Combination Therapy Using Li-ESWT and PDE-5 Inhibitor in Patients")
    assert [(t, label) for t, label, *_ in found] == [("PDE-5 Inhibitor", "DRUG_CLASS")]
    text = ("Patients who are taking the following inhibitors of cytochrome P 450 CYP 3A4: potent HIV protease "
            "inhibitors (ritonavir)")
    classes = [t for t, label, *_ in drugs(nlp, text) if label == "DRUG_CLASS"]
    assert classes == ["inhibitors of cytochrome P 450 CYP 3A4", "HIV protease inhibitors"]


def test_coordinated_leading_words_share_one_class(nlp):
    # registry records (NCT01712009, NCT03584009, NCT00003321, NCT00006007, NCT00000714): a setting or
    # strength word before 'or'/'and' cannot stand alone (GUIDE_ISSUES 6): the coordination is one mention
    text = ("Participants received adjuvant or neoadjuvant chemotherapy and pegfilgrastim. "
            "Steroid therapy for anti-neoplastic intent, Strong or moderate CYP3A inhibitors or Strong or "
            "moderate CYP3A inducers. No other concurrent cytostatic or cytotoxic chemotherapy. "
            "Myelosuppressive or nephrotoxic agents including zidovudine. "
            "Planned esophagectomy with or without neo-adjuvant and/or adjuvant chemotherapy.")
    classes = [t for t, label, *_ in drugs(nlp, text) if label == "DRUG_CLASS"]
    assert classes == ["adjuvant or neoadjuvant chemotherapy", "Steroid therapy",
                       "Strong or moderate CYP3A inhibitors", "Strong or moderate CYP3A inducers",
                       "cytostatic or cytotoxic chemotherapy", "Myelosuppressive or nephrotoxic agents",
                       "neo-adjuvant and/or adjuvant chemotherapy"]
    # a descriptive word is not coordinated (potent and selective), nor a code before the conjunction
    found = drugs(nlp, "SK3530 is a potent and selective phosphodiesterase type 5 (PDE 5) inhibitor. "
                       "Patients received E7389 or TPC treatment.")
    assert [t for t, label, *_ in found if label == "DRUG_CLASS"] == [
        "selective phosphodiesterase type 5 (PDE 5) inhibitor", "TPC treatment"]


def test_family_and_setting_words_stay_in_the_class(nlp):
    # registry records (NCT00003752, NCT00003684, NCT00001017, NCT00000859, NCT00001055): a chemical family
    # or setting word before a class noun is part of the class (train gold 7 of 7)
    text = ("drugs that significantly alter hepatic metabolism (e.g., phenobarbital, phenytoin, oral azole "
            "antifungals) allowed. No concurrent digitalis glycosides, lithium, coumarin anticoagulants. "
            "- Coumadin-type anticoagulants. Change in background antiretroviral therapy should occur. "
            "Medically indicated killed or subunit vaccines (e.g., influenza, pneumococcal) do not exclude.")
    found = [(t, label) for t, label, *_ in drugs(nlp, text)]
    assert [t for t, label in found if label == "DRUG_CLASS"] == [
        "azole antifungals", "digitalis glycosides", "coumarin anticoagulants", "Coumadin-type anticoagulants",
        "background antiretroviral therapy", "killed or subunit vaccines"]
    assert ("Coumadin", "DRUG") not in found


def test_potent_stays_only_before_a_graded_enzyme_target(nlp):
    # registry records (NCT00461370, NCT00001106, NCT00007488, NCT00547183): 'potent' describes a drug
    # (left out) except where it grades a CYP/P450 interaction (kept)
    text = ("SRX251 is a new chemical entity with potent V1a receptor antagonist properties. "
            "Zidovudine (AZT) has previously demonstrated its effectiveness as a potent inhibitor of HIV "
            "replication. Some patients receiving potent\r\n      antiretroviral therapy. "
            "Treatment with nitrates or potent CYP3A4 inhibitors. Any of potent inhibitors of cytochrome P-450 3A4.")
    classes = [t for t, label, *_ in drugs(nlp, text) if label == "DRUG_CLASS"]
    assert classes == ["V1a receptor antagonist", "inhibitor of HIV", "antiretroviral therapy", "nitrates",
                       "potent CYP3A4 inhibitors", "potent inhibitors of cytochrome P-450 3A4"]


def test_line_of_therapy_words_stay_before_antiretroviral_acronyms(nlp):
    # nononc_NCT00495326 (train): 'first line ART' is one class span, like 'first-line chemotherapy'
    text = "Nevirapine (NVP)-lamivudine-stavudine is the first line ART available for low-income countries."
    classes = [t for t, label, *_ in drugs(nlp, text) if label == "DRUG_CLASS"]
    assert classes == ["first line ART"]


def test_fuzzy_match_refuses_a_longer_name_holding_the_word(nlp):
    # registry record text: 'interleukin' is part of interleukin-1 (and ketamine of
    # esketamine), not a misspelling of it
    found = drugs(nlp, "production of cytokines (including interleukin 6 and tumor necrosing factor")
    assert [(t, n) for t, _, n, *_ in found] == [("interleukin", "interleukin")]
    from extractor.drugs import _adds_to_name
    assert _adds_to_name("ketamine", "esketamine") and _adds_to_name("esketamine", "ketamine")
    assert not _adds_to_name("ketaconazole", "ketoconazole") and not _adds_to_name("heparins", "heparin")


def test_english_words_in_report_arm_titles_are_not_drugs(nlp):
    # NLI4CT trial reports (breast cancer): one-word arm-title parts
    assert drugs(nlp, "INTERVENTION 1:    Exercise   an acute bout of exercise performed 2 days before surgery") == []
    found = drugs(nlp, "INTERVENTION 1:    Estring   Estring 2mg ring inserted vaginally once")
    assert [(t, n) for t, _, n, *_ in found] == [("Estring", "estradiol"), ("Estring", "estradiol")]
    found = drugs(nlp, "INTERVENTION 1:    Letrozole + MRI   Protocol Therapy will consist of 6 months")
    assert [(t, n) for t, _, n, *_ in found] == [("Letrozole", "letrozole")]


def test_cell_products_and_lab_tests_in_registry_entries_are_not_drugs(nlp):
    text = ("Leukemia|Sarcoma\nGENETIC: clonality analysis|GENETIC: mutation analysis\n"
            "Heart Transplantation\nBIOLOGICAL: enriched hematopoetic stem cell infusion|DRUG: calcium\n"
            "Patients receive calcium daily.")
    found = drugs(nlp, text)
    assert [(t, n) for t, _, n, *_ in found] == [("calcium", "calcium"), ("calcium", "calcium")]


def test_a_word_across_a_slash_from_a_drug_is_not_that_drug(nlp):
    found = drugs(nlp, "Known history of allergic reaction to cremophor/paclitaxel.")
    assert [(t, n) for t, _, n, *_ in found] == [("paclitaxel", "paclitaxel")]
    found = drugs(nlp, "Patients are assessed after the penile Doppler/trimix test.")
    assert [t for t, *_ in found] == ["trimix"]


def test_curated_codes_and_regimens_from_unseen_records(nlp):
    text = ("Lymphoma BIOLOGICAL: rituximab|DRUG: EPOCH regimen\n"
            "Hypersensitivity to anastrozole, or AZD0530 (saracatinib). Patients receive BKM120 100 mg daily "
            "and pneumococcal conjugate vaccine (PCV) intramuscularly.")
    found = {(t, n) for t, _, n, *_ in drugs(nlp, text)}
    assert {("EPOCH", "cyclophosphamide+doxorubicin+etoposide+prednisone+vincristine"), ("AZD0530", "saracatinib"),
            ("saracatinib", "saracatinib"), ("BKM120", "buparlisib"),
            ("PCV", "pneumococcal conjugate vaccine")} <= found


def test_radiolabelled_drug_normalizes_with_its_label(nlp):
    # PDQ outline wording of registry records; train gold writes the label in the name
    found = drugs(nlp, "Patients receive yttrium Y 90 epratuzumab IV over 10 minutes and iodine I 131 tositumomab.")
    assert [(t, n) for t, _, n, *_ in found] == [
        ("yttrium Y 90 epratuzumab", "yttrium y 90 epratuzumab"), ("iodine I 131 tositumomab", "iodine i 131 tositumomab")]


def test_route_words_are_not_part_of_lexicon_names_or_acronyms(nlp):
    # registry record: "Cidofovir IV (Intravenous): cidofovir intravenous (IV) on day 1"
    found = drugs(nlp, "Cidofovir IV (Intravenous): cidofovir intravenous (IV) on day 1")
    assert [(t, n) for t, _, n, *_ in found] == [("Cidofovir", "cidofovir"), ("cidofovir", "cidofovir")]
    found = drugs(nlp, "Patients receive intrathecal cytarabine on day 1.")
    assert [(t, n) for t, _, n, *_ in found] == [("cytarabine", "cytarabine")]


def test_pdq_moab_short_forms_are_the_monoclonal_antibody(nlp):
    # PDQ outline wording of legacy registry records (MOAB Lym-1, MOAB VEGF, I131 MOAB ch14)
    text = ("Patients receive unlabeled MOAB Lym-1, In111 MOAB Lym-1, and Y90 MOAB Lym-1 IV. "
            "Patients receive monoclonal antibody VEGF (MOAB VEGF) IV over 1 hour or I131 MOAB ch14 IV.")
    found = drug_names(nlp, text)
    assert found == [("MOAB Lym-1", "monoclonal antibody lym-1"),
                     ("In111 MOAB Lym-1", "indium in 111 monoclonal antibody lym-1"),
                     ("Y90 MOAB Lym-1", "yttrium y 90 monoclonal antibody lym-1"),
                     ("monoclonal antibody VEGF", "bevacizumab"), ("MOAB VEGF", "bevacizumab"),
                     ("I131 MOAB ch14", "iodine i 131 monoclonal antibody ch14")]
    assert drugs(nlp, "Patients who received MOAB IV until progression.") == []


def test_names_spelled_with_or_without_hyphens_share_one_canonical():
    from extractor.drugs import _unified_spellings
    lexicon = {"rhumab vegf": "rhumab vegf", "rhumab-vegf": "bevacizumab", "avastin": "bevacizumab",
               "interferon alfa 2a": "interferon alfa", "interferon alfa-2a": "interferon alfa-2a",
               "intron a": "interferon alfa", "roferon": "interferon alfa",
               "platelet-rich plasma": "platelet-rich plasma", "platelet rich plasma": "platelet rich plasma"}
    unified = _unified_spellings(lexicon)
    assert unified["rhumab vegf"] == "bevacizumab"
    assert unified["interferon alfa 2a"] == "interferon alfa-2a"  # not the shorter name it starts with
    assert unified["platelet-rich plasma"] == unified["platelet rich plasma"] == "platelet rich plasma"
    assert unified["roferon"] == "interferon alfa"


def test_short_form_between_modifier_and_head_stays_in_the_class(nlp):
    # NCT01037218, NCT00000882, NCT01168817: the parenthesised short form of the modifier before the head
    text = ("* Hypersensitivity to phosphodiesterase type 5 (PDE-5) inhibitors such as Viagra.\n"
            "Although a change in reverse transcriptase (RT) inhibitors is recommended when adding or changing "
            "protease inhibitors in a treatment regimen.\n"
            "History of previous use of at least 1 marketed PDE5 (Phosphodiesterase 5) inhibitor.")
    classes = [t for t, label, *_ in drugs(nlp, text) if label == "DRUG_CLASS"]
    assert classes == ["phosphodiesterase type 5 (PDE-5) inhibitors", "reverse transcriptase (RT) inhibitors",
                       "protease inhibitors", "PDE5 (Phosphodiesterase 5) inhibitor"]


def test_enzyme_and_receptor_targets_make_a_mechanism_class(nlp):
    # NCT03830164, NCT02759614, NCT07247227, NCT03416231, NCT02916693
    text = ("* Patients may be taking an HMG-coA-reductase inhibitor\n"
            "(e.g., monoclonal antibody, EGFR inhibitors, VEGF receptor inhibitors) for the treatment\n"
            "including cytotoxic therapy, signal transduction inhibitors, immunotherapy\n"
            "Patients treated with Vitamin K antagonist such as Warfarin.\n"
            "Mirabegron: FDA-approved, beta 3 agonist for over active bladder")
    classes = [t for t, label, *_ in drugs(nlp, text) if label == "DRUG_CLASS"]
    assert classes == ["HMG-coA-reductase inhibitor", "monoclonal antibody", "EGFR inhibitors",
                       "VEGF receptor inhibitors", "cytotoxic therapy", "signal transduction inhibitors",
                       "immunotherapy", "Vitamin K antagonist", "beta 3 agonist"]


def test_free_word_before_a_target_is_never_a_verb_or_a_number(nlp):
    # NCT00000882, NCT00493090: ``changing`` and ``twelve`` stay out of the class span
    text = ("when adding or changing protease inhibitors in a regimen.\n"
            "- Using in excess of twelve beta2 agonists during a twelve month period")
    classes = [t for t, label, *_ in drugs(nlp, text) if label == "DRUG_CLASS"]
    assert classes == ["protease inhibitors", "beta2 agonists"]


def test_family_modifiers_and_singular_class_nouns(nlp):
    # NCT00002062, NCT00769041, NCT00005574, NCT00493779, NCT00000539
    text = ("Consideration must be given to the fact that spiramycin is a macrolide antibiotic.\n"
            "Known allergy to any quinolone antibiotic.\n"
            "Must not have concomitant use of aminoglycoside or other nephrotoxic agent.\n"
            "- Subjects receiving a statin\n"
            "people with PAD who are also receiving lipid modifying agents.")
    classes = [t for t, label, *_ in drugs(nlp, text) if label == "DRUG_CLASS"]
    assert classes == ["macrolide antibiotic", "quinolone antibiotic", "aminoglycoside", "nephrotoxic agent",
                       "statin", "lipid modifying agents"]


def test_slash_joined_targets_make_one_class_but_two_drugs_stay_drugs(nlp):
    # NCT05466149, NCT06050980, NCT00005762
    text = ("prior platinum-based chemotherapy (with or without anti-PD1/PD-L1 agents) in the advanced setting.\n"
            "receiving long-term anticoagulant/antiplatelet therapy;\n"
            "to add a second PI to the APV/EFV drug combination for 2 more weeks")
    found = [(t, label) for t, label, *_ in drugs(nlp, text)]
    assert ("anti-PD1/PD-L1 agents", "DRUG_CLASS") in found
    assert ("anticoagulant/antiplatelet therapy", "DRUG_CLASS") in found
    assert ("APV", "DRUG") in found and ("EFV", "DRUG") in found
    assert not any("APV/" in t for t, _ in found)


def test_target_before_a_class_acronym_and_generation_words(nlp):
    # NCT04007835, NCT06644495, NCT05994131
    text = ("Anlotinib Hydrochloride combined with EGFR TKIs in treating Advanced NSCLC.\n"
            "* Patients who had previously been treated with ALK-TKI, but\n"
            "IN10018 in combination with third-generation EGFR-TKI in subjects")
    classes = [t for t, label, *_ in drugs(nlp, text) if label == "DRUG_CLASS"]
    assert classes == ["EGFR TKIs", "ALK-TKI", "third-generation EGFR-TKI"]


def test_releasing_hormone_analogue_is_one_class(nlp):
    # NCT00004330, NCT00931528
    text = ("All patients receive a gonadotropin-releasing hormone (GnRH) analogue.\n"
            "7. Use of luteinizing hormone-releasing hormone (LHRH) agonist androgen suppression")
    classes = [t for t, label, *_ in drugs(nlp, text) if label == "DRUG_CLASS"]
    assert classes == ["gonadotropin-releasing hormone (GnRH) analogue",
                       "luteinizing hormone-releasing hormone (LHRH) agonist"]


def test_labelled_antibody_product_is_not_cut_by_a_class(nlp):
    # NCT00003920: ``monoclonal`` alone is no class modifier (radiolabelled antibody names stay drugs)
    text = "RADIATION: indium In 111 monoclonal antibody Lym-1|RADIATION: yttrium Y 90 monoclonal antibody Lym-1"
    found = [(t, label) for t, label, *_ in drugs(nlp, text)]
    assert found == [("indium In 111 monoclonal antibody Lym-1", "DRUG"), ("yttrium Y 90 monoclonal antibody Lym-1", "DRUG")]


def test_hyphen_and_space_spellings_of_a_class_modifier(nlp):
    # NCT02219646 (nitric-oxide donors) and registry spellings of the same classes with a hyphen or a space
    text = ("severe hepatic failure, nitric-oxide donors therapy, tyrosine-kinase inhibitors, "
            "proton-pump inhibitors and platinum based chemotherapy.")
    classes = [t for t, label, *_ in drugs(nlp, text) if label == "DRUG_CLASS"]
    assert classes == ["nitric-oxide donors", "tyrosine-kinase inhibitors", "proton-pump inhibitors",
                       "platinum based chemotherapy"]


def test_class_name_before_receptor_is_no_therapy(nlp):
    # a listed class word naming a receptor (a biomarker) is not a class mention; a mechanism phrase over the
    # receptor still is; a therapy a condition is named after stays (``hormone therapy resistance``, NCT00004045)
    text = ("Glucocorticoid receptor expression was measured. No mineralocorticoid receptor antagonists. "
            "Documented hormone therapy resistance.")
    classes = [t for t, label, *_ in drugs(nlp, text) if label == "DRUG_CLASS"]
    assert classes == ["mineralocorticoid receptor antagonists", "hormone therapy"]


def test_agent_antibody_and_vaccine_heads_keep_a_following_therapy_word(nlp):
    # registry wording (NCT00002184, NCT00001493): the class phrase ends with therapy, after an inhibitor
    # head too (GUIDE_ISSUES 4: `protease inhibitor therapy`; train gold 3 of 3; dev seed_004 differs)
    text = ("Antiretroviral vaccine therapy within 60 days of baseline. Consolidation uses high-dose single "
            "alkylating agent therapy. Prior multi-kinase inhibitor therapy.")
    classes = [t for t, label, *_ in drugs(nlp, text) if label == "DRUG_CLASS"]
    assert classes == ["Antiretroviral vaccine therapy", "alkylating agent therapy", "multi-kinase inhibitor therapy"]


def test_lowering_modifiers_make_classes(nlp):
    # registry wording (NCT00002862, NCT00003219)
    text = "No concurrent cholesterol-lowering agents. No concurrent cholesterol lowering agents or glucose-lowering drugs."
    classes = [t for t, label, *_ in drugs(nlp, text) if label == "DRUG_CLASS"]
    assert classes == ["cholesterol-lowering agents", "cholesterol lowering agents", "glucose-lowering drugs"]


def test_spaced_development_code_and_who_spellings(nlp):
    # registry wording (NCT00002393): DMP 266 is efavirenz's code, not a name DMP
    text = ("A Study of Indinavir Taken With or Without DMP 266. Control immunogens are aluminum hydroxide "
            "and hyperbaric oxygen.")
    found = drug_names(nlp, text)
    assert found == [("Indinavir", "indinavir"), ("DMP 266", "efavirenz"),
                     ("aluminum hydroxide", "aluminium hydroxide"), ("hyperbaric oxygen", "oxygen")]


def test_recombinant_stays_in_the_drug_span(nlp):
    # registry wording: "Recombinant erythropoietin." and "With or Without Recombinant Interleukin-2"
    text = "Excluded: Recombinant erythropoietin. Infused With or Without Recombinant Human Interleukin-2 daily."
    found = [t for t, label, *_ in drugs(nlp, text) if label == "DRUG"]
    assert found == ["Recombinant erythropoietin", "Recombinant Human Interleukin-2"]


def test_placebo_administration_is_placebo(nlp):
    text = "Arm II: Patients receive placebo IV on day 0. Placebo administration continues on the same schedule."
    found = [t for t, label, *_ in drugs(nlp, text) if label == "DRUG"]
    assert found == ["placebo", "Placebo"]


def test_antibody_test_results_are_no_class(nlp):
    # registry wording (NCT00000740, NCT00000662): a serology result, not a drug class
    text = "Patients must have: - HIV antibody positive. - Patient must be HIV antibody-positive. Prior monoclonal antibody therapy."
    classes = [t for t, label, *_ in drugs(nlp, text) if label == "DRUG_CLASS"]
    assert classes == ["monoclonal antibody therapy"]


def test_trial_protocol_numbers_are_no_class_target(nlp):
    # registry wording (ACTG 328 treatment, ACTG 315 regimen): another protocol's treatment, not a class
    text = "Patients completing the ACTG 328 treatment may enroll. Patients on the ACTG 315 regimen. Prior PDE5 inhibitors."
    classes = [t for t, label, *_ in drugs(nlp, text) if label == "DRUG_CLASS"]
    assert classes == ["PDE5 inhibitors"]


def test_a_four_character_code_spelled_with_a_hyphen_is_the_same_drug(nlp):
    text = "BIOLOGICAL: MF59\nPlacebo vaccine (MF-59 adjuvant emulsion in citrate buffer)."
    found = [(t, n) for t, label, n, *_ in drugs(nlp, text) if t in ("MF59", "MF-59")]
    assert found == [("MF59", "mf59"), ("MF-59", "mf59")]


def test_envelope_protein_with_its_strain_is_one_drug(nlp):
    # registry wording (NCT00000774, NCT00000762)
    text = ("BIOLOGICAL: rgp120/HIV-1MN|BIOLOGICAL: rgp120/HIV-1 SF-2\n"
            "Patients receive rgp120/HIV-1SF2 with MF59 adjuvant emulsion IV.")
    found = [(t, n) for t, label, n, *_ in drugs(nlp, text) if label == "DRUG" and t != "MF59"]
    assert found == [("rgp120/HIV-1MN", "rgp120/hiv-1mn"), ("rgp120/HIV-1 SF-2", "rgp120/hiv-1 sf-2"),
                     ("rgp120/HIV-1SF2", "rgp120/hiv-1sf2")]


def test_quantity_adjective_of_a_title_is_no_drug(nlp):
    # registry wording (NCT00479505)
    text = ("Study The Effects Of Different Doses Of UK-369,003 In Men With Overactive Bladder\n"
            "Different doses of UK-369,003 will be administered.\nDRUG: UK-369,003|DRUG: Placebo")
    found = [t for t, label, *_ in drugs(nlp, text) if label == "DRUG"]
    assert "Different" not in found and found.count("UK-369,003") == 3


def test_corpus_lexicon_noise_names_are_fixed(nlp):
    # place and person names the registry lexicon had tied to a drug, and wrong canonicals
    text = "Patients in Seoul receive Haldol, Genoxal and Erwinia asparaginase; Teresa was consented."
    found = drug_names(nlp, text)
    assert found == [("Haldol", "haloperidol"), ("Genoxal", "cyclophosphamide"),
                     ("Erwinia asparaginase", "crisantaspase")]


def test_vaccines_against_hiv_is_one_class(nlp):
    # registry wording (train gold: vaccines against HIV, vaccinations against HIV are one span each)
    text = "Development of safe and effective vaccines against HIV. Excluded: Any prior vaccinations against HIV."
    classes = [t for t, label, *_ in drugs(nlp, text) if label == "DRUG_CLASS"]
    assert classes == ["vaccines against HIV", "vaccinations against HIV"]


def test_bisphosphonate_anion_names_normalize_to_the_who_acid_inn(nlp):
    # registry wording (NCT00000412, NCT00004184-like lists); WHO INNs are the -dronic acids
    text = ("Evaluate the efficacy and safety of calcitriol (Rocaltrol) and alendronate sodium (Fosamax). "
            "Excluded: prior pamidronate, zoledronate, risedronate or Bondronat.")
    found = drug_names(nlp, text)
    assert found == [("calcitriol", "calcitriol"), ("Rocaltrol", "calcitriol"),
                     ("alendronate sodium", "alendronic acid"), ("Fosamax", "alendronic acid"),
                     ("pamidronate", "pamidronic acid"), ("zoledronate", "zoledronic acid"),
                     ("risedronate", "risedronic acid"), ("Bondronat", "ibandronic acid")]


def test_adjuvants_growth_factors_and_cannabis_are_drugs(nlp):
    # registry wording (NCT00004184, NCT00003957, NCT00000458); train gold: alum -> aluminium
    # hydroxide, stem cell factor (SCF) -> ancestim, marijuana -> cannabis
    text = "Arm II: Patients receive 4B5 plus alum SQ on days 0, 14, 28, and 42."
    assert ("alum", "DRUG", "aluminium hydroxide") in [d[:3] for d in drugs(nlp, text)]
    text = "Filgrastim (G-CSF) and stem cell factor (SCF) are administered subcutaneously."
    found = drug_names(nlp, text)
    assert found == [("Filgrastim", "filgrastim"), ("G-CSF", "filgrastim"),
                     ("stem cell factor", "ancestim"), ("SCF", "ancestim")]
    text = "- Any psychoactive substance abuse (other than nicotine or marijuana) within 30 days."
    assert [(t, n) for t, label, n, *_ in drugs(nlp, text) if t == "marijuana"] == [("marijuana", "cannabis")]
    text = "Excluded: - Marijuana use."
    assert [t for t, label, *_ in drugs(nlp, text) if label == "DRUG"] == []


def test_anticoagulation_and_class_short_forms(nlp):
    # registry wording (NCT00000572, NCT04771442, NCT00817830)
    text = "Exclusion Criteria: 1. Contraindication to anti-coagulation (for example, gastrointestinal bleeding)"
    assert [t for t, label, *_ in drugs(nlp, text) if label == "DRUG_CLASS"] == ["anti-coagulation"]
    text = "1. Taking the medication Coumadin, Warfarin or NOAK (new oral anticoagulant). 2. Unable"
    assert [t for t, label, *_ in drugs(nlp, text) if label == "DRUG_CLASS"] == ["NOAK", "new oral anticoagulant"]
    text = "Phosphodiesterase 5 inhibitors (iPDE5) are effective drugs to treat erectile dysfunction."
    assert [t for t, label, *_ in drugs(nlp, text) if label == "DRUG_CLASS"] == [
        "Phosphodiesterase 5 inhibitors", "iPDE5"]


def test_unnamed_cell_product_trial_lists_no_drug_of_its_own(nlp):
    # train doc elig_NCT04771442: the intervention is autologous stromal vascular fraction (an
    # unnamed cell product, not tagged); the exclusion criteria's drugs are other, not the trial's
    text = (ANNOTATIONS / "docs" / "elig_NCT04771442.txt").read_text(encoding="utf-8")
    found = drugs(nlp, text)
    assert not any("stromal" in t.lower() for t, *_ in found)
    assert [(t, r) for t, label, n, _, r in found if t in ("Coumadin", "Warfarin")] == [
        ("Coumadin", "other"), ("Warfarin", "other")]


def test_class_name_before_a_biomarker_word_is_not_a_class(nlp):
    # registry wording (NCT00002653, NCT00002879): immunoglobulin chains and genes are biomarkers
    text = ("- Monoclonal plasmacytosis with immunoglobulin light-chain expression in cytoplasm. "
            "Detect rearrangements involving the bcl-1 gene and immunoglobulin heavy chain locus.")
    assert [t for t, label, *_ in drugs(nlp, text) if label == "DRUG_CLASS"] == []
    text = "Patients may receive intravenous immunoglobulin and have surface immunoglobulin\n  expression."
    assert [(t, label) for t, label, *_ in drugs(nlp, text)] == [("intravenous immunoglobulin", "DRUG")]


def test_vaccination_as_one_administration_is_not_a_class(nlp):
    # registry wording (NCT00000829, NCT00001076, NCT00004880): "the third vaccination" and
    # "vaccination schedule" name events; "receive vaccination with ..." names the therapy
    text = ("Immunogenic following the third vaccination. An accelerated vaccination schedule. "
            "Arm I: Patients receive vaccination with irradiated autologous tumor lysate.")
    classes = [(e.text, e.start_char) for e in nlp(text).ents if e.label_ == "DRUG_CLASS"]
    assert classes == [("vaccination", text.index("vaccination with"))]


def test_combination_brands_normalize_to_their_sorted_components(nlp):
    # registry exclusion lists (ctgov records of the HIV era); train gold: Augmentin ->
    # amoxicillin+clavulanic acid, Fansidar -> pyrimethamine+sulfadoxine
    text = "Excluded: Amoxicillin/clavulanate acid (Augmentin), Dapsone, Fansidar, Malarone or Zosyn."
    found = drug_names(nlp, text)
    assert ("Augmentin", "amoxicillin+clavulanic acid") in found
    assert ("Fansidar", "pyrimethamine+sulfadoxine") in found
    assert ("Malarone", "atovaquone+proguanil") in found
    assert ("Zosyn", "piperacillin+tazobactam") in found


def test_setting_words_of_a_chemotherapy_stay_in_the_class_span(nlp):
    # registry wording (NCT00002665, NCT00002489); train gold: consolidation antibody therapy,
    # posttransplant immunotherapy, primary chemotherapy (batch 9) keep the setting word
    text = ("Patients receive induction chemotherapy consisting of daunorubicin. Patients with no response "
            "receive salvage chemotherapy on Regimen B. Patients then begin posttransplant immunotherapy.")
    classes = [t for t, label, *_ in drugs(nlp, text) if label == "DRUG_CLASS"]
    assert classes == ["induction chemotherapy", "salvage chemotherapy", "posttransplant immunotherapy"]


def test_drug_based_chemotherapy_is_one_class(nlp):
    # NCT00002487: like cyclophosphamide-containing chemotherapy (train gold: cisplatin-based chemotherapy)
    found = drugs(nlp, "Ovarian cancer that is recurrent after or refractory to cisplatin-based chemotherapy.")
    assert [(t, label) for t, label, *_ in found] == [("cisplatin-based chemotherapy", "DRUG_CLASS")]


def test_vaccination_after_a_time_word_is_a_time_point(nlp):
    # NCT00001512 and vaccine outcome wording: a time point, not a therapy
    text = ("Record symptoms for the three consecutive days following vaccination. "
            "Titers post-vaccination and pre-vaccination were compared.")
    assert [t for t, label, *_ in drugs(nlp, text) if label == "DRUG_CLASS"] == []


def test_singular_class_names_and_a_drug_salt(nlp):
    # NCT00817830, NCT00000429, NCT00000120
    text = ("Exclusion Criteria: * Use of nitrate; * Use of bronchodilators. "
            "Participants take one multivitamin containing 400 IU of vitamin D. "
            "However, silver nitrate may irritate the eyes.")
    found = [(t, label) for t, label, *_ in drugs(nlp, text)]
    assert [t for t, label in found if label == "DRUG_CLASS"] == ["nitrate", "bronchodilators", "multivitamin"]
    assert ("silver nitrate", "DRUG") in found


def test_closed_up_non_nucleoside_modifier(nlp):
    # NCT00000882: the closed-up spelling of non-nucleoside (train gold keeps non-nucleoside in the span)
    found = drugs(nlp, "whether to continue 3TC or substitute the nonnucleoside reverse transcriptase inhibitor (NNRTI) DLV")
    assert [t for t, label, *_ in found if label == "DRUG_CLASS"] == [
        "nonnucleoside reverse transcriptase inhibitor", "NNRTI",
    ]


def test_published_codes_and_recombinant_cytokines_take_their_inn(nlp):
    # registry wording; BG9588 is hu5c8 (INN ruplizumab), HuG1-M195/HuM195 is lintuzumab,
    # recombinant IL-4 is binetrakin (WHO INN); RX-10100 (brand Zoraxel) has no INN
    text = ("A Study to Evaluate the Efficacy, Safety and Pharmacokinetics of BG9588 (Anti-CD40L Antibody) "
            "in Subjects With Lupus Nephritis.")
    assert drug_names(nlp, text) == [("BG9588", "ruplizumab")]
    text = "To determine the safety and tolerance of interleukin-4 (IL-4) in patients with AIDS."
    assert drug_names(nlp, text) == [
        ("interleukin-4", "binetrakin"), ("IL-4", "binetrakin")]
    text = "Patients receive monoclonal antibody HuG1-M195 (MOAB HuM195) IV over 4 hours on days 6-9."
    assert drug_names(nlp, text) == [
        ("monoclonal antibody HuG1-M195", "lintuzumab"), ("MOAB HuM195", "lintuzumab")]
    text = "Patients will receive RX-10100 (Zoraxel) or placebo."
    assert drug_names(nlp, text) == [
        ("RX-10100", "rx-10100"), ("Zoraxel", "rx-10100"), ("placebo", "placebo")]


def test_antibacterials_missing_from_the_corpus_keep_their_own_name(nlp):
    # eligibility wording of registry records; norfloxacin was fuzzy-matched to ofloxacin
    text = "Excluded: norfloxacin, cefepime or meropenem within 7 days; ofloxacin is allowed."
    found = drug_names(nlp, text)
    assert found == [("norfloxacin", "norfloxacin"), ("cefepime", "cefepime"), ("meropenem", "meropenem"),
                     ("ofloxacin", "ofloxacin")]


def test_pdq_moab_names_keep_antibody_adjectives_and_line_wraps(nlp):
    # PDQ outline wording (humanized MOAB A33, a MOAB name wrapped at a line end)
    found = [(t, label) for t, label, *_ in drugs(nlp, "Patients receive humanized MOAB A33 IV once a week for 14 weeks.")]
    assert found == [("humanized MOAB A33", "DRUG")]
    text = "Patients then receive monoclonal antibody HuG1-M195 (MOAB\r\n      HuM195) IV over 4 hours on days 6-9."
    found = [t for t, label, *_ in drugs(nlp, text) if label == "DRUG"]
    assert found == ["monoclonal antibody HuG1-M195", "MOAB\r\n      HuM195"]


def test_route_and_dosage_form_words_stay_outside_lexicon_names(nlp):
    # "oral glycopyrrolate liquid" is a registry intervention name: the form words are not the drug's
    text = "Patients participating in the study will receive oral glycopyrrolate liquid (1 mg/5 ml) three times a day."
    found = [(t, label, n) for t, label, n, *_ in drugs(nlp, text)]
    assert found == [("glycopyrrolate", "DRUG", "glycopyrronium")]


def test_chemical_family_class_names(nlp):
    text = "Patients must not be taking antibiotics, and insulin/biguanides/sulphonylureas."
    found = [(t, label) for t, label, *_ in drugs(nlp, text)]
    assert found == [("antibiotics", "DRUG_CLASS"), ("insulin", "DRUG"), ("biguanides", "DRUG_CLASS"),
                     ("sulphonylureas", "DRUG_CLASS")]


def test_therapy_word_after_a_regimen_acronym_is_not_a_class(nlp):
    text = "Patients receive CHOP chemotherapy comprising cyclophosphamide IV over 15 minutes."
    assert [(t, label) for t, label, *_ in drugs(nlp, text)] == [("CHOP", "DRUG"), ("cyclophosphamide", "DRUG")]
    text = "Patients in CR after 6 courses receive 2 additional courses of\r\n      CHOP therapy."
    assert [(t, label) for t, label, *_ in drugs(nlp, text)] == [("CHOP", "DRUG")]
    # a class word after a single drug's name stays a class
    text = "No prior platinum-based chemotherapy."
    assert [(t, label) for t, label, *_ in drugs(nlp, text)] == [("platinum-based chemotherapy", "DRUG_CLASS")]


def test_product_names_and_missing_salts_leave_the_canonical():
    from extractor.drugs import _name_rules, canonical_name
    from extractor.resources import read_data

    rules = _name_rules(read_data("drug_code_slots.json"))
    names = {"glycopyrrolate": "glycopyrronium", "bromfenac": "bromfenac", "cytarabine": "cytarabine"}
    inns = frozenset(names.values())
    # a route word before, a dosage-form word after: the rest is the lexicon's drug
    assert canonical_name("oral glycopyrrolate liquid", names, inns, rules) == "glycopyrronium"
    assert canonical_name("glycopyrrolate liquid", names, inns, rules) == "glycopyrronium"
    assert canonical_name("bromfenac ophthalmic solution", names, inns, rules) == "bromfenac"
    assert canonical_name("intrathecal cytarabine", names, inns, rules) == "cytarabine"
    # a rest the lexicon does not know stays as it is
    assert canonical_name("topical gel", names, inns, rules) == "topical gel"
    assert canonical_name("human fibrinogen concentrate", names, inns, rules) == "human fibrinogen concentrate"
    assert canonical_name("lapatinib ditosylate", names, inns, rules) == "lapatinib"


def test_brands_and_descriptive_names_take_the_generic_name(nlp):
    # registry wordings (spasticity, erectile dysfunction and angina trials)
    text = ("Patients who receive routine clinical Botox injections for upper extremity spasticity. "
            "Botulinum toxin type A or Trimix is injected. Nitrostat is taken sublingually. "
            "Patients receive Glycopyrrolate liquid orally.")
    found = drug_names(nlp, text)
    assert found == [("Botox", "onabotulinumtoxina"), ("Botulinum toxin type A", "onabotulinumtoxina"),
                     ("Trimix", "alprostadil+papaverine+phentolamine"), ("Nitrostat", "glyceryl trinitrate"),
                     ("Glycopyrrolate", "glycopyrronium")]


def test_moab_short_form_replaces_its_code_named_as_itself(nlp):
    # PDQ outline of a legacy registry record
    text = ("OUTLINE: This is a dose escalation study of humanized monoclonal antibody A33 (MOAB A33). "
            "Patients receive humanized MOAB A33 IV once a week for 14 weeks.")
    found = drug_names(nlp, text)
    assert found == [("humanized monoclonal antibody A33", "monoclonal antibody a33"), ("MOAB A33", "monoclonal antibody a33"),
                     ("humanized MOAB A33", "monoclonal antibody a33")]


def test_moab_short_form_keeps_the_name_its_code_already_had(nlp):
    # PDQ outline wordings: a code the lexicon knows keeps its drug; a wrap after a space is still one name
    found = [(t, n) for t, label, n, *_ in drugs(nlp, "Patients receive MOAB C225 IV weekly.") if label == "DRUG"]
    assert found == [("MOAB C225", "cetuximab")]
    found = [(t, n) for t, label, n, *_ in drugs(nlp, "Patients receive MOAB \n      HuM195 IV.") if label == "DRUG"]
    assert found == [("MOAB \n      HuM195", "lintuzumab")]


def test_short_form_spelled_out_in_parentheses_takes_the_long_form(nlp):
    # registry wording (a wound-healing trial)
    text = ("Secretory Leukocyte Protease Inhibitor (SLPI) peptide as a treatment for impaired wound healing. "
            "Topical administration of SLPI or placebo.")
    found = [(t, label, n) for t, label, n, *_ in drugs(nlp, text)]
    assert found == [("Secretory Leukocyte Protease Inhibitor", "DRUG", "secretory leukocyte protease inhibitor")] + [
        ("SLPI", "DRUG", "secretory leukocyte protease inhibitor")] * 2 + [("placebo", "DRUG", "placebo")]
    # initials that do not spell the short form leave it as it is
    text = "Protease Inhibitor of Leukocytes (SLPI) peptide. Topical administration of SLPI or placebo."
    assert [n for t, label, n, *_ in drugs(nlp, text) if t == "SLPI"] == ["slpi", "slpi"]


def test_regimen_acronym_after_a_serial_comma_names_all_its_drugs(nlp):
    # PDQ outline wording (legacy registry records)
    text = "Patients receive mitoxantrone, etoposide, and cytarabine (MEC) IV over 1 hour."
    found = drug_names(nlp, text)
    assert found == [("mitoxantrone", "mitoxantrone"), ("etoposide", "etoposide"), ("cytarabine", "cytarabine"),
                     ("MEC", "cytarabine+etoposide+mitoxantrone")]


def test_agent_count_words_lead_a_chemotherapy_class(nlp):
    # registry records NCT00002487, NCT00003376, NCT00004008, NCT00499109 (train gold keeps the words:
    # Single-Agent Chemotherapy, 4-Drug Combination Chemotherapy); 'single agent therapy' stays vague
    text = ("OUTLINE: Nonrandomized study. Single-Agent Chemotherapy with Chemopotentiation. "
            "PURPOSE: Randomized phase III trial to compare the effectiveness of four-drug combination\n"
            "      chemotherapy with that of two-drug combination chemotherapy in treating patients. "
            "No more than 2 prior multidrug chemotherapy regimens. "
            "In arm E, treatment of dual-agent chemotherapy will be selected based on expression. "
            "The other drug may be continued as single agent therapy in the absence of progression.")
    classes = [t for t, label, *_ in drugs(nlp, text) if label == "DRUG_CLASS"]
    assert classes == ["Single-Agent Chemotherapy", "four-drug combination\n      chemotherapy",
                       "two-drug combination chemotherapy", "multidrug chemotherapy regimens",
                       "dual-agent chemotherapy"]


def test_common_concomitant_and_anaesthesia_drugs_missing_from_the_corpus(nlp):
    # eligibility lists and procedure drugs of registry records (NCT00006355,
    # NCT00000776, NCT00000261): names the corpus never lists as interventions
    text = ("No concurrent drugs that induce hepatic metabolic enzymes (e.g., phenytoin, carbamazepine, "
            "phenobarbital, primidone, or felbamate)")
    found = {(t, n) for t, label, n, _, _ in drugs(nlp, text) if label == "DRUG"}
    assert found == {("phenytoin", "phenytoin"), ("carbamazepine", "carbamazepine"),
                     ("phenobarbital", "phenobarbital"), ("primidone", "primidone"), ("felbamate", "felbamate")}
    found = drugs(nlp, "Concurrent Medication: Excluded: - Acetazolamide, mannitol, urea preparations.")
    assert [(t, n) for t, label, n, _, _ in found if label == "DRUG"] == [
        ("Acetazolamide", "acetazolamide"), ("mannitol", "mannitol")]
    found = drugs(nlp, "Effects of Alcohol History on Effects of Sevoflurane and Nitrous Oxide")
    assert ("Sevoflurane", "DRUG", "sevoflurane") in [f[:3] for f in found]
    found = drugs(nlp, "Rocuronium 0.6 mg/kg and dexmedetomidine are given at induction.")
    assert [(t, n) for t, label, n, _, _ in found if label == "DRUG"] == [
        ("Rocuronium", "rocuronium"), ("dexmedetomidine", "dexmedetomidine")]


def test_vitamins_brands_and_us_names_take_the_who_inn(nlp):
    # NCT00000161, NCT00001789: the whole vitamin name, not its letter and number
    text = "a combination of folate (800 mg daily), vitamin B6 (25 mg daily), and vitamin B12 (1 mg daily)"
    found = [(t, n) for t, label, n, _, _ in drugs(nlp, text) if label == "DRUG"]
    assert ("vitamin B6", "pyridoxine") in found and ("vitamin B12", "cyanocobalamin") in found
    text = "including cyclophosphamide (Cytoxan), azothioprine (Imuran) and prednisone."
    found = {(t, n) for t, label, n, _, _ in drugs(nlp, text) if label == "DRUG"}
    assert {("azothioprine", "azathioprine"), ("Imuran", "azathioprine")} <= found
    found = drugs(nlp, "Patients receive DHEA orally once daily.")
    assert [(t, n) for t, label, n, _, _ in found if label == "DRUG"] == [("DHEA", "prasterone")]
    found = drugs(nlp, "Patients receive vitamin D 1000 IU daily.")
    assert [(t, n) for t, label, n, _, _ in found if label == "DRUG"] == [("vitamin D", "colecalciferol")]


def test_a_drug_name_before_deficiency_names_a_condition(nlp):
    # NCT00006196, NCT00004426
    text = "Many elderly have vitamin D resistance resulting in a functional vitamin D deficiency state."
    assert [t for t, label, *_ in drugs(nlp, text) if label == "DRUG"] == []
    assert drugs(nlp, "No metabolic disease No endocrine disease No growth hormone deficiency") == []
    found = drugs(nlp, "Patients with folic acid deficiency receive folic acid 5 mg daily.")
    assert [(f[0], f[1]) for f in found] == [("folic acid", "DRUG")]
    assert found[0][0] == "folic acid"


def test_common_drugs_close_to_another_name_keep_their_own_inn(nlp):
    # eligibility wording of registry records: famciclovir had been fuzzy-matched
    # to aciclovir, pitavastatin to pravastatin, eszopiclone took its brand's name
    text = "Excluded: Use of acyclovir, famciclovir, foscarnet, ganciclovir or pitavastatin; eszopiclone."
    found = drug_names(nlp, text)
    assert found == [("acyclovir", "aciclovir"), ("famciclovir", "famciclovir"), ("foscarnet", "foscarnet"),
                     ("ganciclovir", "ganciclovir"), ("pitavastatin", "pitavastatin"), ("eszopiclone", "eszopiclone")]


def test_a_short_form_after_hyphen_joined_names_names_the_combination(nlp):
    # review of the twelfth curated part: sulfadoxine and proguanil alone split the hyphenated
    # combinations (two mentions, GUIDE_ISSUES 11); the short form after them names both drugs,
    # sorted and joined by + as the train gold names a combination's short form (XT, TL, AC)
    found = drugs(nlp, "Sulfadoxine-pyrimethamine (SP) was given.")
    assert [(t, label, n) for t, label, n, *_ in found] == [
        ("Sulfadoxine", "DRUG", "sulfadoxine"), ("pyrimethamine", "DRUG", "pyrimethamine"),
        ("SP", "DRUG", "pyrimethamine+sulfadoxine")]
    found = drugs(nlp, "Patients received atovaquone-proguanil (AP) daily.")
    assert [(t, n) for t, _, n, *_ in found] == [
        ("atovaquone", "atovaquone"), ("proguanil", "proguanil"), ("AP", "atovaquone+proguanil")]
    # a spaced dash is not a joined name: the short form names the drug before it
    found = drugs(nlp, "Rescue with ondansetron - granisetron (GR) was given.")
    assert [(t, n) for t, _, n, *_ in found] == [
        ("ondansetron", "ondansetron"), ("granisetron", "granisetron"), ("GR", "granisetron")]


def test_measured_substances_test_agents_and_procedures_are_not_drugs(nlp):
    # review of the twelfth curated part: words after a name (concentrations, ratio, status, challenge,
    # stress) and before it (serum, levels of) carry through a list of names
    for text in ("Change in serum DHEA-S and cortisone concentrations.", "Cortisol and cortisone ratio in urine.",
                 "Serum vitamin B12 and folic acid levels at screening.",
                 "Levels of folic acid, thiamine and vitamin B12 in serum.",
                 "Intestinal permeability by lactulose/mannitol ratio.", "Mannitol challenge test",
                 "Patients undergo dobutamine stress echocardiography.",
                 "Thiamine levels and riboflavin status were assessed."):
        assert drugs(nlp, text) == [], text
    doc = nlp("Thiamine levels and riboflavin status were assessed.")
    assert [(e.text, e.label_) for e in doc.ents] == [("Thiamine levels and riboflavin status", "ENDPOINT")]
    # the words do not reach a drug given after the measured one, nor one before it outside the list
    found = drugs(nlp, "Thiamine levels were low, and folic acid 5 mg was given. Mannitol was given before the ratio.")
    assert [(t, n) for t, _, n, *_ in found] == [("folic acid", "folic acid"), ("Mannitol", "mannitol")]
    # a dose level is not a measured level (train gold: 'four dose levels of IL-4'), nor is a placebo measured
    found = drugs(nlp, "Four dose levels of IL-4 and paclitaxel were given. A 2 to 1 vaccine-to-placebo ratio.")
    assert [(t, n) for t, _, n, *_ in found] == [("IL-4", "binetrakin"), ("paclitaxel", "paclitaxel"),
                                                  ("placebo", "placebo")]
    found = drugs(nlp, "Patients receive dose\r\n      levels of bryostatin 1 and paclitaxel.")
    assert [(t, n) for t, _, n, *_ in found] == [("bryostatin 1", "bryostatin 1"), ("paclitaxel", "paclitaxel")]


def test_hyoscine_butylbromide_is_butylscopolamine(nlp):
    # review of the twelfth curated part: hyoscine butylbromide (Buscopan) is another substance
    # than hyoscine (WHO INN butylscopolamine bromide)
    found = drugs(nlp, "Hyoscine butylbromide 20 mg IV was given. Scopolamine butylbromide (Buscopan) or hyoscine.")
    assert [(t, n) for t, _, n, *_ in found] == [
        ("Hyoscine butylbromide", "butylscopolamine"), ("Scopolamine butylbromide", "butylscopolamine"),
        ("Buscopan", "butylscopolamine"), ("hyoscine", "hyoscine")]


def test_class_coordination_and_graded_transporters(nlp):
    # review of round cls14: the coordinated vaccine class reads the same in either order, weak coordinates
    # like moderate, and potent grades a transporter's inhibitors like a CYP enzyme's
    for text, expected in (("Subunit or killed vaccines are not allowed.", ["Subunit or killed vaccines"]),
                           ("Killed or subunit vaccines are not allowed.", ["Killed or subunit vaccines"]),
                           ("Potent P-gp inhibitors are not allowed.", ["Potent P-gp inhibitors"]),
                           ("Weak or moderate CYP3A4 inhibitors are not allowed.",
                            ["Weak or moderate CYP3A4 inhibitors"]),
                           ("Potent P-glycoprotein inhibitors and potent BCRP inhibitors.",
                            ["Potent P-glycoprotein inhibitors", "potent BCRP inhibitors"]),
                           ("A potent inhibitor of PDE5 was given.", ["inhibitor of PDE5"])):
        assert [t for t, label, *_ in drugs(nlp, text) if label == "DRUG_CLASS"] == expected, text


def test_l_amino_acids_and_hormones_take_their_inn(nlp):
    # registry wording (NCT00004940, NCT00001232, NCT00006394); train gold: L-arginine -> arginine,
    # GnRH / gonadotropin releasing hormone -> gonadorelin, growth hormone -> somatropin
    text = "Patients are administered L-cysteine orally twice daily. Patients receive L-arginine or placebo."
    found = drug_names(nlp, text)
    assert found == [("L-cysteine", "cysteine"), ("L-arginine", "arginine"), ("placebo", "placebo")]
    text = "Patients receive intravenous doses of gonadotropin releasing hormone (GnRH)."
    found = drug_names(nlp, text)
    assert found == [("gonadotropin releasing hormone", "gonadorelin"), ("GnRH", "gonadorelin")]
    text = "Arm I: Patients receive growth hormone subcutaneously daily for 2 years."
    found = drug_names(nlp, text)
    assert found == [("growth hormone", "somatropin")]


def test_whole_pegylated_name_wins_over_the_shorter_name_inside(nlp):
    # registry wording (NCT00491179): the lexicon's "pegylated ifn alfa-2a" names the whole span,
    # not "ifn alfa-2a" extended by the form word
    text = "patients treated with pegylated IFN alfa-2a than those treated with pegylated IFN alfa-2b."
    found = drug_names(nlp, text)
    assert found == [("pegylated IFN alfa-2a", "peginterferon alfa-2a"),
                     ("pegylated IFN alfa-2b", "peginterferon alfa-2b")]
    text = "Arm A: IFN alfa-2b three times weekly."
    assert drug_names(nlp, text) == [("IFN alfa-2b", "interferon alfa-2b")]


def test_regimen_acronym_letters_may_come_from_brand_names(nlp):
    # registry records NCT00003352 (A: Adriamycin) and NCT00002802 (A: Adriamycin), line wraps kept
    text = ("OBJECTIVES: I. Determine the overall response rate to doxorubicin, docetaxel, and\r\n"
            "      cyclophosphamide (ATC) in women with metastatic or locally advanced breast cancer.")
    assert drug_names(nlp, text)[-1] == ("ATC", "cyclophosphamide+docetaxel+doxorubicin")
    text = ("followed by cisplatin, etoposide, vindesine (PEV) alternating monthly with vincristine,\r\n"
            "      dacarbazine, ifosfamide, doxorubicin (VDIA). Patients in complete remission (CR) discontinue")
    assert [f for f in drug_names(nlp, text) if f[0] in ("PEV", "VDIA")] == [
        ("PEV", "cisplatin+etoposide+vindesine"), ("VDIA", "dacarbazine+doxorubicin+ifosfamide+vincristine")]


def test_regimen_acronym_needs_one_letter_per_drug(nlp):
    # the letters must each stand for a different listed drug, else the acronym is the last drug's
    # (registry records NCT00004575, NCT00004567; train gold: BK bradykinin, MPM mycophenolate)
    text = "endothelium-dependent agonists such as acetylcholine and bradykinin (BK), and leads to hyperpolarization"
    assert [f for f in drug_names(nlp, text) if f[0] == "BK"] == [("BK", "bradykinin")]
    text = ("This study will compare the safety and effectiveness of two drugs-methotrexate and\n"
            "      mycophenolate mofetil (MPM)-in preventing disease recurrence. MPM is taken twice a day by mouth.")
    found = drug_names(nlp, text)
    assert found[1][0] == "mycophenolate mofetil"
    assert [f for f in found if f[0] == "MPM"] == [("MPM", found[1][1])] * 2


def test_two_drug_acronym_after_a_measured_level_defines_nothing(nlp):
    # reviewer item 4: the "last drug alone" branch has the measured-level guard of the one-drug
    # branch: substances measured (``levels of``) are not given, so (BK) names no drug
    text = "Plasma levels of acetylcholine and bradykinin (BK). BK was measured at week 4."
    assert drugs(nlp, text) == []
    text = "Forearm blood flow response to acetylcholine and bradykinin (BK). BK was infused."
    assert [f for f in drug_names(nlp, text) if f[0] == "BK"] == [("BK", "bradykinin")] * 2


def test_therapy_tail_stops_before_an_instrument_title_word(nlp):
    # registry record NCT01352507: ``Treatment Preference`` opens a questionnaire's title, not the class's tail
    text = ('Percentage of Participants Preferring Tadalafil Over Sildenafil Measured at Week 18 Using Question 1 '
            'of the "Phosphodiesterase 5 Inhibitor Treatment Preference" Questionnaire (PITPQ)')
    assert [e[0] for e in drugs(nlp, text) if e[1] == "DRUG_CLASS"] == ["Phosphodiesterase 5 Inhibitor"]
    assert [e[0] for e in drugs(nlp, "Patients on ACE inhibitor therapy were excluded.")] == ["ACE inhibitor therapy"]


def test_sub_acronym_keeps_its_letters_order_and_is_no_numeral(nlp):
    # registry record NCT00004873: TC is defined and part of TCF; CT (the scan) and a numeral VI are not drugs
    text = ("Compare the efficacy and tolerability of docetaxel, cisplatin, and fluorouracil (TCF)\r\n"
            "           versus docetaxel and cisplatin (TC).\r\n"
            "  -  At least 10 mm X 10 mm by CT scan\r\n  VI. Determine the TC response rate.")
    found = drug_names(nlp, text)
    assert [f for f in found if f[0].isupper()] == [
        ("TCF", "cisplatin+docetaxel+fluorouracil"), ("TC", "cisplatin+docetaxel"), ("TC", "cisplatin+docetaxel")]


def test_therapy_treatment_or_combination_after_an_inhibitor_or_drug_class_stays_in_it(nlp):
    # registry records NCT00002203, NCT00002234, NCT00005928, NCT04870190 (GUIDE_ISSUES 4: the
    # class span keeps its head noun, as in `protease inhibitor therapy`)
    text = ("Patients are stratified according to their current protease inhibitor therapy and randomized\r\n"
            "      to receive open-label drug. Safety and Effectiveness of Giving an Anti-HIV Drug Combination of "
            "Adefovir Dipivoxil Plus Didanosine. Studies of patients with coronary\r\n      artery disease suggest "
            "that ACE inhibitor therapy reduces the risk of heart attack. Without any systemic (oral or parenteral) "
            "corticosteroid or anticonvulsant drug treatment.")
    classes = [t for t, label, *_ in drugs(nlp, text) if label == "DRUG_CLASS"]
    for phrase in ("protease inhibitor therapy", "Anti-HIV Drug Combination", "ACE inhibitor therapy",
                   "anticonvulsant drug treatment"):
        assert phrase in classes


def test_a_listed_mechanism_class_with_a_therapy_tail_stays_a_class(nlp):
    # NCT00002633: ``LHRH agonist`` is also a lexicon name; with the therapy tail the class
    # phrase was taken for a drug's therapy (``AZT therapy``) and dropped, leaving a DRUG
    text = "Patients also choose to undergo bilateral orchiectomy or LHRH agonist therapy comprising goserelin."
    found = [(t, label) for t, label, *_ in drugs(nlp, text)]
    assert ("LHRH agonist therapy", "DRUG_CLASS") in found
    assert ("LHRH agonist", "DRUG") not in found
    # a drug's therapy is still the drug
    found = [(t, label) for t, label, *_ in drugs(nlp, "Patients received AZT therapy.")]
    assert found == [("AZT", "DRUG")]


def test_a_drug_ending_the_field_before_does_not_join_an_acronym_list(nlp):
    # the line-wrap step of _define_acronyms crossed the field boundary without a connector:
    # rituximab (the title's last word) joined ``Carboplatin and paclitaxel (CP)``, so CP
    # was no longer defined
    text = "Phase II Study of Rituximab\nCarboplatin and paclitaxel (CP) are given. CP is repeated every 3 weeks."
    assert [n for t, n in drug_names(nlp, text) if t == "CP"] == ["carboplatin+paclitaxel"] * 2


def test_a_sub_acronym_letter_shared_by_two_drugs_names_neither(nlp):
    # the letter map of _define_acronyms keeps one drug a letter: CV of CCV (cyclophosphamide or
    # cytarabine?) and CP of COPP (procarbazine or prednisone?) were guessed; they stay unnamed
    text = "Patients receive cyclophosphamide, cytarabine, and vincristine (CCV). Others receive CV alone."
    assert [t for t, n in drug_names(nlp, text) if t == "CV"] == []
    text = "Patients receive cyclophosphamide, vincristine, procarbazine, and prednisone (COPP). Others receive CP."
    assert [t for t, n in drug_names(nlp, text) if t == "CP"] == []
    # a letter the acronym has once still names its drug (TC of TCF)
    text = ("Compare docetaxel, cisplatin, and fluorouracil (TCF) versus docetaxel and cisplatin. "
            "Determine the TC response rate.")
    assert ("TC", "cisplatin+docetaxel") in drug_names(nlp, text)


def test_development_code_without_inn_is_named_by_itself(nlp):
    # registry records whose name field is a code and whose other name is a brand
    # (NCT00493051: GAM501 / Excellarate; NCT02413099: KBMSI-2 / Better man)
    text = ("Patients receive GAM501 (Excellarate) applied to the ulcer. "
            "The KBMSI-2 capsules and placebo were provided by the institute.")
    assert drug_names(nlp, text) == [("GAM501", "gam501"), ("Excellarate", "gam501"), ("KBMSI-2", "kbmsi-2"),
                                     ("placebo", "placebo")]


def lexicon_builder():
    """tools/build_drug_lexicon.py as a module (the tools are scripts, not a package)."""
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parents[1] / "tools" / "build_drug_lexicon.py"
    spec = importlib.util.spec_from_file_location("build_drug_lexicon", path)
    builder = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(builder)
    return builder


def test_lexicon_builder_ranks_inn_over_code_over_brand():
    builder = lexicon_builder()

    def record(name, other_names):
        return {"interventions": [{"type": "Drug", "name": name, "other_names": other_names}]}

    records = [record("GAM501", ["Excellarate"]),  # code in the name field, brand alias
               record("OPC-41061(Tolvaptan)", []),  # the name field's own generic name
               record("SCH 66336", ["lonafarnib"]),  # written lowercase: generic
               record("KBMSI-2", ["Better man (brand name)"]),
               record("Copaxone", ["glatiramer acetate"])]  # a curated INN over the brand
    mapping = {e["name"]: e["inn"] for e in builder.build(records, {"brand name"})}
    assert mapping["excellarate"] == mapping["gam501"] == "gam501"
    assert mapping["opc-41061"] == mapping["tolvaptan"] == "tolvaptan"
    assert mapping["sch 66336"] == mapping["lonafarnib"] == "lonafarnib"
    assert mapping["better man"] == mapping["kbmsi-2"] == "kbmsi-2"
    assert mapping["copaxone"] == mapping["glatiramer acetate"] == "glatiramer"


def test_mycophenolate_ester_is_named_by_the_acid(nlp):
    # guide 1.1: ester words stay in the span, not in the name (registry record NCT00007059)
    text = "Patients begin a mycophenolate mofetil (MMF)-containing regimen within the first 5 days."
    assert drug_names(nlp, text) == [("mycophenolate mofetil", "mycophenolic acid"), ("MMF", "mycophenolic acid")]


def test_acronym_defined_after_a_line_wrap_names_the_drug(nlp):
    # legacy registry records wrap lines before the parenthesis (NCT00001576, NCT00001094)
    text = ("Postoperatively, patients will be treated with hepatic arterial infusion of floxuridine\r\n"
            "      (FUDR), 0.2 mg/kg/day and leucovorin (LV). FUDR is given for 2 weeks. "
            "The arms compare delavirdine\r\n      (DLV) or lamivudine. DLV is given orally.")
    found = drug_names(nlp, text)
    assert ("FUDR", "floxuridine") in found and found.count(("FUDR", "floxuridine")) == 2
    assert found.count(("DLV", "delavirdine")) == 2


def test_brands_and_chemical_names_take_their_inn(nlp):
    # registry records NCT00000735, NCT00003969, NCT00000105 (WHO INN lists; the train gold names
    # Montanide ISA-51 incomplete Freund's adjuvant)
    text = ("A Clinical Trial To Evaluate the Toxicity and Antiviral Effects of a Range of Doses of Ampligen. "
            "Determine the maximum tolerated dose for a geldanamycin analogue, "
            "17-allylamino-17-demethoxygeldanamycin (AAG), in patients with advanced malignancies. "
            "Arm C: Biosyn KLH 1000 mcg (1 mg) with Montanide ISA51.")
    found = drug_names(nlp, text)
    assert ("Ampligen", "rintatolimod") in found
    assert ("17-allylamino-17-demethoxygeldanamycin", "tanespimycin") in found
    assert ("AAG", "tanespimycin") in found
    assert ("Montanide ISA51", "incomplete freund's adjuvant") in found


def test_line_wrap_inside_a_name_with_hyphenated_words(nlp):
    # registry records NCT00002070, NCT00002281 (legacy line wraps)
    text = ("To determine whether co-administration of sargramostim (granulocyte-macrophage\r\n"
            "      colony-stimulating factor; GM-CSF) improves tolerance to ganciclovir. "
            "The safety of filgrastim (granulocyte\r\n      colony-stimulating factor; G-CSF) given by daily "
            "subcutaneous injection.")
    found = drug_names(nlp, text)
    assert ("granulocyte-macrophage\r\n      colony-stimulating factor", "sargramostim") in found
    assert ("granulocyte\r\n      colony-stimulating factor", "filgrastim") in found


def test_class_names_broken_by_a_line_wrap(nlp):
    # registry records NCT00001089, NCT00000681, NCT00002734 (legacy line wraps)
    text = ("Patients on highly active\r\n      antiretroviral therapy. Hematopoietic growth\r\n      factors "
            "are not allowed. Patients receive lutetium Lu 177 monoclonal\r\n      antibody CC49 (177Lu-CC49).")
    found = [(t, label, n) for t, label, n, *_ in drugs(nlp, text)]
    assert ("highly active\r\n      antiretroviral therapy", "DRUG_CLASS", None) in found
    assert ("Hematopoietic growth\r\n      factors", "DRUG_CLASS", None) in found
    assert ("monoclonal\r\n      antibody CC49", "DRUG", "monoclonal antibody cc49") in found


def test_lexicon_builder_splits_a_listed_combination_at_commas(nlp):
    builder = lexicon_builder()
    # registry intervention names (NCT00004585 and a gemcitabine trial)
    records = [{"interventions": [{"type": "Drug", "name": "Abacavir sulfate, Lamivudine and Zidovudine"},
                                  {"type": "Drug", "name": "Gemcitabine, Capecitabine and Sorafenib (6 cycles)"}]}]
    names = {e["name"] for e in builder.build(records, set())}
    assert not any("," in name for name in names)  # was "abacavir sulfate, lamivudine"
    assert {"lamivudine", "zidovudine", "gemcitabine", "capecitabine"} <= names
    text = "HIV Infections DRUG: Abacavir sulfate, Lamivudine and Zidovudine|DRUG: Lamivudine/Zidovudine"
    assert drug_names(nlp, text)[:3] == [("Abacavir sulfate", "abacavir"), ("Lamivudine", "lamivudine"),
                                          ("Zidovudine", "zidovudine")]


def test_envelope_protein_with_its_strain_before_it_is_one_drug(nlp):
    # registry records NCT00000832, NCT00000946 (train gold: rgp120/hiv-1 sf-2 for either order)
    text = ("Immunogenicity Trial of Recombinant Envelope Protein, HIV-1 SF-2 rgp120 (BIOCINE), Combined With MF59. "
            "Then ALVAC-HIV vCP205 plus HIV-1\r\n      SF-2 rgp 120 at Months 3 and 6. Volunteers receive "
            "rgp120/HIV-1 SF-2 in MF59.")
    found = drug_names(nlp, text)
    assert ("HIV-1 SF-2 rgp120", "rgp120/hiv-1 sf-2") in found
    assert ("HIV-1\r\n      SF-2 rgp 120", "rgp120/hiv-1 sf-2") in found
    assert ("rgp120/HIV-1 SF-2", "rgp120/hiv-1 sf-2") in found


def test_acronym_of_a_list_wrapped_after_its_serial_comma(nlp):
    # registry record NCT00002840: the line wrap after "lomustine," left PCV naming vincristine alone
    text = ("Patients treated with radiotherapy with or without adjuvant procarbazine, lomustine,\r\n"
            "      and vincristine (PCV) following surgical resection. PCV is given every 6 weeks.")
    found = drug_names(nlp, text)
    assert ("PCV", "vincristine") not in found
    assert found.count(("PCV", "lomustine+procarbazine+vincristine")) == 2


def _class_mentions(nlp, text):
    return [(t, role) for t, label, _n, _r, role in drugs(nlp, text) if label == "DRUG_CLASS"]


def test_setting_words_lead_a_class(nlp):
    # registry records: 'investigational' and 'standard' keep their place in the class span
    text = "Chemotherapy: At least 4 weeks since prior standard or investigational chemotherapy"
    assert [t for t, _ in _class_mentions(nlp, text)][-1] == "standard or investigational chemotherapy"
    text = "several anecdotes of patients having disease flares while receiving exogenous hormones"
    assert [t for t, _ in _class_mentions(nlp, text)] == ["exogenous hormones"]
    text = "Patients received one of several standard chemotherapies for metastatic breast cancer."
    assert [t for t, _ in _class_mentions(nlp, text)] == ["standard chemotherapies"]
    # a vague word stays untagged after a setting word (guide: investigational agent)
    assert _class_mentions(nlp, "No experimental drugs within 30 days.") == []


def test_drug_based_chemotherapy_is_one_class(nlp):
    text = "Chemotherapy: See Disease Characteristics No prior fluorouracil based chemotherapy"
    assert [t for t, _ in _class_mentions(nlp, text)][-1] == "fluorouracil based chemotherapy"
    text = "Chemotherapy: At least 12 months since prior fluorouracil-based adjuvant chemotherapy"
    assert [t for t, _ in _class_mentions(nlp, text)][-1] == "fluorouracil-based adjuvant chemotherapy"
    text = "Atezolizumab in Combination With Platinum-Based Doublet Chemotherapy as Neoadjuvant Therapy"
    assert "Platinum-Based Doublet Chemotherapy" in [t for t, _ in _class_mentions(nlp, text)]
    # without a hyphen, only before chemotherapy or regimen: the drug stays alone before therapy
    assert drugs(nlp, "DRUG: Nevirapine based therapy")[0][0] == "Nevirapine"
    assert _class_mentions(nlp, "DRUG: Nevirapine based therapy") == []


def test_ed_is_no_target_code(nlp):
    text = "Agree not to use any other ED treatment for at least 4 weeks before receiving the initial dose."
    assert _class_mentions(nlp, text) == []


def test_family_names_in_eligibility_lists(nlp):
    text = "Excluded: - Marijuana use. - Anabolic steroids. - Anticonvulsants for seizure"
    assert [t for t, _ in _class_mentions(nlp, text)] == ["Anabolic steroids", "Anticonvulsants"]
    text = ("Patients with a history of more than two weeks treatment with immuno-suppressants "
            "(including systemic corticosteroids)")
    assert [t for t, _ in _class_mentions(nlp, text)] == ["immuno-suppressants", "systemic corticosteroids"]
    text = "For this procedure, a local anesthetic is given and a needle is inserted."
    assert [t for t, _ in _class_mentions(nlp, text)] == ["local anesthetic"]


def test_family_adjectives_make_a_class_only_before_a_head(nlp):
    text = "Prior treatment with fibrinolytic agents or heparins within 48 hours."
    assert [t for t, _ in _class_mentions(nlp, text)] == ["fibrinolytic agents", "heparins"]
    # the adjective alone before a non-head word names an effect, not drugs
    assert _class_mentions(nlp, "The fibrinolytic activity was measured in plasma.") == []


def test_a_regimen_spelled_in_the_text_wins_over_the_regimen_list(nlp):
    # NCT00002784 (registry record): the regimen list's EC is carboplatin+etoposide,
    # but this text defines EC as epirubicin/cyclophosphamide, and every later EC follows it
    text = ("survival of women with high-risk, operable stage II/III breast cancer treated with three\r\n"
            "      courses of dose-intensive epirubicin/cyclophosphamide (EC) supported by granulocyte\r\n"
            "      colony-stimulating factor vs.\r\n      standard EC followed by paclitaxel.")
    found = [pair for pair in drug_names(nlp, text) if pair[0] == "EC"]
    assert found == [("EC", "cyclophosphamide+epirubicin"), ("EC", "cyclophosphamide+epirubicin")]
    # without a definition in the text, the regimen list still names it
    assert ("EC", "carboplatin+etoposide") in drug_names(nlp, "Patients receive EC every 21 days.")
