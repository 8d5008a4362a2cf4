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
    html = "html"
    csv = "csv"


class Engine(str, Enum):
    local = "local"
    dask = "dask"


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
    inputs: List[Path] = typer.Argument(
        ..., help="Text files, folders, JSONL/JSON records, CT.gov API v2 study JSON or legacy XML."
    ),
    output: Optional[Path] = typer.Option(
        None, "-o", "--output", help="Output file, or folder for brat (default: stdout)."
    ),
    format: OutputFormat = typer.Option(OutputFormat.jsonl, "--format", help="jsonl (default), brat, html or csv."),
    n_process: int = typer.Option(1, "--n-process", help="Worker processes (-1: one per CPU)."),
    batch_size: int = typer.Option(32, "--batch-size", min=1, help="Documents per batch."),
    resume: bool = typer.Option(False, "--resume", help="Continue an interrupted run into -o (jsonl, brat; with dask: skip partitions whose shard exists)."),
    full: bool = typer.Option(
        False, "--full", help="Registry records: add arm groups, intervention descriptions, eligibility."
    ),
    pretty: bool = typer.Option(False, "--pretty", help="Print a readable summary per document instead of JSON."),
    engine: Engine = typer.Option(Engine.local, "--engine", help="local (this process) or dask (-o is a folder of shards)."),
    scheduler: Optional[str] = typer.Option(None, "--scheduler", help="Dask scheduler (tcp://HOST:8786); default: a local cluster."),
    partition_size: int = typer.Option(500, "--partition-size", help="Dask: records per partition, one shard each."),
    shard_format: str = typer.Option("jsonl", "--shard-format", help="Dask: jsonl or parquet shards."),
) -> None:
    """Annotate documents.  Bad inputs are reported (file and line or record)
    and skipped, never the batch; the exit code is 1 when any input failed."""
    if engine is Engine.dask:
        if output is None or format is not OutputFormat.jsonl or pretty:
            raise typer.BadParameter("--engine dask writes shards: give -o FOLDER, without --format brat or --pretty")
        _annotate_dask(inputs, output, scheduler, partition_size, shard_format, batch_size, resume, full)
        return
    import os
    from collections import Counter

    from tqdm import tqdm

    from . import load
    from .annotate import annotate_inputs
    from .formats import OutputError, open_sink, partial_path
    from .inputs import InputError

    if n_process == -1:
        n_process = os.cpu_count() or 1
    if n_process < 1:
        raise typer.BadParameter("--n-process must be at least 1 (or -1)", param_hint="--n-process")
    if output is not None:
        target = output.resolve()
        for path in inputs:
            if path.exists() and path.resolve() == target:
                typer.echo(f"error: the output {output} is also an input; inputs are never overwritten", err=True)
                raise typer.Exit(2)
    if pretty and (format is not OutputFormat.jsonl or output is not None):
        raise typer.BadParameter("--pretty prints jsonl records to stdout only", param_hint="--pretty")
    try:
        sink = open_sink(format.value, output, resume=resume, stdout=sys.stdout)
    except (OutputError, OSError) as err:
        typer.echo(f"error: {err}", err=True)
        raise typer.Exit(2)
    nlp = load()
    counts: Counter = Counter()
    excluded = [output, partial_path(output)] if output is not None else []
    results = annotate_inputs(
        nlp, inputs, batch_size=batch_size, n_process=n_process, full=full,
        is_done=sink.is_done, counts=counts, exclude=excluded,
    )
    progress = tqdm(unit="doc", file=sys.stderr, disable=not sys.stderr.isatty(), dynamic_ncols=True)

    def report(message: str) -> None:
        if progress.disable:
            typer.echo(message, err=True)
        else:
            progress.write(message, file=sys.stderr)

    try:
        for result in results:
            if isinstance(result, InputError):
                counts["failed"] += 1
                report(f"error: {result}")
                continue
            try:
                if pretty:
                    sys.stdout.write(_pretty(result) + "\n")
                else:
                    sink.write(result)
            except OutputError as err:
                counts["failed"] += 1
                report(f"error: {err}")
                continue
            counts["done"] += 1
            progress.update()
        progress.close()
        sink.commit()
    except KeyboardInterrupt:
        results.close()
        progress.close()
        sink.abort()
        message = f"interrupted after {counts['done']} documents"
        if output is not None and format.value == "jsonl":
            message += f"; they are in {partial_path(output)}: add --resume to continue"
        elif output is not None and format.value == "brat":
            message += f"; they are in {output}: add --resume to continue"
        elif output is not None:
            message += f"; {output} not written"
        typer.echo(message, err=True)
        raise typer.Exit(130)
    except OSError as err:
        results.close()
        progress.close()
        sink.abort()
        typer.echo(f"error: cannot write the output: {err}", err=True)
        raise typer.Exit(2)
    summary = f"{counts['done']} documents annotated, {counts['failed']} failed"
    if resume:
        summary += f", {counts['skipped']} skipped (already in the output)"
    typer.echo(summary, err=True)
    if counts["failed"]:
        raise typer.Exit(1)


