"""Silver evaluation on registry records: recall of the pipeline against the
structured fields of ClinicalTrials.gov records.

Each record is rendered with :func:`extractor.records.render_ctgov` (as the
``annotate`` command does) and run through the pipeline.  The targets are:

- ``drugs``: the names of interventions of type Drug or Biological and their
  ``other_names``, each name once per record (case-insensitive), found by a
  predicted DRUG or DRUG_CLASS entity;
- ``endpoints``: outcome measures (primary, secondary, other), found by a
  predicted ENDPOINT;
- ``timeframes``: outcome time frames, found by a predicted TIMEFRAME.

An outcome field's closing full stop is not part of its target (the guide's
spans leave end punctuation out).

A target is *eligible* when it occurs verbatim (case-insensitive, not glued to
a letter or digit on either side) in the rendered text.  It is found
*leniently* when a predicted entity of the right labels overlaps one of its
occurrences, *strictly* when one has exactly the offsets of an occurrence.
Only recall is measured: the records do not list everything a text mentions.

Besides the per-name figures, ``mentions`` counts every occurrence as a
target, split by the record field it is in (the ``interventions`` line always
holds the intervention names, so mentions in running text say more).

Shape of :func:`evaluate_silver`'s result::

    {"source": str, "limit": int | None,
     "records": {"read", "scored", "failed"},
     "failures": [{"source": "FILE:LINE", "message"}],
     "drugs" | "endpoints" | "timeframes": {
         "names", "eligible", "strict": {"found", "recall"}, "lenient": {...},
         "by_format": {FORMAT: {"records", "names", "eligible", "strict", "lenient"}},
         "by_type": {TYPE: {...}},            # drugs only: intervention type
         "mentions": {"n", "strict", "lenient", "by_field": {FIELD: {"n", "strict", "lenient"}}}},
     "misses": [{"record", "source", "kind", "name", "type", "format", "context"}]}

``misses`` lists eligible targets not found even leniently, with the text
around their first occurrence.

``normalization`` (:func:`normalization_record`) checks names rather than
recall: the names of one Drug or Biological intervention (``name`` and
``other_names``) are one synonym set, so every predicted DRUG mention whose
text equals one of them (case-insensitive) should get the same normalized
name.  Its block::

    {"sets", "agree", "agreement", "multi_form": {"sets", "agree", "agreement"},
     "split_kinds": {KIND: count}, "mentions", "unknown", "not_inn": {REASON: count},
     "splits": [{"record", "kind", "names": {TEXT: NORMALIZED}}],
     "unknowns" | "not_inns": [{"record", "text", "normalized"[, "reason"]}]}

``sets`` counts the sets with at least one such mention; ``multi_form`` the
sets mentioned under two or more of their names (the ones a lexicon can get
wrong); a set *agrees* when all its mentions share one name.  A mention
normalized to ``unknown`` is counted in ``unknown``; one whose name is not
INN-like in ``not_inn`` by reason: ``uppercase``, ``salt`` (a salt or
formulation word kept in the name), ``brand`` (the name is itself a lexicon
synonym of another name).  A set that does not agree is classed by
:func:`split_kind`: ``regimen``, ``code``, ``several_drugs`` or ``other``.
"""

from __future__ import annotations

import json
import re
from itertools import islice
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping

from .records import RenderedRecord, render_ctgov
from .scoring import context

DRUG_TYPES = ("drug", "biological")
KINDS = {
    "drugs": ("DRUG", "DRUG_CLASS"),
    "endpoints": ("ENDPOINT",),
    "timeframes": ("TIMEFRAME",),
}
OUTCOME_FIELDS = ("primary_outcomes", "secondary_outcomes", "other_outcomes")


class RecordError(ValueError):
    """A line of a records file that cannot be evaluated; the message starts with ``FILE:LINE``."""


