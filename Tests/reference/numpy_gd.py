#!/usr/bin/env python3
"""A plain numpy implementation of the flagship GD step, independent of GrokSim.

Two uses:
- an oracle in the tests: `gd_step` replays GrokSim's steps from a run file's stored data and initial weights;
- the reference in `groksim bench`: `python3 numpy_gd.py --n N --p P --m M --steps S --precision float64`
  times the same step on random data of the same sizes and prints one JSON line
  {"step_seconds": median, "threads": ..., ...}. Threads come from OPENBLAS_NUM_THREADS / OMP_NUM_THREADS,
  set by the caller before numpy is imported.
"""
import argparse
import json
import os
import time

import numpy as np


def forward(x, w, a):
    """Network outputs f(x_i) = sum_j a_j relu(<w_j, x_i>) and the pre-activations Z = X W^T."""
    z = x @ w.T
    return np.maximum(z, 0) @ a, z


def gd_step(x, y, w, a, alpha, weight_decay=0.0):
    """One full-batch GD step on the mean logistic loss; returns the new W (W is not modified)."""
    out, z = forward(x, w, a)
    g = 0.5 * (1 - np.tanh(0.5 * y * out))          # sigmoid(-y f), stable for any margin
    coefficient = alpha * g * y / len(y)
    gradient_part = (z > 0) * np.outer(coefficient, a)  # n x m
    return (1 - alpha * weight_decay) * w + gradient_part.T.astype(w.dtype) @ x


def bench(n, p, m, steps, warmup, precision, seed=0):
    dtype = np.float64 if precision == "float64" else np.float32
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n, p), dtype=dtype)
    y = np.where(rng.random(n) < 0.5, 1.0, -1.0).astype(dtype)
    w = (1e-3 * rng.standard_normal((m, p))).astype(dtype)
    a = np.where(rng.random(m) < 0.5, 1.0, -1.0).astype(dtype) / np.sqrt(m)
    times = []
    for k in range(warmup + steps):
        start = time.perf_counter()
        w = gd_step(x, y, w, a, dtype(1e-3))
        if k >= warmup:
            times.append(time.perf_counter() - start)
    return float(np.median(times))


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, required=True)
    parser.add_argument("--p", type=int, required=True)
    parser.add_argument("--m", type=int, required=True)
    parser.add_argument("--steps", type=int, default=10)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--precision", choices=["float64", "float32"], default="float64")
    args = parser.parse_args()
    seconds = bench(args.n, args.p, args.m, args.steps, args.warmup, args.precision)
    threads = os.environ.get("OPENBLAS_NUM_THREADS") or os.environ.get("OMP_NUM_THREADS") or "default"
    print(json.dumps({"step_seconds": seconds, "threads": threads, "numpy": np.__version__}))


if __name__ == "__main__":
    main()
