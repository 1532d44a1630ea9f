/*
** vm.c: the bytecode interpreter, and what it shares with the C API:
** conversions, comparisons, indexing through metamethods, concatenation.
** In vm_execute, ci->u.l.savedpc is saved before anything that may raise or
** reenter, and 'base' is reloaded after anything that may move the stack.
*/
#include <float.h>
#include <limits.h>
#include <math.h>
#include <string.h>

#include "vm.h"

#include "call.h"
#include "ccache.h"
#include "codegen.h"
#include "debuginfo.h"
#include "func.h"
#include "gc.h"
#include "meta.h"
#include "opcodes.h"
#include "overlay.h"
#include "state.h"
#include "str.h"
#include "table.h"

#define MAXTAGLOOP 2000 /* limit of __index / __newindex chains */
#define NBITS cast_int(sizeof(lua_Integer) * CHAR_BIT)

#if defined(__GNUC__)
#define ML_COMPUTED_GOTO 1
#define l_noinline __attribute__((noinline))
#else
#define ML_COMPUTED_GOTO 0
#define l_noinline
#endif

/* ---------------------------------------------------------------------- */
/* Conversions                                                            */
/* ---------------------------------------------------------------------- */

/* An integral float to an integer, when it is in range. */
static inline int numtoint(lua_Number n, lua_Integer *p) {
  if (n >= cast_num(LUA_MININTEGER) && n < -cast_num(LUA_MININTEGER)) {
    *p = (lua_Integer)n;
    return 1;
  }
  return 0;
}

/* mode 0: only an integral n; 1: floor(n); 2: ceil(n). NaN fails. */
static int flttointeger(lua_Number n, lua_Integer *p, int mode) {
  lua_Number f = l_floor(n);
  if (f != n) {
    if (mode == 0) return 0;
    if (mode == 2) f += 1;
  }
  return numtoint(f, p);
}

/* A string with the whole syntax of a numeral, converted into *v. */
static int strtonum(const TValue *obj, TValue *v) {
  return cvt2num(obj) && obj_str2num(svalue(obj), v) == vslen(obj) + 1;
}

int vm_tonumber_(lua_State *L, const TValue *obj, lua_Number *n) {
  TValue v;
  UNUSED(L);
  if (ttisinteger(obj)) {
    *n = cast_num(ivalue(obj));
    return 1;
  }
  if (ttisfloat(obj)) {
    *n = fltvalue(obj);
    return 1;
  }
  if (strtonum(obj, &v)) {
    *n = nvalue(&v);
    return 1;
  }
  return 0;
}

int vm_tointeger(const TValue *obj, lua_Integer *p, int mode) {
  TValue v;
  if (ttisinteger(obj)) {
    *p = ivalue(obj);
    return 1;
  }
  if (strtonum(obj, &v)) obj = &v;
  if (ttisinteger(obj)) {
    *p = ivalue(obj);
    return 1;
  }
  return ttisfloat(obj) && flttointeger(fltvalue(obj), p, mode);
}

/* ---------------------------------------------------------------------- */
/* Integer and float arithmetic                                           */
/* ---------------------------------------------------------------------- */

/* Floor division; n is 0 or -1 only on the rare path. */
static inline lua_Integer idivfloor(lua_State *L, lua_Integer m,
                                    lua_Integer n) {
  lua_Integer q;
  if (l_unlikely(l_castS2U(n) + 1u <= 1u)) {
    if (n == 0) dbg_runerror(L, "attempt to divide by zero");
    return intop(-, 0, m); /* m // -1, wrapping at mininteger */
  }
  q = m / n;
  if ((m ^ n) < 0 && m % n != 0) q -= 1; /* C truncates: round down */
  return q;
}

static inline lua_Integer imodfloor(lua_State *L, lua_Integer m,
                                    lua_Integer n) {
  lua_Integer r;
  if (l_unlikely(l_castS2U(n) + 1u <= 1u)) {
    if (n == 0) dbg_runerror(L, "attempt to perform 'n%%0'");
    return 0; /* m % -1 (avoids the overflow of mininteger % -1) */
  }
  r = m % n;
  if (r != 0 && (r ^ n) < 0) r += n; /* the result takes n's sign */
  return r;
}

static inline lua_Number fmodfloor(lua_Number m, lua_Number n) {
  lua_Number r = l_mathop(fmod)(m, n);
  if (r != 0 && (r > 0) != (n > 0)) r += n;
  return r;
}

static inline lua_Number numpow(lua_Number a, lua_Number b) {
  return b == 2 ? a * a : l_mathop(pow)(a, b);
}

lua_Integer vm_div(lua_State *L, lua_Integer m, lua_Integer n) {
  return idivfloor(L, m, n);
}

lua_Integer vm_mod(lua_State *L, lua_Integer m, lua_Integer n) {
  return imodfloor(L, m, n);
}

lua_Number vm_modf(lua_State *L, lua_Number m, lua_Number n) {
  UNUSED(L);
  return fmodfloor(m, n);
}

/* Logical shift left by y (right when y < 0); all bits out gives 0. */
lua_Integer vm_shiftl(lua_Integer x, lua_Integer y) {
  if (y < 0) {
    if (y <= -NBITS) return 0;
    return l_castU2S(l_castS2U(x) >> (-y));
  }
  if (y >= NBITS) return 0;
  return l_castU2S(l_castS2U(x) << y);
}

/* The float result of an arithmetic event on two floats. */
static lua_Number numarith(TMS event, lua_Number a, lua_Number b) {
  switch (event) {
    case TM_ADD: return a + b;
    case TM_SUB: return a - b;
    case TM_MUL: return a * b;
    case TM_DIV: return a / b;
    case TM_POW: return numpow(a, b);
    case TM_IDIV: return l_floor(a / b);
    case TM_UNM: return -a;
    default: return fmodfloor(a, b); /* TM_MOD */
  }
}

static lua_Integer intbitop(TMS event, lua_Integer a, lua_Integer b) {
  switch (event) {
    case TM_BAND: return intop(&, a, b);
    case TM_BOR: return intop(|, a, b);
    case TM_BXOR: return intop(^, a, b);
    case TM_SHL: return vm_shiftl(a, b);
    case TM_SHR: return vm_shiftl(a, intop(-, 0, b));
    default: return intop(^, ~l_castS2U(0), a); /* TM_BNOT */
  }
}

