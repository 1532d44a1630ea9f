/*
** test_image.c: the flash store from C. Images are deterministic; bad ones
** (truncated at every length, every byte flipped, wrong magic, version,
** configuration or seed, bad bytecode operands, too big) are refused and
** the mounted image keeps working; mutated images with a valid checksum
** either load and run safely or are refused; a reload cut at every byte
** leaves a mountable image; the region is sealed; native slots relocate
** deterministically and mount in place; ROM texts are references to the
** ROM strings, and images built against other ROM strings are refused.
*/
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lauxlib.h"
#include "lua.h"
#include "lualib.h"

#include "image.h"
#include "lfs.h"
#include "moonlet.h"
#include "opcodes.h"
#include "str.h"

#include "../check.h"

static ImageRomSet romset; /* this build's ROM strings */

static const char *const base_mods[] = {
    "alpha", "local t = {} function t.f(x) return x + 1 end\n"
             "t.name = 'alpha module' return t",
    "beta", "return function(...) local s = 0\n"
            "for i = 1, select('#', ...) do s = s + select(i, ...) end\n"
            "return s end",
    NULL};

static const char *const other_mods[] = {
    "gamma", "local words = {'end', 'local', 'while', '__index'}\n"
             "return function() local t = setmetatable({}, {__index =\n"
             "function(_, k) return k .. '!' end}) return t.x, #words end",
    NULL};

/* --- helpers ------------------------------------------------------------- */

typedef void (*Patch)(Proto *f);

/* An image of {name, source, ..., NULL}; 'patch' may spoil the protos. */
static char *image_of(const char *const *mods, Patch patch, size_t *len) {
  lua_State *L = moonlet_newstate(0);
  const char *s;
  char *copy;
  int i;
  lua_newtable(L);
  for (i = 0; mods[i] != NULL; i += 2) {
    char chunk[64];
    snprintf(chunk, sizeof chunk, "@%s.lua", mods[i]);
    if (luaL_loadbuffer(L, mods[i + 1], strlen(mods[i + 1]), chunk) != LUA_OK) {
      printf("cannot compile %s: %s\n", mods[i], lua_tostring(L, -1));
      exit(1);
    }
    if (patch != NULL) patch(getproto(L->top - 1));
    lua_setfield(L, -2, mods[i]);
  }
  image_write(L, -1, 0, 0);
  s = lua_tolstring(L, -1, len);
  copy = (char *)malloc(*len);
  memcpy(copy, s, *len);
  lua_close(L);
  return copy;
}

static void fixcrc(char *img, size_t len) {
  uint32_t crc = image_crc32(0, img + IMAGE_CRCFROM, len - IMAGE_CRCFROM);
  int i;
  for (i = 0; i < 4; i++) img[12 + i] = (char)((crc >> (8 * i)) & 0xff);
}

static void stophook(lua_State *L, lua_Debug *ar) {
  (void)ar;
  luaL_error(L, "too long");
}

/* The result of 'code' in a new state (which sees the mounted image), in a
** capped heap: mutated code may ask for anything. */
static const char *eval(const char *code) {
  static char out[256];
  lua_State *L = moonlet_newstate(4 << 20);
  luaL_openlibs(L);
  lua_sethook(L, stophook, LUA_MASKCOUNT, 200000);
  if (luaL_loadstring(L, code) != LUA_OK || lua_pcall(L, 0, 1, 0) != LUA_OK)
    snprintf(out, sizeof out, "ERR: %s", lua_tostring(L, -1));
  else
    snprintf(out, sizeof out, "%s", luaL_tolstring(L, -1, NULL));
  lua_close(L);
  return out;
}

static int reload(const char *img, size_t len, char *msg) {
  return lfs_reloadbuffer(img, len, msg, 256);
}

#define ALPHA "return node.LFS.alpha().f(41)"
#define LIST "return table.concat(node.LFS.list() or {}, ',')"

/* --- tests ----------------------------------------------------------------- */

