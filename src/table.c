/*
** table.c: Lua tables. Keys 1..sizearray live in the array part, all others
** in a chained scatter table with Brent's variation (a node not in its main
** position is moved away when the owner of that position arrives). A resize
** makes its allocations before it moves any entry, so a failed one leaves
** a valid table with all its entries; read-only tables are never written.
*/
#include <math.h>
#include <string.h>

#include "table.h"

#include "debuginfo.h"
#include "gc.h"
#include "mem.h"
#include "state.h"
#include "str.h"

/* largest array part: 2^MAXABITS; largest hash part: 2^MAXHBITS */
#define MAXABITS cast_int(sizeof(int) * CHAR_BIT - 1)
#define MAXASIZE (1u << MAXABITS)
#define MAXHBITS (MAXABITS - 1)

/*
** Every empty hash part is this one node (lsizenode 0, lastfree NULL). It
** is const: never written, not even by the collector.
*/
static const Node dummynode_ = {{{NULL}, LUA_TNIL, LUA_TNIL, 0, {NULL}}};
#define dummynode (cast(Node *, &dummynode_))
#define isdummy(t) ((t)->node == dummynode)
#define allocsizenode(t) (isdummy(t) ? 0 : sizenode(t))

l_noret table_readonlyerror(lua_State *L) {
  dbg_runerror(L, "attempt to modify a read-only table");
}

/* --- hashing -------------------------------------------------------- */

/* Integral floats in range are keys as integers. */
static int flttoint(lua_Number n, lua_Integer *p) {
  if (l_floor(n) != n) return 0; /* also NaN */
  if (!(n >= cast_num(LUA_MININTEGER) && n < -cast_num(LUA_MININTEGER)))
    return 0;
  *p = cast(lua_Integer, n);
  return 1;
}

static Node *hashpow2(const Table *t, unsigned int h) {
  return gnode(t, lmod(h, sizenode(t)));
}

/* For hashes whose low bits are poor (pointers, floats): an odd modulus. */
static Node *hashmod(const Table *t, unsigned int h) {
  return gnode(t, h % cast(unsigned int, (sizenode(t) - 1) | 1));
}

static Node *hashint(const Table *t, lua_Integer i) {
  lua_Unsigned u = l_castS2U(i);
  unsigned int h = cast(unsigned int, u) ^ cast(unsigned int, (u >> 16) >> 16);
  return hashpow2(t, h);
}

static unsigned int hashbits(const void *p, size_t size) {
  uint32_t w[(sizeof(lua_Number) + sizeof(void *)) / 4 + 1] = {0};
  unsigned int h = 0;
  size_t i;
  memcpy(w, p, size);
  for (i = 0; i < (size + 3) / 4; i++)
    h ^= cast(unsigned int, w[i]) * (2 * cast(unsigned int, i) + 1);
  return h;
}

static unsigned int hashptr(const void *p) {
  size_t u = cast(size_t, p);
  return cast(unsigned int, u) ^ cast(unsigned int, (u >> 16) >> 16);
}

/* Main position of a key given by its tag and value (a TValue's or a
** node's). Dead keys are never asked for. */
static Node *mainposition(const Table *t, int tt, const Value *kv) {
  switch (tt) {
    case LUA_TNUMINT: return hashint(t, kv->i);
    case LUA_TNUMFLT: return hashmod(t, hashbits(&kv->n, sizeof(kv->n)));
    case ctb(LUA_TSHRSTR): return hashpow2(t, gco2ts(kv->gc)->hash);
    case ctb(LUA_TLNGSTR):
      return hashpow2(t, str_hashlongstr(gco2ts(kv->gc)));
    case LUA_TBOOLEAN: return hashpow2(t, cast(unsigned int, kv->b));
    case LUA_TLIGHTUSERDATA: return hashmod(t, hashptr(kv->p));
    case LUA_TLCF: return hashmod(t, hashbits(&kv->f, sizeof(kv->f)));
    default: return hashmod(t, hashptr(kv->gc));
  }
}

static Node *mainpositionTV(const Table *t, const TValue *key) {
  return mainposition(t, rttype(key), &val_(key));
}

