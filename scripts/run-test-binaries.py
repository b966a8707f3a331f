#!/usr/bin/env python3
"""Runs the test binaries `cargo test` would run, two at a time, then the doc tests.

    scripts/run-test-binaries.py BUILD_JSON OUTPUT [CARGO_TEST_ARGS...]

BUILD_JSON is what `cargo test --no-run --message-format=json-render-diagnostics` printed on
stdout: its compiler artifacts name every test executable and the package it belongs to.

Why not `cargo test`: it runs one test binary at a time and holds the build directory's lock
while it does, so a second `cargo test` cannot run beside it. Each binary's last minute is a
few slow tests on one core (a Python peer, a soak, a walk of every document) while the other
core idles; on two cores, two binaries side by side keep both busy. Each binary is run as
cargo runs it: from its package's folder, with cargo's CARGO_* variables, and its own default
of threads. Longest first (by the previous run's times, else by how many tests each holds), so
the long ones do not end up last. Every binary runs even when one fails (cargo's --no-fail-fast); each
one's output is printed whole when it ends, and all of it is written to OUTPUT in a fixed order
(the summary line reads `test result:` lines from it). The doc tests are compiled by rustdoc,
so they go through `cargo test --doc` (CARGO_TEST_ARGS selects the packages), after the others.
Exit status: 0 when everything passed, else 1.
"""

import json
import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

LANES = 2


def binaries(build_json):
    """(label, executable, package folder, package name, version) for each test binary."""
    out = []
    seen = set()
    with open(build_json) as f:
        for line in f:
            try:
                msg = json.loads(line)
            except json.JSONDecodeError:
                continue
            if msg.get("reason") != "compiler-artifact" or not msg.get("executable"):
                continue
            target = msg["target"]
            # What `cargo test` (no target flags) runs: targets marked `test` (libs, bins,
            # integration tests, examples with `test = true`) built in test mode; not benches.
            if not (msg["profile"]["test"] and target.get("test")) or "bench" in target["kind"]:
                continue
            exe = msg["executable"]
            if exe in seen:
                continue
            seen.add(exe)
            folder = os.path.dirname(msg["manifest_path"])
            pkg_id = msg["package_id"]
            name, version = package_name_version(pkg_id, folder)
            kind = "/".join(target["kind"])
            out.append((f"{name} {kind} {target['name']}", exe, folder, name, version))
    return out


def package_name_version(pkg_id, folder):
    """The package's name and version from its id (`path+file:///...#name@0.1.0` or
    `path+file:///.../name#0.1.0`)."""
    tail = pkg_id.rsplit("#", 1)[-1]
    if "@" in tail:
        name, version = tail.split("@", 1)
    else:
        name, version = os.path.basename(folder), tail
    return name, version


def count_tests(job):
    """How many tests a binary holds (`--list`), for ordering a first run."""
    _, exe, folder, _, _ = job
    listed = subprocess.run(
        [exe, "--list", "--format", "terse"], cwd=folder, capture_output=True, text=True
    )
    return sum(1 for line in listed.stdout.splitlines() if line.endswith(": test"))


def run_one(job):
    label, exe, folder, name, version = job
    env = dict(os.environ)
    env.update(
        {
            "CARGO_MANIFEST_DIR": folder,
            "CARGO_PKG_NAME": name,
            "CARGO_PKG_VERSION": version,
            "CARGO_CRATE_NAME": name.replace("-", "_"),
        }
    )
    start = time.monotonic()
    proc = subprocess.run(
        [exe], cwd=folder, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    took = time.monotonic() - start
    text = f"     Running {label} ({os.path.relpath(exe)})\n" + proc.stdout.decode(
        "utf-8", "replace"
    )
    print(text + f"     ({label}: {took:.1f}s, exit {proc.returncode})", flush=True)
    return label, text, proc.returncode, took


def main():
    build_json, output, cargo_args = sys.argv[1], sys.argv[2], sys.argv[3:]
    jobs = binaries(build_json)
    if not jobs:
        print(f"no test binaries in {build_json}", file=sys.stderr)
        return 1
    times_file = os.path.join(os.path.dirname(output), "test-binary-times.json")
    try:
        with open(times_file) as f:
            times = json.load(f)
    except (OSError, ValueError):
        times = {}
    # Longest first: by the previous run's times, else (a clean clone) by how many tests a
    # binary holds, which puts gapi-cli's first.
    expected = {j[0]: times.get(j[0]) or count_tests(j) for j in jobs}
    jobs.sort(key=lambda j: (-expected[j[0]], j[0]))
    with ThreadPoolExecutor(max_workers=LANES) as pool:
        results = list(pool.map(run_one, jobs))
    doc = subprocess.run(
        ["cargo", "test", "--doc", "--locked", "--no-fail-fast", *cargo_args],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    doc_text = doc.stdout.decode("utf-8", "replace")
    print(doc_text, flush=True)
    with open(output, "w") as f:
        for _, text, _, _ in sorted(results):
            f.write(text)
        f.write(doc_text)
    with open(times_file, "w") as f:
        json.dump({label: round(took, 1) for label, _, _, took in results}, f, indent=1)
    failed = [label for label, _, code, _ in results if code != 0]
    if doc.returncode != 0:
        failed.append("doc tests")
    for label in failed:
        print(f"FAILED: {label}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
