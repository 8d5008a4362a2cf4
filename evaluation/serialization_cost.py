"""What sending a Doc between processes costs, next to the pipeline's own work
(issue #9: ``nlp.pipe(n_process=2)`` barely beats one process).

    python evaluation/serialization_cost.py [--limit N] [--rounds R]

spaCy's multiprocessing sends each Doc from the worker with
``Doc.to_bytes()`` and rebuilds it in the parent with ``Doc.from_bytes()``.
This script runs the pipeline over the first ``--limit`` sample records and
reports, in CPU milliseconds per document (median of ``--rounds``):

- the pipeline itself (one document at a time);
- ``Doc.to_bytes()`` and ``Doc.from_bytes()`` of its output;
- how many msgpack packings and unpackings one round trip makes (counted
  with ``cProfile``, which counts calls exactly), and what one lookup of
  srsly's msgpack encoder and decoder registries costs: srsly builds a new
  ``Packer``/``Unpacker`` per call, and each asks ``catalogue`` for all
  registered encoders, which scans every installed package's entry points
  and catalogue's whole registry; the estimated share of the round trip
  spent on those lookups.

Nothing is changed or patched; the figures only describe where the time goes.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import statistics
import sys
import time
from pathlib import Path


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--limit", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import benchmark
    import extractor
    from spacy.tokens import Doc
    from srsly.msgpack import msgpack_decoders, msgpack_encoders

    texts = benchmark.sample_texts(args.limit)
    nlp = extractor.load()
    docs = [nlp(text) for text in texts]  # also warms the vocabulary
    payloads = [doc.to_bytes() for doc in docs]

    def cpu(function) -> float:
        begin = time.process_time()
        function()
        return time.process_time() - begin

    rows = {"pipeline": [], "to_bytes": [], "from_bytes": [], "encoders": [], "decoders": []}
    for _ in range(args.rounds):
        rows["pipeline"].append(cpu(lambda: [nlp(text) for text in texts]))
        rows["to_bytes"].append(cpu(lambda: [doc.to_bytes() for doc in docs]))
        rows["from_bytes"].append(cpu(lambda: [Doc(nlp.vocab).from_bytes(data) for data in payloads]))
        # one registry lookup of each kind per document, timed like the rest
        rows["encoders"].append(cpu(lambda: [msgpack_encoders.get_all() for _doc in docs]))
        rows["decoders"].append(cpu(lambda: [msgpack_decoders.get_all() for _doc in docs]))
    per_doc = {name: 1000 * statistics.median(values) / len(texts) for name, values in rows.items()}
    lookup_encoders, lookup_decoders = per_doc.pop("encoders"), per_doc.pop("decoders")

    profile = cProfile.Profile()
    profile.enable()
    for doc, data in zip(docs, payloads):
        doc.to_bytes()
        Doc(nlp.vocab).from_bytes(data)
    profile.disable()
    calls = {"packb": 0, "unpackb": 0}
    for (filename, _line, name), (_cc, count, *_rest) in pstats.Stats(profile).stats.items():
        if "srsly" in filename and name in calls:
            calls[name] += count
    packs, unpacks = calls["packb"] / len(docs), calls["unpackb"] / len(docs)
    lookups = packs * lookup_encoders + unpacks * lookup_decoders
    round_trip = per_doc["to_bytes"] + per_doc["from_bytes"]

    words = sum(len(text.split()) for text in texts)
    print(f"{len(texts)} records, {words:,} words; CPU ms per document, median of {args.rounds} rounds")
    for name, value in per_doc.items():
        print(f"  {name:<12} {value:7.2f}")
    print(f"  round trip   {round_trip:7.2f}  ({round_trip / per_doc['pipeline']:.0%} of the pipeline)")
    print(f"msgpack calls per document: {packs:.1f} packb (worker), {unpacks:.1f} unpackb (parent)")
    print(f"one registry lookup: encoders {lookup_encoders:.3f} ms, decoders {lookup_decoders:.3f} ms")
    print(f"registry lookups per round trip: {lookups:.2f} ms ({lookups / round_trip:.0%} of the round trip)")


if __name__ == "__main__":
    main()
