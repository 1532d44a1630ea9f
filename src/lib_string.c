/*
** lib_string.c: the string library (Lua 5.3 manual 6.4): patterns, format,
** pack/unpack. A client of the public API only; every string pointer it
** holds stays valid because its string sits on the Lua stack (or in an upvalue).
*/
#include <ctype.h>
#include <float.h>
#include <limits.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "lua.h"
#include "lauxlib.h"
#include "lualib.h"
#include "moonlet.h"
#include "numfmt.h"

static inline int uchar(char c) { return (unsigned char)c; }

/* The longest string the library builds: it must fit in an int and a size_t. */
static inline size_t max_strsize(void) {
  return sizeof(size_t) < sizeof(int) ? (size_t)-1 : (size_t)INT_MAX;
}

/*
** A string position as 5.3 reads it (negative counts from the end), clamped
** to [0, len + 1] so that it always fits a size_t.
*/
static size_t posrel(lua_Integer pos, size_t len) {
  lua_Unsigned back;
  if (pos > 0) return (lua_Unsigned)pos > len ? len + 1 : (size_t)pos;
  if (pos == 0) return 0;
  back = 0u - (lua_Unsigned)pos;
  return back > len ? 0 : len - (size_t)back + 1;
}

/*
** The 0-based start of a search from 'init' (find, match, gmatch rules);
** 0 when the start lies past the end of the subject.
*/
static int search_start(lua_Integer init, size_t len, size_t *start) {
  if (init > 0) {
    if ((lua_Unsigned)init - 1 > len) return 0;
    *start = (size_t)init - 1;
  } else {
    *start = posrel(init, len);
    if (*start > 0) (*start)--;
  }
  return 1;
}

/* ---------------------------------------------------------------------- */
/* Basic functions                                                         */
/* ---------------------------------------------------------------------- */

static int str_len(lua_State *L) {
  size_t l;
  luaL_checklstring(L, 1, &l);
  lua_pushinteger(L, (lua_Integer)l);
  return 1;
}

static int str_sub(lua_State *L) {
  size_t l;
  const char *s = luaL_checklstring(L, 1, &l);
  size_t i = posrel(luaL_checkinteger(L, 2), l);
  size_t j = posrel(luaL_optinteger(L, 3, -1), l);
  if (i < 1) i = 1;
  if (j > l) j = l;
  if (i <= j)
    lua_pushlstring(L, s + i - 1, j - i + 1);
  else
    lua_pushliteral(L, "");
  return 1;
}

/* Maps every byte of the subject through f (tolower, toupper). */
static int map_bytes(lua_State *L, int (*f)(int)) {
  size_t l, i;
  luaL_Buffer b;
  const char *s = luaL_checklstring(L, 1, &l);
  char *p = luaL_buffinitsize(L, &b, l);
  for (i = 0; i < l; i++) p[i] = (char)f(uchar(s[i]));
  luaL_pushresultsize(&b, l);
  return 1;
}

static int str_lower(lua_State *L) { return map_bytes(L, tolower); }
static int str_upper(lua_State *L) { return map_bytes(L, toupper); }

static int str_reverse(lua_State *L) {
  size_t l, i;
  luaL_Buffer b;
  const char *s = luaL_checklstring(L, 1, &l);
  char *p = luaL_buffinitsize(L, &b, l);
  for (i = 0; i < l; i++) p[i] = s[l - 1 - i];
  luaL_pushresultsize(&b, l);
  return 1;
}

static int str_rep(lua_State *L) {
  size_t l, lsep, unit, total;
  luaL_Buffer b;
  const char *s = luaL_checklstring(L, 1, &l);
  lua_Integer n = luaL_checkinteger(L, 2);
  const char *sep = luaL_optlstring(L, 3, "", &lsep);
  char *p;
  unit = l + lsep;
  if (n <= 0 || unit == 0) {
    lua_pushliteral(L, "");
    return 1;
  }
  if (unit < l || (lua_Unsigned)n > max_strsize() / unit)
    return luaL_error(L, "resulting string too large");
  total = (size_t)n * l + (size_t)(n - 1) * lsep;
  p = luaL_buffinitsize(L, &b, total);
  while (n-- > 1) {
    memcpy(p, s, l);
    memcpy(p + l, sep, lsep);
    p += unit;
  }
  memcpy(p, s, l);
  luaL_pushresultsize(&b, total);
  return 1;
}

static int str_byte(lua_State *L) {
  size_t l;
  int n, i;
  const char *s = luaL_checklstring(L, 1, &l);
  size_t posi = posrel(luaL_optinteger(L, 2, 1), l);
  size_t pose = lua_isnoneornil(L, 3) ? posi
                                      : posrel(luaL_checkinteger(L, 3), l);
  if (posi < 1) posi = 1;
  if (pose > l) pose = l;
  if (posi > pose) return 0;
  if (pose - posi >= (size_t)INT_MAX)
    return luaL_error(L, "string slice too long");
  n = (int)(pose - posi) + 1;
  luaL_checkstack(L, n, "string slice too long");
  for (i = 0; i < n; i++) lua_pushinteger(L, uchar(s[posi - 1 + (size_t)i]));
  return n;
}

static int str_char(lua_State *L) {
  int n = lua_gettop(L), i;
  luaL_Buffer b;
  char *p = luaL_buffinitsize(L, &b, (size_t)n);
  for (i = 1; i <= n; i++) {
    lua_Integer c = luaL_checkinteger(L, i);
    luaL_argcheck(L, (lua_Unsigned)c <= (lua_Unsigned)UCHAR_MAX, i,
                  "value out of range");
    p[i - 1] = (char)(unsigned char)c;
  }
  luaL_pushresultsize(&b, (size_t)n);
  return 1;
}

static int dump_writer(lua_State *L, const void *p, size_t sz, void *ud) {
  (void)L;
  luaL_addlstring((luaL_Buffer *)ud, (const char *)p, sz);
  return 0;
}

/* Raises "unable to dump given function" whenever lua_dump refuses. */
static int str_dump(lua_State *L) {
  luaL_Buffer b;
  int strip = lua_toboolean(L, 2);
  luaL_checktype(L, 1, LUA_TFUNCTION);
  lua_settop(L, 1);
  luaL_buffinit(L, &b);
  if (lua_dump(L, dump_writer, &b, strip) != 0)
    return luaL_error(L, "unable to dump given function");
  luaL_pushresult(&b);
  return 1;
}

/* ---------------------------------------------------------------------- */
/* Pattern matching                                                        */
/* ---------------------------------------------------------------------- */

#define L_ESC '%'
#define MAXCAPTURES 32
#define MAXMATCHDEPTH LUAI_MAXMATCHDEPTH
#define CAP_UNFINISHED (-1)
#define CAP_POSITION (-2)

static const char specials[] = "^$*+?.([%-";

