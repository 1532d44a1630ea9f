/*
** verify.c: the bytecode verifier (verify.h). Code that passes can not make
** the VM read or write outside its frame, constants, upvalues or code, nor
** leave L->top below a register an instruction reads up to it. The types
** FORLOOP and SETLIST expect are checked as far as a scan without memory
** can (an upvalue or a jump may still change them: vm.c copes). Allocates
** nothing; a message lives in one static buffer until the next failure.
*/
#include <stdio.h>
#include <string.h>

#include "verify.h"

#include "codegen.h"
#include "func.h"
#include "opcodes.h"

#define ALLREGS (MAXARG_A + MAXARG_C + 2) /* "every register from here up" */
#define MAXNESTING LUAI_MAXCCALLS         /* levels of nested functions */

static char msgbuf[96];

/* ---------------------------------------------------------------------- */
/* Registers an instruction may write                                     */
/* ---------------------------------------------------------------------- */

/*
** The registers [*lo, *hi] an instruction may write; 0 when it writes
** none. Calls write from their function slot up (the callee's frame and
** the results); metamethod calls use the space above ci->top, which no
** register reaches.
*/
static int regwrites(Instruction i, int *lo, int *hi) {
  int a = GETARG_A(i), b = GETARG_B(i);
  *lo = *hi = a;
  switch (GET_OPCODE(i)) {
    case OP_LOADNIL: *hi = a + b; return 1;
    case OP_SELF: *hi = a + 1; return 1;
    case OP_CONCAT: *lo = b; *hi = ALLREGS; return 1; /* and R(A) */
    case OP_CALL: case OP_TAILCALL: *hi = ALLREGS; return 1;
    case OP_VARARG:
      *hi = (b == 0) ? ALLREGS : a + b - 2;
      return b != 1;
    case OP_FORLOOP: case OP_FORPREP: *hi = a + 3; return 1;
    case OP_TFORCALL: *lo = a + 3; *hi = ALLREGS; return 1;
    case OP_SETTABUP: case OP_SETUPVAL: case OP_SETTABLE: case OP_JMP:
    case OP_EQ: case OP_LT: case OP_LE: case OP_TEST: case OP_SETLIST:
    case OP_RETURN: case OP_EXTRAARG:
      return 0;
    default: return 1; /* R(A) only */
  }
}

static int writesany(Instruction i, int from, int to) {
  int lo, hi;
  if (GET_OPCODE(i) == OP_CONCAT && from <= GETARG_A(i) && GETARG_A(i) <= to)
    return 1;
  return regwrites(i, &lo, &hi) && lo <= to && from <= hi;
}

/* ---------------------------------------------------------------------- */
/* Operands                                                               */
/* ---------------------------------------------------------------------- */

static int isreg(const VerifyInfo *vi, int r) {
  return r >= 0 && r < vi->maxstacksize;
}

/* A is a register for every opcode but these (RETURN is checked apart). */
static int usesAreg(OpCode op) {
  switch (op) {
    case OP_SETTABUP: case OP_JMP: case OP_EQ: case OP_LT: case OP_LE:
    case OP_RETURN: case OP_EXTRAARG:
      return 0;
    default: return 1;
  }
}

/* A B or C operand of an iABC instruction, by its mode. */
static const char *checkarg(const VerifyInfo *vi, enum OpArgMask m, int x) {
  if (m == OpArgR && !isreg(vi, x)) return "bad register operand";
  if (m == OpArgK) {
    if (ISK(x) && INDEXK(x) >= vi->sizek) return "bad constant operand";
    if (!ISK(x) && !isreg(vi, x)) return "bad register operand";
  }
  return NULL;
}

static const char *checkjump(const VerifyInfo *vi, int target) {
  return (target < 0 || target >= vi->sizecode) ? "bad jump target" : NULL;
}

static int opat(const VerifyInfo *vi, int pc) {
  return (pc >= 0 && pc < vi->sizecode) ? (int)GET_OPCODE(vi->code[pc]) : -1;
}