static void test_roundtrip(char *base, size_t blen) {
  char msg[256];
  CHECK(lfs_open(0, NULL) == NULL);
  CHECK(strcmp(eval(LIST), "") == 0);
  CHECK(reload(base, blen, msg) == LFS_LOADED);
  CHECK(strcmp(eval(ALPHA), "42") == 0);
  CHECK(strcmp(eval(LIST), "alpha,beta") == 0);
  CHECK(strcmp(eval("return node.LFS.beta()(1, 2, 3)"), "6") == 0);
  CHECK(strcmp(eval("return node.LFS.get('nope')"), "nil") == 0);
  CHECK(reload(base, blen, msg) == LFS_SAME);
}

static void test_deterministic(const char *base, size_t blen) {
  static const char *const reversed[] = {"beta", NULL, "alpha", NULL, NULL};
  const char *mods[5];
  size_t len;
  char *again = image_of(base_mods, NULL, &len), *rev;
  CHECK(len == blen && memcmp(again, base, len) == 0);
  memcpy(mods, reversed, sizeof mods);
  mods[1] = base_mods[3];
  mods[3] = base_mods[1];
  rev = image_of(mods, NULL, &len);
  CHECK(len == blen && memcmp(rev, base, len) == 0);
  free(again);
  free(rev);
}

/* Every refusal leaves the mounted image ('base') in use. */
static void test_truncated_flipped(const char *other, size_t olen) {
  char msg[256], *copy = (char *)malloc(olen);
  size_t n, refused = 0;
  for (n = 0; n < olen; n++) refused += reload(other, n, msg) == LFS_REFUSED;
  CHECK(refused == olen);
  refused = 0;
  for (n = 0; n < olen; n++) {
    memcpy(copy, other, olen);
    copy[n] ^= (char)0xff;
    refused += reload(copy, olen, msg) == LFS_REFUSED;
  }
  CHECK(refused == olen);
  CHECK(strcmp(eval(ALPHA), "42") == 0);
  free(copy);
}

static void test_messages(const char *other, size_t olen) {
  char msg[256], *copy = (char *)malloc(olen);
  memcpy(copy, other, olen);
  copy[0] = 'X';
  CHECK(reload(copy, olen, msg) == LFS_REFUSED && strstr(msg, "bad magic"));
  memcpy(copy, other, olen);
  copy[8] = IMAGE_VERSION + 1;
  CHECK(reload(copy, olen, msg) == LFS_REFUSED && strstr(msg, "version 3"));
  memcpy(copy, other, olen);
  copy[20] = IMAGE_CONFIG == IMAGE_CONFIG_SMALL ? IMAGE_CONFIG_DEFAULT
                                                : IMAGE_CONFIG_SMALL;
  fixcrc(copy, olen);
  CHECK(reload(copy, olen, msg) == LFS_REFUSED &&
        strstr(msg, image_configname(IMAGE_CONFIG_DEFAULT)) &&
        strstr(msg, image_configname(IMAGE_CONFIG_SMALL)));
  memcpy(copy, other, olen);
  copy[28] ^= 1;
  fixcrc(copy, olen);
  CHECK(reload(copy, olen, msg) == LFS_REFUSED && strstr(msg, "seed"));
  memcpy(copy, other, olen);
  copy[olen - 1] ^= 1;
  CHECK(reload(copy, olen, msg) == LFS_REFUSED && strstr(msg, "checksum"));
  CHECK(reload(copy, 40, msg) == LFS_REFUSED && strstr(msg, "truncated"));
  CHECK(lfs_reload("/nonexistent/x.img", msg, 256) == LFS_REFUSED &&
        strstr(msg, "cannot open"));
  CHECK(strcmp(eval(ALPHA), "42") == 0);
  free(copy);
}

