#!/bin/sh
# bench/iot/run.sh: the flash store's figures for the IoT application in
# bench/iot/: RAM added by requiring it from source and from its image,
# image sizes against luac5.3 -s, the flash it needs, and reload time.
# Usage: sh bench/iot/run.sh [build dir]   (default build/small-m32, made by
# `make CONFIG=small M32=1`: the device's numbers on a 32-bit build)
B=${1:-build/small-m32}
[ -x "$B/moonlet" ] || { echo "build $B first (make CONFIG=small M32=1)"; exit 1; }
MODS="app config filter http router sched"
SRCS=$(for m in $MODS; do printf 'bench/iot/%s.lua ' "$m"; done)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export SOURCE_DATE_EPOCH=1

echo "== RAM added by require (collectgarbage('count') after full collections), $B"
# shellcheck disable=SC2086
"$B/moonletc" -f -o "$tmp/iot.img" $SRCS || exit 1
src=$("$B/moonlet" bench/iot/ram.lua | awk 'NR == 1 {print $2}')
img=$("$B/moonlet" --image "$tmp/iot.img" bench/iot/ram.lua | awk 'NR == 1 {print $2}')
echo "from source: $src bytes"
echo "from image:  $img bytes ($((100 * img / src))% of the source figure)"

echo "== sizes"
# shellcheck disable=SC2086
"$B/moonletc" -f -s -o "$tmp/iot-s.img" $SRCS || exit 1
lines=$(cat $SRCS | wc -l)
echo "sources: $(echo $MODS | wc -w) modules, $lines lines, $(cat $SRCS | wc -c) bytes"
if command -v luac5.3 >/dev/null; then
  # shellcheck disable=SC2086
  luac5.3 -s -o "$tmp/luac.out" $SRCS
  # shellcheck disable=SC2086
  luac5.3 -o "$tmp/luac-g.out" $SRCS
  echo "luac5.3 -s: $(wc -c <"$tmp/luac.out") bytes (with debug information: $(wc -c <"$tmp/luac-g.out"))"
fi
echo "image -s:   $(wc -c <"$tmp/iot-s.img") bytes (with debug information: $(wc -c <"$tmp/iot.img"))"
echo "flash used: $("$B/moonletc" -i "$tmp/iot-s.img" | sed -n 's/.*needed in this build: //p') stripped," \
     "$("$B/moonletc" -i "$tmp/iot.img" | sed -n 's/.*needed in this build: //p') with debug information"

echo "== reload time"
cflags="-std=c11 -O2 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -Isrc"
case $B in *small*) cflags="$cflags -DML_SMALL=1" ;; esac
case $B in *m32*) cflags="$cflags -m32 -funsigned-char -isystem build/m32inc" ;; esac
# shellcheck disable=SC2086
cc $cflags -o "$tmp/reload_time" bench/iot/reload_time.c "$B/libmoonlet.a" $(case $B in *m32*) echo -m32 ;; esac) -lm || exit 1
SOURCE_DATE_EPOCH=2 "$B/moonletc" -f -o "$tmp/iot2.img" $SRCS
"$tmp/reload_time" "$tmp/iot.img" "$tmp/iot2.img"
"$tmp/reload_time" "$tmp/iot.img" "$tmp/iot2.img" "$tmp/flash.bin"
