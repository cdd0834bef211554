"""`AveragePooling1D`: average pooling over 1-D inputs."""

from unikeras.layers.pooling.base_pooling import BasePooling


class AveragePooling1D(BasePooling):
    """Average pooling over `(batch, steps, channels)` inputs (or channels_first);
    with `"same"` padding only positions inside the input count. Arguments as in
    `BasePooling`.

    Example:

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
