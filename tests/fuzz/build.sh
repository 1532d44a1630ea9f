#!/bin/sh
# tests/fuzz/build.sh: builds the libFuzzer harnesses with clang, apart
# from the Makefile, and their seed corpora. Run from the repository root:
#   sh tests/fuzz/build.sh            default numbers, into build/fuzz/
#   CONFIG=small sh tests/fuzz/build.sh   32-bit numbers, build/fuzz-small/
# Then, e.g.:
#   build/fuzz/fuzz_run -max_len=2000 -timeout=10 -rss_limit_mb=2048 \
#     build/fuzz/corpus/run build/fuzz/seeds/source
# Seeds: tests/*/*.lua as source; for fuzz_binary, their string.dump
# (made with build/moonlet, or build/small/moonlet for CONFIG=small, when
# it is there); for fuzz_image, each as an image (build/moonletc).
set -e
CC=${CC:-clang}
CONFIG=${CONFIG:-default}
OUT=build/fuzz
DEFS=
if [ "$CONFIG" = small ]; then
  OUT=build/fuzz-small
  DEFS=-DML_SMALL=1
fi
SAN="-fsanitize=address,undefined -fno-sanitize-recover=undefined"
CFLAGS="-std=c11 -g -O1 -fno-omit-frame-pointer -D_POSIX_C_SOURCE=200809L \
-D_DEFAULT_SOURCE $DEFS $SAN -Isrc -I$OUT/gen"
mkdir -p "$OUT/obj" "$OUT/gen"

# the ROM tables of the standard libraries (as the Makefile's build/gen)
if [ ! -f "$OUT/gen/rom_gen.h" ] ||
  [ -n "$(find tools/romgen.c src/lib_rom.h src/strhash.h src/meta.h -newer "$OUT/gen/rom_gen.h")" ]; then
  cc -std=c11 -O1 -Isrc -o "$OUT/gen/romgen" tools/romgen.c
  "$OUT/gen/romgen" "$OUT/gen"
fi

objs=
for src in src/*.c; do
  case $src in src/main.c | src/moonletc.c) continue ;; esac
  obj=$OUT/obj/$(basename "$src" .c).o
  if [ ! -f "$obj" ] || [ -n "$(find "$src" src/*.h "$OUT/gen/rom_gen.h" -newer "$obj" 2>/dev/null | head -1)" ]; then
    # shellcheck disable=SC2086
    $CC $CFLAGS -fsanitize=fuzzer-no-link -c "$src" -o "$obj"
  fi
  objs="$objs $obj"
done
for h in compile run binary oom image; do
  # shellcheck disable=SC2086
  $CC $CFLAGS -fsanitize=fuzzer -o "$OUT/fuzz_$h" "tests/fuzz/fuzz_$h.c" \
    $objs -lm
done

# seeds
mkdir -p "$OUT/seeds/source" "$OUT/seeds/binary"
for t in tests/*/*.lua; do
  cp "$t" "$OUT/seeds/source/$(echo "$t" | tr / _)"
done
MOONLET=${MOONLET:-build/moonlet}
[ "$CONFIG" = small ] && MOONLET=${MOONLET_SMALL:-build/small/moonlet}
if [ -x "$MOONLET" ]; then
  cat >"$OUT/dumpseeds.lua" <<'LUA'
local out = arg[1]
for i = 2, #arg do
  local f = loadfile(arg[i])
  if f then
    for _, strip in ipairs{false, true} do
      local name = out .. "/" .. arg[i]:gsub("/", "_") .. (strip and ".s" or "")
      local h = assert(io.open(name, "wb"))
      h:write(string.dump(f, strip))
      h:close()
    end
  end
end
LUA
  # shellcheck disable=SC2046
  "$MOONLET" "$OUT/dumpseeds.lua" "$OUT/seeds/binary" tests/*/*.lua
fi
# seeds for fuzz_image: each test script as a one-module image
MOONLETC=${MOONLETC:-build/moonletc}
[ "$CONFIG" = small ] && MOONLETC=${MOONLETC_SMALL:-build/small/moonletc}
if [ -x "$MOONLETC" ]; then
  mkdir -p "$OUT/seeds/image"
  for t in tests/*/*.lua; do
    "$MOONLETC" -f -o "$OUT/seeds/image/$(echo "$t" | tr / _).img" "$t" \
      2>/dev/null || true
  done
fi
echo "built $OUT/fuzz_compile $OUT/fuzz_run $OUT/fuzz_binary $OUT/fuzz_oom $OUT/fuzz_image"
