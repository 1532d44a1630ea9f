/*
** lib_base.c: the basic library (reference manual 6.1), written only on the
** public C API (and lfs.h: loadfile and dofile fall back on the flash
** store). Its functions live in the globals table itself.
*/
#include <ctype.h>
#include <string.h>

#include "lua.h"
#include "lauxlib.h"
#include "lfs.h"
#include "lib_rom.h"
#include "lualib.h"
#include "moonlet.h"

static int base_tostring(lua_State *L) {
  luaL_checkany(L, 1);
  luaL_tolstring(L, 1, NULL);
  return 1;
}

/*
** Converts one value as the global 'tostring' would. When that global is
** still ours, luaL_tolstring gives the same result without a call.
*/
static const char *print_tostring(lua_State *L, int i, size_t *len) {
  if (lua_tocfunction(L, -1) == base_tostring)
    return luaL_tolstring(L, i, len);
  lua_pushvalue(L, -1);
  lua_pushvalue(L, i);
  lua_call(L, 1, 1);
  return lua_tolstring(L, -1, len);
}

static int base_print(lua_State *L) {
  int n = lua_gettop(L);
  lua_getglobal(L, "tostring");
  for (int i = 1; i <= n; i++) {
    size_t len;
    const char *s = print_tostring(L, i, &len);
    if (s == NULL)
      return luaL_error(L, "'tostring' must return a string to 'print'");
    if (i > 1)
      lua_writestring("\t", 1);
    lua_writestring(s, len);
    lua_pop(L, 1);
  }
  lua_writeline();
  return 0;
}

static int base_type(lua_State *L) {
  int t = lua_type(L, 1);
  luaL_argcheck(L, t != LUA_TNONE, 1, "value expected");
  lua_pushstring(L, lua_typename(L, t));
  return 1;
}

static int digit_value(int c) {
  if (isdigit(c))
    return c - '0';
  if (isalpha(c))
    return toupper(c) - 'A' + 10;
  return 99;
}

/*
** Reads an integer numeral in 'base' that fills all of s (spaces around
** allowed, an optional sign); it wraps around on overflow, as 5.3 does.
*/
static int parse_in_base(const char *s, size_t len, int base, lua_Integer *out) {
  const char *end = s + len;
  lua_Unsigned n = 0;
  int neg = 0, ndigits = 0;
  while (s < end && isspace((unsigned char)*s))
    s++;
  if (s < end && (*s == '-' || *s == '+'))
    neg = *s++ == '-';
  for (; s < end && isalnum((unsigned char)*s); s++, ndigits++) {
    int d = digit_value((unsigned char)*s);
    if (d >= base)
      return 0;
    n = n * (lua_Unsigned)base + (lua_Unsigned)d;
  }
  while (s < end && isspace((unsigned char)*s))
    s++;
  if (ndigits == 0 || s != end)
    return 0;
  *out = (lua_Integer)(neg ? 0u - n : n);
  return 1;
}

static int base_tonumber(lua_State *L) {
  if (lua_isnoneornil(L, 2)) {
    if (lua_type(L, 1) == LUA_TNUMBER) {
      lua_settop(L, 1);
      return 1;
    }
    size_t len;
    const char *s = lua_tolstring(L, 1, &len);
    if (s != NULL && lua_stringtonumber(L, s) == len + 1)
      return 1;
    luaL_checkany(L, 1);
  } else {
    lua_Integer base = luaL_checkinteger(L, 2);
    luaL_checktype(L, 1, LUA_TSTRING);
    luaL_argcheck(L, 2 <= base && base <= 36, 2, "base out of range");
    size_t len;
    const char *s = lua_tolstring(L, 1, &len);
    lua_Integer n;
    if (parse_in_base(s, len, (int)base, &n)) {
      lua_pushinteger(L, n);
      return 1;
    }
  }
  lua_pushnil(L);
  return 1;
}

