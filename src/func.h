/*
** func.h: prototypes, closures and upvalues.
*/
#ifndef func_h
#define func_h

#include "object.h"

#define sizeCclosure(n) \
  (cast_int(sizeof(CClosure)) + cast_int(sizeof(TValue)) * ((n)-1))

#define isintwups(L) (L->twups != L)

/* maximum number of upvalues in a closure (both C and Lua) */
#define MAXUPVAL 255

Proto *func_newproto(lua_State *L);
CClosure *func_newCclosure(lua_State *L, int nelems);
LClosure *func_newLclosure(lua_State *L, int nelems); /* upvals all NULL */
void func_initupvals(lua_State *L, LClosure *cl);    /* fresh closed nils */
UpVal *func_findupval(lua_State *L, StkId level);    /* open, created if new */
void func_close(lua_State *L, StkId level);          /* closes >= level */
void func_freeproto(lua_State *L, Proto *f);        /* frees parts, not f */
const char *func_getlocalname(const Proto *f, int local_number, int pc);
int func_getline(const Proto *f, int pc); /* -1 without line information */

#endif
