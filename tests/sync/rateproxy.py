#!/usr/bin/env python3
# rateproxy.py - a TCP proxy on 127.0.0.1 that lets through at most RATE bytes a
# second in each direction of each connection, for a slow district link in the file
# sync tests (tests/sync/files.sh).  Usage: rateproxy.py LISTEN_PORT TARGET RATE,
# TARGET a unix socket path or HOST:PORT.  It stops by itself after 600 s.
import asyncio, sys, time

port, target, rate = int(sys.argv[1]), sys.argv[2], float(sys.argv[3])


async def pump(reader, writer):
    try:
        while True:
            data = await reader.read(16384)
            if not data:
                break
            for i in range(0, len(data), 4096):
                part = data[i:i + 4096]
                writer.write(part)
                await writer.drain()
                await asyncio.sleep(len(part) / rate)
    except (ConnectionError, OSError):
        pass
    finally:
        try:
            writer.close()
        except Exception:
            pass


async def handle(cr, cw):
    try:
        if ':' in target:
            h, p = target.rsplit(':', 1)
            sr, sw = await asyncio.open_connection(h, int(p))
        else:
            sr, sw = await asyncio.open_unix_connection(target)
    except OSError:
        cw.close()
        return
    await asyncio.gather(pump(cr, sw), pump(sr, cw))


async def main():
    server = await asyncio.start_server(handle, '127.0.0.1', port)
    print('ready', flush=True)
    async with server:
        await asyncio.sleep(600)

asyncio.run(main())
