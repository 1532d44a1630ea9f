/*
** lib_coroutine.c: the coroutine library (reference manual 6.2), on the
** public API. A coroutine is a thread; its status is read from lua_status,
** its frames and its stack, never stored apart.
*/
#include "lua.h"
#include "lauxlib.h"
#include "lualib.h"
#include "moonlet.h"

static lua_State *check_coroutine(lua_State *L, int arg) {
  lua_State *co = lua_tothread(L, arg);
  luaL_argcheck(L, co != NULL, arg, "thread expected");
  return co;
}

/*
** Moves narg arguments from L to co and resumes it. Returns the number of
** results moved back to L, or -1 with the error value on top of L.
*/
static int resume_with(lua_State *L, lua_State *co, int narg) {
  if (!lua_checkstack(co, narg)) {
    lua_pushliteral(L, "too many arguments to resume");
    return -1;
  }
  if (lua_status(co) == LUA_OK && lua_gettop(co) == 0) {
    lua_pushliteral(L, "cannot resume dead coroutine");
    return -1;
  }
  lua_xmove(L, co, narg);
  int status = lua_resume(co, L, narg);
  if (status != LUA_OK && status != LUA_YIELD) {
    lua_xmove(co, L, 1);
    return -1;
  }
  int nres = lua_gettop(co);
  if (!lua_checkstack(L, nres + 1)) {
    lua_pop(co, nres);
    lua_pushliteral(L, "too many results to resume");
    return -1;
  }
  lua_xmove(co, L, nres);
  return nres;
}

static int co_resume(lua_State *L) {
  lua_State *co = check_coroutine(L, 1);
  int n = resume_with(L, co, lua_gettop(L) - 1);
  if (n < 0) {
    lua_pushboolean(L, 0);
    lua_insert(L, -2);
    return 2;
  }
  lua_pushboolean(L, 1);
  lua_insert(L, -(n + 1));
  return n + 1;
}

/* The function wrap returns: errors propagate, strings with a position. */
static int wrapped_call(lua_State *L) {
  lua_State *co = lua_tothread(L, lua_upvalueindex(1));
  int n = resume_with(L, co, lua_gettop(L));
  if (n >= 0)
    return n;
  if (lua_type(L, -1) == LUA_TSTRING) {
    luaL_where(L, 1);
    lua_insert(L, -2);
    lua_concat(L, 2);
  }
  return lua_error(L);
}

static int co_create(lua_State *L) {
  luaL_checktype(L, 1, LUA_TFUNCTION);
  lua_State *co = lua_newthread(L);
  lua_pushvalue(L, 1);
  lua_xmove(L, co, 1);
  return 1;
}

static int co_wrap(lua_State *L) {
  co_create(L);
  lua_pushcclosure(L, wrapped_call, 1);
  return 1;
}

static int co_yield(lua_State *L) {
  return lua_yield(L, lua_gettop(L));
}

/*
** A thread with status OK is "normal" when it has frames (it resumed the
** running one), "suspended" when it has only its body, "dead" when empty.
*/
static const char *status_name(lua_State *L, lua_State *co) {
  if (L == co)
    return "running";
  switch (lua_status(co)) {
  case LUA_YIELD:
    return "suspended";
  case LUA_OK: {
    lua_Debug ar;
    if (lua_getstack(co, 0, &ar) > 0)
      return "normal";
    return lua_gettop(co) == 0 ? "dead" : "suspended";
  }
  default:
    return "dead";
  }
}

static int co_status(lua_State *L) {
  lua_State *co = check_coroutine(L, 1);
  lua_pushstring(L, status_name(L, co));
  return 1;
}

static int co_isyieldable(lua_State *L) {
  lua_pushboolean(L, lua_isyieldable(L));
  return 1;
}

static int co_running(lua_State *L) {
  int ismain = lua_pushthread(L);
  lua_pushboolean(L, ismain);
  return 2;
}

/* The library is a ROM table (lib_rom.h). */
#include "rom_coroutine.inc"

LUAMOD_API int luaopen_coroutine(lua_State *L) {
  moonlet_pushrotable(L, &ml_rt_coroutine);
  return 1;
}
