/*
 * The HTML report's plots, as inline SVG.
 *
 * Forest plot (one per sliced test). A row per slice, the estimate as a point and
 * the interval as a line, every model of the suite on its own line within the row
 * so that candidate and champion sit side by side; the threshold, or for a
 * comparison a second panel of Δ with zero and the margin, as vertical lines.
 * It has to stay legible at hundreds of slices, so:
 *
 * - rows are grouped by outcome (failed, errors, skipped, passed), a heading per
 *   group, and sorted worst first within a group (lowest estimate of a
 *   higher-is-better metric, smallest Δ), ties in the report's order;
 * - every row has its own band of height, so labels never overlap however many
 *   slices there are: the plot grows instead (a 300-slice test is about 5,000
 *   pixels tall, and scrolls);
 * - labels are cut to 34 characters with an ellipsis and clipped to their column,
 *   so a long or wide name cannot run into the plot; the full label, numbers and
 *   verdict are the row's <title>, which a browser shows on hover without script;
 * - marks differ in shape as well as colour, so a printed page still reads: a pass
 *   is a filled circle, a clear failure a filled diamond, an inconclusive one (the
 *   interval straddles the threshold, or there is no evidence) a hollow diamond,
 *   another model a hollow circle; a skipped or errored slice says why in words.
 *
 * Curves. Each model's pointwise band is a filled polygon (upper edge forward,
 * lower edge back), its curve a polyline over it, its operating point (the
 * threshold's FPR and TPR, or recall and precision) a ringed dot; the chance
 * diagonal, or the prevalence for precision–recall, is a dashed line.
 *
 * Colours are CSS classes (k0 … k7 per model, pass / fail / muted), so the page's
 * stylesheet sets them and its dark-mode and print rules apply to the plots too.
 * Coordinates are written with one decimal in the C locale (the caller's scope).
 */
#include "reporters/svg.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reporters/render.h"
#include "reporters/report_internal.h"

#define NCOLORS     8 /* model colour classes k0 … k7 */
#define LABEL_CHARS 34

/* ---- Axes ----------------------------------------------------------------- */

typedef struct axis {
    double lo, hi; /* domain */
    double x0, x1; /* pixels */
    double step;   /* tick spacing */
} axis;

static double px(const axis *a, double v)
{
    if (!(a->hi > a->lo))
        return (a->x0 + a->x1) / 2;
    if (v < a->lo)
        v = a->lo;
    if (v > a->hi)
        v = a->hi;
    return a->x0 + (v - a->lo) / (a->hi - a->lo) * (a->x1 - a->x0);
}

/* Widen [lo, hi] to round tick values: a 1, 2 or 5 step giving about five ticks. */
static void axis_nice(axis *a, double lo, double hi)
{
    double span, mag, f;
    if (!isfinite(lo) || !isfinite(hi)) {
        lo = 0;
        hi = 1;
    }
    if (hi <= lo) {
        double pad = fabs(lo) > 0 ? fabs(lo) * 0.05 : 0.5;
        lo -= pad;
        hi += pad;
    }
    span = hi - lo;
    mag = pow(10, floor(log10(span / 5)));
    f = span / 5 / mag;
    a->step = (f < 1.5 ? 1 : f < 3.5 ? 2 : f < 7.5 ? 5 : 10) * mag;
    a->lo = floor(lo / a->step) * a->step;
    a->hi = ceil(hi / a->step) * a->step;
}

static void line(mg__markup *m, const char *cls, double x1, double y1, double x2,
                 double y2)
{
    mg__mk_open(m, "line");
    mg__mk_attr(m, "class", cls);
    mg__mk_attrf(m, "x1", "%.1f", x1);
    mg__mk_attrf(m, "y1", "%.1f", y1);
    mg__mk_attrf(m, "x2", "%.1f", x2);
    mg__mk_attrf(m, "y2", "%.1f", y2);
    mg__mk_end(m);
}

static void text(mg__markup *m, const char *cls, double x, double y, const char *anchor,
                 const char *s)
{
    mg__mk_open(m, "text");
    mg__mk_attr(m, "class", cls);
    mg__mk_attrf(m, "x", "%.1f", x);
    mg__mk_attrf(m, "y", "%.1f", y);
    if (anchor != NULL)
        mg__mk_attr(m, "text-anchor", anchor);
    mg__mk_text(m, s);
    mg__mk_close(m);
}

