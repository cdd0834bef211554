"""Op hooks of the neural-network namespace (`keras.ops.nn`).

Dtype rule of the activations: a floating input keeps its dtype; integer and bool inputs give
`floatx()`, except for the piecewise-linear `relu` and `relu6`, which keep integer dtypes.
`data_format` arguments take `"channels_last"`, `"channels_first"` or `None`
(`keras.config.image_data_format()`).
"""

from unikeras.backend.hookspec import Tensor, op

# --------------------------------------------------------------------------------------------
# Activations
# --------------------------------------------------------------------------------------------


@op
def relu(x: Tensor):
    """Rectified linear unit: `max(x, 0)` element-wise.

    Example:

    >>> keras.ops.relu(np.array([-1.0, 0.0, 2.0], 'float32'))
    array([0., 0., 2.], dtype=float32)
    """


@op
def relu6(x: Tensor):
    """Rectified linear unit capped at 6: `min(max(x, 0), 6)`."""


@op
def sigmoid(x: Tensor):
    """Logistic sigmoid: `1 / (1 + exp(-x))`.

    Example:

    >>> keras.ops.sigmoid(np.array([0.0], 'float32'))
    array([0.5], dtype=float32)
    """


@op
def sparse_sigmoid(x: Tensor):
    """Sparse sigmoid: `0` for `x <= -1`, `(x + 1) / 2` for `-1 < x < 1`, `1` for `x >= 1`."""


@op
def softplus(x: Tensor):
    """Softplus: `log(exp(x) + 1)`, computed stably.

    Example:

    >>> keras.ops.softplus(np.array([0.0], 'float32'))  # log(2)
    array([0.6931472], dtype=float32)
    """


@op
def softsign(x: Tensor):
    """Softsign: `x / (abs(x) + 1)`."""


@op
def soft_shrink(x: Tensor, threshold=0.5):
    """Soft shrinkage: `x - threshold` above `threshold`, `x + threshold` below `-threshold`,
    else 0."""


@op
def sparse_plus(x: Tensor):
    """SparsePlus: `0` for `x <= -1`, `(x + 1)**2 / 4` for `-1 < x < 1`, `x` for `x >= 1`."""


@op
def silu(x: Tensor):
    """Sigmoid linear unit (swish): `x * sigmoid(x)`. Also exported as `swish`.

    Example:

    >>> keras.ops.silu(np.array([0.0], 'float32'))
    array([0.], dtype=float32)
    """


@op
def squareplus(x: Tensor, b=4):
    """Squareplus: `(x + sqrt(x**2 + b)) / 2`."""


@op
def log_sigmoid(x: Tensor):
    """Logarithm of the sigmoid: `-softplus(-x)`."""


@op
def leaky_relu(x: Tensor, negative_slope=0.2):
    """Leaky ReLU: `x` for `x >= 0`, `negative_slope * x` otherwise."""


@op
def hard_sigmoid(x: Tensor):
    """Hard sigmoid: `clip(x / 6 + 0.5, 0, 1)`."""


@op
def hard_silu(x: Tensor):
    """Hard SiLU (hard swish): `x * hard_sigmoid(x)`. Also exported as `hard_swish`."""


@op
def elu(x: Tensor, alpha=1.0):
    """Exponential linear unit: `x` for `x > 0`, `alpha * (exp(x) - 1)` otherwise."""


@op
def selu(x: Tensor):
    """Scaled ELU: `scale * elu(x, alpha)` with `alpha = 1.67326324...`,
    `scale = 1.05070098...`."""


@op
def gelu(x: Tensor, approximate=True):
    """Gaussian error linear unit: `x * Phi(x)`; the tanh approximation
    `0.5 * x * (1 + tanh(sqrt(2/pi) * (x + 0.044715 x**3)))` when `approximate`.

    Example:

    >>> keras.ops.gelu(np.array([0.0], 'float32'))
    array([0.], dtype=float32)
    """


