"""Speed and memory of the extractor pipeline on real registry text.

    python evaluation/benchmark.py [--limit N] [--json OUT] [--skip-multiprocess] [--repeat R]

Everything is measured in one run on one machine, on the shipped sample
(``sample_ctgov.jsonl.gz``: 2,000 ClinicalTrials.gov records rendered with
``extractor.records.render_ctgov``; ``sample_nli4ct.jsonl.gz``: 200 trial
reports rendered with ``render_nli4ct``), so the figures can be compared with
each other; see ``evaluation/README.md`` for what each one means.

A *word* is a whitespace-separated word of the text (``len(text.split())``),
the same count for every pipeline, whatever its tokenizer makes of it.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CTGOV_SAMPLE = HERE / "sample_ctgov.jsonl.gz"
NLI4CT_SAMPLE = HERE / "sample_nli4ct.jsonl.gz"
DEFAULT_JSON = HERE / "benchmark.json"

# the acceptance thresholds of the performance issue (#9)
TARGETS = {
    "pipeline_vs_tokenizer": 0.35,  # full pipeline words/s over blank tokenizer words/s, one process
    "two_process_speedup": 1.7,  # words/s with n_process=2 over n_process=1
    "load_seconds": 2.0,  # imports + extractor.load() in a fresh interpreter
    "peak_rss_mb": 400.0,  # fresh interpreter running the pipeline over the sample
}


# ---- sample ----------------------------------------------------------------
def read_jsonl_gz(path: Path, limit: int | None = None):
    """The records of ``path``, one at a time (the sample's records, with all
    their fields, take more memory than the pipeline: never hold them all)."""
    count = 0
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            if limit is not None and count >= limit:
                break
            if line.strip():
                count += 1
                yield json.loads(line)


def sample_texts(limit: int | None = None) -> list[str]:
    from extractor.records import render_ctgov

    return [render_ctgov(record).text for record in read_jsonl_gz(CTGOV_SAMPLE, limit)]


def report_texts(limit: int | None = None) -> list[str]:
    from extractor.records import render_nli4ct

    return [render_nli4ct(record).text for record in read_jsonl_gz(NLI4CT_SAMPLE, limit)]


def count_words(texts: list[str]) -> int:
    return sum(len(text.split()) for text in texts)


# ---- timing ----------------------------------------------------------------
def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed_pass(run, texts: list[str], repeat: int) -> dict:
    """Best of ``repeat`` passes of ``run(texts)``: wall time, this process's
    CPU time, and the CPU time of the worker processes it waited for."""
    best: dict = {}
    for _ in range(repeat):
        wall, cpu, workers = time.perf_counter(), time.process_time(), children_cpu()
        run(texts)
        timing = {"seconds": time.perf_counter() - wall, "cpu_seconds": time.process_time() - cpu,
                  "worker_cpu_seconds": children_cpu() - workers}
        if not best or timing["seconds"] < best["seconds"]:
            best = timing
    return best


def consume(docs) -> int:
    count = 0
    for _ in docs:
        count += 1
    return count


def component_times(nlp, texts: list[str]) -> dict[str, float]:
    """CPU seconds spent in the tokenizer and in each pipe, one document at a
    time (what ``nlp.pipe`` does for components without a ``pipe`` method).
    Process CPU time rather than wall time, so that other processes on a
    shared machine do not blur the shares."""
    totals = {"tokenizer": 0.0}
    totals.update({name: 0.0 for name in nlp.pipe_names})
    clock = time.process_time
    for text in texts:
        start = clock()
        doc = nlp.make_doc(text)
        now = clock()
        totals["tokenizer"] += now - start
        for name, proc in nlp.pipeline:
            start = now
            doc = proc(doc)
            now = clock()
            totals[name] += now - start
    return totals


def fresh_python(code: str, *args: str) -> tuple[dict, float]:
    """Run ``code`` in a new interpreter; its last stdout line is JSON."""
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, cwd=ROOT, check=False
    )
    wall = time.perf_counter() - start
    if result.returncode != 0:
        raise RuntimeError(f"subprocess failed ({result.returncode}):\n{result.stderr[-2000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1]), wall


LOAD_CODE = """
import json, time
start, cpu = time.perf_counter(), time.process_time()
import {module}
nlp = {call}
print(json.dumps({{"seconds": time.perf_counter() - start, "cpu_seconds": time.process_time() - cpu}}))
"""

MEMORY_CODE = """
import json, resource, sys, time
sys.path.insert(0, {here!r})
import benchmark
limit = None if sys.argv[1] == "none" else int(sys.argv[1])
texts = benchmark.sample_texts(limit)
before = benchmark.peak_rss_kb()
import extractor
nlp = extractor.load()
start = time.perf_counter()
count = benchmark.consume(nlp.pipe(texts))
seconds = time.perf_counter() - start
print(json.dumps({{"docs": count, "seconds": seconds, "peak_rss_before_load_kb": before,
                  "peak_rss_kb": benchmark.peak_rss_kb(),
                  "ru_maxrss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}}))
"""


def peak_rss_kb() -> int:
    """Peak resident memory of this process, in kB.

    On Linux ``ru_maxrss`` of a process started by another carries over the
    parent's peak (the kernel folds the forked parent's high-water mark into
    the child's at ``exec``), so a child of this benchmark, which holds
    several pipelines, would report the benchmark's own peak.  ``VmHWM`` in
    ``/proc/self/status`` is the high-water mark of this process image only;
    ``ru_maxrss`` is used where there is no ``/proc``.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return maxrss // 1024 if sys.platform == "darwin" else maxrss  # macOS reports bytes


def measure_load(repeat: int) -> dict:
    """Median seconds from the first import to a ready pipeline, each in a
    fresh interpreter (interpreter start-up itself is reported apart)."""
    cases = {
        "extractor": LOAD_CODE.format(module="extractor", call="extractor.load()"),
        "blank_en": LOAD_CODE.format(module="spacy", call='spacy.blank("en")'),
    }
    out = {}
    for name, code in cases.items():
        inner, cpus, walls = [], [], []
        for _ in range(repeat):
            result, wall = fresh_python(code)
            inner.append(result["seconds"])
            cpus.append(result["cpu_seconds"])
            walls.append(wall)
        out[name] = {"seconds": statistics.median(inner), "cpu_seconds": statistics.median(cpus),
                     "process_wall_seconds": statistics.median(walls), "runs": inner}
    return out


def measure_memory(limit: int | None) -> dict:
    result, _ = fresh_python(MEMORY_CODE.format(here=str(HERE)), "none" if limit is None else str(limit))
    return {"peak_rss_mb": result["peak_rss_kb"] / 1024,
            "peak_rss_before_load_mb": result["peak_rss_before_load_kb"] / 1024,
            "ru_maxrss_mb": result["ru_maxrss_kb"] / (1024 * 1024 if sys.platform == "darwin" else 1024),
            "docs": result["docs"], "seconds": result["seconds"]}


# ---- machine ---------------------------------------------------------------
def machine() -> dict:
    import spacy

    import extractor

    cpu = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                                cwd=ROOT, check=False).stdout.strip() or None
    except OSError:
        commit = None
    info = {
        "cpu": cpu,
        "cpus": os.cpu_count(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "spacy": spacy.__version__,
        "extractor": extractor.__version__,
        "commit": commit,
    }
    if hasattr(os, "getloadavg"):
        info["load_average_at_start"] = [round(x, 2) for x in os.getloadavg()]
    try:
        meminfo = Path("/proc/meminfo").read_text().split("\n", 1)[0]
        info["memory_gb"] = round(int(meminfo.split()[1]) / 1024 / 1024, 1)
    except (OSError, ValueError, IndexError):
        pass
    return info


# ---- the run ---------------------------------------------------------------
def run(limit: int | None, repeat: int, multiprocess: bool, batch_size: int, progress=print) -> dict:
    import spacy

    import extractor

    result: dict = {"machine": machine()}
    texts = sample_texts(limit)
    reports = report_texts(None if limit is None else max(1, limit // 10))
    words = count_words(texts)
    result["sample"] = {"documents": len(texts), "words": words, "characters": sum(map(len, texts)),
                        "reports": len(reports), "report_words": count_words(reports)}
    progress(f"sample: {len(texts)} records, {words:,} words; {len(reports)} trial reports")

    rows: dict[str, dict] = {}

    def add(name: str, timing: dict, n_words: int) -> None:
        # CPU words/s counts the CPU time of this process and of its workers:
        # what the throughput would be with no waiting and no parallelism
        cpu = timing["cpu_seconds"] + timing["worker_cpu_seconds"]
        rows[name] = dict(timing, words=n_words, words_per_second=n_words / timing["seconds"],
                          cpu_words_per_second=n_words / cpu if cpu else None)
        progress(f"{name}: {rows[name]['words_per_second']:,.0f} words/s")

    # Every throughput pass below starts from a pipeline that has seen only
    # the same 50 warm-up texts: a tokenizer is faster on words its vocabulary
    # and cache already hold, so no pass may run on a pipeline an earlier
    # pass has warmed with the sample.
    def fresh(make):
        pipeline = make()
        consume(pipeline.pipe(texts[:50]))
        return pipeline

    blank = fresh(lambda: spacy.blank("en"))
    add("blank_en_tokenizer", timed_pass(lambda t: consume(blank.pipe(t, batch_size=batch_size)), texts, repeat), words)

    def trial_tokenizer():
        from extractor.tokenizer import make_trial_tokenizer

        pipeline = spacy.blank("en")
        pipeline.tokenizer = make_trial_tokenizer(pipeline)
        return pipeline

    trial = fresh(trial_tokenizer)
    add("extractor_tokenizer", timed_pass(lambda t: consume(trial.pipe(t, batch_size=batch_size)), texts, repeat),
        words)
    nlp = fresh(extractor.load)
    add("pipeline", timed_pass(lambda t: consume(nlp.pipe(t, batch_size=batch_size)), texts, repeat), words)
    reports_nlp = fresh(extractor.load)
    add("pipeline_trial_reports",
        timed_pass(lambda t: consume(reports_nlp.pipe(t, batch_size=batch_size)), reports, repeat),
        count_words(reports))

    shares = component_times(fresh(extractor.load), texts)
    total = sum(shares.values())
    result["components"] = {
        name: {"seconds": seconds, "share": seconds / total, "words_per_second": words / seconds if seconds else None}
        for name, seconds in shares.items()
    }
    progress("components: " + ", ".join(f"{n} {v['share']:.0%}" for n, v in result["components"].items()))

    if multiprocess:
        from extractor.annotate import annotate_records
        from extractor.inputs import InputDocument

        def pipe_records(pipeline, texts, n_process=1, batch_size=batch_size):
            documents = (InputDocument(str(i), text, "sample") for i, text in enumerate(texts))
            return annotate_records(pipeline, documents, batch_size=batch_size, n_process=n_process)

        def parallel(name: str, run) -> None:
            pipeline = fresh(extractor.load)
            add(name, timed_pass(lambda t: consume(run(pipeline, t)), texts, repeat), words)

        parallel("pipeline_n_process_2", lambda p, t: p.pipe(t, batch_size=batch_size, n_process=2))
        parallel("records_n_process_1", lambda p, t: pipe_records(p, t, batch_size=batch_size))
        parallel("records_n_process_2", lambda p, t: pipe_records(p, t, n_process=2, batch_size=batch_size))
    result["throughput"] = rows

    result["load"] = measure_load(3)
    progress(f"load: {result['load']['extractor']['seconds']:.2f} s")
    result["memory"] = measure_memory(limit)
    progress(f"peak memory: {result['memory']['peak_rss_mb']:.0f} MB")

    ratio = rows["pipeline"]["words_per_second"] / rows["blank_en_tokenizer"]["words_per_second"]
    cpu_ratio = rows["pipeline"]["cpu_words_per_second"] / rows["blank_en_tokenizer"]["cpu_words_per_second"]
    checks = {
        "pipeline_vs_tokenizer": {"value": ratio, "target": f">= {TARGETS['pipeline_vs_tokenizer']}",
                                  "ok": ratio >= TARGETS["pipeline_vs_tokenizer"], "cpu_time_ratio": cpu_ratio},
        "load_seconds": {"value": result["load"]["extractor"]["seconds"], "target": f"< {TARGETS['load_seconds']}",
                         "ok": result["load"]["extractor"]["seconds"] < TARGETS["load_seconds"]},
        "peak_rss_mb": {"value": result["memory"]["peak_rss_mb"], "target": f"< {TARGETS['peak_rss_mb']:.0f}",
                        "ok": result["memory"]["peak_rss_mb"] < TARGETS["peak_rss_mb"]},
    }
    if multiprocess:
        for name, two, one in (("two_process_speedup", "records_n_process_2", "records_n_process_1"),
                               ("two_process_speedup_docs", "pipeline_n_process_2", "pipeline")):
            speedup = rows[two]["words_per_second"] / rows[one]["words_per_second"]
            checks[name] = {"value": speedup, "target": f">= {TARGETS['two_process_speedup']}",
                            "ok": speedup >= TARGETS["two_process_speedup"]}
            # the best a 2-CPU machine with nothing else running could do: the
            # total CPU work spread over both CPUs, but no less than the parent's
            one_cpu = rows[one]["cpu_seconds"] + rows[one]["worker_cpu_seconds"]
            two_cpu = rows[two]["cpu_seconds"] + rows[two]["worker_cpu_seconds"]
            checks[name]["idle_machine_bound"] = one_cpu / max(two_cpu / 2, rows[two]["cpu_seconds"])
    result["checks"] = checks
    if hasattr(os, "getloadavg"):
        result["machine"]["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    result["settings"] = {"limit": limit, "repeat": repeat, "batch_size": batch_size,
                          "peak_rss_self_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}
    return result


def format_table(result: dict) -> str:
    lines = []
    m = result["machine"]
    lines.append(f"machine: {m['cpu']}, {m['cpus']} CPUs, {m.get('memory_gb', '?')} GB, {m['platform']}, "
                 f"Python {m['python']}, spaCy {m['spacy']}, extractor {m['extractor']} ({m['commit']}), "
                 f"load average {m.get('load_average_at_start')} -> {m.get('load_average_at_end')}")
    s = result["sample"]
    lines.append(f"sample: {s['documents']} registry records ({s['words']:,} words, {s['characters']:,} chars), "
                 f"{s['reports']} trial reports ({s['report_words']:,} words)")
    lines.append("")
    lines.append(f"{'throughput':<28}{'words/s':>12}{'CPU words/s':>14}{'seconds':>10}{'CPU s':>8}{'workers CPU s':>15}")
    for name, row in result["throughput"].items():
        cpu = f"{row['cpu_words_per_second']:,.0f}" if row.get("cpu_words_per_second") else "-"
        lines.append(f"{name:<28}{row['words_per_second']:>12,.0f}{cpu:>14}{row['seconds']:>10.2f}"
                     f"{row['cpu_seconds']:>8.2f}{row['worker_cpu_seconds']:>15.2f}")
    lines.append("")
    lines.append(f"{'component (one process)':<28}{'words/s':>12}{'share':>8}{'seconds':>10}")
    for name, row in result["components"].items():
        wps = f"{row['words_per_second']:,.0f}" if row["words_per_second"] else "-"
        lines.append(f"{name:<28}{wps:>12}{row['share']:>8.1%}{row['seconds']:>10.2f}")
    lines.append("")
    load = result["load"]
    lines.append(f"load, fresh interpreter (imports + load): extractor {load['extractor']['seconds']:.2f} s "
                 f"(CPU {load['extractor']['cpu_seconds']:.2f} s; whole process "
                 f"{load['extractor']['process_wall_seconds']:.2f} s); spacy.blank('en') "
                 f"{load['blank_en']['seconds']:.2f} s (CPU {load['blank_en']['cpu_seconds']:.2f} s)")
    lines.append(f"peak resident memory, fresh interpreter running the pipeline over the sample: "
                 f"{result['memory']['peak_rss_mb']:.0f} MB ({result['memory']['peak_rss_before_load_mb']:.0f} MB "
                 f"with the rendered sample read, before importing extractor)")
    lines.append("")
    for name, check in result["checks"].items():
        bound = f"  (idle-machine bound {check['idle_machine_bound']:.2f})" if "idle_machine_bound" in check else ""
        if "cpu_time_ratio" in check:
            bound = f"  (in CPU time {check['cpu_time_ratio']:.2f})"
        lines.append(f"{name:<26}{check['value']:>8.2f}  target {check['target']:<8} "
                     f"{'ok' if check['ok'] else 'MISSED'}{bound}")
    return "\n".join(lines)


def profile(limit: int | None, out: Path, top: int = 30) -> str:
    """cProfile of one pipeline pass over the sample: stats saved to ``out``
    (for ``python -m pstats`` or snakeviz), the top functions returned."""
    import cProfile
    import io
    import pstats

    import extractor

    texts = sample_texts(limit)
    nlp = extractor.load()
    consume(nlp.pipe(texts[:50]))
    profiler = cProfile.Profile()
    profiler.runcall(lambda: consume(nlp.pipe(texts)))
    profiler.dump_stats(str(out))
    buffer = io.StringIO()
    stats = pstats.Stats(profiler, stream=buffer)
    stats.sort_stats("tottime").print_stats(top)
    stats.sort_stats("cumulative").print_stats(top)
    return buffer.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--limit", type=int, default=None, help="use only the first N registry records")
    parser.add_argument("--json", type=Path, default=DEFAULT_JSON, help=f"output file (default {DEFAULT_JSON.name})")
    parser.add_argument("--skip-multiprocess", action="store_true", help="skip the n_process=2 pass")
    parser.add_argument("--repeat", type=int, default=1, help="passes per throughput figure; the best is kept")
    parser.add_argument("--batch-size", type=int, default=64, help="nlp.pipe batch size")
    parser.add_argument("--profile", type=Path, default=None, metavar="OUT",
                        help="instead of the benchmark, profile one pipeline pass (cProfile stats to OUT)")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    if args.profile is not None:
        print(profile(args.limit, args.profile))
        return 0
    result = run(args.limit, max(1, args.repeat), not args.skip_multiprocess, args.batch_size,
                 progress=lambda msg: print(msg, file=sys.stderr, flush=True))
    print(format_table(result))
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
