/*
** fuzz_binary.c: libFuzzer harness for binary chunks. The input is loaded
** with mode "b" (the undumper and the verifier must refuse anything
** malformed), and what loads is run as fuzz_run runs source: a verified
** chunk must not be able to crash the VM either.
*/
#include "fuzz_common.h"

typedef struct Input {
  const char *data;
  size_t size;
} Input;

/* Hands the input over in small pieces, so chunk boundaries get tested. */
static const char *reader(lua_State *L, void *ud, size_t *size) {
  Input *in = (Input *)ud;
  size_t n = in->size < 61 ? in->size : 61;
  const char *p = in->data;
  (void)L;
  in->data += n;
  in->size -= n;
  *size = n;
  return n > 0 ? p : NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  lua_State *L = fuzz_newstate(1);
  Input in = {(const char *)data, size};
  if (lua_load(L, reader, &in, "=fuzz", "b") == LUA_OK)
    lua_pcall(L, 0, 0, 0);
  fuzz_leakcheck(L, "loading");
  lua_close(L);
  return 0;
}
