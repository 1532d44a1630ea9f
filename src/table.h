/*
** table.h: Lua tables, an array part and a hash part that grow and shrink.
** Read-only tables (flash or ROM) are read with the same functions; any
** function that could write one raises "attempt to modify a read-only
** table" instead.
*/
#ifndef table_h
#define table_h

#include "object.h"

#define gnode(t, i) (&(t)->node[i])
#define invalidateTMcache(t) \
  { if (!isreadonly(t)) (t)->flags = 0; }

/* The value returned for absent keys is luaO_nilobject (never written). */
const TValue *table_getint(Table *t, lua_Integer key);
const TValue *table_getshortstr(Table *t, TString *key);
const TValue *table_getstr(Table *t, TString *key);
const TValue *table_get(Table *t, const TValue *key);

/*
** Slot for 'key', created (with a nil value) when absent. Raises "table
** index is nil" / "table index is NaN", and the read-only error. Float keys
** with an integer value are stored as integers. The caller writes the slot
** and then runs gc_barrierback.
*/
TValue *table_set(lua_State *L, Table *t, const TValue *key);
TValue *table_newkey(lua_State *L, Table *t, const TValue *key);
void table_setint(lua_State *L, Table *t, lua_Integer key, TValue *value);

Table *table_new(lua_State *L);
void table_resize(lua_State *L, Table *t, unsigned int nasize,
                  unsigned int nhsize);
void table_resizearray(lua_State *L, Table *t, unsigned int nasize);
void table_free(lua_State *L, Table *t); /* frees the parts, not the object */
int table_next(lua_State *L, Table *t, StkId key); /* "invalid key to 'next'" */
lua_Unsigned table_getn(Table *t); /* a border, as 5.3's # */
l_noret table_readonlyerror(lua_State *L);

#endif
