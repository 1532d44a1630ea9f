/*
** heap.c: the tagged allocator of heap.h, TLSF-style: two-level segregated
** free lists (exact-fit bins below 128 bytes) with immediate coalescing.
** Invariant: a region is a gap-free run of blocks ended by a zero-size used
** sentinel, no two free blocks are ever neighbours, and the sweep cursor
** (heapgc.h) always points at the start of a block.
*/
#include <stdint.h>
#include <string.h>

#include "heap.h"
#include "heapgc.h"

/*
** Block layout. One header word (size_t: 4 bytes in a 32-bit build, 8 in a
** 64-bit one) precedes every payload; payloads are GRAIN-aligned and block
** sizes are multiples of GRAIN, so the header holds
**     bits 0-3  tag (ML_TAG_FREE for free blocks)
**     bit 4     USED
**     bit 5     PREVFREE: the block just before this one is free
**     bits 6..  size / GRAIN (the size is the whole block, header included)
** A free block also keeps its two free-list links at the start of its
** payload and its size in its last word (the footer), so that the block
** after it can find it; a used block pays the header word only.
*/
typedef size_t Word;

#define WORD sizeof(Word)
#define GRAIN ((size_t)8)
#define TAGMASK ((Word)0x0F)
#define USEDBIT ((Word)0x10)
#define PREVFREE ((Word)0x20)
#define SIZESHIFT 3 /* header = size << 3 | flags, size a multiple of 8 */
#define MAXBLOCK ((~(size_t)0 >> SIZESHIFT) & ~(GRAIN - 1))

typedef struct Links {
  char *next, *prev; /* free-list neighbours (block addresses) */
} Links;

#define MINBLOCK (((WORD + sizeof(Links) + WORD) + GRAIN - 1) & ~(GRAIN - 1))

/*
** Size classes: sizes below 64 bytes map to level 0, one bin per 8 bytes;
** from 64 on, level fl = log2(size) - 5 holds 8 bins of equal width (so the
** bins up to 127 bytes are still exact).
*/
#define SLBITS 3
#define NSL (1u << SLBITS)
#define SMALLSIZE ((size_t)1 << (SLBITS + 3))

/* One chunk obtained from the lua_Alloc. */
typedef struct Region {
  struct Region *next; /* in address order */
  char *first;         /* first block */
  char *end;           /* the sentinel */
  size_t size;         /* bytes obtained */
} Region;

struct Heap {
  lua_Alloc f;
  void *ud;
  size_t cap;      /* 0: growable */
  Region *regions; /* the first one holds this struct */
  size_t total;    /* bytes of all regions */
  size_t overhead; /* bytes of regions outside any block */
  size_t used, peak;
  size_t lowfree;  /* lowest free byte count seen */
  size_t nregions;
  Region *sweepr;  /* the region being swept, NULL when no sweep runs */
  char *sweepb;    /* the next block the sweep looks at, in sweepr */
  size_t flmap;          /* bit fl: some list of level fl is not empty */
  unsigned nfl;          /* levels */
  unsigned char *slmap;  /* per level, bit sl: list (fl, sl) not empty */
  char **lists;          /* nfl * NSL free lists */
};

const char *const heap_tagnames[ML_NTAGS] = {
#define ML_TAG_NAME(name, text) text,
    ML_HEAP_TAGS(ML_TAG_NAME)
#undef ML_TAG_NAME
};

/* ---------- words and bits ---------- */

static inline Word *hdr(char *b) { return (Word *)(void *)b; }
static inline Word hget(const char *b) {
  return *(const Word *)(const void *)b;
}
static inline size_t bsize(const char *b) {
  return (size_t)(hget(b) >> SIZESHIFT) & ~(GRAIN - 1);
}
static inline int isused(const char *b) { return (hget(b) & USEDBIT) != 0; }
static inline int btag(const char *b) { return (int)(hget(b) & TAGMASK); }
static inline Links *links(char *b) { return (Links *)(void *)(b + WORD); }
static inline char *blockof(const void *p) { return (char *)p - WORD; }

