/*
** mem.c: the runtime's allocation functions over the state's heap. A
** request the heap can not meet runs one emergency collection and one
** retry, then raises LUA_ERRMEM: callers never see NULL for size > 0.
*/
#include "mem.h"

#include "call.h"
#include "debuginfo.h"
#include "gc.h"
#include "state.h"

#define MINSIZEARRAY 4

/*
** The state is complete once lua_newstate has set g->version (its last
** step, as in Lua 5.3): before that the collector's roots are not all in
** place, so an allocation that fails just raises the error.
*/
static int statebuilt(global_State *g) { return g->version != NULL; }

/* Before each allocation of a torture build: collect everything now. */
static void torture(lua_State *L) {
#if ML_GC_TORTURE
  if (statebuilt(G(L))) gc_fullgc(L, 1); /* no-op inside a collection */
#else
  UNUSED(L);
#endif
}

/* After a failed request: collect, then let 'retry' try again. */
static void emergency(lua_State *L) {
  global_State *g = G(L);
  if (statebuilt(g)) {
    g->gc.emergencies++;
    gc_fullgc(L, 1);
  }
}

static l_noret outofmemory(lua_State *L) {
  G(L)->gc.failures++;
  call_throw(L, LUA_ERRMEM);
}

/*
** size 0 returns NULL and allocates nothing, as Lua 5.3's luaM_malloc does
** (so an empty vector is NULL, and mem_free(NULL) is a no-op).
*/
void *mem_alloc(lua_State *L, size_t size, int tag) {
  Heap *h = G(L)->heap;
  void *p;
  if (size == 0) return NULL;
  torture(L);
  p = heap_alloc(h, size, tag);
  if (l_unlikely(p == NULL)) {
    emergency(L);
    p = heap_alloc(h, size, tag);
    if (p == NULL) outofmemory(L);
  }
  return p;
}

/* Shrinking never fails and never collects; growing may do both. */
void *mem_realloc(lua_State *L, void *block, size_t oldsize, size_t size,
                  int tag) {
  Heap *h = G(L)->heap;
  void *p;
  if (block == NULL) return mem_alloc(L, size, tag);
  if (size == 0) {
    heap_free(h, block);
    return NULL;
  }
  if (size > oldsize) torture(L);
  p = heap_realloc(h, block, size, tag);
  if (l_unlikely(p == NULL)) {
    emergency(L);
    p = heap_realloc(h, block, size, tag);
    if (p == NULL) outofmemory(L);
  }
  return p;
}

void mem_free(lua_State *L, void *block) {
  if (block != NULL) heap_free(G(L)->heap, block);
}

l_noret mem_toobig(lua_State *L) {
  dbg_runerror(L, "memory allocation error: block too big");
}

size_t mem_checksize(lua_State *L, size_t n, size_t elemsize) {
  if (elemsize != 0 && n + 1 > MAX_SIZET / elemsize) mem_toobig(L);
  return n * elemsize;
}

GCObject *mem_newobject(lua_State *L, int tt, size_t size, int tag) {
  GCObject *o = (GCObject *)mem_alloc(L, size, tag);
  o->tt = cast_byte(tt);
  o->marked = luaC_white(G(L));
  return o;
}

/* Doubles the vector (at least MINSIZEARRAY), up to 'limit' elements. */
void *mem_growaux(lua_State *L, void *block, int *size, size_t size_elem,
                  int limit, const char *what, int tag) {
  int newsize;
  void *newblock;
  if (*size >= limit / 2) {
    if (*size >= limit)
      dbg_runerror(L, "too many %s (limit is %d)", what, limit);
    newsize = limit;
  } else {
    newsize = *size * 2;
    if (newsize < MINSIZEARRAY) newsize = MINSIZEARRAY;
  }
  newblock = mem_realloc(L, block, (size_t)*size * size_elem,
                         mem_checksize(L, (size_t)newsize, size_elem), tag);
  *size = newsize;
  return newblock;
}
