/*
** zio.c: buffered input streams over a lua_Reader. At end of stream 'n'
** is left at 0, so reading past the end keeps answering EOZ.
*/
#include <string.h>

#include "zio.h"

void zio_init(lua_State *L, ZIO *z, lua_Reader reader, void *data) {
  z->L = L;
  z->reader = reader;
  z->data = data;
  z->n = 0;
  z->p = NULL;
}

/* Refills the buffer from the reader and returns its first byte. The
** reader may run Lua code (and raise errors): nothing here is left half
** updated when it does. */
int zio_fill(ZIO *z) {
  size_t size = 0;
  const char *buff = z->reader(z->L, z->data, &size);
  if (buff == NULL || size == 0) {
    z->n = 0;
    return EOZ;
  }
  z->n = size - 1;
  z->p = buff;
  return cast_uchar(*(z->p++));
}

/* Makes sure the buffer is not empty; 0 at end of stream. */
static int ensure_data(ZIO *z) {
  if (z->n > 0)
    return 1;
  if (zio_fill(z) == EOZ)
    return 0;
  z->n++; /* zio_fill consumed the first byte: put it back */
  z->p--;
  return 1;
}

size_t zio_read(ZIO *z, void *b, size_t n) {
  char *dst = (char *)b;
  while (n > 0) {
    size_t m;
    if (!ensure_data(z))
      return n; /* bytes that could not be read */
    m = (n <= z->n) ? n : z->n;
    memcpy(dst, z->p, m);
    z->n -= m;
    z->p += m;
    dst += m;
    n -= m;
  }
  return 0;
}
