/*
** api.c: the Lua 5.3 C API of lua.h over the runtime's internals. Every
** object an API function creates is on the stack below L->top before the
** next allocation, and functions that create objects end at a GC safe point.
*/
#include <string.h>

#include "api.h"
#include "call.h"
#include "debuginfo.h"
#include "dump.h"
#include "func.h"
#include "gc.h"
#include "mem.h"
#include "moonlet.h"
#include "overlay.h"
#include "parser.h"
#include "state.h"
#include "str.h"
#include "table.h"
#include "undump.h"
#include "vm.h"
#include "zio.h"

/* ---------------------------------------------------------------------
** Index conversion
** ------------------------------------------------------------------- */

/* What an unacceptable index designates: a nil that is never written. */
#define NONVALID ((TValue *)luaO_nilobject)

static inline int isvalid(const TValue *o) { return o != luaO_nilobject; }
static inline int ispseudo(int idx) { return idx <= LUA_REGISTRYINDEX; }
static inline int isupvalue(int idx) { return idx < LUA_REGISTRYINDEX; }

/* Upvalue pseudo-index of the running C function; light C functions (and
** the base level) have none, so every such index is "none". */
static TValue *upvalueaddr(lua_State *L, int idx) {
  const TValue *func = L->ci->func;
  int n = LUA_REGISTRYINDEX - idx;
  CClosure *cl;
  if (!ttisCclosure(func)) return NONVALID;
  cl = clCvalue(func);
  api_check(L, n <= MAXUPVAL + 1, "upvalue index too large");
  return n <= cl->nupvalues ? &cl->upvalue[n - 1] : NONVALID;
}

static TValue *index2addr(lua_State *L, int idx) {
  CallInfo *ci = L->ci;
  if (idx > 0) {
    TValue *o = ci->func + idx;
    api_check(L, idx <= ci->top - (ci->func + 1), "unacceptable index");
    return o < L->top ? o : NONVALID;
  }
  if (!ispseudo(idx)) {
    api_check(L, idx != 0 && -idx <= L->top - (ci->func + 1), "invalid index");
    return L->top + idx;
  }
  if (idx == LUA_REGISTRYINDEX) return &G(L)->l_registry;
  return upvalueaddr(L, idx);
}

static Table *registry(lua_State *L) { return hvalue(&G(L)->l_registry); }

static const TValue *globaltable(lua_State *L) {
  return table_getint(registry(L), LUA_RIDX_GLOBALS);
}

/* ---------------------------------------------------------------------
** State
** ------------------------------------------------------------------- */

LUA_API lua_CFunction lua_atpanic(lua_State *L, lua_CFunction panicf) {
  lua_CFunction old = G(L)->panic;
  G(L)->panic = panicf;
  return old;
}

/*
** The address identifies this copy of the core. Moonlet links C modules
** statically, so there is one copy: every state answers with it. (state.c
** and gc.c use g->version only as the "state is built" flag, and it need
** not be this address.)
*/
LUA_API const lua_Number *lua_version(lua_State *L) {
  static const lua_Number version = LUA_VERSION_NUM;
  UNUSED(L);
  return &version;
}

LUA_API int lua_status(lua_State *L) { return L->status; }

LUA_API lua_Alloc lua_getallocf(lua_State *L, void **ud) {
  if (ud) *ud = G(L)->ud;
  return G(L)->frealloc;
}

/* The heap keeps the allocator it was created with for the regions it
** already has; this only changes what lua_getallocf reports. */
LUA_API void lua_setallocf(lua_State *L, lua_Alloc f, void *ud) {
  G(L)->frealloc = f;
  G(L)->ud = ud;
}

/* ---------------------------------------------------------------------
** Basic stack manipulation
** ------------------------------------------------------------------- */

LUA_API int lua_absindex(lua_State *L, int idx) {
  if (idx > 0 || ispseudo(idx)) return idx;
  return cast_int(L->top - L->ci->func) + idx;
}

LUA_API int lua_gettop(lua_State *L) {
  return cast_int(L->top - (L->ci->func + 1));
}

LUA_API void lua_settop(lua_State *L, int idx) {
  if (idx >= 0) {
    StkId newtop = L->ci->func + 1 + idx;
    api_check(L, newtop <= L->stack_last, "new top too large");
    while (L->top < newtop) {
      setnilvalue(L->top);
      L->top++;
    }
    L->top = newtop;
  } else {
    api_check(L, -(idx + 1) <= L->top - (L->ci->func + 1), "invalid new top");
    L->top += idx + 1;
  }
}

LUA_API void lua_pushvalue(lua_State *L, int idx) {
  setobj2s(L, L->top, index2addr(L, idx));
  api_incr_top(L);
}

static void reverse(StkId from, StkId to) {
  while (from < to) {
    TValue tmp = *from;
    *from++ = *to;
    *to-- = tmp;
  }
}