/*
** The state of one match attempt. A capture's len is its length once
** closed, CAP_UNFINISHED while open, CAP_POSITION for a position capture.
*/
typedef struct MatchState {
  const char *src_init, *src_end; /* the subject */
  const char *p_end;              /* end of the pattern */
  lua_State *L;
  int depth; /* recursion levels left before "pattern too complex" */
  int level; /* captures opened so far */
  struct {
    const char *init;
    ptrdiff_t len;
  } capture[MAXCAPTURES];
} MatchState;

static const char *match(MatchState *ms, const char *s, const char *p);

static void prep_state(MatchState *ms, lua_State *L, const char *s, size_t ls,
                       const char *p, size_t lp) {
  ms->L = L;
  ms->src_init = s;
  ms->src_end = s + ls;
  ms->p_end = p + lp;
  ms->level = 0;
  ms->depth = MAXMATCHDEPTH;
}

static void reprep_state(MatchState *ms) {
  ms->level = 0;
  ms->depth = MAXMATCHDEPTH;
}

/* The index of back-reference %c, checked. */
static int capture_index(MatchState *ms, int c) {
  int l = c - '1';
  if (l < 0 || l >= ms->level || ms->capture[l].len == CAP_UNFINISHED)
    return luaL_error(ms->L, "invalid capture index %%%d", l + 1);
  return l;
}

/* The innermost capture still open, which ')' closes. */
static int open_capture(MatchState *ms) {
  int level = ms->level;
  while (--level >= 0)
    if (ms->capture[level].len == CAP_UNFINISHED) return level;
  return luaL_error(ms->L, "invalid pattern capture");
}

/* The end of the single-character class that starts at p. */
static const char *class_end(MatchState *ms, const char *p) {
  char c = *p++;
  if (c == L_ESC) {
    if (p == ms->p_end)
      luaL_error(ms->L, "malformed pattern (ends with '%%')");
    return p + 1;
  }
  if (c == '[') {
    if (p < ms->p_end && *p == '^') p++;
    do { /* the first character of a set is never its end */
      if (p == ms->p_end)
        luaL_error(ms->L, "malformed pattern (missing ']')");
      c = *p++;
      if (c == L_ESC && p < ms->p_end) p++;
    } while (p == ms->p_end || *p != ']');
    return p + 1;
  }
  return p;
}

/* Whether byte c is in class %cl (an upper-case class is the complement). */
static int match_class(int c, int cl) {
  int res;
  switch (tolower(cl)) {
    case 'a': res = isalpha(c); break;
    case 'c': res = iscntrl(c); break;
    case 'd': res = isdigit(c); break;
    case 'g': res = isgraph(c); break;
    case 'l': res = islower(c); break;
    case 'p': res = ispunct(c); break;
    case 's': res = isspace(c); break;
    case 'u': res = isupper(c); break;
    case 'w': res = isalnum(c); break;
    case 'x': res = isxdigit(c); break;
    case 'z': res = (c == 0); break; /* deprecated, still accepted by 5.3 */
    default: return cl == c;
  }
  return (res != 0) != (isupper(cl) != 0);
}

/* Whether byte c is in the set [...] from p (at '[') to ec (at ']'). */
static int match_bracket(int c, const char *p, const char *ec) {
  int found = 1;
  if (*++p == '^') {
    found = 0;
    p++;
  }
  for (; p < ec; p++) {
    if (*p == L_ESC) {
      p++;
      if (match_class(c, uchar(*p))) return found;
    } else if (p[1] == '-' && p + 2 < ec) {
      if (uchar(p[0]) <= c && c <= uchar(p[2])) return found;
      p += 2;
    } else if (uchar(*p) == c) {
      return found;
    }
  }
  return !found;
}

/* Whether the class from p to ep matches the byte at s. */
static int single_match(MatchState *ms, const char *s, const char *p,
                        const char *ep) {
  int c;
  if (s >= ms->src_end) return 0;
  c = uchar(*s);
  switch (*p) {
    case '.': return 1;
    case L_ESC: return match_class(c, uchar(p[1]));
    case '[': return match_bracket(c, p, ep - 1);
    default: return uchar(*p) == c;
  }
}

/* %bxy at s, with p at x: the end of the balanced run, or NULL. */
static const char *match_balance(MatchState *ms, const char *s, const char *p) {
  int depth = 1;
  if (p + 1 >= ms->p_end)
    luaL_error(ms->L, "malformed pattern (missing arguments to '%%b')");
  if (s >= ms->src_end || *s != p[0]) return NULL;
  while (++s < ms->src_end) {
    if (*s == p[1]) {
      if (--depth == 0) return s + 1;
    } else if (*s == p[0]) {
      depth++;
    }
  }
  return NULL;
}

/* %f[set] at s, with p after "%f": the rest of the pattern, or NULL. */
static const char *match_frontier(MatchState *ms, const char *s,
                                  const char *p) {
  const char *ep;
  int prev, cur;
  if (p == ms->p_end || *p != '[')
    luaL_error(ms->L, "missing '[' after '%%f' in pattern");
  ep = class_end(ms, p);
  prev = (s == ms->src_init) ? 0 : uchar(s[-1]);
  cur = (s < ms->src_end) ? uchar(*s) : 0;
  if (!match_bracket(prev, p, ep - 1) && match_bracket(cur, p, ep - 1))
    return ep;
  return NULL;
}

/* Back-reference %c at s: the end of the repeated text, or NULL. */
static const char *match_backref(MatchState *ms, const char *s, int c) {
  int l = capture_index(ms, c);
  size_t len = (size_t)ms->capture[l].len;
  if ((size_t)(ms->src_end - s) >= len &&
      memcmp(ms->capture[l].init, s, len) == 0)
    return s + len;
  return NULL;
}

static const char *max_expand(MatchState *ms, const char *s, const char *p,
                              const char *ep) {
  ptrdiff_t i = 0;
  while (single_match(ms, s + i, p, ep)) i++;
  for (; i >= 0; i--) {
    const char *res = match(ms, s + i, ep + 1);
    if (res != NULL) return res;
  }
  return NULL;
}

static const char *min_expand(MatchState *ms, const char *s, const char *p,
                              const char *ep) {
  for (;;) {
    const char *res = match(ms, s, ep + 1);
    if (res != NULL) return res;
    if (!single_match(ms, s, p, ep)) return NULL;
    s++;
  }
}

static const char *start_capture(MatchState *ms, const char *s,
                                 const char *p, ptrdiff_t what) {
  const char *res;
  if (ms->level >= MAXCAPTURES) luaL_error(ms->L, "too many captures");
  ms->capture[ms->level].init = s;
  ms->capture[ms->level].len = what;
  ms->level++;
  res = match(ms, s, p);
  if (res == NULL) ms->level--;
  return res;
}

static const char *end_capture(MatchState *ms, const char *s, const char *p) {
  int l = open_capture(ms);
  const char *res;
  ms->capture[l].len = s - ms->capture[l].init;
  res = match(ms, s, p);
  if (res == NULL) ms->capture[l].len = CAP_UNFINISHED;
  return res;
}

