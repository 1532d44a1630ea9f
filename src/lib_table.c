/*
** lib_table.c: the table library (reference manual 6.6), on the public API.
** Every element access goes through lua_geti/lua_seti and every length
** through luaL_len, so __index, __newindex and __len are honoured.
*/
#include <limits.h>
#include <stdio.h>

#include "lua.h"
#include "lauxlib.h"
#include "lualib.h"
#include "moonlet.h"

/* What a function needs of its table argument. */
enum { TAB_R = 1, TAB_W = 2, TAB_L = 4, TAB_RW = TAB_R | TAB_W };

/* Does the table on the top have a (raw) field 'name'? */
static int has_field(lua_State *L, const char *name) {
  lua_pushstring(L, name);
  int found = lua_rawget(L, -2) != LUA_TNIL;
  lua_pop(L, 1);
  return found;
}

/*
** A table, or anything whose metatable provides every operation that 'need'
** asks for; otherwise the usual "table expected" error.
*/
static void check_table(lua_State *L, int arg, int need) {
  if (lua_type(L, arg) == LUA_TTABLE)
    return;
  if (lua_getmetatable(L, arg)) {
    int ok = (!(need & TAB_R) || has_field(L, "__index")) &&
             (!(need & TAB_W) || has_field(L, "__newindex")) &&
             (!(need & TAB_L) || has_field(L, "__len"));
    lua_pop(L, 1);
    if (ok)
      return;
  }
  luaL_checktype(L, arg, LUA_TTABLE);
}

static lua_Integer checked_len(lua_State *L, int arg, int need) {
  check_table(L, arg, need | TAB_L);
  return luaL_len(L, arg);
}

static int tab_insert(lua_State *L) {
  /* a __len of maxinteger wraps around, as in lua5.3 */
  lua_Integer end = (lua_Integer)((lua_Unsigned)checked_len(L, 1, TAB_RW) + 1u);
  lua_Integer pos;
  switch (lua_gettop(L)) {
  case 2:
    pos = end;
    break;
  case 3:
    pos = luaL_checkinteger(L, 2);
    luaL_argcheck(L, 1 <= pos && pos <= end, 2, "position out of bounds");
    for (lua_Integer i = end; i > pos; i--) {
      lua_geti(L, 1, i - 1);
      lua_seti(L, 1, i);
    }
    break;
  default:
    return luaL_error(L, "wrong number of arguments to 'insert'");
  }
  lua_seti(L, 1, pos);
  return 0;
}

static int tab_remove(lua_State *L) {
  lua_Integer size = checked_len(L, 1, TAB_RW);
  lua_Integer pos = luaL_optinteger(L, 2, size);
  if (pos != size) /* size + 1 wraps around, as in lua5.3 */
    luaL_argcheck(L, 1 <= pos && pos <= (lua_Integer)((lua_Unsigned)size + 1u),
                  1, "position out of bounds");
  lua_geti(L, 1, pos);
  for (; pos < size; pos++) {
    lua_geti(L, 1, pos + 1);
    lua_seti(L, 1, pos);
  }
  lua_pushnil(L);
  lua_seti(L, 1, pos);
  return 1;
}

/* Copies a[f..e] to dst[t..]; backwards when the ranges overlap forwards. */
static int tab_move(lua_State *L) {
  lua_Integer f = luaL_checkinteger(L, 2);
  lua_Integer e = luaL_checkinteger(L, 3);
  lua_Integer t = luaL_checkinteger(L, 4);
  int dst = !lua_isnoneornil(L, 5) ? 5 : 1;
  check_table(L, 1, TAB_R);
  check_table(L, dst, TAB_W);
  if (e >= f) {
    luaL_argcheck(L, f > 0 || e < LUA_MAXINTEGER + f, 3,
                  "too many elements to move");
    lua_Integer n = e - f + 1;
    luaL_argcheck(L, t <= LUA_MAXINTEGER - n + 1, 4, "destination wrap around");
    if (t > e || t <= f || (dst != 1 && !lua_compare(L, 1, dst, LUA_OPEQ))) {
      for (lua_Integer i = 0; i < n; i++) {
        lua_geti(L, 1, f + i);
        lua_seti(L, dst, t + i);
      }
    } else {
      for (lua_Integer i = n - 1; i >= 0; i--) {
        lua_geti(L, 1, f + i);
        lua_seti(L, dst, t + i);
      }
    }
  }
  lua_pushvalue(L, dst);
  return 1;
}

static void add_element(lua_State *L, luaL_Buffer *b, lua_Integer i) {
  lua_geti(L, 1, i);
  if (!lua_isstring(L, -1)) {
    char index[48];
    snprintf(index, sizeof index, LUA_INTEGER_FMT, (LUAI_UACINT)i);
    luaL_error(L, "invalid value (%s) at index %s in table for 'concat'",
               luaL_typename(L, -1), index);
  }
  luaL_addvalue(b);
}

