/*
** board.h: what the firmware knows of the board (QEMU netduinoplus2,
** STM32F405, Cortex-M4) and of its host: flash addresses of the boot
** record and the flash-store slot, semihosting, the arena, exit.
** Must agree with netduinoplus2.ld and with mkboot.c.
*/
#ifndef board_h
#define board_h

#include <stddef.h>
#include <stdint.h>

#define BOARD_NAME "netduinoplus2 (STM32F405, Cortex-M4)"

#define FLASH_BASE 0x08000000u
#define FLASH_SIZE (1024u * 1024u)

/* Sector 8: the boot record (what to run, and how), written by mkboot. */
#define BOOT_ADDR 0x08080000u
#define BOOT_SIZE (128u * 1024u)

/* Sectors 9-11: a flash-store slot mounted in place (moonletc's native
** slot built for this address), when one is there. */
#define SLOT_ADDR 0x080A0000u
#define SLOT_SIZE (384u * 1024u)

#define DEFAULT_HEAP (40u * 1024u)

/* Exit statuses besides the script's own 0 and 1. */
#define EXIT_BOOT 2  /* no boot record, or a bad one */
#define EXIT_FAULT 3 /* a processor fault */

/* --- semihost.c: ARM semihosting, the host's console and exit ---------- */

/* Ends QEMU with this status (SYS_EXIT_EXTENDED); stdout flushed first
** unless 'raw' (from a fault handler, where stdio can not be trusted). */
_Noreturn void board_exit(int status, int raw);
/* Writes a NUL-terminated string to the host's console, no stdio. */
void semihost_write0(const char *s);

/* --- arena.c: the Lua arena and newlib's own pool ---------------------- */

/* The Lua arena (the rest of RAM, placed by the linker): its start and
** bytes, for moonlet_newstatearena. */
void *arena_base(void);
size_t arena_capacity(void);
/* Highest use of newlib's pool (stdio, dtoa), in bytes. */
size_t arena_libcpeak(void);

/* --- startup.c --------------------------------------------------------- */

/* Bytes of the C stack touched so far (from its fill pattern). */
size_t board_stackpeak(void);
size_t board_stacksize(void);

#endif
