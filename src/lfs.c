/*
** lfs.c: the flash store: two slots of flash, the image mounted for new
** states, reload, module lookup. A reload writes only the slot that is not
** mounted, and a slot counts only once its header (written last) is whole,
** so a refused image or a reload cut at any byte leaves the mounted image
** intact. Once built, a slot is read-only (mprotect on the desktop).
*/
#include <errno.h>
#include <stddef.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lfs.h"

#include "api.h"
#include "func.h"
#include "image.h"
#include "lauxlib.h"
#include "moonlet.h"
#include "state.h"

/*
** ML_FLASH_POSIX: slots in an mmap'd region sealed with mprotect, and the
** optional flash file (POSIX). Where it is 0 (a device), an image is only
** mounted in place (lfs_mountat). Default: 1 on Unix-like systems.
*/
#ifndef ML_FLASH_POSIX
#if defined(__unix__) || defined(__APPLE__)
#define ML_FLASH_POSIX 1
#else
#define ML_FLASH_POSIX 0
#endif
#endif

#if ML_FLASH_POSIX
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#endif

#define HEADSIZE sizeof(FlashHeader)

typedef struct Store {
  char *slot[2];        /* the slots' memory */
  size_t slotsize;
  size_t mapsize;       /* bytes mapped for both slots; 0 when not mapped */
  int mounted;          /* the slot new states use, -1 for none */
  unsigned attached[2]; /* live states using each slot */
  uint32_t generation;  /* of the mounted slot */
  int fd;               /* the flash file, or -1 */
  long long budget;     /* bytes the file may still take; < 0: no limit */
  int inplace;          /* mounted in place by lfs_mountat: never written */
  lfs_Handler handler;
  void *ud;
} Store;

static Store store = {{NULL, NULL}, 0, 0, -1, {0, 0}, 0, -1, -1, 0, NULL, NULL};

static const FlashHeader *mountedheader(void) {
  return store.mounted < 0 ? NULL
                           : (const FlashHeader *)store.slot[store.mounted];
}

static int refuse(char *msg, size_t msgsize, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, msgsize, fmt, ap);
  va_end(ap);
  return LFS_REFUSED;
}

/* --- the desktop flash: mapped slots and the flash file ------------------- */

#if ML_FLASH_POSIX

static size_t pageround(size_t n) {
  size_t page = (size_t)sysconf(_SC_PAGESIZE);
  return (n + page - 1) / page * page;
}

static void protect(int j, int writable) {
  mprotect(store.slot[j], store.slotsize,
           writable ? PROT_READ | PROT_WRITE : PROT_READ);
}

static int fullio(int write, void *p, size_t n, off_t at) {
  char *s = (char *)p;
  while (n > 0) {
    ssize_t k = write ? pwrite(store.fd, s, n, at) : pread(store.fd, s, n, at);
    if (k <= 0) {
      if (k < 0 && errno == EINTR) continue;
      return 0;
    }
    s += k;
    n -= (size_t)k;
    at += k;
  }
  return 1;
}

/* A new file is erased flash: two slots of 0xff. */
static int eraseall(void) {
  char buf[4096];
  size_t done;
  memset(buf, 0xff, sizeof buf);
  for (done = 0; done < 2 * store.slotsize; done += sizeof buf)
    if (!fullio(1, buf, sizeof buf, (off_t)done)) return 0;
  return 1;
}

/* Opens the file and settles the slot size: the file's when it has one. */
static const char *openfile(const char *file, size_t *size) {
  static char msg[200];
  struct stat st;
  store.fd = open(file, O_RDWR | O_CREAT, 0644);
  if (store.fd < 0 || fstat(store.fd, &st) != 0) {
    snprintf(msg, sizeof msg, "cannot open flash file %s: %s", file,
             strerror(errno));
    return msg;
  }
  if (st.st_size == 0) return NULL;
  if ((size_t)st.st_size % 2 != 0 ||
      pageround((size_t)st.st_size / 2) != (size_t)st.st_size / 2) {
    snprintf(msg, sizeof msg, "%s is not a flash file", file);
    return msg;
  }
  if (*size != 0 && pageround(*size) != (size_t)st.st_size / 2) {
    snprintf(msg, sizeof msg, "flash file %s holds slots of %lu bytes, not %lu",
             file, (unsigned long)(st.st_size / 2),
             (unsigned long)pageround(*size));
    return msg;
  }
  *size = (size_t)st.st_size / 2;
  return NULL;
}

