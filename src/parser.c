/*
** parser.c: Lua 5.3's grammar, one pass, driving codegen.c; scopes,
** upvalues, goto/labels; and parse_protected. During a parse the main
** closure and the string table sit on the Lua stack, and every new Proto
** is stored in its parent's p array at once, so all of it is reachable.
*/
#include <string.h>

#include "call.h"
#include "codegen.h"
#include "func.h"
#include "gc.h"
#include "mem.h"
#include "parser.h"
#include "str.h"
#include "table.h"

#define MAXVARS LUAI_MAXVARS

/* A block (scope) being compiled. */
typedef struct BlockCnt {
  struct BlockCnt *previous;
  int firstlabel;  /* its first label in dyd->label */
  int firstgoto;   /* its first pending goto in dyd->gt */
  lu_byte nactvar; /* active locals outside the block */
  lu_byte upval;   /* some local of the block is an upvalue */
  lu_byte isloop;  /* 'break' ends it */
} BlockCnt;

static void statement(LexState *ls);
static void expr(LexState *ls, expdesc *v);

/* Names compare by address: the lexer hands out one string per content
** during a parse (long ones included, through ls->h). */
static int eqstr(const TString *a, const TString *b) { return a == b; }

/* ---------------------------------------------------------------------
** Errors and token checks
** ------------------------------------------------------------------- */

static l_noret error_expected(LexState *ls, int token) {
  lex_syntaxerror(ls, obj_pushfstring(ls->L, "%s expected",
                                      lex_token2str(ls, token)));
}

static l_noret errorlimit(FuncState *fs, int limit, const char *what) {
  lua_State *L = fs->ls->L;
  int line = fs->f->linedefined;
  const char *where = (line == 0)
                          ? "main function"
                          : obj_pushfstring(L, "function at line %d", line);
  lex_syntaxerror(fs->ls, obj_pushfstring(L, "too many %s (limit is %d) in %s",
                                          what, limit, where));
}

static void checklimit(FuncState *fs, int v, int limit, const char *what) {
  if (v > limit)
    errorlimit(fs, limit, what);
}

static int testnext(LexState *ls, int c) {
  if (ls->t.token != c)
    return 0;
  lex_next(ls);
  return 1;
}

static void check(LexState *ls, int c) {
  if (ls->t.token != c)
    error_expected(ls, c);
}

static void checknext(LexState *ls, int c) {
  check(ls, c);
  lex_next(ls);
}

static void check_condition(LexState *ls, int ok, const char *msg) {
  if (!ok)
    lex_syntaxerror(ls, msg);
}

/* The closing token 'what' of 'who', opened at line 'where'. */
static void check_match(LexState *ls, int what, int who, int where) {
  if (testnext(ls, what))
    return;
  if (where == ls->linenumber)
    error_expected(ls, what);
  lex_syntaxerror(ls, obj_pushfstring(
      ls->L, "%s expected (to close %s at line %d)", lex_token2str(ls, what),
      lex_token2str(ls, who), where));
}

static TString *str_checkname(LexState *ls) {
  TString *ts;
  check(ls, TK_NAME);
  ts = ls->t.seminfo.ts;
  lex_next(ls);
  return ts;
}

static void init_exp(expdesc *e, expkind k, int i) {
  e->f = e->t = NO_JUMP;
  e->k = k;
  e->u.info = i;
}

static void codestring(LexState *ls, expdesc *e, TString *s) {
  init_exp(e, VK, code_stringK(ls->fs, s));
}

static void checkname(LexState *ls, expdesc *e) {
  codestring(ls, e, str_checkname(ls));
}

/* Syntactic nesting shares the C-call counter, as in Lua 5.3. */
static void enterlevel(LexState *ls) {
  lua_State *L = ls->L;
  ++L->nCcalls;
  checklimit(ls->fs, L->nCcalls, LUAI_MAXCCALLS, "C levels");
}

static void leavelevel(LexState *ls) { ls->L->nCcalls--; }

/* ---------------------------------------------------------------------
** Variables
** ------------------------------------------------------------------- */

static int registerlocalvar(LexState *ls, TString *varname) {
  FuncState *fs = ls->fs;
  Proto *f = fs->f;
  int oldsize = f->sizelocvars;
  mem_growvector(ls->L, f->locvars, fs->nlocvars, f->sizelocvars, LocVar,
                 SHRT_MAX, "local variables", ML_TAG_CODE);
  while (oldsize < f->sizelocvars)
    f->locvars[oldsize++].varname = NULL;
  f->locvars[fs->nlocvars].varname = varname;
  gc_objbarrier(ls->L, f, varname);
  return fs->nlocvars++;
}

/* Declares a local; it becomes visible with adjustlocalvars. */
static void new_localvar(LexState *ls, TString *name) {
  FuncState *fs = ls->fs;
  Dyndata *dyd = ls->dyd;
  int reg = registerlocalvar(ls, name);
  checklimit(fs, dyd->actvar.n + 1 - fs->firstlocal, MAXVARS,
             "local variables");
  mem_growvector(ls->L, dyd->actvar.arr, dyd->actvar.n + 1, dyd->actvar.size,
                 Vardesc, MAX_INT, "local variables", ML_TAG_OTHER);
  dyd->actvar.arr[dyd->actvar.n++].idx = cast(short, reg);
}

static void new_localvarliteral(LexState *ls, const char *name) {
  new_localvar(ls, lex_newstring(ls, name, strlen(name)));
}

static LocVar *getlocvar(FuncState *fs, int i) {
  int idx = fs->ls->dyd->actvar.arr[fs->firstlocal + i].idx;
  return &fs->f->locvars[idx];
}

static void adjustlocalvars(LexState *ls, int nvars) {
  FuncState *fs = ls->fs;
  fs->nactvar = cast_byte(fs->nactvar + nvars);
  for (; nvars; nvars--)
    getlocvar(fs, fs->nactvar - nvars)->startpc = fs->pc;
}

static void removevars(FuncState *fs, int tolevel) {
  fs->ls->dyd->actvar.n -= (fs->nactvar - tolevel);
  while (fs->nactvar > tolevel)
    getlocvar(fs, --fs->nactvar)->endpc = fs->pc;
}

static int searchupvalue(FuncState *fs, TString *name) {
  int i;
  Upvaldesc *up = fs->f->upvalues;
  for (i = 0; i < fs->nups; i++)
    if (eqstr(up[i].name, name))
      return i;
  return -1;
}

