#!/usr/bin/env python3
"""`gapi drive files list --page-all` over many items: peak RSS for 1,000 and for 100,000 items
(it must not grow: pages are printed as they come), served by a tiny local server that makes up
pages of 1,000 files.

    python3 bench/page_all.py target/release/gapi
"""
import http.server, json, os, subprocess, sys, threading, time, urllib.parse

PAGE = 1000

class Pages(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def log_message(self, *a): pass
    def do_GET(self):
        q = urllib.parse.parse_qs(urllib.parse.urlparse(self.path).query)
        start = int(q.get("pageToken", ["0"])[0])
        total = self.server.total
        files = [{"kind": "drive#file", "id": f"id{i:07d}", "name": f"file {i}.txt",
                  "mimeType": "text/plain"} for i in range(start, min(start + PAGE, total))]
        page = {"kind": "drive#fileList", "files": files}
        if start + PAGE < total:
            page["nextPageToken"] = str(start + PAGE)
        body = json.dumps(page).encode()
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

def run(gapi, total):
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Pages)
    srv.total = total
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{srv.server_address[1]}/"
    cmd = ["/usr/bin/time", "-f", "%M", gapi, "drive", "files", "list", "--anonymous",
           "--endpoint", url, "-p", f"pageSize={PAGE}", "--page-all", "--format", "ndjson"]
    t0 = time.perf_counter()
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=True)
    dt = time.perf_counter() - t0
    srv.shutdown()
    lines = p.stdout.count(b"\n")
    assert lines == total, f"{lines} lines for {total} items"
    rss = int(p.stderr.decode().strip().splitlines()[-1]) / 1024
    return dt, rss

def main():
    gapi = os.path.abspath(sys.argv[1])
    print("| items | wall s | peak RSS MiB |")
    print("|---|---|---|")
    for total in (1_000, 100_000):
        dt, rss = run(gapi, total)
        print(f"| {total:,} | {dt:.2f} | {rss:.1f} |", flush=True)

if __name__ == "__main__":
    main()