/* Vertical grid lines and tick labels of a horizontal axis, labels at y. */
static void x_ticks(mg__markup *m, const axis *a, double top, double bottom, double y)
{
    for (double v = a->lo; v <= a->hi + a->step / 2; v += a->step) {
        char buf[32];
        double x = px(a, v);
        snprintf(buf, sizeof buf, "%g", fabs(v) < a->step / 1e6 ? 0.0 : v);
        line(m, "grid", x, top, x, bottom);
        text(m, "tick", x, y, "middle", buf);
    }
}

static void svg_open(mg__markup *m, double w, double h, const char *label)
{
    mg__mk_open(m, "svg");
    mg__mk_attr(m, "xmlns", "http://www.w3.org/2000/svg");
    mg__mk_attrf(m, "viewBox", "0 0 %.0f %.0f", w, h);
    mg__mk_attrf(m, "width", "%.0f", w);
    mg__mk_attrf(m, "height", "%.0f", h);
    mg__mk_attr(m, "role", "img");
    mg__mk_attr(m, "aria-label", label);
}

/* ---- Forest plot ------------------------------------------------------------ */

/* A case's place in the plot: its group and its sort key (smaller is worse). */
typedef struct row {
    const mg_case *c;
    size_t index;
    int group;
    int has_key;
    double key;
} row;

static int group_of(const mg_case *c)
{
    switch (c->outcome) {
    case MG_OUTCOME_FAIL:
        return 0;
    case MG_OUTCOME_ERROR:
        return 1;
    case MG_OUTCOME_SKIP:
        return 2;
    default:
        return 3;
    }
}

static const char *group_names[] = {"Failed", "Errors", "Skipped", "Passed"};

static int row_order(const void *pa, const void *pb)
{
    const row *a = pa, *b = pb;
    if (a->group != b->group)
        return a->group - b->group;
    if (a->has_key != b->has_key)
        return b->has_key - a->has_key;
    if (a->has_key && a->key != b->key)
        return a->key < b->key ? -1 : 1;
    return a->index < b->index ? -1 : a->index > b->index;
}

/* Whether a failed case's evidence was inconclusive rather than clearly failing. */
static int inconclusive(const mg_case *c)
{
    if (c->status == MG_STATUS_NO_EVIDENCE)
        return 1;
    for (size_t i = 0; i < c->nchecks && i < 2; i++)
        if (c->checks[i].finding == MG_FINDING_INCONCLUSIVE)
            return 1;
    return 0;
}

/* The model under test's peer, or -1. */
static long own_peer(const mg_case *c)
{
    for (size_t i = 0; i < c->npeers; i++)
        if (c->peers[i].model && c->model && strcmp(c->peers[i].model, c->model) == 0)
            return (long)i;
    return -1;
}

/* Lines per row: one per model with peers, else one. */
static size_t row_lines(const mg_case *c)
{
    return c->npeers > 0 ? c->npeers : 1;
}

size_t mg__svg_forest_marks(const mg_case *const *cases, size_t n)
{
    size_t marks = 0;
    for (size_t i = 0; i < n; i++) {
        const mg_case *c = cases[i];
        if (c->outcome == MG_OUTCOME_SKIP)
            continue;
        if (c->npeers > 0) {
            for (size_t q = 0; q < c->npeers; q++)
                marks += c->peers[q].has_estimate;
        } else {
            marks += c->has_estimate;
        }
        marks += c->has_delta;
    }
    return marks;
}

/* A point mark: its shape says the outcome (see the essay). */
static void mark(mg__markup *m, const char *shape, const char *cls, double x, double y,
                 double r)
{
    if (strcmp(shape, "diamond") == 0) {
        mg__mk_open(m, "path");
        mg__mk_attr(m, "class", cls);
        mg__mk_attrf(m, "d", "M%.1f %.1fl%.1f %.1fl%.1f %.1fl%.1f %.1fz", x, y - r - 1,
                     r + 1, r + 1, -(r + 1), r + 1, -(r + 1), -(r + 1));
        mg__mk_end(m);
        return;
    }
    mg__mk_open(m, "circle");
    mg__mk_attr(m, "class", cls);
    mg__mk_attrf(m, "cx", "%.1f", x);
    mg__mk_attrf(m, "cy", "%.1f", y);
    mg__mk_attrf(m, "r", "%.1f", r);
    mg__mk_end(m);
}

