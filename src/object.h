/*
** object.h: the layout of every Lua value and heap object, and the
** conversions between values and strings (object.c). RAM and flash objects
** share these layouts (DESIGN.md section 2): an object whose header has
** ML_READONLY set lives in flash and is never written, not even its mark.
*/
#ifndef object_h
#define object_h

#include <stdarg.h>

#include "lua.h"

typedef unsigned char lu_byte;
typedef signed char ls_byte;
typedef size_t lu_mem;
typedef ptrdiff_t l_mem;
typedef uint32_t Instruction;

#if defined(__GNUC__)
#define l_noret void __attribute__((noreturn))
#define l_likely(x) __builtin_expect(((x) != 0), 1)
#define l_unlikely(x) __builtin_expect(((x) != 0), 0)
#else
#define l_noret void
#define l_likely(x) (x)
#define l_unlikely(x) (x)
#endif

#define cast(t, exp) ((t)(exp))
#define cast_int(i) cast(int, (i))
#define cast_num(i) cast(lua_Number, (i))
#define cast_byte(i) cast(lu_byte, (i))
#define cast_uchar(i) cast(unsigned char, (i))
#define l_castS2U(i) ((lua_Unsigned)(i))
#define l_castU2S(i) ((lua_Integer)(i))
#define MAX_SIZET ((size_t)(~(size_t)0))
#define MAX_SIZE (sizeof(size_t) < sizeof(lua_Integer) ? MAX_SIZET \
                  : (size_t)(LUA_MAXINTEGER))
#define MAX_INT INT_MAX
#define lua_assert(c) ((void)0)
#define UNUSED(x) ((void)(x))

/*
** Type tags. Bits 0-3: the basic type (LUA_T* of lua.h); bits 4-5: the
** variant; bit 6: the value is a collectable object.
*/
#define LUA_TPROTO LUA_NUMTAGS         /* function prototypes */
#define LUA_TUPVAL (LUA_NUMTAGS + 1)   /* upvalues (collectable here) */
#define LUA_TDEADKEY (LUA_NUMTAGS + 2) /* removed keys in table nodes */
#define LUA_TOTALTAGS (LUA_TDEADKEY + 1)

#define LUA_TLCL (LUA_TFUNCTION | (0 << 4)) /* Lua closure */
#define LUA_TLCF (LUA_TFUNCTION | (1 << 4)) /* light C function */
#define LUA_TCCL (LUA_TFUNCTION | (2 << 4)) /* C closure */
#define LUA_TSHRSTR (LUA_TSTRING | (0 << 4))
#define LUA_TLNGSTR (LUA_TSTRING | (1 << 4))
#define LUA_TNUMFLT (LUA_TNUMBER | (0 << 4))
#define LUA_TNUMINT (LUA_TNUMBER | (1 << 4))

#define BIT_ISCOLLECTABLE (1 << 6)
#define ctb(t) ((t) | BIT_ISCOLLECTABLE)

/*
** Header of every collectable object. 'marked' holds the GC colour bits
** (gc.h) and ML_READONLY, which is set at build time on flash objects and
** read, never written, by the collector.
*/
#define CommonHeader \
  lu_byte tt;        \
  lu_byte marked

typedef struct GCObject {
  CommonHeader;
} GCObject;

#define ML_READONLY (1 << 7)
#define isreadonly(o) (((o)->marked & ML_READONLY) != 0)

typedef union Value {
  GCObject *gc;
  void *p;          /* light userdata */
  int b;            /* booleans */
  lua_CFunction f;  /* light C functions */
  lua_Integer i;
  lua_Number n;
} Value;

#define TValuefields \
  Value value_;      \
  lu_byte tt_

typedef struct TValue {
  TValuefields;
} TValue;

typedef TValue *StkId; /* index into a stack */

#define val_(o) ((o)->value_)
#define rttype(o) ((o)->tt_)
#define novariant(x) ((x)&0x0F)
#define ttype(o) (rttype(o) & 0x3F) /* type tag with variant */
#define ttnov(o) (novariant(rttype(o)))

