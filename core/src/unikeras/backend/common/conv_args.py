"""Arguments of convolutions, pooling and patch extraction: normalization, validation and
padding arithmetic on static sizes."""

_PADDINGS = ("valid", "same")


def spatial_tuple(value, n, name, op):
    """`value` (an int or a sequence of `n` ints) as a tuple of `n` ints; `None` stays `None`."""
    if value is None:
        return None
    scalar = isinstance(value, (int, float)) or getattr(value, "ndim", 1) == 0
    value = (int(value),) * n if scalar else tuple(int(v) for v in value)
    if len(value) != n:
        raise ValueError(
            f"{op}: `{name}` must be an int or a tuple of {n} ints for {n}-D inputs. "
            f"Received: {name}={value}"
        )
    return value


def pair(value):
    """An int or a pair of ints as a pair of ints (`fold`/`unfold` arguments)."""
    scalar = isinstance(value, (int, float)) or getattr(value, "ndim", 1) == 0
    return (int(value),) * 2 if scalar else tuple(int(v) for v in value)


def check_padding(padding):
    """`padding` lower-cased, after checking it is "valid" or "same"."""
    padding = padding.lower()
    if padding not in _PADDINGS:
        raise ValueError(f"`padding` must be 'valid' or 'same'. Received: padding={padding!r}")
    return padding


def dilated_span(window, dilation):
    """How many input positions a window covers once its taps are `dilation` apart."""
    return tuple((k - 1) * d + 1 for k, d in zip(window, dilation))


def same_padding(size, window, stride):
    """(before, after) padding of `"same"`: output `ceil(size / stride)`, extra at the end."""
    out = -(-size // stride)
    total = max((out - 1) * stride + window - size, 0)
    return total // 2, total - total // 2


def spatial_pads(sizes, windows, strides, padding):
    """(before, after) padding of each spatial axis of `sizes` for "valid" or "same"."""
    if check_padding(padding) == "valid":
        return [(0, 0)] * len(windows)
    return [same_padding(s, w, st) for s, w, st in zip(sizes, windows, strides)]


def transpose_padding(span, stride, padding, output_padding):
    """(before, after) padding of the stride-dilated input of a transposed convolution, as
    Keras 3 defines it."""
    if padding.lower() == "valid":
        extra = max(span, stride) - span if output_padding is None else output_padding
        return span - 1, span - 1 + extra
    if padding.lower() != "same":
        raise ValueError(f"`padding` must be 'valid' or 'same'. Received: padding={padding!r}")
    if output_padding is None:
        total = stride + span - 2
    else:
        total = span + span % 2 - 2 + output_padding
    before = min(total // 2 + total % 2, span - 1)
    return before, total - before


def check_rank(op, shape, ranks=(3, 4, 5)):
    """Checks that channels-last-style `inputs` of `shape` have one of `ranks`."""
    if len(shape) not in ranks:
        raise ValueError(
            f"{op}: expected `inputs` of rank {' or '.join(map(str, ranks))} "
            f"(batch, *spatial, channels). Received: inputs.shape={tuple(shape)}"
        )


def check_kernel_rank(op, shape, kernel_shape):
    """Checks that a convolution kernel has the rank of its inputs."""
    if len(kernel_shape) != len(shape):
        raise ValueError(
            f"{op}: expected a kernel of rank {len(shape)} (*kernel_size, in, out) for inputs "
            f"of rank {len(shape)}. Received: inputs.shape={tuple(shape)}, "
            f"kernel.shape={tuple(kernel_shape)}"
        )


def conv_args(op, n, strides, dilation_rate):
    """`(strides, dilation)` of an `n`-D convolution as tuples of `n` ints."""
    return (spatial_tuple(strides, n, "strides", op),
            spatial_tuple(dilation_rate, n, "dilation_rate", op))


def pool_args(op, n, pool_size, strides):
    """`(pool_size, strides)` of an `n`-D pooling as tuples; strides default to the pool."""
    pool_size = spatial_tuple(pool_size, n, "pool_size", op)
    return pool_size, spatial_tuple(strides, n, "strides", op) or pool_size


def adaptive_bounds(length, out):
    """`(start, end)` of each of the `out` windows adaptive pooling takes over `length`."""
    return [((i * length) // out, -(-((i + 1) * length) // out)) for i in range(out)]


def check_rank4(op, shape):
    """Checks that `x` is 4-D (`depth_to_space`, `space_to_depth`)."""
    if len(shape) != 4:
        raise ValueError(f"{op}: expected `x` of rank 4. Received: x.shape={tuple(shape)}")


def fold_sizes(shape, output_size, kernel_size, dilation, padding, stride):
    """Checks `fold`'s input shape; returns `((h, w), k, d, p, s, (oh, ow))` as int pairs."""
    (h, w), k, d, p, s = map(pair, (output_size, kernel_size, dilation, padding, stride))
    if len(shape) != 3 or shape[1] % (k[0] * k[1]):
        raise ValueError(
            f"fold: expected `x` (N, C * {k[0]} * {k[1]}, L). Received: x.shape={tuple(shape)}"
        )
    oh = (h + 2 * p[0] - d[0] * (k[0] - 1) - 1) // s[0] + 1
    ow = (w + 2 * p[1] - d[1] * (k[1] - 1) - 1) // s[1] + 1
    return (h, w), k, d, p, s, (oh, ow)
