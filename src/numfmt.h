/*
** numfmt.h: a lua_Number as decimal text, for printf's conversions e, f and
** g (and E, F, G) with their flags, width and precision. Exact and
** correctly rounded (ties to even on the binary value, as glibc prints);
** no allocation, no floating-point arithmetic, a small bounded stack.
*/
#ifndef numfmt_h
#define numfmt_h

#include "lua.h"

/* The flags, as printf's '-', '+', ' ', '#' and '0'. */
#define NUMFMT_LEFT 1
#define NUMFMT_PLUS 2
#define NUMFMT_SPACE 4
#define NUMFMT_ALT 8
#define NUMFMT_ZERO 16

#define NUMFMT_MAXPREC 99 /* the largest precision, and the largest width */

/* Digits of the integer part of the largest finite number (309 or 39). */
#if ML_SMALL
#define NUMFMT_INTDIGITS 39
#else
#define NUMFMT_INTDIGITS 309
#endif

/* Room for any result (%99.99f of the largest number) and its '\0'. */
#define NUMFMT_BUFSZ (NUMFMT_INTDIGITS + NUMFMT_MAXPREC + 12)

/* Room for "%.<p>g" without width: sign, "0.000", p digits, "e-308", '\0'. */
#define NUMFMT_GSIZE(p) ((p) + 9)

/* Room for numfmt_number's result. */
#define NUMFMT_NUMSZ NUMFMT_GSIZE(ML_NUMBER_DIGITS)

typedef struct NumFmt {
  int flags; /* NUMFMT_LEFT ... NUMFMT_ZERO */
  int width; /* 0 .. NUMFMT_MAXPREC */
  int prec;  /* -1 (none: 6) or 0 .. NUMFMT_MAXPREC */
  char conv; /* 'e', 'E', 'f', 'F', 'g' or 'G' */
} NumFmt;

/*
** Writes x as printf writes it with the conversion f, '\0'-terminated, in
** buf (NUMFMT_BUFSZ bytes always suffice); returns the length.
*/
int numfmt_format(char *buf, lua_Number x, const NumFmt *f);

/* x as LUA_NUMBER_FMT ("%.14g", or "%.7g" in the small build) writes it. */
int numfmt_number(char *buf, lua_Number x);

#endif
