/*
** lib_lfs.c: NodeMCU's flash-store API in the global 'node': node.LFS
** (get, list, reload, time, config, and node.LFS.<module>), and the older
** node.flashindex and node.flashreload. A state sees the image that was
** mounted when it was created; a reload takes effect in the next state.
*/
#include <stdint.h>
#include <string.h>

#include "lua.h"
#include "lauxlib.h"
#include "lfs.h"
#include "moonlet.h"

#define MSGSIZE 256

static void pushaddress(lua_State *L, const void *p) {
  lua_pushinteger(L, (lua_Integer)(uintptr_t)p);
}

static int lfs_get(lua_State *L) {
  const char *name = luaL_checkstring(L, 1);
  if (!moonlet_lfs_get(L, name)) lua_pushnil(L);
  return 1;
}

static void pushnames(lua_State *L) {
  const char *name;
  int i;
  lua_newtable(L);
  for (i = 0; (name = lfs_modulename(L, i)) != NULL; i++) {
    lua_pushstring(L, name);
    lua_rawseti(L, -2, i + 1);
  }
}

/* The names, sorted (the image's index is), or nil without an image. */
static int lfs_list(lua_State *L) {
  lfs_Info info;
  if (!lfs_info(L, &info)) {
    lua_pushnil(L);
    return 1;
  }
  pushnames(L);
  return 1;
}

/*
** As on NodeMCU: a refused image returns the reason as a string and the
** mounted image stays. A loaded image restarts the program (the host's
** handler does not return); without a handler it is mounted for the next
** state. An image identical to the mounted one changes nothing.
*/
int ml_lfs_reload(lua_State *L) {
  const char *path = luaL_checkstring(L, 1);
  char msg[MSGSIZE];
  int r = lfs_reload(path, msg, sizeof msg);
  if (r == LFS_LOADED || r == LFS_POWERCUT) lfs_signal(r);
  if (r == LFS_REFUSED || r == LFS_POWERCUT) {
    lua_pushstring(L, msg);
    return 1;
  }
  return 0;
}

static void pushconfig(lua_State *L) {
  lfs_Info info;
  lfs_info(L, &info);
  lua_createtable(L, 0, 4);
  pushaddress(L, info.base);
  lua_setfield(L, -2, "lfs_base");
  pushaddress(L, info.base);
  lua_setfield(L, -2, "lfs_mapped");
  lua_pushinteger(L, (lua_Integer)info.size);
  lua_setfield(L, -2, "lfs_size");
  lua_pushinteger(L, (lua_Integer)info.used);
  lua_setfield(L, -2, "lfs_used");
}

/* node.LFS.time, node.LFS.config, and node.LFS.<module> as get(). */
static int lfs_index(lua_State *L) {
  const char *key = lua_type(L, 2) == LUA_TSTRING ? lua_tostring(L, 2) : NULL;
  lfs_Info info;
  if (key == NULL) {
    lua_pushnil(L);
  } else if (strcmp(key, "time") == 0) {
    if (lfs_info(L, &info)) lua_pushinteger(L, (lua_Integer)info.time);
    else lua_pushnil(L);
  } else if (strcmp(key, "config") == 0) {
    pushconfig(L);
  } else if (!moonlet_lfs_get(L, key)) {
    lua_pushnil(L);
  }
  return 1;
}

/*
** NodeMCU's legacy results: without an image nil, the flash address, its
** offset and the region size; for a module its function; otherwise the
** build time, the flash and mapped addresses, the bytes used and the
** module names.
*/
int ml_node_flashindex(lua_State *L) {
  const char *name = luaL_optstring(L, 1, NULL);
  lfs_Info info;
  if (!lfs_info(L, &info)) {
    lua_pushnil(L);
    pushaddress(L, info.base);
    lua_pushinteger(L, 0);
    lua_pushinteger(L, (lua_Integer)info.size);
    return 4;
  }
  if (name != NULL && moonlet_lfs_get(L, name)) return 1;
  lua_pushinteger(L, (lua_Integer)info.time);
  pushaddress(L, info.base);
  pushaddress(L, info.base);
  lua_pushinteger(L, (lua_Integer)info.used);
  pushnames(L);
  return 5;
}

/* node.LFS, in ROM; node (lib_node.c) holds it with flashindex and
** flashreload. */
#include "rom_lfs.inc"
