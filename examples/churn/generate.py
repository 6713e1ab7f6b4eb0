#!/usr/bin/python3
"""Generate the churn example: a synthetic holdout set and two models' predictions.

The data are made up, but shaped like a subscription business's churn holdout set:

  data/holdout.csv        customer_id, region, plan, tenure_months, churned
  preds/candidate.csv     customer_id, p_churn   (the model up for promotion)
  preds/champion.csv      customer_id, p_churn   (the model in production)
  data/reference.csv      customer_id, region, plan, tenure_months, churned, p_churn
                          (the last release's holdout set, with the champion's
                          scores then: the drift tests' reference)

How it is made. Each customer has a region (five, unequal, `central` small), a plan
(premium is not sold in `central`), a tenure in months (0..72, a heap of new
customers and a heap of long-standing ones at the cap) and an unobserved engagement
score. The true churn log-odds add effects of plan, tenure, region and engagement;
`churned` is drawn from it (prevalence about 25 %).

Both models see the true log-odds through noise (they estimate engagement from usage
data the holdout set does not carry). The candidate's noise is smaller, so it ranks
better overall (AUC about 0.85 against 0.82), but it was trained on data with
almost no `central` customers and underestimates their risk: its scores there are
shifted down, and its recall in `central` is far below the suite's 0.5 floor. The
suite's `recall per region` test fails on `central` on purpose; every other test
passes.

Candidate scores are rounded to 3 decimals and champion scores to 2, so both have
tied scores (some across classes), and all scores lie strictly inside (0, 1). The
prediction files list customers in their own shuffled orders, so the harness must
join by id. Everything comes from one seeded numpy Generator: running this script
again writes byte-identical files.

The reference set is drawn from the same process with its own seed (so the other
files do not change) and with a smaller `central` share (1 % against 3 %): the
business has grown there since the last release, a shift the drift tests measure
and tolerate.

Usage: /usr/bin/python3 examples/churn/generate.py [--check]
  --check  also print per-region recall with percentile bootstrap intervals.
"""

import argparse
import os
import sys

import numpy as np

SEED = 20240611
N_ROWS = 4000

REGIONS = ["north", "south", "east", "west", "central"]
REGION_SHARE = [0.34, 0.25, 0.225, 0.155, 0.03]        # central ≈ 150 rows
REGION_EFFECT = {"north": 0.0, "south": 0.25, "east": -0.15, "west": 0.1,
                 "central": 0.3}
PLANS = ["basic", "plus", "premium"]
PLAN_SHARE = [0.5, 0.3, 0.2]
PLAN_EFFECT = {"basic": 0.5, "plus": 0.0, "premium": -0.6}

INTERCEPT = -2.3        # sets prevalence near 25 %
ENGAGEMENT_WEIGHT = 2.1

# Model noise on the true log-odds and calibration of the output.
CANDIDATE_NOISE = 0.95
CHAMPION_NOISE = 1.6
MODEL_SHIFT = 0.8       # both models lean towards flagging churners (recall > 0.5)
CANDIDATE_CENTRAL_SHIFT = -2.2


def logistic(x):
    return 1.0 / (1.0 + np.exp(-x))


REFERENCE_SEED = SEED + 1
REFERENCE_REGION_SHARE = [0.35, 0.26, 0.225, 0.155, 0.01]


def make_data(rng, region_share=REGION_SHARE):
    n = N_ROWS
    ids = rng.choice(1_000_000, size=n, replace=False)
    customer_id = np.array(["C%06d" % i for i in ids])

    region = rng.choice(len(REGIONS), size=n, p=region_share)
    plan = rng.choice(len(PLANS), size=n, p=PLAN_SHARE)
    # Premium is not sold in central: move those customers to plus.
    central = REGIONS.index("central")
    plan[(region == central) & (plan == PLANS.index("premium"))] = PLANS.index("plus")

    # Tenure: a third are new (exponential, mean 5 months), the rest spread out,
    # with everything past 72 months heaped at the cap.
    new = rng.random(n) < 0.35
    tenure = np.where(new, rng.exponential(5.0, n), rng.gamma(2.0, 18.0, n))
    tenure = np.minimum(np.floor(tenure), 72).astype(int)

    engagement = rng.standard_normal(n)
    logit = (INTERCEPT
             + np.array([PLAN_EFFECT[p] for p in PLANS])[plan]
             + np.array([REGION_EFFECT[r] for r in REGIONS])[region]
             + 1.2 * np.exp(-tenure / 8.0)          # new customers leave more
             - 0.012 * tenure
             - ENGAGEMENT_WEIGHT * engagement)
    churned = (rng.random(n) < logistic(logit)).astype(int)

    cand_logit = logit + CANDIDATE_NOISE * rng.standard_normal(n) + MODEL_SHIFT
    cand_logit = cand_logit + np.where(region == central, CANDIDATE_CENTRAL_SHIFT, 0.0)
    champ_logit = 0.9 * (logit + CHAMPION_NOISE * rng.standard_normal(n)) + MODEL_SHIFT

    candidate = np.clip(np.round(logistic(cand_logit), 3), 0.001, 0.999)
    champion = np.clip(np.round(logistic(champ_logit), 2), 0.01, 0.99)

    return {
        "customer_id": customer_id,
        "region": region,
        "plan": plan,
        "tenure": tenure,
        "churned": churned,
        "candidate": candidate,
        "champion": champion,
    }


