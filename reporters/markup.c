/*
 * Markup through libxml2: the HTML report and its SVG plots are written with an
 * xmlTextWriter, which escapes '<', '>' and '&' in text and '"' in attributes, so
 * no string from a suite or a data file can open a tag, close an attribute or end
 * the page (a slice named "</script>" is text). Before that, every string is
 * cleaned (xmlclean.c): bytes that are not UTF-8 become U+FFFD, and so do the code
 * points XML 1.0 forbids (NUL and the C0 controls but tab and newline) and the C1
 * controls, which HTML parsers also reject. The output is then well-formed XML as
 * well as HTML, which is what lets a test parse the report with an XML parser.
 *
 * Errors stick: the first failing call marks the writer failed and every later call
 * does nothing, so a page is written as straight-line code and checked once.
 */
#include "reporters/markup.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reporters/xmlclean.h"

static void check(mg__markup *m, int rc)
{
    if (rc < 0)
        m->failed = 1;
}

void mg__mk_open(mg__markup *m, const char *name)
{
    if (!m->failed)
        check(m, xmlTextWriterStartElement(m->w, BAD_CAST name));
}

void mg__mk_close(mg__markup *m)
{
    if (!m->failed)
        check(m, xmlTextWriterFullEndElement(m->w));
}

void mg__mk_end(mg__markup *m)
{
    if (!m->failed)
        check(m, xmlTextWriterEndElement(m->w));
}

/* s cleaned by `flags`, or NULL (and the writer failed) when out of memory. */
static char *clean(mg__markup *m, const char *s, unsigned flags)
{
    char *out = NULL;
    if (mg__text_clean(s, MG__CLEAN_XML | MG__CLEAN_C1 | flags, &out) < 0)
        m->failed = 1;
    return out;
}

void mg__mk_attr(mg__markup *m, const char *name, const char *value)
{
    char *c;
    if (m->failed || value == NULL || (c = clean(m, value, MG__CLEAN_ONE_LINE)) == NULL)
        return;
    check(m, xmlTextWriterWriteAttribute(m->w, BAD_CAST name, BAD_CAST c));
    free(c);
}

void mg__mk_attrf(mg__markup *m, const char *name, const char *fmt, ...)
{
    char buf[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    mg__mk_attr(m, name, buf);
}

void mg__mk_text(mg__markup *m, const char *s)
{
    char *c;
    if (m->failed || s == NULL || (c = clean(m, s, 0)) == NULL)
        return;
    check(m, xmlTextWriterWriteString(m->w, BAD_CAST c));
    free(c);
}

void mg__mk_textf(mg__markup *m, const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    mg__mk_text(m, buf);
}

void mg__mk_text_cut(mg__markup *m, const char *s, size_t max)
{
    char *c;
    size_t i = 0, chars = 0;
    if (m->failed || s == NULL || (c = clean(m, s, MG__CLEAN_ONE_LINE)) == NULL)
        return;
    /* Count code points (clean UTF-8: a character starts at every non-continuation
     * byte) and cut before the one past `max` − 1, leaving room for the ellipsis. */
    for (; c[i] != '\0'; i++)
        if (((unsigned char)c[i] & 0xC0) != 0x80 && ++chars == max)
            break;
    if (c[i] != '\0') {
        size_t rest = 0;
        for (size_t j = i; c[j] != '\0'; j++)
            rest += ((unsigned char)c[j] & 0xC0) != 0x80;
        if (rest > 1) { /* more than the last character: cut and mark the cut */
            c[i] = '\0';
            check(m, xmlTextWriterWriteString(m->w, BAD_CAST c));
            check(m, xmlTextWriterWriteString(m->w, BAD_CAST "\xE2\x80\xA6"));
            free(c);
            return;
        }
    }
    check(m, xmlTextWriterWriteString(m->w, BAD_CAST c));
    free(c);
}

void mg__mk_element(mg__markup *m, const char *name, const char *text)
{
    mg__mk_open(m, name);
    mg__mk_text(m, text);
    mg__mk_close(m);
}

void mg__mk_raw(mg__markup *m, const char *s)
{
    if (!m->failed)
        check(m, xmlTextWriterWriteRaw(m->w, BAD_CAST s));
}
