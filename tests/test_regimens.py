"""Regimen objects.  The seed expectations were written by reading each seed
text (annotations/docs/seed_00*.txt), not from the component's output."""

import re

import pytest

from extractor.brat import read_document
from extractor.evaluate import doc_with_gold_entities
from extractor.extensions import set_fields
from extractor.output import doc_to_record
from extractor.regimens import MARKERS_FILE, RegimenBuilder

from .conftest import ANNOTATIONS, ROOT


def seed(nlp, number):
    path = next((ANNOTATIONS / "docs").glob(f"seed_{number}_*.txt"))
    doc, _ = doc_with_gold_entities(nlp, read_document(path))
    return doc


def summary(regimens):
    """{(arm, phase): {name: {attribute kind: values}}} over drugs and classes."""
    result = {}
    for group in regimens:
        entries = {}
        for entry in group["drugs"] + group["classes"]:
            entries[entry["name"]] = {k: entry[k] for k in ("doses", "routes", "schedules", "durations") if entry[k]}
        result[(group["arm"], group["phase"])] = entries
    return result


def drug_names(regimens, key):
    group = next(g for g in regimens if (g["arm"], g["phase"]) == key)
    return sorted(d["name"] for d in group["drugs"])


def test_arms_and_phases_from_literal_text(nlp):
    text = (
        "Induction phase: patients receive carboplatin and etoposide every 21 days for four cycles.\n"
        "Maintenance: atezolizumab will be given every 3 weeks for up to 12 months."
    )
    assert summary(nlp(text)._.extractor_regimens) == {
        (None, "induction"): {
            "carboplatin": {"schedules": ["every 21 days"], "durations": ["four cycles"]},
            "etoposide": {"schedules": ["every 21 days"], "durations": ["four cycles"]},
        },
        (None, "maintenance"): {"atezolizumab": {"schedules": ["every 3 weeks"], "durations": ["up to 12 months"]}},
    }


def test_nci_arms_and_drugless_cycle_sentence(nlp):
    text = (
        "OUTLINE: Patients are randomized to 1 of 2 arms.\n"
        "ARM I: Patients receive gemcitabine 1000 mg/m2 IV on days 1 and 8. Courses repeat every 21 days.\n"
        "ARM II: Patients receive erlotinib 150 mg PO once daily.\n"
    )
    assert summary(nlp(text)._.extractor_regimens) == {
        ("Arm I", None): {"gemcitabine": {
            "doses": ["1000 mg/m2"], "routes": ["IV"], "schedules": ["days 1 and 8", "every 21 days"]}},
        ("Arm II", None): {"erlotinib": {"doses": ["150 mg"], "routes": ["PO"], "schedules": ["once daily"]}},
    }


def test_a_drug_given_as_in_another_arm_gets_that_arms_attributes(nlp):
    # the arms of NCT00006385 (one arm left out)
    text = (
        "OUTLINE: Patients are randomized to 1 of 3 treatment arms.\n"
        "Arm II: Patients receive sargramostim (GM-CSF) subcutaneously (SC) daily on days 1-14.\n"
        "Arm III: Patients receive interferon alfa-2b SC three times a week.\n"
        "Arm IV: Patients receive GM-CSF as in arm II, and interferon alfa-2b as in arm III.\n"
    )
    regimens = nlp(text)._.extractor_regimens
    assert summary(regimens)[("Arm IV", None)] == {
        "sargramostim": {"routes": ["subcutaneously (SC)"], "schedules": ["daily on days 1-14"]},
        "interferon alfa-2b": {"routes": ["SC"], "schedules": ["three times a week"]},
    }
    arm_four = next(g for g in regimens if g["arm"] == "Arm IV")
    assert {d["name"]: d["same_as"] for d in arm_four["drugs"]} == {"sargramostim": "Arm II",
                                                                   "interferon alfa-2b": "Arm III"}
    arm_two = next(g for g in regimens if g["arm"] == "Arm II")
    assert [d["same_as"] for d in arm_two["drugs"]] == [None]


def test_a_reference_to_an_arm_never_defined_is_kept_as_written(nlp):
    text = "Patients receive etoposide IV as in regimen A.\n"
    (regimen,) = nlp(text)._.extractor_regimens
    assert [(d["name"], d["same_as"], d["routes"]) for d in regimen["drugs"]] == [("etoposide", "regimen A", ["IV"])]


