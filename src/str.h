/*
** str.h: strings and full userdata. Short strings are interned: the
** flash string table (g->rostrings) is searched first, then the RAM table,
** so a short string exists once in the whole state (DESIGN.md section 4).
*/
#ifndef str_h
#define str_h

#include "gc.h"
#include "object.h"
#include "state.h"

#define MEMERRMSG "not enough memory"
#define MINSTRTABSIZE 32

#define str_newliteral(L, s) (str_newlstr(L, "" s, (sizeof(s) / sizeof(char)) - 1))
/* reserved words of the lexer have extra > 0 */
#define isreserved(s) ((s)->tt == LUA_TSHRSTR && (s)->extra > 0)
#define eqshrstr(a, b) ((a) == (b))

unsigned int str_hash(const char *str, size_t l, unsigned int seed);
unsigned int str_hashlongstr(TString *ts); /* computes once; not on flash */
int str_eqlngstr(TString *a, TString *b);
int str_eqstr(TString *a, TString *b);
void str_resize(lua_State *L, int newsize);
void str_init(lua_State *L); /* string table, memerrmsg */
void str_remove(lua_State *L, TString *ts); /* GC: unlinks a dead short string */
TString *str_newlstr(lua_State *L, const char *str, size_t l);
TString *str_new(lua_State *L, const char *str);
TString *str_createlngstrobj(lua_State *L, size_t l); /* bytes unset */
Udata *str_newudata(lua_State *L, size_t s);
/* Interns a short string that already exists elsewhere; NULL if none. */
TString *str_findshort(lua_State *L, const char *str, size_t l);

#endif
