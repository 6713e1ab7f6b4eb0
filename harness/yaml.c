/*
 * A strict YAML reader: composing a file into the tree of harness/yaml.h.
 *
 * Hand-written configuration files (suites) are read into a tree whose every node
 * knows its line, column and key path, so that a schema on top can say exactly
 * where a value is wrong; harness/yaml_read.c holds the strict readers, and the
 * schema itself is elsewhere (harness/suite.c).
 *
 * Method. The file is read into memory first (at most max_bytes, since it is
 * written by hand), so that it can also come from a pipe. Then, in one pass over
 * libyaml's event stream, the first document is composed into a graph as libyaml's
 * own composer (yaml_parser_load) would: an alias is a second reference to the
 * anchored node, and an undefined alias or a repeated anchor is an error in
 * libyaml's words. The same pass bounds what the parser spends: libyaml's scanner
 * keeps one entry per open flow collection and rescans them all at every token, so
 * a line of 100,000 '[' costs 10^10 steps, and anchors are found by a linear search,
 * so 40,000 anchors and aliases cost seconds. The pass stops at the first event past
 * max_depth levels or the first anchor past max_anchors, naming the top-level key
 * it is under; the parser has then read no more than a few lines past that point.
 * These two bounds are checked over the whole document before anything else is
 * reported: a composition error waits for the end of the document, and a syntax
 * error, where the parser stops, is reported unless a composition error came first.
 *
 * The graph is then walked from the root, counting each visit and the depth, and
 * copied into the tree. Aliases keep the graph small while a walk through it can
 * be exponential ("billion laughs": nine aliases of nine aliases of ...) or endless
 * (an anchor whose node contains its own alias, which the composer accepts). The
 * walk stops past max_nodes visits or max_depth levels. A first walk only counts, so
 * that the tree is allocated at once and the copy, which visits the same nodes, is
 * bounded too. In the tree an alias is a copy carrying the anchored node's line and
 * column. Tags are ignored.
 *
 * Errors name the file as given and the 1-based line and column (libyaml's marks
 * are 0-based).
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <yaml.h>

#include "harness/yaml.h"

#include "common/input.h"

/* ---- The document -------------------------------------------------------------- */

/* A node of the composed graph: children are indices into the graph, so an alias
 * is a second reference to a node. */
typedef struct gnode {
    mg__yaml_kind kind;
    unsigned long line, column; /* 1-based */
    char *text;                 /* scalars: owned, from libyaml's event */
    size_t length;
    int plain;
    size_t *child; /* items, or keys and values alternating */
    size_t nchild, cap;
} gnode;

struct mg__yaml_doc {
    gnode *graph; /* graph[0] is the root */
    size_t ngraph, cap;
    mg__yaml_node *tree; /* tree[0] is the root */
    const mg__yaml_node **slots;
};

/* An anchor's name and the node it names. */
typedef struct named_node {
    char *name;
    size_t node;
    unsigned long line;
} named_node;

/* The one pass over the events. */
typedef struct composer {
    const char *file;
    const mg__yaml_limits *lim;
    mg_error *err;
    mg__yaml_doc *doc;
    size_t *open; /* open collections, innermost last */
    size_t nopen, capopen;
    named_node *anchors;
    size_t nanchors, capanchors;
    size_t depth, nanchor_events; /* levels open, anchors seen (bounds) */
    int root_map, at_key;         /* the root is a map; the next root event is a key */
    char top[MG_ERROR_KEY_MAX];   /* the top-level key the pass is under */
    int failed;                   /* a composition error, reported at the end */
} composer;

/* Grow *items (of *cap elements of size each) to hold one more than n. */
static int grow(void **items, size_t *cap, size_t n, size_t each)
{
    size_t want;
    void *grown;

    if (n < *cap)
        return 0;
    want = *cap == 0 ? 8 : 2 * *cap;
    if (want > SIZE_MAX / each)
        return MG_ENOMEM;
    grown = realloc(*items, want * each);
    if (grown == NULL)
        return MG_ENOMEM;
    *items = grown;
    *cap = want;
    return 0;
}

void mg__yaml_free(mg__yaml_doc *doc)
{
    size_t i;

    if (doc == NULL)
        return;
    for (i = 0; i < doc->ngraph; i++) {
        free(doc->graph[i].text);
        free(doc->graph[i].child);
    }
    free(doc->graph);
    free(doc->tree);
    free(doc->slots);
    free(doc);
}

const mg__yaml_node *mg__yaml_root(const mg__yaml_doc *doc)
{
    return doc->tree;
}

