#!/usr/bin/env bash
# reproduce -m: the article's five by default; `all` adds openmp, uring and green:sched=mn, each
# a row of its own with C's figures and n/a (footnoted) where the article and Python have none;
# report reads the rows back. A model this build lacks: `all` goes on without it saying what to
# install, naming it is an error that says the same. Tiny sizes (2 tasks, one repetition, a
# 2000-digit power, 5 ms delays): this checks structure, never speed.
set -u
bin=$1
tmp=$(mktemp -d /tmp/concbench-repro-models-XXXXXX)
trap 'rm -rf "$tmp"' EXIT
passed=0 failures=0
expect_timeout=300
source "$(dirname "$0")/expect.bash"
tiny=(-n 2 -r 1 --warmup 0 --exponent 2000 --target-ms 5 --delay-ms 5)

expect 0 "-m, --models LIST +the rows: article" reproduce --help
expect 2 "unknown model 'bogus' \(valid: " reproduce -m bogus "${tiny[@]}"
expect 2 "-m: no model given \(article, all" reproduce -m , "${tiny[@]}"

# The models this build lacks, with what to install (as `list` says them).
missing=$("$bin" list 2>&1 | sed -nE 's/^  \(([a-z]+) is not in this build: (.*)\)$/\1/p')
newer=()
for m in openmp uring green:sched=mn; do
  if grep -qx "${m%%:*}" <<<"$missing"; then
    expect 2 "model '${m%%:*}' is not in this build: built without .*then rebuild" \
      reproduce -m "$m" "${tiny[@]}"
  else
    newer+=("$m")
  fi
done

# The default: the article's five rows, none after them.
"$bin" reproduce "${tiny[@]}" -o "$tmp/five.json" >"$tmp/five.txt" 2>&1
check "default: exits 0" test $? -eq 0
check "default: the article's rows" grep -q "^evloop / asyncio " "$tmp/five.txt"
check "default: no row after them" bash -c "! grep -q ' / n/a ' '$tmp/five.txt'"
labels=$(python3 -c 'import json,sys; print(" ".join(sorted({c["label"] for c in
  json.load(open(sys.argv[1]))["cases"]})))' "$tmp/five.json")
check "default: the article's five models ($labels)" \
  test "$labels" = "evloop green processes pthreads sequential"

# -m all: a row per newer model in this build, n/a in its article (and Python) cells.
"$bin" reproduce -m all "${tiny[@]}" -o "$tmp/all.json" >"$tmp/all.txt" 2>&1
rc=$?
check "reproduce -m all exits 0, or 1 for uring alone (where io_uring is disabled): $rc" \
  test "$rc" -eq 0 -o "$rc" -eq 1
check "reproduce -m all: no case failed but uring's" \
  bash -c "! grep -E '^[a-z_:]+/[^ ]+: error: ' '$tmp/all.txt' | grep -v '/uring: error: '"
for m in "${newer[@]}"; do
  check "reproduce -m all: a $m row with n/a cells" \
    grep -Eq "^$m / n/a +\|.* n/a +n/a +\|.* n/a +n/a$" "$tmp/all.txt"
  check "report reads the $m row back" \
    grep -Eq "^$m / n/a +\|" <("$bin" report "$tmp/all.json" 2>&1)
done
for m in $missing; do
  case $m in openmp | uring)
    check "reproduce -m all: $m left out, saying what to install" \
      grep -Eq "model $m is not in this build: built without .*; going on without it" \
      "$tmp/all.txt" ;;
  esac
done
check "the footnote names the rows n/a stands for" \
  grep -q "^n/a: \|[. ]n/a: " "$tmp/all.txt"
check "the reading speaks of them apart from the article's" \
  grep -q "Beyond the article's models" "$tmp/all.txt"

# A list as run takes it: sequential comes first unasked, the rest as given.
expect 0 "^green:sched=mn / n/a " reproduce -m green:sched=mn "${tiny[@]}"
labels=$(python3 -c 'import json,sys; print(" ".join(c["label"] for c in
  json.load(open(sys.argv[1]))["cases"] if c["workload"] == "cpu_bound"))' "$tmp/all.json")
check "-m all runs sequential first ($labels)" test "${labels%% *}" = sequential

# --with-python: only the variants whose C model is in the list; n/a in a newer row's Py cells.
if /usr/bin/python3 -c 'import gevent, aiohttp' 2>/dev/null; then
  "$bin" reproduce -m green:sched=mn --with-python "${tiny[@]}" -o "$tmp/py.json" \
    >"$tmp/py.txt" 2>&1
  labels=$(python3 -c 'import json,sys; print(" ".join(sorted({c["label"] for c in
    json.load(open(sys.argv[1]))["cases"] if c["implementation"] == "python"})))' "$tmp/py.json")
  check "--with-python -m green:sched=mn: python:sequential alone ($labels)" \
    test "$labels" = python:sequential
  check "--with-python: n/a in the newer row's Python and article cells" \
    grep -Eq "^green:sched=mn / n/a +\|( +[^ |]+){2}( +n/a){4} +\|" "$tmp/py.txt"
else
  echo "skipped the --with-python part: /usr/bin/python3 lacks gevent or aiohttp" \
    "(scripts/install-deps.sh --test installs them)"
fi

echo "$passed passed, $failures failed"
[ "$failures" -eq 0 ]
