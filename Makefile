# Moonlet build. `make` builds build/moonlet, build/moonletc (the image
# builder) and build/libmoonlet.a.
#   make CONFIG=small   32-bit integers and floats (the device numbers)
#   make M32=1          a 32-bit binary (with -funsigned-char, as ARM/Xtensa)
#   make SAN=1          AddressSanitizer + UndefinedBehaviorSanitizer
#   make TORTURE=1      a full collection before every allocation
# Each combination builds into its own directory under build/.

CC ?= cc
CONFIG ?= default
OPT ?= -O2

CFLAGS_BASE = -std=c11 -Wall -Wextra -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE $(OPT) -g
LDLIBS = -lm

VARIANT = $(CONFIG)
ifeq ($(CONFIG),small)
  CFLAGS_BASE += -DML_SMALL=1
endif
ifeq ($(M32),1)
  CFLAGS_BASE += -m32 -funsigned-char -isystem build/m32inc
  LDFLAGS += -m32
  VARIANT := $(VARIANT)-m32
  M32DEP = build/m32inc/asm
endif
ifeq ($(SAN),1)
  CFLAGS_BASE += -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
  LDFLAGS += -fsanitize=address,undefined
  VARIANT := $(VARIANT)-san
endif
ifeq ($(TORTURE),1)
  CFLAGS_BASE += -DML_GC_TORTURE=1
  VARIANT := $(VARIANT)-torture
endif

CFLAGS ?=
ALL_CFLAGS = $(CFLAGS_BASE) $(CFLAGS) -Isrc -I$(ROMGEN_DIR)
OUT = build/$(VARIANT)
LIB_SRCS = $(filter-out src/main.c src/moonletc.c,$(wildcard src/*.c))
LIB_OBJS = $(patsubst src/%.c,$(OUT)/obj/%.o,$(LIB_SRCS))

# The default build also leaves build/moonlet and build/libmoonlet.a.
.PHONY: all test bench demo expected clean
all: $(OUT)/moonlet $(OUT)/moonletc $(OUT)/libmoonlet.a
ifeq ($(VARIANT),default)
all: build/moonlet build/moonletc build/libmoonlet.a
build/moonlet: $(OUT)/moonlet
	cp $< $@.tmp && mv -f $@.tmp $@
build/moonletc: $(OUT)/moonletc
	cp $< $@.tmp && mv -f $@.tmp $@
build/libmoonlet.a: $(OUT)/libmoonlet.a
	cp $< $@.tmp && mv -f $@.tmp $@
endif

# Debian's -m32 lacks <asm/errno.h>: point an include dir at the native one.
build/m32inc/asm:
	mkdir -p build/m32inc
	ln -sfn /usr/include/x86_64-linux-gnu/asm build/m32inc/asm

# The standard libraries' read-only tables, generated from src/lib_rom.h
# by tools/romgen (built for the host): the same source for every build.
# ROMUSER=path/to/mytables.h adds an embedder's tables (docs/rom-tables.md).
ROMGEN_DIR = build/gen
ROMGEN_OUT = $(ROMGEN_DIR)/rom_gen.h
ROMUSER ?=
ROMGEN_USERFLAGS = $(if $(ROMUSER),-DML_ROM_USER='"$(abspath $(ROMUSER))"')
HOSTCC ?= cc

$(ROMGEN_DIR)/romgen: tools/romgen.c src/lib_rom.h src/strhash.h src/meta.h $(ROMUSER)
	@mkdir -p $(dir $@)
	$(HOSTCC) -std=c11 -Wall -Wextra -O1 -Isrc $(ROMGEN_USERFLAGS) -o $@ tools/romgen.c

$(ROMGEN_OUT): $(ROMGEN_DIR)/romgen
	$(ROMGEN_DIR)/romgen $(ROMGEN_DIR)

$(OUT)/obj/%.o: src/%.c $(wildcard src/*.h) $(ROMGEN_OUT) | $(M32DEP)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c $< -o $@

$(OUT)/libmoonlet.a: $(LIB_OBJS)
	rm -f $@
	ar rcs $@ $^

$(OUT)/moonlet: $(OUT)/obj/main.o $(OUT)/libmoonlet.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(OUT)/moonletc: $(OUT)/obj/moonletc.o $(OUT)/libmoonlet.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

test: all
	MOONLET=$(OUT)/moonlet MOONLETC=$(OUT)/moonletc OUT=$(OUT) CONFIG=$(CONFIG) CC="$(CC)" CFLAGS="$(ALL_CFLAGS)" LDFLAGS="$(LDFLAGS)" sh tests/run.sh

# The main job: an application built into an image, run from flash in a
# 40 KB heap with the device's numbers, and the RAM it saves.
demo:
	$(MAKE) CONFIG=small M32=1 all build/small-m32/moonletc
	sh bench/demo.sh build/small-m32

# Regenerates tests/*/*.expected from Debian's lua5.3 (not moonlet-only ones).
expected:
	sh tests/expect.sh

bench: all
	sh bench/run.sh $(OUT)/moonlet

clean:
	rm -rf build

# The firmware and ESP8266 targets (helper "mcu"): make mcu, test-mcu, esp8266-size.
include mcu/mcu.mk
