/*
** moonlet.h: Moonlet's own public additions to the Lua 5.3 C API: states
** with a capped heap, and heap diagnostics.
*/
#ifndef moonlet_h
#define moonlet_h

#include <stddef.h>

#include "lua.h"

#define MOONLET_VERSION "0.1"

/*
** A new state whose heap is one arena of heap_cap bytes (everything the
** state allocates included), or a growable heap when heap_cap is 0.
** Regions come from the C library's malloc. NULL if it can not start.
*/
lua_State *moonlet_newstate(size_t heap_cap);

/* Heap block kinds, for reports. */
#define MOONLET_NTAGS 13
const char *moonlet_tagname(int tag);

typedef struct moonlet_HeapInfo {
  size_t total, used, free, largest_free, peak_used;
  size_t bytes[MOONLET_NTAGS], count[MOONLET_NTAGS];
  unsigned emergencies, failures;
} moonlet_HeapInfo;

/* Walks the heap; allocates nothing, so it is safe at out of memory. */
void moonlet_heapinfo(lua_State *L, moonlet_HeapInfo *info);

/*
** The flash store (lfs.c). moonlet_lfs_get pushes the main function of the
** module 'name' held in the mounted image and returns 1, or pushes nothing
** and returns 0 when there is no image or no such module. require,
** loadfile and dofile fall back on it.
*/
int moonlet_lfs_get(lua_State *L, const char *name);

#endif