def read_records(path: str | Path, limit: int | None = None) -> Iterator[tuple[str, Any]]:
    """``(source, record or RecordError)`` for the first ``limit`` non-blank
    lines of a JSONL file; ``source`` is ``FILE:LINE``."""
    path = Path(path)
    try:
        handle = open(path, "rb")
    except OSError as err:
        yield str(path), RecordError(f"{path}: cannot read ({err.strerror})")
        return
    with handle:
        lines = ((n, raw) for n, raw in enumerate(handle, start=1) if raw.strip())
        for number, raw in islice(lines, limit):
            source = f"{path}:{number}"
            try:
                record = json.loads(raw.decode("utf-8"))
            except UnicodeDecodeError as err:
                yield source, RecordError(f"{source}: not UTF-8 (byte {err.start})")
                continue
            except json.JSONDecodeError as err:
                yield source, RecordError(f"{source}: malformed JSON ({err.msg} at column {err.colno})")
                continue
            yield source, record


def _check_record(record: Any, source: str) -> None:
    if not isinstance(record, dict):
        raise RecordError(f"{source}: record is not a JSON object")
    if not isinstance(record.get("nct_id"), str) or not record["nct_id"]:
        raise RecordError(f"{source}: record has no nct_id")
    for key in ("interventions",) + OUTCOME_FIELDS:
        value = record.get(key)
        if value is None:
            continue
        if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
            raise RecordError(f"{source}: {key} is not a list of objects")
    for item in record.get("interventions") or []:
        names = item.get("other_names")
        if names is not None and (not isinstance(names, list) or not all(isinstance(n, str) for n in names)):
            raise RecordError(f"{source}: other_names of intervention {item.get('name')!r} is not a list of strings")


def occurrences(text: str, name: str) -> list[tuple[int, int]]:
    """Offsets of ``name`` in ``text``: case-insensitive, not inside a longer word or number."""
    pattern = re.compile(r"(?<![^\W_])" + re.escape(name) + r"(?![^\W_])", re.IGNORECASE)
    return [(m.start(), m.end()) for m in pattern.finditer(text)]


def record_targets(record: Mapping[str, Any]) -> list[dict]:
    """The silver targets of a record: ``{"kind", "name", "type"}``, each name
    once per kind (case-insensitive), in record order."""
    targets: list[dict] = []
    seen: set[tuple[str, str]] = set()

    def add(kind: str, name: Any, type_: str) -> None:
        if not isinstance(name, str) or not name.strip():
            return
        name = name.strip()
        if kind != "drugs":
            # a span never takes the closing full stop of a registry field
            # (the guide's punctuation rule; the train gold leaves it out)
            name = name[:-1].rstrip() if name.endswith(".") else name
            if not name:
                return
        if (kind, name.lower()) in seen:
            return
        seen.add((kind, name.lower()))
        targets.append({"kind": kind, "name": name, "type": type_})

    for item in record.get("interventions") or []:
        type_ = str(item.get("type") or "").lower()
        if type_ in DRUG_TYPES:
            for name in [item.get("name")] + list(item.get("other_names") or []):
                add("drugs", name, type_)
    for field in OUTCOME_FIELDS:
        for outcome in record.get(field) or []:
            add("endpoints", outcome.get("measure"), field)
            add("timeframes", outcome.get("time_frame"), field)
    return targets


def score_record(rendered: RenderedRecord, entities: Iterable[tuple[str, int, int]], targets: list[dict]) -> list[dict]:
    """Each target with ``occurrences`` ``[{start, end, field, strict, lenient}]``
    and the per-name ``strict``/``lenient`` verdicts; ``entities`` are
    ``(label, start, end)`` of the predictions."""
    entities = list(entities)
    result = []
    for target in targets:
        labels = KINDS[target["kind"]]
        spans = [(s, e) for label, s, e in entities if label in labels]
        found = []
        for start, end in occurrences(rendered.text, target["name"]):
            found.append(
                {
                    "start": start,
                    "end": end,
                    "field": rendered.field_at(start) or "?",
                    "strict": (start, end) in spans,
                    "lenient": any(s < end and start < e for s, e in spans),
                }
            )
        result.append(
            {
                **target,
                "occurrences": found,
                "strict": any(o["strict"] for o in found),
                "lenient": any(o["lenient"] for o in found),
            }
        )
    return result


class _Tally:
    def __init__(self) -> None:
        self.names = self.eligible = self.strict = self.lenient = 0
        self.records: set[str] = set()

    def add(self, target: dict, record_id: str) -> None:
        self.records.add(record_id)
        self.names += 1
        if target["occurrences"]:
            self.eligible += 1
            self.strict += target["strict"]
            self.lenient += target["lenient"]

    def result(self, with_records: bool = False) -> dict:
        out = {"records": len(self.records)} if with_records else {}
        out.update(
            names=self.names,
            eligible=self.eligible,
            strict={"found": self.strict, "recall": self.strict / self.eligible if self.eligible else 0.0},
            lenient={"found": self.lenient, "recall": self.lenient / self.eligible if self.eligible else 0.0},
        )
        return out


