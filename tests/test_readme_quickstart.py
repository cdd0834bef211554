"""The README's quick start runs as written, on whichever backend the environment selects."""

import os
import re
import subprocess
import sys

README = os.path.join(os.path.dirname(__file__), os.pardir, "README.md")


def _quick_start_code():
    with open(README) as f:
        text = f.read()
    section = text.split("## Quick start", 1)[1]
    return re.search(r"```python\n(.*?)```", section, re.S).group(1)


def test_quick_start_runs():
    result = subprocess.run(
        [sys.executable, "-c", _quick_start_code()], capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr
    last = result.stdout.strip().splitlines()[-1]
    assert last.startswith("(5, 3) "), result.stdout
    assert "dense" in result.stdout  # the summary lists the layers
