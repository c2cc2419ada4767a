"""The exact reduced representation (config key `representation = "exact-reduced"`), on the real binary
under real mpirun, read back with h5py and h5dump.

In that representation every vector is written on the orthonormal basis that Gram-Schmidt builds from mu1,
mu2, the n training-noise vectors and the m initial weights (the Bartlett decomposition), so arrays have
D = min(p, 2 + n + m) columns whatever p is. The tests check that it is bit-identical on 1, 2 and 3 ranks
and across a stop and resume, that the run file records it and shows the Bartlett structure, that the
automatic choice and the refusals behave, and, most important, that it has the same law as the explicit
representation: 200 seeds of each, compared with two-sample tests on basis-independent quantities, with a
negative control (another p) that the same tests must reject.
"""
import re
import shutil
import subprocess

import h5py
import numpy as np
import pytest
from scipy import stats

from conftest import SMALL, run, run_per_rank_status

# p = 1e12 (1e12 x 73 doubles would be 584 TB): only the reduced representation can run it, and it is
# chosen automatically. 13 neurons give uneven blocks on 2 and 3 ranks (5 + 4 + 4).
N, M, N_TEST, P_HUGE = 20, 13, 40, 10**12
D_HUGE = 2 + N + M
OMEGA = 1e-20
HUGE = ["--set", f"n={N}", "--set", f"p={P_HUGE}", "--set", f"m={M}", "--set", f"n_test={N_TEST}",
        "--set", "steps=12", "--set", "alpha=1e-14", "--set", f"omega={OMEGA}", "--set", "checkpoint_steps=[0, 1, 5]"]
STEPS = 12

NOISE = ["Stack dump", "Fatal error", "Traceback", "HDF5-DIAG", "Current stack backtrace"]


def text(value):
    return value.decode() if isinstance(value, bytes) else str(value)


def load(path):
    """(metrics without wall_time, {checkpoint name: W}) of a run file."""
    with h5py.File(path, "r") as f:
        metrics = {name: f["metrics"][name][()] for name in f["metrics"] if name != "wall_time"}
        checkpoints = {name: f["checkpoints"][name]["W"][()] for name in f["checkpoints"]}
        return metrics, checkpoints


def assert_identical(reference, path, extra_checkpoints=()):
    """Tolerance zero; `path` may have the listed checkpoints beyond the reference's (a stopped run's last step)."""
    ref_metrics, ref_checkpoints = load(reference)
    metrics, checkpoints = load(path)
    assert sorted(metrics) == sorted(ref_metrics)
    for name, values in ref_metrics.items():
        assert np.array_equal(values, metrics[name], equal_nan=True), f"metric {name} differs"
    assert sorted(checkpoints) == sorted(set(ref_checkpoints) | set(extra_checkpoints))
    for name, w in ref_checkpoints.items():
        assert w.dtype == checkpoints[name].dtype and np.array_equal(w, checkpoints[name]), f"{name} W differs"


def error_lines(stderr):
    return [line for line in stderr.splitlines() if line.startswith("groksim: error:") or line.startswith("Error:")]


def assert_refused_on_every_rank(args, expected_words, ranks=2):
    """One error line containing every expected word, the same non-zero status on every rank, no noise."""
    result, codes = run_per_rank_status(args, ranks=ranks)
    assert len(codes) == ranks and all(code != 0 for code in codes) and len(set(codes)) == 1, (codes, result.stderr)
    messages = error_lines(result.stderr)
    assert len(messages) == 1, result.stderr
    for word in expected_words:
        assert word in messages[0], messages[0]
    for word in NOISE:
        assert word not in result.stderr
    return messages[0]


def chi_square_z(value, dof):
    """How many standard deviations value^2 is from the mean of chi^2 with `dof` degrees of freedom."""
    return (value * value - dof) / np.sqrt(2.0 * dof)


