"""Attribute tagger: literal sentences from registry records (``ctgov_records.jsonl``
and the annotated documents) with the exact spans the guide asks for."""

import json
import re

import pytest

from extractor.attributes import AttributeTagger, expand_macros
from extractor.corpus import load_split
from extractor.extensions import get_entities
from tests.conftest import ANNOTATIONS

LABELS = ("DOSE", "ROUTE", "SCHEDULE", "DURATION", "ENDPOINT", "TIMEFRAME")


def ents(nlp, text, labels=LABELS):
    return [(e.text, e.label_) for e in nlp(text).ents if e.label_ in labels]


def test_dose_route_schedule_duration(nlp):
    text = "Patients receive cisplatin 75 mg/m2 IV on day 1. Courses repeat every 21 days for 4 courses."
    assert ents(nlp, text) == [
        ("75 mg/m2", "DOSE"), ("IV", "ROUTE"), ("day 1", "SCHEDULE"), ("every 21 days", "SCHEDULE"), ("4 courses", "DURATION"),
    ]


def test_doses_with_thousands_separator_and_cycle_reference(nlp):
    text = ("Gemcitabine: 1000 mg/m2 IV over 30 minutes on Days 1, 8, and 15 of each 28-day cycle or "
            "1,250 mg/m2 IV over 30 minutes on Days 1 and 8 of each 21 day cycle")
    assert ents(nlp, text) == [
        ("1000 mg/m2", "DOSE"), ("IV", "ROUTE"), ("Days 1, 8, and 15 of each 28-day cycle", "SCHEDULE"),
        ("1,250 mg/m2", "DOSE"), ("IV", "ROUTE"), ("Days 1 and 8 of each 21 day cycle", "SCHEDULE"),
    ]


def test_multiplied_and_auc_doses(nlp):
    text = "Phase 1 Cyclophosphamide Dose Escalation: Fludarabine 5x25mg/m^2 + Cyclophosphamide 2x30mg/kg"
    assert ents(nlp, text, ("DOSE",)) == [("5x25mg/m^2", "DOSE"), ("2x30mg/kg", "DOSE")]
    text = "Carboplatin will be dosed at a target AUC of 5, and will be given on day 1 of each cycle"
    assert ents(nlp, text, ("DOSE", "SCHEDULE")) == [("AUC of 5", "DOSE"), ("day 1 of each cycle", "SCHEDULE")]


def test_markdown_escaped_dose_and_typo_schedule(nlp):
    text = "Docetaxel: 60mg/m2 i.v on day 1. Cycle repeated ever 3 weeks"
    assert ents(nlp, text) == [("60mg/m2", "DOSE"), ("i.v", "ROUTE"), ("day 1", "SCHEDULE"), ("ever 3 weeks", "SCHEDULE")]
    assert ents(nlp, "Atezolizumab 1200mg and carboplatin 56.5mg/m\\^2 IV", ("DOSE",)) == [
        ("1200mg", "DOSE"), ("56.5mg/m\\^2", "DOSE"),
    ]


def test_lab_thresholds_are_not_doses(nlp):
    text = ("Inclusion Criteria:\n"
            "* For subjects with active HBV, HBV deoxyribonucleic acid (DNA) \\< 500 IU/mL obtained ≤ =\\< 28 days "
            "prior to randomization\n"
            "* Platelet count \\>= 75 x 10\\^9/L (75,000/uL) (obtained =\\< 28 days prior to randomization)\n"
            "* creatinine <= 1.6 mg/dl\n")
    assert ents(nlp, text, ("DOSE", "DURATION", "SCHEDULE")) == []


def test_stated_dose_after_comparator_is_a_dose(nlp):
    text = "Been receiving a dose of = or < 600 mg/day of zidovudine (AZT)"
    assert ents(nlp, text, ("DOSE", "SCHEDULE")) == [("600 mg", "DOSE"), ("/day", "SCHEDULE")]


def test_route_with_abbreviation_and_hard_wrap(nlp):
    text = "and ARA-C intrathecally (IT) on days\r\n                1 and 8."
    assert ents(nlp, text, ("ROUTE", "SCHEDULE")) == [
        ("intrathecally (IT)", "ROUTE"), ("days\r\n                1 and 8", "SCHEDULE"),
    ]


def test_stage_iv_is_not_a_route(nlp):
    text = "Combination Chemotherapy in Treating Patients With Stage II, Stage III, or Stage IV Ovarian Cancer"
    assert ents(nlp, text, ("ROUTE",)) == []


def test_schedule_pieces_join(nlp):
    assert ents(nlp, "Oral etoposide twice daily on days 1-14.", ("ROUTE", "SCHEDULE")) == [
        ("Oral", "ROUTE"), ("twice daily on days 1-14", "SCHEDULE"),
    ]
    text = "After the first day,\r\n      patients take pyrimethamine or placebo 3 times a week."
    assert ents(nlp, text, ("SCHEDULE",)) == [("3 times a week", "SCHEDULE")]


def test_day_lists_stop_before_a_dose_and_run_to_their_last_day(nlp):
    # a number with a dose unit after ``and`` is the next dose, not another day (NCT00451555, NCT02038010)
    text = "Fulvestrant 500 mg IM on Day 1 and 250 mg on Day 15 in Cycle 1."
    assert ents(nlp, text, ("DOSE", "SCHEDULE")) == [
        ("500 mg", "DOSE"), ("Day 1", "SCHEDULE"), ("250 mg", "DOSE"), ("Day 15 in Cycle 1", "SCHEDULE"),
    ]
    text = "Capecitabine PO on days 1-21 and 3.6mg/kg T-DM1 IV on day 1."
    assert ents(nlp, text, ("DOSE", "SCHEDULE")) == [
        ("days 1-21", "SCHEDULE"), ("3.6mg/kg", "DOSE"), ("day 1", "SCHEDULE"),
    ]
    # a long weekly list is one SCHEDULE to its last day (NCT00004228)
    text = "Patients receive oral methotrexate on days 7, 14, 21, 28, 35, 42, 49, 56, 63, 70, and 77."
    assert ents(nlp, text, ("SCHEDULE",)) == [("days 7, 14, 21, 28, 35, 42, 49, 56, 63, 70, and 77", "SCHEDULE")]
    assert ents(nlp, "Cisplatin IV on days 1,3,6, and 11.", ("SCHEDULE",)) == [("days 1,3,6, and 11", "SCHEDULE")]


def test_continuous_infusion_length_is_not_a_schedule(nlp):
    # ``IV continuously over 24 hours`` is a continuous infusion and its length (NCT00006364)
    text = "Patients receive homoharringtonine IV continuously over 24 hours on day 1."
    assert ents(nlp, text, ("SCHEDULE",)) == [("day 1", "SCHEDULE")]
    text = "Patients receive cytarabine IV continuously on days 1-7."
    assert ents(nlp, text, ("SCHEDULE",)) == [("continuously on days 1-7", "SCHEDULE")]


def test_a_day_after_a_dose_keeps_its_article(nlp):
    # ``10 mg of prednisone a day`` (NCT00006799): the article is part of the frequency
    assert ents(nlp, "Glucocorticoid replacement with 10 mg of prednisone a day is allowed.", ("DOSE", "SCHEDULE")) == [
        ("10 mg", "DOSE"), ("a day", "SCHEDULE"),
    ]


def test_day_number_before_a_closing_bracket(nlp):
    # ``(Days 1-8)`` (NCT01415128): the 8 is not an emoticon token, the whole range is the SCHEDULE
    text = "Omeprazole 40 mg once daily for 8 days (Days 1-8) plus avanafil 200 mg on Day 8."
    assert ents(nlp, text, ("SCHEDULE",)) == [("once daily", "SCHEDULE"), ("Days 1-8", "SCHEDULE"), ("Day 8", "SCHEDULE")]


def test_time_before_sexual_activity_as_a_range_of_two_units(nlp):
    # ``30 minutes to 4 hours prior to ...`` (NCT04479917) and spelled numbers (NCT01180283)
    text = "Avanafil administered 30 minutes to 4 hours prior to initiation of sexual activity."
    assert ents(nlp, text, ("SCHEDULE",)) == [("30 minutes to 4 hours prior to initiation of sexual activity", "SCHEDULE")]
    text = "Patients take one tablet of udenafil from six to two hours before intercourse."
    assert ents(nlp, text, ("SCHEDULE",)) == [("six to two hours before intercourse", "SCHEDULE")]


def test_report_schedule_wordings_stay_one_span(nlp):
    # ``3-weekly cycle`` (NCT00391092), ``each 3 weeks`` (NCT00121992), ``(b.i.d.)`` and
    # ``in the morning and in the evening`` (a formoterol arm): one contiguous timing expression
    text = "Docetaxel 75 mg/m^2 was administered intravenously on Day 1 of each 3-weekly cycle until progression."
    assert ents(nlp, text, ("SCHEDULE", "DURATION")) == [("Day 1 of each 3-weekly cycle", "SCHEDULE")]
    text = "Docetaxel 75 mg/m2 iv on day 1, each 3 weeks, in combination with doxorubicin."
    assert ents(nlp, text, ("SCHEDULE", "DURATION")) == [("day 1, each 3 weeks", "SCHEDULE")]
    text = "Epirubicin + Cyclophosphamide (EC) each 21 days for 4 cycles."
    assert ents(nlp, text, ("SCHEDULE", "DURATION")) == [("each 21 days", "SCHEDULE"), ("4 cycles", "DURATION")]
    text = "Formoterol 12 µg twice daily (b.i.d.) in the morning and in the evening via an inhaler."
    assert ents(nlp, text, ("SCHEDULE",)) == [("twice daily (b.i.d.) in the morning and in the evening", "SCHEDULE")]


def test_ordinal_intervals_ampersand_day_lists_and_lower_case_qw(nlp):
    # ``once every third week (q3w)`` (NCT00274456), ``once weekly (qw)`` (NCT02132949),
    # ``Day 1 & 15 of Cycle 1`` (NCT01797120)
    text = "ABI-007 300 mg/m^2 administered once every third week (q3w)."
    assert ents(nlp, text, ("SCHEDULE",)) == [("once every third week (q3w)", "SCHEDULE")]
    text = "Paclitaxel 80mg/m^2 IV once weekly (qw) for 12 weeks."
    assert ents(nlp, text, ("SCHEDULE", "DURATION")) == [("once weekly (qw)", "SCHEDULE"), ("12 weeks", "DURATION")]
    text = "Fulvestrant 500 mg Day 1 & 15 of Cycle 1, then Day 1 of all subsequent cycles."
    assert ents(nlp, text, ("SCHEDULE",)) == [("Day 1 & 15 of Cycle 1", "SCHEDULE"), ("Day 1 of all subsequent cycles", "SCHEDULE")]


def test_reassessment_and_diary_timings_are_not_schedules(nlp):
    # ``reassessed ... every 12 weeks thereafter`` (NCT00003055), ``a pain diary twice each day`` (NCT00003687)
    text = "Patients receive docetaxel every 3 weeks. Tumor status is reassessed at 6 weeks and every 12 weeks thereafter."
    assert ents(nlp, text, ("SCHEDULE",)) == [("every 3 weeks", "SCHEDULE")]
    text = "Patients receive oral morphine. Patients complete a pain diary twice each day during treatment."
    assert ents(nlp, text, ("SCHEDULE",)) == []


def test_cycle_of_a_range_of_days(nlp):
    # ``on Day 1 of each 21-28 day cycle`` (NCT03986528)
    text = "Paclitaxel 135 mg/m2 by IV infusion on Day 1 of each 21-28 day cycle, or pemetrexed."
    assert ents(nlp, text, ("SCHEDULE",)) == [("Day 1 of each 21-28 day cycle", "SCHEDULE")]


def test_hyphenated_interval_and_frequency_wordings(nlp):
    # ``every 2-week cycle`` (NCT04646330), ``once daily during each 21-day cycle`` (NCT00829166),
    # ``twice-a-day`` (NCT00404066)
    text = "Subjects receive AK104 10mg/kg IV every 2-week cycle plus anlotinib on days 1-14 of every 3-week cycle."
    assert ents(nlp, text, ("SCHEDULE",)) == [("every 2-week cycle", "SCHEDULE"), ("days 1-14 of every 3-week cycle", "SCHEDULE")]
    text = "Lapatinib 1250 mg orally once daily during each 21-day cycle."
    assert ents(nlp, text, ("SCHEDULE",)) == [("once daily during each 21-day cycle", "SCHEDULE")]
    text = "Dexamethasone was administered twice-a-day for 3 days."
    assert ents(nlp, text, ("SCHEDULE", "DURATION")) == [("twice-a-day", "SCHEDULE"), ("3 days", "DURATION")]


def test_week_numbers_after_a_frequency_join_it(nlp):
    # ``weekly on weeks 1-6`` (NCT00003234), ``once weekly at weeks 1-6`` (NCT00006034), like ``daily on days 1-14``;
    # bare week numbers of a visit schedule stay untagged
    text = "Patients receive vinorelbine IV over 6-10 minutes weekly on weeks 1-6. Treatment repeats every 8 weeks."
    assert ents(nlp, text, ("SCHEDULE",)) == [("weekly on weeks 1-6", "SCHEDULE"), ("every 8 weeks", "SCHEDULE")]
    text = "Treatment is given intravenously once weekly at Weeks 0, 1, 2, and 3."
    assert ents(nlp, text, ("SCHEDULE",)) == [("once weekly at Weeks 0, 1, 2, and 3", "SCHEDULE")]
    assert ents(nlp, "Patients are seen on weeks 1-4.", ("SCHEDULE",)) == []


def test_more_dosing_abbreviations(nlp):
    assert ents(nlp, "Patients receive paclitaxel 175 mg/m2 IV q.3 weeks.", ("SCHEDULE",)) == [("q.3 weeks", "SCHEDULE")]
    assert ents(nlp, "Sildenafil 50 mg qAM and prednisone 5 mg PO q.o.d.", ("SCHEDULE",)) == [
        ("qAM", "SCHEDULE"), ("q.o.d.", "SCHEDULE"),
    ]
    assert ents(nlp, "Interferon alfa 3 MU SC TIW for 6 months.", ("SCHEDULE", "DURATION")) == [
        ("TIW", "SCHEDULE"), ("6 months", "DURATION"),
    ]


def test_timing_counted_from_the_last_dose_of_another_drug(nlp):
    # guide 1.2 (timing relative to an event): the drug named as the event is inside the span,
    # not tagged (NCT00004231, NCT01827163)
    text = "At 24 hours following the last dose of busulfan, patients receive cyclophosphamide IV."
    assert ents(nlp, text, ("SCHEDULE", "DRUG")) == [
        ("24 hours following the last dose of busulfan", "SCHEDULE"), ("cyclophosphamide", "DRUG"),
    ]
    text = "Trastuzumab may be started from 1-3 weeks after the last dose of paclitaxel."
    assert ents(nlp, text, ("SCHEDULE", "DRUG")) == [
        ("Trastuzumab", "DRUG"), ("1-3 weeks after the last dose of paclitaxel", "SCHEDULE"),
    ]


def test_follow_up_and_assessment_schedules_are_not_tagged(nlp):
    text = ("Patients who complete or discontinue treatment are\r\n"
            "      followed every 6 months for up to 2 years.")
    assert ents(nlp, text) == []
    text = "Participants will undergo blood tests every 3 weeks and tumor assessments every 6 weeks."
    assert ents(nlp, text) == []


def test_duration_bounds_treatment(nlp):
    text = "* HAIC with FOLFOX regimen: Up to 6 cycles\n* Treatment continues until disease progression or up to 24 months\n"
    assert ents(nlp, text, ("DURATION", "TIMEFRAME")) == [("Up to 6 cycles", "DURATION"), ("up to 24 months", "DURATION")]


def test_outcome_line_in_prose_keeps_commas_inside_time_frame(nlp):
    text = ("Objective Response Rate (ORR) as Assessed by RECIST v1.1, From first dose until disease progression or "
            "up to 24 months of treatment, with tumor assessments performed every 9 weeks for the first 48 weeks and "
            "every 12 weeks thereafter.\n")
    assert ents(nlp, text) == [
        ("Objective Response Rate (ORR)", "ENDPOINT"),
        ("From first dose until disease progression or up to 24 months of treatment, with tumor assessments "
         "performed every 9 weeks for the first 48 weeks and every 12 weeks thereafter", "TIMEFRAME"),
    ]


def test_outcome_line_measure_and_time_frame(nlp):
    text = ("Title\nSummary.\nCancer\nDRUG: Bevacizumab\n"
            "Overall Survival (OS), Time from first dose to death, From time of first dose until death from any cause, "
            "assessed up to approximately 48 months\nDescription.")
    assert ents(nlp, text, ("ENDPOINT", "TIMEFRAME")) == [
        ("Overall Survival (OS)", "ENDPOINT"),
        ("From time of first dose until death from any cause, assessed up to approximately 48 months", "TIMEFRAME"),
    ]


def test_outcome_items_spanning_lines_and_list_time_frames(nlp):
    text = ("Title\nSummary.\nErectile Dysfunction\nDRUG: Tadalafil\n"
            "Erectile Hardness Score (EHS), Developed in 1998, the EHS is a single-item Likert scale.\n\n"
            "The EHS score was taken pre and post intervention, 4 weeks|Blood pressure, Baseline, Week 4, Week 12\n"
            "Tadalafil: tadalafil 2.5mg once daily for 4 weeks\n")
    assert ents(nlp, text) == [
        ("Erectile Hardness Score (EHS)", "ENDPOINT"), ("EHS score", "ENDPOINT"), ("4 weeks", "TIMEFRAME"),
        ("Blood pressure", "ENDPOINT"), ("Baseline, Week 4, Week 12", "TIMEFRAME"),
        ("2.5mg", "DOSE"), ("once daily", "SCHEDULE"), ("4 weeks", "DURATION"),
    ]


def test_report_outcome_block(nlp):
    text = ("Outcome Measurement: \n"
            "  Progression Free Survival (PFS), the Length of Time, in Months, That Patients Were Alive\n"
            "  Progression Free Survival (PFS) is defined as the interval from the date of first treatment.\n"
            "  Time frame: 18 months\n")
    assert ents(nlp, text, ("ENDPOINT", "TIMEFRAME")) == [
        ("Progression Free Survival (PFS)", "ENDPOINT"), ("Progression Free Survival (PFS)", "ENDPOINT"),
        ("18 months", "TIMEFRAME"),
    ]


def test_prose_endpoints_with_qualifiers_and_later_abbreviation(nlp):
    text = ("The primary endpoint is 6- month Progression Free Survival (PFS) rate. "
            "Secondary: Incidence of Grade 3 or higher adverse events (AEs) and ORR.")
    assert ents(nlp, text, ("ENDPOINT",)) == [
        ("6- month Progression Free Survival (PFS) rate", "ENDPOINT"),
        ("Incidence of Grade 3 or higher adverse events (AEs)", "ENDPOINT"),
        ("ORR", "ENDPOINT"),
    ]


def test_outcome_measure_drops_leading_aim_and_method_clause(nlp):
    text = ("Title\nSummary.\nErectile Dysfunction\nDRUG: Sildenafil\n"
            "To determine the change from baseline in Erectile Function (EF) domain score, Week 8\n")
    assert ents(nlp, text, ("ENDPOINT", "TIMEFRAME")) == [
        ("change from baseline in Erectile Function (EF) domain score", "ENDPOINT"), ("Week 8", "TIMEFRAME"),
    ]
    text = ("Outcome Measurement: \n"
            "  Percentage of Participants With Pathological Complete Response (pCR) Assessed Based on Tumor Samples\n"
            "  Time frame: 6 months\n")
    assert ents(nlp, text, ("ENDPOINT",)) == [
        ("Percentage of Participants With Pathological Complete Response (pCR)", "ENDPOINT"),
    ]


def test_quantity_an_intervention_acts_on_is_an_endpoint(nlp):
    text = ("This trial studies the effect of exercise training on disease activity and severity in adults. "
            "We measure the impact of a low-salt diet on the CD4 T-cell count and percentage after 3 months.")
    assert ents(nlp, text, ("ENDPOINT",)) == [
        ("disease activity and severity", "ENDPOINT"), ("CD4 T-cell count and percentage", "ENDPOINT"),
    ]


def test_population_or_disease_acted_on_is_not_an_endpoint(nlp):
    text = ("The effect of exercise on patients with heart failure is unknown. "
            "We study the impact of vitamins on early atherosclerosis. "
            "Effect of Training on Erectile Dysfunction and Portal Hemodynamics in Cirrhosis")
    assert ents(nlp, text, ("ENDPOINT",)) == [("Portal Hemodynamics", "ENDPOINT")]


def test_measure_field_listing_measures_gives_one_endpoint_each(nlp):
    text = ("Title\nSummary.\nHypertension\nDRUG: Losartan\n"
            "Serum cholesterol, high-density lipoprotein, and low-density lipoprotein levels, 2 years|"
            "Disease Control Rate (DCR), DCR is defined as the proportion of subjects with CR, PR, or SD, 1 year|"
            "Fractures of the hip, spine, and wrist, 5 years\n")
    assert ents(nlp, text, ("ENDPOINT",)) == [
        ("Serum cholesterol", "ENDPOINT"), ("high-density lipoprotein", "ENDPOINT"),
        ("low-density lipoprotein levels", "ENDPOINT"), ("Disease Control Rate (DCR)", "ENDPOINT"),
        ("DCR", "ENDPOINT"), ("Fractures of the hip, spine, and wrist", "ENDPOINT"),
    ]  # a list that is the object of one measure stays in it (train gold: ``Joint bleeding of the elbow, knee, and ankle``)


def test_physiological_quantities_and_defining_qualifiers(nlp):
    text = ("Supine blood pressure and pulse rate are recorded before each dose. "
            "The dose is adjusted for high blood pressure. "
            "We aim to achieve durable complete remission. Evaluate possible antitumor effects of this regimen.")
    assert ents(nlp, text, ("ENDPOINT",)) == [
        ("Supine blood pressure", "ENDPOINT"), ("pulse rate", "ENDPOINT"),
        ("durable complete remission", "ENDPOINT"), ("antitumor effects", "ENDPOINT"),
    ]


def test_stopping_rule_toxicity_is_not_an_endpoint(nlp):
    text = "Courses repeat every 21 days in the absence of disease progression or unacceptable toxicity."
    assert ents(nlp, text, ("ENDPOINT",)) == []


def test_outcome_lines_whose_time_frame_is_a_list_of_numbers(nlp):
    # NCT00463099 (registry record, no interventions line): one outcome per
    # line, no ``|``; the last ``, `` of ``2, 6, and 10 years`` is inside the
    # time frame, so each line is an item of its own
    text = ("Multicenter Orthopaedics Outcomes Network for ACL Reconstructions\n\n"
            "      The purpose of this study is to determine the effect of modifiable risk factors on knee\r\n"
            "      function.\r\n    \nRupture of Anterior Cruciate Ligament\n"
            "Signs and symptoms of osteoarthritis, Signs of OA (as measured by joint space narrowing on a "
            "standing radiograph)., 2, 6, and 10 years\n"
            "ACL graft failure, 2, 6, and 10 years\n\n"
            "      Disruption of the anterior cruciate ligament (ACL) is among the most frequent musculoskeletal\r\n"
            "      injuries.\r\n")
    assert ents(nlp, text, ("TIMEFRAME",)) == [("2, 6, and 10 years", "TIMEFRAME"), ("2, 6, and 10 years", "TIMEFRAME")]
    assert ("ACL graft failure", "ENDPOINT") in ents(nlp, text, ("ENDPOINT",))


def test_prose_window_keeps_the_event_it_is_counted_from(nlp):
    # NCT00000436, NCT00008333 (registry records): ``post-discharge`` and
    # ``of therapy`` belong to the assessment window
    text = ("Activities of daily living and recurrent falls will be assessed at baseline and 1 year "
            "post-discharge. Quality of life is assessed at baseline and after 8 weeks of therapy.")
    assert ents(nlp, text, ("TIMEFRAME",)) == [
        ("baseline and 1 year post-discharge", "TIMEFRAME"), ("baseline and after 8 weeks of therapy", "TIMEFRAME"),
    ]
    text = "Serum viral RNA is measured after 16 weeks of randomized treatment."
    assert ents(nlp, text, ("TIMEFRAME",)) == [("16 weeks of randomized treatment", "TIMEFRAME")]


def test_conditions_field_names_no_endpoint(nlp):
    # registry condition terms (PDQ vocabulary in 17, 13 and 11 corpus records)
    text = ("Irinotecan With Cyclosporine in Treating Patients With Cancer\nSummary.\n"
            "Drug/Agent Toxicity by Tissue/Organ|Lymphoma|Radiation Toxicity|Quality of Life\n"
            "DRUG: irinotecan hydrochloride\n")
    assert ents(nlp, text, ("ENDPOINT",)) == []


def test_report_description_opening_with_a_measure_phrase_restates_it(nlp):
    # NCT00741260, NCT00454805 (trial reports): a verbless opening measure
    # phrase is an ENDPOINT; a bare ``Number of months`` before its window is not
    text = ("Outcome Measurement: \n  Number of Participants With Dose Limiting Toxicities\n"
            "  Number of participants reporting Adverse Events Causing Dose Limiting Toxicities (DLT).\n"
            "  Time frame: From first dose date to day 21\nResults 1: \n")
    assert ("Number of participants reporting Adverse Events Causing Dose Limiting Toxicities (DLT)", "ENDPOINT") \
        in ents(nlp, text, ("ENDPOINT",))
    text = ("Outcome Measurement: \n  Progression Free Survival\n"
            "  Number of months from randomisation until progressive disease based on RECIST.\n"
            "  Time frame: RECIST performed at screening and every 8 weeks\nResults 1: \n")
    assert ("Number of months", "ENDPOINT") not in ents(nlp, text, ("ENDPOINT",))


def test_qt_interval_is_a_named_measure(nlp):
    # NCT00005367 (registry record)
    text = ("      To conduct a cross-sectional epidemiologic study of the determinants of prolonged heart rate\r\n"
            "      corrected QT interval (QTc) among 300 men and 300 woman in the population with the highest\r\n"
            "      known risk of SUDS.\n")
    assert ("QT interval (QTc)", "ENDPOINT") in ents(nlp, text, ("ENDPOINT",))


def test_incidence_an_intervention_reduces_is_an_endpoint(nlp):
    # NCT00001628, NCT00000481 (registry records)
    text = ("Several recent clinical trials with angiotensin converting enzyme inhibitors (ACEI) have shown "
            "that they also reduce the incidence of myocardial infarction, but the mechanisms underlying this "
            "anti-ischemic effect are poorly understood.")
    assert ents(nlp, text, ("ENDPOINT",)) == [("incidence of myocardial infarction", "ENDPOINT")]
    text = ("The full-scale trial sought to determine whether a low-fat diet could decrease the incidence of "
            "cancer and coronary heart disease in postmenopausal women.")
    assert ents(nlp, text, ("ENDPOINT",)) == [
        ("incidence of cancer", "ENDPOINT"), ("coronary heart disease", "ENDPOINT"),
    ]


def test_response_reached_as_a_patient_state_is_not_an_endpoint(nlp):
    # NCT00006363, NCT00003602, NCT00005993 (registry records): a response
    # or an adverse reaction the patients are in, achieve or did not have
    # decides their next treatment; it is not measured
    text = ("INTENSIFICATION THERAPY: Patients in complete remission receive intensification therapy. "
            "Patients are randomized to one of two treatment arms for consolidation therapy after "
            "achieving complete remission. Patients who did not experience adverse reactions to SCF "
            "during mobilization begin posttransplant injections.")
    assert ents(nlp, text, ("ENDPOINT",)) == []
    measured = "The percent of patients in complete remission is compared between the arms."
    assert ents(nlp, measured, ("ENDPOINT",)) == [("complete remission", "ENDPOINT")]


def test_a_threshold_in_words_after_a_measure_is_a_condition(nlp):
    text = ("PRIMARY: To compare the immunogenicity of two vaccines versus placebo in HIV-infected adults "
            "with CD4 counts greater than or equal to 500\n      cells/mm3.\n")
    assert ents(nlp, text, ("ENDPOINT",)) == [("immunogenicity", "ENDPOINT")]


def test_bad_pattern_is_reported(nlp):
    tagger = AttributeTagger(nlp)
    with pytest.raises(ValueError, match="attribute pattern 1"):
        tagger.set_data([{"label": "DOSE", "pattern": "("}], [], {})
    with pytest.raises(ValueError, match="needs a label"):
        tagger.set_data([{"label": "DRUGS", "pattern": "x"}], [], {})


def test_macros_expand_grouped():
    assert expand_macros(r"a{_}b{1,3}", {"_": r"\s+"}) == r"a(?:\s+)b{1,3}"


def test_serialization_round_trip(nlp, tmp_path):
    tagger = nlp.get_pipe("extractor_attributes")
    tagger.to_disk(tmp_path)
    copy = AttributeTagger(nlp).from_disk(tmp_path)
    assert copy.patterns == tagger.patterns
    assert copy.endpoint_terms == tagger.endpoint_terms
    assert copy.endpoint_measures == tagger.endpoint_measures and copy.endpoint_measures
    assert copy.context == tagger.context
    assert json.loads((tmp_path / "context.json").read_text())["macros"]


def test_real_documents_doses_and_schedules(nlp):
    # end to end on train documents: every gold DOSE and SCHEDULE is found with exact offsets
    wanted = {"report_NCT02049957", "outline_NCT00003732"}
    for gold in [d for d in load_split(ANNOTATIONS, "train") if d.id in wanted]:
        doc = nlp(gold.text)
        predicted = {(e.start_char, e.end_char, e.label_) for e in doc.ents if e.label_ in ("DOSE", "SCHEDULE")}
        expected = {(e.start, e.end, e.label) for e in gold.entities if e.label in ("DOSE", "SCHEDULE")}
        assert expected <= predicted, gold.id


def test_followed_by_is_not_follow_up(nlp):
    text = "Trastuzumab was started with a loading dose of 8 mg/kg, followed by 6 mg/kg IV on day 1 of each subsequent cycle, repeated every 21 days."
    assert ents(nlp, text, ("DOSE", "ROUTE", "SCHEDULE")) == [
        ("8 mg/kg", "DOSE"), ("6 mg/kg", "DOSE"), ("IV", "ROUTE"),
        ("day 1 of each subsequent cycle", "SCHEDULE"), ("every 21 days", "SCHEDULE"),
    ]


def test_infusion_length_is_not_a_duration(nlp):
    text = "On day 1, patients receive paclitaxel as a 3 hour\r\n      continuous IV infusion followed by carboplatin."
    assert ents(nlp, text, ("DURATION",)) == []


