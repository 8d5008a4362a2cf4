"""Reading inputs for annotation: text files, folders, JSON and JSONL records,
ClinicalTrials.gov API v2 study JSON and legacy AllPublicXML files.

Everything is a generator: a JSONL file of any size is read one line at a
time.  Each input yields :class:`InputDocument` items or :class:`InputError`
items (naming the file and line or record); one bad file, line or record never
stops the others.

Accepted inputs:

- ``*.txt`` (or any other file named on the command line): one document, id =
  file name without suffix;
- a folder: its ``.txt``, ``.jsonl``, ``.json`` and ``.xml`` files, recursively,
  in sorted order (hidden files and folders are skipped);
- ``*.jsonl``: one JSON value per line (see below); ``-`` reads JSONL from
  standard input;
- ``*.json``: one JSON value for the whole file (read whole, so use JSONL for
  large batches);
- ``*.xml``: a legacy ClinicalTrials.gov ``<clinical_study>`` (or a file
  holding several).  DOCTYPE and ENTITY declarations are refused, so no
  entity expansion can happen.

A JSON value is ``{"id", "text"}``, a corpus registry record (``nct_id``,
``interventions`` ...), an NLI4CT report (``ctr``), an API v2 study
(``protocolSection``), a list of these, or an API page ``{"studies": [...]}``.
Registry records are rendered with :mod:`extractor.records`, so the same study
gives the same text in all three registry shapes.
"""

from __future__ import annotations

import json
import os
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Iterator
from xml.parsers import expat

from .records import (
    RenderedRecord,
    ctgov_v2_to_record,
    ctgov_xml_to_record,
    is_ctgov_v2_study,
    render_ctgov,
    render_nli4ct,
)

FOLDER_SUFFIXES = (".txt", ".jsonl", ".json", ".xml")


@dataclass
class InputDocument:
    id: str
    text: str
    source: str
    fields: RenderedRecord | None = None


@dataclass
class InputError:
    source: str
    message: str

    def __str__(self) -> str:
        return f"{self.source}: {self.message}"


def _rendered(rendered: RenderedRecord, source: str) -> InputDocument | InputError:
    if not rendered.text.strip():
        return InputError(source, "record has no text")
    return InputDocument(rendered.id or source, rendered.text, source, rendered)


def record_to_document(record: Any, source: str, full: bool = False) -> InputDocument | InputError:
    """One JSON record as a document.

    ``{"id", "text"}`` records are taken as they are; registry records (corpus
    layout, API v2 study, NLI4CT report) are rendered to text one field per
    line (``full`` adds arm groups, intervention descriptions and eligibility
    to CT.gov records).
    """
    if not isinstance(record, dict):
        return InputError(source, "record is not a JSON object")
    if "text" in record:
        text = record["text"]
        if not isinstance(text, str):
            return InputError(source, "'text' is not a string")
        if not text.strip():
            return InputError(source, "record has no text ('text' is empty)")
        doc_id = record.get("id")
        return InputDocument(str(doc_id) if doc_id not in (None, "") else source, text, source)
    if is_ctgov_v2_study(record):
        return _rendered(render_ctgov(ctgov_v2_to_record(record), full=full), source)
    if "ctr" in record:
        return _rendered(render_nli4ct(record), source)
    if "nct_id" in record or "interventions" in record:
        return _rendered(render_ctgov(record, full=full), source)
    return InputError(source, "record has no 'text' field and is not a registry record")


def json_documents(data: Any, source: str, full: bool = False) -> Iterator[InputDocument | InputError]:
    """The documents of one parsed JSON value: a record, a list of records or
    an API v2 page ``{"studies": [...]}``; list items are named ``source[i]``."""
    if isinstance(data, dict) and isinstance(data.get("studies"), list) and "protocolSection" not in data:
        for index, item in enumerate(data["studies"]):
            yield record_to_document(item, f"{source} studies[{index}]", full)
    elif isinstance(data, list):
        if not data:
            yield InputError(source, "empty list, no records")
        for index, item in enumerate(data):
            yield record_to_document(item, f"{source}[{index}]", full)
    else:
        yield record_to_document(data, source, full)


def _read_bytes(path: Path) -> bytes | InputError:
    try:
        data = path.read_bytes()
    except OSError as err:
        return InputError(str(path), f"cannot read ({err.strerror})")
    if not data.strip():
        return InputError(str(path), "empty file")
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return InputError(str(path), "binary file, not text")
    return data


def _read_text(path: Path) -> str | InputError:
    data = _read_bytes(path)
    if isinstance(data, InputError):
        return data
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return InputError(str(path), "binary file, not text (UTF-16 is not supported; use UTF-8)")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        return InputError(str(path), f"not UTF-8 (byte {err.start}, line {line})")
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text.strip():
        return InputError(str(path), "empty file")
    return text


def _json_message(err: json.JSONDecodeError) -> str:
    return err.msg[:-3] if err.msg.endswith(" at") else err.msg


def iter_jsonl(path: Path, full: bool = False) -> Iterator[InputDocument | InputError]:
    """One record per line, read lazily; errors are named ``path:line``."""
    try:
        handle = open(path, "rb")
    except OSError as err:
        yield InputError(str(path), f"cannot read ({err.strerror})")
        return
    with handle:
        yield from iter_jsonl_lines(handle, str(path), full)