/*
** Does node n hold 'key'? With 'deadok', a dead key matches the object it
** held (table_next continues from keys collected meanwhile).
*/
static int equalkey(const TValue *key, const Node *n, int deadok) {
  if (keytt(n) != rttype(key))
    return deadok && keyisdead(n) && iscollectable(key) &&
           gckey(n) == gcvalue(key);
  switch (rttype(key)) {
    case LUA_TNIL: return 1;
    case LUA_TBOOLEAN: return bvalue(key) == keyval(n).b;
    case LUA_TNUMINT: return ivalue(key) == keyival(n);
    case LUA_TNUMFLT: return fltvalue(key) == keyval(n).n;
    case LUA_TLIGHTUSERDATA: return pvalue(key) == keyval(n).p;
    case LUA_TLCF: return fvalue(key) == keyval(n).f;
    case ctb(LUA_TLNGSTR): return str_eqlngstr(tsvalue(key), keystrval(n));
    default: return gcvalue(key) == gckey(n);
  }
}

static Node *findnode(const Table *t, const TValue *key, int deadok) {
  Node *n = mainpositionTV(t, key);
  for (;;) {
    if (equalkey(key, n, deadok)) return n;
    if (gnext(n) == 0) return NULL;
    n += gnext(n);
  }
}

/* --- reading ---------------------------------------------------------- */

const TValue *table_getint(Table *t, lua_Integer key) {
  Node *n;
  if (l_castS2U(key) - 1u < t->sizearray) return &t->array[key - 1];
  n = hashint(t, key);
  for (;;) {
    if (keyisinteger(n) && keyival(n) == key) return gval(n);
    if (gnext(n) == 0) return luaO_nilobject;
    n += gnext(n);
  }
}

const TValue *table_getshortstr(Table *t, TString *key) {
  Node *n = hashpow2(t, key->hash);
  for (;;) {
    if (keyisshrstr(n) && keystrval(n) == key) return gval(n);
    if (gnext(n) == 0) return luaO_nilobject;
    n += gnext(n);
  }
}

static const TValue *getgeneric(Table *t, const TValue *key) {
  Node *n = findnode(t, key, 0);
  return n != NULL ? gval(n) : luaO_nilobject;
}

const TValue *table_getstr(Table *t, TString *key) {
  TValue ko;
  if (key->tt == LUA_TSHRSTR) return table_getshortstr(t, key);
  setsvalue(cast(lua_State *, NULL), &ko, key);
  return getgeneric(t, &ko);
}

const TValue *table_get(Table *t, const TValue *key) {
  switch (rttype(key)) {
    case ctb(LUA_TSHRSTR): return table_getshortstr(t, tsvalue(key));
    case LUA_TNUMINT: return table_getint(t, ivalue(key));
    case LUA_TNIL: return luaO_nilobject;
    case LUA_TNUMFLT: {
      lua_Integer k;
      if (flttoint(fltvalue(key), &k)) return table_getint(t, k);
      return getgeneric(t, key);
    }
    default: return getgeneric(t, key);
  }
}

/* --- inserting ---------------------------------------------------------- */

static Node *getfreepos(Table *t) {
  if (t->lastfree == NULL) return NULL;
  while (t->lastfree > t->node) {
    t->lastfree--;
    if (keyisnil(t->lastfree)) return t->lastfree;
  }
  return NULL;
}

/*
** Puts a key known to be absent into the hash part, with a nil value; NULL
** when no node is free. If the key's main position is taken by a key that
** is not in its own main position, that one moves to the free node.
*/
static TValue *insertkey(lua_State *L, Table *t, const TValue *key) {
  Node *mp = mainpositionTV(t, key);
  if (!ttisnil(gval(mp)) || isdummy(t)) {
    Node *f = getfreepos(t);
    Node *other;
    if (f == NULL) return NULL;
    other = mainposition(t, keytt(mp), &keyval(mp));
    if (other != mp) { /* the occupant is out of place: move it to f */
      while (other + gnext(other) != mp) other += gnext(other);
      gnext(other) = cast_int(f - other);
      *f = *mp;
      gc_nodemoved(G(L), t, f); /* a traversal in pieces may miss it */
      if (gnext(mp) != 0) {
        gnext(f) += cast_int(mp - f);
        gnext(mp) = 0;
      }
      setnilvalue(gval(mp));
    } else { /* the occupant is at home: the new key goes to f */
      if (gnext(mp) != 0) gnext(f) = cast_int((mp + gnext(mp)) - f);
      gnext(mp) = cast_int(f - mp);
      mp = f;
    }
  }
  setnodekey(L, mp, key);
  return gval(mp);
}

