/*
** lib_io.c: the io library (Lua 5.3 manual 6.8) on C streams. A file is a
** luaL_Stream userdata (metatable LUA_FILEHANDLE) whose closef is NULL once
** closed; the standard files' closef refuses to close them.
*/
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L /* popen, pclose, fseeko, ftello */
#endif

#include <ctype.h>
#include <errno.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if defined(__unix__) || defined(__APPLE__)
#define IO_POSIX 1
#include <sys/types.h>
#else
#define IO_POSIX 0
#endif

#include "lua.h"
#include "lauxlib.h"
#include "lualib.h"
#include "moonlet.h"
#include "numfmt.h"

/* Registry keys of the default input and output files. */
#define IO_PREFIX "_IO_"
#define IO_INPUT IO_PREFIX "input"
#define IO_OUTPUT IO_PREFIX "output"

#define MAXARGLINE 250 /* formats a lines iterator keeps */
#define MAXNUMLEN 200  /* longest numeral read by "n" */

typedef luaL_Stream LStream;

#if IO_POSIX
typedef off_t io_off;
static int io_seek(FILE *f, io_off off, int whence) { return fseeko(f, off, whence); }
static io_off io_tell(FILE *f) { return ftello(f); }
#else
typedef long io_off;
static int io_seek(FILE *f, io_off off, int whence) { return fseek(f, off, whence); }
static io_off io_tell(FILE *f) { return ftell(f); }
#endif

static LStream *to_stream(lua_State *L) {
  return (LStream *)luaL_checkudata(L, 1, LUA_FILEHANDLE);
}

static int is_closed(const LStream *p) { return p->closef == NULL; }

/* The open file at index 1. */
static FILE *to_file(lua_State *L) {
  LStream *p = to_stream(L);
  if (is_closed(p)) luaL_error(L, "attempt to use a closed file");
  return p->f;
}

/* A new handle, marked closed until its opener sets closef. */
static LStream *new_prefile(lua_State *L) {
  LStream *p = (LStream *)lua_newuserdata(L, sizeof(LStream));
  p->f = NULL;
  p->closef = NULL;
  luaL_setmetatable(L, LUA_FILEHANDLE);
  return p;
}

/* Closes the file at index 1 with its own close function. */
static int aux_close(lua_State *L) {
  LStream *p = to_stream(L);
  lua_CFunction cf = p->closef;
  p->closef = NULL;
  return (*cf)(L);
}

static int io_fclose(lua_State *L) {
  LStream *p = to_stream(L);
  return luaL_fileresult(L, fclose(p->f) == 0, NULL);
}

/* The close function of the standard files: they stay open. */
static int io_noclose(lua_State *L) {
  LStream *p = to_stream(L);
  p->closef = &io_noclose;
  lua_pushnil(L);
  lua_pushliteral(L, "cannot close standard file");
  return 2;
}

static LStream *new_file(lua_State *L) {
  LStream *p = new_prefile(L);
  p->closef = &io_fclose;
  return p;
}

/* Pushes the file fname opened with mode, or raises an error. */
static void open_check_file(lua_State *L, const char *fname, const char *mode) {
  LStream *p = new_file(L);
  p->f = fopen(fname, mode);
  if (p->f == NULL)
    luaL_error(L, "cannot open file '%s' (%s)", fname, strerror(errno));
}

/* A C mode for fopen: [rwa]+?b* */
static int check_mode(const char *mode) {
  if (*mode == '\0' || strchr("rwa", *mode) == NULL) return 0;
  mode++;
  if (*mode == '+') mode++;
  return strspn(mode, "b") == strlen(mode);
}

static void create_std_file(lua_State *L, int i);

/* Pushes the default file findex (IO_INPUT or IO_OUTPUT): at first the
** standard input or output, made on first use. */
static void push_default(lua_State *L, const char *findex) {
  if (lua_getfield(L, LUA_REGISTRYINDEX, findex) != LUA_TNIL) return;
  lua_pop(L, 1);
  create_std_file(L, strcmp(findex, IO_INPUT) == 0 ? 0 : 1);
  lua_pushvalue(L, -1);
  lua_setfield(L, LUA_REGISTRYINDEX, findex);
}

/* The default file findex, pushed and checked open. */
static FILE *get_io_file(lua_State *L, const char *findex) {
  LStream *p;
  push_default(L, findex);
  p = (LStream *)lua_touserdata(L, -1);
  if (is_closed(p))
    luaL_error(L, "standard %s file is closed", findex + strlen(IO_PREFIX));
  return p->f;
}

/* ---------------------------------------------------------------------- */
/* Reading                                                                 */
/* ---------------------------------------------------------------------- */

