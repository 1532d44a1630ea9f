/*
** undump.c: loads a binary chunk (format: dump.c). GC safety: the main
** closure is on the stack before anything else is made, and every object
** is stored in the tree (sizes count only filled slots) before the next
** allocation; the reader may run Lua code, and so the collector, at any
** read. Nothing runs before verify_proto accepted the whole tree.
*/
#include <string.h>

#include "undump.h"

#include "call.h"
#include "dump.h"
#include "func.h"
#include "gc.h"
#include "mem.h"
#include "str.h"
#include "verify.h"

#define MAXNESTING LUAI_MAXCCALLS /* levels of nested functions */
#define FIRSTCAP 64               /* first capacity of a growing vector */

typedef struct LoadState {
  lua_State *L;
  ZIO *z;
  const char *name; /* as messages show it */
  int depth;        /* nesting of the function being loaded */
} LoadState;

static l_noret error(LoadState *S, const char *why) {
  obj_pushfstring(S->L, "%s: %s precompiled chunk", S->name, why);
  call_throw(S->L, LUA_ERRSYNTAX);
}

static l_noret badformat(LoadState *S, const char *why) {
  obj_pushfstring(S->L, "%s: bad binary format (%s)", S->name, why);
  call_throw(S->L, LUA_ERRSYNTAX);
}

/* ---------------------------------------------------------------------- */
/* Basic items                                                            */
/* ---------------------------------------------------------------------- */

static void loadblock(LoadState *S, void *b, size_t size) {
  if (zio_read(S->z, b, size) != 0) error(S, "truncated");
}

static lu_byte loadbyte(LoadState *S) {
  int c = zgetc(S->z);
  if (c == EOZ) error(S, "truncated");
  return cast_byte(c);
}

/* A varint (dump.c) no larger than limit. */
static size_t loadvarint(LoadState *S, size_t limit) {
  size_t x = 0;
  unsigned shift = 0;
  lu_byte b;
  do {
    size_t bits;
    b = loadbyte(S);
    bits = b & 0x7f;
    if (shift >= 8 * sizeof(size_t)) {
      if (bits != 0 || shift > 70) badformat(S, "number too large");
    } else if (bits > (limit >> shift)) {
      badformat(S, "number too large");
    } else {
      x |= bits << shift;
    }
    shift += 7;
  } while (b & 0x80);
  if (x > limit) badformat(S, "number too large");
  return x;
}

static int loadint(LoadState *S) {
  return cast_int(loadvarint(S, MAX_INT));
}

/* A string or NULL. A long string is anchored while its bytes arrive. */
static TString *loadstring(LoadState *S) {
  lua_State *L = S->L;
  size_t size = loadvarint(S, MAX_SIZE / 2);
  TString *ts;
  if (size-- == 0) return NULL;
  if (size <= LUAI_MAXSHORTLEN) {
    char buff[LUAI_MAXSHORTLEN];
    loadblock(S, buff, size);
    return str_newlstr(L, buff, size);
  }
  call_checkstack(L, 1); /* before the string: growing may collect */
  ts = str_createlngstrobj(L, size);
  setsvalue2s(L, L->top, ts);
  L->top++;
  loadblock(S, getstr(ts), size);
  getstr(ts)[size] = '\0';
  L->top--;
  return ts;
}

/*
** Makes room for element i of a vector announced to hold n. It grows as
** the elements arrive, so a corrupt count costs memory only in proportion
** to what the chunk really holds; it ends with exactly n elements.
*/
static void *growvector(LoadState *S, void *v, int i, int *cap, int n,
                        size_t esize) {
  int newcap;
  if (i < *cap) return v;
  if (*cap == 0)
    newcap = (n < FIRSTCAP) ? n : FIRSTCAP;
  else
    newcap = (*cap > n / 2) ? n : 2 * *cap;
  v = mem_realloc(S->L, v, cast(size_t, *cap) * esize,
                  mem_checksize(S->L, cast(size_t, newcap), esize),
                  ML_TAG_CODE);
  *cap = newcap;
  return v;
}

/* ---------------------------------------------------------------------- */
/* Functions                                                              */
/* ---------------------------------------------------------------------- */

static void loadcode(LoadState *S, Proto *f) {
  int n = loadint(S), cap = 0;
  while (f->sizecode < n) {
    f->code = (Instruction *)growvector(S, f->code, f->sizecode, &cap, n,
                                        sizeof(Instruction));
    loadblock(S, f->code + f->sizecode,
              sizeof(Instruction) * cast(size_t, cap - f->sizecode));
    f->sizecode = cap;
  }
}

