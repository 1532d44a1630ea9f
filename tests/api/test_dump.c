/*
** test_dump.c: lua_dump and binary lua_load through the C API: writer
** statuses, readers that collect garbage or raise at every byte, and an
** allocation-failure sweep over loading a chunk (every failure is a clean
** LUA_ERRMEM and leaks nothing).
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lauxlib.h"
#include "lua.h"
#include "lualib.h"
#include "moonlet.h"

#include "../check.h"

static const char *const PROGRAM =
    "local big = string.rep('long string constant ', 10)\n"
    "local function outer(a, ...)\n"
    "  local u = {a, ...}\n"
    "  return function(b)\n"
    "    local s = 0\n"
    "    for i = 1, #u do s = s + u[i] end\n"
    "    return s + b, big, 1.5, true, nil, 'short'\n"
    "  end\n"
    "end\n"
    "return outer(1, 2, 3)(10)\n";

/* ---------- a growable buffer as the writer's target ---------- */

typedef struct Buf {
  char *p;
  size_t n, size;
  int failat; /* the writer fails at this call (1-based); 0: never */
  int calls;
} Buf;

static int bufwriter(lua_State *L, const void *p, size_t sz, void *ud) {
  Buf *b = (Buf *)ud;
  (void)L;
  if (++b->calls == b->failat) return 7;
  if (b->n + sz > b->size) {
    b->size = (b->n + sz) * 2;
    b->p = (char *)realloc(b->p, b->size);
  }
  memcpy(b->p + b->n, p, sz);
  b->n += sz;
  return 0;
}

/* Compiles PROGRAM and dumps it into b (b->p owned by the caller). */
static void dumpprogram(lua_State *L, Buf *b, int strip) {
  memset(b, 0, sizeof(*b));
  CHECK(luaL_loadstring(L, PROGRAM) == LUA_OK);
  CHECK(lua_dump(L, bufwriter, b, strip) == 0);
  lua_pop(L, 1);
}

/* Runs the function on the top; 1 when it returns PROGRAM's results. */
static int runsright(lua_State *L) {
  int ok;
  if (lua_pcall(L, 0, LUA_MULTRET, 0) != LUA_OK) {
    lua_pop(L, 1);
    return 0;
  }
  ok = lua_gettop(L) >= 6 && lua_tointeger(L, -6) == 16 &&
       lua_rawlen(L, -5) == 210 && lua_tonumber(L, -4) == 1.5 &&
       lua_toboolean(L, -3) && lua_isnil(L, -2) &&
       strcmp(lua_tostring(L, -1), "short") == 0;
  lua_settop(L, 0);
  return ok;
}

static void test_roundtrip(lua_State *L) {
  Buf b;
  int strip;
  for (strip = 0; strip <= 1; strip++) {
    dumpprogram(L, &b, strip);
    CHECK(b.n > 20 && memcmp(b.p, LUA_SIGNATURE, 4) == 0);
    CHECK(luaL_loadbufferx(L, b.p, b.n, "=bin", "b") == LUA_OK);
    CHECK(runsright(L));
    CHECK(luaL_loadbufferx(L, b.p, b.n, "=bin", "t") == LUA_ERRSYNTAX);
    CHECK(strcmp(lua_tostring(L, -1),
                 "attempt to load a binary chunk (mode is 't')") == 0);
    lua_pop(L, 1);
    free(b.p);
  }
}

/* lua_dump: 1 for a C function; a writer's failure stops the dump. */
static void test_writer(lua_State *L) {
  Buf b;
  int k;
  memset(&b, 0, sizeof(b));
  lua_pushcfunction(L, luaopen_base);
  CHECK(lua_dump(L, bufwriter, &b, 0) == 1);
  CHECK(b.n == 0);
  lua_pop(L, 1);
  CHECK(luaL_loadstring(L, PROGRAM) == LUA_OK);
  for (k = 1; k <= 3; k++) {
    memset(&b, 0, sizeof(b));
    b.failat = k;
    CHECK(lua_dump(L, bufwriter, &b, 0) == 7);
    CHECK(b.calls == k); /* nothing written after the failure */
    free(b.p);
  }
  CHECK(lua_gettop(L) == 1); /* the function stays */
  lua_pop(L, 1);
}