/*
** %b, %f and back-references at *p: the rest of the pattern (with *s
** advanced), NULL when they do not match, or p itself for a plain class.
*/
static const char *match_escape(MatchState *ms, const char **s,
                                const char *p) {
  if (p + 1 == ms->p_end) return p;
  if (p[1] == 'b') {
    *s = match_balance(ms, *s, p + 2);
    return *s != NULL ? p + 4 : NULL;
  }
  if (p[1] == 'f') return match_frontier(ms, *s, p + 2);
  if (isdigit(uchar(p[1]))) {
    *s = match_backref(ms, *s, uchar(p[1]));
    return *s != NULL ? p + 2 : NULL;
  }
  return p;
}

/*
** One single-character item, with its quantifier, at *p. Returns 1 to go
** on with *s and *p advanced (no recursion, so the depth budget is spent
** exactly where 5.3 spends it), or 0 when *s holds the final result.
*/
static int match_item(MatchState *ms, const char **s, const char **p) {
  const char *ep = class_end(ms, *p);
  int q = (ep < ms->p_end) ? *ep : '\0';
  if (!single_match(ms, *s, *p, ep)) {
    if (q != '*' && q != '?' && q != '-') {
      *s = NULL;
      return 0;
    }
    *p = ep + 1; /* accept the empty repetition */
    return 1;
  }
  switch (q) {
    case '?': {
      const char *res = match(ms, *s + 1, ep + 1);
      if (res != NULL) {
        *s = res;
        return 0;
      }
      *p = ep + 1;
      return 1;
    }
    case '+': *s = max_expand(ms, *s + 1, *p, ep); return 0;
    case '*': *s = max_expand(ms, *s, *p, ep); return 0;
    case '-': *s = min_expand(ms, *s, *p, ep); return 0;
    default: (*s)++; *p = ep; return 1;
  }
}

/* Matches from s with the pattern at p; tail positions loop. */
static const char *match_here(MatchState *ms, const char *s, const char *p) {
  while (p != ms->p_end) {
    switch (*p) {
      case '(':
        if (p + 1 < ms->p_end && p[1] == ')')
          return start_capture(ms, s, p + 2, CAP_POSITION);
        return start_capture(ms, s, p + 1, CAP_UNFINISHED);
      case ')':
        return end_capture(ms, s, p + 1);
      case '$':
        if (p + 1 == ms->p_end) return (s == ms->src_end) ? s : NULL;
        break;
      case L_ESC: {
        const char *rest = match_escape(ms, &s, p);
        if (rest == NULL) return NULL;
        if (rest != p) {
          p = rest;
          continue;
        }
        break;
      }
      default: break;
    }
    if (!match_item(ms, &s, &p)) return s;
  }
  return s;
}

static const char *match(MatchState *ms, const char *s, const char *p) {
  const char *res;
  if (ms->depth-- == 0) luaL_error(ms->L, "pattern too complex");
  res = match_here(ms, s, p);
  ms->depth++;
  return res;
}

/* Pushes capture i (the whole match s..e when there are no captures). */
static void push_capture(MatchState *ms, int i, const char *s, const char *e) {
  ptrdiff_t len;
  if (i >= ms->level) {
    if (i != 0) luaL_error(ms->L, "invalid capture index %%%d", i + 1);
    lua_pushlstring(ms->L, s, (size_t)(e - s));
    return;
  }
  len = ms->capture[i].len;
  if (len == CAP_UNFINISHED) luaL_error(ms->L, "unfinished capture");
  if (len == CAP_POSITION)
    lua_pushinteger(ms->L, (lua_Integer)(ms->capture[i].init - ms->src_init) + 1);
  else
    lua_pushlstring(ms->L, ms->capture[i].init, (size_t)len);
}

/* Pushes all captures (or the whole match when s is given and there are none). */
static int push_captures(MatchState *ms, const char *s, const char *e) {
  int i, n = (ms->level == 0 && s != NULL) ? 1 : ms->level;
  luaL_checkstack(ms->L, n, "too many captures");
  for (i = 0; i < n; i++) push_capture(ms, i, s, e);
  return n;
}

/* ---------------------------------------------------------------------- */
/* find, match, gmatch, gsub                                               */
/* ---------------------------------------------------------------------- */

static int no_specials(const char *p, size_t lp) {
  size_t i;
  for (i = 0; i < lp; i++)
    if (memchr(specials, p[i], sizeof(specials) - 1) != NULL) return 0;
  return 1;
}

static const char *mem_find(const char *s, size_t ls, const char *p,
                            size_t lp) {
  const char *end;
  if (lp == 0) return s;
  if (lp > ls) return NULL;
  end = s + (ls - lp) + 1; /* the last possible start, plus one */
  while (s < end) {
    const char *hit = memchr(s, *p, (size_t)(end - s));
    if (hit == NULL) return NULL;
    if (memcmp(hit + 1, p + 1, lp - 1) == 0) return hit;
    s = hit + 1;
  }
  return NULL;
}

static int plain_find(lua_State *L, const char *s, size_t ls, size_t init,
                      const char *p, size_t lp) {
  const char *hit = mem_find(s + init, ls - init, p, lp);
  if (hit == NULL) {
    lua_pushnil(L);
    return 1;
  }
  lua_pushinteger(L, (lua_Integer)(hit - s) + 1);
  lua_pushinteger(L, (lua_Integer)(hit - s) + (lua_Integer)lp);
  return 2;
}

static int pattern_find(lua_State *L, const char *s, size_t ls, size_t init,
                        const char *p, size_t lp, int find) {
  MatchState ms;
  const char *s1 = s + init;
  int anchor = (lp > 0 && *p == '^');
  if (anchor) {
    p++;
    lp--;
  }
  prep_state(&ms, L, s, ls, p, lp);
  do {
    const char *res;
    reprep_state(&ms);
    if ((res = match(&ms, s1, p)) != NULL) {
      if (!find) return push_captures(&ms, s1, res);
      lua_pushinteger(L, (lua_Integer)(s1 - s) + 1);
      lua_pushinteger(L, (lua_Integer)(res - s));
      return push_captures(&ms, NULL, NULL) + 2;
    }
  } while (s1++ < ms.src_end && !anchor);
  lua_pushnil(L);
  return 1;
}

static int find_aux(lua_State *L, int find) {
  size_t ls, lp, init;
  const char *s = luaL_checklstring(L, 1, &ls);
  const char *p = luaL_checklstring(L, 2, &lp);
  if (!search_start(luaL_optinteger(L, 3, 1), ls, &init)) {
    lua_pushnil(L);
    return 1;
  }
  if (find && (lua_toboolean(L, 4) || no_specials(p, lp)))
    return plain_find(L, s, ls, init, p, lp);
  return pattern_find(L, s, ls, init, p, lp, find);
}

static int str_find(lua_State *L) { return find_aux(L, 1); }
static int str_match(lua_State *L) { return find_aux(L, 0); }

/* The state of a gmatch iterator, kept in a userdata upvalue. */
typedef struct GMatchState {
  const char *src;       /* where the next search starts */
  const char *p;         /* the pattern */
  const char *lastmatch; /* end of the last match, never matched twice */
  MatchState ms;
} GMatchState;

