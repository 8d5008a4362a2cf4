"""Annotating a corpus on a Dask cluster: one output shard per input partition.

The records are the ones single-process annotation (``extractor annotate``)
makes, record for record: the same record rendering
(:func:`extractor.inputs.record_to_document`), the same pipeline and
:func:`extractor.output.doc_to_record`.  Only the scheduling differs.

Three entry points, all importing Dask only when called (``import extractor``
stays free of Dask and its logging):

* :func:`annotate_to_shards` - JSONL or Parquet files in, a folder of shards
  out.  Each input file is cut into partitions of consecutive records; each
  partition is one task and writes one shard named after the records it holds,
  ``<input stem>.<first>-<last>.jsonl`` (JSONL line numbers, or 1-based
  Parquet row numbers).  A shard is written under a temporary name and moved
  into place with :func:`os.replace`, so a worker killed mid-partition leaves
  no partial shard; Dask reruns the task elsewhere and the rerun writes the
  same name, so a record is never written twice.  ``resume=True`` skips the
  partitions whose shard already exists.
* :func:`annotate_bag` - a ``dask.bag`` of raw records (dicts) to a bag of
  output records.
* :func:`annotate_dataframe` - a ``dask.dataframe`` with one record per row to
  a frame with columns ``id``, ``entities``, ``relations``, ``regimens``,
  ``endpoints`` and ``error``.

Records that cannot be annotated (malformed JSON, no text) never cost their
partition (texts longer than ``nlp.max_length`` are annotated in pieces, as
in one process): :func:`annotate_to_shards`
returns them as messages naming file and line; the bag and frame functions
give them as ``{"id": ..., "error": message}``.

Every worker process loads the pipeline once, on its first task, and keeps it
(:func:`worker_pipeline`).  Threads of one worker process share that pipeline
under a lock, so parallelism comes from processes: start workers with one
thread each (``dask worker ADDRESS --nworkers N --nthreads 1``).

On a cluster of several machines every worker must see the input files and
the output folder under the same paths (a shared file system), and have the
same ``extractor`` version installed::

    dask scheduler --port 8786                                  # on host A
    dask worker tcp://A:8786 --nworkers 4 --nthreads 1          # on each worker host
    extractor annotate /shared/corpus.jsonl --engine dask --scheduler tcp://A:8786 -o /shared/out

Without ``--scheduler`` the command starts a local cluster with one
single-threaded worker process per CPU, and closes it at the end.

From Python::

    from extractor.distributed import annotate_to_shards, read_shards

    report = annotate_to_shards(["corpus.jsonl"], "out/", scheduler="tcp://10.0.0.5:8786")
    print(report.records, "records in", len(report.shards), "shards")
    for message in report.errors:
        print(message)
    records = list(read_shards("out/"))
"""

from __future__ import annotations

import json
import os
import re
import threading
import uuid
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Sequence

from .inputs import InputDocument, InputError, parse_jsonl_line, record_to_document

# the list-valued keys of an output record, JSON-encoded in Parquet shards
LIST_FIELDS = ("entities", "relations", "regimens", "endpoints")

INPUT_SUFFIXES = (".jsonl", ".parquet")
SHARD_FORMATS = ("jsonl", "parquet")
DEFAULT_PARTITION_SIZE = 500
_TMP_PATTERN = re.compile(r"^\..+\.(jsonl|parquet)\.[0-9a-f]{32}\.tmp$")

# ---------------------------------------------------------------------------
# The pipeline, once per worker process


_PIPELINES: dict = {}
_PIPELINE_LOCKS: dict = {}
_CACHE_LOCK = threading.RLock()  # a loader may build on worker_pipeline()


def worker_pipeline(pipeline: str | None = None, loader: Callable | None = None):
    """The pipeline of this process, loaded on first use and kept.

    ``pipeline`` is a folder saved with ``nlp.to_disk`` (``None``: the bundled
    pipeline); ``loader`` replaces :func:`extractor.load` (called with
    ``pipeline``) and must be importable by the workers.
    """
    key = (pipeline, loader)
    with _CACHE_LOCK:
        if key not in _PIPELINES:
            if loader is None:
                from . import load

                _PIPELINES[key] = load(pipeline)
            else:
                _PIPELINES[key] = loader(pipeline)
            _PIPELINE_LOCKS[key] = threading.Lock()
        return _PIPELINES[key], _PIPELINE_LOCKS[key]