static int ipairs_step(lua_State *L) {
  lua_Integer i = luaL_checkinteger(L, 2) + 1;
  lua_pushinteger(L, i);
  return lua_geti(L, 1, i) == LUA_TNIL ? 1 : 2;
}

static int base_ipairs(lua_State *L) {
  luaL_checkany(L, 1);
  lua_pushcfunction(L, ipairs_step);
  lua_pushvalue(L, 1);
  lua_pushinteger(L, 0);
  return 3;
}

static int base_next(lua_State *L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  lua_settop(L, 2);
  if (lua_next(L, 1))
    return 2;
  lua_pushnil(L);
  return 1;
}

static int base_pairs(lua_State *L) {
  luaL_checkany(L, 1);
  if (luaL_getmetafield(L, 1, "__pairs") == LUA_TNIL) {
    lua_pushcfunction(L, base_next);
    lua_pushvalue(L, 1);
    lua_pushnil(L);
  } else {
    lua_pushvalue(L, 1);
    lua_call(L, 1, 3);
  }
  return 3;
}

static int base_select(lua_State *L) {
  int n = lua_gettop(L);
  if (lua_type(L, 1) == LUA_TSTRING && *lua_tostring(L, 1) == '#') {
    lua_pushinteger(L, n - 1);
    return 1;
  }
  lua_Integer i = luaL_checkinteger(L, 1);
  if (i < 0)
    i = n + i;
  else if (i > n)
    i = n;
  luaL_argcheck(L, 1 <= i, 1, "index out of range");
  return n - (int)i;
}

static int base_rawget(lua_State *L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  luaL_checkany(L, 2);
  lua_settop(L, 2);
  lua_rawget(L, 1);
  return 1;
}

static int base_rawset(lua_State *L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  luaL_checkany(L, 2);
  luaL_checkany(L, 3);
  lua_settop(L, 3);
  lua_rawset(L, 1);
  return 1;
}

static int base_rawequal(lua_State *L) {
  luaL_checkany(L, 1);
  luaL_checkany(L, 2);
  lua_pushboolean(L, lua_rawequal(L, 1, 2));
  return 1;
}

static int base_rawlen(lua_State *L) {
  int t = lua_type(L, 1);
  luaL_argcheck(L, t == LUA_TTABLE || t == LUA_TSTRING, 1,
                "table or string expected");
  lua_pushinteger(L, (lua_Integer)lua_rawlen(L, 1));
  return 1;
}

static int base_getmetatable(lua_State *L) {
  luaL_checkany(L, 1);
  if (!lua_getmetatable(L, 1)) {
    lua_pushnil(L);
    return 1;
  }
  luaL_getmetafield(L, 1, "__metatable");
  return 1;
}

static int base_setmetatable(lua_State *L) {
  int t = lua_type(L, 2);
  luaL_checktype(L, 1, LUA_TTABLE);
  luaL_argcheck(L, t == LUA_TNIL || t == LUA_TTABLE, 2, "nil or table expected");
  if (luaL_getmetafield(L, 1, "__metatable") != LUA_TNIL)
    return luaL_error(L, "cannot change a protected metatable");
  lua_settop(L, 2);
  lua_setmetatable(L, 1);
  return 1;
}

/* Raises the value at index 1; a string gets the position of 'level'. */
static int base_error(lua_State *L) {
  int level = (int)luaL_optinteger(L, 2, 1);
  lua_settop(L, 1);
  if (lua_type(L, 1) == LUA_TSTRING && level > 0) {
    luaL_where(L, level);
    lua_pushvalue(L, 1);
    lua_concat(L, 2);
  }
  return lua_error(L);
}

static int base_assert(lua_State *L) {
  if (lua_toboolean(L, 1))
    return lua_gettop(L);
  luaL_checkany(L, 1);
  lua_remove(L, 1);
  lua_pushliteral(L, "assertion failed!");
  lua_settop(L, 1);
  return base_error(L);
}

