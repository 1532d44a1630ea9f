#!/bin/sh
# tests/mcu/run.sh: runs the test scripts on the emulated device (QEMU
# netduinoplus2, firmware $FW) with a 40 KB heap, each twice: compiled on
# the device from source ([src]), and from a flash image built by
# $MOONLETC and mounted in place ([img]). Each output must equal the
# desktop small build's expectation (<name>.mcu.expected where the device
# differs by design: its LUAI_MAXCCALLS, mcu/mcu.mk). Then checks that the
# fault guards (MPU, stack guard) catch what they must. Ends with "N passed, N failed".
#  - tests/{lang,lib,errors,gc,heap}/*.lua, except those tests/mcu/budget
#    marks "skip". A first line "-- args: --heap SIZE" sets the heap; other
#    interpreter options can not be given to the device (skipped).
#  - A script that runs out of heap or C stack is rerun with larger arenas
#    (and on $FWBIG, the firmware with a larger stack) to measure what it
#    needs. It passes only if tests/mcu/budget allows it to be "over".
# Usage: sh tests/mcu/run.sh [pattern]
FW=${FW:-build/mcu/fw.elf}
FWBIG=${FWBIG:-build/mcu/fw-bigstack.elf}
MKBOOT=${MKBOOT:-build/mcu/mkboot}
MOONLETC=${MOONLETC:-build/small-m32/moonletc}
QEMU=${QEMU:-qemu-system-arm}
NM=${NM:-arm-none-eabi-nm}
BUDGET=tests/mcu/budget
BOOT_ADDR=0x08080000
SLOT_ADDR=0x080A0000
filter=${1:-}
pass=0
fail=0
over=0
skip=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# qemu FW [loader options]: one run of the firmware, output in $tmp/raw.
qemu() {
  fw=$1
  shift
  timeout 120 "$QEMU" -M netduinoplus2 -display none -monitor none \
    -serial none -semihosting-config enable=on,target=native \
    -kernel "$fw" -device loader,file="$tmp/boot.bin",addr=$BOOT_ADDR "$@" \
    <"$input" >"$tmp/raw" 2>&1
}

# run_device FW HEAP SCRIPT: runs the script in $mode (src or img); its
# output in $tmp/out (with "[exit status N]" as tests/run.sh adds it), its
# figures in $tmp/stats. Semihosting gives the device QEMU's stdin
# (<name>.stdin) and the host's files, standing in for a device's console
# and file system.
run_device() {
  input=/dev/null
  [ -f "${3%.lua}.stdin" ] && input=${3%.lua}.stdin
  if [ "$mode" = img ]; then
    "$MKBOOT" -s -H "$2" -o "$tmp/boot.bin" -i "$3" || return
    qemu "$1" -device loader,file="$tmp/slot.bin",addr=$SLOT_ADDR
  else
    "$MKBOOT" -s -H "$2" -o "$tmp/boot.bin" "$3" || return
    qemu "$1"
  fi
  status=$?
  grep -a '^mcu-stats: ' "$tmp/raw" >"$tmp/stats"
  grep -av '^mcu-stats: ' "$tmp/raw" >"$tmp/out"
  [ $status -ne 0 ] && echo "[exit status $status]" >>"$tmp/out"
  return 0
}

# stat NAME: a figure of the last run's stats line (empty if none).
stat() {
  sed -n "s/.* $1 \([0-9]*\).*/\1/p" "$tmp/stats"
}

matches() {
  cmp -s "$tmp/out" "$exp"
}

out_of_heap() {
  grep -aq 'not enough memory' "$tmp/out"
}
out_of_stack() {
  grep -aq '^mcu: fault: C stack overflow' "$tmp/out"
}

# The arena a firmware has (it refuses a heap larger than that).
capacity() {
  printf 'print()\n' >"$tmp/cap.lua"
  input=/dev/null
  "$MKBOOT" -H 0x7fffffff -o "$tmp/boot.bin" "$tmp/cap.lua"
  qemu "$1"
  sed -n 's/.*the arena has \([0-9]*\).*/\1/p' "$tmp/raw"
}

# measure SCRIPT HEAP: the smallest heap (4 KB steps) and the firmware in
# which the script passes: sets need and needfw, or need= when none.
measure() {
  needfw=$FW
  out_of_stack && needfw=$FWBIG
  lo=$2
  hi=$cap
  [ "$needfw" = "$FWBIG" ] && hi=$capbig
  need=
  run_device "$needfw" "$hi" "$1"
  if ! matches && [ "$needfw" = "$FW" ] && out_of_stack; then
    needfw=$FWBIG
    hi=$capbig
    run_device "$needfw" "$hi" "$1"
  fi
  matches || return
  hi=$((hi / 4096 * 4096))
  while [ $((hi - lo)) -gt 4096 ]; do
    mid=$(((lo + hi) / 2 / 4096 * 4096))
    [ "$mid" -le "$lo" ] && break
    run_device "$needfw" "$mid" "$1"
    if matches; then hi=$mid; else lo=$mid; fi
  done
  need=$hi
  run_device "$needfw" "$need" "$1"
}

kb() {
  awk "BEGIN { printf \"%.1f KB\", $1 / 1024 }"
}

# report VERDICT SCRIPT TEXT
report() {
  printf '%s [%s] %-34s %s\n' "$1" "$mode" "$2" "$3"
}

