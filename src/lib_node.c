/*
** lib_node.c: the memory side of NodeMCU's 'node' library: node.heap,
** node.heapinfo, node.objects, node.heapmap, node.heapreport and
** node.egc. luaopen_node adds to the global 'node' when one exists (lib_lfs.c
** makes node.LFS in the same table), so the two open in either order.
*/
#include <ctype.h>
#include <string.h>

#include "lua.h"
#include "lauxlib.h"
#include "moonlet.h"

#include "heap.h"
#include "heapgc.h"
#include "state.h"

/* node.heap(): the bytes free in the heap (no walk: constant time). */
static int node_heap(lua_State *L) {
  lua_pushinteger(L, (lua_Integer)heap_free_bytes(G(L)->heap));
  return 1;
}

static void setint(lua_State *L, const char *k, size_t v) {
  lua_pushinteger(L, (lua_Integer)v);
  lua_setfield(L, -2, k);
}

/* The tag names of heap.h's list, lower case: "string", "array"... */
static const char *const tagkeys[ML_NTAGS] = {
#define ML_TAG_KEY(name, text) #name,
    ML_HEAP_TAGS(ML_TAG_KEY)
#undef ML_TAG_KEY
};

static void pushtagkey(lua_State *L, int tag) {
  char k[16];
  size_t i;
  for (i = 0; tagkeys[tag][i] != '\0' && i < sizeof k - 1; i++)
    k[i] = (char)tolower((unsigned char)tagkeys[tag][i]);
  lua_pushlstring(L, k, i);
}

static void pushpair(lua_State *L, size_t bytes, size_t count) {
  lua_createtable(L, 0, 2);
  setint(L, "bytes", bytes);
  setint(L, "count", count);
}

static void pushgcinfo(lua_State *L) {
  moonlet_GCInfo gi;
  moonlet_gcinfo(L, &gi);
  lua_createtable(L, 0, 8);
  setint(L, "cycles", gi.cycles);
  setint(L, "steps", gi.steps);
  setint(L, "maxstepwork", gi.maxstepwork);
  lua_pushnumber(L, (lua_Number)gi.maxsteptime);
  lua_setfield(L, -2, "maxsteptime");
  lua_pushnumber(L, (lua_Number)gi.totaltime);
  lua_setfield(L, -2, "time");
  setint(L, "pause", (size_t)gi.pause);
  setint(L, "stepmul", (size_t)gi.stepmul);
  lua_pushboolean(L, gi.running);
  lua_setfield(L, -2, "running");
}

/*
** node.heapinfo(): total, used, free, largest (what one allocation can
** get), fragmentation (1 - largest/free), lowest (low-water mark of free),
** peak, emergencies, failures, blocks, tags[name] = {bytes, count}, gc.
** The figures are taken before the table is built.
*/
static int node_heapinfo(lua_State *L) {
  moonlet_HeapInfo hi;
  size_t blocks = 0;
  int i;
  moonlet_heapinfo(L, &hi);
  lua_createtable(L, 0, 12);
  setint(L, "total", hi.total);
  setint(L, "used", hi.used);
  setint(L, "free", hi.free);
  setint(L, "largest", hi.largest_free);
  lua_pushnumber(L, hi.free == 0 ? (lua_Number)0
                     : (lua_Number)1 - (lua_Number)hi.largest_free / (lua_Number)hi.free);
  lua_setfield(L, -2, "fragmentation");
  setint(L, "lowest", hi.lowest_free);
  setint(L, "peak", hi.peak_used);
  setint(L, "emergencies", hi.emergencies);
  setint(L, "failures", hi.failures);
  lua_createtable(L, 0, ML_NTAGS);
  for (i = 0; i < ML_NTAGS; i++) {
    if (i != ML_TAG_FREE) blocks += hi.count[i];
    pushtagkey(L, i);
    pushpair(L, hi.bytes[i], hi.count[i]);
    lua_rawset(L, -3);
  }
  lua_setfield(L, -2, "tags");
  setint(L, "blocks", blocks);
  pushgcinfo(L);
  lua_setfield(L, -2, "gc");
  return 1;
}

/*
** node.objects(): [kind] = {count, bytes} for "string", "table",
** "Lua function", "C function", "userdata", "thread", "proto", "upvalue"
** (the bytes include the blocks each owns), and names[__name] = {count,
** bytes, type} for tables and userdata with a metatable __name. The
** names are strings of the heap (getstr of a TString): they go on the
** stack, with no allocation, before anything is allocated.
*/
static int node_objects(lua_State *L) {
  moonlet_ObjectInfo oi;
  int i, first = lua_gettop(L) + 1;
  luaL_checkstack(L, MOONLET_MAXNAMES + 8, NULL);
  moonlet_objectinfo(L, &oi);
  for (i = 0; i < oi.nnames; i++) { /* anchored before any allocation */
    TString *ts = (TString *)(void *)(oi.names[i].name - sizeof(TString));
    setsvalue2s(L, L->top, ts);
    L->top++;
  }
  lua_createtable(L, 0, MOONLET_NOBJTYPES + 1);
  for (i = 0; i < MOONLET_NOBJTYPES; i++) {
    pushpair(L, oi.bytes[i], oi.count[i]);
    lua_setfield(L, -2, moonlet_objtypename(i));
  }
  lua_createtable(L, 0, oi.nnames);
  for (i = 0; i < oi.nnames; i++) {
    lua_pushvalue(L, first + i);
    pushpair(L, oi.names[i].bytes, oi.names[i].count);
    lua_pushstring(L, moonlet_objtypename(oi.names[i].type));
    lua_setfield(L, -2, "type");
    lua_rawset(L, -3);
  }
  if (oi.othercount > 0) {
    pushpair(L, oi.otherbytes, oi.othercount);
    lua_setfield(L, -2, "(others)");
  }
  lua_setfield(L, -2, "names");
  return 1;
}

static int node_heapmap(lua_State *L) {
  moonlet_heapmap(L, stdout);
  return 0;
}

static int node_heapreport(lua_State *L) {
  moonlet_heapreport(L, stdout, 0);
  moonlet_objects(L, stdout);
  return 0;
}

/* node.egc.setmode(mode [, limit]) */
static int egc_setmode(lua_State *L) {
  lua_Integer mode = luaL_checkinteger(L, 1);
  lua_Integer limit = luaL_optinteger(L, 2, 0);
  luaL_argcheck(L, mode >= 0 && mode <= (MOONLET_EGC_ON_ALLOC_FAILURE |
                                          MOONLET_EGC_ON_MEM_LIMIT |
                                          MOONLET_EGC_ALWAYS),
                1, "invalid mode");
  luaL_argcheck(L, !(mode & MOONLET_EGC_ON_MEM_LIMIT) || limit != 0, 2,
                "limit must not be 0 with ON_MEM_LIMIT");
  moonlet_setegc(L, (int)mode, (ptrdiff_t)limit);
  return 0;
}

/* node.egc.meminfo(): bytes in use, and in use after the last collection. */
static int egc_meminfo(lua_State *L) {
  lua_pushinteger(L, (lua_Integer)heap_used(G(L)->heap));
  lua_pushinteger(L, (lua_Integer)G(L)->gc.estimate);
  return 2;
}

/* The flash store's part of node (lib_lfs.c). */
int ml_node_flashindex(lua_State *L);
int ml_lfs_reload(lua_State *L);

#include "rom_node.inc"

LUAMOD_API int luaopen_node(lua_State *L) {
  moonlet_pushrotable(L, &ml_rt_node);
  return 1;
}
