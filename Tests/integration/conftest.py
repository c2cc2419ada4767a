"""Shared helpers for the integration tests: they run the real `groksim` binary under real `mpirun`
and read its run files back with h5py and h5dump, tools independent of GrokSim."""
import os
import re
import shlex
import subprocess

import pytest

GROKSIM = os.environ.get("GROKSIM_BIN", ".build/debug/groksim")
MPIRUN = shlex.split(os.environ.get("MPIRUN", "mpirun --oversubscribe"))
if os.geteuid() == 0 and "--allow-run-as-root" not in MPIRUN:
    MPIRUN.append("--allow-run-as-root")

# A run small enough for a debug build, big enough that 3 ranks get uneven blocks (12 = 4 + 4 + 4, 13 = 5 + 4 + 4).
SMALL = ["--set", "n=20", "--set", "p=60", "--set", "m=13", "--set", "n_test=40", "--set", "steps=12",
         "--set", "alpha=1e-3", "--set", "omega=1e-3", "--set", "mu_norm=6",
         "--set", "checkpoint_steps=[0, 1, 5]"]

TIMEOUT = 300


def run(args, ranks=None, check=True, timeout=TIMEOUT, env=None):
    """Runs groksim (under mpirun with `ranks` processes when given); returns the CompletedProcess."""
    command = [GROKSIM] + list(args)
    if ranks is not None:
        command = MPIRUN + ["-n", str(ranks)] + command
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1", **(env or {}))
    result = subprocess.run(command, capture_output=True, text=True, timeout=timeout, env=env)
    if check and result.returncode != 0:
        raise AssertionError(f"{' '.join(command)} exited {result.returncode}\nstdout:\n{result.stdout}\nstderr:\n{result.stderr}")
    return result


def run_per_rank_status(args, ranks):
    """Runs groksim on `ranks` ranks and returns (combined result, exit code of each rank)."""
    inner = " ".join(shlex.quote(a) for a in [GROKSIM] + list(args))
    command = MPIRUN + ["-n", str(ranks), "sh", "-c", inner + '; echo "rank-exit-status $?" >&2']
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1")
    result = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT, env=env)
    # Ranks' stderr can interleave within a line (multi-line usage messages), so search, do not split on lines.
    codes = [int(code) for code in re.findall(r"rank-exit-status (\d+)", result.stderr)]
    return result, codes


@pytest.fixture
def workdir(tmp_path):
    return tmp_path


def _openblas_core():
    """The OpenBLAS kernel family this machine's libopenblas chose (OPENBLAS_CORETYPE is respected), or ''."""
    try:
        import ctypes
        library = ctypes.CDLL("libopenblas.so.0")
        library.openblas_get_corename.restype = ctypes.c_char_p
        return library.openblas_get_corename().decode()
    except OSError:
        return ""


BLAS_CORE = _openblas_core()
