/*
** mem.c: the runtime's allocation functions over the state's heap, with
** the node.egc modes. A request the heap can not meet runs one emergency
** collection and one retry (ON_ALLOC_FAILURE), then raises LUA_ERRMEM:
** callers never see NULL for size > 0. Shrinking never fails or collects.
*/
#include "mem.h"

#include "call.h"
#include "debuginfo.h"
#include "gc.h"
#include "heapgc.h"
#include "state.h"

#define MINSIZEARRAY 4

/*
** The state is complete once lua_newstate has set g->version (its last
** step, as in Lua 5.3): before that the collector's roots are not all in
** place, so an allocation that fails just raises the error.
*/
static int statebuilt(global_State *g) { return g->version != NULL; }

/* A full collection inside an allocation: no finalizer runs. */
static void emergency(lua_State *L) {
  global_State *g = G(L);
  if (statebuilt(g)) {
    g->gc.emergencies++;
    gc_fullgc(L, 1);
  }
}

/* After this error, the next safe point runs a step (gc.c). */
static l_noret outofmemory(lua_State *L, size_t size) {
  global_State *g = G(L);
  g->gc.failures++;
  g->gc.threshold = 0;
  if (g->gc.oomhandler != NULL) g->gc.oomhandler(L, size, g->gc.oomud);
  call_throw(L, LUA_ERRMEM);
}

/*
** ON_MEM_LIMIT: would 'extra' more bytes pass the limit? A positive limit
** caps the bytes in use; a negative one keeps that many bytes free (a
** growable heap has no free-byte bound, so never passes that one).
*/
static int overlimit(global_State *g, size_t extra) {
  ptrdiff_t limit = g->gc.egclimit;
  size_t bs = heap_blockfor(extra);
  if (bs == 0) return 1;
  if (limit > 0) return heap_used(g->heap) + bs > (size_t)limit;
  if (limit < 0 && heap_cap(g->heap) != 0)
    return heap_free_bytes(g->heap) < bs + (size_t)(-(limit + 1)) + 1;
  return 0;
}

/*
** Before a request for 'extra' more bytes: the ALWAYS mode (and the
** torture build, unless the collector is stopped, as in 5.3's tests)
** collects first; the limit mode collects when the
** request would pass the limit, and refuses it if it still would; the
** testing countdown (moonlet_failalloc) refuses its chosen request.
** Returns 0 for a refused request.
*/
static int mayallocate(lua_State *L, size_t extra) {
  global_State *g = G(L);
  GCState *gc = &g->gc;
  if (!statebuilt(g)) return 1;
  if ((ML_GC_TORTURE && gc->running) || (gc->egcmode & ML_EGC_ALWAYS))
    gc_fullgc(L, 1);
  if ((gc->egcmode & ML_EGC_ON_MEM_LIMIT) && overlimit(g, extra)) {
    emergency(L);
    if (overlimit(g, extra)) return 0;
  }
  if (gc->failat > 0 && --gc->failat == 0) {
    emergency(L); /* as a full heap would */
    return 0;
  }
  return 1;
}

/* Allocates (block NULL) or grows 'block' to 'size' bytes. */
static void *allocate(lua_State *L, void *block, size_t extra, size_t size,
                      int tag) {
  global_State *g = G(L);
  void *p;
  if (!mayallocate(L, extra)) outofmemory(L, size);
  p = heap_realloc(g->heap, block, size, tag);
  if (l_unlikely(p == NULL)) {
    if (!(g->gc.egcmode & ML_EGC_ON_ALLOC_FAILURE)) outofmemory(L, size);
    emergency(L);
    p = heap_realloc(g->heap, block, size, tag);
    if (p == NULL) outofmemory(L, size);
  }
  return p;
}

/*
** size 0 returns NULL and allocates nothing, as Lua 5.3's luaM_malloc does
** (so an empty vector is NULL, and mem_free(NULL) is a no-op).
*/
void *mem_alloc(lua_State *L, size_t size, int tag) {
  if (size == 0) return NULL;
  return allocate(L, NULL, size, size, tag);
}

void *mem_realloc(lua_State *L, void *block, size_t oldsize, size_t size,
                  int tag) {
  if (block == NULL) return mem_alloc(L, size, tag);
  if (size == 0) {
    heap_free(G(L)->heap, block);
    return NULL;
  }
  if (size <= oldsize) {
    void *p = heap_realloc(G(L)->heap, block, size, tag);
    if (p != NULL) return p; /* always, as the block shrinks in place */
  }
  return allocate(L, block, size > oldsize ? size - oldsize : size, size,
                  tag);
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
