/*
** test_failsweep.c: the allocation-failure sweep. For each script, the
** n-th allocation fails (moonlet_failalloc) for n = 1, 2, ... until the
** script runs through: every run must end in success or a "not enough
** memory" error, never a crash; the state must still run code and the
** script again; and no heap block may be left that nothing owns (an
** audit of the heap after a full collection). Run under ASan by
** `make SAN=1 test`, where freed heap blocks are poisoned.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lauxlib.h"
#include "lua.h"
#include "lualib.h"
#include "moonlet.h"

#include "heap.h"
#include "state.h"

#include "../check.h"

static const char *const scripts[] = {
    /* tables: constructors, growth, rehash, removal, next, sort, concat */
    "local t = {} for i = 1, 40 do t[i] = {i, x = i, [i * 2.5] = i} end\n"
    "local h = {} for i = 1, 40 do h['k' .. i] = i end\n"
    "for i = 1, 40, 2 do h['k' .. i] = nil end\n"
    "local n = 0 for k, v in pairs(h) do n = n + v end\n"
    "local l = {} for i = 30, 1, -1 do l[#l + 1] = i end\n"
    "table.sort(l) table.insert(l, 1, 0) table.remove(l)\n"
    "assert(table.concat(l, ',', 1, 3) == '0,1,2' and n == 420)\n",
    /* strings: concatenation, rep, format, gsub, interning, tostring */
    "local parts = {}\n"
    "for i = 1, 30 do parts[i] = ('%d:%s'):format(i, ('ab'):rep(i)) end\n"
    "local s = table.concat(parts, '|')\n"
    "local u = s:gsub('a', 'A'):upper():lower()\n"
    "local c = 0 for w in s:gmatch('%d+') do c = c + tonumber(w) end\n"
    "local x = '' for i = 1, 20 do x = x .. i .. ',' end\n"
    "assert(c == 465 and #u == #s and #x > 20 and tostring(1.5) == '1.5')\n",
    /* closures, upvalues, coroutines, varargs */
    "local function counter() local n = 0 return function() n = n + 1 return n end end\n"
    "local cs = {} for i = 1, 20 do cs[i] = counter() cs[i]() end\n"
    "local co = coroutine.wrap(function(...) local a = {...}\n"
    "  for i = 1, 10 do coroutine.yield(i, #a) end return 'done' end)\n"
    "for i = 1, 10 do co(1, 2, 3) end\n"
    "assert(co() == 'done' and cs[20]() == 2)\n"
    "local th = {} for i = 1, 5 do th[i] = coroutine.create(function(x)\n"
    "  local y = coroutine.yield(x + 1) return y * 2 end) end\n"
    "for i = 1, 5 do coroutine.resume(th[i], i) coroutine.resume(th[i], i) end\n",
    /* the compiler: load, nested functions, errors caught and rethrown */
    "local src = 'local a, b = ... local function f(x) return x * a + b end\\n'\n"
    "  .. 'local t = {} for i = 1, 10 do t[i] = f(i) end return t, #t'\n"
    "local fn = assert(load(src, '=chunk'))\n"
    "local t, n = fn(2, 3)\n"
    "assert(n == 10 and t[10] == 23)\n"
    "local ok, e = load('return +')\n"
    "if e:find('not enough memory') then error(e, 0) end\n"
    "assert(ok == nil and e:find('unexpected symbol'))\n"
    "local ok2, e2 = pcall(error, {code = 1})\n"
    "if type(e2) ~= 'table' then error(e2, 0) end\n",
    /* metatables, finalizers, weak tables, collections */
    "local log = {}\n"
    "local mt = {__gc = function(o) log[#log + 1] = o.id end,\n"
    "  __index = function(t, k) return k * 2 end}\n"
    "for i = 1, 20 do setmetatable({id = i}, mt) end\n"
    "local w = setmetatable({}, {__mode = 'k'})\n"
    "for i = 1, 20 do w[{}] = i end\n"
    "local p = setmetatable({id = 0}, mt) assert(p[21] == 42)\n"
    "collectgarbage()\n"
    "assert(#log <= 20 and next(w) == nil) -- an auto step warns on errors\n"
    "local f = io.tmpfile() f:write('abc') f:seek('set') assert(f:read('a') == 'abc')\n"
    "f = nil collectgarbage()\n",
    /* deep calls (stack and CallInfo growth), varargs, unpack */
    "local function depth(n, ...) if n == 0 then return select('#', ...) end\n"
    "  return depth(n - 1, n, ...) end\n"
    "assert(depth(60) == 60)\n"
    "local function rec(n) if n == 0 then return {} end local t = rec(n - 1) t[n] = n return t end\n"
    "local t = rec(150) assert(#t == 150)\n"
    "assert(select(3, table.unpack(t, 1, 100)) == 3)\n"
    "local co = coroutine.wrap(function() return rec(80) end) assert(#co() == 80)\n",
    /* big strings and buffers: rep, concat, format, utf8, pack */
    "local big = ('0123456789'):rep(300)\n"
    "local t = {} for i = 1, 60 do t[i] = big:sub(i, i + 50) end\n"
    "local s = table.concat(t) .. ('%s|%5.2f|%q'):format(big:sub(1, 99), 3.14159, 'a\\nb')\n"
    "assert(#s > 3000 and utf8.len(utf8.char(72, 228, 8364, 128512)) == 4)\n"
    "local r = big:reverse():gsub('(%d)(%d)', '%2%1') assert(#r == 3000)\n"
    "assert(string.unpack('i4', string.pack('i4', 7)) == 7)\n",
};
#define NSCRIPTS ((int)(sizeof(scripts) / sizeof(scripts[0])))