/* A used block never carries ML_TAG_FREE: the walk would count it free. */
static inline Word usedtag(int tag) {
  return (tag > ML_TAG_FREE && tag < ML_NTAGS) ? (Word)tag : ML_TAG_OTHER;
}

static inline uintptr_t alignup(uintptr_t x, size_t a) {
  return (x + (a - 1)) & ~(uintptr_t)(a - 1);
}

static int msb(size_t x) { /* x > 0 */
#if defined(__GNUC__)
  return (int)(sizeof(unsigned long long) * 8 - 1) -
         __builtin_clzll((unsigned long long)x);
#else
  int n = 0;
  while (x >>= 1) n++;
  return n;
#endif
}

static int lsb(size_t x) { /* x > 0 */
#if defined(__GNUC__)
  return __builtin_ctzll((unsigned long long)x);
#else
  int n = 0;
  while (!(x & 1)) { x >>= 1; n++; }
  return n;
#endif
}

/* Block size for a request of 'n' payload bytes; 0 when impossible. */
static size_t blockfor(size_t n) {
  size_t bs;
  if (n > MAXBLOCK - WORD - GRAIN) return 0;
  bs = (n + WORD + GRAIN - 1) & ~(GRAIN - 1);
  return bs < MINBLOCK ? MINBLOCK : bs;
}

/* ---------- AddressSanitizer ---------- */

/*
** Under ASan the payload of every free block (but its links and footer,
** which the allocator reads) is poisoned, so that a use of a freed object
** (a collector bug) is reported at once. A free block is poisoned when it
** joins a list and unpoisoned when it leaves one: every free block does.
*/
#if defined(__SANITIZE_ADDRESS__)
#define ML_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define ML_ASAN 1
#endif
#endif

#if ML_ASAN
#include <sanitizer/asan_interface.h>
static void poisonfree(char *b) {
  char *lo = b + WORD + sizeof(Links), *hi = b + bsize(b) - WORD;
  if (hi > lo) ASAN_POISON_MEMORY_REGION(lo, (size_t)(hi - lo));
}
static void unpoisonfree(char *b) { ASAN_UNPOISON_MEMORY_REGION(b, bsize(b)); }
#else
#define poisonfree(b) ((void)0)
#define unpoisonfree(b) ((void)0)
#endif

/* ---------- free lists ---------- */

static inline void mapping(size_t size, unsigned *fl, unsigned *sl) {
  if (size < SMALLSIZE) {
    *fl = 0;
    *sl = (unsigned)(size >> 3);
  } else {
    int m = msb(size);
    *fl = (unsigned)(m - (SLBITS + 2));
    *sl = (unsigned)(size >> (m - SLBITS)) ^ NSL;
  }
}

/* The smallest size whose whole class holds blocks of 'size' or more. */
static size_t roundclass(size_t size) {
  if (size < 2 * SMALLSIZE) return size; /* exact classes */
  return size + ((size_t)1 << (msb(size) - SLBITS)) - 1;
}

static inline void insertfree(Heap *h, char *b) {
  unsigned fl, sl;
  char **head;
  mapping(bsize(b), &fl, &sl);
  head = &h->lists[fl * NSL + sl];
  links(b)->next = *head;
  links(b)->prev = NULL;
  if (*head) links(*head)->prev = b;
  *head = b;
  h->slmap[fl] |= (unsigned char)(1u << sl);
  h->flmap |= (size_t)1 << fl;
  poisonfree(b);
}

