"""Adaptive pooling layers: `AdaptiveAveragePooling1D/2D/3D`, `AdaptiveMaxPooling1D/2D/3D`.

The output has a fixed spatial size whatever the input's; output cell `i` of an axis of length
`L` pooled to `n` cells covers input positions `floor(i * L / n)` to `ceil((i + 1) * L / n)`
(exclusive), the bins of PyTorch's and Keras 3's adaptive pooling.
"""

from unikeras import ops
from unikeras.backend.config import standardize_data_format
from unikeras.layers.input_spec import InputSpec
from unikeras.layers.layer import Layer


class BaseAdaptivePooling(Layer):
    """Adaptive pooling over `_pool_dimensions` spatial axes with `_pool_op`.

    Args:
        output_size: int (the same size on every spatial axis) or tuple of one positive int
            per spatial axis.
        data_format: `"channels_last"` or `"channels_first"` (`None`: the global default).
    """

    _pool_dimensions = None
    _pool_op = None

    def __init__(self, output_size, data_format=None, **kwargs):
        super().__init__(**kwargs)
        n = self._pool_dimensions
        if isinstance(output_size, int) and not isinstance(output_size, bool):
            sizes = (output_size,) * n
        elif (
            isinstance(output_size, (list, tuple))
            and len(output_size) == n
            and all(isinstance(s, int) and not isinstance(s, bool) for s in output_size)
        ):
            sizes = tuple(output_size)
        else:
            raise TypeError(
                f'Layer "{self.name}": `output_size` must be an integer or a tuple '
                f"of {n} integers. Received: output_size={output_size!r} of type "
                f"{type(output_size).__name__}"
            )
        if any(s <= 0 for s in sizes):
            raise ValueError(
                f'Layer "{self.name}": every `output_size` entry must be a '
                f"positive integer. Received: output_size={output_size!r}"
            )
        self.output_size = sizes
        self.data_format = standardize_data_format(data_format)
        self.input_spec = InputSpec(ndim=n + 2)

    def call(self, inputs):
        return self._pool_op(inputs, output_size=self.output_size, data_format=self.data_format)

    def compute_output_shape(self, input_shape):
        input_shape = tuple(input_shape)
        if len(input_shape) != self._pool_dimensions + 2:
            raise ValueError(
                f'Layer "{self.name}" expects inputs of rank '
                f"{self._pool_dimensions + 2}. Received: input_shape={input_shape}"
            )
        if self.data_format == "channels_last":
            return (input_shape[0],) + self.output_size + (input_shape[-1],)
        return (input_shape[0], input_shape[1]) + self.output_size

    def get_config(self):
        config = super().get_config()
        config.update({"output_size": self.output_size, "data_format": self.data_format})
        return config


class AdaptiveAveragePooling1D(BaseAdaptivePooling):
    """Adaptive average pooling of 3D inputs `(batch, steps, features)` (or channels first)
    to `output_size` steps.

    Args:
        output_size: An int: the positive output size of the pooled axes.
        data_format: `"channels_last"` (inputs `(batch, steps, channels)`) or `"channels_first"`
            (inputs `(batch, channels, steps)`); `None`: `keras.config.image_data_format()`.

    Examples:
        >>> x = np.array([[[1.0], [2.0], [3.0], [4.0], [5.0]]], "float32")
        >>> keras.layers.AdaptiveAveragePooling1D(2)(x)[..., 0]  # bins [1, 2, 3] and [3, 4, 5]
        array([[2., 4.]], dtype=float32)
    """

    _pool_dimensions = 1
    _pool_op = staticmethod(ops.adaptive_average_pool)


class AdaptiveAveragePooling2D(BaseAdaptivePooling):
    """Adaptive average pooling of 4D inputs `(batch, height, width, channels)` (or channels
    first) to `output_size` `(height, width)`.

    Args:
        output_size: An int (the same size on every axis) or a tuple of 2 ints: the positive output
            size of the pooled axes.
        data_format: `"channels_last"` (inputs `(batch, height, width, channels)`) or
            `"channels_first"` (inputs `(batch, channels, height, width)`); `None`:
            `keras.config.image_data_format()`.

    Examples:
        >>> x = np.arange(16.0, dtype="float32").reshape(1, 4, 4, 1)
        >>> keras.layers.AdaptiveAveragePooling2D(2)(x)[0, ..., 0]
        array([[ 2.5,  4.5],
               [10.5, 12.5]], dtype=float32)
        >>> keras.layers.AdaptiveAveragePooling2D((2, 3))(np.ones((1, 7, 9, 3), "float32")).shape
        (1, 2, 3, 3)
    """

    _pool_dimensions = 2
    _pool_op = staticmethod(ops.adaptive_average_pool)


