/*
** luaconf.h: Moonlet's one configuration header: the number configuration,
** the limits, and the types every other header builds on. Options are tested
** by value (#if ML_X), each with its default.
*/
#ifndef luaconf_h
#define luaconf_h

#include <limits.h>
#include <stddef.h>
#include <stdint.h>

/*
** ML_SMALL: the small (device) number configuration, 32-bit integers and
** 32-bit floats, so that a value is 8 bytes on a 32-bit target.
** Default 0: 64-bit integers and doubles, exactly as Lua 5.3.
*/
#ifndef ML_SMALL
#define ML_SMALL 0
#endif

#if ML_SMALL
#define LUA_INTEGER int32_t
#define LUA_UNSIGNED uint32_t
#define LUA_MAXINTEGER INT32_MAX
#define LUA_MININTEGER INT32_MIN
#define LUA_NUMBER float
#define LUAI_UACNUMBER double
#define LUA_NUMBER_FMT "%.7g"
#define LUA_INTEGER_FMT "%ld"
#define LUAI_UACINT long
#define l_mathop(op) op##f
#define l_floor(x) floorf(x)
#define lua_str2number(s, p) strtof((s), (p))
#define ML_NUMBER_DIGITS 7
#else
#define LUA_INTEGER int64_t
#define LUA_UNSIGNED uint64_t
#define LUA_MAXINTEGER INT64_MAX
#define LUA_MININTEGER INT64_MIN
#define LUA_NUMBER double
#define LUAI_UACNUMBER double
#define LUA_NUMBER_FMT "%.14g"
#define LUA_INTEGER_FMT "%lld"
#define LUAI_UACINT long long
#define l_mathop(op) op
#define l_floor(x) floor(x)
#define lua_str2number(s, p) strtod((s), (p))
#define ML_NUMBER_DIGITS 14
#endif

#define LUA_KCONTEXT intptr_t

/* What a configuration is called in messages and image headers. */
#if ML_SMALL
#define ML_CONFIG_NAME "small (32-bit integers, 32-bit floats)"
#else
#define ML_CONFIG_NAME "default (64-bit integers, 64-bit floats)"
#endif

/*
** ML_GC_TORTURE: run a full collection before every allocation (testing
** build only). Default 0.
*/
#ifndef ML_GC_TORTURE
#define ML_GC_TORTURE 0
#endif

/*
** ML_CLOSURE_CACHE: entries of the closure cache (ccache.c), a power of
** two, at least 2 (it is made of sets of two). It makes a function
** expression evaluated again with the same upvalues give the same
** closure, as Lua 5.3 does; each entry costs a pointer of RAM. Default
** 16, small build 8.
*/
#ifndef ML_CLOSURE_CACHE
#if ML_SMALL
#define ML_CLOSURE_CACHE 8
#else
#define ML_CLOSURE_CACHE 16
#endif
#endif

/*
** ML_GC_BIGTABLE: a table with more slots than this (and no metatable)
** that gets a new white value while the collector marks makes the value
** gray, not the table: the atomic step never traverses it again whole.
*/
#ifndef ML_GC_BIGTABLE
#define ML_GC_BIGTABLE 256
#endif

/*
** ML_OVL_CACHE: recent lookups of ROM tables' overlays (overlay.c), a
** power of two. Each costs two pointers in global_State.
*/
#ifndef ML_OVL_CACHE
#define ML_OVL_CACHE 4
#endif

/*
** LUAI_MAXCCALLS: nested C calls and syntactic nesting before "C stack
** overflow" / "too many C levels". A parser level counts 1 and a C call
** ML_CCALL_COST: on a Cortex-M4 a parser level costs 96 to 143 bytes of C
** stack and a C call up to 808, so a device with a small stack counts C
** calls more (mcu/mcu.mk) and still compiles deeply nested source.
*/
#ifndef LUAI_MAXCCALLS
#define LUAI_MAXCCALLS 200
#endif
#ifndef ML_CCALL_COST
#define ML_CCALL_COST 1
#endif

/*
** LUAI_MAXMATCHDEPTH: recursion of the pattern matcher (one level per
** quantifier or capture item) before "pattern too complex"; about 28
** bytes of C stack a level on a Cortex-M4.
*/
#ifndef LUAI_MAXMATCHDEPTH
#define LUAI_MAXMATCHDEPTH 200
#endif

/* Limits. */
#define LUAI_MAXSTACK 1000000 /* Lua stack slots per thread */
#define LUA_IDSIZE 60         /* size of a chunk id in messages */
#define LUAL_BUFFERSIZE ((int)(16 * sizeof(void *) * sizeof(lua_Number)))
#define LUA_EXTRASPACE (sizeof(void *))
#define LUAI_MAXSHORTLEN 40 /* strings up to this length are interned */
#define LUAI_MAXUPVALUES 255
#define LUAI_MAXVARS 200    /* locals per function */
#define LUA_MINSTACK 20

/* Default heap growth step when no cap is given (bytes per region). */
#define ML_HEAP_REGION (256 * 1024)

#define LUA_API extern
#define LUALIB_API extern
#define LUAMOD_API extern

#define LUA_PATH_SEP ";"
#define LUA_PATH_MARK "?"
#define LUA_EXEC_DIR "!"
#define LUA_DIRSEP "/"
#define LUA_PATH_DEFAULT "./?.lua;./?/init.lua"
#define LUA_CPATH_DEFAULT ""

#endif
