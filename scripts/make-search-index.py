#!/usr/bin/env python3
"""Build crates/gapi-discovery/bundle/search-index.zst, the text `gapi search` ranks.

Searching needs every method's id, HTTP verb, description and parameter names for every API,
but the bundle's documents are ~50 MB of JSON once decompressed: reading them all on the first
search costs far more than the search itself. This script reads the bundle once and keeps only
what the ranking looks at, for one version per API (below), as one zstd frame (~0.4 MB).

Which documents: for each API name, its preferred version (the bundle index's flag; if a name
has none, the highest stable version). Versions named `family_vN` (admin:directory_v1,
admin:reports_v1, merchantapi:products_v1, ...) are separate APIs sharing a name, so each
family gets its own pick the same way. Aliases (admin:directoryv1) are skipped. The Rust test
`search_index_covers_the_chosen_documents` checks the same rule against the bundle index.

Run it after scripts/make-discovery-bundle.py (which calls it), or alone:

    pip install zstandard==0.25.0
    python3 scripts/make-search-index.py

Layout: one zstd frame (level 19, no dictionary) holding UTF-8 lines, tab-separated:
    gapi-search-index 1
    A  name  version  title  description                     one per API, then its methods:
    M  dotted path  method id  HTTP verb  flags  parameter names (space-separated)  description
flags: `u` media upload, `d` media download, `x` deprecated, `-` none. Descriptions have their
whitespace collapsed and Markdown links reduced to their text; nothing else is changed (the
Rust side tokenizes, stems and scores, so tuning the ranking needs no new index).
"""
import argparse, json, os, re, struct

import zstandard

HERE = os.path.dirname(os.path.abspath(__file__))
BUNDLE = os.path.join(HERE, "..", "crates", "gapi-discovery", "bundle", "discovery.bundle")
OUT = os.path.join(HERE, "..", "crates", "gapi-discovery", "bundle", "search-index.zst")


def version_key(v):
    """Sort key that prefers stable over alpha/beta, and higher numbers (as the bundle maker)."""
    stable = 0 if re.search(r"(alpha|beta|p\d)", v) else 1
    nums = [int(n) for n in re.findall(r"\d+", v)]
    return (stable, nums, v)


def read_bundle(path):
    data = open(path, "rb").read()
    if data[:8] != b"GAPIDSC1":
        raise SystemExit(f"{path}: not a gapi discovery bundle")
    pos, sections = 8, []
    for _ in range(3):
        (n,) = struct.unpack_from("<I", data, pos)
        sections.append(data[pos + 4 : pos + 4 + n])
        pos += 4 + n
    index, dictionary, _directory = sections
    frames = data[pos:]
    rows = [line.split("\t") for line in index.decode().splitlines()]
    dctx = zstandard.ZstdDecompressor(dict_data=zstandard.ZstdCompressionDict(dictionary))

    def document(row):
        off, length, raw = int(row[2]), int(row[3]), int(row[4])
        return json.loads(dctx.decompress(frames[off : off + length], max_output_size=raw))

    return rows, document


def family(name, version):
    """`admin:directory_v1` is the `directory` family of `admin`; plain versions have none."""
    m = re.match(r"^([a-z]+)_v\d", version)
    return (name, m.group(1) if m else "")


def chosen(rows):
    """The rows to index, in bundle order: one per (name, family), aliases skipped."""
    seen_frames, groups = set(), {}
    for row in rows:
        frame = (row[2], row[3])
        if frame in seen_frames:
            continue  # an alias of a document already listed
        seen_frames.add(frame)
        groups.setdefault(family(row[0], row[1]), []).append(row)
    picks = []
    for members in groups.values():
        flagged = [r for r in members if r[5] == "1"]
        picks.append(flagged[0] if flagged else max(members, key=lambda r: version_key(r[1])))
    order = {id(r): i for i, r in enumerate(rows)}
    return sorted(picks, key=lambda r: order[id(r)])


LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")


def clean(text):
    return " ".join(LINK.sub(r"\1", text or "").split())


def methods(resource, path):
    for name, m in (resource.get("methods") or {}).items():
        yield path + [name], m
    for name, r in (resource.get("resources") or {}).items():
        yield from methods(r, path + [name])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bundle", default=BUNDLE)
    ap.add_argument("--out", default=OUT)
    args = ap.parse_args()
    rows, document = read_bundle(args.bundle)
    lines, count = ["gapi-search-index 1"], 0
    for row in chosen(rows):
        doc = document(row)
        lines.append("\t".join(["A", row[0], row[1], clean(doc.get("title")), clean(doc.get("description"))]))
        for path, m in methods(doc, []):
            flags = "".join(
                f for f, on in (("u", m.get("supportsMediaUpload")), ("d", m.get("supportsMediaDownload")),
                                ("x", m.get("deprecated"))) if on
            ) or "-"
            params = " ".join(m.get("parameters") or {})
            lines.append("\t".join(["M", ".".join(path), m.get("id", ""), m.get("httpMethod", "GET"),
                                    flags, params, clean(m.get("description"))]))
            count += 1
    raw = ("\n".join(lines) + "\n").encode()
    frame = zstandard.ZstdCompressor(level=19).compress(raw)
    with open(args.out + ".tmp", "wb") as out:
        out.write(frame)
    os.replace(args.out + ".tmp", args.out)
    print(f"wrote {args.out}: {len(chosen(rows))} APIs, {count} methods, "
          f"{len(raw)} bytes raw, {len(frame)} compressed", flush=True)


if __name__ == "__main__":
    main()