def test_other_role_drugs_stay_out(nlp):
    text = "Patients receive pembrolizumab 200 mg IV every 3 weeks.\nExclusion Criteria:\n* Prior treatment with nivolumab\n"
    regimens = nlp(text)._.extractor_regimens
    names = [d["name"] for g in regimens for d in g["drugs"]]
    assert names == ["pembrolizumab"]


def test_seed_000_induction_then_maintenance(nlp):
    regimens = seed(nlp, "000")._.extractor_regimens
    assert [(g["arm"], g["phase"]) for g in regimens] == [(None, "induction"), (None, "maintenance")]
    induction = summary(regimens)[(None, "induction")]
    assert drug_names(regimens, (None, "induction")) == ["atezolizumab", "bevacizumab", "carboplatin", "etoposide"]
    for name in ("atezolizumab", "bevacizumab", "carboplatin", "etoposide", "chemotherapy"):
        assert induction[name] == {"schedules": ["21-day cycle"], "durations": ["four cycles"]}, name
    assert summary(regimens)[(None, "maintenance")] == {
        "atezolizumab": {"schedules": ["every 21 days"], "durations": ["up to 12 months"]},
        "bevacizumab": {"schedules": ["every 21 days"], "durations": ["up to 12 months"]},
    }


def test_seed_000_endpoints(nlp):
    endpoints = {e["name"]: e for e in seed(nlp, "000")._.extractor_endpoints}
    assert endpoints["6- month Progression Free Survival (PFS) rate"]["kind"] == "primary"
    assert endpoints["6- month Progression Free Survival (PFS) rate"]["time_frames"] == ["Start of study treatment to 6-months"]
    assert endpoints["Overall Survival (OS)"]["kind"] == "secondary"
    assert endpoints["Overall Survival (OS)"]["time_frames"] == [
        "From time of first dose until death from any cause, assessed up to approximately 48 months"
    ]
    for name in ("Progression Free Survival (PFS)", "Objective Response Rate", "Incidence of adverse events"):
        assert endpoints[name]["kind"] == "secondary"
        assert len(endpoints[name]["time_frames"]) == 1
    assert endpoints["Tissue and blood based biomarkers"]["kind"] == "other"
    assert endpoints["Tissue and blood based biomarkers"]["time_frames"] == ["From baseline to approximately 15 months"]


def test_seed_001_durvalumab_chemotherapy_anlotinib(nlp):
    regimens = seed(nlp, "001")._.extractor_regimens
    assert len(regimens) == 1 and (regimens[0]["arm"], regimens[0]["phase"]) == (None, None)
    assert drug_names(regimens, (None, None)) == ["anlotinib", "durvalumab"]
    assert "chemotherapy" in [c["name"] for c in regimens[0]["classes"]]
    # the text gives no dose, route, schedule or duration
    assert all(not entry for entry in summary(regimens)[(None, None)].values())


def test_seed_002_list_items(nlp):
    doc = seed(nlp, "002")
    regimens = doc._.extractor_regimens
    assert len(regimens) == 1
    entries = summary(regimens)[(None, None)]
    assert drug_names(regimens, (None, None)) == ["bevacizumab", "fluorouracil", "leucovorin", "oxaliplatin"]
    assert entries["pd-l1 antibody"] == {"doses": ["1200mg"], "schedules": ["every 3 weeks"], "durations": ["up to 24 months"]}
    assert entries["bevacizumab"] == {"doses": ["15mg/kg"], "schedules": ["every 3 weeks"], "durations": ["up to 24 months"]}
    for name in ("fluorouracil", "leucovorin", "oxaliplatin"):  # FOLFOX
        assert entries[name] == {"durations": ["Up to 6 cycles", "up to 24 months"]}, name
    endpoints = {e["name"]: e["kind"] for e in doc._.extractor_endpoints}
    for name in ("Disease Control Rate (DCR)", "Duration of Response (DOR)", "Progression-free Survival (PFS)", "Overall Survival (OS)"):
        assert endpoints[name] == "secondary"


