#!/bin/sh
# bench/demo.sh: the whole story in one command (`make demo`). Builds the
# IoT application of bench/iot/ into a flash image with moonletc, runs it
# from flash in a 40 KB heap with the device's numbers (small configuration,
# 32-bit), tries the same from source in the same heap, and prints the RAM
# the image saved.
B=${1:-build/small-m32}
MODS="app config filter http router sched"
SRCS=$(for m in $MODS; do printf 'bench/iot/%s.lua ' "$m"; done)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export SOURCE_DATE_EPOCH=1

echo "== moonletc -f -o iot.img ($(echo $MODS | wc -w) modules, $(cat $SRCS | wc -l) lines)"
# shellcheck disable=SC2086
"$B/moonletc" -f -s -o "$tmp/iot.img" $SRCS || exit 1
"$B/moonletc" -i "$tmp/iot.img" | head -4

echo "== from flash, in a 40 KB heap: moonlet --heap 40k --image iot.img bench/iot/ram.lua"
"$B/moonlet" --heap 40k --image "$tmp/iot.img" bench/iot/ram.lua >"$tmp/img.out" 2>&1
img_status=$?
cat "$tmp/img.out"

echo "== from source, in the same 40 KB heap: moonlet --heap 40k bench/iot/ram.lua"
"$B/moonlet" --heap 40k bench/iot/ram.lua 2>&1 | head -3

echo "== from source, in an unlimited heap"
"$B/moonlet" bench/iot/ram.lua >"$tmp/src.out" 2>&1
head -1 "$tmp/src.out"

img=$(awk 'NR == 1 {print $2}' "$tmp/img.out")
src=$(awk 'NR == 1 {print $2}' "$tmp/src.out")
echo "== RAM added by require: $src bytes from source, $img bytes from flash:" \
     "the image saves $((src - img)) bytes ($((100 * (src - img) / src))%)"
[ "$img_status" -eq 0 ]
