#!/usr/bin/env bash
# Only runners/ knows models by name: no C source outside it compares a model's name to a string
# literal (strcmp(name, "sequential"), is_model(m, "pthreads"), rm_find(f, "c", wl,
# "sequential"), ...). What the upper layers need to know about a model is a trait of its
# struct runner (runners/runner.h), so a new model is a file in runners/ and a line in its
# registry, not an edit of every layer above (issue 17, step 3).
# The names are read from runners/*.c (`.name = "..."`), so a new model is covered without an
# edit here. A line is reported when such a literal is an argument of a call or an operand of
# == or !=; tables of names ({"sequential", "pthreads", ...}) are not comparisons.
# A model's label counts too ("pthreads:gil=on").
# Usage: model_names.sh SOURCE_DIR
set -u
cd "${1:?usage: model_names.sh SOURCE_DIR}" || exit 2
names=$(sed -nE 's/^[[:space:]]*\.name[[:space:]]*=[[:space:]]*"([a-z0-9_]+)".*/\1/p' runners/*.c |
  paste -sd'|')
[ -n "$names" ] || { echo "model_names: no model name found in runners/*.c"; exit 1; }
lit="\"($names)(:[a-z0-9_=,.]*)?\""
# a call before the literal on its line, or the literal closing a call, or == / != next to it
re="[A-Za-z_][A-Za-z0-9_]*[[:space:]]*\([^;{}]*$lit|$lit[[:space:]]*\)|[!=]=[[:space:]]*$lit|$lit[[:space:]]*[!=]="

hits=$(grep -rnE "$re" common server workloads rmodel analysis bench report cmd \
  --include='*.c' --include='*.h' | grep -vE '^[^:]+:[0-9]+:[[:space:]]*(/?\*|//)' || true)
if [ -n "$hits" ]; then
  echo "$hits" | sed 's/^/model_names: /'
  echo "model_names: $(wc -l <<<"$hits") lines in $(cut -d: -f1 <<<"$hits" | sort -u | wc -l)" \
    "files outside runners/ compare a model name ($names) to a literal"
  exit 1
fi
echo "model_names: no model name compared to a literal outside runners/ ($names)"
