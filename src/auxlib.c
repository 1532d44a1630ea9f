/*
** auxlib.c: the auxiliary library of lauxlib.h, a client of lua.h only.
** Messages are Lua 5.3's, word for word; a luaL_Buffer that outgrows its
** struct keeps its bytes in a userdata on the stack, so the GC frees them.
*/
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if defined(__unix__) || defined(__APPLE__)
#include <sys/wait.h>
#define HAVE_WAITSTATUS 1
#else
#define HAVE_WAITSTATUS 0
#endif

#include "lauxlib.h"
#include "lua.h"

/* ---------------------------------------------------------------------
** Function names for messages
** ------------------------------------------------------------------- */

#define LEVELS1 10 /* traceback: levels shown before "..." */
#define LEVELS2 11 /* traceback: levels shown after it */

/*
** Searches the table on top, 'level' tables deep, for the value at
** objidx. Found: 1, with its dotted name replacing the table; else 0,
** with the stack as it was.
*/
static int findfield(lua_State *L, int objidx, int level) {
  if (level == 0 || !lua_istable(L, -1)) return 0;
  lua_pushnil(L);
  while (lua_next(L, -2)) {
    if (lua_type(L, -2) == LUA_TSTRING) {
      if (lua_rawequal(L, objidx, -1)) {
        lua_pop(L, 1); /* keep the key: the name */
        return 1;
      }
      if (findfield(L, objidx, level - 1)) { /* stack: key, table, name */
        lua_remove(L, -2);
        lua_pushliteral(L, ".");
        lua_insert(L, -2);
        lua_concat(L, 3); /* key.name */
        return 1;
      }
    }
    lua_pop(L, 1);
  }
  return 0;
}

/*
** Pushes the name under which package.loaded holds the function of 'ar'
** ("string.format", or "print" for "_G.print") and returns 1; or pushes
** nothing and returns 0.
*/
static int pushglobalfuncname(lua_State *L, lua_Debug *ar) {
  int top = lua_gettop(L);
  lua_getinfo(L, "f", ar);
  lua_getfield(L, LUA_REGISTRYINDEX, LUA_LOADED_TABLE);
  if (!findfield(L, top + 1, 2)) {
    lua_settop(L, top);
    return 0;
  }
  if (strncmp(lua_tostring(L, -1), "_G.", 3) == 0) {
    lua_pushstring(L, lua_tostring(L, -1) + 3);
    lua_remove(L, -2);
  }
  lua_copy(L, -1, top + 1);
  lua_settop(L, top + 1);
  return 1;
}

static void pushfuncname(lua_State *L, lua_Debug *ar) {
  if (pushglobalfuncname(L, ar)) {
    lua_pushfstring(L, "function '%s'", lua_tostring(L, -1));
    lua_remove(L, -2);
  } else if (*ar->namewhat != '\0') {
    lua_pushfstring(L, "%s '%s'", ar->namewhat, ar->name);
  } else if (*ar->what == 'm') {
    lua_pushliteral(L, "main chunk");
  } else if (*ar->what != 'C') {
    lua_pushfstring(L, "function <%s:%d>", ar->short_src, ar->linedefined);
  } else {
    lua_pushliteral(L, "?");
  }
}

/* The deepest valid level of L's stack (exponential then binary search). */
static int lastlevel(lua_State *L) {
  lua_Debug ar;
  int lo = 1, hi = 1; /* level lo exists (or is 1); level hi is unknown */
  while (lua_getstack(L, hi, &ar)) {
    lo = hi;
    hi *= 2;
  }
  while (lo < hi) { /* invariant: levels < lo exist, level hi does not */
    int mid = lo + (hi - lo) / 2;
    if (lua_getstack(L, mid, &ar))
      lo = mid + 1;
    else
      hi = mid;
  }
  return hi - 1;
}

