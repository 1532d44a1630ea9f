/*
** image.h: the flash image in its two forms (docs/image-format.md). The
** image FILE is portable: little-endian, varints, indexes instead of
** pointers (image_write.c writes it, image_read.c checks all of it without
** trusting a byte). The flash SLOT is native: the C layout of RAM objects,
** pointers into the slot (image_native.c builds, relocates and checks it).
*/
#ifndef image_h
#define image_h

#include <stdint.h>

#include "object.h"
#include "state.h"

/* --- the portable file ------------------------------------------------- */

#define IMAGE_MAGIC "\x1bMLFS\r\n\x1a" /* 8 bytes, PNG-style */
#define IMAGE_MAGICSIZE 8
#define IMAGE_VERSION 2
#define IMAGE_HEADERSIZE 72
#define IMAGE_CRCFROM 16 /* the CRC covers the file from this offset */

/* The string hash seed of every state (state.c): fixed, so that images
** are reproducible and a flash string table is valid in any state. */
#define IMAGE_SEED 0x4d6f6f6eu

/* The number configuration an image is built for (header byte 20). */
#define IMAGE_CONFIG_DEFAULT 0
#define IMAGE_CONFIG_SMALL 1
#define IMAGE_CONFIG (ML_SMALL ? IMAGE_CONFIG_SMALL : IMAGE_CONFIG_DEFAULT)

/* Header flags (byte 26). */
#define IMAGE_FSTRIPPED 1

/* The compile-time ROM strings (rom.c) an image is built against: their
** number, a CRC-32 of their lengths and bytes in index order (image_rom.c),
** and the block of memory they lie in. */
typedef struct ImageRomSet {
  uint32_t count, crc;
  uintptr_t base; /* the lowest ROM string: &ml_romstrings */
  uint32_t size;  /* bytes from base to the end of the last one */
} ImageRomSet;

void image_romset(ImageRomSet *rs);
/* The ROM strings in index order, in list (when not NULL); their number. */
uint32_t image_romlist(const TString **list);
/* The index of the ROM string with these bytes, or -1. */
long image_romindex(const char *s, size_t len);
int image_isromtext(const char *s, size_t len);
/* p is exactly one of this build's ROM strings (rs: image_romset). */
int image_isromstring(const void *p, const ImageRomSet *rs);

/* Constant tags in the proto section. */
enum { IK_NIL, IK_FALSE, IK_TRUE, IK_INT, IK_FLT, IK_STR };

/* CRC-32 (IEEE 802.3, reflected, as zlib's crc32): crc 0 to start. */
uint32_t image_crc32(uint32_t crc, const void *data, size_t len);

/* The lexer finds reserved words by TString.extra (their index + 1): a
** flash copy of one must carry it. 0 for other strings. */
int image_reservedindex(const char *s, size_t len);

/* The name of a number configuration, for messages. */
const char *image_configname(int config);

/*
** Writes the image of the modules in the table at stack index 'mods'
** (name -> Lua function) and pushes it as a string. Modules, strings and
** protos come in a fixed order (names sorted, first appearance), so the
** same inputs always give the same bytes. May raise memory errors.
*/
void image_write(lua_State *L, int mods, int strip, uint64_t buildtime);

/* What image_read learns of a file: enough to build it without checks. */
typedef struct ImageProto {
  uint32_t at;     /* offset of its record in the file */
  uint32_t first;  /* lowest index in its tree (a tree is [first, self]) */
  int nups;        /* number of upvalues */
  int maxinstack;  /* highest register captured by an in-stack upvalue */
  int maxouter;    /* highest enclosing upvalue captured, or -1 */
} ImageProto;

typedef struct ImageInfo {
  const unsigned char *data;
  size_t len;
  uint32_t crc;   /* CRC-32 of the whole file: the image's identity */
  int config, flags;
  uint32_t seed;
  uint64_t time;
  uint32_t nstrings, nprotos, nmodules;
  uint32_t protosat, modulesat; /* section offsets */
  uint32_t *stroff;    /* per string, offset of its entry */
  ImageProto *protos;  /* per proto */
  const TString **rom; /* the ROM strings, by index (image_romlist) */
  uint32_t nrom;
} ImageInfo;

/*
** Checks every byte of an image file (header, checksum, configuration,
** seed, every index, every function through verify_code) and fills 'im'.
** Returns NULL, or a message written in msg (the image is refused).
** The arrays of 'im' come from malloc: image_free releases them, also
** after a refusal. 'data' must outlive 'im'.
*/
const char *image_read(ImageInfo *im, const void *data, size_t len,
                       char *msg, size_t msgsize);