/* Rotation by three reversals: [a b] -> [b' a'] -> [b a]. */
LUA_API void lua_rotate(lua_State *L, int idx, int n) {
  StkId last = L->top - 1;
  StkId first = index2addr(L, idx);
  StkId mid = n >= 0 ? last - n : first - n - 1;
  api_check(L, isvalid(first) && !ispseudo(idx), "index not in the stack");
  api_check(L, (n >= 0 ? n : -n) <= last - first + 1, "invalid 'n'");
  reverse(first, mid);
  reverse(mid + 1, last);
  reverse(first, last);
}

LUA_API void lua_copy(lua_State *L, int fromidx, int toidx) {
  TValue *from = index2addr(L, fromidx);
  TValue *to = index2addr(L, toidx);
  api_check(L, isvalid(to), "invalid index");
  setobj(L, to, from);
  if (isupvalue(toidx)) gc_barrier(L, clCvalue(L->ci->func), from);
}

static void growstack(lua_State *L, void *ud) {
  call_growstack(L, *(int *)ud);
}

/* A failed growth leaves the stack as it was (an error it raised pushed
** nothing that stays). */
LUA_API int lua_checkstack(lua_State *L, int n) {
  int ok = 1;
  api_check(L, n >= 0, "negative 'n'");
  if (L->stack_last - L->top <= n) {
    int inuse = cast_int(L->top - L->stack) + EXTRA_STACK;
    ptrdiff_t top = savestack(L, L->top);
    ok = inuse <= LUAI_MAXSTACK - n &&
         call_rawrunprotected(L, growstack, &n) == LUA_OK;
    L->top = restorestack(L, top);
  }
  if (ok && L->ci->top < L->top + n) L->ci->top = L->top + n;
  return ok;
}

LUA_API void lua_xmove(lua_State *from, lua_State *to, int n) {
  int i;
  if (from == to) return;
  api_checknelems(from, n);
  api_check(from, G(from) == G(to), "moving among independent states");
  api_check(from, to->ci->top - to->top >= n, "stack overflow");
  from->top -= n;
  for (i = 0; i < n; i++) {
    setobj2s(to, to->top, from->top + i);
    to->top++;
  }
}

/* ---------------------------------------------------------------------
** Access functions (stack -> C)
** ------------------------------------------------------------------- */

LUA_API int lua_type(lua_State *L, int idx) {
  const TValue *o = index2addr(L, idx);
  return isvalid(o) ? ttnov(o) : LUA_TNONE;
}

LUA_API const char *lua_typename(lua_State *L, int t) {
  UNUSED(L);
  api_check(L, LUA_TNONE <= t && t < LUA_NUMTAGS, "invalid tag");
  return ttypename(t);
}

LUA_API int lua_iscfunction(lua_State *L, int idx) {
  const TValue *o = index2addr(L, idx);
  return ttislcf(o) || ttisCclosure(o);
}

LUA_API int lua_isinteger(lua_State *L, int idx) {
  return ttisinteger(index2addr(L, idx));
}

LUA_API int lua_isnumber(lua_State *L, int idx) {
  lua_Number n;
  const TValue *o = index2addr(L, idx);
  return tonumber(o, &n);
}

LUA_API int lua_isstring(lua_State *L, int idx) {
  const TValue *o = index2addr(L, idx);
  return ttisstring(o) || cvt2str(o);
}

LUA_API int lua_isuserdata(lua_State *L, int idx) {
  const TValue *o = index2addr(L, idx);
  return ttisfulluserdata(o) || ttislightuserdata(o);
}

LUA_API int lua_rawequal(lua_State *L, int index1, int index2) {
  const TValue *o1 = index2addr(L, index1);
  const TValue *o2 = index2addr(L, index2);
  return isvalid(o1) && isvalid(o2) && vm_rawequalobj(o1, o2);
}

/* Unary operators take one operand: it is duplicated as the second one,
** as the VM does for OP_UNM and OP_BNOT. */
LUA_API void lua_arith(lua_State *L, int op) {
  if (op == LUA_OPUNM || op == LUA_OPBNOT) {
    api_checknelems(L, 1);
    setobjs2s(L, L->top, L->top - 1);
    api_incr_top(L);
  } else {
    api_checknelems(L, 2);
  }
  obj_arith(L, op, L->top - 2, L->top - 1, L->top - 2);
  L->top--;
}

LUA_API int lua_compare(lua_State *L, int index1, int index2, int op) {
  const TValue *o1 = index2addr(L, index1);
  const TValue *o2 = index2addr(L, index2);
  if (!isvalid(o1) || !isvalid(o2)) return 0;
  switch (op) {
    case LUA_OPEQ: return vm_equalobj(L, o1, o2);
    case LUA_OPLT: return vm_lessthan(L, o1, o2);
    case LUA_OPLE: return vm_lessequal(L, o1, o2);
    default: api_check(L, 0, "invalid option"); return 0;
  }
}

