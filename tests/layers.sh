#!/usr/bin/env bash
# The layers only look down: common <- server <- workloads <- runners <- bench <- report <- cmd.
# Fails, naming file and line, on any #include of a folder of a higher layer than the file's own
# (see README, Architecture). Usage: layers.sh SOURCE_DIR
set -u
cd "${1:?usage: layers.sh SOURCE_DIR}" || exit 2
layers=(common server workloads runners rmodel analysis bench report cmd)
rank() { local i; for i in "${!layers[@]}"; do [ "${layers[$i]}" = "$1" ] && { echo "$i"; return; }; done; echo -1; }

bad=0 checked=0
for dir in "${layers[@]}"; do
  own=$(rank "$dir")
  while IFS= read -r hit; do
    [ -n "$hit" ] || continue
    target=$(sed -E 's/.*#include "([^/"]+)\/.*/\1/' <<<"$hit")
    r=$(rank "$target")
    checked=$((checked + 1))
    if [ "$r" -gt "$own" ]; then
      echo "layers: $hit  ($dir may not include $target: $target is a higher layer)"
      bad=$((bad + 1))
    fi
  done < <(grep -rnE '^[[:space:]]*#[[:space:]]*include[[:space:]]+"[a-z_]+/' "$dir" --include='*.c' --include='*.h' --include='*.S')
done
# A file outside the layer folders (other than tests) would escape the check.
stray=$(find . -path ./tests -prune -o -path './build*' -prune -o -path ./.git -prune -o \
  \( -name '*.c' -o -name '*.h' \) -print | grep -vE "^\./($(IFS='|'; echo "${layers[*]}"))/" || true)
if [ -n "$stray" ]; then
  echo "layers: C sources outside the layer folders: $stray"
  bad=$((bad + 1))
fi
[ "$checked" -gt 0 ] || { echo "layers: no include found: wrong folder?"; exit 1; }
echo "layers: $checked includes checked, $bad pointing up"
[ "$bad" -eq 0 ]
