#!/usr/bin/env python3
"""A plain numpy implementation of the modular-arithmetic MLP's GD step, independent of GrokSim.

f(x) = W2 ReLU(W1 x + b1) on x = one-hot(a) ++ one-hot(b), p logits, mean cross-entropy, full-batch GD with
coupled weight decay on every parameter. W1 is h x 2p; W2 is stored as GrokSim stores it, h x p (the paper's
W2 transposed).

Two uses:
- an oracle in the tests: `gd_step` replays GrokSim's steps from a run file's stored pairs and initial weights;
- the reference in `groksim bench`: `python3 numpy_modular_mlp.py --p P --hidden H --train-fraction F` times the
  same step on a random split and prints one JSON line {"step_seconds": median, ...}. Threads come from
  OPENBLAS_NUM_THREADS, set by the caller.
"""
import argparse
import json
import os
import time

import numpy as np


def logits(a, b, w1, b1, w2):
    """(pre-activations Z, activations A, logits F), each n x ... ."""
    p = w2.shape[1]
    z = w1[:, a].T + w1[:, p + b].T + b1
    hidden = np.maximum(z, 0)
    return z, hidden, hidden @ w2


def cross_entropy(f, labels):
    """Mean cross-entropy of logits f (n x p) against class indices."""
    top = f.max(axis=1, keepdims=True)
    log_sum = np.log(np.exp(f - top).sum(axis=1)) + top[:, 0]
    return float(np.mean(log_sum - f[np.arange(len(labels)), labels]))


def gd_step(a, b, labels, w1, b1, w2, learning_rate, weight_decay):
    """One full-batch GD step; returns the new (w1, b1, w2)."""
    n, p = len(labels), w2.shape[1]
    z, hidden, f = logits(a, b, w1, b1, w2)
    prob = np.exp(f - f.max(axis=1, keepdims=True))
    prob /= prob.sum(axis=1, keepdims=True)
    prob[np.arange(n), labels] -= 1
    g = prob / n
    grad_w2 = hidden.T @ g
    dz = (g @ w2.T) * (z > 0)
    grad_w1 = np.zeros_like(w1)
    np.add.at(grad_w1.T, a, dz)
    np.add.at(grad_w1.T, p + b, dz)
    grad_b1 = dz.sum(axis=0)
    return (w1 - learning_rate * (grad_w1 + weight_decay * w1), b1 - learning_rate * (grad_b1 + weight_decay * b1),
            w2 - learning_rate * (grad_w2 + weight_decay * w2))


def fourier_power(w1, p):
    """Power of W1's a and b columns at frequencies 1..(p-1)/2, summed over neurons: 2 |fft|^2 / p."""
    frequencies = np.arange(1, (p - 1) // 2 + 1)
    power_a = (2 * np.abs(np.fft.fft(w1[:, :p], axis=1)[:, frequencies]) ** 2 / p).sum(axis=0)
    power_b = (2 * np.abs(np.fft.fft(w1[:, p:2 * p], axis=1)[:, frequencies]) ** 2 / p).sum(axis=0)
    return power_a, power_b


def bench(p, hidden, fraction, steps, warmup, precision, seed=0):
    dtype = np.float64 if precision == "float64" else np.float32
    rng = np.random.default_rng(seed)
    pairs = rng.permutation(p * p)[: int(fraction * p * p)]
    a, b = pairs // p, pairs % p
    labels = (a + b) % p
    w1 = (rng.standard_normal((hidden, 2 * p)) * np.sqrt(2 / (2 * p))).astype(dtype)
    b1 = np.zeros(hidden, dtype=dtype)
    w2 = (rng.standard_normal((hidden, p)) / np.sqrt(hidden)).astype(dtype)
    times = []
    for k in range(warmup + steps):
        start = time.perf_counter()
        w1, b1, w2 = gd_step(a, b, labels, w1, b1, w2, dtype(0.002), dtype(1e-4))
        if k >= warmup:
            times.append(time.perf_counter() - start)
    return float(np.median(times))


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--p", type=int, required=True)
    parser.add_argument("--hidden", type=int, required=True)
    parser.add_argument("--train-fraction", type=float, default=0.4)
    parser.add_argument("--steps", type=int, default=10)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--precision", choices=["float64", "float32"], default="float64")
    args = parser.parse_args()
    seconds = bench(args.p, args.hidden, args.train_fraction, args.steps, args.warmup, args.precision)
    threads = os.environ.get("OPENBLAS_NUM_THREADS") or os.environ.get("OMP_NUM_THREADS") or "default"
    print(json.dumps({"step_seconds": seconds, "numpy": np.__version__, "threads": threads,
                      "p": args.p, "hidden": args.hidden, "precision": args.precision}))


if __name__ == "__main__":
    main()
