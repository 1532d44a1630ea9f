/*
** call.c: calls and returns, the Lua stack, errors and coroutines.
** Invariants: every pointer into a stack (L->top, CallInfo func/top/base,
** open upvalues) is corrected whenever the stack moves; an error unwinds by
** longjmp to the innermost lua_longjmp record of its thread.
*/
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "call.h"
#include "debuginfo.h"
#include "func.h"
#include "gc.h"
#include "mem.h"
#include "meta.h"
#include "opcodes.h"
#include "str.h"
#include "vm.h"

/* One catch record; they chain through 'previous' from L->errorJmp. */
struct lua_longjmp {
  struct lua_longjmp *previous;
  jmp_buf b;
  volatile int status; /* error code */
};

/* Stack size while handling a stack overflow: room for the handler. */
#define ERRORSTACKSIZE (LUAI_MAXSTACK + 200)

static inline int errorstatus(int s) { return s > LUA_YIELD; }

/* ---------------------------------------------------------------- errors */

void call_seterrorobj(lua_State *L, int errcode, StkId oldtop) {
  switch (errcode) {
    case LUA_ERRMEM: /* no allocation: the message is preallocated */
      setsvalue2s(L, oldtop, G(L)->memerrmsg);
      break;
    case LUA_ERRERR:
      setsvalue2s(L, oldtop, str_newliteral(L, "error in error handling"));
      break;
    default: /* the error value is on the top */
      setobjs2s(L, oldtop, L->top - 1);
      break;
  }
  L->top = oldtop + 1;
}

/*
** No catch record in L: a coroutine run outside lua_resume hands its error
** to the main thread; otherwise the panic function gets a last chance.
*/
static l_noret throwunprotected(lua_State *L, int errcode) {
  global_State *g = G(L);
  L->status = cast_byte(errcode); /* the thread is dead */
  if (g->mainthread->errorJmp != NULL) {
    setobjs2s(L, g->mainthread->top, L->top - 1);
    g->mainthread->top++;
    call_throw(g->mainthread, errcode);
  }
  if (g->panic != NULL) {
    call_seterrorobj(L, errcode, L->top); /* room: EXTRA_STACK */
    if (L->ci->top < L->top) L->ci->top = L->top;
    g->panic(L);
  }
  abort();
}

l_noret call_throw(lua_State *L, int errcode) {
  if (L->errorJmp != NULL) {
    L->errorJmp->status = errcode;
    longjmp(L->errorJmp->b, 1);
  }
  throwunprotected(L, errcode);
}

int call_rawrunprotected(lua_State *L, Pfunc f, void *ud) {
  unsigned short oldnCcalls = L->nCcalls;
  struct lua_longjmp lj;
  lj.status = LUA_OK;
  lj.previous = L->errorJmp;
  L->errorJmp = &lj;
  if (setjmp(lj.b) == 0) f(L, ud);
  L->errorJmp = lj.previous;
  L->nCcalls = oldnCcalls;
  return lj.status;
}

/* ----------------------------------------------------------------- stack */

/* Rebases every pointer into the stack after it moved from 'oldstack'. */
static void correctstack(lua_State *L, TValue *oldstack) {
  CallInfo *ci;
  UpVal *up;
  L->top = L->stack + (L->top - oldstack);
  for (up = L->openupval; up != NULL; up = up->u.open.next) {
    up->v = L->stack + (up->v - oldstack);
    up->u.open.level = up->v;
  }
  for (ci = L->ci; ci != NULL; ci = ci->previous) {
    ci->top = L->stack + (ci->top - oldstack);
    ci->func = L->stack + (ci->func - oldstack);
    if (isLua(ci)) ci->u.l.base = L->stack + (ci->u.l.base - oldstack);
  }
}

/* Installs a stack block of 'newsize' slots whose first slots are kept. */
static void setstack(lua_State *L, TValue *newstack, int newsize) {
  TValue *oldstack = L->stack;
  int i;
  for (i = L->stacksize; i < newsize; i++) setnilvalue(newstack + i);
  L->stack = newstack;
  L->stacksize = newsize;
  L->stack_last = newstack + newsize - EXTRA_STACK;
  if (newstack != oldstack) correctstack(L, oldstack);
}

