"""The ``extractor`` command: a thin layer over the library's functions."""

from __future__ import annotations

import json
import sys
from enum import Enum
from pathlib import Path
from typing import List, Optional

import typer

from . import __version__

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Drug regimens and endpoints from clinical-trial text.",
    context_settings={"help_option_names": ["-h", "--help"]},
)


class OutputFormat(str, Enum):
    jsonl = "jsonl"
    brat = "brat"


def _version(value: bool) -> None:
    if value:
        typer.echo(f"extractor {__version__}")
        raise typer.Exit()


@app.callback()
def main_callback(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Show the version."),
) -> None:
    """Tag drugs, doses, routes, schedules, durations, endpoints and time frames
    in trial text, link them into regimens, and score against brat gold files."""


@app.command()
def annotate(
    inputs: List[Path] = typer.Argument(..., help="Text files, folders, JSONL of {id, text} or registry records."),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="Output file (jsonl) or folder (brat)."),
    format: OutputFormat = typer.Option(OutputFormat.jsonl, "--format", help="jsonl (default) or brat."),
    batch_size: int = typer.Option(32, "--batch-size", help="Documents per nlp.pipe batch."),
    pretty: bool = typer.Option(False, "--pretty", help="Print a readable summary per document instead of JSON."),
) -> None:
    """Annotate documents; bad inputs are reported and skipped, never the batch."""
    from . import load
    from .annotate import annotate_inputs
    from .brat import write_document
    from .output import doc_to_brat

    if format is OutputFormat.brat and output is None:
        raise typer.BadParameter("--format brat needs -o FOLDER")
    nlp = load()
    handle = sys.stdout
    if format is OutputFormat.jsonl and output is not None:
        output.parent.mkdir(parents=True, exist_ok=True)
        handle = open(output.with_name(output.name + ".tmp"), "w", encoding="utf-8")
    done = failed = 0
    for item, doc, record in annotate_inputs(nlp, inputs, batch_size):
        if doc is None:
            failed += 1
            typer.echo(f"error: {item}", err=True)
            continue
        done += 1
        if format is OutputFormat.brat:
            write_document(doc_to_brat(doc, record["id"]), output)
        elif pretty:
            handle.write(_pretty(record) + "\n")
        else:
            handle.write(json.dumps({k: v for k, v in record.items() if k != "text"}, ensure_ascii=False) + "\n")
    if handle is not sys.stdout:
        handle.close()
        Path(handle.name).replace(output)
    typer.echo(f"{done} documents annotated, {failed} failed", err=True)
    if failed:
        raise typer.Exit(1)


def _pretty(record: dict) -> str:
    lines = [f"== {record['id']}"]
    by_id = {e["id"]: e for e in record["entities"]}
    for e in record["entities"]:
        extra = ""
        if e["label"] in ("DRUG", "DRUG_CLASS"):
            extra = f"  -> {e.get('normalized') or '-'} [{e.get('role')}, {e.get('resolution')}]"
        lines.append(f"  {e['label']:<10} {e['text'].replace(chr(10), ' ')!r}{extra}")
    for r in record["relations"]:
        lines.append(f"  {r['label']:<18} {by_id[r['arg1']]['text']!r} -> {by_id[r['arg2']]['text']!r}")
    return "\n".join(lines)


@app.command()
def evaluate(
    gold: Path = typer.Option(..., "--gold", help="Annotation folder (with splits.json) or a folder of brat pairs."),
    pred: Optional[Path] = typer.Option(None, "--pred", help="Score these brat predictions instead of running the pipeline."),
    split: Optional[str] = typer.Option(None, "--split", help="Only this split of the annotation folder."),
    json_out: Optional[Path] = typer.Option(None, "--json", help="Write the scores as JSON to this file."),
) -> None:
    """Score the pipeline (or --pred files) against gold brat files."""
    from .brat import BratError
    from .evaluate import evaluate as run

    try:
        scores = run(gold, pred, split)
    except BratError as err:
        typer.echo(f"error: invalid gold or prediction files:\n{err}", err=True)
        raise typer.Exit(2)
    if json_out is not None:
        json_out.write_text(json.dumps(scores, indent=2) + "\n", encoding="utf-8")
    typer.echo(format_scores(scores))


