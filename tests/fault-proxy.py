#!/usr/bin/python3
# fault-proxy.py: a TCP proxy on loopback that misbehaves on purpose
#
# Sits between Training Desk and a real server (the upload receiver) and,
# for the first N connections, does one bad thing a flaky link or a
# troubled server does; after those it forwards faithfully:
#
#   --drop-after BYTES   reads BYTES of the request, then closes the
#                        connection (a link lost mid-upload)
#   --status-500         answers "500 Internal Server Error" without
#                        forwarding (the server's own trouble)
#   --delay SECONDS      waits before forwarding anything (a server slower
#                        than the client's time-out)
#
# --first=0 forwards every connection faithfully. The port, chosen by the
# kernel, is printed on stdout once listening; the proxy stops when stdin
# closes (so it never outlives the test) or on SIGTERM. Each connection is
# logged on stderr and, with --log FILE, appended to FILE as "connection N"
# (flushed at once) as soon as it is accepted.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import argparse
import asyncio
import signal
import sys


async def pipe(reader, writer):
    try:
        while True:
            data = await reader.read(65536)
            if not data:
                break
            writer.write(data)
            await writer.drain()
    except (ConnectionError, asyncio.CancelledError):
        pass
    finally:
        try:
            writer.close()
        except Exception:
            pass


class Proxy:
    def __init__(self, args):
        self.args = args
        self.connections = 0

    async def handle(self, reader, writer):
        self.connections += 1
        n = self.connections
        faulty = n <= self.args.first
        print('connection %d%s' % (n, ' (fault)' if faulty else ''), file=sys.stderr, flush=True)
        if self.args.log:
            with open(self.args.log, 'a') as log:
                print('connection %d' % n, file=log, flush=True)

        if faulty and self.args.drop_after is not None:
            received = 0
            while received < self.args.drop_after:
                data = await reader.read(min(65536, self.args.drop_after - received))
                if not data:
                    break
                received += len(data)
            writer.transport.abort()
            return

        if faulty and self.args.status_500:
            # Read the request head, then answer for the server.
            try:
                await reader.readuntil(b'\r\n\r\n')
            except Exception:
                pass
            body = b'{"status":"error","message":"Injected failure (test)"}'
            writer.write(b'HTTP/1.1 500 Internal Server Error\r\n'
                         b'Content-Type: application/json\r\n'
                         b'Content-Length: %d\r\nConnection: close\r\n\r\n' % len(body) + body)
            await writer.drain()
            writer.close()
            return

        if faulty and self.args.delay:
            await asyncio.sleep(self.args.delay)

        try:
            up_reader, up_writer = await asyncio.open_connection('127.0.0.1', self.args.target)
        except OSError:
            writer.transport.abort()
            return
        await asyncio.gather(pipe(reader, up_writer), pipe(up_reader, writer))


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--target', type=int, required=True, help='the real server\'s port')
    parser.add_argument('--first', type=int, default=1, help='how many connections misbehave')
    parser.add_argument('--drop-after', type=int)
    parser.add_argument('--status-500', action='store_true')
    parser.add_argument('--delay', type=float, default=0)
    parser.add_argument('--log', help='a file each accepted connection is appended to')
    args = parser.parse_args()

    proxy = Proxy(args)
    server = await asyncio.start_server(proxy.handle, '127.0.0.1', 0)
    print(server.sockets[0].getsockname()[1], flush=True)

    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    loop.add_signal_handler(signal.SIGTERM, stop.set)
    loop.add_reader(sys.stdin.fileno(), lambda: stop.set() if not sys.stdin.buffer.read1(4096) else None)
    await stop.wait()
    server.close()


if __name__ == '__main__':
    asyncio.run(main())