LUA_API size_t lua_stringtonumber(lua_State *L, const char *s) {
  size_t size = obj_str2num(s, L->top);
  if (size != 0) api_incr_top(L);
  return size;
}

LUA_API lua_Number lua_tonumberx(lua_State *L, int idx, int *pisnum) {
  lua_Number n = 0;
  const TValue *o = index2addr(L, idx);
  int isnum = tonumber(o, &n);
  if (!isnum) n = 0; /* a failed conversion may have written n */
  if (pisnum) *pisnum = isnum;
  return n;
}

LUA_API lua_Integer lua_tointegerx(lua_State *L, int idx, int *pisnum) {
  lua_Integer i = 0;
  const TValue *o = index2addr(L, idx);
  int isnum = tointeger(o, &i);
  if (!isnum) i = 0;
  if (pisnum) *pisnum = isnum;
  return i;
}

LUA_API int lua_toboolean(lua_State *L, int idx) {
  return !l_isfalse(index2addr(L, idx));
}

/* A number is converted in place into a string (as Lua 5.3 does). */
LUA_API const char *lua_tolstring(lua_State *L, int idx, size_t *len) {
  TValue *o = index2addr(L, idx);
  if (!ttisstring(o)) {
    if (!cvt2str(o)) {
      if (len != NULL) *len = 0;
      return NULL;
    }
    obj_tostring(L, o);
    if (isupvalue(idx)) gc_barrier(L, clCvalue(L->ci->func), o);
    gc_checkGC(L);
    o = index2addr(L, idx); /* a collection may have shrunk the stack */
  }
  if (len != NULL) *len = vslen(o);
  return svalue(o);
}

LUA_API size_t lua_rawlen(lua_State *L, int idx) {
  const TValue *o = index2addr(L, idx);
  if (ttisstring(o)) return vslen(o);
  if (ttisfulluserdata(o)) return uvalue(o)->len;
  if (ttistable(o))
    return (size_t)(overlay_active(G(L), hvalue(o))
                        ? overlay_getn(G(L), hvalue(o))
                        : table_getn(hvalue(o)));
  return 0;
}

LUA_API lua_CFunction lua_tocfunction(lua_State *L, int idx) {
  const TValue *o = index2addr(L, idx);
  if (ttislcf(o)) return fvalue(o);
  if (ttisCclosure(o)) return clCvalue(o)->f;
  return NULL;
}

LUA_API void *lua_touserdata(lua_State *L, int idx) {
  const TValue *o = index2addr(L, idx);
  if (ttisfulluserdata(o)) return getudatamem(uvalue(o));
  if (ttislightuserdata(o)) return pvalue(o);
  return NULL;
}

LUA_API lua_State *lua_tothread(lua_State *L, int idx) {
  const TValue *o = index2addr(L, idx);
  return ttisthread(o) ? thvalue(o) : NULL;
}

LUA_API const void *lua_topointer(lua_State *L, int idx) {
  const TValue *o = index2addr(L, idx);
  switch (ttype(o)) {
    case LUA_TTABLE:
    case LUA_TLCL:
    case LUA_TCCL:
    case LUA_TTHREAD: return gcvalue(o);
    case LUA_TLCF: return (const void *)(uintptr_t)fvalue(o);
    case LUA_TUSERDATA:
    case LUA_TLIGHTUSERDATA: return lua_touserdata(L, idx);
    default: return NULL;
  }
}

/* ---------------------------------------------------------------------
** Push functions (C -> stack)
** ------------------------------------------------------------------- */

LUA_API void lua_pushnil(lua_State *L) {
  setnilvalue(L->top);
  api_incr_top(L);
}

LUA_API void lua_pushnumber(lua_State *L, lua_Number n) {
  setfltvalue(L->top, n);
  api_incr_top(L);
}

LUA_API void lua_pushinteger(lua_State *L, lua_Integer n) {
  setivalue(L->top, n);
  api_incr_top(L);
}

/* 's' may be NULL when len is 0. */
LUA_API const char *lua_pushlstring(lua_State *L, const char *s, size_t len) {
  TString *ts = len == 0 ? str_new(L, "") : str_newlstr(L, s, len);
  setsvalue2s(L, L->top, ts);
  api_incr_top(L);
  gc_checkGC(L);
  return getstr(ts);
}

LUA_API const char *lua_pushstring(lua_State *L, const char *s) {
  TString *ts;
  if (s == NULL) {
    lua_pushnil(L);
    return NULL;
  }
  ts = str_new(L, s);
  setsvalue2s(L, L->top, ts);
  api_incr_top(L);
  gc_checkGC(L);
  return getstr(ts);
}

LUA_API const char *lua_pushvfstring(lua_State *L, const char *fmt,
                                     va_list argp) {
  const char *s = obj_pushvfstring(L, fmt, argp);
  gc_checkGC(L);
  return s;
}