#define checktag(o, t) (rttype(o) == (t))
#define checktype(o, t) (ttnov(o) == (t))
#define ttisnumber(o) checktype((o), LUA_TNUMBER)
#define ttisfloat(o) checktag((o), LUA_TNUMFLT)
#define ttisinteger(o) checktag((o), LUA_TNUMINT)
#define ttisnil(o) checktag((o), LUA_TNIL)
#define ttisboolean(o) checktag((o), LUA_TBOOLEAN)
#define ttislightuserdata(o) checktag((o), LUA_TLIGHTUSERDATA)
#define ttisstring(o) checktype((o), LUA_TSTRING)
#define ttisshrstring(o) checktag((o), ctb(LUA_TSHRSTR))
#define ttislngstring(o) checktag((o), ctb(LUA_TLNGSTR))
#define ttistable(o) checktag((o), ctb(LUA_TTABLE))
#define ttisfunction(o) checktype(o, LUA_TFUNCTION)
#define ttisclosure(o) ((rttype(o) & 0x1F) == LUA_TFUNCTION)
#define ttisCclosure(o) checktag((o), ctb(LUA_TCCL))
#define ttisLclosure(o) checktag((o), ctb(LUA_TLCL))
#define ttislcf(o) checktag((o), LUA_TLCF)
#define ttisfulluserdata(o) checktag((o), ctb(LUA_TUSERDATA))
#define ttisthread(o) checktag((o), ctb(LUA_TTHREAD))
#define ttisdeadkey(o) checktag((o), LUA_TDEADKEY)

#define ivalue(o) (val_(o).i)
#define fltvalue(o) (val_(o).n)
#define nvalue(o) (ttisinteger(o) ? cast_num(ivalue(o)) : fltvalue(o))
#define gcvalue(o) (val_(o).gc)
#define pvalue(o) (val_(o).p)
#define tsvalue(o) gco2ts(val_(o).gc)
#define uvalue(o) gco2u(val_(o).gc)
#define clvalue(o) gco2cl(val_(o).gc)
#define clLvalue(o) gco2lcl(val_(o).gc)
#define clCvalue(o) gco2ccl(val_(o).gc)
#define fvalue(o) (val_(o).f)
#define hvalue(o) gco2t(val_(o).gc)
#define bvalue(o) (val_(o).b)
#define thvalue(o) gco2th(val_(o).gc)
#define deadvalue(o) cast(void *, val_(o).gc)

#define l_isfalse(o) (ttisnil(o) || (ttisboolean(o) && bvalue(o) == 0))
#define iscollectable(o) (rttype(o) & BIT_ISCOLLECTABLE)

#define settt_(o, t) ((o)->tt_ = (t))
#define setfltvalue(obj, x) \
  { TValue *io_ = (obj); val_(io_).n = (x); settt_(io_, LUA_TNUMFLT); }
#define chgfltvalue(obj, x) { val_(obj).n = (x); }
#define setivalue(obj, x) \
  { TValue *io_ = (obj); val_(io_).i = (x); settt_(io_, LUA_TNUMINT); }
#define chgivalue(obj, x) { val_(obj).i = (x); }
#define setnilvalue(obj) settt_(obj, LUA_TNIL)
#define setfvalue(obj, x) \
  { TValue *io_ = (obj); val_(io_).f = (x); settt_(io_, LUA_TLCF); }
#define setpvalue(obj, x) \
  { TValue *io_ = (obj); val_(io_).p = (x); settt_(io_, LUA_TLIGHTUSERDATA); }
#define setbvalue(obj, x) \
  { TValue *io_ = (obj); val_(io_).b = (x); settt_(io_, LUA_TBOOLEAN); }
#define setgcovalue(L, obj, x) \
  { TValue *io_ = (obj); GCObject *i_g = (x); \
    val_(io_).gc = i_g; settt_(io_, ctb(i_g->tt)); (void)L; }
