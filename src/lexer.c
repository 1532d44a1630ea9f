/*
** lexer.c: the scanner. Lua 5.3's tokens, escapes, long brackets and
** numerals, and its error messages. A string made here is anchored in the
** per-parse table ls->h before the next allocation.
*/
#include <string.h>

#include "call.h"
#include "debuginfo.h"
#include "gc.h"
#include "lexer.h"
#include "str.h"
#include "table.h"

#define MINBUFFER 32
#define MAXUTF8 0x10FFFFUL /* largest \u{...} escape Lua 5.3 accepts */

#define ML_TK_TEXT(name, text) text,
static const char *const token_names[] = {ML_TOKENS(ML_TK_TEXT)};
#undef ML_TK_TEXT

/* Character classes: ASCII only, independent of the C locale (EOZ is in
** none of them). */
static int isalpha_(int c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
static int isdigit_(int c) { return c >= '0' && c <= '9'; }
static int isalnum_(int c) { return isalpha_(c) || isdigit_(c); }
static int isxdigit_(int c) {
  return isdigit_(c) || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f');
}
static int isspace_(int c) { return c == ' ' || (c >= '\t' && c <= '\r'); }
static int isprint_(int c) { return c >= ' ' && c < 127; }

void lex_init(lua_State *L) {
  int i;
  TString *env = str_newliteral(L, "_ENV");
  if (!isreadonly(env))
    gc_fix(L, obj2gco(env));
  for (i = 0; i < NUM_RESERVED; i++) {
    TString *ts = str_new(L, token_names[i]);
    if (!isreadonly(ts)) { /* a flash copy was built with its index */
      gc_fix(L, obj2gco(ts));
      ts->extra = cast_byte(i + 1);
    }
  }
}

static void next(LexState *ls) { ls->current = zgetc(ls->z); }

static int currIsNewline(LexState *ls) {
  return ls->current == '\n' || ls->current == '\r';
}

static const char *txtToken(LexState *ls, int token);

static l_noret lexerror(LexState *ls, const char *msg, int token) {
  msg = dbg_addinfo(ls->L, msg, ls->source, ls->linenumber);
  if (token)
    obj_pushfstring(ls->L, "%s near %s", msg, txtToken(ls, token));
  call_throw(ls->L, LUA_ERRSYNTAX);
}

static void save(LexState *ls, int c) {
  Mbuffer *b = ls->buff;
  if (zio_bufflen(b) + 1 > zio_sizebuffer(b)) {
    size_t newsize;
    if (zio_sizebuffer(b) >= MAX_SIZE / 2)
      lexerror(ls, "lexical element too long", 0);
    newsize = zio_sizebuffer(b) * 2;
    if (newsize < MINBUFFER)
      newsize = MINBUFFER;
    zio_resizebuffer(ls->L, b, newsize);
  }
  b->buffer[zio_bufflen(b)++] = cast(char, c);
}

static void save_and_next(LexState *ls) {
  save(ls, ls->current);
  next(ls);
}

const char *lex_token2str(LexState *ls, int token) {
  if (token < FIRST_RESERVED) {
    if (isprint_(token))
      return obj_pushfstring(ls->L, "'%c'", token);
    return obj_pushfstring(ls->L, "'<\\%d>'", token);
  } else {
    const char *s = token_names[token - FIRST_RESERVED];
    if (token < TK_EOS) /* words and symbols are quoted, <eof> is not */
      return obj_pushfstring(ls->L, "'%s'", s);
    return s;
  }
}

/* Tokens with text show the text read so far (the buffer). */
static const char *txtToken(LexState *ls, int token) {
  switch (token) {
  case TK_NAME: case TK_STRING: case TK_FLT: case TK_INT:
    save(ls, '\0');
    return obj_pushfstring(ls->L, "'%s'", zio_buffer(ls->buff));
  default:
    return lex_token2str(ls, token);
  }
}

l_noret lex_syntaxerror(LexState *ls, const char *msg) {
  lexerror(ls, msg, ls->t.token);
}

l_noret lex_semerror(LexState *ls, const char *msg) {
  ls->t.token = 0; /* no "near <token>" */
  lex_syntaxerror(ls, msg);
}

TString *lex_newstring(LexState *ls, const char *str, size_t l) {
  lua_State *L = ls->L;
  TString *ts;
  TValue *slot;
  call_checkstack(L, 1); /* before the string exists: it may reallocate */
  ts = str_newlstr(L, str, l);
  setsvalue2s(L, L->top, ts); /* anchored while the table may grow */
  L->top++;
  slot = table_set(L, ls->h, L->top - 1);
  if (ttisnil(slot)) { /* new: the table keeps it alive from now on */
    setbvalue(slot, 1);
    gc_barrierback(L, ls->h, L->top - 1);
  } else { /* reuse the key already there (long strings: same content) */
    ts = keystrval(cast(Node *, slot));
  }
  L->top--;
  gc_checkGC(L);
  return ts;
}

/* \n, \r, \n\r or \r\n: one line break. */
static void inclinenumber(LexState *ls) {
  int old = ls->current;
  next(ls);
  if (currIsNewline(ls) && ls->current != old)
    next(ls);
  if (++ls->linenumber >= MAX_INT)
    lexerror(ls, "chunk has too many lines", 0);
}

void lex_setinput(lua_State *L, LexState *ls, ZIO *z, TString *source,
                  int firstchar) {
  ls->t.token = 0;
  ls->L = L;
  ls->current = firstchar;
  ls->lookahead.token = TK_EOS;
  ls->z = z;
  ls->fs = NULL;
  ls->linenumber = 1;
  ls->lastline = 1;
  ls->source = source;
  ls->envn = str_newliteral(L, "_ENV"); /* fixed by lex_init */
  zio_resizebuffer(L, ls->buff, MINBUFFER);
}

static int check_next1(LexState *ls, int c) {
  if (ls->current != c)
    return 0;
  next(ls);
  return 1;
}

/* Saves the current character if it is one of the two in 'set'. */
static int check_next2(LexState *ls, const char *set) {
  if (ls->current != set[0] && ls->current != set[1])
    return 0;
  save_and_next(ls);
  return 1;
}

/* Reads the longest run that may be a numeral and lets obj_str2num judge
** it, as Lua 5.3 does ("3..2" is one malformed number). */
static int read_numeral(LexState *ls, SemInfo *seminfo) {
  TValue obj;
  const char *expo = "Ee";
  int first = ls->current;
  save_and_next(ls);
  if (first == '0' && check_next2(ls, "xX"))
    expo = "Pp";
  for (;;) {
    if (check_next2(ls, expo))
      check_next2(ls, "-+");
    if (isxdigit_(ls->current) || ls->current == '.')
      save_and_next(ls);
    else
      break;
  }
  save(ls, '\0');
  if (obj_str2num(zio_buffer(ls->buff), &obj) == 0)
    lexerror(ls, "malformed number", TK_FLT);
  if (ttisinteger(&obj)) {
    seminfo->i = ivalue(&obj);
    return TK_INT;
  }
  seminfo->r = fltvalue(&obj);
  return TK_FLT;
}

/* At '[' or ']': counts the '=' after it. Returns the level when the same
** bracket follows, -1 for a lone bracket, and less than -1 for a bracket
** with '=' but no second bracket. */
static int skip_sep(LexState *ls) {
  int count = 0;
  int s = ls->current;
  save_and_next(ls);
  while (ls->current == '=') {
    save_and_next(ls);
    count++;
  }
  return (ls->current == s) ? count : (-count) - 1;
}

/* seminfo NULL: a comment, whose text is not kept. */
static void read_long_string(LexState *ls, SemInfo *seminfo, int sep) {
  int line = ls->linenumber;
  save_and_next(ls); /* second '[' */
  if (currIsNewline(ls)) /* a first line break is skipped */
    inclinenumber(ls);
  for (;;) {
    switch (ls->current) {
    case EOZ: {
      const char *what = seminfo ? "string" : "comment";
      const char *msg = obj_pushfstring(
          ls->L, "unfinished long %s (starting at line %d)", what, line);
      lexerror(ls, msg, TK_EOS);
      break;
    }
    case ']':
      if (skip_sep(ls) == sep) {
        save_and_next(ls); /* second ']' */
        if (seminfo) {
          size_t skip = cast(size_t, 2 + sep);
          seminfo->ts = lex_newstring(ls, zio_buffer(ls->buff) + skip,
                                      zio_bufflen(ls->buff) - 2 * skip);
        }
        return;
      }
      break;
    case '\n': case '\r':
      save(ls, '\n');
      inclinenumber(ls);
      if (!seminfo)
        zio_resetbuffer(ls->buff);
      break;
    default:
      if (seminfo)
        save_and_next(ls);
      else
        next(ls);
    }
  }
}

/* Raises 'msg' unless 'ok', showing the escape up to the current char. */
static void esccheck(LexState *ls, int ok, const char *msg) {
  if (!ok) {
    if (ls->current != EOZ)
      save_and_next(ls);
    lexerror(ls, msg, TK_STRING);
  }
}

/* Saves the current character and returns the value of the next one,
** which must be a hexadecimal digit. */
static int gethexa(LexState *ls) {
  save_and_next(ls);
  esccheck(ls, isxdigit_(ls->current), "hexadecimal digit expected");
  return obj_hexavalue(ls->current);
}

/* Replaces the saved '\\' (and what followed it) by the byte c. */
static void escape_result(LexState *ls, size_t saved, int c) {
  zio_buffremove(ls->buff, saved);
  save(ls, c);
}

static int readhexaesc(LexState *ls) {
  int r = gethexa(ls);
  r = (r << 4) + gethexa(ls);
  zio_buffremove(ls->buff, 2); /* 'x' and the first digit */
  return r;
}

static unsigned long readutf8esc(LexState *ls) {
  unsigned long r;
  size_t saved = 4; /* '\\', 'u', '{' and the first digit */
  save_and_next(ls); /* 'u' */
  esccheck(ls, ls->current == '{', "missing '{'");
  r = cast(unsigned long, gethexa(ls));
  for (;;) {
    save_and_next(ls);
    if (!isxdigit_(ls->current))
      break;
    saved++;
    r = (r << 4) + cast(unsigned long, obj_hexavalue(ls->current));
    esccheck(ls, r <= MAXUTF8, "UTF-8 value too large");
  }
  esccheck(ls, ls->current == '}', "missing '}'");
  next(ls); /* '}' */
  zio_buffremove(ls->buff, saved);
  return r;
}

/* Saves x (at most MAXUTF8) encoded in UTF-8. */
static void save_utf8(LexState *ls, unsigned long x) {
  if (x < 0x80) {
    save(ls, cast_int(x));
  } else if (x < 0x800) {
    save(ls, cast_int(0xC0 | (x >> 6)));
    save(ls, cast_int(0x80 | (x & 0x3F)));
  } else if (x < 0x10000) {
    save(ls, cast_int(0xE0 | (x >> 12)));
    save(ls, cast_int(0x80 | ((x >> 6) & 0x3F)));
    save(ls, cast_int(0x80 | (x & 0x3F)));
  } else {
    save(ls, cast_int(0xF0 | (x >> 18)));
    save(ls, cast_int(0x80 | ((x >> 12) & 0x3F)));
    save(ls, cast_int(0x80 | ((x >> 6) & 0x3F)));
    save(ls, cast_int(0x80 | (x & 0x3F)));
  }
}

static int readdecesc(LexState *ls) {
  int i;
  int r = 0;
  for (i = 0; i < 3 && isdigit_(ls->current); i++) {
    r = 10 * r + ls->current - '0';
    save_and_next(ls);
  }
  esccheck(ls, r <= UCHAR_MAX, "decimal escape too large");
  zio_buffremove(ls->buff, cast(size_t, i));
  return r;
}

/* \z: skips the '\\', the 'z' and the white space after them. */
static void skip_zap(LexState *ls) {
  zio_buffremove(ls->buff, 1);
  next(ls);
  while (isspace_(ls->current)) {
    if (currIsNewline(ls))
      inclinenumber(ls);
    else
      next(ls);
  }
}

static int simple_escape(int c) {
  switch (c) {
  case 'a': return '\a';
  case 'b': return '\b';
  case 'f': return '\f';
  case 'n': return '\n';
  case 'r': return '\r';
  case 't': return '\t';
  case 'v': return '\v';
  case '\\': case '"': case '\'': return c;
  default: return -1;
  }
}

/* At a '\\' inside a short string. */
static void read_escape(LexState *ls) {
  int c;
  save_and_next(ls); /* the '\\' stays until the escape is known good */
  c = simple_escape(ls->current);
  if (c >= 0) {
    next(ls);
    escape_result(ls, 1, c);
    return;
  }
  switch (ls->current) {
  case 'x':
    c = readhexaesc(ls);
    next(ls);
    escape_result(ls, 1, c);
    break;
  case 'u':
    save_utf8(ls, readutf8esc(ls));
    break;
  case '\n': case '\r':
    inclinenumber(ls);
    escape_result(ls, 1, '\n');
    break;
  case EOZ: /* the caller reports the unfinished string */
    break;
  case 'z':
    skip_zap(ls);
    break;
  default:
    esccheck(ls, isdigit_(ls->current), "invalid escape sequence");
    c = readdecesc(ls);
    escape_result(ls, 1, c);
  }
}

static void read_string(LexState *ls, int del, SemInfo *seminfo) {
  save_and_next(ls); /* the delimiter stays in the buffer for messages */
  while (ls->current != del) {
    switch (ls->current) {
    case EOZ:
      lexerror(ls, "unfinished string", TK_EOS);
      break;
    case '\n': case '\r':
      lexerror(ls, "unfinished string", TK_STRING);
      break;
    case '\\':
      read_escape(ls);
      break;
    default:
      save_and_next(ls);
    }
  }
  save_and_next(ls); /* closing delimiter */
  seminfo->ts = lex_newstring(ls, zio_buffer(ls->buff) + 1,
                              zio_bufflen(ls->buff) - 2);
}

/* After "--": a long comment or the rest of the line. */
static void skip_comment(LexState *ls) {
  if (ls->current == '[') {
    int sep = skip_sep(ls);
    zio_resetbuffer(ls->buff);
    if (sep >= 0) {
      read_long_string(ls, NULL, sep);
      zio_resetbuffer(ls->buff);
      return;
    }
  }
  while (!currIsNewline(ls) && ls->current != EOZ)
    next(ls);
}

static int read_name(LexState *ls, SemInfo *seminfo) {
  TString *ts;
  do {
    save_and_next(ls);
  } while (isalnum_(ls->current));
  ts = lex_newstring(ls, zio_buffer(ls->buff), zio_bufflen(ls->buff));
  seminfo->ts = ts;
  if (isreserved(ts))
    return ts->extra - 1 + FIRST_RESERVED;
  return TK_NAME;
}

/* Tokens made of one or two symbol characters. */
static int read_symbol(LexState *ls) {
  int c = ls->current;
  next(ls);
  switch (c) {
  case '=': return check_next1(ls, '=') ? TK_EQ : '=';
  case '<':
    if (check_next1(ls, '='))
      return TK_LE;
    return check_next1(ls, '<') ? TK_SHL : '<';
  case '>':
    if (check_next1(ls, '='))
      return TK_GE;
    return check_next1(ls, '>') ? TK_SHR : '>';
  case '/': return check_next1(ls, '/') ? TK_IDIV : '/';
  case '~': return check_next1(ls, '=') ? TK_NE : '~';
  case ':': return check_next1(ls, ':') ? TK_DBCOLON : ':';
  default: return c;
  }
}

static int llex(LexState *ls, SemInfo *seminfo) {
  zio_resetbuffer(ls->buff);
  for (;;) {
    switch (ls->current) {
    case '\n': case '\r':
      inclinenumber(ls);
      break;
    case ' ': case '\f': case '\t': case '\v':
      next(ls);
      break;
    case '-':
      next(ls);
      if (ls->current != '-')
        return '-';
      next(ls);
      skip_comment(ls);
      break;
    case '[': {
      int sep = skip_sep(ls);
      if (sep >= 0) {
        read_long_string(ls, seminfo, sep);
        return TK_STRING;
      }
      if (sep != -1) /* '[=' with no second bracket */
        lexerror(ls, "invalid long string delimiter", TK_STRING);
      return '[';
    }
    case '"': case '\'':
      read_string(ls, ls->current, seminfo);
      return TK_STRING;
    case '.':
      save_and_next(ls);
      if (check_next1(ls, '.'))
        return check_next1(ls, '.') ? TK_DOTS : TK_CONCAT;
      if (!isdigit_(ls->current))
        return '.';
      return read_numeral(ls, seminfo);
    case '0': case '1': case '2': case '3': case '4':
    case '5': case '6': case '7': case '8': case '9':
      return read_numeral(ls, seminfo);
    case EOZ:
      return TK_EOS;
    default:
      if (isalpha_(ls->current))
        return read_name(ls, seminfo);
      return read_symbol(ls);
    }
  }
}

void lex_next(LexState *ls) {
  ls->lastline = ls->linenumber;
  if (ls->lookahead.token != TK_EOS) {
    ls->t = ls->lookahead;
    ls->lookahead.token = TK_EOS;
  } else {
    ls->t.token = llex(ls, &ls->t.seminfo);
  }
}

int lex_lookahead(LexState *ls) {
  ls->lookahead.token = llex(ls, &ls->lookahead.seminfo);
  return ls->lookahead.token;
}