/* Arithmetic with string operands (always float, as 5.3) or a metamethod. */
static l_noinline void arithslow(lua_State *L, StkId ra, const TValue *rb,
                                 const TValue *rc, TMS event) {
  lua_Number nb, nc;
  if (tonumber(rb, &nb) && tonumber(rc, &nc)) {
    setfltvalue(ra, numarith(event, nb, nc));
  } else {
    meta_trybinTM(L, rb, rc, ra, event);
  }
}

/* Bitwise operation on operands that are not both integers. */
static l_noinline void bitslow(lua_State *L, StkId ra, const TValue *rb,
                               const TValue *rc, TMS event) {
  lua_Integer ib, ic;
  if (tointeger(rb, &ib) && tointeger(rc, &ic)) {
    setivalue(ra, intbitop(event, ib, ic));
  } else {
    meta_trybinTM(L, rb, rc, ra, event);
  }
}

/* ---------------------------------------------------------------------- */
/* Comparisons                                                            */
/* ---------------------------------------------------------------------- */

/*
** Integer against float, exactly: i < f <=> i < ceil(f), i <= f <=>
** i <= floor(f), and so on. A float outside the integer range is above or
** below all of them; NaN compares false.
*/
static int LTintfloat(lua_Integer i, lua_Number f) {
  lua_Integer fi;
  if (flttointeger(f, &fi, 2)) return i < fi;
  return f > 0;
}

static int LEintfloat(lua_Integer i, lua_Number f) {
  lua_Integer fi;
  if (flttointeger(f, &fi, 1)) return i <= fi;
  return f > 0;
}

static int LTfloatint(lua_Number f, lua_Integer i) {
  lua_Integer fi;
  if (flttointeger(f, &fi, 1)) return fi < i;
  return f < 0;
}

static int LEfloatint(lua_Number f, lua_Integer i) {
  lua_Integer fi;
  if (flttointeger(f, &fi, 2)) return fi <= i;
  return f < 0;
}

static int LTnum(const TValue *l, const TValue *r) {
  if (ttisinteger(l)) {
    if (ttisinteger(r)) return ivalue(l) < ivalue(r);
    return LTintfloat(ivalue(l), fltvalue(r));
  }
  if (ttisfloat(r)) return fltvalue(l) < fltvalue(r);
  return LTfloatint(fltvalue(l), ivalue(r));
}

static int LEnum(const TValue *l, const TValue *r) {
  if (ttisinteger(l)) {
    if (ttisinteger(r)) return ivalue(l) <= ivalue(r);
    return LEintfloat(ivalue(l), fltvalue(r));
  }
  if (ttisfloat(r)) return fltvalue(l) <= fltvalue(r);
  return LEfloatint(fltvalue(l), ivalue(r));
}

/*
** strcoll order, for strings that may hold '\0': compares the pieces
** between zeros one by one.
*/
static int l_strcmp(const TString *ls, const TString *rs) {
  const char *l = getstr(ls), *r = getstr(rs);
  size_t ll = tsslen(ls), lr = tsslen(rs);
  for (;;) {
    int c = strcoll(l, r);
    size_t seg;
    if (c != 0) return c;
    seg = strlen(l); /* equal so far: both have a '\0' at 'seg' */
    if (seg == lr) return seg == ll ? 0 : 1;
    if (seg == ll) return -1;
    seg++;
    l += seg;
    ll -= seg;
    r += seg;
    lr -= seg;
  }
}

int vm_lessthan(lua_State *L, const TValue *l, const TValue *r) {
  int res;
  if (ttisnumber(l) && ttisnumber(r)) return LTnum(l, r);
  if (ttisstring(l) && ttisstring(r))
    return l_strcmp(tsvalue(l), tsvalue(r)) < 0;
  res = meta_callorderTM(L, l, r, TM_LT);
  if (res < 0) dbg_ordererror(L, l, r);
  return res;
}

/* Without __le, a <= b is tried as not (b < a), marked by CIST_LEQ so
** that vm_finishOp can invert a result that comes after a yield. */
int vm_lessequal(lua_State *L, const TValue *l, const TValue *r) {
  int res;
  if (ttisnumber(l) && ttisnumber(r)) return LEnum(l, r);
  if (ttisstring(l) && ttisstring(r))
    return l_strcmp(tsvalue(l), tsvalue(r)) <= 0;
  res = meta_callorderTM(L, l, r, TM_LE);
  if (res >= 0) return res;
  L->ci->callstatus |= CIST_LEQ;
  res = meta_callorderTM(L, r, l, TM_LT);
  L->ci->callstatus ^= CIST_LEQ;
  if (res < 0) dbg_ordererror(L, l, r);
  return !res;
}

/* Equality of two values of different variants: only numbers can be. */
static int eqvariants(const TValue *t1, const TValue *t2) {
  lua_Integer i1, i2;
  if (!ttisnumber(t1) || !ttisnumber(t2)) return 0;
  return tointeger(t1, &i1) && tointeger(t2, &i2) && i1 == i2;
}

/* With L == NULL, no metamethod is called (raw equality). */
int vm_equalobj(lua_State *L, const TValue *t1, const TValue *t2) {
  const TValue *tm;
  if (ttype(t1) != ttype(t2)) return eqvariants(t1, t2);
  switch (ttype(t1)) {
    case LUA_TNIL: return 1;
    case LUA_TNUMINT: return ivalue(t1) == ivalue(t2);
    case LUA_TNUMFLT: return fltvalue(t1) == fltvalue(t2);
    case LUA_TBOOLEAN: return bvalue(t1) == bvalue(t2);
    case LUA_TLIGHTUSERDATA: return pvalue(t1) == pvalue(t2);
    case LUA_TLCF: return fvalue(t1) == fvalue(t2);
    case LUA_TSHRSTR: return eqshrstr(tsvalue(t1), tsvalue(t2));
    case LUA_TLNGSTR: return str_eqlngstr(tsvalue(t1), tsvalue(t2));
    case LUA_TUSERDATA:
      if (uvalue(t1) == uvalue(t2)) return 1;
      if (L == NULL) return 0;
      tm = fasttm(L, uvalue(t1)->metatable, TM_EQ);
      if (tm == NULL) tm = fasttm(L, uvalue(t2)->metatable, TM_EQ);
      break;
    case LUA_TTABLE:
      if (hvalue(t1) == hvalue(t2)) return 1;
      if (L == NULL) return 0;
      tm = fasttm(L, overlay_mt(G(L), hvalue(t1)), TM_EQ);
      if (tm == NULL) tm = fasttm(L, overlay_mt(G(L), hvalue(t2)), TM_EQ);
      break;
    default: return gcvalue(t1) == gcvalue(t2);
  }
  if (tm == NULL) return 0;
  meta_calltm(L, tm, t1, t2, L->top, 1);
  return !l_isfalse(L->top);
}

