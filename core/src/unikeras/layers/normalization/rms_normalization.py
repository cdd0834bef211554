"""`RMSNormalization`: scales each sample by the reciprocal root mean square of its features."""

from unikeras import ops
from unikeras.layers.layer import Layer


class RMSNormalization(Layer):
    """Root mean square normalization: `x * rsqrt(mean(square(x), axis) + epsilon) * scale`,
    with a learned `scale` (initialised to ones) of the shape of the normalized axes.

    Args:
        axis: int or list/tuple of ints, the axes normalized (and the shape of `scale`).
        epsilon: Small float added to the mean square to avoid dividing by zero.

    Examples:
        >>> y = keras.layers.RMSNormalization()(np.array([[3.0, 4.0]], 'float32'))
        >>> np.round(np.asarray(y), 4)  # x / sqrt(mean(x ** 2))
        array([[0.8485, 1.1314]], dtype=float32)
    """

    def __init__(self, axis=-1, epsilon=1e-6, **kwargs):
        super().__init__(**kwargs)
        if isinstance(axis, (list, tuple)) and all(isinstance(a, int) for a in axis):
            self.axis = list(axis)
        elif isinstance(axis, int) and not isinstance(axis, bool):
            self.axis = axis
        else:
            raise TypeError(
                f'Layer "{self.name}": expected an int or a list/tuple of ints '
                f"for the argument `axis`. Received: axis={axis!r}"
            )
        self.epsilon = epsilon
        self.supports_masking = True

    def _axes(self, input_shape):
        rank = len(input_shape)
        axes = self.axis if isinstance(self.axis, list) else [self.axis]
        for a in axes:
            if not -rank <= a < rank:
                raise ValueError(
                    f'Layer "{self.name}": axis {a} is out of bounds for input '
                    f"shape {tuple(input_shape)}. Received: axis={self.axis}"
                )
        return sorted(a % rank for a in axes)

    def build(self, input_shape):
        axes = self._axes(input_shape)
        shape = tuple(input_shape[a] for a in axes)
        if None in shape:
            raise ValueError(
                f'Layer "{self.name}": the normalized axes {self.axis} must have '
                f"known sizes. Received: input_shape={tuple(input_shape)}"
            )
        # As Keras 3: the axes are kept as a sorted list once built.
        self.axis = sorted(self.axis) if isinstance(self.axis, list) else [self.axis]
        self.scale = self.add_weight(name="scale", shape=shape, initializer="ones")
        self.built = True

    def call(self, x):
        axes = self._axes(x.shape)
        scale = self.scale
        if axes != list(range(len(x.shape) - len(axes), len(x.shape))):
            # Non-trailing axes: lay `scale` out so it broadcasts against `x`.
            scale = ops.reshape(
                scale, [x.shape[a] if a in axes else 1 for a in range(len(x.shape))]
            )
        return ops.rms_normalization(x, scale=scale, axis=axes, epsilon=self.epsilon)

    def compute_output_shape(self, input_shape):
        self._axes(input_shape)
        return tuple(input_shape)

    def get_config(self):
        config = super().get_config()
        config.update({"axis": self.axis, "epsilon": self.epsilon})
        return config