/* Spoiled protos, written with a valid checksum: a hostile image. */
static void bad_register(Proto *f) { SETARG_A(f->code[0], f->maxstacksize + 3); }
static void bad_constant(Proto *f) {
  f->code[0] = CREATE_ABx(OP_LOADK, 0, f->sizek + 2);
}
static void bad_jump(Proto *f) {
  f->code[0] = CREATE_ABx(OP_JMP, 0, f->sizecode + 5 + MAXARG_sBx);
}
static void bad_closure(Proto *f) {
  f->code[0] = CREATE_ABx(OP_CLOSURE, 0, f->sizep + 1);
}
static void bad_upvalue(Proto *f) {
  f->code[0] = CREATE_ABC(OP_GETUPVAL, 0, f->sizeupvalues + 1, 0);
}
static void no_return(Proto *f) { f->code[f->sizecode - 1] = CREATE_ABC(OP_MOVE, 0, 0, 0); }
static void bad_upvaldesc(Proto *f) {
  if (f->sizep > 0 && f->p[0]->sizeupvalues > 0) {
    f->p[0]->upvalues[0].instack = 1;
    f->p[0]->upvalues[0].idx = 250;
  }
}
static void bad_lines(Proto *f) {
  if (f->sizelineinfo > 0) f->lineinfo[0] = ML_ABSLINEINFO;
}

static void test_bytecode(void) {
  static const Patch patches[] = {bad_register, bad_constant, bad_jump,
                                  bad_closure, bad_upvalue, no_return,
                                  bad_upvaldesc, bad_lines};
  static const char *const expect[] = {
      "bad register", "bad constant", "bad jump", "bad function",
      "bad upvalue operand", "missing final RETURN", "bad upvalue descriptor",
      "bad line information"};
  size_t i;
  for (i = 0; i < sizeof patches / sizeof patches[0]; i++) {
    char msg[256];
    size_t len;
    char *img = image_of(base_mods, patches[i], &len);
    int r = reload(img, len, msg);
    if (r != LFS_REFUSED || strstr(msg, expect[i]) == NULL)
      printf("  patch %d: %s\n", (int)i, r == LFS_REFUSED ? msg : "loaded");
    CHECK(r == LFS_REFUSED && strstr(msg, expect[i]) != NULL);
    free(img);
  }
  CHECK(strcmp(eval(ALPHA), "42") == 0);
}

#define RUNALL \
  "for _, n in ipairs(node.LFS.list() or {}) do\n" \
  "  local ok, f = pcall(node.LFS.get, n)\n" \
  "  if ok and f then pcall(f, 1, 2) end\n" \
  "end return 'ok'"

/* Every byte of the checksummed part changed, the checksum made right:
** refused, or loaded and run without harm (the sanitizers watch). */
static void test_hostile(const char *other, size_t olen) {
  static const unsigned char masks[] = {0x01, 0x80, 0xff};
  char msg[256], *copy = (char *)malloc(olen);
  size_t n, m, loaded = 0, refused = 0, ran = 0;
  for (n = IMAGE_CRCFROM; n < olen; n++) {
    for (m = 0; m < sizeof masks; m++) {
      int r;
      memcpy(copy, other, olen);
      copy[n] ^= (char)masks[m];
      fixcrc(copy, olen);
      r = reload(copy, olen, msg);
      if (r == LFS_LOADED) {
        loaded++;
        ran += strcmp(eval(RUNALL), "ok") == 0;
      } else {
        refused += r == LFS_REFUSED;
      }
    }
  }
  CHECK(loaded + refused == (olen - IMAGE_CRCFROM) * sizeof masks);
  CHECK(ran == loaded);
  free(copy);
}

static void test_toobig(void) {
  char msg[256], src[6000];
  const char *mods[] = {"big", src, NULL};
  size_t len;
  char *img;
  memset(src, 0, sizeof src);
  strcpy(src, "return '");
  memset(src + 8, 'x', 5000);
  strcat(src, "'");
  img = image_of(mods, NULL, &len);
  CHECK(lfs_open(4096, NULL) == NULL);
  CHECK(reload(img, len, msg) == LFS_REFUSED && strstr(msg, "needs") &&
        strstr(msg, "4096"));
  free(img);
}