def test_seed_003_two_drugs_own_cycles(nlp):
    regimens = seed(nlp, "003")._.extractor_regimens
    assert summary(regimens) == {(None, None): {
        "ivonescimab": {"doses": ["20mg/kg"], "routes": ["intravenously"],
                        "schedules": ["days 1 of every 21-day cycle"], "durations": ["24 months"]},
        "irinotecan": {"doses": ["56.5mg/m\\^2"], "routes": ["intravenously"],
                       "schedules": ["days 1 of every 14-day cycle"], "durations": ["24 months"]},
    }}


def test_seed_004_two_arms(nlp):
    regimens = seed(nlp, "004")._.extractor_regimens
    assert [(g["arm"], g["phase"]) for g in regimens] == [("Arm A", None), ("Arm B", None)]
    assert drug_names(regimens, ("Arm A", None)) == ["atezolizumab", "cabozantinib", "lenvatinib"]
    assert drug_names(regimens, ("Arm B", None)) == ["cabozantinib", "lenvatinib"]
    arm_a, arm_b = summary(regimens)[("Arm A", None)], summary(regimens)[("Arm B", None)]
    assert "day 1" in arm_a["atezolizumab"]["schedules"]
    assert set(arm_a["atezolizumab"]["routes"]) <= {"intravenously (IV)", "IV"}
    for arm in (arm_a, arm_b):
        assert arm["lenvatinib"]["schedules"] == ["QD on days 1-21", "every 21 days"]
        assert arm["lenvatinib"]["routes"] == ["PO"]
        assert "every 21 days" in arm["cabozantinib"]["schedules"]
        assert set(arm["cabozantinib"]["routes"]) <= {"orally (PO)", "PO"}
    assert "every 21 days" in arm_a["atezolizumab"]["schedules"]


def test_end_to_end_seed_000_and_004(nlp):
    """The same regimens with the pipeline's own entities."""
    text = (ROOT / "examples" / "000_a991cd9fedb848fc.txt").read_text(encoding="utf-8")
    regimens = nlp(text)._.extractor_regimens
    assert [(g["arm"], g["phase"]) for g in regimens] == [(None, "induction"), (None, "maintenance")]
    assert drug_names(regimens, (None, "induction")) == ["atezolizumab", "bevacizumab", "carboplatin", "etoposide"]
    assert drug_names(regimens, (None, "maintenance")) == ["atezolizumab", "bevacizumab"]
    maintenance = summary(regimens)[(None, "maintenance")]
    assert maintenance["bevacizumab"] == {"schedules": ["every 21 days"], "durations": ["up to 12 months"]}
    text = (ROOT / "examples" / "004_0931282e41e03eee.txt").read_text(encoding="utf-8")
    regimens = nlp(text)._.extractor_regimens
    assert [(g["arm"], g["phase"]) for g in regimens] == [("Arm A", None), ("Arm B", None)]
    assert drug_names(regimens, ("Arm B", None)) == ["cabozantinib", "lenvatinib"]


def test_record_has_regimens_and_endpoints(nlp):
    doc = nlp("Patients receive cisplatin 75 mg/m2 IV on day 1.")
    record = doc_to_record(doc, "x")
    assert record["regimens"][0]["drugs"][0]["name"] == "cisplatin"
    assert record["regimens"][0]["drugs"][0]["doses"] == ["75 mg/m2"]
    assert record["endpoints"] == []


def test_markers_serialize(nlp, tmp_path):
    builder = nlp.get_pipe("extractor_regimens")
    builder.to_disk(tmp_path)
    assert (tmp_path / MARKERS_FILE).exists()
    fresh = RegimenBuilder(nlp).from_disk(tmp_path)
    assert fresh.markers == builder.markers
    with pytest.raises(ValueError, match="regimen markers need"):
        RegimenBuilder(nlp).set_markers({"arm": []})


def test_trial_report_intervention_and_arm_title_are_one_arm(nlp):
    text = (
        "INTERVENTION 1: \n  Fulvestrant + Tipifarnib\n"
        "  Patients receive fulvestrant 250 mg intramuscularly on day 1 and oral tipifarnib 300 mg twice daily.\n"
        "Results 1: \n  Arm/Group Title: Fulvestrant + Tipifarnib\n"
        "  Arm/Group Description: Patients receive fulvestrant 250 mg intramuscularly on day 1.\n"
    )
    regimens = nlp(text)._.extractor_regimens
    assert [(g["arm"], g["phase"]) for g in regimens] == [("Fulvestrant + Tipifarnib", None)]
    assert summary(regimens)[("Fulvestrant + Tipifarnib", None)]["fulvestrant"]["doses"] == ["250 mg"]
    assert drug_names(regimens, ("Fulvestrant + Tipifarnib", None)) == ["fulvestrant", "tipifarnib"]


