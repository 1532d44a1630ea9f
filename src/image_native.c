/*
** image_native.c: the native flash slot. Builds one from a checked image
** with a bump allocator (a first pass only measures), marks every pointer
** it stores in a relocation bitmap (so a slot can be moved to another
** base address: a file slot mapped elsewhere, a device image built on the
** desktop), and checks slots it did not build. Objects in a slot point
** only into the slot or to the ROM strings (rom.c) the image refers to,
** and are never written once the header is sealed.
*/
#include <stdlib.h>
#include <string.h>

#include "image.h"

#include "str.h"
#include "verify.h"

#define PTRSIZE sizeof(void *)

static size_t alignup(size_t n) {
  return (n + FLASH_ALIGN - 1) & ~(size_t)(FLASH_ALIGN - 1);
}

/* --- the builder ---------------------------------------------------------- */

typedef struct Builder {
  const ImageInfo *im;
  char *slot;             /* NULL while measuring */
  size_t used;
  unsigned char *bitmap;  /* one bit per pointer-sized word of the slot */
  TString **strings;      /* per string index, its object */
  Proto **protos;         /* per proto index */
  unsigned int nshort;    /* short strings: the string table's size */
  ImageRomSet rom;        /* the ROM strings' block */
  uint32_t romrefs;       /* pointers to it stored so far */
} Builder;

/* Room for 'size' bytes; NULL while measuring or for an empty array. */
static void *bump(Builder *b, size_t size) {
  size_t at;
  if (size == 0) return NULL;
  at = alignup(b->used);
  b->used = at + size;
  return b->slot != NULL ? b->slot + at : NULL;
}

static int isrom(const Builder *b, const void *p) {
  return (uintptr_t)p - b->rom.base < b->rom.size;
}

/* The word at 'field' holds a pointer into the slot or to a ROM string:
** the header's address ranges tell them apart when the slot moves. */
static void mark(Builder *b, const void *field) {
  size_t word = (size_t)((const char *)field - b->slot) / PTRSIZE;
  void *p;
  memcpy(&p, field, PTRSIZE);
  if (isrom(b, p)) b->romrefs++;
  b->bitmap[word / 8] |= (unsigned char)(1u << (word % 8));
}

/* A reference to a ROM string takes no room: it is the ROM string. */
static void buildstring(Builder *b, uint32_t i) {
  size_t len;
  const unsigned char *s;
  const TString *rom = image_romref(b->im, i);
  TString *ts;
  if (rom != NULL) {
    if (b->slot != NULL) b->strings[i] = (TString *)rom;
    return;
  }
  s = image_stringat(b->im, i, &len);
  ts = (TString *)bump(b, sizelstring(len));
  int isshort = len <= LUAI_MAXSHORTLEN;
  if (isshort) b->nshort++;
  if (ts == NULL) return;
  b->strings[i] = ts;
  ts->tt = isshort ? LUA_TSHRSTR : LUA_TLNGSTR;
  ts->marked = FLASH_MARK;
  ts->hash = str_hash((const char *)s, len, IMAGE_SEED);
  if (isshort) {
    ts->extra = image_reservedindex((const char *)s, len);
    ts->shrlen = cast_byte(len);
    ts->u.hnext = NULL;
  } else {
    ts->extra = 1; /* the hash is computed: str_hashlongstr never writes */
    ts->u.lnglen = len;
  }
  memcpy(getstr(ts), s, len);
  getstr(ts)[len] = '\0';
}

/* The chains of the read-only string table, linked through u.hnext,
** bucket = hash % size (str.c's lookup). */
static ROStringTable *buildstringtable(Builder *b) {
  unsigned int size = b->nshort > 0 ? b->nshort : 1, i;
  ROStringTable *t = (ROStringTable *)bump(b, sizeof(ROStringTable));
  const TString **buckets = (const TString **)bump(b, size * PTRSIZE);
  if (t == NULL) return NULL;
  t->hash = buckets;
  t->size = size;
  mark(b, &t->hash);
  for (i = 0; i < b->im->nstrings; i++) {
    TString *ts = b->strings[i];
    const TString **list;
    if (ts->tt != LUA_TSHRSTR || isrom(b, ts)) continue;
    list = &buckets[ts->hash % size];
    ts->u.hnext = (TString *)*list;
    if (*list != NULL) mark(b, &ts->u.hnext);
    *list = ts;
    mark(b, list);
  }
  return t;
}

static uint64_t getvarint(ImageCursor *c) {
  uint64_t v = 0;
  image_getvarint(c, &v); /* checked by image_read */
  return v;
}