static int gmatch_aux(lua_State *L) {
  GMatchState *gm = (GMatchState *)lua_touserdata(L, lua_upvalueindex(3));
  const char *src;
  gm->ms.L = L;
  for (src = gm->src; src <= gm->ms.src_end; src++) {
    const char *e;
    reprep_state(&gm->ms);
    if ((e = match(&gm->ms, src, gm->p)) != NULL && e != gm->lastmatch) {
      gm->src = gm->lastmatch = e;
      return push_captures(&gm->ms, src, e);
    }
  }
  return 0;
}

static int str_gmatch(lua_State *L) {
  size_t ls, lp;
  const char *s = luaL_checklstring(L, 1, &ls);
  const char *p = luaL_checklstring(L, 2, &lp);
  GMatchState *gm;
  lua_settop(L, 2); /* the closure keeps both strings alive */
  gm = (GMatchState *)lua_newuserdata(L, sizeof(GMatchState));
  prep_state(&gm->ms, L, s, ls, p, lp);
  gm->src = s;
  gm->p = p;
  gm->lastmatch = NULL;
  lua_pushcclosure(L, gmatch_aux, 3);
  return 1;
}

/* Adds replacement string (argument 3) with its %0-%9 and %% escapes. */
static void add_s(MatchState *ms, luaL_Buffer *b, const char *s,
                  const char *e) {
  lua_State *L = ms->L;
  size_t l, i;
  const char *news = lua_tolstring(L, 3, &l);
  for (i = 0; i < l; i++) {
    int c;
    if (news[i] != L_ESC) {
      luaL_addchar(b, news[i]);
      continue;
    }
    c = (++i < l) ? uchar(news[i]) : '\0';
    if (c == L_ESC) {
      luaL_addchar(b, L_ESC);
    } else if (c == '0') {
      luaL_addlstring(b, s, (size_t)(e - s));
    } else if (isdigit(c)) {
      push_capture(ms, c - '1', s, e);
      luaL_tolstring(L, -1, NULL); /* a position capture is a number */
      lua_remove(L, -2);
      luaL_addvalue(b);
    } else {
      luaL_error(L, "invalid use of '%c' in replacement string", L_ESC);
    }
  }
}

/* Adds the replacement of match s..e, per the type tr of argument 3. */
static void add_value(MatchState *ms, luaL_Buffer *b, const char *s,
                      const char *e, int tr) {
  lua_State *L = ms->L;
  if (tr == LUA_TFUNCTION) {
    int n;
    lua_pushvalue(L, 3);
    n = push_captures(ms, s, e);
    lua_call(L, n, 1);
  } else if (tr == LUA_TTABLE) {
    push_capture(ms, 0, s, e);
    lua_gettable(L, 3);
  } else {
    add_s(ms, b, s, e);
    return;
  }
  if (!lua_toboolean(L, -1)) { /* nil or false keeps the original text */
    lua_pop(L, 1);
    lua_pushlstring(L, s, (size_t)(e - s));
  } else if (!lua_isstring(L, -1)) {
    luaL_error(L, "invalid replacement value (a %s)", luaL_typename(L, -1));
  }
  luaL_addvalue(b);
}

static int str_gsub(lua_State *L) {
  size_t srcl, lp;
  const char *src = luaL_checklstring(L, 1, &srcl);
  const char *p = luaL_checklstring(L, 2, &lp);
  const char *lastmatch = NULL;
  int tr = lua_type(L, 3);
  lua_Integer max_s = luaL_optinteger(L, 4, (lua_Integer)srcl + 1);
  int anchor = (lp > 0 && *p == '^');
  lua_Integer n = 0;
  MatchState ms;
  luaL_Buffer b;
  luaL_argcheck(L, tr == LUA_TNUMBER || tr == LUA_TSTRING ||
                       tr == LUA_TFUNCTION || tr == LUA_TTABLE,
                3, "string/function/table expected");
  luaL_buffinit(L, &b);
  if (anchor) {
    p++;
    lp--;
  }
  prep_state(&ms, L, src, srcl, p, lp);
  while (n < max_s) {
    const char *e;
    reprep_state(&ms);
    if ((e = match(&ms, src, p)) != NULL && e != lastmatch) {
      n++;
      add_value(&ms, &b, src, e, tr);
      src = lastmatch = e;
    } else if (src < ms.src_end) {
      luaL_addchar(&b, *src++);
    } else {
      break;
    }
    if (anchor) break;
  }
  luaL_addlstring(&b, src, (size_t)(ms.src_end - src));
  luaL_pushresult(&b);
  lua_pushinteger(L, n);
  return 2;
}

/* ---------------------------------------------------------------------- */
/* format                                                                  */
/* ---------------------------------------------------------------------- */

/* printf flags, in the order of flag_chars. */
enum {
  F_MINUS = NUMFMT_LEFT, F_PLUS = NUMFMT_PLUS, F_SPACE = NUMFMT_SPACE,
  F_HASH = NUMFMT_ALT, F_ZERO = NUMFMT_ZERO
};
static const char flag_chars[] = "-+ #0";

#define MAX_SPEC 16

/* One conversion: its flags, width (0 if none), precision (-1 if none). */
typedef struct Spec {
  int flags, width, prec;
  char conv;
  char text[MAX_SPEC]; /* as written ("%s" alone has no modifiers) */
} Spec;

/* Reads at most two digits (5.3 limits width and precision so). */
static const char *scan_2digits(const char *f, int *value) {
  *value = 0;
  if (isdigit(uchar(*f))) *value = *f++ - '0';
  if (isdigit(uchar(*f))) *value = *value * 10 + (*f++ - '0');
  return f;
}

/* Parses the conversion after a '%'; returns what follows it. */
static const char *scan_spec(lua_State *L, const char *f, Spec *sp) {
  const char *start = f, *flag;
  size_t n;
  sp->flags = 0;
  while (*f != '\0' && (flag = strchr(flag_chars, *f)) != NULL) {
    sp->flags |= 1 << (flag - flag_chars);
    f++;
  }
  if ((size_t)(f - start) >= sizeof(flag_chars))
    luaL_error(L, "invalid format (repeated flags)");
  f = scan_2digits(f, &sp->width);
  sp->prec = -1;
  if (*f == '.') f = scan_2digits(f + 1, &sp->prec);
  if (isdigit(uchar(*f)))
    luaL_error(L, "invalid format (width or precision too long)");
  sp->conv = *f++;
  n = (size_t)(f - start);
  sp->text[0] = '%';
  memcpy(sp->text + 1, start, n);
  sp->text[n + 1] = '\0';
  return f;
}

static void add_fill(luaL_Buffer *b, char c, size_t n) {
  while (n-- > 0) luaL_addchar(b, c);
}