/* Equality decided without a call, or -1 (metamethods, long strings,
** integer against float). */
static inline int quickeq(const TValue *a, const TValue *b) {
  if (rttype(a) != rttype(b)) return (ttisnumber(a) && ttisnumber(b)) ? -1 : 0;
  switch (rttype(a)) {
    case LUA_TNUMINT: return ivalue(a) == ivalue(b);
    case ctb(LUA_TSHRSTR): return tsvalue(a) == tsvalue(b);
    case LUA_TNIL: return 1;
    case LUA_TBOOLEAN: return bvalue(a) == bvalue(b);
    case LUA_TNUMFLT: return fltvalue(a) == fltvalue(b);
    case LUA_TLIGHTUSERDATA: return pvalue(a) == pvalue(b);
    case LUA_TLCF: return fvalue(a) == fvalue(b);
    case ctb(LUA_TTABLE): case ctb(LUA_TUSERDATA): case ctb(LUA_TLNGSTR):
      return gcvalue(a) == gcvalue(b) ? 1 : -1;
    default: return gcvalue(a) == gcvalue(b);
  }
}

/* ---------------------------------------------------------------------- */
/* Table access                                                           */
/* ---------------------------------------------------------------------- */

/*
** table_getshortstr, inline: a short string's main position is its hash
** modulo the (power of 2) node count, as table.c places it; a chain links
** the colliding nodes by offsets, 0 ending it.
*/
static inline const TValue *getshortstr(const Table *h, const TString *key) {
  const Node *n = gnode(h, lmod(key->hash, sizenode(h)));
  for (;;) {
    if (keyisshrstr(n) && keystrval(n) == key) return gval(n);
    if (gnext(n) == 0) return luaO_nilobject;
    n += gnext(n);
  }
}

/* The slot of key in h; a nil slot or luaO_nilobject when absent.
** Integer keys in the array part and short strings skip table_get. A
** written ROM table is read through its overlay (not to be written). */
static l_noinline const TValue *overlayslot(lua_State *L, Table *h,
                                            const TValue *key) {
  Table *ram;
  if (!ttisshrstring(key)) return overlay_get(G(L), h, key);
  ram = overlay_find(G(L), h);
  if (ram != NULL) {
    const TValue *v = getshortstr(ram, tsvalue(key));
    if (!ttisnil(v)) return overlay_isdeleted(v) ? luaO_nilobject : v;
  }
  return getshortstr(h, tsvalue(key));
}

static inline const TValue *fastslot(lua_State *L, Table *h,
                                     const TValue *key) {
  if (l_unlikely(overlay_active(G(L), h))) return overlayslot(L, h, key);
  if (ttisshrstring(key)) return getshortstr(h, tsvalue(key));
  if (ttisinteger(key)) {
    lua_Unsigned idx = l_castS2U(ivalue(key)) - 1u;
    if (idx < h->sizearray) return &h->array[idx];
    return table_getint(h, ivalue(key));
  }
  return table_get(h, key);
}

/*
** Stores val in a slot found by fastslot, when no metamethod can be
** involved: an existing value, or a nil slot of a table without a
** metatable. 0 when vm_finishset must decide.
*/
static inline int storefast(lua_State *L, Table *h, const TValue *slot,
                            const TValue *val) {
  if (l_unlikely(isreadonly(h))) return 0;
  if (ttisnil(slot)) {
    if (slot == luaO_nilobject || h->metatable != NULL) return 0;
    h->flags = 0; /* the key may be a metamethod name */
  }
  setobj2t(L, cast(TValue *, slot), val);
  gc_barrierback(L, h, val);
  return 1;
}

/* fasttm with the lookup inline; meta_gettm caches an absence. */
static inline const TValue *tmof(lua_State *L, Table *mt, TMS event) {
  const TValue *tm;
  if (mt == NULL) return NULL;
  if (l_unlikely(overlay_active(G(L), mt))) {
    tm = overlay_getshortstr(G(L), mt, G(L)->tmname[event]);
    return ttisnil(tm) ? NULL : tm;
  }
  if (mt->flags & (1u << event)) return NULL;
  tm = getshortstr(mt, G(L)->tmname[event]);
  return ttisnil(tm) ? meta_gettm(G(L), mt, event, G(L)->tmname[event]) : tm;
}

void vm_finishget(lua_State *L, const TValue *t, TValue *key, StkId val,
                  const TValue *slot) {
  int loop;
  for (loop = 0; loop < MAXTAGLOOP; loop++) {
    const TValue *tm;
    if (slot == NULL) { /* t is not a table */
      tm = meta_gettmbyobj(L, t, TM_INDEX);
      if (ttisnil(tm)) dbg_typeerror(L, t, "index");
    } else {
      tm = tmof(L, overlay_mt(G(L), hvalue(t)), TM_INDEX);
      if (tm == NULL) {
        setnilvalue(val);
        return;
      }
    }
    if (ttisfunction(tm)) {
      meta_calltm(L, tm, t, key, val, 1);
      return;
    }
    t = tm;
    if (vm_fastget(L, t, key, slot, fastslot)) {
      setobj2s(L, val, slot);
      return;
    }
  }
  dbg_runerror(L, "'__index' chain too long; possible loop");
}

/* A method found through a table __index (the class), or a nil slot. */
static inline const TValue *methodslot(lua_State *L, Table *h,
                                       const TValue *key) {
  const TValue *tm = tmof(L, overlay_mt(G(L), h), TM_INDEX);
  if (tm == NULL || !ttistable(tm)) return luaO_nilobject;
  return fastslot(L, hvalue(tm), key);
}

/* A raw store into a slot of h found by a lookup of key. */
static void rawset(lua_State *L, Table *h, TValue *key, const TValue *val,
                   const TValue *slot) {
  TValue *dst;
  if (isreadonly(h)) {
    overlay_set(L, h, key, val);
    return;
  }
  if (slot == luaO_nilobject) dst = table_newkey(L, h, key);
  else dst = cast(TValue *, slot);
  setobj2t(L, dst, val);
  invalidateTMcache(h);
  gc_barrierback(L, h, val);
}