/* Pushes "\n\tsrc:line: in what" for one level of the traceback. */
static void pushlevel(lua_State *L, lua_State *L1, lua_Debug *ar) {
  int top = lua_gettop(L);
  lua_getinfo(L1, "Slnt", ar);
  lua_pushfstring(L, "\n\t%s:", ar->short_src);
  if (ar->currentline > 0) lua_pushfstring(L, "%d:", ar->currentline);
  lua_pushliteral(L, " in ");
  pushfuncname(L, ar);
  if (ar->istailcall) lua_pushliteral(L, "\n\t(...tail calls...)");
  lua_concat(L, lua_gettop(L) - top);
}

LUALIB_API void luaL_traceback(lua_State *L, lua_State *L1, const char *msg,
                               int level) {
  lua_Debug ar;
  int top = lua_gettop(L);
  int last = lastlevel(L1);
  int shown = last - level > LEVELS1 + LEVELS2 ? LEVELS1 : -1;
  if (msg != NULL) lua_pushfstring(L, "%s\n", msg);
  luaL_checkstack(L, 10, NULL);
  lua_pushliteral(L, "stack traceback:");
  while (lua_getstack(L1, level++, &ar)) {
    if (shown-- == 0) { /* elide the middle of a deep stack */
      lua_pushliteral(L, "\n\t...");
      level = last - LEVELS2 + 1;
    } else {
      pushlevel(L, L1, &ar);
    }
    lua_concat(L, lua_gettop(L) - top);
  }
  lua_concat(L, lua_gettop(L) - top);
}

/* ---------------------------------------------------------------------
** Errors
** ------------------------------------------------------------------- */

LUALIB_API int luaL_argerror(lua_State *L, int arg, const char *extramsg) {
  lua_Debug ar;
  if (!lua_getstack(L, 0, &ar))
    return luaL_error(L, "bad argument #%d (%s)", arg, extramsg);
  lua_getinfo(L, "n", &ar);
  if (strcmp(ar.namewhat, "method") == 0) {
    arg--; /* 'self' is not counted */
    if (arg == 0)
      return luaL_error(L, "calling '%s' on bad self (%s)", ar.name,
                        extramsg);
  }
  if (ar.name == NULL)
    ar.name = pushglobalfuncname(L, &ar) ? lua_tostring(L, -1) : "?";
  return luaL_error(L, "bad argument #%d to '%s' (%s)", arg, ar.name,
                    extramsg);
}

/* "<tname> expected, got <type>", the type named by __name if it has one. */
static int typeerror(lua_State *L, int arg, const char *tname) {
  const char *got;
  if (luaL_getmetafield(L, arg, "__name") == LUA_TSTRING)
    got = lua_tostring(L, -1);
  else if (lua_type(L, arg) == LUA_TLIGHTUSERDATA)
    got = "light userdata";
  else
    got = luaL_typename(L, arg);
  return luaL_argerror(L, arg,
                       lua_pushfstring(L, "%s expected, got %s", tname, got));
}

static void tagerror(lua_State *L, int arg, int tag) {
  typeerror(L, arg, lua_typename(L, tag));
}

LUALIB_API void luaL_where(lua_State *L, int level) {
  lua_Debug ar;
  if (lua_getstack(L, level, &ar)) {
    lua_getinfo(L, "Sl", &ar);
    if (ar.currentline > 0) {
      lua_pushfstring(L, "%s:%d: ", ar.short_src, ar.currentline);
      return;
    }
  }
  lua_pushliteral(L, "");
}

LUALIB_API int luaL_error(lua_State *L, const char *fmt, ...) {
  va_list argp;
  va_start(argp, fmt);
  luaL_where(L, 1);
  lua_pushvfstring(L, fmt, argp);
  va_end(argp);
  lua_concat(L, 2);
  return lua_error(L);
}

LUALIB_API int luaL_fileresult(lua_State *L, int stat, const char *fname) {
  int en = errno; /* before any call can change it */
  if (stat) {
    lua_pushboolean(L, 1);
    return 1;
  }
  lua_pushnil(L);
  if (fname != NULL)
    lua_pushfstring(L, "%s: %s", fname, strerror(en));
  else
    lua_pushstring(L, strerror(en));
  lua_pushinteger(L, en);
  return 3;
}