/* ---- Composing ----------------------------------------------------------------- */

static int composer_oom(composer *c)
{
    return mg_error_set(c->err, MG_ENOMEM, c->file, 0, 0, "out of memory");
}

/* Turn libyaml's error state into an mg_error. */
static int yaml_failure(const yaml_parser_t *p, const char *file, const char *what,
                        mg_error *err)
{
    const char *problem = p->problem ? p->problem : "unknown problem";

    if (p->error == YAML_MEMORY_ERROR)
        return mg_error_set(err, MG_ENOMEM, file, 0, 0, "out of memory");
    if (p->error == YAML_READER_ERROR) {
        if (strcmp(problem, "input error") == 0)
            return mg_error_set(err, MG_EIO, file, 0, 0, "cannot read %s", what);
        return mg_error_set(err, MG_EPARSE, file, 0, 0, "invalid YAML: %s at byte %zu",
                            problem, p->problem_offset);
    }
    if (p->context != NULL)
        return mg_error_set(err, MG_EPARSE, file,
                            (unsigned long)p->problem_mark.line + 1,
                            (unsigned long)p->problem_mark.column + 1,
                            "invalid YAML: %s (%s at line %lu)", problem, p->context,
                            (unsigned long)p->context_mark.line + 1);
    return mg_error_set(err, MG_EPARSE, file, (unsigned long)p->problem_mark.line + 1,
                        (unsigned long)p->problem_mark.column + 1, "invalid YAML: %s",
                        problem);
}

/* Attach node i to the innermost open collection, if any. */
static int attach(composer *c, size_t i)
{
    gnode *parent;

    if (c->nopen == 0)
        return 0;
    parent = &c->doc->graph[c->open[c->nopen - 1]];
    if (grow((void **)&parent->child, &parent->cap, parent->nchild, sizeof(size_t)) < 0)
        return composer_oom(c);
    parent->child[parent->nchild++] = i;
    return 0;
}

/* A new node for the event; its scalar value and anchor move out of the event. */
static int add_node(composer *c, yaml_event_t *ev, mg__yaml_kind kind, char **anchor,
                    size_t *out)
{
    mg__yaml_doc *d = c->doc;
    gnode *n;

    *anchor = NULL;
    if (grow((void **)&d->graph, &d->cap, d->ngraph, sizeof *d->graph) < 0)
        return composer_oom(c);
    n = &d->graph[d->ngraph];
    memset(n, 0, sizeof *n);
    n->kind = kind;
    n->line = (unsigned long)ev->start_mark.line + 1;
    n->column = (unsigned long)ev->start_mark.column + 1;
    if (ev->type == YAML_SCALAR_EVENT) {
        n->text = (char *)ev->data.scalar.value;
        n->length = ev->data.scalar.length;
        n->plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
        ev->data.scalar.value = NULL;
        *anchor = (char *)ev->data.scalar.anchor;
        ev->data.scalar.anchor = NULL;
    } else if (ev->type == YAML_SEQUENCE_START_EVENT) {
        *anchor = (char *)ev->data.sequence_start.anchor;
        ev->data.sequence_start.anchor = NULL;
    } else {
        *anchor = (char *)ev->data.mapping_start.anchor;
        ev->data.mapping_start.anchor = NULL;
    }
    *out = d->ngraph++;
    return 0;
}

/* Record an anchor; a name given twice is libyaml's composer error. */
static int add_anchor(composer *c, char *name, size_t node)
{
    const gnode *n = &c->doc->graph[node];
    size_t i;

    for (i = 0; i < c->nanchors; i++) {
        if (strcmp(c->anchors[i].name, name) == 0) {
            free(name);
            c->failed = 1;
            return mg_error_set(c->err, MG_EPARSE, c->file, n->line, n->column,
                                "invalid YAML: second occurrence (found duplicate "
                                "anchor; first occurrence at line %lu)",
                                c->anchors[i].line);
        }
    }
    if (grow((void **)&c->anchors, &c->capanchors, c->nanchors, sizeof *c->anchors) <
        0) {
        free(name);
        return composer_oom(c);
    }
    c->anchors[c->nanchors].name = name;
    c->anchors[c->nanchors].node = node;
    c->anchors[c->nanchors].line = n->line;
    c->nanchors++;
    return 0;
}