def test_registry_arm_group_lines_name_the_arms(nlp):
    # the layout of NCT04318938 rendered with full=True: arm-group lines, then
    # an intervention description that belongs to no arm line
    text = ("Brigatinib in ALK-positive NSCLC\n"
            "Standard Arm with crizotinib: Patients receive crizotinib 250 mg twice daily.\n"
            "Experimental Arm with Brigatinib: Patients receive brigatinib 180 mg once daily.\n"
            "Brigatinib: tablets, taken orally.")
    arm_a = text.index("Standard Arm")
    arm_b = text.index("Experimental Arm")
    description = text.index("Brigatinib: tablets")
    layout = [("title", 0, arm_a - 1), ("arm_groups", arm_a, arm_b - 1),
              ("arm_groups", arm_b, description - 1), ("intervention_descriptions", description, len(text))]
    doc = nlp(set_fields(nlp.make_doc(text), layout))
    groups = summary(doc._.extractor_regimens)
    assert groups[("Standard Arm with crizotinib", None)] == {
        "crizotinib": {"doses": ["250 mg"], "schedules": ["twice daily"]}}
    assert groups[("Experimental Arm with Brigatinib", None)]["brigatinib"] == {
        "doses": ["180 mg"], "schedules": ["once daily"]}
    # without the layout the same text has no arms
    assert all(arm is None for arm, _ in summary(nlp(text)._.extractor_regimens))


def test_annotated_records_carry_their_field_layout_to_the_regimens(nlp):
    from extractor.annotate import annotate_records
    from extractor.inputs import InputDocument
    from extractor.records import render_ctgov

    record = {"nct_id": "NCT00000001", "title": "A trial", "brief_summary": None, "conditions": ["NSCLC"],
              "interventions": [{"type": "DRUG", "name": "Brigatinib"}], "primary_outcomes": [],
              "secondary_outcomes": [], "other_outcomes": [], "detailed_description": None,
              "arm_groups": [{"label": "Arm One", "description": "brigatinib 90 mg daily for 7 days"}],
              "eligibility": None}
    rendered = render_ctgov(record, full=True)
    [out] = list(annotate_records(nlp, [InputDocument(rendered.id, rendered.text, "test", rendered)]))
    assert [g["arm"] for g in out["regimens"]] == ["Arm One"]


@pytest.mark.parametrize(
    "pattern,flags,anchored",
    [
        (r"^[ \t]*(?P<label>Arm [A-Z])(?![A-Za-z0-9])", re.MULTILINE, True),
        (r"(?<![A-Za-z])(?P<label>Arm [A-Z]):", re.MULTILINE, False),
        (r"^Arm [A-Z]|Cohort \d", re.MULTILINE, False),  # the second alternative starts anywhere
        (r"^Arm [A-Z]", 0, False),  # without MULTILINE only the text's start
        (r"^[ \t]*", re.MULTILINE, True),  # empty matches: left to finditer
        (r"^(?:induction|maintenance)(?: phase)?[ \t]*(?::|$)", re.MULTILINE | re.IGNORECASE, True),
    ],
)
def test_marker_finder_gives_the_matches_of_finditer(pattern, flags, anchored):
    from extractor.extensions import Lines
    from extractor.regimens import _Finder

    regex = re.compile(pattern, flags)
    finder = _Finder(regex)
    assert finder.at_lines is anchored
    text = ("Arm A: drug\n  Arm B\nsee Arm C: x\n\nINDUCTION PHASE:\nMaintenance\n"
            "Cohort 2 and Arm D\r\nArm E\n")
    expected = [(m.start(), m.end()) for m in regex.finditer(text)]
    assert expected  # every pattern finds something here
    for newlines in (None, Lines(text).newlines):
        assert [(m.start(), m.end()) for m in finder.matches(text, newlines)] == expected
