#!/usr/bin/env python3
"""Probe of scripts/bench-slow-clients.sh: for SECONDS, every 0.25 s a new connection to
127.0.0.1:PORT asks GET / with Host: probe.test and must get 200 within 1 s; every 0.5 s the
connections established on PORT are counted (ss). Prints one JSON line: probes, failures,
unavailable seconds (failed probes x 0.25 s), the peak of established connections and the
first failures."""
import json
import socket
import subprocess
import sys
import threading
import time

INTERVAL = 0.25
LIMIT = 1.0


def probe(port, results, index):
    started = time.monotonic()
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=LIMIT) as s:
            s.sendall(b"GET / HTTP/1.1\r\nHost: probe.test\r\nConnection: close\r\n\r\n")
            data = b""
            while True:
                left = LIMIT - (time.monotonic() - started)
                if left <= 0:
                    raise TimeoutError("no full answer in 1 s")
                s.settimeout(left)
                chunk = s.recv(4096)
                if not chunk:
                    break
                data += chunk
        ok = data.startswith(b"HTTP/1.1 200 ")
        results[index] = (ok, None if ok else data[:40].decode("latin-1"))
    except OSError as e:
        results[index] = (False, type(e).__name__)


def established(port):
    out = subprocess.run(["ss", "-Htn", "state", "established", f"( sport = :{port} )"],
                         capture_output=True, text=True, check=False).stdout
    return sum(1 for line in out.splitlines() if line.strip())


def main(port, seconds):
    count = int(seconds / INTERVAL)
    results = [None] * count
    threads = []
    peak = 0
    start = time.monotonic()
    for i in range(count):
        t = threading.Thread(target=probe, args=(port, results, i), daemon=True)
        t.start()
        threads.append(t)
        if i % 2 == 0:
            peak = max(peak, established(port))
        delay = start + (i + 1) * INTERVAL - time.monotonic()
        if delay > 0:
            time.sleep(delay)
    for t in threads:
        t.join(LIMIT + 1)
    failed = [(round(i * INTERVAL, 2), r[1] if r else "no result") for i, r in enumerate(results) if not (r and r[0])]
    print(json.dumps({"probes": count, "failed": len(failed), "unavailable_s": len(failed) * INTERVAL,
                      "peak_connections": peak, "first_failures": failed[:5]}))


if __name__ == "__main__":
    main(int(sys.argv[1]), float(sys.argv[2]))