/* slot: NULL when t is not a table, else the result of a lookup of key
** (which may have a value: the table is then read-only). */
void vm_finishset(lua_State *L, const TValue *t, TValue *key, StkId val,
                  const TValue *slot) {
  int loop;
  for (loop = 0; loop < MAXTAGLOOP; loop++) {
    const TValue *tm;
    if (slot != NULL) {
      Table *h = hvalue(t);
      if (!ttisnil(slot) ||
          (tm = tmof(L, overlay_mt(G(L), h), TM_NEWINDEX)) == NULL) {
        rawset(L, h, key, val, slot);
        return;
      }
    } else {
      tm = meta_gettmbyobj(L, t, TM_NEWINDEX);
      if (ttisnil(tm)) dbg_typeerror(L, t, "index");
    }
    if (ttisfunction(tm)) {
      meta_calltm(L, tm, t, key, val, 0);
      return;
    }
    t = tm;
    if (ttistable(t)) {
      slot = fastslot(L, hvalue(t), key);
      if (!ttisnil(slot) && storefast(L, hvalue(t), slot, val)) return;
    } else {
      slot = NULL;
    }
  }
  dbg_runerror(L, "'__newindex' chain too long; possible loop");
}

void vm_gettable(lua_State *L, const TValue *t, TValue *key, StkId val) {
  const TValue *slot;
  if (vm_fastget(L, t, key, slot, fastslot)) {
    setobj2s(L, val, slot);
  } else {
    vm_finishget(L, t, key, val, slot);
  }
}

void vm_settable(lua_State *L, const TValue *t, TValue *key, StkId val) {
  const TValue *slot = NULL;
  if (!ttistable(t) ||
      !storefast(L, hvalue(t), slot = fastslot(L, hvalue(t), key), val))
    vm_finishset(L, t, key, val, slot);
}

/* ---------------------------------------------------------------------- */
/* Length and concatenation                                               */
/* ---------------------------------------------------------------------- */

void vm_objlen(lua_State *L, StkId ra, const TValue *rb) {
  const TValue *tm;
  switch (ttype(rb)) {
    case LUA_TTABLE: {
      Table *h = hvalue(rb);
      tm = fasttm(L, overlay_mt(G(L), h), TM_LEN);
      if (tm != NULL) break;
      setivalue(ra, l_castU2S(overlay_active(G(L), h) ? overlay_getn(G(L), h)
                                                      : table_getn(h)));
      return;
    }
    case LUA_TSHRSTR:
      setivalue(ra, tsvalue(rb)->shrlen);
      return;
    case LUA_TLNGSTR:
      setivalue(ra, cast(lua_Integer, tsvalue(rb)->u.lnglen));
      return;
    default:
      tm = meta_gettmbyobj(L, rb, TM_LEN);
      if (ttisnil(tm)) dbg_typeerror(L, rb, "get length of");
      break;
  }
  meta_calltm(L, tm, rb, rb, ra, 1);
}

/* Is o a string, after converting a number in place? (may allocate) */
static int tostringinplace(lua_State *L, StkId o) {
  if (ttisstring(o)) return 1;
  if (!cvt2str(o)) return 0;
  obj_tostring(L, o);
  return 1;
}

static int isemptystr(const TValue *o) {
  return ttisshrstring(o) && tsvalue(o)->shrlen == 0;
}

/* Copies the n strings just below top, in order, into buff. */
static void copystrings(StkId top, int n, char *buff) {
  size_t pos = 0;
  for (; n > 0; n--) {
    TString *s = tsvalue(top - n);
    size_t l = tsslen(s);
    memcpy(buff + pos, getstr(s), l);
    pos += l;
  }
}

/* Joins the longest run of strings (at least two) that ends at top into
** one; the result replaces the first. Returns the run's length. */
static int concatrun(lua_State *L, StkId top, int total) {
  size_t tl = vslen(top - 1);
  TString *ts;
  int n;
  for (n = 1; n < total && tostringinplace(L, top - n - 1); n++) {
    size_t l = vslen(top - n - 1);
    if (l >= MAX_SIZE - tl) dbg_runerror(L, "string length overflow");
    tl += l;
  }
  if (tl <= LUAI_MAXSHORTLEN) {
    char buff[LUAI_MAXSHORTLEN];
    copystrings(top, n, buff);
    ts = str_newlstr(L, buff, tl);
  } else {
    ts = str_createlngstrobj(L, tl);
    copystrings(top, n, getstr(ts));
    getstr(ts)[tl] = '\0';
  }
  setsvalue2s(L, top - n, ts);
  return n;
}

/*
** Concatenates the 'total' values below L->top, right to left, leaving
** the result in the first and popping the others. A __concat call takes
** the two topmost values (vm_finishOp relies on this layout).
*/
void vm_concat(lua_State *L, int total) {
  do {
    StkId top = L->top;
    int n = 2; /* values joined in this round */
    if (!(ttisstring(top - 2) || cvt2str(top - 2)) ||
        !tostringinplace(L, top - 1))
      meta_trybinTM(L, top - 2, top - 1, top - 2, TM_CONCAT);
    else if (isemptystr(top - 1))
      tostringinplace(L, top - 2);
    else if (isemptystr(top - 2)) {
      setobjs2s(L, top - 2, top - 1);
    } else
      n = concatrun(L, top, total);
    total -= n - 1;
    L->top -= n - 1;
  } while (total > 1);
}

/* ---------------------------------------------------------------------- */
/* Helpers of the interpreter's rarer opcodes                             */
/* ---------------------------------------------------------------------- */

/* R(A) := closure(p); upvalues from the stack or the enclosing closure. */
static l_noinline void pushclosure(lua_State *L, Proto *p, UpVal **encup,
                                   StkId base, StkId ra) {
  int n = p->sizeupvalues, j;
  const Upvaldesc *uv = p->upvalues;
  LClosure *ncl = func_newLclosure(L, n);
  ncl->p = p;
  setclLvalue(L, ra, ncl); /* anchored before findupval allocates */
  for (j = 0; j < n; j++) {
    UpVal *up = uv[j].instack ? func_findupval(L, base + uv[j].idx)
                              : encup[uv[j].idx];
    ncl->upvals[j] = up;
    gc_objbarrier(L, ncl, up);
  }
  ccache_put(L, ncl); /* complete: it may be handed out again */
}

/* R(A)[first + j] := R(A + j), 1 <= j <= n, into the array part. */
static l_noinline void setlist(lua_State *L, StkId ra, int n,
                               unsigned int first) {
  Table *h;
  unsigned int last = first + cast(unsigned int, n);
  int j;
  if (!ttistable(ra) || isreadonly(hvalue(ra))) /* only in a crafted chunk */
    dbg_runerror(L, "bad table in SETLIST");
  h = hvalue(ra);
  if (last > h->sizearray) table_resizearray(L, h, last);
  for (j = 1; j <= n; j++) {
    TValue *val = ra + j;
    setobj2t(L, &h->array[first + cast(unsigned int, j) - 1], val);
    gc_barrierback(L, h, val);
  }
}