static inline void removefree(Heap *h, char *b) {
  unsigned fl, sl;
  Links *l = links(b);
  unpoisonfree(b);
  mapping(bsize(b), &fl, &sl);
  if (l->next) links(l->next)->prev = l->prev;
  if (l->prev) links(l->prev)->next = l->next;
  else {
    h->lists[fl * NSL + sl] = l->next;
    if (l->next == NULL) {
      h->slmap[fl] &= (unsigned char)~(1u << sl);
      if (h->slmap[fl] == 0) h->flmap &= ~((size_t)1 << fl);
    }
  }
}

/* First block of the first non-empty list at or above (fl, sl). */
static char *searchfrom(const Heap *h, unsigned fl, unsigned sl) {
  unsigned m = h->slmap[fl] & (0xFFu << sl) & 0xFFu;
  if (m == 0) {
    size_t fm = h->flmap & (~(size_t)0 << (fl + 1));
    if (fm == 0) return NULL;
    fl = (unsigned)lsb(fm);
    m = h->slmap[fl];
  }
  return h->lists[fl * NSL + (unsigned)lsb(m)];
}

/*
** A free block of at least 'bs' bytes: a good fit from a class that
** surely fits, else (near exhaustion) first fit in the class of 'bs'.
*/
static char *findfree(const Heap *h, size_t bs) {
  unsigned fl, sl;
  char *b;
  mapping(roundclass(bs), &fl, &sl);
  if (fl < h->nfl && (b = searchfrom(h, fl, sl)) != NULL) return b;
  mapping(bs, &fl, &sl);
  if (fl >= h->nfl) return NULL;
  for (b = h->lists[fl * NSL + sl]; b != NULL; b = links(b)->next)
    if (bsize(b) >= bs) return b;
  return NULL;
}

/* ---------- blocks ---------- */

/* Writes a free block's header and footer. Its previous block is used. */
static void setfree(char *b, size_t size) {
  *hdr(b) = (Word)size << SIZESHIFT;
  *hdr(b + size - WORD) = (Word)size;
}

static void setused(Heap *h, char *b, size_t size, Word flags) {
  *hdr(b) = ((Word)size << SIZESHIFT) | USEDBIT | flags;
  h->used += size;
  if (h->used > h->peak) h->peak = h->used;
  if (heap_free_bytes(h) < h->lowfree) h->lowfree = heap_free_bytes(h);
}

/* Block 'gone' stops being a block start, absorbed into block 'into'. */
static inline void absorbed(Heap *h, const char *gone, char *into) {
  if (h->sweepb == gone) h->sweepb = into;
}

/*
** Frees used block b and merges it with free neighbours; returns the start
** of the resulting free block. b's own header keeps its size with USED
** cleared even when it is merged into its predecessor, so a walk that
** resumes at b (heap_sweep) still finds the next block boundary.
*/
static inline char *release(Heap *h, char *b) {
  size_t size = bsize(b);
  char *next = b + size;
  h->used -= size;
  *hdr(b) &= ~(USEDBIT | TAGMASK);
  if (!isused(next)) {
    removefree(h, next);
    size += bsize(next);
    absorbed(h, next, b);
  }
  if (hget(b) & PREVFREE) {
    size_t psize = (size_t)hget(b - WORD);
    char *old = b;
    b -= psize;
    removefree(h, b);
    size += psize;
    absorbed(h, old, b);
  }
  setfree(b, size);
  *hdr(b + size) |= PREVFREE;
  insertfree(h, b);
  return b;
}

/* Cuts used block b down to 'bs' bytes when the rest makes a block. */
static void trim(Heap *h, char *b, size_t bs) {
  size_t size = bsize(b);
  Word keep = hget(b) & (USEDBIT | PREVFREE | TAGMASK);
  char *rest;
  if (size - bs < MINBLOCK) return;
  *hdr(b) = ((Word)bs << SIZESHIFT) | keep;
  rest = b + bs;
  *hdr(rest) = ((Word)(size - bs) << SIZESHIFT) | USEDBIT | ML_TAG_OTHER;
  release(h, rest); /* accounting: 'used' still counts the rest */
}

