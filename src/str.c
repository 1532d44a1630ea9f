/*
** str.c: strings and full userdata. A short string exists once per state:
** the flash table is searched, then the ROM strings (rom.c), then RAM. Nothing here ever
** writes a read-only string (a flash long string carries its hash).
*/
#include <string.h>

#include "str.h"

#include "call.h"
#include "mem.h"

/* The RAM table stops doubling here (bucket count, a power of 2). */
#define MAXSTRTB (1 << 24)

/* The flash image builder and tools/romgen hash with this same function
** (strhash.h) and seed. */
unsigned int str_hash(const char *str, size_t l, unsigned int seed) {
  return strhash_compute(str, l, seed);
}

unsigned int str_hashlongstr(TString *ts) {
  if (ts->extra == 0) {
    unsigned int h = str_hash(getstr(ts), ts->u.lnglen, ts->hash);
    if (isreadonly(ts)) return h; /* never written (should carry it) */
    ts->hash = h;
    ts->extra = 1;
  }
  return ts->hash;
}

int str_eqlngstr(TString *a, TString *b) {
  size_t len = a->u.lnglen;
  return a == b ||
         (len == b->u.lnglen && memcmp(getstr(a), getstr(b), len) == 0);
}

int str_eqstr(TString *a, TString *b) {
  if (a->tt != b->tt) return 0;
  return a->tt == LUA_TSHRSTR ? eqshrstr(a, b) : str_eqlngstr(a, b);
}

/* --- the RAM string table ----------------------------------------- */

/*
** Moves every string of the 'osize' chains of 'src' into the chains of
** 'dst' ('nsize' buckets). 'dst' may be 'src' itself when shrinking: a
** string moved to a bucket not yet visited is just moved again, to the
** same bucket.
*/
static void rehash(TString **src, int osize, TString **dst, int nsize) {
  int i;
  for (i = 0; i < osize; i++) {
    TString *p = src[i];
    src[i] = NULL;
    while (p != NULL) {
      TString *next = p->u.hnext;
      TString **list = &dst[lmod(p->hash, nsize)];
      p->u.hnext = *list;
      *list = p;
      p = next;
    }
  }
}

/*
** Growing allocates a new array first: the allocation may collect, and
** the collector may then remove strings from (or shrink) the current
** table, which is read only after it.
*/
static void growtable(lua_State *L, int newsize) {
  TString **nh = mem_newvector(L, newsize, TString *, ML_TAG_OTHER);
  stringtable *tb = &G(L)->strt;
  int i;
  for (i = 0; i < newsize; i++) nh[i] = NULL;
  rehash(tb->hash, tb->size, nh, newsize);
  if (tb->hash != NULL) mem_free(L, tb->hash);
  tb->hash = nh;
  tb->size = newsize;
}

/* Shrinking rehashes in place, then gives the tail back: no allocation,
** so the collector may call it. */
static void shrinktable(lua_State *L, int newsize) {
  stringtable *tb = &G(L)->strt;
  rehash(tb->hash, tb->size, tb->hash, newsize);
  tb->hash = cast(TString **, mem_realloc(L, tb->hash,
                                          tb->size * sizeof(TString *),
                                          newsize * sizeof(TString *),
                                          ML_TAG_OTHER));
  tb->size = newsize;
}

void str_resize(lua_State *L, int newsize) {
  if (newsize > G(L)->strt.size) growtable(L, newsize);
  else if (newsize < G(L)->strt.size && newsize > 0) shrinktable(L, newsize);
}

static void f_grow(lua_State *L, void *ud) {
  UNUSED(ud);
  growtable(L, G(L)->strt.size * 2);
}

/*
** A full table only makes chains longer: when doubling it fails for lack
** of memory, interning goes on with the table as it is.
*/
static void growstrtab(lua_State *L) {
  stringtable *tb = &G(L)->strt;
  ptrdiff_t top;
  if (tb->size == 0) {
    growtable(L, MINSTRTABSIZE);
    return;
  }
  if (tb->size >= MAXSTRTB) return;
  top = savestack(L, L->top);
  if (call_rawrunprotected(L, f_grow, NULL) != LUA_OK)
    L->top = restorestack(L, top);
}

void str_remove(lua_State *L, TString *ts) {
  stringtable *tb = &G(L)->strt;
  TString **p;
  if (tb->size == 0) return;
  p = &tb->hash[lmod(ts->hash, tb->size)];
  while (*p != NULL && *p != ts) p = &(*p)->u.hnext;
  if (*p != NULL) {
    *p = ts->u.hnext;
    tb->nuse--;
  }
}

