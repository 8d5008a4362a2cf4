"""Render registry records to plain text, one field per line, as in the seeds.

The rendering is the contract between registry records and everything
downstream: gold documents in ``annotations/`` were made with it, and the CLI
uses it for records given as JSON.  Each rendered document also carries the
character ranges of its fields, so an entity can report which record field it
came from.

Layout (a field that is missing or empty is skipped, never left as a blank
line):

1. ``title``
2. ``brief_summary``
3. ``conditions`` joined by ``|``
4. ``interventions`` as ``TYPE: name`` joined by ``|``
5. ``primary_outcomes`` as ``measure, description, time frame`` joined by ``|``
6. ``secondary_outcomes`` (same)
7. ``other_outcomes`` (same)
8. ``detailed_description``

With ``full=True`` three more fields follow: arm groups (one line each,
``label: description``), intervention descriptions (one line each,
``name: description``) and ``eligibility``.  Field text is kept exactly as the
source gave it (hard line wraps, markdown escapes).

Registry records in the shapes users download, a ClinicalTrials.gov API v2
study (``protocolSection``) and a legacy AllPublicXML ``<clinical_study>``, are
first mapped onto the corpus layout (:func:`ctgov_v2_to_record`,
:func:`ctgov_xml_to_record`), so all three render the same text with the same
fields.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping


@dataclass(frozen=True)
class FieldSpan:
    name: str
    start: int
    end: int


@dataclass
class RenderedRecord:
    id: str
    text: str
    fields: list[FieldSpan] = field(default_factory=list)

    def field_at(self, offset: int) -> str | None:
        """Name of the record field that holds character ``offset``."""
        for span in self.fields:
            if span.start <= offset < span.end:
                return span.name
        return None


def _outcome_line(outcomes: Iterable[Mapping[str, Any]]) -> str:
    items = []
    for outcome in outcomes:
        parts = [outcome.get(key) for key in ("measure", "description", "time_frame")]
        items.append(", ".join(p for p in parts if p))
    return "|".join(item for item in items if item)


def _join(parts: list[tuple[str, str]], record_id: str) -> RenderedRecord:
    text_parts: list[str] = []
    fields: list[FieldSpan] = []
    offset = 0
    for name, value in parts:
        if not value or not value.strip():
            continue
        if text_parts:
            text_parts.append("\n")
            offset += 1
        fields.append(FieldSpan(name, offset, offset + len(value)))
        text_parts.append(value)
        offset += len(value)
    return RenderedRecord(record_id, "".join(text_parts), fields)


def render_ctgov(record: Mapping[str, Any], full: bool = False) -> RenderedRecord:
    """Render a record in the corpus JSONL layout (``../shared/corpus`` style)."""
    interventions = record.get("interventions") or []
    parts: list[tuple[str, str]] = [
        ("title", record.get("title") or ""),
        ("brief_summary", record.get("brief_summary") or ""),
        ("conditions", "|".join(record.get("conditions") or [])),
        (
            "interventions",
            "|".join(
                f"{(i.get('type') or 'OTHER').upper()}: {i.get('name') or ''}"
                for i in interventions
            ),
        ),
        ("primary_outcomes", _outcome_line(record.get("primary_outcomes") or [])),
        ("secondary_outcomes", _outcome_line(record.get("secondary_outcomes") or [])),
        ("other_outcomes", _outcome_line(record.get("other_outcomes") or [])),
        ("detailed_description", record.get("detailed_description") or ""),
    ]
    if full:
        for arm in record.get("arm_groups") or []:
            if arm.get("description"):
                parts.append(("arm_groups", f"{arm.get('label') or ''}: {arm['description']}"))
        for intervention in interventions:
            if intervention.get("description"):
                parts.append(
                    (
                        "intervention_descriptions",
                        f"{intervention.get('name') or ''}: {intervention['description']}",
                    )
                )
        parts.append(("eligibility", record.get("eligibility") or ""))
    return _join(parts, str(record.get("nct_id") or record.get("id") or ""))


NLI4CT_SECTIONS = ("Intervention", "Eligibility", "Results", "Adverse Events")


def render_nli4ct(
    record: Mapping[str, Any], sections: Iterable[str] = ("Intervention", "Results")
) -> RenderedRecord:
    """Render an NLI4CT trial report: each chosen section's lines, one per line."""
    ctr = record.get("ctr") or {}
    parts = [(name.lower().replace(" ", "_"), "\n".join(ctr.get(name) or [])) for name in sections]
    return _join(parts, str(record.get("nct_id") or ctr.get("Clinical Trial ID") or ""))


