/*
** test_heap.c: unit tests of the allocator (src/heap.c) alone: tags, walk,
** stats, coalescing, exhaustion, realloc, growth, alignment, sweep, cap.
** Prints one line per failed check, then "N passed, N failed".
*/
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "heap.h"

#include "../check.h"

/* ---------- a lua_Alloc that keeps accounts ---------- */

typedef struct Acct {
  size_t live;    /* bytes handed out and not returned */
  size_t nalloc;  /* chunks handed out */
  size_t lastreq; /* size of the last request */
  int refuse;     /* refuse every request */
  int badfree;    /* a free with the wrong osize or a resize */
} Acct;

typedef struct Chunk {
  void *p;
  size_t size;
} Chunk;

static Chunk chunks[64];

static void *acctalloc(void *ud, void *ptr, size_t osize, size_t nsize) {
  Acct *a = (Acct *)ud;
  int i;
  if (ptr != NULL) {
    for (i = 0; i < 64 && chunks[i].p != ptr; i++) {}
    if (i == 64 || chunks[i].size != osize || nsize != 0) a->badfree = 1;
    if (i < 64) chunks[i].p = NULL;
    a->live -= osize;
    free(ptr);
    return NULL;
  }
  a->lastreq = nsize;
  if (a->refuse || nsize == 0) return NULL;
  for (i = 0; i < 64 && chunks[i].p != NULL; i++) {}
  if (i == 64) return NULL;
  chunks[i].p = malloc(nsize);
  chunks[i].size = nsize;
  if (chunks[i].p == NULL) return NULL;
  a->live += nsize;
  a->nalloc++;
  return chunks[i].p;
}

/* ---------- helpers ---------- */

static unsigned long rng = 12345;
static unsigned rnd(unsigned n) {
  rng = rng * 1103515245ul + 12345ul;
  return (unsigned)((rng >> 8) % n);
}

static void fill(void *p, size_t n, unsigned seed) {
  size_t i;
  unsigned char *b = (unsigned char *)p;
  for (i = 0; i < n; i++) b[i] = (unsigned char)(seed + i * 7);
}

static int intact(const void *p, size_t n, unsigned seed) {
  size_t i;
  const unsigned char *b = (const unsigned char *)p;
  for (i = 0; i < n; i++)
    if (b[i] != (unsigned char)(seed + i * 7)) return 0;
  return 1;
}

/* What a walk saw. */
typedef struct Seen {
  size_t n, nfree, bytes[ML_NTAGS], count[ML_NTAGS];
  const char *last;
  int ordered, adjacentfree, badsize, badtag;
  int prevfree;
} Seen;

static void seeblock(void *ud, void *payload, size_t size, int tag) {
  Seen *s = (Seen *)ud;
  const char *p = (const char *)payload;
  if (s->last != NULL && p <= s->last) s->ordered = 0;
  s->last = p;
  if (tag < 0 || tag >= ML_NTAGS) {
    s->badtag = 1;
    return;
  }
  if (tag != ML_TAG_FREE && (heap_blocksize(p) != size || heap_tag(p) != tag))
    s->badsize = 1;
  if (tag == ML_TAG_FREE && s->prevfree) s->adjacentfree = 1;
  s->prevfree = (tag == ML_TAG_FREE);
  s->bytes[tag] += size + sizeof(size_t);
  s->count[tag]++;
  s->n++;
}

static Seen walk(const Heap *h) {
  Seen s;
  memset(&s, 0, sizeof(s));
  s.ordered = 1;
  heap_walk(h, seeblock, &s);
  return s;
}

/* Walk, stats and accounting agree; no two free blocks touch. */
static int consistent(const Heap *h) {
  HeapStats st;
  Seen s = walk(h);
  size_t used = 0;
  int t;
  heap_stats(h, &st);
  for (t = 0; t < ML_NTAGS; t++) {
    if (s.bytes[t] != st.bytes[t] || s.count[t] != st.count[t]) return 0;
    if (t != ML_TAG_FREE) used += st.bytes[t];
  }
  return s.ordered && !s.badsize && !s.badtag && !s.adjacentfree &&
         used == st.used && used == heap_used(h) &&
         st.free == st.bytes[ML_TAG_FREE] && st.used + st.free <= st.total &&
         st.peak_used >= st.used;
}