static int newupvalue(FuncState *fs, TString *name, expdesc *v) {
  Proto *f = fs->f;
  int oldsize = f->sizeupvalues;
  checklimit(fs, fs->nups + 1, MAXUPVAL, "upvalues");
  mem_growvector(fs->ls->L, f->upvalues, fs->nups, f->sizeupvalues,
                 Upvaldesc, MAXUPVAL, "upvalues", ML_TAG_CODE);
  while (oldsize < f->sizeupvalues)
    f->upvalues[oldsize++].name = NULL;
  f->upvalues[fs->nups].instack = (v->k == VLOCAL);
  f->upvalues[fs->nups].idx = cast_byte(v->u.info);
  f->upvalues[fs->nups].name = name;
  gc_objbarrier(fs->ls->L, f, name);
  return fs->nups++;
}

static int searchvar(FuncState *fs, TString *n) {
  int i;
  for (i = cast_int(fs->nactvar) - 1; i >= 0; i--)
    if (eqstr(n, getlocvar(fs, i)->varname))
      return i;
  return -1;
}

/* The block owning local 'level' must close upvalues when it ends. */
static void markupval(FuncState *fs, int level) {
  BlockCnt *bl = fs->bl;
  while (bl->nactvar > level)
    bl = bl->previous;
  bl->upval = 1;
}

/* Finds n as a local of fs (base: fs is where the name is used) or an
** upvalue, creating upvalues down the chain. VVOID: a global. */
static void singlevaraux(FuncState *fs, TString *n, expdesc *var, int base) {
  int v, idx;
  if (fs == NULL) {
    init_exp(var, VVOID, 0);
    return;
  }
  v = searchvar(fs, n);
  if (v >= 0) {
    init_exp(var, VLOCAL, v);
    if (!base)
      markupval(fs, v);
    return;
  }
  idx = searchupvalue(fs, n);
  if (idx < 0) {
    singlevaraux(fs->prev, n, var, 0);
    if (var->k == VVOID)
      return;
    idx = newupvalue(fs, n, var);
  }
  init_exp(var, VUPVAL, idx);
}

/* A name: a local, an upvalue, or _ENV.name. */
static void singlevar(LexState *ls, expdesc *var) {
  TString *varname = str_checkname(ls);
  FuncState *fs = ls->fs;
  singlevaraux(fs, varname, var, 1);
  if (var->k == VVOID) {
    expdesc key;
    singlevaraux(fs, ls->envn, var, 1); /* _ENV always exists */
    codestring(ls, &key, varname);
    code_indexed(fs, var, &key);
  }
}

/* nexps values (the last one e, not yet placed) for nvars targets. */
static void adjust_assign(LexState *ls, int nvars, int nexps, expdesc *e) {
  FuncState *fs = ls->fs;
  int extra = nvars - nexps;
  if (hasmultret(e->k)) {
    extra++; /* the call or '...' itself counts */
    if (extra < 0)
      extra = 0;
    code_setreturns(fs, e, extra);
    if (extra > 1)
      code_reserveregs(fs, extra - 1);
  } else {
    if (e->k != VVOID)
      code_exp2nextreg(fs, e);
    if (extra > 0) {
      int reg = fs->freereg;
      code_reserveregs(fs, extra);
      code_nil(fs, reg, extra);
    }
  }
  if (nexps > nvars)
    fs->freereg = cast_byte(fs->freereg - (nexps - nvars));
}

/* ---------------------------------------------------------------------
** Blocks, labels and gotos
** ------------------------------------------------------------------- */

static l_noret jumpscopeerror(LexState *ls, Labeldesc *gt) {
  TString *vname = getlocvar(ls->fs, gt->nactvar)->varname;
  lex_semerror(ls, obj_pushfstring(
      ls->L, "<goto %s> at line %d jumps into the scope of local '%s'",
      getstr(gt->name), gt->line, getstr(vname)));
}

/* Resolves pending goto g to 'label' and drops it from the list. */
static void closegoto(LexState *ls, int g, Labeldesc *label) {
  int i;
  FuncState *fs = ls->fs;
  Labellist *gl = &ls->dyd->gt;
  Labeldesc *gt = &gl->arr[g];
  if (gt->nactvar < label->nactvar)
    jumpscopeerror(ls, gt);
  code_patchlist(fs, gt->pc, label->pc);
  for (i = g; i < gl->n - 1; i++)
    gl->arr[i] = gl->arr[i + 1];
  gl->n--;
}

/* Resolves goto g if its label is visible in the current block. */
static int findlabel(LexState *ls, int g) {
  int i;
  BlockCnt *bl = ls->fs->bl;
  Dyndata *dyd = ls->dyd;
  Labeldesc *gt = &dyd->gt.arr[g];
  for (i = bl->firstlabel; i < dyd->label.n; i++) {
    Labeldesc *lb = &dyd->label.arr[i];
    if (eqstr(lb->name, gt->name)) {
      if (gt->nactvar > lb->nactvar &&
          (bl->upval || dyd->label.n > bl->firstlabel))
        code_patchclose(ls->fs, gt->pc, lb->nactvar);
      closegoto(ls, g, lb);
      return 1;
    }
  }
  return 0;
}

static int newlabelentry(LexState *ls, Labellist *l, TString *name, int line,
                         int pc) {
  int n = l->n;
  mem_growvector(ls->L, l->arr, n, l->size, Labeldesc, SHRT_MAX,
                 "labels/gotos", ML_TAG_OTHER);
  l->arr[n].name = name;
  l->arr[n].line = line;
  l->arr[n].nactvar = ls->fs->nactvar;
  l->arr[n].pc = pc;
  l->n = n + 1;
  return n;
}

/* A new label resolves the pending gotos of its block that name it. */
static void findgotos(LexState *ls, Labeldesc *lb) {
  Labellist *gl = &ls->dyd->gt;
  int i = ls->fs->bl->firstgoto;
  while (i < gl->n) {
    if (eqstr(gl->arr[i].name, lb->name))
      closegoto(ls, i, lb);
    else
      i++;
  }
}

