/*
** lib_package.c: require and the package library (reference manual section
** 6.3), written only on the public API. Searchers run in the order preload,
** Lua files, flash store, C libraries: a file overrides its flash copy.
** C libraries are never loaded here; their searchers only report the paths.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lua.h"
#include "lauxlib.h"
#include "lualib.h"
#include "moonlet.h"

/* Environment variables: the suffixed name wins over the plain one. */
#define PATH_VAR "LUA_PATH"
#define CPATH_VAR "LUA_CPATH"
#define VERSUFFIX "_" LUA_VERSION_MAJOR "_" LUA_VERSION_MINOR

/* Marks where ";;" stood in an environment path, before the default goes in. */
#define AUXMARK "\1"

#define NO_DYNLIBS "dynamic libraries not enabled; check your Lua installation"

/* --------------------------------------------------------------- loadlib */

/* Dynamic libraries are not supported: report it the way 5.3 does. */
static int pk_loadlib(lua_State *L) {
  luaL_checkstring(L, 1);
  luaL_checkstring(L, 2);
  lua_pushnil(L);
  lua_pushliteral(L, NO_DYNLIBS);
  lua_pushliteral(L, "absent");
  return 3;
}

/* ------------------------------------------------------------ searchpath */

static int readable(const char *filename) {
  FILE *f = fopen(filename, "r");
  if (f == NULL) return 0;
  fclose(f);
  return 1;
}

/*
** Pushes the next template of 'path' and returns where the rest starts,
** or returns NULL (pushing nothing) when no template is left.
*/
static const char *nexttemplate(lua_State *L, const char *path) {
  const char *end;
  while (*path == *LUA_PATH_SEP) path++;
  if (*path == '\0') return NULL;
  end = strchr(path, *LUA_PATH_SEP);
  if (end == NULL) end = path + strlen(path);
  lua_pushlstring(L, path, (size_t)(end - path));
  return end;
}

/*
** Tries each template of 'path' with 'name' ('sep' replaced by 'dirsep').
** Returns the first readable file name, pushed; or NULL with the list of
** "no file" lines pushed.
*/
static const char *searchpath(lua_State *L, const char *name,
                              const char *path, const char *sep,
                              const char *dirsep) {
  int base = lua_gettop(L);
  if (*sep != '\0' && strchr(name, *sep) != NULL)
    name = luaL_gsub(L, name, sep, dirsep); /* kept below the lines */
  lua_pushliteral(L, "");                   /* the "no file" lines */
  while ((path = nexttemplate(L, path)) != NULL) {
    const char *filename = luaL_gsub(L, lua_tostring(L, -1), LUA_PATH_MARK,
                                     name);
    if (readable(filename)) {
      lua_copy(L, -1, base + 1);
      lua_settop(L, base + 1);
      return lua_tostring(L, -1);
    }
    lua_pushfstring(L, "\n\tno file '%s'", filename);
    lua_replace(L, -3); /* over the template */
    lua_pop(L, 1);
    lua_concat(L, 2);
  }
  lua_copy(L, -1, base + 1);
  lua_settop(L, base + 1);
  return NULL;
}

static int pk_searchpath(lua_State *L) {
  const char *f = searchpath(L, luaL_checkstring(L, 1), luaL_checkstring(L, 2),
                             luaL_optstring(L, 3, "."),
                             luaL_optstring(L, 4, LUA_DIRSEP));
  if (f != NULL) return 1;
  lua_pushnil(L);
  lua_insert(L, -2);
  return 2;
}

/* ------------------------------------------------------------- searchers */

static void pushpackage(lua_State *L);

/* package.<field> as a search path. */
static const char *findfile(lua_State *L, const char *name,
                            const char *field) {
  const char *path;
  pushpackage(L);
  lua_getfield(L, -1, field);
  lua_remove(L, -2);
  path = lua_tostring(L, -1);
  if (path == NULL) luaL_error(L, "'package.%s' must be a string", field);
  return searchpath(L, name, path, ".", LUA_DIRSEP);
}

/* The result of a file searcher: the loader and its file name, or an error. */
static int checkload(lua_State *L, int ok, const char *filename) {
  if (!ok)
    return luaL_error(L, "error loading module '%s' from file '%s':\n\t%s",
                      lua_tostring(L, 1), filename, lua_tostring(L, -1));
  lua_pushstring(L, filename);
  return 2;
}

static int searcher_preload(lua_State *L) {
  const char *name = luaL_checkstring(L, 1);
  lua_getfield(L, LUA_REGISTRYINDEX, LUA_PRELOAD_TABLE);
  if (lua_getfield(L, -1, name) == LUA_TNIL)
    lua_pushfstring(L, "\n\tno field package.preload['%s']", name);
  return 1;
}

static int searcher_lua(lua_State *L) {
  const char *name = luaL_checkstring(L, 1);
  const char *filename = findfile(L, name, "path");
  if (filename == NULL) return 1;
  return checkload(L, luaL_loadfile(L, filename) == LUA_OK, filename);
}

/* The flash store; its loader data is ":flash:" followed by the name. */
static int searcher_flash(lua_State *L) {
  const char *name = luaL_checkstring(L, 1);
  if (!moonlet_lfs_get(L, name)) {
    lua_pushfstring(L, "\n\tno module '%s' in the flash store", name);
    return 1;
  }
  lua_pushfstring(L, ":flash:%s", name);
  return 2;
}

