#!/usr/bin/env python3
"""Build gapi's bundled Discovery documents, and everything derived from them, from the documents
google-api-python-client ships (610 of them in 2.202.0).

Everything a build needs is made here and checked in, so a build of gapi does no work on the
documents (no build script): it only embeds the files the chosen cargo features name.

    pip install zstandard==0.25.0
    python3 scripts/make-discovery-bundle.py [--version 2.202.0] [--wheel PATH]

Each document is minified and compressed on its own (one zstd frame; with a dictionary shared by
the documents that only `all-apis` embeds, without one for the featured APIs), so naming an API
decompresses only that document. Beside it sits its method index
digest (below), compressed on its own without the dictionary. Where the frames go:

  crates/gapi-discovery/bundle/apis/NAME.VERSION.{index,json}.zst
      the featured APIs (FEATURED below): the preferred version of each, one file per frame,
      embedded only when the cargo feature of the same name is on; compressed without the
      dictionary, so a program that embeds a few APIs does not carry it.
  crates/gapi-discovery-bundle-K/frames.bin (K = 1, 2, ...)
      every other document, sorted by name and version, split into crates of about the same size
      (crates.io takes at most 10 MiB a crate; gapi keeps each under 8 MiB): per document its
      digest frame, then its document frame. Embedded by the `all-apis` feature.
  crates/gapi-discovery/bundle/dictionary.zdict   the dictionary of the documents in the
      gapi-discovery-bundle-K crates and of the directory (embedded with `all-apis` only)
  crates/gapi-discovery/bundle/directory.zst      the directory of all documents (one frame,
      with the dictionary): Google's own entries from the wheel, so `preferred` is Google's choice
  crates/gapi-discovery/src/catalog.rs            the table of all documents: name, version,
      preferred, sizes and where the frames are (Rust, so naming an API is a binary search)
  crates/gapi-discovery/bundle/search-index.zst   the text `gapi search` ranks
      (scripts/make-search-index.py, run from here)

The method index digest of a document keeps exactly the fields gapi-discovery's model
(src/model.rs) reads, minus descriptions and `schemas`, as minified JSON: Drive v3 is 45 KB
instead of 196 KB, so building a service parses a quarter of the document. The Rust test
`method_index_matches_full_documents` compares every method of every document with a full parse.
"""
import argparse, glob, importlib.util, json, os, re, subprocess, sys, tempfile, zipfile

import zstandard

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
CRATE = os.path.join(ROOT, "crates", "gapi-discovery")
PART_CRATE = os.path.join(ROOT, "crates", "gapi-discovery-bundle-{}")

# The APIs with a cargo feature of their own (gapi and gapi-discovery): those an installed app
# or a cloud tool most often calls. Each feature embeds the API's preferred version (for a name
# with families, such as admin's directory_v1 and reports_v1, each family's). Keep in step with
# the [features] of crates/gapi-discovery/Cargo.toml and crates/gapi/Cargo.toml (an unknown
# feature name in the generated cfg is a compile warning, so clippy -D warnings catches a miss).
FEATURED = [
    # Google Workspace and the user's own data
    "admin", "calendar", "chat", "classroom", "docs", "drive", "driveactivity", "forms", "gmail",
    "groupssettings", "keep", "licensing", "oauth2", "people", "script", "sheets", "slides", "tasks",
    "youtube",
    # Google Cloud
    "aiplatform", "bigquery", "cloudresourcemanager", "compute", "firestore", "iam", "logging",
    "monitoring", "pubsub", "run", "secretmanager", "sqladmin", "storage", "translate", "vision",
]

# About 5 MiB of frames a crate: under the 8 MiB limit with room for Google's new APIs.
PART_TARGET = 5 * 1024 * 1024
DICT_SIZE = 200 * 1024
LEVEL = 19


def version_key(v):
    """Sort key that prefers stable over alpha/beta, and higher numbers."""
    stable = 0 if re.search(r"(alpha|beta|p\d)", v) else 1
    nums = [int(n) for n in re.findall(r"\d+", v)]
    return (stable, nums, v)


def family(name, version):
    """`admin:directory_v1` is the `directory` family of `admin`; plain versions have none."""
    m = re.match(r"^([a-z]+)_v\d", version)
    return (name, m.group(1) if m else "")


def load_wheel(version, wheel=None):
    """The documents of the wheel, keyed by (name, version), and Google's directory in it."""
    with tempfile.TemporaryDirectory() as tmp:
        if wheel is None:
            subprocess.check_call([sys.executable, "-m", "pip", "download", "--no-deps", "-q",
                                   f"google-api-python-client=={version}", "-d", tmp])
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
                    name, _, ver = stem.partition(".")
                    docs[(name, ver)] = doc
    return docs, google_directory


