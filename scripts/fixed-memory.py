#!/usr/bin/env python3
"""Fixed memory of the shipped layout: `sozu start` with one http listener, one cluster and
worker_count = 1, RSS split by process (supervisor / worker) from /proc/<pid>/status and smaps:
right after start, after 1,000 keep-alive requests, after IDLE seconds idle (default 60).
LOAD=1 adds a 10 s `wrk -t1 -c20` run (after 5 s of warm-up) and prints CPU µs per request per
process. Usage, after `dotnet build -c Release`:
  python3 scripts/fixed-memory.py $PWD/Sozu.Supervisor/bin/Release/net10.0/sozu.dll LABEL
Writes /tmp/rss/LABEL.json (snapshots with smaps grouped by kind, thread names, mapped files)."""
import http.client, http.server, json, os, signal, socket, subprocess, sys, tempfile, threading, time, collections

SOZU_DLL = sys.argv[1]
LABEL = sys.argv[2] if len(sys.argv) > 2 else "run"
IDLE = int(os.environ.get("IDLE", "60"))
ENV = dict(os.environ)

class H(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def do_GET(self):
        self.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nhello\n")
    def log_message(self, *a): pass

def free_port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]; s.close(); return p

def status(pid):
    d = {}
    for line in open(f"/proc/{pid}/status"):
        k, _, v = line.partition(":")
        if k in ("VmRSS", "RssAnon", "RssFile", "RssShmem", "Threads", "VmSize"):
            d[k] = int(v.split()[0])
    return d

def smaps(pid):
    """RSS (KiB) grouped: anon rw, anon rx (JIT), stacks, file by kind."""
    groups = collections.Counter(); cur = None
    for line in open(f"/proc/{pid}/smaps"):
        parts = line.split()
        if not line[0].isupper() or "-" in parts[0] and len(parts) >= 5 and not parts[0].endswith(":"):
            if "-" in parts[0] and not parts[0].endswith(":"):
                perms = parts[1]; path = parts[5] if len(parts) > 5 else ""
                if path.startswith("[stack"): cur = "stack(main)"
                elif path == "": cur = "anon " + ("rx" if "x" in perms else ("rw" if "w" in perms else "---"))
                elif path.startswith("["): cur = path
                elif "doublemapper" in path: cur = "jit(doublemapper)"
                elif path.endswith(".dll"): cur = "file .dll " + ("app" if "/Release/" in path else "framework")
                elif ".so" in path:
                    b = os.path.basename(path)
                    cur = "so " + (b if any(x in b for x in ("coreclr", "clrjit", "ssl", "crypto", "System.Native", "hostfxr", "hostpolicy", "libc.so", "libstdc")) else "other")
                else: cur = "file other"
                continue
        if parts[0] == "Rss:" and cur: groups[cur] += int(parts[1])
    return dict(groups.most_common())

def snap(pids, name, out):
    r = {}
    for role, pid in pids.items():
        r[role] = {"status": status(pid), "smaps": smaps(pid)}
    out[name] = r
    for role, pid in pids.items():
        for line in open(f"/proc/{pid}/smaps_rollup"):
            if line.startswith(("Pss:", "Pss_Anon:", "Pss_File:", "Pss_Shmem:")): r[role]["status"][line.split(":")[0]] = int(line.split()[1])
    for role, pid in pids.items():
        r[role]["threads"] = sorted(open(f"/proc/{pid}/task/{t}/comm").read().strip() for t in os.listdir(f"/proc/{pid}/task"))
        dl = collections.Counter(); cur = None
        for line in open(f"/proc/{pid}/smaps"):
            parts = line.split()
            if "-" in parts[0] and not parts[0].endswith(":"): cur = parts[5] if len(parts) > 5 else None
            elif parts[0] == "Rss:" and cur and (cur.endswith(".dll") or ".so" in cur): dl[os.path.basename(cur)] += int(parts[1])
        r[role]["files"] = dict(dl.most_common())
    print(name, {k: (v["status"]["VmRSS"], v["status"]["RssAnon"], v["status"]["RssFile"], v["status"]["RssShmem"], v["status"]["Pss"], v["status"]["Threads"]) for k, v in r.items()}, flush=True)