/* A state keeps its slot: the slot after next is busy until it is closed. */
static void test_busy(const char *base, size_t blen, const char *other,
                      size_t olen) {
  char msg[256];
  lua_State *L;
  CHECK(lfs_open(0, NULL) == NULL);
  CHECK(reload(base, blen, msg) == LFS_LOADED);
  L = moonlet_newstate(0);
  CHECK(reload(other, olen, msg) == LFS_LOADED);
  CHECK(reload(base, blen, msg) == LFS_REFUSED && strstr(msg, "in use"));
  lua_close(L);
  CHECK(reload(base, blen, msg) == LFS_LOADED);
  CHECK(strcmp(eval(ALPHA), "42") == 0);
}

/* Strings: one identity across flash and RAM; reserved words and
** metamethod names from flash work. */
static void test_strings(const char *other, size_t olen) {
  char msg[256];
  lua_State *L;
  CHECK(reload(other, olen, msg) == LFS_LOADED);
  L = moonlet_newstate(0);
  lua_pushstring(L, "__index");
  CHECK(isreadonly(tsvalue(L->top - 1)));
  lua_pushstring(L, "end");
  CHECK(isreadonly(tsvalue(L->top - 1)) && isreserved(tsvalue(L->top - 1)));
  lua_pushstring(L, "surely not in the image");
  CHECK(!isreadonly(tsvalue(L->top - 1)));
  lua_close(L);
  CHECK(strcmp(eval("local x = 1 while x < 3 do x = x + 1 end return x"), "3") == 0);
  CHECK(strcmp(eval("return node.LFS.gamma()()"), "x!") == 0);
}

static void test_sealed(void) {
  pid_t pid = fork();
  int status = 0;
  if (pid == 0) {
    struct sigaction sa;
    lua_State *L = moonlet_newstate(0);
    lfs_Info info;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = _exit;
    sigaction(SIGSEGV, &sa, NULL);
    sigaction(SIGBUS, &sa, NULL);
    lfs_info(L, &info);
    ((volatile char *)info.base)[sizeof(FlashHeader)] = 1;
    _exit(0);
  }
  CHECK(pid > 0 && waitpid(pid, &status, 0) == pid);
  CHECK(WIFEXITED(status) && (WEXITSTATUS(status) == SIGSEGV ||
                              WEXITSTATUS(status) == SIGBUS));
}

static char *readall(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  char *data;
  fseek(f, 0, SEEK_END);
  *len = (size_t)ftell(f);
  fseek(f, 0, SEEK_SET);
  data = (char *)malloc(*len);
  if (fread(data, 1, *len, f) != *len) *len = 0;
  fclose(f);
  return data;
}

static void writeall(const char *path, const char *data, size_t len) {
  FILE *f = fopen(path, "wb");
  fwrite(data, 1, len, f);
  fclose(f);
}

/*
** Cuts the power after n bytes of the reload of 'img', for every n until
** the reload completes: the flash then mounts the old image ('expect_old')
** or, once the header is whole, the new one.
*/
static void powercuts(const char *path, const char *img, size_t len,
                      const char *expect_old, const char *expect_new) {
  size_t flen, n, ok = 0, cuts = 0;
  char *saved = readall(path, &flen), msg[256];
  for (n = 0; n < 100000; n++) {
    int r;
    const char *got;
    writeall(path, saved, flen);
    CHECK(lfs_open(0, path) == NULL);
    lfs_setpowercut((long long)n);
    r = reload(img, len, msg);
    lfs_setpowercut(-1);
    lfs_close();
    CHECK(lfs_open(0, path) == NULL);
    got = eval(LIST);
    if (r == LFS_POWERCUT) {
      cuts++;
      ok += strcmp(got, expect_old) == 0;
      continue;
    }
    CHECK(r == LFS_LOADED && strcmp(got, expect_new) == 0);
    break;
  }
  CHECK(cuts > 0 && ok == cuts);
  free(saved);
}

static void test_powercut(const char *base, size_t blen, const char *other,
                          size_t olen) {
  char path[] = "/tmp/moonlet-flash-XXXXXX", msg[256];
  int fd = mkstemp(path);
  CHECK(fd >= 0);
  close(fd);
  CHECK(lfs_open(8192, path) == NULL);
  CHECK(reload(base, blen, msg) == LFS_LOADED);
  lfs_close();
  powercuts(path, other, olen, "alpha,beta", "gamma"); /* into slot 1 */
  CHECK(lfs_open(0, path) == NULL);
  CHECK(strcmp(eval(LIST), "gamma") == 0); /* survives a restart */
  lfs_close();
  powercuts(path, base, blen, "gamma", "alpha,beta"); /* over slot 0 */
  remove(path);
}

