/*
** debuginfo.c: what the runtime knows about running code: positions, the
** names of functions and variables for messages (found by symbolic
** execution of the bytecode), the debug API and the line/count hooks.
** Protos are only read, so flash code is described like RAM code.
*/
#include <stdarg.h>
#include <stdint.h>
#include <string.h>

#include "api.h"
#include "call.h"
#include "debuginfo.h"
#include "func.h"
#include "meta.h"
#include "opcodes.h"
#include "str.h"
#include "table.h"
#include "vm.h"

static const char *getobjname(const Proto *p, int lastpc, int reg,
                              const char **name);

static int currentpc(CallInfo *ci) {
  return pcRel(ci->u.l.savedpc, ci_func(ci)->p);
}

int dbg_currentline(CallInfo *ci) {
  return func_getline(ci_func(ci)->p, currentpc(ci));
}

/*
** In a suspended coroutine, the frame that yielded keeps its real 'func'
** in 'extra' (lua_yieldk). The debug API swaps them around its work, so
** that it sees the real function.
*/
static void swapextra(lua_State *L) {
  if (L->status == LUA_YIELD) {
    CallInfo *ci = L->ci;
    StkId temp = ci->func;
    ci->func = restorestack(L, ci->extra);
    ci->extra = savestack(L, temp);
  }
}

/* ----------------------------------------------------------------- hooks */

LUA_API void lua_sethook(lua_State *L, lua_Hook func, int mask, int count) {
  if (func == NULL || mask == 0) { /* turn hooks off */
    mask = 0;
    func = NULL;
  }
  if (isLua(L->ci)) L->oldpc = L->ci->u.l.savedpc;
  L->hook = func;
  L->basehookcount = count;
  resethookcount(L);
  L->hookmask = cast_byte(mask);
}

LUA_API lua_Hook lua_gethook(lua_State *L) {
  return L->hook;
}

LUA_API int lua_gethookmask(lua_State *L) {
  return L->hookmask;
}

LUA_API int lua_gethookcount(lua_State *L) {
  return L->basehookcount;
}

/* Is L->oldpc an instruction of p? It may be left from another function. */
static int oldpcin(lua_State *L, const Proto *p) {
  uintptr_t o = (uintptr_t)L->oldpc;
  uintptr_t c = (uintptr_t)p->code;
  return o > c && o <= c + (uintptr_t)p->sizecode * sizeof(Instruction);
}

/* A line event: a function's first instruction, a backward jump, or an
** instruction on another line than the last one traced. */
static int isnewline(lua_State *L, CallInfo *ci, int npc, int newline) {
  const Proto *p = ci_func(ci)->p;
  if (npc == 0 || !oldpcin(L, p) || ci->u.l.savedpc <= L->oldpc) return 1;
  return newline != func_getline(p, pcRel(L->oldpc, p));
}

/*
** Called by the VM before each instruction while a line or count hook is
** set, with savedpc already past the instruction. A hook that yielded
** (lua_yieldk from a hook) leaves the instruction to be run again on
** resume, without calling the hook a second time.
*/
void dbg_traceexec(lua_State *L) {
  CallInfo *ci = L->ci;
  lu_byte mask = L->hookmask;
  int counthook = (--L->hookcount == 0 && (mask & LUA_MASKCOUNT));
  if (counthook)
    resethookcount(L);
  else if (!(mask & LUA_MASKLINE))
    return;
  if (ci->callstatus & CIST_HOOKYIELD) { /* the hook ran before the yield */
    ci->callstatus &= ~CIST_HOOKYIELD;
    return;
  }
  if (counthook) call_hook(L, LUA_HOOKCOUNT, -1);
  if (mask & LUA_MASKLINE) {
    int npc = currentpc(ci);
    int newline = func_getline(ci_func(ci)->p, npc);
    if (isnewline(L, ci, npc, newline)) call_hook(L, LUA_HOOKLINE, newline);
  }
  L->oldpc = ci->u.l.savedpc;
  if (L->status == LUA_YIELD) { /* the hook yielded */
    if (counthook) L->hookcount = 1; /* undo the decrement to zero */
    ci->u.l.savedpc--;               /* resume runs it again */
    ci->callstatus |= CIST_HOOKYIELD;
    ci->func = L->top - 1; /* protects the stack below the results */
    call_throw(L, LUA_YIELD);
  }
}

