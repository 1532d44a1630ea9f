/*
** debuginfo.h: what the runtime knows about running code for messages:
** positions, variable names in error messages ("(local 't')"), the debug
** API (lua_getstack, lua_getinfo, ...) and hooks.
*/
#ifndef debuginfo_h
#define debuginfo_h

#include "state.h"

#define pcRel(pc, p) (cast_int((pc) - (p)->code) - 1)
#define ci_func(ci) (clLvalue((ci)->func))
#define resethookcount(L) (L->hookcount = L->basehookcount)

/* "attempt to <op> a <type> value (local 'x')" */
l_noret dbg_typeerror(lua_State *L, const TValue *o, const char *opname);
l_noret dbg_concaterror(lua_State *L, const TValue *p1, const TValue *p2);
l_noret dbg_opinterror(lua_State *L, const TValue *p1, const TValue *p2,
                       const char *msg);
l_noret dbg_tointerror(lua_State *L, const TValue *p1, const TValue *p2);
l_noret dbg_ordererror(lua_State *L, const TValue *p1, const TValue *p2);
/* Formats (obj_pushvfstring), prefixes "chunk:line:" and throws. */
l_noret dbg_runerror(lua_State *L, const char *fmt, ...);
const char *dbg_addinfo(lua_State *L, const char *msg, TString *src,
                        int line);
l_noret dbg_errormsg(lua_State *L); /* runs the message handler, throws */
void dbg_traceexec(lua_State *L);   /* line and count hooks */
int dbg_currentline(CallInfo *ci);

#endif
