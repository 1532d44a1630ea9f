/*
** state.h: threads (lua_State), call frames (CallInfo) and the state all
** threads share (global_State). state.c creates and frees them.
*/
#ifndef state_h
#define state_h

#include "gc.h"
#include "heap.h"
#include "meta.h"
#include "object.h"

struct lua_longjmp; /* call.c */

#define EXTRA_STACK 5 /* slots above 'stack_last' for metamethod calls */
#define BASIC_STACK_SIZE (2 * LUA_MINSTACK)

/* kinds of Garbage Collection */
#define KGC_NORMAL 0
#define KGC_EMERGENCY 1

typedef struct stringtable {
  TString **hash;
  int nuse; /* number of elements */
  int size;
} stringtable;

/*
** One activation record. Lua functions use 'l', C functions use 'c'.
*/
typedef struct CallInfo {
  StkId func; /* function index in the stack */
  StkId top;  /* top for this function */
  struct CallInfo *previous, *next;
  short nresults; /* expected number of results from this function */
  unsigned short callstatus;
  union {
    struct {
      StkId base;
      const Instruction *savedpc;
    } l;
    struct {
      lua_KFunction k; /* continuation in case of yields */
      ptrdiff_t old_errfunc;
      lua_KContext ctx;
    } c;
  } u;
  ptrdiff_t extra;
} CallInfo;

/* bits in CallInfo status */
#define CIST_OAH (1 << 0)       /* original value of 'allowhook' */
#define CIST_LUA (1 << 1)       /* call is running a Lua function */
#define CIST_HOOKED (1 << 2)    /* call is running a debug hook */
#define CIST_FRESH (1 << 3)     /* call is running on a fresh vm_execute */
#define CIST_YPCALL (1 << 4)    /* call is a yieldable protected call */
#define CIST_TAIL (1 << 5)      /* call was tail called */
#define CIST_HOOKYIELD (1 << 6) /* last hook called yielded */
#define CIST_LEQ (1 << 7)       /* using __lt for __le */
#define CIST_FIN (1 << 8)       /* call is running a finalizer */

#define isLua(ci) ((ci)->callstatus & CIST_LUA)
#define setoah(st, v) ((st) = ((st) & ~CIST_OAH) | (v))
#define getoah(st) ((st)&CIST_OAH)

/*
** The flash store's read-only string table (flash-store issue): interning
** looks here before the RAM table. NULL when no image is mounted.
*/
typedef struct ROStringTable {
  const TString *const *hash; /* 'size' chains, linked by u.hnext */
  unsigned int size;
} ROStringTable;

typedef struct global_State {
  Heap *heap;
  lua_Alloc frealloc; /* where the heap's regions come from */
  void *ud;
  stringtable strt; /* RAM short strings */
  const ROStringTable *rostrings;
  const char *flash_lo, *flash_hi; /* address range of the flash region */
  TValue l_registry;
  unsigned int seed; /* string hash seed */
  GCState gc;
  struct lua_State *twups; /* threads with open upvalues */
  struct LClosure *ccache[ML_CLOSURE_CACHE]; /* weak (ccache.c) */
  lua_CFunction panic;
  struct lua_State *mainthread;
  const lua_Number *version;
  TString *memerrmsg; /* "not enough memory", preallocated and fixed */
  TString *tmname[TM_N];
  struct Table *mt[LUA_NUMTAGS]; /* metatables of the basic types */
  struct Table *overlays; /* ROM table -> its RAM overlay (overlay.c) */
  lu_byte romreadonly;    /* moonlet_setromreadonly */
  const struct Table *ovl_rom[ML_OVL_CACHE]; /* recent lookups, */
  struct Table *ovl_ram[ML_OVL_CACHE];       /* and their results */
} global_State;

struct lua_State {
  CommonHeader;
  lu_byte status;
  StkId top; /* first free slot in the stack */
  global_State *l_G;
  CallInfo *ci;               /* call info of the current function */
  const Instruction *oldpc;   /* last pc traced */
  StkId stack_last;           /* last free slot in the stack */
  StkId stack;
  UpVal *openupval; /* open upvalues of this stack, highest level first */
  GCObject *gclist;
  struct lua_State *twups; /* list of threads with open upvalues */
  struct lua_longjmp *errorJmp;
  CallInfo base_ci; /* CallInfo of the first level (C calling Lua) */
  volatile lua_Hook hook;
  ptrdiff_t errfunc; /* current error handling function (stack index) */
  int stacksize;
  int basehookcount;
  int hookcount;
  unsigned short nny;     /* non-yieldable calls in the stack */
  unsigned short nCcalls; /* nested C calls */
  volatile lu_byte hookmask;
  lu_byte allowhook;
  unsigned short nci; /* number of CallInfos in the list */
};

#define G(L) (L->l_G)

/* Is o in the mounted flash region? (Read-only objects also carry
** ML_READONLY in their header; this test needs no object access.) */
#define state_inflash(g, o) \
  ((const char *)(o) >= (g)->flash_lo && (const char *)(o) < (g)->flash_hi)

CallInfo *state_extendci(lua_State *L); /* a new CallInfo after L->ci */
void state_freeci(lua_State *L);        /* frees the CallInfos after L->ci */
void state_shrinkci(lua_State *L);      /* frees half of the unused ones */
void state_freethread(lua_State *L, lua_State *L1); /* GC: frees a thread */

#define next_ci(L) (L->ci->next ? L->ci->next : state_extendci(L))

#endif