#define setsvalue(L, obj, x) \
  { TValue *io_ = (obj); TString *x_ = (x); \
    val_(io_).gc = obj2gco(x_); settt_(io_, ctb(x_->tt)); (void)L; }
#define setuvalue(L, obj, x) \
  { TValue *io_ = (obj); Udata *x_ = (x); \
    val_(io_).gc = obj2gco(x_); settt_(io_, ctb(LUA_TUSERDATA)); (void)L; }
#define setthvalue(L, obj, x) \
  { TValue *io_ = (obj); lua_State *x_ = (x); \
    val_(io_).gc = obj2gco(x_); settt_(io_, ctb(LUA_TTHREAD)); (void)L; }
#define setclLvalue(L, obj, x) \
  { TValue *io_ = (obj); LClosure *x_ = (x); \
    val_(io_).gc = obj2gco(x_); settt_(io_, ctb(LUA_TLCL)); (void)L; }
#define setclCvalue(L, obj, x) \
  { TValue *io_ = (obj); CClosure *x_ = (x); \
    val_(io_).gc = obj2gco(x_); settt_(io_, ctb(LUA_TCCL)); (void)L; }
#define sethvalue(L, obj, x) \
  { TValue *io_ = (obj); Table *x_ = (x); \
    val_(io_).gc = obj2gco(x_); settt_(io_, ctb(LUA_TTABLE)); (void)L; }
#define setdeadvalue(obj) settt_(obj, LUA_TDEADKEY)
/* Field by field: a Node keeps its key's tag and link in the bytes that
** follow a TValue's tag, which a struct copy would overwrite. */
#define setobj(L, obj1, obj2) \
  { TValue *io1 = (obj1); const TValue *io2 = (obj2); \
    io1->value_ = io2->value_; settt_(io1, io2->tt_); (void)L; }

/* aliases naming the direction of a copy */
#define setobjs2s setobj /* stack to stack */
#define setobj2s setobj  /* to stack */
#define setsvalue2s setsvalue
#define sethvalue2s sethvalue
#define setobjt2t setobj /* table to same table */
#define setobj2n setobj  /* to new object */
#define setsvalue2n setsvalue
#define setobj2t setobj /* to table: caller runs the barrier */

/*
** Strings. Short strings (up to LUAI_MAXSHORTLEN bytes) are interned: one
** copy per content, in the flash string table or the RAM table, so they
** compare by address. The bytes follow the header, with a '\0' after them.
*/
typedef struct TString {
  CommonHeader;
  lu_byte extra;  /* short: reserved-word index + 1 (lexer); long: hash set */
  lu_byte shrlen; /* length of a short string */
  unsigned int hash;
  union {
    size_t lnglen;         /* length of a long string */
    struct TString *hnext; /* chain in the RAM string table */
  } u;
} TString;

#define getstr(ts) ((char *)(ts) + sizeof(TString))
#define svalue(o) getstr(tsvalue(o))
#define tsslen(s) ((s)->tt == LUA_TSHRSTR ? (s)->shrlen : (s)->u.lnglen)
#define vslen(o) tsslen(tsvalue(o))
#define sizelstring(l) (sizeof(TString) + ((l) + 1) * sizeof(char))

/* The strictest alignment the runtime needs (userdata memory). */
typedef union {
  lua_Number n;
  double u;
  void *s;
  lua_Integer i;
  long l;
} L_Umaxalign;

/* Full userdata: the block of memory follows the header, aligned. */
typedef struct Udata {
  CommonHeader;
  lu_byte ttuv_; /* tag of the user value */
  struct Table *metatable;
  size_t len;
  union Value user_;
} Udata;

typedef union UUdata {
  L_Umaxalign dummy;
  Udata uv;
} UUdata;

#define getudatamem(u) ((char *)(u) + sizeof(UUdata))
#define sizeludata(l) (sizeof(UUdata) + (l))
#define sizeudata(u) sizeludata((u)->len)

