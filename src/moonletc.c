/*
** moonletc.c: the image builder, command-line compatible with NodeMCU's
** luac.cross: -f makes one flash image of every input (modules named by
** file name), -o, -m, -s, -l, -p, -v, -e; -i describes an image, -a writes
** a native slot for a device (-r: where its firmware has the ROM strings). The same inputs always give the same bytes
** (the build time comes from SOURCE_DATE_EPOCH when it is set).
*/
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lua.h"
#include "lauxlib.h"
#include "lualib.h"

#include "func.h"
#include "image.h"
#include "lfs.h"
#include "moonlet.h"
#include "numfmt.h"
#include "opcodes.h"

#define PROGNAME "moonletc"
#define DEFAULT_OUTPUT "luac.out"

typedef struct Options {
  int flash, strip, list, parseonly, version;
  const char *output;
  const char *info;   /* -i image */
  const char *script; /* -e script */
  const char *maxsize, *address, *romaddress;
  int first, last;    /* the input files are argv[first..last) */
} Options;

static void fatal(const char *fmt, const char *arg) {
  fprintf(stderr, PROGNAME ": ");
  fprintf(stderr, fmt, arg);
  fputc('\n', stderr);
  exit(EXIT_FAILURE);
}

static void usage(const char *msg, const char *arg) {
  if (msg != NULL) {
    fprintf(stderr, PROGNAME ": ");
    fprintf(stderr, msg, arg);
    fputc('\n', stderr);
  }
  fprintf(stderr,
          "usage: " PROGNAME " [options] [filenames]\n"
          "Available options are:\n"
          "  -f        make one flash image of all the files (modules named\n"
          "            by file name without directory and .lua)\n"
          "  -o name   output to file 'name' (default is \"" DEFAULT_OUTPUT "\")\n"
          "  -m size   refuse an image that needs more than 'size' bytes of flash\n"
          "  -s        strip debug information\n"
          "  -l        list the bytecode\n"
          "  -p        parse only\n"
          "  -v        show version information\n"
          "  -e script run 'script' with the image mounted\n"
          "  -i image  describe the image 'image' and stop\n"
          "  -a addr   with -f: write the native flash slot for address 'addr'\n"
          "  -r addr   with -a: the firmware's ROM strings are at 'addr'\n"
          "            (its symbol ml_romstrings)\n"
          "  --        stop handling options\n");
  exit(EXIT_FAILURE);
}

static const char *optarg_of(int argc, char **argv, int *i) {
  if (argv[*i][2] != '\0') return argv[*i] + 2;
  if (*i + 1 >= argc) usage("'%s' needs argument", argv[*i]);
  return argv[++*i];
}

static void parseargs(int argc, char **argv, Options *o) {
  int i;
  memset(o, 0, sizeof *o);
  for (i = 1; i < argc && argv[i][0] == '-' && argv[i][1] != '\0'; i++) {
    const char *a = argv[i];
    if (strcmp(a, "--") == 0) {
      i++;
      break;
    }
    switch (a[1]) {
      case 'f': o->flash = 1; break;
      case 's': o->strip = 1; break;
      case 'l': o->list = 1; break;
      case 'p': o->parseonly = 1; break;
      case 'v': o->version = 1; break;
      case 'o': o->output = optarg_of(argc, argv, &i); continue;
      case 'm': o->maxsize = optarg_of(argc, argv, &i); continue;
      case 'e': o->script = optarg_of(argc, argv, &i); continue;
      case 'i': o->info = optarg_of(argc, argv, &i); continue;
      case 'a': o->address = optarg_of(argc, argv, &i); continue;
      case 'r': o->romaddress = optarg_of(argc, argv, &i); continue;
      default: usage("unrecognized option '%s'", a);
    }
    if (a[2] != '\0') usage("unrecognized option '%s'", a);
  }
  o->first = i;
  o->last = argc;
}

/* Decimal or 0x hex, with an optional k or m suffix (as moonlet --flash). */
static unsigned long long parsesize(const char *s, const char *what) {
  int hex = s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
  char *end;
  unsigned long long v;
  errno = 0;
  v = strtoull(s, &end, hex ? 16 : 10);
  if (*s == '-' || *s == '+') fatal(what, s);
  if (end == s || errno != 0) fatal(what, s);
  if (*end == 'k' || *end == 'K') v *= 1024, end++;
  else if (*end == 'm' || *end == 'M') v *= 1024 * 1024, end++;
  if (*end != '\0') fatal(what, s);
  return v;
}

