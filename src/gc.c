/*
** gc.c: the garbage collector: tri-colour mark & sweep with two whites,
** run as one whole cycle per step for now. It never allocates, and never
** writes a read-only object (those are never white, so never marked).
*/
#include <string.h>

#include "gc.h"

#include "call.h"
#include "func.h"
#include "heap.h"
#include "meta.h"
#include "state.h"
#include "str.h"
#include "table.h"

#define DEFAULTPAUSE 200
#define DEFAULTSTEPMUL 200
#define MINSLACK 4096 /* bytes the heap may grow by after any cycle, at least */

/*
** A cycle runs GCSpropagate -> GCSatomic -> GCSswpallgc -> GCSswpend ->
** GCScallfin -> GCSpause inside one call, so 'state != GCSpause' means a
** collection is under way: the guard against running one inside another
** (an allocation made while shrinking, a torture build's collections).
** An incremental collector would keep the same phases and lists, spread
** over several calls, and need a separate guard.
*/
static int collecting(const global_State *g) {
  return g->gc.state != GCSpause;
}

/* The barriers must keep 'no black object points to a white one'. */
static int keepinvariant(const global_State *g) {
  return g->gc.state <= GCSatomic;
}

/* ---------- colours ---------- */

#define COLOURBITS (WHITEBITS | bitmask(BLACKBIT))

static inline void makewhite(global_State *g, GCObject *o) {
  o->marked = cast_byte((o->marked & ~COLOURBITS) | luaC_white(g));
}

static inline void white2gray(GCObject *o) {
  o->marked = cast_byte(o->marked & ~WHITEBITS);
}

static inline void black2gray(GCObject *o) {
  o->marked = cast_byte(o->marked & ~bitmask(BLACKBIT));
}

/* White and in RAM: read-only objects are never white, but never trust
** a flash header enough to write it. */
static inline int unmarked(const GCObject *o) {
  return (o->marked & (WHITEBITS | ML_READONLY)) != 0 &&
         (o->marked & ML_READONLY) == 0;
}

static inline GCObject *gcvalueN(const TValue *v) {
  return iscollectable(v) ? gcvalue(v) : NULL;
}

static inline int valiswhite(const TValue *v) {
  return iscollectable(v) && unmarked(gcvalue(v));
}

/* ---------- gray lists ---------- */

/* The 'gclist' field of the objects that are traversed from a list. */
static GCObject **gclistof(GCObject *o) {
  switch (o->tt) {
    case LUA_TTABLE: return &gco2t(o)->gclist;
    case LUA_TLCL: return &gco2lcl(o)->gclist;
    case LUA_TCCL: return &gco2ccl(o)->gclist;
    case LUA_TPROTO: return &gco2p(o)->gclist;
    default: return &gco2th(o)->gclist; /* LUA_TTHREAD */
  }
}

static void linkgclist(GCObject *o, GCObject **list) {
  *gclistof(o) = *list;
  *list = o;
}

/* ---------- marking ---------- */

/*
** Marks white object o. Strings, upvalues and userdata turn black at once
** (an upvalue's or a user value's target is marked in a loop, no
** recursion); the others turn gray and wait in the gray list.
*/
static void reallymarkobject(global_State *g, GCObject *o) {
  for (;;) {
    const TValue *next = NULL;
    TValue uv;
    white2gray(o);
    switch (o->tt) {
      case LUA_TSHRSTR:
      case LUA_TLNGSTR:
        gray2black(o);
        return;
      case LUA_TUSERDATA: {
        Udata *u = gco2u(o);
        if (u->metatable != NULL && unmarked(obj2gco(u->metatable)))
          reallymarkobject(g, obj2gco(u->metatable)); /* only links it */
        gray2black(o);
        uv.value_ = u->user_;
        uv.tt_ = u->ttuv_;
        next = &uv;
        break;
      }
      case LUA_TUPVAL: /* open: its stack slot, which a dead thread keeps */
        gray2black(o);
        next = gco2upv(o)->v;
        break;
      default:
        linkgclist(o, &g->gc.gray);
        return;
    }
    if (!valiswhite(next)) return;
    o = gcvalue(next);
  }
}

static inline void markobject(global_State *g, GCObject *o) {
  if (o != NULL && unmarked(o)) reallymarkobject(g, o);
}

static inline void markvalue(global_State *g, const TValue *v) {
  if (valiswhite(v)) reallymarkobject(g, gcvalue(v));
}

static inline void markkey(global_State *g, const Node *n) {
  if (keyiscollectable(n)) markobject(g, gckey(n));
}

