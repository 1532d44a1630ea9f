/*
** codegen.c: Lua 5.3 register code from expression descriptors: jump
** lists, register allocation, constants, folding, line information.
** Proto arrays grow here; their unused tails hold nil/NULL, so the
** collector may traverse a proto that is still being built.
*/
#include <math.h>
#include <stdlib.h>

#include "codegen.h"
#include "gc.h"
#include "mem.h"
#include "str.h"
#include "table.h"

/* ---------------------------------------------------------------------
** Instructions and line information
** ------------------------------------------------------------------- */

/* Line of the instruction just stored at pc-1, in the compressed form
** of object.h. */
static void savelineinfo(FuncState *fs, Proto *f, int line) {
  int delta = line - fs->previousline;
  int pc = fs->pc - 1;
  if (delta < -127 || delta > 127 || fs->iwthabs++ >= ML_MAXIWTHABS) {
    mem_growvector(fs->ls->L, f->abslineinfo, fs->nabslineinfo,
                   f->sizeabslineinfo, AbsLineInfo, MAX_INT, "lines",
                   ML_TAG_CODE);
    f->abslineinfo[fs->nabslineinfo].pc = pc;
    f->abslineinfo[fs->nabslineinfo].line = line;
    fs->nabslineinfo++;
    delta = ML_ABSLINEINFO;
    fs->iwthabs = 1;
  }
  f->lineinfo[pc] = cast(ls_byte, delta);
  fs->previousline = line;
}

/* Undoes savelineinfo for the last instruction. */
static void removelastlineinfo(FuncState *fs) {
  Proto *f = fs->f;
  int pc = fs->pc - 1;
  if (f->lineinfo[pc] != ML_ABSLINEINFO) {
    fs->previousline -= f->lineinfo[pc];
    fs->iwthabs--;
  } else {
    fs->nabslineinfo--;
    fs->iwthabs = ML_MAXIWTHABS + 1; /* the next line must be absolute */
  }
}

static void removelastinstruction(FuncState *fs) {
  removelastlineinfo(fs);
  fs->pc--;
}

void code_fixline(FuncState *fs, int line) {
  removelastlineinfo(fs);
  savelineinfo(fs, fs->f, line);
}

static int getjump(FuncState *fs, int pc) {
  int offset = GETARG_sBx(fs->f->code[pc]);
  return (offset == NO_JUMP) ? NO_JUMP : (pc + 1) + offset;
}

static void fixjump(FuncState *fs, int pc, int dest) {
  Instruction *jmp = &fs->f->code[pc];
  int offset = dest - (pc + 1);
  if (abs(offset) > MAXARG_sBx)
    lex_syntaxerror(fs->ls, "control structure too long");
  SETARG_sBx(*jmp, offset);
}

/* The instruction that controls the jump at pc: the test before it, if
** any, else the jump itself. */
static Instruction *getjumpcontrol(FuncState *fs, int pc) {
  Instruction *pi = &fs->f->code[pc];
  if (pc >= 1 && testTMode(GET_OPCODE(*(pi - 1))))
    return pi - 1;
  return pi;
}

/* A TESTSET controlling the jump at 'node' becomes a TESTSET into 'reg',
** or a plain TEST when no value is wanted (reg NO_REG) or the value is
** already there. 0 when the control is not a TESTSET. */
static int patchtestreg(FuncState *fs, int node, int reg) {
  Instruction *i = getjumpcontrol(fs, node);
  if (GET_OPCODE(*i) != OP_TESTSET)
    return 0;
  if (reg != NO_REG && reg != GETARG_B(*i))
    SETARG_A(*i, reg);
  else
    *i = CREATE_ABC(OP_TEST, GETARG_B(*i), 0, GETARG_C(*i));
  return 1;
}

static void removevalues(FuncState *fs, int list) {
  for (; list != NO_JUMP; list = getjump(fs, list))
    patchtestreg(fs, list, NO_REG);
}

/* Jumps that produce a value (TESTSET into reg) go to vtarget, the
** others to dtarget. */
static void patchlistaux(FuncState *fs, int list, int vtarget, int reg,
                         int dtarget) {
  while (list != NO_JUMP) {
    int next = getjump(fs, list);
    if (patchtestreg(fs, list, reg))
      fixjump(fs, list, vtarget);
    else
      fixjump(fs, list, dtarget);
    list = next;
  }
}

