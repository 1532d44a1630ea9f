/*
** semihost.c: ARM semihosting calls the firmware makes itself (newlib's
** librdimon makes the others: files, stdin, stdout). The exit status
** reaches QEMU through SYS_EXIT_EXTENDED, which 32-bit ARM needs to
** carry a status at all (plain SYS_EXIT only says "stopped").
*/
#include <stdio.h>

#include "board.h"

#define SYS_WRITE0 0x04
#define SYS_EXIT_EXTENDED 0x20
#define ADP_STOPPED_APPLICATIONEXIT 0x20026

/* One semihosting call: the operation in r0, its argument in r1. */
static uintptr_t semihost_call(uintptr_t op, const void *arg) {
  register uintptr_t r0 __asm__("r0") = op;
  register const void *r1 __asm__("r1") = arg;
  __asm__ volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory");
  return r0;
}

void semihost_write0(const char *s) {
  semihost_call(SYS_WRITE0, s);
}

_Noreturn void board_exit(int status, int raw) {
  uint32_t block[2] = {ADP_STOPPED_APPLICATIONEXIT, (uint32_t)status};
  if (!raw) {
    fflush(stdout);
    fflush(stderr);
  }
  for (;;) semihost_call(SYS_EXIT_EXTENDED, block);
}

/* newlib's exit() ends here, after atexit handlers and stdio flushing. */
void _exit(int status) {
  board_exit(status, 1);
}
