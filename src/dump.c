/*
** dump.c: writes a function tree as a binary chunk (lua_dump, string.dump).
** The output depends only on the function: same function, same bytes.
** Reads the protos only, so it can dump a function that lives in flash.
**
** The format (undump.c reads it, checks everything and verifies the code):
**
**   header, as Lua 5.3's, so that 5.3 tools and tests recognise it:
**     "\x1bLua"             LUA_SIGNATURE
**     0x53                  version 5.3
**     0x00                  format byte (5.3's official value)
**     "\x19\x93\r\n\x1a\n"  catches text-mode conversions of the file
**     5 bytes               sizeof int, size_t, Instruction (4),
**                           lua_Integer, lua_Number
**     lua_Integer 0x5678    native: catches the other byte order
**     lua_Number 370.5      native: catches another float format
**   "ML" 0x01               Moonlet's body, format version 1 (a chunk of
**                           Lua 5.3's own luac stops here)
**   byte                    number of upvalues of the main function
**   function                the main function
**
**   function:
**     string                source; none when stripped, or when it is
**                           that of the enclosing function
**     varint varint         linedefined, lastlinedefined
**     byte byte byte        numparams, is_vararg, maxstacksize
**     varint n, n * 4 bytes the code, native Instructions
**     varint n, n constants a tag byte (DUMP_K*), then: nothing (nil,
**                           false, true), a native lua_Integer, a native
**                           lua_Number, or a string
**     varint n, n * 2 bytes upvalue descriptors: instack, idx
**     varint n, n functions the nested functions
**     varint n, n bytes     lineinfo (n is 0 or the code size)
**     varint n, n * 2 varint abslineinfo: pc, line
**     varint n, n locals    string name, varint startpc, varint endpc
**     varint n, n strings   upvalue names (n is 0 or the upvalue count)
**   The debug part (lineinfo to upvalue names) is all counts 0 when
**   stripped.
**
**   varint: unsigned, 7 bits a byte, least significant first, the high bit
**     set on every byte but the last.
**   string: varint (length + 1), then the bytes; a lone 0 is "no string".
**
** The sizes of int and size_t are recorded as 5.3 does but nothing in the
** body depends on them, so a chunk moves between 32- and 64-bit hosts of
** one number configuration and byte order.
*/
#include <string.h>

#include "dump.h"

#define BUFSIZE 256

typedef struct DumpState {
  lua_State *L;
  lua_Writer writer;
  void *data;
  int strip;
  int status;  /* first non-zero status of the writer */
  size_t n;    /* bytes in buff */
  char buff[BUFSIZE];
} DumpState;

static void flush(DumpState *D) {
  if (D->status == 0 && D->n > 0)
    D->status = D->writer(D->L, D->buff, D->n, D->data);
  D->n = 0;
}

static void dumpblock(DumpState *D, const void *b, size_t size) {
  if (size == 0) return; /* b may be NULL */
  if (size <= BUFSIZE - D->n) {
    memcpy(D->buff + D->n, b, size);
    D->n += size;
    return;
  }
  flush(D);
  if (size <= BUFSIZE) {
    memcpy(D->buff, b, size);
    D->n = size;
  } else if (D->status == 0) {
    D->status = D->writer(D->L, b, size, D->data);
  }
}

static void dumpbyte(DumpState *D, int b) {
  lu_byte c = cast_byte(b);
  dumpblock(D, &c, 1);
}

static void dumpvarint(DumpState *D, size_t x) {
  lu_byte b[(sizeof(size_t) * 8 + 6) / 7];
  size_t n = 0;
  do {
    b[n] = cast_byte(x & 0x7f);
    x >>= 7;
    if (x != 0) b[n] |= 0x80;
    n++;
  } while (x != 0);
  dumpblock(D, b, n);
}

static void dumpint(DumpState *D, int x) {
  dumpvarint(D, cast(size_t, x < 0 ? 0 : x));
}

static void dumpstring(DumpState *D, const TString *s) {
  size_t len;
  if (s == NULL) {
    dumpvarint(D, 0);
    return;
  }
  len = tsslen(s);
  dumpvarint(D, len + 1);
  dumpblock(D, getstr(s), len);
}

static void dumpcode(DumpState *D, const Proto *f) {
  dumpint(D, f->sizecode);
  dumpblock(D, f->code, sizeof(Instruction) * cast(size_t, f->sizecode));
}

