#!/bin/sh
# tests/official/run.sh: runs the official Lua 5.3 test suite file by file,
# the way all.lua runs it in portable "user" mode, and prints a result table.
# Usage: sh tests/official/run.sh [SUITE_DIR] [INTERPRETER...]
#   SUITE_DIR defaults to $LUA_TESTS, then /work/lua-5.3-tests/testes;
#   interpreters default to "lua5.3 build/moonlet". Nothing is fetched or built.
# Each file runs alone, from inside SUITE_DIR, with stdin from an empty pipe,
# under `timeout $TIMEOUT` (default 120 s), after the globals all.lua sets
# when _U is true (soft, portable, no messages, no T, no debug).
if [ $# -gt 0 ] && [ -d "$1" ]; then
  suite=$1
  shift
else
  suite=${LUA_TESTS:-/work/lua-5.3-tests/testes}
fi
[ -f "$suite/all.lua" ] || { echo "no Lua test suite in $suite" >&2; exit 2; }
[ $# -eq 0 ] && set -- lua5.3 build/moonlet
TIMEOUT=${TIMEOUT:-120}

# The files all.lua runs, in its order. api.lua needs the internal C test
# library (T) entirely; big.lua is not run by all.lua when _soft is set.
FILES="main.lua gc.lua db.lua calls.lua strings.lua literals.lua tpack.lua
attrib.lua locals.lua constructs.lua code.lua big.lua nextvar.lua pm.lua
utf8.lua api.lua events.lua vararg.lua closure.lua coroutine.lua goto.lua
errors.lua math.lua sort.lua bitwise.lua verybig.lua files.lua"
skip_reason() {
  case $1 in
    api.lua) echo "skip (needs T)" ;;
    big.lua) echo "skip (soft)" ;;
  esac
}

PRELUDE='_U=true _soft=true _port=true _nomsg=true T=nil debug=nil
_ARG=arg function Message() end math.randomseed(0)'

# $EXTRA_PRELUDE (Lua code) runs after it, e.g. to install stand-ins.
PRELUDE="$PRELUDE ${EXTRA_PRELUDE:-}"

# Interpreter paths become absolute, since the files run from the suite.
interps=""
for i in "$@"; do
  case $i in
    /*) p=$i ;;
    */*) p=$(pwd)/$i ;;
    *) p=$(command -v "$i") || { echo "no interpreter $i" >&2; exit 2; } ;;
  esac
  [ -x "$p" ] || { echo "no interpreter $p" >&2; exit 2; }
  interps="$interps $p"
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# run_one INTERP FILE: prints "pass", "timeout", or "FAIL: <first error line>".
run_one() {
  (cd "$suite" && : | timeout "$TIMEOUT" "$1" -e "$PRELUDE" "$2" \
    >"$tmp/out" 2>"$tmp/err")
  rc=$?
  if [ $rc -eq 0 ]; then
    echo pass
  elif [ $rc -eq 124 ]; then
    echo "timeout (${TIMEOUT}s)"
  else
    line=$(grep -v '^[[:space:]]*$' "$tmp/err" | head -n 1)
    [ -n "$line" ] || line=$(tail -n 1 "$tmp/out")
    [ $rc -gt 128 ] && line="signal $((rc - 128)) $line"
    echo "FAIL: ${line#"$(basename "$1")": }"
  fi
}

header="file"
for i in "$@"; do header="$header | $i"; done
echo "$header"
summary=""
n=0
for p in $interps; do eval "pass_$n=0 fail_$n=0"; n=$((n + 1)); done
total=0
skipped=0
for f in $FILES; do
  row=$f
  skip=$(skip_reason "$f")
  if [ -n "$skip" ]; then
    skipped=$((skipped + 1))
    for p in $interps; do row="$row | $skip"; done
    echo "$row"
    continue
  fi
  total=$((total + 1))
  n=0
  for p in $interps; do
    r=$(run_one "$p" "$f")
    case $r in
      pass) eval "pass_$n=\$((pass_$n + 1))" ;;
      *) eval "fail_$n=\$((fail_$n + 1))" ;;
    esac
    row="$row | $r"
    n=$((n + 1))
  done
  echo "$row"
done
n=0
for i in "$@"; do
  eval "summary=\"\$summary  $i: \$pass_$n/$total passed;\""
  n=$((n + 1))
done
echo "summary ($total files run, $skipped skipped):$summary"