/* A numeral being read by "n": at most MAXNUMLEN bytes, one look-ahead. */
typedef struct NumReader {
  FILE *f;
  int c; /* the look-ahead character */
  int n; /* bytes in buff */
  char buff[MAXNUMLEN + 1];
} NumReader;

/* Takes the look-ahead into the numeral; a numeral too long reads as "". */
static int nr_take(NumReader *rn) {
  if (rn->n >= MAXNUMLEN) {
    rn->buff[0] = '\0';
    return 0;
  }
  rn->buff[rn->n++] = (char)rn->c;
  rn->c = getc(rn->f);
  return 1;
}

/* Takes the look-ahead if it is one of the two characters of set. */
static int nr_accept(NumReader *rn, const char *set) {
  if (rn->c == set[0] || rn->c == set[1]) return nr_take(rn);
  return 0;
}

static int nr_digits(NumReader *rn, int hex) {
  int count = 0;
  while ((hex ? isxdigit(rn->c) : isdigit(rn->c)) && nr_take(rn)) count++;
  return count;
}

/*
** Reads the longest prefix that can start a numeral (as 5.3 does), leaves
** the first other character unread, and converts it with lua_stringtonumber.
*/
static int read_number(lua_State *L, FILE *f) {
  NumReader rn;
  int count = 0, hex = 0;
  char decp[2] = {localeconv()->decimal_point[0], '.'};
  rn.f = f;
  rn.n = 0;
  do rn.c = getc(f); while (isspace(rn.c));
  nr_accept(&rn, "-+");
  if (nr_accept(&rn, "00")) {
    if (nr_accept(&rn, "xX")) hex = 1;
    else count = 1;
  }
  count += nr_digits(&rn, hex);
  if (nr_accept(&rn, decp)) count += nr_digits(&rn, hex);
  if (count > 0 && nr_accept(&rn, hex ? "pP" : "eE")) {
    nr_accept(&rn, "-+");
    nr_digits(&rn, 0);
  }
  ungetc(rn.c, f);
  rn.buff[rn.n] = '\0';
  if (lua_stringtonumber(L, rn.buff) != 0) return 1;
  lua_pushnil(L);
  return 0;
}

static int test_eof(lua_State *L, FILE *f) {
  int c = getc(f);
  ungetc(c, f);
  lua_pushliteral(L, "");
  return c != EOF;
}

static int read_line(lua_State *L, FILE *f, int chop) {
  luaL_Buffer b;
  int c = '\0';
  luaL_buffinit(L, &b);
  while (c != EOF && c != '\n') {
    char *buff = luaL_prepbuffer(&b);
    size_t i = 0;
    while (i < (size_t)LUAL_BUFFERSIZE && (c = getc(f)) != EOF && c != '\n')
      buff[i++] = (char)c;
    luaL_addsize(&b, i);
  }
  if (!chop && c == '\n') luaL_addchar(&b, '\n');
  luaL_pushresult(&b);
  return c == '\n' || lua_rawlen(L, -1) > 0;
}

static void read_all(lua_State *L, FILE *f) {
  luaL_Buffer b;
  size_t nr;
  luaL_buffinit(L, &b);
  do {
    char *p = luaL_prepbuffer(&b);
    nr = fread(p, 1, (size_t)LUAL_BUFFERSIZE, f);
    luaL_addsize(&b, nr);
  } while (nr == (size_t)LUAL_BUFFERSIZE);
  luaL_pushresult(&b);
}

/* Reads up to n bytes, a buffer at a time (n may exceed what the file holds). */
static int read_chars(lua_State *L, FILE *f, size_t n) {
  luaL_Buffer b;
  size_t total = 0;
  luaL_buffinit(L, &b);
  while (total < n) {
    size_t want = n - total;
    size_t nr;
    char *p;
    if (want > (size_t)LUAL_BUFFERSIZE) want = (size_t)LUAL_BUFFERSIZE;
    p = luaL_prepbuffsize(&b, want);
    nr = fread(p, 1, want, f);
    luaL_addsize(&b, nr);
    total += nr;
    if (nr < want) break;
  }
  luaL_pushresult(&b);
  return total > 0;
}

/* Reads one item in format arg; pushes it and says whether it succeeded. */
static int read_one(lua_State *L, FILE *f, int arg) {
  const char *p;
  if (lua_type(L, arg) == LUA_TNUMBER) {
    size_t l = (size_t)luaL_checkinteger(L, arg);
    return (l == 0) ? test_eof(L, f) : read_chars(L, f, l);
  }
  p = luaL_checkstring(L, arg);
  if (*p == '*') p++; /* "*l" as in 5.1 and 5.2 */
  switch (*p) {
    case 'n': return read_number(L, f);
    case 'l': return read_line(L, f, 1);
    case 'L': return read_line(L, f, 0);
    case 'a': read_all(L, f); return 1;
    default: return luaL_argerror(L, arg, "invalid format");
  }
}