static uint64_t buildtime(void) {
  const char *sde = getenv("SOURCE_DATE_EPOCH");
  if (sde != NULL && *sde != '\0')
    return (uint64_t)parsesize(sde, "bad SOURCE_DATE_EPOCH '%s'");
  return (uint64_t)time(NULL);
}

static char *readfile(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  char *data = NULL;
  size_t cap = 0;
  *len = 0;
  if (f == NULL) fatal("cannot open %s", path);
  for (;;) {
    size_t k;
    if (*len == cap) {
      cap = cap ? 2 * cap : 65536;
      if ((data = (char *)realloc(data, cap)) == NULL) fatal("%s", "not enough memory");
    }
    k = fread(data + *len, 1, cap - *len, f);
    if (k == 0) break;
    *len += k;
  }
  if (ferror(f)) fatal("cannot read %s", path);
  fclose(f);
  return data;
}

static void writefile(const char *path, const void *data, size_t len) {
  FILE *f = fopen(path, "wb");
  if (f == NULL) fatal("cannot open %s", path);
  if (fwrite(data, 1, len, f) != len || fclose(f) != 0)
    fatal("cannot write %s", path);
}

/* --- -l: the listing ------------------------------------------------------ */

static void listconstant(const TValue *o) {
  switch (ttype(o)) {
    case LUA_TNIL: printf("nil"); break;
    case LUA_TBOOLEAN: printf(bvalue(o) ? "true" : "false"); break;
    case LUA_TNUMINT: printf(LUA_INTEGER_FMT, (LUAI_UACINT)ivalue(o)); break;
    case LUA_TNUMFLT: {
      char buf[NUMFMT_NUMSZ];
      numfmt_number(buf, fltvalue(o));
      fputs(buf, stdout);
      break;
    }
    default: {
      const unsigned char *s = (const unsigned char *)getstr(tsvalue(o));
      size_t i, n = vslen(o);
      putchar('"');
      for (i = 0; i < n; i++) {
        if (s[i] == '"' || s[i] == '\\') printf("\\%c", s[i]);
        else if (s[i] >= ' ' && s[i] < 127) putchar(s[i]);
        else printf("\\%03d", s[i]);
      }
      putchar('"');
    }
  }
}

static const char *upvalname(const Proto *f, int i) {
  const TString *n = i < f->sizeupvalues ? f->upvalues[i].name : NULL;
  return n != NULL ? getstr(n) : "-";
}

static void listrk(const Proto *f, int x) {
  if (ISK(x)) listconstant(&f->k[INDEXK(x)]);
  else printf("-");
}

static void listoperands(Instruction i) {
  OpCode op = GET_OPCODE(i);
  int a = GETARG_A(i), b = GETARG_B(i), c = GETARG_C(i);
  switch (getOpMode(op)) {
    case iABC:
      printf("%d", a);
      if (getBMode(op) != OpArgN) printf(" %d", ISK(b) ? -1 - INDEXK(b) : b);
      if (getCMode(op) != OpArgN) printf(" %d", ISK(c) ? -1 - INDEXK(c) : c);
      break;
    case iABx:
      printf("%d %d", a, getBMode(op) == OpArgK ? -1 - GETARG_Bx(i) : GETARG_Bx(i));
      break;
    case iAsBx: printf("%d %d", a, GETARG_sBx(i)); break;
    default: printf("%d", GETARG_Ax(i)); break;
  }
}

static void listcomment(const Proto *f, int pc, Instruction i) {
  int b = GETARG_B(i), c = GETARG_C(i);
  switch (GET_OPCODE(i)) {
    case OP_LOADK: printf("\t; "); listconstant(&f->k[GETARG_Bx(i)]); break;
    case OP_GETUPVAL: case OP_SETUPVAL: printf("\t; %s", upvalname(f, b)); break;
    case OP_GETTABUP:
      printf("\t; %s ", upvalname(f, b));
      listrk(f, c);
      break;
    case OP_SETTABUP:
      printf("\t; %s ", upvalname(f, GETARG_A(i)));
      listrk(f, b);
      printf(" ");
      listrk(f, c);
      break;
    case OP_GETTABLE: case OP_SELF:
      if (ISK(c)) { printf("\t; "); listconstant(&f->k[INDEXK(c)]); }
      break;
    case OP_JMP: case OP_FORLOOP: case OP_FORPREP: case OP_TFORLOOP:
      printf("\t; to %d", GETARG_sBx(i) + pc + 2);
      break;
    case OP_CLOSURE: printf("\t; function %d", GETARG_Bx(i)); break;
    default:
      if (ISK(b) && getBMode(GET_OPCODE(i)) == OpArgK) {
        printf("\t; ");
        listrk(f, b);
        printf(" ");
        listrk(f, c);
      }
      break;
  }
}

