#!/usr/bin/env python3
"""gcp-storage-emulator (PyPI, pinned in requirements.lock) on 127.0.0.1 with a port the OS picks.

Run with the pinned venv: $GAPI_TEST_PYTHON tests/peers/gcs_emulator.py [--port N] [--default-bucket B]

The emulator's own CLI accepts `--port 0` but never says which port it got, so tests would have
to guess a free port (a race). This starts the same server in-process (in memory), then prints
ONE JSON line on stdout when it accepts connections:
    {"base_url": "http://127.0.0.1:PORT", "port": PORT}
and serves until killed, or until its stdin closes when stdin is a pipe (so a test that dies
takes it down too). The emulator's logging goes to stderr.
"""

import argparse
import json
import os
import signal
import stat
import sys
import threading


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--default-bucket", default=None)
    args = parser.parse_args()

    from gcp_storage_emulator.server import create_server

    server = create_server("127.0.0.1", args.port, in_memory=True, default_bucket=args.default_bucket)
    server.start()
    httpd = server._api._httpd  # the bound http.server.HTTPServer (private, pinned version)
    port = httpd.server_address[1]
    sys.stdout.write(json.dumps({"base_url": f"http://127.0.0.1:{port}", "port": port}) + "\n")
    sys.stdout.flush()

    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    signal.signal(signal.SIGINT, lambda *_: done.set())
    mode = os.fstat(0).st_mode if not sys.stdin.closed else 0
    if stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode):
        def watch_stdin():
            try:
                while sys.stdin.buffer.read(4096):
                    pass
            finally:
                done.set()
        threading.Thread(target=watch_stdin, daemon=True).start()
    while not done.wait(0.5):
        pass
    server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