/* 'stat' as system() returns it: true, "exit"|"signal", code. */
LUALIB_API int luaL_execresult(lua_State *L, int stat) {
  const char *what = "exit";
  if (stat == -1) return luaL_fileresult(L, 0, NULL);
#if HAVE_WAITSTATUS
  if (WIFEXITED(stat)) {
    stat = WEXITSTATUS(stat);
  } else if (WIFSIGNALED(stat)) {
    stat = WTERMSIG(stat);
    what = "signal";
  }
#endif
  if (*what == 'e' && stat == 0)
    lua_pushboolean(L, 1);
  else
    lua_pushnil(L);
  lua_pushstring(L, what);
  lua_pushinteger(L, stat);
  return 3;
}

/* ---------------------------------------------------------------------
** Metatables and userdata
** ------------------------------------------------------------------- */

LUALIB_API int luaL_newmetatable(lua_State *L, const char *tname) {
  if (luaL_getmetatable(L, tname) != LUA_TNIL) return 0;
  lua_pop(L, 1);
  lua_createtable(L, 0, 2);
  lua_pushstring(L, tname);
  lua_setfield(L, -2, "__name");
  lua_pushvalue(L, -1);
  lua_setfield(L, LUA_REGISTRYINDEX, tname);
  return 1;
}

LUALIB_API void luaL_setmetatable(lua_State *L, const char *tname) {
  luaL_getmetatable(L, tname);
  lua_setmetatable(L, -2);
}

LUALIB_API void *luaL_testudata(lua_State *L, int ud, const char *tname) {
  void *p = lua_touserdata(L, ud);
  int same;
  if (p == NULL || !lua_getmetatable(L, ud)) return NULL;
  luaL_getmetatable(L, tname);
  same = lua_rawequal(L, -1, -2);
  lua_pop(L, 2);
  return same ? p : NULL;
}

LUALIB_API void *luaL_checkudata(lua_State *L, int ud, const char *tname) {
  void *p = luaL_testudata(L, ud, tname);
  if (p == NULL) typeerror(L, ud, tname);
  return p;
}

LUALIB_API int luaL_getmetafield(lua_State *L, int obj, const char *event) {
  int tt;
  if (!lua_getmetatable(L, obj)) return LUA_TNIL;
  lua_pushstring(L, event);
  tt = lua_rawget(L, -2);
  if (tt == LUA_TNIL)
    lua_pop(L, 2);
  else
    lua_remove(L, -2);
  return tt;
}

LUALIB_API int luaL_callmeta(lua_State *L, int obj, const char *event) {
  obj = lua_absindex(L, obj);
  if (luaL_getmetafield(L, obj, event) == LUA_TNIL) return 0;
  lua_pushvalue(L, obj);
  lua_call(L, 1, 1);
  return 1;
}

/* ---------------------------------------------------------------------
** Argument checks
** ------------------------------------------------------------------- */

LUALIB_API int luaL_checkoption(lua_State *L, int arg, const char *def,
                                const char *const lst[]) {
  const char *name = def != NULL ? luaL_optstring(L, arg, def)
                                 : luaL_checkstring(L, arg);
  int i;
  for (i = 0; lst[i] != NULL; i++)
    if (strcmp(lst[i], name) == 0) return i;
  return luaL_argerror(L, arg,
                       lua_pushfstring(L, "invalid option '%s'", name));
}

LUALIB_API void luaL_checkstack(lua_State *L, int space, const char *msg) {
  if (lua_checkstack(L, space)) return;
  if (msg != NULL)
    luaL_error(L, "stack overflow (%s)", msg);
  else
    luaL_error(L, "stack overflow");
}

LUALIB_API void luaL_checktype(lua_State *L, int arg, int t) {
  if (lua_type(L, arg) != t) tagerror(L, arg, t);
}

LUALIB_API void luaL_checkany(lua_State *L, int arg) {
  if (lua_type(L, arg) == LUA_TNONE) luaL_argerror(L, arg, "value expected");
}