/* ---------- the tests ---------- */

static void test_tagnames(void) {
  CHECK(strcmp(heap_tagnames[ML_TAG_FREE], "free") == 0);
  CHECK(strcmp(heap_tagnames[ML_TAG_STRING], "string") == 0);
  CHECK(strcmp(heap_tagnames[ML_TAG_HASH], "table hash") == 0);
  CHECK(strcmp(heap_tagnames[ML_TAG_OTHER], "C/other") == 0);
  CHECK(ML_NTAGS <= 16); /* tags fit the header's 4 bits */
}

static void test_cap(void) {
  Acct a = {0};
  Heap *h = heap_create(acctalloc, &a, 40 * 1024);
  HeapStats st;
  CHECK(h != NULL);
  if (h == NULL) return;
  CHECK(a.nalloc == 1 && a.lastreq == 40 * 1024 && a.live == 40 * 1024);
  CHECK(heap_cap(h) == 40 * 1024);
  heap_stats(h, &st);
  CHECK(st.total == 40 * 1024 && st.used == 0 && st.nregions == 1);
  CHECK(st.count[ML_TAG_FREE] == 1 && st.largest_free > 38 * 1024);
  /* the Heap struct is in the arena, before the first block */
  CHECK((const char *)h >= (const char *)chunks[0].p &&
        (const char *)h < (const char *)chunks[0].p + 40 * 1024);
  CHECK(!heap_contains(h, h));
  CHECK(heap_alloc(h, 41 * 1024, ML_TAG_OTHER) == NULL);
  CHECK(heap_alloc(h, st.largest_free + 1, ML_TAG_OTHER) == NULL);
  CHECK(heap_alloc(h, st.largest_free, ML_TAG_OTHER) != NULL);
  CHECK(heap_alloc(h, 1, ML_TAG_OTHER) == NULL);
  CHECK(a.nalloc == 1 && consistent(h));
  heap_destroy(h);
  CHECK(a.live == 0 && !a.badfree);
  /* too small for anything: refused, nothing kept */
  CHECK(heap_create(acctalloc, &a, 64) == NULL && a.live == 0);
  /* a small arena still works */
  h = heap_create(acctalloc, &a, 2048);
  CHECK(h != NULL && heap_alloc(h, 100, ML_TAG_STRING) != NULL);
  if (h) heap_destroy(h);
  a.refuse = 1;
  CHECK(heap_create(acctalloc, &a, 4096) == NULL);
  CHECK(heap_create(acctalloc, &a, 0) == NULL);
  CHECK(a.live == 0 && !a.badfree);
}

