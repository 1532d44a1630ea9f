/*
** fuzz_common.h: what the libFuzzer harnesses share: a capped state with
** the standard libraries minus the ones that touch the host (files,
** processes, exit), an instruction budget enforced by a count hook, and
** a leak check: no block that is not an object may outlive its owner.
*/
#ifndef fuzz_common_h
#define fuzz_common_h

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lauxlib.h"
#include "lua.h"
#include "lualib.h"
#include "moonlet.h"
#include "state.h"

#define FUZZ_HEAP (256 * 1024)
#define FUZZ_STEP 1000      /* instructions between two hook calls */
#define FUZZ_BUDGET 100000L /* instructions one input may run */

static long fuzz_executed;

/*
** Over budget, every instruction of the thread raises: a pcall in a loop
** can not go on (with a fixed step, the hook could always fall inside the
** protected call). The budget is shared by all threads.
*/
static void fuzz_hook(lua_State *L, lua_Debug *ar) {
  (void)ar;
  fuzz_executed += FUZZ_STEP;
  if (fuzz_executed > FUZZ_BUDGET) {
    lua_sethook(L, fuzz_hook, LUA_MASKCOUNT, 1);
    luaL_error(L, "fuzz: instruction budget");
  }
}

/*
** Lua run once per state: takes away what reaches outside the process.
** Most library tables are read-only (ROM): a stripped RAM copy replaces
** each in _G and package.loaded; package is in RAM, stripped in place. io.stderr becomes io.stdout (the real
** one stays anchored: its finalizer must not run).
*/
static const char fuzz_sandbox[] =
    "local loaded, reg = package.loaded, debug.getregistry()\n"
    "local function strip(name, ...)\n"
    "  local t, c = _G[name], {}\n"
    "  if type(t) ~= 'table' then return end\n"
    "  for k, v in pairs(t) do c[k] = v end\n"
    "  for _, k in ipairs{...} do c[k] = nil end\n"
    "  setmetatable(c, getmetatable(t))\n"
    "  _G[name] = c\n"
    "  if loaded[name] == t then loaded[name] = c end\n"
    "end\n"
    "strip('os', 'exit', 'execute', 'remove', 'rename', 'tmpname', "
    "'setlocale')\n"
    "strip('io', 'open', 'popen', 'output', 'tmpfile')\n"
    "strip('debug', 'sethook', 'debug')\n"
    "package.loadlib, package.path, package.cpath = nil, '', ''\n"
    "strip('node', 'flashreload')\n"
    "if node and node.LFS then node.LFS = nil end\n"
    "reg['fuzz stderr'], reg._IO_stderr = reg._IO_stderr, reg._IO_stdout\n";

static int fuzz_openlibs(lua_State *L) {
  luaL_openlibs(L);
  if (luaL_loadstring(L, fuzz_sandbox) != LUA_OK) abort();
  lua_call(L, 0, 0);
  return 0;
}

/* A new capped state; with libs, the sandboxed standard libraries. */
static lua_State *fuzz_newstate(int libs) {
  lua_State *L = moonlet_newstate(FUZZ_HEAP);
  if (L == NULL) abort();
  if (libs) {
    lua_pushcfunction(L, fuzz_openlibs);
    if (lua_pcall(L, 0, 0, 0) != LUA_OK) abort();
  }
  fuzz_executed = 0;
  lua_sethook(L, fuzz_hook, LUA_MASKCOUNT, FUZZ_STEP);
  return L;
}

/*
** The leak check. Objects can not leak: the sweep visits every object
** block of the heap. The other blocks (table parts, proto arrays, stacks,
** CallInfos, the string table, the finalizer list, the compiler's work
** arrays) must each belong to an object or to the global state once a
** load or a call has returned; an orphan is a leak.
*/
typedef struct Block {
  void *p;
  int tag; /* ML_TAG_FREE once an owner is found */
} Block;

typedef struct Census {
  Block *b; /* the non-object blocks, sorted by address */
  size_t n, cap;
} Census;

static void census_block(void *ud, void *payload, size_t size, int tag) {
  Census *c = (Census *)ud;
  (void)size;
  if (tag == ML_TAG_FREE || heap_isobjecttag(tag)) return;
  if (c->n == c->cap) {
    c->cap = c->cap ? 2 * c->cap : 256;
    c->b = (Block *)realloc(c->b, c->cap * sizeof(Block));
    if (c->b == NULL) abort();
  }
  c->b[c->n].p = payload;
  c->b[c->n++].tag = tag;
}

static int block_cmp(const void *a, const void *b) {
  uintptr_t x = (uintptr_t)((const Block *)a)->p;
  uintptr_t y = (uintptr_t)((const Block *)b)->p;
  return x < y ? -1 : x > y;
}

/* Marks the block at p (any pointer, NULL included) as owned: its tag
** becomes FREE. */
static void census_own(Census *c, const void *p) {
  size_t lo = 0, hi = c->n;
  if (p == NULL) return;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if ((uintptr_t)c->b[mid].p < (uintptr_t)p)
      lo = mid + 1;
    else
      hi = mid;
  }
  if (lo < c->n && c->b[lo].p == p) c->b[lo].tag = ML_TAG_FREE;
}

static void census_thread(Census *c, lua_State *L1) {
  CallInfo *ci;
  census_own(c, L1->stack);
  for (ci = L1->base_ci.next; ci != NULL; ci = ci->next) census_own(c, ci);
}

static void census_object(void *ud, void *payload, size_t size, int tag) {
  Census *c = (Census *)ud;
  (void)size;
  if (tag == ML_TAG_TABLE) {
    Table *t = (Table *)payload;
    census_own(c, t->array);
    census_own(c, t->node);
  } else if (tag == ML_TAG_PROTO) {
    Proto *f = (Proto *)payload;
    census_own(c, f->k);
    census_own(c, f->code);
    census_own(c, f->p);
    census_own(c, f->lineinfo);
    census_own(c, f->abslineinfo);
    census_own(c, f->locvars);
    census_own(c, f->upvalues);
  } else if (tag == ML_TAG_THREAD) {
    census_thread(c, (lua_State *)((char *)payload + LUA_EXTRASPACE));
  }
}

static void fuzz_leakcheck(lua_State *L, const char *what) {
  Census c = {NULL, 0, 0};
  global_State *g = G(L);
  size_t i;
  heap_walk(g->heap, census_block, &c);
  if (c.n > 0) qsort(c.b, c.n, sizeof(Block), block_cmp);
  heap_walk(g->heap, census_object, &c);
  census_own(&c, g->strt.hash);
  census_own(&c, g->gc.fin);
  for (i = 0; i < c.n; i++) {
    if (c.b[i].tag == ML_TAG_FREE) continue;
    fprintf(stderr, "fuzz: leak after %s: a '%s' block of %zu bytes\n",
            what, heap_tagnames[c.b[i].tag], heap_blocksize(c.b[i].p));
    abort();
  }
  free(c.b);
}

/* The standard streams go nowhere: scripts print a lot. */
static void fuzz_quiet(void) {
  if (freopen("/dev/null", "r", stdin) == NULL) abort();
  if (freopen("/dev/null", "w", stdout) == NULL) abort();
}

/* libFuzzer's set-up of every harness; a harness that needs more defines
** FUZZ_INIT (a function of no arguments) before including this file. */
#ifdef FUZZ_INIT
static void FUZZ_INIT(void);
#endif

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc;
  (void)argv;
  fuzz_quiet();
#ifdef FUZZ_INIT
  FUZZ_INIT();
#endif
  return 0;
}

#endif