/* At the end of block bl, its pending gotos move to the enclosing block:
** they leave bl's locals, whose upvalues they must close. */
static void movegotosout(FuncState *fs, BlockCnt *bl) {
  int i = bl->firstgoto;
  Labellist *gl = &fs->ls->dyd->gt;
  while (i < gl->n) {
    Labeldesc *gt = &gl->arr[i];
    if (gt->nactvar > bl->nactvar) {
      if (bl->upval)
        code_patchclose(fs, gt->pc, bl->nactvar);
      gt->nactvar = bl->nactvar;
    }
    if (!findlabel(fs->ls, i))
      i++;
  }
}

static void enterblock(FuncState *fs, BlockCnt *bl, lu_byte isloop) {
  bl->isloop = isloop;
  bl->nactvar = fs->nactvar;
  bl->firstlabel = fs->ls->dyd->label.n;
  bl->firstgoto = fs->ls->dyd->gt.n;
  bl->upval = 0;
  bl->previous = fs->bl;
  fs->bl = bl;
}

/* The end of a loop is the label "break" (a reserved word, so no goto
** can name it). */
static void breaklabel(LexState *ls) {
  TString *n = str_newliteral(ls->L, "break");
  int l = newlabelentry(ls, &ls->dyd->label, n, 0, ls->fs->pc);
  findgotos(ls, &ls->dyd->label.arr[l]);
}

static l_noret undefgoto(LexState *ls, Labeldesc *gt) {
  const char *fmt = isreserved(gt->name)
                        ? "<%s> at line %d not inside a loop"
                        : "no visible label '%s' for <goto> at line %d";
  lex_semerror(ls, obj_pushfstring(ls->L, fmt, getstr(gt->name), gt->line));
}

static void leaveblock(FuncState *fs) {
  BlockCnt *bl = fs->bl;
  LexState *ls = fs->ls;
  if (bl->previous && bl->upval) { /* a jump to here closes upvalues */
    int j = code_jump(fs);
    code_patchclose(fs, j, bl->nactvar);
    code_patchtohere(fs, j);
  }
  if (bl->isloop)
    breaklabel(ls);
  fs->bl = bl->previous;
  removevars(fs, bl->nactvar);
  fs->freereg = fs->nactvar;
  ls->dyd->label.n = bl->firstlabel;
  if (bl->previous)
    movegotosout(fs, bl);
  else if (bl->firstgoto < ls->dyd->gt.n)
    undefgoto(ls, &ls->dyd->gt.arr[bl->firstgoto]);
}

/* ---------------------------------------------------------------------
** Functions
** ------------------------------------------------------------------- */

/* A new Proto, anchored in the current function's p array at once. */
static Proto *addprototype(LexState *ls) {
  Proto *clp;
  lua_State *L = ls->L;
  FuncState *fs = ls->fs;
  Proto *f = fs->f;
  if (fs->np >= f->sizep) {
    int oldsize = f->sizep;
    mem_growvector(L, f->p, fs->np, f->sizep, Proto *, MAXARG_Bx,
                   "functions", ML_TAG_CODE);
    while (oldsize < f->sizep)
      f->p[oldsize++] = NULL;
  }
  clp = func_newproto(L);
  f->p[fs->np++] = clp;
  gc_objbarrier(L, f, clp);
  return clp;
}

/* CLOSURE for the last nested proto, in the enclosing function. */
static void codeclosure(LexState *ls, expdesc *v) {
  FuncState *fs = ls->fs->prev;
  init_exp(v, VRELOCABLE,
           code_ABx(fs, OP_CLOSURE, 0, cast(unsigned int, fs->np - 1)));
  code_exp2nextreg(fs, v);
}

static void open_func(LexState *ls, FuncState *fs, BlockCnt *bl) {
  Proto *f = fs->f;
  fs->prev = ls->fs;
  fs->ls = ls;
  ls->fs = fs;
  fs->pc = 0;
  fs->lasttarget = 0;
  fs->jpc = NO_JUMP;
  fs->freereg = 0;
  fs->nk = 0;
  fs->np = 0;
  fs->nups = 0;
  fs->nlocvars = 0;
  fs->nactvar = 0;
  fs->nabslineinfo = 0;
  fs->iwthabs = 0;
  fs->previousline = f->linedefined;
  fs->firstlocal = ls->dyd->actvar.n;
  fs->bl = NULL;
  f->source = ls->source;
  gc_objbarrier(ls->L, f, f->source);
  f->maxstacksize = 2; /* registers 0/1 are always valid */
  enterblock(fs, bl, 0);
}

/* Resizes a proto array to its final length n. The collector may run
** inside mem_realloc: it then still sees the old block and size. */
static void *shrinkarray(lua_State *L, void *block, int *size, int n,
                         size_t elem) {
  void *nb;
  if (*size == n)
    return block;
  nb = mem_realloc(L, block, cast(size_t, *size) * elem,
                   cast(size_t, n) * elem, ML_TAG_CODE);
  *size = n;
  return nb;
}

static void close_func(LexState *ls) {
  lua_State *L = ls->L;
  FuncState *fs = ls->fs;
  Proto *f = fs->f;
  code_ret(fs, 0, 0); /* final return */
  leaveblock(fs);
  f->code = (Instruction *)shrinkarray(L, f->code, &f->sizecode, fs->pc,
                                       sizeof(Instruction));
  f->lineinfo = (ls_byte *)shrinkarray(L, f->lineinfo, &f->sizelineinfo,
                                       fs->pc, sizeof(ls_byte));
  f->abslineinfo = (AbsLineInfo *)shrinkarray(
      L, f->abslineinfo, &f->sizeabslineinfo, fs->nabslineinfo,
      sizeof(AbsLineInfo));
  f->k = (TValue *)shrinkarray(L, f->k, &f->sizek, fs->nk, sizeof(TValue));
  f->p = (Proto **)shrinkarray(L, f->p, &f->sizep, fs->np, sizeof(Proto *));
  f->locvars = (LocVar *)shrinkarray(L, f->locvars, &f->sizelocvars,
                                     fs->nlocvars, sizeof(LocVar));
  f->upvalues = (Upvaldesc *)shrinkarray(L, f->upvalues, &f->sizeupvalues,
                                         fs->nups, sizeof(Upvaldesc));
  ls->fs = fs->prev;
  gc_checkGC(L);
}

/* ---------------------------------------------------------------------
** Grammar: blocks and expressions
** ------------------------------------------------------------------- */

/* Does the current token end a block? */
static int block_follow(LexState *ls, int withuntil) {
  switch (ls->t.token) {
  case TK_ELSE: case TK_ELSEIF: case TK_END: case TK_EOS:
    return 1;
  case TK_UNTIL:
    return withuntil;
  default:
    return 0;
  }
}

