"""Read, validate and write brat standoff files as ANNOTATION_GUIDE.md defines them.

A document is a ``NAME.txt`` + ``NAME.ann`` pair.  Reading checks every rule
of the guide and reports *all* problems of a file at once, each as
``path:line: message``, so an annotator can fix a file in one pass.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from .schema import ENTITY_LABELS, NORMALIZATION_DB, RELATION_TYPES, ROLE_VALUES, DRUG_LABELS


class BratError(ValueError):
    """A brat file breaks the annotation guide.  ``problems`` holds one
    ``path:line: message`` string per problem."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        shown = problems[:20]
        more = f"\n... and {len(problems) - 20} more" if len(problems) > 20 else ""
        super().__init__("\n".join(shown) + more)


@dataclass
class Entity:
    id: str
    label: str
    start: int
    end: int
    text: str
    normalized: str | None = None
    role: str | None = None

    def overlaps(self, other: "Entity") -> bool:
        return self.start < other.end and other.start < self.end


@dataclass
class Relation:
    id: str
    label: str
    arg1: str
    arg2: str


@dataclass
class Note:
    id: str
    target: str
    text: str


@dataclass
class BratDocument:
    id: str
    text: str
    entities: list[Entity] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)

    def entity(self, entity_id: str) -> Entity:
        for ent in self.entities:
            if ent.id == entity_id:
                return ent
        raise KeyError(entity_id)


def covered_text(text: str, start: int, end: int) -> str:
    """The text field of a T line: newlines, carriage returns and tabs as spaces."""
    return re.sub(r"[\r\n\t]", " ", text[start:end])


_T_LINE = re.compile(r"^(T\d+)\t(\S+) (\d+) (\d+)\t(.*)$")
# offsets longer than this are out of range of any text (and int() refuses
# strings of more than 4,300 digits)
_MAX_OFFSET_DIGITS = 15
_R_LINE = re.compile(r"^(R\d+)\t(\S+) Arg1:(T\d+) Arg2:(T\d+)\s*$")
_N_LINE = re.compile(r"^(N\d+)\tReference (T\d+) ([^:\s]+):(\S+)\t(.*)$")
_A_LINE = re.compile(r"^(A\d+)\t(\S+) (T\d+) (\S+)\s*$")
_NOTE_LINE = re.compile(r"^(#\d+)\tAnnotatorNotes (T\d+|R\d+)\t(.*)$")


def read_text(path: Path) -> str:
    """The UTF-8 content of ``path``; any failure is a :class:`BratError` naming it."""
    try:
        data = path.read_bytes()
    except OSError as err:  # unreadable, a directory, a symlink loop, vanished
        raise BratError([f"{path}: cannot read ({err.strerror or err})"]) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise BratError([f"{path}: not UTF-8 (byte {err.start}: {data[err.start:err.start + 1]!r})"]) from None


