/*
** heap.h: Moonlet's allocator. One fixed arena when a cap is given,
** otherwise a list of regions that grows. Every block carries a type tag,
** and the heap can be walked at any time. Pure C: it knows nothing of Lua,
** never raises errors and never allocates from anywhere but its regions.
*/
#ifndef heap_h
#define heap_h

#include <stddef.h>

#include "lua.h"

/* Block tags (DESIGN.md section 5). The first ones tag whole GC objects. */
#define ML_HEAP_TAGS(X)              \
  X(FREE, "free")                    \
  X(STRING, "string")                \
  X(TABLE, "table")                  \
  X(CLOSURE, "closure")              \
  X(PROTO, "proto")                  \
  X(UPVALUE, "upvalue")              \
  X(USERDATA, "userdata")            \
  X(THREAD, "thread")                \
  X(ARRAY, "table array")            \
  X(HASH, "table hash")              \
  X(CODE, "proto data")              \
  X(STACK, "stack")                  \
  X(OTHER, "C/other")

#define ML_TAG_ENUM(name, text) ML_TAG_##name,
enum { ML_HEAP_TAGS(ML_TAG_ENUM) ML_NTAGS };
#undef ML_TAG_ENUM

/* Blocks with these tags start with a GCObject header (a THREAD block
** after LUA_EXTRASPACE bytes: lua_getextraspace). */
#define heap_isobjecttag(t) ((t) >= ML_TAG_STRING && (t) <= ML_TAG_THREAD)

extern const char *const heap_tagnames[ML_NTAGS];

typedef struct Heap Heap;

typedef struct HeapStats {
  size_t total;         /* bytes of all regions, headers included */
  size_t used;          /* bytes in used blocks, headers included */
  size_t free;          /* bytes in free blocks */
  size_t largest_free;  /* payload the largest single allocation can get */
  size_t peak_used;     /* highest 'used' seen */
  size_t nregions;
  size_t bytes[ML_NTAGS]; /* per tag, headers included */
  size_t count[ML_NTAGS];
} HeapStats;

/*
** Creates a heap whose regions come from 'f' (lua_Alloc protocol).
** cap > 0: one arena of exactly 'cap' bytes (the Heap itself included),
** never grown. cap == 0: regions of ML_HEAP_REGION bytes or more are added
** as needed. Returns NULL if the first region can not be had.
*/
Heap *heap_create(lua_Alloc f, void *ud, size_t cap);
void heap_destroy(Heap *h);

/* NULL when no block of 'size' bytes can be found or added. */
void *heap_alloc(Heap *h, size_t size, int tag);
void heap_free(Heap *h, void *p);
/* Resizes in place when it can, else moves; NULL (old block kept) if no room. */
void *heap_realloc(Heap *h, void *p, size_t size, int tag);

size_t heap_blocksize(const void *p); /* usable bytes of a used block */
int heap_tag(const void *p);
void heap_settag(void *p, int tag);
int heap_contains(const Heap *h, const void *p);

size_t heap_used(const Heap *h); /* bytes in used blocks, headers included */
size_t heap_cap(const Heap *h);  /* 0 when growable */
void heap_stats(const Heap *h, HeapStats *st); /* allocates nothing */

/* Calls visit for every block, free ones included (tag ML_TAG_FREE). */
typedef void (*heap_Visit)(void *ud, void *payload, size_t size, int tag);
void heap_walk(const Heap *h, heap_Visit visit, void *ud);

/*
** Sweep support: for every used block whose tag is an object tag, calls
** keep(ud, payload, tag); when it returns 0 the block is freed. keep may
** itself free other blocks (an object's parts) with heap_free, but no block
** but the one it is given may be freed by the walk's caller.
*/
typedef int (*heap_Keep)(void *ud, void *payload, int tag);
void heap_sweep(Heap *h, heap_Keep keep, void *ud);

#endif