def format_scores(scores: dict) -> str:
    lines = [f"documents: {scores['documents']}"]
    for part in ("entities", "relations"):
        for mode in ("strict", "lenient"):
            block = scores[part][mode]
            lines.append(f"\n{part} ({mode})")
            lines.append(f"  {'label':<20} {'P':>6} {'R':>6} {'F1':>6} {'tp':>5} {'fp':>5} {'fn':>5}")
            rows = list(block["per_label"].items()) + [("micro", block["micro"])]
            for label, s in rows:
                lines.append(
                    f"  {label:<20} {s['precision']:6.3f} {s['recall']:6.3f} {s['f1']:6.3f} {s['tp']:5d} {s['fp']:5d} {s['fn']:5d}"
                )
    lines.append(f"\nnormalization accuracy: {scores['normalization']['accuracy']:.3f} (n={scores['normalization']['n']})")
    lines.append(f"role accuracy: {scores['role']['accuracy']:.3f} (n={scores['role']['n']})")
    return "\n".join(lines)


@app.command()
def stats(root: Path = typer.Argument(Path("annotations"), help="Annotation folder with splits.json.")) -> None:
    """Corpus statistics per split: documents, entities per label, relations per type."""
    from .brat import BratError
    from .corpus import statistics

    try:
        result = statistics(root)
    except BratError as err:
        typer.echo(f"error: invalid annotation folder:\n{err}", err=True)
        raise typer.Exit(2)
    splits = list(result)
    keys = ["documents", "characters"]
    typer.echo(f"{'':<22}" + "".join(f"{s:>9}" for s in splits))
    for key in keys:
        typer.echo(f"{key:<22}" + "".join(f"{result[s][key]:>9}" for s in splits))
    for group in ("entities", "relations"):
        for label in result["all"][group]:
            typer.echo(f"{label:<22}" + "".join(f"{result[s][group][label]:>9}" for s in splits))


@app.command()
def agreement(
    first: Path = typer.Argument(..., help="Folder of the first annotator's brat files."),
    second: Path = typer.Argument(..., help="Folder of the second annotator's brat files."),
    json_out: Optional[Path] = typer.Option(None, "--json"),
) -> None:
    """Inter-annotator agreement: the second annotator scored against the first."""
    from .brat import BratError, read_directory
    from .scoring import score_documents

    try:
        a = read_directory(first, require_complete=True)
        b = read_directory(second, names=[d.id for d in a], require_complete=True)
    except BratError as err:
        typer.echo(f"error: invalid annotation files:\n{err}", err=True)
        raise typer.Exit(2)
    scores = score_documents(a, b)
    if json_out is not None:
        json_out.write_text(json.dumps(scores, indent=2) + "\n", encoding="utf-8")
    typer.echo(format_scores(scores))


@app.command()
def validate(paths: List[Path] = typer.Argument(..., help="Brat folders or .txt/.ann files.")) -> None:
    """Check brat files against the annotation guide (gold rules: INN and Role required)."""
    from .brat import BratError, read_directory, read_document

    failed = 0
    for path in paths:
        try:
            docs = read_directory(path, require_complete=True) if path.is_dir() else [
                read_document(path, require_complete=True)
            ]
        except BratError as err:
            failed += 1
            typer.echo(str(err), err=True)
            continue
        for doc in docs:
            typer.echo(f"ok {doc.id}: {len(doc.entities)} entities, {len(doc.relations)} relations")
    raise typer.Exit(1 if failed else 0)


def main() -> None:
    app(prog_name="extractor")


if __name__ == "__main__":
    main()
