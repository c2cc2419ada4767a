#!/usr/bin/env python3
"""A plain numpy implementation of the matrix-completion GD step (W = U U^T - V V^T), independent of GrokSim.

Two uses:
- an oracle in the tests: `gd_step` replays GrokSim's steps from a run file's stored observed entries and initial
  U, V (GrokSim stores them transposed, one row per inner index k: pass `U_t.T`);
- the reference in `groksim bench`: `python3 numpy_matrix_completion.py --d D --observed-fraction F --steps S`
  times the same step on the multiplication table and prints one JSON line {"step_seconds": median, ...}.
  Threads come from OPENBLAS_NUM_THREADS, set by the caller.
"""
import argparse
import json
import os
import time

import numpy as np


def truth(d):
    """The multiplication table X*_ij = i j / d^2, i, j = 0..d-1."""
    index = np.arange(d, dtype=float)
    return np.outer(index, index) / d ** 2


def gd_step(rows, cols, targets, u, v, learning_rate, weight_decay):
    """One full-batch GD step on the mean squared error over the observed entries (rows, cols), with coupled
    weight decay on U and V; returns the new (U, V)."""
    w = (u[rows] * u[cols]).sum(axis=1) - (v[rows] * v[cols]).sum(axis=1)
    g = 2 * (w - targets) / len(targets)
    # dL/dW as a dense matrix; dW_ij/dU = e_i U_j^T + e_j U_i^T, so dL/dU = (G + G^T) U.
    dense = np.zeros((u.shape[0], u.shape[0]))
    np.add.at(dense, (rows, cols), g)
    symmetric = dense + dense.T
    grad_u = symmetric @ u
    grad_v = -(symmetric @ v)
    return u - learning_rate * (grad_u + weight_decay * u), v - learning_rate * (grad_v + weight_decay * v)


def observed_entries(d, fraction, seed):
    rng = np.random.default_rng(seed)
    order = rng.permutation(d * d)[: max(1, int(round(fraction * d * d)))]
    order.sort()
    return order // d, order % d


def bench(d, fraction, steps, warmup):
    rows, cols = observed_entries(d, fraction, 0)
    targets = truth(d)[rows, cols]
    u = 10 * np.eye(d)
    v = u.copy()
    times = []
    for k in range(warmup + steps):
        start = time.perf_counter()
        u, v = gd_step(rows, cols, targets, u, v, 0.1, 1e-4)
        if k >= warmup:
            times.append(time.perf_counter() - start)
    return float(np.median(times))


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--d", type=int, required=True)
    parser.add_argument("--observed-fraction", type=float, required=True)
    parser.add_argument("--steps", type=int, default=50)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--precision", choices=["float64"], default="float64")
    args = parser.parse_args()
    seconds = bench(args.d, args.observed_fraction, args.steps, args.warmup)
    threads = os.environ.get("OPENBLAS_NUM_THREADS") or os.environ.get("OMP_NUM_THREADS") or "default"
    print(json.dumps({"step_seconds": seconds, "threads": threads, "numpy": np.__version__}))


if __name__ == "__main__":
    main()
