"""The run file read back by tools that are not GrokSim: h5py (with a numpy oracle) and h5dump."""
import shutil
import subprocess

import h5py
import numpy as np
import pytest

from conftest import SMALL, run

METRICS = ["train_loss", "train_accuracy", "train_accuracy_flipped", "train_accuracy_clean", "test_loss",
           "test_accuracy", "test_accuracy_plus_mu1", "test_accuracy_minus_mu1", "test_accuracy_plus_mu2",
           "test_accuracy_minus_mu2", "weight_norm", "mean_proj_mu1_positive", "mean_proj_mu2_positive",
           "mean_proj_mu1_negative", "mean_proj_mu2_negative"]


@pytest.fixture(scope="module")
def run_file(tmp_path_factory):
    out = tmp_path_factory.mktemp("runfile") / "run.h5"
    run(["run", *SMALL, "--set", "eta=0.2", "--save-data", "--out", str(out), "--quiet"], ranks=2)
    return out


def test_layout_and_attributes(run_file):
    with h5py.File(run_file, "r") as f:
        assert f.attrs["format"] == b"groksim-run" or f.attrs["format"] == "groksim-run"
        assert int(f.attrs["format_version"]) == 1
        for name in ["software_version", "created", "ranks", "model", "config", "status"]:
            assert name in f.attrs, name
        status = f.attrs["status"]
        assert (status.decode() if isinstance(status, bytes) else status) == "complete"
        config = f.attrs["config"]
        config = config.decode() if isinstance(config, bytes) else config
        assert "n = 20" in config and "m = 13" in config
        assert int(f["config"].attrs["m"]) == 13 and float(f["config"].attrs["eta"]) == 0.2
        steps = f["metrics/step"][()]
        assert list(steps) == list(range(13))
        for name in METRICS:
            assert f["metrics"][name].shape == steps.shape, name
        assert f["metrics/step"].maxshape == (None,)
        a = f["model/a"][()]
        assert a.shape == (13,)
        assert np.allclose(np.abs(a), 1 / np.sqrt(13))
        assert f["checkpoints/step_00000005/W"].shape == (13, 60)
        for name in ["train_x", "train_y", "train_clean_y", "train_flipped", "test_x", "test_y", "mu"]:
            assert name in f["data"], name
        assert f["data/mu"].shape == (2, 60)


def test_every_dataset_has_description_and_units(run_file):
    missing = []
    with h5py.File(run_file, "r") as f:
        def visit(name, obj):
            if isinstance(obj, h5py.Dataset):
                for attribute in ("description", "units"):
                    if attribute not in obj.attrs:
                        missing.append(f"{name}:{attribute}")
        f.visititems(visit)
    assert missing == []


def test_numpy_recomputes_metrics_from_checkpoint_and_data(run_file):
    """An independent oracle: the network output recomputed with numpy from the stored W, a and data."""
    with h5py.File(run_file, "r") as f:
        x, y = f["data/train_x"][()], f["data/train_y"][()]
        clean, flipped = f["data/train_clean_y"][()], f["data/train_flipped"][()]
        xt, yt = f["data/test_x"][()], f["data/test_y"][()]
        a = f["model/a"][()]
        mu = f["data/mu"][()]
        steps = list(f["metrics/step"][()])
        for step in (1, 5, 12):
            w = f[f"checkpoints/step_{step:08d}/W"][()]
            row = steps.index(step)
            out = np.maximum(x @ w.T, 0) @ a
            out_test = np.maximum(xt @ w.T, 0) @ a
            loss = np.mean(np.logaddexp(0, -y * out))
            assert np.isclose(f["metrics/train_loss"][row], loss, rtol=1e-12, atol=0)
            assert f["metrics/train_accuracy"][row] == np.mean(y * out > 0)
            assert f["metrics/test_accuracy"][row] == np.mean(yt * out_test > 0)
            assert np.isclose(f["metrics/weight_norm"][row], np.linalg.norm(w), rtol=1e-12)
            proj = w @ mu[0] / np.linalg.norm(mu[0])
            assert np.isclose(f["metrics/mean_proj_mu1_positive"][row], proj[a > 0].mean(), rtol=1e-10)
        assert np.array_equal(y, np.where(flipped == 1, -clean, clean))
        assert 0 < flipped.sum() < len(flipped)


def test_h5dump_reads_the_file(run_file):
    h5dump = shutil.which("h5dump")
    assert h5dump, "h5dump (hdf5-tools) must be installed by make deps"
    header = subprocess.run([h5dump, "-H", str(run_file)], capture_output=True, text=True, timeout=60)
    assert header.returncode == 0, header.stderr
    for name in ['GROUP "metrics"', "train_accuracy", "test_accuracy", "step_00000012", "DATASET \"W\"", "DATASET \"a\""]:
        assert name in header.stdout, name
    attribute = subprocess.run([h5dump, "-a", "/format", str(run_file)], capture_output=True, text=True, timeout=60)
    assert attribute.returncode == 0 and "groksim-run" in attribute.stdout
    values = subprocess.run([h5dump, "-d", "/metrics/step", str(run_file)], capture_output=True, text=True, timeout=60)
    assert values.returncode == 0 and "(0): 0, 1, 2, 3" in values.stdout.replace("\n", " ")


def test_summary_command_prints_the_table(run_file):
    result = run(["summary", str(run_file)])
    assert "status: complete" in result.stdout
    assert result.stdout.count("\n") > 5


def test_plot_writes_parseable_svg_figures(run_file, tmp_path):
    import xml.etree.ElementTree as ET
    out = tmp_path / "figures"
    result = run(["plot", str(run_file), "--out", str(out)])
    paths = result.stdout.split()
    assert [p.rsplit("/", 1)[-1] for p in paths] == ["accuracy.svg", "loss.svg", "weight_norm.svg", "alignment.svg"]
    accuracy = ET.parse(out / "accuracy.svg").getroot()
    assert accuracy.tag.endswith("svg")
    labels = {element.get("data-series") for element in accuracy.iter() if element.get("data-series")}
    assert {"train (noisy labels)", "clean test", "test -mu2"} <= labels
    text = (out / "accuracy.svg").read_text()
    assert "n=20" in text and "nan" not in text.lower()
    # Figures are results too: not overwritten without --force.
    before = (out / "loss.svg").read_bytes()
    again = run(["plot", str(run_file), "--out", str(out)], check=False)
    assert again.returncode != 0 and "already exists; pass --force" in again.stderr
    assert (out / "loss.svg").read_bytes() == before


def test_assumption_report_in_check_and_in_the_run_file(run_file):
    report = run(["check", "--preset", "xu2024-fig1"])
    assert "Not in the theorem's regime: A1, A2, A5 fail." in report.stdout
    assert "A4  holds" in report.stdout
    with h5py.File(run_file, "r") as f:
        group = f["assumptions"]
        assert float(group.attrs["constant"]) == 1.0
        for name in ["A1", "A2", "A3", "A4", "A5", "A6"]:
            holds = int(group.attrs[f"{name}_holds"])
            left, right = float(group.attrs[f"{name}_left"]), float(group.attrs[f"{name}_right"])
            statement = group.attrs[f"{name}_statement"]
            statement = statement.decode() if isinstance(statement, bytes) else statement
            assert holds == (left >= right if ">=" in statement else left <= right), name
