/*
 * A strict YAML reader (not installed): a file composed into a small tree of
 * scalars, sequences and maps in which every node knows its line, column and key
 * path, and readers that turn a node into a string, a number, an integer, a boolean
 * or one of a list of names, or else report a one-line error naming the file, line,
 * column and key. Nothing here knows what a suite is; harness/suite.c holds
 * modelgate's schema.
 */
#ifndef MG_HARNESS_YAML_H
#define MG_HARNESS_YAML_H

#include <stddef.h>
#include <stdint.h>

#include "modelgate/error.h"

/* What one file may cost, and the noun that names it in messages. */
typedef struct mg__yaml_limits {
    const char *what;   /* "suite file": "empty suite file", "suite file is a ..." */
    size_t max_bytes;   /* of the file; at least 1 MiB (messages count MiB) */
    size_t max_depth;   /* nesting levels; the root is level 1 */
    size_t max_anchors; /* anchors in the document */
    size_t max_nodes;   /* nodes of the tree, every alias expanded, keys counted */
} mg__yaml_limits;

typedef enum mg__yaml_kind {
    MG__YAML_SCALAR,
    MG__YAML_SEQUENCE,
    MG__YAML_MAP
} mg__yaml_kind;

/*
 * A node of the tree. Aliases are expanded: an alias is a copy of the anchored
 * node, with the anchored node's line and column and its own place in the tree.
 *
 * Key paths: a map value adds ".name" (just "name" at the top) to its map's path,
 * a sequence item "[i]" (0-based, as in JSONPath and yq); the root's path is "".
 * A key node has its map's path, so that a message about a bad key is reported at
 * the key under the path of the map that holds it.
 */
typedef struct mg__yaml_node mg__yaml_node;
struct mg__yaml_node {
    mg__yaml_kind kind;
    unsigned long line, column;  /* 1-based, of the node's first character */
    const mg__yaml_node *parent; /* NULL for the root */
    const mg__yaml_node *key;    /* a map value's key node; NULL otherwise */
    size_t index;                /* position among the parent's items or pairs */
    int is_key;                  /* a map key */

    /* Scalars: the value after YAML's escapes, NUL-terminated; length counts its
     * bytes, and exceeds strlen(text) when the value holds a "\0" escape. */
    const char *text;
    size_t length;
    int plain; /* written without quotes or block indicators */

    /* Sequences: n items. Maps: n pairs keys[i]: items[i], in the file's order,
     * repeated keys included (mg__yaml_check_map reports them). */
    size_t n;
    const mg__yaml_node *const *items;
    const mg__yaml_node *const *keys; /* NULL for a sequence */
};

/* A composed file (opaque); it owns every node and string of its tree. */
typedef struct mg__yaml_doc mg__yaml_doc;

/*
 * Read the file at path and compose its single document. Errors (mg_error, key set
 * where one applies): MG_EIO when the file cannot be opened or read or is a
 * directory; MG_EPARSE for a file larger than lim->max_bytes, invalid YAML, an empty
 * file, more than one document, and a document deeper than lim->max_depth, with more
 * than lim->max_anchors anchors or more than lim->max_nodes nodes once its aliases
 * are expanded; MG_ENOMEM.
 *
 * @param out receives the document, owned by the caller (mg__yaml_free)
 */
int mg__yaml_load(mg__yaml_doc **out, const char *path, const mg__yaml_limits *lim,
                  mg_error *err);

/* mg__yaml_load on len bytes in memory; name is the file named in messages. */
int mg__yaml_parse(mg__yaml_doc **out, const char *name, const unsigned char *buf,
                   size_t len, const mg__yaml_limits *lim, mg_error *err);

/* The document's root node (never NULL), borrowed from doc. */
const mg__yaml_node *mg__yaml_root(const mg__yaml_doc *doc);

/* Free a document and its tree; NULL is allowed. */
void mg__yaml_free(mg__yaml_doc *doc);

/*
 * The key path of n (NULL: the empty path) followed by ".name" when name is not
 * NULL, written into buf and cut to size - 1 bytes when longer, as mg_error cuts a
 * key. Returns buf.
 */
char *mg__yaml_path(const mg__yaml_node *n, const char *name, char *buf, size_t size);

/* ---- Errors -------------------------------------------------------------------- */

/* Where the readers below report: the file named in messages, the caller's record. */
typedef struct mg__yaml_reader {
    const char *file;
    mg_error *err;
} mg__yaml_reader;

/* Set r->err to MG_EPARSE at node n (its line, column and key path); returns
 * MG_EPARSE. */
int mg__yaml_fail(const mg__yaml_reader *r, const mg__yaml_node *n, const char *fmt,
                  ...) __attribute__((format(printf, 3, 4)));

/* The same at the line and column of `at` (NULL: none) under the key path of
 * `under` followed by ".name" (name may be NULL): a missing key is reported at its
 * map with the path it would have, a bad key at the key with its value's path. */
int mg__yaml_fail_key(const mg__yaml_reader *r, const mg__yaml_node *at,
                      const mg__yaml_node *under, const char *name, const char *fmt,
                      ...) __attribute__((format(printf, 5, 6)));

/* MG_ENOMEM, "out of memory", with no line and no key. */
int mg__yaml_oom(const mg__yaml_reader *r);

