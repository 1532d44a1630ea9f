/*
** meta.c: metamethods: their names, lookup (with the per-table absence
** cache, never written on read-only tables) and calls to them.
*/
#include "meta.h"

#include "call.h"
#include "debuginfo.h"
#include "gc.h"
#include "overlay.h"
#include "state.h"
#include "str.h"
#include "table.h"
#include "vm.h"

static const char udatatypename[] = "userdata";

/* Indexed by tag + 1, so that LUA_TNONE (-1) has a name. */
const char *const meta_typenames_[LUA_TOTALTAGS + 1] = {
    "no value", "nil", "boolean", udatatypename, "number", "string", "table",
    "function", udatatypename, "thread", "proto", "upvalue", "deadkey"};

void meta_init(lua_State *L) {
#define ML_TM_NAME(name, str) str,
  static const char *const names[TM_N] = {ML_TMS(ML_TM_NAME)};
#undef ML_TM_NAME
  global_State *g = G(L);
  int i;
  for (i = 0; i < TM_N; i++) {
    TString *s = str_new(L, names[i]);
    g->tmname[i] = s;
    if (!isreadonly(s)) gc_fix(L, obj2gco(s)); /* before the next alloc */
  }
}

/*
** The caller (gfasttm) already checked the absence bit. Only the events up
** to TM_EQ are cached, and never in a read-only table.
*/
const TValue *meta_gettm(global_State *g, Table *events, TMS event,
                         TString *ename) {
  const TValue *tm = overlay_active(g, events)
                         ? overlay_getshortstr(g, events, ename)
                         : table_getshortstr(events, ename);
  if (!ttisnil(tm)) return tm;
  if (event <= TM_EQ && !isreadonly(events))
    events->flags |= cast_byte(1u << event);
  return NULL;
}

static Table *metatableof(lua_State *L, const TValue *o) {
  switch (ttnov(o)) {
    case LUA_TTABLE: return overlay_mt(G(L), hvalue(o));
    case LUA_TUSERDATA: return uvalue(o)->metatable;
    default: return G(L)->mt[ttnov(o)];
  }
}

/* Never NULL: luaO_nilobject when there is no such metamethod. */
const TValue *meta_gettmbyobj(lua_State *L, const TValue *o, TMS event) {
  Table *mt = metatableof(L, o);
  if (mt == NULL) return luaO_nilobject;
  if (overlay_active(G(L), mt))
    return overlay_getshortstr(G(L), mt, G(L)->tmname[event]);
  return table_getshortstr(mt, G(L)->tmname[event]);
}

const char *meta_objtypename(lua_State *L, const TValue *o) {
  Table *mt = NULL;
  if (ttistable(o)) mt = overlay_mt(G(L), hvalue(o));
  else if (ttisfulluserdata(o)) mt = uvalue(o)->metatable;
  if (mt != NULL) {
    TString *key = str_newliteral(L, "__name");
    const TValue *name = overlay_active(G(L), mt)
                             ? overlay_getshortstr(G(L), mt, key)
                             : table_getshortstr(mt, key);
    if (ttisstring(name)) return getstr(tsvalue(name));
  }
  return ttypename(ttnov(o));
}

/*
** Calls f(p1, p2) with one result stored in *p3 (hasres), or f(p1, p2, p3)
** with none. Uses the EXTRA_STACK slots above L->top. When hasres, p3 is a
** stack slot and the stack may move during the call, so it is saved as an
** offset. A call made from a Lua frame may yield (vm_finishOp ends it).
*/
void meta_calltm(lua_State *L, const TValue *f, const TValue *p1,
                 const TValue *p2, TValue *p3, int hasres) {
  ptrdiff_t result = hasres ? savestack(L, p3) : 0;
  StkId func = L->top;
  setobj2s(L, func, f);
  setobj2s(L, func + 1, p1);
  setobj2s(L, func + 2, p2);
  L->top = func + 3;
  if (!hasres) {
    setobj2s(L, L->top, p3);
    L->top++;
  }
  if (isLua(L->ci)) call_call(L, func, hasres);
  else call_callnoyield(L, func, hasres);
  if (hasres) {
    L->top--;
    setobjs2s(L, restorestack(L, result), L->top);
  }
}

int meta_callbinTM(lua_State *L, const TValue *p1, const TValue *p2,
                   StkId res, TMS event) {
  const TValue *tm = meta_gettmbyobj(L, p1, event);
  if (ttisnil(tm)) tm = meta_gettmbyobj(L, p2, event);
  if (ttisnil(tm)) return 0;
  meta_calltm(L, tm, p1, p2, res, 1);
  return 1;
}

void meta_trybinTM(lua_State *L, const TValue *p1, const TValue *p2,
                   StkId res, TMS event) {
  if (meta_callbinTM(L, p1, p2, res, event)) return;
  switch (event) {
    case TM_CONCAT:
      dbg_concaterror(L, p1, p2);
    case TM_BAND: case TM_BOR: case TM_BXOR:
    case TM_SHL: case TM_SHR: case TM_BNOT: {
      lua_Number dummy; /* numbers, or strings that convert to numbers */
      if (tonumber(p1, &dummy) && tonumber(p2, &dummy))
        dbg_tointerror(L, p1, p2);
      dbg_opinterror(L, p1, p2, "perform bitwise operation on");
    }
    default:
      dbg_opinterror(L, p1, p2, "perform arithmetic on");
  }
}

int meta_callorderTM(lua_State *L, const TValue *p1, const TValue *p2,
                     TMS event) {
  if (!meta_callbinTM(L, p1, p2, L->top, event)) return -1;
  return !l_isfalse(L->top);
}