/* A C library found on package.cpath can not be loaded on this runtime. */
static int cannotload(lua_State *L, const char *filename) {
  lua_pushliteral(L, NO_DYNLIBS);
  return checkload(L, 0, filename);
}

static int searcher_c(lua_State *L) {
  const char *name = luaL_checkstring(L, 1);
  const char *filename = findfile(L, name, "cpath");
  if (filename == NULL) return 1;
  return cannotload(L, filename);
}

/* The all-in-one searcher: "a.b.c" is looked for in the library of "a". */
static int searcher_croot(lua_State *L) {
  const char *name = luaL_checkstring(L, 1);
  const char *dot = strchr(name, '.');
  const char *filename;
  if (dot == NULL) return 0; /* a root name: searcher_c did it */
  lua_pushlstring(L, name, (size_t)(dot - name));
  filename = findfile(L, lua_tostring(L, -1), "cpath");
  if (filename == NULL) return 1;
  return cannotload(L, filename);
}

/* --------------------------------------------------------------- require */

/*
** Calls each searcher in turn; leaves the loader and its data on the top,
** or raises "module not found" with every searcher's message.
*/
static void findloader(lua_State *L, const char *name) {
  int i, tab;
  pushpackage(L);
  if (lua_getfield(L, -1, "searchers") != LUA_TTABLE)
    luaL_error(L, "'package.searchers' must be a table");
  lua_remove(L, -2);
  tab = lua_gettop(L);
  lua_pushliteral(L, ""); /* the messages so far */
  for (i = 1;; i++) {
    if (lua_rawgeti(L, tab, i) == LUA_TNIL) {
      lua_pop(L, 1);
      luaL_error(L, "module '%s' not found:%s", name, lua_tostring(L, -1));
    }
    lua_pushstring(L, name);
    lua_call(L, 1, 2);
    if (lua_isfunction(L, -2)) return;
    if (lua_isstring(L, -2)) { /* a message: append it */
      lua_pop(L, 1);
      lua_concat(L, 2);
    } else {
      lua_pop(L, 2);
    }
  }
}

int ml_require(lua_State *L) {
  const char *name = luaL_checkstring(L, 1);
  lua_settop(L, 1);
  lua_getfield(L, LUA_REGISTRYINDEX, LUA_LOADED_TABLE); /* index 2 */
  if (lua_getfield(L, 2, name) != LUA_TNIL && lua_toboolean(L, -1))
    return 1; /* already loaded */
  lua_pop(L, 1);
  findloader(L, name);
  lua_pushstring(L, name);
  lua_insert(L, -2);    /* loader, name, data */
  lua_call(L, 2, 1);
  if (!lua_isnil(L, -1)) lua_setfield(L, 2, name);
  if (lua_getfield(L, 2, name) == LUA_TNIL) { /* the module set no value */
    lua_pushboolean(L, 1);
    lua_pushvalue(L, -1);
    lua_setfield(L, 2, name);
  }
  return 1;
}

/* ----------------------------------------------------------------- setup */

/* Is the registry's "LUA_NOENV" set (the -E option of the CLI)? */
static int noenv(lua_State *L) {
  int b;
  lua_getfield(L, LUA_REGISTRYINDEX, "LUA_NOENV");
  b = lua_toboolean(L, -1);
  lua_pop(L, 1);
  return b;
}

/*
** package[field] from environment variable envname (with the version
** suffix first, then without), ";;" in it standing for the default.
*/
static void setpath(lua_State *L, const char *field, const char *envname,
                    const char *def) {
  const char *path = lua_pushfstring(L, "%s%s", envname, VERSUFFIX);
  path = getenv(path);
  if (path == NULL) path = getenv(envname);
  lua_pop(L, 1);
  if (path == NULL || noenv(L)) {
    lua_pushstring(L, def);
  } else {
    path = luaL_gsub(L, path, LUA_PATH_SEP LUA_PATH_SEP,
                     LUA_PATH_SEP AUXMARK LUA_PATH_SEP);
    luaL_gsub(L, path, AUXMARK, def);
    lua_remove(L, -2);
  }
  lua_setfield(L, -2, field);
}

#include "rom_package.inc"

/* The package table is in ROM (with searchers, path, cpath and config);
** what a program sets in it goes to its overlay. */
static void pushpackage(lua_State *L) {
  moonlet_pushrotable(L, &ml_rt_package);
}

/* package.loaded and package.preload are the registry's tables. */
static void setregistrytables(lua_State *L) {
  luaL_getsubtable(L, LUA_REGISTRYINDEX, LUA_LOADED_TABLE);
  lua_setfield(L, -2, "loaded");
  luaL_getsubtable(L, LUA_REGISTRYINDEX, LUA_PRELOAD_TABLE);
  lua_setfield(L, -2, "preload");
}

/* Writing a value the ROM table already holds costs nothing (overlay.c):
** without LUA_PATH and with luaL_openlibs' registry, nothing is written. */
LUAMOD_API int luaopen_package(lua_State *L) {
  pushpackage(L);
  setpath(L, "path", PATH_VAR, LUA_PATH_DEFAULT);
  setpath(L, "cpath", CPATH_VAR, LUA_CPATH_DEFAULT);
  setregistrytables(L);
  lua_pushcfunction(L, ml_require);
  lua_setglobal(L, "require");
  return 1;
}
