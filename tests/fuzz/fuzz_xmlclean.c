/*
 * libFuzzer target: the report string cleaner (reporters/xmlclean.c).
 *
 * Input layout: one byte of flags (MG__CLEAN_XML, _C1, _ONE_LINE in its low bits),
 * then the string, NUL bytes included.
 *
 * Oracles, each independent of the decoder under test:
 *   - the output is valid UTF-8 by a separate table-driven check (Unicode 15,
 *     table 3-7), at most 3 bytes per input byte, NUL-terminated at out_len;
 *   - no code point the flags exclude survives;
 *   - input that is already clean comes back unchanged, and cleaning is idempotent;
 *   - with MG__CLEAN_XML, libxml2 parses the output as the text of an element, and
 *     mg__xml_clean on the input up to its first NUL gives the same bytes as
 *     mg__text_clean_n on that prefix;
 *   - jansson accepts the output as a JSON string.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <libxml/parser.h>

#include "reporters/xmlclean.h"

#include "fuzz_common.h"

/* Length of the well-formed sequence at s, storing its code point, or 0. */
static size_t utf8_next(const uint8_t *s, size_t n, uint32_t *cp)
{
    uint8_t b = s[0];

    if (b < 0x80) {
        *cp = b;
        return 1;
    }
    if (b >= 0xC2 && b <= 0xDF && n >= 2 && (s[1] & 0xC0) == 0x80) {
        *cp = ((uint32_t)(b & 0x1F) << 6) | (s[1] & 0x3F);
        return 2;
    }
    if (b >= 0xE0 && b <= 0xEF && n >= 3 && (s[1] & 0xC0) == 0x80 &&
        (s[2] & 0xC0) == 0x80) {
        uint32_t v = ((uint32_t)(b & 0x0F) << 12) | ((uint32_t)(s[1] & 0x3F) << 6) |
                     (s[2] & 0x3F);
        if (v < 0x800 || (v >= 0xD800 && v <= 0xDFFF))
            return 0;
        *cp = v;
        return 3;
    }
    if (b >= 0xF0 && b <= 0xF4 && n >= 4 && (s[1] & 0xC0) == 0x80 &&
        (s[2] & 0xC0) == 0x80 && (s[3] & 0xC0) == 0x80) {
        uint32_t v = ((uint32_t)(b & 0x07) << 18) | ((uint32_t)(s[1] & 0x3F) << 12) |
                     ((uint32_t)(s[2] & 0x3F) << 6) | (s[3] & 0x3F);
        if (v < 0x10000 || v > 0x10FFFF)
            return 0;
        *cp = v;
        return 4;
    }
    return 0;
}

static int excluded(uint32_t cp, unsigned flags)
{
    if ((flags & MG__CLEAN_XML) &&
        ((cp < 0x20 && cp != 0x09 && cp != 0x0A && cp != 0x0D) || cp == 0xFFFE ||
         cp == 0xFFFF))
        return 1;
    if ((flags & MG__CLEAN_C1) && (cp == 0x7F || (cp >= 0x80 && cp <= 0x9F)))
        return 1;
    if ((flags & MG__CLEAN_ONE_LINE) && (cp == 0x09 || cp == 0x0A || cp == 0x0D))
        return 1;
    return 0;
}

/* Whether s[0..n) is valid UTF-8 with no code point the flags exclude. */
static int is_clean(const uint8_t *s, size_t n, unsigned flags)
{
    size_t i = 0, k;
    uint32_t cp;

    while (i < n) {
        if ((k = utf8_next(s + i, n - i, &cp)) == 0 || excluded(cp, flags))
            return 0;
        i += k;
    }
    return 1;
}

/* <a>text</a> with &, < and > escaped ("]]>" is not allowed in content): libxml2
 * must read it. */
static void check_xml(const char *s, size_t n)
{
    char *doc = malloc(5 * n + 16), *p = doc;
    xmlDocPtr x;

    FUZZ_CHECK(doc != NULL);
    p += sprintf(p, "<a>");
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '&')
            p += sprintf(p, "&amp;");
        else if (s[i] == '<')
            p += sprintf(p, "&lt;");
        else if (s[i] == '>')
            p += sprintf(p, "&gt;");
        else
            *p++ = s[i];
    }
    p += sprintf(p, "</a>");
    x = xmlReadMemory(doc, (int)(p - doc), "fuzz.xml", "UTF-8",
                      XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    FUZZ_CHECK(x != NULL);
    xmlFreeDoc(x);
    free(doc);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *out = NULL, *again = NULL;
    size_t out_len = 0, again_len = 0;
    unsigned flags;
    json_t *j;

    if (size < 1 || size > 1 << 20)
        return 0;
    flags = data[0] & (MG__CLEAN_XML | MG__CLEAN_C1 | MG__CLEAN_ONE_LINE);
    data++;
    size--;

    FUZZ_CHECK(mg__text_clean_n((const char *)data, size, flags, &out, &out_len) == 0);
    FUZZ_CHECK(out != NULL && out_len <= 3 * size && out[out_len] == '\0');
    /* ONE_LINE turns tab and line ends into spaces: they must be gone, not kept. */
    FUZZ_CHECK(is_clean((const uint8_t *)out, out_len, flags));
    if (is_clean(data, size, flags))
        FUZZ_CHECK(out_len == size && memcmp(out, data, size) == 0);
    FUZZ_CHECK(mg__text_clean_n(out, out_len, flags, &again, &again_len) == 0);
    FUZZ_CHECK(again_len == out_len && memcmp(again, out, out_len) == 0);
    free(again);

    j = json_stringn(out, out_len);
    FUZZ_CHECK(j != NULL);
    json_decref(j);

    if (flags & MG__CLEAN_XML) {
        size_t prefix = strnlen((const char *)data, size);
        char *copy = malloc(prefix + 1), *xml = NULL, *ref = NULL;
        FUZZ_CHECK(copy != NULL);
        memcpy(copy, data, prefix);
        copy[prefix] = '\0';
        check_xml(out, out_len);
        FUZZ_CHECK(mg__xml_clean(copy, &xml) == 0);
        FUZZ_CHECK(mg__text_clean_n(copy, prefix, MG__CLEAN_XML, &ref, NULL) == 0);
        FUZZ_CHECK(strcmp(xml, ref) == 0);
        free(copy);
        free(xml);
        free(ref);
    }
    free(out);
    return 0;
}
