#!/bin/sh
# Fails when po/zh_CN.po lacks a translation of any message the sources
# hold now (untranslated or fuzzy), or when a file with translatable strings
# is missing from po/POTFILES.in. Users work in Chinese.
set -eu
top=${1:-.}
cd "$top"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

status=0
for f in $(git ls-files 'app/*.c' 'ui/*.ui' 'resources/*.in' 2>/dev/null || find app ui resources -name '*.c' -o -name '*.ui' -o -name '*.in'); do
  if grep -qE '_\(|N_\(|TD_NP_\(|translatable="yes"|g_dngettext' "$f" && ! grep -qxF "$f" po/POTFILES.in; then
    echo "not in po/POTFILES.in: $f"
    status=1
  fi
done

# The same keywords as meson's i18n.gettext (preset: 'glib').
xgettext --files-from=po/POTFILES.in --directory=. --output="$tmp/all.pot" \
  --from-code=UTF-8 --add-comments --keyword=_ --keyword=N_ --keyword=C_:1c,2 \
  --keyword=NC_:1c,2 --keyword=g_dcgettext:2 --keyword=g_dngettext:2,3 \
  --keyword=g_dpgettext2:2c,3 --flag=N_:1:pass-c-format --flag=C_:2:pass-c-format \
  --flag=NC_:2:pass-c-format --flag=g_dngettext:2:pass-c-format \
  --flag=g_strdup_printf:1:c-format --flag=g_set_error:4:c-format \
  --keyword=TD_NP_:1,2 --flag=TD_NP_:1:pass-c-format

for lang in $(cat po/LINGUAS); do
  msgmerge --quiet --no-fuzzy-matching "po/$lang.po" "$tmp/all.pot" -o "$tmp/$lang.po"
  stats=$(LC_ALL=C msgfmt --check --statistics -o /dev/null "$tmp/$lang.po" 2>&1)
  echo "$lang: $stats"
  case "$stats" in
    *untranslated*|*fuzzy*)
      echo "po/$lang.po is incomplete; the messages missing:"
      msgattrib --untranslated --no-obsolete "$tmp/$lang.po" | grep -E '^msgid ' | tail -n +2 || true
      status=1;;
  esac
done
exit $status
