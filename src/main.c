/*
** main.c: the `moonlet` command, which behaves as lua5.3's `lua` (options,
** the arg table, LUA_INIT, scripts, stdin, the REPL, messages and exit
** status) and adds --heap SIZE. Everything after state creation runs protected.
*/
#include <ctype.h>
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lua.h"
#include "lauxlib.h"
#include "lualib.h"
#include "moonlet.h"

#define PROMPT "> "
#define PROMPT2 ">> "
#define LINE_MAX_INPUT 512
#define EOF_MARK "<eof>"

static const char *progname = "moonlet";

/* What the command line asks for; script is argv's index of the script
** (argc when there is none). */
enum { HAS_ERROR = 1, HAS_I = 2, HAS_V = 4, HAS_E = 8, HAS_EXEC = 16 };

typedef struct Options {
  int flags;
  int script;
  const char *bad;   /* the offending option, when HAS_ERROR */
  int needs_arg;     /* bad lacks its argument (else it is unknown) */
  const char *heap;  /* the --heap argument, or NULL */
} Options;

static void set_progname(const char *argv0) {
  if (argv0 == NULL || argv0[0] == '\0')
    return;
  const char *slash = strrchr(argv0, '/');
  progname = slash != NULL && slash[1] != '\0' ? slash + 1 : argv0;
}

static void message(const char *pname, const char *msg) {
  if (pname != NULL)
    lua_writestringerror("%s: ", pname);
  lua_writestringerror("%s\n", msg);
}

static void print_usage(const Options *o) {
  lua_writestringerror("%s: ", progname);
  if (o->needs_arg)
    lua_writestringerror("'%s' needs argument\n", o->bad);
  else
    lua_writestringerror("unrecognized option '%s'\n", o->bad);
  lua_writestringerror(
      "usage: %s [options] [script [args]]\n"
      "Available options are:\n"
      "  -e stat  execute string 'stat'\n"
      "  -i       enter interactive mode after executing 'script'\n"
      "  -l name  require library 'name' into global 'name'\n"
      "  -v       show version information\n"
      "  -E       ignore environment variables\n"
      "  --       stop handling options\n"
      "  -        stop handling options and execute stdin\n"
      "  --heap size  run in a heap of 'size' bytes (40k, 2M, 0xA000)\n",
      progname);
}

static void print_version(void) {
  static const char version[] = "Moonlet " MOONLET_VERSION " (" LUA_VERSION ")";
  lua_writestring(version, sizeof version - 1);
  lua_writeline();
}

static void bad_option(Options *o, const char *opt, int needs_arg) {
  o->flags = HAS_ERROR;
  o->bad = opt;
  o->needs_arg = needs_arg;
}

/* "--" options: only "--" itself, "--heap SIZE" and "--heap=SIZE". */
static int long_option(Options *o, char **argv, int *i) {
  const char *a = argv[*i];
  if (strcmp(a, "--heap") == 0) {
    if (argv[*i + 1] == NULL) {
      bad_option(o, a, 1);
      return 0;
    }
    o->heap = argv[++*i];
    return 1;
  }
  if (strncmp(a, "--heap=", 7) == 0) {
    o->heap = a + 7;
    return 1;
  }
  bad_option(o, a, 0);
  return 0;
}

/* Handles one short option; 0 on a bad one. */
static int short_option(Options *o, char **argv, int *i) {
  const char *a = argv[*i];
  switch (a[1]) {
  case 'E':
    o->flags |= HAS_E;
    break;
  case 'i':
    o->flags |= HAS_I | HAS_V;
    break;
  case 'v':
    o->flags |= HAS_V;
    break;
  case 'e':
  case 'l':
    if (a[1] == 'e')
      o->flags |= HAS_EXEC;
    if (a[2] == '\0') {
      ++*i;
      if (argv[*i] == NULL || argv[*i][0] == '-') {
        bad_option(o, a, 1);
        return 0;
      }
    }
    return 1;
  default:
    bad_option(o, a, 0);
    return 0;
  }
  if (a[2] != '\0') {
    bad_option(o, a, 0);
    return 0;
  }
  return 1;
}

