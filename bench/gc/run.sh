#!/bin/sh
# bench/gc/run.sh: the collector's figures.
#  1. the longest single GC step (time and work, about the bytes traversed)
#     and the GC time share on bench/gc/workload.lua, in a 40 KB heap
#     ("small") and in a 4 MB one ("large"), from a build with
#     -DML_GC_STATS=1 (build/gcstats) driven by bench/gc/gcstats.c;
#  2. the GC time share on the bench set, measured alike for moonlet and
#     lua5.3 (Debian's liblua5.3.a, through bench/gc/lua53drv.c) as the perf
#     samples inside the collector's entry points, callees included; and
#     moonlet's own clock() figure from the ML_GC_STATS build;
#  3. the smallest --heap in which each bench program completes with the
#     same output as lua5.3 (binary search, to 1%), next to lua5.3's peak
#     collectgarbage("count") (sampled every 100 instructions).
# Usage: sh bench/gc/run.sh [moonlet-binary]   (parts: PARTS="1 2 3")
MOONLET=${1:-build/moonlet}
REF=${REF:-lua5.3}
PARTS=${PARTS:-1 2 3}
cd "$(dirname "$0")/../.." || exit 1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

part1() {
  make -s VARIANT=gcstats CFLAGS=-DML_GC_STATS=1 build/gcstats/libmoonlet.a ||
    exit 1
  cc -O2 -Isrc -o build/gcstats/gcstats bench/gc/gcstats.c \
    build/gcstats/libmoonlet.a -lm || exit 1
  echo "== 1. longest step, GC share: bench/gc/workload.lua"
  for w in "40960 small" "4194304 large"; do
    set -- $w
    printf '%-6s heap %8s: ' "$2" "$1"
    build/gcstats/gcstats "$1" bench/gc/workload.lua "$2" 2>&1 >/dev/null
  done
}

# Share of CPU samples (perf, with call graphs) inside the collector's
# entry points, callees included: $1 = perf data, $2 = regex of symbols.
gcshare() {
  perf report -i "$1" --children --sort sym --stdio -g none 2>/dev/null |
    awk -v re="$2" '$4 ~ re {gsub("%", "", $1); s += $1} END {printf "%.1f%%", s}'
}

part2() {
  echo "== 2. GC time share on the bench set (perf samples in the collector)"
  mkdir -p build/ref
  cc -O2 -g -o build/ref/lua53 bench/gc/lua53drv.c \
    /usr/lib/x86_64-linux-gnu/liblua5.3.a -lm -ldl || exit 1
  printf '%-10s %12s %12s %12s\n' program "moonlet" "lua5.3" "ML_GC_STATS"
  for f in bench/*.lua; do
    name=$(basename "$f" .lua)
    perf record -q -o "$tmp/m.data" -F 1999 --call-graph dwarf \
      "$MOONLET" "$f" >/dev/null 2>&1
    perf record -q -o "$tmp/r.data" -F 1999 --call-graph dwarf \
      build/ref/lua53 "$f" >/dev/null 2>&1
    m=$(build/gcstats/gcstats 0 "$f" 2>&1 >/dev/null |
      sed -n 's/.*gc [0-9.]* s (\([0-9.]*%\)).*/\1/p')
    printf '%-10s %12s %12s %12s\n' "$name" \
      "$(gcshare "$tmp/m.data" '^(step|gc_step|gc_autostep|gc_fullgc|gc_freeall)$')" \
      "$(gcshare "$tmp/r.data" '^(luaC_step|luaC_fullgc|luaC_freeallobjects)$')" "$m"
  done
}

# Does $MOONLET --heap $1 run $2 with lua5.3's output ($tmp/ref)?
fits() {
  timeout 300 "$MOONLET" --heap "$1" "$2" >"$tmp/out" 2>&1 &&
    cmp -s "$tmp/out" "$tmp/ref"
}

part3() {
  echo "== 3. smallest heap (bytes) vs $REF peak collectgarbage(\"count\")"
  printf '%-10s %12s %16s\n' program "min --heap" "$REF peak"
  peak='local max = 0
debug.sethook(function() local c = collectgarbage("count")
  if c > max then max = c end end, "", 100)
PEAK_ = setmetatable({}, {__gc = function()
  io.stderr:write(string.format("%.0f\n", max * 1024)) end})'
  for f in bench/*.lua; do
    name=$(basename "$f" .lua)
    "$REF" "$f" >"$tmp/ref" 2>&1
    rp=$("$REF" -e "$peak" "$f" 2>&1 >/dev/null | tail -n 1)
    lo=4096
    hi=$((1024 * 1024 * 1024))
    if fits "$lo" "$f"; then hi=$lo; fi
    while [ $((hi - lo)) -gt $((lo / 100 > 1024 ? lo / 100 : 1024)) ]; do
      mid=$(((lo + hi) / 2))
      if fits "$mid" "$f"; then hi=$mid; else lo=$mid; fi
    done
    printf '%-10s %12d %16s\n' "$name" "$hi" "$rp"
  done
}

for p in $PARTS; do
  case $p in
  1) part1 ;;
  2) [ -x build/gcstats/gcstats ] || part1 >/dev/null; part2 ;;
  3) part3 ;;
  esac
done