static void statlist(LexState *ls) {
  while (!block_follow(ls, 1)) {
    if (ls->t.token == TK_RETURN) {
      statement(ls);
      return; /* 'return' must be last */
    }
    statement(ls);
  }
}

static void fieldsel(LexState *ls, expdesc *v) {
  FuncState *fs = ls->fs;
  expdesc key;
  code_exp2anyregup(fs, v);
  lex_next(ls); /* '.' or ':' */
  checkname(ls, &key);
  code_indexed(fs, v, &key);
}

static void yindex(LexState *ls, expdesc *v) {
  lex_next(ls); /* '[' */
  expr(ls, v);
  code_exp2val(ls->fs, v);
  checknext(ls, ']');
}

/* Table constructors */
typedef struct ConsControl {
  expdesc v;   /* last list item read */
  expdesc *t;  /* the table */
  int nh;      /* record items */
  int na;      /* list items */
  int tostore; /* list items waiting for a SETLIST */
} ConsControl;

static void recfield(LexState *ls, ConsControl *cc) {
  FuncState *fs = ls->fs;
  int reg = ls->fs->freereg;
  expdesc key, val;
  int rkkey;
  if (ls->t.token == TK_NAME) {
    checklimit(fs, cc->nh, MAX_INT, "items in a constructor");
    checkname(ls, &key);
  } else {
    yindex(ls, &key);
  }
  cc->nh++;
  checknext(ls, '=');
  rkkey = code_exp2RK(fs, &key);
  expr(ls, &val);
  code_ABC(fs, OP_SETTABLE, cc->t->u.info, rkkey, code_exp2RK(fs, &val));
  fs->freereg = cast_byte(reg);
}

static void closelistfield(FuncState *fs, ConsControl *cc) {
  if (cc->v.k == VVOID)
    return;
  code_exp2nextreg(fs, &cc->v);
  cc->v.k = VVOID;
  if (cc->tostore == LFIELDS_PER_FLUSH) {
    code_setlist(fs, cc->t->u.info, cc->na, cc->tostore);
    cc->tostore = 0;
  }
}

static void lastlistfield(FuncState *fs, ConsControl *cc) {
  if (cc->tostore == 0)
    return;
  if (hasmultret(cc->v.k)) {
    code_setmultret(fs, &cc->v);
    code_setlist(fs, cc->t->u.info, cc->na, LUA_MULTRET);
    cc->na--; /* the open item is not counted in the size */
  } else {
    if (cc->v.k != VVOID)
      code_exp2nextreg(fs, &cc->v);
    code_setlist(fs, cc->t->u.info, cc->na, cc->tostore);
  }
}

static void listfield(LexState *ls, ConsControl *cc) {
  expr(ls, &cc->v);
  checklimit(ls->fs, cc->na, MAX_INT, "items in a constructor");
  cc->na++;
  cc->tostore++;
}

static void field(LexState *ls, ConsControl *cc) {
  switch (ls->t.token) {
  case TK_NAME:
    if (lex_lookahead(ls) != '=')
      listfield(ls, cc);
    else
      recfield(ls, cc);
    break;
  case '[':
    recfield(ls, cc);
    break;
  default:
    listfield(ls, cc);
    break;
  }
}

static void constructor(LexState *ls, expdesc *t) {
  FuncState *fs = ls->fs;
  int line = ls->linenumber;
  int pc = code_ABC(fs, OP_NEWTABLE, 0, 0, 0);
  ConsControl cc;
  cc.na = cc.nh = cc.tostore = 0;
  cc.t = t;
  init_exp(t, VRELOCABLE, pc);
  init_exp(&cc.v, VVOID, 0);
  code_exp2nextreg(ls->fs, t);
  checknext(ls, '{');
  do {
    if (ls->t.token == '}')
      break;
    closelistfield(fs, &cc);
    field(ls, &cc);
  } while (testnext(ls, ',') || testnext(ls, ';'));
  check_match(ls, '}', '{', line);
  lastlistfield(fs, &cc);
  SETARG_B(fs->f->code[pc], code_int2fb(cast(unsigned int, cc.na)));
  SETARG_C(fs->f->code[pc], code_int2fb(cast(unsigned int, cc.nh)));
}

static void parlist(LexState *ls) {
  FuncState *fs = ls->fs;
  Proto *f = fs->f;
  int nparams = 0;
  f->is_vararg = 0;
  if (ls->t.token != ')') {
    do {
      switch (ls->t.token) {
      case TK_NAME:
        new_localvar(ls, str_checkname(ls));
        nparams++;
        break;
      case TK_DOTS:
        lex_next(ls);
        f->is_vararg = 1;
        break;
      default:
        lex_syntaxerror(ls, "<name> or '...' expected");
      }
    } while (!f->is_vararg && testnext(ls, ','));
  }
  adjustlocalvars(ls, nparams);
  f->numparams = cast_byte(fs->nactvar);
  code_reserveregs(fs, fs->nactvar);
}

static void body(LexState *ls, expdesc *e, int ismethod, int line) {
  FuncState new_fs;
  BlockCnt bl;
  new_fs.f = addprototype(ls);
  new_fs.f->linedefined = line;
  open_func(ls, &new_fs, &bl);
  checknext(ls, '(');
  if (ismethod) {
    new_localvarliteral(ls, "self");
    adjustlocalvars(ls, 1);
  }
  parlist(ls);
  checknext(ls, ')');
  statlist(ls);
  new_fs.f->lastlinedefined = ls->linenumber;
  check_match(ls, TK_END, TK_FUNCTION, line);
  codeclosure(ls, e);
  close_func(ls);
}

/* Every value but the last goes to the next register; returns the
** count. */
static int explist(LexState *ls, expdesc *v) {
  int n = 1;
  expr(ls, v);
  while (testnext(ls, ',')) {
    code_exp2nextreg(ls->fs, v);
    expr(ls, v);
    n++;
  }
  return n;
}