def test_eligibility_windows_and_bounded_prior_use(nlp):
    text = ("Exclusion Criteria:\n"
            "* Treatment with investigational therapy =\\< 28 days prior to randomization\n"
            "* Zidovudine (AZT) at a dose = or < 600 mg/day at least 90 days prior to study entry.\n")
    assert ents(nlp, text, ("DOSE", "SCHEDULE", "DURATION")) == [
        ("600 mg", "DOSE"), ("/day", "SCHEDULE"), ("at least 90 days", "DURATION"),
    ]


def test_outcome_time_frames_written_as_sentences(nlp):
    # NCT05632042: a one-item primary line and a ``|`` list, every time frame a sentence
    text = ("Title\nSummary.\nPsoriasis|Metabolic Syndrome|Erectile Dysfunction\n"
            "BEHAVIORAL: lifestyle modification (exercise and control of diet)\n"
            "International Index of Erectile Function, Arabic version of this 5-item questionnaire will used to assess "
            "erectile function/dysfunction, It will be measured after 12-week intervention\n"
            "body mass index, patients will be assessed with empty bowel and bladder, It will be measured after "
            "12-week intervention|triglycerides, it will be measured in serum, It will be measured after 12-week "
            "intervention\n"
            "erectile dysfunction (ED) psoriatic men with metabolic syndrome will receive lifestyle changes.")
    assert ents(nlp, text, ("ENDPOINT", "TIMEFRAME")) == [
        ("International Index of Erectile Function", "ENDPOINT"), ("erectile function", "ENDPOINT"),
        ("It will be measured after 12-week intervention", "TIMEFRAME"),
        ("body mass index", "ENDPOINT"), ("It will be measured after 12-week intervention", "TIMEFRAME"),
        ("triglycerides", "ENDPOINT"), ("It will be measured after 12-week intervention", "TIMEFRAME"),
    ]


def test_outcome_lines_without_interventions_line(nlp):
    # NCT00000783 shape: title, wrapped summary, conditions, outcome line, no interventions
    text = ("Long-Term Data Collection From Participants in Adult AIDS Clinical Trials\n\n"
            "      The purpose of this study is to determine what combinations of anti-HIV drugs work best in\r\n"
            "      patients treated over several years.\r\n    \nHIV Infections\n"
            "Successive suppressed viral load measures, Measured 144 weeks after randomization|"
            "Genotypic or phenotypic resistance, Measured at baseline and study completion\n"
            "\n      BACKGROUND:\r\n      Cardiovascular disease remains the leading cause of death.")
    assert ents(nlp, text, ("ENDPOINT", "TIMEFRAME")) == [
        ("Successive suppressed viral load measures", "ENDPOINT"),
        ("Measured 144 weeks after randomization", "TIMEFRAME"),
        ("Genotypic or phenotypic resistance", "ENDPOINT"),
        ("Measured at baseline and study completion", "TIMEFRAME"),
    ]


def test_registry_measure_naming_the_measured_drug(nlp):
    # NCT00000197: measure-only outcome items; the drug is what is measured
    text = ("Title\nSummary.\nCocaine-Related Disorders\nDRUG: Propranolol\n"
            "Side effects|Cocaine use|Cocaine withdrawal|Cocaine craving\n")
    doc = nlp(text)
    line = text.index("Side effects")
    assert [(e.text, e.label_) for e in doc.ents if e.start_char >= line] == [
        ("Side effects", "ENDPOINT"), ("Cocaine use", "ENDPOINT"),
        ("Cocaine withdrawal", "ENDPOINT"), ("Cocaine craving", "ENDPOINT"),
    ]
    # a treatment clause still cuts the measure before the drug
    text = ("Title\nSummary.\nCocaine-Related Disorders\nDRUG: Buprenorphine\n"
            "Effects of buprenorphine on cocaine craving|Cocaine use\n")
    doc = nlp(text)
    line = text.index("Effects of")
    assert [(e.text, e.label_) for e in doc.ents if e.start_char >= line] == [
        ("Effects", "ENDPOINT"), ("buprenorphine", "DRUG"), ("cocaine", "DRUG"), ("Cocaine use", "ENDPOINT"),
    ]


def test_measured_drug_inside_pharmacokinetic_endpoints(nlp):
    # NCT01254383 and NCT05332340: a pharmacokinetic quantity of one drug is one
    # ENDPOINT and the drug is not tagged (guide 1.1, gold ``Clearance of BZ371A``)
    text = ("Title\nSummary.\nErectile Dysfunction\nDRUG: Sildenafil ODT\n"
            "AUC(0-t) of sildenafil., Up to 1 month|Cmax of sildenafil., Up to 1 month|"
            "Clearance (CL), Clearance of BZ371A, 0 (Pre-dose), 15, 30, 60, 180 and 360 minutes post dose\n")
    line = text.index("AUC(0-t)")
    assert [(e.text, e.label_) for e in nlp(text).ents if e.start_char >= line] == [
        ("AUC(0-t) of sildenafil", "ENDPOINT"), ("Up to 1 month", "TIMEFRAME"),
        ("Cmax of sildenafil", "ENDPOINT"), ("Up to 1 month", "TIMEFRAME"),
        ("Clearance (CL)", "ENDPOINT"), ("Clearance of BZ371A", "ENDPOINT"),
        ("0 (Pre-dose), 15, 30, 60, 180 and 360 minutes post dose", "TIMEFRAME"),
    ]
    # NCT00495326: the measure ends with the drug; a treatment clause after it stays out
    text = ("Title\nSummary.\nHIV Infections\nDRUG: Nevirapine\n"
            "Pharmacokinetic profile of nevirapine when combined with rifampicin, 2 months\n")
    line = text.index("Pharmacokinetic")
    assert [(e.text, e.label_) for e in nlp(text).ents if e.start_char >= line] == [
        ("Pharmacokinetic profile of nevirapine", "ENDPOINT"), ("rifampicin", "DRUG"), ("2 months", "TIMEFRAME"),
    ]


def test_measured_drug_in_prose_objectives(nlp):
    # NCT00001676, NCT00491790: the route word before the drug goes with it
    assert [(e.text, e.label_) for e in nlp(
        "Determine the bioavailability and pharmacokinetic parameters of subcutaneous fludarabine.").ents] == [
        ("bioavailability", "ENDPOINT"), ("pharmacokinetic parameters of subcutaneous fludarabine", "ENDPOINT"),
    ]
    # the objective's whole object, as train nononc_NCT00491790 has it
    assert [(e.text, e.label_) for e in nlp("Estimate the first dose pharmacokinetic parameters of Montelukast.").ents] == [
        ("first dose pharmacokinetic parameters of Montelukast", "ENDPOINT"),
    ]


def test_treatments_after_a_measure_keep_the_drug(nlp):
    # NCT00002208: a list of drugs is a treatment, not one measured drug
    text = "To characterize the steady-state pharmacokinetic profiles of indinavir, ZDV (or d4T), and 3TC."
    assert [e.label_ for e in nlp(text).ents if e.text == "indinavir"] == ["DRUG"]
    # a dose (``maximum tolerated dose``) or a dosing clause (``single dose``) is not a measured quantity
    assert ents(nlp, "Determine the maximum tolerated dose of topotecan.", ("ENDPOINT", "DRUG")) == [
        ("maximum tolerated dose", "ENDPOINT"), ("topotecan", "DRUG"),
    ]
    # NCT01215409: the drug's intake is the treatment event of the measure
    text = ("Title\nSummary.\nErectile Dysfunction\nDRUG: Vardenafil\n"
            "Time to first intercourse after intake of vardenafil, 2 months\n")
    line = text.index("Time to")
    assert [(e.text, e.label_) for e in nlp(text).ents if e.start_char >= line] == [
        ("Time to first intercourse after intake", "ENDPOINT"), ("vardenafil", "DRUG"), ("2 months", "TIMEFRAME"),
    ]


def test_length_of_treatment_clause_after_a_measure(nlp):
    # NCT00002854: ``<measure> of <length> of <treatment>``: the measure ends before
    # the clause and the length is the treatment's DURATION
    text = ("Title\nSummary.\nBreast Cancer\nDRUG: Bevacizumab\n"
            "Completion Rate of 1 Year of Bevacizumab Therapy, Assessed at the end of treatment, 2 years|"
            "Feasibility of two cycles of high dose chemotherapy with stem cell reinfusion, 6 months\n")
    line = text.index("Completion")
    assert [(e.text, e.label_) for e in nlp(text).ents if e.start_char >= line] == [
        ("Completion Rate", "ENDPOINT"), ("1 Year", "DURATION"), ("Bevacizumab", "DRUG"), ("2 years", "TIMEFRAME"),
        ("Feasibility", "ENDPOINT"), ("two cycles", "DURATION"), ("high dose chemotherapy", "DRUG_CLASS"),
        ("6 months", "TIMEFRAME"),
    ]


def test_one_word_time_frames_keep_the_outcome_chain(nlp):
    # NCT00001244: ``ongoing`` time frames, a second outcome line, then the description
    text = ("Title\nSummary.\nImmunologic Deficiency Syndromes\nPROCEDURE: Blood draw\n"
            "Evaluation of organ dysfunction/damage resulting from immune abnormality, To establish the extent of "
            "organ involvement., ongoing|Establish pattern/pace of disease process, To establish the pattern and "
            "pace of change of disease., at 1 year and ongoing\n"
            "Establish baseline of pattern/pace of disease process before participating in therapeutic trials, To "
            "establish a baseline assessment of the pace and extent of the disease before entering a therapeutic "
            "clinical trial., ongoing\n"
            "\n      The purpose of this protocol is to carry out laboratory studies.")
    assert ents(nlp, text, ("ENDPOINT", "TIMEFRAME")) == [
        ("Evaluation of organ dysfunction/damage resulting from immune abnormality", "ENDPOINT"),
        ("ongoing", "TIMEFRAME"),
        ("Establish pattern/pace of disease process", "ENDPOINT"), ("at 1 year and ongoing", "TIMEFRAME"),
        ("Establish baseline of pattern/pace of disease process before participating in therapeutic trials", "ENDPOINT"),
        ("ongoing", "TIMEFRAME"),
    ]


def test_registry_schedule_wordings(nlp):
    # intervention descriptions of ctgov_records.jsonl
    text = "amiodarone: Patients assigned will receive 400 mg bid for 14 days, 400 mg QAM and 200 mg QHS for 14 days"
    assert ents(nlp, text, ("SCHEDULE",)) == [("bid", "SCHEDULE"), ("QAM", "SCHEDULE"), ("QHS", "SCHEDULE")]
    assert ents(nlp, "leucovorin calcium: 5 mg q 6 hours for 4 doses", ("SCHEDULE",)) == [("q 6 hours", "SCHEDULE")]
    assert ents(nlp, "Furmonertinib: 240mg QD on a continuous dosing schedule.", ("SCHEDULE",)) == [
        ("QD on a continuous dosing schedule", "SCHEDULE"),
    ]
    text = "sildenafil: doses (8, 16, 32, 48, 60 mg) are blind; administered up to 1-2 times per week."
    assert ents(nlp, text, ("SCHEDULE",)) == [("1-2 times per week", "SCHEDULE")]
    text = ("infliximab: Subjects will be on a stable dose of methotrexate 12.5 to 20 mg per week and will be started "
            "on infliximab 5 mg/kg")
    assert ents(nlp, text, ("DOSE", "SCHEDULE")) == [
        ("12.5 to 20 mg", "DOSE"), ("per week", "SCHEDULE"), ("5 mg/kg", "DOSE"),
    ]
    text = "Viracept (Nelfinavir Mesylate) 1250 Mg BID, Crixivan (Indinavir Sulfate) 1200mg q12h"
    assert ents(nlp, text, ("SCHEDULE",)) == [("BID", "SCHEDULE"), ("q12h", "SCHEDULE")]
    text = "lovastatin: Lovastatin was begun at a dose of 20 mg twice a day (in the morning and at bedtime)."
    assert ents(nlp, text, ("SCHEDULE",)) == [("twice a day", "SCHEDULE"), ("morning and at bedtime", "SCHEDULE")]


def test_time_of_day_of_a_visit_is_not_a_schedule(nlp):
    text = ("Subjects will visit the study site as outpatients in the morning for their remaining PK blood sample "
            "collection on Days 3-5.")
    assert ents(nlp, text, ("SCHEDULE",)) == []


def test_registry_endpoint_names_in_prose(nlp):
    # brief summaries and descriptions of ctgov_records.jsonl
    text = ("with evaluation of objective response rate, duration\r\n      of response, and time to disease "
            "progression in these patients.")
    assert ents(nlp, text, ("ENDPOINT",)) == [
        ("objective response rate", "ENDPOINT"), ("duration\r\n      of response", "ENDPOINT"),
        ("time to disease progression", "ENDPOINT"),
    ]
    text = ("conventional IFN alfa monotherapy showed that the sustained virologic response (SVR) rates\r\n"
            "      were 37% and 33%, respectively")
    assert ents(nlp, text, ("ENDPOINT",)) == [("sustained virologic response (SVR) rates", "ENDPOINT")]


def test_prose_time_frames_after_an_assessment_verb(nlp):
    # brief summaries and descriptions of ctgov_records.jsonl
    text = ("Outcome of the therapy was assessed at 3 months and 12 months following randomization by an\r\n"
            "      extensive battery.")
    assert ents(nlp, text, ("TIMEFRAME",)) == [("3 months and 12 months", "TIMEFRAME")]
    text = ("Body composition, anthropometry, dietary\r\n      intake, and general physical health are assessed at "
            "baseline and at Weeks 6 and 12")
    assert ents(nlp, text, ("TIMEFRAME",)) == [("baseline and at Weeks 6 and 12", "TIMEFRAME")]
    # a bare ``at baseline`` and a visit schedule of the patients are not windows
    text = "Biomarkers are measured at baseline. Patients are evaluated at weeks 1, 2, 4, 6, 8, 12, 24, 36, and 48."
    assert ents(nlp, text, ("TIMEFRAME",)) == []
    # without an assessment verb a length stays what it was
    assert ents(nlp, "Treatment continues for 12 weeks.", ("TIMEFRAME",)) == []


def test_treatment_event_inside_a_schedule(nlp):
    # train document report_NCT02872103: the timing names the chemotherapy cycle it refers to
    text = "Placebo, pre-filled syringe administered Day 2 of the first chemotherapy cycle"
    assert ents(nlp, text, ("SCHEDULE", "DRUG_CLASS")) == [("Day 2 of the first chemotherapy cycle", "SCHEDULE")]
    # outside a timing expression the class mention stays
    assert ents(nlp, "Patients receive chemotherapy on day 1.", ("SCHEDULE", "DRUG_CLASS")) == [
        ("chemotherapy", "DRUG_CLASS"), ("day 1", "SCHEDULE"),
    ]


def test_no_attribute_is_bare_punctuation(nlp):
    # NCT04646330: the parenthesis glued to "cycle" once gave a SCHEDULE ")"
    doc = nlp("Subjects receive AK104 10mg/kg every 2-week cycle(Q2W) intravenously (IV) plus anlotinib.")
    texts = [e.text for e in get_entities(doc)]
    assert all(any(c.isalnum() for c in t) for t in texts)
    assert any("Q2W" in e.text for e in get_entities(doc, ["SCHEDULE"]))


def test_spelled_units_with_their_abbreviation_and_spelled_auc(nlp):
    # report_NCT02131064 (train): the parenthesised unit stays in the DOSE
    text = ("Participants received pertuzumab 840 milligrams (mg) (loading dose) and 420 mg (maintenance dose) "
            "intravenous (IV) infusion, trastuzumab 8 milligrams per kilogram (mg/kg) (loading dose) and 6 mg/kg "
            "(maintenance dose) IV infusion, docetaxel 75 milligrams per square meter (mg/m^2) IV infusion and "
            "carboplatin at a dose to achieve an area under the curve (AUC) of 6 milligrams per milliliter* minute "
            "(mg/mL*min) IV infusion every 3 weeks (q3w) for 6 cycles in neoadjuvant period.")
    assert ents(nlp, text, ("DOSE",)) == [
        ("840 milligrams (mg)", "DOSE"), ("420 mg", "DOSE"), ("8 milligrams per kilogram (mg/kg)", "DOSE"),
        ("6 mg/kg", "DOSE"), ("75 milligrams per square meter (mg/m^2)", "DOSE"),
        ("area under the curve (AUC) of 6 milligrams per milliliter* minute (mg/mL*min)", "DOSE"),
    ]


def test_titration_targets_equivalences_and_combination_strengths_are_doses(nlp):
    text = "All subjects started at 100 mg and titrated up to 150 mg or down to 50 mg per Investigator and subject."
    assert ents(nlp, text, ("DOSE",)) == [("100 mg", "DOSE"), ("150 mg", "DOSE"), ("50 mg", "DOSE")]
    text = "sacubitril/valsartan 200 mg = 97 mg/103 mg bid sacubitril/valsartan film-coated tablets"
    assert ents(nlp, text, ("DOSE",)) == [("200 mg", "DOSE"), ("97 mg/103 mg", "DOSE")]
    text = "Toronto association coated tablet, 20 mg + 30 mg or 20 mg + 60 mg, oral, 2 hours before the sexual intercourse."
    assert ents(nlp, text, ("DOSE", "ROUTE")) == [("20 mg + 30 mg", "DOSE"), ("20 mg + 60 mg", "DOSE"), ("oral", "ROUTE")]


def test_urine_ratio_thresholds_are_not_doses(nlp):
    text = ("Urine albumin-to-creatinine ratio at least 30 mg/g; Urine albumin\n"
            "        excretion rate at least 30 mg/24 hours Low-density lipoproteins (fasting) at least 80 mg/dL")
    assert ents(nlp, text, ("DOSE",)) == []


def test_route_phrases_by_mouth_by_vein_and_oral_administration(nlp):
    text = "It is not yet known whether giving vinorelbine by mouth or infusion is more effective"
    assert ents(nlp, text, ("ROUTE",)) == [("by mouth", "ROUTE")]
    text = "Cyclophosphamide is given by vein (IV) over 1 hour on consecutive days -3 and -2."
    assert ents(nlp, text, ("ROUTE",)) == [("vein (IV)", "ROUTE")]
    text = "A Study to Investigate the Drug Interaction After Oral Administration of Tamsulosin and SK3530"
    assert ents(nlp, text, ("ROUTE",)) == [("Oral", "ROUTE")]
    text = "Tislelizumab: 200mg, iv, Q3W, 3-4 cycle"
    assert ents(nlp, text, ("DOSE", "ROUTE")) == [("200mg", "DOSE"), ("iv", "ROUTE")]
    text = "OUTLINE: Patients receive daily intravenous infusions of cyclophosphamide for two days."
    assert ents(nlp, text, ("ROUTE",)) == [("intravenous", "ROUTE")]
    # a lower-case roman numeral far from a drug is not a route
    assert ents(nlp, "(iv) patients with prior surgery", ("ROUTE",)) == []


def test_stage_lists_with_slashes_and_parentheses_are_not_routes(nlp):
    text = ("Histologically proven stage IIIB (with pleural effusions), IV, or recurrent non-small\n"
            "             cell lung cancer. All patients are stage IIIB/C or IV non-small cell lung cancer")
    assert ents(nlp, text, ("ROUTE",)) == []


def test_duration_bounds_additional_totals_phases_and_chemotherapy_cycles(nlp):
    text = ("Patients receive vinblastine and methotrexate IV weekly for 26 weeks, then every 2\n"
            "      weeks for an additional 26 weeks.")
    assert ents(nlp, text, ("DURATION",)) == [("26 weeks", "DURATION"), ("additional 26 weeks", "DURATION")]
    text = "Pertuzumab and trastuzumab q3w for 12 cycles in adjuvant period (up to a total of 18 cycles)."
    assert ents(nlp, text, ("DURATION",)) == [("12 cycles", "DURATION"), ("up to a total of 18 cycles", "DURATION")]
    text = "Sildenafil, for a total of 12 weeks (8-week DB phase and 4-week OL phase)."
    assert ents(nlp, text, ("DURATION",)) == [
        ("total of 12 weeks", "DURATION"), ("8-week DB phase", "DURATION"), ("4-week OL phase", "DURATION"),
    ]
    text = "F-627 20 mg fixed dose pre-filled syringe, dosed Day 2 of each of 4 chemotherapy cycles."
    assert ents(nlp, text, ("DURATION", "DRUG_CLASS")) == [("4 chemotherapy cycles", "DURATION")]
    assert ents(nlp, "We will give patients hormones for 1 year.", ("DURATION",)) == [("1 year", "DURATION")]


def test_windows_that_are_not_treatment_lengths(nlp):
    text = "At least 4 weeks since prior chemotherapy (6 weeks for nitrosoureas) and recovered"
    assert ents(nlp, text, ("DURATION",)) == []
    text = "Patients are treated with topotecan, receiving a maximum of 3 dose levels with 2 weeks of rest between each dose level."
    assert ents(nlp, text, ("DURATION",)) == []
    text = "Patients must be on an ACEI or an ARB at a stable dose for at least 4 weeks prior study start"
    assert ents(nlp, text, ("DURATION",)) == []
    text = "Testosterone level 300-1000 ng/dL within 1 month prior to enrollment"
    assert ents(nlp, text, ("TIMEFRAME", "DURATION")) == []


def test_registry_time_frame_naming_the_drug_is_one_timeframe(nlp):
    text = ("A Phase I Study of SK3530\n"
            "SK3530 and tamsulosin\nHypotension\nDRUG: SK3530|DRUG: Tamsulosin\n"
            "Incidence of postural hypotension, within 6 hrs after SK3530 or placebo\n")
    doc = nlp(text)
    field = text.index("within 6 hrs")
    assert ("within 6 hrs after SK3530 or placebo", "TIMEFRAME") in [(e.text, e.label_) for e in doc.ents]
    assert [e.text for e in doc.ents if e.label_ == "DRUG"] == ["SK3530", "SK3530", "tamsulosin", "SK3530", "Tamsulosin"]
    assert all(e.start_char < field for e in doc.ents if e.label_ == "DRUG")


def test_outcome_time_frame_lists_with_a_repeated_unit(nlp):
    # modern_NCT00665340 (train): ``Week 4, 8 Week 8`` is one time-frame field
    text = ("Vardenafil in Erectile Dysfunction\nA study of vardenafil.\nErectile Dysfunction\n"
            "DRUG: Placebo|DRUG: Levitra (Vardenafil, BAY38-9456)\n"
            "Safety and tolerability, Week 8|Patient Diary Questions, Weeks 4, 8 Week 8|"
            "Global Assessment Question (GAQ), Weeks 4, 8 of treatment and Week 8\n")
    assert ents(nlp, text, ("TIMEFRAME",)) == [
        ("Week 8", "TIMEFRAME"), ("Weeks 4, 8 Week 8", "TIMEFRAME"), ("Weeks 4, 8 of treatment and Week 8", "TIMEFRAME"),
    ]


def test_attached_and_slashed_frequencies(nlp):
    # NCT00002633, NCT00000694, NCT00885755 (registry intervention and description text)
    text = "Leuprolide 22.5 mg IM Q3mos or Buserelin 9.45mg SC Q12wk."
    assert ents(nlp, text, ("SCHEDULE",)) == [("Q3mos", "SCHEDULE"), ("Q12wk", "SCHEDULE")]
    # a parenthesised restatement joins its timing, as ``every 3 weeks (q3w)`` in the gold
    text = "AZT is given orally every 4 hours (6 times/day)."
    assert ents(nlp, text, ("SCHEDULE",)) == [("every 4 hours (6 times/day)", "SCHEDULE")]
    text = "docetaxel 75 mg/m^2 3-weekly (if prior adjuvant docetaxel)"
    assert ents(nlp, text, ("SCHEDULE",)) == [("3-weekly", "SCHEDULE")]


def test_alternate_days_and_day_intervals(nlp):
    # NCT00000157, NCT00003249
    text = "whether one 325-mg aspirin tablet, taken on alternate days, protects against cataract formation"
    assert ents(nlp, text, ("SCHEDULE",)) == [("alternate days", "SCHEDULE")]
    text = ("Topotecan is administered alone on day 2 of the first course. Subsequent courses begin at 28 day "
            "intervals in the absence of disease progression.")
    assert ("28 day intervals", "SCHEDULE") in ents(nlp, text, ("SCHEDULE",))


def test_either_frequency_and_first_day_of_later_cycles(nlp):
    # NCT00003726; the ``first day of all subsequent cycles`` wording of report_NCT00405938
    text = "Patients receive dose escalated lepirudin subcutaneously once or twice a day for 3-4 days."
    assert ents(nlp, text, ("SCHEDULE",)) == [("once or twice a day", "SCHEDULE")]
    text = ("Patients receive 500 mg of fulvestrant on Day 1 of Cycle 2 and the first day of all subsequent cycles "
            "thereafter.")
    assert ents(nlp, text, ("SCHEDULE",)) == [
        ("Day 1 of Cycle 2 and the first day of all subsequent cycles thereafter", "SCHEDULE")
    ]


def test_visit_intervals_are_not_schedules(nlp):
    # NCT00001964: a blood-draw interval in weeks is an assessment time, not a dosing schedule
    text = "During this time, blood will be drawn at 3-week intervals and a bone marrow examination will be repeated."
    assert ents(nlp, text, ("SCHEDULE",)) == []


def test_phase_one_purpose_names_side_effects_not_a_treatment(nlp):
    # NCI PDQ stock wording (NCT00003174, NCT00002546)
    # ``best dose`` is a measure too (train gold outline_NCT00004075, outline_NCT00492921)
    text = "PURPOSE: This phase I trial is studying the side effects and best dose of cladribine when given with rituximab."
    assert ents(nlp, text, ("ENDPOINT",)) == [("side effects", "ENDPOINT"), ("best dose", "ENDPOINT")]
    text = ("PURPOSE: This randomized phase III trial is studying radiation therapy to see how well it works compared "
            "to combination chemotherapy.")
    assert ents(nlp, text, ("ENDPOINT",)) == []


def test_mtd_being_determined_is_an_endpoint_but_not_at_the_mtd(nlp):
    # PDQ outline wording (outline_NCT00004075, elig_NCT00003105 of the train split)
    text = "Once the MTD is determined, additional patients are treated at the MTD."
    assert [(t, label, start) for t, label, start in
            [(e.text, e.label_, e.start_char) for e in nlp(text).ents if e.label_ == "ENDPOINT"]] == [
        ("MTD", "ENDPOINT", 9)
    ]


def test_endpoint_before_a_drug_code_starting_with_digits(nlp):
    # outline_NCT00004075: ``of 17-N-...`` is a drug, not a threshold (``toxicity of > 2``)
    text = ("OBJECTIVES: - Determine the maximum tolerated dose and dose-limiting toxicity of "
            "17-N-allylamino-17-demethoxygeldanamycin in patients with advanced cancer.")
    assert ents(nlp, text, ("ENDPOINT",)) == [("maximum tolerated dose", "ENDPOINT"), ("dose-limiting toxicity", "ENDPOINT")]


def test_change_in_a_measure_and_named_measures(nlp):
    # NCT00000127, NCT00005033
    text = ("Secondary outcomes include a change in visual acuity beyond 6 months, change in peripheral visual field, "
            "change in quality of life, and other associated morbidity.")
    assert ("change in quality of life", "ENDPOINT") in ents(nlp, text, ("ENDPOINT",))
    text = "OBJECTIVES: - Determine the response rate, freedom from progression, and survival of patients."
    assert ents(nlp, text, ("ENDPOINT",)) == [
        ("response rate", "ENDPOINT"), ("freedom from progression", "ENDPOINT"), ("survival", "ENDPOINT")
    ]
    # seed_001: a result statement; ``increase in`` is not part of the measure
    text = "there is no significant increase in adverse reactions compared with chemotherapy."
    assert ents(nlp, text, ("ENDPOINT",)) == [("adverse reactions", "ENDPOINT")]


def test_registry_measure_with_the_measured_drug_after_its_first_words(nlp):
    # NCT00000214, NCT00001304 outcome measures: the drug is the measured quantity
    text = ("Buprenorphine Treatment for Cocaine Users\nThis study tests buprenorphine in cocaine users.\n"
            "Cocaine-Related Disorders\nDRUG: Buprenorphine\n"
            "Direct cocaine effects, 12 weeks|Effects of buprenorphine on mood, 12 weeks")
    found = ents(nlp, text, ("ENDPOINT", "DRUG"))
    assert ("Direct cocaine effects", "ENDPOINT") in found and found.count(("cocaine", "DRUG")) == 1
    # the effect of a treatment on a measure: the measure is what is affected (train gold, NCT05466695)
    assert ("mood", "ENDPOINT") in found and found.count(("buprenorphine", "DRUG")) == 2
    text = ("Magnesium in Asthma\nThis study tests magnesium.\nAsthma\nDRUG: magnesium sulfate\n"
            "Serum Magnesium Level, Measurements were taken 1 hour before the morning dose, 3 years")
    found = ents(nlp, text, ("ENDPOINT", "DRUG"))
    assert ("Serum Magnesium Level", "ENDPOINT") in found and found.count(("Magnesium", "DRUG")) == 1  # the title


def test_days_of_a_procedure_are_not_schedules(nlp):
    # NCT00002474, NCT00001756: reinfusion and apheresis days are procedure dates, not drug schedules
    text = ("Bone marrow is reinfused on day 0. Patients receive filgrastim SC daily until blood counts recover. "
            "Healthy volunteers will undergo a single leukapheresis at day 7.")
    assert ents(nlp, text, ("SCHEDULE",)) == [("daily", "SCHEDULE")]


def test_chemotherapy_cycles_count_is_a_duration_not_a_class(nlp):
    # report_NCT02872103 wording: the class word only names the cycles being counted
    text = "Patients receive F-627 20 mg subcutaneously, dosed Day 2 of each of 4 chemotherapy cycles."
    found = [(e.text, e.label_) for e in nlp(text).ents]
    assert ("4 chemotherapy cycles", "DURATION") in found and ("Day 2", "SCHEDULE") in found
    assert all(label != "DRUG_CLASS" for _, label in found)


def test_capitalised_per_day_after_a_dose(nlp):
    # NCT05466695 title, NCT00568022 arm title
    text = "Comparing The Effect of Tadalafil 5 mg/Day to Sildenafil 25 mg/Day on Erectile Dysfunction"
    assert ents(nlp, text, ("DOSE", "SCHEDULE")) == [
        ("5 mg", "DOSE"), ("/Day", "SCHEDULE"), ("25 mg", "DOSE"), ("/Day", "SCHEDULE")
    ]


def test_token_ranges_are_those_of_char_span_contract(nlp):
    """The tagger aligns candidates to tokens itself (no Span per candidate):
    the same tokens as ``doc.char_span(..., alignment_mode="contract")``."""
    from extractor.attributes import _DocView

    for text in ["Cisplatin 75 mg/m2  IV\r\n   on Day 1 (q3w).", " x", "a", ""]:
        doc = nlp(text)
        view = _DocView(doc)
        for start in range(-1, len(text) + 2):
            for end in range(start + 1, len(text) + 2):
                span = doc.char_span(start, end, alignment_mode="contract") if start >= 0 else None
                expected = (span.start, span.end) if span is not None and len(span) else None
                assert view.contract(start, end) == expected, (text, start, end)


