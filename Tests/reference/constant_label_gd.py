#!/usr/bin/env python3
"""A plain numpy GD step of the constant-label logistic model, independent of GrokSim.

f(x) = S.x + b, every training point has the target y = -1, the loss is the mean of log(1 + exp(-y f)).
"""
import math

import numpy as np


def gd_step(x, y, s, b, eta):
    """One full-batch GD step; returns the new (S, b). dL/db = sum_i g_i is summed correctly rounded (math.fsum),
    as GrokSim sums it exactly; numpy's pairwise sum would differ in the last bits, which the bias accumulates."""
    f = x @ s + b
    g = -y * 0.5 * (1 - np.tanh(0.5 * y * f)) / len(y)  # dL/df_i = -y sigmoid(-y f) / N
    return s - eta * (x.T @ g), b - eta * math.fsum(g)