/* An estimate with its interval on one line of a row. */
static void interval(mg__markup *m, const axis *a, double y, int has_ci, double low,
                     double high, double est, const char *shape, const char *mark_cls,
                     const char *ci_cls, double r)
{
    if (has_ci) {
        line(m, ci_cls, px(a, low), y, px(a, high), y);
        line(m, ci_cls, px(a, low), y - 2.5, px(a, low), y + 2.5);
        line(m, ci_cls, px(a, high), y - 2.5, px(a, high), y + 2.5);
    }
    mark(m, shape, mark_cls, px(a, est), y, r);
}

/* The outcome's style: class of the mark, its shape. */
static void outcome_style(const mg_case *c, char *cls, size_t size, const char **shape)
{
    if (c->outcome == MG_OUTCOME_FAIL) {
        int open = inconclusive(c);
        snprintf(cls, size, "mark fail%s", open ? " hollow" : "");
        *shape = "diamond";
    } else {
        snprintf(cls, size, "mark pass");
        *shape = "circle";
    }
}

/* A row's tooltip: the full slice label, the numbers and the verdict. */
static void row_title(mg__markup *m, const mg_case *c)
{
    mg__mk_open(m, "title");
    mg__mk_text(m, mg__case_slice(c));
    mg__mk_text(m, "\n");
    for (size_t q = 0; q < c->npeers; q++) {
        const mg_case_peer *pe = &c->peers[q];
        if (!pe->has_estimate)
            continue;
        if (pe->has_ci)
            mg__mk_textf(m, "%.4f [%.4f, %.4f]", pe->estimate, pe->ci_low, pe->ci_high);
        else
            mg__mk_textf(m, "%.4f", pe->estimate);
        mg__mk_text(m, " ");
        mg__mk_text(m, pe->model);
        mg__mk_text(m, "\n");
    }
    mg__mk_text(m, mg__outcome_name(c->outcome));
    mg__mk_text(m, ": ");
    mg__mk_text(m, c->message);
    mg__mk_close(m);
}

/* A model's colour class: peers come in the suite's order, so the q-th model has
 * the same colour in every plot. */
static size_t model_color(size_t q)
{
    return q % NCOLORS;
}

/* Everything the plot's extent depends on, on one axis. */
static void extend(double *lo, double *hi, double v)
{
    if (!isfinite(v))
        return;
    if (v < *lo)
        *lo = v;
    if (v > *hi)
        *hi = v;
}

/* Whether every case has the same thresholds (one line then serves them all). */
static int same_thresholds(const mg_case *const *cases, size_t n)
{
    for (size_t i = 1; i < n; i++)
        if (cases[i]->has_at_least != cases[0]->has_at_least ||
            cases[i]->has_at_most != cases[0]->has_at_most ||
            (cases[0]->has_at_least && cases[i]->at_least != cases[0]->at_least) ||
            (cases[0]->has_at_most && cases[i]->at_most != cases[0]->at_most))
            return 0;
    return 1;
}

/* A vertical reference line across the rows, labelled above them. */
static void reference(mg__markup *m, const axis *a, double v, double top, double bottom,
                      const char *cls, const char *label)
{
    line(m, cls, px(a, v), top - 4, px(a, v), bottom);
    text(m, "ref", px(a, v), top - 6, "middle", label);
}

