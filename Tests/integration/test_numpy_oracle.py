"""GrokSim's trajectory against an independent plain-numpy GD loop (Tests/reference/numpy_gd.py)."""
import os
import sys

import h5py
import numpy as np
import pytest

from conftest import SMALL, run

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "reference"))
import numpy_gd  # noqa: E402


# The reduced representation's stored data are zero-padded to the weights' row length, so the same plain
# GD loop replays it too; p = 10^12 there (d = 2 + n + m = 35 coordinates).
@pytest.mark.parametrize("ranks, weight_decay, representation", [
    (1, 0.0, "explicit"), (3, 0.5, "explicit"), (2, 0.5, "exact-reduced")])
def test_numpy_replays_the_same_trajectory(workdir, ranks, weight_decay, representation):
    out = workdir / "run.h5"
    huge_p = ["--set", "p=1000000000000"] if representation == "exact-reduced" else []
    run(["run", *SMALL, *huge_p, "--set", f"representation={representation}", "--set", "eta=0.2",
         "--set", f"weight_decay={weight_decay}", "--save-data", "--out", str(out), "--quiet"], ranks=ranks)
    with h5py.File(out, "r") as f:
        x, y = f["data/train_x"][()], f["data/train_y"][()]
        a = f["model/a"][()]
        alpha = float(f["config"].attrs["alpha"])
        w = f["checkpoints/step_00000000/W"][()]
        assert f.attrs["representation"].decode() == representation
        assert x.shape[1] == w.shape[1] == (60 if representation == "explicit" else 2 + 20 + 13)
        expected = {step: f[f"checkpoints/step_{step:08d}/W"][()] for step in (1, 5, 12)}
    for step in range(1, 13):
        w = numpy_gd.gd_step(x, y, w, a, alpha, weight_decay)
        if step in expected:
            # Only the order of floating-point sums differs (GrokSim sums outputs exactly): relative 1e-10.
            scale = np.abs(expected[step]).max()
            assert np.abs(w - expected[step]).max() <= 1e-10 * scale, f"step {step}"
    assert not np.allclose(expected[12], expected[1])