static int compose_alias(composer *c, const yaml_event_t *ev)
{
    size_t i;

    for (i = 0; i < c->nanchors; i++)
        if (strcmp(c->anchors[i].name, (const char *)ev->data.alias.anchor) == 0)
            return attach(c, c->anchors[i].node);
    c->failed = 1;
    return mg_error_set(c->err, MG_EPARSE, c->file,
                        (unsigned long)ev->start_mark.line + 1,
                        (unsigned long)ev->start_mark.column + 1,
                        "invalid YAML: found undefined alias");
}

/* Compose one node event into the graph. */
static int compose(composer *c, yaml_event_t *ev)
{
    mg__yaml_kind kind = ev->type == YAML_SCALAR_EVENT           ? MG__YAML_SCALAR
                         : ev->type == YAML_SEQUENCE_START_EVENT ? MG__YAML_SEQUENCE
                                                                 : MG__YAML_MAP;
    char *name = NULL;
    size_t i = 0;
    int rc;

    if (ev->type == YAML_ALIAS_EVENT)
        return compose_alias(c, ev);
    if ((rc = add_node(c, ev, kind, &name, &i)) < 0)
        return rc;
    if (name != NULL && (rc = add_anchor(c, name, i)) < 0)
        return rc;
    if ((rc = attach(c, i)) < 0)
        return rc;
    if (kind != MG__YAML_SCALAR) {
        if (grow((void **)&c->open, &c->capopen, c->nopen, sizeof *c->open) < 0)
            return composer_oom(c);
        c->open[c->nopen++] = i;
    }
    return 0;
}

/*
 * The bounds of the essay, checked at every node event before it is composed: the
 * root node is level 1, and a key or value of the root map names the subtree that
 * follows.
 */
static int bound(composer *c, const yaml_event_t *ev)
{
    const char *anchor = NULL;
    int rc = 0;

    if (ev->type == YAML_SCALAR_EVENT)
        anchor = (const char *)ev->data.scalar.anchor;
    else if (ev->type == YAML_SEQUENCE_START_EVENT)
        anchor = (const char *)ev->data.sequence_start.anchor;
    else if (ev->type == YAML_MAPPING_START_EVENT)
        anchor = (const char *)ev->data.mapping_start.anchor;
    if (c->depth == 1 && c->root_map) {
        if (c->at_key)
            snprintf(c->top, sizeof c->top, "%s",
                     ev->type == YAML_SCALAR_EVENT ? (const char *)ev->data.scalar.value
                                                   : "");
        c->at_key = !c->at_key;
    }
    if (c->depth + 1 > c->lim->max_depth)
        rc = mg_error_set(
            c->err, MG_EPARSE, c->file, (unsigned long)ev->start_mark.line + 1,
            (unsigned long)ev->start_mark.column + 1,
            "%s nested deeper than %zu levels", c->lim->what, c->lim->max_depth);
    else if (anchor != NULL && ++c->nanchor_events > c->lim->max_anchors)
        rc = mg_error_set(
            c->err, MG_EPARSE, c->file, (unsigned long)ev->start_mark.line + 1,
            (unsigned long)ev->start_mark.column + 1, "%s has more than %zu anchors",
            c->lim->what, c->lim->max_anchors);
    if (rc != 0) {
        mg_error_set_key(c->err, c->top);
        return rc;
    }
    if (ev->type == YAML_SEQUENCE_START_EVENT || ev->type == YAML_MAPPING_START_EVENT) {
        if (c->depth == 0 && ev->type == YAML_MAPPING_START_EVENT)
            c->root_map = c->at_key = 1;
        c->depth++;
    }
    return 0;
}

/*
 * The pass of the essay over the first document. Returns 0 with the graph built
 * (empty for a stream without documents) or the first error: a bound, else a
 * composition error, else libyaml's.
 */
static int compose_document(composer *c, yaml_parser_t *p)
{
    yaml_event_t ev;
    int rc = 0, done = 0;

    while (!done) {
        if (!yaml_parser_parse(p, &ev))
            return c->failed ? MG_EPARSE
                             : yaml_failure(p, c->file, c->lim->what, c->err);
        switch (ev.type) {
        case YAML_SCALAR_EVENT:
        case YAML_SEQUENCE_START_EVENT:
        case YAML_MAPPING_START_EVENT:
        case YAML_ALIAS_EVENT:
            /* A bound or memory stops the pass; a composition error (c->failed)
             * waits for the end of the document, with composing stopped. */
            if ((rc = bound(c, &ev)) == 0 && !c->failed &&
                (rc = compose(c, &ev)) == MG_EPARSE)
                rc = 0;
            break;
        case YAML_SEQUENCE_END_EVENT:
        case YAML_MAPPING_END_EVENT:
            c->depth--;
            if (!c->failed)
                c->nopen--;
            break;
        case YAML_DOCUMENT_END_EVENT:
        case YAML_STREAM_END_EVENT:
            done = 1;
            break;
        default:
            break;
        }
        yaml_event_delete(&ev);
        if (rc < 0)
            return rc;
    }
    return c->failed ? MG_EPARSE : 0;
}

