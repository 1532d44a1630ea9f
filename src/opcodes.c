/*
** opcodes.c: the opcode names and operand modes, expanded from the one
** list in opcodes.h.
*/
#include "opcodes.h"

#define ML_OP_NAME(name, t, a, b, c, mode) #name,
const char *const op_names[NUM_OPCODES + 1] = {ML_OPCODES(ML_OP_NAME) NULL};
#undef ML_OP_NAME

#define ML_OP_MODE(name, t, a, b, c, mode) \
  (lu_byte)(((t) << 7) | ((a) << 6) | (OpArg##b << 4) | (OpArg##c << 2) | (mode)),
const lu_byte op_modes[NUM_OPCODES] = {ML_OPCODES(ML_OP_MODE)};
#undef ML_OP_MODE
