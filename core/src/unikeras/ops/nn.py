"""`keras.ops.nn`: the public ops of `unikeras.backend.specs.nn`.

Every op of the spec is an ordinary function in this module. The block between the
`BEGIN GENERATED OPS` / `END GENERATED OPS` lines is written by `core/tools/gen_ops.py`
(do not edit it by hand); the ops defined above it by hand (argument checks beyond the
contract's, special symbolic handling) win, and a hand-written `_check_<op>` function is
called first by the generated op of that name.
"""

from unikeras.backend import dtypes as _dtypes
from unikeras.backend.keras_tensor import KerasTensor as _KerasTensor
from unikeras.backend import config as _config
from unikeras.backend.common.conv_args import pair as _pair
from unikeras.backend.common.shape_rules import check_same_shape as _check_same_loss_shape
from unikeras.ops import arg_checks as _args
from unikeras.ops.dispatch import SHAPE_RULES as _SHAPE_RULES

# Shared argument checks: each generated op calls its `_check_<op>` first (unikeras.ops.arg_checks)


def _check_glu(x, axis=-1):
    shape = _args.static_shape(x)
    size = _args.dim(shape, axis)
    if shape == () or (size is not None and size % 2):
        raise ValueError(
            f"glu: the size of `axis` must be even. Received: x.shape={shape}, axis={axis}"
        )


def _glu_shape(x, axis=-1):
    # A known size is halved, an unknown one stays unknown (the generic inference would run
    # the op on an odd probe size).
    shape = list(x.shape)
    if shape[axis] is not None:
        shape[axis] //= 2
    return _KerasTensor(tuple(shape), dtype=_dtypes.result_type(x.dtype, float))


def _psnr_shape(x1, x2, max_val):
    # A scalar, whatever the (possibly unknown) shapes of the inputs.
    return _KerasTensor((), dtype=_dtypes.result_type(x1.dtype, x2.dtype, float))


_SHAPE_RULES.update(glu=_glu_shape, psnr=_psnr_shape)


def _check_normalize(x, axis=-1, order=2, epsilon=None):
    if not isinstance(order, int) or order < 1:
        raise ValueError(f"normalize: `order` must be an int >= 1. Received: order={order!r}")


def _check_multi_hot(inputs, num_classes=None, axis=-1, dtype=None, sparse=False, **kwargs):
    if num_classes is None and kwargs.get("num_tokens") is None:
        raise ValueError("multi_hot: `num_classes` is required. Received: num_classes=None")


def _check_psnr(x1, x2, max_val):
    shape1, shape2 = _args.static_shape(x1), _args.static_shape(x2)
    if not _args.compatible(shape1, shape2):
        raise ValueError(
            f"psnr: `x1` and `x2` must have the same shape. Received: x1.shape={shape1}, "
            f"x2.shape={shape2}"
        )


