"""Activations, adaptive pooling and cross-entropy (`keras.ops.nn`) whose code is the same for
every array namespace that follows the NumPy API, written once.

`bind_nn_ops` defines them against `xp` (`numpy` for the built-in backend, `jax.numpy` for
JAX) and the backend's own conversion helpers, and returns the hook implementations as a
namespace that the backend's `nn` module adds to its globals (closures: no extra call per op).
"""

import types

from unikeras.backend import dtypes
from unikeras.backend.common.axes import canonical_axes
from unikeras.backend.config import epsilon
from unikeras.backend.hookspec import hookimpl

_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE = 1.0507009873554804934193349852946

#: A finite "log 0" for CTC, so impossible alignments give a large, finite loss.
LOG_ZERO = -1e5


def bind_nn_ops(xp, namespace, to_dtype):
    """Binds the shared `nn` hook implementations to one array namespace and adds them to
    a backend's `nn` module.

    Args:
        xp: The array module (`numpy` or `jax.numpy`).
        namespace: The `globals()` of the backend's `nn` module. It must define the
            helpers the shared ops call, by these names:
            - `convert_to_tensor(x, dtype=None)`;
            - `promote(*xs)`: the inputs as arrays of their Keras 3 result dtype;
            - `_float(x)`: `x` as an array, ints and bools as `floatx()`;
            - `_c(value, x)`: a scalar in the dtype of `x`;
            - `_adaptive_pool(op, inputs, output_size, data_format, reduce)`;
            - `_logsumexp(x, axis)`: a stable log-sum-exp keeping dims;
            The ops (and the helpers they share) are added to it.
        to_dtype: The backend's dtype conversion from a Keras dtype name.

    Returns:
        A `types.SimpleNamespace` of what was added, by name.
    """
    convert_to_tensor = namespace["convert_to_tensor"]
    promote = namespace["promote"]
    to_float = namespace["_float"]
    constant = namespace["_c"]
    adaptive_pool = namespace["_adaptive_pool"]
    logsumexp = namespace["_logsumexp"]
    ops = types.SimpleNamespace()

    def _hook(fn, name=None):
        impl = hookimpl(fn)
        setattr(ops, name or fn.__name__, impl)
        return impl

    def _helper(fn):
        setattr(ops, fn.__name__, fn)
        return fn

    @_helper
    def _computed_in_float32(fn, x, *others):
        """Runs `fn` in at least float32 and casts the result back to the dtype of `x`."""
        x = convert_to_tensor(x)
        compute = to_dtype(dtypes.result_type(x.dtype, "float32"))
        others = [None if o is None else convert_to_tensor(o, dtype=compute) for o in others]
        return fn(x.astype(compute), *others).astype(x.dtype)

    @_hook
    def relu6(x):
        x = convert_to_tensor(x)
        return xp.minimum(xp.maximum(x, constant(0, x)), constant(6, x))

    @_hook
    def sparse_sigmoid(x):
        x = to_float(x)
        return xp.clip((x + constant(1, x)) * constant(0.5, x), constant(0, x), constant(1, x))

    @_hook
    def softsign(x):
        x = to_float(x)
        return x / (constant(1, x) + xp.abs(x))

    @_hook
    def soft_shrink(x, threshold=0.5):
        x = to_float(x)
        t = constant(threshold, x)
        return xp.where(x > t, x - t, xp.where(x < -t, x + t, constant(0, x)))

    @_hook
    def sparse_plus(x):
        x = to_float(x)
        middle = constant(0.25, x) * xp.square(x + constant(1, x))
        return xp.where(x <= -1, constant(0, x), xp.where(x < 1, middle, x))

    @_hook
    def squareplus(x, b=4):
        x = to_float(x)
        return (x + xp.sqrt(xp.square(x) + constant(b, x))) / constant(2, x)

    @_hook
    def leaky_relu(x, negative_slope=0.2):
        x = to_float(x)
        return xp.where(x >= 0, x, constant(negative_slope, x) * x)

    @_hook
    def hard_sigmoid(x):
        x = to_float(x)
        return xp.clip(x / constant(6, x) + constant(0.5, x), constant(0, x), constant(1, x))

    @_hook
    def hard_silu(x):
        x = to_float(x)
        return x * hard_sigmoid(x)

    @_hook
    def elu(x, alpha=1.0):
        x = to_float(x)
        return xp.where(x > 0, x, constant(alpha, x) * xp.expm1(xp.minimum(x, constant(0, x))))

    @_hook
    def selu(x):
        x = to_float(x)
        return constant(_SELU_SCALE, x) * elu(x, _SELU_ALPHA)

    @_hook
    def celu(x, alpha=1.0):
        x = to_float(x)
        a = constant(alpha, x)
        return xp.maximum(x, constant(0, x)) + a * xp.expm1(xp.minimum(x, constant(0, x)) / a)

    @_hook
    def tanh_shrink(x):
        x = to_float(x)
        return x - xp.tanh(x)

    @_hook
    def hard_tanh(x):
        x = to_float(x)
        return xp.clip(x, constant(-1, x), constant(1, x))

    @_hook
    def hard_shrink(x, threshold=0.5):
        x = to_float(x)
        return xp.where(xp.abs(x) > constant(threshold, x), x, constant(0, x))

    @_hook
    def threshold(x, threshold, default_value):
        x = to_float(x)
        return xp.where(x > constant(threshold, x), x, constant(default_value, x))

    @_hook
    def log_softmax(x, axis=-1):
        x = to_float(x)
        if x.ndim == 0:
            return xp.zeros_like(x)
        axis = canonical_axes(axis, x.ndim) if axis is not None else None
        return x - logsumexp(x, axis)

    @_helper
    def _channels_last(x, data_format):
        return xp.moveaxis(x, 1, -1) if data_format == "channels_first" else x

    @_helper
    def _restore_format(x, data_format):
        return xp.moveaxis(x, -1, 1) if data_format == "channels_first" else x

    @_hook
    def adaptive_max_pool(inputs, output_size, data_format=None):
        return adaptive_pool("adaptive_max_pool", inputs, output_size, data_format, xp.max)

    @_hook
    def adaptive_average_pool(inputs, output_size, data_format=None):
        return adaptive_pool(
            "adaptive_average_pool", to_float(inputs), output_size, data_format, xp.mean
        )

    @_helper
    def _clip_probs(p):
        eps = constant(epsilon(), p)
        return xp.clip(p, eps, constant(1, p) - eps)

    @_helper
    def _log_probs(output, from_logits, axis):
        if from_logits:
            return log_softmax(output, axis=axis)
        return xp.log(_clip_probs(output / xp.sum(output, axis=axis, keepdims=True)))

    @_hook
    def categorical_crossentropy(target, output, from_logits=False, axis=-1):
        target, output = promote(target, output)
        output = to_float(output)
        target = target.astype(output.dtype)
        return -xp.sum(target * _log_probs(output, from_logits, axis), axis=axis)

    namespace.update(vars(ops))
    return ops