static void funcargs(LexState *ls, expdesc *f, int line) {
  FuncState *fs = ls->fs;
  expdesc args;
  int base, nparams;
  switch (ls->t.token) {
  case '(':
    lex_next(ls);
    if (ls->t.token == ')') {
      args.k = VVOID;
    } else {
      explist(ls, &args);
      code_setmultret(fs, &args);
    }
    check_match(ls, ')', '(', line);
    break;
  case '{':
    constructor(ls, &args);
    break;
  case TK_STRING:
    codestring(ls, &args, ls->t.seminfo.ts);
    lex_next(ls);
    break;
  default:
    lex_syntaxerror(ls, "function arguments expected");
  }
  base = f->u.info; /* the function, in a register */
  if (hasmultret(args.k)) {
    nparams = LUA_MULTRET;
  } else {
    if (args.k != VVOID)
      code_exp2nextreg(fs, &args);
    nparams = fs->freereg - (base + 1);
  }
  init_exp(f, VCALL, code_ABC(fs, OP_CALL, base, nparams + 1, 2));
  code_fixline(fs, line);
  fs->freereg = cast_byte(base + 1); /* the call leaves one result */
}

static void primaryexp(LexState *ls, expdesc *v) {
  switch (ls->t.token) {
  case '(': {
    int line = ls->linenumber;
    lex_next(ls);
    expr(ls, v);
    check_match(ls, ')', '(', line);
    code_dischargevars(ls->fs, v); /* (f()) is one value */
    return;
  }
  case TK_NAME:
    singlevar(ls, v);
    return;
  default:
    lex_syntaxerror(ls, "unexpected symbol");
  }
}

/* primaryexp { '.' NAME | '[' exp ']' | ':' NAME funcargs | funcargs } */
static void suffixedexp(LexState *ls, expdesc *v) {
  FuncState *fs = ls->fs;
  int line = ls->linenumber;
  primaryexp(ls, v);
  for (;;) {
    switch (ls->t.token) {
    case '.':
      fieldsel(ls, v);
      break;
    case '[': {
      expdesc key;
      code_exp2anyregup(fs, v);
      yindex(ls, &key);
      code_indexed(fs, v, &key);
      break;
    }
    case ':': {
      expdesc key;
      lex_next(ls);
      checkname(ls, &key);
      code_self(fs, v, &key);
      funcargs(ls, v, line);
      break;
    }
    case '(': case TK_STRING: case '{':
      code_exp2nextreg(fs, v);
      funcargs(ls, v, line);
      break;
    default:
      return;
    }
  }
}

static void simpleexp(LexState *ls, expdesc *v) {
  switch (ls->t.token) {
  case TK_FLT:
    init_exp(v, VKFLT, 0);
    v->u.nval = ls->t.seminfo.r;
    break;
  case TK_INT:
    init_exp(v, VKINT, 0);
    v->u.ival = ls->t.seminfo.i;
    break;
  case TK_STRING:
    codestring(ls, v, ls->t.seminfo.ts);
    break;
  case TK_NIL:
    init_exp(v, VNIL, 0);
    break;
  case TK_TRUE:
    init_exp(v, VTRUE, 0);
    break;
  case TK_FALSE:
    init_exp(v, VFALSE, 0);
    break;
  case TK_DOTS: {
    FuncState *fs = ls->fs;
    check_condition(ls, fs->f->is_vararg,
                    "cannot use '...' outside a vararg function");
    init_exp(v, VVARARG, code_ABC(fs, OP_VARARG, 0, 1, 0));
    break;
  }
  case '{':
    constructor(ls, v);
    return;
  case TK_FUNCTION:
    lex_next(ls);
    body(ls, v, 0, ls->linenumber);
    return;
  default:
    suffixedexp(ls, v);
    return;
  }
  lex_next(ls);
}

static UnOpr getunopr(int op) {
  switch (op) {
  case TK_NOT: return OPR_NOT;
  case '-': return OPR_MINUS;
  case '~': return OPR_BNOT;
  case '#': return OPR_LEN;
  default: return OPR_NOUNOPR;
  }
}

static BinOpr getbinopr(int op) {
  switch (op) {
  case '+': return OPR_ADD;
  case '-': return OPR_SUB;
  case '*': return OPR_MUL;
  case '%': return OPR_MOD;
  case '^': return OPR_POW;
  case '/': return OPR_DIV;
  case TK_IDIV: return OPR_IDIV;
  case '&': return OPR_BAND;
  case '|': return OPR_BOR;
  case '~': return OPR_BXOR;
  case TK_SHL: return OPR_SHL;
  case TK_SHR: return OPR_SHR;
  case TK_CONCAT: return OPR_CONCAT;
  case TK_NE: return OPR_NE;
  case TK_EQ: return OPR_EQ;
  case '<': return OPR_LT;
  case TK_LE: return OPR_LE;
  case '>': return OPR_GT;
  case TK_GE: return OPR_GE;
  case TK_AND: return OPR_AND;
  case TK_OR: return OPR_OR;
  default: return OPR_NOBINOPR;
  }
}

/* Binding powers, in BinOpr order; right < left makes an operator right
** associative ('^' and '..'). */
static const struct {
  lu_byte left;
  lu_byte right;
} priority[] = {
    {10, 10}, {10, 10},         /* + - */
    {11, 11}, {11, 11},         /* * % */
    {14, 13},                   /* ^ */
    {11, 11}, {11, 11},         /* / // */
    {6, 6}, {4, 4}, {5, 5},     /* & | ~ */
    {7, 7}, {7, 7},             /* << >> */
    {9, 8},                     /* .. */
    {3, 3}, {3, 3}, {3, 3},     /* == < <= */
    {3, 3}, {3, 3}, {3, 3},     /* ~= > >= */
    {2, 2}, {1, 1}              /* and or */
};

#define UNARY_PRIORITY 12

/* subexpr -> (simpleexp | unop subexpr) { binop subexpr }, where each
** binop binds tighter than 'limit'. Returns the first operator not
** taken. */
static BinOpr subexpr(LexState *ls, expdesc *v, int limit) {
  BinOpr op;
  UnOpr uop;
  enterlevel(ls);
  uop = getunopr(ls->t.token);
  if (uop != OPR_NOUNOPR) {
    int line = ls->linenumber;
    lex_next(ls);
    subexpr(ls, v, UNARY_PRIORITY);
    code_prefix(ls->fs, uop, v, line);
  } else {
    simpleexp(ls, v);
  }
  op = getbinopr(ls->t.token);
  while (op != OPR_NOBINOPR && priority[op].left > limit) {
    expdesc v2;
    BinOpr nextop;
    int line = ls->linenumber;
    lex_next(ls);
    code_infix(ls->fs, op, v);
    nextop = subexpr(ls, &v2, priority[op].right);
    code_posfix(ls->fs, op, v, &v2, line);
    op = nextop;
  }
  leavelevel(ls);
  return op;
}

