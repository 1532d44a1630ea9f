/*
** image_read.c: checks a portable image file completely before anything is
** built from it: header, checksum, configuration, ROM strings, every count
** against the bytes left, every string, ROM string and proto index, every
** function's bytecode (verify_code) and line information. It trusts no
** byte, allocates only its index arrays (malloc), and never touches a Lua
** state.
*/
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "image.h"

#include "func.h"
#include "verify.h"

/* The smallest function record: every field in its shortest form, one
** instruction (the final RETURN), no debug information. */
#define MINPROTO 17

typedef struct Reader {
  ImageInfo *im;
  ImageCursor c;
  char *msg;
  size_t msgsize;
  Instruction *code; /* scratch: the function being verified */
  size_t codecap;
  int *nups; /* scratch: upvalue counts of its nested functions */
  size_t nupscap;
} Reader;

static int fail(Reader *r, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(r->msg, r->msgsize, fmt, ap);
  va_end(ap);
  return 0;
}

static int corrupt(Reader *r, const char *what) {
  return fail(r, "corrupt image: %s", what);
}

static size_t left(const Reader *r) {
  return (size_t)(r->c.end - r->c.p);
}

static uint32_t offset(const Reader *r) {
  return (uint32_t)(r->c.p - r->im->data);
}

/* A count of items of at least 'unit' bytes each, that the rest can hold. */
static int getcount(Reader *r, int *n, size_t unit, const char *what) {
  uint64_t v;
  *n = 0;
  if (!image_getvarint(&r->c, &v) || v > (uint64_t)INT_MAX ||
      v > left(r) / unit)
    return corrupt(r, what);
  *n = (int)v;
  return 1;
}

static int getbyte(Reader *r, int *b) {
  *b = image_getbyte(&r->c);
  return *b >= 0 ? 1 : corrupt(r, "truncated function");
}

static int getint(Reader *r, int *out, int lo, const char *what) {
  uint64_t z;
  int64_t v;
  if (!image_getvarint(&r->c, &z)) return corrupt(r, what);
  v = (z & 1) ? -(int64_t)(z >> 1) - 1 : (int64_t)(z >> 1);
  if (v < lo || v > INT_MAX) return corrupt(r, what);
  *out = (int)v;
  return 1;
}

static int getuint(Reader *r, int *out, const char *what) {
  uint64_t v;
  if (!image_getvarint(&r->c, &v) || v > (uint64_t)INT_MAX)
    return corrupt(r, what);
  *out = (int)v;
  return 1;
}

/* An optional string index (0: none); 'required' refuses none. */
static int optstring(Reader *r, int required, const char *what) {
  uint64_t v;
  if (!image_getvarint(&r->c, &v) || v > r->im->nstrings ||
      (required && v == 0))
    return corrupt(r, what);
  return 1;
}

static int grow(Reader *r, void **p, size_t *cap, size_t n, size_t size) {
  void *np;
  if (n <= *cap) return 1;
  np = realloc(*p, n * size);
  if (np == NULL) return fail(r, "not enough memory to check the image");
  *p = np;
  *cap = n;
  return 1;
}

/* --- header and strings ----------------------------------------------- */

static int checkversion(Reader *r, const unsigned char *h, size_t len) {
  if (len < IMAGE_MAGICSIZE || memcmp(h, IMAGE_MAGIC, IMAGE_MAGICSIZE) != 0)
    return fail(r, "not a flash image (bad magic)");
  if (len < IMAGE_HEADERSIZE)
    return fail(r, "truncated image (%lu bytes)", (unsigned long)len);
  if ((h[8] | (h[9] << 8)) != IMAGE_VERSION)
    return fail(r, "image format version %d (this runtime reads version %d)",
                h[8] | (h[9] << 8), IMAGE_VERSION);
  if ((h[10] | (h[11] << 8)) != IMAGE_HEADERSIZE)
    return corrupt(r, "bad header size");
  if (image_getu32(h + 16) != len)
    return fail(r, "truncated image (%lu of %lu bytes)", (unsigned long)len,
                (unsigned long)image_getu32(h + 16));
  if (image_getu32(h + 12) !=
      image_crc32(0, h + IMAGE_CRCFROM, len - IMAGE_CRCFROM))
    return fail(r, "image checksum mismatch");
  return 1;
}

