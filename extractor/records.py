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