class Documents:
    """The documents in (name, version) order, minified, with the choices made from them."""

    def __init__(self, docs, google_directory):
        self.docs = docs
        self.keys = sorted(docs)
        self.raw = {k: minify(docs[k]) for k in self.keys}
        # Aliases: the first key (in sorted order) with the same text is the twin.
        first = {}
        self.twin = {}
        for k in self.keys:
            self.twin[k] = first.setdefault(self.raw[k], k)
        # The preferred version of each name: Google's flag where its directory has one, else
        # stable over beta, then the highest number.
        self.google_directory = google_directory
        self.preferred = {i["name"]: i["version"] for i in google_directory["items"] if i.get("preferred")}
        guessed = {}
        for name, ver in self.keys:
            if name not in guessed or version_key(ver) > version_key(guessed[name]):
                guessed[name] = ver
        for name, ver in guessed.items():
            self.preferred.setdefault(name, ver)

    def is_preferred(self, key):
        return self.preferred[key[0]] == key[1]

    def picks(self):
        """One key per (name, family), aliases skipped: the flagged version, else the highest."""
        groups = {}
        for k in self.keys:
            if self.twin[k] == k:
                groups.setdefault(family(*k), []).append(k)
        out = []
        for members in groups.values():
            flagged = [k for k in members if self.is_preferred(k)]
            out.append(flagged[0] if flagged else max(members, key=lambda k: version_key(k[1])))
        return sorted(out)


def minify(doc):
    return json.dumps(doc, separators=(",", ":"), ensure_ascii=False).encode()


# The method index digest: the model's fields in the model's order, raw values verbatim.
DOC_FIELDS = ["id", "name", "version", "revision", "title", "documentationLink", "rootUrl",
              "servicePath", "baseUrl", "batchPath", "mtlsRootUrl", "parameters", "auth",
              "resources", "methods"]
RESOURCE_FIELDS = ["methods", "resources", "deprecated"]
METHOD_FIELDS = ["id", "path", "flatPath", "httpMethod", "parameters", "parameterOrder", "request",
                 "response", "scopes", "supportsMediaUpload", "mediaUpload", "supportsMediaDownload",
                 "useMediaDownloadService", "supportsSubscription", "apiVersion", "deprecated"]
PARAM_FIELDS = ["id", "type", "format", "$ref", "properties", "additionalProperties", "items", "enum",
                "enumDeprecated", "required", "pattern", "repeated", "default", "location", "minimum",
                "maximum", "readOnly", "deprecated"]


class Unknown(Exception):
    """A document whose shape the digest does not know: it gets no digest (the full document
    is used at run time, so nothing is lost)."""


def _text(v):
    return json.dumps(v, separators=(",", ":"), ensure_ascii=False)


def _object(fields, value, nested):
    if not isinstance(value, dict):
        raise Unknown
    parts = []
    for k in fields:
        v = value.get(k)
        if v is None:  # absent or null: the model reads both as absent
            continue
        parts.append(_text(k) + ":" + (nested[k](v) if k in nested else _text(v)))
    return "{" + ",".join(parts) + "}"


def _map(of):
    def render(value):
        if not isinstance(value, dict):
            raise Unknown
        return "{" + ",".join(_text(k) + ":" + of(v) for k, v in value.items()) + "}"
    return render


def _param(v):
    return _object(PARAM_FIELDS, v, {})


def _method(v):
    return _object(METHOD_FIELDS, v, {"parameters": _map(_param)})


def _resource(v):
    return _object(RESOURCE_FIELDS, v, {"methods": _map(_method), "resources": _map(_resource)})


def digest(doc):
    """The method index digest of a document (bytes), or None for a shape it does not know."""
    try:
        return _object(DOC_FIELDS, doc, {"parameters": _map(_param), "resources": _map(_resource),
                                         "methods": _map(_method)}).encode()
    except Unknown:
        return None