# ---------------------------------------------------------------------------
# Raw records to output records (what extractor.annotate does for one input)


def annotate_records(
    nlp, items: Iterable[tuple[str, Any]], batch_size: int = 32, include_text: bool = False, full: bool = False
) -> Iterator[dict | InputError]:
    """Annotate ``(source, record)`` pairs in order, exactly as single-machine
    annotation does (:func:`extractor.annotate.annotate_records`: long texts in
    pieces, a failing document costs only itself).

    ``record`` is a parsed JSON record or an :class:`InputError` (kept as is);
    ``full`` renders registry records with their arm groups, intervention
    descriptions and eligibility, as ``extractor annotate --full`` does.
    Yields the output record of :func:`~extractor.output.doc_to_record`
    (without ``text`` unless ``include_text``) or an :class:`InputError`.
    """
    from .annotate import annotate_records as annotate_documents

    def documents() -> Iterator[InputDocument | InputError]:
        for source, record in items:
            if isinstance(record, InputError):
                yield record
                continue
            try:
                yield record_to_document(record, source, full)
            except Exception as err:  # a record of an unexpected shape costs only itself
                yield InputError(source, f"cannot read record ({type(err).__name__}: {err})")

    for result in annotate_documents(nlp, documents(), batch_size=batch_size):
        if isinstance(result, dict) and not include_text:
            result.pop("text", None)
        yield result


# ---------------------------------------------------------------------------
# Partitions of input files


@dataclass(frozen=True)
class Partition:
    """Records ``first``..``last`` of one input file (JSONL: line numbers,
    counting blank lines; Parquet: 1-based row numbers), starting at byte
    ``offset`` (JSONL) or made of ``row_groups`` (Parquet).  ``path`` is the
    file as the user named it (it names records in messages and ids, as in
    single-process annotation); workers read the absolute ``location``."""

    path: str
    kind: str
    first: int
    last: int
    offset: int
    row_groups: tuple = ()
    location: str = ""

    @property
    def file(self) -> str:
        return self.location or self.path

    @property
    def name(self) -> str:
        return f"{Path(self.path).stem}.{self.first:08d}-{self.last:08d}"


def expand_inputs(paths: Iterable[str | os.PathLike]) -> list[str]:
    """Input files in order: files as given, folders as their ``*.jsonl`` and
    ``*.parquet`` files (recursively, sorted).  Raises :class:`ValueError`
    for a missing path, an unsupported file, or two inputs with one stem
    (their shards would collide)."""
    files: list[str] = []
    seen: set = set()
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            children = [c for c in sorted(path.rglob("*")) if c.is_file() and c.suffix in INPUT_SUFFIXES]
        elif not path.exists():
            raise ValueError(f"{path}: no such file or directory")
        elif path.suffix not in INPUT_SUFFIXES:
            raise ValueError(f"{path}: the dask engine reads .jsonl and .parquet files only")
        else:
            children = [path]
        for child in children:
            real = child.resolve()
            if real not in seen:
                seen.add(real)
                files.append(str(child))
    stems: dict[str, str] = {}
    for name in files:
        stem = Path(name).stem
        if stem in stems:
            raise ValueError(f"{stems[stem]} and {name} have the same name; their shards would collide")
        stems[stem] = name
    return files


def plan_partitions(paths: Iterable[str | os.PathLike], size: int = DEFAULT_PARTITION_SIZE) -> list[Partition]:
    """Cut the input files into partitions of about ``size`` records (JSONL:
    exactly ``size`` lines; Parquet: whole row groups up to ``size`` rows)."""
    if size < 1:
        raise ValueError("partition size must be at least 1")
    parts: list[Partition] = []
    for path in expand_inputs(paths):
        plan = _plan_parquet(path, size) if path.endswith(".parquet") else _plan_jsonl(path, size)
        location = os.path.abspath(path)
        parts.extend(replace(part, location=location) for part in plan)
    return parts


