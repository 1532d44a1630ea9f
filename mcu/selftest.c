/*
** selftest.c: provokes, on purpose, each fault the board must catch, so
** that tests/mcu/run.sh can see the guards work: a write to flash, a NULL
** access, a C stack overflow, code run from RAM, an integer division by
** zero. Each must end in the fault handler; returning is a failure.
*/
#include <stdio.h>
#include <string.h>

#include "board.h"
#include "selftest.h"

static const unsigned flash_word = 0x12345678u; /* .rodata: in flash */

/* volatile: the compiler must not see through the tricks below */
static volatile unsigned sink;
static volatile int zero;

static void flash_write(void) {
  *(volatile unsigned *)(uintptr_t)&flash_word = 0;
  sink = flash_word; /* QEMU would ignore the write: the MPU must not */
}

static void null_read(void) {
  sink = *(volatile unsigned *)(uintptr_t)zero;
}

static void null_write(void) {
  *(volatile unsigned *)(uintptr_t)zero = 1;
}

/* Recursion with a frame the compiler can not drop, as deep as the
** stack lets it ('zero' is always 0, which the compiler can not know). */
static unsigned recurse(unsigned n) {
  volatile char frame[64];
  frame[n % sizeof frame] = (char)n;
  if (zero != 0) return n;
  return recurse(n + 1) + frame[(n + 1) % sizeof frame];
}

static void stack_overflow(void) {
  sink = recurse(0);
}

static void exec_ram(void) {
  static uint16_t code[2] = {0x4770, 0x4770}; /* bx lr */
  void (*f)(void) = (void (*)(void))((uintptr_t)code | 1u);
  f();
}

static void div_zero(void) {
  sink = 7u / (unsigned)zero;
}

static const struct {
  const char *name;
  void (*provoke)(void);
} tests[] = {
    {"flash-write", flash_write},       {"null-read", null_read},
    {"null-write", null_write},         {"stack-overflow", stack_overflow},
    {"exec-ram", exec_ram},             {"div-zero", div_zero},
};

int selftest_run(const char *name) {
  size_t i;
  for (i = 0; i < sizeof tests / sizeof tests[0]; i++) {
    if (strcmp(tests[i].name, name) == 0) {
      tests[i].provoke();
      fprintf(stderr, "mcu: selftest %s: no fault\n", name);
      return 1;
    }
  }
  fprintf(stderr, "mcu: no selftest named '%s'\n", name);
  return EXIT_BOOT;
}
