"""Fuzzing the loaders: seeded random mutations of valid files never crash or hang.

Valid `.keras`, `.weights.h5` and legacy `.h5` files are written by unikeras (and, in the jax
env where Keras 3 is installed, by Keras 3.15.1), then mutated: byte flips (in the raw file and inside
the HDF5 member of a `.keras` zip with its CRC kept valid), truncation, zip entries replaced
or duplicated, HDF5 attributes, shapes and dtypes altered, config JSON values replaced by
values of other types. ONE worker subprocess loads every mutated file in turn and reports
per seed; each load must

- succeed with a model whose predictions are finite (unless the file itself stores
  non-finite or overflowing weights, which a faithful load must keep), or
- raise an exception that is a `ValueError` with a clear message (naming the file or entry),
  leaving the model of a failed `load_weights` exactly as it was (optimizer included);

and never kill the interpreter or run longer than `HANG_SECONDS`. A crash or a hang is
recorded with its seed and the worker restarted at the next one.

`benchmarks/fuzz_loaders.py` runs thousands of seeds with the same machinery.
"""

import importlib.util
import io
import json
import os
import select
import subprocess
import sys
import tempfile
import time
import warnings
import zipfile

import h5py
import numpy as np

import unikeras as keras

BASE_SEED = 20261206
CI_SEEDS = 100  # per backend env; the benchmark runs thousands
HANG_SECONDS = 20


# --- base files ------------------------------------------------------------------------------
def build_model(keras):
    """The fuzzed model (same code under unikeras and Keras 3)."""
    layers = keras.layers
    inputs = keras.Input((4,), name="x")
    x = layers.Dense(8, activation="relu")(inputs)
    x = layers.BatchNormalization()(x)
    outputs = layers.Dense(3)(x)
    model = keras.Model(inputs, outputs)
    model.compile(optimizer="adam", loss="mse")
    return model


def write_base_files(keras, folder, prefix):
    """The base files: `.keras`, `.weights.h5` and legacy `.h5`, with optimizer state (the
    optimizer is built rather than trained: no compilation, so the files come fast)."""
    model = build_model(keras)
    model.optimizer.build(model.trainable_variables)
    model.save(f"{folder}/{prefix}.keras")
    model.save_weights(f"{folder}/{prefix}.weights.h5")
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the legacy format's deprecation warning
        model.save(f"{folder}/{prefix}.h5")


def _keras3_engine():
    if keras.backend.backend() != "jax":
        return None
    if importlib.util.find_spec("keras") is None or importlib.util.find_spec("jax") is None:
        return None
    return "jax"


