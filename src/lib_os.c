/*
** lib_os.c: the os library (Lua 5.3 manual 6.9): clock, dates and times,
** files by name, environment, locale. A client of the public API; where
** the C library has no answer (no clock, no files) its failure is returned.
*/
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L /* mkstemp, close, gmtime_r, localtime_r */
#endif

#include <errno.h>
#include <limits.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#if defined(__unix__) || defined(__APPLE__)
#define OS_POSIX 1
#include <unistd.h>
#else
#define OS_POSIX 0
#endif

#include "lua.h"
#include "lauxlib.h"
#include "lualib.h"
#include "moonlet.h"

/* Date fields beyond this are refused, so that mktime never overflows. */
#define MAXDATEFIELD (INT_MAX / 2)

/* Room for one strftime conversion. */
#define SIZETIMEFMT 250

/* The strftime conversions 5.3 accepts (C99), by length. */
static const char *const date_options[] = {
  "aAbBcCdDeFgGhHIjmMnprRStTuUVwWxXyYzZ%",
  "EcECExEXEyEYOdOeOHOIOmOMOSOuOUOVOwOWOy",
};

static int os_clock(lua_State *L) {
  lua_pushnumber(L, (lua_Number)clock() / (lua_Number)CLOCKS_PER_SEC);
  return 1;
}

static int os_getenv(lua_State *L) {
  lua_pushstring(L, getenv(luaL_checkstring(L, 1))); /* nil if unset */
  return 1;
}

static int os_remove(lua_State *L) {
  const char *filename = luaL_checkstring(L, 1);
  return luaL_fileresult(L, remove(filename) == 0, filename);
}

static int os_rename(lua_State *L) {
  const char *from = luaL_checkstring(L, 1);
  const char *to = luaL_checkstring(L, 2);
  return luaL_fileresult(L, rename(from, to) == 0, NULL);
}

static int os_execute(lua_State *L) {
  const char *cmd = luaL_optstring(L, 1, NULL);
  int stat = system(cmd);
  if (cmd != NULL) return luaL_execresult(L, stat);
  lua_pushboolean(L, stat); /* is there a shell? */
  return 1;
}

static int os_tmpname(lua_State *L) {
#if OS_POSIX
  char buff[32] = "/tmp/lua_XXXXXX";
  int fd = mkstemp(buff);
  if (fd != -1) close(fd);
  if (fd == -1) return luaL_error(L, "unable to generate a unique filename");
#else /* a name no file has yet: C's tmpnam drags printf's floats in */
  static unsigned long serial;
  char buff[32];
  int tries = 0;
  FILE *f;
  do {
    if (++tries > 100)
      return luaL_error(L, "unable to generate a unique filename");
    snprintf(buff, sizeof buff, "lua_%lx_%lu", (unsigned long)time(NULL),
             ++serial);
    f = fopen(buff, "r");
    if (f != NULL) fclose(f);
  } while (f != NULL);
#endif
  lua_pushstring(L, buff);
  return 1;
}

static int os_exit(lua_State *L) {
  int status;
  if (lua_isboolean(L, 1))
    status = lua_toboolean(L, 1) ? EXIT_SUCCESS : EXIT_FAILURE;
  else
    status = (int)luaL_optinteger(L, 1, EXIT_SUCCESS);
  if (lua_toboolean(L, 2)) lua_close(L);
  exit(status);
}

static int os_setlocale(lua_State *L) {
  static const int cat[] = {LC_ALL, LC_COLLATE, LC_CTYPE, LC_MONETARY,
                            LC_NUMERIC, LC_TIME};
  static const char *const catnames[] = {"all", "collate", "ctype", "monetary",
                                         "numeric", "time", NULL};
  const char *l = luaL_optstring(L, 1, NULL);
  int op = luaL_checkoption(L, 2, "all", catnames);
  lua_pushstring(L, setlocale(cat[op], l));
  return 1;
}

/* ---------------------------------------------------------------------- */
/* Time and date                                                           */
/* ---------------------------------------------------------------------- */

static time_t check_time(lua_State *L, int arg) {
  lua_Integer t = luaL_checkinteger(L, arg);
  luaL_argcheck(L, (lua_Integer)(time_t)t == t, arg, "time out-of-bounds");
  return (time_t)t;
}

static int os_difftime(lua_State *L) {
  time_t t1 = check_time(L, 1);
  time_t t2 = check_time(L, 2);
  lua_pushnumber(L, (lua_Number)difftime(t1, t2));
  return 1;
}

static void set_field(lua_State *L, const char *key, int value, int delta) {
  lua_pushinteger(L, (lua_Integer)value + delta);
  lua_setfield(L, -2, key);
}

/* Fills the table on top with the fields of stm (os.date's "*t"). */
static void set_all_fields(lua_State *L, const struct tm *stm) {
  set_field(L, "sec", stm->tm_sec, 0);
  set_field(L, "min", stm->tm_min, 0);
  set_field(L, "hour", stm->tm_hour, 0);
  set_field(L, "day", stm->tm_mday, 0);
  set_field(L, "month", stm->tm_mon, 1);
  set_field(L, "year", stm->tm_year, 1900);
  set_field(L, "wday", stm->tm_wday, 1);
  set_field(L, "yday", stm->tm_yday, 1);
  if (stm->tm_isdst >= 0) {
    lua_pushboolean(L, stm->tm_isdst);
    lua_setfield(L, -2, "isdst");
  }
}

