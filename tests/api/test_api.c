/*
** test_api.c: the C API as an embedder uses it: stack, tables, calls,
** errors, userdata with metatables, references, threads, capped heaps.
*/
#include <stdio.h>
#include <string.h>

#include "lauxlib.h"
#include "lua.h"
#include "lualib.h"
#include "moonlet.h"

#include "../check.h"

static int c_add(lua_State *L) {
  lua_Integer a = luaL_checkinteger(L, 1), b = luaL_checkinteger(L, 2);
  lua_pushinteger(L, a + b);
  return 1;
}

static int c_counter(lua_State *L) {
  lua_Integer n = lua_tointeger(L, lua_upvalueindex(1)) + 1;
  lua_pushinteger(L, n);
  lua_copy(L, -1, lua_upvalueindex(1));
  return 1;
}

static void test_stack(lua_State *L) {
  lua_settop(L, 0);
  lua_pushinteger(L, 1);
  lua_pushnumber(L, 2.5);
  lua_pushstring(L, "three");
  lua_pushboolean(L, 1);
  lua_pushnil(L);
  CHECK(lua_gettop(L) == 5);
  CHECK(lua_isinteger(L, 1) && !lua_isinteger(L, 2));
  CHECK(lua_type(L, 3) == LUA_TSTRING && lua_type(L, -1) == LUA_TNIL);
  CHECK(lua_tonumber(L, 2) == 2.5);
  CHECK(strcmp(lua_tostring(L, -3), "three") == 0);
  lua_rotate(L, 1, 1); /* nil 1 2.5 "three" true */
  CHECK(lua_isnil(L, 1) && lua_tointeger(L, 2) == 1);
  lua_remove(L, 1);
  lua_insert(L, 1); /* true 1 2.5 "three" */
  CHECK(lua_toboolean(L, 1) && lua_gettop(L) == 4);
  lua_pushinteger(L, 42);
  lua_replace(L, 2);
  CHECK(lua_tointeger(L, 2) == 42);
  CHECK(lua_absindex(L, -1) == 4);
  lua_settop(L, 0);
  CHECK(lua_checkstack(L, 1000));
  lua_pushinteger(L, 12);
  size_t len;
  const char *s = lua_tolstring(L, 1, &len); /* converts in place */
  CHECK(strcmp(s, "12") == 0 && len == 2 && lua_type(L, 1) == LUA_TSTRING);
  lua_settop(L, 0);
}

static void test_tables(lua_State *L) {
  lua_newtable(L);
  lua_pushstring(L, "v");
  lua_setfield(L, 1, "k");
  lua_pushinteger(L, 7);
  lua_rawseti(L, 1, 1);
  CHECK(lua_getfield(L, 1, "k") == LUA_TSTRING);
  CHECK(lua_rawgeti(L, 1, 1) == LUA_TNUMBER && lua_tointeger(L, -1) == 7);
  CHECK(lua_rawlen(L, 1) == 1);
  lua_settop(L, 1);
  int n = 0;
  lua_pushnil(L);
  while (lua_next(L, 1)) {
    n++;
    lua_pop(L, 1);
  }
  CHECK(n == 2);
  lua_setglobal(L, "T");
  CHECK(luaL_dostring(L, "return T.k .. T[1]") == LUA_OK);
  CHECK(strcmp(lua_tostring(L, -1), "v7") == 0);
  lua_settop(L, 0);
}

static void test_calls(lua_State *L) {
  lua_pushcfunction(L, c_add);
  lua_setglobal(L, "add");
  CHECK(luaL_dostring(L, "return add(40, 2)") == LUA_OK);
  CHECK(lua_tointeger(L, -1) == 42);
  lua_settop(L, 0);
  CHECK(luaL_loadstring(L, "return add(1, 'x')") == LUA_OK);
  CHECK(lua_pcall(L, 0, 0, 0) == LUA_ERRRUN);
  CHECK(strstr(lua_tostring(L, -1), "bad argument #2 to 'add'") != NULL);
  lua_settop(L, 0);
  lua_pushinteger(L, 0);
  lua_pushcclosure(L, c_counter, 1);
  lua_pushvalue(L, -1);
  lua_call(L, 0, 1);
  lua_pop(L, 1);
  lua_call(L, 0, 1);
  CHECK(lua_tointeger(L, -1) == 2);
  lua_settop(L, 0);
  CHECK(luaL_loadstring(L, "local a, b = ... return a * b, 'x'") == LUA_OK);
  lua_pushinteger(L, 6);
  lua_pushinteger(L, 7);
  CHECK(lua_pcall(L, 2, LUA_MULTRET, 0) == LUA_OK);
  CHECK(lua_gettop(L) == 2 && lua_tointeger(L, 1) == 42);
  lua_settop(L, 0);
  CHECK(luaL_loadstring(L, "x = = 1") == LUA_ERRSYNTAX);
  CHECK(strcmp(lua_tostring(L, -1),
               "[string \"x = = 1\"]:1: unexpected symbol near '='") == 0);
  lua_settop(L, 0);
}

typedef struct Box {
  int value;
} Box;

static int box_get(lua_State *L) {
  Box *b = (Box *)luaL_checkudata(L, 1, "Box");
  lua_pushinteger(L, b->value);
  return 1;
}

