#!/usr/bin/python3
"""Generate the digits example: a multiclass holdout set and two models' predictions.

The data are real: scikit-learn's bundled copy of the UCI optical-recognition
handwritten digits (1797 images of 8 × 8 pixels, classes 0 to 9), as Debian's
python3-sklearn ships it (sklearn/datasets/data/digits.csv.gz). The first 897
images train the models; the other 900 are the holdout set.

  data/holdout.csv        image_id, ink, digit
  preds/candidate.csv     image_id, p_0 … p_9                (probabilities)
  preds/champion.csv      image_id, predicted, prob_0 … prob_9

- `ink` is the image's total pixel intensity binned into light / medium / heavy
  (terciles of the training images), a slicing of how boldly a digit was written.
- The candidate is a multinomial logistic regression on all 64 pixels (scaled to
  [0, 1]); the champion, the model in production, is one on a 4 × 4 average-pooled
  image (16 features), a weaker model. Both are fitted with lbfgs, which is
  deterministic: running this script again writes byte-identical files.
- Probabilities are written with 17 significant digits, so each row sums to 1 within
  1e-15; the champion's file also carries its predicted class (`predicted`), which
  the suite reads with `label:`.

Usage: /usr/bin/python3 examples/multiclass/generate.py
"""

import csv
import gzip
import os

import numpy as np
from sklearn.linear_model import LogisticRegression

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = "/usr/lib/python3/dist-packages/sklearn/datasets/data/digits.csv.gz"
N_TRAIN = 897


def load():
    with gzip.open(SOURCE, "rt") as f:
        raw = np.loadtxt(f, delimiter=",")
    return raw[:, :64] / 16.0, raw[:, 64].astype(int)


def pooled(x):
    img = x.reshape(-1, 8, 8)
    return img.reshape(-1, 4, 2, 4, 2).mean(axis=(2, 4)).reshape(-1, 16)


def main():
    x, y = load()
    xt, yt, xh, yh = x[:N_TRAIN], y[:N_TRAIN], x[N_TRAIN:], y[N_TRAIN:]
    cand = LogisticRegression(C=0.05, max_iter=5000).fit(xt, yt)
    champ = LogisticRegression(C=0.05, max_iter=5000).fit(pooled(xt), yt)
    pc = cand.predict_proba(xh)
    pb = champ.predict_proba(pooled(xh))
    ink_train = xt.sum(axis=1)
    edges = np.quantile(ink_train, [1 / 3, 2 / 3])
    ink = xh.sum(axis=1)
    names = np.where(ink < edges[0], "light", np.where(ink < edges[1], "medium",
                                                         "heavy"))
    ids = [f"D{N_TRAIN + i:04d}" for i in range(len(yh))]
    os.makedirs(os.path.join(HERE, "data"), exist_ok=True)
    os.makedirs(os.path.join(HERE, "preds"), exist_ok=True)
    with open(os.path.join(HERE, "data", "holdout.csv"), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["image_id", "ink", "digit"])
        for i in range(len(yh)):
            w.writerow([ids[i], names[i], yh[i]])
    with open(os.path.join(HERE, "preds", "candidate.csv"), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["image_id"] + [f"p_{c}" for c in range(10)])
        for i in range(len(yh)):
            w.writerow([ids[i]] + [repr(float(v)) for v in pc[i]])
    with open(os.path.join(HERE, "preds", "champion.csv"), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["image_id", "predicted"] + [f"prob_{c}" for c in range(10)])
        for i in range(len(yh)):
            w.writerow([ids[i], int(np.argmax(pb[i]))] + [repr(float(v)) for v in pb[i]])


if __name__ == "__main__":
    main()