def base_files(folder):
    """Writes the base files into `folder`; returns their paths."""
    write_base_files(keras, folder, "unikeras")
    paths = [f"{folder}/unikeras.keras", f"{folder}/unikeras.weights.h5", f"{folder}/unikeras.h5"]
    if _keras3_engine():
        import inspect
        import textwrap

        source = "\n\n".join(
            textwrap.dedent(inspect.getsource(f)) for f in (build_model, write_base_files)
        )
        script = (
            f"import sys\nimport keras\n{source}\nwrite_base_files(keras, sys.argv[1], 'keras3')\n"
        )
        env = {k: v for k, v in os.environ.items() if not k.startswith("UNIKERAS_")}
        env.update(KERAS_BACKEND="jax")
        result = subprocess.run(
            [sys.executable, "-c", script, folder],
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert result.returncode == 0, result.stderr[-3000:]
        paths += [f"{folder}/keras3.keras", f"{folder}/keras3.weights.h5", f"{folder}/keras3.h5"]
    return paths


# --- mutations -------------------------------------------------------------------------------
_ODD_VALUES = [
    None,
    True,
    False,
    0,
    -1,
    1,
    7,
    100000,
    -3.5,
    1e308,
    float("nan"),
    "",
    "x",
    "relu",
    "Dense",
    "float16",
    [],
    [None],
    [1, 2],
    {},
    {"class_name": 1},
    {"class_name": "Dense", "config": {}},
    {"class_name": "Lambda"},
]


def _flip_bytes(data, rng, start=0, end=None, count=None):
    data = bytearray(data)
    end = len(data) if end is None else end
    for _ in range(count or int(rng.integers(1, 9))):
        i = int(rng.integers(start, max(start + 1, end)))
        if i < len(data):
            data[i] ^= 1 << int(rng.integers(0, 8))
    return bytes(data)


def _nodes(value, path=()):
    yield path
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _nodes(v, path + (k,))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _nodes(v, path + (i,))


def _mutate_json(text, rng):
    config = json.loads(text)
    paths = [p for p in _nodes(config) if p]
    for _ in range(int(rng.integers(1, 4))):
        path = paths[int(rng.integers(len(paths)))]
        target = config
        try:
            for key in path[:-1]:
                target = target[key]
            choice = rng.integers(10)
            if choice == 0 and isinstance(target, dict):
                del target[path[-1]]
            elif choice == 1:
                target[path[-1]] = f"__deep{int(rng.choice([50, 5000]))}__"
            else:
                target[path[-1]] = _ODD_VALUES[int(rng.integers(len(_ODD_VALUES)))]
        except (KeyError, IndexError, TypeError):
            continue
    text = json.dumps(config)
    for depth in (50, 5000):
        text = text.replace(f'"__deep{depth}__"', "[" * depth + "]" * depth)
    return text


def _h5_datasets(f):
    found = []
    f.visititems(lambda name, obj: found.append(name) if isinstance(obj, h5py.Dataset) else None)
    return found


def _mutate_h5(data, rng):
    """Edits a valid HDF5 weights file with h5py: attributes, shapes, dtypes, entries."""
    with tempfile.TemporaryDirectory() as folder:
        path = f"{folder}/w.h5"
        with open(path, "wb") as f:
            f.write(data)
        with h5py.File(path, "a") as f:
            datasets = _h5_datasets(f)
            name = datasets[int(rng.integers(len(datasets)))] if datasets else None
            choice = int(rng.integers(8))
            if name is None or choice == 0:
                f.attrs["unikeras_metadata"] = ["{", "[]", '{"epoch": "x"}', "null"][
                    int(rng.integers(4))
                ]
            elif choice == 1:
                f[name].attrs["dtype"] = "bfloat16"
            elif choice == 2:
                value = f[name][()]
                del f[name]
                shape = tuple(int(d) + int(rng.integers(-1, 2)) for d in np.shape(value))
                f[name] = np.zeros(tuple(max(d, 0) for d in shape) or (2,), "float32")
            elif choice == 3:
                value = np.asarray(f[name][()])
                del f[name]
                dtype = ["float16", "float64", "int8", "uint64", "bool", "complex64"][
                    int(rng.integers(6))
                ]
                f[name] = value.astype(dtype)
            elif choice == 4:
                del f[name]
            elif choice == 5:
                group = f[name].parent
                group[str(len(group) + int(rng.integers(0, 3)))] = np.ones(3, "float32")
            elif choice == 6:
                group = f[name].parent
                group.attrs["name"] = "x"
                f[name].attrs["extra"] = np.arange(int(rng.integers(1, 50)))
            else:
                value = np.asarray(f[name][()])
                del f[name]
                f.create_dataset(
                    name,
                    data=value,
                    chunks=value.shape or None,
                    compression="gzip" if value.shape else None,
                )
        with open(path, "rb") as f:
            return f.read()


def _rezip(entries):
    buffer = io.BytesIO()
    with warnings.catch_warnings(), zipfile.ZipFile(buffer, "w") as archive:
        warnings.simplefilter("ignore")  # duplicated names are one of the mutations
        for name, data in entries:
            archive.writestr(
                name, data, zipfile.ZIP_STORED if name.endswith(".h5") else zipfile.ZIP_DEFLATED
            )
    return buffer.getvalue()


def mutate(data, kind, rng):
    """One random mutation of the bytes of a valid file of `kind` (`keras` or `h5`);
    returns `(description, bytes)`."""
    if kind == "h5":
        choice = int(rng.integers(4))
        if choice == 0:
            return "flip header bytes", _flip_bytes(data, rng, 0, min(len(data), 4096))
        if choice == 1:
            return "flip bytes", _flip_bytes(data, rng)
        if choice == 2:
            return "truncate", data[: int(rng.integers(0, len(data)))]
        return "h5 edit", _mutate_h5(data, rng)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        entries = [(i.filename, archive.read(i.filename)) for i in archive.infolist()]
    names = [n for n, _ in entries]
    choice = int(rng.integers(7))
    if choice == 0:
        return "flip bytes", _flip_bytes(data, rng)
    if choice == 1:
        return "truncate", data[: int(rng.integers(0, len(data)))]
    if choice == 2:
        target = names[int(rng.integers(len(names)))]
        junk = [
            b"",
            b"{}",
            b"\x89HDF\r\n\x1a\n" + bytes(64),
            os.urandom(0) + bytes(rng.integers(0, 256, int(rng.integers(1, 2000)), dtype=np.uint8)),
        ][int(rng.integers(4))]
        return f"replace {target}", _rezip([(n, junk if n == target else d) for n, d in entries])
    if choice == 3:
        target = int(rng.integers(len(entries)))
        other = entries[int(rng.integers(len(entries)))][1]
        return f"duplicate {names[target]}", _rezip(entries + [(names[target], other)])
    if choice == 4:
        return "config json", _rezip(
            [(n, _mutate_json(d, rng) if n == "config.json" else d) for n, d in entries]
        )
    if choice == 5:
        return "h5 member bytes", _rezip(
            [
                (n, _flip_bytes(d, rng, 0, min(len(d), 4096)) if n.endswith(".h5") else d)
                for n, d in entries
            ]
        )
    return "h5 member edit", _rezip(
        [(n, _mutate_h5(d, rng) if n.endswith(".h5") else d) for n, d in entries]
    )


# --- the worker ------------------------------------------------------------------------------
WORKER = r"""
import json, sys, time, warnings
import numpy as np
warnings.simplefilter("ignore")
keras = ops = None  # imported at the first load (the harness self-tests run without them)

PREFIX = "FUZZRESULT "

def state(model):
    variables = list(model.weights)
    if model.optimizer is not None:
        variables += list(model.optimizer.variables)
    return variables, [np.array(v.numpy(), copy=True) for v in variables]

def predict(model):
    x = np.linspace(-1, 1, 8, dtype="float32").reshape(2, 4)
    out = ops.convert_to_numpy(model(x))
    return np.asarray(out, dtype="float64")

def outcome(model, variables=None):
    out = predict(model)
    if np.all(np.isfinite(out)):
        return {"status": "ok"}
    values = [np.asarray(v.numpy(), "float64") for v in (variables or model.weights)]
    stored_wild = any(not np.all(np.isfinite(w)) or np.any(np.abs(w) > 1e15) for w in values)
    return {"status": "ok" if stored_wild else "nonfinite"}

victims = {}
for line in sys.stdin:
    job = json.loads(line)
    start = time.perf_counter()
    result = {"seed": job["seed"]}
    try:
        if job["mode"] == "selftest_abort":
            import os
            os.abort()
        if job["mode"] == "selftest_sleep":
            time.sleep(3600)
        if keras is None:
            import unikeras as keras
            from unikeras import ops
        if job["mode"] == "load_model":
            model = keras.models.load_model(job["path"])
            result.update(outcome(model))
        else:
            base = job["base"]
            if base not in victims:
                victims[base] = keras.models.load_model(base)
                victims[base].optimizer.build(victims[base].trainable_variables)
            victim = victims[base]
            variables, before = state(victim)
            try:
                victim.load_weights(job["path"])
                result.update(outcome(victim))
            except Exception:
                after = [np.asarray(v.numpy()) for v in variables]
                if not all(np.array_equal(a, b, equal_nan=True)
                           for a, b in zip(before, after)):
                    result["partial"] = True
                raise
            finally:
                for v, value in zip(variables, before):
                    v.assign(value)
    except Exception as e:
        result.update(status="error", type=type(e).__name__, message=str(e)[:500],
                      value_error=isinstance(e, ValueError))
    result["seconds"] = round(time.perf_counter() - start, 3)
    sys.stdout.write(PREFIX + json.dumps(result) + "\n")
    sys.stdout.flush()
"""


class Worker:
    """The loading subprocess; restarted after a crash or a hang."""

    def __init__(self, log_path):
        self.log_path = log_path
        self.proc = None

    def start(self):
        self.log = open(self.log_path, "ab")
        self.proc = subprocess.Popen(
            [sys.executable, "-c", WORKER],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.log,
            bufsize=0,
        )

    def run(self, job, timeout):
        """Returns the worker's result dict, `{"status": "crash"}` or `{"status": "hang"}`."""
        if self.proc is None:
            self.start()
        try:
            self.proc.stdin.write((json.dumps(job) + "\n").encode())
        except BrokenPipeError:
            return self._restart({"status": "crash", "returncode": self.proc.poll()})
        deadline = time.monotonic() + timeout
        buffer = b""
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                self.proc.kill()
                return self._restart({"status": "hang"})
            ready, _, _ = select.select([self.proc.stdout], [], [], left)
            if not ready:
                continue
            chunk = os.read(self.proc.stdout.fileno(), 65536)
            if not chunk:
                return self._restart({"status": "crash", "returncode": self.proc.wait()})
            buffer += chunk
            for line in buffer.split(b"\n")[:-1]:
                if line.startswith(b"FUZZRESULT "):
                    return json.loads(line[len(b"FUZZRESULT ") :])
            buffer = buffer[buffer.rfind(b"\n") + 1 :]

    def _restart(self, result):
        self.proc.wait()
        self.log.close()
        self.proc = None
        return result

    def close(self):
        if self.proc is not None:
            self.proc.stdin.close()
            self.proc.wait(timeout=60)
            self.log.close()
            self.proc = None


def bad_result(result):
    """Why a worker result breaks the rules (None when it does not)."""
    status = result["status"]
    if status in ("crash", "hang", "nonfinite"):
        return status
    if result.get("partial"):
        return "failed load_weights changed the model"
    if status == "error":
        message = result["message"]
        if not result.get("value_error"):
            return f"{result['type']} instead of ValueError: {message}"
        if len(message) < 25:
            return f"unclear message: {message!r}"
    return None


def run_fuzz(folder, seeds, base_seed=BASE_SEED, timeout=HANG_SECONDS, progress=None):
    """Mutates the base files once per seed and loads each mutation in the worker.

    Returns:
        `(results, failures)`: a list of `(seed, description, result)` and the subset that
        breaks the rules, each with the reason.
    """
    bases = base_files(folder)
    with_keras = [p for p in bases if p.endswith(".keras")]
    worker = Worker(f"{folder}/worker.log")
    results, failures = [], []
    try:
        for seed in seeds:
            rng = np.random.default_rng([base_seed, seed])
            source = bases[seed % len(bases)]
            kind = "keras" if source.endswith(".keras") else "h5"
            with open(source, "rb") as f:
                description, data = mutate(f.read(), kind, rng)
            legacy = source.endswith(".h5") and not source.endswith(".weights.h5")
            suffix = ".keras" if kind == "keras" else ".h5" if legacy else ".weights.h5"
            path = f"{folder}/mutant{suffix}"
            with open(path, "wb") as f:
                f.write(data)
            mode = "load_model" if legacy or (kind == "keras" and seed % 3) else "load_weights"
            base = with_keras[(seed // len(bases)) % len(with_keras)]
            if source.endswith(".keras"):
                base = source
            elif source.replace(".weights.h5", ".keras") in with_keras:
                base = source.replace(".weights.h5", ".keras")
            if legacy:
                base = None
            result = worker.run({"seed": seed, "path": path, "mode": mode, "base": base}, timeout)
            results.append((seed, f"{os.path.basename(source)}: {description} ({mode})", result))
            reason = bad_result(result)
            if reason is not None:
                failures.append((seed, results[-1][1], reason))
            if progress is not None:
                progress(seed, result)
    finally:
        worker.close()
    return results, failures


def test_fuzzed_files_load_or_fail_cleanly(tmp_path):
    start = time.perf_counter()
    results, failures = run_fuzz(str(tmp_path), range(CI_SEEDS))
    assert len(results) == CI_SEEDS
    assert not failures, "\n".join(f"seed {s} [{d}]: {r}" for s, d, r in failures)
    statuses = [r["status"] for _, _, r in results]
    # the mutations are strong enough that most loads fail, yet some succeed
    assert statuses.count("error") > CI_SEEDS // 3, statuses
    assert time.perf_counter() - start < 120


def test_worker_reports_crash_and_hang(tmp_path):
    """The harness itself: a worker that dies or stalls is recorded and replaced."""
    worker = Worker(str(tmp_path / "log"))
    try:
        assert worker.run({"seed": 0, "mode": "selftest_abort"}, 60)["status"] == "crash"
        assert worker.run({"seed": 1, "mode": "selftest_sleep"}, 2)["status"] == "hang"
        after = worker.run({"seed": 2, "mode": "load_model", "path": "missing.keras"}, 60)
    finally:
        worker.close()
    assert after["status"] == "error" and "missing.keras" in after["message"]
    assert bad_result({"status": "hang"}) == "hang"
    assert bad_result({"status": "error", "type": "KeyError", "message": "'x'"})
    assert bad_result(
        {
            "status": "error",
            "type": "ValueError",
            "message": "m" * 40,
            "value_error": True,
            "partial": True,
        }
    )
    assert (
        bad_result(
            {"status": "error", "type": "ValueError", "message": "m" * 40, "value_error": True}
        )
        is None
    )