def main():
    bport, pport = free_port(), free_port()
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", bport), H)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    d = tempfile.mkdtemp(prefix="sozu-rss.")
    with open(f"{d}/config.toml", "w") as f:
        f.write(f'''command_socket = "{d}/sozu.sock"
log_level = "warn"
log_target = "stdout"
worker_count = 1

[[listeners]]
protocol = "http"
address = "127.0.0.1:{pport}"

[clusters.app]
protocol = "http"
frontends = [ {{ address = "127.0.0.1:{pport}", hostname = "*" }} ]
backends = [ {{ address = "127.0.0.1:{bport}", backend_id = "origin" }} ]
''')
    t0 = time.monotonic()
    p = subprocess.Popen(["dotnet", SOZU_DLL, "start", "-c", f"{d}/config.toml"], stdout=open(f"{d}/out.log", "w"), stderr=subprocess.STDOUT, env=ENV, start_new_session=True)
    ready = None
    for _ in range(1200):
        try:
            c = http.client.HTTPConnection("127.0.0.1", pport, timeout=2); c.request("GET", "/", headers={"Host": "app"})
            if c.getresponse().status == 200: ready = time.monotonic() - t0; c.close(); break
        except OSError: pass
        time.sleep(0.025)
    out = {"label": LABEL, "ready_s": ready}
    print(LABEL, "ready after", ready, flush=True)
    try:
        kids = [int(x) for t in os.listdir(f"/proc/{p.pid}/task") for x in open(f"/proc/{p.pid}/task/{t}/children").read().split()]
        worker = [k for k in kids if "sozu-worker" in open(f"/proc/{k}/cmdline").read()][0]
        pids = {"supervisor": p.pid, "worker": worker}; out["pids"] = pids
        time.sleep(1)
        snap(pids, "start", out)
        c = http.client.HTTPConnection("127.0.0.1", pport, timeout=5)
        t1 = time.monotonic(); cpu0 = {k: cputicks(v) for k, v in pids.items()}
        for i in range(1000):
            c.request("GET", "/", headers={"Host": "app"}); r = c.getresponse(); r.read(); assert r.status == 200
        out["1000req_s"] = time.monotonic() - t1
        out["1000req_cpu_ticks"] = {k: cputicks(v) - cpu0[k] for k, v in pids.items()}
        c.close()
        snap(pids, "after1000", out)
        if os.environ.get("LOAD"):
            url = f"http://127.0.0.1:{pport}/"
            subprocess.run(["wrk", "-t1", "-c20", "-d5s", "-H", "Host: app", url], capture_output=True)
            c0 = {k: cputicks(v) for k, v in pids.items()}
            w = subprocess.run(["wrk", "-t1", "-c20", "-d10s", "-H", "Host: app", url], capture_output=True, text=True).stdout
            c1 = {k: cputicks(v) for k, v in pids.items()}
            n = int([l for l in w.splitlines() if "requests in" in l][0].split()[0])
            out["load"] = {"requests": n, "cpu_us_per_req": {k: (c1[k] - c0[k]) * 10000 / n for k in pids}, "wrk": w}
            print("load", n, out["load"]["cpu_us_per_req"], flush=True)
            snap(pids, "afterload", out)
        time.sleep(IDLE)
        snap(pids, f"idle{IDLE}", out)
    finally:
        os.kill(p.pid, signal.SIGTERM)
        try: p.wait(15)
        except subprocess.TimeoutExpired: os.kill(p.pid, signal.SIGKILL)
        srv.shutdown()
    os.makedirs("/tmp/rss", exist_ok=True); json.dump(out, open(f"/tmp/rss/{LABEL}.json", "w"), indent=1)
    print(open(f"{d}/out.log").read()[-2000:])

def cputicks(pid):
    f = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return int(f[11]) + int(f[12])

main()
