/*
** gc.c: the garbage collector: incremental tri-colour mark & sweep with two
** whites, paced by allocation debt, with weak tables and finalizers. It
** never allocates, and never writes a read-only object (those are never
** white, so never marked).
*/
#include <stdio.h>
#include <string.h>
#if ML_GC_STATS
#include <time.h>
#endif

#include "gc.h"

#include "call.h"
#include "ccache.h"
#include "func.h"
#include "heap.h"
#include "heapgc.h"
#include "mem.h"
#include "meta.h"
#include "opcodes.h"
#include "state.h"
#include "str.h"
#include "table.h"

#if ML_SMALL
#define DEFAULTPAUSE 100 /* never idle, as NodeMCU ships */
#define STEPSIZE 1024    /* bytes allocated between two steps */
#else
#define DEFAULTPAUSE 200
#define STEPSIZE 2048
#endif
#define DEFAULTSTEPMUL 200
#define MINSLACK 4096    /* the heap may grow by MINSLACK/4 after a cycle */
#define SWEEPDIV 8       /* sweeping a byte costs 1/8 of marking one */
#define FINCOST 256      /* work charged for one finalizer call */

/* Modes of running finalizers: not at all, errors as warnings, errors
** raised (explicit collections, as 5.3's LUA_ERRGCMM). */
enum { FIN_NONE, FIN_WARN, FIN_RAISE };

/* The barriers must keep 'no black object points to a white one'. */
static int keepinvariant(const global_State *g) {
  return g->gc.state <= GCSatomic;
}

/* ---------- colours ---------- */

#define COLOURBITS (WHITEBITS | bitmask(BLACKBIT))
#define TOBEFNZ bitmask(TOBEFNZBIT)

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
        g->gc.work += sizelstring(gco2ts(o)->shrlen);
        gray2black(o);
        return;
      case LUA_TLNGSTR:
        g->gc.work += sizelstring(gco2ts(o)->u.lnglen);
        gray2black(o);
        return;
      case LUA_TUSERDATA: {
        Udata *u = gco2u(o);
        if (u->metatable != NULL && unmarked(obj2gco(u->metatable)))
          reallymarkobject(g, obj2gco(u->metatable)); /* only links it */
        g->gc.work += sizeudata(u);
        gray2black(o);
        uv.value_ = u->user_;
        uv.tt_ = u->ttuv_;
        next = &uv;
        break;
      }
      case LUA_TUPVAL: /* open: its stack slot, which a dead thread keeps */
        g->gc.work += sizeof(UpVal);
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

/* Objects unreachable with a finalizer pending live until it has run. */
static void markbeingfnz(global_State *g) {
  unsigned int i;
  for (i = 0; i < g->gc.nfin; i++) {
    GCObject *o = g->gc.fin[i];
    if (o != NULL && (o->marked & TOBEFNZ)) markobject(g, o);
  }
}