# run_mode SCRIPT HEAP RULE: one run in $mode, measured when it does not fit.
run_mode() {
  t=$1
  run_device "$FW" "$2" "$t"
  if matches; then
    pass=$((pass + 1))
    report PASS "$t" "loaded $(kb "$(stat loaded)"), peak $(kb "$(stat peak)"), C stack $(kb "$(stat stack)")"
    case $3 in over*) echo "     (fits now: remove it from $BUDGET)" ;; esac
    return
  fi
  if out_of_heap || out_of_stack; then
    cp "$tmp/out" "$tmp/first"
    measure "$t" "$2"
    if [ -z "$need" ]; then
      case $3 in
      over*)
        over=$((over + 1))
        report OVER "$t" "does not fit in the largest arena, $(kb "$cap") (${3#over })"
        return ;;
      esac
    else
      what="heap $(kb "$need")"
      [ "$needfw" = "$FWBIG" ] && what="$what and C stack $(kb "$(stat stack)")"
      case $3 in
      over*)
        over=$((over + 1))
        pass=$((pass + 1))
        report OVER "$t" "needs $what (${3#over })"
        return ;;
      esac
      fail=$((fail + 1))
      report FAIL "$t" "does not fit: needs $what (not allowed in $BUDGET)"
      return
    fi
    cp "$tmp/first" "$tmp/out"
  fi
  fail=$((fail + 1))
  report FAIL "$t" ""
  diff "$exp" "$tmp/out" | head -20 | sed 's/^/    /'
}

run_script() {
  t=$1
  exp=${t%.lua}.expected
  [ -f "${t%.lua}.small.expected" ] && exp=${t%.lua}.small.expected
  [ -f "${t%.lua}.mcu.expected" ] && exp=${t%.lua}.mcu.expected
  rule=$(awk -v t="$t" '$1 == t { $1 = ""; print substr($0, 2) }' "$BUDGET")
  mode=all
  if [ ! -f "$exp" ]; then
    fail=$((fail + 1))
    report FAIL "$t" "(no .expected file)"
    return
  fi
  case $rule in
  skip*)
    skip=$((skip + 1))
    report SKIP "$t" "${rule#skip }"
    return ;;
  esac
  args=$(sed -n '1s/^-- args: //p' "$t")
  heap=40960
  case $args in
  "") ;;
  "--heap "*k) heap=${args#--heap }; heap=$((${heap%k} * 1024)) ;;
  "--heap "*m) heap=${args#--heap }; heap=$((${heap%m} * 1048576)) ;;
  *)
    skip=$((skip + 1))
    report SKIP "$t" "interpreter options: $args"
    return ;;
  esac
  if [ "$heap" -gt "$cap" ]; then
    skip=$((skip + 1))
    report SKIP "$t" "asks for a heap of $(kb "$heap"), more than the board has"
    return
  fi
  mode=src
  run_mode "$t" "$heap" "$rule"
  mode=img
  if ! "$MOONLETC" -f -a $SLOT_ADDR -r "$ROM_ADDR" -o "$tmp/slot.bin" "$t" >"$tmp/raw" 2>&1; then
    # a script whose expected output is its own compile error has no image
    { sed 's/^moonletc: /moonlet: /' "$tmp/raw"; echo "[exit status 1]"; } >"$tmp/out"
    if matches; then
      pass=$((pass + 1))
      report PASS "$t" "no image: moonletc refuses it with the expected compile error"
    else
      fail=$((fail + 1))
      report FAIL "$t" "$MOONLETC can not build its image:"
      sed 's/^/    /' "$tmp/raw" | head -5
    fi
    return
  fi
  run_mode "$t" "$heap" "$rule"
}

# The guards: each provoked fault must end in the handler with its cause.
selftest() {
  mode=fault
  input=/dev/null
  "$MKBOOT" -F "$1" -o "$tmp/boot.bin" || return
  qemu "$FW"
  status=$?
  if [ $status -eq 3 ] && grep -aq "^mcu: fault: $2" "$tmp/raw"; then
    pass=$((pass + 1))
    report PASS "$1" "$2"
  else
    fail=$((fail + 1))
    report FAIL "$1" "exit status $status, expected 3 and \"$2\""
    sed 's/^/    /' "$tmp/raw" | head -5
  fi
}

for f in "$FW" "$FWBIG" "$MKBOOT" "$MOONLETC"; do
  [ -f "$f" ] || { echo "missing $f: make test-mcu builds it"; echo "0 passed, 1 failed"; exit 1; }
done
# A slot points at the firmware's ROM strings (moonletc -r): both
# firmwares have them at one address (only their stacks differ).
romaddr() {
  "$NM" "$1" | awk '$3 == "ml_romstrings" { print "0x" $1 }'
}
ROM_ADDR=$(romaddr "$FW")
if [ -z "$ROM_ADDR" ] || [ "$ROM_ADDR" != "$(romaddr "$FWBIG")" ]; then
  echo "no common address of ml_romstrings in $FW and $FWBIG"
  echo "0 passed, 1 failed"
  exit 1
fi
cap=$(capacity "$FW")
capbig=$(capacity "$FWBIG")
[ -n "$cap" ] || { echo "the firmware does not start in $QEMU"; echo "0 passed, 1 failed"; exit 1; }
echo "device: QEMU netduinoplus2, 40 KB heap (arena up to $(kb "$cap"); $(kb "$capbig") on the big-stack firmware)"
for t in tests/lang/*.lua tests/lib/*.lua tests/errors/*.lua tests/gc/*.lua tests/heap/*.lua; do
  case $t in *"$filter"*) run_script "$t" ;; esac
done
case "fault guards" in *"$filter"*)
  selftest flash-write "write to flash"
  selftest null-read "NULL pointer access"
  selftest null-write "NULL pointer access"
  selftest stack-overflow "C stack overflow"
  selftest exec-ram "instruction fetch from a no-execute region"
  selftest div-zero "integer division by zero" ;;
esac
echo "$over runs over the 40 KB budget (measured above), $skip scripts skipped"
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