def parse_ann(
    ann: str, text: str, path: str = "<ann>", require_complete: bool = False
) -> tuple[list[Entity], list[Relation], list[Note]]:
    """Parse and validate the content of an ``.ann`` file against ``text``.

    ``require_complete`` adds the gold-corpus rules: every DRUG normalized and
    every DRUG/DRUG_CLASS given a Role.
    """
    problems: list[str] = []
    entities: dict[str, Entity] = {}
    entity_lines: dict[str, int] = {}
    relations: list[tuple[int, Relation]] = []
    normalizations: list[tuple[int, str, str, str, str]] = []
    attributes: list[tuple[int, str, str, str, str]] = []
    notes: list[Note] = []
    seen_ids: dict[str, int] = {}

    def problem(lineno: int, message: str) -> None:
        problems.append(f"{path}:{lineno}: {message}")

    for lineno, line in enumerate(ann.split("\n"), start=1):
        line = line.rstrip("\r")
        if not line.strip():
            continue
        line_id = line.split("\t", 1)[0]
        if line_id in seen_ids:
            problem(lineno, f"duplicate id {line_id} (first on line {seen_ids[line_id]})")
            continue
        kind = line[:1]
        if kind == "T":
            match = _T_LINE.match(line)
            if not match:
                fields = line.split("\t")
                if len(fields) > 1 and ";" in fields[1]:
                    problem(lineno, "discontinuous spans (';' in offsets) are not allowed")
                else:
                    problem(lineno, f"malformed entity line: {line!r}")
                continue
            eid, label, start_s, end_s, covered = match.groups()
            if max(len(start_s), len(end_s)) > _MAX_OFFSET_DIGITS:
                seen_ids[eid] = lineno
                problem(lineno, f"offsets of {max(len(start_s), len(end_s))} digits out of range for a text of "
                                f"{len(text)} characters")
                continue
            start, end = int(start_s), int(end_s)
            seen_ids[eid] = lineno
            if label not in ENTITY_LABELS:
                problem(lineno, f"unknown entity label {label!r} (allowed: {', '.join(ENTITY_LABELS)})")
                continue
            if not 0 <= start < end <= len(text):
                problem(lineno, f"offsets {start}-{end} out of range for a text of {len(text)} characters")
                continue
            expected = covered_text(text, start, end)
            if covered != expected:
                problem(lineno, f"covered text {covered!r} differs from text[{start}:{end}] = {expected!r}")
                continue
            entities[eid] = Entity(eid, label, start, end, text[start:end])
            entity_lines[eid] = lineno
        elif kind == "R":
            match = _R_LINE.match(line)
            if not match:
                problem(lineno, f"malformed relation line: {line!r}")
                continue
            seen_ids[match.group(1)] = lineno
            relations.append((lineno, Relation(*match.groups())))
        elif kind == "N":
            match = _N_LINE.match(line)
            if not match:
                problem(lineno, f"malformed normalization line: {line!r}")
                continue
            seen_ids[match.group(1)] = lineno
            normalizations.append((lineno, *match.groups()[1:]))
        elif kind == "A":
            match = _A_LINE.match(line)
            if not match:
                problem(lineno, f"malformed attribute line: {line!r}")
                continue
            seen_ids[match.group(1)] = lineno
            attributes.append((lineno, *match.groups()[1:]))
        elif kind == "#":
            match = _NOTE_LINE.match(line)
            if not match:
                problem(lineno, f"malformed note line: {line!r}")
                continue
            seen_ids[match.group(1)] = lineno
            notes.append(Note(*match.groups()))
        else:
            problem(lineno, f"unknown line kind {kind!r}: {line!r}")

    ordered = sorted(entities.values(), key=lambda e: (e.start, e.end))
    for previous, current in zip(ordered, ordered[1:]):
        if current.overlaps(previous):
            problem(
                entity_lines[current.id],
                f"entity {current.id} {current.text!r} overlaps {previous.id} {previous.text!r} "
                f"(line {entity_lines[previous.id]})",
            )

    valid_relations: list[Relation] = []
    seen_relations: dict[tuple[str, str, str], int] = {}
    for lineno, rel in relations:
        if rel.label not in RELATION_TYPES:
            problem(lineno, f"unknown relation type {rel.label!r} (allowed: {', '.join(RELATION_TYPES)})")
            continue
        arg1_labels, arg2_labels = RELATION_TYPES[rel.label]
        ok = True
        for arg_name, arg_id, allowed in (("Arg1", rel.arg1, arg1_labels), ("Arg2", rel.arg2, arg2_labels)):
            if arg_id not in entities:
                problem(lineno, f"{rel.id} {arg_name} {arg_id} is not an entity of this file")
                ok = False
            elif entities[arg_id].label not in allowed:
                problem(
                    lineno,
                    f"{rel.id} {rel.label} {arg_name} must be {'/'.join(allowed)}, "
                    f"but {arg_id} is {entities[arg_id].label}",
                )
                ok = False
        key = (rel.label, rel.arg1, rel.arg2)
        if ok and key in seen_relations:
            problem(lineno, f"{rel.id} repeats the relation on line {seen_relations[key]}")
            ok = False
        if ok:
            seen_relations[key] = lineno
            valid_relations.append(rel)

    for lineno, target, db, name_id, name in normalizations:
        if target not in entities:
            problem(lineno, f"normalization of {target}, which is not an entity of this file")
            continue
        ent = entities[target]
        if ent.label != "DRUG":
            problem(lineno, f"normalization of {target}, a {ent.label}; only DRUG is normalized")
        elif db != NORMALIZATION_DB:
            problem(lineno, f"normalization database must be {NORMALIZATION_DB}, not {db!r}")
        elif name_id.replace("_", " ") != name:
            problem(lineno, f"normalization id {name_id!r} does not match name {name!r}")
        elif name != name.lower():
            problem(lineno, f"normalized name {name!r} must be lowercase")
        elif ent.normalized is not None:
            problem(lineno, f"{target} is normalized twice")
        else:
            ent.normalized = name

    for lineno, attr_name, target, value in attributes:
        if attr_name != "Role":
            problem(lineno, f"unknown attribute {attr_name!r} (allowed: Role)")
        elif target not in entities:
            problem(lineno, f"Role of {target}, which is not an entity of this file")
        elif entities[target].label not in DRUG_LABELS:
            problem(lineno, f"Role on {target}, a {entities[target].label}; only DRUG and DRUG_CLASS get a Role")
        elif value not in ROLE_VALUES:
            problem(lineno, f"Role value {value!r} (allowed: {', '.join(ROLE_VALUES)})")
        elif entities[target].role is not None:
            problem(lineno, f"{target} has two Role attributes")
        else:
            entities[target].role = value

    for note in notes:
        if note.target.startswith("T") and note.target not in entities:
            problem(seen_ids[note.id], f"note on {note.target}, which is not an entity of this file")

    if require_complete:
        for ent in ordered:
            if ent.label == "DRUG" and ent.normalized is None:
                problem(entity_lines[ent.id], f"DRUG {ent.id} {ent.text!r} has no normalization (N line)")
            if ent.label in DRUG_LABELS and ent.role is None:
                problem(entity_lines[ent.id], f"{ent.label} {ent.id} {ent.text!r} has no Role attribute")

    if problems:
        raise BratError(problems)
    return ordered, valid_relations, notes