/*
** Adds prefix (sign, "0x") and body, padded to the width: on the right
** with '-', with zeros after the prefix when zeropad allows the '0' flag,
** otherwise with spaces on the left (as glibc's printf does).
*/
static void add_padded(luaL_Buffer *b, const Spec *sp, const char *prefix,
                       const char *body, size_t blen, int zeropad) {
  size_t plen = strlen(prefix), len = plen + blen;
  size_t pad = (size_t)sp->width > len ? (size_t)sp->width - len : 0;
  int left = (sp->flags & F_MINUS) != 0;
  int zeros = !left && zeropad && (sp->flags & F_ZERO);
  if (!left && !zeros) add_fill(b, ' ', pad);
  luaL_addlstring(b, prefix, plen);
  if (zeros) add_fill(b, '0', pad);
  luaL_addlstring(b, body, blen);
  if (left) add_fill(b, ' ', pad);
}

/* Writes v in base 8, 10 or 16 backwards from end; returns the first digit. */
static char *format_unsigned(char *end, lua_Unsigned v, unsigned base,
                             int upper) {
  const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
  do {
    *--end = digits[v % base];
    v /= base;
  } while (v != 0);
  return end;
}

/* The sign a conversion prints for a value (negative or not). */
static const char *sign_prefix(const Spec *sp, int negative) {
  if (negative) return "-";
  if (sp->flags & F_PLUS) return "+";
  if (sp->flags & F_SPACE) return " ";
  return "";
}

/* %d %i %u %o %x %X, written here since small libcs lack 64-bit printf. */
static void add_integer(luaL_Buffer *b, const Spec *sp, lua_Integer n) {
  char buf[128];
  char *end = buf + sizeof(buf), *d = end;
  lua_Unsigned mag = (lua_Unsigned)n;
  const char *prefix = "";
  unsigned base = 10;
  size_t want = sp->prec > 0 ? (size_t)sp->prec : 0;
  if (sp->conv == 'd' || sp->conv == 'i') {
    if (n < 0) mag = 0u - mag;
    prefix = sign_prefix(sp, n < 0);
  } else if (sp->conv == 'o') {
    base = 8;
  } else if (sp->conv == 'x' || sp->conv == 'X') {
    base = 16;
    if ((sp->flags & F_HASH) && mag != 0)
      prefix = (sp->conv == 'x') ? "0x" : "0X";
  }
  if (sp->prec != 0 || mag != 0)
    d = format_unsigned(end, mag, base, sp->conv == 'X');
  if (base == 8 && (sp->flags & F_HASH) && (d == end || *d != '0') &&
      want <= (size_t)(end - d))
    want = (size_t)(end - d) + 1; /* '#' makes the first digit a 0 */
  while ((size_t)(end - d) < want) *--d = '0';
  add_padded(b, sp, prefix, d, (size_t)(end - d), sp->prec < 0);
}

/* Writes the decimal digits of n >= 0 at p; returns their count. */
static size_t add_decimal(char *p, int n) {
  char buf[16];
  char *end = buf + sizeof(buf);
  char *d = format_unsigned(end, (lua_Unsigned)n, 10, 0);
  memcpy(p, d, (size_t)(end - d));
  return (size_t)(end - d);
}

/* A double's fraction: MANT_BITS bits, printed as FRAC_DIGITS hex digits. */
enum { MANT_BITS = DBL_MANT_DIG - 1, FRAC_DIGITS = (MANT_BITS + 3) / 4 };

/* A finite x >= 0 as lead digit, hex fraction (FRAC_DIGITS) and exponent. */
static uint64_t split_double(double x, int *lead, int *exp) {
  int e;
  double m;
  *lead = 0;
  *exp = 0;
  if (x == 0) return 0;
  m = frexp(x, &e); /* x = m * 2^e, 0.5 <= m < 1 */
  if (e - 1 >= DBL_MIN_EXP - 1) { /* normal: 1.f * 2^(e-1) */
    *lead = 1;
    *exp = e - 1;
    return (uint64_t)ldexp(2 * m - 1, MANT_BITS) << (FRAC_DIGITS * 4 - MANT_BITS);
  }
  *exp = DBL_MIN_EXP - 1; /* subnormal: 0.f * 2^(DBL_MIN_EXP-1) */
  return (uint64_t)ldexp(x, MANT_BITS - *exp) << (FRAC_DIGITS * 4 - MANT_BITS);
}

/* Rounds frac (FRAC_DIGITS digits) to prec digits, to nearest even. */
static uint64_t round_frac(uint64_t frac, int prec, int *lead) {
  int drop = (FRAC_DIGITS - prec) * 4;
  uint64_t rem = frac & ((UINT64_C(1) << drop) - 1);
  uint64_t half = UINT64_C(1) << (drop - 1);
  int odd;
  frac >>= drop;
  odd = (prec == 0) ? (*lead & 1) : (int)(frac & 1);
  if (rem > half || (rem == half && odd)) frac++;
  if ((frac >> (4 * prec)) != 0) { /* carried into the lead digit */
    (*lead)++;
    frac &= (UINT64_C(1) << (4 * prec)) - 1;
  }
  return frac;
}

/* Writes the body of %a for finite x >= 0 ("1.8p+1"); returns its length. */
static size_t format_hex_body(char *buf, double x, const Spec *sp) {
  const char *digits = (sp->conv == 'A') ? "0123456789ABCDEF" : "0123456789abcdef";
  int lead, exp, ndig = FRAC_DIGITS, i;
  uint64_t frac = split_double(x, &lead, &exp);
  char *p = buf;
  if (sp->prec >= 0 && sp->prec < FRAC_DIGITS) {
    frac = round_frac(frac, sp->prec, &lead);
    ndig = sp->prec;
  } else if (sp->prec < 0) {
    for (; ndig > 0 && (frac & 0xf) == 0; ndig--) frac >>= 4;
  }
  *p++ = (char)('0' + lead);
  if (ndig > 0 || sp->prec > 0 || (sp->flags & F_HASH)) *p++ = '.';
  for (i = ndig - 1; i >= 0; i--) *p++ = digits[(frac >> (4 * i)) & 0xf];
  for (i = ndig; i < sp->prec; i++) *p++ = '0';
  *p++ = (sp->conv == 'A') ? 'P' : 'p';
  *p++ = (exp < 0) ? '-' : '+';
  return (size_t)(p - buf) + add_decimal(p, exp < 0 ? -exp : exp);
}

/* %a and %A, written here since small libcs lack them. */
static void add_hexfloat(luaL_Buffer *b, const Spec *sp, double x) {
  char body[192];
  char prefix[4] = {0};
  int upper = (sp->conv == 'A');
  strcpy(prefix, sign_prefix(sp, signbit(x) != 0));
  if (!isfinite(x)) {
    const char *s = isinf(x) ? (upper ? "INF" : "inf") : (upper ? "NAN" : "nan");
    add_padded(b, sp, prefix, s, 3, 0);
    return;
  }
  strcat(prefix, upper ? "0X" : "0x");
  add_padded(b, sp, prefix, body, format_hex_body(body, fabs(x), sp), 1);
}

/* %e %E %f %g %G, exact, by Moonlet's own formatter (numfmt.c). */
static void add_decfloat(luaL_Buffer *b, const Spec *sp, lua_Number x) {
  NumFmt nf;
  char *buf = luaL_prepbuffsize(b, NUMFMT_BUFSZ);
  nf.flags = sp->flags;
  nf.width = sp->width;
  nf.prec = sp->prec;
  nf.conv = sp->conv;
  luaL_addsize(b, (size_t)numfmt_format(buf, x, &nf));
}

