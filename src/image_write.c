/*
** image_write.c: serializes compiled modules into a portable image file.
** Every buffer is a userdata anchored on the Lua stack, so a memory error
** anywhere leaves nothing behind. The output depends only on the modules:
** names sorted, strings and protos numbered in order of first appearance.
*/
#include <stdlib.h>
#include <string.h>

#include "image.h"

#include "api.h"
#include "lauxlib.h"

/* A growable byte buffer whose storage is the userdata at stack 'slot'. */
typedef struct WBuf {
  lua_State *L;
  int slot;
  unsigned char *p;
  size_t n, cap;
} WBuf;

static void wb_init(WBuf *b, lua_State *L, size_t cap) {
  b->L = L;
  b->p = (unsigned char *)lua_newuserdata(L, cap);
  b->slot = lua_gettop(L);
  b->n = 0;
  b->cap = cap;
}

static void wb_reserve(WBuf *b, size_t more) {
  size_t cap = b->cap;
  unsigned char *np;
  if (more <= b->cap - b->n) return;
  if (more > MAX_SIZE / 2 - b->n) luaL_error(b->L, "image too large");
  while (cap - b->n < more) cap *= 2;
  np = (unsigned char *)lua_newuserdata(b->L, cap);
  memcpy(np, b->p, b->n);
  lua_replace(b->L, b->slot);
  b->p = np;
  b->cap = cap;
}

static void wb_bytes(WBuf *b, const void *s, size_t len) {
  wb_reserve(b, len);
  memcpy(b->p + b->n, s, len);
  b->n += len;
}

static void wb_byte(WBuf *b, int c) {
  unsigned char x = (unsigned char)c;
  wb_bytes(b, &x, 1);
}

static void wb_varint(WBuf *b, uint64_t v) {
  do {
    wb_byte(b, (int)((v & 0x7f) | (v > 0x7f ? 0x80 : 0)));
    v >>= 7;
  } while (v != 0);
}

static void wb_le(WBuf *b, uint64_t v, int nbytes) {
  int i;
  for (i = 0; i < nbytes; i++) wb_byte(b, (int)((v >> (8 * i)) & 0xff));
}

/* Signed values as zigzag varints: small magnitudes stay short. */
static void wb_signed(WBuf *b, int64_t v) {
  uint64_t u = (uint64_t)v;
  wb_varint(b, (u << 1) ^ (v < 0 ? ~(uint64_t)0 : 0));
}

typedef struct Writer {
  lua_State *L;
  int strmap;  /* stack index of a table: string -> its index */
  int strlist; /* stack index of a sequence of the strings, in order */
  uint32_t nstrings, nprotos;
  int strip;
  ImageRomSet rom; /* the ROM strings the references count in */
  WBuf protos;
} Writer;

static void pushstring(lua_State *L, TString *ts) {
  setsvalue2s(L, L->top, ts);
  api_incr_top(L);
}

/* The index of ts in the image's string table, added if new. */
static uint32_t stringindex(Writer *w, TString *ts) {
  lua_State *L = w->L;
  uint32_t idx;
  pushstring(L, ts);
  if (lua_rawget(L, w->strmap) == LUA_TNUMBER) {
    idx = (uint32_t)lua_tointeger(L, -1);
    lua_pop(L, 1);
    return idx;
  }
  lua_pop(L, 1);
  idx = w->nstrings++;
  pushstring(L, ts);
  lua_pushinteger(L, (lua_Integer)idx);
  lua_rawset(L, w->strmap);
  pushstring(L, ts);
  lua_rawseti(L, w->strlist, (lua_Integer)idx + 1);
  return idx;
}

/* An optional string: 0 for none, else its index + 1. */
static void optstring(Writer *w, TString *ts) {
  wb_varint(&w->protos, ts == NULL ? 0 : (uint64_t)stringindex(w, ts) + 1);
}

static void writeconstant(Writer *w, const TValue *o) {
  WBuf *b = &w->protos;
  switch (ttype(o)) {
    case LUA_TNIL: wb_byte(b, IK_NIL); break;
    case LUA_TBOOLEAN: wb_byte(b, bvalue(o) ? IK_TRUE : IK_FALSE); break;
    case LUA_TNUMINT:
      wb_byte(b, IK_INT);
      wb_signed(b, (int64_t)ivalue(o));
      break;
    case LUA_TNUMFLT: {
      lua_Number n = fltvalue(o);
      wb_byte(b, IK_FLT);
      if (sizeof(lua_Number) == 4) {
        uint32_t bits;
        memcpy(&bits, &n, 4);
        wb_le(b, bits, 4);
      } else {
        uint64_t bits;
        memcpy(&bits, &n, 8);
        wb_le(b, bits, 8);
      }
      break;
    }
    default: /* a string: the compiler makes no other constant */
      wb_byte(b, IK_STR);
      wb_varint(b, stringindex(w, tsvalue(o)));
      break;
  }
}