void image_free(ImageInfo *im);

/* Little-endian varint decoding shared by the reader and the builder. */
typedef struct ImageCursor {
  const unsigned char *p, *end;
} ImageCursor;

int image_getbyte(ImageCursor *c); /* -1 at the end */
int image_getvarint(ImageCursor *c, uint64_t *v); /* 0 if truncated/too long */
uint32_t image_getu32(const unsigned char *p);
/* The bytes of string i of a checked image (a ROM string's bytes for a
** reference); image_romref gives the ROM string of a reference, or NULL. */
const unsigned char *image_stringat(const ImageInfo *im, uint32_t i,
                                    size_t *len);
const TString *image_romref(const ImageInfo *im, uint32_t i);

/* --- the native slot --------------------------------------------------- */

/* Objects in a slot are aligned to this: a size, not an ABI alignment, so
** that a 32-bit desktop build lays a slot out as a 32-bit device does. */
#define FLASH_ALIGN \
  (sizeof(lua_Integer) > sizeof(void *) || sizeof(lua_Number) > sizeof(void *) \
       ? 8 : sizeof(void *))

/* The 'marked' byte of every object in a slot. */
#define FLASH_MARK (ML_READONLY | (1 << FIXEDBIT))

#define FLASH_MAGIC "MLFLASH" /* 8 bytes with its '\0' */

/* A module of the slot's index, sorted by name. */
typedef struct FlashModule {
  const TString *name;
  const Proto *main;
} FlashModule;

/*
** The slot header. It is written last, with headcrc last of all: a slot
** whose header is incomplete is not valid, which makes a reload that stops
** at any byte leave the other slot mounted (docs/image-format.md).
*/
typedef struct FlashHeader {
  char magic[8];
  uint32_t version;    /* IMAGE_VERSION */
  uint32_t layout;     /* image_layout(): C layout and configuration */
  uint32_t generation; /* the newest valid slot is mounted */
  uint32_t size;       /* bytes used from the slot's start */
  uint32_t bodycrc;    /* CRC-32 of [sizeof(FlashHeader), size) */
  uint32_t srccrc;     /* the file it was built from (ImageInfo.crc) */
  uint32_t srclen;
  uint32_t seed;
  uint32_t time_lo, time_hi;
  uint32_t nstrings, nprotos, nmodules;
  uint32_t relocat;    /* offset of the relocation bitmap */
  uint32_t config;     /* IMAGE_CONFIG */
  uint32_t ptrsize;    /* sizeof(void *) */
  uint32_t romcount, romcrc, romsize; /* the ROM strings (ImageRomSet) */
  uint32_t romrefs;    /* pointers to ROM strings in the slot */
  uintptr_t base;      /* the address the pointers were built for */
  uintptr_t rombase;   /* the ROM strings' address they were built for */
  const ROStringTable *strings;
  const FlashModule *modules;
  uint32_t headcrc;    /* CRC-32 of every byte before it */
} FlashHeader;

/* The fingerprint of everything the native layout depends on. */
uint32_t image_layout(void);

/* Bytes the native form of a checked image needs in a slot. */
size_t image_nativesize(const ImageInfo *im);

/*
** Builds the native form of a checked image at 'slot' (at least
** image_nativesize bytes, writable, at an address aligned for pointers):
** objects with a bump allocator, the read-only string table, the module
** index, the relocation bitmap, then the header. Returns 0 when malloc
** fails for the builder's index arrays (nothing usable is left).
*/
int image_build(const ImageInfo *im, void *slot, uint32_t generation);

/* Moves a slot's pointers to 'newbase', and its pointers to ROM strings
** to 'newrombase' (the bitmap says which words are pointers, the header's
** ranges which kind), and recomputes its checksums. */
void image_relocate(void *slot, uintptr_t newbase, uintptr_t newrombase);

/*
** Checks a slot's header: magic, header CRC, version, layout, ROM
** strings, size within 'avail', then the body's CRC. NULL when valid, else
** a static message.
*/
const char *image_checkslot(const void *slot, size_t avail);

/*
** Checks the objects of a valid slot where it lies (base == its address):
** every pointer inside the slot and of the right kind (or to one of this
** build's ROM strings, found where they were built for), the string table,
** every function through verify_code. For slots that were not built by
** this process (a device mounting in place). NULL or a static message.
*/
const char *image_verifyslot(const void *slot);

#endif