static const char *const sanity =
    "local t = {} for i = 1, 100 do t[i] = tostring(i) .. 'x' end\n"
    "assert(#t == 100 and t[100] == '100x')\n"
    "local f = load('return 1 + 1') assert(f() == 2)\n";

static int runcode(lua_State *L, const char *code, const char *name,
                   char *msg, size_t msgsize) {
  int st = luaL_loadbuffer(L, code, strlen(code), name);
  if (st == LUA_OK) st = lua_pcall(L, 0, 0, 0);
  msg[0] = '\0';
  if (st != LUA_OK) {
    const char *m = lua_tostring(L, -1);
    snprintf(msg, msgsize, "%s", m != NULL ? m : "(no message)");
    lua_pop(L, 1);
  }
  return st;
}

/* ---------- the audit: every used block belongs to something ---------- */

typedef struct Blocks {
  void **p;
  int *tag;
  size_t n, size;
} Blocks;

static void addblock(Blocks *b, void *p, int tag) {
  if (b->n == b->size) {
    b->size = b->size ? b->size * 2 : 1024;
    b->p = (void **)realloc(b->p, b->size * sizeof(void *));
    b->tag = (int *)realloc(b->tag, b->size * sizeof(int));
  }
  b->p[b->n] = p;
  b->tag[b->n++] = tag;
}

static void seeblock(void *ud, void *payload, size_t size, int tag) {
  (void)size;
  if (tag != ML_TAG_FREE) addblock((Blocks *)ud, payload, tag);
}

static int cmpptr(const void *a, const void *b) {
  const char *x = *(char *const *)a, *y = *(char *const *)b;
  return (x > y) - (x < y);
}

static void own(Blocks *owned, const void *p) {
  if (p != NULL) addblock(owned, (void *)p, 0);
}

