#!/bin/sh
# run-gui-test.sh PROGRAM [ARGS…]: one GTK test on a display and a session
# bus of its own
#
# So that two GTK tests can run at once (meson's default on CI's two
# cores) without sharing keyboard focus, windows or the bus names their
# applications take. Xvfb picks a free display itself (-displayfd), so
# parallel starts never race for a number as `xvfb-run -a` can; it is
# stopped when the test ends, however it ends. The session bus is
# dbus-run-session's, which ends with the test too.
set -eu

fifo_dir=$(mktemp -d "${TMPDIR:-/tmp}/td-gui-test.XXXXXX")
xvfb_pid=
cleanup() {
  if [ -n "$xvfb_pid" ]; then
    kill "$xvfb_pid" 2>/dev/null || true
    wait "$xvfb_pid" 2>/dev/null || true
  fi
  rm -rf "$fifo_dir"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

mkfifo "$fifo_dir/display"
Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp -noreset 3>"$fifo_dir/display" 2>"$fifo_dir/xvfb.log" &
xvfb_pid=$!
# The display's number, once Xvfb is ready for clients.
if ! read -r display <"$fifo_dir/display" || [ -z "$display" ]; then
  echo "run-gui-test.sh: Xvfb did not start:" >&2
  cat "$fifo_dir/xvfb.log" >&2
  exit 1
fi

status=0
DISPLAY=":$display" dbus-run-session -- "$@" || status=$?
exit "$status"
