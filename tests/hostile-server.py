#!/usr/bin/python3
# hostile-server.py: an upload endpoint or a mail server that attacks its client
#
# What a hostile or broken peer does to Training Desk (issue 12), one
# behaviour a server, on every connection:
#
#   --mode=endless-201   reads the request, then answers "201 Created" with a
#                        body that never ends (chunked, as fast as the client
#                        takes it)
#   --mode=drip          reads the request, then answers one byte every
#                        --interval seconds (the status line itself), for
#                        --for seconds at most, then closes
#   --mode=hold          reads the request and never answers; the connection
#                        stays open until the client goes
#   --mode=refuse-head   reads the request head only, notes whether it asked
#                        for "100 Continue" ("expect 100-continue" or
#                        "expect none" in --log), and answers "413 Payload
#                        Too Large" at once, as a receiver refusing from
#                        the headers does
#   --mode=blank-201     reads the request, then answers "201 Created" whose
#                        JSON body is blanks only (a line end)
#   --mode=blank-502     the same as "502 Bad Gateway", as a proxy in front of
#                        a receiver that is down may answer
#   --mode=smtp-drip     a mail server whose greeting comes one byte every
#                        --interval seconds ("220-…" lines, for --for seconds
#                        at most)
#   --mode=smtp-stall    a mail server that accepts the connection and then
#                        says nothing at all
#
# Every connection is counted: a line "connection N" is appended to --log
# (flushed at once) as soon as it is accepted, so a test can tell whether
# its client touched the network. The port, chosen by the kernel, is
# printed on stdout once listening; the server stops when stdin closes (so
# it never outlives the test) or on SIGTERM.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import argparse
import asyncio
import signal
import sys


async def read_request(reader, writer):
    """The request head, then its body by Content-Length (all we need);
    "100 Continue" first to a client that waits for it (Expect)."""
    head = await reader.readuntil(b'\r\n\r\n')
    length = 0
    expect = False
    for line in head.split(b'\r\n'):
        name, _, value = line.partition(b':')
        if name.strip().lower() == b'content-length':
            length = int(value.strip())
        if name.strip().lower() == b'expect' and value.strip().lower() == b'100-continue':
            expect = True
    if length and expect:
        writer.write(b'HTTP/1.1 100 Continue\r\n\r\n')
        await writer.drain()
    if length:
        await reader.readexactly(length)
    return head


class Hostile:
    def __init__(self, args):
        self.args = args
        self.connections = 0

    def log(self, text):
        with open(self.args.log, 'a') as f:
            f.write(text + '\n')

    async def drip(self, writer, data):
        loop = asyncio.get_running_loop()
        end = loop.time() + self.args.duration
        i = 0
        while loop.time() < end:
            writer.write(data[i % len(data):i % len(data) + 1])
            await writer.drain()
            i += 1
            await asyncio.sleep(self.args.interval)

    async def handle(self, reader, writer):
        self.connections += 1
        self.log('connection %d' % self.connections)
        mode = self.args.mode
        try:
            if mode == 'smtp-stall':
                await reader.read()          # until the client gives up
            elif mode == 'smtp-drip':
                await self.drip(writer, b'220-hostile.example ESMTP, very slowly\r\n')
            elif mode == 'refuse-head':
                head = await reader.readuntil(b'\r\n\r\n')
                expect = any(line.lower().replace(b' ', b'') == b'expect:100-continue'
                             for line in head.split(b'\r\n'))
                self.log('expect %s' % ('100-continue' if expect else 'none'))
                body = b'{"status":"error","code":"too-large","message":"Too large (test)"}'
                writer.write(b'HTTP/1.1 413 Payload Too Large\r\n'
                             b'Content-Type: application/json\r\n'
                             b'Content-Length: %d\r\nConnection: close\r\n\r\n' % len(body) + body)
                await writer.drain()
            else:
                await read_request(reader, writer)
                self.log('request %d' % self.connections)
                if mode == 'endless-201':
                    writer.write(b'HTTP/1.1 201 Created\r\n'
                                 b'Content-Type: application/json\r\n'
                                 b'Transfer-Encoding: chunked\r\n\r\n')
                    chunk = b'{"receipt":"' + b'A' * 65536
                    frame = b'%x\r\n%s\r\n' % (len(chunk), chunk)
                    while True:
                        writer.write(frame)
                        await writer.drain()
                elif mode in ('blank-201', 'blank-502'):
                    status = b'201 Created' if mode == 'blank-201' else b'502 Bad Gateway'
                    writer.write(b'HTTP/1.1 %s\r\n'
                                 b'Content-Type: application/json\r\n'
                                 b'Content-Length: 2\r\nConnection: close\r\n\r\n\r\n' % status)
                    await writer.drain()
                elif mode == 'drip':
                    await self.drip(writer, b'HTTP/1.1 201 Created\r\nX-Drip: ' + b'a' * 1000 + b'\r\n')
                elif mode == 'hold':
                    await reader.read()
        except (ConnectionError, asyncio.IncompleteReadError, asyncio.LimitOverrunError):
            pass
        finally:
            writer.transport.abort()


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--mode', required=True,
                        choices=['endless-201', 'blank-201', 'blank-502', 'drip', 'hold', 'refuse-head',
                                 'smtp-drip', 'smtp-stall'])
    parser.add_argument('--log', required=True, help='one line per connection is appended here')
    parser.add_argument('--interval', type=float, default=1.0, help='seconds between two dripped bytes')
    parser.add_argument('--for', dest='duration', type=float, default=30.0, help='how long a drip lasts')
    args = parser.parse_args()

    hostile = Hostile(args)
    server = await asyncio.start_server(hostile.handle, '127.0.0.1', 0, limit=1 << 20)
    print(server.sockets[0].getsockname()[1], flush=True)

    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    loop.add_signal_handler(signal.SIGTERM, stop.set)
    loop.add_reader(sys.stdin.fileno(), lambda: stop.set() if not sys.stdin.buffer.read1(4096) else None)
    await stop.wait()
    server.close()


if __name__ == '__main__':
    asyncio.run(main())