def _plan_jsonl(path: str, size: int) -> Iterator[Partition]:
    offset = start_offset = 0
    first = 1
    number = 0
    with open(path, "rb") as handle:
        for number, line in enumerate(handle, start=1):
            offset += len(line)
            if number - first + 1 == size:
                yield Partition(path, "jsonl", first, number, start_offset)
                first, start_offset = number + 1, offset
    if number >= first:
        yield Partition(path, "jsonl", first, number, start_offset)


def _plan_parquet(path: str, size: int) -> Iterator[Partition]:
    import pyarrow.parquet as pq

    meta = pq.ParquetFile(path).metadata
    groups: list[int] = []
    first = row = 1
    for index in range(meta.num_row_groups):
        rows = meta.row_group(index).num_rows
        if groups and row - first + rows > size:
            yield Partition(path, "parquet", first, row - 1, groups[0], tuple(groups))
            groups, first = [], row
        groups.append(index)
        row += rows
    if groups and row > first:
        yield Partition(path, "parquet", first, row - 1, groups[0], tuple(groups))


def read_partition(part: Partition) -> Iterator[tuple[str, Any]]:
    """``(source, record or InputError)`` for each record of a partition;
    sources read ``path:line`` (JSONL) or ``path[row N]`` (Parquet)."""
    if part.kind == "parquet":
        import pyarrow.parquet as pq

        table = pq.ParquetFile(part.file).read_row_groups(list(part.row_groups))
        for number, record in enumerate(table.to_pylist(), start=part.first):
            yield f"{part.path}[row {number}]", record
        return
    with open(part.file, "rb") as handle:
        handle.seek(part.offset)
        for number in range(part.first, part.last + 1):
            raw = handle.readline()
            source = f"{part.path}:{number}"
            if raw.strip():
                yield source, parse_jsonl_line(raw, source)


# ---------------------------------------------------------------------------
# One partition, one shard


def shard_path(out_dir: str | os.PathLike, part: Partition, shard_format: str = "jsonl") -> Path:
    return Path(out_dir) / f"{part.name}.{shard_format}"


def annotate_partition(
    part: Partition,
    out_dir: str,
    shard_format: str = "jsonl",
    pipeline: str | None = None,
    loader: Callable | None = None,
    batch_size: int = 32,
    include_text: bool = False,
    full: bool = False,
) -> dict:
    """Annotate one partition into its shard (the task a worker runs).

    Returns ``{"shard", "records", "errors"}``; ``errors`` are messages naming
    file and line.  The shard appears complete or not at all.
    """
    nlp, lock = worker_pipeline(pipeline, loader)
    final = shard_path(out_dir, part, shard_format)
    tmp = final.with_name(f".{final.name}.{uuid.uuid4().hex}.tmp")
    records: list[dict] = []  # kept for Parquet only
    written = 0
    errors: list[str] = []
    try:
        with lock:
            if shard_format == "jsonl":
                with open(tmp, "w", encoding="utf-8") as handle:
                    for out in annotate_records(nlp, read_partition(part), batch_size, include_text, full):
                        if isinstance(out, InputError):
                            errors.append(str(out))
                        else:
                            written += 1
                            handle.write(json.dumps(out, ensure_ascii=False) + "\n")
                    handle.flush()
                    os.fsync(handle.fileno())
            else:
                for out in annotate_records(nlp, read_partition(part), batch_size, include_text, full):
                    (errors.append(str(out)) if isinstance(out, InputError) else records.append(out))
                _write_parquet(tmp, records, include_text)
                written = len(records)
        os.replace(tmp, final)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return {"shard": final.name, "records": written, "errors": errors}


def _write_parquet(path: Path, records: list[dict], include_text: bool) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    columns = {"id": pa.array([r["id"] for r in records], pa.string())}
    for key in LIST_FIELDS:
        if records and key in records[0]:
            columns[key] = pa.array([json.dumps(r[key], ensure_ascii=False) for r in records], pa.string())
    if include_text:
        columns["text"] = pa.array([r["text"] for r in records], pa.string())
    pq.write_table(pa.table(columns), path)


