/*
** state.c: states and threads. Every thread block (tag THREAD) starts with
** LUA_EXTRASPACE bytes (lua_getextraspace) followed by the lua_State; the
** main thread's block also holds the global_State and is never collected.
** A new state uses the flash image mounted when it is created (lfs.c),
** from before its first string on.
*/
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "state.h"

#include "arena.h"
#include "call.h"
#include "ccache.h"
#include "debuginfo.h"
#include "func.h"
#include "gc.h"
#include "heap.h"
#include "image.h"
#include "lexer.h"
#include "lfs.h"
#include "mem.h"
#include "meta.h"
#include "moonlet.h"
#include "str.h"
#include "table.h"

typedef struct LX {
  lu_byte extra_[LUA_EXTRASPACE];
  lua_State l;
} LX;

/* the main block */
typedef struct LG {
  LX l;
  global_State g;
} LG;

_Static_assert(offsetof(LX, l) == LUA_EXTRASPACE,
               "lua_getextraspace needs the lua_State right after it");

static const lua_Number version = LUA_VERSION_NUM;

/* --- CallInfo lists ------------------------------------------------- */

CallInfo *state_extendci(lua_State *L) {
  CallInfo *ci = (CallInfo *)mem_alloc(L, sizeof(CallInfo), ML_TAG_STACK);
  L->ci->next = ci;
  ci->previous = L->ci;
  ci->next = NULL;
  ci->callstatus = 0;
  L->nci++;
  return ci;
}

/* Never allocates: the collector calls this and the next one. */
void state_freeci(lua_State *L) {
  CallInfo *ci = L->ci->next;
  L->ci->next = NULL;
  while (ci != NULL) {
    CallInfo *next = ci->next;
    mem_free(L, ci);
    L->nci--;
    ci = next;
  }
}

void state_shrinkci(lua_State *L) {
  CallInfo *keep = L->ci;
  while (keep->next != NULL && keep->next->next != NULL) {
    CallInfo *drop = keep->next; /* free one, keep the next */
    keep->next = drop->next;
    keep->next->previous = keep;
    mem_free(L, drop);
    L->nci--;
    keep = keep->next;
  }
}

/* --- threads ---------------------------------------------------------- */

/* Every field set, nothing allocated: the collector may see L1 now. */
static void preinit_thread(lua_State *L1, global_State *g) {
  G(L1) = g;
  L1->status = LUA_OK;
  L1->stack = L1->top = L1->stack_last = NULL;
  L1->stacksize = 0;
  L1->ci = NULL;
  L1->nci = 0;
  memset(&L1->base_ci, 0, sizeof(CallInfo));
  L1->oldpc = NULL;
  L1->openupval = NULL;
  L1->gclist = NULL;
  L1->twups = L1; /* not in g->twups */
  L1->errorJmp = NULL;
  L1->hook = NULL;
  L1->hookmask = 0;
  L1->basehookcount = 0;
  L1->allowhook = 1;
  resethookcount(L1);
  L1->errfunc = 0;
  L1->nny = 1;
  L1->nCcalls = 0;
}

/* L1's stack, all nil, with base_ci over it; allocated by L. */
static void stack_init(lua_State *L1, lua_State *L) {
  int i, size = BASIC_STACK_SIZE + EXTRA_STACK;
  TValue *s = mem_newvector(L, cast(size_t, size), TValue, ML_TAG_STACK);
  CallInfo *ci = &L1->base_ci;
  for (i = 0; i < size; i++) setnilvalue(s + i);
  L1->stack = s;
  L1->stacksize = size;
  L1->stack_last = s + size - EXTRA_STACK;
  L1->top = s;
  ci->next = ci->previous = NULL;
  ci->callstatus = 0;
  ci->nresults = 0;
  ci->func = L1->top;
  setnilvalue(L1->top); /* the "function" of the base frame */
  L1->top++;
  ci->top = L1->top + LUA_MINSTACK;
  L1->ci = ci;
}

/* Not for the main thread (lua_close), and L1->twups is unlinked here. */
static void unlinktwups(global_State *g, lua_State *L1) {
  lua_State **p = &g->twups;
  while (*p != NULL && *p != L1) p = &(*p)->twups;
  if (*p == L1) *p = L1->twups;
  L1->twups = L1;
}

/*
** The sweep calls this for a dead thread (the block itself it frees):
** its remaining open upvalues are closed, its CallInfos and stack freed.
*/
void state_freethread(lua_State *L, lua_State *L1) {
  if (L1->stack != NULL) func_close(L1, L1->stack);
  if (isintwups(L1)) unlinktwups(G(L1), L1);
  if (L1->stack == NULL) return; /* died before its stack was made */
  L1->ci = &L1->base_ci;
  state_freeci(L1);
  mem_free(L, L1->stack);
  L1->stack = NULL;
}

LUA_API lua_State *lua_newthread(lua_State *L) {
  global_State *g = G(L);
  GCObject *o;
  lua_State *L1;
  gc_checkGC(L);
  o = mem_newobject(L, LUA_TTHREAD, sizeof(LX), ML_TAG_THREAD);
  L1 = &((LX *)o)->l; /* the header at the block's start moves here */
  L1->tt = LUA_TTHREAD;
  L1->marked = luaC_white(g);
  preinit_thread(L1, g);
  setthvalue(L, L->top, L1); /* anchored before its stack is allocated */
  L->top++;
  L1->hookmask = L->hookmask;
  L1->basehookcount = L->basehookcount;
  L1->hook = L->hook;
  resethookcount(L1);
  memcpy(lua_getextraspace(L1), lua_getextraspace(g->mainthread),
         LUA_EXTRASPACE);
  stack_init(L1, L);
  return L1;
}