static void test_align_tags(void) {
  Acct a = {0};
  Heap *h = heap_create(acctalloc, &a, 64 * 1024);
  void *p[300];
  HeapStats st;
  size_t n, want = 0;
  int aligned = 1, sized = 1, tagged = 1, t;
  for (n = 0; n < 300; n++) {
    int tag = 1 + (int)(n % (ML_NTAGS - 1));
    p[n] = heap_alloc(h, n, tag);
    if (p[n] == NULL) break;
    if ((uintptr_t)p[n] % 8 != 0) aligned = 0;
    if (heap_blocksize(p[n]) < n || heap_blocksize(p[n]) > n + 40) sized = 0;
    fill(p[n], n, (unsigned)n);
  }
  CHECK(n == 300);
  CHECK(aligned);
  CHECK(sized);
  for (n = 0; n < 300; n++) {
    if (heap_tag(p[n]) != 1 + (int)(n % (ML_NTAGS - 1))) tagged = 0;
    if (!intact(p[n], n, (unsigned)n)) tagged = 0;
    if (!heap_contains(h, p[n])) tagged = 0;
  }
  CHECK(tagged);
  /* overhead of a used block: one header word */
  CHECK(heap_blocksize(p[64]) == 64 + 8 - sizeof(size_t) ||
        heap_blocksize(p[64]) == 64);
  heap_stats(h, &st);
  for (t = 1; t < ML_NTAGS; t++) {
    size_t cnt = 0;
    for (n = 0; n < 300; n++)
      if (1 + (int)(n % (ML_NTAGS - 1)) == t) cnt++;
    if (st.count[t] != cnt) tagged = 0;
  }
  CHECK(tagged);
  for (n = 0; n < 300; n++) want += n;
  CHECK(st.used >= want && st.used <= want + 300 * 40);
  CHECK(consistent(h));
  heap_settag(p[5], ML_TAG_THREAD);
  CHECK(heap_tag(p[5]) == ML_TAG_THREAD && consistent(h));
  /* a used block never shows as free */
  heap_settag(p[6], ML_TAG_FREE);
  CHECK(heap_tag(p[6]) == ML_TAG_OTHER);
  CHECK(heap_tag(heap_alloc(h, 10, ML_TAG_FREE)) == ML_TAG_OTHER);
  CHECK(consistent(h));
  heap_destroy(h);
  CHECK(a.live == 0);
}

static void test_walk(void) {
  Acct a = {0};
  Heap *h = heap_create(acctalloc, &a, 16 * 1024);
  void *s1 = heap_alloc(h, 24, ML_TAG_STRING);
  void *t1 = heap_alloc(h, 40, ML_TAG_TABLE);
  void *a1 = heap_alloc(h, 100, ML_TAG_ARRAY);
  Seen s;
  heap_free(h, t1);
  s = walk(h);
  CHECK(s.ordered && !s.badsize && !s.badtag);
  CHECK(s.count[ML_TAG_STRING] == 1 && s.count[ML_TAG_ARRAY] == 1);
  CHECK(s.count[ML_TAG_TABLE] == 0 && s.count[ML_TAG_FREE] == 2);
  CHECK(s.n == 4);
  CHECK(s.bytes[ML_TAG_STRING] >= 24 + sizeof(size_t));
  CHECK(consistent(h));
  (void)s1;
  (void)a1;
  heap_destroy(h);
}

static void test_coalesce(void) {
  Acct a = {0};
  Heap *h = heap_create(acctalloc, &a, 32 * 1024);
  static void *p[4096];
  HeapStats before, st;
  size_t n = 0, i;
  heap_stats(h, &before);
  while (n < 4096 && (p[n] = heap_alloc(h, 1 + rnd(200), ML_TAG_OTHER)))
    n++;
  CHECK(n > 100 && n < 4096);
  CHECK(consistent(h));
  for (i = 0; i < n; i++) { /* free in a shuffled order */
    size_t j = i + rnd((unsigned)(n - i));
    void *t = p[i];
    p[i] = p[j];
    p[j] = t;
    heap_free(h, p[i]);
    if (i % 97 == 0 && !consistent(h)) break;
  }
  CHECK(i == n);
  heap_stats(h, &st);
  CHECK(st.used == 0 && st.count[ML_TAG_FREE] == 1);
  CHECK(st.largest_free == before.largest_free);
  CHECK(st.peak_used > 30 * 1024);
  CHECK(heap_alloc(h, st.largest_free, ML_TAG_OTHER) != NULL);
  heap_destroy(h);
}

