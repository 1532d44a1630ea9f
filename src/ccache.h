/*
** ccache.h: the closure cache. Lua 5.3 keeps the last closure made from a
** proto in the proto; ours are in flash, so the cache is a small table in
** global_State, indexed by the proto's address. It is weak: entries are
** not roots, and the atomic phase drops the dead ones before any sweep.
*/
#ifndef ccache_h
#define ccache_h

#include "object.h"

#if ML_CLOSURE_CACHE < 2 || (ML_CLOSURE_CACHE & (ML_CLOSURE_CACHE - 1)) != 0
#error "ML_CLOSURE_CACHE must be a power of two, at least 2"
#endif

struct global_State;

/* A closure OP_CLOSURE may give for p in the frame at 'base' (upvalues of
** the enclosing function 'encup'): one with the very upvalues a new one
** would capture. NULL when there is none. Never allocates. */
LClosure *ccache_get(lua_State *L, const Proto *p, UpVal **encup,
                     StkId base);
void ccache_put(lua_State *L, LClosure *cl); /* cl: just made by OP_CLOSURE */
void ccache_clear(struct global_State *g);
void ccache_dropdead(struct global_State *g); /* atomic: white is dead */

#endif