@op
def celu(x: Tensor, alpha=1.0):
    """Continuously differentiable ELU: `max(x, 0) + alpha * expm1(min(x, 0) / alpha)`."""


@op
def glu(x: Tensor, axis=-1):
    """Gated linear unit: splits `x` in halves `a, b` along `axis`, returns `a * sigmoid(b)`.

    The size of `axis` must be even.
    """


@op
def tanh_shrink(x: Tensor):
    """Tanh shrink: `x - tanh(x)`."""


@op
def hard_tanh(x: Tensor):
    """Hard tanh: `clip(x, -1, 1)`."""


@op
def hard_shrink(x: Tensor, threshold=0.5):
    """Hard shrinkage: `x` where `abs(x) > threshold`, else 0."""


@op
def threshold(x: Tensor, threshold, default_value):
    """`x` where `x > threshold`, else `default_value`."""


@op
def softmax(x: Tensor, axis=-1):
    """Softmax over `axis` (an int or a tuple of ints): `exp(x) / sum(exp(x))`, stably.

    Example:

    >>> keras.ops.softmax(np.array([[0.0, 0.0]], 'float32'))
    array([[0.5, 0.5]], dtype=float32)
    """


@op
def log_softmax(x: Tensor, axis=-1):
    """Log-softmax over `axis`: `x - logsumexp(x, axis)`.

    Example:

    >>> keras.ops.log_softmax(np.array([0.0, 0.0], 'float32'))  # log(1/2)
    array([-0.6931472, -0.6931472], dtype=float32)
    """


@op
def sparsemax(x: Tensor, axis=-1):
    """Sparsemax over `axis`: the Euclidean projection of `x` onto the probability simplex."""


# --------------------------------------------------------------------------------------------
# Pooling and convolutions
# --------------------------------------------------------------------------------------------


@op
def max_pool(inputs: Tensor, pool_size, strides=None, padding="valid", data_format=None):
    """Max pooling over the spatial axes of a rank 3, 4 or 5 tensor.

    Args:
        inputs: `(batch, *spatial, channels)` or `(batch, channels, *spatial)`.
        pool_size: int or tuple of one int per spatial axis.
        strides: int or tuple; `None` means `pool_size`.
        padding: `"valid"` (no padding) or `"same"` (output size `ceil(size / stride)`;
            padded positions never win the max).
        data_format: see the module docstring.
    """


@op
def adaptive_max_pool(inputs: Tensor, output_size, data_format=None):
    """Adaptive max pooling to `output_size` (int or tuple per spatial axis).

    Output cell `i` of an axis of size `L` pools input positions
    `floor(i * L / out)` to `ceil((i + 1) * L / out)` (exclusive).
    """


@op
def average_pool(inputs: Tensor, pool_size, strides=None, padding="valid", data_format=None):
    """Average pooling; like `max_pool`, and with `"same"` padding only the positions inside
    the input count in each average."""


@op
def adaptive_average_pool(inputs: Tensor, output_size, data_format=None):
    """Adaptive average pooling to `output_size`, windows as in `adaptive_max_pool`."""


@op
def conv(
    inputs: Tensor, kernel: Tensor, strides=1, padding="valid", data_format=None, dilation_rate=1
):
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


@op
def depthwise_conv(
    inputs: Tensor, kernel: Tensor, strides=1, padding="valid", data_format=None, dilation_rate=1
):
    """Depthwise convolution: each input channel convolved with its own filters.

    `kernel` is `(*kernel_spatial, in_channels, channel_multiplier)`; output channel
    `c * channel_multiplier + m` comes from input channel `c` and filter `m`.
    """


@op
def separable_conv(
    inputs: Tensor,
    depthwise_kernel: Tensor,
    pointwise_kernel: Tensor,
    strides=1,
    padding="valid",
    data_format=None,
    dilation_rate=1,
):
    """Depthwise convolution followed by a pointwise convolution.

    `pointwise_kernel` is `(*ones, in_channels * channel_multiplier, out_channels)`.
    """