static void markroots(lua_State *L) {
  global_State *g = G(L);
  int i;
  markobject(g, obj2gco(g->mainthread));
  markobject(g, obj2gco(L));
  markvalue(g, &g->l_registry);
  for (i = 0; i < LUA_NUMTAGS; i++) markobject(g, obj2gco(g->mt[i]));
  markobject(g, obj2gco(g->memerrmsg));
  for (i = 0; i < TM_N; i++) markobject(g, obj2gco(g->tmname[i]));
}

/* ---------- tables ---------- */

/* A node whose value is nil: its key becomes dead but keeps its pointer,
** so that 'next' can still find its place. */
static inline void removeentry(Node *n) {
  if (keyiscollectable(n)) setdeadkey(n);
}

/*
** Would a weak reference to o be cleared? Strings are values here, never
** weak, so they are marked instead.
*/
static int iscleared(global_State *g, GCObject *o) {
  if (o == NULL) return 0;
  if (novariant(o->tt) == LUA_TSTRING) {
    markobject(g, o);
    return 0;
  }
  return unmarked(o);
}

static Node *nodeend(Table *h) {
  return h->node == NULL ? NULL : gnode(h, sizenode(h));
}

static void traversestrongtable(global_State *g, Table *h) {
  Node *n, *limit = nodeend(h);
  unsigned int i;
  for (i = 0; i < h->sizearray; i++) markvalue(g, &h->array[i]);
  for (n = h->node; n < limit; n++) {
    if (ttisnil(gval(n)))
      removeentry(n);
    else {
      markkey(g, n);
      markvalue(g, gval(n));
    }
  }
}

/* Weak values: mark the keys; remember the table if it may need clearing. */
static void traverseweakvalue(global_State *g, Table *h) {
  Node *n, *limit = nodeend(h);
  int hasclears = (h->sizearray > 0);
  for (n = h->node; n < limit; n++) {
    if (ttisnil(gval(n)))
      removeentry(n);
    else {
      markkey(g, n);
      if (!hasclears && iscleared(g, gcvalueN(gval(n)))) hasclears = 1;
    }
  }
  if (g->gc.state == GCSpropagate)
    linkgclist(obj2gco(h), &g->gc.grayagain); /* again in the atomic phase */
  else if (hasclears)
    linkgclist(obj2gco(h), &g->gc.weak);
}

/*
** Ephemeron: a value is marked only once its key is. Returns whether it
** marked anything (then the other ephemerons must be looked at again).
*/
static int traverseephemeron(global_State *g, Table *h) {
  Node *n, *limit = nodeend(h);
  int marked = 0, hasclears = 0, hasww = 0;
  unsigned int i;
  for (i = 0; i < h->sizearray; i++) {
    if (valiswhite(&h->array[i])) {
      marked = 1;
      reallymarkobject(g, gcvalue(&h->array[i]));
    }
  }
  for (n = h->node; n < limit; n++) {
    if (ttisnil(gval(n)))
      removeentry(n);
    else if (iscleared(g, gckeyN(n))) {
      hasclears = 1;
      if (valiswhite(gval(n))) hasww = 1; /* white key -> white value */
    } else if (valiswhite(gval(n))) {
      marked = 1;
      reallymarkobject(g, gcvalue(gval(n)));
    }
  }
  if (g->gc.state == GCSpropagate)
    linkgclist(obj2gco(h), &g->gc.grayagain);
  else if (hasww)
    linkgclist(obj2gco(h), &g->gc.ephemeron);
  else if (hasclears)
    linkgclist(obj2gco(h), &g->gc.allweak);
  return marked;
}

static void traversetable(global_State *g, Table *h) {
  const TValue *mode = NULL;
  int wk = 0, wv = 0;
  markobject(g, obj2gco(h->metatable));
  if (h->metatable != NULL) mode = gfasttm(g, h->metatable, TM_MODE);
  if (mode != NULL && ttisstring(mode)) {
    wk = strchr(svalue(mode), 'k') != NULL;
    wv = strchr(svalue(mode), 'v') != NULL;
  }
  if (!wk && !wv) {
    traversestrongtable(g, h);
    return;
  }
  black2gray(obj2gco(h)); /* weak tables stay gray until cleared */
  if (!wk)
    traverseweakvalue(g, h);
  else if (!wv)
    traverseephemeron(g, h);
  else
    linkgclist(obj2gco(h), &g->gc.allweak); /* nothing to mark */
}

/* ---------- functions and threads ---------- */

