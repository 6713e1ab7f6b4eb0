/*
 * Cleaning strings for reports.
 *
 * Test names, slice labels and verdict messages come from suite files and data the
 * user wrote, so they may hold bytes that are not UTF-8 (a Latin-1 CSV), control
 * characters, or escape sequences. XML 1.0 forbids most C0 controls and U+FFFE/FFFF
 * even as character references, so a single one makes a JUnit file unreadable; jansson
 * refuses strings that are not UTF-8; a terminal obeys ESC and the C1 controls. Every
 * reporter therefore passes its strings through this one decoder first.
 *
 * The decoder follows the well-formed byte sequences of Unicode 15, table 3-7: the
 * second byte's range depends on the lead byte (E0 needs A0..BF to rule out overlong
 * forms, ED needs 80..9F to rule out surrogates, F0 needs 90..BF, F4 needs 80..8F to
 * stay below U+110000), later bytes are 80..BF. When a sequence breaks off, the lead
 * byte and the continuation bytes accepted so far (the "maximal subpart") become one
 * U+FFFD and decoding resumes at the offending byte. This is the practice the W3C
 * and WHATWG encoding standard require, so the number of replacement characters is
 * the same as a browser would show. Lead bytes C0, C1 and F5..FF can start nothing
 * and each becomes one U+FFFD, as does a stray continuation byte.
 *
 * Each input byte yields at most 3 output bytes (one U+FFFD), which bounds the
 * allocation.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "modelgate/error.h"
#include "reporters/xmlclean.h"

/* Append U+FFFD. */
static char *put_replacement(char *p)
{
    *p++ = (char)0xEF;
    *p++ = (char)0xBF;
    *p++ = (char)0xBD;
    return p;
}

/*
 * Decode one well-formed UTF-8 sequence at s[0..len). Returns its length and stores
 * the code point, or returns 0 and stores in *bad the length of the maximal
 * ill-formed subpart (at least 1) to replace.
 */
static size_t decode(const unsigned char *s, size_t len, uint32_t *cp, size_t *bad)
{
    unsigned char b = s[0], lo = 0x80, hi = 0xBF;
    size_t need, i;
    uint32_t v;

    if (b < 0x80) {
        *cp = b;
        return 1;
    }
    if (b >= 0xC2 && b <= 0xDF) {
        need = 2;
        v = b & 0x1Fu;
    } else if (b >= 0xE0 && b <= 0xEF) {
        need = 3;
        v = b & 0x0Fu;
        if (b == 0xE0)
            lo = 0xA0;
        else if (b == 0xED)
            hi = 0x9F;
    } else if (b >= 0xF0 && b <= 0xF4) {
        need = 4;
        v = b & 0x07u;
        if (b == 0xF0)
            lo = 0x90;
        else if (b == 0xF4)
            hi = 0x8F;
    } else {
        *bad = 1;
        return 0;
    }
    for (i = 1; i < need; i++) {
        if (i >= len || s[i] < lo || s[i] > hi) {
            *bad = i;
            return 0;
        }
        v = (v << 6) | (s[i] & 0x3Fu);
        lo = 0x80;
        hi = 0xBF;
    }
    *cp = v;
    return need;
}

/* Whether the flags keep code point cp. */
static int allowed(uint32_t cp, unsigned flags)
{
    if (flags & MG__CLEAN_XML) {
        if (cp < 0x20 && cp != 0x09 && cp != 0x0A && cp != 0x0D)
            return 0;
        if (cp == 0xFFFE || cp == 0xFFFF)
            return 0;
    }
    if ((flags & MG__CLEAN_C1) && (cp == 0x7F || (cp >= 0x80 && cp <= 0x9F)))
        return 0;
    return 1;
}

int mg__text_clean_n(const char *in, size_t len, unsigned flags, char **out,
                     size_t *out_len)
{
    const unsigned char *s = (const unsigned char *)in;
    char *buf, *p;
    size_t i = 0, n, bad;
    uint32_t cp;

    *out = NULL;
    if (out_len)
        *out_len = 0;
    if (len > (SIZE_MAX - 1) / 3)
        return MG_ENOMEM;
    buf = malloc(3 * len + 1);
    if (buf == NULL)
        return MG_ENOMEM;
    p = buf;
    while (i < len) {
        n = decode(s + i, len - i, &cp, &bad);
        if (n == 0) {
            p = put_replacement(p);
            i += bad;
            continue;
        }
        if ((flags & MG__CLEAN_ONE_LINE) && (cp == 0x09 || cp == 0x0A || cp == 0x0D))
            *p++ = ' ';
        else if (!allowed(cp, flags))
            p = put_replacement(p);
        else {
            memcpy(p, s + i, n);
            p += n;
        }
        i += n;
    }
    *p = '\0';
    *out = buf;
    if (out_len)
        *out_len = (size_t)(p - buf);
    return 0;
}

int mg__text_clean(const char *in, unsigned flags, char **out)
{
    if (in == NULL)
        in = "";
    return mg__text_clean_n(in, strlen(in), flags, out, NULL);
}

int mg__xml_clean(const char *in, char **out)
{
    return mg__text_clean(in, MG__CLEAN_XML, out);
}
