"""Arguments of the array ops (`pad`, `rot90`, `correlate`, `qr`, `ctc_decode`, ...): the
accepted values and their checks."""

PAD_MODES = (
    "constant",
    "edge",
    "linear_ramp",
    "maximum",
    "mean",
    "median",
    "minimum",
    "reflect",
    "symmetric",
    "wrap",
    "empty",
    "circular",
)


def check_pad_args(mode, constant_values):
    """Checks the `mode` of `pad` and that `constant_values` comes only with "constant"."""
    if mode not in PAD_MODES:
        raise ValueError(f"pad: `mode` must be one of {PAD_MODES}, received {mode!r}.")
    if constant_values is not None and mode != "constant":
        raise ValueError(
            "pad: `constant_values` can only be given when mode='constant', "
            f"received mode={mode!r}."
        )


def check_rot90_axes(ndim, shape, axes):
    """Checks `rot90`'s input rank and that `axes` names two different axes."""
    if ndim < 2:
        raise ValueError(
            f"rot90: expected a tensor with at least 2 dimensions, received shape {tuple(shape)}."
        )
    if len(axes) != 2 or axes[0] % ndim == axes[1] % ndim:
        raise ValueError(f"rot90: `axes` must name two different axes, received {axes}.")


def correlate_dtypes(dtype):
    """`(result, compute)` dtypes of `correlate` for inputs promoting to `dtype`."""
    if dtype == "int64":
        dtype = "float64"
    elif dtype not in ("bfloat16", "float16", "float64"):
        dtype = "float32"
    return dtype, ("float64" if dtype == "float64" else "float32")


def check_correlate_ranks(shape1, shape2):
    """Checks that both inputs of `correlate` are 1-D."""
    if len(shape1) != 1 or len(shape2) != 1:
        raise ValueError(
            f"correlate: both inputs must be 1-D, received shapes "
            f"{tuple(shape1)} and {tuple(shape2)}."
        )


def check_qr_mode(mode):
    """Checks `qr`'s `mode`."""
    if mode not in ("reduced", "complete"):
        raise ValueError(f"qr: `mode` must be 'reduced' or 'complete'. Received: mode={mode!r}")


def check_ctc_strategy(strategy, backend):
    """Checks that `ctc_decode` asks for the greedy strategy, which every backend has."""
    if strategy != "greedy":
        raise NotImplementedError(
            f"ctc_decode: strategy={strategy!r} is not implemented by the {backend!r} backend; "
            "use strategy='greedy'."
        )


def check_top_k(k, n):
    """Validates `top_k`'s `k` against the size `n` of the last axis (`None`: not known yet)."""
    if n is not None and not 0 <= k <= n:
        raise ValueError(f"top_k: `k` must be in [0, {n}] (the last dimension). Received: k={k}")


def check_ctc_loss_shapes(target_shape, output_shape):
    """Validates `ctc_loss` shapes: `target` `(batch, max_label_length)` and `output`
    `(batch, max_time, num_classes)` with the same batch size (`None` sizes match anything;
    a shape of unknown rank is `None`)."""
    target_shape = None if target_shape is None else tuple(target_shape)
    output_shape = None if output_shape is None else tuple(output_shape)
    ranks_ok = (
        output_shape is not None
        and target_shape is not None
        and len(output_shape) == 3
        and len(target_shape) == 2
    )
    if (
        not ranks_ok
        or None not in (target_shape[0], output_shape[0])
        and target_shape[0] != output_shape[0]
    ):
        raise ValueError(
            "ctc_loss: expected `target` (batch, max_label_length) and `output` "
            f"(batch, max_time, num_classes). Received: target.shape={target_shape}, "
            f"output.shape={output_shape}"
        )


def check_attention_shapes(query_shape, key_shape, value_shape):
    """Validates `dot_product_attention` shapes (batched): query `(batch, target_len, heads,
    dim)`, key and value `(batch, source_len, kv_heads, dim)` with `heads` a multiple of
    `kv_heads` (`None` sizes, unknown until run time, match anything)."""
    q, k, v = query_shape, key_shape, value_shape
    if len(q) == 4 and len(k) == 4 and len(v) == 4 and k[:3] == v[:3] and q[3] == k[3]:
        heads, kv_heads = q[2], k[2]
        if heads is None or kv_heads is None or heads % max(kv_heads, 1) == 0:
            return  # the common case, checked without building anything
    q, k, v = tuple(q), tuple(k), tuple(v)

    def same(a, b):
        return len(a) == len(b) and all(x is None or y is None or x == y for x, y in zip(a, b))

    ok = len(q) == 4 and len(k) == 4 and same(k[:-1], v[:-1]) and same(q[-1:], k[-1:])
    if ok and None not in (q[-2], k[-2]):
        ok = q[-2] % max(k[-2], 1) == 0
    if not ok:
        raise ValueError(
            "dot_product_attention: expected query (batch, target_len, heads, dim) and "
            "key/value (batch, source_len, kv_heads, dim) with heads a multiple of kv_heads. "
            f"Received: query.shape={q}, key.shape={k}, value.shape={v}"
        )