def read_document(txt_path: str | Path, require_complete: bool = False) -> BratDocument:
    """Read ``NAME.txt`` and its ``NAME.ann``; raise :class:`BratError` on any problem."""
    txt_path = Path(txt_path)
    if txt_path.suffix == ".ann":
        txt_path = txt_path.with_suffix(".txt")
    ann_path = txt_path.with_suffix(".ann")
    not_files = [f"{p}: {_not_a_file(p)}" for p in (txt_path, ann_path) if _not_a_file(p)]
    if not_files:
        raise BratError(not_files)
    missing = [str(p) for p in (txt_path, ann_path) if not p.is_file()]
    if len(missing) == 2:
        raise BratError([f"{txt_path}: no such document (neither it nor {ann_path.name} exists)"])
    if missing:
        other = ann_path if txt_path.is_file() else txt_path
        raise BratError([f"{m}: missing (its pair {other} has no partner)" for m in missing])
    text = read_text(txt_path)
    ann = read_text(ann_path)
    entities, relations, notes = parse_ann(ann, text, str(ann_path), require_complete)
    return BratDocument(txt_path.stem, text, entities, relations, notes)


def cut_spans(doc: BratDocument) -> list[Entity]:
    """Entities whose span starts or ends inside a word or on whitespace.

    A few are real (a code glued to a label, ``IP2018_dose1``); most of a
    file's spans cut like this means its offsets were counted on another
    text, typically with ``\\r\\n`` line breaks read as one character."""
    text = doc.text
    cut = []
    for ent in doc.entities:
        inside_left = ent.start > 0 and text[ent.start - 1].isalnum() and text[ent.start].isalnum()
        inside_right = ent.end < len(text) and text[ent.end - 1].isalnum() and text[ent.end].isalnum()
        if inside_left or inside_right or text[ent.start].isspace() or text[ent.end - 1].isspace():
            cut.append(ent)
    return cut


