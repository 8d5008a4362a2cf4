"""Output formats of ``extractor annotate`` and the files they are written to.

Each format turns the output record of :func:`extractor.annotate.annotate_records`
(``{"id", "text", "entities", "relations", ...}``) into text:

- ``jsonl``: the record without its text, one JSON object per line;
- ``brat``: ``ID.txt`` + ``ID.ann`` per document (readable by :mod:`extractor.brat`
  and ``extractor evaluate --pred``);
- ``html``: one self-contained page (displaCy markup, no script or outside
  resource) with the entities of each document and its relations as arcs;
- ``csv``: one row per DRUG / DRUG_CLASS mention with its linked dose, route,
  schedule and duration.

Sinks write the files.  Atomicity:

- ``jsonl``, ``csv``, ``html`` to a file: the run writes ``OUT.partial`` in
  the same folder and renames it to ``OUT`` (``os.replace``) when the run
  ends, so ``OUT`` is always absent or a whole output of a finished run.  An
  interrupted ``jsonl`` run leaves ``OUT.partial`` for ``--resume``; ``csv``
  and ``html`` partial files are removed.
- ``--resume`` (``jsonl``): continues ``OUT.partial`` if it exists, else the
  finished ``OUT`` (renamed to ``OUT.partial`` first).  Complete lines are
  kept and their ids are skipped; a last line without its newline (cut by a
  kill) is dropped, and its document annotated again; any other line that is
  not a JSON record with an id stops the run rather than guess.  Records are
  appended one whole line at a time and flushed, so a kill loses at most the
  line being written, and the file is renamed to ``OUT`` at the end.
- ``brat``: each ``.txt`` and ``.ann`` is written to a temporary file and
  renamed; ``.ann`` last, so an existing ``.ann`` means a finished document.
  ``--resume`` skips documents whose ``.ann`` exists.
"""

from __future__ import annotations

import csv
import html
import io
import json
import os
import re
from pathlib import Path
from typing import IO, Iterator

from .brat import BratDocument, Entity, Relation, write_document
from .schema import DRUG_LABELS, ENTITY_LABELS

FORMATS = ("jsonl", "brat", "html", "csv")
RESUMABLE = ("jsonl", "brat")


class OutputError(ValueError):
    """The output cannot be written or resumed (``path[:line]: message``)."""


# --------------------------------------------------------------------------
# records -> text


def jsonl_line(record: dict) -> str:
    return json.dumps({k: v for k, v in record.items() if k != "text"}, ensure_ascii=False) + "\n"


def brat_name(doc_id: str) -> str:
    """A file name for a document id: characters other than letters, digits,
    ``.``, ``_`` and ``-`` become ``_``, and no leading dot."""
    name = re.sub(r"[^A-Za-z0-9._-]+", "_", doc_id).lstrip(".")
    return name or "_"


def record_to_brat(record: dict) -> BratDocument:
    entities = [
        Entity(e["id"], e["label"], e["start"], e["end"], e["text"],
               e.get("normalized") if e["label"] == "DRUG" else None,
               e.get("role") if e["label"] in DRUG_LABELS else None)
        for e in record["entities"]
    ]
    relations = [Relation(f"R{i + 1}", r["label"], r["arg1"], r["arg2"]) for i, r in enumerate(record["relations"])]
    return BratDocument(brat_name(record["id"]), record["text"], entities, relations)


CSV_ATTRIBUTES = {"DOSE": "dose", "ROUTE": "route", "SCHEDULE": "schedule", "DURATION": "duration"}
CSV_COLUMNS = (
    "document_id", "entity_id", "label", "text", "normalized", "role", "field", "start", "end",
    "dose", "route", "schedule", "duration",
)


def csv_rows(record: dict) -> Iterator[dict]:
    """One row per DRUG / DRUG_CLASS mention; its linked attributes joined by
    `` | `` in text order."""
    by_id = {e["id"]: e for e in record["entities"]}
    linked: dict[str, dict[str, list[dict]]] = {}
    for rel in record["relations"]:
        attribute = by_id.get(rel["arg1"])
        if attribute is not None and attribute["label"] in CSV_ATTRIBUTES:
            linked.setdefault(rel["arg2"], {}).setdefault(CSV_ATTRIBUTES[attribute["label"]], []).append(attribute)
    for ent in record["entities"]:
        if ent["label"] not in DRUG_LABELS:
            continue
        row = {
            "document_id": record["id"], "entity_id": ent["id"], "label": ent["label"],
            "text": ent["text"], "normalized": ent.get("normalized") or "", "role": ent.get("role") or "",
            "field": ent.get("field") or "", "start": ent["start"], "end": ent["end"],
        }
        attributes = linked.get(ent["id"], {})
        for column in CSV_ATTRIBUTES.values():
            values = sorted(attributes.get(column, []), key=lambda a: a["start"])
            row[column] = " | ".join(" ".join(a["text"].split()) for a in values)
        yield row


