/*
** test_numfmt.c: Moonlet's float formatter (src/numfmt.c) against the host
** printf (glibc: exact, ties to even), for lua_Number (double, or float in
** the small build) and for floats widened to double: random bit patterns,
** powers of two and ten and their neighbours, ties, subnormals, extremes,
** every precision 0..20 and some up to 99, every flag and widths.
*/
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "numfmt.h"

static long passed, failed;
static const char convs[] = "eEfFgG";

static uint64_t rng = 0x9e3779b97f4a7c15u;
static uint64_t rnd(void) { /* xorshift64 */
  rng ^= rng << 13;
  rng ^= rng >> 7;
  rng ^= rng << 17;
  return rng;
}

static lua_Number from_bits(uint64_t b) {
  lua_Number x;
  if (sizeof x == 4) {
    uint32_t u = (uint32_t)b;
    memcpy(&x, &u, sizeof x);
  } else {
    memcpy(&x, &b, sizeof x);
  }
  return x;
}

static void make_fmt(char *fmt, int flags, int width, int prec, char conv) {
  static const char fc[] = "-+ #0";
  int i;
  *fmt++ = '%';
  for (i = 0; i < 5; i++)
    if (flags & (1 << i)) *fmt++ = fc[i];
  if (width > 0) fmt += sprintf(fmt, "%d", width);
  if (prec >= 0) fmt += sprintf(fmt, ".%d", prec);
  *fmt++ = conv;
  *fmt = '\0';
}

static void check(lua_Number x, int flags, int width, int prec, char conv) {
  char fmt[32], want[NUMFMT_BUFSZ + 16], got[NUMFMT_BUFSZ];
  NumFmt f;
  int n;
  f.flags = flags;
  f.width = width;
  f.prec = prec;
  f.conv = conv;
  make_fmt(fmt, flags, width, prec, conv);
  snprintf(want, sizeof want, fmt, (double)x);
  n = numfmt_format(got, x, &f);
  if (strcmp(want, got) == 0 && n == (int)strlen(want)) {
    passed++;
  } else if (failed++ < 20) {
    printf("FAIL %s of %a: want \"%s\", got \"%s\" (%d)\n", fmt, (double)x,
           want, got, n);
  }
}

/* Every conversion at no precision and at every precision 0..20. */
static void check_precisions(lua_Number x) {
  int c, p;
  for (c = 0; convs[c]; c++)
    for (p = -1; p <= 20; p++) check(x, 0, 0, p, convs[c]);
}

/* The long precisions, up to 99. */
static void check_long(lua_Number x) {
  static const int precs[] = {25, 30, 40, 50, 60, 70, 80, 90, 99};
  size_t i;
  int c;
  for (c = 0; convs[c]; c++)
    for (i = 0; i < sizeof precs / sizeof precs[0]; i++)
      check(x, 0, 0, precs[i], convs[c]);
}

/* Every flag combination with some widths. */
static void check_flags(lua_Number x) {
  static const int widths[] = {0, 1, 8, 15, 30, 99};
  size_t w;
  int fl, c;
  for (fl = 0; fl < 32; fl++)
    for (w = 0; w < sizeof widths / sizeof widths[0]; w++)
      for (c = 0; convs[c]; c++) {
        check(x, fl, widths[w], -1, convs[c]);
        check(x, fl, widths[w], 0, convs[c]);
        check(x, fl, widths[w], 3, convs[c]);
      }
}

/* One random conversion. */
static void check_random_spec(lua_Number x) {
  int prec = (int)(rnd() % 3 == 0 ? rnd() % 100 : rnd() % 22) - 1;
  int width = (int)(rnd() % 4 == 0 ? rnd() % 100 : rnd() % 25);
  check(x, (int)(rnd() % 32), width, prec, convs[rnd() % 6]);
}

/* numfmt_number is LUA_NUMBER_FMT, in a buffer of just NUMFMT_NUMSZ. */
static void check_number(lua_Number x) {
  char want[64], got[NUMFMT_NUMSZ];
  int n;
  snprintf(want, sizeof want, LUA_NUMBER_FMT, (double)x);
  n = numfmt_number(got, x);
  if (strcmp(want, got) == 0 && n == (int)strlen(want)) {
    passed++;
  } else if (failed++ < 20) {
    printf("FAIL %s of %a: want \"%s\", got \"%s\"\n", LUA_NUMBER_FMT,
           (double)x, want, got);
  }
}

static void check_value(lua_Number x) {
  check_precisions(x);
  check_precisions(-x);
  check_number(x);
  check_random_spec(x);
}