/* A slot of the file, checked, moved to where it is mapped; or zeros. */
static int loadslot(int j) {
  FlashHeader *h = (FlashHeader *)store.slot[j];
  int ok;
  protect(j, 1);
  ok = fullio(0, h, store.slotsize, (off_t)j * (off_t)store.slotsize) &&
       image_checkslot(h, store.slotsize) == NULL;
  if (ok) {
    ImageRomSet rs;
    image_romset(&rs);
    if (h->base != (uintptr_t)h || h->rombase != rs.base)
      image_relocate(h, (uintptr_t)h, rs.base); /* another run's addresses */
    ok = image_verifyslot(h) == NULL;
  }
  if (!ok) memset(h, 0, store.slotsize);
  protect(j, 0);
  return ok;
}

/* At start, as a device boots: the newest valid slot is mounted. */
static void mountnewest(void) {
  int j;
  for (j = 0; j < 2; j++) {
    const FlashHeader *h = (const FlashHeader *)store.slot[j];
    if (loadslot(j) && (store.mounted < 0 || h->generation > store.generation)) {
      store.mounted = j;
      store.generation = h->generation;
    }
  }
}

static const char *mapslots(size_t size) {
  void *map = mmap(NULL, 2 * size, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS,
                   -1, 0);
  if (map == MAP_FAILED) return "cannot map the flash region";
  store.mapsize = 2 * size;
  store.slotsize = size;
  store.slot[0] = (char *)map;
  store.slot[1] = (char *)map + size;
  return NULL;
}

const char *lfs_open(size_t size, const char *file) {
  const char *msg = NULL;
  int fresh = 0;
  lfs_close();
  if (file != NULL && (msg = openfile(file, &size)) != NULL) {
    lfs_close();
    return msg;
  }
  size = pageround(size != 0 ? size : LFS_DEFAULTSIZE);
  if (store.fd >= 0) {
    struct stat st;
    fresh = fstat(store.fd, &st) == 0 && st.st_size == 0;
  }
  if ((msg = mapslots(size)) != NULL ||
      (fresh && !eraseall() && (msg = "cannot write the flash file"))) {
    lfs_close();
    return msg;
  }
  if (store.fd >= 0) mountnewest();
  return NULL;
}

void lfs_close(void) {
  if (store.mapsize > 0) munmap(store.slot[0], store.mapsize);
  if (store.fd >= 0) close(store.fd);
  store.slot[0] = store.slot[1] = NULL;
  store.slotsize = store.mapsize = 0;
  store.mounted = -1;
  store.attached[0] = store.attached[1] = 0;
  store.generation = 0;
  store.fd = -1;
  store.inplace = 0;
}

/* 1 written, 0 power cut (the budget ran out), -1 write error. */
static int flashwrite(off_t at, const void *p, size_t n) {
  size_t allowed = n;
  if (store.budget >= 0 && (unsigned long long)store.budget < n)
    allowed = (size_t)store.budget;
  if (!fullio(1, (void *)p, allowed, at)) return -1;
  if (store.budget >= 0) store.budget -= (long long)allowed;
  return allowed == n;
}

