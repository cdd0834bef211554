"""Run keras.io developer guides unchanged (apart from data and sizes) on unikeras.

Usage::

    python core/tools/run_keras_io_guides.py GUIDE.py [GUIDE.py ...] \
        [--backend jax|torch|tensorflow|...] [--timeout 600]

Each guide (a `guides/*.py` file of the keras-team/keras-io repository, which this tool
does not ship) is rewritten before it runs:

- `import keras` / `import keras_core as keras` / `from keras import ...` /
  `from keras.x import ...` import unikeras instead;
- the dataset downloads (`keras.datasets.<name>.load_data()`) return small synthetic
  arrays of the real shapes and dtypes, and `keras.utils.get_file` refuses (a download is
  a network matter, not a unikeras one);
- `epochs=N` becomes `epochs=1`, `steps_per_epoch`/`validation_steps`/`steps` become 2,
  hard-coded dataset sizes in `reshape(60000, ...)` become `-1`, validation splits of
  10000 samples (`[-10000:]`, `num_val_samples = 10000`) become 64;
- `keras.utils.plot_model` runs only when Graphviz is installed;
- pretrained weights are not downloaded: `weights="imagenet"` becomes `weights=None` (the
  guide prints a note), so the applications train from random weights;
- `tensorflow_datasets` (TFDS) is replaced by a stand-in whose `load(name, split=...,
  as_supervised=...)` returns `tf.data` datasets of 24 synthetic RGB images of varying sizes
  (uint8, 100 to 200 pixels a side) with 0/1 labels, one dataset per split.

Every guide runs in its own interpreter, in a temporary folder, with `UNIKERAS_BACKEND`
set; the tool prints one line per guide: PASS, or FAIL with the guide line and the first
error. Guides named `*_in_jax` / `*_in_torch` / `*_in_tensorflow` / `*_with_<backend>` run
only on their own backend (SKIP elsewhere). This is a developer tool, not part of the test
run; `tests/test_keras_io_guides.py` keeps the pieces that found defects.
"""

import argparse
import os
import re
import subprocess
import sys
import tempfile

_BACKEND_TAGS = {"jax": "jax", "torch": "torch", "tensorflow": "tensorflow"}

_PRELUDE = """
import numpy as _np
import unikeras as _uk

_N = 256  # samples per synthetic split
_rng = _np.random.default_rng(0)


def _images(n, shape, classes, label_shape):
    x = _rng.integers(0, 256, size=(n,) + shape).astype("uint8")
    y = _rng.integers(0, classes, size=(n,) + label_shape).astype("uint8")
    return x, y


def _split(shape, classes, label_shape=()):
    def load_data(*args, **kwargs):
        return (
            _images(_N, shape, classes, label_shape),
            _images(_N // 2, shape, classes, label_shape),
        )

    return load_data


def _sequences(*args, num_words=None, maxlen=None, **kwargs):
    vocab = num_words or 1000
    length = maxlen or 40

    def part(n):
        x = _np.empty((n,), dtype=object)
        for i in range(n):
            x[i] = list(_rng.integers(1, vocab, size=int(_rng.integers(5, length))))
        return x, _rng.integers(0, 2, size=(n,)).astype("int64")

    return part(_N), part(_N // 2)


def _regression(*args, **kwargs):
    def part(n):
        return _rng.random((n, 13)), _rng.random((n,)) * 50
    return part(_N), part(_N // 2)


_ds = _uk.datasets
_ds.mnist.load_data = _split((28, 28), 10)
_ds.fashion_mnist.load_data = _split((28, 28), 10)
_ds.cifar10.load_data = _split((32, 32, 3), 10, (1,))
_ds.cifar100.load_data = _split((32, 32, 3), 100, (1,))
_ds.imdb.load_data = _sequences
_ds.reuters.load_data = _sequences
_ds.boston_housing.load_data = _regression


def _no_download(fname=None, origin=None, *args, **kwargs):
    raise RuntimeError("guide runner: get_file(%r) is a download, not run here" % (origin,))


_uk.utils.get_file = _no_download


def _tfds_load(name, split=None, as_supervised=False, **kwargs):
    import tensorflow as tf

    splits = split if isinstance(split, (list, tuple)) else [split]

    def one(index):
        def generate():
            rng = _np.random.default_rng(index)
            for _ in range(24):
                height, width = (int(v) for v in rng.integers(100, 200, size=2))
                image = rng.integers(0, 256, size=(height, width, 3)).astype("uint8")
                label = int(rng.integers(0, 2))
                yield (image, label) if as_supervised else {"image": image, "label": label}

        specs = (tf.TensorSpec((None, None, 3), tf.uint8), tf.TensorSpec((), tf.int64))
        if not as_supervised:
            specs = {"image": specs[0], "label": specs[1]}
        return tf.data.Dataset.from_generator(generate, output_signature=specs)

    datasets = [one(i) for i in range(len(splits))]
    print("guide runner: tfds.load(%r) returns synthetic images" % (name,))
    return datasets if isinstance(split, (list, tuple)) else datasets[0]


import sys as _sys
import types as _types

_tfds = _types.ModuleType("tensorflow_datasets")
_tfds.load = _tfds_load
_tfds.disable_progress_bar = lambda: None
_sys.modules["tensorflow_datasets"] = _tfds


def _guide_plot_model(*args, **kwargs):
    import shutil

    if shutil.which("dot") is None:
        return None  # Graphviz is not installed: an environment matter
    return _uk.utils.plot_model(*args, **kwargs)
"""


