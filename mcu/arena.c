/*
** arena.c: the board's memory. The Lua heap is the arena the linker placed
** at the top of RAM, handed to moonlet_newstatearena as it is; the C
** library's malloc has no heap at all (every call fails), so no hidden
** heap grows on the device. newlib's own allocations (stdio, dtoa) use its
** _malloc_r on a small fixed pool (_sbrk).
*/
#include <errno.h>
#include <stdlib.h>
#include <sys/types.h>

#include "board.h"

extern char __arena_start[], __arena_end[];
extern char __libc_pool_start[], __libc_pool_end[];

static char *pool_top = __libc_pool_start;

void *arena_base(void) {
  return __arena_start;
}

size_t arena_capacity(void) {
  return (size_t)(__arena_end - __arena_start);
}

size_t arena_libcpeak(void) {
  return (size_t)(pool_top - __libc_pool_start);
}

static void *nomemory(void) {
  errno = ENOMEM;
  return NULL;
}

void *malloc(size_t size) {
  (void)size;
  return nomemory();
}

void *calloc(size_t n, size_t size) {
  (void)n;
  (void)size;
  return nomemory();
}

void *realloc(void *p, size_t size) {
  (void)p;
  (void)size;
  return nomemory();
}

void free(void *p) {
  (void)p; /* nothing was handed out */
}

/* newlib's _malloc_r grows its heap here: a fixed pool, never the arena. */
void *_sbrk(ptrdiff_t incr) {
  char *old = pool_top;
  if (incr > __libc_pool_end - pool_top || incr < __libc_pool_start - pool_top) {
    errno = ENOMEM;
    return (void *)-1;
  }
  pool_top += incr;
  return old;
}