/*
** Programs slot j of the file from its memory: the old header is erased
** first, the header is written last, up to headcrc (its padding stays
** erased). Until the last byte of headcrc is written the slot is invalid,
** and the other slot is the newest valid one.
*/
static int program(int j) {
  const char *s = store.slot[j];
  const FlashHeader *h = (const FlashHeader *)s;
  off_t at = (off_t)j * (off_t)store.slotsize;
  unsigned char erased[HEADSIZE];
  int r;
  memset(erased, 0xff, sizeof erased);
  if ((r = flashwrite(at, erased, HEADSIZE)) != 1) return r;
  if ((r = flashwrite(at + (off_t)HEADSIZE, s + HEADSIZE, h->size - HEADSIZE)) != 1)
    return r;
  return flashwrite(at, s, offsetof(FlashHeader, headcrc) + sizeof h->headcrc);
}

static int writeslot(int j, const ImageInfo *im, uint32_t generation) {
  int ok;
  protect(j, 1);
  ok = image_build(im, store.slot[j], generation);
  protect(j, 0);
  return ok;
}

#else /* !ML_FLASH_POSIX: flash is only mounted in place */

const char *lfs_open(size_t size, const char *file) {
  (void)size;
  (void)file;
  return "no flash region on this platform (mount an image in place)";
}

void lfs_close(void) {
  store.slot[0] = store.slot[1] = NULL;
  store.slotsize = 0;
  store.mounted = -1;
  store.attached[0] = store.attached[1] = 0;
  store.inplace = 0;
}

static int program(int j) {
  (void)j;
  return -1;
}

static int writeslot(int j, const ImageInfo *im, uint32_t generation) {
  (void)j;
  (void)im;
  (void)generation;
  return 0;
}

#endif

void lfs_setpowercut(long long n) {
  store.budget = n < 0 ? -1 : n;
}

/* --- reload --------------------------------------------------------------- */

static int sameimage(const void *data, size_t len) {
  const FlashHeader *h = mountedheader();
  return h != NULL && h->srclen == len &&
         h->srccrc == image_crc32(0, data, len);
}

/* The slot that is not mounted, if no live state uses it. */
static int freeslot(char *msg, size_t msgsize) {
  int j = store.mounted < 0 ? 0 : 1 - store.mounted;
  if (store.attached[j] > 0) {
    refuse(msg, msgsize, "flash slot in use: restart before reloading again");
    return -1;
  }
  return j;
}

static int install(const ImageInfo *im, char *msg, size_t msgsize) {
  size_t need = image_nativesize(im);
  int j, r;
  if (need > store.slotsize)
    return refuse(msg, msgsize,
                  "image needs %lu bytes of flash, the region has %lu",
                  (unsigned long)need, (unsigned long)store.slotsize);
  if ((j = freeslot(msg, msgsize)) < 0) return LFS_REFUSED;
  if (!writeslot(j, im, store.generation + 1))
    return refuse(msg, msgsize, "not enough memory to load the image");
  if (store.fd >= 0 && (r = program(j)) != 1) {
    if (r == 0) {
      snprintf(msg, msgsize, "power cut during the flash write (simulated)");
      return LFS_POWERCUT;
    }
    return refuse(msg, msgsize, "cannot write the flash file: %s",
                  strerror(errno));
  }
  store.mounted = j;
  store.generation++;
  return LFS_LOADED;
}

int lfs_reloadbuffer(const void *data, size_t len, char *msg, size_t msgsize) {
  ImageInfo im;
  const char *err;
  int r;
  if (store.slot[0] == NULL && (err = lfs_open(0, NULL)) != NULL)
    return refuse(msg, msgsize, "%s", err);
  if (store.inplace)
    return refuse(msg, msgsize, "the flash image is mounted in place");
  if (sameimage(data, len)) return LFS_SAME;
  if (image_read(&im, data, len, msg, msgsize) != NULL) {
    image_free(&im);
    return LFS_REFUSED;
  }
  r = install(&im, msg, msgsize);
  image_free(&im);
  return r;
}

