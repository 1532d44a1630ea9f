/*
** dump.h: binary chunks, the format dump.c writes (described at its top)
** and undump.c reads. A chunk holds one function tree for one number
** configuration and one byte order; it is refused anywhere else.
*/
#ifndef dump_h
#define dump_h

#include "object.h"

/* The header, laid out as Lua 5.3's (lundump.h), then Moonlet's mark. */
#define DUMP_VERSION 0x53
#define DUMP_FORMAT 0 /* 5.3's official format byte */
#define DUMP_DATA "\x19\x93\r\n\x1a\n"
#define DUMP_INT 0x5678
#define DUMP_NUM cast_num(370.5)
#define DUMP_MARK "ML\x01" /* Moonlet body, format version 1 */

/* Constant tags. */
enum { DUMP_KNIL, DUMP_KFALSE, DUMP_KTRUE, DUMP_KINT, DUMP_KFLT, DUMP_KSTR };

/*
** Writes f (and the functions nested in it) as a binary chunk through w.
** strip: no source, line information, local or upvalue names. Returns 0,
** or the first non-zero status w returned (nothing is written after it).
*/
int dump_proto(lua_State *L, const Proto *f, lua_Writer w, void *data,
               int strip);

#endif
