/*
** main.c: the `moonlet` command, which behaves as lua5.3's `lua` (options,
** the arg table, LUA_INIT, scripts, stdin, the REPL, messages and exit
** status) and adds --heap and the flash-store options. Everything after
** state creation runs protected. After node.LFS.reload loads an image, the
** state is closed and the program runs again from the start with the new
** image mounted, as a device reboots (at most MAX_RESTARTS times).
*/
#include <ctype.h>
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lua.h"
#include "lauxlib.h"
#include "lfs.h"
#include "lualib.h"
#include "moonlet.h"

#define PROMPT "> "
#define PROMPT2 ">> "
#define LINE_MAX_INPUT 512
#define EOF_MARK "<eof>"
#define MAX_RESTARTS 10 /* reloads in a row before moonlet gives up */
#define EXIT_POWERCUT 3 /* the status of a simulated power cut */

static const char *progname = "moonlet";

/* What the command line asks for; script is argv's index of the script
** (argc when there is none). */
enum { HAS_ERROR = 1, HAS_I = 2, HAS_V = 4, HAS_E = 8, HAS_EXEC = 16 };

/* The "--" options that take an argument, in the order of Options' fields. */
static const char *const long_args[] = {"heap", "image", "flash", "flash-file",
                                        "flash-stop", "dump-strings", NULL};

typedef struct Options {
  int flags;
  int script;
  const char *bad;   /* the offending option, when HAS_ERROR */
  int needs_arg;     /* bad lacks its argument (else it is unknown) */
  const char *arg[6]; /* the arguments of long_args, or NULL */
  int flash_first;   /* --flash-first */
  int heap_map;       /* --heap-map: the heap map at exit and at out of memory */
  int heap_histogram; /* --heap-histogram: the objects by type at exit */
  int rom_readonly;   /* --rom-readonly: writes into ROM libraries raise */
} Options;

enum { OPT_HEAP, OPT_IMAGE, OPT_FLASH, OPT_FLASHFILE, OPT_FLASHSTOP,
       OPT_DUMPSTRINGS };

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
      "  --heap size  run in a heap of 'size' bytes (40k, 2M, 0xA000)\n"
      "  --heap-map  print a map of the heap at exit and at out of memory\n"
      "  --heap-histogram  print the objects in the heap at exit\n"
      "  --image file  load the flash image 'file' and mount it\n"
      "  --flash size  flash slots of 'size' bytes (default 256k)\n"
      "  --flash-file file  keep the flash in 'file' across runs\n"
      "  --flash-stop n  cut the power after n bytes of flash writes\n"
      "  --flash-first  run the script's module from flash, if it is there\n"
      "  --dump-strings file  write the strings in RAM at exit as a module\n"
      "  --rom-readonly  writes into the ROM libraries raise an error\n",
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

/* The index in long_args of the option named by a ("--name"), or -1. */
static int long_arg_index(const char *a, size_t len) {
  for (int k = 0; long_args[k] != NULL; k++)
    if (strlen(long_args[k]) == len && strncmp(a + 2, long_args[k], len) == 0)
      return k;
  return -1;
}

