#!/bin/sh
# tests/mcu/official.sh: runs the official Lua 5.3 test files on the
# emulated device from a flash image, in a heap of $HEAP bytes (48 KB by
# default), the way tests/official/run.sh runs them on the desktop (same
# prelude, same file list), and prints a table. A file that runs out of
# memory is run again in larger heaps (4 KB steps, up to the arena the
# board has) to measure the heap it needs. A measurement, not in CI.
# Usage: sh tests/mcu/official.sh [SUITE_DIR]   (after make test-mcu)
#   HEAP=49152 FROM=img|src TIMEOUT=120 MEASURE=1 (0: no reruns)
suite=${1:-${LUA_TESTS:-/work/lua-5.3-tests/testes}}
[ -f "$suite/all.lua" ] || { echo "no Lua test suite in $suite" >&2; exit 2; }
root=$(pwd)
FW=${FW:-$root/build/mcu/fw.elf}
MKBOOT=${MKBOOT:-$root/build/mcu/mkboot}
MOONLETC=${MOONLETC:-$root/build/small-m32/moonletc}
QEMU=${QEMU:-qemu-system-arm}
NM=${NM:-arm-none-eabi-nm}
HEAP=${HEAP:-49152}
FROM=${FROM:-img}
TIMEOUT=${TIMEOUT:-120}
MEASURE=${MEASURE:-1}
# main.lua (the stand-alone interpreter, through os.execute) is left out.
FILES="gc.lua db.lua calls.lua strings.lua literals.lua tpack.lua
attrib.lua locals.lua constructs.lua code.lua nextvar.lua pm.lua
utf8.lua events.lua vararg.lua closure.lua coroutine.lua goto.lua
errors.lua math.lua sort.lua bitwise.lua verybig.lua files.lua"
# The prelude of tests/official/run.sh, put on the file's first line so
# that line numbers stay as they are.
PRELUDE='_U=true _soft=true _port=true _nomsg=true T=nil debug=nil _ARG=arg function Message() end math.randomseed(0)'
# Images point at the firmware's ROM strings (moonletc -r).
ROM_ADDR=$("$NM" "$FW" | awk '$3 == "ml_romstrings" { print "0x" $1 }')
[ -n "$ROM_ADDR" ] || { echo "no ml_romstrings in $FW" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

kb() {
  awk "BEGIN { printf \"%.1f KB\", $1 / 1024 }"
}

# prepare FILE: the prelude-prefixed copy, and its image when FROM=img;
# 1 when moonletc refuses it (its message in $tmp/err).
prepare() {
  { printf '%s ' "$PRELUDE"; cat "$suite/$1"; } >"$tmp/$1"
  [ "$FROM" = img ] || return 0
  (cd "$tmp" && "$MOONLETC" -f -a 0x080A0000 -r "$ROM_ADDR" -o slot.bin "$1") >"$tmp/err" 2>&1
}

# run FILE HEAP: one run; sets result (pass, timeout, FAIL: ...), loaded
# and peak (heap bytes after loading, highest use).
run() {
  if [ "$FROM" = img ]; then
    "$MKBOOT" -s -H "$2" -o "$tmp/boot.bin" -i "$1"
    load="-device loader,file=$tmp/slot.bin,addr=0x080A0000"
  else
    "$MKBOOT" -s -H "$2" -n "$1" -o "$tmp/boot.bin" "$tmp/$1"
    load=
  fi
  # shellcheck disable=SC2086
  (cd "$suite" && timeout "$TIMEOUT" "$QEMU" -M netduinoplus2 -display none \
    -monitor none -serial none -semihosting-config enable=on,target=native \
    -kernel "$FW" -device loader,file="$tmp/boot.bin",addr=0x08080000 $load \
    </dev/null >"$tmp/out" 2>&1)
  rc=$?
  stats=$(grep -a '^mcu-stats: ' "$tmp/out")
  loaded=$(echo "$stats" | sed -n 's/.* loaded \([0-9]*\).*/\1/p')
  peak=$(echo "$stats" | sed -n 's/.* peak \([0-9]*\).*/\1/p')
  capacity=$(sed -n 's/.*the arena has \([0-9]*\).*/\1/p' "$tmp/out")
  if [ $rc -eq 0 ]; then
    result=pass
  elif [ $rc -eq 124 ]; then
    result="timeout (${TIMEOUT}s)"
  else
    result=$(grep -a -e '^moonlet: ' -e '^mcu: ' "$tmp/out" | head -1)
    [ -n "$result" ] || result=$(grep -av '^mcu-stats: ' "$tmp/out" | grep -v '^[[:space:]]*$' | tail -1)
    result="FAIL: ${result#moonlet: }"
  fi
}

# need FILE: the smallest heap (4 KB steps) above $HEAP in which FILE
# passes, as "needs N KB", or why it does not pass even in the largest.
need() {
  run "$1" 2147483647 # refused: tells the arena's capacity
  hi=$((capacity / 4096 * 4096))
  run "$1" "$hi"
  [ "$result" = pass ] || { echo "not in $(kb "$hi") either: $result"; return; }
  lo=$HEAP
  while [ $((hi - lo)) -gt 4096 ]; do
    mid=$(((lo + hi) / 2 / 4096 * 4096))
    [ "$mid" -le "$lo" ] && break
    run "$1" "$mid"
    if [ "$result" = pass ]; then hi=$mid; else lo=$mid; fi
  done
  echo "needs $(kb "$hi")"
}

pass=0
total=0
echo "file | device, $FROM, heap $(kb "$HEAP") | loaded | peak | heap needed"
for f in $FILES; do
  total=$((total + 1))
  if ! prepare "$f"; then
    echo "$f | FAIL: no image: $(head -1 "$tmp/err") | | |"
    continue
  fi
  run "$f" "$HEAP"
  first=$result
  firstloaded=$loaded
  firstpeak=$peak
  needed=
  case $first in
  pass) pass=$((pass + 1)) ;;
  *"not enough memory"*) [ "$MEASURE" = 1 ] && needed=$(need "$f") ;;
  esac
  echo "$f | $first | $firstloaded | $firstpeak | $needed"
done
echo "summary: $pass/$total passed on the device ($FROM, heap $(kb "$HEAP"))"