LUA_API const char *lua_pushfstring(lua_State *L, const char *fmt, ...) {
  const char *s;
  va_list argp;
  va_start(argp, fmt);
  s = obj_pushvfstring(L, fmt, argp);
  va_end(argp);
  gc_checkGC(L);
  return s;
}

/* The n upvalues are on the stack until the closure holds them; with no
** upvalue the function is pushed as a light C function. */
LUA_API void lua_pushcclosure(lua_State *L, lua_CFunction fn, int n) {
  CClosure *cl;
  int i;
  if (n == 0) {
    setfvalue(L->top, fn);
    api_incr_top(L);
    return;
  }
  api_checknelems(L, n);
  api_check(L, n <= MAXUPVAL, "upvalue index too large");
  cl = func_newCclosure(L, n);
  cl->f = fn;
  L->top -= n;
  for (i = 0; i < n; i++) setobj2n(L, &cl->upvalue[i], L->top + i);
  setclCvalue(L, L->top, cl);
  api_incr_top(L);
  gc_checkGC(L);
}

LUA_API void lua_pushboolean(lua_State *L, int b) {
  setbvalue(L->top, b != 0);
  api_incr_top(L);
}

LUA_API void lua_pushlightuserdata(lua_State *L, void *p) {
  setpvalue(L->top, p);
  api_incr_top(L);
}

/* The table is const, in ROM: the GC and the writers skip it (ML_READONLY). */
void moonlet_pushrotable(lua_State *L, const void *t) {
  sethvalue(L, L->top, cast(Table *, t));
  api_incr_top(L);
}

LUA_API int lua_pushthread(lua_State *L) {
  setthvalue(L, L->top, L);
  api_incr_top(L);
  return G(L)->mainthread == L;
}

/* ---------------------------------------------------------------------
** Get functions (Lua -> stack)
** ------------------------------------------------------------------- */

/* Raw reads as the program sees the table: through a ROM table's overlay. */
static const TValue *rawgetstr(lua_State *L, Table *t, TString *key) {
  if (overlay_active(G(L), t)) {
    TValue k;
    setsvalue(L, &k, key);
    return overlay_get(G(L), t, &k);
  }
  return table_getstr(t, key);
}

static const TValue *rawgetint(lua_State *L, Table *t, lua_Integer key) {
  if (overlay_active(G(L), t)) return overlay_getint(G(L), t, key);
  return table_getint(t, key);
}

static const TValue *rawget(lua_State *L, Table *t, const TValue *key) {
  if (overlay_active(G(L), t)) return overlay_get(G(L), t, key);
  return table_get(t, key);
}

static int pushslot(lua_State *L, const TValue *slot) {
  setobj2s(L, L->top, slot);
  api_incr_top(L);
  return ttnov(slot);
}

/* t[key] with metamethods; key must be anchored by the caller until it is
** pushed (no allocation happens before that here). */
static int getbystr(lua_State *L, const TValue *t, TString *key) {
  const TValue *slot;
  if (vm_fastget(L, t, key, slot, rawgetstr)) return pushslot(L, slot);
  setsvalue2s(L, L->top, key);
  api_incr_top(L);
  vm_finishget(L, t, L->top - 1, L->top - 1, slot);
  return ttnov(L->top - 1);
}

LUA_API int lua_getglobal(lua_State *L, const char *name) {
  TString *key = str_new(L, name);
  return getbystr(L, globaltable(L), key);
}

LUA_API int lua_gettable(lua_State *L, int idx) {
  const TValue *t = index2addr(L, idx);
  vm_gettable(L, t, L->top - 1, L->top - 1);
  return ttnov(L->top - 1);
}

/* The key string is made before the index is converted: its allocation
** may collect, and only pointers taken after it are used. */
LUA_API int lua_getfield(lua_State *L, int idx, const char *k) {
  TString *key = str_new(L, k);
  return getbystr(L, index2addr(L, idx), key);
}

LUA_API int lua_geti(lua_State *L, int idx, lua_Integer n) {
  const TValue *t = index2addr(L, idx);
  const TValue *slot;
  if (vm_fastget(L, t, n, slot, rawgetint)) return pushslot(L, slot);
  setivalue(L->top, n);
  api_incr_top(L);
  vm_finishget(L, t, L->top - 1, L->top - 1, slot);
  return ttnov(L->top - 1);
}

static Table *tableat(lua_State *L, int idx) {
  const TValue *t = index2addr(L, idx);
  api_check(L, ttistable(t), "table expected");
  return hvalue(t);
}

LUA_API int lua_rawget(lua_State *L, int idx) {
  Table *t = tableat(L, idx);
  setobj2s(L, L->top - 1, rawget(L, t, L->top - 1));
  return ttnov(L->top - 1);
}

LUA_API int lua_rawgeti(lua_State *L, int idx, lua_Integer n) {
  return pushslot(L, rawgetint(L, tableat(L, idx), n));
}

LUA_API int lua_rawgetp(lua_State *L, int idx, const void *p) {
  TValue k;
  setpvalue(&k, (void *)p);
  return pushslot(L, rawget(L, tableat(L, idx), &k));
}

