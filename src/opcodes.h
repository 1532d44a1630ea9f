/*
** opcodes.h: the bytecode. One X-macro lists every opcode with its operand
** modes; the compiler, the VM, the debug information and the image
** verifier all read that one list. The instruction set is Lua 5.3's.
**
** An instruction is 32 bits: OP (6) | A (8) | C (9) | B (9), or
** OP | A | Bx (18, unsigned) / sBx (18, signed, excess-K) / Ax (26).
** In B and C of the K-mode operands, ISK(x) says "constant INDEXK(x)",
** otherwise "register x".
*/
#ifndef opcodes_h
#define opcodes_h

#include "object.h"

enum OpMode { iABC, iABx, iAsBx, iAx };

#define SIZE_C 9
#define SIZE_B 9
#define SIZE_Bx (SIZE_C + SIZE_B)
#define SIZE_A 8
#define SIZE_Ax (SIZE_C + SIZE_B + SIZE_A)
#define SIZE_OP 6

#define POS_OP 0
#define POS_A (POS_OP + SIZE_OP)
#define POS_C (POS_A + SIZE_A)
#define POS_B (POS_C + SIZE_C)
#define POS_Bx POS_C
#define POS_Ax POS_A

#define MAXARG_Bx ((1 << SIZE_Bx) - 1)
#define MAXARG_sBx (MAXARG_Bx >> 1)
#define MAXARG_Ax ((1 << SIZE_Ax) - 1)
#define MAXARG_A ((1 << SIZE_A) - 1)
#define MAXARG_B ((1 << SIZE_B) - 1)
#define MAXARG_C ((1 << SIZE_C) - 1)

#define MASK1(n, p) ((~((~(Instruction)0) << (n))) << (p))
#define MASK0(n, p) (~MASK1(n, p))

#define GET_OPCODE(i) (cast(OpCode, ((i) >> POS_OP) & MASK1(SIZE_OP, 0)))
#define SET_OPCODE(i, o) ((i) = (((i)&MASK0(SIZE_OP, POS_OP)) | \
    ((cast(Instruction, o) << POS_OP) & MASK1(SIZE_OP, POS_OP))))

#define getarg(i, pos, size) (cast_int(((i) >> (pos)) & MASK1(size, 0)))
#define setarg(i, v, pos, size) ((i) = (((i)&MASK0(size, pos)) | \
    ((cast(Instruction, v) << pos) & MASK1(size, pos))))

#define GETARG_A(i) getarg(i, POS_A, SIZE_A)
#define SETARG_A(i, v) setarg(i, v, POS_A, SIZE_A)
#define GETARG_B(i) getarg(i, POS_B, SIZE_B)
#define SETARG_B(i, v) setarg(i, v, POS_B, SIZE_B)
#define GETARG_C(i) getarg(i, POS_C, SIZE_C)
#define SETARG_C(i, v) setarg(i, v, POS_C, SIZE_C)
#define GETARG_Bx(i) getarg(i, POS_Bx, SIZE_Bx)
#define SETARG_Bx(i, v) setarg(i, v, POS_Bx, SIZE_Bx)
#define GETARG_Ax(i) getarg(i, POS_Ax, SIZE_Ax)
#define SETARG_Ax(i, v) setarg(i, v, POS_Ax, SIZE_Ax)
#define GETARG_sBx(i) (GETARG_Bx(i) - MAXARG_sBx)
#define SETARG_sBx(i, b) SETARG_Bx((i), cast(unsigned int, (b) + MAXARG_sBx))

#define CREATE_ABC(o, a, b, c) ((cast(Instruction, o) << POS_OP) | \
    (cast(Instruction, a) << POS_A) | (cast(Instruction, b) << POS_B) | \
    (cast(Instruction, c) << POS_C))
#define CREATE_ABx(o, a, bc) ((cast(Instruction, o) << POS_OP) | \
    (cast(Instruction, a) << POS_A) | (cast(Instruction, bc) << POS_Bx))
#define CREATE_Ax(o, a) ((cast(Instruction, o) << POS_OP) | \
    (cast(Instruction, a) << POS_Ax))

/* register-or-constant operands */
#define BITRK (1 << (SIZE_B - 1))
#define ISK(x) ((x)&BITRK)
#define INDEXK(r) ((int)(r) & ~BITRK)
#define MAXINDEXRK (BITRK - 1)
#define RKASK(x) ((x) | BITRK)

#define NO_REG MAXARG_A