static void traverseLclosure(global_State *g, LClosure *cl) {
  int i;
  markobject(g, obj2gco(cl->p));
  for (i = 0; i < cl->nupvalues; i++) markobject(g, obj2gco(cl->upvals[i]));
}

static void traverseCclosure(global_State *g, CClosure *cl) {
  int i;
  for (i = 0; i < cl->nupvalues; i++) markvalue(g, &cl->upvalue[i]);
}

/* Parts still being built by the compiler are NULL or nil. */
static void traverseproto(global_State *g, Proto *f) {
  int i;
  markobject(g, obj2gco(f->source));
  for (i = 0; i < f->sizek; i++) markvalue(g, &f->k[i]);
  for (i = 0; i < f->sizeupvalues; i++)
    markobject(g, obj2gco(f->upvalues[i].name));
  for (i = 0; i < f->sizep; i++) markobject(g, obj2gco(f->p[i]));
  for (i = 0; i < f->sizelocvars; i++)
    markobject(g, obj2gco(f->locvars[i].varname));
}

/* The live part of a stack: up to top, or the running Lua frame's top. */
static StkId stacklimit(lua_State *th) {
  StkId lim = th->top, end = th->stack_last + EXTRA_STACK;
  if (th->ci != NULL && isLua(th->ci) && th->ci->top > lim) lim = th->ci->top;
  return lim < end ? lim : end;
}

/*
** A thread's stack has no write barrier, so a thread stays gray and is
** traversed again in the atomic phase, which also clears its dead part
** (so no slot ever keeps a pointer to a freed object). Its open upvalues
** live as long as it does.
*/
static void traversethread(global_State *g, lua_State *th) {
  StkId o = th->stack, lim;
  UpVal *uv;
  if (o == NULL) return; /* not built yet */
  lim = stacklimit(th);
  for (; o < lim; o++) markvalue(g, o);
  for (uv = th->openupval; uv != NULL; uv = uv->u.open.next)
    markobject(g, obj2gco(uv));
  if (g->gc.state == GCSatomic) {
    StkId end = th->stack_last + EXTRA_STACK;
    for (; o < end; o++) setnilvalue(o);
  } else {
    black2gray(obj2gco(th));
    linkgclist(obj2gco(th), &g->gc.grayagain);
  }
}

static void propagatemark(global_State *g) {
  GCObject *o = g->gc.gray;
  g->gc.gray = *gclistof(o);
  gray2black(o);
  switch (o->tt) {
    case LUA_TTABLE: traversetable(g, gco2t(o)); break;
    case LUA_TLCL: traverseLclosure(g, gco2lcl(o)); break;
    case LUA_TCCL: traverseCclosure(g, gco2ccl(o)); break;
    case LUA_TPROTO: traverseproto(g, gco2p(o)); break;
    default: traversethread(g, gco2th(o)); break;
  }
}

static void propagateall(global_State *g) {
  while (g->gc.gray != NULL) propagatemark(g);
}

/* ---------- the atomic phase ---------- */

/*
** Open upvalues still marked while their thread is not: the slots they
** point to may have changed since they were marked, so mark them again.
*/
static void remarkupvals(global_State *g) {
  lua_State *th;
  for (th = g->twups; th != NULL; th = th->twups) {
    UpVal *uv;
    if (!iswhite(th)) continue;
    for (uv = th->openupval; uv != NULL; uv = uv->u.open.next)
      if (!iswhite(uv)) markvalue(g, uv->v);
  }
}

static void convergeephemerons(global_State *g) {
  int changed;
  do {
    GCObject *w, *next = g->gc.ephemeron;
    g->gc.ephemeron = NULL;
    changed = 0;
    while ((w = next) != NULL) {
      next = gco2t(w)->gclist;
      if (traverseephemeron(g, gco2t(w))) {
        propagateall(g);
        changed = 1;
      }
    }
  } while (changed);
}

static void clearkeys(global_State *g, GCObject *l) {
  for (; l != NULL; l = gco2t(l)->gclist) {
    Table *h = gco2t(l);
    Node *n, *limit = nodeend(h);
    for (n = h->node; n < limit; n++) {
      if (!ttisnil(gval(n)) && iscleared(g, gckeyN(n))) {
        setnilvalue(gval(n));
        removeentry(n);
      }
    }
  }
}