static void dumpconstant(DumpState *D, const TValue *o) {
  if (ttisinteger(o)) {
    lua_Integer i = ivalue(o);
    dumpbyte(D, DUMP_KINT);
    dumpblock(D, &i, sizeof(i));
  } else if (ttisfloat(o)) {
    lua_Number n = fltvalue(o);
    dumpbyte(D, DUMP_KFLT);
    dumpblock(D, &n, sizeof(n));
  } else if (ttisstring(o)) {
    dumpbyte(D, DUMP_KSTR);
    dumpstring(D, tsvalue(o));
  } else if (ttisboolean(o)) {
    dumpbyte(D, bvalue(o) ? DUMP_KTRUE : DUMP_KFALSE);
  } else {
    dumpbyte(D, DUMP_KNIL);
  }
}

static void dumpconstants(DumpState *D, const Proto *f) {
  int i;
  dumpint(D, f->sizek);
  for (i = 0; i < f->sizek; i++) dumpconstant(D, &f->k[i]);
}

static void dumpupvalues(DumpState *D, const Proto *f) {
  int i;
  dumpint(D, f->sizeupvalues);
  for (i = 0; i < f->sizeupvalues; i++) {
    dumpbyte(D, f->upvalues[i].instack);
    dumpbyte(D, f->upvalues[i].idx);
  }
}

static void dumplines(DumpState *D, const Proto *f) {
  int i, n = D->strip ? 0 : f->sizelineinfo;
  dumpint(D, n);
  dumpblock(D, f->lineinfo, cast(size_t, n));
  n = D->strip ? 0 : f->sizeabslineinfo;
  dumpint(D, n);
  for (i = 0; i < n; i++) {
    dumpint(D, f->abslineinfo[i].pc);
    dumpint(D, f->abslineinfo[i].line);
  }
}

static void dumpnames(DumpState *D, const Proto *f) {
  int i, n = D->strip ? 0 : f->sizelocvars;
  dumpint(D, n);
  for (i = 0; i < n; i++) {
    dumpstring(D, f->locvars[i].varname);
    dumpint(D, f->locvars[i].startpc);
    dumpint(D, f->locvars[i].endpc);
  }
  n = D->strip ? 0 : f->sizeupvalues;
  dumpint(D, n);
  for (i = 0; i < n; i++) dumpstring(D, f->upvalues[i].name);
}

static void dumpfunction(DumpState *D, const Proto *f, const TString *psrc);

static void dumpprotos(DumpState *D, const Proto *f) {
  int i;
  dumpint(D, f->sizep);
  for (i = 0; i < f->sizep; i++) dumpfunction(D, f->p[i], f->source);
}

static void dumpfunction(DumpState *D, const Proto *f, const TString *psrc) {
  dumpstring(D, (D->strip || f->source == psrc) ? NULL : f->source);
  dumpint(D, f->linedefined);
  dumpint(D, f->lastlinedefined);
  dumpbyte(D, f->numparams);
  dumpbyte(D, f->is_vararg);
  dumpbyte(D, f->maxstacksize);
  dumpcode(D, f);
  dumpconstants(D, f);
  dumpupvalues(D, f);
  dumpprotos(D, f);
  dumplines(D, f);
  dumpnames(D, f);
}

static void dumpheader(DumpState *D) {
  lua_Integer i = DUMP_INT;
  lua_Number n = DUMP_NUM;
  dumpblock(D, LUA_SIGNATURE, sizeof(LUA_SIGNATURE) - 1);
  dumpbyte(D, DUMP_VERSION);
  dumpbyte(D, DUMP_FORMAT);
  dumpblock(D, DUMP_DATA, sizeof(DUMP_DATA) - 1);
  dumpbyte(D, sizeof(int));
  dumpbyte(D, sizeof(size_t));
  dumpbyte(D, sizeof(Instruction));
  dumpbyte(D, sizeof(lua_Integer));
  dumpbyte(D, sizeof(lua_Number));
  dumpblock(D, &i, sizeof(i));
  dumpblock(D, &n, sizeof(n));
  dumpblock(D, DUMP_MARK, sizeof(DUMP_MARK) - 1);
}

int dump_proto(lua_State *L, const Proto *f, lua_Writer w, void *data,
               int strip) {
  DumpState D;
  D.L = L;
  D.writer = w;
  D.data = data;
  D.strip = strip;
  D.status = 0;
  D.n = 0;
  dumpheader(&D);
  dumpbyte(&D, f->sizeupvalues);
  dumpfunction(&D, f, NULL);
  flush(&D);
  return D.status;
}
