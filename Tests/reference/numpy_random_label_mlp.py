#!/usr/bin/env python3
"""A plain numpy implementation of the random-label network's GD step, independent of GrokSim.

f(x) = (1/sqrt m) sum_j v_j relu(<w_j, x>/sqrt d + b_j), mean logistic loss; the oracle test replays GrokSim's
steps from a run file's stored data (--save-data) and its step-0 checkpoint.
"""
import numpy as np


def forward(x, w, b, a):
    """Outputs f(x_i) and the pre-activations z_ij."""
    m, d = w.shape
    z = x @ w.T / np.sqrt(d) + b
    return np.maximum(z, 0) @ a / np.sqrt(m), z


def loss(x, y, w, b, a):
    out, _ = forward(x, w, b, a)
    return np.mean(np.logaddexp(0, -y * out))


def gd_step(x, y, w, b, a, lr, weight_decay=0.0):
    """One full-batch GD step theta <- theta - lr (grad L + weight_decay theta); returns new (w, b, a)."""
    m, d = w.shape
    out, z = forward(x, w, b, a)
    g = -y * 0.5 * (1 - np.tanh(0.5 * y * out)) / len(y)     # dL/df_i = -y sigmoid(-y f) / n
    active = (z > 0).astype(float)
    grad_a = (g[:, None] * np.maximum(z, 0)).sum(0) / np.sqrt(m)
    back = g[:, None] * active * a[None, :] / np.sqrt(m)     # n x m
    grad_b = back.sum(0)
    grad_w = back.T @ x / np.sqrt(d)
    return (w - lr * (grad_w + weight_decay * w), b - lr * (grad_b + weight_decay * b), a - lr * (grad_a + weight_decay * a))
