/*
** bootrec.h: the boot record, written by mkboot on the host and placed at
** BOOT_ADDR by QEMU's loader, so that one firmware runs any script. All
** fields little-endian; the name and the chunk follow the header, the
** name NUL-terminated. A record that does not check is not used.
*/
#ifndef bootrec_h
#define bootrec_h

#include <stdint.h>

#define BOOTREC_MAGIC 0x52424c4du /* "MLBR" */
#define BOOTREC_VERSION 1

/* flags */
#define BOOTREC_STATS 1u /* print the heap and stack figures at the end */
#define BOOTREC_IMAGE 2u /* run the image's module for script 'name' */
#define BOOTREC_SELFTEST 4u /* provoke the fault 'name' (selftest.c) */

typedef struct BootRecord {
  uint32_t magic;
  uint32_t version;
  uint32_t heap;      /* arena bytes; 0: DEFAULT_HEAP */
  uint32_t flags;
  uint32_t namelen;   /* bytes of the chunk name, without its NUL */
  uint32_t chunklen;  /* bytes of the chunk (source or binary); may be 0 */
  uint32_t checksum;  /* sum of the bytes after the header, mod 2^32 */
  uint32_t reserved;
} BootRecord;

#endif