class _MentionTally:
    def __init__(self) -> None:
        self.counts: dict[str, list[int]] = {}

    def add(self, occurrence: dict) -> None:
        row = self.counts.setdefault(occurrence["field"], [0, 0, 0])
        row[0] += 1
        row[1] += occurrence["strict"]
        row[2] += occurrence["lenient"]

    @staticmethod
    def _block(n: int, strict: int, lenient: int) -> dict:
        return {
            "n": n,
            "strict": {"found": strict, "recall": strict / n if n else 0.0},
            "lenient": {"found": lenient, "recall": lenient / n if n else 0.0},
        }

    def result(self) -> dict:
        total = [sum(row[i] for row in self.counts.values()) for i in range(3)]
        return {**self._block(*total), "by_field": {f: self._block(*row) for f, row in sorted(self.counts.items())}}


def synonym_sets(record: Mapping[str, Any]) -> list[dict]:
    """The Drug/Biological interventions of a record as ``{"type", "names"}``:
    ``name`` then ``other_names``, stripped, each once (case-insensitive)."""
    sets = []
    for item in record.get("interventions") or []:
        type_ = str(item.get("type") or "").lower()
        if type_ not in DRUG_TYPES:
            continue
        names: list[str] = []
        for name in [item.get("name")] + list(item.get("other_names") or []):
            if isinstance(name, str) and name.strip() and name.strip().lower() not in {n.lower() for n in names}:
                names.append(name.strip())
        if names:
            sets.append({"type": type_, "names": names})
    return sets


def not_inn_reason(name: str | None, rules: Mapping[str, Any] | None = None,
                   lexicon: Mapping[str, str] | None = None) -> str | None:
    """Why a normalized name is not a lowercase INN-like name, or ``None``:
    ``uppercase``; ``salt`` (a word of ``rules["salts"]`` after the first
    word, or glued by a hyphen, unless the first word is one of
    ``rules["keep_first"]``: ``magnesium sulfate`` is the drug); ``brand``
    (the name is a ``lexicon`` synonym of another name).  Each ``+`` part of
    a regimen is checked."""
    if not name or name == "unknown":
        return None
    if name != name.lower():
        return "uppercase"
    salts = frozenset((rules or {}).get("salts", ()))
    keep_first = frozenset((rules or {}).get("keep_first", ()))
    for part in name.split("+"):
        words = re.split(r"[\s\-]+", part)
        if words[0] not in keep_first and any(word in salts for word in words[1:]):
            return "salt"
        if lexicon is not None and lexicon.get(part, part) != part:
            return "brand"
    return None


def split_kind(names: Mapping[str, str], canonical: frozenset = frozenset()) -> str:
    """What a synonym set whose mentions got several names (``{text:
    normalized}``) shows: ``regimen`` (an acronym and its own components:
    consistent), ``code`` (a development code named by itself while another
    name of the set is not a code: a lexicon gap), ``several_drugs`` (each
    name is a distinct canonical name of ``canonical``: the record lists
    different drugs in one intervention), else ``other``."""
    values = set(names.values())
    regimens = [v for v in values if "+" in v]
    if len(regimens) == 1 and all(v in regimens[0].split("+") for v in values - set(regimens)):
        return "regimen"
    codes = {v for v in values if any(c.isdigit() for c in v)}
    if codes and values - codes and any(text == value for text, value in names.items() if value in codes):
        return "code"
    if canonical and all(v in canonical for v in values) and not codes:
        return "several_drugs"
    return "other"


