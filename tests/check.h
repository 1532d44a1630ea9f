/*
** tests/check.h: the checks of the C unit tests (tests/<part>/test_*.c).
** CHECK(c) counts c as passed or failed, printing the line and the text of
** a failure; check_report() prints "N passed, N failed" for tests/run.sh
** and gives main's exit status.
*/
#ifndef check_h
#define check_h

#include <stdio.h>

static int passed, failed;

static void check(int ok, const char *what, int line) {
  if (ok) {
    passed++;
  } else {
    failed++;
    printf("FAIL line %d: %s\n", line, what);
  }
}
#define CHECK(c) check((c) != 0, #c, __LINE__)

static int check_report(void) {
  printf("%d passed, %d failed\n", passed, failed);
  return failed != 0;
}

#endif