/*
** The limit of an integer loop: floor (step > 0) or ceil (step < 0) of a
** float, or the end of the integer range for a float beyond it. 0 when
** the limit is not a number (then the loop is a float loop). *skip: the
** loop does not run (limit beyond the range on the wrong side, or NaN).
*/
static int forlimit(lua_State *L, const TValue *obj, lua_Integer step,
                    lua_Integer *p, int *skip) {
  lua_Number n;
  *skip = 0;
  if (vm_tointeger(obj, p, step < 0 ? 2 : 1)) return 1;
  if (!tonumber(obj, &n)) return 0;
  if (n > 0) {
    *p = LUA_MAXINTEGER;
    *skip = step < 0;
  } else if (n < 0) {
    *p = LUA_MININTEGER;
    *skip = step > 0;
  } else {
    *skip = 1; /* NaN */
  }
  return 1;
}

/*
** An integer loop keeps in R(A+1) not the limit but the number of
** iterations left after the current one, so it never overflows. A zero
** step (as 5.3) loops "forever" when init >= limit.
*/
static int intforprep(StkId ra, lua_Integer init, lua_Integer limit,
                      lua_Integer step) {
  lua_Unsigned count;
  if (step > 0 ? init > limit : init < limit) return 1;
  if (step > 0)
    count = (l_castS2U(limit) - l_castS2U(init)) / l_castS2U(step);
  else if (step < 0)
    count = (l_castS2U(init) - l_castS2U(limit)) /
            (l_castS2U(-(step + 1)) + 1u);
  else
    count = ~l_castS2U(0);
  setivalue(ra + 1, l_castU2S(count));
  setivalue(ra + 3, init);
  return 0;
}

static int floatforprep(lua_State *L, StkId ra) {
  lua_Number init, limit, step, first;
  if (!tonumber(ra + 1, &limit))
    dbg_runerror(L, "'for' limit must be a number");
  if (!tonumber(ra + 2, &step)) dbg_runerror(L, "'for' step must be a number");
  if (!tonumber(ra, &init))
    dbg_runerror(L, "'for' initial value must be a number");
  first = init - step; /* as 5.3: the first value is (init - step) + step */
  first = first + step;
  if (!(step > 0 ? first <= limit : limit <= first)) return 1;
  setfltvalue(ra, first);
  setfltvalue(ra + 1, limit);
  setfltvalue(ra + 2, step);
  setfltvalue(ra + 3, first);
  return 0;
}

/* OP_FORPREP: 1 when the body must not run at all. */
static l_noinline int forprep(lua_State *L, StkId ra) {
  if (ttisinteger(ra) && ttisinteger(ra + 2)) {
    lua_Integer limit;
    int skip;
    if (forlimit(L, ra + 1, ivalue(ra + 2), &limit, &skip)) {
      if (skip) return 1;
      return intforprep(ra, ivalue(ra), limit, ivalue(ra + 2));
    }
  }
  return floatforprep(L, ra);
}

/*
** OP_TAILCALL after call_precall built the callee's frame above the
** caller's: moves the callee (function, arguments) down onto the caller's
** frame, which it replaces. Returns that CallInfo.
*/
static l_noinline CallInfo *tailcall(lua_State *L, int closeupvals) {
  CallInfo *nci = L->ci, *oci = nci->previous;
  StkId nfunc = nci->func, ofunc = oci->func;
  StkId lim = nci->u.l.base + getproto(nfunc)->numparams;
  int j;
  if (closeupvals) func_close(L, oci->u.l.base);
  for (j = 0; nfunc + j < lim; j++) setobjs2s(L, ofunc + j, nfunc + j);
  oci->u.l.base = ofunc + (nci->u.l.base - nfunc);
  oci->top = L->top = ofunc + (L->top - nfunc);
  oci->u.l.savedpc = nci->u.l.savedpc;
  oci->callstatus |= CIST_TAIL;
  L->ci = oci;
  return oci;
}

/*
** The common calls, inline: a Lua function with fixed parameters, no hook
** and room on the stack, with a CallInfo ready. This is call_precall's
** and call_poscall's work for that case (call.c does every other case).
*/
static inline int fastcall(lua_State *L, StkId func, int nresults) {
  const Proto *p;
  CallInfo *nci;
  int n;
  if (!ttisLclosure(func) || L->hookmask) return 0;
  p = clLvalue(func)->p;
  nci = L->ci->next;
  if (p->is_vararg || nci == NULL || L->stack_last - L->top <= p->maxstacksize)
    return 0;
  for (n = cast_int(L->top - func) - 1; n < p->numparams; n++) {
    setnilvalue(L->top);
    L->top++;
  }
  nci->nresults = cast(short, nresults);
  nci->func = func;
  nci->u.l.base = func + 1;
  L->top = nci->top = func + 1 + p->maxstacksize;
  nci->u.l.savedpc = p->code;
  nci->callstatus = CIST_LUA;
  L->ci = nci;
  return 1;
}

/* Moves the results of ci where its function was; no hook is set. */
static inline void fastreturn(lua_State *L, CallInfo *ci, StkId first,
                              int nres) {
  StkId res = ci->func;
  int wanted = ci->nresults, j;
  L->ci = ci->previous;
  if (wanted == LUA_MULTRET) wanted = nres;
  for (j = 0; j < nres && j < wanted; j++) setobjs2s(L, res + j, first + j);
  for (; j < wanted; j++) setnilvalue(res + j);
  L->top = res + wanted;
}

/* ---------------------------------------------------------------------- */
/* The interpreter                                                        */
/* ---------------------------------------------------------------------- */

#define RB(i) (base + GETARG_B(i))
#define RKB(i) \
  (ISK(GETARG_B(i)) ? k + INDEXK(GETARG_B(i)) : base + GETARG_B(i))
#define RKC(i) \
  (ISK(GETARG_C(i)) ? k + INDEXK(GETARG_C(i)) : base + GETARG_C(i))

#define savepc() (ci->u.l.savedpc = pc)
#define updatebase() (base = ci->u.l.base)
/* around anything that may raise, call back into Lua or move the stack */
#define Protect(x) { savepc(); x; updatebase(); }

