/*
** lib_utf8.c: the utf8 library (reference manual 6.5), on the public API.
** Valid means what 5.3 accepts: at most 4 bytes, no overlong forms, code
** points up to 0x10FFFF (surrogates allowed).
*/
#include <limits.h>
#include <stdint.h>

#include "lua.h"
#include "lauxlib.h"
#include "lualib.h"
#include "moonlet.h"

#define MAX_CODE 0x10FFFFu

static int is_cont(const char *p) {
  return ((unsigned char)*p & 0xC0) == 0x80;
}

/*
** Decodes the sequence at s (which the string's final '\0' ends); returns
** the byte after it, or NULL when it is not valid.
*/
static const char *decode(const char *s, uint32_t *code) {
  static const uint32_t smallest[] = {0, 0x80, 0x800, 0x10000};
  const unsigned char *p = (const unsigned char *)s;
  uint32_t c = p[0];
  if (c < 0x80) {
    if (code)
      *code = c;
    return s + 1;
  }
  int n = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : c >= 0xC0 ? 1 : 0;
  if (n == 0 || c >= 0xF8)
    return NULL;
  uint32_t res = c & (0x3Fu >> n);
  for (int i = 1; i <= n; i++) {
    if ((p[i] & 0xC0) != 0x80)
      return NULL;
    res = (res << 6) | (p[i] & 0x3Fu);
  }
  if (res > MAX_CODE || res < smallest[n])
    return NULL;
  if (code)
    *code = res;
  return s + n + 1;
}

/* A position relative to the string: negatives count from its end. */
static lua_Integer relative_pos(lua_Integer pos, size_t len) {
  if (pos >= 0)
    return pos;
  if ((lua_Unsigned)0u - (lua_Unsigned)pos > len)
    return 0;
  return (lua_Integer)len + pos + 1;
}

static int utf8_len(lua_State *L) {
  size_t len;
  const char *s = luaL_checklstring(L, 1, &len);
  lua_Integer i = relative_pos(luaL_optinteger(L, 2, 1), len);
  lua_Integer j = relative_pos(luaL_optinteger(L, 3, -1), len);
  luaL_argcheck(L, 1 <= i && --i <= (lua_Integer)len, 2,
                "initial position out of string");
  luaL_argcheck(L, --j < (lua_Integer)len, 3, "final position out of string");
  lua_Integer n = 0;
  while (i <= j) {
    const char *next = decode(s + i, NULL);
    if (next == NULL) {
      lua_pushnil(L);
      lua_pushinteger(L, i + 1);
      return 2;
    }
    i = next - s;
    n++;
  }
  lua_pushinteger(L, n);
  return 1;
}

static int utf8_codepoint(lua_State *L) {
  size_t len;
  const char *s = luaL_checklstring(L, 1, &len);
  lua_Integer i = relative_pos(luaL_optinteger(L, 2, 1), len);
  lua_Integer j = relative_pos(luaL_optinteger(L, 3, i), len);
  luaL_argcheck(L, i >= 1, 2, "out of range");
  luaL_argcheck(L, j <= (lua_Integer)len, 3, "out of range");
  if (i > j)
    return 0;
  if (j - i >= INT_MAX)
    return luaL_error(L, "string slice too long");
  luaL_checkstack(L, (int)(j - i) + 1, "string slice too long");
  int n = 0;
  const char *end = s + j;
  for (s += i - 1; s < end; n++) {
    uint32_t code;
    s = decode(s, &code);
    if (s == NULL)
      return luaL_error(L, "invalid UTF-8 code");
    lua_pushinteger(L, (lua_Integer)code);
  }
  return n;
}

static void add_utf8(luaL_Buffer *b, uint32_t c) {
  if (c < 0x80) {
    luaL_addchar(b, (char)c);
    return;
  }
  static const unsigned char lead[] = {0, 0, 0xC0, 0xE0, 0xF0};
  char out[4];
  int n = c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
  for (int k = n - 1; k > 0; k--, c >>= 6)
    out[k] = (char)(0x80 | (c & 0x3F));
  out[0] = (char)(lead[n] | c);
  luaL_addlstring(b, out, (size_t)n);
}

static uint32_t check_code(lua_State *L, int arg) {
  lua_Integer code = luaL_checkinteger(L, arg);
  luaL_argcheck(L, (lua_Unsigned)code <= MAX_CODE, arg, "value out of range");
  return (uint32_t)code;
}

static int utf8_char(lua_State *L) {
  int n = lua_gettop(L);
  luaL_Buffer b;
  luaL_buffinit(L, &b);
  for (int i = 1; i <= n; i++)
    add_utf8(&b, check_code(L, i));
  luaL_pushresult(&b);
  return 1;
}

/* Steps from byte index i (0-based, on a character start) over n characters. */
static lua_Integer step_chars(const char *s, size_t len, lua_Integer i,
                              lua_Integer *n) {
  if (*n < 0) {
    for (; *n < 0 && i > 0; (*n)++) {
      do
        i--;
      while (i > 0 && is_cont(s + i));
    }
  } else {
    for ((*n)--; *n > 0 && i < (lua_Integer)len; (*n)--) {
      do
        i++;
      while (is_cont(s + i));
    }
  }
  return i;
}

static int utf8_offset(lua_State *L) {
  size_t len;
  const char *s = luaL_checklstring(L, 1, &len);
  lua_Integer n = luaL_checkinteger(L, 2);
  lua_Integer i = n >= 0 ? 1 : (lua_Integer)len + 1;
  i = relative_pos(luaL_optinteger(L, 3, i), len);
  luaL_argcheck(L, 1 <= i && --i <= (lua_Integer)len, 3,
                "position out of range");
  if (n == 0) {
    while (i > 0 && is_cont(s + i))
      i--;
  } else {
    if (is_cont(s + i))
      return luaL_error(L, "initial position is a continuation byte");
    i = step_chars(s, len, i, &n);
  }
  if (n == 0)
    lua_pushinteger(L, i + 1);
  else
    lua_pushnil(L);
  return 1;
}

static int codes_step(lua_State *L) {
  size_t len;
  const char *s = luaL_checklstring(L, 1, &len);
  /* the control may be any integer: mininteger wraps, as in lua5.3 */
  lua_Integer i = (lua_Integer)((lua_Unsigned)lua_tointeger(L, 2) - 1u);
  if (i < 0) {
    i = 0;
  } else if (i < (lua_Integer)len) {
    i++;
    while (is_cont(s + i))
      i++;
  }
  if (i >= (lua_Integer)len)
    return 0;
  uint32_t code;
  const char *next = decode(s + i, &code);
  if (next == NULL || is_cont(next))
    return luaL_error(L, "invalid UTF-8 code");
  lua_pushinteger(L, i + 1);
  lua_pushinteger(L, (lua_Integer)code);
  return 2;
}

static int utf8_codes(lua_State *L) {
  luaL_checkstring(L, 1);
  lua_pushcfunction(L, codes_step);
  lua_pushvalue(L, 1);
  lua_pushinteger(L, 0);
  return 3;
}

/* The library, charpattern included, is a ROM table (lib_rom.h). */
#include "rom_utf8.inc"

LUAMOD_API int luaopen_utf8(lua_State *L) {
  moonlet_pushrotable(L, &ml_rt_utf8);
  return 1;
}
