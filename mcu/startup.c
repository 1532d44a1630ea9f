/*
** startup.c: reset, vector table, MPU and fault handlers of the firmware.
** Before main: .data copied, .bss zeroed, the stack filled with a pattern
** (for its high-water mark), and the MPU on: flash read-only, the flash
** alias at 0 (NULL) and the stack guard no-access, RAM not executable.
** Any fault is reported through semihosting and ends QEMU with EXIT_FAULT.
*/
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "board.h"

int main(void);
void Reset_Handler(void);
void initialise_monitor_handles(void); /* librdimon: stdin/out/err */
void __libc_init_array(void);

extern char __stack_guard[], __stack_bottom[], __stack_top[];
extern char __data_start[], __data_end[], __data_load[];
extern char __bss_start[], __bss_end[];

#define REG(addr) (*(volatile uint32_t *)(addr))

/* System control block */
#define SCB_VTOR REG(0xE000ED08u)
#define SCB_CCR REG(0xE000ED14u)
#define SCB_SHCSR REG(0xE000ED24u)
#define SCB_CFSR REG(0xE000ED28u)
#define SCB_HFSR REG(0xE000ED2Cu)
#define SCB_MMFAR REG(0xE000ED34u)
#define SCB_BFAR REG(0xE000ED38u)
#define CCR_DIV_0_TRP (1u << 4)
#define SHCSR_FAULTS ((1u << 16) | (1u << 17) | (1u << 18)) /* Mem, Bus, Usage */
#define CFSR_MMARVALID (1u << 7)
#define CFSR_BFARVALID (1u << 15)

/* PMSAv7 MPU */
#define MPU_TYPE REG(0xE000ED90u)
#define MPU_CTRL REG(0xE000ED94u)
#define MPU_RNR REG(0xE000ED98u)
#define MPU_RBAR REG(0xE000ED9Cu)
#define MPU_RASR REG(0xE000EDA0u)
#define MPU_ENABLE 1u
#define MPU_PRIVDEFENA 4u /* the default map where no region matches */
#define RASR_XN (1u << 28)
#define RASR_NOACCESS (0u << 24)
#define RASR_FULL (3u << 24)
#define RASR_RO (6u << 24)
#define RASR_NORMAL_WT (1u << 17) /* TEX 0, C 1, B 0: normal memory */
#define RASR_NORMAL_WBWA ((1u << 19) | (1u << 17) | (1u << 16))

#define STACK_FILL 0xA5A5A5A5u

/* --- the stack ------------------------------------------------------- */

size_t board_stacksize(void) {
  return (size_t)(__stack_top - __stack_bottom);
}

size_t board_stackpeak(void) {
  const uint32_t *p = (const uint32_t *)(void *)__stack_bottom;
  while ((const char *)p < __stack_top && *p == STACK_FILL) p++;
  return (size_t)(__stack_top - (const char *)p);
}

/* Fills the stack below the caller's frame; inlined: no frame of its own. */
static inline __attribute__((always_inline)) void fill_stack(void) {
  uint32_t *p = (uint32_t *)(void *)__stack_bottom;
  uint32_t *sp;
  __asm__ volatile("mov %0, sp" : "=r"(sp));
  while (p < sp - 16) *p++ = STACK_FILL;
}

/* --- MPU --------------------------------------------------------------- */

/* log2(size) - 1, as RASR's SIZE field wants; size a power of two >= 32 */
static uint32_t rasr_size(uint32_t size) {
  uint32_t n = 0;
  while ((1u << (n + 1)) < size) n++;
  return n << 1;
}

static void mpu_region(uint32_t n, uint32_t base, uint32_t size, uint32_t attr) {
  MPU_RNR = n;
  MPU_RBAR = base;
  MPU_RASR = attr | rasr_size(size) | 1u;
}

/* Higher region numbers win where regions overlap. */
static void mpu_init(void) {
  if (((MPU_TYPE >> 8) & 0xFFu) < 4) return; /* no MPU: nothing to guard */
  mpu_region(0, 0x00000000u, FLASH_SIZE, RASR_NOACCESS | RASR_XN);
  mpu_region(1, FLASH_BASE, FLASH_SIZE, RASR_RO | RASR_NORMAL_WT);
  mpu_region(2, 0x20000000u, 256u * 1024u,
             RASR_FULL | RASR_XN | RASR_NORMAL_WBWA);
  mpu_region(3, (uint32_t)(uintptr_t)__stack_guard,
             (uint32_t)(__stack_bottom - __stack_guard), RASR_NOACCESS | RASR_XN);
  MPU_CTRL = MPU_ENABLE | MPU_PRIVDEFENA;
  __asm__ volatile("dsb\n\tisb" ::: "memory");
}

/* --- reset ------------------------------------------------------------- */

/* __libc_init_array and __libc_fini_array call these (crti.o has them in a
** hosted link; -nostartfiles leaves them out): nothing to do here. */
void _init(void) {}
void _fini(void) {}

