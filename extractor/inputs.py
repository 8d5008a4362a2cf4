"""Reading inputs for annotation: text files, folders, JSONL records.

Each input yields :class:`InputDocument` items or :class:`InputError` items;
one bad file or line never stops the others.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

from .records import RenderedRecord, render_ctgov, render_nli4ct


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


def record_to_document(record: dict, source: str) -> InputDocument | InputError:
    """A JSON record: ``{"id", "text"}``, a corpus registry record, or an NLI4CT report."""
    if not isinstance(record, dict):
        return InputError(source, "record is not a JSON object")
    if isinstance(record.get("text"), str):
        return InputDocument(str(record.get("id") or source), record["text"], source)
    if "ctr" in record:
        rendered = render_nli4ct(record)
    elif "nct_id" in record or "interventions" in record:
        rendered = render_ctgov(record)
    else:
        return InputError(source, "record has no 'text' field and is not a registry record")
    if not rendered.text.strip():
        return InputError(source, "record has no text")
    return InputDocument(rendered.id or source, rendered.text, source, rendered)


def _read_text(path: Path) -> str | InputError:
    try:
        data = path.read_bytes()
    except OSError as err:
        return InputError(str(path), f"cannot read ({err.strerror})")
    if b"\x00" in data[:4096]:
        return InputError(str(path), "binary file, not text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        return InputError(str(path), f"not UTF-8 (byte {err.start})")
    if not text.strip():
        return InputError(str(path), "empty file")
    return text


def iter_jsonl(path: Path) -> Iterator[InputDocument | InputError]:
    try:
        handle = open(path, "rb")
    except OSError as err:
        yield InputError(str(path), f"cannot read ({err.strerror})")
        return
    with handle:
        for number, raw in enumerate(handle, start=1):
            source = f"{path}:{number}"
            if not raw.strip():
                continue
            try:
                record = json.loads(raw.decode("utf-8"))
            except UnicodeDecodeError as err:
                yield InputError(source, f"not UTF-8 (byte {err.start})")
                continue
            except json.JSONDecodeError as err:
                yield InputError(source, f"malformed JSON ({err.msg} at column {err.colno})")
                continue
            yield record_to_document(record, source)


def iter_inputs(paths: Iterable[str | Path]) -> Iterator[InputDocument | InputError]:
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            seen = set()
            for child in sorted(path.rglob("*")):
                if child.suffix in (".txt", ".jsonl", ".json") and child.is_symlink() and not child.exists():
                    yield InputError(str(child), "broken symbolic link or symlink loop")
                    continue
                if child.is_file() and child.suffix in (".txt", ".jsonl", ".json"):
                    real = child.resolve()
                    if real in seen:
                        continue
                    seen.add(real)
                    yield from iter_inputs([child])
            continue
        if not path.exists():
            yield InputError(str(path), "no such file or directory")
        elif path.suffix == ".jsonl":
            yield from iter_jsonl(path)
        elif path.suffix == ".json":
            text = _read_text(path)
            if isinstance(text, InputError):
                yield text
                continue
            try:
                data = json.loads(text)
            except json.JSONDecodeError as err:
                yield InputError(str(path), f"malformed JSON ({err.msg} at line {err.lineno})")
                continue
            items = data if isinstance(data, list) else [data]
            for index, item in enumerate(items):
                yield record_to_document(item, f"{path}[{index}]" if isinstance(data, list) else str(path))
        else:
            text = _read_text(path)
            yield text if isinstance(text, InputError) else InputDocument(path.stem, text, str(path))
