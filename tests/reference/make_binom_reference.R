# R reference values for the Clopper–Pearson interval (stats/intervals.c).
#
#     Rscript tests/reference/make_binom_reference.R
#
# binom.test(x, n)$conf.int at two-sided levels 0.95 and 0.90 (0.90 two-sided is the
# pair of one-sided 95 % bounds a strict decision at confidence 0.95 reads). Writes
# binom_reference_r.h beside itself; numbers with %.17g so the C compiler reads back
# the same doubles.

args <- commandArgs(trailingOnly = FALSE)
file_arg <- sub("^--file=", "", args[grepl("^--file=", args)])
here <- dirname(normalizePath(file_arg))
out <- file(file.path(here, "binom_reference_r.h"), "w")
emit <- function(...) writeLines(sprintf(...), out)
num <- function(x) sprintf("%.17g", x)

emit("/*")
emit(" * Clopper-Pearson intervals from R's binom.test. GENERATED, do not edit:")
emit(" * regenerate with")
emit(" *   Rscript tests/reference/make_binom_reference.R")
emit(" *")
emit(" * %s.", R.version.string)
emit(" */")
emit("#ifndef MODELGATE_TESTS_REFERENCE_BINOM_REFERENCE_R_H")
emit("#define MODELGATE_TESTS_REFERENCE_BINOM_REFERENCE_R_H")
emit("")
cases <- list(c(0, 10), c(10, 10), c(1, 10), c(5, 10), c(3, 7), c(17, 60),
              c(13, 13), c(19, 20), c(20, 20), c(1, 41), c(999, 1000), c(0, 1),
              c(1, 1), c(41, 113), c(50000, 100000))
emit("/* binom.test(x, n, conf.level = conf)$conf.int: {x, n, conf, low, high} */")
emit("static const double r_clopper_pearson[][5] = {")
for (w in cases) for (cl in c(0.95, 0.90)) {
  ci <- binom.test(w[1], w[2], conf.level = cl)$conf.int
  emit("    {%s, %s, %s, %s, %s},", num(w[1]), num(w[2]), num(cl), num(ci[1]), num(ci[2]))
}
emit("};")
emit("")
emit("#endif")
close(out)