static void dischargejpc(FuncState *fs) {
  patchlistaux(fs, fs->jpc, fs->pc, NO_REG, fs->pc);
  fs->jpc = NO_JUMP;
}

static int code(FuncState *fs, Instruction i) {
  Proto *f = fs->f;
  lua_State *L = fs->ls->L;
  dischargejpc(fs); /* pending jumps land here */
  mem_growvector(L, f->code, fs->pc, f->sizecode, Instruction, MAX_INT,
                 "opcodes", ML_TAG_CODE);
  f->code[fs->pc] = i;
  mem_growvector(L, f->lineinfo, fs->pc, f->sizelineinfo, ls_byte, MAX_INT,
                 "opcodes", ML_TAG_CODE);
  fs->pc++;
  savelineinfo(fs, f, fs->ls->lastline);
  return fs->pc - 1;
}

int code_ABC(FuncState *fs, OpCode o, int a, int b, int c) {
  return code(fs, CREATE_ABC(o, a, b, c));
}

int code_ABx(FuncState *fs, OpCode o, int a, unsigned int bx) {
  return code(fs, CREATE_ABx(o, a, bx));
}

int code_AsBx(FuncState *fs, OpCode o, int a, int sbx) {
  return code_ABx(fs, o, a, cast(unsigned int, sbx + MAXARG_sBx));
}

static int codeextraarg(FuncState *fs, int a) {
  return code(fs, CREATE_Ax(OP_EXTRAARG, a));
}

int code_k(FuncState *fs, int reg, int k) {
  int pc;
  if (k <= MAXARG_Bx)
    return code_ABx(fs, OP_LOADK, reg, cast(unsigned int, k));
  pc = code_ABx(fs, OP_LOADKX, reg, 0);
  codeextraarg(fs, k);
  return pc;
}

/* LOADNIL of registers from..from+n-1, merged into the previous LOADNIL
** when the ranges touch and no jump lands between them. */
void code_nil(FuncState *fs, int from, int n) {
  int last = from + n - 1;
  if (fs->pc > fs->lasttarget) {
    Instruction *prev = &fs->f->code[fs->pc - 1];
    if (GET_OPCODE(*prev) == OP_LOADNIL) {
      int pfrom = GETARG_A(*prev);
      int plast = pfrom + GETARG_B(*prev);
      if ((pfrom <= from && from <= plast + 1) ||
          (from <= pfrom && pfrom <= last + 1)) {
        if (pfrom < from)
          from = pfrom;
        if (plast > last)
          last = plast;
        SETARG_A(*prev, from);
        SETARG_B(*prev, last - from);
        return;
      }
    }
  }
  code_ABC(fs, OP_LOADNIL, from, n - 1, 0);
}

/* ---------------------------------------------------------------------
** Jump lists: chained through the sBx of their JMPs, NO_JUMP-ended
** ------------------------------------------------------------------- */

void code_concat(FuncState *fs, int *l1, int l2) {
  if (l2 == NO_JUMP)
    return;
  if (*l1 == NO_JUMP) {
    *l1 = l2;
  } else {
    int list = *l1;
    int next;
    while ((next = getjump(fs, list)) != NO_JUMP)
      list = next;
    fixjump(fs, list, l2);
  }
}

/* A JMP; the jumps pending to this position now go where it goes. */
int code_jump(FuncState *fs) {
  int jpc = fs->jpc;
  int j;
  fs->jpc = NO_JUMP;
  j = code_AsBx(fs, OP_JMP, 0, NO_JUMP);
  code_concat(fs, &j, jpc);
  return j;
}

void code_ret(FuncState *fs, int first, int nret) {
  code_ABC(fs, OP_RETURN, first, nret + 1, 0);
}

static int condjump(FuncState *fs, OpCode op, int a, int b, int c) {
  code_ABC(fs, op, a, b, c);
  return code_jump(fs);
}

/* The current pc, marked as a jump target (no LOADNIL merging across). */
int code_getlabel(FuncState *fs) {
  fs->lasttarget = fs->pc;
  return fs->pc;
}

