/*
** lfs.h: the flash store (lfs.c). One per process, as a device has one
** flash: two slots (an mmap'd region on the desktop, optionally persisted
** in a file), the image mounted for the states created from now on, the
** reload that writes the free slot, and module lookup. A state sees the
** image that was mounted when it was created, for all its life.
*/
#ifndef lfs_h
#define lfs_h

#include <stddef.h>
#include <stdint.h>

#include "lua.h"

#define LFS_DEFAULTSIZE (256 * 1024) /* bytes per slot */

/* What a reload did. */
enum {
  LFS_LOADED,  /* written to the free slot: mounted for the next state */
  LFS_SAME,    /* identical to the mounted image: nothing written */
  LFS_REFUSED, /* the image is bad or does not fit: the message says why */
  LFS_POWERCUT /* the simulated power cut stopped the flash writes */
};

/*
** Sets the store up with slots of 'size' bytes (0: LFS_DEFAULTSIZE, or
** what the file holds). With 'file', the slots persist there: it is
** created when missing, and its newest valid slot is mounted. NULL, or a
** message (nothing is set up). Closing unmaps everything.
*/
const char *lfs_open(size_t size, const char *file);
void lfs_close(void);

/* The power-cut model: flash-file writes stop after n more bytes and the
** reload reports LFS_POWERCUT. n < 0: never (the default). */
void lfs_setpowercut(long long n);

/*
** Checks an image completely, then builds it in the free slot and commits
** it (the slot's header last) for the states created from now on. Opens
** the store with defaults when it is not open. On LFS_REFUSED and
** LFS_POWERCUT, msg holds the reason; the mounted image stays mounted.
*/
int lfs_reload(const char *path, char *msg, size_t msgsize);
int lfs_reloadbuffer(const void *data, size_t len, char *msg, size_t msgsize);

/*
** Mounts the native slot at 'addr' in place, writing nothing (a device
** whose flash holds a slot built by `moonletc -a`): header, checksums and
** every object are checked first. NULL, or why it is refused.
*/
const char *lfs_mountat(const void *addr, size_t size);

/*
** After a reload, the host decides what happens to the running program
** (moonlet restarts it; see docs/image-format.md). lfs_signal calls the
** handler, which should not return, with LFS_LOADED or LFS_POWERCUT; it
** returns when there is none.
*/
typedef void (*lfs_Handler)(void *ud, int what);
void lfs_sethandler(lfs_Handler h, void *ud);
void lfs_signal(int what);

/* The image of L's state, for node.LFS. */
typedef struct lfs_Info {
  const void *base; /* the slot's address (NULL without an image) */
  size_t size;      /* bytes of the slot */
  size_t used;      /* bytes the image takes */
  uint64_t time;    /* its build time (seconds since 1970) */
  int nmodules;
} lfs_Info;

int lfs_info(lua_State *L, lfs_Info *info); /* 0 when L has no image */
const char *lfs_modulename(lua_State *L, int i); /* 0-based; NULL past end */

/* The module a file path names (its base name without .lua or .lc), for
** loadfile, dofile and scripts: pushed as moonlet_lfs_get does, or 0. */
int lfs_getfile(lua_State *L, const char *path);

/* Writes L's RAM short strings, after a full collection, as a Lua module
** of string literals; 0 and errno set when the file can not be written. */
int lfs_dumpstrings(lua_State *L, const char *path);

/* state.c: a new state uses the mounted image (before its first string);
** a closed one releases its slot. */
void lfs_attach(lua_State *L);
void lfs_detach(lua_State *L);

#endif
