"""Emulator start-up: process start until GET /discovery/v1/apis answers 200 (median of 20)."""
import socket, statistics, subprocess, sys, time, urllib.request

gapi = sys.argv[1]
times = []
for _ in range(20):
    s = socket.socket(); s.bind(("127.0.0.1", 0)); port = s.getsockname()[1]; s.close()
    t0 = time.perf_counter()
    p = subprocess.Popen([gapi, "emulator", "--addr", f"127.0.0.1:{port}"],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/discovery/v1/apis", timeout=1) as r:
                if r.status == 200:
                    break
        except OSError:
            time.sleep(0.001)
    times.append((time.perf_counter() - t0) * 1000)
    p.terminate(); p.wait()
print(f"emulator ready (directory answers 200): median {statistics.median(times):.1f} ms over {len(times)} starts")