/* May raise "not enough memory" (the stack is then unchanged). */
void call_reallocstack(lua_State *L, int newsize) {
  TValue *ns = (TValue *)mem_realloc(L, L->stack,
                                     (size_t)L->stacksize * sizeof(TValue),
                                     (size_t)newsize * sizeof(TValue),
                                     ML_TAG_STACK);
  setstack(L, ns, newsize);
}

void call_growstack(lua_State *L, int n) {
  int size = L->stacksize;
  int needed, newsize;
  if (size > LUAI_MAXSTACK) /* overflow while handling an overflow */
    call_throw(L, LUA_ERRERR);
  needed = cast_int(L->top - L->stack) + n + EXTRA_STACK;
  newsize = 2 * size;
  if (newsize > LUAI_MAXSTACK) newsize = LUAI_MAXSTACK;
  if (newsize < needed) newsize = needed;
  if (newsize > LUAI_MAXSTACK) { /* give the handler some extra room */
    call_reallocstack(L, ERRORSTACKSIZE);
    dbg_runerror(L, "stack overflow");
  }
  call_reallocstack(L, newsize);
}

/* Slots in use: up to the highest top of any active frame. */
static int stackinuse(lua_State *L) {
  StkId lim = L->top;
  CallInfo *ci;
  for (ci = L->ci; ci != NULL; ci = ci->previous)
    if (lim < ci->top) lim = ci->top;
  return cast_int(lim - L->stack) + 1;
}

/*
** Never raises and never collects (so the collector may call it): the
** block shrinks in place through the heap directly, or stays as it is.
*/
void call_shrinkstack(lua_State *L) {
  int inuse = stackinuse(L);
  int goodsize = inuse + inuse / 8 + 2 * EXTRA_STACK;
  if (goodsize > LUAI_MAXSTACK) goodsize = LUAI_MAXSTACK;
  if (L->stacksize > LUAI_MAXSTACK) /* the CI list grew with an overflow */
    state_freeci(L);
  else
    state_shrinkci(L);
  if (inuse <= LUAI_MAXSTACK - EXTRA_STACK && goodsize < L->stacksize) {
    TValue *ns = (TValue *)heap_realloc(G(L)->heap, L->stack,
                                        (size_t)goodsize * sizeof(TValue),
                                        ML_TAG_STACK);
    if (ns != NULL) setstack(L, ns, goodsize);
  }
}

void call_inctop(lua_State *L) {
  call_checkstack(L, 1);
  L->top++;
}

/*
** Ensures n free slots (a safe point for a GC step: everything live is
** below L->top) and returns 'func' corrected if the stack moved.
*/
static StkId checkstackGCp(lua_State *L, int n, StkId func) {
  if (L->stack_last - L->top <= n) {
    ptrdiff_t off = savestack(L, func);
    gc_checkGC(L);
    call_growstack(L, n);
    func = restorestack(L, off);
  }
  return func;
}

/* ----------------------------------------------------------------- hooks */

void call_hook(lua_State *L, int event, int line) {
  lua_Hook hook = L->hook;
  CallInfo *ci = L->ci;
  ptrdiff_t top, citop;
  lua_Debug ar;
  if (hook == NULL || !L->allowhook) return;
  top = savestack(L, L->top);
  citop = savestack(L, ci->top);
  ar.event = event;
  ar.currentline = line;
  ar.i_ci = ci;
  call_checkstack(L, LUA_MINSTACK);
  ci->top = L->top + LUA_MINSTACK;
  L->allowhook = 0; /* no hooks inside a hook */
  ci->callstatus |= CIST_HOOKED;
  hook(L, &ar);
  L->allowhook = 1;
  ci->top = restorestack(L, citop);
  L->top = restorestack(L, top);
  ci->callstatus &= ~CIST_HOOKED;
}

/* The call hook of a Lua function; a call from OP_TAILCALL is a tail call. */
static void callhook(lua_State *L, CallInfo *ci) {
  int event = LUA_HOOKCALL;
  ci->u.l.savedpc++; /* hooks expect the pc already incremented */
  if (isLua(ci->previous) &&
      GET_OPCODE(*(ci->previous->u.l.savedpc - 1)) == OP_TAILCALL) {
    ci->callstatus |= CIST_TAIL;
    event = LUA_HOOKTAILCALL;
  }
  call_hook(L, event, -1);
  ci->u.l.savedpc--;
}

/* ----------------------------------------------------------------- calls */