static int tab_concat(lua_State *L) {
  lua_Integer last = checked_len(L, 1, TAB_R);
  size_t lsep;
  const char *sep = luaL_optlstring(L, 2, "", &lsep);
  lua_Integer i = luaL_optinteger(L, 3, 1);
  last = luaL_optinteger(L, 4, last);
  luaL_Buffer b;
  luaL_buffinit(L, &b);
  for (; i < last; i++) {
    add_element(L, &b, i);
    luaL_addlstring(&b, sep, lsep);
  }
  if (i == last)
    add_element(L, &b, i);
  luaL_pushresult(&b);
  return 1;
}

static int tab_pack(lua_State *L) {
  int n = lua_gettop(L);
  lua_createtable(L, n, 1);
  lua_insert(L, 1);
  for (int i = n; i >= 1; i--)
    lua_seti(L, 1, i);
  lua_pushinteger(L, n);
  lua_setfield(L, 1, "n");
  return 1;
}

static int tab_unpack(lua_State *L) {
  lua_Integer i = luaL_optinteger(L, 2, 1);
  lua_Integer e = luaL_opt(L, luaL_checkinteger, 3, luaL_len(L, 1));
  if (i > e)
    return 0;
  lua_Unsigned n = (lua_Unsigned)e - (lua_Unsigned)i;
  if (n >= (unsigned int)INT_MAX || !lua_checkstack(L, (int)(++n)))
    return luaL_error(L, "too many results to unpack");
  for (; i < e; i++)
    lua_geti(L, 1, i);
  lua_geti(L, 1, e);
  return (int)n;
}

/*
** Sorting: a quicksort on the table in place, median-of-three pivot,
** recursing into the smaller part so the C stack stays logarithmic.
** Index 2 holds the order function or nil.
*/

/* a[i] < a[j] for the values at stack indices i and j. */
static int sort_less(lua_State *L, int i, int j) {
  if (lua_isnil(L, 2))
    return lua_compare(L, i, j, LUA_OPLT);
  lua_pushvalue(L, 2);
  lua_pushvalue(L, i - 1);
  lua_pushvalue(L, j - 2);
  lua_call(L, 2, 1);
  int res = lua_toboolean(L, -1);
  lua_pop(L, 1);
  return res;
}

/* Pops two values: the top goes to t[i], the one below to t[j]. */
static void set_two(lua_State *L, lua_Integer i, lua_Integer j) {
  lua_seti(L, 1, i);
  lua_seti(L, 1, j);
}

/* Swaps t[i] and t[j] (i < j) when t[j] < t[i]; says whether it did. */
static int order_pair(lua_State *L, lua_Integer i, lua_Integer j) {
  lua_geti(L, 1, i);
  lua_geti(L, 1, j);
  if (sort_less(L, -1, -2)) {
    set_two(L, i, j);
    return 1;
  }
  lua_pop(L, 2);
  return 0;
}

static void sort_error(lua_State *L) {
  luaL_error(L, "invalid order function for sorting");
}

/*
** Partitions t[lo..up] around the pivot P, which sits at the top of the
** stack and in t[up - 1]; t[lo] <= P <= t[up] already hold. Returns P's
** final place. A scan that runs off its end means the order is inconsistent.
*/
static lua_Integer partition(lua_State *L, lua_Integer lo, lua_Integer up) {
  lua_Integer i = lo, j = up - 1;
  for (;;) {
    while (lua_geti(L, 1, ++i), sort_less(L, -1, -2)) {
      if (i == up - 1)
        sort_error(L);
      lua_pop(L, 1);
    }
    while (lua_geti(L, 1, --j), sort_less(L, -3, -1)) {
      if (j < i)
        sort_error(L);
      lua_pop(L, 1);
    }
    if (j < i) {
      lua_pop(L, 1);
      set_two(L, up - 1, i);
      return i;
    }
    set_two(L, i, j);
  }
}

static void sort_range(lua_State *L, lua_Integer lo, lua_Integer up) {
  while (lo < up) {
    order_pair(L, lo, up);
    if (up - lo == 1)
      return;
    lua_Integer p = lo + (up - lo) / 2;
    if (!order_pair(L, lo, p))
      order_pair(L, p, up);
    if (up - lo == 2)
      return;
    lua_geti(L, 1, p);
    lua_pushvalue(L, -1);
    lua_geti(L, 1, up - 1);
    set_two(L, p, up - 1);
    p = partition(L, lo, up);
    if (p - lo < up - p) {
      sort_range(L, lo, p - 1);
      lo = p + 1;
    } else {
      sort_range(L, p + 1, up);
      up = p - 1;
    }
  }
}

static int tab_sort(lua_State *L) {
  lua_Integer n = checked_len(L, 1, TAB_RW);
  if (n > 1) {
    luaL_argcheck(L, n < INT_MAX, 1, "array too big");
    if (!lua_isnoneornil(L, 2))
      luaL_checktype(L, 2, LUA_TFUNCTION);
    lua_settop(L, 2);
    luaL_checkstack(L, 8, "not enough stack to sort");
    sort_range(L, 1, n);
  }
  return 0;
}

/* The library is a ROM table (lib_rom.h). */
#include "rom_table.inc"

LUAMOD_API int luaopen_table(lua_State *L) {
  moonlet_pushrotable(L, &ml_rt_table);
  return 1;
}