static void test_exhaustion(void) {
  Acct a = {0};
  Heap *h = heap_create(acctalloc, &a, 20 * 1024);
  static void *p[2048];
  static size_t sz[2048];
  size_t n = 0, i;
  int ok = 1;
  for (;;) {
    sz[n] = 8 + rnd(300);
    if ((p[n] = heap_alloc(h, sz[n], ML_TAG_STRING)) == NULL) break;
    fill(p[n], sz[n], (unsigned)n);
    n++;
  }
  CHECK(n > 20);
  CHECK(heap_alloc(h, 10000, ML_TAG_STRING) == NULL);
  for (i = 0; i < 50; i++) heap_alloc(h, 1 + rnd(16), ML_TAG_OTHER);
  CHECK(heap_alloc(h, 1000, ML_TAG_STRING) == NULL);
  for (i = 0; i < n; i++)
    if (!intact(p[i], sz[i], (unsigned)i)) ok = 0;
  CHECK(ok);
  CHECK(consistent(h));
  /* freeing every other block leaves holes; a hole-sized request fits */
  for (i = 0; i < n; i += 2) heap_free(h, p[i]);
  CHECK(heap_alloc(h, sz[0], ML_TAG_STRING) != NULL);
  for (i = 1; i < n; i += 2)
    if (!intact(p[i], sz[i], (unsigned)i)) ok = 0;
  CHECK(ok && consistent(h));
  heap_destroy(h);
}

static void test_realloc(void) {
  Acct a = {0};
  Heap *h = heap_create(acctalloc, &a, 16 * 1024);
  char *x = (char *)heap_alloc(h, 100, ML_TAG_ARRAY);
  char *y = (char *)heap_alloc(h, 100, ML_TAG_ARRAY);
  char *z = (char *)heap_alloc(h, 100, ML_TAG_ARRAY);
  char *q;
  HeapStats st;
  fill(x, 100, 1);
  fill(y, 100, 2);
  /* grows in place into the free block after it */
  heap_free(h, z);
  q = (char *)heap_realloc(h, y, 180, ML_TAG_HASH);
  CHECK(q == y && heap_blocksize(q) >= 180 && intact(q, 100, 2));
  CHECK(heap_tag(q) == ML_TAG_HASH);
  /* shrinks in place */
  q = (char *)heap_realloc(h, y, 40, ML_TAG_HASH);
  CHECK(q == y && heap_blocksize(q) < 100 && intact(q, 40, 2));
  CHECK(consistent(h));
  /* moves when boxed in, contents kept */
  z = (char *)heap_alloc(h, 16, ML_TAG_OTHER);
  q = (char *)heap_realloc(h, x, 2000, ML_TAG_ARRAY);
  CHECK(q != NULL && q != x && intact(q, 100, 1) && consistent(h));
  x = q;
  /* slides down into a free predecessor */
  fill(z, 16, 3);
  heap_free(h, y);
  q = (char *)heap_realloc(h, z, 60, ML_TAG_OTHER);
  CHECK(q != NULL && intact(q, 16, 3) && consistent(h));
  /* NULL block: allocates; impossible size: NULL, old block kept */
  CHECK((y = (char *)heap_realloc(h, NULL, 30, ML_TAG_OTHER)) != NULL);
  CHECK(heap_realloc(h, x, 100000, ML_TAG_OTHER) == NULL);
  CHECK(heap_tag(x) == ML_TAG_ARRAY && intact(x, 100, 1) && consistent(h));
  heap_stats(h, &st);
  CHECK(heap_realloc(h, x, st.largest_free + 4000, ML_TAG_OTHER) == NULL);
  CHECK(intact(x, 100, 1) && consistent(h));
  heap_destroy(h);
}