def test_event_timing_with_short_hour_unit_and_article(nlp):
    # modern_NCT05052879, modern_NCT00665340
    text = "Tadalafil: Tadalafil coated tablet, 20 mg, oral, 2 hours before the sexual intercourse."
    assert ents(nlp, text, ("SCHEDULE",)) == [("2 hours before the sexual intercourse", "SCHEDULE")]
    text = "Patients take vardenafil 20 mg 1 h prior to sexual intercourse."
    assert ents(nlp, text, ("SCHEDULE",)) == [("1 h prior to sexual intercourse", "SCHEDULE")]


def test_consecutive_days_and_week_or_month_references_join_the_schedule(nlp):
    # outline_NCT00002831, outline_NCT00003248, report_NCT01129336
    text = "Busulfan is administered orally every 6 hours on consecutive days -6 through -4."
    assert ents(nlp, text, ("SCHEDULE",)) == [("every 6 hours on consecutive days -6 through -4", "SCHEDULE")]
    text = "Patients receive paclitaxel IV over 1 hour on day 5 of week 1."
    assert ents(nlp, text, ("SCHEDULE",)) == [("day 5 of week 1", "SCHEDULE")]
    text = "Patients receive zoledronic acid 4mg IV monthly during Months 1-18."
    assert ents(nlp, text, ("SCHEDULE",)) == [("monthly during Months 1-18", "SCHEDULE")]


def test_week_reference_alone_is_not_a_schedule(nlp):
    text = "Patients receive zoledronic acid 4mg IV. Bone scans are done in week 12."
    assert ents(nlp, text, ("SCHEDULE",)) == []


def test_count_of_cycles_with_a_cycle_length_is_one_duration(nlp):
    # report_NCT02005549
    text = ("Patients receive capecitabine 1250 mg/m^2 PO BID on days 1-14 for a maximum of five 3-week cycles.")
    assert ents(nlp, text, ("SCHEDULE", "DURATION")) == [
        ("BID on days 1-14", "SCHEDULE"), ("maximum of five 3-week cycles", "DURATION"),
    ]


def test_beginning_on_a_day_is_part_of_the_schedule(nlp):
    # outline_NCT00002831, outline_NCT00003158
    text = "Patients intolerant to tacrolimus receive cyclosporine IV beginning on day -2, then orally."
    assert ents(nlp, text, ("SCHEDULE",)) == [("beginning on day -2", "SCHEDULE")]
    text = "Patients receive carboplatin IV and etoposide IV on days 1-3. Cycle 2 begins on day 29."
    assert ents(nlp, text, ("SCHEDULE",)) == [("days 1-3", "SCHEDULE"), ("day 29", "SCHEDULE")]


def test_follow_up_schedule_after_an_assessment_word_further_back(nlp):
    # outline_NCT00003158, nononc_NCT00000961
    text = ("Patients are followed every month for the first year, every 3 months for the second year, "
            "every 6 months for the third year, and then annually thereafter.")
    assert ents(nlp, text, ("SCHEDULE",)) == []
    text = "Patients receive zidovudine daily. Patients are evaluated during treatment at weeks 2, 4, and every 4 weeks thereafter."
    assert ents(nlp, text, ("SCHEDULE",)) == [("daily", "SCHEDULE")]
    # a drug named between the assessment word and the timing keeps the schedule
    text = "After evaluation, patients receive nevirapine every 12 hours."
    assert ents(nlp, text, ("SCHEDULE",)) == [("every 12 hours", "SCHEDULE")]


def test_short_time_units_spelled_days_and_fortnightly(nlp):
    text = "Patients receive ondansetron 8 mg IV every 8 h on days 1-3 and nivolumab 240 mg IV every 2 wks."
    assert ents(nlp, text, ("SCHEDULE",)) == [("every 8 h on days 1-3", "SCHEDULE"), ("every 2 wks", "SCHEDULE")]
    text = "On day one, patients receive either midodrine or placebo."
    assert ents(nlp, text, ("SCHEDULE",)) == [("day one", "SCHEDULE")]
    text = "Patients receive filgrastim bi-weekly and cisplatin fortnightly."
    assert ents(nlp, text, ("SCHEDULE",)) == [("bi-weekly", "SCHEDULE"), ("fortnightly", "SCHEDULE")]


def test_schedule_code_before_a_full_stop(nlp):
    text = "Patients receive oxaliplatin on D1 and capecitabine D1-14, Q3W."
    assert ents(nlp, text, ("SCHEDULE",)) == [("D1", "SCHEDULE"), ("D1-14, Q3W", "SCHEDULE")]


def test_parenthesised_approximate_days_join_the_schedule(nlp):
    # outline_NCT00003158: the piece follows 'radiotherapy', judged with the schedule it joins
    text = ("Patients receive paclitaxel IV starting 4 weeks after completion of chemotherapy and radiotherapy "
            "and repeated every 3-4 weeks (approximately days 71, 92, and 103) for a total of 3 cycles.")
    assert ents(nlp, text, ("SCHEDULE",)) == [
        ("starting 4 weeks after completion of chemotherapy and radiotherapy", "SCHEDULE"),
        ("every 3-4 weeks (approximately days 71, 92, and 103)", "SCHEDULE"),
    ]
    text = "All patients begin nelfinavir at study entry (Day 1)."
    assert ents(nlp, text, ("SCHEDULE",)) == [("Day 1", "SCHEDULE")]


def test_schedule_limits_tails_and_lead_times(nlp):
    # modern_NCT00547508, report_NCT00570921, modern_NCT00809471, modern_NCT02778893 (batch 3, train)
    text = ("tadalafil: 10 mg tablet taken orally, no more than once a day, at anytime during the 2-4 week "
            "equilibration phase and then 24 hours prior to sexual intercourse")
    assert ents(nlp, text, ("SCHEDULE", "DURATION")) == [
        ("no more than once a day", "SCHEDULE"), ("2-4 week equilibration phase", "DURATION"),
        ("24 hours prior to sexual intercourse", "SCHEDULE"),
    ]
    text = "Fulvestrant was given 500 mg on day 1, then 250 mg on day 14, and then 250 mg on day 28 and every 4 weeks ± 3 days thereafter."
    assert ents(nlp, text, ("SCHEDULE",)) == [
        ("day 1", "SCHEDULE"), ("day 14", "SCHEDULE"), ("day 28 and every 4 weeks ± 3 days thereafter", "SCHEDULE"),
    ]
    text = "Everolimus was administered at 5 mg daily and then increased to 10 mg PO daily after that."
    assert ents(nlp, text, ("SCHEDULE",)) == [("daily", "SCHEDULE"), ("daily after that", "SCHEDULE")]
    text = "avanafil: 30 minutes orally prior to initiation of sexual activity"
    assert ents(nlp, text, ("SCHEDULE", "ROUTE")) == [
        ("30 minutes", "SCHEDULE"), ("orally", "ROUTE"), ("prior to initiation of sexual activity", "SCHEDULE"),
    ]
    text = "Thalidomide: 100mg one a day（QD）at night continuously"
    assert ents(nlp, text, ("SCHEDULE",)) == [("one a day（QD）at night continuously", "SCHEDULE")]
    # a tail alone is no schedule
    assert ents(nlp, "Patients are seen thereafter.", ("SCHEDULE",)) == []


def test_vaccination_schedules_and_dose_counts(nlp):
    # nononc_NCT00000968 (batch 3), NCT00001042 and NCT00000977 (ctgov_records.jsonl)
    text = ("Volunteers in phase 2 who received four doses of 50 mcg gp160 receive an additional boost of\n"
            "      200 mcg gp160 at 18-19 months post initial vaccination.")
    assert ents(nlp, text, ("SCHEDULE", "DURATION")) == [
        ("four doses", "DURATION"), ("18-19 months post initial vaccination", "SCHEDULE"),
    ]
    text = "Treatments are given at 0, 1, 3, 6, 9, and 12 months and patients are followed for up to 2 years."
    assert ents(nlp, text, ("SCHEDULE", "DURATION")) == [("0, 1, 3, 6, 9, and 12 months", "SCHEDULE")]
    text = "Patients receive CEA RNA pulsed dendritic cells intravenously every 2 weeks for a total of 4 doses."
    assert ents(nlp, text, ("SCHEDULE", "DURATION")) == [("every 2 weeks", "SCHEDULE"), ("total of 4 doses", "DURATION")]
    # dose levels compared, not a number of doses given
    text = "This study compares the safety and efficacy of 2 doses of avanafil to placebo in diabetic men."
    assert ents(nlp, text, ("DURATION",)) == []
    text = "Patients with a complete response (CR) receive up to 4 more courses after achieving CR."
    assert ents(nlp, text, ("DURATION",)) == [("up to 4 more courses", "DURATION")]


def test_multiplier_counts_after_a_schedule(nlp):
    # "every 21 days X 3": the multiplier after a schedule that ends in a time unit is a DURATION
    # (NCT00003587 and nli4ct records in the corpus; gold elig_NCT00003587, batch 16)
    text = "IV cisplatin 100 mg/m^2 day 1 every 21 days X 3"
    assert ents(nlp, text, ("SCHEDULE", "DURATION")) == [("day 1 every 21 days", "SCHEDULE"), ("X 3", "DURATION")]
    text = "Paclitaxel (T) at 175 mg/m2 q 2 weeks x 4 with filgrastim/pegfilgrastim support"
    assert ents(nlp, text, ("SCHEDULE", "DURATION")) == [("q 2 weeks", "SCHEDULE"), ("x 4", "DURATION")]
    # a count of doses keeps its multiplier sign, as "x 14 days" does
    text = "followed by trastuzumab q 3 weeks x 15 doses + daily oral lapatinib"
    assert ents(nlp, text, ("SCHEDULE", "DURATION")) == [
        ("q 3 weeks", "SCHEDULE"), ("x 15 doses", "DURATION"), ("daily", "SCHEDULE"),
    ]
    # radiation fractions and sizes are not counts of drug administrations
    assert ents(nlp, "1.8 Gy per day, 5 days x 14 fractions", ("DURATION",)) == []
    assert ents(nlp, "a lesion of 3 days x 2 cm", ("DURATION",)) == []


def test_dose_counts_with_total_or_series(nlp):
    # corpus records (ctgov_records.jsonl, nli4ct_ctrs.jsonl); gold report_NCT02301988 and elig_NCT00001572 (batch 16)
    text = "Treatment repeats on days 1, 5, and 10, and then every 3 weeks for 6 total doses."
    assert ents(nlp, text, ("DURATION",)) == [("6 total doses", "DURATION")]
    text = "Patients receive additional courses every 35 days for up to 12 total doses"
    assert ents(nlp, text, ("DURATION",)) == [("up to 12 total doses", "DURATION")]
    text = "HLA matched sibling donors receive a series of three vaccinations during an 8 week period."
    assert ents(nlp, text, ("DURATION",))[0] == ("series of three vaccinations", "DURATION")
    # a series of something that is not a dose stays out
    assert ents(nlp, "Each subject will receive a series of 8 treatments", ("DURATION",)) == []


def test_event_relative_day_numbers(nlp):
    # outline_NCT00002790 (batch 3)
    text = "Methotrexate is given on days 1, 3, and 6 post-transplant."
    assert ents(nlp, text, ("SCHEDULE",)) == [("days 1, 3, and 6 post-transplant", "SCHEDULE")]
    text = "Patients receive pentoxifylline 400 mg starting on the first postoperative day."
    assert ents(nlp, text, ("SCHEDULE",)) == [("starting on the first postoperative day", "SCHEDULE")]
    text = "Bone marrow transplantation occurs on day 0. Patients may not receive concurrent therapy."
    assert ents(nlp, text, ("SCHEDULE",)) == []


def test_timing_of_records_sessions_and_thresholds(nlp):
    # batch 3: nononc_NCT00001136, outline_NCT00004694, report_NCT01340300, elig_NCT00004494, modern_NCT04374994
    text = "Temperature and symptoms should be recorded by the volunteer each day for 2 days and reported."
    assert ents(nlp, text, ("SCHEDULE", "DURATION")) == []
    text = "Patients are asked to participate in providing a daily record of symptoms and medication taken."
    assert ents(nlp, text, ("SCHEDULE",)) == []
    text = "Exercise training plus metformin: Two supervised exercise sessions per week. Oral metformin QD for 2 weeks."
    assert ents(nlp, text, ("SCHEDULE",)) == [("QD", "SCHEDULE")]
    text = "Renal: No anuria (urine output less than 50 mL/day)"
    assert ents(nlp, text, ("SCHEDULE", "DOSE")) == []
    text = "This study was conducted to assess the effect of daily avanafil on the erectile function."
    assert ents(nlp, text, ("SCHEDULE",)) == [("daily", "SCHEDULE")]
    # a condition of eligibility, not a treatment length; a count of courses stays one
    text = "Androgen replacement therapy that has not been stable for at least 3 month;"
    assert ents(nlp, text, ("DURATION",)) == []
    text = "Patients may continue with treatment until tumor has remained stable for 12 courses."
    assert ents(nlp, text, ("DURATION",)) == [("12 courses", "DURATION")]


def test_lead_times_before_intercourse(nlp):
    # intervention wordings of ctgov_records.jsonl
    text = "vardenafil: 10 mg taken 1-2 hours before sexual activity"
    assert ents(nlp, text, ("SCHEDULE",)) == [("1-2 hours before sexual activity", "SCHEDULE")]
    text = "sildenafil: 50 mg taken 1 hour before attempting intercourse"
    assert ents(nlp, text, ("SCHEDULE",)) == [("1 hour before attempting intercourse", "SCHEDULE")]
    text = "avanafil: 100 mg taken 30 minutes prior to anticipated sexual activity"
    assert ents(nlp, text, ("SCHEDULE",)) == [("30 minutes prior to anticipated sexual activity", "SCHEDULE")]


def test_later_timings_of_a_follow_up_list_are_not_schedules(nlp):
    # NCT00003800 and NCT00003682 of ctgov_records.jsonl
    text = ("Patients are followed monthly during year 1, every 2 months during year 2, every 6 months during "
            "years 3-5, and annually thereafter.")
    assert ents(nlp, text, ("SCHEDULE",)) == []
    text = ("Response is assessed before treatment, every 4 weeks during treatment, and then every 3 months. "
            "Patients receive paclitaxel every 3 weeks.")
    assert ents(nlp, text, ("SCHEDULE",)) == [("every 3 weeks", "SCHEDULE")]
    # a drug after the assessment word keeps the timing
    text = "After evaluation, patients receive cisplatin on day 1, and etoposide every 3 weeks."
    assert ents(nlp, text, ("SCHEDULE",)) == [("day 1", "SCHEDULE"), ("every 3 weeks", "SCHEDULE")]


def test_timing_counted_from_a_transplant_or_cell_infusion(nlp):
    # outline_NCT00002831 (train) and NCT00003913 (ctgov_records.jsonl)
    text = "Patients receive tacrolimus IV beginning one day before stem cell infusion."
    assert ents(nlp, text, ("SCHEDULE",)) == [("beginning one day before stem cell infusion", "SCHEDULE")]
    text = "Patients receive filgrastim (G-CSF) IV beginning 4 hours after transplantation and continuing until blood counts recover."
    # the whole contiguous expression, its ``continuing until`` end included (train outline_NCT00008021)
    assert ents(nlp, text, ("SCHEDULE",)) == [
        ("beginning 4 hours after transplantation and continuing until blood counts recover", "SCHEDULE"),
    ]
    # an eligibility window is not a schedule
    text = "No chemotherapy within 4 weeks before transplantation."
    assert ents(nlp, text, ("SCHEDULE",)) == []


def test_named_treatment_phase_is_a_duration(nlp):
    # modern_NCT00343200 (train)
    text = "In 4-week OL phase, subjects received sildenafil 50 mg or 100 mg."
    assert ents(nlp, text, ("DURATION",)) == [("4-week OL phase", "DURATION")]


def test_per_dose_amounts_and_nebulized_route(nlp):
    # nononc_NCT00491790 (batch 3) and NCT00001818 (ctgov_records.jsonl)
    text = "Patients receive a standard nebulized albuterol treatment of 0.15 mg/kg/dose."
    assert ents(nlp, text, ("DOSE", "ROUTE")) == [("nebulized", "ROUTE"), ("0.15 mg/kg/dose", "DOSE")]
    text = "Two dose levels of hydroxyurea will be utilized (7.5 mg/kg/dose twice daily and 12.5 mg/kg/dose twice daily)."
    assert ents(nlp, text, ("DOSE", "SCHEDULE")) == [
        ("7.5 mg/kg/dose", "DOSE"), ("twice daily", "SCHEDULE"), ("12.5 mg/kg/dose", "DOSE"), ("twice daily", "SCHEDULE"),
    ]


def test_cycle_day_references_and_periods_per_month(nlp):
    # NCT00483223, NCT01855828, NCT00000466, NCT00002949, NCT00002516 (ctgov_records.jsonl, nli4ct_ctrs.jsonl)
    text = "Cisplatin: Given intravenously on the first day of each 3-week treatment cycle at 75mg/m2."
    assert ents(nlp, text, ("SCHEDULE",)) == [("first day of each 3-week treatment cycle", "SCHEDULE")]
    text = "Paclitaxel: Administered at 80mg/m2 every week from week 1 to 12 (12 doses total)."
    assert ents(nlp, text, ("SCHEDULE", "DURATION")) == [("every week from week 1 to 12", "SCHEDULE"), ("12 doses", "DURATION")]
    text = "medroxyprogesterone acetate (MPA), 10 milligrams per day for 12 days per month"
    assert ents(nlp, text, ("SCHEDULE", "DURATION")) == [("per day", "SCHEDULE"), ("12 days per month", "SCHEDULE")]
    text = "Arm A: Vinorelbine (qwk, 10, 15, 20 or 25 mg/m2)"
    assert ents(nlp, text, ("SCHEDULE",)) == [("qwk", "SCHEDULE")]
    text = "Postoperatively, all patients receive 10 courses of adjuvant chemotherapy."
    assert ents(nlp, text, ("SCHEDULE", "DURATION")) == [("Postoperatively", "SCHEDULE"), ("10 courses", "DURATION")]
    # ``from week N`` alone is no schedule
    assert ents(nlp, "Patients were seen from week 1 to 12.", ("SCHEDULE",)) == []


def test_measure_title_drops_restated_time_window(nlp):
    # the window belongs to the time-frame field, not to the measure's name
    text = ("Title\nSummary.\nErectile Dysfunction\nDRUG: Avanafil\n"
            "The percentage of change of NO serum level from baseline to 4 weeks, NO measured in serum, "
            "After 4 weeks treatment\n")
    assert ents(nlp, text, ("ENDPOINT", "TIMEFRAME")) == [
        ("percentage of change of NO serum level", "ENDPOINT"), ("After 4 weeks treatment", "TIMEFRAME"),
    ]
    text = ("Outcome Measurement: \n"
            "  Change From Baseline in FACT-B Score at Cycle 2\n"
            "  FACT-B is used for assessment.\n"
            "  Time frame: Baseline, Cycle 2\n")
    assert ents(nlp, text, ("ENDPOINT", "TIMEFRAME")) == [
        ("Change From Baseline in FACT-B Score", "ENDPOINT"), ("FACT-B", "ENDPOINT"),
        ("Baseline, Cycle 2", "TIMEFRAME"),
    ]


def test_time_frame_field_opening_with_baseline(nlp):
    text = ("Title\nSummary.\nErectile Dysfunction\nDRUG: Vardenafil\n"
            "Change in SEP question 3, Data presented as mean change from baseline, Baseline, 12 weeks\n")
    assert ents(nlp, text, ("ENDPOINT", "TIMEFRAME")) == [
        ("Change in SEP question 3", "ENDPOINT"), ("Baseline, 12 weeks", "TIMEFRAME"),
    ]


def test_objective_phrase_opening_with_a_conjunction_is_not_an_endpoint(nlp):
    text = "OBJECTIVES: To evaluate and estimate the safety and efficacy of the combination of fluconazole plus flucytosine."
    assert ents(nlp, text, ("ENDPOINT",)) == []
    text = "To determine in healthy volunteers the safety of two immunizations."
    assert ents(nlp, text, ("ENDPOINT",)) == []


def test_maximum_tolerated_dose_being_determined_is_an_endpoint(nlp):
    text = "Patients receive escalating doses of VIP until the maximum tolerated dose is determined."
    assert ents(nlp, text, ("ENDPOINT",)) == [("maximum tolerated dose", "ENDPOINT")]
    text = "Patients receive escalating doses until the maximum tolerated dose is reached."
    assert ents(nlp, text, ("ENDPOINT",)) == []


def test_immunogenicity_and_immune_responses_are_named_measures(nlp):
    text = ("A Trial to Evaluate the Safety and Immunogenicity of a Vaccine. "
            "Boosting resulted in humoral and cellular immune responses of greater duration.")
    assert ents(nlp, text, ("ENDPOINT",)) == [
        ("Immunogenicity", "ENDPOINT"), ("humoral and cellular immune responses", "ENDPOINT"),
    ]


def test_quantities_named_after_in_terms_of_or_regarding_are_endpoints(nlp):
    text = ("OBJECTIVES: Compare the efficacy of these regimens in terms of response rate, toxicity, "
            "and overall survival in patients with advanced cancer.")
    assert ents(nlp, text, ("ENDPOINT",)) == [
        ("response rate", "ENDPOINT"), ("toxicity", "ENDPOINT"), ("overall survival", "ENDPOINT"),
    ]
    # a measure field that is an aim names its measures after ``regarding``
    text = ("Title\nSummary.\nErectile Dysfunction\nDRUG: Avanafil\n"
            "Comparing avanafil with placebo group regarding post-treatment NO serum levels and percentage of "
            "change from baseline., After 4 weeks treatment\n")
    assert ents(nlp, text, ("ENDPOINT", "TIMEFRAME")) == [
        ("post-treatment NO serum levels", "ENDPOINT"), ("percentage of change from baseline", "ENDPOINT"),
        ("After 4 weeks treatment", "TIMEFRAME"),
    ]
    text = "Tolerance is assessed by measuring serum cortisol levels and adjusting the dose accordingly."
    assert ents(nlp, text, ("ENDPOINT",)) == [("serum cortisol levels", "ENDPOINT")]


def test_measure_line_opening_with_a_bare_aim_verb(nlp):
    text = ("Title\nSummary.\nAsthma\nDRUG: Montelukast\n"
            "Estimate the first dose pharmacokinetic parameters of Montelukast, 2 days\n")
    # the measured drug is inside the ENDPOINT (guide 1.1; gold of nononc_NCT00491790)
    assert ents(nlp, text, ("ENDPOINT", "TIMEFRAME")) == [
        ("first dose pharmacokinetic parameters of Montelukast", "ENDPOINT"), ("2 days", "TIMEFRAME"),
    ]


def test_report_description_naming_its_measure(nlp):
    text = ("Outcome Measurement: \n"
            "  Between-group Differences in Patient Complete Illness Understanding at 9-months\n"
            "  Illness understanding was measured by 4 questions regarding knowledge.\n"
            "  Time frame: 9 months\n")
    assert ents(nlp, text, ("ENDPOINT", "TIMEFRAME")) == [
        ("Between-group Differences in Patient Complete Illness Understanding", "ENDPOINT"),
        ("Illness understanding", "ENDPOINT"), ("9 months", "TIMEFRAME"),
    ]
    text = ("Outcome Measurement: \n  Clinical Benefit Rate\n"
            "  Clinical benefit (CB) for patients with solid tumors were assessed using RECIST 1.1.\n"
            "  Time frame: 12 months\n")
    assert ents(nlp, text, ("ENDPOINT",)) == [("Clinical Benefit Rate", "ENDPOINT"), ("Clinical benefit (CB)", "ENDPOINT")]
    # a population or a vague word opening the description is not a measure
    text = ("Outcome Measurement: \n  Number of Participants With Adverse Events\n"
            "  Participants were assessed at each visit.\n  Time frame: 12 months\n")
    assert ents(nlp, text, ("ENDPOINT",)) == [("Number of Participants With Adverse Events", "ENDPOINT")]


def test_measure_field_that_states_a_claim_is_not_an_endpoint(nlp):
    text = ("Title\nSummary.\nErectile Dysfunction\nDRUG: tadalafil|DRUG: placebo\n"
            "Prove superiority to placebo by measuring question 3 of the SEP diary, 6-10 and 24 weeks\n")
    assert ents(nlp, text, ("ENDPOINT", "TIMEFRAME")) == [
        ("question 3 of the SEP diary", "ENDPOINT"), ("6-10 and 24 weeks", "TIMEFRAME"),
    ]
    text = "To evaluate the tolerance, safety, and effectiveness of Viramune."
    assert ents(nlp, text, ("ENDPOINT",)) == []


def test_measure_keeps_the_scale_a_change_is_measured_in(nlp):
    text = ("Title\nSummary.\nErectile Dysfunction\nDRUG: Avanafil\n"
            "Measuring the degree of improvement in the IIEF-5 score, Assessed by the investigator, "
            "After 4 weeks treatment|Number of responders in the avanafil group, Responders counted, 4 weeks|"
            "Penile colour Doppler ultrasonography combined with prostaglandin-E1 injection, 12 months\n")
    assert ents(nlp, text, ("ENDPOINT",)) == [
        ("degree of improvement in the IIEF-5 score", "ENDPOINT"), ("Number of responders", "ENDPOINT"),
        ("Penile colour Doppler ultrasonography", "ENDPOINT"),
    ]


def test_measure_alone_drops_its_window_clause(nlp):
    text = ("Title\nSummary.\nAtherosclerosis\nDRUG: Vitamin E\n"
            "rate of change in average common carotid artery intima-media thickness (measured over 24 months)\n"
            "BACKGROUND: Evidence suggests ...\n")
    assert ents(nlp, text, ("ENDPOINT",)) == [
        ("rate of change in average common carotid artery intima-media thickness", "ENDPOINT"),
    ]


def test_subject_of_a_sentence_saying_it_is_measured(nlp):
    text = ("Patients receive one injection. Temperature and symptoms should be recorded by the volunteer each day. "
            "Physical activity was measured by questionnaire. Alcohol levels using a breathalyzer will be measured.")
    assert ents(nlp, text, ("ENDPOINT",)) == [
        ("Temperature", "ENDPOINT"), ("symptoms", "ENDPOINT"), ("Physical activity", "ENDPOINT"),
        ("Alcohol levels", "ENDPOINT"),
    ]
    # populations, samples, records and adverbial openings are not measures
    text = ("Patients will be monitored every three months. Outcome data were obtained from hospital charts. "
            "In addition, a blood sample will be obtained. Blood samples are obtained weekly.")
    assert ents(nlp, text, ("ENDPOINT",)) == []


def test_coordinated_modifiers_stay_in_one_named_quantity(nlp):
    text = ("OBJECTIVES: I. Evaluate oral topotecan and paclitaxel in terms of toxicity and complete and "
            "partial response rate in patients with cancer.")
    assert ents(nlp, text, ("ENDPOINT",)) == [
        ("toxicity", "ENDPOINT"), ("complete and partial response rate", "ENDPOINT"),
    ]
    text = ("COPD\n\n      In daily practice the expiratory flow limitation is measured by body plethysmography. "
            "Answers are recorded as Yes or No.")
    assert ents(nlp, text, ("ENDPOINT",)) == []


def test_outcome_time_frame_lists_keep_their_commas(nlp):
    # a time-frame field that lists time points is one TIMEFRAME, not its last point
    text = ("Title\nSummary.\nErectile Dysfunction\nDRUG: Vardenafil\n"
            "The Global Assessment Question, At 4, 8, 12 weeks after start of study drug administration|"
            "IIEF scores, visits 3, 4 and 5|"
            "AUClast, Pre-dose(0h), 0.5, 1, 1.5, 2, 72 hours post-dose|"
            "Viral load, Baseline, 6 wks, 3 months, Annually thereafter\n")
    assert [e for e in ents(nlp, text, ("TIMEFRAME",))] == [
        ("At 4, 8, 12 weeks after start of study drug administration", "TIMEFRAME"),
        ("visits 3, 4 and 5", "TIMEFRAME"),
        ("Pre-dose(0h), 0.5, 1, 1.5, 2, 72 hours post-dose", "TIMEFRAME"),
        ("Baseline, 6 wks, 3 months, Annually thereafter", "TIMEFRAME"),
    ]


def test_outcome_description_lists_stay_out_of_the_time_frame(nlp):
    # a description that ends in its own list of time points (closed by ``and``),
    # or a measure that ends in a bare number, is not part of the field
    text = ("Title\nSummary.\nErectile Dysfunction\nDRUG: MED3000\n"
            "Change from baseline in all domains of the IIEF, The efficacy of MED3000 in patients at weeks 4, 8 and 12, "
            "12 weeks|Disease Activity Score at d 0, 28, within the first 28 days\n")
    assert [e for e in ents(nlp, text, ("TIMEFRAME",))] == [
        ("12 weeks", "TIMEFRAME"), ("within the first 28 days", "TIMEFRAME"),
    ]


def test_outcome_measure_leaves_out_population_restated_time_and_derivation(nlp):
    # population (``in ED patients``), a restated time (``at Study End``, ``after one
    # year``) and a derivation clause (``induced by``) are not part of the measure
    text = ("Title\nSummary.\nErectile Dysfunction\nDRUG: Sildenafil\n"
            "Dyadic Adjustment Scale (DAS) in female partners, Week 8 and Week 12|"
            "Percentage of Patients Achieving a Target of Fasting LDL-C of <2mmol/l at Study End, 6 Weeks|"
            "Deaths after one year, 12 months|"
            "Increase of CD4 cell count induced by HAART, at 6 months and 1 year\n")
    assert ents(nlp, text, ("ENDPOINT",)) == [
        ("Dyadic Adjustment Scale (DAS)", "ENDPOINT"),
        ("Percentage of Patients Achieving a Target of Fasting LDL-C of <2mmol/l", "ENDPOINT"),
        ("Deaths", "ENDPOINT"),
        ("Increase of CD4 cell count", "ENDPOINT"),
    ]


def test_outcome_measure_leaves_out_worded_time_and_defining_sentence(nlp):
    text = ("Title\nSummary.\nHIV Infections\nDRUG: Nevirapine\n"
            "Viral load measure (Virological failure will be defined after 2 consecutive measures), 3, 6 and 12 months|"
            "Rate of ovarian failure at two years, 2 years\n")
    assert ents(nlp, text, ("ENDPOINT", "TIMEFRAME")) == [
        ("Viral load measure", "ENDPOINT"), ("3, 6 and 12 months", "TIMEFRAME"),
        ("Rate of ovarian failure", "ENDPOINT"), ("2 years", "TIMEFRAME"),
    ]