/* ---------------------------------------------------------- stack levels */

LUA_API int lua_getstack(lua_State *L, int level, lua_Debug *ar) {
  CallInfo *ci;
  if (level < 0) return 0;
  for (ci = L->ci; level > 0 && ci != &L->base_ci; ci = ci->previous)
    level--;
  if (level != 0 || ci == &L->base_ci) return 0;
  ar->i_ci = ci;
  return 1;
}

/* ---------------------------------------------------------------- locals */

static const char *upvalname(const Proto *p, int uv) {
  TString *s = (uv < p->sizeupvalues) ? p->upvalues[uv].name : NULL;
  return (s == NULL) ? "?" : getstr(s);
}

/* Extra arguments of a vararg function sit between func's fixed
** parameters and the base; n is -1 for the first one. */
static const char *findvararg(CallInfo *ci, int n, StkId *pos) {
  int nparams = clLvalue(ci->func)->p->numparams;
  int nextra = cast_int(ci->u.l.base - ci->func) - nparams - 1;
  if (-n > nextra) return NULL;
  *pos = ci->func + nparams - n;
  return "(*vararg)";
}

static const char *findlocal(lua_State *L, CallInfo *ci, int n, StkId *pos) {
  const char *name = NULL;
  StkId base;
  if (isLua(ci)) {
    if (n < 0) return findvararg(ci, n, pos);
    base = ci->u.l.base;
    name = func_getlocalname(ci_func(ci)->p, n, currentpc(ci));
  } else {
    base = ci->func + 1;
  }
  if (name == NULL) { /* a live slot of the frame has a generic name */
    StkId limit = (ci == L->ci) ? L->top : ci->next->func;
    if (n > 0 && limit - base >= n)
      name = "(*temporary)";
    else
      return NULL;
  }
  *pos = base + (n - 1);
  return name;
}

LUA_API const char *lua_getlocal(lua_State *L, const lua_Debug *ar, int n) {
  const char *name;
  swapextra(L);
  if (ar == NULL) { /* parameters of the function on the top */
    if (!isLfunction(L->top - 1))
      name = NULL;
    else
      name = func_getlocalname(clLvalue(L->top - 1)->p, n, 0);
  } else {
    StkId pos = NULL;
    name = findlocal(L, ar->i_ci, n, &pos);
    if (name != NULL) {
      setobj2s(L, L->top, pos);
      api_incr_top(L);
    }
  }
  swapextra(L);
  return name;
}

LUA_API const char *lua_setlocal(lua_State *L, const lua_Debug *ar, int n) {
  StkId pos = NULL;
  const char *name;
  swapextra(L);
  name = findlocal(L, ar->i_ci, n, &pos);
  if (name != NULL) {
    setobjs2s(L, pos, L->top - 1);
    L->top--;
  }
  swapextra(L);
  return name;
}

/* --------------------------------------------------------------- getinfo */

static void funcinfo(lua_Debug *ar, Closure *cl) {
  if (cl == NULL || cl->c.tt == LUA_TCCL) {
    ar->source = "=[C]";
    ar->linedefined = -1;
    ar->lastlinedefined = -1;
    ar->what = "C";
  } else {
    const Proto *p = cl->l.p;
    ar->source = (p->source != NULL) ? getstr(p->source) : "=?";
    ar->linedefined = p->linedefined;
    ar->lastlinedefined = p->lastlinedefined;
    ar->what = (ar->linedefined == 0) ? "main" : "Lua";
  }
  obj_chunkid(ar->short_src, ar->source, LUA_IDSIZE);
}

/* Pushes a table whose keys are the lines that have code (nil for C). */
static void collectvalidlines(lua_State *L, Closure *cl) {
  if (cl == NULL || cl->c.tt == LUA_TCCL) {
    setnilvalue(L->top);
    L->top++;
  } else {
    const Proto *p = cl->l.p; /* kept alive by the closure on the stack */
    Table *t = table_new(L);
    TValue v;
    int pc;
    sethvalue2s(L, L->top, t);
    L->top++;
    setbvalue(&v, 1);
    for (pc = 0; pc < p->sizelineinfo; pc++)
      table_setint(L, t, func_getline(p, pc), &v);
  }
}

