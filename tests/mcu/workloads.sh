#!/bin/sh
# tests/mcu/workloads.sh: the bench/ workloads and the IoT application of
# bench/iot/ on the emulated device, each from a flash image mounted in
# place, in the 40 KB heap: the heap in use once the libraries are open
# and once the program is loaded, its peak, and what is left of the 40 KB
# at the peak. A measurement, not in CI.
# Usage: sh tests/mcu/workloads.sh   (after make test-mcu)
#   HEAP=40960 TIMEOUT=600
FW=${FW:-build/mcu/fw.elf}
MKBOOT=${MKBOOT:-build/mcu/mkboot}
MOONLETC=${MOONLETC:-build/small-m32/moonletc}
QEMU=${QEMU:-qemu-system-arm}
NM=${NM:-arm-none-eabi-nm}
HEAP=${HEAP:-40960}
TIMEOUT=${TIMEOUT:-600}
ROM_ADDR=$("$NM" "$FW" | awk '$3 == "ml_romstrings" { print "0x" $1 }')
[ -n "$ROM_ADDR" ] || { echo "no ml_romstrings in $FW" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export SOURCE_DATE_EPOCH=1

# run MAIN FILES...: MAIN's module from an image of FILES; one table row.
run() {
  main=$1
  shift
  if ! "$MOONLETC" -f -a 0x080A0000 -r "$ROM_ADDR" -o "$tmp/slot.bin" "$@" >"$tmp/err" 2>&1; then
    echo "$main | no image: $(head -1 "$tmp/err")"
    return
  fi
  "$MKBOOT" -s -H "$HEAP" -o "$tmp/boot.bin" -i "$main"
  start=$(date +%s)
  timeout "$TIMEOUT" "$QEMU" -M netduinoplus2 -display none -monitor none \
    -serial none -semihosting-config enable=on,target=native -kernel "$FW" \
    -device loader,file="$tmp/boot.bin",addr=0x08080000 \
    -device loader,file="$tmp/slot.bin",addr=0x080A0000 </dev/null >"$tmp/out" 2>&1
  rc=$?
  secs=$(($(date +%s) - start))
  s=$(grep -a '^mcu-stats: ' "$tmp/out")
  fig() { echo "$s" | sed -n "s/.* $1 \([0-9]*\).*/\1/p"; }
  peak=$(fig peak)
  status=ok
  [ $rc -eq 0 ] || status="exit $rc: $(grep -av '^mcu-stats' "$tmp/out" | tail -1)"
  echo "$main | $(fig startup) | $(fig loaded) | $peak | $((HEAP - peak)) | $(fig stack) | ${secs}s | $status"
}

echo "program | heap after openlibs | after loading | peak | left of $HEAP | C stack | QEMU time | result"
for f in bench/*.lua; do
  run "$f" "$f"
done
# shellcheck disable=SC2086
run bench/iot/ram.lua bench/iot/ram.lua bench/iot/app.lua bench/iot/config.lua \
  bench/iot/filter.lua bench/iot/http.lua bench/iot/router.lua bench/iot/sched.lua