/* GC safe point: registers from c up are dead here. */
#define checkGC(c) \
  gc_condGC(L, { L->top = (c); savepc(); }, { L->top = ci->top; updatebase(); })

#define dojump(ins) { \
  int a_ = GETARG_A(ins); \
  if (a_ != 0) func_close(L, base + a_ - 1); \
  pc += GETARG_sBx(ins); }

/* a test's next instruction is its jump */
#define donextjump() { Instruction ni_ = *pc; dojump(ni_); pc++; }

#define vmfetch() { \
  i = *pc++; \
  if (l_unlikely(L->hookmask & (LUA_MASKLINE | LUA_MASKCOUNT))) { \
    savepc(); \
    dbg_traceexec(L); \
    updatebase(); \
  } \
  ra = base + GETARG_A(i); }

#if ML_COMPUTED_GOTO
#define vmdispatch(o) goto *disptab[o];
#define vmcase(l) L_OP_##l:
#define vmbreak { vmfetch(); vmdispatch(GET_OPCODE(i)); }
#else
#define vmdispatch(o) switch (cast_int(o))
#define vmcase(l) case OP_##l:
#define vmbreak break
#endif

/* R(A) := RK(B) op RK(C): integers wrap, mixed operands are floats. */
#define arithop(iop, fop, ev) { \
  TValue *rb = RKB(i), *rc = RKC(i); \
  if (ttisinteger(rb) && ttisinteger(rc)) { \
    setivalue(ra, intop(iop, ivalue(rb), ivalue(rc))); \
  } else if (ttisnumber(rb) && ttisnumber(rc)) { \
    setfltvalue(ra, nvalue(rb) fop nvalue(rc)); \
  } else Protect(arithslow(L, ra, rb, rc, ev)); }

/* float-only operations (/ and ^) */
#define floatop(fexp, ev) { \
  TValue *rb = RKB(i), *rc = RKC(i); \
  if (ttisnumber(rb) && ttisnumber(rc)) { \
    lua_Number nb = nvalue(rb), nc = nvalue(rc); \
    setfltvalue(ra, fexp); \
  } else Protect(arithslow(L, ra, rb, rc, ev)); }

/* // and %: integer version may raise (division by zero) */
#define floorop(ifun, fexp, ev) { \
  TValue *rb = RKB(i), *rc = RKC(i); \
  if (ttisinteger(rb) && ttisinteger(rc)) { \
    savepc(); \
    setivalue(ra, ifun(L, ivalue(rb), ivalue(rc))); \
  } else if (ttisnumber(rb) && ttisnumber(rc)) { \
    lua_Number nb = nvalue(rb), nc = nvalue(rc); \
    setfltvalue(ra, fexp); \
  } else Protect(arithslow(L, ra, rb, rc, ev)); }

#define bitop(iexp, ev) { \
  TValue *rb = RKB(i), *rc = RKC(i); \
  if (ttisinteger(rb) && ttisinteger(rc)) { \
    lua_Integer ib = ivalue(rb), ic = ivalue(rc); \
    setivalue(ra, iexp); \
  } else Protect(bitslow(L, ra, rb, rc, ev)); }

/* comparison: if ((RK(B) op RK(C)) ~= A) then pc++ (else jump) */
#define cmpop(op, slowf) { \
  TValue *rb = RKB(i), *rc = RKC(i); \
  int res; \
  if (ttisinteger(rb) && ttisinteger(rc)) res = ivalue(rb) op ivalue(rc); \
  else if (ttisfloat(rb) && ttisfloat(rc)) res = fltvalue(rb) op fltvalue(rc); \
  else Protect(res = slowf(L, rb, rc)); \
  if (res != GETARG_A(i)) pc++; \
  else donextjump(); }

