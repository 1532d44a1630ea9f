/*
** ccache.c: the closure cache (see ccache.h), direct-mapped. An entry is
** only a closure: its proto is the key. A cached closure never outlives
** the atomic phase that found it dead, so it is never freed while cached,
** and neither is its proto (the closure marks it): a new proto at a freed
** proto's address can not meet a stale entry.
*/
#include "ccache.h"

#include "gc.h"
#include "state.h"

/* From the proto's offset in its 4 KB page only: heap regions and flash
** are page-aligned, so which closures share a slot (and so whether `f()
** == f()`) does not change from run to run with where the heap lands. */
static unsigned int slotof(const Proto *p) {
  uint32_t a = (uint32_t)((uintptr_t)p & 0xfff) >> 3;
  return (unsigned int)((a * 2654435761u) >> 16) & (ML_CLOSURE_CACHE - 1);
}

/*
** Lua 5.3's test: an upvalue from the enclosing frame must be the open
** upvalue of that very stack slot (a closed upvalue never points into a
** stack, and a live open one is the only one of its slot); one from the
** enclosing function must be the same object.
*/
LClosure *ccache_get(lua_State *L, const Proto *p, UpVal **encup,
                     StkId base) {
  LClosure *c = G(L)->ccache[slotof(p)];
  const Upvaldesc *uv = p->upvalues;
  int j;
  if (c == NULL || c->p != p) return NULL;
  for (j = 0; j < p->sizeupvalues; j++) {
    UpVal *up = c->upvals[j];
    if (uv[j].instack ? up->v != base + uv[j].idx : up != encup[uv[j].idx])
      return NULL;
  }
  return c;
}

void ccache_put(lua_State *L, LClosure *cl) {
  G(L)->ccache[slotof(cl->p)] = cl;
}

void ccache_clear(global_State *g) {
  int i;
  for (i = 0; i < ML_CLOSURE_CACHE; i++) g->ccache[i] = NULL;
}

/* Closures are RAM objects: not marked by now means unreachable. */
void ccache_dropdead(global_State *g) {
  int i;
  for (i = 0; i < ML_CLOSURE_CACHE; i++) {
    LClosure *c = g->ccache[i];
    if (c != NULL && iswhite(c)) g->ccache[i] = NULL;
  }
}
