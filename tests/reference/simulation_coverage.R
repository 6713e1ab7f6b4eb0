# An independent check of bench/simulate.c's small-sample AUC coverage (section d),
# with R's pROC (DeLong) and boot (percentile, basic, BCa): the same calibrated
# binormal model (y ~ Bernoulli(0.3), x | y ~ N(+-0.8, 1), score =
# plogis(1.6 x + qlogis(0.3)), true AUC pnorm(1.6 / sqrt(2)) = 0.871050), R's own
# random numbers, so the figures agree with the simulator's within Monte Carlo error
# (sqrt(p (1 - p) / K)), not digit for digit. Where both show coverage below 0.93,
# the shortfall belongs to the method at that n, not to modelgate's implementation.
#
# Usage: Rscript tests/reference/simulation_coverage.R [K_DELONG] [K_BOOT] [B]
#   defaults 1000, 400, 1000; about three minutes on one core.
# Needs pROC and boot (Debian: r-cran-proc, r-cran-boot).
suppressMessages({
  library(pROC)
  library(boot)
})
args <- as.integer(commandArgs(trailingOnly = TRUE))
K_delong <- if (length(args) >= 1) args[1] else 1000
K_boot <- if (length(args) >= 2) args[2] else 400
B <- if (length(args) >= 3) args[3] else 1000
set.seed(20261201)
prev <- 0.3
mu <- 1.6
truth <- pnorm(mu / sqrt(2))

gen <- function(n) {
  y <- rbinom(n, 1, prev)
  x <- rnorm(n) + ifelse(y == 1, mu / 2, -mu / 2)
  data.frame(y = y, s = plogis(mu * x + qlogis(prev)))
}

# Mann-Whitney AUC (ties count 1/2), NA with one class.
auc_fast <- function(y, s) {
  n1 <- sum(y == 1)
  n0 <- sum(y == 0)
  if (n1 == 0 || n0 == 0) {
    return(NA_real_)
  }
  r <- rank(s)
  (sum(r[y == 1]) - n1 * (n1 + 1) / 2) / (n1 * n0)
}

se <- function(p, k) sqrt(p * (1 - p) / k)
cell <- function(hit, k) sprintf("%.3f ± %.3f", hit / k, se(hit / k, k))

cat(sprintf("true AUC %.6f\n\n", truth))
cat("| interval (R) | n | K | coverage | miss low | miss high |\n")
cat("|---|---|---|---|---|---|\n")
for (n in c(50, 100, 200, 1000)) {
  hit <- low <- high <- k <- 0
  while (k < K_delong) {
    d <- gen(n)
    if (sum(d$y) < 2 || sum(1 - d$y) < 2) next
    k <- k + 1
    ci <- ci.auc(roc(d$y, d$s, quiet = TRUE, direction = "<", levels = c(0, 1)),
                 method = "delong")
    if (ci[3] < truth) {
      low <- low + 1
    } else if (ci[1] > truth) {
      high <- high + 1
    } else {
      hit <- hit + 1
    }
  }
  cat(sprintf("| pROC DeLong | %d | %d | %s | %.3f | %.3f |\n", n, K_delong,
              cell(hit, K_delong), low / K_delong, high / K_delong))
}
for (n in c(50, 100)) {
  types <- c("perc", "basic", "bca")
  hit <- low <- high <- setNames(numeric(3), types)
  k <- 0
  while (k < K_boot) {
    d <- gen(n)
    b <- boot(d, function(d, i) auc_fast(d$y[i], d$s[i]), R = B)
    if (any(is.na(b$t))) next # a resample with one class; redraw the data set
    ci <- tryCatch(boot.ci(b, conf = 0.95, type = types), error = function(e) NULL)
    if (is.null(ci)) next
    k <- k + 1
    bounds <- rbind(perc = ci$percent[4:5], basic = ci$basic[4:5], bca = ci$bca[4:5])
    for (t in types) {
      if (bounds[t, 2] < truth) {
        low[t] <- low[t] + 1
      } else if (bounds[t, 1] > truth) {
        high[t] <- high[t] + 1
      } else {
        hit[t] <- hit[t] + 1
      }
    }
  }
  for (t in types) {
    cat(sprintf("| boot.ci %s | %d | %d | %s | %.3f | %.3f |\n", t, n, K_boot,
                cell(hit[t], K_boot), low[t] / K_boot, high[t] / K_boot))
  }
}
