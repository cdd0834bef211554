"""`keras.device`, `keras.remat` and `keras.RematScope`.

The engine work is the active backend's, through the optional hooks `device_scope` and
`remat` (`jax.default_device` / `jax.checkpoint`, `torch.device` / `torch.utils.checkpoint`,
`tf.device` / `tf.recompute_grad`); backends without them run on the CPU only and do not
rematerialize.
"""

import contextlib
import threading
import warnings
from collections import namedtuple

from unikeras.backend.registry import backend, optional_hook


def _parse(device_name):
    if not isinstance(device_name, str):
        raise ValueError(
            "Invalid value for argument `device_name`. Expected a string like 'gpu:0' or "
            f"'cpu'. Received: device_name={device_name!r}"
        )
    kind, _, index = device_name.lower().partition(":")
    if index and not index.isdigit():
        raise ValueError(
            f"Invalid device name {device_name!r}: expected '<type>' or '<type>:<index>', "
            "e.g. 'cpu', 'gpu:0'."
        )
    return kind, int(index or 0)


@contextlib.contextmanager
def device(device_name):
    """Context manager placing the tensors created inside it on the device `device_name`.

    Args:
        device_name: A string such as `"cpu"`, `"cpu:0"`, `"gpu:1"` (`"cuda"` on torch).

    Returns:
        A context manager; inside it, new tensors are placed on that device.

    Raises:
        ValueError: If the name is malformed or the backend has no such device.

    Examples:
        ```python
        with keras.device("cpu"):
            x = keras.ops.ones((2, 3))  # on the CPU, whatever the default device
        ```
    """
    kind, index = _parse(device_name)
    hook = optional_hook("device_scope")
    if hook is None:  # a CPU-only backend (numpy, openvino)
        if kind != "cpu":
            raise ValueError(
                f"keras.device: the {backend()} backend runs on the CPU only. Received: "
                f"device_name={device_name!r}"
            )
        yield device_name
        return
    with hook(f"{kind}:{index}") as target:
        yield target


def remat(f):
    """Applies rematerialization to a function or layer for memory optimization.

    Intermediate results of `f` are not kept for the backward pass: they are recomputed
    when gradients are computed, trading computation for memory (`jax.checkpoint` on JAX,
    `torch.utils.checkpoint` on PyTorch, `tf.recompute_grad` on TensorFlow: the backend's
    `remat` hook). The result and gradients are unchanged. Backends without the hook (the
    inference-only ones) return `f` itself, with a warning.

    Examples:
        ```python
        class CustomRematLayer(layers.Layer):
            def __init__(self, **kwargs):
                super().__init__(**kwargs)
                self.remat_function = remat(self.intermediate_function)

            def intermediate_function(self, x):
                for _ in range(2):
                    x = x + x * 0.1  # Simple scaled transformation
                return x

            def call(self, inputs):
                return self.remat_function(inputs)
        ```

    Args:
        f: A callable (function or layer) to rematerialize.

    Returns:
        A callable computing `f` with rematerialization.
    """
    hook = optional_hook("remat")
    if hook is not None:
        return hook(f)
    warnings.warn(
        f"Rematerialization memory optimization is not supported by the {backend()} backend. "
        "Please switch to JAX, TensorFlow, or PyTorch to utilize this feature.",
        stacklevel=2,
    )
    return f


class _RematState(threading.local):
    def __init__(self):
        self.stack = []


_REMAT = _RematState()

RematMode = namedtuple("RematMode", ["mode", "output_size_threshold", "layer_names"])

_REMAT_MODES = ("full", "activations", "larger_than", "list_of_layers", None)


class RematScope:
    """A context manager for enabling rematerialization.

    Rematerialization (gradient checkpointing) trades memory for computation by
    recomputing intermediate activations during the backward pass. The scope applies when
    layers are called (`layer(inputs)`), not when they are created.

    Args:
        mode: Rematerialization mode to apply: `"full"` (every supported layer),
            `"activations"` (layers with a `keras.activations` activation),
            `"larger_than"` (layers whose outputs have more than `output_size_threshold`
            elements), `"list_of_layers"` (the layers named in `layer_names`) or `None`
            (disabled).
        output_size_threshold: Output size threshold of the `"larger_than"` mode.
        layer_names: Names of the layers of the `"list_of_layers"` mode.

    Examples:
        ```python
        with keras.RematScope(mode="list_of_layers", layer_names=["dense_1"]):
            outputs = model(inputs)
        ```
    """

    def __init__(self, mode="full", output_size_threshold=1024, layer_names=None):
        if mode not in _REMAT_MODES:
            raise ValueError(
                f"Invalid mode '{mode}'. Supported modes are: 'full', 'activations', "
                "'larger_than', 'list_of_layers', or None."
            )
        self.mode = mode
        self.output_size_threshold = output_size_threshold
        self.layer_names = layer_names or []
        self._pushed = False

    def __enter__(self):
        _REMAT.stack.append(self)
        self._pushed = True
        return self

    def __exit__(self, *exc_info):
        if self._pushed:
            _REMAT.stack.pop()
            self._pushed = False


def get_current_remat_mode():
    """The innermost `RematScope`'s settings as a `RematMode`, or `None` outside any."""
    if not _REMAT.stack:
        return None
    scope = _REMAT.stack[-1]
    return RematMode(scope.mode, scope.output_size_threshold, scope.layer_names)


def _output_size(layer, args, kwargs):
    """Elements in `layer`'s output for these inputs, from its symbolic output spec."""
    from unikeras import tree
    from unikeras.backend.keras_tensor import KerasTensor

    def spec(x):
        shape = getattr(x, "shape", None)
        dtype = getattr(x, "dtype", None)
        if shape is None or dtype is None or isinstance(x, KerasTensor):
            return x
        from unikeras.backend import dtypes

        return KerasTensor(tuple(shape), dtype=dtypes.standardize_dtype(dtype))

    out = layer.compute_output_spec(
        *tree.map_structure(spec, args), **tree.map_structure(spec, kwargs)
    )
    total = 0
    for leaf in tree.flatten(out):
        shape = getattr(leaf, "shape", None)
        if shape is not None:
            size = 1
            for d in shape:
                size *= d or 1
            total += size
    return total


def rematerialized_call(layer, args, kwargs):
    """Runs `layer.call(*args, **kwargs)` under the `RematScope` mode the layer was created
    in (`layer._remat_mode`): recomputed in the backward pass when the mode selects it."""
    mode = layer._remat_mode
    if mode is None or mode.mode is None or optional_hook("remat") is None:
        return layer.call(*args, **kwargs)  # e.g. inference-only backends: nothing to recompute

    def call(*positional):  # non-tensor keyword arguments stay Python values
        return layer.call(*positional, **kwargs)

    selected = (
        mode.mode == "full"
        or (mode.mode == "list_of_layers" and layer.name in mode.layer_names)
        or (
            mode.mode == "larger_than"
            and _output_size(layer, args, kwargs) > mode.output_size_threshold
        )
    )
    if selected:
        return remat(call)(*args)
    if mode.mode == "activations" and getattr(layer, "activation", None) is not None:
        original = layer.activation
        layer.activation = remat(original)
        try:
            return layer.call(*args, **kwargs)
        finally:
            layer.activation = original
    return layer.call(*args, **kwargs)