/*
** Makes [b, b+size), out of any list and with used blocks around it, a
** used block of bs bytes; the tail becomes a free block when it can.
** 'flags' carries the tag and b's PREVFREE bit.
*/
static void place(Heap *h, char *b, size_t size, size_t bs, Word flags) {
  char *after = b + size;
  if (size - bs >= MINBLOCK) {
    setfree(b + bs, size - bs);
    insertfree(h, b + bs);
    *hdr(after) |= PREVFREE;
    size = bs;
  } else
    *hdr(after) &= ~PREVFREE;
  setused(h, b, size, flags);
}

/* ---------- regions ---------- */

/*
** Lays out blocks in the chunk [base, base+size) after 'skip' bytes of
** metadata: one free block and the sentinel. 0 if no block fits.
*/
static int initregion(Heap *h, char *base, size_t size, size_t skip) {
  Region *r = (Region *)(void *)base;
  uintptr_t lo = (uintptr_t)base, hi = lo + size;
  uintptr_t first = alignup(lo + skip + WORD, GRAIN) - WORD;
  size_t room;
  if (first + MINBLOCK + WORD > hi) return 0;
  room = (size_t)(hi - WORD - first) & ~(GRAIN - 1);
  if (room > MAXBLOCK) room = MAXBLOCK;
  r->first = (char *)first;
  r->end = r->first + room;
  r->size = size;
  setfree(r->first, room);
  *hdr(r->end) = USEDBIT | PREVFREE; /* sentinel: size 0 */
  insertfree(h, r->first);
  h->total += size;
  h->overhead += size - room;
  h->nregions++;
  return 1;
}

static void linkregion(Heap *h, Region *r) {
  Region **p = &h->regions;
  while (*p != NULL && (char *)*p < (char *)r) p = &(*p)->next;
  r->next = *p;
  *p = r;
}

/* Adds a region with a free block of at least bs bytes; returns that block. */
static char *grow(Heap *h, size_t bs) {
  size_t meta = sizeof(Region) + 2 * GRAIN + WORD;
  size_t size = ML_HEAP_REGION;
  char *base;
  if (bs > MAXBLOCK - meta) return NULL;
  if (size < bs + meta) size = bs + meta;
  base = (char *)h->f(h->ud, NULL, 0, size);
  if (base == NULL) return NULL;
  if (!initregion(h, base, size, sizeof(Region))) {
    h->f(h->ud, base, size, 0);
    return NULL;
  }
  linkregion(h, (Region *)(void *)base);
  return ((Region *)(void *)base)->first;
}

static int isempty(const Region *r) {
  return !isused(r->first) && r->first + bsize(r->first) == r->end;
}

/*
** Returns empty regions (never the one holding the Heap) to the lua_Alloc
** while the free bytes left still cover what is in use, so that a heap
** that shrinks by half does not give back and take again every cycle.
*/
static void trimregions(Heap *h) {
  Region **p = &h->regions;
  while (*p != NULL) {
    Region *r = *p;
    size_t freebytes = h->total - h->overhead - h->used;
    if ((char *)r != (char *)h - sizeof(Region) && isempty(r) &&
        freebytes - (size_t)(r->end - r->first) >= h->used) {
      removefree(h, r->first);
      *p = r->next;
      h->total -= r->size;
      h->overhead -= r->size - (size_t)(r->end - r->first);
      h->nregions--;
      h->f(h->ud, r, r->size, 0);
    } else
      p = &r->next;
  }
}

/* ---------- the interface ---------- */

static size_t metasize(unsigned nfl) {
  return sizeof(Region) + sizeof(Heap) + nfl * NSL * sizeof(char *) + nfl;
}