static void clearvalues(global_State *g, GCObject *l) {
  for (; l != NULL; l = gco2t(l)->gclist) {
    Table *h = gco2t(l);
    Node *n, *limit = nodeend(h);
    unsigned int i;
    for (i = 0; i < h->sizearray; i++)
      if (iscleared(g, gcvalueN(&h->array[i]))) setnilvalue(&h->array[i]);
    for (n = h->node; n < limit; n++) {
      if (!ttisnil(gval(n)) && iscleared(g, gcvalueN(gval(n)))) {
        setnilvalue(gval(n));
        removeentry(n);
      }
    }
  }
}

/* A dying thread's open upvalues: the live ones are closed (their values
** were marked by remarkupvals or when they were), the dead ones dropped. */
static void detachupvals(lua_State *th) {
  UpVal *uv, *next;
  for (uv = th->openupval; uv != NULL; uv = next) {
    next = uv->u.open.next;
    if (!iswhite(uv)) {
      uv->u.value = *uv->v;
      uv->v = &uv->u.value;
    }
  }
  th->openupval = NULL;
}

/* Threads leave 'twups' when they die or have no open upvalues left, so
** the sweep never meets an open upvalue of a freed stack. */
static void cleartwups(global_State *g) {
  lua_State **p = &g->twups, *th;
  while ((th = *p) != NULL) {
    if (iswhite(th) || th->openupval == NULL) {
      *p = th->twups;
      th->twups = th; /* out of the list */
      if (iswhite(th)) detachupvals(th);
    } else
      p = &th->twups;
  }
}

static void atomic(lua_State *L) {
  global_State *g = G(L);
  GCObject *grayagain = g->gc.grayagain;
  g->gc.state = GCSatomic;
  g->gc.grayagain = NULL;
  markroots(L);
  remarkupvals(g);
  propagateall(g);
  g->gc.gray = grayagain;
  propagateall(g);
  convergeephemerons(g);
  /* every object reachable through strong references is now marked */
  clearkeys(g, g->gc.ephemeron);
  clearkeys(g, g->gc.allweak);
  clearvalues(g, g->gc.weak);
  clearvalues(g, g->gc.allweak);
  g->gc.weak = g->gc.ephemeron = g->gc.allweak = NULL;
  cleartwups(g);
  g->gc.currentwhite = cast_byte(otherwhite(g)); /* white now means dead */
}

/* ---------- sweeping ---------- */

typedef struct Sweep {
  lua_State *L;
  lua_State *threads; /* survivors, linked by gclist, to shrink */
} Sweep;

/* The object in a block: a thread follows its LUA_EXTRASPACE bytes
** (lua_getextraspace). */
static GCObject *blockobject(void *payload, int tag) {
  if (tag == ML_TAG_THREAD) return obj2gco((char *)payload + LUA_EXTRASPACE);
  return obj2gco(payload);
}

/* Frees o's parts; the sweep frees o's own block. */
static void freeobject(lua_State *L, GCObject *o) {
  switch (o->tt) {
    case LUA_TSHRSTR: str_remove(L, gco2ts(o)); break;
    case LUA_TTABLE: table_free(L, gco2t(o)); break;
    case LUA_TPROTO: func_freeproto(L, gco2p(o)); break;
    case LUA_TTHREAD: state_freethread(L, gco2th(o)); break;
    default: break; /* long strings, closures, upvalues, userdata */
  }
}

static int sweepkeep(void *ud, void *payload, int tag) {
  Sweep *s = (Sweep *)ud;
  global_State *g = G(s->L);
  GCObject *o = blockobject(payload, tag);
  if (isdeadm(otherwhite(g), o->marked) && !(o->marked & bitmask(FIXEDBIT))) {
    freeobject(s->L, o);
    return 0;
  }
  makewhite(g, o);
  if (o->tt == LUA_TTHREAD) {
    gco2th(o)->gclist = obj2gco(s->threads);
    s->threads = gco2th(o);
  }
  return 1;
}

/* After a normal cycle: give back what the survivors do not need. */
static void shrinkbuffers(lua_State *L, lua_State *threads) {
  global_State *g = G(L);
  while (threads != NULL) {
    lua_State *th = threads;
    threads = gco2th(th->gclist);
    th->gclist = NULL;
    if (th->stack != NULL) call_shrinkstack(th);
  }
  if (g->strt.nuse < g->strt.size / 4 && g->strt.size > MINSTRTABSIZE)
    str_resize(L, g->strt.size / 2);
}

/* ---------- cycles and pacing ---------- */

static size_t mulpercent(size_t x, int percent) {
  size_t p = percent > 0 ? (size_t)percent : 1;
  if (x <= MAX_SIZET / p) return x * p / 100;
  return x / 100 <= MAX_SIZET / p ? x / 100 * p : MAX_SIZET;
}