LABEL_COLORS = {
    "DRUG": "#7aecec", "DRUG_CLASS": "#aa9cfc", "DOSE": "#feca74", "ROUTE": "#ff9561",
    "SCHEDULE": "#bfe1d9", "DURATION": "#e4e7d2", "ENDPOINT": "#c887fb", "TIMEFRAME": "#9cc9cc",
}

HTML_HEAD = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{title}</title>
<style>
body {{ font-family: -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; margin: 2em; color: #222; }}
section.document {{ border-top: 1px solid #ccc; padding-top: 1em; margin-top: 2em; }}
h2 {{ font-size: 1.2em; }}
.relations {{ overflow-x: auto; }}
.legend span {{ padding: 0.2em 0.5em; margin-right: 0.4em; border-radius: 0.3em; }}
</style>
</head>
<body>
<h1>{title}</h1>
<p class="legend">{legend}</p>
"""
HTML_TAIL = "</body>\n</html>\n"


def html_head(title: str = "extractor annotations") -> str:
    legend = "".join(f'<span style="background: {c}">{label}</span>' for label, c in LABEL_COLORS.items())
    return HTML_HEAD.format(title=html.escape(title), legend=legend)


def _relation_groups(record: dict) -> list[tuple[list[dict], list[dict]]]:
    """Runs of entities (in text order) joined by relations, each with its
    relations, so every diagram stays as small as its relations allow."""
    order = {e["id"]: i for i, e in enumerate(record["entities"])}
    ranges = sorted(
        (min(order[r["arg1"]], order[r["arg2"]]), max(order[r["arg1"]], order[r["arg2"]]))
        for r in record["relations"]
    )
    merged: list[list[int]] = []
    for low, high in ranges:
        if merged and low <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], high)
        else:
            merged.append([low, high])
    groups = []
    for low, high in merged:
        ents = record["entities"][low:high + 1]
        rels = [r for r in record["relations"] if low <= order[r["arg1"]] <= high]
        groups.append((ents, rels))
    return groups


def record_to_html(record: dict) -> str:
    """One document's ``<section>``: entities highlighted in the text, then
    one arc diagram per group of related entities (arrows point to the drug
    or endpoint)."""
    from spacy import displacy

    ents = [{"start": e["start"], "end": e["end"], "label": e["label"]} for e in record["entities"]]
    markup = displacy.render(
        {"text": record["text"], "ents": ents, "title": None}, style="ent", manual=True, page=False,
        options={"colors": LABEL_COLORS, "ents": list(ENTITY_LABELS)},
    )
    parts = [f'<section class="document" id="{html.escape(brat_name(record["id"]), quote=True)}">',
             f"<h2>{html.escape(record['id'])}</h2>", markup]
    groups = _relation_groups(record)
    if groups:
        parts.append('<div class="relations">')
        for ents_group, rels in groups:
            index = {e["id"]: i for i, e in enumerate(ents_group)}
            arcs = []
            for rel in rels:
                a, b = index[rel["arg1"]], index[rel["arg2"]]
                if a == b:
                    continue
                arcs.append({"start": min(a, b), "end": max(a, b), "label": rel["label"],
                             "dir": "right" if b > a else "left"})
            words = [{"text": " ".join(e["text"].split()), "tag": e["label"]} for e in ents_group]
            parts.append(displacy.render({"words": words, "arcs": arcs}, style="dep", manual=True, page=False,
                                         options={"compact": True, "distance": 110}))
        parts.append("</div>")
    parts.append("</section>\n")
    return "\n".join(parts)


# --------------------------------------------------------------------------
# sinks


def partial_path(path: Path) -> Path:
    return path.with_name(path.name + ".partial")


def read_done_ids(path: Path) -> tuple[set[str], int, bool]:
    """Ids of the complete records of a JSONL output, the byte length of its
    complete lines, and whether a cut last line follows them."""
    ids: set[str] = set()
    end = 0
    with open(path, "rb") as handle:
        for number, raw in enumerate(handle, start=1):
            if not raw.endswith(b"\n"):
                return ids, end, True
            try:
                record = json.loads(raw.decode("utf-8"))
                doc_id = record["id"]
            except (UnicodeDecodeError, json.JSONDecodeError, TypeError, KeyError):
                raise OutputError(f"{path}:{number}: not a JSON record with an id; cannot resume safely") from None
            ids.add(str(doc_id))
            end += len(raw)
    return ids, end, False


class Sink:
    """Where records go.  ``write`` one record, then ``commit`` (success) or
    ``abort`` (interrupted)."""

    resumed = 0  # records already in the output when resuming

    def is_done(self, doc_id: str) -> bool:
        return False

    def write(self, record: dict) -> None:
        raise NotImplementedError

    def commit(self) -> None:
        pass

    def abort(self) -> None:
        pass


class StreamSink(Sink):
    """jsonl, csv or html to a handle (stdout) or, atomically, to a file."""

    def __init__(self, fmt: str, path: Path | None = None, handle: IO[str] | None = None, resume: bool = False):
        if fmt not in ("jsonl", "csv", "html"):
            raise ValueError(f"not a stream format: {fmt}")
        if resume and fmt not in RESUMABLE:
            raise OutputError(f"--resume works with {' and '.join(RESUMABLE)} output, not {fmt}")
        if resume and path is None:
            raise OutputError("--resume needs an output file (-o)")
        self.format = fmt
        self.path = path
        self.done: set[str] = set()
        self.work: Path | None = None
        if path is None:
            self.handle = handle
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            self.work = partial_path(path)
            if resume:
                self.handle = self._resume(path)
            else:
                self.handle = open(self.work, "w", encoding="utf-8", newline="")
        self._csv = None
        if fmt == "csv":
            self._csv = csv.DictWriter(self.handle, fieldnames=CSV_COLUMNS)
            self._csv.writeheader()
        elif fmt == "html":
            self.handle.write(html_head())

    def _resume(self, path: Path) -> IO[str]:
        if not self.work.exists() and path.exists():
            os.replace(path, self.work)
        if self.work.exists():
            self.done, end, _cut = read_done_ids(self.work)
            os.truncate(self.work, end)
            self.resumed = len(self.done)
        return open(self.work, "a", encoding="utf-8", newline="")

    def is_done(self, doc_id: str) -> bool:
        return doc_id in self.done

    def write(self, record: dict) -> None:
        if self.format == "jsonl":
            self.handle.write(jsonl_line(record))
        elif self.format == "csv":
            self._csv.writerows(csv_rows(record))
        else:
            self.handle.write(record_to_html(record))
        self.handle.flush()

    def commit(self) -> None:
        if self.format == "html":
            self.handle.write(HTML_TAIL)
        self.handle.flush()
        if self.work is not None:
            os.fsync(self.handle.fileno())
            self.handle.close()
            os.replace(self.work, self.path)

    def abort(self) -> None:
        if self.work is None:
            return
        self.handle.close()
        if self.format not in RESUMABLE:
            self.work.unlink(missing_ok=True)


class BratSink(Sink):
    """``ID.txt`` + ``ID.ann`` per document in a folder."""

    def __init__(self, folder: Path, resume: bool = False):
        if folder.exists() and not folder.is_dir():
            raise OutputError(f"{folder}: brat output needs a folder, and this is a file")
        folder.mkdir(parents=True, exist_ok=True)
        self.folder = folder
        self.resume = resume
        self.names: dict[str, str] = {}
        if resume:
            self.resumed = sum(1 for _ in folder.glob("*.ann"))

    def is_done(self, doc_id: str) -> bool:
        return self.resume and (self.folder / f"{brat_name(doc_id)}.ann").exists()

    def write(self, record: dict) -> None:
        name = brat_name(record["id"])
        other = self.names.get(name)
        if other is not None and other != record["id"]:
            raise OutputError(f"documents {other!r} and {record['id']!r} would both be written as {name}.ann")
        self.names[name] = record["id"]
        write_document(record_to_brat(record), self.folder)


def open_sink(fmt: str, output: Path | None, resume: bool = False, stdout: IO[str] | None = None) -> Sink:
    if fmt not in FORMATS:
        raise OutputError(f"unknown format {fmt!r} (allowed: {', '.join(FORMATS)})")
    if fmt == "brat":
        if output is None:
            raise OutputError("--format brat needs -o FOLDER")
        return BratSink(output, resume)
    return StreamSink(fmt, output, handle=stdout, resume=resume)


def render_text(fmt: str, records) -> str:
    """All records in one string (jsonl, csv or html), e.g. for a notebook."""
    buffer = io.StringIO()
    sink = StreamSink(fmt, handle=buffer)
    for record in records:
        sink.write(record)
    sink.commit()
    return buffer.getvalue()
