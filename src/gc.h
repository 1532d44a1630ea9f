/*
** gc.h: the garbage collector's colours, barriers and entry points.
** Tri-colour marking with two whites. Read-only (flash) objects are never
** white, so they are never marked, swept or written. The collector never
** allocates while it collects.
*/
#ifndef gc_h
#define gc_h

#include "object.h"

#ifndef ML_GC_STATS
#define ML_GC_STATS 0 /* 1: time every step with clock() (bench builds) */
#endif

/* bits of 'marked' */
#define WHITE0BIT 0
#define WHITE1BIT 1
#define BLACKBIT 2
#define FINALIZEDBIT 3 /* its finalizer has run (until marked again) */
#define SEPARATED 4    /* marked for finalization: in the finalizer list */
#define FIXEDBIT 5     /* never collected (reserved words, TM names) */
#define TOBEFNZBIT 6   /* tables, userdata: unreachable, finalizer pending */
#define UVSEENBIT 6    /* upvalues: already kept once for a dead thread */
/* bit 7 is ML_READONLY (object.h) */

#define bitmask(b) (1 << (b))
#define bit2mask(b1, b2) (bitmask(b1) | bitmask(b2))
#define WHITEBITS bit2mask(WHITE0BIT, WHITE1BIT)

#define iswhite(x) ((x)->marked & WHITEBITS)
#define isblack(x) ((x)->marked & bitmask(BLACKBIT))
#define isgray(x) (!((x)->marked & (WHITEBITS | bitmask(BLACKBIT) | ML_READONLY)))
#define otherwhite(g) ((g)->gc.currentwhite ^ WHITEBITS)
#define isdeadm(ow, m) (!(((m) ^ WHITEBITS) & (ow)))
#define isdead(g, v) isdeadm(otherwhite(g), (v)->marked)
#define changewhite(x) ((x)->marked ^= WHITEBITS)
#define gray2black(x) ((x)->marked |= bitmask(BLACKBIT))
#define luaC_white(g) cast_byte((g)->gc.currentwhite & WHITEBITS)

/*
** GC states, in the order a cycle goes through them. The sweep, and the
** propagation before it, run a bounded amount of work per step; the
** atomic phase runs whole. GCScallfin lasts while finalizers are pending.
*/
enum { GCSpropagate, GCSatomic, GCSswpallgc, GCSswpend, GCScallfin, GCSpause };

/* node.egc modes (NodeMCU's values; ON_* and ALWAYS combine as bits). */
#define ML_EGC_NOT_ACTIVE 0
#define ML_EGC_ON_ALLOC_FAILURE 1
#define ML_EGC_ON_MEM_LIMIT 2
#define ML_EGC_ALWAYS 4

/* Called when an allocation fails for good (moonlet_setoomhandler). */
typedef void (*gc_OOMHandler)(lua_State *L, size_t asked, void *ud);