/*
** Continuation of pcall and xpcall: 'extra' slots below the results belong
** to the caller (xpcall's function and handler), not to the results.
*/
static int finish_pcall(lua_State *L, int status, lua_KContext extra) {
  if (status != LUA_OK && status != LUA_YIELD) {
    lua_pushboolean(L, 0);
    lua_pushvalue(L, -2);
    return 2;
  }
  return lua_gettop(L) - (int)extra;
}

static int base_pcall(lua_State *L) {
  luaL_checkany(L, 1);
  lua_pushboolean(L, 1);
  lua_insert(L, 1);
  int status = lua_pcallk(L, lua_gettop(L) - 2, LUA_MULTRET, 0, 0, finish_pcall);
  return finish_pcall(L, status, 0);
}

/* Stack: f, handler, true, f, args...; the handler stays at index 2. */
static int base_xpcall(lua_State *L) {
  int n = lua_gettop(L);
  luaL_checktype(L, 2, LUA_TFUNCTION);
  lua_pushboolean(L, 1);
  lua_pushvalue(L, 1);
  lua_rotate(L, 3, 2);
  int status = lua_pcallk(L, n - 2, LUA_MULTRET, 2, 2, finish_pcall);
  return finish_pcall(L, status, 2);
}

/* Results of load/loadfile: the function (with 'env' as its first upvalue),
** or nil and the message. */
static int load_result(lua_State *L, int status, int env) {
  if (status != LUA_OK) {
    lua_pushnil(L);
    lua_insert(L, -2);
    return 2;
  }
  if (env != 0) {
    lua_pushvalue(L, env);
    if (!lua_setupvalue(L, -2, 1))
      lua_pop(L, 1);
  }
  return 1;
}

/* Slot where the reader keeps its last piece alive while the parser reads it. */
#define READER_SLOT 5

static const char *call_reader(lua_State *L, void *ud, size_t *size) {
  (void)ud;
  luaL_checkstack(L, 2, "too many nested functions");
  lua_pushvalue(L, 1);
  lua_call(L, 0, 1);
  if (lua_isnil(L, -1)) {
    lua_pop(L, 1);
    *size = 0;
    return NULL;
  }
  if (!lua_isstring(L, -1))
    luaL_error(L, "reader function must return a string");
  lua_replace(L, READER_SLOT);
  return lua_tolstring(L, READER_SLOT, size);
}

static int base_load(lua_State *L) {
  size_t len;
  const char *s = lua_tolstring(L, 1, &len);
  const char *mode = luaL_optstring(L, 3, "bt");
  int env = !lua_isnone(L, 4) ? 4 : 0;
  int status;
  if (s != NULL) {
    const char *name = luaL_optstring(L, 2, s);
    status = luaL_loadbufferx(L, s, len, name, mode);
  } else {
    const char *name = luaL_optstring(L, 2, "=(load)");
    luaL_checktype(L, 1, LUA_TFUNCTION);
    lua_settop(L, READER_SLOT);
    status = lua_load(L, call_reader, NULL, name, mode);
  }
  return load_result(L, status, env);
}

/*
** A file that can not be opened is looked for in the flash store, as the
** module its base name names (no _init.lua needed): the flash copy of a
** module serves when the file is absent, the file overrides it when not.
*/
static int loadfile_or_flash(lua_State *L, const char *fname,
                             const char *mode) {
  int status = luaL_loadfilex(L, fname, mode);
  if (status == LUA_ERRFILE && fname != NULL &&
      (mode == NULL || strchr(mode, 'b') != NULL) && lfs_getfile(L, fname)) {
    lua_remove(L, -2); /* the message */
    status = LUA_OK;
  }
  return status;
}

static int base_loadfile(lua_State *L) {
  const char *fname = luaL_optstring(L, 1, NULL);
  const char *mode = luaL_optstring(L, 2, NULL);
  int env = !lua_isnone(L, 3) ? 3 : 0;
  int status = loadfile_or_flash(L, fname, mode);
  return load_result(L, status, env);
}

static int finish_dofile(lua_State *L, int status, lua_KContext ctx) {
  (void)status;
  (void)ctx;
  return lua_gettop(L) - 1;
}

