/*
** bench/gc/lua53drv.c: a minimal lua5.3 (Debian's liblua5.3.a, which keeps
** its function names) to profile the reference collector with perf:
** runs script [args] with the standard libraries, as `lua5.3 script`.
*/
#include <stdio.h>

#include <lua5.3/lauxlib.h>
#include <lua5.3/lua.h>
#include <lua5.3/lualib.h>

int main(int argc, char **argv) {
  lua_State *L = luaL_newstate();
  int i, st;
  luaL_openlibs(L);
  lua_createtable(L, argc, 0);
  for (i = 1; i < argc; i++) {
    lua_pushstring(L, argv[i]);
    lua_rawseti(L, -2, i - 1);
  }
  lua_setglobal(L, "arg");
  st = argc > 1 ? luaL_dofile(L, argv[1]) : 1;
  if (st) fprintf(stderr, "%s\n", lua_tostring(L, -1));
  lua_close(L);
  return st;
}