static void rehash(lua_State *L, Table *t, const TValue *ek);

TValue *table_newkey(lua_State *L, Table *t, const TValue *key) {
  TValue aux;
  TValue *slot;
  if (isreadonly(t)) table_readonlyerror(L);
  if (ttisnil(key)) dbg_runerror(L, "table index is nil");
  if (ttisfloat(key)) {
    lua_Integer k;
    if (flttoint(fltvalue(key), &k)) {
      setivalue(&aux, k);
      key = &aux;
    } else if (fltvalue(key) != fltvalue(key)) {
      dbg_runerror(L, "table index is NaN");
    }
  }
  slot = insertkey(L, t, key);
  if (slot == NULL) { /* no free node: grow, then the key may go anywhere */
    rehash(L, t, key);
    return table_set(L, t, key);
  }
  gc_barrierback(L, t, key);
  return slot;
}

TValue *table_set(lua_State *L, Table *t, const TValue *key) {
  const TValue *p;
  if (isreadonly(t)) table_readonlyerror(L);
  p = table_get(t, key);
  if (p != luaO_nilobject) return cast(TValue *, p);
  return table_newkey(L, t, key);
}

void table_setint(lua_State *L, Table *t, lua_Integer key, TValue *value) {
  const TValue *p;
  TValue *cell;
  if (isreadonly(t)) table_readonlyerror(L);
  p = table_getint(t, key);
  if (p != luaO_nilobject) {
    cell = cast(TValue *, p);
  } else {
    TValue k;
    setivalue(&k, key);
    cell = table_newkey(L, t, &k);
  }
  setobj2t(L, cell, value);
  gc_barrierback(L, t, value);
}

/* --- resizing ------------------------------------------------------------ */

/* A node vector of at least 'size' nodes, all free; the dummy for 0. */
static Node *newnodes(lua_State *L, unsigned int size, lu_byte *lsize) {
  Node *nodes;
  int i, n, l;
  if (size == 0) {
    *lsize = 0;
    return dummynode;
  }
  l = obj_ceillog2(size);
  if (l > MAXHBITS) dbg_runerror(L, "table overflow");
  n = twoto(l);
  nodes = mem_newvector(L, cast(size_t, n), Node, ML_TAG_HASH);
  for (i = 0; i < n; i++) {
    gnext(&nodes[i]) = 0;
    keytt(&nodes[i]) = LUA_TNIL;
    setnilvalue(gval(&nodes[i]));
  }
  *lsize = cast_byte(l);
  return nodes;
}

/* Stores into the committed parts, never growing them (room was made). */
static void reinsert(lua_State *L, Table *t, const TValue *key,
                     const TValue *val) {
  TValue *slot;
  if (ttisinteger(key) && l_castS2U(ivalue(key)) - 1u < t->sizearray)
    slot = &t->array[ivalue(key) - 1];
  else
    slot = insertkey(L, t, key);
  lua_assert(slot != NULL);
  setobjt2t(L, slot, val);
}

/* Moves the old array tail and the old nodes into the new parts. */
static void moveentries(lua_State *L, Table *t, unsigned int oldasize,
                        Node *oldnode, int oldhsize) {
  unsigned int i;
  int j;
  for (i = t->sizearray; i < oldasize; i++) {
    if (!ttisnil(&t->array[i])) {
      TValue k;
      setivalue(&k, cast(lua_Integer, i) + 1);
      reinsert(L, t, &k, &t->array[i]);
    }
  }
  for (j = 0; j < oldhsize; j++) {
    Node *old = oldnode + j;
    if (!ttisnil(gval(old))) {
      TValue k;
      getnodekey(L, &k, old);
      reinsert(L, t, &k, gval(old));
    }
  }
}

