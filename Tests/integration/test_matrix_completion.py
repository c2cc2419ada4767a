"""matrix-completion (Lyu et al. 2024): the numpy oracle, the kernel phase (train loss fitted within 100 steps,
W at the kernel predictor K), the late phase (W near X*) over several seeds, analyze's transition beside the law,
the closed-form test loss of K, and the figures.

CI system: d = 12, 50% observed (n = 72), alpha = 10, lr 0.07, lambda = 1.314e-2 (law: (1/(lambda eta)) ln 10 =
2503 steps), 8000 steps, about 8 s a run in a debug build. The kernel regime needs lr below about n / (8 alpha^2)
(the curvature of a diagonal entry's loss, 16 alpha^2 / n, at U = V = alpha I): lr 0.1 here catapults out of it at
the first steps and W then fits the observed entries 4% away from K. The weight decay biases the late W towards 0
(a nuclear-norm penalty): 15-20% of ||X*|| at this lambda."""
import os
import sys

import h5py
import numpy as np
import pytest

from conftest import run

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "reference"))
import numpy_matrix_completion  # noqa: E402

CI = ["--set", "model=matrix-completion", "--set", "d=12", "--set", "observed_fraction=0.5", "--set", "init_scale=10",
      "--set", "learning_rate=0.07", "--set", "weight_decay=1.314e-2", "--set", "steps=8000", "--set", "metrics_per_decade=20",
      "--set", "checkpoint_steps=[0, 1, 500]"]
PREDICTED = np.log(10) / (1.314e-2 * 0.07)


def metrics(path):
    with h5py.File(path, "r") as f:
        group = f["metrics"]
        return {name: group[name][()] for name in group}


def test_numpy_replays_20_steps(workdir):
    out = workdir / "run.h5"
    run(["run", "--set", "model=matrix-completion", "--set", "d=11", "--set", "observed_fraction=0.4", "--set", "init_scale=1.5",
         "--set", "init_noise=0.3", "--set", "learning_rate=0.05", "--set", "weight_decay=0.02", "--set", "steps=20",
         "--set", "checkpoint_steps=[0, 20]", "--out", str(out), "--quiet"], ranks=3)
    with h5py.File(out, "r") as f:
        entries = f["model/observed_entries"][()].astype(int)
        truth = f["model/truth"][()]
        u, v = f["checkpoints/step_00000000/U_t"][()].T, f["checkpoints/step_00000000/V_t"][()].T
        u20, v20 = f["checkpoints/step_00000020/U_t"][()].T, f["checkpoints/step_00000020/V_t"][()].T
    d = truth.shape[0]
    rows, cols = entries // d, entries % d
    assert np.array_equal(truth, numpy_matrix_completion.truth(d))
    assert np.allclose(u, v) and not np.allclose(u, 1.5 * np.eye(d))   # one perturbation for both: W = 0
    for _ in range(20):
        u, v = numpy_matrix_completion.gd_step(rows, cols, truth[rows, cols], u, v, 0.05, 0.02)
    assert np.abs(u - u20).max() <= 1e-10 * np.abs(u20).max()
    assert np.abs(v - v20).max() <= 1e-10 * np.abs(v20).max()
    assert np.abs(u20 - v20).max() > 1e-3   # W has moved away from 0


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_kernel_phase_then_the_truth(workdir, seed):
    out = workdir / "run.h5"
    run(["run", *CI, "--set", f"seed={seed}", "--out", str(out), "--quiet"])
    m = metrics(out)
    step = m["step"]
    with h5py.File(out, "r") as f:
        theory = dict(f["theory"].attrs)
        kernel, truth = f["model/kernel_predictor"][()], f["model/truth"][()]
        entries = f["model/observed_entries"][()].astype(int)
    # K is X* on the observed entries and their transposes, 0 elsewhere.
    d = truth.shape[0]
    mask = np.zeros(d * d, bool)
    mask[entries] = True
    mask = mask.reshape(d, d) | mask.reshape(d, d).T
    assert np.array_equal(kernel, np.where(mask, truth, 0))
    # Train loss fitted within 100 steps: below 1e-3 of its initial value (weight decay keeps a small residual).
    assert m["train_loss"][step == 100][0] < 1e-3 * m["train_loss"][0]
    # Kernel phase (100 <= t <= 0.2 x law): W within 2% of K, and the test loss is K's own (closed form, 1%).
    kernel_phase = (step >= 100) & (step <= 0.2 * PREDICTED)
    assert np.all(m["relative_distance_to_kernel"][kernel_phase] < 0.02), m["relative_distance_to_kernel"][kernel_phase]
    kernel_gap = theory["kernel_predictor_distance_to_truth"] / theory["truth_norm"]
    assert kernel_gap > 0.3
    assert np.all(np.abs(m["relative_distance_to_truth"][kernel_phase] / kernel_gap - 1) < 0.02)
    assert np.all(np.abs(m["test_loss"][kernel_phase] / theory["kernel_predictor_test_loss"] - 1) < 0.01)
    # Late phase (last step, 3.2 x law): W within 25% of X* and far from K.
    assert m["relative_distance_to_truth"][-1] < min(0.25, 0.6 * kernel_gap), m["relative_distance_to_truth"][-1]
    assert m["relative_distance_to_kernel"][-1] > 0.3
    assert m["test_loss"][-1] < 0.1 * theory["kernel_predictor_test_loss"]
    if seed == 0:
        text = run(["analyze", str(out)]).stdout
        assert "2503 steps" in text, text
        with h5py.File(out, "r") as f:
            ratio = f["analysis"].attrs["ratio_measured_to_predicted"]
        print(text)
        assert 0.8 < ratio < 2.0, text
        figures = workdir / "figures"
        listed = run(["plot", str(out), "--out", str(figures)]).stdout
        for name in ["loss_transition.svg", "norm_decay.svg", "W_early.svg", "W_last.svg", "kernel_predictor.svg", "truth.svg"]:
            assert name in listed and (figures / name).read_text().startswith("<?xml"), name
        assert "step 500 (kernel phase)" in (figures / "W_early.svg").read_text()


def test_bad_fraction_refused(workdir):
    result = run(["run", "--set", "model=matrix-completion", "--set", "d=4", "--set", "observed_fraction=0.01",
                  "--out", str(workdir / "x.h5")], check=False)
    assert result.returncode == 2 and "observed_fraction" in result.stderr, result.stderr