LUALIB_API const char *luaL_checklstring(lua_State *L, int arg, size_t *len) {
  const char *s = lua_tolstring(L, arg, len);
  if (s == NULL) tagerror(L, arg, LUA_TSTRING);
  return s;
}

LUALIB_API const char *luaL_optlstring(lua_State *L, int arg,
                                       const char *def, size_t *len) {
  if (!lua_isnoneornil(L, arg)) return luaL_checklstring(L, arg, len);
  if (len != NULL) *len = def != NULL ? strlen(def) : 0;
  return def;
}

LUALIB_API lua_Number luaL_checknumber(lua_State *L, int arg) {
  int isnum;
  lua_Number d = lua_tonumberx(L, arg, &isnum);
  if (!isnum) tagerror(L, arg, LUA_TNUMBER);
  return d;
}

LUALIB_API lua_Number luaL_optnumber(lua_State *L, int arg, lua_Number def) {
  return luaL_opt(L, luaL_checknumber, arg, def);
}

LUALIB_API lua_Integer luaL_checkinteger(lua_State *L, int arg) {
  int isnum;
  lua_Integer d = lua_tointegerx(L, arg, &isnum);
  if (isnum) return d;
  if (lua_isnumber(L, arg))
    luaL_argerror(L, arg, "number has no integer representation");
  else
    tagerror(L, arg, LUA_TNUMBER);
  return 0;
}

LUALIB_API lua_Integer luaL_optinteger(lua_State *L, int arg,
                                       lua_Integer def) {
  return luaL_opt(L, luaL_checkinteger, arg, def);
}

/* ---------------------------------------------------------------------
** Generic buffer
** ------------------------------------------------------------------- */

/*
** A buffer that outgrows 'initb' lives in a userdata "box" at the top of
** the stack; growing makes a larger box and replaces the old one, which
** is left to the collector. So a box is never leaked, not even by an
** error, and its bytes count in the Lua heap.
*/
static int buffonstack(luaL_Buffer *B) { return B->b != B->initb; }

static size_t newbuffsize(luaL_Buffer *B, size_t sz) {
  size_t newsize = B->size * 2;
  if (B->size > ((size_t)-1) / 2 || newsize - B->n < sz) newsize = B->n + sz;
  if (newsize < B->n || newsize - B->n < sz)
    luaL_error(B->L, "buffer too large");
  return newsize;
}

LUALIB_API char *luaL_prepbuffsize(luaL_Buffer *B, size_t sz) {
  lua_State *L = B->L;
  if (B->size - B->n < sz) {
    size_t newsize = newbuffsize(B, sz);
    char *box = (char *)lua_newuserdata(L, newsize);
    memcpy(box, B->b, B->n);
    if (buffonstack(B)) lua_replace(L, -2); /* the old box is garbage */
    B->b = box;
    B->size = newsize;
  }
  return &B->b[B->n];
}

LUALIB_API void luaL_addlstring(luaL_Buffer *B, const char *s, size_t l) {
  if (l > 0) {
    char *b = luaL_prepbuffsize(B, l);
    memcpy(b, s, l);
    luaL_addsize(B, l);
  }
}

LUALIB_API void luaL_addstring(luaL_Buffer *B, const char *s) {
  luaL_addlstring(B, s, strlen(s));
}

LUALIB_API void luaL_pushresult(luaL_Buffer *B) {
  lua_State *L = B->L;
  lua_pushlstring(L, B->b, B->n);
  if (buffonstack(B)) lua_remove(L, -2); /* drop the box */
}

LUALIB_API void luaL_pushresultsize(luaL_Buffer *B, size_t sz) {
  luaL_addsize(B, sz);
  luaL_pushresult(B);
}