/* Reads the options up to the script, as lua.c does, plus --heap. */
static void collect_args(int argc, char **argv, Options *o) {
  memset(o, 0, sizeof *o);
  int i;
  for (i = 1; i < argc && argv[i] != NULL; i++) {
    const char *a = argv[i];
    o->script = i;
    if (a[0] != '-' || a[1] == '\0')
      return;
    if (a[1] == '-' && a[2] == '\0') {
      o->script = i + 1;
      return;
    }
    int ok = a[1] == '-' ? long_option(o, argv, &i) : short_option(o, argv, &i);
    if (!ok)
      return;
  }
  o->script = i;
}

/* SIZE: decimal or 0x hex, with an optional k/K (KiB) or m/M (MiB) suffix. */
static int parse_heap_size(const char *s, size_t *out) {
  int hex = s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
  if (!(hex ? isxdigit((unsigned char)s[2]) : isdigit((unsigned char)s[0])))
    return 0;
  char *end;
  errno = 0;
  unsigned long long v = strtoull(s, &end, hex ? 16 : 10);
  if (errno != 0)
    return 0;
  unsigned long long unit = 1;
  if (*end == 'k' || *end == 'K')
    unit = 1024, end++;
  else if (*end == 'm' || *end == 'M')
    unit = 1024 * 1024, end++;
  if (*end != '\0' || v > SIZE_MAX / unit)
    return 0;
  *out = (size_t)(v * unit);
  return 1;
}

/* Ctrl-C while Lua runs: a hook stops the program at its next step. */
static lua_State *running_state;

static void stop_hook(lua_State *L, lua_Debug *ar) {
  (void)ar;
  lua_sethook(L, NULL, 0, 0);
  luaL_error(L, "interrupted!");
}

static void on_interrupt(int sig) {
  signal(sig, SIG_DFL);
  lua_sethook(running_state, stop_hook,
              LUA_MASKCALL | LUA_MASKRET | LUA_MASKLINE | LUA_MASKCOUNT, 1);
}

/* Adds a traceback to string messages; other values use __tostring or
** become "(error object is a X value)". */
static int message_handler(lua_State *L) {
  const char *msg = lua_tostring(L, 1);
  if (msg == NULL) {
    if (luaL_callmeta(L, 1, "__tostring") && lua_type(L, -1) == LUA_TSTRING)
      return 1;
    msg = lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 1));
  }
  luaL_traceback(L, L, msg, 1);
  return 1;
}

/* Calls the function below narg arguments with the message handler. */
static int docall(lua_State *L, int narg, int nres) {
  int base = lua_gettop(L) - narg;
  lua_pushcfunction(L, message_handler);
  lua_insert(L, base);
  running_state = L;
  signal(SIGINT, on_interrupt);
  int status = lua_pcall(L, narg, nres, base);
  signal(SIGINT, SIG_DFL);
  lua_remove(L, base);
  return status;
}

/* Prints the error on the top of the stack, if any; returns status. */
static int report(lua_State *L, int status) {
  if (status != LUA_OK) {
    const char *msg = lua_tostring(L, -1);
    message(progname, msg != NULL ? msg : "(error object is not a string)");
    lua_pop(L, 1);
  }
  return status;
}

static int dochunk(lua_State *L, int status) {
  if (status == LUA_OK)
    status = docall(L, 0, 0);
  return report(L, status);
}

static int dofile(lua_State *L, const char *name) {
  return dochunk(L, luaL_loadfile(L, name));
}

static int dostring(lua_State *L, const char *s, const char *name) {
  return dochunk(L, luaL_loadbuffer(L, s, strlen(s), name));
}

/* Until the package library exists, -l falls back to running name.lua. */
static int load_module_file(lua_State *L, const char *name) {
  lua_pushfstring(L, "%s.lua", name);
  int status = luaL_loadfile(L, lua_tostring(L, -1));
  lua_remove(L, -2);
  if (status != LUA_OK)
    return status;
  lua_pushstring(L, name);
  status = docall(L, 1, 1);
  if (status == LUA_OK && lua_isnil(L, -1)) {
    lua_pop(L, 1);
    lua_pushboolean(L, 1);
  }
  return status;
}

/* -l name: require(name), stored in the global 'name'. */
static int dolibrary(lua_State *L, const char *name) {
  int status;
  if (lua_getglobal(L, "require") == LUA_TFUNCTION) {
    lua_pushstring(L, name);
    status = docall(L, 1, 1);
  } else {
    lua_pop(L, 1);
    status = load_module_file(L, name);
  }
  if (status == LUA_OK)
    lua_setglobal(L, name);
  return report(L, status);
}

