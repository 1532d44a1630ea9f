#!/bin/sh
# bench/run.sh: times every bench/*.lua under moonlet and lua5.3 (median of
# RUNS runs each) and prints the ratio moonlet/lua5.3 per program and their
# geometric mean. Usage: sh bench/run.sh [moonlet-binary] [runs]
MOONLET=${1:-build/moonlet}
RUNS=${2:-5}
REF=${REF:-lua5.3}
cd "$(dirname "$0")/.." || exit 1

median_time() { # command... -> median wall seconds of RUNS runs
  for _ in $(seq "$RUNS"); do
    s=$(date +%s.%N)
    "$@" >/dev/null 2>&1
    e=$(date +%s.%N)
    awk -v s="$s" -v e="$e" 'BEGIN {print e - s}'
  done | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'
}

printf '%-12s %10s %10s %8s\n' program moonlet "$REF" ratio
logsum=0
count=0
for f in bench/*.lua; do
  name=$(basename "$f" .lua)
  out_m=$("$MOONLET" "$f" 2>&1)
  out_r=$("$REF" "$f" 2>&1)
  [ "$out_m" = "$out_r" ] || echo "  warning: $name output differs from $REF"
  tm=$(median_time "$MOONLET" "$f")
  tr=$(median_time "$REF" "$f")
  ratio=$(awk -v a="$tm" -v b="$tr" 'BEGIN {print a / b}')
  printf '%-12s %10.3f %10.3f %8.3f\n' "$name" "$tm" "$tr" "$ratio"
  logsum=$(awk -v s="$logsum" -v r="$ratio" 'BEGIN {print s + log(r)}')
  count=$((count + 1))
done
printf '%-12s %30.3f\n' geomean "$(awk -v s="$logsum" -v n="$count" 'BEGIN {print exp(s / n)}')"
