/*
** ccache.c: the closure cache (see ccache.h): sets of two entries, the
** most recently used first. An entry is only a closure: its proto is the
** key. A cached closure never outlives the atomic phase that found it
** dead, so it is never freed while cached, and neither is its proto (the
** closure marks it): a new proto at a freed proto's address can not meet
** a stale entry.
*/
#include "ccache.h"

#include "gc.h"
#include "state.h"

#define NSETS (ML_CLOSURE_CACHE / 2)

/* From the proto's offset in its 4 KB page only: heap regions and the
** flash region usually start on a page (mmap, a linker-placed array), so
** which protos share a set, and so whether `f() == f()` holds, does not
** change from run to run with where the heap lands (ASLR). */
static LClosure **setof(global_State *g, const Proto *p) {
  uint32_t a = (uint32_t)((uintptr_t)p & 0xfff) >> 3;
  unsigned int s = (unsigned int)((a * 2654435761u) >> 16) & (NSETS - 1);
  return &g->ccache[2 * s];
}

/*
** Lua 5.3's test: an upvalue from the enclosing frame must be the open
** upvalue of that very stack slot (a closed upvalue never points into a
** stack, and a live open one is the only one of its slot); one from the
** enclosing function must be the same object.
*/
static int matches(const LClosure *c, const Proto *p, UpVal **encup,
                   StkId base) {
  const Upvaldesc *uv = p->upvalues;
  int j;
  if (c == NULL || c->p != p) return 0;
  for (j = 0; j < p->sizeupvalues; j++) {
    const UpVal *up = c->upvals[j];
    if (uv[j].instack ? up->v != base + uv[j].idx : up != encup[uv[j].idx])
      return 0;
  }
  return 1;
}

LClosure *ccache_get(lua_State *L, const Proto *p, UpVal **encup,
                     StkId base) {
  LClosure **set = setof(G(L), p);
  LClosure *c = set[0];
  if (matches(c, p, encup, base)) return c;
  c = set[1];
  if (!matches(c, p, encup, base)) return NULL;
  set[1] = set[0];
  set[0] = c;
  return c;
}

/* Replaces the entry of its proto if the set has one, else the older. */
void ccache_put(lua_State *L, LClosure *cl) {
  LClosure **set = setof(G(L), cl->p);
  if (set[0] == NULL || set[0]->p != cl->p) set[1] = set[0];
  set[0] = cl;
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