static void reseal(char *slot, size_t size) {
  FlashHeader *h = (FlashHeader *)slot;
  if (h->size < sizeof(FlashHeader) || h->size > size) return;
  h->bodycrc = image_crc32(0, slot + sizeof(FlashHeader),
                           h->size - sizeof(FlashHeader));
  h->headcrc = image_crc32(0, h, offsetof(FlashHeader, headcrc));
}

static char *native_of(const char *img, size_t len, size_t *size) {
  ImageInfo im;
  char msg[256], *slot;
  CHECK(image_read(&im, img, len, msg, sizeof msg) == NULL);
  *size = image_nativesize(&im);
  slot = (char *)malloc(*size);
  CHECK(image_build(&im, slot, 1));
  image_free(&im);
  return slot;
}

/* Bytes of a slot changed and its checksums made right: refused, or
** mounted in place and run without harm. */
static void test_native_hostile(const char *slot, size_t size) {
  char *copy = (char *)malloc(size);
  size_t n, accepted = 0, ran = 0;
  for (n = 0; n < size; n++) {
    memcpy(copy, slot, size);
    image_relocate(copy, (uintptr_t)copy, romset.base);
    copy[n] ^= (char)0x41;
    if (n < offsetof(FlashHeader, headcrc) ||
        n >= offsetof(FlashHeader, headcrc) + 4)
      reseal(copy, size); /* an attacker would */
    if (lfs_mountat(copy, size) != NULL) continue;
    accepted++;
    ran += strcmp(eval(RUNALL), "ok") == 0;
    lfs_close();
  }
  CHECK(ran == accepted);
  free(copy);
}

static void test_native(const char *base, size_t blen) {
  size_t size, size2;
  char *a = native_of(base, blen, &size), *b = native_of(base, blen, &size2);
  image_relocate(a, 0x08080000u, 0x08000200u);
  image_relocate(b, 0x08080000u, 0x08000200u);
  CHECK(size == size2 && memcmp(a, b, size) == 0); /* deterministic */
  CHECK(image_checkslot(a, size) == NULL);
  CHECK(image_checkslot(a, size - 1) != NULL);
  CHECK(image_verifyslot(a) != NULL); /* built for another address */
  CHECK(lfs_mountat(a, size) != NULL);
  image_relocate(a, (uintptr_t)a, romset.base);
  CHECK(image_verifyslot(a) == NULL);
  CHECK(lfs_mountat(a, size) == NULL);
  CHECK(strcmp(eval(ALPHA), "42") == 0);
  lfs_close();
  test_native_hostile(a, size);
  free(a);
  free(b);
}

/* --- ROM string references --------------------------------------------- */

static uint32_t le32(const char *p) {
  return image_getu32((const unsigned char *)p);
}

static void setle32(char *p, uint32_t v) {
  int i;
  for (i = 0; i < 4; i++) p[i] = (char)((v >> (8 * i)) & 0xff);
}

static size_t putvarint(char *p, uint64_t v) {
  size_t n = 0;
  do {
    p[n++] = (char)((v & 0x7f) | (v > 0x7f ? 0x80 : 0));
    v >>= 7;
  } while (v != 0);
  return n;
}

