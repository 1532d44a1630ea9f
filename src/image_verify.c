/*
** image_verify.c: checks a native slot that this process did not build (a
** device mounting an image in place, a slot read back from a file) before
** any of it is used: every pointer inside the slot, aligned, to an object
** of the right type and mark, or exactly to one of this build's ROM
** strings; the string table's chains, none of them a ROM text; the
** functions as a tree (children below their parent, each visited once) and
** their code through verify_proto. Reads only; allocates nothing.
*/
#include <string.h>

#include "image.h"

#include "str.h"
#include "verify.h"

#define MAXDEPTH LUAI_MAXCCALLS

typedef struct Checker {
  const char *lo, *hi; /* where objects may lie: after the header, before
                          the bitmap */
  uint32_t visits, nprotos;
  ImageRomSet rom;
  const char *msg;
} Checker;

static int bad(Checker *ck, const char *msg) {
  if (ck->msg == NULL) ck->msg = msg;
  return 0;
}

/* n objects of 'size' bytes at p, inside the object area and aligned. */
static int inside(const Checker *ck, const void *p, size_t n, size_t size,
                  size_t align) {
  const char *s = (const char *)p;
  if (s < ck->lo || s > ck->hi || ((uintptr_t)s % align) != 0) return 0;
  return size == 0 || n <= (size_t)(ck->hi - s) / size;
}

/* An optional array: NULL exactly when empty. */
static int array(Checker *ck, const void *p, int n, size_t size,
                 size_t align) {
  if (n < 0) return bad(ck, "bad array size in slot");
  if (n == 0) return p == NULL ? 1 : bad(ck, "bad array in slot");
  return inside(ck, p, (size_t)n, size, align) ? 1
                                               : bad(ck, "array outside the slot");
}

static int checkstring(Checker *ck, const TString *ts) {
  size_t len;
  if (!inside(ck, ts, 1, sizeof(TString), FLASH_ALIGN))
    return bad(ck, "string outside the slot");
  if (ts->marked != FLASH_MARK) return bad(ck, "bad string mark");
  if (ts->tt == LUA_TSHRSTR) {
    len = ts->shrlen;
    if (len > LUAI_MAXSHORTLEN) return bad(ck, "bad short string");
  } else if (ts->tt == LUA_TLNGSTR) {
    len = ts->u.lnglen;
    if (len <= LUAI_MAXSHORTLEN || ts->extra == 0)
      return bad(ck, "bad long string");
  } else {
    return bad(ck, "bad string tag");
  }
  if ((size_t)(ck->hi - getstr(ts)) <= len || getstr(ts)[len] != '\0')
    return bad(ck, "string outside the slot");
  if (ts->hash != str_hash(getstr(ts), len, IMAGE_SEED))
    return bad(ck, "bad string hash");
  if (ts->tt == LUA_TSHRSTR && ts->extra != image_reservedindex(getstr(ts), len))
    return bad(ck, "bad reserved-word mark"); /* the lexer trusts it */
  return 1;
}

/* A string of the slot, or a ROM string the image refers to. */
static int anystring(Checker *ck, const TString *ts) {
  return image_isromstring(ts, &ck->rom) || checkstring(ck, ts);
}

static int optstring(Checker *ck, const TString *ts) {
  return ts == NULL || anystring(ck, ts);
}

static int checkconstants(Checker *ck, const Proto *f) {
  int i;
  for (i = 0; i < f->sizek; i++) {
    const TValue *o = &f->k[i];
    switch (ttype(o)) {
      case LUA_TNIL: case LUA_TBOOLEAN: case LUA_TNUMINT: case LUA_TNUMFLT:
        if (rttype(o) != ttype(o)) return bad(ck, "bad constant");
        break;
      case LUA_TSHRSTR: case LUA_TLNGSTR:
        if (!anystring(ck, tsvalue(o))) return 0;
        if (rttype(o) != ctb(tsvalue(o)->tt))
          return bad(ck, "bad string constant");
        break;
      default:
        return bad(ck, "bad constant");
    }
  }
  return 1;
}