/*
** Next cycle when the heap holds 'pause' percent of what survived. In a
** capped heap a threshold near or past the cap would leave only emergency
** collections, so it stays below 7/8 of the cap when it can.
*/
static void setthreshold(global_State *g) {
  size_t est = g->gc.estimate, cap = heap_cap(g->heap);
  size_t t = mulpercent(est, g->gc.pause);
  if (t < est + MINSLACK / 4) t = est + MINSLACK / 4;
  if (cap != 0 && t > cap - cap / 8) {
    size_t half = est < cap ? est + (cap - est) / 2 : est;
    t = half > cap - cap / 8 ? half : cap - cap / 8;
  }
  g->gc.threshold = t;
}

static void restartcollection(lua_State *L) {
  global_State *g = G(L);
  g->gc.gray = g->gc.grayagain = NULL;
  g->gc.weak = g->gc.ephemeron = g->gc.allweak = NULL;
  g->gc.state = GCSpropagate;
  markroots(L);
}

static void fullcycle(lua_State *L, int emergency) {
  global_State *g = G(L);
  Sweep s;
  g->gc.emergency = cast_byte(emergency);
  g->gc.kind = emergency ? KGC_EMERGENCY : KGC_NORMAL;
  restartcollection(L);
  propagateall(g);
  atomic(L);
  g->gc.state = GCSswpallgc;
  s.L = L;
  s.threads = NULL;
  heap_sweep(g->heap, sweepkeep, &s);
  g->gc.state = GCSswpend;
  if (!emergency) shrinkbuffers(L, s.threads);
  g->gc.state = GCScallfin; /* finalizers: the memory issue */
  g->gc.estimate = heap_used(g->heap);
  setthreshold(g);
  g->gc.emergency = 0;
  g->gc.kind = KGC_NORMAL;
  g->gc.state = GCSpause;
}

/* ---------- the interface ---------- */

void gc_init(lua_State *L) {
  global_State *g = G(L);
  size_t used = heap_used(g->heap);
  memset(&g->gc, 0, sizeof(g->gc));
  g->gc.currentwhite = bitmask(WHITE0BIT);
  g->gc.state = GCSpause;
  g->gc.running = 1;
  g->gc.kind = KGC_NORMAL;
  g->gc.pause = DEFAULTPAUSE;
  g->gc.stepmul = DEFAULTSTEPMUL;
  g->gc.estimate = used;
  g->gc.threshold = used + (used > MINSLACK ? used : MINSLACK);
}

/*
** Nothing to do until finalizers exist: the caller destroys the heap,
** which returns every region. Collections stop here for good.
*/
void gc_freeall(lua_State *L) {
  G(L)->gc.running = 0;
}

/* Collections wait until lua_newstate has set g->version, its last step. */
static int cancollect(const global_State *g) {
  return g->version != NULL && !collecting(g);
}

/* Explicit steps (lua_gc) run even when the collector is stopped. */
void gc_step(lua_State *L) {
  if (cancollect(G(L))) fullcycle(L, 0);
}

/* An emergency cycle moves nothing: no stack or string table shrinks. */
void gc_fullgc(lua_State *L, int isemergency) {
  if (cancollect(G(L))) fullcycle(L, isemergency);
}

void gc_fix(lua_State *L, GCObject *o) {
  UNUSED(L);
  if (!isreadonly(o)) o->marked = cast_byte(o->marked | bitmask(FIXEDBIT));
}

/* o (black) now points to v (white). */
void gc_barrier_(lua_State *L, GCObject *o, GCObject *v) {
  global_State *g = G(L);
  if (isreadonly(o) || !unmarked(v)) return;
  if (keepinvariant(g))
    reallymarkobject(g, v);
  else
    makewhite(g, o); /* sweeping: o will not be seen black again */
}

/* Table t (black) got a white value: traverse it again in atomic. */
void gc_barrierback_(lua_State *L, Table *t) {
  global_State *g = G(L);
  if (isreadonly(t)) return;
  black2gray(obj2gco(t));
  linkgclist(obj2gco(t), &g->gc.grayagain);
}

/* Finalizers come with the memory issue; for now o only records that it
** has one. */
void gc_checkfinalizer(lua_State *L, GCObject *o, Table *mt) {
  if (isreadonly(o) || mt == NULL) return;
  if (gfasttm(G(L), mt, TM_GC) != NULL)
    o->marked = cast_byte(o->marked | bitmask(SEPARATED));
}