static lua_Number max_number(void) { return sizeof(lua_Number) == 4 ? FLT_MAX : DBL_MAX; }
static int mant_bits(void) { return sizeof(lua_Number) == 4 ? 23 : 52; }
static int exp_bits(void) { return sizeof(lua_Number) == 4 ? 8 : 11; }

static void specials(void) {
  lua_Number z = 0, one = 1;
  lua_Number vals[12];
  size_t i;
  vals[0] = z;
  vals[1] = -z;
  vals[2] = one / z;
  vals[3] = -one / z;
  vals[4] = from_bits(((uint64_t)1 << (mant_bits() + exp_bits())) - 1); /* nan */
  vals[5] = -vals[4];
  vals[6] = max_number();
  vals[7] = from_bits((uint64_t)1 << mant_bits());  /* smallest normal */
  vals[8] = from_bits(1);                           /* smallest subnormal */
  vals[9] = from_bits(((uint64_t)1 << mant_bits()) - 1); /* largest subnormal */
  vals[10] = (lua_Number)1.5;
  vals[11] = (lua_Number)-123.456;
  for (i = 0; i < sizeof vals / sizeof vals[0]; i++) {
    check_value(vals[i]);
    check_long(vals[i]);
    check_flags(vals[i]);
  }
}

/* 2^k and its neighbours, for every exponent. */
static void powers_of_two(void) {
  int k, kmin = sizeof(lua_Number) == 4 ? -149 : -1074;
  int kmax = sizeof(lua_Number) == 4 ? 127 : 1023;
  for (k = kmin; k <= kmax; k++) {
    lua_Number x = (lua_Number)ldexp(1.0, k);
    check_value(x);
    check_number(nextafter(x, 0));
    check_number(nextafter(x, 2 * (double)x));
    if (k % 16 == 0) check_long(x);
  }
}

/* 10^k (as the C library reads "1ek") and its neighbours. */
static void powers_of_ten(void) {
  int k, kmin = sizeof(lua_Number) == 4 ? -46 : -325;
  int kmax = sizeof(lua_Number) == 4 ? 39 : 309;
  char s[16];
  for (k = kmin; k <= kmax; k++) {
    lua_Number x, lo, hi;
    sprintf(s, "1e%d", k);
    x = sizeof(lua_Number) == 4 ? (lua_Number)strtof(s, NULL) : (lua_Number)strtod(s, NULL);
    lo = sizeof(lua_Number) == 4 ? (lua_Number)nextafterf((float)x, 0) : (lua_Number)nextafter(x, 0);
    hi = sizeof(lua_Number) == 4 ? (lua_Number)nextafterf((float)x, FLT_MAX) : (lua_Number)nextafter(x, DBL_MAX);
    check_value(x);
    check_precisions(lo);
    check_precisions(hi);
    if (k % 10 == 0) check_long(x);
  }
}

/* i / 2^s: expansions that end in 5, so that some precision is a tie. */
static void ties(void) {
  int i;
  for (i = 0; i < 1500; i++) {
    int s = 1 + (int)(rnd() % 24);
    double v = ldexp((double)(rnd() % 2000000), -s);
    check_value((lua_Number)v);
  }
  for (i = 0; i < 300; i++) { /* integers ending in 5 */
    double v = (double)((rnd() % 100000000) * 10 + 5);
    check_value((lua_Number)v);
  }
}

static void random_bits(int count) {
  int i;
  for (i = 0; i < count; i++) {
    lua_Number x = from_bits(rnd());
    check_value(x);
    check_random_spec(x);
    check_random_spec(x);
    if (i % 64 == 0) check_long(x);
  }
}

static void subnormals(int count) {
  int i;
  for (i = 0; i < count; i++) {
    lua_Number x = from_bits(rnd() & (((uint64_t)1 << mant_bits()) - 1));
    check_value(x);
    if (i % 16 == 0) check_long(x);
  }
}

/* Floats widened to double (the default build formats those too). */
static void widened_floats(int count) {
  int i;
  for (i = 0; i < count; i++) {
    uint32_t u = (uint32_t)rnd();
    float f;
    memcpy(&f, &u, sizeof f);
    check_value((lua_Number)f);
  }
}

int main(void) {
  specials();
  powers_of_two();
  powers_of_ten();
  ties();
  random_bits(3000);
  subnormals(400);
  widened_floats(sizeof(lua_Number) == 4 ? 0 : 1000);
  printf("%ld passed, %ld failed\n", passed, failed);
  return failed != 0;
}