static void markroots(lua_State *L) {
  global_State *g = G(L);
  int i;
  markobject(g, obj2gco(g->mainthread));
  markobject(g, obj2gco(L));
  markvalue(g, &g->l_registry);
  markobject(g, obj2gco(g->overlays));
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

static size_t tablesize(Table *h) {
  size_t n = h->node == NULL ? 0 : (size_t)sizenode(h);
  return sizeof(Table) + sizeof(TValue) * h->sizearray + sizeof(Node) * n;
}

/* Marks slots [from, to) of h, numbered through the array part, then the
** nodes. */
static void markslots(global_State *g, Table *h, unsigned int from,
                      unsigned int to) {
  unsigned int i;
  for (i = from; i < to && i < h->sizearray; i++) markvalue(g, &h->array[i]);
  for (; i < to; i++) {
    Node *n = gnode(h, i - h->sizearray);
    if (ttisnil(gval(n)))
      removeentry(n);
    else {
      markkey(g, n);
      markvalue(g, gval(n));
    }
  }
}

static unsigned int slotcount(const Table *h) {
  return h->sizearray + cast(unsigned int, sizenode(h));
}

/*
** A big strong table is marked ML_GC_BIGTABLE slots per propagation step,
** so that no step traverses a huge table whole. It stays black and in the
** gray list meanwhile: a white value stored into it is marked by the
** barrier (gc_barrierback_), and a resize starts it over (table.c). Returns
** the work.
*/
static size_t markbigtable(global_State *g) {
  Table *h = g->gc.bigtab;
  unsigned int from = g->gc.bigpos, to = from + ML_GC_BIGTABLE;
  if (to >= slotcount(h)) { /* the last piece: out of the list first */
    to = slotcount(h);
    lua_assert(g->gc.gray == obj2gco(h));
    g->gc.gray = h->gclist;
    g->gc.bigtab = NULL;
  }
  markslots(g, h, from, to);
  g->gc.bigpos = to;
  return sizeof(TValue) * (to - from);
}

void gc_tableresized(global_State *g, Table *h) {
  if (g->gc.bigtab == h) g->gc.bigpos = 0;
}

void gc_marknode_(global_State *g, Node *n) {
  markkey(g, n);
  markvalue(g, gval(n));
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

static size_t traversetable(global_State *g, Table *h) {
  const TValue *mode = NULL;
  int wk = 0, wv = 0;
  markobject(g, obj2gco(h->metatable));
  if (h->metatable != NULL) mode = gfasttm(g, h->metatable, TM_MODE);
  if (mode != NULL && ttisstring(mode)) {
    wk = strchr(svalue(mode), 'k') != NULL;
    wv = strchr(svalue(mode), 'v') != NULL;
  }
  if (!wk && !wv) {
    if (slotcount(h) > 2 * ML_GC_BIGTABLE && g->gc.bigtab == NULL) {
      g->gc.bigtab = h; /* back in the list, still black: in pieces */
      g->gc.bigpos = 0;
      h->gclist = g->gc.gray;
      g->gc.gray = obj2gco(h);
      return sizeof(Table) + markbigtable(g);
    }
    traversestrongtable(g, h);
    return tablesize(h);
  }
  black2gray(obj2gco(h)); /* weak tables stay gray until cleared */
  if (!wk)
    traverseweakvalue(g, h);
  else if (!wv)
    traverseephemeron(g, h);
  else
    linkgclist(obj2gco(h), &g->gc.allweak); /* nothing to mark */
  return tablesize(h);
}

/* ---------- functions and threads ---------- */

static size_t traverseLclosure(global_State *g, LClosure *cl) {
  int i;
  markobject(g, obj2gco(cl->p));
  for (i = 0; i < cl->nupvalues; i++) markobject(g, obj2gco(cl->upvals[i]));
  return (size_t)sizeLclosure(cl->nupvalues);
}

static size_t traverseCclosure(global_State *g, CClosure *cl) {
  int i;
  for (i = 0; i < cl->nupvalues; i++) markvalue(g, &cl->upvalue[i]);
  return (size_t)sizeCclosure(cl->nupvalues);
}

/* Parts still being built by the compiler are NULL or nil. */
static size_t traverseproto(global_State *g, Proto *f) {
  int i;
  markobject(g, obj2gco(f->source));
  for (i = 0; i < f->sizek; i++) markvalue(g, &f->k[i]);
  for (i = 0; i < f->sizeupvalues; i++)
    markobject(g, obj2gco(f->upvalues[i].name));
  for (i = 0; i < f->sizep; i++) markobject(g, obj2gco(f->p[i]));
  for (i = 0; i < f->sizelocvars; i++)
    markobject(g, obj2gco(f->locvars[i].varname));
  return sizeof(Proto) + sizeof(Instruction) * (size_t)f->sizecode +
         sizeof(TValue) * (size_t)f->sizek +
         sizeof(Proto *) * (size_t)f->sizep +
         (size_t)f->sizelineinfo +
         sizeof(AbsLineInfo) * (size_t)f->sizeabslineinfo +
         sizeof(LocVar) * (size_t)f->sizelocvars +
         sizeof(Upvaldesc) * (size_t)f->sizeupvalues;
}

/*
** In an emergency, inside an instruction of the running Lua function: the
** bound of live registers the VM itself gives its GC check for the
** instructions that allocate objects (ra + 1), top where the VM sets it
** to the live end (CONCAT, CALL, TAILCALL), else the whole frame. So a
** register left over from a finished call does not keep garbage alive.
*/
static StkId emergencylimit(const lua_State *th) {
  const CallInfo *ci = th->ci;
  const Proto *p = clLvalue(ci->func)->p;
  Instruction i;
  StkId all = ci->top > th->top ? ci->top : th->top;
  if (ci->u.l.savedpc <= p->code || ci->u.l.savedpc > p->code + p->sizecode)
    return all;
  i = *(ci->u.l.savedpc - 1);
  switch (GET_OPCODE(i)) {
    case OP_NEWTABLE: case OP_CLOSURE: return ci->u.l.base + GETARG_A(i) + 1;
    case OP_CONCAT: case OP_CALL: case OP_TAILCALL: return th->top;
    default: return all;
  }
}

/*
** The live part of a stack: up to top. Steps run at safe points, where
** top is past the last live register (so a dead register holds nothing
** alive, and the atomic phase clears it, as in 5.3); an emergency runs
** inside an allocation, where a Lua frame's registers up to ci->top may
** be live.
*/
static StkId stacklimit(global_State *g, lua_State *th) {
  StkId lim = th->top, end = th->stack_last + EXTRA_STACK;
  if (g->gc.emergency && th->ci != NULL && isLua(th->ci))
    lim = emergencylimit(th);
  return lim < end ? lim : end;
}

/*
** A thread's stack has no write barrier, so a thread stays gray and is
** traversed again in the atomic phase, which also clears its dead part
** (so no slot ever keeps a pointer to a freed object). Its open upvalues
** live as long as it does.
*/
static size_t traversethread(global_State *g, lua_State *th) {
  StkId o = th->stack, lim;
  UpVal *uv;
  if (o == NULL) return sizeof(lua_State); /* not built yet */
  lim = stacklimit(g, th);
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
  return sizeof(lua_State) + sizeof(TValue) * (size_t)th->stacksize +
         sizeof(CallInfo) * th->nci;
}

/* Traverses one gray object; the work is about the bytes it looked at. */
static void propagatemark(global_State *g) {
  GCObject *o = g->gc.gray;
  if (o == obj2gco(g->gc.bigtab)) {
    g->gc.work += markbigtable(g);
    return;
  }
  g->gc.gray = *gclistof(o);
  gray2black(o);
  switch (o->tt) {
    case LUA_TTABLE: g->gc.work += traversetable(g, gco2t(o)); break;
    case LUA_TLCL: g->gc.work += traverseLclosure(g, gco2lcl(o)); break;
    case LUA_TCCL: g->gc.work += traverseCclosure(g, gco2ccl(o)); break;
    case LUA_TPROTO: g->gc.work += traverseproto(g, gco2p(o)); break;
    default: g->gc.work += traversethread(g, gco2th(o)); break;
  }
}

static void propagateall(global_State *g) {
  while (g->gc.gray != NULL) propagatemark(g);
}

/* ---------- the finalizer list ---------- */

/*
** The heap keeps no list of objects (it is walked), so the objects marked
** for finalization sit in one array, g->gc.fin (a heap block tagged
** OTHER), in marking order: one pointer per such object and nothing for
** the others. An entry is an object with SEPARATED set; TOBEFNZ marks
** the unreachable ones whose finalizer is pending. A finalizer that is
** called leaves a NULL hole, removed (order kept) at the next atomic
** phase or before the array grows. Pending finalizers are called from the
** top down (newest first: reverse marking order); 'fincursor' remembers
** where the search is. While some are pending, an atomic phase separates
** no new ones (it keeps them alive for a later cycle instead), so pending
** finalizers always belong to one cycle and older ones run first.
*/
static void compactfin(global_State *g) {
  GCState *gc = &g->gc;
  unsigned int i, j = 0, cursor = 0;
  for (i = 0; i < gc->nfin; i++) {
    if (i == gc->fincursor) cursor = j;
    if (gc->fin[i] != NULL) gc->fin[j++] = gc->fin[i];
  }
  if (gc->fincursor >= gc->nfin) cursor = j;
  gc->nfin = j;
  gc->fincursor = cursor;
}

/* Room for one more entry. May collect (the array is compacted then). */
static void growfin(lua_State *L) {
  GCState *gc = &G(L)->gc;
  unsigned int newsize;
  GCObject **nf;
  compactfin(G(L));
  if (gc->nfin < gc->sizefin) return;
  if (gc->sizefin >= (unsigned int)MAX_INT / 2) mem_toobig(L);
  newsize = gc->sizefin < 4 ? 4 : gc->sizefin * 2;
  nf = (GCObject **)mem_realloc(L, gc->fin, gc->sizefin * sizeof(GCObject *),
                                newsize * sizeof(GCObject *), ML_TAG_OTHER);
  gc->fin = nf;
  gc->sizefin = newsize;
}

/* Gives back most of an array that emptied; shrinking never allocates. */
static void shrinkfin(global_State *g) {
  GCState *gc = &g->gc;
  unsigned int newsize = gc->sizefin / 2;
  void *nf;
  if (gc->nfin >= gc->sizefin / 4 || gc->sizefin <= 4) return;
  nf = heap_realloc(g->heap, gc->fin, newsize * sizeof(GCObject *),
                    ML_TAG_OTHER);
  if (nf != NULL) {
    gc->fin = (GCObject **)nf;
    gc->sizefin = newsize;
  }
}

/*
** At the end of marking: unreachable objects marked for finalization get
** TOBEFNZ, or, with finalizers still pending from a previous cycle, are
** just kept alive. Runs before the atomic phase flips the whites.
*/
static void separatetobefnz(global_State *g) {
  GCState *gc = &g->gc;
  int defer = gc->ntbf > 0;
  unsigned int i;
  compactfin(g);
  gc->fincursor = gc->nfin;
  for (i = 0; i < gc->nfin; i++) {
    GCObject *o = gc->fin[i];
    if ((o->marked & TOBEFNZ) || !unmarked(o)) continue;
    if (defer)
      reallymarkobject(g, o);
    else {
      o->marked = cast_byte(o->marked | TOBEFNZ);
      gc->ntbf++;
    }
  }
  g->gc.work += sizeof(GCObject *) * gc->nfin;
}

/* The next object whose finalizer is pending, taken off the list. */
static GCObject *nexttobefnz(global_State *g) {
  GCState *gc = &g->gc;
  while (gc->ntbf > 0 && gc->fincursor > 0) {
    GCObject *o = gc->fin[--gc->fincursor];
    if (o != NULL && (o->marked & TOBEFNZ)) {
      gc->fin[gc->fincursor] = NULL;
      gc->ntbf--;
      o->marked = cast_byte((o->marked & ~(TOBEFNZ | bitmask(SEPARATED))) |
                            bitmask(FINALIZEDBIT));
      return o;
    }
  }
  return NULL;
}

/* ---------- the atomic phase ---------- */

/*
** Open upvalues of threads not marked (yet): the slots they point to may
** have changed since they were marked, so mark those again. As Lua 5.3
** does with its "touched" upvalues, an open upvalue of an unreachable
** thread keeps its value alive for one cycle, once: so a cycle through a
** dead coroutine's stack takes two collections to break.
*/
static void remarkupvals(global_State *g) {
  lua_State *th;
  for (th = g->twups; th != NULL; th = th->twups) {
    UpVal *uv;
    if (!iswhite(th)) continue;
    for (uv = th->openupval; uv != NULL; uv = uv->u.open.next) {
      if (!(uv->marked & bitmask(UVSEENBIT))) {
        uv->marked = cast_byte(uv->marked | bitmask(UVSEENBIT));
        markobject(g, obj2gco(uv));
      }
      if (!iswhite(uv)) markvalue(g, uv->v);
    }
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

/* Clears the white values of the tables in list l up to (not including) f. */
static void clearvalues(global_State *g, GCObject *l, GCObject *f) {
  for (; l != f; l = gco2t(l)->gclist) {
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

/*
** Weak values are cleared before the objects to be finalized are marked
** again (a finalizer must not find them), weak keys after (so it still
** finds its own entries); values of weak tables first reached while
** marking those objects are cleared then.
*/
static void atomic(lua_State *L) {
  global_State *g = G(L);
  GCObject *grayagain = g->gc.grayagain, *origweak, *origall;
  g->gc.state = GCSatomic;
  g->gc.grayagain = NULL;
  markroots(L);
  remarkupvals(g);
  propagateall(g);
  g->gc.gray = grayagain;
  propagateall(g);
  convergeephemerons(g);
  /* every object reachable through strong references is now marked */
  clearvalues(g, g->gc.weak, NULL);
  clearvalues(g, g->gc.allweak, NULL);
  origweak = g->gc.weak;
  origall = g->gc.allweak;
  separatetobefnz(g);
  markbeingfnz(g);
  propagateall(g);
  convergeephemerons(g);
  clearkeys(g, g->gc.ephemeron);
  clearkeys(g, g->gc.allweak);
  clearvalues(g, g->gc.weak, origweak);
  clearvalues(g, g->gc.allweak, origall);
  g->gc.weak = g->gc.ephemeron = g->gc.allweak = NULL;
  cleartwups(g);
  ccache_dropdead(g); /* before the sweep can free one */
  g->gc.currentwhite = cast_byte(otherwhite(g)); /* white now means dead */
  g->gc.cycles++;
}

/* ---------- sweeping ---------- */

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

/*
** Dead objects (the old white) are freed; survivors turn the current
** white, as do objects made after the atomic phase, so those survive.
** A surviving thread gives back the stack it does not use, except in an
** emergency (the allocation that failed may hold stack pointers).
*/
static int sweepkeep(void *ud, void *payload, int tag) {
  lua_State *L = (lua_State *)ud;
  global_State *g = G(L);
  GCObject *o = blockobject(payload, tag);
  if (isdeadm(otherwhite(g), o->marked) && !(o->marked & bitmask(FIXEDBIT))) {
    freeobject(L, o);
    return 0;
  }
  makewhite(g, o);
  if (o->tt == LUA_TTHREAD && !g->gc.emergency && gco2th(o)->stack != NULL)
    call_shrinkstack(gco2th(o));
  return 1;
}

static void sweepstep(lua_State *L, size_t budget) {
  global_State *g = G(L);
  g->gc.work += heap_sweepstep(g->heap, sweepkeep, L, budget * SWEEPDIV) /
                SWEEPDIV;
}

/* After a sweep: the string table shrinks when mostly empty (never in an
** emergency; shrinking allocates nothing). */
static void endsweep(lua_State *L) {
  global_State *g = G(L);
  if (!g->gc.emergency && g->strt.nuse < g->strt.size / 4 &&
      g->strt.size > MINSTRTABSIZE)
    str_resize(L, g->strt.size / 2);
  g->gc.estimate = heap_used(g->heap);
}

/* ---------- calling finalizers ---------- */

static void dothecall(lua_State *L, void *ud) {
  UNUSED(ud);
  call_callnoyield(L, L->top - 2, 0);
}

/* An error in a finalizer: raised for explicit collections, else (steps at
** safe points, lua_close) printed as a warning. The error value is on top. */
static void finalizererror(lua_State *L, int status, int mode) {
  const char *msg = ttisstring(L->top - 1) ? svalue(L->top - 1) : "no message";
  if (mode == FIN_RAISE) {
    if (status == LUA_ERRRUN) {
      obj_pushfstring(L, "error in __gc metamethod (%s)", msg);
      status = LUA_ERRGCMM;
    }
    call_throw(L, status);
  }
  fprintf(stderr, "warning: error in __gc metamethod (%s)\n", msg);
  fflush(stderr);
  L->top--;
}

/*
** Calls o's __gc (looked up now: it may have changed or gone since o was
** marked) with hooks and automatic steps off, in protected mode.
*/
static void callfinalizer(lua_State *L, GCObject *o, int mode) {
  global_State *g = G(L);
  TValue v;
  const TValue *tm;
  lu_byte oldah = L->allowhook, running = g->gc.running;
  int status;
  setgcovalue(L, &v, o);
  tm = meta_gettmbyobj(L, &v, TM_GC);
  if (!ttisfunction(tm)) return;
  L->allowhook = 0;
  g->gc.running = 0;
  setobj2s(L, L->top, tm);  /* EXTRA_STACK leaves room for both */
  setobj2s(L, L->top + 1, &v);
  L->top += 2;
  L->ci->callstatus |= CIST_FIN;
  status = call_pcall(L, dothecall, NULL, savestack(L, L->top - 2), 0);
  L->ci->callstatus &= (unsigned short)~CIST_FIN;
  L->allowhook = oldah;
  g->gc.running = running;
  if (status != LUA_OK) finalizererror(L, status, mode);
}

static int runonefinalizer(lua_State *L, int mode) {
  GCObject *o = nexttobefnz(G(L));
  if (o == NULL) return 0;
  callfinalizer(L, o, mode);
  return 1;
}

static void callallpending(lua_State *L, int mode) {
  while (runonefinalizer(L, mode)) {}
}

/* ---------- the cycle, one step at a time ---------- */

static size_t mulpercent(size_t x, int percent) {
  size_t p = percent > 0 ? (size_t)percent : 1;
  if (x <= MAX_SIZET / p) return x * p / 100;
  return x / 100 <= MAX_SIZET / p ? x / 100 * p : MAX_SIZET;
}

/*
** Next cycle when the heap holds 'pause' percent of what survived. In a
** capped heap the cycle must also end before the heap is full: it starts
** at the latest when half the free bytes are used, and its steps speed up
** as the heap fills (see step). Pending finalizers run at the next safe
** point.
*/
static void setthreshold(global_State *g) {
  size_t est = g->gc.estimate, cap = heap_cap(g->heap);
  size_t t = mulpercent(est, g->gc.pause), low = est + MINSLACK / 4;
  if (cap != 0 && est < cap && t > est + (cap - est) / 2)
    t = est + (cap - est) / 2;
  if (t < low) t = low;
  if (g->gc.ntbf > 0) t = 0;
  g->gc.threshold = t;
}

static void restartcollection(lua_State *L) {
  global_State *g = G(L);
  g->gc.remarked = 0;
  g->gc.cyclework = 0;
  g->gc.gray = g->gc.grayagain = NULL;
  g->gc.bigtab = NULL;
  g->gc.weak = g->gc.ephemeron = g->gc.allweak = NULL;
  g->gc.state = GCSpropagate;
  markroots(L);
}

/*
** When the gray list first empties, the objects waiting for the atomic
** phase (tables hit by a back barrier, threads, weak tables) are
** traversed once more incrementally: a table written all through the
** cycle then reaches the atomic phase with only its latest writes to
** mark, which keeps that phase short. The second time, marking ends.
*/
static void propagatestep(global_State *g, size_t budget) {
  if (g->gc.gray != NULL) {
    do propagatemark(g);
    while (g->gc.gray != NULL && g->gc.work < budget);
  } else if (!g->gc.remarked) {
    g->gc.remarked = 1;
    g->gc.gray = g->gc.grayagain;
    g->gc.grayagain = NULL;
  } else
    g->gc.state = GCSatomic;
}

/* Marking or sweeping: 'busy' keeps any other collection out meanwhile. */
static void collectorwork(lua_State *L, size_t budget) {
  global_State *g = G(L);
  g->gc.busy = 1;
  switch (g->gc.state) {
    case GCSpause:
      restartcollection(L);
      break;
    case GCSpropagate:
      propagatestep(g, budget);
      break;
    case GCSatomic:
      atomic(L);
      shrinkfin(g);
      heap_sweepbegin(g->heap);
      g->gc.state = GCSswpallgc;
      break;
    case GCSswpallgc:
      sweepstep(L, budget);
      if (heap_sweepdone(g->heap)) g->gc.state = GCSswpend;
      break;
    default: /* GCSswpend */
      endsweep(L);
      g->gc.state = GCScallfin;
      break;
  }
  g->gc.busy = 0;
}

/*
** One piece of the cycle, of about 'budget' work; returns the work done.
** Finalizers are called one at a time, outside 'busy': they run Lua code,
** which may allocate, collect, or call collectgarbage.
*/
static size_t singlestep(lua_State *L, size_t budget, int finmode) {
  global_State *g = G(L);
  g->gc.work = 0;
  if (g->gc.state != GCScallfin) {
    collectorwork(L, budget);
    g->gc.cyclework += g->gc.work;
    return g->gc.work;
  }
  if (finmode != FIN_NONE && runonefinalizer(L, finmode)) return FINCOST;
  g->gc.state = GCSpause; /* finalizers left pending run at a later step */
  return 0;
}

/* Runs until the cycle reaches state s (GCScallfin or GCSpause). */
static void runtil(lua_State *L, int s, int finmode) {
  global_State *g = G(L);
  while (g->gc.state != s) singlestep(L, MAX_SIZET, finmode);
}

/* Ends the cycle under way, if any, short of its finalizers. */
static void finishcycle(lua_State *L) {
  global_State *g = G(L);
  if (g->gc.state != GCSpause && g->gc.state != GCScallfin)
    runtil(L, GCScallfin, FIN_NONE);
}

/* The cycle under way, then a whole new one, short of finalizers. */
static void wholecycle(lua_State *L) {
  finishcycle(L);
  G(L)->gc.state = GCSpause; /* no cycle is under way: nothing is dropped */
  runtil(L, GCScallfin, FIN_NONE);
}

/* Collections wait until lua_newstate has set g->version, its last step,
** and never start inside another one; while the state closes, only an
** emergency collection may run (a finalizer's allocation failed). */
static int cancollect(const global_State *g, int isemergency) {
  return g->version != NULL && !g->gc.busy &&
         (!g->gc.closing || isemergency);
}

#if ML_GC_STATS
static void starttimer(global_State *g) {
  g->gc.steptime = (double)clock() / CLOCKS_PER_SEC;
}

static void stoptimer(global_State *g, int isstep) {
  double t = (double)clock() / CLOCKS_PER_SEC - g->gc.steptime;
  g->gc.totaltime += t;
  if (isstep && t > g->gc.maxsteptime) g->gc.maxsteptime = t;
}
#else
#define starttimer(g) ((void)0)
#define stoptimer(g, isstep) ((void)0)
#endif

/*
** In a capped heap, the cycle's remaining work (marking at most what is
** in use, sweeping the heap) must be done before the free bytes, less
** a reserve of 1/16 of the heap, run out: a step does at least its share
** of it for the bytes allocated since the last step.
*/
static size_t cappedbudget(global_State *g, size_t budget, size_t alloc) {
  size_t cap = heap_cap(g->heap), reserve = cap / 16;
  size_t avail = heap_free_bytes(g->heap), work, left;
  if (g->gc.state >= GCSswpend) return budget; /* marking, sweeping done */
  work = heap_used(g->heap) + cap / SWEEPDIV; /* all in use may be live */
  left = work > g->gc.cyclework ? work - g->gc.cyclework : 0;
  if (avail <= reserve + alloc) return MAX_SIZET;
  left = (size_t)((double)left * (double)alloc / (double)(avail - reserve));
  return left > budget ? left : budget;
}

/*
** A step pays for the debt (bytes allocated past the threshold) plus a
** step's worth, times stepmul/200 as Lua 5.3 counts it, then sets the
** threshold STEPSIZE bytes ahead, or by the pause after a whole cycle.
** In the last 1/16 of a capped heap a step is a full collection: a step
** runs at a safe point, where dead registers are known (above top) and
** are cleared, so it frees what an emergency collection, which must keep
** every register of the running function, could not.
*/
static void step(lua_State *L, int finmode) {
  global_State *g = G(L);
  size_t used = heap_used(g->heap), total = 0, cap = heap_cap(g->heap);
  size_t debt = used > g->gc.threshold ? used - g->gc.threshold : 0;
  size_t budget = mulpercent(debt + STEPSIZE, g->gc.stepmul / 2);
  if (!cancollect(g, 0)) return;
  starttimer(g);
  g->gc.kind = KGC_NORMAL;
  if (cap != 0) budget = cappedbudget(g, budget, debt + STEPSIZE);
  if (cap != 0 && heap_free_bytes(g->heap) < cap / 16) {
    wholecycle(L); /* here, not in an emergency */
    budget = MAX_SIZET; /* and the finalizers */
  }
  do {
    size_t w = singlestep(L, budget - total, finmode);
    total += w;
  } while (total < budget && g->gc.state != GCSpause);
  if (g->gc.state == GCSpause)
    setthreshold(g);
  else
    g->gc.threshold = heap_used(g->heap) + STEPSIZE;
  g->gc.steps++;
  if (total > g->gc.maxstepwork) g->gc.maxstepwork = total;
  stoptimer(g, 1);
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
  g->gc.egcmode = ML_EGC_ON_ALLOC_FAILURE;
  g->gc.pause = DEFAULTPAUSE;
  g->gc.stepmul = DEFAULTSTEPMUL;
  g->gc.estimate = used;
  g->gc.threshold = used + (used > MINSLACK ? used : MINSLACK);
}

void gc_step(lua_State *L) { step(L, FIN_RAISE); }

void gc_autostep(lua_State *L) { step(L, FIN_WARN); }

/*
** Finishes the cycle under way, runs the pending finalizers, then a whole
** new cycle and its finalizers. An emergency collection (inside an
** allocation) runs no finalizer and moves nothing: no stack or string
** table shrinks; pending finalizers then run at the next safe point.
*/
void gc_fullgc(lua_State *L, int isemergency) {
  global_State *g = G(L);
  if (!cancollect(g, isemergency)) return;
  starttimer(g);
  g->gc.emergency = cast_byte(isemergency);
  finishcycle(L);
  g->gc.emergency = 0;
  if (!isemergency) { /* a finalizer may start a cycle: finish it too */
    callallpending(L, FIN_RAISE);
    finishcycle(L);
  }
  g->gc.emergency = cast_byte(isemergency);
  g->gc.kind = isemergency ? KGC_EMERGENCY : KGC_NORMAL;
  g->gc.state = GCSpause; /* no cycle is under way: nothing is dropped */
  runtil(L, GCScallfin, FIN_NONE);
  g->gc.emergency = 0;
  g->gc.kind = KGC_NORMAL;
  if (!isemergency) {
    callallpending(L, FIN_RAISE);
    finishcycle(L);
  }
  if (g->gc.state == GCScallfin && g->gc.ntbf == 0) g->gc.state = GCSpause;
  setthreshold(g);
  stoptimer(g, 0);
}

/*
** At lua_close: the pending finalizers run, then those of every other
** object marked for finalization, newest first, as in 5.3.
** Objects marked while this runs are not finalized. No collection runs
** after it: the caller destroys the heap, which returns every region.
*/
void gc_freeall(lua_State *L) {
  global_State *g = G(L);
  unsigned int i;
  if (g->version == NULL || g->gc.busy) return;
  g->gc.closing = 1; /* a cycle under way stays so: nothing is freed now */
  callallpending(L, FIN_WARN);
  compactfin(g);
  for (i = 0; i < g->gc.nfin; i++) {
    g->gc.fin[i]->marked = cast_byte(g->gc.fin[i]->marked | TOBEFNZ);
    g->gc.ntbf++;
  }
  g->gc.fincursor = g->gc.nfin;
  callallpending(L, FIN_WARN);
  g->gc.running = 0;
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

/*
** Table t (black) got white value v: traverse t again in atomic. A big
** strong table would make the atomic step long: v is marked instead.
*/
void gc_barrierback_(lua_State *L, Table *t, GCObject *v) {
  global_State *g = G(L);
  if (isreadonly(t)) return;
  if (t == g->gc.bigtab || (t->metatable == NULL &&
                            slotcount(t) > ML_GC_BIGTABLE)) {
    gc_barrier_(L, obj2gco(t), v);
    return;
  }
  black2gray(obj2gco(t));
  linkgclist(obj2gco(t), &g->gc.grayagain);
}

void gc_checkfinalizer(lua_State *L, GCObject *o, Table *mt) {
  global_State *g = G(L);
  if (isreadonly(o) || mt == NULL || (o->marked & bitmask(SEPARATED)) ||
      g->gc.closing || gfasttm(g, mt, TM_GC) == NULL)
    return;
  if (g->gc.nfin >= g->gc.sizefin) growfin(L);
  g->gc.fin[g->gc.nfin++] = o;
  o->marked = cast_byte((o->marked | bitmask(SEPARATED)) &
                        ~bitmask(FINALIZEDBIT));
}