#define setuservalue(L, u, o) \
  { const TValue *io = (o); Udata *iu = (u); \
    iu->user_ = io->value_; iu->ttuv_ = rttype(io); (void)L; }
#define getuservalue(L, u, o) \
  { TValue *io = (o); const Udata *iu = (u); \
    io->value_ = iu->user_; settt_(io, iu->ttuv_); (void)L; }

/* Function prototypes. */
typedef struct Upvaldesc {
  struct TString *name; /* for debug information */
  lu_byte instack;      /* in the enclosing function's registers? */
  lu_byte idx;          /* register or enclosing upvalue index */
} Upvaldesc;

typedef struct LocVar {
  struct TString *varname;
  int startpc; /* first pc where the variable is active */
  int endpc;   /* first pc where it is dead */
} LocVar;

/*
** Line information, compressed: lineinfo[pc] is the line of instruction pc
** minus the line of instruction pc-1 (the line of pc -1 is linedefined),
** when that delta fits in [-127, 127] and fewer than ML_MAXIWTHABS
** instructions separate pc from the last absolute entry. Otherwise
** lineinfo[pc] is ML_ABSLINEINFO and abslineinfo holds {pc, line}, in
** increasing pc order. func_getline() decodes it.
*/
#define ML_ABSLINEINFO (-0x80)
#define ML_MAXIWTHABS 128

typedef struct AbsLineInfo {
  int pc;
  int line;
} AbsLineInfo;

/*
** A proto has no writable cache field, so that one in flash is never
** written (DESIGN.md section 2).
*/
typedef struct Proto {
  CommonHeader;
  lu_byte numparams;
  lu_byte is_vararg;
  lu_byte maxstacksize; /* registers needed by this function */
  int sizeupvalues;
  int sizek;
  int sizecode;
  int sizelineinfo;      /* equals sizecode, or 0 when stripped */
  int sizeabslineinfo;
  int sizep;
  int sizelocvars;
  int linedefined;
  int lastlinedefined;
  TValue *k;
  Instruction *code;
  struct Proto **p;
  ls_byte *lineinfo;
  AbsLineInfo *abslineinfo;
  LocVar *locvars;
  Upvaldesc *upvalues;
  TString *source;
  GCObject *gclist;
} Proto;

/*
** Upvalues are collectable objects. An open upvalue points into a stack
** and sits in its thread's 'openupval' list (sorted by level, highest
** first); a closed one points to its own 'u.value'.
*/
typedef struct UpVal {
  CommonHeader;
  TValue *v;
  union {
    struct {
      struct UpVal *next; /* open list */
      StkId level;        /* == v while open */
    } open;
    TValue value; /* the value once closed */
  } u;
} UpVal;

#define upisopen(up) ((up)->v != &(up)->u.value)

/* Closures. */
#define ClosureHeader \
  CommonHeader;       \
  lu_byte nupvalues;  \
  GCObject *gclist

typedef struct CClosure {
  ClosureHeader;
  lua_CFunction f;
  TValue upvalue[1]; /* list of upvalues */
} CClosure;

typedef struct LClosure {
  ClosureHeader;
  struct Proto *p;
  UpVal *upvals[1]; /* list of upvalues */
} LClosure;

typedef union Closure {
  CClosure c;
  LClosure l;
} Closure;

#define isLfunction(o) ttisLclosure(o)
#define getproto(o) (clLvalue(o)->p)
#define sizeCclosure(n) \
  (cast_int(sizeof(CClosure)) + cast_int(sizeof(TValue)) * ((n)-1))
#define sizeLclosure(n) \
  (cast_int(sizeof(LClosure)) + cast_int(sizeof(TValue *)) * ((n)-1))

/*
** Tables: an array part and a hash part of nodes. A node packs its key
** (value, tag and collision link) next to its value.
*/
typedef union Node {
  struct NodeKey {
    TValuefields;    /* the value */
    lu_byte key_tt;  /* key type tag */
    int next;        /* offset of the next node in the collision chain */
    Value key_val;   /* key value */
  } u;
  TValue i_val; /* the value as a proper TValue */
} Node;

