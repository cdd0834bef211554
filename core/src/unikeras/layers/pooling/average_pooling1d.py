"""`AveragePooling1D`: average pooling over 1-D inputs."""

from unikeras.layers.pooling.base_pooling import BasePooling


class AveragePooling1D(BasePooling):
    """Average pooling over `(batch, steps, channels)` inputs (or channels_first);
    with `"same"` padding only positions inside the input count.

    Args:
        pool_size: An int: the size of the pooling window (default 2).
        strides: An int, or `None` (the default: `pool_size`): the step of the window.
        padding: `"valid"` (no padding, the default: output size `floor((size - pool_size) /
            strides) + 1`) or `"same"` (output size `ceil(size / strides)`).
        data_format: `"channels_last"` (inputs `(batch, steps, channels)`) or `"channels_first"`
            (inputs `(batch, channels, steps)`); `None`: `keras.config.image_data_format()`.
        name: Optional name of the layer.

    Examples:
        >>> x = np.array([[[1.0], [3.0], [5.0], [7.0]]], 'float32')
        >>> keras.layers.AveragePooling1D(2)(x)[..., 0]
        array([[2., 6.]], dtype=float32)
    """

    def __init__(
        self, pool_size=2, strides=None, padding="valid", data_format=None, name=None, **kwargs
    ):
        super().__init__(
            pool_size,
            strides,
            pool_dimensions=1,
            pool_mode="average",
            padding=padding,
            data_format=data_format,
            name=name,
            **kwargs,
        )