/*
** %s: the whole string when there are no modifiers, or when it is 100
** bytes or longer and has no precision (5.3's rule); otherwise at most 99
** bytes of it, padded. The string is copied out before it is popped, so
** the buffer is never used with an extra value above it.
*/
static void add_string(lua_State *L, luaL_Buffer *b, const Spec *sp, int arg) {
  char tmp[100];
  size_t l, n;
  const char *s = luaL_tolstring(L, arg, &l);
  if (sp->text[2] == '\0') {
    luaL_addvalue(b);
    return;
  }
  luaL_argcheck(L, l == strlen(s), arg, "string contains zeros");
  if (sp->prec < 0 && l >= 100) {
    luaL_addvalue(b);
    return;
  }
  n = (sp->prec >= 0 && (size_t)sp->prec < l) ? (size_t)sp->prec : l;
  memcpy(tmp, s, n);
  lua_pop(L, 1);
  add_padded(b, sp, "", tmp, n, 0);
}

/* %q of a string: quoted, so that Lua reads it back byte for byte. */
static void add_quoted(luaL_Buffer *b, const char *s, size_t len) {
  size_t i;
  luaL_addchar(b, '"');
  for (i = 0; i < len; i++) {
    int c = uchar(s[i]);
    if (c == '"' || c == '\\' || c == '\n') {
      luaL_addchar(b, '\\');
      luaL_addchar(b, (char)c);
    } else if (iscntrl(c)) {
      char buf[8];
      buf[0] = '\\';
      if (i + 1 < len && isdigit(uchar(s[i + 1]))) { /* "\0001", not "\01" */
        buf[1] = (char)('0' + c / 100);
        buf[2] = (char)('0' + c / 10 % 10);
        buf[3] = (char)('0' + c % 10);
        luaL_addlstring(b, buf, 4);
      } else {
        luaL_addlstring(b, buf, 1 + add_decimal(buf + 1, c));
      }
    } else {
      luaL_addchar(b, (char)c);
    }
  }
  luaL_addchar(b, '"');
}

/* %q of a float: hexadecimal, so that it reads back exactly; infinities
** and NaN print as lua5.3 prints them on glibc ("inf", "-nan"). */
static void add_float_literal(luaL_Buffer *b, lua_Number x) {
  static const Spec plain = {0, 0, -1, 'a', "%a"};
  if (x == (lua_Number)HUGE_VAL)
    luaL_addstring(b, "inf");
  else if (x == -(lua_Number)HUGE_VAL)
    luaL_addstring(b, "-inf");
  else if (x != x)
    luaL_addstring(b, signbit(x) ? "-nan" : "nan");
  else
    add_hexfloat(b, &plain, (double)x);
}

/* %q of an integer: decimal, but hexadecimal for the minimum integer. */
static void add_integer_literal(luaL_Buffer *b, lua_Integer n) {
  static const Spec dec = {0, 0, -1, 'd', "%d"};
  static const Spec hex = {0, 0, -1, 'x', "%x"};
  if (n == LUA_MININTEGER) {
    luaL_addstring(b, "0x");
    add_integer(b, &hex, n);
  } else {
    add_integer(b, &dec, n);
  }
}

static void add_literal(lua_State *L, luaL_Buffer *b, int arg) {
  switch (lua_type(L, arg)) {
    case LUA_TSTRING: {
      size_t len;
      const char *s = lua_tolstring(L, arg, &len);
      add_quoted(b, s, len);
      break;
    }
    case LUA_TNUMBER:
      if (lua_isinteger(L, arg))
        add_integer_literal(b, lua_tointeger(L, arg));
      else
        add_float_literal(b, lua_tonumber(L, arg));
      break;
    case LUA_TNIL:
    case LUA_TBOOLEAN:
      luaL_tolstring(L, arg, NULL);
      luaL_addvalue(b);
      break;
    default:
      luaL_argerror(L, arg, "value has no literal form");
  }
}

/* Adds one conversion of argument arg. */
static void add_item(lua_State *L, luaL_Buffer *b, const Spec *sp, int arg) {
  switch (sp->conv) {
    case 'c': {
      char c = (char)(unsigned char)luaL_checkinteger(L, arg);
      add_padded(b, sp, "", &c, 1, 0);
      break;
    }
    case 'd': case 'i': case 'u': case 'o': case 'x': case 'X':
      add_integer(b, sp, luaL_checkinteger(L, arg));
      break;
    case 'a': case 'A':
      add_hexfloat(b, sp, (double)luaL_checknumber(L, arg));
      break;
    case 'e': case 'E': case 'f': case 'g': case 'G': /* no %F in 5.3 */
      add_decfloat(b, sp, luaL_checknumber(L, arg));
      break;
    case 'q': add_literal(L, b, arg); break;
    case 's': add_string(L, b, sp, arg); break;
    default:
      luaL_error(L, "invalid option '%%%c' to 'format'", sp->conv);
  }
}

static int str_format(lua_State *L) {
  int top = lua_gettop(L), arg = 1;
  size_t len;
  const char *f = luaL_checklstring(L, 1, &len);
  const char *end = f + len;
  luaL_Buffer b;
  luaL_buffinit(L, &b);
  while (f < end) {
    const char *pct = memchr(f, '%', (size_t)(end - f));
    if (pct == NULL) pct = end;
    luaL_addlstring(&b, f, (size_t)(pct - f));
    if (pct == end) break;
    f = pct + 1;
    if (*f == '%') { /* f may be at end: the string ends with a '\0' */
      luaL_addchar(&b, '%');
      f++;
    } else {
      Spec sp;
      if (++arg > top) luaL_argerror(L, arg, "no value");
      f = scan_spec(L, f, &sp);
      add_item(L, &b, &sp, arg);
    }
  }
  luaL_pushresult(&b);
  return 1;
}

/* ---------------------------------------------------------------------- */
/* pack, packsize, unpack                                                  */
/* ---------------------------------------------------------------------- */

#define MAXINTSIZE 16            /* the widest integer a format may ask for */
#define SZINT ((int)sizeof(lua_Integer))
#define PACKPAD 0x00             /* the byte of padding and alignment */

typedef enum KOption {
  K_INT, K_UINT, K_FLOAT, K_DOUBLE, K_NUMBER, K_CHAR, K_STRING, K_ZSTR,
  K_PADDING, K_PADALIGN, K_NOP
} KOption;

/* Reading a format: the next option, and the options that persist. */
typedef struct PackState {
  lua_State *L;
  const char *fmt;
  int little;   /* current byte order */
  int maxalign; /* set by '!' */
} PackState;

struct align_probe {
  char c;
  union { double d; void *p; lua_Integer i; lua_Number n; } u;
};

static inline int native_align(void) {
  return (int)offsetof(struct align_probe, u);
}