def parse_jsonl_line(raw: bytes, source: str) -> Any:
    """The JSON value of one non-blank JSONL line, or an :class:`InputError`
    naming ``source`` (``path:line``)."""
    if b"\x00" in raw:
        return InputError(source, "binary data (NUL bytes), not a JSON line")
    try:
        return json.loads(raw.decode("utf-8").rstrip("\r\n"))
    except UnicodeDecodeError as err:
        return InputError(source, f"not UTF-8 (byte {err.start} of the line)")
    except json.JSONDecodeError as err:
        return InputError(source, f"malformed JSON ({_json_message(err)} at column {err.colno})")


def iter_jsonl_lines(lines: Iterable[bytes], name: str, full: bool = False) -> Iterator[InputDocument | InputError]:
    """JSONL from any iterable of byte lines (a file, ``sys.stdin.buffer``)."""
    empty = True
    for number, raw in enumerate(lines, start=1):
        source = f"{name}:{number}"
        if not raw.strip():
            continue
        empty = False
        record = parse_jsonl_line(raw, source)
        if isinstance(record, InputError):
            yield record
            continue
        yield from json_documents(record, source, full)
    if empty:
        yield InputError(name, "empty file")


def iter_json(path: Path, full: bool = False) -> Iterator[InputDocument | InputError]:
    text = _read_text(path)
    if isinstance(text, InputError):
        yield text
        return
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        yield InputError(f"{path}:{err.lineno}", f"malformed JSON ({_json_message(err)} at column {err.colno})")
        return
    yield from json_documents(data, str(path), full)


class _Refused(Exception):
    pass


def _refuse_declarations(data: bytes) -> str | None:
    """``"line N: ..."`` when the XML declares a DOCTYPE or entities, else
    None.  A pass with expat's declaration hooks, before any tree is built, so
    no entity is ever expanded."""

    def refuse_doctype(*_args) -> None:
        raise _Refused("DOCTYPE declarations are refused (entity expansion risk)")

    def refuse_entity(*_args) -> None:
        raise _Refused("ENTITY declarations are refused (entity expansion risk)")

    parser = expat.ParserCreate()
    parser.StartDoctypeDeclHandler = refuse_doctype
    parser.EntityDeclHandler = refuse_entity
    parser.UnparsedEntityDeclHandler = refuse_entity
    parser.ExternalEntityRefHandler = refuse_entity
    try:
        parser.Parse(data, True)
    except _Refused as err:
        return f"line {parser.CurrentLineNumber}: {err}"
    except expat.ExpatError:
        return None  # reported by the tree parser with its position
    return None


def iter_xml(path: Path, full: bool = False) -> Iterator[InputDocument | InputError]:
    """Legacy ClinicalTrials.gov XML: ``<clinical_study>`` root, or any root
    holding ``<clinical_study>`` elements."""
    data = _read_bytes(path)
    if isinstance(data, InputError):
        yield data
        return
    refused = _refuse_declarations(data)
    if refused is not None:
        line, message = refused.split(": ", 1)
        yield InputError(f"{path}:{line.split()[1]}", message)
        return
    try:
        root = ET.fromstring(data)
    except ET.ParseError as err:
        line, column = err.position
        yield InputError(f"{path}:{line}", f"malformed XML ({expat.ErrorString(err.code)} at column {column + 1})")
        return
    studies = [root] if root.tag == "clinical_study" else list(root.iter("clinical_study"))
    if not studies:
        yield InputError(str(path), f"no <clinical_study> element (root is <{root.tag}>)")
        return
    for index, study in enumerate(studies):
        source = str(path) if len(studies) == 1 else f"{path} clinical_study[{index}]"
        yield _rendered(render_ctgov(ctgov_xml_to_record(study), full=full), source)


def iter_folder(path: Path, exclude: Iterable[Path] = ()) -> Iterator[Path]:
    """The input files of a folder, recursively: each folder's files in
    sorted order, then its subfolders, sorted.  Hidden entries and anything
    under ``exclude`` (e.g. the output) are skipped.  Memory grows with the
    largest single folder, not the tree (AllPublicXML holds ~500k files)."""
    excluded = {os.path.realpath(p) for p in exclude}  # realpath, unlike resolve(), never raises on a loop
    for root, dirs, files in os.walk(path):
        here = Path(root)
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and os.path.realpath(here / d) not in excluded)
        for name in sorted(files):
            child = here / name
            if name.startswith(".") or child.suffix not in FOLDER_SUFFIXES:
                continue
            if not child.is_file() and not (child.is_symlink() and not child.exists()):
                continue  # a folder named like a file; broken links are reported by iter_inputs
            if os.path.realpath(child) in excluded:
                continue
            yield child


def iter_inputs(
    paths: Iterable[str | Path], full: bool = False, exclude: Iterable[str | Path] = ()
) -> Iterator[InputDocument | InputError]:
    """Documents and errors of every input, in order, lazily."""
    exclude = [Path(p) for p in exclude]
    for raw in paths:
        if str(raw) == "-":
            yield from iter_jsonl_lines(sys.stdin.buffer, "<stdin>", full)
            continue
        path = Path(raw)
        if path.is_dir():
            for child in iter_folder(path, exclude):
                yield from iter_inputs([child], full)
        elif path.is_symlink() and not path.exists():
            yield InputError(str(path), "broken symbolic link or symlink loop")
        elif not path.exists():
            yield InputError(str(path), "no such file or directory")
        elif path.suffix == ".jsonl":
            yield from iter_jsonl(path, full)
        elif path.suffix == ".json":
            yield from iter_json(path, full)
        elif path.suffix == ".xml":
            yield from iter_xml(path, full)
        else:
            text = _read_text(path)
            yield text if isinstance(text, InputError) else InputDocument(path.stem, text, str(path))