def test_visit_schedule_in_prose_is_not_a_time_frame(nlp):
    text = "Check-in visits, which include a genital exam, are performed at Weeks 1, 2, 4, 5, and 7."
    assert ents(nlp, text, ("TIMEFRAME",)) == []
    assert ents(nlp, "Blood pressure was measured at weeks 4 and 8.", ("TIMEFRAME",)) == [("weeks 4 and 8", "TIMEFRAME")]


def test_outcome_time_frame_lists_of_cycle_days_and_operation_points(nlp):
    text = ("Title\nSummary.\nColorectal Cancer\nDRUG: Fluorouracil\n"
            "Cmax, Predose, 1, 2, 4 hours postdose on Cycle 1 Day 1, Cycle 2 Day 1|"
            "Visual acuity, 1 month preop, at 12 and 24 weeks postop\n")
    assert ents(nlp, text, ("TIMEFRAME",)) == [
        ("Predose, 1, 2, 4 hours postdose on Cycle 1 Day 1, Cycle 2 Day 1", "TIMEFRAME"),
        ("1 month preop, at 12 and 24 weeks postop", "TIMEFRAME"),
    ]


def test_outcome_measure_cut_at_a_new_sentence_but_not_an_abbreviation(nlp):
    text = ("Title\nSummary.\nLyme Disease\nDRUG: Ceftriaxone\n"
            "Overall survival time. Time from randomization to death, 5 years|"
            "Biological markers of B. burgdorferi infection, 12 months\n")
    assert ents(nlp, text, ("ENDPOINT",)) == [
        ("Overall survival time", "ENDPOINT"), ("Biological markers of B. burgdorferi infection", "ENDPOINT"),
    ]


def test_dose_lists_sharing_one_unit(nlp):
    text = "Vardenafil 5/10/20mg vs placebo. Ezetimibe/simvastatin 10/40mg or atorvastatin 40mg daily."
    assert ents(nlp, text, ("DOSE",)) == [("5/10/20mg", "DOSE"), ("10/40mg", "DOSE"), ("40mg", "DOSE")]
    text = "Patients take 5, 10, or 20 mg vardenafil tablets orally; others take chlorthalidone 12.5 or 25 mg/day."
    assert ents(nlp, text, ("DOSE",)) == [("5, 10, or 20 mg", "DOSE"), ("12.5 or 25 mg", "DOSE")]
    # a titration stated week by week is one dose per week, not a list
    text = "Patients take risperidone 2 mg per day during week 2, 3 mg per day during week 3, and 4 mg per day."
    doses = [span for span, _ in ents(nlp, text, ("DOSE",))]
    assert "2 mg" in doses and not any("," in span or " and " in span for span in doses)


def test_schedules_with_rest_days_and_start_relative_to_an_event(nlp):
    text = "Patients receive IV arsenic trioxide over 2-3 hours for 5 consecutive days with 2 days of rest."
    assert ents(nlp, text, ("SCHEDULE", "DURATION")) == [("5 consecutive days with 2 days of rest", "SCHEDULE")]
    text = "Patients receive cytarabine IV on days 0-4. Treatment repeats at least every 2 weeks for up to 4 courses."
    assert ents(nlp, text, ("SCHEDULE", "DURATION")) == [
        ("days 0-4", "SCHEDULE"), ("at least every 2 weeks", "SCHEDULE"), ("up to 4 courses", "DURATION"),
    ]
    text = ("DTC 101 is given once every 4 weeks for 2 courses, beginning 4 weeks after\r\n      the last induction dose. "
            "A third dose of DTC 101 may be given 2 weeks following the second dose.")
    assert ents(nlp, text, ("SCHEDULE", "DURATION")) == [
        ("once every 4 weeks", "SCHEDULE"), ("2 courses", "DURATION"),
        ("beginning 4 weeks after\r\n      the last induction dose", "SCHEDULE"),
        ("2 weeks following the second dose", "SCHEDULE"),
    ]


def test_joined_schedule_naming_a_drug_keeps_its_leading_part(nlp):
    text = ("Patients receive goserelin subcutaneously once every 4 weeks beginning 1 week before start of "
            "cyclophosphamide-containing chemotherapy.")
    # the drug is the event the timing counts from: the whole expression, as the
    # train gold has it (report_NCT00068601)
    assert ents(nlp, text, ("SCHEDULE",)) == [
        ("once every 4 weeks beginning 1 week before start of cyclophosphamide-containing chemotherapy", "SCHEDULE"),
    ]
    # a drug the timing does not count from (not right after after/before) keeps the leading part
    text = "Patients receive filgrastim SC daily beginning 1 day after completion of the cisplatin course."
    assert ents(nlp, text, ("SCHEDULE",)) == [("daily", "SCHEDULE")]


def test_approximate_treatment_length_after_for(nlp):
    text = "Participants will take flibanserin 100mg orally every night for approximately 3 months."
    assert ents(nlp, text, ("DURATION",)) == [("approximately 3 months", "DURATION")]
    # a study length without a drug stays untagged
    assert ents(nlp, "Study participation lasts for approximately 48 weeks.", ("DURATION",)) == []


def test_schedule_continues_with_its_starting_point(nlp):
    text = ("Patients apply curcumin-based gel topically TID approximately every 4-6 hours beginning on the first day "
            "of radiation therapy and continuing until 1 week after completion of radiation therapy.")
    assert ents(nlp, text, ("SCHEDULE",)) == [(
        "TID approximately every 4-6 hours beginning on the first day of radiation therapy and continuing until "
        "1 week after completion of radiation therapy", "SCHEDULE")]
    text = ("Methotrexate is given intrathecally monthly,\r\n      beginning on the second month through the eighth "
            "month of treatment.")
    assert ents(nlp, text, ("SCHEDULE",)) == [(
        "monthly,\r\n      beginning on the second month through the eighth month of treatment", "SCHEDULE")]
    # a starting dose level is not a time
    text = "Azithromycin is given at doses starting at the lowest dose for the first cohort."
    assert ents(nlp, text, ("SCHEDULE",)) == []


VARDENAFIL_RECORD = (
    "BAY38-9456, 5/10/20mg, vs.Placebo in Erectile Dysfunction\n"
    "Purpose of the study is:- To assess the efficacy and tolerability of vardenafil in male subjects "
    "suffering from erectile dysfunction as compared to placebo\n"
    "Erectile Dysfunction\n"
    "DRUG: Levitra (Vardenafil, BAY38-9456)|DRUG: Placebo\n"
    "LOCF improved compared to baseline GAQ results at the end of the study, baseline versus visit 2 visit 5 "
    "or premature termination visit\n"
    "IIEF scores, visits 3, 4 and 5|SSES-E scores, visits 2 and 5 or premature termination visit\n"
    "Levitra (Vardenafil, BAY38-9456): 5, 10, or 20 mg Vardenafil tablets orally prior to sexual activity\n"
    "Placebo: Matching placebo tablets orally prior to sexual activity\n"
    "Inclusion Criteria:\n\n* Men with heterosexual relationships aged 18 - 64 years suffering from ED for more "
    "than 6 months."
)


def test_intervention_description_after_outcome_lines_is_no_outcome_item(nlp):
    # the sections' outcome block runs on over the ``name: description`` line
    # of an intervention of the interventions line: no TIMEFRAME over it, and
    # its dose, route and schedule are tagged as in any description
    doc = nlp(VARDENAFIL_RECORD)
    line_start = VARDENAFIL_RECORD.index("Levitra (Vardenafil, BAY38-9456): ")
    line_end = VARDENAFIL_RECORD.index("\n", line_start)
    found = [(e.text, e.label_) for e in doc.ents if line_start <= e.start_char < line_end and e.label_ in LABELS]
    assert found == [("5, 10, or 20 mg", "DOSE"), ("orally", "ROUTE"), ("prior to sexual activity", "SCHEDULE")]
    outcome_end = VARDENAFIL_RECORD.index("Levitra (Vardenafil, BAY38-9456): ")
    timeframes = [e.text for e in doc.ents if e.label_ == "TIMEFRAME"]
    assert all(e.end_char <= outcome_end for e in doc.ents if e.label_ in ("TIMEFRAME", "ENDPOINT"))
    assert timeframes == ["baseline versus visit 2 visit 5 or premature termination visit", "visits 3, 4 and 5",
                          "visits 2 and 5 or premature termination visit"]


def test_label_line_without_intervention_name_stays_an_outcome_line(nlp):
    # a ``Label: ...`` line whose label names no listed intervention is kept
    text = (
        "Study of Drug X in Asthma\n"
        "A trial.\n"
        "Asthma\n"
        "DRUG: Budesonide\n"
        "FEV1, Week 12\n"
        "Safety: number of participants with adverse events, Up to 26 weeks\n"
        "Budesonide: 200 mcg inhaled twice daily for 12 weeks\n"
    )
    doc = nlp(text)
    timeframes = [e.text for e in doc.ents if e.label_ == "TIMEFRAME"]
    assert timeframes == ["Week 12", "Up to 26 weeks"]
    assert not [e for e in doc.ents if e.label_ in ("TIMEFRAME", "ENDPOINT") and e.start_char >= text.index("Budesonide:")]


def test_arm_lines_before_intervention_descriptions_are_no_outcome_items(nlp):
    # NCT00000451: a measure-only outcome line, then two ``label: description``
    # arm lines and the intervention descriptions
    text = (
        "Drug Therapy for Alcohol Dependence in Alaska Natives (Naltrexone/Sertraline)\n"
        "This study will assess the ability of naltrexone (Revia) to reduce the risk of relapse.\n"
        "Alcoholism|Alcohol Dependence\n"
        "DRUG: sertraline|DRUG: naltrexone\n"
        "Days abstinent\n"
        "1: Naltrexone plus Sertraline\n"
        "2: Naltrexone alone\n"
        "sertraline: 16 week outpatient study\n"
        "naltrexone: 16 week outpatient study\n"
    )
    doc = nlp(text)
    assert [(e.text, e.label_) for e in doc.ents if e.label_ in ("ENDPOINT", "TIMEFRAME")] == [("Days abstinent", "ENDPOINT")]


def test_multi_line_outcome_item_before_arm_lines_is_kept(nlp):
    # NCT05366842: a bulleted ``domains: ...`` line inside the last outcome
    # item is no arm line; the item keeps its time frame
    text = (
        "Stravix in Nerve Sparing Prostatectomy\n"
        "A trial.\n"
        "Prostate Cancer\n"
        "DEVICE: Stravix\n"
        "Change in erectile function, IIEF-5 score., 1, 3, 6 and 18 months post-surgery\n"
        "Change in quality of life (EPIC score), Questionnaires are combined.\n\n"
        "* The MUSIC questionnaire assesses four domains: urinary, bowel, sexual and hormonal., "
        "1, 3, 6, 9, 12 and 18 months post-surgery\n"
        "Stravix: Direct placement of LPT over the spared neurovascular bundles.\n"
    )
    doc = nlp(text)
    assert [e.text for e in doc.ents if e.label_ == "TIMEFRAME"] == [
        "1, 3, 6 and 18 months post-surgery", "1, 3, 6, 9, 12 and 18 months post-surgery",
    ]


def test_outcome_description_naming_its_method_is_not_the_time_frame(nlp):
    # a description "Assessed by <method>" before the time-frame field is not part of it;
    # "assessed up to ..." still opens or continues a time frame
    text = ("Title\nSummary.\nCancer\nDRUG: Bevacizumab\n"
            "Incidence of adverse events, Assessed by CTCAE version 5.0, up to 24 months|"
            "Overall Survival (OS), Measured using hospital records, assessed up to approximately 48 months\n")
    assert ents(nlp, text, ("ENDPOINT", "TIMEFRAME")) == [
        ("Incidence of adverse events", "ENDPOINT"), ("up to 24 months", "TIMEFRAME"),
        ("Overall Survival (OS)", "ENDPOINT"), ("assessed up to approximately 48 months", "TIMEFRAME"),
    ]


def test_outcome_description_restating_the_measure_in_other_words(nlp):
    # guide 1.1: a measure restated in the description is its own ENDPOINT;
    # the restatement ends before a verb, method, purpose or treatment clause
    text = ("Title\nSummary.\nErectile Dysfunction\nDRUG: Tadalafil\n"
            "Physical Exam, Number of participants with abnormal physical exam findings, Baseline and 1 week|"
            "Penile cavernosal artery peak systolic velocity (PSV), Changes in penile cavernosal artery peak systolic "
            "velocity in \\[cm/s\\] as determined by Penile color Doppler, 1, 3, 6, 12 months|"
            "Adverse Effects Evaluation, Adverse effect evaluation of compound use and application, Up to one week|"
            "Duplex - Resistance index(RI), To assess penile hemodynamics - Penile vascular resistance Index, 0,16 weeks\n")
    assert ents(nlp, text, ("ENDPOINT", "TIMEFRAME")) == [
        ("Physical Exam", "ENDPOINT"), ("Number of participants with abnormal physical exam findings", "ENDPOINT"),
        ("Baseline and 1 week", "TIMEFRAME"),
        ("Penile cavernosal artery peak systolic velocity (PSV)", "ENDPOINT"),
        ("Changes in penile cavernosal artery peak systolic velocity", "ENDPOINT"), ("1, 3, 6, 12 months", "TIMEFRAME"),
        ("Adverse Effects Evaluation", "ENDPOINT"), ("Adverse effect evaluation", "ENDPOINT"),
        ("Up to one week", "TIMEFRAME"),
        ("Duplex - Resistance index(RI)", "ENDPOINT"), ("penile hemodynamics", "ENDPOINT"), ("0,16 weeks", "TIMEFRAME"),
    ]


def test_outcome_description_defining_a_rate_or_naming_the_method_is_not_restated(nlp):
    text = ("Title\nSummary.\nLung Cancer\nDRUG: Bevacizumab\n"
            "Objective Response Rate, Percent of patients who have either complete or partial response, Up to 48 months|"
            "Objective Response Rate, Proportion of patients with complete or partial response, Up to 48 months|"
            "Erectile Function Score, The International Index of Erectile Function (IIEF-15) was used to assess "
            "the outcome, 12 weeks\n")
    assert ents(nlp, text, ("ENDPOINT", "TIMEFRAME")) == [
        ("Objective Response Rate", "ENDPOINT"), ("Up to 48 months", "TIMEFRAME"),
        ("Objective Response Rate", "ENDPOINT"), ("Up to 48 months", "TIMEFRAME"),
        ("Erectile Function Score", "ENDPOINT"), ("12 weeks", "TIMEFRAME"),
    ]


def test_objective_adjectives_naming_the_measure_and_bare_qualified_safety(nlp):
    text = "To determine the pharmacokinetic properties, tolerance and safety of 2 formulations of stavudine."
    assert ents(nlp, text, ("ENDPOINT",)) == [("pharmacokinetic properties", "ENDPOINT")]
    # guide 1.1: bare safety/efficacy, also qualified, and a lone modifier of a coordination are not measures
    text = ("OBJECTIVES: I. Evaluate the long term safety and efficacy of orally administered calcitriol. "
            "II. Evaluate the immune, endocrine, and clinical effects of this regimen.")
    assert ents(nlp, text, ("ENDPOINT",)) == []
    assert ents(nlp, "To evaluate short-term and long-term safety and efficacy of intravenous ganciclovir.",
                ("ENDPOINT",)) == []


def test_measure_field_cuts_the_study_drug_of_its_safety(nlp):
    text = ("Title\nSummary.\nPremature Ejaculation\nDRUG: Dapoxetine\n"
            "Evaluation of safety of study drug, Number of Participants with Abnormal Laboratory Values, 4 weeks\n")
    assert ents(nlp, text, ("ENDPOINT", "TIMEFRAME")) == [
        ("Evaluation of safety", "ENDPOINT"), ("Number of Participants with Abnormal Laboratory Values", "ENDPOINT"),
        ("4 weeks", "TIMEFRAME"),
    ]


def test_report_time_frame_leaves_out_the_final_period(nlp):
    text = ("Outcome Measurement: \nTumor Response\nTumor response was assessed by RECIST.\n"
            "Time frame: Baseline to end of study drug therapy (up to 65 weeks).\n")
    assert ents(nlp, text, ("TIMEFRAME",)) == [("Baseline to end of study drug therapy (up to 65 weeks)", "TIMEFRAME")]


def test_named_measures_in_prose_and_their_plurals(nlp):
    # guide 1.1: named measures in prose are ENDPOINTs, also in background sentences
    text = "To assess the salvage rate of sildenafil failures who demonstrate improved response rates over time."
    assert ents(nlp, text, ("ENDPOINT",)) == [("salvage rate", "ENDPOINT"), ("response rates", "ENDPOINT")]
    text = "This modality should affect the endothelial function and improve penile hemodynamics."
    assert ents(nlp, text, ("ENDPOINT",)) == [("endothelial function", "ENDPOINT"), ("penile hemodynamics", "ENDPOINT")]


def test_restated_measure_ends_before_confirmation_and_observation_clauses(nlp):
    text = ("Title\nSummary.\nProstate Cancer\nDRUG: Finasteride\n"
            "Prostate Cancer Incidence, Prostate cancer diagnoses confirmed by medical record abstraction, Up to 13 years|"
            "Toxicities Counts, Number of patients with grade 3 and 4 toxicities observed during cycles 1 & 2, 6 weeks|"
            "Complete response, Complete disappearance of all measurable and evaluable disease, 8 weeks\n")
    assert ents(nlp, text, ("ENDPOINT", "TIMEFRAME")) == [
        ("Prostate Cancer Incidence", "ENDPOINT"), ("Prostate cancer diagnoses", "ENDPOINT"),
        ("Up to 13 years", "TIMEFRAME"),
        ("Toxicities Counts", "ENDPOINT"), ("Number of patients with grade 3 and 4 toxicities", "ENDPOINT"),
        ("6 weeks", "TIMEFRAME"),
        # a response category defined, not a measure restated (guide 1.1)
        ("Complete response", "ENDPOINT"), ("8 weeks", "TIMEFRAME"),
    ]


def test_prose_window_after_compare_and_not_a_re_examination_visit(nlp):
    text = ("To prospectively compare erectile function at 12 months, utilizing the abbreviated International Index "
            "of Erectile Function (IIEF-5) score.")
    assert ents(nlp, text, ("TIMEFRAME",)) == [("12 months", "TIMEFRAME")]
    assert ents(nlp, "All patients were then re-examined at 6 weeks for quality assurance.", ("TIMEFRAME",)) == []


def test_divided_dosing_and_dose_lists_with_thousands(nlp):
    text = ("Patients are randomized to one of 3 doses of oral megestrol (800, 1,280, or 1,600 mg/day, divided qid). "
            "The first patient cohort receives megestrol at 480 mg/day in 3 divided doses.")
    assert ents(nlp, text, ("DOSE", "SCHEDULE")) == [
        ("800, 1,280, or 1,600 mg", "DOSE"), ("/day, divided qid", "SCHEDULE"),
        ("480 mg", "DOSE"), ("/day in 3 divided doses", "SCHEDULE"),
    ]


def test_on_demand_tolerance_interval_and_escaped_range(nlp):
    assert ents(nlp, "Tadalafil 20 mg on-demand", ("SCHEDULE",)) == [("on-demand", "SCHEDULE")]
    text = "PRP: 4\\~6ml autologous platelet rich plasma injection every 14±2 days for a total of 5 injections."
    assert ents(nlp, text, ("DOSE", "SCHEDULE", "DURATION")) == [
        ("4\\~6ml", "DOSE"), ("every 14±2 days", "SCHEDULE"), ("total of 5 injections", "DURATION"),
    ]


def test_total_daily_dose_is_not_a_dose(nlp):
    text = ("Participants received an oral dose of 100 mg dasatinib tablet twice daily for a total daily dose "
            "(TDD) of 200 mg.")
    assert ents(nlp, text, ("DOSE", "ROUTE", "SCHEDULE")) == [
        ("oral", "ROUTE"), ("100 mg", "DOSE"), ("twice daily", "SCHEDULE"),
    ]


def test_concentration_is_a_dose(nlp):
    text = "BZ371A: Single dose topical administration of 1.5 mL with a concentration of 5 mg/mL of BZ371A."
    assert ents(nlp, text, ("DOSE", "ROUTE")) == [("topical", "ROUTE"), ("1.5 mL", "DOSE"), ("5 mg/mL", "DOSE")]


def test_route_words_before_a_drug_and_organ_adjectives(nlp):
    text = "A single dose of smoked cocaine (0.4 mg/kg) was administered."
    assert ents(nlp, text, ("ROUTE", "DOSE")) == [("smoked", "ROUTE"), ("0.4 mg/kg", "DOSE")]
    assert ents(nlp, "- Oral intake of 50 mg once daily", ("ROUTE",)) == [("Oral", "ROUTE")]
    # an organ or a device, not a way into the body
    assert ents(nlp, "Laparoscopic surgery: Completely resected rectal tumor.", ("ROUTE",)) == []
    assert ents(nlp, "Silk suture: used in a simple interrupted transdermal suture pattern", ("ROUTE",)) == []
    text = "For patients undergoing HDR brachytherapy, intracavitary implants are inserted once a week for 5 weeks."
    assert ents(nlp, text, ("ROUTE", "SCHEDULE", "DURATION")) == []


def test_count_of_consecutive_weekly_doses_is_one_duration(nlp):
    text = ("Patients are randomized to intravenous cidofovir at the higher dose for two consecutive weekly "
            "induction doses, followed by the lower dose every other week.")
    assert ents(nlp, text, ("ROUTE", "SCHEDULE", "DURATION")) == [
        ("intravenous", "ROUTE"), ("two consecutive weekly induction doses", "DURATION"),
        ("every other week", "SCHEDULE"),
    ]
    # without ``consecutive`` the schedule word stays a SCHEDULE
    text = "The doses have been modified to one of 4 daily doses of IFN-A2 and AZT."
    assert ents(nlp, text, ("SCHEDULE", "DURATION")) == [("daily", "SCHEDULE")]


def test_timing_word_before_the_next_sentence_drug_is_not_kept(nlp):
    text = "Shock wave therapy: two treatment sessions per week. PDE-5 inhibitors group: tadalafil 5 mg daily."
    assert ents(nlp, text, ("SCHEDULE",)) == [("daily", "SCHEDULE")]


def test_event_relative_start_with_short_form_and_continuing_until(nlp):
    text = ("Patients receive filgrastim (G-CSF) subcutaneously (SC) beginning 4 days prior\n"
            "           to peripheral blood stem cell (PBSC) mobilization and continuing until adequate PBSC are\n"
            "           collected.")
    assert ents(nlp, text, ("SCHEDULE",)) == [
        ("beginning 4 days prior\n           to peripheral blood stem cell (PBSC) mobilization and continuing "
         "until adequate PBSC are\n           collected", "SCHEDULE"),
    ]


def test_route_adjective_before_a_wrapped_line_needs_a_drug(nlp):
    text = ("For patients undergoing HDR brachytherapy, intracavitary\n"
            "      implants are inserted once a week for 5 weeks.")
    assert ents(nlp, text, ("ROUTE", "SCHEDULE", "DURATION")) == []
    assert ents(nlp, "Celecoxib: 400 mg oral\nPlacebo: matching capsules", ("ROUTE",)) == [("oral", "ROUTE")]


def test_photograph_timings_are_assessments(nlp):
    text = ("Patients apply calcitriol daily. Lesions are photographed prior to therapy, 2-4 weeks during therapy "
            "for the first two months, then once every 1-3 months, and then once at end of treatment.")
    assert ents(nlp, text, ("SCHEDULE", "DURATION")) == [("daily", "SCHEDULE")]


def test_timing_bounded_by_no_sooner_than_or_through_is_not_a_schedule(nlp):
    text = ("Patients undergo surgery no sooner than 2 weeks after completion of chemotherapy. "
            "Patients receive cisplatin IV on days 1 through 5.")
    assert ents(nlp, text, ("SCHEDULE",)) == [("days 1 through 5", "SCHEDULE")]
    text = "Patients receive busulfan on day -7 and undergo transplantation, if necessary, no earlier than day 17."
    assert ents(nlp, text, ("SCHEDULE",)) == [("day -7", "SCHEDULE")]


def test_session_timings_breaks_and_end_points_are_not_treatment_lengths(nlp):
    text = ("Shock wave therapy, 6-12 sessions, 1500 shocks per session, two sesssions per week for 3 weeks "
            "then 3 weeks break and then 2 sessions per week for 3 weeks.")
    assert ents(nlp, text, ("SCHEDULE", "DURATION")) == []
    text = ("Arm I patients continue treatment with calcitriol for at least 2 months. At the end of 2 months "
            "of treatment, one biopsy is taken.")
    assert ents(nlp, text, ("DURATION",)) == [("at least 2 months", "DURATION")]


def test_timing_counted_from_another_drug_keeps_that_drug_inside(nlp):
    text = "A single dose of smoked cocaine (0.4 mg/kg) was administered 2 hrs after labetalol or placebo treatment."
    assert [(e.text, e.label_) for e in get_entities(nlp(text))] == [
        ("smoked", "ROUTE"), ("cocaine", "DRUG"), ("0.4 mg/kg", "DOSE"),
        ("2 hrs after labetalol or placebo treatment", "SCHEDULE"),
    ]
    # the same words about sampling name no drug: not a drug's timing
    text = "Blood is sampled at 0, 2, 4 and 12 hours after each administration."
    assert ents(nlp, text, ("SCHEDULE",)) == []


def test_legacy_outcome_items_end_at_the_field_break(nlp):
    # NCT00006359 shape: CRLF-wrapped legacy text, so a bare newline is a field
    # break; the primary item's time frame (``q 3 mon ...``) is not window-worded
    # and the item must not run on into the secondary outcome line
    text = ("Androgen Suppression Plus Radiation Therapy in Treating Patients With Prostate Cancer\n\n"
            "      RATIONALE: Androgens can cause the growth of prostate cancer cells.\r\n    \nProstate Cancer\n"
            "DRUG: LHRH agonist|DRUG: antiandrogen\n"
            "Toxicity, q 3 mon for 2 yrs post tx initiation\n"
            "Time to PSA failure, 6 years|Survival, Progression free and overall survival will be assessed, 6 years\n\n"
            "      OBJECTIVES:\r\n\r\n        -  Determine the safety of EBRT+BT in these patients.\r\n    ")
    assert ents(nlp, text, ("ENDPOINT", "TIMEFRAME"))[:4] == [
        ("Toxicity", "ENDPOINT"), ("q 3 mon for 2 yrs post tx initiation", "TIMEFRAME"),
        ("Time to PSA failure", "ENDPOINT"), ("6 years", "TIMEFRAME"),
    ]


def test_outcome_description_paragraphs_stay_in_their_item(nlp):
    # NCT05196308 shape: an API v2 description with a blank line inside; the
    # first paragraph's last ``, measured by ...`` clause is not a time frame
    text = ("Efficacy of Intracavernosal Xeomin as add-on Therapy to Sildenafil\n"
            "The primary objective of this study is to investigate the efficacy of intracavernosal Xeomin.\n"
            "Erectile Dysfunction\nDRUG: Investigational product administration Xeomin®|DRUG: Placebo administration\n"
            "Change in the erectile function, Change in the erectile function between baseline and month 3, "
            "measured by the International Index of Erectile Function - Erectile Function domain score (IIEF-EF).\n\n"
            "The International Index of Erectile Function (IIEF) is a 15-item self-report instrument assessing male "
            "sexual function., at baseline and month 3|Change in SEP2, Question providing information as whether the "
            "erection is hard enough to penetrate (SEP2)., at baseline and month 3\n"
            "This randomized, double-blind, placebo-controlled study will be conducted in 9 centers.\n\n"
            "This is a standard procedure to use placebo as control in studies assessing the efficacy of treatment of ED.")
    found = ents(nlp, text, ("ENDPOINT", "TIMEFRAME"))
    assert [e for e in found if e[1] == "TIMEFRAME"] == [
        ("at baseline and month 3", "TIMEFRAME"), ("at baseline and month 3", "TIMEFRAME"),
    ]
    assert found[0] == ("Change in the erectile function", "ENDPOINT")
    assert ("Change in SEP2", "ENDPOINT") in found


def test_prose_paragraph_after_outcome_lines_is_no_outcome_item(nlp):
    # NCT05714891 shape: the description right after the outcome line is
    # sentences of prose; its first ``, `` does not make it a measure
    outcomes = "Pathological complete response rate (pCR), 3 years|Event-free survival at 2 years, 3 years\n"
    description = (
        "The purpose of the pre-study screening is to test for biomarkers. The testing will be done using a sample "
        "of your tumor tissue. Each substudy will be looking at what effects a new drug has on the patients and their "
        "lung cancer, as well as any side effects of the treatment. The purpose of each substudy is to see if the "
        "biomarkers that were identified at screening can be used to determine treatment outcomes, like how the cancer "
        "cells respond to treatment and whether the study drug will shrink the tumour before surgery and prevent it "
        "from returning after surgery.")
    head = "Neoadjuvant Platform Trial in Non-Small Cell Lung Cancer\nThis study is being done.\nNSCLC\nDRUG: JDQ443\n"
    doc = nlp(head + outcomes + description)
    end = len(head) + len(outcomes)
    found = [(e.text, e.label_) for e in doc.ents if e.label_ in ("ENDPOINT", "TIMEFRAME") and e.start_char < end]
    assert found == [
        ("Pathological complete response rate (pCR)", "ENDPOINT"), ("3 years", "TIMEFRAME"),
        ("Event-free survival", "ENDPOINT"), ("3 years", "TIMEFRAME"),
    ]
    # the prose gets no time frame and no measure from its first field; a
    # named measure of its sentences (``treatment outcomes``) is prose's own
    after = [(e.text, e.label_) for e in doc.ents if e.label_ in ("ENDPOINT", "TIMEFRAME") and e.start_char >= end]
    assert all(label == "ENDPOINT" and not text.startswith("The purpose") for text, label in after)


def test_objective_objects_are_endpoints_one_per_coordinated_measure(nlp):
    # the object of an objective verb, split at its coordination, ended before
    # the population (``in these patients``) or the treatment (``of this drug``)
    text = "- Evaluate quality of life and performance status in these patients pre- and post-surgery."
    assert ents(nlp, text, ("ENDPOINT",)) == [("quality of life", "ENDPOINT"), ("performance status", "ENDPOINT")]
    text = "IV. Determine the activity of these regimens in patients with metastatic solid tumors."
    assert ents(nlp, text, ("ENDPOINT",)) == [("activity", "ENDPOINT")]
    text = "OBJECTIVES: - Define the antitumor effects of this drug in patients with advanced neuroblastoma."
    assert ents(nlp, text, ("ENDPOINT",)) == [("antitumor effects", "ENDPOINT")]
    text = "- Determine the response rate and duration of response of elderly patients with advanced cancer."
    assert ents(nlp, text, ("ENDPOINT",)) == [("response rate", "ENDPOINT"), ("duration of response", "ENDPOINT")]