/* The metamethod event an opcode can call, or TM_N. */
static TMS opevent(OpCode op) {
  switch (op) {
    case OP_SELF: case OP_GETTABUP: case OP_GETTABLE: return TM_INDEX;
    case OP_SETTABUP: case OP_SETTABLE: return TM_NEWINDEX;
    case OP_ADD: return TM_ADD;
    case OP_SUB: return TM_SUB;
    case OP_MUL: return TM_MUL;
    case OP_MOD: return TM_MOD;
    case OP_POW: return TM_POW;
    case OP_DIV: return TM_DIV;
    case OP_IDIV: return TM_IDIV;
    case OP_BAND: return TM_BAND;
    case OP_BOR: return TM_BOR;
    case OP_BXOR: return TM_BXOR;
    case OP_SHL: return TM_SHL;
    case OP_SHR: return TM_SHR;
    case OP_UNM: return TM_UNM;
    case OP_BNOT: return TM_BNOT;
    case OP_LEN: return TM_LEN;
    case OP_CONCAT: return TM_CONCAT;
    case OP_EQ: return TM_EQ;
    case OP_LT: return TM_LT;
    case OP_LE: return TM_LE;
    default: return TM_N;
  }
}

/* How the instruction at the current pc of Lua frame 'ci' called. */
static const char *funcnamefromcode(lua_State *L, CallInfo *ci,
                                    const char **name) {
  const Proto *p = ci_func(ci)->p;
  int pc = currentpc(ci);
  Instruction i = p->code[pc];
  TMS tm;
  if (ci->callstatus & CIST_HOOKED) {
    *name = "?";
    return "hook";
  }
  switch (GET_OPCODE(i)) {
    case OP_CALL:
    case OP_TAILCALL:
      return getobjname(p, pc, GETARG_A(i), name);
    case OP_TFORCALL:
      *name = "for iterator";
      return "for iterator";
    default:
      break;
  }
  tm = opevent(GET_OPCODE(i));
  if (tm == TM_N) return NULL;
  *name = getstr(G(L)->tmname[tm]);
  return "metamethod";
}

static const char *getfuncname(lua_State *L, CallInfo *ci,
                               const char **name) {
  if (ci == NULL) return NULL;
  if (ci->callstatus & CIST_FIN) {
    *name = "__gc";
    return "metamethod";
  }
  if (!(ci->callstatus & CIST_TAIL) && isLua(ci->previous))
    return funcnamefromcode(L, ci->previous, name);
  return NULL;
}

static void upinfo(lua_Debug *ar, Closure *cl) {
  ar->nups = (cl == NULL) ? 0 : cl->c.nupvalues;
  if (cl == NULL || cl->c.tt == LUA_TCCL) {
    ar->isvararg = 1;
    ar->nparams = 0;
  } else {
    ar->isvararg = (char)cl->l.p->is_vararg;
    ar->nparams = cl->l.p->numparams;
  }
}

static int auxgetinfo(lua_State *L, const char *what, lua_Debug *ar,
                      Closure *cl, CallInfo *ci) {
  int status = 1;
  for (; *what; what++) {
    switch (*what) {
      case 'S':
        funcinfo(ar, cl);
        break;
      case 'l':
        ar->currentline = (ci != NULL && isLua(ci)) ? dbg_currentline(ci) : -1;
        break;
      case 'u':
        upinfo(ar, cl);
        break;
      case 't':
        ar->istailcall = (ci != NULL) ? (ci->callstatus & CIST_TAIL) != 0 : 0;
        break;
      case 'n':
        ar->namewhat = getfuncname(L, ci, &ar->name);
        if (ar->namewhat == NULL) {
          ar->namewhat = "";
          ar->name = NULL;
        }
        break;
      case 'L':
      case 'f': /* pushed by lua_getinfo */
        break;
      default:
        status = 0;
    }
  }
  return status;
}

/* Removes the stack slot 'idx' (an offset), moving what is above down. */
static void removeslot(lua_State *L, ptrdiff_t idx) {
  StkId p;
  for (p = restorestack(L, idx); p + 1 < L->top; p++) setobjs2s(L, p, p + 1);
  L->top--;
}

