/*
 * A per-thread C-locale scope for number formatting (uselocale), so that a host
 * program's LC_NUMERIC never reaches what the library writes.
 */
#include "common/clocale.h"

#include "modelgate/error.h"

int mg__c_numeric_begin(mg__c_numeric *s)
{
    /* Start from a copy of the thread's locale so that only LC_NUMERIC changes. (glibc
     * 2.36's newlocale leaks its search list, some 50 bytes a call, when the host sets
     * LOCPATH; a run makes a handful of calls.) */
    locale_t base = duplocale(uselocale((locale_t)0));

    s->c = (locale_t)0;
    s->saved = (locale_t)0;
    if (base == (locale_t)0)
        return MG_ENOMEM;
    s->c = newlocale(LC_NUMERIC_MASK, "C", base);
    if (s->c == (locale_t)0) {
        freelocale(base);
        return MG_ENOMEM;
    }
    s->saved = uselocale(s->c);
    if (s->saved == (locale_t)0) {
        freelocale(s->c);
        s->c = (locale_t)0;
        return MG_ENOMEM;
    }
    return 0;
}

void mg__c_numeric_end(mg__c_numeric *s)
{
    if (s->c == (locale_t)0)
        return;
    uselocale(s->saved);
    freelocale(s->c);
    s->c = (locale_t)0;
}
