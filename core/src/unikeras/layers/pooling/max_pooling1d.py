"""`MaxPooling1D`: max pooling over 1-D inputs."""

from unikeras.layers.pooling.base_pooling import BasePooling


class MaxPooling1D(BasePooling):
    """Max pooling over `(batch, steps, channels)` inputs (or channels_first):
    the largest value of each `pool_size` window.

    Args:
        pool_size: An int: the size of the pooling window (default 2).
        strides: An int, or `None` (the default: `pool_size`): the step of the window.
        padding: `"valid"` (no padding, the default: output size `floor((size - pool_size) /
            strides) + 1`) or `"same"` (output size `ceil(size / strides)`).
        data_format: `"channels_last"` (inputs `(batch, steps, channels)`) or `"channels_first"`
            (inputs `(batch, channels, steps)`); `None`: `keras.config.image_data_format()`.
        name: Optional name of the layer.

    Examples:
        >>> keras.layers.MaxPooling1D(2)(np.array([[[1.0], [5.0], [2.0], [3.0]]], 'float32'))[..., 0]
        array([[5., 3.]], dtype=float32)
    """

    def __init__(
        self, pool_size=2, strides=None, padding="valid", data_format=None, name=None, **kwargs
    ):
        super().__init__(
            pool_size,
            strides,
            pool_dimensions=1,
            pool_mode="max",
            padding=padding,
            data_format=data_format,
            name=name,
            **kwargs,
        )
