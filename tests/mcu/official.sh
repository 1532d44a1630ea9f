#!/bin/sh
# tests/mcu/official.sh: runs the official Lua 5.3 test files on the
# emulated device from a flash image, in a heap of $HEAP bytes (48 KB by
# default), the way tests/official/run.sh runs them on the desktop (same
# prelude, same file list), and prints a table. A measurement, not in CI.
# Usage: sh tests/mcu/official.sh [SUITE_DIR]   (after make test-mcu)
#   HEAP=49152 FROM=img|src TIMEOUT=120
suite=${1:-${LUA_TESTS:-/work/lua-5.3-tests/testes}}
[ -f "$suite/all.lua" ] || { echo "no Lua test suite in $suite" >&2; exit 2; }
root=$(pwd)
FW=${FW:-$root/build/mcu/fw.elf}
MKBOOT=${MKBOOT:-$root/build/mcu/mkboot}
MOONLETC=${MOONLETC:-$root/build/small-m32/moonletc}
QEMU=${QEMU:-qemu-system-arm}
HEAP=${HEAP:-49152}
FROM=${FROM:-img}
TIMEOUT=${TIMEOUT:-120}
# main.lua (the stand-alone interpreter, through os.execute) is left out.
FILES="gc.lua db.lua calls.lua strings.lua literals.lua tpack.lua
attrib.lua locals.lua constructs.lua code.lua nextvar.lua pm.lua
utf8.lua events.lua vararg.lua closure.lua coroutine.lua goto.lua
errors.lua math.lua sort.lua bitwise.lua verybig.lua files.lua"
# The prelude of tests/official/run.sh, put on the file's first line so
# that line numbers stay as they are.
PRELUDE='_U=true _soft=true _port=true _nomsg=true T=nil debug=nil _ARG=arg function Message() end math.randomseed(0)'
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0
total=0
echo "file | device, $FROM, heap $HEAP | loaded | peak"
for f in $FILES; do
  total=$((total + 1))
  { printf '%s ' "$PRELUDE"; cat "$suite/$f"; } >"$tmp/$f"
  if [ "$FROM" = img ]; then
    if ! (cd "$tmp" && "$MOONLETC" -f -a 0x080A0000 -o slot.bin "$f") >"$tmp/err" 2>&1; then
      echo "$f | FAIL: no image: $(head -1 "$tmp/err")"
      continue
    fi
    "$MKBOOT" -s -H "$HEAP" -o "$tmp/boot.bin" -i "$f"
    load="-device loader,file=$tmp/slot.bin,addr=0x080A0000"
  else
    "$MKBOOT" -s -H "$HEAP" -n "$f" -o "$tmp/boot.bin" "$tmp/$f"
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
  if [ $rc -eq 0 ]; then
    pass=$((pass + 1))
    r=pass
  elif [ $rc -eq 124 ]; then
    r="timeout (${TIMEOUT}s)"
  else
    r=$(grep -a -e '^moonlet: ' -e '^mcu: ' "$tmp/out" | head -1)
    [ -n "$r" ] || r=$(grep -av '^mcu-stats: ' "$tmp/out" | grep -v '^[[:space:]]*$' | tail -1)
    r="FAIL: $r"
  fi
  echo "$f | $r | $loaded | $peak"
done
echo "summary: $pass/$total passed on the device ($FROM, heap $HEAP)"