/*
** With '>', the function on the top is described and popped; it stays on
** the stack until the results are pushed, so 'L' may allocate safely.
*/
LUA_API int lua_getinfo(lua_State *L, const char *what, lua_Debug *ar) {
  CallInfo *ci = NULL;
  int fromtop = (*what == '>');
  StkId func;
  ptrdiff_t funcidx;
  Closure *cl;
  int status;
  swapextra(L);
  if (fromtop) {
    func = L->top - 1;
    what++;
  } else {
    ci = ar->i_ci;
    func = ci->func;
  }
  funcidx = savestack(L, func);
  cl = ttisclosure(func) ? clvalue(func) : NULL;
  status = auxgetinfo(L, what, ar, cl, ci);
  if (strchr(what, 'f') != NULL) {
    setobjs2s(L, L->top, func);
    L->top++;
  }
  swapextra(L); /* before 'L', which may raise a memory error */
  if (strchr(what, 'L') != NULL) collectvalidlines(L, cl);
  if (fromtop) removeslot(L, funcidx);
  return status;
}

/* ------------------------------------------------ names in the bytecode */

/* Only an instruction before every pending jump target surely ran. */
static int filterpc(int pc, int jmptarget) {
  return (pc < jmptarget) ? -1 : pc;
}

/* The last instruction before lastpc that set register reg, or -1. */
static int findsetreg(const Proto *p, int lastpc, int reg) {
  int setreg = -1;
  int jmptarget = 0; /* code before this address may not have run */
  int pc;
  for (pc = 0; pc < lastpc; pc++) {
    Instruction i = p->code[pc];
    OpCode op = GET_OPCODE(i);
    int a = GETARG_A(i);
    switch (op) {
      case OP_LOADNIL:
        if (a <= reg && reg <= a + GETARG_B(i))
          setreg = filterpc(pc, jmptarget);
        break;
      case OP_TFORCALL:
        if (reg >= a + 2) setreg = filterpc(pc, jmptarget);
        break;
      case OP_CALL:
      case OP_TAILCALL:
        if (reg >= a) setreg = filterpc(pc, jmptarget);
        break;
      case OP_JMP: {
        int dest = pc + 1 + GETARG_sBx(i);
        if (pc < dest && dest <= lastpc && dest > jmptarget)
          jmptarget = dest; /* a forward jump that does not skip lastpc */
        break;
      }
      default:
        if (testAMode(op) && reg == a) setreg = filterpc(pc, jmptarget);
        break;
    }
  }
  return setreg;
}

/* The name of key RK(c) when it is a string constant, else "?". */
static void kname(const Proto *p, int pc, int c, const char **name) {
  if (ISK(c)) {
    const TValue *kv = &p->k[INDEXK(c)];
    if (ttisstring(kv)) {
      *name = svalue(kv);
      return;
    }
  } else {
    const char *what = getobjname(p, pc, c, name);
    if (what != NULL && *what == 'c') return; /* a "constant" */
  }
  *name = "?";
}

/* "global" when the indexed table is _ENV, else "field". */
static const char *tablekind(const Proto *p, int pc, Instruction i) {
  int t = GETARG_B(i);
  const char *vn = (GET_OPCODE(i) == OP_GETTABLE)
                       ? func_getlocalname(p, t + 1, pc)
                       : upvalname(p, t);
  return (vn != NULL && strcmp(vn, "_ENV") == 0) ? "global" : "field";
}

static const char *constname(const Proto *p, int pc, Instruction i,
                             const char **name) {
  int b = (GET_OPCODE(i) == OP_LOADK) ? GETARG_Bx(i)
                                      : GETARG_Ax(p->code[pc + 1]);
  if (!ttisstring(&p->k[b])) return NULL;
  *name = svalue(&p->k[b]);
  return "constant";
}

/* What register reg holds at lastpc: "local", "global", "field",
** "method", "upvalue", "constant", or NULL when unknown. */
static const char *getobjname(const Proto *p, int lastpc, int reg,
                              const char **name) {
  Instruction i;
  int pc;
  *name = func_getlocalname(p, reg + 1, lastpc);
  if (*name != NULL) return "local";
  pc = findsetreg(p, lastpc, reg);
  if (pc == -1) return NULL;
  i = p->code[pc];
  switch (GET_OPCODE(i)) {
    case OP_MOVE: {
      int b = GETARG_B(i);
      return (b < GETARG_A(i)) ? getobjname(p, pc, b, name) : NULL;
    }
    case OP_GETTABUP:
    case OP_GETTABLE:
      kname(p, pc, GETARG_C(i), name);
      return tablekind(p, pc, i);
    case OP_GETUPVAL:
      *name = upvalname(p, GETARG_B(i));
      return "upvalue";
    case OP_LOADK:
    case OP_LOADKX:
      return constname(p, pc, i, name);
    case OP_SELF:
      kname(p, pc, GETARG_C(i), name);
      return "method";
    default:
      return NULL;
  }
}

