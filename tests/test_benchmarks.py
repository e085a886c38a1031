"""The README's benchmark commands, run without their extras, say what to install.

micrograd and PyTorch are not part of the course's install; a learner who types
`python benchmarks/engine_vs_micrograd.py` before the extras should read the pip
command, not a traceback.  Each script runs in a child Python in which the peer
library cannot be imported (its entry in sys.modules is None), whether or not
this environment happens to have it.
"""
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
HIDE_AND_RUN = """
import runpy, sys
sys.modules[{module!r}] = None   # `import {module}` now fails, find_spec finds nothing
sys.argv = [{script!r}]
runpy.run_path({script!r}, run_name="__main__")
"""


@pytest.mark.parametrize("script, module, named", [
    ("benchmarks/engine_vs_micrograd.py", "micrograd", "micrograd"),
    ("benchmarks/mlp_vs_torch.py", "torch", "PyTorch"),
])
def test_a_benchmark_without_its_peer_says_what_to_install(script, module, named):
    out = subprocess.run([sys.executable, "-c", HIDE_AND_RUN.format(module=module, script=str(ROOT / script))],
                         capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert out.returncode == 1, out.stderr
    assert "Traceback" not in out.stderr, out.stderr
    assert named in out.stderr
    assert 'pip install -c constraints.txt -e ".[bench]"' in out.stderr
