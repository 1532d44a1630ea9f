#!/bin/sh
# tests/run.sh: runs every test and ends with "N passed, N failed".
#  - tests/<part>/*.lua: run with $MOONLET from the repo root; stdout and
#    stderr (and the exit status when not 0) must equal <name>.expected.
#    A first line "-- args: ..." gives extra interpreter options; a file
#    <name>.stdin is fed as standard input. With CONFIG=small, a file
#    <name>.small.expected, when present, holds the output that differs
#    only because of 32-bit numbers.
#  - tests/<part>/test_*.c: C unit tests, built with $CC and run; they print
#    their own "N passed, N failed" line.
# Usage: sh tests/run.sh [pattern]   (only tests whose path contains pattern)
MOONLET=${MOONLET:-build/moonlet}
OUT=${OUT:-build/default}
CC=${CC:-cc}
filter=${1:-}
pass=0
fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

report_fail() {
  fail=$((fail + 1))
  echo "FAIL $1"
  [ -n "$2" ] && sed 's/^/    /' "$2" | head -20
}

run_script() {
  t=$1
  exp=${t%.lua}.expected
  [ "$CONFIG" = small ] && [ -f "${t%.lua}.small.expected" ] && exp=${t%.lua}.small.expected
  [ -f "$exp" ] || { report_fail "$t (no .expected file)"; return; }
  args=$(sed -n '1s/^-- args: //p' "$t")
  input=/dev/null
  [ -f "${t%.lua}.stdin" ] && input=${t%.lua}.stdin
  # shellcheck disable=SC2086
  timeout 120 "$MOONLET" $args "$t" <"$input" >"$tmp/out" 2>&1
  status=$?
  [ $status -ne 0 ] && echo "[exit status $status]" >>"$tmp/out"
  if cmp -s "$tmp/out" "$exp"; then
    pass=$((pass + 1))
  else
    diff "$exp" "$tmp/out" >"$tmp/diff"
    report_fail "$t" "$tmp/diff"
  fi
}

run_cunit() {
  c=$1
  bin=$tmp/$(basename "$c" .c)
  # shellcheck disable=SC2086
  if ! $CC $CFLAGS -o "$bin" "$c" $OUT/libmoonlet.a $LDFLAGS -lm 2>"$tmp/cc"; then
    report_fail "$c (does not build)" "$tmp/cc"
    return
  fi
  if "$bin" >"$tmp/out" 2>&1; then
    pass=$((pass + 1))
  else
    report_fail "$c" "$tmp/out"
  fi
}

for t in tests/*/*.lua; do
  case $t in *"$filter"*) run_script "$t" ;; esac
done
for c in tests/*/test_*.c; do
  [ -f "$c" ] || continue
  case $c in *"$filter"*) run_cunit "$c" ;; esac
done
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
