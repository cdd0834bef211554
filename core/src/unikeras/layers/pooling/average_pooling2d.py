"""`AveragePooling2D`: average pooling over 2-D inputs."""

from unikeras.layers.pooling.base_pooling import BasePooling


class AveragePooling2D(BasePooling):
    """Average pooling over `(batch, height, width, channels)` inputs (or
    channels_first); with `"same"` padding only positions inside the input count.
    Arguments as in `BasePooling`.

    Example:

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
