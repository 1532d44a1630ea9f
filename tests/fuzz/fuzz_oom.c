/*
** fuzz_oom.c: libFuzzer harness for the out-of-memory paths. The input is
** Lua source, compiled and run as in fuzz_run, but one allocation, chosen
** by a hash of the input, fails as in a full heap; for a quarter of the
** inputs a full collection also runs before every allocation (node.egc's
** "always"), which finds objects left unanchored across an allocation.
** "not enough memory" is a fine outcome; a crash or a leak is not.
*/
#include "fuzz_common.h"

static uint32_t hash(const uint8_t *data, size_t size) {
  uint32_t h = 2166136261u; /* FNV-1a */
  size_t i;
  for (i = 0; i < size; i++) h = (h ^ data[i]) * 16777619u;
  return h;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  lua_State *L = fuzz_newstate(1);
  uint32_t h = hash(data, size);
  if ((h & 3) == 0)
    moonlet_setegc(L, MOONLET_EGC_ALWAYS | MOONLET_EGC_ON_ALLOC_FAILURE, 0);
  moonlet_failalloc(L, 1 + (h >> 3) % ((h & 4) ? 300 : 3000));
  if (luaL_loadbufferx(L, (const char *)data, size, "=fuzz", "t") == LUA_OK)
    lua_pcall(L, 0, 0, 0);
  moonlet_failalloc(L, 0);
  moonlet_setegc(L, MOONLET_EGC_ON_ALLOC_FAILURE, 0);
  fuzz_leakcheck(L, "running out of memory");
  lua_close(L);
  return 0;
}