int lfs_reload(const char *path, char *msg, size_t msgsize) {
  FILE *f = fopen(path, "rb");
  char *data = NULL;
  size_t len = 0, cap = 0;
  int r;
  if (f == NULL)
    return refuse(msg, msgsize, "cannot open %s: %s", path, strerror(errno));
  for (;;) {
    if (len == cap) {
      char *nd = (char *)realloc(data, cap = cap ? 2 * cap : 65536);
      if (nd == NULL) break;
      data = nd;
    }
    size_t k = fread(data + len, 1, cap - len, f);
    len += k;
    if (k == 0) break;
  }
  if (ferror(f) || len == cap) {
    fclose(f);
    free(data);
    return refuse(msg, msgsize, "cannot read %s", path);
  }
  fclose(f);
  r = lfs_reloadbuffer(data, len, msg, msgsize);
  free(data);
  return r;
}

const char *lfs_mountat(const void *addr, size_t size) {
  const char *msg;
  if (((uintptr_t)addr % FLASH_ALIGN) != 0) return "misaligned flash image";
  if ((msg = image_checkslot(addr, size)) != NULL ||
      (msg = image_verifyslot(addr)) != NULL)
    return msg;
  lfs_close();
  store.slot[0] = (char *)addr;
  store.slotsize = size;
  store.mounted = 0;
  store.generation = ((const FlashHeader *)addr)->generation;
  store.inplace = 1;
  return NULL;
}

void lfs_sethandler(lfs_Handler h, void *ud) {
  store.handler = h;
  store.ud = ud;
}

void lfs_signal(int what) {
  if (store.handler != NULL) store.handler(store.ud, what);
}

/* --- states and lookup --------------------------------------------------- */

void lfs_attach(lua_State *L) {
  global_State *g = G(L);
  const FlashHeader *h = mountedheader();
  if (h == NULL) {
    g->rostrings = NULL;
    g->flash_lo = g->flash_hi = NULL;
    return;
  }
  g->rostrings = h->strings;
  g->flash_lo = (const char *)h;
  g->flash_hi = (const char *)h + h->size;
  store.attached[store.mounted]++;
}

void lfs_detach(lua_State *L) {
  int j;
  for (j = 0; j < 2; j++)
    if (G(L)->flash_lo != NULL && G(L)->flash_lo == store.slot[j] &&
        store.attached[j] > 0)
      store.attached[j]--;
  G(L)->flash_lo = G(L)->flash_hi = NULL;
  G(L)->rostrings = NULL;
}

static const FlashHeader *stateheader(lua_State *L) {
  return (const FlashHeader *)G(L)->flash_lo;
}

static int namecmp(const TString *ts, const char *s, size_t len) {
  size_t n = tsslen(ts);
  int c = memcmp(getstr(ts), s, n < len ? n : len);
  if (c != 0) return c;
  return n < len ? -1 : n > len;
}

static const FlashModule *findmodule(const FlashHeader *h, const char *name) {
  size_t len = strlen(name);
  uint32_t lo = 0, hi = h->nmodules;
  while (lo < hi) {
    uint32_t mid = lo + (hi - lo) / 2;
    int c = namecmp(h->modules[mid].name, name, len);
    if (c == 0) return &h->modules[mid];
    if (c < 0) lo = mid + 1;
    else hi = mid;
  }
  return NULL;
}

/* A closure in RAM over the flash proto, _ENV the globals (as lua_load). */
static void pushmodule(lua_State *L, const Proto *p) {
  LClosure *cl;
  luaL_checkstack(L, 2, "too many values");
  cl = func_newLclosure(L, p->sizeupvalues);
  cl->p = (Proto *)p;
  setclLvalue(L, L->top, cl);
  api_incr_top(L);
  func_initupvals(L, cl);
  if (p->sizeupvalues > 0) {
    lua_rawgeti(L, LUA_REGISTRYINDEX, LUA_RIDX_GLOBALS);
    lua_setupvalue(L, -2, 1);
  }
}

int moonlet_lfs_get(lua_State *L, const char *name) {
  const FlashHeader *h = stateheader(L);
  const FlashModule *m;
  if (h == NULL || name == NULL || (m = findmodule(h, name)) == NULL) return 0;
  pushmodule(L, m->main);
  return 1;
}

