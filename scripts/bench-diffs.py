#!/usr/bin/env python3
"""Configuration diffs through the real product: request -> `ok` latency and diffs/s.

Starts `sozu start` (supervisor + 2 worker processes, standbys as configured) in a private
directory under /tmp, waits for both workers to be running, then drives its JSON command
socket exactly as an operator's tool would:

  1. one request at a time: N diffs, each sent once the previous one's `ok` arrived;
  2. pipelined: N diffs with WINDOW requests in flight on one connection.

Each diff is a real change (add_cluster / remove_cluster of one cluster, alternating), so every
one goes to both workers and is confirmed by both before its `ok`. Prints p50/p90/p99/max of
send -> `ok` and diffs/s for each, with the load average before and after (the machine is
shared: note it beside any figure you quote).

Usage: scripts/bench-diffs.py [N=5000] [WINDOW=32] [STANDBY=false]
Needs `dotnet build -c Release` first (uses Sozu.Supervisor/bin/Release/net10.0/sozu.dll, or
the sozu.dll named by SOZU_DLL, e.g. another checkout's build for a before/after comparison).
The proxy it starts is stopped with hard_stop, then killed by pid if still alive.
"""

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SOZU = os.environ.get("SOZU_DLL") or os.path.join(ROOT, "Sozu.Supervisor", "bin", "Release", "net10.0", "sozu.dll")


def loadavg():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


class Client:
    def __init__(self, path):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.connect(path)
        self.sock.setblocking(True)
        self.buffer = b""

    def send(self, payload):
        self.sock.sendall(payload)

    def lines(self):
        """Yields every complete answer line as soon as it arrives."""
        while True:
            while b"\n" in self.buffer:
                line, self.buffer = self.buffer.split(b"\n", 1)
                yield line
            chunk = self.sock.recv(1 << 16)
            if not chunk:
                raise ConnectionError("the command socket closed")
            self.buffer += chunk

    def call(self, request, timeout=30.0):
        self.sock.settimeout(timeout)
        self.send((json.dumps(request) + "\n").encode())
        for line in self.lines():
            answer = json.loads(line)
            if answer["status"] != "processing":
                self.sock.settimeout(None)
                return answer


def diff_line(i):
    if i % 2 == 0:
        request = {"id": str(i), "type": "add_cluster",
                   "data": {"cluster_id": "bench", "load_balancing": "round_robin",
                            "sticky_session": False, "https_redirect": False}}
    else:
        request = {"id": str(i), "type": "remove_cluster", "data": {"cluster_id": "bench"}}
    return (json.dumps(request) + "\n").encode()


def measure(client, count, window, offset):
    """count diffs with `window` in flight; ids start at offset (even: add, odd: remove)."""
    lines = [diff_line(offset + i) for i in range(count)]
    sent_at = [0.0] * count
    latency = [0.0] * count
    next_index = 0
    finished = 0
    started = time.perf_counter()
    while next_index < min(window, count):
        sent_at[next_index] = time.perf_counter()
        client.send(lines[next_index])
        next_index += 1
    client.sock.settimeout(60)
    for line in client.lines():
        now = time.perf_counter()
        answer = json.loads(line)
        if answer["status"] == "processing":
            continue
        index = int(answer["id"]) - offset
        if answer["status"] != "ok":
            raise RuntimeError(f"diff {answer['id']} failed: {answer.get('message')}")
        latency[index] = (now - sent_at[index]) * 1e6
        finished += 1
        if finished == count:
            break
        if next_index < count:
            sent_at[next_index] = time.perf_counter()
            client.send(lines[next_index])
            next_index += 1
    elapsed = time.perf_counter() - started
    latency.sort()
    return {
        "count": count, "window": window, "per_second": count / elapsed,
        "p50": latency[count // 2], "p90": latency[int(count * 0.9)],
        "p99": latency[int(count * 0.99)], "max": latency[-1],
    }


def report(label, r, before, after):
    print(f"{label}: {r['count']} diffs, {r['window']} in flight: {r['per_second']:,.0f} diffs/s; "
          f"request->ok p50 {r['p50'] / 1000:.2f} ms, p90 {r['p90'] / 1000:.2f} ms, "
          f"p99 {r['p99'] / 1000:.2f} ms, max {r['max'] / 1000:.2f} ms "
          f"(load average {before} -> {after})", flush=True)


def main():
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    window = int(sys.argv[2]) if len(sys.argv) > 2 else 32
    standby = (sys.argv[3] if len(sys.argv) > 3 else "false").lower()
    if not os.path.exists(SOZU):
        sys.exit(f"{SOZU} not found: dotnet build -c Release first")
    directory = tempfile.mkdtemp(prefix="sozu-bench-diffs-", dir="/tmp")
    socket_path = os.path.join(directory, "sozu.sock")
    config = os.path.join(directory, "config.toml")
    with open(config, "w") as f:
        f.write(f'command_socket = "{socket_path}"\nworker_count = 2\nworker_standby = {standby}\n'
                f'log_level = "warn"\nlog_target = "stdout"\n')
    log = open(os.path.join(directory, "sozu.log"), "w")
    proxy = subprocess.Popen(["dotnet", SOZU, "start", "-c", config], stdout=log, stderr=subprocess.STDOUT,
                             cwd=directory, start_new_session=True)
    try:
        deadline = time.time() + 90
        while not os.path.exists(socket_path):
            if time.time() > deadline or proxy.poll() is not None:
                raise RuntimeError("the command socket did not appear; see " + log.name)
            time.sleep(0.1)
        client = Client(socket_path)
        while True:
            answer = client.call({"id": "w", "type": "list_workers"})
            workers = answer.get("content", {}).get("workers", [])
            if sum(1 for w in workers if w.get("state") == "running") == 2:
                break
            if time.time() > deadline:
                raise RuntimeError("2 workers did not reach running: " + json.dumps(answer))
            time.sleep(0.1)
        measure(client, 1000, 1, 0)  # warm-up: JIT of every process on this path
        before = loadavg()
        r = measure(client, count, 1, 0)
        report("one at a time", r, before, loadavg())
        before = loadavg()
        r = measure(client, count * 4, window, 0)
        report("pipelined", r, before, loadavg())
        client.call({"id": "stop", "type": "hard_stop"})
        proxy.wait(timeout=15)
    finally:
        if proxy.poll() is None:
            os.killpg(proxy.pid, signal.SIGKILL)
            proxy.wait()
        log.close()
        shutil.rmtree(directory, ignore_errors=True)


if __name__ == "__main__":
    main()