/* The value on top joins the buffer; below it may sit the box. The value
** stays on the stack (anchoring its bytes) until they are copied. */
LUALIB_API void luaL_addvalue(luaL_Buffer *B) {
  lua_State *L = B->L;
  size_t l;
  const char *s = lua_tolstring(L, -1, &l);
  if (buffonstack(B)) lua_insert(L, -2); /* value below the box */
  luaL_addlstring(B, s, l);
  lua_remove(L, buffonstack(B) ? -2 : -1);
}

LUALIB_API void luaL_buffinit(lua_State *L, luaL_Buffer *B) {
  B->L = L;
  B->b = B->initb;
  B->n = 0;
  B->size = LUAL_BUFFERSIZE;
}

LUALIB_API char *luaL_buffinitsize(lua_State *L, luaL_Buffer *B, size_t sz) {
  luaL_buffinit(L, B);
  return luaL_prepbuffsize(B, sz);
}

/* ---------------------------------------------------------------------
** References: t[0] heads the list of free references.
** ------------------------------------------------------------------- */

#define FREELIST 0

LUALIB_API int luaL_ref(lua_State *L, int t) {
  int ref;
  if (lua_isnil(L, -1)) {
    lua_pop(L, 1);
    return LUA_REFNIL;
  }
  t = lua_absindex(L, t);
  lua_rawgeti(L, t, FREELIST);
  ref = (int)lua_tointeger(L, -1);
  lua_pop(L, 1);
  if (ref != 0) { /* reuse a free reference: unlink it */
    lua_rawgeti(L, t, ref);
    lua_rawseti(L, t, FREELIST);
  } else {
    ref = (int)lua_rawlen(L, t) + 1;
  }
  lua_rawseti(L, t, ref);
  return ref;
}

LUALIB_API void luaL_unref(lua_State *L, int t, int ref) {
  if (ref < 0) return;
  t = lua_absindex(L, t);
  lua_rawgeti(L, t, FREELIST);
  lua_rawseti(L, t, ref); /* t[ref] = first free */
  lua_pushinteger(L, ref);
  lua_rawseti(L, t, FREELIST); /* first free = ref */
}

/* ---------------------------------------------------------------------
** Loading chunks
** ------------------------------------------------------------------- */

typedef struct LoadF {
  int n; /* bytes already in buff, served before reading the file */
  FILE *f;
  char buff[LUAL_BUFFERSIZE];
} LoadF;

static const char *getF(lua_State *L, void *ud, size_t *size) {
  LoadF *lf = (LoadF *)ud;
  (void)L;
  if (lf->n > 0) {
    *size = (size_t)lf->n;
    lf->n = 0;
    return lf->buff;
  }
  if (feof(lf->f)) return NULL;
  *size = fread(lf->buff, 1, sizeof(lf->buff), lf->f);
  return lf->buff;
}

/* "cannot <what> <file>: <strerror>" replaces the chunk name. */
static int errfile(lua_State *L, const char *what, int fnameindex) {
  const char *serr = strerror(errno);
  const char *filename = lua_tostring(L, fnameindex) + 1; /* skip '@' */
  lua_pushfstring(L, "cannot %s %s: %s", what, filename, serr);
  lua_remove(L, fnameindex);
  return LUA_ERRFILE;
}

/* Skips a UTF-8 byte-order mark; returns the first character after it
** (or the first one that broke it, with what matched kept in buff). */
static int skipBOM(LoadF *lf) {
  static const char bom[] = "\xEF\xBB\xBF";
  int i, c;
  lf->n = 0;
  for (i = 0; bom[i] != '\0'; i++) {
    c = getc(lf->f);
    if (c == EOF || c != (unsigned char)bom[i]) return c;
    lf->buff[lf->n++] = (char)c;
  }
  lf->n = 0;
  return getc(lf->f);
}

/* Skips a first line starting with '#' (a Unix exec line); *cp gets the
** first character after it. Returns 1 when a line was skipped. */
static int skipcomment(LoadF *lf, int *cp) {
  int c = *cp = skipBOM(lf);
  if (c != '#') return 0;
  do c = getc(lf->f);
  while (c != EOF && c != '\n');
  *cp = getc(lf->f);
  return 1;
}