static void listproto(const Proto *f, int ismain) {
  const char *src = f->source != NULL ? getstr(f->source) : "=?";
  int pc;
  if (*src == '@' || *src == '=') src++;
  printf("\n%s <%s:%d,%d> (%d instructions)\n", ismain ? "main" : "function",
         src, f->linedefined, f->lastlinedefined, f->sizecode);
  printf("%d%s params, %d slots, %d upvalues, %d locals, %d constants, "
         "%d functions\n", f->numparams, f->is_vararg ? "+" : "",
         f->maxstacksize, f->sizeupvalues, f->sizelocvars, f->sizek, f->sizep);
  for (pc = 0; pc < f->sizecode; pc++) {
    Instruction i = f->code[pc];
    int line = func_getline(f, pc);
    printf("\t%d\t", pc + 1);
    if (line >= 0) printf("[%d]\t", line);
    else printf("[-]\t");
    printf("%-9s\t", op_names[GET_OPCODE(i)]);
    listoperands(i);
    listcomment(f, pc, i);
    printf("\n");
  }
  for (pc = 0; pc < f->sizep; pc++) listproto(f->p[pc], 0);
}

/* --- -i: what an image holds ----------------------------------------------- */

static void describeheader(const unsigned char *h, size_t len) {
  uint64_t t = image_getu32(h + 32) | ((uint64_t)image_getu32(h + 36) << 32);
  time_t tt = (time_t)t;
  char when[64] = "?";
  struct tm *tm = gmtime(&tt);
  if (tm != NULL) strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S UTC", tm);
  printf("flash image, %lu bytes, format version %d\n", (unsigned long)len,
         h[8] | (h[9] << 8));
  printf("configuration: %s\n", image_configname(h[20]));
  printf("checksum: 0x%08lx (CRC-32 of bytes %d-%lu)\n",
         (unsigned long)image_getu32(h + 12), IMAGE_CRCFROM,
         (unsigned long)len - 1);
  printf("built: %s (%llu)%s\n", when, (unsigned long long)t,
         (h[26] & IMAGE_FSTRIPPED) ? ", stripped" : "");
  printf("%lu modules, %lu strings, %lu functions\n",
         (unsigned long)image_getu32(h + 48), (unsigned long)image_getu32(h + 40),
         (unsigned long)image_getu32(h + 44));
  printf("built against %lu ROM strings (fingerprint %08lx)\n",
         (unsigned long)image_getu32(h + 60), (unsigned long)image_getu32(h + 64));
}

/* Each module's tree of functions is [first, main] (children first). */
static void describemodules(const ImageInfo *im) {
  ImageCursor c;
  uint32_t i;
  c.p = im->data + im->modulesat;
  c.end = im->data + im->len;
  printf("  %-24s %8s %9s\n", "module", "bytes", "functions");
  for (i = 0; i < im->nmodules; i++) {
    uint64_t name = 0, proto = 0;
    size_t len;
    const unsigned char *s;
    uint32_t first, end;
    image_getvarint(&c, &name);
    image_getvarint(&c, &proto);
    s = image_stringat(im, (uint32_t)name, &len);
    first = im->protos[proto].first;
    end = proto + 1 < im->nprotos ? im->protos[proto + 1].at : im->modulesat;
    printf("  %-24.*s %8lu %9lu\n", (int)len, (const char *)s,
           (unsigned long)(end - im->protos[first].at),
           (unsigned long)(proto - first + 1));
  }
}

static void describeslot(const char *path, const char *data, size_t len) {
  const FlashHeader *h = (const FlashHeader *)data;
  const char *msg = image_checkslot(data, len);
  printf("native flash slot, %lu bytes\n", (unsigned long)len);
  if (msg != NULL) fatal("%s", msg);
  printf("for address 0x%lx, %lu bytes used, generation %lu\n",
         (unsigned long)h->base, (unsigned long)h->size,
         (unsigned long)h->generation);
  printf("%lu modules, %lu strings, %lu functions; image checksum 0x%08lx\n",
         (unsigned long)h->nmodules, (unsigned long)h->nstrings,
         (unsigned long)h->nprotos, (unsigned long)h->srccrc);
  printf("%lu pointers to the %lu ROM strings (fingerprint %08lx) at 0x%lx\n",
         (unsigned long)h->romrefs, (unsigned long)h->romcount,
         (unsigned long)h->romcrc, (unsigned long)h->rombase);
  (void)path;
}