/*
** 'nhsize' must hold every entry that ends in the hash part. Order: grow
** the array block (the table still uses only its old size), get the new
** nodes, then commit without allocating; a shrinking array block is given
** back last. An error at any allocation leaves a valid table.
*/
static void resize(lua_State *L, Table *t, unsigned int nasize,
                   unsigned int nhsize) {
  unsigned int i, oldasize = t->sizearray;
  Node *oldnode = t->node, *nodes;
  int oldhsize = allocsizenode(t);
  lu_byte lsize;
  if (nasize > oldasize) {
    size_t nbytes = mem_checksize(L, nasize, sizeof(TValue));
    t->array = cast(TValue *, mem_realloc(L, t->array,
                                          oldasize * sizeof(TValue), nbytes,
                                          ML_TAG_ARRAY));
  }
  nodes = newnodes(L, nhsize, &lsize);
  t->node = nodes;
  t->lsizenode = lsize;
  t->lastfree = nhsize == 0 ? NULL : nodes + twoto(lsize);
  for (i = oldasize; i < nasize; i++) setnilvalue(&t->array[i]);
  t->sizearray = nasize;
  gc_tableresized(G(L), t); /* a traversal in pieces starts over */
  moveentries(L, t, oldasize, oldnode, oldhsize);
  if (oldhsize > 0) mem_free(L, oldnode);
  if (nasize == 0 && t->array != NULL) {
    mem_free(L, t->array);
    t->array = NULL;
  } else if (nasize < oldasize) {
    t->array = cast(TValue *, mem_realloc(L, t->array,
                                          oldasize * sizeof(TValue),
                                          nasize * sizeof(TValue),
                                          ML_TAG_ARRAY));
  }
}

/* Entries that would be in the hash part with an array part of nasize. */
static unsigned int hashneed(const Table *t, unsigned int nasize) {
  unsigned int n = 0, i;
  int j;
  for (i = nasize; i < t->sizearray; i++)
    if (!ttisnil(&t->array[i])) n++;
  for (j = 0; j < allocsizenode(t); j++) {
    const Node *nd = gnode(t, j);
    if (!ttisnil(gval(nd)) &&
        !(keyisinteger(nd) && l_castS2U(keyival(nd)) - 1u < nasize))
      n++;
  }
  return n;
}

void table_resize(lua_State *L, Table *t, unsigned int nasize,
                  unsigned int nhsize) {
  unsigned int need;
  if (isreadonly(t)) table_readonlyerror(L);
  need = hashneed(t, nasize);
  resize(L, t, nasize, need > nhsize ? need : nhsize);
}

void table_resizearray(lua_State *L, Table *t, unsigned int nasize) {
  if (isreadonly(t)) table_readonlyerror(L);
  table_resize(L, t, nasize, cast(unsigned int, allocsizenode(t)));
}

/* --- choosing sizes ------------------------------------------------------ */

/*
** nums[i] counts the integer keys k with 2^(i-1) < k <= 2^i. The array
** part gets the largest size n = 2^i that is more than half used; *pna
** goes in as the number of integer keys, out as the ones the array takes.
*/
static unsigned int computesizes(const unsigned int nums[],
                                 unsigned int *pna) {
  unsigned int twotoi = 1, below = 0, na = 0, optimal = 0;
  int i;
  for (i = 0; i <= MAXABITS && *pna > twotoi / 2; i++, twotoi *= 2) {
    below += nums[i];
    if (below > twotoi / 2) {
      optimal = twotoi;
      na = below;
    }
  }
  *pna = na;
  return optimal;
}

static int countint(lua_Integer key, unsigned int nums[]) {
  if (key > 0 && l_castS2U(key) <= MAXASIZE) {
    nums[obj_ceillog2(cast(unsigned int, key))]++;
    return 1;
  }
  return 0;
}

/* Counts the array part's entries into nums, slice by slice. */
static unsigned int numusearray(const Table *t, unsigned int nums[]) {
  unsigned int total = 0, i = 1, lim = 1;
  int lg;
  for (lg = 0; lg <= MAXABITS && i <= t->sizearray; lg++, lim *= 2) {
    unsigned int count = 0, end = lim < t->sizearray ? lim : t->sizearray;
    for (; i <= end; i++)
      if (!ttisnil(&t->array[i - 1])) count++;
    nums[lg] += count;
    total += count;
  }
  return total;
}

/* Counts the hash part's entries (into *total) and its integer keys. */
static unsigned int numusehash(const Table *t, unsigned int nums[],
                               unsigned int *total) {
  unsigned int ints = 0;
  int i;
  for (i = 0; i < allocsizenode(t); i++) {
    const Node *n = gnode(t, i);
    if (!ttisnil(gval(n))) {
      if (keyisinteger(n))
        ints += cast(unsigned int, countint(keyival(n), nums));
      (*total)++;
    }
  }
  return ints;
}