/* ---------------------------------------------------------------- errors */

static int isinstack(CallInfo *ci, const TValue *o) {
  StkId p;
  for (p = ci->u.l.base; p < ci->top; p++)
    if (p == o) return 1;
  return 0;
}

static const char *getupvalname(CallInfo *ci, const TValue *o,
                                const char **name) {
  LClosure *c = ci_func(ci);
  int i;
  for (i = 0; i < c->nupvalues; i++) {
    if (c->upvals[i] != NULL && c->upvals[i]->v == o) {
      *name = upvalname(c->p, i);
      return "upvalue";
    }
  }
  return NULL;
}

/* " (local 'x')" and the like for a value of the running Lua function,
** pushed on the stack; "" when nothing is known. */
static const char *varinfo(lua_State *L, const TValue *o) {
  CallInfo *ci = L->ci;
  const char *name = NULL;
  const char *kind = NULL;
  if (isLua(ci)) {
    kind = getupvalname(ci, o, &name);
    if (kind == NULL && isinstack(ci, o))
      kind = getobjname(ci_func(ci)->p, currentpc(ci),
                        cast_int(o - ci->u.l.base), &name);
  }
  return (kind != NULL) ? obj_pushfstring(L, " (%s '%s')", kind, name) : "";
}

l_noret dbg_typeerror(lua_State *L, const TValue *o, const char *opname) {
  const char *t = meta_objtypename(L, o);
  dbg_runerror(L, "attempt to %s a %s value%s", opname, t, varinfo(L, o));
}

l_noret dbg_concaterror(lua_State *L, const TValue *p1, const TValue *p2) {
  if (ttisstring(p1) || cvt2str(p1)) p1 = p2;
  dbg_typeerror(L, p1, "concatenate");
}

/* The culprit is the first operand that is not a number. */
l_noret dbg_opinterror(lua_State *L, const TValue *p1, const TValue *p2,
                       const char *msg) {
  lua_Number temp;
  if (!tonumber(p1, &temp)) p2 = p1;
  dbg_typeerror(L, p2, msg);
}

l_noret dbg_tointerror(lua_State *L, const TValue *p1, const TValue *p2) {
  lua_Integer temp;
  if (!tointeger(p1, &temp)) p2 = p1;
  dbg_runerror(L, "number%s has no integer representation", varinfo(L, p2));
}

l_noret dbg_ordererror(lua_State *L, const TValue *p1, const TValue *p2) {
  const char *t1 = meta_objtypename(L, p1);
  const char *t2 = meta_objtypename(L, p2);
  if (strcmp(t1, t2) == 0)
    dbg_runerror(L, "attempt to compare two %s values", t1);
  else
    dbg_runerror(L, "attempt to compare %s with %s", t1, t2);
}

const char *dbg_addinfo(lua_State *L, const char *msg, TString *src,
                        int line) {
  char buff[LUA_IDSIZE];
  if (src != NULL) {
    obj_chunkid(buff, getstr(src), LUA_IDSIZE);
  } else {
    buff[0] = '?';
    buff[1] = '\0';
  }
  return obj_pushfstring(L, "%s:%d: %s", buff, line, msg);
}

/* The error value is on the top; the message handler replaces it. */
l_noret dbg_errormsg(lua_State *L) {
  if (L->errfunc != 0) {
    StkId errfunc = restorestack(L, L->errfunc);
    setobjs2s(L, L->top, L->top - 1); /* the argument; room: EXTRA_STACK */
    setobjs2s(L, L->top - 1, errfunc);
    L->top++;
    call_callnoyield(L, L->top - 2, 1);
  }
  call_throw(L, LUA_ERRRUN);
}

l_noret dbg_runerror(lua_State *L, const char *fmt, ...) {
  CallInfo *ci = L->ci;
  const char *msg;
  va_list argp;
  va_start(argp, fmt);
  msg = obj_pushvfstring(L, fmt, argp);
  va_end(argp);
  if (isLua(ci))
    dbg_addinfo(L, msg, ci_func(ci)->p->source, dbg_currentline(ci));
  dbg_errormsg(L);
}
