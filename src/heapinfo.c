/*
** heapinfo.c: the heap and collector figures and controls of moonlet.h
** (heap info, GC info, egc mode, out-of-memory handler and snapshot, a
** collection for hosts). Only moonlet_collect allocates (its finalizers),
** so the rest is safe when memory has run out.
*/
#include <string.h>

#include "moonlet.h"

#include "call.h"
#include "debuginfo.h"
#include "func.h"
#include "heap.h"
#include "heapgc.h"
#include "state.h"

_Static_assert(MOONLET_NTAGS == ML_NTAGS, "moonlet.h and heap.h tag counts");
_Static_assert(MOONLET_EGC_ALWAYS == ML_EGC_ALWAYS &&
                   MOONLET_EGC_ON_MEM_LIMIT == ML_EGC_ON_MEM_LIMIT &&
                   MOONLET_EGC_ON_ALLOC_FAILURE == ML_EGC_ON_ALLOC_FAILURE,
               "moonlet.h and gc.h egc modes");

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
  info->lowest_free = heap_lowest_free(g->heap);
}

void moonlet_gcinfo(lua_State *L, moonlet_GCInfo *info) {
  const GCState *gc = &G(L)->gc;
  memset(info, 0, sizeof(*info));
  info->cycles = gc->cycles;
  info->steps = gc->steps;
  info->maxstepwork = gc->maxstepwork;
#if ML_GC_STATS
  info->maxsteptime = gc->maxsteptime;
  info->totaltime = gc->totaltime;
#endif
  info->pause = gc->pause;
  info->stepmul = gc->stepmul;
  info->running = gc->running;
  info->egcmode = gc->egcmode;
  info->egclimit = gc->egclimit;
}

void moonlet_setegc(lua_State *L, int mode, ptrdiff_t limit) {
  GCState *gc = &G(L)->gc;
  gc->egcmode = cast_byte(mode & (ML_EGC_ON_ALLOC_FAILURE | ML_EGC_ON_MEM_LIMIT |
                                  ML_EGC_ALWAYS));
  gc->egclimit = (mode & ML_EGC_ON_MEM_LIMIT) ? limit : 0;
}

void moonlet_setoomhandler(lua_State *L, moonlet_OOMHandler h, void *ud) {
  G(L)->gc.oomhandler = h;
  G(L)->gc.oomud = ud;
}

void moonlet_failalloc(lua_State *L, unsigned long n) {
  G(L)->gc.failat = n;
}

/* "chunk:line" of the innermost Lua function running in L, prefixed with
** "[C] called from " when a C function is running above it. */
static void whereasked(lua_State *L, char *out, size_t size) {
  CallInfo *ci;
  int inc = 0;
  out[0] = '\0';
  for (ci = L->ci; ci != NULL && ci != &L->base_ci; ci = ci->previous) {
    if (isLua(ci)) {
      const Proto *p = clLvalue(ci->func)->p;
      char id[LUA_IDSIZE];
      if (p->source != NULL)
        obj_chunkid(id, getstr(p->source), LUA_IDSIZE);
      else
        strcpy(id, "?");
      snprintf(out, size, "%s%s:%d", inc ? "[C] called from " : "", id,
               dbg_currentline(ci));
      return;
    }
    inc = 1;
  }
}

void moonlet_oominfo(lua_State *L, size_t asked, moonlet_OOMInfo *info) {
  moonlet_heapinfo(L, &info->heap);
  info->asked = asked;
  whereasked(L, info->where, sizeof(info->where));
}

static void fullgc(lua_State *L, void *ud) {
  UNUSED(ud);
  gc_fullgc(L, 0);
}

void moonlet_collect(lua_State *L) {
  StkId top = L->top;
  CallInfo *ci = L->ci;
  int status = call_rawrunprotected(L, fullgc, NULL);
  if (status != LUA_OK) {
    const TValue *e = L->top - 1;
    fprintf(stderr, "warning: %s\n",
            status == LUA_ERRMEM ? "not enough memory"
            : L->top > top && ttisstring(e) ? svalue(e) : "error in __gc");
    fflush(stderr);
  }
  L->ci = ci;
  L->top = top;
}