Heap *heap_create(lua_Alloc f, void *ud, size_t cap) {
  unsigned fl, sl;
  size_t size = cap ? cap : ML_HEAP_REGION;
  char *base;
  Heap *h;
  mapping(cap ? cap : MAXBLOCK, &fl, &sl);
  if (cap && cap < metasize(fl + 1) + MINBLOCK + GRAIN + WORD) return NULL;
  base = (char *)f(ud, NULL, 0, size);
  if (base == NULL) return NULL;
  h = (Heap *)(void *)(base + sizeof(Region));
  memset(h, 0, metasize(fl + 1) - sizeof(Region));
  h->f = f;
  h->ud = ud;
  h->cap = cap;
  h->nfl = fl + 1;
  h->lists = (char **)(void *)(h + 1);
  h->slmap = (unsigned char *)(h->lists + h->nfl * NSL);
  if (!initregion(h, base, size, metasize(h->nfl))) {
    f(ud, base, size, 0);
    return NULL;
  }
  h->regions = (Region *)(void *)base;
  h->regions->next = NULL;
  h->lowfree = heap_free_bytes(h);
  return h;
}

void heap_destroy(Heap *h) {
  lua_Alloc f = h->f;
  void *ud = h->ud;
  Region *mine = (Region *)(void *)((char *)h - sizeof(Region));
  Region *r = h->regions;
  while (r != NULL) {
    Region *next = r->next;
    if (r != mine) f(ud, r, r->size, 0);
    r = next;
  }
  f(ud, mine, mine->size, 0);
}

void *heap_alloc(Heap *h, size_t size, int tag) {
  size_t bs = blockfor(size);
  char *b;
  if (bs == 0) return NULL;
  b = findfree(h, bs);
  if (b == NULL && (h->cap != 0 || (b = grow(h, bs)) == NULL)) return NULL;
  removefree(h, b);
  place(h, b, bsize(b), bs, usedtag(tag));
  return b + WORD;
}

void heap_free(Heap *h, void *p) {
  if (p != NULL) release(h, blockof(p));
}

/* Grows used block b into its free successor when both hold bs bytes. */
static int growforward(Heap *h, char *b, size_t bs) {
  size_t size = bsize(b);
  char *next = b + size;
  if (isused(next) || size + bsize(next) < bs) return 0;
  removefree(h, next);
  absorbed(h, next, b);
  h->used -= size;
  place(h, b, size + bsize(next), bs, hget(b) & (PREVFREE | TAGMASK));
  return 1;
}

/* Slides used block b down into its free predecessor (and successor). */
static char *growbackward(Heap *h, char *b, size_t bs) {
  size_t size = bsize(b), psize, nsize = 0;
  char *prev, *next = b + size;
  Word tag = hget(b) & TAGMASK;
  if (!(hget(b) & PREVFREE)) return NULL;
  psize = (size_t)hget(b - WORD);
  if (!isused(next)) nsize = bsize(next);
  if (psize + size + nsize < bs) return NULL;
  prev = b - psize;
  removefree(h, prev);
  if (nsize) removefree(h, next);
  absorbed(h, b, prev);
  if (nsize) absorbed(h, next, prev);
  memmove(prev + WORD, b + WORD, size - WORD);
  h->used -= size;
  place(h, prev, psize + size + nsize, bs, tag);
  return prev;
}

void *heap_realloc(Heap *h, void *p, size_t size, int tag) {
  size_t bs = blockfor(size);
  char *b, *nb;
  void *q;
  if (p == NULL) return heap_alloc(h, size, tag);
  if (bs == 0) return NULL;
  b = blockof(p);
  if (bsize(b) >= bs) {
    trim(h, b, bs);
    nb = b;
  } else if (growforward(h, b, bs))
    nb = b;
  else if ((nb = growbackward(h, b, bs)) == NULL) {
    if ((q = heap_alloc(h, size, tag)) == NULL) return NULL;
    memcpy(q, p, bsize(b) - WORD);
    release(h, b);
    return q;
  }
  heap_settag(nb + WORD, tag);
  return nb + WORD;
}

