/*
** lib_debug.c: the debug library (reference manual section 6.10), written
** only on the public API. Hooks set from Lua live in a weak-keyed registry
** table, one function per thread, and all threads share one C hook.
*/
#include <stdio.h>
#include <string.h>

#include "lua.h"
#include "lauxlib.h"
#include "lualib.h"
#include "moonlet.h"

/* The address of this variable is the registry key of the hook table. */
static const char hook_key = 'h';

/*
** Many functions take an optional thread as their first argument. Returns
** the thread to inspect and sets *arg to the index of the argument before
** the real first one (0 or 1).
*/
static lua_State *optthread(lua_State *L, int *arg) {
  if (lua_isthread(L, 1)) {
    *arg = 1;
    return lua_tothread(L, 1);
  }
  *arg = 0;
  return L;
}

/* Values move between L and L1 through L1's stack: make room there. */
static void roomin(lua_State *L, lua_State *L1, int n) {
  if (L != L1 && !lua_checkstack(L1, n)) luaL_error(L, "stack overflow");
}

/* ------------------------------------------------- metatables, registry */

static int db_getregistry(lua_State *L) {
  lua_pushvalue(L, LUA_REGISTRYINDEX);
  return 1;
}

static int db_getmetatable(lua_State *L) {
  luaL_checkany(L, 1);
  if (!lua_getmetatable(L, 1)) lua_pushnil(L);
  return 1;
}

static int db_setmetatable(lua_State *L) {
  int t = lua_type(L, 2);
  luaL_argcheck(L, t == LUA_TNIL || t == LUA_TTABLE, 2, "nil or table expected");
  lua_settop(L, 2);
  lua_setmetatable(L, 1);
  return 1;
}

static int db_getuservalue(lua_State *L) {
  if (lua_type(L, 1) == LUA_TUSERDATA)
    lua_getuservalue(L, 1);
  else
    lua_pushnil(L);
  return 1;
}

static int db_setuservalue(lua_State *L) {
  luaL_checktype(L, 1, LUA_TUSERDATA);
  luaL_checkany(L, 2);
  lua_settop(L, 2);
  lua_setuservalue(L, 1);
  return 1;
}

/* -------------------------------------------------------------- getinfo */

static void setstrfield(lua_State *L, const char *k, const char *v) {
  lua_pushstring(L, v); /* a NULL v gives nil */
  lua_setfield(L, -2, k);
}

static void setintfield(lua_State *L, const char *k, lua_Integer v) {
  lua_pushinteger(L, v);
  lua_setfield(L, -2, k);
}

static void setboolfield(lua_State *L, const char *k, int v) {
  lua_pushboolean(L, v);
  lua_setfield(L, -2, k);
}

/*
** lua_getinfo left a value ('f' or 'L') on L1's top, and the result table
** is on L's top: store the value in the table under 'k'.
*/
static void movefield(lua_State *L, lua_State *L1, const char *k) {
  if (L == L1)
    lua_rotate(L, -2, 1); /* the value goes above the table */
  else
    lua_xmove(L1, L, 1);
  lua_setfield(L, -2, k);
}

/* Fills the table on the top from 'ar' for the option letters in 'opt'. */
static void infotable(lua_State *L, const lua_Debug *ar, const char *opt) {
  if (strchr(opt, 'S')) {
    setstrfield(L, "source", ar->source);
    setstrfield(L, "short_src", ar->short_src);
    setintfield(L, "linedefined", ar->linedefined);
    setintfield(L, "lastlinedefined", ar->lastlinedefined);
    setstrfield(L, "what", ar->what);
  }
  if (strchr(opt, 'l')) setintfield(L, "currentline", ar->currentline);
  if (strchr(opt, 'u')) {
    setintfield(L, "nups", ar->nups);
    setintfield(L, "nparams", ar->nparams);
    setboolfield(L, "isvararg", ar->isvararg);
  }
  if (strchr(opt, 'n')) {
    setstrfield(L, "name", ar->name);
    setstrfield(L, "namewhat", ar->namewhat);
  }
  if (strchr(opt, 't')) setboolfield(L, "istailcall", ar->istailcall);
}

static int db_getinfo(lua_State *L) {
  lua_Debug ar;
  int arg;
  lua_State *L1 = optthread(L, &arg);
  const char *opt = luaL_optstring(L, arg + 2, "flnStu");
  roomin(L, L1, 3);
  if (lua_isfunction(L, arg + 1)) { /* describe a function, not a level */
    opt = lua_pushfstring(L, ">%s", opt);
    lua_pushvalue(L, arg + 1);
    lua_xmove(L, L1, 1);
  } else {
    /* '>' would make lua_getinfo take (and pop) L1's top as the function */
    luaL_argcheck(L, opt[0] != '>', arg + 2, "invalid option");
    if (!lua_getstack(L1, (int)luaL_checkinteger(L, arg + 1), &ar)) {
      lua_pushnil(L); /* no such level */
      return 1;
    }
  }
  if (!lua_getinfo(L1, opt, &ar))
    return luaL_argerror(L, arg + 2, "invalid option");
  lua_newtable(L);
  infotable(L, &ar, opt);
  if (strchr(opt, 'L')) movefield(L, L1, "activelines");
  if (strchr(opt, 'f')) movefield(L, L1, "func");
  return 1;
}