/*
** Operand modes: N not used, U used as a plain number, R a register or a
** jump offset, K a constant (Bx of LOADK) or a register/constant (B, C).
** T: the instruction is a test (the next one is a jump).
** A: the instruction sets register A.
**
** X(name, T, A, Bmode, Cmode, format)   meaning
*/
#define ML_OPCODES(X)                                                         \
  X(MOVE, 0, 1, R, N, iABC)      /* R(A) := R(B) */                           \
  X(LOADK, 0, 1, K, N, iABx)     /* R(A) := Kst(Bx) */                        \
  X(LOADKX, 0, 1, N, N, iABx)    /* R(A) := Kst(extra arg) */                 \
  X(LOADBOOL, 0, 1, U, U, iABC)  /* R(A) := (Bool)B; if (C) pc++ */           \
  X(LOADNIL, 0, 1, U, N, iABC)   /* R(A), ..., R(A+B) := nil */               \
  X(GETUPVAL, 0, 1, U, N, iABC)  /* R(A) := UpValue[B] */                     \
  X(GETTABUP, 0, 1, U, K, iABC)  /* R(A) := UpValue[B][RK(C)] */              \
  X(GETTABLE, 0, 1, R, K, iABC)  /* R(A) := R(B)[RK(C)] */                    \
  X(SETTABUP, 0, 0, K, K, iABC)  /* UpValue[A][RK(B)] := RK(C) */             \
  X(SETUPVAL, 0, 0, U, N, iABC)  /* UpValue[B] := R(A) */                     \
  X(SETTABLE, 0, 0, K, K, iABC)  /* R(A)[RK(B)] := RK(C) */                   \
  X(NEWTABLE, 0, 1, U, U, iABC)  /* R(A) := {} (size = B,C as float bytes) */ \
  X(SELF, 0, 1, R, K, iABC)      /* R(A+1) := R(B); R(A) := R(B)[RK(C)] */    \
  X(ADD, 0, 1, K, K, iABC)       /* R(A) := RK(B) + RK(C) */                  \
  X(SUB, 0, 1, K, K, iABC)                                                    \
  X(MUL, 0, 1, K, K, iABC)                                                    \
  X(MOD, 0, 1, K, K, iABC)                                                    \
  X(POW, 0, 1, K, K, iABC)                                                    \
  X(DIV, 0, 1, K, K, iABC)                                                    \
  X(IDIV, 0, 1, K, K, iABC)                                                   \
  X(BAND, 0, 1, K, K, iABC)                                                   \
  X(BOR, 0, 1, K, K, iABC)                                                    \
  X(BXOR, 0, 1, K, K, iABC)                                                   \
  X(SHL, 0, 1, K, K, iABC)                                                    \
  X(SHR, 0, 1, K, K, iABC)                                                    \
  X(UNM, 0, 1, R, N, iABC)       /* R(A) := -R(B) */                          \
  X(BNOT, 0, 1, R, N, iABC)      /* R(A) := ~R(B) */                          \
  X(NOT, 0, 1, R, N, iABC)       /* R(A) := not R(B) */                       \
  X(LEN, 0, 1, R, N, iABC)       /* R(A) := length of R(B) */                 \
  X(CONCAT, 0, 1, R, R, iABC)    /* R(A) := R(B).. ... ..R(C) */              \
  X(JMP, 0, 0, R, N, iAsBx)      /* pc+=sBx; if (A) close upvalues >= R(A-1) */ \
  X(EQ, 1, 0, K, K, iABC)        /* if ((RK(B) == RK(C)) ~= A) then pc++ */   \
  X(LT, 1, 0, K, K, iABC)        /* if ((RK(B) <  RK(C)) ~= A) then pc++ */   \
  X(LE, 1, 0, K, K, iABC)        /* if ((RK(B) <= RK(C)) ~= A) then pc++ */   \
  X(TEST, 1, 0, N, U, iABC)      /* if not (R(A) <=> C) then pc++ */          \
  X(TESTSET, 1, 1, R, U, iABC)   /* if (R(B) <=> C) then R(A) := R(B) else pc++ */ \
  X(CALL, 0, 1, U, U, iABC)      /* R(A), ..,R(A+C-2) := R(A)(R(A+1), ..,R(A+B-1)) */ \
  X(TAILCALL, 0, 1, U, U, iABC)  /* return R(A)(R(A+1), ... ,R(A+B-1)) */     \
  X(RETURN, 0, 0, U, N, iABC)    /* return R(A), ... ,R(A+B-2) */             \
  X(FORLOOP, 0, 1, R, N, iAsBx)  /* R(A)+=R(A+2); if R(A) <?= R(A+1) then { pc+=sBx; R(A+3)=R(A) } */ \
  X(FORPREP, 0, 1, R, N, iAsBx)  /* R(A)-=R(A+2); pc+=sBx */                  \
  X(TFORCALL, 0, 0, N, U, iABC)  /* R(A+3), ... ,R(A+2+C) := R(A)(R(A+1), R(A+2)) */ \
  X(TFORLOOP, 0, 1, R, N, iAsBx) /* if R(A+1) ~= nil then { R(A)=R(A+1); pc += sBx } */ \
  X(SETLIST, 0, 0, U, U, iABC)   /* R(A)[(C-1)*FPF+i] := R(A+i), 1 <= i <= B */ \
  X(CLOSURE, 0, 1, U, N, iABx)   /* R(A) := closure(KPROTO[Bx]) */            \
  X(VARARG, 0, 1, U, N, iABC)    /* R(A), R(A+1), ..., R(A+B-2) = vararg */   \
  X(EXTRAARG, 0, 0, U, U, iAx)   /* extra (larger) argument for previous opcode */

#define ML_OP_ENUM(name, t, a, b, c, mode) OP_##name,
typedef enum { ML_OPCODES(ML_OP_ENUM) NUM_OPCODES } OpCode;
#undef ML_OP_ENUM

enum OpArgMask { OpArgN, OpArgU, OpArgR, OpArgK };

/* bits 0-1: format; 2-3: C mode; 4-5: B mode; 6: sets A; 7: is a test */
extern const lu_byte op_modes[NUM_OPCODES];
extern const char *const op_names[NUM_OPCODES + 1];

#define getOpMode(m) (cast(enum OpMode, op_modes[m] & 3))
#define getBMode(m) (cast(enum OpArgMask, (op_modes[m] >> 4) & 3))
#define getCMode(m) (cast(enum OpArgMask, (op_modes[m] >> 2) & 3))
#define testAMode(m) (op_modes[m] & (1 << 6))
#define testTMode(m) (op_modes[m] & (1 << 7))

/* number of list items to accumulate before a SETLIST instruction */
#define LFIELDS_PER_FLUSH 50

#endif