void Reset_Handler(void) {
  char *s, *d;
  fill_stack();
  for (s = __data_load, d = __data_start; d < __data_end;) *d++ = *s++;
  for (d = __bss_start; d < __bss_end;) *d++ = 0;
  SCB_VTOR = FLASH_BASE;
  SCB_SHCSR |= SHCSR_FAULTS;
  SCB_CCR |= CCR_DIV_0_TRP;
  mpu_init();
  initialise_monitor_handles();
  __libc_init_array();
  exit(main());
}

/* --- faults -------------------------------------------------------------- */

/* The handlers run on a stack of their own: the fault may be an overflow. */
static uint32_t fault_stack[256] __attribute__((aligned(8)));
uint32_t *const fault_stack_top = fault_stack + 256;

static void put(const char *s) {
  semihost_write0(s);
}

static void puthex(const char *name, uint32_t v) {
  char buf[20], *p = buf;
  int i;
  while (*name) *p++ = *name++;
  *p++ = '=';
  for (i = 28; i >= 0; i -= 4) *p++ = "0123456789abcdef"[(v >> i) & 15u];
  *p++ = ' ';
  *p = '\0';
  put(buf);
}

static const char *fault_cause(uint32_t cfsr, uint32_t mmfar) {
  uintptr_t guard = (uintptr_t)__stack_guard;
  if ((cfsr & CFSR_MMARVALID) && mmfar >= guard && mmfar < (uintptr_t)__stack_bottom)
    return "C stack overflow (stack guard)";
  if (cfsr & (1u << 4)) return "C stack overflow (stacking)";
  if ((cfsr & CFSR_MMARVALID) && mmfar >= FLASH_BASE && mmfar < FLASH_BASE + FLASH_SIZE)
    return "write to flash (read-only)";
  if ((cfsr & CFSR_MMARVALID) && mmfar < FLASH_SIZE) return "NULL pointer access";
  if (cfsr & 1u) return "instruction fetch from a no-execute region";
  if (cfsr & (1u << 25)) return "integer division by zero";
  if (cfsr & (1u << 24)) return "unaligned access";
  if (cfsr & 0xFFu) return "memory protection fault";
  if (cfsr & 0xFF00u) return "bus fault";
  if (cfsr & 0xFFFF0000u) return "usage fault";
  return "hard fault";
}

/* Called by fault_entry with the stacked frame (r0-r3, r12, lr, pc, xpsr). */
void fault_report(const uint32_t *frame, uint32_t exc) {
  uint32_t cfsr = SCB_CFSR, mmfar = SCB_MMFAR, bfar = SCB_BFAR;
  int frame_ok = (uintptr_t)frame >= (uintptr_t)__stack_bottom &&
                 (uintptr_t)frame + 32 <= (uintptr_t)__stack_top;
  put("\nmcu: fault: ");
  put(fault_cause(cfsr, mmfar));
  put("\nmcu: ");
  puthex("exception", exc & 0x1FFu);
  puthex("CFSR", cfsr);
  puthex("HFSR", SCB_HFSR);
  if (cfsr & CFSR_MMARVALID) puthex("MMFAR", mmfar);
  if (cfsr & CFSR_BFARVALID) puthex("BFAR", bfar);
  if (frame_ok) {
    puthex("PC", frame[6]);
    puthex("LR", frame[5]);
  }
  puthex("SP", (uint32_t)(uintptr_t)frame);
  put("\n");
  board_exit(EXIT_FAULT, 1);
}

/* Switches to the fault stack before anything is pushed; passes the
** stacked frame (MSP: the firmware never uses PSP) and IPSR. */
__attribute__((naked)) void fault_entry(void) {
  __asm__ volatile(
      "mrs r0, msp\n\t"
      "mrs r1, ipsr\n\t"
      "ldr r2, =fault_stack_top\n\t"
      "ldr r2, [r2]\n\t"
      "mov sp, r2\n\t"
      "b fault_report\n\t");
}

static void unexpected(void) {
  put("mcu: unexpected interrupt\n");
  board_exit(EXIT_FAULT, 1);
}

/* --- vector table -------------------------------------------------------- */

typedef void (*Vector)(void);

#define NVECTORS (16 + 82) /* system exceptions + STM32F405 IRQs */

__attribute__((section(".vectors"), used))
const Vector vector_table[NVECTORS] = {
    (Vector)(uintptr_t)__stack_top,
    Reset_Handler,
    fault_entry, /* NMI */
    fault_entry, /* HardFault */
    fault_entry, /* MemManage */
    fault_entry, /* BusFault */
    fault_entry, /* UsageFault */
    0, 0, 0, 0,
    unexpected, /* SVCall */
    unexpected, /* DebugMonitor */
    0,
    unexpected, /* PendSV */
    unexpected, /* SysTick */
    [16 ... NVECTORS - 1] = unexpected,
};