/* ------------------------------------------------------- locals, upvalues */

static int db_getlocal(lua_State *L) {
  lua_Debug ar;
  int arg;
  lua_State *L1 = optthread(L, &arg);
  int n = (int)luaL_checkinteger(L, arg + 2);
  const char *name;
  if (lua_isfunction(L, arg + 1)) { /* only parameter names, no values */
    lua_pushvalue(L, arg + 1);
    lua_pushstring(L, lua_getlocal(L, NULL, n));
    return 1;
  }
  if (!lua_getstack(L1, (int)luaL_checkinteger(L, arg + 1), &ar))
    return luaL_argerror(L, arg + 1, "level out of range");
  roomin(L, L1, 1);
  name = lua_getlocal(L1, &ar, n);
  if (name == NULL) {
    lua_pushnil(L);
    return 1;
  }
  lua_xmove(L1, L, 1);
  lua_pushstring(L, name);
  lua_rotate(L, -2, 1); /* name, value */
  return 2;
}

static int db_setlocal(lua_State *L) {
  lua_Debug ar;
  int arg;
  lua_State *L1 = optthread(L, &arg);
  int level = (int)luaL_checkinteger(L, arg + 1);
  int n = (int)luaL_checkinteger(L, arg + 2);
  const char *name;
  if (!lua_getstack(L1, level, &ar))
    return luaL_argerror(L, arg + 1, "level out of range");
  luaL_checkany(L, arg + 3);
  lua_settop(L, arg + 3);
  roomin(L, L1, 1);
  lua_xmove(L, L1, 1);
  name = lua_setlocal(L1, &ar, n);
  if (name == NULL) lua_pop(L1, 1); /* the value was not taken */
  lua_pushstring(L, name);
  return 1;
}

/* getupvalue returns name and value, setupvalue just the name. */
static int upvalue(lua_State *L, int get) {
  int n = (int)luaL_checkinteger(L, 2);
  const char *name;
  luaL_checktype(L, 1, LUA_TFUNCTION);
  name = get ? lua_getupvalue(L, 1, n) : lua_setupvalue(L, 1, n);
  if (name == NULL) return 0;
  lua_pushstring(L, name);
  lua_insert(L, -(get + 1));
  return get + 1;
}

static int db_getupvalue(lua_State *L) {
  return upvalue(L, 1);
}

static int db_setupvalue(lua_State *L) {
  luaL_checkany(L, 3);
  return upvalue(L, 0);
}

/* Checks that upvalue (argument argn) of function (argument argf) exists. */
static int checkupvalue(lua_State *L, int argf, int argn) {
  int n = (int)luaL_checkinteger(L, argn);
  luaL_checktype(L, argf, LUA_TFUNCTION);
  luaL_argcheck(L, lua_getupvalue(L, argf, n) != NULL, argn,
                "invalid upvalue index");
  lua_pop(L, 1);
  return n;
}

static int db_upvalueid(lua_State *L) {
  int n = checkupvalue(L, 1, 2);
  lua_pushlightuserdata(L, lua_upvalueid(L, 1, n));
  return 1;
}

static int db_upvaluejoin(lua_State *L) {
  int n1 = checkupvalue(L, 1, 2);
  int n2 = checkupvalue(L, 3, 4);
  luaL_argcheck(L, !lua_iscfunction(L, 1), 1, "Lua function expected");
  luaL_argcheck(L, !lua_iscfunction(L, 3), 3, "Lua function expected");
  lua_upvaluejoin(L, 1, n1, 3, n2);
  return 0;
}

/* ---------------------------------------------------------------- hooks */

static const char *const hook_events[] = {"call", "return", "line", "count",
                                          "tail call"};

/* The C hook of every thread: calls the Lua hook stored for this thread. */
static void hookf(lua_State *L, lua_Debug *ar) {
  if (lua_rawgetp(L, LUA_REGISTRYINDEX, &hook_key) != LUA_TTABLE) return;
  lua_pushthread(L);
  if (lua_rawget(L, -2) != LUA_TFUNCTION) return;
  lua_pushstring(L, hook_events[ar->event]);
  if (ar->currentline >= 0)
    lua_pushinteger(L, ar->currentline);
  else
    lua_pushnil(L);
  lua_call(L, 2, 0);
}