/* The operands every instruction of a format has. */
static const char *checkformat(const VerifyInfo *vi, int pc, Instruction i) {
  OpCode op = GET_OPCODE(i);
  const char *msg;
  if (usesAreg(op) && !isreg(vi, GETARG_A(i))) return "bad register operand";
  switch (getOpMode(op)) {
    case iABC:
      msg = checkarg(vi, getBMode(op), GETARG_B(i));
      return msg ? msg : checkarg(vi, getCMode(op), GETARG_C(i));
    case iABx:
      if (op == OP_LOADK && GETARG_Bx(i) >= vi->sizek)
        return "bad constant operand";
      if (op == OP_CLOSURE && GETARG_Bx(i) >= vi->sizep)
        return "bad function operand";
      return NULL;
    case iAsBx: return checkjump(vi, pc + 1 + GETARG_sBx(i));
    default: /* iAx: EXTRAARG belongs to the instruction before it */
      if (opat(vi, pc - 1) == OP_LOADKX) return NULL;
      if (opat(vi, pc - 1) == OP_SETLIST && GETARG_C(vi->code[pc - 1]) == 0)
        return NULL;
      return "misplaced EXTRAARG";
  }
}

/* ---------------------------------------------------------------------- */
/* Instructions that depend on their neighbours                           */
/* ---------------------------------------------------------------------- */

/* LOADKX: the constant index is in the EXTRAARG after it. */
static const char *checkloadkx(const VerifyInfo *vi, int pc) {
  if (opat(vi, pc + 1) != OP_EXTRAARG) return "missing EXTRAARG";
  if (GETARG_Ax(vi->code[pc + 1]) >= vi->sizek) return "bad constant operand";
  return NULL;
}

/*
** FORPREP and its FORLOOP come in pairs: each jumps just past the other,
** with the same A, and the loop body between them never writes the three
** control registers, which FORLOOP reads without checking their types.
*/
static const char *checkforprep(const VerifyInfo *vi, int pc, int a) {
  int t = pc + 1 + GETARG_sBx(vi->code[pc]), q;
  if (t <= pc || opat(vi, t) != OP_FORLOOP || GETARG_A(vi->code[t]) != a ||
      t + 1 + GETARG_sBx(vi->code[t]) != pc + 1)
    return "unpaired FORPREP";
  for (q = pc + 1; q < t; q++)
    if (writesany(vi->code[q], a, a + 2)) return "for-loop control changed";
  return NULL;
}

static const char *checkforloop(const VerifyInfo *vi, int pc, int a) {
  int p = pc + GETARG_sBx(vi->code[pc]); /* its FORPREP */
  if (opat(vi, p) != OP_FORPREP || GETARG_A(vi->code[p]) != a ||
      p + 1 + GETARG_sBx(vi->code[p]) != pc)
    return "unpaired FORLOOP";
  return NULL;
}

/*
** SETLIST stores into R(A) as a table: the nearest instruction before it
** that writes R(A) must be its NEWTABLE. An earlier SETLIST of the same
** table was checked already, so the scan stops there.
*/
static const char *checksetlist(const VerifyInfo *vi, int pc, int a) {
  int q;
  for (q = pc - 1; q >= 0; q--) {
    Instruction i = vi->code[q];
    if (GET_OPCODE(i) == OP_SETLIST && GETARG_A(i) == a) return NULL;
    if (writesany(i, a, a)) break;
  }
  if (q >= 0 && GET_OPCODE(vi->code[q]) == OP_NEWTABLE) return NULL;
  return "SETLIST without its table";
}

/* Counts up to the top (B or C == 0) are set by the open instruction just
** before: a CALL or TAILCALL with all results, or VARARG with all. */
static int isopen(Instruction i) {
  switch (GET_OPCODE(i)) {
    case OP_CALL: return GETARG_C(i) == 0;
    case OP_TAILCALL: return 1; /* a C callee's results, for the RETURN */
    case OP_VARARG: return GETARG_B(i) == 0;
    default: return 0;
  }
}

static int usestop(Instruction i) {
  switch (GET_OPCODE(i)) {
    case OP_CALL: case OP_TAILCALL: case OP_RETURN: case OP_SETLIST:
      return GETARG_B(i) == 0;
    default: return 0;
  }
}

/*
** An open instruction leaves L->top at A + (values), at least its A; the
** next instruction must consume that top, reading from a register below
** it (RETURN may return zero values from there).
*/
static const char *checkopen(const VerifyInfo *vi, int pc, Instruction i) {
  Instruction next;
  int a;
  if (pc + 1 >= vi->sizecode || !usestop(vi->code[pc + 1]))
    return "open result not consumed";
  next = vi->code[pc + 1];
  a = GETARG_A(next);
  if (GET_OPCODE(next) == OP_RETURN ? a > GETARG_A(i) : a >= GETARG_A(i))
    return "open result not consumed";
  return NULL;
}

/* ---------------------------------------------------------------------- */
/* One instruction                                                        */
/* ---------------------------------------------------------------------- */