def _annotate_dask(inputs, output, scheduler, partition_size, shard_format, batch_size, resume, full) -> None:
    from .distributed import annotate_to_shards

    try:
        report = annotate_to_shards(inputs, output, scheduler=scheduler, partition_size=partition_size,
                                    shard_format=shard_format, batch_size=batch_size, resume=resume, full=full)
    except ValueError as err:
        typer.echo(f"error: {err}", err=True)
        raise typer.Exit(2)
    for message in report.errors:
        typer.echo(f"error: {message}", err=True)
    typer.echo(f"{report.records} documents annotated, {len(report.errors) - len(report.failed)} failed; "
               f"{len(report.shards)} shards written, {len(report.skipped)} skipped, "
               f"{len(report.failed)} partitions failed, in {output}", err=True)
    if report.errors:
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
    for regimen in record.get("regimens") or []:
        title = " / ".join(str(v) for v in (regimen["arm"], regimen["phase"]) if v) or "regimen"
        lines.append(f"  [{title}]")
        for drug in regimen["drugs"] + regimen["classes"]:
            facts = [", ".join(drug[key]) for key in ("doses", "routes", "schedules", "durations") if drug[key]]
            lines.append(f"    {drug['name']}" + (f": {'; '.join(facts)}" if facts else ""))
    for endpoint in record.get("endpoints") or []:
        frames = "; ".join(endpoint["time_frames"]) or "-"
        lines.append(f"  endpoint ({endpoint['kind'] or '-'}) {endpoint['name']!r}: {frames}")
    return "\n".join(lines)


@app.command()
def evaluate(
    gold: Optional[Path] = typer.Option(None, "--gold", help="Annotation folder (with splits.json) or a folder of brat pairs."),
    pred: Optional[Path] = typer.Option(None, "--pred", help="Score these brat predictions instead of running the pipeline."),
    split: Optional[str] = typer.Option(None, "--split", help="Only this split of the annotation folder."),
    json_out: Optional[Path] = typer.Option(None, "--json", help="Write the scores as JSON to this file."),
    report: Optional[Path] = typer.Option(None, "--report", help="Write a self-contained HTML report to this file."),
    silver: Optional[Path] = typer.Option(None, "--silver", help="Instead of --gold: recall against registry records (JSONL)."),
    limit: Optional[int] = typer.Option(None, "--limit", min=1, help="With --silver: only the first N records."),
    gold_entities: bool = typer.Option(False, "--gold-entities", help="Give the relation component the gold entities (no --pred); score relations only."),
) -> None:
    """Score the pipeline (or --pred files) against gold brat files, or
    (--silver) against the structured fields of registry records."""
    if (gold is None) == (silver is None):
        raise typer.BadParameter("give exactly one of --gold and --silver")
    if silver is not None and (pred or split or gold_entities):
        raise typer.BadParameter("--pred, --split, --gold-entities need --gold")
    if silver is None and limit is not None:
        raise typer.BadParameter("--limit needs --silver")
    if gold_entities and pred is not None:
        raise typer.BadParameter("--gold-entities runs the relation component: it takes no --pred")
    if silver is not None:
        return _evaluate_silver(silver, limit, json_out, report)
    from .brat import BratError
    from .evaluate import gold_and_gold_entity_predictions, gold_and_predictions
    from .scoring import score_documents

    try:
        if gold_entities:
            gold_docs, pred_docs = gold_and_gold_entity_predictions(gold, split)
        else:
            gold_docs, pred_docs = gold_and_predictions(gold, pred, split)
    except BratError as err:
        typer.echo(f"error: invalid gold or prediction files:\n{err}", err=True)
        raise typer.Exit(2)
    scores = score_documents(gold_docs, pred_docs)
    if json_out is not None:
        _write_atomic(json_out, json.dumps(scores, indent=2) + "\n")
    if report is not None:
        from .report import evaluation_report

        where = f"gold {gold}" + (f", split {split}" if split else "") + (f", predictions {pred}" if pred else ", pipeline")
        _write_atomic(report, evaluation_report(gold_docs, pred_docs, description=where))
    typer.echo(format_scores(scores))


