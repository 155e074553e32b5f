#!/usr/bin/env python3
# delayproxy.py - a TCP proxy on 127.0.0.1 that delays every chunk by a fixed time in
# each direction (a round trip of 2 x DELAY_MS), for measuring sync over a slow link
# (tests/bench/province.sh).  Usage: delayproxy.py LISTEN_PORT TARGET DELAY_MS, where
# TARGET is a unix socket path or HOST:PORT.  Order within a connection is kept.
import asyncio, sys, time

port, target, delay = int(sys.argv[1]), sys.argv[2], float(sys.argv[3]) / 1000.0


async def pump(reader, writer):
    q = asyncio.Queue()

    async def feed():
        while True:
            data = await reader.read(65536)
            await q.put((time.monotonic() + delay, data))
            if not data:
                return

    async def drain():
        while True:
            due, data = await q.get()
            wait = due - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
            if not data:
                break
            writer.write(data)
            await writer.drain()
        try:
            writer.close()
        except Exception:
            pass

    try:
        await asyncio.gather(feed(), drain())
    except Exception:
        try:
            writer.close()
        except Exception:
            pass


async def client(cr, cw):
    try:
        if target.startswith("/"):
            sr, sw = await asyncio.open_unix_connection(target)
        else:
            host, p = target.rsplit(":", 1)
            sr, sw = await asyncio.open_connection(host, int(p))
    except Exception:
        cw.close()
        return
    await asyncio.gather(pump(cr, sw), pump(sr, cw))


async def main():
    server = await asyncio.start_server(client, "127.0.0.1", port, backlog=1024)
    print("ready", flush=True)
    async with server:
        await server.serve_forever()

asyncio.run(main())
