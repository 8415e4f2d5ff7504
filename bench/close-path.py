#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
#
# bench/close-path.py: where a start-and-quit spends its time (issue 17),
# split at the first frame. Each program is run with its output read for
# the `first-frame-us` line that `training-desk --quit-after-first-frame`
# and bench-minimal-window print (CLOCK_MONOTONIC, as here): start → first
# frame, and first frame → the process reaped. One uncounted warm-up round,
# then ROUNDS rounds of all programs in turn; medians.
#
#   bench/close-path.py ROUNDS LABEL='COMMAND …' [LABEL='COMMAND …' …]
#
# Run it with the display and variables of bench/startup, e.g.
#   bench/close-path.py 11 \
#     after='build/app/training-desk --database A.db --quit-after-first-frame' \
#     before='/tmp/main/training-desk --database B.db --quit-after-first-frame' \
#     minimal=build/bench/bench-minimal-window
import shlex
import statistics
import subprocess
import sys
import time


def now_us():
    return time.clock_gettime_ns(time.CLOCK_MONOTONIC) // 1000


def main():
    rounds = int(sys.argv[1])
    programs = [arg.split('=', 1) for arg in sys.argv[2:]]
    figures = {label: ([], []) for label, _ in programs}
    for r in range(rounds + 1):
        for label, command in programs:
            start = now_us()
            run = subprocess.run(shlex.split(command), capture_output=True, text=True)
            end = now_us()
            frames = [int(line.split()[1]) for line in run.stdout.splitlines()
                      if line.startswith('first-frame-us ')]
            if not frames:
                sys.exit(f'{label}: no first-frame-us line (status {run.returncode}): {run.stderr[-500:]}')
            if r > 0:
                figures[label][0].append((frames[0] - start) / 1000)
                figures[label][1].append((end - frames[0]) / 1000)
    print(f'{rounds} rounds after a warm-up; medians (min–max), ms')
    for label, (to_frame, to_exit) in figures.items():
        print(f'{label:10s} start → first frame {statistics.median(to_frame):7.1f} '
              f'({min(to_frame):.1f}–{max(to_frame):.1f})   first frame → exit '
              f'{statistics.median(to_exit):6.1f} ({min(to_exit):.1f}–{max(to_exit):.1f})')


if __name__ == '__main__':
    main()