int mg__svg_forest(mg__markup *m, const mg_case *const *cases, size_t n, int id)
{
    const int comparison = n > 0 && cases[0]->has_delta;
    const double W = 820, LABEL_X = 8, LABEL_W = 230, TOP = 58, GROUP_H = 20;
    const double LINE_H = 6, PAD = 7;
    axis metric = {0}, delta = {0};
    double mlo = INFINITY, mhi = -INFINITY, dlo = INFINITY, dhi = -INFINITY, y, height;
    row *rows = NULL;
    size_t groups = 0;
    char cls[64], buf[160];

    if (n == 0)
        return 0;
    if ((rows = calloc(n, sizeof *rows)) == NULL) {
        m->failed = 1;
        return MG_ENOMEM;
    }
    for (size_t i = 0; i < n; i++) {
        const mg_case *c = cases[i];
        row *r = &rows[i];
        r->c = c;
        r->index = i;
        r->group = group_of(c);
        if (comparison && c->has_delta && c->outcome != MG_OUTCOME_SKIP) {
            r->has_key = 1;
            r->key = c->delta;
        } else if (!comparison && c->has_estimate && c->outcome != MG_OUTCOME_SKIP) {
            r->has_key = 1;
            r->key = c->direction < 0 ? -c->estimate : c->estimate;
        }
        for (size_t q = 0; q < c->npeers; q++) {
            const mg_case_peer *pe = &c->peers[q];
            if (!pe->has_estimate)
                continue;
            extend(&mlo, &mhi, pe->estimate);
            if (pe->has_ci)
                extend(&mlo, &mhi, pe->ci_low), extend(&mlo, &mhi, pe->ci_high);
        }
        if (c->has_estimate)
            extend(&mlo, &mhi, c->estimate);
        if (c->has_ci)
            extend(&mlo, &mhi, c->ci_low), extend(&mlo, &mhi, c->ci_high);
        if (c->has_at_least)
            extend(&mlo, &mhi, c->at_least);
        if (c->has_at_most)
            extend(&mlo, &mhi, c->at_most);
        if (c->has_delta && c->outcome != MG_OUTCOME_SKIP) {
            extend(&dlo, &dhi, c->delta);
            if (mg__case_has_delta_ci(c))
                extend(&dlo, &dhi, c->delta_ci_low),
                    extend(&dlo, &dhi, c->delta_ci_high);
        }
        if (comparison) {
            extend(&dlo, &dhi, 0);
            if (c->comparison != MG_COMPARE_SUPERIOR)
                extend(&dlo, &dhi, -c->margin);
            if (c->comparison != MG_COMPARE_NON_INFERIOR)
                extend(&dlo, &dhi, c->margin);
        }
    }
    qsort(rows, n, sizeof *rows, row_order);

    metric.x0 = LABEL_X + LABEL_W + 14;
    metric.x1 = comparison ? 505 : W - 16;
    delta.x0 = 575;
    delta.x1 = W - 16;
    axis_nice(&metric, mlo, mhi);
    if (comparison)
        axis_nice(&delta, dlo, dhi);

    height = TOP;
    for (size_t i = 0; i < n; i++) {
        if (i == 0 || rows[i].group != rows[i - 1].group)
            height += GROUP_H, groups++;
        height += PAD * 2 + LINE_H * (double)(row_lines(rows[i].c) - 1);
    }
    height += 30;

    snprintf(buf, sizeof buf, "forest plot of %s", cases[0]->test);
    svg_open(m, W, height, buf);
    mg__mk_attr(m, "class", "forest");

    /* The label column's clip, so no label can run into the plot. */
    mg__mk_open(m, "clipPath");
    mg__mk_attrf(m, "id", "clip%d", id);
    mg__mk_open(m, "rect");
    mg__mk_attr(m, "x", "0");
    mg__mk_attr(m, "y", "0");
    mg__mk_attrf(m, "width", "%.0f", LABEL_X + LABEL_W);
    mg__mk_attrf(m, "height", "%.0f", height);
    mg__mk_end(m);
    mg__mk_end(m);

    /* Panel titles, axes and reference lines. */
    snprintf(buf, sizeof buf, "%s%s", cases[0]->metric,
             cases[0]->direction < 0 ? " (lower is better)" : "");
    text(m, "axis-title", (metric.x0 + metric.x1) / 2, 14, "middle", buf);
    x_ticks(m, &metric, TOP - 16, height - 26, height - 12);
    if (comparison) {
        if (cases[0]->kind == MG_TEST_VS_OVERALL)
            snprintf(buf, sizeof buf,
                     "\xCE\x94 = slice \xE2\x88\x92 whole set (positive is better)");
        else if (cases[0]->kind == MG_TEST_WEAK_SLICE)
            snprintf(buf, sizeof buf,
                     "\xCE\x94 = slice \xE2\x88\x92 the rest (positive is better)");
        else
            snprintf(
                buf, sizeof buf, "\xCE\x94 = %s \xE2\x88\x92 %s (positive is better)",
                cases[0]->model, cases[0]->baseline ? cases[0]->baseline : "baseline");
        text(m, "axis-title", (delta.x0 + delta.x1) / 2, 14, "middle", buf);
        x_ticks(m, &delta, TOP - 16, height - 26, height - 12);
    }

    y = TOP;
    for (size_t i = 0; i < n; i++) {
        const mg_case *c = rows[i].c;
        size_t lines = row_lines(c);
        double row_h = PAD * 2 + LINE_H * (double)(lines - 1), mid;
        long own = own_peer(c);
        const char *shape;

        if (i == 0 || rows[i].group != rows[i - 1].group) {
            size_t count = 0;
            for (size_t j = i; j < n && rows[j].group == rows[i].group; j++)
                count++;
            snprintf(buf, sizeof buf, "%s (%zu)", group_names[rows[i].group], count);
            text(m, "group", LABEL_X, y + 14, NULL, buf);
            y += GROUP_H;
        }
        mid = y + row_h / 2;
        mg__mk_open(m, "g");
        mg__mk_attr(m, "class", i % 2 ? "row odd" : "row");
        row_title(m, c);
        mg__mk_open(m, "rect");
        mg__mk_attr(m, "class", "band-row");
        mg__mk_attr(m, "x", "0");
        mg__mk_attrf(m, "y", "%.1f", y);
        mg__mk_attrf(m, "width", "%.0f", W);
        mg__mk_attrf(m, "height", "%.1f", row_h);
        mg__mk_end(m);

        mg__mk_open(m, "text");
        mg__mk_attr(m, "class", "label");
        mg__mk_attrf(m, "x", "%.1f", LABEL_X + 8);
        mg__mk_attrf(m, "y", "%.1f", mid + 4);
        mg__mk_attrf(m, "clip-path", "url(#clip%d)", id);
        mg__mk_text_cut(m, mg__case_slice(c), LABEL_CHARS);
        mg__mk_close(m);

        outcome_style(c, cls, sizeof cls, &shape);
        if (c->outcome == MG_OUTCOME_SKIP || c->outcome == MG_OUTCOME_ERROR) {
            /* Nothing decided: say why in words, in the panel. */
            snprintf(buf, sizeof buf, "%s",
                     c->outcome == MG_OUTCOME_SKIP ? "skipped" : "error");
            mg__mk_open(m, "text");
            mg__mk_attr(m, "class", "note");
            mg__mk_attrf(m, "x", "%.1f", metric.x0 + 4);
            mg__mk_attrf(m, "y", "%.1f", y + PAD + 4);
            mg__mk_text(m, buf);
            mg__mk_text(m, ": ");
            mg__mk_text_cut(m, c->reason ? c->reason : c->message, 60);
            mg__mk_close(m);
        }
        if (c->outcome != MG_OUTCOME_SKIP) {
            if (c->npeers > 0) {
                for (size_t q = 0; q < c->npeers; q++) {
                    const mg_case_peer *pe = &c->peers[q];
                    double ly = y + PAD + LINE_H * (double)q;
                    char kc[48], mc[96];
                    if (!pe->has_estimate)
                        continue;
                    snprintf(kc, sizeof kc, "ci k%zu", model_color(q));
                    if ((long)q == own && !comparison && c->outcome != MG_OUTCOME_ERROR)
                        interval(m, &metric, ly, pe->has_ci, pe->ci_low, pe->ci_high,
                                 pe->estimate, shape, cls, kc, 3.5);
                    else {
                        snprintf(mc, sizeof mc, "mark peer k%zu%s", model_color(q),
                                 (long)q == own ? " own" : "");
                        interval(m, &metric, ly, pe->has_ci, pe->ci_low, pe->ci_high,
                                 pe->estimate, "circle", mc, kc, 2.8);
                    }
                }
            } else if (c->has_estimate && !c->has_delta) {
                interval(m, &metric, mid, c->has_ci, c->ci_low, c->ci_high, c->estimate,
                         shape, cls, "ci k0", 3.5);
            } else if (c->has_estimate) {
                /* A comparison without peers: the model's estimate, beside its Δ. */
                interval(m, &metric, mid, 0, 0, 0, c->estimate, "circle",
                         "mark peer k0 own", "ci k0", 2.8);
            }
            if (comparison && c->has_delta)
                interval(m, &delta, mid, mg__case_has_delta_ci(c), c->delta_ci_low,
                         c->delta_ci_high, c->delta, shape, cls, "ci delta", 3.5);
        }
        mg__mk_close(m); /* g */
        y += row_h;
    }
    /* Reference lines last, over the rows' stripes. */
    if (comparison) {
        line(m, "zero", px(&delta, 0), TOP - 10, px(&delta, 0), height - 26);
        if (cases[0]->comparison != MG_COMPARE_SUPERIOR) {
            snprintf(buf, sizeof buf, "\xE2\x88\x92%g", cases[0]->margin);
            reference(m, &delta, -cases[0]->margin, TOP - 10, height - 26, "threshold",
                      buf);
        }
        if (cases[0]->comparison != MG_COMPARE_NON_INFERIOR) {
            snprintf(buf, sizeof buf, "+%g", cases[0]->margin);
            reference(m, &delta, cases[0]->margin, TOP - 10, height - 26, "threshold",
                      buf);
        }
    } else if (!same_thresholds(cases, n)) {
        /* Thresholds per slice: a tick across each row at its own. */
        double ty = TOP;
        for (size_t i = 0; i < n; i++) {
            const mg_case *c = rows[i].c;
            double row_h = PAD * 2 + LINE_H * (double)(row_lines(c) - 1);
            if (i == 0 || rows[i].group != rows[i - 1].group)
                ty += GROUP_H;
            if (c->has_at_least)
                line(m, "threshold", px(&metric, c->at_least), ty + 1,
                     px(&metric, c->at_least), ty + row_h - 1);
            if (c->has_at_most)
                line(m, "threshold", px(&metric, c->at_most), ty + 1,
                     px(&metric, c->at_most), ty + row_h - 1);
            ty += row_h;
        }
        text(m, "ref", (metric.x0 + metric.x1) / 2, TOP - 16, "middle",
             "thresholds per slice (dashed)");
    } else {
        if (cases[0]->has_at_least) {
            snprintf(buf, sizeof buf, "\xE2\x89\xA5 %g", cases[0]->at_least);
            reference(m, &metric, cases[0]->at_least, TOP - 10, height - 26,
                      "threshold", buf);
        }
        if (cases[0]->has_at_most) {
            snprintf(buf, sizeof buf, "\xE2\x89\xA4 %g", cases[0]->at_most);
            reference(m, &metric, cases[0]->at_most, TOP - 10, height - 26, "threshold",
                      buf);
        }
    }
    (void)groups;
    mg__mk_close(m); /* svg */
    free(rows);
    return m->failed ? MG_ENOMEM : 0;
}

