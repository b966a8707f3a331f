#!/usr/bin/env python3
"""Cold command-line calls, measured side by side: wall time from process start to exit (median
of N runs) and peak RSS, for gapi and for the equivalent Python google-api-python-client script.

    python3 bench/cold_cli.py [--runs 40]          (bench/run.sh calls it with the right env)
    python3 bench/cold_cli.py --credentials [--runs 40]   (cold calls by credential type, below)
    GAPI_BEFORE=/tmp/gapi-main bench/run.sh cold   (adds rows for another build, in the same run)

Needs: target/dist/gapi (else target/release/gapi; $GAPI_BIN overrides), a running `gapi emulator` at $EMU (for the real-call rows) and a
gapi config folder at $GAPI_CONFIG_DIR holding credentials for it, $PY (a python with
google-api-python-client 2.202.0) for the Python rows.
"""
import argparse, json, os, statistics, subprocess, sys, tempfile, time, urllib.request

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
    """$GAPI_BIN (bench/run.sh sets the dist build), else target/dist/gapi when it was built
    (`cargo build --profile dist`: what packagers ship), else target/release/gapi."""
    if "GAPI_BIN" in os.environ:
        return os.path.abspath(os.environ["GAPI_BIN"])
    dist = os.path.abspath("target/dist/gapi")
    return dist if os.path.exists(dist) else os.path.abspath("target/release/gapi")

def measure_cpu(cmd, runs, env):
    """Median wall ms and median CPU ms (user + system, from wait4) of the process, as measure()
    spawns it; CPU time is what a shared machine disturbs least."""
    wall, cpu = [], []
    for i in range(runs + 2):
        devnull = os.open(os.devnull, os.O_WRONLY)
        actions = [(os.POSIX_SPAWN_DUP2, devnull, 1), (os.POSIX_SPAWN_DUP2, devnull, 2)]
        t0 = time.perf_counter()
        pid = os.posix_spawn(cmd[0], cmd, env, file_actions=actions)
        _, status, usage = os.wait4(pid, 0)
        dt = time.perf_counter() - t0
        os.close(devnull)
        if os.waitstatus_to_exitcode(status) != 0:
            sys.exit(f"command failed: {' '.join(cmd)} (run it by hand to see why)")
        if i >= 2:
            wall.append(dt * 1000)
            cpu.append((usage.ru_utime + usage.ru_stime) * 1000)
    return statistics.median(wall), statistics.median(cpu)

def emulator_requests(emu, after=0):
    """(method, path) of the requests the emulator logged with an id above `after`, and the
    highest id (its control API's own requests are not logged)."""
    with urllib.request.urlopen(emu + "/__emulator/requests") as r:
        entries = json.load(r)["requests"]
    new = [e for e in entries if e["id"] > after]
    return [(e["method"], e["path"]) for e in new], max([after] + [e["id"] for e in entries])

def issue_token(emu, email, scopes):
    req = urllib.request.Request(emu + "/__emulator/tokens/issue", method="POST",
                                 headers={"content-type": "application/json"},
                                 data=json.dumps({"email": email, "scopes": scopes}).encode())
    with urllib.request.urlopen(req) as r:
        return json.load(r)["access_token"]