/* ---- Scalars ------------------------------------------------------------------- */

/* Bytes of a bad value quoted in a message; mg__yaml_clip's buffer holds
 * MG__YAML_CLIP_SIZE. */
#define MG__YAML_SHOW_MAX  40
#define MG__YAML_CLIP_SIZE (MG__YAML_SHOW_MAX + 4)

/* Results of the conversions. */
enum { MG__YAML_NUM_OK, MG__YAML_NUM_SYNTAX, MG__YAML_NUM_RANGE };

/* Decimal notation, [-+]?(d+(.d*)?|.d+)([eE][-+]?d+)?, converted to a finite double
 * whatever the locale's decimal point. MG__YAML_NUM_RANGE: not finite (1e999). */
int mg__yaml_to_double(const char *s, double *out);

/* [-+]?d+ as a sign and a magnitude; MG__YAML_NUM_RANGE past 64 bits. */
int mg__yaml_to_integer(const char *s, int *negative, uint64_t *magnitude);

/* YAML's null: an empty plain scalar, `~`, `null`, `Null` or `NULL`. */
int mg__yaml_is_null(const mg__yaml_node *n);

/* The first MG__YAML_SHOW_MAX bytes of s (len bytes), cut at a UTF-8 boundary, with
 * "..." when cut; returns buf. */
const char *mg__yaml_clip(const char *s, size_t len, char buf[MG__YAML_CLIP_SIZE]);

/* What a node is, for "expected X, got ...": "a map", "a list", "an empty value",
 * "null", "'abc'" or "a quoted string 'abc'". */
const char *mg__yaml_describe(const mg__yaml_node *n, char *buf, size_t size);

/* The strict readers: each returns 0 or MG_EPARSE reported at n. */

/* A non-empty scalar without NUL characters, borrowed from the document. Any style
 * is a string: `1`, `"1"` and `true` give "1", "1" and "true". */
int mg__yaml_string(const mg__yaml_reader *r, const mg__yaml_node *n, const char **out);
/* A plain scalar in decimal notation that converts to a finite double. */
int mg__yaml_number(const mg__yaml_reader *r, const mg__yaml_node *n, double *out);
/* A plain run of digits (a sign allowed) with a value in [lo, hi]. */
int mg__yaml_uint(const mg__yaml_reader *r, const mg__yaml_node *n, uint64_t lo,
                  uint64_t hi, uint64_t *out);
/* A plain `true` or `false`. */
int mg__yaml_bool(const mg__yaml_reader *r, const mg__yaml_node *n, int *out);
/* One of names (NULL-terminated); *out receives its index. noun names the setting:
 * "unknown interval 'bac' (did you mean 'bca'?)". */
int mg__yaml_enum(const mg__yaml_reader *r, const mg__yaml_node *n, const char *noun,
                  const char *const *names, int *out);

/* ---- Collections --------------------------------------------------------------- */

/* 0 when n is a sequence; else "expected a list, got ...". */
int mg__yaml_list(const mg__yaml_reader *r, const mg__yaml_node *n);

/*
 * Check a map as a whole before its values are read: it is a map, its keys are
 * non-empty strings without NUL characters, each is in `known` (NULL: any name) and
 * none repeats. A key in `reserved` is "<noun> 'x' is not supported yet"; another
 * unknown key is "unknown <noun> 'x'" with the nearest known key, if one is close.
 * Duplicates are found by sorting the keys: O(n log n) for a map of n keys.
 */
int mg__yaml_check_map(const mg__yaml_reader *r, const mg__yaml_node *map,
                       const char *const *known, const char *const *reserved,
                       const char *noun);

/* The value under `name` in a map, or NULL; keys that are not scalars are skipped. */
const mg__yaml_node *mg__yaml_get(const mg__yaml_node *map, const char *name);

/* "missing required key 'name'", at the map, under the key path the value would
 * have. */
int mg__yaml_missing(const mg__yaml_reader *r, const mg__yaml_node *map,
                     const char *name);

/* ---- Suggestions and duplicates ------------------------------------------------ */

/* The closest candidate seen so far for a misspelt word. */
typedef struct mg__yaml_nearest {
    const char *name; /* NULL: nothing close enough */
    int distance;
} mg__yaml_nearest;

#define MG__YAML_NEAREST_INIT                                                          \
    {                                                                                  \
        NULL, 0                                                                        \
    }

/* Keep `name` in *best if it is a plausible correction of `word`: an optimal string
 * alignment distance of at most 2 and at most half the name's length, and closer
 * than what *best holds (the first of equals stays). */
void mg__yaml_nearest_consider(mg__yaml_nearest *best, const char *word,
                               const char *name);
/* The nearest of names (NULL-terminated, or NULL). */
mg__yaml_nearest mg__yaml_nearest_in(const char *word, const char *const *names);
/* " (did you mean 'x'?)", or "" when nothing is close; returns buf or "". */
const char *mg__yaml_hint(const mg__yaml_nearest *best, char *buf, size_t size);

/* The earliest name (by position) that repeats an earlier one: 1 with *dup and
 * *first set, 0 when all differ, MG_ENOMEM (nothing reported). */
int mg__yaml_first_duplicate(const char *const *names, size_t n, size_t *dup,
                             size_t *first);

#endif