def test_objective_object_keeps_the_complement_of_a_measure_noun(nlp):
    text = ("- Compare the incidence of graft-versus-host disease (GVHD) grades III and IV in patients "
            "with hematologic malignancies.")
    assert ents(nlp, text, ("ENDPOINT",)) == [
        ("incidence of graft-versus-host disease (GVHD) grades III and IV", "ENDPOINT")]
    text = "- Describe the associations among change in gene expression, receptor status, and endometrial abnormality."
    assert ents(nlp, text, ("ENDPOINT",)) == [
        ("change in gene expression", "ENDPOINT"), ("receptor status", "ENDPOINT"),
        ("endometrial abnormality", "ENDPOINT")]


def test_objective_object_keeps_the_complement_of_durability_and_variability(nlp):
    text = "OBJECTIVES: I. Evaluate the durability of virologic response in patients treated with this regimen."
    assert ents(nlp, text, ("ENDPOINT",)) == [("durability of virologic response", "ENDPOINT")]
    text = "- Determine the intersubject variability of the pharmacokinetics of this drug."
    assert ents(nlp, text, ("ENDPOINT",)) == [("intersubject variability of the pharmacokinetics", "ENDPOINT")]


def test_prose_endpoint_keeps_grade_and_severity_qualifiers(nlp):
    text = ("II. Compare the local control, progression at 5 and 10 years after treatment and "
            "treatment-related toxicity in these patients.")
    assert ents(nlp, text, ("ENDPOINT",)) == [
        ("local control", "ENDPOINT"), ("progression", "ENDPOINT"), ("treatment-related toxicity", "ENDPOINT")]
    text = "Dose escalation stops when two patients have grade 3 or\n      worse toxicity or severe toxicity."
    assert ents(nlp, text, ("ENDPOINT",)) == [
        ("grade 3 or\n      worse toxicity", "ENDPOINT"), ("severe toxicity", "ENDPOINT")]


def test_outcome_measure_ends_before_dosing_and_recording_clauses(nlp):
    text = ("Title\nSummary.\nHypertension\nDRUG: avanafil\n"
            "To measure the change in standing blood pressure after dosing, 0.5, 1 hours|"
            "Success in penetration and maintenance as recorded in subject diaries, At Week 12\n")
    assert ents(nlp, text, ("ENDPOINT",)) == [
        ("change in standing blood pressure", "ENDPOINT"), ("Success in penetration and maintenance", "ENDPOINT")]


def test_correlated_quantities_are_endpoints(nlp):
    text = "- Correlate remission rate and relapse free survival with multidrug resistance phenotype."
    assert ents(nlp, text, ("ENDPOINT",)) == [
        ("remission rate", "ENDPOINT"), ("relapse free survival", "ENDPOINT"),
        ("multidrug resistance phenotype", "ENDPOINT")]


def test_objective_aims_treatments_and_new_clauses_are_not_endpoints(nlp):
    text = "To compare the effectiveness of surgery with or without chemotherapy in treating patients."
    assert ents(nlp, text, ("ENDPOINT",)) == []
    text = "To investigate the relative merits of silicone oil or gas as tamponade modalities."
    assert ents(nlp, text, ("ENDPOINT",)) == []
    text = ("I. Determine the feasibility of administering multiple courses of chemotherapy without excessive "
            "dose modification or treatment delay in patients.")
    assert ents(nlp, text, ("ENDPOINT",)) == []
    text = "- To determine objective response, tumor size is measured utilizing MRI scans."
    assert ents(nlp, text, ("ENDPOINT",)) == [("objective response", "ENDPOINT")]


def test_objective_object_coordination_inside_its_of_phrase(nlp):
    text = "III. Evaluate the time to recovery of platelets and neutrophils in this patient population."
    assert ents(nlp, text, ("ENDPOINT",)) == [("time to recovery of platelets and neutrophils", "ENDPOINT")]


def test_objective_objects_inside_whether_clauses_and_suspended_modifiers(nlp):
    text = ("- Determine whether filgrastim (G-CSF) used in addition to standard antibiotic therapy accelerates "
            "time to resolution of febrile neutropenia in children.")
    assert ents(nlp, text, ("ENDPOINT",)) == [("time to resolution of febrile neutropenia", "ENDPOINT")]
    text = "II. Compare the short- and long-term local control rates in these patients."
    assert ents(nlp, text, ("ENDPOINT",)) == [("short- and long-term local control rates", "ENDPOINT")]


def test_quantities_related_inside_a_whether_clause_are_endpoints(nlp):
    text = ("- Determine whether there is a relationship between clinical response or resistance and "
            "differential expression of genes in the CLL cells.")
    assert ents(nlp, text, ("ENDPOINT",)) == [
        ("clinical response", "ENDPOINT"), ("resistance", "ENDPOINT"),
        ("differential expression of genes", "ENDPOINT")]


def test_cycle_position_before_the_day_is_one_schedule(nlp):
    # report_NCT00499122 (batch 6) and a registry record (NCT02187744)
    text = "Cyclophosphamide: 600 mg/m2 IV, Cycles 1 - 4, Day 1\nDoxorubicin: 60 mg/m2 IV, Cycles 1 - 4, Day 1"
    assert ents(nlp, text, ("SCHEDULE",)) == [("Cycles 1 - 4, Day 1", "SCHEDULE"), ("Cycles 1 - 4, Day 1", "SCHEDULE")]
    text = "NOV-002: Cycle 1 - 8, Days 2 - 21: 60 mg subcutaneous injections"
    assert ents(nlp, text, ("SCHEDULE",)) == [("Cycle 1 - 8, Days 2 - 21", "SCHEDULE")]
    text = "Participants received a loading dose of 8 mg/kg of trastuzumab on Cycle 1 Day 1."
    assert ents(nlp, text, ("SCHEDULE",)) == [("Cycle 1 Day 1", "SCHEDULE")]
    # a cycle position opens a new item: not joined to the timing of the line before
    text = ("NOV-002: 60 mg intravenously (IV) x 2, 3 hours (+/- 30 minutes) apart\n"
            "  Cycles 1 - 8, Day 1: 60 mg IV")
    assert ents(nlp, text, ("SCHEDULE",)) == [
        ("x 2, 3 hours (+/- 30 minutes) apart", "SCHEDULE"), ("Cycles 1 - 8, Day 1", "SCHEDULE"),
    ]


def test_day_list_stops_before_minutes(nlp):
    text = "Paclitaxel was given IV on Cycle 3, Day 1, 15 minutes pre-dose."
    assert ents(nlp, text, ("SCHEDULE",)) == [("Cycle 3, Day 1", "SCHEDULE")]


def test_tolerance_parenthesis_stays_inside_the_schedule(nlp):
    # NCT00499603, NCT00356811
    text = ("Epirubicin: 100 mg/m^2 by vein on day 1 every 3 weeks (+/- 7 days) for 4 cycles. "
            "Paclitaxel as a 1-hour IV infusion at a dose of 80 mg/m^2 on Days 1, 8, and 15 (±2 days) "
            "of a 28-day treatment cycle.")
    assert ents(nlp, text, ("SCHEDULE", "DURATION")) == [
        ("day 1 every 3 weeks (+/- 7 days)", "SCHEDULE"), ("4 cycles", "DURATION"),
        ("Days 1, 8, and 15 (±2 days) of a 28-day treatment cycle", "SCHEDULE"),
    ]


def test_timing_counted_from_chemotherapy(nlp):
    text = "NOV-002: 60 mg IV, 1 hour (+/- 30 minutes) prior to chemotherapy administration"
    assert ents(nlp, text, ("SCHEDULE",)) == [
        ("1 hour (+/- 30 minutes) prior to chemotherapy administration", "SCHEDULE"),
    ]
    # an eligibility restriction is not a schedule
    text = "PRIOR CONCURRENT THERAPY: Biologic therapy: - No filgrastim (G-CSF) within 48 hours prior to chemotherapy"
    assert ents(nlp, text, ("SCHEDULE",)) == []


def test_perioperative_adjective_of_a_drug(nlp):
    text = "The purpose of this study is to assess whether intraoperative irrigation with Irrisept is not inferior."
    assert ents(nlp, text, ("SCHEDULE",)) == [("intraoperative", "SCHEDULE")]
    text = "Patients are randomized to receive preoperative radiotherapy with or without preoperative fluorouracil."
    assert ents(nlp, text, ("SCHEDULE",)) == [("preoperative", "SCHEDULE")]
    assert ents(nlp, "Patients with postoperative complications are excluded.", ("SCHEDULE",)) == []


def test_at_least_over_a_line_wrap_keeps_at(nlp):
    text = "Patients receive ddI alone for at\r\n      least 2 years."
    assert ents(nlp, text, ("DURATION",)) == [("at\r\n      least 2 years", "DURATION")]


def test_parenthesised_frequency_restatement_and_days_on_off(nlp):
    # NCT00494299, NCT00820170
    assert ents(nlp, "Sorafenib 400 mg orally administered bid (twice daily).", ("SCHEDULE",)) == [
        ("bid (twice daily)", "SCHEDULE"),
    ]
    text = "Patients will test dasatinib given with a different schedule, 5 days on and 2 days off."
    assert ents(nlp, text, ("SCHEDULE", "DURATION")) == [("5 days on and 2 days off", "SCHEDULE")]


def test_rest_period_after_a_schedule_stays_inside(nlp):
    # NCT00003564, NCT00006098
    text = "Arm II: Oral Procarbazine once daily on days 1-14 followed by 2 weeks of rest for a total of 6 courses."
    assert ents(nlp, text, ("SCHEDULE",)) == [("once daily on days 1-14 followed by 2 weeks of rest", "SCHEDULE")]


def test_day_to_day_ranges_are_one_schedule(nlp):
    # registry outlines: a range written with ``day`` on both ends
    text = "Cyclosporine is administered from day -3 to day 180."
    assert ents(nlp, text, ("SCHEDULE",)) == [("day -3 to day 180", "SCHEDULE")]
    text = "GM-CSF administered subcutaneously on day -1 through day 2 of each cycle."
    assert ents(nlp, text, ("SCHEDULE",)) == [("day -1 through day 2 of each cycle", "SCHEDULE")]
    text = "Patients receive filgrastim SC daily from day 1 to day 14."
    assert ents(nlp, text, ("SCHEDULE",)) == [("daily from day 1 to day 14", "SCHEDULE")]


def test_outcome_measure_cut_skips_a_colon_inside_a_parenthesis(nlp):
    text = ("Title\nSummary.\nErectile Dysfunction\nPROCEDURE: Nerve graft\n"
            "Erectile function score (IIEF: international index of erectile function), 12 months|"
            "Overall survival (OS): time to death, 5 years\n")
    assert ents(nlp, text, ("ENDPOINT",)) == [
        ("Erectile function score (IIEF: international index of erectile function)", "ENDPOINT"),
        ("Overall survival (OS)", "ENDPOINT"),
    ]


def test_outcome_measure_as_a_measure_of_is_two_endpoints(nlp):
    text = ("Title\nSummary.\nErectile Dysfunction\nPROCEDURE: Nerve graft\n"
            "Number of Participants with Adverse Events as a Measure of Safety and Tolerability, "
            "Counted at each visit, 24 months\n")
    assert ents(nlp, text, ("ENDPOINT",)) == [
        ("Number of Participants with Adverse Events", "ENDPOINT"), ("Safety and Tolerability", "ENDPOINT"),
    ]


def test_outcome_measure_leaves_out_the_treatment_clause(nlp):
    text = ("Title\nSummary.\nErectile Dysfunction\nBIOLOGICAL: Stem cells\n"
            "Assessment of the efficacy of injecting Wharton Jelly derived Mesenchymal Stem Cells, "
            "Penile Doppler, 6 months|"
            "5 years progression-free survival (PFS) rate of the combination of thalidomide with gefitinib, "
            "PFS rate, 5 years|"
            "Infection Rate of Patients Receiving Antibiotic Irrigation, infections, 90 days|"
            "Number of Patients Receiving Transfusion, transfusions, 90 days\n")
    assert ents(nlp, text, ("ENDPOINT",))[:2] == [
        ("Assessment of the efficacy", "ENDPOINT"),
        ("5 years progression-free survival (PFS) rate", "ENDPOINT"),
    ]
    spans = [span for span, _ in ents(nlp, text, ("ENDPOINT",))]
    assert "Infection Rate" in spans and "Number of Patients Receiving Transfusion" in spans


def test_outcome_measure_cut_before_an_aside_holding_a_cut(nlp):
    text = ("Title\nSummary.\nLung Cancer\nDRUG: Cisplatin\n"
            "Response rate (complete response [CR] and partial response [PR]), RECIST 1.1, 6 months|"
            "Percentage of Participants With Objective Response (OR; Assessed by RECIST Version 1.1), "
            "Responses confirmed by central review of scans, 2 years\n")
    spans = [span for span, _ in ents(nlp, text, ("ENDPOINT",))]
    assert spans[:2] == ["Response rate", "Percentage of Participants With Objective Response"]
    assert not any("(" in span for span in spans)


def test_outcome_measure_list_sharing_one_head_is_one_endpoint(nlp):
    text = ("Title\nSummary.\nErectile Dysfunction\nDRUG: Vardenafil\n"
            "Female Sexual Function Inventory (FSFI) Desire, Satisfaction and Arousal Domains in female partners, "
            "Questionnaire, Week 12|"
            "Pulse, blood pressure, Vital signs, Week 12\n")
    spans = [span for span, _ in ents(nlp, text, ("ENDPOINT",))]
    assert spans[0] == "Female Sexual Function Inventory (FSFI) Desire, Satisfaction and Arousal Domains"
    assert "Pulse" in spans and "blood pressure" in spans


def test_outcome_measure_pieces_after_a_semicolon(nlp):
    text = ("Title\nSummary.\nErectile Dysfunction\nDRUG: Tadalafil\n"
            "Changes in erectile function measured at baseline and after 6 months of treatment; "
            "assessment of safety, IIEF, 6 months|"
            "Pharmacokinetic parameters; CD19-positive B-cell counts; all measured during the infusion, "
            "blood samples, 12 weeks\n")
    spans = [span for span, _ in ents(nlp, text, ("ENDPOINT",))]
    assert spans[:4] == ["Changes in erectile function", "assessment of safety", "Pharmacokinetic parameters",
                         "CD19-positive B-cell counts"]
    assert not any(span.startswith("all ") for span in spans)


def test_outcome_measure_effect_of_a_treatment_on_the_measure(nlp):
    text = ("Title\nSummary.\nCocaine Dependence\nDRUG: Pergolide\n"
            "Effects of pergolide on cocaine craving, Craving scale, 12 weeks|"
            "Effect of the study therapies on the incidence of ischemic heart disease, Cases, 5 years\n")
    spans = [span for span, _ in ents(nlp, text, ("ENDPOINT",))]
    assert spans[0] == "cocaine craving" and "incidence of ischemic heart disease" in spans
    assert not any(span.startswith("Effect") for span in spans)


def test_report_description_sentence_whose_subject_is_a_measure(nlp):
    # NCT02667626 (nli4ct_ctrs.jsonl): a later sentence of the description names the measure
    text = ("Outcome Measurement: \n  Number of Participants With a 50% Decrease in Hot Flash Score\n"
            "  50% decrease in hot flash score. The hot flash score is calculated as the weighted sum of the number "
            "of hot flashes in each severity category.\n  Time frame: Baseline and 24 weeks\n")
    assert ents(nlp, text, ("ENDPOINT", "TIMEFRAME")) == [
        ("Number of Participants With a 50% Decrease in Hot Flash Score", "ENDPOINT"),
        ("hot flash score", "ENDPOINT"), ("Baseline and 24 weeks", "TIMEFRAME"),
    ]
    # NCT00559754: ``The percentage of participants with pCR was determined ...``
    text = ("Outcome Measurement: \n  Percentage of Participants With Pathological Complete Response (pCR)\n"
            "  The percentage of participants with pCR was determined by anatomopathological study after completion "
            "of 8 cycles of study treatment.\n  Time frame: After Week 24 (surgery)\n")
    assert ents(nlp, text, ("ENDPOINT",)) == [
        ("Percentage of Participants With Pathological Complete Response (pCR)", "ENDPOINT"),
        ("percentage of participants with pCR", "ENDPOINT"),
    ]
    # NCT03371732: a pronoun's score, participants: no measure named
    text = ("Outcome Measurement: \n  Number of Patients With Individual Decrease of Tobacco Consumption\n"
            "  Its score ranges from 0 (no consumption) to 28 (alcohol dependence). "
            "Participants were assessed at each visit.\n  Time frame: 3 months\n")
    assert ents(nlp, text, ("ENDPOINT",)) == [
        ("Number of Patients With Individual Decrease of Tobacco Consumption", "ENDPOINT")]


def test_report_description_window_is_not_a_timeframe(nlp):
    # report_NCT01340300 wording (train): the window of a report outcome is its Time frame line alone
    text = ("Outcome Measurement: \n  Change in Fasting Insulin Levels\n"
            "  Fasting insulin levels in blood will be drawn at baseline, 3 months and 6 months.\n"
            "  Time frame: 6 months\n")
    assert [e for e in ents(nlp, text, ("TIMEFRAME",))] == [("6 months", "TIMEFRAME")]


def test_continuation_does_not_pull_the_time_frame_onto_a_measure(nlp):
    # modern_NCT05196191 (train): the description is a measure name that opens with ``Time``
    text = ("Title\nSummary.\nErectile Dysfunction\nDEVICE: Penile implant\n"
            "Penile implant activation, Time to use implant for sexual activity, up to 3 months\n")
    assert ents(nlp, text, ("TIMEFRAME",)) == [("up to 3 months", "TIMEFRAME")]
    # a time point before the continuation still opens the field
    text = ("Title\nSummary.\nBreast Cancer\nDRUG: Letrozole\n"
            "Overall survival, Time from randomization to death, Baseline, up to 5 years\n")
    assert ents(nlp, text, ("TIMEFRAME",)) == [("Baseline, up to 5 years", "TIMEFRAME")]
    # a window that opens with ``From`` keeps its ``assessed up to`` tail (guide: TIMEFRAME boundaries)
    text = ("Title\nSummary.\nBreast Cancer\nDRUG: Letrozole\n"
            "Progression-free survival, Time from randomization to progression, "
            "From randomization until disease progression, assessed up to 7 years\n")
    assert ents(nlp, text, ("TIMEFRAME",)) == [
        ("From randomization until disease progression, assessed up to 7 years", "TIMEFRAME")]
    # ``Time from ... to ...`` opens a window; ``Time to ...`` names a measure
    text = ("Title\nSummary.\nLung Cancer\nDRUG: Cisplatin\n"
            "Overall survival, OS, Time from registration to death due to any cause, assessed up to 15 years\n")
    assert ents(nlp, text, ("TIMEFRAME",)) == [
        ("Time from registration to death due to any cause, assessed up to 15 years", "TIMEFRAME")]


def test_outcome_description_with_paragraphs_and_a_label_like_line(nlp):
    # NCT06324006 (ctgov_records.jsonl): a description of paragraphs whose
    # last one reads like an arm line (``Grade 4, Life-threatening consequences: urgent ...``)
    text = ("A Phase 1 Trial of LIB-01 in Healthy Participants.\n"
            "The goal of this clinical trial is to learn about the safety of LIB-01.\n"
            "Erectile Dysfunction\nDRUG: LIB-01|OTHER: Placebo\n"
            "To evaluate the incidence of treatment-emergent adverse events in healthy male participants, "
            "Adverse events will be graded from 1-5:\n\n"
            "Grade 1, Mild; asymptomatic or mild symptoms; intervention not indicated.\n\n"
            "Grade 4, Life-threatening consequences: urgent intervention indicated. Grade 5, Death related to AE., "
            "14 days|To evaluate changes in vital signs in healthy male participants, Clinically significant "
            "changes in vital signs., 14 days\n")
    assert [e for e in ents(nlp, text, ("TIMEFRAME",))] == [("14 days", "TIMEFRAME"), ("14 days", "TIMEFRAME")]
    assert ("incidence of treatment-emergent adverse events", "ENDPOINT") in ents(nlp, text, ("ENDPOINT",))


def test_measure_field_that_states_the_endpoint_keeps_the_measure(nlp):
    # NCT00497809 and NCT00661700 (ctgov_records.jsonl): the measure field is a
    # sentence stating the endpoint; its measure is what follows the statement
    text = ("Title\nSummary.\nNeutropenia\nDRUG: Pegfilgrastim\n"
            "The primary efficacy endpoint is duration of grade 4 neutropenia (DSN), defined as ANC <0.5 x 109/L "
            "during chemotherapy cycle 1., 21 days\n")
    found = ents(nlp, text, ("ENDPOINT", "TIMEFRAME"))
    assert found[0] == ("duration of grade 4 neutropenia (DSN)", "ENDPOINT") and found[-1] == ("21 days", "TIMEFRAME")
    text = ("Title\nSummary.\nErectile Dysfunction\nDRUG: Vardenafil\n"
            "Treatment groups will be compared with respect to the incidence rates of premature termination, "
            "adverse events, lab abnormalities, At weeks 4, 8, 12\n")
    assert ents(nlp, text, ("ENDPOINT",))[0] == ("incidence rates of premature termination", "ENDPOINT")


def test_end_points_of_the_study_were(nlp):
    # nononc_NCT00000140 (train): the objects of ``End points of the study were``
    text = ("End points of the study were visual acuity of 5/200 or greater and macular reattachment for 6 "
            "months following the final surgical procedure.")
    assert ents(nlp, text, ("ENDPOINT",)) == [
        ("visual acuity of 5/200 or greater", "ENDPOINT"), ("macular reattachment", "ENDPOINT")]


def test_named_outcome_words_in_background_prose(nlp):
    # nononc_NCT00001749 and nononc_NCT00000140 (train): named measures in background sentences (guide 1.1)
    text = ("Bone marrow transplants are associated with failure, relapse, side-effects, increased morbidity, "
            "and even death. The successful outcomes and complication rates of the two modalities were compared.")
    assert ents(nlp, text, ("ENDPOINT",)) == [("morbidity", "ENDPOINT"), ("complication rates", "ENDPOINT")]


def test_time_frame_that_lists_points_after_a_lead(nlp):
    # ctgov_records.jsonl layouts: the field opens with a lead ending in the first time point
    text = ("Title\nSummary.\nHepatitis B\nBIOLOGICAL: Vaccine\n"
            "Anti-HBs titer, Antibody concentration, After vaccinations administered at 0, 1, 2, 3 and 5 months|"
            "Cmax, Maximum concentration, 0, 20, 40 minutes and 1, 1.5, 2, 2.5, 3, 4, 6, 8, 10 and 12 hours post dose\n")
    assert ents(nlp, text, ("TIMEFRAME",)) == [
        ("After vaccinations administered at 0, 1, 2, 3 and 5 months", "TIMEFRAME"),
        ("0, 20, 40 minutes and 1, 1.5, 2, 2.5, 3, 4, 6, 8, 10 and 12 hours post dose", "TIMEFRAME")]
    # a description that ends before the list stays out of the field
    text = ("Title\nSummary.\nErectile Dysfunction\nDRUG: Tadalafil\n"
            "IIEF, Erectile function domain, At 4, 8, 12 weeks\n")
    assert ents(nlp, text, ("TIMEFRAME",)) == [("At 4, 8, 12 weeks", "TIMEFRAME")]


def test_multiplied_count_keeps_its_multiplier(nlp):
    # registry wordings: ``q 28 days X 6 cycles``, ``daily x 5 days``, a bare count after a dose
    text = "carboplatin: target AUC=6, IV Day 1, q 28 days X 6 cycles"
    assert ents(nlp, text, ("SCHEDULE", "DURATION")) == [("Day 1, q 28 days", "SCHEDULE"), ("X 6 cycles", "DURATION")]
    text = "fludarabine 25mg/m^2 intravenously daily x 5 days followed by a peripheral blood stem cell infusion"
    assert ents(nlp, text, ("SCHEDULE", "DURATION")) == [("daily", "SCHEDULE"), ("x 5 days", "DURATION")]
    text = "Doxorubicin and Cyclophosphamide (60/600 mg/m2) X 4 followed by Paclitaxel (175 mg/m2) X 4"
    assert ents(nlp, text, ("DOSE", "DURATION")) == [
        ("60/600 mg/m2", "DOSE"), ("X 4", "DURATION"), ("175 mg/m2", "DOSE"), ("X 4", "DURATION"),
    ]


def test_multiplier_in_a_formula_or_a_repeated_dose_is_no_duration(nlp):
    text = "(number of occasions within visit interval) x 100."
    assert ents(nlp, text, ("DURATION",)) == []
    text = "raltegravir (MK-0518) (400 mg x 2/d = one 400 mg pill twice daily)"
    assert ents(nlp, text, ("DURATION",)) == []
    text = "Cycle 1, Day -1 only: 60 mg intravenously (IV) x 2, 3 hours (+/- 30 minutes) apart"
    assert ("x 2, 3 hours (+/- 30 minutes) apart", "SCHEDULE") in ents(nlp, text)


def test_length_range_that_repeats_its_unit_is_one_duration(nlp):
    text = "Tamoxifen 20 mg QD; upon completing 2.5 years to 3 years of tamoxifen, participants switched"
    assert ents(nlp, text, ("DURATION",)) == [("2.5 years to 3 years", "DURATION")]


def test_response_milestone_by_day_is_no_schedule(nlp):
    text = ("Patients receive cytarabine IV over 24 hours on days 6-15. If patients achieve complete remission "
            "by day 35, this regimen is repeated once.")
    assert ents(nlp, text, ("SCHEDULE",)) == [("days 6-15", "SCHEDULE")]
    text = "Patients receive cisplatin IV on day 1 followed by day 8 gemcitabine."
    assert ents(nlp, text, ("SCHEDULE",)) == [("day 1", "SCHEDULE"), ("day 8", "SCHEDULE")]


def test_schedule_keeps_the_bracketed_days_that_follow_it(nlp):
    text = "Cisplatin 20 mg/m2 IV infusion over 60 minutes, weekly (Days 1, 8, 15) x 4 cycles"
    assert ents(nlp, text, ("SCHEDULE", "DURATION")) == [("weekly (Days 1, 8, 15)", "SCHEDULE"), ("x 4 cycles", "DURATION")]
    text = "daily everolimus plus weekly (Days 1, 8, and 15) vinorelbine and trastuzumab"
    assert ents(nlp, text, ("SCHEDULE",)) == [("daily", "SCHEDULE"), ("weekly (Days 1, 8, and 15)", "SCHEDULE")]
    # a bracket holding more than the timing stays out
    text = "Patients receive paclitaxel IV every 3 weeks (see Table 1 for day 8 doses)."
    assert ents(nlp, text, ("SCHEDULE",))[0] == ("every 3 weeks", "SCHEDULE")


def test_infusion_day_of_cord_blood_or_pbsc_is_no_drug_schedule(nlp):
    # an unnamed cell product is not a drug: its reinfusion day is a procedure's timing
    text = ("Patients receive etoposide IV over 4 hours on day -3. PBSC are reinfused on day 0. "
            "Patients receive G-CSF SC daily.")
    assert ents(nlp, text, ("SCHEDULE",)) == [("day -3", "SCHEDULE"), ("daily", "SCHEDULE")]
    text = "Patients receive ATG IV over 10 hours on days -3 to -1. Cord blood is infused on day 0."
    assert ents(nlp, text, ("SCHEDULE",)) == [("days -3 to -1", "SCHEDULE")]


def test_timing_later_before_the_drug_given_then(nlp):
    text = ("Patients receive cytarabine subcutaneously every 12 hours for 6 doses. Approximately 24 hours later, "
            "patients receive sargramostim (GM-CSF) subcutaneously.")
    assert ("Approximately 24 hours later", "SCHEDULE") in ents(nlp, text, ("SCHEDULE",))
    text = "Patients receive O6-benzylguanine IV over 1 hour, followed 1 hour later by carmustine IV over 1 hour on day 1."
    assert ents(nlp, text, ("SCHEDULE",)) == [("1 hour later", "SCHEDULE"), ("day 1", "SCHEDULE")]
    # a procedure, not a drug, is what happens then
    text = "Patients receive docetaxel IV weekly. Patients undergo surgical resection 1-2 weeks later."
    assert ents(nlp, text, ("SCHEDULE",)) == [("weekly", "SCHEDULE")]


def test_count_after_a_frequency_word_is_a_duration(nlp):
    text = "Vincristine sulfate 1.5 mg/m2 IV will be given weekly x 6."
    assert ents(nlp, text, ("SCHEDULE", "DURATION")) == [("weekly", "SCHEDULE"), ("x 6", "DURATION")]
    text = "Week 1-4: Rituxan is given at 375 mg/m2 weekly x4."
    assert ents(nlp, text, ("SCHEDULE", "DURATION")) == [("weekly", "SCHEDULE"), ("x4", "DURATION")]


def test_times_on_a_day_and_month_lists(nlp):
    text = "higher dose oral ZD 1839 (arm II), or placebo (arm III) twice on day 1, and then once daily thereafter."
    assert ents(nlp, text, ("SCHEDULE",))[0] == ("twice on day 1", "SCHEDULE")
    text = "Volunteers will receive four injections of SF-2 rgp120 subunit protein at months 0, 1, 6 and 12."
    assert ents(nlp, text, ("SCHEDULE",)) == [("months 0, 1, 6 and 12", "SCHEDULE")]


def test_observation_or_follow_up_after_treatment_is_no_duration(nlp):
    text = "Patients are randomized to receive prednisone or placebo for 11 weeks, followed by 13 weeks of observation."
    assert ents(nlp, text, ("DURATION",)) == [("11 weeks", "DURATION")]
    text = "The study is scheduled to last for 16 weeks of treatment and 4 weeks of follow-up."
    assert ("4 weeks", "DURATION") not in ents(nlp, text, ("DURATION",))


def test_daily_living_is_no_schedule(nlp):
    text = "Patients receive donepezil or placebo; outcomes include the ADCS- Activities of Daily Living Inventory."
    assert ents(nlp, text, ("SCHEDULE",)) == []


def test_event_timing_right_after_its_drug(nlp):
    text = "Arm III receives various doses of G-CSF/IL-2 priming and G-CSF following transplant."
    assert ("following transplant", "SCHEDULE") in ents(nlp, text, ("SCHEDULE",))
    text = "treatment with methotrexate and cyclosporine after bone marrow transplantation to provide protection"
    assert ents(nlp, text, ("SCHEDULE",)) == [("after bone marrow transplantation", "SCHEDULE")]
    # no drug given then: a patient population or a complication
    text = "Complications may result from the surgery itself or may develop after surgery as a result of the lens."
    assert ents(nlp, text, ("SCHEDULE",)) == []
    text = "Patients with relapse following allogeneic transplantation are eligible for cyclophosphamide."
    assert ents(nlp, text, ("SCHEDULE",)) == []


