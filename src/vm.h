/*
** vm.h: the bytecode interpreter and the operations it shares with the C
** API: comparisons, conversions, table access through metamethods, concat.
*/
#ifndef vm_h
#define vm_h

#include "meta.h"
#include "object.h"

#define cvt2str(o) ttisnumber(o)
#define cvt2num(o) ttisstring(o)

#define tonumber(o, n) \
  (ttisfloat(o) ? (*(n) = fltvalue(o), 1) : vm_tonumber_(L, o, n))
#define tointeger(o, i) \
  (ttisinteger(o) ? (*(i) = ivalue(o), 1) : vm_tointeger(o, i, 0))
#define intop(op, v1, v2) l_castU2S(l_castS2U(v1) op l_castS2U(v2))
#define vm_rawequalobj(t1, t2) vm_equalobj(NULL, t1, t2)

/*
** Fast table read: when t is a table and the key is present, *slot points
** at the value and the result is 1; otherwise *slot is NULL (t not a
** table) or the absent nil slot, and the caller runs vm_finishget.
*/
#define vm_fastget(L, t, k, slot, f) \
  (!ttistable(t) ? (slot = NULL, 0) \
   : (slot = f(L, hvalue(t), k), !ttisnil(slot)))

int vm_equalobj(lua_State *L, const TValue *t1, const TValue *t2);
int vm_lessthan(lua_State *L, const TValue *l, const TValue *r);
int vm_lessequal(lua_State *L, const TValue *l, const TValue *r);
int vm_tonumber_(lua_State *L, const TValue *obj, lua_Number *n);
/* mode 0: exact only; 1: floor; 2: ceil */
int vm_tointeger(const TValue *obj, lua_Integer *p, int mode);
void vm_finishget(lua_State *L, const TValue *t, TValue *key, StkId val,
                  const TValue *slot);
void vm_finishset(lua_State *L, const TValue *t, TValue *key, StkId val,
                  const TValue *slot);
void vm_gettable(lua_State *L, const TValue *t, TValue *key, StkId val);
void vm_settable(lua_State *L, const TValue *t, TValue *key, StkId val);
void vm_finishOp(lua_State *L); /* ends an opcode interrupted by a yield */
void vm_execute(lua_State *L);
void vm_concat(lua_State *L, int total); /* the 'total' values below top */
lua_Integer vm_div(lua_State *L, lua_Integer m, lua_Integer n);
lua_Integer vm_mod(lua_State *L, lua_Integer m, lua_Integer n);
lua_Number vm_modf(lua_State *L, lua_Number m, lua_Number n);
lua_Integer vm_shiftl(lua_Integer x, lua_Integer y);
void vm_objlen(lua_State *L, StkId ra, const TValue *rb);

#endif
