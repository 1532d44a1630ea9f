# mcu/mcu.mk: the firmware targets, included by the Makefile.
#   make mcu          build/mcu/fw.elf (and fw-bigstack.elf) for QEMU's
#                     netduinoplus2 (STM32F405, Cortex-M4, soft float), the
#                     small configuration with newlib and ARM semihosting;
#                     and the host tool build/mcu/mkboot
#   make test-mcu     the test scripts on the emulated device, 40 KB heap
#   make esp8266-size the runtime compiled for the ESP8266 (lx106), its sizes
MCU_CC = arm-none-eabi-gcc
MCU_SIZE = arm-none-eabi-size
MCU_ARCH = -mcpu=cortex-m4 -mthumb -mfloat-abi=soft
# Nested C calls and parser levels before "C stack overflow" / "too many C
# levels" (LUAI_MAXCCALLS, 200 on the desktop, where each counts 1).
# Measured on the device (stack high-water mark, tests/errors/cstack_*.lua):
# a parser level costs the C stack 96-143 bytes, a C call 120-350 through
# __index, tostring, sort or resume, and up to 808 through string.gsub with
# a Lua callback (its buffer and match state). So a C call counts 5
# (ML_CCALL_COST): 30 nested C calls, or 150 parser levels (21 KB). The
# pattern matcher's own recursion costs 28 bytes a level: 100 levels (the
# official pm.lua needs 80). At these limits the deepest C chain, error
# handling and a 100-level pattern at its bottom stay within the 32 KB
# stack (tests/errors/cstack_limit.lua).
MCU_MAXCCALLS = 150
MCU_CCALL_COST = 5
MCU_MAXMATCHDEPTH = 100
MCU_CFLAGS = -std=c11 -Wall -Wextra -Os -g -DML_SMALL=1 $(MCU_ARCH) \
  -DLUAI_MAXCCALLS=$(MCU_MAXCCALLS) -DML_CCALL_COST=$(MCU_CCALL_COST) \
  -DLUAI_MAXMATCHDEPTH=$(MCU_MAXMATCHDEPTH) \
  -ffunction-sections -fdata-sections -Isrc -Imcu -I$(ROMGEN_DIR) \
  $(MCU_INTPRINTF)
# Moonlet formats every number itself (numfmt.c, object.c): the printf
# family is only used for text and integers, so newlib's integer-only
# variants do, and its float printing is not linked (5.6 KB of flash).
MCU_INTPRINTF = -Dsnprintf=sniprintf -Dvsnprintf=vsniprintf \
  -Dfprintf=fiprintf -Dsprintf=siprintf -Dprintf=iprintf
# Full newlib, not nano: nano's libc calls malloc() itself (reent data),
# and on the board malloc has no heap at all (mcu/arena.c).
MCU_LDFLAGS = $(MCU_ARCH) -specs=rdimon.specs -nostartfiles \
  -T mcu/netduinoplus2.ld -Wl,--gc-sections
