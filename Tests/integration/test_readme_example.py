"""The h5py example in README.md runs as written on a fresh, analysed run file."""
import re
import subprocess
import sys
from pathlib import Path

from conftest import SMALL, run

README = Path(__file__).resolve().parents[2] / "README.md"


def test_readme_h5py_example_runs(workdir):
    text = README.read_text()
    match = re.search(r"<!-- h5py-example -->\s*```python\n(.*?)```", text, re.S)
    assert match, "README.md must keep the h5py example after the <!-- h5py-example --> marker"
    code = match.group(1)
    assert 'RUN = "demo/xu2024-fig1.h5"' in code
    out = workdir / "run.h5"
    run(["run", *SMALL, "--out", str(out), "--quiet"], ranks=2)
    run(["analyze", str(out)])
    code = code.replace('RUN = "demo/xu2024-fig1.h5"', f"RUN = {str(out)!r}")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "positive neurons on +mu1 at t = 12" in result.stdout
