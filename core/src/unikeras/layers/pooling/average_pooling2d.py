"""`AveragePooling2D`: average pooling over 2-D inputs."""

from unikeras.layers.pooling.base_pooling import BasePooling


class AveragePooling2D(BasePooling):
    """Average pooling over `(batch, height, width, channels)` inputs (or
    channels_first); with `"same"` padding only positions inside the input count.

    Args:
        pool_size: An int or a tuple of 2 ints: the size of the pooling window (default 2).
        strides: An int or a tuple of 2 ints, or `None` (the default: `pool_size`): the step of the
            window.
        padding: `"valid"` (no padding, the default: output size `floor((size - pool_size) /
            strides) + 1`) or `"same"` (output size `ceil(size / strides)`).
        data_format: `"channels_last"` (inputs `(batch, height, width, channels)`) or
            `"channels_first"` (inputs `(batch, channels, height, width)`); `None`:
            `keras.config.image_data_format()`.
        name: Optional name of the layer.

    Examples:
        >>> x = np.arange(16.0, dtype='float32').reshape(1, 4, 4, 1)
        >>> keras.layers.AveragePooling2D(2)(x)[0, ..., 0]
        array([[ 2.5,  4.5],
               [10.5, 12.5]], dtype=float32)
    """

    def __init__(
        self, pool_size=(2, 2), strides=None, padding="valid", data_format=None, name=None, **kwargs
    ):
        super().__init__(
            pool_size,
            strides,
            pool_dimensions=2,
            pool_mode="average",
            padding=padding,
            data_format=data_format,
            name=name,
            **kwargs,
        )
