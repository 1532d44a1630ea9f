/*
** call.h: calls and returns, the Lua stack, errors (setjmp/longjmp through
** a chain of catch records), protected calls and coroutines.
*/
#ifndef call_h
#define call_h

#include "object.h"
#include "state.h"
#include "zio.h"

/* Ensures n free slots above L->top; may move the stack. */
#define call_checkstackaux(L, n, pre, pos) \
  if (L->stack_last - L->top <= (n)) { pre; call_growstack(L, n); pos; }
#define call_checkstack(L, n) call_checkstackaux(L, n, (void)0, (void)0)

#define savestack(L, p) ((char *)(p) - (char *)L->stack)
#define restorestack(L, n) ((TValue *)((char *)L->stack + (n)))

typedef void (*Pfunc)(lua_State *L, void *ud);

void call_hook(lua_State *L, int event, int line);
int call_precall(lua_State *L, StkId func, int nresults); /* 1: C call done */
void call_call(lua_State *L, StkId func, int nresults);
void call_callnoyield(lua_State *L, StkId func, int nresults);
int call_pcall(lua_State *L, Pfunc func, void *u, ptrdiff_t oldtop,
               ptrdiff_t ef);
int call_poscall(lua_State *L, CallInfo *ci, StkId firstResult, int nres);
void call_reallocstack(lua_State *L, int newsize);
void call_growstack(lua_State *L, int n); /* "stack overflow" past the limit */
void call_shrinkstack(lua_State *L);
void call_inctop(lua_State *L);
void call_seterrorobj(lua_State *L, int errcode, StkId oldtop);

l_noret call_throw(lua_State *L, int errcode);
int call_rawrunprotected(lua_State *L, Pfunc f, void *ud);

#endif
