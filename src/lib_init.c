/*
** lib_init.c: luaL_openlibs, which opens the standard libraries into a
** state: each one is loaded through luaL_requiref, so it sits in _LOADED too.
*/
#include "lua.h"
#include "lauxlib.h"
#include "lualib.h"
#include "lfs.h"
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
    {NULL, NULL}};

LUALIB_API void luaL_openlibs(lua_State *L) {
  for (const luaL_Reg *lib = standard_libs; lib->func != NULL; lib++) {
    luaL_requiref(L, lib->name, lib->func, 1);
    lua_pop(L, 1);
  }
  luaopen_lfs(L); /* node.LFS, node.flashindex, node.flashreload */
  lua_pop(L, 1);
  luaL_requiref(L, LUA_NODELIBNAME, luaopen_node, 1); /* node.heap, node.egc */
  lua_pop(L, 1);
}
