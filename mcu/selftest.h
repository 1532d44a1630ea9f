/*
** selftest.h: faults the firmware provokes on purpose (selftest.c), to
** show that the MPU and the fault handler catch them.
*/
#ifndef selftest_h
#define selftest_h

/* Runs the named provocation; returns only if no fault happened (1) or
** the name is unknown (EXIT_BOOT). */
int selftest_run(const char *name);

#endif
