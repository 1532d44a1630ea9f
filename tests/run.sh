#!/bin/sh
# tests/run.sh: runs every test and ends with "N passed, N failed".
#  - tests/<part>/*.lua: run with $MOONLET from the repo root; stdout and
#    stderr (and the exit status when not 0) must equal <name>.expected.
#    A first line "-- args: ..." gives extra interpreter options; a file
#    <name>.stdin is fed as standard input. With CONFIG=small, a file
#    <name>.small.expected, when present, holds the output that differs
#    only because of 32-bit numbers.
#    A file <name>.modules lists Lua files (one a line) that $MOONLETC
#    builds into a flash image, mounted with --image for that script.
#  - Then every script again from a flash image ("image" pass): $MOONLETC -f
#    compiles it as a module, moonlet mounts the image (sealed read-only)
#    and runs the module instead of the file (--flash-first), with the
#    same expected output. A script that does not compile must fail in
#    moonletc with the message moonlet would print.
#  - tests/<part>/test_*.c: C unit tests, built with $CC and run; they print
#    their own "N passed, N failed" line.
# Usage: sh tests/run.sh [pattern]   (only tests whose path contains pattern)
MOONLET=${MOONLET:-build/moonlet}
MOONLETC=${MOONLETC:-build/moonletc}
SOURCE_DATE_EPOCH=0 # images are deterministic
export SOURCE_DATE_EPOCH MOONLET MOONLETC
OUT=${OUT:-build/default}
CC=${CC:-cc}
filter=${1:-}
pass=0
fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
MOONLET_TEST_TMP=$tmp # for the files tests make
export MOONLET_TEST_TMP

report_fail() {
  fail=$((fail + 1))
  echo "FAIL $1"
  [ -n "$2" ] && sed 's/^/    /' "$2" | head -20
}

expected_of() {
  exp=${1%.lua}.expected
  [ "$CONFIG" = small ] && [ -f "${1%.lua}.small.expected" ] && exp=${1%.lua}.small.expected
}

# Runs $MOONLET with options $1 on script $2; compares with $exp as $3.
run_and_compare() {
  input=/dev/null
  [ -f "${2%.lua}.stdin" ] && input=${2%.lua}.stdin
  # shellcheck disable=SC2086
  timeout 120 "$MOONLET" $1 "$2" <"$input" >"$tmp/out" 2>&1
  status=$?
  [ $status -ne 0 ] && echo "[exit status $status]" >>"$tmp/out"
  compare "$3"
}

compare() {
  if cmp -s "$tmp/out" "$exp"; then
    pass=$((pass + 1))
  else
    diff "$exp" "$tmp/out" >"$tmp/diff"
    report_fail "$1" "$tmp/diff"
  fi
}

# The image of <name>.modules, when there is one: "--image FILE".
modules_image() {
  mods=${1%.lua}.modules
  [ -f "$mods" ] || return 0
  # shellcheck disable=SC2046
  "$MOONLETC" -f -o "$tmp/modules.img" $(cat "$mods") >"$tmp/cc" 2>&1 ||
    return 1
  echo "--image $tmp/modules.img"
}

run_script() {
  t=$1
  expected_of "$t"
  [ -f "$exp" ] || { report_fail "$t (no .expected file)"; return; }
  args=$(sed -n '1s/^-- args: //p' "$t")
  if ! image=$(modules_image "$t"); then
    report_fail "$t (its modules do not build)" "$tmp/cc"
    return
  fi
  run_and_compare "$args $image" "$t" "$t"
}

# The script as a module of a flash image, run from the sealed region.
run_image() {
  t=$1
  expected_of "$t"
  [ -f "$exp" ] || return
  args=$(sed -n '1s/^-- args: //p' "$t")
  if ! "$MOONLETC" -f -o "$tmp/script.img" "$t" >"$tmp/cc" 2>&1; then
    sed 's/^moonletc: /moonlet: /' "$tmp/cc" >"$tmp/out"
    echo "[exit status 1]" >>"$tmp/out"
    compare "$t (image)"
    return
  fi
  run_and_compare "$args --image $tmp/script.img --flash-first" "$t" "$t (image)"
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

# A torture build (OUT .../*torture*: a full collection at every
# allocation) skips the scripts marked "-- skip-torture" in their first
# three lines: too slow there.
skipped() {
  case $OUT in *torture*) head -n 3 "$1" | grep -q -- '-- skip-torture' ;; *) false ;; esac
}

for t in tests/*/*.lua; do
  skipped "$t" && continue
  case $t in *"$filter"*) run_script "$t" ;; esac
done
for t in tests/*/*.lua; do
  skipped "$t" && continue
  case $t in
  tests/image/*) ;; # these mount images of their own
  *"$filter"*) run_image "$t" ;;
  esac
done
for c in tests/*/test_*.c; do
  [ -f "$c" ] || continue
  case $c in *"$filter"*) run_cunit "$c" ;; esac
done
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
