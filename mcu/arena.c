/*
** arena.c: the board's C allocator. Its only block is the Lua arena that
** the linker placed at the top of RAM: moonlet_newstate asks for it once
** (through realloc) and Moonlet's own allocator carves it; any other
** malloc gets NULL, so no hidden heap grows on the device. newlib's own
** allocations (stdio, dtoa) use _malloc_r on a small fixed pool (_sbrk).
*/
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "board.h"

extern char __arena_start[], __arena_end[];
extern char __libc_pool_start[], __libc_pool_end[];

static size_t limit;  /* 0: the whole capacity */
static int handed_out;
static char *pool_top = __libc_pool_start;

size_t arena_capacity(void) {
  return (size_t)(__arena_end - __arena_start);
}

void arena_setlimit(size_t bytes) {
  limit = bytes;
}

size_t arena_libcpeak(void) {
  return (size_t)(pool_top - __libc_pool_start);
}

/* The arena itself, or NULL when it is taken or too small. */
static void *take(size_t size) {
  size_t room = limit != 0 && limit < arena_capacity() ? limit : arena_capacity();
  if (handed_out || size == 0 || size > room) {
    errno = ENOMEM;
    return NULL;
  }
  handed_out = 1;
  return __arena_start;
}

void *malloc(size_t size) {
  return take(size);
}

void *calloc(size_t n, size_t size) {
  char *p;
  if (size != 0 && n > (size_t)-1 / size) return NULL;
  p = take(n * size);
  if (p != NULL) memset(p, 0, n * size);
  return p;
}

/* The arena never moves: realloc of it fails (the heap asks for a fixed
** cap only once); realloc(NULL, n) is malloc(n). */
void *realloc(void *p, size_t size) {
  if (p == NULL) return take(size);
  if (size == 0) {
    free(p);
    return NULL;
  }
  errno = ENOMEM;
  return NULL;
}

void free(void *p) {
  if (p == (void *)__arena_start) handed_out = 0;
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