void vm_execute(lua_State *L) {
  CallInfo *ci = L->ci;
  LClosure *cl;
  TValue *k;
  StkId base;
  const Instruction *pc;
  Instruction i;
  StkId ra;
#if ML_COMPUTED_GOTO
#define ML_OP_LABEL(name, t, a, b, c, mode) &&L_OP_##name,
  static const void *const disptab[NUM_OPCODES] = {ML_OPCODES(ML_OP_LABEL)};
#undef ML_OP_LABEL
#endif
  ci->callstatus |= CIST_FRESH; /* its RETURN leaves vm_execute */
newframe:
  cl = clLvalue(ci->func);
  k = cl->p->k;
  base = ci->u.l.base;
  pc = ci->u.l.savedpc;
  for (;;) {
    vmfetch();
    vmdispatch(GET_OPCODE(i)) {
      vmcase(MOVE) {
        setobjs2s(L, ra, RB(i));
        vmbreak;
      }
      vmcase(LOADK) {
        setobj2s(L, ra, k + GETARG_Bx(i));
        vmbreak;
      }
      vmcase(LOADKX) {
        setobj2s(L, ra, k + GETARG_Ax(*pc));
        pc++;
        vmbreak;
      }
      vmcase(LOADBOOL) {
        setbvalue(ra, GETARG_B(i));
        if (GETARG_C(i)) pc++;
        vmbreak;
      }
      vmcase(LOADNIL) {
        int b = GETARG_B(i);
        do {
          setnilvalue(ra++);
        } while (b--);
        vmbreak;
      }
      vmcase(GETUPVAL) {
        setobj2s(L, ra, cl->upvals[GETARG_B(i)]->v);
        vmbreak;
      }
      vmcase(GETTABUP) {
        TValue *t = cl->upvals[GETARG_B(i)]->v;
        TValue *rc = RKC(i);
        const TValue *slot;
        if (vm_fastget(L, t, rc, slot, fastslot)) {
          setobj2s(L, ra, slot);
        } else Protect(vm_finishget(L, t, rc, ra, slot));
        vmbreak;
      }
      vmcase(GETTABLE) {
        StkId rb = RB(i);
        TValue *rc = RKC(i);
        const TValue *slot;
        if (vm_fastget(L, rb, rc, slot, fastslot)) {
          setobj2s(L, ra, slot);
        } else Protect(vm_finishget(L, rb, rc, ra, slot));
        vmbreak;
      }
      vmcase(SETTABUP) {
        TValue *t = cl->upvals[GETARG_A(i)]->v;
        TValue *rb = RKB(i), *rc = RKC(i);
        const TValue *slot = NULL;
        if (!ttistable(t) ||
            !storefast(L, hvalue(t), slot = fastslot(L, hvalue(t), rb), rc))
          Protect(vm_finishset(L, t, rb, rc, slot));
        vmbreak;
      }
      vmcase(SETUPVAL) {
        UpVal *uv = cl->upvals[GETARG_B(i)];
        setobj(L, uv->v, ra);
        gc_upvalbarrier(L, uv);
        vmbreak;
      }
      vmcase(SETTABLE) {
        TValue *rb = RKB(i), *rc = RKC(i);
        const TValue *slot = NULL;
        if (!ttistable(ra) ||
            !storefast(L, hvalue(ra), slot = fastslot(L, hvalue(ra), rb), rc))
          Protect(vm_finishset(L, ra, rb, rc, slot));
        vmbreak;
      }
      vmcase(NEWTABLE) {
        int b = GETARG_B(i), c = GETARG_C(i);
        Table *t;
        savepc();
        t = table_new(L);
        sethvalue(L, ra, t);
        if (b != 0 || c != 0)
          table_resize(L, t, cast(unsigned int, code_fb2int(b)),
                       cast(unsigned int, code_fb2int(c)));
        checkGC(ra + 1);
        vmbreak;
      }
      vmcase(SELF) {
        StkId rb = RB(i);
        TValue *rc = RKC(i);
        const TValue *slot, *method;
        setobjs2s(L, ra + 1, rb);
        if (vm_fastget(L, rb, rc, slot, fastslot)) {
          setobj2s(L, ra, slot);
        } else if (slot != NULL &&
                   !ttisnil(method = methodslot(L, hvalue(rb), rc))) {
          setobj2s(L, ra, method);
        } else Protect(vm_finishget(L, rb, rc, ra, slot));
        vmbreak;
      }
      vmcase(ADD) {
        arithop(+, +, TM_ADD);
        vmbreak;
      }
      vmcase(SUB) {
        arithop(-, -, TM_SUB);
        vmbreak;
      }
      vmcase(MUL) {
        arithop(*, *, TM_MUL);
        vmbreak;
      }
      vmcase(MOD) {
        floorop(imodfloor, fmodfloor(nb, nc), TM_MOD);
        vmbreak;
      }
      vmcase(POW) {
        floatop(numpow(nb, nc), TM_POW);
        vmbreak;
      }
      vmcase(DIV) {
        floatop(nb / nc, TM_DIV);
        vmbreak;
      }
      vmcase(IDIV) {
        floorop(idivfloor, l_floor(nb / nc), TM_IDIV);
        vmbreak;
      }
      vmcase(BAND) {
        bitop(intop(&, ib, ic), TM_BAND);
        vmbreak;
      }
      vmcase(BOR) {
        bitop(intop(|, ib, ic), TM_BOR);
        vmbreak;
      }
      vmcase(BXOR) {
        bitop(intop(^, ib, ic), TM_BXOR);
        vmbreak;
      }
      vmcase(SHL) {
        bitop(vm_shiftl(ib, ic), TM_SHL);
        vmbreak;
      }
      vmcase(SHR) {
        bitop(vm_shiftl(ib, intop(-, 0, ic)), TM_SHR);
        vmbreak;
      }
      vmcase(UNM) {
        TValue *rb = RB(i);
        if (ttisinteger(rb)) {
          setivalue(ra, intop(-, 0, ivalue(rb)));
        } else if (ttisfloat(rb)) {
          setfltvalue(ra, -fltvalue(rb));
        } else Protect(arithslow(L, ra, rb, rb, TM_UNM));
        vmbreak;
      }
      vmcase(BNOT) {
        TValue *rb = RB(i);
        if (ttisinteger(rb)) {
          setivalue(ra, intop(^, ~l_castS2U(0), ivalue(rb)));
        } else Protect(bitslow(L, ra, rb, rb, TM_BNOT));
        vmbreak;
      }
      vmcase(NOT) {
        TValue *rb = RB(i);
        int res = l_isfalse(rb);
        setbvalue(ra, res);
        vmbreak;
      }
      vmcase(LEN) {
        TValue *rb = RB(i);
        if (ttisshrstring(rb)) {
          setivalue(ra, tsvalue(rb)->shrlen);
        } else if (ttistable(rb) && hvalue(rb)->metatable == NULL &&
                   !isreadonly(hvalue(rb))) {
          setivalue(ra, l_castU2S(table_getn(hvalue(rb))));
        } else Protect(vm_objlen(L, ra, rb));
        vmbreak;
      }
      vmcase(CONCAT) {
        int b = GETARG_B(i), c = GETARG_C(i);
        StkId rb;
        L->top = base + c + 1; /* the operands end here */
        Protect(vm_concat(L, c - b + 1));
        ra = base + GETARG_A(i);
        rb = base + b;
        setobjs2s(L, ra, rb);
        checkGC(ra >= rb ? ra + 1 : rb);
        L->top = ci->top;
        vmbreak;
      }
      vmcase(JMP) {
        dojump(i);
        vmbreak;
      }
      vmcase(EQ) {
        TValue *rb = RKB(i), *rc = RKC(i);
        int res = quickeq(rb, rc);
        if (res < 0) Protect(res = vm_equalobj(L, rb, rc));
        if (res != GETARG_A(i)) pc++;
        else donextjump();
        vmbreak;
      }
      vmcase(LT) {
        cmpop(<, vm_lessthan);
        vmbreak;
      }
      vmcase(LE) {
        cmpop(<=, vm_lessequal);
        vmbreak;
      }
      vmcase(TEST) {
        if (GETARG_C(i) ? l_isfalse(ra) : !l_isfalse(ra)) pc++;
        else donextjump();
        vmbreak;
      }
      vmcase(TESTSET) {
        TValue *rb = RB(i);
        if (GETARG_C(i) ? l_isfalse(rb) : !l_isfalse(rb)) {
          pc++;
        } else {
          setobjs2s(L, ra, rb);
          donextjump();
        }
        vmbreak;
      }
      vmcase(CALL) {
        int b = GETARG_B(i);
        int nresults = GETARG_C(i) - 1;
        if (b != 0) L->top = ra + b; /* else the previous op set top */
        savepc();
        if (fastcall(L, ra, nresults)) {
          ci = L->ci;
          goto newframe;
        }
        if (call_precall(L, ra, nresults)) { /* C function: done */
          if (nresults >= 0) L->top = ci->top;
          updatebase();
        } else { /* Lua function: run it in this C frame */
          ci = L->ci;
          goto newframe;
        }
        vmbreak;
      }
      vmcase(TAILCALL) {
        int b = GETARG_B(i);
        if (b != 0) L->top = ra + b;
        savepc();
        if (fastcall(L, ra, LUA_MULTRET) || !call_precall(L, ra, LUA_MULTRET)) {
          ci = tailcall(L, cl->p->sizep > 0);
          goto newframe;
        }
        updatebase(); /* a C function: the next op (RETURN) returns */
        vmbreak;
      }
      vmcase(RETURN) {
        int b = GETARG_B(i);
        int nres = b != 0 ? b - 1 : cast_int(L->top - ra);
        int wanted = ci->nresults;
        int fresh = ci->callstatus & CIST_FRESH;
        savepc();
        if (cl->p->sizep > 0) func_close(L, base);
        if (L->hookmask) call_poscall(L, ci, ra, nres);
        else fastreturn(L, ci, ra, nres);
        if (fresh) return;
        ci = L->ci;
        if (wanted != LUA_MULTRET) L->top = ci->top;
        goto newframe;
      }
      vmcase(FORLOOP) {
        if (ttisinteger(ra)) {
          lua_Unsigned left = l_castS2U(ivalue(ra + 1));
          if (left > 0) {
            lua_Integer idx = intop(+, ivalue(ra), ivalue(ra + 2));
            setivalue(ra + 1, l_castU2S(left - 1)); /* tag too: see verify.c */
            chgivalue(ra, idx);
            setivalue(ra + 3, idx);
            pc += GETARG_sBx(i);
          }
        } else {
          lua_Number step = fltvalue(ra + 2);
          lua_Number idx = fltvalue(ra) + step;
          lua_Number limit = fltvalue(ra + 1);
          if (step > 0 ? idx <= limit : limit <= idx) {
            setfltvalue(ra, idx); /* tag too: see verify.c */
            setfltvalue(ra + 3, idx);
            pc += GETARG_sBx(i);
          }
        }
        vmbreak;
      }
      vmcase(FORPREP) {
        /* a loop that runs enters its body directly (R(A+3) set);
           one that does not jumps past its FORLOOP */
        savepc();
        if (forprep(L, ra))
          pc += GETARG_sBx(i) + 1;
        else if (L->hookmask & LUA_MASKLINE)
          L->oldpc = pc + GETARG_sBx(i); /* the line hook sees the first
                                            iteration as lua5.3's FORLOOP */
        vmbreak;
      }
      vmcase(TFORCALL) {
        StkId cb = ra + 3; /* call base */
        setobjs2s(L, cb + 2, ra + 2);
        setobjs2s(L, cb + 1, ra + 1);
        setobjs2s(L, cb, ra);
        L->top = cb + 3;
        Protect(call_call(L, cb, GETARG_C(i)));
        L->top = ci->top;
        i = *pc++; /* the next instruction is its TFORLOOP */
        ra = base + GETARG_A(i);
        goto l_tforloop;
      }
      vmcase(TFORLOOP) {
      l_tforloop:
        if (!ttisnil(ra + 1)) {
          setobjs2s(L, ra, ra + 1);
          pc += GETARG_sBx(i);
        }
        vmbreak;
      }
      vmcase(SETLIST) {
        int n = GETARG_B(i);
        int c = GETARG_C(i);
        if (n == 0) n = cast_int(L->top - ra) - 1;
        if (c == 0) c = GETARG_Ax(*pc++);
        savepc();
        setlist(L, ra, n, cast(unsigned int, c - 1) * LFIELDS_PER_FLUSH);
        L->top = ci->top; /* after an open call */
        vmbreak;
      }
      vmcase(CLOSURE) {
        Proto *np = cl->p->p[GETARG_Bx(i)];
        LClosure *ncl = ccache_get(L, np, cl->upvals, base);
        if (ncl != NULL) {
          setclLvalue(L, ra, ncl);
          vmbreak;
        }
        savepc();
        pushclosure(L, np, cl->upvals, base, ra);
        checkGC(ra + 1);
        vmbreak;
      }
      vmcase(VARARG) {
        int b = GETARG_B(i) - 1; /* wanted, or -1: all */
        int n = cast_int(base - ci->func) - cl->p->numparams - 1;
        int j;
        if (n < 0) n = 0;
        if (b < 0) {
          b = n;
          Protect(call_checkstack(L, n));
          ra = base + GETARG_A(i);
          L->top = ra + n;
        }
        for (j = 0; j < b && j < n; j++) setobjs2s(L, ra + j, base - n + j);
        for (; j < b; j++) setnilvalue(ra + j);
        vmbreak;
      }
      vmcase(EXTRAARG) {
        vmbreak; /* never executed: read by the instruction before */
      }
    }
  }
}

