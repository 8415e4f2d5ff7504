#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""bench/receiver-idle.py: training-desk-receiver under idle sockets (issue 12)

Starts a receiver binary over HTTPS on the loopback and measures:

- a normal client's latency: N uploads one after the other (a 300 KB
  multipart POST /submissions with a school's token, TLS handshake
  included; answered 400 because its form is not a real one, after the
  whole body has been received, written and parsed), with no load and
  with IDLE sockets held open that never start TLS (from 127.0.0.2 and
  up, at most 16 an address, so that the per-address limit is not what
  closes them);
- the receiver's peak and remaining resident memory (VmHWM, VmRSS) after
  24 parallel 30 MiB uploads.

Run it for the binary under test and for a baseline binary (the same run
prints both):

  bench/receiver-idle.py build/receiver/training-desk-receiver /tmp/receiver-base/build/receiver/training-desk-receiver

An upload without an answer within --client-timeout seconds counts as a
failure (and its time as the time-out); after --give-up failures in a
series the rest of it is skipped.
"""

import argparse
import http.client
import os
import resource
import socket
import ssl
import statistics
import subprocess
import sys
import tempfile
import threading
import time

BOUNDARY = "td-bench-boundary"


def body_of(pdf_size):
    parts = []
    for name, filename, ctype, data in (
            ("form", "form.json", "application/json", b'{"schema":1}'),
            ("pdf", "form.pdf", "application/pdf", b"%PDF-1.4\n" + b"%" * pdf_size),
            ("signature", "signature.json", "application/json", b"{}")):
        parts.append(("--%s\r\nContent-Disposition: form-data; name=\"%s\"; filename=\"%s\"\r\n"
                      "Content-Type: %s\r\n\r\n" % (BOUNDARY, name, filename, ctype)).encode() + data + b"\r\n")
    return b"".join(parts) + ("--%s--\r\n" % BOUNDARY).encode()


class Receiver:
    def __init__(self, binary, workdir, cert, key):
        self.db = os.path.join(workdir, "receiver.db")
        self.token = subprocess.run([binary, "-d", self.db, "--add-school", "济南第一职业中等专业学校"],
                                    capture_output=True, text=True, check=True).stdout.strip()
        self.log = open(os.path.join(workdir, "receiver.log"), "w")
        self.process = subprocess.Popen([binary, "-d", self.db, "--port", "0",
                                         "--tls-certificate", cert, "--tls-key", key],
                                        stdout=subprocess.PIPE, stderr=self.log, text=True)
        line = self.process.stdout.readline()
        assert line.startswith("listening on https://127.0.0.1:"), line
        self.port = int(line.rsplit(":", 1)[1].strip().rstrip("/"))

    def status(self, field):
        with open("/proc/%d/status" % self.process.pid) as f:
            for line in f:
                if line.startswith(field):
                    return int(line.split()[1])
        return 0

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=60)
        self.log.close()


def context():
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    return ctx


def upload(receiver, body, timeout):
    """Seconds to the answer, or None."""
    start = time.monotonic()
    try:
        connection = http.client.HTTPSConnection("127.0.0.1", receiver.port, timeout=timeout, context=context())
        connection.request("POST", "/submissions", body=body, headers={
            "Authorization": "Bearer " + receiver.token,
            "Idempotency-Key": "00000000-0000-4000-8000-000000000000",
            "Content-Type": "multipart/form-data; boundary=" + BOUNDARY})
        response = connection.getresponse()
        response.read()
        connection.close()
        if response.status // 100 != 4:
            return None
        return time.monotonic() - start
    except (OSError, http.client.HTTPException):
        return None


def series(receiver, body, n, timeout, give_up):
    times, failures = [], 0
    for _ in range(n):
        t = upload(receiver, body, timeout)
        if t is None:
            failures += 1
            times.append(timeout)
            if failures >= give_up:
                break
        else:
            times.append(t)
    return times, failures


def hold_idle(port, count):
    held = []
    for i in range(count):
        s = socket.socket()
        s.bind(("127.0.0.%d" % (2 + i // 16 % 250), 0))
        s.settimeout(5)
        try:
            s.connect(("127.0.0.1", port))
            held.append(s)
        except OSError:
            s.close()
    return held


def parallel_memory(receiver, n, size, timeout):
    body = body_of(size)
    answered = []

    def one():
        answered.append(upload(receiver, body, timeout) is not None)

    threads = [threading.Thread(target=one) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    time.sleep(1)
    return sum(answered), receiver.status("VmHWM:"), receiver.status("VmRSS:")


def figures(times):
    ms = sorted(t * 1000 for t in times)
    p95 = ms[min(len(ms) - 1, int(round(0.95 * (len(ms) - 1))))]
    return "median %8.1f ms  p95 %8.1f ms" % (statistics.median(ms), p95)


def run(label, binary, args, cert, key):
    body = body_of(300 * 1024)
    print("== %s: %s" % (label, binary), flush=True)
    if not args.rss_only:
        for idle in [0] + args.idle:
            with tempfile.TemporaryDirectory(prefix="td-bench-receiver-") as workdir:
                receiver = Receiver(binary, workdir, cert, key)
                held = hold_idle(receiver.port, idle)
                time.sleep(0.5)
                times, failures = series(receiver, body, args.uploads, args.client_timeout, args.give_up)
                print("%-9s %5d idle sockets (%5d held): %2d uploads, %2d failed  %s"
                      % (label, idle, len(held), len(times), failures, figures(times)), flush=True)
                for s in held:
                    s.close()
                receiver.stop()
    with tempfile.TemporaryDirectory(prefix="td-bench-receiver-") as workdir:
        receiver = Receiver(binary, workdir, cert, key)
        answered, hwm, rss = parallel_memory(receiver, 24, 30 * 1024 * 1024, 300)
        print("%-9s 24 parallel 30 MiB uploads: %2d answered, peak RSS %4d MB, RSS after %4d MB"
              % (label, answered, hwm // 1024, rss // 1024), flush=True)
        receiver.stop()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("binary")
    parser.add_argument("baseline", nargs="?")
    parser.add_argument("--uploads", type=int, default=50)
    parser.add_argument("--idle", type=int, nargs="*", default=[500, 4000])
    parser.add_argument("--client-timeout", type=float, default=10)
    parser.add_argument("--give-up", type=int, default=3)
    parser.add_argument("--rss-only", action="store_true")
    args = parser.parse_args()

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))

    with tempfile.TemporaryDirectory(prefix="td-bench-cert-") as certdir:
        cert, key = os.path.join(certdir, "cert.pem"), os.path.join(certdir, "key.pem")
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert,
                        "-days", "2", "-subj", "/CN=localhost"], check=True, capture_output=True)
        run("receiver", args.binary, args, cert, key)
        if args.baseline:
            run("baseline", args.baseline, args, cert, key)


if __name__ == "__main__":
    sys.exit(main())
