#!/usr/bin/env python3
"""Canonical JSON of stored payloads: the fenced C encoder against the public encoder.

    python benchmarks/encoder_bench.py            # one line: microseconds per record, ratio
    python benchmarks/encoder_bench.py --json     # ... and a one-line JSON summary

The write path encodes every record with ``dautu_core/_fenced/json_c_encoder.py`` (CPython's
``json.encoder.c_make_encoder`` called directly); ``json.JSONEncoder.encode`` gives the same
text. This measures both in the same process on the payloads ``storage_bench.py`` writes
(10 events per project), so the fence is kept only while it is faster. Not a test: timings
depend on the machine; the ratio is what to compare.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import storage_bench

from dautu_core import codec
from dautu_core._fenced.json_c_encoder import uses_c_encoder


def best(encode: Callable[[Any], str], payloads: Sequence[Any], repeat: int) -> float:
    """The fastest of ``repeat`` passes over ``payloads``, in seconds."""
    fastest = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        for payload in payloads:
            encode(payload)
        fastest = min(fastest, time.perf_counter() - start)
    return fastest


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--json", action="store_true", help="print a final JSON summary line")
    args = parser.parse_args(argv)
    payloads = [
        codec.event_to_data(event)
        for n in range(args.projects)
        for event in storage_bench.project_life(f"DA-{n:05d}", 10)
    ]
    fenced = best(codec._canonical_text, payloads, args.repeat)
    public = best(codec._CANONICAL.encode, payloads, args.repeat)
    per = 1e6 / len(payloads)
    print(
        f"{len(payloads)} payloads: fenced C encoder {fenced * per:.2f} us, public "
        f"JSONEncoder.encode {public * per:.2f} us; public / fenced = {public / fenced:.2f}x"
        f" (fast path taken: {uses_c_encoder(codec._CANONICAL)})"
    )
    if args.json:
        summary = {
            "records": len(payloads),
            "fenced_us": round(fenced * per, 3),
            "public_us": round(public * per, 3),
            "ratio_public_to_fenced": round(public / fenced, 3),
        }
        print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