@op
def conv_transpose(
    inputs: Tensor,
    kernel: Tensor,
    strides=1,
    padding="valid",
    output_padding=None,
    data_format=None,
    dilation_rate=1,
):
    """Transposed convolution (the gradient of `conv` with respect to its input).

    `kernel` is `(*kernel_spatial, out_channels, in_channels)`. The output size of an axis
    is `(size - 1) * stride + (kernel - 1) * dilation + 1` for `"valid"` and
    `size * stride` for `"same"`, unless `output_padding` (int or tuple, `< stride`) is
    given: then `(size - 1) * stride + (kernel - 1) * dilation + 1 - 2 * pad +
    output_padding`, with `pad = 0` (valid) or `((kernel - 1) * dilation) // 2` (same).
    """


# --------------------------------------------------------------------------------------------
# Encodings and losses
# --------------------------------------------------------------------------------------------


@op
def one_hot(x: Tensor, num_classes, axis=-1, dtype=None, sparse=False):
    """One-hot encodes integer `x` into a new axis `axis` of size `num_classes`.

    Negative or out-of-range indices give all-zero vectors. `dtype` defaults to `floatx()`.

    Example:

    >>> keras.ops.one_hot(np.array([0, 2]), 3)
    array([[1., 0., 0.],
           [0., 0., 1.]], dtype=float32)
    """


@op
def multi_hot(inputs: Tensor, num_classes=None, axis=-1, dtype=None, sparse=False, **kwargs):
    """Multi-hot encodes integer `inputs`: the one-hot vectors of the last axis (of the only
    axis for rank 1) combined with `max`. `dtype` defaults to `floatx()`."""


@op
def binary_crossentropy(target: Tensor, output: Tensor, from_logits=False):
    """Element-wise binary cross-entropy; `output` is clipped to
    `[epsilon, 1 - epsilon]` (probabilities) or passed through a sigmoid (logits).
    `target` and `output` must have the same shape.

    Example:

    >>> target, output = np.array([1.0], 'float32'), np.array([0.5], 'float32')
    >>> keras.ops.binary_crossentropy(target, output)  # -log(0.5)
    array([0.6931472], dtype=float32)
    """


@op
def categorical_crossentropy(target: Tensor, output: Tensor, from_logits=False, axis=-1):
    """Categorical cross-entropy over `axis`; probabilities are renormalised to sum to 1 and
    clipped to `[epsilon, 1 - epsilon]`. `target` and `output` must have the same shape."""


@op
def sparse_categorical_crossentropy(target: Tensor, output: Tensor, from_logits=False, axis=-1):
    """Categorical cross-entropy with integer `target` of shape `output.shape[:-1]` (a
    trailing axis of size 1 is accepted).

    Example:

    >>> keras.ops.sparse_categorical_crossentropy(np.array([1]), np.array([[0.5, 0.5]], 'float32'))
    array([0.6931472], dtype=float32)
    """


# --------------------------------------------------------------------------------------------
# Statistics and normalisation
# --------------------------------------------------------------------------------------------


@op
def moments(x: Tensor, axes, keepdims=False, synchronized=False):
    """Returns `(mean, variance)` of `x` over `axes` (float16 computed in float32).

    Integer inputs give `floatx()` statistics. `synchronized` only matters for distributed
    training.
    """


@op
def batch_normalization(
    x: Tensor,
    mean: Tensor,
    variance: Tensor,
    axis,
    offset: Tensor = None,
    scale: Tensor = None,
    epsilon=1e-3,
):
    """`(x - mean) / sqrt(variance + epsilon) * scale + offset`, the 1-D statistics laid
    along `axis` of `x`."""


