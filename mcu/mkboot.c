/*
** mkboot.c: a host tool that writes a boot record (bootrec.h) for the
** firmware: which chunk to run, under which name, in how big a heap.
**   mkboot [-H bytes] [-s] [-n name] -o out (script | -i script | -F fault)
** QEMU places the output at BOOT_ADDR with -device loader.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bootrec.h"

#define MAXCHUNK (120u * 1024u) /* the record's sector is 128 KB */

static void put32(unsigned char *p, uint32_t v) {
  p[0] = (unsigned char)v;
  p[1] = (unsigned char)(v >> 8);
  p[2] = (unsigned char)(v >> 16);
  p[3] = (unsigned char)(v >> 24);
}

static int usage(void) {
  fputs("usage: mkboot [-H heapbytes] [-s] [-n name] -o out (script | -i script | -F fault)\n"
        "  -H  arena size in bytes (default: the firmware's 40 KB)\n"
        "  -s  print heap and stack figures at the end\n"
        "  -n  chunk name (default: the script's path)\n"
        "  -i  run the script from the mounted flash image instead: the module\n"
        "      its base name names (moonletc -f -a 0x080A0000 built the image)\n"
        "  -F  provoke this fault (flash-write, null-read, null-write,\n"
        "      stack-overflow, exec-ram, div-zero): the firmware's self-test\n",
        stderr);
  return 2;
}

/* Reads a whole file into buf; its length, or -1. */
static long slurp(const char *path, unsigned char *buf, size_t max) {
  FILE *f = fopen(path, "rb");
  size_t n;
  if (f == NULL) return -1;
  n = fread(buf, 1, max, f);
  if (ferror(f) || fgetc(f) != EOF) n = (size_t)-1;
  fclose(f);
  return n == (size_t)-1 ? -1 : (long)n;
}

int main(int argc, char **argv) {
  static unsigned char buf[sizeof(BootRecord) + 1024 + MAXCHUNK];
  unsigned long heap = 0;
  uint32_t flags = 0, sum = 0;
  const char *name = NULL, *out = NULL, *script = NULL, *module = NULL;
  size_t namelen, i, total;
  long chunklen = 0;
  FILE *f;
  for (int a = 1; a < argc; a++) {
    if (strcmp(argv[a], "-s") == 0) flags |= BOOTREC_STATS;
    else if (strcmp(argv[a], "-H") == 0 && a + 1 < argc) heap = strtoul(argv[++a], NULL, 0);
    else if (strcmp(argv[a], "-n") == 0 && a + 1 < argc) name = argv[++a];
    else if (strcmp(argv[a], "-o") == 0 && a + 1 < argc) out = argv[++a];
    else if (strcmp(argv[a], "-i") == 0 && a + 1 < argc) module = argv[++a];
    else if (strcmp(argv[a], "-F") == 0 && a + 1 < argc) {
      flags |= BOOTREC_SELFTEST;
      module = argv[++a];
    }
    else if (argv[a][0] != '-' && script == NULL) script = argv[a];
    else return usage();
  }
  if (out == NULL || (script == NULL) == (module == NULL)) return usage();
  if (module != NULL && !(flags & BOOTREC_SELFTEST)) flags |= BOOTREC_IMAGE;
  if (name == NULL) name = script != NULL ? script : module;
  namelen = strlen(name);
  if (namelen > 1000) return usage();
  memcpy(buf + sizeof(BootRecord), name, namelen + 1);
  if (script != NULL) {
    chunklen = slurp(script, buf + sizeof(BootRecord) + namelen + 1, MAXCHUNK);
    if (chunklen < 0) {
      fprintf(stderr, "mkboot: cannot read %s (or larger than %u bytes)\n", script, MAXCHUNK);
      return 1;
    }
  }
  total = sizeof(BootRecord) + namelen + 1 + (size_t)chunklen;
  for (i = sizeof(BootRecord); i < total; i++) sum += buf[i];
  put32(buf, BOOTREC_MAGIC);
  put32(buf + 4, BOOTREC_VERSION);
  put32(buf + 8, (uint32_t)heap);
  put32(buf + 12, flags);
  put32(buf + 16, (uint32_t)namelen);
  put32(buf + 20, (uint32_t)chunklen);
  put32(buf + 24, sum);
  put32(buf + 28, 0);
  if ((f = fopen(out, "wb")) == NULL || fwrite(buf, 1, total, f) != total || fclose(f) != 0) {
    fprintf(stderr, "mkboot: cannot write %s\n", out);
    return 1;
  }
  return 0;
}
