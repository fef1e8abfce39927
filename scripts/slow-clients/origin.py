#!/usr/bin/env python3
"""Origin of the slow-client attacks (scripts/bench-slow-clients.sh and the end-to-end tests in
tests/Sozu.EndToEnd.Tests/Hostile): HTTP/1.1 keep-alive on 127.0.0.1:PORT (0: any free port;
the port is printed on the first line of stdout). Reads a request's Content-Length body before
answering (a slow upload keeps the exchange open, as in an application), answers GET /big with
1 MiB and anything else with "ok"."""
import asyncio
import sys

BIG = 1 << 20
OK = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"
BIG_RESPONSE = b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % BIG + b"x" * BIG


async def serve(reader, writer):
    try:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            length = 0
            for line in head.split(b"\r\n")[1:]:
                name, _, value = line.partition(b":")
                if name.strip().lower() == b"content-length":
                    length = int(value.strip() or 0)
            if length:
                await reader.readexactly(length)
            writer.write(BIG_RESPONSE if b" /big " in head.split(b"\r\n", 1)[0] + b" " else OK)
            await writer.drain()
    except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError, ValueError):
        pass
    finally:
        writer.close()


async def main(port):
    server = await asyncio.start_server(serve, "127.0.0.1", port, backlog=4096, limit=1 << 16)
    print(server.sockets[0].getsockname()[1], flush=True)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1])))
