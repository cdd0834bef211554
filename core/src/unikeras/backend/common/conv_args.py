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


def transpose_pads(window, strides, dilation, padding, output_padding):
    """(before, after) padding of each spatial axis of a transposed convolution's stride-dilated
    input; `output_padding` is `None`, an int or one int per axis."""
    n = len(window)
    extra = spatial_tuple(output_padding, n, "output_padding", "conv_transpose") or (None,) * n
    return [
        transpose_padding(span, st, padding, e)
        for span, st, e in zip(dilated_span(window, dilation), strides, extra)
    ]


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
    return (
        spatial_tuple(strides, n, "strides", op),
        spatial_tuple(dilation_rate, n, "dilation_rate", op),
    )


def pool_args(op, n, pool_size, strides):
    """`(pool_size, strides)` of an `n`-D pooling as tuples; strides default to the pool."""
    pool_size = spatial_tuple(pool_size, n, "pool_size", op)
    return pool_size, spatial_tuple(strides, n, "strides", op) or pool_size


def patch_args(op, n, size, strides, dilation_rate):
    """`(size, strides, dilation, span)` of `n`-D patch extraction; strides default to the
    patch size, `span` is the input extent of one dilated patch."""
    size = spatial_tuple(size, n, "size", op)
    strides = spatial_tuple(strides, n, "strides", op) or size
    dilation = spatial_tuple(dilation_rate, n, "dilation_rate", op)
    return size, strides, dilation, dilated_span(size, dilation)


def adaptive_bounds(length, out):
    """`(start, end)` of each of the `out` windows adaptive pooling takes over `length`."""
    return [((i * length) // out, -(-((i + 1) * length) // out)) for i in range(out)]


def check_rank4(op, shape):
    """Checks that `x` is 4-D (`depth_to_space`, `space_to_depth`)."""
    if len(shape) != 4:
        raise ValueError(f"{op}: expected `x` of rank 4. Received: x.shape={tuple(shape)}")


def unfold_args(kernel_size, dilation, padding, stride):
    """`unfold`'s `(kernel_size, dilation, padding, stride)` as int pairs (its input shape is
    checked by the op, `unikeras.ops.nn`)."""
    return tuple(map(pair, (kernel_size, dilation, padding, stride)))


def fold_sizes(output_size, kernel_size, dilation, padding, stride):
    """`fold`'s `((h, w), k, d, p, s, (oh, ow))` as int pairs (its input shape is checked by
    the op, `unikeras.ops.nn`)."""
    (h, w), k, d, p, s = map(pair, (output_size, kernel_size, dilation, padding, stride))
    oh = (h + 2 * p[0] - d[0] * (k[0] - 1) - 1) // s[0] + 1
    ow = (w + 2 * p[1] - d[1] * (k[1] - 1) - 1) // s[1] + 1
    return (h, w), k, d, p, s, (oh, ow)


def check_depth_to_space(shape, block_size):
    """Checks that the channels of a channels_last `shape` split into `block_size**2` blocks."""
    if shape[-1] % (block_size * block_size):
        raise ValueError(
            "depth_to_space: the channel count must be divisible by block_size**2 = "
            f"{block_size * block_size}. Received: x.shape={tuple(shape)} (channels_last)"
        )


def check_space_to_depth(shape, block_size):
    """Checks that height and width of a channels_last `shape` split into `block_size` blocks."""
    if shape[1] % block_size or shape[2] % block_size:
        raise ValueError(
            f"space_to_depth: height and width must be divisible by block_size = {block_size}. "
            f"Received: x.shape={tuple(shape)} (channels_last)"
        )
