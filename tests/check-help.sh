#!/bin/sh
# check-help.sh SOURCE_ROOT BUILD_ROOT: the help (Mallard, help/) is valid in
# English and as built in Chinese, its links and images resolve, every page
# is built in Chinese with its own screenshots, and help/zh_CN/zh_CN.po
# translates every string of the current pages (none untranslated or fuzzy).
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -u
src=$1/help
built=$2/help
status=0

fail() {
  echo "not ok: $*"
  status=1
}

for dir in "$src/C" "$built/zh_CN"; do
  yelp-check validate "$dir" || fail "yelp-check validate $dir"
  out=$(yelp-check links "$dir") || fail "yelp-check links $dir: $out"
done
out=$(yelp-check media "$src/C") || fail "yelp-check media $src/C: $out"

for page in "$src"/C/*.page "$src/C/legal.xml"; do
  name=$(basename "$page")
  [ -f "$built/zh_CN/$name" ] || fail "$name is not built in zh_CN (help/meson.build lists the pages)"
done
for figure in "$src"/C/figures/*.png; do
  name=$(basename "$figure")
  [ -f "$src/zh_CN/figures/$name" ] || fail "figures/$name has no Chinese screenshot in help/zh_CN/figures"
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
itstool -o "$tmp/help.pot" "$src"/C/*.page "$src/C/legal.xml" || fail "itstool"
msgmerge -q -o "$tmp/zh_CN.po" "$src/zh_CN/zh_CN.po" "$tmp/help.pot" || fail "msgmerge"
stats=$(LC_ALL=C msgfmt --check --statistics -o /dev/null "$tmp/zh_CN.po" 2>&1) || fail "msgfmt: $stats"
echo "help/zh_CN/zh_CN.po: $stats"
case "$stats" in
  *fuzzy*|*untranslated*)
    fail "help/zh_CN/zh_CN.po is not complete (msgmerge it with the pages and translate: see help/README.md)"
    LC_ALL=C msgattrib --untranslated --only-fuzzy "$tmp/zh_CN.po" 2>/dev/null | grep -A3 '^#, fuzzy' | head -40
    LC_ALL=C msgattrib --untranslated "$tmp/zh_CN.po" | grep '^msgid' | head -20
    ;;
esac

[ $status -eq 0 ] && echo "ok: the help is valid and translated"
exit $status