static int checkarrays(Checker *ck, const Proto *f) {
  int i;
  if (!array(ck, f->code, f->sizecode, sizeof(Instruction), sizeof(Instruction)) ||
      !array(ck, f->k, f->sizek, sizeof(TValue), FLASH_ALIGN) ||
      !array(ck, f->p, f->sizep, sizeof(Proto *), sizeof(void *)) ||
      !array(ck, f->lineinfo, f->sizelineinfo, 1, 1) ||
      !array(ck, f->abslineinfo, f->sizeabslineinfo, sizeof(AbsLineInfo),
             sizeof(int)) ||
      !array(ck, f->locvars, f->sizelocvars, sizeof(LocVar), sizeof(void *)) ||
      !array(ck, f->upvalues, f->sizeupvalues, sizeof(Upvaldesc),
             sizeof(void *)))
    return 0;
  for (i = 0; i < f->sizeupvalues; i++)
    if (!optstring(ck, f->upvalues[i].name)) return 0;
  for (i = 0; i < f->sizelocvars; i++)
    if (!anystring(ck, f->locvars[i].varname)) return 0;
  return optstring(ck, f->source) && checkconstants(ck, f);
}

/* Children lie below their parent (the builder writes them first), so
** the walk ends; each proto is visited once at most. */
static int checkproto(Checker *ck, const Proto *f, int depth) {
  int i;
  if (depth > MAXDEPTH) return bad(ck, "functions nested too deep");
  if (++ck->visits > ck->nprotos) return bad(ck, "functions shared in slot");
  if (!inside(ck, f, 1, sizeof(Proto), FLASH_ALIGN))
    return bad(ck, "function outside the slot");
  if (f->tt != LUA_TPROTO || f->marked != FLASH_MARK || f->gclist != NULL)
    return bad(ck, "bad function header");
  if (!checkarrays(ck, f)) return 0;
  for (i = 0; i < f->sizep; i++) {
    if ((const char *)f->p[i] >= (const char *)f)
      return bad(ck, "bad nested function");
    if (!checkproto(ck, f->p[i], depth + 1)) return 0;
  }
  return 1;
}

static int checkstringtable(Checker *ck, const ROStringTable *t,
                            uint32_t nstrings) {
  unsigned int b;
  uint32_t seen = 0;
  if (!inside(ck, t, 1, sizeof(ROStringTable), sizeof(void *)) ||
      t->size == 0 || t->size > nstrings + 1 ||
      !inside(ck, t->hash, t->size, sizeof(void *), sizeof(void *)))
    return bad(ck, "bad string table");
  for (b = 0; b < t->size; b++) {
    const TString *ts;
    for (ts = t->hash[b]; ts != NULL; ts = ts->u.hnext) {
      if (++seen > nstrings || !checkstring(ck, ts) ||
          ts->tt != LUA_TSHRSTR || ts->hash % t->size != b)
        return bad(ck, "bad string table");
      if (image_isromtext(getstr(ts), ts->shrlen)) /* one identity */
        return bad(ck, "slot string copies a ROM string");
    }
  }
  return 1;
}

static int namecmp(const TString *a, const TString *b) {
  size_t la = tsslen(a), lb = tsslen(b);
  int c = memcmp(getstr(a), getstr(b), la < lb ? la : lb);
  if (c != 0) return c;
  return la < lb ? -1 : la > lb;
}

static int checkmodules(Checker *ck, const FlashHeader *h) {
  uint32_t i;
  if (h->nmodules > 0 &&
      !inside(ck, h->modules, h->nmodules, sizeof(FlashModule), sizeof(void *)))
    return bad(ck, "bad module index");
  for (i = 0; i < h->nmodules; i++) {
    const FlashModule *m = &h->modules[i];
    const char *msg;
    if (!anystring(ck, m->name) || !checkproto(ck, m->main, 0)) return 0;
    if ((msg = verify_proto(m->main)) != NULL) return bad(ck, msg);
    if (i > 0 && namecmp(h->modules[i - 1].name, m->name) >= 0)
      return bad(ck, "module index not sorted");
  }
  return 1;
}

const char *image_verifyslot(const void *slot) {
  const FlashHeader *h = (const FlashHeader *)slot;
  Checker ck;
  if (h->base != (uintptr_t)slot) return "slot built for another address";
  image_romset(&ck.rom);
  if (h->romrefs > 0 && h->rombase != ck.rom.base)
    return "slot built for another address of the ROM strings (moonletc -r)";
  ck.lo = (const char *)slot + sizeof(FlashHeader);
  ck.hi = (const char *)slot + h->relocat;
  ck.visits = 0;
  ck.nprotos = h->nprotos;
  ck.msg = NULL;
  if (checkstringtable(&ck, h->strings, h->nstrings)) checkmodules(&ck, h);
  return ck.msg;
}
