/*
 * Small string helpers shared inside the library (not installed).
 */
#ifndef MG_COMMON_UTIL_H
#define MG_COMMON_UTIL_H

/* A malloc'd copy of s, or NULL when s is NULL or memory runs out. */
char *mg__strdup(const char *s);

/* A malloc'd printf, or NULL when memory runs out. */
char *mg__printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
