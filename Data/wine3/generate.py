#!/usr/bin/env python3
"""Writes wine3.csv: a synthetic 13-feature, 3-class data set shaped like the
UCI wine data (label in the FIRST column, a header row, features of very
different scales, the last one in the hundreds), to prove that `tinynn verify`
handles a label that is not in the last column. Deterministic: seed 11.
Run: python3 Data/wine3/generate.py > Data/wine3/wine3.csv"""
import random

random.seed(11)
names = ["alcohol", "malic_acid", "ash", "alcalinity", "magnesium", "phenols", "flavanoids",
         "nonflavanoid", "proanthocyanins", "color", "hue", "od280", "proline"]
# Per class: the mean of each feature; the spreads overlap the classes, so that a model is not 100% right (the known-answer check of tinynn verify compares accuracies).
means = [
    [13.7, 2.0, 2.5, 17.0, 106, 2.8, 3.0, 0.29, 1.9, 5.5, 1.06, 3.2, 1116],
    [12.3, 1.9, 2.2, 20.2, 94, 2.3, 2.1, 0.36, 1.6, 3.1, 1.06, 2.8, 520],
    [13.2, 3.3, 2.4, 21.4, 99, 1.7, 0.8, 0.45, 1.2, 7.4, 0.68, 1.7, 630],
]
spread = [1.0, 1.8, 0.5, 6.0, 24, 1.0, 1.2, 0.24, 1.0, 3.2, 0.4, 0.9, 320]
print(",".join(["class"] + names))
for i in range(180):
    c = i % 3
    row = [random.gauss(m, s) for m, s in zip(means[c], spread)]
    print(",".join([str(c)] + [f"{max(v, 0.01):.2f}" for v in row]))