static int getsigned(ImageCursor *c) {
  uint64_t z = getvarint(c);
  return (int)((z & 1) ? -(int64_t)(z >> 1) - 1 : (int64_t)(z >> 1));
}

/* An optional string (index + 1, 0 for none), pointer marked. */
static void setstring(Builder *b, ImageCursor *c, TString **field) {
  uint64_t v = getvarint(c);
  if (field == NULL) return;
  *field = v == 0 ? NULL : b->strings[v - 1];
  if (*field != NULL) mark(b, field);
}

static lua_Number getfloat(ImageCursor *c) {
  lua_Number n;
  if (sizeof(lua_Number) == 4) {
    uint32_t bits = image_getu32(c->p);
    memcpy(&n, &bits, sizeof n);
  } else {
    uint64_t bits = image_getu32(c->p) | ((uint64_t)image_getu32(c->p + 4) << 32);
    memcpy(&n, &bits, sizeof n);
  }
  c->p += sizeof(lua_Number);
  return n;
}

static void buildconstant(Builder *b, ImageCursor *c, TValue *o) {
  int tag = image_getbyte(c);
  TValue v;
  setivalue(&v, 0);
  setnilvalue(&v);
  switch (tag) {
    case IK_FALSE: setbvalue(&v, 0); break;
    case IK_TRUE: setbvalue(&v, 1); break;
    case IK_INT: {
      uint64_t z = getvarint(c);
      int64_t i = (z & 1) ? -(int64_t)(z >> 1) - 1 : (int64_t)(z >> 1);
      setivalue(&v, (lua_Integer)i);
      break;
    }
    case IK_FLT: setfltvalue(&v, getfloat(c)); break;
    case IK_STR: {
      uint64_t idx = getvarint(c);
      if (o != NULL) setsvalue(NULL, &v, b->strings[idx]);
      break;
    }
    default: break; /* IK_NIL */
  }
  if (o == NULL) return;
  setobj(NULL, o, &v);
  if (iscollectable(o)) mark(b, &o->value_.gc);
}

static void buildcode(Builder *b, ImageCursor *c, Proto *f) {
  int n = (int)getvarint(c), i;
  Instruction *code = (Instruction *)bump(b, (size_t)n * sizeof(Instruction));
  if (f != NULL) {
    f->sizecode = n;
    f->code = code;
    if (code != NULL) mark(b, &f->code);
    for (i = 0; i < n; i++) code[i] = image_getu32(c->p + 4 * (size_t)i);
  }
  c->p += 4 * (size_t)n;
}

static void buildconstants(Builder *b, ImageCursor *c, Proto *f) {
  int n = (int)getvarint(c), i;
  TValue *k = (TValue *)bump(b, (size_t)n * sizeof(TValue));
  if (f != NULL) {
    f->sizek = n;
    f->k = k;
    if (k != NULL) mark(b, &f->k);
  }
  for (i = 0; i < n; i++) buildconstant(b, c, k != NULL ? &k[i] : NULL);
}

static void buildupvalues(Builder *b, ImageCursor *c, Proto *f) {
  int n = (int)getvarint(c), i;
  Upvaldesc *uv = (Upvaldesc *)bump(b, (size_t)n * sizeof(Upvaldesc));
  if (f != NULL) {
    f->sizeupvalues = n;
    f->upvalues = uv;
    if (uv != NULL) mark(b, &f->upvalues);
  }
  for (i = 0; i < n; i++) {
    int instack = image_getbyte(c), idx = image_getbyte(c);
    if (uv != NULL) {
      uv[i].instack = cast_byte(instack);
      uv[i].idx = cast_byte(idx);
    }
    setstring(b, c, uv != NULL ? &uv[i].name : NULL);
  }
}

static void buildnested(Builder *b, ImageCursor *c, Proto *f) {
  int n = (int)getvarint(c), i;
  Proto **p = (Proto **)bump(b, (size_t)n * PTRSIZE);
  if (f != NULL) {
    f->sizep = n;
    f->p = p;
    if (p != NULL) mark(b, &f->p);
  }
  for (i = 0; i < n; i++) {
    uint64_t idx = getvarint(c);
    if (p != NULL) {
      p[i] = b->protos[idx];
      mark(b, &p[i]);
    }
  }
}

