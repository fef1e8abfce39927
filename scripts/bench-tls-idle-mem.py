#!/usr/bin/env python3
"""KiB of proxy RSS per idle keep-alive TLS connection.

The shared harness's idle_mem.py measures plain TCP only; this probe reuses its
RSS accounting and batching but opens each connection with a TLS handshake, sends
one GET, reads the answer and leaves the connection idle. Run it against each
proxy's TLS port in turn (see scripts/bench-tls-idle.sh):

  bench-tls-idle-mem.py --port 19442 --pgid 1234 -n 5000

Prints one JSON object (the same fields as idle_mem.py, mode "tls-request").
"""
import asyncio
import os
import ssl
import sys

sys.path.insert(0, os.environ.get("BENCH_DIR", os.path.join(os.path.dirname(__file__), "..", "..", "shared", "bench")))
import idle_mem  # noqa: E402  (the shared harness's probe)


def client_context():
    ctx = ssl.create_default_context()
    # The bench certificate is self-signed for localhost: trust is not what is measured.
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    return ctx


class TlsProbe(idle_mem.Probe):
    def __init__(self, args):
        super().__init__(args)
        self.ctx = client_context()

    async def open_one(self):
        a = self.a
        try:
            r, w = await asyncio.wait_for(
                asyncio.open_connection(a.host, a.port, ssl=self.ctx, server_hostname="localhost"), a.timeout)
            w.write(f"GET {a.path} HTTP/1.1\r\nHost: localhost:{a.port}\r\n\r\n".encode())
            await w.drain()
            head = await asyncio.wait_for(r.readuntil(b"\r\n\r\n"), a.timeout)
            if not head.startswith(b"HTTP/1.1 200"):
                raise RuntimeError("status " + head.split(b"\r\n", 1)[0].decode(errors="replace"))
            clen = 0
            for line in head.split(b"\r\n"):
                if line.lower().startswith(b"content-length:"):
                    clen = int(line.split(b":", 1)[1])
            if clen:
                await asyncio.wait_for(r.readexactly(clen), a.timeout)
            self.conns.append((r, w))
        except Exception as e:  # noqa: BLE001 - count and report any failure
            self.failed += 1
            k = type(e).__name__
            self.errors[k] = self.errors.get(k, 0) + 1


if __name__ == "__main__":
    idle_mem.Probe = TlsProbe  # main() builds the probe by this name
    sys.argv += ["--mode", "request"]
    idle_mem.main()
