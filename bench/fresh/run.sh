#!/bin/sh
# bench/fresh/run.sh: the RAM of a fresh state with all standard libraries
# (bench/fresh/fresh.c), in the default build and the small 32-bit one.
# Usage: sh bench/fresh/run.sh   (builds what it needs with make)
cd "$(dirname "$0")/../.." || exit 1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
make -s all >/dev/null || exit 1
make -s CONFIG=small M32=1 all >/dev/null || exit 1
echo "== default build (64-bit)"
cc -O2 -Isrc -o "$tmp/fresh" bench/fresh/fresh.c build/default/libmoonlet.a -lm &&
  "$tmp/fresh"
echo "== small build, -m32"
cc -m32 -O2 -Isrc -o "$tmp/fresh32" bench/fresh/fresh.c \
  build/small-m32/libmoonlet.a -lm && "$tmp/fresh32"
