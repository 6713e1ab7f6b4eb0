/*
 * Private to reporters/: cleaning arbitrary bytes into text that every output format
 * can carry. A fuzzer targets mg__text_clean_n directly, so it takes a length and
 * accepts embedded NUL bytes.
 */
#ifndef MG_REPORTERS_XMLCLEAN_H
#define MG_REPORTERS_XMLCLEAN_H

#include <stddef.h>

/* Flags for mg__text_clean_n. Without flags only ill-formed UTF-8 is replaced. */
enum {
    /* Also replace code points that are not XML 1.0 Chars: C0 controls other than
     * tab, newline and carriage return, U+FFFE and U+FFFF (NUL included). */
    MG__CLEAN_XML = 1u << 0,
    /* Also replace DEL and the C1 controls U+0080..U+009F, which a terminal may read
     * as escape sequences. */
    MG__CLEAN_C1 = 1u << 1,
    /* Turn tab, newline and carriage return into spaces (one-line table cells). */
    MG__CLEAN_ONE_LINE = 1u << 2
};

/*
 * Copy `len` bytes of `in` (may be NULL when len is 0) to a new NUL-terminated string
 * in *out (malloc; the caller frees it), replacing each maximal ill-formed subpart of
 * a UTF-8 sequence (Unicode 15, section 3.9, "U+FFFD substitution of maximal
 * subparts") with U+FFFD, and the code points the flags exclude with U+FFFD too.
 * Overlong forms, encoded surrogates and values above U+10FFFF are ill-formed. The
 * output is valid UTF-8 and at most 3 * len bytes long. *out_len (may be NULL)
 * receives its length. Returns 0, or MG_ENOMEM (then *out is NULL).
 */
int mg__text_clean_n(const char *in, size_t len, unsigned flags, char **out,
                     size_t *out_len);

/* mg__text_clean_n over a NUL-terminated string; NULL reads as "". */
int mg__text_clean(const char *in, unsigned flags, char **out);

/* The XML 1.0 cleaner: mg__text_clean(in, MG__CLEAN_XML, out). */
int mg__xml_clean(const char *in, char **out);

#endif
