/*
 * What the libFuzzer targets share: the loaders under test take a path, so each input
 * is written to a file on a tmpfs (/dev/shm when it exists), one file per process so
 * that parallel fuzzing jobs do not collide.
 */
#ifndef MG_FUZZ_COMMON_H
#define MG_FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>

/* A new path unique to this process, ending in `suffix` (call once per file, at most
 * 8 times); the file is removed when the process exits. MG_FUZZ_DIR overrides the
 * directory. */
const char *fuzz_path(const char *tag, const char *suffix);

/* Write the bytes to path, replacing it; aborts when the file cannot be written,
 * since every later verdict would be about the wrong input. */
void fuzz_write(const char *path, const uint8_t *data, size_t size);

/* Abort with a message when cond is false: libFuzzer reports the input. */
#define FUZZ_CHECK(cond) fuzz_check((cond), #cond, __FILE__, __LINE__)
void fuzz_check(int cond, const char *what, const char *file, int line);

#endif
