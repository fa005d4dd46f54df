#!/usr/bin/env bash
# JSON lives in rmodel/ (docs/ARCHITECTURE.md; issue 17, step 5): the results model is the one
# reader of JSON documents, and the layers above it get typed structs (struct rm_file,
# struct hf_export for hyperfine's exports, ...). Fails, naming file and line, on
#   - an #include <jansson.h> outside rmodel/, and
#   - a call that reads a jansson value (json_object_get, json_*_value, json_loads, json_is_*,
#     json_array_foreach, ...) outside rmodel/,
# except in the files listed below with their reason: they are reported, not failed, and the
# lists should shrink. workloads/ and server/ use no JSON (their wire format is HTTP).
# Usage: json_in_rmodel.sh SOURCE_DIR
set -u
cd "${1:?usage: json_in_rmodel.sh SOURCE_DIR}" || exit 2
dirs=(common server workloads runners analysis bench report cmd)

# Files that include <jansson.h> themselves.
declare -A include_ok=(
  [bench/results.h]="the results writer: context_json() is the run's context object"
  [bench/context.c]="the results writer: builds the context object of a results file"
  [bench/bench.h]="struct bench holds the run's context object (bench_init reads it, bench_free frees it)"
  [bench/python/python_cases.h]="the Python variants answer in JSON on their stdout (py_env.info)"
  [bench/python/reproduce_python.h]="writes the Python runs' facts object (py_facts)"
  [report/export.h]="exporters return the JSON document of a foreign format (GAB, BMF); step 4 gives renderers one shape"
  [report/trace.c]="writes the Perfetto trace, a JSON format of its own, event by event (json_dumps quotes the names)"
  [runners/green/switch_cost.c]="a whole command inside runners/ that writes its own JSON; step 4 folds it into primitives"
)
# Files that read jansson values.
declare -A read_ok=(
  [bench/context.c]="the results writer: checks the context object it builds"
  [bench/python/python_cases.c]="reads the Python variants' JSON answers (their own I/O with the child)"
  [bench/python/reproduce_python.c]="copies the interpreter's version and modules from its JSON answer into the facts object"
)
read_re='json_(object_get|array_get|string_value|integer_value|real_value|number_value|boolean_value|is_[a-z]+|loads|loadb|loadf|load_file|array_foreach|object_foreach|object_iter[a-z_]*|unpack[a-z_]*|array_size|object_size|string_length)\b'

bad=0 excused=()
check() { # what regex table
  local what=$1 re=$2 table=$3 hit file
  while IFS= read -r hit; do
    file=${hit%%:*}
    if eval "[ -n \"\${${table}[\$file]+x}\" ]"; then
      excused+=("$file")
    else
      echo "json_in_rmodel: $hit  ($what outside rmodel/)"
      bad=$((bad + 1))
    fi
  done < <(grep -rnE "$re" "${dirs[@]}" --include='*.c' --include='*.h')
}
check "jansson included" '^[[:space:]]*#[[:space:]]*include[[:space:]]*<jansson\.h>' include_ok
check "a jansson value read" "$read_re" read_ok

# An exception whose file does not need it (any more) is said, not failed, so the list shrinks
# (the steps of issue 17 land in any order).
for f in "${!include_ok[@]}"; do
  grep -qE '#[[:space:]]*include[[:space:]]*<jansson\.h>' "$f" 2>/dev/null ||
    echo "json_in_rmodel: note: $f is listed as including <jansson.h> but does not"
done
for f in "${!read_ok[@]}"; do
  grep -qE "$read_re" "$f" 2>/dev/null ||
    echo "json_in_rmodel: note: $f is listed as reading jansson values but does not"
done
for f in $(printf '%s\n' "${excused[@]}" | sort -u); do
  echo "json_in_rmodel: excepted: $f: ${include_ok[$f]:-${read_ok[$f]}}"
done
echo "json_in_rmodel: $bad outside rmodel/"
[ "$bad" -eq 0 ]