static void loadconstant(LoadState *S, Proto *f, TValue *o) {
  switch (loadbyte(S)) {
    case DUMP_KNIL: setnilvalue(o); break;
    case DUMP_KFALSE: setbvalue(o, 0); break;
    case DUMP_KTRUE: setbvalue(o, 1); break;
    case DUMP_KINT: {
      lua_Integer i;
      loadblock(S, &i, sizeof(i));
      setivalue(o, i);
      break;
    }
    case DUMP_KFLT: {
      lua_Number n;
      loadblock(S, &n, sizeof(n));
      setfltvalue(o, n);
      break;
    }
    case DUMP_KSTR: {
      TString *ts = loadstring(S);
      if (ts == NULL) badformat(S, "missing string constant");
      setsvalue2n(S->L, o, ts);
      gc_objbarrier(S->L, f, ts);
      break;
    }
    default: badformat(S, "bad constant");
  }
}

static void loadconstants(LoadState *S, Proto *f) {
  int n = loadint(S), cap = 0;
  while (f->sizek < n) {
    f->k = (TValue *)growvector(S, f->k, f->sizek, &cap, n, sizeof(TValue));
    loadconstant(S, f, &f->k[f->sizek]);
    f->sizek++;
  }
}

static void loadupvalues(LoadState *S, Proto *f) {
  int n = loadint(S), i;
  if (n > MAXUPVAL) badformat(S, "too many upvalues");
  if (n == 0) return;
  f->upvalues = mem_newvector(S->L, cast(size_t, n), Upvaldesc, ML_TAG_CODE);
  for (i = 0; i < n; i++) f->upvalues[i].name = NULL;
  f->sizeupvalues = n;
  for (i = 0; i < n; i++) {
    f->upvalues[i].instack = loadbyte(S);
    f->upvalues[i].idx = loadbyte(S);
  }
}

static void loadfunction(LoadState *S, Proto *f, TString *psource);

static void loadprotos(LoadState *S, Proto *f) {
  int n = loadint(S), cap = 0;
  while (f->sizep < n) {
    Proto *p;
    f->p = (Proto **)growvector(S, f->p, f->sizep, &cap, n, sizeof(Proto *));
    p = func_newproto(S->L);
    f->p[f->sizep++] = p;
    gc_objbarrier(S->L, f, p);
    loadfunction(S, p, f->source);
  }
}

static void loadlines(LoadState *S, Proto *f) {
  int n = loadint(S), cap = 0, i = 0;
  if (n != 0 && n != f->sizecode) badformat(S, "bad line information");
  while (i < n) {
    f->lineinfo = (ls_byte *)growvector(S, f->lineinfo, i, &cap, n, 1);
    loadblock(S, f->lineinfo + i, cast(size_t, cap - i));
    i = cap;
  }
  f->sizelineinfo = n;
  n = loadint(S);
  cap = 0;
  for (i = 0; i < n; i++) {
    f->abslineinfo = (AbsLineInfo *)growvector(S, f->abslineinfo, i, &cap, n,
                                               sizeof(AbsLineInfo));
    f->abslineinfo[i].pc = loadint(S);
    f->abslineinfo[i].line = loadint(S);
    f->sizeabslineinfo = i + 1;
  }
}

static void loadlocvars(LoadState *S, Proto *f) {
  int n = loadint(S), cap = 0;
  while (f->sizelocvars < n) {
    LocVar *lv;
    TString *name;
    f->locvars = (LocVar *)growvector(S, f->locvars, f->sizelocvars, &cap, n,
                                      sizeof(LocVar));
    name = loadstring(S);
    if (name == NULL) badformat(S, "missing local name");
    lv = &f->locvars[f->sizelocvars++];
    lv->varname = name;
    gc_objbarrier(S->L, f, name);
    lv->startpc = loadint(S);
    lv->endpc = loadint(S);
  }
}

static void loadupvalnames(LoadState *S, Proto *f) {
  int n = loadint(S), i;
  if (n != 0 && n != f->sizeupvalues) badformat(S, "bad upvalue names");
  for (i = 0; i < n; i++) {
    TString *name = loadstring(S);
    f->upvalues[i].name = name;
    if (name != NULL) gc_objbarrier(S->L, f, name);
  }
}

static void loadfunction(LoadState *S, Proto *f, TString *psource) {
  if (++S->depth > MAXNESTING) badformat(S, "functions nested too deep");
  f->source = loadstring(S);
  if (f->source == NULL) f->source = psource;
  if (f->source != NULL) gc_objbarrier(S->L, f, f->source);
  f->linedefined = loadint(S);
  f->lastlinedefined = loadint(S);
  f->numparams = loadbyte(S);
  f->is_vararg = loadbyte(S);
  f->maxstacksize = loadbyte(S);
  loadcode(S, f);
  loadconstants(S, f);
  loadupvalues(S, f);
  loadprotos(S, f);
  loadlines(S, f);
  loadlocvars(S, f);
  loadupvalnames(S, f);
  S->depth--;
}