/* After the first document, another one is reported at its root node, which is not
 * composed: it could be as deep as the bounds keep the first one from being. */
static int single_document(yaml_parser_t *p, const char *file,
                           const mg__yaml_limits *lim, mg_error *err)
{
    yaml_event_t next;
    int rc = 0;

    if (!yaml_parser_parse(p, &next))
        return yaml_failure(p, file, lim->what, err);
    if (next.type == YAML_DOCUMENT_START_EVENT) {
        yaml_event_delete(&next);
        if (!yaml_parser_parse(p, &next))
            return yaml_failure(p, file, lim->what, err);
        rc = mg_error_set(err, MG_EPARSE, file, (unsigned long)next.start_mark.line + 1,
                          (unsigned long)next.start_mark.column + 1,
                          "%s holds more than one YAML document", lim->what);
    }
    yaml_event_delete(&next);
    return rc;
}

/* ---- The tree ------------------------------------------------------------------ */

/* The walks from the root of the graph, aliases expanded. */
typedef struct walk {
    mg__yaml_doc *doc;
    const char *file;
    const mg__yaml_limits *lim;
    mg_error *err;
    size_t visits;
    const char *top; /* the scalar top-level key the walk is under, or NULL */
    size_t nslots;   /* slots handed out while building */
} walk;

/* Count the nodes reachable from graph node i at level depth, in the order the tree
 * is built in, and stop at the first visit past the bounds. */
static int count(walk *w, size_t i, size_t depth)
{
    const gnode *n = &w->doc->graph[i];
    size_t j;
    int rc = 0;

    if (++w->visits > w->lim->max_nodes)
        rc = mg_error_set(w->err, MG_EPARSE, w->file, n->line, n->column,
                          "%s too large or too deeply nested (alias expansion)",
                          w->lim->what);
    else if (depth > w->lim->max_depth)
        rc = mg_error_set(w->err, MG_EPARSE, w->file, n->line, n->column,
                          "%s nested deeper than %zu levels", w->lim->what,
                          w->lim->max_depth);
    if (rc != 0) {
        mg_error_set_key(w->err, w->top);
        return rc;
    }
    for (j = 0; j < n->nchild && rc == 0; j++) {
        if (depth == 1 && n->kind == MG__YAML_MAP && j % 2 == 0) {
            const gnode *k = &w->doc->graph[n->child[j]];
            w->top = k->kind == MG__YAML_SCALAR ? k->text : NULL;
        }
        rc = count(w, n->child[j], depth + 1);
    }
    return rc;
}

/* Copy graph node i and what it holds into the tree, in the order count visits. */
static const mg__yaml_node *build(walk *w, size_t i, const mg__yaml_node *parent,
                                  size_t index, const mg__yaml_node *key, int is_key)
{
    const gnode *g = &w->doc->graph[i];
    mg__yaml_node *n = &w->doc->tree[w->visits++];
    const mg__yaml_node **items, **keys;
    size_t j;

    n->kind = g->kind;
    n->line = g->line;
    n->column = g->column;
    n->parent = parent;
    n->key = key;
    n->index = index;
    n->is_key = is_key;
    if (g->kind == MG__YAML_SCALAR) {
        n->text = g->text;
        n->length = g->length;
        n->plain = g->plain;
        return n;
    }
    n->n = g->kind == MG__YAML_MAP ? g->nchild / 2 : g->nchild;
    items = w->doc->slots + w->nslots;
    w->nslots += n->n;
    n->items = items;
    if (g->kind == MG__YAML_SEQUENCE) {
        for (j = 0; j < n->n; j++)
            items[j] = build(w, g->child[j], n, j, NULL, 0);
        return n;
    }
    keys = w->doc->slots + w->nslots;
    w->nslots += n->n;
    n->keys = keys;
    for (j = 0; j < n->n; j++) {
        keys[j] = build(w, g->child[2 * j], n, j, NULL, 1);
        items[j] = build(w, g->child[2 * j + 1], n, j, keys[j], 0);
    }
    return n;
}

