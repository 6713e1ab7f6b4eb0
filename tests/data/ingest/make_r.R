# Write the R fixtures of tests/test_data.c exactly as R writes them.
# Run from this directory: Rscript make_r.R
# R's airquality data set (153 days, New York, 1973): 'high' is a logical label
# (Ozone above 60 ppb; NA where Ozone was not measured), Solar.R has NA values.
# write.csv quotes strings and the row names, whose header is "", and writes
# missing values as NA and logicals as TRUE/FALSE; write.csv2 uses ';' and ','.
d <- airquality
d$high <- d$Ozone > 60
d$month <- month.abb[d$Month]
d$score <- round(plogis(-4 + 0.06 * d$Temp + 0.004 * ifelse(is.na(d$Solar.R), 180, d$Solar.R)), 4)
write.csv(d[, c("month", "Solar.R", "Temp", "high")], "airquality.csv")
write.csv(d[, "score", drop = FALSE], "airquality_scores.csv")
write.csv2(d[, c("month", "Solar.R", "Temp", "high", "score")], "airquality_semicolon.csv")