@op
def normalize(x: Tensor, axis=-1, order=2, epsilon=None):
    """Divides `x` by its `order`-norm over `axis`, the norm floored at `epsilon`
    (`keras.config.epsilon()` when `None`). `order` is an int >= 1."""


@op
def psnr(x1: Tensor, x2: Tensor, max_val):
    """Peak signal-to-noise ratio: `20 log10(max_val) - 10 log10(mean((x1 - x2)**2))`.

    `x1` and `x2` must have the same shape.
    """


@op
def rms_normalization(x: Tensor, scale: Tensor = None, axis=-1, epsilon=None):
    """`x / sqrt(mean(x**2, axis) + epsilon) * scale`, computed in at least float32, returned
    in the dtype of `x`."""


@op
def layer_normalization(
    x: Tensor, gamma: Tensor = None, beta: Tensor = None, axis=-1, epsilon=None, **kwargs
):
    """`(x - mean) / sqrt(variance + epsilon) * gamma + beta` over `axis`, computed in at
    least float32, returned in the dtype of `x`. `rms_scaling=True` (keyword) divides by
    `sqrt(variance + epsilon)` without centering."""


# --------------------------------------------------------------------------------------------
# Sequences and attention
# --------------------------------------------------------------------------------------------


@op
def ctc_loss(
    target: Tensor, output: Tensor, target_length: Tensor, output_length: Tensor, mask_index=0
):
    """Connectionist temporal classification loss per batch entry.

    Args:
        target: int `(batch, max_label_length)`.
        output: logits `(batch, max_time, num_classes)`.
        target_length, output_length: int `(batch,)`.
        mask_index: the blank class.

    Returns:
        `(batch,)` negative log-likelihoods, dtype `result_type(output, "float32")`.
    """


@op
def ctc_decode(
    inputs: Tensor,
    sequence_lengths: Tensor,
    strategy="greedy",
    beam_width=100,
    top_paths=1,
    merge_repeated=True,
    mask_index=0,
):
    """Decodes CTC output.

    Returns:
        `(decoded, scores)`: int32 `(top_paths, batch, max_time)` label sequences (repeats
        merged when `merge_repeated`, blanks removed, padded with -1) and float
        `(batch, top_paths)` scores; greedy scores are `-sum over time of max(inputs)`
        (the inputs are taken as log-probabilities, time steps past the length count 0).
    """


@op
def dot_product_attention(
    query: Tensor,
    key: Tensor,
    value: Tensor,
    bias: Tensor = None,
    mask: Tensor = None,
    scale=None,
    is_causal=False,
    flash_attention=None,
    attn_logits_soft_cap=None,
):
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


@op
def polar(abs_: Tensor, angle: Tensor):
    """Complex tensor `abs_ * (cos(angle) + i sin(angle))` (complex64 for float32 inputs)."""


# --------------------------------------------------------------------------------------------
# Rearrangements
# --------------------------------------------------------------------------------------------


@op
def unfold(x: Tensor, kernel_size, dilation=1, padding=0, stride=1):
    """Extracts sliding blocks of an `(N, C, H, W)` tensor as `(N, C * kH * kW, L)` (PyTorch
    `unfold` semantics); integer arguments or pairs."""


@op
def fold(x: Tensor, output_size, kernel_size, dilation=1, padding=0, stride=1):
    """Inverse of `unfold`: sums `(N, C * kH * kW, L)` blocks into `(N, C, *output_size)`."""


@op
def depth_to_space(x: Tensor, block_size, data_format="channels_last"):
    """Moves channel blocks into `block_size x block_size` spatial blocks of a rank-4 tensor
    (`(N, H, W, C)` -> `(N, H * b, W * b, C / b**2)`, DCR order)."""


@op
def space_to_depth(x: Tensor, block_size, data_format="channels_last"):
    """Inverse of `depth_to_space`: `(N, H, W, C)` -> `(N, H / b, W / b, C * b**2)`."""