void code_patchtohere(FuncState *fs, int list) {
  code_getlabel(fs);
  code_concat(fs, &fs->jpc, list);
}

void code_patchlist(FuncState *fs, int list, int target) {
  if (target == fs->pc)
    code_patchtohere(fs, list);
  else
    patchlistaux(fs, list, target, NO_REG, target);
}

void code_jumpto(FuncState *fs, int target) {
  code_patchlist(fs, code_jump(fs), target);
}

/* The JMPs of the list close upvalues from register 'level' up
** (A = level + 1; 0 means "close nothing"). */
void code_patchclose(FuncState *fs, int list, int level) {
  level++;
  for (; list != NO_JUMP; list = getjump(fs, list))
    SETARG_A(fs->f->code[list], level);
}

/* ---------------------------------------------------------------------
** Registers
** ------------------------------------------------------------------- */

void code_checkstack(FuncState *fs, int n) {
  int newstack = fs->freereg + n;
  if (newstack > fs->f->maxstacksize) {
    if (newstack >= MAXREGS)
      lex_syntaxerror(fs->ls,
                      "function or expression needs too many registers");
    fs->f->maxstacksize = cast_byte(newstack);
  }
}

void code_reserveregs(FuncState *fs, int n) {
  code_checkstack(fs, n);
  fs->freereg = cast_byte(fs->freereg + n);
}

/* Frees a temporary register (not a constant, not a local). Temporaries
** are freed in stack order. */
static void freereg(FuncState *fs, int reg) {
  if (!ISK(reg) && reg >= fs->nactvar)
    fs->freereg--;
}

static void freeexp(FuncState *fs, expdesc *e) {
  if (e->k == VNONRELOC)
    freereg(fs, e->u.info);
}

/* Frees the registers of two operands, the higher one first. */
static void freeexps(FuncState *fs, expdesc *e1, expdesc *e2) {
  int r1 = (e1->k == VNONRELOC) ? e1->u.info : -1;
  int r2 = (e2->k == VNONRELOC) ? e2->u.info : -1;
  if (r1 > r2) {
    if (r1 >= 0) freereg(fs, r1);
    if (r2 >= 0) freereg(fs, r2);
  } else {
    if (r2 >= 0) freereg(fs, r2);
    if (r1 >= 0) freereg(fs, r1);
  }
}

/* ---------------------------------------------------------------------
** Constants. ls->h maps each constant to its index in the proto being
** compiled; the entry may belong to another function, so it is checked.
** ------------------------------------------------------------------- */

static int sameconstant(const TValue *a, const TValue *b) {
  if (rttype(a) != rttype(b))
    return 0;
  switch (ttype(a)) {
  case LUA_TNIL: return 1;
  case LUA_TBOOLEAN: return bvalue(a) == bvalue(b);
  case LUA_TNUMINT: return ivalue(a) == ivalue(b);
  case LUA_TNUMFLT: return fltvalue(a) == fltvalue(b);
  case LUA_TSHRSTR: return tsvalue(a) == tsvalue(b);
  case LUA_TLNGSTR: return str_eqlngstr(tsvalue(a), tsvalue(b));
  default: return 0;
  }
}

static int addk(FuncState *fs, TValue *key, TValue *v) {
  lua_State *L = fs->ls->L;
  Proto *f = fs->f;
  TValue *slot = table_set(L, fs->ls->h, key);
  int k, oldsize;
  if (ttisinteger(slot)) {
    lua_Integer i = ivalue(slot);
    if (0 <= i && i < fs->nk && sameconstant(&f->k[i], v))
      return cast_int(i);
  }
  k = fs->nk;
  setivalue(slot, k); /* not collectable: no barrier */
  oldsize = f->sizek;
  mem_growvector(L, f->k, k, f->sizek, TValue, MAXARG_Ax, "constants",
                 ML_TAG_CODE);
  while (oldsize < f->sizek)
    setnilvalue(&f->k[oldsize++]);
  setobj(L, &f->k[k], v);
  fs->nk++;
  gc_barrier(L, f, v);
  return k;
}

int code_stringK(FuncState *fs, TString *s) {
  TValue o;
  setsvalue(fs->ls->L, &o, s);
  return addk(fs, &o, &o);
}

