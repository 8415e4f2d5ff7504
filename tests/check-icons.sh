#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Every symbolic icon named in the app's code and templates is bundled in its
# resources (resources/td-icons.gresource.xml), so no icon theme can leave a
# broken image in its place. Prints each missing one and fails.
set -eu
top=${1:-.}
missing=0
names=$(grep -rhoE '"[a-z0-9-]+-symbolic"|>[a-z0-9-]+-symbolic<' "$top/app" "$top/ui" \
        | tr -d '"<>' | sort -u)
for name in $names; do
  case $name in io.github.vocedu.TrainingDesk-symbolic) continue ;; esac
  if [ ! -f "$top/resources/icons/symbolic/$name.svg" ] ||
     ! grep -q "alias=\"$name.svg\"" "$top/resources/td-icons.gresource.xml"; then
    echo "not bundled: $name (see resources/icons/symbolic/README.md)"
    missing=1
  fi
done
exit $missing
