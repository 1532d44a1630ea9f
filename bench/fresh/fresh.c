/*
** bench/fresh/fresh.c: the RAM of a fresh state, as embedders make one:
** luaL_newstate, then luaL_openlibs, then a full collection; and what the
** first global, the first write into a library and the first use of io
** add (what a ROM table's overlay and the lazy standard files cost).
*/
#include <stdio.h>

#include "lua.h"
#include "lauxlib.h"
#include "lualib.h"

static long inuse(lua_State *L) {
  return lua_gc(L, LUA_GCCOUNT, 0) * 1024L + lua_gc(L, LUA_GCCOUNTB, 0);
}

static void step(lua_State *L, const char *what, const char *code) {
  long before = inuse(L);
  if (luaL_dostring(L, code) != LUA_OK) {
    printf("%s: error %s\n", what, lua_tostring(L, -1));
    return;
  }
  lua_gc(L, LUA_GCCOLLECT, 0);
  printf("  %-34s %+6ld bytes\n", what, inuse(L) - before);
}

int main(void) {
  lua_State *L = luaL_newstate();
  if (L == NULL) return 1;
  printf("  %-34s %6ld bytes\n", "luaL_newstate", inuse(L));
  luaL_openlibs(L);
  printf("  %-34s %6ld bytes\n", "+ luaL_openlibs", inuse(L));
  lua_gc(L, LUA_GCCOLLECT, 0);
  printf("  %-34s %6ld bytes\n", "after a full collection", inuse(L));
  step(L, "a first global (x = 1)", "x = 1");
  step(L, "a second global", "y = 2");
  step(L, "function string.trim (a library)", "function string.trim(s) return s end");
  step(L, "io.write (stdout made)", "io.write('')");
  lua_close(L);
  return 0;
}