/* Field key of the table on top, minus delta; d < 0: the field is required. */
static int get_field(lua_State *L, const char *key, int d, int delta) {
  int isnum;
  int t = lua_getfield(L, -1, key);
  lua_Integer res = lua_tointegerx(L, -1, &isnum);
  if (!isnum) {
    if (t != LUA_TNIL)
      return luaL_error(L, "field '%s' is not an integer", key);
    if (d < 0) return luaL_error(L, "field '%s' missing in date table", key);
    res = d;
  } else {
    if (!(-MAXDATEFIELD <= res && res <= MAXDATEFIELD))
      return luaL_error(L, "field '%s' is out-of-bound", key);
    res -= delta;
  }
  lua_pop(L, 1);
  return (int)res;
}

/* isdst of the table on top: -1 (unknown) when absent. */
static int get_bool_field(lua_State *L, const char *key) {
  int res = (lua_getfield(L, -1, key) == LUA_TNIL) ? -1 : lua_toboolean(L, -1);
  lua_pop(L, 1);
  return res;
}

/* The time of the date table at index 1, normalising the table's fields. */
static time_t table_time(lua_State *L) {
  struct tm ts;
  time_t t;
  memset(&ts, 0, sizeof(ts));
  luaL_checktype(L, 1, LUA_TTABLE);
  lua_settop(L, 1);
  ts.tm_sec = get_field(L, "sec", 0, 0);
  ts.tm_min = get_field(L, "min", 0, 0);
  ts.tm_hour = get_field(L, "hour", 12, 0);
  ts.tm_mday = get_field(L, "day", -1, 0);
  ts.tm_mon = get_field(L, "month", -1, 1);
  ts.tm_year = get_field(L, "year", -1, 1900);
  ts.tm_isdst = get_bool_field(L, "isdst");
  t = mktime(&ts);
  set_all_fields(L, &ts);
  return t;
}

static int os_time(lua_State *L) {
  time_t t = lua_isnoneornil(L, 1) ? time(NULL) : table_time(L);
  if (t != (time_t)(lua_Integer)t || t == (time_t)(-1))
    return luaL_error(L,
                      "time result cannot be represented in this installation");
  lua_pushinteger(L, (lua_Integer)t);
  return 1;
}

/*
** Checks the conversion at conv (after a '%', convlen bytes left) and
** copies it to buff; returns what follows it.
*/
static const char *check_conversion(lua_State *L, const char *conv,
                                    size_t convlen, char *buff) {
  size_t len, i;
  for (len = 1; len <= 2 && len <= convlen; len++) {
    const char *opts = date_options[len - 1];
    for (i = 0; opts[i] != '\0'; i += len) {
      if (memcmp(conv, opts + i, len) == 0) {
        memcpy(buff, conv, len);
        buff[len] = '\0';
        return conv + len;
      }
    }
  }
  luaL_argerror(L, 1, lua_pushfstring(L, "invalid conversion specifier '%%%s'",
                                      conv));
  return conv;
}

/* Pushes the date stm formatted by s..se, one strftime call per item. */
static void format_date(lua_State *L, const char *s, const char *se,
                        const struct tm *stm) {
  luaL_Buffer b;
  char cc[4] = {'%'};
  luaL_buffinit(L, &b);
  while (s < se) {
    const char *pct = memchr(s, '%', (size_t)(se - s));
    char *buff;
    if (pct == NULL) pct = se;
    luaL_addlstring(&b, s, (size_t)(pct - s));
    if (pct == se) break;
    buff = luaL_prepbuffsize(&b, SIZETIMEFMT);
    s = check_conversion(L, pct + 1, (size_t)(se - pct - 1), cc + 1);
    luaL_addsize(&b, strftime(buff, SIZETIMEFMT, cc, stm));
  }
  luaL_pushresult(&b);
}

static struct tm *split_time(const time_t *t, struct tm *res, int utc) {
#if OS_POSIX
  return utc ? gmtime_r(t, res) : localtime_r(t, res);
#else
  struct tm *stm = utc ? gmtime(t) : localtime(t);
  if (stm == NULL) return NULL;
  *res = *stm;
  return res;
#endif
}

static int os_date(lua_State *L) {
  size_t slen;
  const char *s = luaL_optlstring(L, 1, "%c", &slen);
  time_t t = lua_isnoneornil(L, 2) ? time(NULL) : check_time(L, 2);
  const char *se = s + slen;
  struct tm tmr, *stm;
  int utc = (*s == '!');
  if (utc) s++;
  stm = split_time(&t, &tmr, utc);
  if (stm == NULL)
    return luaL_error(L,
                      "time result cannot be represented in this installation");
  if (strcmp(s, "*t") == 0) {
    lua_createtable(L, 0, 9);
    set_all_fields(L, stm);
  } else {
    format_date(L, s, se, stm);
  }
  return 1;
}

/* The library is a ROM table (lib_rom.h). */
#include "rom_os.inc"

LUAMOD_API int luaopen_os(lua_State *L) {
  moonlet_pushrotable(L, &ml_rt_os);
  return 1;
}
