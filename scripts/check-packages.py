#!/usr/bin/env python3
"""Check the `.crate` files `cargo package --workspace --no-verify` made, without building them.

    python3 scripts/check-packages.py [target/package]

For every crate that will be published: its size is under 8 MiB (crates.io takes 10 MiB; the
rest is room for Google to add APIs), it carries LICENSE-MIT, LICENSE-APACHE and a README, and
every file its sources `include_bytes!`/`include_str!` is in the package (the check a verifying
`cargo package` would make, in a second instead of minutes). Exits 1 naming what is wrong.
"""
import os, re, sys, tarfile

LIMIT = 8 * 1024 * 1024
INCLUDE = re.compile(r'include_(?:bytes|str)!\(\s*"([^"]+)"\s*\)')


def check(path):
    problems = []
    size = os.path.getsize(path)
    if size >= LIMIT:
        problems.append(f"{size / 1048576:.2f} MiB, 8 MiB or more: split it or compress it "
                        "(see scripts/make-discovery-bundle.py)")
    with tarfile.open(path) as tar:
        members = {m.name: m for m in tar.getmembers()}
        root = os.path.commonpath(list(members))
        names = {n[len(root) + 1:] for n in members}
        manifest = tar.extractfile(f"{root}/Cargo.toml").read().decode()
        if re.search(r"^publish\s*=\s*false", manifest, re.M):
            return size, None
        for needed in ("LICENSE-MIT", "LICENSE-APACHE", "README.md"):
            if needed not in names:
                problems.append(f"no {needed} in the package")
        for name in sorted(names):
            if not name.endswith(".rs"):
                continue
            text = tar.extractfile(f"{root}/{name}").read().decode("utf-8", "replace")
            for rel in INCLUDE.findall(text):
                target = os.path.normpath(os.path.join(os.path.dirname(name), rel))
                if target not in names:
                    problems.append(f"{name} includes {rel}, which the package lacks")
    return size, problems


def main():
    folder = sys.argv[1] if len(sys.argv) > 1 else "target/package"
    crates = sorted(f for f in os.listdir(folder) if f.endswith(".crate"))
    if not crates:
        print(f"no .crate files in {folder}: run `cargo package --workspace --no-verify` first",
              file=sys.stderr)
        return 1
    failed = False
    for crate in crates:
        size, problems = check(os.path.join(folder, crate))
        note = "  (publish = false)" if problems is None else ""
        print(f"{size / 1048576:8.2f} MiB  {crate}{note}")
        for p in problems or []:
            print(f"  ^ {p}", file=sys.stderr)
            failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