/* Opens the file (or stdin) and reads past its header; LUA_OK or an error
** status with the message replacing the name at fnameindex. */
static int openloadf(lua_State *L, LoadF *lf, const char *filename,
                     int fnameindex) {
  int c;
  if (filename == NULL) {
    lf->f = stdin;
  } else if ((lf->f = fopen(filename, "r")) == NULL) {
    return errfile(L, "open", fnameindex);
  }
  if (skipcomment(lf, &c)) lf->buff[lf->n++] = '\n'; /* keep line numbers */
  if (c == LUA_SIGNATURE[0] && filename != NULL) { /* binary chunk */
    if ((lf->f = freopen(filename, "rb", lf->f)) == NULL)
      return errfile(L, "reopen", fnameindex);
    skipcomment(lf, &c);
  }
  if (c != EOF) lf->buff[lf->n++] = (char)c;
  return LUA_OK;
}

LUALIB_API int luaL_loadfilex(lua_State *L, const char *filename,
                              const char *mode) {
  LoadF lf;
  int status, readerror;
  int fnameindex = lua_gettop(L) + 1;
  if (filename == NULL)
    lua_pushliteral(L, "=stdin");
  else
    lua_pushfstring(L, "@%s", filename);
  status = openloadf(L, &lf, filename, fnameindex);
  if (status != LUA_OK) return status;
  status = lua_load(L, getF, &lf, lua_tostring(L, -1), mode);
  readerror = ferror(lf.f);
  if (filename != NULL) fclose(lf.f);
  if (readerror) {
    lua_settop(L, fnameindex); /* drop what lua_load pushed */
    return errfile(L, "read", fnameindex);
  }
  lua_remove(L, fnameindex);
  return status;
}

typedef struct LoadS {
  const char *s;
  size_t size;
} LoadS;

static const char *getS(lua_State *L, void *ud, size_t *size) {
  LoadS *ls = (LoadS *)ud;
  (void)L;
  if (ls->size == 0) return NULL;
  *size = ls->size;
  ls->size = 0;
  return ls->s;
}

LUALIB_API int luaL_loadbufferx(lua_State *L, const char *buff, size_t size,
                                const char *name, const char *mode) {
  LoadS ls;
  ls.s = buff;
  ls.size = size;
  return lua_load(L, getS, &ls, name, mode);
}

LUALIB_API int luaL_loadstring(lua_State *L, const char *s) {
  return luaL_loadbuffer(L, s, strlen(s), s);
}

/* ---------------------------------------------------------------------
** Miscellaneous
** ------------------------------------------------------------------- */

LUALIB_API lua_Integer luaL_len(lua_State *L, int idx) {
  int isnum;
  lua_Integer l;
  lua_len(L, idx);
  l = lua_tointegerx(L, -1, &isnum);
  if (!isnum) luaL_error(L, "object length is not an integer");
  lua_pop(L, 1);
  return l;
}

/* "NAME: 0x..." for values with a __name, "table: 0x..." otherwise. */
static void pushdefaultname(lua_State *L, int idx) {
  int tt = luaL_getmetafield(L, idx, "__name");
  const char *kind = tt == LUA_TSTRING ? lua_tostring(L, -1)
                                       : luaL_typename(L, idx);
  lua_pushfstring(L, "%s: %p", kind, lua_topointer(L, idx));
  if (tt != LUA_TNIL) lua_remove(L, -2);
}

LUALIB_API const char *luaL_tolstring(lua_State *L, int idx, size_t *len) {
  if (luaL_callmeta(L, idx, "__tostring")) {
    if (!lua_isstring(L, -1))
      luaL_error(L, "'__tostring' must return a string");
  } else {
    switch (lua_type(L, idx)) {
      case LUA_TNUMBER: /* a copy, converted in place by lua_tolstring */
      case LUA_TSTRING: lua_pushvalue(L, idx); break;
      case LUA_TBOOLEAN:
        lua_pushstring(L, lua_toboolean(L, idx) ? "true" : "false");
        break;
      case LUA_TNIL: lua_pushliteral(L, "nil"); break;
      default: pushdefaultname(L, idx); break;
    }
  }
  return lua_tolstring(L, -1, len);
}