LUA_API void lua_createtable(lua_State *L, int narray, int nrec) {
  Table *t = table_new(L);
  sethvalue2s(L, L->top, t);
  api_incr_top(L);
  if (narray > 0 || nrec > 0)
    table_resize(L, t, (unsigned int)(narray > 0 ? narray : 0),
                 (unsigned int)(nrec > 0 ? nrec : 0));
  gc_checkGC(L);
}

LUA_API void *lua_newuserdata(lua_State *L, size_t size) {
  Udata *u = str_newudata(L, size);
  setuvalue(L, L->top, u);
  api_incr_top(L);
  gc_checkGC(L);
  return getudatamem(u);
}

static Table *metatableof(lua_State *L, const TValue *o) {
  switch (ttnov(o)) {
    case LUA_TTABLE: return overlay_mt(G(L), hvalue(o));
    case LUA_TUSERDATA: return uvalue(o)->metatable;
    default: return G(L)->mt[ttnov(o)];
  }
}

LUA_API int lua_getmetatable(lua_State *L, int objindex) {
  Table *mt = metatableof(L, index2addr(L, objindex));
  if (mt == NULL) return 0;
  sethvalue2s(L, L->top, mt);
  api_incr_top(L);
  return 1;
}

LUA_API int lua_getuservalue(lua_State *L, int idx) {
  const TValue *o = index2addr(L, idx);
  api_check(L, ttisfulluserdata(o), "full userdata expected");
  if (ttisfulluserdata(o)) {
    getuservalue(L, uvalue(o), L->top);
  } else {
    setnilvalue(L->top);
  }
  api_incr_top(L);
  return ttnov(L->top - 1);
}

/* ---------------------------------------------------------------------
** Set functions (stack -> Lua)
** ------------------------------------------------------------------- */

/* Writes v into the present (non-nil) slot of RAM table t. */
static void setslot(lua_State *L, const TValue *t, const TValue *slot,
                    const TValue *v) {
  Table *h = hvalue(t);
  setobj2t(L, (TValue *)slot, v);
  gc_barrierback(L, h, v);
}

/* t[key] = top value, with metamethods; pops the value. */
static void setbystr(lua_State *L, const TValue *t, TString *key) {
  const TValue *slot;
  api_checknelems(L, 1);
  if (vm_fastget(L, t, key, slot, rawgetstr) && !isreadonly(hvalue(t))) {
    setslot(L, t, slot, L->top - 1);
    L->top--;
    return;
  }
  setsvalue2s(L, L->top, key);
  api_incr_top(L);
  vm_finishset(L, t, L->top - 1, L->top - 2, slot);
  L->top -= 2;
}

LUA_API void lua_setglobal(lua_State *L, const char *name) {
  TString *key = str_new(L, name);
  setbystr(L, globaltable(L), key);
}

LUA_API void lua_settable(lua_State *L, int idx) {
  const TValue *t;
  api_checknelems(L, 2);
  t = index2addr(L, idx);
  vm_settable(L, t, L->top - 2, L->top - 1);
  L->top -= 2;
}

LUA_API void lua_setfield(lua_State *L, int idx, const char *k) {
  TString *key = str_new(L, k);
  setbystr(L, index2addr(L, idx), key);
}

LUA_API void lua_seti(lua_State *L, int idx, lua_Integer n) {
  const TValue *t = index2addr(L, idx);
  const TValue *slot;
  api_checknelems(L, 1);
  if (vm_fastget(L, t, n, slot, rawgetint) && !isreadonly(hvalue(t))) {
    setslot(L, t, slot, L->top - 1);
    L->top--;
    return;
  }
  setivalue(L->top, n);
  api_incr_top(L);
  vm_finishset(L, t, L->top - 1, L->top - 2, slot);
  L->top -= 2;
}

/* t[key] = v raw; key and v are anchored (stack, or not collectable). */
static void rawset(lua_State *L, Table *t, const TValue *key,
                   const TValue *v) {
  TValue *slot;
  if (isreadonly(t)) {
    overlay_set(L, t, key, v);
    return;
  }
  slot = table_set(L, t, key);
  setobj2t(L, slot, v);
  invalidateTMcache(t);
  gc_barrierback(L, t, v);
}

LUA_API void lua_rawset(lua_State *L, int idx) {
  api_checknelems(L, 2);
  rawset(L, tableat(L, idx), L->top - 2, L->top - 1);
  L->top -= 2;
}

LUA_API void lua_rawseti(lua_State *L, int idx, lua_Integer n) {
  Table *t = tableat(L, idx);
  api_checknelems(L, 1);
  if (isreadonly(t)) {
    TValue k;
    setivalue(&k, n);
    overlay_set(L, t, &k, L->top - 1);
    L->top--;
    return;
  }
  table_setint(L, t, n, L->top - 1);
  gc_barrierback(L, t, L->top - 1);
  L->top--;
}