static void ownparts(Heap *h, Blocks *owned, void *payload, int tag) {
  GCObject *o = (GCObject *)payload;
  if (tag == ML_TAG_THREAD) o = (GCObject *)((char *)payload + LUA_EXTRASPACE);
  switch (o->tt) {
    case LUA_TTABLE: {
      Table *t = (Table *)o;
      own(owned, t->array);
      if (heap_contains(h, t->node)) own(owned, t->node);
      break;
    }
    case LUA_TPROTO: {
      Proto *f = (Proto *)o;
      own(owned, f->code); own(owned, f->k); own(owned, f->p);
      own(owned, f->lineinfo); own(owned, f->abslineinfo);
      own(owned, f->locvars); own(owned, f->upvalues);
      break;
    }
    case LUA_TTHREAD: {
      lua_State *th = (lua_State *)o;
      CallInfo *ci;
      own(owned, th->stack);
      for (ci = th->base_ci.next; ci != NULL; ci = ci->next) own(owned, ci);
      break;
    }
    default: break;
  }
}

/* Number of used non-object blocks that no live object owns. */
static size_t orphans(lua_State *L) {
  global_State *g = G(L);
  Blocks all = {0}, owned = {0};
  size_t i, lost = 0;
  heap_walk(g->heap, seeblock, &all);
  for (i = 0; i < all.n; i++)
    if (heap_isobjecttag(all.tag[i])) ownparts(g->heap, &owned, all.p[i], all.tag[i]);
  own(&owned, g->strt.hash);
  own(&owned, g->gc.fin);
  qsort(owned.p, owned.n, sizeof(void *), cmpptr);
  for (i = 0; i < all.n; i++) {
    if (heap_isobjecttag(all.tag[i])) continue;
    if (bsearch(&all.p[i], owned.p, owned.n, sizeof(void *), cmpptr) == NULL) {
      if (lost == 0)
        printf("orphan block %p tag %s\n", all.p[i], moonlet_tagname(all.tag[i]));
      lost++;
    }
  }
  free(all.p); free(all.tag); free(owned.p); free(owned.tag);
  return lost;
}

/* ---------- the sweep ---------- */

static lua_State *newstate(void) {
  lua_State *L = moonlet_newstate(0);
  luaL_openlibs(L);
  return L;
}

/* Runs script s with its n-th allocation failing; returns 1 when that
** allocation was never reached (the sweep of s is over). */
static int onerun(int s, unsigned long n, int *bad) {
  lua_State *L = newstate();
  char msg[512], name[32];
  int st, reached;
  snprintf(name, sizeof name, "=script%d", s);
  moonlet_failalloc(L, n);
  st = runcode(L, scripts[s], name, msg, sizeof msg);
  reached = G(L)->gc.failat == 0;
  moonlet_failalloc(L, 0);
  if (st != LUA_OK && strstr(msg, "not enough memory") == NULL) {
    printf("script %d, allocation %lu: %s\n", s, n, msg);
    (*bad)++;
  }
  lua_gc(L, LUA_GCCOLLECT, 0);
  lua_gc(L, LUA_GCCOLLECT, 0);
  if (orphans(L) != 0) {
    printf("script %d, allocation %lu: blocks leaked\n", s, n);
    (*bad)++;
  }
  if (runcode(L, sanity, "=sanity", msg, sizeof msg) != LUA_OK ||
      runcode(L, scripts[s], name, msg, sizeof msg) != LUA_OK) {
    printf("script %d, allocation %lu: state broken: %s\n", s, n, msg);
    (*bad)++;
  }
  lua_close(L);
  return !reached;
}

static void sweep(int s) {
  unsigned long n;
  int bad = 0;
  for (n = 1; n < 100000 && bad < 5; n++)
    if (onerun(s, n, &bad)) break;
  CHECK(bad == 0);
  CHECK(n > 50 && n < 100000); /* the script allocates, and ends */
}

int main(void) {
  int s, bad = 0;
  onerun(0, 0, &bad); /* no failure: the audit of a plain run */
  CHECK(bad == 0);
  for (s = 0; s < NSCRIPTS; s++) sweep(s);
  return check_report();
}