def test_on_consecutive_days_is_a_schedule(nlp):
    text = "Patients receive melphalan IV over 15 minutes on 2 consecutive days."
    assert ents(nlp, text, ("SCHEDULE", "DURATION")) == [("2 consecutive days", "SCHEDULE")]
    text = "Measurements were obtained on three successive days (three separate measures) semiannually."
    assert ents(nlp, text, ("SCHEDULE", "DURATION")) == []


def test_tablet_count_of_a_drug_with_its_mass_is_no_dose(nlp):
    text = "Subjects administer one tablet of sildenafil 50 mg"
    assert ents(nlp, text, ("DOSE",)) == [("50 mg", "DOSE")]
    text = "Patients had increased CTCs at baseline (defined as five or more CTCs per 7.5 mL WB)."
    assert ents(nlp, text, ("DOSE",)) == []


def test_visit_weeks_of_a_product_given_then(nlp):
    # the sentence names no drug, its verb gives the product at those weeks
    text = "Patients are vaccinated at weeks 0, 4, 8, 12, 16, 20, 28, and 36. Patients are followed for 1 year."
    assert ents(nlp, text, ("SCHEDULE",)) == [("weeks 0, 4, 8, 12, 16, 20, 28, and 36", "SCHEDULE")]
    text = "Immunizations are administered at Months 0, 1, 3, and 6."
    assert ents(nlp, text, ("SCHEDULE",)) == [("Months 0, 1, 3, and 6", "SCHEDULE")]
    text = "Patients are seen at Weeks 4, 8, 12, and 24."
    assert ents(nlp, text, ("SCHEDULE",)) == []


def test_later_after_a_verb_of_giving(nlp):
    text = "The next course of topotecan is given 48 hours later. Treatment repeats every 6 weeks for 4 courses."
    assert ents(nlp, text, ("SCHEDULE",)) == [("48 hours later", "SCHEDULE"), ("every 6 weeks", "SCHEDULE")]
    text = "Half of the stem cells are infused on day 0, with the remaining allotment infused 2 days later."
    assert ents(nlp, text, ("SCHEDULE",)) == []


def test_frequency_right_before_its_drug_in_an_objective(nlp):
    text = ("I. Determine the maximum tolerated dose and evaluate the safety and tolerability of escalating doses "
            "of twice weekly EMD 121974 in patients with cancer.")
    assert ents(nlp, text, ("SCHEDULE",)) == [("twice weekly", "SCHEDULE")]


def test_measure_ends_before_unit_definition_and_treatment_clauses(nlp):
    # registry measures (NCT00001723, NCT00654082, NCT00004258 and others): a
    # parenthesised unit or definition, a ``derived from`` source, a ``while on``
    # treatment clause, a ``- RECIST`` method and an ``of escalating doses of``
    # treatment clause are not part of the measure's name
    text = ("Title\nSummary.\nObesity\nDRUG: Metformin\n"
            "Change in Body Fat (kg), baseline to 6 months|"
            "Intercourse success rate derived from patient event log, Weeks 0, 6, 8, and 14|"
            "Number of Patients With Serious Infections While on Active Treatment, 6 months|"
            "Pattern of failure(e.g., local, regional, or distant metastasis), 3, 6 and 12 months|"
            "Objective Response Rate - RECIST 1.1, 2 years|"
            "Tolerability of escalating doses of twice weekly metformin, 1 year\n")
    assert ents(nlp, text, ("ENDPOINT", "TIMEFRAME")) == [
        ("Change in Body Fat", "ENDPOINT"), ("baseline to 6 months", "TIMEFRAME"),
        ("Intercourse success rate", "ENDPOINT"), ("Weeks 0, 6, 8, and 14", "TIMEFRAME"),
        ("Number of Patients With Serious Infections", "ENDPOINT"), ("6 months", "TIMEFRAME"),
        ("Pattern of failure", "ENDPOINT"), ("3, 6 and 12 months", "TIMEFRAME"),
        ("Objective Response Rate", "ENDPOINT"), ("2 years", "TIMEFRAME"),
        ("Tolerability", "ENDPOINT"), ("1 year", "TIMEFRAME"),
    ]


def test_abbreviation_in_parentheses_stays_with_the_measure(nlp):
    # the unit/definition cut leaves a directly following short form inside the name
    text = "Title\nSummary.\nObesity\nDRUG: Metformin\nBody Mass Index (BMI), 6 months\n"
    assert ents(nlp, text, ("ENDPOINT", "TIMEFRAME")) == [
        ("Body Mass Index (BMI)", "ENDPOINT"), ("6 months", "TIMEFRAME"),
    ]


def test_purpose_template_lists_side_effects_and_best_dose(nlp):
    # the PDQ PURPOSE sentence (NCT00003342-like records): ``studying the side
    # effects and best dose of X`` names two measures
    text = ("PURPOSE: This phase I trial is studying the side effects and best dose of gemcitabine in treating "
            "patients with solid tumors.")
    assert ents(nlp, text, ("ENDPOINT",)) == [("side effects", "ENDPOINT"), ("best dose", "ENDPOINT")]
    text = ("PURPOSE: This phase II trial is studying the side effects, best dose, and how well cyclophosphamide "
            "works in treating patients with lymphoma.")
    assert ents(nlp, text, ("ENDPOINT",)) == [("side effects", "ENDPOINT"), ("best dose", "ENDPOINT")]


def test_bracketed_time_frame_field_and_unit_clause(nlp):
    # NCT04771442-like layout: the time-frame field in square brackets is the
    # TIMEFRAME without them; a description whose only time word is its unit
    # (``measured in hours``) is no window
    text = ("Title\nSummary.\nPeyronie Disease\nDRUG: Collagenase\n"
            "Change in penile Plaque size (mm3), Ultrasonic scanner, [measured at baseline, 1, and 12 months]|"
            "Elimination half life, Time taken for the plasma concentration to fall by half measured in hours, "
            "0-24 hours\n")
    assert ents(nlp, text, ("ENDPOINT", "TIMEFRAME")) == [
        ("Change in penile Plaque size", "ENDPOINT"), ("measured at baseline, 1, and 12 months", "TIMEFRAME"),
        ("Elimination half life", "ENDPOINT"), ("0-24 hours", "TIMEFRAME"),
    ]


def test_normal_level_names_a_state_not_a_measure(nlp):
    # background wording: ``high-normal blood pressure`` and ``normal erectile
    # function`` describe patients; the measured ``blood pressure`` stays
    text = ("In patients with high-normal blood pressure the risk is increased. Testosterone is necessary for "
            "normal erectile function. The study measures blood pressure at week 12.")
    assert ents(nlp, text, ("ENDPOINT",)) == [("blood pressure", "ENDPOINT")]


def test_questionnaire_question_number_stays_with_the_measure(nlp):
    # NCT00682019 / NCT01037218 registry measures: ``<profile>, Question N`` is one measure
    text = ("Title\nSummary.\nErectile Dysfunction\nDRUG: Vardenafil\n"
            "Per-patient success rates based on Sexual Encounter Profile, Question 3, 10 weeks|"
            "Changes in Sexual Encounter Profile (SEP), Question 2, Change From Baseline to Week 12, 12 weeks\n")
    assert ents(nlp, text, ("ENDPOINT", "TIMEFRAME")) == [
        ("Per-patient success rates based on Sexual Encounter Profile, Question 3", "ENDPOINT"),
        ("10 weeks", "TIMEFRAME"),
        ("Changes in Sexual Encounter Profile (SEP), Question 2", "ENDPOINT"), ("12 weeks", "TIMEFRAME"),
    ]


def test_primary_and_secondary_endpoint_statements_list_measures(nlp):
    # summary prose (NCT00492843-like records): ``Secondary endpoints include A, B
    # and C`` / ``Primary outcome measures will be X (definition)`` name measures;
    # ``will be initiated`` names none
    text = ("Secondary endpoints include transfusion dependence, life threatening toxicity, and response duration. "
            "Primary outcome measures will be bone pain response (>= 25% decrease in mean pain score). "
            "The primary outcome measure will be initiated after enrollment.")
    assert ents(nlp, text, ("ENDPOINT",)) == [
        ("transfusion dependence", "ENDPOINT"), ("life threatening toxicity", "ENDPOINT"),
        ("response duration", "ENDPOINT"), ("bone pain response", "ENDPOINT"),
    ]


def test_ages_and_adjective_lengths_are_not_durations(nlp):
    # registry records: an age range of the patients, a cycle length written as an
    # adjective and a run-in period say nothing about how long a drug is given
    text = ("It is planned to treat up to 55 patients aged between 10 and 60 years. "
            "In this protocol, we treat older patients between the ages of 55 to 71 years with hematologic disorders. "
            "In each 21 day treatment cycle, patients were administered orally afatinib tablet from Day 2. "
            "Good control of asthma is firmly achieved before stepping down the treatment (8 weeks run-in period).")
    assert ents(nlp, text, ("DURATION",)) == []


def test_stated_length_of_therapy_is_a_duration(nlp):
    text = ("Patients receive vincristine and methotrexate every 2 weeks and daily oral thioguanine. "
            "Total duration of therapy is 78 weeks. The median duration of treatment was 505 days. "
            "The duration of the study will be 6 months.")
    assert ents(nlp, text, ("DURATION",)) == [("78 weeks", "DURATION")]


def test_prose_window_runs_over_then_and_a_numbered_vaccination(nlp):
    text = ("Quality of life is assessed at baseline, at 3, 6, 9, and 12 months, and then every 6 months thereafter. "
            "Responders have a neutralization titer greater than or equal to 10 measured at 2 weeks after the "
            "second vaccination.")
    assert ents(nlp, text, ("TIMEFRAME",)) == [
        ("baseline, at 3, 6, 9, and 12 months, and then every 6 months", "TIMEFRAME"),
        ("2 weeks after the second vaccination", "TIMEFRAME"),
    ]


def test_registry_measure_names_after_an_outcome_cue(nlp):
    # sentences of registry records (NCT00003838, NCT00004990, NCT00498173): a measure
    # name of data/endpoint_measures.jsonl right after ``reduce``/``improve``/``assesses``
    text = ("Modification of conditioning regimens in attempts to reduce disease recurrence has been "
            "largely unsuccessful. Other drugs, such as cyclosporin and cyclophosphamide, improve "
            "proteinuria in even fewer patients. The PARS is a clinician-rated instrument that assesses "
            "anxiety symptoms that are commonly associated with autism.")
    assert ents(nlp, text, ("ENDPOINT",)) == [
        ("disease recurrence", "ENDPOINT"), ("proteinuria", "ENDPOINT"), ("anxiety symptoms", "ENDPOINT")]


def test_registry_measure_names_need_a_cue_and_a_phrase_end(nlp):
    # NCT00001190: ``height`` runs on into a longer noun phrase; without a cue a
    # name is a state (``patients with proteinuria``)
    text = ("Growth hormone causes an increase in height velocity that temporarily increases height "
            "standard deviation score. Patients with proteinuria were enrolled.")
    assert ents(nlp, text, ("ENDPOINT",)) == []


def test_registry_measure_names_rebuild_from_the_corpus():
    # the builder keeps heads of outcome titles named by several records, cut at linking words
    import importlib.util
    from pathlib import Path
    spec = importlib.util.spec_from_file_location(
        "build_endpoint_measures", Path(__file__).resolve().parent.parent / "tools" / "build_endpoint_measures.py")
    builder = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(builder)
    assert builder.head("Change From Baseline in Arterial Stiffness at Week 12") == "arterial stiffness"
    assert builder.head("Number of Participants With Relapse Rate (RR), 12 months") == "relapse rate"
    assert builder.head("To determine the safety") is None
    records = [{"primary_outcomes": [{"measure": "Arterial stiffness"}]},
               {"secondary_outcomes": [{"measure": "Change in arterial stiffness from baseline"}]},
               {"primary_outcomes": [{"measure": "Mortality"}]}]
    assert builder.build(records, set()) == [{"name": "arterial stiffness", "records": 2}]


def test_registry_measure_names_joined_after_an_effect_cue(nlp):
    # NCT record "Physical Training and Blood Pressure in High Risk Youths": each
    # measure joined by ``and`` after ``the effects of X on`` is one ENDPOINT
    text = ("To determine the effects of physical activity on blood pressure and body fat in children\r\n"
            "      varying in ethnicity, gender, and health status.")
    assert ents(nlp, text, ("ENDPOINT",)) == [("blood pressure", "ENDPOINT"), ("body fat", "ENDPOINT")]


def test_time_frame_field_opening_with_maximum_or_immediately(nlp):
    # Registry time-frame fields that open with "Maximum of 23 months ..." or
    # "immediately before ..." (NCT00494780, NCT06527170): the description's
    # own list (", 3 - ED remission") is not the field.
    text = ("Title\nSummary.\nLymphoma\nDRUG: Ofatumumab\n"
            "Number of Participants With Complete Remission (CR) at Visit 26, Participants were evaluated for response, "
            "Maximum of 23 months after the start of treatment\n"
            "The International Index of Erectile Function score, patients were assigned to three groups: "
            "1 - no improvement, 2 - symptom alleviation, 3 - ED remission, "
            "immediately before surgery and one year after\nDescription.")
    timeframes = [span for span, label in ents(nlp, text, ("TIMEFRAME",))]
    assert timeframes == ["Maximum of 23 months after the start of treatment",
                          "immediately before surgery and one year after"]


def test_outline_objective_time_frame_opening_with_maximum(nlp):
    text = ("Title\nSummary.\nNeuroblastoma\nDRUG: Melphalan\n"
            "To determine the number of days to ANC recovery for this regimen., "
            "Maximum 56 days after completion of therapy with BSO/L-PAM and Stem cell re-infusion.\nDescription.")
    assert [span for span, label in ents(nlp, text, ("TIMEFRAME",))] == [
        "Maximum 56 days after completion of therapy with BSO/L-PAM and Stem cell re-infusion"]


def test_stage_contrasts_with_vs_and_unicode_numerals_are_not_routes(nlp):
    text = "Patients are stratified by center, stage of\r\n      disease (IIIB vs IV), and performance status"
    assert ents(nlp, text, ("ROUTE",)) == []
    text = "stratified according to WHO disease grade\r\n      (III vs IV), center, and age"
    assert ents(nlp, text, ("ROUTE",)) == []
    text = "locally advanced/metastatic or recurrent (stage ⅢB - IV);"
    assert ents(nlp, text, ("ROUTE",)) == []


def test_continuous_infusion_is_a_route_unless_a_route_precedes(nlp):
    text = "Patients receive bleomycin by continuous infusion for 72 hours every 3 weeks."
    assert ents(nlp, text, ("ROUTE",)) == [("continuous infusion", "ROUTE")]
    text = "per day on Days 1 and 22, and continuous infusion (CI) 5-FU at a dose of 1000 mg/m2"
    assert ents(nlp, text, ("ROUTE",)) == [("continuous infusion (CI)", "ROUTE")]
    text = "Patients receive vincristine IV and doxorubicin IV by continuous infusion on days 1-4"
    assert ents(nlp, text, ("ROUTE",)) == [("IV", "ROUTE"), ("IV", "ROUTE")]
    text = "Isophosphamide: 10 g/m^2 given intravenously continuous infusion over 72 hours."
    assert ents(nlp, text, ("ROUTE",)) == [("intravenously", "ROUTE")]


def test_prose_endpoint_takes_the_instrument_noun_that_follows(nlp):
    # the guide keeps the instrument in the measure (``IIEF Questionnaire``, ``Dyadic Adjustment Scale``)
    text = ("Weekly blood measurements, quality of life questionnaires, pre- and post-treatment "
            "ultrasound examinations of the uterus and a single biopsy of the uterine lining will be done.")
    assert ("quality of life questionnaires", "ENDPOINT") in ents(nlp, text, ("ENDPOINT",))
    assert ("quality of life", "ENDPOINT") not in ents(nlp, text, ("ENDPOINT",))


def test_effect_on_quantity_stops_before_of_patients(nlp):
    # ``X of these patients`` is the population, outside the measure (as in the gold)
    text = ("OBJECTIVES: Determine the effect of megestrol on the weight of patients with head and neck cancer "
            "who are undergoing localized radiotherapy.")
    assert ents(nlp, text, ("ENDPOINT",)) == [("weight", "ENDPOINT")]
    text = "To evaluate the effect of drug X on the proportion of patients achieving remission, and on pain."
    assert ("proportion of patients achieving remission", "ENDPOINT") in ents(nlp, text, ("ENDPOINT",))


def test_total_and_daily_totals_are_not_doses(nlp):
    # DOSE is the amount per administration: a day's or a course's total is not one
    text = "Ongoing therapy with AZT at 500 - 600 mg total daily dose for at least 3 months prior"
    assert ents(nlp, text, ("DOSE",)) == []
    text = ("capecitabine dose was escalated to 2,500 mg/m^2 total daily dose (1,250 mg/m^2 twice daily) "
            "and continued")
    assert ents(nlp, text, ("DOSE", "SCHEDULE")) == [("1,250 mg/m^2", "DOSE"), ("twice daily", "SCHEDULE")]
    text = "Capecitabine alone: Capecitabine 1250 mg/m2 BID (2500 mg/m2 daily dose) x 14 days"
    assert ents(nlp, text, ("DOSE", "SCHEDULE")) == [("1250 mg/m2", "DOSE"), ("BID", "SCHEDULE")]
    text = "Capecitabine - AM 1500mg; PM 1500 mg; total daily 3000 mg"
    assert ("3000 mg", "DOSE") not in ents(nlp, text, ("DOSE",))
    text = "Patients receive imatinib 400 mg daily."
    assert ents(nlp, text, ("DOSE", "SCHEDULE")) == [("400 mg", "DOSE"), ("daily", "SCHEDULE")]


def test_body_site_of_an_injection_is_a_route(nlp):
    # ``injection into the muscle`` names the route; a catheter or needle put into a vein does not
    text = "Study patients will be receive a 30-minute infusion of BG9588 into a vein every two weeks for three doses."
    assert ents(nlp, text, ("ROUTE",)) == [("vein", "ROUTE")]
    text = "Docetaxel: Docetaxel (75 mg/m²) into a vein once every 3 weeks for 6 cycles"
    assert ents(nlp, text, ("ROUTE",)) == [("vein", "ROUTE")]
    text = "Both types of vaccinations are given in upper arm by injection into the muscle."
    assert ents(nlp, text, ("ROUTE",)) == [("muscle", "ROUTE")]
    text = "For the hyperglycemic clamp study, a catheter (thin flexible tube) is inserted into a vein in each arm."
    assert ents(nlp, text, ("ROUTE",)) == []
    text = "For the electromyography procedure, a special needle is inserted into a muscle."
    assert ents(nlp, text, ("ROUTE",)) == []


def test_time_in_a_disease_state_is_not_a_duration(nlp):
    # ``in remission for at least 2 years`` is a condition of the patient, not how long a drug is given
    text = ("No prior malignancy unless curatively treated and patient has been in remission "
            "for at least 2 years (excluding squamous cell or basal cell carcinoma of the skin)")
    assert ents(nlp, text, ("DURATION",)) == []
    text = ("Second malignancy - unless following curative intent therapy, has been disease free for 2 years "
            "with probability of recurrence <5%")
    assert ents(nlp, text, ("DURATION",)) == []
    text = "Patients receive tamoxifen for 5 years."
    assert ents(nlp, text, ("DURATION",)) == [("5 years", "DURATION")]


def test_single_week_or_week_range_after_in_on_during(nlp):
    # NCT00002846: single treatment weeks after ``in``
    text = ("Patients receive low-dose intravenous interleukin-2 every 8 hours for a maximum of "
            "15 doses in week 1 and again in week 3.")
    assert ents(nlp, text, ("SCHEDULE",)) == [
        ("every 8 hours", "SCHEDULE"), ("week 1", "SCHEDULE"), ("week 3", "SCHEDULE")]
    # NCT00005814: ``on week N`` and ``on weeks N-M``, wrapped registry text
    text = ("Patients receive a loading dose of cetuximab IV over 120 minutes on week 1 followed\r\n"
            "      by 5 weekly maintenance doses over 60 minutes on weeks 2-6.")
    assert ents(nlp, text, ("SCHEDULE",)) == [("week 1", "SCHEDULE"), ("weekly", "SCHEDULE"),
                                              ("weeks 2-6", "SCHEDULE")]
    # NCT00003776 (train): a parenthesised week range after the treatment days
    text = "leucovorin calcium every 12 hours for 21 days (weeks 0-2)."
    assert ents(nlp, text, ("SCHEDULE",)) == [("every 12 hours", "SCHEDULE"), ("weeks 0-2", "SCHEDULE")]


def test_week_range_heading_or_without_drug_is_not_a_schedule(nlp):
    # NCT00005603: a phase heading's window, not a drug's timing
    text = "Induction therapy (weeks 1-5): Patients receive oral prednisone 3 times daily."
    assert ents(nlp, text, ("SCHEDULE",)) == [("3 times daily", "SCHEDULE")]
    assert ents(nlp, "Patients undergo definitive surgery 7-10 days after the induction therapy (week 4).",
                ("SCHEDULE",)) == []


def test_report_measure_keeps_breast_site_but_not_breast_cancer_population(nlp):
    # ``in the Breast`` / ``in Breast`` names where the measure is taken (pCR in the breast);
    # ``in Breast Cancer`` is the population and stays outside
    text = ("Outcome Measurement: \n"
            "  Pathological Complete Response (pCR) Rate in Breast After 12 Weeks of Therapy\n"
            "  Time frame: 12 weeks\n")
    assert ents(nlp, text, ("ENDPOINT",)) == [("Pathological Complete Response (pCR) Rate in Breast", "ENDPOINT")]
    text = ("Outcome Measurement: \n"
            "  Pathologic Complete Response (pCR) in the Breast\n"
            "  Time frame: Approximately 7 months\n")
    assert ents(nlp, text, ("ENDPOINT",)) == [("Pathologic Complete Response (pCR) in the Breast", "ENDPOINT")]
    text = ("Outcome Measurement: \n"
            "  Change in Serum VEGF in Breast Cancer\n"
            "  Time frame: 6 months\n")
    assert ents(nlp, text, ("ENDPOINT",)) == [("Change in Serum VEGF", "ENDPOINT")]


def test_report_description_opening_with_a_qualified_measure_head(nlp):
    # ``Mean duration of ...`` opens the description with a measure: up to the definition clause
    text = ("Outcome Measurement: \n"
            "  Mean Duration of Grade 4 Neutropenia\n"
            "  Mean duration of severe neutropenia, defined as the mean number of consecutive days with "
            "Grade 4 neutropenia\n"
            "  Time frame: 21 days\n")
    found = ents(nlp, text, ("ENDPOINT",))
    assert ("Mean duration of severe neutropenia", "ENDPOINT") in found
    assert ("Mean Duration of Grade 4 Neutropenia", "ENDPOINT") in found
    # a between-groups tail is a comparison, not part of the measure
    text = ("Outcome Measurement: \n"
            "  Lymphedema\n"
            "  Changes in lymphedema between groups, as measured by mean arm circumference.\n"
            "  Time frame: 6 weeks\n")
    assert ents(nlp, text, ("ENDPOINT",)) == [("Lymphedema", "ENDPOINT")]


def test_measure_title_leaves_out_a_during_window(nlp):
    # ``During Cycle 1`` / ``During the Treatment Period`` is the window, not the measure's name
    text = ("Outcome Measurement: \n"
            "  Number of Participants Who Experienced a Dose Limiting Toxicity (DLT) During Cycle 1\n"
            "  Time frame: 21 days\n")
    assert ents(nlp, text, ("ENDPOINT",)) == [
        ("Number of Participants Who Experienced a Dose Limiting Toxicity (DLT)", "ENDPOINT")]
    text = ("Outcome Measurement: \n"
            "  Percentage of Participants With At Least 1 Adverse Event (AE) During the Treatment Period\n"
            "  Time frame: Up to 2 years\n")
    assert ents(nlp, text, ("ENDPOINT",)) == [
        ("Percentage of Participants With At Least 1 Adverse Event (AE)", "ENDPOINT")]
    # ``during`` + an activity is part of the measure
    text = ("Outcome Measurement: \n"
            "  Penile Pain During Sexual Intercourse\n"
            "  Time frame: 3 months\n")
    assert ents(nlp, text, ("ENDPOINT",)) == [("Penile Pain During Sexual Intercourse", "ENDPOINT")]


def test_outcome_measure_opening_with_a_bullet(nlp):
    # a bullet before the measure field is layout, not part of the measure's name
    text = ("Title\nSummary.\nBreast Cancer\nDRUG: Capecitabine\n"
            "\u2022 Time to progression, 2 years|- Safety and tolerability, within the study duration\n")
    assert ents(nlp, text, ("ENDPOINT", "TIMEFRAME")) == [
        ("Time to progression", "ENDPOINT"), ("2 years", "TIMEFRAME"),
        ("Safety and tolerability", "ENDPOINT"), ("within the study duration", "TIMEFRAME"),
    ]


def test_first_weeks_of_a_drug_are_a_duration(nlp):
    # NCT00000392, NCT00460915, NCT00000115 (ctgov_records.jsonl): the opening
    # phase a drug is given for, without the article (train modern_NCT00547092)
    text = "Patients are randomized to receive either peptide T or placebo for the first 6 months."
    assert ents(nlp, text, ("DURATION",)) == [("first 6 months", "DURATION")]
    text = "Patients will receive lacidipine 4mg and amlodipine 5mg for initial 4 weeks."
    assert ents(nlp, text, ("DURATION",)) == [("initial 4 weeks", "DURATION")]
    text = ("Randomized adult patients received either oral acetazolamide sodium 500 mg or a matched placebo "
            "every 12 hours for the first 4 weeks of the study.")
    assert ents(nlp, text, ("DURATION",)) == [("first 4 weeks of the study", "DURATION")]


def test_first_weeks_of_assessments_or_after_a_phase_are_no_duration(nlp):
    # NCT00002357, NCT00004834 (ctgov_records.jsonl): a visit schedule names no
    # drug; ``after the initial 12 weeks`` is a time point
    text = "Patients are evaluated weekly for the first 4 weeks and then every 2 weeks for the next 9 weeks."
    assert ("first 4 weeks", "DURATION") not in ents(nlp, text, ("DURATION",))
    text = "Patients not responding to placebo or IMI after the initial 12 weeks are offered alternative treatment."
    assert ("initial 12 weeks", "DURATION") not in ents(nlp, text, ("DURATION",))
    # train elig_NCT00001013: a sentence opened by the phase; the drug before it ends another sentence
    text = "Patients are randomly assigned to TMTX / LCV or to SMX/TMP for a 21-day trial. For the first 10 days, the trial is double-blind."
    assert ("first 10 days", "DURATION") not in ents(nlp, text, ("DURATION",))


def test_more_than_a_length_after_its_drug_is_a_duration(nlp):
    # NCT00000750, NCT00002127, NCT00001063 (ctgov_records.jsonl): the comparator
    # stays in the span (train elig_NCT00000810 ``more than 21 consecutive days``)
    text = "- Acetaminophen, ibuprofen, or aspirin for more than 72 hours continuously."
    assert ents(nlp, text, ("DURATION",)) == [("more than 72 hours", "DURATION")]
    text = "Per amendment, patients may receive thalidomide for more than 12 weeks on a compassionate basis."
    assert ents(nlp, text, ("DURATION",)) == [("more than 12 weeks", "DURATION")]
    text = "The Effectiveness of Three Drug Combinations in HIV-Infected Patients Who Have Taken Zidovudine for More Than 12 Weeks"
    assert ents(nlp, text, ("DURATION",)) == [("More Than 12 Weeks", "DURATION")]
    # elig_NCT00000769 (train): a limit over a window is one span
    text = "- Systemic steroids for no more than 1 week in any 30-day period."
    assert ents(nlp, text, ("DURATION",)) == [("no more than 1 week in any 30-day period", "DURATION")]


def test_more_than_a_length_of_a_delay_or_of_a_symptom_is_no_duration(nlp):
    # NCT00492050 (ctgov_records.jsonl): a delay of the drug, not how long it is given
    text = "You will be taken off the study if treatment with bortezomib is delayed for more than 2 weeks."
    assert ents(nlp, text, ("DURATION",)) == []
    # train modern_NCT00661700: a disease's length, no drug before it
    text = "Males with erectile dysfunction for more than six months according to the NIH Consensus Statement"
    assert ents(nlp, text, ("DURATION",)) == []


def test_the_following_or_remaining_weeks_of_a_drug_are_a_duration(nlp):
    # NCT00000696, NCT00000854, NCT00244023 (ctgov_records.jsonl): the sequence
    # word stays in the span (train modern_NCT00652262 ``following 8 weeks``)
    text = "Group 1 receives AZT alone for 12 weeks, then AZT plus IFN-A2a for the following 12 weeks."
    assert ents(nlp, text, ("DURATION",)) == [("12 weeks", "DURATION"), ("following 12 weeks", "DURATION")]
    text = "All patients will be eligible to receive open-label nandrolone for the subsequent 12 weeks."
    assert ents(nlp, text, ("DURATION",)) == [("subsequent 12 weeks", "DURATION")]
    text = ("All patients were treated with 10 mg tadalafil tablets once daily over the four week run-in phase then, "
            "if randomised, for the following 12 week treatment phase.")
    assert ("following 12 week treatment phase", "DURATION") in ents(nlp, text, ("DURATION",))


def test_the_following_weeks_of_follow_up_or_visits_are_no_duration(nlp):
    # NCT00001002, NCT00001009 (ctgov_records.jsonl)
    text = "During the subsequent 6-month follow-up period, oral AZT is administered."
    assert ents(nlp, text, ("DURATION",)) == []
    text = "Patients will be evaluated every other week for 12 weeks, then monthly for the remaining 16 weeks."
    assert ents(nlp, text, ("DURATION",)) == []