static void writecode(Writer *w, const Proto *f) {
  int i;
  wb_varint(&w->protos, (uint64_t)f->sizecode);
  for (i = 0; i < f->sizecode; i++) wb_le(&w->protos, f->code[i], 4);
  wb_varint(&w->protos, (uint64_t)f->sizek);
  for (i = 0; i < f->sizek; i++) writeconstant(w, &f->k[i]);
  wb_varint(&w->protos, (uint64_t)f->sizeupvalues);
  for (i = 0; i < f->sizeupvalues; i++) {
    wb_byte(&w->protos, f->upvalues[i].instack);
    wb_byte(&w->protos, f->upvalues[i].idx);
    optstring(w, w->strip ? NULL : f->upvalues[i].name);
  }
}

static void writedebug(Writer *w, const Proto *f) {
  WBuf *b = &w->protos;
  int i, nline = w->strip ? 0 : f->sizelineinfo;
  int nabs = w->strip ? 0 : f->sizeabslineinfo;
  int nloc = w->strip ? 0 : f->sizelocvars;
  wb_varint(b, (uint64_t)nline);
  for (i = 0; i < nline; i++) wb_byte(b, (unsigned char)f->lineinfo[i]);
  wb_varint(b, (uint64_t)nabs);
  for (i = 0; i < nabs; i++) {
    wb_varint(b, (uint64_t)f->abslineinfo[i].pc);
    wb_signed(b, f->abslineinfo[i].line);
  }
  wb_varint(b, (uint64_t)nloc);
  for (i = 0; i < nloc; i++) {
    optstring(w, f->locvars[i].varname);
    wb_varint(b, (uint64_t)f->locvars[i].startpc);
    wb_varint(b, (uint64_t)f->locvars[i].endpc);
  }
}

/*
** Children first, so that a proto only names protos of lower index (the
** reader relies on it: no cycles). Returns f's index.
*/
static uint32_t writeproto(Writer *w, const Proto *f) {
  lua_State *L = w->L;
  uint32_t *kids = NULL;
  int i;
  luaL_checkstack(L, 8, "functions nested too deeply");
  if (f->sizep > 0)
    kids = (uint32_t *)lua_newuserdata(L, sizeof(uint32_t) * (size_t)f->sizep);
  for (i = 0; i < f->sizep; i++) kids[i] = writeproto(w, f->p[i]);
  optstring(w, w->strip ? NULL : f->source);
  wb_signed(&w->protos, f->linedefined);
  wb_signed(&w->protos, f->lastlinedefined);
  wb_byte(&w->protos, f->numparams);
  wb_byte(&w->protos, f->is_vararg);
  wb_byte(&w->protos, f->maxstacksize);
  writecode(w, f);
  wb_varint(&w->protos, (uint64_t)f->sizep);
  for (i = 0; i < f->sizep; i++) wb_varint(&w->protos, kids[i]);
  writedebug(w, f);
  if (kids != NULL) lua_pop(L, 1);
  return w->nprotos++;
}

typedef struct ModName {
  const char *s;
  size_t len;
} ModName;

static int cmpnames(const void *a, const void *b) {
  const ModName *x = (const ModName *)a, *y = (const ModName *)b;
  size_t n = x->len < y->len ? x->len : y->len;
  int c = memcmp(x->s, y->s, n);
  if (c != 0) return c;
  return x->len < y->len ? -1 : x->len > y->len;
}

/* The names of the modules, sorted (anchored as keys of 'mods'). */
static ModName *sortednames(lua_State *L, int mods, size_t *n) {
  ModName *names;
  size_t count = 0, i = 0;
  lua_pushnil(L);
  while (lua_next(L, mods)) {
    lua_pop(L, 1);
    if (lua_type(L, -1) != LUA_TSTRING) luaL_error(L, "module names must be strings");
    count++;
  }
  names = (ModName *)lua_newuserdata(L, sizeof(ModName) * (count + 1));
  lua_pushnil(L);
  while (lua_next(L, mods)) {
    lua_pop(L, 1);
    names[i].s = lua_tolstring(L, -1, &names[i].len);
    i++;
  }
  qsort(names, count, sizeof(ModName), cmpnames);
  *n = count;
  return names;
}

static const Proto *moduleproto(lua_State *L, int mods, const ModName *m) {
  const TValue *o;
  lua_pushlstring(L, m->s, m->len);
  lua_rawget(L, mods);
  o = L->top - 1;
  if (!ttisLclosure(o)) luaL_error(L, "module '%s' is not a Lua function", m->s);
  lua_pop(L, 1); /* the closure stays in 'mods' */
  return getproto(o);
}

