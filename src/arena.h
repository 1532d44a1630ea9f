/*
** arena.h: a caller-owned block of memory as the one fixed region of a
** heap (moonlet_newstatearena). Nothing outside the block is ever written.
*/
#ifndef arena_h
#define arena_h

#include <stddef.h>

/*
** Prepares 'mem' (any alignment) and returns the ud for arena_alloc, with
** *cap set to the bytes it will hand out; NULL when the block is too small.
*/
void *arena_init(void *mem, size_t size, size_t *cap);

/* A lua_Alloc that hands out the prepared block once, of at most *cap
** bytes, takes it back when freed, and refuses everything else. */
void *arena_alloc(void *ud, void *ptr, size_t osize, size_t nsize);

#endif