size_t heap_blocksize(const void *p) { return bsize(blockof(p)) - WORD; }

int heap_tag(const void *p) { return btag(blockof(p)); }

void heap_settag(void *p, int tag) {
  char *b = blockof(p);
  *hdr(b) = (hget(b) & ~TAGMASK) | usedtag(tag);
}

int heap_contains(const Heap *h, const void *p) {
  const Region *r;
  for (r = h->regions; r != NULL; r = r->next)
    if ((const char *)p >= r->first && (const char *)p < r->end) return 1;
  return 0;
}

size_t heap_used(const Heap *h) { return h->used; }

size_t heap_cap(const Heap *h) { return h->cap; }

/* 'size' given to visit is the block's payload (heap_blocksize). */
void heap_walk(const Heap *h, heap_Visit visit, void *ud) {
  const Region *r;
  for (r = h->regions; r != NULL; r = r->next) {
    char *b = r->first;
    size_t size;
    while ((size = bsize(b)) != 0) {
      visit(ud, b + WORD, size - WORD, isused(b) ? btag(b) : ML_TAG_FREE);
      b += bsize(b); /* visit may have shrunk or freed blocks after b */
    }
  }
}

void heap_stats(const Heap *h, HeapStats *st) {
  const Region *r;
  memset(st, 0, sizeof(*st));
  for (r = h->regions; r != NULL; r = r->next) {
    const char *b;
    size_t size;
    for (b = r->first; (size = bsize(b)) != 0; b += size) {
      int tag = isused(b) ? btag(b) : ML_TAG_FREE;
      st->bytes[tag] += size;
      st->count[tag]++;
      if (tag == ML_TAG_FREE && size - WORD > st->largest_free)
        st->largest_free = size - WORD;
    }
  }
  st->total = h->total;
  st->used = h->used;
  st->free = st->bytes[ML_TAG_FREE];
  st->peak_used = h->peak;
  st->nregions = h->nregions;
}

/* ---------- sweeping ---------- */

void heap_sweepbegin(Heap *h) {
  h->sweepr = h->regions;
  h->sweepb = h->regions->first;
}

int heap_sweepdone(const Heap *h) { return h->sweepr == NULL; }

/*
** The cursor is read again after every call of keep and every free: those
** may merge the block under the cursor into a neighbour, and absorbed()
** then moved the cursor to the start of the merged block.
*/
size_t heap_sweepstep(Heap *h, heap_Keep keep, void *ud, size_t budget) {
  size_t done = 0;
  while (h->sweepr != NULL && done < budget) {
    char *b = h->sweepb;
    size_t size = bsize(b);
    int tag = btag(b);
    if (size == 0) { /* the sentinel: on to the next region */
      h->sweepr = h->sweepr->next;
      if (h->sweepr != NULL) h->sweepb = h->sweepr->first;
      else if (h->cap == 0) trimregions(h);
      continue;
    }
    done += isused(b) ? size : WORD; /* skipping a free block is cheap */
    if (isused(b) && heap_isobjecttag(tag) && !keep(ud, b + WORD, tag) &&
        isused(h->sweepb))
      release(h, h->sweepb);
    h->sweepb += bsize(h->sweepb);
  }
  return done;
}

void heap_sweep(Heap *h, heap_Keep keep, void *ud) {
  heap_sweepbegin(h);
  while (!heap_sweepdone(h)) heap_sweepstep(h, keep, ud, MAXBLOCK);
}

size_t heap_free_bytes(const Heap *h) {
  return h->total - h->overhead - h->used;
}

size_t heap_lowest_free(const Heap *h) { return h->lowfree; }

void heap_resetlowest(Heap *h) { h->lowfree = heap_free_bytes(h); }

size_t heap_total(const Heap *h) { return h->total; }

size_t heap_overhead(void) { return WORD; }

size_t heap_blockfor(size_t size) { return blockfor(size); }
