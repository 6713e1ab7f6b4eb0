#!/usr/bin/env Rscript
# Write tests/reference/curve_r.h: calibration intercept and slope from R's glm,
# partial AUC and ROC operating points from pROC.
#
#   Rscript tests/reference/make_curve_reference.R tests/reference/curve_r.h
#
# Data: tests/data/curve/breast_cancer_scores.csv (written by
# make_curve_reference.py from scikit-learn's breast cancer data; slice `size`) and
# pROC's aSAH (tests/reference/asah.csv; score s100b, slice `wfns` low 1-2, high
# 3-5).
#
#   calibration_intercept, calibration_slope
#       glm(label ~ qlogis(p), family = binomial), p clipped to
#       [.Machine$double.eps, 1 - .Machine$double.eps], converged to epsilon 1e-14
#       (breast cancer only: s100b is not a probability)
#   partial_auc (x = lo, y = hi)
#       auc(roc(label, score, levels = c(0, 1), direction = "<"),
#           partial.auc = c(1 - lo, 1 - hi), partial.auc.focus = "specificity",
#           partial.auc.correct = TRUE)
#   tpr_at_fpr, specificity_at_sensitivity (values only: pROC's thresholds are
#       midpoints between scores, scikit-learn's are scores)
#       the best sensitivity (specificity) over coords(..., x = "all") whose
#       1 - specificity <= x (sensitivity >= x)
suppressMessages(library(pROC))
args <- commandArgs(trailingOnly = TRUE)
out <- if (length(args)) file(args[1], "w") else stdout()
w <- function(...) cat(..., file = out, sep = "")

bc <- read.csv("tests/data/curve/breast_cancer_scores.csv")
as <- read.csv("tests/reference/asah.csv")
as <- data.frame(score = as$s100b, label = as$outcome,
                 slice = ifelse(as$wfns <= 2, "low", "high"))
bc$slice <- bc$size

rows <- list()
add <- function(data, slice, metric, x, y, value) {
  rows[[length(rows) + 1]] <<- sprintf(
    '    {"%s", "%s", "%s", %.17g, %.17g, %d, %.17g},', data, slice, metric, x, y,
    as.integer(!is.na(value)), ifelse(is.na(value), 0, value))
}

eps <- .Machine$double.eps
for (d in list(list("breast_cancer", bc, TRUE), list("asah", as, FALSE))) {
  name <- d[[1]]; df <- d[[2]]
  for (sl in c("overall", sort(unique(df$slice)))) {
    s <- if (sl == "overall") df else df[df$slice == sl, ]
    if (d[[3]]) {
      x <- qlogis(pmin(pmax(s$score, eps), 1 - eps))
      fit <- glm(s$label ~ x, family = binomial,
                 control = glm.control(epsilon = 1e-14, maxit = 100))
      add(name, sl, "calibration_intercept", 0, 0, unname(coef(fit)[1]))
      add(name, sl, "calibration_slope", 0, 0, unname(coef(fit)[2]))
    }
    r <- roc(s$label, s$score, levels = c(0, 1), direction = "<", quiet = TRUE)
    for (range in list(c(0, 0.1), c(0, 0.2), c(0.1, 0.3), c(0, 1))) {
      a <- auc(r, partial.auc = c(1 - range[1], 1 - range[2]),
               partial.auc.focus = "specificity", partial.auc.correct = TRUE)
      add(name, sl, "partial_auc", range[1], range[2], as.numeric(a))
    }
    co <- coords(r, x = "all", ret = c("specificity", "sensitivity"),
                 transpose = FALSE)
    for (f in c(0.05, 0.1, 0.3)) {
      ok <- 1 - co$specificity <= f + 1e-12
      add(name, sl, "tpr_at_fpr", f, 0, if (any(ok)) max(co$sensitivity[ok]) else NA)
    }
    for (se in c(0.8, 0.9, 0.95)) {
      ok <- co$sensitivity >= se - 1e-12
      add(name, sl, "specificity_at_sensitivity", se, 0,
          if (any(ok)) max(co$specificity[ok]) else NA)
    }
  }
}

w("/*\n * Calibration slope and intercept (R's glm) and partial AUC and ROC operating\n",
  " * points (pROC). GENERATED, do not edit: regenerate with\n",
  " *   Rscript tests/reference/make_curve_reference.R tests/reference/curve_r.h\n",
  " *\n * ", R.version.string, ", pROC ", as.character(packageVersion("pROC")), ".\n",
  " *\n * mg_ref_curve_r: (data, slice, metric, x, y, defined, value); partial_auc\n",
  " * over fpr in [x, y], McClish-corrected.\n */\n",
  "#ifndef MODELGATE_TESTS_REFERENCE_CURVE_R_H\n",
  "#define MODELGATE_TESTS_REFERENCE_CURVE_R_H\n\n#include <stddef.h>\n\n",
  "typedef struct mg_ref_curve_r_entry {\n    const char *data, *slice, *metric;\n",
  "    double x, y;\n    int defined;\n    double value;\n} mg_ref_curve_r_entry;\n\n",
  "static const mg_ref_curve_r_entry mg_ref_curve_r[] = {\n")
w(paste(unlist(rows), collapse = "\n"), "\n};\n")
w("#define MG_REF_CURVE_R_COUNT (sizeof mg_ref_curve_r / sizeof mg_ref_curve_r[0])\n\n",
  "#endif\n")
if (length(args)) close(out)
