"""Runs benchmark scripts on every available backend and prints one combined table each.

    python benchmarks/run_all.py                  # every script of SCRIPTS, default options
    python benchmarks/run_all.py benchmarks/op_overhead.py [-- --repeats 301]
    python benchmarks/run_all.py --env jax=/path/to/venv/bin/python \\
        --env torch=/other/venv/bin/python --pythonpath /dir/with/keras3 \\
        benchmarks/fit_speed.py -- --model cnn
    python benchmarks/run_all.py --env jax=python3 --env torch=python3 \
        benchmarks/fit_speed.py -- --device gpu --mixed-precision bfloat16

Each `--env BACKEND=PYTHON` runs the script with that interpreter and
`UNIKERAS_BACKEND=KERAS_BACKEND=BACKEND`; without any `--env`, the tox environments in
`.tox/` (core -> numpy, jax, torch, tf -> tensorflow, openvino) that exist are used, else the
current interpreter on the numpy backend. `--pythonpath` is prepended to `PYTHONPATH`, e.g. to make
Keras 3 importable next to unikeras for the comparison column. The runs are sequential so
they do not compete for the CPU. Every script prints header lines and then one markdown table
whose first column is the backend; the tables are merged under their first header, and a run
that fails is listed with the last line of its error output. The benchmark scripts take
`--device auto|cpu|gpu` (and, but for op_overhead.py, `--mixed-precision`; see `devices.py`);
`gpu_check.sh` runs them all on a GPU machine.
"""

import argparse
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: The benchmark scripts, run in this order when no script is named.
SCRIPTS = ("op_overhead.py", "fit_speed.py", "layer_fit.py")
TOX_ENVS = {
    "numpy": "core",
    "jax": "jax",
    "torch": "torch",
    "tensorflow": "tf",
    "openvino": "openvino",
}


def default_envs():
    """backend -> interpreter for the tox environments that exist (see the module doc)."""
    found = {backend: ROOT / ".tox" / env / "bin" / "python" for backend, env in TOX_ENVS.items()}
    envs = {backend: str(python) for backend, python in found.items() if python.exists()}
    return envs or {"numpy": sys.executable}


def parse_env(text):
    backend, sep, python = text.partition("=")
    if not sep or not backend or not python:
        raise argparse.ArgumentTypeError(f"expected BACKEND=PYTHON, received {text!r}")
    return backend, python


def run(script, script_args, backend, python, pythonpath):
    """Runs `script` on `backend`; returns (ok, stdout or the last error line)."""
    env = dict(
        os.environ, UNIKERAS_BACKEND=backend, KERAS_BACKEND=backend, TF_CPP_MIN_LOG_LEVEL="2"
    )
    if pythonpath:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [pythonpath, env.get("PYTHONPATH")]))
    done = subprocess.run(
        [python, script, *script_args], env=env, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        lines = done.stderr.strip().splitlines() or [f"exit status {done.returncode}"]
        return False, lines[-1]
    return True, done.stdout


def merge(outputs):
    """Header lines of every output as a list, then one table with all their rows."""
    notes, header, rows = [], [], []
    for backend, (ok, text) in outputs.items():
        if not ok:
            notes.append(f"- {backend}: not run ({text})")
            continue
        lines = [line for line in text.splitlines() if line.strip()]
        table = [line for line in lines if line.startswith("|")]
        notes.extend(f"- {line}" for line in lines if not line.startswith("|"))
        header = header or table[:2]
        rows.extend(table[2:])
    return "\n".join(notes + [""] + header + rows)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--env", type=parse_env, action="append", metavar="BACKEND=PYTHON")
    parser.add_argument("--pythonpath", default="")
    parser.add_argument("script", nargs="?")
    parser.add_argument("script_args", nargs=argparse.REMAINDER)
    args = parser.parse_args()

    envs = dict(args.env) if args.env else default_envs()
    script_args = args.script_args[1:] if args.script_args[:1] == ["--"] else args.script_args
    scripts = [args.script] if args.script else [str(ROOT / "benchmarks" / s) for s in SCRIPTS]
    for script in scripts:
        outputs = {}
        for backend, python in envs.items():
            print(f"running {Path(script).name} on {backend} ...", file=sys.stderr, flush=True)
            outputs[backend] = run(script, script_args, backend, python, args.pythonpath)
        print(merge(outputs) + "\n")


if __name__ == "__main__":
    main()