/*
** Completes the instruction whose metamethod call (or C call) was
** interrupted by a yield, once that call has returned: its result is at
** L->top - 1.
*/
void vm_finishOp(lua_State *L) {
  CallInfo *ci = L->ci;
  StkId base = ci->u.l.base;
  Instruction inst = *(ci->u.l.savedpc - 1);
  switch (GET_OPCODE(inst)) {
    case OP_ADD: case OP_SUB: case OP_MUL: case OP_DIV: case OP_IDIV:
    case OP_BAND: case OP_BOR: case OP_BXOR: case OP_SHL: case OP_SHR:
    case OP_MOD: case OP_POW: case OP_UNM: case OP_BNOT: case OP_LEN:
    case OP_GETTABUP: case OP_GETTABLE: case OP_SELF:
      L->top--;
      setobjs2s(L, base + GETARG_A(inst), L->top);
      break;
    case OP_LE: case OP_LT: case OP_EQ: {
      int res = !l_isfalse(L->top - 1);
      L->top--;
      if (ci->callstatus & CIST_LEQ) { /* __le emulated with not __lt */
        ci->callstatus ^= CIST_LEQ;
        res = !res;
      }
      if (res != GETARG_A(inst)) ci->u.l.savedpc++; /* skip the jump */
      break;
    }
    case OP_CONCAT: {
      StkId top = L->top - 1; /* L->top when __concat was called */
      int b = GETARG_B(inst);
      int total = cast_int(top - 1 - (base + b)); /* values still to join */
      setobjs2s(L, top - 2, top);
      if (total > 1) {
        L->top = top - 1;
        vm_concat(L, total);
      }
      setobjs2s(L, ci->u.l.base + GETARG_A(inst), L->top - 1);
      L->top = ci->top;
      break;
    }
    case OP_TFORCALL:
      L->top = ci->top;
      break;
    case OP_CALL:
      if (GETARG_C(inst) - 1 >= 0) L->top = ci->top;
      break;
    default: /* OP_TAILCALL, OP_SETTABUP, OP_SETTABLE: nothing to do */
      break;
  }
}
