/*
** image.c: what both forms of the flash image share: the CRC-32, the
** varint cursor, configuration names and the native layout fingerprint.
** Nothing here allocates or keeps state.
*/
#include <stddef.h>
#include <string.h>

#include "image.h"

#include "lexer.h"

/* Half-byte table of the reflected IEEE polynomial 0xEDB88320: 64 bytes
** of read-only data instead of a 1 KB table (the device has little RAM). */
static const uint32_t crc_nibble[16] = {
    0x00000000u, 0x1db71064u, 0x3b6e20c8u, 0x26d930acu,
    0x76dc4190u, 0x6b6b51f4u, 0x4db26158u, 0x5005713cu,
    0xedb88320u, 0xf00f9344u, 0xd6d6a3e8u, 0xcb61b38cu,
    0x9b64c2b0u, 0x86d3d2d4u, 0xa00ae278u, 0xbdbdf21cu};

uint32_t image_crc32(uint32_t crc, const void *data, size_t len) {
  const unsigned char *p = (const unsigned char *)data;
  crc = ~crc;
  while (len-- > 0) {
    crc ^= *p++;
    crc = (crc >> 4) ^ crc_nibble[crc & 15];
    crc = (crc >> 4) ^ crc_nibble[crc & 15];
  }
  return ~crc;
}

const char *image_configname(int config) {
  switch (config) {
    case IMAGE_CONFIG_DEFAULT:
      return "default (64-bit integers, 64-bit floats)";
    case IMAGE_CONFIG_SMALL:
      return "small (32-bit integers, 32-bit floats)";
    default:
      return "unknown";
  }
}

int image_getbyte(ImageCursor *c) {
  return c->p < c->end ? *c->p++ : -1;
}

/* LEB128: 7 bits a byte, low first; at most 10 bytes for 64 bits. */
int image_getvarint(ImageCursor *c, uint64_t *v) {
  uint64_t x = 0;
  int shift;
  for (shift = 0; shift < 64; shift += 7) {
    int b = image_getbyte(c);
    if (b < 0) return 0;
    x |= (uint64_t)(b & 0x7f) << shift;
    if ((b & 0x80) == 0) {
      *v = x;
      return 1;
    }
  }
  return 0;
}

uint32_t image_getu32(const unsigned char *p) {
  return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) |
         ((uint32_t)p[3] << 24);
}

/* A string entry: varint 2 * length and the bytes, or 2 * index + 1 for
** a ROM string (checked by image_read). */
static uint64_t entryof(const ImageInfo *im, uint32_t i, ImageCursor *c) {
  uint64_t v = 0;
  c->p = im->data + im->stroff[i];
  c->end = im->data + im->protosat;
  image_getvarint(c, &v);
  return v;
}

const TString *image_romref(const ImageInfo *im, uint32_t i) {
  ImageCursor c;
  uint64_t v = entryof(im, i, &c);
  return (v & 1) ? im->rom[v >> 1] : NULL;
}

const unsigned char *image_stringat(const ImageInfo *im, uint32_t i,
                                    size_t *len) {
  ImageCursor c;
  uint64_t v = entryof(im, i, &c);
  const TString *ts;
  if ((v & 1) == 0) {
    *len = (size_t)(v >> 1);
    return c.p;
  }
  ts = im->rom[v >> 1];
  *len = ts->shrlen;
  return (const unsigned char *)getstr(ts);
}

#define ML_TK_TEXT(name, text) text,
static const char *const tokens[] = {ML_TOKENS(ML_TK_TEXT)};
#undef ML_TK_TEXT

int image_reservedindex(const char *s, size_t len) {
  int i;
  for (i = 0; i < NUM_RESERVED; i++)
    if (strlen(tokens[i]) == len && memcmp(tokens[i], s, len) == 0)
      return i + 1;
  return 0;
}

/* 1 on a little-endian machine. */
static uint32_t littleendian(void) {
  const uint32_t one = 1;
  unsigned char b;
  memcpy(&b, &one, 1);
  return b;
}

#define LAYOUT_ITEMS 35

/*
** Every size and offset the native objects depend on: a device build and a
** desktop build that agree on all of them (small numbers, 32-bit,
** little-endian) can share native slots.
*/
uint32_t image_layout(void) {
  const uint32_t items[LAYOUT_ITEMS] = {
      IMAGE_VERSION, IMAGE_CONFIG, littleendian(), LUAI_MAXSHORTLEN,
      sizeof(void *), sizeof(size_t), sizeof(int), sizeof(lua_Integer),
      sizeof(lua_Number), sizeof(Instruction), sizeof(TValue),
      offsetof(TValue, tt_), sizeof(TString), offsetof(TString, hash),
      offsetof(TString, u), sizeof(Proto), offsetof(Proto, sizeupvalues),
      offsetof(Proto, k), offsetof(Proto, code), offsetof(Proto, p),
      offsetof(Proto, lineinfo), offsetof(Proto, abslineinfo),
      offsetof(Proto, locvars), offsetof(Proto, upvalues),
      offsetof(Proto, source), sizeof(Upvaldesc), offsetof(Upvaldesc, instack),
      sizeof(LocVar), sizeof(AbsLineInfo), sizeof(ROStringTable),
      sizeof(FlashModule), sizeof(FlashHeader), offsetof(FlashHeader, base),
      offsetof(FlashHeader, headcrc), FLASH_ALIGN};
  return image_crc32(0, items, sizeof items);
}
