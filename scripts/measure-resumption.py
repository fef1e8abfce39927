#!/usr/bin/env python3
"""Measures the TLS session resumption rate through the real `sozu start`.

Starts `sozu start` with WORKERS workers and one HTTPS listener, makes one full handshake,
then ATTEMPTS connections that each offer the session (ticket) saved by the previous one,
and prints how many were resumed (Python's ssl reports session_reused). Used for the figures
in docs/session-tickets.md:

    scripts/measure-resumption.py BIN_DIR WORKERS [ATTEMPTS] [TLS_VERSION]

BIN_DIR holds sozu.dll (e.g. tests/Sozu.EndToEnd.Tests/bin/Release/net10.0). Traffic goes to
127.0.0.1 only; the script stops what it started (hard_stop, then its own process group).
"""
import http.server, json, os, signal, socket, ssl, subprocess, sys, tempfile, threading, time

def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]

class Backend(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def do_GET(self):
        self.send_response(200); self.send_header("Content-Length", "2"); self.end_headers(); self.wfile.write(b"ok")
    def log_message(self, *args):
        pass

def command(sock_path, request):
    with socket.socket(socket.AF_UNIX) as s:
        s.settimeout(30); s.connect(sock_path)
        s.sendall((json.dumps({"id": "m", **request}) + "\n").encode())
        data = b""
        while True:
            chunk = s.recv(65536)
            if not chunk:
                return None
            data += chunk
            for line in data.split(b"\n")[:-1]:
                answer = json.loads(line)
                if answer.get("status") != "processing":
                    return answer

def main():
    bin_dir, workers = sys.argv[1], int(sys.argv[2])
    attempts = int(sys.argv[3]) if len(sys.argv) > 3 else 100
    version = sys.argv[4] if len(sys.argv) > 4 else "1.3"
    work = tempfile.mkdtemp(prefix="sozu-resume-")
    backend = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Backend)
    threading.Thread(target=backend.serve_forever, daemon=True).start()
    port = free_port()
    cert, key = os.path.join(work, "cert.pem"), os.path.join(work, "key.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost",
                    "-addext", "subjectAltName=DNS:localhost", "-days", "2", "-keyout", key, "-out", cert],
                   check=True, capture_output=True)
    sock_path = os.path.join(work, "sozu.sock")
    with open(os.path.join(work, "config.toml"), "w") as f:
        f.write(f'''command_socket = "{sock_path}"
worker_count = {workers}
log_level = "warn"

[[listeners]]
protocol = "https"
address = "127.0.0.1:{port}"
certificate = "{cert}"
key = "{key}"

[clusters.app]
protocol = "http"
frontends = [ {{ address = "127.0.0.1:{port}", hostname = "localhost" }} ]
backends = [ {{ address = "127.0.0.1:{backend.server_address[1]}", backend_id = "app-0" }} ]
''')
    proxy = subprocess.Popen(["dotnet", os.path.join(bin_dir, "sozu.dll"), "start", "-c", os.path.join(work, "config.toml")],
                             cwd=work, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.time() + 90
        while time.time() < deadline:
            try:
                answer = command(sock_path, {"type": "list_workers"})
                listed = (answer or {}).get("content", {}).get("workers", [])
                if len(listed) == workers and all(w.get("state") == "running" for w in listed):
                    break
            except OSError:
                pass
            time.sleep(0.2)
        else:
            raise SystemExit("sozu did not serve in time")
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        context.minimum_version = context.maximum_version = ssl.TLSVersion.TLSv1_3 if version == "1.3" else ssl.TLSVersion.TLSv1_2
        session, reused = None, 0
        for i in range(attempts + 1):
            with socket.create_connection(("127.0.0.1", port), timeout=10) as raw:
                with context.wrap_socket(raw, server_hostname="localhost", session=session) as tls:
                    tls.sendall(b"GET / HTTP/1.1\r\nHost: localhost\r\n\r\n")
                    answer = b""
                    while not answer.endswith(b"ok"):
                        chunk = tls.recv(4096)
                        if not chunk:
                            break
                        answer += chunk
                    if i > 0 and tls.session_reused:
                        reused += 1
                    # TLS 1.3 tickets arrive after the handshake: take the session once the answer is in.
                    session = tls.session
        print(json.dumps({"workers": workers, "tls": version, "attempts": attempts, "resumed": reused,
                          "rate": round(reused / attempts, 3)}))
    finally:
        try:
            command(sock_path, {"type": "hard_stop"})
            proxy.wait(timeout=15)
        except Exception:
            os.killpg(proxy.pid, signal.SIGKILL)
            proxy.wait(timeout=5)
        backend.shutdown()

if __name__ == "__main__":
    main()
