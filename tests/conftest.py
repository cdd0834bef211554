"""Shared fixtures of the unikeras test suite."""

import os
import subprocess
import sys

import pytest

SELECTION_VARIABLES = ("UNIKERAS_BACKEND", "KERAS_BACKEND")


@pytest.fixture
def run_python(tmp_path):
    """Returns `run(code, **env) -> CompletedProcess` running `code` in a fresh interpreter.

    Backend selection happens at `import unikeras`, so tests of it run in subprocesses. The
    child's environment has no backend variables unless given, and HOME is `tmp_path`, so
    the user's `~/.unikeras/unikeras.json` never leaks in.
    """

    def run(code, **env):
        child_env = {k: v for k, v in os.environ.items() if k not in SELECTION_VARIABLES}
        child_env["HOME"] = str(tmp_path)
        for key, value in env.items():  # None removes a variable
            if value is None:
                child_env.pop(key, None)
            else:
                child_env[key] = value
        return subprocess.run(
            [sys.executable, "-c", code],
            env=child_env,
            capture_output=True,
            text=True,
            timeout=300,
        )

    return run