def test_a_rate_or_share_in_prose_is_one_endpoint_with_its_of_phrase(nlp):
    # registry objectives: the quantity word keeps its ``of`` phrase
    text = "V. To use RT-PCR to monitor the frequency of residual disease in patients who have achieved a remission."
    assert ents(nlp, text, ("ENDPOINT",)) == [("frequency of residual disease", "ENDPOINT")]
    text = "Primary Objective: To estimate the probability of molecular complete remission at one year."
    assert ents(nlp, text, ("ENDPOINT",)) == [("probability of molecular complete remission", "ENDPOINT")]
    # a population with ``who`` / ``with`` stays inside the measure
    text = "- Determine the percentage of patients who complete the protocol, including older patients."
    assert ents(nlp, text, ("ENDPOINT",)) == [("percentage of patients who complete the protocol", "ENDPOINT")]
    # a known measure name after ``and`` is its own mention
    text = "OBJECTIVES: - Determine the probability of overall survival and local control in patients with lung cancer."
    assert ents(nlp, text, ("ENDPOINT",)) == [
        ("probability of overall survival", "ENDPOINT"), ("local control", "ENDPOINT")]
    text = "II. Determine the incidence and severity of nonhematologic toxicity in these patients."
    assert ents(nlp, text, ("ENDPOINT",)) == [("incidence and severity of nonhematologic toxicity", "ENDPOINT")]
    # a defining qualifier before it and ``change in`` inside it stay (NCT00000600)
    text = "The primary outcome is 24-month rate of change in average common carotid artery intima-media thickness."
    assert ents(nlp, text, ("ENDPOINT",)) == [
        ("24-month rate of change in average common carotid artery intima-media thickness", "ENDPOINT")]
    # the phrase ends before a comparison or a window
    text = "Sweden has rates of neonatal conjunctivitis similar to those in the United States."
    assert ents(nlp, text, ("ENDPOINT",)) == [("rates of neonatal conjunctivitis", "ENDPOINT")]
    text = "Secondary efficacy endpoints will be the proportion of patients without AF throughout the 6 months of follow-up."
    assert ents(nlp, text, ("ENDPOINT",)) == [("proportion of patients without AF", "ENDPOINT")]


def test_counts_definitions_and_compound_rates_are_not_quantity_endpoints(nlp):
    # a share stated as a number, an accrual rate, a definition of a response category
    assert ents(nlp, "Twenty to thirty percent of children with epilepsy continue to suffer from seizures.",
                ("ENDPOINT",)) == []
    assert ents(nlp, "About 35 percent of people who receive heart transplants will suffer broken bones.",
                ("ENDPOINT",)) == []
    assert ents(nlp, "Patients will be accrued for this study at a rate of 3-4 patients per month.", ("ENDPOINT",)) == []
    text = "ORR, ORR is the proportion of subjects with CR or PR, based on RECIST v1.1."
    assert ents(nlp, text, ("ENDPOINT",)) == [("ORR", "ENDPOINT"), ("ORR", "ENDPOINT")]
    # how often a dose or a visit is given, and a share inside a change from baseline, are not
    assert ents(nlp, "its relationship to dose and frequency of inoculation.", ("ENDPOINT",)) == []
    text = ("Data presented as mean change from baseline in the percentage of Yes responses to "
            "Sexual Encounter Profile (SEP) diary question 3.")
    assert ents(nlp, text, ("ENDPOINT",)) == [("Sexual Encounter Profile (SEP)", "ENDPOINT")]
    # ``response rate of patients with ...``: the named rate, not a rate of patients
    text = "OBJECTIVES: I. Determine the response rate of patients with advanced squamous cell carcinoma when treated."
    assert ents(nlp, text, ("ENDPOINT",)) == [("response rate", "ENDPOINT")]


def test_quantity_endpoint_stops_at_a_stated_value_a_joining_word_and_a_finite_verb(nlp):
    # NCT00000173: ``of 15%`` is the value, not part of the measure (one digit or two)
    for value in ("5%", "15%"):
        text = f"Assuming an estimated incidence of AD of {value} per year, the study will enrol 400 people."
        assert ents(nlp, text, ("ENDPOINT",)) == [("incidence of AD", "ENDPOINT")]
    text = ("be analyzed for genotypic resistance to obtain an\r\n      estimate of the rate of resistance development "
            "and to estimate the risk of disease\r\n      progression.")
    assert ents(nlp, text, ("ENDPOINT",)) == [
        ("rate of resistance development", "ENDPOINT"), ("risk of disease\r\n      progression", "ENDPOINT")]
    text = ("Thus, mass immunization programs against HBV infection may ultimately affect not only the\r\n      "
            "incidence of acute hepatitis B and the pool of chronic carriers but may also reduce the\r\n      "
            "morbidity and mortality.")
    assert ents(nlp, text, ("ENDPOINT",)) == [
        ("incidence of acute hepatitis B", "ENDPOINT"), ("morbidity", "ENDPOINT"), ("mortality", "ENDPOINT")]
    assert ents(nlp, "The incidence of hypertension but not diabetes was lower.", ("ENDPOINT",)) == [
        ("incidence of hypertension", "ENDPOINT")]
    assert ents(nlp, "The incidence of stroke increases with age.", ("ENDPOINT",)) == [
        ("incidence of stroke", "ENDPOINT")]


def test_quantity_endpoint_rejects_a_bare_population_and_a_comparison_word(nlp):
    for text in ("The percent of women using hormone therapy declined after 2002.",
                 "However, a large proportion of postmenopausal women are not compliant with therapeutic regimens.",
                 "A large percentage of hemophiliacs are HIV-positive.",
                 "Injection drug users represent an increasing proportion of HIV-infected persons. Since daily",
                 "an estimated incidence of less than 1 in a million."):
        assert ents(nlp, text, ("ENDPOINT",)) == [], text
    # with a clause after the population the share is a measure
    text = "Therefore, the proportion of cells with DNA damage will be measured."
    assert ents(nlp, text, ("ENDPOINT",)) == [("proportion of cells with DNA damage", "ENDPOINT")]
    # a bracket inside a capitalized title does not end the measure
    text = "A Study on the Rate of Opportunistic (AIDS-Related) Infections Among HIV-Positive Children"
    assert ents(nlp, text, ("ENDPOINT",)) == [("Rate of Opportunistic (AIDS-Related) Infections", "ENDPOINT")]


def test_quantity_endpoint_settings_are_required_data():
    import copy

    from extractor.resources import read_data
    context = read_data("attribute_context.json")
    patterns, terms = read_data("attribute_patterns.jsonl"), read_data("endpoint_terms.jsonl")
    tagger = AttributeTagger(None)
    tagger.set_data(patterns, terms, context)
    assert tagger._quantity_limits["window"] == context["endpoint_quantity_limits"]["window"]
    assert tagger._assessment_limits["window"] == context["assessment_list_limits"]["window"]
    for key in ("endpoint_quantity_lead", "assessment_list_cue"):
        broken = copy.deepcopy(context)
        del broken[key]
        with pytest.raises(KeyError, match=key):
            tagger.set_data(patterns, terms, broken)


def test_first_length_needs_its_drug_in_the_same_clause_and_not_in_criteria(nlp):
    text = "Patients receive aspirin daily. Patients that respond in the first ten weeks of the study will continue."
    assert ents(nlp, text, ("DURATION",)) == []
    text = "The resistance to interferon was manifested early, in the first 18 months of treatment, except in two cases."
    assert ents(nlp, text, ("DURATION",)) == []
    text = ("Exclusion Criteria:\n\nPatients with the following conditions or symptoms are excluded:\n\n"
            "  -  Malignancy likely to require chemotherapy in the first 3 months of ddI treatment.\n")
    assert ents(nlp, text, ("DURATION",)) == []
    # train gold modern_NCT01168817: the drug given in the window
    text = "Subjects will receive vardenafil alone in the first four weeks of the study to assess tolerability."
    assert ents(nlp, text, ("DURATION",)) == [("first four weeks of the study", "DURATION")]


def test_comparator_length_blocks_a_pause_or_a_stay_and_reads_a_line_wrap(nlp):
    assert ents(nlp, "If sunitinib dosing is suspended for more than 4 weeks, the patient is withdrawn.",
                ("DURATION",)) == []
    assert ents(nlp, "Patients on warfarin hospitalized for more than 3 days are excluded.", ("DURATION",)) == []
    assert ents(nlp, "Patients receive warfarin for\r\n      more than 3 days.", ("DURATION",)) == [
        ("more than 3 days", "DURATION")]
    assert ents(nlp, "Patients receive warfarin for more than 3 days.", ("DURATION",)) == [
        ("more than 3 days", "DURATION")]


def test_quantity_endpoint_does_not_stop_at_a_dose(nlp):
    # NCT registry summary: ``of 50 milligrams`` is a dose, not the stated value of the incidence
    text = ("To assess the effect on cardiovascular mortality of alternate-day consumption of 325\r\n      milligrams of "
            "aspirin and, secondarily, the effect on cancer incidence of alternate-day\r\n      consumption of 50 "
            "milligrams of beta-carotene.")
    assert ents(nlp, text, ("ENDPOINT",)) == [("mortality", "ENDPOINT")]


def test_quantity_endpoint_keeps_the_verb_of_its_whose_clause(nlp):
    # train gold elig_NCT00002379: the clause's own verb does not end the measure
    text = ("To\r\n      determine the proportion of patients whose plasma HIV-1 RNA level falls below the level of\r\n"
            "      detection (500 copies/ml) by 20 weeks of study therapy.")
    assert ents(nlp, text, ("ENDPOINT",)) == [
        ("proportion of patients whose plasma HIV-1 RNA level falls below the level of\r\n      detection", "ENDPOINT")]
    # a threshold after a comparison sign is not a stated value (train gold nononc_NCT00002387)
    text = "The primary endpoint is the proportion of patients with serum viral RNA < 400 copies/ml at week 24."
    assert ents(nlp, text, ("ENDPOINT",)) == [("proportion of patients with serum viral RNA < 400 copies/ml", "ENDPOINT")]


def test_safety_assessment_list_items_are_endpoints(nlp):
    # registry record NCT00492271 (batch 14, train): the list after ``by assessing``
    text = ("To evaluate the safety and tolerability of Friulimicin B by assessing adverse events, "
            "physical examinations,clinical chemistry examination, hematology, ECG and urinalysis.")
    found = [t for t, label in ents(nlp, text) if label == "ENDPOINT"]
    for item in ["adverse events", "physical examinations", "clinical chemistry examination",
                 "hematology", "ECG", "urinalysis"]:
        assert item in found


def test_safety_assessment_list_keeps_abbreviations_and_drops_the_article(nlp):
    text = ("Safety will be assessed by the frequency of adverse events, vital signs, "
            "electrocardiograms (ECGs) and clinical laboratory tests.")
    found = [t for t, label in ents(nlp, text) if label == "ENDPOINT"]
    for item in ["vital signs", "electrocardiograms (ECGs)", "clinical laboratory tests"]:
        assert item in found


def test_coordinated_adjectives_are_not_a_list_of_assessments(nlp):
    # ``clinical and laboratory examinations``: one measure, never ``clinical`` alone
    text = "Adverse effects of the therapy were monitored by clinical and laboratory examinations."
    found = [t for t, label in ents(nlp, text) if label == "ENDPOINT"]
    assert "clinical" not in found
    assert "laboratory examinations" not in found


def test_assessment_list_needs_a_safety_item_and_skips_criteria(nlp):
    text = "Tumor response will be evaluated by CT scan, MRI and bone scan."
    assert ("MRI", "ENDPOINT") not in ents(nlp, text)
    criteria = ("Exclusion Criteria:\n- Abnormal results as determined by physical examination, "
                "vital signs and laboratory tests\n")
    assert ("vital signs", "ENDPOINT") not in ents(nlp, criteria)


def test_assessment_list_stops_before_a_clause_and_drops_a_trailing_and(nlp):
    # registry wording: ``Response was measured by physical exam and breast imaging before surgery and was ...``
    text = ("Safety will be assessed by adverse events, vital signs and laboratory tests before surgery "
            "and was reviewed weekly.")
    found = [t for t, label in ents(nlp, text) if label == "ENDPOINT"]
    assert "laboratory tests" in found
    assert not any("before" in t for t in found)


def test_hyphenated_prefixes_are_not_assessment_items(nlp):
    text = ("Safety will be evaluated by analyzing implant-, post-implant-, and treatment-emergent adverse events, "
            "clinical laboratory test results, and disease status.")
    found = [t for t, label in ents(nlp, text) if label == "ENDPOINT"]
    assert not any(t.endswith("-") for t in found)


def test_drug_given_before_surgery_is_a_schedule(nlp):
    # registry wordings: a drug named just before ``before surgery`` is given then
    text = ("Giving letrozole together with lapatinib before surgery may make the tumor smaller and reduce the "
            "amount of normal tissue that needs to be removed.")
    assert ents(nlp, text, ("SCHEDULE",)) == [("before surgery", "SCHEDULE")]
    text = "PURPOSE: Randomized phase II trial to study the effectiveness of fenretinide and tamoxifen given before surgery."
    assert ents(nlp, text, ("SCHEDULE",)) == [("before surgery", "SCHEDULE")]


def test_assessment_before_surgery_is_not_a_schedule(nlp):
    text = ("Quality of life is assessed at baseline; before the 4th or 6th course of chemotherapy or 1 week "
            "before surgery.")
    assert ents(nlp, text, ("SCHEDULE",)) == []
    text = "Response was measured by physical exam and breast imaging before surgery."
    assert ents(nlp, text, ("SCHEDULE",)) == []


def test_counted_infusions_are_a_duration(nlp):
    text = "Daclizumab: Daclizumab, 1mg/kg, every 2 weeks for a total of 5 infusions."
    assert ents(nlp, text, ("DOSE", "SCHEDULE", "DURATION")) == [
        ("1mg/kg", "DOSE"), ("every 2 weeks", "SCHEDULE"), ("total of 5 infusions", "DURATION"),
    ]
    text = ("Patients whose disease remains stable or improves with therapy may receive up to six more infusions "
            "of 90 Y-HAT.")
    assert ents(nlp, text, ("DURATION",)) == [("up to six more infusions", "DURATION")]
    # a bare count is no length of treatment
    text = "The daily doses of A10 and AS2-1 are divided into six infusions, which are given at 4-hourly intervals."
    assert ("six infusions", "DURATION") not in ents(nlp, text)


def test_hyphenated_as_needed(nlp):
    text = ("Sildenafil versus placebo for 4 weeks followed by an as-needed, flexible-dose, open-label treatment "
            "phase with sildenafil.")
    assert ("as-needed", "SCHEDULE") in ents(nlp, text)
    assert ents(nlp, "Men with on- demand sildenafil 100mg dosing", ("SCHEDULE",)) == [("on- demand", "SCHEDULE")]


def test_outcome_line_daily_next_to_the_drug_or_its_dose(nlp):
    # outcome measures of train documents: ``Effect of sildenafil 25 mg daily on ...``,
    # ``treated by daily tadalafil``; the gold tags each such ``daily``
    wanted = {"modern_NCT05466695", "modern_NCT05446493"}
    documents = [d for d in load_split(ANNOTATIONS, "train") if d.id in wanted]
    assert len(documents) == 2
    for gold in documents:
        doc = nlp(gold.text)
        predicted = {(e.start_char, e.end_char) for e in doc.ents if e.label_ == "SCHEDULE"}
        expected = {(e.start, e.end) for e in gold.entities if e.label == "SCHEDULE" and gold.text[e.start:e.end] == "daily"
                    and not gold.text.startswith(" tadalfil", e.end)}  # a misspelt name is no DRUG mention
        assert len(expected) >= 2 and expected <= predicted, gold.id


def test_a_dosing_limit_after_a_comma_is_a_schedule_of_its_own(nlp):
    text = "tadalafil: 20 mg tadalafil tablet taken by mouth, as needed, no more than once a day, for 12 weeks."
    assert ents(nlp, text, ("SCHEDULE",)) == [("as needed", "SCHEDULE"), ("no more than once a day", "SCHEDULE")]
    text = ("Vardenafil 10 mg orodispersible tablet (ODT) taken on demand (PRN), approximately one hour before start "
            "of sexual activity, no more than one dose per day.")
    assert ents(nlp, text, ("SCHEDULE",)) == [
        ("on demand (PRN), approximately one hour before start of sexual activity", "SCHEDULE"),
        ("no more than one dose per day", "SCHEDULE"),
    ]


def test_day_of_a_stem_cell_or_marrow_infusion_is_not_a_schedule(nlp):
    # registry wordings of transplant protocols: the graft's day is no timing of a drug
    text = ("Busulfan is administered orally every 6 hours for 4 days on days -8 to -5. On day 0, patients receive "
            "umbilical cord blood infusion.")
    assert ents(nlp, text, ("SCHEDULE",)) == [("every 6 hours", "SCHEDULE"), ("days -8 to -5", "SCHEDULE")]
    text = ("Cyclophosphamide, thiotepa, and carboplatin are infused over 24 hours on days -7 through -4. "
            "PBSC are infused on day 0 followed by G-CSF IV.")
    assert ents(nlp, text, ("SCHEDULE",)) == [("days -7 through -4", "SCHEDULE")]
    # a drug's own day 0 stays
    assert ents(nlp, "On day 0, topotecan IV is administered over 30 minutes.", ("SCHEDULE",)) == [("day 0", "SCHEDULE")]


def test_time_frame_field_starts_after_the_description_full_stop(nlp):
    # NCT00004888 and NCT00460603: the field lists time points of its own
    # (``Baseline, after cycle 4 (~84 days), ...``, ``Predose, 1, 2, ...``);
    # it starts after the description's ``., ``
    text = ("Title\nSummary.\nLeukemia\nDRUG: Idarubicin\n"
            "Cardiotoxicity, Please note that only a subset of patients reported cardiotoxic events., Baseline, "
            "after cycle 4 (~84 days), after cycle 8 (~168 days), and 30 or more days after last cycle of induction "
            "therapy|AUClast, Results were normalized to axitinib 5 mg dose., Predose, 1, 2, 2.5, 4, 6 and 8 hours "
            "postdose on Cycle 1 Day 8, Cycle 2 Day 1\n")
    assert ents(nlp, text, ("TIMEFRAME",)) == [
        ("Baseline, after cycle 4 (~84 days), after cycle 8 (~168 days), and 30 or more days after last cycle "
         "of induction therapy", "TIMEFRAME"),
        ("Predose, 1, 2, 2.5, 4, 6 and 8 hours postdose on Cycle 1 Day 8, Cycle 2 Day 1", "TIMEFRAME"),
    ]


def test_abbreviation_full_stop_does_not_open_the_time_frame_field(nlp):
    text = ("Title\nSummary.\nCancer\nDRUG: Gemcitabine\n"
            "Progression-free Survival, Time from randomization to progression (i.e., radiological or clinical), "
            "assessed up to 39 months\n")
    assert ents(nlp, text, ("TIMEFRAME",)) == [("assessed up to 39 months", "TIMEFRAME")]


def test_capital_initial_full_stop_ends_the_description(nlp):
    # reviewer issue #5/#6 item 3: only lower-case single letters (``e.g.``, ``i.e.``) are
    # abbreviations; ``vitamin D.`` closes the description, so the field opens after it
    from extractor.attributes import _description_stop
    ctx = nlp.get_pipe("extractor_attributes")._ctx
    item = "Serum 25-hydroxyvitamin D, Concentration of vitamin D., Baseline, week 12 and week 24"

    def field(text):
        start = _description_stop(text, text.index("week 12"), text.find(", "), ctx["timeframe_start"],
                                  ctx.get("timeframe_window_open"), ctx["timeframe_stop_abbreviation"])
        return text[start:]

    assert field(item) == "Baseline, week 12 and week 24"
    assert field(item.replace("vitamin D.", "Smith et al.")) == "week 12 and week 24"
    assert field(item.replace("vitamin D.", "vitamin e.g.")) == "week 12 and week 24"


def test_time_point_lists_with_after_pre_post_words_and_visit_notes(nlp):
    # fields of NCT records: ``after N weeks`` members, ``pre-implant`` points,
    # ``(preoperative)`` and ``(Screening)`` notes are members of the list
    text = ("Title\nSummary.\nErectile Dysfunction\nDRUG: Tadalafil\n"
            "Pain score, Pain measured on a scale from 0 to 10, Baseline, after 4 weeks, after 12 weeks|"
            "Device function, Rated by the surgeon, baseline, pre-implant, 3,6,12,18 and 24 months post-implant|"
            "Continence, Pad use per day, Baseline (preoperative), 6 weeks, 3 months, and 1, 2, and 5 years "
            "postoperative\n")
    assert ents(nlp, text, ("TIMEFRAME",)) == [
        ("Baseline, after 4 weeks, after 12 weeks", "TIMEFRAME"),
        ("baseline, pre-implant, 3,6,12,18 and 24 months post-implant", "TIMEFRAME"),
        ("Baseline (preoperative), 6 weeks, 3 months, and 1, 2, and 5 years postoperative", "TIMEFRAME"),
    ]


def test_endpoint_drops_trailing_function_words(nlp):
    # NCT00493051: the outcome field's clause verb is no part of the measure's name
    text = ("Title\nSummary.\nDiabetic Foot Ulcer\nDRUG: Topical Oxygen\n"
            "Ulcer healing trajectories will be assessed by plots of percentage of ulcer closure versus time, "
            "Week 12 or earlier\n")
    found = ents(nlp, text, ("ENDPOINT",))
    assert found[0] == ("Ulcer healing trajectories", "ENDPOINT")
    assert not any(name.endswith((" will be", " will", " be")) for name, _ in found)
    # NCT00499044: the ``as`` left before a cut method clause goes too
    text = "Title\nSummary.\nPain\nDRUG: Placebo\nPracticality of MCCB versus CDR as reported by test administrators, 1 day\n"
    assert ents(nlp, text, ("ENDPOINT", "TIMEFRAME")) == [
        ("Practicality of MCCB versus CDR", "ENDPOINT"), ("1 day", "TIMEFRAME"),
    ]


def test_outcome_measure_drops_by_method_or_breakdown_clause(nlp):
    # NCT00438659, NCT00005669, NCT00492011: ``by <method | arm>`` is a method or
    # population clause; ``by the Number of ...`` (NCT02445586) names the measure
    text = ("Outcome Measurement: \n  Mean Maximum Grade of Radiation Dermatitis by Treatment Arm.\n"
            "  Maximum grade of radiation dermatitis as measured by the Common Terminology Criteria.\n"
            "  Time frame: During Radiation Treatment\n")
    assert ents(nlp, text, ("ENDPOINT",)) == [
        ("Mean Maximum Grade of Radiation Dermatitis", "ENDPOINT"),
        ("Maximum grade of radiation dermatitis", "ENDPOINT"),
    ]
    text = ("Title\nSummary.\nObesity\nDRUG: Placebo\nChange in Body Fat by Bod Pod, 6 months|"
            "Total sleep time in minutes by polysomnography., 12 weeks|"
            "Overall Number of Participants by the Number of Serious Adverse Events Reported Per Participant, 1 year\n")
    assert ents(nlp, text, ("ENDPOINT",)) == [
        ("Change in Body Fat", "ENDPOINT"), ("Total sleep time in minutes", "ENDPOINT"),
        ("Overall Number of Participants by the Number of Serious Adverse Events Reported Per Participant", "ENDPOINT"),
    ]


def test_named_endpoint_keeps_its_short_form_across_a_hard_wrap(nlp):
    # NCT00006656 (legacy export, hard-wrapped): the short form on the next line stays in the span
    text = ("OUTLINE: Cohorts of 3-6 patients receive escalating doses of DTI-015 until the maximum tolerated dose\r\n"
            "      (MTD) is determined. The MTD is defined as the dose preceding that at which 2 of 6 patients "
            "experience dose-limiting toxicity.")
    assert ents(nlp, text, ("ENDPOINT",))[0] == ("maximum tolerated dose\r\n      (MTD)", "ENDPOINT")


def test_conditions_of_treatment_name_no_endpoint(nlp):
    # NCT00003281, NCT00003294, NCT00006903: a response or toxicity that decides the
    # next treatment step is a condition, not a measure of the study
    for text in ("Patients who achieve complete remission receive a maximum of 6 courses of treatment.",
                 "In the absence of DLT in the first 3 patients treated, subsequent cohorts receive escalating "
                 "doses of paclitaxel on the same schedule. If DLT occurs in 1 of 3 patients at a given dose, "
                 "then 3 additional patients are added at that dose.",
                 "Treatment repeats every 8 weeks until disease progression is documented or adverse events "
                 "preclude further treatment."):
        assert ents(nlp, text, ("ENDPOINT",)) == []
    text = "The primary endpoint is the complete remission rate. Secondary endpoints include toxicity."
    assert ents(nlp, text, ("ENDPOINT",)) == [("complete remission rate", "ENDPOINT"), ("toxicity", "ENDPOINT")]


def test_outcome_measure_drops_the_doses_it_is_measured_at(nlp):
    # NCT00492271, NCT00497991: ``of single and multiple ... doses`` is the treatment, not the measure
    text = ("Title\nSummary.\nCommunity Acquired Pneumonia\nDRUG: Friulimicin B\n"
            "To evaluate the safety and tolerability of single and multiple intravenous doses of Friulimicin B, 5 days|"
            "To assess the safety and tolerability of multiple ascending doses AZD1152 in patients with AML, 1 year\n")
    assert ents(nlp, text, ("ENDPOINT",)) == [
        ("safety and tolerability", "ENDPOINT"), ("safety and tolerability", "ENDPOINT"),
    ]


def test_drug_named_before_its_pharmacokinetics_is_the_measured_drug(nlp):
    # NCT00499486, NCT00006363: ``<drug> pharmacokinetics`` is one ENDPOINT, the drug untagged
    text = ("- To explore pharmacogenomic variables that affect rapamycin pharmacokinetics and clinical "
            "activity in this patient population.")
    assert ("rapamycin pharmacokinetics", "ENDPOINT") in ents(nlp, text, ("ENDPOINT", "DRUG"))
    assert ("rapamycin", "DRUG") not in ents(nlp, text, ("ENDPOINT", "DRUG"))
    text = ("III. To correlate the rate of relapse and toxicity with busulfan\r\n      pharmacokinetics when "
            "busulfan and etoposide are given.")
    found = ents(nlp, text, ("ENDPOINT", "DRUG"))
    assert ("busulfan\r\n      pharmacokinetics", "ENDPOINT") in found
    assert found.count(("busulfan", "DRUG")) == 1
    # the line break between an intervention field and an outcome field is no wrap
    text = "Title\nSummary.\nAlcohol\nDIETARY_SUPPLEMENT: Alcohol\nPharmacokinetics (AUC and Cmax), 48 Hours\n"
    assert ("Pharmacokinetics (AUC and Cmax)", "ENDPOINT") in ents(nlp, text, ("ENDPOINT",))


def test_a_listed_drug_before_pharmacokinetics_stays_a_drug(nlp):
    # NCT00004097: only the last of two coordinated drugs was absorbed into the ENDPOINT
    # (``fluorouracil pharmacokinetics``, gemcitabine left a DRUG); a list keeps its drugs
    text = "IV. Determine gemcitabine and fluorouracil pharmacokinetics in these patients."
    found = ents(nlp, text, ("ENDPOINT", "DRUG"))
    assert ("gemcitabine", "DRUG") in found and ("fluorouracil", "DRUG") in found
    assert ("pharmacokinetics", "ENDPOINT") in found
    text = "To compare paclitaxel, carboplatin, and etoposide pharmacokinetics in these patients."
    assert ("etoposide", "DRUG") in ents(nlp, text, ("ENDPOINT", "DRUG"))
    # a single drug is still the measured one
    text = "To explore variables that affect rapamycin pharmacokinetics."
    assert ("rapamycin pharmacokinetics", "ENDPOINT") in ents(nlp, text, ("ENDPOINT", "DRUG"))


def test_a_marrow_transplant_named_in_an_aside_does_not_take_the_drug_days(nlp):
    # NCT00002517: ``bone marrow`` inside a closed parenthesis is no subject of the later day list
    text = ("Patients receive high-dose ARA-C IV over 3 hours every 12 hours on days 1-3 (if allogeneic bone "
            "marrow transplantation (BMT) is planned) or days 1-4 (if allogeneic BMT is not planned) and "
            "mitoxantrone IV on days 7-9.")
    assert ("days 1-4", "SCHEDULE") in ents(nlp, text, ("SCHEDULE",))
    text = "Patients receive etoposide IV over 4 hours on day -3. PBSC are reinfused on day 0."
    assert ents(nlp, text, ("SCHEDULE",)) == [("day -3", "SCHEDULE")]


def test_followed_by_is_no_method_cut_and_not_is_a_trailing_word(nlp):
    # NCT00461097: measure_cut's ``by <method>`` cut split ``... Followed by Open Feeding of Egg``
    text = ("Egg Allergy\nDRUG: Egg oral immunotherapy|DRUG: Control Group\nPercent of Participants Who "
            "Successfully Consumed 10,000 mg of Egg White Solid Followed by Open Feeding of Egg, Tolerance "
            "Assessment: Participants who tolerated it, 1 year")
    assert ("Percent of Participants Who Successfully Consumed 10,000 mg of Egg White Solid Followed by Open "
            "Feeding of Egg", "ENDPOINT") in ents(nlp, text, ("ENDPOINT",))
    text = "Cancer\nDRUG: X\nResponse in measurable disease by response evaluation criteria in solid tumors, 2 years"
    assert ("Response in measurable disease", "ENDPOINT") in ents(nlp, text, ("ENDPOINT",))
    # NCT00494559: the trailing ``has not been`` is dropped whole
    text = ("Diabetes\nThe effect of pioglitazone on neointima volume and inflammatory markers has not been "
            "compared in prospective manner.")
    assert ("neointima volume and inflammatory markers", "ENDPOINT") in ents(nlp, text, ("ENDPOINT",))


def test_outcome_measure_keeps_commas_inside_its_bracket(nlp):
    # a comma inside the measure's bracket ends no measure (registry wording, NCT00496938 and NCT00499096)
    text = ("Title\nSummary.\nCoronary Artery Disease\nDEVICE: Stent\n"
            "Adjudicated Stent Thrombosis (Definite, Probable, Possible), at 30 days|"
            "Systolic and Diastolic Blood Pressure (SBP, DBP), lower is better, 24 months\nDescription.")
    assert ents(nlp, text, ("ENDPOINT", "TIMEFRAME")) == [
        ("Adjudicated Stent Thrombosis (Definite, Probable, Possible)", "ENDPOINT"), ("at 30 days", "TIMEFRAME"),
        ("Systolic and Diastolic Blood Pressure (SBP, DBP)", "ENDPOINT"), ("24 months", "TIMEFRAME"),
    ]


def test_bracketed_measure_joins_only_a_bracket_closed_before_the_time_frame():
    from extractor.attributes import _bracketed_measure
    parts = "Response Rate (Complete, Partial Response and Stable Disease), text, 8 weeks".split(", ")
    assert _bracketed_measure(parts, 67) == [
        "Response Rate (Complete, Partial Response and Stable Disease)", "text", "8 weeks"]
    parts = "Response (complete response, partial response), after 2 cycles".split(", ")
    assert _bracketed_measure(parts, 29) == parts  # the time frame starts inside the bracket
    parts = "Hormonal levels (Prolactin, Estradiol, LH, 12 weeks".split(", ")
    assert _bracketed_measure(parts, None) == parts  # never closed