LUA_API void lua_rawsetp(lua_State *L, int idx, const void *p) {
  TValue k;
  api_checknelems(L, 1);
  setpvalue(&k, (void *)p);
  rawset(L, tableat(L, idx), &k, L->top - 1);
  L->top--;
}

static void setobjmt(lua_State *L, GCObject *o, Table **field, Table *mt) {
  *field = mt;
  if (mt != NULL) {
    gc_objbarrier(L, o, mt);
    gc_checkfinalizer(L, o, mt);
  }
}

LUA_API int lua_setmetatable(lua_State *L, int objindex) {
  TValue *obj;
  Table *mt;
  api_checknelems(L, 1);
  obj = index2addr(L, objindex);
  api_check(L, ttisnil(L->top - 1) || ttistable(L->top - 1), "table expected");
  mt = ttisnil(L->top - 1) ? NULL : hvalue(L->top - 1);
  switch (ttnov(obj)) {
    case LUA_TTABLE:
      if (isreadonly(hvalue(obj))) overlay_setmetatable(L, hvalue(obj), mt);
      else setobjmt(L, gcvalue(obj), &hvalue(obj)->metatable, mt);
      break;
    case LUA_TUSERDATA:
      setobjmt(L, gcvalue(obj), &uvalue(obj)->metatable, mt);
      break;
    default: G(L)->mt[ttnov(obj)] = mt; break;
  }
  L->top--;
  return 1;
}

LUA_API void lua_setuservalue(lua_State *L, int idx) {
  TValue *o;
  api_checknelems(L, 1);
  o = index2addr(L, idx);
  api_check(L, ttisfulluserdata(o), "full userdata expected");
  setuservalue(L, uvalue(o), L->top - 1);
  gc_barrier(L, gcvalue(o), L->top - 1);
  L->top--;
}

/* ---------------------------------------------------------------------
** Calls and loads
** ------------------------------------------------------------------- */

LUA_API void lua_callk(lua_State *L, int nargs, int nresults,
                       lua_KContext ctx, lua_KFunction k) {
  StkId func;
  api_checknelems(L, nargs + 1);
  api_check(L, L->status == LUA_OK, "cannot do calls on non-normal thread");
  func = L->top - (nargs + 1);
  if (k != NULL && L->nny == 0) { /* the callee may yield: save 'k' */
    L->ci->u.c.k = k;
    L->ci->u.c.ctx = ctx;
    call_call(L, func, nresults);
  } else {
    call_callnoyield(L, func, nresults);
  }
  api_adjustresults(L, nresults);
}

struct CallS {
  StkId func;
  int nresults;
};

static void f_call(lua_State *L, void *ud) {
  struct CallS *c = (struct CallS *)ud;
  call_callnoyield(L, c->func, c->nresults);
}

/*
** A protected call that may yield: resume (call.c) is already the
** protected boundary. Its recovery reads ci->extra (where the function
** was), ci->u.c.old_errfunc and CIST_OAH, and continues in k.
*/
static void yieldablepcall(lua_State *L, StkId func, int nresults,
                           ptrdiff_t ef, lua_KContext ctx, lua_KFunction k) {
  CallInfo *ci = L->ci;
  ci->u.c.k = k;
  ci->u.c.ctx = ctx;
  ci->extra = savestack(L, func);
  ci->u.c.old_errfunc = L->errfunc;
  L->errfunc = ef;
  setoah(ci->callstatus, L->allowhook);
  ci->callstatus |= CIST_YPCALL;
  call_call(L, func, nresults);
  ci->callstatus &= ~CIST_YPCALL;
  L->errfunc = ci->u.c.old_errfunc;
}

LUA_API int lua_pcallk(lua_State *L, int nargs, int nresults, int errfunc,
                       lua_KContext ctx, lua_KFunction k) {
  struct CallS c;
  ptrdiff_t ef = 0;
  int status = LUA_OK;
  api_checknelems(L, nargs + 1);
  api_check(L, L->status == LUA_OK, "cannot do calls on non-normal thread");
  if (errfunc != 0) {
    TValue *o = index2addr(L, errfunc);
    api_check(L, isvalid(o) && !ispseudo(errfunc), "invalid error handler");
    ef = savestack(L, o);
  }
  c.func = L->top - (nargs + 1);
  c.nresults = nresults;
  if (k == NULL || L->nny > 0)
    status = call_pcall(L, f_call, &c, savestack(L, c.func), ef);
  else
    yieldablepcall(L, c.func, nresults, ef, ctx, k);
  api_adjustresults(L, nresults);
  return status;
}

/* The main closure's first upvalue (_ENV) becomes the globals table. */
static void setenvupvalue(lua_State *L, LClosure *f) {
  UpVal *uv;
  if (f->nupvalues < 1) return;
  if (f->upvals[0] == NULL) func_initupvals(L, f); /* f is on the stack */
  uv = f->upvals[0];
  setobj(L, uv->v, globaltable(L));
  gc_upvalbarrier(L, uv);
}