/* "--" options: "--flash-first", and "--name ARG" or "--name=ARG" for the
** names of long_args. */
static int long_option(Options *o, char **argv, int *i) {
  const char *a = argv[*i];
  const char *eq = strchr(a, '=');
  if (strcmp(a, "--flash-first") == 0) {
    o->flash_first = 1;
    return 1;
  }
  if (strcmp(a, "--rom-readonly") == 0) {
    o->rom_readonly = 1;
    return 1;
  }
  if (strcmp(a, "--heap-map") == 0 || strcmp(a, "--heap-histogram") == 0) {
    *(a[7] == 'm' ? &o->heap_map : &o->heap_histogram) = 1;
    return 1;
  }
  int k = long_arg_index(a, eq != NULL ? (size_t)(eq - a - 2) : strlen(a + 2));
  if (k < 0) {
    bad_option(o, a, 0);
    return 0;
  }
  if (eq != NULL) {
    o->arg[k] = eq + 1;
    return 1;
  }
  if (argv[*i + 1] == NULL) {
    bad_option(o, a, 1);
    return 0;
  }
  o->arg[k] = argv[++*i];
  return 1;
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

/* Reads the options up to the script, as lua.c does, plus the "--" ones. */
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
static int parse_size(const char *s, size_t *out) {
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

/* The heap as it was when memory last ran out (taken without allocating). */
static moonlet_OOMInfo last_oom;
static int had_oom;

static void on_oom(lua_State *L, size_t asked, void *ud) {
  moonlet_oominfo(L, asked, &last_oom);
  had_oom = 1;
  if (((const Options *)ud)->heap_map) moonlet_heapmap(L, stderr);
}

/* Prints the error on the top of the stack, if any, and the heap report
** when it is an uncaught out of memory; returns status. */
static int report(lua_State *L, int status) {
  if (status != LUA_OK) {
    const char *msg = lua_tostring(L, -1);
    message(progname, msg != NULL ? msg : "(error object is not a string)");
    lua_pop(L, 1);
    if (status == LUA_ERRMEM && had_oom) moonlet_printoom(stderr, &last_oom);
  }
  had_oom = 0;
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
    if (a[0] == '-' && a[1] == '-' && a[2] != '\0') {
      if (strchr(a, '=') == NULL && long_arg_index(a, strlen(a + 2)) >= 0)
        i++; /* its argument */
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

/*
** The script's file, or its module in the flash store: first with
** --flash-first, else when the file can not be opened (as loadfile).
*/
static int load_script(lua_State *L, const char *fname, int flash_first) {
  if (fname != NULL && flash_first && lfs_getfile(L, fname))
    return LUA_OK;
  int status = luaL_loadfile(L, fname);
  if (status == LUA_ERRFILE && fname != NULL && lfs_getfile(L, fname)) {
    lua_remove(L, -2);
    status = LUA_OK;
  }
  return status;
}

static int handle_script(lua_State *L, char **argv, int flash_first) {
  const char *fname = argv[0];
  if (strcmp(fname, "-") == 0 && strcmp(argv[-1], "--") != 0)
    fname = NULL;
  int status = load_script(L, fname, flash_first);
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
  moonlet_setromreadonly(L, o->rom_readonly);
  create_arg_table(L, argv, argc, o->script);
  if (!(o->flags & HAS_E) && handle_luainit(L) != LUA_OK)
    return 0;
  if (!run_args(L, argv, o->script))
    return 0;
  if (o->script < argc &&
      handle_script(L, argv + o->script, o->flash_first) != LUA_OK)
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

/* --- the flash store and restarts --------------------------------------- */

static jmp_buf restart_point;
static int restart_armed;  /* restart_point is live */
static lua_State *current; /* the state running */

/* lfs's handler: a loaded image restarts the program; a power cut ends it. */
static void on_flash(void *ud, int what) {
  (void)ud;
  if (what == LFS_POWERCUT) {
    fflush(stdout);
    lua_writestringerror("%s: power cut during the flash write\n", progname);
    exit(EXIT_POWERCUT);
  }
  if (restart_armed)
    longjmp(restart_point, 1);
}

static int flash_error(const char *what, const char *arg, const char *msg) {
  lua_writestringerror("%s: ", progname);
  lua_writestringerror("%s ", what);
  lua_writestringerror("'%s': ", arg);
  lua_writestringerror("%s\n", msg);
  return 0;
}

/* Opens the store and mounts --image before the first state. */
static int setup_flash(const Options *o) {
  size_t size = 0, stop = 0;
  const char *msg;
  char buf[256];
  if (o->arg[OPT_FLASH] != NULL && !parse_size(o->arg[OPT_FLASH], &size))
    return flash_error("bad flash size", o->arg[OPT_FLASH], "not a size");
  if (o->arg[OPT_FLASHSTOP] != NULL && !parse_size(o->arg[OPT_FLASHSTOP], &stop))
    return flash_error("bad byte count", o->arg[OPT_FLASHSTOP], "not a size");
  if ((size != 0 || o->arg[OPT_FLASHFILE] != NULL) &&
      (msg = lfs_open(size, o->arg[OPT_FLASHFILE])) != NULL)
    return flash_error("cannot set up the flash", o->arg[OPT_FLASHFILE] != NULL
                                                      ? o->arg[OPT_FLASHFILE]
                                                      : o->arg[OPT_FLASH], msg);
  if (o->arg[OPT_FLASHSTOP] != NULL)
    lfs_setpowercut((long long)stop);
  lfs_sethandler(on_flash, NULL);
  if (o->arg[OPT_IMAGE] == NULL)
    return 1;
  int r = lfs_reload(o->arg[OPT_IMAGE], buf, sizeof buf);
  if (r == LFS_POWERCUT)
    on_flash(NULL, r);
  if (r == LFS_REFUSED)
    return flash_error("cannot load image", o->arg[OPT_IMAGE], buf);
  return 1;
}

enum { RUN_OK, RUN_FAILED, RUN_RESTART };

static void dump_strings(lua_State *L, const char *path) {
  if (path != NULL && !lfs_dumpstrings(L, path))
    flash_error("cannot write", path, strerror(errno));
}

/* One run of the program in a fresh state. */
static int run(int argc, char **argv, Options *o, size_t heap) {
  current = moonlet_newstate(heap);
  if (current == NULL) {
    message(progname, "cannot create state: not enough memory");
    return RUN_FAILED;
  }
  if (setjmp(restart_point) != 0) {
    restart_armed = 0;
    signal(SIGINT, SIG_DFL);
    lua_close(current);
    return RUN_RESTART;
  }
  restart_armed = 1;
  lua_State *L = current;
  lua_atpanic(L, panic);
  if (heap != 0 || o->heap_map) moonlet_setoomhandler(L, on_oom, o);
  lua_pushcfunction(L, protected_main);
  lua_pushinteger(L, argc);
  lua_pushlightuserdata(L, argv);
  lua_pushlightuserdata(L, o);
  int status = lua_pcall(L, 3, 1, 0);
  restart_armed = 0;
  int ok = lua_toboolean(L, -1);
  report(L, status);
  dump_strings(L, o->arg[OPT_DUMPSTRINGS]);
  if (o->heap_histogram) {
    moonlet_collect(L);
    moonlet_objects(L, stderr);
  }
  if (o->heap_map) moonlet_heapmap(L, stderr);
  lua_close(L);
  return ok && status == LUA_OK ? RUN_OK : RUN_FAILED;
}

int main(int argc, char **argv) {
  Options o;
  set_progname(argc > 0 ? argv[0] : NULL);
  collect_args(argc, argv, &o);
  size_t heap = 0;
  const char *heaparg = o.arg[OPT_HEAP];
  if (!(o.flags & HAS_ERROR) && heaparg != NULL && !parse_size(heaparg, &heap)) {
    lua_writestringerror("%s: ", progname);
    lua_writestringerror("bad heap size '%s'\n", heaparg);
    return EXIT_FAILURE;
  }
  if (!(o.flags & HAS_ERROR) && !setup_flash(&o))
    return EXIT_FAILURE;
  for (int restarts = 0;;) {
    int r = run(argc, argv, &o, heap);
    if (r != RUN_RESTART)
      return r == RUN_OK ? EXIT_SUCCESS : EXIT_FAILURE;
    if (++restarts > MAX_RESTARTS) {
      message(progname, "too many restarts after node.LFS.reload");
      return EXIT_FAILURE;
    }
  }
}
