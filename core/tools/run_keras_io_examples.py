"""Run keras.io code examples unchanged (apart from data and sizes) on unikeras.

Usage::

    python core/tools/run_keras_io_examples.py EXAMPLE.py [EXAMPLE.py ...] \
        [--backend jax|torch|tensorflow|...] [--timeout 600]

Each example (an `examples/<topic>/*.py` file of the keras-team/keras-io repository, which
this tool does not ship) is rewritten as `run_keras_io_guides.py` rewrites a guide (imports
of `keras` become imports of `unikeras`, `keras.datasets` loaders return small synthetic
arrays of the real shapes and dtypes, `epochs=N` becomes `epochs=1`, ...), and also:

- the tf.keras spellings of older examples (`from tensorflow import keras`,
  `from tensorflow.keras[.x] import ...`) import unikeras;
- `epochs = N` / `EPOCHS = N` assignments become 2 (examples loop `for epoch in
  range(1, epochs)`), `TRAINING_SIZE = N` / `num_samples = N` above 1000 become 512;
- `numpy.loadtxt` of an `http(s)://` address returns a synthetic UCR-style table (labels
  -1/1 in the first column, 128 time steps);
- `keras.utils.get_file` of the Anki `fra-eng.zip` / `spa-eng.zip` writes synthetic sentence
  pairs (`fra.txt` in the archive, `spa-eng/spa.txt` extracted),
  and examples that read `aclImdb/` find a small synthetic review folder (the IMDB
  archive's layout) in their working directory, as do examples that read the Oxford-IIIT
  Pets `images/` and `annotations/trimaps/` (72 small JPEG/PNG pairs; `val_samples = N`
  becomes 32);
- `from IPython.display import ...` imports a stand-in whose `display`/`Image`/`HTML` do
  nothing, as do `imageio` and `ipywidgets` (they only show results);
  `tensorflow_addons.optimizers.AdamW` is Keras 3's `keras.optimizers.AdamW` (what the
  keras.io Keras 3 versions use);
- `keras.utils.get_file` of Moving MNIST (`mnist_test_seq.npy`) writes 24 synthetic
  20-frame 16 x 16 videos;
- MNIST / CIFAR splits at 10000-59999 (`x_train[:40000]`, `[30000:]`) split the 256
  synthetic samples at 192; `tf.keras.x` is `keras.x`;
  `checkpoint_filepath = "/tmp/checkpoint"` (a tf.keras weights path)
  becomes `"checkpoint.weights.h5"` (Keras 3's weights suffix) and `/tmp/checkpoint...`
  paths are written to the working folder.

An example that sets `os.environ["KERAS_BACKEND"] = "<name>"` (Keras 3 examples that use
one engine's API, e.g. `tf.GradientTape` in a `train_step`) runs only on that backend
(SKIP elsewhere), as does a tf.keras-era one that uses `tf.GradientTape` or TensorFlow
ops other than `tf.data` and `tf.strings`. This is a developer
tool, not part of the test run: `tests/test_examples_keras_io.py` keeps the programs and
the pieces that found defects.
"""

import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import run_keras_io_guides as _guides  # noqa: E402

