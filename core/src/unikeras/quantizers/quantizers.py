"""Quantization functions of `keras.quantizers`: abs-max (per channel and grouped with a
zero point), int4 packing, float8 scaling and fake quantization.

The weight quantizers can run in NumPy on the host (`to_numpy=True`), which is what
`layer.quantize` uses: quantizing happens once, and NumPy keeps the device memory free.
"""

import math

import numpy as np

from unikeras import ops
from unikeras.backend import config as backend_config
from unikeras.backend import dtypes
from unikeras.quantizers.quantizer import Quantizer

_EPSILON = backend_config.epsilon()


def _np_axis(axis, ndim):
    if isinstance(axis, int):
        axis = (axis,)
    return tuple(a % ndim for a in axis)


def abs_max_quantize(
    inputs, axis, value_range=(-127, 127), dtype="int8", epsilon=_EPSILON, to_numpy=False
):
    """Quantizes `inputs` with the absolute-maximum scheme along `axis`.

    `scale = value_range[1] / (max(|inputs|, axis) + epsilon)` and
    `quantized = clip(round(inputs * scale), *value_range)`; `quantized / scale` recovers
    the input approximately.

    Args:
        inputs: Tensor to quantize.
        axis: Axis (or axes) reduced to compute the range; the scale keeps them with size 1.
        value_range: `(min, max)` of the quantized values.
        dtype: dtype of the quantized tensor.
        epsilon: Added to the maximum to avoid a division by zero.
        to_numpy: Whether to compute in NumPy on the host.

    Returns:
        A tuple `(quantized, scale)`.
    """
    if to_numpy:
        original_dtype = dtypes.standardize_dtype(inputs.dtype)
        x = ops.convert_to_numpy(inputs)
        axes = _np_axis(axis, x.ndim)
        scale = np.divide(
            value_range[1], np.add(np.max(np.abs(x), axis=axes, keepdims=True), epsilon)
        )
        outputs = np.clip(np.round(np.multiply(x, scale)), value_range[0], value_range[1])
        return (
            ops.convert_to_tensor(outputs.astype(dtype)),
            ops.convert_to_tensor(scale, dtype=original_dtype),
        )
    x = ops.convert_to_tensor(inputs)
    scale = ops.divide(
        value_range[1], ops.add(ops.max(ops.abs(x), axis=axis, keepdims=True), epsilon)
    )
    scale = ops.cast(scale, dtypes.standardize_dtype(x.dtype))
    outputs = ops.clip(ops.round(ops.multiply(x, scale)), value_range[0], value_range[1])
    return ops.cast(outputs, dtype), scale


def abs_max_quantize_grouped_with_zero_point(
    inputs, block_size, value_range=(-8, 7), dtype="int8", epsilon=_EPSILON, to_numpy=False
):
    """Asymmetric quantization of a 2D tensor in groups of `block_size` rows.

    Each group of rows along axis 0 gets, per column, `scale = (max - min + epsilon) /
    (qmax - qmin)` and `zero_point = clip(round(-min / scale) + qmin, qmin, qmax)`; the
    quantized value is `clip(round(x / scale) + zero_point, qmin, qmax)` and
    `(quantized - zero_point) * scale` recovers `x` approximately.

    Args:
        inputs: Tensor of shape `(input_dim, output_dim)`.
        block_size: Rows per group (the last group is zero-padded).
        value_range: `(qmin, qmax)`.
        dtype: dtype of the quantized tensor.
        epsilon: Added to the range to avoid a division by zero.
        to_numpy: Accepted for Keras compatibility (the computation is always exact NumPy
            on the host).

    Returns:
        A tuple `(quantized, scale, zero_point)`: `quantized` has the input's shape,
        `scale` and `zero_point` (int8) have shape `(ceil(input_dim / block_size),
        output_dim)`.
    """
    del to_numpy
    original_dtype = dtypes.standardize_dtype(inputs.dtype)
    x = ops.convert_to_numpy(inputs)
    if x.ndim != 2:
        raise ValueError(
            "abs_max_quantize_grouped_with_zero_point expects a 2D tensor. "
            f"Received: inputs.shape={x.shape}"
        )
    if not isinstance(block_size, int) or block_size <= 0:
        raise ValueError(f"`block_size` must be a positive int. Received: block_size={block_size}")
    input_dim, output_dim = x.shape
    n_groups = math.ceil(input_dim / block_size)
    qmin, qmax = value_range
    padded = np.zeros((n_groups * block_size, output_dim), dtype=x.dtype)
    padded[:input_dim] = x
    groups = padded.reshape(n_groups, block_size, output_dim)
    lo = groups.min(axis=1, keepdims=True)
    hi = groups.max(axis=1, keepdims=True)
    scale = (hi - lo + epsilon) / (qmax - qmin)
    zero = np.clip(np.round(-lo / scale) + qmin, qmin, qmax)
    q = np.clip(np.round(groups / scale) + zero, qmin, qmax).astype(dtype)
    q = q.reshape(n_groups * block_size, output_dim)[:input_dim]
    return (
        ops.convert_to_tensor(q),
        ops.convert_to_tensor(scale[:, 0].astype(original_dtype)),
        ops.convert_to_tensor(zero[:, 0].astype("int8")),
    )