static void expr(LexState *ls, expdesc *v) { subexpr(ls, v, 0); }

/* ---------------------------------------------------------------------
** Grammar: statements
** ------------------------------------------------------------------- */

static void block(LexState *ls) {
  FuncState *fs = ls->fs;
  BlockCnt bl;
  enterblock(fs, &bl, 0);
  statlist(ls);
  leaveblock(fs);
}

/* The targets of a multiple assignment, chained from last to first. */
typedef struct LHS_assign {
  struct LHS_assign *prev;
  expdesc v;
} LHS_assign;

/* A local or upvalue v about to be assigned is used as the table or the
** key of an earlier indexed target: those use a copy made now, so that
** all targets see the values from before the assignment. */
static void check_conflict(LexState *ls, LHS_assign *lh, expdesc *v) {
  FuncState *fs = ls->fs;
  int extra = fs->freereg; /* where the copy goes */
  int conflict = 0;
  for (; lh; lh = lh->prev) {
    if (lh->v.k != VINDEXED)
      continue;
    if (lh->v.u.ind.vt == v->k && lh->v.u.ind.t == v->u.info) {
      conflict = 1;
      lh->v.u.ind.vt = VLOCAL;
      lh->v.u.ind.t = cast_byte(extra);
    }
    if (v->k == VLOCAL && lh->v.u.ind.idx == v->u.info) {
      conflict = 1;
      lh->v.u.ind.idx = cast(short, extra);
    }
  }
  if (conflict) {
    OpCode op = (v->k == VLOCAL) ? OP_MOVE : OP_GETUPVAL;
    code_ABC(fs, op, extra, v->u.info, 0);
    code_reserveregs(fs, 1);
  }
}

/* Targets are stored from the last to the first, each taking the value
** in the register after the previous one's. */
static void assignment(LexState *ls, LHS_assign *lh, int nvars) {
  expdesc e;
  check_condition(ls, vkisvar(lh->v.k), "syntax error");
  if (testnext(ls, ',')) {
    LHS_assign nv;
    nv.prev = lh;
    suffixedexp(ls, &nv.v);
    if (nv.v.k != VINDEXED)
      check_conflict(ls, lh, &nv.v);
    checklimit(ls->fs, nvars + ls->L->nCcalls, LUAI_MAXCCALLS, "C levels");
    assignment(ls, &nv, nvars + 1);
  } else {
    int nexps;
    checknext(ls, '=');
    nexps = explist(ls, &e);
    if (nexps == nvars) {
      code_setoneret(ls->fs, &e);
      code_storevar(ls->fs, &lh->v, &e);
      return; /* no need to place the last value */
    }
    adjust_assign(ls, nvars, nexps, &e);
  }
  init_exp(&e, VNONRELOC, ls->fs->freereg - 1);
  code_storevar(ls->fs, &lh->v, &e);
}

/* A condition; returns its false exits. */
static int cond(LexState *ls) {
  expdesc v;
  expr(ls, &v);
  if (v.k == VNIL)
    v.k = VFALSE; /* 'falses' are all equal here */
  code_goiftrue(ls->fs, &v);
  return v.f;
}

/* 'goto NAME' or 'break' (a goto to the label "break"); pc is its jump. */
static void gotostat(LexState *ls, int pc) {
  int line = ls->linenumber;
  TString *label;
  int g;
  if (testnext(ls, TK_GOTO)) {
    label = str_checkname(ls);
  } else {
    lex_next(ls);
    label = str_newliteral(ls->L, "break");
  }
  g = newlabelentry(ls, &ls->dyd->gt, label, line, pc);
  findlabel(ls, g); /* a backward goto is resolved now */
}

static void checkrepeated(FuncState *fs, Labellist *ll, TString *label) {
  int i;
  for (i = fs->bl->firstlabel; i < ll->n; i++) {
    if (eqstr(label, ll->arr[i].name)) {
      lex_semerror(fs->ls,
                   obj_pushfstring(fs->ls->L,
                                   "label '%s' already defined on line %d",
                                   getstr(label), ll->arr[i].line));
    }
  }
}

static void skipnoopstat(LexState *ls) {
  while (ls->t.token == ';' || ls->t.token == TK_DBCOLON)
    statement(ls);
}

static void labelstat(LexState *ls, TString *label, int line) {
  FuncState *fs = ls->fs;
  Labellist *ll = &ls->dyd->label;
  int l;
  checkrepeated(fs, ll, label);
  checknext(ls, TK_DBCOLON);
  l = newlabelentry(ls, ll, label, line, code_getlabel(fs));
  skipnoopstat(ls);
  if (block_follow(ls, 0)) /* a label at the end of its block: the */
    ll->arr[l].nactvar = fs->bl->nactvar; /* block's locals are dead */
  findgotos(ls, &ll->arr[l]);
}

static void whilestat(LexState *ls, int line) {
  FuncState *fs = ls->fs;
  int whileinit, condexit;
  BlockCnt bl;
  lex_next(ls);
  whileinit = code_getlabel(fs);
  condexit = cond(ls);
  enterblock(fs, &bl, 1);
  checknext(ls, TK_DO);
  block(ls);
  code_jumpto(fs, whileinit);
  check_match(ls, TK_END, TK_WHILE, line);
  leaveblock(fs);
  code_patchtohere(fs, condexit);
}

/* The 'until' condition sees the body's locals; when they are
** upvalues, its exit jumps (back to the start) close them. */
static void repeatstat(LexState *ls, int line) {
  int condexit;
  FuncState *fs = ls->fs;
  int repeat_init = code_getlabel(fs);
  BlockCnt bl1, bl2;
  enterblock(fs, &bl1, 1); /* the loop */
  enterblock(fs, &bl2, 0); /* the scope */
  lex_next(ls);
  statlist(ls);
  check_match(ls, TK_UNTIL, TK_REPEAT, line);
  condexit = cond(ls);
  if (bl2.upval)
    code_patchclose(fs, condexit, bl2.nactvar);
  leaveblock(fs);
  code_patchlist(fs, condexit, repeat_init);
  leaveblock(fs);
}

/* One expression into the next register. */
static void exp1(LexState *ls) {
  expdesc e;
  expr(ls, &e);
  code_exp2nextreg(ls->fs, &e);
}