# ---------------------------------------------------------------------------
# Registry records as users download them.  Both shapes are mapped onto the
# corpus JSONL layout above, so that :func:`render_ctgov` renders a study the
# same way whichever of the three shapes it came in.


def _get(mapping: Any, *path: str) -> Any:
    for key in path:
        if not isinstance(mapping, Mapping):
            return None
        mapping = mapping.get(key)
    return mapping


def _strings(value: Any) -> list[str]:
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def _dicts(value: Any) -> list[Mapping[str, Any]]:
    return [v for v in value if isinstance(v, Mapping)] if isinstance(value, list) else []


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def is_ctgov_v2_study(record: Any) -> bool:
    """True for a ClinicalTrials.gov API v2 study object."""
    return isinstance(record, Mapping) and isinstance(record.get("protocolSection"), Mapping)


def ctgov_v2_to_record(study: Mapping[str, Any]) -> dict:
    """Map an API v2 study (``protocolSection`` ...) onto the corpus layout."""
    protocol = study.get("protocolSection") or {}
    ident = _get(protocol, "identificationModule") or {}
    description = _get(protocol, "descriptionModule") or {}
    arms = _get(protocol, "armsInterventionsModule") or {}
    outcomes = _get(protocol, "outcomesModule") or {}

    def outcome_list(key: str) -> list[dict]:
        return [
            {"measure": _text(o.get("measure")), "description": _text(o.get("description")),
             "time_frame": _text(o.get("timeFrame"))}
            for o in _dicts(outcomes.get(key))
        ]

    return {
        "nct_id": _text(ident.get("nctId")),
        "title": _text(ident.get("briefTitle")),
        "official_title": _text(ident.get("officialTitle")),
        "brief_summary": _text(description.get("briefSummary")),
        "detailed_description": _text(description.get("detailedDescription")),
        "conditions": _strings(_get(protocol, "conditionsModule", "conditions")),
        "keywords": _strings(_get(protocol, "conditionsModule", "keywords")),
        "phase": _strings(_get(protocol, "designModule", "phases")),
        "study_type": _text(_get(protocol, "designModule", "studyType")),
        "interventions": [
            {"type": _text(i.get("type")), "name": _text(i.get("name")),
             "description": _text(i.get("description")), "other_names": _strings(i.get("otherNames")),
             "arm_group_labels": _strings(i.get("armGroupLabels"))}
            for i in _dicts(arms.get("interventions"))
        ],
        "arm_groups": [
            {"label": _text(a.get("label")), "type": _text(a.get("type")), "description": _text(a.get("description"))}
            for a in _dicts(arms.get("armGroups"))
        ],
        "primary_outcomes": outcome_list("primaryOutcomes"),
        "secondary_outcomes": outcome_list("secondaryOutcomes"),
        "other_outcomes": outcome_list("otherOutcomes"),
        "eligibility": _text(_get(protocol, "eligibilityModule", "eligibilityCriteria")),
    }


def ctgov_xml_to_record(study) -> dict:
    """Map a legacy AllPublicXML ``<clinical_study>`` element (``xml.etree``)
    onto the corpus layout.  Text blocks keep their whitespace as parsed."""

    def text(element, path: str) -> str | None:
        found = element.find(path)
        return found.text if found is not None and found.text is not None else None

    def texts(element, path: str) -> list[str]:
        return [e.text for e in element.findall(path) if e.text is not None]

    def outcome_list(tag: str) -> list[dict]:
        return [
            {"measure": text(o, "measure"), "description": text(o, "description"), "time_frame": text(o, "time_frame")}
            for o in study.findall(tag)
        ]

    return {
        "nct_id": text(study, "id_info/nct_id"),
        "title": text(study, "brief_title"),
        "official_title": text(study, "official_title"),
        "brief_summary": text(study, "brief_summary/textblock"),
        "detailed_description": text(study, "detailed_description/textblock"),
        "conditions": texts(study, "condition"),
        "keywords": texts(study, "keyword"),
        "phase": text(study, "phase"),
        "study_type": text(study, "study_type"),
        "interventions": [
            {"type": text(i, "intervention_type"), "name": text(i, "intervention_name"),
             "description": text(i, "description"), "other_names": texts(i, "other_name"),
             "arm_group_labels": texts(i, "arm_group_label")}
            for i in study.findall("intervention")
        ],
        "arm_groups": [
            {"label": text(a, "arm_group_label"), "type": text(a, "arm_group_type"), "description": text(a, "description")}
            for a in study.findall("arm_group")
        ],
        "primary_outcomes": outcome_list("primary_outcome"),
        "secondary_outcomes": outcome_list("secondary_outcome"),
        "other_outcomes": outcome_list("other_outcome"),
        "eligibility": text(study, "eligibility/criteria/textblock"),
    }
