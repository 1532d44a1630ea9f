/*
** lib_math.c: the math library (reference manual 6.7), on the public API.
** Float functions go through l_mathop so the small configuration calls the
** float versions (sinf, ...); results that are whole stay integers when they fit.
*/
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "lua.h"
#include "lauxlib.h"
#include "lualib.h"
#include "moonlet.h"

#define PI ((lua_Number)3.141592653589793238462643383279502884)

/* Does the whole float f fit in a lua_Integer? (false for NaN and inf) */
static int fits_integer(lua_Number f) {
  return f >= (lua_Number)LUA_MININTEGER && f < -(lua_Number)LUA_MININTEGER;
}

/* Pushes the whole float f as an integer when it fits, else as a float. */
static void push_whole(lua_State *L, lua_Number f) {
  if (fits_integer(f))
    lua_pushinteger(L, (lua_Integer)f);
  else
    lua_pushnumber(L, f);
}

static int math_abs(lua_State *L) {
  if (lua_isinteger(L, 1)) {
    lua_Integer n = lua_tointeger(L, 1);
    if (n < 0)
      n = (lua_Integer)(0u - (lua_Unsigned)n);
    lua_pushinteger(L, n);
  } else {
    lua_pushnumber(L, l_mathop(fabs)(luaL_checknumber(L, 1)));
  }
  return 1;
}

static int math_floor(lua_State *L) {
  if (lua_isinteger(L, 1))
    lua_settop(L, 1);
  else
    push_whole(L, l_mathop(floor)(luaL_checknumber(L, 1)));
  return 1;
}

static int math_ceil(lua_State *L) {
  if (lua_isinteger(L, 1))
    lua_settop(L, 1);
  else
    push_whole(L, l_mathop(ceil)(luaL_checknumber(L, 1)));
  return 1;
}

/* Integer fmod truncates like C's %; -1 is special-cased against overflow. */
static int math_fmod(lua_State *L) {
  if (lua_isinteger(L, 1) && lua_isinteger(L, 2)) {
    lua_Integer a = lua_tointeger(L, 1), b = lua_tointeger(L, 2);
    if (b == 0)
      return luaL_argerror(L, 2, "zero");
    lua_pushinteger(L, b == -1 ? 0 : a % b);
  } else {
    lua_Number a = luaL_checknumber(L, 1), b = luaL_checknumber(L, 2);
    lua_pushnumber(L, l_mathop(fmod)(a, b));
  }
  return 1;
}

static int math_modf(lua_State *L) {
  if (lua_isinteger(L, 1)) {
    lua_settop(L, 1);
    lua_pushnumber(L, 0);
    return 2;
  }
  lua_Number n = luaL_checknumber(L, 1);
  lua_Number whole = n < 0 ? l_mathop(ceil)(n) : l_mathop(floor)(n);
  push_whole(L, whole);
  lua_pushnumber(L, n == whole ? (lua_Number)0 : n - whole);
  return 2;
}

static int math_sqrt(lua_State *L) {
  lua_pushnumber(L, l_mathop(sqrt)(luaL_checknumber(L, 1)));
  return 1;
}

static int math_exp(lua_State *L) {
  lua_pushnumber(L, l_mathop(exp)(luaL_checknumber(L, 1)));
  return 1;
}

static int math_log(lua_State *L) {
  lua_Number x = luaL_checknumber(L, 1);
  lua_Number r;
  if (lua_isnoneornil(L, 2)) {
    r = l_mathop(log)(x);
  } else {
    lua_Number base = luaL_checknumber(L, 2);
    if (base == 2)
      r = l_mathop(log2)(x);
    else if (base == 10)
      r = l_mathop(log10)(x);
    else
      r = l_mathop(log)(x) / l_mathop(log)(base);
  }
  lua_pushnumber(L, r);
  return 1;
}

static int math_sin(lua_State *L) {
  lua_pushnumber(L, l_mathop(sin)(luaL_checknumber(L, 1)));
  return 1;
}

static int math_cos(lua_State *L) {
  lua_pushnumber(L, l_mathop(cos)(luaL_checknumber(L, 1)));
  return 1;
}

static int math_tan(lua_State *L) {
  lua_pushnumber(L, l_mathop(tan)(luaL_checknumber(L, 1)));
  return 1;
}

static int math_asin(lua_State *L) {
  lua_pushnumber(L, l_mathop(asin)(luaL_checknumber(L, 1)));
  return 1;
}

static int math_acos(lua_State *L) {
  lua_pushnumber(L, l_mathop(acos)(luaL_checknumber(L, 1)));
  return 1;
}

static int math_atan(lua_State *L) {
  lua_Number y = luaL_checknumber(L, 1);
  lua_Number x = luaL_optnumber(L, 2, 1);
  lua_pushnumber(L, l_mathop(atan2)(y, x));
  return 1;
}

static int math_deg(lua_State *L) {
  lua_pushnumber(L, luaL_checknumber(L, 1) * ((lua_Number)180 / PI));
  return 1;
}

static int math_rad(lua_State *L) {
  lua_pushnumber(L, luaL_checknumber(L, 1) * (PI / (lua_Number)180));
  return 1;
}

static int math_tointeger(lua_State *L) {
  int ok;
  lua_Integer n = lua_tointegerx(L, 1, &ok);
  if (ok) {
    lua_pushinteger(L, n);
  } else {
    luaL_checkany(L, 1);
    lua_pushnil(L);
  }
  return 1;
}