static int checkconfig(Reader *r, const unsigned char *h) {
  if (h[20] != IMAGE_CONFIG)
    return fail(r, "image built for the %s configuration, this runtime is %s",
                image_configname(h[20]), image_configname(IMAGE_CONFIG));
  if (h[21] != 1 || h[22] != sizeof(Instruction) ||
      h[23] != sizeof(lua_Integer) || h[24] != sizeof(lua_Number) ||
      h[25] != LUAI_MAXSHORTLEN)
    return fail(r, "image built with other number sizes or string limits");
  if (image_getu32(h + 28) != IMAGE_SEED)
    return fail(r, "image built with another string hash seed");
  return 1;
}

/* Its references count in the runtime's ROM strings: the same list. */
static int checkrom(Reader *r, const unsigned char *h) {
  ImageRomSet rs;
  uint32_t count = image_getu32(h + 60), crc = image_getu32(h + 64);
  image_romset(&rs);
  if (count != rs.count || crc != rs.crc)
    return fail(r, "image built for another set of ROM strings (%lu, "
                   "fingerprint %08lx; this runtime has %lu, %08lx): "
                   "rebuild it with this runtime's moonletc",
                (unsigned long)count, (unsigned long)crc,
                (unsigned long)rs.count, (unsigned long)rs.crc);
  return 1;
}

static int readheader(Reader *r) {
  ImageInfo *im = r->im;
  const unsigned char *h = im->data;
  size_t len = im->len;
  if (!checkversion(r, h, len) || !checkconfig(r, h) || !checkrom(r, h))
    return 0;
  im->flags = h[26];
  im->seed = image_getu32(h + 28);
  im->time = image_getu32(h + 32) | ((uint64_t)image_getu32(h + 36) << 32);
  im->nstrings = image_getu32(h + 40);
  im->nprotos = image_getu32(h + 44);
  im->nmodules = image_getu32(h + 48);
  im->protosat = image_getu32(h + 52);
  im->modulesat = image_getu32(h + 56);
  /* a string takes a byte at least, a function MINPROTO, a module 2 */
  if (im->protosat < IMAGE_HEADERSIZE || im->modulesat < im->protosat ||
      im->modulesat > len ||
      im->nstrings > im->protosat - IMAGE_HEADERSIZE ||
      im->nprotos > (im->modulesat - im->protosat) / MINPROTO ||
      im->nmodules > (len - im->modulesat) / 2)
    return corrupt(r, "bad section table");
  im->crc = image_crc32(0, h, len);
  return 1;
}

static int readstrings(Reader *r) {
  ImageInfo *im = r->im;
  uint32_t i;
  r->c.p = im->data + IMAGE_HEADERSIZE;
  r->c.end = im->data + im->protosat;
  for (i = 0; i < im->nstrings; i++) {
    uint64_t v;
    im->stroff[i] = offset(r);
    if (!image_getvarint(&r->c, &v)) return corrupt(r, "bad string table");
    if (v & 1) {
      if ((v >> 1) >= im->nrom) return corrupt(r, "bad ROM string reference");
      continue;
    }
    if ((v >> 1) > left(r)) return corrupt(r, "bad string table");
    /* a copy would be a second object with the ROM string's text */
    if (image_isromtext((const char *)r->c.p, (size_t)(v >> 1)))
      return corrupt(r, "string copies a ROM string");
    r->c.p += v >> 1;
  }
  return r->c.p == r->c.end ? 1 : corrupt(r, "bad string table");
}

/* --- functions ---------------------------------------------------------- */

static int readcode(Reader *r, VerifyInfo *vi) {
  int i;
  if (!getcount(r, &vi->sizecode, 4, "bad code size")) return 0;
  if (!grow(r, (void **)&r->code, &r->codecap, (size_t)vi->sizecode + 1,
            sizeof(Instruction)))
    return 0;
  for (i = 0; i < vi->sizecode; i++) {
    r->code[i] = image_getu32(r->c.p);
    r->c.p += 4;
  }
  vi->code = r->code;
  return 1;
}

static int readconstant(Reader *r) {
  int tag = image_getbyte(&r->c);
  uint64_t v;
  switch (tag) {
    case IK_NIL: case IK_FALSE: case IK_TRUE: return 1;
    case IK_INT:
      if (!image_getvarint(&r->c, &v)) return corrupt(r, "bad constant");
      if (sizeof(lua_Integer) == 4 && (v >> 32) != 0)
        return corrupt(r, "bad constant");
      return 1;
    case IK_FLT:
      if (left(r) < sizeof(lua_Number)) return corrupt(r, "bad constant");
      r->c.p += sizeof(lua_Number);
      return 1;
    case IK_STR:
      if (!image_getvarint(&r->c, &v) || v >= r->im->nstrings)
        return corrupt(r, "bad string constant");
      return 1;
    default:
      return corrupt(r, "bad constant");
  }
}

