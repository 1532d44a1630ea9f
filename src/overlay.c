/*
** overlay.c: the RAM overlays of read-only tables. g->overlays maps each
** written ROM table to its overlay, a plain RAM table that holds what was
** written; overlays live as long as the state. A ROM key set to nil is
** shadowed by the 'deleted' mark, a light userdata never seen outside.
** Traversal order: the ROM entries (with their overlay values), then the
** overlay's own keys, so assigning to a ROM field while traversing is
** allowed, as for any table.
*/
#include "overlay.h"

#include "debuginfo.h"
#include "gc.h"
#include "moonlet.h"
#include "rom_gen.h"
#include "table.h"
#include "vm.h"

const char overlay_deleted;

/* The lookup, remembered (absence too) until the next overlay is made. */
Table *overlay_find_(global_State *g, const Table *t) {
  size_t i = ovl_slot(t);
  TValue k;
  const TValue *v;
  if (g->overlays == NULL) return NULL;
  sethvalue(cast(lua_State *, NULL), &k, cast(Table *, t));
  v = table_get(g->overlays, &k);
  g->ovl_rom[i] = t;
  g->ovl_ram[i] = ttistable(v) ? hvalue(v) : NULL;
  return g->ovl_ram[i];
}

/* The overlay's slot when it decides the value, else NULL (look in ROM). */
static const TValue *fromoverlay(const TValue *v) {
  if (ttisnil(v)) return NULL;
  return overlay_isdeleted(v) ? luaO_nilobject : v;
}

const TValue *overlay_get(global_State *g, Table *t, const TValue *key) {
  Table *ram = overlay_find(g, t);
  if (ram != NULL) {
    const TValue *v = fromoverlay(table_get(ram, key));
    if (v != NULL) return v;
  }
  return table_get(t, key);
}

const TValue *overlay_getshortstr(global_State *g, Table *t, TString *key) {
  Table *ram = overlay_find(g, t);
  if (ram != NULL) {
    const TValue *v = fromoverlay(table_getshortstr(ram, key));
    if (v != NULL) return v;
  }
  return table_getshortstr(t, key);
}

const TValue *overlay_getint(global_State *g, Table *t, lua_Integer key) {
  Table *ram = overlay_find(g, t);
  if (ram != NULL) {
    const TValue *v = fromoverlay(table_getint(ram, key));
    if (v != NULL) return v;
  }
  return table_getint(t, key);
}

/* The ROM tables a program must be able to write (moonlet_setromreadonly). */
static int alwayswritable(const Table *t) {
  return t == &ml_rt__G || t == &ml_rt_loaded || t == &ml_rt_package ||
         t == &ml_rt_preload;
}

void moonlet_setromreadonly(lua_State *L, int on) {
  G(L)->romreadonly = cast_byte(on != 0);
}

/* The overlay of t, made on the first write. */
static Table *getoverlay(lua_State *L, Table *t) {
  global_State *g = G(L);
  Table *ram;
  TValue k;
  TValue *slot;
  if (g->romreadonly && !alwayswritable(t)) table_readonlyerror(L);
  ram = overlay_find(g, t);
  if (ram != NULL) return ram;
  if (g->overlays == NULL) g->overlays = table_new(L); /* a root */
  ram = table_new(L);
  ram->metatable = t->metatable;
  sethvalue2s(L, L->top, ram); /* anchored: EXTRA_STACK has room */
  L->top++;
  sethvalue(L, &k, t);
  slot = table_set(L, g->overlays, &k);
  sethvalue(L, slot, ram);
  gc_barrierback(L, g->overlays, L->top - 1);
  L->top--;
  g->ovl_rom[ovl_slot(t)] = NULL; /* it remembered the absence */
  return ram;
}

void overlay_set(lua_State *L, Table *t, const TValue *key,
                 const TValue *val) {
  const TValue *rom = table_get(t, key);
  Table *ram = overlay_find(G(L), t);
  TValue mark;
  TValue *slot;
  if (ttisnil(key)) dbg_runerror(L, "table index is nil");
  if (ttisfloat(key) && fltvalue(key) != fltvalue(key))
    dbg_runerror(L, "table index is NaN");
  if (ram == NULL && rttype(rom) == rttype(val) && vm_rawequalobj(rom, val))
    return; /* nothing changes */
  if (ttisnil(val) && !ttisnil(rom)) { /* shadow the ROM entry */
    setpvalue(&mark, cast(void *, &overlay_deleted));
    val = &mark;
  }
  ram = getoverlay(L, t);
  slot = table_set(L, ram, key);
  setobj2t(L, slot, val);
  invalidateTMcache(ram);
  gc_barrierback(L, ram, val);
}

/*
** Continues from the key at 'key' (nil to start): the ROM entries, then
** the overlay's keys that ROM does not hold. Deleted entries are skipped.
*/
int overlay_next(lua_State *L, Table *t, StkId key) {
  Table *ram = overlay_find(G(L), t);
  if (ram == NULL) return table_next(L, t, key);
  if (ttisnil(key) || !ttisnil(table_get(t, key))) {
    while (table_next(L, t, key)) {
      const TValue *v = fromoverlay(table_get(ram, key));
      if (v == NULL) return 1; /* the ROM value, already there */
      if (v != luaO_nilobject) {
        setobj2s(L, key + 1, v);
        return 1;
      }
    }
    setnilvalue(key); /* ROM done: the overlay's own keys */
  }
  while (table_next(L, ram, key))
    if (ttisnil(table_get(t, key)) && !overlay_isdeleted(key + 1)) return 1;
  return 0;
}

/* A border: t[n] present and t[n + 1] absent, or 0. */
lua_Unsigned overlay_getn(global_State *g, Table *t) {
  lua_Unsigned i = 0, j = 1;
  if (overlay_find(g, t) == NULL) return table_getn(t);
  while (!ttisnil(overlay_getint(g, t, l_castU2S(j)))) {
    i = j;
    if (j > l_castS2U(LUA_MAXINTEGER) / 2) { /* hostile: linear */
      i = 1;
      while (!ttisnil(overlay_getint(g, t, l_castU2S(i)))) i++;
      return i - 1;
    }
    j *= 2;
  }
  while (j - i > 1) {
    lua_Unsigned m = (i + j) / 2;
    if (ttisnil(overlay_getint(g, t, l_castU2S(m)))) j = m;
    else i = m;
  }
  return i;
}

Table *overlay_metatable(global_State *g, const Table *t) {
  Table *ram = overlay_find(g, t);
  return ram != NULL ? ram->metatable : t->metatable;
}

void overlay_setmetatable(lua_State *L, Table *t, Table *mt) {
  Table *ram = getoverlay(L, t);
  ram->metatable = mt;
  if (mt != NULL) gc_objbarrier(L, ram, mt);
}
