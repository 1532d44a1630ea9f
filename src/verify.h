/*
** verify.h: the bytecode verifier. A binary chunk or a flash image comes
** from outside, so before any of its code runs every instruction is
** checked: registers below maxstacksize, constants below sizek, upvalues
** below the closure's count, nested protos below sizep, jump targets inside
** the function, EXTRAARG where one is required, and a final RETURN. Code
** that passes can not make the VM read or write outside its frame, its
** constants or its upvalues.
*/
#ifndef verify_h
#define verify_h

#include "object.h"

/* What the verifier needs to know of one function, whatever its storage. */
typedef struct VerifyInfo {
  const Instruction *code;
  int sizecode;
  int sizek;
  int sizeupvalues;
  int sizep;
  int maxstacksize;
  int numparams;
  int is_vararg;
  /* per nested proto, its number of upvalues (to check CLOSURE), or NULL */
  const int *nested_nups;
} VerifyInfo;

/*
** Returns NULL when the code is safe, else a static message naming the
** first bad instruction ("bad register operand at pc 12"). Allocates
** nothing.
*/
const char *verify_code(const VerifyInfo *vi);

/* Verifies a whole tree of protos in RAM (binary chunks). */
const char *verify_proto(const Proto *f);

#endif