def _evaluate_silver(path: Path, limit: Optional[int], json_out: Optional[Path], report: Optional[Path]) -> None:
    from . import load
    from .silver import evaluate_silver

    result = evaluate_silver(load(), path, limit)
    if json_out is not None:
        _write_atomic(json_out, json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    if report is not None:
        from .report import silver_report

        _write_atomic(report, silver_report(result))
    for failure in result["failures"]:
        typer.echo(f"error: {failure['message']}", err=True)
    records = result["records"]
    typer.echo(f"records: {records['read']} read, {records['scored']} scored, {records['failed']} failed")
    for kind in ("drugs", "endpoints", "timeframes"):
        block = result[kind]
        typer.echo(
            f"{kind:<11} eligible {block['eligible']:>6} of {block['names']:>6}  recall lenient "
            f"{block['lenient']['recall']:.3f}  strict {block['strict']['recall']:.3f}"
        )
        for fmt, g in block["by_format"].items():
            typer.echo(f"  {fmt:<20} records {g['records']:>5}  eligible {g['eligible']:>6} of {g['names']:>6}")
    norm = result["normalization"]
    multi = norm["multi_form"]
    not_inn = ", ".join(f"{reason} {n}" for reason, n in norm["not_inn"].items()) or "0"
    typer.echo(
        f"normalization synonym sets {norm['sets']:>5}  agreement {norm['agreement']:.3f}  "
        f"(several names {multi['sets']}: {multi['agreement']:.3f})  mentions {norm['mentions']}  "
        f"unknown {norm['unknown']}  not INN-like: {not_inn}"
    )
    if norm["split_kinds"]:
        typer.echo("  sets with several names: " + ", ".join(f"{k} {n}" for k, n in norm["split_kinds"].items()))
    if records["failed"]:
        raise typer.Exit(1)


def _write_atomic(path: Path, content: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(content, encoding="utf-8")
    tmp.replace(path)


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
    from .brat import BratError, cut_spans, read_directory, read_document

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
            cut = cut_spans(doc)
            if len(cut) >= 5 and len(cut) * 2 >= len(doc.entities):
                failed += 1
                typer.echo(f"{doc.id}: {len(cut)} of {len(doc.entities)} spans start or end inside a word or on a "
                           f"space ({', '.join(repr(e.text) for e in cut[:3])}, ...): were the offsets counted on "
                           f"another text, e.g. with \\r\\n line breaks as one character?", err=True)
                continue
            for ent in cut:
                typer.echo(f"warning {doc.id}: {ent.id} {ent.label} {ent.text!r} starts or ends inside a word "
                           f"or on a space", err=True)
            typer.echo(f"ok {doc.id}: {len(doc.entities)} entities, {len(doc.relations)} relations")
    raise typer.Exit(1 if failed else 0)


def main() -> None:
    app(prog_name="extractor")


if __name__ == "__main__":
    main()
