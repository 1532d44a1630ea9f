/*
** mcu/esp8266/main.c: the smallest program that embeds the runtime, linked for
** the ESP8266 only to measure what the firmware would take (make
** esp8266-size): a 40 KB state, the standard libraries, one chunk.
*/
#include "lua.h"
#include "lauxlib.h"
#include "lualib.h"
#include "moonlet.h"

static unsigned char arena[40 * 1024]; /* the Lua heap, in .bss */

int main(void) {
  lua_State *L = moonlet_newstatearena(arena, sizeof arena);
  int status;
  if (L == NULL) return 1;
  luaL_openlibs(L);
  status = luaL_dostring(L, "print(string.format('%g', 1 / 3))");
  lua_close(L);
  return status;
}

/* No SDK here: the entry point, exit and the file calls below are
** stand-ins (a real firmware gets them from the ESP8266 SDK: its UART and
** SPIFFS); they cost a few bytes of the figures. */
int open(const char *path, int flags, ...) {
  (void)path;
  (void)flags;
  return -1;
}

int close(int fd) {
  (void)fd;
  return -1;
}

long read(int fd, void *buf, unsigned long n) {
  (void)fd;
  (void)buf;
  (void)n;
  return -1;
}

long write(int fd, const void *buf, unsigned long n) {
  (void)fd;
  (void)buf;
  return (long)n;
}

long lseek(int fd, long off, int whence) {
  (void)fd;
  (void)off;
  (void)whence;
  return -1;
}

int unlink(const char *path) {
  (void)path;
  return -1;
}

int rename(const char *from, const char *to) {
  (void)from;
  (void)to;
  return -1;
}

int getpid(void) {
  return 1;
}

int kill(int pid, int sig) {
  (void)pid;
  (void)sig;
  return -1;
}

struct timeval;
int gettimeofday(struct timeval *tv, void *tz) {
  (void)tv;
  (void)tz;
  return -1;
}

struct tms;
long times(struct tms *t) {
  (void)t;
  return -1;
}

_Noreturn void _exit(int status) {
  (void)status;
  for (;;) {}
}

void _start(void) {
  _exit(main());
}