static void describe(const char *path) {
  size_t len;
  char *data = readfile(path, &len);
  char msg[256];
  ImageInfo im;
  if (len >= sizeof(FlashHeader) && memcmp(data, FLASH_MAGIC, 8) == 0) {
    describeslot(path, data, len);
  } else {
    if (len >= IMAGE_HEADERSIZE && memcmp(data, IMAGE_MAGIC, IMAGE_MAGICSIZE) == 0)
      describeheader((const unsigned char *)data, len);
    if (image_read(&im, data, len, msg, sizeof msg) != NULL) {
      image_free(&im);
      fprintf(stderr, PROGNAME ": %s: %s\n", path, msg);
      exit(EXIT_FAILURE);
    }
    printf("flash needed in this build: %lu bytes\n",
           (unsigned long)image_nativesize(&im));
    describemodules(&im);
    image_free(&im);
  }
  free(data);
}

/* --- compiling and writing -------------------------------------------------- */

/* The module name of a file: its base name without ".lua". */
static void pushmodulename(lua_State *L, const char *path) {
  const char *base = strrchr(path, '/');
  size_t len;
  base = base != NULL ? base + 1 : path;
  len = strlen(base);
  if (len > 4 && strcmp(base + len - 4, ".lua") == 0) len -= 4;
  lua_pushlstring(L, base, len);
}

/* Compiles every input into the table on the top: module name -> main. */
static void compileall(lua_State *L, char **argv, const Options *o) {
  int i;
  lua_newtable(L);
  for (i = o->first; i < o->last; i++) {
    if (luaL_loadfile(L, argv[i]) != LUA_OK) fatal("%s", lua_tostring(L, -1));
    if (o->list) listproto(getproto(L->top - 1), 1);
    pushmodulename(L, argv[i]);
    if (lua_rawget(L, -3) != LUA_TNIL) fatal("two modules named after '%s'", argv[i]);
    lua_pop(L, 1);
    pushmodulename(L, argv[i]);
    lua_insert(L, -2);
    lua_rawset(L, -3);
  }
}

static int writer(lua_State *L, const void *p, size_t sz, void *ud) {
  (void)L;
  return fwrite(p, 1, sz, (FILE *)ud) != sz;
}

/* Without -f: a binary chunk that load and loadfile accept, as luac. */
static void writechunk(lua_State *L, const Options *o, char **argv) {
  const char *out = o->output != NULL ? o->output : DEFAULT_OUTPUT;
  FILE *f;
  if (o->last - o->first != 1) fatal("%s", "without -f, give one input file");
  lua_pushnil(L);
  lua_next(L, -2);
  f = fopen(out, "wb");
  if (f == NULL) fatal("cannot open %s", out);
  if (lua_dump(L, writer, f, o->strip) != 0) fatal("cannot dump %s", argv[o->first]);
  if (fclose(f) != 0) fatal("cannot write %s", out);
}

static void checksize(const ImageInfo *im, const Options *o) {
  unsigned long long max;
  size_t need = image_nativesize(im);
  char msg[160];
  if (o->maxsize == NULL) return;
  max = parsesize(o->maxsize, "bad size '%s'");
  if (need > max) {
    snprintf(msg, sizeof msg, "image needs %lu bytes of flash, more than the %llu of -m",
             (unsigned long)need, max);
    fatal("%s", msg);
  }
}

/* -r: the device's address of the ROM strings; the slot must not cover
** them. Without -r, a slot that refers to none of them. */
static uintptr_t romaddress(const FlashHeader *h, const Options *o,
                            unsigned long long addr, size_t size) {
  unsigned long long rom;
  char msg[160];
  if (o->romaddress == NULL) {
    if (h->romrefs == 0) return h->rombase;
    snprintf(msg, sizeof msg, "the image refers to ROM strings %lu times: "
             "give the firmware's address of ml_romstrings with -r",
             (unsigned long)h->romrefs);
    fatal("%s", msg);
  }
  rom = parsesize(o->romaddress, "bad ROM strings address '%s'");
  if (rom % _Alignof(TString) != 0 || rom > UINTPTR_MAX - h->romsize ||
      (rom < addr + size && addr < rom + h->romsize))
    fatal("bad ROM strings address '%s'", o->romaddress);
  return (uintptr_t)rom;
}