static int readconstants(Reader *r, VerifyInfo *vi) {
  int i;
  if (!getcount(r, &vi->sizek, 1, "bad constant count")) return 0;
  for (i = 0; i < vi->sizek; i++)
    if (!readconstant(r)) return 0;
  return 1;
}

/* Records what the enclosing function must provide for its upvalues. */
static int readupvals(Reader *r, ImageProto *ip, VerifyInfo *vi) {
  int i;
  if (!getcount(r, &vi->sizeupvalues, 3, "bad upvalue count")) return 0;
  if (vi->sizeupvalues > MAXUPVAL) return corrupt(r, "bad upvalue count");
  ip->nups = vi->sizeupvalues;
  ip->maxinstack = ip->maxouter = -1;
  for (i = 0; i < vi->sizeupvalues; i++) {
    int instack = image_getbyte(&r->c), idx = image_getbyte(&r->c);
    if (instack < 0 || instack > 1 || idx < 0)
      return corrupt(r, "bad upvalue descriptor");
    if (instack && idx > ip->maxinstack) ip->maxinstack = idx;
    if (!instack && idx > ip->maxouter) ip->maxouter = idx;
    if (!optstring(r, 0, "bad upvalue name")) return 0;
  }
  return 1;
}

/* Nested functions come before their parent: no cycles are possible. */
static int readnested(Reader *r, uint32_t self, VerifyInfo *vi) {
  int i;
  r->im->protos[self].first = self;
  if (!getcount(r, &vi->sizep, 1, "bad function count")) return 0;
  if (!grow(r, (void **)&r->nups, &r->nupscap, (size_t)vi->sizep + 1,
            sizeof(int)))
    return 0;
  for (i = 0; i < vi->sizep; i++) {
    uint64_t v;
    const ImageProto *kid;
    if (!image_getvarint(&r->c, &v) || v >= self)
      return corrupt(r, "bad nested function");
    kid = &r->im->protos[v];
    if (kid->maxinstack >= vi->maxstacksize ||
        kid->maxouter >= vi->sizeupvalues)
      return corrupt(r, "bad upvalue descriptor");
    r->nups[i] = kid->nups;
    if (kid->first < r->im->protos[self].first)
      r->im->protos[self].first = kid->first;
  }
  vi->nested_nups = r->nups;
  return 1;
}

/*
** Line information decodes (func_getline) to lines in [0, INT_MAX]: one
** absolute entry per ML_ABSLINEINFO mark, at that pc, in order.
*/
static int readlines(Reader *r, int sizecode, int linedefined) {
  int nline, nabs, pc, ai = 0;
  long long line = linedefined;
  const unsigned char *deltas;
  if (!getcount(r, &nline, 1, "bad line information")) return 0;
  if (nline != 0 && nline != sizecode)
    return corrupt(r, "bad line information");
  deltas = r->c.p;
  r->c.p += nline;
  if (!getcount(r, &nabs, 2, "bad line information")) return 0;
  for (pc = 0; pc < nline; pc++) {
    ls_byte d = (ls_byte)deltas[pc];
    int abspc = 0, absline = 0;
    if (d != ML_ABSLINEINFO) {
      line += d;
    } else {
      if (ai++ >= nabs || !getuint(r, &abspc, "bad line information") ||
          !getint(r, &absline, 0, "bad line information"))
        return corrupt(r, "bad line information");
      if (abspc != pc) return corrupt(r, "bad line information");
      line = absline;
    }
    if (line < 0 || line > INT_MAX) return corrupt(r, "bad line information");
  }
  return ai == nabs ? 1 : corrupt(r, "bad line information");
}

static int readlocals(Reader *r) {
  int n, i, pc;
  if (!getcount(r, &n, 3, "bad local variables")) return 0;
  for (i = 0; i < n; i++) {
    if (!optstring(r, 1, "bad local variable name") ||
        !getuint(r, &pc, "bad local variable") ||
        !getuint(r, &pc, "bad local variable"))
      return 0;
  }
  return 1;
}

