/*
** lib_rom.h: the contents of the standard libraries' read-only tables, as
** X-macro lists shared by the libraries and tools/romgen.c, which turns
** them into const Tables (build/gen/rom_<group>.inc) and adds their key
** strings to the compile-time string table (build/gen/rom_strings.inc).
** An entry is X(kind, name, value), its value text copied as C:
**   F: a lua_CFunction (static in the group's file, which includes the
**      generated .inc after defining it)
**   I: a lua_Integer constant expression   N: a lua_Number one
**   T: another ROM table (of any group), by its table name
**   S: a short string literal
**   M: not a key: the table's metatable is the ROM table 'value'
**   P: not a key: the next item of the array part (from 1), a C function
** Names are Lua identifiers of at most LUAI_MAXSHORTLEN bytes, never
** reserved words (the generator checks). docs/rom-tables.md tells how an
** embedder adds a module (ML_ROM_USER).
*/
#ifndef lib_rom_h
#define lib_rom_h

/* Each ROM table: G(group, table); group 'string' -> rom_string.inc, the
** table's C symbol is ml_rt_<table>. */
#define ML_ROM_TABLES(G) \
  G(base, _G) G(base, loaded) \
  G(package, package) G(package, searchers) G(package, preload) \
  G(node, node) G(node, egc) G(lfs, LFS) G(lfs, LFSmeta) \
  G(string, string) G(string, strmeta) \
  G(table, table) G(math, math) G(utf8, utf8) G(coroutine, coroutine) \
  G(os, os) G(io, io) G(io, iometa) G(io, iofile) G(io, filemeta) \
  G(debug, debug)

/*
** Strings that every state makes: the reserved words and metamethod names
** (added by the generator), and these. In ROM they cost no RAM.
*/
#define ML_ROM_STRINGS(X) \
  X("_ENV") X("not enough memory") X("__name") X("_LOADED") \
  X("_PRELOAD") X("_CLIBS") X("FILE*") X("LUA_NOENV") X("_IO_input") \
  X("_IO_output") X("_IO_stdin") X("_IO_stdout") X("_IO_stderr") X("n")

/* The base library's functions (also what luaopen_base sets in a RAM
** globals table). */
#define ML_ROM_BASEFUNCS(X) \
  X(F, assert, base_assert) X(F, collectgarbage, base_collectgarbage) \
  X(F, dofile, base_dofile) X(F, error, base_error) \
  X(F, getmetatable, base_getmetatable) X(F, ipairs, base_ipairs) \
  X(F, loadfile, base_loadfile) X(F, load, base_load) \
  X(F, next, base_next) X(F, pairs, base_pairs) X(F, pcall, base_pcall) \
  X(F, print, base_print) X(F, rawequal, base_rawequal) \
  X(F, rawlen, base_rawlen) X(F, rawget, base_rawget) \
  X(F, rawset, base_rawset) X(F, select, base_select) \
  X(F, setmetatable, base_setmetatable) X(F, tonumber, base_tonumber) \
  X(F, tostring, base_tostring) X(F, type, base_type) \
  X(F, xpcall, base_xpcall)

/* The libraries luaL_openlibs opens, by name. */
#define ML_ROM_LIBRARIES(X) \
  X(T, _G, _G) X(T, package, package) X(T, coroutine, coroutine) \
  X(T, table, table) X(T, io, io) X(T, os, os) X(T, string, string) \
  X(T, math, math) X(T, utf8, utf8) X(T, debug, debug) X(T, node, node)

/* The globals table, as lua5.3 has it after luaL_openlibs. A program's
** own globals go to its RAM overlay (overlay.c). */
#define ML_ROM__G(X) \
  ML_ROM_BASEFUNCS(X) X(F, require, ml_require) \
  X(S, _VERSION, LUA_VERSION) ML_ROM_LIBRARIES(X)

/* package.loaded (the registry's _LOADED) after luaL_openlibs. */
#define ML_ROM_loaded(X) ML_ROM_LIBRARIES(X)

#define ML_ROM_package(X) \
  X(F, loadlib, pk_loadlib) X(F, searchpath, pk_searchpath) \
  X(S, path, LUA_PATH_DEFAULT) X(S, cpath, LUA_CPATH_DEFAULT) \
  X(S, config, LUA_DIRSEP "\n" LUA_PATH_SEP "\n" LUA_PATH_MARK "\n" \
               LUA_EXEC_DIR "\n-\n") \
  X(T, searchers, searchers) X(T, loaded, loaded) X(T, preload, preload)
#define ML_ROM_searchers(X) \
  X(P, _, searcher_preload) X(P, _, searcher_lua) \
  X(P, _, searcher_flash) X(P, _, searcher_c) X(P, _, searcher_croot)
#define ML_ROM_preload(X)

/* NodeMCU's node: the memory functions (lib_node.c) and the flash store's
** (lib_lfs.c). node.LFS.<module> comes through LFS's metatable. */
#define ML_ROM_node(X) \
  X(F, heap, node_heap) X(F, heapinfo, node_heapinfo) \
  X(F, objects, node_objects) X(F, heapmap, node_heapmap) \
  X(F, heapreport, node_heapreport) X(T, egc, egc) X(T, LFS, LFS) \
  X(F, flashindex, ml_node_flashindex) X(F, flashreload, ml_lfs_reload)
