#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Each kind of record is described once, in its entry of
# app/core/td-record-kind.c (issue 14): the interface reads it there. Fails
# on a kind's id or table written as a string literal in app/gui/, where a
# second description of the kind would start to drift from the first.
set -eu
top=${1:-.}
table="$top/app/core/td-record-kind.c"
names=$(grep -oE '\.(id|table) = "[a-z_]+"' "$table" | sed -E 's/.*"(.*)"/\1/' | sort -u)
if [ -z "$names" ]; then
  echo "no kinds found in $table"
  exit 1
fi
status=0
for name in $names; do
  if grep -nF "\"$name\"" "$top"/app/gui/*.c "$top"/app/gui/*.h; then
    echo "the kind \"$name\" named in app/gui/: read it from its TdRecordKind (td-record-kind.h)"
    status=1
  fi
done
exit $status