static const char *endreader(lua_State *L, void *ud, size_t *size) {
  UNUSED(L);
  UNUSED(ud);
  *size = 0;
  return NULL;
}

/* Fills the stream's buffer without consuming its first byte. At the end
** the reader is not called again: the stream stays ended. */
static void peekfirst(lua_State *L, void *ud) {
  ZIO *z = (ZIO *)ud;
  UNUSED(L);
  if (z->n > 0) return;
  if (zio_fill(z) == EOZ) {
    z->reader = endreader;
  } else { /* put the byte back */
    z->n++;
    z->p--;
  }
}

/*
** A chunk that starts with LUA_SIGNATURE is binary (undump.c), any other
** is text (parser.c). The first byte is only looked at here: the reader
** runs, protected, to get it, and the chosen loader reads it again.
*/
static int loadchunk(lua_State *L, ZIO *z, const char *chunkname,
                     const char *mode) {
  int status;
  L->nny++; /* the reader may not yield */
  status = call_pcall(L, peekfirst, z, savestack(L, L->top), L->errfunc);
  L->nny--;
  if (status != LUA_OK) return status;
  if (z->n == 0 || *z->p != LUA_SIGNATURE[0])
    return parse_protected(L, z, chunkname, mode);
  if (mode != NULL && strchr(mode, 'b') == NULL) {
    lua_pushfstring(L, "attempt to load a binary chunk (mode is '%s')", mode);
    return LUA_ERRSYNTAX;
  }
  return undump_protected(L, z, chunkname);
}

LUA_API int lua_load(lua_State *L, lua_Reader reader, void *data,
                     const char *chunkname, const char *mode) {
  ZIO z;
  int status;
  if (chunkname == NULL) chunkname = "?";
  zio_init(L, &z, reader, data);
  status = loadchunk(L, &z, chunkname, mode);
  if (status == LUA_OK) setenvupvalue(L, clLvalue(L->top - 1));
  return status;
}

/* Dumps the Lua function on the top; 1 (and nothing written) for any other
** value. The function stays on the stack, so its proto stays alive while
** the writer runs. */
LUA_API int lua_dump(lua_State *L, lua_Writer writer, void *data, int strip) {
  TValue *o;
  api_checknelems(L, 1);
  o = L->top - 1;
  if (!isLfunction(o)) return 1;
  return dump_proto(L, getproto(o), writer, data, strip);
}

/* ---------------------------------------------------------------------
** Garbage collection
** ------------------------------------------------------------------- */

typedef struct GCStep {
  int data; /* KB of debt, 0 for a basic step */
  int done; /* 1 when the step ended a cycle */
} GCStep;

static void dostep(lua_State *L, void *ud) {
  GCStep *s = (GCStep *)ud;
  global_State *g = G(L);
  size_t used = heap_used(g->heap);
  if (s->data > 0 && (size_t)s->data > (used >> 10)) {
    gc_fullgc(L, 0);
  } else {
    g->gc.threshold = used - (s->data > 0 ? (size_t)s->data << 10 : 0);
    gc_step(L);
    s->done = g->gc.state == GCSpause;
  }
}

/*
** One step of 'data' KB of debt (a basic step when 0), run even when the
** collector is stopped. A debt larger than the heap is a full collection.
** A finalizer's error is raised again once the collector is back as it
** was (a stopped collector stays stopped). Returns 1 when the step ended
** a cycle.
*/
static int gcstep(lua_State *L, int data) {
  global_State *g = G(L);
  lu_byte wasrunning = g->gc.running;
  GCStep s;
  int status;
  s.data = data;
  s.done = 1;
  g->gc.running = 1;
  status = call_rawrunprotected(L, dostep, &s);
  g->gc.running = wasrunning;
  if (status != LUA_OK) call_throw(L, status);
  return s.done;
}

static int setparam(int *param, int value) {
  int old = *param;
  *param = value;
  return old;
}

LUA_API int lua_gc(lua_State *L, int what, int data) {
  global_State *g = G(L);
  switch (what) {
    case LUA_GCSTOP: g->gc.running = 0; return 0;
    case LUA_GCRESTART: g->gc.running = 1; return 0;
    case LUA_GCCOLLECT: gc_fullgc(L, 0); return 0;
    case LUA_GCCOUNT: return cast_int(heap_used(g->heap) >> 10);
    case LUA_GCCOUNTB: return cast_int(heap_used(g->heap) & 0x3ff);
    case LUA_GCSTEP: return gcstep(L, data);
    case LUA_GCSETPAUSE: return setparam(&g->gc.pause, data);
    case LUA_GCSETSTEPMUL: return setparam(&g->gc.stepmul, data < 40 ? 40 : data);
    case LUA_GCISRUNNING: return g->gc.running;
    default: return -1;
  }
}

/* ---------------------------------------------------------------------
** Miscellaneous functions
** ------------------------------------------------------------------- */

