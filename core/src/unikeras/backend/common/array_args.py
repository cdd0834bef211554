"""Arguments of the array ops (`pad`, `rot90`, `correlate`, `qr`, `ctc_decode`, ...): the
accepted values and their checks."""

PAD_MODES = ("constant", "edge", "linear_ramp", "maximum", "mean", "median", "minimum",
             "reflect", "symmetric", "wrap", "empty", "circular")


def check_pad_args(mode, constant_values):
    """Checks the `mode` of `pad` and that `constant_values` comes only with "constant"."""
    if mode not in PAD_MODES:
        raise ValueError(f"pad: `mode` must be one of {PAD_MODES}, received {mode!r}.")
    if constant_values is not None and mode != "constant":
        raise ValueError("pad: `constant_values` can only be given when mode='constant', "
                         f"received mode={mode!r}.")


def check_rot90_axes(ndim, shape, axes):
    """Checks `rot90`'s input rank and that `axes` names two different axes."""
    if ndim < 2:
        raise ValueError(f"rot90: expected a tensor with at least 2 dimensions, received "
                         f"shape {tuple(shape)}.")
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
        raise ValueError(f"correlate: both inputs must be 1-D, received shapes "
                         f"{tuple(shape1)} and {tuple(shape2)}.")


def check_qr_mode(mode):
    """Checks `qr`'s `mode`."""
    if mode not in ("reduced", "complete"):
        raise ValueError(f"qr: `mode` must be 'reduced' or 'complete'. Received: mode={mode!r}")


def check_ctc_strategy(strategy, backend):
    """Checks that `ctc_decode` asks for the greedy strategy, which every backend has."""
    if strategy != "greedy":
        raise NotImplementedError(
            f"ctc_decode: strategy={strategy!r} is not implemented by the {backend} backend; "
            "use strategy='greedy'."
        )
