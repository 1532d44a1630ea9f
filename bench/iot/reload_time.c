/*
** reload_time.c: how long node.LFS.reload's work takes (read the file,
** check every byte and function, build the native slot, seal it), timed
** over alternating images so that none is skipped as already mounted.
** Usage: reload_time a.img b.img [flash-file]
*/
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "lfs.h"

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
  char msg[256];
  const char *err;
  int i, n = 200;
  double t0, t;
  if (argc < 3) {
    fprintf(stderr, "usage: reload_time a.img b.img [flash-file]\n");
    return 1;
  }
  if ((err = lfs_open(0, argc > 3 ? argv[3] : NULL)) != NULL) {
    fprintf(stderr, "reload_time: %s\n", err);
    return 1;
  }
  if (argc > 3) n = 20;
  t0 = now();
  for (i = 0; i < n; i++) {
    if (lfs_reload(argv[1 + i % 2], msg, sizeof msg) != LFS_LOADED) {
      fprintf(stderr, "reload_time: %s\n", msg);
      return 1;
    }
  }
  t = (now() - t0) / n;
  printf("reload: %.3f ms (%s, mean of %d)\n", t * 1e3,
         argc > 3 ? "with the flash file" : "in memory", n);
  lfs_close();
  return 0;
}