def assert_bartlett_rows(rows, first_new, p, scale):
    """Row k of a Bartlett block: i.i.d. N(0, scale^2) on the first first_new + k coordinates, scale * chi on
    coordinate first_new + k (dof p - first_new - k), zeros beyond; i.i.d. everywhere if that coordinate is past
    the row (the basis already spans R^p)."""
    width = rows.shape[1]
    for k, row in enumerate(rows / scale):
        new = first_new + k
        if new >= width:
            assert np.count_nonzero(row) == width and np.all(np.abs(row) < 8), (k, row)
            continue
        assert np.all(row[new + 1:] == 0), f"row {k} is not zero beyond column {new}"
        assert row[new] > 0, f"row {k}: the chi entry at column {new} must be positive"
        assert abs(chi_square_z(row[new], p - new)) < 10, (k, row[new], p - new)
        # The normal part: every entry drawn (non-zero) and of normal size.
        assert np.count_nonzero(row[:new]) == new and np.all(np.abs(row[:new]) < 8), (k, row[:new])


def noise_of(x, cluster, mu):
    """x minus its cluster mean (codes: 0 = +mu1, 1 = -mu1, 2 = +mu2, 3 = -mu2)."""
    means = np.stack([mu[0], -mu[0], mu[1], -mu[1]])
    return x - means[cluster]


# ---------------------------------------------------------------------------------------------------------
# Identity across rank counts, run-file contents, small p.

@pytest.mark.parametrize("precision", ["float64", "float32"])
def test_reduced_one_two_three_ranks_identical(workdir, precision):
    paths = {}
    for ranks in (1, 2, 3):
        paths[ranks] = workdir / f"run{ranks}.h5"
        run(["run", *HUGE, "--set", f"precision={precision}", "--out", str(paths[ranks]), "--quiet"], ranks=ranks)
    metrics, checkpoints = load(paths[1])
    assert sorted(checkpoints) == ["step_00000000", "step_00000001", "step_00000005", "step_00000012"]
    assert all(w.shape == (M, D_HUGE) and w.dtype == np.dtype(precision) for w in checkpoints.values())
    assert list(metrics["step"]) == list(range(STEPS + 1))
    # Equality proves nothing unless the weights and the accuracies really move.
    assert not np.array_equal(checkpoints["step_00000000"], checkpoints["step_00000012"])
    assert metrics["train_accuracy"][-1] == 1.0 and metrics["test_accuracy"][-1] != metrics["test_accuracy"][0]
    for ranks in (2, 3):
        assert_identical(paths[1], paths[ranks])


@pytest.fixture(scope="module")
def huge_run(tmp_path_factory):
    """p = 1e12 with no representation key, --save-data, on 2 ranks."""
    out = tmp_path_factory.mktemp("huge") / "run.h5"
    run(["run", *HUGE, "--save-data", "--out", str(out), "--quiet"], ranks=2)
    return out


def test_run_file_records_the_representation(huge_run):
    with h5py.File(huge_run, "r") as f:
        assert text(f.attrs["representation"]) == "exact-reduced"
        description = text(f.attrs["representation_description"])
        assert "exact-reduced" in description and f"min(p, 2+n+m) = {D_HUGE}" in description and str(P_HUGE) in description
        assert text(f["config"].attrs["representation"]) == "exact-reduced"
        assert int(f["config"].attrs["p"]) == P_HUGE
        assert 'representation = "exact-reduced"' in text(f.attrs["config"])
        names = sorted(f["checkpoints"])
        for name in names:
            assert f["checkpoints"][name]["W"].shape == (M, D_HUGE)
    # The checkpoint files themselves (what resume reads) record it too.
    directory = huge_run.parent / (huge_run.name + ".checkpoints")
    for name in names:
        with h5py.File(directory / f"{name}.h5", "r") as c:
            assert text(c.attrs["representation"]) == "exact-reduced"
            assert 'representation = "exact-reduced"' in text(c.attrs["config"])


