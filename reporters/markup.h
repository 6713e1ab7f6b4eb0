/*
 * Private to reporters/: writing HTML and SVG markup through libxml2's
 * xmlTextWriter, with every string cleaned and escaped (not installed).
 */
#ifndef MG_REPORTERS_MARKUP_H
#define MG_REPORTERS_MARKUP_H

#include <stddef.h>

#include <libxml/xmlwriter.h>

/*
 * A writer whose first failure (memory) sticks: later calls do nothing, and
 * `failed` tells the caller at the end, as ferror does for a FILE.
 */
typedef struct mg__markup {
    xmlTextWriterPtr w;
    int failed;
} mg__markup;

/* Start element `name`. */
void mg__mk_open(mg__markup *m, const char *name);
/* End the open element with an end tag (every HTML element but a void one). */
void mg__mk_close(mg__markup *m);
/* End the open element as `<name/>` when it is empty (SVG, and HTML void elements). */
void mg__mk_end(mg__markup *m);
/* Attribute name="value", the value cleaned to one line of XML 1.0 characters
 * without C1 controls, then escaped by libxml2. NULL writes nothing. */
void mg__mk_attr(mg__markup *m, const char *name, const char *value);
void mg__mk_attrf(mg__markup *m, const char *name, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Text, cleaned (newlines kept) and escaped. NULL writes nothing. */
void mg__mk_text(mg__markup *m, const char *s);
void mg__mk_textf(mg__markup *m, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Text cut to at most `max` characters (code points) of one line, "…" marking a
 * cut. */
void mg__mk_text_cut(mg__markup *m, const char *s, size_t max);
/* <name attr…>text</name> in one call: an element holding only cleaned text. */
void mg__mk_element(mg__markup *m, const char *name, const char *text);
/* Markup written as is: only for this program's own constant strings (CSS). */
void mg__mk_raw(mg__markup *m, const char *s);

#endif
