"""Ensembles: many seeds in one MPI job, split into groups of ranks, equal to single-seed runs."""
import h5py
import numpy as np
import pytest

from conftest import SMALL, run

SEEDS = [0, 1, 2, 3]


@pytest.fixture(scope="module")
def single_runs(tmp_path_factory):
    directory = tmp_path_factory.mktemp("single")
    results = {}
    for seed in SEEDS:
        out = directory / f"s{seed}.h5"
        run(["run", *SMALL, "--set", f"seed={seed}", "--out", str(out), "--quiet"])
        with h5py.File(out, "r") as f:
            results[seed] = (f["metrics/test_accuracy"][()], f["metrics/train_loss"][()],
                             f["checkpoints/step_00000012/W"][()])
    return results


@pytest.mark.parametrize("ranks, per_seed", [(1, None), (2, None), (3, None), (2, 2)])
def test_ensemble_matches_single_seed_runs(workdir, single_runs, ranks, per_seed):
    out = workdir / "ensemble.h5"
    extra = ["--ranks-per-seed", str(per_seed)] if per_seed else []
    run(["run", *SMALL, "--seeds", "0..3", *extra, "--out", str(out), "--quiet"], ranks=ranks)
    with h5py.File(out, "r") as f:
        assert list(f["ensemble/seed"][()]) == SEEDS
        assert f["ensemble/metrics/test_accuracy"].shape == (4, 13)
        for row, seed in enumerate(SEEDS):
            test, loss, weights = single_runs[seed]
            linked = f[f"seeds/seed_{seed:06d}"]
            assert np.array_equal(linked["metrics/test_accuracy"][()], test)
            assert np.array_equal(f["ensemble/metrics/train_loss"][row], loss)
            assert np.array_equal(linked["checkpoints/step_00000012/W"][()], weights)
    # Different seeds really differ, or the comparison proves little.
    assert not np.array_equal(single_runs[0][2], single_runs[1][2])


def test_ensemble_summary_and_refusals(workdir):
    out = workdir / "ensemble.h5"
    run(["run", *SMALL, "--seeds", "0..1", "--out", str(out), "--quiet"], ranks=2)
    summary = run(["summary", str(out)])
    assert "median over seeds" in summary.stdout and "seeds: 2" in summary.stdout
    # The same command again continues the ensemble: here nothing is missing, so no seed runs again.
    again = run(["run", *SMALL, "--seeds", "0..1", "--out", str(out)], ranks=2)
    assert "done at" not in again.stderr and "finished" in again.stdout
    other = run(["run", *SMALL, "--seeds", "0..2", "--out", str(out), "--quiet"], ranks=2, check=False)
    assert other.returncode != 0 and "index of another ensemble" in other.stderr
    bad = run(["run", *SMALL, "--seeds", "0..3", "--ranks-per-seed", "2", "--out", str(workdir / "x.h5")], ranks=3, check=False)
    assert bad.returncode != 0 and "multiple of --ranks-per-seed" in bad.stderr
    reversed_range = run(["run", *SMALL, "--seeds", "5..2", "--out", str(workdir / "y.h5")], check=False)
    assert reversed_range.returncode != 0 and "--seeds" in reversed_range.stderr
