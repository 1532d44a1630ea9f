/*
** object.c: numbers <-> text (numerals as Lua 5.3 reads and prints them),
** formatted messages and raw arithmetic. No libc locale is consulted, and
** no 64-bit integer ever goes through printf (newlib-nano can not).
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "object.h"

#include "call.h"
#include "debuginfo.h"
#include "meta.h"
#include "numfmt.h"
#include "state.h"
#include "str.h"
#include "vm.h"

const TValue obj_nilobject_ = {{NULL}, LUA_TNIL};

/* hex digits kept when reading a hex float; the rest only scale it */
#define MAXSIGDIG 30

static int isdigitc(int c) { return c >= '0' && c <= '9'; }

static int ishexc(int c) {
  return isdigitc(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static int isspacec(int c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

static const char *skipspaces(const char *s) {
  while (isspacec(cast_uchar(*s))) s++;
  return s;
}

/* Consumes an optional sign; 1 when it was '-'. */
static int readsign(const char **s) {
  if (**s == '-') { (*s)++; return 1; }
  if (**s == '+') (*s)++;
  return 0;
}

static int ishexprefix(const char *s) {
  return s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
}

int obj_hexavalue(int c) {
  if (isdigitc(c)) return c - '0';
  return (c | 0x20) - 'a' + 10;
}

int obj_ceillog2(unsigned int x) {
  int l = 0;
  x--;
  while (x != 0) { l++; x >>= 1; }
  return l;
}

int obj_utf8esc(char *buff, unsigned long x) {
  unsigned int room = 0x3f; /* payload bits the first byte can still take */
  int n = 1;
  if (x < 0x80) {
    buff[UTF8BUFFSZ - 1] = cast(char, x);
    return 1;
  }
  do {
    buff[UTF8BUFFSZ - n++] = cast(char, 0x80 | (x & 0x3f));
    x >>= 6;
    room >>= 1;
  } while (x > room);
  buff[UTF8BUFFSZ - n] = cast(char, ((~room << 1) & 0xff) | x);
  return n;
}

/* Exact conversion of a float with an integral value in range. */
static int flttoint(lua_Number n, lua_Integer *p) {
  if (l_floor(n) != n) return 0; /* also NaN */
  if (!(n >= cast_num(LUA_MININTEGER) && n < -cast_num(LUA_MININTEGER)))
    return 0;
  *p = cast(lua_Integer, n);
  return 1;
}

/* --- text to number ---------------------------------------------- */

/* Decimal digits; NULL past LUA_MAXINTEGER (the numeral is then a float). */
static const char *readdecint(const char *s, int neg, lua_Unsigned *a) {
  const lua_Unsigned lim = l_castS2U(LUA_MAXINTEGER) / 10;
  const int limd = cast_int(l_castS2U(LUA_MAXINTEGER) % 10) + neg;
  for (; isdigitc(cast_uchar(*s)); s++) {
    int d = *s - '0';
    if (*a > lim || (*a == lim && d > limd)) return NULL;
    *a = *a * 10 + cast(lua_Unsigned, d);
  }
  return s;
}

static const char *str2int(const char *s, lua_Integer *res) {
  lua_Unsigned a = 0;
  const char *start;
  int neg;
  s = skipspaces(s);
  neg = readsign(&s);
  if (ishexprefix(s)) { /* hex integers wrap around */
    for (s += 2, start = s; ishexc(cast_uchar(*s)); s++)
      a = a * 16 + cast(lua_Unsigned, obj_hexavalue(cast_uchar(*s)));
  } else {
    start = s;
    if ((s = readdecint(s, neg, &a)) == NULL) return NULL;
  }
  if (s == start) return NULL; /* no digits */
  s = skipspaces(s);
  if (*s != '\0') return NULL;
  *res = l_castU2S(neg ? 0u - a : a);
  return s;
}

/* Binary exponent of a hex float ('p' already read); 0 if malformed. */
static int readbinexp(const char **ps, int *e) {
  const char *s = *ps;
  int neg = readsign(&s), x = 0;
  if (!isdigitc(cast_uchar(*s))) return 0;
  for (; isdigitc(cast_uchar(*s)); s++)
    if (x < 100000) x = x * 10 + (*s - '0'); /* past that it is inf or 0 */
  *e += neg ? -x : x;
  *ps = s;
  return 1;
}

/*
** Hex float '[sign]0x<hex>[.<hex>][p[sign]<dec>]'. *endptr is left at 's'
** when the text is not one.
*/
static lua_Number hexstr2number(const char *s, const char **endptr) {
  lua_Number r = 0;
  int e = 0, sigdig = 0, anydigit = 0, dot = 0, neg;
  *endptr = s;
  s = skipspaces(s);
  neg = readsign(&s);
  if (!ishexprefix(s)) return 0;
  for (s += 2;; s++) {
    int c = cast_uchar(*s);
    if (c == '.' && !dot) dot = 1;
    else if (!ishexc(c)) break;
    else {
      anydigit = 1;
      if (sigdig == 0 && c == '0') { /* leading zero: only shifts */
      } else if (++sigdig <= MAXSIGDIG) r = r * 16 + cast_num(obj_hexavalue(c));
      else e++; /* digit too far to matter: count its weight */
      if (dot) e--;
    }
  }
  if (!anydigit) return 0;
  e *= 4;
  if (*s == 'p' || *s == 'P') {
    s++;
    if (!readbinexp(&s, &e)) return 0;
  }
  *endptr = s;
  if (neg) r = -r;
  return l_mathop(ldexp)(r, e);
}

static const char *str2flt(const char *s, lua_Number *res) {
  const char *pm = strpbrk(s, ".xXnN");
  int mode = pm ? (*pm | 0x20) : 0;
  const char *end;
  if (mode == 'n') return NULL; /* 'inf' and 'nan' are not numerals */
  if (mode == 'x') *res = hexstr2number(s, &end);
  else {
    char *e;
    *res = lua_str2number(s, &e);
    end = e;
  }
  if (end == s) return NULL;
  end = skipspaces(end);
  return *end == '\0' ? end : NULL;
}

size_t obj_str2num(const char *s, TValue *o) {
  lua_Integer i;
  lua_Number n;
  const char *e;
  if ((e = str2int(s, &i)) != NULL) {
    setivalue(o, i);
  } else if ((e = str2flt(s, &n)) != NULL) {
    setfltvalue(o, n);
  } else {
    return 0;
  }
  return cast(size_t, e - s) + 1;
}

/* --- number to text ---------------------------------------------- */

static int int2str(lua_Integer i, char *buff) {
  char tmp[3 * sizeof(lua_Integer) + 2];
  lua_Unsigned u = i < 0 ? 0u - l_castS2U(i) : l_castS2U(i);
  int n = 0, len = 0;
  do {
    tmp[n++] = cast(char, '0' + cast_int(u % 10));
    u /= 10;
  } while (u != 0);
  if (i < 0) buff[len++] = '-';
  while (n > 0) buff[len++] = tmp[--n];
  buff[len] = '\0';
  return len;
}

_Static_assert(NUMFMT_NUMSZ + 2 <= MAXNUMBER2STR, "room for a float and \".0\"");

/* "%.14g" ("%.7g" small), inf and nan as lua5.3 on glibc, and ".0" added
** to a float that looks like an integer. */
static int flt2str(lua_Number n, char *buff) {
  int len = numfmt_number(buff, n);
  if (buff[strspn(buff, "-0123456789")] == '\0') { /* looks like an int */
    buff[len++] = '.';
    buff[len++] = '0';
    buff[len] = '\0';
  }
  return len;
}

int obj_number2str(const TValue *obj, char *buff) {
  if (ttisinteger(obj)) return int2str(ivalue(obj), buff);
  return flt2str(fltvalue(obj), buff);
}

void obj_tostring(lua_State *L, StkId obj) {
  char buff[MAXNUMBER2STR];
  int len = obj_number2str(obj, buff);
  setsvalue2s(L, obj, str_newlstr(L, buff, cast(size_t, len)));
}

/* --- formatted strings -------------------------------------------- */

/*
** The text is gathered in a local buffer and pushed in pieces when it
** fills; at most two pieces are on the stack at a time (they are joined
** at once), so every allocation finds what it made anchored.
*/
#define BUFVFS (LUA_IDSIZE + MAXNUMBER2STR + 95)

typedef struct BuffFS {
  lua_State *L;
  int pushed; /* pieces on the stack: 0 or 1 between calls */
  int blen;
  char b[BUFVFS];
} BuffFS;

static void pushpiece(BuffFS *bf, const char *s, size_t l) {
  lua_State *L = bf->L;
  TString *ts = str_newlstr(L, s, l);
  setsvalue2s(L, L->top, ts);
  L->top++;
  if (++bf->pushed == 2) {
    vm_concat(L, 2);
    bf->pushed = 1;
  }
}

static void flushbuff(BuffFS *bf) {
  if (bf->blen > 0) {
    pushpiece(bf, bf->b, cast(size_t, bf->blen));
    bf->blen = 0;
  }
}

static void addstr(BuffFS *bf, const char *s, size_t l) {
  if (l > cast(size_t, BUFVFS - bf->blen)) {
    flushbuff(bf);
    if (l > BUFVFS) { /* too long for the buffer: a piece of its own */
      pushpiece(bf, s, l);
      return;
    }
  }
  memcpy(bf->b + bf->blen, s, l);
  bf->blen += cast_int(l);
}

/* Room for 'n' bytes at the end of the buffer. */
static char *reserve(BuffFS *bf, int n) {
  if (BUFVFS - bf->blen < n) flushbuff(bf);
  return bf->b + bf->blen;
}

static void addnumber(BuffFS *bf, const TValue *num) {
  char *p = reserve(bf, MAXNUMBER2STR);
  bf->blen += obj_number2str(num, p);
}

static void addchar(BuffFS *bf, int c) {
  char ch = cast(char, c);
  if (c >= 32 && c < 127) addstr(bf, &ch, 1);
  else { /* unprintable: "<\ddd>", as 5.3 shows a control char */
    char buff[16];
    int n = snprintf(buff, sizeof(buff), "<\\%d>", cast_uchar(ch));
    addstr(bf, buff, cast(size_t, n));
  }
}

static void addoption(BuffFS *bf, char opt, va_list *argp) {
  TValue num;
  switch (opt) {
    case 's': {
      const char *s = va_arg(*argp, char *);
      if (s == NULL) s = "(null)";
      addstr(bf, s, strlen(s));
      break;
    }
    case 'c': addchar(bf, va_arg(*argp, int)); break;
    case 'd': setivalue(&num, va_arg(*argp, int)); addnumber(bf, &num); break;
    case 'I':
      setivalue(&num, cast(lua_Integer, va_arg(*argp, LUAI_UACINT)));
      addnumber(bf, &num);
      break;
    case 'f':
      setfltvalue(&num, cast_num(va_arg(*argp, LUAI_UACNUMBER)));
      addnumber(bf, &num);
      break;
    case 'p': {
      char *p = reserve(bf, 3 * sizeof(void *) + 8);
      void *ptr = va_arg(*argp, void *);
      bf->blen += snprintf(p, 3 * sizeof(void *) + 8, "%p", ptr);
      break;
    }
    case 'U': {
      char buff[UTF8BUFFSZ];
      int n = obj_utf8esc(buff, cast(unsigned long, va_arg(*argp, long)));
      addstr(bf, buff + UTF8BUFFSZ - n, cast(size_t, n));
      break;
    }
    case '%': addstr(bf, "%", 1); break;
    default:
      dbg_runerror(bf->L, "invalid option '%%%c' to 'lua_pushfstring'", opt);
  }
}

const char *obj_pushvfstring(lua_State *L, const char *fmt, va_list argp) {
  BuffFS bf;
  const char *e;
  va_list ap;
  bf.L = L;
  bf.pushed = 0;
  bf.blen = 0;
  call_checkstack(L, 2);
  va_copy(ap, argp);
  while ((e = strchr(fmt, '%')) != NULL) {
    addstr(&bf, fmt, cast(size_t, e - fmt));
    addoption(&bf, e[1], &ap);
    fmt = e + 2;
  }
  va_end(ap);
  addstr(&bf, fmt, strlen(fmt));
  flushbuff(&bf);
  if (bf.pushed == 0) pushpiece(&bf, "", 0);
  return svalue(L->top - 1);
}

const char *obj_pushfstring(lua_State *L, const char *fmt, ...) {
  const char *msg;
  va_list argp;
  va_start(argp, fmt);
  msg = obj_pushvfstring(L, fmt, argp);
  va_end(argp);
  return msg;
}

/* --- chunk names ---------------------------------------------------- */

#define RETS "..."
#define PRE "[string \""
#define POS "\"]"
#define LL(x) (sizeof(x) / sizeof(char) - 1)

static char *put(char *out, const char *s, size_t l) {
  memcpy(out, s, l * sizeof(char));
  return out + l;
}

/* "[string "first line..."]", the source cut to fit 'len' bytes */
static void stringid(char *out, const char *source, size_t srclen,
                     size_t len) {
  const char *nl = strchr(source, '\n');
  size_t room = len - (LL(PRE RETS POS) + 1);
  int cut = (nl != NULL || srclen >= room);
  size_t keep = nl != NULL ? cast(size_t, nl - source) : srclen;
  if (keep > room) keep = room;
  out = put(out, PRE, LL(PRE));
  out = put(out, source, keep);
  if (cut) out = put(out, RETS, LL(RETS));
  memcpy(out, POS, (LL(POS) + 1) * sizeof(char));
}

void obj_chunkid(char *out, const char *source, size_t len) {
  size_t srclen = strlen(source);
  if (*source == '=') { /* literal: as much as fits */
    size_t n = srclen - 1 < len - 1 ? srclen - 1 : len - 1;
    put(out, source + 1, n)[0] = '\0';
  } else if (*source == '@') { /* file name: its tail when too long */
    if (srclen <= len) {
      memcpy(out, source + 1, srclen * sizeof(char));
    } else {
      size_t tail = len - LL(RETS) - 1;
      out = put(out, RETS, LL(RETS));
      memcpy(out, source + srclen - tail, (tail + 1) * sizeof(char));
    }
  } else {
    stringid(out, source, srclen, len);
  }
}

/* --- arithmetic ------------------------------------------------------- */

static int isbitwise(int op) {
  return (op >= LUA_OPBAND && op <= LUA_OPSHR) || op == LUA_OPBNOT;
}

static lua_Integer intarith(lua_State *L, int op, lua_Integer a,
                            lua_Integer b) {
  switch (op) {
    case LUA_OPADD: return intop(+, a, b);
    case LUA_OPSUB: return intop(-, a, b);
    case LUA_OPMUL: return intop(*, a, b);
    case LUA_OPMOD: return vm_mod(L, a, b);
    case LUA_OPIDIV: return vm_div(L, a, b);
    case LUA_OPBAND: return intop(&, a, b);
    case LUA_OPBOR: return intop(|, a, b);
    case LUA_OPBXOR: return intop(^, a, b);
    case LUA_OPSHL: return vm_shiftl(a, b);
    case LUA_OPSHR: return vm_shiftl(a, intop(-, 0, b));
    case LUA_OPUNM: return intop(-, 0, a);
    case LUA_OPBNOT: return intop(^, ~l_castS2U(0), a);
    default: return 0;
  }
}

static lua_Number numarith(lua_State *L, int op, lua_Number a,
                           lua_Number b) {
  switch (op) {
    case LUA_OPADD: return a + b;
    case LUA_OPSUB: return a - b;
    case LUA_OPMUL: return a * b;
    case LUA_OPDIV: return a / b;
    case LUA_OPPOW: return b == 2 ? a * a : l_mathop(pow)(a, b);
    case LUA_OPIDIV: return l_floor(a / b);
    case LUA_OPUNM: return -a;
    case LUA_OPMOD: return vm_modf(L, a, b);
    default: return 0;
  }
}

/* Numbers only (no strings): integers, and floats with an exact value. */
static int num2int(const TValue *o, lua_Integer *i) {
  if (ttisinteger(o)) { *i = ivalue(o); return 1; }
  return ttisfloat(o) && flttoint(fltvalue(o), i);
}

static int num2flt(const TValue *o, lua_Number *n) {
  if (ttisinteger(o)) { *n = cast_num(ivalue(o)); return 1; }
  if (ttisfloat(o)) { *n = fltvalue(o); return 1; }
  return 0;
}

int obj_rawarith(lua_State *L, int op, const TValue *p1, const TValue *p2,
                 TValue *res) {
  lua_Integer i1, i2;
  lua_Number n1, n2;
  if (isbitwise(op)) {
    if (!num2int(p1, &i1) || !num2int(p2, &i2)) return 0;
    setivalue(res, intarith(L, op, i1, i2));
    return 1;
  }
  if (op != LUA_OPDIV && op != LUA_OPPOW && ttisinteger(p1) &&
      ttisinteger(p2)) {
    setivalue(res, intarith(L, op, ivalue(p1), ivalue(p2)));
    return 1;
  }
  if (!num2flt(p1, &n1) || !num2flt(p2, &n2)) return 0;
  setfltvalue(res, numarith(L, op, n1, n2));
  return 1;
}

/* Strings coerced as 5.3 does: the result is an integer only for bitwise
** operators. */
static int coercearith(lua_State *L, int op, const TValue *p1,
                       const TValue *p2, TValue *res) {
  if (isbitwise(op)) {
    lua_Integer i1, i2;
    if (!tointeger(p1, &i1) || !tointeger(p2, &i2)) return 0;
    setivalue(res, intarith(L, op, i1, i2));
  } else {
    lua_Number n1, n2;
    if (!tonumber(p1, &n1) || !tonumber(p2, &n2)) return 0;
    setfltvalue(res, numarith(L, op, n1, n2));
  }
  return 1;
}

void obj_arith(lua_State *L, int op, const TValue *p1, const TValue *p2,
               TValue *res) {
  if (obj_rawarith(L, op, p1, p2, res)) return;
  if (coercearith(L, op, p1, p2, res)) return;
  meta_trybinTM(L, p1, p2, res, cast(TMS, TM_ADD + op));
}
