"""`InputSpec`: what a layer accepts (rank, dtype, fixed axes), checked on every call."""

from unikeras.backend import tree


class InputSpec:
    """Constraints on a layer input.

    Args:
        dtype: Expected dtype name, or `None`.
        shape: Expected shape (`None` entries match anything).
        ndim: Expected rank.
        max_ndim: Maximum rank.
        min_ndim: Minimum rank.
        axes: Dict `{axis: size}` of dimensions that must have a given size.
        allow_last_axis_squeeze: Accept a rank one lower/higher when the last axis is 1.
        name: Name of the input (for dict inputs).
        optional: Whether the input may be `None`.

    Examples:
        >>> layer = keras.layers.Identity()
        >>> layer.input_spec = keras.layers.InputSpec(ndim=2)
        >>> layer(np.zeros((2, 3))).shape
        (2, 3)
        >>> layer(np.zeros((2, 3, 4)))
        Traceback (most recent call last):
            ...
        ValueError: Input 0 of layer "identity..." is incompatible ...: expected ndim=2, found ndim=3. ...
    """

    def __init__(
        self,
        dtype=None,
        shape=None,
        ndim=None,
        max_ndim=None,
        min_ndim=None,
        axes=None,
        allow_last_axis_squeeze=False,
        name=None,
        optional=False,
    ):
        self.dtype = dtype
        self.shape = tuple(shape) if shape is not None else None
        self.ndim = len(self.shape) if self.shape is not None else ndim
        self.max_ndim = max_ndim
        self.min_ndim = min_ndim
        self.axes = {int(k): v for k, v in (axes or {}).items()}
        self.allow_last_axis_squeeze = allow_last_axis_squeeze
        self.name = name
        self.optional = optional

    def get_config(self):
        """Returns the spec's constraints (dtype, shape, ndim, axes, ...) as a dict."""
        return {
            "dtype": self.dtype,
            "shape": self.shape,
            "ndim": self.ndim,
            "max_ndim": self.max_ndim,
            "min_ndim": self.min_ndim,
            "axes": self.axes,
        }

    @classmethod
    def from_config(cls, config):
        """Creates a spec from its config (the output of `get_config`)."""
        return cls(**config)

    def __repr__(self):
        parts = [f"{k}={v}" for k, v in self.get_config().items() if v]
        return f"InputSpec({', '.join(parts)})"


def _prefix(index, layer_name):
    """The start of an incompatible-input message (formatted only when one is raised)."""
    return f'Input {index} of layer "{layer_name}" is incompatible with the layer:'


def _shape_of(x):
    shape = getattr(x, "shape", None)
    return None if shape is None else tuple(shape)


def assert_input_compatibility(input_spec, inputs, layer_name):
    """Raises a ValueError naming the layer, expected and received shapes on a mismatch."""
    if not input_spec:
        return
    if input_spec.__class__ is InputSpec and not tree.is_nested(inputs):
        specs, flat = (input_spec,), (inputs,)  # the common case: one spec, one tensor
    else:
        specs, flat = tree.flatten(input_spec), tree.flatten(inputs)
    if len(flat) != len(specs):
        raise ValueError(
            f'Layer "{layer_name}" expects {len(specs)} input(s), but it received '
            f"{len(flat)} input tensors."
        )
    for index, (x, spec) in enumerate(zip(flat, specs)):
        if spec is None or (x is None and spec.optional):
            continue
        shape = _shape_of(x)
        if shape is None:
            continue
        rank = len(shape)
        if spec.ndim is not None and not spec.allow_last_axis_squeeze and rank != spec.ndim:
            raise ValueError(
                f"{_prefix(index, layer_name)} expected ndim={spec.ndim}, found ndim={rank}. "
                f"Full shape received: {shape}"
            )
        if spec.max_ndim is not None and rank > spec.max_ndim:
            raise ValueError(
                f"{_prefix(index, layer_name)} expected max_ndim={spec.max_ndim}, found ndim={rank}. "
                f"Full shape received: {shape}"
            )
        if spec.min_ndim is not None and rank < spec.min_ndim:
            raise ValueError(
                f"{_prefix(index, layer_name)} expected min_ndim={spec.min_ndim}, found ndim={rank}. "
                f"Full shape received: {shape}"
            )
        for axis, value in spec.axes.items():
            if value is None:
                continue
            if not -rank <= axis < rank or shape[axis] not in (value, None):
                raise ValueError(
                    f"{_prefix(index, layer_name)} expected axis {axis} of input shape to have value {value}, "
                    f"but received input with shape {shape}"
                )
        if spec.shape is not None:
            for expected, got in zip(spec.shape, shape):
                if expected is not None and got is not None and expected != got:
                    raise ValueError(
                        f"{_prefix(index, layer_name)} expected shape={spec.shape}, found shape={shape}"
                    )