/* Reads with the formats from index first on; a failed item reads as nil
   and ends the reading. */
static int g_read(lua_State *L, FILE *f, int first) {
  int nargs = lua_gettop(L) - 1;
  int n, success;
  clearerr(f);
  if (nargs == 0) {
    success = read_line(L, f, 1);
    n = first + 1;
  } else {
    luaL_checkstack(L, nargs + LUA_MINSTACK, "too many arguments");
    success = 1;
    for (n = first; nargs-- && success; n++) success = read_one(L, f, n);
  }
  if (ferror(f)) return luaL_fileresult(L, 0, NULL);
  if (!success) {
    lua_pop(L, 1);
    lua_pushnil(L);
  }
  return n - first;
}

static int io_read(lua_State *L) { return g_read(L, get_io_file(L, IO_INPUT), 1); }
static int f_read(lua_State *L) { return g_read(L, to_file(L), 2); }

/* The iterator of lines: upvalues file, count of formats, toclose, formats. */
static int io_readline(lua_State *L) {
  LStream *p = (LStream *)lua_touserdata(L, lua_upvalueindex(1));
  int i, n = (int)lua_tointeger(L, lua_upvalueindex(2));
  if (is_closed(p)) return luaL_error(L, "file is already closed");
  lua_settop(L, 1);
  luaL_checkstack(L, n, "too many arguments");
  for (i = 1; i <= n; i++) lua_pushvalue(L, lua_upvalueindex(3 + i));
  n = g_read(L, p->f, 2);
  if (lua_toboolean(L, -n)) return n;
  if (n > 1) /* an error: its message is the second result */
    return luaL_error(L, "%s", lua_tostring(L, -n + 1));
  if (lua_toboolean(L, lua_upvalueindex(3))) { /* io.lines(name): close at EOF */
    lua_settop(L, 0);
    lua_pushvalue(L, lua_upvalueindex(1));
    aux_close(L);
  }
  return 0;
}

/* Replaces the file at index 1 and the formats above it by an iterator. */
static void aux_lines(lua_State *L, int toclose) {
  int n = lua_gettop(L) - 1;
  luaL_argcheck(L, n <= MAXARGLINE, MAXARGLINE + 2, "too many arguments");
  lua_pushinteger(L, n);
  lua_pushboolean(L, toclose);
  lua_rotate(L, 2, 2);
  lua_pushcclosure(L, io_readline, 3 + n);
}

static int f_lines(lua_State *L) {
  to_file(L);
  aux_lines(L, 0);
  return 1;
}

static int io_lines(lua_State *L) {
  int toclose;
  if (lua_isnone(L, 1)) lua_pushnil(L);
  if (lua_isnil(L, 1)) { /* the default input, left open */
    push_default(L, IO_INPUT);
    lua_replace(L, 1);
    to_file(L);
    toclose = 0;
  } else {
    const char *filename = luaL_checkstring(L, 1);
    open_check_file(L, filename, "r");
    lua_replace(L, 1);
    toclose = 1;
  }
  aux_lines(L, toclose);
  return 1;
}

/* ---------------------------------------------------------------------- */
/* Writing                                                                 */
/* ---------------------------------------------------------------------- */

/* Writes an integer in decimal (small libcs can not print 64-bit ones). */
static int write_integer(FILE *f, lua_Integer n) {
  char buf[32];
  char *end = buf + sizeof(buf), *p = end;
  lua_Unsigned m = (n < 0) ? 0u - (lua_Unsigned)n : (lua_Unsigned)n;
  size_t len;
  do {
    *--p = (char)('0' + (int)(m % 10));
    m /= 10;
  } while (m != 0);
  if (n < 0) *--p = '-';
  len = (size_t)(end - p);
  return fwrite(p, 1, len, f) == len;
}

static int write_number(lua_State *L, FILE *f, int arg) {
  char buf[NUMFMT_NUMSZ];
  size_t len;
  if (lua_isinteger(L, arg)) return write_integer(f, lua_tointeger(L, arg));
  len = (size_t)numfmt_number(buf, lua_tonumber(L, arg));
  return fwrite(buf, 1, len, f) == len;
}