static int make_tree(mg__yaml_doc *doc, const char *file, const mg__yaml_limits *lim,
                     mg_error *err)
{
    walk w = {doc, file, lim, err, 0, NULL, 0};
    int rc;

    if ((rc = count(&w, 0, 1)) < 0)
        return rc;
    /* Every node but the root fills one slot. */
    doc->tree = calloc(w.visits, sizeof *doc->tree);
    doc->slots = calloc(w.visits, sizeof *doc->slots);
    if (doc->tree == NULL || doc->slots == NULL)
        return mg_error_set(err, MG_ENOMEM, file, 0, 0, "out of memory");
    w.visits = 0;
    build(&w, 0, NULL, 0, NULL, 0);
    return 0;
}

int mg__yaml_parse(mg__yaml_doc **out, const char *name, const unsigned char *buf,
                   size_t len, const mg__yaml_limits *lim, mg_error *err)
{
    yaml_parser_t parser;
    mg__yaml_doc *doc = NULL;
    composer c;
    int parser_ready = 0, rc;
    size_t i;

    *out = NULL;
    memset(&c, 0, sizeof c);
    c.file = name;
    c.lim = lim;
    c.err = err;
    if ((doc = calloc(1, sizeof *doc)) == NULL || !yaml_parser_initialize(&parser)) {
        rc = mg_error_set(err, MG_ENOMEM, name, 0, 0, "out of memory");
        goto cleanup;
    }
    parser_ready = 1;
    c.doc = doc;
    yaml_parser_set_input_string(&parser, buf, len);
    if ((rc = compose_document(&c, &parser)) < 0)
        goto cleanup;
    if (doc->ngraph == 0) {
        rc = mg_error_set(err, MG_EPARSE, name, 0, 0, "empty %s", lim->what);
        goto cleanup;
    }
    if ((rc = single_document(&parser, name, lim, err)) < 0 ||
        (rc = make_tree(doc, name, lim, err)) < 0)
        goto cleanup;
    *out = doc;
    doc = NULL;

cleanup:
    for (i = 0; i < c.nanchors; i++)
        free(c.anchors[i].name);
    free(c.anchors);
    free(c.open);
    mg__yaml_free(doc);
    if (parser_ready)
        yaml_parser_delete(&parser);
    return rc;
}

/* The whole file in a malloc'd buffer, at most max bytes. */
static int read_all(FILE *f, const char *path, const mg__yaml_limits *lim,
                    unsigned char **out, size_t *out_len, mg_error *err)
{
    size_t cap = 0, len = 0, got, max = lim->max_bytes;
    unsigned char *buf = NULL, *grown;

    *out = NULL;
    *out_len = 0;
    do {
        if (len == cap) {
            /* One byte past the limit tells a file at the limit from a longer one. */
            if (cap > max) {
                free(buf);
                return mg_error_set(err, MG_EPARSE, path, 0, 0,
                                    "%s larger than %zu MiB", lim->what, max >> 20);
            }
            cap = cap == 0 ? 8192 : 2 * cap;
            if (cap > max + 1)
                cap = max + 1;
            grown = realloc(buf, cap);
            if (grown == NULL) {
                free(buf);
                return mg_error_set(err, MG_ENOMEM, path, 0, 0, "out of memory");
            }
            buf = grown;
        }
        got = fread(buf + len, 1, cap - len, f);
        len += got;
    } while (got > 0);
    if (ferror(f)) {
        free(buf);
        return mg_error_set(err, MG_EIO, path, 0, 0, "cannot read %s: %s", lim->what,
                            strerror(errno));
    }
    *out = buf;
    *out_len = len;
    return 0;
}

int mg__yaml_load(mg__yaml_doc **out, const char *path, const mg__yaml_limits *lim,
                  mg_error *err)
{
    unsigned char *buf = NULL;
    size_t len = 0;
    struct stat st;
    FILE *f;
    int rc;

    *out = NULL;
    f = mg__open_input(path, NULL);
    if (f == NULL)
        return mg_error_set(err, MG_EIO, path, 0, 0, "cannot open %s: %s", lim->what,
                            strerror(errno));
    if (fstat(fileno(f), &st) != 0)
        rc = mg_error_set(err, MG_EIO, path, 0, 0, "cannot read %s: %s", lim->what,
                          strerror(errno));
    else if (S_ISDIR(st.st_mode))
        rc = mg_error_set(err, MG_EIO, path, 0, 0, "%s is a directory", lim->what);
    else if ((rc = read_all(f, path, lim, &buf, &len, err)) == 0)
        rc = mg__yaml_parse(out, path, buf, len, lim, err);
    fclose(f);
    free(buf);
    return rc;
}