#define gval(n) (&(n)->i_val)
#define gnext(n) ((n)->u.next)
#define keytt(n) ((n)->u.key_tt)
#define keyval(n) ((n)->u.key_val)
#define keyisnil(n) (keytt(n) == LUA_TNIL)
#define keyisinteger(n) (keytt(n) == LUA_TNUMINT)
#define keyival(n) (keyval(n).i)
#define keyisshrstr(n) (keytt(n) == ctb(LUA_TSHRSTR))
#define keystrval(n) (gco2ts(keyval(n).gc))
#define keyiscollectable(n) (keytt(n) & BIT_ISCOLLECTABLE)
#define gckey(n) (keyval(n).gc)
#define gckeyN(n) (keyiscollectable(n) ? gckey(n) : NULL)
#define keyisdead(n) (keytt(n) == LUA_TDEADKEY)
#define setdeadkey(n) (keytt(n) = LUA_TDEADKEY)
#define getnodekey(L, obj, node) \
  { TValue *io_ = (obj); const Node *n_ = (node); \
    io_->value_ = n_->u.key_val; io_->tt_ = n_->u.key_tt; (void)L; }
#define setnodekey(L, node, obj) \
  { Node *n_ = (node); const TValue *io_ = (obj); \
    n_->u.key_val = io_->value_; n_->u.key_tt = io_->tt_; (void)L; }

typedef struct Table {
  CommonHeader;
  lu_byte flags;     /* bit p set: metamethod p absent (RAM tables only) */
  lu_byte lsizenode; /* log2 of the number of nodes */
  unsigned int sizearray;
  TValue *array;
  Node *node;
  Node *lastfree; /* every free position is before this one */
  struct Table *metatable;
  GCObject *gclist;
} Table;

#define lmod(s, size) (cast_int((s) & ((size)-1)))
#define twoto(x) (1 << (x))
#define sizenode(t) (twoto((t)->lsizenode))

/* Conversions between GCObject and the concrete objects. */
#define gco2ts(o) ((TString *)(o))
#define gco2u(o) ((Udata *)(o))
#define gco2lcl(o) ((LClosure *)(o))
#define gco2ccl(o) ((CClosure *)(o))
#define gco2cl(o) ((Closure *)(o))
#define gco2t(o) ((Table *)(o))
#define gco2p(o) ((Proto *)(o))
#define gco2th(o) ((lua_State *)(o))
#define gco2upv(o) ((UpVal *)(o))
#define obj2gco(v) ((GCObject *)(v))

/* The one nil value handed out as "no such key" (never written). */
extern const TValue obj_nilobject_;
#define luaO_nilobject (&obj_nilobject_)

#define UTF8BUFFSZ 8
#define MAXNUMBER2STR 44 /* room for the longest number as text */

/* Number <-> string conversions and formatting (object.c). */
int obj_ceillog2(unsigned int x);
int obj_utf8esc(char *buff, unsigned long x);
size_t obj_str2num(const char *s, TValue *o); /* 0 or strlen(s)+1 */
int obj_hexavalue(int c);
int obj_number2str(const TValue *obj, char *buff); /* returns length */
void obj_tostring(lua_State *L, StkId obj); /* number -> string in place */
const char *obj_pushvfstring(lua_State *L, const char *fmt, va_list argp);
const char *obj_pushfstring(lua_State *L, const char *fmt, ...);
void obj_chunkid(char *out, const char *source, size_t len);

/* Arithmetic on numbers only; 0 when an operand is not a number. */
int obj_rawarith(lua_State *L, int op, const TValue *p1, const TValue *p2,
                 TValue *res);
/* Arithmetic with coercions and metamethods (LUA_OP* codes). */
void obj_arith(lua_State *L, int op, const TValue *p1, const TValue *p2,
               TValue *res);

#endif