class AbsMaxQuantizer(Quantizer):
    """Quantizer applying `abs_max_quantize`.

    Args:
        axis: Deprecated default axis (pass `axis` when calling instead; `-1` if neither).
        value_range: `(min, max)` of the quantized values.
        epsilon: Added to the maximum to avoid a division by zero.
        output_dtype: dtype of the quantized values.
    """

    def __init__(self, axis=None, value_range=(-127, 127), epsilon=_EPSILON, output_dtype="int8"):
        super().__init__(output_dtype=output_dtype)
        if axis is not None:
            axis = (axis,) if isinstance(axis, int) else tuple(axis)
        self.axis = axis
        self.value_range = tuple(value_range)
        self.epsilon = epsilon
        if output_dtype == "int8" and (value_range[0] < -128 or value_range[1] > 127):
            raise ValueError(
                "Quantizer with output_dtype='int8' requires value_range to be within the "
                f"interval [-128, 127]. Received: value_range={value_range}"
            )

    def __call__(self, x, axis=None, to_numpy=False):
        """Quantizes `x` along `axis` (default: the constructor's axis, else -1).

        Returns:
            A tuple `(quantized, scale)`.
        """
        if axis is None:
            axis = self.axis if self.axis is not None else -1
        return abs_max_quantize(
            x, axis, self.value_range, self.output_dtype, self.epsilon, to_numpy
        )

    def get_config(self):
        """Returns `value_range`, `epsilon`, `output_dtype` (and `axis` when set)."""
        config = {
            "value_range": self.value_range,
            "epsilon": self.epsilon,
            "output_dtype": self.output_dtype,
        }
        if self.axis is not None:
            config["axis"] = self.axis
        return config


def _nudge(min_range, max_range, num_bits, narrow_range):
    dtype = dtypes.result_type(dtypes.standardize_dtype(min_range.dtype), "float32")
    min_range = ops.cast(min_range, dtype)
    max_range = ops.cast(max_range, dtype)
    quant_max = (1 << num_bits) - 1
    quant_min = 1 if narrow_range else 0
    diff = ops.subtract(max_range, min_range)
    scale = ops.divide(diff, quant_max - quant_min)
    inv_scale = ops.divide(quant_max - quant_min, diff)
    zero = ops.round(
        ops.clip(ops.subtract(quant_min, ops.divide(min_range, scale)), quant_min, quant_max)
    )
    nudged_min = ops.multiply(ops.subtract(quant_min, zero), scale)
    nudged_max = ops.multiply(ops.subtract(quant_max, zero), scale)
    return nudged_min, nudged_max, scale, inv_scale