/* Integers are keyed by a light userdata, so that 1 and 1.0 (which the
** table would merge) stay apart. */
int code_intK(FuncState *fs, lua_Integer n) {
  TValue key, o;
  setpvalue(&key, cast(void *, cast(size_t, n)));
  setivalue(&o, n);
  return addk(fs, &key, &o);
}

static int numberK(FuncState *fs, lua_Number r) {
  TValue o;
  setfltvalue(&o, r);
  return addk(fs, &o, &o);
}

static int boolK(FuncState *fs, int b) {
  TValue o;
  setbvalue(&o, b);
  return addk(fs, &o, &o);
}

/* nil can not be a key: the table itself stands for it. */
static int nilK(FuncState *fs) {
  TValue key, v;
  setnilvalue(&v);
  sethvalue(fs->ls->L, &key, fs->ls->h);
  return addk(fs, &key, &v);
}

/* ---------------------------------------------------------------------
** Expressions to registers
** ------------------------------------------------------------------- */

static int hasjumps(const expdesc *e) { return e->t != e->f; }

void code_setreturns(FuncState *fs, expdesc *e, int nresults) {
  if (e->k == VCALL) {
    SETARG_C(getinstruction(fs, e), nresults + 1);
  } else if (e->k == VVARARG) {
    Instruction *pc = &getinstruction(fs, e);
    SETARG_B(*pc, nresults + 1);
    SETARG_A(*pc, fs->freereg);
    code_reserveregs(fs, 1);
  }
}

void code_setoneret(FuncState *fs, expdesc *e) {
  if (e->k == VCALL) { /* a call already leaves one result in A */
    e->k = VNONRELOC;
    e->u.info = GETARG_A(getinstruction(fs, e));
  } else if (e->k == VVARARG) {
    SETARG_B(getinstruction(fs, e), 2);
    e->k = VRELOCABLE;
  }
}

/* Variables and multiple results become values (not yet in a register
** of our choosing). */
void code_dischargevars(FuncState *fs, expdesc *e) {
  switch (e->k) {
  case VLOCAL:
    e->k = VNONRELOC;
    break;
  case VUPVAL:
    e->u.info = code_ABC(fs, OP_GETUPVAL, 0, e->u.info, 0);
    e->k = VRELOCABLE;
    break;
  case VINDEXED: {
    OpCode op = OP_GETTABUP;
    freereg(fs, e->u.ind.idx);
    if (e->u.ind.vt == VLOCAL) {
      freereg(fs, e->u.ind.t);
      op = OP_GETTABLE;
    }
    e->u.info = code_ABC(fs, op, 0, e->u.ind.t, e->u.ind.idx);
    e->k = VRELOCABLE;
    break;
  }
  case VVARARG: case VCALL:
    code_setoneret(fs, e);
    break;
  default:
    break;
  }
}

static void discharge2reg(FuncState *fs, expdesc *e, int reg) {
  code_dischargevars(fs, e);
  switch (e->k) {
  case VNIL:
    code_nil(fs, reg, 1);
    break;
  case VFALSE: case VTRUE:
    code_ABC(fs, OP_LOADBOOL, reg, e->k == VTRUE, 0);
    break;
  case VK:
    code_k(fs, reg, e->u.info);
    break;
  case VKFLT:
    code_k(fs, reg, numberK(fs, e->u.nval));
    break;
  case VKINT:
    code_k(fs, reg, code_intK(fs, e->u.ival));
    break;
  case VRELOCABLE:
    SETARG_A(getinstruction(fs, e), reg);
    break;
  case VNONRELOC:
    if (reg != e->u.info)
      code_ABC(fs, OP_MOVE, reg, e->u.info, 0);
    break;
  default: /* VJMP: nothing to do yet */
    return;
  }
  e->u.info = reg;
  e->k = VNONRELOC;
}

static void discharge2anyreg(FuncState *fs, expdesc *e) {
  if (e->k != VNONRELOC) {
    code_reserveregs(fs, 1);
    discharge2reg(fs, e, fs->freereg - 1);
  }
}

static int code_loadbool(FuncState *fs, int a, int b, int jump) {
  code_getlabel(fs); /* those instructions are jump targets */
  return code_ABC(fs, OP_LOADBOOL, a, b, jump);
}

