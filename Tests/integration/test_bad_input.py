"""Bad input: one clear line naming the problem, a non-zero exit on every rank, no hang, no output."""
import os

import h5py
import pytest

from conftest import SMALL, run, run_per_rank_status

NOISE = ["Stack dump", "Fatal error", "Traceback", "HDF5-DIAG", "Current stack backtrace"]

CASES = [
    # (id, extra arguments, expected words in the message)
    ("zero-n", ["--set", "n=0"], "n must be a positive integer"),
    ("negative-m", ["--set", "m=-4"], "m must be a positive integer"),
    ("eta-too-big", ["--set", "eta=0.5"], "eta must be in [0, 0.5)"),
    ("alpha-nan", ["--set", "alpha=nan"], "alpha must be a finite number"),
    ("omega-inf", ["--set", "omega=inf"], "omega must be a finite number"),
    ("non-integer", ["--set", "steps=2.5"], "steps must be an integer"),
    ("unknown-key", ["--set", "learnng_rate=0.1"], "unknown key 'learnng_rate'"),
    ("other-models-key", ["--set", "learning_rate=0.1"], "key 'learning_rate' belongs to model \"linear-logistic\""),
    ("typo-key", ["--set", "mm=3"], "did you mean 'm'"),
    ("bad-precision", ["--set", "precision=half"], "precision must be"),
    ("unknown-preset", ["--preset", "xu2023"], "unknown preset 'xu2023'"),
    ("missing-config", ["no-such-config.toml"], "does not exist"),
    ("more-ranks-than-neurons", ["--set", "m=1"], "more ranks (2) than neurons (m = 1)"),
    ("too-big-for-memory", ["--set", "p=2000000000", "--set", "n=100000"], "run needs about"),
    ("missing-output-dir", ["--out-override", "no/such/dir/run.h5"], "does not exist"),
]


@pytest.mark.parametrize("case_id, extra, expected", CASES, ids=[c[0] for c in CASES])
def test_bad_input(workdir, case_id, extra, expected):
    out = workdir / "run.h5"
    if "--out-override" in extra:
        out = workdir / extra[extra.index("--out-override") + 1]
        extra = []
    args = ["run", *SMALL, *extra, "--out", str(out), "--quiet"]
    result, codes = run_per_rank_status(args, ranks=2)
    assert codes == [codes[0]] * 2 and len(codes) == 2 and all(code != 0 for code in codes), (codes, result.stderr)
    messages = [line for line in result.stderr.splitlines() if line.startswith("groksim: error:") or line.startswith("Error:")]
    assert len(messages) == 1, result.stderr
    assert expected in messages[0], messages[0]
    for word in NOISE:
        assert word not in result.stderr
    assert not out.exists()


def test_existing_output_is_kept_without_force(workdir):
    out = workdir / "run.h5"
    out.write_bytes(b"precious results")
    before = os.stat(out)
    result, codes = run_per_rank_status(["run", *SMALL, "--out", str(out), "--quiet"], ranks=2)
    assert codes == [2, 2], result.stderr
    assert "already exists; pass --force" in result.stderr
    assert out.read_bytes() == b"precious results" and os.stat(out).st_mtime_ns == before.st_mtime_ns
    run(["run", *SMALL, "--out", str(out), "--quiet", "--force"], ranks=2)
    with h5py.File(out, "r") as f:
        assert "metrics" in f


def test_config_file_errors_name_the_line(workdir):
    config = workdir / "bad.toml"
    config.write_text("n = 20\np = 60\nm = 13\nsteps = 3\nn_tset = 40  # typo\n")
    result = run(["run", str(config), "--out", str(workdir / "x.h5")], check=False)
    assert result.returncode != 0
    assert "bad.toml:5" in result.stderr and "n_tset" in result.stderr and "did you mean 'n_test'" in result.stderr


@pytest.mark.parametrize("kind", ["text", "truncated", "foreign", "newer"])
def test_summary_rejects_bad_files(workdir, kind):
    path = workdir / f"{kind}.h5"
    if kind == "text":
        path.write_text("not an HDF5 file\n")
        expected = "not an HDF5 file"
    elif kind == "truncated":
        good = workdir / "good.h5"
        run(["run", *SMALL, "--out", str(good), "--quiet"])
        data = good.read_bytes()
        path.write_bytes(data[: len(data) // 3])
        expected = str(path)
    elif kind == "foreign":
        with h5py.File(path, "w") as f:
            f["x"] = [1, 2, 3]
        expected = "not a GrokSim run file"
    else:
        good = workdir / "good.h5"
        run(["run", *SMALL, "--out", str(good), "--quiet"])
        with h5py.File(good, "a") as f:
            f.attrs["format_version"] = 99
        path = good
        expected = "format version 99"
    before = path.read_bytes()
    result = run(["summary", str(path)], check=False)
    assert result.returncode != 0
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and expected in lines[0], result.stderr
    assert path.read_bytes() == before


def test_srun_without_mpi_connection_is_caught(workdir):
    """srun without PMI starts N unconnected copies of rank 0; each must stop instead of writing the file."""
    out = workdir / "run.h5"
    result = run(["run", *SMALL, "--out", str(out)], check=False, env={"SLURM_STEP_NUM_TASKS": "4"})
    assert result.returncode == 2
    assert "Slurm started 4 tasks but MPI sees 1 rank(s)" in result.stderr
    assert not out.exists()


def test_example_config_in_jobs_is_valid(workdir):
    out = workdir / "example.h5"
    run(["run", "jobs/example.toml", "--set", "p=200", "--set", "m=8", "--set", "steps=2",
         "--set", "checkpoint_steps=[0]", "--out", str(out), "--quiet"])
    assert out.exists()
