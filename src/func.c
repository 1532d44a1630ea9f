/*
** func.c: prototypes, closures and upvalues. An open upvalue points into
** its thread's stack and stays linked in L->openupval (highest level
** first) until func_close copies the value into it.
*/
#include <stddef.h>

#include "func.h"

#include "gc.h"
#include "mem.h"
#include "state.h"

Proto *func_newproto(lua_State *L) {
  GCObject *o = mem_newobject(L, LUA_TPROTO, sizeof(Proto), ML_TAG_PROTO);
  Proto *f = gco2p(o);
  f->numparams = 0;
  f->is_vararg = 0;
  f->maxstacksize = 0;
  f->sizeupvalues = f->sizek = f->sizecode = f->sizelineinfo = 0;
  f->sizeabslineinfo = f->sizep = f->sizelocvars = 0;
  f->linedefined = f->lastlinedefined = 0;
  f->k = NULL;
  f->code = NULL;
  f->p = NULL;
  f->lineinfo = NULL;
  f->abslineinfo = NULL;
  f->locvars = NULL;
  f->upvalues = NULL;
  f->source = NULL;
  f->gclist = NULL;
  return f;
}

/* Upvalues start nil, so the collector may traverse the closure before
** the caller fills it. */
CClosure *func_newCclosure(lua_State *L, int nelems) {
  GCObject *o = mem_newobject(L, LUA_TCCL, cast(size_t, sizeCclosure(nelems)),
                              ML_TAG_CLOSURE);
  CClosure *c = gco2ccl(o);
  int i;
  c->nupvalues = cast_byte(nelems);
  c->gclist = NULL;
  c->f = NULL;
  for (i = 0; i < nelems; i++) setnilvalue(&c->upvalue[i]);
  return c;
}

LClosure *func_newLclosure(lua_State *L, int nelems) {
  GCObject *o = mem_newobject(L, LUA_TLCL, cast(size_t, sizeLclosure(nelems)),
                              ML_TAG_CLOSURE);
  LClosure *c = gco2lcl(o);
  int i;
  c->nupvalues = cast_byte(nelems);
  c->gclist = NULL;
  c->p = NULL;
  for (i = 0; i < nelems; i++) c->upvals[i] = NULL;
  return c;
}

static UpVal *newupval(lua_State *L) {
  GCObject *o = mem_newobject(L, LUA_TUPVAL, sizeof(UpVal), ML_TAG_UPVALUE);
  return gco2upv(o);
}

/* cl must be anchored: each new upvalue is stored in it at once. */
void func_initupvals(lua_State *L, LClosure *cl) {
  int i;
  for (i = 0; i < cl->nupvalues; i++) {
    UpVal *uv = newupval(L);
    uv->v = &uv->u.value;
    setnilvalue(uv->v);
    cl->upvals[i] = uv;
    gc_objbarrier(L, cl, uv);
  }
}

/* Where an upvalue for 'level' is or would be linked in L->openupval. */
static UpVal **openslot(lua_State *L, StkId level) {
  UpVal **pp = &L->openupval;
  while (*pp != NULL && (*pp)->v > level) pp = &(*pp)->u.open.next;
  return pp;
}

UpVal *func_findupval(lua_State *L, StkId level) {
  UpVal **pp = openslot(L, level);
  UpVal *uv;
  if (*pp != NULL && (*pp)->v == level) {
    uv = *pp;
    if (isdead(G(L), uv)) changewhite(uv); /* not swept yet: keep it */
    return uv;
  }
  uv = newupval(L);
  pp = openslot(L, level); /* again: the allocation may have collected */
  uv->v = level;
  uv->u.open.level = level;
  uv->u.open.next = *pp;
  *pp = uv;
  if (!isintwups(L)) { /* first open upvalue: list the thread */
    L->twups = G(L)->twups;
    G(L)->twups = L;
  }
  return uv;
}

void func_close(lua_State *L, StkId level) {
  UpVal *uv;
  while ((uv = L->openupval) != NULL && uv->v >= level) {
    TValue *slot = &uv->u.value;
    L->openupval = uv->u.open.next; /* read before 'u' is overwritten */
    setobj(L, slot, uv->v);
    uv->v = slot;
    gc_upvalbarrier(L, uv);
  }
}

void func_freeproto(lua_State *L, Proto *f) {
  if (f->code != NULL) mem_free(L, f->code);
  if (f->p != NULL) mem_free(L, f->p);
  if (f->k != NULL) mem_free(L, f->k);
  if (f->lineinfo != NULL) mem_free(L, f->lineinfo);
  if (f->abslineinfo != NULL) mem_free(L, f->abslineinfo);
  if (f->locvars != NULL) mem_free(L, f->locvars);
  if (f->upvalues != NULL) mem_free(L, f->upvalues);
}

/* The local_number-th local variable active at pc, or NULL. */
const char *func_getlocalname(const Proto *f, int local_number, int pc) {
  int i;
  for (i = 0; i < f->sizelocvars && f->locvars[i].startpc <= pc; i++) {
    if (pc < f->locvars[i].endpc && --local_number == 0)
      return getstr(f->locvars[i].varname);
  }
  return NULL;
}

/*
** The last absolute entry at or before pc (binary search), or the
** function's start (pc -1, linedefined) when there is none.
*/
static int baseline(const Proto *f, int pc, int *basepc) {
  const AbsLineInfo *abs = f->abslineinfo;
  int lo = 0, hi = f->sizeabslineinfo - 1;
  if (hi < 0 || pc < abs[0].pc) {
    *basepc = -1;
    return f->linedefined;
  }
  while (lo < hi) { /* abs[lo].pc <= pc */
    int mid = lo + (hi - lo + 1) / 2;
    if (abs[mid].pc <= pc) lo = mid;
    else hi = mid - 1;
  }
  *basepc = abs[lo].pc;
  return abs[lo].line;
}

int func_getline(const Proto *f, int pc) {
  int basepc, line;
  if (f->sizelineinfo == 0) return -1;
  line = baseline(f, pc, &basepc);
  while (basepc < pc) line += f->lineinfo[++basepc];
  return line;
}