_EXAMPLE_PRELUDE = r"""
import numpy as _np_examples

_original_loadtxt = _np_examples.loadtxt


def _example_loadtxt(fname, *args, **kwargs):
    if isinstance(fname, str) and fname.startswith(("http://", "https://")):
        rng = _np_examples.random.default_rng(0)
        labels = rng.choice([-1.0, 1.0], size=(96, 1))
        values = rng.normal(size=(96, 128)) + labels
        print("example runner: loadtxt(%r) returns a synthetic table" % (fname,))
        return _np_examples.concatenate([labels, values], axis=1)
    return _original_loadtxt(fname, *args, **kwargs)


_np_examples.loadtxt = _example_loadtxt

_WORDS = "the a movie film was great bad good awful plot actor scene story very not".split()


def _example_sentences(rng, count, low=4, high=12):
    return [
        " ".join(rng.choice(_WORDS, size=int(rng.integers(low, high)))) for _ in range(count)
    ]


def _example_imdb_folder():
    # aclImdb/{train,test}/{pos,neg}/*.txt (and train/unsup) with short synthetic reviews
    import os as _os

    rng = _np_examples.random.default_rng(0)
    for split in ("train", "test"):
        for label in ("pos", "neg", "unsup") if split == "train" else ("pos", "neg"):
            folder = _os.path.join("aclImdb", split, label)
            _os.makedirs(folder, exist_ok=True)
            for i, text in enumerate(_example_sentences(rng, 16)):
                with open(_os.path.join(folder, "%d_1.txt" % i), "w") as f:
                    f.write(text + "<br />" + ("good" if label == "pos" else "bad"))


def _example_pets_folders():
    # images/*.jpg and annotations/trimaps/*.png (labels 1, 2, 3): the Oxford-IIIT Pets layout
    import os as _os

    from PIL import Image as _PILImage

    rng = _np_examples.random.default_rng(0)
    _os.makedirs("images", exist_ok=True)
    _os.makedirs(_os.path.join("annotations", "trimaps"), exist_ok=True)
    for i in range(72):
        height, width = (int(v) for v in rng.integers(120, 200, size=2))
        image = rng.integers(0, 256, size=(height, width, 3)).astype("uint8")
        _PILImage.fromarray(image).save(_os.path.join("images", "pet_%03d.jpg" % i))
        trimap = rng.integers(1, 4, size=(height, width)).astype("uint8")
        _PILImage.fromarray(trimap).save(
            _os.path.join("annotations", "trimaps", "pet_%03d.png" % i)
        )


def _example_get_file(fname=None, origin=None, *args, **kwargs):
    import os as _os
    import zipfile as _zipfile

    origin = origin or ""
    if origin.endswith("fra-eng.zip"):
        # the Anki English-French pairs: "english<TAB>french<TAB>attribution" lines
        rng = _np_examples.random.default_rng(0)
        lines = [
            "%s\t%s\tCC-BY" % (en, fr)
            for en, fr in zip(_example_sentences(rng, 64, 1, 4), _example_sentences(rng, 64, 1, 5))
        ]
        path = _os.path.abspath(fname or "fra-eng.zip")
        with _zipfile.ZipFile(path, "w") as archive:
            archive.writestr("fra.txt", "\n".join(lines) + "\n")
        print("example runner: get_file(%r) returns a synthetic archive" % (origin,))
        return path
    if origin.endswith("spa-eng.zip"):
        # the Anki English-Spanish pairs, extracted as spa-eng/spa.txt beside the archive
        rng = _np_examples.random.default_rng(1)
        lines = [
            "%s\t%s" % (en, es)
            for en, es in zip(_example_sentences(rng, 96, 2, 6), _example_sentences(rng, 96, 2, 7))
        ]
        _os.makedirs("spa-eng", exist_ok=True)
        with open(_os.path.join("spa-eng", "spa.txt"), "w") as f:
            f.write("\n".join(lines) + "\n")
        print("example runner: get_file(%r) returns a synthetic extracted archive" % (origin,))
        return _os.path.abspath(fname or "spa-eng.zip")
    if origin.endswith("mnist_test_seq.npy"):
        # Moving MNIST: (frames, videos, height, width) uint8, here 20 x 24 videos of 16 x 16
        rng = _np_examples.random.default_rng(0)
        path = _os.path.abspath(fname or "mnist_test_seq.npy")
        _np_examples.save(path, rng.integers(0, 256, size=(20, 24, 16, 16)).astype("uint8"))
        print("example runner: get_file(%r) returns synthetic videos" % (origin,))
        return path
    if origin.endswith("aclImdb_v1.tar.gz"):
        _example_imdb_folder()
        print("example runner: get_file(%r) returns a synthetic aclImdb folder" % (origin,))
        return _os.path.abspath("aclImdb_v1.tar.gz")
    return _no_download(fname, origin)


_uk.utils.get_file = _example_get_file

def _example_stub(name, **attributes):
    module = _types.ModuleType(name)
    module.__dict__.update(attributes)
    _sys.modules[name] = module
    return module


def _example_nothing(*args, **kwargs):
    return None


# tensorflow_addons' AdamW is Keras 3's keras.optimizers.AdamW (what keras.io's Keras 3
# versions use); imageio / ipywidgets only display results
_example_stub(
    "tensorflow_addons",
    optimizers=_types.SimpleNamespace(AdamW=_uk.optimizers.AdamW),
)
_example_stub("imageio", mimsave=_example_nothing, imread=_example_nothing)
_example_stub(
    "ipywidgets",
    widgets=_types.SimpleNamespace(Image=_example_nothing),
    Layout=_example_nothing,
    HBox=_example_nothing,
)

_ipython_display = _types.ModuleType("_example_ipython_display")
_ipython_display.display = lambda *args, **kwargs: None
_ipython_display.Image = lambda *args, **kwargs: None
_ipython_display.HTML = lambda *args, **kwargs: None
_sys.modules["_example_ipython_display"] = _ipython_display
"""

