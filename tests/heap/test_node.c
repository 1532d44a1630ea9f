/*
** test_node.c: the node library (node.heap, node.heapinfo, node.objects,
** node.egc) and the C reports of moonlet.h: figures that add up, emergency
** collections and their counters, the egc modes, the out-of-memory handler
** and snapshot, and reports that allocate nothing.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lauxlib.h"
#include "lua.h"
#include "lualib.h"
#include "moonlet.h"

#include "../check.h"

static lua_State *newstate(size_t cap) {
  lua_State *L = moonlet_newstate(cap);
  luaL_openlibs(L);
  luaL_requiref(L, LUA_NODELIBNAME, luaopen_node, 1);
  lua_pop(L, 1);
  return L;
}

/* Runs code; returns NULL or the error message (valid until the next run). */
static char errbuf[256];
static const char *run(lua_State *L, const char *code) {
  int st = luaL_loadbuffer(L, code, strlen(code), "=test");
  if (st == LUA_OK) st = lua_pcall(L, 0, 0, 0);
  if (st == LUA_OK) return NULL;
  snprintf(errbuf, sizeof errbuf, "%s",
           lua_tostring(L, -1) ? lua_tostring(L, -1) : "?");
  lua_pop(L, 1);
  return errbuf;
}

/* The integer value of expression e. */
static lua_Integer eval(lua_State *L, const char *e) {
  char code[512];
  lua_Integer v;
  snprintf(code, sizeof code, "return %s", e);
  if (luaL_loadbuffer(L, code, strlen(code), "=eval") != LUA_OK ||
      lua_pcall(L, 0, 1, 0) != LUA_OK) {
    printf("eval error: %s\n", lua_tostring(L, -1));
    lua_pop(L, 1);
    return -1;
  }
  v = lua_tointeger(L, -1);
  lua_pop(L, 1);
  return v;
}

static int ok(lua_State *L, const char *code) {
  const char *err = run(L, code);
  if (err != NULL) printf("error: %s\n", err);
  return err == NULL;
}

/* ---------- node.heap, node.heapinfo ---------- */

static void test_heapinfo(void) {
  lua_State *L = newstate(64 * 1024);
  moonlet_HeapInfo hi;
  CHECK(eval(L, "node.heap()") > 0);
  CHECK(ok(L, "s = {} for i = 1, 20 do s[i] = 'string ' .. i end "
              "hi = node.heapinfo()"));
  CHECK(eval(L, "hi.total") == 64 * 1024);
  CHECK(eval(L, "(hi.used + hi.free <= hi.total) and 1 or 0") == 1);
  CHECK(eval(L, "(hi.largest <= hi.free) and 1 or 0") == 1);
  CHECK(eval(L, "(hi.fragmentation >= 0 and hi.fragmentation < 1) and 1 or 0") == 1);
  CHECK(eval(L, "(hi.lowest <= hi.free) and 1 or 0") == 1);
  CHECK(eval(L, "(hi.peak >= hi.used) and 1 or 0") == 1);
  CHECK(ok(L, "local s = 0 for k, v in pairs(hi.tags) do "
              "if k ~= 'free' then s = s + v.bytes end end "
              "assert(s == hi.used, s .. ' ~= ' .. hi.used)"));
  CHECK(eval(L, "hi.tags.free.bytes == hi.free and 1 or 0") == 1);
  CHECK(eval(L, "hi.tags.string.count") >= 20);
  CHECK(eval(L, "hi.tags.thread.count") >= 1);
  CHECK(eval(L, "hi.gc.pause") > 0 && eval(L, "hi.gc.stepmul") > 0);
  /* node.heap() is the free figure, without the walk */
  CHECK(eval(L, "node.heap() == node.heapinfo().free and 1 or 0") == 1);
  moonlet_heapinfo(L, &hi);
  CHECK(hi.total == 64 * 1024 && hi.used > 0 && hi.count[1] > 0);
  lua_close(L);
}