def fake_quant_with_min_max_vars(
    inputs, min_vals, max_vals, num_bits=8, narrow_range=False, axis=None
):
    """Fake quantization: quantizes `inputs` into `num_bits` over the (nudged)
    `[min_vals, max_vals]` range and dequantizes them back, per tensor or per channel.

    The gradient passes straight through inside the range and flows to `min_vals` /
    `max_vals` for clipped values, so the range can be trained.

    Args:
        inputs: Float tensor.
        min_vals: Scalar, or one minimum per channel of `axis`.
        max_vals: Scalar, or one maximum per channel of `axis`.
        num_bits: Bit width (8: `[0, 255]`).
        narrow_range: Whether the quantized range starts at 1.
        axis: Channel axis for per-channel ranges (`None`: per tensor).

    Returns:
        A tensor of the input's shape and dtype.
    """
    inputs = ops.convert_to_tensor(inputs)
    min_vals = ops.convert_to_tensor(min_vals)
    max_vals = ops.convert_to_tensor(max_vals)
    ndim = len(inputs.shape)
    if axis is not None:
        axis = axis % ndim

    def expand(v):
        if axis is None or len(v.shape) == 0:
            return v
        shape = [1] * ndim
        shape[axis] = -1
        return ops.reshape(v, shape)

    @ops.custom_gradient
    def _fake_quant(x, min_val, max_val):
        dtype = dtypes.standardize_dtype(x.dtype)
        lo, hi, scale, inv_scale = _nudge(expand(min_val), expand(max_val), num_bits, narrow_range)
        quant_zero = ops.floor(ops.add(ops.multiply(ops.negative(lo), inv_scale), 0.5))
        clamped = ops.clip(ops.cast(x, lo.dtype), lo, hi)
        shifted = ops.subtract(clamped, lo)
        result = ops.multiply(
            ops.floor(ops.add(ops.subtract(ops.multiply(shifted, inv_scale), quant_zero), 0.5)),
            scale,
        )
        result = ops.cast(result, dtype)
        inside = ops.logical_and(ops.greater_equal(x, lo), ops.less_equal(x, hi))

        def grad(*args, upstream=None):
            if upstream is None:
                (upstream,) = args
            zero = ops.zeros_like(upstream)
            dx = ops.where(inside, upstream, zero)
            reduce_axes = [i for i in range(ndim) if i != axis] if axis is not None else None
            d_min = ops.sum(ops.where(ops.less_equal(x, lo), upstream, zero), axis=reduce_axes)
            d_max = ops.sum(ops.where(ops.greater_equal(x, hi), upstream, zero), axis=reduce_axes)
            return (
                dx,
                ops.reshape(d_min, ops.shape(min_val)),
                ops.reshape(d_max, ops.shape(max_val)),
            )

        return result, grad

    return _fake_quant(inputs, min_vals, max_vals)


def compute_float8_scale(amax, scale, dtype_max, margin=0):
    """The new float8 scale from the recent absolute maximum `amax`: `amax / dtype_max *
    2**margin`, keeping `scale` when `amax` is zero or not finite.

    Args:
        amax: Absolute maximum of the recent values.
        scale: The current scale.
        dtype_max: Largest finite value of the float8 dtype.
        margin: Power-of-two headroom.

    Returns:
        The new scale.
    """
    current = ops.reciprocal(scale)
    positive = ops.greater(amax, 0.0)
    safe = ops.where(positive, amax, ops.ones_like(amax))
    sf = ops.divide(ops.divide(dtype_max, safe), 2**margin)
    sf = ops.where(positive, sf, current)
    sf = ops.where(ops.isfinite(amax), sf, current)
    return ops.reciprocal(sf)


def compute_float8_amax_history(x, amax_history):
    """Rolls `amax_history` by one and writes `max(|x|)` at its first position.

    Args:
        x: The tensor whose absolute maximum is recorded.
        amax_history: 1D history of absolute maxima.

    Returns:
        The new history.
    """
    amax = ops.cast(ops.max(ops.abs(x)), amax_history.dtype)
    return ops.scatter_update(ops.roll(amax_history, shift=-1), [[0]], ops.reshape(amax, [1]))


_FLOAT8 = {
    # name: (largest finite value, mantissa bits, smallest normal exponent)
    "float8_e4m3fn": (448.0, 3, -6),
    "float8_e5m2": (57344.0, 2, -14),
}


def _round_to_float8(x, dtype):
    """Rounds float `x` (already within range) to the nearest value of the float8 `dtype`
    (round half to even, subnormals included), computed with float ops so every backend
    gives what a cast to float8 and back gives."""
    _, mantissa, min_exp = _FLOAT8[dtype]
    return round_to_mantissa(x, mantissa, min_exp)


def round_to_mantissa(x, mantissa, min_exp):
    """Rounds float32 `x` to the nearest float with `mantissa` explicit mantissa bits and
    smallest normal exponent `min_exp` (round half to even), e.g. bfloat16 is `(7, -126)`."""
    magnitude = ops.abs(x)
    tiny = ops.where(ops.greater(magnitude, 0), magnitude, ops.ones_like(magnitude))
    exponent = ops.floor(ops.log2(tiny))
    # log2 may be off by one ulp at powers of two: settle the exponent exactly.
    exponent = ops.where(
        ops.greater_equal(tiny, ops.power(2.0, exponent + 1)), exponent + 1, exponent
    )
    exponent = ops.where(ops.less(tiny, ops.power(2.0, exponent)), exponent - 1, exponent)
    exponent = ops.maximum(exponent, min_exp)
    step = ops.power(2.0, exponent - mantissa)
    rounded = ops.multiply(ops.round(ops.divide(x, step)), step)
    # Straight-through gradient, as a cast has; `x + (rounded - x)` is exactly `rounded`
    # (the two are within a factor of 2, so the difference is exact).
    return ops.add(x, ops.stop_gradient(ops.subtract(rounded, x)))