static void test_growable(void) {
  Acct a = {0};
  Heap *h = heap_create(acctalloc, &a, 0);
  static void *p[4000];
  HeapStats st;
  size_t i;
  int ok = 1, local = 0;
  void *big;
  CHECK(h != NULL && heap_cap(h) == 0 && a.lastreq >= ML_HEAP_REGION);
  for (i = 0; i < 4000; i++) {
    p[i] = heap_alloc(h, 200, ML_TAG_TABLE);
    if (p[i] == NULL || (uintptr_t)p[i] % 8) ok = 0;
    else fill(p[i], 200, (unsigned)i);
  }
  CHECK(ok);
  heap_stats(h, &st);
  CHECK(st.nregions >= 3 && st.total >= 3 * ML_HEAP_REGION);
  CHECK(st.count[ML_TAG_TABLE] == 4000);
  big = heap_alloc(h, 3 * ML_HEAP_REGION, ML_TAG_STRING);
  CHECK(big != NULL && heap_blocksize(big) >= 3 * ML_HEAP_REGION);
  CHECK(heap_contains(h, big) && heap_contains(h, p[3999]) &&
        !heap_contains(h, &local));
  CHECK(consistent(h));
  for (i = 0; i < 4000; i++)
    if (!intact(p[i], 200, (unsigned)i)) ok = 0;
  CHECK(ok);
  heap_destroy(h);
  CHECK(a.live == 0 && !a.badfree);
}

/* ---------- sweep ---------- */

typedef struct Obj {
  int id;
  void *part; /* a block freed with the object */
} Obj;

typedef struct SweepState {
  Heap *h;
  int calls, freed, badtag;
} SweepState;

static int keepodd(void *ud, void *payload, int tag) {
  SweepState *s = (SweepState *)ud;
  Obj *o = (Obj *)payload;
  s->calls++;
  if (!heap_isobjecttag(tag)) s->badtag = 1;
  if (o->id % 2) return 1;
  if (o->part) heap_free(s->h, o->part);
  s->freed++;
  return 0;
}

static int keepnone(void *ud, void *payload, int tag) {
  SweepState *s = (SweepState *)ud;
  Obj *o = (Obj *)payload;
  (void)tag;
  s->calls++;
  if (o->part) heap_free(s->h, o->part);
  s->freed++;
  return 0;
}

static void test_sweep(void) {
  Acct a = {0};
  Heap *h = heap_create(acctalloc, &a, 96 * 1024);
  SweepState s = {h, 0, 0, 0};
  HeapStats st;
  int i, n = 0, ok = 1;
  Obj *objs[600];
  for (i = 0; i < 600; i++) {
    /* objects and parts interleaved, parts before and after objects */
    void *before = (i % 3 == 0) ? heap_alloc(h, 24, ML_TAG_ARRAY) : NULL;
    Obj *o = (Obj *)heap_alloc(h, sizeof(Obj) + (size_t)rnd(40),
                               i % 2 ? ML_TAG_TABLE : ML_TAG_STRING);
    if (o == NULL) break;
    o->id = i;
    o->part = before;
    if (i % 3 == 1) o->part = heap_alloc(h, 16, ML_TAG_HASH);
    objs[n++] = o;
    if (i % 5 == 0) heap_alloc(h, 8, ML_TAG_OTHER); /* never swept */
  }
  CHECK(n == 600);
  /* free some neighbours first, so sweeping coalesces both ways */
  for (i = 0; i < n; i += 7)
    if (objs[i]->id % 2 == 0 && objs[i]->part == NULL) {
      heap_free(h, objs[i]);
      objs[i] = NULL;
    }
  heap_sweep(h, keepodd, &s);
  CHECK(!s.badtag);
  {
    int expect = 0;
    for (i = 0; i < n; i++) if (objs[i]) expect++;
    CHECK(s.calls == expect);
  }
  for (i = 0; i < n; i++)
    if (objs[i] && i % 2 && (heap_tag(objs[i]) != ML_TAG_TABLE ||
                             objs[i]->id != i)) /* even ones were freed */
      ok = 0;
  CHECK(ok);
  CHECK(consistent(h));
  heap_stats(h, &st);
  CHECK(st.count[ML_TAG_STRING] == 0 && st.count[ML_TAG_TABLE] == 300);
  /* a second sweep sees only the survivors */
  s.calls = s.freed = 0;
  heap_sweep(h, keepodd, &s);
  CHECK(s.calls == 300 && s.freed == 0);
  /* sweeping everything leaves only the never-swept blocks */
  s.calls = s.freed = 0;
  heap_sweep(h, keepnone, &s);
  heap_stats(h, &st);
  CHECK(s.freed == 300 && st.count[ML_TAG_TABLE] == 0);
  CHECK(st.count[ML_TAG_OTHER] == 120 && st.count[ML_TAG_HASH] == 0 &&
        st.count[ML_TAG_ARRAY] == 0);
  CHECK(consistent(h));
  heap_destroy(h);
}

