"""The model conformance suite on the real binary: every model in MODELS is run the same way.

A model joins by one line in MODELS (a small config). Each is checked for: bit-identity of every metric
and every checkpointed parameter array on 1, 2 and 3 ranks under plain GD, Adam and Langevin dynamics;
stop-and-resume across rank counts (including Adam's state); `description` and `units` on every dataset of
the run file and of a checkpoint; one clear line for a bad value of each of its keys; and its small
preset running in seconds. The toy second model also goes through ensembles, summary and bench.
"""
import re
import subprocess
import time

import h5py
import numpy as np
import pytest

from conftest import GROKSIM, run, run_per_rank_status

CHECKPOINTS = ["--set", "checkpoint_steps=[0, 1]", "--set", "checkpoint_every=3", "--set", "steps=12"]

# One line per model (the XOR model twice: both representations). 13 neurons or coordinates split unevenly.
MODELS = {
    "xor-relu": ["--set", "n=20", "--set", "p=60", "--set", "m=13", "--set", "n_test=40", "--set", "alpha=1e-3",
                 "--set", "omega=1e-3", "--set", "mu_norm=6"],
    "xor-relu-reduced": ["--set", "n=20", "--set", "p=1000000000000", "--set", "m=13", "--set", "n_test=40",
                         "--set", "alpha=1e-14", "--set", "omega=1e-20", "--set", "representation=exact-reduced"],
    "linear-logistic": ["--set", "model=linear-logistic", "--set", "n=30", "--set", "d=13", "--set", "n_test=40",
                        "--set", "init_scale=0.3", "--set", "label_noise=0.1", "--set", "learning_rate=0.3"],
    "teacher-student": ["--set", "model=teacher-student", "--set", "d_in=13", "--set", "d_out=3", "--set", "n=10",
                        "--set", "n_test=40", "--set", "eta=0.05", "--set", "label_noise=0.1", "--set", "gamma=0.01",
                        "--set", "init_scale=0.8"],
    "diagonal-net": ["--set", "model=diagonal-net", "--set", "n=30", "--set", "d=13", "--set", "n_test=40",
                     "--set", "init_norm=4", "--set", "learning_rate=0.05", "--set", "weight_decay=0.01"],
    "diagonal-net-l2-margin": ["--set", "model=diagonal-net", "--set", "task=l2-margin", "--set", "n=12", "--set", "d=13",
                               "--set", "n_test=40", "--set", "gamma=2", "--set", "init_scale=0.5", "--set", "learning_rate=0.05",
                               "--set", "weight_decay=0.01", "--set", "loss=exponential"],
    "matrix-completion": ["--set", "model=matrix-completion", "--set", "d=13", "--set", "observed_fraction=0.3",
                          "--set", "init_scale=2", "--set", "init_noise=0.1", "--set", "learning_rate=0.05",
                          "--set", "weight_decay=0.01"],
    "constant-label-logistic": ["--set", "model=constant-label-logistic", "--set", "n=30", "--set", "d=13", "--set", "n_test=40",
                                "--set", "init_scale=0.3", "--set", "init_bias=0.2", "--set", "learning_rate=0.3"],
    "constant-label-two-gaussians": ["--set", "model=constant-label-logistic", "--set", "task=two-gaussians", "--set", "n=30",
                                     "--set", "d=13", "--set", "n_test=40", "--set", "init_scale=0.3", "--set", "sigma_a=0.1",
                                     "--set", "learning_rate=0.3"],
    "random-label-mlp": ["--set", "model=random-label-mlp", "--set", "n=20", "--set", "d=5", "--set", "width=13",
                         "--set", "n_test=40", "--set", "learning_rate=0.3"],
    # h = 26 in tiles of 8: four tiles, the last one short, split 2+2 or 2+1+1.
    "modular-mlp": ["--set", "model=modular-mlp", "--set", "p=7", "--set", "hidden=26", "--set", "train_fraction=0.5",
                    "--set", "learning_rate=0.5", "--set", "weight_decay=0.01", "--set", "init_scale=1.5"],
}
# The learning-rate key of each model, for the temperature that makes noise visible but not dominant.
LANGEVIN = {"xor-relu": "1e-6", "xor-relu-reduced": "1e-30", "linear-logistic": "1e-4", "teacher-student": "1e-6",
            "diagonal-net": "1e-5", "diagonal-net-l2-margin": "1e-5", "matrix-completion": "1e-6", "constant-label-logistic": "1e-4",
            "constant-label-two-gaussians": "1e-4", "random-label-mlp": "1e-4",
            "modular-mlp": "1e-5"}