def quantize_and_dequantize(inputs, scale, quantized_dtype, compute_dtype):
    """`inputs / scale` clipped to the finite range of `quantized_dtype`, rounded to it,
    then back in `compute_dtype` and multiplied by `scale`.

    Args:
        inputs: Float tensor.
        scale: Scale (scalar or broadcastable).
        quantized_dtype: `"float8_e4m3fn"` or `"float8_e5m2"`.
        compute_dtype: dtype of the result.

    Returns:
        The dequantized tensor in `compute_dtype`.
    """
    if quantized_dtype not in _FLOAT8:
        raise ValueError(
            "quantize_and_dequantize supports the float8 dtypes "
            f"{sorted(_FLOAT8)}. Received: quantized_dtype={quantized_dtype!r}"
        )
    qmax = ops.cast(_FLOAT8[quantized_dtype][0], compute_dtype)
    x = ops.divide(inputs, ops.cast(scale, compute_dtype))
    x = ops.clip(x, ops.negative(qmax), qmax)
    x = ops.cast(_round_to_float8(ops.cast(x, "float32"), quantized_dtype), compute_dtype)
    return ops.multiply(x, ops.cast(scale, compute_dtype))


def _check_pack_dtype(dtype):
    if dtype not in ("int8", "uint8"):
        raise ValueError(f"Expected dtype to be 'int8' or 'uint8', but got '{dtype}'.")


def pack_int4(arr, axis=0, dtype="int8"):
    """Packs int4 values (int8 in `[-8, 7]`, or uint8 in `[0, 15]`) two per byte along
    `axis`: the first of each pair in the low nibble, the second in the high nibble (an odd
    length is padded with a zero).

    Args:
        arr: `int8` or `uint8` tensor.
        axis: Axis to pack.
        dtype: `"int8"` or `"uint8"`, the dtype of `arr` and of the result.

    Returns:
        A tuple `(packed, packed_shape, orig_len)`.
    """
    _check_pack_dtype(dtype)
    received = dtypes.standardize_dtype(arr.dtype)
    if received != dtype:
        raise TypeError(f"Expected {dtype} tensor for packing, got {received}.")
    x = np.moveaxis(ops.convert_to_numpy(arr), axis, 0)
    n = x.shape[0]
    if n % 2:
        x = np.concatenate([x, np.zeros((1,) + x.shape[1:], dtype=x.dtype)], axis=0)
    low = x[0::2].astype(np.uint8) & 0x0F
    high = x[1::2].astype(np.uint8) & 0x0F
    packed = (low | (high << 4)).astype(np.uint8).view(dtype)
    packed = np.moveaxis(packed, 0, axis)
    return ops.convert_to_tensor(packed), tuple(packed.shape), n


def unpack_int4(packed, orig_len, axis=0, dtype="int8"):
    """Unpacks `pack_int4` output along `axis` back to `orig_len` values per line.

    Args:
        packed: `int8` or `uint8` tensor of packed nibbles.
        orig_len: Length of `axis` before packing.
        axis: The packed axis.
        dtype: `"int8"` (signed values in `[-8, 7]`) or `"uint8"` (`[0, 15]`).

    Returns:
        The unpacked tensor in `dtype`.
    """
    _check_pack_dtype(dtype)
    received = dtypes.standardize_dtype(packed.dtype)
    if received not in ("int8", "uint8"):
        raise TypeError(f"Expected int8 or uint8 tensor for unpacking, got {received}")
    x = ops.convert_to_tensor(packed)
    rank = len(x.shape)
    axis = axis % rank
    # Work in int32: nibble arithmetic is exact there on every backend.
    wide = ops.cast(x, "int32")
    wide = ops.where(ops.less(wide, 0), ops.add(wide, 256), wide)
    low = ops.mod(wide, 16)
    high = ops.floor_divide(wide, 16)
    if dtype == "int8":
        low = ops.where(ops.greater(low, 7), ops.subtract(low, 16), low)
        high = ops.where(ops.greater(high, 7), ops.subtract(high, 16), high)
    stacked = ops.stack([low, high], axis=axis + 1)
    shape = list(x.shape)
    shape[axis] = shape[axis] * 2
    unpacked = ops.reshape(stacked, shape)
    index = [slice(None)] * rank
    index[axis] = slice(0, orig_len)
    return ops.cast(unpacked[tuple(index)], dtype)
