/*
** meta.h: metamethods ("tag methods"): their names, lookup with the
** absence cache of tables, and calling them.
*/
#ifndef meta_h
#define meta_h

#include "object.h"

/*
** The order matters: the ones up to TM_EQ are cached as absent in
** Table.flags (bit = 1 << event), for the fast paths.
*/
#define ML_TMS(X) \
  X(INDEX, "__index") X(NEWINDEX, "__newindex") X(GC, "__gc")          \
  X(MODE, "__mode") X(LEN, "__len") X(EQ, "__eq") X(ADD, "__add")      \
  X(SUB, "__sub") X(MUL, "__mul") X(MOD, "__mod") X(POW, "__pow")      \
  X(DIV, "__div") X(IDIV, "__idiv") X(BAND, "__band") X(BOR, "__bor")  \
  X(BXOR, "__bxor") X(SHL, "__shl") X(SHR, "__shr") X(UNM, "__unm")    \
  X(BNOT, "__bnot") X(LT, "__lt") X(LE, "__le") X(CONCAT, "__concat")  \
  X(CALL, "__call")

#define ML_TM_ENUM(name, str) TM_##name,
typedef enum { ML_TMS(ML_TM_ENUM) TM_N } TMS;
#undef ML_TM_ENUM

/* Lookup of a metamethod in a metatable, with the absence cache. A
** read-only table's flags are never written, and say nothing once it
** may have an overlay (overlay.c). */
#define gfasttm(g, et, e) ((et) == NULL ? NULL : \
  ((et)->flags & (1u << (e))) && !((g)->overlays && isreadonly(et)) ? NULL \
  : meta_gettm(g, et, e, (g)->tmname[e]))
#define fasttm(l, et, e) gfasttm(G(l), et, e)

extern const char *const meta_typenames_[LUA_TOTALTAGS + 1]; /* [tag + 1] */
#define ttypename(x) meta_typenames_[(x) + 1]

void meta_init(lua_State *L); /* creates the fixed metamethod names */
struct global_State;
const TValue *meta_gettm(struct global_State *g, Table *events, TMS event,
                         TString *ename);
const TValue *meta_gettmbyobj(lua_State *L, const TValue *o, TMS event);
const char *meta_objtypename(lua_State *L, const TValue *o); /* __name */

void meta_calltm(lua_State *L, const TValue *f, const TValue *p1,
                 const TValue *p2, TValue *p3, int hasres);
int meta_callbinTM(lua_State *L, const TValue *p1, const TValue *p2,
                   StkId res, TMS event);
/* Binary metamethod or the right error ("attempt to perform arithmetic on
** a nil value (local 'x')", bitwise, concat). */
void meta_trybinTM(lua_State *L, const TValue *p1, const TValue *p2,
                   StkId res, TMS event);
/* -1 when no metamethod, else the boolean result */
int meta_callorderTM(lua_State *L, const TValue *p1, const TValue *p2,
                     TMS event);

#endif
