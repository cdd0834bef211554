"""Arguments of the array-manipulation ops (`pad`, ...): the accepted values and their checks."""

PAD_MODES = ("constant", "edge", "linear_ramp", "maximum", "mean", "median", "minimum",
             "reflect", "symmetric", "wrap", "empty", "circular")


def check_pad_args(mode, constant_values):
    """Checks the `mode` of `pad` and that `constant_values` comes only with "constant"."""
    if mode not in PAD_MODES:
        raise ValueError(f"pad: `mode` must be one of {PAD_MODES}, received {mode!r}.")
    if constant_values is not None and mode != "constant":
        raise ValueError("pad: `constant_values` can only be given when mode='constant', "
                         f"received mode={mode!r}.")