/* ---- Curves ------------------------------------------------------------------ */

void mg__svg_curves(mg__markup *m, const mg_curve *const *curves, size_t n, int id)
{
    const int roc = n == 0 || curves[0]->kind == MG_CURVE_ROC;
    const double W = 400, X0 = 52, X1 = 384, Y0 = 16, Y1 = 336;
    axis ax = {0, 1, X0, X1, 0.2}, ay = {0, 1, Y1, Y0, 0.2};
    double height = Y1 + 44 + 18 * (double)n;
    char buf[160];

    (void)id;
    svg_open(m, W, height,
             roc ? "ROC curves with pointwise bootstrap bands"
                 : "precision-recall curves with pointwise bootstrap bands");
    mg__mk_attr(m, "class", "curves");
    x_ticks(m, &ax, Y0, Y1, Y1 + 16);
    for (double v = 0; v <= 1.0001; v += 0.2) {
        snprintf(buf, sizeof buf, "%g", fabs(v) < 1e-9 ? 0.0 : v);
        line(m, "grid", X0, px(&ay, v), X1, px(&ay, v));
        text(m, "tick", X0 - 6, px(&ay, v) + 4, "end", buf);
    }
    text(m, "axis-title", (X0 + X1) / 2, Y1 + 34, "middle",
         roc ? "false positive rate (1 \xE2\x88\x92 specificity)" : "recall");
    mg__mk_open(m, "text");
    mg__mk_attr(m, "class", "axis-title");
    mg__mk_attr(m, "text-anchor", "middle");
    mg__mk_attrf(m, "transform", "translate(14 %.1f) rotate(-90)", (Y0 + Y1) / 2);
    mg__mk_text(m, roc ? "true positive rate (recall)" : "precision");
    mg__mk_close(m);
    if (roc)
        line(m, "chance", X0, Y1, X1, Y0);
    else if (n > 0 && isfinite(curves[0]->prevalence))
        line(m, "chance", X0, px(&ay, curves[0]->prevalence), X1,
             px(&ay, curves[0]->prevalence));

    for (size_t k = 0; k < n; k++) {
        const mg_curve *c = curves[k];
        char cls[48];
        if (c->npoints == 0)
            continue;
        if (c->has_band) {
            xmlBufferPtr pts = xmlBufferCreate();
            if (pts == NULL) {
                m->failed = 1;
                return;
            }
            for (size_t j = 0; j < c->npoints; j++) {
                snprintf(buf, sizeof buf, "%s%.1f,%.1f", j ? " " : "", px(&ax, c->x[j]),
                         px(&ay, c->high[j]));
                xmlBufferCat(pts, BAD_CAST buf);
            }
            for (size_t j = c->npoints; j-- > 0;) {
                snprintf(buf, sizeof buf, " %.1f,%.1f", px(&ax, c->x[j]),
                         px(&ay, c->low[j]));
                xmlBufferCat(pts, BAD_CAST buf);
            }
            snprintf(cls, sizeof cls, "mark band k%zu", k % NCOLORS);
            mg__mk_open(m, "polygon");
            mg__mk_attr(m, "class", cls);
            mg__mk_attr(m, "points", (const char *)xmlBufferContent(pts));
            mg__mk_end(m);
            xmlBufferFree(pts);
        }
        {
            xmlBufferPtr pts = xmlBufferCreate();
            if (pts == NULL) {
                m->failed = 1;
                return;
            }
            for (size_t j = 0; j < c->npoints; j++) {
                snprintf(buf, sizeof buf, "%s%.1f,%.1f", j ? " " : "", px(&ax, c->x[j]),
                         px(&ay, c->y[j]));
                xmlBufferCat(pts, BAD_CAST buf);
            }
            snprintf(cls, sizeof cls, "mark curve k%zu", k % NCOLORS);
            mg__mk_open(m, "polyline");
            mg__mk_attr(m, "class", cls);
            mg__mk_attr(m, "points", (const char *)xmlBufferContent(pts));
            mg__mk_end(m);
            xmlBufferFree(pts);
        }
        if (c->has_operating_point) {
            snprintf(cls, sizeof cls, "mark op k%zu", k % NCOLORS);
            mg__mk_open(m, "circle");
            mg__mk_attr(m, "class", cls);
            mg__mk_attrf(m, "cx", "%.1f", px(&ax, c->operating_x));
            mg__mk_attrf(m, "cy", "%.1f", px(&ay, c->operating_y));
            mg__mk_attr(m, "r", "4.5");
            mg__mk_open(m, "title");
            mg__mk_text(m, c->model);
            mg__mk_textf(m, " at threshold %g: %s %.4f, %s %.4f", c->threshold,
                         roc ? "false positive rate" : "recall", c->operating_x,
                         roc ? "true positive rate" : "precision", c->operating_y);
            mg__mk_close(m);
            mg__mk_end(m);
        }
    }
    /* Legend: one line per model. */
    for (size_t k = 0; k < n; k++) {
        const mg_curve *c = curves[k];
        double ly = Y1 + 52 + 18 * (double)k;
        char cls[48];
        snprintf(cls, sizeof cls, "swatch k%zu", k % NCOLORS);
        mg__mk_open(m, "rect");
        mg__mk_attr(m, "class", cls);
        mg__mk_attrf(m, "x", "%.1f", X0);
        mg__mk_attrf(m, "y", "%.1f", ly - 9);
        mg__mk_attr(m, "width", "18");
        mg__mk_attr(m, "height", "10");
        mg__mk_end(m);
        mg__mk_open(m, "text");
        mg__mk_attr(m, "class", "legend");
        mg__mk_attrf(m, "x", "%.1f", X0 + 26);
        mg__mk_attrf(m, "y", "%.1f", ly);
        mg__mk_text_cut(m, c->model, 28);
        if (c->npoints == 0)
            mg__mk_textf(m, ": no curve (%s)", c->reason ? c->reason : "undefined");
        else {
            if (c->has_area)
                mg__mk_textf(m, "  %s %.3f", roc ? "AUC" : "AP", c->area);
            if (!c->has_band)
                mg__mk_text(m, " (no band)");
        }
        mg__mk_close(m);
    }
    mg__mk_close(m); /* svg */
}

