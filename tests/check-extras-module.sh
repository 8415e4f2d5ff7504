#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# `training-desk` links none of the libraries of the mail, the drawing and
# the spreadsheets: they are in libtraining-desk-extras.so, which it opens
# on first use (app/core/td-extras.c, issue 17). Fails when the executable
# needs one of them; when the executable or the GUI module leaves undefined
# a function the extras module defines and the executable does not (a stub
# missing from td-extras.c: the GUI module would meet an unresolved symbol
# at run time); when the module refers to a function of the core the
# executable does not export; and when a missing module is not said plainly,
# by a command that needs it and by the window's start.
#
# Usage: check-extras-module.sh TRAINING-DESK EXTRAS-MODULE INSTALL-DIR [GUI-MODULE]
set -eu
exe=$1
extras=$2
install_dir=$3
shift 3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0

needed=$(readelf -d "$exe" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')
for lib in libgmime libcurl libcairo libpangocairo libpango- libpangoft2 libharfbuzz libfontconfig libfreetype \
           libxlsxwriter libzip; do
  if echo "$needed" | grep -q "^$lib"; then
    echo "$exe needs $(echo "$needed" | grep "^$lib" | tr '\n' ' '): it belongs to the extras module"
    status=1
  fi
done

nm -D --defined-only "$extras" | awk 'NF == 3 { print $3 }' | sed 's/@.*//' | sort -u >"$tmp/extras"
nm -D --defined-only "$exe" | awk 'NF == 3 { print $3 }' | sed 's/@.*//' | sort -u >"$tmp/exe"
for f in td_form_render_pdf td_mail_send td_xlsx_write; do
  if ! grep -qxF "$f" "$tmp/extras"; then
    echo "$extras does not define $f"
    status=1
  fi
done

for user in "$exe" "$@"; do
  nm -D --undefined-only "$user" | awk '{ print $NF }' | sed 's/@.*//' | sort -u |
    comm -12 - "$tmp/extras" | comm -23 - "$tmp/exe" >"$tmp/missing"
  if [ -s "$tmp/missing" ]; then
    echo "$user calls functions of the extras module that $exe does not define (add them to app/core/td-extras.c):"
    sed 's/^/  /' "$tmp/missing"
    status=1
  fi
done

nm -D --undefined-only "$extras" | awk '{ print $NF }' | sed 's/@.*//' | grep '^td_' | sort -u |
  comm -23 - "$tmp/exe" >"$tmp/missing" || true
if [ -s "$tmp/missing" ]; then
  echo "$extras calls functions of the core that $exe does not export:"
  sed 's/^/  /' "$tmp/missing"
  status=1
fi

# Without the module (a copy of the executable has none beside it): a
# sentence and status 1, not a crash. Unless one is installed.
cp "$exe" "$tmp/training-desk"
if [ -e "$install_dir/libtraining-desk-extras.so" ]; then
  echo "# skipped the missing module: one is installed in $install_dir"
else
  "$tmp/training-desk" --database "$tmp/x.db" --load-example >/dev/null
  rc=0
  LC_ALL=C.UTF-8 "$tmp/training-desk" --database "$tmp/x.db" --export equipment "$tmp/x.xlsx" 2>"$tmp/err" || rc=$?
  if [ "$rc" != 1 ] || ! grep -q "could not load its part for mail, PDF files and spreadsheets" "$tmp/err"; then
    echo "without the module, --export to .xlsx exited $rc, saying:"
    cat "$tmp/err"
    status=1
  fi
  # The window is not opened without it (it would end in the middle of
  # the work at the first call): said before a display or the database is
  # touched.
  rc=0
  LC_ALL=C.UTF-8 env -u DISPLAY -u WAYLAND_DISPLAY "$tmp/training-desk" --database "$tmp/y.db" 2>"$tmp/err" || rc=$?
  if [ "$rc" != 1 ] || ! grep -q "part for mail, PDF files and spreadsheets is missing" "$tmp/err" || [ -e "$tmp/y.db" ]; then
    echo "without the module, the window's start exited $rc, saying:"
    cat "$tmp/err"
    status=1
  fi
fi
# A module that is there but cannot be loaded (a file cut short, a library
# it needs missing): the same sentence, with the system's reason, and
# status 1. (The window says it in a dialog: test-window's
# /window/extras-failed.)
mkdir -p "$tmp/broken/core"
cp "$exe" "$tmp/broken/training-desk"
printf 'not a shared object\n' >"$tmp/broken/core/libtraining-desk-extras.so"
"$tmp/broken/training-desk" --database "$tmp/z.db" --load-example >/dev/null
rc=0
LC_ALL=C.UTF-8 "$tmp/broken/training-desk" --database "$tmp/z.db" --export equipment "$tmp/z.xlsx" 2>"$tmp/err" || rc=$?
if [ "$rc" != 1 ] || ! grep -q "could not load its part for mail, PDF files and spreadsheets from $tmp/broken/core/libtraining-desk-extras.so" "$tmp/err" || [ -e "$tmp/z.xlsx" ]; then
  echo "with a module that cannot be loaded, --export to .xlsx exited $rc, saying:"
  cat "$tmp/err"
  status=1
fi
exit $status
