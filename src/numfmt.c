/*
** numfmt.c: a lua_Number as decimal text (conversions e, f, g). The number
** is m * 2^e; its exact decimal expansion is read digit by digit from a
** small bignum: the integer part in base-1e9 limbs, the fraction as a
** binary fraction that yields nine digits per multiplication by 1e9. Rounding
** looks at the next digit and at whether any later digit is not zero, so
** it is exact. The output is built in place in the caller's buffer.
*/
#include <stdint.h>
#include <string.h>

#include "numfmt.h"

/* The IEEE 754 binary32 or binary64 layout of lua_Number. */
#if ML_SMALL
typedef uint32_t Bits;
#define MANT_BITS 23
#define EXP_BITS 8
#else
typedef uint64_t Bits;
#define MANT_BITS 52
#define EXP_BITS 11
#endif
_Static_assert(sizeof(Bits) == sizeof(lua_Number), "lua_Number is IEEE 754");

#define EXP_MAX ((1 << EXP_BITS) - 1) /* biased exponent of inf and nan */
#define EXP_BIAS ((EXP_MAX >> 1) + MANT_BITS)
#define MIN_EXP2 (1 - EXP_BIAS) /* the smallest subnormal is 2^MIN_EXP2 */

#define BASE 1000000000u /* a limb holds nine decimal digits */
#define INT_LIMBS ((NUMFMT_INTDIGITS + 8) / 9)
#define FRAC_WORDS ((31 - MIN_EXP2) / 32) /* 2^MIN_EXP2 in 32-bit words */
#define FRAC_AT 2 /* first fraction word: after an integer part below 1e18 */
#define NWORDS (INT_LIMBS > FRAC_AT + FRAC_WORDS ? INT_LIMBS : FRAC_AT + FRAC_WORDS)

static const uint32_t tens[9] = {1, 10, 100, 1000, 10000, 100000,
                                  1000000, 10000000, 100000000};

/*
** The decimal digits of |x| not yet read: the current chunk, then the
** integer limbs w[0..nint) from the top, then the fraction F / 2^(32*fhi)
** held in w[flo..fhi) (its words below flo are zero).
*/
typedef struct Digits {
  uint32_t w[NWORDS];
  int nint, flo, fhi;
  uint32_t chunk; /* its 'left' digits not yet read */
  int left;
} Digits;

/* Integer limbs of v < 1e18. */
static void set_limbs(Digits *d, uint64_t v) {
  d->w[0] = (uint32_t)(v % BASE);
  d->w[1] = (uint32_t)(v / BASE);
  d->nint = d->w[1] != 0 ? 2 : d->w[0] != 0;
}

/* m * 2^e for e >= 0: doubles the limbs up to 29 times per pass. */
static void load_integer(Digits *d, Bits m, int e) {
  set_limbs(d, m);
  while (e > 0) {
    int sh = e < 29 ? e : 29, i;
    uint32_t carry = 0;
    for (i = 0; i < d->nint; i++) {
      uint64_t t = ((uint64_t)d->w[i] << sh) + carry;
      d->w[i] = (uint32_t)(t % BASE);
      carry = (uint32_t)(t / BASE);
    }
    if (carry != 0) d->w[d->nint++] = carry;
    e -= sh;
  }
}

/* m / 2^k for k >= 1: the integer part in limbs, the rest as F / 2^(32n). */
static void load_fraction(Digits *d, Bits m, int k) {
  int n = (k + 31) / 32, s = 32 * n - k, i;
  uint64_t frac = m, lo, hi;
  set_limbs(d, k < 64 ? (uint64_t)m >> k : 0);
  if (k < 64) frac &= (UINT64_C(1) << k) - 1;
  lo = frac << s;
  hi = s != 0 ? frac >> (64 - s) : 0;
  for (i = 0; i < n; i++)
    d->w[FRAC_AT + i] = i == 0 ? (uint32_t)lo : i == 1 ? (uint32_t)(lo >> 32)
                      : i == 2 ? (uint32_t)hi : 0;
  d->flo = FRAC_AT;
  d->fhi = FRAC_AT + n;
  while (d->flo < d->fhi && d->w[d->flo] == 0) d->flo++;
}