def _not_a_file(path: Path) -> str | None:
    """Why ``path`` exists (as a name) but cannot be read as a file, if so."""
    if path.is_dir():
        return "a directory, not a file"
    if path.is_symlink() and not path.exists():
        return "a broken symbolic link or a symlink loop"
    if path.exists() and not path.is_file():
        return "not a regular file"
    return None


def document_paths(directory: str | Path) -> list[Path]:
    """The ``.txt`` paths of a brat folder, sorted; unpaired files raise :class:`BratError`."""
    directory = Path(directory)
    if not directory.is_dir():
        raise BratError([f"{directory}: not a directory"])
    txts = {p.stem: p for p in directory.glob("*.txt")}
    anns = {p.stem: p for p in directory.glob("*.ann")}
    problems = [f"{anns[s]}: no matching .txt" for s in sorted(anns.keys() - txts.keys())]
    problems += [f"{txts[s]}: no matching .ann" for s in sorted(txts.keys() - anns.keys())]
    if problems:
        raise BratError(problems)
    return [txts[s] for s in sorted(txts)]


def read_directory(
    directory: str | Path, names: Iterable[str] | None = None, require_complete: bool = False
) -> list[BratDocument]:
    """Read every document of a folder (or the named ones); all problems of all
    files are gathered into one :class:`BratError`."""
    paths = document_paths(directory)
    if names is not None:
        wanted = set(names)
        unknown = wanted - {p.stem for p in paths}
        if unknown:
            raise BratError([f"{directory}: no document named {n}" for n in sorted(unknown)])
        paths = [p for p in paths if p.stem in wanted]
    documents, problems = [], []
    for path in paths:
        try:
            documents.append(read_document(path, require_complete))
        except BratError as err:
            problems.extend(err.problems)
    if problems:
        raise BratError(problems)
    return documents


def format_ann(doc: BratDocument) -> str:
    """The ``.ann`` content of a document; ids are renumbered in text order."""
    lines: list[str] = []
    new_ids: dict[str, str] = {}
    n_count = a_count = 0
    for index, ent in enumerate(sorted(doc.entities, key=lambda e: (e.start, e.end)), start=1):
        new_ids[ent.id] = f"T{index}"
        lines.append(f"T{index}\t{ent.label} {ent.start} {ent.end}\t{covered_text(doc.text, ent.start, ent.end)}")
    for ent in sorted(doc.entities, key=lambda e: (e.start, e.end)):
        if ent.normalized is not None:
            n_count += 1
            name = ent.normalized
            lines.append(f"N{n_count}\tReference {new_ids[ent.id]} {NORMALIZATION_DB}:{name.replace(' ', '_')}\t{name}")
    for ent in sorted(doc.entities, key=lambda e: (e.start, e.end)):
        if ent.role is not None:
            a_count += 1
            lines.append(f"A{a_count}\tRole {new_ids[ent.id]} {ent.role}")
    for index, rel in enumerate(doc.relations, start=1):
        lines.append(f"R{index}\t{rel.label} Arg1:{new_ids[rel.arg1]} Arg2:{new_ids[rel.arg2]}")
    for index, note in enumerate(doc.notes, start=1):
        target = new_ids.get(note.target, note.target)
        lines.append(f"#{index}\tAnnotatorNotes {target}\t{note.text}")
    return "\n".join(lines) + ("\n" if lines else "")


def write_document(doc: BratDocument, directory: str | Path) -> Path:
    """Write ``directory/ID.txt`` and ``ID.ann``; returns the ``.txt`` path."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    txt_path = directory / f"{doc.id}.txt"
    _atomic_write(txt_path, doc.text)
    _atomic_write(txt_path.with_suffix(".ann"), format_ann(doc))
    return txt_path


def _atomic_write(path: Path, content: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    with open(tmp, "w", encoding="utf-8", newline="") as handle:
        handle.write(content)
    tmp.replace(path)
