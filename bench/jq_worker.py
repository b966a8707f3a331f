#!/usr/bin/env python3
"""What `--jq` costs: start the `gapi __jq-worker` child, compile a program, run it over one
small input, N times; prints the median and minimum. Needs a build (cargo build).

usage: N=15 bench/jq_worker.py [GAPI_BINARY]
"""

import os
import struct
import subprocess
import sys
import time

gapi = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..", "target", "debug", "gapi")
n = int(os.environ.get("N", "15"))


def frame(b):
    return struct.pack("<Q", len(b)) + b


data = frame(b".a") + frame(b'{"a": 1}')
times = []
for _ in range(n):
    start = time.perf_counter()
    out = subprocess.run([gapi, "__jq-worker"], input=data, capture_output=True, check=True).stdout
    times.append(time.perf_counter() - start)
    assert out.endswith(b"1\n"), out
times.sort()
print(f"jq worker start+compile+run, {n} runs: median {times[n // 2] * 1000:.1f} ms, "
      f"min {times[0] * 1000:.1f} ms")