int lfs_getfile(lua_State *L, const char *path) {
  const char *base = strrchr(path, '/');
  char name[256];
  size_t len;
  base = base != NULL ? base + 1 : path;
  len = strlen(base);
  if (len > 4 && strcmp(base + len - 4, ".lua") == 0) len -= 4;
  else if (len > 3 && strcmp(base + len - 3, ".lc") == 0) len -= 3;
  if (len == 0 || len >= sizeof name) return 0;
  memcpy(name, base, len);
  name[len] = '\0';
  return moonlet_lfs_get(L, name);
}

int lfs_info(lua_State *L, lfs_Info *info) {
  const FlashHeader *h = stateheader(L);
  info->base = h;
  info->size = store.slot[0] != NULL ? store.slotsize : LFS_DEFAULTSIZE;
  info->used = h != NULL ? h->size : 0;
  info->time = h != NULL ? h->time_lo | ((uint64_t)h->time_hi << 32) : 0;
  info->nmodules = h != NULL ? (int)h->nmodules : 0;
  return h != NULL;
}

const char *lfs_modulename(lua_State *L, int i) {
  const FlashHeader *h = stateheader(L);
  if (h == NULL || i < 0 || (uint32_t)i >= h->nmodules) return NULL;
  return getstr(h->modules[i].name);
}

/* --- --dump-strings -------------------------------------------------------- */

static int cmpstrings(const void *a, const void *b) {
  const TString *x = *(const TString *const *)a, *y = *(const TString *const *)b;
  int c = memcmp(getstr(x), getstr(y), x->shrlen < y->shrlen ? x->shrlen : y->shrlen);
  if (c != 0) return c;
  return x->shrlen < y->shrlen ? -1 : x->shrlen > y->shrlen;
}

/* Every byte outside printable ASCII, and the quote and backslash, as a
** three-digit escape, so that no digit after it can change it. */
static void writeliteral(FILE *f, const TString *ts) {
  const unsigned char *s = (const unsigned char *)getstr(ts);
  size_t i;
  fputs("  \"", f);
  for (i = 0; i < ts->shrlen; i++) {
    if (s[i] >= ' ' && s[i] < 127 && s[i] != '"' && s[i] != '\\')
      fputc(s[i], f);
    else
      fprintf(f, "\\%03d", s[i]);
  }
  fputs("\",\n", f);
}

static const TString **collectstrings(global_State *g, size_t *n) {
  const TString **all;
  size_t count = 0;
  int b;
  for (b = 0; b < g->strt.size; b++) {
    const TString *ts;
    for (ts = g->strt.hash[b]; ts != NULL; ts = ts->u.hnext) count++;
  }
  all = (const TString **)malloc(sizeof(TString *) * (count + 1));
  if (all == NULL) return NULL;
  count = 0;
  for (b = 0; b < g->strt.size; b++) {
    const TString *ts;
    for (ts = g->strt.hash[b]; ts != NULL; ts = ts->u.hnext) all[count++] = ts;
  }
  qsort(all, count, sizeof(TString *), cmpstrings);
  *n = count;
  return all;
}

int lfs_dumpstrings(lua_State *L, const char *path) {
  const TString **all;
  size_t n, i;
  FILE *f;
  lua_gc(L, LUA_GCCOLLECT, 0);
  if ((all = collectstrings(G(L), &n)) == NULL) return 0;
  if ((f = fopen(path, "w")) == NULL) {
    free(all);
    return 0;
  }
  fputs("-- The strings in RAM when the program ended (moonlet --dump-strings).\n"
        "-- Built into the flash image with the application, they go to the\n"
        "-- flash string table: the program makes them again at no RAM cost.\n"
        "local _ = {\n", f);
  for (i = 0; i < n; i++) writeliteral(f, all[i]);
  fputs("}\n", f);
  free(all);
  return fclose(f) == 0;
}
