#!/usr/bin/python3
# smtp-server.py: a real SMTP server on loopback for tests/test-mail.c
#
# aiosmtpd (Debian's python3-aiosmtpd) with STARTTLS or implicit TLS and AUTH
# for one user. Every accepted message is written to --spool as N.eml (the
# bytes as received, after dot-unstuffing) with N.envelope (MAIL FROM and the
# recipients, one a line). The port, chosen by the kernel, is printed on
# stdout once the server answers; it stops when stdin is closed (so it never
# outlives the test) or on SIGTERM.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import argparse
import asyncio
import logging
import os
import signal
import socket
import ssl
import sys
import threading
import warnings

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


class Handler:
    def __init__(self, args):
        self.spool = args.spool
        self.refuse = set(args.refuse)
        self.tempfail = set(args.tempfail)
        self.refuse_sender = set(args.refuse_sender)
        self.data = args.data
        self.reply_delay = args.reply_delay
        self.count = 0
        self.lock = threading.Lock()

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        await asyncio.sleep(self.reply_delay)
        if address in self.refuse_sender:
            return '553 5.7.1 <%s>: Sender address rejected: not owned by user' % address
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return '250 OK'

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        await asyncio.sleep(self.reply_delay)
        if address in self.refuse:
            return '550 5.1.1 <%s>: Recipient address rejected: User unknown' % address
        if address in self.tempfail:
            return '451 4.3.0 <%s>: Temporary lookup failure, try again' % address
        envelope.rcpt_tos.append(address)
        return '250 OK'

    async def handle_DATA(self, server, session, envelope):
        await asyncio.sleep(self.reply_delay)
        if self.data == 'refuse':
            return '554 5.7.1 DT:SPM message rejected as spam'
        with self.lock:
            self.count += 1
            n = self.count
        base = os.path.join(self.spool, str(n))
        with open(base + '.tmp', 'wb') as f:
            f.write(envelope.original_content)
        with open(base + '.envelope', 'w') as f:
            f.write(envelope.mail_from + '\n')
            for rcpt in envelope.rcpt_tos:
                f.write(rcpt + '\n')
        # The message last: once it is there, the envelope is too.
        os.rename(base + '.tmp', base + '.eml')
        if self.data == 'slow':
            # Stored, and the reply comes later than any client waits.
            await asyncio.sleep(60)
        if self.data == 'drop':
            # Stored, but the connection ends before the reply: the client
            # cannot know the message arrived.
            server.transport.abort()
        return '250 2.0.0 Ok: queued as TEST%04d' % n


class Authenticator:
    def __init__(self, user, password):
        self.user = user.encode()
        self.password = password.encode()

    def __call__(self, server, session, envelope, mechanism, auth_data):
        if (isinstance(auth_data, LoginPassword)
                and auth_data.login == self.user
                and auth_data.password == self.password):
            return AuthResult(success=True)
        return AuthResult(success=False, handled=False)


class LoopbackController(Controller):
    """Binds port 0 on 127.0.0.1, so the kernel picks a free port."""

    def _create_server(self):
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.bind((self.hostname, 0))
        self.port = sock.getsockname()[1]
        return self.loop.create_server(self._factory_invoker, sock=sock,
                                       ssl=self.ssl_context)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--spool', required=True)
    parser.add_argument('--cert', required=True)
    parser.add_argument('--key', required=True)
    parser.add_argument('--security', choices=['starttls', 'implicit', 'plain'],
                        default='starttls')
    parser.add_argument('--user', required=True)
    parser.add_argument('--password', required=True)
    parser.add_argument('--refuse', action='append', default=[],
                        help='a recipient refused with 550')
    parser.add_argument('--tempfail', action='append', default=[],
                        help='a recipient refused with 451')
    parser.add_argument('--refuse-sender', action='append', default=[],
                        help='a sender refused with 553')
    parser.add_argument('--data', choices=['accept', 'refuse', 'drop', 'slow'], default='accept',
                        help='the end of DATA: 250, 554, the connection dropped after storing, '
                             'or 250 after 60 s')
    parser.add_argument('--reply-delay', type=float, default=0,
                        help='seconds before each reply to MAIL, RCPT and the end of DATA: '
                             'a server slow on every command, each within the client\'s time-out')
    args = parser.parse_args()

    # Implicit TLS is TLS all along, which aiosmtpd cannot tell: its warnings
    # about AUTH without TLS are wrong here. Errors still reach stderr.
    warnings.filterwarnings('ignore', message='Requiring AUTH while not requiring TLS')
    logging.getLogger('mail.log').setLevel(logging.ERROR)

    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(args.cert, args.key)

    kwargs = dict(authenticator=Authenticator(args.user, args.password),
                  auth_required=True,
                  server_hostname='smtp.test')
    if args.security == 'starttls':
        kwargs.update(tls_context=context, require_starttls=True,
                      auth_require_tls=True)
        controller = LoopbackController(Handler(args),
                                        hostname='127.0.0.1', **kwargs)
    elif args.security == 'plain':
        # No TLS at all: a client must refuse to go on.
        kwargs.update(auth_require_tls=False)
        controller = LoopbackController(Handler(args),
                                        hostname='127.0.0.1', **kwargs)
    else:
        # The whole connection is TLS: aiosmtpd does not know it, so AUTH
        # must not ask for STARTTLS.
        kwargs.update(auth_require_tls=False)
        controller = LoopbackController(Handler(args),
                                        hostname='127.0.0.1', ssl_context=context,
                                        **kwargs)

    controller.start()
    print(controller.port, flush=True)

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *a: stop.set())

    def wait_stdin():
        sys.stdin.buffer.read()
        stop.set()
    threading.Thread(target=wait_stdin, daemon=True).start()

    stop.wait()
    controller.stop()


if __name__ == '__main__':
    main()
