def ents(nlp, text, labels=("DOSE", "ROUTE", "SCHEDULE", "DURATION", "ENDPOINT", "TIMEFRAME")):
    return [(e.text, e.label_) for e in nlp(text).ents if e.label_ in labels]


def test_dose_route_schedule_duration(nlp):
    text = "Patients receive cisplatin 75 mg/m2 IV on day 1. Courses repeat every 21 days for 4 courses."
    assert ents(nlp, text) == [
        ("75 mg/m2", "DOSE"), ("IV", "ROUTE"), ("day 1", "SCHEDULE"), ("every 21 days", "SCHEDULE"), ("4 courses", "DURATION"),
    ]


def test_lab_thresholds_are_not_doses(nlp):
    text = "Inclusion Criteria:\n* creatinine <= 1.6 mg/dl\n* HBV DNA < 500 IU/mL\n* ANC >= 1.5 x 10^9/L"
    assert ents(nlp, text, ("DOSE",)) == []


def test_assessment_schedule_is_not_a_schedule(nlp):
    text = "Participants will undergo blood tests every 3 weeks and tumor assessments every 6 weeks."
    assert ents(nlp, text) == []


def test_outcome_line_measure_and_time_frame(nlp):
    text = ("Title\nSummary.\nCancer\nDRUG: Bevacizumab\n"
            "Overall Survival (OS), Time from first dose to death, From time of first dose until death from any cause, "
            "assessed up to approximately 48 months\nDescription.")
    assert ents(nlp, text, ("ENDPOINT", "TIMEFRAME")) == [
        ("Overall Survival (OS)", "ENDPOINT"),
        ("From time of first dose until death from any cause, assessed up to approximately 48 months", "TIMEFRAME"),
    ]
