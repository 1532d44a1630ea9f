/*
** overlay.h: writes into read-only tables (the ROM libraries). A ROM table
** keeps its identity: its address is the table the program sees, in every
** reference. What a program writes into it goes to a RAM table, its
** overlay in this state, which reads consult first. A ROM table nobody
** writes costs no RAM.
*/
#ifndef overlay_h
#define overlay_h

#include "object.h"
#include "state.h"

/* Must reads of t go through the overlay functions? */
#define overlay_active(g, t) (isreadonly(t) && (g)->overlays != NULL)

/* The overlay of read-only table t in this state, or NULL. */
Table *overlay_find_(global_State *g, const Table *t);
#define ovl_slot(t) ((cast(size_t, t) >> 4) & (ML_OVL_CACHE - 1))
static inline Table *overlay_find(global_State *g, const Table *t) {
  size_t i = ovl_slot(t);
  return g->ovl_rom[i] == t ? g->ovl_ram[i] : overlay_find_(g, t);
}

/* The value that shadows a ROM entry set to nil (never seen outside). */
extern const char overlay_deleted;
#define overlay_isdeleted(v) \
  (ttislightuserdata(v) && pvalue(v) == cast(void *, &overlay_deleted))

/* Reads of a read-only table t as the program sees it: luaO_nilobject or
** a slot that must not be written. */
const TValue *overlay_get(global_State *g, Table *t, const TValue *key);
const TValue *overlay_getshortstr(global_State *g, Table *t, TString *key);
const TValue *overlay_getint(global_State *g, Table *t, lua_Integer key);

/* t[key] = val raw, for a read-only t (key and val anchored). Raises
** "table index is nil" / "table index is NaN" as a RAM table would. */
void overlay_set(lua_State *L, Table *t, const TValue *key,
                 const TValue *val);

int overlay_next(lua_State *L, Table *t, StkId key);
lua_Unsigned overlay_getn(global_State *g, Table *t);

Table *overlay_metatable(global_State *g, const Table *t);
void overlay_setmetatable(lua_State *L, Table *t, Table *mt);

/* The metatable of any table, as the program sees it. */
static inline Table *overlay_mt(global_State *g, Table *h) {
  return overlay_active(g, h) ? overlay_metatable(g, h) : h->metatable;
}

#endif