def directory(d):
    """Google's directory entries where the wheel has them (they carry the real `preferred` flag),
    and an entry for every other document."""
    known = {(i["name"], i["version"]): i for i in d.google_directory["items"]}
    items = []
    for key in d.keys:
        name, ver = key
        if key in known:
            item = dict(known[key])
            item["preferred"] = d.is_preferred(key)
            items.append(item)
            continue
        doc = d.docs[key]
        items.append({
            "kind": "discovery#directoryItem",
            "id": f"{name}:{ver}",
            "name": name,
            "version": ver,
            "title": doc.get("title", ""),
            "description": doc.get("description", ""),
            "discoveryRestUrl": f"https://www.googleapis.com/discovery/v1/apis/{name}/{ver}/rest",
            "documentationLink": doc.get("documentationLink", ""),
            "preferred": d.is_preferred(key),
        })
    return minify({"kind": "discovery#directoryList", "discoveryVersion": "v1", "items": items})


def const_name(key):
    return re.sub(r"[^A-Za-z0-9]", "_", f"{key[0]}_{key[1]}").upper()


def write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path + ".tmp", "wb") as f:
        f.write(data)
    os.replace(path + ".tmp", path)


def make(d, wheel_version, level, dict_size):
    print(f"{len(d.keys)} documents, {sum(map(len, d.raw.values()))} bytes minified", file=sys.stderr)
    unique = [k for k in d.keys if d.twin[k] == k]
    dictionary = zstandard.train_dictionary(dict_size, [d.raw[k] for k in d.keys][::3])
    with_dict = zstandard.ZstdCompressor(level=level, dict_data=dictionary)
    plain = zstandard.ZstdCompressor(level=19)
    plain_doc = zstandard.ZstdCompressor(level=level)

    # Featured: each feature's picks (and their aliases) live in gapi-discovery itself.
    picks = d.picks()
    featured = {}
    for name in FEATURED:
        chosen = [k for k in picks if k[0] == name]
        if not chosen:
            sys.exit(f"featured API {name} has no document")
        for k in chosen:
            featured[k] = name

    # A featured document is compressed without the dictionary: a program that embeds a few
    # APIs then carries no 200 KB dictionary (Drive v3: 25.7 KB alone against 21.9 KB + 200 KB
    # with it); all the featured frames together grow by ~130 KB, which only `all-apis` (with
    # the dictionary anyway) carries whole.
    frames = {}
    for k in unique:
        dg = digest(d.docs[k])
        doc = (plain_doc if k in featured else with_dict).compress(d.raw[k])
        frames[k] = (plain.compress(dg) if dg is not None else b"", len(dg) if dg is not None else 0,
                     doc)
    apis_dir = os.path.join(CRATE, "bundle", "apis")
    os.makedirs(apis_dir, exist_ok=True)
    for f in glob.glob(os.path.join(apis_dir, "*.zst")):
        os.remove(f)
    for k in featured:
        index, _, doc = frames[k]
        write(os.path.join(apis_dir, f"{k[0]}.{k[1]}.index.zst"), index)
        write(os.path.join(apis_dir, f"{k[0]}.{k[1]}.json.zst"), doc)

    # The rest, split into crates of about PART_TARGET bytes, in (name, version) order.
    rest = [k for k in unique if k not in featured]
    total = sum(len(frames[k][0]) + len(frames[k][2]) for k in rest)
    parts = max(1, -(-total // PART_TARGET))
    placed, blobs, acc = {}, [bytearray() for _ in range(parts)], 0
    for k in rest:
        size = len(frames[k][0]) + len(frames[k][2])
        p = min(parts - 1, acc * parts // total)
        acc += size
        index, _, doc = frames[k]
        placed[k] = (p + 1, len(blobs[p]))
        blobs[p] += index + doc
    for p, blob in enumerate(blobs, start=1):
        crate = PART_CRATE.format(p)
        if not os.path.isfile(os.path.join(crate, "Cargo.toml")):
            sys.exit(f"{crate} does not exist: the bundle now needs {parts} crates; add it "
                     "(as gapi-discovery-bundle-1 is made) and name it in gapi-discovery's all-apis")
        write(os.path.join(crate, "frames.bin"), bytes(blob))
        print(f"  part {p}: {len(blob)} bytes", file=sys.stderr)

    write(os.path.join(CRATE, "bundle", "dictionary.zdict"), dictionary.as_bytes())
    write(os.path.join(CRATE, "bundle", "directory.zst"), with_dict.compress(directory(d)))

    # The catalog: integers and one text, so the table needs no relocation when the program
    # is loaded (a table of 610 `&str` pairs cost ~80 KB of binary in every build).
    text, at_text = [], {}
    def place(word):
        if word not in at_text:
            at_text[word] = sum(map(len, text))
            text.append(word)
        return at_text[word]
    own_consts = [const_name(k) for k in featured]
    lines = []
    for k in d.keys:
        t = d.twin[k]
        index, index_raw, doc = frames[t]
        for word in k:
            if len(word.encode()) > 255 or not word.isascii():
                sys.exit(f"{word!r}: the catalog takes ASCII names of at most 255 bytes")
        args = (f"{place(k[0])}, {len(k[0])}, {place(k[1])}, {len(k[1])}, "
                f"{str(d.is_preferred(k)).lower()}, {len(d.raw[k])}, {index_raw}")
        if t in featured:
            lines.append(f"    row({args}, 0, {own_consts.index(const_name(t))}, 0, 0),")
        else:
            p, at = placed[t]
            lines.append(f"    row({args}, {p}, {at}, {len(index)}, {len(doc)}),")
    if sum(map(len, text)) > 0xFFFF:
        sys.exit("the catalog's text passed 64 KiB: widen Row's offsets")
    consts = []
    for k, feature in featured.items():
        c, stem = const_name(k), f"../bundle/apis/{k[0]}.{k[1]}"
        consts.append(
            f'#[cfg(feature = "{feature}")]\n'
            f'const {c}: [&[u8]; 2] = [include_bytes!("{stem}.index.zst"), include_bytes!("{stem}.json.zst")];\n'
            f'#[cfg(not(feature = "{feature}"))]\n'
            f"const {c}: [&[u8]; 2] = [&[], &[]];\n")
    text_lines = []
    joined = "".join(text)
    for i in range(0, len(joined), 90):
        text_lines.append(f'    "{joined[i:i + 90]}",')
    source = f"""//! The catalog of the bundled Discovery documents: written by
//! `scripts/make-discovery-bundle.py` from google-api-python-client {wheel_version}; do not edit.
//!
//! One row per document, sorted by name then version (`crate::bundle::Row`): the name and the
//! version (offset and length in [`TEXT`]), preferred, raw length of the document, raw length of
//! its method index digest (0: none), then where the frames are: part 0 for a featured API
//! whose frames sit in `bundle/apis/` (embedded by the cargo feature of its name; the next
//! number is its place in [`OWN`]), else the gapi-discovery-bundle-K crate whose `frames.bin`
//! holds them (embedded by `all-apis`), the offset there, the digest frame length and the
//! document frame length (the document frame follows the digest frame). Integers and one
//! text, so the table needs no relocation when a program is loaded.

use crate::bundle::{{Row, row}};

/// The zstd dictionary of the frames in the gapi-discovery-bundle-K crates and of the
/// directory (featured documents are compressed without it): embedded with `all-apis` only.
#[cfg(feature = "all-apis")]
pub(crate) const DICTIONARY: &[u8] = include_bytes!("../bundle/dictionary.zdict");
/// The zstd dictionary of the frames in the gapi-discovery-bundle-K crates and of the
/// directory (featured documents are compressed without it): embedded with `all-apis` only.
#[cfg(not(feature = "all-apis"))]
pub(crate) const DICTIONARY: &[u8] = &[];

/// How many gapi-discovery-bundle-K crates hold the documents that are not featured.
pub(crate) const PARTS: u8 = {parts};

/// The names and versions the rows point into.
pub(crate) const TEXT: &str = concat!(
{chr(10).join(text_lines)}
);

/// Every document gapi knows, embedded or not.
pub(crate) static ROWS: [Row; {len(lines)}] = [
{chr(10).join(lines)}
];

/// The frames of the featured documents (`[digest, document]`, empty when the feature is off).
pub(crate) static OWN: [[&[u8]; 2]; {len(own_consts)}] = [
{chr(10).join(f"    {c}," for c in own_consts)}
];

{chr(10).join(consts)}"""
    write(os.path.join(CRATE, "src", "catalog.rs"), source.encode())
    print(f"wrote the catalog: {len(d.keys)} documents, {len(featured)} featured, {parts} parts", file=sys.stderr)


def search_index_module():
    spec = importlib.util.spec_from_file_location(
        "make_search_index", os.path.join(ROOT, "scripts", "make-search-index.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--version", default="2.202.0", help="google-api-python-client version")
    ap.add_argument("--wheel", help="a wheel already downloaded (else pip downloads it)")
    ap.add_argument("--level", type=int, default=LEVEL, help="zstd level of document frames")
    ap.add_argument("--dict-size", type=int, default=DICT_SIZE, help="dictionary size in bytes")
    args = ap.parse_args()
    d = Documents(*load_wheel(args.version, args.wheel))
    make(d, args.version, args.level, args.dict_size)
    # The search index is derived from the same documents; keep the two in step.
    search_index_module().write_index(d)


if __name__ == "__main__":
    main()
