/*
 * Numbers in the C locale whatever the host set (not installed). Everything the
 * library writes for people or programs to read (reports, messages, slice labels)
 * is formatted inside such a scope, so a host under de_DE.UTF-8 still gets "0.95".
 */
#ifndef MG_COMMON_CLOCALE_H
#define MG_COMMON_CLOCALE_H

#include <locale.h>

/*
 * A scope in which this thread formats numbers in the C locale, whatever
 * LC_NUMERIC the host set: printf's "%.3f" then always writes '.'. uselocale is
 * per-thread, so other threads of the host are not affected.
 */
typedef struct mg__c_numeric {
    locale_t c;     /* the locale this scope installed, or 0 */
    locale_t saved; /* the thread's locale before */
} mg__c_numeric;

/* Enter the scope. Returns 0 or MG_ENOMEM (then nothing changed). */
int mg__c_numeric_begin(mg__c_numeric *s);
/* Leave the scope; a no-op when begin failed or was not called (zeroed struct). */
void mg__c_numeric_end(mg__c_numeric *s);

#endif