_IMAGENET = r"""\bweights\s*=\s*["']imagenet["']"""


def _notes(source):
    """`print` lines announcing the substitutions that change what a guide computes."""
    notes = []
    if re.search(_IMAGENET, source):
        notes.append('weights="imagenet" -> weights=None (pretrained weights are not downloaded)')
    return "".join(f"print({'guide runner: ' + note!r})\n" for note in notes)


def rewrite(source):
    """Returns the guide's source with the substitutions the module docstring lists."""
    source = re.sub(
        r"^(\s*)import keras_core as keras\b", r"\1import unikeras as keras", source, flags=re.M
    )
    source = re.sub(r"^(\s*)import keras\s*$", r"\1import unikeras as keras", source, flags=re.M)
    source = re.sub(
        r"^(\s*)from (keras_core|keras)(\.[\w.]+)? import",
        r"\1from unikeras\3 import",
        source,
        flags=re.M,
    )
    source = re.sub(r"\bepochs\s*=\s*\d+", "epochs=1", source)
    source = re.sub(r"\b(steps_per_epoch|validation_steps|steps)\s*=\s*\d+", r"\1=2", source)
    source = re.sub(r"reshape\((60000|50000|10000|25000),", "reshape(-1,", source)
    source = re.sub(r"\[-10000:\]", "[-64:]", source)
    source = re.sub(r"\[:-10000\]", "[:-64]", source)
    source = re.sub(r"\b(num_val_samples|num_validation_samples)\s*=\s*10000\b", r"\1 = 64", source)
    source = re.sub(r"\bkeras\.utils\.plot_model\(", "_guide_plot_model(", source)
    source = re.sub(_IMAGENET, "weights=None", source)
    return source


def _own_backend(path):
    name = os.path.basename(path)
    for tag, backend in _BACKEND_TAGS.items():
        if name.endswith(f"_in_{tag}.py") or name.endswith(f"_with_{tag}.py"):
            return backend
    return None


def run_guide(path, backend, timeout):
    """Runs one guide; returns ("PASS" | "FAIL" | "SKIP", detail)."""
    own = _own_backend(path)
    if own is not None and own != backend:
        return "SKIP", f"runs on {own} only"
    with open(path, encoding="utf-8") as f:
        original = f.read()
    header = _PRELUDE + _notes(original) + "\n# --- guide ---\n"
    return run_script(header, rewrite(original), backend, timeout, "guide")


def run_script(header, source, backend, timeout, kind):
    """Runs `header + source` as `<kind>.py` in a fresh process on `backend`; returns
    ("PASS" | "FAIL", detail), the detail naming the failing line of `source`."""
    with tempfile.TemporaryDirectory() as tmp:
        script = os.path.join(tmp, f"{kind}.py")
        with open(script, "w", encoding="utf-8") as f:
            f.write(header + source)
        env = dict(os.environ, UNIKERAS_BACKEND=backend, TF_CPP_MIN_LOG_LEVEL="2")
        env.setdefault("OMP_NUM_THREADS", "1")
        env.setdefault("MPLBACKEND", "Agg")
        try:
            proc = subprocess.run(
                [sys.executable, script],
                cwd=tmp,
                env=env,
                capture_output=True,
                text=True,
                timeout=timeout,
            )
        except subprocess.TimeoutExpired:
            return "FAIL", f"timed out after {timeout} s"
    if proc.returncode == 0:
        return "PASS", ""
    lines = proc.stderr.strip().splitlines()
    where = [line.strip() for line in lines if f'{kind}.py", line' in line]
    offset = header.count("\n")
    location = ""
    if where:
        match = re.search(r"line (\d+)", where[-1])
        if match:
            location = f"{kind} line {int(match.group(1)) - offset}: "
    errors = [line for line in lines if re.match(r"^[\w.]+(Error|Exception|Exit)\b", line)]
    detail = errors[-1] if errors else (lines[-1] if lines else f"exit status {proc.returncode}")
    return "FAIL", location + detail


def main(argv=None, run=None, kind="guide"):
    """Command line: runs each file given on one backend, printing PASS/FAIL/SKIP lines."""
    run = run or run_guide
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(f"{kind}s", nargs="+")
    parser.add_argument("--backend", default=os.environ.get("UNIKERAS_BACKEND", "jax"))
    parser.add_argument("--timeout", type=int, default=600)
    args = parser.parse_args(argv)
    failures = 0
    for path in getattr(args, f"{kind}s"):
        status, detail = run(path, args.backend, args.timeout)
        failures += status == "FAIL"
        print(f"{status:4} {args.backend:10} {os.path.basename(path)} {detail}", flush=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