static inline int native_little(void) {
  const union { int i; char c; } probe = {1};
  return probe.c == 1;
}

/* Options with a fixed kind and size. */
static const struct { char opt; unsigned char kind, size; } fixed_options[] = {
  {'b', K_INT, sizeof(char)}, {'B', K_UINT, sizeof(char)},
  {'h', K_INT, sizeof(short)}, {'H', K_UINT, sizeof(short)},
  {'l', K_INT, sizeof(long)}, {'L', K_UINT, sizeof(long)},
  {'j', K_INT, sizeof(lua_Integer)}, {'J', K_UINT, sizeof(lua_Integer)},
  {'T', K_UINT, sizeof(size_t)}, {'f', K_FLOAT, sizeof(float)},
  {'d', K_DOUBLE, sizeof(double)}, {'n', K_NUMBER, sizeof(lua_Number)},
  {'z', K_ZSTR, 0}, {'x', K_PADDING, 1}, {'X', K_PADALIGN, 0}, {' ', K_NOP, 0},
};

static void init_pack(PackState *h, lua_State *L, const char *fmt) {
  h->L = L;
  h->fmt = fmt;
  h->little = native_little();
  h->maxalign = 1;
}

/* An optional size after an option; def when there is none. */
static int read_num(PackState *h, int def) {
  int a = 0;
  if (!isdigit(uchar(*h->fmt))) return def;
  do {
    a = a * 10 + (*h->fmt++ - '0');
  } while (isdigit(uchar(*h->fmt)) && a <= (INT_MAX - 9) / 10);
  return a;
}

static int read_intsize(PackState *h, int def) {
  int sz = read_num(h, def);
  if (sz > MAXINTSIZE || sz <= 0)
    return luaL_error(h->L, "integral size (%d) out of limits [1,%d]", sz,
                      MAXINTSIZE);
  return sz;
}

/* Options whose size is written in the format, and the settings. */
static KOption read_variable_option(PackState *h, int opt, int *size) {
  switch (opt) {
    case 'i': *size = read_intsize(h, sizeof(int)); return K_INT;
    case 'I': *size = read_intsize(h, sizeof(int)); return K_UINT;
    case 's': *size = read_intsize(h, sizeof(size_t)); return K_STRING;
    case 'c':
      *size = read_num(h, -1);
      if (*size == -1) luaL_error(h->L, "missing size for format option 'c'");
      return K_CHAR;
    case '<': h->little = 1; return K_NOP;
    case '>': h->little = 0; return K_NOP;
    case '=': h->little = native_little(); return K_NOP;
    case '!': h->maxalign = read_intsize(h, native_align()); return K_NOP;
    default:
      luaL_error(h->L, "invalid format option '%c'", opt);
      return K_NOP;
  }
}

static KOption read_option(PackState *h, int *size) {
  int opt = *h->fmt++;
  size_t i;
  *size = 0;
  for (i = 0; i < sizeof(fixed_options) / sizeof(fixed_options[0]); i++) {
    if (fixed_options[i].opt == opt) {
      *size = fixed_options[i].size;
      return (KOption)fixed_options[i].kind;
    }
  }
  return read_variable_option(h, opt, size);
}

/*
** The next option, its size, and the padding that aligns it after total
** bytes: alignment is the option's size (for 'X', the next option's),
** capped by '!'; 1-byte items and 'c' are never aligned.
*/
static KOption read_details(PackState *h, size_t total, int *size,
                            int *ntoalign) {
  KOption opt = read_option(h, size);
  int align = *size;
  if (opt == K_PADALIGN &&
      (*h->fmt == '\0' || read_option(h, &align) == K_CHAR || align == 0))
    luaL_argerror(h->L, 1, "invalid next option for option 'X'");
  *ntoalign = 0;
  if (align > 1 && opt != K_CHAR) {
    if (align > h->maxalign) align = h->maxalign;
    if ((align & (align - 1)) != 0)
      luaL_argerror(h->L, 1, "format asks for alignment not power of 2");
    *ntoalign = (align - (int)(total & (size_t)(align - 1))) & (align - 1);
  }
  return opt;
}

/* Adds the size-byte integer v; bytes past lua_Integer repeat the sign. */
static void pack_int(luaL_Buffer *b, lua_Unsigned v, int little, int size,
                     int negative) {
  char *buf = luaL_prepbuffsize(b, (size_t)size);
  int i;
  for (i = 0; i < size; i++) {
    int byte = (i < SZINT) ? (int)((v >> (8 * i)) & 0xff) : (negative ? 0xff : 0);
    buf[little ? i : size - 1 - i] = (char)byte;
  }
  luaL_addsize(b, (size_t)size);
}

/* Copies size bytes, reversed when the byte order is not the native one. */
static void copy_ordered(char *dst, const char *src, int size, int little) {
  int i;
  if (little == native_little())
    memcpy(dst, src, (size_t)size);
  else
    for (i = 0; i < size; i++) dst[i] = src[size - 1 - i];
}

static void pack_bytes(luaL_Buffer *b, const void *v, int size, int little) {
  char *buf = luaL_prepbuffsize(b, (size_t)size);
  copy_ordered(buf, (const char *)v, size, little);
  luaL_addsize(b, (size_t)size);
}

static void pack_integer(PackState *h, luaL_Buffer *b, KOption opt, int size,
                         int arg) {
  lua_Integer n = luaL_checkinteger(h->L, arg);
  if (size < SZINT && opt == K_INT) {
    lua_Integer lim = (lua_Integer)1 << (size * 8 - 1);
    luaL_argcheck(h->L, -lim <= n && n < lim, arg, "integer overflow");
  } else if (size < SZINT) {
    luaL_argcheck(h->L, (lua_Unsigned)n < ((lua_Unsigned)1 << (size * 8)), arg,
                  "unsigned overflow");
  }
  pack_int(b, (lua_Unsigned)n, h->little, size, opt == K_INT && n < 0);
}

static void pack_float(PackState *h, luaL_Buffer *b, KOption opt, int arg) {
  lua_Number n = luaL_checknumber(h->L, arg);
  if (opt == K_FLOAT) {
    float f = (float)n;
    pack_bytes(b, &f, sizeof(f), h->little);
  } else if (opt == K_DOUBLE) {
    double d = (double)n;
    pack_bytes(b, &d, sizeof(d), h->little);
  } else {
    pack_bytes(b, &n, sizeof(n), h->little);
  }
}

/* Packs a string option; returns the bytes it added past its size. */
static size_t pack_string(PackState *h, luaL_Buffer *b, KOption opt, int size,
                          int arg) {
  size_t len;
  const char *s = luaL_checklstring(h->L, arg, &len);
  if (opt == K_CHAR) {
    luaL_argcheck(h->L, len <= (size_t)size, arg, "string longer than given size");
    luaL_addlstring(b, s, len);
    add_fill(b, PACKPAD, (size_t)size - len);
    return 0;
  }
  if (opt == K_STRING) {
    luaL_argcheck(h->L, size >= (int)sizeof(size_t) ||
                        len < ((size_t)1 << (size * 8)),
                  arg, "string length does not fit in given size");
    pack_int(b, (lua_Unsigned)len, h->little, size, 0);
    luaL_addlstring(b, s, len);
    return len;
  }
  luaL_argcheck(h->L, strlen(s) == len, arg, "string contains zeros");
  luaL_addlstring(b, s, len);
  luaL_addchar(b, '\0');
  return len + 1;
}

