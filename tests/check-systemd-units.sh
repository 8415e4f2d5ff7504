#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The receiver's systemd units (receiver/systemd/), as configured for this
# build, pass `systemd-analyze verify`: its errors fail (a missing command,
# a bad value) and so do its warnings (an unknown key is only "ignoring"
# there, and would leave a unit that silently lacks what it says).
# Skipped (77) only where systemd-analyze is not installed.
set -u
if ! command -v systemd-analyze >/dev/null 2>&1; then
  echo "systemd-analyze is not installed (Debian: systemd): skipped"
  exit 77
fi
out=$(systemd-analyze verify --man=no "$@" 2>&1)
status=$?
if [ $status -ne 0 ] || [ -n "$out" ]; then
  printf '%s\n' "$out"
  echo "systemd-analyze verify: status $status, the units above need fixing"
  exit 1
fi
echo "verified: $*"
