/*
** fuzz_compile.c: libFuzzer harness for the compiler. The input is Lua
** source, compiled in a capped state with no libraries and never run; a
** syntax or memory error is fine, a crash, sanitizer report or leaked
** block is not.
*/
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  lua_State *L = fuzz_newstate(0);
  luaL_loadbufferx(L, (const char *)data, size, "=fuzz", "t");
  fuzz_leakcheck(L, "compiling");
  lua_close(L);
  return 0;
}