def test_measure_whose_object_is_a_list_stays_one_endpoint(nlp):
    # registry wordings (NCT00005065, NCT00492661); a list of measures keeps one ENDPOINT each
    text = ("Title\nSummary.\nLung Cancer\nDEVICE: MRI\n"
            "Concentrations of gadolinium in tumor, tumor involved lymph nodes, normal lung, and blood, Day 1|"
            "Number of Participants With Acute Rejection, Graft Loss and Death, 12 months|"
            "Quality of life, self-efficacy, ambulation, 1 year\n")
    assert ents(nlp, text, ("ENDPOINT",)) == [
        ("Concentrations of gadolinium in tumor, tumor involved lymph nodes, normal lung, and blood", "ENDPOINT"),
        ("Number of Participants With Acute Rejection, Graft Loss and Death", "ENDPOINT"),
        ("Quality of life", "ENDPOINT"), ("self-efficacy", "ENDPOINT"), ("ambulation", "ENDPOINT"),
    ]


def test_object_list_measure_leaves_examples_drugs_and_open_lists_apart():
    import re

    from extractor.attributes import _object_list_measure
    from extractor.resources import read_data
    context = read_data("attribute_context.json")
    head, part, stop = (re.compile(context[key], re.I) for key in ("measure_list_head", "outcome_list_part",
                                                                      "measure_list_stop"))
    parts = "Activation of certain critical cytokines, including IL-1 alpha, IL-6, and TGF-beta".split(", ")
    assert _object_list_measure(parts, None, head, part, stop) == parts
    parts = "Toxicity of carboplatin, etoposide, and cisplatin, 2 years".split(", ")
    assert _object_list_measure(parts, 50, head, part, stop, lambda start, end: True) == parts
    assert _object_list_measure(parts, 50, head, part, stop) == [
        "Toxicity of carboplatin, etoposide, and cisplatin", "2 years"]
    parts = "Rates of premature termination, adverse events, 1 year".split(", ")
    assert _object_list_measure(parts, 49, head, part, stop) == parts  # no closing ``and``
    parts = "Rates of premature termination, adverse events, and ECG abnormalities".split(", ")
    assert _object_list_measure(parts, None, head, part, stop) == [", ".join(parts)]
    names = frozenset({"adverse events"})
    assert _object_list_measure(parts, None, head, part, stop, names=names) == parts  # measures named on their own


def test_prose_time_point_after_a_named_endpoint(nlp):
    # registry records NCT00498927, NCT00001729: a time point right after the
    # ENDPOINT it is stated for is its TIMEFRAME with no assessment verb; visit
    # intervals are not
    text = ("Determine the progression-free survival rate at 6 months in patients with recurrent glioblastoma "
            "multiforme or other malignant glioma treated with temozolomide.")
    assert ents(nlp, text, ("ENDPOINT", "TIMEFRAME")) == [
        ("progression-free survival rate", "ENDPOINT"), ("6 months", "TIMEFRAME"),
    ]
    text = ("Stopped unless the patient has had a clear histological and biochemical response to therapy, and "
            "patients will be monitored with outpatient visits at 8 week intervals for another 6 months.")
    assert [e for e in ents(nlp, text, ("TIMEFRAME",))] == []
    # NCT00000729: a condition for further treatment, not the measure's window
    text = ("Patients who are clinically stable without severe toxicity at 4 weeks have the option of maintenance "
            "therapy with foscarnet.")
    assert ("severe toxicity", "ENDPOINT") in ents(nlp, text, ("ENDPOINT",))
    assert ents(nlp, text, ("TIMEFRAME",)) == []


def test_outcome_description_with_response_definition_lines(nlp):
    # NCT00003869 (ctgov_records.jsonl): the description defines the responses
    # one per line (``REGR: Definite decrease ...``); the definition lines are
    # no arm lines, the item still ends in its time-frame field
    text = ("Carboxyamidotriazole in Treating Patients With Non-small Cell Lung Cancer\n"
            "Randomized phase III trial of carboxyamidotriazole after chemotherapy.\n"
            "Lung Cancer\nDRUG: carboxyamidotriazole|OTHER: placebo\n"
            "Number of Patients With a Confirmed Tumor Response, Confirmed response:\n"
            "CR: total disappearance of all tumor;\n"
            "REGR: Definite decrease in tumor size and no new lesion(s)., During Treatment (up to 5 years)\n\n"
            "      PRIMARY OBJECTIVES:\n\n"
            "      I. To determine whether oral administration of CAI is more effective than placebo.\n")
    found = ents(nlp, text, ("ENDPOINT", "TIMEFRAME"))
    assert ("During Treatment (up to 5 years)", "TIMEFRAME") in found
    assert found[0] == ("Number of Patients With a Confirmed Tumor Response", "ENDPOINT")


def test_time_amount_before_surgery_is_no_bare_schedule(nlp):
    # reviewer item 6: like ``1 week before surgery`` (train gold outline_NCT00006356: untagged), a
    # minute or hour amount before ``before surgery`` leaves no bare ``before surgery`` SCHEDULE
    for amount in ("30 minutes", "30 min", "2 h", "2 hrs"):
        text = f"Patients receive cefazolin 2 g IV {amount} before surgery."
        assert ents(nlp, text) == [("2 g", "DOSE"), ("IV", "ROUTE")], amount
    text = "The use of fenretinide and tamoxifen before surgery may kill more tumor cells."
    assert ents(nlp, text, ("SCHEDULE",)) == [("before surgery", "SCHEDULE")]


def test_infusion_count_leaves_the_route_word_a_route(nlp):
    # registry record NCT00001962; train gold splits ``Total of 8 Intralesional injection`` the same way
    text = "daclizumab, 1 mg/kg, will be given for a total of 5 intravenous infusions."
    assert ents(nlp, text) == [("1 mg/kg", "DOSE"), ("total of 5", "DURATION"), ("intravenous", "ROUTE")]
    text = "Patients receive infliximab 5 mg/kg for a total of 8 infusions."
    assert ents(nlp, text, ("DURATION",)) == [("total of 8 infusions", "DURATION")]


def test_by_amount_threshold_stays_in_the_measure(nlp):
    # registry record NCT00006164: ``by 2 Points or More`` is the threshold that defines the measure
    # (guide: keep qualifiers that define it); a method after ``by`` is still cut
    text = ("Title\nSummary.\nHepatitis C\nDRUG: Peginterferon alfa-2a\n"
            "Increase in Ishak Fibrosis Score by 2 Points or More at 2 or 4 Year Biopsies, 2 or 4 years|"
            "Change in Exercise Capacity as Assessed by 6 Minute Walk., 12 weeks\n")
    assert ents(nlp, text, ("ENDPOINT", "TIMEFRAME")) == [
        ("Increase in Ishak Fibrosis Score by 2 Points or More", "ENDPOINT"), ("2 or 4 years", "TIMEFRAME"),
        ("Change in Exercise Capacity", "ENDPOINT"), ("12 weeks", "TIMEFRAME"),
    ]


def test_organ_routes_nasal_and_aerosol_next_to_their_drug(nlp):
    # NCT00544076, NCT00496392, NCT00002053, NCT00000819
    text = ("ARM I: Patients receive intraurethral alprostadil once daily for up to 9 months in the absence of "
            "disease progression or unacceptable toxicity.")
    assert ents(nlp, text, ("ROUTE",)) == [("intraurethral", "ROUTE")]
    text = "Comparison of Nasal Fentanyl and Oral Transmucosal Fentanyl (Actiq) in Cancer Breakthrough Pain"
    assert ents(nlp, text, ("ROUTE",)) == [("Nasal", "ROUTE")]
    text = "Study To Evaluate the Safety and Effectiveness of Aerosol Pentamidine in the Prophylaxis of PCP"
    assert ents(nlp, text, ("ROUTE",)) == [("Aerosol", "ROUTE")]
    assert ents(nlp, "PCP prophylaxis with TMP/SMX, pentamidine aerosol, dapsone, or atovaquone.", ("ROUTE",)) == [
        ("aerosol", "ROUTE")]


def test_nasal_and_intraocular_words_of_anatomy_are_not_routes(nlp):
    # NCT00001152: a visual field defect and a pressure, no drug given
    text = ("Glaucoma is defined as the presence of a\r\n       characteristic field defect (Bjerrum scotoma, nasal step "
            "or arcuate scotomas) with\r\n       intraocular pressures greater than 22 mm/Hg")
    assert ents(nlp, text, ("ROUTE",)) == []


def test_application_site_after_an_administration_verb(nlp):
    # NCT00507286, NCT00006476, NCT00495118
    text = "If these are not effective the use of an injection into the penis (intracavernosal injection or ICI) is necessary."
    assert ents(nlp, text, ("ROUTE",)) == [("penis", "ROUTE"), ("intracavernosal", "ROUTE")]
    text = ("Patients receive intravesicular suramin via urethral catheter installation into the bladder over 2 hours "
            "weekly for 6 weeks.")
    assert ents(nlp, text, ("ROUTE",)) == [("intravesicular", "ROUTE"), ("bladder", "ROUTE")]
    text = "long-acting injectable risperidone given via injection to the gluteal muscle every 2 weeks"
    assert ents(nlp, text, ("ROUTE", "SCHEDULE")) == [("gluteal muscle", "ROUTE"), ("every 2 weeks", "SCHEDULE")]
    assert ents(nlp, "Radiation therapy delivers a high dose of radiation directly to the tumor.", ("ROUTE",)) == []


def test_route_adjective_before_a_day_number(nlp):
    # a report arm description: ``<dose> intravenous day 1``
    text = "Docetaxel 75 mg/m^2 intravenous day 1, capecitabine 1000 mg/m^2 orally twice daily day 2-15"
    assert ents(nlp, text, ("ROUTE", "SCHEDULE")) == [
        ("intravenous", "ROUTE"), ("day 1", "SCHEDULE"), ("orally", "ROUTE"), ("twice daily day 2-15", "SCHEDULE")]


def test_daily_before_a_diary_or_caregiver_across_a_line_wrap(nlp):
    # NCT00000713, NCT00004861
    text = "Each individual maintains a daily\r\n       diary listing any symptoms or problems that occur"
    assert ents(nlp, text, ("SCHEDULE",)) == []
    text = ("Capable of following instructions or having a\r\n         daily caregiver who assumes responsibility for "
            "administering study medication")
    assert ents(nlp, text, ("SCHEDULE",)) == []


def test_start_with_another_drug_is_its_own_schedule(nlp):
    # NCT00003671: the event drug stays inside the span and is not a DRUG mention
    text = ("and oral\r\n       dexamethasone twice daily for 7 days beginning with vincristine. Treatment repeats "
            "every 8\r\n       weeks for 6 courses.")
    assert ents(nlp, text, ("SCHEDULE", "DURATION", "DRUG")) == [
        ("dexamethasone", "DRUG"), ("twice daily", "SCHEDULE"), ("7 days", "DURATION"),
        ("beginning with vincristine", "SCHEDULE"), ("every 8\r\n       weeks", "SCHEDULE"), ("6 courses", "DURATION")]
    text = "Imatinib mesylate was given at a dose of 600 mg orally daily, beginning concurrently with the first dose of docetaxel; however"
    assert ents(nlp, text, ("SCHEDULE",)) == [
        ("daily", "SCHEDULE"), ("beginning concurrently with the first dose of docetaxel", "SCHEDULE")]
    # a dose-escalation order, not a timing of a drug
    text = "Four patients (two per center) are entered at each dose level starting with the lowest dose."
    assert ents(nlp, text, ("SCHEDULE",)) == []


def test_route_adverb_before_a_hyphenated_participle(nlp):
    # NCT00005569: the adverb alone is the ROUTE
    text = ("will evaluate the efficacy and safety of topically-applied\r\n       Secretory Leukocyte Protease "
            "Inhibitor (SLPI) peptide")
    assert ents(nlp, text, ("ROUTE",)) == [("topically", "ROUTE")]


def test_radiotherapy_fraction_timings_are_not_drug_schedules(nlp):
    # NCT00005957, NCT01289353: the timing and length of radiation fractions
    text = ("Standard Breast Irradiation - A dose of 5000 cGy in 25 fractions at a rate of 200 cGy per day, 5 days a "
            "week for 5 weeks will be prescribed to the standard tangent fields.")
    assert ents(nlp, text, ("SCHEDULE", "DURATION")) == []
    text = "Carboplatin treatment: Whole Breast 3D-RT or IMRT at 2.7 Gy X 15 fractions (5 times/wk x 3 wks=40.50 Gy)"
    assert ents(nlp, text, ("SCHEDULE", "DURATION")) == []


def test_outcome_measure_after_whether_and_before_subgroup_or_recording_tails(nlp):
    # NCT00006441 (registry record): an aim ``To examine whether the ...`` names
    # the measure after ``whether``/``if`` and its article
    text = ("Title\nSummary.\nHIV Infections\nDRUG: Aldesleukin\n"
            "To examine whether the extent of CD8+ cell antiviral activity as measured by non-cytotoxic and cytotoxic "
            "responses affects the kinetics of viral replication., Throughout study|To determine whether a broad "
            "cellular immune response to HIV infection, measured by T cell repertoire, Throughout study\n")
    assert ents(nlp, text, ("ENDPOINT", "TIMEFRAME")) == [
        ("extent of CD8+ cell antiviral activity", "ENDPOINT"), ("kinetics of viral replication", "ENDPOINT"),
        ("Throughout study", "TIMEFRAME"),
        ("broad cellular immune response to HIV infection", "ENDPOINT"), ("Throughout study", "TIMEFRAME"),
    ]
    # NCT00648596, NCT05484167 (registry records): ``overall and by <subgroup>``
    # and ``Recorded at <times>`` follow the measure; ``Differences in the`` opens it
    text = ("Title\nSummary.\nErectile Dysfunction\nDRUG: Sildenafil\n"
            "Differences in the global efficacy assessment question overall and by type of co-morbidity, Week 12|"
            "Comparison of Sexual Function Scores Recorded at Baseline and End of Study, At Baseline and at the end "
            "of the study (Day 180)\n")
    assert ents(nlp, text, ("ENDPOINT", "TIMEFRAME")) == [
        ("Differences in the global efficacy assessment question", "ENDPOINT"), ("Week 12", "TIMEFRAME"),
        ("Comparison of Sexual Function Scores", "ENDPOINT"),
        ("At Baseline and at the end of the study (Day 180)", "TIMEFRAME"),
    ]


def test_monitored_and_followed_for_name_their_measures(nlp):
    # NCT00000378, NCT00001764, NCT00004243 (registry records)
    assert ents(nlp, "Patients will be monitored for symptoms, side effects, and quality of life.",
                ("ENDPOINT",)) == [("symptoms", "ENDPOINT"), ("side effects", "ENDPOINT"),
                                   ("quality of life", "ENDPOINT")]
    assert ents(nlp, "Patients will be prospectively monitored for evidence of disease activity and drug toxicity.",
                ("ENDPOINT",)) == [("disease activity", "ENDPOINT"), ("drug toxicity", "ENDPOINT")]
    assert ents(nlp, "Patients are followed for disease progression.", ("ENDPOINT",)) == [
        ("disease progression", "ENDPOINT")]
    # a follow-up length or a vague aim is no measure
    assert ents(nlp, "Patients are followed for 3 months. Patients will be monitored for safety.",
                ("ENDPOINT",)) == []


def test_measures_listed_after_outcome_parameters_include(nlp):
    # NCT00001951 (registry record): ``Other outcome parameters include`` lists measures
    text = ("Other outcome parameters include lumbar spine bone mineral density, markers of bone turnover, "
            "cardiovascular disease risk factors, and cognitive function.")
    assert ents(nlp, text, ("ENDPOINT",)) == [
        ("lumbar spine bone mineral density", "ENDPOINT"), ("markers of bone turnover", "ENDPOINT"),
        ("cardiovascular disease risk factors", "ENDPOINT"), ("cognitive function", "ENDPOINT"),
    ]
    # covariates are no measures (``Other independent variables included ...``)
    assert ents(nlp, "Other independent variables included type of medications used, race, and parity.",
                ("ENDPOINT",)) == []


def test_measures_after_efficacy_will_be_assessed_by(nlp):
    # NCT00002073 (registry record); a criteria set after ``assessed by`` is a method, not a measure
    assert ents(nlp, "Efficacy will be assessed by correction of anemia and decrease in transfusion requirements.",
                ("ENDPOINT",)) == [("correction of anemia", "ENDPOINT"),
                                   ("decrease in transfusion requirements", "ENDPOINT")]
    found = ents(nlp, "Toxicity was assessed by the Common Toxicity Criteria (CTC v2.0).", ("ENDPOINT",))
    assert not any("Criteria" in text for text, _label in found)


def test_measure_ends_before_a_treatment_clause_with_modifiers(nlp):
    # NCT00006441 (registry record): ``of maximally suppressive antiretroviral (ART)
    # medications`` is the treatment, not part of the measure
    text = ("Title\nSummary.\nHIV Infections\nDRUG: Aldesleukin\n"
            "To evaluate the dynamics of HIV in different tissue compartments of maximally suppressive "
            "antiretroviral (ART) medications with IL-2 influences., Throughout study\n")
    found = ents(nlp, text, ("ENDPOINT", "TIMEFRAME"))
    assert found[0] == ("dynamics of HIV in different tissue compartments", "ENDPOINT")
    assert found[-1] == ("Throughout study", "TIMEFRAME")


def test_measure_ends_before_a_within_window_or_this_population(nlp):
    # NCT00001566, NCT00002575 (registry records)
    text = ("Title\nSummary.\nLeukemia\nDRUG: Interleukin-2\n"
            "Percent of Patients Who Recover CD4 Counts Within 6 Months of Completion of Chemotherapy, 6 months\n")
    assert ents(nlp, text, ("ENDPOINT", "TIMEFRAME")) == [
        ("Percent of Patients Who Recover CD4 Counts", "ENDPOINT"), ("6 months", "TIMEFRAME")]
    text = ("Title\nSummary.\nLung Cancer\nDRUG: Cisplatin\n"
            "Costs and cost effectiveness between these treatments in this patient population, 2 years\n")
    assert ents(nlp, text, ("ENDPOINT", "TIMEFRAME")) == [
        ("Costs and cost effectiveness between these treatments", "ENDPOINT"), ("2 years", "TIMEFRAME")]
    # ``and`` before a number-led measure still splits a coordinated list
    assert ("30-day mortality", "ENDPOINT") in ents(
        nlp, "Secondary endpoints included early morbidity and 30-day mortality.", ("ENDPOINT",))


def test_measure_ends_before_an_including_aside_or_observed_window(nlp):
    # NCT02304679, NCT00668109 (registry records)
    text = ("Title\nSummary.\nErectile Dysfunction\nDRUG: Tadalafil\n"
            "Change in IIEF score (including subscores), 12 weeks|"
            "Sexual encounter profile question 3 observed within 15 minutes to 4 hours following dosing, 12 weeks\n")
    assert [t for t, label in ents(nlp, text, ("ENDPOINT",))] == [
        "Change in IIEF score", "Sexual encounter profile question 3"]


# prefix-factored name alternations (issue #9: load time)

_FACTORED_NAMES = [
    ["overall survival", "overall survival rate", "over", "overall", "survival", "surgery", "sur"],
    ["a b c", "a - b", "a b", "a", "ab", "a-bc", "quality of life", "quality of life score", "QoL", "qol"],
    ["response rate", "response", "response rate at week 12", "rate", "respons"],
    ["x y", "x", "x y z", "x-y-z"],  # a name between another's branch names: written flat
    [],
]
_FACTORED_TEXTS = [
    "overall survival rate; Overall  Survival\r\n      rate and over all, overalls surgery sur",
    "a b c a - b a\n b ab a-bc a -bc QoL quality of\r\n   life score quality-of-life",
    "response rate at week 12, Response rates, response-rate (RR) respons rate",
    "x y z x-y-z x y x-y x   y  z",
]


@pytest.mark.parametrize("names", _FACTORED_NAMES)
def test_factored_names_match_what_the_flat_alternation_matches(names):
    from extractor.attributes import _name_pattern, _names_alternation

    flat = "|".join(_name_pattern(n) for n in names)
    factored = _names_alternation(names)
    tail = r"s?(?![\w-])(?:\s?[(][A-Za-z0-9\-]{2,8}[)])?"
    flat_regex = re.compile(rf"(?:{flat})" + tail, re.I)
    factored_regex = re.compile(rf"(?:{factored})" + tail, re.I)
    for text in _FACTORED_TEXTS:
        for position in range(len(text) + 1):
            a, b = flat_regex.match(text, position), factored_regex.match(text, position)
            assert (a and a.span()) == (b and b.span()), (names, text, position)
        assert [m.span() for m in flat_regex.finditer(text)] == [m.span() for m in factored_regex.finditer(text)]
    assert not names or any(flat_regex.search(text) for text in _FACTORED_TEXTS)


def test_factored_names_share_their_prefixes():
    from extractor.attributes import _NAME_SEPARATOR, _names_alternation

    assert _names_alternation(["surgery", "survival", "sur"]) == "sur(?:gery|vival|)"
    # a longer name listed first is tried first; a shorter one first, last
    assert _names_alternation(["overall survival", "overall"]) == f"overall(?:{_NAME_SEPARATOR}survival|)"
    assert _names_alternation(["ab", "abc"]) == "ab(?:|c)"
    # ``x`` comes between ``x y`` and ``x y z`` in the list: the flat form
    assert _names_alternation(["x y", "x", "x y z"]) == "|".join(
        [f"x{_NAME_SEPARATOR}y", "x", f"x{_NAME_SEPARATOR}y{_NAME_SEPARATOR}z"])


def test_factored_registry_measures_match_the_flat_alternation():
    from extractor.attributes import _name_pattern, _names_alternation
    from extractor.resources import read_data

    names = sorted({m["name"] for m in read_data("endpoint_measures.jsonl")}, key=lambda n: (-len(n), n))
    factored = _names_alternation(names)
    assert len(factored) < len("|".join(_name_pattern(n) for n in names))
    flat_regex = re.compile(rf"(?:{'|'.join(_name_pattern(n) for n in names)})s?(?![\w-])", re.I)
    factored_regex = re.compile(rf"(?:{factored})s?(?![\w-])", re.I)
    text = " ".join(names[::7]) + " | " + "-\r\n  ".join(names[3::11]).upper() + " overall survivals"
    for position in range(len(text) + 1):
        a, b = flat_regex.match(text, position), factored_regex.match(text, position)
        assert (a and a.span()) == (b and b.span()), position


def test_amount_before_a_prior_to_window_without_for_is_no_duration(nlp):
    # NCT00002345, NCT00004861 (registry records): a wash-out before entry, not how long a drug is given
    text = "Prior zidovudine allowed provided therapy was discontinued at least 3 months prior to study entry."
    assert ents(nlp, text, ("DURATION",)) == []
    text = "Prior tamoxifen may be allowed, but must have been completed at least 1 month prior to randomization"
    assert ents(nlp, text, ("DURATION",)) == []
    # ``for`` (or the drug's dose right before) keeps the length; ``prior therapy`` is no window
    text = "Stable dose of zidovudine required for at least 21 days prior to study entry."
    assert ents(nlp, text, ("DURATION",)) == [("at least 21 days", "DURATION")]
    text = "At least 3 months prior therapy with zidovudine (ZDV)."
    assert ents(nlp, text, ("DURATION",)) == [("At least 3 months", "DURATION")]


def test_wash_out_and_cycle_restatement_are_no_duration(nlp):
    # NCT00382161, NCT00121836 (registry records)
    text = ("Patients receive atorvastatin 80 mg or placebo for 8 weeks. After a wash-out of 4 weeks, "
            "treatment will be switched.")
    assert ents(nlp, text, ("DURATION",)) == [("8 weeks", "DURATION")]
    text = "Paclitaxel 90 mg/m2 intravenous, Days 1, 8 and 15 of each 4-week cycle (28 days)."
    assert ents(nlp, text, ("DURATION",)) == []


def test_followed_for_a_measure_and_then_a_schedule_names_no_then(nlp):
    # ``... and then every 3 months``: "then" opens the follow-up timing, not a measure
    text = "Patients are followed for disease progression and then every 3 months thereafter."
    assert ents(nlp, text, ("ENDPOINT",)) == [("disease progression", "ENDPOINT")]
    text = "Patients are monitored for toxicity and thereafter every 6 months."
    assert ents(nlp, text, ("ENDPOINT",)) == [("toxicity", "ENDPOINT")]


def test_start_with_another_drug_after_any_frequency_is_its_own_schedule(nlp):
    # the singular units and the Latin abbreviations time the dose as ``daily`` or ``every 8 hours`` do
    for frequency in ("BID", "once a month", "every hour", "on day 2 of each cycle,"):
        text = f"Filgrastim 5 mcg/kg SC {frequency} beginning with the first dose of docetaxel."
        assert ("beginning with the first dose of docetaxel", "SCHEDULE") in ents(nlp, text, ("SCHEDULE",)), text
    # after a word that does not time the dose the phrase stays a sequence, not a schedule
    assert ents(nlp, "Patients receive celecoxib beginning with the first dose of docetaxel.", ("SCHEDULE",)) == []


def test_a_radiotherapy_site_is_no_route(nlp):
    # the application-site pattern follows an administration verb: a radiation's verb names no drug route
    for text in ("Radiotherapy will be administered to the tumor bed over 6 weeks after cisplatin.",
                 "Patients undergo brachytherapy given in the tumor bed and receive cisplatin IV."):
        assert ("tumor bed", "ROUTE") not in ents(nlp, text, ("ROUTE",)), text
    assert ("tumor bed", "ROUTE") in ents(nlp, "Cisplatin is given in the tumor bed.", ("ROUTE",))
    assert ("bladder", "ROUTE") in ents(nlp, "After radiotherapy, BCG is instilled into the bladder weekly.", ("ROUTE",))


def test_bounded_amount_before_its_drug_keeps_the_bound(nlp):
    # NCT00002316, NCT03510338, NCT00493480, NCT00001865 (ctgov_records.jsonl): the bound stays in the DOSE
    text = "Allowed:\n\n- Up to 1 mg/kg amphotericin B for the current episode of cryptococcal meningitis."
    assert ents(nlp, text, ("DOSE",)) == [("Up to 1 mg/kg", "DOSE")]
    text = "The N4S001 tablet contains a total of 100 mg sildenafil."
    assert ents(nlp, text, ("DOSE",)) == [("total of 100 mg", "DOSE")]
    text = "After satisfactory pulse reduction the doses are doubled weekly up to a maximum of 25 mg carvedilol daily."
    assert ents(nlp, text, ("DOSE",)) == [("maximum of 25 mg", "DOSE")]
    text = "Patients is currently taking a minimum of 15 mg of prednisone, or cyclosporine."
    assert ents(nlp, text, ("DOSE",)) == [("minimum of 15 mg", "DOSE")]


def test_bound_of_a_titration_or_a_threshold_stays_out(nlp):
    # NCT00664833 (ctgov_records.jsonl): a step or titration ``up to`` gives a direction, not a bound
    text = "Subjects may maintain the previous dosage regimen or will step up to 20 mg of vardenafil."
    assert "up to 20 mg" not in [t for t, _ in ents(nlp, text, ("DOSE",))]
    text = "All subjects started at 100 mg and titrated up to 150 mg of udenafil."
    assert ents(nlp, text, ("DOSE",)) == [("100 mg", "DOSE"), ("150 mg", "DOSE")]
    # no drug after the amount: a threshold, not tagged
    text = "Hemoglobin at least 9 g/dL. Blood loss of up to 500 mL during surgery."
    assert ents(nlp, text, ("DOSE",)) == []


def test_bracketed_auc_and_truncated_body_surface_unit(nlp):
    # NCT00494026 (ctgov_records.jsonl): ``[AUC]`` as well as ``(AUC)``
    text = "paclitaxel 200 mg/m2 IV and carboplatin (target area under the curve [AUC] 5 IV infusion) every 21 days"
    assert ents(nlp, text, ("DOSE",)) == [("200 mg/m2", "DOSE"), ("area under the curve [AUC] 5", "DOSE")]
    # NCT00021255 (nli4ct_ctrs.jsonl): the superscript 2 of mg/m2 lost in the report text
    text = "Arm/Group Description: Doxorubicin 60 mg/m  IV bolus injection in combination with cyclophosphamide 600 mg/m  IV bolus"
    assert ents(nlp, text, ("DOSE", "ROUTE")) == [
        ("60 mg/m", "DOSE"), ("IV", "ROUTE"), ("600 mg/m", "DOSE"), ("IV", "ROUTE"),
    ]
    # NCT00001676 (ctgov_records.jsonl): the superscript written ``m(2)``
    text = "combination of oral cyclophosphamide (500 mg/m(2)) on day 1 followed by fludarabine (30 mg/m(2)) subcutaneously"
    assert ents(nlp, text, ("DOSE",)) == [("500 mg/m(2)", "DOSE"), ("30 mg/m(2)", "DOSE")]


def test_range_with_a_unit_on_both_ends_is_one_dose(nlp):
    # NCT00000374, NCT00002984, NCT00491387 (ctgov_records.jsonl): a range is one DOSE, however its unit is written
    text = "Risperidone: The dosage for Risperidone will be 1 mg to 6mg per day."
    assert ents(nlp, text, ("DOSE", "SCHEDULE")) == [("1 mg to 6mg", "DOSE"), ("per day", "SCHEDULE")]
    text = "paclitaxel: 30 mg/m2 - 45 mg/m2 given weekly."
    assert ents(nlp, text, ("DOSE", "SCHEDULE")) == [("30 mg/m2 - 45 mg/m2", "DOSE"), ("weekly", "SCHEDULE")]
    # a change ``from X to Y`` names two doses
    text = "Sildenafil with dose escalation as needed from 50 mg to 100 mg/day prn for 12 weeks."
    assert "50 mg to 100 mg" not in [t for t, _ in ents(nlp, text, ("DOSE",))]


def test_infusion_rate_per_body_measure_is_a_dose(nlp):
    # NCT00006462, NCT00003966 (ctgov_records.jsonl)
    text = "Gemcitabine hydrochloride will be given as 10 mg/m2/min x 360 minutes weekly for three weeks."
    assert ents(nlp, text, ("DOSE",)) == [("10 mg/m2/min", "DOSE")]
    text = "Patients requiring renal dose dopamine alone (2-5 mcg/kg/min) are eligible"
    assert ents(nlp, text, ("DOSE",)) == [("2-5 mcg/kg/min", "DOSE")]
    # a clearance per minute is a lab value
    assert ents(nlp, "Creatinine clearance at least 60 mL/min", ("DOSE",)) == []


def test_a_body_site_something_is_applied_to_needs_a_drug_in_its_sentence(nlp):
    # the code review's corpus sample: electrodes, not a drug, are applied to the muscle
    assert ents(nlp, "Electrodes are applied to the muscle for 20 minutes.", ("ROUTE",)) == []
    # NCT02496845 (registry record): the product named in the sentence is applied on the penis
    text = "VL#FIA3-30 is a preparation intended for topical use, applied on the penis, for the treatment of ED."
    assert ents(nlp, text, ("ROUTE",)) == [("topical", "ROUTE"), ("penis", "ROUTE")]