/* The error object is on top; the message handler runs (dbg_errormsg). */
LUA_API int lua_error(lua_State *L) {
  api_checknelems(L, 1);
  dbg_errormsg(L);
  return 0;
}

LUA_API int lua_next(lua_State *L, int idx) {
  Table *t = tableat(L, idx);
  int more = overlay_active(G(L), t) ? overlay_next(L, t, L->top - 1)
                                     : table_next(L, t, L->top - 1);
  if (more)
    api_incr_top(L);
  else
    L->top--;
  return more;
}

/* The result ends up where the first operand was, whether or not
** vm_concat moved the top itself. */
LUA_API void lua_concat(lua_State *L, int n) {
  api_checknelems(L, n);
  if (n >= 2) {
    ptrdiff_t first = savestack(L, L->top - n);
    vm_concat(L, n);
    L->top = restorestack(L, first) + 1;
  } else if (n == 0) {
    setsvalue2s(L, L->top, str_new(L, ""));
    api_incr_top(L);
  }
  gc_checkGC(L);
}

LUA_API void lua_len(lua_State *L, int idx) {
  const TValue *t = index2addr(L, idx);
  vm_objlen(L, L->top, t);
  api_incr_top(L);
}

/* ---------------------------------------------------------------------
** Upvalues of closures
** ------------------------------------------------------------------- */

/*
** Slot of upvalue n of closure fi and its name ("" for C functions,
** "(*no name)" for stripped Lua functions); NULL when there is none. The
** object a store must be barriered against goes in *cowner or *uv.
*/
static const char *upvalueslot(const TValue *fi, int n, TValue **val,
                               CClosure **cowner, UpVal **uv) {
  if (ttisCclosure(fi)) {
    CClosure *f = clCvalue(fi);
    if (n < 1 || n > f->nupvalues) return NULL;
    *val = &f->upvalue[n - 1];
    if (cowner) *cowner = f;
    return "";
  }
  if (ttisLclosure(fi)) {
    LClosure *f = clLvalue(fi);
    TString *name;
    if (n < 1 || n > f->p->sizeupvalues || f->upvals[n - 1] == NULL)
      return NULL;
    *val = f->upvals[n - 1]->v;
    if (uv) *uv = f->upvals[n - 1];
    name = f->p->upvalues[n - 1].name;
    return name == NULL ? "(*no name)" : getstr(name);
  }
  return NULL;
}

LUA_API const char *lua_getupvalue(lua_State *L, int funcindex, int n) {
  TValue *val = NULL;
  const char *name = upvalueslot(index2addr(L, funcindex), n, &val, NULL,
                                 NULL);
  if (name != NULL) {
    setobj2s(L, L->top, val);
    api_incr_top(L);
  }
  return name;
}

LUA_API const char *lua_setupvalue(lua_State *L, int funcindex, int n) {
  TValue *val = NULL;
  CClosure *owner = NULL;
  UpVal *uv = NULL;
  const char *name;
  api_checknelems(L, 1);
  name = upvalueslot(index2addr(L, funcindex), n, &val, &owner, &uv);
  if (name == NULL) return NULL;
  L->top--;
  setobj(L, val, L->top);
  if (owner != NULL) gc_barrier(L, owner, L->top);
  if (uv != NULL) gc_upvalbarrier(L, uv);
  return name;
}

/* Identity of an upvalue: the shared UpVal of a Lua closure, the slot of
** a C closure; NULL when there is no upvalue n. */
LUA_API void *lua_upvalueid(lua_State *L, int fidx, int n) {
  const TValue *fi = index2addr(L, fidx);
  if (ttisLclosure(fi)) {
    LClosure *f = clLvalue(fi);
    return (n >= 1 && n <= f->p->sizeupvalues) ? f->upvals[n - 1] : NULL;
  }
  if (ttisCclosure(fi)) {
    CClosure *f = clCvalue(fi);
    return (n >= 1 && n <= f->nupvalues) ? &f->upvalue[n - 1] : NULL;
  }
  api_check(L, 0, "closure expected");
  return NULL;
}

LUA_API void lua_upvaluejoin(lua_State *L, int fidx1, int n1, int fidx2,
                             int n2) {
  const TValue *o1 = index2addr(L, fidx1);
  const TValue *o2 = index2addr(L, fidx2);
  LClosure *f1, *f2;
  api_check(L, ttisLclosure(o1) && ttisLclosure(o2), "Lua function expected");
  f1 = clLvalue(o1);
  f2 = clLvalue(o2);
  api_check(L, 1 <= n1 && n1 <= f1->p->sizeupvalues, "invalid upvalue index");
  api_check(L, 1 <= n2 && n2 <= f2->p->sizeupvalues, "invalid upvalue index");
  f1->upvals[n1 - 1] = f2->upvals[n2 - 1];
  gc_objbarrier(L, f1, f1->upvals[n1 - 1]);
}