static void test_userdata(lua_State *L) {
  Box *b = (Box *)lua_newuserdata(L, sizeof(Box));
  b->value = 99;
  CHECK(((size_t)b % sizeof(double)) == 0);
  CHECK(luaL_newmetatable(L, "Box"));
  lua_newtable(L);
  lua_pushcfunction(L, box_get);
  lua_setfield(L, -2, "get");
  lua_setfield(L, -2, "__index");
  lua_setmetatable(L, -2);
  lua_setglobal(L, "box");
  CHECK(luaL_dostring(L, "return box:get()") == LUA_OK);
  CHECK(lua_tointeger(L, -1) == 99);
  lua_settop(L, 0);
  CHECK(luaL_dostring(L, "return getmetatable(box).__name") == LUA_OK);
  CHECK(strcmp(lua_tostring(L, -1), "Box") == 0);
  lua_settop(L, 0);
  lua_pushlightuserdata(L, (void *)b);
  CHECK(lua_touserdata(L, -1) == b && lua_islightuserdata(L, -1));
  lua_settop(L, 0);
}

static void test_refs_and_registry(lua_State *L) {
  lua_pushstring(L, "kept");
  int r = luaL_ref(L, LUA_REGISTRYINDEX);
  CHECK(r != LUA_REFNIL && r != LUA_NOREF);
  lua_gc(L, LUA_GCCOLLECT, 0);
  lua_rawgeti(L, LUA_REGISTRYINDEX, r);
  CHECK(strcmp(lua_tostring(L, -1), "kept") == 0);
  luaL_unref(L, LUA_REGISTRYINDEX, r);
  lua_pushnil(L);
  CHECK(luaL_ref(L, LUA_REGISTRYINDEX) == LUA_REFNIL);
  lua_settop(L, 0);
  lua_rawgeti(L, LUA_REGISTRYINDEX, LUA_RIDX_GLOBALS);
  lua_getglobal(L, "_G");
  CHECK(lua_rawequal(L, 1, 2));
  lua_settop(L, 0);
}

static void test_threads(lua_State *L) {
  lua_State *co = lua_newthread(L);
  CHECK(luaL_loadstring(co, "local x = coroutine.yield(1) return x + 1") ==
        LUA_OK);
  CHECK(lua_resume(co, L, 0) == LUA_YIELD);
  CHECK(lua_tointeger(co, -1) == 1);
  lua_pop(co, 1);
  lua_pushinteger(co, 10);
  CHECK(lua_resume(co, L, 1) == LUA_OK);
  CHECK(lua_tointeger(co, -1) == 11);
  lua_settop(L, 0);
}

static void test_capped_heap(void) {
  lua_State *L = moonlet_newstate(40 * 1024);
  CHECK(L != NULL);
  if (!L) return;
  luaL_openlibs(L);
  CHECK(luaL_loadstring(L, "local t = {} for i = 1, 1e6 do t[i] = i end") ==
        LUA_OK);
  CHECK(lua_pcall(L, 0, 0, 0) == LUA_ERRMEM);
  CHECK(strcmp(lua_tostring(L, -1), "not enough memory") == 0);
  lua_settop(L, 0);
  CHECK(luaL_dostring(L, "return 1 + 1") == LUA_OK);
  moonlet_HeapInfo info;
  moonlet_heapinfo(L, &info);
  CHECK(info.total <= 40 * 1024 && info.used + info.free <= info.total);
  CHECK(info.largest_free <= info.free);
  CHECK(strcmp(moonlet_tagname(1), "string") == 0);
  lua_close(L);
}

/* luaL_openlibs after the embedder set globals and preloads: they stay,
** next to the ROM globals; a bare state sees no library. */
static void test_openlibs_keeps(void) {
  lua_State *L = luaL_newstate();
  CHECK(lua_getglobal(L, "print") == LUA_TNIL);
  lua_pop(L, 1);
  lua_pushinteger(L, 42);
  lua_setglobal(L, "answer");
  luaL_getsubtable(L, LUA_REGISTRYINDEX, LUA_PRELOAD_TABLE);
  lua_pushcfunction(L, luaopen_math);
  lua_setfield(L, -2, "mymath");
  lua_pop(L, 1);
  luaL_openlibs(L);
  CHECK(luaL_dostring(L, "return answer + #tostring(print) > 42 and "
                         "require('mymath') == math and _G._G == _G") == LUA_OK);
  CHECK(lua_toboolean(L, -1));
  lua_close(L);
}

/* The base library alone, into a RAM globals table: its functions and no
** more (no require, no other library). */
static void test_base_alone(void) {
  lua_State *L = luaL_newstate();
  luaL_requiref(L, "_G", luaopen_base, 1);
  lua_pop(L, 1);
  CHECK(luaL_dostring(L, "return type(print) == 'function' and "
                         "type(xpcall) == 'function' and require == nil and "
                         "string == nil and _G._G == _G and "
                         "_VERSION == 'Lua 5.3'") == LUA_OK);
  CHECK(lua_toboolean(L, -1));
  lua_close(L);
}

int main(void) {
  lua_State *L;
  test_openlibs_keeps();
  test_base_alone();
  L = luaL_newstate();
  luaL_openlibs(L);
  test_stack(L);
  test_tables(L);
  test_calls(L);
  test_userdata(L);
  test_refs_and_registry(L);
  test_threads(L);
  lua_close(L);
  test_capped_heap();
  return check_report();
}