/* ---- Reliability diagram ------------------------------------------------------ */

void mg__svg_reliability(mg__markup *m, const char *model,
                         const mg__reliability_bin *bins, size_t n, int id)
{
    const double W = 400, X0 = 52, X1 = 384, Y0 = 16, Y1 = 316, H0 = 330, H1 = 380;
    axis ax = {0, 1, X0, X1, 0.2}, ay = {0, 1, Y1, Y0, 0.2};
    size_t most = 0;
    char buf[96];

    (void)id;
    for (size_t i = 0; i < n; i++)
        if (bins[i].count > most)
            most = bins[i].count;
    snprintf(buf, sizeof buf, "reliability diagram of %s", model ? model : "a model");
    svg_open(m, W, H1 + 40, buf);
    mg__mk_attr(m, "class", "reliability");
    x_ticks(m, &ax, Y0, Y1, H1 + 16);
    for (double v = 0; v <= 1.0001; v += 0.2) {
        snprintf(buf, sizeof buf, "%g", fabs(v) < 1e-9 ? 0.0 : v);
        line(m, "grid", X0, px(&ay, v), X1, px(&ay, v));
        text(m, "tick", X0 - 6, px(&ay, v) + 4, "end", buf);
    }
    line(m, "chance", X0, Y1, X1, Y0);
    text(m, "axis-title", (X0 + X1) / 2, H1 + 34, "middle",
         "mean predicted probability");
    mg__mk_open(m, "text");
    mg__mk_attr(m, "class", "axis-title");
    mg__mk_attr(m, "text-anchor", "middle");
    mg__mk_attrf(m, "transform", "translate(14 %.1f) rotate(-90)", (Y0 + Y1) / 2);
    mg__mk_text(m, "observed share of positives");
    mg__mk_close(m);
    for (size_t i = 0; i < n; i++) {
        const mg__reliability_bin *b = &bins[i];
        double x = px(&ax, b->predicted), y = px(&ay, b->observed), h;
        if (b->count == 0 || !isfinite(b->predicted) || !isfinite(b->observed))
            continue;
        /* The histogram bar under the plot: the bin's rows. */
        h = (H1 - H0) * (double)b->count / (double)most;
        mg__mk_open(m, "rect");
        mg__mk_attr(m, "class", "bar");
        mg__mk_attrf(m, "x", "%.1f", x - 3);
        mg__mk_attrf(m, "y", "%.1f", H1 - h);
        mg__mk_attr(m, "width", "6");
        mg__mk_attrf(m, "height", "%.1f", h);
        mg__mk_end(m);
        mg__mk_open(m, "g");
        mg__mk_open(m, "title");
        mg__mk_textf(m, "%zu rows: predicted %.4f, observed %.4f", b->count,
                     b->predicted, b->observed);
        if (b->has_ci)
            mg__mk_textf(m, " [%.4f, %.4f]", b->low, b->high);
        mg__mk_close(m);
        if (b->has_ci)
            line(m, "ci k0", x, px(&ay, b->low), x, px(&ay, b->high));
        mark(m, "circle", "mark pass", x, y, 3.5);
        mg__mk_close(m);
    }
    mg__mk_close(m); /* svg */
}
