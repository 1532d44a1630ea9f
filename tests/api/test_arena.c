/*
** test_arena.c: a state in a caller-owned arena (moonlet_newstatearena):
** its objects live in the block, running out of it raises "not enough
** memory", and nothing outside the block is ever written, closed or not.
*/
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "lauxlib.h"
#include "lua.h"
#include "lualib.h"
#include "moonlet.h"

#include "../check.h"

#define GUARD 256
#define ARENA (40 * 1024)
#define SKEW 3 /* the block need not be aligned */
#define FILL 0x5A

static unsigned char buf[GUARD + SKEW + ARENA + GUARD];
static unsigned char *const arena = buf + GUARD + SKEW;

/* Every byte outside the arena still holds the fill. */
static int outside_untouched(void) {
  const unsigned char *p;
  for (p = buf; p < arena; p++)
    if (*p != FILL) return 0;
  for (p = arena + ARENA; p < buf + sizeof buf; p++)
    if (*p != FILL) return 0;
  return 1;
}

static int inside(const void *p) {
  uintptr_t a = (uintptr_t)p, lo = (uintptr_t)arena;
  return a >= lo && a < lo + ARENA;
}

static void test_in_place(lua_State *L) {
  moonlet_HeapInfo info;
  void *ud;
  lua_Alloc f;
  lua_newtable(L);
  CHECK(inside(lua_topointer(L, -1)));
  CHECK(inside(lua_newuserdata(L, 100)));
  CHECK(inside(lua_pushstring(L, "a string that is not interned anywhere else")));
  CHECK(inside(L));
  lua_settop(L, 0);
  moonlet_heapinfo(L, &info);
  CHECK(info.total > ARENA - 256 && info.total <= ARENA);
  CHECK(info.used > 0 && info.used + info.free <= info.total);
  f = lua_getallocf(L, &ud);
  CHECK(f != NULL && f(ud, NULL, 0, 16) == NULL); /* no memory but the arena */
}

static void test_out_of_memory(lua_State *L) {
  CHECK(luaL_loadstring(L, "local t = {} for i = 1, 1e6 do t[i] = {i} end") ==
        LUA_OK);
  CHECK(lua_pcall(L, 0, 0, 0) == LUA_ERRMEM);
  CHECK(strcmp(lua_tostring(L, -1), "not enough memory") == 0);
  lua_settop(L, 0);
  CHECK(outside_untouched());
  lua_gc(L, LUA_GCCOLLECT, 0);
  CHECK(luaL_dostring(L, "local s = 0 for i = 1, 100 do s = s + #tostring(i) end "
                         "return s") == LUA_OK);
  CHECK(lua_tointeger(L, -1) == 192);
  lua_settop(L, 0);
}

static lua_State *open_state(void) {
  lua_State *L = moonlet_newstatearena(arena, ARENA);
  CHECK(L != NULL);
  if (L != NULL) luaL_openlibs(L);
  return L;
}

int main(void) {
  lua_State *L;
  memset(buf, FILL, sizeof buf);
  CHECK(moonlet_newstatearena(NULL, ARENA) == NULL);
  CHECK(moonlet_newstatearena(arena, 64) == NULL); /* too small for a state */
  CHECK(outside_untouched());
  if ((L = open_state()) == NULL) return 1;
  test_in_place(L);
  test_out_of_memory(L);
  lua_close(L);
  CHECK(outside_untouched());
  /* the block is the caller's again: a second state in it works too */
  if ((L = open_state()) == NULL) return 1;
  CHECK(luaL_dostring(L, "return ('x'):rep(1000)") == LUA_OK);
  CHECK(inside(lua_tostring(L, -1)));
  lua_close(L);
  CHECK(outside_untouched());
  return check_report();
}