/* Writes the values from index arg on; the file to return is on top. */
static int g_write(lua_State *L, FILE *f, int arg) {
  int nargs = lua_gettop(L) - arg;
  int status = 1;
  for (; nargs--; arg++) {
    int ok;
    if (lua_type(L, arg) == LUA_TNUMBER) {
      ok = write_number(L, f, arg);
    } else {
      size_t l;
      const char *s = luaL_checklstring(L, arg, &l);
      ok = fwrite(s, 1, l, f) == l;
    }
    status = status && ok;
  }
  if (status) return 1;
  return luaL_fileresult(L, status, NULL);
}

static int io_write(lua_State *L) {
  return g_write(L, get_io_file(L, IO_OUTPUT), 1);
}

static int f_write(lua_State *L) {
  FILE *f = to_file(L);
  lua_pushvalue(L, 1);
  return g_write(L, f, 2);
}

/* ---------------------------------------------------------------------- */
/* Files                                                                   */
/* ---------------------------------------------------------------------- */

static int io_type(lua_State *L) {
  LStream *p;
  luaL_checkany(L, 1);
  p = (LStream *)luaL_testudata(L, 1, LUA_FILEHANDLE);
  if (p == NULL)
    lua_pushnil(L);
  else if (is_closed(p))
    lua_pushliteral(L, "closed file");
  else
    lua_pushliteral(L, "file");
  return 1;
}

static int f_tostring(lua_State *L) {
  LStream *p = to_stream(L);
  if (is_closed(p))
    lua_pushliteral(L, "file (closed)");
  else
    lua_pushfstring(L, "file (%p)", (void *)p->f);
  return 1;
}

static int f_close(lua_State *L) {
  to_file(L);
  return aux_close(L);
}

static int io_close(lua_State *L) {
  if (lua_isnone(L, 1)) push_default(L, IO_OUTPUT);
  return f_close(L);
}

static int f_gc(lua_State *L) {
  LStream *p = to_stream(L);
  if (!is_closed(p) && p->f != NULL) aux_close(L);
  return 0;
}

static int io_open(lua_State *L) {
  const char *filename = luaL_checkstring(L, 1);
  const char *mode = luaL_optstring(L, 2, "r");
  LStream *p = new_file(L);
  luaL_argcheck(L, check_mode(mode), 2, "invalid mode");
  p->f = fopen(filename, mode);
  return (p->f == NULL) ? luaL_fileresult(L, 0, filename) : 1;
}

#if IO_POSIX
static int io_pclose(lua_State *L) {
  LStream *p = to_stream(L);
  errno = 0;
  return luaL_execresult(L, pclose(p->f));
}

static int io_popen(lua_State *L) {
  const char *prog = luaL_checkstring(L, 1);
  const char *mode = luaL_optstring(L, 2, "r");
  LStream *p = new_prefile(L);
  luaL_argcheck(L, (mode[0] == 'r' || mode[0] == 'w') && mode[1] == '\0', 2,
                "invalid mode");
  fflush(NULL);
  p->f = popen(prog, mode);
  p->closef = &io_pclose;
  return (p->f == NULL) ? luaL_fileresult(L, 0, prog) : 1;
}
#else
static int io_popen(lua_State *L) {
  luaL_checkstring(L, 1);
  return luaL_error(L, "'popen' not supported");
}
#endif

#if IO_POSIX
static int io_tmpfile(lua_State *L) {
  LStream *p = new_file(L);
  p->f = tmpfile();
  return (p->f == NULL) ? luaL_fileresult(L, 0, NULL) : 1;
}
#else
/*
** Without POSIX (the board, through semihosting) a temporary file is a
** file of a fresh name, removed when closed: C's tmpfile would drag the
** float printf in through tmpnam.
*/
typedef struct TmpStream {
  LStream s;
  char name[32];
} TmpStream;

static int io_tmpclose(lua_State *L) {
  TmpStream *p = (TmpStream *)to_stream(L);
  int ok = fclose(p->s.f) == 0;
  remove(p->name);
  return luaL_fileresult(L, ok, NULL);
}

static int io_tmpfile(lua_State *L) {
  static unsigned long serial;
  TmpStream *p = (TmpStream *)lua_newuserdata(L, sizeof(TmpStream));
  FILE *f;
  int tries = 0;
  p->s.f = NULL;
  p->s.closef = NULL;
  luaL_setmetatable(L, LUA_FILEHANDLE);
  do { /* a name no file has */
    if (++tries > 100) return luaL_fileresult(L, 0, NULL);
    snprintf(p->name, sizeof p->name, "lua_tmp_%lu", ++serial);
    f = fopen(p->name, "r");
    if (f != NULL) fclose(f);
  } while (f != NULL);
  p->s.f = fopen(p->name, "w+b");
  if (p->s.f == NULL) return luaL_fileresult(L, 0, p->name);
  p->s.closef = &io_tmpclose;
  return 1;
}
#endif