/* arg[0] is the script; the interpreter and options get negative indices. */
static void create_arg_table(lua_State *L, char **argv, int argc, int script) {
  if (script == argc)
    script = 0;
  lua_createtable(L, argc > script ? argc - script - 1 : 0, script + 1);
  for (int i = 0; i < argc; i++) {
    lua_pushstring(L, argv[i]);
    lua_rawseti(L, -2, i - script);
  }
  lua_setglobal(L, "arg");
}

static int handle_luainit(lua_State *L) {
  const char *name = "=LUA_INIT_5_3";
  const char *init = getenv(name + 1);
  if (init == NULL) {
    name = "=LUA_INIT";
    init = getenv(name + 1);
  }
  if (init == NULL)
    return LUA_OK;
  if (init[0] == '@')
    return dofile(L, init + 1);
  return dostring(L, init, name);
}

/* Runs the -e and -l options in order; 0 when one fails. */
static int run_args(lua_State *L, char **argv, int script) {
  for (int i = 1; i < script; i++) {
    const char *a = argv[i];
    if (strcmp(a, "--heap") == 0) {
      i++;
      continue;
    }
    if (a[0] != '-' || (a[1] != 'e' && a[1] != 'l'))
      continue;
    const char *extra = a[2] != '\0' ? a + 2 : argv[++i];
    int status = a[1] == 'e' ? dostring(L, extra, "=(command line)")
                             : dolibrary(L, extra);
    if (status != LUA_OK)
      return 0;
  }
  return 1;
}

/* Pushes arg[1..#arg] for the script; returns how many. */
static int push_args(lua_State *L) {
  if (lua_getglobal(L, "arg") != LUA_TTABLE)
    luaL_error(L, "'arg' is not a table");
  int n = (int)luaL_len(L, -1);
  luaL_checkstack(L, n + 3, "too many arguments to script");
  int i;
  for (i = 1; i <= n; i++)
    lua_rawgeti(L, -i, i);
  lua_remove(L, -i);
  return n;
}

static int handle_script(lua_State *L, char **argv) {
  const char *fname = argv[0];
  if (strcmp(fname, "-") == 0 && strcmp(argv[-1], "--") != 0)
    fname = NULL;
  int status = luaL_loadfile(L, fname);
  if (status == LUA_OK) {
    int n = push_args(L);
    status = docall(L, n, LUA_MULTRET);
  }
  return report(L, status);
}

/*
** The REPL. A line is first tried as "return line" (so expressions print);
** a syntax error ending at <eof> means the statement goes on: read more.
*/
static const char *get_prompt(lua_State *L, int firstline) {
  lua_getglobal(L, firstline ? "_PROMPT" : "_PROMPT2");
  const char *p = lua_tostring(L, -1);
  return p != NULL ? p : firstline ? PROMPT : PROMPT2;
}

/* Is the error on the top a syntax error at the end of the input? */
static int incomplete(lua_State *L, int status) {
  if (status != LUA_ERRSYNTAX)
    return 0;
  size_t len;
  const char *msg = lua_tolstring(L, -1, &len);
  size_t marklen = sizeof(EOF_MARK) - 1;
  return len >= marklen && strcmp(msg + len - marklen, EOF_MARK) == 0;
}

/* Reads a line onto the stack; 0 at end of input. */
static int push_line(lua_State *L, int firstline) {
  char buffer[LINE_MAX_INPUT];
  fputs(get_prompt(L, firstline), stdout);
  fflush(stdout);
  lua_pop(L, 1);
  if (fgets(buffer, sizeof buffer, stdin) == NULL)
    return 0;
  size_t len = strlen(buffer);
  if (len > 0 && buffer[len - 1] == '\n')
    buffer[--len] = '\0';
  if (firstline && buffer[0] == '=')
    lua_pushfstring(L, "return %s", buffer + 1);
  else
    lua_pushlstring(L, buffer, len);
  return 1;
}

static int add_return(lua_State *L) {
  const char *line = lua_tostring(L, -1);
  const char *retline = lua_pushfstring(L, "return %s;", line);
  int status = luaL_loadbuffer(L, retline, strlen(retline), "=stdin");
  if (status == LUA_OK)
    lua_remove(L, -2);
  else
    lua_pop(L, 2);
  return status;
}