def write_holdout(path, d):
    with open(path, "w", newline="") as f:
        f.write("customer_id,region,plan,tenure_months,churned\n")
        for i in range(len(d["customer_id"])):
            region = REGIONS[d["region"][i]]
            # A realism touch: the export quotes one region's name. RFC 4180
            # allows quoting any field; readers must return it unquoted.
            if region == "central":
                region = '"central"'
            f.write("%s,%s,%s,%d,%d\n" % (d["customer_id"][i], region,
                                          PLANS[d["plan"][i]], d["tenure"][i],
                                          d["churned"][i]))


def write_reference(path, d):
    with open(path, "w", newline="") as f:
        f.write("customer_id,region,plan,tenure_months,churned,p_churn\n")
        for i in range(len(d["customer_id"])):
            f.write("%s,%s,%s,%d,%d,%.2f\n" % (
                d["customer_id"][i], REGIONS[d["region"][i]], PLANS[d["plan"][i]],
                d["tenure"][i], d["churned"][i], d["champion"][i]))


def write_predictions(path, ids, scores, order, decimals):
    fmt = "%s,%." + str(decimals) + "f\n"
    with open(path, "w", newline="") as f:
        f.write("customer_id,p_churn\n")
        for i in order:
            f.write(fmt % (ids[i], scores[i]))


def auc(y, s):
    """Mann–Whitney AUC with ties counted ½ (no sklearn needed here)."""
    from scipy.stats import rankdata
    r = rankdata(s)
    npos = y.sum()
    nneg = len(y) - npos
    return (r[y == 1].sum() - npos * (npos + 1) / 2) / (npos * nneg)


def check(d, replicates=2000):
    """Print the suite's intended outcomes with a percentile bootstrap."""
    rng = np.random.default_rng(1)
    y = d["churned"]
    n = len(y)
    yhat = {m: (d[m] >= 0.5).astype(int) for m in ("candidate", "champion")}
    print("rows %d, prevalence %.3f" % (n, y.mean()))
    for m in ("candidate", "champion"):
        s = d[m]
        print("%-9s auc %.4f  accuracy %.4f  recall %.4f  brier %.4f" % (
            m, auc(y, s), (yhat[m] == y).mean(), yhat[m][y == 1].mean(),
            ((s - y) ** 2).mean()))
    idx = rng.integers(0, n, size=(replicates, n))
    # Whole-holdout resampling, as the engine does: slice sizes vary by replicate.
    print("candidate recall per region (95 %% percentile bootstrap, %d replicates):"
          % replicates)
    for r, name in enumerate(REGIONS):
        in_r = d["region"] == r
        pos = in_r & (y == 1)
        tp = pos & (yhat["candidate"] == 1)
        est = tp.sum() / pos.sum()
        reps = tp[idx].sum(axis=1) / pos[idx].sum(axis=1)
        lo, hi = np.percentile(reps, [2.5, 97.5])
        print("  %-8s rows %4d positives %4d recall %.3f [%.3f, %.3f]" % (
            name, in_r.sum(), pos.sum(), est, lo, hi))
    a_c = np.empty(replicates)
    a_b = np.empty(replicates)
    acc = np.empty(replicates)
    bri = np.empty(replicates)
    for b in range(replicates):
        j = idx[b]
        a_c[b] = auc(y[j], d["candidate"][j])
        a_b[b] = auc(y[j], d["champion"][j])
        acc[b] = (yhat["candidate"][j] == y[j]).mean()
        bri[b] = ((d["candidate"][j] - y[j]) ** 2).mean()
    for label, v in (("candidate auc", a_c), ("candidate accuracy", acc),
                     ("candidate brier", bri), ("auc candidate - champion", a_c - a_b)):
        lo, hi = np.percentile(v, [2.5, 97.5])
        print("%-25s [%.4f, %.4f]" % (label, lo, hi))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true")
    args = ap.parse_args()

    here = os.path.dirname(os.path.abspath(__file__))
    rng = np.random.default_rng(SEED)
    d = make_data(rng)
    n = len(d["churned"])
    os.makedirs(os.path.join(here, "data"), exist_ok=True)
    os.makedirs(os.path.join(here, "preds"), exist_ok=True)
    write_holdout(os.path.join(here, "data", "holdout.csv"), d)
    write_predictions(os.path.join(here, "preds", "candidate.csv"), d["customer_id"],
                      d["candidate"], rng.permutation(n), 3)
    write_predictions(os.path.join(here, "preds", "champion.csv"), d["customer_id"],
                      d["champion"], rng.permutation(n), 2)
    ref = make_data(np.random.default_rng(REFERENCE_SEED), REFERENCE_REGION_SHARE)
    write_reference(os.path.join(here, "data", "reference.csv"), ref)
    if args.check:
        check(d)
    return 0


if __name__ == "__main__":
    sys.exit(main())