# Small presets that run in seconds even in a debug build (the diagonal net's and matrix completion's need 2-4 x 10^4 steps: about a
# minute or more in debug, seconds in release; test_diagonal_net.py and test_matrix_completion.py run smaller systems instead).
PRESETS = {"xor-relu": "small", "linear-logistic": "linear-logistic-small", "teacher-student": "levi2024-fig1-lambda1.5-small",
           "constant-label-logistic": "beck2025-fig5-small", "modular-mlp": "modadd-tiny"}


def model_name(model):
    """The registry name of a MODELS entry: its model=... setting, or the default model."""
    names = [arg.split("=", 1)[1] for arg in MODELS[model] if arg.startswith("model=")]
    return names[0] if names else "xor-relu"


def skip_unsupported(model, dynamics):
    if model == "xor-relu-reduced" and dynamics != "gd":
        pytest.skip("the reduced representation is exact for GD only (refusal tested below)")


def dynamics_args(model, dynamics):
    if dynamics == "adam":
        return ["--set", "optimizer=adam"]
    if dynamics == "langevin":
        return ["--set", f"temperature={LANGEVIN[model]}"]
    return []


def read(path):
    """(metrics without wall_time, {checkpoint/array: values}) of a run file, read with h5py."""
    with h5py.File(path, "r") as f:
        metrics = {name: f["metrics"][name][()] for name in f["metrics"] if name != "wall_time"}
        arrays = {}
        for step in f["checkpoints"]:
            group = f["checkpoints"][step]
            for name in group:
                if isinstance(group[name], h5py.Dataset) or name == "optimizer":
                    if name == "optimizer":
                        for inner in group[name]:
                            arrays[f"{step}/optimizer/{inner}"] = group[name][inner][()]
                    else:
                        arrays[f"{step}/{name}"] = group[name][()]
        return metrics, arrays


def assert_same(reference, other, label):
    (m1, a1), (m2, a2) = reference, other
    assert sorted(m1) == sorted(m2)
    for name in m1:
        assert np.array_equal(m1[name], m2[name], equal_nan=True), f"{label}: metric {name} differs"
    assert sorted(a1) == sorted(a2), label
    for name in a1:
        assert np.array_equal(a1[name], a2[name]), f"{label}: {name} differs"


@pytest.mark.parametrize("dynamics", ["gd", "adam", "langevin"])
@pytest.mark.parametrize("model", sorted(MODELS))
def test_one_two_three_ranks_bit_identical(workdir, model, dynamics):
    skip_unsupported(model, dynamics)
    runs = {}
    for ranks in (1, 2, 3):
        out = workdir / f"r{ranks}.h5"
        run(["run", *MODELS[model], *CHECKPOINTS, *dynamics_args(model, dynamics), "--out", str(out), "--quiet"], ranks=ranks)
        runs[ranks] = read(out)
    metrics, arrays = runs[1]
    first = {k: v for k, v in arrays.items() if k.startswith("step_00000000/")}
    last = {k.replace("step_00000012", "step_00000000"): v for k, v in arrays.items() if k.startswith("step_00000012/")}
    moved = [k for k in first if "optimizer" not in k and not np.array_equal(first[k], last[k])]
    assert moved, "the parameters must move, or equality proves nothing"
    if dynamics == "adam":
        assert any("optimizer" in k for k in arrays), "Adam's moments must be checkpointed"
    for ranks in (2, 3):
        assert_same(runs[1], runs[ranks], f"{model} {dynamics} on {ranks} ranks")


@pytest.mark.parametrize("dynamics", ["gd", "adam", "langevin"])
@pytest.mark.parametrize("model", sorted(MODELS))
def test_stop_and_resume_on_other_rank_counts_is_bit_identical(workdir, model, dynamics):
    skip_unsupported(model, dynamics)
    reference, part = workdir / "full.h5", workdir / "part.h5"
    args = [*MODELS[model], *CHECKPOINTS, *dynamics_args(model, dynamics)]
    run(["run", *args, "--out", str(reference), "--quiet"], ranks=1)
    run(["run", *args, "--set", "steps=7", "--out", str(part), "--quiet"], ranks=2)
    run(["resume", str(part), "--until", "12", "--quiet"], ranks=3)
    full, resumed = read(reference), read(part)
    # The stopped run also checkpointed step 7; compare the checkpoints both runs have.
    common = {k: v for k, v in resumed[1].items() if k in full[1]}
    assert_same(full, (resumed[0], common), f"{model} {dynamics} resumed 2 -> 3 ranks")


