/*
** moonlet.h: Moonlet's own public additions to the Lua 5.3 C API: states
** with a capped heap, heap diagnostics, the collector's modes and the
** node library.
*/
#ifndef moonlet_h
#define moonlet_h

#include <stddef.h>
#include <stdio.h>

#include "lua.h"

#define MOONLET_VERSION "0.1"

/*
** A new state whose heap is one arena of heap_cap bytes (everything the
** state allocates included), or a growable heap when heap_cap is 0.
** Regions come from the C library's malloc. NULL if it can not start.
*/
lua_State *moonlet_newstate(size_t heap_cap);

/*
** A new state whose heap is the caller's block [mem, mem + size): a
** static array or a region the linker placed. Everything the state
** allocates lives there (a few bytes at the start align it and hold a
** descriptor); it never grows, and running out of it raises "not enough
** memory". Nothing outside the block is written, and no Lua object is
** put anywhere else (only node.LFS.reload of an image file, a flash
** store's job, reads the file through malloc). The block stays the
** caller's: it must outlive the state, and after lua_close it may be used
** again. NULL if the block is too small for a state.
*/
lua_State *moonlet_newstatearena(void *mem, size_t size);

/* Heap block kinds, for reports. */
#define MOONLET_NTAGS 13
const char *moonlet_tagname(int tag);

typedef struct moonlet_HeapInfo {
  size_t total, used, free, largest_free, peak_used;
  size_t bytes[MOONLET_NTAGS], count[MOONLET_NTAGS];
  unsigned emergencies, failures;
  size_t lowest_free; /* the low-water mark of 'free' since the start */
} moonlet_HeapInfo;

/* Walks the heap; allocates nothing, so it is safe at out of memory. */
void moonlet_heapinfo(lua_State *L, moonlet_HeapInfo *info);

/* The collector's figures (maxsteptime and totaltime need a build with
** -DML_GC_STATS=1, else they are 0). */
typedef struct moonlet_GCInfo {
  unsigned long cycles, steps;
  size_t maxstepwork; /* work of the longest step: about bytes traversed */
  double maxsteptime, totaltime; /* seconds */
  int pause, stepmul, running, egcmode;
  ptrdiff_t egclimit;
} moonlet_GCInfo;
void moonlet_gcinfo(lua_State *L, moonlet_GCInfo *info);

/*
** Emergency collection modes, NodeMCU's node.egc values (they combine as
** bits): none; a full collection when an allocation fails, then one retry
** (the default); one when the heap would pass 'limit' bytes in use (limit
** > 0) or keep fewer than -limit bytes free (limit < 0), after which the
** request fails if it still would; one before every allocation.
*/
#define MOONLET_EGC_NOT_ACTIVE 0
#define MOONLET_EGC_ON_ALLOC_FAILURE 1
#define MOONLET_EGC_ON_MEM_LIMIT 2
#define MOONLET_EGC_ALWAYS 4
void moonlet_setegc(lua_State *L, int mode, ptrdiff_t limit);

/*
** Out of memory. The handler runs when an allocation fails for good, just
** before "not enough memory" is raised; it must neither allocate nor call
** Lua (moonlet_oominfo and the report functions below are safe).
*/
typedef void (*moonlet_OOMHandler)(lua_State *L, size_t asked, void *ud);
void moonlet_setoomhandler(lua_State *L, moonlet_OOMHandler h, void *ud);

typedef struct moonlet_OOMInfo {
  moonlet_HeapInfo heap;
  size_t asked;                /* bytes the failed request asked for */
  char where[LUA_IDSIZE + 40]; /* "chunk:line" of the Lua code that asked */
} moonlet_OOMInfo;
void moonlet_oominfo(lua_State *L, size_t asked, moonlet_OOMInfo *info);

/*
** Reports (heapreport.c); none allocates. moonlet_printoom prints a
** snapshot taken by moonlet_oominfo ("Heap report @ out of memory": bytes,
** count and share per block type, free bytes, largest free block,
** fragmentation, the size asked and where); moonlet_heapreport prints one
** of the heap as it is now; moonlet_heapmap draws the heap, one character
** per block; moonlet_objects prints the objects by type and by metatable
** __name.
*/
void moonlet_printoom(FILE *f, const moonlet_OOMInfo *info);
void moonlet_printheapinfo(FILE *f, const moonlet_HeapInfo *info);
void moonlet_heapreport(lua_State *L, FILE *f, size_t asked);
void moonlet_heapmap(lua_State *L, FILE *f);
void moonlet_objects(lua_State *L, FILE *f);

/*
** The object histogram: count and bytes (the object's block and the
** blocks it owns: a table's parts, a proto's code, a thread's stack) per
** kind, and per metatable __name for tables and userdata (the first
** MOONLET_MAXNAMES names; the others are summed in 'other'). Names point
** into the heap: use them before the next allocation. Allocates nothing.
*/
enum { MOONLET_OSTRING, MOONLET_OTABLE, MOONLET_OLUAFUNC, MOONLET_OCFUNC,
       MOONLET_OUSERDATA, MOONLET_OTHREAD, MOONLET_OPROTO, MOONLET_OUPVALUE,
       MOONLET_NOBJTYPES };
#define MOONLET_MAXNAMES 16
typedef struct moonlet_ObjectInfo {
  size_t count[MOONLET_NOBJTYPES], bytes[MOONLET_NOBJTYPES];
  int nnames;
  struct {
    const char *name;
    int type; /* MOONLET_OTABLE or MOONLET_OUSERDATA */
    size_t count, bytes;
  } names[MOONLET_MAXNAMES];
  size_t othercount, otherbytes;
} moonlet_ObjectInfo;
void moonlet_objectinfo(lua_State *L, moonlet_ObjectInfo *info);
const char *moonlet_objtypename(int type); /* "table", "Lua function"... */

/* A full collection that never raises: an error in a finalizer is
** printed as a warning. For hosts, outside any protected call. */
void moonlet_collect(lua_State *L);

/* Testing: the n-th allocation from now fails (after an emergency
** collection) as in a full heap; 0 turns this off. */
void moonlet_failalloc(lua_State *L, unsigned long n);

/* The node library (lib_node.c): node.heap, node.heapinfo, node.objects,
** node.egc. It adds to the global 'node' table when there is one. */
#define LUA_NODELIBNAME "node"
LUAMOD_API int luaopen_node(lua_State *L);

/*
** The flash store (lfs.c). moonlet_lfs_get pushes the main function of the
** module 'name' held in the mounted image and returns 1, or pushes nothing
** and returns 0 when there is no image or no such module. require,
** loadfile and dofile fall back on it.
*/
int moonlet_lfs_get(lua_State *L, const char *name);

/*
** Pushes a read-only table built at compile time (a 'const Table' that
** tools/romgen generated: docs/rom-tables.md). It costs no RAM until a
** program writes into it: what is written goes to a RAM overlay.
*/
void moonlet_pushrotable(lua_State *L, const void *t);

/*
** With 'on', writes into ROM tables raise "attempt to modify a read-only
** table" (a library patched by mistake is caught, and costs no RAM),
** except into _G, package, package.loaded and package.preload, which a
** program must be able to change. Off by default (as lua5.3 behaves).
*/
void moonlet_setromreadonly(lua_State *L, int on);

#endif