static int math_type(lua_State *L) {
  if (lua_type(L, 1) == LUA_TNUMBER) {
    lua_pushstring(L, lua_isinteger(L, 1) ? "integer" : "float");
  } else {
    luaL_checkany(L, 1);
    lua_pushnil(L);
  }
  return 1;
}

static int math_ult(lua_State *L) {
  lua_Integer a = luaL_checkinteger(L, 1);
  lua_Integer b = luaL_checkinteger(L, 2);
  lua_pushboolean(L, (lua_Unsigned)a < (lua_Unsigned)b);
  return 1;
}

/* max and min compare with '<' (metamethods included), as 5.3 does. */
static int math_max(lua_State *L) {
  int n = lua_gettop(L), best = 1;
  luaL_argcheck(L, n >= 1, 1, "value expected");
  for (int i = 2; i <= n; i++)
    if (lua_compare(L, best, i, LUA_OPLT))
      best = i;
  lua_pushvalue(L, best);
  return 1;
}

static int math_min(lua_State *L) {
  int n = lua_gettop(L), best = 1;
  luaL_argcheck(L, n >= 1, 1, "value expected");
  for (int i = 2; i <= n; i++)
    if (lua_compare(L, i, best, LUA_OPLT))
      best = i;
  lua_pushvalue(L, best);
  return 1;
}

/*
** Pseudo-random numbers: xorshift128+, one generator per state, kept in a
** userdata in the registry and made on first use from a fixed seed, so a
** run is repeatable until the program calls randomseed.
*/
typedef struct Rng {
  uint64_t s[2];
} Rng;

static const char rng_key = 0;

static uint64_t splitmix64(uint64_t *x) {
  uint64_t z = (*x += 0x9E3779B97F4A7C15u);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
  return z ^ (z >> 31);
}

static void rng_seed(Rng *g, uint64_t seed) {
  g->s[0] = splitmix64(&seed);
  g->s[1] = splitmix64(&seed);
}

static uint64_t rng_next(Rng *g) {
  uint64_t a = g->s[0];
  const uint64_t b = g->s[1];
  g->s[0] = b;
  a ^= a << 23;
  g->s[1] = a ^ b ^ (a >> 17) ^ (b >> 26);
  return g->s[1] + b;
}

static Rng *get_rng(lua_State *L) {
  Rng *g;
  if (lua_rawgetp(L, LUA_REGISTRYINDEX, &rng_key) == LUA_TUSERDATA) {
    g = (Rng *)lua_touserdata(L, -1);
  } else {
    lua_pop(L, 1);
    g = (Rng *)lua_newuserdata(L, sizeof(Rng));
    rng_seed(g, 0);
    lua_pushvalue(L, -1);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &rng_key);
  }
  lua_pop(L, 1);
  return g;
}

/* A float in [0, 1) from the top bits, as many as lua_Number holds exactly. */
static lua_Number to_unit_float(uint64_t r) {
  const int bits = sizeof(lua_Number) == sizeof(float) ? FLT_MANT_DIG : DBL_MANT_DIG;
  return (lua_Number)ldexp((double)(r >> (64 - bits)), -bits);
}

/* A uniform integer in [0, n]: masked top bits, rejecting those above n. */
static lua_Unsigned project(Rng *g, lua_Unsigned n) {
  int bits = 0;
  for (uint64_t m = n; m != 0; m >>= 1)
    bits++;
  if (bits == 0)
    return 0;
  for (;;) {
    uint64_t r = rng_next(g) >> (64 - bits);
    if (r <= (uint64_t)n)
      return (lua_Unsigned)r;
  }
}

static int math_random(lua_State *L) {
  Rng *g = get_rng(L);
  lua_Integer low, up;
  switch (lua_gettop(L)) {
  case 0:
    lua_pushnumber(L, to_unit_float(rng_next(g)));
    return 1;
  case 1:
    low = 1;
    up = luaL_checkinteger(L, 1);
    break;
  case 2:
    low = luaL_checkinteger(L, 1);
    up = luaL_checkinteger(L, 2);
    break;
  default:
    return luaL_error(L, "wrong number of arguments");
  }
  luaL_argcheck(L, low <= up, 1, "interval is empty");
  luaL_argcheck(L, low >= 0 || up <= LUA_MAXINTEGER + low, 1,
                "interval too large");
  lua_Unsigned r = project(g, (lua_Unsigned)up - (lua_Unsigned)low);
  lua_pushinteger(L, (lua_Integer)(r + (lua_Unsigned)low));
  return 1;
}

/* The seed is the number's integer value, or its bits when not whole. */
static uint64_t seed_of(lua_State *L, int arg) {
  if (lua_isinteger(L, arg))
    return (uint64_t)(lua_Unsigned)lua_tointeger(L, arg);
  lua_Number n = luaL_checknumber(L, arg);
  if (l_mathop(floor)(n) == n && fits_integer(n))
    return (uint64_t)(lua_Unsigned)(lua_Integer)n;
  uint64_t bits = 0;
  memcpy(&bits, &n, sizeof n);
  return bits;
}

static int math_randomseed(lua_State *L) {
  uint64_t seed = seed_of(L, 1);
  rng_seed(get_rng(L), seed);
  return 0;
}

/* The library, constants included, is a ROM table (lib_rom.h). */
#include "rom_math.inc"

LUAMOD_API int luaopen_math(lua_State *L) {
  moonlet_pushrotable(L, &ml_rt_math);
  return 1;
}