/* node is a ROM table: opened again, it is the same table, with what the
** program wrote into it (its overlay). */
static void test_open_order(void) {
  lua_State *L = moonlet_newstate(0);
  luaL_openlibs(L);
  CHECK(ok(L, "mynode = node node.mine = 42 package.loaded.node = nil node = nil"));
  luaL_requiref(L, LUA_NODELIBNAME, luaopen_node, 1);
  lua_pop(L, 1);
  CHECK(eval(L, "node.mine") == 42);
  CHECK(eval(L, "rawequal(node, mynode) and package.loaded.node == node and 1 or 0") == 1);
  CHECK(eval(L, "type(node.heap) == 'function' and 1 or 0") == 1);
  CHECK(eval(L, "node.egc.ON_ALLOC_FAILURE") == 1);
  CHECK(eval(L, "node.egc.ALWAYS") == 4 && eval(L, "node.egc.ON_MEM_LIMIT") == 2);
  CHECK(eval(L, "node.egc.NOT_ACTIVE") == 0);
  CHECK(run(L, "node.egc.setmode(99)") != NULL);
  CHECK(run(L, "node.egc.setmode(node.egc.ON_MEM_LIMIT, 0)") != NULL);
  lua_close(L);
}

/* ---------- node.objects ---------- */

static void test_objects(void) {
  lua_State *L = newstate(0);
  CHECK(ok(L, "std = {io.stdin, io.stdout, io.stderr} "
              "it = string.gmatch('ab', '.') local mt = {__name = 'Point'} "
              "pts = {} for i = 1, 10 do pts[i] = setmetatable({x = i}, mt) end "
              "collectgarbage() o = node.objects()"));
  CHECK(eval(L, "o.names.Point.count") == 10);
  CHECK(eval(L, "o.names.Point.type == 'table' and 1 or 0") == 1);
  CHECK(eval(L, "o.names['FILE*'].count") >= 3); /* stdin, stdout, stderr */
  CHECK(eval(L, "o.table.count") > 10);
  CHECK(eval(L, "o.string.count") > 10 && eval(L, "o.string.bytes") > 100);
  CHECK(eval(L, "o['C function'].count") > 0 && eval(L, "o.thread.count") >= 1);
  CHECK(eval(L, "o.proto.count") >= 1 && eval(L, "o['Lua function'].count") >= 1);
  CHECK(ok(L, "pts = nil collectgarbage() o = node.objects()"));
  CHECK(eval(L, "o.names.Point == nil and 1 or 0") == 1);
  lua_close(L);
}

/* ---------- emergency collections and egc modes ---------- */

static void test_emergency(void) {
  lua_State *L = newstate(48 * 1024);
  moonlet_HeapInfo hi;
  /* with the collector stopped, only emergency collections free garbage */
  CHECK(ok(L, "collectgarbage('stop') "
              "for i = 1, 20000 do local t = {i, tostring(i)} end "
              "collectgarbage('restart')"));
  moonlet_heapinfo(L, &hi);
  CHECK(hi.emergencies > 0 && hi.failures == 0);
  CHECK(hi.lowest_free < hi.free);
  /* a request larger than the heap fails, once counted */
  CHECK(strcmp(run(L, "local s = ('x'):rep(100000)"), "not enough memory") == 0);
  CHECK(eval(L, "node.heapinfo().failures") == 1);
  CHECK(ok(L, "local t = {} for i = 1, 100 do t[i] = i end")); /* still fine */
  lua_close(L);
}

static void test_egc_always(void) {
  lua_State *L = newstate(0);
  CHECK(ok(L, "node.egc.setmode(node.egc.ALWAYS) "
              "local c0 = node.heapinfo().gc.cycles "
              "local t = {} for i = 1, 20 do t[i] = {} end "
              "local c1 = node.heapinfo().gc.cycles "
              "assert(c1 - c0 >= 20, c1 - c0) "
              "node.egc.setmode(node.egc.ON_ALLOC_FAILURE)"));
  lua_close(L);
}