/* The next nine digits of the fraction: F * 1e9, whose carry is them. */
static uint32_t frac_chunk(Digits *d) {
  uint64_t carry = 0;
  int i;
  for (i = d->flo; i < d->fhi; i++) {
    uint64_t t = (uint64_t)d->w[i] * BASE + carry;
    d->w[i] = (uint32_t)t;
    carry = t >> 32;
  }
  while (d->flo < d->fhi && d->w[d->flo] == 0) d->flo++;
  return (uint32_t)carry;
}

static int next_digit(Digits *d) {
  uint32_t p, dig;
  if (d->left == 0) {
    d->left = 9;
    if (d->nint > 0) d->chunk = d->w[--d->nint];
    else d->chunk = d->flo < d->fhi ? frac_chunk(d) : 0;
  }
  p = tens[--d->left];
  dig = d->chunk / p;
  d->chunk -= dig * p;
  return (int)dig;
}

/* Whether a digit not yet read is not zero. */
static int rest_nonzero(const Digits *d) {
  int i;
  if (d->chunk != 0 || d->flo < d->fhi) return 1;
  for (i = 0; i < d->nint; i++)
    if (d->w[i] != 0) return 1;
  return 0;
}

/* Positions the reader on the first significant digit of a chunk != 0. */
static int skip_zeros(Digits *d) {
  int z = 0;
  d->left = 9;
  while (d->chunk < tens[d->left - 1]) {
    d->left--;
    z++;
  }
  return z;
}

/* Loads m * 2^e; returns the decimal exponent of its first digit (0 for 0). */
static int load(Digits *d, Bits m, int e) {
  int x = -1;
  d->nint = d->flo = d->fhi = d->left = 0;
  d->chunk = 0;
  if (m == 0) return 0;
  for (; (m & 1) == 0; m >>= 1) e++;
  if (e >= 0) load_integer(d, m, e);
  else load_fraction(d, m, -e);
  if (d->nint > 0) {
    d->chunk = d->w[--d->nint];
    return 9 * d->nint + 8 - skip_zeros(d);
  }
  while ((d->chunk = frac_chunk(d)) == 0) x -= 9;
  return x - skip_zeros(d);
}

/*
** Writes the next n >= 0 digits, rounded to nearest with ties to even.
** Returns 1 when rounding carried out of them all (they are then zeros).
*/
static int take_digits(Digits *d, char *out, int n) {
  int i, r;
  for (i = 0; i < n; i++) out[i] = (char)('0' + next_digit(d));
  r = next_digit(d);
  if (r < 5) return 0;
  if (r == 5 && !rest_nonzero(d) && (n == 0 || (out[n - 1] & 1) == 0))
    return 0;
  for (i = n - 1; i >= 0 && out[i] == '9'; i--) out[i] = '0';
  if (i < 0) return 1;
  out[i]++;
  return 0;
}

/*
** Lays out in p the digits s[0..cnt) (s is p or p + 1), the first of
** exponent x and the last of exponent -prec, as fixed point.
*/
static char *lay_fixed(char *p, const char *s, int cnt, int x, int prec,
                       int alt) {
  char *q;
  if (x >= 0) {
    memmove(p + x + 2, s + x + 1, (size_t)(cnt - x - 1));
    memmove(p, s, (size_t)x + 1);
    q = p + x + 1;
  } else { /* "0.", zeros, the digits */
    memmove(p + 1 - x, s, (size_t)cnt);
    p[0] = '0';
    memset(p + 2, '0', (size_t)(-x - 1));
    q = p + 1;
  }
  if (prec == 0 && !alt) return q;
  *q = '.';
  return q + 1 + prec;
}

/* "d.ddd" from the prec + 1 digits at p + 1. */
static char *lay_sci(char *p, int prec, int alt) {
  p[0] = p[1];
  if (prec == 0 && !alt) return p + 1;
  p[1] = '.';
  return p + 2 + prec;
}

static char *put_exponent(char *q, int x, int upper) {
  *q++ = upper ? 'E' : 'e';
  *q++ = x < 0 ? '-' : '+';
  if (x < 0) x = -x;
  if (x >= 100) {
    *q++ = (char)('0' + x / 100);
    x %= 100;
  }
  *q++ = (char)('0' + x / 10);
  *q++ = (char)('0' + x % 10);
  return q;
}