def user_config(dir, emu, token, scopes):
    """A gapi config folder whose default profile is a stored user token valid for an hour."""
    os.makedirs(os.path.join(dir, "credentials"), exist_ok=True)
    path = os.path.join(dir, "credentials", "default.json")
    expiry = time.strftime("%Y-%m-%dT%H:%M:%S.000000Z", time.gmtime(time.time() + 3600))
    with open(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w") as f:
        json.dump({"type": "authorized_user", "client_id": "gapi-emulator.apps.googleusercontent.com",
                   "client_secret": "emulator-client-secret", "refresh_token": "unused-in-this-benchmark",
                   "token": token, "expiry": expiry, "token_uri": emu + "/token", "scopes": scopes,
                   "account": "alice@example.com"}, f)
    return dir

def credentials(runs):
    """Issue 10: a cold call with a service-account key (and through impersonation) beside the
    same call with a user's stored token. Starts its own emulator (`gapi emulator
    --write-service-account-key`), so the requests each call makes can be counted from the
    emulator's request log: a service account costs exactly one token request more."""
    gapi = gapi_binary()
    work = tempfile.mkdtemp(prefix="gapi-cred-bench-")
    key = os.path.join(work, "robot.json")
    out = open(os.path.join(work, "emu.out"), "w+")
    emu_proc = subprocess.Popen([gapi, "emulator", "--addr", "127.0.0.1:0",
                                 "--write-service-account-key", key],
                                stdout=out, stderr=subprocess.DEVNULL, env=dict(os.environ, GAPI_CONFIG_DIR=work))
    try:
        for _ in range(200):
            out.seek(0)
            line = out.readline().strip()
            if line.startswith("http") and os.path.exists(key):
                break
            time.sleep(0.05)
        emu = line
        drive, cloud = "https://www.googleapis.com/auth/drive", "https://www.googleapis.com/auth/cloud-platform"
        base = {k: v for k, v in os.environ.items()
                if k not in ("GOOGLE_APPLICATION_CREDENTIALS", "GAPI_ACCESS_TOKEN", "GAPI_API_KEY",
                             "GAPI_IMPERSONATE_SERVICE_ACCOUNT", "GAPI_CONFIG_DIR")}
        home = os.path.join(work, "home")
        os.makedirs(home)
        base.update(HOME=home, CLOUDSDK_CONFIG=home)  # no gcloud ADC file to find
        user = dict(base, GAPI_CONFIG_DIR=user_config(os.path.join(work, "user"), emu,
                                                      issue_token(emu, "alice@example.com", [drive]), [drive]))
        sa_env = dict(base, GAPI_CONFIG_DIR=os.path.join(work, "empty"), GOOGLE_APPLICATION_CREDENTIALS=key)
        profile = dict(base, GAPI_CONFIG_DIR=os.path.join(work, "activated"))
        subprocess.run([gapi, "auth", "activate-service-account", "--key-file", key], env=profile,
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        imp = dict(base, GAPI_CONFIG_DIR=user_config(os.path.join(work, "imp"), emu,
                                                     issue_token(emu, "alice@example.com", [cloud]), [cloud]),
                   GAPI_IAM_ENDPOINT=emu + "/_/iamcredentials/v1/")
        call = [gapi, "drive", "files", "list", "-p", "pageSize=5", "-p", "orderBy=modifiedByMeTime desc",
                "--endpoint", emu + "/"]
        rows = [
            ("stored user token (profile)", call, user),
            ("service-account key (GOOGLE_APPLICATION_CREDENTIALS)", call, sa_env),
            ("service-account key (activate-service-account profile)", call, profile),
            ("--impersonate-service-account robot (stored user token)",
             call + ["--impersonate-service-account", "robot@gapi-emulator.iam.gserviceaccount.com"], imp),
        ]
        print(f"| credential | median wall ms | ratio | median CPU ms | ratio | median peak RSS MiB | requests per call | beyond the user's |  (N={runs})")
        print("|---|---|---|---|---|---|---|---|")
        first = first_cpu = user_calls = None
        for name, cmd, env in rows:
            _, last = emulator_requests(emu)
            r = subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
            if r.returncode != 0:
                sys.exit(f"{name}: command failed: {r.stderr.strip()}")
            seen, _ = emulator_requests(emu, last)
            ms, cpu = measure_cpu(cmd, runs, env)
            mib = peak_rss(cmd, env)
            first, first_cpu = first or ms, first_cpu or cpu
            user_calls = seen if user_calls is None else user_calls
            extra = list(seen)
            for c in user_calls:
                if c in extra:
                    extra.remove(c)
            beyond = ", ".join(f"{m} {p.rsplit('/', 1)[-1] if ':' in p else p}" for m, p in extra) or "-"
            if len(seen) - len(user_calls) != len(extra):
                beyond += " (and the user's are not all made)"
            calls = ", ".join(f"{m} {p}" for m, p in seen)
            print(f"| {name} | {ms:.2f} | {ms / first:.2f}x | {cpu:.2f} | {cpu / first_cpu:.2f}x | {mib:.1f} "
                  f"| {len(seen)}: {calls} | {beyond} |", flush=True)
    finally:
        emu_proc.terminate()
        emu_proc.wait()
        subprocess.run(["rm", "-rf", work])

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=40)
    ap.add_argument("--credentials", action="store_true",
                    help="cold calls by credential type against an emulator of their own")
    a = ap.parse_args()
    if a.credentials:
        return credentials(a.runs)
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
    before = os.environ.get("GAPI_BEFORE")
    if before:
        # Another build of gapi (e.g. main's) measured in the same run, for before/after rows.
        before = os.path.abspath(before)
        rows[2:2] = [
            ("gapi BEFORE drive files list --dry-run", [before] + rows[0][1][1:]),
            ("gapi BEFORE drive files list (real call, emulator)", [before] + rows[1][1][1:]),
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
    if os.environ.get("CPU"):
        # CPU=1: median CPU ms (user + system) beside the wall time, for a loaded machine.
        print(f"| command | median wall ms | median CPU ms | median peak RSS MiB |  (N={a.runs})")
        print("|---|---|---|---|")
        for row in rows:
            e = row[2] if len(row) > 2 else env
            ms, cpu = measure_cpu(row[1], a.runs, e)
            print(f"| {row[0]} | {ms:.2f} | {cpu:.2f} | {peak_rss(row[1], e):.1f} |", flush=True)
        return
    print(f"| command | median wall ms | median peak RSS MiB |  (N={a.runs})")
    print("|---|---|---|")
    for row in rows:
        name, cmd = row[0], row[1]
        ms, mib = measure(cmd, a.runs, row[2] if len(row) > 2 else env)
        print(f"| {name} | {ms:.2f} | {mib:.1f} |", flush=True)

if __name__ == "__main__":
    main()
