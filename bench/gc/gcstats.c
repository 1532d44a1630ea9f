/*
** bench/gc/gcstats.c: runs a Lua script in a Moonlet state (with a heap of
** --heap bytes, 0 for a growable one) and prints the collector's figures:
** run time, GC time and share, steps, cycles, the longest step (time and
** work, about the bytes it traversed), emergencies. Link it with a library
** built with -DML_GC_STATS=1 (bench/gc/run.sh does).
** Usage: gcstats HEAPBYTES script.lua [args...]
*/
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "lauxlib.h"
#include "lua.h"
#include "lualib.h"
#include "moonlet.h"

static double now(void) { return (double)clock() / CLOCKS_PER_SEC; }

int main(int argc, char **argv) {
  lua_State *L;
  moonlet_GCInfo gi;
  moonlet_HeapInfo hi;
  double t0, t;
  int i, st;
  if (argc < 3) {
    fprintf(stderr, "usage: gcstats HEAPBYTES script.lua [args]\n");
    return 2;
  }
  L = moonlet_newstate((size_t)strtoul(argv[1], NULL, 0));
  if (L == NULL) return 1;
  luaL_openlibs(L);
  lua_createtable(L, argc - 2, 0);
  for (i = 3; i < argc; i++) {
    lua_pushstring(L, argv[i]);
    lua_rawseti(L, -2, i - 2);
  }
  lua_setglobal(L, "arg");
  t0 = now();
  st = luaL_loadfile(L, argv[2]);
  if (st == LUA_OK) st = lua_pcall(L, 0, 0, 0);
  t = now() - t0;
  if (st != LUA_OK) fprintf(stderr, "error: %s\n", lua_tostring(L, -1));
  moonlet_gcinfo(L, &gi);
  moonlet_heapinfo(L, &hi);
  fprintf(stderr,
          "run %.3f s, gc %.3f s (%.1f%%), %lu steps, %lu cycles, longest step "
          "%.1f us / %lu bytes of work, peak %lu bytes, %u emergencies\n",
          t, gi.totaltime, t > 0 ? 100 * gi.totaltime / t : 0.0, gi.steps,
          gi.cycles, gi.maxsteptime * 1e6, (unsigned long)gi.maxstepwork,
          (unsigned long)hi.peak_used, hi.emergencies);
  lua_close(L);
  return st != LUA_OK;
}