/*
** Vararg function with 'actual' arguments below the top: the fixed
** parameters are copied above them (missing ones as nil), so that the
** extra arguments stay just below the new base.
*/
static StkId adjust_varargs(lua_State *L, const Proto *p, int actual) {
  int nfix = p->numparams;
  StkId fixed = L->top - actual;
  StkId base = L->top;
  int i;
  for (i = 0; i < nfix && i < actual; i++) {
    setobjs2s(L, L->top, fixed + i);
    L->top++;
    setnilvalue(fixed + i); /* the old copy must not keep a value alive */
  }
  for (; i < nfix; i++) {
    setnilvalue(L->top);
    L->top++;
  }
  return base;
}

/*
** Opens a hole at 'func' for the __call metamethod of the value there. As
** in 5.3, the metamethod must be a function itself (no chains).
*/
static StkId tryfuncTM(lua_State *L, StkId func) {
  const TValue *tm;
  StkId p;
  func = checkstackGCp(L, 1, func);
  tm = meta_gettmbyobj(L, func, TM_CALL);
  if (!ttisfunction(tm)) dbg_typeerror(L, func, "call");
  for (p = L->top; p > func; p--) setobjs2s(L, p, p - 1);
  L->top++;
  setobj2s(L, func, tm);
  return func;
}

static void precallLua(lua_State *L, StkId func, int nresults) {
  Proto *p = clLvalue(func)->p;
  int n = cast_int(L->top - func) - 1; /* actual arguments */
  int fsize = p->maxstacksize;
  CallInfo *ci;
  StkId base;
  func = checkstackGCp(L, fsize, func);
  if (p->is_vararg) {
    base = adjust_varargs(L, p, n);
  } else {
    for (; n < p->numparams; n++) {
      setnilvalue(L->top);
      L->top++;
    }
    base = func + 1;
  }
  ci = next_ci(L); /* may allocate: the arguments are below L->top */
  ci->nresults = cast(short, nresults);
  ci->func = func;
  ci->u.l.base = base;
  L->top = ci->top = base + fsize;
  ci->u.l.savedpc = p->code;
  ci->callstatus = CIST_LUA;
  L->ci = ci;
  if (L->hookmask & LUA_MASKCALL) callhook(L, ci);
}

static void precallC(lua_State *L, StkId func, int nresults, lua_CFunction f) {
  CallInfo *ci;
  int n;
  func = checkstackGCp(L, LUA_MINSTACK, func);
  ci = next_ci(L);
  ci->nresults = cast(short, nresults);
  ci->func = func;
  ci->top = L->top + LUA_MINSTACK;
  ci->callstatus = 0;
  ci->u.c.k = NULL;
  L->ci = ci;
  if (L->hookmask & LUA_MASKCALL) call_hook(L, LUA_HOOKCALL, -1);
  n = f(L);
  api_checknelems(L, n);
  call_poscall(L, ci, L->top - n, n);
}

/*
** Prepares the call of the value at 'func' with its arguments up to
** L->top. A C function is run to its end (returns 1); a Lua function gets
** its frame and is left for vm_execute (returns 0).
*/
int call_precall(lua_State *L, StkId func, int nresults) {
  for (;;) {
    switch (ttype(func)) {
      case LUA_TLCL:
        precallLua(L, func, nresults);
        return 0;
      case LUA_TCCL:
        precallC(L, func, nresults, clCvalue(func)->f);
        return 1;
      case LUA_TLCF:
        precallC(L, func, nresults, fvalue(func));
        return 1;
      default:
        func = tryfuncTM(L, func); /* and try again with the handler */
        break;
    }
  }
}

/* Moves nres results to 'res' and adjusts them to 'wanted'; 0 if MULTRET. */
static int moveresults(lua_State *L, const TValue *first, StkId res,
                       int nres, int wanted) {
  int i;
  if (wanted == LUA_MULTRET) {
    for (i = 0; i < nres; i++) setobjs2s(L, res + i, first + i);
    L->top = res + nres;
    return 0;
  }
  for (i = 0; i < nres && i < wanted; i++) setobjs2s(L, res + i, first + i);
  for (; i < wanted; i++) setnilvalue(res + i);
  L->top = res + wanted;
  return 1;
}

