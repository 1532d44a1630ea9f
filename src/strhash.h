/*
** strhash.h: the hash of short strings, shared by the runtime (str.c), the
** flash image builder and the ROM table generator (tools/romgen.c), so
** that a string hashed at build time lands where a lookup looks for it.
*/
#ifndef strhash_h
#define strhash_h

#include <stddef.h>
#include <stdint.h>

/* FNV-1a over every byte, seeded, then a final avalanche so that the low
** bits (the bucket index) depend on all of them. */
static inline unsigned int strhash_compute(const char *str, size_t l,
                                           unsigned int seed) {
  uint32_t h = (uint32_t)seed ^ (uint32_t)l ^ 0x811c9dc5u;
  size_t i;
  for (i = 0; i < l; i++) {
    h ^= (unsigned char)str[i];
    h *= 0x01000193u;
  }
  h ^= h >> 16;
  h *= 0x85ebca6bu;
  h ^= h >> 13;
  return (unsigned int)h;
}

#endif