/* ---------- readers ---------- */

typedef struct Reader {
  const char *p;
  size_t n, pos;
  int collect;   /* run a full collection at every call */
  size_t raise;  /* raise an error when asked for this byte (1-based) */
} Reader;

static const char *bytereader(lua_State *L, void *ud, size_t *size) {
  Reader *r = (Reader *)ud;
  if (r->collect) lua_gc(L, LUA_GCCOLLECT, 0);
  if (r->raise != 0 && r->pos + 1 == r->raise)
    luaL_error(L, "reader fails at %d", (int)r->raise);
  if (r->pos >= r->n) return NULL;
  *size = 1;
  return r->p + r->pos++;
}

static size_t heapused(lua_State *L) {
  moonlet_HeapInfo hi;
  lua_gc(L, LUA_GCCOLLECT, 0);
  moonlet_heapinfo(L, &hi);
  return hi.used;
}

/* A full collection between any two bytes finds every object anchored. */
static void test_collecting_reader(lua_State *L) {
  Buf b;
  Reader r;
  dumpprogram(L, &b, 0);
  memset(&r, 0, sizeof(r));
  r.p = b.p;
  r.n = b.n;
  r.collect = 1;
  CHECK(lua_load(L, bytereader, &r, "=bin", NULL) == LUA_OK);
  CHECK(runsright(L));
  free(b.p);
}

/* An error from the reader at any byte comes out of lua_load, leaking
** nothing. */
static void test_raising_reader(lua_State *L) {
  Buf b;
  Reader r;
  size_t k, base;
  int allok = 1, noleak = 1;
  dumpprogram(L, &b, 0);
  base = heapused(L);
  for (k = 1; k <= b.n; k++) {
    char expect[40];
    memset(&r, 0, sizeof(r));
    r.p = b.p;
    r.n = b.n;
    r.raise = k;
    snprintf(expect, sizeof(expect), "reader fails at %d", (int)k);
    if (lua_load(L, bytereader, &r, "=bin", NULL) != LUA_ERRRUN ||
        strcmp(lua_tostring(L, -1), expect) != 0)
      allok = 0;
    lua_settop(L, 0);
    if (heapused(L) > base) noleak = 0;
  }
  CHECK(allok);
  CHECK(noleak);
  free(b.p);
}

/* The n-th allocation of a load fails, for every n: LUA_ERRMEM, no leak,
** and the state still works. */
static void test_failalloc(lua_State *L) {
  Buf b;
  unsigned long n;
  size_t base;
  int allok = 1, noleak = 1, status = LUA_ERRMEM;
  dumpprogram(L, &b, 0);
  CHECK(luaL_loadbufferx(L, b.p, b.n, "=bin", "b") == LUA_OK); /* warm up */
  lua_settop(L, 0);
  base = heapused(L);
  for (n = 1; n < 10000 && status != LUA_OK; n++) {
    moonlet_failalloc(L, n);
    status = luaL_loadbufferx(L, b.p, b.n, "=bin", "b");
    moonlet_failalloc(L, 0);
    if (status != LUA_OK &&
        (status != LUA_ERRMEM ||
         strcmp(lua_tostring(L, -1), "not enough memory") != 0))
      allok = 0;
    if (status == LUA_OK && !runsright(L)) allok = 0;
    lua_settop(L, 0);
    if (heapused(L) > base) noleak = 0;
  }
  CHECK(status == LUA_OK && n > 5);
  CHECK(allok);
  CHECK(noleak);
  free(b.p);
}

int main(void) {
  lua_State *L = moonlet_newstate(0);
  if (L == NULL) {
    printf("no state\n");
    return 1;
  }
  luaL_openlibs(L);
  test_roundtrip(L);
  test_writer(L);
  test_collecting_reader(L);
  test_raising_reader(L);
  test_failalloc(L);
  lua_close(L);
  return check_report();
}
