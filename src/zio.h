/*
** zio.h: buffered input streams over a lua_Reader, and the growable char
** buffer the lexer uses.
*/
#ifndef zio_h
#define zio_h

#include "lua.h"
#include "mem.h"

#define EOZ (-1) /* end of stream */

typedef struct Zio ZIO;

#define zgetc(z) (((z)->n--) > 0 ? cast_uchar(*(z)->p++) : zio_fill(z))

typedef struct Mbuffer {
  char *buffer;
  size_t n;
  size_t buffsize;
} Mbuffer;

#define zio_initbuffer(L, buff) ((buff)->buffer = NULL, (buff)->buffsize = 0)
#define zio_buffer(buff) ((buff)->buffer)
#define zio_sizebuffer(buff) ((buff)->buffsize)
#define zio_bufflen(buff) ((buff)->n)
#define zio_buffremove(buff, i) ((buff)->n -= (i))
#define zio_resetbuffer(buff) ((buff)->n = 0)
#define zio_resizebuffer(L, buff, size)                                  \
  ((buff)->buffer = (char *)mem_realloc(L, (buff)->buffer,              \
                                        (buff)->buffsize, size, ML_TAG_OTHER), \
   (buff)->buffsize = size)
#define zio_freebuffer(L, buff) zio_resizebuffer(L, buff, 0)

struct Zio {
  size_t n;          /* bytes still unread */
  const char *p;     /* current position in buffer */
  lua_Reader reader;
  void *data;        /* additional data */
  lua_State *L;      /* Lua state (for reader) */
};

void zio_init(lua_State *L, ZIO *z, lua_Reader reader, void *data);
size_t zio_read(ZIO *z, void *b, size_t n); /* bytes left unread */
int zio_fill(ZIO *z);

#endif
