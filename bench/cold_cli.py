#!/usr/bin/env python3
"""Cold command-line calls, measured side by side: wall time from process start to exit (median
of N runs) and peak RSS, for gapi and for the equivalent Python google-api-python-client script.

    python3 bench/cold_cli.py [--runs 40]          (bench/run.sh calls it with the right env)

Needs: target/release/gapi, a running `gapi emulator` at $EMU (for the real-call rows) and a
gapi config folder at $GAPI_CONFIG_DIR holding credentials for it, $PY (a python with
google-api-python-client 2.202.0) for the Python rows.
"""
import argparse, os, statistics, subprocess, sys, time

def measure(cmd, runs, env):
    times = []
    for i in range(runs + 2):
        # posix_spawn (vfork + exec): no copy of this Python process is made, so the time is
        # the child's. (Its ru_maxrss would still count this process's pages, shared before
        # exec: peak RSS is measured through /usr/bin/time instead, see peak_rss.)
        devnull = os.open(os.devnull, os.O_WRONLY)
        actions = [(os.POSIX_SPAWN_DUP2, devnull, 1), (os.POSIX_SPAWN_DUP2, devnull, 2)]
        t0 = time.perf_counter()
        pid = os.posix_spawn(cmd[0], cmd, env, file_actions=actions)
        _, status, usage = os.wait4(pid, 0)
        dt = time.perf_counter() - t0
        os.close(devnull)
        if os.waitstatus_to_exitcode(status) != 0:
            sys.exit(f"command failed: {' '.join(cmd)} (run it by hand to see why)")
        if i >= 2:  # two warm-up runs fill the page cache
            times.append(dt * 1000)
    return statistics.median(times), peak_rss(cmd, env)

def peak_rss(cmd, env, runs=5):
    """Median peak RSS in MiB, as GNU time reports it (a small C parent, so it is the child's)."""
    out = []
    for _ in range(runs):
        r = subprocess.run(["/usr/bin/time", "-f", "%M"] + cmd, env=env, stdout=subprocess.DEVNULL,
                           stderr=subprocess.PIPE, text=True, check=True)
        out.append(int(r.stderr.strip().splitlines()[-1]) / 1024)
    return statistics.median(out)

def gapi_binary():
    """target/release/gapi, or $GAPI_BIN (to measure another build beside it)."""
    return os.path.abspath(os.environ.get("GAPI_BIN", "target/release/gapi"))

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=40)
    a = ap.parse_args()
    gapi = gapi_binary()
    emu = os.environ["EMU"]
    py = os.environ.get("PY", sys.executable)
    env = dict(os.environ)
    rows = [
        ("gapi drive files list --dry-run", [gapi, "drive", "files", "list", "-p", "pageSize=5",
                                             "-p", "orderBy=modifiedByMeTime desc", "--dry-run"]),
        ("gapi drive files list (real call, emulator)", [gapi, "drive", "files", "list", "-p", "pageSize=5",
                                             "-p", "orderBy=modifiedByMeTime desc", "--endpoint", emu + "/"]),
        ("gapi __complete drive files list -p corpus= (one Tab)", [gapi, "__complete", "drive", "files",
                                             "list", "-p", "corpus="]),
        ("gapi __complete dri (one Tab, API names)", [gapi, "__complete", "dri"]),
        ("python: build + files().list() request object", [py, "-c",
            "from googleapiclient.discovery import build\n"
            "s = build('drive', 'v3', developerKey='k', static_discovery=True)\n"
            "r = s.files().list(pageSize=5, orderBy='modifiedByMeTime desc')\n"]),
        ("python: build + files().list().execute() (emulator)", [py, os.path.join(os.path.dirname(__file__), "py_list_once.py")]),
    ]
    gws = os.environ.get("GWS")
    if gws:
        # gws offline: its own HOME with Drive's document (rootUrl = the emulator) in its cache,
        # and the emulator's token as-is (see ../shared/peers/README.md).
        home = os.environ["GWS_HOME"]
        genv = dict(env, HOME=home, GOOGLE_WORKSPACE_CLI_TOKEN=os.environ["TOKEN"])
        rows[2:2] = [
            ("gws drive files list --dry-run", [gws, "drive", "files", "list", "--params",
                '{"pageSize":5,"orderBy":"modifiedByMeTime desc"}', "--dry-run"], genv),
            ("gws drive files list (real call, emulator)", [gws, "drive", "files", "list", "--params",
                '{"pageSize":5,"orderBy":"modifiedByMeTime desc"}'], genv),
        ]
    print(f"| command | median wall ms | median peak RSS MiB |  (N={a.runs})")
    print("|---|---|---|")
    for row in rows:
        name, cmd = row[0], row[1]
        ms, mib = measure(cmd, a.runs, row[2] if len(row) > 2 else env)
        print(f"| {name} | {ms:.2f} | {mib:.1f} |", flush=True)

if __name__ == "__main__":
    main()
