/*
** api.h: checks and stack helpers of the C API (api.c). API misuse is the
** caller's bug: the checks cost nothing unless ML_APICHECK is 1.
*/
#ifndef api_h
#define api_h

#include "state.h"

/*
** ML_APICHECK: check the arguments of API calls (stack room, element
** counts, index ranges) and abort with a message on misuse. Default 0.
*/
#ifndef ML_APICHECK
#define ML_APICHECK 0
#endif

#if ML_APICHECK
#include <stdio.h>
#include <stdlib.h>
static inline void api_checkfailed(const char *msg) {
  fprintf(stderr, "moonlet: C API misuse: %s\n", msg);
  abort();
}
#define api_check(L, e, msg) \
  ((void)(L), (e) ? (void)0 : api_checkfailed(msg))
#else
#define api_check(L, e, msg) ((void)(L))
#endif

/* Pushes the slot just written at L->top. */
static inline void api_incr_top(lua_State *L) {
  L->top++;
  api_check(L, L->top <= L->ci->top, "stack overflow");
}

/* The running function has at least n values on its stack. */
static inline void api_checknelems(lua_State *L, int n) {
  api_check(L, n < (L->top - L->ci->func), "not enough elements in the stack");
  (void)n;
}

/* After a call with LUA_MULTRET, the frame's top covers every result. */
static inline void api_adjustresults(lua_State *L, int nres) {
  if (nres == LUA_MULTRET && L->ci->top < L->top) L->ci->top = L->top;
}

#endif
