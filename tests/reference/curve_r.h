/*
 * Calibration slope and intercept (R's glm) and partial AUC and ROC operating
 * points (pROC). GENERATED, do not edit: regenerate with
 *   Rscript tests/reference/make_curve_reference.R tests/reference/curve_r.h
 *
 * R version 4.2.2 Patched (2022-11-10 r83330), pROC 1.18.0.
 *
 * mg_ref_curve_r: (data, slice, metric, x, y, defined, value); partial_auc
 * over fpr in [x, y], McClish-corrected.
 */
#ifndef MODELGATE_TESTS_REFERENCE_CURVE_R_H
#define MODELGATE_TESTS_REFERENCE_CURVE_R_H

#include <stddef.h>

typedef struct mg_ref_curve_r_entry {
    const char *data, *slice, *metric;
    double x, y;
    int defined;
    double value;
} mg_ref_curve_r_entry;

static const mg_ref_curve_r_entry mg_ref_curve_r[] = {
    {"breast_cancer", "overall", "calibration_intercept", 0, 0, 1, -0.29379669312695456},
    {"breast_cancer", "overall", "calibration_slope", 0, 0, 1, 1.5216786813780177},
    {"breast_cancer", "overall", "partial_auc", 0, 0.10000000000000001, 1, 0.82266292813053721},
    {"breast_cancer", "overall", "partial_auc", 0, 0.20000000000000001, 1, 0.88013391939585062},
    {"breast_cancer", "overall", "partial_auc", 0.10000000000000001, 0.29999999999999999, 1, 0.95758267929813434},
    {"breast_cancer", "overall", "partial_auc", 0, 1, 1, 0.95160139527509113},
    {"breast_cancer", "overall", "tpr_at_fpr", 0.050000000000000003, 0, 1, 0.76470588235294112},
    {"breast_cancer", "overall", "tpr_at_fpr", 0.10000000000000001, 0, 1, 0.85154061624649857},
    {"breast_cancer", "overall", "tpr_at_fpr", 0.29999999999999999, 0, 1, 0.97478991596638653},
    {"breast_cancer", "overall", "specificity_at_sensitivity", 0.80000000000000004, 0, 1, 0.94339622641509435},
    {"breast_cancer", "overall", "specificity_at_sensitivity", 0.90000000000000002, 0, 1, 0.8632075471698113},
    {"breast_cancer", "overall", "specificity_at_sensitivity", 0.94999999999999996, 0, 1, 0.75943396226415094},
    {"breast_cancer", "large", "calibration_intercept", 0, 0, 1, -0.25849798210345692},
    {"breast_cancer", "large", "calibration_slope", 0, 0, 1, 1.9967416338170629},
    {"breast_cancer", "large", "partial_auc", 0, 0.10000000000000001, 1, 0.79244734373199766},
    {"breast_cancer", "large", "partial_auc", 0, 0.20000000000000001, 1, 0.84047974796437219},
    {"breast_cancer", "large", "partial_auc", 0.10000000000000001, 0.29999999999999999, 1, 0.92817028041280092},
    {"breast_cancer", "large", "partial_auc", 0, 1, 1, 0.9372980298134056},
    {"breast_cancer", "large", "tpr_at_fpr", 0.050000000000000003, 0, 1, 0.67924528301886788},
    {"breast_cancer", "large", "tpr_at_fpr", 0.10000000000000001, 0, 1, 0.75471698113207553},
    {"breast_cancer", "large", "tpr_at_fpr", 0.29999999999999999, 0, 1, 0.98113207547169812},
    {"breast_cancer", "large", "specificity_at_sensitivity", 0.80000000000000004, 0, 1, 0.87845303867403313},
    {"breast_cancer", "large", "specificity_at_sensitivity", 0.90000000000000002, 0, 1, 0.77900552486187846},
    {"breast_cancer", "large", "specificity_at_sensitivity", 0.94999999999999996, 0, 1, 0.76243093922651939},
    {"breast_cancer", "small", "calibration_intercept", 0, 0, 1, 0.14993395840133306},
    {"breast_cancer", "small", "calibration_slope", 0, 0, 1, 1.1773473839023632},
    {"breast_cancer", "small", "partial_auc", 0, 0.10000000000000001, 1, 0.70338888392458221},
    {"breast_cancer", "small", "partial_auc", 0, 0.20000000000000001, 1, 0.71058526693076773},
    {"breast_cancer", "small", "partial_auc", 0.10000000000000001, 0.29999999999999999, 1, 0.75773291595925296},
    {"breast_cancer", "small", "partial_auc", 0, 1, 1, 0.8227928692699491},
    {"breast_cancer", "small", "tpr_at_fpr", 0.050000000000000003, 0, 1, 0.40789473684210525},
    {"breast_cancer", "small", "tpr_at_fpr", 0.10000000000000001, 0, 1, 0.50328947368421051},
    {"breast_cancer", "small", "tpr_at_fpr", 0.29999999999999999, 0, 1, 0.83881578947368418},
    {"breast_cancer", "small", "specificity_at_sensitivity", 0.80000000000000004, 0, 1, 0.74193548387096775},
    {"breast_cancer", "small", "specificity_at_sensitivity", 0.90000000000000002, 0, 1, 0.64516129032258063},
    {"breast_cancer", "small", "specificity_at_sensitivity", 0.94999999999999996, 0, 1, 0.22580645161290322},
    {"asah", "overall", "partial_auc", 0, 0.10000000000000001, 1, 0.64609185565539873},
    {"asah", "overall", "partial_auc", 0, 0.20000000000000001, 1, 0.66830397470641367},
    {"asah", "overall", "partial_auc", 0.10000000000000001, 0.29999999999999999, 1, 0.72383835817524833},
    {"asah", "overall", "partial_auc", 0, 1, 1, 0.73136856368563685},
    {"asah", "overall", "tpr_at_fpr", 0.050000000000000003, 0, 1, 0.34146341463414637},
    {"asah", "overall", "tpr_at_fpr", 0.10000000000000001, 0, 1, 0.3902439024390244},
    {"asah", "overall", "tpr_at_fpr", 0.29999999999999999, 0, 1, 0.63414634146341464},
    {"asah", "overall", "specificity_at_sensitivity", 0.80000000000000004, 0, 1, 0.3888888888888889},
    {"asah", "overall", "specificity_at_sensitivity", 0.90000000000000002, 0, 1, 0.22222222222222221},
    {"asah", "overall", "specificity_at_sensitivity", 0.94999999999999996, 0, 1, 0.1388888888888889},
    {"asah", "high", "partial_auc", 0, 0.10000000000000001, 1, 0.70110461338531516},
    {"asah", "high", "partial_auc", 0, 0.20000000000000001, 1, 0.69821673525377226},
    {"asah", "high", "partial_auc", 0.10000000000000001, 0.29999999999999999, 1, 0.67592592592592582},
    {"asah", "high", "partial_auc", 0, 1, 1, 0.64814814814814814},
    {"asah", "high", "tpr_at_fpr", 0.050000000000000003, 0, 1, 0.40740740740740738},
    {"asah", "high", "tpr_at_fpr", 0.10000000000000001, 0, 1, 0.48148148148148145},
    {"asah", "high", "tpr_at_fpr", 0.29999999999999999, 0, 1, 0.48148148148148145},
    {"asah", "high", "specificity_at_sensitivity", 0.80000000000000004, 0, 1, 0.26666666666666666},
    {"asah", "high", "specificity_at_sensitivity", 0.90000000000000002, 0, 1, 0.13333333333333333},
    {"asah", "high", "specificity_at_sensitivity", 0.94999999999999996, 0, 1, 0.13333333333333333},
    {"asah", "low", "partial_auc", 0, 0.10000000000000001, 1, 0.56470122675108825},
    {"asah", "low", "partial_auc", 0, 0.20000000000000001, 1, 0.57184628237259816},
    {"asah", "low", "partial_auc", 0.10000000000000001, 0.29999999999999999, 1, 0.56179511278195482},
    {"asah", "low", "partial_auc", 0, 1, 1, 0.56704260651629068},
    {"asah", "low", "tpr_at_fpr", 0.050000000000000003, 0, 1, 0.071428571428571425},
    {"asah", "low", "tpr_at_fpr", 0.10000000000000001, 0, 1, 0.2857142857142857},
    {"asah", "low", "tpr_at_fpr", 0.29999999999999999, 0, 1, 0.35714285714285715},
    {"asah", "low", "specificity_at_sensitivity", 0.80000000000000004, 0, 1, 0.15789473684210525},
    {"asah", "low", "specificity_at_sensitivity", 0.90000000000000002, 0, 1, 0.15789473684210525},
    {"asah", "low", "specificity_at_sensitivity", 0.94999999999999996, 0, 1, 0.15789473684210525},
};
#define MG_REF_CURVE_R_COUNT (sizeof mg_ref_curve_r / sizeof mg_ref_curve_r[0])

#endif