_BACKEND_LINE = r"""^\s*os\.environ\[["']KERAS_BACKEND["']\]\s*=\s*["'](\w+)["']"""


def own_backend(source):
    """The backend an example is written for, or None when it runs on every backend."""
    match = re.search(_BACKEND_LINE, source, flags=re.M)
    if match:
        return match.group(1)
    if "tf.GradientTape" in source:
        return "tensorflow"
    tf_keras = re.search(r"^\s*from tensorflow(\.keras)? import", source, flags=re.M)
    if tf_keras and re.search(r"\btf\.(?!data\b|strings\b)\w", source):
        return "tensorflow"  # a tf.keras-era example computing with TensorFlow ops
    return None


def rewrite(source):
    """Returns the example's source with the substitutions the module docstring lists."""
    source = re.sub(
        r"^(\s*)from tensorflow import keras\b", r"\1import unikeras as keras", source, flags=re.M
    )
    source = re.sub(r"^(\s*)import keras as keras\s*$", r"\1import keras", source, flags=re.M)
    # `tf.keras.x` (a tf.keras-era spelling next to `from tensorflow import keras`) is keras.x
    source = re.sub(r"\btf\.keras\.", "keras.", source)
    source = re.sub(
        r"^(\s*)from tensorflow\.keras(\.[\w.]+)? import",
        r"\1from keras\2 import",
        source,
        flags=re.M,
    )
    source = re.sub(
        r"^(\s*)(epochs|EPOCHS|num_epochs|NUM_EPOCHS)\s*=\s*\d+", r"\1\2 = 2", source, flags=re.M
    )
    source = re.sub(
        r"^(\s*)(TRAINING_SIZE|num_samples)\s*=\s*\d{4,}", r"\1\2 = 512", source, flags=re.M
    )
    source = re.sub(
        r"^(\s*)from IPython\.display import",
        r"\1from _example_ipython_display import",
        source,
        flags=re.M,
    )
    source = re.sub(r"^(\s*)val_samples\s*=\s*\d{3,}", r"\1val_samples = 32", source, flags=re.M)
    # checkpoints in the working folder; a bare tf.keras weights path gets Keras 3's suffix
    source = re.sub(
        r"^(\s*checkpoint_filepath\s*=\s*)[\"']/tmp/checkpoint[\"']",
        r'\1"checkpoint.weights.h5"',
        source,
        flags=re.M,
    )
    source = re.sub(r"([\"'])/tmp/(checkpoint[\w.]*[\"'])", r"\1\2", source)
    # MNIST / CIFAR train/validation splits at 10000-59999 (`x_train[:40000]`, `[30000:]`)
    # split the 256 synthetic samples at 192
    source = re.sub(r"\[(:?)[1-5]\d{4}(:?)\]", r"[\g<1>192\2]", source)
    source = re.sub(_BACKEND_LINE, "pass  # backend chosen by the runner", source, flags=re.M)
    return _guides.rewrite(source)


def run_example(path, backend, timeout):
    """Runs one example; returns ("PASS" | "FAIL" | "SKIP", detail)."""
    with open(path, encoding="utf-8") as f:
        original = f.read()
    own = own_backend(original)
    if own is not None and own != backend:
        return "SKIP", f"runs on {own} only"
    prelude = _guides._PRELUDE + _EXAMPLE_PRELUDE
    if "aclImdb" in original:
        prelude += "\n_example_imdb_folder()\n"
    if "annotations/trimaps" in original:
        prelude += "\n_example_pets_folders()\n"
    header = prelude + _guides._notes(original) + "\n# --- example ---\n"
    return _guides.run_script(header, rewrite(original), backend, timeout, "example")


def main(argv=None):
    """Command line: runs each example given on one backend."""
    return _guides.main(argv, run=run_example, kind="example")


if __name__ == "__main__":
    sys.exit(main())
