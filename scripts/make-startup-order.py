#!/usr/bin/env python3
"""Writes crates/gapi-cli/startup-order.txt: the functions gapi's cold calls run, which the
link of the `gapi` binary lays out together before `.text` (crates/gapi-cli/build.rs makes a
linker script of the file: one section pattern a line).

    cargo build --release -p gapi-cli && python3 scripts/make-startup-order.py [target/release/gapi]
    python3 scripts/make-startup-order.py --check [target/release/gapi]   # is the file stale?

Why: a cold call touches ~2-3 M instructions of code scattered over a 16 MB `.text`; each page
fault maps a whole page-cache folio (fault-around, 64 KiB and more), so those few functions
cost 7-10 MiB of resident code pages. Laid out together, they cost about their own size.

How: runs the binary under `valgrind --tool=callgrind` for the calls `bench/cold_cli.py`
measures (a dry run, a real call to a `gapi emulator` it starts with a stored token, a
completion, `--version`), and lists every function of the binary callgrind saw run (raw
symbol names). Functions run by every call come first. Symbol names carry a hash of the
crate's build metadata (its dependencies, features, profile), so each name is written with `*`
for its hash when that still names one function of the binary (the pattern then matches in
a `dist` build and after a Cargo.lock change too); a generic function's instantiations differ
only by their hash, so those are written exactly (grouped only in a build with the same
metadata). Rerun it after large changes: patterns that match nothing are harmless, new
start-up code is just not grouped; `--check` says how much of the file a binary matches.
"""
import collections, json, os, re, subprocess, sys, tempfile, time, urllib.request

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
OUT = os.path.join(ROOT, "crates", "gapi-cli", "startup-order.txt")


def functions_run(cmd, env, binary):
    """Raw names of the functions of `binary` that ran (callgrind), in first-seen order."""
    with tempfile.NamedTemporaryFile(suffix=".cg") as f:
        subprocess.run(["valgrind", "--tool=callgrind", "--demangle=no", "--compress-strings=no",
                        "--compress-pos=no", "--dump-instr=no", f"--callgrind-out-file={f.name}"] + cmd,
                       env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        # Which object a function belongs to is not read from callgrind's `ob=` lines: for
        # this non-PIE binary callgrind files many of its functions under `ob=???`, so a
        # filter on `ob` dropped functions every call runs (`method_index::load`, tokio's
        # runtime builder) and the list changed from one run to the next. A name counts when
        # the binary defines a symbol of that name.
        defined = set(symbol_sizes(binary))
        names = []
        for line in open(f.name, errors="replace"):
            if line.startswith(("fn=", "cfn=")):
                name = re.sub(r"'\d+$", "", line.split("=", 1)[1].strip())
                if name in defined:
                    names.append(name)
        return list(dict.fromkeys(names))


def hashless(name):
    """`name` with its build-dependent hashes as `*` (legacy `17h<hex>E`, v0 `Cs<base62>_`)."""
    m = re.match(r"^(_ZN.*17h)[0-9a-f]{16}E", name)
    if m:
        return m.group(1) + "*"
    if name.startswith("_R"):
        return re.sub(r"Cs[0-9A-Za-z]+_", "Cs*_", name)
    return name


def symbol_sizes(binary):
    sizes = {}
    out = subprocess.run(["nm", "-S", binary], capture_output=True, text=True, check=True).stdout
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 4:
            sizes[parts[3]] = int(parts[1], 16)
    return sizes


def check(binary):
    """How many of the file's patterns match a function of `binary`, and the code matched."""
    sizes = symbol_sizes(binary)
    by_pattern = collections.defaultdict(list)
    for n in sizes:
        by_pattern[hashless(n)].append(n)
        by_pattern[re.sub(r"\.llvm\.\d+$", "*", n)].append(n)
    patterns = [n.strip() for n in open(OUT) if n.strip()]
    matched = {p: by_pattern.get(p, []) for p in patterns}
    hit = [p for p in patterns if matched[p]]
    code = sum(sizes[n] for n in {n for p in hit for n in matched[p]})
    print(f"{binary}: {len(hit)} of the {len(patterns)} patterns of {os.path.relpath(OUT, ROOT)} "
          f"match ({100 * len(hit) / max(1, len(patterns)):.0f}%), {code / 1048576:.2f} MiB of code")


def main():
    args = sys.argv[1:]
    if args[:1] == ["--check"]:
        return check(os.path.abspath(args[1] if len(args) > 1 else os.path.join(ROOT, "target", "release", "gapi")))
    binary = os.path.abspath(args[0] if args else os.path.join(ROOT, "target", "release", "gapi"))
    work = tempfile.mkdtemp(prefix="gapi-order-")
    out = open(os.path.join(work, "emu.out"), "w+")
    emu = subprocess.Popen([binary, "emulator", "--addr", "127.0.0.1:0"], stdout=out,
                           stderr=subprocess.DEVNULL)
    try:
        for _ in range(200):
            out.seek(0)
            url = out.readline().strip()
            if url.startswith("http"):
                break
            time.sleep(0.05)
        req = urllib.request.Request(url + "/__emulator/tokens/issue", method="POST",
                                     headers={"content-type": "application/json"},
                                     data=json.dumps({"email": "alice@example.com",
                                                      "scopes": ["https://www.googleapis.com/auth/drive"]}).encode())
        token = json.load(urllib.request.urlopen(req))["access_token"]
        config = os.path.join(work, "config")
        os.makedirs(os.path.join(config, "credentials"))
        path = os.path.join(config, "credentials", "default.json")
        expiry = time.strftime("%Y-%m-%dT%H:%M:%S.000000Z", time.gmtime(time.time() + 3600))
        with open(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600), "w") as f:
            json.dump({"type": "authorized_user", "client_id": "gapi-emulator.apps.googleusercontent.com",
                       "client_secret": "emulator-client-secret", "refresh_token": "unused",
                       "token": token, "expiry": expiry, "token_uri": url + "/token",
                       "scopes": ["https://www.googleapis.com/auth/drive"], "account": "alice@example.com"}, f)
        env = dict(os.environ, GAPI_CONFIG_DIR=config, HOME=work)
        call = [binary, "drive", "files", "list", "-p", "pageSize=5", "-p", "orderBy=modifiedByMeTime desc"]
        runs = [call + ["--dry-run"], call + ["--endpoint", url + "/"],
                [binary, "__complete", "drive", "files", "list", "-p", "corpus="], [binary, "--version"]]
        seen = [functions_run(cmd, env, binary) for cmd in runs]
    finally:
        emu.terminate()
        emu.wait()
        subprocess.run(["rm", "-rf", work])
    count = collections.Counter(n for names in seen for n in names)
    order = list(dict.fromkeys(n for names in seen for n in names))
    # Most-shared first (stable within a count: first seen first).
    order.sort(key=lambda n: -count[n])
    groups = collections.Counter(hashless(n) for n in symbol_sizes(binary))
    # A local function promoted across codegen units is `name.llvm.<n>`; its section may not be.
    patterns = [hashless(n) if groups[hashless(n)] == 1 else re.sub(r"\.llvm\.\d+$", "*", n)
                for n in order]
    with open(OUT, "w") as f:
        f.writelines(p + "\n" for p in patterns)
    print(f"{OUT}: {len(order)} functions ({', '.join(str(len(s)) for s in seen)} per run)")


if __name__ == "__main__":
    main()
