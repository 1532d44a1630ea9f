/*
** codegen.h: the code generator the parser drives, and the state they
** share. Expressions are described lazily (expdesc) and turned into 5.3
** register instructions only when their place is known. Every Proto being
** built is reachable (its parent's p array, or the main closure).
*/
#ifndef codegen_h
#define codegen_h

#include "lexer.h"
#include "opcodes.h"

#define NO_JUMP (-1) /* end of a jump list */
#define MAXREGS 255  /* registers a function may use (+1 for calls) */

typedef enum BinOpr {
  /* arithmetic and bitwise: same order as LUA_OP* and OP_ADD.. */
  OPR_ADD, OPR_SUB, OPR_MUL, OPR_MOD, OPR_POW, OPR_DIV, OPR_IDIV,
  OPR_BAND, OPR_BOR, OPR_BXOR, OPR_SHL, OPR_SHR,
  OPR_CONCAT,
  OPR_EQ, OPR_LT, OPR_LE, OPR_NE, OPR_GT, OPR_GE, /* as OP_EQ, OP_LT, OP_LE */
  OPR_AND, OPR_OR,
  OPR_NOBINOPR
} BinOpr;

/* same order as OP_UNM, OP_BNOT, OP_NOT, OP_LEN */
typedef enum UnOpr { OPR_MINUS, OPR_BNOT, OPR_NOT, OPR_LEN, OPR_NOUNOPR } UnOpr;

typedef enum expkind {
  VVOID,     /* empty expression list, or "no variable found" */
  VNIL, VTRUE, VFALSE,
  VK,        /* constant; info = index in k */
  VKFLT,     /* float constant; nval */
  VKINT,     /* integer constant; ival */
  VNONRELOC, /* value in a fixed register; info = register */
  VLOCAL,    /* local variable; info = its register */
  VUPVAL,    /* upvalue; info = its index */
  VINDEXED,  /* t[k]; ind.t = table register or upvalue, ind.idx = RK key,
                ind.vt = VLOCAL or VUPVAL (where t is) */
  VJMP,      /* a comparison; info = pc of its jump */
  VRELOCABLE, /* result goes to register A of instruction info */
  VCALL,     /* call; info = pc of the CALL */
  VVARARG    /* '...'; info = pc of the VARARG */
} expkind;

#define vkisvar(k) (VLOCAL <= (k) && (k) <= VINDEXED)
#define vkisinreg(k) ((k) == VNONRELOC || (k) == VLOCAL)
#define hasmultret(k) ((k) == VCALL || (k) == VVARARG)

typedef struct expdesc {
  expkind k;
  union {
    lua_Integer ival;
    lua_Number nval;
    int info;
    struct {
      short idx;   /* RK index of the key */
      lu_byte t;   /* table: register or upvalue index */
      lu_byte vt;  /* VLOCAL or VUPVAL */
    } ind;
  } u;
  int t; /* jumps taken when the expression is true */
  int f; /* jumps taken when it is false */
} expdesc;

/* An active local: index of its LocVar in the proto. */
typedef struct Vardesc {
  short idx;
} Vardesc;

/* A label, or a goto still waiting for its label. */
typedef struct Labeldesc {
  TString *name;
  int pc;          /* label position, or the goto's jump */
  int line;
  lu_byte nactvar; /* active locals at that point */
} Labeldesc;

typedef struct Labellist {
  Labeldesc *arr;
  int n;
  int size;
} Labellist;

/* Growable arrays of the whole parse (ML_TAG_OTHER blocks, owned by
** parse_protected, freed on both its paths). */
typedef struct Dyndata {
  struct {
    Vardesc *arr;
    int n;
    int size;
  } actvar;
  Labellist gt;    /* pending gotos */
  Labellist label; /* active labels */
} Dyndata;

struct BlockCnt;

/* The state of one function being compiled. */
typedef struct FuncState {
  Proto *f;
  struct FuncState *prev; /* enclosing function */
  struct LexState *ls;
  struct BlockCnt *bl; /* innermost block */
  int pc;              /* next instruction */
  int lasttarget;      /* pc of the last jump target */
  int jpc;             /* jumps to 'pc', patched when code goes there */
  int nk;              /* constants in use */
  int np;              /* nested protos in use */
  int nabslineinfo;    /* entries in f->abslineinfo */
  int firstlocal;      /* this function's first entry in dyd->actvar */
  int previousline;    /* line of the last instruction saved */
  short nlocvars;      /* entries in f->locvars */
  lu_byte nactvar;     /* active locals */
  lu_byte nups;        /* upvalues */
  lu_byte freereg;     /* first free register */
  lu_byte iwthabs;     /* instructions since the last absolute line */
} FuncState;

#define getinstruction(fs, e) ((fs)->f->code[(e)->u.info])

int code_ABC(FuncState *fs, OpCode o, int a, int b, int c);
int code_ABx(FuncState *fs, OpCode o, int a, unsigned int bx);
int code_AsBx(FuncState *fs, OpCode o, int a, int sbx);
int code_k(FuncState *fs, int reg, int k); /* LOADK, or LOADKX+EXTRAARG */
void code_nil(FuncState *fs, int from, int n);
int code_jump(FuncState *fs);
void code_jumpto(FuncState *fs, int target);
void code_ret(FuncState *fs, int first, int nret);
int code_getlabel(FuncState *fs);
void code_concat(FuncState *fs, int *l1, int l2);
void code_patchlist(FuncState *fs, int list, int target);
void code_patchtohere(FuncState *fs, int list);
void code_patchclose(FuncState *fs, int list, int level);
void code_fixline(FuncState *fs, int line);
void code_checkstack(FuncState *fs, int n);
void code_reserveregs(FuncState *fs, int n);

int code_stringK(FuncState *fs, TString *s);
int code_intK(FuncState *fs, lua_Integer n);

void code_dischargevars(FuncState *fs, expdesc *e);
void code_exp2nextreg(FuncState *fs, expdesc *e);
int code_exp2anyreg(FuncState *fs, expdesc *e);
void code_exp2anyregup(FuncState *fs, expdesc *e);
void code_exp2val(FuncState *fs, expdesc *e);
int code_exp2RK(FuncState *fs, expdesc *e);
void code_setreturns(FuncState *fs, expdesc *e, int nresults);
#define code_setmultret(fs, e) code_setreturns(fs, e, LUA_MULTRET)
void code_setoneret(FuncState *fs, expdesc *e);
void code_self(FuncState *fs, expdesc *e, expdesc *key);
void code_indexed(FuncState *fs, expdesc *t, expdesc *k);
void code_goiftrue(FuncState *fs, expdesc *e);
void code_goiffalse(FuncState *fs, expdesc *e);
void code_storevar(FuncState *fs, expdesc *var, expdesc *ex);
void code_prefix(FuncState *fs, UnOpr op, expdesc *e, int line);
void code_infix(FuncState *fs, BinOpr op, expdesc *v);
void code_posfix(FuncState *fs, BinOpr op, expdesc *e1, expdesc *e2,
                 int line);
void code_setlist(FuncState *fs, int base, int nelems, int tostore);

/* Table sizes in NEWTABLE as 5.3's "floating point byte" eeeeexxx:
** x if eeeee is 0, else (1xxx) << (eeeee - 1). code_int2fb rounds up;
** code_fb2int is what the VM calls, and never exceeds INT_MAX. */
int code_int2fb(unsigned int x);
int code_fb2int(int x);

#endif
