"""`keras.ops.nn`: the public ops of `unikeras.backend.specs.nn`.

Every op of the spec is an ordinary function in this module. The block between the
`BEGIN GENERATED OPS` / `END GENERATED OPS` lines is written by `core/tools/gen_ops.py`
(do not edit it by hand); the ops defined above it by hand (argument checks beyond the
contract's, special symbolic handling) win, and a hand-written `_check_<op>` function is
called first by the generated op of that name.
"""

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

    Example:

    >>> keras.ops.relu(np.array([-1.0, 0.0, 2.0], 'float32'))
    array([0., 0., 2.], dtype=float32)
    """
    if x.__class__ is _KT:
        return _symbolic("relu", (x,), {})
    return _impl_relu(x)


def relu6(x):
    """Rectified linear unit capped at 6: `min(max(x, 0), 6)`."""
    if x.__class__ is _KT:
        return _symbolic("relu6", (x,), {})
    return _impl_relu6(x)


def sigmoid(x):
    """Logistic sigmoid: `1 / (1 + exp(-x))`.

    Example:

    >>> keras.ops.sigmoid(np.array([0.0], 'float32'))
    array([0.5], dtype=float32)
    """
    if x.__class__ is _KT:
        return _symbolic("sigmoid", (x,), {})
    return _impl_sigmoid(x)


def sparse_sigmoid(x):
    """Sparse sigmoid: `0` for `x <= -1`, `(x + 1) / 2` for `-1 < x < 1`, `1` for `x >= 1`."""
    if x.__class__ is _KT:
        return _symbolic("sparse_sigmoid", (x,), {})
    return _impl_sparse_sigmoid(x)


def softplus(x):
    """Softplus: `log(exp(x) + 1)`, computed stably.

    Example:

    >>> keras.ops.softplus(np.array([0.0], 'float32'))  # log(2)
    array([0.6931472], dtype=float32)
    """
    if x.__class__ is _KT:
        return _symbolic("softplus", (x,), {})
    return _impl_softplus(x)


def softsign(x):
    """Softsign: `x / (abs(x) + 1)`."""
    if x.__class__ is _KT:
        return _symbolic("softsign", (x,), {})
    return _impl_softsign(x)


def soft_shrink(x, threshold=0.5):
    """Soft shrinkage: `x - threshold` above `threshold`, `x + threshold` below `-threshold`,
    else 0."""
    if x.__class__ is _KT:
        return _symbolic("soft_shrink", (x, threshold), {})
    return _impl_soft_shrink(x, threshold)


def sparse_plus(x):
    """SparsePlus: `0` for `x <= -1`, `(x + 1)**2 / 4` for `-1 < x < 1`, `x` for `x >= 1`."""
    if x.__class__ is _KT:
        return _symbolic("sparse_plus", (x,), {})
    return _impl_sparse_plus(x)


def silu(x):
    """Sigmoid linear unit (swish): `x * sigmoid(x)`. Also exported as `swish`.

    Example:

    >>> keras.ops.silu(np.array([0.0], 'float32'))
    array([0.], dtype=float32)
    """
    if x.__class__ is _KT:
        return _symbolic("silu", (x,), {})
    return _impl_silu(x)


def squareplus(x, b=4):
    """Squareplus: `(x + sqrt(x**2 + b)) / 2`."""
    if x.__class__ is _KT:
        return _symbolic("squareplus", (x, b), {})
    return _impl_squareplus(x, b)


def log_sigmoid(x):
    """Logarithm of the sigmoid: `-softplus(-x)`."""
    if x.__class__ is _KT:
        return _symbolic("log_sigmoid", (x,), {})
    return _impl_log_sigmoid(x)


def leaky_relu(x, negative_slope=0.2):
    """Leaky ReLU: `x` for `x >= 0`, `negative_slope * x` otherwise."""
    if x.__class__ is _KT:
        return _symbolic("leaky_relu", (x, negative_slope), {})
    return _impl_leaky_relu(x, negative_slope)


def hard_sigmoid(x):
    """Hard sigmoid: `clip(x / 6 + 0.5, 0, 1)`."""
    if x.__class__ is _KT:
        return _symbolic("hard_sigmoid", (x,), {})
    return _impl_hard_sigmoid(x)


def hard_silu(x):
    """Hard SiLU (hard swish): `x * hard_sigmoid(x)`. Also exported as `hard_swish`."""
    if x.__class__ is _KT:
        return _symbolic("hard_silu", (x,), {})
    return _impl_hard_silu(x)


def elu(x, alpha=1.0):
    """Exponential linear unit: `x` for `x > 0`, `alpha * (exp(x) - 1)` otherwise."""
    if x.__class__ is _KT:
        return _symbolic("elu", (x, alpha), {})
    return _impl_elu(x, alpha)


def selu(x):
    """Scaled ELU: `scale * elu(x, alpha)` with `alpha = 1.67326324...`,
    `scale = 1.05070098...`."""
    if x.__class__ is _KT:
        return _symbolic("selu", (x,), {})
    return _impl_selu(x)


def gelu(x, approximate=True):
    """Gaussian error linear unit: `x * Phi(x)`; the tanh approximation
    `0.5 * x * (1 + tanh(sqrt(2/pi) * (x + 0.044715 x**3)))` when `approximate`.

    Example:

    >>> keras.ops.gelu(np.array([0.0], 'float32'))
    array([0.], dtype=float32)
    """
    if x.__class__ is _KT:
        return _symbolic("gelu", (x, approximate), {})
    return _impl_gelu(x, approximate)


def celu(x, alpha=1.0):
    """Continuously differentiable ELU: `max(x, 0) + alpha * expm1(min(x, 0) / alpha)`."""
    if x.__class__ is _KT:
        return _symbolic("celu", (x, alpha), {})
    return _impl_celu(x, alpha)


def glu(x, axis=-1):
    """Gated linear unit: splits `x` in halves `a, b` along `axis`, returns `a * sigmoid(b)`.

    The size of `axis` must be even.
    """
    if x.__class__ is _KT:
        return _symbolic("glu", (x, axis), {})
    return _impl_glu(x, axis)


def tanh_shrink(x):
    """Tanh shrink: `x - tanh(x)`."""
    if x.__class__ is _KT:
        return _symbolic("tanh_shrink", (x,), {})
    return _impl_tanh_shrink(x)


def hard_tanh(x):
    """Hard tanh: `clip(x, -1, 1)`."""
    if x.__class__ is _KT:
        return _symbolic("hard_tanh", (x,), {})
    return _impl_hard_tanh(x)


def hard_shrink(x, threshold=0.5):
    """Hard shrinkage: `x` where `abs(x) > threshold`, else 0."""
    if x.__class__ is _KT:
        return _symbolic("hard_shrink", (x, threshold), {})
    return _impl_hard_shrink(x, threshold)


def threshold(x, threshold, default_value):
    """`x` where `x > threshold`, else `default_value`."""
    if x.__class__ is _KT:
        return _symbolic("threshold", (x, threshold, default_value), {})
    return _impl_threshold(x, threshold, default_value)


def softmax(x, axis=-1):
    """Softmax over `axis` (an int or a tuple of ints): `exp(x) / sum(exp(x))`, stably.

    Example:

    >>> keras.ops.softmax(np.array([[0.0, 0.0]], 'float32'))
    array([[0.5, 0.5]], dtype=float32)
    """
    if x.__class__ is _KT:
        return _symbolic("softmax", (x, axis), {})
    return _impl_softmax(x, axis)


def log_softmax(x, axis=-1):
    """Log-softmax over `axis`: `x - logsumexp(x, axis)`.

    Example:

    >>> keras.ops.log_softmax(np.array([0.0, 0.0], 'float32'))  # log(1/2)
    array([-0.6931472, -0.6931472], dtype=float32)
    """
    if x.__class__ is _KT:
        return _symbolic("log_softmax", (x, axis), {})
    return _impl_log_softmax(x, axis)


def sparsemax(x, axis=-1):
    """Sparsemax over `axis`: the Euclidean projection of `x` onto the probability simplex."""
    if x.__class__ is _KT:
        return _symbolic("sparsemax", (x, axis), {})
    return _impl_sparsemax(x, axis)


def max_pool(inputs, pool_size, strides=None, padding="valid", data_format=None):
    """Max pooling over the spatial axes of a rank 3, 4 or 5 tensor.

    Args:
        inputs: `(batch, *spatial, channels)` or `(batch, channels, *spatial)`.
        pool_size: int or tuple of one int per spatial axis.
        strides: int or tuple; `None` means `pool_size`.
        padding: `"valid"` (no padding) or `"same"` (output size `ceil(size / stride)`;
            padded positions never win the max).
        data_format: see the module docstring.
    """
    if inputs.__class__ is _KT:
        return _symbolic("max_pool", (inputs, pool_size, strides, padding, data_format), {})
    return _impl_max_pool(inputs, pool_size, strides, padding, data_format)


def adaptive_max_pool(inputs, output_size, data_format=None):
    """Adaptive max pooling to `output_size` (int or tuple per spatial axis).

    Output cell `i` of an axis of size `L` pools input positions
    `floor(i * L / out)` to `ceil((i + 1) * L / out)` (exclusive).
    """
    if inputs.__class__ is _KT:
        return _symbolic("adaptive_max_pool", (inputs, output_size, data_format), {})
    return _impl_adaptive_max_pool(inputs, output_size, data_format)


def average_pool(inputs, pool_size, strides=None, padding="valid", data_format=None):
    """Average pooling; like `max_pool`, and with `"same"` padding only the positions inside
    the input count in each average."""
    if inputs.__class__ is _KT:
        return _symbolic("average_pool", (inputs, pool_size, strides, padding, data_format), {})
    return _impl_average_pool(inputs, pool_size, strides, padding, data_format)


def adaptive_average_pool(inputs, output_size, data_format=None):
    """Adaptive average pooling to `output_size`, windows as in `adaptive_max_pool`."""
    if inputs.__class__ is _KT:
        return _symbolic("adaptive_average_pool", (inputs, output_size, data_format), {})
    return _impl_adaptive_average_pool(inputs, output_size, data_format)


def conv(inputs, kernel, strides=1, padding="valid", data_format=None, dilation_rate=1):
    """N-D convolution (cross-correlation), N = 1, 2 or 3.

    Args:
        inputs: `(batch, *spatial, in_channels)` (channels_last) or channels_first.
        kernel: `(*kernel_spatial, in_channels // groups, out_channels)`; `groups` is
            `in_channels // kernel.shape[-2]` (a grouped convolution when > 1).
        strides, dilation_rate: int or one int per spatial axis.
        padding: `"valid"` or `"same"` (output size `ceil(size / stride)`, the padding split
            with the extra element at the end).

    Returns:
        `(batch, *out_spatial, out_channels)` in `data_format`, dtype `result_type(inputs,
        kernel)`.
    """
    if inputs.__class__ is _KT or kernel.__class__ is _KT:
        return _symbolic("conv", (inputs, kernel, strides, padding, data_format, dilation_rate), {})
    return _impl_conv(inputs, kernel, strides, padding, data_format, dilation_rate)


def depthwise_conv(inputs, kernel, strides=1, padding="valid", data_format=None, dilation_rate=1):
    """Depthwise convolution: each input channel convolved with its own filters.

    `kernel` is `(*kernel_spatial, in_channels, channel_multiplier)`; output channel
    `c * channel_multiplier + m` comes from input channel `c` and filter `m`.
    """
    if inputs.__class__ is _KT or kernel.__class__ is _KT:
        return _symbolic("depthwise_conv", (inputs, kernel, strides, padding, data_format,
                                            dilation_rate), {})
    return _impl_depthwise_conv(inputs, kernel, strides, padding, data_format, dilation_rate)


def separable_conv(inputs, depthwise_kernel, pointwise_kernel, strides=1, padding="valid",
                   data_format=None, dilation_rate=1):
    """Depthwise convolution followed by a pointwise convolution.

    `pointwise_kernel` is `(*ones, in_channels * channel_multiplier, out_channels)`.
    """
    if (inputs.__class__ is _KT or depthwise_kernel.__class__ is _KT or
            pointwise_kernel.__class__ is _KT):
        return _symbolic("separable_conv", (inputs, depthwise_kernel, pointwise_kernel, strides,
                                            padding, data_format, dilation_rate), {})
    return _impl_separable_conv(inputs, depthwise_kernel, pointwise_kernel, strides, padding,
                                data_format, dilation_rate)


def conv_transpose(inputs, kernel, strides=1, padding="valid", output_padding=None,
                   data_format=None, dilation_rate=1):
    """Transposed convolution (the gradient of `conv` with respect to its input).

    `kernel` is `(*kernel_spatial, out_channels, in_channels)`. The output size of an axis
    is `(size - 1) * stride + (kernel - 1) * dilation + 1` for `"valid"` and
    `size * stride` for `"same"`, unless `output_padding` (int or tuple, `< stride`) is
    given: then `(size - 1) * stride + (kernel - 1) * dilation + 1 - 2 * pad +
    output_padding`, with `pad = 0` (valid) or `((kernel - 1) * dilation) // 2` (same).
    """
    if inputs.__class__ is _KT or kernel.__class__ is _KT:
        return _symbolic("conv_transpose", (inputs, kernel, strides, padding, output_padding,
                                            data_format, dilation_rate), {})
    return _impl_conv_transpose(inputs, kernel, strides, padding, output_padding, data_format,
                                dilation_rate)


def one_hot(x, num_classes, axis=-1, dtype=None, sparse=False):
    """One-hot encodes integer `x` into a new axis `axis` of size `num_classes`.

    Negative or out-of-range indices give all-zero vectors. `dtype` defaults to `floatx()`.

    Example:

    >>> keras.ops.one_hot(np.array([0, 2]), 3)
    array([[1., 0., 0.],
           [0., 0., 1.]], dtype=float32)
    """
    if x.__class__ is _KT:
        return _symbolic("one_hot", (x, num_classes, axis, dtype, sparse), {})
    return _impl_one_hot(x, num_classes, axis, dtype, sparse)


def multi_hot(inputs, num_classes=None, axis=-1, dtype=None, sparse=False, **kwargs):
    """Multi-hot encodes integer `inputs`: the one-hot vectors of the last axis (of the only
    axis for rank 1) combined with `max`. `dtype` defaults to `floatx()`."""
    if inputs.__class__ is _KT:
        return _symbolic("multi_hot", (inputs, num_classes, axis, dtype, sparse), {**kwargs})
    return _impl_multi_hot(inputs, num_classes, axis, dtype, sparse, **kwargs)


def binary_crossentropy(target, output, from_logits=False):
    """Element-wise binary cross-entropy; `output` is clipped to
    `[epsilon, 1 - epsilon]` (probabilities) or passed through a sigmoid (logits).
    `target` and `output` must have the same shape.

    Example:

    >>> target, output = np.array([1.0], 'float32'), np.array([0.5], 'float32')
    >>> keras.ops.binary_crossentropy(target, output)  # -log(0.5)
    array([0.6931472], dtype=float32)
    """
    if target.__class__ is _KT or output.__class__ is _KT:
        return _symbolic("binary_crossentropy", (target, output, from_logits), {})
    return _impl_binary_crossentropy(target, output, from_logits)


def categorical_crossentropy(target, output, from_logits=False, axis=-1):
    """Categorical cross-entropy over `axis`; probabilities are renormalised to sum to 1 and
    clipped to `[epsilon, 1 - epsilon]`. `target` and `output` must have the same shape."""
    if target.__class__ is _KT or output.__class__ is _KT:
        return _symbolic("categorical_crossentropy", (target, output, from_logits, axis), {})
    return _impl_categorical_crossentropy(target, output, from_logits, axis)


def sparse_categorical_crossentropy(target, output, from_logits=False, axis=-1):
    """Categorical cross-entropy with integer `target` of shape `output.shape[:-1]` (a
    trailing axis of size 1 is accepted).

    Example:

    >>> keras.ops.sparse_categorical_crossentropy(np.array([1]), np.array([[0.5, 0.5]], 'float32'))
    array([0.6931472], dtype=float32)
    """
    if target.__class__ is _KT or output.__class__ is _KT:
        return _symbolic("sparse_categorical_crossentropy", (target, output, from_logits, axis), {})
    return _impl_sparse_categorical_crossentropy(target, output, from_logits, axis)


def moments(x, axes, keepdims=False, synchronized=False):
    """Returns `(mean, variance)` of `x` over `axes` (float16 computed in float32).

    Integer inputs give `floatx()` statistics. `synchronized` only matters for distributed
    training.
    """
    if x.__class__ is _KT:
        return _symbolic("moments", (x, axes, keepdims, synchronized), {})
    return _impl_moments(x, axes, keepdims, synchronized)


def batch_normalization(x, mean, variance, axis, offset=None, scale=None, epsilon=1e-3):
    """`(x - mean) / sqrt(variance + epsilon) * scale + offset`, the 1-D statistics laid
    along `axis` of `x`."""
    if (x.__class__ is _KT or mean.__class__ is _KT or variance.__class__ is _KT or
            offset.__class__ is _KT or scale.__class__ is _KT):
        return _symbolic("batch_normalization", (x, mean, variance, axis, offset, scale,
                                                 epsilon), {})
    return _impl_batch_normalization(x, mean, variance, axis, offset, scale, epsilon)


def normalize(x, axis=-1, order=2, epsilon=None):
    """Divides `x` by its `order`-norm over `axis`, the norm floored at `epsilon`
    (`keras.config.epsilon()` when `None`). `order` is an int >= 1."""
    if x.__class__ is _KT:
        return _symbolic("normalize", (x, axis, order, epsilon), {})
    return _impl_normalize(x, axis, order, epsilon)


def psnr(x1, x2, max_val):
    """Peak signal-to-noise ratio: `20 log10(max_val) - 10 log10(mean((x1 - x2)**2))`.

    `x1` and `x2` must have the same shape.
    """
    if x1.__class__ is _KT or x2.__class__ is _KT:
        return _symbolic("psnr", (x1, x2, max_val), {})
    return _impl_psnr(x1, x2, max_val)


def rms_normalization(x, scale=None, axis=-1, epsilon=None):
    """`x / sqrt(mean(x**2, axis) + epsilon) * scale`, computed in at least float32, returned
    in the dtype of `x`."""
    if x.__class__ is _KT or scale.__class__ is _KT:
        return _symbolic("rms_normalization", (x, scale, axis, epsilon), {})
    return _impl_rms_normalization(x, scale, axis, epsilon)


def layer_normalization(x, gamma=None, beta=None, axis=-1, epsilon=None, **kwargs):
    """`(x - mean) / sqrt(variance + epsilon) * gamma + beta` over `axis`, computed in at
    least float32, returned in the dtype of `x`. `rms_scaling=True` (keyword) divides by
    `sqrt(variance + epsilon)` without centering."""
    if x.__class__ is _KT or gamma.__class__ is _KT or beta.__class__ is _KT:
        return _symbolic("layer_normalization", (x, gamma, beta, axis, epsilon), {**kwargs})
    return _impl_layer_normalization(x, gamma, beta, axis, epsilon, **kwargs)


def ctc_loss(target, output, target_length, output_length, mask_index=0):
    """Connectionist temporal classification loss per batch entry.

    Args:
        target: int `(batch, max_label_length)`.
        output: logits `(batch, max_time, num_classes)`.
        target_length, output_length: int `(batch,)`.
        mask_index: the blank class.

    Returns:
        `(batch,)` negative log-likelihoods, dtype `result_type(output, "float32")`.
    """
    if (target.__class__ is _KT or output.__class__ is _KT or target_length.__class__ is _KT or
            output_length.__class__ is _KT):
        return _symbolic("ctc_loss", (target, output, target_length, output_length, mask_index), {})
    return _impl_ctc_loss(target, output, target_length, output_length, mask_index)


def ctc_decode(inputs, sequence_lengths, strategy="greedy", beam_width=100, top_paths=1,
               merge_repeated=True, mask_index=0):
    """Decodes CTC output.

    Returns:
        `(decoded, scores)`: int32 `(top_paths, batch, max_time)` label sequences (repeats
        merged when `merge_repeated`, blanks removed, padded with -1) and float
        `(batch, top_paths)` scores; greedy scores are `-sum over time of max(inputs)`
        (the inputs are taken as log-probabilities, time steps past the length count 0).
    """
    if inputs.__class__ is _KT or sequence_lengths.__class__ is _KT:
        return _symbolic("ctc_decode", (inputs, sequence_lengths, strategy, beam_width, top_paths,
                                        merge_repeated, mask_index), {})
    return _impl_ctc_decode(inputs, sequence_lengths, strategy, beam_width, top_paths,
                            merge_repeated, mask_index)


def dot_product_attention(query, key, value, bias=None, mask=None, scale=None, is_causal=False,
                          flash_attention=None, attn_logits_soft_cap=None):
    """Scaled dot-product attention.

    Args:
        query: `(batch, target_len, heads, dim)` (or without the batch axis).
        key, value: `(batch, source_len, kv_heads, dim)`; `heads` is a multiple of
            `kv_heads` (grouped-query attention).
        bias: added to the logits `(batch, heads, target_len, source_len)` (broadcast).
        mask: bool, broadcast like `bias`; `False` positions are excluded.
        scale: logit scale, `1 / sqrt(dim)` when `None`.
        is_causal: apply a lower-triangular mask.
        flash_attention: a hint only; no effect on the result.
        attn_logits_soft_cap: if set, logits become `cap * tanh(logits / cap)`.

    Returns:
        `(batch, target_len, heads, dim)` in `result_type(query, key, value)`.
    """
    if (query.__class__ is _KT or key.__class__ is _KT or value.__class__ is _KT or
            bias.__class__ is _KT or mask.__class__ is _KT):
        return _symbolic("dot_product_attention", (query, key, value, bias, mask, scale, is_causal,
                                                   flash_attention, attn_logits_soft_cap), {})
    return _impl_dot_product_attention(query, key, value, bias, mask, scale, is_causal,
                                       flash_attention, attn_logits_soft_cap)


def polar(abs_, angle):
    """Complex tensor `abs_ * (cos(angle) + i sin(angle))` (complex64 for float32 inputs)."""
    if abs_.__class__ is _KT or angle.__class__ is _KT:
        return _symbolic("polar", (abs_, angle), {})
    return _impl_polar(abs_, angle)


def unfold(x, kernel_size, dilation=1, padding=0, stride=1):
    """Extracts sliding blocks of an `(N, C, H, W)` tensor as `(N, C * kH * kW, L)` (PyTorch
    `unfold` semantics); integer arguments or pairs."""
    if x.__class__ is _KT:
        return _symbolic("unfold", (x, kernel_size, dilation, padding, stride), {})
    return _impl_unfold(x, kernel_size, dilation, padding, stride)


def fold(x, output_size, kernel_size, dilation=1, padding=0, stride=1):
    """Inverse of `unfold`: sums `(N, C * kH * kW, L)` blocks into `(N, C, *output_size)`."""
    if x.__class__ is _KT:
        return _symbolic("fold", (x, output_size, kernel_size, dilation, padding, stride), {})
    return _impl_fold(x, output_size, kernel_size, dilation, padding, stride)


def depth_to_space(x, block_size, data_format="channels_last"):
    """Moves channel blocks into `block_size x block_size` spatial blocks of a rank-4 tensor
    (`(N, H, W, C)` -> `(N, H * b, W * b, C / b**2)`, DCR order)."""
    if x.__class__ is _KT:
        return _symbolic("depth_to_space", (x, block_size, data_format), {})
    return _impl_depth_to_space(x, block_size, data_format)


def space_to_depth(x, block_size, data_format="channels_last"):
    """Inverse of `depth_to_space`: `(N, H, W, C)` -> `(N, H / b, W / b, C * b**2)`."""
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


def _rebind():
    """Binds each generated op's `_impl_<op>` to the active backend's implementation."""
    _bind(globals(), _GENERATED)


_rebind()
_add_table_listener(_rebind)
# --- END GENERATED OPS ---

# Keras 3 exports these activations under two names each.
swish = silu
hard_swish = hard_silu
__all__ += ["swish", "hard_swish"]