/* %g without '#': no trailing zeros after a point, nor a bare point. */
static char *strip_zeros(char *p, char *q) {
  if (memchr(p, '.', (size_t)(q - p)) == NULL) return q;
  while (q[-1] == '0') q--;
  if (q[-1] == '.') q--;
  return q;
}

static char *format_e(char *p, Digits *d, int x, int prec, int alt, int up) {
  if (take_digits(d, p + 1, prec + 1)) {
    p[1] = '1';
    x++;
  }
  return put_exponent(lay_sci(p, prec, alt), x, up);
}

static char *format_f(char *p, Digits *d, int x, int prec, int alt) {
  int n = x + 1 + prec;
  if (n < 0) return lay_fixed(p, p, 0, -prec - 1, prec, alt);
  if (take_digits(d, p + 1, n)) {
    p[0] = '1';
    return lay_fixed(p, p, n + 1, x + 1, prec, alt);
  }
  return lay_fixed(p, p + 1, n, x, prec, alt);
}

static char *format_g(char *p, Digits *d, int x, int prec, int alt, int up) {
  char *q;
  if (prec < 0) prec = 6;
  if (prec == 0) prec = 1;
  if (take_digits(d, p + 1, prec)) {
    p[1] = '1';
    x++;
  }
  if (x >= -4 && x < prec) {
    q = lay_fixed(p, p + 1, prec, x, prec - 1 - x, alt);
    return alt ? q : strip_zeros(p, q);
  }
  q = lay_sci(p, prec - 1, alt);
  return put_exponent(alt ? q : strip_zeros(p, q), x, up);
}

/* The body for |x| = m * 2^e: digits, point and exponent. */
static char *format_finite(char *p, Bits m, int e, const NumFmt *f) {
  Digits d;
  int x = load(&d, m, e);
  int alt = (f->flags & NUMFMT_ALT) != 0;
  int prec = f->prec;
  switch (f->conv) {
    case 'e': case 'E':
      return format_e(p, &d, x, prec < 0 ? 6 : prec, alt, f->conv == 'E');
    case 'f': case 'F':
      return format_f(p, &d, x, prec < 0 ? 6 : prec, alt);
    default:
      return format_g(p, &d, x, prec, alt, f->conv == 'G');
  }
}

/* Pads buf[0..q) to the width; p is where the body starts (after a sign). */
static int pad(char *buf, char *p, char *q, const NumFmt *f, int finite) {
  int len = (int)(q - buf), n = f->width - len;
  if (n > 0) {
    if (f->flags & NUMFMT_LEFT) {
      memset(q, ' ', (size_t)n);
    } else if ((f->flags & NUMFMT_ZERO) && finite) {
      memmove(p + n, p, (size_t)(q - p));
      memset(p, '0', (size_t)n);
    } else {
      memmove(buf + n, buf, (size_t)len);
      memset(buf, ' ', (size_t)n);
    }
    len = f->width;
  }
  buf[len] = '\0';
  return len;
}

int numfmt_format(char *buf, lua_Number x, const NumFmt *f) {
  Bits b, m;
  int bexp, upper = f->conv == 'E' || f->conv == 'F' || f->conv == 'G';
  char *p = buf, *q;
  memcpy(&b, &x, sizeof b);
  m = b & (((Bits)1 << MANT_BITS) - 1);
  bexp = (int)(b >> MANT_BITS) & EXP_MAX;
  if (b >> (MANT_BITS + EXP_BITS)) *p++ = '-';
  else if (f->flags & NUMFMT_PLUS) *p++ = '+';
  else if (f->flags & NUMFMT_SPACE) *p++ = ' ';
  if (bexp == EXP_MAX) { /* inf or nan */
    const char *s = m != 0 ? (upper ? "NAN" : "nan") : (upper ? "INF" : "inf");
    memcpy(p, s, 3);
    return pad(buf, p, p + 3, f, 0);
  }
  if (bexp != 0) m |= (Bits)1 << MANT_BITS;
  q = format_finite(p, m, bexp != 0 ? bexp - EXP_BIAS : MIN_EXP2, f);
  return pad(buf, p, q, f, 1);
}

int numfmt_number(char *buf, lua_Number x) {
  static const NumFmt g = {0, 0, ML_NUMBER_DIGITS, 'g'};
  return numfmt_format(buf, x, &g);
}