def read_shards(out_dir: str | os.PathLike) -> Iterator[dict]:
    """The records of a shard folder, shard by shard in name order (input
    stem, then record number), as :func:`annotate_to_shards` wrote them;
    Parquet ``entities``/``relations``/``regimens``/``endpoints`` columns are
    decoded from JSON."""
    for path in sorted(Path(out_dir).iterdir()):
        if path.name.startswith(".") or not path.is_file():
            continue
        if path.suffix == ".jsonl":
            with open(path, encoding="utf-8") as handle:
                for line in handle:
                    if line.strip():
                        yield json.loads(line)
        elif path.suffix == ".parquet":
            import pyarrow.parquet as pq

            for row in pq.read_table(path).to_pylist():
                record = {"id": row["id"]}
                if "text" in row:
                    record["text"] = row["text"]
                for key in LIST_FIELDS:
                    if key in row:
                        record[key] = json.loads(row[key])
                yield record


def _remove_stale_temporaries(out_dir: Path) -> None:
    for path in out_dir.iterdir():
        if _TMP_PATTERN.match(path.name):
            path.unlink(missing_ok=True)


# ---------------------------------------------------------------------------
# The whole run


@dataclass
class ShardReport:
    """What :func:`annotate_to_shards` did: shards written (names), shards
    skipped by ``resume``, shards of partitions that failed (after retries;
    their shards are absent), records written and the error messages (records
    and failed partitions)."""

    shards: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    records: int = 0
    errors: list[str] = field(default_factory=list)


def local_cluster(n_workers: int | None = None, processes: bool = True, **kwargs):
    """A ``LocalCluster`` sized to this machine: one single-threaded worker
    process per CPU available (or ``n_workers``); its HTTP server (and
    dashboard, if bokeh is installed) on any free port."""
    from distributed import LocalCluster

    if n_workers is None:
        n_workers = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    kwargs.setdefault("dashboard_address", ":0")  # any free port: never a clash on 8787
    return LocalCluster(n_workers=n_workers, threads_per_worker=1, processes=processes, **kwargs)


def annotate_to_shards(
    paths: Sequence[str | os.PathLike],
    out_dir: str | os.PathLike,
    *,
    client=None,
    scheduler: str | None = None,
    n_workers: int | None = None,
    partition_size: int = DEFAULT_PARTITION_SIZE,
    shard_format: str = "jsonl",
    pipeline: str | None = None,
    loader: Callable | None = None,
    batch_size: int = 32,
    include_text: bool = False,
    resume: bool = False,
    retries: int = 2,
    full: bool = False,
) -> ShardReport:
    """Annotate JSONL/Parquet ``paths`` into shards in ``out_dir``.

    The cluster is ``client`` (a ``distributed.Client``), else the scheduler
    at ``scheduler`` (``tcp://host:8786``), else a :func:`local_cluster` of
    ``n_workers`` started and closed here.  ``retries`` reruns a partition
    whose task raised; a partition whose worker died is rerun by Dask itself
    (up to ``distributed.scheduler.allowed-failures`` times).

    Raises :class:`ValueError` for bad paths or options, and when ``out_dir``
    holds shards of the same inputs cut differently (the old ones would
    duplicate records; use a new folder or the same ``partition_size``).
    """
    if shard_format not in SHARD_FORMATS:
        raise ValueError(f"shard format must be one of {', '.join(SHARD_FORMATS)}")
    parts = plan_partitions(paths, partition_size)
    out = Path(out_dir).absolute()
    out.mkdir(parents=True, exist_ok=True)
    _check_foreign_shards(out, parts)
    _remove_stale_temporaries(out)
    report = ShardReport()
    todo = []
    for part in parts:
        if resume and shard_path(out, part, shard_format).exists():
            report.skipped.append(shard_path(out, part, shard_format).name)
        else:
            todo.append(part)
    if todo:
        options = dict(shard_format=shard_format, pipeline=pipeline, loader=loader,
                       batch_size=batch_size, include_text=include_text, full=full)
        for part, result in zip(todo, _run(todo, str(out), client, scheduler, n_workers, retries, options)):
            if isinstance(result, BaseException):
                report.failed.append(shard_path(out, part, shard_format).name)
                report.errors.append(f"{part.path}:{part.first}-{part.last}: partition failed "
                                     f"({type(result).__name__}: {result})")
                continue
            report.shards.append(result["shard"])
            report.records += result["records"]
            report.errors.extend(result["errors"])
    _remove_stale_temporaries(out)
    return report