/*
** Ends the call of 'ci': return hook, results moved where the function
** was. Returns 0 when the caller asked for LUA_MULTRET (L->top is then
** after the last result), else 1.
*/
int call_poscall(lua_State *L, CallInfo *ci, StkId firstResult, int nres) {
  if (L->hookmask & (LUA_MASKRET | LUA_MASKLINE)) {
    if (L->hookmask & LUA_MASKRET) {
      ptrdiff_t fr = savestack(L, firstResult);
      call_hook(L, LUA_HOOKRET, -1);
      firstResult = restorestack(L, fr);
    }
    if (isLua(ci->previous)) L->oldpc = ci->previous->u.l.savedpc;
  }
  L->ci = ci->previous;
  return moveresults(L, firstResult, ci->func, nres, ci->nresults);
}

/* Runs the Lua function of L->ci in a new vm_execute, which returns when
** this frame returns. */
static void execute_fresh(lua_State *L) {
  L->ci->callstatus |= CIST_FRESH;
  vm_execute(L);
}

/* Past the limit: an error, then room for its handlers (an eighth more). */
static void stackerror(lua_State *L) {
  if (L->nCcalls < LUAI_MAXCCALLS + ML_CCALL_COST)
    dbg_runerror(L, "C stack overflow");
  else if (L->nCcalls >= LUAI_MAXCCALLS + (LUAI_MAXCCALLS >> 3))
    call_throw(L, LUA_ERRERR); /* overflow while handling the overflow */
}

void call_call(lua_State *L, StkId func, int nresults) {
  L->nCcalls += ML_CCALL_COST;
  if (L->nCcalls >= LUAI_MAXCCALLS) stackerror(L);
  if (!call_precall(L, func, nresults)) execute_fresh(L);
  L->nCcalls -= ML_CCALL_COST;
}

void call_callnoyield(lua_State *L, StkId func, int nresults) {
  L->nny++;
  call_call(L, func, nresults);
  L->nny--;
}

/*
** Runs func(u) protected, with 'ef' as message handler. On error the
** upvalues above 'oldtop' are closed, the error object ends at 'oldtop',
** and the frame state is what it was before.
*/
int call_pcall(lua_State *L, Pfunc func, void *u, ptrdiff_t oldtop,
               ptrdiff_t ef) {
  CallInfo *old_ci = L->ci;
  lu_byte old_allowhook = L->allowhook;
  unsigned short old_nny = L->nny;
  ptrdiff_t old_errfunc = L->errfunc;
  int status;
  L->errfunc = ef;
  status = call_rawrunprotected(L, func, u);
  if (status != LUA_OK) {
    StkId top = restorestack(L, oldtop);
    func_close(L, top);
    call_seterrorobj(L, status, top);
    L->ci = old_ci;
    L->allowhook = old_allowhook;
    L->nny = old_nny;
    call_shrinkstack(L);
  }
  L->errfunc = old_errfunc;
  return status;
}

/* ------------------------------------------------------------ coroutines */

/*
** Completes a C function interrupted by a yield (or, inside a yieldable
** pcall, by an error): its continuation runs, then its return.
*/
static void finishCcall(lua_State *L, int status) {
  CallInfo *ci = L->ci;
  int n;
  if (ci->callstatus & CIST_YPCALL) { /* the continuation is in the pcall */
    ci->callstatus &= ~CIST_YPCALL;
    L->errfunc = ci->u.c.old_errfunc;
  }
  api_adjustresults(L, ci->nresults);
  n = ci->u.c.k(L, status, ci->u.c.ctx);
  api_checknelems(L, n);
  call_poscall(L, ci, L->top - n, n);
}

/* Runs the interrupted frames of a coroutine down to its base. 'ud' is
** NULL, or the status of an error caught by a yieldable pcall. */
static void unroll(lua_State *L, void *ud) {
  if (ud != NULL) finishCcall(L, *(int *)ud);
  while (L->ci != &L->base_ci) {
    if (!isLua(L->ci)) {
      finishCcall(L, LUA_YIELD);
    } else {
      vm_finishOp(L); /* the opcode the yield interrupted */
      execute_fresh(L);
    }
  }
}

static CallInfo *findpcall(lua_State *L) {
  CallInfo *ci;
  for (ci = L->ci; ci != NULL; ci = ci->previous)
    if (ci->callstatus & CIST_YPCALL) return ci;
  return NULL;
}