/* Does some jump of the list need a value (a control other than
** TESTSET, which produces its own)? */
static int need_value(FuncState *fs, int list) {
  for (; list != NO_JUMP; list = getjump(fs, list)) {
    Instruction i = *getjumpcontrol(fs, list);
    if (GET_OPCODE(i) != OP_TESTSET)
      return 1;
  }
  return 0;
}

/* The value of e, jumps included, into register reg. */
static void exp2reg(FuncState *fs, expdesc *e, int reg) {
  discharge2reg(fs, e, reg);
  if (e->k == VJMP)
    code_concat(fs, &e->t, e->u.info);
  if (hasjumps(e)) {
    int final;
    int p_f = NO_JUMP; /* position of a LOADBOOL false */
    int p_t = NO_JUMP; /* position of a LOADBOOL true */
    if (need_value(fs, e->t) || need_value(fs, e->f)) {
      int fj = (e->k == VJMP) ? NO_JUMP : code_jump(fs);
      p_f = code_loadbool(fs, reg, 0, 1);
      p_t = code_loadbool(fs, reg, 1, 0);
      code_patchtohere(fs, fj);
    }
    final = code_getlabel(fs);
    patchlistaux(fs, e->f, final, reg, p_f);
    patchlistaux(fs, e->t, final, reg, p_t);
  }
  e->f = e->t = NO_JUMP;
  e->u.info = reg;
  e->k = VNONRELOC;
}

void code_exp2nextreg(FuncState *fs, expdesc *e) {
  code_dischargevars(fs, e);
  freeexp(fs, e);
  code_reserveregs(fs, 1);
  exp2reg(fs, e, fs->freereg - 1);
}

int code_exp2anyreg(FuncState *fs, expdesc *e) {
  code_dischargevars(fs, e);
  if (e->k == VNONRELOC) {
    if (!hasjumps(e))
      return e->u.info;
    if (e->u.info >= fs->nactvar) { /* a temporary: keep it there */
      exp2reg(fs, e, e->u.info);
      return e->u.info;
    }
  }
  code_exp2nextreg(fs, e);
  return e->u.info;
}

/* In a register or an upvalue (tables indexed through GETTABUP). */
void code_exp2anyregup(FuncState *fs, expdesc *e) {
  if (e->k != VUPVAL || hasjumps(e))
    code_exp2anyreg(fs, e);
}

void code_exp2val(FuncState *fs, expdesc *e) {
  if (hasjumps(e))
    code_exp2anyreg(fs, e);
  else
    code_dischargevars(fs, e);
}

/* An RK operand: a constant index with BITRK when it fits, else a
** register. */
int code_exp2RK(FuncState *fs, expdesc *e) {
  code_exp2val(fs, e);
  switch (e->k) {
  case VTRUE: e->u.info = boolK(fs, 1); break;
  case VFALSE: e->u.info = boolK(fs, 0); break;
  case VNIL: e->u.info = nilK(fs); break;
  case VKINT: e->u.info = code_intK(fs, e->u.ival); break;
  case VKFLT: e->u.info = numberK(fs, e->u.nval); break;
  case VK: break;
  default: return code_exp2anyreg(fs, e);
  }
  e->k = VK;
  if (e->u.info <= MAXINDEXRK)
    return RKASK(e->u.info);
  return code_exp2anyreg(fs, e);
}

void code_storevar(FuncState *fs, expdesc *var, expdesc *ex) {
  switch (var->k) {
  case VLOCAL:
    freeexp(fs, ex);
    exp2reg(fs, ex, var->u.info);
    return;
  case VUPVAL: {
    int e = code_exp2anyreg(fs, ex);
    code_ABC(fs, OP_SETUPVAL, e, var->u.info, 0);
    break;
  }
  case VINDEXED: {
    OpCode op = (var->u.ind.vt == VLOCAL) ? OP_SETTABLE : OP_SETTABUP;
    int e = code_exp2RK(fs, ex);
    code_ABC(fs, op, var->u.ind.t, var->u.ind.idx, e);
    break;
  }
  default:
    break;
  }
  freeexp(fs, ex);
}