class AdaptiveAveragePooling3D(BaseAdaptivePooling):
    """Adaptive average pooling of 5D inputs `(batch, depth, height, width, channels)` (or
    channels first) to `output_size` `(depth, height, width)`.

    Args:
        output_size: An int (the same size on every axis) or a tuple of 3 ints: the positive output
            size of the pooled axes.
        data_format: `"channels_last"` (inputs `(batch, dim1, dim2, dim3, channels)`) or
            `"channels_first"` (inputs `(batch, channels, dim1, dim2, dim3)`); `None`:
            `keras.config.image_data_format()`.

    Examples:
        >>> layer = keras.layers.AdaptiveAveragePooling3D((1, 2, 3))
        >>> layer(np.ones((2, 5, 6, 7, 4), "float32")).shape
        (2, 1, 2, 3, 4)
    """

    _pool_dimensions = 3
    _pool_op = staticmethod(ops.adaptive_average_pool)


class AdaptiveMaxPooling1D(BaseAdaptivePooling):
    """Adaptive max pooling of 3D inputs `(batch, steps, features)` (or channels first) to
    `output_size` steps.

    Args:
        output_size: An int: the positive output size of the pooled axes.
        data_format: `"channels_last"` (inputs `(batch, steps, channels)`) or `"channels_first"`
            (inputs `(batch, channels, steps)`); `None`: `keras.config.image_data_format()`.

    Examples:
        >>> x = np.array([[[1.0], [2.0], [3.0], [4.0], [5.0]]], "float32")
        >>> keras.layers.AdaptiveMaxPooling1D(2)(x)[..., 0]  # bins [1, 2, 3] and [3, 4, 5]
        array([[3., 5.]], dtype=float32)
    """

    _pool_dimensions = 1
    _pool_op = staticmethod(ops.adaptive_max_pool)


class AdaptiveMaxPooling2D(BaseAdaptivePooling):
    """Adaptive max pooling of 4D inputs `(batch, height, width, channels)` (or channels
    first) to `output_size` `(height, width)`.

    Args:
        output_size: An int (the same size on every axis) or a tuple of 2 ints: the positive output
            size of the pooled axes.
        data_format: `"channels_last"` (inputs `(batch, height, width, channels)`) or
            `"channels_first"` (inputs `(batch, channels, height, width)`); `None`:
            `keras.config.image_data_format()`.

    Examples:
        >>> x = np.arange(16.0, dtype="float32").reshape(1, 4, 4, 1)
        >>> keras.layers.AdaptiveMaxPooling2D(2)(x)[0, ..., 0]
        array([[ 5.,  7.],
               [13., 15.]], dtype=float32)
    """

    _pool_dimensions = 2
    _pool_op = staticmethod(ops.adaptive_max_pool)


class AdaptiveMaxPooling3D(BaseAdaptivePooling):
    """Adaptive max pooling of 5D inputs `(batch, depth, height, width, channels)` (or
    channels first) to `output_size` `(depth, height, width)`.

    Args:
        output_size: An int (the same size on every axis) or a tuple of 3 ints: the positive output
            size of the pooled axes.
        data_format: `"channels_last"` (inputs `(batch, dim1, dim2, dim3, channels)`) or
            `"channels_first"` (inputs `(batch, channels, dim1, dim2, dim3)`); `None`:
            `keras.config.image_data_format()`.

    Examples:
        >>> layer = keras.layers.AdaptiveMaxPooling3D(2)
        >>> layer(np.ones((2, 5, 6, 7, 4), "float32")).shape
        (2, 2, 2, 2, 4)
    """

    _pool_dimensions = 3
    _pool_op = staticmethod(ops.adaptive_max_pool)
