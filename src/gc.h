/*
** gc.h: the garbage collector's colours, barriers and entry points.
** Tri-colour marking with two whites. Read-only (flash) objects are never
** white, so they are never marked, swept or written. The collector never
** allocates while it collects.
*/
#ifndef gc_h
#define gc_h

#include "object.h"

/* bits of 'marked' */
#define WHITE0BIT 0
#define WHITE1BIT 1
#define BLACKBIT 2
#define FINALIZEDBIT 3 /* the object has been finalized */
#define SEPARATED 4    /* the object has a finalizer to run */
#define FIXEDBIT 5     /* never collected (reserved words, TM names) */
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

/* GC states */
enum { GCSpropagate, GCSatomic, GCSswpallgc, GCSswpend, GCScallfin, GCSpause };

/* The collector's state, embedded in global_State as 'gc'. */
typedef struct GCState {
  lu_byte currentwhite;
  lu_byte state;     /* GCS* */
  lu_byte running;   /* 0 when stopped by collectgarbage("stop") */
  lu_byte emergency; /* running an emergency collection */
  lu_byte kind;
  size_t threshold;  /* heap bytes in use at which the next cycle starts */
  size_t estimate;   /* bytes in use after the last cycle */
  int pause;         /* percent, as Lua 5.3's setpause */
  int stepmul;       /* as Lua 5.3's setstepmul */
  GCObject *gray;      /* objects to traverse */
  GCObject *grayagain; /* objects to traverse again in the atomic phase */
  GCObject *weak;      /* weak tables to clear */
  GCObject *ephemeron;
  GCObject *allweak;
  unsigned emergencies; /* emergency collections run */
  unsigned failures;    /* allocations that failed even after one */
  int sweepcursor;      /* private to gc.c */
} GCState;

void gc_init(lua_State *L);          /* fills g->gc with defaults */
void gc_freeall(lua_State *L);       /* at lua_close: free every object */
void gc_step(lua_State *L);          /* some work, in proportion to debt */
void gc_fullgc(lua_State *L, int isemergency);
void gc_fix(lua_State *L, GCObject *o); /* never collect o */

/* Runs a step when the heap passed the threshold. Call only where every
** live object is reachable (after an object is anchored). */
#define gc_condGC(L, pre, pos) \
  { if (G(L)->gc.running && heap_used(G(L)->heap) >= G(L)->gc.threshold) \
      { pre; gc_step(L); pos; } }
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
      gc_barrierback_(L, p); }
#define gc_objbarrier(L, p, o) \
  { if (isblack(p) && iswhite(o)) gc_barrier_(L, obj2gco(p), obj2gco(o)); }
#define gc_upvalbarrier(L, uv) \
  { if (iscollectable((uv)->v) && isblack(uv) && iswhite(gcvalue((uv)->v))) \
      gc_barrier_(L, obj2gco(uv), gcvalue((uv)->v)); }

void gc_barrier_(lua_State *L, GCObject *o, GCObject *v);
void gc_barrierback_(lua_State *L, Table *t);
/* Called when a metatable with __gc is set on o (finalizers: memory issue). */
void gc_checkfinalizer(lua_State *L, GCObject *o, Table *mt);

#endif