static void writeheader(WBuf *b, const Writer *w, size_t nmods, int strip,
                        uint64_t buildtime, uint32_t protosat,
                        uint32_t modulesat) {
  wb_bytes(b, IMAGE_MAGIC, IMAGE_MAGICSIZE);
  wb_le(b, IMAGE_VERSION, 2);
  wb_le(b, IMAGE_HEADERSIZE, 2);
  wb_le(b, 0, 4); /* CRC, filled in last */
  wb_le(b, 0, 4); /* file length, idem */
  wb_byte(b, IMAGE_CONFIG);
  wb_byte(b, 1); /* little-endian */
  wb_byte(b, sizeof(Instruction));
  wb_byte(b, sizeof(lua_Integer));
  wb_byte(b, sizeof(lua_Number));
  wb_byte(b, LUAI_MAXSHORTLEN);
  wb_byte(b, strip ? IMAGE_FSTRIPPED : 0);
  wb_byte(b, 0);
  wb_le(b, G(w->L)->seed, 4);
  wb_le(b, buildtime, 8);
  wb_le(b, w->nstrings, 4);
  wb_le(b, w->nprotos, 4);
  wb_le(b, nmods, 4);
  wb_le(b, protosat, 4);
  wb_le(b, modulesat, 4);
  wb_le(b, w->rom.count, 4);
  wb_le(b, w->rom.crc, 4);
  wb_le(b, 0, 4);
}

/* A string whose text is a ROM string is a reference to it: the runtime
** resolves it to the ROM string itself, so the two are one object. */
static void writestrings(WBuf *b, Writer *w) {
  uint32_t i;
  long rom;
  for (i = 0; i < w->nstrings; i++) {
    size_t len;
    const char *s;
    lua_rawgeti(w->L, w->strlist, (lua_Integer)i + 1);
    s = lua_tolstring(w->L, -1, &len);
    rom = image_romindex(s, len);
    if (rom >= 0) {
      wb_varint(b, 2 * (uint64_t)rom + 1);
    } else {
      wb_varint(b, 2 * (uint64_t)len);
      wb_bytes(b, s, len);
    }
    lua_pop(w->L, 1);
  }
}

static void setle32(unsigned char *p, uint32_t v) {
  p[0] = (unsigned char)v;
  p[1] = (unsigned char)(v >> 8);
  p[2] = (unsigned char)(v >> 16);
  p[3] = (unsigned char)(v >> 24);
}

/* Header, strings, protos, module index; then the length and the CRC. */
static void assemble(Writer *w, WBuf *index, size_t nmods, uint64_t buildtime) {
  WBuf out, strings;
  uint32_t protosat;
  wb_init(&strings, w->L, 1024);
  writestrings(&strings, w);
  protosat = (uint32_t)(IMAGE_HEADERSIZE + strings.n);
  if (strings.n + w->protos.n + index->n > 0xffffffffu - IMAGE_HEADERSIZE)
    luaL_error(w->L, "image too large");
  wb_init(&out, w->L, IMAGE_HEADERSIZE + strings.n + w->protos.n + index->n);
  writeheader(&out, w, nmods, w->strip, buildtime, protosat,
              (uint32_t)(protosat + w->protos.n));
  wb_bytes(&out, strings.p, strings.n);
  wb_bytes(&out, w->protos.p, w->protos.n);
  wb_bytes(&out, index->p, index->n);
  setle32(out.p + 16, (uint32_t)out.n);
  setle32(out.p + 12, image_crc32(0, out.p + IMAGE_CRCFROM,
                                  out.n - IMAGE_CRCFROM));
  lua_pushlstring(w->L, (const char *)out.p, out.n);
}

void image_write(lua_State *L, int mods, int strip, uint64_t buildtime) {
  int top = lua_gettop(L);
  Writer w;
  WBuf index;
  size_t n, i;
  ModName *names;
  mods = lua_absindex(L, mods);
  luaL_checkstack(L, 16, "image writer");
  names = sortednames(L, mods, &n);
  w.L = L;
  lua_newtable(L);
  w.strmap = lua_gettop(L);
  lua_newtable(L);
  w.strlist = lua_gettop(L);
  w.nstrings = w.nprotos = 0;
  w.strip = strip;
  image_romset(&w.rom);
  wb_init(&w.protos, L, 4096);
  wb_init(&index, L, 256);
  for (i = 0; i < n; i++) {
    uint32_t p = writeproto(&w, moduleproto(L, mods, &names[i]));
    lua_pushlstring(L, names[i].s, names[i].len);
    wb_varint(&index, stringindex(&w, tsvalue(L->top - 1)));
    lua_pop(L, 1);
    wb_varint(&index, p);
  }
  assemble(&w, &index, n, buildtime);
  lua_replace(L, top + 1);
  lua_settop(L, top + 1);
}
