#!/usr/bin/env python3
"""A plain numpy implementation of the diagonal-net GD step, independent of GrokSim.

Two uses:
- an oracle in the tests: `gd_step` replays GrokSim's steps from a run file's stored data and initial u, v;
- the reference in `groksim bench`: `python3 numpy_diagonal_net.py --n N --d D --steps S --precision float64`
  times the same step on random ±1 data (stored as the dtype, as plain numpy code would) and prints one JSON
  line {"step_seconds": median, ...}. Threads come from OPENBLAS_NUM_THREADS, set by the caller.
"""
import argparse
import json
import os
import time

import numpy as np


def loss_gradient(f, y, loss):
    """dL/df_i of the mean loss over the n points."""
    if loss == "exponential":
        return -y * np.exp(-y * f) / len(y)
    return -y * 0.5 * (1 - np.tanh(0.5 * y * f)) / len(y)   # -y sigmoid(-y f) / n, stable


def gd_step(x, y, u, v, learning_rate, weight_decay, depth=2, loss="logistic"):
    """One full-batch GD step with coupled weight decay on u and v; returns the new (u, v)."""
    w = u ** depth - v ** depth
    g = loss_gradient(x @ w, y, loss)
    product = x.T @ g
    grad_u = depth * u ** (depth - 1) * product
    grad_v = -depth * v ** (depth - 1) * product
    return (u - learning_rate * (grad_u + weight_decay * u), v - learning_rate * (grad_v + weight_decay * v))


def bench(n, d, steps, warmup, precision, seed=0):
    dtype = np.float64 if precision == "float64" else np.float32
    rng = np.random.default_rng(seed)
    x = np.where(rng.random((n, d)) < 0.5, 1.0, -1.0).astype(dtype)
    y = np.where(x[:, :3].sum(axis=1) > 0, 1.0, -1.0).astype(dtype)
    u = np.full(d, 128 / np.sqrt(2 * d), dtype=dtype)
    v = u.copy()
    times = []
    for k in range(warmup + steps):
        start = time.perf_counter()
        u, v = gd_step(x, y, u, v, dtype(0.01), dtype(1e-3))
        if k >= warmup:
            times.append(time.perf_counter() - start)
    return float(np.median(times))


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, required=True)
    parser.add_argument("--d", type=int, required=True)
    parser.add_argument("--steps", type=int, default=10)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--precision", choices=["float64", "float32"], default="float64")
    args = parser.parse_args()
    seconds = bench(args.n, args.d, args.steps, args.warmup, args.precision)
    threads = os.environ.get("OPENBLAS_NUM_THREADS") or os.environ.get("OMP_NUM_THREADS") or "default"
    print(json.dumps({"step_seconds": seconds, "threads": threads, "numpy": np.__version__}))


if __name__ == "__main__":
    main()