static void forbody(LexState *ls, int base, int line, int nvars, int isnum) {
  BlockCnt bl;
  FuncState *fs = ls->fs;
  int prep, endfor;
  adjustlocalvars(ls, 3); /* the control variables */
  checknext(ls, TK_DO);
  prep = isnum ? code_AsBx(fs, OP_FORPREP, base, NO_JUMP) : code_jump(fs);
  enterblock(fs, &bl, 0); /* the declared variables */
  adjustlocalvars(ls, nvars);
  code_reserveregs(fs, nvars);
  block(ls);
  leaveblock(fs);
  code_patchtohere(fs, prep);
  if (isnum) {
    endfor = code_AsBx(fs, OP_FORLOOP, base, NO_JUMP);
  } else {
    code_ABC(fs, OP_TFORCALL, base, 0, nvars);
    code_fixline(fs, line);
    endfor = code_AsBx(fs, OP_TFORLOOP, base + 2, NO_JUMP);
  }
  code_patchlist(fs, endfor, prep + 1);
  code_fixline(fs, line);
}

static void fornum(LexState *ls, TString *varname, int line) {
  FuncState *fs = ls->fs;
  int base = fs->freereg;
  new_localvarliteral(ls, "(for index)");
  new_localvarliteral(ls, "(for limit)");
  new_localvarliteral(ls, "(for step)");
  new_localvar(ls, varname);
  checknext(ls, '=');
  exp1(ls); /* initial value */
  checknext(ls, ',');
  exp1(ls); /* limit */
  if (testnext(ls, ',')) {
    exp1(ls); /* step */
  } else {
    code_k(fs, fs->freereg, code_intK(fs, 1));
    code_reserveregs(fs, 1);
  }
  forbody(ls, base, line, 1, 1);
}

static void forlist(LexState *ls, TString *indexname) {
  FuncState *fs = ls->fs;
  expdesc e;
  int nvars = 4; /* generator, state, control, and the first name */
  int line;
  int base = fs->freereg;
  new_localvarliteral(ls, "(for generator)");
  new_localvarliteral(ls, "(for state)");
  new_localvarliteral(ls, "(for control)");
  new_localvar(ls, indexname);
  while (testnext(ls, ',')) {
    new_localvar(ls, str_checkname(ls));
    nvars++;
  }
  checknext(ls, TK_IN);
  line = ls->linenumber;
  adjust_assign(ls, 3, explist(ls, &e), &e);
  code_checkstack(fs, 3); /* room to call the generator */
  forbody(ls, base, line, nvars - 3, 0);
}

static void forstat(LexState *ls, int line) {
  FuncState *fs = ls->fs;
  TString *varname;
  BlockCnt bl;
  enterblock(fs, &bl, 1);
  lex_next(ls);
  varname = str_checkname(ls);
  switch (ls->t.token) {
  case '=':
    fornum(ls, varname, line);
    break;
  case ',': case TK_IN:
    forlist(ls, varname);
    break;
  default:
    lex_syntaxerror(ls, "'=' or 'in' expected");
  }
  check_match(ls, TK_END, TK_FOR, line);
  leaveblock(fs);
}

/* [IF | ELSEIF] cond THEN block. "if c then break/goto" jumps straight
** to the label when c is true. */
static void test_then_block(LexState *ls, int *escapelist) {
  BlockCnt bl;
  FuncState *fs = ls->fs;
  expdesc v;
  int jf; /* exit when the condition is false */
  lex_next(ls);
  expr(ls, &v);
  checknext(ls, TK_THEN);
  if (ls->t.token == TK_GOTO || ls->t.token == TK_BREAK) {
    code_goiffalse(ls->fs, &v);
    enterblock(fs, &bl, 0);
    gotostat(ls, v.t);
    while (testnext(ls, ';')) {
    }
    if (block_follow(ls, 0)) { /* nothing else in the block */
      leaveblock(fs);
      return;
    }
    jf = code_jump(fs);
  } else {
    code_goiftrue(ls->fs, &v);
    enterblock(fs, &bl, 0);
    jf = v.f;
  }
  statlist(ls);
  leaveblock(fs);
  if (ls->t.token == TK_ELSE || ls->t.token == TK_ELSEIF)
    code_concat(fs, escapelist, code_jump(fs));
  code_patchtohere(fs, jf);
}

static void ifstat(LexState *ls, int line) {
  int escapelist = NO_JUMP; /* exits of the branches */
  test_then_block(ls, &escapelist);
  while (ls->t.token == TK_ELSEIF)
    test_then_block(ls, &escapelist);
  if (testnext(ls, TK_ELSE))
    block(ls);
  check_match(ls, TK_END, TK_IF, line);
  code_patchtohere(ls->fs, escapelist);
}

static void localfunc(LexState *ls) {
  expdesc b;
  FuncState *fs = ls->fs;
  new_localvar(ls, str_checkname(ls));
  adjustlocalvars(ls, 1); /* visible inside its own body */
  body(ls, &b, 0, ls->linenumber);
  getlocvar(fs, b.u.info)->startpc = fs->pc; /* debug: after CLOSURE */
}

static void localstat(LexState *ls) {
  int nvars = 0;
  int nexps;
  expdesc e;
  do {
    new_localvar(ls, str_checkname(ls));
    nvars++;
  } while (testnext(ls, ','));
  if (testnext(ls, '=')) {
    nexps = explist(ls, &e);
  } else {
    e.k = VVOID;
    nexps = 0;
  }
  adjust_assign(ls, nvars, nexps, &e);
  adjustlocalvars(ls, nvars);
}

/* NAME {'.' NAME} [':' NAME]; returns whether it is a method. */
static int funcname(LexState *ls, expdesc *v) {
  int ismethod = 0;
  singlevar(ls, v);
  while (ls->t.token == '.')
    fieldsel(ls, v);
  if (ls->t.token == ':') {
    ismethod = 1;
    fieldsel(ls, v);
  }
  return ismethod;
}

static void funcstat(LexState *ls, int line) {
  int ismethod;
  expdesc v, b;
  lex_next(ls);
  ismethod = funcname(ls, &v);
  body(ls, &b, ismethod, line);
  code_storevar(ls->fs, &v, &b);
  code_fixline(ls->fs, line); /* the definition "happens" on its line */
}