/* io.input and io.output: set the default from a name or a file, then get it. */
static int g_iofile(lua_State *L, const char *f, const char *mode) {
  if (!lua_isnoneornil(L, 1)) {
    const char *filename = lua_tostring(L, 1);
    if (filename != NULL) {
      open_check_file(L, filename, mode);
    } else {
      to_file(L);
      lua_pushvalue(L, 1);
    }
    lua_setfield(L, LUA_REGISTRYINDEX, f);
  }
  push_default(L, f);
  return 1;
}

static int io_input(lua_State *L) { return g_iofile(L, IO_INPUT, "r"); }
static int io_output(lua_State *L) { return g_iofile(L, IO_OUTPUT, "w"); }

static int f_seek(lua_State *L) {
  static const int mode[] = {SEEK_SET, SEEK_CUR, SEEK_END};
  static const char *const modenames[] = {"set", "cur", "end", NULL};
  FILE *f = to_file(L);
  int op = luaL_checkoption(L, 2, "cur", modenames);
  lua_Integer p3 = luaL_optinteger(L, 3, 0);
  io_off offset = (io_off)p3;
  luaL_argcheck(L, (lua_Integer)offset == p3, 3,
                "not an integer in proper range");
  if (io_seek(f, offset, mode[op]) != 0) return luaL_fileresult(L, 0, NULL);
  lua_pushinteger(L, (lua_Integer)io_tell(f));
  return 1;
}

static int f_setvbuf(lua_State *L) {
  static const int mode[] = {_IONBF, _IOFBF, _IOLBF};
  static const char *const modenames[] = {"no", "full", "line", NULL};
  FILE *f = to_file(L);
  int op = luaL_checkoption(L, 2, NULL, modenames);
  lua_Integer sz = luaL_optinteger(L, 3, LUAL_BUFFERSIZE);
  return luaL_fileresult(L, setvbuf(f, NULL, mode[op], (size_t)sz) == 0, NULL);
}

static int io_flush(lua_State *L) {
  return luaL_fileresult(L, fflush(get_io_file(L, IO_OUTPUT)) == 0, NULL);
}

static int f_flush(lua_State *L) {
  return luaL_fileresult(L, fflush(to_file(L)) == 0, NULL);
}

/* ---------------------------------------------------------------------- */

static const char *const std_names[] = {"stdin", "stdout", "stderr", NULL};

/* io.stdin, io.stdout, io.stderr: the registry's "_IO_stdin"... (io is a
** ROM table, and this is the __index of its metatable). */
static int io_index(lua_State *L) {
  const char *k = lua_tostring(L, 2);
  int i;
  for (i = 0; k != NULL && std_names[i] != NULL; i++) {
    if (strcmp(k, std_names[i]) == 0) {
      create_std_file(L, i);
      return 1;
    }
  }
  return 0;
}

/* io's functions and the methods of files are ROM tables (lib_rom.h). */
#include "rom_io.inc"

/*
** Pushes standard file i (0 stdin, 1 stdout, 2 stderr), the registry's
** "_IO_stdin"...: made on first use, so that a state that never uses io
** does not pay for the three.
*/
static void create_std_file(lua_State *L, int i) {
  LStream *p;
  lua_pushfstring(L, IO_PREFIX "%s", std_names[i]);
  lua_pushvalue(L, -1);
  if (lua_rawget(L, LUA_REGISTRYINDEX) != LUA_TNIL) {
    lua_remove(L, -2);
    return;
  }
  lua_pop(L, 1);
  p = new_prefile(L);
  p->f = i == 0 ? stdin : i == 1 ? stdout : stderr;
  p->closef = &io_noclose;
  lua_pushvalue(L, -1);
  lua_insert(L, -3); /* file, name, file */
  lua_rawset(L, LUA_REGISTRYINDEX);
}

/* The metatable of files is in ROM too: the registry's "FILE*" is it. */
LUAMOD_API int luaopen_io(lua_State *L) {
  if (lua_getfield(L, LUA_REGISTRYINDEX, LUA_FILEHANDLE) == LUA_TNIL) {
    moonlet_pushrotable(L, &ml_rt_filemeta);
    lua_setfield(L, LUA_REGISTRYINDEX, LUA_FILEHANDLE);
  }
  lua_pop(L, 1);
  moonlet_pushrotable(L, &ml_rt_io);
  return 1;
}