/* A keep that frees its own block (allowed: the sweep then skips it). */
static int keepfreeself(void *ud, void *payload, int tag) {
  SweepState *s = (SweepState *)ud;
  (void)tag;
  s->calls++;
  heap_free(s->h, payload);
  return 0;
}

static void test_sweep_selffree(void) {
  Acct a = {0};
  Heap *h = heap_create(acctalloc, &a, 8 * 1024);
  SweepState s = {h, 0, 0, 0};
  HeapStats st;
  int i;
  for (i = 0; i < 20; i++) heap_alloc(h, 40, ML_TAG_USERDATA);
  heap_sweep(h, keepfreeself, &s);
  heap_stats(h, &st);
  CHECK(s.calls == 20 && st.used == 0 && st.count[ML_TAG_FREE] == 1);
  heap_destroy(h);
}

/* Growable: regions emptied by a sweep go back to the allocator. */
static void test_sweep_regions(void) {
  Acct a = {0};
  Heap *h = heap_create(acctalloc, &a, 0);
  SweepState s = {h, 0, 0, 0};
  HeapStats st;
  int i;
  for (i = 0; i < 5000; i++) {
    Obj *o = (Obj *)heap_alloc(h, 200, ML_TAG_TABLE);
    o->id = 2 * i;
    o->part = NULL;
  }
  heap_stats(h, &st);
  CHECK(st.nregions >= 4);
  heap_sweep(h, keepodd, &s);
  heap_stats(h, &st);
  CHECK(s.freed == 5000 && st.used == 0 && st.nregions == 1);
  CHECK(a.live == st.total && consistent(h));
  heap_destroy(h);
  CHECK(a.live == 0 && !a.badfree);
}

/* Random operations against a shadow copy. */
static void test_random(void) {
  Acct a = {0};
  Heap *h = heap_create(acctalloc, &a, 48 * 1024);
  static void *p[512];
  static size_t sz[512];
  static unsigned seed[512];
  int step, ok = 1, cons = 1;
  memset(p, 0, sizeof(p));
  for (step = 0; step < 200000; step++) {
    unsigned i = rnd(512);
    unsigned op = rnd(3);
    size_t n = rnd(8) == 0 ? rnd(3000) : rnd(120);
    if (p[i] != NULL && !intact(p[i], sz[i], seed[i])) ok = 0;
    if (op == 0 && p[i] != NULL) {
      heap_free(h, p[i]);
      p[i] = NULL;
    } else if (op == 1 && p[i] != NULL) {
      void *q = heap_realloc(h, p[i], n, ML_TAG_ARRAY);
      if (q != NULL) {
        size_t keep = n < sz[i] ? n : sz[i];
        if (!intact(q, keep, seed[i])) ok = 0;
        p[i] = q;
        sz[i] = n;
        seed[i] = (unsigned)step;
        fill(q, n, seed[i]);
      }
    } else if (p[i] == NULL) {
      p[i] = heap_alloc(h, n, ML_TAG_STRING);
      sz[i] = n;
      seed[i] = (unsigned)step;
      if (p[i]) fill(p[i], n, seed[i]);
    }
    if (step % 5000 == 0 && !consistent(h)) cons = 0;
  }
  CHECK(ok);
  CHECK(cons);
  heap_destroy(h);
  CHECK(a.live == 0);
}

int main(void) {
  test_tagnames();
  test_cap();
  test_align_tags();
  test_walk();
  test_coalesce();
  test_exhaustion();
  test_realloc();
  test_growable();
  test_sweep();
  test_sweep_selffree();
  test_sweep_regions();
  test_random();
  return check_report();
}
