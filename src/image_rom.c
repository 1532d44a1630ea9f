/*
** image_rom.c: the compile-time ROM strings (rom.c) as images see them. An
** image refers to ROM string #i instead of copying its text; i counts the
** strings of ml_romstrtab bucket by bucket, each chain from its head, so
** every build made from the same generated tables numbers them alike.
** Reads the ROM only; allocates nothing, keeps no state.
*/
#include <string.h>

#include "image.h"

#include "str.h"

/* The ROM string after 'ts' in index order (NULL: the first), or NULL. */
static const TString *romnext(const TString *ts, unsigned int *bucket) {
  if (ts != NULL && ts->u.hnext != NULL) return ts->u.hnext;
  if (ts != NULL) ++*bucket;
  else *bucket = 0;
  for (; *bucket < ml_romstrtab.size; ++*bucket)
    if (ml_romstrtab.hash[*bucket] != NULL) return ml_romstrtab.hash[*bucket];
  return NULL;
}

void image_romset(ImageRomSet *rs) {
  const TString *ts = NULL;
  unsigned int b = 0;
  uintptr_t lo = UINTPTR_MAX, hi = 0;
  rs->count = 0;
  rs->crc = 0;
  while ((ts = romnext(ts, &b)) != NULL) {
    unsigned char len = ts->shrlen;
    uintptr_t at = (uintptr_t)ts, end = (uintptr_t)(getstr(ts) + len + 1);
    rs->count++;
    rs->crc = image_crc32(rs->crc, &len, 1);
    rs->crc = image_crc32(rs->crc, getstr(ts), len);
    if (at < lo) lo = at;
    if (end > hi) hi = end;
  }
  rs->base = rs->count > 0 ? lo : 0;
  rs->size = rs->count > 0 ? (uint32_t)(hi - lo) : 0;
}

uint32_t image_romlist(const TString **list) {
  const TString *ts = NULL;
  unsigned int b = 0;
  uint32_t n = 0;
  while ((ts = romnext(ts, &b)) != NULL) {
    if (list != NULL) list[n] = ts;
    n++;
  }
  return n;
}

static const TString *romfind(const char *s, size_t len) {
  unsigned int h;
  const TString *ts;
  if (len > LUAI_MAXSHORTLEN || ml_romstrtab.size == 0) return NULL;
  h = str_hash(s, len, IMAGE_SEED);
  for (ts = ml_romstrtab.hash[h % ml_romstrtab.size]; ts; ts = ts->u.hnext)
    if (ts->hash == h && ts->shrlen == len && memcmp(getstr(ts), s, len) == 0)
      return ts;
  return NULL;
}

int image_isromtext(const char *s, size_t len) {
  return romfind(s, len) != NULL;
}

long image_romindex(const char *s, size_t len) {
  const TString *want = romfind(s, len), *ts = NULL;
  unsigned int b = 0;
  long i = 0;
  if (want == NULL) return -1;
  while ((ts = romnext(ts, &b)) != want) i++;
  return i;
}

/* Only pointers are compared until p is known to lie on a ROM string. */
int image_isromstring(const void *p, const ImageRomSet *rs) {
  uintptr_t at = (uintptr_t)p;
  const TString *ts;
  if (at - rs->base >= rs->size || rs->size - (at - rs->base) < sizeof(TString) ||
      at % _Alignof(TString) != 0)
    return 0;
  ts = ml_romstrtab.hash[((const TString *)p)->hash % ml_romstrtab.size];
  for (; ts != NULL; ts = ts->u.hnext)
    if ((uintptr_t)ts == at) return 1;
  return 0;
}