/* e:key(...) — SELF puts the method and the object in two new
** registers. */
void code_self(FuncState *fs, expdesc *e, expdesc *key) {
  int ereg;
  code_exp2anyreg(fs, e);
  ereg = e->u.info;
  freeexp(fs, e);
  e->u.info = fs->freereg;
  e->k = VNONRELOC;
  code_reserveregs(fs, 2);
  code_ABC(fs, OP_SELF, e->u.info, ereg, code_exp2RK(fs, key));
  freeexp(fs, key);
}

void code_indexed(FuncState *fs, expdesc *t, expdesc *k) {
  t->u.ind.t = cast_byte(t->u.info);
  t->u.ind.idx = cast(short, code_exp2RK(fs, k));
  t->u.ind.vt = cast_byte((t->k == VUPVAL) ? VUPVAL : VLOCAL);
  t->k = VINDEXED;
}

/* ---------------------------------------------------------------------
** Conditions
** ------------------------------------------------------------------- */

static void negatecondition(FuncState *fs, expdesc *e) {
  Instruction *pc = getjumpcontrol(fs, e->u.info);
  SETARG_A(*pc, !(GETARG_A(*pc)));
}

/* A jump taken when e's truth is 'cond'. "not x" tests x directly. */
static int jumponcond(FuncState *fs, expdesc *e, int cond) {
  if (e->k == VRELOCABLE) {
    Instruction ie = getinstruction(fs, e);
    if (GET_OPCODE(ie) == OP_NOT) {
      removelastinstruction(fs);
      return condjump(fs, OP_TEST, GETARG_B(ie), 0, !cond);
    }
  }
  discharge2anyreg(fs, e);
  freeexp(fs, e);
  return condjump(fs, OP_TESTSET, NO_REG, e->u.info, cond);
}

/* Goes on when e is true; the false exits join e->f. */
void code_goiftrue(FuncState *fs, expdesc *e) {
  int pc;
  code_dischargevars(fs, e);
  switch (e->k) {
  case VJMP:
    negatecondition(fs, e);
    pc = e->u.info;
    break;
  case VK: case VKFLT: case VKINT: case VTRUE:
    pc = NO_JUMP; /* always true */
    break;
  default:
    pc = jumponcond(fs, e, 0);
    break;
  }
  code_concat(fs, &e->f, pc);
  code_patchtohere(fs, e->t);
  e->t = NO_JUMP;
}

/* Goes on when e is false; the true exits join e->t. */
void code_goiffalse(FuncState *fs, expdesc *e) {
  int pc;
  code_dischargevars(fs, e);
  switch (e->k) {
  case VJMP:
    pc = e->u.info;
    break;
  case VNIL: case VFALSE:
    pc = NO_JUMP; /* always false */
    break;
  default:
    pc = jumponcond(fs, e, 1);
    break;
  }
  code_concat(fs, &e->t, pc);
  code_patchtohere(fs, e->f);
  e->f = NO_JUMP;
}

static void codenot(FuncState *fs, expdesc *e) {
  code_dischargevars(fs, e);
  switch (e->k) {
  case VNIL: case VFALSE:
    e->k = VTRUE;
    break;
  case VK: case VKFLT: case VKINT: case VTRUE:
    e->k = VFALSE;
    break;
  case VJMP:
    negatecondition(fs, e);
    break;
  case VRELOCABLE: case VNONRELOC:
    discharge2anyreg(fs, e);
    freeexp(fs, e);
    e->u.info = code_ABC(fs, OP_NOT, 0, e->u.info, 0);
    e->k = VRELOCABLE;
    break;
  default:
    break;
  }
  { /* the true and false exits swap */
    int temp = e->f;
    e->f = e->t;
    e->t = temp;
  }
  removevalues(fs, e->f);
  removevalues(fs, e->t);
}

/* ---------------------------------------------------------------------
** Operators and constant folding
** ------------------------------------------------------------------- */

/* A numeric constant without jumps, as a TValue. */
static int tonumeral(const expdesc *e, TValue *v) {
  if (hasjumps(e))
    return 0;
  switch (e->k) {
  case VKINT:
    if (v) setivalue(v, e->u.ival);
    return 1;
  case VKFLT:
    if (v) setfltvalue(v, e->u.nval);
    return 1;
  default:
    return 0;
  }
}