static void exprstat(LexState *ls) {
  FuncState *fs = ls->fs;
  LHS_assign v;
  suffixedexp(ls, &v.v);
  if (ls->t.token == '=' || ls->t.token == ',') {
    v.prev = NULL;
    assignment(ls, &v, 1);
  } else { /* a call statement: no results */
    check_condition(ls, v.v.k == VCALL, "syntax error");
    SETARG_C(getinstruction(fs, &v.v), 1);
  }
}

static void retstat(LexState *ls) {
  FuncState *fs = ls->fs;
  expdesc e;
  int first, nret;
  if (block_follow(ls, 1) || ls->t.token == ';') {
    first = nret = 0;
  } else {
    nret = explist(ls, &e);
    if (hasmultret(e.k)) {
      code_setmultret(fs, &e);
      if (e.k == VCALL && nret == 1) /* return f(...): a tail call */
        SET_OPCODE(getinstruction(fs, &e), OP_TAILCALL);
      first = fs->nactvar;
      nret = LUA_MULTRET;
    } else if (nret == 1) {
      first = code_exp2anyreg(fs, &e);
    } else {
      code_exp2nextreg(fs, &e);
      first = fs->nactvar;
    }
  }
  code_ret(fs, first, nret);
  testnext(ls, ';');
}

static void statement(LexState *ls) {
  int line = ls->linenumber;
  enterlevel(ls);
  switch (ls->t.token) {
  case ';':
    lex_next(ls);
    break;
  case TK_IF:
    ifstat(ls, line);
    break;
  case TK_WHILE:
    whilestat(ls, line);
    break;
  case TK_DO:
    lex_next(ls);
    block(ls);
    check_match(ls, TK_END, TK_DO, line);
    break;
  case TK_FOR:
    forstat(ls, line);
    break;
  case TK_REPEAT:
    repeatstat(ls, line);
    break;
  case TK_FUNCTION:
    funcstat(ls, line);
    break;
  case TK_LOCAL:
    lex_next(ls);
    if (testnext(ls, TK_FUNCTION))
      localfunc(ls);
    else
      localstat(ls);
    break;
  case TK_DBCOLON:
    lex_next(ls);
    labelstat(ls, str_checkname(ls), line);
    break;
  case TK_RETURN:
    lex_next(ls);
    retstat(ls);
    break;
  case TK_BREAK: case TK_GOTO:
    gotostat(ls, code_jump(ls->fs));
    break;
  default:
    exprstat(ls);
    break;
  }
  ls->fs->freereg = ls->fs->nactvar; /* temporaries die with the statement */
  leavelevel(ls);
}

/* ---------------------------------------------------------------------
** Entry points
** ------------------------------------------------------------------- */

/* The main function: vararg, with the one upvalue _ENV. */
static void mainfunc(LexState *ls, FuncState *fs) {
  BlockCnt bl;
  expdesc v;
  open_func(ls, fs, &bl);
  fs->f->is_vararg = 1;
  init_exp(&v, VLOCAL, 0); /* instack 1, idx 0 */
  newupvalue(fs, ls->envn, &v);
  lex_next(ls);
  statlist(ls);
  check(ls, TK_EOS);
  close_func(ls);
}

static LClosure *parse_text(lua_State *L, ZIO *z, Mbuffer *buff,
                            Dyndata *dyd, const char *name, int firstchar) {
  LexState ls;
  FuncState fs;
  LClosure *cl;
  Proto *f;
  call_checkstack(L, 3); /* closure, table, a string being anchored */
  cl = func_newLclosure(L, 1);
  setclLvalue(L, L->top, cl);
  L->top++;
  ls.h = table_new(L);
  sethvalue(L, L->top, ls.h);
  L->top++;
  f = func_newproto(L);
  cl->p = f;
  gc_objbarrier(L, cl, f);
  f->source = str_new(L, name);
  gc_objbarrier(L, f, f->source);
  fs.f = f;
  ls.buff = buff;
  ls.dyd = dyd;
  dyd->actvar.n = dyd->gt.n = dyd->label.n = 0;
  lex_setinput(L, &ls, z, f->source, firstchar);
  mainfunc(&ls, &fs);
  L->top--; /* the table */
  return cl;
}

typedef struct SParser {
  ZIO *z;
  Mbuffer buff; /* owned here: freed by parse_protected on both paths */
  Dyndata dyd;
  const char *mode;
  const char *name;
} SParser;

static void checkmode(lua_State *L, const char *mode, const char *x) {
  if (mode && strchr(mode, x[0]) == NULL) {
    obj_pushfstring(L, "attempt to load a %s chunk (mode is '%s')", x, mode);
    call_throw(L, LUA_ERRSYNTAX);
  }
}

/* The name as binary-chunk messages show it (as 5.3's undump). */
static const char *binaryname(const char *name) {
  if (*name == '@' || *name == '=')
    return name + 1;
  if (*name == LUA_SIGNATURE[0])
    return "binary string";
  return name;
}

static void f_parser(lua_State *L, void *ud) {
  SParser *p = (SParser *)ud;
  int c = zgetc(p->z);
  LClosure *cl;
  if (c == LUA_SIGNATURE[0]) {
    checkmode(L, p->mode, "binary");
    obj_pushfstring(L, "%s: binary chunks are not supported yet",
                    binaryname(p->name));
    call_throw(L, LUA_ERRSYNTAX);
  }
  checkmode(L, p->mode, "text");
  cl = parse_text(L, p->z, &p->buff, &p->dyd, p->name, c);
  func_initupvals(L, cl);
}

static void freearray(lua_State *L, void *block) {
  if (block != NULL)
    mem_free(L, block);
}

int parse_protected(lua_State *L, ZIO *z, const char *name,
                    const char *mode) {
  SParser p;
  int status;
  unsigned short oldnCcalls = L->nCcalls;
  L->nny++; /* no yields while parsing */
  p.z = z;
  p.name = (name != NULL) ? name : "?";
  p.mode = mode;
  memset(&p.dyd, 0, sizeof(p.dyd));
  zio_initbuffer(L, &p.buff);
  status = call_pcall(L, f_parser, &p, savestack(L, L->top), L->errfunc);
  L->nCcalls = oldnCcalls; /* an error may leave the parse levels counted */
  if (p.buff.buffer != NULL)
    zio_freebuffer(L, &p.buff);
  freearray(L, p.dyd.actvar.arr);
  freearray(L, p.dyd.gt.arr);
  freearray(L, p.dyd.label.arr);
  L->nny--;
  return status;
}