static const char *checkcall(const VerifyInfo *vi, Instruction i) {
  int a = GETARG_A(i), b = GETARG_B(i), c = GETARG_C(i);
  if (b > 0 && a + b > vi->maxstacksize) return "bad argument count";
  if (GET_OPCODE(i) == OP_CALL && c > 0 && a + c - 1 > vi->maxstacksize)
    return "bad result count";
  return NULL;
}

static const char *checkreturn(const VerifyInfo *vi, Instruction i) {
  int a = GETARG_A(i), b = GETARG_B(i);
  if (b > 0 ? a + b - 1 > vi->maxstacksize : a >= vi->maxstacksize)
    return "bad result count";
  return NULL;
}

static const char *checkupval(const VerifyInfo *vi, int idx) {
  return (idx >= vi->sizeupvalues) ? "bad upvalue operand" : NULL;
}

static const char *checkrange(const VerifyInfo *vi, int last) {
  return (last >= vi->maxstacksize) ? "bad register operand" : NULL;
}

static const char *checkclosure(const VerifyInfo *vi, Instruction i) {
  if (vi->nested_nups != NULL && vi->nested_nups[GETARG_Bx(i)] > MAXUPVAL)
    return "bad function operand";
  return NULL;
}

static const char *checkop(const VerifyInfo *vi, int pc, Instruction i) {
  int a = GETARG_A(i), b = GETARG_B(i), c = GETARG_C(i);
  switch (GET_OPCODE(i)) {
    case OP_LOADKX: return checkloadkx(vi, pc);
    case OP_LOADBOOL:
      if (b > 1) return "bad boolean operand";
      return (c != 0) ? checkjump(vi, pc + 2) : NULL;
    case OP_LOADNIL: return checkrange(vi, a + b);
    case OP_GETUPVAL: case OP_SETUPVAL: case OP_GETTABUP:
      return checkupval(vi, b);
    case OP_SETTABUP: return checkupval(vi, a);
    case OP_SELF: return checkrange(vi, a + 1);
    case OP_CONCAT: return (b >= c) ? "bad register operand" : NULL;
    case OP_JMP: return (a > vi->maxstacksize + 1) ? "bad upvalue level" : NULL;
    case OP_CALL: case OP_TAILCALL: return checkcall(vi, i);
    case OP_RETURN: return checkreturn(vi, i);
    case OP_FORPREP:
      if (checkrange(vi, a + 3)) return "bad register operand";
      return checkforprep(vi, pc, a);
    case OP_FORLOOP:
      if (checkrange(vi, a + 3)) return "bad register operand";
      return checkforloop(vi, pc, a);
    case OP_TFORCALL: /* copies R(A..A+2) to R(A+3..A+5) to call */
      if (checkrange(vi, a + 5) || checkrange(vi, a + 2 + c))
        return "bad register operand";
      return (opat(vi, pc + 1) != OP_TFORLOOP) ? "TFORCALL without TFORLOOP"
                                               : NULL;
    case OP_TFORLOOP: return checkrange(vi, a + 1);
    case OP_SETLIST:
      if (b > 0 && checkrange(vi, a + b)) return "bad register operand";
      if (c == 0 && opat(vi, pc + 1) != OP_EXTRAARG) return "missing EXTRAARG";
      if (c == 0 && GETARG_Ax(vi->code[pc + 1]) == 0) /* block number - 1 */
        return "bad EXTRAARG operand";
      return checksetlist(vi, pc, a);
    case OP_CLOSURE: return checkclosure(vi, i);
    case OP_VARARG:
      return (b > 0 && a + b - 1 > vi->maxstacksize) ? "bad result count"
                                                     : NULL;
    default: return NULL;
  }
}

static const char *checkinstr(const VerifyInfo *vi, int pc) {
  Instruction i = vi->code[pc];
  const char *msg;
  if (GET_OPCODE(i) >= NUM_OPCODES) return "bad opcode";
  if ((msg = checkformat(vi, pc, i)) != NULL) return msg;
  if ((msg = checkop(vi, pc, i)) != NULL) return msg;
  if (testTMode(GET_OPCODE(i)) && opat(vi, pc + 1) != OP_JMP)
    return "test without its jump";
  if (isopen(i) && (msg = checkopen(vi, pc, i)) != NULL) return msg;
  if (usestop(i) && (pc == 0 || !isopen(vi->code[pc - 1])))
    return "count up to top without an open result";
  return NULL;
}

/* ---------------------------------------------------------------------- */
/* Functions and trees of functions                                       */
/* ---------------------------------------------------------------------- */

static const char *failat(const char *what, int pc) {
  snprintf(msgbuf, sizeof(msgbuf), "%s at pc %d", what, pc);
  return msgbuf;
}

