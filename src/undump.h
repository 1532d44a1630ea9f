/*
** undump.h: loads a binary chunk (dump.h's format). Everything is checked
** and the code verified (verify.h) before the chunk can run, so a corrupt
** or hostile chunk is refused with a message, never a crash.
*/
#ifndef undump_h
#define undump_h

#include "object.h"
#include "zio.h"

/*
** Loads the chunk read from z (its first byte not yet consumed) in
** protected mode. On success pushes its main closure, with fresh nil
** upvalues, and returns LUA_OK; on failure pushes the message
** ("name: truncated precompiled chunk", "name: bad binary format (...)")
** and returns LUA_ERRSYNTAX, or LUA_ERRMEM, or the status of an error the
** reader raised. name is the chunk name as lua_load got it.
*/
int undump_protected(lua_State *L, ZIO *z, const char *name);

#endif