def normalization_record(text: str, drugs: Iterable[tuple[int, int, str | None]], sets: list[dict]) -> list[dict]:
    """For each synonym set of :func:`synonym_sets`, the predicted DRUG
    mentions (``(start, end, normalized)``) whose text is one of its names:
    ``{"type", "names", "mentions": [{"start", "end", "text", "normalized"}],
    "normalized": sorted distinct names, "forms": distinct texts (lowercase),
    "agree"}``; sets with no such mention are left out."""
    by_text: dict[str, list[tuple[int, int, str | None]]] = {}
    for start, end, normalized in drugs:
        by_text.setdefault(" ".join(text[start:end].lower().split()), []).append((start, end, normalized))
    result = []
    for group in sets:
        mentions = []
        for name in group["names"]:
            for start, end, normalized in by_text.get(" ".join(name.lower().split()), ()):
                mentions.append({"start": start, "end": end, "text": text[start:end], "normalized": normalized})
        if not mentions:
            continue
        mentions.sort(key=lambda m: m["start"])
        names = sorted({str(m["normalized"]) for m in mentions})
        result.append({
            "type": group["type"],
            "names": group["names"],
            "mentions": mentions,
            "normalized": names,
            "forms": sorted({" ".join(m["text"].lower().split()) for m in mentions}),
            "agree": len(names) == 1,
        })
    return result


class _NormTally:
    def __init__(self, rules: Mapping[str, Any] | None = None, lexicon: Mapping[str, str] | None = None) -> None:
        self.rules = rules
        self.lexicon = lexicon
        self.canonical = frozenset((lexicon or {}).values())
        self.kinds: dict[str, int] = {}
        self.sets = self.agree = self.multi = self.multi_agree = self.mentions = 0
        self.not_inn: dict[str, int] = {}
        self.splits: list[dict] = []
        self.unknowns: list[dict] = []
        self.not_inns: list[dict] = []

    def add(self, record_id: str, checked: list[dict]) -> None:
        for group in checked:
            self.sets += 1
            self.agree += group["agree"]
            if len(group["forms"]) > 1:
                self.multi += 1
                self.multi_agree += group["agree"]
            if not group["agree"]:
                names: dict[str, str] = {}
                for m in group["mentions"]:
                    names.setdefault(" ".join(m["text"].lower().split()), str(m["normalized"]))
                kind = split_kind(names, self.canonical)
                self.kinds[kind] = self.kinds.get(kind, 0) + 1
                self.splits.append({"record": record_id, "kind": kind, "names": names})
            for m in group["mentions"]:
                self.mentions += 1
                if m["normalized"] in (None, "unknown"):
                    self.unknowns.append({"record": record_id, "text": m["text"], "normalized": m["normalized"]})
                    continue
                reason = not_inn_reason(m["normalized"], self.rules, self.lexicon)
                if reason:
                    self.not_inn[reason] = self.not_inn.get(reason, 0) + 1
                    self.not_inns.append({"record": record_id, "text": m["text"], "normalized": m["normalized"],
                                          "reason": reason})

    def result(self) -> dict:
        return {
            "sets": self.sets,
            "agree": self.agree,
            "agreement": self.agree / self.sets if self.sets else 0.0,
            "multi_form": {"sets": self.multi, "agree": self.multi_agree,
                           "agreement": self.multi_agree / self.multi if self.multi else 0.0},
            "split_kinds": dict(sorted(self.kinds.items())),
            "mentions": self.mentions,
            "unknown": len(self.unknowns),
            "not_inn": dict(sorted(self.not_inn.items())),
            "splits": self.splits,
            "unknowns": self.unknowns,
            "not_inns": self.not_inns,
        }


