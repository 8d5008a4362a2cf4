def relations(nlp, text):
    doc = nlp(text)
    return sorted((r["label"], doc.text[slice(*r["arg1"])], doc.text[slice(*r["arg2"])]) for r in doc._.extractor_relations)


def test_coordinated_drugs_share_schedule_and_duration(nlp):
    text = "Maintenance: atezolizumab and bevacizumab will be administered every 21 days for up to 12 months."
    assert relations(nlp, text) == [
        ("Duration-Drug", "up to 12 months", "atezolizumab"),
        ("Duration-Drug", "up to 12 months", "bevacizumab"),
        ("Schedule-Drug", "every 21 days", "atezolizumab"),
        ("Schedule-Drug", "every 21 days", "bevacizumab"),
    ]


def test_each_drug_gets_its_own_dose(nlp):
    text = "Patients receive cisplatin 75 mg/m2 IV on day 1 and etoposide 100 mg/m2 IV on days 1-3."
    rels = relations(nlp, text)
    assert ("Dose-Drug", "75 mg/m2", "cisplatin") in rels
    assert ("Dose-Drug", "100 mg/m2", "etoposide") in rels
    assert ("Dose-Drug", "100 mg/m2", "cisplatin") not in rels
    assert ("Schedule-Drug", "days 1-3", "etoposide") in rels