static void test_egc_limit(void) {
  lua_State *L = newstate(0);
  lua_Integer used;
  CHECK(ok(L, "collectgarbage() base = node.egc.meminfo() "
              "node.egc.setmode(node.egc.ON_MEM_LIMIT, base + 16384)"));
  used = eval(L, "base");
  /* garbage is collected to stay under the limit; use never passes it */
  CHECK(ok(L, "collectgarbage('stop') local peak = 0 "
              "for i = 1, 5000 do local t = {i, {}, tostring(i)} "
              "local u = node.egc.meminfo() if u > peak then peak = u end end "
              "assert(peak <= base + 16384, peak - base) collectgarbage('restart')"));
  CHECK(eval(L, "node.heapinfo().emergencies") > 0);
  /* what does not fit under the limit fails */
  CHECK(strcmp(run(L, "local s = ('y'):rep(20000)"), "not enough memory") == 0);
  CHECK(eval(L, "node.heapinfo().failures") == 1);
  CHECK(ok(L, "node.egc.setmode(node.egc.ON_ALLOC_FAILURE) "
              "local s = ('y'):rep(20000)"));
  CHECK(used > 0);
  lua_close(L);
  /* negative: keep that many bytes free in a capped heap */
  L = newstate(64 * 1024);
  CHECK(ok(L, "node.egc.setmode(node.egc.ON_MEM_LIMIT, -16384) "
              "collectgarbage('stop') local low = 1e9 "
              "for i = 1, 3000 do local t = {i, tostring(i)} "
              "local f = node.heap() if f < low then low = f end end "
              "assert(low >= 16384 - 64, low) collectgarbage('restart')"));
  CHECK(strcmp(run(L, "local s = ('z'):rep(50000)"), "not enough memory") == 0);
  lua_close(L);
}

/* NOT_ACTIVE: a failed allocation fails at once. The mode is set back
** from C, which allocates nothing, as the heap is then full. */
static void test_egc_not_active(void) {
  lua_State *L = newstate(40 * 1024);
  moonlet_HeapInfo before, after;
  const char *fill = "local t = {} for i = 1, 1e6 do t[i] = {i} end";
  CHECK(luaL_loadbuffer(L, fill, strlen(fill), "=fill") == LUA_OK);
  moonlet_heapinfo(L, &before);
  moonlet_setegc(L, MOONLET_EGC_NOT_ACTIVE, 0);
  lua_gc(L, LUA_GCSTOP, 0);
  CHECK(lua_pcall(L, 0, 0, 0) == LUA_ERRMEM);
  lua_pop(L, 1);
  moonlet_setegc(L, MOONLET_EGC_ON_ALLOC_FAILURE, 0);
  lua_gc(L, LUA_GCRESTART, 0);
  lua_gc(L, LUA_GCCOLLECT, 0);
  moonlet_heapinfo(L, &after);
  CHECK(after.emergencies == before.emergencies);
  CHECK(after.failures == before.failures + 1);
  CHECK(ok(L, "local t = {} for i = 1, 100 do t[i] = {} end"));
  lua_close(L);
}

/* ---------- the out-of-memory handler and the reports ---------- */

static moonlet_OOMInfo lastoom;
static int ooms;

static void onoom(lua_State *L, size_t asked, void *ud) {
  (void)ud;
  moonlet_oominfo(L, asked, &lastoom);
  ooms++;
}

static size_t filesize(FILE *f) {
  long n;
  fflush(f);
  n = ftell(f);
  return n < 0 ? 0 : (size_t)n;
}

static int filehas(FILE *f, const char *s) {
  static char buf[65536];
  size_t n;
  rewind(f);
  n = fread(buf, 1, sizeof buf - 1, f);
  buf[n] = '\0';
  return strstr(buf, s) != NULL;
}