static int makemask(const char *smask, int count) {
  int mask = 0;
  if (strchr(smask, 'c')) mask |= LUA_MASKCALL;
  if (strchr(smask, 'r')) mask |= LUA_MASKRET;
  if (strchr(smask, 'l')) mask |= LUA_MASKLINE;
  if (count > 0) mask |= LUA_MASKCOUNT;
  return mask;
}

static char *unmakemask(int mask, char *smask) {
  int i = 0;
  if (mask & LUA_MASKCALL) smask[i++] = 'c';
  if (mask & LUA_MASKRET) smask[i++] = 'r';
  if (mask & LUA_MASKLINE) smask[i++] = 'l';
  smask[i] = '\0';
  return smask;
}

/* Pushes the hook table, creating it (weak keys) the first time. */
static void pushhooktable(lua_State *L) {
  if (lua_rawgetp(L, LUA_REGISTRYINDEX, &hook_key) != LUA_TNIL) return;
  lua_pop(L, 1);
  lua_createtable(L, 0, 2);
  lua_pushvalue(L, -1);
  lua_rawsetp(L, LUA_REGISTRYINDEX, &hook_key);
  lua_pushliteral(L, "k");
  lua_setfield(L, -2, "__mode");
  lua_pushvalue(L, -1);
  lua_setmetatable(L, -2); /* the table is its own metatable */
}

/* Pushes thread L1 onto L's stack. */
static void pushthreadon(lua_State *L, lua_State *L1) {
  roomin(L, L1, 1);
  lua_pushthread(L1);
  lua_xmove(L1, L, 1);
}

static int db_sethook(lua_State *L) {
  int arg, mask, count;
  lua_Hook func;
  lua_State *L1 = optthread(L, &arg);
  if (lua_isnoneornil(L, arg + 1)) { /* turn hooks off */
    lua_settop(L, arg + 1);
    func = NULL;
    mask = 0;
    count = 0;
  } else {
    const char *smask = luaL_checkstring(L, arg + 2);
    luaL_checktype(L, arg + 1, LUA_TFUNCTION);
    count = (int)luaL_optinteger(L, arg + 3, 0);
    func = hookf;
    mask = makemask(smask, count);
  }
  pushhooktable(L);
  pushthreadon(L, L1);
  lua_pushvalue(L, arg + 1);
  lua_rawset(L, -3); /* hooktable[L1] = hook function */
  lua_sethook(L1, func, mask, count);
  return 0;
}

static int db_gethook(lua_State *L) {
  int arg;
  lua_State *L1 = optthread(L, &arg);
  char smask[4];
  int mask = lua_gethookmask(L1);
  lua_Hook hook = lua_gethook(L1);
  if (hook == NULL) {
    lua_pushnil(L);
  } else if (hook != hookf) {
    lua_pushliteral(L, "external hook");
  } else {
    lua_rawgetp(L, LUA_REGISTRYINDEX, &hook_key);
    pushthreadon(L, L1);
    lua_rawget(L, -2);
    lua_remove(L, -2);
  }
  lua_pushstring(L, unmakemask(mask, smask));
  lua_pushinteger(L, lua_gethookcount(L1));
  return 3;
}

/* ------------------------------------------------ interactive, traceback */

/* lua5.3 prints a non-string error object as glibc prints a NULL "%s". */
static const char *errortext(lua_State *L) {
  const char *msg = lua_tostring(L, -1);
  return (msg != NULL) ? msg : "(null)";
}

/* Runs each line read from stdin until "cont" or end of file. */
static int db_debug(lua_State *L) {
  char line[250];
  for (;;) {
    lua_writestringerror("%s", "lua_debug> ");
    if (fgets(line, sizeof line, stdin) == NULL || strcmp(line, "cont\n") == 0)
      return 0;
    if (luaL_loadbuffer(L, line, strlen(line), "=(debug command)") != LUA_OK ||
        lua_pcall(L, 0, 0, 0) != LUA_OK)
      lua_writestringerror("%s\n", errortext(L));
    lua_settop(L, 0);
  }
}

static int db_traceback(lua_State *L) {
  int arg;
  lua_State *L1 = optthread(L, &arg);
  const char *msg = lua_tostring(L, arg + 1);
  if (msg == NULL && !lua_isnoneornil(L, arg + 1)) { /* not a message */
    lua_pushvalue(L, arg + 1);
  } else {
    int level = (int)luaL_optinteger(L, arg + 2, (L == L1) ? 1 : 0);
    luaL_traceback(L, L1, msg, level);
  }
  return 1;
}

/* The library is a ROM table (lib_rom.h). */
#include "rom_debug.inc"

LUAMOD_API int luaopen_debug(lua_State *L) {
  moonlet_pushrotable(L, &ml_rt_debug);
  return 1;
}