static int base_dofile(lua_State *L) {
  const char *fname = luaL_optstring(L, 1, NULL);
  lua_settop(L, 1);
  if (loadfile_or_flash(L, fname, NULL) != LUA_OK)
    return lua_error(L);
  lua_callk(L, 0, LUA_MULTRET, 0, finish_dofile);
  return finish_dofile(L, LUA_OK, 0);
}

static int base_collectgarbage(lua_State *L) {
  static const char *const names[] = {"stop", "restart", "collect", "count",
                                      "step", "setpause", "setstepmul",
                                      "isrunning", NULL};
  static const int codes[] = {LUA_GCSTOP, LUA_GCRESTART, LUA_GCCOLLECT,
                              LUA_GCCOUNT, LUA_GCSTEP, LUA_GCSETPAUSE,
                              LUA_GCSETSTEPMUL, LUA_GCISRUNNING};
  int what = codes[luaL_checkoption(L, 1, "collect", names)];
  int data = (int)luaL_optinteger(L, 2, 0);
  switch (what) {
  case LUA_GCCOUNT: {
    int kb = lua_gc(L, LUA_GCCOUNT, 0);
    int rest = lua_gc(L, LUA_GCCOUNTB, 0);
    lua_pushnumber(L, (lua_Number)kb + (lua_Number)rest / 1024);
    return 1;
  }
  case LUA_GCSTEP:
  case LUA_GCISRUNNING:
    lua_pushboolean(L, lua_gc(L, what, data));
    return 1;
  default:
    lua_pushinteger(L, lua_gc(L, what, data));
    return 1;
  }
}

#define BASEFUNC(kind, name, f) {#name, f},
static const luaL_Reg base_funcs[] = {ML_ROM_BASEFUNCS(BASEFUNC){NULL, NULL}};

int ml_require(lua_State *L); /* lib_package.c */

#include "rom_base.inc"

/* Registry entry (an integer index, or a field when name is not NULL)
** becomes ROM table rom; the entries of the RAM table it held move into
** rom's overlay. */
static void useromtable(lua_State *L, lua_Integer idx, const char *name,
                        const void *rom) {
  int old = lua_gettop(L) + 1;
  if (name != NULL) lua_getfield(L, LUA_REGISTRYINDEX, name);
  else lua_rawgeti(L, LUA_REGISTRYINDEX, idx);
  moonlet_pushrotable(L, rom);
  if (lua_rawequal(L, old, old + 1)) {
    lua_pop(L, 2);
    return;
  }
  if (lua_istable(L, old)) {
    lua_pushnil(L);
    while (lua_next(L, old)) {
      lua_pushvalue(L, -2);
      lua_insert(L, -2);
      lua_rawset(L, old + 1);
    }
  }
  if (name != NULL) lua_setfield(L, LUA_REGISTRYINDEX, name);
  else lua_rawseti(L, LUA_REGISTRYINDEX, idx);
  lua_pop(L, 1);
}

/*
** luaL_openlibs' first step: the globals, package.loaded and
** package.preload become the ROM tables that hold every standard library,
** so a fresh state has them for no RAM. A chunk loaded before keeps the
** RAM globals table as its _ENV.
*/
void ml_useromglobals(lua_State *L) {
  useromtable(L, LUA_RIDX_GLOBALS, NULL, &ml_rt__G);
  useromtable(L, 0, LUA_LOADED_TABLE, &ml_rt_loaded);
  useromtable(L, 0, LUA_PRELOAD_TABLE, &ml_rt_preload);
}

/* Into a RAM globals table; nothing changes in the ROM one (overlay.c). */
LUAMOD_API int luaopen_base(lua_State *L) {
  lua_pushglobaltable(L);
  luaL_setfuncs(L, base_funcs, 0);
  lua_pushvalue(L, -1);
  lua_setfield(L, -2, "_G");
  lua_pushliteral(L, LUA_VERSION);
  lua_setfield(L, -2, "_VERSION");
  return 1;
}