static void buildlines(Builder *b, ImageCursor *c, Proto *f) {
  int n = (int)getvarint(c), nabs, i;
  ls_byte *li = (ls_byte *)bump(b, (size_t)n);
  AbsLineInfo *abs;
  if (li != NULL) memcpy(li, c->p, (size_t)n);
  c->p += n;
  nabs = (int)getvarint(c);
  abs = (AbsLineInfo *)bump(b, (size_t)nabs * sizeof(AbsLineInfo));
  if (f != NULL) {
    f->sizelineinfo = n;
    f->lineinfo = li;
    if (li != NULL) mark(b, &f->lineinfo);
    f->sizeabslineinfo = nabs;
    f->abslineinfo = abs;
    if (abs != NULL) mark(b, &f->abslineinfo);
  }
  for (i = 0; i < nabs; i++) {
    int pc = (int)getvarint(c), line = getsigned(c);
    if (abs != NULL) {
      abs[i].pc = pc;
      abs[i].line = line;
    }
  }
}

static void buildlocals(Builder *b, ImageCursor *c, Proto *f) {
  int n = (int)getvarint(c), i;
  LocVar *lv = (LocVar *)bump(b, (size_t)n * sizeof(LocVar));
  if (f != NULL) {
    f->sizelocvars = n;
    f->locvars = lv;
    if (lv != NULL) mark(b, &f->locvars);
  }
  for (i = 0; i < n; i++) {
    setstring(b, c, lv != NULL ? &lv[i].varname : NULL);
    if (lv != NULL) {
      lv[i].startpc = (int)getvarint(c);
      lv[i].endpc = (int)getvarint(c);
    } else {
      getvarint(c);
      getvarint(c);
    }
  }
}

/* The record's fields in file order; arrays allocated as they come. */
static void buildproto(Builder *b, uint32_t i) {
  ImageCursor c;
  Proto *f = (Proto *)bump(b, sizeof(Proto));
  c.p = b->im->data + b->im->protos[i].at;
  c.end = b->im->data + b->im->modulesat;
  if (f != NULL) {
    b->protos[i] = f;
    f->tt = LUA_TPROTO;
    f->marked = FLASH_MARK;
    f->gclist = NULL;
  }
  setstring(b, &c, f != NULL ? &f->source : NULL);
  if (f != NULL) {
    f->linedefined = getsigned(&c);
    f->lastlinedefined = getsigned(&c);
    f->numparams = cast_byte(image_getbyte(&c));
    f->is_vararg = cast_byte(image_getbyte(&c));
    f->maxstacksize = cast_byte(image_getbyte(&c));
  } else {
    getvarint(&c);
    getvarint(&c);
    c.p += 3;
  }
  buildcode(b, &c, f);
  buildconstants(b, &c, f);
  buildupvalues(b, &c, f);
  buildnested(b, &c, f);
  buildlines(b, &c, f);
  buildlocals(b, &c, f);
}

static FlashModule *buildmodules(Builder *b) {
  const ImageInfo *im = b->im;
  FlashModule *m = (FlashModule *)bump(b, im->nmodules * sizeof(FlashModule));
  ImageCursor c;
  uint32_t i;
  c.p = im->data + im->modulesat;
  c.end = im->data + im->len;
  for (i = 0; i < im->nmodules; i++) {
    uint64_t name = getvarint(&c), proto = getvarint(&c);
    if (m == NULL) continue;
    m[i].name = b->strings[name];
    m[i].main = b->protos[proto];
    mark(b, &m[i].name);
    mark(b, &m[i].main);
  }
  return m;
}

/* Everything but the header and the bitmap, in one fixed order. */
static void buildobjects(Builder *b, ROStringTable **strings,
                         FlashModule **modules) {
  uint32_t i;
  b->used = 0;
  b->nshort = 0;
  bump(b, sizeof(FlashHeader));
  for (i = 0; i < b->im->nstrings; i++) buildstring(b, i);
  *strings = buildstringtable(b);
  for (i = 0; i < b->im->nprotos; i++) buildproto(b, i);
  *modules = buildmodules(b);
}

/* Objects end at 'bitmapat'; the bitmap covers every word before it. */
static size_t bitmapsize(size_t bitmapat) {
  return (bitmapat / PTRSIZE + 7) / 8;
}

static size_t measure(const ImageInfo *im, size_t *bitmapat) {
  Builder b;
  ROStringTable *strings;
  FlashModule *modules;
  memset(&b, 0, sizeof b);
  b.im = im;
  image_romset(&b.rom);
  buildobjects(&b, &strings, &modules);
  *bitmapat = alignup(b.used);
  return *bitmapat + bitmapsize(*bitmapat);
}

size_t image_nativesize(const ImageInfo *im) {
  size_t bitmapat;
  return measure(im, &bitmapat);
}

static void sealheader(FlashHeader *h) {
  h->bodycrc = image_crc32(0, (const char *)h + sizeof(FlashHeader),
                           h->size - sizeof(FlashHeader));
  h->headcrc = image_crc32(0, h, offsetof(FlashHeader, headcrc));
}