/*
** An error in a coroutine: if a yieldable pcall (lua_pcallk) is pending,
** finish it as call_pcall would, and return 1 so that the coroutine goes
** on from its continuation.
*/
static int recover(lua_State *L, int status) {
  CallInfo *ci = findpcall(L);
  StkId oldtop;
  if (ci == NULL) return 0;
  oldtop = restorestack(L, ci->extra);
  func_close(L, oldtop);
  call_seterrorobj(L, status, oldtop);
  L->ci = ci;
  L->allowhook = getoah(ci->callstatus);
  L->nny = 0; /* a coroutine is yieldable */
  call_shrinkstack(L);
  L->errfunc = ci->u.c.old_errfunc;
  return 1;
}

/* Runs the first time or after a yield; 'ud' points to the argument count. */
static void resume(lua_State *L, void *ud) {
  int n = *(int *)ud;
  StkId firstArg = L->top - n;
  CallInfo *ci = L->ci;
  if (L->status == LUA_OK) { /* starting the body */
    if (!call_precall(L, firstArg - 1, LUA_MULTRET)) execute_fresh(L);
    return;
  }
  L->status = LUA_OK; /* running again */
  ci->func = restorestack(L, ci->extra);
  if (isLua(ci)) { /* yielded in a hook: go on with its Lua code */
    execute_fresh(L);
  } else {
    if (ci->u.c.k != NULL) { /* the yield results go to its continuation */
      n = ci->u.c.k(L, LUA_YIELD, ci->u.c.ctx);
      api_checknelems(L, n);
      firstArg = L->top - n;
    }
    call_poscall(L, ci, firstArg, n); /* the resume args are the results */
  }
  unroll(L, NULL);
}

static int resume_error(lua_State *L, const char *msg, int narg) {
  L->top -= narg;
  setsvalue2s(L, L->top, str_new(L, msg));
  api_incr_top(L);
  return LUA_ERRRUN;
}

LUA_API int lua_resume(lua_State *L, lua_State *from, int nargs) {
  unsigned short oldnny = L->nny;
  int status;
  if (L->status == LUA_OK) {
    if (L->ci != &L->base_ci)
      return resume_error(L, "cannot resume non-suspended coroutine", nargs);
  } else if (L->status != LUA_YIELD) {
    return resume_error(L, "cannot resume dead coroutine", nargs);
  }
  L->nCcalls = cast(unsigned short,
                    (from != NULL ? from->nCcalls : 0) + ML_CCALL_COST);
  if (L->nCcalls >= LUAI_MAXCCALLS)
    return resume_error(L, "C stack overflow", nargs);
  L->nny = 0; /* yields allowed */
  status = call_rawrunprotected(L, resume, &nargs);
  while (errorstatus(status) && recover(L, status))
    status = call_rawrunprotected(L, unroll, &status);
  if (errorstatus(status)) { /* the coroutine is dead */
    L->status = cast_byte(status);
    call_seterrorobj(L, status, L->top);
    L->ci->top = L->top;
  }
  L->nny = oldnny;
  L->nCcalls -= ML_CCALL_COST;
  return status;
}

LUA_API int lua_isyieldable(lua_State *L) {
  return L->nny == 0;
}

/*
** From a C function: throws LUA_YIELD to lua_resume, keeping the nresults
** values on the top as the values lua_resume returns. From a hook (the
** running frame is Lua): marks the yield and returns; dbg_traceexec throws.
*/
LUA_API int lua_yieldk(lua_State *L, int nresults, lua_KContext ctx,
                       lua_KFunction k) {
  CallInfo *ci = L->ci;
  api_checknelems(L, nresults);
  if (L->nny > 0) {
    if (L != G(L)->mainthread)
      dbg_runerror(L, "attempt to yield across a C-call boundary");
    else
      dbg_runerror(L, "attempt to yield from outside a coroutine");
  }
  L->status = LUA_YIELD;
  ci->extra = savestack(L, ci->func); /* the real 'func', for resume */
  if (isLua(ci)) {
    api_check(L, k == NULL, "hooks cannot continue after yielding");
    return 0;
  }
  ci->u.c.k = k;
  if (k != NULL) ci->u.c.ctx = ctx;
  ci->func = L->top - nresults - 1; /* protects the stack below the results */
  call_throw(L, LUA_YIELD);
}
