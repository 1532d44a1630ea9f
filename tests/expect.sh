#!/bin/sh
# tests/expect.sh: regenerates the .expected file of every test script from
# Debian's lua5.3, the reference for ordinary Lua behaviour. Scripts whose
# first or second line says "-- moonlet-only" keep a hand-written .expected.
# Usage: sh tests/expect.sh [pattern]
REF=${REF:-lua5.3}
for t in tests/*/*.lua; do
  case $t in *"${1:-}"*) ;; *) continue ;; esac
  head -2 "$t" | grep -q -- '-- moonlet-only' && continue
  exp=${t%.lua}.expected
  input=/dev/null
  [ -f "${t%.lua}.stdin" ] && input=${t%.lua}.stdin
  timeout 120 "$REF" "$t" <"$input" >"$exp" 2>&1
  status=$?
  [ $status -ne 0 ] && echo "[exit status $status]" >>"$exp"
  sed -i "s/^$REF: /moonlet: /" "$exp"
done