static void fillheader(Builder *b, const ImageInfo *im, uint32_t generation,
                       size_t size, size_t bitmapat) {
  FlashHeader *h = (FlashHeader *)b->slot;
  memcpy(h->magic, FLASH_MAGIC, sizeof h->magic);
  h->version = IMAGE_VERSION;
  h->layout = image_layout();
  h->generation = generation;
  h->size = (uint32_t)size;
  h->srccrc = im->crc;
  h->srclen = (uint32_t)im->len;
  h->seed = im->seed;
  h->time_lo = (uint32_t)im->time;
  h->time_hi = (uint32_t)(im->time >> 32);
  h->nstrings = im->nstrings;
  h->nprotos = im->nprotos;
  h->nmodules = im->nmodules;
  h->relocat = (uint32_t)bitmapat;
  h->config = IMAGE_CONFIG;
  h->ptrsize = PTRSIZE;
  h->romcount = b->rom.count;
  h->romcrc = b->rom.crc;
  h->romsize = b->rom.size;
  h->base = (uintptr_t)b->slot;
  h->rombase = b->rom.base;
  if (h->strings != NULL) mark(b, &h->strings);
  if (h->modules != NULL) mark(b, &h->modules);
  h->romrefs = b->romrefs;
  sealheader(h);
}

int image_build(const ImageInfo *im, void *slot, uint32_t generation) {
  Builder b;
  size_t bitmapat, size = measure(im, &bitmapat);
  ROStringTable *strings;
  FlashModule *modules;
  memset(&b, 0, sizeof b);
  b.im = im;
  image_romset(&b.rom);
  b.slot = (char *)slot;
  b.strings = (TString **)malloc(PTRSIZE * (im->nstrings + 1));
  b.protos = (Proto **)malloc(PTRSIZE * (im->nprotos + 1));
  if (b.strings == NULL || b.protos == NULL) {
    free(b.strings);
    free(b.protos);
    return 0;
  }
  memset(slot, 0, size);
  b.bitmap = (unsigned char *)slot + bitmapat;
  buildobjects(&b, &strings, &modules);
  ((FlashHeader *)slot)->strings = strings;
  ((FlashHeader *)slot)->modules = modules;
  fillheader(&b, im, generation, size, bitmapat);
  free(b.strings);
  free(b.protos);
  return 1;
}

/* --- moving and checking slots ------------------------------------------- */

/* A marked word pointing elsewhere than both ranges is left as it is:
** image_verifyslot refuses it. */
void image_relocate(void *slot, uintptr_t newbase, uintptr_t newrombase) {
  FlashHeader *h = (FlashHeader *)slot;
  const unsigned char *bitmap = (const unsigned char *)slot + h->relocat;
  size_t w, nwords = h->relocat / PTRSIZE;
  for (w = 0; w < nwords; w++) {
    if (bitmap[w / 8] & (1u << (w % 8))) {
      char *at = (char *)slot + w * PTRSIZE;
      uintptr_t v;
      memcpy(&v, at, PTRSIZE);
      if (v - h->base < h->size) v += newbase - h->base;
      else if (v - h->rombase < h->romsize) v += newrombase - h->rombase;
      memcpy(at, &v, PTRSIZE);
    }
  }
  h->base = newbase;
  h->rombase = newrombase;
  sealheader(h);
}

const char *image_checkslot(const void *slot, size_t avail) {
  const FlashHeader *h = (const FlashHeader *)slot;
  ImageRomSet rs;
  if (avail < sizeof(FlashHeader) ||
      memcmp(h->magic, FLASH_MAGIC, sizeof h->magic) != 0)
    return "no image in the slot";
  /* version and layout come first, at offsets every layout shares */
  if (h->version != IMAGE_VERSION || h->layout != image_layout())
    return "slot built for another runtime configuration or layout";
  if (h->headcrc != image_crc32(0, h, offsetof(FlashHeader, headcrc)))
    return "incomplete slot header";
  image_romset(&rs);
  if (h->romcount != rs.count || h->romcrc != rs.crc || h->romsize != rs.size)
    return "slot built for another set of ROM strings";
  if (h->size < sizeof(FlashHeader) || h->size > avail ||
      h->relocat < sizeof(FlashHeader) || h->relocat > h->size ||
      h->size - h->relocat < bitmapsize(h->relocat))
    return "bad slot size";
  if (h->bodycrc != image_crc32(0, (const char *)slot + sizeof(FlashHeader),
                                h->size - sizeof(FlashHeader)))
    return "slot checksum mismatch";
  return NULL;
}