def _check_groups(op_name, kernel_name, channels, kernel_shape):
    per_group, out = kernel_shape[-2], kernel_shape[-1]
    if per_group is None or out is None:
        return
    if per_group == 0 or channels % per_group or out % (channels // per_group):
        raise ValueError(
            f"{op_name}: the input channel count must be a multiple of {kernel_name}.shape[-2], "
            "and the output channel count a multiple of the number of groups. Received: "
            f"input channels={channels}, {kernel_name}.shape={kernel_shape}"
        )


def _check_depthwise(op_name, kernel_name, channels, kernel_shape):
    if kernel_shape[-2] not in (channels, None):
        raise ValueError(
            f"{op_name}: {kernel_name}.shape[-2] must equal the input channel count. Received: "
            f"input channels={channels}, {kernel_name}.shape={kernel_shape}"
        )


def _check_conv(inputs, kernel, strides=1, padding="valid", data_format=None, dilation_rate=1):
    shapes = _args.conv_shapes(inputs, kernel, data_format)
    if shapes is not None:
        _check_groups("conv", "kernel", *shapes)


def _check_depthwise_conv(
    inputs, kernel, strides=1, padding="valid", data_format=None, dilation_rate=1
):
    shapes = _args.conv_shapes(inputs, kernel, data_format)
    if shapes is not None:
        _check_depthwise("depthwise_conv", "kernel", *shapes)


# (The generated op passes its arguments in the spec's order; `*_` takes those left unchecked.)
def _check_separable_conv(
    inputs, depthwise_kernel, pointwise_kernel, strides, padding, data_format, *_
):
    shapes = _args.conv_shapes(inputs, depthwise_kernel, data_format)
    if shapes is None:
        return
    channels, depthwise_shape = shapes
    _check_depthwise("separable_conv", "depthwise_kernel", channels, depthwise_shape)
    pointwise_shape = _args.static_shape(pointwise_kernel)
    if depthwise_shape[-1] is not None and pointwise_shape is not None and pointwise_shape:
        depthwise_channels = channels * depthwise_shape[-1]
        _check_groups("separable_conv", "pointwise_kernel", depthwise_channels, pointwise_shape)


def _check_conv_transpose(inputs, kernel, strides, padding, output_padding, data_format, *_):
    shape, kernel_shape = _args.static_shape(inputs), _args.static_shape(kernel)
    if shape is None or kernel_shape is None or len(shape) not in (3, 4, 5):
        return  # an unknown rank, or a wrong one the backends report
    data_format = data_format or _config.image_data_format()
    channels = shape[1] if data_format == "channels_first" else shape[-1]
    if len(kernel_shape) != len(shape) or kernel_shape[-1] not in (channels, None):
        raise ValueError(
            f"conv_transpose: expected a kernel (*kernel_size, out_channels, {channels}) of rank "
            f"{len(shape)}. Received: inputs.shape={shape} ({data_format}), "
            f"kernel.shape={kernel_shape}"
        )


def _check_same_shape(op_name, target, output):
    target_shape, output_shape = _args.static_shape(target), _args.static_shape(output)
    if target_shape is not None and output_shape is not None:
        _check_same_loss_shape(op_name, target_shape, output_shape)
    return output_shape


def _check_binary_crossentropy(target, output, from_logits=False):
    _check_same_shape("binary_crossentropy", target, output)


def _check_categorical_crossentropy(target, output, from_logits=False, axis=-1):
    shape = _check_same_shape("categorical_crossentropy", target, output)
    if shape == ():
        raise ValueError(
            "categorical_crossentropy: `target` and `output` must be at least rank 1. "
            f"Received: target.shape={_args.static_shape(target)}, output.shape={shape}"
        )


def _check_sparse_categorical_crossentropy(target, output, from_logits=False, axis=-1):
    target_shape, output_shape = _args.static_shape(target), _args.static_shape(output)
    if target_shape is None or output_shape is None:
        return
    if output_shape and len(target_shape) == len(output_shape) and target_shape[-1] == 1:
        target_shape = target_shape[:-1]
    if output_shape and -len(output_shape) <= axis < len(output_shape):
        class_axis = axis % len(output_shape)
        expected = output_shape[:class_axis] + output_shape[class_axis + 1 :]
        if _args.compatible(tuple(target_shape), tuple(expected)):
            return
    else:
        expected = "a class axis"
    raise ValueError(
        "sparse_categorical_crossentropy: `target` must have the shape of `output` without "
        f"its class axis ({expected}). Received: target.shape={target_shape}, "
        f"output.shape={output_shape}, axis={axis}"
    )


def _check_unfold(x, kernel_size, dilation=1, padding=0, stride=1):
    _args.require_rank("unfold", "x", x, (4,))


def _check_fold(x, output_size, kernel_size, dilation=1, padding=0, stride=1):
    shape = _args.static_shape(x)
    if shape is None:
        return
    k = _pair(kernel_size)
    channels = shape[1] if len(shape) == 3 else None
    if len(shape) != 3 or (channels is not None and channels % (k[0] * k[1])):
        raise ValueError(
            f"fold: `x` must be 3-D (N, C * {k[0]} * {k[1]}, L) for kernel_size={k}. "
            f"Received: x.shape={shape}"
        )


# --- BEGIN GENERATED OPS: written by core/tools/gen_ops.py from backend/specs/nn.py ---
# Regenerate with `python core/tools/gen_ops.py` after changing the spec or a hand-written op.
from unikeras.backend.keras_tensor import KerasTensor as _KT  # noqa: E402
from unikeras.backend.registry import add_table_listener as _add_table_listener  # noqa: E402
from unikeras.ops.dispatch import any_keras_tensor as _any_kt  # noqa: E402,F401
from unikeras.ops.dispatch import bind_implementations as _bind  # noqa: E402
from unikeras.ops.dispatch import nested_keras_tensor as _nested_kt  # noqa: E402,F401
from unikeras.ops.dispatch import symbolic as _symbolic  # noqa: E402


def relu(x):
    """Rectified linear unit: `max(x, 0)` element-wise.

    Args:
        x: Input tensor.

    Returns:
        A tensor of the shape of `x`; the dtype of `x` (integer dtypes are kept).

    Examples:
        >>> keras.ops.relu(np.array([-1.0, 0.0, 2.0], 'float32'))
        array([0., 0., 2.], dtype=float32)
    """
    if x.__class__ is _KT:
        return _symbolic("relu", (x,), {})
    return _impl_relu(x)


def relu6(x):
    """Rectified linear unit capped at 6: `min(max(x, 0), 6)` element-wise.

    Args:
        x: Input tensor.

    Returns:
        A tensor of the shape of `x`; the dtype of `x` (integer dtypes are kept).

    Examples:
        >>> keras.ops.relu6(np.array([-1.0, 3.0, 8.0], 'float32'))
        array([0., 3., 6.], dtype=float32)
    """
    if x.__class__ is _KT:
        return _symbolic("relu6", (x,), {})
    return _impl_relu6(x)


def sigmoid(x):
    """Logistic sigmoid: `1 / (1 + exp(-x))` element-wise.

    Args:
        x: Input tensor.

    Returns:
        A tensor of the shape of `x`; float inputs keep their dtype, integer and bool inputs give
        `floatx()`.

    Examples:
        >>> keras.ops.sigmoid(np.array([0.0], 'float32'))
        array([0.5], dtype=float32)
    """
    if x.__class__ is _KT:
        return _symbolic("sigmoid", (x,), {})
    return _impl_sigmoid(x)


def sparse_sigmoid(x):
    """Sparse sigmoid, a piecewise-linear sigmoid.

    `0` for `x <= -1`, `(x + 1) / 2` for `-1 < x < 1` and `1` for `x >= 1`.

    Args:
        x: Input tensor.

    Returns:
        A tensor of the shape of `x`; float inputs keep their dtype, integer and bool inputs give
        `floatx()`.

    Examples:
        >>> keras.ops.sparse_sigmoid(np.array([-2.0, -0.5, 0.5, 2.0], 'float32'))
        array([0.  , 0.25, 0.75, 1.  ], dtype=float32)
    """
    if x.__class__ is _KT:
        return _symbolic("sparse_sigmoid", (x,), {})
    return _impl_sparse_sigmoid(x)


def softplus(x):
    """Softplus: `log(exp(x) + 1)` element-wise, computed stably.

    Args:
        x: Input tensor.

    Returns:
        A tensor of the shape of `x`; float inputs keep their dtype, integer and bool inputs give
        `floatx()`.

    Examples:
        >>> keras.ops.softplus(np.array([0.0], 'float32'))  # log(2)
        array([0.6931472], dtype=float32)
    """
    if x.__class__ is _KT:
        return _symbolic("softplus", (x,), {})
    return _impl_softplus(x)


def softsign(x):
    """Softsign: `x / (abs(x) + 1)` element-wise.

    Args:
        x: Input tensor.

    Returns:
        A tensor of the shape of `x`; float inputs keep their dtype, integer and bool inputs give
        `floatx()`.

    Examples:
        >>> keras.ops.softsign(np.array([-3.0, 0.0, 1.0], 'float32'))
        array([-0.75,  0.  ,  0.5 ], dtype=float32)
    """
    if x.__class__ is _KT:
        return _symbolic("softsign", (x,), {})
    return _impl_softsign(x)


def soft_shrink(x, threshold=0.5):
    """Soft shrinkage: moves `x` towards 0 by `threshold`, zeroing small values.

    `x - threshold` for `x > threshold`, `x + threshold` for `x < -threshold`, else 0.

    Args:
        x: Input tensor.
        threshold: Non-negative float, the width of the zeroed band (default 0.5).

    Returns:
        A tensor of the shape of `x`; float inputs keep their dtype, integer and bool inputs give
        `floatx()`.

    Examples:
        >>> keras.ops.soft_shrink(np.array([-2.0, 0.25, 1.0], 'float32'))
        array([-1.5,  0. ,  0.5], dtype=float32)
    """
    if x.__class__ is _KT:
        return _symbolic("soft_shrink", (x, threshold), {})
    return _impl_soft_shrink(x, threshold)


def sparse_plus(x):
    """SparsePlus, a smooth piecewise approximation of `relu`.

    `0` for `x <= -1`, `(x + 1)**2 / 4` for `-1 < x < 1` and `x` for `x >= 1`.

    Args:
        x: Input tensor.

    Returns:
        A tensor of the shape of `x`; float inputs keep their dtype, integer and bool inputs give
        `floatx()`.

    Examples:
        >>> keras.ops.sparse_plus(np.array([-2.0, 0.0, 1.0, 3.0], 'float32'))
        array([0.  , 0.25, 1.  , 3.  ], dtype=float32)
    """
    if x.__class__ is _KT:
        return _symbolic("sparse_plus", (x,), {})
    return _impl_sparse_plus(x)


def silu(x):
    """Sigmoid linear unit (swish): `x * sigmoid(x)` element-wise.

    Also exported as `swish`.

    Args:
        x: Input tensor.

    Returns:
        A tensor of the shape of `x`; float inputs keep their dtype, integer and bool inputs give
        `floatx()`.

    Examples:
        >>> keras.ops.silu(np.array([0.0], 'float32'))
        array([0.], dtype=float32)
    """
    if x.__class__ is _KT:
        return _symbolic("silu", (x,), {})
    return _impl_silu(x)


def squareplus(x, b=4):
    """Squareplus: `(x + sqrt(x**2 + b)) / 2` element-wise.

    Args:
        x: Input tensor.
        b: Non-negative float, the smoothness of the bend at 0 (default 4).

    Returns:
        A tensor of the shape of `x`; float inputs keep their dtype, integer and bool inputs give
        `floatx()`.

    Examples:
        >>> keras.ops.squareplus(np.array([0.0, 1.5], 'float32'))  # (0 + 2) / 2, (1.5 + 2.5) / 2
        array([1., 2.], dtype=float32)
    """
    if x.__class__ is _KT:
        return _symbolic("squareplus", (x, b), {})
    return _impl_squareplus(x, b)


def log_sigmoid(x):
    """Logarithm of the sigmoid: `-softplus(-x)` element-wise, computed stably.

    Args:
        x: Input tensor.

    Returns:
        A tensor of the shape of `x`; float inputs keep their dtype, integer and bool inputs give
        `floatx()`.

    Examples:
        >>> keras.ops.log_sigmoid(np.array([0.0], 'float32'))  # log(1/2)
        array([-0.6931472], dtype=float32)
    """
    if x.__class__ is _KT:
        return _symbolic("log_sigmoid", (x,), {})
    return _impl_log_sigmoid(x)


def leaky_relu(x, negative_slope=0.2):
    """Leaky ReLU: `x` for `x >= 0`, `negative_slope * x` otherwise.

    Args:
        x: Input tensor.
        negative_slope: Float, the slope for negative inputs (default 0.2).

    Returns:
        A tensor of the shape of `x`; float inputs keep their dtype, integer and bool inputs give
        `floatx()`.

    Examples:
        >>> keras.ops.leaky_relu(np.array([-2.0, 3.0], 'float32'))
        array([-0.4,  3. ], dtype=float32)
    """
    if x.__class__ is _KT:
        return _symbolic("leaky_relu", (x, negative_slope), {})
    return _impl_leaky_relu(x, negative_slope)


def hard_sigmoid(x):
    """Hard sigmoid: `clip(x / 6 + 0.5, 0, 1)` element-wise (`relu6(x + 3) / 6`).

    Args:
        x: Input tensor.

    Returns:
        A tensor of the shape of `x`; float inputs keep their dtype, integer and bool inputs give
        `floatx()`.

    Examples:
        >>> keras.ops.hard_sigmoid(np.array([-4.0, 0.0, 4.0], 'float32'))
        array([0. , 0.5, 1. ], dtype=float32)
    """
    if x.__class__ is _KT:
        return _symbolic("hard_sigmoid", (x,), {})
    return _impl_hard_sigmoid(x)


def hard_silu(x):
    """Hard SiLU (hard swish): `x * hard_sigmoid(x)` element-wise.

    Also exported as `hard_swish`.

    Args:
        x: Input tensor.

    Returns:
        A tensor of the shape of `x`; float inputs keep their dtype, integer and bool inputs give
        `floatx()`.

    Examples:
        >>> keras.ops.hard_silu(np.array([-4.0, 0.0, 4.0], 'float32'))
        array([-0.,  0.,  4.], dtype=float32)
    """
    if x.__class__ is _KT:
        return _symbolic("hard_silu", (x,), {})
    return _impl_hard_silu(x)


def elu(x, alpha=1.0):
    """Exponential linear unit: `x` for `x > 0`, `alpha * (exp(x) - 1)` otherwise.

    Args:
        x: Input tensor.
        alpha: Float, the value approached for large negative `x` is `-alpha` (default 1.0).

    Returns:
        A tensor of the shape of `x`; float inputs keep their dtype, integer and bool inputs give
        `floatx()`.

    Examples:
        >>> keras.ops.elu(np.array([0.0, 2.0], 'float32'))
        array([0., 2.], dtype=float32)
    """
    if x.__class__ is _KT:
        return _symbolic("elu", (x, alpha), {})
    return _impl_elu(x, alpha)


def selu(x):
    """Scaled exponential linear unit: `scale * elu(x, alpha)`.

    `alpha = 1.67326324...` and `scale = 1.05070098...`, the self-normalizing constants
    of Klambauer et al., 2017.

    Args:
        x: Input tensor.

    Returns:
        A tensor of the shape of `x`; float inputs keep their dtype, integer and bool inputs give
        `floatx()`.

    Examples:
        >>> keras.ops.selu(np.array([0.0, 1.0], 'float32'))  # 0, scale
        array([0.      , 1.050701], dtype=float32)
    """
    if x.__class__ is _KT:
        return _symbolic("selu", (x,), {})
    return _impl_selu(x)


def gelu(x, approximate=True):
    """Gaussian error linear unit: `x * Phi(x)`, `Phi` the standard normal CDF.

    With `approximate`, the tanh approximation
    `0.5 * x * (1 + tanh(sqrt(2 / pi) * (x + 0.044715 * x**3)))`.

    Args:
        x: Input tensor.
        approximate: Whether to use the tanh approximation (default `True`) instead of
            the exact `0.5 * x * (1 + erf(x / sqrt(2)))`.

    Returns:
        A tensor of the shape of `x`; float inputs keep their dtype, integer and bool inputs give
        `floatx()`.

    Examples:
        >>> keras.ops.gelu(np.array([0.0], 'float32'))
        array([0.], dtype=float32)
    """
    if x.__class__ is _KT:
        return _symbolic("gelu", (x, approximate), {})
    return _impl_gelu(x, approximate)


def celu(x, alpha=1.0):
    """Continuously differentiable ELU: `max(x, 0) + alpha * expm1(min(x, 0) / alpha)`.

    Args:
        x: Input tensor.
        alpha: Positive float, the value approached for large negative `x` is
            `-alpha` (default 1.0).

    Returns:
        A tensor of the shape of `x`; float inputs keep their dtype, integer and bool inputs give
        `floatx()`.

    Examples:
        >>> keras.ops.celu(np.array([0.0, 2.0], 'float32'))
        array([0., 2.], dtype=float32)
    """
    if x.__class__ is _KT:
        return _symbolic("celu", (x, alpha), {})
    return _impl_celu(x, alpha)


def glu(x, axis=-1):
    """Gated linear unit: splits `x` in halves `a, b` along `axis`, returns `a * sigmoid(b)`.

    Args:
        x: Input tensor; the size of `axis` must be even.
        axis: Int, the axis that is split (default -1).

    Returns:
        A tensor of the shape of `x` with `axis` halved; float inputs keep their dtype, integer
        and bool inputs give `floatx()`.

    Examples:
        >>> keras.ops.glu(np.array([1.0, 2.0, 0.0, 0.0], 'float32'))  # [1, 2] * sigmoid(0)
        array([0.5, 1. ], dtype=float32)
    """
    _check_glu(x, axis)
    if x.__class__ is _KT:
        return _symbolic("glu", (x, axis), {})
    return _impl_glu(x, axis)


def tanh_shrink(x):
    """Tanh shrink: `x - tanh(x)` element-wise.

    Args:
        x: Input tensor.

    Returns:
        A tensor of the shape of `x`; float inputs keep their dtype, integer and bool inputs give
        `floatx()`.

    Examples:
        >>> keras.ops.tanh_shrink(np.array([0.0], 'float32'))
        array([0.], dtype=float32)
    """
    if x.__class__ is _KT:
        return _symbolic("tanh_shrink", (x,), {})
    return _impl_tanh_shrink(x)


def hard_tanh(x):
    """Hard tanh: `clip(x, -1, 1)` element-wise.

    Args:
        x: Input tensor.

    Returns:
        A tensor of the shape of `x`; float inputs keep their dtype, integer and bool inputs give
        `floatx()`.

    Examples:
        >>> keras.ops.hard_tanh(np.array([-2.0, 0.5, 3.0], 'float32'))
        array([-1. ,  0.5,  1. ], dtype=float32)
    """
    if x.__class__ is _KT:
        return _symbolic("hard_tanh", (x,), {})
    return _impl_hard_tanh(x)


def hard_shrink(x, threshold=0.5):
    """Hard shrinkage: `x` where `abs(x) > threshold`, else 0.

    Args:
        x: Input tensor.
        threshold: Non-negative float, the width of the zeroed band (default 0.5).

    Returns:
        A tensor of the shape of `x`; float inputs keep their dtype, integer and bool inputs give
        `floatx()`.

    Examples:
        >>> keras.ops.hard_shrink(np.array([-2.0, 0.25, 1.0], 'float32'))
        array([-2.,  0.,  1.], dtype=float32)
    """
    if x.__class__ is _KT:
        return _symbolic("hard_shrink", (x, threshold), {})
    return _impl_hard_shrink(x, threshold)


def threshold(x, threshold, default_value):
    """Thresholding: `x` where `x > threshold`, else `default_value`.

    Args:
        x: Input tensor.
        threshold: Float, values of `x` at or below it are replaced.
        default_value: Float, the replacement value.

    Returns:
        A tensor of the shape and dtype of `x`.

    Examples:
        >>> keras.ops.threshold(np.array([-1.0, 0.5, 2.0], 'float32'), 0.5, -9.0)
        array([-9., -9.,  2.], dtype=float32)
    """
    if x.__class__ is _KT:
        return _symbolic("threshold", (x, threshold, default_value), {})
    return _impl_threshold(x, threshold, default_value)


def softmax(x, axis=-1):
    """Softmax over `axis`: `exp(x) / sum(exp(x), axis)`, computed stably.

    Args:
        x: Input tensor.
        axis: Int or tuple of ints, the axes the probabilities are normalized over
            (default -1).

    Returns:
        A tensor of the shape of `x` whose entries along `axis` are positive and sum to 1;
        float inputs keep their dtype, integer and bool inputs give `floatx()`.

    Examples:
        >>> keras.ops.softmax(np.array([[0.0, 0.0]], 'float32'))
        array([[0.5, 0.5]], dtype=float32)
    """
    if x.__class__ is _KT:
        return _symbolic("softmax", (x, axis), {})
    return _impl_softmax(x, axis)


def log_softmax(x, axis=-1):
    """Log-softmax over `axis`: `x - logsumexp(x, axis)`.

    Args:
        x: Input tensor.
        axis: Int or tuple of ints, the axes normalized over (default -1).

    Returns:
        A tensor of the shape of `x`; float inputs keep their dtype, integer and bool inputs
        give `floatx()`.

    Examples:
        >>> keras.ops.log_softmax(np.array([0.0, 0.0], 'float32'))  # log(1/2)
        array([-0.6931472, -0.6931472], dtype=float32)
    """
    if x.__class__ is _KT:
        return _symbolic("log_softmax", (x, axis), {})
    return _impl_log_softmax(x, axis)


def sparsemax(x, axis=-1):
    """Sparsemax over `axis`: the Euclidean projection of `x` onto the probability simplex.

    Like `softmax` the result sums to 1 along `axis`, but small entries become exactly 0
    (Martins & Astudillo, 2016).

    Args:
        x: Input tensor.
        axis: Int, the axis normalized over (default -1).

    Returns:
        A tensor of the shape of `x`; float inputs keep their dtype, integer and bool inputs
        give `floatx()`.

    Examples:
        >>> keras.ops.sparsemax(np.array([1.0, 0.5, -1.0], 'float32'))
        array([0.75, 0.25, 0.  ], dtype=float32)
    """
    if x.__class__ is _KT:
        return _symbolic("sparsemax", (x, axis), {})
    return _impl_sparsemax(x, axis)


def max_pool(inputs, pool_size, strides=None, padding="valid", data_format=None):
    """Max pooling over the spatial axes of a rank 3, 4 or 5 tensor.

    Args:
        inputs: `(batch, *spatial, channels)` or `(batch, channels, *spatial)` (see
            `data_format`), with 1, 2 or 3 spatial axes.
        pool_size: Int or tuple of one int per spatial axis, the window size.
        strides: Int or tuple of one int per spatial axis; `None` (default) means
            `pool_size`.
        padding: `"valid"` (default, no padding) or `"same"` (output size
            `ceil(size / stride)`; padded positions never win the max).
        data_format: `"channels_last"` (`(batch, *spatial, channels)`),
            `"channels_first"` (`(batch, channels, *spatial)`) or `None`
            (`keras.config.image_data_format()`).

    Returns:
        The pooled tensor, of the rank, layout and dtype of `inputs`.

    Examples:
        >>> x = np.array([1.0, 3.0, 2.0, 5.0], 'float32').reshape(1, 4, 1)
        >>> keras.ops.max_pool(x, pool_size=2)[0, :, 0]
        array([3., 5.], dtype=float32)
    """
    if inputs.__class__ is _KT:
        return _symbolic("max_pool", (inputs, pool_size, strides, padding, data_format), {})
    return _impl_max_pool(inputs, pool_size, strides, padding, data_format)


def adaptive_max_pool(inputs, output_size, data_format=None):
    """Adaptive max pooling: max pooling to a fixed spatial `output_size`.

    Output cell `i` of a spatial axis of size `L` pools the input positions
    `floor(i * L / out)` to `ceil((i + 1) * L / out)` (exclusive), so windows may overlap.

    Args:
        inputs: `(batch, *spatial, channels)` or `(batch, channels, *spatial)` (see
            `data_format`), with 1, 2 or 3 spatial axes.
        output_size: Int (the same size on every spatial axis) or tuple of one int per
            spatial axis.
        data_format: `"channels_last"` (`(batch, *spatial, channels)`),
            `"channels_first"` (`(batch, channels, *spatial)`) or `None`
            (`keras.config.image_data_format()`).

    Returns:
        A tensor with spatial shape `output_size`, of the layout and dtype of `inputs`.

    Examples:
        >>> x = np.array([1.0, 3.0, 2.0, 5.0, 4.0], 'float32').reshape(1, 5, 1)
        >>> keras.ops.adaptive_max_pool(x, output_size=2)[0, :, 0]  # windows [0, 3), [2, 5)
        array([3., 5.], dtype=float32)
    """
    if inputs.__class__ is _KT:
        return _symbolic("adaptive_max_pool", (inputs, output_size, data_format), {})
    return _impl_adaptive_max_pool(inputs, output_size, data_format)


def average_pool(inputs, pool_size, strides=None, padding="valid", data_format=None):
    """Average pooling over the spatial axes of a rank 3, 4 or 5 tensor.

    Args:
        inputs: `(batch, *spatial, channels)` or `(batch, channels, *spatial)` (see
            `data_format`), with 1, 2 or 3 spatial axes.
        pool_size: Int or tuple of one int per spatial axis, the window size.
        strides: Int or tuple of one int per spatial axis; `None` (default) means
            `pool_size`.
        padding: `"valid"` (default, no padding) or `"same"` (output size
            `ceil(size / stride)`; only the positions inside the input count in each
            average).
        data_format: `"channels_last"` (`(batch, *spatial, channels)`),
            `"channels_first"` (`(batch, channels, *spatial)`) or `None`
            (`keras.config.image_data_format()`).

    Returns:
        The pooled tensor, of the rank, layout and dtype of `inputs`.

    Examples:
        >>> x = np.array([1.0, 3.0, 2.0, 6.0], 'float32').reshape(1, 4, 1)
        >>> keras.ops.average_pool(x, pool_size=2)[0, :, 0]
        array([2., 4.], dtype=float32)
    """
    if inputs.__class__ is _KT:
        return _symbolic("average_pool", (inputs, pool_size, strides, padding, data_format), {})
    return _impl_average_pool(inputs, pool_size, strides, padding, data_format)


def adaptive_average_pool(inputs, output_size, data_format=None):
    """Adaptive average pooling: average pooling to a fixed spatial `output_size`.

    Output cell `i` of a spatial axis of size `L` pools the input positions
    `floor(i * L / out)` to `ceil((i + 1) * L / out)` (exclusive), so windows may overlap.

    Args:
        inputs: `(batch, *spatial, channels)` or `(batch, channels, *spatial)` (see
            `data_format`), with 1, 2 or 3 spatial axes.
        output_size: Int (the same size on every spatial axis) or tuple of one int per
            spatial axis.
        data_format: `"channels_last"` (`(batch, *spatial, channels)`),
            `"channels_first"` (`(batch, channels, *spatial)`) or `None`
            (`keras.config.image_data_format()`).

    Returns:
        A tensor with spatial shape `output_size`, of the layout and dtype of `inputs`.

    Examples:
        >>> x = np.array([1.0, 3.0, 2.0, 6.0], 'float32').reshape(1, 4, 1)
        >>> keras.ops.adaptive_average_pool(x, output_size=2)[0, :, 0]
        array([2., 4.], dtype=float32)
    """
    if inputs.__class__ is _KT:
        return _symbolic("adaptive_average_pool", (inputs, output_size, data_format), {})
    return _impl_adaptive_average_pool(inputs, output_size, data_format)


def conv(inputs, kernel, strides=1, padding="valid", data_format=None, dilation_rate=1):
    """N-D convolution (cross-correlation, as in deep-learning frameworks), N = 1, 2 or 3.

    Args:
        inputs: `(batch, *spatial, in_channels)` or `(batch, in_channels, *spatial)` (see
            `data_format`).
        kernel: `(*kernel_spatial, in_channels // groups, out_channels)`; `groups` is
            `in_channels // kernel.shape[-2]` (a grouped convolution when > 1).
        strides: Int or tuple of one int per spatial axis (default 1).
        padding: `"valid"` (default, no padding) or `"same"` (output size
            `ceil(size / stride)`, the padding split with the extra element at the end).
        data_format: `"channels_last"` (`(batch, *spatial, channels)`),
            `"channels_first"` (`(batch, channels, *spatial)`) or `None`
            (`keras.config.image_data_format()`).
        dilation_rate: Int or tuple of one int per spatial axis, the spacing between kernel
            taps (default 1).

    Returns:
        `(batch, *out_spatial, out_channels)` (or channels first, as `data_format`), dtype
        `result_type(inputs, kernel)`.

    Examples:
        >>> x = np.array([1.0, 2.0, 3.0, 4.0], 'float32').reshape(1, 4, 1)
        >>> kernel = np.array([1.0, -1.0], 'float32').reshape(2, 1, 1)
        >>> keras.ops.conv(x, kernel)[0, :, 0]  # x[i] - x[i + 1]
        array([-1., -1., -1.], dtype=float32)
    """
    _check_conv(inputs, kernel, strides, padding, data_format, dilation_rate)
    if inputs.__class__ is _KT or kernel.__class__ is _KT:
        return _symbolic("conv", (inputs, kernel, strides, padding, data_format, dilation_rate), {})
    return _impl_conv(inputs, kernel, strides, padding, data_format, dilation_rate)


def depthwise_conv(inputs, kernel, strides=1, padding="valid", data_format=None, dilation_rate=1):
    """Depthwise convolution: each input channel convolved with its own filters.

    Output channel `c * channel_multiplier + m` comes from input channel `c` and filter `m`.

    Args:
        inputs: `(batch, *spatial, in_channels)` or `(batch, in_channels, *spatial)` (see
            `data_format`), with 1 or 2 spatial axes.
        kernel: `(*kernel_spatial, in_channels, channel_multiplier)`.
        strides: Int or tuple of one int per spatial axis (default 1).
        padding: `"valid"` (default, no padding) or `"same"` (output size
            `ceil(size / stride)`, the padding split with the extra element at the end).
        data_format: `"channels_last"` (`(batch, *spatial, channels)`),
            `"channels_first"` (`(batch, channels, *spatial)`) or `None`
            (`keras.config.image_data_format()`).
        dilation_rate: Int or tuple of one int per spatial axis, the spacing between kernel
            taps (default 1).

    Returns:
        `(batch, *out_spatial, in_channels * channel_multiplier)` (or channels first), dtype
        `result_type(inputs, kernel)`.

    Examples:
        >>> x = np.array([[1.0, 10.0], [2.0, 20.0]], 'float32').reshape(1, 2, 2)
        >>> kernel = np.array([[1.0, 1.0], [1.0, -1.0]], 'float32').reshape(2, 2, 1)
        >>> keras.ops.depthwise_conv(x, kernel)  # channel 0: 1 + 2, channel 1: 10 - 20
        array([[[  3., -10.]]], dtype=float32)
    """
    _check_depthwise_conv(inputs, kernel, strides, padding, data_format, dilation_rate)
    if inputs.__class__ is _KT or kernel.__class__ is _KT:
        return _symbolic("depthwise_conv", (inputs, kernel, strides, padding, data_format,
                                            dilation_rate), {})
    return _impl_depthwise_conv(inputs, kernel, strides, padding, data_format, dilation_rate)


def separable_conv(inputs, depthwise_kernel, pointwise_kernel, strides=1, padding="valid",
                   data_format=None, dilation_rate=1):
    """Separable convolution: a depthwise convolution followed by a pointwise (1x1) one.

    Args:
        inputs: `(batch, *spatial, in_channels)` or `(batch, in_channels, *spatial)` (see
            `data_format`), with 1 or 2 spatial axes.
        depthwise_kernel: `(*kernel_spatial, in_channels, channel_multiplier)`, as in
            `depthwise_conv`.
        pointwise_kernel: `(*ones, in_channels * channel_multiplier, out_channels)`: a kernel
            of spatial size 1 on every axis.
        strides: Int or tuple of one int per spatial axis (default 1).
        padding: `"valid"` (default, no padding) or `"same"` (output size
            `ceil(size / stride)`, the padding split with the extra element at the end).
        data_format: `"channels_last"` (`(batch, *spatial, channels)`),
            `"channels_first"` (`(batch, channels, *spatial)`) or `None`
            (`keras.config.image_data_format()`).
        dilation_rate: Int or tuple of one int per spatial axis, the spacing between kernel
            taps (default 1).

    Returns:
        `(batch, *out_spatial, out_channels)` (or channels first), dtype
        `result_type(inputs, depthwise_kernel, pointwise_kernel)`.

    Examples:
        >>> x = np.ones((1, 3, 2), 'float32')
        >>> depthwise = np.ones((2, 2, 1), 'float32')
        >>> pointwise = np.array([[1.0], [2.0]], 'float32').reshape(1, 2, 1)
        >>> keras.ops.separable_conv(x, depthwise, pointwise)[0, :, 0]  # 2 * 1 + 2 * 2
        array([6., 6.], dtype=float32)
    """
    _check_separable_conv(inputs, depthwise_kernel, pointwise_kernel, strides, padding, data_format,
                          dilation_rate)
    if (inputs.__class__ is _KT or depthwise_kernel.__class__ is _KT or
            pointwise_kernel.__class__ is _KT):
        return _symbolic("separable_conv", (inputs, depthwise_kernel, pointwise_kernel, strides,
                                            padding, data_format, dilation_rate), {})
    return _impl_separable_conv(inputs, depthwise_kernel, pointwise_kernel, strides, padding,
                                data_format, dilation_rate)


def conv_transpose(inputs, kernel, strides=1, padding="valid", output_padding=None,
                   data_format=None, dilation_rate=1):
    """Transposed convolution: the gradient of `conv` with respect to its input.

    The output size of a spatial axis is `(size - 1) * stride + (kernel - 1) * dilation + 1`
    for `"valid"` and `size * stride` for `"same"`, unless `output_padding` is given: then
    `(size - 1) * stride + (kernel - 1) * dilation + 1 - 2 * pad + output_padding`, with
    `pad = 0` (valid) or `((kernel - 1) * dilation) // 2` (same).

    Args:
        inputs: `(batch, *spatial, in_channels)` or `(batch, in_channels, *spatial)` (see
            `data_format`), with 1, 2 or 3 spatial axes.
        kernel: `(*kernel_spatial, out_channels, in_channels)`.
        strides: Int or tuple of one int per spatial axis (default 1).
        padding: `"valid"` (default) or `"same"`, see above.
        output_padding: `None` (default) or an int or tuple of one int per spatial axis,
            each smaller than the stride: the extra size added to the output.
        data_format: `"channels_last"` (`(batch, *spatial, channels)`),
            `"channels_first"` (`(batch, channels, *spatial)`) or `None`
            (`keras.config.image_data_format()`).
        dilation_rate: Int or tuple of one int per spatial axis (default 1).

    Returns:
        `(batch, *out_spatial, out_channels)` (or channels first), dtype
        `result_type(inputs, kernel)`.

    Examples:
        >>> x = np.array([1.0, 2.0], 'float32').reshape(1, 2, 1)
        >>> kernel = np.array([1.0, 10.0], 'float32').reshape(2, 1, 1)
        >>> keras.ops.conv_transpose(x, kernel, strides=2)[0, :, 0]
        array([ 1., 10.,  2., 20.], dtype=float32)
    """
    _check_conv_transpose(inputs, kernel, strides, padding, output_padding, data_format,
                          dilation_rate)
    if inputs.__class__ is _KT or kernel.__class__ is _KT:
        return _symbolic("conv_transpose", (inputs, kernel, strides, padding, output_padding,
                                            data_format, dilation_rate), {})
    return _impl_conv_transpose(inputs, kernel, strides, padding, output_padding, data_format,
                                dilation_rate)


def one_hot(x, num_classes, axis=-1, dtype=None, sparse=False):
    """One-hot encodes the integer tensor `x` into a new axis of size `num_classes`.

    Negative or out-of-range indices give all-zero vectors.

    Args:
        x: Integer tensor of class ids.
        num_classes: Int, the size of the new axis.
        axis: Int, where the new axis goes in the output (default -1, last).
        dtype: Output dtype; `None` (default) means `floatx()`.
        sparse: Whether to return a sparse tensor, on backends that have them (default
            `False`).

    Returns:
        A tensor of rank `x.ndim + 1` holding 1 at the class ids and 0 elsewhere.

    Examples:
        >>> keras.ops.one_hot(np.array([0, 2]), 3)
        array([[1., 0., 0.],
               [0., 0., 1.]], dtype=float32)
    """
    if x.__class__ is _KT:
        return _symbolic("one_hot", (x, num_classes, axis, dtype, sparse), {})
    return _impl_one_hot(x, num_classes, axis, dtype, sparse)


def multi_hot(inputs, num_classes=None, axis=-1, dtype=None, sparse=False, **kwargs):
    """Multi-hot encodes integer class ids: 1 for every class present, 0 elsewhere.

    A rank-1 `inputs` is one set of ids; for rank 2 and above the last axis holds the ids of
    one sample, whose one-hot vectors are combined with `max`.

    Args:
        inputs: Integer tensor of class ids.
        num_classes: Int, the number of classes (the size of the encoded axis).
        axis: Int, where the encoded axis goes in the output (default -1, last).
        dtype: Output dtype; `None` (default) means `floatx()`.
        sparse: Whether to return a sparse tensor, on backends that have them (default
            `False`).

    Returns:
        A tensor with the id axis replaced by an axis of size `num_classes`.

    Examples:
        >>> keras.ops.multi_hot(np.array([[0, 2], [1, 1]]), num_classes=3)
        array([[1., 0., 1.],
               [0., 1., 0.]], dtype=float32)
    """
    _check_multi_hot(inputs, num_classes, axis, dtype, sparse, **kwargs)
    if inputs.__class__ is _KT:
        return _symbolic("multi_hot", (inputs, num_classes, axis, dtype, sparse), {**kwargs})
    return _impl_multi_hot(inputs, num_classes, axis, dtype, sparse, **kwargs)


def binary_crossentropy(target, output, from_logits=False):
    """Element-wise binary cross-entropy `-(t log(p) + (1 - t) log(1 - p))`.

    Args:
        target: Tensor of labels in `[0, 1]`, of the shape of `output`.
        output: Probabilities (clipped to `[epsilon, 1 - epsilon]`) or, with
            `from_logits`, logits (passed through a sigmoid, then clipped likewise).
        from_logits: Whether `output` holds logits (default `False`: probabilities).

    Returns:
        A float tensor of the shape of `output`: the loss of each entry.

    Examples:
        >>> target, output = np.array([1.0], 'float32'), np.array([0.5], 'float32')
        >>> keras.ops.binary_crossentropy(target, output)  # -log(0.5)
        array([0.6931472], dtype=float32)
    """
    _check_binary_crossentropy(target, output, from_logits)
    if target.__class__ is _KT or output.__class__ is _KT:
        return _symbolic("binary_crossentropy", (target, output, from_logits), {})
    return _impl_binary_crossentropy(target, output, from_logits)


def categorical_crossentropy(target, output, from_logits=False, axis=-1):
    """Categorical cross-entropy `-sum(target * log(output), axis)`.

    Args:
        target: Tensor of class probabilities (e.g. one-hot), of the shape of `output`.
        output: Probabilities (renormalized to sum to 1 along `axis` and clipped to
            `[epsilon, 1 - epsilon]`) or, with `from_logits`, logits (log-softmax is applied).
        from_logits: Whether `output` holds logits (default `False`: probabilities).
        axis: Int, the class axis (default -1).

    Returns:
        A float tensor of the shape of `output` without `axis`: the loss of each sample.

    Examples:
        >>> target = np.array([[0.0, 1.0]], 'float32')
        >>> keras.ops.categorical_crossentropy(target, np.array([[0.5, 0.5]], 'float32'))
        array([0.6931472], dtype=float32)
    """
    _check_categorical_crossentropy(target, output, from_logits, axis)
    if target.__class__ is _KT or output.__class__ is _KT:
        return _symbolic("categorical_crossentropy", (target, output, from_logits, axis), {})
    return _impl_categorical_crossentropy(target, output, from_logits, axis)


def sparse_categorical_crossentropy(target, output, from_logits=False, axis=-1):
    """Categorical cross-entropy with integer class ids as targets.

    Args:
        target: Integer tensor of class ids, of shape `output.shape[:-1]` (a trailing axis of
            size 1 is accepted).
        output: Probabilities (renormalized and clipped to `[epsilon, 1 - epsilon]`) or, with
            `from_logits`, logits, classes on `axis`.
        from_logits: Whether `output` holds logits (default `False`: probabilities).
        axis: Int, the class axis of `output` (default -1).

    Returns:
        A float tensor of shape `output.shape[:-1]`: the loss of each sample.

    Examples:
        >>> keras.ops.sparse_categorical_crossentropy(np.array([1]), np.array([[0.5, 0.5]], 'float32'))
        array([0.6931472], dtype=float32)
    """
    _check_sparse_categorical_crossentropy(target, output, from_logits, axis)
    if target.__class__ is _KT or output.__class__ is _KT:
        return _symbolic("sparse_categorical_crossentropy", (target, output, from_logits, axis), {})
    return _impl_sparse_categorical_crossentropy(target, output, from_logits, axis)


def moments(x, axes, keepdims=False, synchronized=False):
    """Mean and variance of `x` over `axes`.

    Args:
        x: Input tensor.
        axes: Int or list of ints, the axes reduced.
        keepdims: Keep the reduced axes with size 1 (default `False`).
        synchronized: Only matters for distributed training on TensorFlow (sync the
            statistics across replicas); ignored elsewhere (default `False`).

    Returns:
        A tuple `(mean, variance)` (the biased variance, divided by the count). Float16
        inputs are computed in float32 and returned as float16; integer inputs give
        `floatx()` statistics.

    Examples:
        >>> mean, variance = keras.ops.moments(np.array([1.0, 2.0, 3.0, 6.0], 'float32'), axes=[0])
        >>> mean, variance
        (array(3., dtype=float32), array(3.5, dtype=float32))
    """
    if x.__class__ is _KT:
        return _symbolic("moments", (x, axes, keepdims, synchronized), {})
    return _impl_moments(x, axes, keepdims, synchronized)


def batch_normalization(x, mean, variance, axis, offset=None, scale=None, epsilon=1e-3):
    """Normalizes `x` with given mean and variance.

    `(x - mean) / sqrt(variance + epsilon) * scale + offset`.

    Args:
        x: Input tensor.
        mean: 1-D tensor of the length of axis `axis` of `x`.
        variance: 1-D tensor of the length of axis `axis` of `x`.
        axis: Int, the axis of `x` the statistics are laid along (usually the channels).
        offset: Optional 1-D tensor added after scaling (default `None`: no offset).
        scale: Optional 1-D tensor multiplying the normalized values (default `None`: 1).
        epsilon: Small float added to the variance (default 1e-3).

    Returns:
        The normalized tensor, of the shape of `x`.

    Examples:
        >>> x = np.array([[1.0, 10.0], [3.0, 30.0]], 'float32')
        >>> keras.ops.batch_normalization(x, np.array([2.0, 20.0], 'float32'),
        ...     np.array([1.0, 100.0], 'float32'), axis=-1, epsilon=0.0)
        array([[-1., -1.],
               [ 1.,  1.]], dtype=float32)
    """
    if (x.__class__ is _KT or mean.__class__ is _KT or variance.__class__ is _KT or
            offset.__class__ is _KT or scale.__class__ is _KT):
        return _symbolic("batch_normalization", (x, mean, variance, axis, offset, scale,
                                                 epsilon), {})
    return _impl_batch_normalization(x, mean, variance, axis, offset, scale, epsilon)


def normalize(x, axis=-1, order=2, epsilon=None):
    """Divides `x` by its `order`-norm over `axis`: `x / max(norm(x), epsilon)`.

    Args:
        x: Input tensor.
        axis: Int or tuple of ints, the axes the norm is taken over (default -1).
        order: Int >= 1, the exponent of the norm (default 2, Euclidean).
        epsilon: Lower bound of the norm; `None` (default) means `keras.config.epsilon()`.

    Returns:
        A tensor of the shape of `x`; integer inputs give `floatx()`.

    Examples:
        >>> keras.ops.normalize(np.array([3.0, 4.0], 'float32'))
        array([0.6, 0.8], dtype=float32)
    """
    _check_normalize(x, axis, order, epsilon)
    if x.__class__ is _KT:
        return _symbolic("normalize", (x, axis, order, epsilon), {})
    return _impl_normalize(x, axis, order, epsilon)


def psnr(x1, x2, max_val):
    """Peak signal-to-noise ratio: `20 log10(max_val) - 10 log10(mean((x1 - x2)**2))`.

    Higher is closer; the mean runs over all entries.

    Args:
        x1: The first signal (e.g. a batch of images).
        x2: The second signal, of the shape of `x1`.
        max_val: Float, the largest possible value of the signals (e.g. 1.0 or 255).

    Returns:
        A float scalar tensor, in decibels.

    Examples:
        >>> x1, x2 = np.zeros((2, 2), 'float32'), np.full((2, 2), 0.1, 'float32')
        >>> float(keras.ops.psnr(x1, x2, max_val=1.0))  # -10 log10(0.01)
        20.0...
    """
    _check_psnr(x1, x2, max_val)
    if x1.__class__ is _KT or x2.__class__ is _KT:
        return _symbolic("psnr", (x1, x2, max_val), {})
    return _impl_psnr(x1, x2, max_val)


def rms_normalization(x, scale=None, axis=-1, epsilon=None):
    """Root-mean-square normalization: `x / sqrt(mean(x**2, axis) + epsilon) * scale`.

    Computed in at least float32 and returned in the dtype of `x` (Zhang & Sennrich, 2019).

    Args:
        x: Input tensor.
        scale: Optional tensor multiplying the result, broadcast against `x` (default
            `None`: 1).
        axis: Int or tuple of ints, the axes of the mean (default -1).
        epsilon: Small float added to the mean square; `None` (default) means
            `keras.config.epsilon()`.

    Returns:
        A tensor of the shape and dtype of `x`.

    Examples:
        >>> keras.ops.rms_normalization(np.array([3.0, -3.0], 'float32'), epsilon=0.0)
        array([ 1., -1.], dtype=float32)
    """
    if x.__class__ is _KT or scale.__class__ is _KT:
        return _symbolic("rms_normalization", (x, scale, axis, epsilon), {})
    return _impl_rms_normalization(x, scale, axis, epsilon)


def layer_normalization(x, gamma=None, beta=None, axis=-1, epsilon=None, **kwargs):
    """Layer normalization: `(x - mean) / sqrt(variance + epsilon) * gamma + beta` over `axis`.

    Computed in at least float32 and returned in the dtype of `x`. The keyword argument
    `rms_scaling=True` divides by `sqrt(variance + epsilon)` without centering (and ignores
    `beta`).

    Args:
        x: Input tensor.
        gamma: Optional scale, broadcast against `x` (default `None`: 1).
        beta: Optional offset, broadcast against `x` (default `None`: 0).
        axis: Int or tuple of ints, the axes normalized over (default -1).
        epsilon: Small float added to the variance; `None` (default) means
            `keras.config.epsilon()`.

    Returns:
        A tensor of the shape and dtype of `x`.

    Examples:
        >>> keras.ops.layer_normalization(np.array([1.0, 3.0], 'float32'), epsilon=0.0)
        array([-1.,  1.], dtype=float32)
    """
    if x.__class__ is _KT or gamma.__class__ is _KT or beta.__class__ is _KT:
        return _symbolic("layer_normalization", (x, gamma, beta, axis, epsilon), {**kwargs})
    return _impl_layer_normalization(x, gamma, beta, axis, epsilon, **kwargs)


def ctc_loss(target, output, target_length, output_length, mask_index=0):
    """Connectionist temporal classification (CTC) loss of each batch entry.

    Args:
        target: Int tensor `(batch, max_label_length)` of label ids, padded past
            `target_length`.
        output: Logits `(batch, max_time, num_classes)` (log-softmax is applied).
        target_length: Int tensor `(batch,)`, the length of each label sequence.
        output_length: Int tensor `(batch,)`, the number of valid time steps of each entry.
        mask_index: Int, the blank class id (default 0).

    Returns:
        `(batch,)` negative log-likelihoods, dtype `result_type(output, "float32")`.

    Examples:
        >>> output = np.zeros((1, 1, 2), 'float32')  # one step, two equally likely classes
        >>> keras.ops.ctc_loss(np.array([[1]]), output, np.array([1]), np.array([1]))  # -log(1/2)
        array([0.6931472], dtype=float32)
    """
    if (target.__class__ is _KT or output.__class__ is _KT or target_length.__class__ is _KT or
            output_length.__class__ is _KT):
        return _symbolic("ctc_loss", (target, output, target_length, output_length, mask_index), {})
    return _impl_ctc_loss(target, output, target_length, output_length, mask_index)


def ctc_decode(inputs, sequence_lengths, strategy="greedy", beam_width=100, top_paths=1,
               merge_repeated=True, mask_index=0):
    """Decodes the output of a CTC model into label sequences.

    Args:
        inputs: Tensor `(batch, max_time, num_classes)` of logits or log-probabilities (not
            softmax probabilities).
        sequence_lengths: Int tensor `(batch,)`, the number of valid time steps of each entry.
        strategy: `"greedy"` (default: the most likely class at each step). Keras'
            `"beam_search"` is not implemented yet: every backend raises
            `NotImplementedError` for it.
        beam_width: Int, the beam width of `"beam_search"` (default 100; unused by greedy).
        top_paths: Int, the number of sequences per entry of `"beam_search"` (default 1;
            greedy returns one).
        merge_repeated: Whether to merge repeated labels (default `True`).
        mask_index: Int, the blank class id (default 0).

    Returns:
        `(decoded, scores)`: int32 `(top_paths, batch, max_time)` label sequences (repeats
        merged when `merge_repeated`, blanks removed, padded with -1) and float
        `(batch, top_paths)` scores; greedy scores are `-sum over time of max(inputs)` (the
        inputs are taken as log-probabilities, time steps past the length count 0).

    Examples:
        >>> logits = np.log(np.array([[[0.1, 0.9], [0.1, 0.9], [0.9, 0.1]]], 'float32'))
        >>> decoded, scores = keras.ops.ctc_decode(logits, np.array([3]))
        >>> decoded  # class 1 twice (merged), then the blank
        array([[[ 1, -1, -1]]], dtype=int32)
    """
    if inputs.__class__ is _KT or sequence_lengths.__class__ is _KT:
        return _symbolic("ctc_decode", (inputs, sequence_lengths, strategy, beam_width, top_paths,
                                        merge_repeated, mask_index), {})
    return _impl_ctc_decode(inputs, sequence_lengths, strategy, beam_width, top_paths,
                            merge_repeated, mask_index)


def dot_product_attention(query, key, value, bias=None, mask=None, scale=None, is_causal=False,
                          flash_attention=None, attn_logits_soft_cap=None):
    """Scaled dot-product attention: `softmax(scale * query @ key^T + bias) @ value`.

    Args:
        query: `(batch, target_len, heads, dim)` (or without the batch axis).
        key: `(batch, source_len, kv_heads, dim)`; `heads` is a multiple of `kv_heads`
            (grouped-query attention).
        value: `(batch, source_len, kv_heads, dim)`, like `key`.
        bias: Optional tensor added to the logits `(batch, heads, target_len, source_len)`
            (broadcast).
        mask: Optional bool tensor, broadcast like `bias`; `False` positions are excluded.
        scale: Float logit scale; `None` (default) means `1 / sqrt(dim)`.
        is_causal: Whether to apply a lower-triangular (causal) mask (default `False`).
        flash_attention: A hint only; no effect on the result (default `None`).
        attn_logits_soft_cap: If set, logits become `cap * tanh(logits / cap)` (default
            `None`).

    Returns:
        `(batch, target_len, heads, dim)` in `result_type(query, key, value)`.

    Examples:
        >>> q, k = np.zeros((1, 1, 1, 1), 'float32'), np.zeros((1, 2, 1, 1), 'float32')
        >>> v = np.array([1.0, 3.0], 'float32').reshape(1, 2, 1, 1)
        >>> keras.ops.dot_product_attention(q, k, v)  # equal logits: the mean of the values
        array([[[[2.]]]], dtype=float32)
    """
    if (query.__class__ is _KT or key.__class__ is _KT or value.__class__ is _KT or
            bias.__class__ is _KT or mask.__class__ is _KT):
        return _symbolic("dot_product_attention", (query, key, value, bias, mask, scale, is_causal,
                                                   flash_attention, attn_logits_soft_cap), {})
    return _impl_dot_product_attention(query, key, value, bias, mask, scale, is_causal,
                                       flash_attention, attn_logits_soft_cap)


def polar(abs_, angle):
    """Complex tensor from polar coordinates: `abs_ * (cos(angle) + i sin(angle))`.

    Args:
        abs_: Float tensor of magnitudes.
        angle: Float tensor of angles in radians, broadcastable against `abs_`.

    Returns:
        A complex tensor (complex64 for float32 inputs, complex128 for float64).

    Examples:
        >>> keras.ops.polar(np.array([2.0], 'float32'), np.array([0.0], 'float32'))
        array([2.+0.j], dtype=complex64)
    """
    if abs_.__class__ is _fast_polar_type and angle.__class__ is _fast_polar_type:
        _dtype = abs_.dtype
        if _dtype is angle.dtype and _dtype in _fast_polar_dtypes:
            try:
                return _fast_polar(abs_, angle)
            except Exception:  # the implementation gives the op's own error
                pass
    if abs_.__class__ is _KT or angle.__class__ is _KT:
        return _symbolic("polar", (abs_, angle), {})
    return _impl_polar(abs_, angle)


def unfold(x, kernel_size, dilation=1, padding=0, stride=1):
    """Extracts sliding blocks of an `(N, C, H, W)` tensor as columns (im2col).

    Follows PyTorch's `unfold`: each of the `L` blocks is flattened in `(C, kH, kW)` order.

    Args:
        x: Tensor `(N, C, H, W)` (channels first).
        kernel_size: Int or pair `(kH, kW)`, the block size.
        dilation: Int or pair, the spacing between block taps (default 1).
        padding: Int or pair, zero padding on both sides of each spatial axis (default 0).
        stride: Int or pair, the step between blocks (default 1).

    Returns:
        A tensor `(N, C * kH * kW, L)`, `L` the number of blocks, of the dtype of `x`.

    Examples:
        >>> x = np.arange(4.0, dtype='float32').reshape(1, 1, 2, 2)
        >>> keras.ops.unfold(x, kernel_size=1)
        array([[[0., 1., 2., 3.]]], dtype=float32)
    """
    _check_unfold(x, kernel_size, dilation, padding, stride)
    if x.__class__ is _KT:
        return _symbolic("unfold", (x, kernel_size, dilation, padding, stride), {})
    return _impl_unfold(x, kernel_size, dilation, padding, stride)


def fold(x, output_size, kernel_size, dilation=1, padding=0, stride=1):
    """Sums sliding blocks back into an `(N, C, H, W)` tensor (col2im), the inverse of `unfold`.

    Overlapping blocks add up.

    Args:
        x: Tensor `(N, C * kH * kW, L)` of flattened blocks.
        output_size: Int or pair `(H, W)`, the spatial size of the output.
        kernel_size: Int or pair `(kH, kW)`, the block size.
        dilation: Int or pair, the spacing between block taps (default 1).
        padding: Int or pair, the padding `unfold` used (removed from the output, default 0).
        stride: Int or pair, the step between blocks (default 1).

    Returns:
        A tensor `(N, C, *output_size)` of the dtype of `x`.

    Examples:
        >>> x = np.ones((1, 2, 2), 'float32')  # two blocks of width 2, stride 1, overlapping
        >>> keras.ops.fold(x, output_size=(1, 3), kernel_size=(1, 2))
        array([[[[1., 2., 1.]]]], dtype=float32)
    """
    _check_fold(x, output_size, kernel_size, dilation, padding, stride)
    if x.__class__ is _KT:
        return _symbolic("fold", (x, output_size, kernel_size, dilation, padding, stride), {})
    return _impl_fold(x, output_size, kernel_size, dilation, padding, stride)


def depth_to_space(x, block_size, data_format="channels_last"):
    """Moves channel blocks into `block_size x block_size` spatial blocks (pixel shuffle).

    `(N, H, W, C)` becomes `(N, H * b, W * b, C / b**2)` (DCR order: output pixel
    `(h * b + i, w * b + j)` channel `c` is input channel `(i * b + j) * C / b**2 + c`).

    Args:
        x: Rank-4 tensor; its channel count must be divisible by `block_size ** 2`.
        block_size: Int >= 2, the spatial block size `b`.
        data_format: `"channels_last"` (default, `(N, H, W, C)`) or `"channels_first"`
            (`(N, C, H, W)`).

    Returns:
        The rearranged tensor, of the dtype of `x`.

    Examples:
        >>> x = np.arange(4).reshape(1, 1, 1, 4)
        >>> keras.ops.depth_to_space(x, 2)[0, :, :, 0]
        array([[0, 1],
               [2, 3]])
    """
    if x.__class__ is _KT:
        return _symbolic("depth_to_space", (x, block_size, data_format), {})
    return _impl_depth_to_space(x, block_size, data_format)


def space_to_depth(x, block_size, data_format="channels_last"):
    """Moves `block_size x block_size` spatial blocks into channels (`depth_to_space` inverse).

    `(N, H, W, C)` becomes `(N, H / b, W / b, C * b**2)`.

    Args:
        x: Rank-4 tensor; its height and width must be divisible by `block_size`.
        block_size: Int >= 2, the spatial block size `b`.
        data_format: `"channels_last"` (default, `(N, H, W, C)`) or `"channels_first"`
            (`(N, C, H, W)`).

    Returns:
        The rearranged tensor, of the dtype of `x`.

    Examples:
        >>> x = np.arange(4).reshape(1, 2, 2, 1)
        >>> keras.ops.space_to_depth(x, 2)
        array([[[[0, 1, 2, 3]]]])
    """
    if x.__class__ is _KT:
        return _symbolic("space_to_depth", (x, block_size, data_format), {})
    return _impl_space_to_depth(x, block_size, data_format)


#: Every op of the spec module, hand-written or generated, in the spec's order.
__all__ = [
    "relu",
    "relu6",
    "sigmoid",
    "sparse_sigmoid",
    "softplus",
    "softsign",
    "soft_shrink",
    "sparse_plus",
    "silu",
    "squareplus",
    "log_sigmoid",
    "leaky_relu",
    "hard_sigmoid",
    "hard_silu",
    "elu",
    "selu",
    "gelu",
    "celu",
    "glu",
    "tanh_shrink",
    "hard_tanh",
    "hard_shrink",
    "threshold",
    "softmax",
    "log_softmax",
    "sparsemax",
    "max_pool",
    "adaptive_max_pool",
    "average_pool",
    "adaptive_average_pool",
    "conv",
    "depthwise_conv",
    "separable_conv",
    "conv_transpose",
    "one_hot",
    "multi_hot",
    "binary_crossentropy",
    "categorical_crossentropy",
    "sparse_categorical_crossentropy",
    "moments",
    "batch_normalization",
    "normalize",
    "psnr",
    "rms_normalization",
    "layer_normalization",
    "ctc_loss",
    "ctc_decode",
    "dot_product_attention",
    "polar",
    "unfold",
    "fold",
    "depth_to_space",
    "space_to_depth",
]

#: The ops generated above: each calls `_impl_<op>`, bound by `_rebind`.
_GENERATED = (
    "relu",
    "relu6",
    "sigmoid",
    "sparse_sigmoid",
    "softplus",
    "softsign",
    "soft_shrink",
    "sparse_plus",
    "silu",
    "squareplus",
    "log_sigmoid",
    "leaky_relu",
    "hard_sigmoid",
    "hard_silu",
    "elu",
    "selu",
    "gelu",
    "celu",
    "glu",
    "tanh_shrink",
    "hard_tanh",
    "hard_shrink",
    "threshold",
    "softmax",
    "log_softmax",
    "sparsemax",
    "max_pool",
    "adaptive_max_pool",
    "average_pool",
    "adaptive_average_pool",
    "conv",
    "depthwise_conv",
    "separable_conv",
    "conv_transpose",
    "one_hot",
    "multi_hot",
    "binary_crossentropy",
    "categorical_crossentropy",
    "sparse_categorical_crossentropy",
    "moments",
    "batch_normalization",
    "normalize",
    "psnr",
    "rms_normalization",
    "layer_normalization",
    "ctc_loss",
    "ctc_decode",
    "dot_product_attention",
    "polar",
    "unfold",
    "fold",
    "depth_to_space",
    "space_to_depth",
)

#: The generated ops of two `Tensor` operands: each also tests for a fast entry.
_FAST = (
    "polar",
)


def _rebind():
    """Binds each generated op's `_impl_<op>` (and fast entry) to the active backend's."""
    _bind(globals(), _GENERATED, _FAST)


_rebind()
_add_table_listener(_rebind)
# --- END GENERATED OPS ---

# Keras 3 exports these activations under two names each.
swish = silu
hard_swish = hard_silu
__all__ += ["swish", "hard_swish"]