/*
** The image with the string section rewritten: the first ROM reference
** becomes reference 'index' (index >= 0), or a copy of its text (-1).
** Offsets, length and checksum are made right: only that entry is wrong.
*/
static char *rewrite_romref(const char *img, size_t len, long index,
                            size_t *newlen) {
  uint32_t protosat = le32(img + 52), modulesat = le32(img + 56);
  char *out = (char *)malloc(len + 64), *o = out + IMAGE_HEADERSIZE;
  ImageCursor c;
  int done = 0;
  c.p = (const unsigned char *)img + IMAGE_HEADERSIZE;
  c.end = (const unsigned char *)img + protosat;
  memcpy(out, img, IMAGE_HEADERSIZE);
  while (c.p < c.end) {
    uint64_t v = 0;
    image_getvarint(&c, &v);
    if ((v & 1) && !done) {
      const TString **list = (const TString **)malloc(
          sizeof(TString *) * (image_romlist(NULL) + 1));
      const TString *ts;
      done = 1;
      image_romlist(list);
      ts = list[v >> 1];
      free(list);
      if (index >= 0) {
        o += putvarint(o, 2 * (uint64_t)index + 1);
      } else {
        o += putvarint(o, 2 * (uint64_t)ts->shrlen);
        memcpy(o, getstr(ts), ts->shrlen);
        o += ts->shrlen;
      }
      continue;
    }
    o += putvarint(o, v);
    if ((v & 1) == 0) {
      memcpy(o, c.p, (size_t)(v >> 1));
      o += v >> 1;
      c.p += v >> 1;
    }
  }
  CHECK(done);
  memcpy(o, img + protosat, len - protosat);
  *newlen = (size_t)(o - out) + (len - protosat);
  setle32(out + 52, (uint32_t)(o - out));
  setle32(out + 56, (uint32_t)(o - out) + (modulesat - protosat));
  setle32(out + 16, (uint32_t)*newlen);
  fixcrc(out, *newlen);
  return out;
}

static const char *const rom_mods[] = {
    "rep", "local t = {}\n"
           "for k in pairs(string) do if k == 'format' then t[k] = 1 end end\n"
           "local function format() return 'x' end\n"
           "return t.format, rawequal(next(t), 'format'), format()",
    NULL};

#define ROMRUN "return select('#', node.LFS.rep()) .. ' ' .. \
tostring(select(2, node.LFS.rep())) .. ' ' .. node.LFS.rep()"

/* The image's "format" is the ROM string: one object, no RAM copy. */
static void test_rom_identity(const char *img, size_t len) {
  char msg[256];
  lua_State *L;
  CHECK(reload(img, len, msg) == LFS_LOADED);
  L = moonlet_newstate(0);
  lua_pushstring(L, "format");
  CHECK(image_isromstring(tsvalue(L->top - 1), &romset));
  lua_close(L);
  CHECK(strcmp(eval(ROMRUN), "3 true 1") == 0);
  CHECK(strcmp(eval(LIST), "rep") == 0); /* a module named by a ROM text */
}

/* Images built against another ROM set, or with a bad reference, are
** refused with the reason; the mounted image stays. */
static void test_rom_refused(const char *img, size_t len) {
  char msg[256], *copy = (char *)malloc(len), *bad;
  size_t blen;
  memcpy(copy, img, len);
  setle32(copy + 64, le32(copy + 64) ^ 1); /* fingerprint */
  fixcrc(copy, len);
  CHECK(reload(copy, len, msg) == LFS_REFUSED &&
        strstr(msg, "another set of ROM strings") != NULL);
  memcpy(copy, img, len);
  setle32(copy + 60, le32(copy + 60) + 1); /* count */
  fixcrc(copy, len);
  CHECK(reload(copy, len, msg) == LFS_REFUSED &&
        strstr(msg, "another set of ROM strings") != NULL);
  CHECK(strcmp(eval(ROMRUN), "3 true 1") == 0); /* the mounted one stays */
  bad = rewrite_romref(img, len, (long)romset.count, &blen);
  CHECK(reload(bad, blen, msg) == LFS_REFUSED &&
        strstr(msg, "bad ROM string reference") != NULL);
  free(bad);
  bad = rewrite_romref(img, len, (long)romset.count - 1, &blen);
  CHECK(reload(bad, blen, msg) == LFS_LOADED); /* the last one is valid */
  free(bad);
  bad = rewrite_romref(img, len, -1, &blen);
  CHECK(reload(bad, blen, msg) == LFS_REFUSED &&
        strstr(msg, "copies a ROM string") != NULL);
  free(bad);
  CHECK(reload(img, len, msg) == LFS_LOADED);
  free(copy);
}