static const char *checkheader(const VerifyInfo *vi) {
  if (vi->maxstacksize < 0 || vi->maxstacksize > MAXREGS)
    return "bad stack size";
  if (vi->numparams < 0 || vi->numparams > vi->maxstacksize)
    return "bad parameter count";
  if (vi->is_vararg != 0 && vi->is_vararg != 1) return "bad vararg flag";
  if (vi->sizek < 0 || vi->sizep < 0 || vi->sizeupvalues < 0 ||
      vi->sizeupvalues > MAXUPVAL)
    return "bad function sizes";
  if (vi->sizecode <= 0 || vi->code == NULL ||
      GET_OPCODE(vi->code[vi->sizecode - 1]) != OP_RETURN)
    return "missing final RETURN";
  return NULL;
}

const char *verify_code(const VerifyInfo *vi) {
  const char *msg = checkheader(vi);
  int pc;
  if (msg != NULL) return msg;
  for (pc = 0; pc < vi->sizecode; pc++)
    if ((msg = checkinstr(vi, pc)) != NULL) return failat(msg, pc);
  return NULL;
}

/*
** Line information must decode (func_getline) to lines in [0, INT_MAX]:
** one absolute entry per ML_ABSLINEINFO mark, at that pc, in order.
*/
static const char *checklines(const Proto *f) {
  long long line = f->linedefined;
  int pc, ai = 0;
  if (f->sizelineinfo != 0 && f->sizelineinfo != f->sizecode)
    return "bad line information";
  for (pc = 0; pc < f->sizelineinfo; pc++) {
    if (f->lineinfo[pc] != ML_ABSLINEINFO) {
      line += f->lineinfo[pc];
    } else if (ai < f->sizeabslineinfo && f->abslineinfo[ai].pc == pc) {
      line = f->abslineinfo[ai++].line;
    } else {
      return "bad line information";
    }
    if (line < 0 || line > MAX_INT) return "bad line information";
  }
  return (ai == f->sizeabslineinfo) ? NULL : "bad line information";
}

static const char *checkconstants(const Proto *f) {
  int i;
  for (i = 0; i < f->sizek; i++) {
    const TValue *o = &f->k[i];
    if (!ttisnil(o) && !ttisboolean(o) && !ttisnumber(o) && !ttisstring(o))
      return "bad constant";
  }
  return NULL;
}

/* The upvalue descriptors of p, a function nested in f. */
static const char *checkupvals(const Proto *f, const Proto *p) {
  int i;
  if (p == NULL) return "missing function";
  if (p->sizeupvalues < 0 || p->sizeupvalues > MAXUPVAL)
    return "bad upvalue count";
  for (i = 0; i < p->sizeupvalues; i++) {
    const Upvaldesc *uv = &p->upvalues[i];
    int limit = uv->instack ? f->maxstacksize : f->sizeupvalues;
    if (uv->instack > 1 || uv->idx >= limit) return "bad upvalue descriptor";
  }
  return NULL;
}

/* Names the function (by its first line) after the message. */
static const char *infunction(const char *msg, const Proto *f) {
  if (msg != msgbuf) snprintf(msgbuf, sizeof(msgbuf), "%s", msg);
  if (f->linedefined > 0) {
    size_t n = strlen(msgbuf);
    snprintf(msgbuf + n, sizeof(msgbuf) - n, " in function at line %d",
             f->linedefined);
  }
  return msgbuf;
}

static const char *verifytree(const Proto *f, int depth) {
  VerifyInfo vi;
  const char *msg;
  int i;
  if (depth > MAXNESTING) return "functions nested too deep";
  vi.code = f->code;
  vi.sizecode = f->sizecode;
  vi.sizek = f->sizek;
  vi.sizeupvalues = f->sizeupvalues;
  vi.sizep = f->sizep;
  vi.maxstacksize = f->maxstacksize;
  vi.numparams = f->numparams;
  vi.is_vararg = f->is_vararg;
  vi.nested_nups = NULL; /* checkupvals sees the nested protos themselves */
  if ((msg = verify_code(&vi)) != NULL || (msg = checklines(f)) != NULL ||
      (msg = checkconstants(f)) != NULL)
    return infunction(msg, f);
  for (i = 0; i < f->sizep; i++) {
    if ((msg = checkupvals(f, f->p[i])) != NULL) return infunction(msg, f);
    if ((msg = verifytree(f->p[i], depth + 1)) != NULL) return msg;
  }
  return NULL;
}

const char *verify_proto(const Proto *f) {
  return verifytree(f, 0);
}