/* New sizes for t, counting its entries and the extra key 'ek'. */
static void rehash(lua_State *L, Table *t, const TValue *ek) {
  unsigned int nums[MAXABITS + 1];
  unsigned int na, total, asize;
  int i;
  for (i = 0; i <= MAXABITS; i++) nums[i] = 0;
  na = numusearray(t, nums);
  total = na;
  na += numusehash(t, nums, &total);
  if (ttisinteger(ek)) na += cast(unsigned int, countint(ivalue(ek), nums));
  total++;
  asize = computesizes(nums, &na);
  resize(L, t, asize, total - na);
}

/* --- creation, traversal, length ------------------------------------- */

Table *table_new(lua_State *L) {
  GCObject *o = mem_newobject(L, LUA_TTABLE, sizeof(Table), ML_TAG_TABLE);
  Table *t = gco2t(o);
  t->metatable = NULL;
  t->flags = 0;
  t->array = NULL;
  t->sizearray = 0;
  t->node = dummynode;
  t->lsizenode = 0;
  t->lastfree = NULL;
  t->gclist = NULL;
  return t;
}

void table_free(lua_State *L, Table *t) {
  if (!isdummy(t)) mem_free(L, t->node);
  if (t->array != NULL) mem_free(L, t->array);
}

/*
** Position of a key in the traversal order: 0 for nil (start), k for the
** array index k, sizearray + 1 + j for node j.
*/
static unsigned int findindex(lua_State *L, Table *t, const TValue *key) {
  TValue aux;
  lua_Integer k;
  Node *n;
  if (ttisnil(key)) return 0;
  if (ttisfloat(key) && flttoint(fltvalue(key), &k)) {
    setivalue(&aux, k);
    key = &aux;
  }
  if (ttisinteger(key) && l_castS2U(ivalue(key)) - 1u < t->sizearray)
    return cast(unsigned int, ivalue(key));
  n = findnode(t, key, 1);
  if (n == NULL) dbg_runerror(L, "invalid key to 'next'");
  return t->sizearray + 1 + cast(unsigned int, n - t->node);
}

int table_next(lua_State *L, Table *t, StkId key) {
  unsigned int i = findindex(L, t, key);
  unsigned int nsize = cast(unsigned int, sizenode(t));
  for (; i < t->sizearray; i++) {
    if (!ttisnil(&t->array[i])) {
      setivalue(key, cast(lua_Integer, i) + 1);
      setobj2s(L, key + 1, &t->array[i]);
      return 1;
    }
  }
  for (i -= t->sizearray; i < nsize; i++) {
    Node *n = gnode(t, i);
    if (!ttisnil(gval(n))) {
      getnodekey(L, key, n);
      setobj2s(L, key + 1, gval(n));
      return 1;
    }
  }
  return 0;
}

/* A border past j (t[j] present or j == 0), doubling then bisecting. */
static lua_Unsigned hashborder(Table *t, lua_Unsigned j) {
  lua_Unsigned i = j; /* zero or present */
  j++;
  while (!ttisnil(table_getint(t, l_castU2S(j)))) {
    i = j;
    if (j > l_castS2U(LUA_MAXINTEGER) / 2) { /* hostile table: linear scan */
      i = 1;
      while (!ttisnil(table_getint(t, l_castU2S(i)))) i++;
      return i - 1;
    }
    j *= 2;
  }
  while (j - i > 1) { /* t[i] present, t[j] absent */
    lua_Unsigned m = (i + j) / 2;
    if (ttisnil(table_getint(t, l_castU2S(m)))) j = m;
    else i = m;
  }
  return i;
}

lua_Unsigned table_getn(Table *t) {
  unsigned int j = t->sizearray;
  if (j > 0 && ttisnil(&t->array[j - 1])) { /* a border in the array */
    unsigned int i = 0;
    while (j - i > 1) {
      unsigned int m = (i + j) / 2;
      if (ttisnil(&t->array[m - 1])) j = m;
      else i = m;
    }
    return i;
  }
  if (sizenode(t) == 1 && ttisnil(gval(gnode(t, 0)))) return j;
  return hashborder(t, j);
}
