/*
** fuzz_run.c: libFuzzer harness for the whole runtime. The input is Lua
** source, run with the sandboxed standard libraries (fuzz_common.h) in a
** 256 KB heap, for at most FUZZ_BUDGET instructions. Any Lua error is a
** fine outcome; a crash, sanitizer report or leaked block is not.
*/
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  lua_State *L = fuzz_newstate(1);
  if (luaL_loadbufferx(L, (const char *)data, size, "=fuzz", "t") == LUA_OK)
    lua_pcall(L, 0, 0, 0);
  fuzz_leakcheck(L, "running");
  lua_close(L);
  return 0;
}