void str_init(lua_State *L) {
  global_State *g = G(L);
  str_resize(L, MINSTRTABSIZE);
  g->memerrmsg = str_newliteral(L, MEMERRMSG);
  gc_fix(L, obj2gco(g->memerrmsg));
}

/* --- creation and lookup ------------------------------------------- */

/* A new string object with room for l bytes (unset) and the final '\0'. */
static TString *createstrobj(lua_State *L, size_t l, int tt,
                             unsigned int h) {
  GCObject *o = mem_newobject(L, tt, sizelstring(l), ML_TAG_STRING);
  TString *ts = gco2ts(o);
  ts->hash = h;
  ts->extra = 0;
  getstr(ts)[l] = '\0';
  return ts;
}

TString *str_createlngstrobj(lua_State *L, size_t l) {
  TString *ts;
  if (l >= (MAX_SIZE - sizeof(TString)) / sizeof(char)) mem_toobig(L);
  ts = createstrobj(L, l, LUA_TLNGSTR, G(L)->seed);
  ts->u.lnglen = l;
  return ts;
}

static int sameshort(const TString *ts, const char *str, size_t l,
                     unsigned int h) {
  return ts->hash == h && ts->shrlen == l &&
         memcmp(str, getstr(ts), l * sizeof(char)) == 0;
}

static TString *findro(const ROStringTable *ro, const char *str, size_t l,
                       unsigned int h) {
  const TString *ts;
  if (ro == NULL || ro->size == 0) return NULL;
  for (ts = ro->hash[h % ro->size]; ts != NULL; ts = ts->u.hnext)
    if (sameshort(ts, str, l, h)) return cast(TString *, ts);
  return NULL;
}

/* A RAM string found dead (not yet swept) is given back its life. */
static TString *findram(global_State *g, const char *str, size_t l,
                        unsigned int h) {
  TString *ts;
  if (g->strt.size == 0) return NULL;
  for (ts = g->strt.hash[lmod(h, g->strt.size)]; ts; ts = ts->u.hnext) {
    if (sameshort(ts, str, l, h)) {
      if (isdead(g, ts)) changewhite(ts);
      return ts;
    }
  }
  return NULL;
}

/*
** The flash image, the ROM strings and RAM hold disjoint texts: an image
** refers to a ROM string instead of copying it (docs/image-format.md), and
** RAM gets only what neither holds. So short strings compare by pointer.
*/
static TString *findshort(global_State *g, const char *str, size_t l,
                          unsigned int h) {
  TString *ts = findro(g->rostrings, str, l, h);
  if (ts == NULL) ts = findro(&ml_romstrtab, str, l, h);
  return ts != NULL ? ts : findram(g, str, l, h);
}

TString *str_findshort(lua_State *L, const char *str, size_t l) {
  global_State *g = G(L);
  if (l > LUAI_MAXSHORTLEN) return NULL;
  return findshort(g, str, l, str_hash(str, l, g->seed));
}

static TString *internshrstr(lua_State *L, const char *str, size_t l) {
  global_State *g = G(L);
  unsigned int h = str_hash(str, l, g->seed);
  TString *ts = findshort(g, str, l, h);
  TString **list;
  if (ts != NULL) return ts;
  if (g->strt.nuse >= g->strt.size) growstrtab(L);
  ts = createstrobj(L, l, LUA_TSHRSTR, h);
  memcpy(getstr(ts), str, l * sizeof(char));
  ts->shrlen = cast_byte(l);
  list = &g->strt.hash[lmod(h, g->strt.size)]; /* after the allocation */
  ts->u.hnext = *list;
  *list = ts;
  g->strt.nuse++;
  return ts;
}

TString *str_newlstr(lua_State *L, const char *str, size_t l) {
  TString *ts;
  if (l <= LUAI_MAXSHORTLEN) return internshrstr(L, str, l);
  ts = str_createlngstrobj(L, l);
  memcpy(getstr(ts), str, l * sizeof(char));
  return ts;
}

TString *str_new(lua_State *L, const char *str) {
  return str_newlstr(L, str, strlen(str));
}

Udata *str_newudata(lua_State *L, size_t s) {
  Udata *u;
  if (s > MAX_SIZE - sizeof(UUdata)) mem_toobig(L);
  u = gco2u(mem_newobject(L, LUA_TUSERDATA, sizeludata(s), ML_TAG_USERDATA));
  u->len = s;
  u->metatable = NULL;
  setuservalue(L, u, luaO_nilobject);
  return u;
}