class SilverAccumulator:
    """Counts of :func:`score_record` results over many records."""

    def __init__(self, rules: Mapping[str, Any] | None = None, lexicon: Mapping[str, str] | None = None) -> None:
        self.read = self.scored = 0
        self.failures: list[dict] = []
        self.normalization = _NormTally(rules, lexicon)
        self.totals = {kind: _Tally() for kind in KINDS}
        self.by_format = {kind: {} for kind in KINDS}
        self.by_type: dict[str, _Tally] = {}
        self.mentions = {kind: _MentionTally() for kind in KINDS}
        self.misses: list[dict] = []

    def fail(self, source: str, message: str) -> None:
        self.read += 1
        self.failures.append({"source": source, "message": message})

    def add(self, source: str, record_id: str, fmt: str, text: str, scored: list[dict]) -> None:
        self.read += 1
        self.scored += 1
        for target in scored:
            kind = target["kind"]
            self.totals[kind].add(target, record_id)
            self.by_format[kind].setdefault(fmt, _Tally()).add(target, record_id)
            if kind == "drugs":
                self.by_type.setdefault(target["type"], _Tally()).add(target, record_id)
            for occurrence in target["occurrences"]:
                self.mentions[kind].add(occurrence)
            if target["occurrences"] and not target["lenient"]:
                first = target["occurrences"][0]
                self.misses.append(
                    {
                        "record": record_id,
                        "source": source,
                        "kind": kind,
                        "name": target["name"],
                        "type": target["type"],
                        "format": fmt,
                        "field": first["field"],
                        "context": {**context(text, first["start"], first["end"]),
                                    "start": first["start"], "end": first["end"]},
                    }
                )

    def result(self, source: str = "", limit: int | None = None) -> dict:
        out: dict[str, Any] = {
            "source": source,
            "limit": limit,
            "records": {"read": self.read, "scored": self.scored, "failed": len(self.failures)},
            "failures": self.failures,
        }
        for kind in KINDS:
            block = self.totals[kind].result()
            block["by_format"] = {f: t.result(with_records=True) for f, t in sorted(self.by_format[kind].items())}
            if kind == "drugs":
                block["by_type"] = {t: tally.result(with_records=True) for t, tally in sorted(self.by_type.items())}
            block["mentions"] = self.mentions[kind].result()
            out[kind] = block
        out["normalization"] = self.normalization.result()
        out["misses"] = self.misses
        return out


def _prepare(source: str, record: Any) -> tuple[RenderedRecord, list[dict], str]:
    if isinstance(record, RecordError):
        raise record
    _check_record(record, source)
    try:
        rendered = render_ctgov(record)
    except (TypeError, AttributeError, ValueError) as err:
        raise RecordError(f"{source}: cannot render the record ({err})") from None
    if not rendered.text.strip():
        raise RecordError(f"{source}: record renders to an empty text")
    origin = record.get("source")
    fmt = str(origin.get("format")) if isinstance(origin, dict) and origin.get("format") else "unknown"
    return rendered, record_targets(record), fmt


def evaluate_silver(
    nlp, path: str | Path, limit: int | None = None, batch_size: int = 32, records: Iterable | None = None
) -> dict:
    """Silver recall of ``nlp`` on the records of a JSONL file (first ``limit``
    records).  A record that cannot be read or rendered is counted as failed
    with a ``FILE:LINE`` message; it never stops the others.  ``records``
    (pairs as :func:`read_records` yields) replaces reading ``path``."""
    from .extensions import get_entities, span_data

    acc = SilverAccumulator(*_name_checks(nlp))
    stream = iter(records if records is not None else read_records(path, limit))
    while True:
        batch = list(islice(stream, batch_size))
        if not batch:
            break
        record_of: dict[str, Any] = {}
        good = []
        for source, record in batch:
            try:
                rendered, targets, fmt = _prepare(source, record)
            except RecordError as err:
                acc.fail(source, str(err))
                continue
            if len(rendered.text) > nlp.max_length:
                acc.fail(source, f"{source}: text of {len(rendered.text)} characters exceeds nlp.max_length")
                continue
            good.append((source, rendered, targets, fmt))
            record_of[source] = record
        for (source, rendered, targets, fmt), doc in zip(good, nlp.pipe((g[1].text for g in good), batch_size=batch_size)):
            found = get_entities(doc)
            entities = [(e.label_, e.start_char, e.end_char) for e in found]
            acc.add(source, rendered.id, fmt, rendered.text, score_record(rendered, entities, targets))
            drugs = [(e.start_char, e.end_char, span_data(e)["normalized"]) for e in found if e.label_ == "DRUG"]
            acc.normalization.add(rendered.id, normalization_record(rendered.text, drugs, synonym_sets(record_of[source])))
    return acc.result(str(path), limit)


def _name_checks(nlp) -> tuple[dict | None, dict | None]:
    """The name-cleaning rules and the name lexicon of ``nlp``'s drug
    component (``None`` when it has none) for the not-INN-like check."""
    from .drugs import DrugRecognizer

    for _, component in getattr(nlp, "pipeline", ()):
        if isinstance(component, DrugRecognizer):
            if not getattr(component, "_ready", False):
                component.initialize()
            return getattr(component, "_name_rules", None), getattr(component, "lexicon", None)
    return None, None