static int str_pack(lua_State *L) {
  PackState h;
  luaL_Buffer b;
  int arg = 1;
  size_t total = 0;
  init_pack(&h, L, luaL_checkstring(L, 1));
  lua_pushnil(L); /* ends the arguments: a missing one reads as nil */
  luaL_buffinit(L, &b);
  while (*h.fmt != '\0') {
    int size, ntoalign;
    KOption opt = read_details(&h, total, &size, &ntoalign);
    total += (size_t)ntoalign + (size_t)size;
    add_fill(&b, PACKPAD, (size_t)ntoalign);
    arg++;
    switch (opt) {
      case K_INT: case K_UINT: pack_integer(&h, &b, opt, size, arg); break;
      case K_FLOAT: case K_DOUBLE: case K_NUMBER:
        pack_float(&h, &b, opt, arg);
        break;
      case K_CHAR: case K_STRING: case K_ZSTR:
        total += pack_string(&h, &b, opt, size, arg);
        break;
      case K_PADDING: luaL_addchar(&b, PACKPAD); arg--; break;
      default: arg--; break;
    }
  }
  luaL_pushresult(&b);
  return 1;
}

static int str_packsize(lua_State *L) {
  PackState h;
  size_t total = 0;
  init_pack(&h, L, luaL_checkstring(L, 1));
  while (*h.fmt != '\0') {
    int size, ntoalign;
    KOption opt = read_details(&h, total, &size, &ntoalign);
    size += ntoalign;
    luaL_argcheck(L, total <= max_strsize() - (size_t)size, 1,
                  "format result too large");
    total += (size_t)size;
    luaL_argcheck(L, opt != K_STRING && opt != K_ZSTR, 1,
                  "variable-length format");
  }
  lua_pushinteger(L, (lua_Integer)total);
  return 1;
}

/* Reads a size-byte integer; bytes past lua_Integer must repeat the sign. */
static lua_Integer unpack_int(lua_State *L, const char *str, int little,
                              int size, int issigned) {
  lua_Unsigned res = 0;
  int limit = (size <= SZINT) ? size : SZINT, i;
  for (i = limit - 1; i >= 0; i--) {
    res <<= 8;
    res |= (lua_Unsigned)uchar(str[little ? i : size - 1 - i]);
  }
  if (size < SZINT && issigned) {
    lua_Unsigned mask = (lua_Unsigned)1 << (size * 8 - 1);
    res = (res ^ mask) - mask; /* sign-extend */
  } else if (size > SZINT) {
    int ext = (!issigned || (lua_Integer)res >= 0) ? 0 : 0xff;
    for (i = limit; i < size; i++)
      if (uchar(str[little ? i : size - 1 - i]) != ext)
        luaL_error(L, "%d-byte integer does not fit into Lua Integer", size);
  }
  return (lua_Integer)res;
}

static void unpack_float(lua_State *L, const char *data, KOption opt,
                         int little) {
  if (opt == K_FLOAT) {
    float f;
    copy_ordered((char *)&f, data, sizeof(f), little);
    lua_pushnumber(L, (lua_Number)f);
  } else if (opt == K_DOUBLE) {
    double d;
    copy_ordered((char *)&d, data, sizeof(d), little);
    lua_pushnumber(L, (lua_Number)d);
  } else {
    lua_Number n;
    copy_ordered((char *)&n, data, sizeof(n), little);
    lua_pushnumber(L, n);
  }
}

/* Pushes a string item at data[pos]; returns the bytes read past its size. */
static size_t unpack_string(PackState *h, const char *data, size_t ld,
                            size_t pos, KOption opt, int size) {
  size_t len;
  const char *z;
  if (opt == K_CHAR) {
    lua_pushlstring(h->L, data + pos, (size_t)size);
    return 0;
  }
  if (opt == K_STRING) {
    len = (size_t)unpack_int(h->L, data + pos, h->little, size, 0);
    luaL_argcheck(h->L, len <= ld - pos - (size_t)size, 2,
                  "data string too short");
    lua_pushlstring(h->L, data + pos + size, len);
    return len;
  }
  z = memchr(data + pos, '\0', ld - pos);
  luaL_argcheck(h->L, z != NULL, 2, "unfinished string for format 'z'");
  len = (size_t)(z - (data + pos));
  lua_pushlstring(h->L, data + pos, len);
  return len + 1;
}

/* The 0-based start of unpack, checked against the data's length. */
static size_t unpack_start(lua_State *L, size_t ld) {
  lua_Integer init = luaL_optinteger(L, 3, 1);
  size_t pos = (init > 0) ? 0 : posrel(init, ld); /* 0: out of string */
  if (init > 0 && (lua_Unsigned)init - 1 <= ld) pos = (size_t)init;
  luaL_argcheck(L, pos >= 1, 3, "initial position out of string");
  return pos - 1;
}

static int str_unpack(lua_State *L) {
  PackState h;
  size_t ld;
  const char *fmt = luaL_checkstring(L, 1);
  const char *data = luaL_checklstring(L, 2, &ld);
  size_t pos = unpack_start(L, ld);
  int n = 0;
  init_pack(&h, L, fmt);
  while (*h.fmt != '\0') {
    int size, ntoalign;
    KOption opt = read_details(&h, pos, &size, &ntoalign);
    luaL_argcheck(L, (size_t)ntoalign + (size_t)size <= ld - pos, 2,
                  "data string too short");
    pos += (size_t)ntoalign;
    luaL_checkstack(L, 2, "too many results");
    n++;
    switch (opt) {
      case K_INT: case K_UINT:
        lua_pushinteger(L, unpack_int(L, data + pos, h.little, size, opt == K_INT));
        break;
      case K_FLOAT: case K_DOUBLE: case K_NUMBER:
        unpack_float(L, data + pos, opt, h.little);
        break;
      case K_CHAR: case K_STRING: case K_ZSTR:
        pos += unpack_string(&h, data, ld, pos, opt, size);
        break;
      default: n--; break;
    }
    pos += (size_t)size;
  }
  lua_pushinteger(L, (lua_Integer)pos + 1);
  return n + 1;
}

/* ---------------------------------------------------------------------- */

/* Gives every string the metatable {__index = string}: ("x"):upper(). */
/* The library and the metatable of strings are ROM tables (lib_rom.h). */
#include "rom_string.inc"

LUAMOD_API int luaopen_string(lua_State *L) {
  moonlet_pushrotable(L, &ml_rt_strmeta);
  lua_pushliteral(L, "");
  lua_pushvalue(L, -2);
  lua_setmetatable(L, -2);
  lua_pop(L, 2);
  moonlet_pushrotable(L, &ml_rt_string);
  return 1;
}