def walk_datasets(group, prefix=""):
    for name, item in group.items():
        if isinstance(item, h5py.Dataset):
            yield prefix + name, item
        elif isinstance(item, h5py.Group):
            yield from walk_datasets(item, prefix + name + "/")


@pytest.mark.parametrize("model", sorted(MODELS))
def test_every_dataset_has_description_and_units(workdir, model):
    out = workdir / "run.h5"
    adam = [] if model == "xor-relu-reduced" else ["--set", "optimizer=adam"]
    run(["run", *MODELS[model], *CHECKPOINTS, *adam, "--save-data", "--out", str(out), "--quiet"], ranks=2)
    with h5py.File(out, "r") as f:
        model_attribute = f.attrs["model"]
        model_attribute = model_attribute.decode() if isinstance(model_attribute, bytes) else model_attribute
        assert model_attribute == model_name(model)
        names = list(walk_datasets(f))
        assert any(name.startswith("checkpoints/step_00000012/") for name, _ in names)
        assert any(name.startswith("metrics/") for name, _ in names)
        for name, dataset in names:
            assert "description" in dataset.attrs and dataset.attrs["description"], f"{model}: {name} has no description"
            assert "units" in dataset.attrs, f"{model}: {name} has no units"


def model_keys(model):
    """The keys `groksim presets MODEL` documents for a model."""
    text = run(["presets", model_name(model)]).stdout
    keys = re.findall(r"^  ([a-z_0-9]+)  ", text.split("Keys of model", 1)[1], flags=re.MULTILINE)
    assert len(keys) > 15, text
    return keys


@pytest.mark.parametrize("model", ["xor-relu", "linear-logistic", "teacher-student", "diagonal-net", "matrix-completion", "constant-label-logistic",
                                   "random-label-mlp", "modular-mlp"])
def test_a_bad_value_of_each_key_is_refused_in_one_line(workdir, model):
    out = workdir / "run.h5"
    # "nan" is wrong for every kind of key: integers, finite numbers, choices, booleans and lists.
    for key in model_keys(model):
        result = run(["run", *MODELS[model], "--set", f"{key}=nan", "--out", str(out), "--quiet"], check=False)
        lines = [line for line in result.stderr.splitlines() if line.strip()]
        assert result.returncode == 2, (key, result.stderr)
        assert len(lines) == 1 and lines[0].startswith("groksim: error:") and key in lines[0], (key, result.stderr)
        assert "Traceback" not in result.stderr and "Fatal error" not in result.stderr
        assert not out.exists(), key
    # And on every rank of a job, with the same code.
    result, codes = run_per_rank_status(["run", *MODELS[model], "--set", "steps=nan", "--out", str(out), "--quiet"], ranks=2)
    assert codes == [2, 2], result.stderr


@pytest.mark.parametrize("dynamics, words", [("adam", "optimizer must be \"gd\" with representation"),
                                             ("langevin", "temperature must be 0 with representation")])
def test_reduced_representation_refuses_dynamics_it_cannot_represent(workdir, dynamics, words):
    result = run(["run", *MODELS["xor-relu-reduced"], *dynamics_args("xor-relu-reduced", dynamics),
                  "--out", str(workdir / "x.h5")], check=False)
    assert result.returncode == 2 and words in result.stderr, result.stderr


def test_a_key_of_another_model_names_its_owner(workdir):
    result = run(["run", "--set", "model=linear-logistic", "--set", "alpha=0.1", "--out", str(workdir / "x.h5")], check=False)
    assert result.returncode == 2
    assert "key 'alpha' belongs to model \"xor-relu\", not to \"linear-logistic\"" in result.stderr


@pytest.mark.parametrize("model", sorted(PRESETS))
def test_small_preset_runs_in_seconds(workdir, model):
    start = time.monotonic()
    run(["run", "--preset", PRESETS[model], "--out", str(workdir / "small.h5"), "--quiet"], ranks=2)
    seconds = time.monotonic() - start
    # Speed is measured by `groksim bench`, not asserted here: this bound only catches a preset that has
    # stopped being small (a debug build on a shared 2-core machine takes 3-35 s; a release build a few seconds).
    print(f"preset {PRESETS[model]}: {seconds:.1f} s")
    assert seconds < 120, f"preset {PRESETS[model]} took {seconds:.1f} s"


