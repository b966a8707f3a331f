#!/usr/bin/env python3
"""Build crates/gapi-discovery/bundle/discovery.bundle from google-api-python-client's documents.

The Python client ships every public Discovery document it knows (610 of them in 2.202.0).
This script downloads that exact wheel from PyPI, minifies each document and compresses each
one on its own with zstd and a shared dictionary, so gapi can decompress only the document it
needs. It then runs make-search-index.py, whose output `gapi search` ranks. Run it again to
refresh the bundle:

    pip install zstandard==0.25.0
    python3 scripts/make-discovery-bundle.py [--version 2.202.0]

Layout of the bundle (all integers little-endian u32):
    b"GAPIDSC1"
    index_len, index     text, one line per document, sorted by (name, version):
                         name \t version \t offset \t compressed_len \t raw_len \t preferred \n
                         (preferred is 1 for the version `build(api)` picks when none is named)
    dict_len, dict       the zstd dictionary shared by every frame
    dir_len, directory   one zstd frame (with the dictionary) holding the directory JSON
    frames               the documents, offsets counted from the start of this section
"""
import argparse, glob, json, os, struct, subprocess, sys, tempfile, zipfile

import zstandard

OUT = os.path.join(os.path.dirname(__file__), "..", "crates", "gapi-discovery", "bundle", "discovery.bundle")


def version_key(v):
    """Sort key that prefers stable over alpha/beta, and higher numbers."""
    import re
    stable = 0 if re.search(r"(alpha|beta|p\d)", v) else 1
    nums = [int(n) for n in re.findall(r"\d+", v)]
    return (stable, nums, v)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--version", default="2.202.0")
    ap.add_argument("--out", default=OUT)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.check_call([sys.executable, "-m", "pip", "download", "--no-deps", "-q",
                               f"google-api-python-client=={args.version}", "-d", tmp])
        wheel = glob.glob(os.path.join(tmp, "*.whl"))[0]
        docs, google_directory = {}, {"items": []}
        with zipfile.ZipFile(wheel) as z:
            for n in z.namelist():
                if n.startswith("googleapiclient/discovery_cache/documents/") and n.endswith(".json"):
                    doc = json.loads(z.read(n))
                    if n.endswith("/index.json"):
                        google_directory = doc  # Google's own directory list
                        continue
                    # Key by file name: the wheel carries three aliases (admin.directoryv1 and
                    # admin.directory_v1 are one document) and Python's build() accepts both.
                    stem = os.path.basename(n)[: -len(".json")]
                    name, _, version = stem.partition(".")
                    docs[(name, version)] = doc
    keys = sorted(docs)
    raws = [json.dumps(docs[k], separators=(",", ":"), ensure_ascii=False).encode() for k in keys]
    print(f"{len(raws)} documents, {sum(map(len, raws))} bytes minified", file=sys.stderr)
    dictionary = zstandard.train_dictionary(200 * 1024, raws[::3])
    cctx = zstandard.ZstdCompressor(level=19, dict_data=dictionary)
    frames, index, off, seen = [], [], 0, {}
    for (name, version), raw in zip(keys, raws):
        if raw not in seen:  # an alias shares its twin's frame
            f = cctx.compress(raw)
            frames.append(f)
            seen[raw] = (off, len(f))
            off += len(f)
        index.append((name, version) + seen[raw] + (len(raw),))
    # Directory: Google's own entries where the wheel has them (they carry the real `preferred`
    # flag), and an entry for every other document; APIs Google's list omits get a preferred
    # version by rule (stable over beta, then the highest number).
    known = {(i["name"], i["version"]): i for i in google_directory["items"]}
    preferred = {i["name"]: i["version"] for i in google_directory["items"] if i.get("preferred")}
    guessed = {}
    for name, version in keys:
        if name not in guessed or version_key(version) > version_key(guessed[name]):
            guessed[name] = version
    for name, version in guessed.items():
        preferred.setdefault(name, version)
    items = []
    for name, version in keys:
        if (name, version) in known:
            item = dict(known[(name, version)])
            item["preferred"] = preferred[name] == version
            items.append(item)
            continue
        d = docs[(name, version)]
        items.append({
            "kind": "discovery#directoryItem",
            "id": f"{name}:{version}",
            "name": name,
            "version": version,
            "title": d.get("title", ""),
            "description": d.get("description", ""),
            "discoveryRestUrl": f"https://www.googleapis.com/discovery/v1/apis/{name}/{version}/rest",
            "documentationLink": d.get("documentationLink", ""),
            "preferred": preferred[name] == version,
        })
    directory = json.dumps({"kind": "discovery#directoryList", "discoveryVersion": "v1", "items": items},
                           separators=(",", ":"), ensure_ascii=False).encode()
    dframe = cctx.compress(directory)
    index_b = "".join(
        f"{n}\t{v}\t{start}\t{length}\t{raw_len}\t{int(preferred[n] == v)}\n"
        for n, v, start, length, raw_len in index
    ).encode()
    dict_b = dictionary.as_bytes()
    with open(args.out + ".tmp", "wb") as out:
        out.write(b"GAPIDSC1")
        for part in (index_b, dict_b, dframe):
            out.write(struct.pack("<I", len(part)))
            out.write(part)
        for f in frames:
            out.write(f)
    os.replace(args.out + ".tmp", args.out)
    print(f"wrote {args.out}: {os.path.getsize(args.out)} bytes", file=sys.stderr)
    # The search index is derived from the bundle; keep the two in step.
    subprocess.check_call([sys.executable, os.path.join(os.path.dirname(__file__), "make-search-index.py"),
                           "--bundle", args.out])


if __name__ == "__main__":
    main()
