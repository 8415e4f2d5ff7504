# SPDX-License-Identifier: GPL-3.0-or-later
#
# bench/display.sh: sourced by bench/search and bench/memory. Starts Xvfb on
# the first free display from $1 up (to $1 + 59), sets $display and stops
# the server on exit.

xvfb_pid=
bench_cleanup () {
  if [ -n "$xvfb_pid" ]; then
    kill "$xvfb_pid" 2>/dev/null || true
    wait "$xvfb_pid" 2>/dev/null || true
  fi
}
trap bench_cleanup EXIT
trap 'exit 130' INT TERM

bench_start_display () {
  first=$1
  display=
  n=$first
  while [ "$n" -lt $((first + 60)) ]; do
    if [ ! -e "/tmp/.X$n-lock" ] && [ ! -e "/tmp/.X11-unix/X$n" ]; then
      Xvfb ":$n" -screen 0 1920x1080x24 -nolisten tcp >/dev/null 2>&1 &
      xvfb_pid=$!
      tries=0
      while [ $tries -lt 50 ] && kill -0 "$xvfb_pid" 2>/dev/null && [ ! -e "/tmp/.X11-unix/X$n" ]; do
        sleep 0.1
        tries=$((tries + 1))
      done
      if kill -0 "$xvfb_pid" 2>/dev/null && [ -e "/tmp/.X11-unix/X$n" ]; then
        display=:$n
        return 0
      fi
      # Taken by someone else in the meantime: the next one.
      kill "$xvfb_pid" 2>/dev/null || true
      wait "$xvfb_pid" 2>/dev/null || true
      xvfb_pid=
    fi
    n=$((n + 1))
  done
  echo "No free X display between :$first and :$((first + 59))" >&2
  return 1
}

bench_print_machine () {
  echo "Machine: $(nproc) CPUs, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)"
  echo "Date: $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "Load average before the run: $(cut -d ' ' -f 1-3 /proc/loadavg)"
  echo "Versions: GTK $(pkg-config --modversion gtk4), libadwaita $(pkg-config --modversion libadwaita-1)," \
       "GLib $(pkg-config --modversion glib-2.0), SQLite $(pkg-config --modversion sqlite3)"
}

# The records database of issue 3: 100,000 equipment items and a small
# school around them. Made once, in $build/bench/records/.
bench_records_db () {
  records_dir=$build/bench/records
  db=$records_dir/equipment-100k.db
  if [ ! -f "$db" ]; then
    mkdir -p "$records_dir"
    echo "Generating $db"
    "$build/bench/bench-make-school" "$db" \
      --equipment 100000 --venues 80 --trainers 200 --programmes 40 \
      --guarantees 10 --years 3 --results-per-year 50 --seed 2024
    echo
  fi
}