LUALIB_API const char *luaL_gsub(lua_State *L, const char *s, const char *p,
                                 const char *r) {
  const char *wild;
  size_t l = strlen(p);
  luaL_Buffer b;
  luaL_buffinit(L, &b);
  while (l > 0 && (wild = strstr(s, p)) != NULL) {
    luaL_addlstring(&b, s, (size_t)(wild - s));
    luaL_addstring(&b, r);
    s = wild + l;
  }
  luaL_addstring(&b, s);
  luaL_pushresult(&b);
  return lua_tostring(L, -1);
}

/* Every function of l into the table below the nup upvalues, each closure
** sharing them; a NULL function sets a 'false' placeholder. */
LUALIB_API void luaL_setfuncs(lua_State *L, const luaL_Reg *l, int nup) {
  luaL_checkstack(L, nup, "too many upvalues");
  for (; l->name != NULL; l++) {
    if (l->func == NULL) {
      lua_pushboolean(L, 0);
    } else {
      int i;
      for (i = 0; i < nup; i++) lua_pushvalue(L, -nup);
      lua_pushcclosure(L, l->func, nup);
    }
    lua_setfield(L, -(nup + 2), l->name);
  }
  lua_pop(L, nup);
}

LUALIB_API int luaL_getsubtable(lua_State *L, int idx, const char *fname) {
  if (lua_getfield(L, idx, fname) == LUA_TTABLE) return 1;
  lua_pop(L, 1);
  idx = lua_absindex(L, idx);
  lua_newtable(L);
  lua_pushvalue(L, -1);
  lua_setfield(L, idx, fname);
  return 0;
}

LUALIB_API void luaL_requiref(lua_State *L, const char *modname,
                              lua_CFunction openf, int glb) {
  luaL_getsubtable(L, LUA_REGISTRYINDEX, LUA_LOADED_TABLE);
  lua_getfield(L, -1, modname);
  if (!lua_toboolean(L, -1)) { /* not loaded yet */
    lua_pop(L, 1);
    lua_pushcfunction(L, openf);
    lua_pushstring(L, modname);
    lua_call(L, 1, 1);
    lua_pushvalue(L, -1);
    lua_setfield(L, -3, modname); /* LOADED[modname] = module */
  }
  lua_remove(L, -2);
  if (glb) {
    lua_pushvalue(L, -1);
    lua_setglobal(L, modname);
  }
}

LUALIB_API void luaL_checkversion_(lua_State *L, lua_Number ver, size_t sz) {
  const lua_Number *v = lua_version(L);
  if (sz != LUAL_NUMSIZES)
    luaL_error(L, "core and library have incompatible numeric types");
  if (v != lua_version(NULL))
    luaL_error(L, "multiple Lua VMs detected");
  else if (*v != ver)
    luaL_error(L, "version mismatch: app. needs %f, Lua core provides %f",
               (LUAI_UACNUMBER)ver, (LUAI_UACNUMBER)*v);
}

/* ---------------------------------------------------------------------
** A state on the C library's allocator
** ------------------------------------------------------------------- */

static void *l_alloc(void *ud, void *ptr, size_t osize, size_t nsize) {
  (void)ud;
  (void)osize;
  if (nsize == 0) {
    free(ptr);
    return NULL;
  }
  return realloc(ptr, nsize);
}

static int panic(lua_State *L) {
  const char *msg = lua_tostring(L, -1);
  if (msg == NULL) msg = "error object is not a string";
  lua_writestringerror("PANIC: unprotected error in call to Lua API (%s)\n",
                       msg);
  return 0; /* the core aborts */
}

LUALIB_API lua_State *luaL_newstate(void) {
  lua_State *L = lua_newstate(l_alloc, NULL);
  if (L != NULL) lua_atpanic(L, panic);
  return L;
}
