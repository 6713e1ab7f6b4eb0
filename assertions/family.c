/*
 * Multiple-testing corrections for a family of slices, in interval form.
 *
 * A lenient family fails when any one slice fails, so with many slices noise alone
 * would trip it: its levels are adjusted. Bonferroni puts every slice at 1 − α/k.
 * Holm's step-down (Holm 1979, "A simple sequentially rejective multiple test
 * procedure", Scand J Statist 6:65–70), in interval form: with r slices still
 * standing, every one whose interval at 1 − α/r lies entirely on the failing side
 * fails; repeat with the smaller r until none fails. Rejecting all of a step's
 * slices at once is the same as Holm's one-at-a-time order, since a smaller r only
 * widens the level. A strict family needs every slice to pass on its own, an
 * intersection–union test whose error rate needs no correction.
 *
 * The procedure only asks for outcomes at a level (a probe the runner supplies), so
 * it is the same for any test kind that yields several cases.
 */
#include "assertions/family.h"

#include <stdlib.h>

#include "modelgate/error.h"

mg_correction mg__family_correction(mg_correction asked, mg_rule rule)
{
    if (rule != MG_RULE_LENIENT)
        return MG_CORRECTION_NONE;
    return asked == MG_CORRECTION_DEFAULT ? MG_CORRECTION_HOLM : asked;
}

int mg__family_levels(mg_correction correction, double confidence, size_t n,
                      mg__family_probe probe, void *ctx, double *level,
                      size_t *family_size)
{
    double alpha = 1 - confidence;
    unsigned char *standing;
    size_t r = 0;
    int rc = 0;

    *family_size = 0;
    for (size_t q = 0; q < n; q++)
        level[q] = confidence;
    if (correction == MG_CORRECTION_NONE || correction == MG_CORRECTION_DEFAULT ||
        n <= 1)
        return 0;
    if ((standing = calloc(n, 1)) == NULL)
        return MG_ENOMEM;
    /* The family: the members that are neither skipped nor undefined. */
    for (size_t q = 0; q < n; q++) {
        mg_outcome o;
        if ((rc = probe(ctx, q, confidence, &o)) != 0)
            goto cleanup;
        standing[q] = o == MG_OUTCOME_PASS || o == MG_OUTCOME_FAIL;
        r += standing[q];
    }
    if (r <= 1)
        goto cleanup;
    *family_size = r;
    while (r > 0) {
        double lvl = 1 - alpha / (double)r;
        size_t failed = 0;
        for (size_t q = 0; q < n; q++) {
            mg_outcome o;
            if (!standing[q])
                continue;
            level[q] = lvl;
            if ((rc = probe(ctx, q, lvl, &o)) != 0)
                goto cleanup;
            if (o == MG_OUTCOME_FAIL && correction == MG_CORRECTION_HOLM) {
                standing[q] = 0;
                failed++;
            }
        }
        if (failed == 0)
            break;
        r -= failed;
    }
cleanup:
    free(standing);
    return rc;
}