def _check_foreign_shards(out: Path, parts: list[Partition]) -> None:
    expected = {part.name for part in parts}
    stems = {Path(part.path).stem for part in parts}
    shard_name = re.compile(r"^(?P<stem>.+)\.\d{8}-\d{8}$")
    for path in out.iterdir():
        if path.name.startswith(".") or path.suffix.lstrip(".") not in SHARD_FORMATS:
            continue
        match = shard_name.match(path.stem)
        if match and match["stem"] in stems and path.stem not in expected:
            raise ValueError(
                f"{path} is a shard of the same input cut into other partitions; "
                "use an empty output folder or the partition size of the earlier run"
            )


def _run(parts, out_dir, client, scheduler, n_workers, retries, options) -> list:
    """Each partition's result, or the exception that ended it."""
    from distributed import Client

    cluster = own_client = None
    try:
        if client is None:
            if scheduler is None:
                cluster = local_cluster(n_workers)
                own_client = Client(cluster)
            else:
                own_client = Client(scheduler)
            client = own_client
        run_id = uuid.uuid4().hex[:8]
        futures = [
            client.submit(annotate_partition, part, out_dir, retries=retries, key=f"extractor-{part.name}-{run_id}",
                          **options)
            for part in parts
        ]
        results = []
        for future in futures:
            try:
                results.append(future.result())
            except Exception as err:  # a partition that failed for good costs only itself
                results.append(err)
        return results
    finally:
        if own_client is not None:
            own_client.close()
        if cluster is not None:
            cluster.close()


# ---------------------------------------------------------------------------
# Bags and data frames


def _annotate_list(items, pipeline=None, loader=None, batch_size=32, include_text=False) -> list[dict]:
    nlp, lock = worker_pipeline(pipeline, loader)
    pairs = []
    for index, record in enumerate(items):
        source = str(record.get("id") or record.get("nct_id") or f"item {index}") if isinstance(record, dict) \
            else f"item {index}"
        pairs.append((source, record))
    with lock:
        return [
            {"id": out.source, "error": out.message} if isinstance(out, InputError) else out
            for out in annotate_records(nlp, pairs, batch_size, include_text)
        ]


def annotate_bag(bag, *, pipeline: str | None = None, loader: Callable | None = None,
                 batch_size: int = 32, include_text: bool = False):
    """A bag of raw records (``{"id", "text"}`` dicts, registry records, NLI4CT
    reports) to a bag of output records, partition by partition.  A record that
    cannot be annotated becomes ``{"id": ..., "error": message}``.  A record
    without ``id`` (or ``nct_id``) is named ``item N``, its position in its
    partition (single-process annotation names it ``file:line``)."""
    return bag.map_partitions(_annotate_list, pipeline=pipeline, loader=loader,
                              batch_size=batch_size, include_text=include_text)


def _annotate_frame(frame, pipeline=None, loader=None, batch_size=32):
    import pandas as pd
    import pyarrow as pa

    rows = pa.Table.from_pandas(frame, preserve_index=False).to_pylist() if len(frame) else []
    records = _annotate_list(rows, pipeline, loader, batch_size)
    return pd.DataFrame(
        {
            "id": [r["id"] for r in records],
            **{key: [r.get(key) for r in records] for key in LIST_FIELDS},
            "error": [r.get("error") for r in records],
        },
        index=frame.index,
        dtype=object,
    )


def annotate_dataframe(ddf, *, pipeline: str | None = None, loader: Callable | None = None, batch_size: int = 32):
    """A Dask data frame with one raw record per row (columns ``id`` and
    ``text``, or registry record columns as in ``dask.dataframe.read_parquet``
    of the corpus) to one with the same index and object columns ``id``,
    ``entities``, ``relations``, ``regimens``, ``endpoints`` (lists of dicts,
    as in the JSON records) and
    ``error`` (``None``, or why the row could not be annotated)."""
    import pandas as pd

    meta = pd.DataFrame({name: pd.Series(dtype=object) for name in ("id", *LIST_FIELDS, "error")})
    return ddf.map_partitions(_annotate_frame, pipeline=pipeline, loader=loader, batch_size=batch_size, meta=meta)
