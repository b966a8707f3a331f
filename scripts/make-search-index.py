#!/usr/bin/env python3
"""Build crates/gapi-discovery/bundle/search-index.zst, the text `gapi search` ranks.

Searching needs every method's id, HTTP verb, description and parameter names for every API,
but the bundle's documents are ~100 MB of JSON once decompressed: reading them all on the first
search costs far more than the search itself. This script keeps only what the ranking looks at,
for one version per API (below), as one zstd frame (~0.5 MB).

Which documents: for each API name, its preferred version (Google's flag, as the bundle's
catalog has it; if a name has none, the highest stable version). Versions named `family_vN`
(admin:directory_v1, admin:reports_v1, merchantapi:products_v1, ...) are separate APIs sharing a
name, so each family gets its own pick the same way. Aliases (admin:directoryv1) are skipped.
The Rust test `search_index_covers_the_chosen_documents` checks the same rule against the
catalog.

scripts/make-discovery-bundle.py runs it with the documents it bundled; alone, it reads the same
wheel again:

    pip install zstandard==0.25.0
    python3 scripts/make-search-index.py [--version 2.202.0] [--wheel PATH]

Layout: one zstd frame (level 19, no dictionary) holding UTF-8 lines, tab-separated:
    gapi-search-index 2
    A  name  version  title  description                     one per API, then its methods:
    M  dotted path  method id  HTTP verb  flags  parameter names (space-separated)  description
       body field names (space-separated)
Body field names: the properties of the method's request schema, and of the schema its array
properties hold (`requests` of a batchUpdate: `addSheet`, `insertText`, `createSlide`...), what
a method can change that its description does not name (Gmail's `modify` has `addLabelIds`,
a Directory user has `suspended` and `password`).
flags: `u` media upload, `d` media download, `x` deprecated, `-` none. Descriptions have their
whitespace collapsed and Markdown links reduced to their text; nothing else is changed (the
Rust side tokenizes, stems and scores, so tuning the ranking needs no new index).
"""
import argparse, importlib.util, os, re

import zstandard

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "crates", "gapi-discovery", "bundle", "search-index.zst")


LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")


def clean(text):
    return " ".join(LINK.sub(r"\1", text or "").split())


def methods(resource, path):
    for name, m in (resource.get("methods") or {}).items():
        yield path + [name], m
    for name, r in (resource.get("resources") or {}).items():
        yield from methods(r, path + [name])


def body_fields(doc, m, cap=150):
    """The request schema's property names, then those of the schemas its arrays hold."""
    schemas = doc.get("schemas") or {}
    top = schemas.get(((m.get("request") or {}).get("$ref")) or "", {})
    props = top.get("properties") or {}
    names = list(props)
    for p in props.values():
        ref = (p.get("items") or {}).get("$ref")
        if ref:
            names.extend(n for n in (schemas.get(ref, {}).get("properties") or {}) if n not in names)
    return names[:cap]


def write_index(d, out=OUT):
    """Writes the index of `d` (make-discovery-bundle.py's Documents) to `out`."""
    lines, count = ["gapi-search-index 2"], 0
    picks = d.picks()
    for key in picks:
        doc = d.docs[key]
        lines.append("\t".join(["A", key[0], key[1], clean(doc.get("title")), clean(doc.get("description"))]))
        for path, m in methods(doc, []):
            flags = "".join(
                f for f, on in (("u", m.get("supportsMediaUpload")), ("d", m.get("supportsMediaDownload")),
                                ("x", m.get("deprecated"))) if on
            ) or "-"
            params = " ".join(m.get("parameters") or {})
            lines.append("\t".join(["M", ".".join(path), m.get("id", ""), m.get("httpMethod", "GET"),
                                    flags, params, clean(m.get("description")),
                                    " ".join(body_fields(doc, m))]))
            count += 1
    raw = ("\n".join(lines) + "\n").encode()
    frame = zstandard.ZstdCompressor(level=19).compress(raw)
    with open(out + ".tmp", "wb") as f:
        f.write(frame)
    os.replace(out + ".tmp", out)
    print(f"wrote {out}: {len(picks)} APIs, {count} methods, "
          f"{len(raw)} bytes raw, {len(frame)} compressed", flush=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--version", default="2.202.0", help="google-api-python-client version")
    ap.add_argument("--wheel", help="a wheel already downloaded (else pip downloads it)")
    ap.add_argument("--out", default=OUT)
    args = ap.parse_args()
    spec = importlib.util.spec_from_file_location(
        "make_discovery_bundle", os.path.join(HERE, "make-discovery-bundle.py"))
    bundle = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bundle)
    write_index(bundle.Documents(*bundle.load_wheel(args.version, args.wheel)), args.out)


if __name__ == "__main__":
    main()