#define ML_ROM_egc(X) \
  X(F, setmode, egc_setmode) X(F, meminfo, egc_meminfo) \
  X(I, NOT_ACTIVE, MOONLET_EGC_NOT_ACTIVE) \
  X(I, ON_ALLOC_FAILURE, MOONLET_EGC_ON_ALLOC_FAILURE) \
  X(I, ON_MEM_LIMIT, MOONLET_EGC_ON_MEM_LIMIT) \
  X(I, ALWAYS, MOONLET_EGC_ALWAYS)
#define ML_ROM_LFS(X) \
  X(M, _, LFSmeta) X(F, get, lfs_get) X(F, list, lfs_list) \
  X(F, reload, ml_lfs_reload)
#define ML_ROM_LFSmeta(X) X(F, __index, lfs_index)

#define ML_ROM_string(X) \
  X(F, byte, str_byte) X(F, char, str_char) X(F, dump, str_dump) \
  X(F, find, str_find) X(F, format, str_format) X(F, gmatch, str_gmatch) \
  X(F, gsub, str_gsub) X(F, len, str_len) X(F, lower, str_lower) \
  X(F, match, str_match) X(F, rep, str_rep) X(F, reverse, str_reverse) \
  X(F, sub, str_sub) X(F, upper, str_upper) X(F, pack, str_pack) \
  X(F, packsize, str_packsize) X(F, unpack, str_unpack)

/* The metatable of strings. */
#define ML_ROM_strmeta(X) X(T, __index, string)

#define ML_ROM_table(X) \
  X(F, concat, tab_concat) X(F, insert, tab_insert) X(F, pack, tab_pack) \
  X(F, unpack, tab_unpack) X(F, remove, tab_remove) X(F, move, tab_move) \
  X(F, sort, tab_sort)

#define ML_ROM_math(X) \
  X(F, abs, math_abs) X(F, ceil, math_ceil) X(F, floor, math_floor) \
  X(F, fmod, math_fmod) X(F, modf, math_modf) X(F, exp, math_exp) \
  X(F, log, math_log) X(F, sqrt, math_sqrt) X(F, sin, math_sin) \
  X(F, cos, math_cos) X(F, tan, math_tan) X(F, asin, math_asin) \
  X(F, acos, math_acos) X(F, atan, math_atan) X(F, deg, math_deg) \
  X(F, rad, math_rad) X(F, tointeger, math_tointeger) \
  X(F, type, math_type) X(F, ult, math_ult) X(F, max, math_max) \
  X(F, min, math_min) X(F, random, math_random) \
  X(F, randomseed, math_randomseed) X(N, pi, PI) \
  X(N, huge, (lua_Number)HUGE_VAL) X(I, maxinteger, LUA_MAXINTEGER) \
  X(I, mininteger, LUA_MININTEGER)

#define ML_ROM_utf8(X) \
  X(F, offset, utf8_offset) X(F, codepoint, utf8_codepoint) \
  X(F, char, utf8_char) X(F, len, utf8_len) X(F, codes, utf8_codes) \
  X(S, charpattern, "[\0-\x7F\xC2-\xF4][\x80-\xBF]*")

#define ML_ROM_coroutine(X) \
  X(F, create, co_create) X(F, resume, co_resume) \
  X(F, running, co_running) X(F, status, co_status) X(F, wrap, co_wrap) \
  X(F, yield, co_yield) X(F, isyieldable, co_isyieldable)

#define ML_ROM_os(X) \
  X(F, clock, os_clock) X(F, date, os_date) X(F, difftime, os_difftime) \
  X(F, execute, os_execute) X(F, exit, os_exit) X(F, getenv, os_getenv) \
  X(F, remove, os_remove) X(F, rename, os_rename) \
  X(F, setlocale, os_setlocale) X(F, time, os_time) \
  X(F, tmpname, os_tmpname)

/* io's functions. io.stdin, io.stdout and io.stderr are per state: the
** __index of io's metatable finds them in the registry. */
#define ML_ROM_io(X) \
  X(M, _, iometa) \
  X(F, close, io_close) X(F, flush, io_flush) X(F, input, io_input) \
  X(F, lines, io_lines) X(F, open, io_open) X(F, output, io_output) \
  X(F, popen, io_popen) X(F, read, io_read) X(F, tmpfile, io_tmpfile) \
  X(F, type, io_type) X(F, write, io_write)
#define ML_ROM_iometa(X) X(F, __index, io_index)

/* The metatable of files (the registry's "FILE*") and their methods. */
#define ML_ROM_filemeta(X) \
  X(T, __index, iofile) X(F, __gc, f_gc) X(F, __tostring, f_tostring) \
  X(S, __name, "FILE*")
#define ML_ROM_iofile(X) \
  X(F, close, f_close) X(F, flush, f_flush) X(F, lines, f_lines) \
  X(F, read, f_read) X(F, seek, f_seek) X(F, setvbuf, f_setvbuf) \
  X(F, write, f_write)

#define ML_ROM_debug(X) \
  X(F, debug, db_debug) X(F, getuservalue, db_getuservalue) \
  X(F, gethook, db_gethook) X(F, getinfo, db_getinfo) \
  X(F, getlocal, db_getlocal) X(F, getregistry, db_getregistry) \
  X(F, getmetatable, db_getmetatable) X(F, getupvalue, db_getupvalue) \
  X(F, upvaluejoin, db_upvaluejoin) X(F, upvalueid, db_upvalueid) \
  X(F, setuservalue, db_setuservalue) X(F, sethook, db_sethook) \
  X(F, setlocal, db_setlocal) X(F, setmetatable, db_setmetatable) \
  X(F, setupvalue, db_setupvalue) X(F, traceback, db_traceback)

#endif