static void test_oom_report(void) {
  lua_State *L = newstate(40 * 1024);
  FILE *f = tmpfile();
  moonlet_HeapInfo before, after;
  moonlet_setoomhandler(L, onoom, NULL);
  CHECK(strcmp(run(L, "local t = {}\n"
                      "for i = 1, 1e6 do t[i] = {i} end"),
               "not enough memory") == 0);
  CHECK(ooms == 1);
  CHECK(lastoom.asked > 0 && lastoom.heap.failures == 1);
  CHECK(strcmp(lastoom.where, "test:2") == 0);
  CHECK(lastoom.heap.used > 30 * 1024);
  moonlet_printoom(f, &lastoom);
  CHECK(filehas(f, "Heap report @ out of memory"));
  CHECK(filehas(f, "asked for at test:2"));
  CHECK(filehas(f, "table") && filehas(f, "fragmentation"));
  /* a C function asking: its Lua caller is named */
  CHECK(run(L, "local s = ('x'):rep(1e6)") != NULL);
  CHECK(strcmp(lastoom.where, "[C] called from test:1") == 0);
  CHECK(lastoom.asked >= 1000000);
  /* reports allocate nothing: the heap is the same before and after */
  moonlet_heapinfo(L, &before);
  moonlet_heapreport(L, f, 0);
  moonlet_heapmap(L, f);
  moonlet_objects(L, f);
  moonlet_heapinfo(L, &after);
  CHECK(before.used == after.used && before.count[1] == after.count[1]);
  CHECK(filesize(f) > 500);
  CHECK(filehas(f, "Heap map") && filehas(f, "Objects in the heap"));
  fclose(f);
  lua_close(L);
}

/* The heap map has one character (or one [n] for a big free run) per block. */
static size_t mapblocks(const char *line) {
  size_t n = 0;
  const char *p = line + 11;
  for (; *p != '\0' && *p != '\n'; p++) {
    if (*p == '[') p = strchr(p, ']');
    n++;
  }
  return n;
}

static int ismapline(const char *line) {
  int i;
  if (line[0] != ' ' || line[1] != ' ' || line[10] != ' ') return 0;
  for (i = 2; i < 10; i++)
    if (strchr("0123456789abcdef", line[i]) == NULL) return 0;
  return 1;
}

static void test_map_counts(void) {
  lua_State *L = newstate(32 * 1024);
  FILE *f = tmpfile();
  CHECK(ok(L, "t = {} for i = 1, 100 do t[i] = {i} end"));
  moonlet_HeapInfo hi;
  char line[256];
  size_t blocks = 0, all = 0;
  int t;
  moonlet_heapinfo(L, &hi);
  moonlet_heapmap(L, f);
  rewind(f);
  while (fgets(line, sizeof line, f) != NULL)
    if (ismapline(line)) blocks += mapblocks(line);
  for (t = 0; t < MOONLET_NTAGS; t++) all += hi.count[t];
  CHECK(blocks == all && all > 100);
  fclose(f);
  lua_close(L);
}

/* moonlet_collect never raises: a finalizer's error is a warning. */
static void test_collect(void) {
  lua_State *L = newstate(0);
  CHECK(ok(L, "collectgarbage('stop') done = 0 "
              "setmetatable({}, {__gc = function() done = done + 1 error('oops') end}) "
              "setmetatable({}, {__gc = function() done = done + 1 end})"));
  moonlet_collect(L);
  moonlet_collect(L);
  CHECK(eval(L, "done") == 2);
  CHECK(lua_gettop(L) == 0);
  lua_close(L);
}

int main(void) {
  test_heapinfo();
  test_open_order();
  test_objects();
  test_emergency();
  test_egc_always();
  test_egc_limit();
  test_egc_not_active();
  test_oom_report();
  test_map_counts();
  test_collect();
  return check_report();
}
