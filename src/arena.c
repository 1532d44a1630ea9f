/*
** arena.c: caller-owned arenas. The block's first bytes hold a descriptor;
** the rest is handed to the heap once, as its fixed region. The heap never
** asks for more (a capped heap does not grow), so every other request
** fails: the block is all the memory the state has.
*/
#include <stdint.h>

#include "arena.h"

/* The heap poisons its free blocks under AddressSanitizer; the caller may
** read its block again once the state is closed. */
#if defined(__SANITIZE_ADDRESS__)
#define ARENA_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define ARENA_ASAN 1
#endif
#endif
#if ARENA_ASAN
#include <sanitizer/asan_interface.h>
#define unpoison(p, n) ASAN_UNPOISON_MEMORY_REGION(p, n)
#else
#define unpoison(p, n) ((void)(p), (void)(n))
#endif

typedef struct Arena {
  size_t size; /* bytes after the descriptor */
  int taken;
} Arena;

#define ALIGN (sizeof(void *) > 8 ? sizeof(void *) : (size_t)8)
#define HEAD ((sizeof(Arena) + ALIGN - 1) & ~(ALIGN - 1))

void *arena_init(void *mem, size_t size, size_t *cap) {
  uintptr_t lo = (uintptr_t)mem;
  uintptr_t start = (lo + ALIGN - 1) & ~(uintptr_t)(ALIGN - 1);
  Arena *a;
  if (mem == NULL || size < (size_t)(start - lo) + HEAD) return NULL;
  a = (Arena *)(void *)start;
  a->size = size - (size_t)(start - lo) - HEAD;
  a->taken = 0;
  *cap = a->size;
  return a;
}

void *arena_alloc(void *ud, void *ptr, size_t osize, size_t nsize) {
  Arena *a = (Arena *)ud;
  char *room = (char *)ud + HEAD;
  (void)osize;
  if (ptr == NULL) {
    if (a->taken || nsize == 0 || nsize > a->size) return NULL;
    a->taken = 1;
    return room;
  }
  if (nsize == 0 && ptr == room) {
    unpoison(room, a->size);
    a->taken = 0;
  }
  return NULL;
}
