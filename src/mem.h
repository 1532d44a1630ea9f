/*
** mem.h: allocation for the runtime. Every allocation names its heap tag.
** A failed allocation runs an emergency full collection and retries once,
** then raises "not enough memory". So any allocation may collect: an object
** must be reachable (stack, registry, or a reachable object) before the
** next allocation after its creation.
*/
#ifndef mem_h
#define mem_h

#include "heap.h"
#include "object.h"

void *mem_alloc(lua_State *L, size_t size, int tag);
/* block NULL: allocate; size 0: free and return NULL. Old contents kept. */
void *mem_realloc(lua_State *L, void *block, size_t oldsize, size_t size,
                  int tag);
void mem_free(lua_State *L, void *block);
l_noret mem_toobig(lua_State *L);

/* A new collectable object: tt set, marked the current white, not yet
** reachable from anything. */
GCObject *mem_newobject(lua_State *L, int tt, size_t size, int tag);

#define mem_newvector(L, n, t, tag) \
  ((t *)mem_alloc(L, mem_checksize(L, n, sizeof(t)), tag))
#define mem_reallocvector(L, v, oldn, n, t, tag) \
  ((v) = (t *)mem_realloc(L, v, (oldn) * sizeof(t), \
                          mem_checksize(L, n, sizeof(t)), tag))

/* Grows vector v (of 'size' elements, 'nelems' in use) to hold one more;
** raises "too many <what> (limit is <limit>)" past limit. */
void *mem_growaux(lua_State *L, void *block, int *size, size_t size_elem,
                  int limit, const char *what, int tag);
#define mem_growvector(L, v, nelems, size, t, limit, e, tag)               \
  if ((nelems) + 1 > (size))                                              \
    ((v) = (t *)mem_growaux(L, v, &(size), sizeof(t), limit, e, tag))

size_t mem_checksize(lua_State *L, size_t n, size_t elemsize);

#endif
