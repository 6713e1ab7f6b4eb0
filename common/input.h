/*
 * Opening input files that may be FIFOs (not installed).
 */
#ifndef MG_COMMON_INPUT_H
#define MG_COMMON_INPUT_H

#include <stdio.h>

/*
 * fopen(path, "rb") that a signal or *cancel can always interrupt while a FIFO waits
 * for its writer. Returns NULL with errno set on failure: EINTR when a signal or
 * *cancel (checked every 100 ms; NULL for none) stopped the wait.
 */
FILE *mg__open_input(const char *path, volatile const int *cancel);

#endif
