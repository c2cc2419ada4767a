"""Runs on 1, 2 and 3 ranks must be identical: metrics and checkpointed weights, bit for bit.

The tolerance is zero. Why it can be: every rank regenerates the same data and the same initial weights
from a counter-based generator; each neuron's pre-activations come from the same BLAS kernel on the same
row of W whatever block it sits in; and the partial network outputs are added as exact fixed-point sums,
so the all-reduce result does not depend on how the neurons are split.
"""
import h5py
import numpy as np
import pytest

from conftest import SMALL, run


def read_run(path):
    with h5py.File(path, "r") as f:
        metrics = {name: f["metrics"][name][()] for name in f["metrics"] if name != "wall_time"}
        checkpoints = {name: f["checkpoints"][name]["W"][()] for name in f["checkpoints"]}
        return metrics, checkpoints, f["model"]["a"][()]


@pytest.mark.parametrize("precision", ["float64", "float32"])
def test_one_two_three_ranks_identical(workdir, precision):
    runs = {}
    for ranks in (1, 2, 3):
        out = workdir / f"run{ranks}.h5"
        run(["run", *SMALL, "--set", f"precision={precision}", "--out", str(out), "--quiet"], ranks=ranks)
        runs[ranks] = read_run(out)
    metrics1, checkpoints1, a1 = runs[1]
    assert sorted(checkpoints1) == ["step_00000000", "step_00000001", "step_00000005", "step_00000012"]
    assert len(metrics1["step"]) == 13
    # The weights must actually move, or equality would prove nothing.
    assert not np.array_equal(checkpoints1["step_00000000"], checkpoints1["step_00000012"])
    for ranks in (2, 3):
        metrics, checkpoints, a = runs[ranks]
        assert np.array_equal(a, a1)
        assert metrics.keys() == metrics1.keys()
        for name in metrics1:
            assert np.array_equal(metrics[name], metrics1[name], equal_nan=True), f"{name} differs on {ranks} ranks"
        for name in checkpoints1:
            assert np.array_equal(checkpoints[name], checkpoints1[name]), f"{name} differs on {ranks} ranks"


def test_rank_count_recorded_and_results_deterministic(workdir):
    first, second = workdir / "a.h5", workdir / "b.h5"
    run(["run", *SMALL, "--out", str(first), "--quiet"], ranks=2)
    run(["run", *SMALL, "--out", str(second), "--quiet"], ranks=2)
    with h5py.File(first, "r") as f:
        assert f.attrs["ranks"] == 2
    assert np.array_equal(read_run(first)[1]["step_00000012"], read_run(second)[1]["step_00000012"])
    other_seed = workdir / "c.h5"
    run(["run", *SMALL, "--set", "seed=1", "--out", str(other_seed), "--quiet"], ranks=2)
    assert not np.array_equal(read_run(first)[1]["step_00000012"], read_run(other_seed)[1]["step_00000012"])
