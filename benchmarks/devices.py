"""Device and precision options shared by the benchmarks: `--device` and `--mixed-precision`.

    UNIKERAS_BACKEND=torch python benchmarks/fit_speed.py --device gpu --mixed-precision bfloat16

`--device auto` (the default) leaves every engine to pick its device as it does by itself,
the device unikeras uses too (a GPU when one is visible: torch `cuda`, JAX's default
backend, TensorFlow's `/GPU:0`); on a machine without a GPU nothing changes. `--device cpu`
hides the GPUs before any engine is imported (`CUDA_VISIBLE_DEVICES=""`, `JAX_PLATFORMS=cpu`),
so unikeras, Keras 3 and the native loops all run on the CPU; `--device gpu` stops with an
error when the active backend sees no GPU. The native loops place their weights and data on
`torch_device()` (torch) or leave them to the engine's default device (JAX, TensorFlow),
which is where unikeras puts its tensors, and wait for the device (`synchronizer`) before a
clock stops.

`--mixed-precision float16|bfloat16` (bare: `bfloat16`) sets unikeras' and Keras 3's global
dtype policy to `mixed_float16` / `mixed_bfloat16` (float32 variables, computations in the
narrow type); the native loops compute in the same type: torch under `torch.autocast`, JAX
and TensorFlow with their float32 parameters and inputs cast to it inside the step, the
loss in float32. With float16 the native training loops scale the loss by a fixed
`LOSS_SCALE` (the torch loop of `layer_fit.py`, on `torch.optim.Adam`, by `torch.amp.GradScaler`);
unikeras and Keras 3 wrap the optimizer in a dynamic `LossScaleOptimizer`. float16 is for
GPUs: on a CPU some engine kernels have no float16 version (JAX's `dot_product_attention`,
torch's oneDNN LSTM), so those native rows fail there; bfloat16 runs on both.
"""

import argparse
import os
import sys

#: `--mixed-precision` value -> the dtype policy name (None: float32 everywhere).
POLICIES = {"none": None, "float16": "mixed_float16", "bfloat16": "mixed_bfloat16"}
#: The fixed loss scale of the native training loops under float16.
LOSS_SCALE = 2.0**7


def add_arguments(parser, mixed_precision=True):
    """Adds `--device` (and, unless `mixed_precision` is False, `--mixed-precision`)."""
    parser.add_argument(
        "--device",
        choices=("auto", "cpu", "gpu"),
        default="auto",
        help="auto: each engine's default (a GPU when visible); cpu: hide GPUs; gpu: require one",
    )
    if mixed_precision:
        parser.add_argument(
            "--mixed-precision",
            choices=sorted(POLICIES),
            nargs="?",
            const="bfloat16",
            default="none",
            help="dtype policy mixed_float16 / mixed_bfloat16 (bare flag: bfloat16); the "
            "native loops compute in the same type",
        )


def early_setup(argv=None):
    """Reads `--device` from the command line before any engine is imported; `cpu` hides the
    GPUs from every engine. Returns the requested device. Call it before importing unikeras."""
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--device", default="auto")
    known, _ = parser.parse_known_args(sys.argv[1:] if argv is None else argv)
    if known.device == "cpu":
        os.environ["CUDA_VISIBLE_DEVICES"] = ""
        os.environ["JAX_PLATFORMS"] = "cpu"
    return known.device


def torch_device():
    """The device unikeras' torch plugin creates tensors on (`cuda` when available)."""
    import torch

    return torch.device("cuda" if torch.cuda.is_available() else "cpu")


def has_gpu(backend_name):
    """Whether the engine of `backend_name` computes on a GPU (its default device)."""
    if backend_name == "torch":
        import torch

        return torch.cuda.is_available()
    if backend_name == "jax":
        import jax

        return jax.default_backend() in ("gpu", "cuda", "rocm")
    if backend_name == "tensorflow":
        import tensorflow as tf

        return bool(tf.config.list_logical_devices("GPU"))
    return False


def device_name(backend_name):
    """The engine's device in words, for the table header (the card's name on a GPU)."""
    import platform

    cpu = f"CPU ({platform.machine()}, {os.cpu_count()} cores)"
    if not has_gpu(backend_name):
        return cpu
    if backend_name == "torch":
        import torch

        return f"GPU {torch.cuda.get_device_name(0)}"
    if backend_name == "jax":
        import jax

        return f"GPU {jax.devices()[0].device_kind}"
    import tensorflow as tf

    gpu = tf.config.list_physical_devices("GPU")[0]
    details = tf.config.experimental.get_device_details(gpu)
    return f"GPU {details.get('device_name', gpu.name)}"


def check_device(requested, backend_name):
    """Stops with an error when `--device gpu` was asked for and the backend sees no GPU."""
    if requested == "gpu" and not has_gpu(backend_name):
        raise SystemExit(
            f"--device gpu: backend {backend_name!r} sees no GPU (expected a CUDA device "
            f"visible to its engine; received {device_name(backend_name)})"
        )


def synchronizer(backend_name):
    """`wait(out)` that returns once the engine's device has finished computing `out` (the
    last result; torch and TensorFlow wait for all queued work), or None on the CPU, where
    the benchmarks keep their timing as it was."""
    if not has_gpu(backend_name):
        return None
    if backend_name == "torch":
        import torch

        return lambda out=None: torch.cuda.synchronize()
    if backend_name == "jax":
        import jax

        return lambda out=None: jax.block_until_ready(out)
    import tensorflow as tf

    return lambda out=None: tf.test.experimental.sync_devices()


def compute_dtype(precision):
    """The narrow compute dtype name of `--mixed-precision` (None for `none`)."""
    policy = POLICIES[precision]
    return None if policy is None else policy.split("_", 1)[1]


def set_policy(keras_module, precision):
    """Sets `keras_module`'s (unikeras' or Keras 3's) global dtype policy for `precision`."""
    keras_module.mixed_precision.set_global_policy(POLICIES[precision] or "float32")


def describe(backend_name, requested, precision="none"):
    """The header line naming the device and precision of the run."""
    policy = POLICIES[precision] or "float32"
    return f"device: {device_name(backend_name)} (--device {requested}); dtype policy {policy}"