def test_toy_model_through_ensembles_summary_plot_and_bench(workdir):
    toy = MODELS["linear-logistic"]
    index = workdir / "ens.h5"
    run(["run", *toy, *CHECKPOINTS, "--seeds", "0..3", "--out", str(index), "--quiet"], ranks=2)
    single = workdir / "seed2.h5"
    run(["run", *toy, *CHECKPOINTS, "--set", "seed=2", "--out", str(single), "--quiet"], ranks=1)
    assert_same(read(single), read(workdir / "ens.h5.seeds" / "seed_000002.h5"), "seed 2 in the ensemble")
    summary = run(["summary", str(index)]).stdout
    assert "model: linear-logistic" in summary and "cos(w, w*)" in summary
    assert "cos(w, w*)" in run(["summary", str(single)]).stdout
    figures = run(["plot", str(single), "--out", str(workdir / "figures")]).stdout
    assert "accuracy.svg" in figures and "weights.svg" in figures
    assert "accuracy_band.svg" in run(["plot", str(index), "--out", str(workdir / "band")]).stdout
    analyze = run(["analyze", str(single)], check=False)
    assert analyze.returncode == 2 and "has no analysis yet" in analyze.stderr
    bench = run(["bench", *toy, "--steps", "2", "--warmup", "1", "--numpy-reference", "none"], ranks=2).stdout
    assert re.search(r"default\s+float64\s+2\s+\d", bench), bench
    # The toy's final test accuracy against its clean teacher labels is well above chance.
    with h5py.File(single, "r") as f:
        assert f["metrics"]["test_accuracy"][-1] > 0.75


def test_preset_checkpoint_steps_beyond_steps_are_dropped_with_a_note(workdir):
    result = run(["run", "--preset", "xu2024-fig1", "--set", "steps=12", "--set", "p=100", "--set", "m=8",
                  "--out", str(workdir / "short.h5"), "--quiet"])
    assert "note: checkpoint steps 15 of preset 'xu2024-fig1' lie beyond steps = 12 and are dropped" in result.stderr
    with h5py.File(workdir / "short.h5", "r") as f:
        assert sorted(f["checkpoints"]) == ["step_00000000", "step_00000001", "step_00000012"]
    explicit = run(["run", "--preset", "xu2024-fig1", "--set", "steps=12", "--set", "checkpoint_steps=[0, 15]",
                    "--out", str(workdir / "refused.h5")], check=False)
    assert explicit.returncode == 2 and "checkpoint_steps entries must lie in [0, steps = 12] (got 15)" in explicit.stderr


@pytest.mark.parametrize("text", ["# first line\r\nn = 17\r\nsteps = 3\r\n", "\ufeffn = 17\nsteps = 3\n"], ids=["crlf", "bom"])
def test_windows_line_endings_and_byte_order_mark_keep_every_key(workdir, text):
    config = workdir / "win.toml"
    config.write_bytes(text.encode("utf-8"))
    out = workdir / "w.h5"
    run(["run", str(config), "--preset", "small", "--set", "p=200", "--set", "m=8", "--out", str(out), "--quiet"])
    with h5py.File(out, "r") as f:
        assert f["config"].attrs["n"] == 17 and f["config"].attrs["steps"] == 3


def test_no_code_outside_the_xor_folder_knows_the_xor_model():
    """The engine, the run layer, the commands and the other models name none of the XOR model's means,
    clusters, second layer or XOR-only metrics (the flagship's preset names in help examples are allowed)."""
    import pathlib
    words = re.compile(r"mu1|mu2|\|\|mu\|\||cluster|a_j|train_accuracy_flipped|mean_proj|mean_abs_proj|point_weight_ratio"
                       r"|TwoLayerReLU|XORCluster|XORReLU|Representation\.")
    sources = pathlib.Path(__file__).resolve().parents[2] / "Sources"
    offenders = []
    for path in sources.rglob("*.swift"):
        relative = path.relative_to(sources)
        if relative.parts[:2] == ("GrokSimModels", "XORReLU"):
            continue
        if relative.as_posix() == "groksim/Models.swift":  # the registry names every model once
            continue
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if words.search(line):
                offenders.append(f"{relative}:{number}: {line.strip()}")
    assert not offenders, "\n".join(offenders)