static int multiline(lua_State *L) {
  for (;;) {
    size_t len;
    const char *line = lua_tolstring(L, 1, &len);
    int status = luaL_loadbuffer(L, line, len, "=stdin");
    if (!incomplete(L, status) || !push_line(L, 0))
      return status;
    lua_remove(L, -2);
    lua_pushliteral(L, "\n");
    lua_insert(L, -2);
    lua_concat(L, 3);
  }
}

/* Leaves a compiled chunk (or an error) alone on the stack; -1 at the end. */
static int load_line(lua_State *L) {
  lua_settop(L, 0);
  if (!push_line(L, 1))
    return -1;
  int status = add_return(L);
  if (status != LUA_OK)
    status = multiline(L);
  lua_remove(L, 1);
  return status;
}

static void print_results(lua_State *L) {
  int n = lua_gettop(L);
  if (n == 0)
    return;
  luaL_checkstack(L, LUA_MINSTACK, "too many results to print");
  lua_getglobal(L, "print");
  lua_insert(L, 1);
  if (lua_pcall(L, n, 0, 0) != LUA_OK)
    message(progname, lua_pushfstring(L, "error calling 'print' (%s)",
                                      lua_tostring(L, -1)));
}

static void repl(lua_State *L) {
  const char *saved = progname;
  int status;
  progname = NULL;
  while ((status = load_line(L)) != -1) {
    if (status == LUA_OK)
      status = docall(L, 0, LUA_MULTRET);
    if (status == LUA_OK)
      print_results(L);
    else
      report(L, status);
  }
  lua_settop(L, 0);
  lua_writeline();
  progname = saved;
}

/* The body of main, run protected: arguments 1-3 are argc, argv, options. */
static int protected_main(lua_State *L) {
  int argc = (int)lua_tointeger(L, 1);
  char **argv = (char **)lua_touserdata(L, 2);
  const Options *o = (const Options *)lua_touserdata(L, 3);
  luaL_checkversion(L);
  if (o->flags & HAS_ERROR) {
    print_usage(o);
    return 0;
  }
  if (o->flags & HAS_V)
    print_version();
  if (o->flags & HAS_E) {
    lua_pushboolean(L, 1);
    lua_setfield(L, LUA_REGISTRYINDEX, "LUA_NOENV");
  }
  luaL_openlibs(L);
  create_arg_table(L, argv, argc, o->script);
  if (!(o->flags & HAS_E) && handle_luainit(L) != LUA_OK)
    return 0;
  if (!run_args(L, argv, o->script))
    return 0;
  if (o->script < argc && handle_script(L, argv + o->script) != LUA_OK)
    return 0;
  if (o->flags & HAS_I) {
    repl(L);
  } else if (o->script == argc && !(o->flags & (HAS_EXEC | HAS_V))) {
    if (isatty(STDIN_FILENO)) {
      print_version();
      repl(L);
    } else {
      dofile(L, NULL);
    }
  }
  lua_pushboolean(L, 1);
  return 1;
}

static int panic(lua_State *L) {
  const char *msg = lua_tostring(L, -1);
  lua_writestringerror("PANIC: unprotected error in call to Lua API (%s)\n",
                       msg != NULL ? msg : "error object is not a string");
  return 0;
}

int main(int argc, char **argv) {
  Options o;
  set_progname(argc > 0 ? argv[0] : NULL);
  collect_args(argc, argv, &o);
  size_t heap = 0;
  if (!(o.flags & HAS_ERROR) && o.heap != NULL && !parse_heap_size(o.heap, &heap)) {
    lua_writestringerror("%s: ", progname);
    lua_writestringerror("bad heap size '%s'\n", o.heap);
    return EXIT_FAILURE;
  }
  lua_State *L = moonlet_newstate(heap);
  if (L == NULL) {
    message(progname, "cannot create state: not enough memory");
    return EXIT_FAILURE;
  }
  lua_atpanic(L, panic);
  lua_pushcfunction(L, protected_main);
  lua_pushinteger(L, argc);
  lua_pushlightuserdata(L, argv);
  lua_pushlightuserdata(L, &o);
  int status = lua_pcall(L, 3, 1, 0);
  int ok = lua_toboolean(L, -1);
  report(L, status);
  lua_close(L);
  return ok && status == LUA_OK ? EXIT_SUCCESS : EXIT_FAILURE;
}