static int readproto(Reader *r, uint32_t self) {
  ImageProto *ip = &r->im->protos[self];
  VerifyInfo vi;
  int line, lastline, numparams, isvararg, maxstack;
  const char *msg;
  ip->at = offset(r);
  if (!optstring(r, 0, "bad source name") ||
      !getint(r, &line, INT_MIN, "bad line") ||
      !getint(r, &lastline, INT_MIN, "bad line") ||
      !getbyte(r, &numparams) || !getbyte(r, &isvararg) ||
      !getbyte(r, &maxstack))
    return 0;
  vi.numparams = numparams;
  vi.is_vararg = isvararg;
  vi.maxstacksize = maxstack;
  if (!readcode(r, &vi) || !readconstants(r, &vi) ||
      !readupvals(r, ip, &vi) || !readnested(r, self, &vi) ||
      !readlines(r, vi.sizecode, line) || !readlocals(r))
    return 0;
  if ((msg = verify_code(&vi)) != NULL)
    return fail(r, "bad bytecode in image: function %lu (line %d): %s",
                (unsigned long)self, line, msg);
  return 1;
}

static int readprotos(Reader *r) {
  uint32_t i;
  r->c.p = r->im->data + r->im->protosat;
  r->c.end = r->im->data + r->im->modulesat;
  for (i = 0; i < r->im->nprotos; i++)
    if (!readproto(r, i)) return 0;
  return r->c.p == r->c.end ? 1 : corrupt(r, "bad function section");
}

/* --- module index ------------------------------------------------------- */

static int namecmp(const unsigned char *a, size_t la, const unsigned char *b,
                   size_t lb) {
  int c = memcmp(a, b, la < lb ? la : lb);
  if (c != 0) return c;
  return la < lb ? -1 : la > lb;
}

/* Names strictly increasing: sorted and unique, for a binary search. */
static int readmodules(Reader *r) {
  ImageInfo *im = r->im;
  const unsigned char *prev = NULL;
  size_t prevlen = 0;
  uint32_t i;
  r->c.p = im->data + im->modulesat;
  r->c.end = im->data + im->len;
  for (i = 0; i < im->nmodules; i++) {
    uint64_t name, proto;
    const unsigned char *s;
    size_t len;
    if (!image_getvarint(&r->c, &name) || name >= im->nstrings ||
        !image_getvarint(&r->c, &proto) || proto >= im->nprotos)
      return corrupt(r, "bad module index");
    s = image_stringat(im, (uint32_t)name, &len);
    if (prev != NULL && namecmp(prev, prevlen, s, len) >= 0)
      return corrupt(r, "module index not sorted");
    prev = s;
    prevlen = len;
  }
  return r->c.p == r->c.end ? 1 : corrupt(r, "bad module index");
}

/* --- entry points ------------------------------------------------------- */

static int allocate(Reader *r) {
  ImageInfo *im = r->im;
  im->stroff = (uint32_t *)malloc(sizeof(uint32_t) * (im->nstrings + 1));
  im->protos = (ImageProto *)malloc(sizeof(ImageProto) * (im->nprotos + 1));
  im->nrom = image_romlist(NULL);
  im->rom = (const TString **)malloc(sizeof(TString *) * (im->nrom + 1));
  if (im->rom != NULL) image_romlist(im->rom);
  if (im->stroff == NULL || im->protos == NULL || im->rom == NULL)
    return fail(r, "not enough memory to check the image");
  return 1;
}

const char *image_read(ImageInfo *im, const void *data, size_t len,
                       char *msg, size_t msgsize) {
  Reader r;
  int ok;
  memset(im, 0, sizeof *im);
  im->data = (const unsigned char *)data;
  im->len = len;
  r.im = im;
  r.msg = msg;
  r.msgsize = msgsize;
  r.code = NULL;
  r.codecap = 0;
  r.nups = NULL;
  r.nupscap = 0;
  ok = readheader(&r) && allocate(&r) && readstrings(&r) &&
       readprotos(&r) && readmodules(&r);
  free(r.code);
  free(r.nups);
  im->config = IMAGE_CONFIG;
  return ok ? NULL : msg;
}

void image_free(ImageInfo *im) {
  free(im->stroff);
  free(im->protos);
  free(im->rom);
  im->stroff = NULL;
  im->protos = NULL;
  im->rom = NULL;
}
