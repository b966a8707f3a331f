"""Python baselines for building services: Drive v3 (median of warm builds) and all bundled
documents, as google-api-python-client 2.202.0 does it (static discovery documents)."""
import glob, json, os, statistics, time
import googleapiclient
from googleapiclient.discovery import build_from_document

docs_dir = os.path.join(os.path.dirname(googleapiclient.__file__), "discovery_cache", "documents")
drive = open(os.path.join(docs_dir, "drive.v3.json")).read()
times = []
for _ in range(200):
    t0 = time.perf_counter()
    build_from_document(drive, developerKey="k")
    times.append(time.perf_counter() - t0)
print(f"python build drive v3 (from the document text): median {statistics.median(times) * 1000:.3f} ms")
files = [f for f in glob.glob(os.path.join(docs_dir, "*.json")) if not f.endswith("index.json")]
texts = [open(f).read() for f in files]
t0 = time.perf_counter()
for t in texts:
    build_from_document(t, developerKey="k")
print(f"python build all {len(texts)} documents: {time.perf_counter() - t0:.3f} s")
