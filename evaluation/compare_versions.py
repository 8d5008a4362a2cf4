"""CPU time of each pipeline component, for several checkouts of the project,
measured interleaved on one machine (issue #9: is a change faster or slower?).

    python evaluation/compare_versions.py [--rounds R] [--limit N] NAME=CHECKOUT [NAME=CHECKOUT ...]

Each CHECKOUT is a directory holding an ``extractor`` package (a git
worktree, or ``git archive REV | tar -x -C DIR``).  One worker process per
checkout imports the package from there (``PYTHONPATH=CHECKOUT``), loads the
pipeline once and renders the first ``--limit`` records of
``sample_ctgov.jsonl.gz`` with that checkout's ``render_ctgov``.  Then, for
``--rounds`` rounds, each worker in turn runs the tokenizer and every pipe
one document at a time over all the texts (as ``benchmark.component_times``
does) and reports the process CPU time of each; the order of the workers
rotates and reverses from round to round, so a busy spell of a shared
machine falls on all of them.  The table gives, per component, the best
round and the median round of each checkout, and their ratios to the first.

The workers run the same texts every round: the tokenizer's cache and the
vocabulary are warm after the first round, so the figures leave out the cost
of unseen words (``benchmark.py`` measures that).
"""

from __future__ import annotations

import argparse
import gzip
import itertools
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

SAMPLE = Path(__file__).resolve().parent / "sample_ctgov.jsonl.gz"


def worker(limit: int) -> None:
    """Answer each input line with one JSON line of component CPU seconds."""
    import extractor
    from extractor.records import render_ctgov

    with gzip.open(SAMPLE, "rt", encoding="utf-8") as handle:
        texts = [render_ctgov(json.loads(line)).text for line in itertools.islice(handle, limit)]
    nlp = extractor.load()
    print(json.dumps({"package": extractor.__file__, "words": sum(len(t.split()) for t in texts)}), flush=True)
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from benchmark import component_times  # this checkout's timer, the other's package

    for _ in sys.stdin:
        begin = time.process_time()
        totals = component_times(nlp, texts)
        totals["total"] = time.process_time() - begin
        print(json.dumps(totals), flush=True)


def compare(versions: list[tuple[str, str]], rounds: int, limit: int) -> dict:
    procs = {}
    words = 0
    for name, path in versions:
        env = dict(os.environ, PYTHONPATH=str(Path(path).resolve()))
        procs[name] = subprocess.Popen(
            [sys.executable, str(Path(__file__).resolve()), "--worker", "--limit", str(limit)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env, cwd="/")
        info = json.loads(procs[name].stdout.readline())
        words = info["words"]
    names = [name for name, _ in versions]
    runs: dict[str, dict[str, list[float]]] = {name: {} for name in names}
    try:
        for round_ in range(rounds):
            order = names[round_ % len(names):] + names[:round_ % len(names)]
            for name in (order[::-1] if round_ % 2 else order):
                procs[name].stdin.write("go\n")
                procs[name].stdin.flush()
                for component, seconds in json.loads(procs[name].stdout.readline()).items():
                    runs[name].setdefault(component, []).append(seconds)
    finally:
        for proc in procs.values():
            proc.stdin.close()
            proc.wait()
    return {"words": words, "rounds": rounds, "runs": runs}


def format_table(result: dict) -> str:
    runs = result["runs"]
    names = list(runs)
    base = names[0]
    lines = [f"{result['words']} words, {result['rounds']} interleaved rounds; CPU seconds, best round (median round)",
             f"{'component':22s}" + "".join(f"{name:>20s}" for name in names)
             + "".join(f"{name + '/' + base:>18s}" for name in names[1:])]
    for component in runs[base]:
        row = f"{component:22s}"
        row += "".join(f"{min(runs[n][component]):9.3f} ({statistics.median(runs[n][component]):6.3f})  " for n in names)
        row += "".join(f"{min(runs[n][component]) / min(runs[base][component]):11.3f} "
                       f"({statistics.median(runs[n][component]) / statistics.median(runs[base][component]):4.2f})"
                       for n in names[1:])
        lines.append(row)
    lines.append("words/s, best round: " + ", ".join(
        f"{n} {result['words'] / min(runs[n]['total']):,.0f}" for n in names))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("versions", nargs="*", help="NAME=CHECKOUT (the first is the baseline)")
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--limit", type=int, default=500)
    parser.add_argument("--json", help="also write every round's figures here")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        worker(args.limit)
        return 0
    versions = []
    for spec in args.versions:
        name, sep, path = spec.partition("=")
        if not sep or not (Path(path) / "extractor" / "__init__.py").is_file():
            parser.error(f"{spec!r}: expected NAME=CHECKOUT, a directory holding extractor/__init__.py")
        versions.append((name, path))
    if not versions:
        parser.error("give at least one NAME=CHECKOUT")
    result = compare(versions, args.rounds, args.limit)
    print(format_table(result))
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
