/*
** fuzz_image.c: libFuzzer harness for flash images. The input is handed to
** the flash store as an image (lfs_reloadbuffer): the loader must refuse
** anything malformed with a reason and keep the mounted image. What it
** accepts is mounted in a new state and every module is run as fuzz_run
** runs source: a checked image must not be able to crash the VM either.
** For most inputs the file CRC (bytes 12-15, little-endian, of bytes 16 to
** the end) is made right first, so that mutations reach the checks behind
** it; the others test the CRC check itself.
*/
#define FUZZ_INIT fuzz_init
#include "fuzz_common.h"

#include <stdlib.h>
#include <string.h>

#include "image.h"
#include "lfs.h"

static void fuzz_init(void) {
  if (lfs_open(64 * 1024, NULL) != NULL) abort();
}

static void runmodules(void) {
  lua_State *L = fuzz_newstate(1);
  const char *name;
  int i;
  for (i = 0; (name = lfs_modulename(L, i)) != NULL; i++) {
    if (moonlet_lfs_get(L, name)) {
      lua_pushstring(L, name);
      lua_pcall(L, 1, 0, 0);
    }
    lua_settop(L, 0);
  }
  fuzz_leakcheck(L, "running an image");
  lua_close(L);
}

/* A copy of the input with its file CRC made right. */
static uint8_t *withcrc(const uint8_t *data, size_t size) {
  uint8_t *copy = (uint8_t *)malloc(size);
  uint32_t crc;
  int i;
  if (copy == NULL) abort();
  memcpy(copy, data, size);
  crc = image_crc32(0, copy + 16, size - 16);
  for (i = 0; i < 4; i++) copy[12 + i] = (uint8_t)(crc >> (8 * i));
  return copy;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char msg[256];
  uint8_t *fixed = size > 16 && data[size - 1] % 8 != 0 ? withcrc(data, size)
                                                         : NULL;
  int r = lfs_reloadbuffer(fixed != NULL ? fixed : data, size, msg,
                           sizeof msg);
  free(fixed);
  if (r == LFS_REFUSED && msg[0] == '\0') abort(); /* a refusal says why */
  if (r == LFS_LOADED || r == LFS_SAME) runmodules();
  return 0;
}