def test_h5dump_reads_reduced_weights(huge_run):
    """h5dump (the HDF5 tools, not GrokSim's reader) follows the checkpoint link and prints the same W."""
    result = subprocess.run(["h5dump", "-d", "/checkpoints/step_00000005/W", str(huge_run)],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert f"DATASPACE  SIMPLE {{ ( {M}, {D_HUGE} ) / ( {M}, {D_HUGE} ) }}" in result.stdout
    body = result.stdout.split("DATA {", 1)[1]
    values = [float(v) for v in re.findall(r"(?<=[:,]) (-?[0-9.]+(?:e[-+]?[0-9]+)?)", body)]
    with h5py.File(huge_run, "r") as f:
        w = f["checkpoints/step_00000005/W"][()]
    assert len(values) == w.size
    assert np.allclose(values, w.ravel(), rtol=1e-5, atol=0)  # h5dump prints 6 significant digits


def test_saved_data_show_the_bartlett_structure(huge_run):
    with h5py.File(huge_run, "r") as f:
        train_x, test_x, mu = f["data/train_x"][()], f["data/test_x"][()], f["data/mu"][()]
        train_cluster, test_cluster = f["data/train_cluster"][()], f["data/test_cluster"][()]
        mu_norm = f["config"].attrs["mu_norm_resolved"]
        w0 = f["checkpoints/step_00000000/W"][()]
    assert train_x.shape == (N, D_HUGE) and test_x.shape == (N_TEST, D_HUGE) and mu.shape == (2, D_HUGE)
    # The means are ||mu|| e1 and ||mu|| e2, as in the explicit representation.
    expected_mu = np.zeros((2, D_HUGE))
    expected_mu[0, 0] = expected_mu[1, 1] = mu_norm
    assert np.array_equal(mu, expected_mu)
    # Training noise i: normals on coordinates 0..1+i, chi_(p-2-i) at 2+i (about 1e6 here), zeros beyond
    # (this includes the zero padding beyond 2+n).
    assert_bartlett_rows(noise_of(train_x, train_cluster, mu), 2, P_HUGE, 1.0)
    # Initial weight j: omega times the same pattern starting at coordinate 2+n+j (chi_(p-2-n-j)).
    assert_bartlett_rows(w0, 2 + N, P_HUGE, OMEGA)
    # Test noise: N(0, 1) on every one of the D coordinates.
    test_noise = noise_of(test_x, test_cluster, mu)
    assert np.count_nonzero(test_noise) == test_noise.size and np.all(np.abs(test_noise) < 8)
    assert 0.7 < test_noise.std() < 1.3


@pytest.mark.parametrize("p", [30, 12])
def test_p_below_two_plus_n_plus_m(workdir, p):
    """p < 2+n+m = 35: D = p; vectors whose new coordinate would lie beyond p are plain i.i.d. rows (p = 12
    also puts training points there). The construction must run, give the same result on 1 and 3 ranks."""
    paths = []
    for ranks in (1, 3):
        out = workdir / f"run{ranks}.h5"
        run(["run", *SMALL, "--set", f"p={p}", "--set", "representation=exact-reduced", "--save-data",
             "--out", str(out), "--quiet"], ranks=ranks)
        paths.append(out)
    assert_identical(*paths)
    with h5py.File(paths[0], "r") as f:
        assert text(f.attrs["status"]) == "complete" and text(f.attrs["representation"]) == "exact-reduced"
        assert f["data/train_x"].shape == (20, p) and f["data/test_x"].shape == (40, p) and f["data/mu"].shape == (2, p)
        w0 = f["checkpoints/step_00000000/W"][()]
        assert w0.shape == (13, p)
        noise = noise_of(f["data/train_x"][()], f["data/train_cluster"][()], f["data/mu"][()])
        omega = f["config"].attrs["omega"]
        assert not np.array_equal(w0, f["checkpoints/step_00000012/W"][()])
    assert_bartlett_rows(noise, 2, p, 1.0)
    assert_bartlett_rows(w0, 2 + 20, p, omega)


# ---------------------------------------------------------------------------------------------------------
# The automatic choice and the refusals.

def test_automatic_choice_small_p_is_explicit(workdir):
    for p in (60, 30):  # p > 2+n+m with small arrays, and p <= 2+n+m
        out = workdir / f"p{p}.h5"
        run(["run", *SMALL, "--set", f"p={p}", "--save-data", "--out", str(out), "--quiet"])
        with h5py.File(out, "r") as f:
            assert text(f.attrs["representation"]) == "explicit"
            assert text(f["config"].attrs["representation"]) == "explicit"
            assert 'representation = "explicit"' in text(f.attrs["config"])
            assert f["checkpoints/step_00000000/W"].shape == (13, p) and f["data/train_x"].shape == (20, p)


def test_automatic_choice_large_p_is_reduced(workdir, huge_run):
    with h5py.File(huge_run, "r") as f:
        assert text(f.attrs["representation"]) == "exact-reduced"
    # The smallest p whose explicit arrays exceed 4 GiB: (20 + 40 + 13) x 7354397 x 8 bytes > 2^32.
    out = workdir / "edge.h5"
    run(["run", *SMALL, "--set", "p=7354397", "--set", "steps=2", "--set", "checkpoint_steps=[0]", "--out", str(out), "--quiet"])
    with h5py.File(out, "r") as f:
        assert text(f.attrs["representation"]) == "exact-reduced"
        assert f["checkpoints/step_00000002/W"].shape == (13, 35)


def test_explicit_at_huge_p_is_refused_for_memory(workdir):
    out = workdir / "run.h5"
    message = assert_refused_on_every_rank(["run", *HUGE, "--set", "representation=explicit", "--out", str(out), "--quiet"],
                                           ["needs about", "available", "representation=exact-reduced"])
    assert "TiB" in message
    assert not out.exists() and not (workdir / "run.h5.checkpoints").exists()
    assert list(workdir.iterdir()) == []


def test_unknown_representation_is_refused(workdir):
    out = workdir / "run.h5"
    assert_refused_on_every_rank(["run", *HUGE, "--set", "representation=foo", "--out", str(out), "--quiet"],
                                 ["representation", '"explicit"', '"exact-reduced"', "foo"])
    assert list(workdir.iterdir()) == []


@pytest.mark.parametrize("key", [[], ["--set", "representation=exact-reduced"]], ids=["automatic", "explicit-key"])
def test_p_beyond_two_to_the_53_is_refused(workdir, key):
    out = workdir / "run.h5"
    assert_refused_on_every_rank(["run", *HUGE, "--set", "p=9007199254740993", *key, "--out", str(out), "--quiet"],
                                 ["p must be at most 2^53", "9007199254740993"])
    assert list(workdir.iterdir()) == []


def test_p_equal_to_two_to_the_53_runs(workdir):
    """The largest p allowed: chi draws with about 2^53 degrees of freedom still have the right size."""
    out = workdir / "run.h5"
    p = 2**53
    run(["run", *HUGE, "--set", f"p={p}", "--set", "steps=2", "--set", "checkpoint_steps=[0]", "--save-data",
         "--out", str(out), "--quiet"], ranks=2)
    with h5py.File(out, "r") as f:
        assert text(f.attrs["status"]) == "complete" and int(f["config"].attrs["p"]) == p
        noise = noise_of(f["data/train_x"][()], f["data/train_cluster"][()], f["data/mu"][()])
        w0 = f["checkpoints/step_00000000/W"][()]
    assert_bartlett_rows(noise, 2, p, 1.0)
    assert_bartlett_rows(w0, 2 + N, p, OMEGA)


def snapshot(directory):
    return {path.name: path.read_bytes() for path in sorted(directory.rglob("*")) if path.is_file()}


@pytest.mark.parametrize("config, change", [(HUGE, "explicit"), (SMALL, "exact-reduced")], ids=["reduced-to-explicit", "explicit-to-reduced"])
def test_resume_refuses_to_change_the_representation(workdir, config, change):
    out = workdir / "run.h5"
    run(["run", *config, "--set", "steps=5", "--set", "checkpoint_steps=[0]", "--out", str(out), "--quiet"], ranks=2)
    before = snapshot(workdir)
    assert_refused_on_every_rank(["resume", str(out), "--until", "8", "--set", f"representation={change}", "--quiet"],
                                 ["representation", "resum"])
    assert snapshot(workdir) == before


# ---------------------------------------------------------------------------------------------------------
# Stop and resume, analysis and figures.

# Checkpoints at 0, 1, 3, 6, 9, 12 whatever `steps` is (a later --set wins).
RESUMABLE = [*HUGE, "--set", "checkpoint_steps=[0, 1]", "--set", "checkpoint_every=3"]


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    out = tmp_path_factory.mktemp("reference") / "full.h5"
    run(["run", *RESUMABLE, "--out", str(out), "--quiet"], ranks=2)
    return out


@pytest.mark.parametrize("stop, first_ranks, resume_ranks, how", [(5, 3, 2, "until"), (1, 1, 3, "steps")])
def test_reduced_stop_and_resume_is_bit_identical(workdir, reference, stop, first_ranks, resume_ranks, how):
    out = workdir / "run.h5"
    run(["run", *RESUMABLE, "--set", f"steps={stop}", "--out", str(out), "--quiet"], ranks=first_ranks)
    extra = ["--until", str(STEPS)] if how == "until" else ["--steps", str(STEPS - stop)]
    result = run(["resume", str(out), *extra, "--quiet"], ranks=resume_ranks)
    assert result.stderr.strip() == "", result.stderr
    assert_identical(reference, out, extra_checkpoints=[f"step_{stop:08d}"])
    with h5py.File(out, "r") as f:
        assert text(f.attrs["status"]) == "complete" and list(f.attrs["resumed_at_steps"]) == [stop]
        assert text(f.attrs["representation"]) == "exact-reduced"
        assert text(f["config"].attrs["representation"]) == "exact-reduced"


def test_analyze_and_plot_a_reduced_run(workdir):
    out = workdir / "run.h5"
    run(["run", *HUGE, "--save-data", "--out", str(out), "--quiet"], ranks=2)
    run(["analyze", str(out)])
    with h5py.File(out, "r") as f:
        mu = f["data/mu"][()]
        mu_norm = f["config"].attrs["mu_norm_resolved"]
        train_x = f["data/train_x"][()]
        for name in f["checkpoints"]:
            w = f["checkpoints"][name]["W"][()]
            a = f["analysis/checkpoints"][name]
            # The analysis regenerates the data from the seed; it must agree with the weights and data on file.
            assert np.allclose(a["proj_mu1"][()], w @ mu[0] / mu_norm, rtol=1e-12, atol=0)
            assert np.allclose(a["proj_mu2"][()], w @ mu[1] / mu_norm, rtol=1e-12, atol=0)
            assert np.allclose(a["norm"][()], np.linalg.norm(w, axis=1), rtol=1e-12, atol=0)
        assert np.allclose(f["analysis/plane/train_u"][()], train_x @ mu[0] / mu_norm, rtol=1e-12, atol=0)
        assert np.allclose(f["analysis/plane/train_v"][()], train_x @ mu[1] / mu_norm, rtol=1e-12, atol=0)
        assert f["analysis/memorization_step"][()] == 2
        assert 0 <= f["analysis/one_step_agreement"][()] <= 1
    figures = workdir / "figures"
    run(["plot", str(out), "--out", str(figures)])
    expected = {"accuracy.svg", "loss.svg", "weight_norm.svg", "alignment.svg", "boundary_step_1.svg",
                "neurons_step_1.svg", "histogram_mu1_positive.svg"}
    produced = {path.name for path in figures.iterdir()}
    assert expected <= produced, produced
    for name in expected:
        content = (figures / name).read_text()
        assert content.lstrip().startswith("<") and "</svg>" in content and len(content) > 1000


# ---------------------------------------------------------------------------------------------------------
# Same law as the explicit representation.
#
# p = 3000, n = 40, m = 30: small enough to run explicitly, large enough that D = 72 is far below p (the
# reduced rows really are a different basis). With alpha/omega = 1000 the first step memorises (train accuracy
# 0.45 -> 0.98 -> 1) and the test accuracy then climbs from 0.5 towards 0.8-0.9 within 15 steps, so the
# metrics below have non-trivial laws. mu_norm is fixed so the negative control changes p only.
# Samples: 200 seeds per representation, on disjoint seed ranges so they are independent (the same seed would
# share labels and second-layer signs). Each quantity gets three two-sample tests (KS for the whole law,
# Welch t for the mean, Brown-Forsythe for the spread); the comparison rejects if any p-value is below
# FAMILY_ALPHA / K, K = number of (quantity, test) pairs, so a correct engine fails it with probability <= 1%.
LAW_SEEDS = 200
LAW = ["--set", "n=40", "--set", "m=30", "--set", "n_test=100", "--set", "mu_norm=20", "--set", "steps=15",
       "--set", "alpha=1e-6", "--set", "omega=1e-9", "--set", "checkpoint_steps=[0, 1, 5]"]
LAW_OMEGA = 1e-9
CHECKPOINTS = (0, 1, 5, 15)
METRIC_STEPS = (0, 1, 2, 5, 15)
METRICS = ("train_accuracy", "test_accuracy", "train_loss", "test_loss", "weight_norm",
           "mean_proj_mu1_positive", "mean_proj_mu2_negative", "mean_abs_proj_mu1_negative")
# Family-wise error rate of the whole comparison: Bonferroni over every (quantity, test) pair.
FAMILY_ALPHA = 0.01


def gram_quantities(path):
    """Basis-independent inner products of one seed's saved data and checkpointed weights. The last training
    point and the last neuron are included because their Bartlett chi has the fewest degrees of freedom
    (p - 2 - i, p - 2 - n - j): a wrong chi shows there first."""
    with h5py.File(path, "r") as f:
        n, m = int(f["config"].attrs["n"]), int(f["config"].attrs["m"])
        x = f["data/train_x"][[0, 1, n - 1]]
        x_test = f["data/test_x"][0]
        mu1 = f["data/mu"][0]
        mu_norm = f["config"].attrs["mu_norm_resolved"]
        w = {t: f[f"checkpoints/step_{t:08d}/W"][[0, 1, m - 1]] for t in CHECKPOINTS}
    o2 = LAW_OMEGA**2
    q = {"|x0|^2": x[0] @ x[0], "<x0,x1>": x[0] @ x[1], "|x_last|^2": x[2] @ x[2], "<x0,x_last>": x[0] @ x[2],
         "|w0(0)|^2/omega^2": w[0][0] @ w[0][0] / o2, "<w0(0),w1(0)>/omega^2": w[0][0] @ w[0][1] / o2,
         "|w_last(0)|^2/omega^2": w[0][2] @ w[0][2] / o2, "<w0(0),w_last(0)>/omega^2": w[0][0] @ w[0][2] / o2,
         "<w0(0),x0>/omega": w[0][0] @ x[0] / LAW_OMEGA, "<w_last(0),x_last>/omega": w[0][2] @ x[2] / LAW_OMEGA}
    for t in CHECKPOINTS[1:]:
        q[f"|w0({t})|^2"] = w[t][0] @ w[t][0]
        q[f"<w0({t}),x0>"] = w[t][0] @ x[0]
        q[f"<w0({t}),w1({t})>"] = w[t][0] @ w[t][1]
        q[f"<w0({t}),mu1>"] = w[t][0] @ mu1 / mu_norm
    last = CHECKPOINTS[-1]
    q[f"<w_last({last}),x_last>"] = w[last][2] @ x[2]
    q[f"<w0({last}),x_test0>"] = w[last][0] @ x_test
    return q


def ensemble_samples(out):
    """{quantity: array over seeds}: Gram quantities from every seed's file, metrics from the index."""
    samples = {}
    with h5py.File(out, "r") as f:
        seeds = f["ensemble/seed"][()]
        assert len(seeds) == LAW_SEEDS
        steps = list(f["ensemble/metrics/step"][()])
        for name in METRICS:
            table = f["ensemble/metrics"][name][()]
            for t in METRIC_STEPS:
                samples[f"{name}@{t}"] = table[:, steps.index(t)]
        representation = text(f[f"seeds/seed_{seeds[0]:06d}"].attrs["representation"])
    per_seed = [gram_quantities(out.parent / (out.name + ".seeds") / f"seed_{seed:06d}.h5") for seed in seeds]
    for name in per_seed[0]:
        samples[name] = np.array([q[name] for q in per_seed])
    return samples, representation


def two_sample_p_values(a, b):
    """(KS, Welch t, Brown-Forsythe) p-values: the whole distribution, the mean, the spread."""
    if np.ptp(a) == 0 and np.ptp(b) == 0:  # constant in both (e.g. train accuracy 1 everywhere)
        same = float(a[0] == b[0])
        return {"ks": same, "welch": same, "levene": same}
    return {"ks": stats.ks_2samp(a, b).pvalue,
            "welch": stats.ttest_ind(a, b, equal_var=False).pvalue,
            "levene": stats.levene(a, b, center="median").pvalue}


def compare(first, second):
    """[(p-value, quantity, test)] sorted, and the Bonferroni threshold for that family."""
    results = [(p, name, test) for name in first for test, p in two_sample_p_values(first[name], second[name]).items()]
    assert all(np.isfinite(p) for p, _, _ in results), results
    return sorted(results), FAMILY_ALPHA / len(results)


@pytest.fixture(scope="module")
def law_ensembles(tmp_path_factory):
    """Explicit p = 3000, reduced p = 3000, and reduced p = 2929 (negative control), on disjoint seed ranges."""
    directory = tmp_path_factory.mktemp("law")
    runs = {"explicit": (3000, "explicit", 0), "reduced": (3000, "exact-reduced", 100000),
            "control": (2929, "exact-reduced", 200000)}
    samples = {}
    for key, (p, representation, first) in runs.items():
        out = directory / f"{key}.h5"
        run(["run", *LAW, "--set", f"p={p}", "--set", f"representation={representation}", "--save-data",
             "--seeds", f"{first}..{first + LAW_SEEDS - 1}", "--out", str(out), "--quiet"], ranks=2)
        samples[key], recorded = ensemble_samples(out)
        assert recorded == representation
        with h5py.File(out.parent / (out.name + ".seeds") / f"seed_{first:06d}.h5", "r") as f:
            assert f["checkpoints/step_00000015/W"].shape == (30, p if representation == "explicit" else 72)
    # The samples are in memory; the 600 run files (about 1.3 GB) are not needed any more.
    shutil.rmtree(directory)
    return samples


def test_law_ensembles_have_non_trivial_dynamics(law_ensembles):
    """Equal laws of constants would prove nothing: the compared quantities must really vary and move."""
    for samples in law_ensembles.values():
        assert np.median(samples["test_accuracy@1"]) < 0.6 and np.median(samples["test_accuracy@15"]) > 0.8
        assert np.median(samples["train_accuracy@0"]) < 0.7 and np.median(samples["train_accuracy@2"]) == 1.0
        assert 0 < np.std(samples["test_accuracy@15"]) and 0 < np.std(samples["<w0(15),x_test0>"])
        assert np.mean(samples["|w0(15)|^2"]) > 100 * np.mean(samples["|w0(0)|^2/omega^2"]) * LAW_OMEGA**2


def test_reduced_has_the_same_law_as_explicit(law_ensembles):
    """Seeds are fixed, so the outcome is too; a change to the random streams redraws it, and then a failure
    has a 1% chance of being a false alarm: rerun with more seeds before blaming the reduction. (With these
    seeds the smallest p-value, Welch on <w0(0), w_last(0)>, sits just above the threshold: one normal draw
    of w_last, 3.9 standard errors off over 200 seeds, the largest of its 1695 normal coordinates; on 2000
    other seeds the same mean is 0.9 +- 1.2, no bias.)"""
    results, threshold = compare(law_ensembles["explicit"], law_ensembles["reduced"])
    print(f"\nexplicit vs exact-reduced, p = 3000: {len(results)} tests, Bonferroni threshold {threshold:.2e}; smallest p-values:")
    for p, name, test in results[:5]:
        print(f"  {p:.3g}  {test}  {name}")
    rejected = [(p, name, test) for p, name, test in results if p < threshold]
    assert not rejected, f"the reduced representation differs in law from the explicit one: {rejected}"


def test_negative_control_other_p_is_rejected(law_ensembles):
    """The same tests against a reduced run with p = 2929 must reject: they have power. p - 71 is the size of
    an off-by-the-basis error in a chi's degrees of freedom (2 + n + m - 1 = 71). ||x0||^2 has mean ||mu||^2 + p
    and standard deviation about sqrt(2p + 4||mu||^2) = 87, so 200 seeds see the shift at about 8 standard
    errors; the norm of all 30 initial weights (weight_norm at t = 0) sees it at about 50."""
    results, threshold = compare(law_ensembles["explicit"], law_ensembles["control"])
    rejected = {(name, test) for p, name, test in results if p < threshold}
    print(f"\nexplicit p = 3000 vs exact-reduced p = 2929: {len(rejected)} of {len(results)} tests reject at {threshold:.2e}; smallest:")
    for p, name, test in results[:5]:
        print(f"  {p:.3g}  {test}  {name}")
    assert ("|x0|^2", "welch") in rejected and ("weight_norm@0", "welch") in rejected
