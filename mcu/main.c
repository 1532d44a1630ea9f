/*
** main.c: the firmware's program. It reads the boot record in flash, makes
** a state in the arena the linker placed (its heap, used in place), and
** runs the record's chunk, or the script's module in the flash image
** mounted in place, as `moonlet script` would: same messages, same exit
** status, so outputs compare as they are.
*/
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "lua.h"
#include "lauxlib.h"
#include "lualib.h"
#include "moonlet.h"

#include "lfs.h"

#include "board.h"
#include "bootrec.h"
#include "selftest.h"

#define PROGNAME "moonlet"

typedef struct Run {
  const BootRecord *rec;
  const char *name;
  const char *chunk;
  size_t startup, loaded; /* heap bytes in use at those points */
} Run;

/* The record at BOOT_ADDR, or NULL (with a message) when it does not check. */
static const BootRecord *boot_record(void) {
  const BootRecord *r = (const BootRecord *)BOOT_ADDR;
  const unsigned char *p = (const unsigned char *)(r + 1), *end;
  uint32_t sum = 0;
  if (r->magic != BOOTREC_MAGIC || r->version != BOOTREC_VERSION) {
    fprintf(stderr, "mcu: no boot record at 0x%08lx\n", (unsigned long)BOOT_ADDR);
    return NULL;
  }
  if (r->namelen >= BOOT_SIZE || r->chunklen >= BOOT_SIZE ||
      sizeof *r + r->namelen + 1 + r->chunklen > BOOT_SIZE) {
    fputs("mcu: boot record too big\n", stderr);
    return NULL;
  }
  for (end = p + r->namelen + 1 + r->chunklen; p < end; p++) sum += *p;
  if (sum != r->checksum || ((const char *)(r + 1))[r->namelen] != '\0') {
    fputs("mcu: boot record checksum mismatch\n", stderr);
    return NULL;
  }
  return r;
}

/* Mounts the slot at SLOT_ADDR in place (moonletc -a built it for that
** address), when QEMU's loader put one there; 0 when a run that needs
** the image can not have it. Nothing is written to flash. */
static int mount_image(const BootRecord *r) {
  const char *msg = lfs_mountat((const void *)SLOT_ADDR, SLOT_SIZE);
  if (msg != NULL && (r->flags & BOOTREC_IMAGE)) {
    fprintf(stderr, "mcu: flash image at 0x%08lx refused: %s\n",
            (unsigned long)SLOT_ADDR, msg);
    return 0;
  }
  return 1;
}

static void message(const char *msg) {
  fprintf(stderr, "%s: %s\n", PROGNAME, msg);
  fflush(stderr);
}

/* Adds a traceback to string messages, as the moonlet command does. */
static int message_handler(lua_State *L) {
  const char *msg = lua_tostring(L, 1);
  if (msg == NULL) {
    if (luaL_callmeta(L, 1, "__tostring") && lua_type(L, -1) == LUA_TSTRING)
      return 1;
    msg = lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 1));
  }
  luaL_traceback(L, L, msg, 1);
  return 1;
}

static int report(lua_State *L, int status) {
  if (status != LUA_OK) {
    const char *msg = lua_tostring(L, -1);
    message(msg != NULL ? msg : "(error object is not a string)");
    lua_pop(L, 1);
  }
  return status;
}

static size_t heap_inuse(lua_State *L) {
  moonlet_HeapInfo info;
  moonlet_heapinfo(L, &info);
  return info.used;
}

/* arg as `moonlet name` makes it: arg[0] the script, arg[-1] the program. */
static void create_arg_table(lua_State *L, const char *name) {
  lua_createtable(L, 0, 2);
  lua_pushstring(L, PROGNAME);
  lua_rawseti(L, -2, -1);
  lua_pushstring(L, name);
  lua_rawseti(L, -2, 0);
  lua_setglobal(L, "arg");
}

/* Pushes the function to run, or an error message. */
static int load_chunk(lua_State *L, Run *run) {
  if (run->rec->flags & BOOTREC_IMAGE) {
    if (lfs_getfile(L, run->name)) return LUA_OK;
    lua_pushfstring(L, "no module for '%s' in the flash image", run->name);
    return LUA_ERRFILE;
  }
  lua_pushfstring(L, "@%s", run->name);
  int status = luaL_loadbuffer(L, run->chunk, run->rec->chunklen, lua_tostring(L, -1));
  lua_remove(L, -2);
  return status;
}

/* Runs protected: a memory error while setting up is reported, not fatal. */
static int protected_main(lua_State *L) {
  Run *run = (Run *)lua_touserdata(L, 1);
  int status;
  lua_settop(L, 0);
  luaL_checkversion(L);
  luaL_openlibs(L);
  create_arg_table(L, run->name);
  run->startup = heap_inuse(L);
  status = load_chunk(L, run);
  run->loaded = heap_inuse(L);
  if (status == LUA_OK) {
    lua_pushcfunction(L, message_handler);
    lua_insert(L, 1);
    status = lua_pcall(L, 0, 0, 1);
  }
  lua_pushboolean(L, report(L, status) == LUA_OK);
  return 1;
}

static int panic(lua_State *L) {
  const char *msg = lua_tostring(L, -1);
  fprintf(stderr, "PANIC: unprotected error in call to Lua API (%s)\n",
          msg != NULL ? msg : "error object is not a string");
  return 0;
}

static void print_stats(lua_State *L, const Run *run) {
  moonlet_HeapInfo info;
  moonlet_heapinfo(L, &info);
  fprintf(stderr,
          "mcu-stats: heap %lu startup %lu loaded %lu peak %lu end %lu "
          "stack %lu/%lu libc %lu emergencies %u arena %lu\n",
          (unsigned long)info.total, (unsigned long)run->startup,
          (unsigned long)run->loaded, (unsigned long)info.peak_used,
          (unsigned long)info.used, (unsigned long)board_stackpeak(),
          (unsigned long)board_stacksize(), (unsigned long)arena_libcpeak(),
          info.emergencies, (unsigned long)arena_capacity());
}

int main(void) {
  static char outbuf[256], errbuf[128];
  Run run = {0};
  lua_State *L;
  size_t heap;
  int status, ok;
  setvbuf(stdout, outbuf, _IOLBF, sizeof outbuf);
  setvbuf(stderr, errbuf, _IONBF, sizeof errbuf);
  if ((run.rec = boot_record()) == NULL || !mount_image(run.rec)) return EXIT_BOOT;
  run.name = (const char *)(run.rec + 1);
  run.chunk = run.name + run.rec->namelen + 1;
  if (run.rec->flags & BOOTREC_SELFTEST) return selftest_run(run.name);
  heap = run.rec->heap != 0 ? run.rec->heap : DEFAULT_HEAP;
  if (heap > arena_capacity()) {
    fprintf(stderr, "mcu: a heap of %lu bytes asked, the arena has %lu\n",
            (unsigned long)heap, (unsigned long)arena_capacity());
    return EXIT_BOOT;
  }
  if ((L = moonlet_newstatearena(arena_base(), heap)) == NULL) {
    message("cannot create state: not enough memory");
    return 1;
  }
  lua_atpanic(L, panic);
  lua_pushcfunction(L, protected_main);
  lua_pushlightuserdata(L, &run);
  status = lua_pcall(L, 1, 1, 0);
  ok = status == LUA_OK && lua_toboolean(L, -1);
  report(L, status);
  if (run.rec->flags & BOOTREC_STATS) print_stats(L, &run);
  lua_close(L);
  return ok ? 0 : 1;
}