/* --- states ------------------------------------------------------------ */

static void init_global(global_State *g, lua_State *L, Heap *h, lua_Alloc f,
                        void *ud) {
  int i;
  g->heap = h;
  g->frealloc = f;
  g->ud = ud;
  g->strt.hash = NULL;
  g->strt.nuse = g->strt.size = 0;
  g->rostrings = NULL;
  g->flash_lo = g->flash_hi = NULL;
  setnilvalue(&g->l_registry);
  g->seed = IMAGE_SEED; /* fixed: flash images are reproducible */
  g->twups = NULL;
  ccache_clear(g);
  g->panic = NULL;
  g->mainthread = L;
  g->version = NULL; /* set last: mem.c reads it as "state built" */
  g->memerrmsg = NULL;
  for (i = 0; i < TM_N; i++) g->tmname[i] = NULL;
  for (i = 0; i < LUA_NUMTAGS; i++) g->mt[i] = NULL;
  g->overlays = NULL;
  g->romreadonly = 0;
  for (i = 0; i < ML_OVL_CACHE; i++) g->ovl_rom[i] = NULL;
}

static void init_registry(lua_State *L, global_State *g) {
  TValue v;
  Table *registry = table_new(L);
  sethvalue(L, &g->l_registry, registry);
  table_resize(L, registry, LUA_RIDX_LAST, 0);
  setthvalue(L, &v, L);
  table_setint(L, registry, LUA_RIDX_MAINTHREAD, &v);
  sethvalue(L, &v, table_new(L)); /* stored at once: array slot, no alloc */
  table_setint(L, registry, LUA_RIDX_GLOBALS, &v);
}

/* The parts of a new state that allocate, run protected. */
static void f_luaopen(lua_State *L, void *ud) {
  UNUSED(ud);
  stack_init(L, L);
  init_registry(L, G(L));
  str_init(L);
  meta_init(L);
  lex_init(L);
}

/*
** The collector stays off until the state is complete. On failure the
** heap, and with it everything allocated so far, is destroyed.
*/
static lua_State *newstate(Heap *h, lua_Alloc f, void *ud) {
  LG *lg = (LG *)heap_alloc(h, sizeof(LG), ML_TAG_THREAD);
  lua_State *L;
  global_State *g;
  if (lg == NULL) {
    heap_destroy(h);
    return NULL;
  }
  L = &lg->l.l;
  g = &lg->g;
  memset(lg->l.extra_, 0, LUA_EXTRASPACE);
  L->tt = LUA_TTHREAD;
  L->marked = 0;
  preinit_thread(L, g);
  init_global(g, L, h, f, ud);
  lfs_attach(L); /* interning finds the image's strings from now on */
  gc_init(L);
  g->gc.running = 0;
  L->marked = cast_byte(luaC_white(g) | bitmask(FIXEDBIT));
  if (call_rawrunprotected(L, f_luaopen, NULL) != LUA_OK) {
    lfs_detach(L);
    heap_destroy(h);
    return NULL;
  }
  g->version = &version;
  g->gc.running = 1;
  return L;
}

LUA_API lua_State *lua_newstate(lua_Alloc f, void *ud) {
  Heap *h = heap_create(f, ud, 0);
  if (h == NULL) return NULL;
  return newstate(h, f, ud);
}

static void *l_alloc(void *ud, void *ptr, size_t osize, size_t nsize) {
  UNUSED(ud);
  UNUSED(osize);
  if (nsize == 0) {
    free(ptr);
    return NULL;
  }
  return realloc(ptr, nsize);
}

lua_State *moonlet_newstate(size_t heap_cap) {
  Heap *h = heap_create(l_alloc, NULL, heap_cap);
  if (h == NULL) return NULL;
  return newstate(h, l_alloc, NULL);
}

lua_State *moonlet_newstatearena(void *mem, size_t size) {
  size_t cap = 0;
  void *ud = arena_init(mem, size, &cap);
  Heap *h = ud != NULL ? heap_create(arena_alloc, ud, cap) : NULL;
  return h != NULL ? newstate(h, arena_alloc, ud) : NULL;
}

/*
** The main thread back at its base level, as if every call had returned:
** a host may close a state it left by a longjmp (moonlet restarts the
** program after node.LFS.reload from inside a call).
*/
static void resetmain(lua_State *L) {
  L->ci = &L->base_ci;
  L->errorJmp = NULL;
  L->nCcalls = 0;
  L->nny = 1;
  L->status = LUA_OK;
  L->allowhook = 1;
  L->hook = NULL;
  L->hookmask = 0;
  L->errfunc = 0;
  if (L->top < L->base_ci.func + 1) L->top = L->base_ci.func + 1;
}

/* Everything lives in the heap: destroying it frees the state too. */
LUA_API void lua_close(lua_State *L) {
  Heap *h;
  L = G(L)->mainthread;
  h = G(L)->heap;
  resetmain(L);
  func_close(L, L->stack);
  gc_freeall(L);
  lfs_detach(L);
  heap_destroy(h);
}