/* ---------------------------------------------------------------------- */
/* Header                                                                 */
/* ---------------------------------------------------------------------- */

static void checkliteral(LoadState *S, const char *s, const char *why) {
  char buff[sizeof(DUMP_DATA) + sizeof(LUA_SIGNATURE)];
  size_t len = strlen(s);
  loadblock(S, buff, len);
  if (memcmp(s, buff, len) != 0) error(S, why);
}

/* Integer and float sizes: the number configuration. */
static void checknumbersizes(LoadState *S, int isize, int nsize) {
  const char *ours = (sizeof(lua_Integer) == 4) ? "32" : "64";
  if (isize == (int)sizeof(lua_Integer) && nsize == (int)sizeof(lua_Number))
    return;
  if (isize == nsize && (isize == 4 || isize == 8)) {
    obj_pushfstring(S->L, "chunk built for %s-bit numbers, not %s-bit",
                    isize == 4 ? "32" : "64", ours);
  } else {
    obj_pushfstring(S->L, "chunk built for %d-byte integers and %d-byte floats",
                    isize, nsize);
  }
  badformat(S, svalue(S->L->top - 1));
}

/* int and size_t sizes are recorded but unused: any plausible one goes. */
static void checksizes(LoadState *S) {
  lu_byte s[5];
  loadblock(S, s, sizeof(s));
  if (s[0] != 2 && s[0] != 4 && s[0] != 8) error(S, "int size mismatch in");
  if (s[1] != 4 && s[1] != 8) error(S, "size_t size mismatch in");
  if (s[2] != sizeof(Instruction)) error(S, "Instruction size mismatch in");
  checknumbersizes(S, s[3], s[4]);
}

static lua_Integer byteswapped(lua_Integer i) {
  lua_Unsigned u = l_castS2U(i), r = 0;
  size_t k;
  for (k = 0; k < sizeof(u); k++) {
    r = (r << 8) | (u & 0xff);
    u >>= 8;
  }
  return l_castU2S(r);
}

static void checknumbers(LoadState *S) {
  lua_Integer i;
  lua_Number n;
  loadblock(S, &i, sizeof(i));
  if (i != DUMP_INT) {
    if (i == byteswapped(DUMP_INT))
      badformat(S, "chunk built for the other byte order");
    error(S, "endianness mismatch in");
  }
  loadblock(S, &n, sizeof(n));
  if (n != DUMP_NUM) error(S, "float format mismatch in");
}

static void checkheader(LoadState *S) {
  checkliteral(S, LUA_SIGNATURE, "not a");
  if (loadbyte(S) != DUMP_VERSION) error(S, "version mismatch in");
  if (loadbyte(S) != DUMP_FORMAT) error(S, "format mismatch in");
  checkliteral(S, DUMP_DATA, "corrupted");
  checksizes(S);
  checknumbers(S);
  {
    char mark[sizeof(DUMP_MARK) - 1];
    loadblock(S, mark, sizeof(mark));
    if (memcmp(mark, DUMP_MARK, 2) != 0)
      badformat(S, "not a Moonlet chunk");
    if (memcmp(mark, DUMP_MARK, sizeof(mark)) != 0)
      badformat(S, "unknown Moonlet format version");
  }
}

/* ---------------------------------------------------------------------- */
/* Entry                                                                  */
/* ---------------------------------------------------------------------- */

static void f_undump(lua_State *L, void *ud) {
  LoadState *S = (LoadState *)ud;
  LClosure *cl;
  const char *msg;
  int nups;
  checkheader(S);
  nups = loadbyte(S);
  call_checkstack(L, 1); /* before the closure: growing may collect */
  cl = func_newLclosure(L, nups);
  setclLvalue(L, L->top, cl);
  L->top++;
  cl->p = func_newproto(L);
  gc_objbarrier(L, cl, cl->p);
  loadfunction(S, cl->p, NULL);
  if (cl->p->sizeupvalues != nups) badformat(S, "bad upvalue count");
  if ((msg = verify_proto(cl->p)) != NULL) badformat(S, msg);
  func_initupvals(L, cl);
}

/* The name as messages show it (as 5.3's undump). */
static const char *chunkname(const char *name) {
  if (*name == '@' || *name == '=') return name + 1;
  if (*name == LUA_SIGNATURE[0]) return "binary string";
  return name;
}

int undump_protected(lua_State *L, ZIO *z, const char *name) {
  LoadState S;
  int status;
  S.L = L;
  S.z = z;
  S.name = chunkname(name != NULL ? name : "?");
  S.depth = 0;
  L->nny++; /* the reader may not yield */
  status = call_pcall(L, f_undump, &S, savestack(L, L->top), L->errfunc);
  L->nny--;
  return status;
}