/* Has the number an exact integer value (bitwise operands)? */
static int hasintvalue(const TValue *v) {
  lua_Number n;
  if (ttisinteger(v))
    return 1;
  n = fltvalue(v);
  return l_floor(n) == n && n >= cast_num(LUA_MININTEGER) &&
         n < -cast_num(LUA_MININTEGER);
}

/* Operations folding may do: not those that raise errors at run time
** (bitwise on non-integers, division and modulo by zero). */
static int validop(int op, const TValue *v1, const TValue *v2) {
  switch (op) {
  case LUA_OPBAND: case LUA_OPBOR: case LUA_OPBXOR:
  case LUA_OPSHL: case LUA_OPSHR: case LUA_OPBNOT:
    return hasintvalue(v1) && hasintvalue(v2);
  case LUA_OPDIV: case LUA_OPIDIV: case LUA_OPMOD:
    return nvalue(v2) != 0;
  default:
    return 1;
  }
}

/* Folds e1 op e2 into e1 when both are numerals; never folds to NaN or
** to a float zero (whose sign could be lost). */
static int constfolding(FuncState *fs, int op, expdesc *e1,
                        const expdesc *e2) {
  TValue v1, v2, res;
  lua_Number n;
  if (!tonumeral(e1, &v1) || !tonumeral(e2, &v2) || !validop(op, &v1, &v2))
    return 0;
  if (!obj_rawarith(fs->ls->L, op, &v1, &v2, &res))
    return 0;
  if (ttisinteger(&res)) {
    e1->k = VKINT;
    e1->u.ival = ivalue(&res);
    return 1;
  }
  n = fltvalue(&res);
  if (n != n || n == 0)
    return 0;
  e1->k = VKFLT;
  e1->u.nval = n;
  return 1;
}

static void codeunexpval(FuncState *fs, OpCode op, expdesc *e, int line) {
  int r = code_exp2anyreg(fs, e);
  freeexp(fs, e);
  e->u.info = code_ABC(fs, op, 0, r, 0);
  e->k = VRELOCABLE;
  code_fixline(fs, line);
}

static void codebinexpval(FuncState *fs, OpCode op, expdesc *e1,
                          expdesc *e2, int line) {
  int rk2 = code_exp2RK(fs, e2); /* both operands are RK */
  int rk1 = code_exp2RK(fs, e1);
  freeexps(fs, e1, e2);
  e1->u.info = code_ABC(fs, op, 0, rk1, rk2);
  e1->k = VRELOCABLE;
  code_fixline(fs, line);
}

/* Comparisons: EQ/LT/LE + JMP. '~=' is a negated EQ; '>' and '>=' are
** LT and LE with the operands swapped. */
static void codecomp(FuncState *fs, BinOpr opr, expdesc *e1, expdesc *e2) {
  int rk1 = (e1->k == VK) ? RKASK(e1->u.info) : e1->u.info;
  int rk2 = code_exp2RK(fs, e2);
  freeexps(fs, e1, e2);
  switch (opr) {
  case OPR_NE:
    e1->u.info = condjump(fs, OP_EQ, 0, rk1, rk2);
    break;
  case OPR_GT: case OPR_GE: {
    OpCode op = cast(OpCode, (opr - OPR_NE) + OP_EQ);
    e1->u.info = condjump(fs, op, 1, rk2, rk1);
    break;
  }
  default: {
    OpCode op = cast(OpCode, (opr - OPR_EQ) + OP_EQ);
    e1->u.info = condjump(fs, op, 1, rk1, rk2);
    break;
  }
  }
  e1->k = VJMP;
}

void code_prefix(FuncState *fs, UnOpr op, expdesc *e, int line) {
  static const expdesc zero = {VKINT, {0}, NO_JUMP, NO_JUMP};
  switch (op) {
  case OPR_MINUS: case OPR_BNOT:
    if (constfolding(fs, cast_int(op) + LUA_OPUNM, e, &zero))
      break;
    codeunexpval(fs, cast(OpCode, cast_int(op) + OP_UNM), e, line);
    break;
  case OPR_LEN:
    codeunexpval(fs, OP_LEN, e, line);
    break;
  case OPR_NOT:
    codenot(fs, e);
    break;
  default:
    break;
  }
}

