/*
** heapinfo.c: moonlet_heapinfo and moonlet_tagname, the heap report of
** moonlet.h. Allocates nothing, so it is safe when memory has run out.
*/
#include <string.h>

#include "moonlet.h"

#include "heap.h"
#include "state.h"

_Static_assert(MOONLET_NTAGS == ML_NTAGS, "moonlet.h and heap.h tag counts");

const char *moonlet_tagname(int tag) {
  return (tag >= 0 && tag < ML_NTAGS) ? heap_tagnames[tag] : "?";
}

void moonlet_heapinfo(lua_State *L, moonlet_HeapInfo *info) {
  global_State *g = G(L);
  HeapStats st;
  heap_stats(g->heap, &st);
  info->total = st.total;
  info->used = st.used;
  info->free = st.free;
  info->largest_free = st.largest_free;
  info->peak_used = st.peak_used;
  memcpy(info->bytes, st.bytes, sizeof(info->bytes));
  memcpy(info->count, st.count, sizeof(info->count));
  info->emergencies = g->gc.emergencies;
  info->failures = g->gc.failures;
}