/* -a: the slot a device mounts in place at 'address'. */
static void writenative(const ImageInfo *im, const Options *o) {
  unsigned long long addr = parsesize(o->address, "bad address '%s'");
  size_t size = image_nativesize(im);
  void *slot;
  if (addr % FLASH_ALIGN != 0 || addr > UINTPTR_MAX - size)
    fatal("bad address '%s'", o->address);
  slot = malloc(size);
  if (slot == NULL || !image_build(im, slot, 1)) fatal("%s", "not enough memory");
  image_relocate(slot, (uintptr_t)addr,
                 romaddress((const FlashHeader *)slot, o, addr, size));
  writefile(o->output != NULL ? o->output : DEFAULT_OUTPUT, slot, size);
  free(slot);
}

static void writeimage(lua_State *L, const Options *o) {
  size_t len;
  const char *bytes;
  ImageInfo im;
  char msg[256];
  image_write(L, -1, o->strip, buildtime());
  bytes = lua_tolstring(L, -1, &len);
  if (image_read(&im, bytes, len, msg, sizeof msg) != NULL) fatal("%s", msg);
  checksize(&im, o);
  if (o->address != NULL) writenative(&im, o);
  else writefile(o->output != NULL ? o->output : DEFAULT_OUTPUT, bytes, len);
  image_free(&im);
}

/* --- -e: a script with the image mounted ------------------------------------ */

static int traceback(lua_State *L) {
  const char *msg = lua_tostring(L, 1);
  luaL_traceback(L, L, msg != NULL ? msg : "(error object is not a string)", 1);
  return 1;
}

static int runscript(const char *script, const char *image, size_t len) {
  char msg[256];
  lua_State *L;
  int status;
  if (image != NULL && lfs_reloadbuffer(image, len, msg, sizeof msg) == LFS_REFUSED)
    fatal("%s", msg);
  L = moonlet_newstate(0);
  if (L == NULL) fatal("%s", "cannot create state: not enough memory");
  luaL_openlibs(L);
  lua_createtable(L, 0, 1);
  lua_pushstring(L, script);
  lua_rawseti(L, -2, 0);
  lua_setglobal(L, "arg");
  lua_pushcfunction(L, traceback);
  status = luaL_loadfile(L, script);
  if (status == LUA_OK) status = lua_pcall(L, 0, 0, 1);
  if (status != LUA_OK) fprintf(stderr, PROGNAME ": %s\n", lua_tostring(L, -1));
  lua_close(L);
  return status == LUA_OK ? EXIT_SUCCESS : EXIT_FAILURE;
}

/* -e after the build: the state that compiled goes first, the image is
** copied out of it. */
static int runafter(lua_State *L, const Options *o) {
  size_t len = 0;
  const char *err, *image = NULL;
  char *copy = NULL;
  int status;
  if (o->maxsize != NULL &&
      (err = lfs_open((size_t)parsesize(o->maxsize, "bad size '%s'"), NULL)) != NULL)
    fatal("%s", err);
  if (o->flash && !o->parseonly) image = lua_tolstring(L, -1, &len);
  if (image != NULL && (copy = (char *)malloc(len)) == NULL)
    fatal("%s", "not enough memory");
  if (copy != NULL) memcpy(copy, image, len);
  lua_close(L);
  status = runscript(o->script, copy, len);
  free(copy);
  return status;
}

int main(int argc, char **argv) {
  Options o;
  lua_State *L;
  parseargs(argc, argv, &o);
  if (o.version) printf("Moonlet " MOONLET_VERSION " (" LUA_VERSION ") image builder\n");
  if (o.info != NULL) {
    describe(o.info);
    return EXIT_SUCCESS;
  }
  if (o.first == o.last) {
    if (o.version) return EXIT_SUCCESS;
    if (o.script != NULL) return runscript(o.script, NULL, 0);
    usage("%s", "no input files given");
  }
  L = moonlet_newstate(0);
  if (L == NULL) fatal("%s", "cannot create state: not enough memory");
  compileall(L, argv, &o);
  if (!o.parseonly) {
    if (o.flash) writeimage(L, &o);
    else writechunk(L, &o, argv);
  }
  if (o.script != NULL) return runafter(L, &o);
  lua_close(L);
  return EXIT_SUCCESS;
}