/* The first operand, before the second is parsed. */
void code_infix(FuncState *fs, BinOpr op, expdesc *v) {
  switch (op) {
  case OPR_AND:
    code_goiftrue(fs, v);
    break;
  case OPR_OR:
    code_goiffalse(fs, v);
    break;
  case OPR_CONCAT:
    code_exp2nextreg(fs, v); /* operands must be consecutive */
    break;
  case OPR_ADD: case OPR_SUB: case OPR_MUL: case OPR_DIV: case OPR_IDIV:
  case OPR_MOD: case OPR_POW: case OPR_BAND: case OPR_BOR: case OPR_BXOR:
  case OPR_SHL: case OPR_SHR:
    if (!tonumeral(v, NULL)) /* numerals wait: they may fold */
      code_exp2RK(fs, v);
    break;
  default:
    code_exp2RK(fs, v);
    break;
  }
}

void code_posfix(FuncState *fs, BinOpr op, expdesc *e1, expdesc *e2,
                 int line) {
  switch (op) {
  case OPR_AND:
    code_dischargevars(fs, e2);
    code_concat(fs, &e2->f, e1->f);
    *e1 = *e2;
    break;
  case OPR_OR:
    code_dischargevars(fs, e2);
    code_concat(fs, &e2->t, e1->t);
    *e1 = *e2;
    break;
  case OPR_CONCAT:
    code_exp2val(fs, e2);
    if (e2->k == VRELOCABLE &&
        GET_OPCODE(getinstruction(fs, e2)) == OP_CONCAT) {
      /* a..(b..c): extend the CONCAT of the right operand */
      freeexp(fs, e1);
      SETARG_B(getinstruction(fs, e2), e1->u.info);
      e1->k = VRELOCABLE;
      e1->u.info = e2->u.info;
    } else {
      code_exp2nextreg(fs, e2);
      codebinexpval(fs, OP_CONCAT, e1, e2, line);
    }
    break;
  case OPR_ADD: case OPR_SUB: case OPR_MUL: case OPR_DIV: case OPR_IDIV:
  case OPR_MOD: case OPR_POW: case OPR_BAND: case OPR_BOR: case OPR_BXOR:
  case OPR_SHL: case OPR_SHR:
    if (!constfolding(fs, cast_int(op) + LUA_OPADD, e1, e2))
      codebinexpval(fs, cast(OpCode, cast_int(op) + OP_ADD), e1, e2, line);
    break;
  case OPR_EQ: case OPR_LT: case OPR_LE:
  case OPR_NE: case OPR_GT: case OPR_GE:
    codecomp(fs, op, e1, e2);
    break;
  default:
    break;
  }
}

/* ---------------------------------------------------------------------
** Table constructors
** ------------------------------------------------------------------- */

/* Stores the 'tostore' list items above 'base' (LUA_MULTRET: up to the
** top); nelems is the count so far. C (or EXTRAARG when C is 0) is the
** batch number, from 1. */
void code_setlist(FuncState *fs, int base, int nelems, int tostore) {
  int c = (nelems - 1) / LFIELDS_PER_FLUSH + 1;
  int b = (tostore == LUA_MULTRET) ? 0 : tostore;
  if (c <= MAXARG_C) {
    code_ABC(fs, OP_SETLIST, base, b, c);
  } else if (c <= MAXARG_Ax) {
    code_ABC(fs, OP_SETLIST, base, b, 0);
    codeextraarg(fs, c);
  } else {
    lex_syntaxerror(fs->ls, "constructor too long");
  }
  fs->freereg = cast_byte(base + 1);
}

int code_int2fb(unsigned int x) {
  int e = 0;
  if (x < 8)
    return cast_int(x);
  while (x >= 16) { /* halve, rounding up, until x is 1xxx */
    x = (x >> 1) + (x & 1);
    e++;
  }
  return ((e + 1) << 3) | (cast_int(x) - 8);
}

int code_fb2int(int x) {
  int e = x >> 3;
  if (x < 8)
    return (x < 0) ? 0 : x;
  if (e - 1 > 27) /* 8 << 28 would not fit in an int */
    return MAX_INT;
  return ((x & 7) + 8) << (e - 1);
}
