"""The teacher-student model (Levi, Beck, Bar-Sinai 2024) on the real binary: the eigendecomposition oracle and a
plain-numpy GD replay against the trained S, and the Marchenko-Pastur prediction stored and printed with every run."""
import h5py
import numpy as np
import pytest

from conftest import run

BASE = ["--set", "model=teacher-student", "--set", "d_in=40", "--set", "n=50", "--set", "n_test=200",
        "--set", "eta=0.05", "--set", "steps=1000", "--set", "checkpoint_steps=[0,1,1000]"]


@pytest.mark.parametrize("ranks, extra", [
    (1, []), (3, ["--set", "d_out=3", "--set", "gamma=0.01", "--set", "label_noise=0.05", "--set", "n=30"])])
def test_oracle_and_numpy_match_the_trained_student_after_1000_steps(workdir, ranks, extra):
    out = workdir / "run.h5"
    run(["run", *BASE, *extra, "--save-data", "--out", str(out), "--quiet"], ranks=ranks)
    text = run(["analyze", str(out)]).stdout
    assert "oracle" in text
    with h5py.File(out, "r") as f:
        steps = list(f["analysis/oracle/step"][:])
        distance = f["analysis/oracle/relative_distance"][:]
        assert 1000 in steps and np.all(distance < 1e-9), (steps, distance)
        # An independent replay: S <- S - eta (2/(N d_out) X^T (X S - Y) + w S), from the stored S_0, X and Y.
        s = f["checkpoints/step_00000000/S"][:].astype(float)
        x, y = f["data/train_inputs"][:], f["data/train_targets"][:]
        eta, decay = float(f["config"].attrs["eta"]), float(f["config"].attrs["weight_decay"])
        n, outputs = y.shape
        for _ in range(1000):
            s = s - eta * (2.0 / (n * outputs) * x.T @ (x @ s - y) + decay * s)
        trained = f["checkpoints/step_00001000/S"][:]
        assert np.linalg.norm(s - trained) <= 1e-9 * np.linalg.norm(trained)
        theory = f["theory"].attrs
        assert theory["t_star_train"] > 0 and "t*_train" in str(theory["summary"])


def test_summary_prints_the_prediction_beside_the_measurement(workdir):
    out = workdir / "run.h5"
    banner = run(["run", "--preset", "levi2024-fig1-lambda1.5-small", "--out", str(out)]).stderr
    assert "theory (Marchenko-Pastur" in banner and "t*_gen=never" in banner
    summary = run(["summary", str(out)]).stdout
    assert "theory: t*_train=" in summary and "test (MP)" in summary and "L_gen (MP)" in summary
    with h5py.File(out, "r") as f:
        # lambda = 100/67: L_gen stays near the plateau 1 - 1/lambda, as predicted.
        plateau = f["theory"].attrs["gen_loss_plateau"]
        assert abs(plateau - (1 - 67 / 100)) < 1e-12
        assert abs(f["metrics/gen_loss"][-1] - plateau) < 0.25 * plateau
        assert abs(f["metrics/predicted_gen_loss"][-1] - plateau) < 0.02 * plateau


def test_gamma_and_weight_decay_together_are_refused(workdir):
    result = run(["run", "--set", "model=teacher-student", "--set", "gamma=0.01", "--set", "weight_decay=0.5",
                  "--out", str(workdir / "x.h5")], check=False)
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert result.returncode == 2 and len(lines) == 1 and "gamma" in lines[0]