/* The collector's state, embedded in global_State as 'gc'. */
typedef struct GCState {
  lu_byte currentwhite;
  lu_byte state;     /* GCS* */
  lu_byte running;   /* 0 when stopped by collectgarbage("stop") */
  lu_byte emergency; /* running an emergency collection */
  lu_byte kind;
  lu_byte busy;      /* marking or sweeping now: no collection may start */
  lu_byte closing;   /* lua_close runs the last finalizers */
  lu_byte egcmode;   /* ML_EGC_* bits */
  lu_byte remarked;  /* this cycle re-traversed 'grayagain' once (gc.c) */
  size_t threshold;  /* heap bytes in use at which the next step runs */
  size_t estimate;   /* bytes in use after the last sweep */
  size_t work;       /* work done by the current step (gc.c) */
  size_t cyclework;  /* work done by the current cycle */
  int pause;         /* percent, as Lua 5.3's setpause */
  int stepmul;       /* as Lua 5.3's setstepmul */
  GCObject *gray;      /* objects to traverse */
  struct Table *bigtab; /* a big table traversed in pieces (gc.c), */
  unsigned int bigpos;  /* and its next slot: array, then nodes */
  GCObject *grayagain; /* objects to traverse again in the atomic phase */
  GCObject *weak;      /* weak tables to clear */
  GCObject *ephemeron;
  GCObject *allweak;
  /* objects marked for finalization, in marking order (gc.c) */
  GCObject **fin;
  unsigned int nfin, sizefin;
  unsigned int ntbf;      /* of them, unreachable with a finalizer pending */
  unsigned int fincursor; /* pending ones are looked for below this index */
  ptrdiff_t egclimit;     /* ON_MEM_LIMIT: > 0 cap on use, < 0 bytes kept free */
  unsigned emergencies;   /* emergency collections run */
  unsigned failures;      /* allocations that failed even after one */
  unsigned long failat;   /* testing: > 0, the failat-th allocation fails */
  gc_OOMHandler oomhandler;
  void *oomud;
  unsigned long cycles, steps; /* statistics */
  size_t maxstepwork;          /* work of the longest step */
#if ML_GC_STATS
  double steptime, maxsteptime, totaltime; /* seconds (clock()) */
#endif
} GCState;

void gc_init(lua_State *L);          /* fills g->gc with defaults */
void gc_freeall(lua_State *L);       /* at lua_close: runs every finalizer */
void gc_step(lua_State *L);          /* lua_gc: a step; finalizer errors raise */
void gc_autostep(lua_State *L);      /* gc_condGC: errors become warnings */
void gc_fullgc(lua_State *L, int isemergency);
void gc_fix(lua_State *L, GCObject *o); /* never collect o */

/* Runs a step when the heap passed the threshold. Call only where every
** live object is reachable (after an object is anchored). */
#define gc_condGC(L, pre, pos) \
  { if (G(L)->gc.running && heap_used(G(L)->heap) >= G(L)->gc.threshold) \
      { pre; gc_autostep(L); pos; } }
#define gc_checkGC(L) gc_condGC(L, (void)0, (void)0)

/*
** Barriers: to be run after every store of a collectable value into an
** object. 'barrier' for stores into upvalues, metatables, user values;
** 'barrierback' for tables (the table is grayed again).
*/
#define gc_barrier(L, p, v) \
  { if (iscollectable(v) && isblack(p) && iswhite(gcvalue(v))) \
      gc_barrier_(L, obj2gco(p), gcvalue(v)); }
#define gc_barrierback(L, p, v) \
  { if (iscollectable(v) && isblack(p) && iswhite(gcvalue(v))) \
      gc_barrierback_(L, p, gcvalue(v)); }
#define gc_objbarrier(L, p, o) \
  { if (isblack(p) && iswhite(o)) gc_barrier_(L, obj2gco(p), obj2gco(o)); }
#define gc_upvalbarrier(L, uv) \
  { if (iscollectable((uv)->v) && isblack(uv) && iswhite(gcvalue((uv)->v))) \
      gc_barrier_(L, obj2gco(uv), gcvalue((uv)->v)); }

void gc_barrier_(lua_State *L, GCObject *o, GCObject *v);
void gc_barrierback_(lua_State *L, Table *t, GCObject *v);
struct global_State;
void gc_tableresized(struct global_State *g, Table *t); /* table.c */
/* An insertion moved node n of t: if t is being marked in pieces, the node
** may have crossed into the marked part (table.c). */
#define gc_nodemoved(g, t, n) \
  { if ((g)->gc.bigtab == (t)) gc_marknode_(g, n); }
void gc_marknode_(struct global_State *g, Node *n);
/*
** Called after metatable mt is set on table or userdata o: when mt has a
** __gc field now, o is marked for finalization (once; again only after its
** finalizer ran, as in 5.3). May allocate: o and mt must be anchored.
*/
void gc_checkfinalizer(lua_State *L, GCObject *o, Table *mt);

#endif
