/*
** parser.h: the compiler's entry point. Source text to a main closure, in
** one pass (lexer.c, parser.c, codegen.c). Syntax errors are thrown as
** "chunkname:line: message near 'token'" with status LUA_ERRSYNTAX.
*/
#ifndef parser_h
#define parser_h

#include "object.h"
#include "zio.h"

/*
** Compiles the chunk read from z in protected mode. On success pushes its
** main closure (one upvalue, _ENV, still unset) and returns LUA_OK; on
** failure pushes the error message and returns LUA_ERRSYNTAX or
** LUA_ERRMEM. 'mode' is "t", "b" or "bt": a chunk that starts with
** LUA_SIGNATURE is binary, and is refused with "attempt to load a binary
** chunk (mode is 't')" / "... a text chunk (mode is 'b')". Every buffer the
** compiler allocates is freed on both paths.
*/
int parse_protected(lua_State *L, ZIO *z, const char *name, const char *mode);

#endif