# The C stack of the firmware; the tests that need more (deep C recursion)
# run on a second firmware, fw-bigstack.elf, and are listed as such.
MCU_STACK = 32768
MCU_BIGSTACK = 65536
# Host-only programs; everything else in src/ runs on the device.
MCU_EXCLUDE = src/main.c src/moonletc.c
MCU_SRCS = $(filter-out $(MCU_EXCLUDE),$(wildcard src/*.c)) \
  $(filter-out mcu/mkboot.c,$(wildcard mcu/*.c))
MCU_OBJS = $(patsubst %.c,build/mcu/obj/%.o,$(MCU_SRCS))
QEMU_ARM = qemu-system-arm

.PHONY: mcu test-mcu esp8266-size
mcu: build/mcu/fw.elf build/mcu/fw-bigstack.elf build/mcu/mkboot

build/mcu/obj/%.o: %.c $(wildcard src/*.h) $(wildcard mcu/*.h) $(ROMGEN_OUT) mcu/mcu.mk
	@mkdir -p $(dir $@)
	$(MCU_CC) $(MCU_CFLAGS) -c $< -o $@

build/mcu/fw.elf: $(MCU_OBJS) mcu/netduinoplus2.ld
	$(MCU_CC) $(MCU_LDFLAGS) -Wl,--defsym=STACK_SIZE=$(MCU_STACK) \
	  -Wl,-Map=build/mcu/fw.map -o $@ $(MCU_OBJS) -lm
	$(MCU_SIZE) $@

build/mcu/fw-bigstack.elf: $(MCU_OBJS) mcu/netduinoplus2.ld
	$(MCU_CC) $(MCU_LDFLAGS) -Wl,--defsym=STACK_SIZE=$(MCU_BIGSTACK) -o $@ $(MCU_OBJS) -lm

build/mcu/mkboot: mcu/mkboot.c mcu/bootrec.h
	@mkdir -p $(dir $@)
	$(CC) -std=c11 -Wall -Wextra -O2 -Imcu -o $@ mcu/mkboot.c

# The images come from the desktop moonletc of the small configuration as
# a 32-bit binary: the same layout as the device (the mount refuses others).
MCU_MOONLETC = build/small-m32/moonletc

test-mcu: mcu
	$(MAKE) CONFIG=small M32=1 all
	FW=build/mcu/fw.elf FWBIG=build/mcu/fw-bigstack.elf MKBOOT=build/mcu/mkboot MOONLETC=$(MCU_MOONLETC) QEMU="$(QEMU_ARM)" sh tests/mcu/run.sh

# The ESP8266: no emulator, so a compile, a sizing link (mcu/esp8266/, with
# the ROM's routines) and their sizes (docs/esp8266.md).
XTENSA_CC = xtensa-lx106-elf-gcc
XTENSA_SIZE = xtensa-lx106-elf-size
XTENSA_CFLAGS = -std=c11 -Wall -Wextra -Os -DML_SMALL=1 -mlongcalls \
  -mtext-section-literals -ffunction-sections -fdata-sections \
  --specs=/usr/lib/xtensa-lx106-elf/picolibc.specs -Isrc -I$(ROMGEN_DIR)
XTENSA_OBJS = $(patsubst src/%.c,build/esp8266/obj/%.o,$(filter-out $(MCU_EXCLUDE),$(wildcard src/*.c)))

build/esp8266/obj/%.o: src/%.c $(wildcard src/*.h) $(ROMGEN_OUT)
	@mkdir -p $(dir $@)
	$(XTENSA_CC) $(XTENSA_CFLAGS) -c $< -o $@

build/esp8266/libmoonlet.a: $(XTENSA_OBJS)
	rm -f $@
	xtensa-lx106-elf-ar rcs $@ $(XTENSA_OBJS)

build/esp8266/moonlet.elf: mcu/esp8266/main.c build/esp8266/libmoonlet.a mcu/esp8266/esp8266.ld mcu/esp8266/rom.ld
	$(XTENSA_CC) $(XTENSA_CFLAGS) -nostartfiles --oslib=dummyhost -Lmcu/esp8266 -T mcu/esp8266/esp8266.ld \
	  -o $@ mcu/esp8266/main.c build/esp8266/libmoonlet.a -lm

esp8266-size: build/esp8266/moonlet.elf
	@echo "== the runtime's objects (text includes .rodata)"
	@$(XTENSA_SIZE) -t $(XTENSA_OBJS) | sed 's|build/esp8266/obj/||'
	@echo "== linked with picolibc (flash code at irom0; .rodata and .data copied to DRAM)"
	@$(XTENSA_SIZE) -A $< | grep -v -e '^\.debug' -e '^\.comment' -e '^\.xtensa' -e '^Total' -e '^$$'
	@$(XTENSA_SIZE) -A $< | awk '$$1 == ".irom0.text" { t = $$2 } $$1 == ".rodata" { r = $$2 } \
	  $$1 == ".data" { d = $$2 } $$1 == ".bss" { b = $$2 } \
	  END { printf "flash %d bytes (%.1f%% of 1 MB); DRAM %d bytes (.rodata %d, .data %d, .bss %d)\n", \
	        t + r + d, (t + r + d) * 100 / 1048576, r + d + b, r, d, b }'
