/*
** lib_init.c: luaL_openlibs, which opens the standard libraries into a
** state, in _G and in package.loaded.
*/
#include "lua.h"
#include "lauxlib.h"
#include "lualib.h"
#include "moonlet.h"

/* In lua5.3's order, so that package.loaded fills up the same way. */
static const luaL_Reg standard_libs[] = {
    {"_G", luaopen_base},
    {LUA_LOADLIBNAME, luaopen_package},
    {LUA_COLIBNAME, luaopen_coroutine},
    {LUA_TABLIBNAME, luaopen_table},
    {LUA_IOLIBNAME, luaopen_io},
    {LUA_OSLIBNAME, luaopen_os},
    {LUA_STRLIBNAME, luaopen_string},
    {LUA_MATHLIBNAME, luaopen_math},
    {LUA_UTF8LIBNAME, luaopen_utf8},
    {LUA_DBLIBNAME, luaopen_debug},
    {LUA_NODELIBNAME, luaopen_node},
    {NULL, NULL}};

void ml_useromglobals(lua_State *L); /* lib_base.c */

/* luaL_requiref, except that the library's luaopen_ always runs: the ROM
** package.loaded already holds every library, and some set up the state
** (the string metatable, io's files, package.path from LUA_PATH). */
static void openlib(lua_State *L, const char *name, lua_CFunction open) {
  lua_pushcfunction(L, open);
  lua_pushstring(L, name);
  lua_call(L, 1, 1);
  lua_getfield(L, LUA_REGISTRYINDEX, LUA_LOADED_TABLE);
  lua_pushvalue(L, -2);
  lua_setfield(L, -2, name);
  lua_pop(L, 1);
  lua_setglobal(L, name);
}

/* Into the ROM globals: a fresh state's libraries cost no RAM. */
LUALIB_API void luaL_openlibs(lua_State *L) {
  const luaL_Reg *lib;
  ml_useromglobals(L);
  for (lib = standard_libs; lib->func != NULL; lib++)
    openlib(L, lib->name, lib->func);
}