/* A native slot points at the ROM strings: relocated with them, refused
** where they are elsewhere or another set. */
static void test_rom_native(const char *img, size_t len) {
  size_t size;
  char *a = native_of(img, len, &size);
  FlashHeader *h = (FlashHeader *)a;
  CHECK(h->romrefs > 0 && h->rombase == romset.base &&
        h->romcount == romset.count);
  image_relocate(a, 0x08080000u, 0x08000200u);
  CHECK(h->rombase == 0x08000200u);
  image_relocate(a, (uintptr_t)a, romset.base + 64);
  CHECK(image_verifyslot(a) != NULL &&
        strstr(image_verifyslot(a), "ROM strings") != NULL);
  image_relocate(a, (uintptr_t)a, romset.base);
  CHECK(image_verifyslot(a) == NULL);
  CHECK(lfs_mountat(a, size) == NULL);
  CHECK(strcmp(eval(ROMRUN), "3 true 1") == 0);
  lfs_close();
  h->romcrc ^= 1;
  reseal(a, size);
  CHECK(image_checkslot(a, size) != NULL &&
        strstr(image_checkslot(a, size), "ROM strings") != NULL);
  CHECK(lfs_mountat(a, size) != NULL);
  free(a);
}

/* A flash file written by a run whose ROM strings were elsewhere (a
** position-independent executable): the next start moves its ROM
** pointers to this run's and mounts it. */
static void test_rom_flashfile(const char *img, size_t len) {
  char path[] = "/tmp/moonlet-romflash-XXXXXX", msg[256], *data;
  int fd = mkstemp(path);
  size_t flen;
  FlashHeader *h;
  close(fd);
  CHECK(lfs_open(0, path) == NULL);
  CHECK(reload(img, len, msg) == LFS_LOADED);
  lfs_close();
  data = readall(path, &flen);
  h = (FlashHeader *)data; /* the first reload writes slot 0 */
  CHECK(h->romrefs > 0);
  image_relocate(data, h->base, romset.base + 4096);
  writeall(path, data, flen);
  CHECK(lfs_open(0, path) == NULL);
  CHECK(strcmp(eval(ROMRUN), "3 true 1") == 0);
  lfs_close();
  free(data);
  remove(path);
}

static void test_rom(void) {
  size_t len;
  char *img = image_of(rom_mods, NULL, &len);
  CHECK(lfs_open(0, NULL) == NULL);
  test_rom_identity(img, len);
  test_rom_refused(img, len);
  CHECK(strcmp(eval(ROMRUN), "3 true 1") == 0);
  lfs_close();
  test_rom_native(img, len);
  test_rom_flashfile(img, len);
  free(img);
}

static void test_dumpstrings(void) {
  char path[] = "/tmp/moonlet-strings-XXXXXX";
  int fd = mkstemp(path);
  lua_State *L = moonlet_newstate(0);
  size_t len;
  char *text;
  close(fd);
  luaL_openlibs(L);
  lua_pushstring(L, "a \"quoted\"\n string");
  lua_setglobal(L, "keep");
  CHECK(lfs_dumpstrings(L, path));
  text = readall(path, &len);
  CHECK(len > 0 && strstr(text, "\"a \\034quoted\\034\\010 string\",") != NULL);
  CHECK(luaL_loadfile(L, path) == LUA_OK);
  lua_close(L);
  free(text);
  remove(path);
}

int main(void) {
  size_t blen, olen;
  char *base, *other;
  image_romset(&romset);
  base = image_of(base_mods, NULL, &blen);
  other = image_of(other_mods, NULL, &olen);
  test_roundtrip(base, blen);
  test_deterministic(base, blen);
  test_truncated_flipped(other, olen);
  test_messages(other, olen);
  test_bytecode();
  test_sealed();
  test_strings(other, olen);
  test_busy(base, blen, other, olen);
  test_hostile(other, olen);
  test_toobig();
  lfs_close();
  test_powercut(base, blen, other, olen);
  lfs_close();
  test_native(base, blen);
  test_rom();
  test_dumpstrings();
  lfs_close();
  free(base);
  free(other);
  return check_report();
}
